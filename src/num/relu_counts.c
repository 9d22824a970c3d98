/* num_relu_counts — co-activation counts popcount(P_i AND P_j) for all
 * pairs (contract in num_relu.h).  With AVX-512 VPOPCNTQ (configure's
 * TC_HAVE_VPOPCNTQ and the CPU at run time) eight words per instruction;
 * else __builtin_popcountll.  Both give the same integers.  The rows j
 * are taken in tiles that stay in cache while every row i >= j passes. */
#include <config.h>
#include "num_relu.h"
#ifdef TC_HAVE_VPOPCNTQ
#include <immintrin.h>
#endif

#define COUNTS_TILE 64 /* rows j per tile: 64 rows of m = 10^4 bits are 80 kB */

/* The upper triangle of C from its lower one, in 32 x 32 tiles (a
 * column-wise copy would touch a new cache line per entry). */
static void mirror(double *C, size_t n)
{
  for (size_t i0 = 0; i0 < n; i0 += 32)
    for (size_t j0 = 0; j0 <= i0; j0 += 32)
      for (size_t i = i0; i < i0 + 32 && i < n; i++)
        for (size_t j = j0; j < j0 + 32 && j < i; j++)
          C[j * n + i] = C[i * n + j];
}

static uint64_t counts_pair(const uint64_t *a, const uint64_t *b, size_t words)
{
  uint64_t c = 0;
  for (size_t w = 0; w < words; w++)
    c += (uint64_t)__builtin_popcountll(a[w] & b[w]);
  return c;
}

#ifdef TC_HAVE_VPOPCNTQ
__attribute__((target("avx512f,avx512vpopcntdq"))) static uint64_t counts_pair_vpop(const uint64_t *a,
                                                                                    const uint64_t *b,
                                                                                    size_t words)
{
  __m512i acc = _mm512_setzero_si512();
  size_t w = 0;
  for (; w + 8 <= words; w += 8) {
    __m512i x = _mm512_and_si512(_mm512_loadu_si512(a + w), _mm512_loadu_si512(b + w));
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(x));
  }
  if (w < words) { /* the last 1..7 words under a mask: nothing read past the row */
    __mmask8 k = (__mmask8)((1u << (words - w)) - 1);
    __m512i x = _mm512_and_si512(_mm512_maskz_loadu_epi64(k, a + w), _mm512_maskz_loadu_epi64(k, b + w));
    acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(x));
  }
  return (uint64_t)_mm512_reduce_add_epi64(acc);
}

/* Four rows j against one row i: row i's words loaded once for four
 * AND-popcount-adds (the loop is load bound). */
__attribute__((target("avx512f,avx512vpopcntdq"))) static void counts_pair4_vpop(double *out, const uint64_t *a,
                                                                                 const uint64_t *b, size_t words)
{
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
  const uint64_t *b1 = b + words, *b2 = b1 + words, *b3 = b2 + words;
  size_t w = 0;
  for (; w + 8 <= words; w += 8) {
    __m512i x = _mm512_loadu_si512(a + w);
    c0 = _mm512_add_epi64(c0, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_loadu_si512(b + w))));
    c1 = _mm512_add_epi64(c1, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_loadu_si512(b1 + w))));
    c2 = _mm512_add_epi64(c2, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_loadu_si512(b2 + w))));
    c3 = _mm512_add_epi64(c3, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_loadu_si512(b3 + w))));
  }
  if (w < words) {
    __mmask8 k = (__mmask8)((1u << (words - w)) - 1);
    __m512i x = _mm512_maskz_loadu_epi64(k, a + w);
    c0 = _mm512_add_epi64(c0, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_maskz_loadu_epi64(k, b + w))));
    c1 = _mm512_add_epi64(c1, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_maskz_loadu_epi64(k, b1 + w))));
    c2 = _mm512_add_epi64(c2, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_maskz_loadu_epi64(k, b2 + w))));
    c3 = _mm512_add_epi64(c3, _mm512_popcnt_epi64(_mm512_and_si512(x, _mm512_maskz_loadu_epi64(k, b3 + w))));
  }
  out[0] = (double)_mm512_reduce_add_epi64(c0);
  out[1] = (double)_mm512_reduce_add_epi64(c1);
  out[2] = (double)_mm512_reduce_add_epi64(c2);
  out[3] = (double)_mm512_reduce_add_epi64(c3);
}

__attribute__((target("avx512f,avx512vpopcntdq"))) static void counts_vpop(double *C, const uint64_t *P,
                                                                           size_t n, size_t words)
{
  for (size_t j0 = 0; j0 < n; j0 += COUNTS_TILE)
    for (size_t i = j0; i < n; i++) {
      size_t j1 = j0 + COUNTS_TILE < i + 1 ? j0 + COUNTS_TILE : i + 1, j = j0;
      for (; j + 4 <= j1; j += 4) {
        double c[4];
        counts_pair4_vpop(c, P + i * words, P + j * words, words);
        for (int q = 0; q < 4; q++)
          C[i * n + j + q] = c[q];
      }
      for (; j < j1; j++)
        C[i * n + j] = (double)counts_pair_vpop(P + i * words, P + j * words, words);
    }
  mirror(C, n);
}
#endif

void num_relu_counts_portable(double *C, const uint64_t *P, size_t n, size_t words)
{
  for (size_t j0 = 0; j0 < n; j0 += COUNTS_TILE)
    for (size_t i = j0; i < n; i++) {
      size_t j1 = j0 + COUNTS_TILE < i + 1 ? j0 + COUNTS_TILE : i + 1;
      for (size_t j = j0; j < j1; j++)
        C[i * n + j] = (double)counts_pair(P + i * words, P + j * words, words);
    }
  mirror(C, n);
}

void num_relu_counts(double *C, const uint64_t *P, size_t n, size_t words)
{
#ifdef TC_HAVE_VPOPCNTQ
  if (__builtin_cpu_supports("avx512vpopcntdq")) {
    counts_vpop(C, P, n, words);
    return;
  }
#endif
  num_relu_counts_portable(C, P, n, words);
}
