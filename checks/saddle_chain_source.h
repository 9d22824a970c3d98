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

/* The run's workspace: the instance (spectrum lam, rotation Q, A), the
 * flow's state x (x0 its start), scratch, and the scalars of the
 * checkpoints.  phi is a ring: phi[k] = ||grad f(x_{n-2+k})||^2 once
 * n >= 2, so the derivative at step n - 2 is a central difference. */
typedef struct {
  saddle_chain_config c;
  tc_tape *own, *tape;
  gsl_rng *rng;
  double *lam;
  MAT *Q, *A;
  VEC *x, *x0, *g, *Ag, *cube;
  ODE_WS *ws;
  REAL phi[5], h, u, q, q0, t, dx, dxi, rho, d1, d2, e;
} FUNCTION(saddle_chain_ws);

#define SADDLE_CHAIN_REALS(w)                                                                 \
  {(w)->h, (w)->u, (w)->q, (w)->q0, (w)->t, (w)->dx, (w)->dxi, (w)->rho, (w)->d1, (w)->d2,    \
   (w)->e, (w)->phi[0], (w)->phi[1], (w)->phi[2], (w)->phi[3], (w)->phi[4]}

/* The tape (the instance's, or drawn here when run alone), then the rest;
 * the scalars are initialised whatever fails, for saddle_chain_ws_free. */
static int FUNCTION(saddle_chain_ws_init)(FUNCTION(saddle_chain_ws) *w, const tc_instance *inst,
                                          mpfr_prec_t prec, char *err, size_t errlen)
{
  size_t d = w->c.d;
  int status = TC_SUCCESS;
  w->own = NULL;
  w->tape = inst->tape;
  if (w->tape == NULL) {
    w->tape = w->own = tc_tape_alloc(inst->seed);
    if (w->tape == NULL || saddle_chain_draw(w->tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  w->rng = tc_rng_alloc(inst->seed);
  w->lam = malloc(d * sizeof *w->lam);
  w->Q = mat_alloc(d, d, prec);
  w->A = mat_alloc(d, d, prec);
  w->x = vec_alloc(d, prec);
  w->x0 = vec_alloc(d, prec);
  w->g = vec_alloc(d, prec);
  w->Ag = vec_alloc(d, prec);
  w->cube = vec_alloc(d, prec);
  w->ws = ode_ws_alloc(d, prec);
  REAL_PTR reals[] = SADDLE_CHAIN_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_init(reals[i], prec);
  if (status || !w->rng || !w->lam || !w->Q || !w->A || !w->x || !w->x0 || !w->g || !w->Ag ||
      !w->cube || !w->ws)
    status = status ? status : TC_ENOMEM;
  return status;
}

static void FUNCTION(saddle_chain_ws_free)(FUNCTION(saddle_chain_ws) *w)
{
  REAL_PTR reals[] = SADDLE_CHAIN_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_clear(reals[i]);
  if (w->rng)
    gsl_rng_free(w->rng);
  free(w->lam);
  if (w->Q)
    mat_free(w->Q);
  if (w->A)
    mat_free(w->A);
  VEC *vecs[] = {w->x, w->x0, w->g, w->Ag, w->cube};
  for (size_t i = 0; i < 5; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (w->ws)
    ode_ws_free(w->ws);
  tc_tape_free(w->own);
}

/* A = Q diag(-lam, lambda_2..d) Q^T (lambda_k log-uniform in [0.1, 1],
 * the last one 1) and x_0 = r0 times a unit vector from the tape. */
static int FUNCTION(saddle_chain_start)(FUNCTION(saddle_chain_ws) *w, mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t d = w->c.d;
  w->lam[0] = -w->c.lam;
  for (size_t k = 1; k < d; k++)
    w->lam[k] = k == d - 1 ? 1.0 : exp(log(0.1) * gsl_rng_uniform(w->rng));
  TC_TRY(FUNCTION(tc_quad_orthogonal)(w->Q, w->rng, prec));
  FUNCTION(tc_quad_form)(w->A, w->Q, w->lam, prec);
  double nr = 0, gv[SADDLE_CHAIN_MAX_D];
  for (size_t i = 0; i < d; i++) {
    gv[i] = tc_tape_next(w->tape, 1);
    nr += gv[i] * gv[i];
  }
  TC_TRY(tc_tape_status(w->tape));
  for (size_t i = 0; i < d; i++)
    r_set_double(vec_at(w->x, i), w->c.r0 * gv[i] / sqrt(nr));
  TC_TRY(vec_copy(w->x0, w->x));
  r_set_double(w->h, w->c.h);
  FUNCTION(tc_quad_unit_roundoff)(w->u, prec);
done:
  return status;
}

/* The row of checkpoint m, written at step m + 2 when phi_{m+2} is known:
 * dphi = (phi_{m+1} - phi_{m-1}) / 2h against (phi_{m+2} - phi_{m-2}) / 4h,
 * their difference plus the rounding of the differences as its error. */
static int FUNCTION(saddle_chain_row)(tc_record *out, FUNCTION(saddle_chain_ws) *w, long m)
{
  int status;
  r_sub(w->d1, w->phi[3], w->phi[1]);
  r_div(w->d1, w->d1, w->h);
  r_div_double(w->d1, w->d1, 2.0);
  r_sub(w->d2, w->phi[4], w->phi[0]);
  r_div(w->d2, w->d2, w->h);
  r_div_double(w->d2, w->d2, 4.0);
  r_sub(w->e, w->d1, w->d2);
  r_abs(w->e, w->e);
  r_mul(w->t, w->u, w->phi[2]);
  r_div(w->t, w->t, w->h);
  r_mul_double(w->t, w->t, 16.0 * (double)(w->c.d + 4));
  r_add(w->e, w->e, w->t);
  if ((status = tc_record_put_double(out, "t", (double)m * w->c.h)) ||
      (status = record_put(out, "dphi", w->d1)) || (status = record_put(out, "dphi_err", w->e)) ||
      (status = record_put(out, "chain", w->q)) || (status = record_put(out, "chain0", w->q0)) ||
      (status = record_put(out, "dx", w->dx)) || (status = record_put(out, "dxinf", w->dxi)) ||
      (status = record_put(out, "gnorm2", w->phi[2])) || (status = record_put(out, "rho", w->rho)))
    return status;
  return tc_record_end_row(out);
}

/* The chain terms of the current step (a checkpoint): the notes' -2 <g,
 * H(x_t) g> and -2 <g, H(x_0) g>, ||x_t - x_0|| (2 and inf norms) and rho =
 * 3 b max|x_t + x_0|, which bounds ||H(x_t) - H(x_0)|| / ||x_t - x_0||_inf. */
static int FUNCTION(saddle_chain_terms)(FUNCTION(saddle_chain_ws) *w)
{
  int status = TC_SUCCESS;
  TC_TRY(FUNCTION(saddle_chain_form)(w->q, w->g, w->x, w->A, w->c.b, w->Ag, w->t));
  TC_TRY(FUNCTION(saddle_chain_form)(w->q0, w->g, w->x0, w->A, w->c.b, w->Ag, w->t));
  r_set_si(w->dx, 0);
  r_set_si(w->dxi, 0);
  r_set_si(w->rho, 0);
  for (size_t i = 0; i < w->c.d; i++) {
    r_sub(w->t, vec_at(w->x, i), vec_at(w->x0, i));
    r_abs(w->t, w->t);
    r_max(w->dxi, w->dxi, w->t);
    r_fma(w->dx, w->t, w->t, w->dx);
    r_add(w->t, vec_at(w->x, i), vec_at(w->x0, i));
    r_abs(w->t, w->t);
    r_max(w->rho, w->rho, w->t);
  }
  r_sqrt(w->dx, w->dx);
  r_mul_double(w->rho, w->rho, 3.0 * w->c.b);
done:
  return status;
}

static int FUNCTION(saddle_chain_measure)(tc_record *out, const tc_instance *inst, char *err,
                                          size_t errlen)
{
  FUNCTION(saddle_chain_ws) w;
  saddle_chain_config_read(&w.c, inst->point);
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  long N = (long)ceil(w.c.T / w.c.h);
  int status = FUNCTION(saddle_chain_ws_init)(&w, inst, prec, err, errlen);
  if (status)
    goto done;
  TC_TRY(FUNCTION(saddle_chain_start)(&w, prec));
  FUNCTION(saddle_chain_f) F = {w.A, w.c.b, w.cube};
  long next_ck = 1;
  for (long n = 0; n <= N; n++) {
    TC_TRY(FUNCTION(saddle_chain_grad)(w.g, w.x, &F));
    for (int k = 0; k < 4; k++)
      r_set(w.phi[k], w.phi[k + 1]);
    TC_TRY(vec_dot(w.phi[4], w.g, w.g));
    /* A checkpoint m is written two steps later (n = m + 2), when phi_{m+2}
     * is known; its chain terms were computed below when step m was
     * current. */
    long m = n - 2;
    if (m >= 2 && next_ck <= SADDLE_CHAIN_NCK && m == next_ck * (N - 2) / (SADDLE_CHAIN_NCK + 1)) {
      next_ck++;
      if ((status = FUNCTION(saddle_chain_row)(out, &w, m)))
        break;
    }
    /* step n is the next checkpoint: keep its chain terms (validate keeps
     * checkpoints at least 4 steps apart, so they are not overwritten). */
    if (n >= 2 && next_ck <= SADDLE_CHAIN_NCK && n == next_ck * (N - 2) / (SADDLE_CHAIN_NCK + 1))
      TC_TRY(FUNCTION(saddle_chain_terms)(&w));
    if (n < N)
      TC_TRY(ode_rk4_step(w.x, w.h, FUNCTION(saddle_chain_field), &F, w.ws));
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "d=%zu lam=%g b=%g r0=%g: RK4 h=%g to T=%g; final ||x||_inf - x0 = %.4g",
                   w.c.d, w.c.lam, w.c.b, w.c.r0, w.c.h, w.c.T, r_get_double(w.dxi));
done:
  FUNCTION(saddle_chain_ws_free)(&w);
  return status;
}

#undef SADDLE_CHAIN_REALS
