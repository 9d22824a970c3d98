/* tc_mat_gemv_{d,mpfr} — y <- A x (y must not alias x).  Each MPFR entry
 * is a correctly rounded dot product of a row of A with x, read through
 * the objects' pointer tables (no allocation). */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_mat_gemv_d(tc_vec_d *y, const tc_mat_d *A, const tc_vec_d *x)
{
  if (x->n != A->cols || y->n != A->rows
      || !tc_num_blas_len_ok(A->rows) || !tc_num_blas_len_ok(A->cols))
    return TC_EBADLEN;
  cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)A->rows, (int)A->cols, 1.0,
              A->data, (int)A->cols, x->data, 1, 0.0, y->data, 1);
  return TC_SUCCESS;
}

int tc_mat_gemv_mpfr(tc_vec_mpfr *y, const tc_mat_mpfr *A, const tc_vec_mpfr *x)
{
  if (x->n != A->cols || y->n != A->rows)
    return TC_EBADLEN;
  for (size_t i = 0; i < A->rows; i++)
    tc_num_dot_mpfr(y->data[i], A->ptr + i * A->cols, x->ptr, (unsigned long)A->cols);
  return TC_SUCCESS;
}
