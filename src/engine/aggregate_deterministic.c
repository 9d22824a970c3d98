/* Deterministic claims: any violated row is a FAIL (the worst row is the
 * counterexample); tightness is the largest informative tightness
 * (tightness.c): rows at the rounding floor and rows where the bound is
 * trivially attained are excluded and counted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

/* Per grid point: instances, violated rows, rows within the module's
 * error estimate, largest informative tightness. */
typedef struct {
  double *max;
  size_t *n, *viol, *within;
} group_tally;

/* The witness: the worst violation if there is one, else the row within
 * the error estimate whose violation is the largest part of its estimate,
 * else the tightest informative row, so a report always shows where the
 * bound is closest.  rank: 2 violation, 1 within error, 0 holds. */
typedef struct {
  size_t job, row, violations;
  double key;
  int rank;
} witness_pick;

static void consider_row(witness_pick *w, const job_output *o, size_t i, size_t r)
{
  int rank = o->row_class[r] == ROW_VIOLATED ? 2 : o->row_class[r] == ROW_WITHIN_ERROR ? 1 : 0;
  double key = rank == 2   ? (isnan(o->ratio[r]) ? o->lhs[r] - o->rhs[r] : o->ratio[r])
               : rank == 1 ? (o->lhs[r] - o->rhs[r]) / o->err[r]
                           : o->tight[r];
  if (rank == 0 && isnan(key))
    return;
  w->violations += rank == 2;
  if (rank > w->rank || (rank == w->rank && key > w->key))
    *w = (witness_pick){i, r, w->violations, key, rank};
}

static void tally_rows(tc_precision_result *pr, group_tally *g, witness_pick *w,
                       const claim_run *cr, const job_output *out)
{
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    size_t gi = cr->jobs[i].group;
    int grouped = gi < cr->ngroups;
    if (o->status != TC_SUCCESS)
      continue;
    g->n[gi] += grouped;
    pr->floor_rows += o->floor_rows;
    pr->trivial_rows += o->trivial_rows;
    for (size_t r = 0; r < o->nrows; r++) {
      if (o->row_class[r] == ROW_NONFINITE)
        continue;
      double t = o->tight[r];
      if (!isnan(t)) {
        pr->informative_rows++;
        pr->tightness = fmax(pr->tightness, t);
        if (grouped)
          g->max[gi] = fmax(g->max[gi], t);
      }
      if (grouped && o->row_class[r] == ROW_VIOLATED)
        g->viol[gi]++;
      if (grouped && o->row_class[r] == ROW_WITHIN_ERROR)
        g->within[gi]++;
      consider_row(w, o, i, r);
    }
  }
}

static void add_points(tc_precision_result *pr, const claim_run *cr, const group_tally *g)
{
  for (size_t gi = 0; gi < cr->ngroups; gi++) {
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL)
      break;
    p->n = g->n[gi];
    p->k = g->viol[gi];
    /* A point without informative rows has no tightness, not -inf. */
    p->estimate = g->max[gi] == -INFINITY ? NAN : g->max[gi];
    p->bound = 1.0;
    p->verdict = g->viol[gi]     ? TC_FAIL
                 : !g->n[gi]     ? TC_ERROR
                 : g->within[gi] ? TC_INCONCLUSIVE
                                 : TC_PASS;
  }
}

static char *pass_reason(const tc_precision_result *pr, const tc_claim *cl)
{
  if (!pr->informative_rows)
    return tc_strdupf("lhs <= rhs on all %zu rows of %zu instances; no informative row to give a "
                      "tightness (excluded: %zu at the rounding floor, %zu where the bound is "
                      "trivially attained)",
                      pr->rows, pr->instances, pr->floor_rows, pr->trivial_rows);
  return tc_strdupf("lhs <= rhs on all %zu rows of %zu instances; tightness %s = %.6g over %zu "
                    "informative rows (excluded: %zu at the rounding floor, %zu where the bound "
                    "is trivially attained)",
                    pr->rows, pr->instances,
                    cl->baseline ? "log(baseline/rhs)/log(baseline/lhs)" : "max lhs/rhs",
                    pr->tightness, pr->informative_rows, pr->floor_rows, pr->trivial_rows);
}

/* No row violated beyond the module's error estimate, but some by more
 * than rounding: the data cannot tell a holding bound from a failing one.
 * run_claims.c appends the command that reproduces the worst such row. */
static char *within_error_reason(const tc_precision_result *pr, const tc_claim *cl, size_t row)
{
  const char *index_name = cl->index_name ? cl->index_name : "row";
  double at = cl->index_name ? pr->witness.x : (double)row;
  return tc_strdupf("no row violates lhs <= rhs beyond the module's error estimate, but %zu rows "
                    "violate it within that estimate (undecided); worst at instance %zu (%s), "
                    "%s = %g: lhs - rhs = %.6g within error %.6g (lhs = %.6g, rhs = %.6g)",
                    pr->within_error, pr->witness.index, pr->witness.params, index_name, at,
                    pr->within_error_margin, pr->within_error_err, pr->witness.lhs,
                    pr->witness.rhs);
}

void tc_engine_aggregate_deterministic(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  size_t ng = cr->ngroups ? cr->ngroups : 1;
  group_tally g = {malloc(ng * sizeof *g.max), calloc(ng, sizeof *g.n), calloc(ng, sizeof *g.viol),
                   calloc(ng, sizeof *g.within)};
  witness_pick w = {SIZE_MAX, 0, 0, -INFINITY, 0};
  pr->tightness = -INFINITY;
  if (g.max && g.n && g.viol && g.within) {
    for (size_t gi = 0; gi < ng; gi++)
      g.max[gi] = -INFINITY;
    tally_rows(pr, &g, &w, cr, out);
    add_points(pr, cr, &g);
  }
  free(g.max);
  free(g.n);
  free(g.viol);
  free(g.within);
  if (w.job != SIZE_MAX) {
    const job_output *o = &out[w.job];
    tc_engine_set_witness(pr, cr, w.job, w.row, o->lhs[w.row], o->rhs[w.row], o->ratio[w.row], o);
    tc_engine_series_from_job(pr, o, w.rank == 2   ? "counterexample"
                                     : w.rank == 1 ? "worst row within the error estimate"
                                                   : "tightest instance");
    if (w.rank == 1) {
      pr->within_error_margin = o->lhs[w.row] - o->rhs[w.row];
      pr->within_error_err = o->err[w.row];
    }
  }
  if (w.violations) {
    pr->verdict = TC_FAIL;
    const char *index_name = cr->claim->index_name ? cr->claim->index_name : "row";
    double at = cr->claim->index_name ? pr->witness.x : (double)w.row;
    pr->reason = tc_strdupf("lhs > rhs on %zu rows; worst at instance %zu (%s), %s = %g: "
                            "lhs = %.6g > rhs = %.6g (ratio %.6g)",
                            w.violations, pr->witness.index, pr->witness.params, index_name, at,
                            pr->witness.lhs, pr->witness.rhs, pr->witness.ratio);
  } else if (tc_engine_has_defects(pr)) {
    pr->verdict = TC_ERROR;
    pr->reason = tc_engine_defect_reason(pr);
  } else if (pr->within_error) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = within_error_reason(pr, cr->claim, w.row);
  } else {
    pr->verdict = TC_PASS;
    pr->reason = pass_reason(pr, cr->claim);
  }
}
