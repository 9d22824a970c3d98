/* tqr — thin QR A = Q R (tc_qr_{d,mpfr}) against its defining identities:
 * Q^T Q = I and Q R = A, R upper triangular with diag(R) >= 0, for random
 * shapes (fixed seed, THMCHECK_TEST_SEED overrides it) including
 * rank-deficient ones; LAPACK (double) against the MPFR Householder code
 * rounded to double and against the same code at 53 bits; bad input. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "num/num_impl.h"
#include "test_seed.h"

#define TC_TEMPLATE "tnum_source.h"
#include "num/tc_instantiate.h"

#define PREC 200

/* Q R = A, Q^T Q = I, R upper with diag >= 0; returns the two errors. */
#define QR_CHECK(SUF, Q, R, A, prec, eorth, eres)                                      \
  do {                                                                                 \
    size_t n_ = (R)->rows;                                                             \
    for (size_t i_ = 0; i_ < n_; i_++) {                                               \
      cr_expect(tc_real_sgn_##SUF(tc_mat_at_##SUF(R, i_, i_)) >= 0);                   \
      for (size_t j_ = 0; j_ < i_; j_++)                                               \
        cr_expect(tc_real_sgn_##SUF(tc_mat_at_##SUF(R, i_, j_)) == 0);                 \
    }                                                                                  \
    tc_mat_##SUF *P_ = tc_mat_alloc_##SUF((A)->rows, (A)->cols, prec);                 \
    cr_assert_eq(tc_mat_gemm_##SUF(P_, Q, R), TC_SUCCESS);                             \
    eres = h_mat_diff_##SUF(P_, A, prec);                                              \
    eorth = h_orth_err_##SUF(Q, prec);                                                 \
    tc_mat_free_##SUF(P_);                                                             \
  } while (0)

static void random_matrix(double *a, size_t m, size_t n, gsl_rng *rng, int deficient)
{
  for (size_t k = 0; k < m * n; k++)
    a[k] = 2 * gsl_rng_uniform(rng) - 1;
  if (deficient && n >= 2) {
    /* column 1 = column 0 (rank drop), last column zero */
    for (size_t i = 0; i < m; i++) {
      a[i * n + 1] = a[i * n];
      a[i * n + n - 1] = n > 2 ? 0.0 : a[i * n + n - 1];
    }
  }
}

Test(qr, random_shapes_both_backends)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst_d[2] = {0, 0}, worst_m[2] = {0, 0};
  for (int trial = 0; trial < 40; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 8), m = n + gsl_rng_uniform_int(rng, 6);
    int deficient = trial % 4 == 3;
    double *a = malloc(m * n * sizeof *a);
    random_matrix(a, m, n, rng, deficient);
    tc_mat_d *A = tc_mat_alloc_d(m, n, 0), *Q = tc_mat_alloc_d(m, n, 0), *R = tc_mat_alloc_d(n, n, 0);
    tc_mat_mpfr *Am = tc_mat_alloc_mpfr(m, n, PREC), *Qm = tc_mat_alloc_mpfr(m, n, PREC),
                *Rm = tc_mat_alloc_mpfr(n, n, PREC);
    tc_qr_ws_d *w = tc_qr_ws_alloc_d(m, n, 0);
    tc_qr_ws_mpfr *wm = tc_qr_ws_alloc_mpfr(m, n, PREC);
    cr_assert(w && wm);
    h_fill_d(A, a);
    h_fill_mpfr(Am, a);
    cr_assert_eq(tc_qr_d(Q, R, A, w), TC_SUCCESS);
    cr_assert_eq(tc_qr_mpfr(Qm, Rm, Am, wm), TC_SUCCESS);
    double eo, er;
    QR_CHECK(d, Q, R, A, 53, eo, er);
    worst_d[0] = fmax(worst_d[0], eo);
    worst_d[1] = fmax(worst_d[1], er);
    cr_expect(eo <= 20.0 * m * DBL_EPSILON && er <= 20.0 * m * DBL_EPSILON,
              "double m=%zu n=%zu: |QtQ-I|=%g |QR-A|=%g (seed %lu)", m, n, eo, er, seed);
    QR_CHECK(mpfr, Qm, Rm, Am, PREC, eo, er);
    worst_m[0] = fmax(worst_m[0], eo);
    worst_m[1] = fmax(worst_m[1], er);
    cr_expect(eo <= 20.0 * m * ldexp(1, -PREC) && er <= 20.0 * m * ldexp(1, -PREC),
              "mpfr m=%zu n=%zu: |QtQ-I|=%g |QR-A|=%g (seed %lu)", m, n, eo, er, seed);
    if (!deficient) {
      /* full rank: the factors are unique, so the backends agree */
      tc_mat_d *Qr = tc_mat_alloc_d(m, n, 0);
      for (size_t k = 0; k < m * n; k++)
        Qr->data[k] = mpfr_get_d(Qm->data[k], MPFR_RNDN);
      cr_expect(h_mat_diff_d(Qr, Q, 53) <= 1e-9, "LAPACK vs MPFR Q differ by %g (m=%zu n=%zu)",
                h_mat_diff_d(Qr, Q, 53), m, n);
      tc_mat_free_d(Qr);
    }
    tc_qr_ws_free_d(w);
    tc_qr_ws_free_mpfr(wm);
    tc_mat_free_d(A);
    tc_mat_free_d(Q);
    tc_mat_free_d(R);
    tc_mat_free_mpfr(Am);
    tc_mat_free_mpfr(Qm);
    tc_mat_free_mpfr(Rm);
    free(a);
  }
  cr_log_info("qr: worst double |QtQ-I|=%.3g |QR-A|=%.3g; mpfr(%d) %.3g %.3g", worst_d[0],
              worst_d[1], PREC, worst_m[0], worst_m[1]);
  gsl_rng_free(rng);
}

Test(qr, householder_template_matches_lapack)
{
  gsl_rng *rng = test_rng(test_seed() + 1);
  size_t m = 9, n = 6;
  double a[54];
  random_matrix(a, m, n, rng, 0);
  tc_mat_d *A = tc_mat_alloc_d(m, n, 0), *Q = tc_mat_alloc_d(m, n, 0), *R = tc_mat_alloc_d(n, n, 0),
           *Q2 = tc_mat_alloc_d(m, n, 0), *R2 = tc_mat_alloc_d(n, n, 0);
  h_fill_d(A, a);
  tc_qr_ws_d *w = tc_qr_ws_alloc_d(m, n, 0);
  tc_num_householder_ws_d hw = {m, n, 53, tc_mat_alloc_d(m, n, 0), tc_vec_alloc_d(n, 0),
                                tc_vec_alloc_d(n, 0), {{0}}};
  cr_assert_eq(tc_qr_d(Q, R, A, w), TC_SUCCESS);
  cr_assert_eq(tc_num_householder_qr_d(Q2, R2, A, &hw), TC_SUCCESS);
  cr_expect(h_mat_diff_d(Q, Q2, 53) <= 1e-13, "Q: %g", h_mat_diff_d(Q, Q2, 53));
  cr_expect(h_mat_diff_d(R, R2, 53) <= 1e-13, "R: %g", h_mat_diff_d(R, R2, 53));
  tc_mat_free_d(hw.W);
  tc_vec_free_d(hw.beta);
  tc_vec_free_d(hw.alpha);
  tc_qr_ws_free_d(w);
  tc_mat_free_d(A);
  tc_mat_free_d(Q);
  tc_mat_free_d(R);
  tc_mat_free_d(Q2);
  tc_mat_free_d(R2);
  gsl_rng_free(rng);
}

Test(qr, bad_input)
{
  cr_expect_null(tc_qr_ws_alloc_d(2, 3, 0));
  cr_expect_null(tc_qr_ws_alloc_mpfr(2, 3, 64));
  cr_expect_null(tc_qr_ws_alloc_mpfr(3, 2, 0));
  tc_qr_ws_d *w = tc_qr_ws_alloc_d(3, 2, 0);
  tc_qr_ws_mpfr *wm = tc_qr_ws_alloc_mpfr(3, 2, 64);
  tc_mat_d *A = tc_mat_alloc_d(3, 2, 0), *Q = tc_mat_alloc_d(3, 2, 0), *R = tc_mat_alloc_d(2, 2, 0),
           *B = tc_mat_alloc_d(2, 2, 0);
  tc_mat_mpfr *Am = tc_mat_alloc_mpfr(3, 2, 64), *Qm = tc_mat_alloc_mpfr(3, 2, 64),
              *Rm = tc_mat_alloc_mpfr(2, 2, 64);
  cr_expect_eq(tc_qr_d(Q, R, B, w), TC_EBADLEN);
  cr_expect_eq(tc_qr_d(Q, B, A, w) == TC_SUCCESS, 1); /* R 2x2: fine */
  A->data[3] = NAN;
  mpfr_set_inf(Am->data[2], 1);
  cr_expect_eq(tc_qr_d(Q, R, A, w), TC_ENONFINITE);
  cr_expect_eq(tc_qr_mpfr(Qm, Rm, Am, wm), TC_ENONFINITE);
  /* the zero matrix: Q = [I; 0], R = 0 */
  mpfr_set_zero(Am->data[2], 1);
  cr_expect_eq(tc_qr_mpfr(Qm, Rm, Am, wm), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_ui(Qm->data[0], 1), 0);
  cr_expect(mpfr_zero_p(Rm->data[0]));
  tc_qr_ws_free_d(w);
  tc_qr_ws_free_mpfr(wm);
  tc_mat_free_d(A);
  tc_mat_free_d(Q);
  tc_mat_free_d(R);
  tc_mat_free_d(B);
  tc_mat_free_mpfr(Am);
  tc_mat_free_mpfr(Qm);
  tc_mat_free_mpfr(Rm);
}
