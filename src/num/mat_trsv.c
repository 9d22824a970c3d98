/* tc_mat_trsv_{d,mpfr} — x <- T^-1 b for a triangular T (lower or upper,
 * only that triangle read), x may be b.
 *
 * double: BLAS dtrsv, after a check of the diagonal (dtrsv would divide
 * by a zero pivot and return Inf/NaN).  MPFR: forward or back
 * substitution, x_i = (b_i - sum_j t_ij x_j) / t_ii with the sum a
 * correctly rounded mpfr_dot over the row's pointer table, so each entry
 * is rounded twice (the subtraction, the division) beyond the error
 * propagated from the earlier x_j; b_i is read before x_i is written, so
 * x may alias b.  The scratch sum is a stack scalar: nothing allocated. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_mat_trsv_d(tc_vec_d *x, const tc_mat_d *T, tc_uplo uplo, const tc_vec_d *b)
{
  size_t n = T->rows;
  if (T->cols != n || x->n != n || b->n != n || !tc_num_blas_len_ok(n))
    return TC_EBADLEN;
  for (size_t i = 0; i < n; i++)
    if (T->data[i * n + i] == 0.0)
      return TC_EDOM;
  if (x != b)
    cblas_dcopy((int)n, b->data, 1, x->data, 1);
  cblas_dtrsv(CblasRowMajor, uplo == TC_LOWER ? CblasLower : CblasUpper, CblasNoTrans,
              CblasNonUnit, (int)n, T->data, (int)n, x->data, 1);
  return TC_SUCCESS;
}

int tc_mat_trsv_mpfr(tc_vec_mpfr *x, const tc_mat_mpfr *T, tc_uplo uplo, const tc_vec_mpfr *b)
{
  size_t n = T->rows;
  if (T->cols != n || x->n != n || b->n != n)
    return TC_EBADLEN;
  for (size_t i = 0; i < n; i++)
    if (mpfr_zero_p(T->data[i * n + i]))
      return TC_EDOM;
  tc_num_scratch s;
  tc_num_scratch_init(&s, x->prec);
  for (size_t k = 0; k < n; k++) {
    size_t i = uplo == TC_LOWER ? k : n - 1 - k;
    /* the row's known part: columns [0, i) for lower, (i, n) for upper */
    size_t j0 = uplo == TC_LOWER ? 0 : i + 1, len = uplo == TC_LOWER ? i : n - 1 - i;
    tc_num_dot_mpfr(s.x, T->ptr + i * n + j0, x->ptr + j0, (unsigned long)len);
    mpfr_sub(x->data[i], b->data[i], s.x, MPFR_RNDN);
    mpfr_div(x->data[i], x->data[i], T->data[i * n + i], MPFR_RNDN);
  }
  tc_num_scratch_clear(&s);
  return TC_SUCCESS;
}
