/* tc_templates_on.h — the operation list: write numerics once, compile them
 * for every backend (private to the build; not installed).
 *
 * Define one TC_BASE_<NAME> of tc_backends.h, include this file, include
 * the source written in the generic names below, then include
 * tc_templates_off.h; tc_instantiate.h does the three for every backend.
 * (GSL does the same with templates_on.h for its vector element types.)
 *
 *   REAL          scalar type: double[1] or mpfr_t (declare: REAL x;)
 *   REAL_PTR      what a REAL decays to: double * or mpfr_ptr
 *   REAL_SRCPTR   const version: const double * or mpfr_srcptr
 *   FUNCTION(f)   f_d or f_mpfr, for names a module defines itself
 *   VEC, MAT, *_WS, ODE_FN   the backend's object types
 *   r_*, vec_*, mat_*, ...   the operations: each TC_OP(stem) below is
 *                 the library function stem_<suffix> of the backend
 *
 * These unprefixed names exist only inside the library's own sources
 * (src/num, checks/): the installed headers export tc_-prefixed names
 * only.  tests/tops_list.sh checks that every name defined here is undone
 * by tc_templates_off.h and that every backend implements every TC_OP. */
#include "tc_real.h"
#include "tc_linalg.h"
#include "tc_special.h"
#include "tc_ode.h"
#include "tc_backends.h"

#define TC_CAT2_(a, b) a##_##b
#define TC_CAT2(a, b) TC_CAT2_(a, b)
#define FUNCTION(name) TC_CAT2(name, TC_SUFFIX)
#define TC_OP(stem) TC_CAT2(stem, TC_SUFFIX)

/* TC_TRY(call): status <- call, and on failure jump to the enclosing
 * function's `done:` cleanup label.  For the operations whose status the
 * caller must check; set_zero, the scalar r_* and vec_at/mat_at cannot
 * fail (tc_linalg.h, tc_real.h) and are called bare. */
#define TC_TRY(call)                                                            \
  do {                                                                          \
    if ((status = (call)) != TC_SUCCESS)                                        \
      goto done;                                                                \
  } while (0)

/* ---- types ---- */
#define VEC TC_OP(tc_vec)
#define MAT TC_OP(tc_mat)
#define EIGEN_WS TC_OP(tc_eigen_ws)
#define EIGENV_WS TC_OP(tc_eigenv_ws)
#define QR_WS TC_OP(tc_qr_ws)
#define EXPM_WS TC_OP(tc_expm_ws)
#define ODE_WS TC_OP(tc_ode_ws)
#define ODE_FN TC_OP(tc_ode_fn)

/* ---- scalars (tc_real.h, tc_special.h) ---- */
#define r_init TC_OP(tc_real_init)
#define r_clear TC_OP(tc_real_clear)
#define r_set TC_OP(tc_real_set)
#define r_set_double TC_OP(tc_real_set_double)
#define r_set_si TC_OP(tc_real_set_si)
#define r_get_double TC_OP(tc_real_get_double)
#define r_add TC_OP(tc_real_add)
#define r_sub TC_OP(tc_real_sub)
#define r_mul TC_OP(tc_real_mul)
#define r_div TC_OP(tc_real_div)
#define r_add_double TC_OP(tc_real_add_double)
#define r_mul_double TC_OP(tc_real_mul_double)
#define r_div_double TC_OP(tc_real_div_double)
#define r_fma TC_OP(tc_real_fma)
#define r_neg TC_OP(tc_real_neg)
#define r_abs TC_OP(tc_real_abs)
#define r_sqr TC_OP(tc_real_sqr)
#define r_sqrt TC_OP(tc_real_sqrt)
#define r_exp TC_OP(tc_real_exp)
#define r_log TC_OP(tc_real_log)
#define r_erf TC_OP(tc_real_erf)
#define r_acos TC_OP(tc_real_acos)
#define r_atan2 TC_OP(tc_real_atan2)
#define r_sin TC_OP(tc_real_sin)
#define r_pow TC_OP(tc_real_pow)
#define r_pow_si TC_OP(tc_real_pow_si)
#define r_pi TC_OP(tc_real_pi)
#define r_max TC_OP(tc_real_max)
#define r_min TC_OP(tc_real_min)
#define r_cmp TC_OP(tc_real_cmp)
#define r_sgn TC_OP(tc_real_sgn)
#define r_is_finite TC_OP(tc_real_is_finite)
#define r_beta_inc TC_OP(tc_beta_inc)

/* ---- vectors and matrices (tc_linalg.h) ---- */
#define vec_alloc TC_OP(tc_vec_alloc)
#define vec_free TC_OP(tc_vec_free)
#define vec_at TC_OP(tc_vec_at)
#define vec_set_zero TC_OP(tc_vec_set_zero)
#define vec_copy TC_OP(tc_vec_copy)
#define vec_dot TC_OP(tc_vec_dot)
#define vec_norm2 TC_OP(tc_vec_norm2)
#define vec_axpy TC_OP(tc_vec_axpy)
#define vec_scale TC_OP(tc_vec_scale)
#define vec_fwht TC_OP(tc_vec_fwht)
#define mat_alloc TC_OP(tc_mat_alloc)
#define mat_free TC_OP(tc_mat_free)
#define mat_at TC_OP(tc_mat_at)
#define mat_set_zero TC_OP(tc_mat_set_zero)
#define mat_copy TC_OP(tc_mat_copy)
#define mat_gemv TC_OP(tc_mat_gemv)
#define mat_gemv_trans TC_OP(tc_mat_gemv_trans)
#define mat_gemm TC_OP(tc_mat_gemm)
#define mat_gram TC_OP(tc_mat_gram)
#define mat_trsv TC_OP(tc_mat_trsv)

/* ---- factorisations and matrix functions (tc_linalg.h) ---- */
#define eigen_ws_alloc TC_OP(tc_eigen_ws_alloc)
#define eigen_ws_free TC_OP(tc_eigen_ws_free)
#define eigen_symm TC_OP(tc_eigen_symm)
#define eigenv_ws_alloc TC_OP(tc_eigenv_ws_alloc)
#define eigenv_ws_free TC_OP(tc_eigenv_ws_free)
#define eigen_symmv TC_OP(tc_eigen_symmv)
#define cholesky TC_OP(tc_cholesky)
#define qr_ws_alloc TC_OP(tc_qr_ws_alloc)
#define qr_ws_free TC_OP(tc_qr_ws_free)
#define qr TC_OP(tc_qr)
#define expm_ws_alloc TC_OP(tc_expm_ws_alloc)
#define expm_ws_free TC_OP(tc_expm_ws_free)
#define expm_symm_factor TC_OP(tc_expm_symm_factor)
#define expm_symm_apply TC_OP(tc_expm_symm_apply)

/* ---- ODE (tc_ode.h) ---- */
#define ode_ws_alloc TC_OP(tc_ode_ws_alloc)
#define ode_ws_free TC_OP(tc_ode_ws_free)
#define ode_rk4_step TC_OP(tc_ode_rk4_step)
#define ode_rk4_adapt TC_OP(tc_ode_rk4_adapt)

/* ---- records (tc_check.h) ---- */
#define record_put TC_OP(tc_record_put)
