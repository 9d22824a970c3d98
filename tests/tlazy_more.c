/* Tests of the lazy-gf additions for issue 11: the tangent kernel at the
 * balanced initialisation (closed form of k and of the exact variance at
 * n = 1, the Monte Carlo mean of m |G - k|_F^2 against gvar, double
 * against MPFR), the widths sweep, the variation-of-constants bound
 * kres_int, a stationary flow (G_0 = 0), and one mutation test per new
 * catalog entry in both precisions (every mutant refuted, FAILs with a
 * counterexample).  Fixed seeds; TC_TEST_SEED changes them. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tc_catalog.h"
#include "tc_engine.h"
#include "tcheck_util.h"

extern const tc_check tc_check_lazy_gf;

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261202u;
}

typedef tcu_point point;

/* One instance; bits == 0: double. */
static tc_record *run_kv(const char *const *kv, uint64_t seed, mpfr_prec_t bits)
{
  point pt;
  tcu_point_make_kv(&pt, kv);
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? tc_check_lazy_gf.measure_mpfr : tc_check_lazy_gf.measure_d)(r, &inst, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "seed=%llu: %s", (unsigned long long)seed, err);
  return r;
}

/* n = 1, |x| = 1, d = 3: k(x, x) = 1/(2d) + 1/2 (balanced) and Var Z =
 * 3/(2d^2) + 1/d + 3/2 - k^2; (0.21): K = 1/(2d), Var Z = (3/2)/(d(d+2)) -
 * K^2.  Both backends. */
Test(lazy_more, tangent_kernel_n1_closed_forms)
{
  const double d = 3, kb = 1 / (2 * d) + 0.5, ks = 1 / (2 * d);
  const double vb = 3 / (2 * d * d) + 1 / d + 1.5 - kb * kb, vs = 1.5 / (d * (d + 2)) - ks * ks;
  const char *bal[] = {"model=mf", "init=balanced", "n=1", "d=3", "m=64", "time=0", "checkpoints=1", NULL};
  const char *std[] = {"model=mf", "n=1", "d=3", "m=64", "time=0", "checkpoints=1", NULL};
  for (int b = 0; b < 2; b++) {
    tc_record *r = run_kv(bal, base_seed(), b ? 160 : 0);
    cr_assert_float_eq(tcu_getd(r, 0, "lam0"), kb, 1e-14);
    cr_assert_float_eq(tcu_getd(r, 0, "gvar"), vb, 1e-14);
    tc_record_free(r);
    r = run_kv(std, base_seed(), b ? 160 : 0);
    cr_assert_float_eq(tcu_getd(r, 0, "lam0"), ks, 1e-14);
    cr_assert_float_eq(tcu_getd(r, 0, "gvar"), vs, 1e-14);
    tc_record_free(r);
  }
}

/* E[m |m^-alpha G - k|_F^2] = gvar exactly when the limit is k: the
 * Monte Carlo mean over 400 initialisations (n = 3 in the ball) is within
 * 5 standard errors of gvar, for both initialisations; the other scaling
 * (gshift) is far off. */
Test(lazy_more, tangent_kernel_variance_monte_carlo)
{
  const char *inits[] = {"init=balanced", "init=standard"};
  for (int k = 0; k < 2; k++) {
    const char *kv[] = {"model=mf", inits[k], "n=3", "d=3", "data=ball", "m=128", "time=0", "checkpoints=1",
                        "data_seed=5", NULL};
    double s = 0, s2 = 0, gvar = 0, shift = 0;
    const int N = 400;
    for (int i = 0; i < N; i++) {
      tc_record *r = run_kv(kv, base_seed() + (uint64_t)i, 0);
      double x = 128 * pow(tcu_getd(r, 0, "gdev"), 2);
      s += x;
      s2 += x * x;
      gvar = tcu_getd(r, 0, "gvar");
      shift += tcu_getd(r, 0, "gshift") / N;
      tc_record_free(r);
    }
    double mean = s / N, se = sqrt((s2 / N - mean * mean) / N);
    cr_assert(fabs(mean - gvar) <= 5 * se, "%s: mean %g, gvar %g, se %g", inits[k], mean, gvar, se);
    cr_assert(shift > 3 * sqrt(gvar / 128), "%s: the other scaling is not separated (%g)", inits[k], shift);
  }
}

/* double and MPFR agree on the new outputs; the widths sweep gives rows
 * at m, 2m, 4m; kres_int bounds lingap and starts at 0. */
Test(lazy_more, widths_kres_and_precisions)
{
  const char *kv[] = {"model=ntk", "n=3", "d=3", "m=16", "widths=3", "horizon=2", "checkpoints=2", NULL};
  tc_record *r[2];
  for (int b = 0; b < 2; b++)
    r[b] = run_kv(kv, base_seed(), b ? 128 : 0);
  cr_assert_eq(tc_record_rows(r[0]), 6u);
  for (size_t i = 0; i < 6; i++) {
    cr_assert_eq(tcu_getd(r[0], i, "m"), 16.0 * (double)(1u << (i / 2)));
    double lg = tcu_getd(r[1], i, "lingap"), kr = tcu_getd(r[1], i, "kres_int");
    cr_assert(lg <= kr + tcu_getd(r[1], i, "e_lingap"), "row %zu: lingap %g > kres_int %g", i, lg, kr);
    const char *names[] = {"kres_int", "lingap", "reslin"};
    for (int q = 0; q < 3; q++) {
      double a = tcu_getd(r[0], i, names[q]), c = tcu_getd(r[1], i, names[q]);
      cr_assert(fabs(a - c) <= 1e-8 * (fabs(c) + 1e-6), "%s row %zu: %g vs %g", names[q], i, a, c);
    }
  }
  for (int b = 0; b < 2; b++)
    tc_record_free(r[b]);
}

/* A width with G_0 = 0 (mf, a = 0, the one neuron inactive on x) is a
 * stationary point of the flow: the run succeeds and the residual stays. */
Test(lazy_more, stationary_flow)
{
  const char *kv[] = {"model=mf", "n=1", "d=1", "m=1", "horizon=1", "checkpoints=2", NULL};
  int seen = 0;
  for (uint64_t s = 0; s < 40 && !seen; s++) {
    tc_record *r = run_kv(kv, base_seed() + s, 0);
    if (tcu_getd(r, 0, "lamH0") == 0) {
      seen = 1;
      cr_assert_eq(tcu_getd(r, 1, "res"), tcu_getd(r, 1, "res0"));
    }
    tc_record_free(r);
  }
  cr_assert(seen, "no draw with the neuron inactive");
}

/* The mutation test of the new default-audit entries, both precisions:
 * PASS/FAIL as expected, every mutant refuted, FAILs with a witness. */
Test(lazy_more, catalog_entries_and_mutants, .timeout = 120)
{
  static const struct {
    const char *id;
    tc_verdict verdict;
  } want[] = {{"lazy-linear-decay", TC_PASS},         {"lazy-linear-closed-form", TC_PASS},
              {"lazy-thm10", TC_FAIL},                {"lazy-thm10-unit", TC_PASS},
              {"lazy-tangent-kernel-limit", TC_PASS}, {"lazy-ntk-move-widths", TC_FAIL},
              {"lazy-ntk-linearisation-gap", TC_PASS}, {"lazy-balanced-extension", TC_PASS}};
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, TC_SRCDIR "/theorems/lazy.thm", err, sizeof err), TC_SUCCESS, "%s", err);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const tc_claim *cl = tc_catalog_find(cat, want[i].id);
    cr_assert(cl != NULL, "%s missing", want[i].id);
    tc_run_options opt;
    tc_run_options_init(&opt);
    tc_run_result *res = NULL;
    cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s: %s", want[i].id, err);
    const tc_claim_result *c = &res->claims[0];
    cr_expect_eq(c->verdict, want[i].verdict, "%s: got %s: %s", want[i].id, tc_verdict_name(c->verdict), c->reason);
    for (int b = 0; b < 2; b++) {
      cr_expect_gt(c->prec[b].nmutants, 0, "%s lists mutants", want[i].id);
      cr_expect_eq(c->prec[b].mutants_refuted, c->prec[b].nmutants, "%s (%s): %zu of %zu mutants refuted",
                   want[i].id, b ? "mpfr" : "double", c->prec[b].mutants_refuted, c->prec[b].nmutants);
    }
    if (want[i].verdict == TC_FAIL)
      cr_expect(c->prec[1].has_witness && c->reproduce != NULL, "%s: counterexample", want[i].id);
    tc_run_result_free(res);
  }
  tc_catalog_free(cat);
}
