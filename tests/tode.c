/* tode — ODE steps for dx/dt = A x against the exact solution exp(tA) x0:
 * A = a rotation block (x1, x2 turn by angle t) plus a decaying mode
 * (x3 e^{-t/2}), known in closed form.  RK4 (tc_ode_rk4_step, both
 * backends): one step equals the degree-4 Taylor polynomial of exp(hA),
 * the documented local-error bound holds, and the global error falls
 * 16-fold per halving of h.  GSL rk8pd (tc_ode_evolve_d) meets its
 * tolerance.  F's failures are passed on and leave x unchanged. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "num/num_impl.h"
#include "test_seed.h"

#define TC_TEMPLATE "tnum_source.h"
#include "num/tc_instantiate.h"

#define PREC 256

static const double A3[9] = {0, 1, 0, -1, 0, 0, 0, 0, -0.5};
static const double X0[3] = {0.3, -1.1, 2.0};

static void exact(double *x, double t)
{
  x[0] = cos(t) * X0[0] + sin(t) * X0[1];
  x[1] = -sin(t) * X0[0] + cos(t) * X0[1];
  x[2] = exp(-0.5 * t) * X0[2];
}

/* max error at t = 1 after N RK4 steps, in the backend (MPFR: against the
 * exact solution at PREC bits). */
static double rk4_error_mpfr(unsigned N)
{
  tc_mat_mpfr *A = tc_mat_alloc_mpfr(3, 3, PREC);
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(3, PREC), *xe = tc_vec_alloc_mpfr(3, PREC);
  tc_ode_ws_mpfr *w = tc_ode_ws_alloc_mpfr(3, PREC);
  mpfr_t h, c, s;
  mpfr_inits2(PREC, h, c, s, (mpfr_ptr)0);
  h_fill_mpfr(A, A3);
  h_vfill_mpfr(x, X0);
  mpfr_set_ui(h, 1, MPFR_RNDN);
  mpfr_div_ui(h, h, N, MPFR_RNDN);
  for (unsigned k = 0; k < N; k++)
    cr_assert_eq(tc_ode_rk4_step_mpfr(x, h, h_linear_rhs_mpfr, A, w), TC_SUCCESS);
  mpfr_set_ui(h, 1, MPFR_RNDN);
  mpfr_sin_cos(s, c, h, MPFR_RNDN);
  mpfr_set_d(h, X0[0], MPFR_RNDN);
  mpfr_mul(xe->data[0], c, h, MPFR_RNDN);
  mpfr_mul(xe->data[1], s, h, MPFR_RNDN);
  mpfr_neg(xe->data[1], xe->data[1], MPFR_RNDN);
  mpfr_set_d(h, X0[1], MPFR_RNDN);
  mpfr_fma(xe->data[0], s, h, xe->data[0], MPFR_RNDN);
  mpfr_fma(xe->data[1], c, h, xe->data[1], MPFR_RNDN);
  mpfr_set_d(h, -0.5, MPFR_RNDN);
  mpfr_exp(h, h, MPFR_RNDN);
  mpfr_mul_d(xe->data[2], h, X0[2], MPFR_RNDN);
  double e = h_vec_diff_mpfr(x, xe, PREC);
  mpfr_clears(h, c, s, (mpfr_ptr)0);
  tc_ode_ws_free_mpfr(w);
  tc_mat_free_mpfr(A);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(xe);
  return e;
}

static double rk4_error_d(unsigned N)
{
  tc_mat_d *A = tc_mat_alloc_d(3, 3, 0);
  tc_vec_d *x = tc_vec_alloc_d(3, 0);
  tc_ode_ws_d *w = tc_ode_ws_alloc_d(3, 0);
  h_fill_d(A, A3);
  h_vfill_d(x, X0);
  double h = 1.0 / N, xe[3];
  for (unsigned k = 0; k < N; k++)
    cr_assert_eq(tc_ode_rk4_step_d(x, &h, h_linear_rhs_d, A, w), TC_SUCCESS);
  exact(xe, 1.0);
  double e = 0;
  for (int i = 0; i < 3; i++)
    e = fmax(e, fabs(x->data[i] - xe[i]));
  tc_ode_ws_free_d(w);
  tc_mat_free_d(A);
  tc_vec_free_d(x);
  return e;
}

Test(ode, rk4_fourth_order)
{
  double em[4], ed[4];
  for (int k = 0; k < 4; k++) {
    em[k] = rk4_error_mpfr(10u << k);
    ed[k] = rk4_error_d(10u << k);
  }
  for (int k = 0; k < 3; k++) {
    double rm = em[k] / em[k + 1], rd = ed[k] / ed[k + 1];
    cr_expect(rm > 14 && rm < 18, "mpfr error ratio %g (h = 1/%u)", rm, 10u << k);
    cr_expect(rd > 14 && rd < 18, "double error ratio %g (h = 1/%u)", rd, 10u << k);
  }
  cr_log_info("rk4 global error at t=1, h=1/10..1/80: mpfr %.3g %.3g %.3g %.3g; double %.3g %.3g %.3g %.3g",
              em[0], em[1], em[2], em[3], ed[0], ed[1], ed[2], ed[3]);
}

/* One step of a linear F is sum_{k<=4} (hA)^k x / k!, whose remainder is
 * bounded by ||hA||^5 e^||hA|| ||x|| / 120 (tc_ode.h). */
Test(ode, rk4_step_is_taylor_polynomial)
{
  gsl_rng *rng = test_rng(test_seed());
  size_t n = 5;
  double a[25], x0[5];
  for (size_t i = 0; i < 25; i++)
    a[i] = 2 * gsl_rng_uniform(rng) - 1;
  for (size_t i = 0; i < n; i++)
    x0[i] = 2 * gsl_rng_uniform(rng) - 1;
  tc_mat_mpfr *A = tc_mat_alloc_mpfr(n, n, PREC);
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(n, PREC), *p = tc_vec_alloc_mpfr(n, PREC),
              *term = tc_vec_alloc_mpfr(n, PREC), *t2 = tc_vec_alloc_mpfr(n, PREC);
  tc_ode_ws_mpfr *w = tc_ode_ws_alloc_mpfr(n, PREC);
  mpfr_t h, c;
  mpfr_inits2(PREC, h, c, (mpfr_ptr)0);
  h_fill_mpfr(A, a);
  h_vfill_mpfr(x, x0);
  h_vfill_mpfr(p, x0);
  h_vfill_mpfr(term, x0);
  mpfr_set_d(h, 0.05, MPFR_RNDN);
  for (unsigned k = 1; k <= 4; k++) {
    cr_assert_eq(tc_mat_gemv_mpfr(t2, A, term), TC_SUCCESS);
    mpfr_div_ui(c, h, k, MPFR_RNDN);
    for (size_t i = 0; i < n; i++)
      mpfr_mul(term->data[i], t2->data[i], c, MPFR_RNDN);
    mpfr_set_ui(c, 1, MPFR_RNDN);
    cr_assert_eq(tc_vec_axpy_mpfr(p, c, term), TC_SUCCESS);
  }
  cr_assert_eq(tc_ode_rk4_step_mpfr(x, h, h_linear_rhs_mpfr, A, w), TC_SUCCESS);
  double diff = h_vec_diff_mpfr(x, p, PREC);
  cr_expect(diff < 1e-70, "RK4 step vs Taylor polynomial: %g", diff);

  /* the remainder against exp(hA) x from a long Taylor sum */
  double hn = 0.05 * 5.0; /* ||hA|| <= h n max|a_ij| */
  double bound = pow(hn, 5) * exp(hn) * sqrt((double)n) / 120.0;
  h_vfill_mpfr(p, x0);
  h_vfill_mpfr(term, x0);
  for (unsigned k = 1; k <= 60; k++) {
    cr_assert_eq(tc_mat_gemv_mpfr(t2, A, term), TC_SUCCESS);
    mpfr_div_ui(c, h, k, MPFR_RNDN);
    for (size_t i = 0; i < n; i++)
      mpfr_mul(term->data[i], t2->data[i], c, MPFR_RNDN);
    mpfr_set_ui(c, 1, MPFR_RNDN);
    tc_vec_axpy_mpfr(p, c, term);
  }
  double local = h_vec_diff_mpfr(x, p, PREC);
  cr_expect(local <= bound, "local error %g above the bound %g", local, bound);
  cr_log_info("rk4 one step h=0.05 n=5: local error %.3g, documented bound %.3g", local, bound);
  mpfr_clears(h, c, (mpfr_ptr)0);
  tc_ode_ws_free_mpfr(w);
  tc_mat_free_mpfr(A);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(p);
  tc_vec_free_mpfr(term);
  tc_vec_free_mpfr(t2);
  gsl_rng_free(rng);
}

Test(ode, gsl_rk8pd_meets_tolerance)
{
  tc_mat_d *A = tc_mat_alloc_d(3, 3, 0);
  tc_vec_d *x = tc_vec_alloc_d(3, 0);
  h_fill_d(A, A3);
  double worst = 0;
  const double ts[3] = {0.5, 3.0, 10.0};
  for (int k = 0; k < 3; k++) {
    h_vfill_d(x, X0);
    cr_assert_eq(tc_ode_evolve_d(x, ts[k], h_linear_rhs_d, A, 1e-13, 1e-13), TC_SUCCESS);
    double xe[3];
    exact(xe, ts[k]);
    for (int i = 0; i < 3; i++)
      worst = fmax(worst, fabs(x->data[i] - xe[i]));
  }
  cr_expect(worst < 1e-10, "rk8pd error %g", worst);
  cr_log_info("rk8pd (tol 1e-13) worst error over t = 0.5, 3, 10: %.3g", worst);
  h_vfill_d(x, X0);
  cr_expect_eq(tc_ode_evolve_d(x, 0.0, h_linear_rhs_d, A, 1e-10, 0), TC_SUCCESS);
  cr_expect_eq(x->data[0], X0[0]);
  cr_expect_eq(tc_ode_evolve_d(x, -1.0, h_linear_rhs_d, A, 1e-10, 0), TC_EDOM);
  cr_expect_eq(tc_ode_evolve_d(x, 1.0, h_linear_rhs_d, A, 0, 0), TC_EDOM);
  tc_mat_free_d(A);
  tc_vec_free_d(x);
}

static int failing_rhs_d(tc_vec_d *dxdt, const tc_vec_d *x, void *params)
{
  (void)dxdt;
  (void)params;
  return x->data[0] > 0.35 ? TC_EDOM : (dxdt->data[0] = 1.0, dxdt->data[1] = dxdt->data[2] = 0, TC_SUCCESS);
}

static int failing_rhs_mpfr(tc_vec_mpfr *dxdt, const tc_vec_mpfr *x, void *params)
{
  (void)dxdt;
  (void)x;
  (void)params;
  return TC_ENONFINITE;
}

Test(ode, failures_passed_on)
{
  tc_vec_d *x = tc_vec_alloc_d(3, 0);
  tc_vec_mpfr *xm = tc_vec_alloc_mpfr(3, 64);
  tc_ode_ws_d *w = tc_ode_ws_alloc_d(3, 0);
  tc_ode_ws_mpfr *wm = tc_ode_ws_alloc_mpfr(3, 64);
  tc_ode_ws_d *w2 = tc_ode_ws_alloc_d(2, 0);
  h_vfill_d(x, X0);
  h_vfill_mpfr(xm, X0);
  double h = 0.1;
  mpfr_t hm;
  mpfr_init2(hm, 64);
  mpfr_set_d(hm, 0.1, MPFR_RNDN);
  /* x0 = 0.3: k1 fine, the stage at 0.3 + 0.05 fails; x unchanged */
  cr_expect_eq(tc_ode_rk4_step_d(x, &h, failing_rhs_d, NULL, w), TC_EDOM);
  cr_expect_eq(x->data[0], X0[0]);
  cr_expect_eq(tc_ode_rk4_step_mpfr(xm, hm, failing_rhs_mpfr, NULL, wm), TC_ENONFINITE);
  cr_expect_eq(mpfr_cmp_d(xm->data[0], X0[0]), 0);
  cr_expect_eq(tc_ode_rk4_step_d(x, &h, failing_rhs_d, NULL, w2), TC_EBADLEN);
  cr_expect_eq(tc_ode_evolve_d(x, 1.0, failing_rhs_d, NULL, 1e-10, 1e-10), TC_EDOM);
  cr_expect_null(tc_ode_ws_alloc_d(0, 0));
  cr_expect_null(tc_ode_ws_alloc_mpfr(3, 0));
  mpfr_clear(hm);
  tc_ode_ws_free_d(w);
  tc_ode_ws_free_d(w2);
  tc_ode_ws_free_mpfr(wm);
  tc_vec_free_d(x);
  tc_vec_free_mpfr(xm);
}
