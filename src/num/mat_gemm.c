/* tc_mat_gemm_{d,mpfr} — C <- A B (C must not alias A or B).  Each MPFR
 * entry is a correctly rounded dot product of a row of A with a column of
 * B, read through the matrices' pointer tables (no allocation). */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_mat_gemm_d(tc_mat_d *C, const tc_mat_d *A, const tc_mat_d *B)
{
  if (A->cols != B->rows || C->rows != A->rows || C->cols != B->cols
      || !tc_num_blas_len_ok(A->rows) || !tc_num_blas_len_ok(A->cols)
      || !tc_num_blas_len_ok(B->cols))
    return TC_EBADLEN;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)A->rows,
              (int)B->cols, (int)A->cols, 1.0, A->data, (int)A->cols, B->data,
              (int)B->cols, 0.0, C->data, (int)C->cols);
  return TC_SUCCESS;
}

int tc_mat_gemm_mpfr(tc_mat_mpfr *C, const tc_mat_mpfr *A, const tc_mat_mpfr *B)
{
  if (A->cols != B->rows || C->rows != A->rows || C->cols != B->cols)
    return TC_EBADLEN;
  size_t k = A->cols;
  for (size_t i = 0; i < C->rows; i++)
    for (size_t j = 0; j < C->cols; j++)
      tc_num_dot_mpfr(C->data[i * C->cols + j], A->ptr + i * k, B->colptr + j * k,
               (unsigned long)k);
  return TC_SUCCESS;
}
