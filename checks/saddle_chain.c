/* saddle_chain.c — check module "saddle-chain": lecture 000 §2.5 ("General
 * loss function", high-level idea).  Along gradient flow dx/dt = -grad f,
 *   d/dt ||grad f(x_t)||^2 = 2 <grad f, d/dt grad f> = -2 <grad f(x_t), H(x_t) grad f(x_t)>
 *                         ~= -2 <grad f(x_t), H(x_0) grad f(x_t)>.
 * The equalities are the chain rule; the "~=" replaces H(x_t) by H(x_0).
 *
 * f(x) = 1/2 x^T A x + (b/4) sum_i x_i^4, A = Q diag(-lam, lambda_2..d) Q^T
 * (lambda_k log-uniform in [0.1, 1], one of them 1), a strict saddle at 0
 * that is not quadratic: grad f = A x + b x^3, H(x) = A + 3 b diag(x^2).
 * x_0 = r0 times a random unit vector (tape stream 1: d Gaussians).  The
 * flow is integrated by RK4 (step h) in the backend's arithmetic.  At 10
 * checkpoints n (past 2 steps from either end) the module puts:
 *   dphi   = (phi_{n+1} - phi_{n-1}) / (2h), phi = ||grad f||^2 on the RK4
 *            trajectory (a derivative measured without the chain rule);
 *   dphi_err = |dphi - (phi_{n+2} - phi_{n-2})/(4h)| (Richardson: the
 *            central difference's O(h^2) error is a third of this) plus
 *            rounding 16 (d + 4) u phi / h;
 *   chain  = -2 <g, H(x_t) g>;  chain0 = -2 <g, H(x_0) g>;
 *   dx = ||x_t - x_0||, gnorm2 = ||g||^2, rho = 3 b ||x_t + x_0||_inf (the
 *            Hessian's Lipschitz constant between x_0 and x_t in the
 *            sense |<g, (H(x_t) - H(x_0)) g>| <= rho ||x_t - x_0||_inf ||g||^2),
 *   dxinf = ||x_t - x_0||_inf, t.
 * Parameters: d (2..32), lam (default 1), b (default 1), r0 (default
 * 1e-2), h (default 0.01), T (final time, default 8). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

#define SADDLE_CHAIN_MAX_D 32
#define SADDLE_CHAIN_NCK 10
#define SADDLE_CHAIN_MAX_STEPS 200000.0

typedef struct {
  size_t d;
  double lam, b, r0, h, T;
} saddle_chain_config;

static void saddle_chain_config_read(saddle_chain_config *c, const tc_point *p)
{
  c->d = (size_t)tc_point_get_or(p, "d", 2);
  c->lam = tc_point_get_or(p, "lam", 1);
  c->b = tc_point_get_or(p, "b", 1);
  c->r0 = tc_point_get_or(p, "r0", 1e-2);
  c->h = tc_point_get_or(p, "h", 0.01);
  c->T = tc_point_get_or(p, "T", 8);
}

static int saddle_chain_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  saddle_chain_config c;
  saddle_chain_config_read(&c, p);
  if (c.T / c.h > SADDLE_CHAIN_MAX_STEPS || c.T / c.h < 5.0 * SADDLE_CHAIN_NCK) {
    *param = "h";
    snprintf(err, errlen, "T/h must lie in [%d, %.0f], got %g", 5 * SADDLE_CHAIN_NCK,
             SADDLE_CHAIN_MAX_STEPS, c.T / c.h);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int saddle_chain_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status = tc_tape_open(tape, 1, TC_DRAW_GAUSSIAN, 0);
  if (status)
    snprintf(err, errlen, "cannot open the tape");
  return status;
}

#define TC_TEMPLATE "saddle_chain_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec saddle_chain_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = SADDLE_CHAIN_MAX_D, .required = 1,
   .meaning = "the dimension"},
  {.name = "lam", .type = TC_PARAM_REAL, .min = 1e-3, .max = 10, .def = "1",
   .meaning = "-lambda_min(A)"},
  {.name = "b", .type = TC_PARAM_REAL, .min = 0, .max = 100, .def = "1",
   .meaning = "the quartic coefficient"},
  {.name = "r0", .type = TC_PARAM_REAL, .min = 1e-30, .max = 10, .def = "0.01",
   .meaning = "||x_0||"},
  {.name = "h", .type = TC_PARAM_REAL, .min = 1e-5, .max = 0.1, .def = "0.01",
   .meaning = "RK4 step"},
  {.name = "T", .type = TC_PARAM_REAL, .min = 0.01, .max = 1000, .def = "8",
   .meaning = "final time"},
  {0}};

static const tc_output_spec saddle_chain_outputs[] = {
  {.name = "t", .meaning = "time"},
  {.name = "dphi", .meaning = "d/dt ||grad f(x_t)||^2 by central differences"},
  {.name = "dphi_err", .meaning = "error estimate of dphi"},
  {.name = "chain", .meaning = "-2 <g, H(x_t) g>"},
  {.name = "chain0", .meaning = "-2 <g, H(x_0) g>"},
  {.name = "dx", .meaning = "||x_t - x_0||"},
  {.name = "dxinf", .meaning = "||x_t - x_0||_inf"},
  {.name = "gnorm2", .meaning = "||grad f(x_t)||^2"},
  {.name = "rho", .meaning = "3 b ||x_t + x_0||_inf"},
  {0}};

const tc_check tc_check_saddle_chain = {
  .name = "saddle-chain",
  .summary = "d/dt ||grad f(x_t)||^2 along gradient flow on a quartic with a strict saddle: chain rule and the H(x_t) ~ H(x_0) step",
  .params = saddle_chain_params,
  .outputs = saddle_chain_outputs,
  .validate = saddle_chain_validate,
  .measure_d = saddle_chain_measure_d,
  .measure_mpfr = saddle_chain_measure_mpfr,
  .draw = saddle_chain_draw,
};
