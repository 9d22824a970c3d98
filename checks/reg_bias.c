/* reg-bias — lecture 003, "opinions", l2-regularisation as an inductive
 * bias (row 003-52): weight decay on the factors of a product is a
 * different regulariser on the product,
 *     beta = theta_1 (.) theta_2        ->  ||beta||_1,
 *     B = W_L ... W_1 (deep linear)      ->  the Schatten 2/L (quasi-)norm.
 * With constants (the notes give none): for every factorisation,
 *     (1/2) sum_l ||W_l||_F^2  >=  (L/2) sum_i sigma_i(B)^{2/L},
 * with equality at the balanced factorisation W_l = R_l diag(sigma^{1/L})
 * R_{l-1}^T (AM-GM on the singular values; for L = 2 and diagonal
 * factors it is min (1/2)(||theta_1||^2 + ||theta_2||^2) = ||beta||_1).
 *
 * Instance: B = U diag(sigma) V^T, U and V Haar orthogonal (family full)
 * or U = diag(+-1), V = I (family diagonal: the factors stay diagonal,
 * the Hadamard product of vectors).  sigma: p values in [1/cond, 1]
 * (spectrum graded), all 1 (flat) or with the lower half exactly 0
 * (lowrank).  The balanced factors are moved along the product's
 * invariance W_l -> G_l W_l G_{l-1}^{-1} (G_0 = G_L = I) by random
 * invertible G_l = Q_l D_l P_l^T with D_l = diag(exp(gauge z)), z
 * Gaussian (Q_l, P_l Haar; identity for the diagonal family), so
 * gauge = 0 is the balanced point and larger gauges are farther away.
 *
 * Everything the rows compare is computed from the factors themselves:
 * reg = (1/2) sum_l ||W_l||_F^2, the product B' = W_L ... W_1, and its
 * singular values from the symmetric [[0, B'], [B'^T, 0]] (eigenvalues
 * +-sigma_i, accurate to a few ulps of sigma_max, which B'^T B' would
 * square).  sch = sum_i sigma_i^{2/L}, singular values below the product's
 * rounding delta counted as 0; err bounds what delta and the rounding of
 * reg can move (L/2) sch - reg by. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { RB_FULL, RB_DIAGONAL };
static const char *const rb_families[] = {"full", "diagonal", NULL};
enum { RB_GRADED, RB_FLAT, RB_LOWRANK };
static const char *const rb_spectra[] = {"graded", "flat", "lowrank", NULL};

#define RB_MAX_P 48
#define RB_MAX_L 12

typedef struct {
  int family, spectrum;
  size_t p, L;
  double cond, gauge;
} rb_config;

static int rb_config_read(rb_config *c, const tc_point *pt, char *err, size_t errlen)
{
  c->family = tc_param_lookup(tc_point_text(pt, "family"), rb_families);
  const char *sp = tc_point_text(pt, "spectrum");
  c->spectrum = sp ? tc_param_lookup(sp, rb_spectra) : RB_GRADED;
  if (c->family < 0 || c->spectrum < 0) {
    snprintf(err, errlen, "family must be full or diagonal, spectrum graded, flat or lowrank");
    return TC_EDOM;
  }
  double p, L;
  int status;
  if ((status = tc_param_number(&p, pt, "p", 1, RB_MAX_P, 1, err, errlen)) ||
      (status = tc_param_number(&L, pt, "depth", 2, RB_MAX_L, 1, err, errlen)) ||
      (status = tc_param_number(&c->cond, pt, "cond", 1, 1e12, 0, err, errlen)) ||
      (status = tc_param_number(&c->gauge, pt, "gauge", 0, 3, 0, err, errlen)))
    return status;
  c->p = (size_t)p;
  c->L = (size_t)L;
  return TC_SUCCESS;
}

/* sigma, descending, drawn in double so both backends see the same B. */
static void rb_spectrum(double *sigma, const rb_config *c, gsl_rng *rng)
{
  size_t p = c->p, zeros = c->spectrum == RB_LOWRANK ? p / 2 : 0;
  double lam[RB_MAX_P];
  if (c->spectrum == RB_FLAT) {
    for (size_t i = 0; i < p; i++)
      lam[i] = 1.0;
  } else {
    tc_quad_spectrum(lam, p, zeros, c->cond, rng);
  }
  for (size_t i = 0; i < p; i++)
    sigma[i] = lam[p - 1 - i];
}

#define TC_TEMPLATE "reg_bias_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec rb_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = rb_families, .required = 1,
   .meaning = "full (deep linear net) or diagonal (Hadamard product of vectors)"},
  {.name = "p", .type = TC_PARAM_INTEGER, .min = 1, .max = RB_MAX_P, .required = 1,
   .meaning = "B is p x p (diagonal: beta in R^p)"},
  {.name = "depth", .type = TC_PARAM_INTEGER, .min = 2, .max = RB_MAX_L, .required = 1,
   .meaning = "the number of factors L"},
  {.name = "spectrum", .type = TC_PARAM_SYMBOL, .values = rb_spectra, .def = "graded",
   .meaning = "singular values in [1/cond, 1], all 1, or the lower half 0"},
  {.name = "cond", .type = TC_PARAM_REAL, .min = 1, .max = 1e12, .def = "100",
   .meaning = "sigma_max / the smallest positive sigma"},
  {.name = "gauge", .type = TC_PARAM_REAL, .min = 0, .max = 3, .def = "0.5",
   .meaning = "log-scale of the invertible G_l moving the factors off the balanced point"},
  {0}};

static const tc_output_spec rb_outputs[] = {
  {.name = "depth", .meaning = "L"},
  {.name = "reg", .meaning = "(1/2) sum_l ||W_l||_F^2 of the moved factorisation"},
  {.name = "reg_bal", .meaning = "the same at the balanced factorisation"},
  {.name = "sch", .meaning = "sum_i sigma_i(W_L ... W_1)^{2/L}: the Schatten 2/L quasi-norm to the power 2/L"},
  {.name = "nuc", .meaning = "sum_i sigma_i (the nuclear norm; ||beta||_1 for diagonal factors)"},
  {.name = "frob", .meaning = "||B||_F"},
  {.name = "rank", .meaning = "the number of singular values above the rounding delta"},
  {.name = "err", .meaning = "rounding estimate of (L/2) sch - reg"},
  {0}};

const tc_check tc_check_reg_bias = {
  .name = "reg-bias",
  .summary = "weight decay on the factors of B = W_L ... W_1 against the Schatten 2/L quasi-norm "
             "of B (and ||beta||_1 for a Hadamard product)",
  .params = rb_params,
  .outputs = rb_outputs,
  .measure_d = rb_measure_d,
  .measure_mpfr = rb_measure_mpfr,
};
