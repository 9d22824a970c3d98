/* tcholesky — A = L L^T in both backends (one template, cholesky_source.h).
 * Special cases first: sizes, 1x1, zero / singular / indefinite matrices
 * (TC_ENOTPD), non-finite input, the upper triangle of L zeroed, the
 * upper triangle of A ignored, in-place factorisation, integer factors
 * that must come out exactly.  Then closed forms at 256 bits (the
 * [-1, 2, -1] matrix, the Hilbert determinant) and random SPD matrices
 * from a fixed seed (THMCHECK_TEST_SEED overrides it). */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "tc_linalg.h"
#include "test_seed.h"

/* One n x n problem in both backends: the input A and the factor L in
 * double, the input M and the factor K in MPFR at precision prec. */
typedef struct {
  tc_mat_d *A, *L;
  tc_mat_mpfr *M, *K;
} chol_pair;

static chol_pair chol_pair_alloc(size_t n, mpfr_prec_t prec)
{
  chol_pair p = {
      .A = tc_mat_alloc_d(n, n, 0),
      .L = tc_mat_alloc_d(n, n, 0),
      .M = tc_mat_alloc_mpfr(n, n, prec),
      .K = tc_mat_alloc_mpfr(n, n, prec),
  };
  return p;
}

static void chol_pair_free(chol_pair *p)
{
  tc_mat_free_d(p->A);
  tc_mat_free_d(p->L);
  tc_mat_free_mpfr(p->M);
  tc_mat_free_mpfr(p->K);
}

/* Set the 2x2 matrix [[a, b], [b, c]] in both backends. */
static void set2(tc_mat_d *A, tc_mat_mpfr *M, double a, double b, double c)
{
  const double v[4] = {a, b, b, c};
  for (size_t k = 0; k < 4; k++) {
    A->data[k] = v[k];
    mpfr_set_d(M->data[k], v[k], MPFR_RNDN);
  }
}

Test(cholesky, size_mismatch_is_ebadlen)
{
  tc_mat_d *A23 = tc_mat_alloc_d(2, 3, 0), *A3 = tc_mat_alloc_d(3, 3, 0), *L2 = tc_mat_alloc_d(2, 2, 0);
  tc_mat_mpfr *M23 = tc_mat_alloc_mpfr(2, 3, 64), *M3 = tc_mat_alloc_mpfr(3, 3, 64),
              *K2 = tc_mat_alloc_mpfr(2, 2, 64);
  cr_expect_eq(tc_cholesky_d(L2, A23), TC_EBADLEN);
  cr_expect_eq(tc_cholesky_d(L2, A3), TC_EBADLEN);
  cr_expect_eq(tc_cholesky_mpfr(K2, M23), TC_EBADLEN);
  cr_expect_eq(tc_cholesky_mpfr(K2, M3), TC_EBADLEN);
  tc_mat_free_d(A23);
  tc_mat_free_d(A3);
  tc_mat_free_d(L2);
  tc_mat_free_mpfr(M23);
  tc_mat_free_mpfr(M3);
  tc_mat_free_mpfr(K2);
}

Test(cholesky, one_by_one)
{
  chol_pair p = chol_pair_alloc(1, 64);
  p.A->data[0] = 4.0;
  mpfr_set_ui(p.M->data[0], 4, MPFR_RNDN);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_SUCCESS);
  cr_expect_eq(p.L->data[0], 2.0);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_ui(p.K->data[0], 2), 0);
  p.A->data[0] = -1.0;
  mpfr_set_si(p.M->data[0], -1, MPFR_RNDN);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  chol_pair_free(&p);
}

Test(cholesky, not_positive_definite)
{
  chol_pair p = chol_pair_alloc(2, 128);
  /* zero matrix */
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  /* singular PSD: the second pivot 1 - 1 is exactly 0 */
  set2(p.A, p.M, 1.0, 1.0, 1.0);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  set2(p.A, p.M, 4.0, 2.0, 1.0);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  /* indefinite: eigenvalues 3 and -1 */
  set2(p.A, p.M, 1.0, 2.0, 1.0);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  /* negative definite */
  set2(p.A, p.M, -2.0, 0.0, -3.0);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENOTPD);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENOTPD);
  chol_pair_free(&p);
}

Test(cholesky, nearly_singular_depends_on_precision)
{
  /* [[1, 1], [1, 1 + 2^-60]]: positive definite, but 1 + 2^-60 rounds to
   * 1 in double, and at 53 bits in MPFR; at 128 bits it factors with
   * L_22 = 2^-30 exactly. */
  tc_mat_mpfr *M = tc_mat_alloc_mpfr(2, 2, 128), *K = tc_mat_alloc_mpfr(2, 2, 128),
              *K53 = tc_mat_alloc_mpfr(2, 2, 53);
  mpfr_set_ui(M->data[0], 1, MPFR_RNDN);
  mpfr_set_ui(M->data[1], 1, MPFR_RNDN);
  mpfr_set_ui(M->data[2], 1, MPFR_RNDN);
  mpfr_set_ui_2exp(M->data[3], 1, -60, MPFR_RNDN);
  mpfr_add_ui(M->data[3], M->data[3], 1, MPFR_RNDN);
  cr_expect_eq(tc_cholesky_mpfr(K, M), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_ui_2exp(K->data[3], 1, -30), 0);
  cr_expect_eq(tc_cholesky_mpfr(K53, M), TC_ENOTPD);
  tc_mat_free_mpfr(M);
  tc_mat_free_mpfr(K);
  tc_mat_free_mpfr(K53);
}

Test(cholesky, non_finite_is_refused)
{
  chol_pair p = chol_pair_alloc(2, 64);
  set2(p.A, p.M, 1.0, 0.0, 1.0);
  p.A->data[2] = NAN;
  mpfr_set_inf(p.M->data[3], 1);
  cr_expect_eq(tc_cholesky_d(p.L, p.A), TC_ENONFINITE);
  cr_expect_eq(tc_cholesky_mpfr(p.K, p.M), TC_ENONFINITE);
  chol_pair_free(&p);
}

/* A = L0 L0^T for an integer lower-triangular L0 with positive diagonal:
 * every step of the factorisation is exact, so L == L0 bit for bit. */
static const long L0[4][4] = {{2, 0, 0, 0}, {-1, 3, 0, 0}, {4, 1, 1, 0}, {0, -2, 5, 7}};

Test(cholesky, integer_factor_is_recovered_exactly_and_upper_is_ignored)
{
  enum { N = 4 };
  chol_pair p = chol_pair_alloc(N, 64);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++) {
      long s = 0;
      for (size_t k = 0; k < N; k++)
        s += L0[i][k] * L0[j][k];
      /* The upper triangle holds garbage; only the lower one is read. */
      *tc_mat_at_d(p.A, i, j) = j > i ? NAN : (double)s;
      if (j > i)
        mpfr_set_nan(tc_mat_at_mpfr(p.M, i, j));
      else
        mpfr_set_si(tc_mat_at_mpfr(p.M, i, j), s, MPFR_RNDN);
      /* ... and L's upper triangle must come back zeroed. */
      *tc_mat_at_d(p.L, i, j) = 99.0;
      mpfr_set_si(tc_mat_at_mpfr(p.K, i, j), 99, MPFR_RNDN);
    }
  cr_assert_eq(tc_cholesky_d(p.L, p.A), TC_SUCCESS);
  cr_assert_eq(tc_cholesky_mpfr(p.K, p.M), TC_SUCCESS);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++) {
      cr_expect_eq(*tc_mat_at_d(p.L, i, j), (double)L0[i][j], "d (%zu,%zu)", i, j);
      cr_expect_eq(mpfr_cmp_si(tc_mat_at_mpfr(p.K, i, j), L0[i][j]), 0, "mpfr (%zu,%zu)", i, j);
    }
  /* in place: L may be A */
  cr_assert_eq(tc_cholesky_d(p.A, p.A), TC_SUCCESS);
  cr_assert_eq(tc_cholesky_mpfr(p.M, p.M), TC_SUCCESS);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++) {
      cr_expect_eq(*tc_mat_at_d(p.A, i, j), (double)L0[i][j], "in place d (%zu,%zu)", i, j);
      cr_expect_eq(mpfr_cmp_si(tc_mat_at_mpfr(p.M, i, j), L0[i][j]), 0, "in place mpfr");
    }
  chol_pair_free(&p);
}

Test(cholesky, tridiagonal_closed_form_at_256_bits)
{
  /* For the [-1, 2, -1] matrix, with 1-based k:
   * L_kk = sqrt((k+1)/k) and L_{k+1,k} = -sqrt(k/(k+1)). */
  enum { N = 12 };
  tc_mat_mpfr *M = tc_mat_alloc_mpfr(N, N, 256), *K = tc_mat_alloc_mpfr(N, N, 256);
  for (size_t i = 0; i < N; i++) {
    mpfr_set_si(tc_mat_at_mpfr(M, i, i), 2, MPFR_RNDN);
    if (i + 1 < N)
      mpfr_set_si(tc_mat_at_mpfr(M, i + 1, i), -1, MPFR_RNDN);
  }
  cr_assert_eq(tc_cholesky_mpfr(K, M), TC_SUCCESS);
  mpfr_t want, d;
  mpfr_inits2(512, want, d, (mpfr_ptr)0);
  double worst = 0.0;
  for (unsigned long k = 1; k <= N; k++) {
    mpfr_set_ui(want, k + 1, MPFR_RNDN);
    mpfr_div_ui(want, want, k, MPFR_RNDN);
    mpfr_sqrt(want, want, MPFR_RNDN);
    mpfr_sub(d, tc_mat_at_mpfr(K, k - 1, k - 1), want, MPFR_RNDN);
    mpfr_div(d, d, want, MPFR_RNDN);
    worst = fmax(worst, fabs(mpfr_get_d(d, MPFR_RNDN)));
    if (k < N) {
      mpfr_ui_div(want, 1, want, MPFR_RNDN);
      mpfr_add(d, tc_mat_at_mpfr(K, k, k - 1), want, MPFR_RNDN);
      mpfr_div(d, d, want, MPFR_RNDN);
      worst = fmax(worst, fabs(mpfr_get_d(d, MPFR_RNDN)));
    }
  }
  cr_expect(worst < ldexp(1.0, -250), "relative error %g", worst);
  cr_log_info("tridiagonal Cholesky at 256 bits: worst relative error 2^%.1f", log2(worst));
  mpfr_clears(want, d, (mpfr_ptr)0);
  tc_mat_free_mpfr(M);
  tc_mat_free_mpfr(K);
}

Test(cholesky, hilbert_determinant_at_256_bits)
{
  /* det H_n = (prod_{k<n} k!)^4 / prod_{k<2n} k!, and det = prod L_kk^2.
   * cond(H_8) ~ 1.5e10 ~ 2^34 bounds the bits the rounded input costs. */
  enum { N = 8 };
  tc_mat_mpfr *H = tc_mat_alloc_mpfr(N, N, 256), *K = tc_mat_alloc_mpfr(N, N, 256);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++) {
      mpfr_set_ui(tc_mat_at_mpfr(H, i, j), i + j + 1, MPFR_RNDN);
      mpfr_ui_div(tc_mat_at_mpfr(H, i, j), 1, tc_mat_at_mpfr(H, i, j), MPFR_RNDN);
    }
  cr_assert_eq(tc_cholesky_mpfr(K, H), TC_SUCCESS);
  mpz_t num, den, f;
  mpz_inits(num, den, f, (mpz_ptr)0);
  mpz_set_ui(num, 1);
  mpz_set_ui(den, 1);
  for (unsigned long k = 1; k < 2 * N; k++) {
    mpz_fac_ui(f, k);
    if (k < N) {
      mpz_pow_ui(f, f, 4);
      mpz_mul(num, num, f);
      mpz_fac_ui(f, k);
    }
    mpz_mul(den, den, f);
  }
  mpfr_t want, got;
  mpfr_inits2(512, want, got, (mpfr_ptr)0);
  mpfr_set_z(want, num, MPFR_RNDN);
  mpfr_div_z(want, want, den, MPFR_RNDN);
  mpfr_set_ui(got, 1, MPFR_RNDN);
  for (size_t k = 0; k < N; k++)
    mpfr_mul(got, got, tc_mat_at_mpfr(K, k, k), MPFR_RNDN);
  mpfr_sqr(got, got, MPFR_RNDN);
  mpfr_sub(got, got, want, MPFR_RNDN);
  mpfr_div(got, got, want, MPFR_RNDN);
  double e = fabs(mpfr_get_d(got, MPFR_RNDN));
  cr_expect(e < ldexp(1.0, -200), "det H_8: relative error %g", e);
  cr_log_info("Hilbert(8) determinant from Cholesky at 256 bits: relative error 2^%.1f", log2(e));
  mpfr_clears(want, got, (mpfr_ptr)0);
  mpz_clears(num, den, f, (mpz_ptr)0);
  tc_mat_free_mpfr(H);
  tc_mat_free_mpfr(K);
}

Test(cholesky, random_spd_residual_and_agreement)
{
  /* A = B^T B + n I.  L L^T reproduces A to a few ulps of ||A|| (backward
   * stability) in each backend, and the two L agree to 1e-12. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst_agree = 0.0, worst_res_d = 0.0, worst_res_m = -INFINITY;
  for (int trial = 0; trial < 20; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 16);
    mpfr_prec_t prec = 53 + gsl_rng_uniform_int(rng, 250);
    tc_mat_d *B = tc_mat_alloc_d(n, n, 0), *A = tc_mat_alloc_d(n, n, 0), *L = tc_mat_alloc_d(n, n, 0),
             *LT = tc_mat_alloc_d(n, n, 0), *R = tc_mat_alloc_d(n, n, 0);
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, prec), *K = tc_mat_alloc_mpfr(n, n, prec),
                *KT = tc_mat_alloc_mpfr(n, n, prec), *S = tc_mat_alloc_mpfr(n, n, prec);
    for (size_t k = 0; k < n * n; k++)
      B->data[k] = 2.0 * gsl_rng_uniform(rng) - 1.0;
    tc_mat_gram_d(A, B);
    for (size_t i = 0; i < n; i++)
      *tc_mat_at_d(A, i, i) += (double)n;
    for (size_t k = 0; k < n * n; k++)
      mpfr_set_d(M->data[k], A->data[k], MPFR_RNDN);
    cr_assert_eq(tc_cholesky_d(L, A), TC_SUCCESS, "(THMCHECK_TEST_SEED=%lu)", seed);
    cr_assert_eq(tc_cholesky_mpfr(K, M), TC_SUCCESS, "(THMCHECK_TEST_SEED=%lu)", seed);
    double norm = 0.0;
    for (size_t k = 0; k < n * n; k++)
      norm = fmax(norm, fabs(A->data[k]));
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        *tc_mat_at_d(LT, i, j) = *tc_mat_at_d(L, j, i);
        mpfr_set(tc_mat_at_mpfr(KT, i, j), tc_mat_at_mpfr(K, j, i), MPFR_RNDN);
      }
    tc_mat_gemm_d(R, L, LT);
    tc_mat_gemm_mpfr(S, K, KT);
    mpfr_t d;
    mpfr_init2(d, prec + 64);
    for (size_t k = 0; k < n * n; k++) {
      double agree = fabs(L->data[k] - mpfr_get_d(K->data[k], MPFR_RNDN)) / sqrt(norm);
      double res_d = fabs(R->data[k] - A->data[k]) / norm;
      mpfr_sub(d, S->data[k], M->data[k], MPFR_RNDN);
      double res_m = mpfr_zero_p(d) ? -INFINITY
                                    : (double)mpfr_get_exp(d) - log2(norm) + (double)prec;
      worst_agree = fmax(worst_agree, agree);
      worst_res_d = fmax(worst_res_d, res_d);
      worst_res_m = fmax(worst_res_m, res_m);
      cr_expect(agree < 1e-12, "n=%zu entry %zu: |L_d - L_mpfr| %g (THMCHECK_TEST_SEED=%lu)", n, k,
                agree, seed);
      cr_expect(res_d < 8.0 * (double)n * 0x1p-52, "n=%zu: residual_d %g (THMCHECK_TEST_SEED=%lu)",
                n, res_d, seed);
      /* residual below 2^(8 - prec) ||A||_max, in units of 2^-prec */
      cr_expect(res_m < 8.0, "n=%zu prec=%ld: residual_mpfr 2^(%.1f - prec) (THMCHECK_TEST_SEED=%lu)",
                n, (long)prec, res_m, seed);
    }
    mpfr_clear(d);
    tc_mat_free_d(B);
    tc_mat_free_d(A);
    tc_mat_free_d(L);
    tc_mat_free_d(LT);
    tc_mat_free_d(R);
    tc_mat_free_mpfr(M);
    tc_mat_free_mpfr(K);
    tc_mat_free_mpfr(KT);
    tc_mat_free_mpfr(S);
  }
  gsl_rng_free(rng);
  cr_log_info("random SPD: |L_d - L_mpfr| / sqrt||A|| %g, residual_d %g ||A||, residual_mpfr "
              "2^(%.1f - prec) ||A||",
              worst_agree, worst_res_d, worst_res_m);
}
