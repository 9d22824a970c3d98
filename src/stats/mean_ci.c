/* tc_mean_ci — sample mean and Student-t confidence interval.
 *
 * Used by the engine on per-instance differences rhs - lhs, which are
 * often all equal (a bound that is tight by construction), so a constant
 * sample must give exactly sd = 0 and a zero-width interval rather than
 * rounding noise of either sign. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "tc_status.h"
#include "tc_stats.h"

int tc_mean_ci(double *mean, double *lower, double *upper, double *sd,
               const double *x, size_t n, double confidence)
{
  if (n < 2 || !(confidence > 0.0 && confidence < 1.0))
    return TC_EDOM;
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]))
      return TC_EDOM;

  /* Shift by x[0] before summing: a constant sample then sums to exactly
   * 0 and the mean is exactly x[0]; it also removes a large common offset
   * before the squares are formed. */
  double shift = x[0], s = 0.0;
  for (size_t i = 0; i < n; i++)
    s += x[i] - shift;
  double m = shift + s / (double)n;
  if (!isfinite(m))
    return TC_EDOM; /* x[i] - x[0] overflowed: no interval in double */

  /* Two-pass variance with the correction term sum(d)^2/n, which cancels
   * the first-order error of m (Chan, Golub & LeVeque's corrected
   * two-pass algorithm), on deviations scaled by a power of two near
   * their largest: unscaled, d * d underflows to 0 for a sample of size
   * 1e-320 and overflows for one of size 1e160 (Inf - Inf = NaN), and
   * either gave sd = 0, a zero-width interval around a mean that says
   * nothing. */
  double dmax = 0.0;
  for (size_t i = 0; i < n; i++)
    dmax = fmax(dmax, fabs(x[i] - m));
  if (!isfinite(dmax))
    return TC_EDOM;
  int e = 0;
  if (dmax > 0.0)
    frexp(dmax, &e);
  double sd1 = 0.0, sd2 = 0.0;
  for (size_t i = 0; i < n; i++) {
    double d = ldexp(x[i] - m, -e); /* |d| < 1, exact unless subnormal */
    sd1 += d;
    sd2 += d * d;
  }
  double var = (sd2 - sd1 * sd1 / (double)n) / (double)(n - 1);
  double sdev = var > 0.0 ? ldexp(sqrt(var), e) : 0.0; /* may be Inf: then so is the interval */

  double half = 0.0;
  if (sdev > 0.0) {
    /* Qinv(alpha/2) is the same quantile as Pinv(1 - alpha/2) but does
     * not lose alpha to rounding when the confidence is close to 1.
     * GSL's handler is off so that a failure deep in its CDF
     * evaluation cannot abort the caller. */
    tc_gsl_errors_off();
    double t = gsl_cdf_tdist_Qinv(0.5 * (1.0 - confidence), (double)(n - 1));
    if (!(t > 0.0))
      return TC_EMAXITER;
    half = t * sdev / sqrt((double)n);
  }

  *mean = m;
  *sd = sdev;
  *lower = m - half;
  *upper = m + half;
  return TC_SUCCESS;
}
