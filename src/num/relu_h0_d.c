/* num_relu_h0_d — H(0) of a two-layer ReLU network by the pattern route
 * (contract in num_relu.h): patterns block by block, popcounts, then the
 * counts times the data Gram. */
#include <cblas.h>
#include <limits.h>
#include <stdlib.h>
#include "tc_status.h"
#include "num_relu.h"

int num_relu_h0_d(double *H, const double *X, const double *W, size_t n, size_t d, size_t m)
{
  if (m == 0 || n > INT_MAX || d > INT_MAX)
    return TC_EBADLEN;
  size_t words = num_relu_words(m), blk = NUM_RELU_BLOCK < m ? NUM_RELU_BLOCK : m;
  uint64_t *P = calloc(n * words > 0 ? n * words : 1, sizeof *P);
  double *S = malloc((n * blk > 0 ? n * blk : 1) * sizeof *S);
  double *G = malloc((n * n > 0 ? n * n : 1) * sizeof *G);
  int status = TC_ENOMEM;
  if (P && S && G) {
    status = TC_SUCCESS;
    for (size_t k0 = 0; k0 < m && status == TC_SUCCESS; k0 += blk) {
      size_t mb = m - k0 < blk ? m - k0 : blk;
      status = num_relu_patterns_block(P, NULL, words, X, NULL, n, d, W + k0 * d, NULL, mb, k0, S);
    }
  }
  if (status == TC_SUCCESS) {
    num_relu_counts(H, P, n, words);
    /* G = X X^T (lower triangle by dsyrk), H = (C / m) .* G */
    if (n > 0)
      cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, 0.0, G, (int)n);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++)
        H[i * n + j] = H[j * n + i] = H[i * n + j] / (double)m * G[i * n + j];
  }
  free(P);
  free(S);
  free(G);
  return status;
}
