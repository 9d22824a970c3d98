/* tests/tsaddle_chain.c — check module "saddle-chain"
 * (checks/saddle_chain.c): with b = 0 the function is the quadratic
 * 1/2 x^T A x, H is constant and the frozen-Hessian step is exact
 * (chain = chain0); the chain-rule identity holds within its estimate in
 * both precisions; the catalog mutation test of theorems/saddle-chain.thm. */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_chain;

TestSuite(saddle_chain, .timeout = 120);

static void chain(mpfr_prec_t bits, const char *spec, int quadratic)
{
  tc_record *r = ts_run(&tc_check_saddle_chain, spec, 11, bits);
  cr_expect_eq(tc_record_rows(r), 10);
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    double c = ts_get(r, i, "chain"), c0 = ts_get(r, i, "chain0");
    cr_expect_leq(fabs(ts_get(r, i, "dphi") - c), ts_get(r, i, "dphi_err"), "%s row %zu", spec, i);
    cr_expect_lt(ts_get(r, i, "dphi_err"), 1e-3 * fabs(c), "%s row %zu: estimate too loose", spec, i);
    if (quadratic)
      cr_expect_leq(fabs(c - c0), 1e-12 * fabs(c), "row %zu", i);
  }
  tc_record_free(r);
}

Test(saddle_chain, quadratic_double) { chain(0, "d=4 b=0 lam=1", 1); }
Test(saddle_chain, quadratic_mpfr) { chain(160, "d=4 b=0 lam=1", 1); }
Test(saddle_chain, quartic_double) { chain(0, "d=6 b=1 lam=1", 0); }
Test(saddle_chain, quartic_mpfr) { chain(160, "d=6 b=1 lam=1", 0); }

Test(saddle_chain, catalog_mutants)
{
  static const char *const fail[] = {NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-chain.thm", fail);
}
