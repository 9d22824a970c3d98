/* tc_eigen_symmv_d — eigenvalues (ascending) and eigenvectors of a
 * symmetric matrix by LAPACK dsyevd, reading only the lower triangle of A.
 * As in eigen_symm_d.c the row-major lower triangle is handed over as a
 * column-major upper one; dsyevd returns the eigenvectors column-major
 * (eigenvector j contiguous), transposed here into evec's columns. */
#include <string.h>
#include "num_impl.h"

int tc_eigen_symmv_d(tc_vec_d *eval, tc_mat_d *evec, const tc_mat_d *A, tc_eigenv_ws_d *ws)
{
  struct tc_eigen_ws_d *w = &ws->e;
  size_t n = w->n;
  if (A->rows != n || A->cols != n || eval->n != n || evec->rows != n || evec->cols != n)
    return TC_EBADLEN;
  if (!tc_num_lower_finite_d(A))
    return TC_ENONFINITE;
  memcpy(w->a, A->data, n * n * sizeof(double));
  lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, 'V', 'U', (lapack_int)n,
                                        w->a, (lapack_int)n, eval->data, w->work,
                                        w->lwork, w->iwork, w->liwork);
  if (info > 0)
    return TC_EMAXITER;
  if (info < 0)
    return TC_EFAILED;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      evec->data[i * n + j] = w->a[j * n + i];
  return TC_SUCCESS;
}
