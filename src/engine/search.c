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
  for (int w = 0; w < 2; w++) {
    if (cr->out[w] == NULL)
      continue;
    job_output *grown = realloc(cr->out[w], cr->cap * sizeof *grown);
    if (grown == NULL)
      return TC_ENOMEM;
    cr->out[w] = grown;
  }
  return TC_SUCCESS;
}

/* Worst-case search: a seeded random local search in the range
 * parameters, starting from the instance with the largest lhs/rhs, run in
 * the primary precision; every proposal is then re-run in the other. */
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
  for (size_t s = 0; s < cl->search; s++) {
    size_t from = best;
    job *jb = tc_engine_new_job(cr);
    if (jb == NULL || tc_engine_grow_outputs(cr)) {
      gsl_rng_free(rng);
      return TC_ENOMEM;
    }
    const job *src = &cr->jobs[from];
    jb->index = next_index + s;
    jb->seed = tc_seed_derive(cr->opt->seed, cl->id, jb->index);
    jb->group = src->group;
    jb->from_search = 1;
    jb->point.n = n;
    jb->point.v = calloc(n ? n : 1, sizeof *jb->point.v);
    jb->texts = calloc(n ? n : 1, sizeof *jb->texts);
    if (jb->point.v == NULL || jb->texts == NULL) {
      gsl_rng_free(rng);
      return TC_ENOMEM;
    }
    /* Step size shrinks as the search proceeds: explore, then refine. */
    double scale = 0.5 * (1.0 - (double)s / (double)cl->search) + 0.02;
    for (size_t i = 0; i < n; i++) {
      jb->point.v[i] = src->point.v[i];
      if (g[i].is_range) {
        double v = src->point.v[i].value, nv;
        if (g[i].log_scale)
          nv = exp(log(v) + scale * log(g[i].hi / g[i].lo) * gsl_ran_gaussian(rng, 1.0));
        else
          nv = v + scale * (g[i].hi - g[i].lo) * gsl_ran_gaussian(rng, 1.0);
        nv = fmin(fmax(nv, g[i].lo), g[i].hi);
        jb->texts[i] = tc_engine_format_value(nv);
        jb->point.v[i].value = strtod(jb->texts[i], NULL);
      } else {
        jb->texts[i] = strdup(src->texts[i]);
      }
      jb->point.v[i].text = jb->texts[i];
    }
    size_t idx = cr->njobs - 1;
    prepared_point pp;
    tc_engine_prepare(&pp, cr, jb, primary == 1);
    tc_engine_run_job(&cr->out[primary][idx], cr, jb, primary == 1, &pp);
    tc_engine_release(&pp, cr, primary == 1);
    tc_engine_report_progress(cr, ps);
    double w = job_worst_ratio(&cr->out[primary][idx]);
    if (w > best_ratio) {
      best_ratio = w;
      best = idx;
    }
  }
  gsl_rng_free(rng);
  int other = 1 - primary;
  if (cr->out[other])
    tc_engine_run_jobs(cr, base, cr->njobs, 1 << other, ps);
  return TC_SUCCESS;
}
