/* tc_mat_copy_{d,mpfr} — dst <- src (same shape, else TC_EBADLEN).  The
 * MPFR copy rounds to dst's precision. */
#include <string.h>
#include "tc_linalg.h"

int tc_mat_copy_d(tc_mat_d *dst, const tc_mat_d *src)
{
  if (dst->rows != src->rows || dst->cols != src->cols)
    return TC_EBADLEN;
  if (dst != src)
    memcpy(dst->data, src->data, src->rows * src->cols * sizeof(double));
  return TC_SUCCESS;
}

int tc_mat_copy_mpfr(tc_mat_mpfr *dst, const tc_mat_mpfr *src)
{
  if (dst->rows != src->rows || dst->cols != src->cols)
    return TC_EBADLEN;
  for (size_t i = 0; i < src->rows * src->cols; i++)
    mpfr_set(dst->data[i], src->data[i], MPFR_RNDN);
  return TC_SUCCESS;
}
