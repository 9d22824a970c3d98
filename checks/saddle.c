/* saddle.c — check modules "saddle-flow" and "saddle-gd": gradient flow and
 * gradient descent near the strict saddle 0 of a quadratic.
 *
 * saddle-flow (lecture 000 §2.4, "The quadratic case"): f(x) = x^T A x,
 *   A = Q diag(lambda) Q^T with lambda_1 = -lam < 0; gradient flow
 *   dx/dt = -2 A x, solved by classical RK4 (src/tc_ode.h) in the backend's
 *   arithmetic, independently of the closed form the notes give,
 *   x_{k,t} = x_{k,0} exp(-2 A_kk t) (in the eigenbasis for rotated A).
 *   Rows: one per (checkpoint t_j, coordinate k in {1, 2, d}): t, k,
 *   yk = v_k^T x_t (from the ODE), yk0 = v_k^T x_0, Akk = lambda_k,
 *   ode_err (an a-priori bound on |yk - exact|: RK4 truncation, computed
 *   from the exact one-step factor T4(z) against e^z, plus rounding), and
 *   per instance t_esc (first time |v_1^T x_t| reaches `c`, measured on the
 *   ODE trajectory and interpolated in log|y_1|, which is linear in t),
 *   t_err (its error bound; t_rnd its rounding part), t_exact (the exact escape time of the
 *   specified instance: the root of x10 e^{2 lam t} = c on the closed-form
 *   trajectory, by bisection to full precision, not the stated formula),
 *   lam, x10 = |y_10|, c, d, p.
 *
 * saddle-gd (lecture 001 strict-saddle example; lecture 003 "power
 *   iteration"): f(x) = 1/2 x^T H x, H = Q diag(lambda) Q^T, GD
 *   x_{t+1} = x_t - eta H x_t with eta = eta2 * 2 / lambda_max.  lambda_min
 *   and lambda_max are measured from the assembled H (eigenvalues), never
 *   taken from the construction.  Rows: one per iterate t = 1..K: t, y1 =
 *   |v_1^T x_t|, y10, growth = |1 - eta lambda_min|, perp = ||x_t - (v_1^T
 *   x_t) v_1||, perp0, xnorm, pow_t and pow_tm1 = max_k |v_k^T x_t - (1 -
 *   eta lambda_k)^s v_k^T x_0| for s = t and s = t - 1, y_err (error bound
 *   of y1 and of pow_t), and per instance t_esc (first t with y1 >= c, or
 *   K + 1), t_esc_pred = ceil(ln(c / y10) / ln growth), rate = (||x_K|| /
 *   ||x_{K/2}||)^(1/(K - K/2)) (the power-iteration estimate of the
 *   dominant factor on x_0's invariant subspace), eta, eta2, lmin, lmax.
 *
 * Families (`family`):
 *   notes    A = diag(-lam, 1, ..., 1), exactly the notes' A at lam = 1;
 *   rotated  Q Haar-random, lambda_2..d log-uniform in [pmin, 1] with one
 *            of them exactly 1; saddle-gd: the first `nzero` of them 0.
 * Initial point, in the eigenbasis: y_1 = +-x10 (x10 = `x10` if given,
 * else d^-p), the others Gaussian scaled to norm `rest`; saddle-gd with
 * start = positive: y_1 = 0 and the zero directions 0 (x_0 in the span of
 * the positive eigenvectors, as in lecture 003).  Drawn in double from the
 * instance seed so both backends start from the same numbers. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { SADDLE_NOTES, SADDLE_ROTATED };
static const char *const saddle_families[] = {"notes", "rotated", NULL};
enum { SADDLE_START_RANDOM, SADDLE_START_POSITIVE };
static const char *const saddle_starts[] = {"random", "positive", NULL};

/* Rotated A is applied through two dense products per field evaluation,
 * and saddle-gd measures its spectrum (MPFR Jacobi), so its dimension is
 * kept small; the diagonal family is O(d) per step. */
#define SADDLE_MAX_D 100000
#define SADDLE_MAX_D_ROTATED 64
#define SADDLE_MAX_STEPS 400000L
#define SADDLE_MAX_ITER 100000

typedef struct {
  int family, start;
  size_t d, nzero;
  double lam, pmin, x10, rest, c, p, eta2, hscale;
  long iterations;
} saddle_config;

static int saddle_config_read(saddle_config *c, const tc_point *p, char *err, size_t errlen)
{
  c->family = tc_param_lookup(tc_point_text(p, "family"), saddle_families);
  const char *st = tc_point_text(p, "start");
  c->start = st ? tc_param_lookup(st, saddle_starts) : SADDLE_START_RANDOM;
  if (c->family < 0 || c->start < 0) {
    snprintf(err, errlen, "family must be notes or rotated, start random or positive");
    return TC_EDOM;
  }
  c->d = (size_t)tc_point_get_or(p, "d", 2);
  c->nzero = (size_t)tc_point_get_or(p, "nzero", 0);
  c->lam = tc_point_get_or(p, "lam", 1);
  c->pmin = tc_point_get_or(p, "pmin", 1e-2);
  c->p = tc_point_get_or(p, "p", 1);
  c->x10 = tc_point_get_or(p, "x10", 0);
  if (c->x10 == 0)
    c->x10 = pow((double)c->d, -c->p);
  c->rest = tc_point_get_or(p, "rest", 1);
  c->c = tc_point_get_or(p, "c", 1);
  c->eta2 = tc_point_get_or(p, "eta2", 0.05);
  c->hscale = tc_point_get_or(p, "hscale", 0.05);
  c->iterations = (long)tc_point_get_or(p, "iterations", 100);
  if (c->family == SADDLE_ROTATED && c->d > SADDLE_MAX_D_ROTATED) {
    snprintf(err, errlen, "d must be <= %d for the rotated family", SADDLE_MAX_D_ROTATED);
    return TC_EDOM;
  }
  if (c->nzero + 2 > c->d || (c->nzero > 0 && c->family != SADDLE_ROTATED)) {
    snprintf(err, errlen, "nzero must be <= d - 2, and 0 for the notes family");
    return TC_EDOM;
  }
  if (!(c->x10 > 0) || !(c->x10 < c->c)) {
    snprintf(err, errlen, "the initial escaping component x10 = %g must lie in (0, c = %g)",
             c->x10, c->c);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int saddle_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  saddle_config c;
  int status = saddle_config_read(&c, p, err, errlen);
  if (status == TC_SUCCESS)
    return TC_SUCCESS;
  double d = tc_point_get_or(p, "d", 2);
  *param = d > SADDLE_MAX_D_ROTATED ? "d" : tc_point_get_or(p, "nzero", 0) > 0 ? "nzero" : "x10";
  return status;
}

/* The instance in double: the spectrum lam[] (lam[0] = -lam) and the
 * eigen-coordinates y0[] of x_0.  Q (rotated) is drawn afterwards from the
 * same generator by the backend. */
static void saddle_draw(double *lam, double *y0, const saddle_config *c, int gd, gsl_rng *rng)
{
  size_t d = c->d;
  lam[0] = -c->lam;
  for (size_t k = 1; k < d; k++) {
    if (c->family == SADDLE_NOTES || k == d - 1)
      lam[k] = 1.0;
    else if (gd && k <= c->nzero)
      lam[k] = 0.0;
    else
      lam[k] = exp(log(c->pmin) * gsl_rng_uniform(rng));
  }
  double nr = 0;
  for (size_t k = 1; k < d; k++) {
    y0[k] = gsl_ran_gaussian(rng, 1.0);
    if (gd && lam[k] == 0.0 && c->start == SADDLE_START_POSITIVE)
      y0[k] = 0;
    nr += y0[k] * y0[k];
  }
  for (size_t k = 1; k < d; k++)
    y0[k] = nr > 0 ? y0[k] * c->rest / sqrt(nr) : 0;
  y0[0] = gsl_rng_uniform(rng) < 0.5 ? -c->x10 : c->x10;
  if (gd && c->start == SADDLE_START_POSITIVE)
    y0[0] = 0;
}

/* saddle-flow keeps 8 checkpoints; saddle-gd keeps these series per iterate. */
#define SADDLE_NCK 8
enum { GD_Y1, GD_PERP, GD_XN, GD_POWT, GD_POWTM1, GD_YERR, GD_NSERIES };

#define TC_TEMPLATE "saddle_source.h"
#include "num/tc_instantiate.h"

#define SADDLE_COMMON_PARAMS                                                                \
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = saddle_families, .required = 1,     \
   .meaning = "notes: A = diag(-lam, 1, ..., 1); rotated: Q diag(lambda) Q^T"},             \
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = SADDLE_MAX_D, .required = 1,      \
   .meaning = "the dimension"},                                                             \
  {.name = "lam", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 10, .def = "1",    \
   .meaning = "-lambda_min: how strict the saddle is"},                                     \
  {.name = "pmin", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1, .def = "0.01",             \
   .meaning = "rotated: smallest positive eigenvalue"},                                     \
  {.name = "p", .type = TC_PARAM_REAL, .min = 0, .max = 100, .def = "1",                    \
   .meaning = "x10 = d^-p when x10 is not given"},                                          \
  {.name = "x10", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .def = "0",                  \
   .meaning = "|v_1^T x_0| (0: d^-p)"},                                                     \
  {.name = "rest", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .def = "1",                 \
   .meaning = "norm of x_0's other eigen-coordinates"},                                     \
  {.name = "c", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1e6, .def = "1",     \
   .meaning = "escape: |v_1^T x| reaches c"}

static const tc_param_spec saddle_flow_params[] = {
  SADDLE_COMMON_PARAMS,
  {.name = "hscale", .type = TC_PARAM_REAL, .min = 1e-4, .max = 0.5, .def = "0.05",
   .meaning = "RK4 step h = hscale / max|lambda|, rounded down to a power of 2"},
  {0}};

static const tc_param_spec saddle_gd_params[] = {
  SADDLE_COMMON_PARAMS,
  {.name = "eta2", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 10, .def = "0.05",
   .meaning = "eta lambda_max / 2 (eta < 2/lambda_max iff eta2 < 1)"},
  {.name = "nzero", .type = TC_PARAM_INTEGER, .min = 0, .max = SADDLE_MAX_D, .def = "0",
   .meaning = "rotated: number of zero eigenvalues"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = saddle_starts, .def = "random",
   .meaning = "random, or positive (x_0 in the span of the positive eigenvectors)"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 2, .max = SADDLE_MAX_ITER,
   .def = "100", .meaning = "GD steps K"},
  {0}};

static const tc_output_spec saddle_flow_outputs[] = {
  {.name = "t", .meaning = "time of the checkpoint"},
  {.name = "k", .meaning = "eigen-coordinate (1 = escaping)"},
  {.name = "yk", .meaning = "v_k^T x_t from the ODE solver"},
  {.name = "yk0", .meaning = "v_k^T x_0"},
  {.name = "Akk", .meaning = "lambda_k (A_kk in the eigenbasis)"},
  {.name = "ode_err", .meaning = "bound on |yk - exact|"},
  {.name = "t_esc", .meaning = "measured time for |v_1^T x_t| to reach c"},
  {.name = "t_err", .meaning = "bound on the error of t_esc"},
  {.name = "t_rnd", .meaning = "the rounding part of t_err (the rest is RK4 truncation)"},
  {.name = "t_exact", .meaning = "exact escape time: root of x10 e^{2 lam t} = c (bisection)"},
  {.name = "lam", .meaning = "-lambda_min"},
  {.name = "x10", .meaning = "|v_1^T x_0|"},
  {.name = "c", .meaning = "escape size"},
  {.name = "d", .meaning = "dimension"},
  {.name = "p", .meaning = "x10 = d^-p"},
  {0}};

static const tc_output_spec saddle_gd_outputs[] = {
  {.name = "t", .meaning = "iterate"},
  {.name = "y1", .meaning = "|v_1^T x_t|"},
  {.name = "y10", .meaning = "|v_1^T x_0|"},
  {.name = "growth", .meaning = "|1 - eta lambda_min|, measured"},
  {.name = "perp", .meaning = "norm of x_t orthogonal to v_1"},
  {.name = "perp0", .meaning = "norm of x_0 orthogonal to v_1"},
  {.name = "xnorm", .meaning = "||x_t||"},
  {.name = "pow_t", .meaning = "max_k |v_k^T x_t - (1 - eta lambda_k)^t v_k^T x_0|"},
  {.name = "pow_tm1", .meaning = "the same with exponent t - 1"},
  {.name = "y_err", .meaning = "bound on the rounding error of y1 and pow_t"},
  {.name = "t_esc", .meaning = "first t with y1 >= c (K + 1 if none)"},
  {.name = "t_esc_pred", .meaning = "ceil(ln(c/y10)/ln(growth))"},
  {.name = "rate", .meaning = "(||x_K|| / ||x_{K/2}||)^(1/(K - K/2))"},
  {.name = "eta", .meaning = "step size"},
  {.name = "eta2", .meaning = "eta lambda_max / 2"},
  {.name = "lmin", .meaning = "lambda_min(H), measured"},
  {.name = "lmax", .meaning = "lambda_max(H), measured"},
  {.name = "c", .meaning = "escape size"},
  {0}};

const tc_check tc_check_saddle_flow = {
  .name = "saddle-flow",
  .summary = "gradient flow on x^T A x at a strict saddle: RK4 vs the closed form, escape time",
  .params = saddle_flow_params,
  .outputs = saddle_flow_outputs,
  .validate = saddle_validate,
  .measure_d = saddle_flow_measure_d,
  .measure_mpfr = saddle_flow_measure_mpfr,
};

static const char *const saddle_sweeps[] = {"x10", "lam", NULL};

static const tc_param_spec saddle_sweep_params[] = {
  SADDLE_COMMON_PARAMS,
  {.name = "hscale", .type = TC_PARAM_REAL, .min = 1e-4, .max = 0.5, .def = "0.05",
   .meaning = "RK4 step h = hscale / max|lambda|, rounded down to a power of 2"},
  {.name = "sweep", .type = TC_PARAM_SYMBOL, .values = saddle_sweeps, .def = "x10",
   .meaning = "x10 from 1e-1 to 1e-30, or lam from 1 to 1e-2 (log-spaced)"},
  {.name = "points", .type = TC_PARAM_INTEGER, .min = 1, .max = 64, .def = "8",
   .meaning = "number of swept values (one row each)"},
  {0}};

static const tc_output_spec saddle_sweep_outputs[] = {
  {.name = "s", .meaning = "-log10 of the swept value"},
  {.name = "t_esc", .meaning = "measured escape time (RK4)"},
  {.name = "t_err", .meaning = "its error bound"},
  {.name = "t_rnd", .meaning = "the rounding part of t_err"},
  {.name = "t_exact", .meaning = "exact escape time: root of x10 e^{2 lam t} = c (bisection)"},
  {.name = "lam", .meaning = "-lambda_min"},
  {.name = "x10", .meaning = "|v_1^T x_0|"},
  {.name = "c", .meaning = "escape size"},
  {.name = "d", .meaning = "dimension"},
  {0}};

/* The sweep overrides x10 or lam, so validate the point at the sweep's
 * extremes through saddle-flow's checks. */
static int saddle_sweep_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  double c = tc_point_get_or(p, "c", 1);
  if (!(c > 0.1)) {
    *param = "c";
    snprintf(err, errlen, "c must exceed the largest swept x10 = 0.1, got %g", c);
    return TC_EDOM;
  }
  double d = tc_point_get_or(p, "d", 2);
  const char *f = tc_point_text(p, "family");
  if (f && strcmp(f, "rotated") == 0 && d > SADDLE_MAX_D_ROTATED) {
    *param = "d";
    snprintf(err, errlen, "d must be <= %d for the rotated family", SADDLE_MAX_D_ROTATED);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

const tc_check tc_check_saddle_sweep = {
  .name = "saddle-escape-sweep",
  .summary = "gradient-flow escape time from a strict saddle over the perturbation size or over lambda_min (one RK4 run per row)",
  .params = saddle_sweep_params,
  .outputs = saddle_sweep_outputs,
  .validate = saddle_sweep_validate,
  .measure_d = saddle_sweep_measure_d,
  .measure_mpfr = saddle_sweep_measure_mpfr,
};

const tc_check tc_check_saddle_gd = {
  .name = "saddle-gd",
  .summary = "gradient descent on 1/2 x^T H x near a strict saddle: growth, escape, power iteration",
  .params = saddle_gd_params,
  .outputs = saddle_gd_outputs,
  .validate = saddle_validate,
  .measure_d = saddle_gd_measure_d,
  .measure_mpfr = saddle_gd_measure_mpfr,
};
