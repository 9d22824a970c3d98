/* saddle_source.h — the saddle-flow and saddle-gd measurements, written
 * once in the generic names of tc_templates_on.h and instantiated per
 * backend by saddle.c (which documents the parameters and rows). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

/* A = Q diag(lam) Q^T applied as out = scale Q (lam .* (Q^T x)); Q == NULL
 * means Q = I (the notes family, O(d) per product and exact). */
typedef struct {
  const MAT *Q;
  const double *lam;
  VEC *tmp;
  double scale;
} FUNCTION(saddle_op);

static int FUNCTION(saddle_apply)(VEC *out, const VEC *x, const FUNCTION(saddle_op) *op)
{
  int status = TC_SUCCESS;
  size_t d = x->n;
  if (op->Q == NULL) {
    for (size_t k = 0; k < d; k++)
      r_mul_double(vec_at(out, k), vec_at(x, k), op->scale * op->lam[k]);
    return TC_SUCCESS;
  }
  TC_TRY(mat_gemv_trans(op->tmp, op->Q, x));
  for (size_t k = 0; k < d; k++)
    r_mul_double(vec_at(op->tmp, k), vec_at(op->tmp, k), op->scale * op->lam[k]);
  TC_TRY(mat_gemv(out, op->Q, op->tmp));
done:
  return status;
}

/* The gradient-flow field F(x) = -2 A x (op->scale = -2). */
static int FUNCTION(saddle_field)(VEC *dxdt, const VEC *x, void *params)
{
  return FUNCTION(saddle_apply)(dxdt, x, params);
}

/* y <- Q^T x (the eigen-coordinates); y_1 alone when `first_only`. */
static int FUNCTION(saddle_coords)(VEC *y, const MAT *Q, const VEC *x, int first_only)
{
  int status = TC_SUCCESS;
  size_t d = x->n;
  if (Q == NULL)
    return vec_copy(y, x);
  if (!first_only)
    return mat_gemv_trans(y, Q, x);
  r_set_si(vec_at(y, 0), 0);
  for (size_t i = 0; i < d; i++)
    r_fma(vec_at(y, 0), mat_at(Q, i, 0), vec_at(x, i), vec_at(y, 0));
  return status;
}

/* The instance in the backend: spectrum and y0 (double), Q (rotated,
 * drawn from the same generator after the spectrum), x0 = Q y0. */
typedef struct {
  saddle_config c;
  double *lam, *y0;
  MAT *Q;
  VEC *x, *y, *tmp;
  gsl_rng *rng;
} FUNCTION(saddle_setup);

static void FUNCTION(saddle_setup_free)(FUNCTION(saddle_setup) *s)
{
  free(s->lam);
  free(s->y0);
  if (s->Q)
    mat_free(s->Q);
  if (s->x)
    vec_free(s->x);
  if (s->y)
    vec_free(s->y);
  if (s->tmp)
    vec_free(s->tmp);
  if (s->rng)
    gsl_rng_free(s->rng);
}

static int FUNCTION(saddle_setup_init)(FUNCTION(saddle_setup) *s, const tc_instance *inst, int gd,
                                      mpfr_prec_t prec, char *err, size_t errlen)
{
  memset(s, 0, sizeof *s);
  int status = saddle_config_read(&s->c, inst->point, err, errlen);
  if (status)
    return status;
  size_t d = s->c.d;
  s->lam = malloc(d * sizeof *s->lam);
  s->y0 = malloc(d * sizeof *s->y0);
  s->x = vec_alloc(d, prec);
  s->y = vec_alloc(d, prec);
  s->tmp = vec_alloc(d, prec);
  s->rng = tc_rng_alloc(inst->seed);
  if (s->c.family == SADDLE_ROTATED)
    s->Q = mat_alloc(d, d, prec);
  if (!s->lam || !s->y0 || !s->x || !s->y || !s->tmp || !s->rng ||
      (s->c.family == SADDLE_ROTATED && !s->Q))
    return TC_ENOMEM;
  saddle_draw(s->lam, s->y0, &s->c, gd, s->rng);
  for (size_t k = 0; k < d; k++)
    r_set_double(vec_at(s->y, k), s->y0[k]);
  if (s->Q == NULL)
    return vec_copy(s->x, s->y);
  if ((status = FUNCTION(tc_quad_orthogonal)(s->Q, s->rng, prec)))
    return status;
  return mat_gemv(s->x, s->Q, s->y);
}

/* p <- T4(z) = 1 + z + z^2/2 + z^3/6 + z^4/24, the factor by which one
 * RK4 step multiplies a solution of y' = mu y (z = h mu): for a linear
 * field the step is exactly this Taylor polynomial of exp(hA). */
static void FUNCTION(saddle_t4)(REAL_PTR p, REAL_SRCPTR z)
{
  r_div_double(p, z, 4.0);
  r_add_double(p, p, 1.0);
  r_mul(p, p, z);
  r_div_double(p, p, 3.0);
  r_add_double(p, p, 1.0);
  r_mul(p, p, z);
  r_div_double(p, p, 2.0);
  r_add_double(p, p, 1.0);
  r_mul(p, p, z);
  r_add_double(p, p, 1.0);
}

/* g <- max_k |T4(-2 h lam_k)|, the norm of one RK4 step (A symmetric):
 * the factor by which an earlier rounding error can grow per step. */
static void FUNCTION(saddle_rk4_norm)(REAL_PTR g, const double *lam, size_t d, REAL_SRCPTR h,
                                      mpfr_prec_t prec)
{
  REAL z, p;
  r_init(z, prec);
  r_init(p, prec);
  r_set_si(g, 0);
  for (size_t k = 0; k < d; k++) {
    if (k > 0 && lam[k] == lam[k - 1])
      continue;
    r_mul_double(z, h, -2.0 * lam[k]);
    FUNCTION(saddle_t4)(p, z);
    r_abs(p, p);
    r_max(g, g, p);
  }
  r_clear(z);
  r_clear(p);
}

/* out <- the truncation error of n RK4 steps in eigen-coordinate k, exact
 * for the decoupled linear system: |T4(z)^n - e^{n z}| |y_k0| with
 * z = -2 h lam_k, plus 8 n u max(|T4(z)|^n, e^{n z}) |y_k0| for the
 * rounding of this very difference (it cancels when both are close);
 * rnd (if not NULL) <- twice that rounding term (see below). */
static void FUNCTION(saddle_trunc)(REAL_PTR out, REAL_PTR rnd, double lamk, REAL_SRCPTR h, long n,
                                   REAL_SRCPTR yk0, REAL_SRCPTR u, mpfr_prec_t prec)
{
  REAL z, p, e;
  r_init(z, prec);
  r_init(p, prec);
  r_init(e, prec);
  r_mul_double(z, h, -2.0 * lamk);
  FUNCTION(saddle_t4)(p, z);
  r_pow_si(p, p, n);
  r_mul_double(z, z, (double)n);
  r_exp(e, z);
  r_sub(out, p, e);
  r_abs(out, out);
  r_abs(p, p);
  r_max(p, p, e);
  r_mul(p, p, u);
  r_mul_double(p, p, 8.0 * (double)(n + 1));
  r_add(out, out, p);
  r_abs(e, yk0);
  r_mul(out, out, e);
  if (rnd) { /* the rounding part alone, for callers that keep it apart:
               * twice the term, as the computed |T4^n - e^{nz}| itself may
               * be off by that much (in double it is mostly rounding) */
    r_mul(rnd, p, e);
    r_mul_double(rnd, rnd, 2.0);
  }
  r_clear(z);
  r_clear(p);
  r_clear(e);
}

/* terr <- (e0/|ya| + e1/|yb|) / lam: bounds e0, e1 of |y_1| at the two
 * steps around the escape move log|y_1| by about their relative size, and
 * the time by that over the slope 2 lam; a factor 2 for the second-order
 * terms and the interpolation weights (<= 1 each).  Linear in (e0, e1), so
 * the rounding part of the bound is this of the rounding parts. */
static void FUNCTION(saddle_time_err)(REAL_PTR terr, REAL_SRCPTR ya, REAL_SRCPTR yb,
                                      REAL_SRCPTR e0, REAL_SRCPTR e1, double lam, mpfr_prec_t prec)
{
  REAL a;
  r_init(a, prec);
  r_abs(a, ya);
  r_div(terr, e0, a);
  r_abs(a, yb);
  r_div(a, e1, a);
  r_add(terr, terr, a);
  r_div_double(terr, terr, lam);
  r_clear(a);
}

/* Interpolated escape time between steps n and n+1 (log|y_1| is linear in
 * t for the exact flow) and its error bound from the bounds e0, e1 of
 * |y_1| at the two steps. */
static void FUNCTION(saddle_flow_escape)(REAL_PTR tesc, REAL_PTR terr, double tn, REAL_SRCPTR h,
                                         REAL_SRCPTR ya, REAL_SRCPTR yb, REAL_SRCPTR e0,
                                         REAL_SRCPTR e1, double c, double lam, mpfr_prec_t prec)
{
  REAL la, lb, lc;
  r_init(la, prec);
  r_init(lb, prec);
  r_init(lc, prec);
  r_abs(la, ya);
  r_log(la, la);
  r_abs(lb, yb);
  r_log(lb, lb);
  r_set_double(lc, c);
  r_log(lc, lc);
  r_sub(lc, lc, la);
  r_sub(lb, lb, la);
  r_div(lc, lc, lb);
  r_mul(lc, lc, h);
  r_add_double(tesc, lc, tn);
  FUNCTION(saddle_time_err)(terr, ya, yb, e0, e1, lam, prec);
  r_clear(la);
  r_clear(lb);
  r_clear(lc);
}

/* texact <- the exact escape time of the specified instance: the root of
 * |y_1(t)| = x10 e^{2 lam t} = c on the closed-form trajectory of the
 * escaping eigen-coordinate (lecture 000 §2.4, Claim), found by bisection
 * with the exact exponential to the backend's full precision, never from
 * the formula ln(c/x10)/(2 lam) that the catalog states.  The lower end
 * of the final bracket is returned (|y_1| < c there), so the value never
 * exceeds the root by more than the rounding of one exponential. */
static void FUNCTION(saddle_escape_root)(REAL_PTR texact, REAL_SRCPTR x10, double lam, double c,
                                         mpfr_prec_t prec)
{
  REAL lo, hi, mid, y;
  r_init(lo, prec);
  r_init(hi, prec);
  r_init(mid, prec);
  r_init(y, prec);
  r_set_si(lo, 0);
  r_set_si(hi, 1);
  for (int i = 0; i < 2100; i++) { /* hi doubles until |y_1(hi)| >= c */
    r_mul_double(y, hi, 2.0 * lam);
    r_exp(y, y);
    r_mul(y, y, x10);
    if (r_get_double(y) >= c)
      break;
    r_set(lo, hi);
    r_mul_double(hi, hi, 2.0);
  }
  int steps = (int)(prec > 53 ? prec : 53) + 8;
  for (int i = 0; i < steps; i++) {
    r_add(mid, lo, hi);
    r_div_double(mid, mid, 2.0);
    if (r_cmp(mid, lo) == 0 || r_cmp(mid, hi) == 0)
      break; /* adjacent numbers: the bracket is one ulp */
    r_mul_double(y, mid, 2.0 * lam);
    r_exp(y, y);
    r_mul(y, y, x10);
    r_add_double(y, y, -c);
    if (r_sgn(y) >= 0)
      r_set(hi, mid);
    else
      r_set(lo, mid);
  }
  r_set(texact, lo);
  r_clear(lo);
  r_clear(hi);
  r_clear(mid);
  r_clear(y);
}

/* e <- the rounding part of the error of y_1 after n RK4 steps.  Rotated A
 * mixes the coordinates, so the absolute bound E (any coordinate, grown by
 * the step norm) and the product Q^T x count.  Diagonal A (notes family)
 * never mixes them: each step multiplies y_1 by T4(z) through about 20
 * roundings, so the error stays relative, (1 + 32u)^n - 1 <= 33 n u for
 * n u < 1e-3, and the other coordinates' rounding never reaches y_1. */
static void FUNCTION(saddle_y1_rounding)(REAL_PTR e, REAL_SRCPTR y1, long n, REAL_SRCPTR xn,
                                         REAL_SRCPTR E, REAL_SRCPTR u, size_t d, int diagonal)
{
  if (diagonal) {
    r_abs(e, y1);
    r_mul(e, e, u);
    r_mul_double(e, e, 33.0 * (double)(n + 1));
    return;
  }
  r_mul_double(e, u, 2.0 * (double)(d + 2));
  r_mul(e, e, xn);
  r_add(e, e, E);
}

/* saddle-flow's workspace: the solver, the checkpoints (values cy and
 * error bounds ce, nk coordinates ks[] each, at times ct[]), y_0 in the
 * eigenbasis, the step plan and the scalars of the error bounds, shared by
 * the phases of the run below. */
typedef struct {
  ODE_WS *ws;
  VEC *cy, *ce, *y0c;
  double ct[SADDLE_NCK], hd;
  size_t ks[3], nk, jck;
  long N, Ncap;
  int escaped;
  REAL h, g, gam, u, E, xn, x0n, y1a, e0, e1, r0, r1, rt, tesc, terr, trnd, texact, tmp, x10r;
} FUNCTION(saddle_flow_ws);

#define SADDLE_FLOW_REALS(w)                                                                   \
  {(w)->h, (w)->g, (w)->gam, (w)->u, (w)->E, (w)->xn, (w)->x0n, (w)->y1a, (w)->e0, (w)->e1,    \
   (w)->r0, (w)->r1, (w)->rt, (w)->tesc, (w)->terr, (w)->trnd, (w)->texact, (w)->tmp, (w)->x10r}

/* Scalars only: saddle_flow_ws_free may then run whatever happens next. */
static void FUNCTION(saddle_flow_ws_init)(FUNCTION(saddle_flow_ws) *w, mpfr_prec_t prec)
{
  REAL_PTR reals[] = SADDLE_FLOW_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_init(reals[i], prec);
  w->ws = NULL;
  w->cy = w->ce = w->y0c = NULL;
  w->jck = 0;
  w->escaped = 0;
}

static int FUNCTION(saddle_flow_ws_alloc)(FUNCTION(saddle_flow_ws) *w, size_t d, mpfr_prec_t prec)
{
  /* the escaping coordinate, the next one and the stiffest (lam = 1) */
  w->ks[0] = 0;
  w->ks[1] = 1;
  w->ks[2] = d - 1;
  w->nk = d > 2 ? 3 : 2;
  w->ws = ode_ws_alloc(d, prec);
  w->cy = vec_alloc(SADDLE_NCK * 3, prec);
  w->ce = vec_alloc(SADDLE_NCK * 3, prec);
  w->y0c = vec_alloc(d, prec);
  return !w->ws || !w->cy || !w->ce || !w->y0c ? TC_ENOMEM : TC_SUCCESS;
}

static void FUNCTION(saddle_flow_ws_free)(FUNCTION(saddle_flow_ws) *w)
{
  REAL_PTR reals[] = SADDLE_FLOW_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_clear(reals[i]);
  if (w->ws)
    ode_ws_free(w->ws);
  if (w->cy)
    vec_free(w->cy);
  if (w->ce)
    vec_free(w->ce);
  if (w->y0c)
    vec_free(w->y0c);
}

/* The step plan and the constants of the bounds: h, N (1.25 times the
 * closed form's steps, the run goes on to Ncap until the escape), the
 * exact escape time of the stated x10, the RK4 step norm g and the
 * per-step rounding gam.  TC_EDOM when the run would be too long. */
static int FUNCTION(saddle_flow_plan)(FUNCTION(saddle_flow_ws) *w, const FUNCTION(saddle_setup) *s,
                                      const tc_instance *inst, mpfr_prec_t prec, char *err,
                                      size_t errlen)
{
  double amax = fmax(s->c.lam, 1.0), lam = s->c.lam;
  /* h: hscale / amax rounded down to a power of 2, so the checkpoint
   * times (n + 1) h are exact doubles (the closed form is evaluated at
   * the very time the solver reached, in both backends). */
  r_set_double(w->h, ldexp(1.0, (int)floor(log2(s->c.hscale / amax))));
  w->hd = r_get_double(w->h);
  double texd = log(s->c.c / s->c.x10) / (2 * lam);
  w->N = (long)ceil(1.25 * texd / w->hd) + 1;
  if (w->N < 2 * SADDLE_NCK)
    w->N = 2 * SADDLE_NCK; /* every checkpoint its own step */
  w->Ncap = (long)ceil(4 * texd / w->hd) + 2 * w->N;
  if (w->Ncap > SADDLE_MAX_STEPS) {
    snprintf(err, errlen, "the run needs %ld RK4 steps (> %ld): raise hscale or lam", w->Ncap,
             SADDLE_MAX_STEPS);
    return TC_EDOM;
  }
  /* x10 = d^-p at the backend's precision when it is not given, so the
   * exact time is that of the stated perturbation, not of its double. */
  if (tc_point_get_or(inst->point, "x10", 0) == 0) {
    r_set_double(w->tmp, -s->c.p);
    r_set_double(w->x10r, (double)s->c.d);
    r_pow(w->x10r, w->x10r, w->tmp);
  } else {
    r_set_double(w->x10r, s->c.x10);
  }
  FUNCTION(saddle_escape_root)(w->texact, w->x10r, lam, s->c.c, prec);
  FUNCTION(saddle_rk4_norm)(w->g, s->lam, s->c.d, w->h, prec);
  FUNCTION(tc_quad_unit_roundoff)(w->u, prec);
  /* per step rounding: the stages' products (2 gemv, d + 2 terms each)
   * and the axpys, relative to ||x||, with margin. */
  r_mul_double(w->gam, w->u, 24.0 * (double)(s->c.d + 4));
  return TC_SUCCESS;
}

/* e <- the error bound of y_1 = v_1^T x after n steps (r <- its rounding
 * part): the trajectory's rounding plus the product Q^T x, then the
 * truncation of coordinate 1; x's norm is w->xn. */
static void FUNCTION(saddle_flow_y1_err)(REAL_PTR e, REAL_PTR r, FUNCTION(saddle_flow_ws) *w,
                                         const FUNCTION(saddle_setup) *s, long n, mpfr_prec_t prec)
{
  FUNCTION(saddle_y1_rounding)(e, vec_at(s->y, 0), n, w->xn, w->E, w->u, s->c.d, s->Q == NULL);
  r_set(r, e);
  FUNCTION(saddle_trunc)(w->tmp, w->rt, s->lam[0], w->h, n, vec_at(w->y0c, 0), w->u, prec);
  r_add(e, e, w->tmp);
  r_add(r, r, w->rt);
}

/* Checkpoint w->jck after step n: the coordinates ks[] of x and their
 * error bounds. */
static int FUNCTION(saddle_flow_checkpoint)(FUNCTION(saddle_flow_ws) *w,
                                            const FUNCTION(saddle_setup) *s, long n,
                                            mpfr_prec_t prec)
{
  int status = FUNCTION(saddle_coords)(s->y, s->Q, s->x, 0);
  if (status)
    return status;
  size_t j = w->jck, nk = w->nk;
  w->ct[j] = (double)(n + 1) * w->hd;
  for (size_t i = 0; i < nk; i++) {
    REAL_PTR ce = vec_at(w->ce, j * nk + i);
    r_set(vec_at(w->cy, j * nk + i), vec_at(s->y, w->ks[i]));
    /* E bounds the rounding of the trajectory; the product Q^T x and
     * the rounding of y_k0 (carried by exp(-2 lam_k t) <= exp(2 lam t))
     * add to it (a factor 2 covers the terms of second order); then the
     * truncation of coordinate k itself. */
    r_set_double(w->tmp, 2 * s->c.lam * w->ct[j]);
    r_exp(w->tmp, w->tmp);
    r_mul(w->tmp, w->tmp, w->x0n);
    r_add(w->tmp, w->tmp, w->xn);
    r_mul(w->tmp, w->tmp, w->u);
    r_mul_double(w->tmp, w->tmp, 2.0 * (double)(s->c.d + 2));
    r_add(w->tmp, w->tmp, w->E);
    r_mul_double(ce, w->tmp, 2.0);
    FUNCTION(saddle_trunc)(w->tmp, NULL, s->lam[w->ks[i]], w->h, n + 1, vec_at(w->y0c, w->ks[i]),
                           w->u, prec);
    r_mul_double(w->tmp, w->tmp, 1.5); /* slack for the rounding of Q */
    r_add(ce, ce, w->tmp);
  }
  w->jck++;
  return TC_SUCCESS;
}

/* The RK4 run: N steps at least, on to Ncap until |y_1| reaches c; the
 * escape time is interpolated between the two steps around it, with the
 * bounds e0, e1 (rounding parts r0, r1) of |y_1| at both. */
static int FUNCTION(saddle_flow_run)(FUNCTION(saddle_flow_ws) *w, const FUNCTION(saddle_setup) *s,
                                     mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  FUNCTION(saddle_op) op = {s->Q, s->lam, s->tmp, -2.0};
  TC_TRY(FUNCTION(saddle_coords)(w->y0c, s->Q, s->x, 0));
  TC_TRY(vec_norm2(w->x0n, s->x));
  r_set_si(w->E, 0);
  TC_TRY(FUNCTION(saddle_coords)(s->y, s->Q, s->x, 1));
  r_set(w->y1a, vec_at(s->y, 0));
  for (long n = 0; n < w->Ncap && (n < w->N || !w->escaped); n++) {
    TC_TRY(vec_norm2(w->xn, s->x));
    FUNCTION(saddle_flow_y1_err)(w->e0, w->r0, w, s, n, prec);
    TC_TRY(ode_rk4_step(s->x, w->h, FUNCTION(saddle_field), &op, w->ws));
    r_mul(w->tmp, w->gam, w->xn);
    r_fma(w->E, w->g, w->E, w->tmp); /* E: the rounding part of the error, any coordinate */
    TC_TRY(vec_norm2(w->xn, s->x));
    TC_TRY(FUNCTION(saddle_coords)(s->y, s->Q, s->x, 1));
    FUNCTION(saddle_flow_y1_err)(w->e1, w->r1, w, s, n + 1, prec);
    if (!w->escaped) {
      r_abs(w->tmp, vec_at(s->y, 0));
      if (r_get_double(w->tmp) >= s->c.c) {
        w->escaped = 1;
        FUNCTION(saddle_flow_escape)(w->tesc, w->terr, (double)n * w->hd, w->h, w->y1a,
                                     vec_at(s->y, 0), w->e0, w->e1, s->c.c, s->c.lam, prec);
        FUNCTION(saddle_time_err)(w->trnd, w->y1a, vec_at(s->y, 0), w->r0, w->r1, s->c.lam, prec);
      }
      r_set(w->y1a, vec_at(s->y, 0));
    }
    if (w->jck < SADDLE_NCK &&
        n + 1 == (long)((double)(w->jck + 1) * (double)w->N / SADDLE_NCK))
      TC_TRY(FUNCTION(saddle_flow_checkpoint)(w, s, n, prec));
  }
done:
  return status;
}

/* The saddle-flow rows for the checkpoints, after the run (t_esc is known
 * only at its end). */
static int FUNCTION(saddle_flow_rows)(tc_record *out, const FUNCTION(saddle_setup) *s,
                                      const FUNCTION(saddle_flow_ws) *w)
{
  int status = TC_SUCCESS;
  size_t nk = w->nk;
  for (size_t j = 0; j < w->jck && status == TC_SUCCESS; j++)
    for (size_t i = 0; i < nk && status == TC_SUCCESS; i++) {
      size_t k = w->ks[i];
      if ((status = tc_record_put_double(out, "t", w->ct[j])) ||
          (status = tc_record_put_double(out, "k", (double)(k + 1))) ||
          (status = record_put(out, "yk", vec_at(w->cy, j * nk + i))) ||
          (status = record_put(out, "yk0", vec_at(w->y0c, k))) ||
          (status = tc_record_put_double(out, "Akk", s->lam[k])) ||
          (status = record_put(out, "ode_err", vec_at(w->ce, j * nk + i))) ||
          (status = record_put(out, "t_esc", w->tesc)) ||
          (status = record_put(out, "t_err", w->terr)) ||
          (status = record_put(out, "t_rnd", w->trnd)) ||
          (status = record_put(out, "t_exact", w->texact)) ||
          (status = tc_record_put_double(out, "lam", s->c.lam)) ||
          (status = record_put(out, "x10", w->x10r)) ||
          (status = tc_record_put_double(out, "c", s->c.c)) ||
          (status = tc_record_put_double(out, "d", (double)s->c.d)) ||
          (status = tc_record_put_double(out, "p", s->c.p)))
        break;
      status = tc_record_end_row(out);
    }
  return status;
}

static int FUNCTION(saddle_flow_measure)(tc_record *out, const tc_instance *inst, char *err,
                                         size_t errlen)
{
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(saddle_setup) s;
  FUNCTION(saddle_flow_ws) w;
  int status = FUNCTION(saddle_setup_init)(&s, inst, 0, prec, err, errlen);
  FUNCTION(saddle_flow_ws_init)(&w, prec);
  if (status)
    goto done;
  TC_TRY(FUNCTION(saddle_flow_ws_alloc)(&w, s.c.d, prec));
  TC_TRY(FUNCTION(saddle_flow_plan)(&w, &s, inst, prec, err, errlen));
  TC_TRY(FUNCTION(saddle_flow_run)(&w, &s, prec));
  if (!w.escaped) {
    /* Not escaped within 4 times the closed form's time: the closed form
     * is wrong for this run; an infinite time is never a PASS. */
    r_set_double(w.tesc, INFINITY);
    r_set_si(w.terr, 0);
    r_set_si(w.trnd, 0);
  }
  status = FUNCTION(saddle_flow_rows)(out, &s, &w);
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu lam=%g x10=%.6g c=%g: RK4 h=%.4g, %ld steps; t_esc=%.10g "
                   "(closed form %.10g, error bound %.3g); final ODE error bound %.3g",
                   saddle_families[s.c.family], s.c.d, s.c.lam, s.c.x10, s.c.c, w.hd, w.N,
                   r_get_double(w.tesc), r_get_double(w.texact), r_get_double(w.terr),
                   r_get_double(w.E));
done:
  FUNCTION(saddle_flow_ws_free)(&w);
  FUNCTION(saddle_setup_free)(&s);
  return status;
}

#undef SADDLE_FLOW_REALS

/* lmin, lmax of H = Q diag(lam) Q^T, measured from the assembled matrix
 * (the notes family is exactly diagonal: its entries). */
static int FUNCTION(saddle_gd_spectrum)(REAL_PTR lmin, REAL_PTR lmax, const FUNCTION(saddle_setup) *s,
                                        mpfr_prec_t prec)
{
  size_t d = s->c.d;
  if (s->Q == NULL) {
    r_set_double(lmin, s->lam[0]);
    r_set_double(lmax, s->lam[0]);
    for (size_t k = 1; k < d; k++) {
      r_set_double(lmax, fmax(r_get_double(lmax), s->lam[k]));
    }
    return TC_SUCCESS;
  }
  int status = TC_SUCCESS;
  MAT *H = mat_alloc(d, d, prec);
  VEC *ev = vec_alloc(d, prec);
  EIGEN_WS *w = eigen_ws_alloc(d, prec);
  if (!H || !ev || !w) {
    status = TC_ENOMEM;
    goto done;
  }
  FUNCTION(tc_quad_form)(H, s->Q, s->lam, prec);
  TC_TRY(eigen_symm(ev, H, w));
  r_set(lmin, vec_at(ev, 0));
  r_set(lmax, vec_at(ev, 0));
  for (size_t k = 1; k < d; k++) {
    r_min(lmin, lmin, vec_at(ev, k));
    r_max(lmax, lmax, vec_at(ev, k));
  }
done:
  if (H)
    mat_free(H);
  if (ev)
    vec_free(ev);
  if (w)
    eigen_ws_free(w);
  return status;
}

static int FUNCTION(saddle_gd_rows)(tc_record *out, VEC *const *ser, long K, REAL_SRCPTR const *sc,
                                    const char *const *scn, size_t nsc)
{
  static const char *const names[GD_NSERIES] = {"y1", "perp", "xnorm", "pow_t", "pow_tm1", "y_err"};
  int status = TC_SUCCESS;
  for (long t = 1; t <= K && status == TC_SUCCESS; t++) {
    if ((status = tc_record_put_double(out, "t", (double)t)))
      break;
    for (int i = 0; i < GD_NSERIES && status == TC_SUCCESS; i++)
      status = record_put(out, names[i], vec_at(ser[i], (size_t)t - 1));
    for (size_t i = 0; i < nsc && status == TC_SUCCESS; i++)
      status = record_put(out, scn[i], sc[i]);
    if (status == TC_SUCCESS)
      status = tc_record_end_row(out);
  }
  return status;
}

/* saddle-gd's workspace: the per-iterate series, the scratch vectors and
 * the scalars that the rows and the note report, so that the phases of the
 * run below share them without long parameter lists. */
typedef struct {
  VEC *ser[GD_NSERIES], *gx, *P, *y0c; /* P_k = (1 - eta lam_k)^t */
  REAL lmin, lmax, eta, growth, G, gam, u, E, xn, x0n, tmp, a, b, y10, perp0, tesc, tpred, rate,
      xh;
  int escaped;
} FUNCTION(saddle_gd_ws);

#define SADDLE_GD_REALS(w)                                                                     \
  {(w)->lmin, (w)->lmax, (w)->eta, (w)->growth, (w)->G, (w)->gam, (w)->u, (w)->E, (w)->xn,     \
   (w)->x0n, (w)->tmp, (w)->a, (w)->b, (w)->y10, (w)->perp0, (w)->tesc, (w)->tpred, (w)->rate, \
   (w)->xh}

/* Scalars only: saddle_gd_ws_free may then run whatever happens next. */
static void FUNCTION(saddle_gd_ws_init)(FUNCTION(saddle_gd_ws) *w, mpfr_prec_t prec)
{
  REAL_PTR reals[] = SADDLE_GD_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_init(reals[i], prec);
  for (int i = 0; i < GD_NSERIES; i++)
    w->ser[i] = NULL;
  w->gx = w->P = w->y0c = NULL;
  w->escaped = 0;
}

static int FUNCTION(saddle_gd_ws_alloc)(FUNCTION(saddle_gd_ws) *w, size_t d, long K,
                                        mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  for (int i = 0; i < GD_NSERIES; i++)
    if (!(w->ser[i] = vec_alloc((size_t)K, prec)))
      status = TC_ENOMEM;
  w->gx = vec_alloc(d, prec);
  w->P = vec_alloc(d, prec);
  w->y0c = vec_alloc(d, prec);
  return status || !w->gx || !w->P || !w->y0c ? TC_ENOMEM : TC_SUCCESS;
}

static void FUNCTION(saddle_gd_ws_free)(FUNCTION(saddle_gd_ws) *w)
{
  REAL_PTR reals[] = SADDLE_GD_REALS(w);
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_clear(reals[i]);
  for (int i = 0; i < GD_NSERIES; i++)
    if (w->ser[i])
      vec_free(w->ser[i]);
  if (w->gx)
    vec_free(w->gx);
  if (w->P)
    vec_free(w->P);
  if (w->y0c)
    vec_free(w->y0c);
}

/* The constants of the run, all measured on the instance: eta = 2 eta2 /
 * lmax from the measured spectrum, the escaping growth |1 - eta lmin|, the
 * step norm G on the eigenbasis, the per-step rounding gam, and x_0's
 * escaping and orthogonal parts. */
static int FUNCTION(saddle_gd_constants)(FUNCTION(saddle_gd_ws) *w, const FUNCTION(saddle_setup) *s,
                                         mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t d = s->c.d;
  TC_TRY(FUNCTION(saddle_gd_spectrum)(w->lmin, w->lmax, s, prec));
  r_set_double(w->eta, 2.0 * s->c.eta2);
  r_div(w->eta, w->eta, w->lmax);
  r_mul(w->growth, w->eta, w->lmin);
  r_neg(w->growth, w->growth);
  r_add_double(w->growth, w->growth, 1.0);
  r_abs(w->growth, w->growth);
  /* G = max_k |1 - eta lam_k|, the norm of one step on the eigenbasis. */
  r_set_si(w->G, 0);
  for (size_t k = 0; k < d; k++) {
    r_mul_double(w->tmp, w->eta, -s->lam[k]);
    r_add_double(w->tmp, w->tmp, 1.0);
    r_abs(w->tmp, w->tmp);
    r_max(w->G, w->G, w->tmp);
    r_set_si(vec_at(w->P, k), 1);
  }
  FUNCTION(tc_quad_unit_roundoff)(w->u, prec);
  r_mul_double(w->gam, w->u, 8.0 * (double)(d + 4));
  r_mul(w->tmp, w->eta, w->lmax);
  r_add_double(w->tmp, w->tmp, 1.0);
  r_mul(w->gam, w->gam, w->tmp);
  TC_TRY(FUNCTION(saddle_coords)(w->y0c, s->Q, s->x, 0));
  TC_TRY(vec_norm2(w->x0n, s->x));
  r_abs(w->y10, vec_at(w->y0c, 0));
  r_set_si(w->perp0, 0);
  for (size_t k = 1; k < d; k++)
    r_fma(w->perp0, vec_at(w->y0c, k), vec_at(w->y0c, k), w->perp0);
  r_sqrt(w->perp0, w->perp0);
done:
  return status;
}

/* Iterate t's perp, pow_t and pow_tm1 from its eigen-coordinates s->y:
 * the power law y_k = (1 - eta lam_k)^t y_k0 (lecture 000 §2.4) checked
 * with both exponents, as the notes' index is in question.  Advances P. */
static void FUNCTION(saddle_gd_powers)(FUNCTION(saddle_gd_ws) *w, const FUNCTION(saddle_setup) *s,
                                       long t)
{
  REAL_PTR perp = vec_at(w->ser[GD_PERP], t - 1), powt = vec_at(w->ser[GD_POWT], t - 1),
           powtm1 = vec_at(w->ser[GD_POWTM1], t - 1);
  r_set_si(perp, 0);
  r_set_si(powt, 0);
  r_set_si(powtm1, 0);
  for (size_t k = 0; k < s->c.d; k++) {
    if (k > 0)
      r_fma(perp, vec_at(s->y, k), vec_at(s->y, k), perp);
    /* (1 - eta lam_k)^(t-1) y_k0 and ^t y_k0 against y_k */
    r_mul(w->b, vec_at(w->P, k), vec_at(w->y0c, k));
    r_sub(w->b, vec_at(s->y, k), w->b);
    r_abs(w->b, w->b);
    r_max(powtm1, powtm1, w->b);
    r_mul_double(w->tmp, w->eta, -s->lam[k]);
    r_add_double(w->tmp, w->tmp, 1.0);
    r_mul(vec_at(w->P, k), vec_at(w->P, k), w->tmp);
    r_mul(w->b, vec_at(w->P, k), vec_at(w->y0c, k));
    r_sub(w->b, vec_at(s->y, k), w->b);
    r_abs(w->b, w->b);
    r_max(powt, powt, w->b);
  }
  r_sqrt(perp, perp);
}

/* y_err at iterate t: 2 (E + products' rounding + y_k0's rounding carried
 * by G^t + the measured lmin's error carried through growth^t). */
static void FUNCTION(saddle_gd_yerr)(FUNCTION(saddle_gd_ws) *w, size_t d, long t)
{
  r_pow_si(w->b, w->G, t);
  r_mul(w->b, w->b, w->x0n);
  r_add(w->b, w->b, w->xn);
  r_mul(w->b, w->b, w->u);
  r_mul_double(w->b, w->b, 2.0 * (double)(d + 2));
  r_add(w->b, w->b, w->E);
  r_pow_si(w->tmp, w->G, t - 1);
  r_mul(w->tmp, w->tmp, w->eta);
  r_mul(w->tmp, w->tmp, w->lmax);
  r_mul(w->tmp, w->tmp, w->u);
  r_mul(w->tmp, w->tmp, w->y10);
  r_mul_double(w->tmp, w->tmp, 8.0 * (double)d * (double)t);
  r_add(w->b, w->b, w->tmp);
  r_mul_double(vec_at(w->ser[GD_YERR], t - 1), w->b, 2.0);
}

/* The K iterates x <- x - eta A x, each measured: E carries the rounding
 * of the trajectory (grown by G per step, gam ||x|| added), xh = ||x_K/2||
 * for the rate, t_esc the first t with |v_1^T x_t| >= c. */
static int FUNCTION(saddle_gd_iterate)(FUNCTION(saddle_gd_ws) *w, FUNCTION(saddle_setup) *s)
{
  int status = TC_SUCCESS;
  long K = s->c.iterations;
  FUNCTION(saddle_op) op = {s->Q, s->lam, s->tmp, 1.0};
  r_set_si(w->E, 0);
  r_set_double(w->tesc, (double)(K + 1));
  r_neg(w->a, w->eta);
  for (long t = 1; t <= K; t++) {
    TC_TRY(vec_norm2(w->xn, s->x));
    TC_TRY(FUNCTION(saddle_apply)(w->gx, s->x, &op));
    TC_TRY(vec_axpy(s->x, w->a, w->gx));
    r_mul(w->tmp, w->gam, w->xn);
    r_fma(w->E, w->G, w->E, w->tmp);
    if (t == K / 2)
      TC_TRY(vec_norm2(w->xh, s->x));
    TC_TRY(FUNCTION(saddle_coords)(s->y, s->Q, s->x, 0));
    TC_TRY(vec_norm2(w->xn, s->x));
    r_set(vec_at(w->ser[GD_XN], t - 1), w->xn);
    r_abs(vec_at(w->ser[GD_Y1], t - 1), vec_at(s->y, 0));
    if (!w->escaped && r_get_double(vec_at(w->ser[GD_Y1], t - 1)) >= s->c.c) {
      w->escaped = 1;
      r_set_double(w->tesc, (double)t);
    }
    FUNCTION(saddle_gd_powers)(w, s, t);
    FUNCTION(saddle_gd_yerr)(w, s->c.d, t);
  }
done:
  return status;
}

/* t_esc_pred = ceil(ln(c/y10)/ln growth), the escape count predicted from
 * the growth factor, and the measured rate (||x_K|| / ||x_K/2||)^(1/(K - K/2)). */
static void FUNCTION(saddle_gd_predict)(FUNCTION(saddle_gd_ws) *w, const saddle_config *c)
{
  long K = c->iterations;
  if (r_sgn(w->y10) > 0) {
    r_set_double(w->tpred, c->c);
    r_div(w->tpred, w->tpred, w->y10);
    r_log(w->tpred, w->tpred);
    r_log(w->tmp, w->growth);
    r_div(w->tpred, w->tpred, w->tmp);
    r_set_double(w->tpred, ceil(r_get_double(w->tpred)));
  } else {
    r_set_double(w->tpred, (double)(K + 1)); /* no escaping component: none predicted */
  }
  r_div(w->rate, w->xn, w->xh);
  r_set_si(w->tmp, 1);
  r_div_double(w->tmp, w->tmp, (double)(K - K / 2));
  r_pow(w->rate, w->rate, w->tmp);
}

static int FUNCTION(saddle_gd_measure)(tc_record *out, const tc_instance *inst, char *err,
                                       size_t errlen)
{
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(saddle_setup) s;
  FUNCTION(saddle_gd_ws) w;
  int status = FUNCTION(saddle_setup_init)(&s, inst, 1, prec, err, errlen);
  FUNCTION(saddle_gd_ws_init)(&w, prec);
  if (status)
    goto done;
  TC_TRY(FUNCTION(saddle_gd_ws_alloc)(&w, s.c.d, s.c.iterations, prec));
  TC_TRY(FUNCTION(saddle_gd_constants)(&w, &s, prec));
  TC_TRY(FUNCTION(saddle_gd_iterate)(&w, &s));
  FUNCTION(saddle_gd_predict)(&w, &s.c);
  r_set_double(w.b, s.c.eta2);
  r_set_double(w.a, s.c.c);
  {
    REAL_SRCPTR sc[] = {w.y10, w.growth, w.perp0, w.tesc, w.tpred, w.rate, w.eta, w.b, w.lmin,
                        w.lmax, w.a};
    static const char *const scn[] = {"y10", "growth", "perp0", "t_esc", "t_esc_pred", "rate",
                                      "eta", "eta2", "lmin", "lmax", "c"};
    status = FUNCTION(saddle_gd_rows)(out, w.ser, s.c.iterations, sc, scn, sizeof sc / sizeof sc[0]);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu nzero=%zu start=%s: measured lmin=%.10g lmax=%.10g, eta=%.6g "
                   "(eta lmax/2=%g), growth=%.10g; |v1'x0|=%.3g; escape at t=%g (predicted %g); "
                   "rate=%.10g; final error bound %.3g",
                   saddle_families[s.c.family], s.c.d, s.c.nzero, saddle_starts[s.c.start],
                   r_get_double(w.lmin), r_get_double(w.lmax), r_get_double(w.eta), s.c.eta2,
                   r_get_double(w.growth), r_get_double(w.y10), r_get_double(w.tesc),
                   r_get_double(w.tpred), r_get_double(w.rate), r_get_double(w.E));
done:
  FUNCTION(saddle_gd_ws_free)(&w);
  FUNCTION(saddle_setup_free)(&s);
  return status;
}

#undef SADDLE_GD_REALS

/* saddle-escape-sweep: one saddle-flow run per value of the swept
 * quantity (x10 = 10^-(1 + 29 i/(K-1)) or lam = 10^-(2 i/(K-1))), one row
 * each with the measured escape time and s = -log10 of the swept value
 * (the figure's x-axis).  Each
 * run is saddle-flow's measurement on the point with that value put in;
 * its rows go to a scratch record and the first carries t_esc. */
static int FUNCTION(saddle_sweep_measure)(tc_record *out, const tc_instance *inst, char *err,
                                          size_t errlen)
{
  const tc_point *p = inst->point;
  int by_lam = tc_point_text(p, "sweep") && strcmp(tc_point_text(p, "sweep"), "lam") == 0;
  size_t K = (size_t)tc_point_get_or(p, "points", 8), np = p->n;
  tc_point_value *v = malloc((np + 1) * sizeof *v);
  mpfr_t val;
  mpfr_init2(val, inst->prec > 64 ? inst->prec : 64);
  int status = v ? TC_SUCCESS : TC_ENOMEM;
  const char *key = by_lam ? "lam" : "x10";
  for (size_t i = 0; i < K && status == TC_SUCCESS; i++) {
    double frac = K > 1 ? (double)i / (double)(K - 1) : 0;
    double x = by_lam ? pow(10.0, -2.0 * frac) : pow(10.0, -1.0 - 29.0 * frac);
    char text[40];
    snprintf(text, sizeof text, "%.17g", x);
    size_t n = 0;
    for (size_t k = 0; k < np; k++)
      if (strcmp(p->v[k].name, key) != 0)
        v[n++] = p->v[k];
    v[n++] = (tc_point_value){key, x, text};
    tc_point q = {n, v};
    tc_instance sub = *inst;
    sub.point = &q;
    tc_record *r = tc_record_alloc(inst->prec > 64 ? inst->prec : 64);
    status = r ? FUNCTION(saddle_flow_measure)(r, &sub, err, errlen) : TC_ENOMEM;
    static const char *const names[] = {"t_esc", "t_err", "t_rnd", "t_exact", "lam", "x10", "c", "d"};
    for (size_t k = 0; k < 8 && status == TC_SUCCESS; k++)
      if (!(status = tc_record_get(val, r, 0, names[k])))
        status = tc_record_put_mpfr(out, names[k], val);
    if (status == TC_SUCCESS && !(status = tc_record_put_double(out, "s", -log10(x))))
      status = tc_record_end_row(out);
    tc_record_free(r);
  }
  mpfr_clear(val);
  free(v);
  return status;
}
