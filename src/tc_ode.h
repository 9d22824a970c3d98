/* tc_ode.h — steps of an autonomous ODE dx/dt = F(x) in both backends.
 *
 * F is given by the caller as a function writing F(x) into dxdt (which
 * never aliases x) and returning TC_SUCCESS or a TC_E* status that the
 * stepper passes on. */
#ifndef TC_ODE_H
#define TC_ODE_H

#include <mpfr.h>
#include "tc_linalg.h"

typedef int (*tc_ode_fn_d)(tc_vec_d *dxdt, const tc_vec_d *x, void *params);
typedef int (*tc_ode_fn_mpfr)(tc_vec_mpfr *dxdt, const tc_vec_mpfr *x, void *params);

/* The stages of a step, allocated once per dimension (NULL for n == 0, a
 * bad precision, or no memory). */
typedef struct tc_ode_ws_d tc_ode_ws_d;
typedef struct tc_ode_ws_mpfr tc_ode_ws_mpfr;
tc_ode_ws_d *tc_ode_ws_alloc_d(size_t n, mpfr_prec_t prec);
tc_ode_ws_mpfr *tc_ode_ws_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_ode_ws_free_d(tc_ode_ws_d *w);
void tc_ode_ws_free_mpfr(tc_ode_ws_mpfr *w);

/* One classical Runge-Kutta step of size h, x <- x + h (k1 + 2k2 + 2k3 +
 * k4)/6, in place (the same code in both backends).  Local error: C h^5
 * for F with bounded derivatives; for F(x) = A x the step is exactly the
 * degree-4 Taylor polynomial of exp(hA) applied to x, so the local error
 * is sum_{k >= 5} (hA)^k x / k!, at most ||hA||^5 e^||hA|| ||x|| / 120,
 * and N steps to a fixed time have global error O(h^4).  Rounding adds
 * about 4 u ||x|| per step.  On a failing F, x is unchanged. */
int tc_ode_rk4_step_d(tc_vec_d *x, const double *h, tc_ode_fn_d f, void *params, tc_ode_ws_d *w);
int tc_ode_rk4_step_mpfr(tc_vec_mpfr *x, mpfr_srcptr h, tc_ode_fn_mpfr f, void *params,
                         tc_ode_ws_mpfr *w);

/* Called after every accepted step of tc_ode_rk4_adapt with the new x
 * (a tc_vec_d * or tc_vec_mpfr *) and the caller's ctx; a nonzero status
 * stops the integration and is passed on. */
typedef int (*tc_ode_node_fn)(const void *x, void *ctx);

/* x <- x(T) from x(0) = x, T >= 0, by classical RK4 with step-doubling
 * error control (ode_adapt_source.h): each step of size H is compared
 * with two steps of H/2, e = ||y_{H/2} - y_H|| / 15 estimates the local
 * error of the two half steps, which are accepted when e <= atol +
 * rtol ||x||; H is halved after a rejection and doubled after a step
 * with e below 1/32 of the tolerance.  h: the first step to try, on
 * return the next one (pass it back to continue to a later time).  err
 * is increased by the sum of the accepted local error estimates (not a
 * bound on the global error: the caller compares two tolerances for
 * that) and *nsteps by the accepted steps.  node (may be NULL) sees every
 * accepted point.  TC_EMAXITER past maxsteps accepted steps, TC_EFAILED
 * if the step falls below 1e-30 T, F's status if F fails; x is then the
 * last accepted point.  Rounding is not included. */
int tc_ode_rk4_adapt_d(tc_vec_d *x, const double *T, tc_ode_fn_d f, void *params, double atol,
                       double rtol, double *h, double *err, long *nsteps, long maxsteps,
                       tc_ode_node_fn node, void *ctx, tc_ode_ws_d *w, mpfr_prec_t prec);
int tc_ode_rk4_adapt_mpfr(tc_vec_mpfr *x, mpfr_srcptr T, tc_ode_fn_mpfr f, void *params, double atol,
                          double rtol, mpfr_ptr h, mpfr_ptr err, long *nsteps, long maxsteps,
                          tc_ode_node_fn node, void *ctx, tc_ode_ws_mpfr *w, mpfr_prec_t prec);

/* double only: x <- x(t) from x(0) = x, t >= 0, by GSL's odeiv2 driver
 * with the Prince-Dormand 8(9) stepper (rk8pd) and adaptive steps that
 * keep each step's local error estimate below epsabs + epsrel |x_i|.
 * TC_EMAXITER if it needs more than 10^6 steps, F's status if F fails,
 * TC_EFAILED if the step size underflows; x is then the last point
 * reached. */
int tc_ode_evolve_d(tc_vec_d *x, double t, tc_ode_fn_d f, void *params, double epsabs,
                    double epsrel);

#endif
