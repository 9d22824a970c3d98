/* tc_vec_dot_{d,mpfr} — r <- x . y.  The MPFR result is correctly rounded
 * to the precision of r (mpfr_dot), so it does not depend on summation
 * order and cancellation costs nothing; the double one is BLAS ddot.  The
 * vectors' own pointer tables feed mpfr_dot, so nothing is allocated. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_vec_dot_d(double *r, const tc_vec_d *x, const tc_vec_d *y)
{
  if (x->n != y->n || !tc_num_blas_len_ok(x->n))
    return TC_EBADLEN;
  *r = cblas_ddot((int)x->n, x->data, 1, y->data, 1);
  return TC_SUCCESS;
}

int tc_vec_dot_mpfr(mpfr_ptr r, const tc_vec_mpfr *x, const tc_vec_mpfr *y)
{
  if (x->n != y->n)
    return TC_EBADLEN;
  tc_num_dot_mpfr(r, x->ptr, y->ptr, (unsigned long)x->n);
  return TC_SUCCESS;
}
