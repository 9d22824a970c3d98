/* saddle_pgd_source.h — the saddle-pgd measurement in the generic names of
 * tc_templates_on.h; saddle_pgd.c documents the algorithm and the rows. */

#include "quadratic_source.h"

/* f(x) and g = grad f(x) for the cosine-saddle function; s scratch. */
static void FUNCTION(saddle_pgd_eval)(REAL_PTR f, VEC *g, const VEC *x, const saddle_pgd_config *c,
                                      const double *a, REAL_PTR s)
{
  double A = c->gamma / (c->k * c->k), B = c->gamma / c->k;
  r_set_si(f, 0);
  for (size_t i = 0; i < x->n; i++) {
    REAL_PTR xi = vec_at(x, i);
    if (i < c->m) {
      r_mul_double(s, xi, c->k);
      if (g) {
        r_sin(vec_at(g, i), s);
        r_mul_double(vec_at(g, i), vec_at(g, i), -B);
      }
      /* cos(kx) = 1 - 2 sin^2(kx/2), avoiding an r_cos the op list lacks */
      r_mul_double(s, s, 0.5);
      r_sin(s, s);
      r_sqr(s, s);
      r_mul_double(s, s, -2.0 * A);
      r_add_double(s, s, A);
      r_add(f, f, s);
    } else {
      if (g)
        r_mul_double(vec_at(g, i), xi, a[i]);
      r_sqr(s, xi);
      r_mul_double(s, s, 0.5 * a[i]);
      r_add(f, f, s);
    }
  }
}

/* lambda_min of the (diagonal) Hessian: -gamma cos(k x_j), a_i. */
static void FUNCTION(saddle_pgd_lmin)(REAL_PTR lmin, const VEC *x, const saddle_pgd_config *c,
                                      const double *a, REAL_PTR s)
{
  r_set_double(lmin, INFINITY);
  for (size_t i = 0; i < x->n; i++) {
    if (i < c->m) {
      r_mul_double(s, vec_at(x, i), 0.5 * c->k);
      r_sin(s, s);
      r_sqr(s, s);
      r_mul_double(s, s, 2.0 * c->gamma);
      r_add_double(s, s, -c->gamma); /* -gamma cos(kx) = gamma (2 sin^2(kx/2) - 1) */
    } else {
      r_set_double(s, a[i]);
    }
    r_min(lmin, lmin, s);
  }
}

/* x <- x + xi, xi ~ Unif(B(0, r)) from the tape. */
static void FUNCTION(saddle_pgd_perturb)(VEC *x, double r, tc_tape *tape, REAL_PTR s)
{
  size_t d = x->n;
  double n2 = 0, gbuf[SADDLE_PGD_MAX_D];
  for (size_t i = 0; i < d; i++) {
    gbuf[i] = tc_tape_next(tape, 1);
    n2 += gbuf[i] * gbuf[i];
  }
  double u = tc_tape_next(tape, 2);
  /* the radius factor in double: instance data, the same in both backends */
  double scale = r * pow(u, 1.0 / (double)d) / sqrt(n2);
  for (size_t i = 0; i < d; i++) {
    r_set_double(s, gbuf[i] * scale);
    r_add(vec_at(x, i), vec_at(x, i), s);
  }
}

/* The run's workspace: the tape (the instance's, or drawn here when run
 * alone), the curvatures a of the quadratic coordinates, the iterate x, the
 * point xt where the last perturbation was taken, the gradient g, and
 * the outcome (t, returned, nperturb). */
typedef struct {
  tc_tape *own, *tape;
  gsl_rng *rng;
  double *a;
  VEC *x, *xt, *g;
  REAL f, ft, s, gn, lmin, eta;
  long t, nperturb;
  int returned;
} FUNCTION(saddle_pgd_ws);

#define SADDLE_PGD_REALS(w) {(w)->f, (w)->ft, (w)->s, (w)->gn, (w)->lmin, (w)->eta}

/* The scalars are initialised whatever fails, for saddle_pgd_ws_free. */
static int FUNCTION(saddle_pgd_ws_init)(FUNCTION(saddle_pgd_ws) *w, const tc_instance *inst,
                                        size_t d, mpfr_prec_t prec, char *err, size_t errlen)
{
  int status = TC_SUCCESS;
  w->own = NULL;
  w->tape = inst->tape;
  if (w->tape == NULL) {
    w->tape = w->own = tc_tape_alloc(inst->seed);
    if (w->tape == NULL || saddle_pgd_draw(w->tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  w->rng = tc_rng_alloc(inst->seed);
  w->a = malloc(d * sizeof *w->a);
  w->x = vec_alloc(d, prec);
  w->xt = vec_alloc(d, prec);
  w->g = vec_alloc(d, prec);
  REAL_PTR reals[] = SADDLE_PGD_REALS(w);
  for (size_t i = 0; i < 6; i++)
    r_init(reals[i], prec);
  if (status || !w->rng || !w->a || !w->x || !w->xt || !w->g)
    status = status ? status : TC_ENOMEM;
  return status;
}

static void FUNCTION(saddle_pgd_ws_free)(FUNCTION(saddle_pgd_ws) *w)
{
  REAL_PTR reals[] = SADDLE_PGD_REALS(w);
  for (size_t i = 0; i < 6; i++)
    r_clear(reals[i]);
  if (w->rng)
    gsl_rng_free(w->rng);
  free(w->a);
  if (w->x)
    vec_free(w->x);
  if (w->xt)
    vec_free(w->xt);
  if (w->g)
    vec_free(w->g);
  tc_tape_free(w->own);
}

/* PGD from x = 0 (Algorithm 2): step eta = c/l; perturb when the gradient
 * is small and no perturbation happened within t_thres steps; return x~
 * when t_thres steps after one the function has not dropped by f_thres. */
static int FUNCTION(saddle_pgd_run)(FUNCTION(saddle_pgd_ws) *w, const saddle_pgd_config *c,
                                    const saddle_pgd_plan *P)
{
  int status = TC_SUCCESS;
  long t, tnoise = -P->tth - 1;
  w->nperturb = 0;
  w->returned = 0;
  r_set_double(w->eta, c->c / P->l);
  r_neg(w->eta, w->eta);
  vec_set_zero(w->x);
  for (t = 0; t <= P->cap; t++) {
    FUNCTION(saddle_pgd_eval)(w->f, w->g, w->x, c, w->a, w->s);
    TC_TRY(vec_norm2(w->gn, w->g));
    if (r_get_double(w->gn) <= P->gth && t - tnoise > P->tth) {
      TC_TRY(vec_copy(w->xt, w->x));
      r_set(w->ft, w->f);
      tnoise = t;
      w->nperturb++;
      FUNCTION(saddle_pgd_perturb)(w->x, P->r, w->tape, w->s);
      FUNCTION(saddle_pgd_eval)(w->f, w->g, w->x, c, w->a, w->s);
    }
    if (t - tnoise == P->tth) {
      r_sub(w->s, w->f, w->ft);
      if (r_get_double(w->s) > -P->fth) {
        w->returned = 1;
        break;
      }
    }
    if (t < P->cap)
      TC_TRY(vec_axpy(w->x, w->eta, w->g));
  }
  TC_TRY(tc_tape_status(w->tape));
  w->t = t > P->cap ? P->cap : t;
done:
  return status;
}

/* The row: the output's gradient norm and lambda_min against eps and
 * -sqrt(rho eps), the iterations against the budget, and the constants. */
static int FUNCTION(saddle_pgd_row)(tc_record *out, const FUNCTION(saddle_pgd_ws) *w,
                                    const saddle_pgd_config *c, const saddle_pgd_plan *P,
                                    int sosp, double curv)
{
  int status;
  if ((status = tc_record_put_double(out, "iters", (double)w->t)) ||
      (status = tc_record_put_double(out, "returned", w->returned)) ||
      (status = tc_record_put_double(out, "sosp", sosp)) ||
      (status = record_put(out, "gnorm", w->gn)) || (status = record_put(out, "lmin", w->lmin)) ||
      (status = tc_record_put_double(out, "curv", curv)) ||
      (status = tc_record_put_double(out, "budget", P->budget)) ||
      (status = tc_record_put_double(out, "t_thres", (double)P->tth)) ||
      (status = tc_record_put_double(out, "chi", P->chi)) ||
      (status = tc_record_put_double(out, "nperturb", (double)w->nperturb)) ||
      (status = tc_record_put_double(out, "eps", c->eps)) ||
      (status = tc_record_put_double(out, "delta", c->delta)) ||
      (status = tc_record_put_double(out, "d", (double)c->d)) ||
      (status = tc_record_put_double(out, "l", P->l)) ||
      (status = tc_record_put_double(out, "rho", P->rho)) ||
      (status = tc_record_put_double(out, "Df", P->Df)) ||
      (status = tc_record_put_double(out, "eps_notes", P->l / P->rho)) ||
      (status = tc_record_put_double(out, "eps_paper", P->l * P->l / P->rho)))
    return status;
  return tc_record_end_row(out);
}

static int FUNCTION(saddle_pgd_measure)(tc_record *out, const tc_instance *inst, char *err,
                                        size_t errlen)
{
  saddle_pgd_config c;
  saddle_pgd_config_read(&c, inst->point);
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d;
  FUNCTION(saddle_pgd_ws) w;
  saddle_pgd_plan P;
  int status = FUNCTION(saddle_pgd_ws_init)(&w, inst, d, prec, err, errlen);
  if (status)
    goto done;
  /* the quadratic coordinates' curvatures: log-uniform in [amin, gamma], the last gamma */
  for (size_t i = 0; i < d; i++)
    w.a[i] = i < c.m          ? 0
             : i == d - 1     ? c.gamma
                              : c.amin * exp(log(c.gamma / c.amin) * gsl_rng_uniform(w.rng));
  saddle_pgd_plan_compute(&P, &c);
  TC_TRY(FUNCTION(saddle_pgd_run)(&w, &c, &P));
  VEC *xo = w.returned ? w.xt : w.x;
  FUNCTION(saddle_pgd_eval)(w.f, w.g, xo, &c, w.a, w.s);
  TC_TRY(vec_norm2(w.gn, w.g));
  FUNCTION(saddle_pgd_lmin)(w.lmin, xo, &c, w.a, w.s);
  double curv = sqrt(P.rho * c.eps);
  int sosp = r_get_double(w.gn) <= c.eps && r_get_double(w.lmin) >= -curv;
  status = FUNCTION(saddle_pgd_row)(out, &w, &c, &P, sosp, curv);
  if (status == TC_SUCCESS)
    tc_record_note(out, "PGD d=%zu m=%zu eps=%g delta=%g c=%g: l=%g rho=%g Df=%g chi=%.4g r=%.3g "
                   "g_thres=%.3g f_thres=%.3g t_thres=%ld; %s at t=%ld after %ld perturbations; "
                   "||grad||=%.3g lambda_min=%.4g (need >= %.4g); iters/budget=%.3g, "
                   "iters/t_thres=%.3g; eps vs l/rho=%g and l^2/rho=%g",
                   d, c.m, c.eps, c.delta, c.c, P.l, P.rho, P.Df, P.chi, P.r, P.gth, P.fth, P.tth,
                   w.returned ? "returned" : "capped", w.t, w.nperturb, r_get_double(w.gn),
                   r_get_double(w.lmin), -curv, (double)w.t / P.budget,
                   (double)w.t / (double)P.tth, P.l / P.rho, P.l * P.l / P.rho);
done:
  FUNCTION(saddle_pgd_ws_free)(&w);
  return status;
}

#undef SADDLE_PGD_REALS
