/* The calibration module: instances whose truth is known by construction
 * (a halving sequence, Bernoulli events with probability p, Gaussian
 * samples, a noisy power law, a cancellation only MPFR resolves, NaN), so the engine's statistics and
 * verdicts can be tested apart from any theorem.  Not used by the lecture
 * catalog; the test catalogs in tests/data use it. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"

static const char *const calibration_shapes[] = {"sequence", "bernoulli", "gaussian", "power",
                                                 "cancellation", "nan", NULL};

#define CAL_REAL(n, d, m) \
  {.name = n, .type = TC_PARAM_REAL, .min = -INFINITY, .max = INFINITY, .min_open = 1, \
   .max_open = 1, .def = d, .meaning = m}
static const tc_param_spec calibration_params[] = {
  {.name = "shape", .type = TC_PARAM_SYMBOL, .values = calibration_shapes, .required = 1,
   .meaning = "which known truth"},
  CAL_REAL("value", "1", "sequence: y_1 = value/2; cancellation: the tiny addend"),
  {.name = "rows", .type = TC_PARAM_INTEGER, .min = 0, .max = 1e6, .def = "10",
   .meaning = "sequence: number of rows"},
  {.name = "p", .type = TC_PARAM_REAL, .min = 0, .max = 1, .def = "0.5",
   .meaning = "bernoulli: the event's probability"},
  CAL_REAL("mean", "0", "gaussian: the mean"),
  CAL_REAL("sd", "1", "gaussian, power: the standard deviation of the noise"),
  CAL_REAL("m", "1", "power: the abscissa"),
  CAL_REAL("alpha", "-0.5", "power: the exponent"),
  {0}};

static const tc_output_spec calibration_outputs[] = {
  {.name = "k", .meaning = "sequence: the row index"},
  {.name = "y", .meaning = "the sequence, power or cancellation value"},
  {.name = "event", .meaning = "bernoulli: 1 or 0", .has_range = 1, .lo = 0, .hi = 1},
  {.name = "x", .meaning = "gaussian: the sample"},
  {0}};

#define TC_TEMPLATE "calibration_source.h"
#include "num/tc_instantiate.h"

const tc_check tc_check_calibration = {
  .name = "calibration",
  .summary = "instances with a known truth, for testing the engine (not a theorem)",
  .params = calibration_params,
  .outputs = calibration_outputs,
  .measure_d = calibration_measure_d,
  .measure_mpfr = calibration_measure_mpfr,
};
