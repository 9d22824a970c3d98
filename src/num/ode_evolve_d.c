/* tc_ode_evolve_d — x(t) for dx/dt = F(x) by GSL's odeiv2 driver with the
 * embedded Prince-Dormand 8(9) pair (rk8pd) and its standard step-size
 * control (each step's error estimate <= epsabs + epsrel |x_i|).
 *
 * GSL passes y as a bare const array; it is wrapped in a tc_vec_d view
 * for F (F receives it const, so the cast that drops GSL's const is never
 * written through).  GSL's error handler is switched off around the call,
 * as in beta_inc_d.c, and its statuses translated. */
#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include "num_impl.h"

#define ODE_MAX_STEPS 1000000UL

typedef struct {
  tc_ode_fn_d f;
  void *params;
  size_t n;
  int status; /* F's own status, when it failed */
} ode_call;

static int ode_gsl_fn(double t, const double y[], double dydt[], void *p)
{
  (void)t;
  ode_call *c = p;
  tc_vec_d x = {c->n, (double *)y}, dx = {c->n, dydt};
  c->status = c->f(&dx, &x, c->params);
  return c->status == TC_SUCCESS ? GSL_SUCCESS : GSL_EBADFUNC;
}

int tc_ode_evolve_d(tc_vec_d *x, double t, tc_ode_fn_d f, void *params, double epsabs,
                    double epsrel)
{
  if (!(t >= 0) || !(epsabs >= 0) || !(epsrel >= 0) || (epsabs == 0 && epsrel == 0)
      || !isfinite(t))
    return TC_EDOM;
  if (t == 0)
    return TC_SUCCESS;
  ode_call c = {f, params, x->n, TC_SUCCESS};
  gsl_odeiv2_system sys = {ode_gsl_fn, NULL, x->n, &c};
  double h0 = t < 1e-3 ? t : 1e-3;
  tc_gsl_errors_off();
  gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, h0,
                                                       epsabs, epsrel);
  int status = TC_ENOMEM;
  if (d != NULL) {
    gsl_odeiv2_driver_set_nmax(d, ODE_MAX_STEPS);
    double t0 = 0.0;
    int st = gsl_odeiv2_driver_apply(d, &t0, t, x->data);
    if (st == GSL_SUCCESS)
      status = TC_SUCCESS;
    else if (st == GSL_EBADFUNC && c.status != TC_SUCCESS)
      status = c.status;
    else if (st == GSL_EMAXITER)
      status = TC_EMAXITER;
    else
      status = TC_EFAILED;
    gsl_odeiv2_driver_free(d);
  }
  return status;
}
