/* ball.c — check module "ball-uniform".
 *
 * Lecture 000 §2.4, Lemma (anti-concentration of ball volume):
 * x ~ Unif(B(r)) in R^d; for every delta in (0,1), with probability at
 * least 1 - delta, |x_i| >= r delta / (2 sqrt d).
 *
 * One instance is one draw of x; the engine counts the event
 * {absxi >= threshold} over the instances of a parameter point.  Each row
 * also carries p_exact, the exact probability of that event, so a claim
 * can compare p_exact with 1 - delta without sampling error.
 *
 * Parameters: d (dimension, integer >= 1), r (radius > 0), delta in
 * (0,1), coord (which coordinate i, 1-based, default 1).
 * Row (one per instance): absxi = |x_i|, threshold = r delta/(2 sqrt d),
 * p_exact = 1 - I_{delta^2/(4d)}(1/2, (d+1)/2), xnorm = |x|, d, r, delta. */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"

/* A draw stores d doubles; past this the instance is not a test of the
 * lemma but of the allocator. */
#define BALL_MAX_DIM 10000000.0

typedef struct {
  size_t d;
  double r, delta;
  size_t coord; /* 1-based */
} ball_params;

static int ball_params_read(ball_params *bp, const tc_point *p, char *err, size_t errlen)
{
  double d, r, delta, coord;
  if (tc_point_get(&d, p, "d") != TC_SUCCESS || !(d >= 1 && d <= BALL_MAX_DIM && d == floor(d))) {
    snprintf(err, errlen, "d must be an integer in [1, %.0f] (the dimension)", BALL_MAX_DIM);
    return TC_EDOM;
  }
  if (tc_point_get(&r, p, "r") != TC_SUCCESS || !(r > 0 && isfinite(r))) {
    snprintf(err, errlen, "r must be a finite number > 0 (the radius of the ball)");
    return TC_EDOM;
  }
  if (tc_point_get(&delta, p, "delta") != TC_SUCCESS || !(delta > 0 && delta < 1)) {
    snprintf(err, errlen, "delta must lie in (0, 1)");
    return TC_EDOM;
  }
  /* A symbolic coord must be an error, not silently the default. */
  coord = tc_point_text(p, "coord") ? tc_point_get_or(p, "coord", NAN) : 1.0;
  if (!(coord >= 1 && coord <= d && coord == floor(coord))) {
    snprintf(err, errlen, "coord must be an integer in [1, d] = [1, %.0f]", d);
    return TC_EDOM;
  }
  bp->d = (size_t)d;
  bp->r = r;
  bp->delta = delta;
  bp->coord = (size_t)coord;
  return TC_SUCCESS;
}

/* The instance, drawn in double from the instance RNG: d standard
 * Gaussians into g, then the uniform u in (0,1) that is returned.  Both
 * backends call this with the same seed, so they see the same x. */
static double ball_draw(double *g, size_t d, gsl_rng *rng)
{
  for (size_t l = 0; l < d; l++)
    g[l] = gsl_ran_gaussian_ziggurat(rng, 1.0);
  return gsl_rng_uniform_pos(rng);
}

/* The instance's generator, tc_rng_alloc(seed)'s stream, without the
 * heap: a gsl_rng whose xoshiro256** state lives in `b` and is seeded by
 * gsl_rng_set, which seeds like tc_rng_alloc when unsigned long holds the
 * whole 64-bit seed (tc_check.h).  Elsewhere, or should the state
 * outgrow the buffer, tc_rng_alloc itself.  ball_rng_close(b, rng)
 * frees what open allocated (nothing on the stack path). */
#define BALL_STACK_DIM 256
typedef struct {
  gsl_rng rng;
  uint64_t state[8];
} ball_rng;

static gsl_rng *ball_rng_open(ball_rng *b, uint64_t seed)
{
#if ULONG_MAX >= UINT64_MAX
  if (tc_rng_xoshiro256ss->size <= sizeof b->state) {
    b->rng.type = tc_rng_xoshiro256ss;
    b->rng.state = b->state;
    gsl_rng_set(&b->rng, (unsigned long)seed);
    return &b->rng;
  }
#endif
  return tc_rng_alloc(seed);
}

static void ball_rng_close(ball_rng *b, gsl_rng *rng)
{
  if (rng != &b->rng)
    gsl_rng_free(rng);
}

/* The one constraint between parameters; each alone is checked by the
 * engine from ball_param_specs. */
static int ball_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  double d = tc_point_get_or(p, "d", 1), coord = tc_point_get_or(p, "coord", 1);
  if (coord > d) {
    *param = "coord";
    snprintf(err, errlen, "coord must be an integer in [1, d] = [1, %.0f], got %.0f", d, coord);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

#define TC_TEMPLATE "ball_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec ball_param_specs[] = {
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = BALL_MAX_DIM, .required = 1,
   .meaning = "the dimension"},
  {.name = "r", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = DBL_MAX, .required = 1,
   .meaning = "the radius of the ball"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .min_open = 1, .max = 1, .max_open = 1,
   .required = 1, .meaning = "the failure probability"},
  {.name = "coord", .type = TC_PARAM_INTEGER, .min = 1, .max = BALL_MAX_DIM, .def = "1",
   .meaning = "which coordinate i, 1-based, at most d"},
  {0}};

static const tc_output_spec ball_output_specs[] = {
  {.name = "absxi", .meaning = "|x_i|", .has_range = 0},
  {.name = "xnorm", .meaning = "|x|, from the rounded coordinates"},
  {.name = "threshold", .meaning = "r delta / (2 sqrt d)"},
  {.name = "p_exact", .meaning = "the exact P(|x_i| >= threshold)", .has_range = 1, .lo = 0, .hi = 1},
  {.name = "d", .meaning = "the dimension"},
  {.name = "r", .meaning = "the radius"},
  {.name = "delta", .meaning = "the failure probability"},
  {0}};

const tc_check tc_check_ball_uniform = {
  .name = "ball-uniform",
  .summary = "x ~ Unif(B(r)) in R^d: |x_i| against r delta/(2 sqrt d), with the exact P(|x_i| >= t)",
  .params = ball_param_specs,
  .outputs = ball_output_specs,
  .validate = ball_validate,
  .measure_d = ball_measure_d,
  .measure_mpfr = ball_measure_mpfr,
  .prepare_d = ball_prepare_d,
  .prepare_mpfr = ball_prepare_mpfr,
  .release_d = ball_release_d,
  .release_mpfr = ball_release_mpfr,
};
