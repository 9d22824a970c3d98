/* num_relu.h — the activation patterns of a two-layer ReLU network and
 * their co-activation counts in double, the pattern route to the NTK at
 * initialisation (lecture 000 §3 item 6):
 *
 *   H(0)_ij = <x_i, x_j> / m * #{k : W_k.x_i >= 0 and W_k.x_j >= 0}.
 *
 * S = X W^T by BLAS (dgemm, a block of neurons at a time), the signs
 * packed into n rows of ceil(m/64) words, the counts as popcounts of the
 * AND of two rows (AVX-512 VPOPCNTQ where the CPU has it), then one
 * product with the data Gram: O(n m d) flops + O(n^2 m / 64) word
 * operations, no n x m x d Jacobian.  Private to the library (no tc_
 * prefix: not exported; tests and bench/bench_kernels reach it through
 * libthmcheck_core.la). */
#ifndef TC_NUM_RELU_H
#define TC_NUM_RELU_H

#include <stddef.h>
#include <stdint.h>

#pragma GCC visibility push(hidden)

/* Neurons per dgemm block: S is n x NUM_RELU_BLOCK doubles. */
#define NUM_RELU_BLOCK 512

/* Words per pattern row: ceil(m / 64). */
static inline size_t num_relu_words(size_t m) { return (m + 63) / 64; }

/* Bits k0 .. k0 + mb - 1 of the rows of P (n rows of `words` words) <-
 * 1{W_k.x_i >= 0} for the mb neurons Wb (mb x d, row-major, neuron k0 + r
 * in row r), from S = X Wb^T formed by one dgemm into the scratch S (n x
 * mb).  k0 must be a multiple of 64.  With U != NULL (same layout) the
 * entries whose sign the rounded product cannot certify are marked there
 * (and left 0 in P): |s| <= 4 (d + 2) eps |W_k| |x_i|, which is at least
 * twice the a-priori error bound gamma_d sum_l |W_kl x_il| of any
 * summation order (Higham, Thm 3.1) plus the screen of
 * checks/ntk_init's ntk_relu, so an unmarked sign is the exact sign and
 * the sign any sequential double or MPFR (>= 53 bits) dot product gives.
 * xnorm (n) and wnorm (mb) are |x_i| and |W_k| (needed only with U).
 * TC_EBADLEN when a size exceeds BLAS's int. */
int num_relu_patterns_block(uint64_t *P, uint64_t *U, size_t words, const double *X, const double *xnorm,
                            size_t n, size_t d, const double *Wb, const double *wnorm, size_t mb, size_t k0,
                            double *S);

/* The same from a single-precision product S = Xf Wf^T (sgemm, twice
 * dgemm's speed; S is n x mb floats): Xf, Wf are X, Wb rounded to float,
 * and every entry with |s_f| <= (d + 4) FLT_EPSILON |W_k| |x_i| (twice
 * the error of the float product and of rounding the inputs) is
 * recomputed in double from X and Wb (summed in order, s >= 0 is on).  So
 * each bit is the exact sign, or double's where double is that close to
 * 0.  wnorm: |W_k| as floats (rounded up or down: the margin covers it).
 * Valid when every nonzero |x_il|, |W_kl| lies in [2^-50, 2^50] and
 * d < 2^27 (no float overflow or underflow; num_relu_h0_d checks). */
int num_relu_patterns_block_f(uint64_t *P, size_t words, const float *Xf, const double *X, const double *xnorm,
                              size_t n, size_t d, const float *Wf, const double *Wb, const float *wnorm, size_t mb,
                              size_t k0, float *S);

/* C (n x n, row-major, both triangles) <- popcount(P_i AND P_j), exact
 * integers in double (< 2^53). */
void num_relu_counts(double *C, const uint64_t *P, size_t n, size_t words);

/* The same by __builtin_popcountll only: the fallback, and what
 * tests/trelu holds the vector path against. */
void num_relu_counts_portable(double *C, const uint64_t *P, size_t n, size_t words);

/* H (n x n, row-major) <- H(0) above for X (n x d) and W (m x d), both
 * row-major doubles.  The signs (s >= 0 is on, as numpy's X @ W.T >= 0)
 * by num_relu_patterns_block_f when the entries' range allows it (then
 * exact but where double itself is within rounding of 0), else by
 * num_relu_patterns_block without screen (the rounded double product).
 * TC_ENOMEM, TC_EBADLEN (m = 0, sizes beyond BLAS's int) or TC_SUCCESS. */
int num_relu_h0_d(double *H, const double *X, const double *W, size_t n, size_t d, size_t m);

#pragma GCC visibility pop

#endif
