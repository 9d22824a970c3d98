/* Counterexample shrinking, as property-based testing tools do it: after
 * a FAIL, move the failing point's parameters one at a time toward
 * simpler values and keep each move that still fails on fresh instances.
 *
 * Simpler values of a parameter the user did not fix with --param (tried
 * in this order, the first that still fails is kept):
 *   - for a whole-number value (a count), the catalog list's smaller values,
 *     smallest first (a smaller real, e.g. delta, is a stricter statement,
 *     not a simpler one);
 *   - an integer: the range's lowest integer (or 1), then halfway toward
 *     it, then one less (sizes, dimensions, iteration counts, rows);
 *   - a real: the same value to 1, 2, ... significant digits
 *     (8.7345 -> 9 -> ...), never outside its range;
 *   - a joint tuple: the catalog's tuples with a smaller sum of |values|;
 *   - symbolic values (family names) and a rate claim's sweep are kept.
 * Greedy passes over the parameters until none moves or the budget is
 * spent (tc_limits.h): TC_SHRINK_RUNS single instances for a
 * deterministic claim, TC_SHRINK_POINTS candidate points for the other
 * kinds, each re-sampled with the claim's instances per point (a rate
 * claim: per sweep value) and kept only if it still FAILs at the claim's
 * confidence -- a fresh, independent sample, never the one that found the
 * failure.  For those kinds the original point is re-sampled first.  A
 * candidate must FAIL in every precision that ran.  Runs are numbered
 * from TC_SHRINK_FIRST_INDEX with the search jobs' seed scheme, so each
 * shrunk counterexample is reproduced alone by its command. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"
#include "tc_limits.h"

#define MAX_CANDIDATES 64

typedef struct {
  char text[40];
  double value;
} candidate;

typedef struct {
  const claim_run *cr;
  const grid_param *g;
  size_t n;
  size_t sweep;       /* index of a rate claim's sweep parameter (SIZE_MAX: none) */
  size_t per;         /* instances per candidate and sweep value */
  size_t tried, budget; /* candidate points run, and allowed */
  size_t next_index;  /* first instance index of the next candidate */
  size_t spent;       /* instance runs per precision */
  size_t steps;       /* simplifications kept */
  job cur;            /* the simplest point known to fail */
  int found;          /* cur failed on a fresh sample (best holds its verdict) */
  tc_precision_result best;
  size_t best_first;  /* first instance index of best's sample */
} shrinker;

static int point_copy(job *dst, const job *src)
{
  size_t n = src->point.n;
  memset(dst, 0, sizeof *dst);
  dst->point.n = n;
  dst->point.v = calloc(n ? n : 1, sizeof *dst->point.v);
  dst->texts = calloc(n ? n : 1, sizeof *dst->texts);
  if (dst->point.v == NULL || dst->texts == NULL)
    return TC_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    dst->point.v[i] = src->point.v[i];
    if ((dst->texts[i] = strdup(src->texts[i])) == NULL)
      return TC_ENOMEM;
    dst->point.v[i].text = dst->texts[i];
  }
  return TC_SUCCESS;
}

static int point_set(job *jb, size_t i, const char *text, double value)
{
  char *t = strdup(text);
  if (t == NULL)
    return TC_ENOMEM;
  free(jb->texts[i]);
  jb->texts[i] = t;
  jb->point.v[i].text = t;
  jb->point.v[i].value = value;
  return TC_SUCCESS;
}

/* The point's label without parameter `skip` ("a=1, b=2" or "--param a=1 ..."). */
static char *label_without(const tc_point *p, size_t skip, int as_args)
{
  tc_point q = {0, calloc(p->n ? p->n : 1, sizeof(tc_point_value))};
  if (q.v == NULL)
    return strdup("");
  for (size_t i = 0; i < p->n; i++)
    if (i != skip)
      q.v[q.n++] = p->v[i];
  char *s = tc_engine_point_label(&q, as_args);
  free(q.v);
  return s;
}

/* ---- one candidate: its jobs, run and decided like the claim -------- */

static int add_jobs(claim_run *sub, const shrinker *sh, const job *pt)
{
  const grid_param *sw = sh->sweep == SIZE_MAX ? NULL : &sh->g[sh->sweep];
  size_t nsw = sw ? sw->nvalues : 1;
  for (size_t s = 0; s < nsw; s++)
    for (size_t i = 0; i < sh->per; i++) {
      job *jb = tc_engine_new_job(sub);
      if (jb == NULL || point_copy(jb, pt))
        return TC_ENOMEM;
      if (sw && point_set(jb, sh->sweep, sw->texts[s], sw->values[s]))
        return TC_ENOMEM;
      jb->index = sh->next_index + s * sh->per + i;
      jb->seed = tc_seed_derive(sh->cr->opt->seed, sh->cr->claim->id, jb->index);
      jb->group = 0;
    }
  return TC_SUCCESS;
}

static int run_backend(tc_precision_result *pr, claim_run *sub, int b)
{
  job_output *out = calloc(sub->njobs ? sub->njobs : 1, sizeof *out);
  if (out == NULL)
    return TC_ENOMEM;
  /* The candidate's point is prepared once, like any point; no progress. */
  tc_run_options quiet = *sub->opt;
  quiet.progress = NULL;
  const tc_run_options *opt = sub->opt;
  sub->opt = &quiet;
  sub->out[b] = out;
  progress_state ps = {0, sub->njobs};
  tc_engine_run_range(sub, 0, sub->njobs, b, &ps);
  tc_engine_aggregate_outputs(pr, sub, out);
  sub->opt = opt;
  sub->out[b] = NULL;
  for (size_t i = 0; i < sub->njobs; i++)
    tc_engine_job_output_clear(&out[i]);
  free(out);
  return TC_SUCCESS;
}

/* Run the candidate in every backend the claim ran; *fails when each says FAIL. */
static int run_candidate(tc_precision_result pr[TC_BACKEND_COUNT], shrinker *sh, const job *pt,
                         int *fails)
{
  claim_run sub = {0};
  sub.claim = sh->cr->claim;
  sub.opt = sh->cr->opt;
  sub.ngroups = 1;
  sub.group_labels = calloc(1, sizeof *sub.group_labels);
  int status = sub.group_labels ? add_jobs(&sub, sh, pt) : TC_ENOMEM;
  if (status == TC_SUCCESS)
    sub.group_labels[0] = label_without(&pt->point, sh->sweep, 0);
  *fails = status == TC_SUCCESS;
  for (int b = 0; b < TC_BACKEND_COUNT && status == TC_SUCCESS; b++) {
    if (sh->cr->out[b] == NULL)
      continue;
    status = run_backend(&pr[b], &sub, b);
    *fails &= status == TC_SUCCESS && pr[b].verdict == TC_FAIL;
  }
  sh->spent += sub.njobs;
  sh->next_index += sub.njobs;
  sh->tried++;
  tc_engine_claim_run_clear(&sub);
  return status;
}

/* Keep `cand` (taking it over) if it is valid and still fails; else free it. */
static int try_candidate(shrinker *sh, job *cand)
{
  const tc_check *check = sh->cr->claim->check;
  char msg[256];
  if (tc_check_validate(check, &cand->point, NULL, msg, sizeof msg) != TC_SUCCESS) {
    tc_engine_job_clear(cand);
    return 0;
  }
  tc_precision_result pr[TC_BACKEND_COUNT];
  memset(pr, 0, sizeof pr);
  size_t first = sh->next_index;
  int fails = 0;
  run_candidate(pr, sh, cand, &fails);
  int shown = tc_engine_main_backend(tc_engine_run_mask(sh->cr));
  if (fails) {
    tc_engine_precision_result_clear(&sh->best);
    sh->best = pr[shown];
    memset(&pr[shown], 0, sizeof pr[shown]);
    sh->best_first = first;
    tc_engine_job_clear(&sh->cur);
    sh->cur = *cand;
    sh->found = 1;
  } else {
    tc_engine_job_clear(cand);
  }
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    tc_engine_precision_result_clear(&pr[b]);
  return fails;
}

/* ---- simpler values ------------------------------------------------- */

static void add_candidate(candidate *c, size_t *k, const grid_param *p, double v, const char *text)
{
  double x = strtod(text, NULL);
  if (*k >= MAX_CANDIDATES || !(x < v || (x != v && !p->is_range && fabs(x) < fabs(v))))
    return;
  if (p->is_range && (x < p->lo || x > p->hi))
    return;
  for (size_t j = 0; j < *k; j++)
    if (c[j].value == x)
      return;
  snprintf(c[*k].text, sizeof c[*k].text, "%s", text);
  c[*k].value = x;
  ++*k;
}

static void add_number(candidate *c, size_t *k, const grid_param *p, double v, double x)
{
  char text[40];
  snprintf(text, sizeof text, "%.17g", x);
  add_candidate(c, k, p, v, text);
}

/* Smaller values of the catalog list, smallest first. */
static void list_candidates(candidate *c, size_t *k, const grid_param *p, double v)
{
  for (;;) {
    size_t pick = SIZE_MAX;
    for (size_t j = 0; j < p->nvalues; j++)
      if (p->values[j] < v && (pick == SIZE_MAX || p->values[j] < p->values[pick])) {
        int seen = 0;
        for (size_t q = 0; q < *k; q++)
          seen |= c[q].value == p->values[j];
        if (!seen)
          pick = j;
      }
    if (pick == SIZE_MAX)
      return;
    size_t before = *k;
    add_candidate(c, k, p, v, p->texts[pick]);
    if (*k == before)
      return;
  }
}

static size_t param_candidates(candidate *c, const grid_param *p, double v)
{
  size_t k = 0;
  if (p->override_text != NULL || isnan(v))
    return 0;
  /* Smaller list values only for counts (n, d, m, rows): a smaller real
   * such as delta or a step size changes how strict the statement is,
   * which is not a simpler counterexample. */
  if (!p->is_range && v == floor(v))
    list_candidates(c, &k, p, v);
  if (v == floor(v) && fabs(v) < 0x1p52) {
    double low = p->is_range ? ceil(p->lo) : 1;
    if (v > low) {
      add_number(c, &k, p, v, low);
      add_number(c, &k, p, v, low + floor((v - low) / 2));
      add_number(c, &k, p, v, v - 1);
    }
    return k;
  }
  for (int d = 1; d <= 16; d++) {
    char text[40];
    snprintf(text, sizeof text, "%.*g", d, v);
    if (strtod(text, NULL) == v)
      break;
    add_candidate(c, &k, p, INFINITY, text); /* any rounding is simpler, up or down */
  }
  return k;
}

static double tuple_size(const grid_param *g, size_t n, size_t first, size_t row)
{
  double s = 0;
  for (size_t i = first; i < n && g[i].tuple == g[first].tuple; i++)
    s += isnan(g[i].values[row]) ? 0 : fabs(g[i].values[row]);
  return s;
}

/* A joint tuple moves as one: to a catalog tuple with a smaller sum of |values|. */
static int shrink_tuple(shrinker *sh, size_t first)
{
  const grid_param *g = sh->g;
  double now = 0;
  for (size_t i = first; i < sh->n && g[i].tuple == g[first].tuple; i++)
    now += isnan(sh->cur.point.v[i].value) ? 0 : fabs(sh->cur.point.v[i].value);
  double floor_size = -1;
  while (sh->tried < sh->budget) {
    size_t pick = SIZE_MAX;
    double best = now;
    for (size_t k = 0; k < g[first].nvalues; k++) {
      size_t row = g[first].rows ? g[first].rows[k] : k;
      double s = tuple_size(g, sh->n, first, row);
      if (s < best && s > floor_size) {
        best = s;
        pick = row;
      }
    }
    if (pick == SIZE_MAX)
      return 0;
    floor_size = best;
    job cand;
    int ok = point_copy(&cand, &sh->cur) == TC_SUCCESS;
    for (size_t i = first; ok && i < sh->n && g[i].tuple == g[first].tuple; i++)
      ok = point_set(&cand, i, g[i].texts[pick], g[i].values[pick]) == TC_SUCCESS;
    if (!ok) {
      tc_engine_job_clear(&cand);
      return 0;
    }
    if (try_candidate(sh, &cand))
      return 1;
  }
  return 0;
}

static int shrink_param(shrinker *sh, size_t i)
{
  const grid_param *p = &sh->g[i];
  if (i == sh->sweep)
    return 0;
  if (p->tuple) {
    int first = i == 0 || sh->g[i - 1].tuple != p->tuple;
    return first && p->override_text == NULL ? shrink_tuple(sh, i) : 0;
  }
  candidate c[MAX_CANDIDATES];
  size_t k = param_candidates(c, p, sh->cur.point.v[i].value);
  for (size_t j = 0; j < k && sh->tried < sh->budget; j++) {
    job cand;
    if (point_copy(&cand, &sh->cur) || point_set(&cand, i, c[j].text, c[j].value)) {
      tc_engine_job_clear(&cand);
      return 0;
    }
    if (try_candidate(sh, &cand))
      return 1;
  }
  return 0;
}

/* ---- the result ----------------------------------------------------- */

/* The job a FAIL names: the witness, or a rate claim's first failing series. */
static const job *failing_job(const claim_run *cr, const tc_precision_result *pr, size_t sweep)
{
  for (size_t i = 0; pr->has_witness && i < cr->njobs; i++)
    if (cr->jobs[i].index == pr->witness.index)
      return &cr->jobs[i];
  for (size_t p = 0; cr->claim->kind == TC_KIND_RATE && p < pr->npoints; p++) {
    if (pr->points[p].verdict != TC_FAIL)
      continue;
    for (size_t i = 0; i < cr->njobs; i++) {
      char *label = label_without(&cr->jobs[i].point, sweep, 0);
      int same = strcmp(label, pr->points[p].params) == 0;
      free(label);
      if (same)
        return &cr->jobs[i];
    }
  }
  return NULL;
}

/* The --precision flag of a reproduce command ("" for the default):
 * the set's name (tc_backend_set_name), with :BITS when a backend of the
 * set runs at the run's bits. */
static char *precision_flags(const tc_run_options *opt)
{
  if (opt->precision == TC_PREC_BOTH && opt->bits == TC_DEFAULT_BITS)
    return strdup("");
  char name[128];
  tc_backend_set_name(name, sizeof name, opt->precision);
  int bits = 0;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    bits |= (opt->precision & (1 << b)) && tc_backends[b].uses_bits;
  if (!bits)
    return tc_strdupf(" --precision %s", name);
  return tc_strdupf(" --precision %s:%ld", name, (long)opt->bits);
}

static char *shrunk_command(const shrinker *sh, const char *args)
{
  const tc_run_options *opt = sh->cr->opt;
  const tc_claim *cl = sh->cr->claim;
  char *prec = precision_flags(opt);
  char *cmd;
  if (cl->kind == TC_KIND_DETERMINISTIC) {
    char *inst = opt->instances ? tc_strdupf(" --instances %zu", opt->instances) : strdup("");
    cmd = tc_strdupf("thmcheck reproduce %s --instance %zu --seed %llu%s%s %s", cl->id,
                     sh->best_first, (unsigned long long)opt->seed, inst, prec, args);
    free(inst);
  } else {
    char *conf = opt->confidence != TC_DEFAULT_CONFIDENCE
                     ? tc_strdupf(" --confidence %.17g", opt->confidence) : strdup("");
    cmd = tc_strdupf("thmcheck run %s --seed %llu --instances %zu --first-index %zu%s%s %s",
                     cl->id, (unsigned long long)opt->seed, sh->per, sh->best_first, conf, prec,
                     args);
    free(conf);
  }
  free(prec);
  return cmd;
}

static void fill_result(tc_claim_result *res, const shrinker *sh)
{
  const tc_precision_result *b = &sh->best;
  tc_witness *w = &res->shrunk;
  res->has_shrunk = 1;
  w->params = label_without(&sh->cur.point, sh->sweep, 0);
  w->param_args = label_without(&sh->cur.point, sh->sweep, 1);
  w->index = sh->best_first;
  w->seed = tc_seed_derive(sh->cr->opt->seed, sh->cr->claim->id, sh->best_first);
  /* Deterministic: the worst row.  Otherwise the failing point's
   * statistic against its bound (p-hat and the required probability, the
   * mean and the bound, the slope and the stated exponent). */
  const tc_point_summary *fp = NULL;
  for (size_t i = 0; i < b->npoints && fp == NULL; i++)
    fp = b->points[i].verdict == TC_FAIL ? &b->points[i] : NULL;
  int rows = sh->cr->claim->kind == TC_KIND_DETERMINISTIC || fp == NULL;
  w->x = rows && b->has_witness ? b->witness.x : fp ? fp->x : NAN;
  w->lhs = rows ? (b->has_witness ? b->witness.lhs : NAN) : fp->exact ? fp->reference : fp->estimate;
  w->rhs = rows ? (b->has_witness ? b->witness.rhs : NAN) : fp->bound;
  w->ratio = rows && b->has_witness ? b->witness.ratio : NAN;
  w->note = b->has_witness && b->witness.note ? strdup(b->witness.note) : NULL;
  res->shrunk_reproduce = shrunk_command(sh, w->param_args);
}

static size_t sweep_param(const claim_run *cr, const grid_param *g, size_t n)
{
  for (size_t i = 0; cr->claim->sweep_name && i < n; i++)
    if (strcmp(g[i].name, cr->claim->sweep_name) == 0)
      return i;
  return SIZE_MAX;
}

void tc_engine_shrink(tc_claim_result *res, const claim_run *cr, const grid_param *g, size_t n)
{
  if (res->verdict != TC_FAIL || cr->opt->only_instance >= 0)
    return;
  const tc_precision_result *pr = &res->prec[tc_engine_main_backend(tc_engine_run_mask(cr))];
  shrinker sh = {0};
  sh.cr = cr;
  sh.g = g;
  sh.n = n;
  sh.sweep = sweep_param(cr, g, n);
  const job *start = failing_job(cr, pr, sh.sweep);
  if (start == NULL || start->point.n != n || point_copy(&sh.cur, start)) {
    tc_engine_job_clear(&sh.cur);
    return;
  }
  int det = cr->claim->kind == TC_KIND_DETERMINISTIC;
  sh.per = det ? 1 : cr->opt->instances ? cr->opt->instances : cr->claim->instances;
  sh.budget = det ? TC_SHRINK_RUNS : TC_SHRINK_POINTS;
  sh.next_index = TC_SHRINK_FIRST_INDEX;
  job again;
  if (!det && point_copy(&again, &sh.cur) == TC_SUCCESS)
    try_candidate(&sh, &again); /* the original point on a fresh sample */
  for (int moved = 1; moved && sh.tried < sh.budget;) {
    moved = 0;
    for (size_t i = 0; i < n && sh.tried < sh.budget; i++)
      if (shrink_param(&sh, i)) {
        moved = 1;
        sh.steps++;
      }
  }
  if (sh.found)
    fill_result(res, &sh);
  res->shrink_runs = sh.spent;
  res->shrink_steps = sh.steps;
  tc_engine_precision_result_clear(&sh.best);
  tc_engine_job_clear(&sh.cur);
}

void tc_engine_shrunk_clear(tc_claim_result *res)
{
  free(res->shrunk.params);
  free(res->shrunk.param_args);
  free(res->shrunk.note);
  free(res->shrunk_reproduce);
}
