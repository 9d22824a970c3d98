/* pl-gd — gradient descent with step 1/L on L-smooth, mu-PL functions.
 *
 * Lecture 002 (Note 5-1), Theorem 2: for f with an L-Lipschitz gradient,
 * a non-empty solution set and the PL condition 2 mu (f(x) - f*) <=
 * ||grad f(x)||^2, GD x_{k+1} = x_k - (1/L) grad f(x_k) satisfies
 *     f(x_k) - f* <= (1 - mu/L)^k (f(x_0) - f*).
 *
 * One instance is one GD run of `iterations` steps on a function of one
 * of four families, each chosen for a hypothesis it stresses:
 *   quadratic           1/2 (x-c)^T A (x-c), A = Q diag(lambda) Q^T, spectrum
 *                       spanning [1/kappa, 1] (strongly convex, PL = SC);
 *   singular-quadratic  the same with zeros in the spectrum: PL with
 *                       mu = smallest positive eigenvalue, not strongly
 *                       convex, minimisers c + null(A) not unique;
 *   lstsq-rankdef       1/2 ||M x - y||^2, M (d+2) x d of deficient rank and
 *                       y outside range(M), so f* > 0;
 *   nonconvex-pl        sum_j a_j (x_j^2 + 3 sin^2 x_j) (Karimi, Nutini,
 *                       Schmidt 2016): PL but not convex.
 * mu and L are measured from the instance (eigenvalues of the Hessian, or
 * the grid-and-refine search below for the nonconvex family), never taken
 * from the construction.  The module puts one row per iterate k = 1..K;
 * the catalog compares `gap` with `(1 - mu/L)^k * gap0`.
 *
 * Parameters: family, d (integer >= 1; >= 2 for the singular families),
 * kappa (>= 1: spread of the spectrum / of the a_j), iterations (K),
 * start (optional: random (default) or slow, x_0 - x* along the
 * eigenvector of mu, or for nonconvex-pl at the worst point of the PL
 * ratio in the coordinate with the smallest a_j).
 *
 * Rows: k, gap = f(x_k) - f*, gap0 = f(x_0) - f*, mu, L, ratio =
 * gap_k / gap_{k-1} (the per-step contraction, with ratio_err; see
 * pl_gd_row), and gap_err, an
 * a-priori estimate (an upper bound up to modest constants) of the
 * rounding error of `gap` in the backend that computed it.  It matters
 * only when the bound itself is at rounding level: at kappa = 1,
 * (1 - mu/L)^k is 0 (or O(u)) for k >= 1 while the computed gap is
 * rounding noise, and late rows of small-kappa runs reach the gap's
 * rounding floor.  A catalog that writes rhs = (1 - mu/L)^k * gap0 + gap_err
 * is immune to rounding; elsewhere gap_err is < 1e-6 of the bound in
 * double (tests/tpl_gd.c). */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { PL_QUADRATIC, PL_SINGULAR, PL_LSTSQ, PL_NONCONVEX };
static const char *const pl_gd_families[] = {"quadratic", "singular-quadratic", "lstsq-rankdef",
                                             "nonconvex-pl", NULL};
enum { PL_START_RANDOM, PL_START_SLOW };
static const char *const pl_gd_starts[] = {"random", "slow", NULL};


/* Limits: kappa <= 1e10 keeps every positive eigenvalue far above the
 * zero threshold 64 d u L of tc_quad_mu_L (in double, d <= 1000);
 * iterations <= 1e5 bounds the record (one row per iterate). */
#define PL_GD_MAX_D 1000
#define PL_GD_MAX_KAPPA 1e10
#define PL_GD_MAX_ITER 100000

typedef struct {
  int family;
  size_t d;
  double kappa;
  long iterations;
  int start;
} pl_gd_config;

static int pl_gd_config_read(pl_gd_config *c, const tc_point *p, char *err, size_t errlen)
{
  const char *family = tc_point_text(p, "family");
  c->family = tc_param_lookup(family, pl_gd_families);
  if (c->family < 0) {
    snprintf(err, errlen, "family must be quadratic, singular-quadratic, lstsq-rankdef or "
             "nonconvex-pl, got %s", family ? family : "(missing)");
    return TC_EDOM;
  }
  double v;
  int status;
  if ((status = tc_param_number(&v, p, "d", 1, PL_GD_MAX_D, 1, err, errlen)))
    return status;
  c->d = (size_t)v;
  if ((c->family == PL_SINGULAR || c->family == PL_LSTSQ) && c->d < 2) {
    snprintf(err, errlen, "d must be >= 2 for %s (it needs a zero and a positive "
             "eigenvalue), got %zu", family, c->d);
    return TC_EDOM;
  }
  if ((status = tc_param_number(&c->kappa, p, "kappa", 1, PL_GD_MAX_KAPPA, 0, err, errlen)) ||
      (status = tc_param_number(&v, p, "iterations", 1, PL_GD_MAX_ITER, 1, err, errlen)))
    return status;
  c->iterations = (long)v;
  const char *start = tc_point_text(p, "start");
  c->start = start ? tc_param_lookup(start, pl_gd_starts) : PL_START_RANDOM;
  if (c->start < 0) {
    snprintf(err, errlen, "start must be random or slow, got %s", start);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The one constraint between parameters (each alone is checked by the
 * engine from pl_gd_params). */
static int pl_gd_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  int family = tc_param_lookup(tc_point_text(p, "family"), pl_gd_families);
  double d = tc_point_get_or(p, "d", 1);
  if ((family == PL_SINGULAR || family == PL_LSTSQ) && d < 2) {
    *param = "d";
    snprintf(err, errlen, "d must be >= 2 for %s (it needs a zero and a positive eigenvalue), "
             "got %.0f", pl_gd_families[family], d);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* ---- the nonconvex family's PL constant --------------------------------
 *
 * h(x) = x^2 + 3 sin^2 x has h(0) = 0 its only minimum, h' = 2x + 3 sin 2x
 * and h'' = 2 + 6 cos 2x in [-4, 8], so a_j h has an 8 a_j-Lipschitz
 * derivative and f = sum_j a_j h(x_j) has L = 8 max_j a_j (attained at 0).
 * The PL constant of h is mu_1 = inf_{x != 0} R(x), R = h'^2 / (2h), and by
 * the mediant inequality
 *   ||grad f||^2 / (2f) = sum a_j^2 h'_j^2 / (2 sum a_j h_j) >= min_j a_j R(x_j)
 * with equality when only the coordinate of the smallest a_j is nonzero,
 * so mu = mu_1 min_j a_j.  R is even, so x > 0 suffices:
 *  - x -> 0: R -> 8; for 0 < x <= 0.03, R >= 8 (1 - x^2/2)^2 >= 7.99
 *    (from sin t >= t - t^3/6 and sin^2 x <= x^2).
 *  - x -> inf: R -> 2, from below and above (R = 2 + 6 sin(2x)/x + ...);
 *    for x >= X = 20, R >= (2x - 3)^2 / (2x^2 + 6) >= 1.70.
 *  - (0, X]: a grid of spacing 1e-3, then a golden-section refinement in
 *    the backend's precision around every grid local minimum within a
 *    factor 2 of the grid minimum.  mu_1 = min(refined minima, 8, 2).
 * Residual risk: a dip of R narrower than the grid spacing would be
 * missed, and mu_1 would be too large (the bound too small, so a false
 * FAIL rather than a false PASS).  R is analytic with moderate
 * derivatives on [1e-3, 20] (its minima are 2e0 to 3e0 apart), so such a
 * dip cannot exist; the values found are mu_1 = 0.175531... at
 * x = 2.2024..., then local minima 0.997, 1.335, ... rising to 2. */
#define PL_NCV_X 20.0
#define PL_NCV_STEP 1e-3
#define PL_NCV_MAX_BRACKETS 16

typedef struct {
  double lo, hi;
} pl_bracket;

static double pl_ncv_grid_ratio(double x)
{
  double g = 2 * x + 3 * sin(2 * x), s = sin(x);
  return g * g / (2 * (x * x + 3 * s * s));
}

/* Grid search: returns the number of brackets [x_{i-1}, x_{i+1}] around
 * grid local minima with R <= 2 * (grid minimum); TC_EFAILED if the
 * a-priori tail bound does not exceed the grid minimum (cannot happen for
 * this h, checked so a change of h cannot silently break the argument). */
static int pl_ncv_brackets(pl_bracket *out, size_t *nout)
{
  size_t n = (size_t)(PL_NCV_X / PL_NCV_STEP);
  double gmin = INFINITY;
  for (size_t i = 1; i <= n; i++)
    gmin = fmin(gmin, pl_ncv_grid_ratio((double)i * PL_NCV_STEP));
  double tail = (2 * PL_NCV_X - 3) * (2 * PL_NCV_X - 3) / (2 * PL_NCV_X * PL_NCV_X + 6);
  if (!(tail > gmin) || !(7.99 > gmin))
    return TC_EFAILED;
  *nout = 0;
  double prev = pl_ncv_grid_ratio(PL_NCV_STEP), cur = pl_ncv_grid_ratio(2 * PL_NCV_STEP);
  for (size_t i = 2; i < n && *nout < PL_NCV_MAX_BRACKETS; i++) {
    double next = pl_ncv_grid_ratio((double)(i + 1) * PL_NCV_STEP);
    if (prev >= cur && cur <= next && cur <= 2 * gmin) {
      out[*nout].lo = (double)(i - 1) * PL_NCV_STEP;
      out[*nout].hi = (double)(i + 1) * PL_NCV_STEP;
      (*nout)++;
    }
    prev = cur;
    cur = next;
  }
  return *nout ? TC_SUCCESS : TC_EFAILED;
}

/* The worst point of the PL ratio in double, for the `slow` start: x_0 is
 * instance data, so both backends must start from the same double, not
 * from their own refinements of the minimiser. */
static double pl_ncv_argmin_start(const pl_bracket *br, size_t nb)
{
  const double g = 0.6180339887498949;
  double xbest = br[0].lo, rbest = INFINITY;
  for (size_t i = 0; i < nb; i++) {
    double a = br[i].lo, b = br[i].hi, c = b - g * (b - a), d = a + g * (b - a);
    double fc = pl_ncv_grid_ratio(c), fd = pl_ncv_grid_ratio(d);
    for (int it = 0; it < 60; it++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = pl_ncv_grid_ratio(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = pl_ncv_grid_ratio(d);
      }
    }
    double x = fc < fd ? c : d, r = fmin(fc, fd);
    if (r < rbest) {
      rbest = r;
      xbest = x;
    }
  }
  return xbest;
}

#define TC_TEMPLATE "pl_gd_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec pl_gd_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = pl_gd_families, .required = 1,
   .meaning = "the function family"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = PL_GD_MAX_D, .required = 1,
   .meaning = "the dimension"},
  {.name = "kappa", .type = TC_PARAM_REAL, .min = 1, .max = PL_GD_MAX_KAPPA, .required = 1,
   .meaning = "the spread of the spectrum"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 1, .max = PL_GD_MAX_ITER, .required = 1,
   .meaning = "the number of GD steps K"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = pl_gd_starts, .def = "random",
   .meaning = "x_0: random, or slow (along the slowest direction)"},
  {0}};

static const tc_output_spec pl_gd_outputs[] = {
  {.name = "k", .meaning = "the iterate"},
  {.name = "gap", .meaning = "f(x_k) - f*"},
  {.name = "gap0", .meaning = "f(x_0) - f*"},
  {.name = "mu", .meaning = "the PL constant, measured"},
  {.name = "L", .meaning = "the gradient's Lipschitz constant, measured"},
  {.name = "gap_err", .meaning = "a-priori rounding-error estimate of gap"},
  {.name = "ratio", .meaning = "the per-step contraction gap_k / gap_{k-1}"},
  {.name = "ratio_err", .meaning = "first-order rounding estimate of ratio (2 when gap_{k-1} is at its floor)"},
  {0}};

const tc_check tc_check_pl_gd = {
  .name = "pl-gd",
  .summary = "gradient descent with step 1/L on L-smooth mu-PL functions: gap_k = f(x_k) - f* per iterate",
  .params = pl_gd_params,
  .outputs = pl_gd_outputs,
  .validate = pl_gd_validate,
  .measure_d = pl_gd_measure_d,
  .measure_mpfr = pl_gd_measure_mpfr,
};
