/* tc_num_lower_finite_{d,mpfr} — whether the part of a symmetric matrix
 * that the eigensolvers and Cholesky read is free of NaN and Inf.  They
 * refuse such input up front (TC_ENONFINITE) because LAPACK's behaviour on
 * it is unspecified and a Jacobi sweep would never meet its stopping rule. */
#include <math.h>
#include "num_impl.h"

int tc_num_lower_finite_d(const tc_mat_d *A)
{
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = 0; j <= i && j < A->cols; j++)
      if (!isfinite(A->data[i * A->cols + j]))
        return 0;
  return 1;
}

int tc_num_lower_finite_mpfr(const tc_mat_mpfr *A)
{
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = 0; j <= i && j < A->cols; j++)
      if (!mpfr_number_p(A->data[i * A->cols + j]))
        return 0;
  return 1;
}
