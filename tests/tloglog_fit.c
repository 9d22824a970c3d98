/* Tests for tc_loglog_fit_compute: domain errors first, then exact power
 * laws (slope recovered, SE ~ 0), then noisy data from a fixed seed
 * (THMCHECK_TEST_SEED overrides it) against GSL's gsl_fit_linear on the
 * logs, and the coverage of the slope interval. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tc_stats.h"
#include "tc_status.h"

static unsigned long test_seed(void)
{
  const char *s = getenv("THMCHECK_TEST_SEED");
  return s != NULL && *s != '\0' ? strtoul(s, NULL, 10) : 20240611UL;
}

static void setup(void)
{
  gsl_set_error_handler_off();
}

TestSuite(loglog_fit, .init = setup);

Test(loglog_fit, domain_errors)
{
  double x[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 4};
  tc_loglog_fit f = {1, 2, 3, 4, 5, 6};
  cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 2, 0.95), TC_EDOM);
  cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 0, 0.95), TC_EDOM);
  cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 4, 0.0), TC_EDOM);
  cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 4, 1.0), TC_EDOM);
  static const double bad[] = {0.0, -1.0, NAN, INFINITY};
  for (size_t b = 0; b < 4; b++) {
    x[2] = bad[b];
    cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 4, 0.95), TC_EDOM, "x = %g", bad[b]);
    x[2] = 3;
    y[1] = bad[b];
    cr_expect_eq(tc_loglog_fit_compute(&f, x, y, 4, 0.95), TC_EDOM, "y = %g", bad[b]);
    y[1] = 2;
  }
  /* All x equal: the slope is not identifiable. */
  double xs[4] = {2, 2, 2, 2};
  cr_expect_eq(tc_loglog_fit_compute(&f, xs, y, 4, 0.95), TC_EDOM);
  cr_expect(f.slope == 1 && f.n == 6, "output written on error");
}

Test(loglog_fit, exact_power_law)
{
  static const double alphas[] = {-0.5, -1.0, 2.0, 0.0, 1.0 / 3.0};
  double x[40], y[40];
  for (size_t a = 0; a < sizeof alphas / sizeof alphas[0]; a++)
    for (size_t n = 3; n <= 40; n += 37) {
      for (size_t i = 0; i < n; i++) {
        x[i] = pow(2.0, (double)i);  /* exact logs' ratios: a clean grid */
        y[i] = 3.0 * pow(x[i], alphas[a]);
      }
      tc_loglog_fit f;
      cr_assert_eq(tc_loglog_fit_compute(&f, x, y, n, 0.95), TC_SUCCESS);
      cr_expect(fabs(f.slope - alphas[a]) <= 1e-14, "alpha %.17g n %zu: slope %.17g",
                alphas[a], n, f.slope);
      cr_expect(fabs(f.intercept - log(3.0)) <= 1e-13, "intercept %.17g", f.intercept);
      cr_expect(f.slope_se <= 1e-14, "alpha %.17g n %zu: se %.3g", alphas[a], n, f.slope_se);
      cr_expect(f.slope_lower <= f.slope && f.slope <= f.slope_upper);
      cr_expect(f.slope_upper - f.slope_lower <= 1e-12);
      cr_expect_eq(f.n, n);
    }
}

/* Irregular x (not a geometric grid): still exact up to rounding. */
Test(loglog_fit, exact_power_law_irregular)
{
  double x[7] = {1.5, 3, 7, 20, 55, 300, 1e4}, y[7];
  for (size_t i = 0; i < 7; i++)
    y[i] = 0.25 / sqrt(x[i]);
  tc_loglog_fit f;
  cr_assert_eq(tc_loglog_fit_compute(&f, x, y, 7, 0.99), TC_SUCCESS);
  cr_expect(fabs(f.slope + 0.5) <= 1e-14, "slope %.17g", f.slope);
  cr_expect(fabs(f.intercept - log(0.25)) <= 1e-13, "intercept %.17g", f.intercept);
  cr_expect(f.slope_se <= 1e-14, "se %.3g", f.slope_se);
}

/* Three points, hand-computable: logs (0,0), (1,1), (2,3) in base e
 * coordinates give slope 1.5, intercept -1/6, residuals (1/6, -1/3, 1/6),
 * RSS 1/6, Sxx 2, SE = sqrt((1/6)/1/2) = sqrt(1/12); t(0.975, 1) =
 * 12.7062047361747. */
Test(loglog_fit, three_points_by_hand)
{
  double x[3] = {1, M_E, M_E * M_E}, y[3] = {1, M_E, exp(3.0)};
  tc_loglog_fit f;
  cr_assert_eq(tc_loglog_fit_compute(&f, x, y, 3, 0.95), TC_SUCCESS);
  cr_expect(fabs(f.slope - 1.5) <= 1e-14, "slope %.17g", f.slope);
  cr_expect(fabs(f.intercept + 1.0 / 6.0) <= 1e-14, "intercept %.17g", f.intercept);
  cr_expect(fabs(f.slope_se - sqrt(1.0 / 12.0)) <= 1e-14, "se %.17g", f.slope_se);
  double half = 12.7062047361747 * sqrt(1.0 / 12.0);
  cr_expect(fabs(f.slope_upper - (1.5 + half)) <= 1e-9, "upper %.17g", f.slope_upper);
  cr_expect(fabs(f.slope_lower - (1.5 - half)) <= 1e-9, "lower %.17g", f.slope_lower);
}

Test(loglog_fit, noisy_against_gsl_fit_linear)
{
  unsigned long seed = test_seed();
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double x[200], y[200], lx[200], ly[200];
  for (int it = 0; it < 100; it++) {
    size_t n = 3 + gsl_rng_uniform_int(r, 198);
    double alpha = 4 * (gsl_rng_uniform(r) - 0.5), c = exp(gsl_rng_uniform(r) * 4 - 2);
    double noise = 0.3 * gsl_rng_uniform(r) + 1e-3;
    double conf = 0.5 + 0.499 * gsl_rng_uniform(r);
    for (size_t i = 0; i < n; i++) {
      x[i] = exp(8 * gsl_rng_uniform(r));
      y[i] = c * pow(x[i], alpha) * exp(gsl_ran_gaussian(r, noise));
      lx[i] = log(x[i]);
      ly[i] = log(y[i]);
    }
    tc_loglog_fit f;
    cr_assert_eq(tc_loglog_fit_compute(&f, x, y, n, conf), TC_SUCCESS, "seed %lu", seed);
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(lx, 1, ly, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    /* gsl_fit_linear's cov11 is s^2/Sxx with s^2 = RSS/(n-2): the OLS SE. */
    double se = sqrt(cov11);
    double half = gsl_cdf_tdist_Pinv(0.5 + 0.5 * conf, (double)(n - 2)) * se;
    cr_expect(fabs(f.slope - c1) <= 1e-12 * (1 + fabs(c1)), "seed %lu it %d: slope %.17g vs %.17g",
              seed, it, f.slope, c1);
    cr_expect(fabs(f.intercept - c0) <= 1e-11 * (1 + fabs(c0)),
              "seed %lu it %d: intercept %.17g vs %.17g", seed, it, f.intercept, c0);
    cr_expect(fabs(f.slope_se - se) <= 1e-9 * se, "seed %lu it %d: se %.17g vs %.17g", seed,
              it, f.slope_se, se);
    cr_expect(fabs((f.slope_upper - f.slope_lower) / 2 - half) <= 1e-8 * half,
              "seed %lu it %d: half-width %.17g vs %.17g", seed, it,
              (f.slope_upper - f.slope_lower) / 2, half);
    cr_expect_eq(f.n, n);
  }
  gsl_rng_free(r);
}

/* The slope interval covers the true exponent at the nominal rate: 3000
 * fits at 95%, binomial sd 0.004, so +-0.016 is 4 sd. */
Test(loglog_fit, coverage)
{
  unsigned long seed = test_seed();
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double x[6] = {10, 20, 40, 80, 160, 320}, y[6];
  int covered = 0, trials = 3000;
  for (int it = 0; it < trials; it++) {
    for (size_t i = 0; i < 6; i++)
      y[i] = 2.0 * pow(x[i], -0.5) * exp(gsl_ran_gaussian(r, 0.1));
    tc_loglog_fit f;
    cr_assert_eq(tc_loglog_fit_compute(&f, x, y, 6, 0.95), TC_SUCCESS);
    covered += f.slope_lower <= -0.5 && -0.5 <= f.slope_upper;
  }
  double rate = (double)covered / trials;
  cr_expect(fabs(rate - 0.95) <= 0.016, "seed %lu: coverage %.4f, nominal 0.95", seed, rate);
  gsl_rng_free(r);
}
