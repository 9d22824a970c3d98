/* tc_templates_on.h — write numerics once, compile them for two backends.
 *
 * Define exactly one of TC_BASE_DOUBLE or TC_BASE_MPFR, include this file,
 * include the source written in the generic names below, then include
 * tc_templates_off.h.  Repeat for the other backend.  (GSL does the same
 * with templates_on.h for its vector element types.)
 *
 *   REAL          scalar type: double[1] or mpfr_t (declare: REAL x;)
 *   REAL_PTR      what a REAL decays to: double * or mpfr_ptr
 *   REAL_SRCPTR   const version: const double * or mpfr_srcptr
 *   FUNCTION(f)   f_d or f_mpfr, for names a module defines itself
 *   VEC, MAT      tc_vec_d / tc_vec_mpfr, tc_mat_d / tc_mat_mpfr
 *   r_*           scalar operations of tc_real.h
 *   vec_*, mat_*  operations of tc_linalg.h
 */
#include "tc_real.h"
#include "tc_linalg.h"
#include "tc_special.h"

#if defined(TC_BASE_DOUBLE) == defined(TC_BASE_MPFR)
#error "define exactly one of TC_BASE_DOUBLE and TC_BASE_MPFR before tc_templates_on.h"
#endif

#if defined(TC_BASE_DOUBLE)
#define REAL tc_real_d
#define REAL_PTR tc_real_ptr_d
#define REAL_SRCPTR tc_real_srcptr_d
#define TC_SUFFIX d
#define TC_BASE_NAME "double"
#else
#define REAL mpfr_t
#define REAL_PTR mpfr_ptr
#define REAL_SRCPTR mpfr_srcptr
#define TC_SUFFIX mpfr
#define TC_BASE_NAME "mpfr"
#endif

#define TC_CAT2_(a, b) a##_##b
#define TC_CAT2(a, b) TC_CAT2_(a, b)
#define FUNCTION(name) TC_CAT2(name, TC_SUFFIX)

#define VEC FUNCTION(tc_vec)
#define MAT FUNCTION(tc_mat)
#define EIGEN_WS FUNCTION(tc_eigen_ws)

#define r_init FUNCTION(tc_real_init)
#define r_clear FUNCTION(tc_real_clear)
#define r_set FUNCTION(tc_real_set)
#define r_set_double FUNCTION(tc_real_set_double)
#define r_set_si FUNCTION(tc_real_set_si)
#define r_get_double FUNCTION(tc_real_get_double)
#define r_add FUNCTION(tc_real_add)
#define r_sub FUNCTION(tc_real_sub)
#define r_mul FUNCTION(tc_real_mul)
#define r_div FUNCTION(tc_real_div)
#define r_add_double FUNCTION(tc_real_add_double)
#define r_mul_double FUNCTION(tc_real_mul_double)
#define r_div_double FUNCTION(tc_real_div_double)
#define r_fma FUNCTION(tc_real_fma)
#define r_neg FUNCTION(tc_real_neg)
#define r_abs FUNCTION(tc_real_abs)
#define r_sqr FUNCTION(tc_real_sqr)
#define r_sqrt FUNCTION(tc_real_sqrt)
#define r_exp FUNCTION(tc_real_exp)
#define r_log FUNCTION(tc_real_log)
#define r_erf FUNCTION(tc_real_erf)
#define r_acos FUNCTION(tc_real_acos)
#define r_sin FUNCTION(tc_real_sin)
#define r_pow FUNCTION(tc_real_pow)
#define r_pow_si FUNCTION(tc_real_pow_si)
#define r_pi FUNCTION(tc_real_pi)
#define r_max FUNCTION(tc_real_max)
#define r_min FUNCTION(tc_real_min)
#define r_cmp FUNCTION(tc_real_cmp)
#define r_sgn FUNCTION(tc_real_sgn)
#define r_is_finite FUNCTION(tc_real_is_finite)
#define r_beta_inc FUNCTION(tc_beta_inc)

#define vec_alloc FUNCTION(tc_vec_alloc)
#define vec_free FUNCTION(tc_vec_free)
#define vec_at FUNCTION(tc_vec_at)
#define vec_set_zero FUNCTION(tc_vec_set_zero)
#define vec_copy FUNCTION(tc_vec_copy)
#define vec_dot FUNCTION(tc_vec_dot)
#define vec_norm2 FUNCTION(tc_vec_norm2)
#define vec_axpy FUNCTION(tc_vec_axpy)
#define vec_scale FUNCTION(tc_vec_scale)
#define mat_alloc FUNCTION(tc_mat_alloc)
#define mat_free FUNCTION(tc_mat_free)
#define mat_at FUNCTION(tc_mat_at)
#define mat_set_zero FUNCTION(tc_mat_set_zero)
#define mat_copy FUNCTION(tc_mat_copy)
#define mat_gemv FUNCTION(tc_mat_gemv)
#define mat_gemv_trans FUNCTION(tc_mat_gemv_trans)
#define mat_gemm FUNCTION(tc_mat_gemm)
#define mat_gram FUNCTION(tc_mat_gram)
#define eigen_ws_alloc FUNCTION(tc_eigen_ws_alloc)
#define eigen_ws_free FUNCTION(tc_eigen_ws_free)
#define eigen_symm FUNCTION(tc_eigen_symm)
#define cholesky FUNCTION(tc_cholesky)
#define record_put FUNCTION(tc_record_put)
