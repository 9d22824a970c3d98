/* pl_remarks_source.h — the pl-remarks measurement, written once in the
 * generic names of the operation list and instantiated once per backend
 * by pl_remarks.c (which documents the families, rows and errors). */

#include "quadratic_source.h" /* its generic helpers, for this backend */


static int FUNCTION(pr_row)(tc_record *out, long j, REAL_PTR *v, const pr_config *c, size_t rank)
{
  int status = tc_record_put_double(out, "j", (double)j);
  for (int i = 0; i < PRV_N && status == TC_SUCCESS; i++)
    status = record_put(out, pr_names[i], v[i]);
  if (status == TC_SUCCESS)
    status = tc_record_put_double(out, "N", (double)c->N);
  if (status == TC_SUCCESS)
    status = tc_record_put_double(out, "d", (double)c->d);
  if (status == TC_SUCCESS)
    status = tc_record_put_double(out, "rank", (double)rank);
  if (status == TC_SUCCESS)
    status = tc_record_put_double(out, "nulldim", (double)(c->d - rank));
  return status ? status : tc_record_end_row(out);
}

/* e <- column k of Q, or a Gaussian vector when k < 0. */
static void FUNCTION(pr_direction)(VEC *e, const MAT *Q, long k, gsl_rng *rng)
{
  for (size_t i = 0; i < e->n; i++) {
    if (k >= 0)
      r_set(vec_at(e, i), mat_at(Q, i, (size_t)k));
    else
      r_set_double(vec_at(e, i), gsl_ran_gaussian(rng, 1.0));
  }
}

/* A quadratic instance A = Q diag(lam) Q^T with its computed spectrum
 * ev, scratch for the points (e, Ae) and the scalars, shared by the
 * phases of pr_quadratic. */
typedef struct {
  size_t d, nz;
  int indef;
  mpfr_prec_t prec;
  double *lam;
  MAT *Q, *A;
  VEC *e, *Ae, *ev;
  EIGEN_WS *ws;
  REAL u, ne, nae, t, Lam;
} FUNCTION(pr_quad);

/* r_init (init != 0) or r_clear every scalar of s: one list for both. */
static void FUNCTION(pr_quad_scalars)(FUNCTION(pr_quad) *s, int init)
{
  REAL_PTR all[] = {s->u, s->ne, s->nae, s->t, s->Lam};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (init)
      r_init(all[i], s->prec);
    else
      r_clear(all[i]);
  }
}

/* Draws the number of zero eigenvalues (rng's first draw: the order of
 * the draws is what fixes the instance for a seed) and allocates; s is
 * safe to pass to pr_quad_free even when this fails.  u = the unit
 * roundoff of the backend. */
static int FUNCTION(pr_quad_alloc)(FUNCTION(pr_quad) *s, const pr_config *c, gsl_rng *rng,
                                   mpfr_prec_t prec)
{
  size_t d = c->d;
  s->d = d;
  s->nz = c->family == PR_SINGULAR ? tc_quad_nzero(d, rng) : 0;
  s->indef = c->family == PR_INDEFINITE;
  s->prec = prec;
  s->lam = malloc(d * sizeof *s->lam);
  s->Q = mat_alloc(d, d, prec);
  s->A = mat_alloc(d, d, prec);
  s->e = vec_alloc(d, prec);
  s->Ae = vec_alloc(d, prec);
  s->ev = vec_alloc(d, prec);
  s->ws = eigen_ws_alloc(d, prec);
  FUNCTION(pr_quad_scalars)(s, 1);
  FUNCTION(tc_quad_unit_roundoff)(s->u, prec);
  if (!s->lam || !s->Q || !s->A || !s->e || !s->Ae || !s->ev || !s->ws)
    return TC_ENOMEM;
  return TC_SUCCESS;
}

static void FUNCTION(pr_quad_free)(FUNCTION(pr_quad) *s)
{
  FUNCTION(pr_quad_scalars)(s, 0);
  free(s->lam);
  mat_free(s->Q);
  mat_free(s->A);
  vec_free(s->e);
  vec_free(s->Ae);
  vec_free(s->ev);
  if (s->ws)
    eigen_ws_free(s->ws);
}

/* A, and the constants of the row measured from it: lambda_max, the
 * Hessian norm Lam = max |lambda| (constant Hessian: the sup is
 * ||A||_2), mu_pl and mu_sc (0 when indefinite; mu_sc 0 when singular). */
static int FUNCTION(pr_quad_matrix)(FUNCTION(pr_quad) *s, const pr_config *c, gsl_rng *rng,
                                    REAL_PTR *v, char *err, size_t errlen)
{
  int status = TC_SUCCESS;
  size_t d = s->d;
  mpfr_prec_t prec = s->prec;
  if (s->indef)
    pr_indefinite_spectrum(s->lam, d, c->kappa, rng);
  else
    tc_quad_spectrum(s->lam, d, s->nz, c->kappa, rng);
  TC_TRY(FUNCTION(tc_quad_orthogonal)(s->Q, rng, prec));
  FUNCTION(tc_quad_form)(s->A, s->Q, s->lam, prec);
  TC_TRY(eigen_symm(s->ev, s->A, s->ws));
  r_set(v[PRV_LMAX], vec_at(s->ev, d - 1));
  r_abs(s->Lam, vec_at(s->ev, 0));
  r_max(s->Lam, s->Lam, v[PRV_LMAX]);
  r_set(v[PRV_HNORM], s->Lam);
  if (s->indef) {
    r_set_si(v[PRV_MUSC], 0);
    r_set_si(v[PRV_MUPL], 0);
  } else {
    TC_TRY(FUNCTION(tc_quad_mu_L)(v[PRV_MUPL], s->t, s->A, s->nz, prec, err, errlen));
    if (s->nz)
      r_set_si(v[PRV_MUSC], 0);
    else
      r_set(v[PRV_MUSC], v[PRV_MUPL]);
  }
done:
  return status;
}

/* Point j's values: gap and gradsq at e (e = the direction `dir` of
 * pr_direction) with their error, and lip from a fresh difference delta
 * (the same direction for j < 2). */
static int FUNCTION(pr_quad_point)(FUNCTION(pr_quad) *s, long j, long dir, gsl_rng *rng,
                                   REAL_PTR *v)
{
  int status = TC_SUCCESS;
  FUNCTION(pr_direction)(s->e, s->Q, dir, rng);
  TC_TRY(mat_gemv(s->Ae, s->A, s->e));
  TC_TRY(vec_dot(v[PRV_GAP], s->e, s->Ae));
  r_mul_double(v[PRV_GAP], v[PRV_GAP], 0.5);
  TC_TRY(vec_dot(v[PRV_GRADSQ], s->Ae, s->Ae));
  TC_TRY(vec_norm2(s->ne, s->e));
  r_sqrt(s->nae, v[PRV_GRADSQ]);
  r_mul(s->t, v[PRV_MUPL], s->ne);
  r_add(s->t, s->t, s->nae);
  r_mul(s->t, s->t, s->ne);
  r_mul(s->t, s->t, s->Lam);
  r_mul(s->t, s->t, s->u);
  r_mul_double(v[PRV_ERR], s->t, 32.0 * (double)s->d);
  if (j >= 2) {
    FUNCTION(pr_direction)(s->e, s->Q, -1, rng);
    TC_TRY(mat_gemv(s->Ae, s->A, s->e));
    TC_TRY(vec_norm2(s->ne, s->e));
    TC_TRY(vec_norm2(s->nae, s->Ae));
  }
  r_div(v[PRV_LIP], s->nae, s->ne);
  r_mul(s->t, s->Lam, s->u);
  r_mul_double(v[PRV_LIPERR], s->t, 32.0 * (double)s->d);
done:
  return status;
}

/* The three quadratic families: A = Q diag(lam) Q^T, points e = x - x*
 * (a minimiser), differences delta = x - y. */
static int FUNCTION(pr_quadratic)(tc_record *out, const pr_config *c, gsl_rng *rng, REAL_PTR *v,
                                  mpfr_prec_t prec, char *err, size_t errlen)
{
  FUNCTION(pr_quad) s;
  int status = FUNCTION(pr_quad_alloc)(&s, c, rng, prec);
  if (status == TC_SUCCESS)
    status = FUNCTION(pr_quad_matrix)(&s, c, rng, v, err, errlen);
  size_t d = s.d, nz = s.nz;
  /* j = 0: the direction of mu_pl (of lambda_max = 1 if indefinite);
   * j = 1: the direction of the largest |lambda|; then Gaussian. */
  long slow = s.indef ? (long)d - 1 : (long)nz, big = s.indef ? 0 : (long)d - 1;
  for (long j = 0; j < c->points && status == TC_SUCCESS; j++) {
    status = FUNCTION(pr_quad_point)(&s, j, j == 0 ? slow : j == 1 ? big : -1, rng, v);
    if (status == TC_SUCCESS)
      status = FUNCTION(pr_row)(out, j, v, c, d - nz);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu: lambda in [%.6g, %.6g], mu_pl %.6g, %zu zero eigenvalues",
                   pr_families[c->family], d, r_get_double(vec_at(s.ev, 0)),
                   r_get_double(vec_at(s.ev, d - 1)), r_get_double(v[PRV_MUPL]), nz);
  FUNCTION(pr_quad_free)(&s);
  return status;
}

/* |1 - 3 z^2| maximised over z between a and b: at an end, or 1 at z = 0. */
static void FUNCTION(pr_quartic_hmax)(REAL_PTR h, REAL_SRCPTR a, REAL_SRCPTR b, REAL_PTR t)
{
  r_sqr(t, a);
  r_mul_double(t, t, -3.0);
  r_add_double(t, t, 1.0);
  r_abs(h, t);
  r_sqr(t, b);
  r_mul_double(t, t, -3.0);
  r_add_double(t, t, 1.0);
  r_abs(t, t);
  r_max(h, h, t);
  if (r_sgn(a) * r_sgn(b) <= 0) {
    r_set_si(t, 1);
    r_max(h, h, t);
  }
}

/* The quartic sum_j (x_j^2/2 - x_j^4/4): grad_j = x_j - x_j^3, and
 * grad_j(x) - grad_j(y) = (x_j - y_j)(1 - (x_j^2 + x_j y_j + y_j^2)),
 * computed in that factored form so lip has no cancellation. */
static int FUNCTION(pr_quartic)(tc_record *out, const pr_config *c, gsl_rng *rng, REAL_PTR *v,
                                mpfr_prec_t prec)
{
  size_t d = c->d;
  int status = TC_SUCCESS;
  double R = c->radius;
  REAL x, y, t, s, dg, dx, h, u;
  REAL_PTR loc[] = {x, y, t, s, dg, dx, h, u};
  for (size_t i = 0; i < 8; i++)
    r_init(loc[i], prec);
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  r_set_si(v[PRV_MUSC], 0);
  r_set_si(v[PRV_MUPL], 0);
  r_set_si(v[PRV_LMAX], 1); /* sup_x (1 - 3 x_j^2) = 1, at x = 0 */
  for (long j = 0; j < c->points && status == TC_SUCCESS; j++) {
    r_set_si(v[PRV_GAP], 0);
    r_set_si(v[PRV_GRADSQ], 0);
    r_set_si(v[PRV_HNORM], 0);
    r_set_si(dg, 0);
    r_set_si(dx, 0);
    for (size_t i = 0; i < d; i++) {
      /* j = 0: x = R 1, y = (R/2) 1, where the quartic term dominates */
      r_set_double(x, j == 0 ? R : R * (2 * gsl_rng_uniform(rng) - 1));
      r_set_double(y, j == 0 ? R / 2 : R * (2 * gsl_rng_uniform(rng) - 1));
      r_sqr(t, x);
      r_mul_double(s, t, -0.25);
      r_add_double(s, s, 0.5);
      r_fma(v[PRV_GAP], s, t, v[PRV_GAP]); /* x^2/2 - x^4/4 */
      r_neg(s, t);
      r_add_double(s, s, 1.0);
      r_mul(s, s, x);
      r_fma(v[PRV_GRADSQ], s, s, v[PRV_GRADSQ]);
      r_mul(s, x, y);
      r_add(s, s, t);
      r_fma(s, y, y, s);
      r_neg(s, s);
      r_add_double(s, s, 1.0);
      r_sub(t, x, y);
      r_fma(dx, t, t, dx);
      r_mul(s, s, t);
      r_fma(dg, s, s, dg);
      FUNCTION(pr_quartic_hmax)(h, x, y, t);
      r_max(v[PRV_HNORM], v[PRV_HNORM], h);
    }
    r_div(v[PRV_LIP], dg, dx);
    r_sqrt(v[PRV_LIP], v[PRV_LIP]);
    r_mul(t, u, v[PRV_GRADSQ]);
    r_mul_double(v[PRV_ERR], t, 32.0 * (double)d);
    r_mul_double(t, u, 16.0 * (1 + 3 * R * R));
    r_set(v[PRV_LIPERR], t);
    status = FUNCTION(pr_row)(out, j, v, c, d);
  }
  for (size_t i = 0; i < 8; i++)
    r_clear(loc[i]);
  return status;
}

/* A (N x d) Gaussian; rank = the number of eigenvalues of A^T A above
 * tau = 64 max(N, d) u lambda_max (a Gaussian A has full rank with
 * probability 1 and its smallest nonzero singular value squared is far
 * above tau for N, d <= 200). */
static int FUNCTION(pr_nullspace)(tc_record *out, const pr_config *c, gsl_rng *rng, REAL_PTR *v,
                                  mpfr_prec_t prec, char *err, size_t errlen)
{
  size_t N = c->N, d = c->d, rank = 0;
  MAT *A = mat_alloc(N, d, prec), *G = mat_alloc(d, d, prec);
  VEC *ev = vec_alloc(d, prec);
  EIGEN_WS *ws = eigen_ws_alloc(d, prec);
  REAL tau;
  r_init(tau, prec);
  int status = A && G && ev && ws ? TC_SUCCESS : TC_ENOMEM;
  if (status == TC_SUCCESS) {
    for (size_t a = 0; a < N; a++)
      for (size_t b = 0; b < d; b++)
        r_set_double(mat_at(A, a, b), gsl_ran_gaussian(rng, 1.0));
    TC_TRY(mat_gram(G, A));
    TC_TRY(eigen_symm(ev, G, ws));
    FUNCTION(tc_quad_unit_roundoff)(tau, prec);
    r_mul(tau, tau, vec_at(ev, d - 1));
    r_mul_double(tau, tau, 64.0 * (double)(N > d ? N : d));
    for (size_t i = 0; i < d; i++)
      rank += r_cmp(vec_at(ev, i), tau) > 0;
    for (int i = 0; i < PRV_N; i++)
      r_set_si(v[i], 0);
    status = FUNCTION(pr_row)(out, 0, v, c, rank);
    if (status == TC_SUCCESS)
      tc_record_note(out, "A %zu x %zu Gaussian: rank %zu, dim null(A) = %zu; sigma_min^2 %.4g",
                     N, d, rank, d - rank, r_get_double(vec_at(ev, rank < d ? d - rank : 0)));
  }
done:
  if (status != TC_SUCCESS && !err[0])
    snprintf(err, errlen, "nullspace: %s", tc_strerror(status));
  r_clear(tau);
  mat_free(A);
  mat_free(G);
  vec_free(ev);
  if (ws)
    eigen_ws_free(ws);
  return status;
}

static int FUNCTION(pr_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  pr_config c;
  int status = pr_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  if (rng == NULL)
    return TC_ENOMEM;
  REAL v[PRV_N];
  REAL_PTR vp[PRV_N];
  for (int i = 0; i < PRV_N; i++) {
    r_init(v[i], prec);
    vp[i] = v[i];
  }
  if (c.family == PR_NULLSPACE)
    status = FUNCTION(pr_nullspace)(out, &c, rng, vp, prec, err, errlen);
  else if (c.family == PR_QUARTIC)
    status = FUNCTION(pr_quartic)(out, &c, rng, vp, prec);
  else
    status = FUNCTION(pr_quadratic)(out, &c, rng, vp, prec, err, errlen);
  if (status != TC_SUCCESS && !err[0])
    snprintf(err, errlen, "pl-remarks: %s", tc_strerror(status));
  for (int i = 0; i < PRV_N; i++)
    r_clear(v[i]);
  gsl_rng_free(rng);
  return status;
}
