/* test_seed.h — the seed of the randomised tests, shared by tvec, tmat,
 * teigen, tcholesky and tbeta_inc: THMCHECK_TEST_SEED when set (any base
 * strtoul accepts), else a fixed default; and the generator they draw
 * from, an MT19937 seeded with a given value. */
#ifndef THMCHECK_TESTS_TEST_SEED_H
#define THMCHECK_TESTS_TEST_SEED_H

#include <gsl/gsl_rng.h>
#include <stdlib.h>

static inline unsigned long test_seed(void)
{
  const char *s = getenv("THMCHECK_TEST_SEED");
  return s != NULL ? strtoul(s, NULL, 0) : 20240611UL;
}

/* A fresh MT19937 generator seeded with s; free it with gsl_rng_free. */
static inline gsl_rng *test_rng(unsigned long s)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, s);
  return rng;
}

#endif
