/* The engine on calibration claims whose verdicts are known by
 * construction (tests/data/engine.thm), plus reproducibility. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"

static tc_catalog *cat;

static void load(void)
{
  char err[512] = "";
  int status = tc_catalog_load_file(&cat, TC_SRCDIR "/tests/data/engine.thm", err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
}

static void unload(void) { tc_catalog_free(cat); }

TestSuite(engine, .init = load, .fini = unload);

static tc_run_result *run_claim(const char *id, const tc_run_options *opt)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  cr_assert_not_null(cl, "claim %s", id);
  tc_run_result *res = NULL;
  char err[512] = "";
  int status = tc_run_claims(&res, &cl, 1, opt, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s: %s", id, err);
  return res;
}

static void expect(const char *id, tc_verdict v)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim(id, &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->verdict, v, "%s: expected %s, got %s (%s)", id, tc_verdict_name(v),
               tc_verdict_name(c->verdict), c->reason);
  /* Both precisions ran and, on these exact instances, agree. */
  cr_expect(c->prec[0].ran && c->prec[1].ran, "%s: both precisions", id);
  if (v == TC_FAIL) {
    cr_expect(c->prec[1].has_witness, "%s: a FAIL names its counterexample", id);
    cr_expect_not_null(c->reproduce, "%s: and how to reproduce it", id);
  }
  tc_run_result_free(res);
}

Test(engine, deterministic_equality_passes) { expect("det-equal-pass", TC_PASS); }
Test(engine, deterministic_tightened_bound_fails) { expect("det-tightened-fail", TC_FAIL); }
Test(engine, deterministic_range_violation_is_found) { expect("det-range-fail", TC_FAIL); }
Test(engine, probability_pass) { expect("prob-pass", TC_PASS); }
Test(engine, probability_tightened_fails) { expect("prob-fail", TC_FAIL); }
Test(engine, probability_at_boundary_is_inconclusive) { expect("prob-boundary-inconclusive", TC_INCONCLUSIVE); }
Test(engine, expectation_pass) { expect("exp-pass", TC_PASS); }
Test(engine, expectation_tightened_fails) { expect("exp-fail", TC_FAIL); }
Test(engine, expectation_at_boundary_is_inconclusive) { expect("exp-boundary-inconclusive", TC_INCONCLUSIVE); }
Test(engine, rate_pass) { expect("rate-pass", TC_PASS); }
Test(engine, rate_wrong_exponent_fails) { expect("rate-tightened-fail", TC_FAIL); }
Test(engine, nan_never_passes_deterministic) { expect("det-nan-error", TC_ERROR); }
Test(engine, nan_never_passes_probability) { expect("prob-nan-error", TC_ERROR); }
Test(engine, nan_never_passes_expectation) { expect("exp-nan-error", TC_ERROR); }
Test(engine, infinite_bound_never_passes) { expect("det-inf-bound-error", TC_ERROR); }

/* Issue 6: values beyond double's range, and requirements that are no
 * numbers, never pass. */
Test(engine, overflowing_lhs_fails) { expect("det-overflow-lhs-fail", TC_FAIL); }
Test(engine, overflowing_product_fails) { expect("det-overflow-product-fail", TC_FAIL); }
Test(engine, overflowing_negative_rhs_fails) { expect("det-overflow-rhs-fail", TC_FAIL); }
Test(engine, true_bound_beyond_double_passes) { expect("det-overflow-holds-pass", TC_PASS); }
Test(engine, overflowing_probability_rhs_fails) { expect("prob-overflow-rhs-fail", TC_FAIL); }
Test(engine, expectation_beyond_double_is_an_error) { expect("exp-overflow-error", TC_ERROR); }
Test(engine, nan_required_probability_is_an_error) { expect("prob-nan-probability-error", TC_ERROR); }
Test(engine, infinite_required_probability_is_an_error)
{
  expect("prob-minus-inf-probability-error", TC_ERROR);
}
Test(engine, negative_required_probability_is_an_error)
{
  expect("prob-negative-probability-error", TC_ERROR);
}
Test(engine, two_exponents_in_one_series_are_an_error) { expect("rate-mixed-exponent-error", TC_ERROR); }
Test(engine, nan_exponent_is_an_error) { expect("rate-nan-exponent-error", TC_ERROR); }

Test(engine, double_and_mpfr_disagreeing_is_an_error)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-precision-disagree-error", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->prec[0].verdict, TC_PASS, "double cannot see the violation");
  cr_expect_eq(c->prec[1].verdict, TC_FAIL, "MPFR can");
  cr_expect_eq(c->verdict, TC_ERROR, "%s", c->reason);
  cr_expect(c->disagree && strstr(c->disagree_note, "decide lhs <= rhs differently") != NULL);
  cr_expect(strstr(c->reason, "disagree") != NULL, "%s", c->reason);
  tc_run_result_free(res);
  /* With one precision only there is nothing to disagree with. */
  opt.precision = TC_PREC_MPFR;
  res = run_claim("det-precision-disagree-error", &opt);
  cr_expect_eq(res->claims[0].verdict, TC_FAIL);
  tc_run_result_free(res);
}

Test(engine, equality_rows_report_tightness_one)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-equal-pass", &opt);
  cr_expect_float_eq(res->claims[0].prec[1].tightness, 1.0, 1e-15);
  tc_run_result_free(res);
}

Test(engine, worst_case_search_approaches_the_supremum)
{
  /* ratio = value/10 with value <= 10: the search must get close to 1. */
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-search-tight", &opt);
  double t = res->claims[0].prec[1].tightness;
  cr_expect(t > 0.9 && t <= 1.0, "tightness %g", t);
  tc_run_result_free(res);
}

Test(engine, probability_interval_contains_the_exact_value)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("prob-pass", &opt);
  const tc_point_summary *p = &res->claims[0].prec[1].points[0];
  cr_expect(p->lower <= 0.95 && 0.95 <= p->upper, "[%g, %g]", p->lower, p->upper);
  cr_expect_float_eq(p->reference, 0.95, 1e-12);
  tc_run_result_free(res);
}

static char *json_of(const tc_run_options *opt, const char *id)
{
  tc_run_result *res = run_claim(id, opt);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_json(f, res), TC_SUCCESS);
  fclose(f);
  tc_run_result_free(res);
  return buf;
}

Test(engine, same_seed_gives_byte_identical_json)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  const char *ids[] = {"det-range-fail", "prob-fail", "exp-pass", "rate-pass"};
  for (size_t i = 0; i < 4; i++) {
    char *a = json_of(&opt, ids[i]), *b = json_of(&opt, ids[i]);
    cr_expect_str_eq(a, b, "%s", ids[i]);
    opt.seed = 12345;
    char *c = json_of(&opt, ids[i]);
    cr_expect_str_neq(a, c, "%s: another seed gives other instances", ids[i]);
    opt.seed = TC_DEFAULT_SEED;
    free(a);
    free(b);
    free(c);
  }
}

Test(engine, a_counterexample_reproduces_alone)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-range-fail", &opt);
  const tc_witness w = res->claims[0].prec[1].witness;
  double lhs = w.lhs, rhs = w.rhs;
  size_t index = w.index;
  /* The witness may come from the search: then the report gives every
   * parameter explicitly, and the reproduce command uses them. */
  const char *cmd = res->claims[0].reproduce;
  cr_assert_not_null(cmd);
  tc_override ov[8];
  size_t nov = 0;
  char *copy = strdup(cmd);
  for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " "))
    if (strcmp(tok, "--param") == 0) {
      char *kv = strtok(NULL, " ");
      char *eq = strchr(kv, '=');
      *eq = '\0';
      ov[nov++] = (tc_override){kv, eq + 1};
    }
  tc_run_options one;
  tc_run_options_init(&one);
  one.only_instance = (long)index;
  one.overrides = ov;
  one.noverrides = nov;
  tc_run_result *again = run_claim("det-range-fail", &one);
  const tc_witness *w2 = &again->claims[0].prec[1].witness;
  cr_expect_eq(again->claims[0].verdict, TC_FAIL);
  cr_expect_eq(w2->index, index);
  cr_expect_eq(w2->lhs, lhs, "lhs %.17g vs %.17g", w2->lhs, lhs);
  cr_expect_eq(w2->rhs, rhs);
  free(copy);
  tc_run_result_free(again);
  tc_run_result_free(res);
}

Test(engine, impossible_parameters_are_input_errors)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_override ov = {"p", "1.5"};
  opt.overrides = &ov;
  opt.noverrides = 1;
  const tc_claim *cl = tc_catalog_find(cat, "prob-pass");
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_expect_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_EDOM);
  cr_expect_null(res);
  cr_expect(strstr(err, "engine.thm:") != NULL && strstr(err, "p (") != NULL && strstr(err, "in [0, 1]") != NULL, "%s", err);
}

Test(engine, unknown_override_is_an_input_error)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_override ov = {"nosuch", "1"};
  opt.overrides = &ov;
  opt.noverrides = 1;
  const tc_claim *cl = tc_catalog_find(cat, "prob-pass");
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_expect_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_ENOTFOUND);
  cr_expect(strstr(err, "nosuch") != NULL, "%s", err);
}

Test(engine, exit_status_orders_fail_error_inconclusive)
{
  tc_claim_result c[3] = {{.verdict = TC_PASS}, {.verdict = TC_INCONCLUSIVE}, {.verdict = TC_PASS}};
  tc_run_result r = {.claims = c, .n = 3};
  cr_expect_eq(tc_run_exit_status(&r), 4);
  c[2].verdict = TC_ERROR;
  cr_expect_eq(tc_run_exit_status(&r), 3);
  c[0].verdict = TC_FAIL;
  cr_expect_eq(tc_run_exit_status(&r), 1);
  c[0].verdict = c[1].verdict = c[2].verdict = TC_PASS;
  cr_expect_eq(tc_run_exit_status(&r), 0);
}

/* Mutants: a PASS that refutes them is strong; one that refutes none, or
 * that lists none, is flagged weak. */
static void expect_mutants(const char *id, size_t refuted, size_t total, int weak)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim(id, &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->verdict, TC_PASS, "%s: %s", id, c->reason);
  for (int w = 0; w < 2; w++) {
    cr_expect_eq(c->prec[w].nmutants, total, "%s", id);
    cr_expect_eq(c->prec[w].mutants_refuted, refuted, "%s: %s", id, c->reason);
  }
  cr_expect_eq(c->weak, weak, "%s: %s", id, c->reason);
  cr_expect_eq(strstr(c->reason, "WEAK EVIDENCE") != NULL, weak, "%s", c->reason);
  tc_run_result_free(res);
}

Test(engine, deterministic_mutants_are_refuted) { expect_mutants("det-mutant-refuted", 1, 2, 0); }
Test(engine, probability_mutant_is_refuted) { expect_mutants("prob-mutant-refuted", 1, 1, 0); }
Test(engine, rate_mutant_is_refuted) { expect_mutants("rate-mutant-refuted", 1, 1, 0); }
Test(engine, a_pass_without_mutants_is_weak) { expect_mutants("det-equal-pass", 0, 0, 1); }

/* A declared output range gives a finite-sample interval, said so. */
static void expect_finite_sample(const char *id, tc_verdict v)
{
  expect(id, v);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim(id, &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->prec[1].finite_sample_points, 1, "%s: %s", id, c->reason);
  cr_expect(strstr(c->reason, v == TC_FAIL ? "empirical Bernstein, finite-sample" : "1 by a finite-sample") != NULL,
            "%s", c->reason);
  tc_run_result_free(res);
}

Test(engine, bounded_expectation_passes_with_finite_sample_interval) { expect_finite_sample("exp-bernstein-pass", TC_PASS); }
Test(engine, bounded_expectation_fails_with_finite_sample_interval) { expect_finite_sample("exp-bernstein-fail", TC_FAIL); }

/* Sequential sampling decides an undecided point with more instances, at
 * fixed indices, and stays INCONCLUSIVE only at the cap. */
static void expect_sequential(const char *id, tc_verdict v, size_t min_added, size_t max_added)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim(id, &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->verdict, v, "%s: %s", id, c->reason);
  for (int w = 0; w < 2; w++) {
    cr_expect_geq(c->prec[w].added_instances, min_added, "%s: %s", id, c->reason);
    cr_expect_leq(c->prec[w].added_instances, max_added, "%s: %s", id, c->reason);
    cr_expect_gt(c->prec[w].looks, 1, "%s", id);
  }
  cr_expect(strstr(c->reason, "sequential sampling") != NULL, "%s", c->reason);
  tc_run_result_free(res);
}

Test(engine, sequential_sampling_decides_pass) { expect_sequential("prob-sequential-pass", TC_PASS, 200, 12600); }
Test(engine, sequential_sampling_decides_fail) { expect_sequential("prob-sequential-fail", TC_FAIL, 0, 12600); }
Test(engine, sequential_sampling_inconclusive_only_at_cap) { expect_sequential("prob-sequential-cap", TC_INCONCLUSIVE, 600, 600); }
Test(engine, sequential_sampling_expectation) { expect_sequential("exp-sequential-pass", TC_PASS, 50, 6350); }

/* An instance added by sequential sampling re-runs alone at its index. */
Test(engine, sequential_instance_reproduces_alone)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.only_instance = 5000;
  tc_run_result *res = run_claim("prob-sequential-pass", &opt);
  cr_expect_eq(res->claims[0].prec[1].instances, 1);
  cr_expect_eq(res->claims[0].prec[1].witness.index, 5000);
  tc_run_result_free(res);
}

/* Worst-case search for a probability claim: the failing point exists
 * only near the range's end; the search finds it and a fresh batch there
 * (a point of its own) decides FAIL. */
Test(engine, probability_search_finds_the_failing_point)
{
  expect("prob-search-finds-fail", TC_FAIL);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("prob-search-finds-fail", &opt);
  const tc_precision_result *pr = &res->claims[0].prec[1];
  cr_assert_eq(pr->npoints, 2);
  cr_expect_eq(pr->points[0].verdict, TC_PASS, "the range's middle holds");
  cr_expect(strstr(pr->points[1].params, "worst found by search") != NULL, "%s", pr->points[1].params);
  cr_expect_eq(pr->points[1].verdict, TC_FAIL);
  cr_expect_eq(pr->points[1].n, 2000, "confirmed on a fresh batch of `instances`");
  cr_expect(strstr(res->claims[0].reproduce, "--param p=") != NULL, "%s", res->claims[0].reproduce);
  tc_run_result_free(res);
}

Test(engine, probability_search_keeps_a_true_claim) { expect("prob-search-holds", TC_PASS); }

/* ---- joint tuples and counterexample shrinking ---------------------- */

Test(engine, joint_tuples_are_one_axis)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("tuple-grid-fail", &opt);
  const tc_precision_result *pr = &res->claims[0].prec[1];
  cr_expect_eq(res->claims[0].verdict, TC_FAIL, "%s", res->claims[0].reason);
  cr_assert_eq(pr->npoints, 3, "three tuples, not 3 x 3 points");
  cr_expect_str_eq(pr->points[0].params, "shape=sequence, value=1, rows=3");
  cr_expect_eq(pr->points[0].verdict, TC_PASS);
  cr_expect_str_eq(pr->points[1].params, "shape=sequence, value=4, rows=5");
  cr_expect_eq(pr->points[1].verdict, TC_FAIL);
  cr_expect_eq(pr->points[2].verdict, TC_PASS);
  tc_run_result_free(res);
  expect("tuple-grid-pass", TC_PASS);
}

Test(engine, param_on_a_tuple_member_selects_tuples)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_override ov = {"rows", "30"};
  opt.overrides = &ov;
  opt.noverrides = 1;
  tc_run_result *res = run_claim("tuple-grid-fail", &opt);
  cr_assert_eq(res->claims[0].prec[1].npoints, 1);
  cr_expect_str_eq(res->claims[0].prec[1].points[0].params, "shape=sequence, value=2, rows=30");
  cr_expect_eq(res->claims[0].verdict, TC_PASS);
  tc_run_result_free(res);
  ov.value = "7";
  const tc_claim *cl = tc_catalog_find(cat, "tuple-grid-fail");
  char err[512] = "";
  cr_expect_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_EDOM);
  cr_expect(strstr(err, "--param rows=7") == err, "%s", err);
}

/* Run a shrunk counterexample's command ("thmcheck reproduce ID --instance
 * K ..." or "thmcheck run ID ... --instances N --first-index K ...") with
 * the library, as the CLI would. */
static tc_claim_result *rerun(tc_run_result **res, const char *id, const char *cmd)
{
  static tc_override ov[16];
  static char words[1024];
  tc_run_options opt;
  tc_run_options_init(&opt);
  snprintf(words, sizeof words, "%s", cmd);
  size_t n = 0;
  for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
    if (strncmp(w, "--", 2) != 0)
      continue;
    char *v = strtok(NULL, " ");
    cr_assert_not_null(v, "%s needs a value", w);
    if (strcmp(w, "--instance") == 0)
      opt.only_instance = atol(v);
    else if (strcmp(w, "--instances") == 0)
      opt.instances = (size_t)atol(v);
    else if (strcmp(w, "--first-index") == 0)
      opt.first_index = (size_t)atol(v);
    else if (strcmp(w, "--param") == 0 && n < 16) {
      char *eq = strchr(v, '=');
      *eq = '\0';
      ov[n++] = (tc_override){v, eq + 1};
    }
  }
  opt.overrides = ov;
  opt.noverrides = n;
  *res = run_claim(id, &opt);
  return &(*res)->claims[0];
}

static double shrunk_value(const tc_claim_result *c, const char *name)
{
  char key[64];
  snprintf(key, sizeof key, "%s=", name);
  const char *at = strstr(c->shrunk.params, key);
  while (at && at != c->shrunk.params && at[-1] != ' ')
    at = strstr(at + 1, key);
  cr_assert_not_null(at, "%s in %s", name, c->shrunk.params);
  return strtod(at + strlen(key), NULL);
}

Test(engine, deterministic_counterexample_shrinks_to_a_rounder_value)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-range-fail", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_assert(c->has_shrunk, "a FAIL is shrunk");
  double before = strtod(strstr(c->prec[1].witness.params, "value=") + 6, NULL);
  double after = shrunk_value(c, "value");
  /* value * 2^-k > 5 * 2^-k exactly when value > 5: the simplest is 6. */
  cr_expect(after > 5 && after <= before && after == floor(after), "%g -> %g", before, after);
  cr_expect_eq(shrunk_value(c, "rows"), 1, "%s", c->shrunk.params);
  cr_expect(c->shrunk.lhs > c->shrunk.rhs);
  cr_expect(c->shrink_runs <= TC_SHRINK_RUNS);
  cr_expect(strstr(c->shrunk_reproduce, "thmcheck reproduce det-range-fail --instance ") ==
            c->shrunk_reproduce, "%s", c->shrunk_reproduce);
  tc_run_result *again;
  const tc_claim_result *a = rerun(&again, "det-range-fail", c->shrunk_reproduce);
  cr_expect_eq(a->verdict, TC_FAIL, "the shrunk counterexample fails alone: %s", a->reason);
  cr_expect_float_eq(a->prec[1].witness.lhs, c->shrunk.lhs, 0);
  tc_run_result_free(again);
  tc_run_result_free(res);
}

Test(engine, counterexample_shrinks_its_size)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-rows-shrink", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_assert(c->has_shrunk);
  cr_expect_eq(shrunk_value(c, "rows"), 4, "%s", c->shrunk.params);
  cr_expect_float_eq(c->shrunk.lhs, 4, 0);
  tc_run_result *again;
  cr_expect_eq(rerun(&again, "det-rows-shrink", c->shrunk_reproduce)->verdict, TC_FAIL);
  tc_run_result_free(again);
  tc_run_result_free(res);
}

Test(engine, probability_counterexample_shrinks_on_a_fresh_sample)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("prob-fail", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_assert(c->has_shrunk);
  /* p = 0.95 against a required 0.97: 0.9 is rounder and fails too. */
  cr_expect_float_eq(shrunk_value(c, "p"), 0.9, 0);
  cr_expect(c->shrunk.index >= TC_SHRINK_FIRST_INDEX, "fresh instances");
  cr_expect(c->shrunk.lhs < c->shrunk.rhs, "p-hat %g < required %g", c->shrunk.lhs, c->shrunk.rhs);
  tc_run_result *again;
  const tc_claim_result *a = rerun(&again, "prob-fail", c->shrunk_reproduce);
  cr_expect_eq(a->verdict, TC_FAIL, "%s", a->reason);
  cr_expect_float_eq(a->prec[1].points[0].estimate, c->shrunk.lhs, 0, "the same sample");
  tc_run_result_free(again);
  tc_run_result_free(res);
}

Test(engine, passing_claims_are_not_shrunk)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-equal-pass", &opt);
  cr_expect(!res->claims[0].has_shrunk && res->claims[0].shrink_runs == 0);
  tc_run_result_free(res);
}

/* ---- parallel runs ------------------------------------------------- */

typedef struct {
  char log[1 << 16];
  size_t len;
} progress_log;

static void record_progress(void *data, const char *claim, size_t done, size_t total)
{
  progress_log *pl = data;
  int n = snprintf(pl->log + pl->len, sizeof pl->log - pl->len, "%s %zu/%zu\n", claim, done, total);
  if (n > 0 && pl->len + (size_t)n < sizeof pl->log)
    pl->len += (size_t)n;
}

/* Every claim of engine.thm (searches, errors, overflow, all four kinds)
 * in one run: the JSON, and the progress calls, are the same for any
 * number of threads. */
static char *catalog_json(unsigned jobs, progress_log *pl)
{
  const tc_claim **cls = malloc(cat->n * sizeof *cls);
  cr_assert_not_null(cls);
  for (size_t i = 0; i < cat->n; i++)
    cls[i] = &cat->claims[i];
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = jobs;
  pl->len = 0;
  opt.progress = record_progress;
  opt.progress_data = pl;
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, cls, cat->n, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_json(f, res), TC_SUCCESS);
  fclose(f);
  tc_run_result_free(res);
  free(cls);
  return buf;
}

Test(engine, same_json_for_any_number_of_threads, .timeout = 120)
{
  cr_expect(mpfr_buildopt_tls_p(), "MPFR without TLS: runs fall back to one thread");
  static progress_log p1, pk;
  char *one = catalog_json(1, &p1);
  cr_assert_gt(p1.len, 0);
  for (unsigned jobs = 2; jobs <= 3; jobs++) {
    char *many = catalog_json(jobs, &pk);
    cr_expect_str_eq(one, many, "JSON at jobs = 1 and jobs = %u", jobs);
    cr_expect(p1.len == pk.len && memcmp(p1.log, pk.log, p1.len) == 0,
              "progress calls at jobs = 1 and jobs = %u", jobs);
    free(many);
  }
  char *dflt = catalog_json(0, &pk);
  cr_expect_str_eq(one, dflt, "JSON at jobs = 0 (one per core)");
  free(dflt);
  free(one);
}

Test(engine, jobs_out_of_range_is_an_input_error)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = TC_MAX_THREADS + 1;
  const tc_claim *cl = tc_catalog_find(cat, "prob-pass");
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_expect_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_EDOM);
  cr_expect_null(res);
  cr_expect(strstr(err, "jobs") != NULL, "%s", err);
}

/* Issue 8: a row violated by more than rounding but within the module's
 * error estimate is undecided: INCONCLUSIVE, never PASS or FAIL, with the
 * margin against the estimate and the command that shows it. */
Test(engine, margin_within_the_error_estimate_is_inconclusive)
{
  expect("det-within-error-inconclusive", TC_INCONCLUSIVE);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-within-error-inconclusive", &opt);
  const tc_claim_result *c = &res->claims[0];
  for (int b = 0; b < 2; b++) {
    const tc_precision_result *pr = &c->prec[b];
    cr_expect_eq(pr->verdict, TC_INCONCLUSIVE, "backend %d: %s", b, pr->reason);
    cr_expect_eq(pr->within_error, 40, "every row of both instances: %zu", pr->within_error);
    /* The worst row is the one whose margin is the largest part of its
     * estimate; here all are 1/2 of it. */
    cr_expect_float_eq(pr->within_error_margin / pr->within_error_err, 0.5, 1e-6);
    cr_expect(pr->has_witness);
  }
  cr_expect(strstr(c->reason, "40 rows violate it within that estimate") != NULL, "%s", c->reason);
  cr_expect(strstr(c->reason, "within error") != NULL, "%s", c->reason);
  cr_expect_not_null(c->reproduce);
  cr_expect(c->reproduce && strstr(c->reason, c->reproduce) != NULL, "%s", c->reason);
  tc_run_result_free(res);
}

Test(engine, margin_beyond_the_error_estimate_fails) { expect("det-beyond-error-fail", TC_FAIL); }
Test(engine, rows_inside_the_noise_floor_still_pass) { expect("det-noise-floor-pass", TC_PASS); }
Test(engine, probability_with_undecided_instances_is_inconclusive)
{
  expect("prob-within-error-inconclusive", TC_INCONCLUSIVE);
}

/* The less exact backend cannot decide what the most exact one passes:
 * double rounds 1 + 1.5e-16 up to 1 + 2^-52, a violation inside the error
 * estimate; MPFR computes 1.5e-16 and passes.  The claim is MPFR's PASS,
 * and the reason names the undecided double run. */
Test(engine, inconclusive_double_against_passing_mpfr_is_pass)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-precisions-within-error-vs-pass", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->prec[0].verdict, TC_INCONCLUSIVE, "%s", c->prec[0].reason);
  cr_expect_eq(c->prec[1].verdict, TC_PASS, "%s", c->prec[1].reason);
  cr_expect_eq(c->verdict, TC_PASS, "%s", c->reason);
  cr_expect(strstr(c->reason, "the less exact run") != NULL, "%s", c->reason);
  tc_run_result_free(res);
}

/* One precision passes, the other cannot decide: INCONCLUSIVE, not ERROR
 * (PASS against FAIL stays ERROR: double_and_mpfr_disagreeing_is_an_error). */
Test(engine, pass_against_inconclusive_is_inconclusive)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = run_claim("det-precisions-pass-vs-within-error", &opt);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->prec[0].verdict, TC_PASS, "double rounds the lhs to 0: %s", c->prec[0].reason);
  cr_expect_eq(c->prec[1].verdict, TC_INCONCLUSIVE, "%s", c->prec[1].reason);
  cr_expect_eq(c->verdict, TC_INCONCLUSIVE, "%s", c->reason);
  cr_expect(strstr(c->reason, "says INCONCLUSIVE") != NULL, "%s", c->reason);
  cr_expect(c->reproduce && strstr(c->reason, c->reproduce) != NULL, "%s", c->reason);
  tc_run_result_free(res);
}
