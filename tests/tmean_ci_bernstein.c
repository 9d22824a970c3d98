/* Tests for tc_mean_ci_bernstein: domain errors, a constant sample, the
 * formula on a hand-computed case, and coverage at small n on skewed
 * bounded samples (where the Student-t interval under-covers), from a
 * fixed seed (THMCHECK_TEST_SEED overrides it). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "tc_stats.h"
#include "tc_status.h"
#include "test_seed.h"

Test(mean_ci_bernstein, domain_errors)
{
  double x[] = {0.2, 0.4}, m, lo, hi;
  cr_expect_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 1, 0, 1, 0.95), TC_EDOM);
  cr_expect_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 2, 1, 0, 0.95), TC_EDOM);
  cr_expect_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 2, 0, 1, 1.0), TC_EDOM);
  cr_expect_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 2, 0, 0.3, 0.95), TC_EDOM, "0.4 is outside [0, 0.3]");
  double nan_x[] = {0.2, NAN};
  cr_expect_eq(tc_mean_ci_bernstein(&m, &lo, &hi, nan_x, 2, 0, 1, 0.95), TC_EDOM);
}

Test(mean_ci_bernstein, formula_by_hand)
{
  /* x = 0, 1 on [0, 1]: mean 1/2, V = 1/2, n = 2, confidence 0.9 ->
   * log(2/0.05) = log 40; width sqrt(2 * 0.5 * log 40 / 2) + 7 log 40 / 3. */
  double x[] = {0, 1}, m, lo, hi;
  cr_assert_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 2, 0, 1, 0.9), TC_SUCCESS);
  cr_expect_float_eq(m, 0.5, 1e-15);
  cr_expect_eq(lo, 0.0, "clipped to the range");
  cr_expect_eq(hi, 1.0, "clipped to the range");
  /* Scaled to [10, 30] a sample of 400 copies of 10 and 30 alternating. */
  double y[400];
  for (int i = 0; i < 400; i++)
    y[i] = i % 2 ? 30 : 10;
  cr_assert_eq(tc_mean_ci_bernstein(&m, &lo, &hi, y, 400, 10, 30, 0.9), TC_SUCCESS);
  double v = 0.25 * 400.0 / 399.0, L = log(40.0);
  double w = 20 * (sqrt(2 * v * L / 400) + 7 * L / (3 * 399.0));
  cr_expect_float_eq(hi - m, w, 1e-12);
  cr_expect_float_eq(m - lo, w, 1e-12);
}

Test(mean_ci_bernstein, constant_sample_has_width_of_the_range_term_only)
{
  double x[10], m, lo, hi;
  for (int i = 0; i < 10; i++)
    x[i] = 0.5;
  cr_assert_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 10, 0, 1, 0.95), TC_SUCCESS);
  cr_expect_float_eq(hi - 0.5, 7 * log(80.0) / 27.0 > 0.5 ? 0.5 : 7 * log(80.0) / 27.0, 1e-12);
}

/* Bernoulli(p) with small p at n = 20: the t interval misses the mean far
 * more often than it should (a sample of zeros has width 0); the
 * Bernstein interval covers at least at its level. */
Test(mean_ci_bernstein, covers_skewed_small_samples)
{
  gsl_rng *rng = test_rng(test_seed());
  const double p = 0.02, confidence = 0.9;
  const int trials = 4000;
  int miss_b = 0, miss_t = 0;
  double x[20];
  for (int t = 0; t < trials; t++) {
    for (int i = 0; i < 20; i++)
      x[i] = gsl_rng_uniform(rng) < p ? 1.0 : 0.0;
    double m, lo, hi, sd;
    cr_assert_eq(tc_mean_ci_bernstein(&m, &lo, &hi, x, 20, 0, 1, confidence), TC_SUCCESS);
    miss_b += p < lo || p > hi;
    tc_mean_ci(&m, &lo, &hi, &sd, x, 20, confidence);
    miss_t += p < lo || p > hi;
  }
  gsl_rng_free(rng);
  cr_expect_leq(miss_b, (int)(0.1 * trials), "Bernstein missed %d of %d", miss_b, trials);
  cr_expect_gt(miss_t, (int)(0.5 * trials), "the t interval should under-cover here (missed %d)", miss_t);
}
