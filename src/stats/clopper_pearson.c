/* tc_clopper_pearson — exact (Clopper–Pearson) binomial confidence interval.
 *
 * The engine turns "k of n instances satisfied the event" into a verdict on
 * a probability claim, so the interval must be conservative: a bound that
 * is slightly too narrow could turn an honest "cannot tell" into a false
 * VIOLATED.  GSL's gsl_cdf_beta_Pinv is only accurate to ~sqrt(eps) in P
 * (and gives up with NaN for large shape parameters), so we use it as a
 * starting point and bisect on gsl_sf_beta_inc until the bracket around
 * the exact quantile is tiny, then return the bracket end that lies
 * *outside* the exact interval. */
#include <float.h>
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "tc_status.h"
#include "tc_stats.h"

/* Bisection stops once hi - lo <= REL_TOL * hi (so also <= REL_TOL in
 * absolute terms, hi <= 1): a relative tolerance keeps small lower bounds
 * (rare events, lower ~ 1e-8) meaningful, and leaves two decades of room
 * under the 1e-12 promised by the header for the error of beta_inc. */
#define REL_TOL 1e-14
#define MAX_STEPS 4000

/* Sign of I_x(a,b) - p: -1 if below p, +1 otherwise.  Underflow of I_x is
 * harmless (the true value is below DBL_MIN, hence below p, which is at
 * least ~1e-17 because confidence < 1 is a double); any other GSL failure
 * is reported. */
static int cdf_sign(int *sign, double x, double a, double b, double p)
{
  gsl_sf_result r;
  int s = gsl_sf_beta_inc_e(a, b, x, &r);
  if (s == GSL_EUNDRFLW) {
    r.val = 0.0;
  } else if (s != GSL_SUCCESS || !isfinite(r.val)) {
    return TC_EMAXITER;
  }
  *sign = r.val < p ? -1 : 1;
  return TC_SUCCESS;
}

/* The largest lo found with I_lo(a,b) < p, where hi - lo is within the
 * tolerance and I_hi(a,b) >= p: a lower bound on the exact p-quantile of
 * Beta(a,b).  The CDF is increasing in x, I_0 = 0 < p and I_1 = 1 > p, so
 * [0,1] is always a valid bracket; the GSL guess only makes it short. */
static int beta_quantile_below(double *q, double p, double a, double b)
{
  double lo = 0.0, hi = 1.0;
  double guess = gsl_cdf_beta_Pinv(p, a, b);
  int sign, status;

  if (isfinite(guess) && guess > 0.0 && guess < 1.0) {
    double h = 1e-10 * guess;
    if ((status = cdf_sign(&sign, guess, a, b, p)) != TC_SUCCESS)
      return status;
    if (sign < 0) {
      lo = guess;
      for (;;) {
        double t = guess + h;
        if (t >= 1.0)
          break;
        if ((status = cdf_sign(&sign, t, a, b, p)) != TC_SUCCESS)
          return status;
        if (sign > 0) {
          hi = t;
          break;
        }
        lo = t;
        h *= 16.0;
      }
    } else {
      hi = guess;
      for (;;) {
        double t = guess - h;
        if (t <= 0.0)
          break;
        if ((status = cdf_sign(&sign, t, a, b, p)) != TC_SUCCESS)
          return status;
        if (sign < 0) {
          lo = t;
          break;
        }
        hi = t;
        h *= 16.0;
      }
    }
  }

  for (int step = 0; hi - lo > REL_TOL * hi; step++) {
    double mid = lo + 0.5 * (hi - lo);
    if (mid <= lo || mid >= hi)
      break;  /* lo and hi are adjacent doubles */
    if (step == MAX_STEPS)
      return TC_EMAXITER;
    if ((status = cdf_sign(&sign, mid, a, b, p)) != TC_SUCCESS)
      return status;
    if (sign < 0)
      lo = mid;
    else
      hi = mid;
  }
  *q = lo;
  return TC_SUCCESS;
}

int tc_clopper_pearson(double *lower, double *upper, size_t k, size_t n,
                       double confidence)
{
  if (n == 0 || k > n || !(confidence > 0.0 && confidence < 1.0))
    return TC_EDOM;

  double half_alpha = 0.5 * (1.0 - confidence);
  double nd = (double)n, kd = (double)k;
  double lo = 0.0, hi = 1.0, q;
  int status = TC_SUCCESS;

  /* Library code must not abort: GSL's default handler would, on a
   * non-converged Pinv or an underflowing beta_inc, both of which we
   * recover from. */
  tc_gsl_errors_off();

  if (k > 0) {
    status = beta_quantile_below(&q, half_alpha, kd, nd - kd + 1.0);
    if (status == TC_SUCCESS)
      lo = q;
  }
  /* The 1 - alpha/2 quantile of Beta(k+1, n-k) is 1 minus the alpha/2
   * quantile of Beta(n-k, k+1).  Solving in the small tail keeps full
   * relative accuracy in alpha/2 (1 - alpha/2 would round when alpha is
   * tiny), and a lower bound on the mirrored quantile is an upper bound
   * on ours, which is the conservative side. */
  if (status == TC_SUCCESS && k < n) {
    status = beta_quantile_below(&q, half_alpha, nd - kd, kd + 1.0);
    if (status == TC_SUCCESS)
      hi = 1.0 - q;
  }

  if (status != TC_SUCCESS)
    return status;
  *lower = lo;
  *upper = hi;
  return TC_SUCCESS;
}
