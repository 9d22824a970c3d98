/* tests/tsaddle_pgd.c — check module "saddle-pgd" (checks/saddle_pgd.c):
 * the paper's constants (chi, t_thres) recomputed here, PGD from the
 * saddle 0 ends at an eps-SOSP after two perturbations, about 2 t_thres
 * iterations; double and MPFR read the same noise from the tape (same
 * iteration count and number of perturbations); the catalog mutation test
 * of theorems/saddle-pgd.thm. */
#include "tsaddle_util.h"

extern const tc_check tc_check_saddle_pgd;

TestSuite(saddle_pgd, .timeout = 300);

static void pgd_closed_form(mpfr_prec_t bits)
{
  tc_record *r = ts_run(&tc_check_saddle_pgd, "d=5 eps=0.01 delta=0.1", 3, bits);
  double l = 1, rho = 1, Df = 2, eps = 0.01, delta = 0.1;
  double chi = 3 * fmax(log(5 * l * Df / (eps * eps * delta)), 4);
  double tth = ceil(chi * l / sqrt(rho * eps));
  cr_expect_leq(fabs(ts_get(r, 0, "chi") - chi), 1e-12);
  cr_expect_eq(ts_get(r, 0, "t_thres"), tth);
  cr_expect_eq(ts_get(r, 0, "sosp"), 1);
  cr_expect_eq(ts_get(r, 0, "returned"), 1);
  cr_expect_eq(ts_get(r, 0, "nperturb"), 2);
  cr_expect_eq(ts_get(r, 0, "iters"), 2 * tth + 1);
  /* the output is the minimum x_1 = +-pi of cos x_1: lambda_min = min a_i */
  cr_expect_geq(ts_get(r, 0, "lmin"), 0.1 - 1e-12);
  tc_record_free(r);
}

Test(saddle_pgd, closed_form_double) { pgd_closed_form(0); }
Test(saddle_pgd, closed_form_mpfr) { pgd_closed_form(160); }

Test(saddle_pgd, backends_read_the_same_noise)
{
  for (uint64_t s = 0; s < 5; s++) {
    tc_record *a = ts_run(&tc_check_saddle_pgd, "d=20 m=3 eps=0.05 delta=0.2 c=0.5", s, 0);
    tc_record *b = ts_run(&tc_check_saddle_pgd, "d=20 m=3 eps=0.05 delta=0.2 c=0.5", s, 128);
    cr_expect_eq(ts_get(a, 0, "iters"), ts_get(b, 0, "iters"), "seed %llu", (unsigned long long)s);
    cr_expect_eq(ts_get(a, 0, "nperturb"), ts_get(b, 0, "nperturb"));
    tc_record_free(a);
    tc_record_free(b);
  }
}

Test(saddle_pgd, catalog_mutants)
{
  static const char *const fail[] = {"saddle-pgd-rate-eps", NULL};
  ts_catalog_verdicts(TC_SRCDIR "/theorems/saddle-pgd.thm", fail);
}
