/* Tests of the pl-kernel check module (checks/pl_kernel.c): equality at
 * the aligned start, lambda_min = 0 when under-parameterised, the
 * inequality along GD, the loss decreasing along GD, and double vs MPFR. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_pl_kernel;

typedef struct {
  char texts[7][40];
  tc_point_value v[7];
  tc_point p;
} kpoint;

static tc_record *run(const char *family, int N, int p, int m, const char *start, int K,
                      uint64_t seed, mpfr_prec_t bits)
{
  kpoint pt;
  const char *names[7] = {"family", "N", "p", "m", "start", "step", "iterations"};
  double vals[7] = {NAN, N, p, m, NAN, 0.5, K};
  snprintf(pt.texts[0], 40, "%s", family);
  snprintf(pt.texts[4], 40, "%s", start);
  for (int i = 0; i < 7; i++) {
    if (i != 0 && i != 4)
      snprintf(pt.texts[i], 40, "%.17g", vals[i]);
    pt.v[i] = (tc_point_value){names[i], vals[i], pt.texts[i]};
  }
  pt.p = (tc_point){7, pt.v};
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? tc_check_pl_kernel.measure_mpfr : tc_check_pl_kernel.measure_d)(r, &inst, err,
                                                                                      sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s: %s", family, err);
  cr_assert_eq(tc_record_rows(r), (size_t)K + 1);
  return r;
}

static void check_family(mpfr_prec_t bits)
{
  const char *fam[2] = {"linear", "two-layer"};
  for (int f = 0; f < 2; f++) {
    tc_record *r = run(fam[f], 4, 3, f ? 50 : 9, "aligned", 15, 3, bits);
    double lhs = 2 * tcu_getd(r, 0, "lam_min") * tcu_getd(r, 0, "loss"), rhs = tcu_getd(r, 0, "gnorm2");
    cr_assert(fabs(lhs - rhs) <= tcu_getd(r, 0, "err") + 4e-16 * rhs, "%s: %.17g vs %.17g", fam[f], lhs, rhs);
    for (size_t k = 0; k <= 15; k++) {
      lhs = 2 * tcu_getd(r, k, "lam_min") * tcu_getd(r, k, "loss");
      cr_assert(lhs <= tcu_getd(r, k, "gnorm2") * (1 + 4e-16) + tcu_getd(r, k, "err"), "%s k=%zu: %.17g > %.17g + %g", fam[f], k, lhs, tcu_getd(r, k, "gnorm2"), tcu_getd(r, k, "err"));
      if (k > 0) /* GD with step 0.5 / lambda_max(K(w_0)) decreases the loss here */
        cr_assert(tcu_getd(r, k, "loss") <= tcu_getd(r, k - 1, "loss"), "%s k=%zu", fam[f], k);
    }
    tc_record_free(r);
  }
}

Test(pl_kernel, aligned_equality_and_inequality_double)
{
  check_family(0);
}

Test(pl_kernel, aligned_equality_and_inequality_mpfr)
{
  check_family(160);
}

/* N > P: K = X X^T has rank P < N, lambda_min = 0 up to rounding. */
Test(pl_kernel, under_parameterised_lambda_min_zero)
{
  tc_record *r = run("linear", 6, 1, 3, "random", 2, 5, 0);
  cr_assert(fabs(tcu_getd(r, 0, "lam_min")) <= 1e-14 * tcu_getd(r, 0, "lam_max"));
  tc_record_free(r);
}

Test(pl_kernel, double_agrees_with_mpfr)
{
  tc_record *a = run("two-layer", 5, 3, 20, "aligned", 10, 7, 0),
            *b = run("two-layer", 5, 3, 20, "aligned", 10, 7, 128);
  for (size_t k = 0; k <= 10; k++)
    cr_assert(fabs(tcu_getd(a, k, "gnorm2") - tcu_getd(b, k, "gnorm2")) <= 1e-10 * tcu_getd(b, k, "gnorm2"));
  tc_record_free(a);
  tc_record_free(b);
}
