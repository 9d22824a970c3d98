/* Probability claims: exact Clopper-Pearson per point against the
 * required probability, Bonferroni-corrected over the points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

void tc_engine_aggregate_probability(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  double alpha = (1.0 - cr->opt->confidence) / (double)(cr->ngroups ? cr->ngroups : 1);
  int any_fail = 0, any_inc = 0;
  double tight = -INFINITY, worst_gap = -INFINITY;
  size_t fail_group = SIZE_MAX, bad_bound = 0;
  for (size_t gi = 0; gi < cr->ngroups; gi++) {
    size_t n = 0, k = 0, no_bound = 0;
    double p0 = NAN, p0_min = NAN; /* strictest and loosest required probability */
    /* Every instance of a point has the same exact value: accumulate in
     * long double so the mean of 2000 copies is that value, not 1e-13 off. */
    long double ref_sum = 0;
    size_t ref_n = 0, first_miss = SIZE_MAX, first_job = SIZE_MAX;
    for (size_t i = 0; i < cr->njobs; i++) {
      const job_output *o = &out[i];
      if (cr->jobs[i].group != gi || o->status != TC_SUCCESS)
        continue;
      if (first_job == SIZE_MAX)
        first_job = i;
      int finite = 1, event = 1;
      for (size_t r = 0; r < o->nrows; r++) {
        finite &= o->row_class[r] != ROW_NONFINITE;
        event &= o->row_class[r] != ROW_VIOLATED;
      }
      /* A required probability outside [0,1] (NaN, -1/0, 1.5) is no
       * bound at all: the point has no evidence either way. */
      if (!(o->prob_bound >= 0 && o->prob_bound <= 1)) {
        no_bound++;
        continue;
      }
      if (!finite)
        continue;
      n++;
      k += event;
      if (!event && first_miss == SIZE_MAX)
        first_miss = i;
      if (isnan(p0) || o->prob_bound > p0)
        p0 = o->prob_bound;
      if (isnan(p0_min) || o->prob_bound < p0_min)
        p0_min = o->prob_bound;
      if (!isnan(o->ref[0])) {
        ref_sum += o->ref[0];
        ref_n++;
      }
    }
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL || n == 0 || no_bound) {
      if (p)
        p->verdict = TC_ERROR;
      bad_bound += no_bound;
      continue;
    }
    double lo, hi;
    tc_clopper_pearson(&lo, &hi, k, n, 1.0 - alpha);
    p->n = n;
    p->k = k;
    p->estimate = (double)k / (double)n;
    p->lower = lo;
    p->upper = hi;
    p->bound = p0;
    p->reference = ref_n ? (double)(ref_sum / (long double)ref_n) : NAN;
    /* PASS against the strictest instance's requirement, FAIL only below
     * the loosest one (they differ when `probability` reads row values). */
    p->verdict = lo >= p0 ? TC_PASS : hi < p0_min ? TC_FAIL : TC_INCONCLUSIVE;
    pr->reference_outside += !isnan(p->reference) && (p->reference < lo || p->reference > hi);
    any_fail |= p->verdict == TC_FAIL;
    any_inc |= p->verdict == TC_INCONCLUSIVE;
    /* Tightness: the failure rate measured against the allowed one, from
     * the exact probability where the module knows it. */
    double miss = isnan(p->reference) ? 1.0 - p->estimate : 1.0 - p->reference;
    double t = p0 < 1 ? miss / (1.0 - p0) : (miss > 0 ? INFINITY : 0);
    if (t > tight)
      tight = t;
    double gap = p0 - hi;
    if (p->verdict == TC_FAIL && gap > worst_gap) {
      worst_gap = gap;
      fail_group = gi;
      size_t wj = first_miss != SIZE_MAX ? first_miss : first_job;
      const job_output *o = &out[wj];
      tc_engine_set_witness(pr, cr, wj, 0, o->lhs[0], o->rhs[0], o->ratio[0], o);
    }
  }
  pr->tightness = tight;
  if (any_fail) {
    const tc_point_summary *p = &pr->points[fail_group];
    pr->verdict = TC_FAIL;
    pr->reason = tc_strdupf("at %s the event held in %zu of %zu trials: P in [%.6g, %.6g] "
                            "(Clopper-Pearson, %.4g%% after Bonferroni) < required %.6g",
                            p->params, p->k, p->n, p->lower, p->upper, 100 * (1 - alpha), p->bound);
  } else if (bad_bound) {
    pr->verdict = TC_ERROR;
    pr->reason = tc_strdupf("the required probability is not a number in [0, 1] in %zu "
                            "instance(s); those points have no evidence", bad_bound);
  } else if (tc_engine_has_defects(pr)) {
    pr->verdict = TC_ERROR;
    pr->reason = tc_engine_defect_reason(pr);
  } else if (any_inc) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = tc_strdupf("at some points the Clopper-Pearson interval contains the required "
                            "probability; more instances are needed");
  } else {
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("at all %zu points the Clopper-Pearson lower end is >= the required "
                            "probability; tightness (failure rate / allowed) = %.4g",
                            cr->ngroups, pr->tightness);
  }
}
