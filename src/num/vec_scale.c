/* tc_vec_scale_{d,mpfr} — x <- a x with IEEE semantics in both backends. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_vec_scale_d(tc_vec_d *x, const double *a)
{
  if (!tc_num_blas_len_ok(x->n))
    return TC_EBADLEN;
  /* OpenBLAS dscal with a == 0 stores zeros (0.3.21 turns NaN and Inf into
   * 0), which would hide a non-finite value from the checks; the loop keeps
   * 0 * NaN = NaN as MPFR does. */
  if (*a == 0.0) {
    for (size_t i = 0; i < x->n; i++)
      x->data[i] *= *a;
    return TC_SUCCESS;
  }
  cblas_dscal((int)x->n, *a, x->data, 1);
  return TC_SUCCESS;
}

int tc_vec_scale_mpfr(tc_vec_mpfr *x, mpfr_srcptr a)
{
  for (size_t i = 0; i < x->n; i++)
    mpfr_mul(x->data[i], x->data[i], a, MPFR_RNDN);
  return TC_SUCCESS;
}
