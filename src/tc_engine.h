/* tc_engine.h — run claims and turn measurements into verdicts.
 *
 * Data flow: catalog claim -> parameter points x instances (seeded) ->
 * check module (double and/or MPFR) -> rows -> lhs/rhs evaluated in MPFR
 * -> per-kind statistics -> tc_claim_result.  Reporters (tc_report.h)
 * only format a tc_run_result. */
#ifndef TC_ENGINE_H
#define TC_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <mpfr.h>
#include "tc_catalog.h"
#include "tc_check.h"

typedef enum { TC_PASS, TC_FAIL, TC_INCONCLUSIVE, TC_ERROR } tc_verdict;
const char *tc_verdict_name(tc_verdict v);

/* tc_run_options.precision: a set of backends, bit b for backend b
 * (TC_BACKEND_* of tc_check.h). */
enum {
  TC_PREC_DOUBLE = 1 << TC_BACKEND_DOUBLE,
  TC_PREC_MPFR = 1 << TC_BACKEND_MPFR,
  TC_PREC_BOTH = TC_PREC_DOUBLE | TC_PREC_MPFR, /* the default */
  TC_PREC_ALL = (1 << TC_BACKEND_COUNT) - 1
};

/* What the engine and the reporters know of a backend (one entry per
 * TC_BACKEND_LIST entry, in its order: cheapest first, most exact last).
 * The most exact backend that ran is the claim's main one (its reason,
 * points and witness are shown; the statistical search and sequential
 * sampling follow it); the cheapest that ran leads the deterministic
 * worst-case search; runs are queued most expensive first. */
typedef struct {
  const char *name;     /* --precision word and JSON key: "double", "mpfr" */
  const char *label;    /* in reports: "double", "MPFR" */
  const char *suffix;   /* of the module's hooks: "d" for measure_d */
  int uses_bits;        /* runs at the run's --precision BITS (shown with them) */
  /* Precision of the tc_record the module writes into, given the run's bits. */
  mpfr_prec_t (*record_bits)(mpfr_prec_t bits);
  /* Relative rounding error allowed to the backend, as a power of 2: a
   * violation smaller than this is "near" (within rounding), never a
   * counterexample. */
  long (*allowance_exp2)(mpfr_prec_t bits);
} tc_backend_desc;

extern const tc_backend_desc tc_backends[TC_BACKEND_COUNT];
/* The backend whose --precision word / JSON key is `name`; -1 if none. */
int tc_backend_find(const char *name);
/* "double + MPFR 128 bits", "MPFR 128 bits": the backends of a precision set. */
void tc_backend_set_label(char *buf, size_t len, int precision, long bits);
/* "both", "mpfr", "double", or the names joined by '+' for another set. */
void tc_backend_set_name(char *buf, size_t len, int precision);

#define TC_DEFAULT_SEED 20261123u
#define TC_DEFAULT_BITS 128
#define TC_DEFAULT_CONFIDENCE 0.99

typedef struct {
  const char *name;
  const char *value;
} tc_override;

typedef void (*tc_progress_fn)(void *data, const char *claim_id, size_t done, size_t total);

typedef struct {
  uint64_t seed;
  size_t instances;     /* 0: the catalog's count */
  int precision;        /* TC_PREC_*: the backends to run (bit b: backend b) */
  mpfr_prec_t bits;     /* MPFR precision */
  double confidence;    /* overall per claim (Bonferroni inside) */
  double agree_tol;     /* relative double-vs-MPFR tolerance on lhs/rhs */
  const tc_override *overrides; /* fix parameters to one value */
  size_t noverrides;
  long only_instance;   /* >= 0: run that instance alone (reproduce) */
  size_t first_index;   /* instances are numbered from here (0; a shrunk counterexample's
                           reproduce command sets it, see TC_SHRINK_FIRST_INDEX) */
  tc_progress_fn progress; /* called once per finished instance run, with done
                              = 1, 2, ..., total, never concurrently (but
                              possibly from a worker thread) */
  void *progress_data;
  unsigned jobs;        /* worker threads, 1..TC_MAX_THREADS; 0: one per core
                           this process may run on.  Results do not depend
                           on it. */
} tc_run_options;

void tc_run_options_init(tc_run_options *opt);

/* A concrete instance that makes the claim fail (or its worst case). */
typedef struct {
  size_t index;
  uint64_t seed;
  char *params;      /* "d=3, delta=0.5" */
  char *param_args;  /* "--param d=3 --param delta=0.5" */
  double x;          /* index variable of the worst row (NaN if none) */
  double lhs, rhs, ratio;
  char *note;        /* module's note */
} tc_witness;

/* One line of a claim's detail table: a parameter point (and checkpoint). */
typedef struct {
  char *params;
  double x;           /* checkpoint (expectation), `index` (probability) or NaN */
  size_t n, k;        /* instances; events (probability) */
  double estimate, lower, upper; /* p-hat/CP, mean/CI of lhs, slope/CI, max ratio */
  double bound;       /* required probability, rhs, stated exponent, 1 */
  double reference;   /* exact value (NaN if none) */
  int exact;          /* the verdict came from the exact value, not from sampling */
  int finite_sample;  /* the interval is finite-sample (empirical Bernstein), not asymptotic */
  tc_verdict verdict;
  double mark;        /* probability: the claim's `mark` at this point (NaN: none) */
} tc_point_summary;

/* err: the module's error estimate of lhs - rhs on that row (0: none), drawn in figures. */
typedef struct { double x, lhs, rhs, err; } tc_series_point;
typedef struct {
  char *label;
  size_t n;
  tc_series_point *p;
} tc_series;

/* What the recorded rows say about one mutant of the claim. */
typedef struct {
  const char *text;   /* the catalog's "rhs = 0.9 * rhs" (owned by the claim) */
  tc_verdict verdict; /* FAIL: this run refutes the mutant */
} tc_mutant_result;

typedef struct {
  int ran;
  tc_verdict verdict;
  char *reason;
  size_t instances, rows, errors, nonfinite, near; /* near: |lhs-rhs| within rounding */
  size_t reference_outside; /* points whose exact value is outside the interval */
  size_t exact_points;      /* points (checkpoints) decided by an exact value */
  size_t finite_sample_points; /* checkpoints decided by an empirical Bernstein interval */
  size_t looks, added_instances; /* sequential sampling: planned looks, instances it added */
  size_t informative_rows, floor_rows, trivial_rows; /* deterministic: rows in / out of tightness */
  size_t skewed;            /* sampled checkpoints whose sample is strongly skewed (t interval doubtful) */
  size_t beyond_double;     /* rows compared in MPFR whose lhs or rhs overflows double */
  /* Rows violated by more than rounding but within the module's error
   * estimate (undecided), and the worst one's lhs - rhs against its estimate. */
  size_t within_error;
  double within_error_margin, within_error_err;
  tc_mutant_result *mutants; /* one per catalog mutant, re-evaluated on the same rows */
  size_t nmutants, mutants_refuted;
  double tightness;   /* informative max (det, tightness.c), max mean/bound (exp),
                         max (1-p)/(1-p0) (prob), max |slope-alpha|/tol (rate) */
  tc_point_summary *points;
  size_t npoints;
  int has_witness;
  tc_witness witness;
  tc_series *series;
  size_t nseries;
  char *first_error;
} tc_precision_result;

typedef struct {
  const tc_claim *claim;
  tc_verdict verdict;
  char *reason;
  int disagree;          /* the backends' values differ beyond agree_tol */
  double max_rel_diff;
  char *disagree_note;
  tc_precision_result prec[TC_BACKEND_COUNT]; /* per backend (TC_BACKEND_*) */
  char *reproduce;       /* shell command reproducing the witness alone */
  int weak;              /* a PASS whose run refutes none of its mutants (or that lists none) */
  /* After a FAIL, the counterexample shrunk (src/engine/shrink.c): the
   * simplest point found that still fails on fresh instances, in every
   * precision that ran.  For a probability, expectation or rate claim,
   * lhs/rhs are those of the fresh sample's verdict at that point (the
   * statistic and its bound). */
  int has_shrunk;
  tc_witness shrunk;
  char *shrunk_reproduce; /* command that re-runs the shrunk counterexample alone */
  size_t shrink_runs;     /* instance runs spent shrinking (per precision) */
  size_t shrink_steps;    /* simplifications kept */
} tc_claim_result;

typedef struct {
  uint64_t seed;
  double confidence;
  mpfr_prec_t bits;
  int precision;
  size_t instances;
  tc_claim_result *claims;
  size_t n;
} tc_run_result;

/* Run the given claims.  Returns TC_SUCCESS when every claim produced a
 * verdict (whatever it is); TC_EDOM with a message naming the catalog
 * file:line when a parameter is impossible, and naming the flag when a
 * claim would exceed TC_MAX_JOBS instance runs, opt->jobs exceeds
 * TC_MAX_THREADS, or only_instance is not one of the claim's instances or
 * search steps (nothing is run then).
 *
 * A claim's instances run on opt->jobs threads, each writing its own
 * pre-allocated output; everything that combines them (statistics,
 * worst-case search steps, witnesses) runs on the calling thread in
 * instance order, so the result is the same, byte for byte, for any
 * number of threads.  GSL's error handler is turned off for the process
 * first (tc_gsl_errors_off), never toggled while threads run.  BLAS calls
 * are made from every worker: keep OpenBLAS to one thread of its own
 * (openblas_set_num_threads(1) or OPENBLAS_NUM_THREADS=1). */
int tc_run_claims(tc_run_result **out, const tc_claim *const *claims, size_t n,
                  const tc_run_options *opt, char *err, size_t errlen);
void tc_run_result_free(tc_run_result *r);

/* The input checks tc_run_claims makes before it runs anything (every
 * claim's parameters, overrides, instance counts), alone: a shard of an
 * audit checks every claim of the catalog, so that it fails exactly when
 * the one-process audit would. */
int tc_run_preflight(const tc_claim *const *claims, size_t n, const tc_run_options *opt, char *err,
                     size_t errlen);

/* Exit status for a finished run: 0 all PASS, 1 any FAIL, 3 any ERROR
 * (and no FAIL), 4 any INCONCLUSIVE (and no FAIL/ERROR). */
int tc_run_exit_status(const tc_run_result *r);

#endif
