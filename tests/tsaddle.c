/* tests/tsaddle.c — check modules "saddle-flow", "saddle-gd"
 * (checks/saddle.c) and "escape-ball" (checks/escape.c).
 *
 * Closed forms in both precisions: the exact quadratic flow e^{2 lam t}
 * on the escaping coordinate and e^{-2t} on the stable ones, the escape
 * time ln(c/x10)/(2 lam), GD's growth |1 - eta lambda_min|^t, the measured
 * spectrum; escape-ball's exact probability (d = 1: 1 - delta/2) and its
 * event; validation errors; and the catalog mutation test (each claim of
 * theorems/saddle.thm and saddle-escape.thm gets its verdict, every PASS
 * refutes all its mutants).  Seeds are fixed (TC_TEST_SEED overrides). */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_flow, tc_check_saddle_gd, tc_check_escape_ball;

static uint64_t seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261202u;
}

TestSuite(saddle, .timeout = 300);

/* x_{1,t} = x_{1,0} e^{2t}, x_{k,t} = x_{k,0} e^{-2t} for A = diag(-1, 1, ...),
 * in both backends, within the module's own bound, and the bound small. */
static void flow_closed_form(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_flow, "family=notes d=3 lam=1 p=1 hscale=0.05", seed(), bits);
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    double t = ts_get(r, i, "t"), yk = ts_get(r, i, "yk"), y0 = ts_get(r, i, "yk0");
    double a = ts_get(r, i, "Akk"), e = ts_get(r, i, "ode_err");
    double exact = y0 * exp(-2 * a * t);
    cr_expect_leq(fabs(yk - exact), e, "row %zu: |%g - %g| > %g", i, yk, exact, e);
    cr_expect_lt(e, 1e-5 * fmax(fabs(exact), 1e-3), "row %zu: bound %g too loose", i, e);
  }
  double tesc = ts_get(r, 0, "t_esc"), tex = log(1.0 / pow(3.0, -1.0)) / 2;
  cr_expect_leq(fabs(tesc - tex), ts_get(r, 0, "t_err") + 1e-12, "t_esc %g vs %g", tesc, tex);
  tc_record_free(r);
}

Test(saddle, flow_closed_form_double) { flow_closed_form(0); }
Test(saddle, flow_closed_form_mpfr) { flow_closed_form(200); }

/* t_exact is the root of x10 e^{2 lam t} = c found by bisection: it
 * equals ln(c/x10)/(2 lam) to the backend's full precision (x10 = d^-p
 * taken exactly in MPFR), from below, and RK4's t_esc lies within t_err
 * of it while t_rnd (rounding part) stays below t_err. */
static void escape_root(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_flow, "family=notes d=1000 lam=0.3 p=1 c=10 hscale=0.2",
                        seed(), bits);
  mpfr_prec_t prec = bits ? bits : 53;
  mpfr_t te, tf;
  mpfr_inits2(prec + 20, te, tf, (mpfr_ptr)0);
  cr_assert_eq(tc_record_get(te, r, 0, "t_exact"), TC_SUCCESS);
  mpfr_set_ui(tf, 10000, MPFR_RNDN); /* c / x10 = 10 * 1000 */
  mpfr_log(tf, tf, MPFR_RNDN);
  mpfr_div_d(tf, tf, 0.6, MPFR_RNDN);
  mpfr_sub(te, te, tf, MPFR_RNDN);
  mpfr_div(te, te, tf, MPFR_RNDN);
  double rel = mpfr_get_d(te, MPFR_RNDN);
  cr_expect_leq(fabs(rel), ldexp(1.0, -(int)prec + 6), "t_exact relative error %g", rel);
  double tesc = ts_get(r, 0, "t_esc"), tex = ts_get(r, 0, "t_exact");
  cr_expect_leq(fabs(tesc - tex), ts_get(r, 0, "t_err"), "t_esc %.15g vs t_exact %.15g", tesc, tex);
  cr_expect_lt(ts_get(r, 0, "t_rnd"), ts_get(r, 0, "t_err"));
  mpfr_clears(te, tf, (mpfr_ptr)0);
  tc_record_free(r);
}

Test(saddle, escape_root_double) { escape_root(0); }
Test(saddle, escape_root_mpfr) { escape_root(200); }

/* Rotated A, a barely strict saddle, a 1e-30 perturbation: the escape
 * time in MPFR is the closed form's to its error bound; double sees
 * rounding in the escaping direction (u ||x|| >> 1e-30), so only MPFR is
 * held to the formula, and double escapes no later. */
Test(saddle, escape_time_tiny_perturbation)
{
  const char *spec = "family=rotated d=8 lam=0.2 x10=1e-30 hscale=0.2";
  tc_record *m = ts_run(&tc_check_saddle_flow, spec, seed(), 160);
  tc_record *d = ts_run(&tc_check_saddle_flow, spec, seed(), 0);
  double tm = ts_get(m, 0, "t_esc"), tex = ts_get(m, 0, "t_exact");
  cr_expect_leq(fabs(tm - tex), ts_get(m, 0, "t_err"), "MPFR t_esc %.12g vs %.12g", tm, tex);
  cr_expect_leq(ts_get(d, 0, "t_esc"), tm + ts_get(d, 0, "t_err"));
  tc_record_free(m);
  tc_record_free(d);
}

/* GD: |v^T x_t| = |1 - eta lambda_min|^t |v^T x_0| and the measured
 * lambda_min = -lam, both backends. */
static void gd_growth(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_gd, "family=rotated d=6 lam=0.3 eta2=0.4 c=1e6 iterations=30",
                        seed(), bits);
  double g = ts_get(r, 0, "growth"), y10 = ts_get(r, 0, "y10"), lmax = ts_get(r, 0, "lmax");
  cr_expect_leq(fabs(ts_get(r, 0, "lmin") + 0.3), 1e-12);
  cr_expect_leq(fabs(g - (1 + 0.4 * 2 / lmax * 0.3)), 1e-12);
  for (size_t i = 0; i < tc_record_rows(r); i++) {
    double t = ts_get(r, i, "t"), y1 = ts_get(r, i, "y1");
    cr_expect_leq(fabs(y1 - pow(g, t) * y10), ts_get(r, i, "y_err") + 1e-13 * y1, "t=%g", t);
    cr_expect_leq(ts_get(r, i, "pow_t"), ts_get(r, i, "y_err") + 1e-13 * y1, "t=%g", t);
  }
  tc_record_free(r);
}

Test(saddle, gd_growth_double) { gd_growth(0); }
Test(saddle, gd_growth_mpfr) { gd_growth(160); }

/* GD from the positive eigenspace: contracts for eta < 2/lambda_max,
 * not for eta > 2/lambda_max (003-12's "iff" needs the step condition). */
Test(saddle, gd_converge_iff_needs_step_condition)
{
  tc_record *a = ts_run(&tc_check_saddle_gd,
                        "family=rotated d=6 start=positive lam=0.01 pmin=0.2 eta2=0.5 c=1e6 iterations=40",
                        seed(), 160);
  tc_record *b = ts_run(&tc_check_saddle_gd,
                        "family=rotated d=6 start=positive lam=0.01 pmin=0.2 eta2=1.3 c=1e6 iterations=40",
                        seed(), 160);
  cr_expect_lt(ts_get(a, 0, "rate"), 1);
  cr_expect_gt(ts_get(b, 0, "rate"), 1.5); /* |1 - 2.6| = 1.6 */
  tc_record_free(a);
  tc_record_free(b);
}

Test(saddle, validate)
{
  ts_point pt;
  const char *param = NULL;
  char err[256];
  ts_point_make(&pt, "family=rotated d=100 lam=1");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_flow, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "d");
  ts_point_make(&pt, "family=notes d=2 x10=5 c=1");
  cr_expect_eq(tc_check_validate(&tc_check_saddle_flow, &pt.p, &param, err, sizeof err), TC_EDOM);
  ts_point_make(&pt, "d=10 r=2 delta=0.5 c=1");
  cr_expect_eq(tc_check_validate(&tc_check_escape_ball, &pt.p, &param, err, sizeof err), TC_EDOM);
  cr_expect_str_eq(param, "r");
}

/* escape-ball: p_exact = 1 - delta/2 at d = 1 (x_1 uniform on [-r, r]),
 * and the event t_esc <= t_notes is exactly x10 >= threshold. */
static void escape_exact(mpfr_prec_t bits)
{
  for (uint64_t k = 0; k < 200; k++) {
    tc_record *r = ts_run(&tc_check_escape_ball, "d=1 r=0.01 delta=0.3 c=1", seed() + k, bits);
    cr_expect_leq(fabs(ts_get(r, 0, "p_exact") - 0.85), 1e-15);
    int ev = ts_get(r, 0, "t_esc") <= ts_get(r, 0, "t_notes");
    int ge = ts_get(r, 0, "x10") >= ts_get(r, 0, "threshold");
    cr_expect_eq(ev, ge);
    tc_record_free(r);
  }
}

Test(saddle, escape_exact_double) { escape_exact(0); }
Test(saddle, escape_exact_mpfr) { escape_exact(128); }

/* Both backends read the same tape: the same x_{1,0}. */
Test(saddle, escape_backends_agree)
{
  tc_record *a = ts_run(&tc_check_escape_ball, "d=50 r=1e-3 delta=0.5 c=1 lam=0.1", seed(), 0);
  tc_record *b = ts_run(&tc_check_escape_ball, "d=50 r=1e-3 delta=0.5 c=1 lam=0.1", seed(), 200);
  cr_expect_leq(fabs(ts_get(a, 0, "x10") / ts_get(b, 0, "x10") - 1), 1e-14);
  tc_record_free(a);
  tc_record_free(b);
}

Test(saddle, catalog_flow_and_gd_mutants)
{
  static const char *const fail[] = {"saddle-flow-escape-lambda", "saddle-flow-escape-sweep-lam", "saddle-gd-norm-approx",
                                     "saddle-gd-power-index", "saddle-gd-converge-iff", NULL};
  /* The escape-time claims compare the exact root t_exact with the stated
   * time (equality within rounding: PASS); RK4 against t_exact is its own
   * claim (saddle-flow-escape-rk4).  None is left undecided. */
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle.thm", fail);
}

Test(saddle, catalog_escape_mutants)
{
  static const char *const fail[] = {NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-escape.thm", fail);
}
