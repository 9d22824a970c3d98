/* saddle_class.c — check module "saddle-class": classify a stationary point
 * by its gradient, its Hessian spectrum (both precisions) and a
 * higher-order descent direction.
 *
 * Lecture 000 §2.1 (second-order conditions and the examples x^3 at 0 and
 * x_1^2 - x_2^4 at 0) and lecture 001 ("linear networks: there exist
 * saddle points that are not strict", Kawaguchi '16).  Families, all with
 * the stationary point w* = 0:
 *   cubic           f(x) = x^3 (d = 1): H = 0, descent along -1 at order 3;
 *   quartic-saddle  f = x_1^2 - x_2^4: H = diag(2, 0), descent along e_2, order 4;
 *   strict          f = x_1^2 - x_2^2 (control): H = diag(2, -2), order 2;
 *   minimum         f = x_1^2 + x_2^4 (control): H = diag(2, 0) like
 *                   quartic-saddle, yet 0 is a strict local minimum;
 *   pd              f = x_1^2 + x_2^2 - x_1^3: H = 2 I, a strict local minimum;
 *   deep-linear     f(w) = (w_L ... w_1 x - y)^2, depth L = `depth`: for L = 2
 *                   H = [[0, -2xy], [-2xy, 0]] (strict), for L >= 3 H = 0,
 *                   descent along w_i = s (sign(xy), 1, ..., 1)/sqrt(L), order L.
 * Gradient and Hessian are evaluated at w* by the general formulas in the
 * backend's arithmetic, and the Hessian's eigenvalues computed (LAPACK /
 * MPFR Jacobi).  The probe direction u is the family's descent direction,
 * or for the minimum families a unit vector drawn from the tape (stream 1).
 * Rows: one per probe size s in {0.3, 0.1, 0.03, 0.01, 1e-3}: s, order,
 * grad_norm, hess_lmin, hess_lmax, hess_err (rounding estimate of the
 * spectrum), fdrop = f(w* + s u) - f(w*) computed directly (it cancels
 * when f(w*) != 0, as for deep-linear), fd_err (its rounding estimate),
 * depth, xy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { CL_CUBIC, CL_QUARTIC, CL_STRICT, CL_MINIMUM, CL_PD, CL_DEEP };
static const char *const saddle_class_families[] = {"cubic", "quartic-saddle", "strict", "minimum",
                                                    "pd", "deep-linear", NULL};
#define SADDLE_CLASS_MAX_DEPTH 12
static const double saddle_class_s[] = {0.3, 0.1, 0.03, 0.01, 1e-3};
#define SADDLE_CLASS_NS (sizeof saddle_class_s / sizeof saddle_class_s[0])

typedef struct {
  int family;
  size_t d, depth;
  double x, y;
} saddle_class_config;

static void saddle_class_config_read(saddle_class_config *c, const tc_point *p)
{
  c->family = tc_param_lookup(tc_point_text(p, "family"), saddle_class_families);
  c->depth = (size_t)tc_point_get_or(p, "depth", 3);
  c->x = tc_point_get_or(p, "x", 1);
  c->y = tc_point_get_or(p, "y", 1);
  c->d = c->family == CL_CUBIC ? 1 : c->family == CL_DEEP ? c->depth : 2;
}

/* The probe direction, in double (instance data, the same in both
 * backends): the family's descent direction, or a tape draw. */
static void saddle_class_direction(double *u, const saddle_class_config *c, tc_tape *tape)
{
  for (size_t i = 0; i < c->d; i++)
    u[i] = 0;
  switch (c->family) {
  case CL_CUBIC:
    u[0] = -1;
    break;
  case CL_QUARTIC:
  case CL_STRICT:
    u[1] = 1;
    break;
  case CL_DEEP:
    for (size_t i = 0; i < c->d; i++)
      u[i] = 1 / sqrt((double)c->d);
    if (c->x * c->y < 0)
      u[0] = -u[0];
    break;
  default: { /* a uniform direction on the circle */
    double g0 = tc_tape_next(tape, 1), g1 = tc_tape_next(tape, 1), n = hypot(g0, g1);
    u[0] = g0 / n;
    u[1] = g1 / n;
  }
  }
}

static int saddle_class_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status = tc_tape_open(tape, 1, TC_DRAW_GAUSSIAN, 0);
  if (status)
    snprintf(err, errlen, "cannot open the direction stream of the tape");
  return status;
}

#define TC_TEMPLATE "saddle_class_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec saddle_class_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = saddle_class_families, .required = 1,
   .meaning = "the function"},
  {.name = "depth", .type = TC_PARAM_INTEGER, .min = 2, .max = SADDLE_CLASS_MAX_DEPTH, .def = "3",
   .meaning = "deep-linear: the number of factors L"},
  {.name = "x", .type = TC_PARAM_REAL, .min = -1e3, .max = 1e3, .def = "1",
   .meaning = "deep-linear: the input"},
  {.name = "y", .type = TC_PARAM_REAL, .min = -1e3, .max = 1e3, .def = "1",
   .meaning = "deep-linear: the target"},
  {0}};

static const tc_output_spec saddle_class_outputs[] = {
  {.name = "s", .meaning = "probe size"},
  {.name = "order", .meaning = "order of the descent (3 for x^3, L for deep-linear)"},
  {.name = "grad_norm", .meaning = "||grad f(w*)||"},
  {.name = "hess_lmin", .meaning = "lambda_min(Hessian at w*)"},
  {.name = "hess_lmax", .meaning = "lambda_max(Hessian at w*)"},
  {.name = "hess_err", .meaning = "rounding estimate of the spectrum and gradient"},
  {.name = "fdrop", .meaning = "f(w* + s u) - f(w*)"},
  {.name = "fd_err", .meaning = "rounding estimate of fdrop"},
  {.name = "depth", .meaning = "deep-linear depth (0 otherwise)"},
  {.name = "xy", .meaning = "deep-linear x y (0 otherwise)"},
  {0}};

const tc_check tc_check_saddle_class = {
  .name = "saddle-class",
  .summary = "a stationary point's gradient, Hessian spectrum and higher-order descent (x^3, x1^2 - x2^4, deep linear nets)",
  .params = saddle_class_params,
  .outputs = saddle_class_outputs,
  .measure_d = saddle_class_measure_d,
  .measure_mpfr = saddle_class_measure_mpfr,
  .draw = saddle_class_draw,
};
