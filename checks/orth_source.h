/* orth_source.h — the orth-variance measurement written once in the
 * generic names of tc_templates_on.h; checks/orth.c (which documents the
 * models, classes and rows) includes it once per backend. */

#if defined(TC_BASE_MPFR)
#define ORTH_PREC(inst) ((inst)->prec)
#else
#define ORTH_PREC(inst) ((mpfr_prec_t)53)
#endif

/* z <- w.x + b over the cube: z[0] has every x_i = +1, and flipping the
 * highest set bit i of t subtracts 2 w_i, one rounding per entry. */
static void FUNCTION(orth_preact)(VEC *z, const double *w, double b, unsigned d, REAL_PTR tmp)
{
  r_set_double(vec_at(z, 0), b);
  for (unsigned i = 0; i < d; i++)
    r_add_double(vec_at(z, 0), vec_at(z, 0), w[i]);
  for (unsigned i = 0; i < d; i++) {
    size_t hi = (size_t)1 << i;
    r_set_double(tmp, -2.0 * w[i]); /* exact: a power-of-two multiple */
    for (size_t t = hi; t < 2 * hi; t++)
      r_add(vec_at(z, t), vec_at(z, t - hi), tmp);
  }
}

/* v <- base vector k of the model over the cube (orth.c, header). */
static void FUNCTION(orth_base)(VEC *v, VEC *z, const orth_config *c, const orth_inst *in, size_t k,
                                REAL_PTR tmp)
{
  size_t n = c->n;
  if (c->model == ORTH_LINEAR) {
    for (size_t t = 0; t < n; t++)
      r_set_si(vec_at(v, t), 1);
    return;
  }
  size_t unit = c->model == ORTH_RELU ? k / 2 : k;
  int deriv = c->model == ORTH_RELU && k % 2 == 1;
  FUNCTION(orth_preact)(z, in->W + unit * c->d, in->b[unit], c->d, tmp);
  for (size_t t = 0; t < n; t++) {
    REAL_PTR zt = vec_at(z, t);
    int pos = r_sgn(zt) > 0; /* relu'(0) = 0 */
    if (deriv)
      r_set_double(vec_at(v, t), pos ? in->a[unit] : 0.0);
    else if (pos)
      r_set(vec_at(v, t), zt);
    else
      r_set_si(vec_at(v, t), 0);
  }
}

/* sum_t v_t^2 / n into acc (added). */
static void FUNCTION(orth_meansq)(REAL_PTR acc, const VEC *v, size_t n, REAL_PTR tmp)
{
  r_set_si(tmp, 0);
  for (size_t t = 0; t < n; t++)
    r_fma(tmp, vec_at(v, t), vec_at(v, t), tmp);
  r_div_double(tmp, tmp, (double)n); /* n = 2^d: exact */
  r_add(acc, acc, tmp);
}

#if defined(TC_BASE_DOUBLE)
/* Scores ||<chi_S, grad h>||^2 for every S (for the top class), in double only. */
static int FUNCTION(orth_scores)(orth_scored *sc, const orth_config *c, const orth_inst *in)
{
  int status = TC_SUCCESS;
  mpfr_prec_t prec = 53;
  size_t n = c->n;
  VEC *v = vec_alloc(n, prec), *z = vec_alloc(n, prec);
  REAL tmp;
  r_init(tmp, prec);
  if (!v || !z) {
    status = TC_ENOMEM;
    goto done;
  }
  for (size_t t = 0; t < n; t++)
    sc[t].mask = t;
  for (size_t k = 0; k < orth_nbases(c); k++) {
    FUNCTION(orth_base)(v, z, c, in, k, tmp);
    TC_TRY(vec_fwht(v));
    for (size_t s = 0; s < orth_nshifts(c, k); s++)
      for (size_t t = 0; t < n; t++) {
        double e = r_get_double(vec_at(v, t ^ orth_shift_mask(s))) / (double)n;
        sc[t].score += e * e;
      }
  }
done:
  r_clear(tmp);
  vec_free(v);
  vec_free(z);
  return status;
}
#endif

/* Q <- the rows of qraw (K x K Gaussians) orthonormalised by modified
 * Gram-Schmidt in the backend's arithmetic. */
static void FUNCTION(orth_rotation)(MAT *Q, const double *qraw, size_t K, REAL_PTR tmp, REAL_PTR dot)
{
  for (size_t i = 0; i < K; i++)
    for (size_t j = 0; j < K; j++)
      r_set_double(mat_at(Q, i, j), qraw[i * K + j]);
  for (size_t i = 0; i < K; i++) {
    for (size_t p = 0; p < i; p++) {
      r_set_si(dot, 0);
      for (size_t j = 0; j < K; j++)
        r_fma(dot, mat_at(Q, i, j), mat_at(Q, p, j), dot);
      r_neg(dot, dot);
      for (size_t j = 0; j < K; j++)
        r_fma(mat_at(Q, i, j), dot, mat_at(Q, p, j), mat_at(Q, i, j));
    }
    r_set_si(dot, 0);
    for (size_t j = 0; j < K; j++)
      r_fma(dot, mat_at(Q, i, j), mat_at(Q, i, j), dot);
    r_sqrt(dot, dot);
    for (size_t j = 0; j < K; j++) {
      r_div(tmp, mat_at(Q, i, j), dot);
      r_set(mat_at(Q, i, j), tmp);
    }
  }
}

/* The class's correlations with one gradient coordinate: cf_l = <f_l, .>
 * from the scaled transform v at shift sm; then var += Var_l cf_l,
 * bessel += sum cf_l^2, mean2 += (mean cf)^2 (two passes). */
static void FUNCTION(orth_accumulate)(REAL_PTR var, REAL_PTR bessel, REAL_PTR mean2, VEC *cf,
                                      const VEC *v, size_t sm, const orth_config *c,
                                      const orth_inst *in, const MAT *Q, REAL_PTR mean, REAL_PTR tmp)
{
  size_t K = c->K;
  for (size_t l = 0; l < K; l++)
    r_set(vec_at(cf, l), vec_at(v, (in->mask ? in->mask[l] : l) ^ sm));
  if (Q) { /* cf <- Q cf, through mean as scratch row by row */
    VEC *raw = cf;
    for (size_t i = 0; i < K; i++) {
      r_set_si(tmp, 0);
      for (size_t j = 0; j < K; j++)
        r_fma(tmp, mat_at(Q, i, j), vec_at(raw, K + j), tmp);
      r_set(vec_at(cf, i), tmp);
    }
  }
  r_set_si(mean, 0);
  for (size_t l = 0; l < K; l++) {
    r_add(mean, mean, vec_at(cf, l));
    r_fma(bessel, vec_at(cf, l), vec_at(cf, l), bessel);
  }
  r_div_double(mean, mean, (double)K);
  r_fma(mean2, mean, mean, mean2);
  r_set_si(tmp, 0);
  for (size_t l = 0; l < K; l++) {
    REAL_PTR e = vec_at(cf, l);
    r_sub(e, e, mean);
    r_fma(tmp, e, e, tmp);
  }
  r_div_double(tmp, tmp, (double)K);
  r_add(var, var, tmp);
}

/* The instance's row (orth.c, header). */
static int FUNCTION(orth_put_row)(tc_record *out, const orth_config *c, REAL_SRCPTR G, REAL_SRCPTR var,
                                  REAL_SRCPTR bessel, REAL_SRCPTR mean2, REAL_PTR tmp)
{
  int status;
  r_set_double(tmp, (double)c->d);
  TC_TRY(record_put(out, "d", tmp));
  r_set_double(tmp, (double)c->K);
  TC_TRY(record_put(out, "F", tmp));
  TC_TRY(record_put(out, "G", G));
  TC_TRY(record_put(out, "var_half", var));
  r_mul_double(tmp, var, 4.0);
  TC_TRY(record_put(out, "var_grad", tmp));
  r_div_double(tmp, bessel, (double)c->K);
  TC_TRY(record_put(out, "m2", tmp));
  TC_TRY(record_put(out, "bessel", bessel));
  TC_TRY(record_put(out, "mean2", mean2));
  status = tc_record_end_row(out);
  tc_record_note(out, "d = %u, |F| = %zu, model %s, class %s", c->d, c->K, orth_models[c->model],
                 orth_classes[c->cls]);
done:
  return status;
}

/* Gm (P x np) <- the gradient's coordinates at the grid points of
 * [0, 2pi)^d (N = 2d + 1 per axis), F (K x np) <- sqrt(2) cos(w.x). */
static void FUNCTION(orth_cos_fill)(MAT *Gm, MAT *F, const unsigned *ws, const orth_config *c, const orth_inst *in,
                                    REAL_PTR *x, REAL_PTR z, REAL_PTR t, REAL_PTR pi)
{
  unsigned d = c->d;
  size_t N = 2 * d + 1, np = Gm->cols, m = c->width;
  for (size_t p = 0; p < np; p++) {
    size_t cc = p;
    for (unsigned l = 0; l < d; l++, cc /= N) { /* x_l = 2 pi j_l / N */
      r_mul_double(x[l], pi, 2.0 * (double)(cc % N));
      r_div_double(x[l], x[l], (double)N);
    }
    for (size_t w = 0; w < c->K; w++) {
      size_t mm = 0;
      cc = p;
      for (unsigned l = 0; l < d; l++, cc /= N)
        mm += ws[w * d + l] * (cc % N);
      r_mul_double(t, pi, 2.0 * (double)(4 * (mm % N) + N)); /* cos = sin(. + pi/2), exact integers */
      r_div_double(t, t, (double)(4 * N));
      r_sin(mat_at(F, w, p), t);
      r_set_si(t, 2);
      r_sqrt(t, t);
      r_mul(mat_at(F, w, p), mat_at(F, w, p), t);
    }
    if (c->model == ORTH_LINEAR) {
      for (unsigned l = 0; l < d; l++)
        r_set(mat_at(Gm, l, p), x[l]);
      r_set_si(mat_at(Gm, d, p), 1);
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      r_set_double(z, in->b[k]);
      for (unsigned l = 0; l < d; l++) {
        r_set_double(t, in->W[k * d + l]);
        r_fma(z, t, x[l], z);
      }
      int pos = r_sgn(z) > 0;
      size_t q = c->model == ORTH_RELU ? k * (d + 2) : k;
      if (pos)
        r_set(mat_at(Gm, q, p), z);
      else
        r_set_si(mat_at(Gm, q, p), 0);
      if (c->model != ORTH_RELU)
        continue;
      r_set_double(mat_at(Gm, q + 1, p), pos ? in->a[k] : 0.0);
      for (unsigned l = 0; l < d; l++)
        r_mul(mat_at(Gm, q + 2 + l, p), mat_at(Gm, q + 1, p), x[l]);
    }
  }
}

/* The cosine class: every correlation a direct sum over the grid. */
static int FUNCTION(orth_cos_measure)(tc_record *out, const orth_config *c, const orth_inst *in, mpfr_prec_t prec)
{
  unsigned d = c->d;
  size_t N = 2 * d + 1, np = 1, K = c->K;
  for (unsigned l = 0; l < d; l++)
    np *= N;
  size_t P = c->model == ORTH_LINEAR ? d + 1 : c->model == ORTH_RELU ? c->width * (d + 2) : c->width;
  unsigned *ws = malloc(K * d * sizeof *ws);
  MAT *Gm = mat_alloc(P, np, prec), *F = mat_alloc(K, np, prec);
  VEC *cf = vec_alloc(K, prec);
  REAL G, var, bessel, mean2, mean, tmp, z, pi, x0, x1, x2, x3;
  REAL_PTR rs[] = {G, var, bessel, mean2, mean, tmp, z, pi, x0, x1, x2, x3};
  REAL_PTR xs[] = {x0, x1, x2, x3};
  for (size_t i = 0; i < 12; i++) {
    r_init(rs[i], prec);
    r_set_si(rs[i], 0);
  }
  int status = TC_SUCCESS;
  if (!ws || !Gm || !F || !cf) {
    status = TC_ENOMEM;
    goto done;
  }
  orth_cos_list(ws, d);
  r_pi(pi);
  FUNCTION(orth_cos_fill)(Gm, F, ws, c, in, xs, z, tmp, pi);
  for (size_t q = 0; q < P; q++) {
    for (size_t p = 0; p < np; p++)
      r_fma(G, mat_at(Gm, q, p), mat_at(Gm, q, p), G);
    for (size_t w = 0; w < K; w++) {
      REAL_PTR e = vec_at(cf, w);
      r_set_si(e, 0);
      for (size_t p = 0; p < np; p++)
        r_fma(e, mat_at(F, w, p), mat_at(Gm, q, p), e);
      r_div_double(e, e, (double)np);
    }
    /* the class's correlations with coordinate q: cf, at shift 0, no masks */
    orth_inst plain = {0};
    orth_config cK = *c;
    FUNCTION(orth_accumulate)(var, bessel, mean2, cf, cf, 0, &cK, &plain, NULL, mean, tmp);
  }
  r_div_double(G, G, (double)np);
  status = FUNCTION(orth_put_row)(out, c, G, var, bessel, mean2, tmp);
done:
  free(ws);
  mat_free(Gm);
  mat_free(F);
  vec_free(cf);
  for (size_t i = 0; i < 12; i++)
    r_clear(rs[i]);
  return status;
}

static int FUNCTION(orth_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  orth_config c;
  orth_inst in;
  int status = orth_config_read(&c, inst->point, err, errlen);
  if (status)
    return status;
  mpfr_prec_t prec = ORTH_PREC(inst);
  VEC *v = NULL, *z = NULL, *cf = NULL;
  MAT *Q = NULL;
  REAL G, var, bessel, mean2, mean, tmp, t2;
  REAL_PTR reals[] = {G, var, bessel, mean2, mean, tmp, t2};
  for (size_t i = 0; i < 7; i++) {
    r_init(reals[i], prec);
    r_set_si(reals[i], 0);
  }
  if ((status = orth_inst_make(&in, &c, inst->tape))) {
    snprintf(err, errlen, "cannot draw the instance (theta or class)");
    goto done;
  }
  if (c.cls == ORTH_COSINE) {
    status = FUNCTION(orth_cos_measure)(out, &c, &in, prec);
    goto done;
  }
  size_t n = c.n, K = c.K;
  v = vec_alloc(n, prec);
  z = vec_alloc(n, prec);
  cf = vec_alloc(in.qraw ? 2 * K : K, prec);
  Q = in.qraw ? mat_alloc(K, K, prec) : NULL;
  if (!v || !z || !cf || (in.qraw && !Q)) {
    status = TC_ENOMEM;
    goto done;
  }
  if (Q)
    FUNCTION(orth_rotation)(Q, in.qraw, K, tmp, t2);
  for (size_t k = 0; k < orth_nbases(&c); k++) {
    FUNCTION(orth_base)(v, z, &c, &in, k, tmp);
    FUNCTION(orth_meansq)(t2, v, n, tmp);
    r_mul_double(t2, t2, (double)orth_nshifts(&c, k)); /* x_i^2 = 1 */
    r_add(G, G, t2);
    r_set_si(t2, 0);
    TC_TRY(vec_fwht(v));
    for (size_t t = 0; t < n; t++)
      r_div_double(vec_at(v, t), vec_at(v, t), (double)n);
    for (size_t s = 0; s < orth_nshifts(&c, k); s++) {
      if (Q) /* the raw correlations go to the upper half of cf */
        for (size_t l = 0; l < K; l++)
          r_set(vec_at(cf, K + l), vec_at(v, in.mask[l] ^ orth_shift_mask(s)));
      FUNCTION(orth_accumulate)(var, bessel, mean2, cf, v, orth_shift_mask(s), &c, &in, Q, mean, tmp);
    }
  }
  status = FUNCTION(orth_put_row)(out, &c, G, var, bessel, mean2, tmp);
done:
  orth_inst_free(&in);
  for (size_t i = 0; i < 7; i++)
    r_clear(reals[i]);
  vec_free(v);
  vec_free(z);
  vec_free(cf);
  mat_free(Q);
  return status;
}

#undef ORTH_PREC
