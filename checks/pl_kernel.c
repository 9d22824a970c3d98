/* pl-kernel — the PL* constant of the square loss from the tangent
 * kernel, lecture 002 ("mu-PL* condition emerges through the spectrum of
 * the tangent kernel", [Liu et al.]): for L(w) = 1/2 ||F(w) - y||^2 and
 * K(w) = DF(w) DF(w)^T (N x N),
 *     ||grad L(w)||^2 >= 2 lambda_min(K(w)) L(w),
 * i.e. L is mu-PL* at w with mu = lambda_min(K(w)) (exact: ||grad L||^2 =
 * r^T K r with r = F(w) - y).  Checked at every iterate of GD on L.
 *
 * Families: linear F(w) = X w (X: N x m, rows x_i / sqrt(p)... here p = m);
 * two-layer F(w)_i = (1/sqrt(m)) sum_r v_r tanh(w_r^T x_i), v_r = +-1,
 * w_r in R^p (P = m p parameters), x_i ~ N(0, I_p / p), w_0 ~ N(0, I).
 * y ~ N(0, I_N), or (start = aligned) y = F(w_0) - u with u the unit
 * eigenvector of lambda_min(K(w_0)), where the inequality is an equality.
 * GD step s = step / lambda_max(K(w_0)).
 * Rows k = 0..K: loss, gnorm2 = ||grad L||^2, lam_min, lam_max of K(w_k),
 * and err, an a-priori rounding estimate of gnorm2 - 2 lam_min loss:
 * 16 (N + P) u (gnorm2 + lam_max ||r||^2). */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { PK_LINEAR, PK_TWO_LAYER };
static const char *const pk_families[] = {"linear", "two-layer", NULL};
enum { PK_START_RANDOM, PK_START_ALIGNED };
static const char *const pk_starts[] = {"random", "aligned", NULL};

typedef struct {
  int family, start;
  size_t N, p, m;
  double step;
  long iterations;
} pk_config;

static int pk_config_read(pk_config *c, const tc_point *pt, char *err, size_t errlen)
{
  c->family = tc_param_lookup(tc_point_text(pt, "family"), pk_families);
  const char *st = tc_point_text(pt, "start");
  c->start = st ? tc_param_lookup(st, pk_starts) : PK_START_RANDOM;
  if (c->family < 0 || c->start < 0) {
    snprintf(err, errlen, "family must be linear or two-layer, start random or aligned");
    return TC_EDOM;
  }
  double N, p, m, K;
  int status;
  if ((status = tc_param_number(&N, pt, "N", 1, 50, 1, err, errlen)) ||
      (status = tc_param_number(&p, pt, "p", 1, 50, 1, err, errlen)) ||
      (status = tc_param_number(&m, pt, "m", 1, 2000, 1, err, errlen)) ||
      (status = tc_param_number(&c->step, pt, "step", 0, 2, 0, err, errlen)) ||
      (status = tc_param_number(&K, pt, "iterations", 0, 10000, 1, err, errlen)))
    return status;
  c->N = (size_t)N;
  c->p = (size_t)p;
  c->m = (size_t)m;
  c->iterations = (long)K;
  if (c->family == PK_TWO_LAYER && c->m * c->p > 4000) {
    snprintf(err, errlen, "m p must be <= 4000");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

#define TC_TEMPLATE "pl_kernel_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec pk_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = pk_families, .required = 1,
   .meaning = "linear or two-layer"},
  {.name = "N", .type = TC_PARAM_INTEGER, .min = 1, .max = 50, .required = 1,
   .meaning = "the number of data points"},
  {.name = "p", .type = TC_PARAM_INTEGER, .min = 1, .max = 50, .required = 1,
   .meaning = "the input dimension (two-layer)"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 2000, .required = 1,
   .meaning = "the width (two-layer) or the parameter dimension (linear)"},
  {.name = "step", .type = TC_PARAM_REAL, .min = 0, .max = 2, .required = 1,
   .meaning = "GD step as a fraction of 1/lambda_max(K(w_0))"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 0, .max = 10000, .required = 1,
   .meaning = "GD steps K"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = pk_starts, .def = "random",
   .meaning = "y random, or aligned with the eigenvector of lambda_min(K(w_0))"},
  {0}};

static const tc_output_spec pk_outputs[] = {
  {.name = "k", .meaning = "the GD iterate"},
  {.name = "loss", .meaning = "L(w_k) = 1/2 ||F(w_k) - y||^2"},
  {.name = "gnorm2", .meaning = "||grad L(w_k)||^2"},
  {.name = "lam_min", .meaning = "lambda_min(K(w_k))"},
  {.name = "lam_max", .meaning = "lambda_max(K(w_k))"},
  {.name = "err", .meaning = "a-priori rounding estimate of gnorm2 - 2 lam_min loss"},
  {0}};

const tc_check tc_check_pl_kernel = {
  .name = "pl-kernel",
  .summary = "square loss of a linear model or a two-layer tanh net along GD: ||grad L||^2, "
             "L and the tangent-kernel spectrum",
  .params = pk_params,
  .outputs = pk_outputs,
  .measure_d = pk_measure_d,
  .measure_mpfr = pk_measure_mpfr,
};
