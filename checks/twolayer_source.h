/* twolayer_source.h — the two-layer ReLU network of lecture 000 §3 written
 * once in the generic names of tc_templates_on.h (shared by the NTK and
 * lazy-training modules; usage note in the file's first functions).
 *
 *   f(x; W, a) = (1/sqrt m) sum_k a_k sigma(W_k . x),   sigma = ReLU,
 *   W in R^{m x d} (rows W_k), a in R^m; init a_k ~ Unif{+-1}, W_k ~ N(0, I_d).
 *
 * Include it from a module .c with
 *   #define TC_TEMPLATE "twolayer_source.h"
 *   #include "num/tc_instantiate.h"
 * BEFORE the module's own template: FUNCTION(twolayer_forward) then names
 * twolayer_forward_d / twolayer_forward_mpfr inside the module's template.
 * All functions are static; unused ones cost nothing (the attribute keeps
 * -Wunused-function quiet).
 *
 * Convention sigma'(0) = 1 (the indicator 1{W_k . x >= 0}), as the notes'
 * H(0) and checks/ntk_init use.  Inputs are backend objects: W (m x d),
 * a (m; NULL means a_k = 1 for the gradient Gram, which only sees a_k^2),
 * X (n x d, rows x_i), x (d).  Every output is overwritten, never
 * accumulated.  Sizes are the caller's responsibility (asserted only by
 * the loops' bounds: W->cols == x->n == X->cols). */

#ifndef TWOLAYER_ONCE
#define TWOLAYER_ONCE
#include <stdint.h>
#include <stdlib.h>
#include "num/num_relu.h"
#define TWOLAYER_UNUSED __attribute__((unused))

/* Bit-packed activation patterns: bit k of row i is 1{W_k . x_i >= 0}.
 * Backend-independent once computed (the signs are decided in the
 * backend's arithmetic by twolayer_patterns). */
typedef struct {
  size_t n, m, words; /* words = ceil(m / 64) per row */
  uint64_t *bits;     /* n * words */
} twolayer_pattern;

static TWOLAYER_UNUSED twolayer_pattern *twolayer_pattern_alloc(size_t n, size_t m)
{
  twolayer_pattern *p = malloc(sizeof *p);
  if (p == NULL)
    return NULL;
  p->n = n;
  p->m = m;
  p->words = (m + 63) / 64;
  size_t len = n * p->words;
  p->bits = calloc(len > 0 ? len : 1, sizeof *p->bits);
  if (p->bits == NULL) {
    free(p);
    return NULL;
  }
  return p;
}

static TWOLAYER_UNUSED void twolayer_pattern_free(twolayer_pattern *p)
{
  if (p) {
    free(p->bits);
    free(p);
  }
}

/* The number of neurons active on both x_i and x_j: popcount of the AND
 * of the two rows (the compiler emits POPCNT / VPOPCNTQ where allowed). */
static TWOLAYER_UNUSED uint64_t twolayer_pattern_common(const twolayer_pattern *p, size_t i, size_t j)
{
  const uint64_t *a = p->bits + i * p->words, *b = p->bits + j * p->words;
  uint64_t c = 0;
  for (size_t w = 0; w < p->words; w++)
    c += (uint64_t)__builtin_popcountll(a[w] & b[w]);
  return c;
}
#endif /* TWOLAYER_ONCE */

/* s <- W_k . x_i, with W (m x d) and X (n x d) in the backend. */
static TWOLAYER_UNUSED void FUNCTION(twolayer_preact)(REAL_PTR s, const MAT *W, size_t k, const MAT *X, size_t i)
{
  r_mul(s, mat_at(W, k, 0), mat_at(X, i, 0));
  for (size_t l = 1; l < W->cols; l++)
    r_fma(s, mat_at(W, k, l), mat_at(X, i, l), s);
}

/* f <- f(x_i; W, a) for every row x_i of X (f has n entries; a required). */
static TWOLAYER_UNUSED int FUNCTION(twolayer_forward)(VEC *f, const MAT *W, const VEC *a, const MAT *X,
                                                      mpfr_prec_t prec)
{
  REAL s, sq;
  r_init(s, prec);
  r_init(sq, prec);
  r_set_double(sq, (double)W->rows);
  r_sqrt(sq, sq);
  for (size_t i = 0; i < X->rows; i++) {
    REAL_PTR fi = vec_at(f, i);
    r_set_si(fi, 0);
    for (size_t k = 0; k < W->rows; k++) {
      FUNCTION(twolayer_preact)(s, W, k, X, i);
      if (r_sgn(s) > 0)
        r_fma(fi, vec_at(a, k), s, fi);
    }
    r_div(fi, fi, sq);
  }
  r_clear(s);
  r_clear(sq);
  return TC_SUCCESS;
}

/* G (m x d) <- grad_W f(x_i; W, a): row k is (a_k / sqrt m) 1{W_k . x_i >= 0} x_i
 * (lecture 000 §3 item 4; a NULL: a_k = 1).  ga (m, may be NULL) <- grad_a f(x_i) =
 * sigma(W_k . x_i) / sqrt m. */
static TWOLAYER_UNUSED int FUNCTION(twolayer_grad)(MAT *G, VEC *ga, const MAT *W, const VEC *a, const MAT *X,
                                                   size_t i, mpfr_prec_t prec)
{
  REAL s, sq, c;
  r_init(s, prec);
  r_init(sq, prec);
  r_init(c, prec);
  r_set_double(sq, (double)W->rows);
  r_sqrt(sq, sq);
  for (size_t k = 0; k < W->rows; k++) {
    FUNCTION(twolayer_preact)(s, W, k, X, i);
    /* c = a_k sigma'(W_k . x_i) / sqrt m */
    r_set_si(c, r_sgn(s) >= 0);
    if (a)
      r_mul(c, c, vec_at(a, k));
    r_div(c, c, sq);
    for (size_t l = 0; l < W->cols; l++)
      r_mul(mat_at(G, k, l), c, mat_at(X, i, l));
    if (ga) {
      if (r_sgn(s) < 0)
        r_set_si(s, 0);
      r_div(vec_at(ga, k), s, sq);
    }
  }
  r_clear(s);
  r_clear(sq);
  r_clear(c);
  return TC_SUCCESS;
}

/* P <- the activation patterns of W on the rows of X, signs decided in
 * the backend's arithmetic (a pre-activation of exactly 0 counts as on). */
static TWOLAYER_UNUSED void FUNCTION(twolayer_patterns)(twolayer_pattern *P, const MAT *W, const MAT *X,
                                                        mpfr_prec_t prec)
{
  REAL s;
  r_init(s, prec);
  for (size_t i = 0; i < X->rows; i++) {
    uint64_t *row = P->bits + i * P->words;
    for (size_t w = 0; w < P->words; w++)
      row[w] = 0;
    for (size_t k = 0; k < W->rows; k++) {
      FUNCTION(twolayer_preact)(s, W, k, X, i);
      if (r_sgn(s) >= 0)
        row[k / 64] |= (uint64_t)1 << (k % 64);
    }
  }
  r_clear(s);
}

/* Gx <- X X^T (n x n), the data's inner products. */
static TWOLAYER_UNUSED void FUNCTION(twolayer_data_gram)(MAT *Gx, const MAT *X)
{
  for (size_t i = 0; i < X->rows; i++)
    for (size_t j = 0; j <= i; j++) {
      REAL_PTR g = mat_at(Gx, i, j);
      r_set_si(g, 0);
      for (size_t l = 0; l < X->cols; l++)
        r_fma(g, mat_at(X, i, l), mat_at(X, j, l), g);
      r_set(mat_at(Gx, j, i), g);
    }
}

/* H <- (1/m) sum_k 1{W_k.x_i >= 0} 1{W_k.x_j >= 0} <x_i, x_j> from the
 * patterns P and the data Gram Gx: the notes' H(0) for a_k in {+-1}, and
 * the Gram of the W-gradients <grad_W f(x_i), grad_W f(x_j)> whenever
 * a_k^2 = 1.  O(n^2 m / 64) popcounts, no n x m x d Jacobian; the counts
 * are exact integers (< 2^53 for m < 2^53). */
static TWOLAYER_UNUSED void FUNCTION(twolayer_ntk_from_patterns)(MAT *H, const twolayer_pattern *P, const MAT *Gx,
                                                                 mpfr_prec_t prec)
{
  REAL t;
  r_init(t, prec);
  /* all counts at once (AVX-512 VPOPCNTQ where there is one); pair by
   * pair when the n x n buffer cannot be had: the same integers */
  double *C = malloc((P->n > 0 ? P->n * P->n : 1) * sizeof *C);
  if (C)
    num_relu_counts(C, P->bits, P->n, P->words);
  for (size_t i = 0; i < P->n; i++)
    for (size_t j = 0; j <= i; j++) {
      r_set_double(t, C ? C[i * P->n + j] : (double)twolayer_pattern_common(P, i, j));
      r_div_double(t, t, (double)P->m);
      r_mul(mat_at(H, i, j), t, mat_at(Gx, i, j));
      r_set(mat_at(H, j, i), mat_at(H, i, j));
    }
  free(C);
  r_clear(t);
}

/* H <- the empirical NTK of the W-gradients, <grad_W f(x_i), grad_W f(x_j)>
 * = (1/m) sum_k a_k^2 1{.}1{.} <x_i, x_j> (a NULL: a_k^2 = 1, the notes'
 * H(W)).  Returns TC_ENOMEM when the pattern cannot be allocated. */
static TWOLAYER_UNUSED int FUNCTION(twolayer_ntk)(MAT *H, const MAT *W, const VEC *a, const MAT *X,
                                                  mpfr_prec_t prec)
{
  size_t n = X->rows, m = W->rows;
  MAT *Gx = mat_alloc(n, n, prec);
  twolayer_pattern *P = twolayer_pattern_alloc(n, m);
  int status = TC_ENOMEM;
  if (Gx && P) {
    FUNCTION(twolayer_data_gram)(Gx, X);
    FUNCTION(twolayer_patterns)(P, W, X, prec);
    if (a == NULL) {
      FUNCTION(twolayer_ntk_from_patterns)(H, P, Gx, prec);
    } else {
      /* weighted counts sum_k a_k^2 b_ik b_jk, in the backend */
      REAL t;
      r_init(t, prec);
      for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
          r_set_si(t, 0);
          const uint64_t *bi = P->bits + i * P->words, *bj = P->bits + j * P->words;
          for (size_t k = 0; k < m; k++)
            if ((bi[k / 64] & bj[k / 64]) >> (k % 64) & 1)
              r_fma(t, vec_at(a, k), vec_at(a, k), t);
          r_div_double(t, t, (double)m);
          r_mul(mat_at(H, i, j), t, mat_at(Gx, i, j));
          r_set(mat_at(H, j, i), mat_at(H, i, j));
        }
      r_clear(t);
    }
    status = TC_SUCCESS;
  }
  if (Gx)
    mat_free(Gx);
  twolayer_pattern_free(P);
  return status;
}

/* th <- the angle between x_i and x_j in [0, pi], by Kahan's stable
 * formula 2 atan2(|u - v|, |u + v|) with u, v the unit vectors (no acos of
 * a rounded cosine, which loses half the digits near 0 and pi).  nrm
 * holds |x_i|.  A zero vector has no direction: th <- pi/2 (every use
 * multiplies by |x_i| = 0).  dm, dp are scratch. */
static TWOLAYER_UNUSED void FUNCTION(twolayer_angle)(REAL_PTR th, const MAT *X, const VEC *nrm, size_t i, size_t j,
                                                     REAL_PTR dm, REAL_PTR dp, mpfr_prec_t prec)
{
  if (r_sgn(vec_at(nrm, i)) == 0 || r_sgn(vec_at(nrm, j)) == 0) {
    r_pi(th);
    r_div_double(th, th, 2.0);
    return;
  }
  if (i == j) {
    r_set_si(th, 0);
    return;
  }
  REAL u, v, sm, sp;
  r_init(u, prec);
  r_init(v, prec);
  r_init(sm, prec);
  r_init(sp, prec);
  r_set_si(sm, 0);
  r_set_si(sp, 0);
  for (size_t l = 0; l < X->cols; l++) {
    r_div(u, mat_at(X, i, l), vec_at(nrm, i));
    r_div(v, mat_at(X, j, l), vec_at(nrm, j));
    r_sub(dm, u, v);
    r_fma(sm, dm, dm, sm);
    r_add(dp, u, v);
    r_fma(sp, dp, dp, sp);
  }
  r_sqrt(sm, sm);
  r_sqrt(sp, sp);
  r_atan2(th, sm, sp);
  r_mul_double(th, th, 2.0);
  r_clear(u);
  r_clear(v);
  r_clear(sm);
  r_clear(sp);
}

/* nrm <- |x_i| for the rows of X. */
static TWOLAYER_UNUSED void FUNCTION(twolayer_norms)(VEC *nrm, const MAT *X)
{
  for (size_t i = 0; i < X->rows; i++) {
    REAL_PTR s = vec_at(nrm, i);
    r_set_si(s, 0);
    for (size_t l = 0; l < X->cols; l++)
      r_fma(s, mat_at(X, i, l), mat_at(X, i, l), s);
    r_sqrt(s, s);
  }
}

/* The two arc-cosine kernels of W ~ N(0, I_d), from the angles:
 *   degree 0 (the NTK, H_inf):  H_ij = <x_i, x_j> (pi - theta_ij) / (2 pi)
 *                               = E 1{w.x_i >= 0} 1{w.x_j >= 0} <x_i, x_j>
 *   degree 1 (the features):    K_ij = |x_i||x_j| (sin theta + (pi - theta) cos theta) / (2 pi)
 *                               = E sigma(w.x_i) sigma(w.x_j)      (Cho & Saul 2009)
 * degree = 0 or 1; K is n x n.  Why (pi - theta)/(2 pi): the projection of
 * w on span{x_i, x_j} is an isotropic 2-D Gaussian, its direction uniform;
 * the two half-planes overlap in an arc pi - theta out of 2 pi. */
static TWOLAYER_UNUSED int FUNCTION(twolayer_arccos)(MAT *K, const MAT *X, int degree, mpfr_prec_t prec)
{
  size_t n = X->rows;
  VEC *nrm = vec_alloc(n, prec);
  if (nrm == NULL)
    return TC_ENOMEM;
  REAL th, pi, t, s, c, dm, dp;
  REAL_PTR reals[] = {th, pi, t, s, c, dm, dp};
  for (size_t q = 0; q < 7; q++)
    r_init(reals[q], prec);
  r_pi(pi);
  FUNCTION(twolayer_norms)(nrm, X);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      FUNCTION(twolayer_angle)(th, X, nrm, i, j, dm, dp, prec);
      r_sub(t, pi, th);
      /* <x_i, x_j> = |x_i||x_j| cos theta, formed directly (exact 0 for
       * orthogonal data, no cancellation near theta = 0) */
      r_set_si(c, 0);
      for (size_t l = 0; l < X->cols; l++)
        r_fma(c, mat_at(X, i, l), mat_at(X, j, l), c);
      if (degree == 0) {
        r_mul(t, t, c);
      } else {
        r_sin(s, th);
        r_mul(s, s, vec_at(nrm, i));
        r_mul(s, s, vec_at(nrm, j));
        r_fma(t, t, c, s); /* |x_i||x_j| sin theta + (pi - theta) <x_i, x_j> */
      }
      r_div(t, t, pi);
      r_div_double(mat_at(K, i, j), t, 2.0);
      r_set(mat_at(K, j, i), mat_at(K, i, j));
    }
  for (size_t q = 0; q < 7; q++)
    r_clear(reals[q]);
  vec_free(nrm);
  return TC_SUCCESS;
}

/* H <- H_inf = the degree-0 arc-cosine NTK above (lecture 000 §3 item 6). */
static TWOLAYER_UNUSED int FUNCTION(twolayer_hinf)(MAT *H, const MAT *X, mpfr_prec_t prec)
{
  return FUNCTION(twolayer_arccos)(H, X, 0, prec);
}
