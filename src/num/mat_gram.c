/* tc_mat_gram_{d,mpfr} — C <- A^T A (C is cols x cols, must not alias A).
 * Only the upper triangle is computed (dsyrk, or one correctly rounded dot
 * product of two columns per entry) and then mirrored, so C is exactly
 * symmetric, which the symmetric eigensolvers and Cholesky rely on. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_mat_gram_d(tc_mat_d *C, const tc_mat_d *A)
{
  size_t n = A->cols;
  if (C->rows != n || C->cols != n
      || !tc_num_blas_len_ok(A->rows) || !tc_num_blas_len_ok(n))
    return TC_EBADLEN;
  cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)A->rows, 1.0,
              A->data, (int)n, 0.0, C->data, (int)n);
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      C->data[i * n + j] = C->data[j * n + i];
  return TC_SUCCESS;
}

int tc_mat_gram_mpfr(tc_mat_mpfr *C, const tc_mat_mpfr *A)
{
  size_t n = A->cols, m = A->rows;
  if (C->rows != n || C->cols != n)
    return TC_EBADLEN;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i; j < n; j++)
      tc_num_dot_mpfr(C->data[i * n + j], A->colptr + i * m, A->colptr + j * m, (unsigned long)m);
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++)
      mpfr_set(C->data[i * n + j], C->data[j * n + i], MPFR_RNDN);
  return TC_SUCCESS;
}
