/* tc_num_tridiag_mpfr — Householder reduction of the symmetric matrix in
 * w->a (lower triangle) to tridiagonal form T = Q^T A Q: diagonal w->d,
 * subdiagonal w->e (e[i] couples d[i] and d[i+1]; e[n-1] = 0).  LAPACK's
 * dsytd2 for the lower triangle: step k picks the reflector
 * H = I - tau v v^T (v_0 = 1) that maps A[k+1:, k] to beta e_1, then
 * updates the trailing block as A22 - v w^T - w v^T with p = tau A22 v and
 * w = p - (tau/2)(p.v) v.  2/3 n^3 multiply-adds, backward stable: the
 * eigenvalues of T are those of A + E with ||E|| = O(n 2^-wprec ||A||).
 * The reflectors stay below the subdiagonal of w->a and tau in w->tau,
 * for tc_num_tridiag_q_mpfr.  All scratch is the workspace's: no
 * allocation here (MPFR allocates nothing for operands of equal
 * precision). */
#include "num_impl.h"

/* The reflector of x = A[k+1:n, k] (length m >= 2): v in w->v, tau in
 * w->tau[k], beta in w->e[k]; v's tail also written back into A. */
static void tridiag_reflector(struct tc_eigen_ws_mpfr *w, size_t k, size_t m)
{
  size_t n = w->n;
  mpfr_ptr xn = w->s[0], t = w->s[1], beta = w->s[2], alpha = w->a->data[(k + 1) * n + k];
  mpfr_ptr tau = w->tau->data[k];
  mpfr_set_zero(xn, 1);
  for (size_t i = 1; i < m; i++) {
    mpfr_sqr(t, w->a->data[(k + 1 + i) * n + k], MPFR_RNDN);
    mpfr_add(xn, xn, t, MPFR_RNDN);
  }
  if (mpfr_zero_p(xn)) {
    /* Already in the form wanted: H = I. */
    mpfr_set_zero(tau, 1);
    mpfr_set(w->e->data[k], alpha, MPFR_RNDN);
    return;
  }
  /* beta = -sign(alpha) sqrt(alpha^2 + |x_tail|^2): no cancellation in
   * alpha - beta. */
  mpfr_sqr(beta, alpha, MPFR_RNDN);
  mpfr_add(beta, beta, xn, MPFR_RNDN);
  mpfr_sqrt(beta, beta, MPFR_RNDN);
  if (mpfr_sgn(alpha) >= 0)
    mpfr_neg(beta, beta, MPFR_RNDN);
  mpfr_sub(tau, beta, alpha, MPFR_RNDN);
  mpfr_div(tau, tau, beta, MPFR_RNDN);
  mpfr_sub(t, alpha, beta, MPFR_RNDN);
  mpfr_ui_div(t, 1, t, MPFR_RNDN);
  mpfr_set_ui(w->v->data[0], 1, MPFR_RNDN);
  for (size_t i = 1; i < m; i++) {
    mpfr_ptr x = w->a->data[(k + 1 + i) * n + k];
    mpfr_mul(x, x, t, MPFR_RNDN);
    mpfr_set(w->v->data[i], x, MPFR_RNDN);
  }
  mpfr_set(w->e->data[k], beta, MPFR_RNDN);
}

/* p <- tau A22 v, A22 = A[o:, o:] (o = k + 1, size m), from its lower
 * triangle read row by row (contiguous). */
static void tridiag_symv(struct tc_eigen_ws_mpfr *w, size_t o, size_t m, mpfr_srcptr tau)
{
  size_t n = w->n;
  mpfr_t *p = w->p->data, *v = w->v->data;
  mpfr_ptr t = w->s[1];
  for (size_t i = 0; i < m; i++)
    mpfr_set_zero(p[i], 1);
  for (size_t i = 0; i < m; i++) {
    mpfr_t *row = w->a->data + (o + i) * n + o;
    for (size_t j = 0; j < i; j++) {
      mpfr_mul(t, row[j], v[j], MPFR_RNDN);
      mpfr_add(p[i], p[i], t, MPFR_RNDN);
      mpfr_mul(t, row[j], v[i], MPFR_RNDN);
      mpfr_add(p[j], p[j], t, MPFR_RNDN);
    }
    mpfr_mul(t, row[i], v[i], MPFR_RNDN);
    mpfr_add(p[i], p[i], t, MPFR_RNDN);
  }
  for (size_t i = 0; i < m; i++)
    mpfr_mul(p[i], p[i], tau, MPFR_RNDN);
}

/* w <- p - (tau/2)(p.v) v in place of p, then A22 -= v w^T + w v^T. */
static void tridiag_syr2(struct tc_eigen_ws_mpfr *w, size_t o, size_t m, mpfr_srcptr tau)
{
  size_t n = w->n;
  mpfr_t *p = w->p->data, *v = w->v->data;
  mpfr_ptr t = w->s[1], K = w->s[3];
  mpfr_set_zero(K, 1);
  for (size_t i = 0; i < m; i++) {
    mpfr_mul(t, p[i], v[i], MPFR_RNDN);
    mpfr_add(K, K, t, MPFR_RNDN);
  }
  mpfr_mul(K, K, tau, MPFR_RNDN);
  mpfr_div_2ui(K, K, 1, MPFR_RNDN);
  for (size_t i = 0; i < m; i++) {
    mpfr_mul(t, K, v[i], MPFR_RNDN);
    mpfr_sub(p[i], p[i], t, MPFR_RNDN);
  }
  for (size_t i = 0; i < m; i++) {
    mpfr_t *row = w->a->data + (o + i) * n + o;
    for (size_t j = 0; j <= i; j++) {
      mpfr_mul(t, v[i], p[j], MPFR_RNDN);
      mpfr_sub(row[j], row[j], t, MPFR_RNDN);
      mpfr_mul(t, p[i], v[j], MPFR_RNDN);
      mpfr_sub(row[j], row[j], t, MPFR_RNDN);
    }
  }
}

void tc_num_tridiag_mpfr(struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  for (size_t k = 0; k + 2 < n; k++) {
    size_t m = n - k - 1;
    tridiag_reflector(w, k, m);
    if (!mpfr_zero_p(w->tau->data[k])) {
      tridiag_symv(w, k + 1, m, w->tau->data[k]);
      tridiag_syr2(w, k + 1, m, w->tau->data[k]);
    }
    mpfr_set(w->d->data[k], w->a->data[k * n + k], MPFR_RNDN);
  }
  if (n >= 2) {
    mpfr_set(w->d->data[n - 2], w->a->data[(n - 2) * n + n - 2], MPFR_RNDN);
    mpfr_set(w->e->data[n - 2], w->a->data[(n - 1) * n + n - 2], MPFR_RNDN);
    mpfr_set_zero(w->tau->data[n - 2], 1);
  }
  mpfr_set(w->d->data[n - 1], w->a->data[(n - 1) * n + n - 1], MPFR_RNDN);
  mpfr_set_zero(w->e->data[n - 1], 1);
  mpfr_set_zero(w->tau->data[n - 1], 1);
}
