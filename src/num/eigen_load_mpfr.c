/* tc_num_eigen_load_mpfr — the first step of the MPFR symmetric
 * eigensolver: check the sizes, refuse NaN/Inf in the lower triangle
 * (TC_ENONFINITE: no iteration converges on them), and copy that triangle
 * into the workspace at the working precision.  A itself is not touched
 * and its upper triangle is never read. */
#include "num_impl.h"

int tc_num_eigen_load_mpfr(struct tc_eigen_ws_mpfr *w, const tc_mat_mpfr *A)
{
  size_t n = w->n;
  if (A->rows != n || A->cols != n)
    return TC_EBADLEN;
  if (!tc_num_lower_finite_mpfr(A))
    return TC_ENONFINITE;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++)
      mpfr_set(w->a->data[i * n + j], A->data[i * n + j], MPFR_RNDN);
  return TC_SUCCESS;
}
