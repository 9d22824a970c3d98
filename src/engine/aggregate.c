/* From rows to a verdict, one function per claim kind.  All interval
 * levels are Bonferroni-corrected over the tests a claim makes, so the
 * claim-level confidence is the one the user asked for. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

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
  memset(pr, 0, sizeof *pr);
}

static void set_witness(tc_precision_result *pr, const claim_run *cr, size_t ji, size_t row,
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

static tc_series *add_series(tc_precision_result *pr, const char *label, size_t n)
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
static void series_from_job(tc_precision_result *pr, const job_output *o, const char *label)
{
  tc_series *s = add_series(pr, label, MAX_SERIES_POINTS + 1);
  if (s == NULL || s->p == NULL)
    return;
  size_t step = o->nrows > MAX_SERIES_POINTS ? (o->nrows + MAX_SERIES_POINTS - 1) / MAX_SERIES_POINTS : 1;
  for (size_t r = 0; r < o->nrows; r += step)
    s->p[s->n++] = (tc_series_point){o->x[r], o->lhs[r], o->rhs[r]};
}

static tc_point_summary *add_point(tc_precision_result *pr, const char *params)
{
  tc_point_summary *grown = realloc(pr->points, (pr->npoints + 1) * sizeof *grown);
  if (grown == NULL)
    return NULL;
  pr->points = grown;
  tc_point_summary *p = &pr->points[pr->npoints++];
  memset(p, 0, sizeof *p);
  p->params = strdup(params ? params : "");
  p->x = p->reference = NAN;
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
    }
  }
}

/* No verdict without evidence: errors and NaN/Inf make a claim ERROR
 * unless a finite counterexample already decides it. */
static int has_defects(const tc_precision_result *pr)
{
  return pr->errors > 0 || pr->nonfinite > 0 || pr->rows == 0;
}

static char *defect_reason(const tc_precision_result *pr)
{
  if (pr->errors)
    return tc_strdupf("%zu of %zu instances failed to run (first: %s)", pr->errors, pr->instances,
                      pr->first_error ? pr->first_error : "?");
  if (pr->nonfinite)
    return tc_strdupf("%zu rows have NaN or Inf in lhs or rhs; NaN/Inf never passes", pr->nonfinite);
  return strdup("no rows were measured");
}

static void aggregate_deterministic(tc_precision_result *pr, const claim_run *cr, const job_output *out)
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
    tc_point_summary *p = add_point(pr, cr->group_labels[gi]);
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
    set_witness(pr, cr, worst_job, worst_row, o->lhs[worst_row], o->rhs[worst_row],
                o->ratio[worst_row], o);
    series_from_job(pr, o, worst_is_violation ? "counterexample" : "tightest instance");
  }
  if (violations) {
    pr->verdict = TC_FAIL;
    const char *index_name = cr->claim->index_name ? cr->claim->index_name : "row";
    double at = cr->claim->index_name ? pr->witness.x : (double)worst_row;
    pr->reason = tc_strdupf("lhs > rhs on %zu rows; worst at instance %zu (%s), %s = %g: "
                            "lhs = %.6g > rhs = %.6g (ratio %.6g)",
                            violations, pr->witness.index, pr->witness.params, index_name, at,
                            pr->witness.lhs, pr->witness.rhs, pr->witness.ratio);
  } else if (has_defects(pr)) {
    pr->verdict = TC_ERROR;
    pr->reason = defect_reason(pr);
  } else {
    char near[80] = "";
    if (pr->near)
      snprintf(near, sizeof near, " (%zu rows equal within rounding)", pr->near);
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("lhs <= rhs on all %zu rows of %zu instances%s; tightness max lhs/rhs = %.6g",
                            pr->rows, pr->instances, near, pr->tightness);
  }
}

static void aggregate_probability(tc_precision_result *pr, const claim_run *cr, const job_output *out)
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
    tc_point_summary *p = add_point(pr, cr->group_labels[gi]);
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
      set_witness(pr, cr, wj, 0, o->lhs[0], o->rhs[0], o->ratio[0], o);
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
  } else if (has_defects(pr)) {
    pr->verdict = TC_ERROR;
    pr->reason = defect_reason(pr);
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

static void aggregate_expectation(tc_precision_result *pr, const claim_run *cr, const job_output *out)
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
    tc_point_summary *p = add_point(pr, cr->group_labels[gi]);
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
      if (s == NULL && (s = add_series(pr, cr->group_labels[gi], nrows)) != NULL && s->p == NULL)
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
      set_witness(pr, cr, first, SIZE_MAX, p->estimate, p->bound, group_worst, &out[first]);
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
  } else if (has_defects(pr) || mismatch) {
    pr->verdict = TC_ERROR;
    pr->reason = mismatch ? strdup("instances of one point reported different numbers of checkpoints")
                          : defect_reason(pr);
  } else if (any_inc) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = strdup("at some checkpoints the confidence interval of the mean contains the bound");
  } else {
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("at every point and checkpoint the upper confidence end of the mean "
                            "is <= the bound; tightness max mean/bound = %.4g", pr->tightness);
  }
}

static void aggregate_rate(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  const tc_claim *cl = cr->claim;
  /* Groups for a rate claim: every list parameter except the sweep. */
  size_t nj = cr->njobs;
  char **keys = calloc(nj ? nj : 1, sizeof *keys);
  size_t *series_of = calloc(nj ? nj : 1, sizeof *series_of);
  char **labels = calloc(nj ? nj : 1, sizeof *labels);
  size_t nseries = 0;
  for (size_t i = 0; i < nj && keys && series_of && labels; i++) {
    tc_point p = cr->jobs[i].point;
    tc_point q = {0, calloc(p.n ? p.n : 1, sizeof(tc_point_value))};
    for (size_t k = 0; q.v && k < p.n; k++)
      if (strcmp(p.v[k].name, cl->sweep_name) != 0)
        q.v[q.n++] = p.v[k];
    keys[i] = tc_engine_point_label(&q, 0);
    free(q.v);
    size_t s = 0;
    while (s < nseries && strcmp(labels[s], keys[i]) != 0)
      s++;
    if (s == nseries)
      labels[nseries++] = keys[i];
    series_of[i] = s;
  }
  double alpha = (1.0 - cr->opt->confidence) / (double)(nseries ? nseries : 1);
  double *xs = malloc((pr->rows + 1) * sizeof *xs), *ys = malloc((pr->rows + 1) * sizeof *ys);
  int any_fail = 0, any_inc = 0, bad_value = 0;
  double tight = -INFINITY, worst = -INFINITY;
  size_t worst_series = SIZE_MAX;
  for (size_t s = 0; s < nseries && xs && ys; s++) {
    size_t n = 0, first = SIZE_MAX;
    double alpha_stated = NAN;
    int mixed_exponent = 0;
    for (size_t i = 0; i < nj; i++) {
      const job_output *o = &out[i];
      if (series_of[i] != s || o->status != TC_SUCCESS)
        continue;
      if (first == SIZE_MAX)
        first = i;
      /* One series states one exponent: a NaN or two different values
       * leave it without one (the fit then has nothing to be held to). */
      if (i != first && !(o->exponent == alpha_stated))
        mixed_exponent = 1;
      alpha_stated = o->exponent;
      for (size_t r = 0; r < o->nrows; r++) {
        if (o->row_class[r] == ROW_NONFINITE || !(o->lhs[r] > 0) || !(o->sweep > 0)) {
          bad_value = 1;
          continue;
        }
        xs[n] = o->sweep;
        ys[n] = o->lhs[r];
        n++;
      }
    }
    tc_point_summary *p = add_point(pr, labels[s]);
    if (p == NULL)
      break;
    tc_loglog_fit fit;
    if (mixed_exponent || !isfinite(alpha_stated) || n < 3 || tc_loglog_fit_compute(&fit, xs, ys, n, 1.0 - alpha) != TC_SUCCESS) {
      p->verdict = TC_ERROR;
      bad_value = 1;
      continue;
    }
    double tol = cl->tolerance;
    p->n = n;
    p->estimate = fit.slope;
    p->lower = fit.slope_lower;
    p->upper = fit.slope_upper;
    p->bound = alpha_stated;
    p->verdict = (fit.slope_lower >= alpha_stated - tol && fit.slope_upper <= alpha_stated + tol)
                     ? TC_PASS
                 : (fit.slope_upper < alpha_stated - tol || fit.slope_lower > alpha_stated + tol)
                     ? TC_FAIL
                     : TC_INCONCLUSIVE;
    any_fail |= p->verdict == TC_FAIL;
    any_inc |= p->verdict == TC_INCONCLUSIVE;
    double t = fabs(fit.slope - alpha_stated) / tol;
    if (t > tight)
      tight = t;
    if (p->verdict == TC_FAIL && t > worst) {
      worst = t;
      worst_series = s;
      set_witness(pr, cr, first, 0, fit.slope, alpha_stated, t, &out[first]);
    }
    /* Figure: mean measured value per sweep value, and the stated power
     * law through the measured values' geometric centre. */
    tc_series *ser = add_series(pr, labels[s], n);
    if (ser && ser->p) {
      double centre = 0;
      for (size_t k = 0; k < n; k++)
        centre += log(ys[k]) - alpha_stated * log(xs[k]);
      centre /= (double)n;
      for (size_t k = 0; k < n; k++) {
        size_t m = 0;
        while (m < ser->n && ser->p[m].x != xs[k])
          m++;
        if (m == ser->n)
          ser->p[ser->n++] = (tc_series_point){xs[k], 0, exp(centre + alpha_stated * log(xs[k]))};
      }
      for (size_t m = 0; m < ser->n; m++) {
        double sum = 0;
        size_t cnt = 0;
        for (size_t k = 0; k < n; k++)
          if (xs[k] == ser->p[m].x) {
            sum += ys[k];
            cnt++;
          }
        ser->p[m].lhs = sum / (double)cnt;
      }
    }
  }
  pr->tightness = tight;
  if (any_fail) {
    const tc_point_summary *p = &pr->points[worst_series];
    pr->verdict = TC_FAIL;
    pr->reason = tc_strdupf("at %s the fitted exponent is %.4f with %.4g%% CI [%.4f, %.4f], outside "
                            "%.4g +/- %.3g",
                            p->params, p->estimate, 100 * (1 - alpha), p->lower, p->upper, p->bound,
                            cl->tolerance);
  } else if (has_defects(pr) || bad_value) {
    pr->verdict = TC_ERROR;
    pr->reason = bad_value ? strdup("a rate needs a finite stated exponent, at least 3 positive, "
                                    "finite measured values and positive sweep values per series")
                           : defect_reason(pr);
  } else if (any_inc) {
    pr->verdict = TC_INCONCLUSIVE;
    pr->reason = tc_strdupf("the slope's confidence interval overlaps but is not inside "
                            "exponent +/- %.3g; more instances or a wider sweep are needed",
                            cl->tolerance);
  } else {
    pr->verdict = TC_PASS;
    pr->reason = tc_strdupf("every fitted exponent's confidence interval lies within the stated "
                            "exponent +/- %.3g", cl->tolerance);
  }
  for (size_t i = 0; i < nj && keys; i++)
    free(keys[i]);
  free(keys);
  free(labels);
  free(series_of);
  free(xs);
  free(ys);
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
  if (empty == 0 && pr->npoints > 0 && !has_defects(pr))
    return;
  char *why = empty ? tc_strdupf("%zu of %zu points have no evidence (first: %s); a claim "
                                 "with any point without evidence cannot pass",
                                 empty, pr->npoints, pr->points[first].params)
              : pr->npoints == 0 ? strdup("no point was tested")
                                 : defect_reason(pr);
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

void tc_engine_aggregate(tc_precision_result *pr, const claim_run *cr, int which)
{
  const job_output *out = cr->out[which];
  memset(pr, 0, sizeof *pr);
  pr->ran = 1;
  pr->tightness = NAN;
  count_basics(pr, cr, out);
  switch (cr->claim->kind) {
  case TC_KIND_DETERMINISTIC: aggregate_deterministic(pr, cr, out); break;
  case TC_KIND_PROBABILITY: aggregate_probability(pr, cr, out); break;
  case TC_KIND_EXPECTATION: aggregate_expectation(pr, cr, out); break;
  case TC_KIND_RATE: aggregate_rate(pr, cr, out); break;
  }
  require_evidence(pr);
  note_beyond_double(pr);
  /* `reproduce` runs one instance: whatever the kind, show its rows and
   * name it, so the instance can be read on its own. */
  if (cr->opt->only_instance >= 0 && cr->njobs == 1 && out[0].status == TC_SUCCESS) {
    if (!pr->has_witness)
      set_witness(pr, cr, 0, 0, out[0].lhs[0], out[0].rhs[0], out[0].ratio[0], &out[0]);
    if (cr->claim->kind == TC_KIND_PROBABILITY)
      series_from_job(pr, &out[0], "the instance");
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
  }
  if (!isfinite(pr->tightness))
    pr->tightness = isinf(pr->tightness) && pr->tightness > 0 ? INFINITY : NAN;
}
