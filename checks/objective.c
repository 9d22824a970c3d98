/* objective — GD, SGD or gradient flow on an objective written in the
 * catalog, with its stated constants checked.
 *
 * A lecturer states a PL-type claim without writing C (docs/CATALOG.md,
 * "User-written objectives"): the claim's `objective`, `variables`,
 * `data`, `fstar` and `start` keys (tc_objective.h, parsed and checked at
 * load) give f, and the parameters below the method and the constants
 * the theorem assumes.  Gradients and Hessian-vector products come from
 * forward-mode automatic differentiation with hyper-dual numbers, in
 * double and in MPFR (objective_source.h): exact up to rounding.
 *
 * Per parameter point (prepare, in each backend):
 *  - x_0 from `start`;
 *  - f*: `fstar` when given; otherwise computed by minimising from x_0
 *    (gradient steps 1/L, then Newton-CG with H v by AD).  Under the PL
 *    condition with the stated mu, f(y) - ||grad f(y)||^2/(2 mu) <= f* <=
 *    f(y) at the point y reached, so f* = f(y) with that error, plus the
 *    rounding of f(y), goes into gap_err;
 *  - the stated constants, checked: the PL ratio ||grad f||^2/(2(f - f*))
 *    (must be >= mu) and the gradient's Lipschitz constant from below,
 *    the larger of the Hessian norm by power iteration with H v and the
 *    difference quotient ||g(x) - g(b)|| / ||x - b|| against the worst
 *    point b so far (it sees kinks such as abs, where H = 0; must be
 *    <= L), at x_0, `samples` uniform
 *    points of the box [-radius, radius]^d, then `search` steps of a
 *    Gaussian local search from the worst point of each.  Points within
 *    1000 times the error of f* are skipped (the ratio is 0/0 there).
 *    A stated constant that fails, or f(x) < f* beyond the error, is a
 *    module error: the claim is ERROR with the point in the message,
 *    never PASS on violated hypotheses.  The smallest ratio and largest
 *    curvature found are in the note.
 * Per instance (measure): the method, with the PL ratio checked again at
 * every iterate (gd), checkpoint (sgd) or checkpoint time (flow):
 *  - gd:   x_{k+1} = x_k - s grad f(x_k), s = step or 1/L; rows k = 1..K
 *          (or `checkpoints` geometrically spaced ones);
 *  - sgd:  x_{k+1} = x_k - s_k grad f_{i_k}(x_k), i_k uniform over the
 *          data rows (the instance's tape), s_k = step (schedule
 *          constant) or (2k+1)/(2 mu (k+1)^2) (schedule pl-diminishing,
 *          lecture 002 Theorem 3); with C given, ||grad f_i(x_k)||^2 <= C^2
 *          is checked for every i at every iterate (the squared form the
 *          proof uses);
 *  - flow: dx/dt = -grad f(x) by RK4 (tc_ode.h) on [0, horizon], rows at
 *          `checkpoints` (default 20) equally spaced times; a second run
 *          with half the step gives Richardson's error estimate ode_err.
 * Rows: k or t, gap = f(x) - f*, gap0, mu, L (stated), step (gd, sgd),
 * C (when given), G2 (sgd: max ||grad f_i(x_j)||^2 over j <= k, all i),
 * ode_err (flow), gap_err (error of gap: f*'s error, the rounding of
 * f(x), and for the flow 2 ode_err).  The rounding allowance 8 n u |f|
 * (n instructions) assumes no catastrophic cancellation inside the
 * summand; a catalog that needs more adds it in `error`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "tc_catalog.h"
#include "tc_objective.h"
#include "params.h"

enum { OBJ_METHOD_GD, OBJ_METHOD_SGD, OBJ_METHOD_FLOW };
static const char *const obj_methods[] = {"gd", "sgd", "flow", NULL};
enum { OBJ_SCHEDULE_CONSTANT, OBJ_SCHEDULE_DIMINISHING };
static const char *const obj_schedules[] = {"constant", "pl-diminishing", NULL};

#define OBJ_MAX_ITER 100000
#define OBJ_MAX_STEPS 1000000

typedef struct {
  int method, schedule;
  double mu, L, C, step, horizon, radius;
  int has_C, has_step;
  long iterations, steps, checkpoints, samples, search;
} obj_config;

static int obj_config_read(obj_config *c, const tc_objective *o, const tc_point *p, char *err,
                           size_t errlen)
{
  memset(c, 0, sizeof *c);
  if (o == NULL) {
    snprintf(err, errlen, "check module objective needs the claim's 'objective' keys");
    return TC_EDOM;
  }
  c->method = tc_param_lookup(tc_point_text(p, "method"), obj_methods);
  c->schedule = tc_param_lookup(tc_point_text(p, "schedule"), obj_schedules);
  if (c->schedule < 0)
    c->schedule = OBJ_SCHEDULE_CONSTANT;
  c->mu = tc_point_get_or(p, "mu", NAN);
  c->L = tc_point_get_or(p, "L", NAN);
  c->C = tc_point_get_or(p, "C", NAN);
  c->has_C = !isnan(c->C);
  c->step = tc_point_get_or(p, "step", NAN);
  c->has_step = !isnan(c->step);
  c->iterations = (long)tc_point_get_or(p, "iterations", 100);
  c->horizon = tc_point_get_or(p, "horizon", 10);
  c->steps = (long)tc_point_get_or(p, "steps", 400);
  c->checkpoints = (long)tc_point_get_or(p, "checkpoints", 0);
  c->radius = tc_point_get_or(p, "radius", 4);
  c->samples = (long)tc_point_get_or(p, "samples", 32);
  c->search = (long)tc_point_get_or(p, "search_steps", 40);
  if (c->method < 0 || !(c->mu > 0) || !(c->L > 0)) {
    snprintf(err, errlen, "objective: method (gd, sgd, flow), mu > 0 and L > 0 are required");
    return TC_EDOM;
  }
  if (c->method == OBJ_METHOD_SGD && o->nrows == 0) {
    snprintf(err, errlen, "method sgd needs 'data' rows (f is the mean of the summand over them)");
    return TC_EDOM;
  }
  if (c->method == OBJ_METHOD_SGD && c->schedule == OBJ_SCHEDULE_CONSTANT && !c->has_step) {
    snprintf(err, errlen, "method sgd with a constant schedule needs 'step'");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The constraints between parameters (each alone is checked from the specs). */
static int obj_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  const char *sched = tc_point_text(p, "schedule");
  int method = tc_param_lookup(tc_point_text(p, "method"), obj_methods);
  if (method == OBJ_METHOD_SGD && (sched == NULL || strcmp(sched, "constant") == 0) &&
      tc_point_text(p, "step") == NULL) {
    *param = "method";
    snprintf(err, errlen, "method sgd with a constant schedule needs param step");
    return TC_EDOM;
  }
  if (sched && method != OBJ_METHOD_SGD) {
    *param = "schedule";
    snprintf(err, errlen, "schedule applies to method sgd only");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* Rows: every iterate (m = 0), or about m geometrically spaced ones and K. */
static int obj_is_checkpoint(long k, long K, long m)
{
  if (m == 0 || k == K)
    return 1;
  double scale = (double)m / log((double)K + 1);
  return floor(scale * log((double)k + 1)) != floor(scale * log((double)k));
}

/* Parameter values for `start` and `fstar` (numbers as written, so MPFR
 * rounds the text, not a double). */
static int obj_point_lookup(mpfr_ptr value, const char *name, void *data)
{
  const char *text = tc_point_text(data, name);
  double v;
  if (text == NULL || tc_point_get(&v, data, name) != TC_SUCCESS)
    return 1;
  if (mpfr_set_str(value, text, 10, MPFR_RNDN) != 0)
    mpfr_set_d(value, v, MPFR_RNDN);
  return 0;
}

/* The seed of the constant checks' sample: the point's parameters only,
 * so every instance (and both backends) probe the same points. */
static uint64_t obj_point_seed(const tc_point *p)
{
  const char *names[64 + 1];
  size_t n = 0;
  for (size_t i = 0; i < p->n && n < 64; i++)
    names[n++] = p->v[i].name;
  names[n] = NULL;
  return tc_point_seed(p, "objective;", names);
}

/* ---- backend shims: the scalar functions the operation list lacks ---- */
static inline void obj_cos_d(double *r, const double *a) { *r = cos(*a); }
static inline void obj_cos_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_cos(r, a, MPFR_RNDN); }
static inline void obj_tanh_d(double *r, const double *a) { *r = tanh(*a); }
static inline void obj_tanh_mpfr(mpfr_ptr r, mpfr_srcptr a) { mpfr_tanh(r, a, MPFR_RNDN); }
static inline void obj_round_d(double *r, const double *a, int down)
{
  *r = down ? floor(*a) : ceil(*a);
}
static inline void obj_round_mpfr(mpfr_ptr r, mpfr_srcptr a, int down)
{
  if (down)
    mpfr_floor(r, a);
  else
    mpfr_ceil(r, a);
}
/* Literals: correctly rounded from their text in both backends. */
static inline void obj_set_str_d(double *r, const char *s) { *r = strtod(s, NULL); }
static inline void obj_set_str_mpfr(mpfr_ptr r, const char *s) { mpfr_set_str(r, s, 10, MPFR_RNDN); }
static inline void obj_from_mpfr_d(double *r, mpfr_srcptr v) { *r = mpfr_get_d(v, MPFR_RNDN); }
static inline void obj_from_mpfr_mpfr(mpfr_ptr r, mpfr_srcptr v) { mpfr_set(r, v, MPFR_RNDN); }
static inline mpfr_prec_t obj_prec_d(mpfr_prec_t p) { (void)p; return 53; }
static inline mpfr_prec_t obj_prec_mpfr(mpfr_prec_t p) { return p; }
static double obj_unit_d(mpfr_prec_t p) { (void)p; return 0x1p-53; }
static double obj_unit_mpfr(mpfr_prec_t p) { return ldexp(1.0, -(int)p); }

#define TC_TEMPLATE "objective_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec obj_params[] = {
  {.name = "method", .type = TC_PARAM_SYMBOL, .values = obj_methods, .required = 1,
   .meaning = "gd, sgd or flow"},
  {.name = "mu", .type = TC_PARAM_REAL, .min = 0, .max = INFINITY, .min_open = 1, .max_open = 1,
   .required = 1, .meaning = "the stated PL constant (checked)"},
  {.name = "L", .type = TC_PARAM_REAL, .min = 0, .max = INFINITY, .min_open = 1, .max_open = 1,
   .required = 1, .meaning = "the stated Lipschitz constant of the gradient (checked)"},
  {.name = "C", .type = TC_PARAM_REAL, .min = 0, .max = INFINITY, .min_open = 1, .max_open = 1,
   .meaning = "sgd: the stated bound ||grad f_i(x_k)||^2 <= C^2 (checked)"},
  {.name = "step", .type = TC_PARAM_REAL, .min = 0, .max = INFINITY, .min_open = 1, .max_open = 1,
   .meaning = "step size (gd: default 1/L; sgd constant schedule: required)"},
  {.name = "schedule", .type = TC_PARAM_SYMBOL, .values = obj_schedules, .def = "constant",
   .meaning = "sgd: constant, or pl-diminishing s_k = (2k+1)/(2 mu (k+1)^2)"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 1, .max = OBJ_MAX_ITER, .def = "100",
   .meaning = "gd, sgd: iterations K"},
  {.name = "horizon", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .min_open = 1, .def = "10",
   .meaning = "flow: final time T"},
  {.name = "steps", .type = TC_PARAM_INTEGER, .min = 1, .max = OBJ_MAX_STEPS, .def = "400",
   .meaning = "flow: RK4 steps over [0, T] (and twice as many for the error estimate)"},
  {.name = "checkpoints", .type = TC_PARAM_INTEGER, .min = 0, .max = 10000, .def = "0",
   .meaning = "rows: 0 = every iterate (gd, sgd; 20 for flow), else about this many"},
  {.name = "radius", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .min_open = 1, .def = "4",
   .meaning = "half-width of the box where mu and L are sampled"},
  {.name = "samples", .type = TC_PARAM_INTEGER, .min = 0, .max = 100000, .def = "32",
   .meaning = "points sampled to check mu and L"},
  {.name = "search_steps", .type = TC_PARAM_INTEGER, .min = 0, .max = 100000, .def = "40",
   .meaning = "local-search steps for the worst point of mu and of L"},
  {0}};

static const tc_output_spec obj_outputs[] = {
  {.name = "k", .meaning = "gd, sgd: the iterate"},
  {.name = "t", .meaning = "flow: the time"},
  {.name = "gap", .meaning = "f(x) - f*"},
  {.name = "gap0", .meaning = "f(x_0) - f*"},
  {.name = "mu", .meaning = "the stated PL constant (checked on samples and a search)"},
  {.name = "L", .meaning = "the stated gradient Lipschitz constant (checked likewise)"},
  {.name = "C", .meaning = "sgd: the stated gradient bound (checked along the iterates)"},
  {.name = "G2", .meaning = "sgd: max ||grad f_i(x_j)||^2 over j <= k and all i"},
  {.name = "step", .meaning = "gd, sgd: the step of iteration k"},
  {.name = "ode_err", .meaning = "flow: Richardson estimate of the RK4 error of f(x(t))"},
  {.name = "gap_err", .meaning = "error estimate of gap (f*, rounding, ODE)"},
  {0}};

const tc_check tc_check_objective = {
  .name = TC_OBJECTIVE_CHECK,
  .summary = "gd, sgd or gradient flow on an objective written in the catalog (AD gradients); "
             "stated mu, L, C checked",
  .params = obj_params,
  .outputs = obj_outputs,
  .validate = obj_validate,
  .measure_d = obj_measure_d,
  .measure_mpfr = obj_measure_mpfr,
  .prepare_d = obj_prepare_d,
  .prepare_mpfr = obj_prepare_mpfr,
  .release_d = obj_shared_free_d,
  .release_mpfr = obj_shared_free_mpfr,
};
