/* tc_real.h — scalar arithmetic for the two numeric backends.
 *
 * Both scalar types are one-element arrays (double[1] and mpfr_t), so a
 * variable decays to a pointer when passed and every operation has the
 * MPFR shape: output first, inputs next.  The library's own templated
 * sources (src/num, checks/) write r_add(r, a, b) through the private
 * operation list src/num/tc_templates_on.h, which makes it tc_real_add_d
 * or tc_real_add_mpfr; users of the installed headers call these names.  Rounding is always
 * MPFR_RNDN; the precision of an MPFR result is the precision it was
 * initialised with (tc_real_init_mpfr), never a hidden default. */
#ifndef TC_REAL_H
#define TC_REAL_H

#include <math.h>
#include <stdint.h>
#include <mpfr.h>

typedef double tc_real_d[1];
/* Pointer typedefs, so that `REAL_PTR a, b;` declares two pointers. */
typedef double *tc_real_ptr_d;
typedef const double *tc_real_srcptr_d;

/* ---- double backend ------------------------------------------------ */
static inline void tc_real_init_d(double *x, mpfr_prec_t prec) { (void)prec; *x = 0.0; }
static inline void tc_real_clear_d(double *x) { (void)x; }
static inline void tc_real_set_d(double *r, const double *a) { *r = *a; }
static inline void tc_real_set_double_d(double *r, double a) { *r = a; }
static inline void tc_real_set_si_d(double *r, long a) { *r = (double)a; }
static inline double tc_real_get_double_d(const double *a) { return *a; }
static inline void tc_real_add_d(double *r, const double *a, const double *b) { *r = *a + *b; }
static inline void tc_real_sub_d(double *r, const double *a, const double *b) { *r = *a - *b; }
static inline void tc_real_mul_d(double *r, const double *a, const double *b) { *r = *a * *b; }
static inline void tc_real_div_d(double *r, const double *a, const double *b) { *r = *a / *b; }
static inline void tc_real_add_double_d(double *r, const double *a, double b) { *r = *a + b; }
static inline void tc_real_mul_double_d(double *r, const double *a, double b) { *r = *a * b; }
static inline void tc_real_div_double_d(double *r, const double *a, double b) { *r = *a / b; }
static inline void tc_real_fma_d(double *r, const double *a, const double *b, const double *c) { *r = fma(*a, *b, *c); }
static inline void tc_real_neg_d(double *r, const double *a) { *r = -*a; }
static inline void tc_real_abs_d(double *r, const double *a) { *r = fabs(*a); }
static inline void tc_real_sqr_d(double *r, const double *a) { *r = *a * *a; }
static inline void tc_real_sqrt_d(double *r, const double *a) { *r = sqrt(*a); }
static inline void tc_real_exp_d(double *r, const double *a) { *r = exp(*a); }
static inline void tc_real_log_d(double *r, const double *a) { *r = log(*a); }
static inline void tc_real_erf_d(double *r, const double *a) { *r = erf(*a); }
static inline void tc_real_acos_d(double *r, const double *a) { *r = acos(*a); }
static inline void tc_real_atan2_d(double *r, const double *y, const double *x) { *r = atan2(*y, *x); }
static inline void tc_real_sin_d(double *r, const double *a) { *r = sin(*a); }
static inline void tc_real_pow_d(double *r, const double *a, const double *b) { *r = pow(*a, *b); }
static inline void tc_real_pow_si_d(double *r, const double *a, long n) { *r = pow(*a, (double)n); }
/* Literal rather than M_PI, which strict C11 headers do not define. */
static inline void tc_real_pi_d(double *r) { *r = 3.14159265358979323846; }
static inline void tc_real_max_d(double *r, const double *a, const double *b) { *r = fmax(*a, *b); }
static inline void tc_real_min_d(double *r, const double *a, const double *b) { *r = fmin(*a, *b); }
static inline int tc_real_cmp_d(const double *a, const double *b) { return (*a > *b) - (*a < *b); }
static inline int tc_real_sgn_d(const double *a) { return (*a > 0) - (*a < 0); }
static inline int tc_real_is_finite_d(const double *a) { return isfinite(*a); }

/* ---- MPFR backend -------------------------------------------------- */
static inline void tc_real_init_mpfr(mpfr_ptr x, mpfr_prec_t prec) { mpfr_init2(x, prec); mpfr_set_zero(x, 1); }
static inline void tc_real_clear_mpfr(mpfr_ptr x) { mpfr_clear(x); }
static inline void tc_real_set_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_set(r, a, MPFR_RNDN); }
static inline void tc_real_set_double_mpfr(mpfr_ptr r, double a) { mpfr_set_d(r, a, MPFR_RNDN); }
static inline void tc_real_set_si_mpfr(mpfr_ptr r, long a) { mpfr_set_si(r, a, MPFR_RNDN); }
static inline double tc_real_get_double_mpfr(mpfr_srcptr a) { return mpfr_get_d(a, MPFR_RNDN); }
static inline void tc_real_add_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_add(r, a, b, MPFR_RNDN); }
static inline void tc_real_sub_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_sub(r, a, b, MPFR_RNDN); }
static inline void tc_real_mul_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_mul(r, a, b, MPFR_RNDN); }
static inline void tc_real_div_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_div(r, a, b, MPFR_RNDN); }
static inline void tc_real_add_double_mpfr(mpfr_ptr r, mpfr_srcptr a, double b) { mpfr_add_d(r, a, b, MPFR_RNDN); }
static inline void tc_real_mul_double_mpfr(mpfr_ptr r, mpfr_srcptr a, double b) { mpfr_mul_d(r, a, b, MPFR_RNDN); }
static inline void tc_real_div_double_mpfr(mpfr_ptr r, mpfr_srcptr a, double b) { mpfr_div_d(r, a, b, MPFR_RNDN); }
static inline void tc_real_fma_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b, mpfr_srcptr c) { mpfr_fma(r, a, b, c, MPFR_RNDN); }
static inline void tc_real_neg_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_neg(r, a, MPFR_RNDN); }
static inline void tc_real_abs_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_abs(r, a, MPFR_RNDN); }
static inline void tc_real_sqr_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_sqr(r, a, MPFR_RNDN); }
static inline void tc_real_sqrt_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_sqrt(r, a, MPFR_RNDN); }
static inline void tc_real_exp_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_exp(r, a, MPFR_RNDN); }
static inline void tc_real_log_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_log(r, a, MPFR_RNDN); }
static inline void tc_real_erf_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_erf(r, a, MPFR_RNDN); }
static inline void tc_real_acos_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_acos(r, a, MPFR_RNDN); }
static inline void tc_real_atan2_mpfr(mpfr_ptr r, mpfr_srcptr y, mpfr_srcptr x) { mpfr_atan2(r, y, x, MPFR_RNDN); }
static inline void tc_real_sin_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_sin(r, a, MPFR_RNDN); }
static inline void tc_real_pow_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_pow(r, a, b, MPFR_RNDN); }
static inline void tc_real_pow_si_mpfr(mpfr_ptr r, mpfr_srcptr a, long n) { mpfr_pow_si(r, a, n, MPFR_RNDN); }
static inline void tc_real_pi_mpfr(mpfr_ptr r) { mpfr_const_pi(r, MPFR_RNDN); }
static inline void tc_real_max_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_max(r, a, b, MPFR_RNDN); }
static inline void tc_real_min_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_min(r, a, b, MPFR_RNDN); }
static inline int tc_real_cmp_mpfr(mpfr_srcptr a, mpfr_srcptr b) { return mpfr_cmp(a, b); }
static inline int tc_real_sgn_mpfr(mpfr_srcptr a) { return mpfr_sgn(a); }
static inline int tc_real_is_finite_mpfr(mpfr_srcptr a) { return mpfr_number_p(a); }

#endif
