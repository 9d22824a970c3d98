/* escape_source.h — the escape-ball measurement in the generic names of
 * tc_templates_on.h; escape.c (which documents it) includes it per backend. */

#include "quadratic_source.h" /* tc_quad_prec for this backend */

typedef struct {
  REAL p_exact;
} FUNCTION(escape_shared);

static void FUNCTION(escape_release)(void *shared)
{
  FUNCTION(escape_shared) *sh = shared;
  r_clear(sh->p_exact);
  free(sh);
}

/* p_exact = P(|x_1| >= t) = 1 - I_{(t/r)^2}(1/2, (d+1)/2), (t/r)^2 =
 * delta^2/(4d).  validate keeps r < c, so the threshold t < c and the
 * event t_esc <= t_notes is exactly |x_1| >= t. */
static int FUNCTION(escape_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  escape_params ep;
  escape_params_read(&ep, inst->point);
  FUNCTION(escape_shared) *sh = malloc(sizeof *sh);
  if (sh == NULL)
    return TC_ENOMEM;
  mpfr_prec_t prec = inst->prec;
  r_init(sh->p_exact, prec);
  REAL a, b, z;
  r_init(a, prec);
  r_init(b, prec);
  r_init(z, prec);
  r_set_double(z, ep.delta);
  r_sqr(z, z);
  r_div_double(z, z, 4.0 * (double)ep.d);
  r_set_double(a, 0.5);
  r_set_double(b, ((double)ep.d + 1.0) / 2.0); /* exact: d < 2^52 */
  int status = r_beta_inc(sh->p_exact, a, b, z);
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "incomplete beta failed (d = %zu, delta = %g)", ep.d, ep.delta);
  r_set_si(a, 1);
  r_sub(sh->p_exact, a, sh->p_exact);
  r_clear(a);
  r_clear(b);
  r_clear(z);
  if (status != TC_SUCCESS) {
    FUNCTION(escape_release)(sh);
    return status;
  }
  *shared = sh;
  return TC_SUCCESS;
}

/* One x_0 ~ Unif(B(r)) from the tape: x = r u^(1/d) g / |g|; only x_1 and
 * |g| are needed.  Then the escape time from the closed form. */
static int FUNCTION(escape_row)(tc_record *out, const escape_params *ep, tc_tape *tape,
                                REAL_SRCPTR p_exact, mpfr_prec_t prec)
{
  REAL g, n2, x1, t, tn, th;
  REAL_PTR reals[] = {g, n2, x1, t, tn, th};
  for (size_t i = 0; i < 6; i++)
    r_init(reals[i], prec);
  for (size_t l = 0; l < ep->d; l++) {
    r_set_double(g, tc_tape_next(tape, ESCAPE_STREAM_DIR));
    if (l == 0)
      r_set(x1, g);
    r_fma(n2, g, g, n2);
  }
  r_sqrt(n2, n2);
  r_div(x1, x1, n2);
  r_set_double(t, tc_tape_next(tape, ESCAPE_STREAM_RADIUS));
  r_set_si(g, 1);
  r_div_double(g, g, (double)ep->d);
  r_pow(t, t, g);
  r_mul(x1, x1, t);
  r_mul_double(x1, x1, ep->r);
  r_abs(x1, x1); /* |x_{1,0}| */
  /* t_esc = max(0, ln(c/|x_10|)) / (2 lam) */
  r_set_double(t, ep->c);
  r_div(t, t, x1);
  r_log(t, t);
  r_set_si(g, 0);
  r_max(t, t, g);
  r_div_double(t, t, 2.0 * ep->lam);
  /* threshold = r delta / (2 sqrt d), t_notes = ln(c / threshold)/(2 lam) */
  r_set_double(th, (double)ep->d);
  r_sqrt(th, th);
  r_set_double(g, ep->r * ep->delta);
  r_div(th, g, th);
  r_div_double(th, th, 2.0);
  r_set_double(tn, ep->c);
  r_div(tn, tn, th);
  r_log(tn, tn);
  r_div_double(tn, tn, 2.0 * ep->lam);
  int status = tc_tape_status(tape);
  if (status == TC_SUCCESS)
    (void)((status = record_put(out, "t_esc", t)) || (status = record_put(out, "t_notes", tn)) ||
       (status = record_put(out, "x10", x1)) || (status = record_put(out, "threshold", th)) ||
       (status = record_put(out, "p_exact", p_exact)) ||
       (status = tc_record_put_double(out, "d", (double)ep->d)) ||
       (status = tc_record_put_double(out, "r", ep->r)) ||
       (status = tc_record_put_double(out, "delta", ep->delta)) ||
       (status = tc_record_put_double(out, "lam", ep->lam)) ||
       (status = tc_record_put_double(out, "c", ep->c)));
  if (status == TC_SUCCESS)
    status = tc_record_end_row(out);
  for (size_t i = 0; i < 6; i++)
    r_clear(reals[i]);
  return status;
}

static int FUNCTION(escape_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  escape_params ep;
  escape_params_read(&ep, inst->point);
  /* Called without the engine (tests): prepare and draw here. */
  void *own = NULL;
  tc_tape *own_tape = NULL, *tape = inst->tape;
  const FUNCTION(escape_shared) *sh = inst->prepared;
  int status = TC_SUCCESS;
  if (sh == NULL && (status = FUNCTION(escape_prepare)(&own, inst, err, errlen)) == TC_SUCCESS)
    sh = own;
  if (status == TC_SUCCESS && tape == NULL) {
    tape = own_tape = tc_tape_alloc(inst->seed);
    status = tape ? escape_draw(tape, inst, err, errlen) : TC_ENOMEM;
  }
  if (status == TC_SUCCESS)
    status = FUNCTION(escape_row)(out, &ep, tape, sh->p_exact, FUNCTION(tc_quad_prec)(inst));
  tc_tape_free(own_tape);
  if (own)
    FUNCTION(escape_release)(own);
  return status;
}
