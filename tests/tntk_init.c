/* tests/tntk_init.c — check modules "ntk-h0" and "ntk-gram"
 * (checks/ntk_init.c).
 *
 * The closed forms H_inf and K against Monte Carlo averages of H(0) and
 * K-hat, exact special cases (orthonormal data, the diagonal), the widths
 * the modules compute, the data's independence of the instance seed, the
 * two backends against each other, the m^(-1/2) decay of |H(0) - H_inf|,
 * and validate().  Random cases use the seed TC_TEST_SEED (default
 * below), printed on failure. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"
#include "thmcheck.h"

extern const tc_check tc_check_ntk_h0;
extern const tc_check tc_check_ntk_gram;
#define H0 (&tc_check_ntk_h0)
#define GRAM (&tc_check_ntk_gram)
#define PI 3.14159265358979323846 /* M_PI is not strict C11 */

static uint64_t test_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 0) : 20240611ULL;
}

/* A parameter point written "n=5 d=3 data=sphere" (printf-style) for
 * either module: a value that is not a number is symbolic (NaN), as the
 * catalog hands family names over (tcheck_util.h). */
typedef tcu_point pt_t;
static const tc_check *const modules[] = {H0, GRAM, NULL};

static void pt_make(pt_t *pt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pt_make(pt_t *pt, const char *fmt, ...)
{
  char spec[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(spec, sizeof spec, fmt, ap);
  va_end(ap);
  tcu_point_make_for(pt, spec, modules);
}

static tc_record *run(const tc_check *c, const pt_t *pt, uint64_t seed, mpfr_prec_t prec)
{
  tc_record *rec = tcu_run_valid(c, &pt->p, seed, prec);
  cr_assert_eq(tc_record_rows(rec), 1, "one row per instance");
  return rec;
}

static double get(const tc_record *rec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static double get(const tc_record *rec, const char *fmt, ...)
{
  char name[64];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  return tcu_getd(rec, 0, name);
}

/* One value of one instance (double when prec = 0). */
static double run_get(const tc_check *c, const pt_t *pt, uint64_t seed, mpfr_prec_t prec, const char *name)
{
  tc_record *rec = run(c, pt, seed, prec);
  double v = get(rec, "%s", name);
  tc_record_free(rec);
  return v;
}


Test(ntk, declares_its_names)
{
  cr_assert_str_eq(H0->name, "ntk-h0");
  cr_assert_str_eq(GRAM->name, "ntk-gram");
  const char *h0_out[] = {"m", "h_dev", "lambda0", "n"};
  const char *h0_par[] = {"n", "d", "m", "data", "angle", "delta", "width_constant", "max_width"};
  const char *g_out[] = {"m", "lambda_K", "lambda_hat", "lambda_G", "n", "delta"};
  const char *g_par[] = {"n", "d", "data", "angle", "delta", "width_factor", "max_width"};
  for (size_t i = 0; i < 4; i++)
    cr_assert(tc_check_has_output(H0, h0_out[i]), "%s", h0_out[i]);
  for (size_t i = 0; i < 8; i++)
    cr_assert(tc_check_param(H0, h0_par[i]) != NULL, "%s", h0_par[i]);
  for (size_t i = 0; i < 6; i++)
    cr_assert(tc_check_has_output(GRAM, g_out[i]), "%s", g_out[i]);
  for (size_t i = 0; i < 7; i++)
    cr_assert(tc_check_param(GRAM, g_par[i]) != NULL, "%s", g_par[i]);
  /* and the rows carry them */
  pt_t pt;
  pt_make(&pt, "n=3 d=4 m=10 delta=0.5");
  tc_record *rec = run(H0, &pt, 1, 0);
  for (const tc_output_spec *q = H0->outputs; q->name; q++)
    if (!strchr(q->name, '*'))
      get(rec, "%s", q->name);
  tc_record_free(rec);
  pt_make(&pt, "n=3 d=4 delta=0.5");
  rec = run(GRAM, &pt, 1, 0);
  for (const tc_output_spec *q = GRAM->outputs; q->name; q++)
    if (!strchr(q->name, '*'))
      get(rec, "%s", q->name);
  tc_record_free(rec);
}

/* Orthonormal data: theta = pi/2 off the diagonal, so H_inf = I/2 exactly
 * (<x_i, x_j> = 0 off the diagonal, 1 (pi - 0)/(2 pi) on it), and
 * K = (1 - 1/pi)/(2d) I + 1/(2 pi d) 1 1^T, lambda_n(K) = (1 - 1/pi)/(2d). */
Test(ntk, orthogonal_data_exact_kernels)
{
  pt_t pt;
  const mpfr_prec_t precs[] = {0, 128};
  for (size_t k = 0; k < 2; k++) {
    pt_make(&pt, "n=4 d=6 data=orthogonal m=50 detail=1");
    tc_record *rec = run(H0, &pt, 3, precs[k]);
    cr_assert_eq(get(rec, "lambda0"), 0.5);
    for (size_t i = 1; i <= 4; i++)
      for (size_t j = i; j <= 4; j++)
        cr_assert_eq(get(rec, "Hinf_%zu_%zu", i, j), i == j ? 0.5 : 0.0, "H_inf(%zu,%zu)", i, j);
    tc_record_free(rec);

    pt_make(&pt, "n=4 d=6 data=orthogonal delta=0.5 detail=1");
    rec = run(GRAM, &pt, 3, precs[k]);
    double d = 6;
    for (size_t i = 1; i <= 4; i++)
      for (size_t j = i; j <= 4; j++) {
        double want = i == j ? 1 / (2 * d) : 1 / (2 * PI * d);
        cr_assert(fabs(get(rec, "K_%zu_%zu", i, j) - want) <= 1e-16 * want, "K(%zu,%zu)", i, j);
      }
    double lam = (1 - 1 / PI) / (2 * d);
    cr_assert(fabs(get(rec, "lambda_K") - lam) <= 1e-14 * lam, "lambda_K %.17g", get(rec, "lambda_K"));
    tc_record_free(rec);
  }
}

/* k(x, x) = |x|^2 / (2d), for any data and scale. */
Test(ntk, kernel_diagonal)
{
  pt_t pt;
  const double scales[] = {1.0, 1.7, 0.01};
  for (size_t s = 0; s < 3; s++)
    for (size_t d = 1; d <= 9; d += 4) {
      size_t n = d == 1 ? 1 : 3; /* in d = 1 two of three points coincide: lambda_n(K) = 0 */
      pt_make(&pt, "n=%zu d=%zu data=sphere scale=%g delta=0.5 detail=1 width_factor=1e-12", n, d, scales[s]);
      tc_record *rec = run(GRAM, &pt, 1, 0);
      double want = scales[s] * scales[s] / (2.0 * (double)d);
      for (size_t i = 1; i <= n; i++)
        cr_assert(fabs(get(rec, "K_%zu_%zu", i, i) - want) <= 1e-14 * want, "d=%zu scale=%g", d, scales[s]);
      tc_record_free(rec);
    }
}

/* E H(0) = H_inf entrywise for every m: each entry of H(0) is
 * <x_i, x_j> Binomial(m, p_ij)/m with p_ij = (pi - theta_ij)/(2 pi), so one
 * wide network lies within a few binomial standard errors of H_inf.
 * Sphere data in d = 3 have obtuse pairs; near-parallel adds a small
 * angle. */
Test(ntk, hinf_is_mean_of_h0)
{
  uint64_t seed = test_seed();
  const char *data[] = {"sphere", "near-parallel"};
  pt_t pt;
  for (size_t f = 0; f < 2; f++) {
    const size_t n = 5, m = 400000;
    pt_make(&pt, "n=%zu d=3 data=%s angle=0.2 m=%zu detail=1", n, data[f], m);
    tc_record *rec = run(H0, &pt, tc_seed_derive(seed, "tntk-hinf", f), 0);
    for (size_t i = 1; i <= n; i++)
      for (size_t j = i; j <= n; j++) {
        double hinf = get(rec, "Hinf_%zu_%zu", i, j), h0 = get(rec, "H0_%zu_%zu", i, j);
        /* <x_i, x_j> = H_inf / p; recover p from the closed form's pieces */
        double p = 0.5, g = 2 * hinf; /* diagonal: p = 1/2, <x, x> = 1 */
        if (i != j) {
          /* |<x_i,x_j>| <= 1 and p in [0, 1]: bound the variance by the worst case */
          p = 0.5;
          g = 1.0;
        }
        double se = fabs(g) * sqrt(p * (1 - p) / (double)m);
        cr_assert(fabs(h0 - hinf) <= 4.5 * se + 1e-15, "%s (%zu,%zu): H0 %.6f H_inf %.6f se %.2g (seed %llu)",
                  data[f], i, j, h0, hinf, se, (unsigned long long)seed);
      }
    tc_record_free(rec);
  }
  /* The closed form itself at the near-parallel pair: theta = angle. */
  for (double a = 0.05; a < 3; a *= 3) {
    pt_make(&pt, "n=2 d=4 data=near-parallel angle=%.17g m=1 detail=1", a);
    tc_record *rec = run(H0, &pt, 1, 0);
    double want = cos(a) * (PI - a) / (2 * PI);
    cr_assert(fabs(get(rec, "Hinf_1_2") - want) <= 1e-14, "angle %g: %.17g vs %.17g", a, get(rec, "Hinf_1_2"),
              want);
    tc_record_free(rec);
  }
}

/* E K-hat = K: the mean of K-hat over independent random-feature draws
 * agrees with the closed form (arc-cosine kernel / d) within 5 standard
 * errors of the mean, estimated from the draws' spread.  A wrong
 * normalisation (forgetting the 1/d, or Gaussian b) is off by a factor d. */
Test(ntk, k_is_mean_of_khat)
{
  uint64_t seed = test_seed();
  const size_t R = 24, n = 4;
  const char *cases[] = {"d=3 data=sphere", "d=10 data=sphere", "d=5 data=near-parallel angle=0.3",
                         "d=2 data=sphere"};
  pt_t pt;
  for (size_t c = 0; c < 4; c++) {
    double sum[5][5] = {{0}}, sum2[5][5] = {{0}}, K[5][5];
    /* the width_factor that makes m about 2000, from lambda_n(K) */
    pt_make(&pt, "n=%zu %s delta=0.5 width_factor=1e-12", n, cases[c]);
    double lam = run_get(GRAM, &pt, 1, 0, "lambda_K");
    double wf = 2000 * 2 * lam * lam / log((double)(n * n) / 0.5);
    for (size_t r = 0; r < R; r++) {
      pt_make(&pt, "n=%zu %s delta=0.5 width_factor=%.17g detail=1", n, cases[c], wf);
      tc_record *rec = run(GRAM, &pt, tc_seed_derive(seed, "tntk-k", c * R + r), 0);
      for (size_t i = 1; i <= n; i++)
        for (size_t j = i; j <= n; j++) {
          double v = get(rec, "Khat_%zu_%zu", i, j);
          sum[i][j] += v;
          sum2[i][j] += v * v;
          K[i][j] = get(rec, "K_%zu_%zu", i, j);
        }
      tc_record_free(rec);
    }
    for (size_t i = 1; i <= n; i++)
      for (size_t j = i; j <= n; j++) {
        double mean = sum[i][j] / R, var = (sum2[i][j] - R * mean * mean) / (R - 1);
        double se = sqrt(fmax(var, 0) / R);
        cr_assert(fabs(mean - K[i][j]) <= 5 * se + 1e-12, "%s (%zu,%zu): mean K-hat %.6g K %.6g se %.2g (seed %llu)",
                  cases[c], i, j, mean, K[i][j], se, (unsigned long long)seed);
        if (K[i][j] > 1e-3) /* a lost factor d (>= 2) would be far outside */
          cr_assert(fabs(mean / K[i][j] - 1) < 0.25, "%s (%zu,%zu): ratio %.4f", cases[c], i, j, mean / K[i][j]);
      }
  }
}

/* The widths: ntk-h0 with delta takes ceil(c n^2/lambda0^2 log(n/delta)),
 * ntk-gram ceil(w log(n^2/delta)/(2 lambda_n(K)^2)); for orthonormal data
 * both lambdas are known exactly. */
Test(ntk, widths_for_known_lambda)
{
  pt_t pt;
  const double deltas[] = {0.5, 0.1, 0.01};
  for (size_t k = 0; k < 3; k++)
    for (size_t n = 2; n <= 6; n += 4) {
      double delta = deltas[k];
      pt_make(&pt, "n=%zu d=8 data=orthogonal delta=%g width_constant=0.5", n, delta);
      double want = 0.5 * (double)(n * n) / 0.25 * log((double)n / delta);
      cr_assert_eq(run_get(H0, &pt, 1, 0, "m"), ceil(want), "h0 n=%zu delta=%g", n, delta);
      cr_assert(fabs(run_get(H0, &pt, 1, 128, "m_required") - want) <= 1e-12 * want);

      double lam = (1 - 1 / PI) / 16;
      pt_make(&pt, "n=%zu d=8 data=orthogonal delta=%g", n, delta);
      want = log((double)(n * n) / delta) / (2 * lam * lam);
      cr_assert_eq(run_get(GRAM, &pt, 1, 0, "m"), ceil(want), "gram n=%zu delta=%g", n, delta);
      cr_assert_eq(run_get(GRAM, &pt, 1, 128, "m"), ceil(want), "the width is the same in MPFR");
      cr_assert(fabs(run_get(GRAM, &pt, 1, 128, "m_required") - want) <= 1e-12 * want);
      pt_make(&pt, "n=%zu d=8 data=orthogonal delta=%g width_factor=3", n, delta);
      cr_assert_eq(run_get(GRAM, &pt, 1, 0, "m"), ceil(3 * want));
    }
  /* An explicit m wins over delta, which still yields m_required. */
  pt_make(&pt, "n=3 d=8 data=orthogonal delta=0.1 m=77");
  tc_record *rec = run(H0, &pt, 1, 0);
  cr_assert_eq(get(rec, "m"), 77);
  cr_assert(fabs(get(rec, "m_required") - 36 * log(30.0)) < 1e-9);
  tc_record_free(rec);
}

/* lambda_G = m lambda_hat, and lambda_hat is the smallest eigenvalue of
 * the K-hat in the row (checked on n = 2, where it is explicit). */
Test(ntk, gram_row_consistency)
{
  pt_t pt;
  pt_make(&pt, "n=2 d=3 data=near-parallel angle=0.4 delta=0.3 detail=1");
  for (int b = 0; b < 2; b++) {
    tc_record *rec = run(GRAM, &pt, 9, b ? 128 : 0);
    double m = get(rec, "m"), lh = get(rec, "lambda_hat"), lg = get(rec, "lambda_G");
    cr_assert(fabs(lg - m * lh) <= 1e-13 * lg);
    double a = get(rec, "Khat_1_1"), c = get(rec, "Khat_2_2"), o = get(rec, "Khat_1_2");
    double lmin = (a + c) / 2 - sqrt((a - c) * (a - c) / 4 + o * o);
    cr_assert(fabs(lh - lmin) <= 1e-12 * lmin, "lambda_hat %.17g vs %.17g", lh, lmin);
    cr_assert(m >= get(rec, "m_required"));
    tc_record_free(rec);
  }
}

/* The data set is a function of the parameter point: the instance seed,
 * m and delta do not change it; data_seed and n do; scale rescales it. */
Test(ntk, data_depend_on_point_only)
{
  pt_t pt;
  pt_make(&pt, "n=6 d=5 data=sphere m=10");
  double l1 = run_get(H0, &pt, 1, 0, "lambda0"), l2 = run_get(H0, &pt, 2, 0, "lambda0");
  cr_assert_eq(l1, l2, "lambda0 changed with the instance seed");
  cr_assert_neq(run_get(H0, &pt, 1, 0, "h_dev"), run_get(H0, &pt, 2, 0, "h_dev"), "the network did not");
  pt_make(&pt, "n=6 d=5 data=sphere m=1000 delta=0.3");
  cr_assert_eq(run_get(H0, &pt, 5, 0, "lambda0"), l1, "lambda0 changed with m");
  pt_make(&pt, "n=6 d=5 data=sphere m=10 data_seed=1");
  cr_assert_neq(run_get(H0, &pt, 1, 0, "lambda0"), l1, "data_seed did not change the data");
  pt_make(&pt, "d=5 n=6 data=sphere m=10 scale=3");
  cr_assert(fabs(run_get(H0, &pt, 1, 0, "lambda0") - 9 * l1) <= 1e-13 * l1, "scale");
  /* the same directions in ntk-gram, whose K is 1/d-normalised */
  pt_make(&pt, "n=6 d=5 data=sphere delta=0.2");
  double k1 = run_get(GRAM, &pt, 1, 0, "lambda_K");
  pt_make(&pt, "n=6 d=5 data=sphere delta=0.7");
  cr_assert_eq(run_get(GRAM, &pt, 8, 0, "lambda_K"), k1, "lambda_K changed with delta or the seed");
  /* near-parallel data are the sphere data with x_2 moved next to x_1 */
  pt_make(&pt, "n=4 d=5 data=sphere m=1 detail=1");
  tc_record *sph = run(H0, &pt, 1, 0);
  pt_make(&pt, "n=4 d=5 data=near-parallel angle=0.3 m=1 detail=1");
  tc_record *np = run(H0, &pt, 1, 0);
  for (size_t i = 1; i <= 4; i++)
    for (size_t j = i; j <= 4; j++)
      if (i != 2 && j != 2)
        cr_assert_eq(get(sph, "Hinf_%zu_%zu", i, j), get(np, "Hinf_%zu_%zu", i, j), "(%zu,%zu)", i, j);
  cr_assert_neq(get(sph, "Hinf_1_2"), get(np, "Hinf_1_2"));
  tc_record_free(sph);
  tc_record_free(np);
  /* near-parallel data are ill-conditioned: a smaller angle, a smaller lambda */
  double prev = INFINITY;
  for (double a = 0.8; a > 0.01; a /= 4) {
    pt_make(&pt, "n=5 d=5 data=near-parallel angle=%g m=1", a);
    double l = run_get(H0, &pt, 1, 0, "lambda0");
    cr_assert(l > 0 && l < prev, "angle %g: lambda0 %g", a, l);
    prev = l;
  }
}

/* Both backends see the same data and network and agree to double
 * accuracy (the activation patterns are decided exactly). */
Test(ntk, mpfr_agrees_with_double)
{
  uint64_t seed = test_seed();
  const char *h0_cases[] = {"n=8 d=10 data=sphere m=3000", "n=5 d=5 data=orthogonal m=500",
                            "n=6 d=3 data=near-parallel angle=0.1 m=2000", "n=4 d=1 data=sphere m=100",
                            "n=8 d=10 data=sphere delta=0.2 scale=2.5"};
  const char *h0_names[] = {"h_dev", "lambda0", "lambda_h0", "m"};
  pt_t pt;
  for (size_t c = 0; c < 5; c++) {
    pt_make(&pt, "%s", h0_cases[c]);
    uint64_t s = tc_seed_derive(seed, "tntk-agree", c);
    tc_record *a = run(H0, &pt, s, 0), *b = run(H0, &pt, s, 200);
    for (size_t q = 0; q < 4; q++) {
      double x = get(a, "%s", h0_names[q]), y = get(b, "%s", h0_names[q]);
      cr_assert(fabs(x - y) <= 1e-12 * fabs(y) + 1e-15, "%s %s: double %.17g mpfr %.17g (seed %llu)", h0_cases[c],
                h0_names[q], x, y, (unsigned long long)seed);
    }
    tc_record_free(a);
    tc_record_free(b);
  }
  const char *g_cases[] = {"n=8 d=10 data=sphere delta=0.1", "n=5 d=5 data=orthogonal delta=0.05",
                           "n=4 d=3 data=near-parallel angle=0.3 delta=0.1", "n=6 d=4 data=sphere delta=0.5 scale=0.3"};
  const char *g_names[] = {"lambda_K", "lambda_hat", "lambda_G", "m", "m_required"};
  for (size_t c = 0; c < 4; c++) {
    pt_make(&pt, "%s", g_cases[c]);
    uint64_t s = tc_seed_derive(seed, "tntk-agree-g", c);
    tc_record *a = run(GRAM, &pt, s, 0), *b = run(GRAM, &pt, s, 128);
    for (size_t q = 0; q < 5; q++) {
      double x = get(a, "%s", g_names[q]), y = get(b, "%s", g_names[q]);
      cr_assert(fabs(x - y) <= 1e-12 * fabs(y), "%s %s: double %.17g mpfr %.17g (seed %llu)", g_cases[c], g_names[q],
                x, y, (unsigned long long)seed);
    }
    tc_record_free(a);
    tc_record_free(b);
  }
}

/* |H(0) - H_inf|_2 shrinks like m^(-1/2): the mean over a few networks at
 * m = 100 is 5 to 20 times the mean at m = 10000 (sqrt(100) = 10). */
Test(ntk, h_dev_decays_like_inverse_sqrt_m)
{
  uint64_t seed = test_seed();
  pt_t pt;
  double mean[2] = {0, 0};
  const size_t R = 12, ms[2] = {100, 10000};
  for (size_t k = 0; k < 2; k++) {
    pt_make(&pt, "n=6 d=5 data=sphere m=%zu", ms[k]);
    for (size_t r = 0; r < R; r++)
      mean[k] += run_get(H0, &pt, tc_seed_derive(seed, "tntk-rate", r), 0, "h_dev") / R;
  }
  double ratio = mean[0] / mean[1];
  cr_assert(ratio >= 5 && ratio <= 20, "ratio %.3f (means %.4g, %.4g; seed %llu)", ratio, mean[0], mean[1],
            (unsigned long long)seed);
}

static void expect_edom(const tc_check *c, const char *spec, const char *word)
{
  pt_t pt;
  pt_make(&pt, "%s", spec);
  char err[256] = "";
  cr_assert_eq(tc_check_validate(c, &pt.p, NULL, err, sizeof err), TC_EDOM, "%s: '%s' accepted", c->name, spec);
  cr_assert(strstr(err, word) != NULL, "%s: '%s': message '%s' lacks '%s'", c->name, spec, err, word);
  tc_instance inst = {NULL, &pt.p, 0, 1, 64, NULL, NULL};
  tc_record *rec = tc_record_alloc(64);
  cr_assert_eq(c->measure_d(rec, &inst, err, sizeof err), TC_EDOM, "measure accepted '%s'", spec);
  cr_assert_eq(c->measure_mpfr(rec, &inst, err, sizeof err), TC_EDOM, "measure accepted '%s'", spec);
  tc_record_free(rec);
}

Test(ntk, validate_rejects_bad_parameters)
{
  expect_edom(H0, "d=3 m=10", "n");
  expect_edom(H0, "n=0 d=3 m=10", "n");
  expect_edom(H0, "n=2.5 d=3 m=10", "n");
  expect_edom(H0, "n=3 m=10", "d");
  expect_edom(H0, "n=3 d=0 m=10", "d");
  expect_edom(H0, "n=3 d=three m=10", "d");
  expect_edom(H0, "n=3 d=3 m=10 data=cube", "data");
  expect_edom(H0, "n=3 d=3 m=10 data=7", "data");
  expect_edom(H0, "n=4 d=3 m=10 data=orthogonal", "n <= d");
  expect_edom(H0, "n=1 d=3 m=10 data=near-parallel", "near-parallel");
  expect_edom(H0, "n=3 d=1 m=10 data=near-parallel", "near-parallel");
  expect_edom(H0, "n=3 d=3 m=10 data=near-parallel angle=0", "angle");
  expect_edom(H0, "n=3 d=3 m=10 data=near-parallel angle=4", "angle");
  expect_edom(H0, "n=3 d=3 m=0", "m");
  expect_edom(H0, "n=3 d=3 m=10.5", "m");
  expect_edom(H0, "n=3 d=3 m=3000000", "max_width");
  expect_edom(H0, "n=3 d=3 m=200 max_width=100", "max_width");
  expect_edom(H0, "n=3 d=3", "delta");
  expect_edom(H0, "n=3 d=3 delta=0", "delta");
  expect_edom(H0, "n=3 d=3 delta=1", "delta");
  expect_edom(H0, "n=3 d=3 m=10 delta=1.5", "delta");
  expect_edom(H0, "n=3 d=3 delta=0.1 width_constant=0", "width_constant");
  expect_edom(H0, "n=3 d=3 m=10 scale=0", "scale");
  expect_edom(H0, "n=3 d=3 m=10 detail=2", "detail");
  expect_edom(H0, "n=3 d=3 m=10 data_seed=-1", "data_seed");
  /* the lemma's width too large for max_width, with the width named */
  expect_edom(H0, "n=8 d=10 delta=0.1 max_width=1000", "exceeds max_width = 1000");
  expect_edom(H0, "n=8 d=10 delta=0.1 data=near-parallel angle=0.0001", "exceeds max_width");
  /* repeated points (d = 1: x_i = +-1): lambda0 = 0 breaks the hypothesis */
  expect_edom(H0, "n=5 d=1 delta=0.1", "lambda0");

  expect_edom(GRAM, "n=3 d=3", "delta");
  expect_edom(GRAM, "n=3 d=3 delta=0", "delta");
  expect_edom(GRAM, "n=3 d=3 delta=0.1 width_factor=-1", "width_factor");
  expect_edom(GRAM, "n=3 d=3 delta=0.1 max_width=0", "max_width");
  expect_edom(GRAM, "n=8 d=10 delta=0.1 max_width=1000", "exceeds max_width = 1000");
  expect_edom(GRAM, "n=8 d=10 delta=0.1 max_width=1000", "lambda_n(K)");
  expect_edom(GRAM, "n=5 d=1 delta=0.1", "lambda_n(K)");
  expect_edom(GRAM, "n=9 d=8 delta=0.1 data=orthogonal", "n <= d");

  pt_t pt;
  char err[256];
  pt_make(&pt, "n=8 d=10 delta=0.1");
  cr_assert_eq(tc_check_validate(GRAM, &pt.p, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(tc_check_validate(H0, &pt.p, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
  pt_make(&pt, "n=1 d=1 m=1");
  cr_assert_eq(tc_check_validate(H0, &pt.p, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
}

/* The MPFR Gram matrix sums the neurons' moments b b^T exactly in integers
 * (ntk_xacc) and rounds once per moment and product: at 128 and at 320
 * bits its entries agree to about 2^-118 of their size (a double or
 * double-double accumulation would not).  n > 6 takes MPFR per neuron,
 * whose m sequential roundings are allowed 2^-100. */
Test(ntk, mpfr_gram_carries_the_precision)
{
  uint64_t seed = test_seed();
  const char *cases[] = {"n=4 d=3 data=sphere delta=0.1", "n=2 d=2 data=near-parallel angle=0.3 delta=0.1",
                         "n=6 d=8 data=sphere delta=0.5 width_factor=0.001",
                         "n=7 d=3 data=sphere delta=0.5 width_factor=0.001"};
  pt_t pt;
  mpfr_t x, y;
  mpfr_inits2(512, x, y, (mpfr_ptr)0);
  for (size_t c = 0; c < 4; c++) {
    pt_make(&pt, "%s detail=1", cases[c]);
    uint64_t s = tc_seed_derive(seed, "tntk-xacc", c);
    tc_record *a = run(GRAM, &pt, s, 128), *b = run(GRAM, &pt, s, 320);
    size_t n = (size_t)pt.p.v[0].value;
    for (size_t i = 1; i <= n; i++)
      for (size_t j = i; j <= n; j++) {
        char name[32];
        snprintf(name, sizeof name, "Khat_%zu_%zu", i, j);
        cr_assert_eq(tc_record_get(x, a, 0, name), TC_SUCCESS);
        cr_assert_eq(tc_record_get(y, b, 0, name), TC_SUCCESS);
        double scale = mpfr_get_d(y, MPFR_RNDN);
        mpfr_sub(x, x, y, MPFR_RNDN);
        double diff = fabs(mpfr_get_d(x, MPFR_RNDN));
        cr_assert(diff <= ldexp(fabs(scale) + 1e-3, -(c < 3 ? 118 : 100)), "%s %s: 128 vs 320 bits differ by %g (seed %llu)", cases[c],
                  name, diff, (unsigned long long)seed);
      }
    tc_record_free(a);
    tc_record_free(b);
  }
  mpfr_clears(x, y, (mpfr_ptr)0);
}

/* The catalog entry ntk-h0-event-width (theorems/ntk-init.thm) as it runs
 * in the audit: PASS in both backends, both mutants (the event already
 * at c = 1, the deviation below lambda0/16) refuted, and every point
 * carries its width (index m) and the mark m_required for the figure. */
Test(ntk, event_width_entry_and_its_mutants, .timeout = 60)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, TC_SRCDIR "/theorems/ntk-init.thm", err, sizeof err), TC_SUCCESS, "%s",
               err);
  const tc_claim *cl = tc_catalog_find(cat, "ntk-h0-event-width");
  cr_assert_not_null(cl);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->verdict, TC_PASS, "%s", c->reason);
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const tc_precision_result *pr = &c->prec[b];
    cr_assert(pr->ran);
    cr_expect_eq(pr->verdict, TC_PASS);
    cr_expect_eq(pr->mutants_refuted, 2, "backend %d refutes %zu of 2 mutants", b, pr->mutants_refuted);
    cr_assert_eq(pr->npoints, 8);
    for (size_t i = 0; i < pr->npoints; i++) {
      cr_expect(pr->points[i].x >= 64 && pr->points[i].x <= 16384, "point %zu: m = %g", i, pr->points[i].x);
      cr_expect(fabs(pr->points[i].mark - 5582.3) < 1, "point %zu: m_required = %g", i, pr->points[i].mark);
    }
  }
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* The Cholesky certificates (ntk_cert_lower): lambda0_cert <= lambda0 and
 * h_dev_cert >= h_dev, lambda_K_cert <= lambda_K and lambda_G_cert <=
 * lambda_G, each within a few hundred units of the backend's rounding
 * (2^-53, 2^-128) of the value, so cert_err is that small too; for
 * orthonormal data H_inf = I/2 exactly, and lambda0_cert sits just
 * below 1/2. */
Test(ntk, certificates_bracket_the_eigenvalues)
{
  static const char *specs[] = {"n=2 d=8 data=near-parallel angle=0.5 m=300",
                                "n=6 d=5 data=sphere m=1000", "n=4 d=4 data=orthogonal m=50"};
  for (size_t q = 0; q < 3; q++)
    for (int b = 0; b < 2; b++) {
      pt_t pt;
      pt_make(&pt, specs[q]);
      tc_record *rec = run(H0, &pt, 5 + q, b ? 128 : 0);
      double u = b ? 0x1.0p-128 : 0x1.0p-53, l0 = get(rec, "lambda0"), lc = get(rec, "lambda0_cert");
      double h = get(rec, "h_dev"), hc = get(rec, "h_dev_cert"), e = get(rec, "cert_err");
      cr_expect(lc <= l0 && l0 - lc <= 1e4 * u * fmax(l0, 0.5), "%s: lambda0 %.17g cert %.17g", specs[q], l0, lc);
      cr_expect(hc >= h && hc - h <= 1e4 * u, "%s: h_dev %.17g cert %.17g", specs[q], h, hc);
      cr_expect(e >= 0 && e <= 1e4 * u, "%s: cert_err %g", specs[q], e);
      if (q == 2) /* below 1/2, by less than double shows for MPFR */
        cr_expect(b ? lc <= 0.5 && lc > 0.5 - 1e-15 : lc < 0.5 && lc > 0.5 - 1e3 * u, "%.17g", lc);
      tc_record_free(rec);
    }
  pt_t pt;
  pt_make(&pt, "n=2 d=3 data=near-parallel angle=0.4 delta=0.3");
  for (int b = 0; b < 2; b++) {
    tc_record *rec = run(GRAM, &pt, 9, b ? 128 : 0);
    double u = b ? 0x1.0p-128 : 0x1.0p-53;
    double lk = get(rec, "lambda_K"), lkc = get(rec, "lambda_K_cert");
    double lg = get(rec, "lambda_G"), lgc = get(rec, "lambda_G_cert");
    cr_expect(lkc <= lk && lk - lkc <= 1e4 * u, "lambda_K %.17g cert %.17g", lk, lkc);
    cr_expect(lgc <= lg && lg - lgc <= 1e4 * u * get(rec, "m"), "lambda_G %.17g cert %.17g", lg, lgc);
    tc_record_free(rec);
  }
}
