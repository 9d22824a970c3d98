/* tc_mat_alloc_{d,mpfr}, tc_mat_free_{d,mpfr} — row-major matrices whose
 * elements start at +0; an MPFR matrix also gets its row-wise and
 * column-wise tables of element pointers (ptr, colptr) for mpfr_dot.
 * Zero dimensions, a rows*cols that overflows, and
 * an MPFR precision outside MPFR's range give NULL. */
#include <stdint.h>
#include <stdlib.h>
#include "tc_linalg.h"

tc_mat_d *tc_mat_alloc_d(size_t rows, size_t cols, mpfr_prec_t prec)
{
  (void)prec;
  if (rows == 0 || cols == 0 || rows > SIZE_MAX / cols / sizeof(double))
    return NULL;
  tc_mat_d *A = malloc(sizeof *A);
  if (A == NULL)
    return NULL;
  A->data = calloc(rows * cols, sizeof(double)); /* all-zero bytes are +0.0 */
  if (A->data == NULL) {
    free(A);
    return NULL;
  }
  A->rows = rows;
  A->cols = cols;
  return A;
}

tc_mat_mpfr *tc_mat_alloc_mpfr(size_t rows, size_t cols, mpfr_prec_t prec)
{
  if (rows == 0 || cols == 0 || rows > SIZE_MAX / cols / sizeof(mpfr_t)
      || prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
    return NULL;
  tc_mat_mpfr *A = malloc(sizeof *A);
  if (A == NULL)
    return NULL;
  size_t n = rows * cols;
  A->data = malloc(n * sizeof(mpfr_t));
  A->ptr = malloc(n * sizeof(mpfr_ptr));
  A->colptr = malloc(n * sizeof(mpfr_ptr));
  if (A->data == NULL || A->ptr == NULL || A->colptr == NULL) {
    free(A->data);
    free(A->ptr);
    free(A->colptr);
    free(A);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    mpfr_init2(A->data[i], prec);
    mpfr_set_zero(A->data[i], 1);
  }
  for (size_t i = 0; i < rows; i++)
    for (size_t j = 0; j < cols; j++) {
      A->ptr[i * cols + j] = A->data[i * cols + j];
      A->colptr[j * rows + i] = A->data[i * cols + j];
    }
  A->rows = rows;
  A->cols = cols;
  A->prec = prec;
  return A;
}

void tc_mat_free_d(tc_mat_d *A)
{
  if (A == NULL)
    return;
  free(A->data);
  free(A);
}

void tc_mat_free_mpfr(tc_mat_mpfr *A)
{
  if (A == NULL)
    return;
  for (size_t i = 0; i < A->rows * A->cols; i++)
    mpfr_clear(A->data[i]);
  free(A->data);
  free(A->ptr);
  free(A->colptr);
  free(A);
}
