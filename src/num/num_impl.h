/* num_impl.h — internals of the numeric backends (src/num), not installed.
 *
 * The eigen workspace structs are opaque in tc_linalg.h; their layout lives
 * here so that the allocator and the solvers agree.  The small scalar
 * helpers below exist because the templated numerics need powers of two
 * and swaps that tc_real.h does not offer, and a power of two must not go
 * through a double (2^-2prec underflows a double once prec > 537). */
#ifndef TC_NUM_IMPL_H
#define TC_NUM_IMPL_H

#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <mpfr.h>
#include <lapacke.h>
#include "tc_linalg.h"

#if MPFR_VERSION < MPFR_VERSION_NUM(4, 1, 0)
/* mpfr_dot (correctly rounded dot product) appeared in MPFR 4.1.0. */
#error "thmcheck needs MPFR >= 4.1.0"
#endif

/* Scalars the Jacobi sweep keeps between rotations; the MPFR workspace
 * initialises them once so that a sweep never allocates. */
#define TC_JACOBI_NTMP 12
#define TC_JACOBI_MAX_SWEEPS 100

struct tc_eigen_ws_d {
  size_t n;
  double *a;          /* n*n copy handed to LAPACK, destroyed by it */
  double *work;
  lapack_int lwork;
  lapack_int *iwork;
  lapack_int liwork;
};

struct tc_eigen_ws_mpfr {
  size_t n;
  mpfr_prec_t prec;
  tc_mat_mpfr *a;     /* symmetric copy that the rotations overwrite */
  mpfr_t tmp[TC_JACOBI_NTMP];
};

/* r <- sum_k x[k*incx] * y[k*incy], k < n, correctly rounded to the
 * precision of r (mpfr_dot).  xp and yp are caller scratch of n pointers
 * each, so that gemm can reuse them for every entry. */
void tc_num_dot_strided_mpfr(mpfr_ptr r, mpfr_t *x, size_t incx, mpfr_t *y,
                             size_t incy, size_t n, mpfr_ptr *xp, mpfr_ptr *yp);

/* Cyclic Jacobi on the full symmetric matrix a (overwritten; the
 * eigenvalues end on its diagonal).  eval receives them in ascending
 * order.  tmp: TC_JACOBI_NTMP scalars initialised at the working precision
 * prec, which also sets the stopping rule off(a) <= 2^-prec ||a||_F. */
int tc_num_jacobi_d(tc_vec_d *eval, tc_mat_d *a, tc_real_d *tmp, mpfr_prec_t prec);
int tc_num_jacobi_mpfr(tc_vec_mpfr *eval, tc_mat_mpfr *a, mpfr_t *tmp, mpfr_prec_t prec);

/* 1 when every element of the lower triangle (diagonal included) of the
 * square matrix A is finite.  The symmetric routines read only that part. */
int tc_num_lower_finite_d(const tc_mat_d *A);
int tc_num_lower_finite_mpfr(const tc_mat_mpfr *A);

/* ---- scalar helpers for the templated sources ---------------------- */
static inline void tc_num_set_2si_d(double *r, long e) { *r = ldexp(1.0, (int)e); }
static inline void tc_num_set_2si_mpfr(mpfr_ptr r, long e) { mpfr_set_si_2exp(r, 1, e, MPFR_RNDN); }
static inline void tc_num_mul_2si_d(double *r, const double *a, long e) { *r = ldexp(*a, (int)e); }
static inline void tc_num_mul_2si_mpfr(mpfr_ptr r, mpfr_srcptr a, long e) { mpfr_mul_2si(r, a, e, MPFR_RNDN); }
static inline void tc_num_swap_d(double *a, double *b) { double t = *a; *a = *b; *b = t; }
static inline void tc_num_swap_mpfr(mpfr_ptr a, mpfr_ptr b) { mpfr_swap(a, b); }
/* CBLAS and LAPACKE index with int: a length beyond INT_MAX cannot be
 * passed to them, so the double routines refuse it with TC_EBADLEN. */
static inline int tc_num_blas_len_ok(size_t n) { return n <= (size_t)INT_MAX; }
/* The precision the results of a matrix are rounded to. */
static inline mpfr_prec_t tc_num_mat_prec_d(const tc_mat_d *A) { (void)A; return 53; }
static inline mpfr_prec_t tc_num_mat_prec_mpfr(const tc_mat_mpfr *A) { return A->prec; }

#endif
