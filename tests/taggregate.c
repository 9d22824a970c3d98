/* Property tests of the four aggregators: random mixtures of rows that
 * hold, are violated, are violated within the module's error estimate
 * (ROW_NEAR), are equal within rounding (ROW_ROUND), NaN, +-Inf, beyond
 * double's range, and of instances that fail or produce no rows.  The
 * truth of each mixture is known to the test (it wrote the plan), so:
 *   - deterministic: the verdict is exactly FAIL (a finite violation),
 *     else ERROR (a defect), else INCONCLUSIVE (a row within the error
 *     estimate, issue 8), else PASS;
 *   - the other kinds: never PASS (nor INCONCLUSIVE) unless every point
 *     has evidence and no row is non-finite; FAIL only where a finite
 *     measurement can decide it.
 * The module is a test-local tc_check swapped into catalog claims, so the
 * whole engine path (expressions in MPFR, both precisions) is exercised. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"
#include "test_seed.h"

enum { ROW_OK, ROW_VIOL, ROW_NEAR, ROW_NAN, ROW_PINF, ROW_NINF, ROW_HUGE_VIOL, ROW_HUGE_HOLD,
       ROW_NEG, ROW_ROUND, NROWKINDS };
enum { INST_OK, INST_EMPTY, INST_ERROR };

#define POINTS_MAX 4
#define PER 8
#define ROWS_MAX 4

typedef struct {
  int inst[POINTS_MAX * PER];
  int nrows[POINTS_MAX * PER];
  int row[POINTS_MAX * PER][ROWS_MAX];
  double q[POINTS_MAX];  /* required probability / stated exponent per point */
} plan;

static plan g_plan;

static int plan_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  /* Runs past the plan (counterexample shrinking numbers its runs from
   * TC_SHRINK_FIRST_INDEX) replay a planned instance. */
  size_t k = inst->index % (POINTS_MAX * PER);
  if (g_plan.inst[k] == INST_ERROR) {
    snprintf(err, errlen, "planned failure");
    return TC_EFAILED;
  }
  double m = tc_point_get_or(inst->point, "m", 1.0);
  for (int r = 0; g_plan.inst[k] == INST_OK && r < g_plan.nrows[k]; r++) {
    /* lhs = y * s, rhs = b * s, evaluated in MPFR by the engine. */
    double y = 0.5 + 0.01 * (double)((k * 7 + (size_t)r * 3) % 5), b = 1, s = 1;
    if (m != 1.0)
      y = pow(m, -0.5) * (1 + 0.01 * (double)((k + (size_t)r) % 3));
    switch (g_plan.row[k][r]) {
    case ROW_VIOL: y = 2; break;
    case ROW_NEAR: y = 1 + 1e-12; break;      /* beyond rounding, within alpha = 1e-9 */
    case ROW_ROUND: y = 1 + 0x1p-50; break;   /* within both backends' rounding allowance */
    case ROW_NAN: y = NAN; break;
    case ROW_PINF: y = INFINITY; break;
    case ROW_NINF: b = -INFINITY; break;
    case ROW_HUGE_VIOL: y = 1e200, s = 1e300; break;
    case ROW_HUGE_HOLD: y = 1, b = 1e200, s = 1e300; break;
    case ROW_NEG: y = -1; break;
    default: break;
    }
    tc_record_put_double(out, "k", r + 1);
    tc_record_put_double(out, "y", y);
    tc_record_put_double(out, "mean", b);
    tc_record_put_double(out, "sd", s);
    tc_record_put_double(out, "alpha", 1e-9);
    tc_record_put_double(out, "p", g_plan.q[k / PER]);
    tc_record_end_row(out);
  }
  return TC_SUCCESS;
}

static const tc_param_spec plan_params[] = {
  {.name = "value", .type = TC_PARAM_REAL, .min = -INFINITY, .max = INFINITY, .meaning = "unused"},
  {.name = "m", .type = TC_PARAM_REAL, .min = -INFINITY, .max = INFINITY, .meaning = "unused"},
  {0}};
static const tc_output_spec plan_outputs[] = {
  {.name = "k"}, {.name = "y"}, {.name = "mean"}, {.name = "sd"}, {.name = "alpha"}, {.name = "p"}, {0}};
static const tc_check plan_check = {.name = "plan", .summary = "test plan", .params = plan_params,
                                    .outputs = plan_outputs, .measure_d = plan_measure,
                                    .measure_mpfr = plan_measure};

static tc_catalog *cat;

static void load(void)
{
  char err[512] = "";
  int status = tc_catalog_load_file(&cat, TC_SRCDIR "/tests/data/aggregate.thm", err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
  for (size_t i = 0; i < cat->n; i++)
    cat->claims[i].check = &plan_check;
}

static void unload(void) { tc_catalog_free(cat); }

TestSuite(aggregate, .init = load, .fini = unload);

/* A mixture: clean trials (only rows that hold) often, so PASS is reached
 * and the properties are not vacuous; otherwise any defect may appear. */
static void draw_plan(gsl_rng *rng, int points, int rate, int clean_extras)
{
  memset(&g_plan, 0, sizeof g_plan);
  int clean = gsl_rng_uniform(rng) < 0.4;
  int fixed_rows = 1 + (int)gsl_rng_uniform_int(rng, ROWS_MAX);
  double bad = clean ? 0 : 0.02 + 0.2 * gsl_rng_uniform(rng);
  for (int p = 0; p < points; p++) {
    g_plan.q[p] = rate ? -0.5 : 0.1;
    if (!clean && gsl_rng_uniform(rng) < 0.1) {
      static const double odd[] = {NAN, -INFINITY, INFINITY, 1.5, -0.25};
      g_plan.q[p] = odd[gsl_rng_uniform_int(rng, 5)];
    }
  }
  for (int k = 0; k < points * PER; k++) {
    double u = gsl_rng_uniform(rng);
    g_plan.inst[k] = u < bad / 4 ? INST_ERROR : u < bad / 2 ? INST_EMPTY : INST_OK;
    g_plan.nrows[k] = clean || gsl_rng_uniform(rng) < 0.8 ? fixed_rows
                                                         : 1 + (int)gsl_rng_uniform_int(rng, ROWS_MAX);
    for (int r = 0; r < ROWS_MAX; r++) {
      int kind = ROW_OK;
      if (gsl_rng_uniform(rng) < bad)
        kind = 1 + (int)gsl_rng_uniform_int(rng, NROWKINDS - 1);
      else if (clean && clean_extras && gsl_rng_uniform(rng) < 0.1)
        kind = gsl_rng_uniform(rng) < 0.5 ? ROW_ROUND : ROW_HUGE_HOLD;
      g_plan.row[k][r] = kind;
    }
  }
}

typedef struct {
  int violation, nonfinite, huge, negative, no_evidence, ragged, bad_q, within;
} truth;

/* For a rate claim only lhs = y s counts: rhs (b) is unused and any finite
 * exponent is a statement. */
static truth plan_truth(int points, int rate)
{
  truth t = {0};
  for (int p = 0; p < points; p++) {
    int usable = 0;
    t.bad_q |= !isfinite(g_plan.q[p]) || (!rate && !(g_plan.q[p] >= 0 && g_plan.q[p] <= 1));
    for (int k = p * PER; k < (p + 1) * PER; k++) {
      if (g_plan.inst[k] != INST_OK) {
        t.no_evidence = 1;
        continue;
      }
      usable++;
      t.ragged |= g_plan.nrows[k] != g_plan.nrows[p * PER];
      for (int r = 0; r < g_plan.nrows[k]; r++) {
        int kind = g_plan.row[k][r];
        t.violation |= kind == ROW_VIOL || kind == ROW_HUGE_VIOL;
        t.nonfinite |= kind == ROW_NAN || kind == ROW_PINF || (kind == ROW_NINF && !rate);
        t.huge |= kind == ROW_HUGE_VIOL || (kind == ROW_HUGE_HOLD && !rate);
        t.negative |= kind == ROW_NEG;
        t.within |= kind == ROW_NEAR;
      }
    }
    t.no_evidence |= usable == 0;
  }
  return t;
}

static tc_verdict run(const char *id, char **reason)
{
  const tc_claim *cl = tc_catalog_find(cat, id);
  cr_assert_not_null(cl);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.bits = 64;
  tc_run_result *res = NULL;
  char err[256] = "";
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_verdict v = res->claims[0].verdict;
  *reason = strdup(res->claims[0].reason ? res->claims[0].reason : "");
  tc_run_result_free(res);
  return v;
}

/* Trials of one kind; returns how many ended in PASS. */
static int trials(const char *id, int points, int rate, int clean_extras, int n,
                  void (*check)(tc_verdict, const truth *, const char *, int))
{
  gsl_rng *rng = test_rng(test_seed() + (unsigned long)id[0] * 7919u + (unsigned long)strlen(id));
  int passes = 0;
  for (int i = 0; i < n; i++) {
    draw_plan(rng, points, rate, clean_extras);
    truth t = plan_truth(points, rate);
    char *reason = NULL;
    tc_verdict v = run(id, &reason);
    check(v, &t, reason, i);
    passes += v == TC_PASS;
    free(reason);
  }
  gsl_rng_free(rng);
  return passes;
}

static void check_deterministic(tc_verdict v, const truth *t, const char *reason, int i)
{
  tc_verdict want = t->violation ? TC_FAIL
                    : (t->nonfinite || t->no_evidence) ? TC_ERROR
                    : t->within                        ? TC_INCONCLUSIVE
                                                       : TC_PASS;
  cr_expect_eq(v, want, "trial %d (seed %lu): want %s, got %s: %s", i, test_seed(),
               tc_verdict_name(want), tc_verdict_name(v), reason);
}

/* Statistical kinds: a defect never gives PASS or INCONCLUSIVE. */
static void check_statistical(tc_verdict v, int defect, int can_fail, const char *reason, int i)
{
  if (defect)
    cr_expect(v == TC_ERROR || (v == TC_FAIL && can_fail),
              "trial %d (seed %lu): a defective mixture got %s: %s", i, test_seed(),
              tc_verdict_name(v), reason);
}

static void check_probability(tc_verdict v, const truth *t, const char *reason, int i)
{
  check_statistical(v, t->nonfinite || t->no_evidence || t->bad_q, t->violation || t->huge,
                    reason, i);
}

static void check_expectation(tc_verdict v, const truth *t, const char *reason, int i)
{
  /* A point whose rows are all finite may decide FAIL whatever the rest. */
  check_statistical(v, t->nonfinite || t->no_evidence || t->huge || t->ragged, 1, reason, i);
}

static void check_rate(tc_verdict v, const truth *t, const char *reason, int i)
{
  check_statistical(v, t->nonfinite || t->no_evidence || t->huge || t->negative || t->bad_q, 1,
                    reason, i);
}

Test(aggregate, deterministic_verdict_is_exactly_the_truth)
{
  cr_expect_gt(trials("plan-deterministic", 3, 0, 1, 250, check_deterministic), 20);
}

Test(aggregate, probability_never_passes_without_evidence)
{
  cr_expect_gt(trials("plan-probability", 3, 0, 1, 250, check_probability), 20);
}

Test(aggregate, expectation_never_passes_without_evidence)
{
  cr_expect_gt(trials("plan-expectation", 3, 0, 0, 250, check_expectation), 20);
}

Test(aggregate, rate_never_passes_without_evidence)
{
  cr_expect_gt(trials("plan-rate", 4, 1, 0, 250, check_rate), 20);
}
