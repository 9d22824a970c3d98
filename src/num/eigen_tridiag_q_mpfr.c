/* tc_num_tridiag_q_mpfr — z <- Q = H_0 H_1 ... H_{n-3}, the orthogonal
 * matrix of A = Q T Q^T, from the reflectors that tc_num_tridiag_mpfr left
 * below the subdiagonal of w->a (LAPACK dorg2l's backward accumulation:
 * each H_k touches only rows and columns k+1.. of the product so far).
 * Rows are updated whole (s_j = tau sum_i v_i z_ij, then z_ij -= v_i s_j)
 * so that the loops run along z's rows.  z is n x n at w->wprec. */
#include "num_impl.h"

void tc_num_tridiag_q_mpfr(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  mpfr_t *sv = w->p->data;
  mpfr_ptr t = w->s[1];
  tc_mat_set_zero_mpfr(z);
  for (size_t i = 0; i < n; i++)
    mpfr_set_ui(z->data[i * n + i], 1, MPFR_RNDN);
  for (size_t k = n >= 3 ? n - 2 : 0; k-- > 0;) {
    mpfr_srcptr tau = w->tau->data[k];
    if (mpfr_zero_p(tau))
      continue;
    size_t o = k + 1;
    /* v_0 = 1 at row o, v_i = a[o + i][k] below. */
    for (size_t j = o; j < n; j++)
      mpfr_set(sv[j], z->data[o * n + j], MPFR_RNDN);
    for (size_t i = o + 1; i < n; i++) {
      mpfr_srcptr vi = w->a->data[i * n + k];
      for (size_t j = o; j < n; j++) {
        mpfr_mul(t, vi, z->data[i * n + j], MPFR_RNDN);
        mpfr_add(sv[j], sv[j], t, MPFR_RNDN);
      }
    }
    for (size_t j = o; j < n; j++) {
      mpfr_mul(sv[j], sv[j], tau, MPFR_RNDN);
      mpfr_sub(z->data[o * n + j], z->data[o * n + j], sv[j], MPFR_RNDN);
    }
    for (size_t i = o + 1; i < n; i++) {
      mpfr_srcptr vi = w->a->data[i * n + k];
      for (size_t j = o; j < n; j++) {
        mpfr_mul(t, vi, sv[j], MPFR_RNDN);
        mpfr_sub(z->data[i * n + j], z->data[i * n + j], t, MPFR_RNDN);
      }
    }
  }
}
