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
#include "tc_ode.h"

#if MPFR_VERSION < MPFR_VERSION_NUM(4, 1, 0)
/* mpfr_dot (correctly rounded dot product) appeared in MPFR 4.1.0. */
#error "thmcheck needs MPFR >= 4.1.0"
#endif

/* Everything declared from here on is internal to libthmcheck: hidden
 * from its dynamic symbol table (tests/tsymbols.sh checks the exports),
 * reachable by the tests through the convenience library
 * libthmcheck_core.la. */
#pragma GCC visibility push(hidden)

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

/* The MPFR solver (eigen_tridiag_mpfr.c, eigen_tql_mpfr.c) works at
 * wprec = prec + TC_EIGEN_GUARD bits so that its O(n eps) rounding errors
 * stay below 2^-prec ||A|| for the sizes the checks use; scalars s[] are
 * its scratch, d/e the tridiagonal form, tau the reflectors' factors and
 * p, v two vectors of scratch (symv product, reflector). */
#define TC_EIGEN_GUARD 16
#define TC_EIGEN_NTMP 10
#define TC_EIGEN_MAX_ITER 60 /* QL iterations per eigenvalue */

struct tc_eigen_ws_mpfr {
  size_t n;
  mpfr_prec_t prec;   /* the caller's precision */
  mpfr_prec_t wprec;  /* prec + TC_EIGEN_GUARD: the working precision */
  tc_mat_mpfr *a;     /* lower triangle: reflectors below the subdiagonal */
  tc_vec_mpfr *d, *e, *tau, *p, *v;
  mpfr_t s[TC_EIGEN_NTMP];
  int s_init;         /* s[] initialised (for clear after a failed init) */
};

/* Eigenvectors need more LAPACK workspace (jobz = 'V'); the MPFR one adds
 * the n x n matrix z in which Q and then the QL rotations accumulate. */
struct tc_eigenv_ws_d { struct tc_eigen_ws_d e; };
struct tc_eigenv_ws_mpfr { struct tc_eigen_ws_mpfr e; tc_mat_mpfr *z; };

/* The symmetric tridiagonal eigensolver in MPFR (one step per file):
 * tc_num_eigen_load_mpfr copies A's lower triangle into w->a (refusing
 * bad sizes and non-finite entries); tridiag reduces w->a to w->d, w->e
 * by Householder reflections (LAPACK dsytd2, lower); tridiag_q forms the
 * orthogonal Q of A = Q T Q^T in z; tql finds the eigenvalues of (d, e)
 * by implicit QL with Wilkinson shifts (EISPACK tql2), applying the
 * rotations to z's columns when z != NULL, and sorts them ascending with
 * z's columns; bisect finds the k-th smallest eigenvalue (k from 0) of
 * (d, e) by bisection on Sturm counts, to 2^-wprec of ||T||. */
int tc_num_eigen_load_mpfr(struct tc_eigen_ws_mpfr *w, const tc_mat_mpfr *A);
void tc_num_tridiag_mpfr(struct tc_eigen_ws_mpfr *w);
void tc_num_tridiag_q_mpfr(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w);
int tc_num_tql_mpfr(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w);
size_t tc_num_sturm_count_mpfr(mpfr_srcptr x, struct tc_eigen_ws_mpfr *w);
int tc_num_tridiag_bisect_mpfr(mpfr_ptr r, size_t k, struct tc_eigen_ws_mpfr *w);

/* The workspaces' contents, shared by the plain and the 'V' variants:
 * init fills a zeroed struct (TC_ENOMEM, or TC_EFAILED when LAPACK's
 * workspace query fails; then clear it), clear frees its contents. */
int tc_num_eigen_ws_init_d(struct tc_eigen_ws_d *w, size_t n, char jobz);
void tc_num_eigen_ws_clear_d(struct tc_eigen_ws_d *w);
int tc_num_eigen_ws_init_mpfr(struct tc_eigen_ws_mpfr *w, size_t n, mpfr_prec_t prec);
void tc_num_eigen_ws_clear_mpfr(struct tc_eigen_ws_mpfr *w);

struct tc_qr_ws_d {
  size_t m, n;
  double *a;          /* m x n, column-major, for dgeqrf/dorgqr */
  double *tau;
  double *work;
  lapack_int lwork;
};

/* The Householder template (qr_source.h) works in W (m x n: the
 * reflectors below the diagonal, R above it), beta and alpha (n each:
 * the reflectors' factors and R's diagonal), with scalar scratch. */
#define TC_QR_NTMP 3
struct tc_qr_ws_mpfr {
  size_t m, n;
  mpfr_prec_t prec;
  tc_mat_mpfr *W;
  tc_vec_mpfr *beta, *alpha;
  mpfr_t tmp[TC_QR_NTMP];
};

/* The same layout for the double instance of qr_source.h, which the tests
 * hold against LAPACK. */
typedef struct {
  size_t m, n;
  mpfr_prec_t prec;
  tc_mat_d *W;
  tc_vec_d *beta, *alpha;
  tc_real_d tmp[TC_QR_NTMP];
} tc_num_householder_ws_d;
int tc_num_householder_qr_d(tc_mat_d *Q, tc_mat_d *R, const tc_mat_d *A,
                            tc_num_householder_ws_d *w);
int tc_num_householder_qr_mpfr(tc_mat_mpfr *Q, tc_mat_mpfr *R, const tc_mat_mpfr *A,
                               struct tc_qr_ws_mpfr *w);

/* exp(tA) v: the eigendecomposition of A, V^T v, and a scalar. */
struct tc_expm_ws_d {
  size_t n;
  int factored;
  tc_eigenv_ws_d *ev;
  tc_vec_d *eval, *c;
  tc_mat_d *evec;
  tc_real_d s;
};
struct tc_expm_ws_mpfr {
  size_t n;
  int factored;
  tc_eigenv_ws_mpfr *ev;
  tc_vec_mpfr *eval, *c;
  tc_mat_mpfr *evec;
  mpfr_t s;
};

/* Runge-Kutta stages k1..k4, the stage point xt, a scalar. */
struct tc_ode_ws_d {
  size_t n;
  tc_vec_d *k1, *k2, *k3, *k4, *xt;
  tc_real_d a;
};
struct tc_ode_ws_mpfr {
  size_t n;
  tc_vec_mpfr *k1, *k2, *k3, *k4, *xt;
  mpfr_t a;
};

/* Cyclic Jacobi on the full symmetric matrix a (overwritten; the
 * eigenvalues end on its diagonal).  eval receives them in ascending
 * order.  v: NULL, or an n x n matrix that receives the eigenvectors (the
 * accumulated rotations, columns in the order of eval).  tmp:
 * TC_JACOBI_NTMP scalars initialised at the working precision prec, which
 * also sets the stopping rule off(a) <= 2^-prec ||a||_F. */
int tc_num_jacobi_d(tc_vec_d *eval, tc_mat_d *a, tc_mat_d *v, tc_real_d *tmp, mpfr_prec_t prec);
int tc_num_jacobi_mpfr(tc_vec_mpfr *eval, tc_mat_mpfr *a, tc_mat_mpfr *v, mpfr_t *tmp,
                       mpfr_prec_t prec);

/* 1 when every element of the m x n matrix A is finite. */
int tc_num_all_finite_d(const tc_mat_d *A);
int tc_num_all_finite_mpfr(const tc_mat_mpfr *A);

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
static inline mpfr_prec_t tc_num_vec_prec_d(const tc_vec_d *v) { (void)v; return 53; }
static inline mpfr_prec_t tc_num_vec_prec_mpfr(const tc_vec_mpfr *v) { return v->prec; }

/* A scratch MPFR scalar whose limbs live in the struct (on the caller's
 * stack) up to TC_NUM_SCRATCH_PREC bits, so that a routine called in a
 * loop need not allocate; beyond that it falls back to mpfr_init2.  Never
 * copy the struct or change x's precision; do not mpfr_swap x with a
 * heap-allocated variable. */
#define TC_NUM_SCRATCH_PREC 4096
typedef struct {
  mpfr_t x;
  int heap;
  mp_limb_t limbs[TC_NUM_SCRATCH_PREC / GMP_NUMB_BITS + 1];
} tc_num_scratch;
static inline void tc_num_scratch_init(tc_num_scratch *s, mpfr_prec_t prec)
{
  s->heap = prec > TC_NUM_SCRATCH_PREC;
  if (s->heap) {
    mpfr_init2(s->x, prec);
    return;
  }
  mpfr_custom_init(s->limbs, prec);
  mpfr_custom_init_set(s->x, MPFR_ZERO_KIND, 0, prec, s->limbs);
}
static inline void tc_num_scratch_clear(tc_num_scratch *s)
{
  if (s->heap)
    mpfr_clear(s->x);
}

/* mpfr_dot's value without its allocations (dot_mpfr.c); the gemv,
 * gemm, gram, trsv, dot and norm2 operations go through it. */
void tc_num_dot_mpfr(mpfr_ptr r, const mpfr_ptr *a, const mpfr_ptr *b, unsigned long n);

#pragma GCC visibility pop

#endif
