/* sgd_minibatch_source.h — the sgd-minibatch measurement, written once in
 * the generic names of the operation list and instantiated once per
 * backend by sgd_minibatch.c (which documents the instances, the step
 * rules, the exact second-moment recursion and the rows). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

/* r <- 1/2 tr(H P), both symmetric. */
static void FUNCTION(mb_half_trace)(REAL_PTR r, const MAT *H, const MAT *P, REAL_PTR t)
{
  r_set_si(r, 0);
  for (size_t j = 0; j < H->rows; j++)
    for (size_t l = 0; l < H->cols; l++) {
      r_mul(t, mat_at(H, j, l), mat_at(P, l, j));
      r_add(r, r, t);
    }
  r_mul_double(r, r, 0.5);
}

/* The instance: A (N x d), H = A^T A / N, the constants and the step. */
static int FUNCTION(mb_setup)(const mb_config *c, gsl_rng *rng, MAT *A, MAT *H, REAL_PTR mu,
                              REAL_PTR L, REAL_PTR Lt, REAL_PTR s, mpfr_prec_t prec, char *err,
                              size_t errlen)
{
  size_t N = c->N, d = c->d;
  double *rn = malloc(N * sizeof *rn), *g = malloc(d * sizeof *g);
  int status = rn && g ? TC_SUCCESS : TC_ENOMEM;
  REAL t;
  r_init(t, prec);
  if (status != TC_SUCCESS)
    goto done;
  tc_quad_spectrum(rn, N, 0, c->kappa, rng); /* squared row norms in [1/kappa, 1] */
  gsl_ran_shuffle(rng, rn, N, sizeof *rn);
  r_set_si(Lt, 0);
  for (size_t i = 0; i < N; i++) {
    double nrm = 0;
    for (size_t j = 0; j < d; j++) {
      g[j] = c->family == MB_SCALAR ? 1.0 : gsl_ran_gaussian(rng, 1.0);
      nrm += g[j] * g[j];
    }
    r_set_si(t, 0);
    for (size_t j = 0; j < d; j++) {
      r_set_double(mat_at(A, i, j), g[j] / sqrt(nrm) * sqrt(rn[i]));
      r_fma(t, mat_at(A, i, j), mat_at(A, i, j), t);
    }
    r_max(Lt, Lt, t); /* ||a_i||^2: the smoothness constant of f_i */
  }
  if ((status = mat_gram(H, A)))
    goto done;
  for (size_t j = 0; j < d; j++)
    for (size_t l = 0; l < d; l++)
      r_div_double(mat_at(H, j, l), mat_at(H, j, l), (double)N);
  if (d == 1) { /* the 1 x 1 eigenvalue is the entry: exact (the iterative solver is not) */
    r_set(mu, mat_at(H, 0, 0));
    r_set(L, mu);
  } else if ((status = FUNCTION(tc_quad_mu_L)(mu, L, H, d - N, prec, err, errlen))) {
    goto done;
  }
  double B = (double)c->B;
  if (c->rule == MB_RULE_NOTES) { /* 2 mu B / (L (Lt + L (B - 1))) */
    r_mul_double(t, L, B - 1);
    r_add(t, t, Lt);
    r_mul(t, t, L);
    r_mul_double(s, mu, 2 * B);
  } else { /* mu B / (L (Lt + mu (B - 1))) */
    r_mul_double(t, mu, B - 1);
    r_add(t, t, Lt);
    r_mul(t, t, L);
    r_mul_double(s, mu, B);
  }
  r_div(s, s, t);
  r_mul_double(s, s, c->step);
done:
  r_clear(t);
  free(rn);
  free(g);
  return status;
}

/* One step of the second-moment recursion (sgd_minibatch.c), P in place. */
static int FUNCTION(mb_step)(MAT *P, const MAT *A, const MAT *H, REAL_SRCPTR s, size_t B,
                             MAT *HP, MAT *HPH, MAT *R, VEC *ai, VEC *Pa, REAL_PTR t, REAL_PTR t2)
{
  size_t N = A->rows, d = A->cols;
  int status = TC_SUCCESS;
  TC_TRY(mat_gemm(HP, H, P));
  TC_TRY(mat_gemm(HPH, HP, H));
  mat_set_zero(R);
  for (size_t i = 0; i < N; i++) {
    for (size_t j = 0; j < d; j++)
      r_set(vec_at(ai, j), mat_at(A, i, j));
    TC_TRY(mat_gemv(Pa, P, ai));
    TC_TRY(vec_dot(t, ai, Pa));
    r_div_double(t, t, (double)N);
    for (size_t j = 0; j < d; j++)
      for (size_t l = 0; l < d; l++) {
        r_mul(t2, vec_at(ai, j), vec_at(ai, l));
        r_fma(mat_at(R, j, l), t2, t, mat_at(R, j, l));
      }
  }
  r_sqr(t2, s);
  for (size_t j = 0; j < d; j++)
    for (size_t l = 0; l < d; l++) {
      REAL_PTR p = mat_at(P, j, l);
      r_add(t, mat_at(HP, j, l), mat_at(HP, l, j)); /* (H P + P H)_{jl}, P H = (H P)^T */
      r_mul(t, t, s);
      r_sub(p, p, t);
      r_div_double(t, mat_at(HPH, j, l), (double)B); /* (1 - 1/B) H P H, in the backend's */
      r_sub(t, mat_at(HPH, j, l), t);                 /* precision (1 - 1/B is not a double) */
      r_div_double(mat_at(R, j, l), mat_at(R, j, l), (double)B);
      r_add(t, t, mat_at(R, j, l));
      r_fma(p, t, t2, p); /* + s^2 [(1/B) R + (1 - 1/B) H P H] */
    }
done:
  return status;
}

static int FUNCTION(mb_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  mb_config c;
  int status = mb_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t N = c.N, d = c.d;
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  MAT *A = mat_alloc(N, d, prec), *H = mat_alloc(d, d, prec), *P = mat_alloc(d, d, prec),
      *HP = mat_alloc(d, d, prec), *HPH = mat_alloc(d, d, prec), *R = mat_alloc(d, d, prec);
  VEC *ai = vec_alloc(d, prec), *Pa = vec_alloc(d, prec);
  REAL mu, L, Lt, s, t, t2, ef, efp, f0, u, eerr;
  REAL_PTR reals[] = {mu, L, Lt, s, t, t2, ef, efp, f0, u, eerr};
  size_t nr = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nr; i++)
    r_init(reals[i], prec);
  if (!rng || !A || !H || !P || !HP || !HPH || !R || !ai || !Pa)
    status = TC_ENOMEM;
  if (status == TC_SUCCESS)
    status = FUNCTION(mb_setup)(&c, rng, A, H, mu, L, Lt, s, prec, err, errlen);
  if (status == TC_SUCCESS) {
    double *e0 = malloc(d * sizeof *e0);
    if (!e0)
      status = TC_ENOMEM;
    for (size_t j = 0; e0 && j < d; j++)
      e0[j] = gsl_ran_gaussian(rng, 1.0);
    for (size_t j = 0; e0 && j < d; j++)
      for (size_t l = 0; l < d; l++)
        r_set_double(mat_at(P, j, l), e0[j] * e0[l]); /* exact in both backends */
    free(e0);
  }
  if (status == TC_SUCCESS)
    FUNCTION(mb_half_trace)(f0, H, P, t);
  r_set(ef, f0);
  for (long k = 1; k <= c.iterations && status == TC_SUCCESS; k++) {
    r_set(efp, ef);
    if ((status = FUNCTION(mb_step)(P, A, H, s, c.B, HP, HPH, R, ai, Pa, t, t2)))
      break;
    FUNCTION(mb_half_trace)(ef, H, P, t);
    /* Rounding of the exact-expectation recursion: each step perturbs P
     * by O((d^2 + N) u) relative, accumulated linearly over k steps and
     * counted on both E f(x_k) and E f(x_{k-1}) (a generous estimate). */
    FUNCTION(tc_quad_unit_roundoff)(u, prec);
    r_add(eerr, ef, efp);
    r_mul(eerr, eerr, u);
    r_mul_double(eerr, eerr, 32.0 * (double)(d * d + N + 4) * (double)k);
    if ((status = tc_record_put_double(out, "k", (double)k)) || (status = record_put(out, "Ef", ef)) ||
        (status = record_put(out, "Ef_prev", efp)) || (status = record_put(out, "f0", f0)) ||
        (status = record_put(out, "mu", mu)) || (status = record_put(out, "L", L)) ||
        (status = record_put(out, "Lt", Lt)) || (status = tc_record_put_double(out, "B", (double)c.B)) ||
        (status = record_put(out, "s", s)) || (status = record_put(out, "Ef_err", eerr)) ||
        (status = tc_record_end_row(out)))
      break;
  }
  if (status == TC_SUCCESS) {
    double dm = r_get_double(mu), dL = r_get_double(L), ds = r_get_double(s);
    tc_record_note(out, "%s N=%zu d=%zu B=%zu: measured mu=%.6g L=%.6g Lt=%.6g; step rule %s, "
                   "s=%.6g (mu s = %.6g: the claimed factor 1 - mu s = %.6g); E f(x_K)/f(x_0)=%.6g",
                   mb_families[c.family], N, d, c.B, dm, dL, r_get_double(Lt), mb_rules[c.rule], ds,
                   dm * ds, 1 - dm * ds, r_get_double(ef) / r_get_double(f0));
  }
  for (size_t i = 0; i < nr; i++)
    r_clear(reals[i]);
  MAT *mats[] = {A, H, P, HP, HPH, R};
  for (size_t i = 0; i < 6; i++)
    if (mats[i])
      mat_free(mats[i]);
  if (ai)
    vec_free(ai);
  if (Pa)
    vec_free(Pa);
  if (rng)
    gsl_rng_free(rng);
  return status;
}
