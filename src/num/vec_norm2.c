/* tc_vec_norm2_{d,mpfr} — Euclidean norm.  double: BLAS dnrm2, which scales
 * and so neither overflows nor underflows.  MPFR: the exponent range makes
 * scaling unnecessary; the sum of squares is rounded once at 32 guard bits
 * before the square root, so the result is within about half an ulp.  The
 * sum lives in a stack scalar (tc_num_scratch): no allocation per call. */
#include <cblas.h>
#include "tc_linalg.h"
#include "num_impl.h"

int tc_vec_norm2_d(double *r, const tc_vec_d *x)
{
  if (!tc_num_blas_len_ok(x->n))
    return TC_EBADLEN;
  *r = cblas_dnrm2((int)x->n, x->data, 1);
  return TC_SUCCESS;
}

int tc_vec_norm2_mpfr(mpfr_ptr r, const tc_vec_mpfr *x)
{
  tc_num_scratch s;
  tc_num_scratch_init(&s, mpfr_get_prec(r) + 32);
  tc_num_dot_mpfr(s.x, x->ptr, x->ptr, (unsigned long)x->n);
  mpfr_sqrt(r, s.x, MPFR_RNDN);
  tc_num_scratch_clear(&s);
  return TC_SUCCESS;
}
