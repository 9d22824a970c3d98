/* Worst-case search for probability and expectation claims over their
 * range parameters, then confirmation with fresh samples.
 *
 * The grid runs each range at its middle.  The search then starts from
 * the grid point that threatens the bound most and makes `search` seeded
 * local moves in the range parameters; at each candidate it runs one batch
 * of `instances` instances (in both precisions, so they are compared like
 * any other) and measures the threat: the failure rate against the allowed
 * one (probability), or the largest mean lhs / bound over checkpoints
 * (expectation), from the module's exact value where it gives one.  The
 * search's samples only steer: the verdict at the worst candidate comes
 * from a fresh, independent batch run there as one more point of the
 * claim ("worst found by search"), so the search's many looks do not
 * bias it; the extra point is counted in the Bonferroni split.
 *
 * Instance indices: search batch s uses G*stride + s*per .. (G grid
 * points), the confirmation batch G*stride + search*per ..; each re-runs
 * alone with `reproduce` and the parameters of its point. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

size_t tc_engine_search_stats_jobs(const tc_claim *cl, size_t per)
{
  return (cl->search + 1) * per;
}

/* Probability: the failure rate (exact where the module gives it, else
 * add-one smoothed) against the allowed 1 - p0.  An instance violated
 * only within the module's error estimate counts as a miss here: the
 * search steers toward threats, and an undecided instance may be one (the
 * verdict, on the fresh batch, still counts it as the aggregator does). */
static double probability_threat(const job_output *out, size_t from, size_t to)
{
  double miss = 0, n = 0, p0 = NAN, ref = NAN;
  for (size_t i = from; i < to; i++) {
    const job_output *o = &out[i];
    if (o->status != TC_SUCCESS)
      continue;
    int event = 1;
    for (size_t r = 0; r < o->nrows; r++)
      event &= o->row_class[r] != ROW_VIOLATED && o->row_class[r] != ROW_NONFINITE &&
               o->row_class[r] != ROW_WITHIN_ERROR;
    miss += !event;
    n++;
    p0 = o->prob_bound;
    if (o->ref && o->nrows)
      ref = o->ref[0];
  }
  if (n == 0 || !(p0 < 1))
    return -INFINITY;
  double rate = isnan(ref) ? (miss + 1) / (n + 1) : 1 - ref;
  return rate / (1 - p0);
}

/* Expectation: the largest mean lhs / mean bound over checkpoints, with
 * the module's exact expectation where it gives one. */
static double expectation_threat(const job_output *out, size_t from, size_t to)
{
  double worst = -INFINITY;
  for (size_t r = 0;; r++) {
    double lhs = 0, rhs = 0, ref = 0, cnt = 0, refs = 0;
    for (size_t i = from; i < to; i++) {
      const job_output *o = &out[i];
      if (o->status != TC_SUCCESS || r >= o->nrows || o->row_class[r] == ROW_NONFINITE)
        continue;
      lhs += o->lhs[r], rhs += o->rhs[r], cnt++;
      if (o->ref && !isnan(o->ref[r]))
        ref += o->ref[r], refs++;
    }
    if (cnt == 0)
      return worst;
    double m = refs == cnt ? ref / refs : lhs / cnt;
    if (rhs > 0)
      worst = fmax(worst, m / (rhs / cnt));
  }
}

static double threat(const claim_run *cr, const job_output *out, size_t from, size_t to)
{
  return cr->claim->kind == TC_KIND_PROBABILITY ? probability_threat(out, from, to)
                                                : expectation_threat(out, from, to);
}

/* One batch of `per` instances at a point; runs it; returns its threat. */
static int run_batch(double *t, claim_run *cr, size_t first_index, size_t group, size_t src,
                     const double *values, const grid_param *g, size_t n, int mask,
                     progress_state *ps)
{
  size_t from = cr->njobs;
  for (size_t j = 0; j < cr->per; j++) {
    int status = tc_engine_job_at(cr, first_index + j, group, src, values, g, n);
    if (status)
      return status;
  }
  int status = tc_engine_grow_outputs(cr);
  if (status)
    return status;
  ps->total += cr->per * (size_t)tc_engine_backend_count(mask);
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (mask & (1 << b))
      tc_engine_run_range(cr, from, cr->njobs, b, ps);
  *t = threat(cr, cr->out[tc_engine_main_backend(mask)], from, cr->njobs);
  return TC_SUCCESS;
}

/* The grid point that threatens most: its first job. */
static size_t worst_grid_job(const claim_run *cr, int primary, double *best)
{
  size_t best_job = 0;
  *best = -INFINITY;
  for (size_t gi = 0; gi < cr->ngroups; gi++) {
    size_t from = SIZE_MAX, to = 0;
    for (size_t i = 0; i < cr->njobs; i++)
      if (cr->jobs[i].group == gi) {
        from = from == SIZE_MAX ? i : from;
        to = i + 1;
      }
    double t = from == SIZE_MAX ? -INFINITY : threat(cr, cr->out[primary], from, to);
    if (t > *best) {
      *best = t;
      best_job = from;
    }
  }
  return best_job;
}

/* The confirmation point: one more group, labelled with all its values. */
static int add_confirmation_group(claim_run *cr, const job *at)
{
  char **labels = realloc(cr->group_labels, (cr->ngroups + 1) * sizeof *labels);
  if (labels == NULL)
    return TC_ENOMEM;
  cr->group_labels = labels;
  char *params = tc_engine_point_label(&at->point, 0);
  labels[cr->ngroups++] = tc_strdupf("worst found by search: %s", params);
  free(params);
  return TC_SUCCESS;
}

static int search_loop(claim_run *cr, const grid_param *g, size_t n, int mask,
                       progress_state *ps, gsl_rng *rng)
{
  int primary = tc_engine_main_backend(mask);
  double best_t;
  size_t src = worst_grid_job(cr, primary, &best_t);
  double *best = malloc((n ? n : 1) * sizeof *best), *cand = malloc((n ? n : 1) * sizeof *cand);
  if (best == NULL || cand == NULL) {
    free(best);
    free(cand);
    return TC_ENOMEM;
  }
  for (size_t i = 0; i < n; i++)
    best[i] = cand[i] = cr->jobs[src].point.v[i].value;
  size_t base = cr->grid_groups * cr->stride, per = cr->per, steps = cr->claim->search;
  int status = TC_SUCCESS;
  for (size_t s = 0; s < steps && status == TC_SUCCESS; s++) {
    tc_engine_search_propose(cand, best, g, n, rng, s, steps);
    double t;
    status = run_batch(&t, cr, base + s * per, SIZE_MAX, src, cand, g, n, mask, ps);
    if (status == TC_SUCCESS && t > best_t) {
      best_t = t;
      memcpy(best, cand, n * sizeof *best);
    }
  }
  double t;
  size_t group = cr->ngroups;
  if (status == TC_SUCCESS)
    status = run_batch(&t, cr, base + steps * per, group, src, best, g, n, mask, ps);
  if (status == TC_SUCCESS)
    status = add_confirmation_group(cr, &cr->jobs[cr->njobs - 1]);
  free(best);
  free(cand);
  return status;
}

int tc_engine_run_search_stats(claim_run *cr, const grid_param *g, size_t n, int mask,
                               progress_state *ps)
{
  const tc_claim *cl = cr->claim;
  int any_range = 0;
  for (size_t i = 0; i < n; i++)
    any_range |= g[i].is_range;
  if (!any_range || cl->search == 0 || cr->opt->only_instance >= 0 ||
      (cl->kind != TC_KIND_PROBABILITY && cl->kind != TC_KIND_EXPECTATION))
    return TC_SUCCESS;
  gsl_rng *rng = tc_rng_alloc(tc_seed_derive(cr->opt->seed ^ 0x736561726368ULL, cl->id, 1));
  if (rng == NULL)
    return TC_ENOMEM;
  int status = search_loop(cr, g, n, mask, ps, rng);
  gsl_rng_free(rng);
  return status;
}
