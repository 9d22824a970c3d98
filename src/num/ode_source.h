/* ode_source.h — the classical Runge-Kutta step and its workspace, written
 * once in the generic names of tc_templates_on.h and instantiated by
 * ode_rk4.c.  The stages are
 *   k1 = F(x), k2 = F(x + h/2 k1), k3 = F(x + h/2 k2), k4 = F(x + h k3),
 *   x <- x + h/6 (k1 + 2 k2 + 2 k3 + k4).
 * All vector operations below have operands of the workspace's size, so
 * they cannot fail (tc_linalg.h); only F's status is passed on. */

int FUNCTION(tc_ode_rk4_step)(VEC *x, REAL_SRCPTR h, ODE_FN f, void *params, ODE_WS *w)
{
  if (x->n != w->n)
    return TC_EBADLEN;
  int status;
  if ((status = f(w->k1, x, params)))
    return status;
  r_mul_double(w->a, h, 0.5);
  vec_copy(w->xt, x);
  vec_axpy(w->xt, w->a, w->k1);
  if ((status = f(w->k2, w->xt, params)))
    return status;
  vec_copy(w->xt, x);
  vec_axpy(w->xt, w->a, w->k2);
  if ((status = f(w->k3, w->xt, params)))
    return status;
  vec_copy(w->xt, x);
  vec_axpy(w->xt, h, w->k3);
  if ((status = f(w->k4, w->xt, params)))
    return status;
  r_set_si(w->a, 2);
  vec_axpy(w->k1, w->a, w->k2);
  vec_axpy(w->k1, w->a, w->k3);
  r_set_si(w->a, 1);
  vec_axpy(w->k1, w->a, w->k4);
  r_div_double(w->a, h, 6.0);
  vec_axpy(x, w->a, w->k1);
  return TC_SUCCESS;
}

ODE_WS *FUNCTION(tc_ode_ws_alloc)(size_t n, mpfr_prec_t prec)
{
#if defined(TC_BASE_MPFR)
  if (prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
    return NULL;
#endif
  if (n == 0)
    return NULL;
  ODE_WS *w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  w->n = n;
  r_init(w->a, prec);
  w->k1 = vec_alloc(n, prec);
  w->k2 = vec_alloc(n, prec);
  w->k3 = vec_alloc(n, prec);
  w->k4 = vec_alloc(n, prec);
  w->xt = vec_alloc(n, prec);
  if (!w->k1 || !w->k2 || !w->k3 || !w->k4 || !w->xt) {
    FUNCTION(tc_ode_ws_free)(w);
    return NULL;
  }
  return w;
}

void FUNCTION(tc_ode_ws_free)(ODE_WS *w)
{
  if (w == NULL)
    return;
  r_clear(w->a);
  vec_free(w->k1);
  vec_free(w->k2);
  vec_free(w->k3);
  vec_free(w->k4);
  vec_free(w->xt);
  free(w);
}
