/* tests/tsaddle_mf.c — check module "saddle-mf" (checks/saddle_mf.c):
 * f(U) = ||U U^T - M||_F^2 at eigenvector critical points.
 *
 * Both forms (||UU^T - M||^2 and the notes' ||UV^T - A||^2), in both
 * precisions: the assembled Hessian against the central finite
 * difference of the gradient (exact for the cubic gradient up to the
 * 4 h^2 V V^T V term the module removes), and the gradient against the
 * Richardson difference of f itself; lambda_min = -4 lambda_max(M) at
 * U = 0 and -4 (lambda_r - lambda_{r+1}) at the skip saddle; the whole
 * spectrum against the closed form; GD's growth within the remainder
 * bound; validation errors; and the catalog mutation test (every claim of
 * theorems/saddle-mf.thm PASSes and refutes all its mutants).  Seeds are
 * fixed (TC_TEST_SEED overrides). */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_mf;

static uint64_t seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261202u;
}

TestSuite(saddle_mf, .timeout = 300);

/* H V against (grad f(U + hV) - grad f(U - hV)) / 2h - 4 h^2 V V^T V at
 * each kind of critical point: the relative residual is rounding only
 * (1/h = 1e3 times the gradient's rounding). */
static void hvp_fd(mpfr_prec_t bits)
{
  static const char *const specs[] = {"subset=zero d=7 r=2", "subset=top d=9 r=3",
                                      "subset=skip d=12 r=2 gap=0.01", "subset=bottom d=5 r=1",
                                      "form=asym subset=zero d=6 r=2", "form=asym subset=skip d=8 r=3 gap=0.1",
                                      "form=asym subset=top d=4 r=1", NULL};
  double tol = bits ? 1e-18 : 1e-10;
  for (size_t i = 0; specs[i]; i++) {
    tc_record *r = ts_run(&tc_check_saddle_mf, specs[i], seed() + i, bits);
    cr_expect_leq(ts_get(r, 0, "hvp_fd"), tol, "%s: HVP residual %g", specs[i], ts_get(r, 0, "hvp_fd"));
    cr_expect_leq(ts_get(r, 0, "grad_fd"), tol, "%s: gradient residual %g", specs[i],
                  ts_get(r, 0, "grad_fd"));
    tc_record_free(r);
  }
}

Test(saddle_mf, hvp_finite_difference_double) { hvp_fd(0); }
Test(saddle_mf, hvp_finite_difference_mpfr) { hvp_fd(160); }

/* Closed forms: lambda_min(H(0)) = -4 scale; at skip, -4 (lambda_r -
 * lambda_{r+1}); the whole spectrum within the rounding estimate; the
 * gradient 0. */
static void closed_forms(mpfr_prec_t bits)
{
  tc_record *z = ts_run(&tc_check_saddle_mf, "subset=zero d=20 r=3 scale=7.5", seed(), bits);
  cr_expect_leq(fabs(ts_get(z, 0, "hess_lmin") + 30), ts_get(z, 0, "hess_err"));
  tc_record_free(z);
  tc_record *za = ts_run(&tc_check_saddle_mf, "form=asym subset=zero d=9 r=2 scale=3", seed(), bits);
  cr_expect_leq(fabs(ts_get(za, 0, "hess_lmin") + 6), ts_get(za, 0, "hess_err"), "asym: -2 sigma_max");
  cr_expect_leq(fabs(ts_get(za, 0, "hess_lmax") - 6), ts_get(za, 0, "hess_err"), "asym: +2 sigma_max");
  tc_record_free(za);
  tc_record *s = ts_run(&tc_check_saddle_mf, "subset=skip d=30 r=2 gap=1e-6", seed(), bits);
  double lmin = ts_get(s, 0, "hess_lmin"), err = ts_get(s, 0, "hess_err");
  cr_expect_leq(fabs(lmin + 4 * ts_get(s, 0, "gap_abs")), err, "lambda_min %.17g, gap %.17g", lmin,
                ts_get(s, 0, "gap_abs"));
  cr_expect_lt(lmin, -err, "the saddle is strict beyond rounding");
  cr_expect_leq(ts_get(s, 0, "spec_dev"), err);
  cr_expect_leq(ts_get(s, 0, "grad_norm"), ts_get(s, 0, "grad_err"));
  tc_record_free(s);
}

Test(saddle_mf, closed_forms_double) { closed_forms(0); }
Test(saddle_mf, closed_forms_mpfr) { closed_forms(160); }

/* GD from the origin's neighbourhood: |y_t - growth^t y_0| within the
 * remainder bound plus rounding, growth = 1 + eta 4 lambda_max(M). */
static void gd_growth(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_mf, "mode=gd subset=zero d=10 r=2 eta2=0.5 rest=1", seed(), bits);
  double g = ts_get(r, 0, "growth"), eta = ts_get(r, 0, "eta"), y0 = ts_get(r, 0, "y10");
  cr_expect_leq(fabs(g - (1 + 4 * eta)), 1e-12);
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    double t = ts_get(r, i, "t"), y = ts_get(r, i, "y1");
    cr_expect_leq(fabs(y - pow(g, t) * y0), ts_get(r, i, "rem") + ts_get(r, i, "y_err") + 1e-13 * y,
                  "t=%g", t);
  }
  cr_expect_eq(ts_get(r, 0, "t_esc"), ts_get(r, 0, "t_esc_pred"));
  tc_record_free(r);
  /* the notes' form at (U, V) = 0: lambda_min = -2 sigma_max = -2 */
  r = ts_run(&tc_check_saddle_mf, "form=asym mode=gd subset=zero d=8 r=2 eta2=0.5 rest=1", seed(), bits);
  g = ts_get(r, 0, "growth");
  eta = ts_get(r, 0, "eta");
  y0 = ts_get(r, 0, "y10");
  cr_expect_leq(fabs(g - (1 + 2 * eta)), 1e-12);
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    double t = ts_get(r, i, "t"), y = ts_get(r, i, "y1");
    cr_expect_leq(fabs(y - pow(g, t) * y0), ts_get(r, i, "rem") + ts_get(r, i, "y_err") + 1e-13 * y,
                  "asym t=%g", t);
  }
  cr_expect_eq(ts_get(r, 0, "t_esc"), ts_get(r, 0, "t_esc_pred"));
  tc_record_free(r);
}

Test(saddle_mf, gd_growth_double) { gd_growth(0); }
Test(saddle_mf, gd_growth_mpfr) { gd_growth(160); }

/* subset = all: one row per S with |S| <= r (1 + 6 + 15 + 20 for d = 6,
 * r = 3), both forms, exactly one of them the global minimum (the only row with
 * lambda_min >= 0), each spectrum the closed form (zero columns too). */
static void enumerate_all(mpfr_prec_t bits, const char *spec)
{
  tc_record *r = ts_run(&tc_check_saddle_mf, spec, seed(), bits);
  cr_assert_eq(tc_record_rows(r), 42);
  size_t nmin = 0;
  for (size_t i = 0; i < 42; i++) {
    double err = ts_get(r, i, "hess_err"), lmin = ts_get(r, i, "hess_lmin");
    nmin += ts_get(r, i, "is_min") == 1;
    cr_expect_leq(ts_get(r, i, "spec_dev"), err, "row %zu (sid %g)", i, ts_get(r, i, "sid"));
    cr_expect_leq(ts_get(r, i, "grad_norm"), ts_get(r, i, "grad_err"), "row %zu", i);
    if (ts_get(r, i, "is_min") == 1)
      cr_expect_geq(lmin, -err, "the minimum is PSD");
    else
      cr_expect_lt(lmin, -err, "row %zu (sid %g) is a strict saddle", i, ts_get(r, i, "sid"));
  }
  cr_expect_eq(nmin, 1);
  tc_record_free(r);
}

Test(saddle_mf, enumerate_all_double) { enumerate_all(0, "subset=all d=6 r=3 gap=0.01"); }
Test(saddle_mf, enumerate_all_mpfr) { enumerate_all(160, "subset=all d=6 r=3 gap=0.01"); }
Test(saddle_mf, enumerate_all_asym_double) { enumerate_all(0, "form=asym subset=all d=6 r=3 gap=0.01"); }
Test(saddle_mf, enumerate_all_asym_mpfr) { enumerate_all(160, "form=asym subset=all d=6 r=3 gap=0.01"); }

Test(saddle_mf, validate)
{
  ts_point pt;
  const char *param = NULL;
  char err[256];
  ts_point_make(&pt, "subset=skip d=3 r=3");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_mf, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "r");
  ts_point_make(&pt, "subset=top mode=gd d=5 r=1");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_mf, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "subset");
  ts_point_make(&pt, "form=asym subset=zero d=300 r=2");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_mf, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "d");
  ts_point_make(&pt, "subset=all d=20 r=1");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_mf, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "d");
  ts_point_make(&pt, "subset=zero d=400 r=3");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_mf, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "d");
}

/* Mutation test: a barely strict saddle read as a local minimum, and the
 * f/2 normalisation of lambda_min, must both be refuted by the rows; then
 * every catalog entry gets its verdict with all mutants refuted. */
Test(saddle_mf, catalog_mutants)
{
  tc_record *s = ts_run(&tc_check_saddle_mf, "subset=skip d=10 r=1 gap=1e-6", seed(), 128);
  double lmin = ts_get(s, 0, "hess_lmin"), lex = ts_get(s, 0, "lmin_exact");
  cr_expect_gt(fabs(lmin - 0.5 * lex), 100 * ts_get(s, 0, "hess_err"), "f/2 mutant not refuted");
  cr_expect_lt(lmin, 0, "PSD mutant not refuted");
  tc_record_free(s);
  static const char *const fail[] = {NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-mf.thm", fail);
}
