/* tc_engine_classify_row and tc_engine_row_tightness with values and
 * error estimates beyond double's range.  A 128-bit run that reaches the
 * minimum exactly (GD with step 1/L at L = mu) leaves a gap of 1e-78, then
 * 1e-156, ... below 1e-308; its rounding estimate is as small.  The
 * estimate once went through a double, rounded to 0, and the row at its
 * floor became a violation (pl-gd-rate FAILed at kappa = 1). */
#include <criterion/criterion.h>
#include <mpfr.h>
#include "thmcheck.h"
#include "engine/engine_impl.h"

static int classify(const char *lhs, const char *rhs, const char *err)
{
  mpfr_t l, r, e;
  mpfr_inits2(128, l, r, e, (mpfr_ptr)0);
  mpfr_set_str(l, lhs, 10, MPFR_RNDN);
  mpfr_set_str(r, rhs, 10, MPFR_RNDN);
  mpfr_set_str(e, err, 10, MPFR_RNDN);
  int cls = tc_engine_classify_row(l, r, -112, -80, e);
  mpfr_clears(l, r, e, (mpfr_ptr)0);
  return cls;
}

Test(classify, estimate_below_double_range_keeps_a_floor_row_near)
{
  cr_expect_eq(classify("1e-400", "0", "1e-390"), ROW_NEAR);
  cr_expect_eq(classify("1e-4000", "0", "1e-3990"), ROW_NEAR);
}

Test(classify, no_estimate_leaves_a_tiny_violation_violated)
{
  cr_expect_eq(classify("1e-400", "0", "0"), ROW_VIOLATED);
  cr_expect_eq(classify("1e-400", "1e-401", "1e-500"), ROW_VIOLATED);
}

Test(classify, within_and_beyond_the_estimate)
{
  cr_expect_eq(classify("1.001", "1", "0.01"), ROW_WITHIN_ERROR);
  cr_expect_eq(classify("1.1", "1", "0.01"), ROW_VIOLATED);
  cr_expect_eq(classify("1", "1.1", "0"), ROW_HOLDS);
  cr_expect_eq(classify("1e-400", "1e-399", "0"), ROW_HOLDS);
}

Test(classify, tightness_treats_a_value_inside_a_tiny_estimate_as_noise)
{
  mpfr_t l, r, e;
  mpfr_inits2(128, l, r, e, (mpfr_ptr)0);
  mpfr_set_str(l, "1e-400", 10, MPFR_RNDN);
  mpfr_set_str(r, "1e-300", 10, MPFR_RNDN);
  mpfr_set_str(e, "1e-390", 10, MPFR_RNDN);
  int why;
  double t = tc_engine_row_tightness(&why, ROW_HOLDS, l, r, NULL, e);
  cr_expect(isnan(t));
  cr_expect_eq(why, TIGHT_FLOOR);
  mpfr_set_zero(e, 1);
  t = tc_engine_row_tightness(&why, ROW_HOLDS, l, r, NULL, e);
  cr_expect_eq(why, TIGHT_INFORMATIVE);
  mpfr_clears(l, r, e, (mpfr_ptr)0);
}
