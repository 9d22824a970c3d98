/* Tests for tc_mean_ci: domain errors and degenerate samples first, then
 * published Student-t quantiles, then random samples from a fixed seed
 * (THMCHECK_TEST_SEED overrides it) against GSL's statistics and a
 * coverage experiment. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

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

TestSuite(mean_ci, .init = setup);

Test(mean_ci, domain_errors)
{
  double x[3] = {1, 2, 3}, m = -7, lo = -7, hi = -7, sd = -7;
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 0, 0.95), TC_EDOM);
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 1, 0.95), TC_EDOM);
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 3, 0.0), TC_EDOM);
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 3, 1.0), TC_EDOM);
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 3, NAN), TC_EDOM);
  double bad[3] = {1, NAN, 3};
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, bad, 3, 0.95), TC_EDOM);
  bad[1] = INFINITY;
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, bad, 3, 0.95), TC_EDOM);
  cr_expect(m == -7 && lo == -7 && hi == -7 && sd == -7);
}

/* A constant sample has sd exactly 0 and a zero-width interval, even for
 * values like 0.1 whose naive sum does not divide back exactly. */
Test(mean_ci, constant_sample)
{
  static const double vals[] = {0.1, -3.7, 1e300, 0.0, 1e-310};
  double x[101];
  for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++)
    for (size_t n = 2; n <= 101; n += 33) {
      for (size_t i = 0; i < n; i++)
        x[i] = vals[v];
      double m, lo, hi, sd;
      cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, n, 0.95), TC_SUCCESS);
      cr_expect(m == vals[v] && lo == m && hi == m && sd == 0.0,
                "value %.17g n=%zu: mean %.17g [%.17g, %.17g] sd %.17g", vals[v], n, m, lo,
                hi, sd);
    }
}

/* Samples {-1, 1, 0, ..., 0} rescaled have a known sd, so the half-width
 * reveals the t quantile; published values (e.g. NIST/SEMATECH tables,
 * R's qt) to 12 digits. */
Test(mean_ci, published_t_quantiles)
{
  static const struct {
    size_t n;
    double conf, t;
  } t[] = {
    {2, 0.95, 12.7062047361747},  {3, 0.95, 4.30265272974946},
    {6, 0.95, 2.57058183563631},  {11, 0.95, 2.22813885198627},
    {31, 0.95, 2.04227245630124}, {10, 0.99, 3.24983554159213},
    {2, 0.90, 6.31375151467504},  {21, 0.90, 1.72471824292079},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    double x[64] = {0};
    size_t n = t[i].n;
    x[0] = -1.0;
    x[1] = 1.0;
    double m, lo, hi, sd;
    cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, n, t[i].conf), TC_SUCCESS);
    double sd_exact = sqrt(2.0 / (double)(n - 1));
    cr_expect(m == 0.0, "n=%zu mean %.17g", n, m);
    cr_expect(fabs(sd - sd_exact) <= 1e-15 * sd_exact, "n=%zu sd %.17g, want %.17g", n, sd,
              sd_exact);
    double tq = hi * sqrt((double)n) / sd_exact;
    cr_expect(fabs(tq - t[i].t) <= 1e-10 * t[i].t,
              "n=%zu conf=%g: t quantile %.15g, published %.15g", n, t[i].conf, tq, t[i].t);
    cr_expect(lo == -hi, "n=%zu: interval not symmetric about 0", n);
  }
}

/* A large common offset must not destroy the spread. */
Test(mean_ci, large_offset)
{
  double x[5] = {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5};
  double m, lo, hi, sd;
  cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 5, 0.95), TC_SUCCESS);
  cr_expect(m == 1e9 + 3, "mean %.17g", m);
  cr_expect(fabs(sd - sqrt(2.5)) <= 1e-15, "sd %.17g", sd);
}

Test(mean_ci, random_against_gsl)
{
  unsigned long seed = test_seed();
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double x[500];
  for (int it = 0; it < 200; it++) {
    size_t n = 2 + gsl_rng_uniform_int(r, 499);
    double mu = 100 * (gsl_rng_uniform(r) - 0.5), s = exp(4 * (gsl_rng_uniform(r) - 0.5));
    double conf = 0.5 + 0.499 * gsl_rng_uniform(r);
    for (size_t i = 0; i < n; i++)
      x[i] = mu + gsl_ran_gaussian(r, s);
    double m, lo, hi, sd;
    cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, n, conf), TC_SUCCESS, "seed %lu", seed);
    double gm = gsl_stats_mean(x, 1, n), gsd = gsl_stats_sd_m(x, 1, n, gm);
    double half = gsl_cdf_tdist_Pinv(0.5 + 0.5 * conf, (double)(n - 1)) * gsd / sqrt((double)n);
    cr_expect(fabs(m - gm) <= 1e-13 * (fabs(gm) + s), "seed %lu it %d: mean %.17g vs %.17g",
              seed, it, m, gm);
    cr_expect(fabs(sd - gsd) <= 1e-12 * gsd, "seed %lu it %d: sd %.17g vs %.17g", seed, it,
              sd, gsd);
    cr_expect(fabs((hi - lo) / 2 - half) <= 1e-10 * half,
              "seed %lu it %d: half-width %.17g vs %.17g", seed, it, (hi - lo) / 2, half);
  }
  gsl_rng_free(r);
}

/* The interval covers the true mean of normal samples at the nominal
 * rate: 4000 intervals at 90%, binomial sd 0.0047, so +-0.02 is > 4 sd. */
Test(mean_ci, coverage)
{
  unsigned long seed = test_seed();
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double x[8];
  int covered = 0, trials = 4000;
  for (int it = 0; it < trials; it++) {
    for (size_t i = 0; i < 8; i++)
      x[i] = 5.0 + gsl_ran_gaussian(r, 2.0);
    double m, lo, hi, sd;
    cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 8, 0.9), TC_SUCCESS);
    covered += lo <= 5.0 && 5.0 <= hi;
  }
  double rate = (double)covered / trials;
  cr_expect(fabs(rate - 0.9) <= 0.02, "seed %lu: coverage %.4f, nominal 0.9", seed, rate);
  gsl_rng_free(r);
}
