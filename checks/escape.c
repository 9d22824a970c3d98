/* escape.c — check module "escape-ball": escaping the quadratic saddle
 * from a perturbation uniform in a ball (lecture 000 §2.4: the
 * anti-concentration lemma, "Thus, small ball perturbation => escaping the
 * saddle point").
 *
 * f(x) = x^T A x with A = diag(-lam, 1, ..., 1) (lam = 1: the notes' A);
 * the saddle is 0 and x_0 ~ Unif(B(r)).  Gradient flow gives |x_{1,t}| =
 * |x_{1,0}| e^{2 lam t} (the closed form that saddle-flow checks against
 * RK4), so the time to reach |x_1| = c is
 *     t_esc = max(0, ln(c / |x_{1,0}|) / (2 lam)).
 * The notes' argument: with probability >= 1 - delta, |x_{1,0}| >= r delta
 * / (2 sqrt d) (the lemma), hence t_esc <= t_notes := ln(2 c sqrt(d) / (r
 * delta)) / (2 lam).  One instance is one x_0; the claim is the event
 * t_esc <= t_notes with probability >= 1 - delta.  Since t_esc is
 * decreasing in |x_{1,0}|, the event is exactly |x_{1,0}| >= r delta /
 * (2 sqrt d) when that threshold is below c, and its probability is
 * p_exact = 1 - I_{delta^2/(4d)}(1/2, (d+1)/2) ((x_1/r)^2 ~ Beta(1/2,
 * (d+1)/2)); when the threshold is >= c the event is certain.  p_exact is
 * computed in each backend (prepare) for the `reference` key.
 *
 * Randomness on the tape: stream 1, d Gaussians (the direction); stream 2,
 * one uniform in (0,1) (the radius r u^(1/d)).  Written by this module
 * (not checks/ball*, which it leaves alone).
 *
 * Parameters: d, r, delta, c (default 1), lam (default 1).
 * Row: t_esc, t_notes, x10 = |x_{1,0}|, threshold = r delta/(2 sqrt d),
 * p_exact, d, r, delta, lam, c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

#define ESCAPE_MAX_D 1000000.0

typedef struct {
  size_t d;
  double r, delta, c, lam;
} escape_params;

static void escape_params_read(escape_params *ep, const tc_point *p)
{
  ep->d = (size_t)tc_point_get_or(p, "d", 1);
  ep->r = tc_point_get_or(p, "r", 1);
  ep->delta = tc_point_get_or(p, "delta", 0.5);
  ep->c = tc_point_get_or(p, "c", 1);
  ep->lam = tc_point_get_or(p, "lam", 1);
}

/* r < c: the perturbation is smaller than the escape size, so the notes'
 * time ln(c/threshold)/(2 lam) is positive. */
static int escape_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  escape_params ep;
  escape_params_read(&ep, p);
  if (!(ep.r < ep.c)) {
    *param = "r";
    snprintf(err, errlen, "r must be below c (the ball inside the escape region), got r = %g, "
             "c = %g", ep.r, ep.c);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

enum { ESCAPE_STREAM_DIR = 1, ESCAPE_STREAM_RADIUS = 2 };

static int escape_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status = tc_tape_open(tape, ESCAPE_STREAM_DIR, TC_DRAW_GAUSSIAN_ZIGGURAT, 0);
  if (status == TC_SUCCESS)
    status = tc_tape_open(tape, ESCAPE_STREAM_RADIUS, TC_DRAW_UNIFORM_POS, 0);
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "cannot open the tape's streams");
  return status;
}

#define TC_TEMPLATE "escape_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec escape_param_specs[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = ESCAPE_MAX_D, .required = 1,
   .meaning = "the dimension"},
  {.name = "r", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1e6, .required = 1,
   .meaning = "the radius of the perturbation ball"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .max_open = 1,
   .required = 1, .meaning = "the failure probability"},
  {.name = "c", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1e6, .def = "1",
   .meaning = "escape when |x_1| reaches c"},
  {.name = "lam", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e3, .def = "1",
   .meaning = "-lambda_min(A)"},
  {0}};

static const tc_output_spec escape_output_specs[] = {
  {.name = "t_esc", .meaning = "time for |x_{1,t}| to reach c"},
  {.name = "t_notes", .meaning = "ln(2 c sqrt(d)/(r delta))/(2 lam), the notes' time"},
  {.name = "x10", .meaning = "|x_{1,0}|"},
  {.name = "threshold", .meaning = "r delta / (2 sqrt d)"},
  {.name = "p_exact", .meaning = "exact P(t_esc <= t_notes)", .has_range = 1, .lo = 0, .hi = 1},
  {.name = "d", .meaning = "the dimension"},
  {.name = "r", .meaning = "the radius"},
  {.name = "delta", .meaning = "the failure probability"},
  {.name = "lam", .meaning = "-lambda_min"},
  {.name = "c", .meaning = "the escape size"},
  {0}};

const tc_check tc_check_escape_ball = {
  .name = "escape-ball",
  .summary = "saddle escape time of gradient flow from a perturbation uniform in a ball, with its exact probability",
  .params = escape_param_specs,
  .outputs = escape_output_specs,
  .validate = escape_validate,
  .measure_d = escape_measure_d,
  .measure_mpfr = escape_measure_mpfr,
  .prepare_d = escape_prepare_d,
  .prepare_mpfr = escape_prepare_mpfr,
  .release_d = escape_release_d,
  .release_mpfr = escape_release_mpfr,
  .draw = escape_draw,
};
