/* Private to the engine: the measured rows of every job, per backend. */
#ifndef TC_ENGINE_IMPL_H
#define TC_ENGINE_IMPL_H

#include "tc_engine.h"
/* Internal to libthmcheck: not exported (see Makefile.am). */
#pragma GCC visibility push(hidden)

/* NEAR: violated by no more than the backend's rounding allowance (holds);
 * WITHIN_ERROR: violated by more than that but not more than the module's
 * `error` estimate (undecided: the claim is at best INCONCLUSIVE). */
enum { ROW_HOLDS = 0, ROW_NEAR = 1, ROW_VIOLATED = 2, ROW_NONFINITE = 3, ROW_WITHIN_ERROR = 4 };
/* Why a row's tightness is or is not counted (tightness.c). */
enum { TIGHT_INFORMATIVE = 0, TIGHT_FLOOR = 1, TIGHT_TRIVIAL = 2 };

/* One instance to run: its index, seed and parameter point. */
typedef struct {
  size_t index;
  uint64_t seed;
  size_t group;       /* grid point it belongs to (search jobs: SIZE_MAX) */
  int from_search;
  tc_point point;     /* owns names? no: names borrowed from the claim */
  char **texts;       /* owned texts of the point values */
} job;

/* One mutant's view of a job: the rows re-evaluated with the mutated
 * expression (arrays NULL when the mutant leaves lhs and rhs alone). */
typedef struct {
  double *lhs, *rhs, *ratio, *diff;
  unsigned char *row_class;
  double prob_bound, exponent;
  double prob_lo, prob_hi; /* prob_bound rounded down and up (see job_output) */
} job_mutant;

/* What one job produced in one precision. */
typedef struct {
  int status;         /* TC_SUCCESS or the module's error */
  char *error;
  char *note;
  size_t nrows;
  double *x, *lhs, *rhs, *ratio, *err; /* err: module's error estimate (0 if none) */
  double *tight;      /* informative tightness per row (NaN: excluded, see tightness.c) */
  double *diff;       /* expectation claims: lhs - rhs taken in MPFR, rounded away from 0 */
  size_t floor_rows, trivial_rows; /* rows excluded from tightness, by reason */
  double *ref;        /* module's exact value per row (NaN: none; NULL in a mutant view it does not apply to) */
  unsigned char *row_class;
  double prob_bound;  /* probability claims: required P(E) at this job */
  double prob_lo, prob_hi; /* the same rounded down and up: FAIL needs the interval below
                            * prob_lo, PASS above prob_hi (1e-400 is not 0) */
  double exponent;    /* rate claims */
  double sweep;       /* rate claims: the swept parameter's value */
  double mark;        /* probability claims: `mark` on the first row (NaN: none) */
  size_t beyond_double; /* rows whose MPFR lhs or rhs is finite but beyond double range */
  job_mutant *mut;      /* nmut entries (the claim's mutants), or NULL */
  size_t nmut;
} job_output;

typedef struct {
  const tc_claim *claim;
  const tc_run_options *opt;
  job *jobs;
  size_t njobs, cap;
  size_t ngroups;
  char **group_labels;   /* "d=3, delta=0.5" per grid point */
  job_output *out[TC_BACKEND_COUNT]; /* per backend (TC_BACKEND_*); NULL when not run */
  size_t per;            /* instances per point in the first batch */
  size_t stride;         /* instance indices per point (> per with sequential sampling) */
  size_t grid_groups;    /* points of the grid (a search may add a confirmation point after them) */
  size_t looks;          /* planned looks at the data (sequential sampling; 0 or 1: one) */
  size_t added;          /* instances added by sequential sampling */
} claim_run;

/* The parameter list of a claim after --param overrides. */
typedef struct {
  const char *name;
  int line;
  int is_range, log_scale;
  double lo, hi;
  size_t nvalues;
  const char *const *texts;
  const double *values;
  int at_mid;             /* probability/expectation: a range fixed at its middle (search explores it) */
  int tuple;           /* joint tuple id (0: none); members are adjacent */
  const size_t *rows;  /* tuple members: the catalog rows left after --param (NULL: all) */
  /* storage for an override */
  const char *override_text;
  double override_value;
} grid_param;

typedef struct {
  size_t done, total;
} progress_state;

/* grid.c */
int tc_engine_grid_params(grid_param **out, size_t *nout, const tc_claim *cl,
                          const tc_run_options *opt, char *err, size_t errlen);
size_t tc_engine_grid_size(const grid_param *g, size_t n);
char *tc_engine_format_value(double v);
job *tc_engine_new_job(claim_run *cr);
void tc_engine_job_clear(job *jb);
int tc_engine_build_jobs(claim_run *cr, const grid_param *g, size_t n, char *err, size_t errlen);
void tc_engine_claim_run_clear(claim_run *cr);
int tc_engine_add_job(claim_run *cr, const grid_param *g, size_t n, size_t k, size_t gi);
int tc_engine_grow_outputs(claim_run *cr);

/* sequential.c */
size_t tc_engine_planned_looks(size_t per, size_t stride);
int tc_engine_run_sequential(claim_run *cr, const grid_param *g, size_t n, int mask,
                             progress_state *ps);
/* The level of each of `tests` tests: the claim's error rate split over
 * them and over the looks of sequential sampling (Bonferroni). */
double tc_engine_alpha(const claim_run *cr, size_t tests);

/* run_claims.c */
void tc_engine_report_progress(const claim_run *cr, progress_state *ps);
/* Run jobs [from, to) in the backends of mask (bit b: out[b]) on the
 * run's threads; progress is reported per run, never concurrently. */
int tc_engine_run_jobs(claim_run *cr, size_t from, size_t to, int mask, progress_state *ps);
/* The same in one backend (TC_BACKEND_*). */
int tc_engine_run_range(claim_run *cr, size_t from, size_t to, int backend, progress_state *ps);

/* backends.c: which backend of a set (bit b: backend b) leads.  The main
 * one, the most exact (last in the table); the cheapest (first); -1 for
 * an empty set.  Backends in a set: popcount. */
int tc_engine_main_backend(int mask);
int tc_engine_cheapest_backend(int mask);
int tc_engine_backend_count(int mask);
/* The set of backends a claim run has outputs for (out[b] != NULL). */
int tc_engine_run_mask(const claim_run *cr);

/* search.c */
int tc_engine_job_at(claim_run *cr, size_t index, size_t group, size_t src_job, const double *values,
                     const grid_param *g, size_t n);
void tc_engine_search_propose(double *values, const double *from, const grid_param *g, size_t n,
                              gsl_rng *rng, size_t step, size_t steps);
int tc_engine_run_search(claim_run *cr, const grid_param *g, size_t n, int primary,
                         progress_state *ps);

/* search_stats.c */
int tc_engine_run_search_stats(claim_run *cr, const grid_param *g, size_t n, int mask,
                               progress_state *ps);
size_t tc_engine_search_stats_jobs(const tc_claim *cl, size_t per);
/* shrink.c: after a FAIL, a simpler counterexample into res->shrunk */
void tc_engine_shrink(tc_claim_result *res, const claim_run *cr, const grid_param *g, size_t n);
void tc_engine_shrunk_clear(tc_claim_result *res);

/* compare.c */
void tc_engine_combine(tc_claim_result *res, const claim_run *cr);

/* What the catalog's names resolve to on one row: a mutant's own field
 * (orig[], when set), then the row's values, then the parameters, then
 * the defaults of the module's parameter specs. */
typedef struct {
  const tc_record *rec;
  size_t row;
  const tc_point *point;
  mpfr_srcptr orig[4]; /* lhs, rhs, probability, exponent (tc_mutate_field order) */
  const tc_check *check; /* parameters absent from the point: their spec's default */
} lookup_data;

/* prepare.c: a module's data for one (point, backend), see tc_check.h */
typedef struct {
  void *data;   /* what prepare made (NULL: no prepare, or it failed) */
  int status;   /* prepare's status; its jobs are ERROR when not TC_SUCCESS */
  char *error;
} prepared_point;

int tc_engine_same_point(const job *a, const job *b);
void tc_engine_prepare(prepared_point *pp, const claim_run *cr, const job *j, int backend);
void tc_engine_release(prepared_point *pp, const claim_run *cr, int backend);

/* run_job.c */
int tc_engine_run_job(job_output *o, const claim_run *cr, const job *j, int backend,
                      const prepared_point *pp);
int tc_engine_lookup(mpfr_ptr value, const char *name, void *data);
int tc_engine_eval(mpfr_ptr value, const tc_expr *e, lookup_data *ld, char *msg, size_t msglen);
int tc_engine_classify_row(mpfr_srcptr lhs, mpfr_srcptr rhs, long allow_exp2, long res_exp2, mpfr_srcptr err);
double tc_engine_row_diff(mpfr_srcptr lhs, mpfr_srcptr rhs);
mpfr_rnd_t tc_engine_rhs_rounding(tc_kind kind);
int tc_engine_double_class(int cls, double lhs, double rhs, tc_kind kind, size_t *beyond);
double tc_engine_row_ratio(mpfr_srcptr lhs, mpfr_srcptr rhs, mpfr_ptr tmp);

/* tightness.c */
double tc_engine_row_tightness(int *why, int cls, mpfr_srcptr lhs, mpfr_srcptr rhs,
                               mpfr_srcptr baseline, mpfr_srcptr err);

/* mutants.c */
int tc_engine_mutants_alloc(job_output *o, const tc_claim *cl, size_t nrows);
void tc_engine_mutants_row(job_output *o, size_t r, const tc_claim *cl, lookup_data *ld,
                           mpfr_srcptr lhs, mpfr_srcptr rhs, mpfr_srcptr err, long allow_exp2,
                           long res_exp2);
void tc_engine_mutants_job(job_output *o, const tc_claim *cl, lookup_data *ld, mpfr_prec_t bits);
void tc_engine_mutants_clear(job_output *o);
void tc_engine_mutants_aggregate(tc_precision_result *pr, const claim_run *cr, const job_output *out);
void tc_engine_job_output_clear(job_output *o);
char *tc_engine_point_label(const tc_point *p, int as_args);

/* aggregate.c: the per-kind aggregators' shared pieces */
void tc_engine_aggregate(tc_precision_result *pr, const claim_run *cr, int backend);
void tc_engine_aggregate_outputs(tc_precision_result *pr, const claim_run *cr, const job_output *out);
void tc_engine_precision_result_clear(tc_precision_result *pr);
void tc_engine_set_witness(tc_precision_result *pr, const claim_run *cr, size_t ji, size_t row,
                           double lhs, double rhs, double ratio, const job_output *o);
tc_series *tc_engine_add_series(tc_precision_result *pr, const char *label, size_t n);
void tc_engine_series_from_job(tc_precision_result *pr, const job_output *o, const char *label);
tc_point_summary *tc_engine_add_point(tc_precision_result *pr, const char *params);
int tc_engine_has_defects(const tc_precision_result *pr);
char *tc_engine_defect_reason(const tc_precision_result *pr);

/* aggregate_<kind>.c */
void tc_engine_aggregate_deterministic(tc_precision_result *pr, const claim_run *cr,
                                       const job_output *out);
void tc_engine_aggregate_probability(tc_precision_result *pr, const claim_run *cr,
                                     const job_output *out);
void tc_engine_aggregate_expectation(tc_precision_result *pr, const claim_run *cr,
                                     const job_output *out);
void tc_engine_aggregate_rate(tc_precision_result *pr, const claim_run *cr, const job_output *out);

/* A formatted, heap-allocated string (never NULL: "" on failure). */
char *tc_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#pragma GCC visibility pop
#endif
