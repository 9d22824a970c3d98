/* Tests of the forward-mode automatic differentiation behind the
 * objective module (checks/objective_source.h): values, gradients and
 * Hessian-vector products of catalog-written objectives against known
 * derivatives and finite differences, in double and in MPFR, and the
 * straight-line programs of tc_expr_compile.  The module's file is
 * included to reach its static evaluator. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#define tc_check_objective tc_check_objective_under_test
#include "objective.c"
#undef tc_check_objective

static tc_catalog *load_objective(const char *variables, const char *objective, const char *data)
{
  char text[2048], err[512] = "";
  snprintf(text, sizeof text,
           "[t]\nsource = s\nstatement = x\nkind = deterministic\ncheck = objective\n"
           "lhs = gap\nrhs = gap0\nvariables = %s\nobjective = %s\n%s%s\nstart = 1\n"
           "param method = gd\nparam mu = 1\nparam L = 1\n",
           variables, objective, data ? "data = " : "", data ? data : "");
  tc_catalog *cat = NULL;
  int status = tc_catalog_load_buffer(&cat, "t.thm", text, strlen(text), err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
  return cat;
}

static const tc_point empty_point = {0, NULL};

/* f, grad f and H v at x in double. */
static void eval_d(const tc_objective *o, const double *x, const double *v, double *f, double *g,
                   double *hv)
{
  obj_ctx_d *c = NULL;
  char err[256];
  cr_assert_eq(obj_ctx_alloc_d(&c, o, &empty_point, 53, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_vec_d *X = tc_vec_alloc_d(o->nvars, 53), *V = tc_vec_alloc_d(o->nvars, 53),
           *G = tc_vec_alloc_d(o->nvars, 53), *H = tc_vec_alloc_d(o->nvars, 53);
  for (size_t j = 0; j < o->nvars; j++) {
    X->data[j] = x[j];
    V->data[j] = v ? v[j] : 0;
  }
  cr_assert_eq(obj_eval_d(c, -1, X, V, f, G, H), TC_SUCCESS);
  for (size_t j = 0; j < o->nvars; j++) {
    g[j] = G->data[j];
    hv[j] = H->data[j];
  }
  tc_vec_free_d(X), tc_vec_free_d(V), tc_vec_free_d(G), tc_vec_free_d(H);
  obj_ctx_free_d(c);
}

/* The same in MPFR at `bits`, returned rounded to double and, for the
 * value, as an MPFR number. */
static void eval_mpfr(const tc_objective *o, const double *x, const double *v, mpfr_ptr f,
                      double *g, double *hv, mpfr_prec_t bits)
{
  obj_ctx_mpfr *c = NULL;
  char err[256];
  cr_assert_eq(obj_ctx_alloc_mpfr(&c, o, &empty_point, bits, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_vec_mpfr *X = tc_vec_alloc_mpfr(o->nvars, bits), *V = tc_vec_alloc_mpfr(o->nvars, bits),
              *G = tc_vec_alloc_mpfr(o->nvars, bits), *H = tc_vec_alloc_mpfr(o->nvars, bits);
  for (size_t j = 0; j < o->nvars; j++) {
    mpfr_set_d(X->data[j], x[j], MPFR_RNDN);
    mpfr_set_d(V->data[j], v ? v[j] : 0, MPFR_RNDN);
  }
  cr_assert_eq(obj_eval_mpfr(c, -1, X, V, f, G, H), TC_SUCCESS);
  for (size_t j = 0; j < o->nvars; j++) {
    g[j] = mpfr_get_d(G->data[j], MPFR_RNDN);
    hv[j] = mpfr_get_d(H->data[j], MPFR_RNDN);
  }
  tc_vec_free_mpfr(X), tc_vec_free_mpfr(V), tc_vec_free_mpfr(G), tc_vec_free_mpfr(H);
  obj_ctx_free_mpfr(c);
}

/* h(x) = x^2 + 3 sin^2 x: h' = 2x + 3 sin 2x, h'' = 2 + 6 cos 2x. */
Test(ad, known_derivatives_double_and_mpfr)
{
  tc_catalog *cat = load_objective("x", "x^2 + 3*sin(x)^2", NULL);
  const tc_objective *o = cat->claims[0].objective;
  const double xs[] = {0, 0.7, -2.2, 5, 1e-3};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    double x = xs[i], one = 1, f, g, hv;
    eval_d(o, &x, &one, &f, &g, &hv);
    cr_assert_float_eq(f, x * x + 3 * sin(x) * sin(x), 1e-15 * (1 + f));
    cr_assert_float_eq(g, 2 * x + 3 * sin(2 * x), 1e-14);
    cr_assert_float_eq(hv, 2 + 6 * cos(2 * x), 1e-14);
    mpfr_t fm, ref, t;
    mpfr_inits2(256, fm, ref, t, (mpfr_ptr)0);
    eval_mpfr(o, &x, &one, fm, &g, &hv, 256);
    mpfr_set_d(t, x, MPFR_RNDN);
    mpfr_sin(ref, t, MPFR_RNDN);
    mpfr_sqr(ref, ref, MPFR_RNDN);
    mpfr_mul_ui(ref, ref, 3, MPFR_RNDN);
    mpfr_sqr(t, t, MPFR_RNDN);
    mpfr_add(ref, ref, t, MPFR_RNDN);
    mpfr_sub(t, fm, ref, MPFR_RNDN);
    cr_assert(mpfr_cmpabs_ui(t, 0) == 0 || mpfr_get_exp(t) < mpfr_get_exp(ref) - 240 ||
                  mpfr_zero_p(ref), "MPFR value at x = %g off", x);
    cr_assert_float_eq(g, 2 * x + 3 * sin(2 * x), 1e-15 * (1 + fabs(g)));
    cr_assert_float_eq(hv, 2 + 6 * cos(2 * x), 1e-15 * (1 + fabs(hv)));
    mpfr_clears(fm, ref, t, (mpfr_ptr)0);
  }
  tc_catalog_free(cat);
}

/* Every operation of the language against central differences: the
 * gradient against differences of f, H v against differences of the
 * gradient; and MPFR against double. */
Test(ad, gradient_and_hv_match_finite_differences)
{
  tc_catalog *cat = load_objective(
      "x[3]", "exp(x1*x2)/3 + log(1 + x1^2) / (2 + cos(x2)) + tanh(x1 - x3)^3 + "
              "sqrt(x1^2 + x2^2 + 1) + erf(x3) - x1^x2 + abs(x3) * x3 + max(x1, x2)^2 * "
              "min(x2, 2) - x3 / (1 + x2^2) + 2^x3 + floor(5.5) * pi * e",
      NULL);
  const tc_objective *o = cat->claims[0].objective;
  const double x[3] = {0.8, 0.3, -0.4}, v[3] = {0.3, -1.1, 0.7};
  double f, g[3], hv[3];
  eval_d(o, x, v, &f, g, hv);
  for (size_t j = 0; j < 3; j++) {
    double h = 1e-6, xp[3], xm[3], fp, fm, gp[3], gm[3], dummy[3];
    memcpy(xp, x, sizeof xp), memcpy(xm, x, sizeof xm);
    xp[j] += h, xm[j] -= h;
    eval_d(o, xp, v, &fp, gp, dummy);
    eval_d(o, xm, v, &fm, gm, dummy);
    cr_assert_float_eq(g[j], (fp - fm) / (2 * h), 1e-7, "df/dx%zu", j + 1);
    /* (H v)_j = d/dt of g_j(x + t v) at 0 */
    double xs[3], xt[3], fs, ft, gs[3], gt[3];
    for (size_t i = 0; i < 3; i++)
      xs[i] = x[i] + h * v[i], xt[i] = x[i] - h * v[i];
    eval_d(o, xs, v, &fs, gs, dummy);
    eval_d(o, xt, v, &ft, gt, dummy);
    cr_assert_float_eq(hv[j], (gs[j] - gt[j]) / (2 * h), 1e-6, "(Hv)_%zu", j + 1);
  }
  mpfr_t fm;
  mpfr_init2(fm, 200);
  double gm[3], hm[3];
  eval_mpfr(o, x, v, fm, gm, hm, 200);
  cr_assert_float_eq(mpfr_get_d(fm, MPFR_RNDN), f, 1e-13 * fabs(f));
  for (size_t j = 0; j < 3; j++) {
    cr_assert_float_eq(gm[j], g[j], 1e-13 * (1 + fabs(g[j])));
    cr_assert_float_eq(hm[j], hv[j], 1e-13 * (1 + fabs(hv[j])));
  }
  mpfr_clear(fm);
  tc_catalog_free(cat);
}

/* A finite sum over data rows is the mean of the summand; H of the least
 * squares 1/2 (a.x - b)^2 averaged is A^T A / n. */
Test(ad, finite_sum_is_the_mean)
{
  tc_catalog *cat = load_objective("x[2]", "0.5 * (a1*x1 + a2*x2 - b)^2",
                                   "a1, a2, b; 2, 0, 1; 0, 1, -1; 1, 1, 0.5; 1, -1, 2");
  const tc_objective *o = cat->claims[0].objective;
  cr_assert_eq(o->nrows, 4);
  const double x[2] = {0.75, -5.0 / 6}, v[2] = {1, 0};
  double f, g[2], hv[2];
  eval_d(o, x, v, &f, g, hv);
  cr_assert_float_eq(f, 19.0 / 192, 1e-15); /* f* at the normal-equations solution */
  cr_assert_float_eq(g[0], 0, 1e-15);
  cr_assert_float_eq(g[1], 0, 1e-15);
  cr_assert_float_eq(hv[0], 1.5, 1e-15); /* A^T A / 4 = diag(1.5, 0.75) */
  cr_assert_float_eq(hv[1], 0, 1e-15);
  tc_catalog_free(cat);
}

/* The program of an expression: names resolved to slots, min/max chains,
 * the result last. */
static int slot_xy(size_t *slot, const char *name, void *data)
{
  (void)data;
  if (strcmp(name, "x") == 0 || strcmp(name, "y") == 0) {
    *slot = name[0] == 'x' ? 0 : 1;
    return 0;
  }
  return 1;
}

Test(ad, compile_resolves_names_and_chains_min)
{
  char err[128];
  tc_expr *e = tc_expr_parse("min(x, y, 2) + sin(x)", err, sizeof err);
  cr_assert_not_null(e, "%s", err);
  tc_expr_prog *p = tc_expr_compile(e, slot_xy, NULL, err, sizeof err);
  cr_assert_not_null(p, "%s", err);
  cr_assert_eq(p->code[p->n - 1].op, TC_EXPR_OP_ADD);
  size_t mins = 0;
  for (size_t i = 0; i < p->n; i++)
    mins += p->code[i].op == TC_EXPR_OP_MIN;
  cr_assert_eq(mins, 2);
  tc_expr_prog_free(p);
  tc_expr *bad = tc_expr_parse("x + z", err, sizeof err);
  cr_assert_null(tc_expr_compile(bad, slot_xy, NULL, err, sizeof err));
  cr_assert_str_eq(err, "z");
  tc_expr_free(bad);
  tc_expr_free(e);
}
