/* tc_mean_ci_bernstein: a confidence interval for the mean of a sample
 * known to lie in [a, b] that holds at every finite n (no normal
 * approximation): the empirical Bernstein bound of Maurer and Pontil,
 * "Empirical Bernstein Bounds and Sample Variance Penalization" (COLT
 * 2009, Theorem 4).  For X in [0, 1] i.i.d., with probability >= 1 - d,
 *   E X <= mean + sqrt(2 V ln(2/d) / n) + 7 ln(2/d) / (3 (n - 1)),
 * V the unbiased sample variance; applied to each side with d = alpha/2
 * after mapping [a, b] to [0, 1], and clipped to [a, b]. */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include "tc_stats.h"
#include "tc_status.h"

int tc_mean_ci_bernstein(double *mean, double *lower, double *upper, const double *x, size_t n,
                         double a, double b, double confidence)
{
  if (n < 2 || !(confidence > 0 && confidence < 1) || !(a < b) || !isfinite(a) || !isfinite(b))
    return TC_EDOM;
  for (size_t i = 0; i < n; i++)
    if (!(x[i] >= a && x[i] <= b))
      return TC_EDOM; /* a value outside the declared range voids the bound */
  double m = gsl_stats_mean(x, 1, n);
  double range = b - a;
  double v = gsl_stats_variance_m(x, 1, n, m) / (range * range);
  double log_term = log(2.0 / ((1.0 - confidence) / 2.0));
  double w = range * (sqrt(2.0 * v * log_term / (double)n) + 7.0 * log_term / (3.0 * (double)(n - 1)));
  *mean = m;
  *lower = fmax(a, m - w);
  *upper = fmin(b, m + w);
  return TC_SUCCESS;
}
