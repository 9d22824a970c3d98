/* tests/trkhs.c — check modules "rkhs-poly" and "rkhs-sphere"
 * (checks/rkhs.c, rkhs_source.h) in both precisions: the RKHS norms of
 * monomials in closed form (1/c_k for e^rho, 1/(2 - rho) and the ReLU NTK),
 * the feature identity inside its tail bound and the wrong map outside it,
 * x^3 outside the NTK's RKHS (c_3 = 0: the Gram norm explodes), the exact
 * sphere norms against Bessel values (e^{cos theta} = I_0(1) + 2 sum I_l(1)
 * cos(l theta)) and against the Gram norm on the circle; and the catalog
 * mutation test of theorems/rkhs.thm. */
#include "tsaddle_util.h"

extern const tc_check tc_check_rkhs_poly, tc_check_rkhs_sphere;

TestSuite(rkhs, .timeout = 120);

#define PI 3.14159265358979323846
static const double I0 = 1.2660658777520083, I1 = 0.5651591039924851, I2 = 0.1357476697670383;

static void poly_closed_forms(mpfr_prec_t bits)
{
  struct { const char *spec; double norm; } c[] = {
    {"kernel=exp target=mono k=2", 2.0},
    {"kernel=exp target=mono k=4", 24.0},
    {"kernel=inv2 target=mono k=3", 16.0},
    {"kernel=ntk target=mono k=0", 2 * PI},
    {"kernel=ntk target=mono k=1", 2.0},
    {"kernel=ntk target=mono k=2", 4 * PI / 3},
    {"kernel=ntk target=mono k=4", 48 * PI / 5}, /* c_4 = t_1 5/(2 pi 3 4) = 5/(48 pi) */
  };
  for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
    tc_record *r = ts_run(&tc_check_rkhs_poly, c[i].spec, 1, bits);
    double nf = ts_get(r, 0, "norm_formula"), ng = ts_get(r, 0, "norm_gram");
    cr_expect_leq(fabs(nf - c[i].norm), 1e-13 * c[i].norm, "%s: %.17g", c[i].spec, nf);
    cr_expect_leq(ng, nf * (1 + 1e-9), "%s: gram %.17g above %.17g", c[i].spec, ng, nf);
    cr_expect_geq(ng, nf * (1 - 1e-3), "%s: gram %.17g far below %.17g", c[i].spec, ng, nf);
    cr_expect_leq(ts_get(r, 0, "feat_err"), ts_get(r, 0, "feat_tol"), "%s", c[i].spec);
    cr_expect_gt(ts_get(r, 0, "feat_err_nosqrt"), 1e3 * ts_get(r, 0, "feat_tol"), "%s", c[i].spec);
    cr_expect_leq(ts_get(r, 0, "repr_err"), ts_get(r, 0, "repr_tol") + 1e-300, "%s", c[i].spec);
    cr_expect_eq(ts_get(r, 0, "missing"), 0);
    tc_record_free(r);
  }
}
Test(rkhs, poly_closed_forms_double) { poly_closed_forms(0); }
Test(rkhs, poly_closed_forms_mpfr) { poly_closed_forms(160); }

/* x^3 under the NTK: c_3 = 0, so phi_3 = 0, <w, phi(x)> misses x^3 by |x|^3
 * whatever w_3, and the Gram norm on a fine design exceeds any constant
 * times sum a_j^2 j^2 = 9. */
static void ntk_cubic(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_rkhs_poly, "kernel=ntk target=mono k=3 x=0.5 n=10", 1, bits);
  cr_expect_leq(fabs(ts_get(r, 0, "repr_err") - 0.125), 1e-15);
  cr_expect_eq(ts_get(r, 0, "missing"), 1);
  cr_expect_eq(ts_get(r, 0, "norm_formula"), 0);
  cr_expect_eq(ts_get(r, 0, "crit2"), 9);
  cr_expect_leq(fabs(ts_get(r, 0, "cmax2") - 2 * PI), 1e-13);
  cr_expect_gt(ts_get(r, 0, "norm_gram"), 1e6, "%g", ts_get(r, 0, "norm_gram"));
  tc_record_free(r);
  /* at |rho| = 1 the ntk's tail needs the algebraic bound: still inside it */
  r = ts_run(&tc_check_rkhs_poly, "kernel=ntk target=mono k=2 x=1 y=-1", 1, bits);
  cr_expect_leq(ts_get(r, 0, "feat_err"), ts_get(r, 0, "feat_tol"));
  cr_expect_leq(ts_get(r, 0, "feat_tol"), 2e-3);
  tc_record_free(r);
}
Test(rkhs, ntk_cubic_double) { ntk_cubic(0); }
Test(rkhs, ntk_cubic_mpfr) { ntk_cubic(160); }

/* d = 2, e^{cos theta}: mu_0 = I_0(1), mu_l = 2 I_l(1); |1|^2 = 1/I_0(1),
 * |w.x|^2 = 1/(2 I_1(1)), |(w.x)^2|^2 = 1/(4 I_0(1)) + 1/(8 I_2(1)) (cos^2 =
 * 1/2 + cos(2 theta)/2), against the notes' 1/c_k = k!; the circle Gram agrees. */
static void sphere_closed_forms(mpfr_prec_t bits)
{
  struct { const char *spec; double exact, formula; } c[] = {
    {"kernel=exp target=mono d=2 k=0 n=15", 1 / I0, 1},
    {"kernel=exp target=mono d=2 k=1 n=15", 1 / (2 * I1), 1},
    {"kernel=exp target=mono d=2 k=2 n=15", 1 / (4 * I0) + 1 / (8 * I2), 2},
  };
  for (size_t i = 0; i < 3; i++) {
    tc_record *r = ts_run(&tc_check_rkhs_sphere, c[i].spec, 1, bits);
    double ne = ts_get(r, 0, "norm_exact"), ng = ts_get(r, 0, "norm_gram");
    cr_expect_leq(fabs(ne - c[i].exact), 1e-14 * c[i].exact, "%s: %.17g", c[i].spec, ne);
    cr_expect_eq(ts_get(r, 0, "norm_formula"), c[i].formula);
    cr_expect_leq(fabs(ng - ne), 1e-7 * ne, "%s: gram %.17g", c[i].spec, ng);
    tc_record_free(r);
  }
  /* d = 3: t^2 = (2 P_2 + 1)/3, mu_0 = sinh 1, mu_2 = 5 i_2(1) = 5 (4 sinh 1 - 3 cosh 1);
   * 60 uniform points bring the interpolant within 1e-3 from below */
  tc_record *r3 = ts_run(&tc_check_rkhs_sphere, "kernel=exp target=mono d=3 k=2 n=60", 1, bits);
  double want = 1 / (9 * sinh(1.0)) + 4 / (45 * (4 * sinh(1.0) - 3 * cosh(1.0)));
  cr_expect_leq(fabs(ts_get(r3, 0, "norm_exact") - want), 1e-13 * want, "%.17g vs %.17g", ts_get(r3, 0, "norm_exact"), want);
  cr_expect_leq(ts_get(r3, 0, "norm_gram"), want * (1 + 1e-12));
  cr_expect_geq(ts_get(r3, 0, "norm_gram"), want * (1 - 1e-3));
  tc_record_free(r3);
  /* the ReLU NTK on the circle: mu_1 = c_1 exactly (no odd degree past 1), so
   * |w.x|^2 = 1/c_1 = 2; |1|^2 = 1/mu_0 = 3.2898681336964529 (mpmath quadrature
   * of g(cos theta)) and |(w.x)^2|^2 = 2.4086534550277601 lie inside the bracket */
  struct { const char *spec; double want; } nt[] = {
    {"kernel=ntk support=positive target=mono d=2 k=1 n=31", 2.0},
    {"kernel=ntk support=positive target=mono d=2 k=0 n=31", 3.2898681336964529},
    {"kernel=ntk support=positive target=mono d=2 k=2 n=31", 2.4086534550277601},
  };
  for (size_t i = 0; i < 3; i++) {
    tc_record *rn = ts_run(&tc_check_rkhs_sphere, nt[i].spec, 1, bits);
    double ne = ts_get(rn, 0, "norm_exact"), ee = ts_get(rn, 0, "exact_err");
    cr_expect_geq(ne, nt[i].want * (1 - 1e-13), "%s: %.17g", nt[i].spec, ne);
    cr_expect_leq(ne - ee, nt[i].want * (1 + 1e-13), "%s: %.17g - %.3g", nt[i].spec, ne, ee);
    cr_expect_leq(ee, 2e-3 * ne);
    cr_expect_leq(ts_get(rn, 0, "norm_gram"), ne * (1 + 1e-12));
    tc_record_free(rn);
  }
  /* a dense f in d = 7: the exact norm lies below the notes' sum */
  tc_record *r = ts_run(&tc_check_rkhs_sphere, "kernel=inv2 target=dense d=7 k=5", 3, bits);
  cr_expect_lt(ts_get(r, 0, "norm_exact"), ts_get(r, 0, "norm_formula"));
  cr_expect_leq(ts_get(r, 0, "exact_err"), 1e-10 * ts_get(r, 0, "norm_exact"));
  tc_record_free(r);
}
Test(rkhs, sphere_closed_forms_double) { sphere_closed_forms(0); }
Test(rkhs, sphere_closed_forms_mpfr) { sphere_closed_forms(160); }

/* The truncated feature sum stays inside its tail bound on a grid of (x, y)
 * that includes |xy| = 1, for the three kernels, and the wrong map (c_i
 * instead of sqrt(c_i)) leaves it except where both agree (xy = 0 gives g(0)
 * = c_0 against c_0^2). */
static void feature_grid(mpfr_prec_t bits)
{
  const char *kern[] = {"ntk", "exp", "inv2"};
  const double v[] = {-1, -0.97, -0.5, 0.31, 0.9, 1};
  for (size_t q = 0; q < 3; q++)
    for (size_t i = 0; i < 6; i++)
      for (size_t j = 0; j < 6; j++) {
        char spec[128];
        snprintf(spec, sizeof spec, "kernel=%s x=%.17g y=%.17g n=2", kern[q], v[i], v[j]);
        tc_record *r = ts_run(&tc_check_rkhs_poly, spec, 1, bits);
        cr_expect_leq(ts_get(r, 0, "feat_err"), ts_get(r, 0, "feat_tol"), "%s: %g > %g", spec, ts_get(r, 0, "feat_err"),
                      ts_get(r, 0, "feat_tol"));
        cr_expect_gt(ts_get(r, 0, "feat_err_nosqrt"), ts_get(r, 0, "feat_tol"), "%s", spec);
        tc_record_free(r);
      }
}
Test(rkhs, feature_grid_double) { feature_grid(0); }
Test(rkhs, feature_grid_mpfr) { feature_grid(128); }

/* Double and MPFR measure the same instance. */
Test(rkhs, backends_agree)
{
  const char *specs[] = {"kernel=inv2 target=dense k=6 x=-0.3 y=0.9 n=12", "kernel=ntk target=dense k=8 n=10"};
  for (size_t i = 0; i < 2; i++) {
    tc_record *a = ts_run(&tc_check_rkhs_poly, specs[i], 11, 0), *b = ts_run(&tc_check_rkhs_poly, specs[i], 11, 128);
    const char *names[] = {"norm_formula", "norm_gram", "crit2", "crit15"};
    for (size_t q = 0; q < 4; q++) {
      double x = ts_get(a, 0, names[q]), y = ts_get(b, 0, names[q]);
      cr_expect_leq(fabs(x - y), 1e-6 * fabs(y), "%s %s: %.17g vs %.17g", specs[i], names[q], x, y);
    }
    tc_record_free(a);
    tc_record_free(b);
  }
}

Test(rkhs, validate_rejects)
{
  ts_point pt;
  const char *param = NULL;
  char err[256];
  ts_point_make(&pt, "kernel=ntk d=2 k=2");
  cr_expect_neq(tc_check_validate(&tc_check_rkhs_sphere, &pt.p, &param, err, sizeof err), TC_SUCCESS);
  cr_expect_str_eq(param, "kernel");
  ts_point_make(&pt, "kernel=ntk support=positive d=2 k=2");
  cr_expect_eq(tc_check_validate(&tc_check_rkhs_sphere, &pt.p, &param, err, sizeof err), TC_SUCCESS, "%s", err);
  ts_point_make(&pt, "kernel=inv2 d=3 k=2 n=5");
  cr_expect_eq(tc_check_validate(&tc_check_rkhs_sphere, &pt.p, &param, err, sizeof err), TC_SUCCESS, "%s", err);
}

Test(rkhs, catalog_mutants)
{
  const char *fail[] = {"rkhs-repr-stated", "rkhs-sphere-norm-stated", "ntk-learnable-stated", NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/rkhs.thm", fail);
}
