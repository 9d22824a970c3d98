/* tests/tsaddle_class.c — check module "saddle-class"
 * (checks/saddle_class.c): the notes' examples classified in both
 * precisions (gradient 0; Hessian spectrum {0} for x^3, {0, 2} for
 * x_1^2 - x_2^4, {-2|xy|, 2|xy|} for the depth-2 linear network, {0} for
 * depth >= 3) and their descent at the stated order; the catalog mutation
 * test of theorems/saddle-class.thm. */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_class;

TestSuite(saddle_class, .timeout = 120);

static void classify(mpfr_prec_t bits)
{
  struct {
    const char *spec;
    double lmin, lmax, coef; /* fdrop ~ -coef s^order */
  } cases[] = {
    {"family=cubic", 0, 0, 1},
    {"family=quartic-saddle", 0, 2, 1},
    {"family=strict", -2, 2, 1},
    {"family=deep-linear depth=2 x=2 y=-0.5", -2, 2, 1},
    {"family=deep-linear depth=3 x=1 y=1", 0, 0, 2 * pow(3, -1.5)},
    {"family=deep-linear depth=5 x=1 y=1", 0, 0, 2 * pow(5, -2.5)},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tc_record *r = ts_run(&tc_check_saddle_class, cases[i].spec, 7, bits);
    cr_expect_leq(ts_get(r, 0, "grad_norm"), 0, "%s", cases[i].spec);
    cr_expect_leq(fabs(ts_get(r, 0, "hess_lmin") - cases[i].lmin), 1e-14, "%s", cases[i].spec);
    cr_expect_leq(fabs(ts_get(r, 0, "hess_lmax") - cases[i].lmax), 1e-14, "%s", cases[i].spec);
    /* the smallest probe with a result above the rounding floor */
    size_t row = 3; /* s = 0.01 */
    double s = ts_get(r, row, "s"), order = ts_get(r, row, "order");
    double want = -cases[i].coef * pow(s, order), got = ts_get(r, row, "fdrop");
    cr_expect_leq(fabs(got - want), 0.05 * fabs(want) + ts_get(r, row, "fd_err"), "%s: %g vs %g",
                  cases[i].spec, got, want);
    tc_record_free(r);
  }
}

Test(saddle_class, notes_examples_double) { classify(0); }
Test(saddle_class, notes_examples_mpfr) { classify(200); }

/* x_1^2 + x_2^4: the same Hessian as x_1^2 - x_2^4, but no descent. */
Test(saddle_class, minimum_control)
{
  for (uint64_t k = 0; k < 20; k++) {
    tc_record *r = ts_run(&tc_check_saddle_class, "family=minimum", k, 0);
    for (size_t i = 0; i < tc_record_rows(r); i++)
      cr_expect_geq(ts_get(r, i, "fdrop"), 0);
    tc_record_free(r);
  }
}

Test(saddle_class, catalog_mutants)
{
  static const char *const fail[] = {"saddle-class-examples-not-psd", NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-class.thm", fail);
}
