/* tc_run_claims: catalog claims -> jobs -> measurements -> verdicts. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "engine_impl.h"
#include "tc_limits.h"

void tc_run_options_init(tc_run_options *opt)
{
  memset(opt, 0, sizeof *opt);
  opt->seed = TC_DEFAULT_SEED;
  opt->precision = TC_PREC_BOTH;
  opt->bits = TC_DEFAULT_BITS;
  opt->confidence = TC_DEFAULT_CONFIDENCE;
  opt->agree_tol = 1e-6;
  opt->only_instance = -1;
}

const char *tc_verdict_name(tc_verdict v)
{
  static const char *names[] = {"PASS", "FAIL", "INCONCLUSIVE", "ERROR"};
  return (unsigned)v < 4 ? names[v] : "ERROR";
}

/* ---- parameter grid ------------------------------------------------ */

/* The parameter list of a claim after --param overrides. */
typedef struct {
  const char *name;
  int line;
  int is_range, log_scale;
  double lo, hi;
  size_t nvalues;
  const char *const *texts;
  const double *values;
  /* storage for an override */
  const char *override_text;
  double override_value;
} grid_param;

static int build_grid_params(grid_param **out, size_t *nout, const tc_claim *cl,
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

static size_t grid_size(const grid_param *g, size_t n)
{
  size_t size = 1;
  for (size_t i = 0; i < n; i++)
    if (!g[i].is_range)
      size *= g[i].nvalues;
  return size;
}

static char *format_value(double v)
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
      jb->texts[ii] = format_value(v);
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

static void job_clear(job *jb)
{
  for (size_t i = 0; i < jb->point.n; i++)
    free(jb->texts[i]);
  free(jb->texts);
  free(jb->point.v);
}

static job *new_job(claim_run *cr)
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

static int build_jobs(claim_run *cr, const grid_param *g, size_t n, char *err, size_t errlen)
{
  const tc_claim *cl = cr->claim;
  const tc_run_options *opt = cr->opt;
  size_t per = opt->instances ? opt->instances : cl->instances;
  size_t points = grid_size(g, n);
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
    job *jb = new_job(cr);
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
        probe.texts[i] = format_value(corner ? g[i].hi : g[i].lo);
        probe.point.v[i].text = probe.texts[i];
        probe.point.v[i].value = corner ? g[i].hi : g[i].lo;
        status = validate_job(cr, &probe, g, n, err, errlen);
      }
      job_clear(&probe);
      if (status)
        return status;
    }
  }
  return TC_SUCCESS;
}

/* ---- execution ----------------------------------------------------- */

typedef struct {
  size_t done, total;
} progress_state;

static void report_progress(const claim_run *cr, progress_state *ps)
{
  ps->done++;
  if (cr->opt->progress)
    cr->opt->progress(cr->opt->progress_data, cr->claim->id, ps->done, ps->total);
}

static int run_range(claim_run *cr, size_t from, size_t to, int which, progress_state *ps)
{
  for (size_t i = from; i < to; i++) {
    tc_engine_run_job(&cr->out[which][i], cr, &cr->jobs[i], which == 1);
    report_progress(cr, ps);
  }
  return TC_SUCCESS;
}

static double job_worst_ratio(const job_output *o)
{
  double worst = -INFINITY;
  if (o->status != TC_SUCCESS)
    return worst;
  for (size_t r = 0; r < o->nrows; r++)
    if (!isnan(o->ratio[r]) && o->ratio[r] > worst)
      worst = o->ratio[r];
  return worst;
}

static int grow_outputs(claim_run *cr)
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
static int run_search(claim_run *cr, const grid_param *g, size_t n, int primary,
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
  size_t next_index = grid_size(g, n) * per;
  gsl_rng *rng = tc_rng_alloc(tc_seed_derive(cr->opt->seed ^ 0x736561726368ULL, cl->id, 0));
  if (rng == NULL)
    return TC_ENOMEM;
  for (size_t s = 0; s < cl->search; s++) {
    size_t from = best;
    job *jb = new_job(cr);
    if (jb == NULL || grow_outputs(cr)) {
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
        jb->texts[i] = format_value(nv);
        jb->point.v[i].value = strtod(jb->texts[i], NULL);
      } else {
        jb->texts[i] = strdup(src->texts[i]);
      }
      jb->point.v[i].text = jb->texts[i];
    }
    size_t idx = cr->njobs - 1;
    tc_engine_run_job(&cr->out[primary][idx], cr, jb, primary == 1);
    report_progress(cr, ps);
    double w = job_worst_ratio(&cr->out[primary][idx]);
    if (w > best_ratio) {
      best_ratio = w;
      best = idx;
    }
  }
  gsl_rng_free(rng);
  int other = 1 - primary;
  if (cr->out[other])
    run_range(cr, base, cr->njobs, other, ps);
  return TC_SUCCESS;
}

/* Values below double's normal range cannot be compared relatively. */
static int comparable(double a, double b)
{
  return fabs(a) > 1e-290 || fabs(b) > 1e-290;
}

static double rel_diff(double a, double b)
{
  if (a == b)
    return 0;
  if (!comparable(a, b))
    return 0;
  return fabs(a - b) / fmax(fabs(a), fabs(b));
}

static void compare_precisions(tc_claim_result *res, const claim_run *cr)
{
  size_t bad = 0, compared = 0, flips = 0;
  double worst = 0;
  size_t worst_job = 0, worst_row = 0;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *a = &cr->out[0][i], *b = &cr->out[1][i];
    if (a->status != TC_SUCCESS || b->status != TC_SUCCESS || a->nrows != b->nrows)
      continue;
    for (size_t r = 0; r < a->nrows; r++) {
      double d = fmax(rel_diff(a->lhs[r], b->lhs[r]), rel_diff(a->rhs[r], b->rhs[r]));
      compared++;
      if (isnan(d))
        continue;
      /* Differences inside the modules' own error estimates are rounding
       * noise of a value near zero, not a disagreement. */
      double slack = a->err[r] + b->err[r];
      if (slack > 0 && fabs(a->lhs[r] - b->lhs[r]) <= slack && fabs(a->rhs[r] - b->rhs[r]) <= slack)
        continue;
      if (d > worst) {
        worst = d;
        worst_job = i;
        worst_row = r;
      }
      if (d > cr->opt->agree_tol)
        bad++;
      if ((a->row_class[r] == ROW_VIOLATED) != (b->row_class[r] == ROW_VIOLATED))
        flips++;
    }
  }
  res->max_rel_diff = worst;
  if (bad || flips) {
    res->disagree = 1;
    res->disagree_note = tc_strdupf(
        "double and MPFR differ by more than %.1e (relative) on %zu of %zu rows and decide "
        "lhs <= rhs differently on %zu rows; largest difference %.3e at instance %zu row %zu",
        cr->opt->agree_tol, bad, compared, flips, worst, cr->jobs[worst_job].index, worst_row);
  }
}

static void combine(tc_claim_result *res, const claim_run *cr)
{
  const tc_precision_result *d = &res->prec[0], *m = &res->prec[1];
  if (d->ran && m->ran) {
    compare_precisions(res, cr);
    if (d->verdict == m->verdict) {
      res->verdict = d->verdict;
      res->reason = strdup(m->reason ? m->reason : "");
    } else {
      res->verdict = TC_ERROR;
      res->reason = tc_strdupf("double and MPFR runs disagree: double says %s, MPFR (%ld bits) says %s",
                               tc_verdict_name(d->verdict), (long)cr->opt->bits,
                               tc_verdict_name(m->verdict));
    }
  } else {
    const tc_precision_result *one = d->ran ? d : m;
    res->verdict = one->verdict;
    res->reason = strdup(one->reason ? one->reason : "");
  }
}

static char *reproduce_command(const claim_run *cr, const tc_claim_result *res)
{
  const tc_precision_result *pr = res->prec[1].ran ? &res->prec[1] : &res->prec[0];
  if (!pr->has_witness)
    return NULL;
  const tc_run_options *opt = cr->opt;
  char *inst = opt->instances ? tc_strdupf(" --instances %zu", opt->instances) : strdup("");
  char *params = NULL;
  const job *wj = NULL;
  for (size_t i = 0; i < cr->njobs; i++)
    if (cr->jobs[i].index == pr->witness.index)
      wj = &cr->jobs[i];
  if (wj && wj->from_search) {
    params = tc_engine_point_label(&wj->point, 1);
  } else {
    size_t len = 1;
    for (size_t k = 0; k < opt->noverrides; k++)
      len += strlen(opt->overrides[k].name) + strlen(opt->overrides[k].value) + 12;
    params = calloc(len, 1);
    for (size_t k = 0; params && k < opt->noverrides; k++)
      sprintf(params + strlen(params), "%s--param %s=%s", k ? " " : "", opt->overrides[k].name,
              opt->overrides[k].value);
  }
  char *cmd = tc_strdupf("thmcheck reproduce %s --instance %zu --seed %llu%s%s%s", cr->claim->id,
                         pr->witness.index, (unsigned long long)opt->seed, inst,
                         params && *params ? " " : "", params ? params : "");
  free(inst);
  free(params);
  return cmd;
}

static void claim_run_clear(claim_run *cr);

static int run_one_claim(tc_claim_result *res, const tc_claim *cl, const tc_run_options *opt,
                         char *err, size_t errlen)
{
  claim_run cr = {0};
  cr.claim = cl;
  cr.opt = opt;
  res->claim = cl;
  grid_param *g = NULL;
  size_t n = 0;
  int status = build_grid_params(&g, &n, cl, opt, err, errlen);
  if (status == TC_SUCCESS)
    status = build_jobs(&cr, g, n, err, errlen);
  int use[2] = {(opt->precision & TC_PREC_DOUBLE) != 0, (opt->precision & TC_PREC_MPFR) != 0};
  int primary = use[0] ? 0 : 1;
  int searching = status == TC_SUCCESS && cl->kind == TC_KIND_DETERMINISTIC && cl->search > 0 &&
                  opt->only_instance < 0;
  if (searching) {
    int any_range = 0;
    for (size_t i = 0; i < n; i++)
      any_range |= g[i].is_range;
    searching = any_range;
  }
  progress_state ps = {0, cr.njobs * (size_t)(use[0] + use[1]) +
                              (searching ? cl->search * (size_t)(use[0] + use[1]) : 0)};
  for (int w = 0; w < 2 && status == TC_SUCCESS; w++) {
    if (!use[w])
      continue;
    cr.out[w] = calloc(cr.cap ? cr.cap : 1, sizeof(job_output));
    if (cr.out[w] == NULL)
      status = TC_ENOMEM;
  }
  for (int w = 0; w < 2 && status == TC_SUCCESS; w++)
    if (use[w])
      run_range(&cr, 0, cr.njobs, w, &ps);
  if (status == TC_SUCCESS && searching)
    status = run_search(&cr, g, n, primary, &ps);
  if (status == TC_SUCCESS) {
    for (int w = 0; w < 2; w++)
      if (use[w])
        tc_engine_aggregate(&res->prec[w], &cr, w);
    combine(res, &cr);
    res->reproduce = reproduce_command(&cr, res);
  }
  for (int w = 0; w < 2; w++) {
    if (cr.out[w] == NULL)
      continue;
    for (size_t i = 0; i < cr.njobs; i++)
      tc_engine_job_output_clear(&cr.out[w][i]);
    free(cr.out[w]);
  }
  claim_run_clear(&cr);
  free(g);
  return status;
}

static void claim_run_clear(claim_run *cr)
{
  for (size_t i = 0; i < cr->njobs; i++)
    job_clear(&cr->jobs[i]);
  free(cr->jobs);
  for (size_t i = 0; cr->group_labels && i < cr->ngroups; i++)
    free(cr->group_labels[i]);
  free(cr->group_labels);
}

static int preflight(const tc_claim *cl, const tc_run_options *opt, char *err, size_t errlen)
{
  claim_run cr = {0};
  cr.claim = cl;
  cr.opt = opt;
  grid_param *g = NULL;
  size_t n = 0;
  int status = build_grid_params(&g, &n, cl, opt, err, errlen);
  if (status == TC_SUCCESS)
    status = build_jobs(&cr, g, n, err, errlen);
  claim_run_clear(&cr);
  free(g);
  return status;
}

int tc_run_claims(tc_run_result **out, const tc_claim *const *claims, size_t n,
                  const tc_run_options *opt, char *err, size_t errlen)
{
  *out = NULL;
  if (!(opt->confidence > 0 && opt->confidence < 1)) {
    snprintf(err, errlen, "confidence must be in (0,1), not %g", opt->confidence);
    return TC_EDOM;
  }
  if (opt->bits < MPFR_PREC_MIN || opt->bits > 100000) {
    snprintf(err, errlen, "MPFR precision must be between %d and 100000 bits", (int)MPFR_PREC_MIN);
    return TC_EDOM;
  }
  tc_run_result *r = calloc(1, sizeof *r);
  if (r == NULL)
    return TC_ENOMEM;
  r->claims = calloc(n ? n : 1, sizeof *r->claims);
  if (r->claims == NULL) {
    free(r);
    return TC_ENOMEM;
  }
  r->seed = opt->seed;
  r->confidence = opt->confidence;
  r->bits = opt->bits;
  r->precision = opt->precision;
  r->instances = opt->instances;
  /* Validate every claim's parameters first: an input error must stop
   * the run before anything is measured. */
  int status = TC_SUCCESS;
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++)
    status = preflight(claims[i], opt, err, errlen);
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++) {
    status = run_one_claim(&r->claims[i], claims[i], opt, err, errlen);
    r->n = i + 1;
  }
  if (status) {
    tc_run_result_free(r);
    return status;
  }
  *out = r;
  return TC_SUCCESS;
}

void tc_run_result_free(tc_run_result *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->n; i++) {
    tc_claim_result *c = &r->claims[i];
    free(c->reason);
    free(c->disagree_note);
    free(c->reproduce);
    for (int w = 0; w < 2; w++)
      tc_engine_precision_result_clear(&c->prec[w]);
  }
  free(r->claims);
  free(r);
}

int tc_run_exit_status(const tc_run_result *r)
{
  int fail = 0, error = 0, inconclusive = 0;
  for (size_t i = 0; i < r->n; i++) {
    fail |= r->claims[i].verdict == TC_FAIL;
    error |= r->claims[i].verdict == TC_ERROR;
    inconclusive |= r->claims[i].verdict == TC_INCONCLUSIVE;
  }
  return fail ? 1 : error ? 3 : inconclusive ? 4 : 0;
}
