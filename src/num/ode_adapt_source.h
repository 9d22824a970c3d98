/* ode_adapt_source.h — classical RK4 with step-doubling error control,
 * written once in the generic names of tc_templates_on.h and instantiated
 * by ode_adapt.c (tc_ode.h documents the contract).
 *
 * One attempt from x with step H: y1 = one RK4 step of H, y2 = two RK4
 * steps of H/2.  Both have local error C H^5 (C/16 for y2), so
 * e = ||y2 - y1|| / 15 estimates y2's local error (Richardson).  The
 * attempt is accepted when e <= atol + rtol ||y2||; x becomes y2 (not the
 * extrapolated value, so e stays an estimate of the error actually made).
 * After an accepted step whose e is below 1/32 of the tolerance H is
 * doubled (RK4's local error then grows by 2^5 = 32 at most, to the
 * tolerance); after a rejected one it is halved.  Rounding is not
 * included: the caller adds its own per-step estimate. */

static int FUNCTION(ode_adapt_attempt)(const VEC *x, REAL_SRCPTR H, ODE_FN f, void *params,
                                       ODE_WS *w, VEC *y1, VEC *y2, REAL_PTR half, REAL_PTR e)
{
  int status;
  vec_copy(y1, x);
  vec_copy(y2, x);
  r_mul_double(half, H, 0.5);
  if ((status = FUNCTION(tc_ode_rk4_step)(y1, H, f, params, w)) ||
      (status = FUNCTION(tc_ode_rk4_step)(y2, half, f, params, w)) ||
      (status = FUNCTION(tc_ode_rk4_step)(y2, half, f, params, w)))
    return status;
  r_set_si(half, -1);
  vec_axpy(y1, half, y2); /* y1 <- y1 - y2 */
  vec_norm2(e, y1);
  r_div_double(e, e, 15.0);
  return r_is_finite(e) ? TC_SUCCESS : TC_ENONFINITE;
}

int FUNCTION(tc_ode_rk4_adapt)(VEC *x, REAL_SRCPTR T, ODE_FN f, void *params, double atol,
                               double rtol, REAL_PTR h, REAL_PTR err, long *nsteps, long maxsteps,
                               tc_ode_node_fn node, void *ctx, ODE_WS *w, mpfr_prec_t prec)
{
  if (x->n != w->n)
    return TC_EBADLEN;
  if (!(atol >= 0 && rtol >= 0 && atol + rtol > 0) || r_sgn(h) <= 0)
    return TC_EDOM;
  VEC *y1 = vec_alloc(x->n, prec), *y2 = vec_alloc(x->n, prec);
  REAL t, H, e, tolv, half;
  REAL_PTR reals[] = {t, H, e, tolv, half};
  for (size_t i = 0; i < 5; i++)
    r_init(reals[i], prec);
  int status = y1 && y2 ? TC_SUCCESS : TC_ENOMEM;
  r_set_si(t, 0);
  while (status == TC_SUCCESS && r_cmp(t, T) < 0) {
    r_sub(H, T, t);
    int last = r_cmp(h, H) >= 0; /* the step that ends at T: H = T - t */
    if (!last)
      r_set(H, h);
    if ((status = FUNCTION(ode_adapt_attempt)(x, H, f, params, w, y1, y2, half, e)))
      break;
    vec_norm2(tolv, y2);
    r_mul_double(tolv, tolv, rtol);
    r_add_double(tolv, tolv, atol);
    if (r_cmp(e, tolv) <= 0) {
      vec_copy(x, y2);
      r_add(err, err, e);
      r_add(t, t, H);
      (*nsteps)++;
      if (node && (status = node(x, ctx)))
        break;
      r_mul_double(tolv, tolv, 1.0 / 32.0);
      if (!last && r_cmp(e, tolv) < 0)
        r_mul_double(h, h, 2.0);
    } else {
      r_mul_double(h, H, 0.5);
      r_mul_double(half, T, 1e-30);
      if (r_cmp(h, half) < 0)
        status = TC_EFAILED; /* the step size underflows: F too stiff or singular */
    }
    if (status == TC_SUCCESS && *nsteps > maxsteps)
      status = TC_EMAXITER;
  }
  for (size_t i = 0; i < 5; i++)
    r_clear(reals[i]);
  vec_free(y1);
  vec_free(y2);
  return status;
}
