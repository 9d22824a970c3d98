/* tc_num_sturm_count_mpfr — the number of eigenvalues of the symmetric
 * tridiagonal (w->d, w->e) below x: the negative pivots of the LDL^T
 * factorisation of T - x I (Sturm's sequence in ratio form,
 * q_i = d_i - x - e_{i-1}^2 / q_{i-1}).  Expects e_i^2 in w->p (the
 * bisection puts them there once).  A zero pivot is replaced by a tiny
 * negative one, as LAPACK's dstebz does with pivmin; in MPFR's exponent
 * range 1/q cannot overflow.  n divisions, no allocation. */
#include "num_impl.h"

size_t tc_num_sturm_count_mpfr(mpfr_srcptr x, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n, count = 0;
  mpfr_t *d = w->d->data, *e2 = w->p->data;
  mpfr_ptr q = w->s[0], t = w->s[1];
  for (size_t i = 0; i < n; i++) {
    mpfr_sub(q, d[i], x, MPFR_RNDN);
    if (i > 0) {
      mpfr_div(t, e2[i - 1], t, MPFR_RNDN);
      mpfr_sub(q, q, t, MPFR_RNDN);
    }
    if (mpfr_zero_p(q))
      mpfr_set_si_2exp(q, -1, -4 * (long)w->wprec - 64, MPFR_RNDN);
    if (mpfr_sgn(q) < 0)
      count++;
    mpfr_set(t, q, MPFR_RNDN); /* the previous pivot, for the next step */
  }
  return count;
}
