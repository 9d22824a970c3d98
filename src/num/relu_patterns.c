/* num_relu_patterns_block — one block of neurons' activation patterns
 * from a BLAS product (contract in num_relu.h). */
#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include "tc_status.h"
#include "num_relu.h"

int num_relu_patterns_block(uint64_t *P, uint64_t *U, size_t words, const double *X, const double *xnorm,
                            size_t n, size_t d, const double *Wb, const double *wnorm, size_t mb, size_t k0,
                            double *S)
{
  if (n > INT_MAX || d > INT_MAX || mb > INT_MAX || k0 % 64 != 0 || k0 + mb > 64 * words)
    return TC_EBADLEN;
  if (n == 0 || mb == 0)
    return TC_SUCCESS;
  /* S (n x mb) = X (n x d) Wb^T */
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)mb, (int)d, 1.0, X, (int)d, Wb, (int)d, 0.0,
              S, (int)mb);
  double screen = 4.0 * ((double)d + 2.0) * DBL_EPSILON;
  for (size_t i = 0; i < n; i++) {
    uint64_t *row = P + i * words + k0 / 64, *urow = U ? U + i * words + k0 / 64 : NULL;
    const double *s = S + i * mb;
    double xs = U ? screen * xnorm[i] : 0;
    /* whole words first: 64 comparisons into one word, no branch */
    for (size_t w = 0; w * 64 < mb; w++) {
      size_t top = mb - w * 64 < 64 ? mb - w * 64 : 64;
      uint64_t bits = 0, unsure = 0;
      for (size_t b = 0; b < top; b++) {
        double v = s[w * 64 + b];
        bits |= (uint64_t)(v >= 0) << b;
        if (urow)
          unsure |= (uint64_t)(fabs(v) <= xs * wnorm[w * 64 + b]) << b;
      }
      row[w] = bits & ~unsure;
      if (urow)
        urow[w] = unsure;
    }
  }
  return TC_SUCCESS;
}
