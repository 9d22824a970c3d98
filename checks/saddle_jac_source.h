/* saddle_jac_source.h — the saddle-jac measurements in the generic names of
 * tc_templates_on.h; saddle_jac.c documents the three kinds and the rows. */

#include "quadratic_source.h"

/* lambda_min of the Gram matrix M^T M (M rows x cols). */
static int FUNCTION(jac_gram_lmin)(REAL_PTR lmin, const MAT *M, mpfr_prec_t prec)
{
  size_t k = M->cols;
  int status = TC_SUCCESS;
  MAT *G = mat_alloc(k, k, prec);
  VEC *ev = vec_alloc(k, prec);
  EIGEN_WS *w = eigen_ws_alloc(k, prec);
  if (!G || !ev || !w) {
    status = TC_ENOMEM;
    goto done;
  }
  TC_TRY(mat_gram(G, M));
  TC_TRY(eigen_symm(ev, G, w));
  r_set(lmin, vec_at(ev, 0));
done:
  if (G)
    mat_free(G);
  if (ev)
    vec_free(ev);
  if (w)
    eigen_ws_free(w);
  return status;
}

static int FUNCTION(jac_jacobian)(tc_record *out, const jac_config *c, gsl_rng *rng, mpfr_prec_t prec)
{
  size_t p = c->p, n = c->n;
  int status = TC_SUCCESS;
  MAT *U = mat_alloc(p, p, prec), *V = mat_alloc(n, n, prec), *J = mat_alloc(p, n, prec);
  VEC *r = vec_alloc(n, prec), *jr = vec_alloc(p, prec);
  REAL t, rn, jn, smin, u, e;
  REAL_PTR reals[] = {t, rn, jn, smin, u, e};
  for (size_t i = 0; i < 6; i++)
    r_init(reals[i], prec);
  double sv[JAC_MAX];
  if (!U || !V || !J || !r || !jr) {
    status = TC_ENOMEM;
    goto done;
  }
  for (size_t k = 0; k < n; k++)
    sv[k] = n > 1 ? pow(c->cond, -(double)k / (double)(n - 1)) : 1.0;
  TC_TRY(FUNCTION(tc_quad_orthogonal)(U, rng, prec));
  TC_TRY(FUNCTION(tc_quad_orthogonal)(V, rng, prec));
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < n; b++) {
      r_set_si(mat_at(J, a, b), 0);
      for (size_t k = 0; k < n; k++) {
        r_mul_double(t, mat_at(U, a, k), sv[k]);
        r_fma(mat_at(J, a, b), t, mat_at(V, b, k), mat_at(J, a, b));
      }
    }
  for (size_t i = 0; i < n; i++) {
    if (c->start == 1) {
      r_set(vec_at(r, i), mat_at(V, i, n - 1)); /* sigma_min's right singular vector */
    } else if (c->loss == 1) {
      double f = 2 * gsl_ran_gaussian(rng, 1.0), y = gsl_rng_uniform(rng) < 0.5 ? -1.0 : 1.0;
      r_set_double(vec_at(r, i), -y / (1 + exp(y * f)));
    } else {
      r_set_double(vec_at(r, i), gsl_ran_gaussian(rng, 1.0));
    }
  }
  TC_TRY(vec_norm2(rn, r));
  TC_TRY(mat_gemv(jr, J, r));
  TC_TRY(vec_norm2(jn, jr));
  TC_TRY(FUNCTION(jac_gram_lmin)(smin, J, prec));
  if (r_sgn(smin) <= 0) {
    status = TC_EFAILED; /* sigma_min^2 rounded to <= 0: the bound is meaningless */
    goto done;
  }
  r_sqrt(smin, smin);
  /* jr_err: lambda_min of the Gram has absolute error ~ (p + n) u lambda_max,
   * i.e. relative (p + n) u cond^2; sqrt halves it; margin 16. */
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  r_div(e, jn, smin);
  r_mul(e, e, u);
  r_mul_double(e, e, 16.0 * (double)(p + n) * (1.0 + c->cond * c->cond));
  if ((status = record_put(out, "rnorm", rn)) || (status = record_put(out, "jrnorm", jn)) ||
      (status = record_put(out, "smin", smin)) || (status = record_put(out, "jr_err", e)))
    goto done;
  status = tc_record_end_row(out);
done:
  for (size_t i = 0; i < 6; i++)
    r_clear(reals[i]);
  if (U)
    mat_free(U);
  if (V)
    mat_free(V);
  if (J)
    mat_free(J);
  if (r)
    vec_free(r);
  if (jr)
    vec_free(jr);
  return status;
}

/* log(1 + t) for t in [0, 1], by its series below 1e-4 (t = e^{-|z|}
 * underflows 1 + t to 1 long before t does). */
static void FUNCTION(jac_log1p)(REAL_PTR out, REAL_SRCPTR t, REAL_PTR s)
{
  if (r_get_double(t) < 1e-4) {
    /* t (1 - t/2 + t^2/3 - t^3/4): error t^5/5 < 1e-20 t */
    r_div_double(s, t, -4.0);
    r_add_double(s, s, 1.0 / 3.0);
    r_mul(s, s, t);
    r_add_double(s, s, -0.5);
    r_mul(s, s, t);
    r_add_double(s, s, 1.0);
    r_mul(out, s, t);
  } else {
    r_add_double(s, t, 1.0);
    r_log(out, s);
  }
}

static int FUNCTION(jac_loss)(tc_record *out, const jac_config *c, mpfr_prec_t prec)
{
  REAL z, t, l, s;
  REAL_PTR reals[] = {z, t, l, s};
  for (size_t i = 0; i < 4; i++)
    r_init(reals[i], prec);
  r_set_double(z, c->z);
  if (c->loss == 1) {
    /* t = e^{-|z|} (may underflow in double: then t = 0 and the limits
     * below are exact).  z >= 0: l = log(1 + t), |l'| = t / (1 + t), so
     * ratio = (1 + t) log(1 + t) / t.  z < 0: l = |z| + log(1 + t),
     * |l'| = 1 / (1 + t), ratio = (|z| + log(1 + t)) (1 + t). */
    r_abs(t, z);
    r_neg(t, t);
    r_exp(t, t);
    if (c->z >= 0) {
      if (r_get_double(t) < 1e-4) {
        /* log(1 + t) / t = 1 - t/2 + t^2/3 - t^3/4 + ..., error < t^4/5 */
        r_div_double(s, t, -4.0);
        r_add_double(s, s, 1.0 / 3.0);
        r_mul(s, s, t);
        r_add_double(s, s, -0.5);
        r_mul(s, s, t);
        r_add_double(l, s, 1.0);
      } else {
        FUNCTION(jac_log1p)(l, t, s);
        r_div(l, l, t);
      }
    } else {
      FUNCTION(jac_log1p)(l, t, s);
      r_sub(l, l, z);
    }
    r_add_double(s, t, 1.0);
    r_mul(l, l, s);
  } else {
    /* square: l / |l'| = |z| / 2 (its limit 0 at z = 0) */
    r_abs(l, z);
    r_mul_double(l, l, 0.5);
  }
  r_abs(t, z);
  int status;
  if (!(status = record_put(out, "ratio", l)) && !(status = record_put(out, "z", z)) &&
      !(status = record_put(out, "absz", t)))
    status = tc_record_end_row(out);
  for (size_t i = 0; i < 4; i++)
    r_clear(reals[i]);
  return status;
}

/* Phi = sigma(W X), W (m x dim), X (dim x n) drawn in double; the least
 * squares residual of Phi^T a = y from the eigen-decomposition of Phi^T Phi. */
static int FUNCTION(jac_features)(tc_record *out, const jac_config *c, gsl_rng *rng,
                                  mpfr_prec_t prec)
{
  size_t m = c->m, n = c->n, dim = c->dim;
  int status = TC_SUCCESS;
  MAT *W = mat_alloc(m, dim, prec), *Wt = mat_alloc(dim, m, prec), *X = mat_alloc(dim, n, prec);
  MAT *P = mat_alloc(m, n, prec), *G = mat_alloc(n, n, prec), *Ev = mat_alloc(n, n, prec);
  VEC *ev = vec_alloc(n, prec), *y = vec_alloc(n, prec);
  EIGENV_WS *ws = eigenv_ws_alloc(n, prec);
  REAL t, res, u, tau, wmin, e, yn, gap;
  REAL_PTR reals[] = {t, res, u, tau, wmin, e, yn, gap};
  for (size_t i = 0; i < 8; i++)
    r_init(reals[i], prec);
  if (!W || !Wt || !X || !P || !G || !Ev || !ev || !y || !ws) {
    status = TC_ENOMEM;
    goto done;
  }
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i < dim; i++)
      r_set_double(mat_at(X, i, j), gsl_ran_gaussian(rng, 1.0));
  if (c->data == 1)
    for (size_t i = 0; i < dim; i++)
      r_mul_double(mat_at(X, i, 1), mat_at(X, i, 0), 2.0); /* x_2 = 2 x_1 */
  for (size_t a = 0; a < m; a++)
    for (size_t i = 0; i < dim; i++) {
      r_set_double(mat_at(W, a, i), gsl_ran_gaussian(rng, 1.0));
      r_set(mat_at(Wt, i, a), mat_at(W, a, i));
    }
  for (size_t j = 0; j < n; j++)
    r_set_double(vec_at(y, j), gsl_ran_gaussian(rng, 1.0));
  TC_TRY(mat_gemm(P, W, X));
  if (c->act == 0)
    for (size_t a = 0; a < m; a++)
      for (size_t j = 0; j < n; j++)
        if (r_sgn(mat_at(P, a, j)) < 0)
          r_set_si(mat_at(P, a, j), 0);
  /* W full rank: its smallest singular value (of the min(m, dim) ones) */
  TC_TRY(FUNCTION(jac_gram_lmin)(wmin, m >= dim ? W : Wt, prec));
  r_set_si(t, 0);
  r_max(wmin, wmin, t);
  r_sqrt(wmin, wmin);
  TC_TRY(mat_gram(G, P));
  TC_TRY(eigen_symmv(ev, Ev, G, ws));
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  r_mul(tau, vec_at(ev, n - 1), u);
  r_mul_double(tau, tau, 64.0 * (double)(n + m));
  r_set_si(res, 0);
  r_set_double(gap, INFINITY);
  size_t nnull = 0;
  for (size_t k = 0; k < n; k++) {
    if (r_cmp(vec_at(ev, k), tau) > 0) {
      r_min(gap, gap, vec_at(ev, k));
      continue;
    }
    nnull++;
    r_set_si(t, 0);
    for (size_t j = 0; j < n; j++)
      r_fma(t, mat_at(Ev, j, k), vec_at(y, j), t);
    r_fma(res, t, t, res);
  }
  r_sqrt(res, res);
  /* res_err: eigenvectors move by ~ (n + m) u lambda_max / gap, so the
   * projection of y by that times ||y||; margin 16. */
  TC_TRY(vec_norm2(yn, y));
  r_div(e, vec_at(ev, n - 1), gap);
  r_mul(e, e, u);
  r_mul(e, e, yn);
  r_mul_double(e, e, 16.0 * (double)(n + m));
  r_set_double(t, (double)(n - nnull));
  if ((status = record_put(out, "residual", res)) || (status = record_put(out, "res_err", e)) ||
      (status = record_put(out, "rank_phi", t)) || (status = record_put(out, "w_smin", wmin)) ||
      (status = tc_record_put_double(out, "n", (double)n)) ||
      (status = tc_record_put_double(out, "m", (double)m)))
    goto done;
  status = tc_record_end_row(out);
  if (status == TC_SUCCESS)
    tc_record_note(out, "features %s data=%s: m=%zu n=%zu dim=%zu, sigma_min(W)=%.4g, rank sigma(WX)=%zu, "
                   "least-squares residual %.4g", jac_acts[c->act], jac_data[c->data], m, n, dim,
                   r_get_double(wmin), n - nnull, r_get_double(res));
done:
  for (size_t i = 0; i < 8; i++)
    r_clear(reals[i]);
  MAT *mats[] = {W, Wt, X, P, G, Ev};
  for (size_t i = 0; i < 6; i++)
    if (mats[i])
      mat_free(mats[i]);
  if (ev)
    vec_free(ev);
  if (y)
    vec_free(y);
  if (ws)
    eigenv_ws_free(ws);
  return status;
}

static int FUNCTION(saddle_jac_measure)(tc_record *out, const tc_instance *inst, char *err,
                                        size_t errlen)
{
  jac_config c;
  jac_config_read(&c, inst->point);
  if (c.kind < 0 || c.loss < 0 || c.start < 0 || c.data < 0 || c.act < 0) {
    snprintf(err, errlen, "unknown kind, loss, start, data or act");
    return TC_EDOM;
  }
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  if (rng == NULL)
    return TC_ENOMEM;
  int status = c.kind == JAC_JACOBIAN ? FUNCTION(jac_jacobian)(out, &c, rng, prec)
               : c.kind == JAC_LOSS   ? FUNCTION(jac_loss)(out, &c, prec)
                                      : FUNCTION(jac_features)(out, &c, rng, prec);
  if (status == TC_EFAILED)
    snprintf(err, errlen, "sigma_min(J)^2 rounded to <= 0 (cond too large for this precision)");
  gsl_rng_free(rng);
  return status;
}
