/* tbeta_inc — regularised incomplete beta I_x(a, b): GSL (double) and the
 * continued fraction (MPFR).  Special cases first (domain errors, x = 0
 * and x = 1), then identities at 256 bits: I_{1/2}(a, a) = 1/2,
 * I_x(1, b) = 1 - (1-x)^b, I_x(a, 1) = x^a, I_x(1/2, 1/2) = (2/pi) asin
 * sqrt(x), the binomial sum for integer parameters, the symmetry; values
 * computed independently with mpmath (betainc, cross-checked by
 * quadrature at 400-700 bits); and random arguments from a fixed seed
 * (THMCHECK_TEST_SEED overrides it) on which MPFR must agree with GSL and
 * with itself at 256 bits. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "tc_special.h"
#include "tc_status.h"
#include "test_seed.h"

/* log2 |got/want - 1| (-inf when equal), evaluated at 1024 bits. */
static double log2_rel(mpfr_srcptr got, mpfr_srcptr want)
{
  mpfr_t d;
  mpfr_init2(d, 1024);
  mpfr_sub(d, got, want, MPFR_RNDN);
  mpfr_div(d, d, want, MPFR_RNDN);
  double r = mpfr_zero_p(d) ? -INFINITY : log2(fabs(mpfr_get_d(d, MPFR_RNDN)));
  mpfr_clear(d);
  return r;
}

/* r <- I_x(a, b) at r's precision from double arguments. */
static int beta_mpfr_d(mpfr_ptr r, double a, double b, double x)
{
  mpfr_t ma, mb, mx;
  mpfr_inits2(53, ma, mb, mx, (mpfr_ptr)0);
  mpfr_set_d(ma, a, MPFR_RNDN);
  mpfr_set_d(mb, b, MPFR_RNDN);
  mpfr_set_d(mx, x, MPFR_RNDN);
  int st = tc_beta_inc_mpfr(r, ma, mb, mx);
  mpfr_clears(ma, mb, mx, (mpfr_ptr)0);
  return st;
}

Test(beta_inc, domain_errors)
{
  const double bad[][3] = {{0.0, 1.0, 0.5},  {-1.0, 1.0, 0.5}, {1.0, 0.0, 0.5},     {1.0, -2.0, 0.5},
                           {NAN, 1.0, 0.5},  {1.0, NAN, 0.5},  {INFINITY, 1.0, 0.5}, {1.0, INFINITY, 0.5},
                           {1.0, 1.0, -0.1}, {1.0, 1.0, 1.5},  {1.0, 1.0, NAN},      {1.0, 1.0, -INFINITY}};
  mpfr_t r;
  mpfr_init2(r, 64);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double rd = 0.0;
    cr_expect_eq(tc_beta_inc_d(&rd, &bad[i][0], &bad[i][1], &bad[i][2]), TC_EDOM, "case %zu", i);
    cr_expect(isnan(rd), "case %zu", i);
    mpfr_set_ui(r, 0, MPFR_RNDN);
    cr_expect_eq(beta_mpfr_d(r, bad[i][0], bad[i][1], bad[i][2]), TC_EDOM, "case %zu", i);
    cr_expect(mpfr_nan_p(r), "case %zu", i);
  }
  mpfr_clear(r);
}

Test(beta_inc, endpoints_are_exact)
{
  const double ab[][2] = {{0.5, 0.5}, {1.0, 1.0}, {1e-8, 3.0}, {250.0, 1e6}, {1e10, 1e10}};
  mpfr_t r;
  mpfr_init2(r, 256);
  for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++) {
    double x0 = 0.0, x1 = 1.0, mz = -0.0, rd;
    cr_expect_eq(tc_beta_inc_d(&rd, &ab[i][0], &ab[i][1], &x0), TC_SUCCESS);
    cr_expect(rd == 0.0 && !signbit(rd));
    cr_expect_eq(tc_beta_inc_d(&rd, &ab[i][0], &ab[i][1], &mz), TC_SUCCESS);
    cr_expect(rd == 0.0);
    cr_expect_eq(tc_beta_inc_d(&rd, &ab[i][0], &ab[i][1], &x1), TC_SUCCESS);
    cr_expect_eq(rd, 1.0);
    cr_expect_eq(beta_mpfr_d(r, ab[i][0], ab[i][1], 0.0), TC_SUCCESS);
    cr_expect(mpfr_zero_p(r) && !mpfr_signbit(r));
    cr_expect_eq(beta_mpfr_d(r, ab[i][0], ab[i][1], 1.0), TC_SUCCESS);
    cr_expect_eq(mpfr_cmp_ui(r, 1), 0);
  }
  mpfr_clear(r);
}

Test(beta_inc, half_at_symmetric_parameters)
{
  /* I_{1/2}(a, a) = 1/2 exactly; the result is within a few ulps. */
  const char *as[] = {"0.5", "1", "3.25", "17", "1000.5", "0.001"};
  mpfr_t a, x, r, half;
  mpfr_inits2(256, a, x, r, half, (mpfr_ptr)0);
  mpfr_set_d(x, 0.5, MPFR_RNDN);
  mpfr_set_d(half, 0.5, MPFR_RNDN);
  double worst = -INFINITY;
  for (size_t i = 0; i < sizeof as / sizeof as[0]; i++) {
    mpfr_set_str(a, as[i], 10, MPFR_RNDN);
    cr_assert_eq(tc_beta_inc_mpfr(r, a, a, x), TC_SUCCESS, "a=%s", as[i]);
    double l = log2_rel(r, half);
    worst = fmax(worst, l);
    cr_expect(l <= -250, "a=%s: relative error 2^%.1f", as[i], l);
    double ad = mpfr_get_d(a, MPFR_RNDN), xd = 0.5, rd;
    cr_assert_eq(tc_beta_inc_d(&rd, &ad, &ad, &xd), TC_SUCCESS);
    cr_expect(fabs(rd - 0.5) < 1e-12, "gsl a=%s: %.17g", as[i], rd);
  }
  /* and at 1000 bits */
  mpfr_set_prec(r, 1000);
  mpfr_set_str(a, "3.25", 10, MPFR_RNDN);
  cr_assert_eq(tc_beta_inc_mpfr(r, a, a, x), TC_SUCCESS);
  double l = log2_rel(r, half);
  cr_expect(l <= -990, "1000 bits: 2^%.1f", l);
  cr_log_info("I_{1/2}(a,a) at 256 bits: worst relative error 2^%.1f; at 1000 bits 2^%.1f", worst, l);
  mpfr_clears(a, x, r, half, (mpfr_ptr)0);
}

Test(beta_inc, closed_forms_at_256_bits)
{
  /* I_x(1, b) = 1 - (1-x)^b, I_x(a, 1) = x^a, I_x(1/2, 1/2) = 2 asin(sqrt x)/pi,
   * for dyadic x, a, b from a seeded generator. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  mpfr_t one, half, p, x, r, want, t;
  mpfr_inits2(256, one, half, p, x, r, (mpfr_ptr)0);
  mpfr_inits2(600, want, t, (mpfr_ptr)0);
  mpfr_set_ui(one, 1, MPFR_RNDN);
  mpfr_set_d(half, 0.5, MPFR_RNDN);
  double worst = -INFINITY;
  for (int trial = 0; trial < 40; trial++) {
    mpfr_set_d(x, gsl_rng_uniform_pos(rng), MPFR_RNDN);
    mpfr_set_d(p, exp(6.0 * gsl_rng_uniform(rng) - 3.0), MPFR_RNDN); /* e^-3 .. e^3 */

    cr_assert_eq(tc_beta_inc_mpfr(r, one, p, x), TC_SUCCESS);
    mpfr_ui_sub(want, 1, x, MPFR_RNDN); /* exact at 600 bits */
    mpfr_pow(want, want, p, MPFR_RNDN);
    mpfr_ui_sub(want, 1, want, MPFR_RNDN);
    double l = log2_rel(r, want);
    worst = fmax(worst, l);
    cr_expect(l <= -248, "I_x(1,b) b=%g x=%g: 2^%.1f (THMCHECK_TEST_SEED=%lu)",
              mpfr_get_d(p, MPFR_RNDN), mpfr_get_d(x, MPFR_RNDN), l, seed);

    cr_assert_eq(tc_beta_inc_mpfr(r, p, one, x), TC_SUCCESS);
    mpfr_pow(want, x, p, MPFR_RNDN);
    l = log2_rel(r, want);
    worst = fmax(worst, l);
    cr_expect(l <= -248, "I_x(a,1) a=%g x=%g: 2^%.1f (THMCHECK_TEST_SEED=%lu)",
              mpfr_get_d(p, MPFR_RNDN), mpfr_get_d(x, MPFR_RNDN), l, seed);

    cr_assert_eq(tc_beta_inc_mpfr(r, half, half, x), TC_SUCCESS);
    mpfr_sqrt(want, x, MPFR_RNDN);
    mpfr_asin(want, want, MPFR_RNDN);
    mpfr_const_pi(t, MPFR_RNDN);
    mpfr_div(want, want, t, MPFR_RNDN);
    mpfr_mul_2ui(want, want, 1, MPFR_RNDN);
    l = log2_rel(r, want);
    worst = fmax(worst, l);
    cr_expect(l <= -248, "I_x(1/2,1/2) x=%g: 2^%.1f (THMCHECK_TEST_SEED=%lu)",
              mpfr_get_d(x, MPFR_RNDN), l, seed);
  }
  cr_log_info("closed forms at 256 bits: worst relative error 2^%.1f", worst);
  mpfr_clears(one, half, p, x, r, want, t, (mpfr_ptr)0);
  gsl_rng_free(rng);
}

Test(beta_inc, binomial_sum_for_integer_parameters)
{
  /* I_x(k, n-k+1) = sum_{j=k}^{n} C(n, j) x^j (1-x)^(n-j), here n = 30,
   * x = 3/8, summed exactly in rationals. */
  const unsigned long n = 30;
  mpq_t sum, term, xq, yq;
  mpz_t c;
  mpq_inits(sum, term, xq, yq, (mpq_ptr)0);
  mpz_init(c);
  mpq_set_ui(xq, 3, 8);
  mpq_set_ui(yq, 5, 8);
  mpfr_t a, b, x, r, want;
  mpfr_inits2(256, a, b, x, r, (mpfr_ptr)0);
  mpfr_init2(want, 600);
  mpfr_set_d(x, 0.375, MPFR_RNDN);
  double worst = -INFINITY;
  for (unsigned long k = 1; k <= n; k += 4) {
    mpq_set_ui(sum, 0, 1);
    for (unsigned long j = k; j <= n; j++) {
      mpz_bin_uiui(c, n, j);
      mpq_set_z(term, c);
      for (unsigned long e = 0; e < j; e++)
        mpq_mul(term, term, xq);
      for (unsigned long e = 0; e < n - j; e++)
        mpq_mul(term, term, yq);
      mpq_add(sum, sum, term);
    }
    mpfr_set_q(want, sum, MPFR_RNDN);
    mpfr_set_ui(a, k, MPFR_RNDN);
    mpfr_set_ui(b, n - k + 1, MPFR_RNDN);
    cr_assert_eq(tc_beta_inc_mpfr(r, a, b, x), TC_SUCCESS);
    double l = log2_rel(r, want);
    worst = fmax(worst, l);
    cr_expect(l <= -248, "k=%lu: relative error 2^%.1f", k, l);
    double ad = (double)k, bd = (double)(n - k + 1), xd = 0.375, rd;
    tc_beta_inc_d(&rd, &ad, &bd, &xd);
    double wd = mpfr_get_d(want, MPFR_RNDN);
    cr_expect(fabs(rd - wd) <= 1e-13 * wd, "gsl k=%lu: %.17g vs %.17g", k, rd, wd);
  }
  cr_log_info("binomial sums: worst relative error 2^%.1f", worst);
  mpfr_clears(a, b, x, r, want, (mpfr_ptr)0);
  mpq_clears(sum, term, xq, yq, (mpq_ptr)0);
  mpz_clear(c);
}

/* Computed with mpmath 1.3 betainc(a, b, 0, x, regularized=True) at 700
 * bits and confirmed by mp.quad of the integrand at 400-600 bits.  All
 * arguments are exact binary numbers (the 1e-10 and 0.9995 are the
 * doubles nearest to them, written out exactly), so no input rounding
 * enters. */
static const struct {
  const char *a, *b, *x, *want;
} reference[] = {
  {"3.5", "7.25", "0.1875",
   "1.64544977824512214748372081603668314069495870866916016750074260893371410442e-1"},
  {"200.5", "250.25", "0.4375",
   "3.785929338195004069981253856106376030761641508986462832863812676944047487e-1"},
  {"0.5", "3", "7.8886090522101180541172856528278622967320643510902300477027893066406250e-31",
   "1.66533453693773481063544750213535465720979698933067266901044400968599515855e-15"},
  {"2.5", "0.75", "0.9375",
   "7.49553512888076488831019659644282561556930767618970400005060300905791477226e-1"},
  {"0.03125", "40", "0.5",
   "9.99999999999998448759860745176339134823494333989635271001735909391713542458e-1"},
  {"1000", "1.0000000000000000364321973154977415791655470655996396089904010295867919921875e-10",
   "0.9995000000000000550670620214077644050121307373046875",
   "5.59925243246957444832509698337776910920867345767142186707696434060925969528e-11"},
};

Test(beta_inc, independent_reference_values)
{
  mpfr_t a, b, x, r, want;
  mpfr_inits2(256, a, b, x, r, (mpfr_ptr)0);
  mpfr_init2(want, 300);
  double worst = -INFINITY;
  for (size_t i = 0; i < sizeof reference / sizeof reference[0]; i++) {
    mpfr_set_str(a, reference[i].a, 10, MPFR_RNDN);
    mpfr_set_str(b, reference[i].b, 10, MPFR_RNDN);
    mpfr_set_str(x, reference[i].x, 10, MPFR_RNDN);
    mpfr_set_str(want, reference[i].want, 10, MPFR_RNDN);
    cr_assert_eq(tc_beta_inc_mpfr(r, a, b, x), TC_SUCCESS, "case %zu", i);
    double l = log2_rel(r, want);
    worst = fmax(worst, l);
    /* The references carry 75 digits (2^-249). */
    cr_expect(l <= -245, "case %zu: relative error 2^%.1f", i, l);
  }
  cr_log_info("mpmath references at 256 bits: worst relative error 2^%.1f", worst);
  mpfr_clears(a, b, x, r, want, (mpfr_ptr)0);
}

Test(beta_inc, cancellation_near_one_keeps_relative_accuracy)
{
  /* I_{0.9995}(1000, 1e-10) ~ 5.6e-11 is 1 - J with J ~ 1 - 5.6e-11; the
   * MPFR result at 53 bits must still be within an ulp or two (GSL 2.7
   * is off by ~2e-5 relative here, which is why the reference above is
   * not from GSL). */
  mpfr_t r, want;
  mpfr_init2(r, 53);
  mpfr_init2(want, 300);
  mpfr_set_str(want, reference[5].want, 10, MPFR_RNDN);
  cr_assert_eq(beta_mpfr_d(r, 1000.0, 1e-10, 0.9995), TC_SUCCESS);
  double l = log2_rel(r, want);
  cr_expect(l <= -51, "2^%.1f", l);
  double a = 1000.0, b = 1e-10, x = 0.9995, rd;
  tc_beta_inc_d(&rd, &a, &b, &x);
  cr_log_info("I_0.9995(1000,1e-10): mpfr@53 relative error 2^%.1f; GSL %.3g", l,
              fabs(rd / mpfr_get_d(want, MPFR_RNDN) - 1.0));
  mpfr_clears(r, want, (mpfr_ptr)0);
}

Test(beta_inc, symmetry_and_aliasing)
{
  /* I_x(a, b) + I_{1-x}(b, a) = 1 (x dyadic, so 1 - x is exact); and the
   * result may share its variable with an argument. */
  mpfr_t a, b, x, y, r, s;
  mpfr_inits2(256, a, b, x, y, r, s, (mpfr_ptr)0);
  mpfr_set_d(a, 7.5, MPFR_RNDN);
  mpfr_set_d(b, 2.25, MPFR_RNDN);
  mpfr_set_d(x, 0.8125, MPFR_RNDN);
  mpfr_ui_sub(y, 1, x, MPFR_RNDN);
  cr_assert_eq(tc_beta_inc_mpfr(r, a, b, x), TC_SUCCESS);
  cr_assert_eq(tc_beta_inc_mpfr(s, b, a, y), TC_SUCCESS);
  mpfr_add(s, s, r, MPFR_RNDN);
  mpfr_sub_ui(s, s, 1, MPFR_RNDN);
  cr_expect(mpfr_zero_p(s) || mpfr_get_exp(s) < -250, "sum - 1 = %g", mpfr_get_d(s, MPFR_RNDN));
  cr_assert_eq(tc_beta_inc_mpfr(x, a, b, x), TC_SUCCESS);
  cr_expect(mpfr_equal_p(x, r));
  cr_assert_eq(tc_beta_inc_mpfr(a, a, a, y), TC_SUCCESS); /* I_{3/16}(7.5, 7.5) into a */
  cr_expect(mpfr_cmp_d(a, 0.01) < 0 && mpfr_sgn(a) > 0);
  mpfr_clears(a, b, x, y, r, s, (mpfr_ptr)0);
}

Test(beta_inc, random_mpfr_agrees_with_gsl_and_with_itself)
{
  /* a, b log-uniform in [0.05, 60], x uniform: MPFR at 53 bits within two
   * ulps of MPFR at 256 bits, and GSL within 1e-12 relative of MPFR. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0xbe7aUL);
  mpfr_t r53, r256;
  mpfr_init2(r53, 53);
  mpfr_init2(r256, 256);
  double worst_gsl = 0.0, worst_53 = -INFINITY;
  for (int trial = 0; trial < 300; trial++) {
    double a = exp(log(0.05) + (log(60.0) - log(0.05)) * gsl_rng_uniform(rng));
    double b = exp(log(0.05) + (log(60.0) - log(0.05)) * gsl_rng_uniform(rng));
    double x = gsl_rng_uniform_pos(rng);
    double rd;
    cr_assert_eq(tc_beta_inc_d(&rd, &a, &b, &x), TC_SUCCESS);
    cr_assert_eq(beta_mpfr_d(r53, a, b, x), TC_SUCCESS);
    cr_assert_eq(beta_mpfr_d(r256, a, b, x), TC_SUCCESS);
    if (mpfr_get_exp(r256) < -1000)
      continue; /* below the double range: no relative comparison */
    double l = log2_rel(r53, r256);
    worst_53 = fmax(worst_53, l);
    cr_expect(l <= -51, "a=%.17g b=%.17g x=%.17g: mpfr@53 vs @256 2^%.1f (THMCHECK_TEST_SEED=%lu)",
              a, b, x, l, seed);
    double w = mpfr_get_d(r256, MPFR_RNDN);
    double e = fabs(rd - w) / w;
    worst_gsl = fmax(worst_gsl, e);
    cr_expect(e < 1e-12, "a=%.17g b=%.17g x=%.17g: gsl %.17g mpfr %.17g rel %g (THMCHECK_TEST_SEED=%lu)",
              a, b, x, rd, w, e, seed);
  }
  cr_log_info("random: worst GSL vs MPFR relative %g; mpfr@53 vs @256 2^%.1f", worst_gsl, worst_53);
  mpfr_clears(r53, r256, (mpfr_ptr)0);
  gsl_rng_free(rng);
}
