/* orth_gd.c — check module "orth-gd": gradient descent on every parity
 * target from one initialisation (lecture 004, "Hardness of learning with
 * GD": the setup, Theorem 8, its proof (0.13)-(0.17), Corollary 9).
 *
 * x uniform on {-1,1}^d; the class is all 2^d parities chi_S (|F| = 2^d);
 * the model is h(x; theta) = (1/m) sum_k cos(w_k.x + b_k), so |h| <= 1 and
 * the hinge risk E max(0, 1 - h f) is the linear 1 - E[h f] with gradient
 * -<f, grad h>.  For every target f the module runs GD
 * theta_{j+1} = theta_j + eta <f, grad h(theta_j)> from the same theta_0
 * (tape stream 0) for `steps` steps, with every expectation over x an
 * exact sum over the cube, and every E_f an exact average over the 2^d
 * targets.  The hypothesis E_x ||grad h(t1) - grad h(t2)||^2 <= L ||t1 - t2||^2
 * holds with L = (d + 1)/m^2: grad h is (-(1/m) sin z_k)(x, 1) per unit,
 * sin is 1-Lipschitz and E_x (dw.x + db)^2 = ||dw||^2 + db^2 (valid, not
 * necessarily the smallest L; any valid L makes (0.13) a statement).
 *
 * Rows at checkpoints j = 0, steps/checkpoints, ..., steps (t = eta j):
 *   t, d, N = 2^d, L, G0 = G(theta_0) with G = E_x ||grad h||^2,
 *   egrad2_0 = E_f ||grad R^f(theta_0)||^2 (004-20, fixed theta),
 *   delta = sqrt(E_f ||theta_t^f - theta_0||^2),
 *   ddt = 2 E_f <theta_t^f - theta_0, -grad R^f(theta_t^f)> (the flow's d delta^2/dt (0.14)),
 *   EG = E_f G(theta_t^f), egrad2 = E_f ||grad R^f(theta_t^f)||^2 (Bessel at f-dependent theta),
 *   g013 = max_f (G(theta_t^f) - 2 L ||theta_t^f - theta_0||^2) ((0.13) reads g013 <= G0),
 *   dmin = min_f ||theta_t^f - theta_0|| (Corollary 9's "there exists f"),
 *   gerr, an a-priori estimate of the rounding error of egrad2 - EG/N (an
 *   equality at t = 0 by Parseval, so its sign there is rounding). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "params.h"

#define OGD_MAX_D 12
#define OGD_MAX_WIDTH 16
#define OGD_MAX_STEPS 100000

typedef struct {
  unsigned d;
  size_t n, width, steps, checkpoints;
  double eta, scale;
  int skip_t0; /* 1: no row at t = 0 (rates, where delta = 0 there) */
} ogd_config;

static int ogd_config_read(ogd_config *c, const tc_point *p, char *err, size_t errlen)
{
  double d = tc_point_get_or(p, "d", NAN), N = tc_point_get_or(p, "N", NAN);
  if (isnan(d) && N >= 2)
    d = round(log2(N));
  if (!(d >= 1 && d <= OGD_MAX_D && d == floor(d)) || (!isnan(N) && N != ldexp(1.0, (int)d))) {
    snprintf(err, errlen, "give d in [1, %d] or N = 2^d (consistent when both are given)", OGD_MAX_D);
    return TC_EDOM;
  }
  c->d = (unsigned)d;
  c->n = (size_t)1 << c->d;
  c->width = (size_t)tc_point_get_or(p, "width", 2);
  c->steps = (size_t)tc_point_get_or(p, "steps", 40);
  c->checkpoints = (size_t)tc_point_get_or(p, "checkpoints", 8);
  c->eta = tc_point_get_or(p, "eta", 0.1);
  c->scale = tc_point_get_or(p, "scale", 1);
  c->skip_t0 = (int)tc_point_get_or(p, "skip_t0", 0);
  if (c->checkpoints > c->steps || c->steps % c->checkpoints) {
    snprintf(err, errlen, "checkpoints must divide steps");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int ogd_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  ogd_config c;
  int status = ogd_config_read(&c, p, err, errlen);
  if (status)
    *param = tc_point_text(p, "N") ? "N" : "d";
  return status;
}

/* theta_0 = (W, b), W ~ scale N(0, I/d), b ~ N(0, 1), from tape stream 0;
 * laid out per unit as (w_k1..w_kd, b_k). */
static int ogd_draw(double *theta, const ogd_config *c, tc_tape *tape)
{
  if (tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN, 0))
    return TC_EDOM;
  size_t p = c->d + 1;
  for (size_t k = 0; k < c->width; k++) {
    for (size_t i = 0; i < c->d; i++)
      theta[k * p + i] = c->scale * tc_tape_next(tape, 0) / sqrt((double)c->d);
    theta[k * p + c->d] = tc_tape_next(tape, 0);
  }
  return tc_tape_status(tape);
}

#define TC_TEMPLATE "orth_gd_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec ogd_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = OGD_MAX_D, .meaning = "the cube dimension"},
  {.name = "N", .type = TC_PARAM_INTEGER, .min = 2, .max = 1 << OGD_MAX_D,
   .meaning = "2^d, as an alternative to d (for rates in 2^d)"},
  {.name = "width", .type = TC_PARAM_INTEGER, .min = 1, .max = OGD_MAX_WIDTH, .def = "2",
   .meaning = "units m"},
  {.name = "steps", .type = TC_PARAM_INTEGER, .min = 1, .max = OGD_MAX_STEPS, .def = "40",
   .meaning = "GD steps"},
  {.name = "checkpoints", .type = TC_PARAM_INTEGER, .min = 1, .max = OGD_MAX_STEPS, .def = "8",
   .meaning = "rows after t = 0 (dividing steps)"},
  {.name = "eta", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 10, .def = "0.1",
   .meaning = "GD step"},
  {.name = "scale", .type = TC_PARAM_REAL, .min = 0, .max = 1e3, .def = "1",
   .meaning = "scale of the input weights"},
  {.name = "skip_t0", .type = TC_PARAM_INTEGER, .min = 0, .max = 1, .def = "0",
   .meaning = "1: no row at t = 0"},
  {0}};

static const tc_output_spec ogd_outputs[] = {
  {.name = "t", .meaning = "eta j"},
  {.name = "d", .meaning = "the dimension"},
  {.name = "N", .meaning = "2^d = |F|"},
  {.name = "L", .meaning = "the smoothness constant (valid bound)"},
  {.name = "G0", .meaning = "G(theta_0)"},
  {.name = "egrad2_0", .meaning = "E_f ||grad R^f(theta_0)||^2"},
  {.name = "delta", .meaning = "sqrt E_f ||theta_t^f - theta_0||^2"},
  {.name = "ddt", .meaning = "2 E_f <theta_t^f - theta_0, -grad R^f(theta_t^f)>"},
  {.name = "EG", .meaning = "E_f G(theta_t^f)"},
  {.name = "egrad2", .meaning = "E_f ||grad R^f(theta_t^f)||^2"},
  {.name = "g013", .meaning = "max_f G(theta_t^f) - 2 L ||theta_t^f - theta_0||^2"},
  {.name = "dmin", .meaning = "min_f ||theta_t^f - theta_0||"},
  {.name = "gerr", .meaning = "rounding estimate of egrad2 - EG/N"},
  {0}};

const tc_check tc_check_orth_gd = {
  .name = "orth-gd",
  .summary = "GD from one initialisation on every parity target of {-1,1}^d (hinge, |h| <= 1): exact E_f of the displacement",
  .params = ogd_params,
  .outputs = ogd_outputs,
  .validate = ogd_validate,
  .measure_d = ogd_measure_d,
  .measure_mpfr = ogd_measure_mpfr,
};
