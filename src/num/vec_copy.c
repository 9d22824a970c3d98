/* tc_vec_copy_{d,mpfr} — dst <- src.  The MPFR copy rounds each element to
 * dst's precision, so copying is also how a vector changes precision. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_vec_copy_d(tc_vec_d *dst, const tc_vec_d *src)
{
  if (dst->n != src->n || !tc_num_blas_len_ok(dst->n))
    return TC_EBADLEN;
  cblas_dcopy((int)src->n, src->data, 1, dst->data, 1);
  return TC_SUCCESS;
}

int tc_vec_copy_mpfr(tc_vec_mpfr *dst, const tc_vec_mpfr *src)
{
  if (dst->n != src->n)
    return TC_EBADLEN;
  for (size_t i = 0; i < src->n; i++)
    mpfr_set(dst->data[i], src->data[i], MPFR_RNDN);
  return TC_SUCCESS;
}
