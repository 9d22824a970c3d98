/* ntk2.c — more checks of lecture 000 section 3 and lecture 003 (NTK,
 * random features, kernels), numerics in checks/ntk2_source.h:
 *
 * ntk-taylor    Taylor coefficient c_j of the two-layer ReLU NTK on the
 *               unit sphere (kernel = ntk, hinf: rho kappa_0, k1: kappa_1),
 *               exact recurrences, plus the series against the closed form
 *               (series_err) and the odd part (odd_err).  One row.
 * rf-linear     random linear features: dist^2(W_*, span{W_1..W_m}) = min_u
 *               MSE for x ~ N(0, I_d), with its exact law (p_exact =
 *               P(mse >= threshold), regularised incomplete beta).  One row.
 * rf-sign       a_j sigma(w_j x) = c_j sigma(w_j/|w_j| x): err_abs with the
 *               notes' c_j = |a_j||w_j|, err_signed with c_j = a_j|w_j|.
 * ntk-param-lr  standard (A) versus NTK (B) parametrisation under GD with
 *               the notes' learning rate m eta on all of theta^(B) and per
 *               layer (eta on W, m eta on a).  One row per step.
 * twolayer-hess parameter Hessian norm of f(x) = s sum_j a_j sigma(w_j x) at
 *               init (tanh or ReLU), with and without s = 1/sqrt m.
 * deep-init     deep ReLU net at He init: f_0(x)^2 and m f_0^2 over its
 *               worst case for an output layer of the same norm.
 *
 * Every draw is made in double from the instance's tape and converted
 * exactly, so both backends measure the same instance. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "tc_check.h"
#include "params.h"

#define TC_TEMPLATE "ntk2_source.h"
#include "num/tc_instantiate.h"

static const char *const ntk2_kernel_names[] = {"hinf", "k1", "ntk", NULL};

/* ---- ntk-taylor ---- */
static int ntk2_taylor_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  const char *kn = tc_point_text(inst->point, "kernel");
  int which = tc_param_lookup(kn ? kn : "ntk", ntk2_kernel_names);
  size_t j = (size_t)tc_point_get_or(inst->point, "j", 2);
  int st = mp ? ntk2_taylor_row_mpfr(out, j, which, inst->prec) : ntk2_taylor_row_d(out, j, which, 53);
  if (st)
    snprintf(err, errlen, "cannot record the row");
  return st;
}
static int ntk2_taylor_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_taylor_measure(o, i, e, l, 0); }
static int ntk2_taylor_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_taylor_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_taylor_params[] = {
  {.name = "j", .type = TC_PARAM_INTEGER, .min = 0, .max = 1e6, .required = 1, .meaning = "the degree"},
  {.name = "kernel", .type = TC_PARAM_SYMBOL, .values = ntk2_kernel_names, .def = "ntk",
   .meaning = "hinf = rho kappa_0 (first layer), k1 = kappa_1 (second layer), ntk = their sum"},
  {0}};
static const tc_output_spec ntk2_taylor_outputs[] = {
  {.name = "j", .meaning = "the degree"},
  {.name = "c_j", .meaning = "Taylor coefficient of rho^j"},
  {.name = "cj_scaled", .meaning = "c_j j^2"},
  {.name = "series_err", .meaning = "|sum_{i<=400} c_i 2^-i - K(1/2)| (closed form)"},
  {.name = "odd_err", .meaning = "max_rho |(K(rho) - K(-rho))/2 - c_1 rho| over rho = 1/4, 1/2, 3/4"},
  {.name = "round_err", .meaning = "rounding allowance of series_err and odd_err"},
  {0}};
const tc_check tc_check_ntk_taylor = {
  .name = "ntk-taylor",
  .summary = "Taylor coefficients c_j of the two-layer ReLU NTK on the sphere (exact) and their decay",
  .params = ntk2_taylor_params,
  .outputs = ntk2_taylor_outputs,
  .measure_d = ntk2_taylor_measure_d,
  .measure_mpfr = ntk2_taylor_measure_mpfr,
};

/* ---- shared: the instance's tape with gaussian streams 0..3 ---- */
static int ntk2_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  for (unsigned s = 0; s < 4; s++)
    if (tc_tape_open(tape, s, TC_DRAW_GAUSSIAN_ZIGGURAT, 0) != TC_SUCCESS) {
      snprintf(err, errlen, "cannot open the tape's streams");
      return TC_EDOM;
    }
  return TC_SUCCESS;
}

static tc_tape *ntk2_tape(const tc_instance *inst, tc_tape **own)
{
  *own = NULL;
  if (inst->tape)
    return inst->tape;
  tc_tape *t = *own = tc_tape_alloc(inst->seed);
  char e[64];
  if (t && ntk2_draw(t, inst, e, sizeof e) != TC_SUCCESS)
    return NULL;
  return t;
}

static double *ntk2_gauss(tc_tape *tape, unsigned s, size_t n, double scale)
{
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (v)
    for (size_t k = 0; k < n; k++)
      v[k] = scale * tc_tape_next(tape, s);
  return v;
}

/* ---- rf-linear ---- */
static int ntk2_rf_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  if (tc_point_get_or(p, "m", 1) >= tc_point_get_or(p, "d", 2)) {
    *param = "m";
    snprintf(err, errlen, "rf-linear needs m < d (m = d gives mse = 0)");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int ntk2_rf_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  size_t d = (size_t)tc_point_get_or(inst->point, "d", 2), m = (size_t)tc_point_get_or(inst->point, "m", 1);
  double thr = tc_point_get_or(inst->point, "threshold", 0.25);
  tc_tape *own, *tape = ntk2_tape(inst, &own);
  double *G = tape ? ntk2_gauss(tape, 0, m * d, 1.0) : NULL, *ws = tape ? ntk2_gauss(tape, 1, d, 1.0) : NULL;
  int st = TC_ENOMEM;
  if (G && ws)
    st = mp ? ntk2_rf_row_mpfr(out, G, ws, m, d, thr, inst->prec) : ntk2_rf_row_d(out, G, ws, m, d, thr, 53);
  if (st)
    snprintf(err, errlen, "rf-linear failed (status %d, d = %zu, m = %zu)", st, d, m);
  free(G);
  free(ws);
  tc_tape_free(own);
  return st;
}
static int ntk2_rf_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_rf_measure(o, i, e, l, 0); }
static int ntk2_rf_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_rf_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_rf_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = 1024, .required = 1, .meaning = "the input dimension"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 1023, .required = 1, .meaning = "the number of random features"},
  {.name = "threshold", .type = TC_PARAM_REAL, .min = 0, .max = 1, .min_open = 1, .max_open = 1, .def = "0.25",
   .meaning = "the MSE level of p_exact"},
  {0}};
static const tc_output_spec ntk2_rf_outputs[] = {
  {.name = "mse", .meaning = "min_u E (sum_k u_k <W_k,x> - <W_*,x>)^2 = dist^2(W_*, span)", .has_range = 1, .lo = 0, .hi = 1},
  {.name = "p_exact", .meaning = "P(mse >= threshold) = 1 - I_threshold((d-m)/2, m/2)"},
  {.name = "mse_err", .meaning = "rounding allowance of mse"},
  {0}};
const tc_check tc_check_rf_linear = {
  .name = "rf-linear",
  .summary = "random linear features: min MSE = dist^2(W_*, span) and its exact Beta law",
  .params = ntk2_rf_params,
  .outputs = ntk2_rf_outputs,
  .validate = ntk2_rf_validate,
  .measure_d = ntk2_rf_measure_d,
  .measure_mpfr = ntk2_rf_measure_mpfr,
  .draw = ntk2_draw,
};

/* ---- rf-sign ---- */
static int ntk2_sign_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  size_t d = (size_t)tc_point_get_or(inst->point, "d", 2), m = (size_t)tc_point_get_or(inst->point, "m", 4);
  tc_tape *own, *tape = ntk2_tape(inst, &own);
  double *A = tape ? ntk2_gauss(tape, 0, m * (d + 1), 1.0) : NULL, *x = tape ? ntk2_gauss(tape, 1, d, 1.0) : NULL;
  int st = TC_ENOMEM;
  if (A && x)
    st = mp ? ntk2_sign_row_mpfr(out, A, x, m, d, inst->prec) : ntk2_sign_row_d(out, A, x, m, d, 53);
  if (st)
    snprintf(err, errlen, "rf-sign failed (status %d)", st);
  free(A);
  free(x);
  tc_tape_free(own);
  return st;
}
static int ntk2_sign_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_sign_measure(o, i, e, l, 0); }
static int ntk2_sign_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_sign_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_sign_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = 1024, .required = 1, .meaning = "the input dimension"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 4096, .required = 1, .meaning = "the width"},
  {0}};
static const tc_output_spec ntk2_sign_outputs[] = {
  {.name = "err_abs", .meaning = "|f(x) - sum_j |a_j||w_j| sigma(w_j x/|w_j|)| (the notes' c)"},
  {.name = "err_signed", .meaning = "|f(x) - sum_j a_j|w_j| sigma(w_j x/|w_j|)|"},
  {.name = "sign_tol", .meaning = "rounding allowance"},
  {0}};
const tc_check tc_check_rf_sign = {
  .name = "rf-sign",
  .summary = "two-layer ReLU net as a random-feature integral: c_j = |a_j||w_j| versus a_j|w_j|",
  .params = ntk2_sign_params,
  .outputs = ntk2_sign_outputs,
  .measure_d = ntk2_sign_measure_d,
  .measure_mpfr = ntk2_sign_measure_mpfr,
  .draw = ntk2_draw,
};

/* ---- ntk-param-lr: x_i uniform on the sphere of radius sqrt d (stream 0),
 * y_i ~ N(0, 1) (stream 1), w_j ~ N(0, I/d) (stream 2), a_j^B ~ N(0, 1)
 * (stream 3). */
static int ntk2_lr_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  const tc_point *p = inst->point;
  size_t n = (size_t)tc_point_get_or(p, "n", 4), d = (size_t)tc_point_get_or(p, "d", 5);
  size_t m = (size_t)tc_point_get_or(p, "m", 16), steps = (size_t)tc_point_get_or(p, "steps", 5);
  double eta = tc_point_get_or(p, "eta", 0.01);
  tc_tape *own, *tape = ntk2_tape(inst, &own);
  double *X = tape ? ntk2_gauss(tape, 0, n * d, 1.0) : NULL, *y = tape ? ntk2_gauss(tape, 1, n, 1.0) : NULL;
  double *W = tape ? ntk2_gauss(tape, 2, m * d, 1.0 / sqrt((double)d)) : NULL, *a = tape ? ntk2_gauss(tape, 3, m, 1.0) : NULL;
  int st = TC_ENOMEM;
  if (X && y && W && a) {
    for (size_t i = 0; i < n; i++) {
      double s = 0;
      for (size_t l = 0; l < d; l++)
        s += X[i * d + l] * X[i * d + l];
      s = sqrt((double)d / s);
      for (size_t l = 0; l < d; l++)
        X[i * d + l] *= s;
    }
    st = mp ? ntk2_lr_rows_mpfr(out, X, y, W, a, n, d, m, eta, steps, inst->prec)
            : ntk2_lr_rows_d(out, X, y, W, a, n, d, m, eta, steps, 53);
  }
  if (st)
    snprintf(err, errlen, "ntk-param-lr failed (status %d)", st);
  free(X);
  free(y);
  free(W);
  free(a);
  tc_tape_free(own);
  return st;
}
static int ntk2_lr_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_lr_measure(o, i, e, l, 0); }
static int ntk2_lr_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_lr_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_lr_params[] = {
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = 64, .def = "4", .meaning = "training points"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = 256, .def = "5", .meaning = "input dimension (|x|^2 = d)"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 4096, .def = "16", .meaning = "the width"},
  {.name = "eta", .type = TC_PARAM_REAL, .min = 0, .max = 10, .min_open = 1, .def = "0.01", .meaning = "parametrisation A's step"},
  {.name = "steps", .type = TC_PARAM_INTEGER, .min = 0, .max = 1000, .def = "5", .meaning = "GD steps"},
  {0}};
static const tc_output_spec ntk2_lr_outputs[] = {
  {.name = "k", .meaning = "the GD step"},
  {.name = "dev_stated", .meaning = "max_i |f_A(x_i) - f_B(x_i)|, B stepped with m eta on all of theta"},
  {.name = "dev_layer", .meaning = "max_i |f_A(x_i) - f_B(x_i)|, B with eta on W and m eta on a"},
  {.name = "f0sq_A", .meaning = "f_A(x_1)^2 at init"},
  {.name = "f0sq_B", .meaning = "f_B(x_1)^2 at init (the same function)"},
  {.name = "fmax", .meaning = "max_i |f_A(x_i)|"},
  {.name = "f0sq_exact", .meaning = "E f_0(x_1)^2 = |x_1|^2/(2d), exact for the instance's x_1"},
  {.name = "lr_err", .meaning = "rounding allowance of the deviations"},
  {0}};
const tc_check tc_check_ntk_param_lr = {
  .name = "ntk-param-lr",
  .summary = "standard vs NTK parametrisation: same functions, learning-rate correspondence under GD",
  .params = ntk2_lr_params,
  .outputs = ntk2_lr_outputs,
  .measure_d = ntk2_lr_measure_d,
  .measure_mpfr = ntk2_lr_measure_mpfr,
  .draw = ntk2_draw,
};

/* ---- twolayer-hess: W ~ N(0, I_d) (stream 0), a_j = sign of stream 1,
 * x uniform on the unit sphere (stream 2). */
static const char *const ntk2_act_names[] = {"tanh", "relu", NULL};

static int ntk2_hess_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  size_t d = (size_t)tc_point_get_or(inst->point, "d", 5), m = (size_t)tc_point_get_or(inst->point, "m", 16);
  const char *an = tc_point_text(inst->point, "act");
  int act = tc_param_lookup(an ? an : "tanh", ntk2_act_names);
  tc_tape *own, *tape = ntk2_tape(inst, &own);
  double *W = tape ? ntk2_gauss(tape, 0, m * d, 1.0) : NULL, *a = tape ? ntk2_gauss(tape, 1, m, 1.0) : NULL;
  double *x = tape ? ntk2_gauss(tape, 2, d, 1.0) : NULL;
  int st = TC_ENOMEM;
  if (W && a && x) {
    double s = 0;
    for (size_t l = 0; l < d; l++)
      s += x[l] * x[l];
    for (size_t l = 0; l < d; l++)
      x[l] /= sqrt(s);
    for (size_t j = 0; j < m; j++)
      a[j] = a[j] < 0 ? -1.0 : 1.0;
    st = mp ? ntk2_hess_row_mpfr(out, W, a, x, m, d, act, inst->prec) : ntk2_hess_row_d(out, W, a, x, m, d, act, 53);
  }
  if (st)
    snprintf(err, errlen, "twolayer-hess failed (status %d)", st);
  free(W);
  free(a);
  free(x);
  tc_tape_free(own);
  return st;
}
static int ntk2_hess_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_hess_measure(o, i, e, l, 0); }
static int ntk2_hess_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_hess_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_hess_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = 1024, .def = "5", .meaning = "input dimension (|x| = 1)"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e6, .required = 1, .meaning = "the width"},
  {.name = "act", .type = TC_PARAM_SYMBOL, .values = ntk2_act_names, .def = "tanh", .meaning = "the activation"},
  {0}};
static const tc_output_spec ntk2_hess_outputs[] = {
  {.name = "hess_ntk", .meaning = "|Hessian of f in (W, a)|_2 with the 1/sqrt(m) output scaling"},
  {.name = "hess_raw", .meaning = "the same without the scaling (002's formula as written)"},
  {.name = "xnorm", .meaning = "|x|"},
  {0}};
const tc_check tc_check_twolayer_hess = {
  .name = "twolayer-hess",
  .summary = "two-layer net at init: spectral norm of the parameter Hessian of f(x) (block diagonal over neurons)",
  .params = ntk2_hess_params,
  .outputs = ntk2_hess_outputs,
  .measure_d = ntk2_hess_measure_d,
  .measure_mpfr = ntk2_hess_measure_mpfr,
  .draw = ntk2_draw,
};

/* ---- deep-init: weights (stream 0, layer by layer, scaled by sqrt(2/n_in)),
 * a_j ~ N(0, 1/m) (stream 1), x uniform on the sphere of radius sqrt d
 * (stream 2). */
static int ntk2_deep_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  size_t d = (size_t)tc_point_get_or(inst->point, "d", 5), m = (size_t)tc_point_get_or(inst->point, "m", 16);
  size_t L = (size_t)tc_point_get_or(inst->point, "L", 2), nw = m * d + (L - 1) * m * m;
  tc_tape *own, *tape = ntk2_tape(inst, &own);
  double *W = tape ? ntk2_gauss(tape, 0, nw, 1.0) : NULL, *a = tape ? ntk2_gauss(tape, 1, m, 1.0 / sqrt((double)m)) : NULL;
  double *x = tape ? ntk2_gauss(tape, 2, d, 1.0) : NULL;
  int st = TC_ENOMEM;
  if (W && a && x) {
    for (size_t k = 0; k < nw; k++)
      W[k] *= k < m * d ? sqrt(2.0 / (double)d) : sqrt(2.0 / (double)m);
    double s = 0;
    for (size_t l = 0; l < d; l++)
      s += x[l] * x[l];
    for (size_t l = 0; l < d; l++)
      x[l] *= sqrt((double)d / s);
    st = mp ? ntk2_deep_row_mpfr(out, W, a, x, d, m, L, inst->prec) : ntk2_deep_row_d(out, W, a, x, d, m, L, 53);
  }
  if (st)
    snprintf(err, errlen, "deep-init failed (status %d)", st);
  free(W);
  free(a);
  free(x);
  tc_tape_free(own);
  return st;
}
static int ntk2_deep_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_deep_measure(o, i, e, l, 0); }
static int ntk2_deep_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return ntk2_deep_measure(o, i, e, l, 1); }

static const tc_param_spec ntk2_deep_params[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = 1024, .def = "5", .meaning = "input dimension (|x|^2 = d)"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 2048, .required = 1, .meaning = "the width of every layer"},
  {.name = "L", .type = TC_PARAM_INTEGER, .min = 1, .max = 8, .def = "2", .meaning = "the number of ReLU layers"},
  {0}};
static const tc_output_spec ntk2_deep_outputs[] = {
  {.name = "f0sq", .meaning = "f_0(x)^2"},
  {.name = "xL2_mean", .meaning = "|x^(L)|^2 / m (mean square of the last layer's units)"},
  {.name = "m_cos2", .meaning = "m f_0^2 / (|a|^2 |x^(L)|^2): m times f_0^2 over its worst case for |a| fixed"},
  {.name = "f0sq_exact", .meaning = "E f_0(x)^2 = |x|^2/d over W and a, exact for the instance's x"},
  {.name = "m_cos2_exact", .meaning = "E m_cos2 = 1 (isotropic a), exact"},
  {0}};
const tc_check tc_check_deep_init = {
  .name = "deep-init",
  .summary = "deep ReLU net at He initialisation: f_0(x)^2 and the worst case over the output layer",
  .params = ntk2_deep_params,
  .outputs = ntk2_deep_outputs,
  .measure_d = ntk2_deep_measure_d,
  .measure_mpfr = ntk2_deep_measure_mpfr,
  .draw = ntk2_draw,
};
