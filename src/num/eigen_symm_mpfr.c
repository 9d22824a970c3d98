/* tc_eigen_symm_mpfr — eigenvalues of a symmetric matrix by cyclic Jacobi
 * at the workspace precision (jacobi_source.h), ascending, reading only the
 * lower triangle of A.  Jacobi rather than a port of LAPACK's tridiagonal
 * QR: it is short enough to audit, needs no shifts or deflation logic, and
 * is accurate to a few ulps of ||A|| at any precision.  The entries are
 * rounded to the workspace precision when copied; eval's own precision
 * applies to the result. */
#include "num_impl.h"

int tc_eigen_symm_mpfr(tc_vec_mpfr *eval, const tc_mat_mpfr *A, tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  if (A->rows != n || A->cols != n || eval->n != n)
    return TC_EBADLEN;
  if (!tc_num_lower_finite_mpfr(A))
    return TC_ENONFINITE;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      mpfr_set(w->a->data[i * n + j], A->data[i * n + j], MPFR_RNDN);
      mpfr_set(w->a->data[j * n + i], w->a->data[i * n + j], MPFR_RNDN);
    }
  return tc_num_jacobi_mpfr(eval, w->a, NULL, w->tmp, w->prec);
}
