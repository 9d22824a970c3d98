/* From rows to a verdict, one function per claim kind.  All interval
 * levels are Bonferroni-corrected over the tests a claim makes, so the
 * claim-level confidence is the one the user asked for. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

#define MAX_SERIES_POINTS 400

void tc_engine_precision_result_clear(tc_precision_result *pr)
{
  free(pr->reason);
  free(pr->first_error);
  for (size_t i = 0; i < pr->npoints; i++)
    free(pr->points[i].params);
  free(pr->points);
  free(pr->witness.params);
  free(pr->witness.param_args);
  free(pr->witness.note);
  for (size_t i = 0; i < pr->nseries; i++) {
    free(pr->series[i].label);
    free(pr->series[i].p);
  }
  free(pr->series);
  free(pr->mutants);
  memset(pr, 0, sizeof *pr);
}

void tc_engine_set_witness(tc_precision_result *pr, const claim_run *cr, size_t ji, size_t row,
                        double lhs, double rhs, double ratio, const job_output *o)
{
  const job *jb = &cr->jobs[ji];
  /* A later, worse witness replaces an earlier one. */
  free(pr->witness.params);
  free(pr->witness.param_args);
  free(pr->witness.note);
  pr->has_witness = 1;
  pr->witness.index = jb->index;
  pr->witness.seed = jb->seed;
  pr->witness.params = tc_engine_point_label(&jb->point, 0);
  pr->witness.param_args = tc_engine_point_label(&jb->point, 1);
  pr->witness.x = (o && row < o->nrows) ? o->x[row] : NAN;
  pr->witness.lhs = lhs;
  pr->witness.rhs = rhs;
  pr->witness.ratio = ratio;
  pr->witness.note = (o && o->note) ? strdup(o->note) : NULL;
}

tc_series *tc_engine_add_series(tc_precision_result *pr, const char *label, size_t n)
{
  tc_series *grown = realloc(pr->series, (pr->nseries + 1) * sizeof *grown);
  if (grown == NULL)
    return NULL;
  pr->series = grown;
  tc_series *s = &pr->series[pr->nseries++];
  s->label = strdup(label);
  s->n = 0;
  s->p = malloc((n ? n : 1) * sizeof *s->p);
  return s;
}

/* The rows of one job as a figure, thinned to a readable number of points. */
void tc_engine_series_from_job(tc_precision_result *pr, const job_output *o, const char *label)
{
  tc_series *s = tc_engine_add_series(pr, label, MAX_SERIES_POINTS + 1);
  if (s == NULL || s->p == NULL)
    return;
  size_t step = o->nrows > MAX_SERIES_POINTS ? (o->nrows + MAX_SERIES_POINTS - 1) / MAX_SERIES_POINTS : 1;
  for (size_t r = 0; r < o->nrows; r += step)
    s->p[s->n++] = (tc_series_point){o->x[r], o->lhs[r], o->rhs[r], o->err[r]};
  if (o->nrows > 0 && (o->nrows - 1) % step != 0) /* the last row, where a rate ends */
    s->p[s->n++] = (tc_series_point){o->x[o->nrows - 1], o->lhs[o->nrows - 1], o->rhs[o->nrows - 1],
                                     o->err[o->nrows - 1]};
}

tc_point_summary *tc_engine_add_point(tc_precision_result *pr, const char *params)
{
  tc_point_summary *grown = realloc(pr->points, (pr->npoints + 1) * sizeof *grown);
  if (grown == NULL)
    return NULL;
  pr->points = grown;
  tc_point_summary *p = &pr->points[pr->npoints++];
  memset(p, 0, sizeof *p);
  p->params = strdup(params ? params : "");
  p->x = p->reference = p->mark = NAN;
  return p;
}

static void count_basics(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  pr->instances = cr->njobs;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    if (o->status != TC_SUCCESS) {
      pr->errors++;
      if (pr->first_error == NULL)
        pr->first_error = tc_strdupf("instance %zu: %s", cr->jobs[i].index,
                                     o->error ? o->error : "error");
      continue;
    }
    pr->rows += o->nrows;
    pr->beyond_double += o->beyond_double;
    for (size_t r = 0; r < o->nrows; r++) {
      pr->nonfinite += o->row_class[r] == ROW_NONFINITE;
      pr->near += o->row_class[r] == ROW_NEAR;
      pr->within_error += o->row_class[r] == ROW_WITHIN_ERROR;
    }
  }
}

/* No verdict without evidence: errors and NaN/Inf make a claim ERROR
 * unless a finite counterexample already decides it. */
int tc_engine_has_defects(const tc_precision_result *pr)
{
  return pr->errors > 0 || pr->nonfinite > 0 || pr->rows == 0;
}

char *tc_engine_defect_reason(const tc_precision_result *pr)
{
  if (pr->errors)
    return tc_strdupf("%zu of %zu instances failed to run (first: %s)", pr->errors, pr->instances,
                      pr->first_error ? pr->first_error : "?");
  if (pr->nonfinite)
    return tc_strdupf("%zu rows have NaN or Inf in lhs or rhs; NaN/Inf never passes", pr->nonfinite);
  return strdup("no rows were measured");
}

/* The last word of every kind: a claim PASSes (or is INCONCLUSIVE) only
 * if every point it tested has evidence.  A point without evidence (no
 * successful instance, no usable bound, too few values for a fit) makes the
 * claim ERROR; only a FAIL decided by a finite violation stands above it. */
static void require_evidence(tc_precision_result *pr)
{
  if (pr->verdict == TC_FAIL || pr->verdict == TC_ERROR)
    return;
  size_t empty = 0, first = SIZE_MAX;
  for (size_t i = 0; i < pr->npoints; i++)
    if (pr->points[i].verdict == TC_ERROR || pr->points[i].n == 0) {
      empty++;
      if (first == SIZE_MAX)
        first = i;
    }
  if (empty == 0 && pr->npoints > 0 && !tc_engine_has_defects(pr))
    return;
  char *why = empty ? tc_strdupf("%zu of %zu points have no evidence (first: %s); a claim "
                                 "with any point without evidence cannot pass",
                                 empty, pr->npoints, pr->points[first].params)
              : pr->npoints == 0 ? strdup("no point was tested")
                                 : tc_engine_defect_reason(pr);
  free(pr->reason);
  pr->reason = why;
  pr->verdict = TC_ERROR;
}

/* Values beyond double's range were compared in MPFR; the double copies
 * in the report read inf, so say what they are. */
static void note_beyond_double(tc_precision_result *pr)
{
  if (pr->beyond_double == 0 || pr->reason == NULL)
    return;
  char *longer = tc_strdupf("%s; %zu rows have lhs or rhs beyond double's range (about "
                            "1.8e308): they were compared in MPFR, and 'inf' in the report "
                            "stands for such a finite value",
                            pr->reason, pr->beyond_double);
  free(pr->reason);
  pr->reason = longer;
}

/* The claim kind's decision on a set of job outputs (the measured rows, or
 * a mutant's view of them). */
void tc_engine_aggregate_outputs(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  memset(pr, 0, sizeof *pr);
  pr->ran = 1;
  pr->tightness = NAN;
  pr->within_error_margin = pr->within_error_err = NAN;
  count_basics(pr, cr, out);
  switch (cr->claim->kind) {
  case TC_KIND_DETERMINISTIC: tc_engine_aggregate_deterministic(pr, cr, out); break;
  case TC_KIND_PROBABILITY: tc_engine_aggregate_probability(pr, cr, out); break;
  case TC_KIND_EXPECTATION: tc_engine_aggregate_expectation(pr, cr, out); break;
  case TC_KIND_RATE: tc_engine_aggregate_rate(pr, cr, out); break;
  }
  /* `reproduce` runs one instance of one point: the others have no jobs
   * by design, and its verdict speaks of that instance alone. */
  if (cr->opt->only_instance < 0)
    require_evidence(pr);
  note_beyond_double(pr);
}

/* Sequential sampling: how many instances it added, and the price paid
 * for looking more than once (each look at level alpha / looks). */
static void note_sequential(tc_precision_result *pr, const claim_run *cr)
{
  pr->looks = cr->looks ? cr->looks : 1;
  pr->added_instances = cr->added;
  if (pr->looks < 2 || pr->reason == NULL)
    return;
  char *longer = tc_strdupf("%s; sequential sampling: %zu instances added at undecided points "
                            "(up to %zu per point; each of %zu looks at level alpha/%zu)",
                            pr->reason, cr->added, cr->stride, pr->looks, pr->looks);
  free(pr->reason);
  pr->reason = longer;
}

void tc_engine_aggregate(tc_precision_result *pr, const claim_run *cr, int backend)
{
  const job_output *out = cr->out[backend];
  tc_engine_aggregate_outputs(pr, cr, out);
  tc_engine_mutants_aggregate(pr, cr, out);
  note_sequential(pr, cr);
  /* `reproduce` runs one instance: whatever the kind, show its rows and
   * name it, so the instance can be read on its own. */
  if (cr->opt->only_instance >= 0 && cr->njobs == 1 && out[0].status == TC_SUCCESS) {
    if (!pr->has_witness)
      tc_engine_set_witness(pr, cr, 0, 0, out[0].lhs[0], out[0].rhs[0], out[0].ratio[0], &out[0]);
    if (cr->claim->kind == TC_KIND_PROBABILITY)
      tc_engine_series_from_job(pr, &out[0], "the instance");
  }
  /* The module's exact value should lie in the Monte Carlo interval; when
   * it does not, the estimate or the exact formula is wrong, and the report
   * must say so whatever the verdict. */
  if (pr->reference_outside && pr->reason) {
    char *longer = tc_strdupf("%s; NOTE: the exact value lies outside the interval at %zu "
                              "point(s), so the estimate or the exact formula is suspect",
                              pr->reason, pr->reference_outside);
    free(pr->reason);
    pr->reason = longer;
    /* A PASS that the exact value decides while the sample contradicts
     * that value rests on a wrong formula as likely as on the theorem
     * (`reference = 1` passed P >= 0.9 for an event of probability 0.5):
     * never PASS on it. */
    if (pr->verdict == TC_PASS && cr->opt->only_instance < 0 && pr->exact_points > 0) {
      pr->verdict = TC_ERROR;
      longer = tc_strdupf("the exact value decided PASS, but %s", pr->reason);
      free(pr->reason);
      pr->reason = longer;
    }
  }
  if (!isfinite(pr->tightness))
    pr->tightness = isinf(pr->tightness) && pr->tightness > 0 ? INFINITY : NAN;
}
