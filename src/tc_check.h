/* tc_check.h — the contract between the engine and a check module.
 *
 * A check module measures; it never decides.  For one instance (a point
 * of the catalog's parameter sweep plus a seed) it builds the hypotheses'
 * objects, runs the algorithm, and writes named values into a tc_record,
 * one row per iterate / checkpoint / sweep value.  The engine evaluates
 * the catalog's lhs and rhs expressions on each row and turns the rows of
 * all instances into a verdict.  A module is one file in checks/ that
 * writes its measurement once in the generic names of tc_templates_on.h
 * and instantiates it for double and for MPFR. */
#ifndef TC_CHECK_H
#define TC_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include <mpfr.h>
#include "tc_status.h"

/* ---- parameter points ------------------------------------------------ */

/* One parameter of an instance: its numeric value (NaN for a symbolic
 * value such as a family name) and its text as written or drawn. */
typedef struct {
  const char *name;
  double value;
  const char *text;
} tc_point_value;

typedef struct {
  size_t n;
  tc_point_value *v;
} tc_point;

/* The numeric value of parameter `name`; TC_ENOTFOUND if absent, TC_EDOM
 * if it is symbolic. */
int tc_point_get(double *value, const tc_point *p, const char *name);
/* The numeric value, or `fallback` when the parameter is absent. */
double tc_point_get_or(const tc_point *p, const char *name, double fallback);
/* The text of parameter `name`, or NULL when absent. */
const char *tc_point_text(const tc_point *p, const char *name);

/* ---- instances ------------------------------------------------------- */

struct tc_claim;

typedef struct {
  const struct tc_claim *claim; /* the catalog entry being checked */
  const tc_point *point;        /* parameter values of this instance */
  size_t index;                 /* instance index K within the claim */
  uint64_t seed;                /* per-instance seed, see tc_seed_derive */
  mpfr_prec_t prec;             /* MPFR precision; ignored by double */
} tc_instance;

/* Seed of instance `index` of claim `claim_id` under global seed `seed`:
 * a SplitMix64 hash of the three, so instances are independent and any
 * one can be re-run alone. */
uint64_t tc_seed_derive(uint64_t seed, const char *claim_id, uint64_t index);

/* A seed that depends only on `tag` and on the parameters `names`
 * (NULL-terminated) of the point: for a module whose instances at one
 * point share data, whatever their instance seeds.  A numeric parameter
 * counts by its value, written %.17g (so "10" and "1e1" give the same
 * seed), a symbolic one by its text, an absent one as absent.  Parameters
 * not listed, and the order of the point's parameters, do not matter.
 * FNV-1a of TAG followed by "name=value;" for each name (an absent one
 * "name=;"), mixed by SplitMix64: end a non-empty tag with a separator. */
uint64_t tc_point_seed(const tc_point *p, const char *tag, const char *const *names);

/* A GSL generator seeded with all 64 bits of an instance seed (free it
 * with gsl_rng_free); distinct seeds give distinct streams.  Both backends
 * draw the instance from it in double, so they see the same instance.
 * The generator is xoshiro256** (state filled by SplitMix64 of the seed),
 * the type tc_rng_xoshiro256ss: gsl_rng_get gives 32 bits, gsl_rng_uniform
 * 53; gsl_rng_set(r, s) seeds it like tc_rng_alloc(s) where unsigned long
 * has 64 bits. */
extern const gsl_rng_type *const tc_rng_xoshiro256ss;
gsl_rng *tc_rng_alloc(uint64_t seed);

/* ---- records --------------------------------------------------------- */

/* Rows of named values.  Values are stored in MPFR at the record's
 * precision (at least 64 bits, so a double is stored exactly). */
typedef struct tc_record tc_record;

tc_record *tc_record_alloc(mpfr_prec_t prec);
void tc_record_free(tc_record *r);
/* Set `name` in the current row (the first put after tc_record_end_row
 * opens a new row).  Putting a name twice in a row overwrites it. */
int tc_record_put_d(tc_record *r, const char *name, const double *v);
int tc_record_put_mpfr(tc_record *r, const char *name, mpfr_srcptr v);
int tc_record_put_double(tc_record *r, const char *name, double v);
/* Close the current row. */
int tc_record_end_row(tc_record *r);
size_t tc_record_rows(const tc_record *r);
/* Value of `name` in row `row` (TC_ENOTFOUND if not set in that row). */
int tc_record_get(mpfr_ptr out, const tc_record *r, size_t row, const char *name);
/* A free-text remark about the instance (e.g. the measured constants),
 * shown in reports next to a counterexample.  Replaces any earlier note. */
int tc_record_note(tc_record *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *tc_record_get_note(const tc_record *r);
/* Number of distinct names and the i-th name (in order of first put). */
size_t tc_record_names(const tc_record *r);
const char *tc_record_name(const tc_record *r, size_t i);

/* ---- modules --------------------------------------------------------- */

/* Measure one instance.  On failure return a TC_E* code and write a
 * message into err; the engine reports the instance as ERROR. */
typedef int (*tc_measure_fn)(tc_record *out, const tc_instance *inst,
                             char *err, size_t errlen);
/* Reject impossible parameters before anything runs (e.g. delta >= 1).
 * Return TC_EDOM and a message naming the parameter. */
typedef int (*tc_validate_fn)(const tc_point *point, char *err, size_t errlen);

typedef struct {
  const char *name;            /* the catalog's `check =` value */
  const char *summary;         /* one line for `thmcheck list` / docs */
  const char *const *params;   /* parameters it reads, NULL-terminated */
  const char *const *outputs;  /* names it puts in each row, NULL-terminated */
  tc_validate_fn validate;     /* may be NULL */
  tc_measure_fn measure_d;
  tc_measure_fn measure_mpfr;
} tc_check;

/* The registry of compiled-in modules (checks/registry.c). */
const tc_check *tc_check_find(const char *name);
size_t tc_check_count(void);
const tc_check *tc_check_at(size_t i);

#endif
