/* tc_vec_axpy_{d,mpfr} — y <- y + a x.  The MPFR update is one fused
 * multiply-add per element (a single rounding to y's precision). */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_vec_axpy_d(tc_vec_d *y, const double *a, const tc_vec_d *x)
{
  if (x->n != y->n || !tc_num_blas_len_ok(x->n))
    return TC_EBADLEN;
  cblas_daxpy((int)x->n, *a, x->data, 1, y->data, 1);
  return TC_SUCCESS;
}

int tc_vec_axpy_mpfr(tc_vec_mpfr *y, mpfr_srcptr a, const tc_vec_mpfr *x)
{
  if (x->n != y->n)
    return TC_EBADLEN;
  for (size_t i = 0; i < x->n; i++)
    mpfr_fma(y->data[i], a, x->data[i], y->data[i], MPFR_RNDN);
  return TC_SUCCESS;
}
