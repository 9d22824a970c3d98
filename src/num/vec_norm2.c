/* tc_vec_norm2_{d,mpfr} — Euclidean norm.  double: BLAS dnrm2, which scales
 * and so neither overflows nor underflows.  MPFR: the exponent range makes
 * scaling unnecessary; the sum of squares is rounded once at 32 guard bits
 * before the square root, so the result is within about half an ulp. */
#include <cblas.h>
#include <stdlib.h>
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
  mpfr_ptr *p = malloc(x->n * sizeof *p);
  if (p == NULL)
    return TC_ENOMEM;
  mpfr_t s;
  mpfr_init2(s, mpfr_get_prec(r) + 32);
  tc_num_dot_strided_mpfr(s, x->data, 1, x->data, 1, x->n, p, p);
  mpfr_sqrt(r, s, MPFR_RNDN);
  mpfr_clear(s);
  free(p);
  return TC_SUCCESS;
}
