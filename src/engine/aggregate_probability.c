/* Probability claims: per point, the event lhs <= rhs against the
 * required probability.  Where the module computes the exact probability
 * (`reference`), it decides the point and the sample is a cross-check;
 * elsewhere an exact Clopper-Pearson interval decides, Bonferroni-corrected
 * over the points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

/* What the instances of one point say. */
typedef struct {
  size_t n, k, no_bound, ref_n;
  size_t undecided; /* of the k events: instances with a row violated within the error estimate */
  size_t first_miss, first_job;
  double p0, p0_min; /* strictest and loosest required probability */
  long double ref_sum;
} point_sample;

static void collect_point(point_sample *s, const claim_run *cr, const job_output *out, size_t gi)
{
  memset(s, 0, sizeof *s);
  s->first_miss = s->first_job = SIZE_MAX;
  s->p0 = s->p0_min = NAN;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    if (cr->jobs[i].group != gi || o->status != TC_SUCCESS)
      continue;
    if (s->first_job == SIZE_MAX)
      s->first_job = i;
    int finite = 1, event = 1, within = 0;
    for (size_t r = 0; r < o->nrows; r++) {
      finite &= o->row_class[r] != ROW_NONFINITE;
      event &= o->row_class[r] != ROW_VIOLATED;
      within |= o->row_class[r] == ROW_WITHIN_ERROR;
    }
    /* A required probability outside [0,1] (NaN, -1/0, 1.5) is no bound
     * at all: the point has no evidence either way. */
    if (!(o->prob_bound >= 0 && o->prob_bound <= 1)) {
      s->no_bound++;
      continue;
    }
    if (!finite)
      continue;
    s->n++;
    s->k += event;
    s->undecided += event && within;
    if (!event && s->first_miss == SIZE_MAX)
      s->first_miss = i;
    /* Directed: PASS against the bound rounded up, FAIL below it rounded
     * down, so a bound between two doubles cannot tip either. */
    double hi = isnan(o->prob_hi) ? o->prob_bound : o->prob_hi;
    double lo = isnan(o->prob_lo) ? o->prob_bound : o->prob_lo;
    if (isnan(s->p0) || hi > s->p0)
      s->p0 = hi;
    if (isnan(s->p0_min) || lo < s->p0_min)
      s->p0_min = lo;
    /* Every instance of a point has the same exact value: accumulate in
     * long double so the mean of 2000 copies is that value, not 1e-13 off. */
    if (o->ref && !isnan(o->ref[0])) {
      s->ref_sum += o->ref[0];
      s->ref_n++;
    }
  }
}

/* PASS against the strictest instance's requirement, FAIL only below the
 * loosest one (they differ when `probability` reads row values). */
static tc_verdict judge(double lo, double hi, const point_sample *s)
{
  return lo >= s->p0 ? TC_PASS : hi < s->p0_min ? TC_FAIL : TC_INCONCLUSIVE;
}

static void decide_point(tc_point_summary *p, const point_sample *s, double alpha)
{
  double lo, hi, lo_undecided_missed, hi_unused;
  tc_clopper_pearson(&lo, &hi, s->k, s->n, 1.0 - alpha);
  /* An instance whose rows hold only up to the module's error estimate is
   * undecided: PASS needs the interval with those instances counted as
   * misses, FAIL the one with them counted as events. */
  tc_clopper_pearson(&lo_undecided_missed, &hi_unused, s->k - s->undecided, s->n, 1.0 - alpha);
  lo = lo_undecided_missed;
  p->n = s->n;
  p->k = s->k;
  p->estimate = (double)s->k / (double)s->n;
  p->lower = lo;
  p->upper = hi;
  p->bound = s->p0;
  /* An exact value is only exact if every instance reported it. */
  p->reference = s->ref_n == s->n ? (double)(s->ref_sum / (long double)s->ref_n) : NAN;
  p->exact = !isnan(p->reference);
  p->verdict = p->exact ? judge(p->reference, p->reference, s) : judge(lo, hi, s);
}

static char *fail_reason(const tc_point_summary *p, double alpha)
{
  if (p->exact)
    return tc_strdupf("at %s the exact probability is %.6g < required %.6g (sampled: the event "
                      "held in %zu of %zu trials, Clopper-Pearson [%.6g, %.6g])",
                      p->params, p->reference, p->bound, p->k, p->n, p->lower, p->upper);
  return tc_strdupf("at %s the event held in %zu of %zu trials: P in [%.6g, %.6g] "
                    "(Clopper-Pearson, %.4g%% after Bonferroni) < required %.6g",
                    p->params, p->k, p->n, p->lower, p->upper, 100 * (1 - alpha), p->bound);
}

static void verdict_and_reason(tc_precision_result *pr, const claim_run *cr, size_t fail_group,
                               int any_inc, size_t bad_bound, double alpha)
{
  if (fail_group != SIZE_MAX) {
    pr->verdict = TC_FAIL;
    pr->reason = fail_reason(&pr->points[fail_group], alpha);
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
    if (pr->within_error) {
      char *longer = tc_strdupf("%s (%zu rows violate lhs <= rhs only within the module's error "
                                "estimate: their instances count as misses for PASS and as "
                                "events for FAIL)", pr->reason, pr->within_error);
      free(pr->reason);
      pr->reason = longer;
    }
  } else {
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("at all %zu points P(lhs <= rhs) >= the required probability (%zu "
                            "decided by the exact probability, the rest by the Clopper-Pearson "
                            "lower end); tightness (failure rate / allowed) = %.4g",
                            cr->ngroups, pr->exact_points, pr->tightness);
  }
}

/* The failure rate against the allowed one, exact where known. */
static double point_tightness(const tc_point_summary *p)
{
  double miss = p->exact ? 1.0 - p->reference : 1.0 - p->estimate;
  return p->bound < 1 ? miss / (1.0 - p->bound) : (miss > 0 ? INFINITY : 0);
}

void tc_engine_aggregate_probability(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  double alpha = tc_engine_alpha(cr, cr->ngroups);
  int any_inc = 0;
  double tight = -INFINITY, worst_gap = -INFINITY;
  size_t fail_group = SIZE_MAX, bad_bound = 0;
  for (size_t gi = 0; gi < cr->ngroups; gi++) {
    point_sample s;
    collect_point(&s, cr, out, gi);
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL || s.n == 0 || s.no_bound) {
      if (p)
        p->verdict = TC_ERROR;
      bad_bound += s.no_bound;
      continue;
    }
    decide_point(p, &s, alpha);
    /* For the figure (report_tex_figure.c): the point's `index` and
     * `mark`, read on its first instance (the same at every instance
     * when they are point quantities such as the width m). */
    if (cr->claim->index_name && s.first_job != SIZE_MAX && out[s.first_job].nrows > 0)
      p->x = out[s.first_job].x[0];
    if (s.first_job != SIZE_MAX)
      p->mark = out[s.first_job].mark;
    pr->reference_outside += p->exact && (p->reference < p->lower || p->reference > p->upper);
    pr->exact_points += p->exact; /* the PASS reason counts them */
    any_inc |= p->verdict == TC_INCONCLUSIVE;
    tight = fmax(tight, point_tightness(p));
    double gap = s.p0 - (p->exact ? p->reference : p->upper);
    if (p->verdict == TC_FAIL && gap > worst_gap) {
      worst_gap = gap;
      fail_group = gi;
      size_t wj = s.first_miss != SIZE_MAX ? s.first_miss : s.first_job;
      const job_output *o = &out[wj];
      tc_engine_set_witness(pr, cr, wj, 0, o->lhs[0], o->rhs[0], o->ratio[0], o);
    }
  }
  pr->tightness = tight;
  verdict_and_reason(pr, cr, fail_group, any_inc, bad_bound, alpha);
}
