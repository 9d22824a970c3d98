/* parity.c — check module "parity-net": the finite constructions of
 * lecture 004 before Theorem 7, exhaustively over the cube.
 *
 * `part` selects what one instance measures (rows in parity_source.h):
 *   step-limit  (004-09) sigma_step(t) against ReLU(a t) - ReLU(a t - 1) on a t grid
 *               with a|t| >= 1 for t != 0, where the expression equals its limit
 *               a -> inf exactly; err = |difference| per t (t = 0 unless exclude_zero).
 *   c-margin    (004-10) c(x) = w.x - b - 1/2, w in {0..wmax}^d, b in {0..bmax} (tape):
 *               minabs = min_x |c(x)| over all of {-1,1}^d (d <= 16) or 2^16 tape points.
 *   step-relu   (004-11) z on a grid of |z| >= 1/2 and the values c(x): err =
 *               |sigma_step(z) - (ReLU(2z) - ReLU(2z - 1))|.
 *   and-net     (004-12, 004-13) k halfspaces; g(x) = (1/(2k))(sum_i (ReLU(2c_i) -
 *               ReLU(2c_i - 1)) - k + 1/3) over all x: mismatch = #x with sign g(x) !=
 *               2 AND_i h_i(x) - 1, the same without the 1/3 (mismatch_no_third), and the
 *               network's path norm from its weights (pn: sum |outer| (||w||_1 + |bias|) +
 *               |output bias|; pn_nobias: sum |outer| ||w||_1) against the notes' pn_notes.
 *   parity-gram (004-15) f_v(x) = (-1)^{v.x} on {0,1}^d: all inner products by one FWHT
 *               per v; gram_err = max |<f_v, f_v'> - delta|.
 *   tri-net     (004-16) the triangle-wave network (0.4) with input weights 2v, on all x
 *               in {0,1}^d for every v (d <= 6) or v = 1..1 and 3 tape v's: tri_err =
 *               max |net(x) - (-1)^{v.x}|; pn_tri its path norm at v = 1..1.
 *   tri-pathnorm  the path norm of (0.4) at v = 1..1 only (d up to 10^5), for the d^2 rate.
 *   cos-class   (004-17) S_d = {cos(w.x): w in N^d, sum w <= d} on [0, 2pi]^d: count =
 *               C(2d, d) (0 in N), count_pos (0 not in N), and the Gram matrix by the
 *               (2d+1)^d grid rule (exact for these trigonometric polynomials), d <= 3.
 * Random integers are drawn from the tape (stream 0: w, 1: b, 2: v and sample bits). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "params.h"

enum { PAR_STEP_LIMIT, PAR_C_MARGIN, PAR_STEP_RELU, PAR_AND_NET, PAR_GRAM, PAR_TRI, PAR_TRI_PN, PAR_COS };
static const char *const parity_parts[] = {"step-limit", "c-margin", "step-relu", "and-net", "parity-gram",
                                           "tri-net", "tri-pathnorm", "cos-class", NULL};

#define PAR_MAX_D 24
#define PAR_MAX_EXHAUSTIVE 16
#define PAR_SAMPLE_LOG2 16

typedef struct {
  int part;
  unsigned long d;
  unsigned k;
  long wmax, bmax;
  double a;
  int exclude_zero;
} parity_config;

static int parity_config_read(parity_config *c, const tc_point *p, char *err, size_t errlen)
{
  c->part = tc_param_lookup(tc_point_text(p, "part"), parity_parts);
  if (c->part < 0) {
    snprintf(err, errlen, "unknown part");
    return TC_EDOM;
  }
  double d = tc_point_get_or(p, "d", 1);
  double dmax = c->part == PAR_TRI_PN ? 1e5 : c->part == PAR_COS ? 3 : PAR_MAX_D;
  if (!(d >= 1 && d <= dmax && d == floor(d))) {
    snprintf(err, errlen, "d must be an integer in [1, %g] for part %s", dmax, parity_parts[c->part]);
    return TC_EDOM;
  }
  c->d = (unsigned long)d;
  c->k = (unsigned)tc_point_get_or(p, "k", 3);
  c->wmax = (long)tc_point_get_or(p, "wmax", 3);
  c->bmax = (long)tc_point_get_or(p, "bmax", 3);
  c->a = tc_point_get_or(p, "a", 1048576);
  c->exclude_zero = (int)tc_point_get_or(p, "exclude_zero", 0);
  return TC_SUCCESS;
}

static int parity_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  parity_config c;
  int status = parity_config_read(&c, p, err, errlen);
  if (status)
    *param = "d";
  return status;
}

/* w (k x d) and b (k) from the tape, as small naturals (exact in both backends). */
static int parity_draw_halfspaces(long *w, long *b, const parity_config *c, tc_tape *tape)
{
  if (tc_tape_open(tape, 0, TC_DRAW_UNIFORM_INT, (unsigned long)c->wmax + 1) ||
      tc_tape_open(tape, 1, TC_DRAW_UNIFORM_INT, (unsigned long)c->bmax + 1))
    return TC_EDOM;
  for (size_t i = 0; i < (size_t)c->k * c->d; i++)
    w[i] = (long)tc_tape_next(tape, 0);
  for (size_t i = 0; i < c->k; i++)
    b[i] = (long)tc_tape_next(tape, 1);
  return tc_tape_status(tape);
}

/* The x's of the cube to visit: all of them (exhaustive) or 2^16 from
 * tape stream 2, as sign masks. */
static int parity_points(unsigned long **xs, size_t *nx, const parity_config *c, tc_tape *tape)
{
  int exhaustive = c->d <= PAR_MAX_EXHAUSTIVE;
  *nx = exhaustive ? (size_t)1 << c->d : (size_t)1 << PAR_SAMPLE_LOG2;
  *xs = malloc(*nx * sizeof **xs);
  if (!*xs)
    return TC_ENOMEM;
  if (!exhaustive && tc_tape_open(tape, 2, TC_DRAW_UNIFORM_INT, 1UL << c->d))
    return TC_EDOM;
  for (size_t t = 0; t < *nx; t++)
    (*xs)[t] = exhaustive ? (unsigned long)t : (unsigned long)tc_tape_next(tape, 2);
  return tc_tape_status(tape);
}

#define TC_TEMPLATE "parity_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec parity_params[] = {
  {.name = "part", .type = TC_PARAM_SYMBOL, .values = parity_parts, .required = 1,
   .meaning = "which construction"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e5, .def = "1", .meaning = "the dimension"},
  {.name = "k", .type = TC_PARAM_INTEGER, .min = 1, .max = 16, .def = "3", .meaning = "halfspaces"},
  {.name = "wmax", .type = TC_PARAM_INTEGER, .min = 0, .max = 1000, .def = "3",
   .meaning = "weights w_i in {0..wmax}"},
  {.name = "bmax", .type = TC_PARAM_INTEGER, .min = 0, .max = 1000, .def = "3",
   .meaning = "biases b in {0..bmax}"},
  {.name = "a", .type = TC_PARAM_REAL, .min = 1048576, .max = 1e300, .def = "1048576",
   .meaning = "the slope a (>= 2^20 = 1/min |t|)"},
  {.name = "exclude_zero", .type = TC_PARAM_INTEGER, .min = 0, .max = 1, .def = "0",
   .meaning = "1: leave t = 0 out of the grid"},
  {0}};

static const tc_output_spec parity_outputs[] = {
  {.name = "t", .meaning = "the point t (step-limit)"},
  {.name = "z", .meaning = "the point z (step-relu)"},
  {.name = "err", .meaning = "|sigma_step - ReLU expression|"},
  {.name = "minabs", .meaning = "min_x |c(x)|"},
  {.name = "nhalf", .meaning = "#x with |c(x)| = 1/2"},
  {.name = "mismatch", .meaning = "#x with sign g(x) != AND"},
  {.name = "mismatch_no_third", .meaning = "the same with -k in place of -k + 1/3"},
  {.name = "n_and", .meaning = "#x with AND = 1"},
  {.name = "pn", .meaning = "path norm of g with biases and output bias"},
  {.name = "pn_nobias", .meaning = "path norm of g, weights only"},
  {.name = "pn_notes", .meaning = "the notes' expression"},
  {.name = "gram_err", .meaning = "max |<f_v, f_v'> - delta_vv'|"},
  {.name = "diag_min", .meaning = "min <f_v, f_v>"},
  {.name = "count", .meaning = "class size"},
  {.name = "count_pos", .meaning = "class size with 0 not in N"},
  {.name = "tri_err", .meaning = "max |net(x) - (-1)^{v.x}|"},
  {.name = "pn_tri", .meaning = "path norm of the triangle-wave net at v = 1..1"},
  {.name = "norm2_min", .meaning = "min ||cos(w.x)||^2 over w != 0"},
  {.name = "norm2_max", .meaning = "max ||cos(w.x)||^2 over w != 0"},
  {.name = "offdiag_max", .meaning = "max |<f, f'>|, f != f'"},
  {.name = "cos_err", .meaning = "rounding estimate of the cos-class inner products"},
  {.name = "d", .meaning = "the dimension"},
  {0}};

const tc_check tc_check_parity_net = {
  .name = "parity-net",
  .summary = "lecture 004's cube constructions: step as ReLUs, |c(x)| >= 1/2, AND networks, parities as an orthonormal class and as ReLU nets",
  .params = parity_params,
  .outputs = parity_outputs,
  .validate = parity_validate,
  .measure_d = parity_measure_d,
  .measure_mpfr = parity_measure_mpfr,
};
