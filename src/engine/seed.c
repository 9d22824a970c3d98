/* Per-instance seeds and RNGs. */
#include <stdio.h>
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

gsl_rng *tc_rng_alloc(uint64_t seed)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (rng != NULL)
    /* mt19937 takes an unsigned long; fold the high half in so 64-bit
     * seeds that differ only there still give different streams. */
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
  return rng;
}
