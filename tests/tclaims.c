/* Every lecture check can fail: a deliberately tightened bound is refuted
 * with FAIL, next to a small copy of the claim as stated
 * (tests/data/mutations.thm). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"

static tc_catalog *cat;

static void load(void)
{
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, TC_SRCDIR "/tests/data/mutations.thm", err, sizeof err),
               TC_SUCCESS, "%s", err);
}

static void unload(void) { tc_catalog_free(cat); }

TestSuite(claims, .init = load, .fini = unload, .timeout = 240);

static void expect(const char *id, tc_verdict v)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  cr_assert_not_null(cl, "%s", id);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s: %s", id, err);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->verdict, v, "%s: expected %s, got %s: %s", id, tc_verdict_name(v),
               tc_verdict_name(c->verdict), c->reason);
  cr_expect_eq(c->prec[0].verdict, c->prec[1].verdict, "%s: double and MPFR agree", id);
  if (v == TC_FAIL)
    cr_expect(c->prec[1].has_witness && c->reproduce != NULL, "%s: counterexample and command", id);
  tc_run_result_free(res);
}

Test(claims, pl_gd_as_stated_passes) { expect("pl-gd-small", TC_PASS); }
Test(claims, pl_gd_tightened_rate_fails) { expect("pl-gd-tightened", TC_FAIL); }
Test(claims, sgd_corrected_passes) { expect("sgd-pl-corrected-small", TC_PASS); }
Test(claims, sgd_tightened_noise_term_fails) { expect("sgd-pl-tightened", TC_FAIL); }
Test(claims, ball_as_stated_passes) { expect("ball-small", TC_PASS); }
Test(claims, ball_tightened_probability_fails) { expect("ball-tightened", TC_FAIL); }
Test(claims, ntk_rate_as_stated_passes) { expect("ntk-h0-rate-small", TC_PASS); }
Test(claims, ntk_rate_wrong_exponent_fails) { expect("ntk-h0-rate-tightened", TC_FAIL); }
Test(claims, ntk_gram_tightened_constant_fails) { expect("ntk-gram-tightened", TC_FAIL); }

static char *json_at(const char *id, size_t instances, unsigned jobs)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.instances = instances;
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

static char *json_of(const char *id) { return json_at(id, 0, 0); }

Test(claims, same_seed_same_json_for_lecture_checks)
{
  const char *ids[] = {"pl-gd-small", "sgd-pl-corrected-small", "ball-small", "ntk-h0-rate-small"};
  for (size_t i = 0; i < 4; i++) {
    char *a = json_of(ids[i]), *b = json_of(ids[i]);
    cr_expect_str_eq(a, b, "%s", ids[i]);
    free(a);
    free(b);
  }
}

/* The lecture modules (BLAS, LAPACK, GSL, MPFR inside) give the same
 * bytes whatever the number of threads. */
Test(claims, same_json_for_any_number_of_threads)
{
  const char *ids[] = {"pl-gd-small", "sgd-pl-corrected-small", "ball-small", "ntk-h0-rate-small",
                       "ntk-gram-tightened"};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    char *one = json_at(ids[i], 4, 1);
    for (unsigned jobs = 2; jobs <= 3; jobs++) {
      char *many = json_at(ids[i], 4, jobs);
      cr_expect_str_eq(one, many, "%s at jobs = 1 and %u", ids[i], jobs);
      free(many);
    }
    free(one);
  }
}
