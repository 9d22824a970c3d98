/* tests/tsaddle_jac.c — check module "saddle-jac" (checks/saddle_jac.c):
 * equality ||r|| = ||J r|| / sigma_min on sigma_min's singular vector,
 * the loss ratio's closed forms (logistic 2 ln 2 at 0, ~|z| as z -> -inf,
 * 1 as z -> +inf even where e^{-z} underflows double; square |z|/2), the
 * rank of relu features of parallel data, in both precisions; and the
 * catalog mutation test of theorems/saddle-jac.thm. */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_jac;

TestSuite(saddle_jac, .timeout = 120);

static void closed_forms(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_jac, "kind=jacobian start=worst p=8 n=4 cond=100", 5, bits);
  double lhs = ts_get(r, 0, "rnorm"), rhs = ts_get(r, 0, "jrnorm") / ts_get(r, 0, "smin");
  cr_expect_leq(fabs(lhs - rhs), 1e-9 * lhs, "%g vs %g", lhs, rhs);
  cr_expect_leq(fabs(ts_get(r, 0, "smin") - 0.01), 1e-10);
  tc_record_free(r);
  struct { const char *spec; double want; } lc[] = {
    {"kind=loss-ratio loss=logistic z=0", 2 * log(2.0)},
    {"kind=loss-ratio loss=logistic z=-1000", 1000},
    {"kind=loss-ratio loss=logistic z=1000", 1},
    {"kind=loss-ratio loss=square z=-6", 3},
  };
  for (size_t i = 0; i < 4; i++) {
    r = ts_run(&tc_check_saddle_jac, lc[i].spec, 1, bits);
    cr_expect_leq(fabs(ts_get(r, 0, "ratio") - lc[i].want), 1e-12 * lc[i].want, "%s: %g", lc[i].spec,
                  ts_get(r, 0, "ratio"));
    tc_record_free(r);
  }
  r = ts_run(&tc_check_saddle_jac, "kind=features act=relu data=parallel dim=3 m=10 n=5", 2, bits);
  cr_expect_eq(ts_get(r, 0, "rank_phi"), 4);
  cr_expect_gt(ts_get(r, 0, "residual"), 1e-3);
  cr_expect_gt(ts_get(r, 0, "w_smin"), 0);
  tc_record_free(r);
  r = ts_run(&tc_check_saddle_jac, "kind=features act=relu data=generic dim=3 m=10 n=5", 2, bits);
  cr_expect_eq(ts_get(r, 0, "rank_phi"), 5);
  cr_expect_leq(ts_get(r, 0, "residual"), ts_get(r, 0, "res_err"));
  tc_record_free(r);
}

Test(saddle_jac, closed_forms_double) { closed_forms(0); }
Test(saddle_jac, closed_forms_mpfr) { closed_forms(160); }

Test(saddle_jac, catalog_mutants)
{
  static const char *const fail[] = {"saddle-jac-loss-ratio", "saddle-jac-features-rank", NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-jac.thm", fail);
}
