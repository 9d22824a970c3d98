/* sgd-pl — SGD with a constant step on a finite sum of quadratics under
 * the PL condition.
 *
 * Lecture 002 (Note 5-1), Theorem 3, constant step: if f = (1/N) sum_i f_i
 * has an L-Lipschitz gradient, a non-empty solution set, is mu-PL, and
 * "||grad f_{i_k}(x_k)|| <= C^2 for all x_k" (as the notes write it; the
 * proof uses ||grad f_{i_k}(x_k)||^2 <= C^2), then SGD
 * x_{k+1} = x_k - s grad f_{i_k}(x_k), i_k uniform, s <= 1/(2 mu), gives
 *     E[f(x_k) - f*] <= (1 - 2 s mu)^k [f(x_0) - f*] + L C^2 s / (4 mu).
 *
 * Instances: f_i(x) = 1/2 (x - b_i)^T A (x - b_i) with one A = Q diag(a) Q^T,
 * so f(x) = 1/2 (x - c)^T A (x - c) + f*, c = mean_i b_i,
 * f* = (1/N) sum_i 1/2 (b_i - c)^T A (b_i - c), mu = lambda_min^+(A),
 * L = lambda_max(A) (both measured from the eigenvalues of A).  Families:
 *   isotropic        A = I (kappa is not used);
 *   ill-conditioned  A diagonal, spectrum spanning [1/kappa, 1];
 *   singular         zeros in the spectrum and a random Q (PL, not SC);
 *   rotated          spectrum [1/kappa, 1], random Q (A not diagonal).
 * In eigen-coordinates (tilde: Q^T) the b_i - c have mean 0 and are scaled
 * so that each coordinate has mean square sigma^2 over i (N >= 2).
 *
 * One instance is ONE SGD trajectory; the engine averages instances at a
 * parameter point.  So the problem data (A, b_i, x_0) depend only on the
 * parameter point: they are drawn from an RNG seeded by a hash of the
 * point's data-defining parameters (sgd_pl_data_seed), while the
 * indices i_k are drawn from the instance's seed.
 *
 * Diminishing step (schedule = diminishing, the theorem's first bullet):
 * s_k = step (2k+1) / (2 mu (k+1)^2), k = 0, 1, ... (step = 1 is the
 * theorem's), claimed E[f(x_k) - f*] <= L C^2 / (2 mu^2 k).  s_0 a_j =
 * step a_j/(2 mu) can exceed 2, so the invariant box below does not
 * apply; instead the box is propagated step by step,
 *     R_j(k+1) = |1 - s_k a_j| R_j(k) + s_k a_j D_j,
 * which contains every possible x_{k+1} if R(k) contains x_k, and G is the
 * largest corner gradient over the boxes R(0..K-1): still the smallest
 * constant valid on the boxes, a valid C for the theorem up to the
 * horizon K (the bound it gives at k < K is then, if anything, larger).
 *
 * Step: s = step * min(1/(2 mu), 0.999 * 2/L), step in (0, 1].  The
 * theorem only asks s <= 1/(2 mu); s < 2/L is where the hypothesis can
 * hold at all: for s > 2/L the iterates diverge along the top
 * eigenvector and no C bounds the gradients.
 *
 * The invariant box (why C is known a priori).  With e = Q^T (x - c) and
 * d_i = Q^T (b_i - c), one step in coordinate j is
 *     e'_j = (1 - s a_j) e_j + s a_j d_{i,j}.
 * Let D_j = max_i |d_{i,j}| and, for 0 < s a_j < 2,
 *     R_j = max(|e_{0,j}|, s a_j D_j / (1 - |1 - s a_j|)).
 * If |e_j| <= R_j then |e'_j| <= |1 - s a_j| R_j + s a_j D_j <= R_j, because
 * s a_j D_j <= (1 - |1 - s a_j|) R_j by the choice of R_j; by induction
 * every iterate stays in the box |e_j| <= R_j (for a_j = 0, e_j never
 * moves: R_j = |e_{0,j}|).  grad f_i(x) = A (x - b_i) has coordinates
 * a_j (e_j - d_{i,j}), so over the box
 *     G = sup ||grad f_i|| = max_i sqrt(sum_j a_j^2 (R_j + |d_{i,j}|)^2),
 * attained at the corner e_j = -sign(d_{i,j}) R_j (a convex function's
 * maximum over a box is at a vertex).  Hence the hypothesis holds with
 *     C_stated    = sqrt(G): the smallest C with ||grad f_i|| <= C^2;
 *     C_corrected = G:       the smallest C with ||grad f_i||^2 <= C^2,
 * smallest over the box, which contains every possible iterate (so these
 * C are valid for the theorem; a violation with them is a counterexample).
 *
 * The exact expectation.  With p_j = mean_i d_{i,j} (0 up to rounding) and
 * q_j = mean_i d_{i,j}^2, and i_k independent of e_k,
 *     E e'_j   = (1 - s a_j) E e_j + s a_j p_j,
 *     E e'_j^2 = (1 - s a_j)^2 E e_j^2 + 2 (1 - s a_j) s a_j p_j E e_j + s^2 a_j^2 q_j,
 * and E[f(x_k) - f*] = 1/2 sum_j a_j E e_{k,j}^2 (x_0 is fixed), which is
 * put as gap_exact: the catalog's reference, and itself a deterministic
 * witness (its limit for A = I is s sum_j q_j / (2 (2 - s))).
 *
 * Parameters: family, d, N, sigma (>= 0), kappa, step, iterations (K),
 * checkpoints (number of rows, at geometrically spaced k ending at K),
 * start (optional: RMS per eigen-coordinate of x_0 - c; default sigma, or
 * 1 if sigma = 0), direction (optional: random (default), or slow: x_0 - c
 * along the eigenvector of mu).
 * Rows: k, gap = f(x_k) - f* of this trajectory (1/2 e^T A e, no
 * cancellation), gap0, mu, L, s, C_stated, C_corrected, gap_exact, and
 * grad_max = max_{j < k} ||grad f_{i_j}(x_j)|| observed on this
 * trajectory (<= G by the box argument; the observed counterpart of C),
 * and for the proof's one-step inequality gap_exact_prev = E[f(x_{k-1}) -
 * f*] (exact) and s_prev = s_{k-1}.  For the diminishing schedule the row
 * s holds s_{k-1} too. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "quadratic_source.h"

enum { SGD_ISOTROPIC, SGD_ILLCOND, SGD_SINGULAR, SGD_ROTATED };
static const char *const sgd_pl_families[] = {"isotropic", "ill-conditioned", "singular", "rotated",
                                              NULL};
enum { SGD_DIR_RANDOM, SGD_DIR_SLOW };
enum { SGD_SCHED_CONSTANT, SGD_SCHED_DIMINISHING };
static const char *const sgd_pl_schedules[] = {"constant", "diminishing", NULL};
static const char *const sgd_pl_directions[] = {"random", "slow", NULL};

/* The parameters that define the problem data (A, b_i, x_0); the others
 * (step, iterations, checkpoints) only change what is run on it. */
static const char *const sgd_pl_data_params[] = {"family", "d", "N", "sigma", "kappa", "start",
                                                 "direction", NULL};

#define SGD_MAX_D 200
#define SGD_MAX_N 100000
#define SGD_MAX_KAPPA 1e10
#define SGD_MAX_ITER 10000000
#define SGD_MAX_CHECKPOINTS 1000

typedef struct {
  int family, direction, schedule;
  size_t d, N;
  double sigma, kappa, step, start;
  long iterations, checkpoints;
} sgd_pl_config;

static int sgd_pl_config_read(sgd_pl_config *c, const tc_point *p, char *err, size_t errlen)
{
  const char *family = tc_point_text(p, "family");
  c->family = tc_param_lookup(family, sgd_pl_families);
  if (c->family < 0) {
    snprintf(err, errlen, "family must be isotropic, ill-conditioned, singular or rotated, got %s",
             family ? family : "(missing)");
    return TC_EDOM;
  }
  double v;
  int status;
  if ((status = tc_param_number(&v, p, "d", 1, SGD_MAX_D, 1, err, errlen)))
    return status;
  c->d = (size_t)v;
  if (c->family == SGD_SINGULAR && c->d < 2) {
    snprintf(err, errlen, "d must be >= 2 for singular (it needs a zero and a positive "
             "eigenvalue), got %zu", c->d);
    return TC_EDOM;
  }
  if ((status = tc_param_number(&v, p, "N", 1, SGD_MAX_N, 1, err, errlen)))
    return status;
  c->N = (size_t)v;
  if ((double)c->N * (double)c->d > 1e6) {
    snprintf(err, errlen, "N * d must be <= 1e6 (the b_i are stored), got N=%zu, d=%zu", c->N, c->d);
    return TC_EDOM;
  }
  if ((status = tc_param_number(&c->sigma, p, "sigma", 0, 1e100, 0, err, errlen)) ||
      (status = tc_param_number(&c->kappa, p, "kappa", 1, SGD_MAX_KAPPA, 0, err, errlen)) ||
      (status = tc_param_number(&c->step, p, "step", 0, 1, 0, err, errlen)))
    return status;
  if (!(c->step > 0)) {
    snprintf(err, errlen, "step must be in (0, 1], got %s", tc_point_text(p, "step"));
    return TC_EDOM;
  }
  if ((status = tc_param_number(&v, p, "iterations", 1, SGD_MAX_ITER, 1, err, errlen)))
    return status;
  c->iterations = (long)v;
  if ((status = tc_param_number(&v, p, "checkpoints", 1, SGD_MAX_CHECKPOINTS, 1, err, errlen)))
    return status;
  c->checkpoints = (long)v;
  if (c->checkpoints > c->iterations) {
    snprintf(err, errlen, "checkpoints must be <= iterations (%ld), got %ld", c->iterations,
             c->checkpoints);
    return TC_EDOM;
  }
  c->start = c->sigma > 0 ? c->sigma : 1.0;
  if (tc_point_text(p, "start") &&
      (status = tc_param_number(&c->start, p, "start", 0, 1e100, 0, err, errlen)))
    return status;
  const char *dir = tc_point_text(p, "direction");
  c->direction = dir ? tc_param_lookup(dir, sgd_pl_directions) : SGD_DIR_RANDOM;
  if (c->direction < 0) {
    snprintf(err, errlen, "direction must be random or slow, got %s", dir);
    return TC_EDOM;
  }
  const char *sched = tc_point_text(p, "schedule");
  c->schedule = sched ? tc_param_lookup(sched, sgd_pl_schedules) : SGD_SCHED_CONSTANT;
  if (c->schedule < 0) {
    snprintf(err, errlen, "schedule must be constant or diminishing, got %s", sched);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* Constraints between parameters (each alone is checked by the engine
 * from sgd_pl_params). */
static int sgd_pl_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  int family = tc_param_lookup(tc_point_text(p, "family"), sgd_pl_families);
  double d = tc_point_get_or(p, "d", 1), N = tc_point_get_or(p, "N", 1);
  double iterations = tc_point_get_or(p, "iterations", 1);
  double checkpoints = tc_point_get_or(p, "checkpoints", 1);
  if (family == SGD_SINGULAR && d < 2) {
    *param = "d";
    snprintf(err, errlen, "d must be >= 2 for singular (it needs a zero and a positive "
             "eigenvalue), got %.0f", d);
  } else if (N * d > 1e6) {
    *param = "N";
    snprintf(err, errlen, "N * d must be <= 1e6 (the b_i are stored), got N=%.0f, d=%.0f", N, d);
  } else if (checkpoints > iterations) {
    *param = "checkpoints";
    snprintf(err, errlen, "checkpoints must be <= iterations (%.0f), got %.0f", iterations,
             checkpoints);
  } else {
    return TC_SUCCESS;
  }
  return TC_EDOM;
}

/* The instance's randomness: the indices i_k, stream 0 of its tape (the
 * stream of tc_rng_alloc(seed)), read in order by both backends.  The
 * problem data are the point's (sgd_pl_prepare), not the instance's. */
static int sgd_pl_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  double N = tc_point_get_or(inst->point, "N", 0);
  int status = tc_tape_open(tape, 0, TC_DRAW_UNIFORM_INT, (unsigned long)N);
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "cannot open the index stream of the tape (N = %g)", N);
  return status;
}

/* Seed of the problem-data RNG: tc_point_seed of the data-defining
 * parameters, under the empty tag (the seeds this module used before
 * tc_point_seed existed).  It depends on their values ("10" and "1e1"
 * are the same instance) and not on the run's --seed, so every instance
 * at a point, in both backends and for both sgd-pl claims, has the same
 * A, b_i and x_0, and only the sampled indices i_k differ. */
static uint64_t sgd_pl_data_seed(const tc_point *p)
{
  return tc_point_seed(p, "", sgd_pl_data_params);
}

/* Checkpoints: C values of k spaced geometrically, k_i ~ K^{i/C} for
 * i = 1..C, strictly increasing, the last one K. */
static void sgd_pl_checkpoints(long *ks, long C, long K)
{
  long prev = 0;
  for (long i = 1; i <= C; i++) {
    long k = (long)llround(pow((double)K, (double)i / (double)C));
    if (k <= prev)
      k = prev + 1;
    if (k > K - (C - i))
      k = K - (C - i);
    ks[i - 1] = k;
    prev = k;
  }
}

/* The b_i - c in eigen-coordinates, in double (instance data): Gaussian,
 * centred over i and scaled so each coordinate has mean square sigma^2
 * (all zero when N = 1 or sigma = 0). */
static void sgd_pl_deviations(double *dev, size_t N, size_t d, double sigma, gsl_rng *rng)
{
  for (size_t i = 0; i < N * d; i++)
    dev[i] = gsl_ran_gaussian(rng, 1.0);
  for (size_t j = 0; j < d; j++) {
    double mean = 0, ms = 0;
    for (size_t i = 0; i < N; i++)
      mean += dev[i * d + j];
    mean /= (double)N;
    for (size_t i = 0; i < N; i++) {
      dev[i * d + j] -= mean;
      ms += dev[i * d + j] * dev[i * d + j];
    }
    ms /= (double)N;
    double scale = (N > 1 && sigma > 0 && ms > 0) ? sigma / sqrt(ms) : 0.0;
    for (size_t i = 0; i < N; i++)
      dev[i * d + j] *= scale;
  }
}

#define TC_TEMPLATE "sgd_pl_source.h"
#include "num/tc_instantiate.h"

#define SGD_REQ(n, t, lo, hi, m) \
  {.name = n, .type = t, .min = lo, .max = hi, .required = 1, .meaning = m}
static const tc_param_spec sgd_pl_params[] = {
  {.name = "family", .type = TC_PARAM_SYMBOL, .values = sgd_pl_families, .required = 1,
   .meaning = "the spectrum family"},
  SGD_REQ("d", TC_PARAM_INTEGER, 1, SGD_MAX_D, "the dimension"),
  SGD_REQ("N", TC_PARAM_INTEGER, 1, SGD_MAX_N, "the number of summands f_i"),
  SGD_REQ("sigma", TC_PARAM_REAL, 0, 1e100, "RMS spread of the b_i per eigen-coordinate"),
  SGD_REQ("kappa", TC_PARAM_REAL, 1, SGD_MAX_KAPPA, "the condition number"),
  {.name = "step", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .required = 1,
   .meaning = "s as a fraction of min(1/(2 mu), 0.999 * 2/L)"},
  SGD_REQ("iterations", TC_PARAM_INTEGER, 1, SGD_MAX_ITER, "the number of SGD steps K"),
  SGD_REQ("checkpoints", TC_PARAM_INTEGER, 1, SGD_MAX_CHECKPOINTS, "rows, at geometric k ending at K"),
  {.name = "start", .type = TC_PARAM_REAL, .min = 0, .max = 1e100,
   .meaning = "RMS of x_0 - c per eigen-coordinate (default sigma, or 1 if sigma = 0)"},
  {.name = "direction", .type = TC_PARAM_SYMBOL, .values = sgd_pl_directions, .def = "random",
   .meaning = "x_0 - c: random, or slow (along the eigenvector of mu)"},
  {.name = "schedule", .type = TC_PARAM_SYMBOL, .values = sgd_pl_schedules, .def = "constant",
   .meaning = "constant s, or diminishing s_k = step (2k+1)/(2 mu (k+1)^2)"},
  {0}};

static const tc_output_spec sgd_pl_outputs[] = {
  {.name = "k", .meaning = "the checkpoint"},
  {.name = "gap", .meaning = "f(x_k) - f* of this trajectory"},
  {.name = "gap0", .meaning = "f(x_0) - f*"},
  {.name = "mu", .meaning = "the PL constant, measured"},
  {.name = "L", .meaning = "the gradient's Lipschitz constant, measured"},
  {.name = "s", .meaning = "the step"},
  {.name = "C_stated", .meaning = "smallest C with ||grad f_i|| <= C^2 over the invariant box"},
  {.name = "C_corrected", .meaning = "smallest C with ||grad f_i||^2 <= C^2 over the box"},
  {.name = "gap_exact", .meaning = "the exact E[f(x_k) - f*]"},
  {.name = "grad_max", .meaning = "max ||grad f_i(x_j)|| seen on this trajectory"},
  {.name = "gap_exact_prev", .meaning = "the exact E[f(x_{k-1}) - f*]"},
  {.name = "s_prev", .meaning = "the step s_{k-1} that led from x_{k-1} to x_k"},
  {0}};

const tc_check tc_check_sgd_pl = {
  .name = "sgd-pl",
  .summary = "SGD with constant step on a finite sum of quadratics (PL): one trajectory's gap at "
             "checkpoints, the exact expected gap, and the a-priori gradient bound",
  .params = sgd_pl_params,
  .outputs = sgd_pl_outputs,
  .validate = sgd_pl_validate,
  .measure_d = sgd_pl_measure_d,
  .measure_mpfr = sgd_pl_measure_mpfr,
  .prepare_d = sgd_pl_prepare_d,
  .prepare_mpfr = sgd_pl_prepare_mpfr,
  .release_d = sgd_pl_release_d,
  .release_mpfr = sgd_pl_release_mpfr,
  .draw = sgd_pl_draw,
};
