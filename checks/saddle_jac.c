/* saddle_jac.c — check module "saddle-jac": lecture 003, "Stationary Points
 * of NNLS", "Other losses" and "Relation to overparametrization".
 *
 * kind = jacobian (003-17, 003-18): J in R^{p x n} with p >= n (columns
 *   grad f_i), singular values log-spaced in [1/cond, 1] (J = U S V^T,
 *   U, V random orthogonal); r = the residual vector: for loss = square r
 *   ~ N(0, I) (r_i = f_i - y_i), for loss = logistic r_i = l'(f_i, y_i) =
 *   -y_i / (1 + e^{y_i f_i}) with f_i ~ N(0, 4), y_i = +-1; start = worst
 *   puts r on the right singular vector of sigma_min (equality case).
 *   Row: rnorm = ||r||, jrnorm = ||J r||, smin = sigma_min(J) (measured:
 *   sqrt of lambda_min(J^T J)), jr_err (rounding of jrnorm / smin).
 * kind = loss-ratio (003-19): one z (param z), ratio = l(z) / |l'(z)| for
 *   loss = logistic (l = log(1 + e^{-z})) or square (l = z^2 / 2, z the
 *   residual).  Row: ratio, z, absz.
 * kind = features (003-21): n points x_i in R^dim, W in R^{m x dim}
 *   Gaussian (full rank, measured: w_smin), Phi = sigma(W X) in R^{m x n}
 *   with sigma = relu or linear; data = generic (Gaussian x_i), parallel
 *   (x_2 = 2 x_1: relu features of x_2 are twice those of x_1); y ~ N(0, I).
 *   residual = min_a ||Phi^T a - y|| = the norm of y's component in the
 *   null space of Phi^T Phi (eigenvalues <= tau = 64 n u lambda_max),
 *   rank_phi = n minus that null space's dimension, res_err its rounding
 *   estimate.  Row: residual, res_err, rank_phi, w_smin, n, m. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { JAC_JACOBIAN, JAC_LOSS, JAC_FEATURES };
static const char *const jac_kinds[] = {"jacobian", "loss-ratio", "features", NULL};
static const char *const jac_losses[] = {"square", "logistic", NULL};
static const char *const jac_starts[] = {"random", "worst", NULL};
static const char *const jac_data[] = {"generic", "parallel", NULL};
static const char *const jac_acts[] = {"relu", "linear", NULL};
#define JAC_MAX 200

typedef struct {
  int kind, loss, start, data, act;
  size_t p, n, m, dim;
  double cond, z;
} jac_config;

static void jac_config_read(jac_config *c, const tc_point *p)
{
  const char *s;
  c->kind = tc_param_lookup(tc_point_text(p, "kind"), jac_kinds);
  c->loss = (s = tc_point_text(p, "loss")) ? tc_param_lookup(s, jac_losses) : 0;
  c->start = (s = tc_point_text(p, "start")) ? tc_param_lookup(s, jac_starts) : 0;
  c->data = (s = tc_point_text(p, "data")) ? tc_param_lookup(s, jac_data) : 0;
  c->act = (s = tc_point_text(p, "act")) ? tc_param_lookup(s, jac_acts) : 0;
  c->p = (size_t)tc_point_get_or(p, "p", 10);
  c->n = (size_t)tc_point_get_or(p, "n", 5);
  c->m = (size_t)tc_point_get_or(p, "m", 10);
  c->dim = (size_t)tc_point_get_or(p, "dim", 3);
  c->cond = tc_point_get_or(p, "cond", 10);
  c->z = tc_point_get_or(p, "z", 0);
}

static int jac_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  jac_config c;
  jac_config_read(&c, p);
  if (c.kind == JAC_JACOBIAN && c.p < c.n) {
    *param = "p";
    snprintf(err, errlen, "p must be >= n (J tall: over-parametrised), got p = %zu < n = %zu", c.p, c.n);
    return TC_EDOM;
  }
  if (c.kind == JAC_FEATURES && c.data == 1 && c.n < 2) {
    *param = "n";
    snprintf(err, errlen, "the parallel data set needs n >= 2");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

#define TC_TEMPLATE "saddle_jac_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec jac_params[] = {
  {.name = "kind", .type = TC_PARAM_SYMBOL, .values = jac_kinds, .required = 1,
   .meaning = "jacobian, loss-ratio or features"},
  {.name = "loss", .type = TC_PARAM_SYMBOL, .values = jac_losses, .def = "square",
   .meaning = "square or logistic"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = jac_starts, .def = "random",
   .meaning = "jacobian: r random or on sigma_min's singular vector"},
  {.name = "data", .type = TC_PARAM_SYMBOL, .values = jac_data, .def = "generic",
   .meaning = "features: generic or parallel (x_2 = 2 x_1)"},
  {.name = "act", .type = TC_PARAM_SYMBOL, .values = jac_acts, .def = "relu",
   .meaning = "features: relu or linear"},
  {.name = "p", .type = TC_PARAM_INTEGER, .min = 1, .max = JAC_MAX, .def = "10",
   .meaning = "jacobian: number of parameters"},
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = JAC_MAX, .def = "5",
   .meaning = "number of data points"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = JAC_MAX, .def = "10",
   .meaning = "features: width"},
  {.name = "dim", .type = TC_PARAM_INTEGER, .min = 1, .max = JAC_MAX, .def = "3",
   .meaning = "features: input dimension"},
  {.name = "cond", .type = TC_PARAM_REAL, .min = 1, .max = 1e12, .def = "10",
   .meaning = "jacobian: sigma_max / sigma_min"},
  {.name = "z", .type = TC_PARAM_REAL, .min = -1e4, .max = 1e4, .def = "0",
   .meaning = "loss-ratio: the argument"},
  {0}};

static const tc_output_spec jac_outputs[] = {
  {.name = "rnorm", .meaning = "||r||"},
  {.name = "jrnorm", .meaning = "||J r||"},
  {.name = "smin", .meaning = "sigma_min(J), measured"},
  {.name = "jr_err", .meaning = "rounding estimate of jrnorm / smin"},
  {.name = "ratio", .meaning = "l(z) / |l'(z)|"},
  {.name = "z", .meaning = "the loss argument"},
  {.name = "absz", .meaning = "|z|"},
  {.name = "residual", .meaning = "min_a ||Phi^T a - y||"},
  {.name = "res_err", .meaning = "rounding estimate of residual"},
  {.name = "rank_phi", .meaning = "rank of Phi = sigma(W X), measured"},
  {.name = "w_smin", .meaning = "sigma_min(W), measured"},
  {.name = "n", .meaning = "number of points"},
  {.name = "m", .meaning = "width"},
  {0}};

const tc_check tc_check_saddle_jac = {
  .name = "saddle-jac",
  .summary = "Jacobian statements of lecture 003: ||r|| vs ||Jr||/sigma_min, l/|l'|, rank sigma(WX)",
  .params = jac_params,
  .outputs = jac_outputs,
  .validate = jac_validate,
  .measure_d = saddle_jac_measure_d,
  .measure_mpfr = saddle_jac_measure_mpfr,
};
