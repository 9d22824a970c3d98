/* saddle_class_source.h — the saddle-class measurement in the generic
 * names of tc_templates_on.h; saddle_class.c documents it. */

#include "quadratic_source.h" /* tc_quad_prec, tc_quad_unit_roundoff */

/* The polynomial families x1^2 + sgn * x2^k: k = 4 (quartic-saddle,
 * minimum: sgn = -1, +1) or 2 (strict, sgn = -1); a, b scratch. */
static void FUNCTION(saddle_class_eval_even)(REAL_PTR f, VEC *g, MAT *H, REAL_SRCPTR w0,
                                             REAL_SRCPTR w1, int family, REAL_PTR a, REAL_PTR b)
{
  double sg = family == CL_MINIMUM ? 1.0 : -1.0;
  int k = family == CL_STRICT ? 2 : 4;
  r_sqr(a, w0);
  r_pow_si(b, w1, k);
  r_mul_double(b, b, sg);
  r_add(f, a, b);
  if (g) {
    r_mul_double(vec_at(g, 0), w0, 2.0);
    r_pow_si(b, w1, k - 1);
    r_mul_double(vec_at(g, 1), b, sg * k);
  }
  if (H) {
    r_set_si(mat_at(H, 0, 0), 2);
    r_pow_si(b, w1, k - 2);
    r_mul_double(mat_at(H, 1, 1), b, sg * k * (k - 1));
  }
}

/* Deep-linear: (prod w) x - y = r, f = r^2; grad_i = 2 r x prod_{j != i}
 * w_j, H_ik = 2 x^2 P_i P_k + 2 r x P_ik, each product formed afresh
 * (no division by a w_j that may be 0); a, b, r scratch. */
static void FUNCTION(saddle_class_eval_deep)(REAL_PTR f, VEC *g, MAT *H, const VEC *w,
                                             const saddle_class_config *c, REAL_PTR a, REAL_PTR b,
                                             REAL_PTR r)
{
  size_t L = c->d;
  r_set_double(a, c->x);
  for (size_t i = 0; i < L; i++)
    r_mul(a, a, vec_at(w, i));
  r_add_double(r, a, -c->y);
  r_sqr(f, r);
  for (size_t i = 0; i < L && (g || H); i++) {
    r_set_double(a, c->x);
    for (size_t j = 0; j < L; j++)
      if (j != i)
        r_mul(a, a, vec_at(w, j));
    if (g) {
      r_mul(b, a, r);
      r_mul_double(vec_at(g, i), b, 2.0);
    }
    for (size_t k = 0; H && k < L; k++) {
      r_set_double(b, c->x);
      for (size_t j = 0; j < L; j++)
        if (j != k)
          r_mul(b, b, vec_at(w, j));
      r_mul(b, b, a);
      r_mul_double(mat_at(H, i, k), b, 2.0);
      if (k != i) {
        r_set_double(b, c->x);
        for (size_t j = 0; j < L; j++)
          if (j != i && j != k)
            r_mul(b, b, vec_at(w, j));
        r_mul(b, b, r);
        r_mul_double(b, b, 2.0);
        r_add(mat_at(H, i, k), mat_at(H, i, k), b);
      }
    }
  }
}

/* f(w), and when g, H are not NULL the gradient and Hessian at w. */
static void FUNCTION(saddle_class_eval)(REAL_PTR f, VEC *g, MAT *H, const VEC *w,
                                        const saddle_class_config *c, mpfr_prec_t prec)
{
  REAL a, b, r;
  r_init(a, prec);
  r_init(b, prec);
  r_init(r, prec);
  REAL_PTR w0 = vec_at(w, 0), w1 = c->d > 1 ? vec_at(w, 1) : NULL;
  if (H)
    mat_set_zero(H);
  switch (c->family) {
  case CL_CUBIC: /* x^3, 3x^2, 6x */
    r_sqr(a, w0);
    r_mul(f, a, w0);
    if (g)
      r_mul_double(vec_at(g, 0), a, 3.0);
    if (H)
      r_mul_double(mat_at(H, 0, 0), w0, 6.0);
    break;
  case CL_QUARTIC:
  case CL_STRICT:
  case CL_MINIMUM:
    FUNCTION(saddle_class_eval_even)(f, g, H, w0, w1, c->family, a, b);
    break;
  case CL_PD: /* x1^2 + x2^2 - x1^3 */
    r_sqr(a, w0);
    r_mul(b, a, w0);
    r_sub(f, a, b);
    r_fma(f, w1, w1, f);
    if (g) {
      r_mul_double(b, a, -3.0);
      r_set_si(r, 2);
      r_fma(vec_at(g, 0), w0, r, b); /* 2 x1 - 3 x1^2 */
      r_mul_double(vec_at(g, 1), w1, 2.0);
    }
    if (H) {
      r_mul_double(b, w0, -6.0);
      r_add_double(mat_at(H, 0, 0), b, 2.0);
      r_set_si(mat_at(H, 1, 1), 2);
    }
    break;
  default:
    FUNCTION(saddle_class_eval_deep)(f, g, H, w, c, a, b, r);
  }
  r_clear(a);
  r_clear(b);
  r_clear(r);
}

/* The measurement's workspace: the tape (the instance's, or drawn here
 * when run alone), the probe direction u, the point w, the gradient g and
 * Hessian H at w* = 0 with its spectrum ev, and the scalars of the rows. */
typedef struct {
  tc_tape *own, *tape;
  double u[SADDLE_CLASS_MAX_DEPTH];
  VEC *w, *g, *ev;
  MAT *H;
  EIGEN_WS *ws;
  REAL f0, f, gn, lmin, lmax, herr, ferr, uu;
} FUNCTION(saddle_class_ws);

#define SADDLE_CLASS_REALS(w)                                                                 \
  {(w)->f0, (w)->f, (w)->gn, (w)->lmin, (w)->lmax, (w)->herr, (w)->ferr, (w)->uu}

/* The scalars are initialised whatever fails, for saddle_class_ws_free. */
static int FUNCTION(saddle_class_ws_init)(FUNCTION(saddle_class_ws) *w, const tc_instance *inst,
                                          size_t d, mpfr_prec_t prec, char *err, size_t errlen)
{
  int status = TC_SUCCESS;
  w->own = NULL;
  w->tape = inst->tape;
  if (w->tape == NULL) {
    w->tape = w->own = tc_tape_alloc(inst->seed);
    if (w->tape == NULL || saddle_class_draw(w->tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  w->w = vec_alloc(d, prec);
  w->g = vec_alloc(d, prec);
  w->ev = vec_alloc(d, prec);
  w->H = mat_alloc(d, d, prec);
  w->ws = eigen_ws_alloc(d, prec);
  REAL_PTR reals[] = SADDLE_CLASS_REALS(w);
  for (size_t i = 0; i < 8; i++)
    r_init(reals[i], prec);
  if (status || !w->w || !w->g || !w->ev || !w->H || !w->ws)
    status = status ? status : TC_ENOMEM;
  return status;
}

static void FUNCTION(saddle_class_ws_free)(FUNCTION(saddle_class_ws) *w)
{
  REAL_PTR reals[] = SADDLE_CLASS_REALS(w);
  for (size_t i = 0; i < 8; i++)
    r_clear(reals[i]);
  if (w->w)
    vec_free(w->w);
  if (w->g)
    vec_free(w->g);
  if (w->ev)
    vec_free(w->ev);
  if (w->H)
    mat_free(w->H);
  if (w->ws)
    eigen_ws_free(w->ws);
  tc_tape_free(w->own);
}

/* At w* = 0: f0, ||grad||, the Hessian's extreme eigenvalues and the
 * rounding of the spectrum, 16 d u max(|lambda|, 1) (the floor at scale 1,
 * so that an all-zero spectrum is not taken as exact). */
static int FUNCTION(saddle_class_at_origin)(FUNCTION(saddle_class_ws) *w,
                                            const saddle_class_config *c, mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t d = c->d;
  vec_set_zero(w->w);
  FUNCTION(saddle_class_eval)(w->f0, w->g, w->H, w->w, c, prec);
  TC_TRY(vec_norm2(w->gn, w->g));
  TC_TRY(eigen_symm(w->ev, w->H, w->ws));
  r_set(w->lmin, vec_at(w->ev, 0));
  r_set(w->lmax, vec_at(w->ev, d - 1));
  FUNCTION(tc_quad_unit_roundoff)(w->uu, prec);
  r_abs(w->herr, w->lmax);
  r_abs(w->f, w->lmin);
  r_max(w->herr, w->herr, w->f);
  r_set_si(w->f, 1);
  r_max(w->herr, w->herr, w->f);
  r_mul(w->herr, w->herr, w->uu);
  r_mul_double(w->herr, w->herr, 16.0 * (double)d);
done:
  return status;
}

/* The row of probe j: fdrop = f(w* + s_j u) - f(w*) with its rounding
 * 8 u (|f0| + |f|) plus the product's 2 L u |f| (deep-linear), beside the
 * spectrum at w*.  f0 is reset to f(w*) for the next probe. */
static int FUNCTION(saddle_class_probe)(tc_record *out, FUNCTION(saddle_class_ws) *w,
                                        const saddle_class_config *c, size_t j, int order,
                                        mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t d = c->d;
  for (size_t i = 0; i < d; i++)
    r_set_double(vec_at(w->w, i), saddle_class_s[j] * w->u[i]);
  FUNCTION(saddle_class_eval)(w->f, NULL, NULL, w->w, c, prec);
  r_abs(w->ferr, w->f0);
  r_abs(w->gn, w->f);
  r_add(w->ferr, w->ferr, w->gn);
  r_mul(w->ferr, w->ferr, w->uu);
  r_mul_double(w->ferr, w->ferr, 8.0 + 2.0 * (double)d);
  r_sub(w->f, w->f, w->f0);
  TC_TRY(vec_norm2(w->gn, w->g));
  /* xy, in the backend's arithmetic (as the Hessian's entries): x y for
   * deep-linear, 1 for strict (its lambda_min is -2), else 0; f0 is
   * free here and reset below. */
  r_set_double(w->f0, c->family == CL_DEEP ? c->x : c->family == CL_STRICT ? 1.0 : 0.0);
  r_mul_double(w->f0, w->f0, c->family == CL_DEEP ? c->y : 1.0);
  if ((status = tc_record_put_double(out, "s", saddle_class_s[j])) ||
      (status = tc_record_put_double(out, "order", order)) ||
      (status = record_put(out, "grad_norm", w->gn)) ||
      (status = record_put(out, "hess_lmin", w->lmin)) ||
      (status = record_put(out, "hess_lmax", w->lmax)) ||
      (status = record_put(out, "hess_err", w->herr)) || (status = record_put(out, "fdrop", w->f)) ||
      (status = record_put(out, "fd_err", w->ferr)) ||
      (status = tc_record_put_double(out, "depth", c->family == CL_DEEP ? (double)c->depth : 0)) ||
      (status = record_put(out, "xy", w->f0)))
    return status;
  status = tc_record_end_row(out);
  vec_set_zero(w->w);
  FUNCTION(saddle_class_eval)(w->f0, NULL, NULL, w->w, c, prec);
done:
  return status;
}

static int FUNCTION(saddle_class_measure)(tc_record *out, const tc_instance *inst, char *err,
                                          size_t errlen)
{
  saddle_class_config c;
  saddle_class_config_read(&c, inst->point);
  if (c.family < 0) {
    snprintf(err, errlen, "unknown family");
    return TC_EDOM;
  }
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d;
  FUNCTION(saddle_class_ws) w;
  int status = FUNCTION(saddle_class_ws_init)(&w, inst, d, prec, err, errlen);
  if (status)
    goto done;
  saddle_class_direction(w.u, &c, w.tape);
  TC_TRY(tc_tape_status(w.tape));
  TC_TRY(FUNCTION(saddle_class_at_origin)(&w, &c, prec));
  int order = c.family == CL_CUBIC ? 3 : c.family == CL_QUARTIC || c.family == CL_MINIMUM ? 4
              : c.family == CL_DEEP ? (int)c.depth : 2;
  for (size_t j = 0; j < SADDLE_CLASS_NS && status == TC_SUCCESS; j++)
    status = FUNCTION(saddle_class_probe)(out, &w, &c, j, order, prec);
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s (d=%zu): ||grad||=%.3g, Hessian spectrum [%.10g, %.10g], probe u=(%.4g%s), "
                   "f(w*+0.001u)-f(w*)=%.6g", saddle_class_families[c.family], d,
                   r_get_double(w.gn), r_get_double(w.lmin), r_get_double(w.lmax), w.u[0],
                   d > 1 ? ", ..." : "", r_get_double(w.f));
done:
  FUNCTION(saddle_class_ws_free)(&w);
  return status;
}

#undef SADDLE_CLASS_REALS
