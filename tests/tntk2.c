/* tests/tntk2.c — check modules "ntk-taylor", "rf-linear", "rf-sign" and
 * "ntk-param-lr" (checks/ntk2.c, ntk2_source.h) in both precisions: the
 * NTK's first Taylor coefficients in closed form, the exact Beta law at
 * d = 2 and the mean of the MSE against Monte Carlo, the sign of c_j, and
 * the learning-rate correspondence (per layer exact, as written off). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_ntk_taylor, tc_check_rf_linear, tc_check_rf_sign, tc_check_ntk_param_lr,
    tc_check_twolayer_hess, tc_check_deep_init;
#define PI 3.14159265358979323846

/* A point "d=6 m=2" for any of this file's modules: a value that is not
 * a number is symbolic (tcheck_util.h). */
typedef tcu_point pt_t;
static const tc_check *const modules[] = {&tc_check_ntk_taylor, &tc_check_rf_linear, &tc_check_rf_sign,
                                          &tc_check_ntk_param_lr, &tc_check_twolayer_hess, &tc_check_deep_init, NULL};

static void pt_make(pt_t *pt, const char *spec)
{
  tcu_point_make_for(pt, spec, modules);
}

static tc_record *run(const tc_check *c, const pt_t *pt, uint64_t seed, mpfr_prec_t prec)
{
  return tcu_run_valid(c, &pt->p, seed, prec);
}

static const mpfr_prec_t precs[] = {0, 128};

/* c_0 = 1/(2 pi), c_1 = 1/4 + 1/4, c_2 = (1 + 1/2)/(2 pi), c_3 = 0 for the
 * NTK; c_4 of rho kappa_0 = t_1/(3 * 2 pi) = 1/(12 pi); the series and the
 * odd part agree with the closed forms. */
Test(ntk2, taylor_closed_forms)
{
  const char *spec[] = {"j=0 kernel=ntk", "j=1 kernel=ntk", "j=2 kernel=ntk", "j=3 kernel=ntk", "j=4 kernel=hinf"};
  const double want[] = {1 / (2 * PI), 0.5, 3 / (4 * PI), 0, 1 / (12 * PI)};
  for (size_t q = 0; q < 2; q++)
    for (size_t k = 0; k < 5; k++) {
      pt_t pt;
      pt_make(&pt, spec[k]);
      tc_record *rec = run(&tc_check_ntk_taylor, &pt, 1, precs[q]);
      cr_assert(fabs(tcu_getd(rec, 0, "c_j") - want[k]) <= 1e-15, "%s: %.17g", spec[k], tcu_getd(rec, 0, "c_j"));
      cr_assert(tcu_getd(rec, 0, "series_err") <= (q ? 1e-30 : 1e-13), "series_err %g", tcu_getd(rec, 0, "series_err"));
      cr_assert(tcu_getd(rec, 0, "odd_err") <= (q ? 1e-30 : 1e-14), "odd_err %g", tcu_getd(rec, 0, "odd_err"));
      tc_record_free(rec);
    }
}

/* d = 2, m = 1: dist^2 ~ Beta(1/2, 1/2), P(dist^2 >= 1/4) = 1 - (2/pi) asin(1/2) = 2/3;
 * the sample mean of the MSE over 400 seeds is near (d - m)/d. */
Test(ntk2, rf_linear_exact_law)
{
  for (size_t q = 0; q < 2; q++) {
    pt_t pt;
    pt_make(&pt, "d=2 m=1");
    tc_record *rec = run(&tc_check_rf_linear, &pt, 3, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "p_exact") - 2.0 / 3) <= 1e-14, "p_exact %.17g", tcu_getd(rec, 0, "p_exact"));
    tc_record_free(rec);
    pt_make(&pt, "d=6 m=2");
    double s = 0;
    size_t N = q ? 60 : 400;
    for (size_t i = 0; i < N; i++) {
      rec = run(&tc_check_rf_linear, &pt, 100 + i, precs[q]);
      double v = tcu_getd(rec, 0, "mse");
      cr_assert(v >= 0 && v <= 1);
      s += v;
      tc_record_free(rec);
    }
    /* Var Beta(2, 1) = 1/18: 5 standard errors */
    cr_assert(fabs(s / N - 4.0 / 6) <= 5 * sqrt(1.0 / 18 / N), "mean %g", s / N);
  }
}

/* Same seed, both backends: the same mse to 1e-12. */
Test(ntk2, rf_linear_backends_agree)
{
  pt_t pt;
  pt_make(&pt, "d=16 m=8");
  tc_record *a = run(&tc_check_rf_linear, &pt, 9, 0), *b = run(&tc_check_rf_linear, &pt, 9, 128);
  cr_assert(fabs(tcu_getd(a, 0, "mse") - tcu_getd(b, 0, "mse")) <= 1e-12);
  cr_assert(fabs(tcu_getd(a, 0, "p_exact") - tcu_getd(b, 0, "p_exact")) <= 1e-12);
  tc_record_free(a);
  tc_record_free(b);
}

/* The signed c_j is exact to rounding; |a_j| is off on some seed. */
Test(ntk2, rf_sign)
{
  for (size_t q = 0; q < 2; q++) {
    pt_t pt;
    pt_make(&pt, "d=3 m=8");
    double worst_abs = 0;
    for (uint64_t s = 1; s <= 5; s++) {
      tc_record *rec = run(&tc_check_rf_sign, &pt, s, precs[q]);
      cr_assert(tcu_getd(rec, 0, "err_signed") <= tcu_getd(rec, 0, "sign_tol"));
      worst_abs = fmax(worst_abs, tcu_getd(rec, 0, "err_abs"));
      tc_record_free(rec);
    }
    cr_assert(worst_abs > 1e-3);
  }
}

/* A and B agree at init and, with per-layer rates, after every step; the
 * notes' m eta on everything departs at step 1. */
Test(ntk2, param_lr)
{
  for (size_t q = 0; q < 2; q++) {
    pt_t pt;
    pt_make(&pt, "n=3 d=4 m=8 steps=3 eta=0.05");
    tc_record *rec = run(&tc_check_ntk_param_lr, &pt, 2, precs[q]);
    cr_assert_eq(tc_record_rows(rec), 4);
    cr_assert(tcu_getd(rec, 0, "dev_stated") <= tcu_getd(rec, 0, "lr_err"));
    cr_assert(fabs(tcu_getd(rec, 0, "f0sq_A") - tcu_getd(rec, 0, "f0sq_B")) <= 1e-12);
    for (size_t k = 0; k < 4; k++)
      cr_assert(tcu_getd(rec, k, "dev_layer") <= tcu_getd(rec, k, "lr_err"), "k = %zu: %g", k, tcu_getd(rec, k, "dev_layer"));
    cr_assert(tcu_getd(rec, 1, "dev_stated") > 1e-3);
    tc_record_free(rec);
  }
}

Test(ntk2, validate_m_below_d)
{
  pt_t pt;
  pt_make(&pt, "d=4 m=4");
  char err[128];
  const char *blame = NULL;
  cr_assert_eq(tc_check_validate(&tc_check_rf_linear, &pt.p, &blame, err, sizeof err), TC_EDOM);
  cr_assert_str_eq(blame, "m");
}

/* ReLU: every active block has norm |x|/sqrt m, so hess_ntk = 1/sqrt m
 * exactly (|x| = 1) and hess_raw = 1; both precisions. */
Test(ntk2, hess_relu_exact)
{
  for (size_t q = 0; q < 2; q++) {
    pt_t pt;
    pt_make(&pt, "m=16 d=5 act=relu");
    tc_record *rec = run(&tc_check_twolayer_hess, &pt, 4, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "hess_ntk") - 0.25) <= 1e-15, "%.17g", tcu_getd(rec, 0, "hess_ntk"));
    cr_assert(fabs(tcu_getd(rec, 0, "hess_raw") - 1.0) <= 1e-15);
    tc_record_free(rec);
  }
}

/* tanh, m = d = 1: the 2 x 2 Hessian of f(w, a) = a tanh(w x) by central
 * second differences of f itself (the test reads the module's draws from
 * a tape with the same seed) has the module's norm. */
static double hess_f(double w, double a, double x) { return a * tanh(w * x); }

Test(ntk2, hess_tanh_against_differences)
{
  tc_tape *t = tc_tape_alloc(7);
  for (unsigned s = 0; s < 3; s++)
    tc_tape_open(t, s, TC_DRAW_GAUSSIAN_ZIGGURAT, 0);
  double w = tc_tape_at(t, 0, 0), a = tc_tape_at(t, 1, 0) < 0 ? -1.0 : 1.0, x = tc_tape_at(t, 2, 0) < 0 ? -1.0 : 1.0;
  tc_tape_free(t);
  double h = 1e-4;
  double fww = (hess_f(w + h, a, x) - 2 * hess_f(w, a, x) + hess_f(w - h, a, x)) / (h * h);
  double fwa = (hess_f(w + h, a + h, x) - hess_f(w + h, a - h, x) - hess_f(w - h, a + h, x) + hess_f(w - h, a - h, x)) / (4 * h * h);
  double norm = (fabs(fww) + sqrt(fww * fww + 4 * fwa * fwa)) / 2; /* f_aa = 0 */
  for (size_t q = 0; q < 2; q++) {
    pt_t pt;
    pt_make(&pt, "m=1 d=1 act=tanh");
    tc_record *rec = run(&tc_check_twolayer_hess, &pt, 7, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "hess_raw") - norm) <= 1e-6, "%.10g vs %.10g", tcu_getd(rec, 0, "hess_raw"), norm);
    tc_record_free(rec);
  }
}

/* m = 1: f_0^2 equals its worst case, m_cos2 = 1; the mean of f_0^2 over
 * 400 seeds is near 1 (He init, |x|^2 = d); both backends agree. */
Test(ntk2, deep_init)
{
  pt_t pt;
  pt_make(&pt, "m=1 d=3 L=2");
  for (size_t q = 0; q < 2; q++) {
    tc_record *rec = run(&tc_check_deep_init, &pt, 3, precs[q]);
    cr_assert(fabs(tcu_getd(rec, 0, "m_cos2") - 1.0) <= 1e-14);
    tc_record_free(rec);
  }
  pt_make(&pt, "m=8 d=5 L=1");
  double s = 0;
  for (uint64_t i = 0; i < 400; i++) {
    tc_record *rec = run(&tc_check_deep_init, &pt, 1000 + i, 0);
    s += tcu_getd(rec, 0, "f0sq");
    tc_record_free(rec);
  }
  cr_assert(fabs(s / 400 - 1.0) <= 0.5, "mean %g", s / 400);
  tc_record *a = run(&tc_check_deep_init, &pt, 5, 0), *b = run(&tc_check_deep_init, &pt, 5, 128);
  cr_assert(fabs(tcu_getd(a, 0, "f0sq") - tcu_getd(b, 0, "f0sq")) <= 1e-12 * (1 + tcu_getd(b, 0, "f0sq")));
  tc_record_free(a);
  tc_record_free(b);
}
