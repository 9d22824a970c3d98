/* ball_source.h — the ball-uniform measurement written once in the generic
 * names of tc_templates_on.h; checks/ball.c includes it once per backend.
 *
 * Lecture 000 §2.4, Lemma (anti-concentration of ball volume): for
 * x ~ Unif(B(r)) in R^d and every delta in (0,1),
 * P(|x_i| >= r delta / (2 sqrt d)) >= 1 - delta.
 *
 * One instance is one draw of x.  The draw is made in double by the
 * caller (ball_draw in ball.c) so both backends see the same x; this file
 * turns it into the row in the backend's arithmetic. */

/* p_exact = P(|x_i| >= threshold), the same for every instance of a
 * point: made once per point and precision by ball_prepare.  The marginal
 * density of x_i/r is proportional to (1 - s^2)^((d-1)/2) on [-1, 1] (the
 * (d-1)-ball slice at height s), so v = (x_i/r)^2 has density
 * proportional to v^(-1/2) (1 - v)^((d-1)/2): v ~ Beta(1/2, (d+1)/2), and
 * P(|x_i| >= t) = 1 - I_{(t/r)^2}(1/2, (d+1)/2) with
 * (t/r)^2 = delta^2 / (4 d). */
static int FUNCTION(ball_p_exact)(REAL_PTR p, const ball_params *bp, mpfr_prec_t prec, char *err,
                                  size_t errlen)
{
  REAL a, b, z, t;
  r_init(a, prec);
  r_init(b, prec);
  r_init(z, prec);
  r_init(t, prec);
  r_set_double(z, bp->delta);
  r_sqr(z, z);
  r_div_double(z, z, 4.0 * (double)bp->d); /* 4d is an exact double for d < 2^51 */
  r_set_double(a, 0.5);
  r_set_double(b, (double)bp->d);
  r_add_double(b, b, 1.0);
  r_div_double(b, b, 2.0);
  int status = r_beta_inc(p, a, b, z);
  if (status != TC_SUCCESS) {
    snprintf(err, errlen, "incomplete beta I_%g(1/2, %g) failed", bp->delta * bp->delta / (4.0 * (double)bp->d),
             ((double)bp->d + 1.0) / 2.0);
  } else {
    r_set_double(t, 1.0);
    r_sub(p, t, p);
  }
  r_clear(a);
  r_clear(b);
  r_clear(z);
  r_clear(t);
  return status;
}

/* What every instance of a point shares: its parameters (read once, not
 * by name per instance), the threshold r delta / (2 sqrt d) and p_exact. */
typedef struct {
  ball_params bp;
  REAL threshold;
  REAL p_exact;
} FUNCTION(ball_shared);

static void FUNCTION(ball_release)(void *shared)
{
  FUNCTION(ball_shared) *sh = shared;
  r_clear(sh->p_exact);
  r_clear(sh->threshold);
  free(sh);
}

static int FUNCTION(ball_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  ball_params bp;
  int status = ball_params_read(&bp, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  FUNCTION(ball_shared) *sh = malloc(sizeof *sh);
  if (sh == NULL)
    return TC_ENOMEM;
  sh->bp = bp;
  r_init(sh->p_exact, inst->prec);
  r_init(sh->threshold, inst->prec);
  /* threshold = r delta / (2 sqrt d), in this order (the rounding the
   * rows always had) */
  REAL t;
  r_init(t, inst->prec);
  r_set_double(t, (double)bp.d);
  r_sqrt(t, t);
  r_set_double(sh->threshold, bp.r);
  r_mul_double(sh->threshold, sh->threshold, bp.delta);
  r_div(sh->threshold, sh->threshold, t);
  r_div_double(sh->threshold, sh->threshold, 2.0);
  r_clear(t);
  if ((status = FUNCTION(ball_p_exact)(sh->p_exact, &bp, inst->prec, err, errlen)) != TC_SUCCESS) {
    FUNCTION(ball_release)(sh);
    return status;
  }
  *shared = sh;
  return TC_SUCCESS;
}

/* Fill one row for the draw (g, u): g is a standard Gaussian vector of
 * length d, u is uniform on (0,1).  x = r u^(1/d) g/|g| is uniform in
 * B(r): the direction g/|g| is uniform on the sphere and the radius
 * R = r u^(1/d) has P(R <= s) = (s/r)^d, the volume fraction of B(s). */
static int FUNCTION(ball_row)(tc_record *out, const FUNCTION(ball_shared) *sh, const double *g,
                              double u, mpfr_prec_t prec)
{
  const ball_params *bp = &sh->bp;
  REAL gi, norm2, radius, t, xi;
  r_init(gi, prec);
  r_init(norm2, prec);
  r_init(radius, prec);
  r_init(t, prec);
  r_init(xi, prec);
  int status = TC_SUCCESS;

  /* |g|^2, accumulated in the backend from the exact doubles. */
  for (size_t l = 0; l < bp->d; l++) {
    r_set_double(gi, g[l]);
    r_fma(norm2, gi, gi, norm2);
  }
  /* radius = r u^(1/d) */
  r_set_double(t, 1.0);
  r_div_double(t, t, (double)bp->d);
  r_set_double(radius, u);
  r_pow(radius, radius, t);
  r_mul_double(radius, radius, bp->r);

  /* x = s g with s = radius / |g|; |x| is recomputed from the rounded
   * coordinates so a test of |x| <= r sees what the backend produced. */
  r_sqrt(t, norm2);
  r_div(radius, radius, t);
  r_set_si(norm2, 0);
  for (size_t l = 0; l < bp->d; l++) {
    r_set_double(gi, g[l]);
    r_mul(gi, gi, radius);
    if (l == bp->coord - 1)
      r_abs(xi, gi);
    r_fma(norm2, gi, gi, norm2);
  }
  r_sqrt(t, norm2);
  if ((status = record_put(out, "absxi", xi)) || (status = record_put(out, "xnorm", t)))
    goto done;

  if ((status = record_put(out, "threshold", sh->threshold)))
    goto done;

  if ((status = record_put(out, "p_exact", sh->p_exact)))
    goto done;

  if ((status = tc_record_put_double(out, "d", (double)bp->d)) ||
      (status = tc_record_put_double(out, "r", bp->r)) ||
      (status = tc_record_put_double(out, "delta", bp->delta)))
    goto done;
  status = tc_record_end_row(out);

done:
  r_clear(gi);
  r_clear(norm2);
  r_clear(radius);
  r_clear(t);
  r_clear(xi);
  return status;
}

static int FUNCTION(ball_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  /* The point's parameters and constants come prepared by the engine;
   * called without it (tests), prepare the point here. */
  void *own = NULL;
  const FUNCTION(ball_shared) *sh = inst->prepared;
  int status = TC_SUCCESS;
  if (sh == NULL) {
    if ((status = FUNCTION(ball_prepare)(&own, inst, err, errlen)) != TC_SUCCESS)
      return status;
    sh = own;
  }
  size_t d = sh->bp.d;
  /* The draw's buffer and generator on the stack when they fit (the
   * dimensions of the catalog): an instance costs its d Gaussians, not
   * two heap allocations (ball_rng in ball.c). */
  double gbuf[BALL_STACK_DIM];
  double *g = d <= BALL_STACK_DIM ? gbuf : malloc(d * sizeof *g);
  ball_rng br;
  gsl_rng *rng = ball_rng_open(&br, inst->seed);
  if (g == NULL || rng == NULL) {
    snprintf(err, errlen, "out of memory (d = %zu)", d);
    status = TC_ENOMEM;
  } else {
    double u = ball_draw(g, d, rng);
    status = FUNCTION(ball_row)(out, sh, g, u, inst->prec);
  }
  if (own)
    FUNCTION(ball_release)(own);
  if (g != gbuf)
    free(g);
  if (rng != NULL)
    ball_rng_close(&br, rng);
  return status;
}
