/* orth.c — check module "orth-variance": the gradient variance over an
 * orthonormal class, computed exactly (lecture 004, Theorem 7 and its
 * proof (0.8)-(0.10)).
 *
 * x is uniform on the cube {-1,1}^d (index t in 0..2^d-1, x_i = (-1)^bit_i(t)),
 * the Walsh functions chi_S(x) = prod_{i in S} x_i (S a bit mask) are
 * orthonormal, and for a vector v over the cube the fast Walsh-Hadamard
 * transform gives every correlation <chi_S, v> = (H v)_S / 2^d at once.
 * Since x_i chi_S = chi_{S xor e_i}, the correlation of x_i v is the
 * transform of v read at S xor e_i: a model's whole gradient needs one
 * transform per "base vector", not one per parameter.
 *
 * Models h(x; theta) (theta drawn from the instance's tape, stream 0):
 *   linear  h = w.x + b                    base 1, read at shifts {0, e_1..e_d}
 *   relu    h = sum_k a_k relu(w_k.x + b_k)   bases relu(z_k) (for a_k) and
 *           a_k relu'(z_k) (for b_k at shift 0 and w_ki at shift e_i)
 *   rf      the same with w_k, b_k fixed (random features): bases relu(z_k)
 * Classes F (|F| = K): walsh (all 2^d parities), low ({} and the d
 * singletons), random (K distinct random masks, tape stream 1), top (the K
 * masks with the largest ||<chi_S, grad h>||^2, chosen in double so both
 * backends test the same class: the most adversarial subset), rotated
 * (f_i = sum_l Q_il chi_{S_l} over the top masks, Q a random orthogonal
 * K x K matrix from tape stream 2: an orthonormal class that is not a set
 * of Walsh functions), cosine (004-17's class rescaled to be orthonormal,
 * sqrt(2) cos(w.x) for w in N^d \ {0}, sum w_i <= d, under D = uniform on
 * the (2d+1)^d grid of [0, 2pi)^d, on which these are exactly orthonormal;
 * d <= 4; correlations by direct sums, no transform).
 *
 * With R^f = E(h - f)^2 the gradient is grad R^f = 2 E[(h - f) grad h] =
 * 2 E[h grad h] - 2 <f, grad h>, so its variance over f ~ Unif(F) is
 * 4 Var_f <f, grad h> (summed over coordinates).  The row (one per
 * instance) holds var_grad (that variance), var_half (Var_f <f, grad h>:
 * the variance for R = (1/2) E(h - f)^2, which is the gradient the proof
 * writes), m2 = E_f ||<f, grad h>||^2, bessel = sum_f ||<f, grad h>||^2,
 * G = E_x ||grad h||^2, F = K, d.  Variances are two-pass (mean first),
 * so no cancellation of bessel/K against the squared mean. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "params.h"

enum { ORTH_LINEAR, ORTH_RELU, ORTH_RF };
static const char *const orth_models[] = {"linear", "relu", "rf", NULL};
enum { ORTH_WALSH, ORTH_LOW, ORTH_RANDOM, ORTH_TOP, ORTH_ROTATED, ORTH_COSINE };
static const char *const orth_classes[] = {"walsh", "low", "random", "top", "rotated", "cosine", NULL};

/* d <= 22: a vector over the cube of 4 M entries (the MPFR one takes
 * about 200 MB); rotated classes are K x K dense. */
#define ORTH_MAX_D 22
#define ORTH_MAX_WIDTH 64
#define ORTH_MAX_ROTATED_LOG2 8
#define ORTH_COSINE_MAX_D 4

typedef struct {
  int model, cls;
  unsigned d;
  size_t n;      /* 2^d */
  size_t width;  /* hidden units (relu, rf) */
  size_t K;      /* |F| */
  double scale, bias;
} orth_config;

/* The instance: theta in double (both backends convert it exactly) and
 * the class as masks (plus Q for rotated, drawn as Gaussians and
 * orthonormalised in the backend). */
typedef struct {
  double *W, *b, *a;  /* width x d, width, width */
  size_t *mask;       /* K masks, NULL for walsh (mask l = l) */
  double *qraw;       /* K x K Gaussians for rotated, else NULL */
} orth_inst;

/* The frequencies w in N^d \ {0} with sum w_i <= d (into ws, d entries
 * each, when not NULL); returns their number, C(2d, d) - 1. */
static size_t orth_cos_list(unsigned *ws, unsigned d)
{
  size_t K = 0, N = d + 1, total = 1;
  for (unsigned l = 0; l < d; l++)
    total *= N;
  for (size_t code = 1; code < total; code++) {
    size_t cc = code, sum = 0;
    for (unsigned l = 0; l < d; l++, cc /= N)
      sum += cc % N;
    if (sum > d)
      continue;
    cc = code;
    for (unsigned l = 0; ws && l < d; l++, cc /= N)
      ws[K * d + l] = (unsigned)(cc % N);
    K++;
  }
  return K;
}

static int orth_config_read(orth_config *c, const tc_point *p, char *err, size_t errlen)
{
  c->model = tc_param_lookup(tc_point_text(p, "model"), orth_models);
  c->cls = tc_param_lookup(tc_point_text(p, "class"), orth_classes);
  if (c->model < 0 || c->cls < 0) {
    snprintf(err, errlen, "model must be linear, relu or rf and class walsh, low, random, top or rotated");
    return TC_EDOM;
  }
  /* d, or N = 2^d (for rates in |F| = 2^d). */
  double v = tc_point_get_or(p, "d", NAN), N = tc_point_get_or(p, "N", NAN);
  if (isnan(v) && N >= 2)
    v = round(log2(N));
  if (!(v >= 1 && v <= ORTH_MAX_D && v == floor(v)) || (!isnan(N) && N != ldexp(1.0, (int)v))) {
    snprintf(err, errlen, "give d in [1, %d] or N = 2^d (consistent when both are given)", ORTH_MAX_D);
    return TC_EDOM;
  }
  c->d = (unsigned)v;
  c->n = (size_t)1 << c->d;
  c->width = (size_t)tc_point_get_or(p, "width", 4);
  c->scale = tc_point_get_or(p, "scale", 1);
  c->bias = tc_point_get_or(p, "bias", 1);
  /* Default |F| for the subset classes: 2^ceil(d/2), at most 2^6 when rotated. */
  double lg0 = ceil(c->d / 2.0);
  if (c->cls == ORTH_ROTATED && lg0 > 6)
    lg0 = 6;
  double lg = tc_point_get_or(p, "class_log2", lg0);
  if (!(lg >= 0 && lg <= c->d && lg == floor(lg))) {
    snprintf(err, errlen, "class_log2 must be an integer in [0, d] = [0, %u], got %g", c->d, lg);
    return TC_EDOM;
  }
  if (c->cls == ORTH_ROTATED && lg > ORTH_MAX_ROTATED_LOG2) {
    snprintf(err, errlen, "class_log2 must be <= %d for a rotated class (dense K x K rotation)",
             ORTH_MAX_ROTATED_LOG2);
    return TC_EDOM;
  }
  c->K = c->cls == ORTH_WALSH ? c->n : c->cls == ORTH_LOW ? (size_t)c->d + 1 : (size_t)1 << (unsigned)lg;
  if (c->cls == ORTH_COSINE) {
    if (c->d > ORTH_COSINE_MAX_D) {
      snprintf(err, errlen, "d must be <= %d for the cosine class ((2d+1)^d grid)", ORTH_COSINE_MAX_D);
      return TC_EDOM;
    }
    c->K = orth_cos_list(NULL, c->d);
  }
  return TC_SUCCESS;
}

static int orth_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  orth_config c;
  int status = orth_config_read(&c, p, err, errlen);
  if (status)
    *param = "class_log2";
  return status;
}

static void orth_inst_free(orth_inst *in)
{
  free(in->W);
  free(in->b);
  free(in->a);
  free(in->mask);
  free(in->qraw);
}

/* Number of base vectors and the shifts each is read at (0 = none,
 * i >= 1 = e_{i-1}); see the header comment. */
static size_t orth_nbases(const orth_config *c)
{
  return c->model == ORTH_LINEAR ? 1 : c->model == ORTH_RELU ? 2 * c->width : c->width;
}

static size_t orth_nshifts(const orth_config *c, size_t k)
{
  if (c->model == ORTH_LINEAR || (c->model == ORTH_RELU && k % 2 == 1))
    return (size_t)c->d + 1;
  return 1;
}

static size_t orth_shift_mask(size_t s)
{
  return s == 0 ? 0 : (size_t)1 << (s - 1);
}

/* theta from stream 0: W ~ scale N(0, I/d), b ~ bias N(0,1), a ~ N(0,1)/sqrt(width)
 * (scale and bias are the search's knobs). */
static int orth_draw_theta(orth_inst *in, const orth_config *c, tc_tape *tape)
{
  size_t m = c->width, d = c->d;
  in->W = malloc(m * d * sizeof *in->W);
  in->b = malloc(m * sizeof *in->b);
  in->a = malloc(m * sizeof *in->a);
  if (!in->W || !in->b || !in->a)
    return TC_ENOMEM;
  if (tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN, 0))
    return TC_EDOM;
  if (c->model == ORTH_LINEAR) { /* w in W[0..d-1], b in b[0] */
    for (size_t i = 0; i < d; i++)
      in->W[i] = c->scale * tc_tape_next(tape, 0);
    in->b[0] = c->bias * tc_tape_next(tape, 0);
    return TC_SUCCESS;
  }
  for (size_t k = 0; k < m; k++) {
    for (size_t i = 0; i < d; i++)
      in->W[k * d + i] = c->scale * tc_tape_next(tape, 0) / sqrt((double)d);
    in->b[k] = c->bias * tc_tape_next(tape, 0);
    in->a[k] = tc_tape_next(tape, 0) / sqrt((double)m);
  }
  return TC_SUCCESS;
}

/* K distinct masks by a partial Fisher-Yates shuffle on stream 1. */
static int orth_random_masks(orth_inst *in, const orth_config *c, tc_tape *tape)
{
  size_t *perm = malloc(c->n * sizeof *perm);
  if (!perm)
    return TC_ENOMEM;
  if (tc_tape_open(tape, 1, TC_DRAW_UNIFORM, 0)) {
    free(perm);
    return TC_EDOM;
  }
  for (size_t t = 0; t < c->n; t++)
    perm[t] = t;
  for (size_t l = 0; l < c->K; l++) {
    size_t j = l + (size_t)(tc_tape_next(tape, 1) * (double)(c->n - l));
    if (j >= c->n)
      j = c->n - 1;
    size_t s = perm[l];
    perm[l] = perm[j];
    perm[j] = s;
  }
  memcpy(in->mask, perm, c->K * sizeof *perm);
  free(perm);
  return TC_SUCCESS;
}

/* Order masks by score, larger first, ties by the smaller mask, so the
 * selection is a function of the double scores alone. */
typedef struct {
  double score;
  size_t mask;
} orth_scored;

static int orth_top_masks(orth_inst *in, const orth_config *c);

/* The instance, the same for both backends: theta, then the class. */
static int orth_inst_make(orth_inst *in, const orth_config *c, tc_tape *tape)
{
  memset(in, 0, sizeof *in);
  int status = orth_draw_theta(in, c, tape);
  if (status || c->cls == ORTH_WALSH || c->cls == ORTH_COSINE)
    return status;
  if (!(in->mask = malloc(c->K * sizeof *in->mask)))
    return TC_ENOMEM;
  if (c->cls == ORTH_LOW) {
    in->mask[0] = 0;
    for (unsigned i = 0; i < c->d; i++)
      in->mask[i + 1] = (size_t)1 << i;
    return TC_SUCCESS;
  }
  if (c->cls == ORTH_RANDOM)
    return orth_random_masks(in, c, tape);
  if ((status = orth_top_masks(in, c)))
    return status;
  if (c->cls == ORTH_ROTATED) {
    if (!(in->qraw = malloc(c->K * c->K * sizeof *in->qraw)))
      return TC_ENOMEM;
    if (tc_tape_open(tape, 2, TC_DRAW_GAUSSIAN, 0))
      return TC_EDOM;
    for (size_t l = 0; l < c->K * c->K; l++)
      in->qraw[l] = tc_tape_next(tape, 2);
  }
  return tc_tape_status(tape);
}

#define TC_TEMPLATE "orth_source.h"
#include "num/tc_instantiate.h"

static int orth_scored_cmp(const void *pa, const void *pb)
{
  const orth_scored *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score < b->score ? 1 : -1;
  return a->mask < b->mask ? -1 : a->mask > b->mask;
}

/* The K masks with the largest ||<chi_S, grad h>||^2, computed in double
 * (both backends use this one selection). */
static int orth_top_masks(orth_inst *in, const orth_config *c)
{
  orth_scored *sc = calloc(c->n, sizeof *sc);
  if (!sc)
    return TC_ENOMEM;
  int status = orth_scores_d(sc, c, in);
  if (status == TC_SUCCESS) {
    qsort(sc, c->n, sizeof *sc, orth_scored_cmp);
    for (size_t l = 0; l < c->K; l++)
      in->mask[l] = sc[l].mask;
  }
  free(sc);
  return status;
}

static const tc_param_spec orth_params[] = {
  {.name = "model", .type = TC_PARAM_SYMBOL, .values = orth_models, .required = 1,
   .meaning = "the parametric model h(x; theta)"},
  {.name = "class", .type = TC_PARAM_SYMBOL, .values = orth_classes, .required = 1,
   .meaning = "the orthonormal class F"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = ORTH_MAX_D, .meaning = "the cube dimension"},
  {.name = "N", .type = TC_PARAM_INTEGER, .min = 2, .max = 1 << ORTH_MAX_D,
   .meaning = "2^d, as an alternative to d (for rates in |F|)"},
  {.name = "width", .type = TC_PARAM_INTEGER, .min = 1, .max = ORTH_MAX_WIDTH, .def = "4",
   .meaning = "hidden units (relu, rf)"},
  {.name = "class_log2", .type = TC_PARAM_INTEGER, .min = 0, .max = ORTH_MAX_D,
   .meaning = "log2 |F| for random, top and rotated classes (default ceil(d/2), <= 6 when rotated)"},
  {.name = "scale", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .def = "1",
   .meaning = "scale of the input weights"},
  {.name = "bias", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .def = "1",
   .meaning = "scale of the biases"},
  {0}};

static const tc_output_spec orth_outputs[] = {
  {.name = "d", .meaning = "the cube dimension"},
  {.name = "F", .meaning = "|F|"},
  {.name = "G", .meaning = "E_x ||grad_theta h||^2"},
  {.name = "var_grad", .meaning = "E_f ||grad R^f - g||^2 with R^f = E(h - f)^2"},
  {.name = "var_half", .meaning = "the same for R^f = (1/2) E(h - f)^2, = Var_f <f, grad h>"},
  {.name = "m2", .meaning = "E_f ||<f, grad h>||^2"},
  {.name = "bessel", .meaning = "sum_f ||<f, grad h>||^2"},
  {.name = "mean2", .meaning = "||E_f <f, grad h>||^2"},
  {0}};

const tc_check tc_check_orth_variance = {
  .name = "orth-variance",
  .summary = "exact variance over an orthonormal class (Walsh functions on {-1,1}^d, by FWHT) of the risk gradient",
  .params = orth_params,
  .outputs = orth_outputs,
  .validate = orth_validate,
  .measure_d = orth_measure_d,
  .measure_mpfr = orth_measure_mpfr,
};
