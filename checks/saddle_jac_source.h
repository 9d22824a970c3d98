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

/* The features kind's workspace: W (m x dim) and its transpose, the data X
 * (dim x n), Phi = sigma(W X) (m x n), its Gram matrix G with eigenpairs
 * (ev, Ev), the targets y, and the scalars of the row. */
typedef struct {
  MAT *W, *Wt, *X, *P, *G, *Ev;
  VEC *ev, *y;
  EIGENV_WS *ws;
  size_t nnull; /* eigenvalues of G at or below the rounding level tau */
  REAL t, res, u, tau, wmin, e, yn, gap;
} FUNCTION(jac_feat_ws);

#define JAC_FEAT_REALS(w) {(w)->t, (w)->res, (w)->u, (w)->tau, (w)->wmin, (w)->e, (w)->yn, (w)->gap}

static int FUNCTION(jac_feat_ws_init)(FUNCTION(jac_feat_ws) *w, const jac_config *c,
                                      mpfr_prec_t prec)
{
  size_t m = c->m, n = c->n, dim = c->dim;
  w->W = mat_alloc(m, dim, prec);
  w->Wt = mat_alloc(dim, m, prec);
  w->X = mat_alloc(dim, n, prec);
  w->P = mat_alloc(m, n, prec);
  w->G = mat_alloc(n, n, prec);
  w->Ev = mat_alloc(n, n, prec);
  w->ev = vec_alloc(n, prec);
  w->y = vec_alloc(n, prec);
  w->ws = eigenv_ws_alloc(n, prec);
  w->nnull = 0;
  REAL_PTR reals[] = JAC_FEAT_REALS(w);
  for (size_t i = 0; i < 8; i++)
    r_init(reals[i], prec);
  return !w->W || !w->Wt || !w->X || !w->P || !w->G || !w->Ev || !w->ev || !w->y || !w->ws
             ? TC_ENOMEM
             : TC_SUCCESS;
}

static void FUNCTION(jac_feat_ws_free)(FUNCTION(jac_feat_ws) *w)
{
  REAL_PTR reals[] = JAC_FEAT_REALS(w);
  for (size_t i = 0; i < 8; i++)
    r_clear(reals[i]);
  MAT *mats[] = {w->W, w->Wt, w->X, w->P, w->G, w->Ev};
  for (size_t i = 0; i < 6; i++)
    if (mats[i])
      mat_free(mats[i]);
  if (w->ev)
    vec_free(w->ev);
  if (w->y)
    vec_free(w->y);
  if (w->ws)
    eigenv_ws_free(w->ws);
}

/* X, W and y drawn in double (in this order, so both backends see the same
 * numbers), x_2 = 2 x_1 for data = parallel, then Phi = sigma(W X) (relu;
 * linear leaves W X). */
static int FUNCTION(jac_feat_draw)(FUNCTION(jac_feat_ws) *w, const jac_config *c, gsl_rng *rng)
{
  size_t m = c->m, n = c->n, dim = c->dim;
  for (size_t j = 0; j < n; j++)
    for (size_t i = 0; i < dim; i++)
      r_set_double(mat_at(w->X, i, j), gsl_ran_gaussian(rng, 1.0));
  if (c->data == 1)
    for (size_t i = 0; i < dim; i++)
      r_mul_double(mat_at(w->X, i, 1), mat_at(w->X, i, 0), 2.0); /* x_2 = 2 x_1 */
  for (size_t a = 0; a < m; a++)
    for (size_t i = 0; i < dim; i++) {
      r_set_double(mat_at(w->W, a, i), gsl_ran_gaussian(rng, 1.0));
      r_set(mat_at(w->Wt, i, a), mat_at(w->W, a, i));
    }
  for (size_t j = 0; j < n; j++)
    r_set_double(vec_at(w->y, j), gsl_ran_gaussian(rng, 1.0));
  int status = mat_gemm(w->P, w->W, w->X);
  if (status == TC_SUCCESS && c->act == 0)
    for (size_t a = 0; a < m; a++)
      for (size_t j = 0; j < n; j++)
        if (r_sgn(mat_at(w->P, a, j)) < 0)
          r_set_si(mat_at(w->P, a, j), 0);
  return status;
}

/* The least-squares residual of Phi^T a = y: the norm of y's projection on
 * the eigenvectors of Phi^T Phi whose eigenvalues are at or below tau =
 * 64 (n + m) u lambda_max (numerically zero), and its error res_err. */
static int FUNCTION(jac_feat_residual)(FUNCTION(jac_feat_ws) *w, const jac_config *c,
                                       mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t m = c->m, n = c->n;
  TC_TRY(mat_gram(w->G, w->P));
  TC_TRY(eigen_symmv(w->ev, w->Ev, w->G, w->ws));
  FUNCTION(tc_quad_unit_roundoff)(w->u, prec);
  r_mul(w->tau, vec_at(w->ev, n - 1), w->u);
  r_mul_double(w->tau, w->tau, 64.0 * (double)(n + m));
  r_set_si(w->res, 0);
  r_set_double(w->gap, INFINITY);
  for (size_t k = 0; k < n; k++) {
    if (r_cmp(vec_at(w->ev, k), w->tau) > 0) {
      r_min(w->gap, w->gap, vec_at(w->ev, k));
      continue;
    }
    w->nnull++;
    r_set_si(w->t, 0);
    for (size_t j = 0; j < n; j++)
      r_fma(w->t, mat_at(w->Ev, j, k), vec_at(w->y, j), w->t);
    r_fma(w->res, w->t, w->t, w->res);
  }
  r_sqrt(w->res, w->res);
  /* res_err: eigenvectors move by ~ (n + m) u lambda_max / gap, so the
   * projection of y by that times ||y||; margin 16. */
  TC_TRY(vec_norm2(w->yn, w->y));
  r_div(w->e, vec_at(w->ev, n - 1), w->gap);
  r_mul(w->e, w->e, w->u);
  r_mul(w->e, w->e, w->yn);
  r_mul_double(w->e, w->e, 16.0 * (double)(n + m));
done:
  return status;
}

/* Phi = sigma(W X), W (m x dim), X (dim x n) drawn in double; the least
 * squares residual of Phi^T a = y from the eigen-decomposition of Phi^T Phi. */
static int FUNCTION(jac_features)(tc_record *out, const jac_config *c, gsl_rng *rng,
                                  mpfr_prec_t prec)
{
  size_t m = c->m, n = c->n, dim = c->dim;
  FUNCTION(jac_feat_ws) w;
  int status = FUNCTION(jac_feat_ws_init)(&w, c, prec);
  if (status)
    goto done;
  TC_TRY(FUNCTION(jac_feat_draw)(&w, c, rng));
  /* W full rank: its smallest singular value (of the min(m, dim) ones) */
  TC_TRY(FUNCTION(jac_gram_lmin)(w.wmin, m >= dim ? w.W : w.Wt, prec));
  r_set_si(w.t, 0);
  r_max(w.wmin, w.wmin, w.t);
  r_sqrt(w.wmin, w.wmin);
  TC_TRY(FUNCTION(jac_feat_residual)(&w, c, prec));
  r_set_double(w.t, (double)(n - w.nnull));
  if ((status = record_put(out, "residual", w.res)) || (status = record_put(out, "res_err", w.e)) ||
      (status = record_put(out, "rank_phi", w.t)) || (status = record_put(out, "w_smin", w.wmin)) ||
      (status = tc_record_put_double(out, "n", (double)n)) ||
      (status = tc_record_put_double(out, "m", (double)m)))
    goto done;
  status = tc_record_end_row(out);
  if (status == TC_SUCCESS)
    tc_record_note(out, "features %s data=%s: m=%zu n=%zu dim=%zu, sigma_min(W)=%.4g, rank sigma(WX)=%zu, "
                   "least-squares residual %.4g", jac_acts[c->act], jac_data[c->data], m, n, dim,
                   r_get_double(w.wmin), n - w.nnull, r_get_double(w.res));
done:
  FUNCTION(jac_feat_ws_free)(&w);
  return status;
}

#undef JAC_FEAT_REALS

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
