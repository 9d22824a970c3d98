/* tests/tdeep_ntk.c — check module "deep-ntk" (checks/deep_ntk.c,
 * deep_ntk_source.h) in both precisions: the recursion against closed
 * values and, at L = 1, against the two-layer arc-cosine kernels of
 * checks/twolayer_source.h; the stable angle on nearly parallel inputs;
 * the network's back-propagated gradient against central differences of
 * f; Monte Carlo means against the limit; and the catalog mutation test.
 * The module's static functions are reached by including checks/deep_ntk.c
 * (its descriptor renamed).  Fixed seeds; TC_TEST_SEED changes them. */
#define tc_check_deep_ntk tc_check_deep_ntk_under_test
#include "../checks/deep_ntk.c"
#define TC_TEMPLATE "twolayer_source.h"
#include "num/tc_instantiate.h"
#include <criterion/criterion.h>
#include "tsaddle_util.h"

#define PI 3.14159265358979323846

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261123u;
}

/* The limit kernels of (x, y) in MPFR at `bits` (bits == 0: double), read back. */
static tc_record *limit_of(const double *x, const double *y, size_t d, size_t L, double c, mpfr_prec_t bits)
{
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  int st;
  if (bits) {
    tc_vec_mpfr *vx = tc_vec_alloc_mpfr(d, bits), *vy = tc_vec_alloc_mpfr(d, bits);
    for (size_t l = 0; l < d; l++) {
      mpfr_set_d(vx->data[l], x[l], MPFR_RNDN);
      mpfr_set_d(vy->data[l], y[l], MPFR_RNDN);
    }
    st = deep_ntk_limit_put_mpfr(r, vx, vy, L, c, bits);
    tc_vec_free_mpfr(vx);
    tc_vec_free_mpfr(vy);
  } else {
    tc_vec_d *vx = tc_vec_alloc_d(d, 53), *vy = tc_vec_alloc_d(d, 53);
    memcpy(vx->data, x, d * sizeof *x);
    memcpy(vy->data, y, d * sizeof *y);
    st = deep_ntk_limit_put_d(r, vx, vy, L, c, 53);
    tc_vec_free_d(vx);
    tc_vec_free_d(vy);
  }
  cr_assert_eq(st, TC_SUCCESS);
  cr_assert_eq(tc_record_end_row(r), TC_SUCCESS);
  return r;
}

static double lim(const double *x, const double *y, size_t d, size_t L, double c, mpfr_prec_t bits, const char *name)
{
  tc_record *r = limit_of(x, y, d, L, c, bits);
  double v = tcu_getd(r, 0, name);
  tc_record_free(r);
  return v;
}

/* Closed values on the unit sphere (c = 2): Theta(x, x) = L + 1, Theta = 1/pi
 * for orthogonal inputs at L = 1, Theta(x, -x) = 0 at L = 1 and 1/pi at L = 2;
 * c = 1: Theta(x, x) = (L + 1) 2^-L. */
Test(deep_ntk, recursion_closed_values)
{
  double e0[3] = {1, 0, 0}, e1[3] = {0, 1, 0}, m0[3] = {-1, 0, 0};
  for (int b = 0; b < 2; b++) {
    mpfr_prec_t bits = b ? 256 : 0;
    double tol = b ? 1e-15 : 1e-14;
    for (size_t L = 1; L <= 6; L++) {
      cr_expect_float_eq(lim(e0, e0, 3, L, 2, bits, "theta_inf"), (double)(L + 1), tol * L, "L=%zu", L);
      cr_expect_float_eq(lim(e0, e0, 3, L, 1, bits, "theta_inf"), (L + 1) * ldexp(1, -(int)L), tol, "L=%zu", L);
      cr_expect_float_eq(lim(e0, e0, 3, L, 2, bits, "sigma_L"), 1.0, tol);
    }
    cr_expect_float_eq(lim(e0, e1, 3, 1, 2, bits, "theta_inf"), 1 / PI, tol);
    cr_expect_eq(lim(e0, m0, 3, 1, 2, bits, "theta_inf"), 0.0, "Theta(x, -x) = 0 exactly at L = 1");
    cr_expect_float_eq(lim(e0, m0, 3, 2, 2, bits, "theta_inf"), 1 / PI, tol);
    cr_expect_float_eq(lim(e0, e0, 3, 2, 2, bits, "theta_notes"), 1.0, tol, "the notes' K_2(x, x) = 1");
  }
}

/* At L = 1 the recursion is the two-layer kernel: Sigma^(0) Sigma-dot^(1) =
 * c H_inf and Sigma^(1) = c k_1 (twolayer_arccos degrees 0 and 1). */
#define TWO_LAYER_TEST(SUF, BITS, TOL)                                                                    \
  do {                                                                                                    \
    gsl_rng *rng = tc_rng_alloc(base_seed());                                                             \
    for (int t = 0; t < 20; t++) {                                                                        \
      double x[5], y[5];                                                                                  \
      for (size_t l = 0; l < 5; l++) {                                                                    \
        x[l] = gsl_ran_gaussian(rng, 1.0);                                                                \
        y[l] = gsl_ran_gaussian(rng, 1.0);                                                                \
      }                                                                                                   \
      tc_mat_##SUF *X = tc_mat_alloc_##SUF(2, 5, BITS), *K0 = tc_mat_alloc_##SUF(2, 2, BITS),             \
                   *K1 = tc_mat_alloc_##SUF(2, 2, BITS);                                                  \
      for (size_t l = 0; l < 5; l++) {                                                                    \
        tc_real_set_double_##SUF(tc_mat_at_##SUF(X, 0, l), x[l]);                                         \
        tc_real_set_double_##SUF(tc_mat_at_##SUF(X, 1, l), y[l]);                                         \
      }                                                                                                   \
      twolayer_arccos_##SUF(K0, X, 0, BITS);                                                              \
      twolayer_arccos_##SUF(K1, X, 1, BITS);                                                              \
      double h0 = tc_real_get_double_##SUF(tc_mat_at_##SUF(K0, 0, 1));                                   \
      double k1 = tc_real_get_double_##SUF(tc_mat_at_##SUF(K1, 0, 1));                                   \
      double c = t % 2 ? 2.0 : 1.0;                                                                       \
      double th = lim(x, y, 5, 1, c, BITS == 53 ? 0 : BITS, "theta_inf");                                 \
      double s1 = lim(x, y, 5, 1, c, BITS == 53 ? 0 : BITS, "sigma_L");                                   \
      cr_expect(fabs(th - c * (h0 + k1)) <= TOL * (1 + fabs(th)), "theta %.17g vs %.17g", th, c * (h0 + k1)); \
      cr_expect(fabs(s1 - c * k1) <= TOL * (1 + fabs(s1)), "sigma %.17g vs %.17g", s1, c * k1);           \
      tc_mat_free_##SUF(X);                                                                               \
      tc_mat_free_##SUF(K0);                                                                              \
      tc_mat_free_##SUF(K1);                                                                              \
    }                                                                                                     \
    gsl_rng_free(rng);                                                                                    \
  } while (0)

Test(deep_ntk, one_hidden_layer_is_the_two_layer_kernel)
{
  TWO_LAYER_TEST(d, 53, 1e-13);
  TWO_LAYER_TEST(mpfr, 200, 1e-15);
}

/* Nearly parallel inputs: the deficit Theta(x,x) - Theta(x,y) = O(eps) must
 * come out of double with nearly full relative accuracy (acos of a rounded
 * correlation would lose half the digits: 1 - rho ~ eps^2). */
Test(deep_ntk, stable_angle_nearly_parallel)
{
  for (int k = 3; k <= 7; k++) {
    double eps = pow(10, -k), x[4] = {1, 0, 0, 0}, y[4] = {cos(eps), sin(eps), 0, 0};
    for (size_t L = 1; L <= 5; L += 2) {
      double dd = lim(x, x, 4, L, 2, 0, "theta_inf") - lim(x, y, 4, L, 2, 0, "theta_inf");
      tc_record *r = limit_of(x, y, 4, L, 2, 300);
      mpfr_t a;
      mpfr_init2(a, 300);
      tc_record_get(a, r, 0, "theta_inf");
      mpfr_si_sub(a, (long)L + 1, a, MPFR_RNDN);
      double dm = mpfr_get_d(a, MPFR_RNDN);
      /* 1e-14 (L + 1): the rounding of the subtraction above; acos of the
       * rounded correlation would be off by ~1e-8 L at eps = 1e-7 */
      cr_expect(fabs(dd - dm) <= 1e-14 * (double)(L + 1), "eps=%g L=%zu: deficit %.17g (double) vs %.17g", eps, L, dd, dm);
      mpfr_clear(a);
      tc_record_free(r);
    }
  }
  /* the series of sin t - t cos t against MPFR at 400 bits */
  for (double t = 1e-4; t < 1; t *= 3.7) {
    double g, s = sin(t), c = cos(t);
    deep_ntk_sin_minus_d(&g, &t, &s, &c, 53);
    mpfr_t T, S, C;
    mpfr_inits2(400, T, S, C, (mpfr_ptr)0);
    mpfr_set_d(T, t, MPFR_RNDN);
    mpfr_sin(S, T, MPFR_RNDN);
    mpfr_cos(C, T, MPFR_RNDN);
    mpfr_mul(C, C, T, MPFR_RNDN);
    mpfr_sub(S, S, C, MPFR_RNDN);
    double ref = mpfr_get_d(S, MPFR_RNDN);
    cr_expect(fabs(g - ref) <= 1e-14 * ref, "t=%g: %.17g vs %.17g", t, g, ref);
    mpfr_clears(T, S, C, (mpfr_ptr)0);
  }
}

/* One network at width m: K (3), G (3), f (2) and a probe gradient, in double. */
static void net_d(double *K, double *G, double *f, double *grad, const double *x, const double *y, size_t n, size_t d,
                  size_t m, size_t L, uint64_t seed, const deep_probe *probe)
{
  tc_vec_d *v[2] = {tc_vec_alloc_d(d, 53), tc_vec_alloc_d(d, 53)};
  memcpy(v[0]->data, x, d * sizeof *x);
  memcpy(v[1]->data, y, d * sizeof *y);
  double *Kp[3] = {K, K + 1, K + 2}, *Gp[3] = {G, G + 1, G + 2}, *fp[2] = {f, f + 1};
  deep_net_cfg_d cfg = {n, d, m, L, 2.0, seed, probe, 53};
  cr_assert_eq(deep_ntk_net_d(Kp, Gp, fp, grad, (tc_vec_d *const *)v, &cfg), TC_SUCCESS);
  tc_vec_free_d(v[0]);
  tc_vec_free_d(v[1]);
}

/* df/dw by back-propagation against central differences of f, for a weight
 * in every layer (f is piecewise linear in one weight: exact away from a
 * kink), and Theta_m(x, x) against the sum of squared gradients it is. */
Test(deep_ntk, gradient_against_finite_differences)
{
  const size_t d = 5, m = 12, L = 3;
  double x[5] = {0.3, -0.7, 0.2, 0.5, -0.1}, y[5] = {0};
  for (size_t h = 1; h <= L + 1; h++)
    for (int t = 0; t < 6; t++) {
      size_t row = h == L + 1 ? 0 : (size_t)(3 * t + 1) % m, col = (size_t)(5 * t + 2) % (h == 1 ? d : m);
      deep_probe p0 = {h, row, col, 0}, pp = {h, row, col, 1e-6}, pm = {h, row, col, -1e-6};
      double K[3], G[3], f0[2], fp[2], fm[2], grad = NAN, dummy;
      net_d(K, G, f0, &grad, x, y, 1, d, m, L, base_seed() + (uint64_t)t, &p0);
      net_d(K, G, fp, &dummy, x, y, 1, d, m, L, base_seed() + (uint64_t)t, &pp);
      net_d(K, G, fm, &dummy, x, y, 1, d, m, L, base_seed() + (uint64_t)t, &pm);
      double fd = (fp[0] - fm[0]) / 2e-6;
      cr_expect(fabs(fd - grad) <= 1e-7 * (1 + fabs(grad)), "layer %zu (%zu, %zu): backprop %.12g, differences %.12g",
                h, row, col, grad, fd);
    }
  /* Theta_m(x, x) = |grad f|^2: sum the squared probe gradients of a tiny net */
  const size_t mm = 3, LL = 2;
  double K[3], G[3], f[2], sum = 0;
  for (size_t h = 1; h <= LL + 1; h++) {
    size_t rows = h == LL + 1 ? 1 : mm, cols = h == 1 ? d : mm;
    for (size_t i = 0; i < rows; i++)
      for (size_t j = 0; j < cols; j++) {
        deep_probe p = {h, i, j, 0};
        double g = 0;
        net_d(K, G, f, &g, x, y, 1, d, mm, LL, base_seed(), &p);
        sum += g * g;
      }
  }
  net_d(K, G, f, NULL, x, y, 1, d, mm, LL, base_seed(), NULL);
  cr_expect_float_eq(K[0], sum, 1e-12 * sum, "Theta_m(x,x) = %.17g, |grad f|^2 = %.17g", K[0], sum);
}

/* The module in both backends on every kind of pair: the same networks,
 * so the values agree to rounding. */
Test(deep_ntk, backends_agree)
{
  static const char *const names[] = {"L", "m", "m_min", "d", "pair", "eps", "c_sigma"};
  const char *pairs[] = {"same", "parallel", "orthogonal", "random", "offsphere", "antipodal"};
  for (size_t k = 0; k < 6; k++) {
    char spec[160];
    snprintf(spec, sizeof spec, "L=3 m=32 m_min=8 d=6 pair=%s eps=1e-5", pairs[k]);
    tc_record *rd = tcu_run_spec(&tc_check_deep_ntk_under_test, spec, names, 7, base_seed() + k, 0);
    tc_record *rm = tcu_run_spec(&tc_check_deep_ntk_under_test, spec, names, 7, base_seed() + k, 160);
    cr_assert_eq(tc_record_rows(rd), 3);
    const char *out[] = {"theta_m", "nngp_m", "theta_inf", "theta_notes", "sigma_L", "tscale"};
    for (size_t row = 0; row < 3; row++)
      for (size_t q = 0; q < 6; q++) {
        double a = tcu_getd(rd, row, out[q]), b = tcu_getd(rm, row, out[q]);
        cr_expect(fabs(a - b) <= 1e-12 * (1 + fabs(b)), "%s row %zu %s: %.17g vs %.17g", pairs[k], row, out[q], a, b);
      }
    tc_record_free(rd);
    tc_record_free(rm);
  }
}

/* Monte Carlo: E f(x)^2 = Sigma^(L)(x, x) and E Theta_m(x, x) = Theta(x, x)
 * at a small width, and the mean of Theta_m(x, y) near Theta(x, y) at a
 * large one, within 5 standard errors (plus the O(L/m) bias off the
 * diagonal). */
Test(deep_ntk, monte_carlo_means)
{
  const size_t d = 4, L = 2, N = 3000;
  double x[4] = {0.5, 0.5, 0.5, 0.5}, y[4] = {0.9, -0.3, 0.1, 0.2};
  double s1 = 0, s2 = 0, t1 = 0, t2 = 0;
  for (size_t k = 0; k < N; k++) {
    double K[3], G[3], f[2];
    net_d(K, G, f, NULL, x, y, 1, d, 6, L, base_seed() + 7919 * k, NULL);
    s1 += f[0] * f[0];
    s2 += f[0] * f[0] * f[0] * f[0];
    t1 += K[0];
    t2 += K[0] * K[0];
  }
  double mf = s1 / N, sf = sqrt((s2 / N - mf * mf) / N), mk = t1 / N, sk = sqrt((t2 / N - mk * mk) / N);
  cr_expect(fabs(mf - lim(x, x, d, L, 2, 0, "sigma_L")) <= 5 * sf, "E f^2: %g +- %g", mf, sf);
  cr_expect(fabs(mk - lim(x, x, d, L, 2, 0, "theta_inf")) <= 5 * sk, "E Theta_m(x,x): %g +- %g", mk, sk);
  double u1 = 0, u2 = 0, ref = lim(x, y, d, L, 2, 0, "theta_inf"), sc = lim(x, y, d, L, 2, 0, "tscale");
  for (size_t k = 0; k < 200; k++) {
    double K[3], G[3], f[2];
    net_d(K, G, f, NULL, x, y, 2, d, 256, L, base_seed() + 104729 * k, NULL);
    u1 += K[1];
    u2 += K[1] * K[1];
  }
  double mu = u1 / 200, su = sqrt((u2 / 200 - mu * mu) / 200);
  cr_expect(fabs(mu - ref) <= 5 * su + 0.02 * sc, "E Theta_256(x,y) = %g +- %g, limit %g", mu, su, ref);
}

Test(deep_ntk, validate_widths)
{
  ts_point pt;
  ts_point_make(&pt, "L=2 m=16 m_min=32");
  const char *param = NULL;
  char err[200] = "";
  cr_expect_eq(tc_check_validate(&tc_check_deep_ntk_under_test, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "m_min");
}

/* Every entry of theorems/deep-ntk.thm: the notes' kernel FAILs with a
 * counterexample, every other entry PASSes and refutes all its mutants. */
Test(deep_ntk, catalog_mutation, .timeout = 120)
{
  static const char *const fail[] = {"deep-ntk-notes", NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/deep-ntk.thm", fail);
}

/* The same seed gives the same JSON at any number of threads (the module
 * keeps no state; the weights come from generators of the seed). */
static char *deep_json(const tc_catalog *cat, const char *id, unsigned jobs)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  cr_assert_not_null(cl);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.instances = 4;
  opt.jobs = jobs;
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  tc_report_json(f, res);
  fclose(f);
  tc_run_result_free(res);
  return buf;
}

Test(deep_ntk, same_json_for_any_number_of_threads)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, TC_SRCDIR "/theorems/deep-ntk.thm", err, sizeof err), TC_SUCCESS, "%s", err);
  char *one = deep_json(cat, "deep-ntk-arora", 1), *three = deep_json(cat, "deep-ntk-arora", 3);
  cr_expect_str_eq(one, three);
  free(one);
  free(three);
  tc_catalog_free(cat);
}
