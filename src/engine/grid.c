/* Parameter grids and jobs: a claim's parameters after --param
 * overrides, its grid points, one job per instance (index, seed, point),
 * range draws, and validation of every point before anything runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_limits.h"

int tc_engine_grid_params(grid_param **out, size_t *nout, const tc_claim *cl,
                             const tc_run_options *opt, char *err, size_t errlen)
{
  size_t n = cl->nparams;
  grid_param *g = calloc(n + opt->noverrides + 1, sizeof *g);
  if (g == NULL)
    return TC_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const tc_param *p = &cl->params[i];
    g[i] = (grid_param){p->name, p->line, p->is_range, p->log_scale, p->lo, p->hi,
                        p->nvalues, (const char *const *)p->texts, p->values, NULL, 0};
  }
  for (size_t k = 0; k < opt->noverrides; k++) {
    const tc_override *ov = &opt->overrides[k];
    size_t i = 0;
    while (i < n && strcmp(g[i].name, ov->name) != 0)
      i++;
    if (i == n) {
      int known = 0;
      for (const char *const *q = cl->check->params; q && *q; q++)
        known |= strcmp(*q, ov->name) == 0;
      if (!known) {
        snprintf(err, errlen, "--param %s: claim [%s] (check '%s') has no parameter '%s'",
                 ov->name, cl->id, cl->check_name, ov->name);
        free(g);
        return TC_ENOTFOUND;
      }
      g[n].name = ov->name;
      g[n].line = cl->line;
      n++;
    }
    char *end;
    double v = strtod(ov->value, &end);
    g[i].is_range = 0;
    g[i].nvalues = 1;
    g[i].override_text = ov->value;
    g[i].override_value = (*ov->value && *end == '\0' && isfinite(v)) ? v : NAN;
    g[i].texts = &g[i].override_text;
    g[i].values = &g[i].override_value;
  }
  *out = g;
  *nout = n;
  return TC_SUCCESS;
}

size_t tc_engine_grid_size(const grid_param *g, size_t n)
{
  size_t size = 1;
  for (size_t i = 0; i < n; i++)
    if (!g[i].is_range)
      size *= g[i].nvalues;
  return size;
}

char *tc_engine_format_value(double v)
{
  return tc_strdupf("%.17g", v);
}

/* Fill the point of grid point `gi`; ranges are drawn from `rng`. */
static int make_point(job *jb, const grid_param *g, size_t n, size_t gi, gsl_rng *rng)
{
  jb->point.n = n;
  jb->point.v = calloc(n ? n : 1, sizeof *jb->point.v);
  jb->texts = calloc(n ? n : 1, sizeof *jb->texts);
  if (jb->point.v == NULL || jb->texts == NULL)
    return TC_ENOMEM;
  /* Last list parameter varies fastest, as in nested loops. */
  size_t rest = gi;
  for (size_t ii = n; ii-- > 0;) {
    const grid_param *p = &g[ii];
    tc_point_value *pv = &jb->point.v[ii];
    pv->name = p->name;
    if (p->is_range) {
      double u = gsl_rng_uniform(rng);
      double v = p->log_scale ? exp(log(p->lo) + u * (log(p->hi) - log(p->lo)))
                              : p->lo + u * (p->hi - p->lo);
      jb->texts[ii] = tc_engine_format_value(v);
      pv->value = strtod(jb->texts[ii], NULL);
    } else {
      size_t k = rest % p->nvalues;
      rest /= p->nvalues;
      jb->texts[ii] = strdup(p->texts[k]);
      pv->value = p->values[k];
    }
    pv->text = jb->texts[ii];
  }
  return TC_SUCCESS;
}

void tc_engine_job_clear(job *jb)
{
  for (size_t i = 0; i < jb->point.n; i++)
    free(jb->texts[i]);
  free(jb->texts);
  free(jb->point.v);
}

job *tc_engine_new_job(claim_run *cr)
{
  if (cr->njobs == cr->cap) {
    size_t cap = cr->cap ? 2 * cr->cap : 64;
    job *grown = realloc(cr->jobs, cap * sizeof *grown);
    if (grown == NULL)
      return NULL;
    cr->jobs = grown;
    cr->cap = cap;
  }
  job *jb = &cr->jobs[cr->njobs++];
  memset(jb, 0, sizeof *jb);
  return jb;
}

/* The RNG that draws range parameters is separate from the module's, so
 * the module's stream is the same whether a value was drawn or given. */
static gsl_rng *param_rng(const tc_run_options *opt, const tc_claim *cl, size_t index)
{
  return tc_rng_alloc(tc_seed_derive(opt->seed ^ 0x706172616d73ULL, cl->id, index));
}

/* Reject impossible parameters before anything runs, naming file:line. */
static int validate_job(const claim_run *cr, const job *jb, const grid_param *g, size_t n,
                        char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  if (cl->check->validate == NULL)
    return TC_SUCCESS;
  char msg[256] = "";
  if (cl->check->validate(&jb->point, msg, sizeof msg) == TC_SUCCESS)
    return TC_SUCCESS;
  int line = cl->line;
  for (size_t i = 0; i < n; i++)
    if (strstr(msg, g[i].name) != NULL) {
      line = g[i].line;
      break;
    }
  char *label = tc_engine_point_label(&jb->point, 0);
  snprintf(err, errlen, "%s:%d: claim [%s]: impossible parameters (%s): %s", cl->file, line,
           cl->id, label, msg);
  free(label);
  return TC_EDOM;
}

/* Limits (tc_limits.h) and the instance that reproduce asks for are
 * checked before any job is allocated.  Search steps are numbered after
 * the sampled instances, so their indices are valid too when the claim
 * as written can search (reproduce then fixes every range by --param). */
static int check_job_count(const claim_run *cr, size_t points, size_t per, char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  const tc_run_options *opt = cr->opt;
  if (points > TC_MAX_GRID_POINTS || per > TC_MAX_INSTANCES || per > TC_MAX_JOBS / points) {
    snprintf(err, errlen, "%sclaim [%s]: %zu grid points x %zu instances is more than %d instance runs per claim",
             opt->instances ? "--instances: " : "", cl->id, points, per, TC_MAX_JOBS);
    return TC_EDOM;
  }
  if (opt->only_instance < 0)
    return TC_SUCCESS;
  int can_search = 0;
  for (size_t i = 0; i < cl->nparams; i++)
    can_search |= cl->params[i].is_range;
  size_t steps = cl->kind == TC_KIND_DETERMINISTIC && can_search ? cl->search : 0;
  if ((size_t)opt->only_instance < points * per + steps)
    return TC_SUCCESS;
  snprintf(err, errlen, "--instance %ld: claim [%s] has instances 0 to %zu (%zu grid points x %zu instances%s)",
           opt->only_instance, cl->id, points * per + steps - 1, points, per,
           steps ? " and its search steps" : "");
  return TC_EDOM;
}

int tc_engine_build_jobs(claim_run *cr, const grid_param *g, size_t n, char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  const tc_run_options *opt = cr->opt;
  size_t per = opt->instances ? opt->instances : cl->instances;
  size_t points = tc_engine_grid_size(g, n);
  int status = check_job_count(cr, points, per, err, errlen);
  if (status)
    return status;
  cr->ngroups = points;
  cr->group_labels = calloc(points, sizeof *cr->group_labels);
  if (cr->group_labels == NULL)
    return TC_ENOMEM;
  size_t first = 0, last = points * per;
  if (opt->only_instance >= 0) {
    first = (size_t)opt->only_instance;
    last = first + 1;
  }
  for (size_t k = first; k < last; k++) {
    size_t gi = k / per < points ? k / per : points - 1;
    job *jb = tc_engine_new_job(cr);
    if (jb == NULL)
      return TC_ENOMEM;
    jb->index = k;
    jb->seed = tc_seed_derive(opt->seed, cl->id, k);
    jb->group = gi;
    gsl_rng *rng = param_rng(opt, cl, k);
    status = rng ? make_point(jb, g, n, gi, rng) : TC_ENOMEM;
    gsl_rng_free(rng);
    if (status)
      return status;
    if ((status = validate_job(cr, jb, g, n, err, errlen)))
      return status;
    if (cr->group_labels[gi] == NULL) {
      /* Group labels name only the list parameters (ranges vary inside). */
      tc_point lp = {0, calloc(n ? n : 1, sizeof(tc_point_value))};
      for (size_t i = 0; i < n; i++)
        if (!g[i].is_range)
          lp.v[lp.n++] = jb->point.v[i];
      cr->group_labels[gi] = tc_engine_point_label(&lp, 0);
      free(lp.v);
    }
  }
  /* A range's corners are validated too, so an impossible range is an
   * input error and not an ERROR found halfway through a run. */
  for (size_t i = 0; i < n; i++) {
    if (!g[i].is_range || cr->njobs == 0)
      continue;
    for (int corner = 0; corner < 2; corner++) {
      job probe = {0};
      gsl_rng *rng = param_rng(opt, cl, 0);
      status = rng ? make_point(&probe, g, n, 0, rng) : TC_ENOMEM;
      gsl_rng_free(rng);
      if (status == TC_SUCCESS) {
        free(probe.texts[i]);
        probe.texts[i] = tc_engine_format_value(corner ? g[i].hi : g[i].lo);
        probe.point.v[i].text = probe.texts[i];
        probe.point.v[i].value = corner ? g[i].hi : g[i].lo;
        status = validate_job(cr, &probe, g, n, err, errlen);
      }
      tc_engine_job_clear(&probe);
      if (status)
        return status;
    }
  }
  return TC_SUCCESS;
}

void tc_engine_claim_run_clear(claim_run *cr)
{
  for (size_t i = 0; i < cr->njobs; i++)
    tc_engine_job_clear(&cr->jobs[i]);
  free(cr->jobs);
  for (size_t i = 0; cr->group_labels && i < cr->ngroups; i++)
    free(cr->group_labels[i]);
  free(cr->group_labels);
}
