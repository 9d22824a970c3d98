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

/* The saddle-flow rows for the checkpoints, after the run (t_esc is known
 * only at its end). */
static int FUNCTION(saddle_flow_rows)(tc_record *out, const FUNCTION(saddle_setup) *s,
                                      size_t nck, const double *ct, const VEC *cy, const VEC *ce,
                                      const VEC *y0c, const size_t *ks, size_t nk,
                                      REAL_SRCPTR tesc, REAL_SRCPTR terr, REAL_SRCPTR trnd,
                                      REAL_SRCPTR texact, REAL_SRCPTR x10)
{
  int status = TC_SUCCESS;
  for (size_t j = 0; j < nck && status == TC_SUCCESS; j++)
    for (size_t i = 0; i < nk && status == TC_SUCCESS; i++) {
      size_t k = ks[i];
      if ((status = tc_record_put_double(out, "t", ct[j])) ||
          (status = tc_record_put_double(out, "k", (double)(k + 1))) ||
          (status = record_put(out, "yk", vec_at(cy, j * nk + i))) ||
          (status = record_put(out, "yk0", vec_at(y0c, k))) ||
          (status = tc_record_put_double(out, "Akk", s->lam[k])) ||
          (status = record_put(out, "ode_err", vec_at(ce, j * nk + i))) ||
          (status = record_put(out, "t_esc", tesc)) || (status = record_put(out, "t_err", terr)) ||
          (status = record_put(out, "t_rnd", trnd)) ||
          (status = record_put(out, "t_exact", texact)) ||
          (status = tc_record_put_double(out, "lam", s->c.lam)) ||
          (status = record_put(out, "x10", x10)) ||
          (status = tc_record_put_double(out, "c", s->c.c)) ||
          (status = tc_record_put_double(out, "d", (double)s->c.d)) ||
          (status = tc_record_put_double(out, "p", s->c.p)))
        break;
      status = tc_record_end_row(out);
    }
  return status;
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

static int FUNCTION(saddle_flow_measure)(tc_record *out, const tc_instance *inst, char *err,
                                         size_t errlen)
{
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(saddle_setup) s;
  int status = FUNCTION(saddle_setup_init)(&s, inst, 0, prec, err, errlen);
  size_t d = s.c.d, ks[3] = {0, 1, d - 1}, nk = d > 2 ? 3 : 2;
  ODE_WS *ws = status ? NULL : ode_ws_alloc(d, prec);
  VEC *cy = vec_alloc(SADDLE_NCK * 3, prec), *ce = vec_alloc(SADDLE_NCK * 3, prec);
  VEC *y0c = vec_alloc(d > 0 ? d : 1, prec);
  double ct[SADDLE_NCK];
  REAL h, g, gam, u, E, xn, x0n, y1a, e0, e1, r0, r1, rt, tesc, terr, trnd, texact, tmp, x10r;
  REAL_PTR reals[] = {h, g, gam, u, E, xn, x0n, y1a, e0, e1, r0, r1, rt, tesc, terr, trnd, texact,
                      tmp, x10r};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  if (status)
    goto done;
  if (!ws || !cy || !ce || !y0c) {
    status = TC_ENOMEM;
    goto done;
  }
  FUNCTION(saddle_op) op = {s.Q, s.lam, s.tmp, -2.0};
  double amax = fmax(s.c.lam, 1.0), lam = s.c.lam;
  /* h: hscale / amax rounded down to a power of 2, so the checkpoint
   * times (n + 1) h are exact doubles (the closed form is evaluated at
   * the very time the solver reached, in both backends). */
  r_set_double(h, ldexp(1.0, (int)floor(log2(s.c.hscale / amax))));
  double hd = r_get_double(h);
  double texd = log(s.c.c / s.c.x10) / (2 * lam);
  long N = (long)ceil(1.25 * texd / hd) + 1;
  if (N < 2 * SADDLE_NCK)
    N = 2 * SADDLE_NCK; /* every checkpoint its own step */
  long Ncap = (long)ceil(4 * texd / hd) + 2 * N;
  if (Ncap > SADDLE_MAX_STEPS) {
    snprintf(err, errlen, "the run needs %ld RK4 steps (> %ld): raise hscale or lam", Ncap,
             SADDLE_MAX_STEPS);
    status = TC_EDOM;
    goto done;
  }
  /* x10 = d^-p at the backend's precision when it is not given, so the
   * exact time is that of the stated perturbation, not of its double. */
  if (tc_point_get_or(inst->point, "x10", 0) == 0) {
    r_set_double(tmp, -s.c.p);
    r_set_double(x10r, (double)d);
    r_pow(x10r, x10r, tmp);
  } else {
    r_set_double(x10r, s.c.x10);
  }
  FUNCTION(saddle_escape_root)(texact, x10r, lam, s.c.c, prec);
  FUNCTION(saddle_rk4_norm)(g, s.lam, d, h, prec);
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  /* per step rounding: the stages' products (2 gemv, d + 2 terms each)
   * and the axpys, relative to ||x||, with margin. */
  r_mul_double(gam, u, 24.0 * (double)(d + 4));
  TC_TRY(FUNCTION(saddle_coords)(y0c, s.Q, s.x, 0));
  TC_TRY(vec_norm2(x0n, s.x));
  r_set_si(E, 0);
  TC_TRY(FUNCTION(saddle_coords)(s.y, s.Q, s.x, 1));
  r_set(y1a, vec_at(s.y, 0));
  int escaped = 0;
  size_t jck = 0;
  for (long n = 0; n < Ncap && (n < N || !escaped); n++) {
    TC_TRY(vec_norm2(xn, s.x));
    /* e0: bound on |y_1| at step n (trajectory plus the product Q^T x) */
    FUNCTION(saddle_y1_rounding)(e0, vec_at(s.y, 0), n, xn, E, u, d, s.Q == NULL);
    r_set(r0, e0);
    FUNCTION(saddle_trunc)(tmp, rt, s.lam[0], h, n, vec_at(y0c, 0), u, prec);
    r_add(e0, e0, tmp);
    r_add(r0, r0, rt);
    TC_TRY(ode_rk4_step(s.x, h, FUNCTION(saddle_field), &op, ws));
    r_mul(tmp, gam, xn);
    r_fma(E, g, E, tmp); /* E: the rounding part of the error, any coordinate */
    TC_TRY(vec_norm2(xn, s.x));
    TC_TRY(FUNCTION(saddle_coords)(s.y, s.Q, s.x, 1));
    FUNCTION(saddle_y1_rounding)(e1, vec_at(s.y, 0), n + 1, xn, E, u, d, s.Q == NULL);
    r_set(r1, e1);
    FUNCTION(saddle_trunc)(tmp, rt, s.lam[0], h, n + 1, vec_at(y0c, 0), u, prec);
    r_add(e1, e1, tmp);
    r_add(r1, r1, rt);
    if (!escaped) {
      r_abs(tmp, vec_at(s.y, 0));
      if (r_get_double(tmp) >= s.c.c) {
        escaped = 1;
        FUNCTION(saddle_flow_escape)(tesc, terr, (double)n * hd, h, y1a, vec_at(s.y, 0), e0, e1,
                                     s.c.c, lam, prec);
        FUNCTION(saddle_time_err)(trnd, y1a, vec_at(s.y, 0), r0, r1, lam, prec);
      }
      r_set(y1a, vec_at(s.y, 0));
    }
    if (jck < SADDLE_NCK && n + 1 == (long)((double)(jck + 1) * (double)N / SADDLE_NCK)) {
      TC_TRY(FUNCTION(saddle_coords)(s.y, s.Q, s.x, 0));
      ct[jck] = (double)(n + 1) * hd;
      for (size_t i = 0; i < nk; i++) {
        r_set(vec_at(cy, jck * nk + i), vec_at(s.y, ks[i]));
        /* E bounds the rounding of the trajectory; the product Q^T x and
         * the rounding of y_k0 (carried by exp(-2 lam_k t) <= exp(2 lam t))
         * add to it (a factor 2 covers the terms of second order); then the
         * truncation of coordinate k itself. */
        r_set_double(tmp, 2 * lam * ct[jck]);
        r_exp(tmp, tmp);
        r_mul(tmp, tmp, x0n);
        r_add(tmp, tmp, xn);
        r_mul(tmp, tmp, u);
        r_mul_double(tmp, tmp, 2.0 * (double)(d + 2));
        r_add(tmp, tmp, E);
        r_mul_double(vec_at(ce, jck * nk + i), tmp, 2.0);
        FUNCTION(saddle_trunc)(tmp, NULL, s.lam[ks[i]], h, n + 1, vec_at(y0c, ks[i]), u, prec);
        r_mul_double(tmp, tmp, 1.5); /* slack for the rounding of Q */
        r_add(vec_at(ce, jck * nk + i), vec_at(ce, jck * nk + i), tmp);
      }
      jck++;
    }
  }
  if (!escaped) {
    /* Not escaped within 4 times the closed form's time: the closed form
     * is wrong for this run; an infinite time is never a PASS. */
    r_set_double(tesc, INFINITY);
    r_set_si(terr, 0);
    r_set_si(trnd, 0);
  }
  status = FUNCTION(saddle_flow_rows)(out, &s, jck, ct, cy, ce, y0c, ks, nk, tesc, terr, trnd,
                                         texact, x10r);
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu lam=%g x10=%.6g c=%g: RK4 h=%.4g, %ld steps; t_esc=%.10g "
                   "(closed form %.10g, error bound %.3g); final ODE error bound %.3g",
                   saddle_families[s.c.family], d, lam, s.c.x10, s.c.c, hd, N,
                   r_get_double(tesc), r_get_double(texact), r_get_double(terr),
                   r_get_double(E));
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  if (ws)
    ode_ws_free(ws);
  if (cy)
    vec_free(cy);
  if (ce)
    vec_free(ce);
  if (y0c)
    vec_free(y0c);
  FUNCTION(saddle_setup_free)(&s);
  return status;
}

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

static int FUNCTION(saddle_gd_measure)(tc_record *out, const tc_instance *inst, char *err,
                                       size_t errlen)
{
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(saddle_setup) s;
  int status = FUNCTION(saddle_setup_init)(&s, inst, 1, prec, err, errlen);
  size_t d = s.c.d;
  long K = s.c.iterations;
  VEC *ser[GD_NSERIES] = {0}, *gx = NULL, *P = NULL, *y0c = NULL;
  REAL lmin, lmax, eta, growth, G, gam, u, E, xn, x0n, tmp, a, b, y10, perp0, tesc, tpred, rate, xh;
  REAL_PTR reals[] = {lmin, lmax, eta, growth, G, gam, u, E, xn, x0n, tmp, a, b, y10, perp0,
                      tesc, tpred, rate, xh};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  if (status)
    goto done;
  for (int i = 0; i < GD_NSERIES; i++)
    if (!(ser[i] = vec_alloc((size_t)K, prec)))
      status = TC_ENOMEM;
  gx = vec_alloc(d, prec);
  P = vec_alloc(d, prec);
  y0c = vec_alloc(d, prec);
  if (status || !gx || !P || !y0c) {
    status = TC_ENOMEM;
    goto done;
  }
  FUNCTION(saddle_op) op = {s.Q, s.lam, s.tmp, 1.0};
  TC_TRY(FUNCTION(saddle_gd_spectrum)(lmin, lmax, &s, prec));
  r_set_double(eta, 2.0 * s.c.eta2);
  r_div(eta, eta, lmax);
  r_mul(growth, eta, lmin);
  r_neg(growth, growth);
  r_add_double(growth, growth, 1.0);
  r_abs(growth, growth);
  /* G = max_k |1 - eta lam_k|, the norm of one step on the eigenbasis. */
  r_set_si(G, 0);
  for (size_t k = 0; k < d; k++) {
    r_mul_double(tmp, eta, -s.lam[k]);
    r_add_double(tmp, tmp, 1.0);
    r_abs(tmp, tmp);
    r_max(G, G, tmp);
    r_set_si(vec_at(P, k), 1);
  }
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  r_mul_double(gam, u, 8.0 * (double)(d + 4));
  r_mul(tmp, eta, lmax);
  r_add_double(tmp, tmp, 1.0);
  r_mul(gam, gam, tmp);
  TC_TRY(FUNCTION(saddle_coords)(y0c, s.Q, s.x, 0));
  TC_TRY(vec_norm2(x0n, s.x));
  r_abs(y10, vec_at(y0c, 0));
  r_set_si(perp0, 0);
  for (size_t k = 1; k < d; k++)
    r_fma(perp0, vec_at(y0c, k), vec_at(y0c, k), perp0);
  r_sqrt(perp0, perp0);
  r_set_si(E, 0);
  r_set_double(tesc, (double)(K + 1));
  int escaped = 0;
  r_neg(a, eta);
  for (long t = 1; t <= K; t++) {
    TC_TRY(vec_norm2(xn, s.x));
    TC_TRY(FUNCTION(saddle_apply)(gx, s.x, &op));
    TC_TRY(vec_axpy(s.x, a, gx));
    r_mul(tmp, gam, xn);
    r_fma(E, G, E, tmp);
    if (t == K / 2)
      TC_TRY(vec_norm2(xh, s.x));
    TC_TRY(FUNCTION(saddle_coords)(s.y, s.Q, s.x, 0));
    TC_TRY(vec_norm2(xn, s.x));
    r_set(vec_at(ser[GD_XN], t - 1), xn);
    r_abs(vec_at(ser[GD_Y1], t - 1), vec_at(s.y, 0));
    if (!escaped && r_get_double(vec_at(ser[GD_Y1], t - 1)) >= s.c.c) {
      escaped = 1;
      r_set_double(tesc, (double)t);
    }
    r_set_si(vec_at(ser[GD_PERP], t - 1), 0);
    r_set_si(vec_at(ser[GD_POWT], t - 1), 0);
    r_set_si(vec_at(ser[GD_POWTM1], t - 1), 0);
    for (size_t k = 0; k < d; k++) {
      if (k > 0)
        r_fma(vec_at(ser[GD_PERP], t - 1), vec_at(s.y, k), vec_at(s.y, k), vec_at(ser[GD_PERP], t - 1));
      /* (1 - eta lam_k)^(t-1) y_k0 and ^t y_k0 against y_k */
      r_mul(b, vec_at(P, k), vec_at(y0c, k));
      r_sub(b, vec_at(s.y, k), b);
      r_abs(b, b);
      r_max(vec_at(ser[GD_POWTM1], t - 1), vec_at(ser[GD_POWTM1], t - 1), b);
      r_mul_double(tmp, eta, -s.lam[k]);
      r_add_double(tmp, tmp, 1.0);
      r_mul(vec_at(P, k), vec_at(P, k), tmp);
      r_mul(b, vec_at(P, k), vec_at(y0c, k));
      r_sub(b, vec_at(s.y, k), b);
      r_abs(b, b);
      r_max(vec_at(ser[GD_POWT], t - 1), vec_at(ser[GD_POWT], t - 1), b);
    }
    r_sqrt(vec_at(ser[GD_PERP], t - 1), vec_at(ser[GD_PERP], t - 1));
    /* y_err: 2 (E + products' rounding + y_k0's rounding carried by G^t
     * + the measured lmin's error carried through growth^t). */
    r_pow_si(b, G, t);
    r_mul(b, b, x0n);
    r_add(b, b, xn);
    r_mul(b, b, u);
    r_mul_double(b, b, 2.0 * (double)(d + 2));
    r_add(b, b, E);
    r_pow_si(tmp, G, t - 1);
    r_mul(tmp, tmp, eta);
    r_mul(tmp, tmp, lmax);
    r_mul(tmp, tmp, u);
    r_mul(tmp, tmp, y10);
    r_mul_double(tmp, tmp, 8.0 * (double)d * (double)t);
    r_add(b, b, tmp);
    r_mul_double(vec_at(ser[GD_YERR], t - 1), b, 2.0);
  }
  /* escape count predicted from the growth factor: ceil(ln(c/y10)/ln g) */
  if (r_sgn(y10) > 0) {
    r_set_double(tpred, s.c.c);
    r_div(tpred, tpred, y10);
    r_log(tpred, tpred);
    r_log(tmp, growth);
    r_div(tpred, tpred, tmp);
    r_set_double(tpred, ceil(r_get_double(tpred)));
  } else {
    r_set_double(tpred, (double)(K + 1)); /* no escaping component: none predicted */
  }
  r_div(rate, xn, xh);
  r_set_si(tmp, 1);
  r_div_double(tmp, tmp, (double)(K - K / 2));
  r_pow(rate, rate, tmp);
  r_set_double(b, s.c.eta2);
  r_set_double(a, s.c.c);
  {
    REAL_SRCPTR sc[] = {y10, growth, perp0, tesc, tpred, rate, eta, b, lmin, lmax, a};
    static const char *const scn[] = {"y10", "growth", "perp0", "t_esc", "t_esc_pred", "rate",
                                      "eta", "eta2", "lmin", "lmax", "c"};
    status = FUNCTION(saddle_gd_rows)(out, ser, K, sc, scn, sizeof sc / sizeof sc[0]);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu nzero=%zu start=%s: measured lmin=%.10g lmax=%.10g, eta=%.6g "
                   "(eta lmax/2=%g), growth=%.10g; |v1'x0|=%.3g; escape at t=%g (predicted %g); "
                   "rate=%.10g; final error bound %.3g",
                   saddle_families[s.c.family], d, s.c.nzero, saddle_starts[s.c.start],
                   r_get_double(lmin), r_get_double(lmax), r_get_double(eta), s.c.eta2,
                   r_get_double(growth), r_get_double(y10), r_get_double(tesc),
                   r_get_double(tpred), r_get_double(rate), r_get_double(E));
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  for (int i = 0; i < GD_NSERIES; i++)
    if (ser[i])
      vec_free(ser[i]);
  if (gx)
    vec_free(gx);
  if (P)
    vec_free(P);
  if (y0c)
    vec_free(y0c);
  FUNCTION(saddle_setup_free)(&s);
  return status;
}

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
