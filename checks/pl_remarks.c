/* pl-remarks — the remarks of lecture 002 around Definition 1 and
 * Theorem 2, and the null-space remark of the over-parameterised slide,
 * as deterministic inequalities on explicit instances.
 *
 *  002-03  mu-strongly convex => PL with the same mu
 *          (2 mu_sc (f - f*) <= ||grad f||^2), and PL => "optimality gap
 *          upper bounded by a quadratic function of the stationarity gap"
 *          (f - f* <= ||grad f||^2 / (2 mu_pl); at a stationary point the
 *          gap is 0: every stationary point is a global minimum);
 *  002-06  "L-smoothness means the eigenvalues of grad^2 f are bounded
 *          above by L": the difference quotient
 *          lip = ||grad f(x) - grad f(y)|| / ||x - y|| against lam_max =
 *          sup lambda_max(grad^2 f) (the remark's reading) and against
 *          hess_norm = sup over the segment [x, y] of ||grad^2 f||_2 (the
 *          two-sided characterisation, true by the mean-value theorem);
 *  002-11  A in R^{N x d} (Gaussian, full rank): dim null(A) = d - rank.
 *
 * Families:
 *   quadratic             1/2 e^T A e, spectrum in [1/kappa, 1] (SC);
 *   singular-quadratic    the same with zero eigenvalues (PL, not SC:
 *                         mu_sc = 0, mu_pl = smallest positive eigenvalue);
 *   indefinite-quadratic  spectrum in [-kappa, 1], lambda_max = 1 (the
 *                         concave direction makes ||A|| = kappa);
 *   quartic               sum_j (x_j^2/2 - x_j^4/4) on [-radius, radius]^d:
 *                         grad^2 f = diag(1 - 3 x_j^2) <= 1, so lam_max = 1
 *                         exactly, while the gradient is not Lipschitz;
 *   nullspace             A (N x d) Gaussian; one row.
 * mu_sc, mu_pl, lam_max and hess_norm are computed from the instance
 * (eigenvalues of the computed A, or closed forms for the quartic).  For
 * the non-PL families (indefinite, quartic) gap = f(x) - f(0) and
 * mu_sc = mu_pl = 0: rows for the 002-06 claims only.
 * Points j = 0..points-1: j = 0 puts e (and the difference x - y) on the
 * eigenvector of mu_pl, j = 1 on the eigenvector of the largest |lambda|
 * (where the PL inequality, resp. lip <= ||A||, is an equality); other
 * points are Gaussian.  For the quartic x, y are uniform in the box.
 * err: an a-priori rounding estimate, 32 d u Lam ||e|| (||A e|| + mu ||e||)
 * for the inequalities in gap and gradsq, and lip_err = 32 d u Lam (or the
 * quartic's 32 u (||g(x)|| + ||g(y)||) / ||x - y||) for lip. */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { PR_QUADRATIC, PR_SINGULAR, PR_INDEFINITE, PR_QUARTIC, PR_NULLSPACE };
static const char *const pr_families[] = {"quadratic", "singular-quadratic", "indefinite-quadratic",
                                          "quartic", "nullspace", NULL};
#define PR_MAX_D 200

typedef struct {
  int family;
  size_t d, N;
  double kappa, radius;
  long points;
} pr_config;

static int pr_config_read(pr_config *c, const tc_point *p, char *err, size_t errlen)
{
  const char *family = tc_point_text(p, "family");
  c->family = tc_param_lookup(family, pr_families);
  if (c->family < 0) {
    snprintf(err, errlen, "unknown family %s", family ? family : "(missing)");
    return TC_EDOM;
  }
  double d, pts;
  int status;
  if ((status = tc_param_number(&d, p, "d", 1, PR_MAX_D, 1, err, errlen)) ||
      (status = tc_param_number(&c->kappa, p, "kappa", 1, 1e10, 0, err, errlen)) ||
      (status = tc_param_number(&pts, p, "points", 1, 10000, 1, err, errlen)))
    return status;
  c->d = (size_t)d;
  c->points = (long)pts;
  c->N = (size_t)tc_point_get_or(p, "N", 1);
  c->radius = tc_point_get_or(p, "radius", 1);
  if (c->family == PR_SINGULAR && c->d < 2) {
    snprintf(err, errlen, "d must be >= 2 for singular-quadratic");
    return TC_EDOM;
  }
  if (c->N < 1 || c->N > PR_MAX_D || !(c->radius > 0 && c->radius <= 100)) {
    snprintf(err, errlen, "N must be in [1, %d] and radius in (0, 100]", PR_MAX_D);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The indefinite spectrum, ascending: -kappa, then d - 2 values of
 * magnitude log-uniform in [1/kappa, kappa] and random sign (positive
 * ones capped at 1), then 1.  lambda_max = 1 and ||A|| = kappa by construction (the
 * module measures both). */
static void pr_indefinite_spectrum(double *lam, size_t d, double kappa, gsl_rng *rng)
{
  for (size_t i = 0; i < d; i++) {
    double m = exp(log(kappa) * (2 * gsl_rng_uniform(rng) - 1));
    lam[i] = gsl_rng_uniform(rng) < 0.5 ? -m : fmin(m, 1.0);
  }
  lam[0] = -kappa;
  if (d > 1)
    lam[d - 1] = 1.0;
  for (size_t i = 1; i < d; i++) /* insertion sort, ascending */
    for (size_t j = i; j > 0 && lam[j - 1] > lam[j]; j--) {
      double t = lam[j];
      lam[j] = lam[j - 1];
      lam[j - 1] = t;
    }
}

/* v[i] indexes: the reals of one row, in pr_outputs order after j. */
enum { PRV_GAP, PRV_GRADSQ, PRV_MUSC, PRV_MUPL, PRV_LMAX, PRV_HNORM, PRV_LIP, PRV_ERR, PRV_LIPERR, PRV_N };
static const char *const pr_names[PRV_N] = {"gap", "gradsq", "mu_sc", "mu_pl", "lam_max",
                                            "hess_norm", "lip", "err", "lip_err"};

#define TC_TEMPLATE "pl_remarks_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec pr_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = pr_families, .required = 1,
   .meaning = "the function family"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = PR_MAX_D, .required = 1,
   .meaning = "the dimension (columns of A for nullspace)"},
  {.name = "kappa", .type = TC_PARAM_REAL, .min = 1, .max = 1e10, .required = 1,
   .meaning = "the spread of the spectrum"},
  {.name = "points", .type = TC_PARAM_INTEGER, .min = 1, .max = 10000, .required = 1,
   .meaning = "the number of sampled points (rows)"},
  {.name = "N", .type = TC_PARAM_INTEGER, .min = 1, .max = PR_MAX_D, .def = "1",
   .meaning = "rows of A (nullspace)"},
  {.name = "radius", .type = TC_PARAM_REAL, .min = 1e-3, .max = 100, .def = "1",
   .meaning = "the box of the quartic's points"},
  {0}};

static const tc_output_spec pr_outputs[] = {
  {.name = "j", .meaning = "the point"},
  {.name = "gap", .meaning = "f(x) - f*"},
  {.name = "gradsq", .meaning = "||grad f(x)||^2"},
  {.name = "mu_sc", .meaning = "the strong-convexity constant lambda_min(grad^2 f), 0 if singular"},
  {.name = "mu_pl", .meaning = "the PL constant (smallest positive eigenvalue)"},
  {.name = "lam_max", .meaning = "sup_x lambda_max(grad^2 f(x))"},
  {.name = "hess_norm", .meaning = "sup over the segment [x, y] of ||grad^2 f||_2"},
  {.name = "lip", .meaning = "||grad f(x) - grad f(y)|| / ||x - y||"},
  {.name = "err", .meaning = "rounding estimate for the gap/gradsq inequalities"},
  {.name = "lip_err", .meaning = "rounding estimate for lip against hess_norm"},
  {.name = "N", .meaning = "rows of A (nullspace)"},
  {.name = "d", .meaning = "columns of A"},
  {.name = "rank", .meaning = "the measured rank of A (nullspace)"},
  {.name = "nulldim", .meaning = "d - rank = dim null(A) (nullspace)"},
  {0}};

const tc_check tc_check_pl_remarks = {
  .name = "pl-remarks",
  .summary = "lecture 002 remarks: SC => PL, gap <= ||grad f||^2/(2 mu), L-smoothness vs Hessian "
             "bounds, dim null(A)",
  .params = pr_params,
  .outputs = pr_outputs,
  .measure_d = pr_measure_d,
  .measure_mpfr = pr_measure_mpfr,
};
