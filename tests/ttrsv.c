/* ttrsv — triangular solves x = T^-1 b (tc_mat_trsv_{d,mpfr}) against
 * multiplication: b = T x0 formed by gemv from a random well-conditioned
 * T (fixed seed, THMCHECK_TEST_SEED overrides it), lower and upper, x
 * aliasing b, the other triangle holding garbage that must not be read;
 * integer systems solved exactly; zero pivots and bad sizes. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "num/num_impl.h"
#include "test_seed.h"

#define TC_TEMPLATE "tnum_source.h"
#include "num/tc_instantiate.h"

#define PREC 256

/* T (triangle uplo, diag in [1, 2], off-diagonal in [-1, 1]/n) and the
 * same matrix with NaN in the other triangle. */
static void random_tri(double *t, double *g, size_t n, tc_uplo uplo, gsl_rng *rng)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int in = uplo == TC_LOWER ? j <= i : j >= i;
      double v = i == j ? 1 + gsl_rng_uniform(rng) : (2 * gsl_rng_uniform(rng) - 1) / (double)n;
      t[i * n + j] = in ? v : 0.0;
      g[i * n + j] = in ? v : NAN;
    }
}

Test(trsv, against_multiplication)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst_d = 0, worst_m = 0;
  for (int trial = 0; trial < 40; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 30);
    tc_uplo uplo = trial % 2 ? TC_UPPER : TC_LOWER;
    double *t = malloc(n * n * sizeof *t), *g = malloc(n * n * sizeof *g), *x0 = malloc(n * sizeof *x0);
    random_tri(t, g, n, uplo, rng);
    for (size_t i = 0; i < n; i++)
      x0[i] = 2 * gsl_rng_uniform(rng) - 1;
    tc_mat_d *T = tc_mat_alloc_d(n, n, 0), *G = tc_mat_alloc_d(n, n, 0);
    tc_vec_d *x = tc_vec_alloc_d(n, 0), *b = tc_vec_alloc_d(n, 0), *xs = tc_vec_alloc_d(n, 0);
    tc_mat_mpfr *Tm = tc_mat_alloc_mpfr(n, n, PREC), *Gm = tc_mat_alloc_mpfr(n, n, PREC);
    tc_vec_mpfr *xm = tc_vec_alloc_mpfr(n, PREC), *bm = tc_vec_alloc_mpfr(n, PREC),
                *xsm = tc_vec_alloc_mpfr(n, PREC);
    h_fill_d(T, t);
    h_fill_d(G, g);
    h_vfill_d(x, x0);
    h_fill_mpfr(Tm, t);
    h_fill_mpfr(Gm, g);
    h_vfill_mpfr(xm, x0);
    cr_assert_eq(tc_mat_gemv_d(b, T, x), TC_SUCCESS);
    cr_assert_eq(tc_mat_gemv_mpfr(bm, Tm, xm), TC_SUCCESS);
    /* into a separate x, then in place (x = b) */
    cr_assert_eq(tc_mat_trsv_d(xs, G, uplo, b), TC_SUCCESS);
    cr_assert_eq(tc_mat_trsv_d(b, G, uplo, b), TC_SUCCESS);
    cr_assert_eq(tc_mat_trsv_mpfr(xsm, Gm, uplo, bm), TC_SUCCESS);
    cr_assert_eq(tc_mat_trsv_mpfr(bm, Gm, uplo, bm), TC_SUCCESS);
    double ed = h_vec_diff_d(xs, x, 53), em = h_vec_diff_mpfr(xsm, xm, PREC);
    cr_expect_eq(h_vec_diff_d(xs, b, 53), 0.0);
    cr_expect_eq(h_vec_diff_mpfr(xsm, bm, PREC), 0.0);
    cr_expect(ed <= 8.0 * n * DBL_EPSILON, "double n=%zu: %g (seed %lu)", n, ed, seed);
    cr_expect(em <= 8.0 * n * ldexp(1, -PREC), "mpfr n=%zu: %g (seed %lu)", n, em, seed);
    worst_d = fmax(worst_d, ed);
    worst_m = fmax(worst_m, em);
    tc_mat_free_d(T);
    tc_mat_free_d(G);
    tc_vec_free_d(x);
    tc_vec_free_d(b);
    tc_vec_free_d(xs);
    tc_mat_free_mpfr(Tm);
    tc_mat_free_mpfr(Gm);
    tc_vec_free_mpfr(xm);
    tc_vec_free_mpfr(bm);
    tc_vec_free_mpfr(xsm);
    free(t);
    free(g);
    free(x0);
  }
  cr_log_info("trsv: worst |x - x0| double %.3g, mpfr(%d) %.3g", worst_d, PREC, worst_m);
  gsl_rng_free(rng);
}

Test(trsv, integer_system_exact)
{
  /* unit lower [[1,0,0],[2,1,0],[-3,4,1]], x0 = (1,-2,3): b = (1,0,-8) */
  const double t[9] = {1, 0, 0, 2, 1, 0, -3, 4, 1}, bb[3] = {1, 0, -8};
  tc_mat_d *T = tc_mat_alloc_d(3, 3, 0);
  tc_vec_d *b = tc_vec_alloc_d(3, 0);
  tc_mat_mpfr *Tm = tc_mat_alloc_mpfr(3, 3, 64);
  tc_vec_mpfr *bm = tc_vec_alloc_mpfr(3, 64);
  h_fill_d(T, t);
  h_vfill_d(b, bb);
  h_fill_mpfr(Tm, t);
  h_vfill_mpfr(bm, bb);
  cr_assert_eq(tc_mat_trsv_d(b, T, TC_LOWER, b), TC_SUCCESS);
  cr_assert_eq(tc_mat_trsv_mpfr(bm, Tm, TC_LOWER, bm), TC_SUCCESS);
  const long want[3] = {1, -2, 3};
  for (int i = 0; i < 3; i++) {
    cr_expect_eq(b->data[i], (double)want[i]);
    cr_expect_eq(mpfr_cmp_si(bm->data[i], want[i]), 0);
  }
  tc_mat_free_d(T);
  tc_vec_free_d(b);
  tc_mat_free_mpfr(Tm);
  tc_vec_free_mpfr(bm);
}

Test(trsv, zero_pivot_and_sizes)
{
  tc_mat_d *T = tc_mat_alloc_d(2, 2, 0), *T23 = tc_mat_alloc_d(2, 3, 0);
  tc_vec_d *b = tc_vec_alloc_d(2, 0), *b3 = tc_vec_alloc_d(3, 0);
  tc_mat_mpfr *Tm = tc_mat_alloc_mpfr(2, 2, 64);
  tc_vec_mpfr *bm = tc_vec_alloc_mpfr(2, 64);
  T->data[0] = 1; /* t_11 = 0 */
  mpfr_set_ui(Tm->data[0], 1, MPFR_RNDN);
  b->data[0] = 5;
  cr_expect_eq(tc_mat_trsv_d(b, T, TC_UPPER, b), TC_EDOM);
  cr_expect_eq(b->data[0], 5.0); /* unchanged */
  cr_expect_eq(tc_mat_trsv_mpfr(bm, Tm, TC_LOWER, bm), TC_EDOM);
  cr_expect_eq(tc_mat_trsv_d(b, T23, TC_LOWER, b), TC_EBADLEN);
  cr_expect_eq(tc_mat_trsv_d(b3, T, TC_LOWER, b), TC_EBADLEN);
  tc_mat_free_d(T);
  tc_mat_free_d(T23);
  tc_vec_free_d(b);
  tc_vec_free_d(b3);
  tc_mat_free_mpfr(Tm);
  tc_vec_free_mpfr(bm);
}
