/* Per-instance seeds and RNGs. */
#include <stdio.h>
#include <gsl/gsl_rng.h>
#include "tc_check.h"

static uint64_t splitmix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

#define FNV1A_OFFSET 0xcbf29ce484222325ULL

/* FNV-1a of s continued from the hash h of what came before it. */
static uint64_t fnv1a_add(uint64_t h, const char *s)
{
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  return h;
}

/* FNV-1a: a stable hash of the claim id, so renumbering claims in the
 * catalog does not change the instances of the others. */
static uint64_t fnv1a(const char *s)
{
  return fnv1a_add(FNV1A_OFFSET, s);
}

uint64_t tc_seed_derive(uint64_t seed, const char *claim_id, uint64_t index)
{
  return splitmix64(splitmix64(seed ^ fnv1a(claim_id)) + splitmix64(index + 1));
}

/* The hashed text is TAG then "name=value;" per listed name, absent ones
 * as "name=;" (the catalog has no empty values): the text sgd-pl hashed,
 * with its texts, before this function existed, so its data sets are
 * unchanged where the catalog writes canonical numbers.  -0 counts as 0. */
uint64_t tc_point_seed(const tc_point *p, const char *tag, const char *const *names)
{
  uint64_t h = fnv1a(tag);
  for (; *names; names++) {
    h = fnv1a_add(fnv1a_add(h, *names), "=");
    double v;
    int status = tc_point_get(&v, p, *names);
    if (status == TC_SUCCESS) {
      char num[32];
      snprintf(num, sizeof num, "%.17g", v == 0 ? 0.0 : v);
      h = fnv1a_add(h, num);
    } else if (status == TC_EDOM && tc_point_text(p, *names) != NULL) {
      h = fnv1a_add(h, tc_point_text(p, *names));
    }
    h = fnv1a_add(h, ";");
  }
  return splitmix64(h);
}

/* ---- the instance generator: xoshiro256** as a gsl_rng_type ------------
 *
 * xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2018): 256 bits of state, period 2^256 - 1, four xors, two
 * shifts/rotations and two multiplications per output, and no weak low
 * bits.  Its state is filled with four SplitMix64 outputs of the whole
 * 64-bit seed, as its authors recommend.  MT19937 took an unsigned long
 * seed folded to 32 bits, so distinct instance seeds could give the same
 * stream; here the first output, rotl(5 s1, 7) * 9 with s1 a bijective
 * mix of the seed, is itself a bijection of the seed: distinct seeds give
 * distinct streams from their first 64-bit output on.  2.5 kB of MT state
 * seeded twice per allocation become 32 bytes seeded once. */

typedef struct {
  uint64_t s[4];
} xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
  uint64_t *s = st->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* SplitMix64 outputs 1..4 of the stream started at `seed`: distinct
 * inputs of a bijection, so at most one word is 0 and the state never is. */
static void xoshiro_seed(xoshiro_state *st, uint64_t seed)
{
  for (int i = 0; i < 4; i++)
    st->s[i] = splitmix64(seed + (uint64_t)i * 0x9e3779b97f4a7c15ULL);
}

static void xoshiro_set(void *state, unsigned long int seed)
{
  xoshiro_seed(state, (uint64_t)seed);
}

/* 32-bit integers (the high half, the best bits) like every generator GSL
 * ships, so GSL's integer users (gsl_rng_uniform_int, the ziggurat) stay
 * on the range they are written and tested for; doubles take 53 bits. */
static unsigned long int xoshiro_get(void *state)
{
  return (unsigned long int)(xoshiro_next(state) >> 32);
}

static double xoshiro_get_double(void *state)
{
  return (double)(xoshiro_next(state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {"xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
                                          xoshiro_set, xoshiro_get, xoshiro_get_double};

const gsl_rng_type *const tc_rng_xoshiro256ss = &xoshiro_type;

gsl_rng *tc_rng_alloc(uint64_t seed)
{
  gsl_rng *rng = gsl_rng_alloc(tc_rng_xoshiro256ss);
  if (rng != NULL)
    /* The state directly, not gsl_rng_set: its seed is an unsigned long,
     * 32 bits on some platforms. */
    xoshiro_seed(rng->state, seed);
  return rng;
}
