/* saddle_pgd.c — check module "saddle-pgd": perturbed gradient descent
 * (Jin, Ge, Netrapalli, Kakade, Jordan 2017, "How to escape saddle points
 * efficiently", Algorithm 2 and Theorem 3), cited in lecture 000 §2.5 as
 * "Thm 2 of Jin et al. (2017)".
 *
 * PGD(x_0, l, rho, eps, c, delta, Df) with the paper's parameters:
 *   chi = 3 max{ln(d l Df / (c eps^2 delta)), 4}, eta = c / l,
 *   r = sqrt(c)/chi^2 * eps/l, g_thres = sqrt(c)/chi^2 * eps,
 *   f_thres = c/chi^3 * sqrt(eps^3/rho), t_thres = chi/c^2 * l/sqrt(rho eps);
 *   t_noise = -t_thres - 1; for t = 0, 1, ...:
 *     if ||grad f(x_t)|| <= g_thres and t - t_noise > t_thres:
 *       x~ <- x_t, t_noise <- t, x_t <- x~ + xi, xi ~ Unif(B(0, r));
 *     if t - t_noise = t_thres and f(x_t) - f(x~) > -f_thres: return x~;
 *     x_{t+1} <- x_t - eta grad f(x_t).
 * The noise is drawn from the tape (stream 1: d Gaussians per perturbation,
 * stream 2: one uniform for the radius), so double and MPFR see the same
 * draws even when their branches differ (the gradient test is a branch).
 *
 * The function (known l, rho, f*): with m <= d "saddle coordinates",
 *   f(x) = sum_{j<m} (gamma/k^2) cos(k x_j) + 1/2 sum_{i>=m} a_i x_i^2,
 * a_i log-uniform in [amin, gamma] with one a_i = gamma (d > m).  Hessian
 * diag(-gamma cos(k x_j), a_i): l = gamma, rho = gamma k (only the
 * diagonal moves, |d/dx (-gamma cos kx)| <= gamma k), f* = -m gamma/k^2,
 * x_0 = 0 a strict saddle with m directions of curvature -gamma, Df =
 * f(x_0) - f* = 2 m gamma / k^2.  PGD is rotation-equivariant (GD and the
 * isotropic ball noise), so the axis-aligned instance loses nothing.
 *
 * Row (one per instance): iters (the t at which PGD returned, or the cap),
 * returned, sosp (1 if ||grad f(x~)|| <= eps and lambda_min >= -sqrt(rho
 * eps)), gnorm, lmin, curv = sqrt(rho eps), budget = l Df / eps^2 *
 * ln^4(d l Df / (eps^2 delta)) (Theorem 3's bound with constant 1),
 * t_thres, chi, nperturb, eps, delta, d, l, rho, Df, eps_notes = l/rho
 * (the notes' hypothesis eps < l/rho), eps_paper = l^2/rho (the paper's
 * eps <= l^2/rho).  The cap is min(cap_factor * budget, 2e6) iterations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

#define SADDLE_PGD_MAX_D 1000
#define SADDLE_PGD_HARD_CAP 2000000.0

typedef struct {
  size_t d, m;
  double eps, delta, c, gamma, k, amin, cap_factor;
} saddle_pgd_config;

static void saddle_pgd_config_read(saddle_pgd_config *c, const tc_point *p)
{
  c->d = (size_t)tc_point_get_or(p, "d", 2);
  c->m = (size_t)tc_point_get_or(p, "m", 1);
  c->eps = tc_point_get_or(p, "eps", 0.01);
  c->delta = tc_point_get_or(p, "delta", 0.1);
  c->c = tc_point_get_or(p, "c", 1);
  c->gamma = tc_point_get_or(p, "gamma", 1);
  c->k = tc_point_get_or(p, "k", 1);
  c->amin = tc_point_get_or(p, "amin", 0.1);
  c->cap_factor = tc_point_get_or(p, "cap_factor", 10);
}

static int saddle_pgd_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  saddle_pgd_config c;
  saddle_pgd_config_read(&c, p);
  if (c.m > c.d) {
    *param = "m";
    snprintf(err, errlen, "m must be <= d, got m = %zu, d = %zu", c.m, c.d);
    return TC_EDOM;
  }
  if (c.amin > c.gamma) {
    *param = "amin";
    snprintf(err, errlen, "amin must be <= gamma");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int saddle_pgd_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status = tc_tape_open(tape, 1, TC_DRAW_GAUSSIAN, 0);
  if (status == TC_SUCCESS)
    status = tc_tape_open(tape, 2, TC_DRAW_UNIFORM_POS, 0);
  if (status)
    snprintf(err, errlen, "cannot open the tape's noise streams");
  return status;
}

/* The constants the paper sets (Algorithm 2), from l, rho, eps, c, delta
 * and Df, with the iteration budget and cap: instance data in double, the
 * same in both backends. */
typedef struct {
  double l, rho, Df, chi, r, gth, fth, budget;
  long tth, cap;
} saddle_pgd_plan;

static void saddle_pgd_plan_compute(saddle_pgd_plan *P, const saddle_pgd_config *c)
{
  double l = c->gamma, rho = c->gamma * c->k, Df = 2.0 * (double)c->m * c->gamma / (c->k * c->k);
  double chi = 3 * fmax(log((double)c->d * l * Df / (c->c * c->eps * c->eps * c->delta)), 4.0);
  P->l = l;
  P->rho = rho;
  P->Df = Df;
  P->chi = chi;
  P->r = sqrt(c->c) / (chi * chi) * c->eps / l;
  P->gth = sqrt(c->c) / (chi * chi) * c->eps;
  P->fth = c->c / (chi * chi * chi) * sqrt(c->eps * c->eps * c->eps / rho);
  P->tth = (long)ceil(chi / (c->c * c->c) * l / sqrt(rho * c->eps));
  double lg = log((double)c->d * l * Df / (c->eps * c->eps * c->delta));
  P->budget = l * Df / (c->eps * c->eps) * pow(fmax(lg, 1.0), 4);
  P->cap = (long)ceil(fmin(c->cap_factor * P->budget, SADDLE_PGD_HARD_CAP));
}

#define TC_TEMPLATE "saddle_pgd_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec saddle_pgd_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = SADDLE_PGD_MAX_D, .required = 1,
   .meaning = "the dimension"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = SADDLE_PGD_MAX_D, .def = "1",
   .meaning = "number of saddle (cosine) coordinates"},
  {.name = "eps", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1e3, .required = 1,
   .meaning = "the accuracy epsilon"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .max_open = 1,
   .required = 1, .meaning = "the failure probability"},
  {.name = "c", .type = TC_PARAM_REAL, .min = 1e-3, .max = 1, .def = "1",
   .meaning = "the algorithm's constant c (<= c_max)"},
  {.name = "gamma", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e6, .def = "1",
   .meaning = "curvature scale: l = gamma"},
  {.name = "k", .type = TC_PARAM_REAL, .min = 1e-3, .max = 1e3, .def = "1",
   .meaning = "frequency: rho = gamma k"},
  {.name = "amin", .type = TC_PARAM_REAL, .min = 1e-9, .max = 1e6, .def = "0.1",
   .meaning = "smallest positive curvature"},
  {.name = "cap_factor", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e6, .def = "10",
   .meaning = "iteration cap as a multiple of the budget"},
  {0}};

static const tc_output_spec saddle_pgd_outputs[] = {
  {.name = "iters", .meaning = "iterations until PGD returned (or the cap)"},
  {.name = "returned", .meaning = "1 if PGD returned before the cap"},
  {.name = "sosp", .meaning = "1 if the output is an eps-second-order stationary point"},
  {.name = "gnorm", .meaning = "||grad f|| at the output"},
  {.name = "lmin", .meaning = "lambda_min of the Hessian at the output"},
  {.name = "curv", .meaning = "sqrt(rho eps)"},
  {.name = "budget", .meaning = "l Df/eps^2 ln^4(d l Df/(eps^2 delta))"},
  {.name = "t_thres", .meaning = "the algorithm's t_thres"},
  {.name = "chi", .meaning = "the algorithm's chi"},
  {.name = "nperturb", .meaning = "number of perturbations"},
  {.name = "eps", .meaning = "epsilon"},
  {.name = "delta", .meaning = "delta"},
  {.name = "d", .meaning = "dimension"},
  {.name = "l", .meaning = "gradient Lipschitz constant"},
  {.name = "rho", .meaning = "Hessian Lipschitz constant"},
  {.name = "Df", .meaning = "f(x_0) - f*"},
  {.name = "eps_notes", .meaning = "l/rho (the notes' eps < l/rho)"},
  {.name = "eps_paper", .meaning = "l^2/rho (the paper's eps <= l^2/rho)"},
  {0}};

const tc_check tc_check_saddle_pgd = {
  .name = "saddle-pgd",
  .summary = "perturbed gradient descent (Jin et al. 2017) with the paper's parameters on a cosine saddle: iterations, eps-SOSP",
  .params = saddle_pgd_params,
  .outputs = saddle_pgd_outputs,
  .validate = saddle_pgd_validate,
  .measure_d = saddle_pgd_measure_d,
  .measure_mpfr = saddle_pgd_measure_mpfr,
  .draw = saddle_pgd_draw,
};
