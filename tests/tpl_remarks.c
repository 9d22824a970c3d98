/* Tests of the pl-remarks check module (checks/pl_remarks.c): the closed
 * forms at the constructed points (equality of 2 mu gap and ||grad||^2 on
 * the eigenvector of mu, lip = ||A|| on the top eigenvector, the quartic
 * at x = 2, y = 1), the null-space dimension, and double vs MPFR. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_pl_remarks;

typedef struct {
  char texts[6][40];
  tc_point_value v[6];
  tc_point p;
} rpoint;

static tc_record *run(const char *family, int d, double kappa, int points, int N, double radius,
                      uint64_t seed, mpfr_prec_t bits)
{
  rpoint pt;
  const char *names[6] = {"family", "d", "kappa", "points", "N", "radius"};
  double vals[6] = {NAN, d, kappa, points, N, radius};
  snprintf(pt.texts[0], 40, "%s", family);
  for (int i = 0; i < 6; i++) {
    if (i)
      snprintf(pt.texts[i], 40, "%.17g", vals[i]);
    pt.v[i] = (tc_point_value){names[i], vals[i], pt.texts[i]};
  }
  pt.p = (tc_point){6, pt.v};
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? tc_check_pl_remarks.measure_mpfr : tc_check_pl_remarks.measure_d)(r, &inst, err,
                                                                                        sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s: %s", family, err);
  return r;
}

static void check_quadratic(mpfr_prec_t bits)
{
  const char *fam[2] = {"quadratic", "singular-quadratic"};
  for (int f = 0; f < 2; f++) {
    tc_record *r = run(fam[f], 8, 1e6, 5, 1, 1, 11, bits);
    cr_assert_eq(tc_record_rows(r), 5u);
    double mu = tcu_getd(r, 0, "mu_pl"), gap = tcu_getd(r, 0, "gap"), g2 = tcu_getd(r, 0, "gradsq");
    cr_assert(fabs(2 * mu * gap - g2) <= tcu_getd(r, 0, "err"), "%s: %.17g vs %.17g", fam[f], 2 * mu * gap, g2);
    cr_assert(fabs(tcu_getd(r, 1, "lip") - tcu_getd(r, 1, "hess_norm")) <= tcu_getd(r, 1, "lip_err"));
    cr_assert(fabs(tcu_getd(r, 0, "hess_norm") - 1) < 1e-12);
    cr_assert_eq(tcu_getd(r, 0, "mu_sc") == 0, f == 1);
    for (size_t j = 0; j < 5; j++) {
      cr_assert(tcu_getd(r, j, "gap") <= tcu_getd(r, j, "gradsq") / (2 * mu) + tcu_getd(r, j, "err") / mu);
      cr_assert(tcu_getd(r, j, "lip") <= tcu_getd(r, j, "hess_norm") + tcu_getd(r, j, "lip_err"));
    }
    tc_record_free(r);
  }
}

static void check_indefinite_quartic(mpfr_prec_t bits)
{
  tc_record *r = run("indefinite-quadratic", 4, 100, 3, 1, 1, 5, bits);
  cr_assert(fabs(tcu_getd(r, 0, "lam_max") - 1) < 1e-12);
  cr_assert(fabs(tcu_getd(r, 1, "lip") - 100) < 1e-10, "lip %.17g", tcu_getd(r, 1, "lip"));
  cr_assert(fabs(tcu_getd(r, 1, "hess_norm") - 100) < 1e-10);
  tc_record_free(r);
  r = run("quartic", 3, 1, 4, 1, 2, 5, bits);
  /* x = 2, y = 1: lip = |1 - (4 + 2 + 1)| = 6, sup |1 - 3 z^2| on [1, 2] = 11 */
  cr_assert(fabs(tcu_getd(r, 0, "lip") - 6) < 1e-13);
  cr_assert(fabs(tcu_getd(r, 0, "hess_norm") - 11) < 1e-13);
  cr_assert_eq(tcu_getd(r, 0, "lam_max"), 1.0);
  cr_assert(fabs(tcu_getd(r, 0, "gap") - 3 * (2.0 - 4.0)) < 1e-13); /* 3 (x^2/2 - x^4/4) at x = 2 */
  for (size_t j = 0; j < 4; j++)
    cr_assert(tcu_getd(r, j, "lip") <= tcu_getd(r, j, "hess_norm") + tcu_getd(r, j, "lip_err"));
  tc_record_free(r);
}

static void check_nullspace(mpfr_prec_t bits)
{
  int Ns[4] = {5, 3, 20, 7}, ds[4] = {3, 5, 20, 40};
  for (int i = 0; i < 4; i++) {
    tc_record *r = run("nullspace", ds[i], 1, 1, Ns[i], 1, 2, bits);
    int expect = ds[i] > Ns[i] ? ds[i] - Ns[i] : 0;
    cr_assert_eq(tcu_getd(r, 0, "nulldim"), (double)expect, "N=%d d=%d", Ns[i], ds[i]);
    tc_record_free(r);
  }
}

Test(pl_remarks, closed_forms_double) { check_quadratic(0); check_indefinite_quartic(0); check_nullspace(0); }
Test(pl_remarks, closed_forms_mpfr) { check_quadratic(160); check_indefinite_quartic(160); check_nullspace(160); }

Test(pl_remarks, double_matches_mpfr)
{
  tc_record *a = run("quadratic", 6, 1e3, 6, 1, 1, 9, 0), *b = run("quadratic", 6, 1e3, 6, 1, 1, 9, 128);
  for (size_t j = 0; j < 6; j++) {
    double x = tcu_getd(a, j, "gradsq"), y = tcu_getd(b, j, "gradsq");
    cr_assert(fabs(x - y) <= 1e-9 * fabs(y), "row %zu: %.17g vs %.17g", j, x, y);
  }
  tc_record_free(a);
  tc_record_free(b);
}
