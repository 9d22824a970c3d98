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

  /* Two-pass variance with the correction term sum(d)^2/n, which cancels
   * the first-order error of m (Chan, Golub & LeVeque's corrected
   * two-pass algorithm). */
  double sd1 = 0.0, sd2 = 0.0;
  for (size_t i = 0; i < n; i++) {
    double d = x[i] - m;
    sd1 += d;
    sd2 += d * d;
  }
  double var = (sd2 - sd1 * sd1 / (double)n) / (double)(n - 1);
  double sdev = var > 0.0 ? sqrt(var) : 0.0;

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
