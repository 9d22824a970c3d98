/* tc_num_tridiag_bisect_mpfr — r <- the k-th smallest eigenvalue (k from
 * 0) of the tridiagonal (w->d, w->e), by bisection on Sturm counts
 * (tc_num_sturm_count_mpfr) inside the Gershgorin interval, down to an
 * interval of width 2^-wprec times its larger end (the norm bound): the
 * same absolute accuracy as the QL iteration, for one eigenvalue in
 * O(wprec n) operations instead of all of them.  What most checks need is
 * lambda_min or lambda_max (k = 0 or n - 1).  TC_EBADLEN if k >= n;
 * w->p is overwritten (e_i^2). */
#include "num_impl.h"

/* lo, hi <- Gershgorin bounds of T's spectrum. */
static void bisect_bounds(mpfr_ptr lo, mpfr_ptr hi, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  mpfr_t *d = w->d->data, *e = w->e->data;
  mpfr_ptr rad = w->s[2], t = w->s[3];
  for (size_t i = 0; i < n; i++) {
    mpfr_abs(rad, e[i], MPFR_RNDU); /* e[n-1] = 0 */
    if (i > 0) {
      mpfr_abs(t, e[i - 1], MPFR_RNDU);
      mpfr_add(rad, rad, t, MPFR_RNDU);
    }
    mpfr_sub(t, d[i], rad, MPFR_RNDD);
    if (i == 0 || mpfr_less_p(t, lo))
      mpfr_set(lo, t, MPFR_RNDD);
    mpfr_add(t, d[i], rad, MPFR_RNDU);
    if (i == 0 || mpfr_greater_p(t, hi))
      mpfr_set(hi, t, MPFR_RNDU);
  }
}

int tc_num_tridiag_bisect_mpfr(mpfr_ptr r, size_t k, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  if (k >= n)
    return TC_EBADLEN;
  mpfr_ptr lo = w->s[4], hi = w->s[5], mid = w->s[6], tol = w->s[7];
  for (size_t i = 0; i < n; i++)
    mpfr_sqr(w->p->data[i], w->e->data[i], MPFR_RNDN);
  bisect_bounds(lo, hi, w);
  /* Widen by a relative ulp so that rounding in the bounds cannot
   * exclude an eigenvalue. */
  mpfr_abs(tol, lo, MPFR_RNDN);
  mpfr_abs(mid, hi, MPFR_RNDN);
  mpfr_max(tol, tol, mid, MPFR_RNDN);
  mpfr_mul_2si(tol, tol, -(long)w->wprec, MPFR_RNDN);
  mpfr_sub(lo, lo, tol, MPFR_RNDD);
  mpfr_add(hi, hi, tol, MPFR_RNDU);
  /* Invariant: count(lo) <= k < count(hi); 2 wprec + 64 halvings bring
   * the width from the Gershgorin diameter far below tol. */
  for (long it = 0; it < 2 * (long)w->wprec + 64; it++) {
    mpfr_sub(mid, hi, lo, MPFR_RNDN);
    if (mpfr_lessequal_p(mid, tol))
      break;
    mpfr_add(mid, lo, hi, MPFR_RNDN);
    mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
    if (mpfr_equal_p(mid, lo) || mpfr_equal_p(mid, hi))
      break; /* adjacent floating-point numbers */
    if (tc_num_sturm_count_mpfr(mid, w) > k)
      mpfr_set(hi, mid, MPFR_RNDN);
    else
      mpfr_set(lo, mid, MPFR_RNDN);
  }
  mpfr_add(mid, lo, hi, MPFR_RNDN);
  mpfr_div_2ui(r, mid, 1, MPFR_RNDN);
  return TC_SUCCESS;
}
