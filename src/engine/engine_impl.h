/* Private to the engine: the measured rows of every job, per precision. */
#ifndef TC_ENGINE_IMPL_H
#define TC_ENGINE_IMPL_H

#include "tc_engine.h"

enum { ROW_HOLDS = 0, ROW_NEAR = 1, ROW_VIOLATED = 2, ROW_NONFINITE = 3 };

/* One instance to run: its index, seed and parameter point. */
typedef struct {
  size_t index;
  uint64_t seed;
  size_t group;       /* grid point it belongs to (search jobs: SIZE_MAX) */
  int from_search;
  tc_point point;     /* owns names? no: names borrowed from the claim */
  char **texts;       /* owned texts of the point values */
} job;

/* What one job produced in one precision. */
typedef struct {
  int status;         /* TC_SUCCESS or the module's error */
  char *error;
  char *note;
  size_t nrows;
  double *x, *lhs, *rhs, *ref, *ratio, *err; /* err: module's error estimate (0 if none) */
  unsigned char *row_class;
  double prob_bound;  /* probability claims: required P(E) at this job */
  double exponent;    /* rate claims */
  double sweep;       /* rate claims: the swept parameter's value */
  size_t beyond_double; /* rows whose MPFR lhs or rhs is finite but beyond double range */
} job_output;

typedef struct {
  const tc_claim *claim;
  const tc_run_options *opt;
  job *jobs;
  size_t njobs, cap;
  size_t ngroups;
  char **group_labels;   /* "d=3, delta=0.5" per grid point */
  job_output *out[2];    /* [0] double, [1] MPFR; NULL when not run */
} claim_run;

/* run.c */
int tc_engine_run_job(job_output *o, const claim_run *cr, const job *j, int use_mpfr);
void tc_engine_job_output_clear(job_output *o);
char *tc_engine_point_label(const tc_point *p, int as_args);

/* aggregate.c */
void tc_engine_aggregate(tc_precision_result *pr, const claim_run *cr, int which);
void tc_engine_precision_result_clear(tc_precision_result *pr);

/* A formatted, heap-allocated string (never NULL: "" on failure). */
char *tc_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
