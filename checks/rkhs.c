/* rkhs.c — lecture 003's dot-product kernels, feature maps and RKHS norms
 * of polynomials ("Proof strategy, Step 1"; "What functions can be
 * efficiently learned?"; "What is learnable?"), numerics in
 * checks/rkhs_source.h:
 *
 * rkhs-poly    on the interval [-1, 1] with K(x, y) = g(xy): the feature
 *              identity K = <phi(x), phi(y)> (series with a rigorous tail
 *              bound), the representation p = <w, phi> with w_j =
 *              p_j/sqrt(c_j), the notes' norm sum p_j^2/c_j against the
 *              minimum-norm interpolant's f^T K^{-1} f on n points, and the
 *              learnability weights sum p_j^2 j^2, sum p_j^2 j^{3/2}.  One row.
 * rkhs-sphere  on S^{d-1}: f = sum_j a_j (w_j^T x)^j, its exact RKHS norm by
 *              the Gegenbauer expansion against the notes' sum a_j^2/c_j, and
 *              the minimum-norm interpolant on n points of the sphere.  One row.
 *
 * Coefficients and directions are drawn in double from the tape, rounded to
 * 20 fractional bits (so a_j^2 is exact), and converted exactly, so both
 * backends measure the same instance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "tc_check.h"
#include "params.h"

#define TC_TEMPLATE "rkhs_source.h"
#include "num/tc_instantiate.h"

static const char *const rkhs_kernel_names[] = {"ntk", "exp", "inv2", NULL};
static const char *const rkhs_target_names[] = {"mono", "dense", NULL};
static const char *const rkhs_support_names[] = {"all", "positive", NULL};

static int rkhs_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  for (unsigned s = 0; s < 3; s++)
    if (tc_tape_open(tape, s, TC_DRAW_GAUSSIAN_ZIGGURAT, 0) != TC_SUCCESS) {
      snprintf(err, errlen, "cannot open the tape's streams");
      return TC_EDOM;
    }
  return TC_SUCCESS;
}

static tc_tape *rkhs_tape(const tc_instance *inst, tc_tape **own)
{
  *own = NULL;
  if (inst->tape)
    return inst->tape;
  tc_tape *t = *own = tc_tape_alloc(inst->seed);
  char e[64];
  if (t && rkhs_draw(t, inst, e, sizeof e) != TC_SUCCESS)
    return NULL;
  return t;
}

static double rkhs_round20(double v)
{
  return ldexp(nearbyint(ldexp(v, 20)), -20);
}

/* Coefficients a[0..k]: mono = e_k; dense = N(0, 1) draws of stream 0 times
 * tilt^j.  support = positive zeroes the degrees where the kernel's c_j = 0
 * (odd j >= 3 for the ntk): the hypothesis the notes leave out. */
static void rkhs_coefficients(double *a, size_t k, const tc_instance *inst, tc_tape *tape, int kind)
{
  const char *tn = tc_point_text(inst->point, "target"), *sn = tc_point_text(inst->point, "support");
  int dense = tc_param_lookup(tn ? tn : "mono", rkhs_target_names) == 1;
  int positive = tc_param_lookup(sn ? sn : "all", rkhs_support_names) == 1;
  double tilt = tc_point_get_or(inst->point, "tilt", 1.0), tp = 1.0;
  for (size_t j = 0; j <= k; j++, tp *= tilt) {
    a[j] = dense ? rkhs_round20(tp * tc_tape_next(tape, 0)) : (j == k ? 1.0 : 0.0);
    if (positive && kind == 0 && j >= 3 && j % 2 == 1)
      a[j] = 0.0;
  }
}

static int rkhs_kind(const tc_instance *inst)
{
  const char *kn = tc_point_text(inst->point, "kernel");
  return tc_param_lookup(kn ? kn : "exp", rkhs_kernel_names);
}

/* ---- rkhs-poly ---- */
static int rkhs_poly_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  const tc_point *pt = inst->point;
  size_t k = (size_t)tc_point_get_or(pt, "k", 2), n = (size_t)tc_point_get_or(pt, "n", 10);
  double x = tc_point_get_or(pt, "x", 0.5), y = tc_point_get_or(pt, "y", 0.7);
  int kind = rkhs_kind(inst);
  tc_tape *own, *tape = rkhs_tape(inst, &own);
  double *p = malloc((k + 1) * sizeof *p);
  int st = TC_ENOMEM;
  if (tape && p) {
    rkhs_coefficients(p, k, inst, tape, kind);
    st = mp ? rkhs_poly_row_mpfr(out, p, k, x, y, n, kind, inst->prec)
            : rkhs_poly_row_d(out, p, k, x, y, n, kind, 53);
  }
  if (st)
    snprintf(err, errlen, "rkhs-poly failed (status %d, n = %zu: Cholesky of the Gram matrix%s)", st, n,
             st == TC_ENOTPD ? " is not positive definite at this precision" : "");
  free(p);
  tc_tape_free(own);
  return st;
}
static int rkhs_poly_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return rkhs_poly_measure(o, i, e, l, 0); }
static int rkhs_poly_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return rkhs_poly_measure(o, i, e, l, 1); }

static const tc_param_spec rkhs_poly_params[] = {
  {.name = "kernel", .type = TC_PARAM_SYMBOL, .values = rkhs_kernel_names, .def = "exp",
   .meaning = "ntk = two-layer ReLU NTK g(rho), exp = e^rho, inv2 = 1/(2 - rho)"},
  {.name = "target", .type = TC_PARAM_SYMBOL, .values = rkhs_target_names, .def = "mono",
   .meaning = "mono: p = x^k; dense: p_j ~ N(0, 1) tilt^j, j <= k"},
  {.name = "support", .type = TC_PARAM_SYMBOL, .values = rkhs_support_names, .def = "all",
   .meaning = "positive: p_j = 0 where c_j = 0 (the missing hypothesis)"},
  {.name = "k", .type = TC_PARAM_INTEGER, .min = 0, .max = 40, .def = "2", .meaning = "the degree of p"},
  {.name = "tilt", .type = TC_PARAM_REAL, .min = 0, .max = 4, .def = "1", .meaning = "dense: p_j scaled by tilt^j"},
  {.name = "x", .type = TC_PARAM_REAL, .min = -1, .max = 1, .def = "0.5", .meaning = "first argument"},
  {.name = "y", .type = TC_PARAM_REAL, .min = -1, .max = 1, .def = "0.7", .meaning = "second argument"},
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = 64, .def = "10",
   .meaning = "design points x_i = cos(pi (i + 0.3)/n) of the Gram norm"},
  {0}};
static const tc_output_spec rkhs_poly_outputs[] = {
  {.name = "feat_err", .meaning = "|sum_{i<=N} phi_i(x) phi_i(y) - g(xy)|, phi_i = sqrt(c_i) x^i"},
  {.name = "feat_err_nosqrt", .meaning = "the same with phi_i = c_i x^i (wrong map)"},
  {.name = "feat_tol", .meaning = "rigorous tail bound past N plus rounding"},
  {.name = "feat_terms", .meaning = "N, the terms summed"},
  {.name = "repr_err", .meaning = "|sum_{c_j>0} (p_j/sqrt c_j) phi_j(x) - p(x)|"},
  {.name = "repr_err_nosqrt", .meaning = "the same with w_j = p_j/c_j"},
  {.name = "repr_tol", .meaning = "rounding allowance of repr_err"},
  {.name = "missing", .meaning = "sum of p_j^2 over degrees with c_j = 0"},
  {.name = "norm_formula", .meaning = "sum_{c_j>0} p_j^2/c_j = |w|^2 (the notes)"},
  {.name = "crit2", .meaning = "sum p_j^2 max(1,j)^2 (the notes' criterion)"},
  {.name = "crit15", .meaning = "sum p_j^2 max(1,j)^{3/2}"},
  {.name = "cmax2", .meaning = "max_{c_j>0, j<=k} 1/(c_j max(1,j)^2)"},
  {.name = "norm_gram", .meaning = "f^T K^{-1} f on the n-point design (lower bound on |p|_K^2)"},
  {.name = "gram_err", .meaning = "rounding estimate of norm_gram"},
  {0}};
const tc_check tc_check_rkhs_poly = {
  .name = "rkhs-poly",
  .summary = "dot-product kernel on [-1, 1]: feature map sqrt(c_i) x^i, p = <w, phi>, RKHS norm sum p_j^2/c_j",
  .params = rkhs_poly_params,
  .outputs = rkhs_poly_outputs,
  .measure_d = rkhs_poly_measure_d,
  .measure_mpfr = rkhs_poly_measure_mpfr,
  .draw = rkhs_draw,
};

/* ---- rkhs-sphere ---- */
static int rkhs_sphere_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  const char *kn = tc_point_text(p, "kernel"), *sn = tc_point_text(p, "support");
  if (kn && tc_param_lookup(kn, rkhs_kernel_names) == 0 && !(sn && tc_param_lookup(sn, rkhs_support_names) == 1)) {
    *param = "kernel";
    snprintf(err, errlen, "rkhs-sphere with the ntk needs support = positive (mu_l = 0 for odd l >= 3: a_j (w_j^T x)^j "
             "with odd j >= 3 has an infinite norm)");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int rkhs_sphere_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen, int mp)
{
  const tc_point *pt = inst->point;
  size_t k = (size_t)tc_point_get_or(pt, "k", 2), d = (size_t)tc_point_get_or(pt, "d", 2);
  size_t n = (size_t)tc_point_get_or(pt, "n", 0);
  int kind = rkhs_kind(inst);
  tc_tape *own, *tape = rkhs_tape(inst, &own);
  double *a = malloc((k + 1) * sizeof *a), *W = malloc((k + 1) * d * sizeof *W);
  double *X = malloc((n ? n : 1) * d * sizeof *X);
  int st = TC_ENOMEM;
  if (tape && a && W && X) {
    rkhs_coefficients(a, k, inst, tape, kind);
    double align = tc_point_get_or(pt, "align", 0.0);
    for (size_t q = 0; q < (k + 1) * d; q++) /* align pulls every w_j towards w_0 */
      W[q] = tc_tape_next(tape, 1);
    for (size_t q = (k + 1) * d; q-- > 0;)
      W[q] = rkhs_round20(align * W[q % d] + (1 - align) * W[q]);
    for (size_t q = 0; q < n * d; q++) /* the design for d >= 3 (stream 2) */
      X[q] = tc_tape_next(tape, 2);
    st = mp ? rkhs_sphere_row_mpfr(out, a, W, X, k, d, n, kind, inst->prec)
            : rkhs_sphere_row_d(out, a, W, X, k, d, n, kind, 53);
  }
  if (st)
    snprintf(err, errlen, "rkhs-sphere failed (status %d, d = %zu, k = %zu, n = %zu)", st, d, k, n);
  free(a);
  free(W);
  free(X);
  tc_tape_free(own);
  return st;
}
static int rkhs_sphere_measure_d(tc_record *o, const tc_instance *i, char *e, size_t l) { return rkhs_sphere_measure(o, i, e, l, 0); }
static int rkhs_sphere_measure_mpfr(tc_record *o, const tc_instance *i, char *e, size_t l) { return rkhs_sphere_measure(o, i, e, l, 1); }

static const tc_param_spec rkhs_sphere_params[] = {
  {.name = "kernel", .type = TC_PARAM_SYMBOL, .values = rkhs_kernel_names, .def = "exp",
   .meaning = "ntk (with support = positive), exp = e^rho, inv2 = 1/(2 - rho)"},
  {.name = "target", .type = TC_PARAM_SYMBOL, .values = rkhs_target_names, .def = "dense",
   .meaning = "mono: f = (w^T x)^k; dense: a_j ~ N(0, 1) tilt^j, j <= k"},
  {.name = "support", .type = TC_PARAM_SYMBOL, .values = rkhs_support_names, .def = "all",
   .meaning = "positive: a_j = 0 where c_j = 0 (required for the ntk)"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = 4096, .def = "2", .meaning = "the sphere S^{d-1}"},
  {.name = "k", .type = TC_PARAM_INTEGER, .min = 0, .max = 24, .def = "2", .meaning = "the largest degree"},
  {.name = "tilt", .type = TC_PARAM_REAL, .min = 0, .max = 4, .def = "1", .meaning = "a_j scaled by tilt^j"},
  {.name = "align", .type = TC_PARAM_REAL, .min = 0, .max = 0.99, .def = "0",
   .meaning = "w_j <- align w_0 + (1 - align) w_j before normalising (near 1: nearly one direction)"},
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 0, .max = 400, .def = "0",
   .meaning = "points of the Gram design (d = 2: equispaced on the circle; d >= 3: uniform, stream 2; 0: none)"},
  {0}};
static const tc_output_spec rkhs_sphere_outputs[] = {
  {.name = "norm_exact", .meaning = "|f|_K^2 by the Gegenbauer expansion"},
  {.name = "exact_err", .meaning = "the tail bracket of mu_l plus rounding"},
  {.name = "norm_formula", .meaning = "sum_j a_j^2/c_j (the notes)"},
  {.name = "gegen_terms", .meaning = "Taylor terms summed for mu_l"},
  {.name = "norm_gram", .meaning = "f^T K^{-1} f on the n-point design (0 when n = 0)"},
  {.name = "gram_err", .meaning = "rounding estimate of norm_gram"},
  {0}};
const tc_check tc_check_rkhs_sphere = {
  .name = "rkhs-sphere",
  .summary = "dot-product kernel on S^{d-1}: exact RKHS norm of sum_j a_j (w_j^T x)^j against sum a_j^2/c_j",
  .params = rkhs_sphere_params,
  .outputs = rkhs_sphere_outputs,
  .validate = rkhs_sphere_validate,
  .measure_d = rkhs_sphere_measure_d,
  .measure_mpfr = rkhs_sphere_measure_mpfr,
  .draw = rkhs_draw,
};
