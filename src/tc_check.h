/* tc_check.h — the contract between the engine and a check module.
 *
 * A check module measures; it never decides.  For one instance (a point
 * of the catalog's parameter sweep plus a seed) it builds the hypotheses'
 * objects, runs the algorithm, and writes named values into a tc_record,
 * one row per iterate / checkpoint / sweep value.  The engine evaluates
 * the catalog's lhs and rhs expressions on each row and turns the rows of
 * all instances into a verdict.  A module is one file in checks/ that
 * writes its measurement once in the generic names of tc_templates_on.h
 * and instantiates it for each backend (double and MPFR; see below). */
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
struct tc_tape;

typedef struct {
  const struct tc_claim *claim; /* the catalog entry being checked */
  const tc_point *point;        /* parameter values of this instance */
  size_t index;                 /* instance index K within the claim */
  uint64_t seed;                /* per-instance seed, see tc_seed_derive */
  mpfr_prec_t prec;             /* MPFR precision; ignored by double */
  const void *prepared;         /* the module's prepare output for this point, or NULL */
  struct tc_tape *tape;         /* this instance's draws (tc_tape_*) */
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

/* ---- noise tapes ------------------------------------------------------ */

/* The random draws of one instance, made once from the instance seed in
 * double and read by both backends: draw k of stream s is a function of
 * (seed, s, k) alone, generated lazily and kept, so a backend whose
 * branches consume a different number of draws (perturbed GD drawing
 * noise only when its gradient is small) still reads, as its k-th draw
 * of a stream, what the other backend read as its k-th.  Give each kind
 * of randomness (indices, noise, weights) its own stream, so a branch in
 * one does not shift the others.  Stream 0 is the stream of
 * tc_rng_alloc(seed); stream s > 0 that of tc_rng_alloc(seed mixed with
 * s).  A stream has one kind of draw, fixed when it is opened. */
typedef struct tc_tape tc_tape;

typedef enum {
  TC_DRAW_UNIFORM,           /* gsl_rng_uniform: [0, 1) */
  TC_DRAW_UNIFORM_POS,       /* gsl_rng_uniform_pos: (0, 1) */
  TC_DRAW_UNIFORM_INT,       /* gsl_rng_uniform_int(rng, n): 0 .. n-1 */
  TC_DRAW_GAUSSIAN,          /* gsl_ran_gaussian(rng, 1) */
  TC_DRAW_GAUSSIAN_ZIGGURAT  /* gsl_ran_gaussian_ziggurat(rng, 1) */
} tc_draw_kind;

#define TC_TAPE_STREAMS 8

tc_tape *tc_tape_alloc(uint64_t seed);
void tc_tape_free(tc_tape *t);
/* Open stream `s` (< TC_TAPE_STREAMS) with draws of `kind` (`n` for
 * TC_DRAW_UNIFORM_INT, else ignored).  Opening it again with the same
 * kind and n is a no-op; with another, TC_EDOM. */
int tc_tape_open(tc_tape *t, unsigned s, tc_draw_kind kind, unsigned long n);
/* Draw k of stream s (NaN if the stream is not open or out of memory;
 * see tc_tape_status). */
double tc_tape_at(tc_tape *t, unsigned s, size_t k);
/* The next draw of stream s for this reader: tc_tape_at(t, s, cursor++). */
double tc_tape_next(tc_tape *t, unsigned s);
/* Draws of stream s read with tc_tape_next since the last rewind. */
size_t tc_tape_used(const tc_tape *t, unsigned s);
/* Put every cursor back to draw 0 (a second reader of the same draws). */
void tc_tape_rewind(tc_tape *t);
/* TC_SUCCESS, or the first error a read met (TC_ENOMEM, TC_EDOM). */
int tc_tape_status(const tc_tape *t);

/* ---- parameter and output specs ---------------------------------------- */

typedef enum { TC_PARAM_REAL, TC_PARAM_INTEGER, TC_PARAM_SYMBOL } tc_param_type;

/* A parameter a module reads.  The engine checks every point against the
 * specs before anything runs, and an error names the parameter (so the
 * catalog's `param` line).  Numeric: a finite number (an integer for
 * TC_PARAM_INTEGER) in [min, max], an end excluded when *_open is set
 * (min = -INFINITY / max = INFINITY with *_open for an unbounded side).
 * Symbolic: one of `values`.  `def` is the value the module uses when the
 * parameter is absent (text, as in a catalog; NULL: none); `required`
 * parameters must be given. */
typedef struct {
  const char *name;
  tc_param_type type;
  double min, max;
  int min_open, max_open;
  const char *const *values; /* TC_PARAM_SYMBOL: allowed values, NULL-terminated */
  const char *def;
  int required;
  const char *meaning;
} tc_param_spec;

/* A value the module puts in its rows.  A name ending in '*' stands for
 * a family (Hinf_* for Hinf_1_2, ...).  has_range/lo/hi: a range the
 * value always lies in, declared for finite-sample expectation intervals
 * (0 when none is declared). */
typedef struct {
  const char *name;
  const char *meaning;
  int has_range;
  double lo, hi;
} tc_output_spec;

/* ---- modules --------------------------------------------------------- */

/* Measure one instance.  On failure return a TC_E* code and write a
 * message into err; the engine reports the instance as ERROR. */
typedef int (*tc_measure_fn)(tc_record *out, const tc_instance *inst,
                             char *err, size_t errlen);
/* Cross-parameter constraints the specs cannot state (coord <= d, n <= d
 * for orthogonal data, an affordable width), called after every value
 * passed its spec.  On failure return TC_EDOM, a message, and in *param
 * the parameter to blame (its catalog line is reported; NULL: the
 * claim's line). */
typedef int (*tc_validate_fn)(const tc_point *point, const char **param, char *err, size_t errlen);
/* Per-point data shared by every instance of a point in one backend (a
 * data set, a kernel matrix and its eigenvalues, an exact probability):
 * built once per (point, precision) before the point's instances run, as
 * *shared, and handed to measure as inst->prepared; released after them.
 * `inst` is the point's first instance (use its point and prec only). */
typedef int (*tc_prepare_fn)(void **shared, const tc_instance *inst, char *err, size_t errlen);
typedef void (*tc_release_fn)(void *shared);
/* Fill the instance's tape before measuring (optional: draws may also be
 * made lazily by measure; both read the same tape). */
typedef int (*tc_draw_fn)(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen);

/* ---- backends --------------------------------------------------------- */

/* The engine's backends, one X(ENUM, suffix) entry each, cheapest first
 * and most exact last (src/engine/backends.c describes each: its name,
 * rounding allowance, --precision word).  A module gives one measure (and
 * optionally prepare/release) per backend, named by the suffix:
 * .measure_d, .measure_mpfr; the engine reads them as measure[b].  A
 * third backend is one more entry here and in backends.c, plus its
 * numeric operations (src/num/tc_backends.h); TC_TEST_THIRD_BACKEND adds
 * a test-only one (tests/tbackend3.c). */
#ifdef TC_TEST_THIRD_BACKEND
#define TC_BACKEND_TEST_ENTRY_(X) X(TEST, test)
#else
#define TC_BACKEND_TEST_ENTRY_(X)
#endif
#define TC_BACKEND_LIST(X) X(DOUBLE, d) X(MPFR, mpfr) TC_BACKEND_TEST_ENTRY_(X)

enum {
#define TC_BACKEND_ENUM_(E, suffix) TC_BACKEND_##E,
  TC_BACKEND_LIST(TC_BACKEND_ENUM_)
#undef TC_BACKEND_ENUM_
  TC_BACKEND_COUNT
};

/* One hook per backend: named members (measure_d, measure_mpfr, ...) for
 * the modules' designated initializers, overlaid on an array indexed by
 * backend for the engine. */
#define TC_MEASURE_MEMBER_(E, suffix) tc_measure_fn measure_##suffix;
#define TC_PREPARE_MEMBER_(E, suffix) tc_prepare_fn prepare_##suffix;
#define TC_RELEASE_MEMBER_(E, suffix) tc_release_fn release_##suffix;

typedef struct {
  const char *name;               /* the catalog's `check =` value */
  const char *summary;            /* one line for `thmcheck list` / docs */
  const tc_param_spec *params;    /* parameters it reads; ends with {NULL} */
  const tc_output_spec *outputs;  /* names it puts in rows; ends with {NULL} */
  tc_validate_fn validate;        /* may be NULL */
  union { /* .measure_d, .measure_mpfr */
    struct { TC_BACKEND_LIST(TC_MEASURE_MEMBER_) };
    tc_measure_fn measure[TC_BACKEND_COUNT];
  };
  union { /* .prepare_d, .prepare_mpfr: may be NULL */
    struct { TC_BACKEND_LIST(TC_PREPARE_MEMBER_) };
    tc_prepare_fn prepare[TC_BACKEND_COUNT];
  };
  union { /* .release_d, .release_mpfr: may be NULL */
    struct { TC_BACKEND_LIST(TC_RELEASE_MEMBER_) };
    tc_release_fn release[TC_BACKEND_COUNT];
  };
  tc_draw_fn draw;                       /* may be NULL */
} tc_check;

/* The spec of parameter `name`, or NULL. */
const tc_param_spec *tc_check_param(const tc_check *c, const char *name);
/* 1 if `name` is a declared output of c (a family by its '*' prefix). */
int tc_check_has_output(const tc_check *c, const char *name);
/* Check a point against c's parameter specs, then c's validate.  On
 * failure TC_EDOM (also for a missing required parameter), a message,
 * and *param (when param is not NULL) the parameter to blame,
 * or NULL for the point as a whole. */
int tc_check_validate(const tc_check *c, const tc_point *p, const char **param, char *err,
                      size_t errlen);

/* The registry of compiled-in modules (checks/registry.c). */
const tc_check *tc_check_find(const char *name);
size_t tc_check_count(void);
const tc_check *tc_check_at(size_t i);

#endif
