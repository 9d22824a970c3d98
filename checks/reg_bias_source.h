/* reg_bias_source.h — the reg-bias measurement, written once in the
 * generic names of the operation list and instantiated once per backend
 * by reg_bias.c (which documents the instance, the rows and the error). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

typedef struct {
  size_t p;
  MAT *U, *V, *Q, *P, *G, *Ginv, *Gprev, *M, *T, *W, *prod, *tmp, *S;
  VEC *ev, *dg, *dinv; /* dg: the gauge's diagonal D, dinv = D^-1, in the backend */
  EIGEN_WS *ews;
  double sigma[RB_MAX_P];
} FUNCTION(rb_ws);

static void FUNCTION(rb_free)(FUNCTION(rb_ws) *s)
{
  MAT *mats[] = {s->U, s->V, s->Q, s->P, s->G, s->Ginv, s->Gprev, s->M, s->T, s->W, s->prod, s->tmp, s->S};
  for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
    if (mats[i])
      mat_free(mats[i]);
  VEC *vecs[] = {s->ev, s->dg, s->dinv};
  for (size_t i = 0; i < 3; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (s->ews)
    eigen_ws_free(s->ews);
}

static int FUNCTION(rb_alloc)(FUNCTION(rb_ws) *s, size_t p, mpfr_prec_t prec)
{
  s->p = p;
  MAT **sq[] = {&s->U, &s->V, &s->Q, &s->P, &s->G, &s->Ginv, &s->Gprev, &s->M, &s->T, &s->W, &s->prod, &s->tmp};
  int ok = 1;
  for (size_t i = 0; i < sizeof sq / sizeof sq[0]; i++)
    ok &= (*sq[i] = mat_alloc(p, p, prec)) != NULL;
  s->S = mat_alloc(2 * p, 2 * p, prec);
  s->ev = vec_alloc(2 * p, prec);
  s->dg = vec_alloc(p, prec);
  s->dinv = vec_alloc(p, prec);
  s->ews = eigen_ws_alloc(2 * p, prec);
  return ok && s->S && s->ev && s->dg && s->dinv && s->ews ? TC_SUCCESS : TC_ENOMEM;
}

/* X <- the p x p identity, or a Haar orthogonal matrix (full family). */
static int FUNCTION(rb_orthogonal)(MAT *X, const rb_config *c, gsl_rng *rng, mpfr_prec_t prec)
{
  if (c->family == RB_FULL)
    return FUNCTION(tc_quad_orthogonal)(X, rng, prec);
  mat_set_zero(X);
  for (size_t i = 0; i < c->p; i++)
    r_set_si(mat_at(X, i, i), 1);
  return TC_SUCCESS;
}

/* C <- A diag(dg) B^T (trans) or A diag(dg) B, through s->tmp. */
static int FUNCTION(rb_adb)(MAT *C, const MAT *A, const VEC *dg, const MAT *B, int trans,
                            FUNCTION(rb_ws) *s)
{
  size_t p = s->p;
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++)
      r_mul(mat_at(s->tmp, i, j), mat_at(A, i, j), vec_at(dg, j));
  if (!trans)
    return mat_gemm(C, s->tmp, B);
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++)
      r_set(mat_at(s->T, i, j), mat_at(B, j, i));
  return mat_gemm(C, s->tmp, s->T);
}

/* G <- Q D P^T and Ginv <- P D^-1 Q^T for a fresh gauge (D from the
 * instance's draws), or G = Ginv = I at the ends of the chain. */
static int FUNCTION(rb_gauge)(FUNCTION(rb_ws) *s, const rb_config *c, gsl_rng *rng, int ends,
                              mpfr_prec_t prec)
{
  size_t p = c->p;
  int status = TC_SUCCESS;
  if (ends) {
    for (size_t i = 0; i < p; i++)
      r_set_si(vec_at(s->dg, i), 1);
    TC_TRY(FUNCTION(rb_orthogonal)(s->Q, &(rb_config){.family = RB_DIAGONAL, .p = p}, rng, prec));
    TC_TRY(mat_copy(s->P, s->Q));
  } else {
    TC_TRY(FUNCTION(rb_orthogonal)(s->Q, c, rng, prec));
    TC_TRY(FUNCTION(rb_orthogonal)(s->P, c, rng, prec));
    for (size_t i = 0; i < p; i++) { /* exp in the backend: G Ginv = I to its precision */
      r_set_double(vec_at(s->dg, i), c->gauge * gsl_ran_gaussian(rng, 1.0));
      r_exp(vec_at(s->dg, i), vec_at(s->dg, i));
    }
  }
  for (size_t i = 0; i < p; i++) {
    r_set_si(vec_at(s->dinv, i), 1);
    r_div(vec_at(s->dinv, i), vec_at(s->dinv, i), vec_at(s->dg, i));
  }
  TC_TRY(FUNCTION(rb_adb)(s->G, s->Q, s->dg, s->P, 1, s));
  TC_TRY(FUNCTION(rb_adb)(s->Ginv, s->P, s->dinv, s->Q, 1, s));
done:
  return status;
}

/* ||X||_F^2 added to acc. */
static void FUNCTION(rb_frob2_add)(REAL_PTR acc, const MAT *X)
{
  for (size_t i = 0; i < X->rows * X->cols; i++)
    r_fma(acc, mat_at(X, i / X->cols, i % X->cols), mat_at(X, i / X->cols, i % X->cols), acc);
}

/* s->M <- the balanced factor l (1-based) of B = U diag(sigma) V^T:
 * diag(r) V^T, diag(r), or U diag(r), with r = sigma^{1/L}. */
static void FUNCTION(rb_balanced)(FUNCTION(rb_ws) *s, const VEC *r, size_t l, size_t L)
{
  size_t p = s->p;
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++) {
      REAL_PTR m = mat_at(s->M, i, j);
      if (l == 1)
        r_mul(m, vec_at(r, i), mat_at(s->V, j, i));
      else if (l == L)
        r_mul(m, mat_at(s->U, i, j), vec_at(r, j));
      else if (i == j)
        r_set(m, vec_at(r, i));
      else
        r_set_si(m, 0);
    }
}

/* What the chain accumulates: reg and reg_bal, (1/2) sum ||.||_F^2 of
 * the moved and the balanced factors; pnorm = prod_l ||W_l||_F; a_rel =
 * sum_l a_l / ||W_l||_F and reg_err = sum_l 2 a_l ||W_l||_F with a_l =
 * ||G_l||_F ||M_l||_F ||G_{l-1}^{-1}||_F, the scale of the rounding of
 * W_l = G_l M_l G_{l-1}^{-1} (to be multiplied by gamma). */
typedef struct {
  REAL reg, reg_bal, pnorm, a_rel, reg_err;
} FUNCTION(rb_acc);

/* ||X||_F into f. */
static void FUNCTION(rb_frob)(REAL_PTR f, const MAT *X)
{
  r_set_si(f, 0);
  FUNCTION(rb_frob2_add)(f, X);
  r_sqrt(f, f);
}

/* The chain: for l = 1..L, W_l = G_l M_l G_{l-1}^{-1} (M_l balanced);
 * s->prod <- W_L ... W_1. */
static int FUNCTION(rb_chain)(FUNCTION(rb_ws) *s, FUNCTION(rb_acc) *a, const rb_config *c, const VEC *r,
                              gsl_rng *rng, mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  REAL f, gi, al;
  r_init(f, prec);
  r_init(gi, prec);
  r_init(al, prec);
  TC_TRY(FUNCTION(rb_gauge)(s, c, rng, 1, prec)); /* G_0 = I */
  TC_TRY(mat_copy(s->Gprev, s->Ginv));
  TC_TRY(mat_copy(s->prod, s->G));
  for (size_t l = 1; l <= c->L; l++) {
    FUNCTION(rb_frob)(gi, s->Gprev);
    TC_TRY(FUNCTION(rb_gauge)(s, c, rng, l == c->L, prec));
    FUNCTION(rb_balanced)(s, r, l, c->L);
    FUNCTION(rb_frob2_add)(a->reg_bal, s->M);
    FUNCTION(rb_frob)(f, s->M);
    r_mul(al, gi, f);
    FUNCTION(rb_frob)(f, s->G);
    r_mul(al, al, f);
    TC_TRY(mat_gemm(s->W, s->M, s->Gprev));
    TC_TRY(mat_gemm(s->M, s->G, s->W));
    FUNCTION(rb_frob)(f, s->M);
    r_fma(a->reg, f, f, a->reg);
    r_mul(a->pnorm, a->pnorm, f);
    r_mul(gi, al, f);
    r_mul_double(gi, gi, 2.0);
    r_add(a->reg_err, a->reg_err, gi);
    r_div(gi, al, f);
    r_add(a->a_rel, a->a_rel, gi);
    TC_TRY(mat_gemm(s->W, s->M, s->prod));
    TC_TRY(mat_copy(s->prod, s->W));
    TC_TRY(mat_copy(s->Gprev, s->Ginv));
  }
  r_mul_double(a->reg, a->reg, 0.5);
  r_mul_double(a->reg_bal, a->reg_bal, 0.5);
done:
  r_clear(f);
  r_clear(gi);
  r_clear(al);
  return status;
}

/* The singular values of s->prod, descending, into s->ev[0..p-1], from
 * the eigenvalues +-sigma_i of [[0, B], [B^T, 0]]. */
static int FUNCTION(rb_singular)(FUNCTION(rb_ws) *s)
{
  size_t p = s->p;
  int status = TC_SUCCESS;
  TC_TRY(mat_set_zero(s->S));
  for (size_t i = 0; i < p; i++)
    for (size_t j = 0; j < p; j++) {
      r_set(mat_at(s->S, i, p + j), mat_at(s->prod, i, j));
      r_set(mat_at(s->S, p + j, i), mat_at(s->prod, i, j));
    }
  TC_TRY(eigen_symm(s->ev, s->S, s->ews));
  for (size_t i = 0; i < p; i++) /* ascending: the top p are sigma; put them largest first */
    r_set(vec_at(s->ev, i), vec_at(s->ev, 2 * p - 1 - i));
done:
  return status;
}

/* From the singular values in s->ev (the first p): sch,
 * nuc, frob and rank over those above delta, and the spread
 * sum_i (sigma_i + delta)^{2/L} - max(sigma_i - delta, 0)^{2/L}. */
static void FUNCTION(rb_schatten)(REAL_PTR *v, const FUNCTION(rb_ws) *s, REAL_SRCPTR delta,
                                  REAL_SRCPTR e2L, size_t *rank, mpfr_prec_t prec)
{
  REAL_PTR sch = v[0], nuc = v[1], frob = v[2], spread = v[3];
  REAL t, q;
  r_init(t, prec);
  r_init(q, prec);
  for (size_t k = 0; k < 4; k++)
    r_set_si(v[k], 0);
  *rank = 0;
  for (size_t i = 0; i < s->p; i++) {
    REAL_SRCPTR sg = vec_at(s->ev, i);
    r_add(t, sg, delta);
    r_pow(q, t, e2L);
    r_add(spread, spread, q);
    r_sub(t, sg, delta);
    if (r_sgn(t) > 0) {
      r_pow(q, t, e2L);
      r_sub(spread, spread, q);
    }
    if (r_cmp(sg, delta) <= 0)
      continue;
    ++*rank;
    r_pow(q, sg, e2L);
    r_add(sch, sch, q);
    r_add(nuc, nuc, sg);
    r_fma(frob, sg, sg, frob);
  }
  r_sqrt(frob, frob);
  r_clear(t);
  r_clear(q);
}

/* Rows and note of one instance (reg_bias.c, header). */
static int FUNCTION(rb_put)(tc_record *out, const rb_config *c, FUNCTION(rb_acc) *a, REAL_PTR *v,
                            size_t rank, REAL_PTR errv)
{
  int status;
  if ((status = tc_record_put_double(out, "depth", (double)c->L)) ||
      (status = record_put(out, "reg", a->reg)) || (status = record_put(out, "reg_bal", a->reg_bal)) ||
      (status = record_put(out, "sch", v[0])) || (status = record_put(out, "nuc", v[1])) ||
      (status = record_put(out, "frob", v[2])) ||
      (status = tc_record_put_double(out, "rank", (double)rank)) ||
      (status = record_put(out, "err", errv)) || (status = tc_record_end_row(out)))
    return status;
  double bound = 0.5 * (double)c->L * r_get_double(v[0]);
  tc_record_note(out, "%s p=%zu L=%zu spectrum=%s cond=%g gauge=%g: rank %zu; reg / ((L/2) sch) = %.9g; "
                 "reg_bal / ((L/2) sch) = %.9g err %.3g", rb_families[c->family], c->p, c->L,
                 rb_spectra[c->spectrum], c->cond, c->gauge, rank, r_get_double(a->reg) / bound,
                 r_get_double(a->reg_bal) / bound, r_get_double(errv));
  return TC_SUCCESS;
}

/* The instance's B = U diag(sigma) V^T and r = sigma^{1/L}. */
static int FUNCTION(rb_instance)(FUNCTION(rb_ws) *s, VEC *r, const rb_config *c, gsl_rng *rng,
                                 mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  REAL e;
  r_init(e, prec);
  rb_spectrum(s->sigma, c, rng);
  TC_TRY(FUNCTION(rb_orthogonal)(s->U, c, rng, prec));
  TC_TRY(FUNCTION(rb_orthogonal)(s->V, c, rng, prec));
  if (c->family == RB_DIAGONAL) /* beta's signs */
    for (size_t j = 0; j < c->p; j++)
      if (gsl_rng_uniform(rng) < 0.5)
        r_neg(mat_at(s->U, j, j), mat_at(s->U, j, j));
  r_set_si(e, 1);
  r_div_double(e, e, (double)c->L);
  for (size_t i = 0; i < c->p; i++) {
    r_set_double(vec_at(r, i), s->sigma[i]);
    r_pow(vec_at(r, i), vec_at(r, i), e);
  }
done:
  r_clear(e);
  return status;
}

static int FUNCTION(rb_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  rb_config c;
  int status = rb_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  FUNCTION(rb_ws) s = {0};
  VEC *r = vec_alloc(c.p, prec);
  FUNCTION(rb_acc) a;
  REAL u, gamma, delta, e2L, errv, sch, nuc, frob, spread;
  REAL_PTR reals[] = {a.reg, a.reg_bal, a.pnorm, a.a_rel, a.reg_err, u, gamma, delta, e2L, errv,
                      sch, nuc, frob, spread};
  size_t nr = sizeof reals / sizeof reals[0], rank = 0;
  for (size_t i = 0; i < nr; i++)
    r_init(reals[i], prec), r_set_si(reals[i], 0);
  r_set_si(a.pnorm, 1);
  status = rng && r ? FUNCTION(rb_alloc)(&s, c.p, prec) : TC_ENOMEM;
  if (status == TC_SUCCESS)
    status = FUNCTION(rb_instance)(&s, r, &c, rng, prec);
  if (status == TC_SUCCESS)
    status = FUNCTION(rb_chain)(&s, &a, &c, r, rng, prec);
  if (status == TC_SUCCESS)
    status = FUNCTION(rb_singular)(&s);
  if (status == TC_SUCCESS) {
    /* gamma = 4 (p + 2) u per product; delta = the product's rounding
     * plus the eigensolver's, a few ulps of sigma_max. */
    FUNCTION(tc_quad_unit_roundoff)(u, prec);
    r_mul_double(gamma, u, 4.0 * (double)(c.p + 2));
    r_add_double(delta, a.a_rel, (double)c.L);
    r_mul(delta, delta, a.pnorm);
    r_mul(delta, delta, gamma);
    r_mul_double(errv, u, 16.0 * (double)c.p);
    r_fma(delta, errv, vec_at(s.ev, 0), delta);
    r_set_si(e2L, 2);
    r_div_double(e2L, e2L, (double)c.L);
    REAL_PTR v[] = {sch, nuc, frob, spread};
    FUNCTION(rb_schatten)(v, &s, delta, e2L, &rank, prec);
    /* err = (L/2) spread + gamma (reg_err + 4 p reg) */
    r_mul_double(errv, a.reg, 4.0 * (double)c.p);
    r_add(errv, errv, a.reg_err);
    r_mul(errv, errv, gamma);
    r_mul_double(spread, spread, 0.5 * (double)c.L);
    r_add(errv, errv, spread);
    status = FUNCTION(rb_put)(out, &c, &a, v, rank, errv);
  }
  if (status != TC_SUCCESS && !err[0])
    snprintf(err, errlen, "reg-bias: %s", tc_strerror(status));
  for (size_t i = 0; i < nr; i++)
    r_clear(reals[i]);
  FUNCTION(rb_free)(&s);
  if (r)
    vec_free(r);
  if (rng)
    gsl_rng_free(rng);
  return status;
}
