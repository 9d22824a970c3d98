/* tc_stats.h — the statistics behind the verdicts.
 *
 * All intervals are two-sided at confidence level `confidence` in (0,1)
 * (e.g. 0.95).  Functions return TC_SUCCESS or TC_EDOM for arguments
 * outside their domain; they never print. */
#ifndef TC_STATS_H
#define TC_STATS_H

#include <stddef.h>

/* Exact Clopper–Pearson interval for a binomial proportion with k
 * successes in n trials (0 <= k <= n, n >= 1):
 *   lower = 0 if k = 0, else the alpha/2 quantile of Beta(k, n-k+1);
 *   upper = 1 if k = n, else the 1-alpha/2 quantile of Beta(k+1, n-k);
 * alpha = 1 - confidence.  Quantiles by GSL's gsl_cdf_beta_Pinv, refined
 * by bisection on gsl_sf_beta_inc so that the interval is never narrower
 * than the exact one by more than 1e-12. */
int tc_clopper_pearson(double *lower, double *upper, size_t k, size_t n,
                       double confidence);

/* Sample mean and two-sided Student-t confidence interval for the mean of
 * x[0..n-1] (n >= 2).  Also returns the sample standard deviation.  A
 * zero-variance sample gives lower = upper = mean. */
int tc_mean_ci(double *mean, double *lower, double *upper, double *sd,
               const double *x, size_t n, double confidence);

/* Sample mean and a two-sided interval for the mean of x[0..n-1] (n >= 2)
 * that holds at finite n for a sample known to lie in [a, b]: the
 * empirical Bernstein bound (Maurer-Pontil 2009), at confidence/2 per
 * side.  TC_EDOM if a value lies outside [a, b] (the bound would be void)
 * or a >= b.  Wider than the Student-t interval, but not asymptotic. */
int tc_mean_ci_bernstein(double *mean, double *lower, double *upper, const double *x, size_t n,
                         double a, double b, double confidence);

/* Least-squares fit of log(y) = c + alpha log(x) over n >= 3 points with
 * x > 0, y > 0 (TC_EDOM otherwise).  Returns the slope alpha, its
 * standard error and the Student-t confidence interval with n-2 degrees
 * of freedom, and the intercept c. */
typedef struct {
  double slope, slope_se, slope_lower, slope_upper, intercept;
  size_t n;
} tc_loglog_fit;
int tc_loglog_fit_compute(tc_loglog_fit *fit, const double *x, const double *y,
                          size_t n, double confidence);

#endif
