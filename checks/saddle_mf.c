/* saddle_mf.c — check module "saddle-mf": the critical points of symmetric
 * matrix factorisation f(U) = ||U U^T - M||_F^2 (U in R^{d x r}, M
 * symmetric PSD), lecture 001 ("What problems satisfy these two
 * conditions: matrix factorization"), classified by gradient and Hessian
 * spectrum (lecture 000 §2.1, lecture 001 "strict saddle point"), and GD
 * near its strict saddles (lecture 001 quadratic example: the escaping
 * component grows by |1 - eta lambda_min| per step).
 *
 * Instance: M = Q diag(lambda) Q^T with Q Haar-random and lambda_1 = 1 >=
 * ... >= lambda_d >= 0 drawn log-uniform in [pmin, 1], then the tail
 * lambda_{r+1..d} scaled so that lambda_{r+1} = (1 - gap) lambda_r (gap
 * -> 0: an eigen-gap near zero, a barely strict saddle), and all times
 * `scale`.  Critical point
 * U* = [sqrt(lambda_s) v_s]_{s in S} (columns in the backend's arithmetic):
 *   zero    U* = 0;
 *   top     S = {1..r}: a global minimum;
 *   skip    S = {1..r-1, r+1}: misses v_r, a strict saddle with
 *           lambda_min = -4 (lambda_r - lambda_{r+1});
 *   bottom  S = {d-r+1..d};
 *   all     every S with |S| <= r (the first |S| columns, the others 0),
 *           one row each: with a simple spectrum these are all the critical
 *           points up to U -> U O (O orthogonal).
 * form = asym, the notes' min_{U,V} ||U V^T - A||_F^2: A =
 *   P diag(sigma) Q^T (P, Q Haar, sigma drawn as lambda above), theta = [U V]
 *   (d x 2r), critical points U = P_S Sigma_S^{1/2}, V = Q_S Sigma_S^{1/2}.
 *   grad = (2 R V, 2 R^T U), R = U V^T - A; Hessian blocks 2 [i = i']
 *   (V^T V)_mm', 2 [j = j'] (U^T U)_mm', and U_im-V_jm': 2 U_im' V_jm + 2 [m =
 *   m'] R_ij.  Spectrum at a critical point (derived like the symmetric one):
 *   a nonzero column with s: 2 (sigma_s -+ sigma_k) for k not in S, 4
 *   sigma_s and 0, and for each later nonzero column s': 0, 0, 2 (sigma_s +
 *   sigma_s') twice; a zero column: +-2 sigma_k for k not in S, 0 twice for
 *   k in S.  So lambda_min(0) = -2 sigma_max(A).
 * Derivatives (R = U U^T - M): grad f = 4 R U; Hessian-vector product
 * H[V] = 4 R V + 4 (U V^T + V U^T) U, i.e. on the basis E_{i,m} (index
 * m d + i) H[(j,m'),(i,m)] = 4 R_ji [m = m'] + 4 U_jm U_im' + 4 [i = j]
 * (U^T U)_mm'.  At U* the spectrum is (derived in the eigenbasis of M):
 *   U* = 0: -4 lambda_i, each r times (so lambda_min = -4 lambda_max(M));
 *   else, with s_m the eigen-index of column m: 4 (lambda_{s_m} -
 *   lambda_k) for k not in S (r (d - r) values), 8 lambda_{s_m} (r), and
 *   for m < m' the pair 0 (the rotation U -> U O) and 4 (lambda_{s_m} +
 *   lambda_{s_m'}); a zero column adds -4 lambda_k for k not in S and 0 for
 *   k in S (its directions do not couple to the others).
 * mode = hessian, one row: grad_norm, grad_err, hess_lmin, hess_lmax,
 *   lmin_exact (closed form from lambda), spec_dev = max_i |mu_i -
 *   mu_i^exact| over the sorted spectra, hess_err (rounding estimate),
 *   lmax_M = lambda_1, lam_r, gap_abs = lambda_r - lambda_{r+1}, hvp_fd
 *   (relative residual of the assembled H against the central difference
 *   of the gradient, (grad f(U + hV) - grad f(U - hV)) / 2h - 4 h^2 V V^T V,
 *   exact for the cubic gradient), grad_fd (the gradient at U* + 0.1 Z
 *   against (4 D(h) - D(2h)) / 3 of f itself, exact for the quartic f), d, r.
 * mode = gd: GD U_{t+1} = U_t - eta grad f(U_t) from U_0 = U* + delta V
 *   (+ rest * delta of a random direction), V = E the closed-form unit
 *   eigenvector of lambda_min (v_k e_m^T), eta = eta2 * 2 / l with l =
 *   max |mu| measured (the smoothness near U*; at U* = 0 every eigenvalue
 *   is negative).  start = ball: U_0 = U* + xi, xi uniform in the ball of
 *   radius delta in R^{d x r} (lecture 000 §2.4's perturbation; y10 is
 *   then |<V, xi>|).  Rows t = 1..min(K, t_esc) (the law is local): y1 = |<V, U_t - U*>|, y10, growth = |1 - eta
 *   lambda_min(H)| (measured), rem = sum_{j<t} growth'^{t-1-j} eta
 *   4 (3 s ||W_j||^2 + ||W_j||^3) (W = U - U*, s = ||U*||_2: the bound of
 *   the non-quadratic part of the gradient, propagated), y_err (rounding),
 *   wnorm, lmin, lmin_exact, eta, t_esc (first t with y1 >= c, else K+1),
 *   t_esc_pred = ceil(ln(c/y10)/ln growth). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { MF_ZERO, MF_TOP, MF_SKIP, MF_BOTTOM, MF_ALL };
static const char *const mf_subsets[] = {"zero", "top", "skip", "bottom", "all", NULL};
enum { MF_HESSIAN, MF_GD };
static const char *const mf_modes[] = {"hessian", "gd", NULL};
enum { MF_SYM, MF_ASYM };
static const char *const mf_forms[] = {"sym", "asym", NULL};
enum { MF_START_DIRECTION, MF_START_BALL };
static const char *const mf_starts[] = {"direction", "ball", NULL};

#define MF_MAX_D 400
#define MF_MAX_R 8
#define MF_MAX_N 800 /* d r: the Hessian's size */
#define MF_MAX_D_ALL 16

typedef struct {
  int subset, mode, start, asym;
  size_t d, r, p; /* p: columns of theta, r (U) or 2r ([U V]) */
  double gap, pmin, scale, eta2, delta, rest, c;
  long iterations;
} mf_config;

static int mf_config_read(mf_config *c, const tc_point *p, const char **param, char *err,
                          size_t errlen)
{
  c->subset = tc_param_lookup(tc_point_text(p, "subset"), mf_subsets);
  const char *m = tc_point_text(p, "mode");
  c->mode = m ? tc_param_lookup(m, mf_modes) : MF_HESSIAN;
  const char *st = tc_point_text(p, "start");
  c->start = st ? tc_param_lookup(st, mf_starts) : MF_START_DIRECTION;
  const char *fm = tc_point_text(p, "form");
  c->asym = fm ? tc_param_lookup(fm, mf_forms) : MF_SYM;
  c->d = (size_t)tc_point_get_or(p, "d", 2);
  c->r = (size_t)tc_point_get_or(p, "r", 1);
  c->gap = tc_point_get_or(p, "gap", 0.5);
  c->pmin = tc_point_get_or(p, "pmin", 0.1);
  c->scale = tc_point_get_or(p, "scale", 1);
  c->eta2 = tc_point_get_or(p, "eta2", 0.1);
  c->delta = tc_point_get_or(p, "delta", 1e-6);
  c->rest = tc_point_get_or(p, "rest", 0);
  c->c = tc_point_get_or(p, "c", 1e-2);
  c->iterations = (long)tc_point_get_or(p, "iterations", 60);
  const char *bad = NULL;
  c->p = c->asym == MF_ASYM ? 2 * c->r : c->r;
  if (c->subset < 0 || c->mode < 0 || c->start < 0 || c->asym < 0) {
    bad = c->subset < 0 ? "subset" : c->mode < 0 ? "mode" : c->start < 0 ? "start" : "form";
    snprintf(err, errlen, "unknown %s", bad);
  } else if (c->r > c->d || (c->subset == MF_SKIP && c->r + 1 > c->d)) {
    bad = "r";
    snprintf(err, errlen, "r = %zu needs d >= r (d >= r + 1 for skip), got d = %zu", c->r, c->d);
  } else if (c->mode == MF_GD && (c->subset == MF_TOP || c->subset == MF_ALL)) {
    bad = "subset";
    snprintf(err, errlen, "mode gd needs one saddle (zero, skip or bottom)");
  } else if (c->subset == MF_ALL && c->d > MF_MAX_D_ALL) {
    bad = "d";
    snprintf(err, errlen, "subset all enumerates every S with |S| <= r: d must be <= %d",
             MF_MAX_D_ALL);
  } else if (c->d * c->p > MF_MAX_N) {
    bad = "d";
    snprintf(err, errlen, "the Hessian's size %zu exceeds %d", c->d * c->p, MF_MAX_N);
  }
  if (bad && param)
    *param = bad;
  return bad ? TC_EDOM : TC_SUCCESS;
}

static int mf_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  mf_config c;
  return mf_config_read(&c, p, param, err, errlen);
}

/* lambda (descending) in double, instance data read by both backends:
 * log-uniform in [pmin, 1] with lambda_1 = 1, the tail after r scaled so
 * that lambda_{r+1} = (1 - gap) lambda_r (ordering kept). */
static void mf_spectrum(double *lam, const mf_config *c, gsl_rng *rng)
{
  size_t d = c->d, r = c->r;
  lam[0] = 1;
  for (size_t i = 1; i < d; i++)
    lam[i] = exp(log(c->pmin) * gsl_rng_uniform(rng));
  for (size_t i = 1; i < d; i++) /* insertion sort, descending */
    for (size_t j = i; j > 0 && lam[j - 1] < lam[j]; j--) {
      double t = lam[j];
      lam[j] = lam[j - 1];
      lam[j - 1] = t;
    }
  if (r < d) {
    double f = (1 - c->gap) * lam[r - 1] / lam[r];
    for (size_t i = r; i < d; i++)
      lam[i] *= f;
    lam[r] = (1 - c->gap) * lam[r - 1];
  }
  for (size_t i = 0; i < d; i++)
    lam[i] *= c->scale;
}

/* The eigen-index of column m of U* (-1: a zero column); subset = all
 * starts from U* = 0. */
static void mf_columns(long *idx, const mf_config *c)
{
  for (size_t m = 0; m < c->r; m++)
    idx[m] = c->subset == MF_ZERO || c->subset == MF_ALL ? -1
             : c->subset == MF_BOTTOM ? (long)(c->d - c->r + m)
             : c->subset == MF_SKIP && m + 1 == c->r ? (long)c->r
                                                     : (long)m;
}

/* The GD series, one entry per iterate. */
enum { MF_Y1, MF_REM, MF_YERR, MF_WN, MF_NSER };

/* The next subset of {0..d-1} with at most r elements, as the ascending
 * combination comb[0..*j-1]: by size, then lexicographically; 0 after the
 * last.  Starts from the empty set (*j = 0). */
static int mf_next_subset(size_t *comb, size_t *j, size_t d, size_t r)
{
  size_t n = *j;
  for (size_t i = n; i-- > 0;)
    if (comb[i] < d - n + i) {
      comb[i]++;
      for (size_t k = i + 1; k < n; k++)
        comb[k] = comb[k - 1] + 1;
      return 1;
    }
  if (n == r || n == d)
    return 0;
  *j = n + 1;
  for (size_t k = 0; k <= n; k++)
    comb[k] = k;
  return 1;
}

/* 1 when the nonzero columns are exactly the top r eigenvectors. */
static double mf_is_top(const long *idx, size_t r)
{
  unsigned long seen = 0;
  for (size_t m = 0; m < r; m++)
    if (idx[m] >= 0 && idx[m] < (long)r)
      seen |= 1ul << idx[m];
  return seen == (1ul << r) - 1 ? 1.0 : 0.0;
}

/* sum of 2^s over the columns' eigen-indices (the row's label). */
static double mf_subset_id(const long *idx, size_t r)
{
  double id = 0;
  for (size_t m = 0; m < r; m++)
    id += idx[m] >= 0 ? ldexp(1.0, (int)idx[m]) : 0;
  return id;
}

#define TC_TEMPLATE "saddle_mf_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec mf_params[] = {
  {.name = "subset", .type = TC_PARAM_SYMBOL, .values = mf_subsets, .required = 1,
   .meaning = "critical point: zero, top (global min), skip (misses v_r), bottom, or all (every S, |S| <= r)"},
  {.name = "form", .type = TC_PARAM_SYMBOL, .values = mf_forms, .def = "sym",
   .meaning = "sym: ||UU^T - M||^2; asym: ||UV^T - A||^2 (the notes' form), A = P diag(sigma) Q^T"},
  {.name = "mode", .type = TC_PARAM_SYMBOL, .values = mf_modes, .def = "hessian",
   .meaning = "hessian: classify U*; gd: GD from U* + delta V_min"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 2, .max = MF_MAX_D, .required = 1,
   .meaning = "rows of U (M is d x d)"},
  {.name = "r", .type = TC_PARAM_INTEGER, .min = 1, .max = MF_MAX_R, .def = "1",
   .meaning = "columns of U"},
  {.name = "gap", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .def = "0.5",
   .meaning = "relative eigen-gap: lambda_{r+1} = (1 - gap) lambda_r"},
  {.name = "pmin", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1, .def = "0.1",
   .meaning = "smallest drawn eigenvalue of M"},
  {.name = "scale", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e6, .def = "1",
   .meaning = "lambda_max(M)"},
  {.name = "eta2", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 2, .def = "0.1",
   .meaning = "gd: eta max|mu(H)| / 2"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 1e-40, .max = 1, .def = "1e-6",
   .meaning = "gd: initial displacement along V_min"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = mf_starts, .def = "direction",
   .meaning = "gd: U* + delta (V + rest Z), or U* + xi with xi uniform in the ball B(delta)"},
  {.name = "pfail", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .def = "0.1",
   .meaning = "the delta of the ball anti-concentration lemma (read by catalog expressions)"},
  {.name = "rest", .type = TC_PARAM_REAL, .min = 0, .max = 100, .def = "0",
   .meaning = "gd: size of a random displacement, relative to delta"},
  {.name = "c", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 10, .def = "0.01",
   .meaning = "gd: escape when |<V, U_t - U*>| reaches c"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 1, .max = 100000, .def = "60",
   .meaning = "gd: steps K"},
  {0}};

static const tc_output_spec mf_outputs[] = {
  {.name = "grad_norm", .meaning = "||grad f(U*)||_F"},
  {.name = "grad_err", .meaning = "rounding estimate of grad_norm"},
  {.name = "hess_lmin", .meaning = "lambda_min(Hessian at U*), measured"},
  {.name = "hess_lmax", .meaning = "lambda_max(Hessian at U*), measured"},
  {.name = "lmin_exact", .meaning = "lambda_min from the closed-form spectrum"},
  {.name = "spec_dev", .meaning = "max |measured - closed-form| over the sorted spectra"},
  {.name = "hess_err", .meaning = "rounding estimate of the spectrum"},
  {.name = "lmax_M", .meaning = "lambda_max(M) (asym: sigma_max(A))"},
  {.name = "lam_r", .meaning = "lambda_r(M)"},
  {.name = "gap_abs", .meaning = "lambda_r - lambda_{r+1} (0 if r = d)"},
  {.name = "hvp_fd", .meaning = "relative residual of H V against the gradient's central difference"},
  {.name = "is_min", .meaning = "1 if U* is built from the top r eigenvectors (a global minimum)"},
  {.name = "sid", .meaning = "sum of 2^s over the eigen-indices s of U*'s columns"},
  {.name = "grad_fd", .meaning = "relative residual of the gradient against f's Richardson difference"},
  {.name = "t", .meaning = "gd: iterate"},
  {.name = "y1", .meaning = "gd: |<V, U_t - U*>|"},
  {.name = "y10", .meaning = "gd: |<V, U_0 - U*>|"},
  {.name = "growth", .meaning = "gd: |1 - eta lambda_min(H)|"},
  {.name = "rem", .meaning = "gd: propagated bound of the non-quadratic part"},
  {.name = "y_err", .meaning = "gd: rounding estimate of y1"},
  {.name = "wnorm", .meaning = "gd: ||U_t - U*||_F"},
  {.name = "eta", .meaning = "gd: step size"},
  {.name = "t_esc", .meaning = "gd: first t with y1 >= c (K + 1 if none)"},
  {.name = "t_esc_pred", .meaning = "gd: ceil(ln(c/y10)/ln(growth))"},
  {.name = "c", .meaning = "gd: escape size"},
  {.name = "d", .meaning = "rows of U"},
  {.name = "r", .meaning = "columns of U"},
  {0}};

const tc_check tc_check_saddle_mf = {
  .name = "saddle-mf",
  .summary = "matrix factorisation ||UU^T - M||_F^2 (and ||UV^T - A||_F^2) at eigenvector critical points: Hessian spectrum vs closed form, strictness, GD escape",
  .params = mf_params,
  .outputs = mf_outputs,
  .validate = mf_validate,
  .measure_d = saddle_mf_measure_d,
  .measure_mpfr = saddle_mf_measure_mpfr,
};
