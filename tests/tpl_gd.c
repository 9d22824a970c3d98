/* Tests of the pl-gd check module (checks/pl_gd.c): closed forms, the
 * measured constants against the constructed ones, double vs MPFR, the
 * parameter validation, and that the measured rows separate the stated
 * rate (1 - mu/L)^k from a tightened one (1 - 2 mu/L)^k, so the check can
 * fail.  Random instances come from fixed seeds; TC_TEST_SEED changes
 * them (the seed is printed on failure). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"

extern const tc_check tc_check_pl_gd;

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261123u;
}

typedef struct {
  char texts[5][32];
  tc_point_value v[5];
  tc_point p;
} point5;

static void make_point(point5 *pt, const char *family, double d, double kappa, double iters,
                       const char *start)
{
  snprintf(pt->texts[0], 32, "%s", family);
  snprintf(pt->texts[1], 32, "%.17g", d);
  snprintf(pt->texts[2], 32, "%.17g", kappa);
  snprintf(pt->texts[3], 32, "%.17g", iters);
  snprintf(pt->texts[4], 32, "%s", start);
  pt->v[0] = (tc_point_value){"family", NAN, pt->texts[0]};
  pt->v[1] = (tc_point_value){"d", d, pt->texts[1]};
  pt->v[2] = (tc_point_value){"kappa", kappa, pt->texts[2]};
  pt->v[3] = (tc_point_value){"iterations", iters, pt->texts[3]};
  pt->v[4] = (tc_point_value){"start", NAN, pt->texts[4]};
  pt->p = (tc_point){5, pt->v};
}

/* Run one instance; bits == 0 means the double backend. */
static tc_record *run(const char *family, double d, double kappa, double iters, const char *start,
                      uint64_t seed, mpfr_prec_t bits)
{
  point5 pt;
  make_point(&pt, family, d, kappa, iters, start);
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? tc_check_pl_gd.measure_mpfr : tc_check_pl_gd.measure_d)(r, &inst, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s d=%g kappa=%g start=%s seed=%llu: %s", family, d, kappa,
               start, (unsigned long long)seed, err);
  cr_assert_eq(tc_record_rows(r), (size_t)iters);
  cr_assert_not_null(tc_record_get_note(r));
  return r;
}

static void get(mpfr_ptr out, const tc_record *r, size_t row, const char *name)
{
  cr_assert_eq(tc_record_get(out, r, row, name), TC_SUCCESS, "row %zu lacks %s", row, name);
}

static double getd(const tc_record *r, size_t row, const char *name)
{
  mpfr_t x;
  mpfr_init2(x, 256);
  get(x, r, row, name);
  double v = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  return v;
}

static const char *const families[] = {"quadratic", "singular-quadratic", "lstsq-rankdef", "nonconvex-pl"};

/* ---- closed form ------------------------------------------------------ */

/* x_0 - x* along the eigenvector of lambda = mu: e_k = (1 - mu/L)^k e_0, so
 * gap_k = (1 - mu/L)^{2k} gap_0 exactly.  Compared while the true value
 * is far above the rounding floor of the singular families (their null
 * components meet O(u L) eigenvalues). */
static void check_closed_form(const char *family, double d, double kappa, mpfr_prec_t bits,
                              double tol, double floor_ratio)
{
  long K = 150;
  uint64_t seed = base_seed() + (uint64_t)(d * 7 + kappa);
  tc_record *r = run(family, d, kappa, (double)K, "slow", seed, bits);
  mpfr_prec_t p = bits ? bits : 64;
  mpfr_t gap, gap0, mu, L, q, rel;
  mpfr_inits2(p, gap, gap0, mu, L, q, rel, (mpfr_ptr)0);
  size_t compared = 0;
  for (long k = 1; k <= K; k++) {
    get(gap, r, (size_t)(k - 1), "gap");
    get(gap0, r, (size_t)(k - 1), "gap0");
    get(mu, r, (size_t)(k - 1), "mu");
    get(L, r, (size_t)(k - 1), "L");
    mpfr_div(q, mu, L, MPFR_RNDN);
    mpfr_ui_sub(q, 1, q, MPFR_RNDN);
    mpfr_pow_si(q, q, 2 * k, MPFR_RNDN);
    if (mpfr_zero_p(q)) { /* mu = L (d = 1): one step reaches x* exactly */
      cr_assert(mpfr_zero_p(gap), "%s d=%g: mu = L but gap_%ld = %.3g", family, d, k,
                mpfr_get_d(gap, MPFR_RNDN));
      compared++;
      continue;
    }
    if (mpfr_get_d(q, MPFR_RNDN) < floor_ratio)
      break;
    mpfr_mul(q, q, gap0, MPFR_RNDN);
    mpfr_sub(rel, gap, q, MPFR_RNDN);
    mpfr_div(rel, rel, q, MPFR_RNDN);
    double drel = fabs(mpfr_get_d(rel, MPFR_RNDN));
    cr_assert(drel <= tol, "%s d=%g kappa=%g bits=%ld seed=%llu k=%ld: gap/(1-mu/L)^2k gap0 - 1 = %.3g",
              family, d, kappa, (long)bits, (unsigned long long)seed, k, drel);
    compared++;
  }
  cr_assert_gt(compared, 3, "%s kappa=%g: too few rows above the floor", family, kappa);
  mpfr_clears(gap, gap0, mu, L, q, rel, (mpfr_ptr)0);
  tc_record_free(r);
}

Test(pl_gd, closed_form_double)
{
  for (int f = 0; f < 3; f++)
    for (double kappa = 3; kappa <= 1e4; kappa *= 30)
      check_closed_form(families[f], 8, kappa, 0, 1e-11, 1e-4);
  check_closed_form("quadratic", 1, 1, 0, 0, 0); /* d = 1: mu = L, gap_k = 0 */
}

Test(pl_gd, closed_form_mpfr_256)
{
  for (int f = 0; f < 3; f++)
    for (double kappa = 3; kappa <= 1e4; kappa *= 30)
      check_closed_form(families[f], 8, kappa, 256, 1e-60, 1e-12);
}

/* ---- measured constants ----------------------------------------------- */

/* mu_1 = inf R, R(x) = (2x + 3 sin 2x)^2 / (2 (x^2 + 3 sin^2 x)), by an
 * independent method: Newton on R'(x) = 0 (central differences in long
 * double) from a fine scan's best point. */
static long double ncv_ratio(long double x)
{
  long double g = 2 * x + 3 * sinl(2 * x), s = sinl(x);
  return g * g / (2 * (x * x + 3 * s * s));
}

static long double ncv_mu1(void)
{
  long double best = 1e9L, xb = 0;
  for (long i = 1; i <= 400000; i++) {
    long double x = (long double)i * 5e-5L, v = ncv_ratio(x);
    if (v < best) {
      best = v;
      xb = x;
    }
  }
  for (int it = 0; it < 30; it++) {
    long double h = 1e-5L;
    long double d1 = (ncv_ratio(xb + h) - ncv_ratio(xb - h)) / (2 * h);
    long double d2 = (ncv_ratio(xb + h) - 2 * ncv_ratio(xb) + ncv_ratio(xb - h)) / (h * h);
    xb -= d1 / d2;
  }
  return ncv_ratio(xb);
}

Test(pl_gd, measured_constants)
{
  uint64_t seed = base_seed();
  for (int b = 0; b < 2; b++) {
    mpfr_prec_t bits = b ? 200 : 0;
    double tol = b ? 1e-50 : 1e-12;
    for (int f = 0; f < 3; f++)
      for (double kappa = 1; kappa <= 1e8; kappa *= 100) {
        tc_record *r = run(families[f], 12, kappa, 2, "random", seed + (uint64_t)f, bits);
        double mu = getd(r, 0, "mu"), L = getd(r, 0, "L");
        /* The spectrum spans [1/kappa, 1] with both ends; for the singular
         * families mu is the smallest NONZERO eigenvalue. */
        cr_assert(fabs(L - 1) <= tol, "%s kappa=%g: L=%.17g", families[f], kappa, L);
        cr_assert(fabs(mu * kappa - 1) <= tol * kappa, "%s kappa=%g: mu=%.17g", families[f], kappa, mu);
        if (f > 0)
          cr_assert(strstr(tc_record_get_note(r), " 0 zero eigenvalues") == NULL,
                    "%s: %s", families[f], tc_record_get_note(r));
        tc_record_free(r);
      }
    /* d = 1 quadratic: one eigenvalue, mu = L. */
    tc_record *r = run("quadratic", 1, 50, 2, "random", seed, bits);
    cr_assert_eq(getd(r, 0, "mu"), getd(r, 0, "L"));
    tc_record_free(r);
  }
  long double mu1 = ncv_mu1();
  cr_assert(fabsl(mu1 - 0.17553098L) < 1e-7L, "independent mu_1 = %.12Lg", mu1);
  for (int b = 0; b < 2; b++)
    for (double kappa = 1; kappa <= 1e4; kappa *= 100) {
      tc_record *r = run("nonconvex-pl", 6, kappa, 2, "random", seed, b ? 128 : 0);
      double mu = getd(r, 0, "mu"), L = getd(r, 0, "L");
      cr_assert_eq(L, 8.0, "nonconvex L = 8 max a_j = 8, got %.17g", L);
      cr_assert(fabsl((long double)mu * kappa / mu1 - 1) < 1e-9L, "kappa=%g: mu=%.17g, mu_1/kappa=%.17Lg",
                kappa, mu, mu1 / kappa);
      tc_record_free(r);
    }
}

/* ---- double vs MPFR --------------------------------------------------- */

Test(pl_gd, double_agrees_with_mpfr)
{
  uint64_t seed = base_seed() + 99;
  for (int f = 0; f < 4; f++)
    for (int s = 0; s < 2; s++)
      for (int rep = 0; rep < 2; rep++) {
        const char *start = s ? "slow" : "random";
        double kappa = rep ? 1e5 : 30;
        tc_record *rd = run(families[f], 10, kappa, 120, start, seed + (uint64_t)rep, 0);
        tc_record *rm = run(families[f], 10, kappa, 120, start, seed + (uint64_t)rep, 160);
        double worst = 0;
        for (size_t i = 0; i < 120; i++) {
          const char *names[] = {"gap", "gap0", "mu", "L"};
          for (int n = 0; n < 4; n++) {
            double a = getd(rd, i, names[n]), b = getd(rm, i, names[n]);
            /* The double gap may differ by its own rounding estimate
             * gap_err (the singular families' null components meet
             * O(u L) eigenvalues); beyond that, 1e-10 relative. */
            double allow = n == 0 ? getd(rd, i, "gap_err") : 0;
            worst = fmax(worst, fmax(fabs(a - b) - allow, 0) / fabs(b));
          }
        }
        cr_assert(worst <= 1e-10, "%s start=%s kappa=%g seed=%llu: relative difference %.3g",
                  families[f], start, kappa, (unsigned long long)(seed + (uint64_t)rep), worst);
        tc_record_free(rd);
        tc_record_free(rm);
      }
}

/* ---- validation ------------------------------------------------------- */

static void expect_rejected(const char *family, const char *d, const char *kappa, const char *iters,
                            const char *start, const char *names_param)
{
  tc_point_value v[5];
  size_t n = 0;
  if (family)
    v[n++] = (tc_point_value){"family", NAN, family};
  if (d)
    v[n++] = (tc_point_value){"d", strtod(d, NULL) != 0 || d[0] == '0' ? strtod(d, NULL) : NAN, d};
  if (kappa)
    v[n++] = (tc_point_value){"kappa", strtod(kappa, NULL) != 0 || kappa[0] == '0' ? strtod(kappa, NULL) : NAN, kappa};
  if (iters)
    v[n++] = (tc_point_value){"iterations", strtod(iters, NULL), iters};
  if (start)
    v[n++] = (tc_point_value){"start", NAN, start};
  tc_point p = {n, v};
  char err[256] = "";
  cr_assert_eq(tc_check_validate(&tc_check_pl_gd, &p, NULL, err, sizeof err), TC_EDOM, "accepted %s %s %s %s %s",
               family, d, kappa, iters, start);
  cr_assert(strstr(err, names_param) != NULL, "message '%s' does not name %s", err, names_param);
  /* measure refuses the same point rather than running it */
  tc_instance inst = {NULL, &p, 0, 1, 128, NULL, NULL};
  tc_record *r = tc_record_alloc(64);
  cr_assert_eq(tc_check_pl_gd.measure_d(r, &inst, err, sizeof err), TC_EDOM);
  tc_record_free(r);
}

Test(pl_gd, validate)
{
  point5 pt;
  char err[256];
  for (int f = 0; f < 4; f++) {
    make_point(&pt, families[f], 2, 1, 1, "slow");
    cr_assert_eq(tc_check_validate(&tc_check_pl_gd, &pt.p, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
  }
  make_point(&pt, "quadratic", 1, 1e10, 100000, "random");
  cr_assert_eq(tc_check_validate(&tc_check_pl_gd, &pt.p, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
  expect_rejected("cubic", "3", "10", "5", "random", "family");
  expect_rejected(NULL, "3", "10", "5", "random", "family");
  expect_rejected("quadratic", "0", "10", "5", "random", "d ");
  expect_rejected("quadratic", "2.5", "10", "5", "random", "d ");
  expect_rejected("quadratic", NULL, "10", "5", "random", "parameter d");
  expect_rejected("quadratic", "many", "10", "5", "random", "d ");
  expect_rejected("singular-quadratic", "1", "10", "5", "random", "d ");
  expect_rejected("lstsq-rankdef", "1", "10", "5", "random", "d ");
  expect_rejected("quadratic", "3", "0.5", "5", "random", "kappa");
  expect_rejected("quadratic", "3", "1e11", "5", "random", "kappa");
  expect_rejected("quadratic", "3", "huge", "5", "random", "kappa");
  expect_rejected("quadratic", "3", NULL, "5", "random", "kappa");
  expect_rejected("quadratic", "3", "10", "0", "random", "iterations");
  expect_rejected("quadratic", "3", "10", "2.5", "random", "iterations");
  expect_rejected("quadratic", "3", "10", NULL, "random", "iterations");
  expect_rejected("quadratic", "3", "10", "5", "fast", "start");
}

/* ---- the check can fail ----------------------------------------------- */

/* Evaluate, as the engine does, gap <= c^k gap0 + gap_err with
 * c = 1 - factor mu/L, in MPFR on the stored values; return the largest
 * (gap - rhs) / rhs, the violation margin. */
static double worst_margin(const tc_record *r, double factor, mpfr_prec_t p)
{
  mpfr_t gap, gap0, mu, L, ge, rhs, t;
  mpfr_inits2(p, gap, gap0, mu, L, ge, rhs, t, (mpfr_ptr)0);
  double worst = -INFINITY;
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    get(t, r, i, "k");
    long k = mpfr_get_si(t, MPFR_RNDN);
    get(gap, r, i, "gap");
    get(gap0, r, i, "gap0");
    get(mu, r, i, "mu");
    get(L, r, i, "L");
    get(ge, r, i, "gap_err");
    mpfr_div(rhs, mu, L, MPFR_RNDN);
    mpfr_mul_d(rhs, rhs, factor, MPFR_RNDN);
    mpfr_ui_sub(rhs, 1, rhs, MPFR_RNDN);
    mpfr_pow_si(rhs, rhs, k, MPFR_RNDN);
    mpfr_mul(rhs, rhs, gap0, MPFR_RNDN);
    mpfr_add(rhs, rhs, ge, MPFR_RNDN);
    mpfr_sub(t, gap, rhs, MPFR_RNDN);
    mpfr_div(t, t, rhs, MPFR_RNDN);
    worst = fmax(worst, mpfr_get_d(t, MPFR_RNDN));
  }
  mpfr_clears(gap, gap0, mu, L, ge, rhs, t, (mpfr_ptr)0);
  return worst;
}

Test(pl_gd, stated_rate_holds_everywhere)
{
  uint64_t seed = base_seed() + 7;
  const double kappas[] = {1, 1.0000001, 2, 10, 1e3, 1e6};
  const double dims[] = {1, 2, 7, 20};
  for (int f = 0; f < 4; f++)
    for (size_t di = 0; di < 4; di++)
      for (size_t ki = 0; ki < 6; ki++)
        for (int s = 0; s < 2; s++) {
          if (dims[di] < 2 && (f == 1 || f == 2))
            continue;
          const char *start = s ? "slow" : "random";
          for (int b = 0; b < 2; b++) {
            if (b && dims[di] > 7)
              continue; /* MPFR at d = 20 only costs time */
            mpfr_prec_t bits = b ? 128 : 0;
            tc_record *r = run(families[f], dims[di], kappas[ki], 200, start, seed, bits);
            double m = worst_margin(r, 1.0, bits ? bits : 64);
            /* the engine's allowance for a "near" row is 2^-40 relative */
            cr_assert(m <= ldexp(1.0, -40), "%s d=%g kappa=%g start=%s bits=%ld seed=%llu: "
                      "gap exceeds (1-mu/L)^k gap0 + gap_err by %.3g relative",
                      families[f], dims[di], kappas[ki], start, (long)bits,
                      (unsigned long long)seed, m);
            tc_record_free(r);
          }
        }
}

Test(pl_gd, tightened_rate_fails)
{
  /* (1 - 2 mu/L)^k is what the rate would be if GD contracted the gap as
   * fast as the PL inequality allows; on the slowest eigenvector a
   * quadratic's gap contracts by (1 - mu/L)^2 = 1 - 2mu/L + (mu/L)^2 per
   * step, so some row violates the tightened bound whenever kappa >= 2. */
  uint64_t seed = base_seed() + 3;
  const double kappas[] = {2, 10, 1e3, 1e6};
  for (int f = 0; f < 3; f++)
    for (size_t ki = 0; ki < 4; ki++)
      for (int b = 0; b < 2; b++) {
        mpfr_prec_t bits = b ? 128 : 0;
        /* The violation grows like (1 + (mu/L)^2)^k, 5e-11 relative after
         * 50 steps at kappa = 1e6: below double's rounding of the gap
         * (u kappa, which gap_err estimates), so only MPFR resolves it. */
        if (!b && kappas[ki] > 1e4)
          continue;
        tc_record *r = run(families[f], 6, kappas[ki], 50, "slow", seed, bits);
        double m = worst_margin(r, 2.0, bits ? bits : 64);
        cr_assert(m > (b ? 1e-20 : 1e-9), "%s kappa=%g bits=%ld: tightened bound not violated (margin %.3g)",
                  families[f], kappas[ki], (long)bits, m);
        /* and the stated bound holds on the same rows */
        cr_assert(worst_margin(r, 1.0, bits ? bits : 64) <= 0);
        tc_record_free(r);
      }
  /* Random starts reach the slow direction too, given enough steps: at
   * kappa = 10 the excess over the tightened bound grows like 1.0125^k,
   * so K = 2000 catches any start whose slow component carries more than
   * 1e-10 of gap0.  The singular families' gap has a rounding floor
   * (gap_err ~ u L ||e_null||^2) that 0.81^2000 ~ 1e-183 is below, so they
   * are checked in MPFR at 1024 bits only. */
  for (int f = 0; f < 3; f++)
    for (int b = 0; b < 2; b++) {
      if (!b && f > 0)
        continue;
      mpfr_prec_t bits = b ? (f > 0 ? 1024 : 128) : 0;
      tc_record *r = run(families[f], 6, 10, 2000, "random", seed, bits);
      cr_assert(worst_margin(r, 2.0, bits ? bits : 64) > 1e-9,
                "%s random start bits=%ld seed=%llu: tightened bound not violated", families[f],
                (long)bits, (unsigned long long)seed);
      tc_record_free(r);
    }
  /* nonconvex-pl started at the worst point of its PL inequality: the
   * first step nearly attains the stated rate (gap_1 / bound_1 =
   * 1 - 0.022/kappa) and beats the tightened one by about 2.8e-4/kappa^2
   * relative for kappa >= 10 (not for kappa = 2, where the step leaves the
   * tight region: measured ratio 0.99987).  At kappa = 1e6 that excess,
   * 3e-16, is below double's rounding, so only MPFR resolves it. */
  const double ncv_kappas[] = {10, 1e3, 1e6};
  for (size_t ki = 0; ki < 3; ki++)
    for (int b = 0; b < 2; b++) {
      if (!b && ncv_kappas[ki] > 1e4)
        continue;
      mpfr_prec_t bits = b ? 128 : 0;
      tc_record *r = run("nonconvex-pl", 3, ncv_kappas[ki], 20, "slow", seed, bits);
      double m2 = worst_margin(r, 2.0, bits ? bits : 64), m1 = worst_margin(r, 1.0, bits ? bits : 64);
      cr_assert(m2 > (b ? 1e-25 : 1e-12), "nonconvex kappa=%g bits=%ld: tightened margin %.3g",
                ncv_kappas[ki], (long)bits, m2);
      cr_assert(m1 <= 0 && m1 > -0.03, "nonconvex kappa=%g: stated margin %.3g", ncv_kappas[ki], m1);
      tc_record_free(r);
    }
}

/* gap_err must not make the check vacuous: away from kappa = 1 it is
 * negligible next to the bound. */
Test(pl_gd, rounding_allowance_is_small)
{
  uint64_t seed = base_seed() + 11;
  for (int f = 0; f < 4; f++)
    for (int b = 0; b < 2; b++) {
      mpfr_prec_t bits = b ? 128 : 0;
      tc_record *r = run(families[f], 10, 1e3, 200, "slow", seed, bits);
      for (size_t i = 0; i < 200; i++) {
        double k = getd(r, i, "k"), mu = getd(r, i, "mu"), L = getd(r, i, "L");
        double rhs = pow(1 - mu / L, k) * getd(r, i, "gap0");
        double ge = getd(r, i, "gap_err");
        cr_assert(ge >= 0 && ge <= (b ? 1e-25 : 1e-6) * rhs, "%s bits=%ld k=%g: gap_err %.3g vs bound %.3g",
                  families[f], (long)bits, k, ge, rhs);
      }
      tc_record_free(r);
    }
}

/* kappa = 1: the bound (1 - mu/L)^k gap0 is 0 (or O(u)) for k >= 1 and the
 * measured gap is rounding noise; gap_err covers it in both backends. */
Test(pl_gd, kappa_one_is_rounding_only)
{
  uint64_t seed = base_seed() + 5;
  for (int f = 0; f < 3; f++)
    for (int b = 0; b < 2; b++) {
      mpfr_prec_t bits = b ? 128 : 0;
      tc_record *r = run(families[f], 5, 1, 10, "random", seed, bits);
      for (size_t i = 0; i < 10; i++) {
        double gap = getd(r, i, "gap"), ge = getd(r, i, "gap_err"), g0 = getd(r, i, "gap0");
        cr_assert(fabs(gap) <= ge, "%s bits=%ld row %zu: gap %.3g > gap_err %.3g", families[f],
                  (long)bits, i, gap, ge);
        cr_assert(ge <= (b ? 1e-30 : 1e-10) * g0, "%s: gap_err %.3g too large", families[f], ge);
      }
      tc_record_free(r);
    }
}

Test(pl_gd, deterministic_given_seed)
{
  for (int f = 0; f < 4; f++) {
    tc_record *a = run(families[f], 4, 100, 20, "random", 77, 128);
    tc_record *b = run(families[f], 4, 100, 20, "random", 77, 128);
    tc_record *c = run(families[f], 4, 100, 20, "random", 78, 128);
    cr_assert_eq(getd(a, 19, "gap"), getd(b, 19, "gap"));
    cr_assert_neq(getd(a, 19, "gap0"), getd(c, 19, "gap0"));
    tc_record_free(a);
    tc_record_free(b);
    tc_record_free(c);
  }
}

/* ---- the per-step ratio ------------------------------------------------ */

/* Slow start on a quadratic: every step contracts the gap by exactly
 * (1 - mu/L)^2, below the one-step bound 1 - mu/L and the PEP rate
 * (1 - mu/L)/(1 + mu/(2L)), and at the exponent-doubled bound itself
 * (which the per-step search therefore cannot refute on this family). */
static void check_ratio(mpfr_prec_t bits, double tol)
{
  tc_record *r = run("quadratic", 3, 1e3, 20, "slow", base_seed(), bits);
  for (size_t i = 0; i < 20; i++) {
    double q = getd(r, i, "mu") / getd(r, i, "L"), ratio = getd(r, i, "ratio");
    double rerr = getd(r, i, "ratio_err");
    cr_assert(fabs(ratio - (1 - q) * (1 - q)) <= tol, "row %zu: ratio %.17g vs %.17g", i, ratio,
              (1 - q) * (1 - q));
    cr_assert(ratio <= 1 - q && ratio <= (1 - q) / (1 + q / 2));
    cr_assert(rerr >= 0 && rerr < 1e-10, "row %zu: ratio_err %g", i, rerr);
    if (i > 0) /* ratio is gap_k / gap_{k-1} */
      cr_assert(fabs(getd(r, i, "gap") / getd(r, i - 1, "gap") - ratio) <= 1e-14);
  }
  tc_record_free(r);
}

Test(pl_gd, step_ratio_closed_form_double)
{
  check_ratio(0, 1e-12);
}

Test(pl_gd, step_ratio_closed_form_mpfr)
{
  check_ratio(256, 1e-15);
}

/* kappa = 1: x_1 = x* up to rounding, so later ratios are rounding noise
 * and must be marked (ratio_err = 2, ratio 0), never a number in [0, 1]
 * that could decide a claim. */
Test(pl_gd, step_ratio_at_floor_is_marked)
{
  tc_record *r = run("quadratic", 4, 1, 5, "random", base_seed(), 0);
  for (size_t i = 1; i < 5; i++)
    cr_assert(getd(r, i, "ratio_err") >= getd(r, i, "ratio"), "row %zu", i);
  tc_record_free(r);
}
