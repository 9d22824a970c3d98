/* saddle_mf_source.h — the saddle-mf measurements in the generic names of
 * tc_templates_on.h, instantiated per backend by saddle_mf.c (which
 * documents the instance, the derivatives and the rows). */

#include "quadratic_source.h" /* tc_quad_prec, _unit_roundoff, _orthogonal, _form */

typedef struct {
  mf_config c;
  double *lam;
  long idx[MF_MAX_R];
  MAT *Q, *Q2, *M, *U, *K; /* K: r x r scratch for U^T U; Q2: asym's right factor */
  gsl_rng *rng;
} FUNCTION(mf_setup);

static void FUNCTION(mf_setup_free)(FUNCTION(mf_setup) *s)
{
  free(s->lam);
  MAT *m[] = {s->Q, s->Q2, s->M, s->U, s->K};
  for (size_t i = 0; i < 5; i++)
    if (m[i])
      mat_free(m[i]);
  if (s->rng)
    gsl_rng_free(s->rng);
}

/* A <- P diag(sig) Q^T (not symmetric). */
static void FUNCTION(mf_asym_form)(MAT *A, const MAT *P, const MAT *Q, const double *sig,
                                   mpfr_prec_t prec)
{
  size_t d = P->rows;
  REAL t;
  r_init(t, prec);
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      r_set_si(mat_at(A, i, j), 0);
      for (size_t k = 0; k < d; k++) {
        r_mul(t, mat_at(P, i, k), mat_at(Q, j, k));
        r_mul_double(t, t, sig[k]);
        r_add(mat_at(A, i, j), mat_at(A, i, j), t);
      }
    }
  r_clear(t);
}

/* U* <- [sqrt(lam_s) q_s] for the columns' eigen-indices s->idx (-1: 0);
 * asym: theta = [U V] with V's columns sqrt(sigma_s) q2_s. */
static void FUNCTION(mf_build_u)(FUNCTION(mf_setup) *s, mpfr_prec_t prec)
{
  REAL a;
  r_init(a, prec);
  mat_set_zero(s->U);
  for (size_t m = 0; m < s->c.r; m++) {
    if (s->idx[m] < 0)
      continue;
    r_set_double(a, s->lam[s->idx[m]]);
    r_sqrt(a, a);
    for (size_t i = 0; i < s->c.d; i++) {
      r_mul(mat_at(s->U, i, m), mat_at(s->Q, i, (size_t)s->idx[m]), a);
      if (s->c.asym)
        r_mul(mat_at(s->U, i, s->c.r + m), mat_at(s->Q2, i, (size_t)s->idx[m]), a);
    }
  }
  r_clear(a);
}

/* M = Q diag(lam) Q^T and U* = [sqrt(lam_s) q_s], all in the backend. */
static int FUNCTION(mf_setup_init)(FUNCTION(mf_setup) *s, const tc_instance *inst, mpfr_prec_t prec,
                                   char *err, size_t errlen)
{
  memset(s, 0, sizeof *s);
  int status = mf_config_read(&s->c, inst->point, NULL, err, errlen);
  if (status)
    return status;
  size_t d = s->c.d, r = s->c.r;
  s->lam = malloc(d * sizeof *s->lam);
  s->Q = mat_alloc(d, d, prec);
  s->M = mat_alloc(d, d, prec);
  s->U = mat_alloc(d, s->c.p, prec);
  s->K = mat_alloc(r, r, prec);
  s->rng = tc_rng_alloc(inst->seed);
  if (!s->lam || !s->Q || !s->M || !s->U || !s->K || !s->rng)
    return TC_ENOMEM;
  mf_spectrum(s->lam, &s->c, s->rng);
  mf_columns(s->idx, &s->c);
  if ((status = FUNCTION(tc_quad_orthogonal)(s->Q, s->rng, prec)))
    return status;
  if (s->c.asym) { /* A = P diag(sigma) Q2^T, P = Q */
    if (!(s->Q2 = mat_alloc(d, d, prec)))
      return TC_ENOMEM;
    if ((status = FUNCTION(tc_quad_orthogonal)(s->Q2, s->rng, prec)))
      return status;
    FUNCTION(mf_asym_form)(s->M, s->Q, s->Q2, s->lam, prec);
  } else {
    FUNCTION(tc_quad_form)(s->M, s->Q, s->lam, prec);
  }
  FUNCTION(mf_build_u)(s, prec);
  return TC_SUCCESS;
}

/* K <- U^T U. */
static void FUNCTION(mf_gram)(MAT *K, const MAT *U)
{
  size_t d = U->rows, r = U->cols;
  for (size_t a = 0; a < r; a++)
    for (size_t b = 0; b < r; b++) {
      r_set_si(mat_at(K, a, b), 0);
      for (size_t i = 0; i < d; i++)
        r_fma(mat_at(K, a, b), mat_at(U, i, a), mat_at(U, i, b), mat_at(K, a, b));
    }
}

/* G <- grad f(U) = 4 (U U^T - M) U = 4 (U (U^T U) - M U), O(d^2 r). */
static void FUNCTION(mf_grad)(MAT *G, const MAT *U, const MAT *M, MAT *K, mpfr_prec_t prec)
{
  size_t d = U->rows, r = U->cols;
  REAL acc;
  r_init(acc, prec);
  FUNCTION(mf_gram)(K, U);
  for (size_t j = 0; j < d; j++)
    for (size_t m = 0; m < r; m++) {
      r_set_si(acc, 0);
      for (size_t a = 0; a < r; a++)
        r_fma(acc, mat_at(U, j, a), mat_at(K, a, m), acc);
      r_neg(acc, acc);
      for (size_t i = 0; i < d; i++)
        r_fma(acc, mat_at(M, j, i), mat_at(U, i, m), acc);
      r_mul_double(mat_at(G, j, m), acc, -4.0);
    }
  r_clear(acc);
}

/* H <- the Hessian at U on the basis E_{i,m} (index m d + i):
 * 4 R_ji [m = m'] + 4 U_jm U_im' + 4 [i = j] (U^T U)_mm', R = U U^T - M. */
static void FUNCTION(mf_hessian)(MAT *H, const MAT *U, const MAT *M, MAT *K, mpfr_prec_t prec)
{
  size_t d = U->rows, r = U->cols;
  REAL a;
  r_init(a, prec);
  FUNCTION(mf_gram)(K, U);
  for (size_t m = 0; m < r; m++)
    for (size_t i = 0; i < d; i++)
      for (size_t mp = 0; mp < r; mp++)
        for (size_t j = 0; j < d; j++) {
          REAL_PTR h = mat_at(H, mp * d + j, m * d + i);
          r_mul(h, mat_at(U, j, m), mat_at(U, i, mp));
          if (m == mp) { /* R_ji = (U U^T)_ji - M_ji */
            r_set_si(a, 0);
            for (size_t b = 0; b < r; b++)
              r_fma(a, mat_at(U, j, b), mat_at(U, i, b), a);
            r_sub(a, a, mat_at(M, j, i));
            r_add(h, h, a);
          }
          if (i == j)
            r_add(h, h, mat_at(K, m, mp));
          r_mul_double(h, h, 4.0);
        }
  r_clear(a);
}

/* asym, theta = T = [U V] (d x 2r): R_ij = (U V^T - A)_ij; G = [2 R V,
 * 2 R^T U]; f (if not NULL) <- ||R||_F^2. */
static void FUNCTION(mf2_grad)(MAT *G, REAL_PTR f, const MAT *T, const MAT *A, mpfr_prec_t prec)
{
  size_t d = T->rows, r = T->cols / 2;
  REAL R, t;
  r_init(R, prec);
  r_init(t, prec);
  if (G)
    mat_set_zero(G);
  if (f)
    r_set_si(f, 0);
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      r_neg(R, mat_at(A, i, j));
      for (size_t b = 0; b < r; b++)
        r_fma(R, mat_at(T, i, b), mat_at(T, j, r + b), R);
      if (f)
        r_fma(f, R, R, f);
      r_mul_double(t, R, 2.0);
      for (size_t b = 0; G && b < r; b++) {
        r_fma(mat_at(G, i, b), t, mat_at(T, j, r + b), mat_at(G, i, b));
        r_fma(mat_at(G, j, r + b), t, mat_at(T, i, b), mat_at(G, j, r + b));
      }
    }
  r_clear(R);
  r_clear(t);
}

/* asym Hessian on theta = [U V] (index c d + i for column c):
 * U-U 2 [i = i'] (V^T V)_mm', V-V 2 [j = j'] (U^T U)_mm',
 * U_im-V_jm' 2 U_im' V_jm + 2 [m = m'] R_ij. */
static void FUNCTION(mf2_hessian)(MAT *H, const MAT *T, const MAT *A, mpfr_prec_t prec)
{
  size_t d = T->rows, r = T->cols / 2;
  REAL R, a;
  r_init(R, prec);
  r_init(a, prec);
  mat_set_zero(H);
  for (size_t m = 0; m < r; m++)
    for (size_t mp = 0; mp < r; mp++) {
      REAL vv, uu;
      r_init(vv, prec);
      r_init(uu, prec);
      r_set_si(vv, 0);
      r_set_si(uu, 0);
      for (size_t j = 0; j < d; j++) {
        r_fma(vv, mat_at(T, j, r + m), mat_at(T, j, r + mp), vv);
        r_fma(uu, mat_at(T, j, m), mat_at(T, j, mp), uu);
      }
      for (size_t i = 0; i < d; i++) {
        r_mul_double(mat_at(H, m * d + i, mp * d + i), vv, 2.0);
        r_mul_double(mat_at(H, (r + m) * d + i, (r + mp) * d + i), uu, 2.0);
      }
      r_clear(vv);
      r_clear(uu);
    }
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      r_neg(R, mat_at(A, i, j));
      for (size_t b = 0; b < r; b++)
        r_fma(R, mat_at(T, i, b), mat_at(T, j, r + b), R);
      for (size_t m = 0; m < r; m++)
        for (size_t mp = 0; mp < r; mp++) {
          r_mul(a, mat_at(T, i, mp), mat_at(T, j, r + m));
          if (m == mp)
            r_add(a, a, R);
          r_mul_double(a, a, 2.0);
          r_set(mat_at(H, m * d + i, (r + mp) * d + j), a);
          r_set(mat_at(H, (r + mp) * d + j, m * d + i), a);
        }
    }
  r_clear(R);
  r_clear(a);
}

/* The form's gradient at theta (K: r x r scratch). */
static void FUNCTION(mf_gradient)(MAT *G, const MAT *T, const FUNCTION(mf_setup) *s, MAT *K,
                                  mpfr_prec_t prec)
{
  if (s->c.asym)
    FUNCTION(mf2_grad)(G, NULL, T, s->M, prec);
  else
    FUNCTION(mf_grad)(G, T, s->M, K, prec);
}

/* ex <- the closed-form spectrum at U* (see saddle_mf.c), asym form. */
static void FUNCTION(mf2_closed_spectrum)(VEC *ex, const FUNCTION(mf_setup) *s, mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.r, n = 0;
  const long *idx = s->idx;
  const double *sg = s->lam;
  REAL a;
  r_init(a, prec);
  for (size_t m = 0; m < r; m++) {
    for (size_t k = 0; k < d; k++) {
      int in = 0;
      for (size_t b = 0; b < r; b++)
        in |= idx[b] == (long)k;
      if (idx[m] < 0) { /* zero column: +-2 sigma_k off S, 0 twice on S */
        r_set_double(vec_at(ex, n++), in ? 0.0 : 2.0 * sg[k]);
        r_set_double(vec_at(ex, n++), in ? 0.0 : -2.0 * sg[k]);
      } else if (!in) { /* 2 (sigma_s -+ sigma_k) */
        r_set_double(a, sg[idx[m]]);
        r_add_double(a, a, -sg[k]);
        r_mul_double(vec_at(ex, n++), a, 2.0);
        r_set_double(a, sg[idx[m]]);
        r_add_double(a, a, sg[k]);
        r_mul_double(vec_at(ex, n++), a, 2.0);
      }
    }
    if (idx[m] < 0)
      continue;
    r_set_double(vec_at(ex, n++), 4.0 * sg[idx[m]]);
    r_set_si(vec_at(ex, n++), 0);
    for (size_t b = m + 1; b < r; b++) {
      if (idx[b] < 0)
        continue;
      r_set_double(a, sg[idx[m]]);
      r_add_double(a, a, sg[idx[b]]);
      r_mul_double(vec_at(ex, n++), a, 2.0);
      r_set(vec_at(ex, n), vec_at(ex, n - 1));
      n++;
      r_set_si(vec_at(ex, n++), 0);
      r_set_si(vec_at(ex, n++), 0);
    }
  }
  r_clear(a);
}

/* ex <- the closed-form spectrum at U* (see saddle_mf.c), from lambda. */
static void FUNCTION(mf_closed_spectrum)(VEC *ex, const FUNCTION(mf_setup) *s, mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.r, n = 0;
  const long *idx = s->idx;
  REAL a;
  if (s->c.asym) {
    FUNCTION(mf2_closed_spectrum)(ex, s, prec);
    return;
  }
  r_init(a, prec);
  for (size_t m = 0; m < r; m++) {
    if (idx[m] < 0) { /* a zero column: -4 lambda_k off S, 0 on S */
      for (size_t k = 0; k < d; k++) {
        int in = 0;
        for (size_t b = 0; b < r; b++)
          in |= idx[b] == (long)k;
        r_set_double(vec_at(ex, n++), in ? 0.0 : -4.0 * s->lam[k]);
      }
      continue;
    }
    for (size_t k = 0; k < d; k++) {
      int in = 0;
      for (size_t b = 0; b < r; b++)
        in |= idx[b] == (long)k;
      if (in)
        continue;
      r_set_double(a, s->lam[idx[m]]); /* exact difference of two doubles */
      r_add_double(a, a, -s->lam[k]);
      r_mul_double(vec_at(ex, n++), a, 4.0);
    }
    r_set_double(vec_at(ex, n++), 8.0 * s->lam[idx[m]]);
    for (size_t b = m + 1; b < r; b++) {
      if (idx[b] < 0)
        continue;
      r_set_si(vec_at(ex, n++), 0);
      r_set_double(a, s->lam[idx[m]]);
      r_add_double(a, a, s->lam[idx[b]]);
      r_mul_double(vec_at(ex, n++), a, 4.0);
    }
  }
  r_clear(a);
}

/* perm <- the indices of v in ascending order (insertion sort). */
static void FUNCTION(mf_argsort)(size_t *perm, const VEC *v)
{
  for (size_t i = 0; i < v->n; i++) {
    perm[i] = i;
    for (size_t j = i; j > 0 && r_cmp(vec_at(v, perm[j - 1]), vec_at(v, perm[j])) > 0; j--) {
      size_t t = perm[j];
      perm[j] = perm[j - 1];
      perm[j - 1] = t;
    }
  }
}

/* ||A||_F. */
static void FUNCTION(mf_fro)(REAL_PTR out, const MAT *A)
{
  r_set_si(out, 0);
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = 0; j < A->cols; j++)
      r_fma(out, mat_at(A, i, j), mat_at(A, i, j), out);
  r_sqrt(out, out);
}

/* C <- the h^3 coefficient of grad(theta + h Z): 4 Z Z^T Z (sym), or
 * [2 X Y^T Y, 2 Y X^T X] for Z = [X Y] (asym).  K: r x r scratch. */
static void FUNCTION(mf_cubic)(MAT *C, const MAT *Z, MAT *K, int asym, mpfr_prec_t prec)
{
  size_t d = Z->rows, r = K->rows;
  REAL acc;
  r_init(acc, prec);
  for (size_t half = 0; half < (asym ? 2u : 1u); half++) {
    /* the block multiplied (X for the U half) and the Gram taken (Y^T Y) */
    size_t out = asym ? half * r : 0, gram = asym ? (1 - half) * r : 0;
    for (size_t a = 0; a < r; a++)
      for (size_t b = 0; b < r; b++) {
        r_set_si(mat_at(K, a, b), 0);
        for (size_t i = 0; i < d; i++)
          r_fma(mat_at(K, a, b), mat_at(Z, i, gram + a), mat_at(Z, i, gram + b), mat_at(K, a, b));
      }
    for (size_t i = 0; i < d; i++)
      for (size_t m = 0; m < r; m++) {
        r_set_si(acc, 0);
        for (size_t b = 0; b < r; b++)
          r_fma(acc, mat_at(Z, i, out + b), mat_at(K, b, m), acc);
        r_mul_double(mat_at(C, i, out + m), acc, asym ? 2.0 : 4.0);
      }
  }
  r_clear(acc);
}

/* rel <- ||D - H vec(V)|| / ||H vec(V)|| for a random unit V, where D =
 * (grad f(U + hV) - grad f(U - hV)) / 2h - 4 h^2 V V^T V: the gradient is
 * cubic in U, so D is exactly H[V] up to rounding; a wrong Hessian formula
 * (or gradient) leaves a residual of order 1. */
static int FUNCTION(mf_hvp_fd)(REAL_PTR rel, const MAT *H, const FUNCTION(mf_setup) *s,
                               mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.r, p = s->c.p, n = d * p;
  const double h = 1e-3;
  MAT *V = mat_alloc(d, p, prec), *W = mat_alloc(d, p, prec), *Gp = mat_alloc(d, p, prec);
  MAT *Gm = mat_alloc(d, p, prec), *K = mat_alloc(r, r, prec);
  VEC *v = vec_alloc(n, prec), *hv = vec_alloc(n, prec);
  REAL a, nv;
  r_init(a, prec);
  r_init(nv, prec);
  int status = V && W && Gp && Gm && K && v && hv ? TC_SUCCESS : TC_ENOMEM;
  if (status)
    goto done;
  for (size_t k = 0; k < n; k++)
    r_set_double(vec_at(v, k), gsl_ran_gaussian(s->rng, 1.0));
  TC_TRY(vec_norm2(nv, v));
  for (size_t k = 0; k < n; k++) {
    r_div(vec_at(v, k), vec_at(v, k), nv);
    r_set(mat_at(V, k % d, k / d), vec_at(v, k));
  }
  for (int sg = -1; sg <= 1; sg += 2) {
    r_set_double(a, sg * h);
    for (size_t i = 0; i < d; i++)
      for (size_t m = 0; m < p; m++)
        r_fma(mat_at(W, i, m), mat_at(V, i, m), a, mat_at(s->U, i, m));
    FUNCTION(mf_gradient)(sg > 0 ? Gp : Gm, W, s, K, prec);
  }
  TC_TRY(mat_gemv(hv, H, v));
  FUNCTION(mf_cubic)(W, V, K, s->c.asym, prec); /* the gradient's cubic term */
  r_set_si(rel, 0);
  for (size_t i = 0; i < d; i++)
    for (size_t m = 0; m < p; m++) {
      r_sub(a, mat_at(Gp, i, m), mat_at(Gm, i, m));
      r_div_double(a, a, 2 * h);
      r_mul_double(nv, mat_at(W, i, m), h * h);
      r_sub(a, a, nv);
      r_sub(a, a, vec_at(hv, m * d + i));
      r_fma(rel, a, a, rel);
    }
  r_sqrt(rel, rel);
  TC_TRY(vec_norm2(nv, hv));
  r_div(rel, rel, nv);
done:
  r_clear(a);
  r_clear(nv);
  MAT *mm[] = {V, W, Gp, Gm, K};
  for (size_t i = 0; i < 5; i++)
    if (mm[i])
      mat_free(mm[i]);
  if (v)
    vec_free(v);
  if (hv)
    vec_free(hv);
  return status;
}

/* f <- ||U U^T - M||_F^2 (the symmetric difference, both triangles). */
static void FUNCTION(mf_value)(REAL_PTR f, const MAT *U, const MAT *M, mpfr_prec_t prec)
{
  size_t d = U->rows, r = U->cols;
  REAL a;
  r_init(a, prec);
  r_set_si(f, 0);
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      r_neg(a, mat_at(M, i, j));
      for (size_t b = 0; b < r; b++)
        r_fma(a, mat_at(U, i, b), mat_at(U, j, b), a);
      r_fma(f, a, a, f);
    }
  r_clear(a);
}

/* rel <- |a1 - <grad f(U1), V>| / ||grad f(U1)||_F at U1 = U* + 0.1 Z
 * (Z, V random unit): f(U1 + hV) is a quartic in h, so with D(h) =
 * (f(U1 + hV) - f(U1 - hV)) / 2h = a1 + a3 h^2, a1 = (4 D(h) - D(2h)) / 3
 * exactly: the gradient formula against the function itself. */
static int FUNCTION(mf_grad_fd)(REAL_PTR rel, const FUNCTION(mf_setup) *s, mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.r, p = s->c.p;
  const double h = 1e-3;
  MAT *U1 = mat_alloc(d, p, prec), *V = mat_alloc(d, p, prec), *W = mat_alloc(d, p, prec);
  MAT *G = mat_alloc(d, p, prec), *K = mat_alloc(r, r, prec);
  REAL a, fp, D[2], g;
  r_init(a, prec);
  r_init(fp, prec);
  r_init(D[0], prec);
  r_init(D[1], prec);
  r_init(g, prec);
  int status = U1 && V && W && G && K ? TC_SUCCESS : TC_ENOMEM;
  for (size_t i = 0; status == TC_SUCCESS && i < d; i++)
    for (size_t b = 0; b < p; b++) {
      r_set_double(a, 0.1 * gsl_ran_gaussian(s->rng, 1.0) / sqrt((double)(d * p)));
      r_add(mat_at(U1, i, b), mat_at(s->U, i, b), a);
      r_set_double(mat_at(V, i, b), gsl_ran_gaussian(s->rng, 1.0));
    }
  if (status)
    goto done;
  FUNCTION(mf_fro)(a, V);
  for (size_t i = 0; i < d; i++)
    for (size_t b = 0; b < p; b++)
      r_div(mat_at(V, i, b), mat_at(V, i, b), a);
  for (int k = 0; k < 2; k++) { /* D(h), D(2h) */
    for (int sg = 1; sg >= -1; sg -= 2) {
      r_set_double(a, sg * h * (k + 1));
      for (size_t i = 0; i < d; i++)
        for (size_t b = 0; b < p; b++)
          r_fma(mat_at(W, i, b), mat_at(V, i, b), a, mat_at(U1, i, b));
      if (s->c.asym)
        FUNCTION(mf2_grad)(NULL, sg > 0 ? fp : a, W, s->M, prec);
      else
        FUNCTION(mf_value)(sg > 0 ? fp : a, W, s->M, prec);
    }
    r_sub(D[k], fp, a);
    r_div_double(D[k], D[k], 2 * h * (k + 1));
  }
  r_mul_double(D[0], D[0], 4.0);
  r_sub(D[0], D[0], D[1]);
  r_div_double(D[0], D[0], 3.0);
  FUNCTION(mf_gradient)(G, U1, s, K, prec);
  r_set_si(g, 0);
  for (size_t i = 0; i < d; i++)
    for (size_t b = 0; b < p; b++)
      r_fma(g, mat_at(G, i, b), mat_at(V, i, b), g);
  r_sub(rel, D[0], g);
  r_abs(rel, rel);
  FUNCTION(mf_fro)(a, G);
  r_div(rel, rel, a);
done:
  r_clear(a);
  r_clear(fp);
  r_clear(D[0]);
  r_clear(D[1]);
  r_clear(g);
  MAT *mm[] = {U1, V, W, G, K};
  for (size_t i = 0; i < 5; i++)
    if (mm[i])
      mat_free(mm[i]);
  return status;
}

/* The Hessian at U*, its measured spectrum ev (ascending), the closed form
 * ex, spec_dev, hess_err = 16 n u max(|mu|, 1) and lmin_exact. */
typedef struct {
  MAT *H;
  VEC *ev, *ex;
  REAL lmin_exact, spec_dev, hess_err;
} FUNCTION(mf_spec);

static int FUNCTION(mf_spec_compute)(FUNCTION(mf_spec) *sp, const FUNCTION(mf_setup) *s,
                                     mpfr_prec_t prec)
{
  size_t n = s->c.d * s->c.p;
  int status = TC_SUCCESS;
  EIGEN_WS *ws = eigen_ws_alloc(n, prec);
  size_t *p1 = calloc(n > 0 ? n : 1, sizeof *p1);
  REAL a, u;
  r_init(a, prec);
  r_init(u, prec);
  sp->H = mat_alloc(n, n, prec);
  sp->ev = vec_alloc(n, prec);
  sp->ex = vec_alloc(n, prec);
  if (!ws || !p1 || !sp->H || !sp->ev || !sp->ex) {
    status = TC_ENOMEM;
    goto done;
  }
  if (s->c.asym)
    FUNCTION(mf2_hessian)(sp->H, s->U, s->M, prec);
  else
    FUNCTION(mf_hessian)(sp->H, s->U, s->M, s->K, prec);
  TC_TRY(eigen_symm(sp->ev, sp->H, ws));
  FUNCTION(mf_closed_spectrum)(sp->ex, s, prec);
  FUNCTION(mf_argsort)(p1, sp->ex);
  r_set(sp->lmin_exact, vec_at(sp->ex, p1[0]));
  r_set_si(sp->spec_dev, 0);
  r_set_si(sp->hess_err, 1);
  for (size_t i = 0; i < n; i++) { /* ev is ascending already */
    r_sub(a, vec_at(sp->ev, i), vec_at(sp->ex, p1[i]));
    r_abs(a, a);
    r_max(sp->spec_dev, sp->spec_dev, a);
    r_abs(a, vec_at(sp->ev, i));
    r_max(sp->hess_err, sp->hess_err, a);
  }
  /* entries of H carry ~ (d + r) roundings of M and U*, the eigensolver a
   * small multiple of n u ||H||: 16 n u max|mu| covers both. */
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  r_mul(sp->hess_err, sp->hess_err, u);
  r_mul_double(sp->hess_err, sp->hess_err, 16.0 * (double)n);
done:
  r_clear(a);
  r_clear(u);
  free(p1);
  if (ws)
    eigen_ws_free(ws);
  return status;
}

static void FUNCTION(mf_spec_free)(FUNCTION(mf_spec) *sp)
{
  if (sp->H)
    mat_free(sp->H);
  if (sp->ev)
    vec_free(sp->ev);
  if (sp->ex)
    vec_free(sp->ex);
  sp->H = NULL;
  sp->ev = sp->ex = NULL;
}

/* Common per-instance values every row carries. */
static int FUNCTION(mf_put_common)(tc_record *out, const FUNCTION(mf_setup) *s,
                                   const FUNCTION(mf_spec) *sp)
{
  size_t d = s->c.d, r = s->c.r, n = d * s->c.p;
  int status;
  double gap = r < d ? s->lam[r - 1] - s->lam[r] : 0;
  if ((status = record_put(out, "hess_lmin", vec_at(sp->ev, 0))) ||
      (status = record_put(out, "hess_lmax", vec_at(sp->ev, n - 1))) ||
      (status = record_put(out, "lmin_exact", sp->lmin_exact)) ||
      (status = record_put(out, "spec_dev", sp->spec_dev)) ||
      (status = record_put(out, "hess_err", sp->hess_err)) ||
      (status = tc_record_put_double(out, "lmax_M", s->lam[0])) ||
      (status = tc_record_put_double(out, "lam_r", s->lam[r - 1])) ||
      (status = tc_record_put_double(out, "gap_abs", gap)) ||
      (status = tc_record_put_double(out, "d", (double)d)))
    return status;
  return tc_record_put_double(out, "r", (double)r);
}

/* mode = hessian: one row classifying U*. */
static int FUNCTION(mf_measure_hessian)(tc_record *out, const FUNCTION(mf_setup) *s,
                                        const FUNCTION(mf_spec) *sp, mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.r;
  int status = TC_SUCCESS;
  MAT *G = mat_alloc(d, s->c.p, prec);
  REAL gn, gerr, a, fd;
  r_init(gn, prec);
  r_init(gerr, prec);
  r_init(a, prec);
  r_init(fd, prec);
  if (!G) {
    status = TC_ENOMEM;
    goto done;
  }
  FUNCTION(mf_gradient)(G, s->U, s, s->K, prec);
  FUNCTION(mf_fro)(gn, G);
  /* grad f(U*) = 4 (U*U*^T - M) U* vanishes exactly only for an exactly
   * orthogonal Q: (d + r) roundings of entries of size ||M||_F + ||U*||^2,
   * times ||U*||_F (at least 1), with margin. */
  FUNCTION(mf_fro)(gerr, s->U);
  r_sqr(a, gerr);
  FUNCTION(mf_fro)(fd, s->M);
  r_add(a, a, fd);
  r_set_si(fd, 1);
  r_max(gerr, gerr, fd);
  r_mul(gerr, gerr, a);
  FUNCTION(tc_quad_unit_roundoff)(a, prec);
  r_mul(gerr, gerr, a);
  r_mul_double(gerr, gerr, 32.0 * (double)(d + r));
  TC_TRY(FUNCTION(mf_hvp_fd)(fd, sp->H, s, prec));
  TC_TRY(FUNCTION(mf_grad_fd)(a, s, prec));
  if ((status = record_put(out, "grad_norm", gn)) || (status = record_put(out, "grad_err", gerr)) ||
      (status = record_put(out, "hvp_fd", fd)) || (status = record_put(out, "grad_fd", a)) ||
      (status = tc_record_put_double(out, "is_min", mf_is_top(s->idx, r))) ||
      (status = tc_record_put_double(out, "sid", mf_subset_id(s->idx, r))) ||
      (status = FUNCTION(mf_put_common)(out, s, sp)))
    goto done;
  status = tc_record_end_row(out);
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s%s d=%zu r=%zu: ||grad||=%.3g (err %.3g), Hessian spectrum [%.12g, %.12g], "
                   "closed-form lambda_min %.12g, max deviation %.3g (err %.3g), lambda_r - "
                   "lambda_r+1 = %.3g, HVP vs finite difference %.3g, gradient vs f %.3g",
                   s->c.asym ? "asym " : "", mf_subsets[s->c.subset], d, r, r_get_double(gn),
                   r_get_double(gerr),
                   r_get_double(vec_at(sp->ev, 0)), r_get_double(vec_at(sp->ev, d * s->c.p - 1)),
                   r_get_double(sp->lmin_exact), r_get_double(sp->spec_dev),
                   r_get_double(sp->hess_err), r < d ? s->lam[r - 1] - s->lam[r] : 0.0,
                   r_get_double(fd), r_get_double(a));
done:
  r_clear(gn);
  r_clear(gerr);
  r_clear(a);
  r_clear(fd);
  if (G)
    mat_free(G);
  return status;
}

/* The closed-form unit eigenvector of lambda_min at a saddle: column m,
 * direction q_k.  U* = 0: (k, m) = (1, 1); else the pair (m, k not in S)
 * with the smallest lambda_{s_m} - lambda_k. */
static void FUNCTION(mf_min_direction)(size_t *km, size_t *mm, const FUNCTION(mf_setup) *s)
{
  size_t d = s->c.d, r = s->c.r;
  double best = INFINITY;
  *km = 0;
  *mm = 0;
  if (s->c.subset == MF_ZERO)
    return;
  for (size_t m = 0; m < r; m++)
    for (size_t k = 0; k < d; k++) {
      int in = 0;
      for (size_t b = 0; b < r; b++)
        in |= s->idx[b] == (long)k;
      if (!in && s->lam[s->idx[m]] - s->lam[k] < best) {
        best = s->lam[s->idx[m]] - s->lam[k];
        *km = k;
        *mm = m;
      }
    }
}


static int FUNCTION(mf_gd_rows)(tc_record *out, const FUNCTION(mf_setup) *s,
                                const FUNCTION(mf_spec) *sp, VEC *const *ser, long T,
                                REAL_SRCPTR const *sc,
                                const char *const *scn, size_t nsc)
{
  static const char *const names[MF_NSER] = {"y1", "rem", "y_err", "wnorm"};
  int status = TC_SUCCESS;
  for (long t = 1; t <= T && status == TC_SUCCESS; t++) {
    if ((status = tc_record_put_double(out, "t", (double)t)))
      break;
    for (int i = 0; i < MF_NSER && status == TC_SUCCESS; i++)
      status = record_put(out, names[i], vec_at(ser[i], (size_t)t - 1));
    for (size_t i = 0; i < nsc && status == TC_SUCCESS; i++)
      status = record_put(out, scn[i], sc[i]);
    if (status == TC_SUCCESS && (status = FUNCTION(mf_put_common)(out, s, sp)) == TC_SUCCESS)
      status = tc_record_end_row(out);
  }
  return status;
}

/* y <- <q_k e_m^T, U - U*> and W <- U - U*. */
static void FUNCTION(mf_disp)(REAL_PTR y, MAT *W, const MAT *U, const FUNCTION(mf_setup) *s,
                              size_t k, size_t m, mpfr_prec_t prec)
{
  r_set_si(y, 0);
  for (size_t i = 0; i < s->c.d; i++) {
    for (size_t b = 0; b < s->c.p; b++)
      r_sub(mat_at(W, i, b), mat_at(U, i, b), mat_at(s->U, i, b));
    r_fma(y, mat_at(s->Q, i, k), mat_at(W, i, m), y);
    if (s->c.asym)
      r_fma(y, mat_at(s->Q2, i, k), mat_at(W, i, s->c.r + m), y);
  }
  if (s->c.asym) { /* V = (p_k e_m^T, q_k e_m^T) / sqrt 2 */
    REAL h;
    r_init(h, prec);
    r_set_si(h, 2);
    r_sqrt(h, h);
    r_div(y, y, h);
    r_clear(h);
  }
}

/* U <- U* + delta (q_k e_m^T + rest Z / ||Z||_F), Z Gaussian; start =
 * ball: U* + delta u^(1/n) Z / ||Z||_F, uniform in the ball B(delta).
 * asym (theta = [U V]): the direction is (p_k e_m^T, q_k e_m^T) / sqrt 2. */
static void FUNCTION(mf_gd_start)(MAT *U, const FUNCTION(mf_setup) *s, size_t k, size_t m,
                                  mpfr_prec_t prec)
{
  size_t d = s->c.d, r = s->c.p; /* all columns of theta */
  double *z = malloc(d * r * sizeof *z), nz = 0;
  for (size_t i = 0; z && i < d * r; i++) {
    z[i] = gsl_ran_gaussian(s->rng, 1.0);
    nz += z[i] * z[i];
  }
  int ball = s->c.start == MF_START_BALL;
  /* uniform in the ball: a uniform direction, radius delta u^(1/n) */
  double rad = ball ? pow(gsl_rng_uniform_pos(s->rng), 1.0 / (double)(d * r)) : s->c.rest;
  REAL a, w, e;
  r_init(a, prec);
  r_init(w, prec);
  r_init(e, prec);
  r_set_si(w, s->c.asym ? 2 : 1);
  r_sqrt(w, w);
  for (size_t i = 0; i < d; i++)
    for (size_t b = 0; b < r; b++) {
      r_set_double(a, z && nz > 0 ? rad * z[b * d + i] / sqrt(nz) : 0.0);
      if (!ball && (b == m || (s->c.asym && b == s->c.r + m))) {
        r_div(e, b == m ? mat_at(s->Q, i, k) : mat_at(s->Q2, i, k), w);
        r_add(a, a, e);
      }
      r_mul_double(a, a, s->c.delta);
      r_add(mat_at(U, i, b), mat_at(s->U, i, b), a);
    }
  r_clear(a);
  r_clear(w);
  r_clear(e);
  free(z);
}

/* gamma <- the rounding one GD step adds to any coordinate: eta times
 * 32 (d + r) u (||M||_F + ||U||_F^2) max(||U||_F, 1), plus the residual of
 * the closed-form eigenvector in the assembled H (hess_err ||W||). */
static void FUNCTION(mf_gd_gamma)(REAL_PTR gam, const MAT *U, REAL_SRCPTR mf, REAL_SRCPTR wn,
                                  REAL_SRCPTR eta, REAL_SRCPTR u, const FUNCTION(mf_spec) *sp,
                                  size_t d, size_t r, mpfr_prec_t prec)
{
  REAL a, b;
  r_init(a, prec);
  r_init(b, prec);
  FUNCTION(mf_fro)(a, U);
  r_sqr(b, a);
  r_add(b, b, mf);
  r_set_si(gam, 1);
  r_max(a, a, gam);
  r_mul(gam, a, b);
  r_mul(gam, gam, u);
  r_mul_double(gam, gam, 32.0 * (double)(d + r));
  r_fma(gam, sp->hess_err, wn, gam);
  r_mul(gam, gam, eta);
  r_clear(a);
  r_clear(b);
}

/* eta <- 2 eta2 / l with l = max |mu| measured (the smoothness near U*:
 * at U* = 0 every eigenvalue is negative); growth <- |1 - eta mu_min|;
 * Gn <- max_i |1 - eta mu_i|, the norm of one linearised step. */
static void FUNCTION(mf_gd_rates)(REAL_PTR eta, REAL_PTR growth, REAL_PTR Gn, const VEC *ev,
                                  double eta2, mpfr_prec_t prec)
{
  size_t n = ev->n;
  REAL a;
  r_init(a, prec);
  r_abs(a, vec_at(ev, 0));
  r_abs(eta, vec_at(ev, n - 1));
  r_max(a, a, eta);
  r_set_double(eta, 2.0 * eta2);
  r_div(eta, eta, a);
  r_mul(growth, eta, vec_at(ev, 0));
  r_neg(growth, growth);
  r_add_double(growth, growth, 1.0);
  r_abs(growth, growth);
  r_mul(a, eta, vec_at(ev, n - 1));
  r_add_double(a, a, -1.0);
  r_abs(a, a);
  r_max(Gn, growth, a);
  r_clear(a);
}

/* rem <- growth rem + eta 4 (3 ||U*||_2 ||W||^2 + ||W||^3): the bound of the
 * gradient's non-quadratic part ||grad f(U* + W) - H W||, carried along
 * the escaping direction by growth. */
static void FUNCTION(mf_gd_remainder)(REAL_PTR rem, REAL_SRCPTR growth, REAL_SRCPTR sn,
                                      REAL_SRCPTR wn, REAL_SRCPTR eta, mpfr_prec_t prec)
{
  REAL nb;
  r_init(nb, prec);
  r_mul_double(nb, sn, 3.0);
  r_add(nb, nb, wn);
  r_mul(nb, nb, wn);
  r_mul(nb, nb, wn);
  r_mul_double(nb, nb, 4.0);
  r_mul(nb, nb, eta);
  r_fma(rem, growth, rem, nb);
  r_clear(nb);
}

/* out <- 2 (d + 1) (E + t growth^(t-1) eta hess_err y10 + u ||W||): the
 * propagated rounding, the measured lambda_min's error carried by
 * growth^t, and the projection's rounding. */
static void FUNCTION(mf_gd_yerr)(REAL_PTR out, REAL_SRCPTR growth, REAL_SRCPTR eta,
                                 REAL_SRCPTR herr, REAL_SRCPTR y10, REAL_SRCPTR E, REAL_SRCPTR wn,
                                 REAL_SRCPTR u, long t, size_t d, mpfr_prec_t prec)
{
  REAL a;
  r_init(a, prec);
  r_pow_si(a, growth, t - 1);
  r_mul(a, a, eta);
  r_mul(a, a, herr);
  r_mul(a, a, y10);
  r_mul_double(a, a, (double)t);
  r_add(a, a, E);
  r_fma(a, wn, u, a);
  r_mul_double(out, a, 2.0 * (double)(d + 1));
  r_clear(a);
}

/* tpred <- ceil(ln(c / y10) / ln growth), or K + 1 if nothing grows. */
static void FUNCTION(mf_gd_pred)(REAL_PTR tpred, REAL_SRCPTR cc, REAL_SRCPTR y10,
                                 REAL_SRCPTR growth, long K, mpfr_prec_t prec)
{
  REAL a;
  r_init(a, prec);
  r_set_si(a, 1);
  if (r_cmp(growth, a) > 0 && r_sgn(y10) > 0) {
    r_div(tpred, cc, y10);
    r_log(tpred, tpred);
    r_log(a, growth);
    r_div(tpred, tpred, a);
    r_set_double(tpred, ceil(r_get_double(tpred)));
  } else {
    r_set_double(tpred, (double)(K + 1));
  }
  r_clear(a);
}

/* The GD run's workspace: the iterate U, its displacement W from the
 * critical point, the gradient G, the per-iterate series and the scalars
 * the rows and the note report; (k, m) is the escape direction. */
typedef struct {
  VEC *ser[MF_NSER];
  MAT *U, *W, *G;
  size_t k, m;
  long T; /* rows up to the escape: the growth law is local */
  REAL eta, growth, Gn, y, y10, rem, E, wn, sn, u, mf, a, tesc, tpred, cc;
} FUNCTION(mf_gd_ws);

#define MF_GD_REALS(w)                                                                         \
  {(w)->eta, (w)->growth, (w)->Gn, (w)->y, (w)->y10, (w)->rem, (w)->E, (w)->wn, (w)->sn,        \
   (w)->u, (w)->mf, (w)->a, (w)->tesc, (w)->tpred, (w)->cc}

static int FUNCTION(mf_gd_ws_init)(FUNCTION(mf_gd_ws) *w, size_t d, size_t p, long K,
                                   mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  REAL_PTR rs[] = MF_GD_REALS(w);
  for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
    r_init(rs[i], prec);
  w->U = mat_alloc(d, p, prec);
  w->W = mat_alloc(d, p, prec);
  w->G = mat_alloc(d, p, prec);
  for (int i = 0; i < MF_NSER; i++)
    if (!(w->ser[i] = vec_alloc((size_t)K, prec)))
      status = TC_ENOMEM;
  return status || !w->U || !w->W || !w->G ? TC_ENOMEM : TC_SUCCESS;
}

static void FUNCTION(mf_gd_ws_free)(FUNCTION(mf_gd_ws) *w)
{
  REAL_PTR rs[] = MF_GD_REALS(w);
  for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
    r_clear(rs[i]);
  for (int i = 0; i < MF_NSER; i++)
    if (w->ser[i])
      vec_free(w->ser[i]);
  MAT *mm[] = {w->U, w->W, w->G};
  for (size_t i = 0; i < 3; i++)
    if (mm[i])
      mat_free(mm[i]);
}

/* The start U_0 = U* + perturbation along the escape direction, its
 * escaping component y10, and the constants of the bounds: the rates from
 * the measured spectrum, ||U*||_2, ||M||_F and the unit roundoff. */
static void FUNCTION(mf_gd_prepare)(FUNCTION(mf_gd_ws) *w, const FUNCTION(mf_setup) *s,
                                    const FUNCTION(mf_spec) *sp, mpfr_prec_t prec)
{
  FUNCTION(mf_min_direction)(&w->k, &w->m, s);
  FUNCTION(mf_gd_start)(w->U, s, w->k, w->m, prec);
  FUNCTION(mf_disp)(w->y10, w->W, w->U, s, w->k, w->m, prec);
  r_abs(w->y10, w->y10);
  FUNCTION(mf_gd_rates)(w->eta, w->growth, w->Gn, sp->ev, s->c.eta2, prec);
  double smax = 0;
  for (size_t b = 0; b < s->c.r; b++)
    smax = s->idx[b] >= 0 ? fmax(smax, s->lam[s->idx[b]]) : smax;
  r_set_double(w->sn, smax);
  r_sqrt(w->sn, w->sn); /* ||U*||_2: orthogonal columns sqrt(lambda_s) q_s (asym: ||U*||, ||V*||) */
  FUNCTION(mf_fro)(w->mf, s->M);
  FUNCTION(tc_quad_unit_roundoff)(w->u, prec);
  r_set_si(w->rem, 0);
  r_set_si(w->E, 0);
  r_set_double(w->tesc, (double)(s->c.iterations + 1));
  r_set_double(w->cc, s->c.c);
}

/* Up to K steps U <- U - eta grad f(U), until |y_1| >= c: per step the
 * second-order remainder rem, the rounding E (grown by Gn, gamma added),
 * and the series y1, rem, y_err, ||W||. */
static void FUNCTION(mf_gd_iterate)(FUNCTION(mf_gd_ws) *w, const FUNCTION(mf_setup) *s,
                                    const FUNCTION(mf_spec) *sp, mpfr_prec_t prec)
{
  size_t d = s->c.d, p = s->c.p;
  long K = s->c.iterations;
  w->T = K;
  for (long t = 1; t <= K; t++) {
    FUNCTION(mf_fro)(w->wn, w->W);
    FUNCTION(mf_gd_remainder)(w->rem, w->growth, w->sn, w->wn, w->eta, prec);
    FUNCTION(mf_gd_gamma)(w->a, w->U, w->mf, w->wn, w->eta, w->u, sp, d, s->c.r, prec);
    r_fma(w->E, w->Gn, w->E, w->a);
    FUNCTION(mf_gradient)(w->G, w->U, s, s->K, prec);
    r_neg(w->a, w->eta);
    for (size_t i = 0; i < d; i++)
      for (size_t b = 0; b < p; b++)
        r_fma(mat_at(w->U, i, b), w->a, mat_at(w->G, i, b), mat_at(w->U, i, b));
    FUNCTION(mf_disp)(w->y, w->W, w->U, s, w->k, w->m, prec);
    r_abs(vec_at(w->ser[MF_Y1], t - 1), w->y);
    r_set(vec_at(w->ser[MF_REM], t - 1), w->rem);
    FUNCTION(mf_fro)(vec_at(w->ser[MF_WN], t - 1), w->W);
    int escaped = r_cmp(vec_at(w->ser[MF_Y1], t - 1), w->cc) >= 0;
    FUNCTION(mf_gd_yerr)(vec_at(w->ser[MF_YERR], t - 1), w->growth, w->eta, sp->hess_err, w->y10,
                         w->E, vec_at(w->ser[MF_WN], t - 1), w->u, t, d, prec);
    if (escaped) {
      r_set_double(w->tesc, (double)t);
      w->T = t;
      break;
    }
  }
}

static int FUNCTION(mf_measure_gd)(tc_record *out, const FUNCTION(mf_setup) *s,
                                   const FUNCTION(mf_spec) *sp, mpfr_prec_t prec)
{
  FUNCTION(mf_gd_ws) w = {0};
  int status = FUNCTION(mf_gd_ws_init)(&w, s->c.d, s->c.p, s->c.iterations, prec);
  if (status)
    goto done;
  FUNCTION(mf_gd_prepare)(&w, s, sp, prec);
  FUNCTION(mf_gd_iterate)(&w, s, sp, prec);
  FUNCTION(mf_gd_pred)(w.tpred, w.cc, w.y10, w.growth, s->c.iterations, prec);
  {
    REAL_SRCPTR sc[] = {w.y10, w.growth, w.eta, w.tesc, w.tpred, w.cc};
    static const char *const scn[] = {"y10", "growth", "eta", "t_esc", "t_esc_pred", "c"};
    status = FUNCTION(mf_gd_rows)(out, s, sp, w.ser, w.T, sc, scn, 6);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu r=%zu gd: eta=%.6g, measured lambda_min=%.12g (closed form "
                   "%.12g), growth=%.12g, y10=%.3g, escape at t=%g (predicted %g), final "
                   "||U-U*||=%.3g, remainder bound %.3g, rounding bound %.3g",
                   mf_subsets[s->c.subset], s->c.d, s->c.r, r_get_double(w.eta),
                   r_get_double(vec_at(sp->ev, 0)), r_get_double(sp->lmin_exact),
                   r_get_double(w.growth), r_get_double(w.y10), r_get_double(w.tesc),
                   r_get_double(w.tpred), r_get_double(w.wn), r_get_double(w.rem),
                   r_get_double(w.E));
done:
  FUNCTION(mf_gd_ws_free)(&w);
  return status;
}

#undef MF_GD_REALS

static int FUNCTION(saddle_mf_measure)(tc_record *out, const tc_instance *inst, char *err,
                                       size_t errlen)
{
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(mf_setup) s;
  FUNCTION(mf_spec) sp = {0};
  r_init(sp.lmin_exact, prec);
  r_init(sp.spec_dev, prec);
  r_init(sp.hess_err, prec);
  int status = FUNCTION(mf_setup_init)(&s, inst, prec, err, errlen);
  size_t j = 0, comb[MF_MAX_R];
  /* subset = all: every S with |S| <= r (first |S| columns), one row each */
  do {
    if (status == TC_SUCCESS && s.c.subset == MF_ALL) {
      for (size_t m = 0; m < s.c.r; m++)
        s.idx[m] = m < j ? (long)comb[m] : -1;
      FUNCTION(mf_build_u)(&s, prec);
    }
    FUNCTION(mf_spec_free)(&sp);
    if (status == TC_SUCCESS)
      status = FUNCTION(mf_spec_compute)(&sp, &s, prec);
    if (status == TC_SUCCESS)
      status = s.c.mode == MF_GD ? FUNCTION(mf_measure_gd)(out, &s, &sp, prec)
                                 : FUNCTION(mf_measure_hessian)(out, &s, &sp, prec);
  } while (status == TC_SUCCESS && s.c.subset == MF_ALL && mf_next_subset(comb, &j, s.c.d, s.c.r));
  FUNCTION(mf_spec_free)(&sp);
  r_clear(sp.lmin_exact);
  r_clear(sp.spec_dev);
  r_clear(sp.hess_err);
  FUNCTION(mf_setup_free)(&s);
  return status;
}
