/* gflow — gradient flow d theta/dt = -grad R(theta), lecture 004
 * Theorems 1-3, on objectives whose flow is known in closed form or
 * integrated with a known error.
 *
 *   Theorem 1 (nonconvex): min_{s in [0,t]} ||grad R(theta_s)|| <=
 *     sqrt((R(theta_0) - inf R) / t);
 *   Theorem 2 (convex, minimiser theta*): R(theta_t) - R(theta*) <=
 *     ||theta* - theta_0||^2 / (2t);
 *   Theorem 3 "under the PL condition" with 004's definition (no square)
 *     ||grad R(theta)|| >= C (R(theta) - inf R):
 *     R(theta_t) - inf R <= e^{-Ct} (R(theta_0) - inf R).
 *
 * Families (one instance = one flow):
 *   quadratic           R = 1/2 sum_j a_j e_j^2 in eigen-coordinates
 *                       (the flow is rotation-equivariant, so a diagonal
 *                       A loses nothing), spectrum [1/kappa, 1];
 *   singular-quadratic  the same with zeros in a (minimiser set of
 *                       dimension >= 1; nearest minimiser = e's range part);
 *   quartic-exp         1-D, R = theta^4 for |theta| <= 1 and
 *                       e^{4(|theta| - 1)} beyond (C^1, inf 0): it meets
 *                       004's unsquared PL with C = 4 exactly, the
 *                       squared one with no positive constant;
 *   nonconvex-pl        1-D, R = x^2 + 3 sin^2 x (PL, not convex).
 * Closed forms: e_j(t) = e^{-a_j t} e_j(0); for quartic-exp from
 * theta_0 > 1, theta_t = 1 - log(e^{-4(theta_0-1)} + 16 t)/4 until
 * t_1 = (1 - e^{-4(theta_0-1)})/16, then theta_t = (theta_1^{-2} + 8
 * (t - t_1))^{-1/2} (theta' = -4 theta^3).  nonconvex-pl is integrated by
 * classical RK4 with step-doubling error control (tc_ode_rk4_adapt, in
 * the backend's precision) at two tolerances, GF_ATOL + GF_TOL |x| per
 * step and 32 times that; |x_fine - x_coarse| plus the fine run's summed
 * local estimates estimates the global error of x_fine, which is
 * reported; rounding (4 u |x| per step) is added.  In double the flow
 * is also integrated by GSL's adaptive rk8pd (gflow_ncv_rk8pd) and the
 * reported error is at least the distance between the two integrators.  Along these flows
 * ||grad R|| is nonincreasing for the convex families and quartic-exp,
 * so the minimum over [0, t] is its value at t; for nonconvex-pl it is
 * the minimum over every RK4 node, which is >= the true minimum (Theorem 1
 * is then checked on a larger lhs: a PASS stands, a FAIL would be
 * re-examined) .
 *
 * The constants, computed from the function, never assumed:
 *   C_unsq = inf ||grad R|| / (R - inf R)  (004's PL, as written): 0 for
 *     the quadratics and x^2 + 3 sin^2 x (||grad R|| grows linearly, R
 *     quadratically), 4 for quartic-exp (4/|theta| >= 4 on |theta| <= 1,
 *     exactly 4 beyond);
 *   C_sq = inf ||grad R||^2 / (R - inf R)  (the squared, standard form,
 *     = 2 mu): 2 min_{a_j > 0} a_j for the quadratics, 0 for quartic-exp
 *     (16 theta^2 -> 0), 2 mu_1 for x^2 + 3 sin^2 x, with mu_1 =
 *     min h'^2/(2h) = 0.1755... found as in pl_gd.c (grid, then golden
 *     section in double).
 *
 * Parameters: family, d (1 for the 1-D families), kappa, horizon T
 * (<= 300: e^{-2T} stays a normal double), times (rows, t = T i / times),
 * start (random or slow: along the eigenvector of the smallest positive
 * a_j, or the worst point of the PL ratio for nonconvex-pl), theta0
 * (quartic-exp's start, default 1).
 * Rows: t, gap = R(theta_t) - inf R, gap0, gradmin, dist0 (distance from
 * theta_0 to the nearest minimiser), C_unsq, C_sq, gap_err, grad_err
 * (integration + rounding estimates of gap and gradmin). */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "tc_ode.h"
#include "params.h"
#include "quadratic_source.h"

enum { GF_QUADRATIC, GF_SINGULAR, GF_QUARTIC_EXP, GF_NONCONVEX };
static const char *const gflow_families[] = {"quadratic", "singular-quadratic", "quartic-exp",
                                             "nonconvex-pl", NULL};
enum { GF_START_RANDOM, GF_START_SLOW };
static const char *const gflow_starts[] = {"random", "slow", NULL};

#define GF_MAX_D 100
#define GF_MAX_T 300.0
#define GF_MAX_TIMES 10000
#define GF_RK4_H 1e-3 /* the adaptive RK4's first step */
#define GF_TOL 1e-12  /* its local tolerance per step, GF_ATOL + GF_TOL |x| (the coarse run: 32 times) */
#define GF_ATOL 1e-15
#define GF_MAX_STEPS 10000000

typedef struct {
  int family, start;
  size_t d;
  double kappa, T, theta0;
  long times;
} gflow_config;

static int gflow_config_read(gflow_config *c, const tc_point *p, char *err, size_t errlen)
{
  c->family = tc_param_lookup(tc_point_text(p, "family"), gflow_families);
  if (c->family < 0) {
    snprintf(err, errlen, "family must be quadratic, singular-quadratic, quartic-exp or nonconvex-pl");
    return TC_EDOM;
  }
  double v;
  int status;
  if ((status = tc_param_number(&v, p, "d", 1, GF_MAX_D, 1, err, errlen)))
    return status;
  c->d = (size_t)v;
  if ((c->family == GF_SINGULAR && c->d < 2) || (c->family >= GF_QUARTIC_EXP && c->d != 1)) {
    snprintf(err, errlen, "d must be >= 2 for singular-quadratic and 1 for the 1-D families, got %zu",
             c->d);
    return TC_EDOM;
  }
  if ((status = tc_param_number(&c->kappa, p, "kappa", 1, 1e10, 0, err, errlen)) ||
      (status = tc_param_number(&c->T, p, "T", 0, GF_MAX_T, 0, err, errlen)) ||
      (status = tc_param_number(&v, p, "times", 1, GF_MAX_TIMES, 1, err, errlen)))
    return status;
  if (!(c->T > 0)) {
    snprintf(err, errlen, "T must be > 0");
    return TC_EDOM;
  }
  c->times = (long)v;
  const char *start = tc_point_text(p, "start");
  c->start = start ? tc_param_lookup(start, gflow_starts) : GF_START_RANDOM;
  if (c->start < 0) {
    snprintf(err, errlen, "start must be random or slow, got %s", start);
    return TC_EDOM;
  }
  c->theta0 = 1.0;
  if (tc_point_text(p, "theta0") &&
      (status = tc_param_number(&c->theta0, p, "theta0", 0, 20, 0, err, errlen)))
    return status;
  return TC_SUCCESS;
}

static int gflow_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  int family = tc_param_lookup(tc_point_text(p, "family"), gflow_families);
  double d = tc_point_get_or(p, "d", 1);
  if ((family == GF_SINGULAR && d < 2) || (family >= GF_QUARTIC_EXP && d != 1)) {
    *param = "d";
    snprintf(err, errlen, "d must be >= 2 for singular-quadratic and 1 for the 1-D families");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* mu_1 = min_{x != 0} h'(x)^2 / (2 h(x)), h = x^2 + 3 sin^2 x, and its
 * argmin: the grid-and-golden search of pl_gd.c (whose comment gives the
 * tail bounds R >= 7.99 on (0, 0.03] and >= 1.70 beyond 20 that make the
 * grid on (0, 20] sufficient), in double. */
static double gflow_ncv_ratio(double x)
{
  double g = 2 * x + 3 * sin(2 * x), s = sin(x);
  return g * g / (2 * (x * x + 3 * s * s));
}

static double gflow_ncv_mu1(double *xmin)
{
  double best = 2.0, xb = INFINITY, prev = gflow_ncv_ratio(1e-3), cur = gflow_ncv_ratio(2e-3);
  for (long i = 2; i < 20000; i++) {
    double next = gflow_ncv_ratio((double)(i + 1) * 1e-3);
    if (prev >= cur && cur <= next) {
      double a = (double)(i - 1) * 1e-3, b = (double)(i + 1) * 1e-3;
      for (int it = 0; it < 80; it++) { /* golden section on [a, b] */
        double c = b - 0.6180339887498949 * (b - a), dd = a + 0.6180339887498949 * (b - a);
        if (gflow_ncv_ratio(c) < gflow_ncv_ratio(dd))
          b = dd;
        else
          a = c;
      }
      double r = gflow_ncv_ratio(0.5 * (a + b));
      if (r < best) {
        best = r;
        xb = 0.5 * (a + b);
      }
    }
    prev = cur;
    cur = next;
  }
  *xmin = xb;
  return best;
}

/* The double cross-check of the nonconvex-pl flow: GSL odeiv2's rk8pd
 * (tc_ode_evolve_d, local error <= 1e-15 + 1e-15 |x| per step), restarted
 * at each row from its own previous value; xs[i] = x(dt (i+1)).  The
 * double backend reports max(Richardson estimate, |x_RK4 - x_rk8pd|) as
 * the error of x, so the two independent integrators must agree within
 * it. */
static int gflow_ncv_rhs_d(tc_vec_d *dxdt, const tc_vec_d *x, void *params)
{
  (void)params;
  double v = x->data[0];
  dxdt->data[0] = -(2 * v + 3 * sin(2 * v));
  return TC_SUCCESS;
}

static int gflow_ncv_rk8pd(double x0, double dt, long times, double *xs)
{
  tc_vec_d *x = tc_vec_alloc_d(1, 53);
  if (x == NULL)
    return TC_ENOMEM;
  x->data[0] = x0;
  int status = TC_SUCCESS;
  for (long i = 0; i < times && status == TC_SUCCESS; i++) {
    status = tc_ode_evolve_d(x, dt, gflow_ncv_rhs_d, NULL, 1e-15, 1e-15);
    xs[i] = x->data[0];
  }
  tc_vec_free_d(x);
  return status;
}

#define TC_TEMPLATE "gflow_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec gflow_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = gflow_families, .required = 1,
   .meaning = "the objective"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = GF_MAX_D, .required = 1,
   .meaning = "the dimension (1 for quartic-exp and nonconvex-pl)"},
  {.name = "kappa", .type = TC_PARAM_REAL, .min = 1, .max = 1e10, .required = 1,
   .meaning = "the spread of the quadratic spectrum"},
  {.name = "T", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = GF_MAX_T, .required = 1,
   .meaning = "the horizon"},
  {.name = "times", .type = TC_PARAM_INTEGER, .min = 1, .max = GF_MAX_TIMES, .required = 1,
   .meaning = "rows, at t = T i / times"},
  {.name = "start", .type = TC_PARAM_SYMBOL, .values = gflow_starts, .def = "random",
   .meaning = "theta_0: random, or slow"},
  {.name = "theta0", .type = TC_PARAM_REAL, .min = 0, .max = 20,
   .meaning = "quartic-exp's start (default 1)"},
  {0}};

static const tc_output_spec gflow_outputs[] = {
  {.name = "t", .meaning = "the time"},
  {.name = "gap", .meaning = "R(theta_t) - inf R"},
  {.name = "gap0", .meaning = "R(theta_0) - inf R"},
  {.name = "gradmin", .meaning = "min over [0, t] of ||grad R(theta_s)||"},
  {.name = "dist0", .meaning = "distance from theta_0 to the nearest minimiser"},
  {.name = "C_unsq", .meaning = "inf ||grad R|| / (R - inf R), 004's PL as written"},
  {.name = "C_sq", .meaning = "inf ||grad R||^2 / (R - inf R), the squared PL (2 mu)"},
  {.name = "gap_err", .meaning = "integration + rounding error estimate of gap"},
  {.name = "grad_err", .meaning = "integration + rounding error estimate of gradmin"},
  {0}};

const tc_check tc_check_gflow = {
  .name = "gflow",
  .summary = "gradient flow on quadratics, a quartic/exponential 1-D function and x^2 + 3 sin^2 x: "
             "gap, min gradient norm and the PL constants, with an integration error estimate",
  .params = gflow_params,
  .outputs = gflow_outputs,
  .validate = gflow_validate,
  .measure_d = gflow_measure_d,
  .measure_mpfr = gflow_measure_mpfr,
};
