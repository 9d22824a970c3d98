/* tc_mat_gemv_trans_{d,mpfr} — y <- A^T x (y must not alias x), without
 * forming A^T: the MPFR entries are correctly rounded dot products of a
 * column of A (its column pointer table) with x; nothing is allocated. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_mat_gemv_trans_d(tc_vec_d *y, const tc_mat_d *A, const tc_vec_d *x)
{
  if (x->n != A->rows || y->n != A->cols
      || !tc_num_blas_len_ok(A->rows) || !tc_num_blas_len_ok(A->cols))
    return TC_EBADLEN;
  cblas_dgemv(CblasRowMajor, CblasTrans, (int)A->rows, (int)A->cols, 1.0,
              A->data, (int)A->cols, x->data, 1, 0.0, y->data, 1);
  return TC_SUCCESS;
}

int tc_mat_gemv_trans_mpfr(tc_vec_mpfr *y, const tc_mat_mpfr *A, const tc_vec_mpfr *x)
{
  if (x->n != A->rows || y->n != A->cols)
    return TC_EBADLEN;
  for (size_t j = 0; j < A->cols; j++)
    tc_num_dot_mpfr(y->data[j], A->colptr + j * A->rows, x->ptr, (unsigned long)A->rows);
  return TC_SUCCESS;
}
