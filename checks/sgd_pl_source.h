/* sgd_pl_source.h — the sgd-pl measurement, written once in the generic
 * names of the operation list (src/num/tc_templates_on.h) and
 * instantiated once per backend by sgd_pl.c
 * (which documents the instances, the invariant box and the rows). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

/* gap <- 1/2 e^T A e with e = x - c; for a singular A the range part
 * e_r = Q_r Q_r^T e is used (the rest is a solution-set direction and
 * would only meet the O(u) eigenvalues that replace A's zeros). */
static int FUNCTION(sgd_pl_gap)(REAL_PTR gap, const VEC *x, const VEC *c, const MAT *A,
                                const MAT *Q, size_t nz, VEC *e, VEC *Ae, VEC *yq)
{
  int status = TC_SUCCESS;
  for (size_t j = 0; j < e->n; j++)
    r_sub(vec_at(e, j), vec_at(x, j), vec_at(c, j));
  if (nz > 0) {
    TC_TRY(mat_gemv_trans(yq, Q, e));
    for (size_t j = 0; j < nz; j++)
      r_set_si(vec_at(yq, j), 0);
    TC_TRY(mat_gemv(e, Q, yq));
  }
  TC_TRY(mat_gemv(Ae, A, e));
  TC_TRY(vec_dot(gap, e, Ae));
  r_mul_double(gap, gap, 0.5);
done:
  return status;
}

/* What every instance (trajectory) of a point shares, in one backend:
 * the problem data, the constants, x_0, and the exact expectation at the
 * checkpoints (the recurrence of sgd_pl.c, which does not depend on the
 * sampled indices).  Made once per point and precision by sgd_pl_prepare. */
typedef struct {
  sgd_pl_config c;
  size_t nz;
  double *a;
  long *ks;
  MAT *Q, *A, *B;
  VEC *cc, *x0, *gexact; /* gexact: E[f(x_k) - f*] at each checkpoint */
  VEC *gprev, *sprev;    /* E[f(x_{k-1}) - f*] and s_{k-1} at each checkpoint */
  REAL mu, L, s, G, Cst, gap0, stat; /* stat: the stationary E gap (note) */
  mpfr_prec_t prec;
} FUNCTION(sgd_pl_shared);

static void FUNCTION(sgd_pl_release)(void *shared)
{
  FUNCTION(sgd_pl_shared) *sh = shared;
  REAL_PTR reals[] = {sh->mu, sh->L, sh->s, sh->G, sh->Cst, sh->gap0, sh->stat};
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_clear(reals[i]);
  VEC *vecs[] = {sh->cc, sh->x0, sh->gexact, sh->gprev, sh->sprev};
  for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  MAT *mats[] = {sh->Q, sh->A, sh->B};
  for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
    if (mats[i])
      mat_free(mats[i]);
  free(sh->a);
  free(sh->ks);
  free(sh);
}

/* The spectrum a, Q, A = Q diag(a) Q^T, the deviations and e_0, from the
 * problem-data RNG in a fixed order. */
static int FUNCTION(sgd_pl_data)(FUNCTION(sgd_pl_shared) *sh, double *dev, double *e0,
                                 gsl_rng *prng)
{
  const sgd_pl_config *c = &sh->c;
  size_t d = c->d;
  int status;
  if (c->family == SGD_ISOTROPIC) {
    for (size_t j = 0; j < d; j++)
      sh->a[j] = 1.0;
  } else {
    if (c->family == SGD_SINGULAR)
      sh->nz = tc_quad_nzero(d, prng);
    tc_quad_spectrum(sh->a, d, sh->nz, c->kappa, prng);
  }
  if (c->family == SGD_SINGULAR || c->family == SGD_ROTATED) {
    if ((status = FUNCTION(tc_quad_orthogonal)(sh->Q, prng, sh->prec)))
      return status;
  } else {
    mat_set_zero(sh->Q);
    for (size_t j = 0; j < d; j++)
      r_set_si(mat_at(sh->Q, j, j), 1);
  }
  FUNCTION(tc_quad_form)(sh->A, sh->Q, sh->a, sh->prec);
  sgd_pl_deviations(dev, c->N, d, c->sigma, prng);
  /* x_0 - c in eigen-coordinates: norm start * sqrt(d), in a random
   * direction or along the eigenvector of mu (coordinate nz). */
  double nrm0 = 0;
  for (size_t j = 0; j < d; j++) {
    e0[j] = gsl_ran_gaussian(prng, 1.0);
    nrm0 += e0[j] * e0[j];
  }
  for (size_t j = 0; j < d; j++) {
    if (c->direction == SGD_DIR_SLOW)
      e0[j] = j == sh->nz ? c->start * sqrt((double)d) : 0.0;
    else
      e0[j] = nrm0 > 0 ? e0[j] * c->start * sqrt((double)d / nrm0) : 0.0;
  }
  return TC_SUCCESS;
}

/* Coordinates are centred at the minimiser (GD and SGD commute with
 * translation), so x_k is stored without the cancellation x_k - c of a
 * far-away c.  Dt holds the d_i = Q^T (b_i - c) as drawn; c is their
 * mean mapped back (mt in eigen-coordinates), zero up to rounding; B
 * holds b_i = Q d_i; x0 = Q e_0 + c. */
static int FUNCTION(sgd_pl_points)(FUNCTION(sgd_pl_shared) *sh, MAT *Dt, VEC *mt, VEC *r, VEC *g,
                                   const double *dev, const double *e0, REAL_PTR t)
{
  size_t d = sh->c.d, N = sh->c.N;
  int status = TC_SUCCESS;
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < d; j++)
      r_set_double(mat_at(Dt, i, j), dev[i * d + j]);
  for (size_t j = 0; j < d; j++) {
    r_set_si(vec_at(mt, j), 0);
    for (size_t i = 0; i < N; i++)
      r_add(vec_at(mt, j), vec_at(mt, j), mat_at(Dt, i, j));
    r_div_double(vec_at(mt, j), vec_at(mt, j), (double)N);
  }
  TC_TRY(mat_gemv(sh->cc, sh->Q, mt));
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < d; j++)
      r_set(vec_at(r, j), mat_at(Dt, i, j));
    TC_TRY(mat_gemv(g, sh->Q, r));
    for (size_t j = 0; j < d; j++)
      r_set(mat_at(sh->B, i, j), vec_at(g, j));
  }
  for (size_t j = 0; j < d; j++)
    r_set_double(vec_at(r, j), e0[j]);
  TC_TRY(mat_gemv(sh->x0, sh->Q, r));
  r_set_si(t, 1);
  TC_TRY(vec_axpy(sh->x0, t, sh->cc));
done:
  return status;
}

/* s <- the step of iteration k = 0, 1, ...: the constant s, or
 * s_k = step (2k+1) / (2 mu (k+1)^2). */
static void FUNCTION(sgd_pl_step_k)(REAL_PTR s, const FUNCTION(sgd_pl_shared) *sh, long k)
{
  if (sh->c.schedule == SGD_SCHED_CONSTANT) {
    r_set(s, sh->s);
    return;
  }
  double kk = (double)k; /* 2k+1 and 2(k+1)^2 are exact doubles for k < 2^25 */
  r_set_double(s, 2 * kk + 1);
  r_div_double(s, s, 2 * (kk + 1) * (kk + 1));
  r_mul_double(s, s, sh->c.step);
  r_div(s, s, sh->mu);
}

/* The diminishing schedule's boxes R(k), propagated step by step (see
 * sgd_pl.c), and G = the largest corner gradient over R(0..K-1).  D holds
 * D_j on entry; R holds |e_{0,j}|. */
static void FUNCTION(sgd_pl_box_diminishing)(FUNCTION(sgd_pl_shared) *sh, const MAT *Dt,
                                             const VEC *mt, const VEC *D, VEC *R, REAL_PTR t,
                                             REAL_PTR t2, REAL_PTR ajr)
{
  size_t d = sh->c.d, N = sh->c.N;
  const double *a = sh->a;
  REAL sk;
  r_init(sk, sh->prec);
  r_set_si(sh->G, 0);
  for (long k = 0; k < sh->c.iterations; k++) {
    for (size_t i = 0; i < N; i++) { /* the corner gradient at x_k's box */
      r_set_si(t2, 0);
      for (size_t j = 0; j < d; j++) {
        r_sub(t, mat_at(Dt, i, j), vec_at(mt, j));
        r_abs(t, t);
        r_add(t, t, vec_at(R, j));
        r_mul_double(t, t, a[j]);
        r_fma(t2, t, t, t2);
      }
      r_sqrt(t2, t2);
      r_max(sh->G, sh->G, t2);
    }
    FUNCTION(sgd_pl_step_k)(sk, sh, k);
    for (size_t j = 0; j < d; j++) {
      r_mul_double(ajr, sk, a[j]);
      r_set_si(t, 1);
      r_sub(t, t, ajr);
      r_abs(t, t);
      r_mul(vec_at(R, j), vec_at(R, j), t);
      r_fma(vec_at(R, j), ajr, vec_at(D, j), vec_at(R, j));
    }
  }
  r_clear(sk);
}

/* s = step * min(1/(2 mu), 0.999 * 2/L); the moments p (~ 0), q (~ sigma^2)
 * of the deviations from their mean, the invariant box R and the
 * a-priori bound G, C_stated = sqrt(G) (see sgd_pl.c). */
static void FUNCTION(sgd_pl_constants)(FUNCTION(sgd_pl_shared) *sh, const MAT *Dt, const VEC *mt,
                                       VEC *p, VEC *q, VEC *R, VEC *D, const double *e0, REAL_PTR t,
                                       REAL_PTR t2, REAL_PTR ajr)
{
  size_t d = sh->c.d, N = sh->c.N;
  const double *a = sh->a;
  r_set_si(sh->s, 1);
  r_div(sh->s, sh->s, sh->mu);
  r_mul_double(sh->s, sh->s, 0.5);
  r_set_double(t, 1.998);
  r_div(t, t, sh->L);
  r_min(sh->s, sh->s, t);
  r_mul_double(sh->s, sh->s, sh->c.step);
  for (size_t j = 0; j < d; j++) {
    r_set_si(vec_at(p, j), 0);
    r_set_si(vec_at(q, j), 0);
    r_set_si(t2, 0); /* D_j */
    for (size_t i = 0; i < N; i++) {
      r_sub(t, mat_at(Dt, i, j), vec_at(mt, j));
      r_add(vec_at(p, j), vec_at(p, j), t);
      r_fma(vec_at(q, j), t, t, vec_at(q, j));
      r_abs(t, t);
      r_max(t2, t2, t);
    }
    r_div_double(vec_at(p, j), vec_at(p, j), (double)N);
    r_div_double(vec_at(q, j), vec_at(q, j), (double)N);
    r_set_double(vec_at(R, j), fabs(e0[j]));
    if (sh->c.schedule == SGD_SCHED_DIMINISHING) {
      r_set(vec_at(D, j), t2);
      continue;
    }
    if (a[j] > 0) {
      r_mul_double(ajr, sh->s, a[j]); /* s a_j in (0, 2) */
      r_set_si(t, 1);
      r_sub(t, t, ajr);
      r_abs(t, t);
      r_neg(t, t);
      r_add_double(t, t, 1.0); /* 1 - |1 - s a_j| */
      r_mul(t2, t2, ajr);
      r_div(t2, t2, t);
      r_max(vec_at(R, j), vec_at(R, j), t2);
    }
  }
  if (sh->c.schedule == SGD_SCHED_DIMINISHING) {
    FUNCTION(sgd_pl_step_k)(sh->s, sh, 0); /* s_0, for the note */
    FUNCTION(sgd_pl_box_diminishing)(sh, Dt, mt, D, R, t, t2, ajr);
    r_sqrt(sh->Cst, sh->G);
    return;
  }
  r_set_si(sh->G, 0);
  for (size_t i = 0; i < N; i++) {
    r_set_si(t2, 0);
    for (size_t j = 0; j < d; j++) {
      r_sub(t, mat_at(Dt, i, j), vec_at(mt, j));
      r_abs(t, t);
      r_add(t, t, vec_at(R, j));
      r_mul_double(t, t, a[j]);
      r_fma(t2, t, t, t2);
    }
    r_sqrt(t2, t2);
    r_max(sh->G, sh->G, t2);
  }
  r_sqrt(sh->Cst, sh->G);
}

/* The exact E[f(x_k) - f*] at each checkpoint, by the moment recurrence
 * E e'^2 = c^2 E e^2 + 2 c s a p E e + (s a)^2 q, E e' = c E e + s a p
 * (c = 1 - s a_j), and the stationary expectation
 * 1/2 sum_j s a_j^2 q_j / (2 - s a_j) (p = 0) for the note. */
static void FUNCTION(sgd_pl_expectation)(FUNCTION(sgd_pl_shared) *sh, const VEC *p, const VEC *q,
                                         VEC *M1, VEC *M2, const double *e0, REAL_PTR t,
                                         REAL_PTR ajr, REAL_PTR cst)
{
  size_t d = sh->c.d;
  const double *a = sh->a;
  for (size_t j = 0; j < d; j++) {
    r_set_double(vec_at(M1, j), e0[j]);
    r_set_double(vec_at(M2, j), e0[j] * e0[j]);
  }
  long next = 0;
  REAL sk, gp;
  r_init(sk, sh->prec);
  r_init(gp, sh->prec);
  for (long k = 1; k <= sh->c.iterations; k++) {
    FUNCTION(sgd_pl_step_k)(sk, sh, k - 1);
    if (k == sh->ks[next]) { /* E[f(x_{k-1}) - f*] and s_{k-1}, for the one-step inequality */
      r_set_si(gp, 0);
      for (size_t j = 0; j < d; j++) {
        r_mul_double(t, vec_at(M2, j), a[j]);
        r_add(gp, gp, t);
      }
      r_mul_double(vec_at(sh->gprev, (size_t)next), gp, 0.5);
      r_set(vec_at(sh->sprev, (size_t)next), sk);
    }
    for (size_t j = 0; j < d; j++) {
      if (a[j] == 0)
        continue;
      r_mul_double(ajr, sk, a[j]);
      r_set_si(cst, 1);
      r_sub(cst, cst, ajr); /* 1 - s a_j */
      r_mul(t, cst, cst);
      r_mul(vec_at(M2, j), vec_at(M2, j), t);
      r_mul(t, cst, ajr);
      r_mul(t, t, vec_at(p, j));
      r_mul(t, t, vec_at(M1, j));
      r_mul_double(t, t, 2.0);
      r_add(vec_at(M2, j), vec_at(M2, j), t);
      r_mul(t, ajr, ajr);
      r_fma(vec_at(M2, j), t, vec_at(q, j), vec_at(M2, j));
      r_mul(t, ajr, vec_at(p, j));
      r_fma(vec_at(M1, j), cst, vec_at(M1, j), t);
    }
    if (k != sh->ks[next])
      continue;
    REAL_PTR ge = vec_at(sh->gexact, (size_t)next++);
    r_set_si(ge, 0);
    for (size_t j = 0; j < d; j++) {
      r_mul_double(t, vec_at(M2, j), a[j]);
      r_add(ge, ge, t);
    }
    r_mul_double(ge, ge, 0.5);
  }
  r_clear(sk);
  r_clear(gp);
  r_set_si(sh->stat, 0);
  for (size_t j = 0; j < d; j++) {
    if (a[j] == 0)
      continue;
    r_mul_double(ajr, sh->s, a[j]);
    r_set_si(t, 2);
    r_sub(t, t, ajr);
    r_div(t, vec_at(q, j), t);
    r_mul(t, t, ajr);
    r_mul_double(t, t, a[j]);
    r_add(sh->stat, sh->stat, t);
  }
  r_mul_double(sh->stat, sh->stat, 0.5);
}

static FUNCTION(sgd_pl_shared) *FUNCTION(sgd_pl_shared_alloc)(const sgd_pl_config *c, mpfr_prec_t prec)
{
  FUNCTION(sgd_pl_shared) *sh = calloc(1, sizeof *sh);
  if (sh == NULL)
    return NULL;
  size_t d = c->d;
  sh->c = *c;
  sh->prec = prec;
  REAL_PTR reals[] = {sh->mu, sh->L, sh->s, sh->G, sh->Cst, sh->gap0, sh->stat};
  for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
    r_init(reals[i], prec);
  sh->a = malloc(d * sizeof *sh->a);
  sh->ks = malloc((size_t)c->checkpoints * sizeof *sh->ks);
  sh->Q = mat_alloc(d, d, prec);
  sh->A = mat_alloc(d, d, prec);
  sh->B = mat_alloc(c->N, d, prec);
  sh->cc = vec_alloc(d, prec);
  sh->x0 = vec_alloc(d, prec);
  sh->gexact = vec_alloc((size_t)c->checkpoints, prec);
  sh->gprev = vec_alloc((size_t)c->checkpoints, prec);
  sh->sprev = vec_alloc((size_t)c->checkpoints, prec);
  if (!sh->a || !sh->ks || !sh->Q || !sh->A || !sh->B || !sh->cc || !sh->x0 || !sh->gexact ||
      !sh->gprev || !sh->sprev) {
    FUNCTION(sgd_pl_release)(sh);
    return NULL;
  }
  return sh;
}

static int FUNCTION(sgd_pl_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  sgd_pl_config c;
  int status = sgd_pl_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d, N = c.N;
  FUNCTION(sgd_pl_shared) *sh = FUNCTION(sgd_pl_shared_alloc)(&c, prec);
  gsl_rng *prng = tc_rng_alloc(sgd_pl_data_seed(inst->point)); /* problem data */
  double *dev = malloc(N * d * sizeof *dev), *e0 = malloc(d * sizeof *e0);
  MAT *Dt = mat_alloc(N, d, prec);
  VEC *vecs[] = {vec_alloc(d, prec), vec_alloc(d, prec), vec_alloc(d, prec), vec_alloc(d, prec),
                 vec_alloc(d, prec), vec_alloc(d, prec), vec_alloc(d, prec), vec_alloc(d, prec),
                 vec_alloc(d, prec), vec_alloc(d, prec)};
  VEC *r = vecs[0], *g = vecs[1], *e = vecs[2], *Ae = vecs[3], *yq = vecs[4], *p = vecs[5],
      *q = vecs[6], *R = vecs[7], *mt = vecs[8], *D = vecs[9];
  size_t nvecs = sizeof vecs / sizeof vecs[0];
  REAL t, t2, ajr;
  r_init(t, prec);
  r_init(t2, prec);
  r_init(ajr, prec);
  status = sh && prng && dev && e0 && Dt ? TC_SUCCESS : TC_ENOMEM;
  for (size_t i = 0; i < nvecs; i++)
    if (vecs[i] == NULL)
      status = TC_ENOMEM;
  if (status == TC_SUCCESS && (status = FUNCTION(sgd_pl_data)(sh, dev, e0, prng)) == TC_SUCCESS &&
      (status = FUNCTION(tc_quad_mu_L)(sh->mu, sh->L, sh->A, sh->nz, prec, err, errlen)) == TC_SUCCESS) {
    status = FUNCTION(sgd_pl_points)(sh, Dt, mt, r, g, dev, e0, t);
  }
  if (status == TC_SUCCESS) {
    FUNCTION(sgd_pl_constants)(sh, Dt, mt, p, q, R, D, e0, t, t2, ajr);
    status = FUNCTION(sgd_pl_gap)(sh->gap0, sh->x0, sh->cc, sh->A, sh->Q, sh->nz, e, Ae, yq);
  }
  if (status == TC_SUCCESS) {
    sgd_pl_checkpoints(sh->ks, c.checkpoints, c.iterations);
    /* M1, M2 reuse r and g */
    FUNCTION(sgd_pl_expectation)(sh, p, q, r, g, e0, t, ajr, t2);
  }
  r_clear(t);
  r_clear(t2);
  r_clear(ajr);
  for (size_t i = 0; i < nvecs; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (Dt)
    mat_free(Dt);
  free(dev);
  free(e0);
  if (prng)
    gsl_rng_free(prng);
  if (status == TC_SUCCESS)
    *shared = sh;
  else if (sh)
    FUNCTION(sgd_pl_release)(sh);
  return status;
}

static int FUNCTION(sgd_pl_row)(tc_record *out, const FUNCTION(sgd_pl_shared) *sh, long k,
                                long idx, REAL_SRCPTR gap, REAL_SRCPTR gexact, REAL_SRCPTR gmax)
{
  int status;
  if ((status = tc_record_put_double(out, "k", (double)k)) || (status = record_put(out, "gap", gap)) ||
      (status = record_put(out, "gap0", sh->gap0)) || (status = record_put(out, "mu", sh->mu)) ||
      (status = record_put(out, "L", sh->L)) ||
      (status = record_put(out, "s", sh->c.schedule == SGD_SCHED_CONSTANT ? sh->s : vec_at(sh->sprev, (size_t)idx))) ||
      (status = record_put(out, "gap_exact_prev", vec_at(sh->gprev, (size_t)idx))) ||
      (status = record_put(out, "s_prev", vec_at(sh->sprev, (size_t)idx))) ||
      (status = record_put(out, "C_stated", sh->Cst)) || (status = record_put(out, "C_corrected", sh->G)) ||
      (status = record_put(out, "gap_exact", gexact)) || (status = record_put(out, "grad_max", gmax)))
    return status;
  return tc_record_end_row(out);
}

static void FUNCTION(sgd_pl_note)(tc_record *out, const FUNCTION(sgd_pl_shared) *sh, REAL_SRCPTR gmax)
{
  const sgd_pl_config *c = &sh->c;
  double dL = r_get_double(sh->L), dmu = r_get_double(sh->mu), ds = r_get_double(sh->s),
         dG = r_get_double(sh->G);
  tc_record_note(out, "%s d=%zu N=%zu sigma=%g: measured L=%.6g mu=%.6g (%zu zero eigenvalues), "
                 "s=%.6g; a-priori max ||grad f_i|| over the invariant box G=%.6g; "
                 "stationary E gap=%.6g; noise terms L C^2 s/(4 mu): as stated (C^2=G) %.6g, "
                 "corrected (C^2=G^2) %.6g; max ||grad f_i|| seen on this trajectory %.6g",
                 sgd_pl_families[c->family], c->d, c->N, c->sigma, dL, dmu, sh->nz, ds, dG,
                 r_get_double(sh->stat), dL * dG * ds / (4 * dmu), dL * dG * dG * ds / (4 * dmu),
                 r_get_double(gmax));
}

/* One SGD trajectory on the point's shared data; the indices i_k are
 * stream 0 of the instance's tape (sgd_pl_draw), read in order. */
static int FUNCTION(sgd_pl_trajectory)(tc_record *out, const FUNCTION(sgd_pl_shared) *sh,
                                       tc_tape *tape)
{
  size_t d = sh->c.d;
  mpfr_prec_t prec = sh->prec;
  VEC *x = vec_alloc(d, prec), *r = vec_alloc(d, prec), *g = vec_alloc(d, prec),
      *e = vec_alloc(d, prec), *Ae = vec_alloc(d, prec), *yq = vec_alloc(d, prec);
  REAL gap, gnorm, gmax, ns;
  r_init(gap, prec);
  r_init(gnorm, prec);
  r_init(gmax, prec);
  r_init(ns, prec);
  int status = x && r && g && e && Ae && yq ? TC_SUCCESS : TC_ENOMEM;
  if (status == TC_SUCCESS)
    status = vec_copy(x, sh->x0);
  r_neg(ns, sh->s);
  r_set_si(gmax, 0);
  long next = 0;
  for (long k = 1; k <= sh->c.iterations && status == TC_SUCCESS; k++) {
    size_t i = (size_t)tc_tape_next(tape, 0);
    for (size_t j = 0; j < d; j++)
      r_sub(vec_at(r, j), vec_at(x, j), mat_at(sh->B, i, j));
    if ((status = mat_gemv(g, sh->A, r)) || /* grad f_i(x_k) = A (x_k - b_i) */
        (status = vec_norm2(gnorm, g)))
      break;
    r_max(gmax, gmax, gnorm);
    if (sh->c.schedule != SGD_SCHED_CONSTANT) {
      FUNCTION(sgd_pl_step_k)(ns, sh, k - 1);
      r_neg(ns, ns);
    }
    if ((status = vec_axpy(x, ns, g)))
      break;
    if (k != sh->ks[next])
      continue;
    if ((status = FUNCTION(sgd_pl_gap)(gap, x, sh->cc, sh->A, sh->Q, sh->nz, e, Ae, yq)))
      break;
    status = FUNCTION(sgd_pl_row)(out, sh, k, next, gap, vec_at(sh->gexact, (size_t)next), gmax);
    next++;
  }
  if (status == TC_SUCCESS)
    FUNCTION(sgd_pl_note)(out, sh, gmax);
  r_clear(gap);
  r_clear(gnorm);
  r_clear(gmax);
  r_clear(ns);
  VEC *vecs[] = {x, r, g, e, Ae, yq};
  for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  return status;
}

static int FUNCTION(sgd_pl_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  /* Called without the engine (tests): prepare the point and draw the
   * tape here, as the engine would. */
  void *own = NULL;
  tc_tape *own_tape = NULL;
  const FUNCTION(sgd_pl_shared) *sh = inst->prepared;
  tc_tape *tape = inst->tape;
  int status = TC_SUCCESS;
  if (sh == NULL && (status = FUNCTION(sgd_pl_prepare)(&own, inst, err, errlen)) == TC_SUCCESS)
    sh = own;
  if (status == TC_SUCCESS && tape == NULL) {
    tape = own_tape = tc_tape_alloc(inst->seed);
    status = tape ? sgd_pl_draw(tape, inst, err, errlen) : TC_ENOMEM;
  }
  if (status == TC_SUCCESS)
    status = FUNCTION(sgd_pl_trajectory)(out, sh, tape);
  tc_tape_free(own_tape);
  if (own)
    FUNCTION(sgd_pl_release)(own);
  return status;
}
