/* Tests for tc_clopper_pearson: domain errors and edge cases first, then
 * published values, closed forms in MPFR, and the defining property of
 * the interval on random (k, n, confidence) from a fixed seed
 * (THMCHECK_TEST_SEED overrides it). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <mpfr.h>

#include "tc_stats.h"
#include "tc_status.h"

static unsigned long test_seed(void)
{
  const char *s = getenv("THMCHECK_TEST_SEED");
  return s != NULL && *s != '\0' ? strtoul(s, NULL, 10) : 20240611UL;
}

/* The tests check statuses themselves; GSL must not abort them. */
static void setup(void)
{
  gsl_set_error_handler_off();
}

TestSuite(clopper_pearson, .init = setup);

Test(clopper_pearson, domain_errors)
{
  double lo = -7.0, hi = -7.0;
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 11, 10, 0.95), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 0, 0, 0.95), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 1, 0, 0.95), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, 0.0), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, 1.0), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, -0.5), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, 1.5), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, NAN), TC_EDOM);
  cr_expect_eq(tc_clopper_pearson(&lo, &hi, 5, 10, INFINITY), TC_EDOM);
  /* Outputs are left alone on error. */
  cr_expect(lo == -7.0 && hi == -7.0);
}

Test(clopper_pearson, n_equals_one)
{
  double lo, hi;
  cr_assert_eq(tc_clopper_pearson(&lo, &hi, 1, 1, 0.95), TC_SUCCESS);
  cr_expect(fabs(lo - 0.025) <= 1e-12, "lo = %.17g", lo);
  cr_expect(lo <= 0.025 + 1e-15, "lo = %.17g not conservative", lo);
  cr_expect_eq(hi, 1.0);
  cr_assert_eq(tc_clopper_pearson(&lo, &hi, 0, 1, 0.95), TC_SUCCESS);
  cr_expect_eq(lo, 0.0);
  cr_expect(fabs(hi - 0.975) <= 1e-12, "hi = %.17g", hi);
  cr_expect(hi >= 0.975 - 1e-15, "hi = %.17g not conservative", hi);
}

Test(clopper_pearson, k_zero_and_k_n_are_exact_endpoints)
{
  double lo, hi;
  for (size_t n = 1; n <= 50; n++) {
    cr_assert_eq(tc_clopper_pearson(&lo, &hi, 0, n, 0.9), TC_SUCCESS);
    cr_expect_eq(lo, 0.0, "n = %zu", n);
    cr_assert_eq(tc_clopper_pearson(&lo, &hi, n, n, 0.9), TC_SUCCESS);
    cr_expect_eq(hi, 1.0, "n = %zu", n);
  }
}

/* Published 95% intervals (e.g. Clopper & Pearson 1934 tables, R's
 * binom.test), 5 decimals. */
Test(clopper_pearson, published_values)
{
  static const struct {
    size_t k, n;
    double lo, hi;
  } t[] = {
    {0, 10, 0.0, 0.30850},    {10, 10, 0.69150, 1.0},
    {5, 10, 0.18709, 0.81291}, {1, 1, 0.025, 1.0},
    {50, 100, 0.39832, 0.60168}, {1, 10, 0.00253, 0.44502},
    {0, 100, 0.0, 0.03622},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    double lo, hi;
    cr_assert_eq(tc_clopper_pearson(&lo, &hi, t[i].k, t[i].n, 0.95), TC_SUCCESS);
    cr_expect(fabs(lo - t[i].lo) <= 5e-6, "k=%zu n=%zu: lower %.8f, published %.5f",
              t[i].k, t[i].n, lo, t[i].lo);
    cr_expect(fabs(hi - t[i].hi) <= 5e-6, "k=%zu n=%zu: upper %.8f, published %.5f",
              t[i].k, t[i].n, hi, t[i].hi);
  }
}

/* k = n: lower = (alpha/2)^(1/n); k = 0: upper = 1 - (alpha/2)^(1/n).
 * Computed in MPFR at 200 bits from the same double alpha/2 the function
 * uses, so the comparison sees only the function's own error. */
Test(clopper_pearson, closed_forms_in_mpfr)
{
  static const double conf[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1 - 1e-9};
  mpfr_t q, t;
  mpfr_inits2(200, q, t, (mpfr_ptr)0);
  for (size_t c = 0; c < sizeof conf / sizeof conf[0]; c++) {
    double half = 0.5 * (1.0 - conf[c]);
    for (size_t n = 1; n <= 1000; n += (n < 20 ? 1 : 37)) {
      mpfr_set_d(q, half, MPFR_RNDN);
      mpfr_rootn_ui(q, q, (unsigned long)n, MPFR_RNDN);
      double exact_lo = mpfr_get_d(q, MPFR_RNDN);
      mpfr_ui_sub(t, 1, q, MPFR_RNDN);
      double exact_hi = mpfr_get_d(t, MPFR_RNDN);
      double lo, hi;
      cr_assert_eq(tc_clopper_pearson(&lo, &hi, n, n, conf[c]), TC_SUCCESS);
      cr_expect(fabs(lo - exact_lo) <= 1e-12 && lo <= exact_lo * (1 + 1e-14),
                "k=n=%zu conf=%.17g: lower %.17g, exact %.17g", n, conf[c], lo, exact_lo);
      cr_assert_eq(tc_clopper_pearson(&lo, &hi, 0, n, conf[c]), TC_SUCCESS);
      cr_expect(fabs(hi - exact_hi) <= 1e-12 && hi >= exact_hi - 1e-14 * exact_hi - 0x1p-53,
                "k=0 n=%zu conf=%.17g: upper %.17g, exact %.17g", n, conf[c], hi, exact_hi);
    }
  }
  mpfr_clears(q, t, (mpfr_ptr)0);
}

/* Swapping successes and failures mirrors the interval. */
Test(clopper_pearson, mirror_symmetry)
{
  for (size_t n = 1; n <= 60; n += 7)
    for (size_t k = 0; k <= n; k++) {
      double lo1, hi1, lo2, hi2;
      cr_assert_eq(tc_clopper_pearson(&lo1, &hi1, k, n, 0.95), TC_SUCCESS);
      cr_assert_eq(tc_clopper_pearson(&lo2, &hi2, n - k, n, 0.95), TC_SUCCESS);
      cr_expect(fabs(lo1 - (1 - hi2)) <= 2e-16 && fabs(hi1 - (1 - lo2)) <= 2e-16,
                "k=%zu n=%zu: [%.17g, %.17g] vs mirrored [%.17g, %.17g]", k, n, lo1,
                hi1, 1 - hi2, 1 - lo2);
    }
}

/* The defining property: P(X >= k | p = lower) = alpha/2 and
 * P(X <= k | p = upper) = alpha/2, with the returned endpoints on the
 * conservative side within 1e-12 (the header's promise). */
static void check_property(size_t k, size_t n, double conf, unsigned long seed)
{
  double lo, hi, half = 0.5 * (1.0 - conf);
  int s = tc_clopper_pearson(&lo, &hi, k, n, conf);
  cr_assert_eq(s, TC_SUCCESS, "seed %lu: k=%zu n=%zu conf=%.17g: status %d", seed, k, n,
               conf, s);
  double phat = (double)k / (double)n;
  cr_assert(0.0 <= lo && lo <= phat && phat <= hi && hi <= 1.0,
            "seed %lu: k=%zu n=%zu conf=%.17g: [%.17g, %.17g]", seed, k, n, conf, lo, hi);
  /* GSL's binomial tail has its own relative error; 1e-9 is far above
   * it and far below what a 1e-12 shift of p changes at these n. */
  double slack = 1e-9 * half;
  if (k > 0) {
    double at = gsl_cdf_binomial_Q((unsigned)(k - 1), lo, (unsigned)n);
    double past = gsl_cdf_binomial_Q((unsigned)(k - 1), fmin(1.0, lo + 1e-12), (unsigned)n);
    cr_expect(fabs(at - half) <= 1e-6 * half,
              "seed %lu: k=%zu n=%zu conf=%.17g: P(X>=k|lower=%.17g) = %.17g, want %.17g",
              seed, k, n, conf, lo, at, half);
    cr_expect(at <= half + slack && past >= half - slack,
              "seed %lu: k=%zu n=%zu conf=%.17g: lower %.17g not within 1e-12 below exact "
              "(P at lower %.17g, at lower+1e-12 %.17g, alpha/2 %.17g)",
              seed, k, n, conf, lo, at, past, half);
  }
  if (k < n) {
    double at = gsl_cdf_binomial_P((unsigned)k, hi, (unsigned)n);
    double past = gsl_cdf_binomial_P((unsigned)k, fmax(0.0, hi - 1e-12), (unsigned)n);
    cr_expect(fabs(at - half) <= 1e-6 * half,
              "seed %lu: k=%zu n=%zu conf=%.17g: P(X<=k|upper=%.17g) = %.17g, want %.17g",
              seed, k, n, conf, hi, at, half);
    cr_expect(at <= half + slack && past >= half - slack,
              "seed %lu: k=%zu n=%zu conf=%.17g: upper %.17g not within 1e-12 above exact "
              "(P at upper %.17g, at upper-1e-12 %.17g, alpha/2 %.17g)",
              seed, k, n, conf, hi, at, past, half);
  }
}

Test(clopper_pearson, defining_property_fixed)
{
  check_property(5, 10, 0.95, 0);
  check_property(1, 1000, 0.95, 0);
  check_property(999, 1000, 0.99, 0);
  check_property(3, 7, 0.5, 0);
  check_property(50, 100, 1 - 1e-12, 0);
  check_property(1, 2, 0.999999, 0);
}

Test(clopper_pearson, defining_property_random)
{
  unsigned long seed = test_seed();
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  for (int i = 0; i < 400; i++) {
    size_t n = 1 + gsl_rng_uniform_int(r, i < 200 ? 40 : 3000);
    size_t k = gsl_rng_uniform_int(r, n + 1);
    double conf = 0.5 + 0.4999 * gsl_rng_uniform(r);
    check_property(k, n, conf, seed);
  }
  gsl_rng_free(r);
}

/* Large n: gsl_cdf_beta_Pinv gives up (NaN) for large shape parameters;
 * the bisection must still find the interval. */
Test(clopper_pearson, large_n)
{
  double lo, hi;
  cr_assert_eq(tc_clopper_pearson(&lo, &hi, 500000, 1000000, 0.95), TC_SUCCESS);
  /* Normal approximation: 0.5 +- 1.96 * 0.0005. */
  cr_expect(fabs(lo - (0.5 - 1.959964 * 0.0005)) < 2e-6, "lo = %.17g", lo);
  cr_expect(fabs(hi - (0.5 + 1.959964 * 0.0005)) < 2e-6, "hi = %.17g", hi);
  cr_assert_eq(tc_clopper_pearson(&lo, &hi, 3, 1000000, 0.95), TC_SUCCESS);
  cr_expect(lo > 0 && lo < 3e-6 && hi > 3e-6 && hi < 1e-5, "[%.17g, %.17g]", lo, hi);
}
