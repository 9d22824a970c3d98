/* num_relu_patterns_block_f — one block of activation patterns from a
 * single-precision BLAS product, every sign it cannot certify recomputed
 * in double (contract in num_relu.h).  sgemm does the O(n m d) work at
 * twice dgemm's speed; the screen makes the result the exact sign
 * wherever the float product settles it. */
#include <config.h>
#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include "tc_status.h"
#include "num_relu.h"
#ifdef TC_HAVE_VPOPCNTQ
#include <immintrin.h>
#endif

/* s <- w . x in double, summed in order. */
static double dot_d(const double *w, const double *x, size_t d)
{
  double s = 0;
  for (size_t l = 0; l < d; l++)
    s += w[l] * x[l];
  return s;
}

/* One word of 64 (or top < 64) entries: sign bits and the unsure mask
 * |v| <= xs * wn[b]. */
static uint64_t word_scalar(const float *v, const float *wn, float xs, size_t top, uint64_t *unsure)
{
  uint64_t bits = 0, u = 0;
  for (size_t b = 0; b < top; b++) {
    bits |= (uint64_t)(v[b] >= 0) << b;
    u |= (uint64_t)(fabsf(v[b]) <= xs * wn[b]) << b;
  }
  *unsure = u;
  return bits;
}

#ifdef TC_HAVE_VPOPCNTQ
/* The same, 16 entries per compare (top == 64 only). */
__attribute__((target("avx512f"))) static uint64_t word_avx512(const float *v, const float *wn, float xs,
                                                               uint64_t *unsure)
{
  __m512 x = _mm512_set1_ps(xs);
  uint64_t bits = 0, u = 0;
  for (int q = 0; q < 4; q++) {
    __m512 s = _mm512_loadu_ps(v + 16 * q);
    __m512 a = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(s), _mm512_set1_epi32(0x7fffffff)));
    __m512 t = _mm512_mul_ps(x, _mm512_loadu_ps(wn + 16 * q));
    bits |= (uint64_t)_mm512_cmp_ps_mask(s, _mm512_setzero_ps(), _CMP_GE_OQ) << (16 * q);
    u |= (uint64_t)_mm512_cmp_ps_mask(a, t, _CMP_LE_OQ) << (16 * q);
  }
  *unsure = u;
  return bits;
}
#endif

int num_relu_patterns_block_f(uint64_t *P, size_t words, const float *Xf, const double *X, const double *xnorm,
                              size_t n, size_t d, const float *Wf, const double *Wb, const float *wnorm, size_t mb,
                              size_t k0, float *S)
{
  if (n > INT_MAX || d > INT_MAX || mb > INT_MAX || k0 % 64 != 0 || k0 + mb > 64 * words)
    return TC_EBADLEN;
  if (n == 0 || mb == 0)
    return TC_SUCCESS;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)mb, (int)d, 1.0f, Xf, (int)d, Wf, (int)d, 0.0f,
              S, (int)mb);
  /* |s_f - w.x| <= (gamma_d(u) + 2u + u^2) sum |w_l x_l| with u = 2^-24
   * (the sum in float, and the rounding of x and w to float), which
   * (d + 4) FLT_EPSILON |w| |x| covers twice over (the float product
   * xs * wn is off by a few u: inside the factor 2). */
  double screen = ((double)d + 4.0) * FLT_EPSILON;
#ifdef TC_HAVE_VPOPCNTQ
  int vec = __builtin_cpu_supports("avx512f");
#endif
  for (size_t i = 0; i < n; i++) {
    uint64_t *row = P + i * words + k0 / 64;
    const float *s = S + i * mb;
    float xs = (float)(screen * xnorm[i] * (1.0 + 1e-6));
    for (size_t w = 0; w * 64 < mb; w++) {
      size_t top = mb - w * 64 < 64 ? mb - w * 64 : 64;
      uint64_t bits, unsure;
#ifdef TC_HAVE_VPOPCNTQ
      if (vec && top == 64)
        bits = word_avx512(s + w * 64, wnorm + w * 64, xs, &unsure);
      else
#endif
        bits = word_scalar(s + w * 64, wnorm + w * 64, xs, top, &unsure);
      /* the few the float product cannot settle: the double dot product */
      for (uint64_t u = unsure; u; u &= u - 1) {
        size_t b = (size_t)__builtin_ctzll(u), q = w * 64 + b;
        bits &= ~((uint64_t)1 << b);
        bits |= (uint64_t)(dot_d(Wb + q * d, X + i * d, d) >= 0) << b;
      }
      row[w] = bits;
    }
  }
  return TC_SUCCESS;
}
