/* num_relu_h0_d — H(0) of a two-layer ReLU network by the pattern route
 * (contract in num_relu.h): patterns block by block, popcounts, then the
 * counts times the data Gram. */
#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include "tc_status.h"
#include "num_relu.h"

/* Every nonzero |a_i| in [2^-50, 2^50]: the float screen's range. */
static int float_range_ok(const double *a, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    double v = fabs(a[i]);
    if (v != 0 && !(v >= 0x1.0p-50 && v <= 0x1.0p50))
      return 0;
  }
  return 1;
}

/* f <- a in float, and the rows' norms (double in nrm, else float in nrmf). */
static void rows_to_float(float *f, double *nrm, float *nrmf, const double *a, size_t rows, size_t d)
{
  for (size_t i = 0; i < rows; i++) {
    double s = 0;
    for (size_t l = 0; l < d; l++) {
      s += a[i * d + l] * a[i * d + l];
      f[i * d + l] = (float)a[i * d + l];
    }
    if (nrm)
      nrm[i] = sqrt(s);
    else
      nrmf[i] = (float)sqrt(s);
  }
}

/* P <- the patterns of all m neurons, by blocks of NUM_RELU_BLOCK. */
static int patterns(uint64_t *P, const double *X, const double *W, size_t n, size_t d, size_t m)
{
  size_t words = num_relu_words(m), blk = NUM_RELU_BLOCK < m ? NUM_RELU_BLOCK : m;
  int use_f = d < ((size_t)1 << 27) && float_range_ok(X, n * d) && float_range_ok(W, m * d);
  size_t nf = use_f ? n * d + blk * d + n * blk + blk : 0;
  float *Xf = use_f ? malloc((nf > 0 ? nf : 1) * sizeof *Xf) : NULL;
  double *xn = use_f ? malloc((n + 1) * sizeof *xn) : NULL;
  double *S = use_f ? NULL : malloc((n * blk > 0 ? n * blk : 1) * sizeof *S);
  int status = (use_f ? Xf && xn : S != NULL) ? TC_SUCCESS : TC_ENOMEM;
  float *Wf = Xf ? Xf + n * d : NULL, *Sf = Wf ? Wf + blk * d : NULL, *wn = Sf ? Sf + n * blk : NULL;
  if (status == TC_SUCCESS && use_f)
    rows_to_float(Xf, xn, NULL, X, n, d);
  for (size_t k0 = 0; k0 < m && status == TC_SUCCESS; k0 += blk) {
    size_t mb = m - k0 < blk ? m - k0 : blk;
    if (use_f) {
      rows_to_float(Wf, NULL, wn, W + k0 * d, mb, d);
      status = num_relu_patterns_block_f(P, words, Xf, X, xn, n, d, Wf, W + k0 * d, wn, mb, k0, Sf);
    } else {
      status = num_relu_patterns_block(P, NULL, words, X, NULL, n, d, W + k0 * d, NULL, mb, k0, S);
    }
  }
  free(Xf);
  free(xn);
  free(S);
  return status;
}

int num_relu_h0_d(double *H, const double *X, const double *W, size_t n, size_t d, size_t m)
{
  if (m == 0 || n > INT_MAX || d > INT_MAX)
    return TC_EBADLEN;
  uint64_t *P = calloc(n * num_relu_words(m) > 0 ? n * num_relu_words(m) : 1, sizeof *P);
  double *G = malloc((n * n > 0 ? n * n : 1) * sizeof *G);
  int status = P && G ? patterns(P, X, W, n, d, m) : TC_ENOMEM;
  if (status == TC_SUCCESS) {
    num_relu_counts(H, P, n, num_relu_words(m));
    /* G = X X^T (lower triangle by dsyrk), H = (C / m) .* G */
    if (n > 0)
      cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, 0.0, G, (int)n);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++)
        H[i * n + j] = H[j * n + i] = H[i * n + j] / (double)m * G[i * n + j];
  }
  free(P);
  free(G);
  return status;
}
