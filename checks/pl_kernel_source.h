/* pl_kernel_source.h — the pl-kernel measurement, written once in the
 * generic names of the operation list and instantiated once per backend
 * by pl_kernel.c (which documents the models, the rows and the error). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

typedef struct {
  size_t N, P;
  MAT *X;      /* N x p inputs (two-layer) or N x m design (linear) */
  double *v;   /* output weights +-1 (two-layer) */
  MAT *Jt;     /* DF^T, P x N */
  MAT *K;      /* N x N */
  VEC *F, *r, *g, *ev, *w, *y;
} FUNCTION(pk_ws);

/* F(w), DF(w)^T and r = F - y; tanh z = 1 - 2 / (e^{2z} + 1). */
static int FUNCTION(pk_model)(FUNCTION(pk_ws) *s, const pk_config *c, REAL_PTR t, REAL_PTR z)
{
  size_t N = c->N;
  int status = TC_SUCCESS;
  if (c->family == PK_LINEAR) {
    TC_TRY(mat_gemv(s->F, s->X, s->w));
    for (size_t i = 0; i < N; i++)
      for (size_t j = 0; j < c->m; j++)
        r_set(mat_at(s->Jt, j, i), mat_at(s->X, i, j));
  } else {
    double sc = 1.0 / sqrt((double)c->m);
    for (size_t i = 0; i < N; i++)
      r_set_si(vec_at(s->F, i), 0);
    for (size_t rr = 0; rr < c->m; rr++)
      for (size_t i = 0; i < N; i++) {
        r_set_si(z, 0);
        for (size_t j = 0; j < c->p; j++)
          r_fma(z, vec_at(s->w, rr * c->p + j), mat_at(s->X, i, j), z);
        r_mul_double(z, z, 2.0);
        r_exp(z, z);
        r_add_double(z, z, 1.0);
        r_set_si(t, 2);
        r_div(t, t, z);
        r_neg(t, t);
        r_add_double(t, t, 1.0); /* tanh */
        r_mul_double(z, t, sc * s->v[rr]);
        r_add(vec_at(s->F, i), vec_at(s->F, i), z);
        r_sqr(t, t);
        r_neg(t, t);
        r_add_double(t, t, 1.0);
        r_mul_double(t, t, sc * s->v[rr]); /* v_r sigma'(z) / sqrt(m) */
        for (size_t j = 0; j < c->p; j++)
          r_mul(mat_at(s->Jt, rr * c->p + j, i), t, mat_at(s->X, i, j));
      }
  }
  for (size_t i = 0; i < N; i++)
    r_sub(vec_at(s->r, i), vec_at(s->F, i), vec_at(s->y, i));
done:
  return status;
}

static void FUNCTION(pk_free)(FUNCTION(pk_ws) *s)
{
  MAT *mats[] = {s->X, s->Jt, s->K};
  for (size_t i = 0; i < 3; i++)
    if (mats[i])
      mat_free(mats[i]);
  VEC *vecs[] = {s->F, s->r, s->g, s->ev, s->w, s->y};
  for (size_t i = 0; i < 6; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  free(s->v);
}

/* The data in double (instance data, the same in both backends); y
 * random, or aligned: y = F(w_0) - u, u the eigenvector of lambda_min. */
static int FUNCTION(pk_setup)(FUNCTION(pk_ws) *s, const pk_config *c, gsl_rng *rng,
                              mpfr_prec_t prec, REAL_PTR t, REAL_PTR z)
{
  size_t N = c->N, cols = c->family == PK_LINEAR ? c->m : c->p;
  s->N = N;
  s->P = c->family == PK_LINEAR ? c->m : c->m * c->p;
  s->X = mat_alloc(N, cols, prec);
  s->Jt = mat_alloc(s->P, N, prec);
  s->K = mat_alloc(N, N, prec);
  s->F = vec_alloc(N, prec);
  s->r = vec_alloc(N, prec);
  s->g = vec_alloc(s->P, prec);
  s->ev = vec_alloc(N, prec);
  s->w = vec_alloc(s->P, prec);
  s->y = vec_alloc(N, prec);
  s->v = malloc(c->m * sizeof *s->v);
  if (!s->X || !s->Jt || !s->K || !s->F || !s->r || !s->g || !s->ev || !s->w || !s->y || !s->v)
    return TC_ENOMEM;
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < cols; j++)
      r_set_double(mat_at(s->X, i, j), gsl_ran_gaussian(rng, 1.0) / sqrt((double)cols));
  for (size_t rr = 0; rr < c->m; rr++)
    s->v[rr] = gsl_rng_uniform(rng) < 0.5 ? -1.0 : 1.0;
  for (size_t j = 0; j < s->P; j++)
    r_set_double(vec_at(s->w, j), gsl_ran_gaussian(rng, 1.0));
  for (size_t i = 0; i < N; i++)
    r_set_double(vec_at(s->y, i), gsl_ran_gaussian(rng, 1.0));
  if (c->start == PK_START_RANDOM)
    return TC_SUCCESS;
  int status = TC_SUCCESS;
  MAT *E = mat_alloc(N, N, prec);
  EIGENV_WS *ws = eigenv_ws_alloc(N, prec);
  if (!E || !ws) {
    status = TC_ENOMEM;
    goto done;
  }
  TC_TRY(FUNCTION(pk_model)(s, c, t, z));
  TC_TRY(mat_gram(s->K, s->Jt));
  TC_TRY(eigen_symmv(s->ev, E, s->K, ws));
  /* The eigenvector's sign is the solver's choice (LAPACK and Jacobi
   * differ): fix it so that its largest-magnitude entry is positive, or
   * the two backends would start different flows. */
  size_t imax = 0;
  for (size_t i = 1; i < N; i++) {
    r_abs(t, mat_at(E, i, 0));
    r_abs(z, mat_at(E, imax, 0));
    if (r_cmp(t, z) > 0)
      imax = i;
  }
  int flip = r_sgn(mat_at(E, imax, 0)) < 0;
  for (size_t i = 0; i < N; i++) {
    if (flip)
      r_add(vec_at(s->y, i), vec_at(s->F, i), mat_at(E, i, 0));
    else
      r_sub(vec_at(s->y, i), vec_at(s->F, i), mat_at(E, i, 0));
  }
done:
  if (E)
    mat_free(E);
  if (ws)
    eigenv_ws_free(ws);
  return status;
}

static int FUNCTION(pk_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  pk_config c;
  int status = pk_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  FUNCTION(pk_ws) s = {0};
  EIGEN_WS *ews = eigen_ws_alloc(c.N, prec);
  REAL t, z, loss, gn, lmin, lmax, e, s0, u;
  REAL_PTR reals[] = {t, z, loss, gn, lmin, lmax, e, s0, u};
  for (size_t i = 0; i < 9; i++)
    r_init(reals[i], prec);
  status = rng && ews ? FUNCTION(pk_setup)(&s, &c, rng, prec, t, z) : TC_ENOMEM;
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  for (long k = 0; k <= c.iterations && status == TC_SUCCESS; k++) {
    TC_TRY(FUNCTION(pk_model)(&s, &c, t, z));
    TC_TRY(mat_gram(s.K, s.Jt));
    TC_TRY(eigen_symm(s.ev, s.K, ews));
    r_set(lmin, vec_at(s.ev, 0));
    r_set(lmax, vec_at(s.ev, c.N - 1));
    TC_TRY(mat_gemv(s.g, s.Jt, s.r));
    TC_TRY(vec_dot(gn, s.g, s.g));
    TC_TRY(vec_dot(loss, s.r, s.r));
    r_mul(e, loss, lmax);
    r_add(e, e, gn);
    r_mul(e, e, u);
    r_mul_double(e, e, 16.0 * (double)(c.N + s.P));
    r_mul_double(loss, loss, 0.5);
    if ((status = tc_record_put_double(out, "k", (double)k)) || (status = record_put(out, "loss", loss)) ||
        (status = record_put(out, "gnorm2", gn)) || (status = record_put(out, "lam_min", lmin)) ||
        (status = record_put(out, "lam_max", lmax)) || (status = record_put(out, "err", e)) ||
        (status = tc_record_end_row(out)))
      break;
    if (k == 0) { /* s = step / lambda_max(K(w_0)) */
      r_set_double(s0, -c.step);
      r_div(s0, s0, lmax);
    }
    TC_TRY(vec_axpy(s.w, s0, s.g));
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s N=%zu P=%zu: lambda_min(K) at w_K %.6g, lambda_max %.6g; loss at K %.6g; "
                   "start=%s", pk_families[c.family], c.N, s.P, r_get_double(lmin),
                   r_get_double(lmax), r_get_double(loss), pk_starts[c.start]);
  else if (!err[0])
    snprintf(err, errlen, "pl-kernel: %s", tc_strerror(status));
done:
  for (size_t i = 0; i < 9; i++)
    r_clear(reals[i]);
  FUNCTION(pk_free)(&s);
  if (ews)
    eigen_ws_free(ews);
  if (rng)
    gsl_rng_free(rng);
  return status;
}
