/* kernel.c — check modules on the two-layer ReLU network's formulas and
 * kernels (lectures 000 §3, 001, 002, 003, 004), built on
 * checks/twolayer_source.h:
 *
 * kernel-quad    the arc-cosine closed forms H_inf_ij = <x_i,x_j>(pi - theta)/(2 pi)
 *                and K1_ij = |x_i||x_j|(sin theta + (pi - theta) cos theta)/(2 pi)
 *                against a Romberg quadrature of the bivariate-normal
 *                integrals (kernel_source.h), in the backend's precision.
 *                One row per pair i < j: theta, hinf, hinf_quad, k1,
 *                k1_quad, quad_err.
 * kernel-lambda0 lambda0 = lambda_min(H_inf) of a data set and a certified
 *                lower bound lambda0_cert (Cholesky of H_inf - (lambda0/2) I,
 *                -1 when it fails).  One row.
 * twolayer-grad  the gradient and NTK formulas of f(x; W, a) = (1/sqrt m)
 *                sum_k a_k sigma(W_k x) against central differences of the
 *                network itself.  One row: grad_err, gradL_err, gradL1_err,
 *                ntk_err, ntk_nom_err, k2_err, fd_tol (see kernel_source.h).
 *
 * Data (`data`): sphere (n points uniform on S^{d-1}), near-parallel
 * (x_2 at angle `angle` from x_1), cluster (every x_i within angle
 * `angle` of x_1, at random directions), zero (sphere with x_n = 0),
 * off-sphere (sphere with norms 2^u, u uniform in [-1, 1]); all times
 * `scale`.  The data depend on (n, d, data_seed) only; the network of
 * twolayer-grad on the instance seed (tape stream 0). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "twolayer_data.h"

#define KERNEL_PI 3.14159265358979323846

typedef enum { KD_SPHERE, KD_NEAR_PARALLEL, KD_CLUSTER, KD_ZERO, KD_OFF_SPHERE } kernel_family;
static const char *const kernel_family_names[] = {"sphere", "near-parallel", "cluster", "zero", "off-sphere", NULL};

typedef struct {
  size_t n, d, m;
  kernel_family family;
  double angle, scale, data_seed;
} kernel_params;

/* x <- cos(a) x1 + sin(a) u, u a random unit vector orthogonal to x1. */
static void kernel_rotate(double *x, const double *x1, double a, size_t d, gsl_rng *rng)
{
  double *u = x; /* drawn in place: x[l] only reads u[l] */
  double un = twolayer_orth_draw(u, x1, d, rng), ca = cos(a), sa = sin(a);
  for (size_t l = 0; l < d; l++)
    x[l] = ca * x1[l] + sa * u[l] / un;
}

static int kernel_data_make(double *X, const kernel_params *kp)
{
  static const char *const no_names[] = {NULL};
  static const tc_point no_point = {0, NULL};
  size_t n = kp->n, d = kp->d;
  char key[128];
  snprintf(key, sizeof key, "kernel-data|n=%zu|d=%zu|data_seed=%.17g", n, d, kp->data_seed);
  gsl_rng *rng = tc_rng_alloc(tc_point_seed(&no_point, key, no_names));
  if (rng == NULL)
    return TC_ENOMEM;
  for (size_t i = 0; i < n; i++)
    twolayer_unit(X + i * d, d, rng);
  if (kp->family == KD_NEAR_PARALLEL && n >= 2)
    kernel_rotate(X + d, X, kp->angle, d, rng);
  if (kp->family == KD_CLUSTER)
    for (size_t i = 1; i < n; i++)
      kernel_rotate(X + i * d, X, kp->angle * (double)i / (double)(n - 1), d, rng);
  if (kp->family == KD_ZERO)
    memset(X + (n - 1) * d, 0, d * sizeof *X);
  if (kp->family == KD_OFF_SPHERE)
    for (size_t i = 0; i < n; i++) {
      double r = pow(2.0, 2.0 * gsl_rng_uniform(rng) - 1.0);
      for (size_t l = 0; l < d; l++)
        X[i * d + l] *= r;
    }
  for (size_t k = 0; k < n * d; k++)
    X[k] *= kp->scale;
  gsl_rng_free(rng);
  return TC_SUCCESS;
}

static int kernel_params_read(kernel_params *kp, const tc_point *p, const char **blame, char *err, size_t errlen)
{
  *blame = NULL;
  const char *data = tc_point_text(p, "data");
  int f = tc_param_lookup(data ? data : "sphere", kernel_family_names);
  if (f < 0) {
    *blame = "data";
    snprintf(err, errlen, "unknown data family '%s'", data);
    return TC_EDOM;
  }
  kp->family = (kernel_family)f;
  kp->n = (size_t)tc_point_get_or(p, "n", 2);
  kp->d = (size_t)tc_point_get_or(p, "d", 2);
  kp->m = (size_t)tc_point_get_or(p, "m", 8);
  kp->angle = tc_point_get_or(p, "angle", 0.1);
  kp->scale = tc_point_get_or(p, "scale", 1.0);
  kp->data_seed = tc_point_get_or(p, "data_seed", 0.0);
  if ((kp->family == KD_NEAR_PARALLEL || kp->family == KD_CLUSTER) && (kp->n < 2 || kp->d < 2)) {
    *blame = "data";
    snprintf(err, errlen, "data = %s needs n >= 2 and d >= 2", kernel_family_names[f]);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int kernel_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  kernel_params kp;
  return kernel_params_read(&kp, p, param, err, errlen);
}

/* The data of an instance's point, malloc'd (NULL: out of memory or bad point). */
static double *kernel_data(kernel_params *kp, const tc_instance *inst, char *err, size_t errlen)
{
  const char *blame;
  if (kernel_params_read(kp, inst->point, &blame, err, errlen) != TC_SUCCESS)
    return NULL;
  double *X = malloc(kp->n * kp->d * sizeof *X);
  if (X == NULL || kernel_data_make(X, kp) != TC_SUCCESS) {
    free(X);
    snprintf(err, errlen, "out of memory (n = %zu, d = %zu)", kp->n, kp->d);
    return NULL;
  }
  return X;
}

#define TC_TEMPLATE "twolayer_source.h"
#include "num/tc_instantiate.h"
#define TC_TEMPLATE "kernel_source.h"
#include "num/tc_instantiate.h"

#define KERNEL_MEASURE(NAME, CALL)                                                                  \
  static int NAME(tc_record *out, const tc_instance *inst, char *err, size_t errlen)                \
  {                                                                                                 \
    kernel_params kp;                                                                               \
    double *X = kernel_data(&kp, inst, err, errlen);                                                \
    if (X == NULL)                                                                                  \
      return TC_EDOM;                                                                               \
    int status = CALL;                                                                              \
    free(X);                                                                                        \
    return status;                                                                                  \
  }

KERNEL_MEASURE(kernel_quad_measure_d, kernel_quad_rows_d(out, X, kp.n, kp.d, 53, err, errlen))
KERNEL_MEASURE(kernel_quad_measure_mpfr, kernel_quad_rows_mpfr(out, X, kp.n, kp.d, inst->prec, err, errlen))
KERNEL_MEASURE(kernel_lambda0_measure_d, kernel_lambda0_row_d(out, X, kp.n, kp.d, 53, err, errlen))
KERNEL_MEASURE(kernel_lambda0_measure_mpfr, kernel_lambda0_row_mpfr(out, X, kp.n, kp.d, inst->prec, err, errlen))

/* twolayer-grad's step: 2^-10; central differences of the piecewise-
 * linear f are exact between kinks, so h only has to keep every
 * pre-activation's sign: a neuron with |W_k x_i| <= 4 h |W_k| |x_i| for
 * some i is redrawn (decided in double, the same in both backends). */
#define KERNEL_FD_H 0.0009765625

static int kernel_net_draw(double *W, double *a, double *y, const double *X, const kernel_params *kp, tc_tape *tape)
{
  size_t n = kp->n, m = kp->m, d = kp->d;
  for (size_t k = 0; k < m; k++) {
    int bad;
    size_t tries = 0;
    do {
      double wn = 0;
      for (size_t l = 0; l < d; l++) {
        W[k * d + l] = tc_tape_next(tape, 0);
        wn += W[k * d + l] * W[k * d + l];
      }
      bad = 0;
      for (size_t i = 0; i < n && !bad; i++) {
        double s = 0, xn = 0;
        for (size_t l = 0; l < d; l++) {
          s += W[k * d + l] * X[i * d + l];
          xn += X[i * d + l] * X[i * d + l];
        }
        bad = xn > 0 && fabs(s) <= 4 * KERNEL_FD_H * sqrt(wn * xn) * 1.01;
      }
    } while (bad && ++tries < 1000);
    if (bad)
      return TC_EDOM;
  }
  for (size_t k = 0; k < m; k++)
    a[k] = tc_tape_next(tape, 1) < 0.5 ? -1.0 : 1.0;
  for (size_t i = 0; i < n; i++)
    y[i] = tc_tape_next(tape, 2);
  return TC_SUCCESS;
}

/* The instance's tape, or (standalone) one of our own in *own with the
 * network streams open: 0 the weights W (Gaussian), 1 the signs a, and
 * with_y: 2 the targets y (Gaussian).  NULL when out of memory. */
static tc_tape *kernel_tape(const tc_instance *inst, tc_tape **own, int with_y)
{
  tc_tape *tape = inst->tape;
  *own = NULL;
  if (tape == NULL && (tape = *own = tc_tape_alloc(inst->seed)) != NULL) {
    tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN_ZIGGURAT, 0);
    tc_tape_open(tape, 1, TC_DRAW_UNIFORM, 0);
    if (with_y)
      tc_tape_open(tape, 2, TC_DRAW_GAUSSIAN_ZIGGURAT, 0);
  }
  return tape;
}

static int kernel_grad_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  kernel_params kp;
  double *X = kernel_data(&kp, inst, err, errlen);
  if (X == NULL)
    return TC_EDOM;
  tc_tape *own, *tape = kernel_tape(inst, &own, 1);
  double *W = malloc(kp.m * kp.d * sizeof *W), *a = malloc(kp.m * sizeof *a), *y = malloc(kp.n * sizeof *y);
  int status = TC_ENOMEM;
  if (tape && W && a && y) {
    status = kernel_net_draw(W, a, y, X, &kp, tape);
    if (status != TC_SUCCESS)
      snprintf(err, errlen, "no network away from the ReLU kinks in 1000 draws");
    else if (mp)
      status = kernel_grad_row_mpfr(out, W, a, X, y, kp.n, kp.m, kp.d, KERNEL_FD_H, inst->prec, err, errlen);
    else
      status = kernel_grad_row_d(out, W, a, X, y, kp.n, kp.m, kp.d, KERNEL_FD_H, 53, err, errlen);
  }
  free(W);
  free(a);
  free(y);
  free(X);
  tc_tape_free(own);
  return status;
}

static int kernel_grad_measure_d(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return kernel_grad_measure(out, inst, err, errlen, 0);
}

static int kernel_grad_measure_mpfr(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return kernel_grad_measure(out, inst, err, errlen, 1);
}

/* twolayer-f0: x = x_1 of the point's data; W_k ~ N(0, I_d) (stream 0),
 * a_k = +-1 (stream 1). */
static int kernel_f0_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  kernel_params kp;
  double *X = kernel_data(&kp, inst, err, errlen);
  if (X == NULL)
    return TC_EDOM;
  tc_tape *own, *tape = kernel_tape(inst, &own, 0);
  double *W = malloc(kp.m * kp.d * sizeof *W), *a = malloc(kp.m * sizeof *a);
  int status = TC_ENOMEM;
  if (tape && W && a) {
    for (size_t k = 0; k < kp.m * kp.d; k++)
      W[k] = tc_tape_next(tape, 0);
    for (size_t k = 0; k < kp.m; k++)
      a[k] = tc_tape_next(tape, 1) < 0.5 ? -1.0 : 1.0;
    status = mp ? kernel_f0_row_mpfr(out, W, a, X, kp.m, kp.d, inst->prec, err, errlen)
                : kernel_f0_row_d(out, W, a, X, kp.m, kp.d, 53, err, errlen);
  } else {
    snprintf(err, errlen, "out of memory (m = %zu)", kp.m);
  }
  free(W);
  free(a);
  free(X);
  tc_tape_free(own);
  return status;
}

static int kernel_f0_measure_d(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return kernel_f0_measure(out, inst, err, errlen, 0);
}

static int kernel_f0_measure_mpfr(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return kernel_f0_measure(out, inst, err, errlen, 1);
}

static int kernel_grad_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status;
  if ((status = tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN_ZIGGURAT, 0)) ||
      (status = tc_tape_open(tape, 1, TC_DRAW_UNIFORM, 0)) ||
      (status = tc_tape_open(tape, 2, TC_DRAW_GAUSSIAN_ZIGGURAT, 0)))
    snprintf(err, errlen, "cannot open the tape's streams");
  return status;
}

#define KERNEL_DATA_PARAMS(NMAX, DMAX) \
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = NMAX, .required = 1, .meaning = "the number of data points"}, \
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = DMAX, .required = 1, .meaning = "the input dimension"}, \
  {.name = "data", .type = TC_PARAM_SYMBOL, .values = kernel_family_names, .def = "sphere", .meaning = "the data family"}, \
  {.name = "angle", .type = TC_PARAM_REAL, .min = 0, .max = KERNEL_PI, .min_open = 1, .def = "0.1", \
   .meaning = "near-parallel: angle of x_2 to x_1; cluster: the cluster's angular radius"}, \
  {.name = "scale", .type = TC_PARAM_REAL, .min = 1e-100, .max = 1e100, .def = "1", .meaning = "every point's norm factor"}, \
  {.name = "data_seed", .type = TC_PARAM_INTEGER, .min = 0, .max = 9007199254740992.0, .def = "0", .meaning = "which data set"}

static const tc_param_spec kernel_quad_params[] = {KERNEL_DATA_PARAMS(64, 10000), {0}};
static const tc_output_spec kernel_quad_outputs[] = {
  {.name = "theta", .meaning = "the angle between x_i and x_j (stable atan2 form)"},
  {.name = "hinf", .meaning = "closed form <x_i,x_j>(pi - theta)/(2 pi)"},
  {.name = "hinf_quad", .meaning = "<x_i,x_j> P(u >= 0, v >= 0) by Romberg quadrature"},
  {.name = "k1", .meaning = "closed form |x_i||x_j|(sin theta + (pi - theta) cos theta)/(2 pi)"},
  {.name = "k1_quad", .meaning = "|x_i||x_j| E sigma(u) sigma(v) by Romberg quadrature"},
  {.name = "quad_err", .meaning = "Romberg's last correction (scaled)"},
  {0}};

const tc_check tc_check_kernel_quad = {
  .name = "kernel-quad",
  .summary = "arc-cosine kernels (H_inf, degree 1) in closed form against high-precision quadrature",
  .params = kernel_quad_params,
  .outputs = kernel_quad_outputs,
  .validate = kernel_validate,
  .measure_d = kernel_quad_measure_d,
  .measure_mpfr = kernel_quad_measure_mpfr,
};

static const tc_param_spec kernel_lambda0_params[] = {KERNEL_DATA_PARAMS(256, 10000), {0}};
static const tc_output_spec kernel_lambda0_outputs[] = {
  {.name = "lambda0", .meaning = "lambda_min(H_inf)"},
  {.name = "lambda0_cert", .meaning = "lambda0/2 if Cholesky of H_inf - lambda0/2 I succeeds, else -1"},
  {0}};

const tc_check tc_check_kernel_lambda0 = {
  .name = "kernel-lambda0",
  .summary = "lambda0 = lambda_min(H_inf) with a Cholesky-certified lower bound",
  .params = kernel_lambda0_params,
  .outputs = kernel_lambda0_outputs,
  .validate = kernel_validate,
  .measure_d = kernel_lambda0_measure_d,
  .measure_mpfr = kernel_lambda0_measure_mpfr,
};

static const tc_param_spec twolayer_grad_params[] = {
  KERNEL_DATA_PARAMS(16, 16),
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 64, .def = "8", .meaning = "the width"},
  {0}};
static const tc_output_spec twolayer_grad_outputs[] = {
  {.name = "grad_err", .meaning = "max |grad_W f - central differences|"},
  {.name = "gradL_err", .meaning = "max |-(a_k/sqrt m) sum_i (y_i - f_i) sigma' x_i - FD of L| (line 2)"},
  {.name = "gradL1_err", .meaning = "the same for sum_i (y_i - f_i) grad f (line 1 as written)"},
  {.name = "ntk_err", .meaning = "max |H(W) - J J^T|, J by central differences"},
  {.name = "ntk_nom_err", .meaning = "max |m H(W) - J J^T| (the kernel without 1/m)"},
  {.name = "k2_err", .meaning = "max |(1/m) sum_k sigma sigma - <grad_a f, grad_a f>|"},
  {.name = "fd_tol", .meaning = "rounding allowance of the central differences"},
  {0}};

const tc_check tc_check_twolayer_grad = {
  .name = "twolayer-grad",
  .summary = "two-layer ReLU net: gradient and NTK formulas against central differences",
  .params = twolayer_grad_params,
  .outputs = twolayer_grad_outputs,
  .validate = kernel_validate,
  .measure_d = kernel_grad_measure_d,
  .measure_mpfr = kernel_grad_measure_mpfr,
  .draw = kernel_grad_draw,
};

static const tc_param_spec twolayer_f0_params[] = {
  KERNEL_DATA_PARAMS(1, 10000),
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e6, .def = "8", .meaning = "the width"},
  {0}};
static const tc_output_spec twolayer_f0_outputs[] = {
  {.name = "f0sq_pm", .meaning = "f_0(x)^2 with a_k = +-1"},
  {.name = "f0sq_one", .meaning = "f_0(x)^2 with a_k = 1 (same W)"},
  {.name = "xnorm2", .meaning = "|x|^2"},
  {0}};

const tc_check tc_check_twolayer_f0 = {
  .name = "twolayer-f0",
  .summary = "two-layer ReLU net at init: f_0(x)^2 with a = +-1 and with a = 1",
  .params = twolayer_f0_params,
  .outputs = twolayer_f0_outputs,
  .validate = kernel_validate,
  .measure_d = kernel_f0_measure_d,
  .measure_mpfr = kernel_f0_measure_mpfr,
  .draw = kernel_grad_draw,
};
