/* saddle_chain_source.h — the saddle-chain measurement in the generic names
 * of tc_templates_on.h; saddle_chain.c documents it. */

#include "quadratic_source.h"

typedef struct {
  const MAT *A;
  double b;
  VEC *cube; /* scratch: x_i^3 */
} FUNCTION(saddle_chain_f);

/* g <- grad f(x) = A x + b x^3 */
static int FUNCTION(saddle_chain_grad)(VEC *g, const VEC *x, FUNCTION(saddle_chain_f) *f)
{
  int status = mat_gemv(g, f->A, x);
  if (status)
    return status;
  for (size_t i = 0; i < x->n; i++) {
    r_sqr(vec_at(f->cube, i), vec_at(x, i));
    r_mul(vec_at(f->cube, i), vec_at(f->cube, i), vec_at(x, i));
    r_mul_double(vec_at(f->cube, i), vec_at(f->cube, i), f->b);
    r_add(vec_at(g, i), vec_at(g, i), vec_at(f->cube, i));
  }
  return TC_SUCCESS;
}

/* The flow's field -grad f. */
static int FUNCTION(saddle_chain_field)(VEC *dxdt, const VEC *x, void *params)
{
  int status = FUNCTION(saddle_chain_grad)(dxdt, x, params);
  if (status == TC_SUCCESS)
    for (size_t i = 0; i < x->n; i++)
      r_neg(vec_at(dxdt, i), vec_at(dxdt, i));
  return status;
}

/* q <- -2 <g, H(y) g>, H(y) = A + 3 b diag(y^2); Ag scratch. */
static int FUNCTION(saddle_chain_form)(REAL_PTR q, const VEC *g, const VEC *y, const MAT *A,
                                       double b, VEC *Ag, REAL_PTR t)
{
  int status = mat_gemv(Ag, A, g);
  if (status)
    return status;
  if ((status = vec_dot(q, g, Ag)))
    return status;
  for (size_t i = 0; i < g->n; i++) {
    r_mul(t, vec_at(g, i), vec_at(y, i));
    r_sqr(t, t);
    r_mul_double(t, t, 3.0 * b);
    r_add(q, q, t);
  }
  r_mul_double(q, q, -2.0);
  return TC_SUCCESS;
}

static int FUNCTION(saddle_chain_measure)(tc_record *out, const tc_instance *inst, char *err,
                                          size_t errlen)
{
  saddle_chain_config c;
  saddle_chain_config_read(&c, inst->point);
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d;
  long N = (long)ceil(c.T / c.h);
  int status = TC_SUCCESS;
  tc_tape *own = NULL, *tape = inst->tape;
  if (tape == NULL) {
    tape = own = tc_tape_alloc(inst->seed);
    if (tape == NULL || saddle_chain_draw(tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  double *lam = malloc(d * sizeof *lam);
  MAT *Q = mat_alloc(d, d, prec), *A = mat_alloc(d, d, prec);
  VEC *x = vec_alloc(d, prec), *x0 = vec_alloc(d, prec), *g = vec_alloc(d, prec),
      *Ag = vec_alloc(d, prec), *cube = vec_alloc(d, prec);
  ODE_WS *ws = ode_ws_alloc(d, prec);
  REAL phi[5], h, u, q, q0, t, dx, dxi, rho, d1, d2, e;
  REAL_PTR reals[] = {h, u, q, q0, t, dx, dxi, rho, d1, d2, e};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  for (int i = 0; i < 5; i++)
    r_init(phi[i], prec);
  if (status || !rng || !lam || !Q || !A || !x || !x0 || !g || !Ag || !cube || !ws) {
    status = status ? status : TC_ENOMEM;
    goto done;
  }
  /* spectrum: -lam, then log-uniform in [0.1, 1] with the last one 1 */
  lam[0] = -c.lam;
  for (size_t k = 1; k < d; k++)
    lam[k] = k == d - 1 ? 1.0 : exp(log(0.1) * gsl_rng_uniform(rng));
  TC_TRY(FUNCTION(tc_quad_orthogonal)(Q, rng, prec));
  FUNCTION(tc_quad_form)(A, Q, lam, prec);
  {
    double nr = 0, gv[SADDLE_CHAIN_MAX_D];
    for (size_t i = 0; i < d; i++) {
      gv[i] = tc_tape_next(tape, 1);
      nr += gv[i] * gv[i];
    }
    TC_TRY(tc_tape_status(tape));
    for (size_t i = 0; i < d; i++)
      r_set_double(vec_at(x, i), c.r0 * gv[i] / sqrt(nr));
  }
  TC_TRY(vec_copy(x0, x));
  FUNCTION(saddle_chain_f) F = {A, c.b, cube};
  r_set_double(h, c.h);
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  /* phi ring: phi[k] = phi_{n-2+k} once n >= 2 */
  long next_ck = 1;
  for (long n = 0; n <= N && status == TC_SUCCESS; n++) {
    TC_TRY(FUNCTION(saddle_chain_grad)(g, x, &F));
    for (int k = 0; k < 4; k++)
      r_set(phi[k], phi[k + 1]);
    TC_TRY(vec_dot(phi[4], g, g));
    /* A checkpoint m is written two steps later (n = m + 2), when phi_{m+2}
     * is known; its chain terms (q, q0, dx, dxi, rho) were computed below
     * when step m was current. */
    long m = n - 2;
    if (m >= 2 && next_ck <= SADDLE_CHAIN_NCK && m == next_ck * (N - 2) / (SADDLE_CHAIN_NCK + 1)) {
      next_ck++;
      r_sub(d1, phi[3], phi[1]);
      r_div(d1, d1, h);
      r_div_double(d1, d1, 2.0);
      r_sub(d2, phi[4], phi[0]);
      r_div(d2, d2, h);
      r_div_double(d2, d2, 4.0);
      r_sub(e, d1, d2);
      r_abs(e, e);
      r_mul(t, u, phi[2]);
      r_div(t, t, h);
      r_mul_double(t, t, 16.0 * (double)(d + 4));
      r_add(e, e, t);
      if ((status = tc_record_put_double(out, "t", (double)m * c.h)) ||
          (status = record_put(out, "dphi", d1)) || (status = record_put(out, "dphi_err", e)) ||
          (status = record_put(out, "chain", q)) || (status = record_put(out, "chain0", q0)) ||
          (status = record_put(out, "dx", dx)) || (status = record_put(out, "dxinf", dxi)) ||
          (status = record_put(out, "gnorm2", phi[2])) || (status = record_put(out, "rho", rho)))
        break;
      if ((status = tc_record_end_row(out)))
        break;
    }
    /* step n is the next checkpoint: keep its chain terms (validate keeps
     * checkpoints at least 4 steps apart, so they are not overwritten). */
    if (n >= 2 && next_ck <= SADDLE_CHAIN_NCK && n == next_ck * (N - 2) / (SADDLE_CHAIN_NCK + 1)) {
      TC_TRY(FUNCTION(saddle_chain_form)(q, g, x, A, c.b, Ag, t));
      TC_TRY(FUNCTION(saddle_chain_form)(q0, g, x0, A, c.b, Ag, t));
      r_set_si(dx, 0);
      r_set_si(dxi, 0);
      r_set_si(rho, 0);
      for (size_t i = 0; i < d; i++) {
        r_sub(t, vec_at(x, i), vec_at(x0, i));
        r_abs(t, t);
        r_max(dxi, dxi, t);
        r_fma(dx, t, t, dx);
        r_add(t, vec_at(x, i), vec_at(x0, i));
        r_abs(t, t);
        r_max(rho, rho, t);
      }
      r_sqrt(dx, dx);
      r_mul_double(rho, rho, 3.0 * c.b);
    }
    if (n < N)
      TC_TRY(ode_rk4_step(x, h, FUNCTION(saddle_chain_field), &F, ws));
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "d=%zu lam=%g b=%g r0=%g: RK4 h=%g to T=%g; final ||x||_inf - x0 = %.4g",
                   d, c.lam, c.b, c.r0, c.h, c.T, r_get_double(dxi));
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  for (int i = 0; i < 5; i++)
    r_clear(phi[i]);
  if (rng)
    gsl_rng_free(rng);
  free(lam);
  if (Q)
    mat_free(Q);
  if (A)
    mat_free(A);
  VEC *vecs[] = {x, x0, g, Ag, cube};
  for (size_t i = 0; i < 5; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (ws)
    ode_ws_free(ws);
  tc_tape_free(own);
  return status;
}
