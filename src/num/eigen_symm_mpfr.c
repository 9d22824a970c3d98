/* tc_eigen_symm_mpfr — eigenvalues of a symmetric matrix, ascending,
 * reading only the lower triangle of A: Householder tridiagonalisation
 * (eigen_tridiag_mpfr.c) and the implicit QL iteration with Wilkinson
 * shifts (eigen_tql_mpfr.c) at the workspace's working precision
 * (prec + TC_EIGEN_GUARD).  2/3 n^3 multiply-adds where the cyclic Jacobi
 * it replaces (jacobi_source.h, kept as the tests' reference) spent about
 * 2 n^3 per sweep over 6-10 sweeps.  Backward stable: each eigenvalue is
 * within O(n 2^-wprec) ||A|| of the exact one.  The result is rounded to
 * eval's own precision. */
#include "num_impl.h"

int tc_eigen_symm_mpfr(tc_vec_mpfr *eval, const tc_mat_mpfr *A, tc_eigen_ws_mpfr *w)
{
  if (eval->n != w->n)
    return TC_EBADLEN;
  int status = tc_num_eigen_load_mpfr(w, A);
  if (status != TC_SUCCESS)
    return status;
  tc_num_tridiag_mpfr(w);
  status = tc_num_tql_mpfr(NULL, w);
  for (size_t i = 0; i < w->n; i++)
    mpfr_set(eval->data[i], w->d->data[i], MPFR_RNDN);
  return status;
}
