/* Tests of the reg-bias check module (checks/reg_bias.c): the balanced
 * factorisation attains (L/2) sum sigma^{2/L} and every moved one lies
 * above it, the singular values come from the product (rank of the
 * lowrank spectrum, ||beta||_1 of the Hadamard case), double and MPFR
 * agree, and the catalog's entries PASS with every mutant refuted. */
#include <criterion/criterion.h>
#include <math.h>
#include "tc_check.h"
#include "tcheck_util.h"
#include "tsaddle_util.h"

extern const tc_check tc_check_reg_bias;

static const char *const names[] = {"family", "p", "depth", "spectrum", "cond", "gauge"};

static tc_record *run(const char *spec, uint64_t seed, mpfr_prec_t bits)
{
  return tcu_run_spec(&tc_check_reg_bias, spec, names, 6, seed, bits);
}

static void check_bound(const char *spec, int moved, mpfr_prec_t bits)
{
  for (uint64_t seed = 1; seed <= 4; seed++) {
    tc_record *r = run(spec, seed, bits);
    double L = tcu_getd(r, 0, "depth"), bound = L / 2 * tcu_getd(r, 0, "sch"), err = tcu_getd(r, 0, "err");
    double reg = tcu_getd(r, 0, "reg"), bal = tcu_getd(r, 0, "reg_bal");
    cr_expect(fabs(bal - bound) <= err, "%s seed %llu bits %ld: balanced %.17g vs bound %.17g (err %g)", spec,
              (unsigned long long)seed, (long)bits, bal, bound, err);
    cr_expect(reg >= bound - err, "%s: moved %.17g below the bound %.17g", spec, reg, bound);
    if (moved)
      cr_expect(reg > bound * (1 + 1e-6), "%s: a gauge of 0.5 moves reg off the minimum", spec);
    tc_record_free(r);
  }
}

Test(reg_bias, balanced_attains_and_moved_lie_above)
{
  mpfr_prec_t bits[] = {0, 128, 256};
  for (int b = 0; b < 3; b++) {
    check_bound("family=full p=6 depth=3 spectrum=graded cond=1e6 gauge=0.5", 1, bits[b]);
    check_bound("family=full p=5 depth=8 spectrum=lowrank cond=100 gauge=0.5", 1, bits[b]);
    check_bound("family=diagonal p=7 depth=2 spectrum=graded cond=1e3 gauge=0.5", 1, bits[b]);
    check_bound("family=full p=4 depth=2 spectrum=flat cond=1 gauge=0", 0, bits[b]);
  }
}

Test(reg_bias, hadamard_l1_and_rank_from_the_product)
{
  tc_record *r = run("family=diagonal p=9 depth=2 spectrum=lowrank cond=50 gauge=1", 3, 128);
  cr_expect_eq(tcu_getd(r, 0, "rank"), 5.0, "p - floor(p/2) nonzero entries");
  /* L = 2: sum sigma^{2/2} is the nuclear norm, ||beta||_1 for a diagonal B */
  cr_expect(fabs(tcu_getd(r, 0, "sch") - tcu_getd(r, 0, "nuc")) <= 1e-30);
  /* the largest |beta_i| is 1 and the smallest nonzero one 1/cond */
  cr_expect(tcu_getd(r, 0, "nuc") >= 1 + 1.0 / 50 - 1e-30);
  tc_record_free(r);
}

Test(reg_bias, double_and_mpfr_agree)
{
  const char *spec = "family=full p=8 depth=4 spectrum=graded cond=1e4 gauge=1";
  tc_record *d = run(spec, 11, 0), *m = run(spec, 11, 128);
  const char *out[] = {"reg", "reg_bal", "sch", "nuc", "frob"};
  for (int k = 0; k < 5; k++) {
    double a = tcu_getd(d, 0, out[k]), b = tcu_getd(m, 0, out[k]);
    cr_expect(fabs(a - b) <= 1e-9 * fabs(b), "%s: double %.17g, MPFR %.17g", out[k], a, b);
  }
  cr_expect(tcu_getd(m, 0, "err") < 1e-25 * tcu_getd(m, 0, "reg"), "MPFR's estimate is rounding-sized");
  tc_record_free(d);
  tc_record_free(m);
}

Test(reg_bias, bad_parameters_are_named)
{
  tcu_point pt;
  tcu_point_make(&pt, "family=full p=3 depth=1 spectrum=flat cond=1 gauge=0", names, 6);
  tc_instance inst = {NULL, &pt.p, 0, 1, 128, NULL, NULL};
  tc_record *r = tc_record_alloc(64);
  char err[256] = "";
  cr_expect_eq(tc_check_reg_bias.measure_d(r, &inst, err, sizeof err), TC_EDOM);
  cr_expect(strstr(err, "depth") != NULL, "%s", err);
  tc_record_free(r);
}

/* The mutation test: every entry PASSes, and refutes every mutant. */
Test(reg_bias, catalog_entries_pass_and_refute_their_mutants, .timeout = 120)
{
  ts_catalog_verdicts(TC_SRCDIR "/theorems/reg-bias.thm", NULL);
}
