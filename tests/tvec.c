/* tvec — vectors of both backends: allocation, copy, dot, norm2, axpy,
 * scale.  Special cases first, then random vectors from a fixed seed
 * (THMCHECK_TEST_SEED overrides it), each MPFR result checked against the
 * double/BLAS one and against exactly known values at 256 bits. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "tc_linalg.h"
#include "test_seed.h"

/* |got - want| / |want| in MPFR at 512 bits (absolute if want == 0). */
static double rel_err(mpfr_srcptr got, mpfr_srcptr want)
{
  mpfr_t d;
  mpfr_init2(d, 512);
  mpfr_sub(d, got, want, MPFR_RNDN);
  if (!mpfr_zero_p(want))
    mpfr_div(d, d, want, MPFR_RNDN);
  double r = fabs(mpfr_get_d(d, MPFR_RNDN));
  mpfr_clear(d);
  return r;
}

/* Two vectors x, y of length n in double and two, u and v, in MPFR at
 * precision prec. */
typedef struct {
  tc_vec_d *x, *y;
  tc_vec_mpfr *u, *v;
} vec_pair;

static vec_pair vec_pair_alloc(size_t n, mpfr_prec_t prec)
{
  vec_pair p = {
      .x = tc_vec_alloc_d(n, 0),
      .y = tc_vec_alloc_d(n, 0),
      .u = tc_vec_alloc_mpfr(n, prec),
      .v = tc_vec_alloc_mpfr(n, prec),
  };
  return p;
}

static void vec_pair_free(vec_pair *p)
{
  tc_vec_free_d(p->x);
  tc_vec_free_d(p->y);
  tc_vec_free_mpfr(p->u);
  tc_vec_free_mpfr(p->v);
}

Test(vec, alloc_refuses_zero_length_and_bad_precision)
{
  cr_expect_null(tc_vec_alloc_d(0, 53));
  cr_expect_null(tc_vec_alloc_mpfr(0, 53));
  cr_expect_null(tc_vec_alloc_mpfr(3, 0));
  tc_vec_free_d(NULL);
  tc_vec_free_mpfr(NULL);
}

Test(vec, alloc_starts_at_positive_zero)
{
  tc_vec_d *v = tc_vec_alloc_d(5, 0);
  tc_vec_mpfr *w = tc_vec_alloc_mpfr(5, 113);
  cr_assert_not_null(v);
  cr_assert_not_null(w);
  cr_expect_eq(w->prec, 113);
  for (size_t i = 0; i < 5; i++) {
    cr_expect(v->data[i] == 0.0 && !signbit(v->data[i]));
    cr_expect(mpfr_zero_p(w->data[i]) && !mpfr_signbit(w->data[i]));
    cr_expect_eq(mpfr_get_prec(w->data[i]), 113);
  }
  tc_vec_free_d(v);
  tc_vec_free_mpfr(w);
}

Test(vec, size_mismatch_is_ebadlen)
{
  tc_vec_d *a = tc_vec_alloc_d(3, 0), *b = tc_vec_alloc_d(4, 0);
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(3, 64), *y = tc_vec_alloc_mpfr(4, 64);
  double r, one = 1.0;
  mpfr_t m;
  mpfr_init2(m, 64);
  mpfr_set_ui(m, 1, MPFR_RNDN);
  cr_expect_eq(tc_vec_copy_d(a, b), TC_EBADLEN);
  cr_expect_eq(tc_vec_dot_d(&r, a, b), TC_EBADLEN);
  cr_expect_eq(tc_vec_axpy_d(a, &one, b), TC_EBADLEN);
  cr_expect_eq(tc_vec_copy_mpfr(x, y), TC_EBADLEN);
  cr_expect_eq(tc_vec_dot_mpfr(m, x, y), TC_EBADLEN);
  cr_expect_eq(tc_vec_axpy_mpfr(x, m, y), TC_EBADLEN);
  mpfr_clear(m);
  tc_vec_free_d(a);
  tc_vec_free_d(b);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(y);
}

Test(vec, set_zero_and_copy)
{
  tc_vec_d *a = tc_vec_alloc_d(4, 0), *b = tc_vec_alloc_d(4, 0);
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(4, 200), *y = tc_vec_alloc_mpfr(4, 24);
  for (size_t i = 0; i < 4; i++) {
    a->data[i] = (double)i + 0.5;
    mpfr_set_ui(x->data[i], 1, MPFR_RNDN);
    mpfr_div_ui(x->data[i], x->data[i], 3, MPFR_RNDN);
  }
  cr_assert_eq(tc_vec_copy_d(b, a), TC_SUCCESS);
  cr_assert_eq(tc_vec_copy_mpfr(y, x), TC_SUCCESS);
  for (size_t i = 0; i < 4; i++) {
    cr_expect_eq(b->data[i], a->data[i]);
    /* The copy rounds to the destination's 24 bits. */
    cr_expect_eq(mpfr_get_prec(y->data[i]), 24);
    cr_expect_eq(mpfr_get_flt(y->data[i], MPFR_RNDN), 1.0f / 3.0f);
  }
  tc_vec_set_zero_d(a);
  tc_vec_set_zero_mpfr(x);
  for (size_t i = 0; i < 4; i++) {
    cr_expect_eq(a->data[i], 0.0);
    cr_expect(mpfr_zero_p(x->data[i]));
  }
  tc_vec_free_d(a);
  tc_vec_free_d(b);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(y);
}

Test(vec, dot_and_norm_of_small_integers)
{
  enum { N = 16 };
  vec_pair p = vec_pair_alloc(N, 64);
  for (size_t i = 0; i < N; i++) {
    p.x->data[i] = (double)(i + 1);
    p.y->data[i] = 1.0;
    mpfr_set_ui(p.u->data[i], i + 1, MPFR_RNDN);
    mpfr_set_ui(p.v->data[i], 1, MPFR_RNDN);
  }
  double r;
  mpfr_t m;
  mpfr_init2(m, 64);
  cr_expect_eq(tc_vec_dot_d(&r, p.x, p.y), TC_SUCCESS);
  cr_expect_eq(r, N * (N + 1) / 2);
  cr_expect_eq(tc_vec_dot_mpfr(m, p.u, p.v), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_ui(m, N * (N + 1) / 2), 0);
  /* ||(1, ..., 1)|| = 4 for 16 ones. */
  cr_expect_eq(tc_vec_norm2_d(&r, p.y), TC_SUCCESS);
  cr_expect_eq(r, 4.0);
  cr_expect_eq(tc_vec_norm2_mpfr(m, p.v), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_ui(m, 4), 0);
  tc_vec_set_zero_d(p.y);
  tc_vec_set_zero_mpfr(p.v);
  tc_vec_norm2_d(&r, p.y);
  tc_vec_norm2_mpfr(m, p.v);
  cr_expect_eq(r, 0.0);
  cr_expect(mpfr_zero_p(m));
  mpfr_clear(m);
  vec_pair_free(&p);
}

Test(vec, norm2_d_does_not_overflow)
{
  tc_vec_d *x = tc_vec_alloc_d(2, 0);
  x->data[0] = 3e300;
  x->data[1] = 4e300;
  double r;
  tc_vec_norm2_d(&r, x);
  cr_expect(fabs(r - 5e300) <= 4e-16 * 5e300, "got %g", r);
  tc_vec_free_d(x);
}

Test(vec, mpfr_dot_is_correctly_rounded)
{
  /* (2^100, 1, -2^100) . (1, 1, 1) = 1 exactly; a 53-bit running sum
   * would lose the 1. */
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(3, 53), *y = tc_vec_alloc_mpfr(3, 53);
  mpfr_set_ui_2exp(x->data[0], 1, 100, MPFR_RNDN);
  mpfr_set_ui(x->data[1], 1, MPFR_RNDN);
  mpfr_set_si_2exp(x->data[2], -1, 100, MPFR_RNDN);
  for (size_t i = 0; i < 3; i++)
    mpfr_set_ui(y->data[i], 1, MPFR_RNDN);
  mpfr_t r;
  mpfr_init2(r, 53);
  tc_vec_dot_mpfr(r, x, y);
  cr_expect_eq(mpfr_cmp_ui(r, 1), 0);
  mpfr_clear(r);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(y);
}

Test(vec, axpy_and_scale_known)
{
  vec_pair p = vec_pair_alloc(3, 80);
  double a = 2.5;
  mpfr_t m;
  mpfr_init2(m, 80);
  mpfr_set_d(m, 2.5, MPFR_RNDN);
  for (size_t i = 0; i < 3; i++) {
    p.x->data[i] = (double)i;
    p.y->data[i] = 1.0;
    mpfr_set_ui(p.u->data[i], i, MPFR_RNDN);
    mpfr_set_ui(p.v->data[i], 1, MPFR_RNDN);
  }
  cr_expect_eq(tc_vec_axpy_d(p.y, &a, p.x), TC_SUCCESS);
  cr_expect_eq(tc_vec_axpy_mpfr(p.v, m, p.u), TC_SUCCESS);
  for (size_t i = 0; i < 3; i++) {
    cr_expect_eq(p.y->data[i], 1.0 + 2.5 * (double)i);
    cr_expect_eq(mpfr_get_d(p.v->data[i], MPFR_RNDN), 1.0 + 2.5 * (double)i);
  }
  cr_expect_eq(tc_vec_scale_d(p.y, &a), TC_SUCCESS);
  cr_expect_eq(tc_vec_scale_mpfr(p.v, m), TC_SUCCESS);
  for (size_t i = 0; i < 3; i++) {
    cr_expect_eq(p.y->data[i], 2.5 * (1.0 + 2.5 * (double)i));
    cr_expect_eq(mpfr_get_d(p.v->data[i], MPFR_RNDN), 2.5 * (1.0 + 2.5 * (double)i));
  }
  mpfr_clear(m);
  vec_pair_free(&p);
}

Test(vec, scale_by_zero_keeps_nan_in_both_backends)
{
  tc_vec_d *x = tc_vec_alloc_d(3, 0);
  tc_vec_mpfr *u = tc_vec_alloc_mpfr(3, 64);
  x->data[0] = NAN;
  x->data[1] = INFINITY;
  x->data[2] = 7.0;
  mpfr_set_nan(u->data[0]);
  mpfr_set_inf(u->data[1], 1);
  mpfr_set_ui(u->data[2], 7, MPFR_RNDN);
  double zero = 0.0;
  mpfr_t z;
  mpfr_init2(z, 64);
  mpfr_set_zero(z, 1);
  tc_vec_scale_d(x, &zero);
  tc_vec_scale_mpfr(u, z);
  cr_expect(isnan(x->data[0]) && isnan(x->data[1]) && x->data[2] == 0.0);
  cr_expect(mpfr_nan_p(u->data[0]) && mpfr_nan_p(u->data[1]) && mpfr_zero_p(u->data[2]));
  mpfr_clear(z);
  tc_vec_free_d(x);
  tc_vec_free_mpfr(u);
}

Test(vec, telescoping_dot_at_256_bits)
{
  /* sum_{i=1}^{n} 1/(i (i+1)) = 1 - 1/(n+1); the inputs are rounded to
   * 256 bits, so the result agrees to about 2^-255. */
  enum { N = 200 };
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(N, 256), *y = tc_vec_alloc_mpfr(N, 256);
  for (unsigned long i = 1; i <= N; i++) {
    mpfr_set_ui(x->data[i - 1], i, MPFR_RNDN);
    mpfr_ui_div(x->data[i - 1], 1, x->data[i - 1], MPFR_RNDN);
    mpfr_set_ui(y->data[i - 1], i + 1, MPFR_RNDN);
    mpfr_ui_div(y->data[i - 1], 1, y->data[i - 1], MPFR_RNDN);
  }
  mpfr_t r, want;
  mpfr_init2(r, 256);
  mpfr_init2(want, 512);
  tc_vec_dot_mpfr(r, x, y);
  mpfr_set_ui(want, 1, MPFR_RNDN);
  mpfr_div_ui(want, want, N + 1, MPFR_RNDN);
  mpfr_ui_sub(want, 1, want, MPFR_RNDN);
  double e = rel_err(r, want);
  cr_expect(e < ldexp(1.0, -250), "relative error %g", e);
  /* ||(1, 2, 2)|| = 3, and sqrt(2) for (1, 1), at 256 bits. */
  tc_vec_mpfr *v = tc_vec_alloc_mpfr(2, 256);
  mpfr_set_ui(v->data[0], 1, MPFR_RNDN);
  mpfr_set_ui(v->data[1], 1, MPFR_RNDN);
  tc_vec_norm2_mpfr(r, v);
  mpfr_sqrt_ui(want, 2, MPFR_RNDN);
  e = rel_err(r, want);
  cr_expect(e <= ldexp(1.0, -256), "sqrt 2: relative error %g", e);
  mpfr_clears(r, want, (mpfr_ptr)0);
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(y);
  tc_vec_free_mpfr(v);
}

Test(vec, random_mpfr_agrees_with_blas)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  mpfr_t r, t, a;
  mpfr_inits2(128, r, t, a, (mpfr_ptr)0);
  double worst = 0.0;
  for (int trial = 0; trial < 200; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 64);
    vec_pair p = vec_pair_alloc(n, 128);
    double absdot = 0.0;
    for (size_t i = 0; i < n; i++) {
      p.x->data[i] = 2.0 * gsl_rng_uniform(rng) - 1.0;
      p.y->data[i] = 2.0 * gsl_rng_uniform(rng) - 1.0;
      absdot += fabs(p.x->data[i] * p.y->data[i]);
      mpfr_set_d(p.u->data[i], p.x->data[i], MPFR_RNDN);
      mpfr_set_d(p.v->data[i], p.y->data[i], MPFR_RNDN);
    }
    double d, nd, ad = 0.5;
    tc_vec_dot_d(&d, p.x, p.y);
    tc_vec_dot_mpfr(r, p.u, p.v);
    /* Relative to sum |x_i y_i|: the dot itself may cancel. */
    double e = fabs(d - mpfr_get_d(r, MPFR_RNDN)) / absdot;
    worst = fmax(worst, e);
    cr_expect(e < 1e-12, "dot n=%zu rel %g (THMCHECK_TEST_SEED=%lu)", n, e, seed);

    tc_vec_norm2_d(&nd, p.x);
    tc_vec_norm2_mpfr(t, p.u);
    e = fabs(nd - mpfr_get_d(t, MPFR_RNDN)) / mpfr_get_d(t, MPFR_RNDN);
    cr_expect(e < 1e-12, "norm2 n=%zu rel %g (THMCHECK_TEST_SEED=%lu)", n, e, seed);

    mpfr_set_d(a, ad, MPFR_RNDN);
    tc_vec_axpy_d(p.y, &ad, p.x);
    tc_vec_axpy_mpfr(p.v, a, p.u);
    tc_vec_scale_d(p.y, &nd);
    tc_vec_scale_mpfr(p.v, t);
    for (size_t i = 0; i < n; i++) {
      double want = mpfr_get_d(p.v->data[i], MPFR_RNDN);
      cr_expect(fabs(p.y->data[i] - want) <= 1e-12 * (fabs(want) + nd),
                "axpy/scale i=%zu (THMCHECK_TEST_SEED=%lu)", i, seed);
    }
    vec_pair_free(&p);
  }
  mpfr_clears(r, t, a, (mpfr_ptr)0);
  gsl_rng_free(rng);
  cr_log_info("worst dot discrepancy (relative to sum|x y|): %g", worst);
}

/* tc_strerror lives in src/num as well; it has no other test binary. */
Test(status, strerror_is_never_null_and_distinguishes_codes)
{
  for (int s = -1; s <= 12; s++)
    cr_expect_not_null(tc_strerror(s));
  cr_expect_str_eq(tc_strerror(TC_SUCCESS), "success");
  cr_expect_str_neq(tc_strerror(TC_ENOTPD), tc_strerror(TC_EBADLEN));
  cr_expect_str_eq(tc_strerror(99), "unknown status");
}
