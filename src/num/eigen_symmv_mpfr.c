/* tc_eigen_symmv_mpfr — eigenvalues (ascending) and eigenvectors of a
 * symmetric matrix by cyclic Jacobi at the workspace precision, the
 * rotations accumulated into evec (jacobi_source.h).  Only the lower
 * triangle of A is read; evec's own precision applies to the vectors. */
#include "num_impl.h"

int tc_eigen_symmv_mpfr(tc_vec_mpfr *eval, tc_mat_mpfr *evec, const tc_mat_mpfr *A,
                        tc_eigenv_ws_mpfr *ws)
{
  struct tc_eigen_ws_mpfr *w = &ws->e;
  size_t n = w->n;
  if (A->rows != n || A->cols != n || eval->n != n || evec->rows != n || evec->cols != n)
    return TC_EBADLEN;
  if (!tc_num_lower_finite_mpfr(A))
    return TC_ENONFINITE;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      mpfr_set(w->a->data[i * n + j], A->data[i * n + j], MPFR_RNDN);
      mpfr_set(w->a->data[j * n + i], w->a->data[i * n + j], MPFR_RNDN);
    }
  return tc_num_jacobi_mpfr(eval, w->a, evec, w->tmp, w->prec);
}
