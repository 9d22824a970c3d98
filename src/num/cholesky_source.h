/* cholesky_source.h — Cholesky factorisation A = L L^T, written once in the
 * generic names of tc_templates_on.h and instantiated by cholesky.c for
 * double and MPFR (the same column-by-column loop in both, so the two
 * backends fail on the same pivots; LAPACK dpotrf would be faster but for
 * the sizes the checks use the difference is invisible).
 *
 * Only the lower triangle of A is read and each a_ij is read before l_ij
 * is written, so L may be A (in place).  Sums are accumulated at the
 * precision of L.  A pivot that is not > 0 (zero, negative, or NaN from
 * cancellation) means A is not numerically positive definite: TC_ENOTPD,
 * and L is then only partly computed. */

#define mat_prec FUNCTION(tc_num_mat_prec)
#define lower_finite FUNCTION(tc_num_lower_finite)

int cholesky(MAT *L, const MAT *A)
{
  size_t n = A->rows;
  if (A->cols != n || L->rows != n || L->cols != n)
    return TC_EBADLEN;
  if (!lower_finite(A))
    return TC_ENONFINITE;

  REAL sum, prod;
  r_init(sum, mat_prec(L));
  r_init(prod, mat_prec(L));
  int status = TC_SUCCESS;

  for (size_t j = 0; j < n && status == TC_SUCCESS; j++) {
    r_set(sum, mat_at(A, j, j));
    for (size_t k = 0; k < j; k++) {
      r_sqr(prod, mat_at(L, j, k));
      r_sub(sum, sum, prod);
    }
    if (r_sgn(sum) <= 0) {
      status = TC_ENOTPD;
      break;
    }
    r_sqrt(mat_at(L, j, j), sum);
    for (size_t i = j + 1; i < n; i++) {
      r_set(sum, mat_at(A, i, j));
      for (size_t k = 0; k < j; k++) {
        r_mul(prod, mat_at(L, i, k), mat_at(L, j, k));
        r_sub(sum, sum, prod);
      }
      r_div(mat_at(L, i, j), sum, mat_at(L, j, j));
    }
  }
  if (status == TC_SUCCESS)
    for (size_t i = 0; i < n; i++)
      for (size_t j = i + 1; j < n; j++)
        r_set_si(mat_at(L, i, j), 0);

  r_clear(sum);
  r_clear(prod);
  return status;
}

#undef mat_prec
#undef lower_finite
