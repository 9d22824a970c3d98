/* saddle_class_source.h — the saddle-class measurement in the generic
 * names of tc_templates_on.h; saddle_class.c documents it. */

#include "quadratic_source.h" /* tc_quad_prec, tc_quad_unit_roundoff */

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
  case CL_MINIMUM: {
    /* x1^2 + sgn * x2^k, k = 4 (quartic-saddle, minimum) or 2 (strict) */
    double sg = c->family == CL_MINIMUM ? 1.0 : -1.0;
    int k = c->family == CL_STRICT ? 2 : 4;
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
    break;
  }
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
  default: { /* (prod w) x - y = r; f = r^2 */
    size_t L = c->d;
    r_set_double(a, c->x);
    for (size_t i = 0; i < L; i++)
      r_mul(a, a, vec_at(w, i));
    r_add_double(r, a, -c->y);
    r_sqr(f, r);
    /* grad_i = 2 r x prod_{j != i} w_j; H_ik = 2 x^2 P_i P_k + 2 r x P_ik */
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
  }
  r_clear(a);
  r_clear(b);
  r_clear(r);
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
  int status = TC_SUCCESS;
  tc_tape *own = NULL, *tape = inst->tape;
  if (tape == NULL) {
    tape = own = tc_tape_alloc(inst->seed);
    if (tape == NULL || saddle_class_draw(tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  double u[SADDLE_CLASS_MAX_DEPTH];
  VEC *w = vec_alloc(d, prec), *g = vec_alloc(d, prec), *ev = vec_alloc(d, prec);
  MAT *H = mat_alloc(d, d, prec);
  EIGEN_WS *ws = eigen_ws_alloc(d, prec);
  REAL f0, f, gn, lmin, lmax, herr, ferr, uu;
  REAL_PTR reals[] = {f0, f, gn, lmin, lmax, herr, ferr, uu};
  for (size_t i = 0; i < 8; i++)
    r_init(reals[i], prec);
  if (status || !w || !g || !ev || !H || !ws) {
    status = status ? status : TC_ENOMEM;
    goto done;
  }
  saddle_class_direction(u, &c, tape);
  TC_TRY(tc_tape_status(tape));
  vec_set_zero(w);
  FUNCTION(saddle_class_eval)(f0, g, H, w, &c, prec);
  TC_TRY(vec_norm2(gn, g));
  TC_TRY(eigen_symm(ev, H, ws));
  r_set(lmin, vec_at(ev, 0));
  r_set(lmax, vec_at(ev, d - 1));
  /* rounding of the spectrum: 16 d u max|lambda|, of f(w* + s u) - f(w*):
   * 8 u (|f0| + |f|) plus the product's 2 L u |f| (deep-linear). */
  FUNCTION(tc_quad_unit_roundoff)(uu, prec);
  r_abs(herr, lmax);
  r_abs(f, lmin);
  r_max(herr, herr, f);
  r_set_si(f, 1); /* a floor at scale 1, so an all-zero spectrum is not exact */
  r_max(herr, herr, f);
  r_mul(herr, herr, uu);
  r_mul_double(herr, herr, 16.0 * (double)d);
  int order = c.family == CL_CUBIC ? 3 : c.family == CL_QUARTIC || c.family == CL_MINIMUM ? 4
              : c.family == CL_DEEP ? (int)c.depth : 2;
  for (size_t j = 0; j < SADDLE_CLASS_NS && status == TC_SUCCESS; j++) {
    for (size_t i = 0; i < d; i++)
      r_set_double(vec_at(w, i), saddle_class_s[j] * u[i]);
    FUNCTION(saddle_class_eval)(f, NULL, NULL, w, &c, prec);
    r_abs(ferr, f0);
    r_abs(gn, f);
    r_add(ferr, ferr, gn);
    r_mul(ferr, ferr, uu);
    r_mul_double(ferr, ferr, 8.0 + 2.0 * (double)d);
    r_sub(f, f, f0);
    TC_TRY(vec_norm2(gn, g));
    /* xy, in the backend's arithmetic (as the Hessian's entries): x y for
     * deep-linear, 1 for strict (its lambda_min is -2), else 0; f0 is
     * free here and reset below. */
    r_set_double(f0, c.family == CL_DEEP ? c.x : c.family == CL_STRICT ? 1.0 : 0.0);
    r_mul_double(f0, f0, c.family == CL_DEEP ? c.y : 1.0);
    if ((status = tc_record_put_double(out, "s", saddle_class_s[j])) ||
        (status = tc_record_put_double(out, "order", order)) ||
        (status = record_put(out, "grad_norm", gn)) || (status = record_put(out, "hess_lmin", lmin)) ||
        (status = record_put(out, "hess_lmax", lmax)) || (status = record_put(out, "hess_err", herr)) ||
        (status = record_put(out, "fdrop", f)) || (status = record_put(out, "fd_err", ferr)) ||
        (status = tc_record_put_double(out, "depth", c.family == CL_DEEP ? (double)c.depth : 0)) ||
        (status = record_put(out, "xy", f0)))
      break;
    status = tc_record_end_row(out);
    vec_set_zero(w);
    FUNCTION(saddle_class_eval)(f0, NULL, NULL, w, &c, prec);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s (d=%zu): ||grad||=%.3g, Hessian spectrum [%.10g, %.10g], probe u=(%.4g%s), "
                   "f(w*+0.001u)-f(w*)=%.6g", saddle_class_families[c.family], d,
                   r_get_double(gn), r_get_double(lmin), r_get_double(lmax), u[0],
                   d > 1 ? ", ..." : "", r_get_double(f));
done:
  for (size_t i = 0; i < 8; i++)
    r_clear(reals[i]);
  if (w)
    vec_free(w);
  if (g)
    vec_free(g);
  if (ev)
    vec_free(ev);
  if (H)
    mat_free(H);
  if (ws)
    eigen_ws_free(ws);
  tc_tape_free(own);
  return status;
}
