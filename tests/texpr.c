/* Tests for the expression language (tc_expr_parse, tc_expr_eval,
 * tc_expr_foreach_name, tc_expr_free): every parse error with its column
 * first, then operators and precedence, functions, constants and literals
 * at high precision against MPFR directly, variables and evaluation
 * errors, and finally random expressions at random precisions from a
 * fixed seed (THMCHECK_TEST_SEED overrides it), compared bit for bit
 * with the same operations done by hand in MPFR. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <mpfr.h>

#include "tc_expr.h"
#include "tc_status.h"

static unsigned long test_seed(void)
{
  const char *s = getenv("THMCHECK_TEST_SEED");
  return s != NULL && *s != '\0' ? strtoul(s, NULL, 10) : 20240611UL;
}

/* Variables served to the expressions; "nanv" is NaN. */
static int table_lookup(mpfr_ptr value, const char *name, void *data)
{
  (void)data;
  static const struct {
    const char *name;
    double v;
  } t[] = {{"x", 2}, {"y", 3}, {"alpha_1", 0.5}, {"n2", 10}, {"_z", -1}, {"nanv", NAN}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (strcmp(t[i].name, name) == 0) {
      mpfr_set_d(value, t[i].v, MPFR_RNDN);
      return 0;
    }
  return 1;
}

/* Evaluate at `prec` bits; the test fails on any parse or eval error. */
static void eval_at(mpfr_ptr r, const char *text)
{
  char err[128];
  tc_expr *e = tc_expr_parse(text, err, sizeof err);
  cr_assert_not_null(e, "parse '%s': %s", text, err);
  int s = tc_expr_eval(r, e, table_lookup, NULL, err, sizeof err);
  cr_assert_eq(s, TC_SUCCESS, "eval '%s': status %d (%s)", text, s, err);
  tc_expr_free(e);
}

static double ev(const char *text)
{
  mpfr_t r;
  mpfr_init2(r, 53);
  eval_at(r, text);
  double d = mpfr_get_d(r, MPFR_RNDN);
  mpfr_clear(r);
  return d;
}

static void expect_value(const char *text, double want)
{
  double got = ev(text);
  cr_expect(got == want || (isnan(got) && isnan(want)), "'%s' = %.17g, want %.17g", text,
            got, want);
}

static void expect_parse_error(const char *text, const char *want)
{
  char err[128] = "untouched";
  tc_expr *e = tc_expr_parse(text, err, sizeof err);
  cr_expect_null(e, "'%s' parsed, expected error '%s'", text, want);
  tc_expr_free(e);
  cr_expect_str_eq(err, want, "'%s'", text);
}

/* ---- parse errors, each path with its column ---- */

Test(expr_parse, empty)
{
  expect_parse_error("", "column 1: empty expression");
  expect_parse_error("   \t\n", "column 1: empty expression");
}

Test(expr_parse, unbalanced_parentheses)
{
  expect_parse_error("(1 + 2", "column 7: expected ')'");
  expect_parse_error("((1)", "column 5: expected ')'");
  expect_parse_error("(1 2)", "column 4: expected ')'");
  expect_parse_error("()", "column 2: unexpected ')'");
  expect_parse_error("1)", "column 2: unexpected ')' after end of expression");
}

Test(expr_parse, unknown_function)
{
  expect_parse_error("1+sqr(2)", "column 3: unknown function 'sqr'");
  expect_parse_error("pi(2)", "column 1: unknown function 'pi'");
  expect_parse_error("x * foo_2 (1)", "column 5: unknown function 'foo_2'");
}

Test(expr_parse, arity)
{
  static const char *one[] = {"sqrt", "exp", "log", "abs", "erf", "floor", "ceil"};
  char text[64], want[96];
  for (size_t i = 0; i < sizeof one / sizeof one[0]; i++) {
    snprintf(text, sizeof text, "1 + %s(1, 2)", one[i]);
    snprintf(want, sizeof want, "column 5: %s takes 1 argument, got 2", one[i]);
    expect_parse_error(text, want);
    snprintf(text, sizeof text, "%s()", one[i]);
    snprintf(want, sizeof want, "column 1: %s takes 1 argument, got 0", one[i]);
    expect_parse_error(text, want);
  }
  expect_parse_error("min()", "column 1: min takes at least 1 argument, got 0");
  expect_parse_error("2*max( )", "column 3: max takes at least 1 argument, got 0");
}

Test(expr_parse, bad_argument_lists)
{
  expect_parse_error("sqrt(1 2)", "column 8: expected ')'");
  expect_parse_error("max(1 2)", "column 7: expected ',' or ')'");
  expect_parse_error("max(1,)", "column 7: unexpected ')'");
  expect_parse_error("max(1,", "column 7: unexpected end of expression");
  expect_parse_error("sqrt(", "column 6: unexpected end of expression");
}

Test(expr_parse, trailing_garbage)
{
  expect_parse_error("1 2", "column 3: unexpected '2' after end of expression");
  expect_parse_error("x y", "column 3: unexpected 'y' after end of expression");
  expect_parse_error("2 $ 3", "column 3: unexpected '$' after end of expression");
  expect_parse_error("1,2", "column 2: unexpected ',' after end of expression");
  /* No implicit multiplication, and "2e" is not a number. */
  expect_parse_error("2x", "column 2: unexpected 'x' after end of expression");
  expect_parse_error("2e", "column 2: unexpected 'e' after end of expression");
  expect_parse_error("1 \x01", "column 3: unexpected character 0x01 after end of expression");
}

Test(expr_parse, missing_operand)
{
  expect_parse_error("1+", "column 3: unexpected end of expression");
  expect_parse_error("1+*2", "column 3: unexpected '*'");
  expect_parse_error("x^", "column 3: unexpected end of expression");
  expect_parse_error("-", "column 2: unexpected end of expression");
  expect_parse_error("1 + $", "column 5: unexpected '$'");
  expect_parse_error(".", "column 1: unexpected '.'");
  expect_parse_error("*2", "column 1: unexpected '*'");
  expect_parse_error("2^^3", "column 3: unexpected '^'");
}

Test(expr_parse, nesting_limits)
{
  char text[4200];
  size_t i = 0;
  for (; i < 300; i++)
    text[i] = '(';
  text[i++] = '1';
  for (size_t j = 0; j < 300; j++)
    text[i++] = ')';
  text[i] = '\0';
  char err[128];
  tc_expr *e = tc_expr_parse(text, err, sizeof err);
  cr_expect_null(e);
  cr_expect(strstr(err, "nested too deeply") != NULL, "%s", err);
  tc_expr_free(e);

  /* A long sum builds a deep left spine even without parentheses. */
  for (i = 0; i < 2000; i++) {
    text[2 * i] = '1';
    text[2 * i + 1] = '+';
  }
  text[2 * i - 1] = '\0';
  e = tc_expr_parse(text, err, sizeof err);
  cr_expect_null(e);
  cr_expect(strstr(err, "too long") != NULL, "%s", err);
  tc_expr_free(e);

  /* Modest nesting is fine. */
  cr_expect_eq(ev("((((((((((((((((((((1))))))))))))))))))))"), 1.0);
  cr_expect_eq(ev("----------2"), 2.0);
}

Test(expr_parse, error_buffer_handling)
{
  cr_expect_null(tc_expr_parse("(1", NULL, 0));
  char small[10];
  memset(small, 'x', sizeof small);
  cr_expect_null(tc_expr_parse("(1", small, sizeof small));
  cr_expect_str_eq(small, "column 3:");
  char tiny[1] = {'x'};
  cr_expect_null(tc_expr_parse("(1", tiny, 1));
  cr_expect_eq(tiny[0], '\0');
  /* Success clears the buffer. */
  char err[32] = "stale";
  tc_expr *e = tc_expr_parse("1", err, sizeof err);
  cr_expect_not_null(e);
  cr_expect_str_eq(err, "");
  tc_expr_free(e);
  tc_expr_free(NULL);
}

/* ---- operators and precedence ---- */

Test(expr_eval, precedence_and_associativity)
{
  expect_value("-2^2", -4);
  expect_value("(-2)^2", 4);
  expect_value("2^3^2", 512);
  expect_value("1-2-3", -4);
  expect_value("8/2/2", 2);
  expect_value("12/4*3", 9);
  expect_value("1+2*3", 7);
  expect_value("(1+2)*3", 9);
  expect_value("2*3^2", 18);
  expect_value("2^-1", 0.5);
  expect_value("2^-2^2", 1.0 / 16);
  expect_value("--3", 3);
  expect_value("1 - -1", 2);
  expect_value("2*-3", -6);
  expect_value("-2*3", -6);
  expect_value("- 2 ^ 2", -4);
  expect_value("-x^2", -4);
  expect_value("2^x^2", 16);
  expect_value("1+2-3*4/6", 1);
  expect_value("  1 +\t2\n", 3);
}

Test(expr_eval, literals)
{
  expect_value("1", 1);
  expect_value("0.5", 0.5);
  expect_value("1e-3", 1e-3);
  expect_value("1E3", 1000);
  expect_value("1.5e+2", 150);
  expect_value(".5", 0.5);
  expect_value("5.", 5);
  expect_value("2.e1", 20);
  expect_value("007", 7);
  expect_value("0.1", 0.1);
  expect_value("1e400", INFINITY);
  expect_value("1e-400", 0);
}

Test(expr_eval, functions)
{
  expect_value("sqrt(4)", 2);
  expect_value("sqrt(2)", sqrt(2));
  expect_value("sqrt(-0)", -0.0);
  expect_value("exp(0)", 1);
  expect_value("exp(1)", exp(1));
  expect_value("log(1)", 0);
  expect_value("log(8)", log(8));
  expect_value("log(0)", -INFINITY);
  expect_value("abs(-3)", 3);
  expect_value("abs(2.5)", 2.5);
  expect_value("erf(0)", 0);
  expect_value("erf(1)", erf(1));
  expect_value("erf(-0.5)", erf(-0.5));
  expect_value("floor(-1.5)", -2);
  expect_value("floor(2)", 2);
  expect_value("floor(2.7)", 2);
  expect_value("ceil(-1.5)", -1);
  expect_value("ceil(2.1)", 3);
  expect_value("min(5)", 5);
  expect_value("max(5)", 5);
  expect_value("min(3, 1, 2)", 1);
  expect_value("max(3, 1, 2)", 3);
  expect_value("max(x, y) - min(x, y)", 1);
  expect_value("sqrt(abs(-16)) + exp(log(2))", 6);
  expect_value("1/0", INFINITY);
  expect_value("-1/0", -INFINITY);
  expect_value("0/0", NAN);
  expect_value("(-8)^3", -512);
  expect_value("(-2)^-1", -0.5);
  expect_value("0^-1", INFINITY);
  /* min/max do not drop a NaN measurement. */
  expect_value("min(1, nanv)", NAN);
  expect_value("max(nanv, 1)", NAN);
  expect_value("min(2, 1, nanv, 0)", NAN);
  expect_value("sqrt(nanv)", NAN);
  expect_value("log(nanv)", NAN);
  /* sin, cos, tanh: for user-written objectives (checks/objective.c) */
  expect_value("sin(0)", 0);
  expect_value("sin(x)", sin(2));
  expect_value("cos(0)", 1);
  expect_value("cos(y)", cos(3));
  expect_value("sin(x)^2 + cos(x)^2", 1);
  expect_value("tanh(0)", 0);
  expect_value("tanh(-0.5)", tanh(-0.5));
  expect_value("x^2 + 3*sin(x)^2", 4 + 3 * sin(2) * sin(2));
}

/* Constants and functions at 200 bits agree exactly with MPFR's own
 * correctly rounded values: nothing passes through a double. */
Test(expr_eval, high_precision)
{
  mpfr_t r, w;
  mpfr_inits2(200, r, w, (mpfr_ptr)0);

  eval_at(r, "pi");
  mpfr_const_pi(w, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "pi at 200 bits");

  eval_at(r, "e");
  mpfr_set_ui(w, 1, MPFR_RNDN);
  mpfr_exp(w, w, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "e at 200 bits");

  eval_at(r, "0.1");
  mpfr_set_str(w, "0.1", 10, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "0.1 at 200 bits is not the double 0.1");
  mpfr_set_d(w, 0.1, MPFR_RNDN);
  cr_expect(!mpfr_equal_p(r, w));

  eval_at(r, "1/3");
  mpfr_set_ui(w, 1, MPFR_RNDN);
  mpfr_div_ui(w, w, 3, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "1/3 at 200 bits");

  eval_at(r, "sqrt(2)");
  mpfr_sqrt_ui(w, 2, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "sqrt(2) at 200 bits");

  eval_at(r, "erf(0.5)");
  mpfr_set_str(w, "0.5", 10, MPFR_RNDN);
  mpfr_erf(w, w, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "erf(0.5) at 200 bits");

  eval_at(r, "log(e)");
  mpfr_sub_ui(r, r, 1, MPFR_RNDN);
  cr_expect(mpfr_zero_p(r) || mpfr_get_exp(r) < -190, "log(e) - 1 too large");

  eval_at(r, "2*pi");
  mpfr_const_pi(w, MPFR_RNDN);
  mpfr_mul_ui(w, w, 2, MPFR_RNDN);
  cr_expect(mpfr_equal_p(r, w), "2*pi at 200 bits");

  /* Result precision is the caller's, even at the minimum. */
  mpfr_set_prec(r, 2);
  eval_at(r, "pi");
  cr_expect_eq(mpfr_get_prec(r), 2);
  cr_expect_eq(mpfr_get_d(r, MPFR_RNDN), 3.0);
  mpfr_clears(r, w, (mpfr_ptr)0);
}

/* ---- names and the lookup callback ---- */

static int counting_lookup(mpfr_ptr value, const char *name, void *data)
{
  int *calls = data;
  ++*calls;
  return table_lookup(value, name, NULL);
}

Test(expr_eval, variables)
{
  expect_value("x + y", 5);
  expect_value("alpha_1 * n2", 5);
  expect_value("_z + x", 1);
  expect_value("0*e + x", 2);  /* e is the constant, not a variable */
  expect_value("max(x, e)", exp(1));

  /* The callback receives the caller's data pointer. */
  int calls = 0;
  mpfr_t r;
  mpfr_init2(r, 64);
  tc_expr *e = tc_expr_parse("x * x + y", NULL, 0);
  cr_assert_not_null(e);
  cr_expect_eq(tc_expr_eval(r, e, counting_lookup, &calls, NULL, 0), TC_SUCCESS);
  cr_expect_eq(calls, 3);
  cr_expect_eq(mpfr_get_d(r, MPFR_RNDN), 7.0);
  tc_expr_free(e);
  mpfr_clear(r);
}

static void expect_eval_error(const char *text, int status, const char *msg)
{
  mpfr_t r;
  mpfr_init2(r, 53);
  char err[64] = "untouched";
  tc_expr *e = tc_expr_parse(text, err, sizeof err);
  cr_assert_not_null(e, "'%s': %s", text, err);
  int s = tc_expr_eval(r, e, table_lookup, NULL, err, sizeof err);
  cr_expect_eq(s, status, "'%s': status %d, want %d", text, s, status);
  cr_expect_str_eq(err, msg, "'%s'", text);
  tc_expr_free(e);
  mpfr_clear(r);
}

Test(expr_eval, errors)
{
  expect_eval_error("x + zeta", TC_ENOTFOUND, "zeta");
  expect_eval_error("max(1, sqrt(w_3))", TC_ENOTFOUND, "w_3");
  expect_eval_error("log(-1)", TC_EDOM, "log of a negative number");
  expect_eval_error("1 + log(-x)", TC_EDOM, "log of a negative number");
  expect_eval_error("sqrt(-1)", TC_EDOM, "sqrt of a negative number");
  expect_eval_error("(-8)^(1/3)", TC_EDOM, "non-integer power of a negative number");
  expect_eval_error("_z^0.5", TC_EDOM, "non-integer power of a negative number");
  expect_eval_error("log(-1/0)", TC_EDOM, "log of a negative number");

  /* No callback at all: every name is unknown. */
  mpfr_t r;
  mpfr_init2(r, 53);
  char err[16];
  tc_expr *e = tc_expr_parse("2 * x", NULL, 0);
  cr_expect_eq(tc_expr_eval(r, e, NULL, NULL, err, sizeof err), TC_ENOTFOUND);
  cr_expect_str_eq(err, "x");
  cr_expect_eq(tc_expr_eval(r, e, NULL, NULL, NULL, 0), TC_ENOTFOUND);
  tc_expr_free(e);
  mpfr_clear(r);
}

typedef struct {
  char names[8][16];
  int n;
} name_list;

static void collect(const char *name, void *data)
{
  name_list *l = data;
  if (l->n < 8)
    snprintf(l->names[l->n], sizeof l->names[0], "%s", name);
  l->n++;
}

Test(expr_foreach_name, distinct_in_order)
{
  name_list l = {.n = 0};
  tc_expr *e = tc_expr_parse("x + y*x + sqrt(z) + pi + e + exp(x) + max(w_2, y, e) - sqrt(2)",
                             NULL, 0);
  cr_assert_not_null(e);
  tc_expr_foreach_name(e, collect, &l);
  cr_assert_eq(l.n, 4);
  cr_expect_str_eq(l.names[0], "x");
  cr_expect_str_eq(l.names[1], "y");
  cr_expect_str_eq(l.names[2], "z");
  cr_expect_str_eq(l.names[3], "w_2");
  tc_expr_free(e);

  l.n = 0;
  e = tc_expr_parse("2*pi*e + log(10)", NULL, 0);
  cr_assert_not_null(e);
  tc_expr_foreach_name(e, collect, &l);
  cr_expect_eq(l.n, 0);
  tc_expr_free(e);

  /* Right-to-left nesting still reports textual order. */
  l.n = 0;
  e = tc_expr_parse("b^(a^c) + a", NULL, 0);
  cr_assert_not_null(e);
  tc_expr_foreach_name(e, collect, &l);
  cr_assert_eq(l.n, 3);
  cr_expect_str_eq(l.names[0], "b");
  cr_expect_str_eq(l.names[1], "a");
  cr_expect_str_eq(l.names[2], "c");
  tc_expr_free(e);
}

/* ---- random expressions at random precisions ---- */

typedef struct {
  mpfr_ptr v[3];
} abc_data;

static int abc_lookup(mpfr_ptr value, const char *name, void *data)
{
  abc_data *d = data;
  if (strlen(name) != 1 || name[0] < 'a' || name[0] > 'c')
    return 1;
  mpfr_set(value, d->v[name[0] - 'a'], MPFR_RNDN);
  return 0;
}

static double random_double(gsl_rng *r)
{
  return (gsl_rng_uniform(r) - 0.5) * pow(10.0, (double)gsl_rng_uniform_int(r, 9) - 4.0);
}

Test(expr_eval, random_against_mpfr)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  for (int it = 0; it < 300; it++) {
    mpfr_prec_t prec = MPFR_PREC_MIN + (mpfr_prec_t)gsl_rng_uniform_int(rng, 300);
    mpfr_t a, b, c, r, w, t;
    mpfr_inits2(prec, a, b, c, r, w, t, (mpfr_ptr)0);
    char sa[40], sb[40], sc[40], text[256];
    snprintf(sa, sizeof sa, "%.17g", random_double(rng));
    snprintf(sb, sizeof sb, "%.17g", random_double(rng));
    snprintf(sc, sizeof sc, "%.17g", random_double(rng));
    mpfr_set_str(a, sa, 10, MPFR_RNDN);
    mpfr_set_str(b, sb, 10, MPFR_RNDN);
    mpfr_set_str(c, sc, 10, MPFR_RNDN);
    abc_data d = {{a, b, c}};
    int form = (int)gsl_rng_uniform_int(rng, 6);
    /* Literals and variables alternate so both paths are exercised. */
    switch (form) {
    case 0:  /* a + b * c */
      snprintf(text, sizeof text, "(%s) + (%s) * c", sa, sb);
      mpfr_mul(w, b, c, MPFR_RNDN);
      mpfr_add(w, a, w, MPFR_RNDN);
      break;
    case 1:  /* (a - b) / c */
      snprintf(text, sizeof text, "(a - (%s)) / (%s)", sb, sc);
      mpfr_sub(w, a, b, MPFR_RNDN);
      mpfr_div(w, w, c, MPFR_RNDN);
      break;
    case 2:  /* -abs(a)^b */
      snprintf(text, sizeof text, "-abs(a)^b");
      mpfr_abs(w, a, MPFR_RNDN);
      mpfr_pow(w, w, b, MPFR_RNDN);
      mpfr_neg(w, w, MPFR_RNDN);
      break;
    case 3:  /* sqrt(abs(a)) + exp(-abs(b)) */
      snprintf(text, sizeof text, "sqrt(abs(%s)) + exp(-abs(b))", sa);
      mpfr_abs(w, a, MPFR_RNDN);
      mpfr_sqrt(w, w, MPFR_RNDN);
      mpfr_abs(t, b, MPFR_RNDN);
      mpfr_neg(t, t, MPFR_RNDN);
      mpfr_exp(t, t, MPFR_RNDN);
      mpfr_add(w, w, t, MPFR_RNDN);
      break;
    case 4:  /* min(a, b, c) - max(a, b) */
      snprintf(text, sizeof text, "min(a, %s, c) - max(a, b)", sb);
      mpfr_min(w, a, b, MPFR_RNDN);
      mpfr_min(w, w, c, MPFR_RNDN);
      mpfr_max(t, a, b, MPFR_RNDN);
      mpfr_sub(w, w, t, MPFR_RNDN);
      break;
    default:  /* log(abs(a)) * erf(b) + floor(c) */
      snprintf(text, sizeof text, "log(abs(a)) * erf(b) + floor(%s)", sc);
      mpfr_abs(w, a, MPFR_RNDN);
      mpfr_log(w, w, MPFR_RNDN);
      mpfr_erf(t, b, MPFR_RNDN);
      mpfr_mul(w, w, t, MPFR_RNDN);
      mpfr_floor(t, c);
      mpfr_add(w, w, t, MPFR_RNDN);
      break;
    }
    char err[64];
    tc_expr *e = tc_expr_parse(text, err, sizeof err);
    cr_assert_not_null(e, "seed %lu: '%s': %s", seed, text, err);
    int s = tc_expr_eval(r, e, abc_lookup, &d, err, sizeof err);
    cr_assert_eq(s, TC_SUCCESS, "seed %lu: '%s': status %d", seed, text, s);
    cr_expect(mpfr_equal_p(r, w) || (mpfr_nan_p(r) && mpfr_nan_p(w)),
              "seed %lu it %d: '%s' at %ld bits: %.17g, MPFR by hand %.17g", seed, it, text,
              (long)prec, mpfr_get_d(r, MPFR_RNDN), mpfr_get_d(w, MPFR_RNDN));
    tc_expr_free(e);
    mpfr_clears(a, b, c, r, w, t, (mpfr_ptr)0);
  }
  gsl_rng_free(rng);
}
