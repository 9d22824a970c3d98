/* Tests of the objective check module (checks/objective.c): closed forms
 * per method (GD and the flow on quadratics are exact, SGD on one row is
 * GD), f* computed, the stated constants' checks, both precisions, the
 * catalog's input errors with file:line, and the catalog entries of
 * theorems/objectives.thm with their mutants. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tc_catalog.h"
#include "tc_check.h"
#include "tcheck_util.h"
#include "tc_engine.h"

extern const tc_check tc_check_objective;

#define HEAD "[t]\nsource = s\nstatement = x\nkind = deterministic\ncheck = objective\n" \
             "lhs = gap\nrhs = gap0\n"

static tc_catalog *load(const char *text)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  int status = tc_catalog_load_buffer(&cat, "t.thm", text, strlen(text), err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
  return cat;
}

/* The catalog error for `text`. */
static void load_error(const char *text, const char *expect)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  int status = tc_catalog_load_buffer(&cat, "t.thm", text, strlen(text), err, sizeof err);
  cr_assert_neq(status, TC_SUCCESS, "loaded: %s", text);
  cr_assert(strstr(err, expect) != NULL, "error '%s' lacks '%s'", err, expect);
}

/* The claim's list parameters (first value of each) as a point. */
typedef struct {
  tc_point_value v[32];
  tc_point p;
} point_buf;

static void claim_point(point_buf *b, const tc_claim *cl)
{
  b->p.n = cl->nparams;
  b->p.v = b->v;
  for (size_t i = 0; i < cl->nparams; i++)
    b->v[i] = (tc_point_value){cl->params[i].name, cl->params[i].values[0], cl->params[i].texts[0]};
}

/* Prepare and measure one instance; bits 0: double.  Returns the status
 * and leaves the rows in *out (NULL on error) and the message in err. */
static int run_one(const tc_claim *cl, mpfr_prec_t bits, tc_record **out, char *err, size_t errlen)
{
  point_buf pb;
  claim_point(&pb, cl);
  tc_tape *tape = tc_tape_alloc(20261123u);
  tc_instance inst = {cl, &pb.p, 0, 20261123u, bits ? bits : 128, NULL, tape};
  void *shared = NULL;
  const tc_check *c = &tc_check_objective;
  int status = (bits ? c->prepare_mpfr : c->prepare_d)(&shared, &inst, err, errlen);
  *out = NULL;
  if (status == TC_SUCCESS) {
    inst.prepared = shared;
    *out = tc_record_alloc(bits ? bits : 64);
    status = (bits ? c->measure_mpfr : c->measure_d)(*out, &inst, err, errlen);
    (bits ? c->release_mpfr : c->release_d)(shared);
  }
  tc_tape_free(tape);
  if (status != TC_SUCCESS) {
    tc_record_free(*out);
    *out = NULL;
  }
  return status;
}

/* f = 1/2 (x1^2 + 4 x2^2): GD with step s gives x_k = ((1-s)^k, 2 (1-4s)^k)
 * from (1, 2), gap = 1/2 (1-s)^{2k} + 8 (1-4s)^{2k}. */
static const char quad_gd[] = HEAD
  "variables = x[2]\nobjective = 0.5*x1^2 + 2*x2^2\nfstar = 0\nstart = 1, 2\n"
  "param method = gd\nparam mu = 1\nparam L = 4\nparam step = 0.2\nparam iterations = 30\n";

static void check_quad_gd(mpfr_prec_t bits, double tol)
{
  tc_catalog *cat = load(quad_gd);
  tc_record *r;
  char err[512] = "";
  cr_assert_eq(run_one(&cat->claims[0], bits, &r, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(tc_record_rows(r), 30);
  for (size_t k = 1; k <= 30; k++) {
    double exact = 0.5 * pow(0.8, 2.0 * k) + 8 * pow(0.2, 2.0 * k);
    cr_assert_float_eq(tcu_getd(r, k - 1, "gap"), exact, tol * exact, "k = %zu: %.17g vs %.17g", k,
                       tcu_getd(r, k - 1, "gap"), exact);
    cr_assert_float_eq(tcu_getd(r, k - 1, "k"), (double)k, 0);
  }
  cr_assert_float_eq(tcu_getd(r, 0, "gap0"), 8.5, 1e-15);
  if (bits) { /* the exact value in MPFR: 1/2 (4/5)^{2k} + 8 (1/5)^{2k} */
    mpfr_t got, ex, t;
    mpfr_inits2(bits, got, ex, t, (mpfr_ptr)0);
    for (unsigned long k = 1; k <= 30; k++) {
      mpfr_set_ui(ex, 4, MPFR_RNDN);
      mpfr_div_ui(ex, ex, 5, MPFR_RNDN);
      mpfr_pow_ui(ex, ex, 2 * k, MPFR_RNDN);
      mpfr_div_ui(ex, ex, 2, MPFR_RNDN);
      mpfr_set_ui(t, 5, MPFR_RNDN);
      mpfr_ui_div(t, 1, t, MPFR_RNDN);
      mpfr_pow_ui(t, t, 2 * k, MPFR_RNDN);
      mpfr_mul_ui(t, t, 8, MPFR_RNDN);
      mpfr_add(ex, ex, t, MPFR_RNDN);
      cr_assert_eq(tc_record_get(got, r, k - 1, "gap"), TC_SUCCESS);
      mpfr_sub(t, got, ex, MPFR_RNDN);
      mpfr_div(t, t, ex, MPFR_RNDN);
      cr_assert(mpfr_cmpabs_ui(t, 0) == 0 || mpfr_get_exp(t) < -(long)bits + 16,
                "k = %lu: relative error 2^%ld", k, (long)mpfr_get_exp(t));
    }
    mpfr_clears(got, ex, t, (mpfr_ptr)0);
  }
  cr_assert_not_null(tc_record_get_note(r));
  tc_record_free(r);
  tc_catalog_free(cat);
}

Test(objective, gd_closed_form_double) { check_quad_gd(0, 1e-13); }
Test(objective, gd_closed_form_mpfr) { check_quad_gd(200, 1e-14); }

/* The flow of the same f: x(t) = (e^-t, 2 e^-4t), gap = 1/2 e^-2t + 8 e^-8t;
 * RK4's error is inside its Richardson estimate (times a margin). */
static void check_quad_flow(mpfr_prec_t bits)
{
  tc_catalog *cat = load(HEAD "variables = x[2]\nobjective = 0.5*x1^2 + 2*x2^2\nfstar = 0\n"
                         "start = 1, 2\nparam method = flow\nparam mu = 1\nparam L = 4\n"
                         "param horizon = 3\nparam steps = 60\nparam checkpoints = 6\n");
  tc_record *r;
  char err[512] = "";
  cr_assert_eq(run_one(&cat->claims[0], bits, &r, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(tc_record_rows(r), 6);
  for (size_t j = 0; j < 6; j++) {
    double t = 0.5 * (double)(j + 1), exact = 0.5 * exp(-2 * t) + 8 * exp(-8 * t);
    double gap = tcu_getd(r, j, "gap"), oerr = tcu_getd(r, j, "ode_err");
    cr_assert_float_eq(tcu_getd(r, j, "t"), t, 1e-15);
    cr_assert(fabs(gap - exact) <= 4 * oerr + 1e-15 * exact, "t = %g: gap %.17g exact %.17g "
              "ode_err %g", t, gap, exact, oerr);
    cr_assert(oerr < 1e-5 * exact, "t = %g: ode_err %g", t, oerr);
    cr_assert(tcu_getd(r, j, "gap_err") >= 2 * oerr);
  }
  tc_record_free(r);
  tc_catalog_free(cat);
}

Test(objective, flow_closed_form_double) { check_quad_flow(0); }
Test(objective, flow_closed_form_mpfr) { check_quad_flow(160); }

/* SGD on one data row is GD on f = 1/2 (x - b)^2: x_k - b = (1-s)^k (x_0 - b);
 * the diminishing schedule s_k = (2k+1)/(2 mu (k+1)^2) with mu = 1 gives
 * x_k - b = prod (1 - s_j) (x_0 - b) = (x_0 - b) / k^2 ... checked against
 * the product. */
Test(objective, sgd_closed_form_both_schedules)
{
  const char *scheds[] = {"constant\nparam step = 0.3", "pl-diminishing"};
  for (int s = 0; s < 2; s++) {
    char text[1024];
    snprintf(text, sizeof text, HEAD "variables = x\ndata = b; 2\nobjective = 0.5*(x - b)^2\n"
             "start = 5\nparam method = sgd\nparam mu = 1\nparam L = 1\nparam C = 3\n"
             "param iterations = 12\nparam schedule = %s\n", scheds[s]);
    tc_catalog *cat = load(text);
    for (int b = 0; b < 2; b++) {
      tc_record *r;
      char err[512] = "";
      cr_assert_eq(run_one(&cat->claims[0], b ? 128 : 0, &r, err, sizeof err), TC_SUCCESS, "%s", err);
      double e = 3;
      for (size_t k = 1; k <= 12; k++) {
        double step = s == 0 ? 0.3 : (2.0 * (k - 1) + 1) / (2.0 * k * k);
        e *= 1 - step;
        cr_assert_float_eq(tcu_getd(r, k - 1, "gap"), 0.5 * e * e, 1e-13 * e * e + 1e-300, "k = %zu", k);
        cr_assert_float_eq(tcu_getd(r, k - 1, "step"), step, 1e-15);
        cr_assert_float_eq(tcu_getd(r, k - 1, "G2"), 9, 1e-15); /* the largest is at x_0 */
      }
      tc_record_free(r);
    }
    tc_catalog_free(cat);
  }
}

/* f* is computed when not given: 19/192 for the least-squares entry's data. */
Test(objective, fstar_computed)
{
  tc_catalog *cat = load(HEAD "variables = x[2]\ndata = a1, a2, b; 2, 0, 1; 0, 1, -1; 1, 1, 0.5;"
                         " 1, -1, 2\nobjective = 0.5 * (a1*x1 + a2*x2 - b)^2\nstart = 2, 2\n"
                         "param method = gd\nparam mu = 0.75\nparam L = 1.5\nparam iterations = 40\n");
  for (int b = 0; b < 2; b++) {
    tc_record *r;
    char err[512] = "";
    cr_assert_eq(run_one(&cat->claims[0], b ? 200 : 0, &r, err, sizeof err), TC_SUCCESS, "%s", err);
    const char *note = tc_record_get_note(r);
    double fstar;
    cr_assert_eq(sscanf(note, "f* = %lf", &fstar), 1, "%s", note);
    cr_assert_float_eq(fstar, 19.0 / 192, 1e-15, "%s", note);
    cr_assert(strstr(note, "computed") != NULL);
    /* GD with step 1/L = 2/3 on H = diag(1.5, 0.75) from (2, 2):
     * e_k = ((1 - 1)^k, (1 - 0.5)^k) e_0, e_0 = (1.25, 17/6). */
    double e2 = 17.0 / 6 * pow(0.5, 40);
    cr_assert_float_eq(tcu_getd(r, 39, "gap"), 0.5 * 0.75 * e2 * e2, 1e-3 * e2 * e2 + tcu_getd(r, 39, "gap_err"));
    tc_record_free(r);
  }
  tc_catalog_free(cat);
}

/* A stated constant that does not hold makes the point an error naming it. */
static void expect_violation(const char *text, const char *what)
{
  tc_catalog *cat = load(text);
  for (int b = 0; b < 2; b++) {
    tc_record *r;
    char err[512] = "";
    int status = run_one(&cat->claims[0], b ? 128 : 0, &r, err, sizeof err);
    cr_assert_eq(status, TC_EDOM, "%s accepted (%s)", what, err);
    cr_assert(strstr(err, "hypothesis violated") && strstr(err, what), "%s", err);
  }
  tc_catalog_free(cat);
}

Test(objective, violated_constants_are_errors)
{
  /* x^4 is not PL: the ratio 8 x^2 -> 0 at the minimiser. */
  expect_violation(HEAD "variables = x\nobjective = x^4\nfstar = 0\nstart = 1\n"
                   "param method = gd\nparam mu = 0.1\nparam L = 200\n", "mu");
  /* x^2 + 3 sin^2 x has |f''| up to 8 (at 0) and PL ratio down to 0.1755. */
  expect_violation(HEAD "variables = x\nobjective = x^2 + 3*sin(x)^2\nfstar = 0\nstart = 1\n"
                   "param method = gd\nparam mu = 0.03125\nparam L = 7\n", "L");
  expect_violation(HEAD "variables = x\nobjective = x^2 + 3*sin(x)^2\nfstar = 0\nstart = 1\n"
                   "param method = gd\nparam mu = 0.2\nparam L = 8\n", "mu");
  /* a kink: x^2 + |x| has f'' = 2 away from 0 but a gradient jump of 2 at
   * 0, which only the gradient difference quotient sees */
  expect_violation(HEAD "variables = x\nobjective = x^2 + abs(x)\nfstar = 0\nstart = 1\n"
                   "param method = gd\nparam mu = 1\nparam L = 2\n", "difference quotient");
  /* a wrong f* (above the minimum) */
  expect_violation(HEAD "variables = x\nobjective = x^2 + 1\nfstar = 1.5\nstart = 1\n"
                   "param method = gd\nparam mu = 1\nparam L = 2\n", "f*");
  /* SGD's ||grad f_i(x_k)||^2 <= C^2 along the iterates */
  expect_violation(HEAD "variables = x\ndata = b; 2; -2\nobjective = 0.5*(x - b)^2\nstart = 5\n"
                   "param method = sgd\nparam mu = 1\nparam L = 1\nparam C = 2\nparam step = 0.1\n",
                   "C^2");
  /* f unbounded below and no fstar: the minimisation for f* runs off
   * (-x^2 reaches -1e70 with an error bound larger still), so every row
   * would sit inside gap_err -- a vacuous PASS before; an error now */
  expect_violation(HEAD "variables = x\nobjective = -x^2\nstart = 1\n"
                   "param method = gd\nparam mu = 0.5\nparam L = 4\n", "did not converge");
  expect_violation(HEAD "variables = x\nobjective = a*x^2\nstart = 1\n"
                   "param method = gd\nparam mu = 0.5\nparam L = 4\nparam a = -1\n",
                   "f may be unbounded below");
}

Test(objective, catalog_input_errors_name_the_line)
{
  load_error(HEAD "variables = x\nobjective = x + y\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 1\n", "t.thm:9: objective: 'y' is not a variable");
  load_error(HEAD "variables = x\nobjective = x^\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 1\n", "t.thm:9: objective: column");
  load_error(HEAD "objective = x\nstart = 1\nparam method = gd\nparam mu = 1\nparam L = 1\n",
             "t.thm:8: claim [t]: 'objective' needs 'variables'");
  load_error(HEAD "variables = x\nobjective = x\nparam method = gd\nparam mu = 1\nparam L = 1\n",
             "needs 'start'");
  load_error(HEAD "variables = x\nobjective = (x-b)^2\ndata = b; 1; 2, 3\nstart = 1\n"
             "param method = gd\nparam mu = 1\nparam L = 1\n", "t.thm:10: data: row 2 has more");
  load_error(HEAD "variables = x\nobjective = (x-b)^2\ndata = b; 1; z\nstart = 1\n"
             "param method = gd\nparam mu = 1\nparam L = 1\n", "data: 'z' is not a number");
  load_error(HEAD "variables = x[2]\nobjective = x1\nstart = 1, 2, 3\nparam method = gd\n"
             "param mu = 1\nparam L = 1\n", "t.thm:10: start: more values");
  load_error(HEAD "variables = x\nobjective = x\nstart = q\nparam method = gd\n"
             "param mu = 1\nparam L = 1\n", "start: 'q' is not a parameter");
  load_error(HEAD "variables = x, x\nobjective = x\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 1\n", "variable 'x' is already");
  load_error(HEAD "variables = x\nobjective = x\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 1\nparam unused = 3\n", "has no parameter 'unused'");
  load_error(HEAD "param method = gd\nparam mu = 1\nparam L = 1\n",
             "check module 'objective' needs 'objective'");
  load_error("[t]\nsource = s\nstatement = x\nkind = deterministic\ncheck = pl-gd\nlhs = gap\n"
             "rhs = gap0\nobjective = x\n", "t.thm:8: 'objective' is read only by check module");
  /* a parameter the objective reads is allowed, and must be numeric */
  tc_catalog *cat = load(HEAD "variables = x\nobjective = a*x^2\nfstar = 0\nstart = x0\n"
                         "param method = gd\nparam mu = 1\nparam L = 4\nparam a = 1, 2\n"
                         "param x0 = 0.5 .. 2\n");
  tc_catalog_free(cat);
}

/* A literal beyond the double range would make the double and the MPFR run
 * compute different functions (1e400 is finite in MPFR): refused at load,
 * in the objective, fstar and start alike. */
Test(objective, literal_beyond_double_is_an_input_error)
{
  load_error(HEAD "variables = x\nobjective = x^2 + 1e400\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 4\n", "t.thm:9: objective: the number 1e400 is beyond");
  load_error(HEAD "variables = x\nobjective = x^2\nfstar = 2e308\nstart = 1\nparam method = gd\n"
             "param mu = 1\nparam L = 4\n", "t.thm:10: fstar: the number 2e308 is beyond");
  load_error(HEAD "variables = x[2]\nobjective = x1^2 + x2^2\nstart = 1, 1e999\n"
             "param method = gd\nparam mu = 1\nparam L = 4\n", "t.thm:10: start: the number 1e999");
  /* underflow to 0 is harmless: both precisions see a tiny constant */
  tc_catalog_free(load(HEAD "variables = x\nobjective = x^2 + 1e-400\nstart = 1\n"
                       "param method = gd\nparam mu = 1\nparam L = 4\n"));
}

/* The commas of min(a, b) and max(a, b) inside `start` belong to the
 * expression: only top-level commas separate the coordinates. */
Test(objective, start_with_two_argument_functions)
{
  tc_catalog *cat = load(HEAD "variables = x[2]\nobjective = x1^2 + x2^2\n"
                         "start = min(x0, 1), max(x0, 2) + 0*min(1, 2)\nparam method = gd\n"
                         "param mu = 1\nparam L = 4\nparam x0 = 3\n");
  cr_assert_eq(cat->claims[0].objective->nstart, 2);
  tc_catalog_free(cat);
  cat = load(HEAD "variables = x[2]\nobjective = x1^2 + x2^2\nstart = max(x0, 1)\n"
             "param method = gd\nparam mu = 1\nparam L = 4\nparam x0 = 3\n");
  cr_assert_eq(cat->claims[0].objective->nstart, 1);
  tc_catalog_free(cat);
  load_error(HEAD "variables = x[2]\nobjective = x1^2 + x2^2\nstart = max(x0, 1), 2, 3\n"
             "param method = gd\nparam mu = 1\nparam L = 4\nparam x0 = 3\n",
             "t.thm:10: start: more values than the 2 variables");
}

/* The entries of theorems/objectives.thm: PASS, with mutants refuted, in
 * both precisions; a tightened bound fails. */
Test(objective, catalog_entries_pass_and_refute_mutants, .timeout = 120)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, TC_SRCDIR "/theorems/objectives.thm", err, sizeof err),
               TC_SUCCESS, "%s", err);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = 1;
  for (size_t i = 0; i < cat->n; i++) {
    const tc_claim *cl = &cat->claims[i];
    tc_run_result *res = NULL;
    cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
    const tc_claim_result *c = &res->claims[0];
    cr_assert_eq(c->verdict, TC_PASS, "%s: %s", cl->id, c->reason);
    cr_assert(!c->disagree, "%s: %s", cl->id, c->disagree_note);
    cr_assert_geq(c->prec[1].mutants_refuted, 1, "%s", cl->id);
    cr_assert_eq(c->prec[0].mutants_refuted, c->prec[1].mutants_refuted);
    tc_run_result_free(res);
  }
  tc_catalog_free(cat);
}

Test(objective, tightened_bound_fails)
{
  tc_catalog *cat = load("[t]\nsource = s\nstatement = x\nkind = deterministic\ncheck = objective\n"
                         "lhs = gap\nrhs = (1 - mu/L)^(20*k) * gap0\nerror = gap_err\n"
                         "variables = x\nobjective = x^2 + 3*sin(x)^2\nfstar = 0\nstart = 2.2\n"
                         "param method = gd\nparam mu = 0.03125\nparam L = 8\nparam iterations = 20\n"
                         "instances = 1\n");
  const tc_claim *cl = &cat->claims[0];
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = 1;
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(res->claims[0].verdict, TC_FAIL, "%s", res->claims[0].reason);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}
