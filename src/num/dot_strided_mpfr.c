/* tc_num_dot_strided_mpfr — the one MPFR inner product behind dot, gemv,
 * gemm and gram.  mpfr_dot rounds the exact sum of the exact products once,
 * which gives every MPFR matrix product an error of at most half an ulp of
 * each entry: the reference the double results are audited against should
 * carry no accumulated rounding of its own. */
#include "num_impl.h"

void tc_num_dot_strided_mpfr(mpfr_ptr r, mpfr_t *x, size_t incx, mpfr_t *y,
                             size_t incy, size_t n, mpfr_ptr *xp, mpfr_ptr *yp)
{
  for (size_t k = 0; k < n; k++) {
    xp[k] = x[k * incx];
    yp[k] = y[k * incy];
  }
  mpfr_dot(r, xp, yp, (unsigned long)n, MPFR_RNDN);
}
