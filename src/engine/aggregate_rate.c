/* Rate claims: a log-log least-squares slope per series (every list
 * parameter but the sweep), its interval against exponent +/- tolerance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_stats.h"

/* The jobs grouped into series: keys[i] is job i's label without the sweep
 * parameter, series_of[i] its series, labels[s] the first key of series s
 * (borrowed from keys, so only keys owns the strings). */
typedef struct {
  char **keys;
  size_t *series_of;
  char **labels;
  size_t n;
} rate_series;

/* Groups for a rate claim: every list parameter except the sweep, so each
 * series is one slope over the sweep values.  Out of memory leaves g->n = 0. */
static void rate_group(rate_series *g, const claim_run *cr)
{
  const tc_claim *cl = cr->claim;
  size_t nj = cr->njobs;
  g->keys = calloc(nj ? nj : 1, sizeof *g->keys);
  g->series_of = calloc(nj ? nj : 1, sizeof *g->series_of);
  g->labels = calloc(nj ? nj : 1, sizeof *g->labels);
  g->n = 0;
  for (size_t i = 0; i < nj && g->keys && g->series_of && g->labels; i++) {
    tc_point p = cr->jobs[i].point;
    tc_point q = {0, calloc(p.n ? p.n : 1, sizeof(tc_point_value))};
    for (size_t k = 0; q.v && k < p.n; k++)
      if (strcmp(p.v[k].name, cl->sweep_name) != 0)
        q.v[q.n++] = p.v[k];
    g->keys[i] = tc_engine_point_label(&q, 0);
    free(q.v);
    size_t s = 0;
    while (s < g->n && strcmp(g->labels[s], g->keys[i]) != 0)
      s++;
    if (s == g->n)
      g->labels[g->n++] = g->keys[i];
    g->series_of[i] = s;
  }
}

static void rate_group_free(rate_series *g, size_t nj)
{
  for (size_t i = 0; i < nj && g->keys; i++)
    free(g->keys[i]);
  free(g->keys);
  free(g->labels);
  free(g->series_of);
}

/* One series' usable points (xs, ys), its first successful job and its
 * stated exponent (NaN when the jobs disagree).  Sets *bad_value when a
 * row cannot enter a log-log fit.  Returns the number of points. */
static size_t rate_collect(const claim_run *cr, const job_output *out, const rate_series *g,
                           size_t s, double *xs, double *ys, size_t *first, double *alpha_stated,
                           int *bad_value)
{
  size_t n = 0;
  int mixed_exponent = 0;
  *first = SIZE_MAX;
  *alpha_stated = NAN;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *o = &out[i];
    if (g->series_of[i] != s || o->status != TC_SUCCESS)
      continue;
    if (*first == SIZE_MAX)
      *first = i;
    /* One series states one exponent: a NaN or two different values
     * leave it without one (the fit then has nothing to be held to). */
    if (i != *first && !(o->exponent == *alpha_stated))
      mixed_exponent = 1;
    *alpha_stated = o->exponent;
    for (size_t r = 0; r < o->nrows; r++) {
      if (o->row_class[r] == ROW_NONFINITE || !(o->lhs[r] > 0) || !(o->sweep > 0)) {
        *bad_value = 1;
        continue;
      }
      xs[n] = o->sweep;
      ys[n] = o->lhs[r];
      n++;
    }
  }
  if (mixed_exponent)
    *alpha_stated = NAN;
  return n;
}

/* PASS only when the whole slope interval is inside exponent +/- tol, FAIL
 * only when it lies wholly outside: the interval, not the point estimate,
 * decides. */
static tc_verdict rate_verdict(const tc_loglog_fit *fit, double alpha_stated, double tol)
{
  if (fit->slope_lower >= alpha_stated - tol && fit->slope_upper <= alpha_stated + tol)
    return TC_PASS;
  if (fit->slope_upper < alpha_stated - tol || fit->slope_lower > alpha_stated + tol)
    return TC_FAIL;
  return TC_INCONCLUSIVE;
}

/* Figure: mean measured value per sweep value, and the stated power law
 * through the measured values' geometric centre (so the reader compares
 * slopes, not offsets). */
static void rate_figure(tc_precision_result *pr, const char *label, const double *xs,
                        const double *ys, size_t n, double alpha_stated)
{
  tc_series *ser = tc_engine_add_series(pr, label, n);
  if (ser == NULL || ser->p == NULL)
    return;
  double centre = 0;
  for (size_t k = 0; k < n; k++)
    centre += log(ys[k]) - alpha_stated * log(xs[k]);
  centre /= (double)n;
  for (size_t k = 0; k < n; k++) {
    size_t m = 0;
    while (m < ser->n && ser->p[m].x != xs[k])
      m++;
    if (m == ser->n)
      ser->p[ser->n++] = (tc_series_point){xs[k], 0, exp(centre + alpha_stated * log(xs[k])), 0};
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

/* The claim's verdict from its series: any FAIL wins (reported at the
 * series farthest outside), then defects and unusable data, then any
 * INCONCLUSIVE. */
static void rate_conclude(tc_precision_result *pr, const tc_claim *cl, double alpha, int any_fail,
                          int any_inc, int bad_value, size_t worst_series)
{
  if (any_fail) {
    const tc_point_summary *p = &pr->points[worst_series];
    pr->verdict = TC_FAIL;
    pr->reason = tc_strdupf("at %s the fitted exponent is %.4f with %.4g%% CI [%.4f, %.4f], outside "
                            "%.4g +/- %.3g",
                            p->params, p->estimate, 100 * (1 - alpha), p->lower, p->upper, p->bound,
                            cl->tolerance);
  } else if (tc_engine_has_defects(pr) || bad_value) {
    pr->verdict = TC_ERROR;
    pr->reason = bad_value ? strdup("a rate needs a finite stated exponent, at least 3 positive, "
                                    "finite measured values and positive sweep values per series")
                           : tc_engine_defect_reason(pr);
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
}

void tc_engine_aggregate_rate(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  const tc_claim *cl = cr->claim;
  rate_series g;
  rate_group(&g, cr);
  double alpha = tc_engine_alpha(cr, g.n);
  double *xs = malloc((pr->rows + 1) * sizeof *xs), *ys = malloc((pr->rows + 1) * sizeof *ys);
  int any_fail = 0, any_inc = 0, bad_value = 0;
  double tight = -INFINITY, worst = -INFINITY;
  size_t worst_series = SIZE_MAX;
  for (size_t s = 0; s < g.n && xs && ys; s++) {
    size_t first;
    double alpha_stated;
    size_t n = rate_collect(cr, out, &g, s, xs, ys, &first, &alpha_stated, &bad_value);
    tc_point_summary *p = tc_engine_add_point(pr, g.labels[s]);
    if (p == NULL)
      break;
    tc_loglog_fit fit;
    if (!isfinite(alpha_stated) || n < 3 || tc_loglog_fit_compute(&fit, xs, ys, n, 1.0 - alpha) != TC_SUCCESS) {
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
    p->verdict = rate_verdict(&fit, alpha_stated, tol);
    any_fail |= p->verdict == TC_FAIL;
    any_inc |= p->verdict == TC_INCONCLUSIVE;
    double t = fabs(fit.slope - alpha_stated) / tol;
    if (t > tight)
      tight = t;
    if (p->verdict == TC_FAIL && t > worst) {
      worst = t;
      worst_series = s;
      tc_engine_set_witness(pr, cr, first, 0, fit.slope, alpha_stated, t, &out[first]);
    }
    rate_figure(pr, g.labels[s], xs, ys, n, alpha_stated);
  }
  pr->tightness = tight;
  rate_conclude(pr, cl, alpha, any_fail, any_inc, bad_value, worst_series);
  rate_group_free(&g, cr->njobs);
  free(xs);
  free(ys);
}
