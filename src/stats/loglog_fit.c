/* tc_loglog_fit_compute — power-law fit y ~ C x^alpha by least squares on
 * logarithms, with a Student-t interval for the exponent.
 *
 * Rate claims ("the error decays like n^-1/2") are judged by whether the
 * claimed exponent lies in this interval, so the standard error must be
 * the textbook OLS one: s^2 / Sxx with s^2 the residual variance over
 * n - 2 degrees of freedom. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "tc_status.h"
#include "tc_stats.h"

int tc_loglog_fit_compute(tc_loglog_fit *fit, const double *x, const double *y,
                          size_t n, double confidence)
{
  if (n < 3 || !(confidence > 0.0 && confidence < 1.0))
    return TC_EDOM;
  for (size_t i = 0; i < n; i++)
    if (!(x[i] > 0.0 && y[i] > 0.0 && isfinite(x[i]) && isfinite(y[i])))
      return TC_EDOM;

  /* Centred sums (the logs are recomputed on each pass rather than stored,
   * so the function needs no workspace): centring first keeps Sxx
   * accurate when the x range is narrow relative to its magnitude. */
  double mx = 0.0, my = 0.0;
  for (size_t i = 0; i < n; i++) {
    mx += (log(x[i]) - mx) / (double)(i + 1);
    my += (log(y[i]) - my) / (double)(i + 1);
  }
  double sxx = 0.0, sxy = 0.0;
  for (size_t i = 0; i < n; i++) {
    double dx = log(x[i]) - mx;
    sxx += dx * dx;
    sxy += dx * (log(y[i]) - my);
  }
  if (!(sxx > 0.0))
    return TC_EDOM;  /* all x equal: the slope is not identifiable */

  double slope = sxy / sxx;
  double intercept = my - slope * mx;
  double rss = 0.0;
  for (size_t i = 0; i < n; i++) {
    double r = log(y[i]) - my - slope * (log(x[i]) - mx);
    rss += r * r;
  }
  double se = sqrt(rss / (double)(n - 2) / sxx);

  double half = 0.0;
  if (se > 0.0) {
    tc_gsl_errors_off();
    double t = gsl_cdf_tdist_Qinv(0.5 * (1.0 - confidence), (double)(n - 2));
    if (!(t > 0.0))
      return TC_EMAXITER;
    half = t * se;
  }

  fit->slope = slope;
  fit->slope_se = se;
  fit->slope_lower = slope - half;
  fit->slope_upper = slope + half;
  fit->intercept = intercept;
  fit->n = n;
  return TC_SUCCESS;
}
