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

static int ball_validate(const tc_point *p, char *err, size_t errlen)
{
  ball_params bp;
  return ball_params_read(&bp, p, err, errlen);
}

#define TC_TEMPLATE "ball_source.h"
#include "num/tc_instantiate.h"

static const char *const ball_params_list[] = {"d", "r", "delta", "coord", NULL};
static const char *const ball_outputs[] = {"absxi", "xnorm", "threshold", "p_exact", "d", "r", "delta", NULL};

const tc_check tc_check_ball_uniform = {
  .name = "ball-uniform",
  .summary = "x ~ Unif(B(r)) in R^d: |x_i| against r delta/(2 sqrt d), with the exact P(|x_i| >= t)",
  .params = ball_params_list,
  .outputs = ball_outputs,
  .validate = ball_validate,
  .measure_d = ball_measure_d,
  .measure_mpfr = ball_measure_mpfr,
};
