/* gflow_source.h — the gflow measurement, written once in the generic
 * names of the operation list (src/num/tc_templates_on.h) and
 * instantiated once per backend by gflow.c (which documents the
 * families, the closed forms, the integrator and the rows). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

typedef struct {
  REAL gap0, dist0, Cu, Cs;
} FUNCTION(gflow_consts);

static int FUNCTION(gflow_row)(tc_record *out, double t, REAL_SRCPTR gap, REAL_SRCPTR gradmin,
                               REAL_SRCPTR gerr, REAL_SRCPTR derr,
                               const FUNCTION(gflow_consts) *k)
{
  int status;
  if ((status = tc_record_put_double(out, "t", t)) || (status = record_put(out, "gap", gap)) ||
      (status = record_put(out, "gap0", k->gap0)) || (status = record_put(out, "gradmin", gradmin)) ||
      (status = record_put(out, "dist0", k->dist0)) || (status = record_put(out, "C_unsq", k->Cu)) ||
      (status = record_put(out, "C_sq", k->Cs)) || (status = record_put(out, "gap_err", gerr)) ||
      (status = record_put(out, "grad_err", derr)))
    return status;
  return tc_record_end_row(out);
}

/* The quadratics, in closed form.  Rounding: exp(-a t) of a rounded
 * argument a t is off by about (a t + 2) u relative, so the gap and the
 * gradient norm by (2 a t + 8) u (d + 1) relative at most. */
static int FUNCTION(gflow_quadratic)(tc_record *out, const gflow_config *c, gsl_rng *rng,
                                     FUNCTION(gflow_consts) *k, mpfr_prec_t prec)
{
  size_t d = c->d, nz = c->family == GF_SINGULAR ? tc_quad_nzero(d, rng) : 0;
  double *a = malloc(d * sizeof *a), *e0 = malloc(d * sizeof *e0);
  int status = a && e0 ? TC_SUCCESS : TC_ENOMEM;
  REAL e, gap, g2, u, rel, tmp;
  REAL_PTR reals[] = {e, gap, g2, u, rel, tmp};
  for (size_t i = 0; i < 6; i++)
    r_init(reals[i], prec);
  if (status != TC_SUCCESS)
    goto done;
  tc_quad_spectrum(a, d, nz, c->kappa, rng);
  for (size_t j = 0; j < d; j++) {
    e0[j] = gsl_ran_gaussian(rng, 1.0);
    if (c->start == GF_START_SLOW && j >= nz)
      e0[j] = j == nz ? 1.0 : 0.0; /* the slowest positive direction; null part kept */
  }
  r_set_si(k->dist0, 0);
  for (size_t j = nz; j < d; j++)
    r_add_double(k->dist0, k->dist0, e0[j] * e0[j]); /* exact enough: e0 is instance data */
  r_sqrt(k->dist0, k->dist0);
  r_set_si(k->Cu, 0);
  r_set_double(k->Cs, 2.0 * a[nz]);
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  for (long i = 0; i <= c->times && status == TC_SUCCESS; i++) {
    double t = c->T * (double)i / (double)c->times;
    r_set_si(gap, 0);
    r_set_si(g2, 0);
    for (size_t j = nz; j < d; j++) {
      r_set_double(e, -a[j]);
      r_mul_double(e, e, t);
      r_exp(e, e);
      r_mul_double(e, e, e0[j]);
      r_sqr(e, e);
      r_mul_double(tmp, e, a[j]);
      r_add(gap, gap, tmp);
      r_mul_double(tmp, tmp, a[j]);
      r_add(g2, g2, tmp);
    }
    r_mul_double(gap, gap, 0.5);
    r_sqrt(g2, g2); /* ||grad R|| is nonincreasing: the min over [0, t] */
    if (i == 0) {
      r_set(k->gap0, gap);
      continue;
    }
    r_mul_double(rel, u, (2.0 * t + 8.0) * (double)(d + 1));
    r_mul(tmp, rel, gap);
    r_mul(rel, rel, g2);
    status = FUNCTION(gflow_row)(out, t, gap, g2, tmp, rel, k);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "%s d=%zu: a in [%.6g, %.6g], %zu zero eigenvalues; C_sq = 2 min a+ = %.6g, "
                   "C_unsq = 0 (||grad R|| / R -> 0 as ||theta|| -> inf); gap0=%.6g dist0=%.6g; "
                   "closed-form flow e^{-a t} e_0", gflow_families[c->family], d, a[nz], a[d - 1],
                   nz, 2 * a[nz], r_get_double(k->gap0), r_get_double(k->dist0));
done:
  for (size_t i = 0; i < 6; i++)
    r_clear(reals[i]);
  free(a);
  free(e0);
  return status;
}

/* theta_t for quartic-exp from theta_0 >= 0 (closed form, see gflow.c),
 * then gap = R(theta_t) and grad = |R'(theta_t)|. */
static void FUNCTION(gflow_quartic_at)(REAL_PTR gap, REAL_PTR grad, double th0, double t,
                                       REAL_PTR th, REAL_PTR tmp)
{
  if (th0 > 1) {
    r_set_double(tmp, -4.0 * (th0 - 1.0));
    r_exp(tmp, tmp); /* e^{-4(theta_0 - 1)} */
    r_set_si(th, 1);
    r_sub(th, th, tmp);
    r_div_double(th, th, 16.0); /* t_1 */
    if (r_get_double(th) > t) { /* still in the exponential part */
      r_add_double(tmp, tmp, 16.0 * t);
      r_log(tmp, tmp);
      r_div_double(tmp, tmp, -4.0);
      r_add_double(th, tmp, 1.0);
      r_set(gap, tmp);
      r_mul_double(gap, gap, 4.0);
      r_exp(gap, gap);
      r_mul_double(grad, gap, 4.0);
      return;
    }
    r_neg(th, th);
    r_add_double(th, th, t); /* t - t_1, from theta = 1 */
    r_mul_double(th, th, 8.0);
    r_add_double(th, th, 1.0);
  } else {
    r_set_double(th, th0);
    r_sqr(th, th);
    r_set_si(tmp, 1);
    r_div(th, tmp, th); /* theta_0^{-2} */
    r_add_double(th, th, 8.0 * t);
  }
  r_sqrt(th, th);
  r_set_si(tmp, 1);
  r_div(th, tmp, th);
  r_pow_si(gap, th, 4);
  r_pow_si(grad, th, 3);
  r_mul_double(grad, grad, 4.0);
}

static int FUNCTION(gflow_quartic)(tc_record *out, const gflow_config *c,
                                   FUNCTION(gflow_consts) *k, mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  REAL gap, grad, th, tmp, u, e1, e2;
  REAL_PTR reals[] = {gap, grad, th, tmp, u, e1, e2};
  for (size_t i = 0; i < 7; i++)
    r_init(reals[i], prec);
  double th0 = c->theta0 > 0 ? c->theta0 : 1.0;
  r_set_double(k->dist0, th0);
  r_set_si(k->Cu, 4);
  r_set_si(k->Cs, 0);
  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  for (long i = 0; i <= c->times && status == TC_SUCCESS; i++) {
    double t = c->T * (double)i / (double)c->times;
    FUNCTION(gflow_quartic_at)(gap, grad, th0, t, th, tmp);
    if (i == 0) {
      r_set(k->gap0, gap);
      continue;
    }
    r_mul_double(e1, u, 64.0 * (1.0 + th0));
    r_mul(e2, e1, grad);
    r_mul(e1, e1, gap);
    status = FUNCTION(gflow_row)(out, t, gap, grad, e1, e2, k);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "quartic-exp from theta_0=%g: C_unsq = 4 (||R'|| >= 4 R, equality on "
                   "|theta| >= 1), C_sq = 0; closed-form flow, R(theta_T)=%.6g vs e^{-4T} R0=%.6g",
                   th0, r_get_double(gap), exp(-4 * c->T) * r_get_double(k->gap0));
  for (size_t i = 0; i < 7; i++)
    r_clear(reals[i]);
  return status;
}

/* F(x) = -h'(x) = -(2x + 3 sin 2x). */
static void FUNCTION(gflow_ncv_F)(REAL_PTR f, REAL_SRCPTR x, REAL_PTR tmp)
{
  r_add(f, x, x);
  r_sin(tmp, f);
  r_mul_double(tmp, tmp, 3.0);
  r_add(f, f, tmp);
  r_neg(f, f);
}

/* The adaptive integrator's view of x' = F(x) (tc_ode.h): a 1-vector;
 * tmp is scratch. */
typedef struct {
  REAL_PTR tmp, gap, grad, gmin, rnd, u;
} FUNCTION(gflow_ncv_ctx);

static int FUNCTION(gflow_ncv_vf)(VEC *dxdt, const VEC *x, void *params)
{
  FUNCTION(gflow_ncv_ctx) *cx = params;
  FUNCTION(gflow_ncv_F)(vec_at(dxdt, 0), vec_at(x, 0), cx->tmp);
  return TC_SUCCESS;
}

/* gap = h(x) = x^2 + 3 sin^2 x and grad = |h'(x)|. */
static void FUNCTION(gflow_ncv_eval)(REAL_PTR gap, REAL_PTR grad, REAL_SRCPTR x, REAL_PTR tmp)
{
  r_sin(tmp, x);
  r_sqr(tmp, tmp);
  r_mul_double(tmp, tmp, 3.0);
  r_fma(gap, x, x, tmp);
  FUNCTION(gflow_ncv_F)(grad, x, tmp);
  r_abs(grad, grad);
}

/* After every accepted step of the fine run: gmin = min |h'| over the
 * nodes, and the rounding allowance 4 u |x| per step. */
static int FUNCTION(gflow_ncv_node)(const void *xv, void *ctx)
{
  const VEC *x = xv;
  FUNCTION(gflow_ncv_ctx) *cx = ctx;
  FUNCTION(gflow_ncv_eval)(cx->gap, cx->grad, vec_at(x, 0), cx->tmp);
  r_min(cx->gmin, cx->gmin, cx->grad);
  r_abs(cx->tmp, vec_at(x, 0));
  r_fma(cx->rnd, cx->tmp, cx->u, cx->rnd);
  return TC_SUCCESS;
}

/* The state of one nonconvex run, shared by its phases: the fine and the
 * coarse integration (xf, xc; step sizes hf, hc; summed local error
 * estimates lerr, cerr; accepted steps nf, nc), their integrator
 * contexts, the rk8pd solution xs (double backend only, else NULL), the
 * row interval Tr and the error statistics of gflow_ncv's comment
 * (ex = err_x, exmax, rnd = sum |x| over the fine run's nodes). */
typedef struct {
  VEC *xf, *xc;
  ODE_WS *w;
  double *xs;
  FUNCTION(gflow_ncv_ctx) cx, cc;
  long nf, nc;
  REAL hf, hc, tmp, gap, grad, gmin, u, ex, exmax, rnd, e1, e2, Tr, lerr, cerr;
} FUNCTION(gflow_ncv_run);

/* r_init (init != 0) or r_clear every scalar of s: one list for both. */
static void FUNCTION(gflow_ncv_scalars)(FUNCTION(gflow_ncv_run) *s, mpfr_prec_t prec, int init)
{
  REAL_PTR all[] = {s->hf, s->hc, s->tmp, s->gap, s->grad, s->gmin, s->u, s->ex,
                    s->exmax, s->rnd, s->e1, s->e2, s->Tr, s->lerr, s->cerr};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    if (init)
      r_init(all[i], prec);
    else
      r_clear(all[i]);
  }
}

/* The fine run's nodes feed gmin and rnd; the coarse run's node
 * statistics are not used, so its context points them at e1, e2 (scratch
 * until the row's errors are computed). */
static int FUNCTION(gflow_ncv_alloc)(FUNCTION(gflow_ncv_run) *s, mpfr_prec_t prec)
{
  FUNCTION(gflow_ncv_scalars)(s, prec, 1);
  s->xf = vec_alloc(1, prec);
  s->xc = vec_alloc(1, prec);
  s->w = ode_ws_alloc(1, prec);
  s->xs = NULL;
  s->nf = s->nc = 0;
  s->cx = (FUNCTION(gflow_ncv_ctx)){s->tmp, s->gap, s->grad, s->gmin, s->rnd, s->u};
  s->cc = s->cx;
  s->cc.gmin = s->e1;
  s->cc.rnd = s->e2;
  return s->xf && s->xc && s->w ? TC_SUCCESS : TC_ENOMEM;
}

static void FUNCTION(gflow_ncv_free)(FUNCTION(gflow_ncv_run) *s, mpfr_prec_t prec)
{
  free(s->xs);
  vec_free(s->xf);
  vec_free(s->xc);
  ode_ws_free(s->w);
  FUNCTION(gflow_ncv_scalars)(s, prec, 0);
}

#if defined(TC_BASE_DOUBLE)
/* Double backend only: the independent rk8pd solution at every row
 * time, whose distance to the fine run is a floor for err_x. */
static int FUNCTION(gflow_ncv_cross)(FUNCTION(gflow_ncv_run) *s, double x0, double dt, long times,
                                     char *err, size_t errlen)
{
  int status = TC_SUCCESS;
  s->xs = malloc((size_t)times * sizeof *s->xs);
  if (s->xs == NULL || (status = gflow_ncv_rk8pd(x0, dt, times, s->xs)) != TC_SUCCESS) {
    snprintf(err, errlen, "nonconvex-pl: the rk8pd cross-check failed");
    status = status ? status : TC_ENOMEM;
  }
  return status;
}
#endif

/* Both runs over one row interval Tr (row i), each carried on from the
 * previous row with its own step size. */
static int FUNCTION(gflow_ncv_advance)(FUNCTION(gflow_ncv_run) *s, long i, mpfr_prec_t prec,
                                       char *err, size_t errlen)
{
  int status;
  if ((status = ode_rk4_adapt(s->xf, s->Tr, FUNCTION(gflow_ncv_vf), &s->cx, GF_ATOL, GF_TOL, s->hf,
                              s->lerr, &s->nf, GF_MAX_STEPS, FUNCTION(gflow_ncv_node), &s->cx, s->w,
                              prec)) ||
      (status = ode_rk4_adapt(s->xc, s->Tr, FUNCTION(gflow_ncv_vf), &s->cc, 32 * GF_ATOL,
                              32 * GF_TOL, s->hc, s->cerr, &s->nc, GF_MAX_STEPS, NULL, NULL, s->w,
                              prec)))
    snprintf(err, errlen, "nonconvex-pl: the adaptive RK4 failed at row %ld: %s", i,
             tc_strerror(status));
  return status;
}

/* Row i's gap and grad at the fine run's x, and their errors (see
 * gflow_ncv): e1 = gap_err, e2 = grad_err. */
static void FUNCTION(gflow_ncv_errors)(FUNCTION(gflow_ncv_run) *s, long i)
{
  FUNCTION(gflow_ncv_eval)(s->gap, s->grad, vec_at(s->xf, 0), s->tmp);
  r_sub(s->ex, vec_at(s->xf, 0), vec_at(s->xc, 0));
  r_abs(s->ex, s->ex);
  r_add(s->ex, s->ex, s->lerr);
  r_mul_double(s->tmp, s->rnd, 4.0);
  r_add(s->ex, s->ex, s->tmp);
  if (s->xs) { /* at least the distance to the independent rk8pd solution */
    r_set_double(s->tmp, s->xs[i - 1]);
    r_sub(s->tmp, s->tmp, vec_at(s->xf, 0));
    r_abs(s->tmp, s->tmp);
    r_max(s->ex, s->ex, s->tmp);
  }
  r_max(s->exmax, s->exmax, s->ex);
  r_mul(s->e1, s->grad, s->ex);
  r_sqr(s->tmp, s->ex);
  r_mul_double(s->tmp, s->tmp, 4.0);
  r_add(s->e1, s->e1, s->tmp);
  r_mul(s->tmp, s->u, s->gap);
  r_mul_double(s->tmp, s->tmp, 8.0);
  r_add(s->e1, s->e1, s->tmp);
  r_mul_double(s->e2, s->exmax, 8.0);
  r_mul(s->tmp, s->u, s->gmin);
  r_mul_double(s->tmp, s->tmp, 8.0);
  r_add(s->e2, s->e2, s->tmp);
}

/* x^2 + 3 sin^2 x by RK4 with step-doubling error control
 * (tc_ode_rk4_adapt), twice: a fine run (relative tolerance GF_TOL per
 * step) and a coarse one (32 GF_TOL), each carried from row to row.  The
 * error of x in the fine run is estimated by err_x = |x_fine - x_coarse|
 * (the coarse run's global error, about 32 times the fine one's, so a
 * generous estimate) + the fine run's summed local estimates + rounding
 * 4 u |x| per step; gap_err = |h'| err + 4 err^2 + 8 u gap (h'' <= 8),
 * grad_err = 8 * the largest err so far + 8 u gradmin (gradmin is a
 * minimum over the fine run's nodes). */
static int FUNCTION(gflow_ncv)(tc_record *out, const gflow_config *c, gsl_rng *rng,
                               FUNCTION(gflow_consts) *k, mpfr_prec_t prec, char *err,
                               size_t errlen)
{
  FUNCTION(gflow_ncv_run) s;
  int status = FUNCTION(gflow_ncv_alloc)(&s, prec);
  double xmin, mu1 = gflow_ncv_mu1(&xmin);
  double x0 = c->start == GF_START_SLOW ? xmin : gsl_ran_flat(rng, -5.0, 5.0);
  if (c->start == GF_START_SLOW && gsl_rng_uniform(rng) < 0.5)
    x0 = -x0;
  double dt = c->T / (double)c->times;
  if (status == TC_SUCCESS) {
    r_set_double(vec_at(s.xf, 0), x0);
    r_set_double(vec_at(s.xc, 0), x0);
    r_set_double(k->dist0, fabs(x0));
    r_set_si(k->Cu, 0);
    r_set_double(k->Cs, 2.0 * mu1);
    FUNCTION(tc_quad_unit_roundoff)(s.u, prec);
    r_set_double(s.Tr, dt);
    r_set_double(s.hf, GF_RK4_H);
    r_set_double(s.hc, GF_RK4_H);
    FUNCTION(gflow_ncv_eval)(k->gap0, s.gmin, vec_at(s.xf, 0), s.tmp);
#if defined(TC_BASE_DOUBLE)
    status = FUNCTION(gflow_ncv_cross)(&s, x0, dt, c->times, err, errlen);
#endif
    r_set_si(s.exmax, 0);
    r_set_si(s.rnd, 0);
    r_set_si(s.lerr, 0);
    r_set_si(s.cerr, 0);
  }
  for (long i = 1; i <= c->times && status == TC_SUCCESS; i++) {
    if ((status = FUNCTION(gflow_ncv_advance)(&s, i, prec, err, errlen)))
      break;
    FUNCTION(gflow_ncv_errors)(&s, i);
    status = FUNCTION(gflow_row)(out, dt * (double)i, s.gap, s.gmin, s.e1, s.e2, k);
  }
  if (status == TC_SUCCESS)
    tc_record_note(out, "nonconvex-pl x0=%.10g: mu_1=%.10g at x=%.10g (grid+golden), C_sq=2 mu_1, "
                   "C_unsq=0; adaptive RK4 (step doubling, rtol %.3g and %.3g per step): %ld and "
                   "%ld steps, largest error estimate of x (tolerance pair; in double also "
                   "|RK4 - rk8pd|): %.3g; gap_T=%.6g", x0, mu1, xmin, GF_TOL, 32 * GF_TOL, s.nf,
                   s.nc, r_get_double(s.exmax), r_get_double(s.gap));
  FUNCTION(gflow_ncv_free)(&s, prec);
  return status;
}

static int FUNCTION(gflow_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  gflow_config c;
  int status = gflow_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  if (rng == NULL)
    return TC_ENOMEM;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  FUNCTION(gflow_consts) k;
  r_init(k.gap0, prec);
  r_init(k.dist0, prec);
  r_init(k.Cu, prec);
  r_init(k.Cs, prec);
  if (c.family == GF_QUARTIC_EXP)
    status = FUNCTION(gflow_quartic)(out, &c, &k, prec);
  else if (c.family == GF_NONCONVEX)
    status = FUNCTION(gflow_ncv)(out, &c, rng, &k, prec, err, errlen);
  else
    status = FUNCTION(gflow_quadratic)(out, &c, rng, &k, prec);
  r_clear(k.gap0);
  r_clear(k.dist0);
  r_clear(k.Cu);
  r_clear(k.Cs);
  gsl_rng_free(rng);
  return status;
}
