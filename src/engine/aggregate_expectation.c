/* Expectation claims: per point and checkpoint, E[lhs] against the mean
 * of rhs.  Where the module computes the exact expectation of lhs
 * (`reference`) it decides the checkpoint and the sample mean is a
 * cross-check; where lhs is an output whose range the module declares and
 * the bound is the same for every instance, a finite-sample empirical
 * Bernstein interval for E[lhs] decides; elsewhere a Student-t interval for
 * the mean of lhs - rhs, which is asymptotic: the reason says so and counts
 * the checkpoints whose sample is strongly skewed.  All are Bonferroni-
 * corrected over every checkpoint tested. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

/* One checkpoint of one point. */
typedef struct {
  size_t n, ref_n;
  double *diff, *lhs; /* scratch, njobs long */
  long double rhs_sum, ref_sum; /* long double: see aggregate_probability */
  double rhs_min, rhs_max;
  const tc_output_spec *range; /* lhs is this output, with a declared range (or NULL) */
} checkpoint_sample;

/* When lhs is one output whose module declares its range, the mean of lhs
 * gets a finite-sample (empirical Bernstein) interval instead of the
 * asymptotic t interval. */
static const tc_output_spec *lhs_range(const tc_claim *cl)
{
  if (cl->lhs_text == NULL || cl->check == NULL || cl->check->outputs == NULL)
    return NULL;
  for (const tc_output_spec *o = cl->check->outputs; o->name; o++)
    if (o->has_range && strcmp(o->name, cl->lhs_text) == 0)
      return o;
  return NULL;
}

static void collect_checkpoint(checkpoint_sample *s, const claim_run *cr, const job_output *out,
                               size_t gi, size_t r)
{
  s->n = s->ref_n = 0;
  s->rhs_sum = s->ref_sum = 0;
  s->rhs_min = INFINITY;
  s->rhs_max = -INFINITY;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    if (cr->jobs[i].group != gi || o->status != TC_SUCCESS || r >= o->nrows ||
        o->row_class[r] == ROW_NONFINITE)
      continue;
    /* The MPFR difference, which keeps its sign (run_job.c). */
    s->diff[s->n] = o->diff ? o->diff[r] : o->lhs[r] - o->rhs[r];
    s->lhs[s->n] = o->lhs[r];
    s->rhs_sum += o->rhs[r];
    s->rhs_min = fmin(s->rhs_min, o->rhs[r]);
    s->rhs_max = fmax(s->rhs_max, o->rhs[r]);
    if (o->ref && !isnan(o->ref[r])) {
      s->ref_sum += o->ref[r];
      s->ref_n++;
    }
    s->n++;
  }
}

/* Sample skewness of x[0..n-1] (0 for a constant sample). */
static double skewness(const double *x, size_t n)
{
  double m = 0, m2 = 0, m3 = 0;
  for (size_t i = 0; i < n; i++)
    m += x[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++) {
    double d = x[i] - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= (double)n;
  m3 /= (double)n;
  return m2 > 0 ? m3 / pow(m2, 1.5) : 0;
}

/* Decide one checkpoint into q (a candidate point summary). */
static void decide_checkpoint(tc_point_summary *q, const checkpoint_sample *s, double alpha,
                              int *skewed)
{
  double dmean, dlo, dhi, sd, mean, lo, hi;
  /* No interval (a difference lhs - rhs beyond double's range): the
   * sample cannot decide, and an unset interval must not decide either. */
  if (tc_mean_ci(&dmean, &dlo, &dhi, &sd, s->diff, s->n, 1.0 - alpha) != TC_SUCCESS)
    dlo = -INFINITY, dhi = INFINITY;
  if (tc_mean_ci(&mean, &lo, &hi, &sd, s->lhs, s->n, 1.0 - alpha) != TC_SUCCESS)
    mean = lo = hi = NAN;
  q->n = s->n;
  q->estimate = mean;
  q->lower = lo;
  q->upper = hi;
  q->bound = (double)(s->rhs_sum / (long double)s->n);
  /* An exact value is only exact if every instance reported it. */
  q->reference = s->ref_n == s->n ? (double)(s->ref_sum / (long double)s->ref_n) : NAN;
  q->exact = !isnan(q->reference);
  if (q->exact) {
    /* Equal within double rounding of the two sides counts as holding. */
    double slack = ldexp(fmax(fabs(q->reference), fabs(q->bound)), -40);
    q->verdict = q->reference <= q->bound + slack ? TC_PASS : TC_FAIL;
  } else if (s->range && s->rhs_min == s->rhs_max &&
             tc_mean_ci_bernstein(&mean, &lo, &hi, s->lhs, s->n, s->range->lo, s->range->hi,
                                  1.0 - alpha) == TC_SUCCESS) {
    q->lower = lo;
    q->upper = hi;
    q->finite_sample = 1;
    q->verdict = hi <= q->bound ? TC_PASS : lo > q->bound ? TC_FAIL : TC_INCONCLUSIVE;
  } else {
    q->verdict = dhi <= 0 ? TC_PASS : dlo > 0 ? TC_FAIL : TC_INCONCLUSIVE;
    /* The t interval's coverage degrades with skew at small n. */
    *skewed = fabs(skewness(s->diff, s->n)) > 2.0 * sqrt(30.0 / (double)s->n);
  }
}

static double checkpoint_ratio(const tc_point_summary *q)
{
  double m = q->exact ? q->reference : q->estimate;
  return q->bound > 0 ? m / q->bound : (m > 0 ? INFINITY : 1.0);
}

/* Every checkpoint of point gi; returns the point's verdict and leaves in
 * *p the checkpoint that is worst for the claim. */
static tc_verdict decide_point(tc_point_summary *p, double *worst, tc_precision_result *pr,
                               const claim_run *cr, const job_output *out, size_t gi, size_t first,
                               checkpoint_sample *s, double alpha)
{
  tc_verdict v = TC_PASS;
  tc_series *ser = NULL;
  tc_point_summary best = *p;
  best.verdict = TC_PASS;
  *worst = -INFINITY;
  for (size_t r = 0; r < out[first].nrows; r++) {
    collect_checkpoint(s, cr, out, gi, r);
    if (s->n < 2) {
      v = TC_ERROR;
      continue;
    }
    tc_point_summary q = *p;
    int skewed = 0;
    decide_checkpoint(&q, s, alpha, &skewed);
    q.x = out[first].x[r];
    pr->skewed += skewed;
    pr->exact_points += q.exact;
    pr->finite_sample_points += q.finite_sample;
    /* A t interval on fewer runs says little about skewed samples. */
    pr->reference_outside += q.exact && s->n >= 30 && (q.reference < q.lower || q.reference > q.upper);
    double ratio = checkpoint_ratio(&q);
    pr->tightness = fmax(pr->tightness, ratio);
    if (ser == NULL && (ser = tc_engine_add_series(pr, cr->group_labels[gi], out[first].nrows)) &&
        ser->p == NULL)
      ser = NULL;
    if (ser)
      ser->p[ser->n++] = (tc_series_point){q.x, q.estimate, q.bound, 0};
    int fails = q.verdict == TC_FAIL, best_fails = best.verdict == TC_FAIL;
    if ((fails && !best_fails) || (fails == best_fails && ratio > *worst)) {
      *worst = ratio;
      best = q;
    }
    if (q.verdict == TC_FAIL || (q.verdict == TC_INCONCLUSIVE && v == TC_PASS))
      v = q.verdict == TC_FAIL ? TC_FAIL : (v == TC_ERROR ? v : TC_INCONCLUSIVE);
  }
  *p = best;
  return v;
}

static char *fail_reason(const tc_point_summary *p, double alpha)
{
  if (p->exact)
    return tc_strdupf("at %s, checkpoint %g: the exact expectation %.6g > the bound %.6g "
                      "(sampled mean %.6g, %.4g%% CI [%.6g, %.6g])",
                      p->params, p->x, p->reference, p->bound, p->estimate, 100 * (1 - alpha),
                      p->lower, p->upper);
  return tc_strdupf("at %s, checkpoint %g: mean lhs = %.6g, %.4g%% CI [%.6g, %.6g] (%s) lies "
                    "above the bound %.6g",
                    p->params, p->x, p->estimate, 100 * (1 - alpha), p->lower, p->upper,
                    p->finite_sample ? "empirical Bernstein, finite-sample" : "Student-t, asymptotic",
                    p->bound);
}

static char *pass_reason(const tc_precision_result *pr)
{
  char skew[96] = "";
  if (pr->skewed)
    snprintf(skew, sizeof skew, "; %zu sampled checkpoints are strongly skewed", pr->skewed);
  return tc_strdupf("at every point and checkpoint E[lhs] <= the bound (%zu checkpoints decided "
                    "by the exact expectation, %zu by a finite-sample empirical Bernstein "
                    "interval, the rest by the upper end of a Student-t interval, which is "
                    "asymptotic%s); tightness max mean/bound = %.4g",
                    pr->exact_points, pr->finite_sample_points, skew, pr->tightness);
}

/* Bonferroni over every checkpoint tested: one per row of each point. */
static double corrected_alpha(const claim_run *cr, const job_output *out)
{
  size_t tests = 0;
  for (size_t gi = 0; gi < cr->ngroups; gi++)
    for (size_t i = 0; i < cr->njobs; i++)
      if (cr->jobs[i].group == gi && out[i].status == TC_SUCCESS) {
        tests += out[i].nrows;
        break;
      }
  return tc_engine_alpha(cr, tests);
}

/* The first successful job of point gi, and whether all of its jobs
 * report as many checkpoints as that one. */
static size_t first_job(const claim_run *cr, const job_output *out, size_t gi, int *mismatch)
{
  size_t first = SIZE_MAX;
  for (size_t i = 0; i < cr->njobs; i++)
    if (cr->jobs[i].group == gi && out[i].status == TC_SUCCESS) {
      if (first == SIZE_MAX)
        first = i;
      else if (out[i].nrows != out[first].nrows)
        *mismatch = 1;
    }
  return first;
}

void tc_engine_aggregate_expectation(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  double alpha = corrected_alpha(cr, out);
  int any_inc = 0, mismatch = 0;
  double worst_fail = -INFINITY;
  size_t worst_group = SIZE_MAX;
  checkpoint_sample s = {0};
  s.range = lhs_range(cr->claim);
  s.diff = malloc((cr->njobs ? cr->njobs : 1) * sizeof *s.diff);
  s.lhs = malloc((cr->njobs ? cr->njobs : 1) * sizeof *s.lhs);
  pr->tightness = -INFINITY;
  for (size_t gi = 0; gi < cr->ngroups && s.diff && s.lhs; gi++) {
    size_t first = first_job(cr, out, gi, &mismatch);
    tc_point_summary *p = tc_engine_add_point(pr, cr->group_labels[gi]);
    if (p == NULL)
      break;
    if (first == SIZE_MAX) {
      p->verdict = TC_ERROR;
      continue;
    }
    double worst;
    p->verdict = decide_point(p, &worst, pr, cr, out, gi, first, &s, alpha);
    any_inc |= p->verdict == TC_INCONCLUSIVE || p->verdict == TC_ERROR;
    if (p->verdict == TC_FAIL && worst > worst_fail) {
      worst_fail = worst;
      worst_group = gi;
      tc_engine_set_witness(pr, cr, first, SIZE_MAX, p->estimate, p->bound, worst, &out[first]);
      pr->witness.x = p->x;
    }
  }
  free(s.diff);
  free(s.lhs);
  if (worst_group != SIZE_MAX) {
    pr->verdict = TC_FAIL;
    pr->reason = fail_reason(&pr->points[worst_group], alpha);
  } else if (tc_engine_has_defects(pr) || mismatch) {
    pr->verdict = TC_ERROR;
    pr->reason = mismatch ? strdup("instances of one point reported different numbers of checkpoints")
                          : tc_engine_defect_reason(pr);
  } else if (any_inc) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = strdup("at some checkpoints the confidence interval of the mean (Student-t, "
                        "asymptotic) contains the bound");
  } else {
    pr->verdict = TC_PASS;
    pr->reason = pass_reason(pr);
  }
}
