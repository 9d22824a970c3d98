/* Tests of the gflow check module (checks/gflow.c): the closed forms
 * (quadratic, quartic-exp), the RK4 flow of x^2 + 3 sin^2 x against the
 * implicit solution t = int_{x_t}^{x_0} dx / h'(x) with its error
 * estimate, the computed constants, both precisions, and that Theorem 3
 * as written fails on quartic-exp while the squared form holds. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"

extern const tc_check tc_check_gflow;

enum { G_FAMILY, G_D, G_KAPPA, G_T, G_TIMES, G_START, G_THETA0, G_COUNT };
static const char *const gnames[G_COUNT] = {"family", "d", "kappa", "T", "times", "start", "theta0"};

/* Run one instance; bits == 0: the double backend. */
static tc_record *run(const char *spec, uint64_t seed, mpfr_prec_t bits)
{
  return tcu_run_spec(&tc_check_gflow, spec, gnames, G_COUNT, seed, bits);
}

/* 1-D quadratic (a = 1): gap_t = e^{-2t} gap0, gradmin = sqrt(2 gap_t). */
static void quad_closed_form(mpfr_prec_t bits)
{
  tc_record *r = run("family=quadratic d=1 kappa=10 T=50 times=50 start=random", 7, bits);
  cr_assert_eq(tc_record_rows(r), 50);
  double g0 = tcu_getd(r, 0, "gap0");
  cr_assert(fabs(tcu_getd(r, 0, "dist0") - sqrt(2 * g0)) <= 1e-14 * sqrt(2 * g0));
  cr_assert_eq(tcu_getd(r, 0, "C_sq"), 2.0);
  cr_assert_eq(tcu_getd(r, 0, "C_unsq"), 0.0);
  for (size_t i = 0; i < 50; i++) {
    double t = tcu_getd(r, i, "t"), want = exp(-2 * t) * g0;
    cr_assert(fabs(tcu_getd(r, i, "gap") - want) <= 1e-13 * want, "t=%g", t);
    cr_assert(fabs(tcu_getd(r, i, "gradmin") - sqrt(2 * want)) <= 1e-13 * sqrt(2 * want));
    cr_assert(tcu_getd(r, i, "gap_err") > 0 && tcu_getd(r, i, "gap_err") < 1e-12 * want);
  }
  tc_record_free(r);
}

Test(gflow, quadratic_closed_form_double)
{
  quad_closed_form(0);
}

Test(gflow, quadratic_closed_form_mpfr)
{
  quad_closed_form(200);
}

/* quartic-exp from 1: R = (1 + 8t)^{-2}; from 3 the exponential phase
 * ends at t_1 = (1 - e^{-8})/16 with theta = 1, then theta^{-2} = 1 + 8 (t - t_1). */
static void quartic_closed_form(mpfr_prec_t bits)
{
  tc_record *r = run("family=quartic-exp d=1 kappa=1 T=4 times=8 theta0=1", 1, bits);
  cr_assert_eq(tcu_getd(r, 0, "C_unsq"), 4.0);
  cr_assert_eq(tcu_getd(r, 0, "C_sq"), 0.0);
  for (size_t i = 0; i < 8; i++) {
    double t = tcu_getd(r, i, "t"), want = pow(1 + 8 * t, -2);
    cr_assert(fabs(tcu_getd(r, i, "gap") - want) <= 1e-14 * want);
    cr_assert(fabs(tcu_getd(r, i, "gradmin") - 4 * pow(1 + 8 * t, -1.5)) <= 1e-14);
  }
  /* the notes' e^{-Ct} with C = 4 is violated at t = 2: 1/289 > e^{-8} */
  cr_assert(tcu_getd(r, 3, "gap") > exp(-4 * 2.0) * tcu_getd(r, 3, "gap0"));
  tc_record_free(r);
  r = run("family=quartic-exp d=1 kappa=1 T=1 times=100 theta0=3", 1, bits);
  double t1 = (1 - exp(-8.0)) / 16;
  cr_assert(fabs(tcu_getd(r, 0, "gap0") - exp(8.0)) <= 1e-13 * exp(8.0));
  for (size_t i = 0; i < 100; i++) {
    double t = tcu_getd(r, i, "t");
    double want = t < t1 ? 1 / pow(exp(-8.0) + 16 * t, 1) : pow(1 + 8 * (t - t1), -2);
    cr_assert(fabs(tcu_getd(r, i, "gap") - want) <= 1e-12 * want, "t=%g: %.17g vs %.17g", t,
              tcu_getd(r, i, "gap"), want);
  }
  tc_record_free(r);
}

Test(gflow, quartic_exp_closed_form_double)
{
  quartic_closed_form(0);
}

Test(gflow, quartic_exp_closed_form_mpfr)
{
  quartic_closed_form(160);
}

static long double hprime(long double x)
{
  return 2 * x + 3 * sinl(2 * x);
}

static long double hval(long double x)
{
  long double s = sinl(x);
  return x * x + 3 * s * s;
}

/* x^2 + 3 sin^2 x from the worst point of its PL ratio: invert gap_t to
 * x_t > 0 (h is increasing on x > 0) and check t = int_{x_t}^{|x_0|}
 * dx / h'(x) (Simpson, 2e5 panels, long double); the time error implied
 * by gap_err, gap_err / h'(x_t)^2, must cover the discrepancy. */
static void ncv_implicit(mpfr_prec_t bits)
{
  tc_record *r = run("family=nonconvex-pl d=1 kappa=1 T=1 times=4 start=slow", 3, bits);
  long double x0 = tcu_getd(r, 0, "dist0");
  cr_assert(fabs(tcu_getd(r, 0, "C_sq") - 2 * 0.1755309859) < 1e-9);
  for (size_t i = 0; i < 4; i++) {
    long double t = tcu_getd(r, i, "t"), g = tcu_getd(r, i, "gap"), lo = 0, hi = x0;
    for (int it = 0; it < 200; it++) {
      long double mid = 0.5L * (lo + hi);
      if (hval(mid) < g)
        lo = mid;
      else
        hi = mid;
    }
    long double xt = 0.5L * (lo + hi), sum = 0;
    long n = 200000;
    long double dx = (x0 - xt) / n;
    for (long j = 0; j <= n; j++) {
      long double w = (j == 0 || j == n) ? 1 : (j % 2 ? 4 : 2);
      sum += w / hprime(xt + dx * j);
    }
    long double tq = sum * dx / 3, hp = hprime(xt);
    double dt_err = tcu_getd(r, i, "gap_err") / (double)(hp * hp);
    cr_assert(fabsl(tq - t) <= 1e-9L, "t=%Lg: quadrature %.17Lg", t, tq);
    cr_assert(fabsl(tq - t) <= 4 * dt_err + 1e-14L, "t=%Lg: |%Lg| > error %g", t, tq - t, dt_err);
  }
  tc_record_free(r);
}

Test(gflow, nonconvex_pl_matches_implicit_solution_double)
{
  ncv_implicit(0);
}

Test(gflow, nonconvex_pl_matches_implicit_solution_mpfr)
{
  ncv_implicit(128);
}

/* Same seed, same rows: and double agrees with MPFR within the errors. */
Test(gflow, double_agrees_with_mpfr)
{
  const char *specs[] = {"family=singular-quadratic d=5 kappa=1e4 T=100 times=20 start=random",
                         "family=nonconvex-pl d=1 kappa=1 T=10 times=10 start=random"};
  for (int s = 0; s < 2; s++) {
    tc_record *a = run(specs[s], 11, 0), *b = run(specs[s], 11, 128);
    for (size_t i = 0; i < tc_record_rows(a); i++) {
      double ga = tcu_getd(a, i, "gap"), gb = tcu_getd(b, i, "gap");
      cr_assert(fabs(ga - gb) <= tcu_getd(a, i, "gap_err") + tcu_getd(b, i, "gap_err") + 1e-300,
                "%s row %zu: %.17g vs %.17g", specs[s], i, ga, gb);
    }
    tc_record_free(a);
    tc_record_free(b);
  }
}

/* ---- the adaptive RK4 (tc_ode_rk4_adapt) against the implicit solution
 * of x' = -h'(x), h = x^2 + 3 sin^2 x: h' = 2x + 3 sin 2x > 0 for x > 0,
 * so the flow from x0 > 0 is monotone and T = int_{x_T}^{x0} du / h'(u). */
#include "tc_ode.h"

static int ncv_vf_d(tc_vec_d *dxdt, const tc_vec_d *x, void *params)
{
  (void)params;
  double v = x->data[0];
  dxdt->data[0] = -(2 * v + 3 * sin(2 * v));
  return TC_SUCCESS;
}

static int ncv_vf_mpfr(tc_vec_mpfr *dxdt, const tc_vec_mpfr *x, void *params)
{
  mpfr_ptr t = params, f = dxdt->data[0];
  mpfr_mul_2ui(f, x->data[0], 1, MPFR_RNDN);
  mpfr_sin(t, f, MPFR_RNDN);
  mpfr_mul_ui(t, t, 3, MPFR_RNDN);
  mpfr_add(f, f, t, MPFR_RNDN);
  mpfr_neg(f, f, MPFR_RNDN);
  return TC_SUCCESS;
}

/* int_a^b du / h'(u) by composite Simpson (the integrand is smooth and
 * bounded on [a, b] subset (0, inf)): error ~ 1e-15 for n = 20000. */
static double ncv_time(double a, double b)
{
  const int n = 20000;
  double hh = (b - a) / n, s = 0;
  for (int i = 0; i <= n; i++) {
    double u = a + hh * i, g = 1 / (2 * u + 3 * sin(2 * u));
    s += (i == 0 || i == n ? 1 : i % 2 ? 4 : 2) * g;
  }
  return s * hh / 3;
}

Test(gflow, adaptive_rk4_matches_implicit_solution)
{
  tc_vec_d *x = tc_vec_alloc_d(1, 53);
  tc_ode_ws_d *w = tc_ode_ws_alloc_d(1, 53);
  double T = 1.0, h = 1e-3, err = 0;
  long n = 0;
  x->data[0] = 3.0;
  cr_assert_eq(tc_ode_rk4_adapt_d(x, &T, ncv_vf_d, NULL, 1e-15, 1e-13, &h, &err, &n, 1000000, NULL,
                                  NULL, w, 53), TC_SUCCESS);
  double xT = x->data[0], t = ncv_time(xT, 3.0);
  cr_assert(xT > 0 && xT < 3);
  /* the time to reach the computed x_T is T up to the integration error */
  cr_assert(fabs(t - T) < 1e-10, "implicit time %.17g vs %.17g (x_T %.17g, err %.3g)", t, T, xT, err);
  cr_assert(err > 0 && err < 1e-9);
  cr_assert(n > 10 && n < 100000, "%ld steps", n);
  /* a step budget that cannot reach T */
  x->data[0] = 3.0;
  h = 1e-3;
  n = 0;
  cr_assert_eq(tc_ode_rk4_adapt_d(x, &T, ncv_vf_d, NULL, 1e-15, 1e-13, &h, &err, &n, 5, NULL, NULL,
                                  w, 53), TC_EMAXITER);
  tc_vec_free_d(x);
  tc_ode_ws_free_d(w);
}

Test(gflow, adaptive_rk4_mpfr_matches_double)
{
  mpfr_prec_t p = 160;
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(1, p);
  tc_ode_ws_mpfr *w = tc_ode_ws_alloc_mpfr(1, p);
  mpfr_t T, h, err, t;
  mpfr_inits2(p, T, h, err, t, (mpfr_ptr)0);
  mpfr_set_d(T, 1.0, MPFR_RNDN);
  mpfr_set_d(h, 1e-3, MPFR_RNDN);
  mpfr_set_zero(err, 1);
  mpfr_set_d(x->data[0], 3.0, MPFR_RNDN);
  long n = 0;
  cr_assert_eq(tc_ode_rk4_adapt_mpfr(x, T, ncv_vf_mpfr, t, 1e-22, 1e-18, h, err, &n, 10000000, NULL,
                                     NULL, w, p), TC_SUCCESS);
  double xT = mpfr_get_d(x->data[0], MPFR_RNDN), tt = ncv_time(xT, 3.0);
  cr_assert(fabs(tt - 1.0) < 1e-12, "implicit time %.17g (x_T %.17g)", tt, xT);
  cr_assert(mpfr_get_d(err, MPFR_RNDN) < 1e-14);
  mpfr_clears(T, h, err, t, (mpfr_ptr)0);
  tc_vec_free_mpfr(x);
  tc_ode_ws_free_mpfr(w);
}
