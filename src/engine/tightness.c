/* Tightness that means something: how close one row comes to its bound,
 * or NaN when the row says nothing about that.
 *
 * Rows at the rounding floor (violated by less than rounding: "near", or
 * with lhs or rhs inside the module's `error` estimate) and
 * rows where the bound is trivially attained (both sides 0, as when mu = L
 * and GD converges in one step; a non-positive bound; a bound no stronger
 * than the claim's `baseline`) are excluded, so they neither report a
 * tightness of 1 nor attract the worst-case search.
 *
 * Without a baseline the tightness is lhs/rhs.  With a baseline b (a bound
 * that holds trivially, e.g. gap0 for a monotone method) it is the fraction
 * of the claimed improvement that the row attains, on a log scale:
 *   t = log(b/rhs) / log(b/lhs),
 * which is 1 when lhs = rhs, below 1 when the row beats the bound and above
 * 1 when it violates it.  For k = 1 and mu/L -> 0 the claim (1 - mu/L) gap0
 * is barely below b and the run reaches (1 - mu/L)^2 gap0: t -> 1/2, where
 * lhs/rhs -> 1 would call the bound tight. */
#include <math.h>
#include "engine_impl.h"

static double log_ratio_tightness(mpfr_srcptr lhs, mpfr_srcptr rhs, mpfr_srcptr b)
{
  if (mpfr_cmp(lhs, b) >= 0)
    return INFINITY; /* no progress at all where some was claimed */
  mpfr_prec_t p = mpfr_get_prec(lhs) + 16;
  mpfr_t num, den;
  mpfr_inits2(p, num, den, (mpfr_ptr)0);
  mpfr_div(num, b, rhs, MPFR_RNDN);
  mpfr_log(num, num, MPFR_RNDN);
  mpfr_div(den, b, lhs, MPFR_RNDN);
  mpfr_log(den, den, MPFR_RNDN);
  double t = mpfr_inf_p(den) ? 0.0 : mpfr_get_d(num, MPFR_RNDN) / mpfr_get_d(den, MPFR_RNDN);
  mpfr_clears(num, den, (mpfr_ptr)0);
  return t;
}

double tc_engine_row_tightness(int *why, int cls, mpfr_srcptr lhs, mpfr_srcptr rhs,
                               mpfr_srcptr baseline, mpfr_srcptr err)
{
  *why = TIGHT_INFORMATIVE;
  if (cls == ROW_NONFINITE)
    return NAN;
  /* A lhs or bound inside the module's own rounding estimate is noise: its
   * ratio to anything says nothing about the bound. */
  int in_noise = mpfr_sgn(err) > 0 && (mpfr_cmpabs_ui(lhs, 0) == 0 || mpfr_cmp(lhs, err) <= 0 ||
                                       mpfr_cmp(rhs, err) <= 0);
  if (cls == ROW_NEAR || cls == ROW_WITHIN_ERROR || (in_noise && cls != ROW_VIOLATED)) {
    *why = TIGHT_FLOOR;
    return NAN;
  }
  int trivial = mpfr_sgn(rhs) <= 0 || (mpfr_zero_p(lhs) && mpfr_zero_p(rhs));
  if (baseline)
    trivial |= !mpfr_number_p(baseline) || mpfr_cmp(rhs, baseline) >= 0 || mpfr_sgn(lhs) < 0;
  if (trivial) {
    *why = TIGHT_TRIVIAL;
    return NAN;
  }
  if (baseline)
    return log_ratio_tightness(lhs, rhs, baseline);
  mpfr_t q;
  mpfr_init2(q, mpfr_get_prec(lhs));
  mpfr_div(q, lhs, rhs, MPFR_RNDN);
  double t = mpfr_get_d(q, MPFR_RNDN);
  mpfr_clear(q);
  return t;
}
