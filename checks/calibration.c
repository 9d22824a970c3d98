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

static const char *const calibration_params[] = {"shape", "value", "rows", "p", "mean", "sd", "m", "alpha", NULL};
static const char *const calibration_outputs[] = {"k", "y", "event", "x", NULL};

static int calibration_validate(const tc_point *p, char *err, size_t errlen)
{
  const char *shape = tc_point_text(p, "shape");
  static const char *const shapes[] = {"sequence", "bernoulli", "gaussian", "power", "cancellation", "nan"};
  for (size_t i = 0; shape && i < sizeof shapes / sizeof shapes[0]; i++)
    if (strcmp(shape, shapes[i]) == 0) {
      double prob = tc_point_get_or(p, "p", 0.5);
      if (!(prob >= 0 && prob <= 1)) {
        snprintf(err, errlen, "p must be in [0,1], got %g", prob);
        return TC_EDOM;
      }
      return TC_SUCCESS;
    }
  snprintf(err, errlen, "shape must be sequence, bernoulli, gaussian, power, cancellation or nan");
  return TC_EDOM;
}

#define TC_TEMPLATE "calibration_source.h"
#include "num/tc_instantiate.h"

const tc_check tc_check_calibration = {
  "calibration",
  "instances with a known truth, for testing the engine (not a theorem)",
  calibration_params,
  calibration_outputs,
  calibration_validate,
  calibration_measure_d,
  calibration_measure_mpfr,
};
