/* Parameter grids and jobs: a claim's parameters after --param
 * overrides, its grid points, one job per instance (index, seed, point),
 * range draws, and validation of every point before anything runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_limits.h"

/* Does the text of a --param value stand for catalog value k of p? */
static int value_matches(const grid_param *p, size_t k, const char *text)
{
  char *end;
  double v = strtod(text, &end);
  if (*text && *end == '\0' && isfinite(v) && !isnan(p->values[k]))
    return v == p->values[k];
  return strcmp(text, p->texts[k]) == 0;
}

/* --param on a member of a joint tuple keeps the tuples whose member has
 * that value (all members then share the selection, stored in `pool`);
 * none is an error naming the flag. */
static int select_tuple(grid_param *g, size_t n, size_t i, const tc_override *ov, size_t *pool,
                        const tc_claim *cl, char *err, size_t errlen)
{
  size_t kept = 0;
  for (size_t k = 0; k < g[i].nvalues; k++) {
    size_t row = g[i].rows ? g[i].rows[k] : k;
    if (value_matches(&g[i], row, ov->value))
      pool[kept++] = row;
  }
  if (kept == 0) {
    snprintf(err, errlen, "--param %s=%s: no joint tuple of claim [%s] (%s:%d) that is left has %s = %s",
             ov->name, ov->value, cl->id, cl->file, g[i].line, ov->name, ov->value);
    return TC_EDOM;
  }
  for (size_t j = 0; j < n; j++)
    if (g[j].tuple == g[i].tuple) {
      g[j].rows = pool;
      g[j].nvalues = kept;
    }
  return TC_SUCCESS;
}

/* Room for one selection per override of a tuple member. */
static size_t tuple_pool_size(const tc_claim *cl, const tc_run_options *opt)
{
  size_t most = 0;
  for (size_t i = 0; i < cl->nparams; i++)
    if (cl->params[i].tuple && cl->params[i].nvalues > most)
      most = cl->params[i].nvalues;
  return most * opt->noverrides;
}

/* A --param the catalog does not declare: a module parameter, or an error. */
static int add_undeclared(grid_param *g, size_t *n, const tc_claim *cl, const tc_override *ov,
                          char *err, size_t errlen)
{
  if (tc_check_param(cl->check, ov->name) == NULL) {
    snprintf(err, errlen, "--param %s: claim [%s] (check '%s') has no parameter '%s'",
             ov->name, cl->id, cl->check_name, ov->name);
    return TC_ENOTFOUND;
  }
  g[*n].name = ov->name;
  g[*n].line = cl->line;
  ++*n;
  return TC_SUCCESS;
}

static void fix_value(grid_param *p, const char *text)
{
  char *end;
  double v = strtod(text, &end);
  p->is_range = 0;
  p->nvalues = 1;
  p->override_text = text;
  p->override_value = (*text && *end == '\0' && isfinite(v)) ? v : NAN;
  p->texts = &p->override_text;
  p->values = &p->override_value;
}

int tc_engine_grid_params(grid_param **out, size_t *nout, const tc_claim *cl,
                             const tc_run_options *opt, char *err, size_t errlen)
{
  size_t n = cl->nparams, npool = tuple_pool_size(cl, opt);
  /* One block: the grid, then the tuple selections (free(g) frees both). */
  grid_param *g = calloc(1, (n + opt->noverrides + 1) * sizeof *g + npool * sizeof(size_t));
  if (g == NULL)
    return TC_ENOMEM;
  size_t *pool = (size_t *)(g + n + opt->noverrides + 1);
  for (size_t i = 0; i < n; i++) {
    const tc_param *p = &cl->params[i];
    g[i] = (grid_param){p->name, p->line, p->is_range, p->log_scale, p->lo, p->hi,
                        p->nvalues, (const char *const *)p->texts, p->values,
                        p->is_range && cl->kind != TC_KIND_DETERMINISTIC, p->tuple, NULL, NULL, 0};
  }
  int status = TC_SUCCESS;
  for (size_t k = 0; k < opt->noverrides && status == TC_SUCCESS; k++) {
    const tc_override *ov = &opt->overrides[k];
    size_t i = 0;
    while (i < n && strcmp(g[i].name, ov->name) != 0)
      i++;
    if (i < n && g[i].tuple) {
      status = select_tuple(g, n, i, ov, pool, cl, err, errlen);
      pool += g[i].nvalues;
      continue;
    }
    if (i == n && (status = add_undeclared(g, &n, cl, ov, err, errlen)))
      break;
    fix_value(&g[i], ov->value);
  }
  if (status) {
    free(g);
    return status;
  }
  *out = g;
  *nout = n;
  return TC_SUCCESS;
}

/* A joint tuple is one axis of the grid, counted at its last member. */
static int tuple_continues(const grid_param *g, size_t n, size_t i)
{
  return g[i].tuple && i + 1 < n && g[i + 1].tuple == g[i].tuple;
}

size_t tc_engine_grid_size(const grid_param *g, size_t n)
{
  size_t size = 1;
  for (size_t i = 0; i < n; i++)
    if (!g[i].is_range && !tuple_continues(g, n, i))
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
  /* Last list parameter varies fastest, as in nested loops; a joint
   * tuple is one axis (its members take the same row). */
  size_t rest = gi, k = 0;
  for (size_t ii = n; ii-- > 0;) {
    const grid_param *p = &g[ii];
    tc_point_value *pv = &jb->point.v[ii];
    pv->name = p->name;
    if (p->is_range) {
      double u = p->at_mid ? 0.5 : gsl_rng_uniform(rng);
      double v = p->log_scale ? exp(log(p->lo) + u * (log(p->hi) - log(p->lo)))
                              : p->lo + u * (p->hi - p->lo);
      jb->texts[ii] = tc_engine_format_value(v);
      pv->value = strtod(jb->texts[ii], NULL);
    } else {
      if (!tuple_continues(g, n, ii)) {
        k = rest % p->nvalues;
        rest /= p->nvalues;
      }
      size_t row = p->rows ? p->rows[k] : k;
      jb->texts[ii] = strdup(p->texts[row]);
      pv->value = p->values[row];
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

/* Reject impossible parameters before anything runs, naming file:line:
 * the line of the parameter that the specs or the module's validate
 * blame (the claim's line when none is, or for a --param override). */
static int validate_job(const claim_run *cr, const job *jb, const grid_param *g, size_t n,
                        char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  char msg[256] = "";
  const char *param = NULL;
  int status = tc_check_validate(cl->check, &jb->point, &param, msg, sizeof msg);
  if (status == TC_SUCCESS)
    return TC_SUCCESS;
  int line = cl->line;
  for (size_t i = 0; param && i < n; i++)
    if (strcmp(param, g[i].name) == 0)
      line = g[i].line;
  char *label = tc_engine_point_label(&jb->point, 0);
  snprintf(err, errlen, "%s:%d: claim [%s]: impossible parameters (%s): %s", cl->file, line,
           cl->id, label, msg);
  free(label);
  return status;
}

/* Limits (tc_limits.h) and the instance that reproduce asks for are
 * checked before any job is allocated.  Search steps are numbered after
 * the sampled instances, so their indices are valid too when the claim
 * as written can search (reproduce then fixes every range by --param). */
static int check_job_count(const claim_run *cr, size_t points, size_t per, char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  const tc_run_options *opt = cr->opt;
  if (points > TC_MAX_GRID_POINTS || per > TC_MAX_INSTANCES || cr->stride > TC_MAX_JOBS / points) {
    snprintf(err, errlen, "%sclaim [%s]: %zu grid points x %zu instances is more than %d instance runs per claim",
             opt->instances ? "--instances: " : "", cl->id, points, per, TC_MAX_JOBS);
    return TC_EDOM;
  }
  if (opt->only_instance < 0)
    return TC_SUCCESS;
  int can_search = 0;
  for (size_t i = 0; i < cl->nparams; i++)
    can_search |= cl->params[i].is_range;
  size_t steps = !can_search ? 0
                 : cl->kind == TC_KIND_DETERMINISTIC ? cl->search
                                                     : tc_engine_search_stats_jobs(cl, per);
  if ((size_t)opt->only_instance < points * cr->stride + steps ||
      (size_t)opt->only_instance >= TC_SHRINK_FIRST_INDEX)
    return TC_SUCCESS; /* past them: a shrunk counterexample's own index (shrink.c) */
  snprintf(err, errlen, "--instance %ld: claim [%s] has instances 0 to %zu (%zu grid points x %zu instances%s) "
           "and shrunk counterexamples from %zu",
           opt->only_instance, cl->id, points * cr->stride + steps - 1, points, cr->stride,
           steps ? " and its search steps" : "", (size_t)TC_SHRINK_FIRST_INDEX);
  return TC_EDOM;
}

/* Job K (instance index) at grid point gi: its seed, its point (range
 * parameters drawn from the parameter stream of K). */
int tc_engine_add_job(claim_run *cr, const grid_param *g, size_t n, size_t k, size_t gi)
{
  job *jb = tc_engine_new_job(cr);
  if (jb == NULL)
    return TC_ENOMEM;
  jb->index = k;
  jb->seed = tc_seed_derive(cr->opt->seed, cr->claim->id, k);
  jb->group = gi;
  gsl_rng *rng = param_rng(cr->opt, cr->claim, k);
  int status = rng ? make_point(jb, g, n, gi, rng) : TC_ENOMEM;
  gsl_rng_free(rng);
  return status;
}

int tc_engine_build_jobs(claim_run *cr, const grid_param *g, size_t n, char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  const tc_run_options *opt = cr->opt;
  size_t per = opt->instances ? opt->instances : cl->instances;
  size_t points = tc_engine_grid_size(g, n);
  /* With sequential sampling a point owns max_instances indices, of which
   * the first batch uses `per`: every instance it may add has a fixed,
   * reproducible index.  The indices of a claim without it are as before. */
  int sequential = cl->max_instances > per &&
                   (cl->kind == TC_KIND_PROBABILITY || cl->kind == TC_KIND_EXPECTATION);
  cr->per = per;
  cr->stride = sequential ? cl->max_instances : per;
  int status = check_job_count(cr, points, per, err, errlen);
  if (status)
    return status;
  cr->ngroups = cr->grid_groups = points;
  cr->group_labels = calloc(points, sizeof *cr->group_labels);
  if (cr->group_labels == NULL)
    return TC_ENOMEM;
  size_t first = 0, last = points * per;
  if (opt->only_instance >= 0) {
    first = (size_t)opt->only_instance;
    last = first + 1;
  }
  for (size_t q = first; q < last; q++) {
    /* local: the index inside this run's block (the first batch is j < per
     * of each point); k: the instance index, offset by --first-index. */
    size_t local = opt->only_instance >= 0 ? q : (q / per) * cr->stride + q % per;
    size_t gi = local / cr->stride < points ? local / cr->stride : points - 1;
    size_t k = opt->only_instance >= 0 ? q : opt->first_index + local;
    if ((status = tc_engine_add_job(cr, g, n, k, gi)))
      return status;
    job *jb = &cr->jobs[cr->njobs - 1];
    /* A point is validated once, not once per instance (a module's
     * validate may build the point's data, as ntk's does). */
    int seen = cr->njobs > 1 && tc_engine_same_point(jb, &cr->jobs[cr->njobs - 2]);
    if (!seen && (status = validate_job(cr, jb, g, n, err, errlen)))
      return status;
    if (cr->group_labels[gi] == NULL) {
      /* Group labels name only the list parameters (ranges vary inside). */
      tc_point lp = {0, calloc(n ? n : 1, sizeof(tc_point_value))};
      for (size_t i = 0; i < n; i++)
        if (!g[i].is_range || g[i].at_mid)
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
