/* Per-instance seeds and RNGs. */
#include "tc_check.h"

static uint64_t splitmix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* FNV-1a: a stable hash of the claim id, so renumbering claims in the
 * catalog does not change the instances of the others. */
static uint64_t fnv1a(const char *s)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  return h;
}

uint64_t tc_seed_derive(uint64_t seed, const char *claim_id, uint64_t index)
{
  return splitmix64(splitmix64(seed ^ fnv1a(claim_id)) + splitmix64(index + 1));
}

gsl_rng *tc_rng_alloc(uint64_t seed)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (rng != NULL)
    /* mt19937 takes an unsigned long; fold the high half in so 64-bit
     * seeds that differ only there still give different streams. */
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
  return rng;
}
