/* trelu — the ReLU pattern route to H(0) (src/num/num_relu.h) against the
 * naive formula H_ij = <x_i, x_j>/m sum_k 1{w_k.x_i >= 0} 1{w_k.x_j >= 0}:
 * special sizes (m = 0, a misaligned block), random sizes with m below,
 * at and past multiples of 64 (and of the 512-neuron block), exact ties
 * w.x = 0 and x_i = 0 on integer data, the counts on random bit rows of
 * every length 1..40 words (the masked tail of the AVX-512 loop), and the
 * sign screen: every entry it leaves unmarked has the exact sign.  Seed:
 * THMCHECK_TEST_SEED (tests/test_seed.h). */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "num/num_relu.h"
#include "tc_status.h"
#include "test_seed.h"

/* The naive counts and H, dot products summed in order (exact on the
 * small-integer data of the tie test). */
static void naive_h0(double *C, double *H, const double *X, const double *W, size_t n, size_t d, size_t m)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      size_t c = 0;
      for (size_t k = 0; k < m; k++) {
        double si = 0, sj = 0;
        for (size_t l = 0; l < d; l++) {
          si += W[k * d + l] * X[i * d + l];
          sj += W[k * d + l] * X[j * d + l];
        }
        c += si >= 0 && sj >= 0;
      }
      double g = 0;
      for (size_t l = 0; l < d; l++)
        g += X[i * d + l] * X[j * d + l];
      C[i * n + j] = (double)c;
      H[i * n + j] = (double)c / (double)m * g;
    }
}

/* num_relu_h0_d against naive_h0 on X, W: counts recovered as H / G must
 * be the naive integers; H within 1e-12 relative of the naive H. */
static void compare(const double *X, const double *W, size_t n, size_t d, size_t m, unsigned long seed)
{
  double *H = malloc(n * n * sizeof *H), *Hn = malloc(n * n * sizeof *Hn), *Cn = malloc(n * n * sizeof *Cn);
  cr_assert(H && Hn && Cn);
  cr_assert_eq(num_relu_h0_d(H, X, W, n, d, m), TC_SUCCESS);
  naive_h0(Cn, Hn, X, W, n, d, m);
  for (size_t i = 0; i < n * n; i++) {
    double tol = 1e-12 * fmax(1e-300, fabs(Hn[i]) + fabs(Hn[(i / n) * n + i / n]));
    cr_assert(fabs(H[i] - Hn[i]) <= tol, "n=%zu d=%zu m=%zu entry %zu: %.17g vs naive %.17g (seed %lu)", n, d,
              m, i, H[i], Hn[i], seed);
  }
  free(H);
  free(Hn);
  free(Cn);
}

Test(relu, bad_sizes)
{
  double X[2] = {1, 2}, W[2] = {1, -1}, H[1], S[4];
  uint64_t P[2] = {0, 0};
  cr_assert_eq(num_relu_h0_d(H, X, W, 1, 2, 0), TC_EBADLEN);
  /* k0 not a multiple of 64, and a block past the row's words */
  cr_assert_eq(num_relu_patterns_block(P, NULL, 1, X, NULL, 1, 2, W, NULL, 1, 3, S), TC_EBADLEN);
  cr_assert_eq(num_relu_patterns_block(P, NULL, 1, X, NULL, 1, 2, W, NULL, 1, 64, S), TC_EBADLEN);
  cr_assert_eq(num_relu_words(64), 1);
  cr_assert_eq(num_relu_words(65), 2);
}

Test(relu, random_sizes)
{
  static const size_t ms[] = {1, 63, 64, 65, 127, 129, 511, 512, 513, 1031};
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  for (size_t t = 0; t < 24; t++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 24), d = 1 + gsl_rng_uniform_int(rng, 9);
    size_t m = ms[t % (sizeof ms / sizeof ms[0])];
    double *X = malloc(n * d * sizeof *X), *W = malloc(m * d * sizeof *W);
    /* every third case outside the float screen's range: the dgemm route */
    double scale = t % 3 == 2 ? 0x1.0p55 : 1.0;
    for (size_t i = 0; i < n * d; i++)
      X[i] = scale * gsl_ran_gaussian(rng, 1.0);
    for (size_t i = 0; i < m * d; i++)
      W[i] = gsl_ran_gaussian(rng, 1.0);
    compare(X, W, n, d, m, seed);
    free(X);
    free(W);
  }
  gsl_rng_free(rng);
}

/* Integer data and weights in {-1, 0, 1}: many w.x = 0 exactly (a tie
 * counts as active, sigma'(0) = 1), and one x_i = 0 (active for every
 * neuron).  Every product is exact, so the counts must agree exactly. */
Test(relu, ties)
{
  unsigned long seed = test_seed() + 1;
  gsl_rng *rng = test_rng(seed);
  size_t n = 9, d = 3, m = 200;
  double X[27], *W = malloc(m * d * sizeof *W);
  for (size_t i = 0; i < n * d; i++)
    X[i] = (double)gsl_rng_uniform_int(rng, 3) - 1.0;
  for (size_t l = 0; l < d; l++)
    X[4 * d + l] = 0; /* x_5 = 0 */
  for (size_t i = 0; i < m * d; i++)
    W[i] = (double)gsl_rng_uniform_int(rng, 3) - 1.0;
  compare(X, W, n, d, m, seed);
  double *H = malloc(n * n * sizeof *H);
  cr_assert_eq(num_relu_h0_d(H, X, W, n, d, m), TC_SUCCESS);
  cr_assert_eq(H[4 * n + 4], 0.0);
  free(H);
  free(W);
  gsl_rng_free(rng);
}

/* Counts of random bit rows, every length 1..40 words, against
 * __builtin_popcountll word by word, by the dispatched path (VPOPCNTQ on
 * a CPU that has it) and by the portable one. */
Test(relu, counts)
{
  unsigned long seed = test_seed() + 2;
  gsl_rng *rng = test_rng(seed);
  size_t n = 7;
  for (size_t words = 1; words <= 40; words++) {
    uint64_t *P = malloc(n * words * sizeof *P);
    double *C = malloc(n * n * sizeof *C);
    for (size_t i = 0; i < n * words; i++)
      P[i] = (uint64_t)gsl_rng_get(rng) << 32 ^ (uint64_t)gsl_rng_get(rng);
    double *C2 = malloc(n * n * sizeof *C2);
    num_relu_counts(C, P, n, words);
    num_relu_counts_portable(C2, P, n, words);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        double c = 0;
        for (size_t w = 0; w < words; w++)
          c += __builtin_popcountll(P[i * words + w] & P[j * words + w]);
        cr_assert_eq(C[i * n + j], c, "words=%zu (%zu,%zu) (seed %lu)", words, i, j, seed);
        cr_assert_eq(C2[i * n + j], c, "portable: words=%zu (%zu,%zu) (seed %lu)", words, i, j, seed);
      }
    free(C2);
    free(P);
    free(C);
  }
  gsl_rng_free(rng);
}

/* The screen: entries marked unsure are 0 in P; an unmarked entry's bit
 * is the sign of the exact w.x, here checked in long double against the
 * naive order, and the exact ties of integer data are marked. */
Test(relu, screen)
{
  unsigned long seed = test_seed() + 3;
  gsl_rng *rng = test_rng(seed);
  size_t n = 6, d = 4, m = 130, words = num_relu_words(m);
  double X[24], W[520], xn[6], wn[130], S[6 * 130];
  uint64_t P[6 * 3], U[6 * 3];
  for (size_t i = 0; i < n * d; i++)
    X[i] = (double)gsl_rng_uniform_int(rng, 5) - 2.0;
  for (size_t i = 0; i < m * d; i++)
    W[i] = (i / d) % 3 ? gsl_ran_gaussian(rng, 1.0) : (double)gsl_rng_uniform_int(rng, 3) - 1.0; /* every third neuron integer */
  for (size_t i = 0; i < n; i++) {
    xn[i] = 0;
    for (size_t l = 0; l < d; l++)
      xn[i] += X[i * d + l] * X[i * d + l];
    xn[i] = sqrt(xn[i]);
  }
  for (size_t k = 0; k < m; k++) {
    wn[k] = 0;
    for (size_t l = 0; l < d; l++)
      wn[k] += W[k * d + l] * W[k * d + l];
    wn[k] = sqrt(wn[k]);
  }
  cr_assert_eq(num_relu_patterns_block(P, U, words, X, xn, n, d, W, wn, m, 0, S), TC_SUCCESS);
  size_t ties = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < m; k++) {
      long double s = 0;
      for (size_t l = 0; l < d; l++)
        s += (long double)W[k * d + l] * X[i * d + l];
      int bit = P[i * words + k / 64] >> (k % 64) & 1, unsure = U[i * words + k / 64] >> (k % 64) & 1;
      if (s == 0) {
        cr_assert(unsure, "tie (%zu,%zu) not marked (seed %lu)", i, k, seed);
        ties++;
      }
      if (unsure)
        cr_assert_eq(bit, 0);
      else
        cr_assert_eq(bit, s >= 0, "(%zu,%zu) s=%Lg (seed %lu)", i, k, s, seed);
    }
  cr_assert(ties > 0, "the data have exact ties");
  gsl_rng_free(rng);
}
