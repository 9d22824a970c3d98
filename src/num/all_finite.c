/* tc_num_all_finite_{d,mpfr} — whether every element of a matrix is free
 * of NaN and Inf (the general routines, such as QR, read all of it). */
#include <math.h>
#include "num_impl.h"

int tc_num_all_finite_d(const tc_mat_d *A)
{
  for (size_t i = 0; i < A->rows * A->cols; i++)
    if (!isfinite(A->data[i]))
      return 0;
  return 1;
}

int tc_num_all_finite_mpfr(const tc_mat_mpfr *A)
{
  for (size_t i = 0; i < A->rows * A->cols; i++)
    if (!mpfr_number_p(A->data[i]))
      return 0;
  return 1;
}
