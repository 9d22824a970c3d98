/* Worst-case search of deterministic claims over their range parameters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "engine_impl.h"

static double job_worst_ratio(const job_output *o)
{
  double worst = -INFINITY;
  if (o->status != TC_SUCCESS)
    return worst;
  for (size_t r = 0; r < o->nrows; r++)
    if (!isnan(o->tight[r]) && o->tight[r] > worst)
      worst = o->tight[r];
  return worst;
}

int tc_engine_grow_outputs(claim_run *cr)
{
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    if (cr->out[b] == NULL)
      continue;
    job_output *grown = realloc(cr->out[b], cr->cap * sizeof *grown);
    if (grown == NULL)
      return TC_ENOMEM;
    cr->out[b] = grown;
  }
  return TC_SUCCESS;
}

/* Worst-case search: a seeded random local search in the range
 * parameters, starting from the instance with the largest lhs/rhs, run in
 * the primary (cheapest) backend; every proposal is then re-run in the others. */
/* A job at an explicit point: job src_job's values, the range parameters
 * replaced by values[] (the search steps of every kind and the
 * statistical search's confirmation batch). */
int tc_engine_job_at(claim_run *cr, size_t index, size_t group, size_t src_job, const double *values,
                  const grid_param *g, size_t n)
{
  job *jb = tc_engine_new_job(cr);
  if (jb == NULL)
    return TC_ENOMEM;
  const job *src = &cr->jobs[src_job]; /* after new_job: the array may have moved */
  jb->index = index;
  jb->seed = tc_seed_derive(cr->opt->seed, cr->claim->id, index);
  jb->group = group;
  jb->from_search = 1;
  jb->point.n = n;
  jb->point.v = calloc(n ? n : 1, sizeof *jb->point.v);
  jb->texts = calloc(n ? n : 1, sizeof *jb->texts);
  if (jb->point.v == NULL || jb->texts == NULL)
    return TC_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    jb->point.v[i] = src->point.v[i];
    jb->texts[i] = g[i].is_range ? tc_engine_format_value(values[i]) : strdup(src->texts[i]);
    if (jb->texts[i] == NULL)
      return TC_ENOMEM;
    if (g[i].is_range)
      jb->point.v[i].value = strtod(jb->texts[i], NULL);
    jb->point.v[i].text = jb->texts[i];
  }
  return TC_SUCCESS;
}

/* Step `step` of `steps` of a search: a seeded Gaussian move of the range
 * parameters from `from`, clipped to the ranges.  The step size shrinks as
 * the search proceeds: explore, then refine. */
void tc_engine_search_propose(double *values, const double *from, const grid_param *g, size_t n,
                              gsl_rng *rng, size_t step, size_t steps)
{
  double scale = 0.5 * (1.0 - (double)step / (double)steps) + 0.02;
  for (size_t i = 0; i < n; i++) {
    if (!g[i].is_range)
      continue;
    double v = g[i].log_scale
                   ? exp(log(from[i]) + scale * log(g[i].hi / g[i].lo) * gsl_ran_gaussian(rng, 1.0))
                   : from[i] + scale * (g[i].hi - g[i].lo) * gsl_ran_gaussian(rng, 1.0);
    values[i] = fmin(fmax(v, g[i].lo), g[i].hi);
  }
}

int tc_engine_run_search(claim_run *cr, const grid_param *g, size_t n, int primary,
                      progress_state *ps)
{
  const tc_claim *cl = cr->claim;
  size_t base = cr->njobs;
  size_t best = 0;
  double best_ratio = -INFINITY;
  for (size_t i = 0; i < base; i++) {
    double w = job_worst_ratio(&cr->out[primary][i]);
    if (w > best_ratio) {
      best_ratio = w;
      best = i;
    }
  }
  size_t per = cr->opt->instances ? cr->opt->instances : cl->instances;
  size_t next_index = tc_engine_grid_size(g, n) * per;
  gsl_rng *rng = tc_rng_alloc(tc_seed_derive(cr->opt->seed ^ 0x736561726368ULL, cl->id, 0));
  if (rng == NULL)
    return TC_ENOMEM;
  double *values = malloc((n ? n : 1) * sizeof *values), *from = malloc((n ? n : 1) * sizeof *from);
  int status = values && from ? TC_SUCCESS : TC_ENOMEM;
  for (size_t s = 0; s < cl->search && status == TC_SUCCESS; s++) {
    for (size_t i = 0; i < n; i++)
      from[i] = cr->jobs[best].point.v[i].value;
    tc_engine_search_propose(values, from, g, n, rng, s, cl->search);
    if ((status = tc_engine_job_at(cr, next_index + s, cr->jobs[best].group, best, values, g, n)) ||
        (status = tc_engine_grow_outputs(cr)))
      break;
    job *jb = &cr->jobs[cr->njobs - 1];
    size_t idx = cr->njobs - 1;
    prepared_point pp;
    tc_engine_prepare(&pp, cr, jb, primary);
    tc_engine_run_job(&cr->out[primary][idx], cr, jb, primary, &pp);
    tc_engine_release(&pp, cr, primary);
    tc_engine_report_progress(cr, ps);
    double w = job_worst_ratio(&cr->out[primary][idx]);
    if (w > best_ratio) {
      best_ratio = w;
      best = idx;
    }
  }
  gsl_rng_free(rng);
  free(values);
  free(from);
  if (status)
    return status;
  int others = tc_engine_run_mask(cr) & ~(1 << primary);
  if (others)
    tc_engine_run_jobs(cr, base, cr->njobs, others, ps);
  return TC_SUCCESS;
}
