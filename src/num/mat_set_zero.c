/* tc_mat_set_zero_{d,mpfr} — every element to +0. */
#include "tc_linalg.h"

int tc_mat_set_zero_d(tc_mat_d *A)
{
  for (size_t i = 0; i < A->rows * A->cols; i++)
    A->data[i] = 0.0;
  return TC_SUCCESS;
}

int tc_mat_set_zero_mpfr(tc_mat_mpfr *A)
{
  for (size_t i = 0; i < A->rows * A->cols; i++)
    mpfr_set_zero(A->data[i], 1);
  return TC_SUCCESS;
}
