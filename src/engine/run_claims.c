/* tc_run_claims: catalog claims -> jobs -> measurements -> verdicts. */
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/* ---- execution -----------------------------------------------------
 *
 * POSIX threads rather than OpenMP: the progress callback and everything
 * sequential stay on the caller's thread without a runtime that spins
 * idle workers between parallel ranges (the worst-case search, the
 * statistics) or breaks after fork, the thread count is a per-call
 * argument of a library function, and there is no compiler flag to carry.
 * Jobs are handed out one at a time from a shared counter (their costs
 * differ by orders of magnitude), each writes only its own pre-allocated
 * job_output, and nothing is combined here: the result cannot depend on
 * the number of threads or on which thread ran what. */

/* Threads for a run: opt->jobs, or one per core this process may run on. */
static unsigned run_threads(const tc_run_options *opt)
{
  /* Without thread-local MPFR state, the exponent range each job widens
   * would be shared: run on the caller's thread alone. */
  if (!mpfr_buildopt_tls_p())
    return 1;
  if (opt->jobs > 0)
    return opt->jobs;
#ifdef CPU_COUNT
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set) < TC_MAX_THREADS ? (unsigned)CPU_COUNT(&set) : TC_MAX_THREADS;
#endif
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n < TC_MAX_THREADS ? (unsigned)n : TC_MAX_THREADS;
}

void tc_engine_report_progress(const claim_run *cr, progress_state *ps)
{
  ps->done++;
  if (cr->opt->progress)
    cr->opt->progress(cr->opt->progress_data, cr->claim->id, ps->done, ps->total);
}

/* Consecutive jobs at one point share the module's prepared data, made on
 * the caller's thread before any run and released after all have joined;
 * the runs only read it. */
typedef struct {
  size_t from, to;
  prepared_point pp[TC_BACKEND_COUNT];
} point_segment;

static point_segment *prepare_segments(size_t *nseg, size_t *seg_of, claim_run *cr, size_t from,
                                       size_t to, int mask)
{
  point_segment *segs = malloc((to > from ? to - from : 1) * sizeof *segs);
  *nseg = 0;
  if (segs == NULL)
    return NULL;
  for (size_t i = from; i < to;) {
    size_t end = i + 1;
    while (end < to && tc_engine_same_point(&cr->jobs[i], &cr->jobs[end]))
      end++;
    point_segment *s = &segs[(*nseg)++];
    s->from = i;
    s->to = end;
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      if (mask & (1 << b))
        tc_engine_prepare(&s->pp[b], cr, &cr->jobs[i], b);
    for (; i < end; i++)
      seg_of[i - from] = *nseg - 1;
  }
  return segs;
}

static void release_segments(point_segment *segs, size_t nseg, claim_run *cr, int mask)
{
  for (size_t k = 0; k < nseg; k++)
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      if (mask & (1 << b))
        tc_engine_release(&segs[k].pp[b], cr, b);
  free(segs);
}

/* The runs of jobs [from, to) in the backends of `mask` (bit b: out[b]),
 * the most expensive backend first (the last in the table): the longest
 * tasks start first and short ones fill the end. */
typedef struct {
  claim_run *cr;
  size_t from, count, ntasks;
  int order[TC_BACKEND_COUNT]; /* backends in task order */
  progress_state *ps;
  size_t next;       /* next task to hand out, under lock */
  size_t chunk;      /* tasks handed out at once */
  pthread_mutex_t lock;
  const point_segment *segs;
  const size_t *seg_of;
} task_queue;

static void run_task(task_queue *q, size_t k)
{
  int b = q->order[k / q->count];
  size_t i = q->from + k % q->count;
  const prepared_point *pp = &q->segs[q->seg_of[i - q->from]].pp[b];
  tc_engine_run_job(&q->cr->out[b][i], q->cr, &q->cr->jobs[i], b, pp);
}

/* Take tasks until none is left; progress is reported under the lock, so
 * the callback is never called concurrently and `done` counts up by one. */
static void drain(task_queue *q)
{
  pthread_mutex_lock(&q->lock);
  while (q->next < q->ntasks) {
    /* A few tasks at a time: the ball claim's 192,000 runs of a few
     * microseconds each would otherwise spend their time on the lock. */
    size_t k = q->next, end = k + q->chunk < q->ntasks ? k + q->chunk : q->ntasks;
    q->next = end;
    pthread_mutex_unlock(&q->lock);
    for (size_t t = k; t < end; t++)
      run_task(q, t);
    pthread_mutex_lock(&q->lock);
    for (size_t t = k; t < end; t++)
      tc_engine_report_progress(q->cr, q->ps);
  }
  pthread_mutex_unlock(&q->lock);
}

static void *worker(void *arg)
{
  drain(arg);
  /* MPFR's constant caches are per thread (built with TLS): free this
   * thread's, which would otherwise leak when it exits. */
  mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
  return NULL;
}

int tc_engine_run_jobs(claim_run *cr, size_t from, size_t to, int mask, progress_state *ps)
{
  if (to <= from)
    return TC_SUCCESS;
  size_t nseg, *seg_of = malloc((to - from) * sizeof *seg_of);
  point_segment *segs = seg_of ? prepare_segments(&nseg, seg_of, cr, from, to, mask) : NULL;
  if (segs == NULL) {
    free(seg_of);
    return TC_ENOMEM;
  }
  task_queue q = {cr, from, to - from, 0, {0}, ps, 0, 1, PTHREAD_MUTEX_INITIALIZER, segs, seg_of};
  size_t norder = 0;
  for (int b = TC_BACKEND_COUNT - 1; b >= 0; b--)
    if (mask & (1 << b))
      q.order[norder++] = b;
  q.ntasks = q.count * norder;
  unsigned threads = run_threads(cr->opt);
  if (threads > q.ntasks)
    threads = q.ntasks ? (unsigned)q.ntasks : 1;
  /* Chunks small enough that the last ones still balance the threads. */
  q.chunk = q.ntasks / ((size_t)threads * 256) + 1;
  if (q.chunk > 64)
    q.chunk = 64;
  pthread_t tid[TC_MAX_THREADS];
  unsigned started = 0;
  /* One fewer thread than asked: the caller works too.  A thread that
   * cannot be created leaves its share to the others. */
  while (started + 1 < threads && pthread_create(&tid[started], NULL, worker, &q) == 0)
    started++;
  drain(&q);
  for (unsigned t = 0; t < started; t++)
    pthread_join(tid[t], NULL);
  pthread_mutex_destroy(&q.lock);
  release_segments(segs, nseg, cr, mask);
  free(seg_of);
  return TC_SUCCESS;
}

int tc_engine_run_range(claim_run *cr, size_t from, size_t to, int backend, progress_state *ps)
{
  return tc_engine_run_jobs(cr, from, to, 1 << backend, ps);
}

/* The backend whose witness a claim's commands name: the main one, unless
 * only another one left the claim undecided (rows within the error estimate). */
static const tc_precision_result *witness_backend(const tc_claim_result *res, const claim_run *cr)
{
  const tc_precision_result *pr = &res->prec[tc_engine_main_backend(tc_engine_run_mask(cr))];
  if (res->verdict != TC_INCONCLUSIVE || pr->within_error > 0)
    return pr;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (res->prec[b].ran && res->prec[b].within_error > 0 && res->prec[b].has_witness &&
        !isnan(res->prec[b].within_error_margin))
      return &res->prec[b];
  return pr;
}

static char *reproduce_command(const claim_run *cr, const tc_claim_result *res)
{
  const tc_precision_result *pr = witness_backend(res, cr);
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

/* An INCONCLUSIVE claim whose main backend has rows within the module's
 * error estimate: its reason ends with the command that shows the worst. */
static void name_within_error_row(tc_claim_result *res, const claim_run *cr)
{
  const tc_precision_result *pr = witness_backend(res, cr);
  if (res->verdict != TC_INCONCLUSIVE || pr->within_error == 0 || res->reproduce == NULL ||
      isnan(pr->within_error_margin) || res->reason == NULL)
    return;
  char *longer = tc_strdupf("%s; reproduce: %s", res->reason, res->reproduce);
  free(res->reason);
  res->reason = longer;
}

static int run_one_claim(tc_claim_result *res, const tc_claim *cl, const tc_run_options *opt,
                         char *err, size_t errlen)
{
  claim_run cr = {0};
  cr.claim = cl;
  cr.opt = opt;
  res->claim = cl;
  grid_param *g = NULL;
  size_t n = 0;
  int status = tc_engine_grid_params(&g, &n, cl, opt, err, errlen);
  if (status == TC_SUCCESS)
    status = tc_engine_build_jobs(&cr, g, n, err, errlen);
  int mask = opt->precision & TC_PREC_ALL;
  size_t nb = (size_t)tc_engine_backend_count(mask);
  int searching = status == TC_SUCCESS && cl->kind == TC_KIND_DETERMINISTIC && cl->search > 0 &&
                  opt->only_instance < 0;
  if (searching) {
    int any_range = 0;
    for (size_t i = 0; i < n; i++)
      any_range |= g[i].is_range;
    searching = any_range;
  }
  progress_state ps = {0, cr.njobs * nb + (searching ? cl->search * nb : 0)};
  for (int b = 0; b < TC_BACKEND_COUNT && status == TC_SUCCESS; b++) {
    if (!(mask & (1 << b)))
      continue;
    cr.out[b] = calloc(cr.cap ? cr.cap : 1, sizeof(job_output));
    if (cr.out[b] == NULL)
      status = TC_ENOMEM;
  }
  if (status == TC_SUCCESS)
    tc_engine_run_jobs(&cr, 0, cr.njobs, mask, &ps);
  if (status == TC_SUCCESS && searching)
    status = tc_engine_run_search(&cr, g, n, tc_engine_cheapest_backend(mask), &ps);
  cr.looks = tc_engine_planned_looks(cr.per, cr.stride);
  if (status == TC_SUCCESS)
    status = tc_engine_run_search_stats(&cr, g, n, mask, &ps);
  if (status == TC_SUCCESS)
    status = tc_engine_run_sequential(&cr, g, n, mask, &ps);
  if (status == TC_SUCCESS) {
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      if (mask & (1 << b))
        tc_engine_aggregate(&res->prec[b], &cr, b);
    tc_engine_combine(res, &cr);
    res->reproduce = reproduce_command(&cr, res);
    name_within_error_row(res, &cr);
    tc_engine_shrink(res, &cr, g, n);
  }
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    if (cr.out[b] == NULL)
      continue;
    for (size_t i = 0; i < cr.njobs; i++)
      tc_engine_job_output_clear(&cr.out[b][i]);
    free(cr.out[b]);
  }
  tc_engine_claim_run_clear(&cr);
  free(g);
  return status;
}

static int preflight(const tc_claim *cl, const tc_run_options *opt, char *err, size_t errlen)
{
  claim_run cr = {0};
  cr.claim = cl;
  cr.opt = opt;
  grid_param *g = NULL;
  size_t n = 0;
  int status = tc_engine_grid_params(&g, &n, cl, opt, err, errlen);
  if (status == TC_SUCCESS)
    status = tc_engine_build_jobs(&cr, g, n, err, errlen);
  tc_engine_claim_run_clear(&cr);
  free(g);
  return status;
}

int tc_run_preflight(const tc_claim *const *claims, size_t n, const tc_run_options *opt, char *err,
                     size_t errlen)
{
  int status = TC_SUCCESS;
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++)
    status = preflight(claims[i], opt, err, errlen);
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
  if ((opt->precision & TC_PREC_ALL) == 0 || (opt->precision & ~TC_PREC_ALL) != 0) {
    snprintf(err, errlen, "precision must be a non-empty set of the %d backends, not %d",
             TC_BACKEND_COUNT, opt->precision);
    return TC_EDOM;
  }
  if (opt->jobs > TC_MAX_THREADS) {
    snprintf(err, errlen, "jobs must be between 1 and %d (0: one per core), not %u", TC_MAX_THREADS,
             opt->jobs);
    return TC_EDOM;
  }
  /* Before any thread starts: GSL's process-global handler is never
   * toggled while instances run. */
  tc_gsl_errors_off();
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
  int status = tc_run_preflight(claims, n, opt, err, errlen);
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
    tc_engine_shrunk_clear(c);
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      tc_engine_precision_result_clear(&c->prec[b]);
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
