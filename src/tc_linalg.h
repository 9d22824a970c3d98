/* tc_linalg.h — dense vectors and matrices for the two numeric backends.
 *
 * Every operation exists twice, suffixed _d (double; BLAS/LAPACK through
 * OpenBLAS) and _mpfr (MPFR at the precision the object was allocated
 * with).  Check modules use the unsuffixed names from tc_templates_on.h.
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

typedef struct { size_t n; double *data; } tc_vec_d;
typedef struct { size_t n; mpfr_prec_t prec; mpfr_t *data; } tc_vec_mpfr;
typedef struct { size_t rows, cols; double *data; } tc_mat_d;
typedef struct { size_t rows, cols; mpfr_prec_t prec; mpfr_t *data; } tc_mat_mpfr;

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

/* Vector operations; sizes must agree, else TC_EBADLEN. */
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

/* Matrix operations. */
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

/* Symmetric eigenvalues.  A workspace is allocated once per size so a hot
 * loop does not allocate (GSL style).  eval receives the eigenvalues of
 * the symmetric matrix A in ascending order; A is not modified (only its
 * lower triangle is read).  The _mpfr version uses cyclic Jacobi
 * rotations at the workspace precision and stops when the off-diagonal
 * mass is below 2^-prec times the Frobenius norm; TC_EMAXITER if it does
 * not converge.  The _d version calls LAPACK dsyevd. */
typedef struct tc_eigen_ws_d tc_eigen_ws_d;
typedef struct tc_eigen_ws_mpfr tc_eigen_ws_mpfr;
tc_eigen_ws_d *tc_eigen_ws_alloc_d(size_t n, mpfr_prec_t prec);
tc_eigen_ws_mpfr *tc_eigen_ws_alloc_mpfr(size_t n, mpfr_prec_t prec);
void tc_eigen_ws_free_d(tc_eigen_ws_d *w);
void tc_eigen_ws_free_mpfr(tc_eigen_ws_mpfr *w);
int tc_eigen_symm_d(tc_vec_d *eval, const tc_mat_d *A, tc_eigen_ws_d *w);
int tc_eigen_symm_mpfr(tc_vec_mpfr *eval, const tc_mat_mpfr *A, tc_eigen_ws_mpfr *w);

/* Cholesky: L (lower triangular, upper part zeroed) with A = L L^T.
 * TC_ENOTPD when A is not (numerically) positive definite. */
int tc_cholesky_d(tc_mat_d *L, const tc_mat_d *A);
int tc_cholesky_mpfr(tc_mat_mpfr *L, const tc_mat_mpfr *A);

#endif
