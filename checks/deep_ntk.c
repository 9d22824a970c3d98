/* deep_ntk.c — check module "deep-ntk": lecture 003, "Deep net
 * Infinite-Width" (rows 003-35, 003-37 of docs/COVERAGE.md).
 *
 * One instance draws a pair of inputs (x, y) and, for each width m of
 * m_min, 2 m_min, ..., m (one row each), a fresh deep ReLU network of L
 * hidden layers in the NTK parameterisation (checks/deep_ntk_source.h);
 * it puts the network's NTK Theta_m(x, y) (gradients w.r.t. every layer, by
 * back-propagation) and its NNGP kernel <g^(L)(x), g^(L)(y)> beside the
 * limit kernels of the recursion in closed form: the Arora et al. (2019,
 * Theorem 3.1) sum theta_inf, the notes' one-term product theta_notes,
 * and wrong variants for the catalog's mutants (theta_shift, theta_nodot,
 * theta_c1; sigma_prev, sigma_c1).  The inputs are drawn in double from
 * the instance seed, the weights row by row from generators of (seed,
 * width, layer), so both backends measure the same network. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"

/* A weight moved by delta (tests: finite differences of the gradient). */
typedef struct {
  size_t layer, row, col;
  double delta;
} deep_probe;

/* SplitMix64 step of seed + k: distinct streams per width and layer. */
static uint64_t deep_ntk_mix(uint64_t seed, uint64_t k)
{
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (k + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static gsl_rng *deep_ntk_layer_rng(uint64_t seed, size_t layer)
{
  return tc_rng_alloc(deep_ntk_mix(seed, 1000 + layer));
}

/* The kernel sums of deep_ntk_sum (the template). */
enum { DEEP_SUM_ARORA, DEEP_SUM_SHIFT, DEEP_SUM_NODOT };

#define TC_TEMPLATE "deep_ntk_source.h"
#include "num/tc_instantiate.h"

static const char *const deep_pair_names[] = {"same", "parallel", "orthogonal", "random", "offsphere",
                                              "antipodal", NULL};
enum { PAIR_SAME, PAIR_PARALLEL, PAIR_ORTHOGONAL, PAIR_RANDOM, PAIR_OFFSPHERE, PAIR_ANTIPODAL };

static double deep_unit(double *v, size_t d)
{
  double s = 0;
  for (size_t l = 0; l < d; l++)
    s += v[l] * v[l];
  s = sqrt(s);
  for (size_t l = 0; l < d; l++)
    v[l] /= s;
  return s;
}

/* The pair: u uniform on the unit sphere; w a unit vector orthogonal to u
 * (Gram-Schmidt of a second gaussian); y by the kind of pair.  "offsphere"
 * scales x and y by radii drawn log-uniformly in [1/4, 4]. */
static size_t deep_ntk_inputs(double *x, double *y, size_t d, int pair, double eps, gsl_rng *rng)
{
  double *w = y;
  for (size_t l = 0; l < d; l++)
    x[l] = gsl_ran_gaussian_ziggurat(rng, 1.0);
  for (size_t l = 0; l < d; l++)
    w[l] = gsl_ran_gaussian_ziggurat(rng, 1.0);
  deep_unit(x, d);
  if (pair == PAIR_RANDOM || pair == PAIR_OFFSPHERE) {
    deep_unit(y, d);
    if (pair == PAIR_OFFSPHERE) {
      double rx = exp(log(4.0) * (2 * gsl_rng_uniform(rng) - 1)), ry = exp(log(4.0) * (2 * gsl_rng_uniform(rng) - 1));
      for (size_t l = 0; l < d; l++) {
        x[l] *= rx;
        y[l] *= ry;
      }
    }
    return 2;
  }
  double p = 0;
  for (size_t l = 0; l < d; l++)
    p += w[l] * x[l];
  for (size_t l = 0; l < d; l++)
    w[l] -= p * x[l];
  deep_unit(w, d);
  for (size_t l = 0; l < d; l++) {
    if (pair == PAIR_PARALLEL)
      y[l] = cos(eps) * x[l] + sin(eps) * w[l];
    else if (pair == PAIR_ANTIPODAL)
      y[l] = -x[l];
    /* PAIR_ORTHOGONAL: y = w already; PAIR_SAME: y unused */
  }
  return pair == PAIR_SAME ? 1 : 2;
}

static int deep_ntk_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  double m = tc_point_get_or(p, "m", 16), m_min = tc_point_get_or(p, "m_min", m);
  if (m_min > m) {
    *param = "m_min";
    snprintf(err, errlen, "m_min = %g exceeds m = %g", m_min, m);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int deep_ntk_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  const tc_point *pt = inst->point;
  size_t L = (size_t)tc_point_get_or(pt, "L", 2), m = (size_t)tc_point_get_or(pt, "m", 16);
  size_t m_min = (size_t)tc_point_get_or(pt, "m_min", (double)m), d = (size_t)tc_point_get_or(pt, "d", 8);
  double c = tc_point_get_or(pt, "c_sigma", 2), eps = tc_point_get_or(pt, "eps", 1e-3);
  const char *pn = tc_point_text(pt, "pair");
  int pair = tc_param_lookup(pn ? pn : "random", deep_pair_names);
  size_t widths[32], nw = 0;
  for (size_t w = m_min; w <= m && nw < 32; w *= 2)
    widths[nw++] = w;
  double *x = malloc(d * sizeof *x), *y = malloc(d * sizeof *y);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  int st = TC_ENOMEM;
  if (x && y && rng && pair >= 0) {
    size_t n = deep_ntk_inputs(x, y, d, pair, eps, rng);
    st = mp ? deep_ntk_rows_mpfr(out, x, y, n, d, widths, nw, L, c, inst->seed, inst->prec)
            : deep_ntk_rows_d(out, x, y, n, d, widths, nw, L, c, inst->seed, 53);
  }
  if (st == TC_SUCCESS)
    st = tc_record_note(out, "L = %zu hidden layers, widths %zu..%zu, pair %s, c_sigma = %g", L, m_min, m,
                        pn ? pn : "random", c);
  else
    snprintf(err, errlen, "deep-ntk failed (status %d, L = %zu, m = %zu)", st, L, m);
  free(x);
  free(y);
  if (rng)
    gsl_rng_free(rng);
  return st;
}
static int deep_ntk_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return deep_ntk_measure(o, i, e, l, 0); }
static int deep_ntk_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return deep_ntk_measure(o, i, e, l, 1); }

static const tc_param_spec deep_ntk_params[] = {
  {.name = "L", .type = TC_PARAM_INTEGER, .min = 1, .max = 16, .required = 1, .meaning = "the number of hidden layers"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 16384, .required = 1, .meaning = "the largest width"},
  {.name = "m_min", .type = TC_PARAM_INTEGER, .min = 1, .max = 16384,
   .meaning = "the smallest width (rows at m_min, 2 m_min, ..., m; default m)"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = 4096, .def = "8", .meaning = "the input dimension"},
  {.name = "pair", .type = TC_PARAM_SYMBOL, .values = deep_pair_names, .def = "random",
   .meaning = "the inputs: x = y, nearly parallel (angle eps), orthogonal, random on the sphere, off the sphere, y = -x"},
  {.name = "eps", .type = TC_PARAM_REAL, .min = 0, .max = 1.5, .min_open = 1, .def = "1e-3",
   .meaning = "the angle of the nearly parallel pair"},
  {.name = "c_sigma", .type = TC_PARAM_REAL, .min = 0, .max = 4, .min_open = 1, .def = "2",
   .meaning = "the layer normalisation c (2 = 1/E sigma(z)^2 for ReLU)"},
  {0}};
static const tc_output_spec deep_ntk_outputs[] = {
  {.name = "m", .meaning = "the width of this row's network"},
  {.name = "theta_m", .meaning = "the network's NTK Theta_m(x, y), gradients w.r.t. all L + 1 layers"},
  {.name = "nngp_m", .meaning = "<g^(L)(x), g^(L)(y)>: covariance of f given the hidden layers"},
  {.name = "ff", .meaning = "f(x) f(y)"},
  {.name = "theta_inf", .meaning = "sum_{h=1}^{L+1} Sigma^(h-1) prod_{h'=h}^{L} Sigma-dot^(h') (Arora et al. 2019)"},
  {.name = "theta_notes", .meaning = "the notes' Sigma^(L-1) Sigma-dot^(L-1) Sigma-dot^(L) (L >= 2)"},
  {.name = "theta_shift", .meaning = "the sum with the products from h' = h + 1 (wrong depth index)"},
  {.name = "theta_nodot", .meaning = "sum_h Sigma^(h-1) (every Sigma-dot factor missing)"},
  {.name = "theta_c1", .meaning = "the sum with c_sigma = 1"},
  {.name = "tscale", .meaning = "sqrt(Theta(x,x) Theta(y,y)) of the limit"},
  {.name = "sigma_L", .meaning = "Sigma^(L)(x, y)"},
  {.name = "sigma_prev", .meaning = "Sigma^(L-1)(x, y)"},
  {.name = "sigma_c1", .meaning = "Sigma^(L)(x, y) with c_sigma = 1"},
  {.name = "nscale", .meaning = "sqrt(Sigma^(L)(x,x) Sigma^(L)(y,y))"},
  {0}};
const tc_check tc_check_deep_ntk = {
  .name = "deep-ntk",
  .summary = "deep ReLU NTK: finite-width networks (backprop) against the Sigma / Sigma-dot recursion",
  .params = deep_ntk_params,
  .outputs = deep_ntk_outputs,
  .validate = deep_ntk_validate,
  .measure_d = deep_ntk_measure_d,
  .measure_mpfr = deep_ntk_measure_mpfr,
};
