/* Expectation claims: per point and checkpoint, an interval for the mean
 * of lhs - rhs, Bonferroni-corrected over every checkpoint tested. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

void tc_engine_aggregate_expectation(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  /* Every job of a group must report the same checkpoints. */
  size_t tests = 0;
  for (size_t gi = 0; gi < cr->ngroups; gi++)
    for (size_t i = 0; i < cr->njobs; i++)
      if (cr->jobs[i].group == gi && out[i].status == TC_SUCCESS) {
        tests += out[i].nrows;
        break;
      }
  double alpha = (1.0 - cr->opt->confidence) / (double)(tests ? tests : 1);
  int any_fail = 0, any_inc = 0, mismatch = 0;
  double tight = -INFINITY, worst_fail = -INFINITY;
  size_t worst_group = SIZE_MAX;
  double *diff = malloc((cr->njobs ? cr->njobs : 1) * sizeof *diff);
  double *lhs = malloc((cr->njobs ? cr->njobs : 1) * sizeof *lhs);
  for (size_t gi = 0; gi < cr->ngroups && diff && lhs; gi++) {
    size_t nrows = SIZE_MAX, first = SIZE_MAX;
    for (size_t i = 0; i < cr->njobs; i++)
      if (cr->jobs[i].group == gi && out[i].status == TC_SUCCESS) {
        if (nrows == SIZE_MAX) {
          nrows = out[i].nrows;
          first = i;
        } else if (out[i].nrows != nrows) {
          mismatch = 1;
        }
      }
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL)
      break;
    if (nrows == SIZE_MAX) {
      p->verdict = TC_ERROR;
      continue;
    }
    tc_series *s = NULL;
    double group_worst = -INFINITY;
    tc_point_summary best = *p;
    best.verdict = TC_PASS;
    tc_verdict group_verdict = TC_PASS;
    for (size_t r = 0; r < nrows; r++) {
      size_t n = 0;
      long double rhs_sum = 0, ref_sum = 0; /* see aggregate_probability */
      size_t ref_n = 0;
      for (size_t i = 0; i < cr->njobs; i++) {
        const job_output *o = &out[i];
        if (cr->jobs[i].group != gi || o->status != TC_SUCCESS || r >= o->nrows ||
            o->row_class[r] == ROW_NONFINITE)
          continue;
        diff[n] = o->lhs[r] - o->rhs[r];
        lhs[n] = o->lhs[r];
        rhs_sum += o->rhs[r];
        if (!isnan(o->ref[r])) {
          ref_sum += o->ref[r];
          ref_n++;
        }
        n++;
      }
      if (n < 2) {
        group_verdict = TC_ERROR;
        continue;
      }
      double dmean, dlo, dhi, sd, mean, lo, hi;
      tc_mean_ci(&dmean, &dlo, &dhi, &sd, diff, n, 1.0 - alpha);
      tc_mean_ci(&mean, &lo, &hi, &sd, lhs, n, 1.0 - alpha);
      double bound = (double)(rhs_sum / (long double)n);
      tc_verdict v = dhi <= 0 ? TC_PASS : dlo > 0 ? TC_FAIL : TC_INCONCLUSIVE;
      double ratio = bound > 0 ? mean / bound : (mean > 0 ? INFINITY : 1.0);
      if (ratio > tight)
        tight = ratio;
      if (s == NULL && (s = tc_engine_add_series(pr, cr->group_labels[gi], nrows)) != NULL && s->p == NULL)
        s = NULL;
      if (s)
        s->p[s->n++] = (tc_series_point){out[first].x[r], mean, bound};
      /* Per point, show the checkpoint that is worst for the claim. */
      int worse = (v == TC_FAIL && best.verdict != TC_FAIL) ||
                  ((v == TC_FAIL) == (best.verdict == TC_FAIL) && ratio > group_worst);
      if (worse) {
        group_worst = ratio;
        best.x = out[first].x[r];
        best.n = n;
        best.estimate = mean;
        best.lower = lo;
        best.upper = hi;
        best.bound = bound;
        best.reference = ref_n ? (double)(ref_sum / (long double)ref_n) : NAN;
        best.verdict = v;
      }
      double ref = ref_n ? (double)(ref_sum / (long double)ref_n) : NAN;
      /* A t interval on fewer runs says little about skewed samples. */
      pr->reference_outside += n >= 30 && !isnan(ref) && (ref < lo || ref > hi);
      if (v == TC_FAIL)
        group_verdict = TC_FAIL;
      else if (v == TC_INCONCLUSIVE && group_verdict == TC_PASS)
        group_verdict = TC_INCONCLUSIVE;
    }
    best.verdict = group_verdict;
    *p = best;
    any_fail |= group_verdict == TC_FAIL;
    any_inc |= group_verdict == TC_INCONCLUSIVE || group_verdict == TC_ERROR;
    if (group_verdict == TC_FAIL && group_worst > worst_fail) {
      worst_fail = group_worst;
      worst_group = gi;
      tc_engine_set_witness(pr, cr, first, SIZE_MAX, p->estimate, p->bound, group_worst, &out[first]);
      pr->witness.x = p->x;
    }
  }
  free(diff);
  free(lhs);
  pr->tightness = tight;
  if (any_fail) {
    const tc_point_summary *p = &pr->points[worst_group];
    char exact[80] = "";
    if (!isnan(p->reference))
      snprintf(exact, sizeof exact, " (exact expectation %.6g)", p->reference);
    pr->verdict = TC_FAIL;
    pr->reason = tc_strdupf("at %s, checkpoint %g: mean lhs = %.6g, %.4g%% CI [%.6g, %.6g] lies above "
                            "the bound %.6g%s",
                            p->params, p->x, p->estimate, 100 * (1 - alpha), p->lower, p->upper,
                            p->bound, exact);
  } else if (tc_engine_has_defects(pr) || mismatch) {
    pr->verdict = TC_ERROR;
    pr->reason = mismatch ? strdup("instances of one point reported different numbers of checkpoints")
                          : tc_engine_defect_reason(pr);
  } else if (any_inc) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = strdup("at some checkpoints the confidence interval of the mean contains the bound");
  } else {
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("at every point and checkpoint the upper confidence end of the mean "
                            "is <= the bound; tightness max mean/bound = %.4g", pr->tightness);
  }
}
