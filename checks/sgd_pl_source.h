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

static int FUNCTION(sgd_pl_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  sgd_pl_config c;
  int status = sgd_pl_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d, N = c.N;
  gsl_rng *prng = tc_rng_alloc(sgd_pl_data_seed(inst->point)); /* problem data */
  gsl_rng *srng = tc_rng_alloc(inst->seed);                   /* the i_k */
  double *a = malloc(d * sizeof *a), *dev = malloc(N * d * sizeof *dev);
  double *e0 = malloc(d * sizeof *e0);
  long *ks = malloc((size_t)c.checkpoints * sizeof *ks);
  MAT *Q = mat_alloc(d, d, prec), *A = mat_alloc(d, d, prec);
  MAT *B = mat_alloc(N, d, prec), *Dt = mat_alloc(N, d, prec);
  VEC *x = vec_alloc(d, prec), *cc = vec_alloc(d, prec), *r = vec_alloc(d, prec),
      *g = vec_alloc(d, prec), *e = vec_alloc(d, prec), *Ae = vec_alloc(d, prec),
      *yq = vec_alloc(d, prec), *p = vec_alloc(d, prec), *q = vec_alloc(d, prec),
      *R = vec_alloc(d, prec), *M1 = vec_alloc(d, prec), *M2 = vec_alloc(d, prec),
      *mt = vec_alloc(d, prec);
  REAL mu, L, s, G, Cst, gap, gap0, gexact, gnorm, gmax, t, t2, ajr, ns, cst;
  REAL_PTR reals[] = {mu, L, s, G, Cst, gap, gap0, gexact, gnorm, gmax, t, t2, ajr, ns, cst};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  if (!prng || !srng || !a || !dev || !e0 || !ks || !Q || !A || !B || !Dt || !x || !cc || !r ||
      !g || !e || !Ae || !yq || !p || !q || !R || !M1 || !M2 || !mt) {
    status = TC_ENOMEM;
    goto done;
  }

  /* ---- the instance (problem data from prng, in a fixed order) ---- */
  size_t nz = 0;
  if (c.family == SGD_ISOTROPIC) {
    for (size_t j = 0; j < d; j++)
      a[j] = 1.0;
  } else {
    if (c.family == SGD_SINGULAR)
      nz = tc_quad_nzero(d, prng);
    tc_quad_spectrum(a, d, nz, c.kappa, prng);
  }
  if (c.family == SGD_SINGULAR || c.family == SGD_ROTATED) {
    if ((status = FUNCTION(tc_quad_orthogonal)(Q, prng, prec)))
      goto done;
  } else {
    mat_set_zero(Q);
    for (size_t j = 0; j < d; j++)
      r_set_si(mat_at(Q, j, j), 1);
  }
  FUNCTION(tc_quad_form)(A, Q, a, prec);
  sgd_pl_deviations(dev, N, d, c.sigma, prng);
  /* x_0 - c in eigen-coordinates: norm start * sqrt(d), in a random
   * direction or along the eigenvector of mu (coordinate nz). */
  double nrm0 = 0;
  for (size_t j = 0; j < d; j++) {
    e0[j] = gsl_ran_gaussian(prng, 1.0);
    nrm0 += e0[j] * e0[j];
  }
  for (size_t j = 0; j < d; j++) {
    if (c.direction == SGD_DIR_SLOW)
      e0[j] = j == nz ? c.start * sqrt((double)d) : 0.0;
    else
      e0[j] = nrm0 > 0 ? e0[j] * c.start * sqrt((double)d / nrm0) : 0.0;
  }

  if ((status = FUNCTION(tc_quad_mu_L)(mu, L, A, nz, prec, err, errlen)))
    goto done;

  /* Coordinates are centred at the minimiser (GD and SGD commute with
   * translation), so x_k is stored without the cancellation x_k - c of a
   * far-away c.  Dt holds the d_i = Q^T (b_i - c) as drawn; c is their
   * mean mapped back, zero up to rounding; B holds b_i = Q d_i. */
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < d; j++)
      r_set_double(mat_at(Dt, i, j), dev[i * d + j]);
  for (size_t j = 0; j < d; j++) {
    r_set_si(vec_at(mt, j), 0);
    for (size_t i = 0; i < N; i++)
      r_add(vec_at(mt, j), vec_at(mt, j), mat_at(Dt, i, j));
    r_div_double(vec_at(mt, j), vec_at(mt, j), (double)N);
  }
  TC_TRY(mat_gemv(cc, Q, mt));
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < d; j++)
      r_set(vec_at(r, j), mat_at(Dt, i, j));
    TC_TRY(mat_gemv(g, Q, r));
    for (size_t j = 0; j < d; j++)
      r_set(mat_at(B, i, j), vec_at(g, j));
  }
  for (size_t j = 0; j < d; j++)
    r_set_double(vec_at(r, j), e0[j]);
  TC_TRY(mat_gemv(x, Q, r));
  r_set_si(t, 1);
  TC_TRY(vec_axpy(x, t, cc));

  /* s = step * min(1/(2 mu), 0.999 * 2/L) */
  r_set_si(s, 1);
  r_div(s, s, mu);
  r_mul_double(s, s, 0.5);
  r_set_double(t, 1.998);
  r_div(t, t, L);
  r_min(s, s, t);
  r_mul_double(s, s, c.step);

  /* Moments of the deviations from the mean (p ~ 0, q ~ sigma^2), the
   * invariant box R and the a-priori bound G (see sgd_pl.c). */
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
    if (a[j] > 0) {
      r_mul_double(ajr, s, a[j]); /* s a_j in (0, 2) */
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
  r_set_si(G, 0);
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
    r_max(G, G, t2);
  }
  r_sqrt(Cst, G);

  /* ---- the trajectory and the exact expectation ---- */
  TC_TRY(FUNCTION(sgd_pl_gap)(gap0, x, cc, A, Q, nz, e, Ae, yq));
  for (size_t j = 0; j < d; j++) {
    r_set_double(vec_at(M1, j), e0[j]);
    r_set_double(vec_at(M2, j), e0[j] * e0[j]);
  }
  sgd_pl_checkpoints(ks, c.checkpoints, c.iterations);
  r_neg(ns, s);
  r_set_si(gmax, 0);
  long next = 0;
  for (long k = 1; k <= c.iterations && status == TC_SUCCESS; k++) {
    size_t i = (size_t)gsl_rng_uniform_int(srng, N);
    for (size_t j = 0; j < d; j++)
      r_sub(vec_at(r, j), vec_at(x, j), mat_at(B, i, j));
    TC_TRY(mat_gemv(g, A, r)); /* grad f_i(x_k) = A (x_k - b_i) */
    TC_TRY(vec_norm2(gnorm, g));
    r_max(gmax, gmax, gnorm);
    TC_TRY(vec_axpy(x, ns, g));
    for (size_t j = 0; j < d; j++) {
      if (a[j] == 0)
        continue;
      r_mul_double(ajr, s, a[j]);
      r_set_si(cst, 1);
      r_sub(cst, cst, ajr); /* 1 - s a_j */
      /* E e'^2 = c^2 E e^2 + 2 c s a p E e + (s a)^2 q, then E e' */
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
    if (k != ks[next])
      continue;
    next++;
    TC_TRY(FUNCTION(sgd_pl_gap)(gap, x, cc, A, Q, nz, e, Ae, yq));
    r_set_si(gexact, 0);
    for (size_t j = 0; j < d; j++) {
      r_mul_double(t, vec_at(M2, j), a[j]);
      r_add(gexact, gexact, t);
    }
    r_mul_double(gexact, gexact, 0.5);
    if ((status = tc_record_put_double(out, "k", (double)k)) || (status = record_put(out, "gap", gap)) ||
        (status = record_put(out, "gap0", gap0)) || (status = record_put(out, "mu", mu)) ||
        (status = record_put(out, "L", L)) || (status = record_put(out, "s", s)) ||
        (status = record_put(out, "C_stated", Cst)) || (status = record_put(out, "C_corrected", G)) ||
        (status = record_put(out, "gap_exact", gexact)) ||
        (status = record_put(out, "grad_max", gmax)) || (status = tc_record_end_row(out)))
      break;
  }
  if (status == TC_SUCCESS) {
    /* The stationary expectation 1/2 sum_j s a_j^2 q_j / (2 - s a_j) (p = 0)
     * next to the two noise terms the claims put beside it. */
    r_set_si(t2, 0);
    for (size_t j = 0; j < d; j++) {
      if (a[j] == 0)
        continue;
      r_mul_double(ajr, s, a[j]);
      r_set_si(t, 2);
      r_sub(t, t, ajr);
      r_div(t, vec_at(q, j), t);
      r_mul(t, t, ajr);
      r_mul_double(t, t, a[j]);
      r_add(t2, t2, t);
    }
    r_mul_double(t2, t2, 0.5);
    double dL = r_get_double(L), dmu = r_get_double(mu), ds = r_get_double(s), dG = r_get_double(G);
    tc_record_note(out, "%s d=%zu N=%zu sigma=%g: measured L=%.6g mu=%.6g (%zu zero eigenvalues), "
                   "s=%.6g; a-priori max ||grad f_i|| over the invariant box G=%.6g; "
                   "stationary E gap=%.6g; noise terms L C^2 s/(4 mu): as stated (C^2=G) %.6g, "
                   "corrected (C^2=G^2) %.6g; max ||grad f_i|| seen on this trajectory %.6g",
                   sgd_pl_families[c.family], d, N, c.sigma, dL, dmu, nz, ds, dG,
                   r_get_double(t2), dL * dG * ds / (4 * dmu), dL * dG * dG * ds / (4 * dmu),
                   r_get_double(gmax));
  }
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  VEC *vecs[] = {x, cc, r, g, e, Ae, yq, p, q, R, M1, M2, mt};
  for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  MAT *mats[] = {Q, A, B, Dt};
  for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
    if (mats[i])
      mat_free(mats[i]);
  free(a);
  free(dev);
  free(e0);
  free(ks);
  if (prng)
    gsl_rng_free(prng);
  if (srng)
    gsl_rng_free(srng);
  return status;
}
