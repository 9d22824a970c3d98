/* tc_eigen_symmv_mpfr — eigenvalues (ascending) and eigenvectors of a
 * symmetric matrix: the Householder reduction A = Q T Q^T, Q formed
 * explicitly (eigen_tridiag_q_mpfr.c), then the QL rotations applied to
 * it (eigen_tql_mpfr.c), all at the working precision of the workspace.
 * Only the lower triangle of A is read; evec's own precision applies to
 * the vectors (columns), eval's to the values. */
#include "num_impl.h"

int tc_eigen_symmv_mpfr(tc_vec_mpfr *eval, tc_mat_mpfr *evec, const tc_mat_mpfr *A,
                        tc_eigenv_ws_mpfr *ws)
{
  struct tc_eigen_ws_mpfr *w = &ws->e;
  size_t n = w->n;
  if (eval->n != n || evec->rows != n || evec->cols != n)
    return TC_EBADLEN;
  int status = tc_num_eigen_load_mpfr(w, A);
  if (status != TC_SUCCESS)
    return status;
  tc_num_tridiag_mpfr(w);
  tc_num_tridiag_q_mpfr(ws->z, w);
  status = tc_num_tql_mpfr(ws->z, w);
  for (size_t i = 0; i < n; i++)
    mpfr_set(eval->data[i], w->d->data[i], MPFR_RNDN);
  for (size_t k = 0; k < n * n; k++)
    mpfr_set(evec->data[k], ws->z->data[k], MPFR_RNDN);
  return status;
}
