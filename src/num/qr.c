/* tc_qr_{d,mpfr} — thin QR, A = Q R with diag(R) >= 0.
 *
 * double: LAPACK dgeqrf (Householder) and dorgqr (forms Q), column-major
 * on a transposed copy so that LAPACKE allocates nothing; then the signs
 * are normalised as in the MPFR version.  MPFR: householder_source.h at
 * the workspace precision. */
#include "num_impl.h"

int tc_qr_d(tc_mat_d *Q, tc_mat_d *R, const tc_mat_d *A, tc_qr_ws_d *w)
{
  size_t m = w->m, n = w->n;
  if (A->rows != m || A->cols != n || Q->rows != m || Q->cols != n || R->rows != n
      || R->cols != n)
    return TC_EBADLEN;
  if (!tc_num_all_finite_d(A))
    return TC_ENONFINITE;
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      w->a[j * m + i] = A->data[i * n + j];
  lapack_int info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, w->a,
                                        (lapack_int)m, w->tau, w->work, w->lwork);
  if (info != 0)
    return TC_EFAILED;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      R->data[i * n + j] = j >= i ? w->a[j * m + i] : 0.0;
  info = LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)n,
                             w->a, (lapack_int)m, w->tau, w->work, w->lwork);
  if (info != 0)
    return TC_EFAILED;
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      Q->data[i * n + j] = w->a[j * m + i];
  for (size_t k = 0; k < n; k++)
    if (R->data[k * n + k] < 0) {
      for (size_t j = k; j < n; j++)
        R->data[k * n + j] = -R->data[k * n + j];
      for (size_t i = 0; i < m; i++)
        Q->data[i * n + k] = -Q->data[i * n + k];
    }
  return TC_SUCCESS;
}

int tc_qr_mpfr(tc_mat_mpfr *Q, tc_mat_mpfr *R, const tc_mat_mpfr *A, tc_qr_ws_mpfr *w)
{
  return tc_num_householder_qr_mpfr(Q, R, A, w);
}
