/* tc_special.h — special functions the catalog and the checks need in both
 * precisions (exp/log/sqrt/erf come from libm and MPFR directly). */
#ifndef TC_SPECIAL_H
#define TC_SPECIAL_H

#include <mpfr.h>

/* Regularised incomplete beta function I_x(a, b) for a > 0, b > 0,
 * 0 <= x <= 1.  TC_EDOM outside that domain (r is set to NaN).
 * _d wraps GSL's gsl_sf_beta_inc.  _mpfr evaluates the continued fraction
 * (modified Lentz, using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where it
 * converges faster) at the precision of r plus guard bits; TC_EMAXITER if
 * it does not converge. */
int tc_beta_inc_d(double *r, const double *a, const double *b, const double *x);
int tc_beta_inc_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b, mpfr_srcptr x);

#endif
