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

static int FUNCTION(saddle_pgd_measure)(tc_record *out, const tc_instance *inst, char *err,
                                        size_t errlen)
{
  saddle_pgd_config c;
  saddle_pgd_config_read(&c, inst->point);
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  size_t d = c.d;
  int status = TC_SUCCESS;
  tc_tape *own = NULL, *tape = inst->tape;
  if (tape == NULL) {
    tape = own = tc_tape_alloc(inst->seed);
    if (tape == NULL || saddle_pgd_draw(tape, inst, err, errlen))
      status = TC_ENOMEM;
  }
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  double *a = malloc(d * sizeof *a);
  VEC *x = vec_alloc(d, prec), *xt = vec_alloc(d, prec), *g = vec_alloc(d, prec);
  REAL f, ft, s, gn, lmin, eta;
  REAL_PTR reals[] = {f, ft, s, gn, lmin, eta};
  for (size_t i = 0; i < 6; i++)
    r_init(reals[i], prec);
  if (status || !rng || !a || !x || !xt || !g) {
    status = status ? status : TC_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < d; i++)
    a[i] = i < c.m ? 0 : i == d - 1 ? c.gamma : c.amin * exp(log(c.gamma / c.amin) * gsl_rng_uniform(rng));
  /* the constants the paper sets (Algorithm 2), from l, rho, eps, c, delta, Df */
  double l = c.gamma, rho = c.gamma * c.k, Df = 2.0 * (double)c.m * c.gamma / (c.k * c.k);
  double chi = 3 * fmax(log((double)d * l * Df / (c.c * c.eps * c.eps * c.delta)), 4.0);
  double r = sqrt(c.c) / (chi * chi) * c.eps / l, gth = sqrt(c.c) / (chi * chi) * c.eps;
  double fth = c.c / (chi * chi * chi) * sqrt(c.eps * c.eps * c.eps / rho);
  long tth = (long)ceil(chi / (c.c * c.c) * l / sqrt(rho * c.eps));
  double lg = log((double)d * l * Df / (c.eps * c.eps * c.delta));
  double budget = l * Df / (c.eps * c.eps) * pow(fmax(lg, 1.0), 4);
  double capd = fmin(c.cap_factor * budget, SADDLE_PGD_HARD_CAP);
  long cap = (long)ceil(capd), t = 0, tnoise = -tth - 1, nperturb = 0;
  int returned = 0;
  r_set_double(eta, c.c / l);
  r_neg(eta, eta);
  vec_set_zero(x);
  for (t = 0; t <= cap; t++) {
    FUNCTION(saddle_pgd_eval)(f, g, x, &c, a, s);
    TC_TRY(vec_norm2(gn, g));
    if (r_get_double(gn) <= gth && t - tnoise > tth) {
      TC_TRY(vec_copy(xt, x));
      r_set(ft, f);
      tnoise = t;
      nperturb++;
      FUNCTION(saddle_pgd_perturb)(x, r, tape, s);
      FUNCTION(saddle_pgd_eval)(f, g, x, &c, a, s);
    }
    if (t - tnoise == tth) {
      r_sub(s, f, ft);
      if (r_get_double(s) > -fth) {
        returned = 1;
        break;
      }
    }
    if (t < cap)
      TC_TRY(vec_axpy(x, eta, g));
  }
  TC_TRY(tc_tape_status(tape));
  if (t > cap)
    t = cap;
  VEC *xo = returned ? xt : x;
  FUNCTION(saddle_pgd_eval)(f, g, xo, &c, a, s);
  TC_TRY(vec_norm2(gn, g));
  FUNCTION(saddle_pgd_lmin)(lmin, xo, &c, a, s);
  double curv = sqrt(rho * c.eps);
  int sosp = r_get_double(gn) <= c.eps && r_get_double(lmin) >= -curv;
  if ((status = tc_record_put_double(out, "iters", (double)t)) ||
      (status = tc_record_put_double(out, "returned", returned)) ||
      (status = tc_record_put_double(out, "sosp", sosp)) || (status = record_put(out, "gnorm", gn)) ||
      (status = record_put(out, "lmin", lmin)) || (status = tc_record_put_double(out, "curv", curv)) ||
      (status = tc_record_put_double(out, "budget", budget)) ||
      (status = tc_record_put_double(out, "t_thres", (double)tth)) ||
      (status = tc_record_put_double(out, "chi", chi)) ||
      (status = tc_record_put_double(out, "nperturb", (double)nperturb)) ||
      (status = tc_record_put_double(out, "eps", c.eps)) ||
      (status = tc_record_put_double(out, "delta", c.delta)) ||
      (status = tc_record_put_double(out, "d", (double)d)) ||
      (status = tc_record_put_double(out, "l", l)) || (status = tc_record_put_double(out, "rho", rho)) ||
      (status = tc_record_put_double(out, "Df", Df)) ||
      (status = tc_record_put_double(out, "eps_notes", l / rho)) ||
      (status = tc_record_put_double(out, "eps_paper", l * l / rho)))
    goto done;
  status = tc_record_end_row(out);
  if (status == TC_SUCCESS)
    tc_record_note(out, "PGD d=%zu m=%zu eps=%g delta=%g c=%g: l=%g rho=%g Df=%g chi=%.4g r=%.3g "
                   "g_thres=%.3g f_thres=%.3g t_thres=%ld; %s at t=%ld after %ld perturbations; "
                   "||grad||=%.3g lambda_min=%.4g (need >= %.4g); iters/budget=%.3g, "
                   "iters/t_thres=%.3g; eps vs l/rho=%g and l^2/rho=%g",
                   d, c.m, c.eps, c.delta, c.c, l, rho, Df, chi, r, gth, fth, tth,
                   returned ? "returned" : "capped", t, nperturb, r_get_double(gn),
                   r_get_double(lmin), -curv, (double)t / budget, (double)t / (double)tth, l / rho,
                   l * l / rho);
done:
  for (size_t i = 0; i < 6; i++)
    r_clear(reals[i]);
  if (rng)
    gsl_rng_free(rng);
  free(a);
  if (x)
    vec_free(x);
  if (xt)
    vec_free(xt);
  if (g)
    vec_free(g);
  tc_tape_free(own);
  return status;
}
