/* tc_beta_inc_d — regularised incomplete beta I_x(a, b) in double, by GSL.
 *
 * The domain is checked here, so GSL never reports EDOM; for its other
 * errors GSL's handler is switched off around the call (as src/stats does)
 * and the status is translated.  GSL signals EUNDRFLW when I_x(a, b) is
 * below the double range: the value it returns (0 or subnormal) is then the
 * right double answer, so that is a success. */
#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include "tc_special.h"
#include "tc_status.h"

int tc_beta_inc_d(double *r, const double *a, const double *b, const double *x)
{
  double av = *a, bv = *b, xv = *x;
  /* Written so that NaN fails every test. */
  if (!(av > 0 && bv > 0 && isfinite(av) && isfinite(bv) && xv >= 0 && xv <= 1)) {
    *r = NAN;
    return TC_EDOM;
  }
  if (xv == 0) {
    *r = 0.0;
    return TC_SUCCESS;
  }
  if (xv == 1) {
    *r = 1.0;
    return TC_SUCCESS;
  }

  gsl_sf_result res;
  tc_gsl_errors_off();
  int st = gsl_sf_beta_inc_e(av, bv, xv, &res);

  switch (st) {
  case GSL_SUCCESS:
  case GSL_EUNDRFLW:
    *r = res.val;
    return TC_SUCCESS;
  case GSL_EMAXITER:
    *r = NAN;
    return TC_EMAXITER;
  default:
    *r = NAN;
    return TC_EFAILED;
  }
}
