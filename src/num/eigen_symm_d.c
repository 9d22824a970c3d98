/* tc_eigen_symm_d — eigenvalues of a symmetric matrix by LAPACK dsyevd,
 * ascending, reading only the lower triangle of A.
 *
 * A row-major lower triangle is, byte for byte, a column-major upper
 * triangle, so the copy is handed to the column-major routine with
 * uplo = 'U'.  That avoids the transposed temporary that LAPACKE allocates
 * for row-major input, keeping the call allocation-free. */
#include <string.h>
#include "num_impl.h"

int tc_eigen_symm_d(tc_vec_d *eval, const tc_mat_d *A, tc_eigen_ws_d *w)
{
  size_t n = w->n;
  if (A->rows != n || A->cols != n || eval->n != n)
    return TC_EBADLEN;
  if (!tc_num_lower_finite_d(A))
    return TC_ENONFINITE;
  memcpy(w->a, A->data, n * n * sizeof(double));
  lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'N', 'U', (lapack_int)n,
                                        w->a, (lapack_int)n, eval->data, w->work,
                                        w->lwork, w->iwork, w->liwork);
  if (info > 0)
    return TC_EMAXITER; /* dsyevd: the divide and conquer did not converge */
  if (info < 0)
    return TC_EFAILED;
  return TC_SUCCESS;
}
