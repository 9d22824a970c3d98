/* Soundness holes found by probing thmcheck from the outside
 * (tests/data/adversarial.thm): each false statement here once passed. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "thmcheck.h"
#include "tc_stats.h"

static tc_catalog *cat;

static void load(void)
{
  char err[512] = "";
  int status = tc_catalog_load_file(&cat, TC_SRCDIR "/tests/data/adversarial.thm", err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
}

static void unload(void) { tc_catalog_free(cat); }

TestSuite(adversarial, .init = load, .fini = unload);

/* The verdict of one claim (both precisions), and its reason in *why. */
static tc_verdict run(const char *id, char *why, size_t whylen)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  cr_assert_not_null(cl, "claim %s", id);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = 1;
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_verdict v = res->claims[0].verdict;
  snprintf(why, whylen, "%s", res->claims[0].reason ? res->claims[0].reason : "");
  tc_run_result_free(res);
  return v;
}

static void expect_not_pass(const char *id, tc_verdict want)
{
  char why[1024];
  tc_verdict v = run(id, why, sizeof why);
  cr_expect_neq(v, TC_PASS, "%s: a false statement passed: %s", id, why);
  cr_expect_eq(v, want, "%s: expected %s, got %s (%s)", id, tc_verdict_name(want),
               tc_verdict_name(v), why);
}

Test(adversarial, mpfr_underflow_is_an_error)
{
  char why[1024];
  cr_expect_eq(run("adv-mpfr-underflow", why, sizeof why), TC_ERROR, "%s", why);
  cr_expect(strstr(why, "underflowed") != NULL, "%s", why);
}

Test(adversarial, expectation_difference_below_double_rounding_fails)
{
  expect_not_pass("adv-exp-rounding", TC_FAIL);
}

Test(adversarial, expectation_true_difference_below_double_rounding_passes)
{
  char why[1024];
  cr_expect_eq(run("adv-exp-rounding-true", why, sizeof why), TC_PASS, "%s", why);
}

Test(adversarial, expectation_below_double_range_fails)
{
  expect_not_pass("adv-exp-below-double", TC_FAIL);
}

Test(adversarial, subnormal_spread_is_not_a_zero_width_interval)
{
  expect_not_pass("adv-exp-subnormal-spread", TC_INCONCLUSIVE);
}

Test(adversarial, huge_spread_is_not_a_zero_width_interval)
{
  expect_not_pass("adv-exp-huge-spread", TC_INCONCLUSIVE);
}

/* tc_mean_ci itself: the interval scales with the sample at any size. */
Test(adversarial, mean_ci_is_scale_invariant)
{
  const double base[5] = {-1.5, 0.25, 2.0, -0.75, 1.0};
  double ref_m, ref_lo, ref_hi, ref_sd;
  cr_assert_eq(tc_mean_ci(&ref_m, &ref_lo, &ref_hi, &ref_sd, base, 5, 0.95), TC_SUCCESS);
  const int exps[] = {-1060, -1000, 500, 1000};
  for (size_t k = 0; k < sizeof exps / sizeof exps[0]; k++) {
    double x[5], m, lo, hi, sd;
    for (int i = 0; i < 5; i++)
      x[i] = ldexp(base[i], exps[k]);
    cr_assert_eq(tc_mean_ci(&m, &lo, &hi, &sd, x, 5, 0.95), TC_SUCCESS);
    double want = ldexp(ref_sd, exps[k]);
    cr_expect(sd > 0 && fabs(sd - want) <= 1e-6 * want + ldexp(1, -1070), "2^%d: sd %g, want %g",
              exps[k], sd, want);
    cr_expect(lo < m && m < hi, "2^%d: a non-degenerate interval", exps[k]);
  }
  const double wide[3] = {1e308, -1e308, 1e308};
  double m, lo, hi, sd;
  cr_expect_eq(tc_mean_ci(&m, &lo, &hi, &sd, wide, 3, 0.95), TC_EDOM, "differences overflow");
}

/* A module's (here: the catalog's) exact value that the sample refutes
 * cannot decide PASS. */
Test(adversarial, refuted_exact_probability_does_not_pass)
{
  char why[1024];
  cr_expect_eq(run("adv-prob-wrong-reference", why, sizeof why), TC_ERROR, "%s", why);
  cr_expect(strstr(why, "1 decided by the exact probability") != NULL, "%s", why);
  cr_expect(strstr(why, "lies outside the interval") != NULL, "%s", why);
}

Test(adversarial, refuted_exact_expectation_does_not_pass)
{
  char why[1024];
  cr_expect_eq(run("adv-exp-wrong-reference", why, sizeof why), TC_ERROR, "%s", why);
}

Test(adversarial, bound_rounded_to_the_range_end_does_not_pass)
{
  char why[1024];
  cr_expect_neq(run("adv-exp-clipped-bound", why, sizeof why), TC_PASS, "%s", why);
}

Test(adversarial, required_probability_below_double_is_not_zero)
{
  char why[1024];
  cr_expect_neq(run("adv-prob-bound-below-double", why, sizeof why), TC_PASS, "%s", why);
}

/* Lecture claims at a high MPFR precision: a module's error estimate must
 * cover what the precision does not (a truncated series) and must not be a
 * double that underflows to 0 (64 * 2^-1100).  Both true claims failed. */
static tc_verdict run_lecture_claim(const char *file, const char *id, mpfr_prec_t bits)
{
  tc_catalog *lect = NULL;
  char err[512] = "";
  char path[512];
  snprintf(path, sizeof path, "%s/theorems/%s", TC_SRCDIR, file);
  cr_assert_eq(tc_catalog_load_file(&lect, path, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim *cl = tc_catalog_find(lect, id);
  cr_assert_not_null(cl, "%s", id);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = 1;
  opt.precision = TC_PREC_MPFR;
  opt.bits = bits;
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_verdict v = res->claims[0].verdict;
  cr_expect_eq(v, TC_PASS, "%s at %ld bits: %s", id, (long)bits, res->claims[0].reason);
  tc_run_result_free(res);
  tc_catalog_free(lect);
  return v;
}

Test(adversarial, series_truncation_is_in_the_error_estimate)
{
  run_lecture_claim("ntk-more.thm", "ntk-taylor-series", 512);
}

Test(adversarial, error_estimate_below_double_range_is_kept)
{
  run_lecture_claim("orth-cube.thm", "orth-cos-class-rescaled", 1100);
}

Test(adversarial, ntk2_error_estimates_survive_high_precision)
{
  run_lecture_claim("ntk-more.thm", "rf-sign-signed", 1200);
  run_lecture_claim("ntk-more.thm", "ntk-taylor-series", 1200);
}

Test(adversarial, rkhs_tolerances_survive_high_precision)
{
  run_lecture_claim("rkhs.thm", "rkhs-repr", 1200);
}
