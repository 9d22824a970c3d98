/* tfwht — the fast Walsh-Hadamard transform (tc_vec_fwht_{d,mpfr})
 * against the explicit product with H_ij = (-1)^popcount(i & j) for
 * d <= 10, and the identity H H = 2^d I (exact on small integers) in both
 * backends, for double up to d = 24; lengths that are not powers of 2. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "num/num_impl.h"
#include "test_seed.h"

#define TC_TEMPLATE "tnum_source.h"
#include "num/tc_instantiate.h"

#define PREC 128

/* y <- H x by the definition, O(n^2), in the backend. */
#define EXPLICIT(SUF, y, x)                                                                \
  for (size_t i_ = 0; i_ < (x)->n; i_++) {                                                 \
    tc_real_set_si_##SUF(tc_vec_at_##SUF(y, i_), 0);                                       \
    for (size_t j_ = 0; j_ < (x)->n; j_++) {                                               \
      if (__builtin_popcountll((unsigned long long)(i_ & j_)) % 2)                         \
        tc_real_sub_##SUF(tc_vec_at_##SUF(y, i_), tc_vec_at_##SUF(y, i_), tc_vec_at_##SUF(x, j_)); \
      else                                                                                 \
        tc_real_add_##SUF(tc_vec_at_##SUF(y, i_), tc_vec_at_##SUF(y, i_), tc_vec_at_##SUF(x, j_)); \
    }                                                                                      \
  }

Test(fwht, explicit_product_d_le_10)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst_d = 0, worst_m = 0;
  for (unsigned d = 0; d <= 10; d++) {
    size_t n = (size_t)1 << d;
    double *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++)
      a[i] = 2 * gsl_rng_uniform(rng) - 1;
    tc_vec_d *x = tc_vec_alloc_d(n, 0), *y = tc_vec_alloc_d(n, 0);
    tc_vec_mpfr *xm = tc_vec_alloc_mpfr(n, PREC), *ym = tc_vec_alloc_mpfr(n, PREC);
    h_vfill_d(x, a);
    h_vfill_mpfr(xm, a);
    EXPLICIT(d, y, x);
    EXPLICIT(mpfr, ym, xm);
    cr_assert_eq(tc_vec_fwht_d(x), TC_SUCCESS);
    cr_assert_eq(tc_vec_fwht_mpfr(xm), TC_SUCCESS);
    /* each entry: sum of n terms of size <= 1, summed in two orders */
    double ed = h_vec_diff_d(x, y, 53), em = h_vec_diff_mpfr(xm, ym, PREC);
    cr_expect(ed <= 2.0 * n * DBL_EPSILON, "d=%u: double %g (seed %lu)", d, ed, seed);
    cr_expect(em <= 2.0 * n * ldexp(1, -PREC), "d=%u: mpfr %g (seed %lu)", d, em, seed);
    worst_d = fmax(worst_d, ed);
    worst_m = fmax(worst_m, em);
    tc_vec_free_d(x);
    tc_vec_free_d(y);
    tc_vec_free_mpfr(xm);
    tc_vec_free_mpfr(ym);
    free(a);
  }
  cr_log_info("fwht vs explicit H x: worst double %.3g, mpfr(%d) %.3g", worst_d, PREC, worst_m);
  gsl_rng_free(rng);
}

/* H H x = 2^d x, exactly, for entries in {-2, ..., 2}: every partial sum
 * is an integer below 2^(2d+2) <= 2^50. */
static void involution_d(unsigned d, gsl_rng *rng)
{
  size_t n = (size_t)1 << d;
  tc_vec_d *x = tc_vec_alloc_d(n, 0);
  int8_t *a = malloc(n);
  cr_assert(x && a);
  for (size_t i = 0; i < n; i++) {
    a[i] = (int8_t)((long)gsl_rng_uniform_int(rng, 5) - 2);
    x->data[i] = a[i];
  }
  cr_assert_eq(tc_vec_fwht_d(x), TC_SUCCESS);
  cr_assert_eq(tc_vec_fwht_d(x), TC_SUCCESS);
  size_t bad = 0;
  for (size_t i = 0; i < n; i++)
    bad += x->data[i] != ldexp((double)a[i], (int)d);
  cr_expect_eq(bad, 0, "d=%u: %zu entries of H H x differ from 2^d x", d, bad);
  tc_vec_free_d(x);
  free(a);
}

Test(fwht, involution_exact)
{
  gsl_rng *rng = test_rng(test_seed() + 2);
  for (unsigned d = 0; d <= 10; d++) {
    involution_d(d, rng);
    size_t n = (size_t)1 << d;
    tc_vec_mpfr *x = tc_vec_alloc_mpfr(n, 64);
    long *a = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++) {
      a[i] = (long)gsl_rng_uniform_int(rng, 5) - 2;
      mpfr_set_si(x->data[i], a[i], MPFR_RNDN);
    }
    cr_assert_eq(tc_vec_fwht_mpfr(x), TC_SUCCESS);
    cr_assert_eq(tc_vec_fwht_mpfr(x), TC_SUCCESS);
    for (size_t i = 0; i < n; i++) {
      mpfr_div_2ui(x->data[i], x->data[i], d, MPFR_RNDN);
      cr_expect_eq(mpfr_cmp_si(x->data[i], a[i]), 0, "mpfr d=%u i=%zu", d, i);
    }
    tc_vec_free_mpfr(x);
    free(a);
  }
  gsl_rng_free(rng);
}

Test(fwht, double_up_to_d24)
{
  gsl_rng *rng = test_rng(test_seed() + 3);
  involution_d(20, rng);
  involution_d(24, rng);
  gsl_rng_free(rng);
}

Test(fwht, not_a_power_of_two)
{
  tc_vec_d *x = tc_vec_alloc_d(6, 0);
  tc_vec_mpfr *xm = tc_vec_alloc_mpfr(3, 64);
  cr_expect_eq(tc_vec_fwht_d(x), TC_EBADLEN);
  cr_expect_eq(tc_vec_fwht_mpfr(xm), TC_EBADLEN);
  tc_vec_free_d(x);
  tc_vec_free_mpfr(xm);
}
