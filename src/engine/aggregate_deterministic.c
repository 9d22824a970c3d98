/* Deterministic claims: any violated row is a FAIL (the worst row is the
 * counterexample); tightness is the largest lhs/rhs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

void tc_engine_aggregate_deterministic(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  double worst_ratio = -INFINITY, tight = -INFINITY;
  size_t worst_job = SIZE_MAX, worst_row = 0, violations = 0;
  int worst_is_violation = 0;
  double *group_max = malloc((cr->ngroups ? cr->ngroups : 1) * sizeof *group_max);
  size_t *group_n = calloc(cr->ngroups ? cr->ngroups : 1, sizeof *group_n);
  size_t *group_viol = calloc(cr->ngroups ? cr->ngroups : 1, sizeof *group_viol);
  for (size_t gi = 0; gi < cr->ngroups && group_max; gi++)
    group_max[gi] = -INFINITY;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    size_t gi = cr->jobs[i].group;
    if (o->status != TC_SUCCESS)
      continue;
    if (group_n && gi < cr->ngroups)
      group_n[gi]++;
    for (size_t r = 0; r < o->nrows; r++) {
      int cls = o->row_class[r];
      if (cls == ROW_NONFINITE)
        continue;
      double ratio = o->ratio[r];
      /* Equal within rounding: a rhs of exactly 0 must not read as ratio inf. */
      if (cls == ROW_NEAR && ratio > 1)
        ratio = 1;
      if (!isnan(ratio) && ratio > tight)
        tight = ratio;
      if (group_max && gi < cr->ngroups && !isnan(ratio) && ratio > group_max[gi])
        group_max[gi] = ratio;
      int viol = cls == ROW_VIOLATED;
      violations += viol;
      if (viol && group_viol && gi < cr->ngroups)
        group_viol[gi]++;
      /* The witness is the worst violation if there is one, else the
       * tightest row: a report always shows where the bound is closest. */
      double key = isnan(ratio) ? (o->lhs[r] - o->rhs[r]) : ratio;
      if ((viol && !worst_is_violation) || (viol == worst_is_violation && key > worst_ratio)) {
        worst_ratio = key;
        worst_job = i;
        worst_row = r;
        worst_is_violation = viol;
      }
    }
  }
  pr->tightness = tight;
  for (size_t gi = 0; gi < cr->ngroups && group_max; gi++) {
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL)
      break;
    p->n = group_n[gi];
    p->k = group_viol[gi];
    p->estimate = group_max[gi];
    p->bound = 1.0;
    p->verdict = group_viol[gi] ? TC_FAIL : group_n[gi] ? TC_PASS : TC_ERROR;
  }
  free(group_max);
  free(group_n);
  free(group_viol);
  if (worst_job != SIZE_MAX) {
    const job_output *o = &out[worst_job];
    tc_engine_set_witness(pr, cr, worst_job, worst_row, o->lhs[worst_row], o->rhs[worst_row],
                o->ratio[worst_row], o);
    tc_engine_series_from_job(pr, o, worst_is_violation ? "counterexample" : "tightest instance");
  }
  if (violations) {
    pr->verdict = TC_FAIL;
    const char *index_name = cr->claim->index_name ? cr->claim->index_name : "row";
    double at = cr->claim->index_name ? pr->witness.x : (double)worst_row;
    pr->reason = tc_strdupf("lhs > rhs on %zu rows; worst at instance %zu (%s), %s = %g: "
                            "lhs = %.6g > rhs = %.6g (ratio %.6g)",
                            violations, pr->witness.index, pr->witness.params, index_name, at,
                            pr->witness.lhs, pr->witness.rhs, pr->witness.ratio);
  } else if (tc_engine_has_defects(pr)) {
    pr->verdict = TC_ERROR;
    pr->reason = tc_engine_defect_reason(pr);
  } else {
    char near[80] = "";
    if (pr->near)
      snprintf(near, sizeof near, " (%zu rows equal within rounding)", pr->near);
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("lhs <= rhs on all %zu rows of %zu instances%s; tightness max lhs/rhs = %.6g",
                            pr->rows, pr->instances, near, pr->tightness);
  }
}
