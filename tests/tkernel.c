/* tests/tkernel.c — check modules "kernel-quad", "kernel-lambda0" and
 * "twolayer-grad" (checks/kernel.c, kernel_source.h, twolayer_source.h):
 * the closed forms at a known angle, against the quadrature in both
 * precisions, the certified lambda0 (and its failure on a zero point),
 * the gradient formulas against central differences, the wrong variants
 * (line 1's sign, the kernel without 1/m) far off, and validate(). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_kernel_quad;
extern const tc_check tc_check_kernel_lambda0;
extern const tc_check tc_check_twolayer_grad;
#define QUAD (&tc_check_kernel_quad)
#define LAM (&tc_check_kernel_lambda0)
#define GRAD (&tc_check_twolayer_grad)
#define PI 3.14159265358979323846

/* A point "n=3 d=4 data=sphere" for any of this file's modules: a value
 * that is not a number is symbolic (tcheck_util.h). */
typedef tcu_point pt_t;
static const tc_check *const modules[] = {QUAD, LAM, GRAD, NULL};

static void pt_make(pt_t *pt, const char *spec)
{
  tcu_point_make_for(pt, spec, modules);
}

static tc_record *run(const tc_check *c, const pt_t *pt, uint64_t seed, mpfr_prec_t prec)
{
  return tcu_run_valid(c, &pt->p, seed, prec);
}

/* Two unit vectors at angle pi/3: H_inf = cos(pi/3)(pi - pi/3)/(2 pi) = 1/6,
 * K1 = (sin(pi/3) + (2 pi/3) cos(pi/3))/(2 pi). */
Test(kernel, closed_forms_at_pi_over_3)
{
  pt_t pt;
  pt_make(&pt, "n=2 d=2 data=near-parallel angle=1.0471975511965976");
  double k1 = (sqrt(3.0) / 2 + PI / 3) / (2 * PI);
  const mpfr_prec_t precs[] = {0, 128};
  for (size_t q = 0; q < 2; q++) {
    tc_record *rec = run(QUAD, &pt, 1, precs[q]);
    cr_assert_eq(tc_record_rows(rec), 1);
    cr_assert(fabs(tcu_getd(rec, 0, "hinf") - 1.0 / 6) <= 1e-15, "hinf %.17g", tcu_getd(rec, 0, "hinf"));
    cr_assert(fabs(tcu_getd(rec, 0, "k1") - k1) <= 1e-15, "k1 %.17g", tcu_getd(rec, 0, "k1"));
    cr_assert(fabs(tcu_getd(rec, 0, "theta") - PI / 3) <= 1e-15);
    tc_record_free(rec);
  }
}

/* The quadrature agrees with the closed forms: to 1e-12 in double, to
 * 1e-25 in MPFR at 128 bits (values read back in double, so compared
 * through the MPFR record at 256 bits would be finer still). */
Test(kernel, quadrature_matches_closed_forms)
{
  pt_t pt;
  pt_make(&pt, "n=3 d=4 data=sphere");
  const mpfr_prec_t precs[] = {0, 128};
  const double tol[] = {1e-12, 1e-15};
  for (size_t q = 0; q < 2; q++) {
    tc_record *rec = run(QUAD, &pt, 1, precs[q]);
    cr_assert_eq(tc_record_rows(rec), 3);
    for (size_t r = 0; r < 3; r++) {
      cr_assert(fabs(tcu_getd(rec, r, "hinf") - tcu_getd(rec, r, "hinf_quad")) <= tol[q], "row %zu hinf", r);
      cr_assert(fabs(tcu_getd(rec, r, "k1") - tcu_getd(rec, r, "k1_quad")) <= tol[q], "row %zu k1", r);
    }
    tc_record_free(rec);
  }
}

/* Orthogonal pair: H_inf = I/2, lambda0 = 1/2 certified as 1/4; a zero
 * point gives lambda0 = 0 and no certificate (-1), in both precisions. */
Test(kernel, lambda0_certificate)
{
  pt_t pt;
  const mpfr_prec_t precs[] = {0, 128};
  for (size_t q = 0; q < 2; q++) {
    pt_make(&pt, "n=2 d=2 data=near-parallel angle=1.5707963267948966");
    tc_record *rec = run(LAM, &pt, 1, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "lambda0") - 0.5) <= 1e-15);
    cr_assert(fabs(tcu_getd(rec, 0, "lambda0_cert") - 0.25) <= 1e-15);
    tc_record_free(rec);
    pt_make(&pt, "n=3 d=3 data=zero");
    rec = run(LAM, &pt, 1, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "lambda0")) <= 1e-15);
    cr_assert_eq(tcu_getd(rec, 0, "lambda0_cert"), -1.0);
    tc_record_free(rec);
  }
}

/* The formulas agree with central differences to rounding; the notes'
 * line 1 (no minus sign) and the kernel without 1/m are far off. */
Test(kernel, gradients_against_differences)
{
  pt_t pt;
  pt_make(&pt, "n=4 d=3 m=8 data=off-sphere");
  const mpfr_prec_t precs[] = {0, 128};
  const double tol[] = {1e-11, 1e-28};
  for (size_t q = 0; q < 2; q++) {
    tc_record *rec = run(GRAD, &pt, 5, precs[q]);
    const char *names[] = {"grad_err", "gradL_err", "ntk_err", "k2_err"};
    for (size_t k = 0; k < 4; k++)
      cr_assert(tcu_getd(rec, 0, names[k]) <= tol[q], "%s = %g", names[k], tcu_getd(rec, 0, names[k]));
    cr_assert(tcu_getd(rec, 0, "gradL1_err") > 1e-3);
    cr_assert(tcu_getd(rec, 0, "ntk_nom_err") > 1e-3);
    cr_assert(tcu_getd(rec, 0, "fd_tol") > 0);
    tc_record_free(rec);
  }
}

Test(kernel, validate_rejects_bad_points)
{
  pt_t pt;
  char err[256];
  const char *blame = NULL;
  pt_make(&pt, "n=1 d=2 data=near-parallel");
  cr_assert_eq(tc_check_validate(LAM, &pt.p, &blame, err, sizeof err), TC_EDOM);
  cr_assert_str_eq(blame, "data");
  pt_make(&pt, "n=2 d=2 data=nonsense");
  cr_assert_eq(tc_check_validate(QUAD, &pt.p, &blame, err, sizeof err), TC_EDOM);
  pt_make(&pt, "n=2 d=2 m=0");
  cr_assert_eq(tc_check_validate(GRAD, &pt.p, &blame, err, sizeof err), TC_EDOM);
}
