/* Tests of tc_rng_alloc (src/engine/seed.c): the instance generator is
 * xoshiro256** seeded by SplitMix64 of all 64 bits of the seed.  Its
 * outputs are pinned (the published start of the xoshiro256** sequence
 * from state {1, 2, 3, 4}, and the first outputs for the default seed),
 * checked against an independent transcription, distinct for distinct
 * seeds (the MT19937 it replaces folded seeds to 32 bits), and sane as
 * uniforms. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "tc_engine.h"

/* The reference algorithms, written out again from the papers. */
static uint64_t ref_splitmix(uint64_t *z)
{
  uint64_t x = (*z += 0x9e3779b97f4a7c15ULL);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t ref_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t ref_next(uint64_t s[4])
{
  uint64_t result = ref_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ref_rotl(s[3], 45);
  return result;
}

static void ref_seed(uint64_t s[4], uint64_t seed)
{
  uint64_t z = seed;
  for (int i = 0; i < 4; i++)
    s[i] = ref_splitmix(&z);
}

Test(rng, is_xoshiro256starstar)
{
  gsl_rng *r = tc_rng_alloc(1);
  cr_assert_not_null(r);
  cr_expect_str_eq(gsl_rng_name(r), "xoshiro256**");
  cr_expect_eq(gsl_rng_min(r), 0);
  cr_expect_eq(gsl_rng_max(r), 0xffffffffUL);
  gsl_rng_free(r);
}

/* The published sequence from state {1, 2, 3, 4}: 11520, 0, 1509978240,
 * 1215971899390074240.  gsl_rng_get gives the high 32 bits, and
 * gsl_rng_uniform * 2^53 the high 53. */
Test(rng, published_sequence_from_state_1234)
{
  static const uint64_t expect[] = {11520u, 0u, 1509978240u, 1215971899390074240u};
  gsl_rng *r = tc_rng_alloc(0), *q = tc_rng_alloc(0);
  uint64_t *s = r->state, *t = q->state;
  for (int i = 0; i < 4; i++)
    s[i] = t[i] = (uint64_t)i + 1;
  for (int i = 0; i < 4; i++) {
    cr_expect_eq(gsl_rng_get(r), (unsigned long)(expect[i] >> 32), "output %d", i);
    cr_expect_eq(ldexp(gsl_rng_uniform(q), 53), (double)(expect[i] >> 11), "output %d", i);
  }
  gsl_rng_free(r);
  gsl_rng_free(q);
}

/* Pinned: a change here changes every instance of every audit. */
Test(rng, default_seed_first_outputs_pinned)
{
  gsl_rng *r = tc_rng_alloc(TC_DEFAULT_SEED);
  cr_expect_eq(gsl_rng_get(r), 3971281939UL);
  cr_expect_eq(gsl_rng_get(r), 4221374567UL);
  cr_expect_eq(gsl_rng_get(r), 722079595UL);
  cr_expect_eq(gsl_rng_get(r), 3306203892UL);
  cr_expect_eq(gsl_rng_uniform(r), 0.17971315832015788);
  cr_expect_eq(gsl_rng_uniform(r), 0.70112942705854508);
  gsl_rng_free(r);
}

Test(rng, matches_reference_and_gsl_rng_set)
{
  static const uint64_t seeds[] = {0, 1, TC_DEFAULT_SEED, 0xffffffffULL, 1ULL << 32,
                                   0x8000000000000000ULL, UINT64_MAX, 0x0123456789abcdefULL};
  for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
    uint64_t s[4];
    ref_seed(s, seeds[k]);
    gsl_rng *r = tc_rng_alloc(seeds[k]), *g = gsl_rng_alloc(tc_rng_xoshiro256ss);
    gsl_rng_set(g, (unsigned long)seeds[k]); /* 64-bit unsigned long here */
    for (int i = 0; i < 1000; i++) {
      uint64_t x = ref_next(s);
      if (i % 2)
        cr_assert_eq(gsl_rng_uniform(r), (double)(x >> 11) * 0x1p-53, "seed %#llx output %d",
                     (unsigned long long)seeds[k], i);
      else
        cr_assert_eq(gsl_rng_get(r), (unsigned long)(x >> 32), "seed %#llx output %d",
                     (unsigned long long)seeds[k], i);
      cr_assert_eq(gsl_rng_get(g), (unsigned long)(x >> 32));
    }
    gsl_rng_free(r);
    gsl_rng_free(g);
  }
}

static uint64_t first64(uint64_t seed)
{
  gsl_rng *r = tc_rng_alloc(seed);
  uint64_t hi = gsl_rng_get(r), lo = gsl_rng_get(r);
  gsl_rng_free(r);
  return hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

Test(rng, seeds_differing_in_high_bits_differ)
{
  /* MT19937 was seeded with seed ^ (seed >> 32): these pairs collided. */
  cr_expect_neq(first64(0), first64(0x0000000100000001ULL));
  cr_expect_neq(first64(5), first64(5ULL << 32 | 0));
  for (int b = 32; b < 64; b++)
    cr_expect_neq(first64(TC_DEFAULT_SEED), first64(TC_DEFAULT_SEED ^ (1ULL << b)), "bit %d", b);
}

/* Every instance seed of the ball claim's default audit (48 points x 2000
 * instances) starts a different stream; under the 32-bit fold two of them
 * gave the same one. */
Test(rng, ball_audit_instance_streams_distinct)
{
  const size_t n = 96000;
  uint64_t *first = malloc(n * sizeof *first), *folded = malloc(n * sizeof *folded);
  cr_assert(first && folded);
  for (size_t k = 0; k < n; k++) {
    uint64_t seed = tc_seed_derive(TC_DEFAULT_SEED, "ball-anticoncentration", k);
    first[k] = first64(seed);
    folded[k] = (uint32_t)(seed ^ (seed >> 32));
  }
  qsort(first, n, sizeof *first, cmp_u64);
  qsort(folded, n, sizeof *folded, cmp_u64);
  size_t dup = 0, dup_folded = 0;
  for (size_t k = 1; k < n; k++) {
    dup += first[k] == first[k - 1];
    dup_folded += folded[k] == folded[k - 1];
  }
  cr_expect_eq(dup, 0, "%zu instances share their first 64 output bits", dup);
  cr_expect_geq(dup_folded, 1, "the old 32-bit fold collided here (the bug this replaces)");
  free(first);
  free(folded);
}

/* 10^6 uniforms: mean 1/2 and variance 1/12 within 6 standard errors,
 * never 0 from uniform_pos, never 1; Gaussians through GSL: mean 0,
 * variance 1; uniform_int over 10 cells: chi-square with 9 dof < 40. */
Test(rng, statistical_sanity)
{
  const size_t n = 1000000;
  gsl_rng *r = tc_rng_alloc(20261123u);
  double s1 = 0, s2 = 0;
  for (size_t i = 0; i < n; i++) {
    double u = gsl_rng_uniform(r);
    cr_assert(u >= 0 && u < 1);
    s1 += u;
    s2 += u * u;
  }
  double mean = s1 / (double)n, var = s2 / (double)n - mean * mean;
  cr_expect(fabs(mean - 0.5) < 6 * sqrt(1.0 / 12 / (double)n), "mean %.6f", mean);
  cr_expect(fabs(var - 1.0 / 12) < 6 * sqrt(1.0 / 180 / (double)n), "variance %.6f", var);

  double g1 = 0, g2 = 0;
  for (size_t i = 0; i < n; i++) {
    double z = i % 2 ? gsl_ran_gaussian(r, 1.0) : gsl_ran_gaussian_ziggurat(r, 1.0);
    g1 += z;
    g2 += z * z;
  }
  cr_expect(fabs(g1 / (double)n) < 6 / sqrt((double)n), "gaussian mean %.6f", g1 / (double)n);
  cr_expect(fabs(g2 / (double)n - 1) < 6 * sqrt(2.0 / (double)n), "gaussian variance %.6f",
            g2 / (double)n);

  size_t cells[10] = {0};
  for (size_t i = 0; i < n; i++)
    cells[gsl_rng_uniform_int(r, 10)]++;
  double chi2 = 0;
  for (int c = 0; c < 10; c++)
    chi2 += pow((double)cells[c] - (double)n / 10, 2) / ((double)n / 10);
  cr_expect(chi2 < 40, "chi-square %.2f over 10 cells", chi2);
  for (size_t i = 0; i < 1000; i++)
    cr_assert(gsl_rng_uniform_pos(r) > 0);
  gsl_rng_free(r);
}
