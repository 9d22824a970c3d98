/* Tests of the lazy-gf check module (checks/lazy.c): the linear model's
 * flow against its closed form r(t) = exp(-Kt) r(0) with the step-doubling
 * error estimate covering the true error, the limit kernels' closed forms
 * at n = 1, Theorem 10's width, monotone loss and the Gronwall bound along
 * real runs, double against MPFR, validation, and the smoothness
 * counterexample (the rows separate the notes' constant from the corrected
 * one).  Fixed seeds; TC_TEST_SEED changes them. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_lazy_gf;

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261123u;
}

typedef tcu_point point;

/* Run one instance; bits == 0: double.  Returns NULL (and the status) on
 * a module error when `may_fail`. */
static tc_record *run_kv(const char *const *kv, uint64_t seed, mpfr_prec_t bits, int may_fail, int *st)
{
  point pt;
  tcu_point_make_kv(&pt, kv);
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? tc_check_lazy_gf.measure_mpfr : tc_check_lazy_gf.measure_d)(r, &inst, err, sizeof err);
  if (st)
    *st = status;
  if (status != TC_SUCCESS && may_fail) {
    tc_record_free(r);
    return NULL;
  }
  cr_assert_eq(status, TC_SUCCESS, "seed=%llu: %s", (unsigned long long)seed, err);
  return r;
}

/* Linear model: the RK4 flow agrees with exp(-Kt) r(0) (lingap) to below
 * 1e-6 of the residual, and the error estimate e_res bounds that true
 * error; both backends. */
Test(lazy, linear_closed_form)
{
  const char *kv[] = {"model=linear", "n=4", "d=6", "data=ball", "labels=uniform", "checkpoints=5", NULL};
  for (int b = 0; b < 2; b++)
    for (uint64_t s = 0; s < 4; s++) {
      tc_record *r = run_kv(kv, base_seed() + s, b ? 160 : 0, 0, NULL);
      cr_assert_eq(tc_record_rows(r), 5u);
      for (size_t i = 0; i < 5; i++) {
        double gap = tcu_getd(r, i, "lingap"), e = tcu_getd(r, i, "e_res"), res0 = tcu_getd(r, i, "res0");
        cr_assert(gap <= 1e-6 * res0, "row %zu: flow vs closed form %g", i, gap);
        cr_assert(gap <= e + 1e-13 * res0, "row %zu: true error %g above the estimate %g", i, gap, e);
        cr_assert(fabs(tcu_getd(r, i, "res") - tcu_getd(r, i, "reslin")) <= 1e-6 * res0);
        /* The kernel is constant: lam_t = lam0 = lambda_min(X X^T). */
        cr_assert(fabs(tcu_getd(r, i, "lam_t") - tcu_getd(r, i, "lam0")) <= 1e-12 * tcu_getd(r, i, "lam0") + 1e-15);
      }
      tc_record_free(r);
    }
}

/* n = 1 on the unit sphere: H_inf = |x|^2/2 = 1/2 (ntk) and K = 1/(2d) (mf). */
Test(lazy, limit_kernels_n1)
{
  for (int d = 1; d <= 3; d++) {
    char dd[16];
    snprintf(dd, sizeof dd, "d=%d", d);
    const char *kn[] = {"model=ntk", "n=1", dd, "m=8", "time=0.5", "checkpoints=1", NULL};
    const char *km[] = {"model=mf", "n=1", dd, "m=8", "time=0.01", "checkpoints=1", NULL};
    for (int b = 0; b < 2; b++) {
      tc_record *r = run_kv(kn, base_seed(), b ? 128 : 0, 1, NULL);
      if (r) { /* a draw with no neuron active on x has no time scale */
        cr_assert_float_eq(tcu_getd(r, 0, "lam0"), 0.5, 1e-14);
        tc_record_free(r);
      }
      r = run_kv(km, base_seed(), b ? 128 : 0, 0, NULL);
      cr_assert_float_eq(tcu_getd(r, 0, "lam0"), 1.0 / (2 * d), 1e-14);
      tc_record_free(r);
    }
  }
}

/* Theorem 10's width for n = 1, |x| = 1: m = ceil(10 log(2/delta) (2d)^2). */
Test(lazy, theorem10_width)
{
  const char *kv[] = {"model=mf", "n=1", "d=2", "delta=0.3", "horizon=1", "checkpoints=1", NULL};
  tc_record *r = run_kv(kv, base_seed(), 0, 0, NULL);
  cr_assert_eq(tcu_getd(r, 0, "m"), ceil(10 * log(2 / 0.3) * 16 * (1 - 1e-15)));
  tc_record_free(r);
}

/* Along real runs (ntk and mf): the loss never increases, the Gronwall
 * bound res <= exp(-rate_int) res0 holds within the error estimate, and
 * double agrees with MPFR to 1e-9. */
Test(lazy, flow_monotone_gronwall_and_precisions)
{
  const char *models[] = {"model=ntk", "model=mf"};
  for (int k = 0; k < 2; k++) {
    const char *kv[] = {models[k], "n=3", "d=3", "m=12", "labels=uniform", "time=2", "checkpoints=4", NULL};
    for (uint64_t s = 0; s < 3; s++) {
      tc_record *rd = run_kv(kv, base_seed() + 10 + s, 0, 1, NULL);
      tc_record *rm = run_kv(kv, base_seed() + 10 + s, 128, 1, NULL);
      if (!rd || !rm) {
        cr_assert(!rd && !rm, "the backends disagree on whether the instance runs");
        continue;
      }
      double prev = tcu_getd(rd, 0, "res0");
      for (size_t i = 0; i < 4; i++) {
        double res = tcu_getd(rd, i, "res"), e = tcu_getd(rd, i, "e_res");
        cr_assert(res <= prev + e + 1e-12, "loss increased at row %zu", i);
        prev = res;
        cr_assert(res <= exp(-tcu_getd(rd, i, "rate_int")) * tcu_getd(rd, i, "res0") + e + 1e-12);
        double rm_res = tcu_getd(rm, i, "res");
        cr_assert(fabs(res - rm_res) <= 1e-9 * fabs(rm_res) + e, "double %g vs MPFR %g", res, rm_res);
      }
      tc_record_free(rd);
      tc_record_free(rm);
    }
  }
}

/* The smoothness inequality of 004-35: n = m = 1, a ~ 0, small b: the
 * ratio |grad R|^2 / (|theta|^2 R) reaches ~2 (the notes' constant 1
 * fails), never above 2 (the corrected constant). */
Test(lazy, smoothness_separates_constants)
{
  const char *kv[] = {"model=mf", "init=random", "n=1", "d=1", "m=1", "sa=1e-4", "sb=0.01", "time=0",
                      "checkpoints=1", NULL};
  double worst = 0;
  for (uint64_t s = 0; s < 8; s++) {
    tc_record *r = run_kv(kv, base_seed() + s, 0, 0, NULL);
    double ratio = tcu_getd(r, 0, "gradR2") / (tcu_getd(r, 0, "thn2") * tcu_getd(r, 0, "risk"));
    cr_assert(ratio <= 2 * (1 + 1e-12));
    worst = fmax(worst, ratio);
    tc_record_free(r);
  }
  cr_assert(worst > 1.9, "no instance separates 1 from 2: worst ratio %g", worst);
}

Test(lazy, validate)
{
  const char *bad1[] = {"model=ntk", "n=3", "d=3", NULL};
  const char *bad2[] = {"model=ntk", "n=3", "d=1", "m=4", "data=parallel", NULL};
  const char *bad3[] = {"model=ntk", "n=100", "d=100", "m=1000", "max_params=1e5", NULL};
  const char *const *bad[] = {bad1, bad2, bad3};
  const char *blame[] = {"model", "d", "m"};
  for (int i = 0; i < 3; i++) {
    point pt;
    tcu_point_make_kv(&pt, bad[i]);
    const char *param = NULL;
    char err[256];
    cr_assert_eq(tc_check_validate(&tc_check_lazy_gf, &pt.p, &param, err, sizeof err), TC_EDOM, "case %d", i);
    cr_assert_str_eq(param, blame[i], "case %d blamed %s: %s", i, param, err);
  }
}

/* Lemma 14: the random-feature model's iterates stay in the span of the
 * kernel sections (to rounding, both backends); the full network leaves it. */
Test(lazy, lemma14_span)
{
  const char *rfm[] = {"model=mf", "train=a", "n=3", "d=3", "m=10", "time=2", "checkpoints=3", NULL};
  const char *net[] = {"model=mf", "train=all", "n=3", "d=3", "m=10", "time=2", "checkpoints=3", NULL};
  for (int b = 0; b < 2; b++) {
    tc_record *r = run_kv(rfm, base_seed() + 3, b ? 128 : 0, 0, NULL);
    for (size_t i = 0; i < 3; i++)
      cr_assert(tcu_getd(r, i, "span_dist") <= tcu_getd(r, i, "span_err"), "row %zu: %g", i, tcu_getd(r, i, "span_dist"));
    tc_record_free(r);
    r = run_kv(net, base_seed() + 3, b ? 128 : 0, 0, NULL);
    cr_assert(tcu_getd(r, 2, "span_dist") > 1e-6 * tcu_getd(r, 2, "anorm"));
    tc_record_free(r);
  }
}

/* method = gd, linear model with n = 1: K = |x|^2 = scale^2, so the GD
 * residual is exactly |1 - lr scale^2|^k |y| (closed form), in both
 * backends; k and lr are on the rows. */
Test(lazy, gd_linear_closed_form)
{
  const char *kv[] = {"model=linear", "method=gd", "n=1",          "d=3",  "scale=0.5",
                      "lr=0.8",       "iterations=12", "checkpoints=3", NULL};
  for (int b = 0; b < 2; b++) {
    tc_record *r = run_kv(kv, base_seed(), b ? 128 : 0, 0, NULL);
    cr_assert_eq(tc_record_rows(r), 3);
    for (size_t j = 0; j < 3; j++) {
      double k = tcu_getd(r, j, "k"), want = pow(1 - 0.8 * 0.25, k) * tcu_getd(r, j, "res0");
      cr_assert_float_eq(tcu_getd(r, j, "lr"), 0.8, 1e-15);
      cr_assert_float_eq(k, 4.0 * (double)(j + 1), 0);
      cr_assert_float_eq(tcu_getd(r, j, "res"), want, 1e-14 * want, "backend %d row %zu", b, j);
    }
    tc_record_free(r);
  }
}

/* method = gd, linear model: the residual equals (I - sK)^k r_0, checked
 * against the flow's closed form: small steps approach exp(-Kt) r_0, and
 * |GD_lr - GD_2lr| (e_res) estimates the GD-vs-flow gap (lingap) within a
 * factor 2 (GD is first order); divergence for s > 2/lambda_max (n = 3, uniform labels: r_0 is
 * not an eigenvector, as it is for n = 2 unit points with labels +-1). */
Test(lazy, gd_linear_flow_limit)
{
  const char *kv[] = {"model=linear", "method=gd", "n=4", "d=8", "hscale=0.02", "time=3", "checkpoints=3", NULL};
  tc_record *r = run_kv(kv, base_seed() + 1, 0, 0, NULL);
  for (size_t j = 0; j < 3; j++) {
    double gap = tcu_getd(r, j, "lingap"), e = tcu_getd(r, j, "e_res");
    cr_assert(gap < 0.05 * tcu_getd(r, j, "res0"), "row %zu gap %g", j, gap);
    cr_assert(e > 0.5 * gap && e < 2 * gap, "row %zu: e_res %g vs lingap %g", j, e, gap);
  }
  tc_record_free(r);
  const char *kd[] = {"model=linear", "method=gd", "n=3", "d=3", "labels=uniform", "hscale=2.5", "iterations=20", "checkpoints=1", NULL};
  r = run_kv(kd, base_seed() + 2, 0, 0, NULL);
  cr_assert(tcu_getd(r, 0, "res") > 100 * tcu_getd(r, 0, "res0"), "GD with s > 2/lambda_max must diverge");
  tc_record_free(r);
}
