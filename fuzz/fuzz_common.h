/* fuzz_common.h — the lookup both fuzz targets evaluate expressions with.
 *
 * Names resolve to fixed values chosen to reach every branch of the
 * evaluator: zero of both signs, negatives (domain errors), huge and tiny
 * magnitudes (overflow, underflow), NaN and Inf.  A name starting with
 * 'u' is unknown, so the TC_ENOTFOUND path runs too. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <math.h>
#include <string.h>
#include <mpfr.h>

static int fuzz_lookup(mpfr_ptr value, const char *name, void *data)
{
  (void)data;
  static const double table[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 1e300, 1e-300,
                                 -7.25, 1e-320, NAN, INFINITY, -INFINITY};
  if (name[0] == 'u')
    return 1;
  size_t h = strlen(name);
  for (const char *q = name; *q; q++)
    h = h * 31 + (unsigned char)*q;
  mpfr_set_d(value, table[h % (sizeof table / sizeof table[0])], MPFR_RNDN);
  if (name[0] == 'b')   /* beyond double's range: MPFR's own exponent range */
    mpfr_mul_2si(value, value, 100000, MPFR_RNDN);
  return 0;
}

#endif
