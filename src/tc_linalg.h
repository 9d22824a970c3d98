/* tc_linalg.h — dense vectors and matrices for the two numeric backends.
 *
 * Every operation exists twice, suffixed _d (double; BLAS/LAPACK through
 * OpenBLAS) and _mpfr (MPFR at the precision the object was allocated
 * with).  Code inside the library writes them once in the generic names
 * of its private operation list (src/num/tc_templates_on.h).
 *
 * Conventions (GSL/MPFR): output argument first; functions return an int
 * status, TC_SUCCESS (0) or a TC_E* code; nothing prints, nothing exits.
 * Matrices are row-major.  tc_vec_at / tc_mat_at give a pointer to an
 * element that the scalar operations of tc_real.h accept. */
#ifndef TC_LINALG_H
#define TC_LINALG_H

#include <stddef.h>
#include <mpfr.h>
#include "tc_real.h"
#include "tc_status.h"

/* The MPFR objects carry fixed tables of pointers to their elements
 * (ptr: in storage order; colptr: column by column), set up by the
 * allocator and never written afterwards.  They are what mpfr_dot takes,
 * so dot products, gemv, gemm and triangular solves need no scratch and
 * never allocate, and a matrix shared read-only between threads stays
 * safe to use.  Treat them as read-only. */
typedef struct { size_t n; double *data; } tc_vec_d;
typedef struct { size_t n; mpfr_prec_t prec; mpfr_t *data; mpfr_ptr *ptr; } tc_vec_mpfr;
typedef struct { size_t rows, cols; double *data; } tc_mat_d;
typedef struct {
  size_t rows, cols;
  mpfr_prec_t prec;
  mpfr_t *data;
  mpfr_ptr *ptr;    /* ptr[i * cols + j] == data[i * cols + j] */
  mpfr_ptr *colptr; /* colptr[j * rows + i] == data[i * cols + j] */
} tc_mat_mpfr;

#define tc_vec_at_d(v, i) ((v)->data + (i))
#define tc_vec_at_mpfr(v, i) ((v)->data[(i)])
#define tc_mat_at_d(A, i, j) ((A)->data + (i) * (A)->cols + (j))
#define tc_mat_at_mpfr(A, i, j) ((A)->data[(i) * (A)->cols + (j)])

/* Allocation: elements start at zero.  prec is ignored by _d.  NULL on
 * allocation failure or a zero size. */
tc_vec_d *tc_vec_alloc_d(size_t n, mpfr_prec_t prec);
tc_vec_mpfr *tc_vec_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_vec_free_d(tc_vec_d *v);
void tc_vec_free_mpfr(tc_vec_mpfr *v);
tc_mat_d *tc_mat_alloc_d(size_t rows, size_t cols, mpfr_prec_t prec);
tc_mat_mpfr *tc_mat_alloc_mpfr(size_t rows, size_t cols, mpfr_prec_t prec);
void tc_mat_free_d(tc_mat_d *A);
void tc_mat_free_mpfr(tc_mat_mpfr *A);

/* Vector and matrix operations.  Their only failure is TC_EBADLEN when
 * the operand sizes disagree (or, _d, exceed the INT_MAX that BLAS can
 * index): with sizes that agree they always return
 * TC_SUCCESS (no allocation, in either backend; mpfr_dot's own temporary
 * storage aside).  set_zero always succeeds. */
int tc_vec_set_zero_d(tc_vec_d *v);
int tc_vec_set_zero_mpfr(tc_vec_mpfr *v);
int tc_vec_copy_d(tc_vec_d *dst, const tc_vec_d *src);
int tc_vec_copy_mpfr(tc_vec_mpfr *dst, const tc_vec_mpfr *src);
int tc_vec_dot_d(double *r, const tc_vec_d *x, const tc_vec_d *y);
int tc_vec_dot_mpfr(mpfr_ptr r, const tc_vec_mpfr *x, const tc_vec_mpfr *y);
/* Euclidean norm. */
int tc_vec_norm2_d(double *r, const tc_vec_d *x);
int tc_vec_norm2_mpfr(mpfr_ptr r, const tc_vec_mpfr *x);
/* y <- y + a x */
int tc_vec_axpy_d(tc_vec_d *y, const double *a, const tc_vec_d *x);
int tc_vec_axpy_mpfr(tc_vec_mpfr *y, mpfr_srcptr a, const tc_vec_mpfr *x);
/* x <- a x */
int tc_vec_scale_d(tc_vec_d *x, const double *a);
int tc_vec_scale_mpfr(tc_vec_mpfr *x, mpfr_srcptr a);

/* x <- H x in place, H the unnormalised Walsh-Hadamard matrix of order
 * n = 2^d (H_ij = (-1)^popcount(i & j), so H H = 2^d I), by the fast
 * transform in n d / 2 butterflies.  TC_EBADLEN unless n is a power of 2.
 * Each butterfly rounds once; the error of an entry is at most about
 * d u sum_j |x_j| (u the unit roundoff), and 0 when every partial sum is
 * representable (small integers). */
int tc_vec_fwht_d(tc_vec_d *x);
int tc_vec_fwht_mpfr(tc_vec_mpfr *x);

int tc_mat_set_zero_d(tc_mat_d *A);
int tc_mat_set_zero_mpfr(tc_mat_mpfr *A);
int tc_mat_copy_d(tc_mat_d *dst, const tc_mat_d *src);
int tc_mat_copy_mpfr(tc_mat_mpfr *dst, const tc_mat_mpfr *src);
/* y <- A x (y must not alias x) */
int tc_mat_gemv_d(tc_vec_d *y, const tc_mat_d *A, const tc_vec_d *x);
int tc_mat_gemv_mpfr(tc_vec_mpfr *y, const tc_mat_mpfr *A, const tc_vec_mpfr *x);
/* y <- A^T x */
int tc_mat_gemv_trans_d(tc_vec_d *y, const tc_mat_d *A, const tc_vec_d *x);
int tc_mat_gemv_trans_mpfr(tc_vec_mpfr *y, const tc_mat_mpfr *A, const tc_vec_mpfr *x);
/* C <- A B (C must not alias A or B) */
int tc_mat_gemm_d(tc_mat_d *C, const tc_mat_d *A, const tc_mat_d *B);
int tc_mat_gemm_mpfr(tc_mat_mpfr *C, const tc_mat_mpfr *A, const tc_mat_mpfr *B);
/* C <- A^T A (C is cols x cols) */
int tc_mat_gram_d(tc_mat_d *C, const tc_mat_d *A);
int tc_mat_gram_mpfr(tc_mat_mpfr *C, const tc_mat_mpfr *A);

/* Triangular solve x <- T^-1 b with T square, lower (TC_LOWER) or upper
 * (TC_UPPER) triangular; only that triangle of T is read.  x may be b.
 * TC_EDOM if a diagonal entry is zero (x is then unchanged).  double:
 * BLAS dtrsv.  MPFR: substitution, each x_i = (b_i - a correctly rounded
 * dot product) / t_ii, so two roundings per entry at x's precision on top
 * of the propagated error (backward stable, as dtrsv). */
typedef enum { TC_LOWER = 0, TC_UPPER = 1 } tc_uplo;
int tc_mat_trsv_d(tc_vec_d *x, const tc_mat_d *T, tc_uplo uplo, const tc_vec_d *b);
int tc_mat_trsv_mpfr(tc_vec_mpfr *x, const tc_mat_mpfr *T, tc_uplo uplo, const tc_vec_mpfr *b);

/* Symmetric eigenvalues.  A workspace is allocated once per size so a hot
 * loop does not allocate (GSL style).  eval receives the eigenvalues of
 * the symmetric matrix A in ascending order; A is not modified (only its
 * lower triangle is read).  The _mpfr version reduces A to tridiagonal
 * form by Householder reflections and runs the implicit QL iteration with
 * Wilkinson shifts, at the workspace precision plus 16 guard bits: each
 * eigenvalue is within a small multiple of 2^-prec ||A|| of the exact
 * one; TC_EMAXITER if it does not converge.  The _d version calls LAPACK
 * dsyevd. */
typedef struct tc_eigen_ws_d tc_eigen_ws_d;
typedef struct tc_eigen_ws_mpfr tc_eigen_ws_mpfr;
tc_eigen_ws_d *tc_eigen_ws_alloc_d(size_t n, mpfr_prec_t prec);
tc_eigen_ws_mpfr *tc_eigen_ws_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_eigen_ws_free_d(tc_eigen_ws_d *w);
void tc_eigen_ws_free_mpfr(tc_eigen_ws_mpfr *w);
int tc_eigen_symm_d(tc_vec_d *eval, const tc_mat_d *A, tc_eigen_ws_d *w);
int tc_eigen_symm_mpfr(tc_vec_mpfr *eval, const tc_mat_mpfr *A, tc_eigen_ws_mpfr *w);

/* Symmetric eigenvalues and eigenvectors: eval ascending as above and
 * evec (n x n) orthogonal with column j a unit eigenvector for eval[j],
 * A = evec diag(eval) evec^T.  double: LAPACK dsyevd ('V').  MPFR: the
 * same reduction and QL iteration with the reflections and rotations
 * accumulated; evec is orthogonal to a few ulps of the workspace
 * precision.  A is not modified. */
typedef struct tc_eigenv_ws_d tc_eigenv_ws_d;
typedef struct tc_eigenv_ws_mpfr tc_eigenv_ws_mpfr;
tc_eigenv_ws_d *tc_eigenv_ws_alloc_d(size_t n, mpfr_prec_t prec);
tc_eigenv_ws_mpfr *tc_eigenv_ws_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_eigenv_ws_free_d(tc_eigenv_ws_d *w);
void tc_eigenv_ws_free_mpfr(tc_eigenv_ws_mpfr *w);
int tc_eigen_symmv_d(tc_vec_d *eval, tc_mat_d *evec, const tc_mat_d *A, tc_eigenv_ws_d *w);
int tc_eigen_symmv_mpfr(tc_vec_mpfr *eval, tc_mat_mpfr *evec, const tc_mat_mpfr *A,
                        tc_eigenv_ws_mpfr *w);

/* The action of the exponential of a symmetric matrix, y <- exp(t A) v,
 * through A = V diag(lambda) V^T: y = V (exp(t lambda) .* (V^T v)).
 * tc_expm_symm_factor decomposes A once (it is not modified), after which
 * tc_expm_symm_apply costs two matrix-vector products for any t and v
 * (y must not alias v).  TC_ENONFINITE when exp(t lambda) overflows.
 * The error is that of the eigendecomposition (a few ulps of ||A|| t, in
 * the exponent) times ||exp(tA)|| ||v||: relative to the largest mode,
 * not to every component. */
typedef struct tc_expm_ws_d tc_expm_ws_d;
typedef struct tc_expm_ws_mpfr tc_expm_ws_mpfr;
tc_expm_ws_d *tc_expm_ws_alloc_d(size_t n, mpfr_prec_t prec);
tc_expm_ws_mpfr *tc_expm_ws_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_expm_ws_free_d(tc_expm_ws_d *w);
void tc_expm_ws_free_mpfr(tc_expm_ws_mpfr *w);
int tc_expm_symm_factor_d(tc_expm_ws_d *w, const tc_mat_d *A);
int tc_expm_symm_factor_mpfr(tc_expm_ws_mpfr *w, const tc_mat_mpfr *A);
int tc_expm_symm_apply_d(tc_vec_d *y, const double *t, const tc_vec_d *v, tc_expm_ws_d *w);
int tc_expm_symm_apply_mpfr(tc_vec_mpfr *y, mpfr_srcptr t, const tc_vec_mpfr *v,
                            tc_expm_ws_mpfr *w);

/* Thin QR factorisation A = Q R of an m x n matrix, m >= n: Q (m x n)
 * with orthonormal columns, R (n x n) upper triangular with a
 * nonnegative diagonal (the sign convention makes the factors unique for
 * a full-rank A, so the two backends give the same ones).  Householder
 * reflections: double by LAPACK dgeqrf/dorgqr, MPFR hand-written at the
 * workspace precision; both backward stable (Q^T Q = I and QR = A to a
 * few ulps times n, whatever the rank).  TC_EBADLEN for m < n or wrong
 * shapes, TC_ENONFINITE for NaN/Inf input. */
typedef struct tc_qr_ws_d tc_qr_ws_d;
typedef struct tc_qr_ws_mpfr tc_qr_ws_mpfr;
tc_qr_ws_d *tc_qr_ws_alloc_d(size_t rows, size_t cols, mpfr_prec_t prec);
tc_qr_ws_mpfr *tc_qr_ws_alloc_mpfr(size_t rows, size_t cols, mpfr_prec_t prec);
void tc_qr_ws_free_d(tc_qr_ws_d *w);
void tc_qr_ws_free_mpfr(tc_qr_ws_mpfr *w);
int tc_qr_d(tc_mat_d *Q, tc_mat_d *R, const tc_mat_d *A, tc_qr_ws_d *w);
int tc_qr_mpfr(tc_mat_mpfr *Q, tc_mat_mpfr *R, const tc_mat_mpfr *A, tc_qr_ws_mpfr *w);

/* Cholesky: L (lower triangular, upper part zeroed) with A = L L^T.
 * TC_ENOTPD when A is not (numerically) positive definite. */
int tc_cholesky_d(tc_mat_d *L, const tc_mat_d *A);
int tc_cholesky_mpfr(tc_mat_mpfr *L, const tc_mat_mpfr *A);

#endif
