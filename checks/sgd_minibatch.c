/* sgd-minibatch — mini-batch SGD with constant step on interpolating
 * least squares, lecture 002 Theorem 4 ([Bassily et al.]), by the EXACT
 * expectation (no sampling).
 *
 * The notes: f = (1/N) sum_i f_i is L-smooth and mu-PL* (2 mu f <=
 * ||grad f||^2, inf f = 0), interpolation holds, and mini-batch SGD
 * x_{k+1} = x_k - (s/B) sum_{j<=B} grad f_{i_k^j}(x_k) (indices uniform
 * with replacement) with s*(B) = 2 mu B / (L (Lt + L (B - 1))) gives
 * E f(x_k) <= (1 - mu s*(B))^k f(x_0).  The hypothesis on the f_i is
 * written ||grad f_i(x) - grad f_i(y)|| <= Lt |f_i(x) - f_i(y)|, which
 * with f_i(x*) = 0 = min forces f_i = 0 (Gronwall along rays from x*):
 * no non-trivial instance satisfies it.  The instances here meet the
 * intended hypothesis (and the cited paper's): each f_i is Lt-smooth.
 *
 * Instances: f_i(x) = 1/2 (a_i^T (x - x*))^2, so interpolation holds
 * (y_i = a_i^T x*), and in e = x - x*:
 *   f = 1/2 e^T H e, H = (1/N) sum_i a_i a_i^T,  grad f_i = a_i a_i^T e.
 *   scalar   N = d = 1, a_1 = 1: f = x^2/2, L = Lt = mu = 1 (the 1-D
 *            instance on which the notes' s*(B) = 2/L for every B);
 *   lstsq    N rows of dimension d >= N, Gaussian directions scaled to
 *            norms spanning [1/sqrt(kappa), 1] (heterogeneous f_i).
 * Constants, measured: L = lambda_max(H), mu = the smallest positive
 * eigenvalue of H (PL* with the 2 mu form, exact for a quadratic),
 * Lt = max_i ||a_i||^2 (the smoothness constant of f_i).
 * Step: step_rule = notes, s = step * 2 mu B / (L (Lt + L (B - 1)));
 * step_rule = proof, s = step * mu B / (L (Lt + mu (B - 1))), the
 * minimiser of the proof's factor (3) 1 - 2 s mu + s^2 L (mu (B-1) + Lt)/B.
 * The exact second moment P_k = E e_k e_k^T obeys
 *   P' = P - s (H P + P H) + s^2 [ (1/B) (1/N) sum_i a_i (a_i^T P a_i) a_i^T
 *                                   + (1 - 1/B) H P H ],
 * (the B indices are independent), and E f(x_k) = 1/2 tr(H P_k).
 * Rows k = 1..K: Ef, Ef_prev (E f(x_{k-1})), f0, mu, L, Lt, B, s, and
 * Ef_err, a generous a-priori estimate of the recursion's rounding. */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { MB_SCALAR, MB_LSTSQ };
static const char *const mb_families[] = {"scalar", "lstsq", NULL};
enum { MB_RULE_NOTES, MB_RULE_PROOF };
static const char *const mb_rules[] = {"notes", "proof", NULL};

#define MB_MAX_D 40
#define MB_MAX_N 40
#define MB_MAX_ITER 20000

typedef struct {
  int family, rule;
  size_t N, d, B;
  double kappa, step;
  long iterations;
} mb_config;

static int mb_config_read(mb_config *c, const tc_point *p, char *err, size_t errlen)
{
  c->family = tc_param_lookup(tc_point_text(p, "family"), mb_families);
  const char *rule = tc_point_text(p, "step_rule");
  c->rule = rule ? tc_param_lookup(rule, mb_rules) : MB_RULE_NOTES;
  if (c->family < 0 || c->rule < 0) {
    snprintf(err, errlen, "family must be scalar or lstsq, step_rule notes or proof");
    return TC_EDOM;
  }
  double N, d, B, K;
  int status;
  if ((status = tc_param_number(&N, p, "N", 1, MB_MAX_N, 1, err, errlen)) ||
      (status = tc_param_number(&d, p, "d", 1, MB_MAX_D, 1, err, errlen)) ||
      (status = tc_param_number(&B, p, "B", 1, 1e6, 1, err, errlen)) ||
      (status = tc_param_number(&c->kappa, p, "kappa", 1, 1e8, 0, err, errlen)) ||
      (status = tc_param_number(&c->step, p, "step", 0, 4, 0, err, errlen)) ||
      (status = tc_param_number(&K, p, "iterations", 1, MB_MAX_ITER, 1, err, errlen)))
    return status;
  c->N = (size_t)N;
  c->d = (size_t)d;
  c->B = (size_t)B;
  c->iterations = (long)K;
  if (c->family == MB_SCALAR && (c->N != 1 || c->d != 1)) {
    snprintf(err, errlen, "scalar needs N = d = 1");
    return TC_EDOM;
  }
  if (c->d < c->N) {
    snprintf(err, errlen, "d must be >= N (over-parameterised: interpolation and PL*), got d=%zu N=%zu",
             c->d, c->N);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int mb_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  int family = tc_param_lookup(tc_point_text(p, "family"), mb_families);
  double N = tc_point_get_or(p, "N", 1), d = tc_point_get_or(p, "d", 1);
  if ((family == MB_SCALAR && (N != 1 || d != 1)) || d < N) {
    *param = "d";
    snprintf(err, errlen, "need d >= N, and N = d = 1 for scalar");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

#define TC_TEMPLATE "sgd_minibatch_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec mb_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = mb_families, .required = 1,
   .meaning = "scalar (x^2/2) or lstsq (interpolating least squares)"},
  {.name = "N", .type = TC_PARAM_INTEGER, .min = 1, .max = MB_MAX_N, .required = 1,
   .meaning = "the number of summands"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = MB_MAX_D, .required = 1,
   .meaning = "the dimension (>= N)"},
  {.name = "B", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e6, .required = 1,
   .meaning = "the mini-batch size"},
  {.name = "kappa", .type = TC_PARAM_REAL, .min = 1, .max = 1e8, .required = 1,
   .meaning = "spread of the squared row norms"},
  {.name = "step", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 4, .required = 1,
   .meaning = "s as a multiple of the rule's s*(B)"},
  {.name = "step_rule", .type = TC_PARAM_SYMBOL, .values = mb_rules, .def = "notes",
   .meaning = "notes: 2 mu B/(L(Lt + L(B-1))); proof: mu B/(L(Lt + mu(B-1)))"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 1, .max = MB_MAX_ITER, .required = 1,
   .meaning = "K"},
  {0}};

static const tc_output_spec mb_outputs[] = {
  {.name = "k", .meaning = "the iterate"},
  {.name = "Ef", .meaning = "the exact E f(x_k)"},
  {.name = "Ef_prev", .meaning = "the exact E f(x_{k-1})"},
  {.name = "f0", .meaning = "f(x_0)"},
  {.name = "mu", .meaning = "the PL* constant (2 mu f <= ||grad f||^2), measured"},
  {.name = "L", .meaning = "the smoothness constant of f, measured"},
  {.name = "Lt", .meaning = "max_i smoothness constant of f_i, measured"},
  {.name = "B", .meaning = "the mini-batch size"},
  {.name = "s", .meaning = "the step"},
  {.name = "Ef_err", .meaning = "a-priori rounding estimate of Ef (and of the one-step margin)"},
  {0}};

const tc_check tc_check_sgd_minibatch = {
  .name = "sgd-minibatch",
  .summary = "mini-batch SGD with constant step on interpolating least squares: the exact E f(x_k)",
  .params = mb_params,
  .outputs = mb_outputs,
  .validate = mb_validate,
  .measure_d = mb_measure_d,
  .measure_mpfr = mb_measure_mpfr,
};
