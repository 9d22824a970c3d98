/* tmat — matrices of both backends: allocation, copy, gemv, gemv_trans,
 * gemm, gram.  Special cases (1x1, zero, identity, size mismatch) first,
 * then known products at 256 bits (rotations compose, the Gram matrix of
 * an orthogonal matrix is I), then random matrices from a fixed seed
 * (THMCHECK_TEST_SEED overrides it) where MPFR must agree with BLAS. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "tc_linalg.h"
#include "test_seed.h"

Test(mat, alloc_refuses_zero_sizes)
{
  cr_expect_null(tc_mat_alloc_d(0, 3, 53));
  cr_expect_null(tc_mat_alloc_d(3, 0, 53));
  cr_expect_null(tc_mat_alloc_mpfr(0, 3, 53));
  cr_expect_null(tc_mat_alloc_mpfr(2, 2, MPFR_PREC_MIN - 1));
  cr_expect_null(tc_mat_alloc_d((size_t)-1, 4, 53)); /* rows*cols overflows */
  tc_mat_free_d(NULL);
  tc_mat_free_mpfr(NULL);
}

Test(mat, alloc_zero_and_at)
{
  tc_mat_d *A = tc_mat_alloc_d(2, 3, 0);
  tc_mat_mpfr *B = tc_mat_alloc_mpfr(2, 3, 99);
  cr_assert_not_null(A);
  cr_assert_not_null(B);
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < 3; j++) {
      cr_expect_eq(*tc_mat_at_d(A, i, j), 0.0);
      cr_expect(mpfr_zero_p(tc_mat_at_mpfr(B, i, j)));
      cr_expect_eq(mpfr_get_prec(tc_mat_at_mpfr(B, i, j)), 99);
    }
  *tc_mat_at_d(A, 1, 2) = 5.0;
  cr_expect_eq(A->data[5], 5.0); /* row-major */
  tc_mat_free_d(A);
  tc_mat_free_mpfr(B);
}

Test(mat, size_mismatch_is_ebadlen)
{
  tc_mat_d *A = tc_mat_alloc_d(2, 3, 0), *B = tc_mat_alloc_d(2, 3, 0), *C = tc_mat_alloc_d(2, 2, 0);
  tc_vec_d *x2 = tc_vec_alloc_d(2, 0), *x3 = tc_vec_alloc_d(3, 0);
  cr_expect_eq(tc_mat_copy_d(C, A), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemv_d(x3, A, x3), TC_EBADLEN); /* y must have 2 rows */
  cr_expect_eq(tc_mat_gemv_d(x2, A, x2), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemv_trans_d(x2, A, x2), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemm_d(C, A, B), TC_EBADLEN);   /* 3 != 2 */
  cr_expect_eq(tc_mat_gram_d(C, A), TC_EBADLEN);      /* needs 3x3 */

  tc_mat_mpfr *P = tc_mat_alloc_mpfr(2, 3, 64), *Q = tc_mat_alloc_mpfr(2, 3, 64),
              *R = tc_mat_alloc_mpfr(2, 2, 64);
  tc_vec_mpfr *y2 = tc_vec_alloc_mpfr(2, 64), *y3 = tc_vec_alloc_mpfr(3, 64);
  cr_expect_eq(tc_mat_copy_mpfr(R, P), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemv_mpfr(y3, P, y3), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemv_mpfr(y2, P, y2), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemv_trans_mpfr(y2, P, y2), TC_EBADLEN);
  cr_expect_eq(tc_mat_gemm_mpfr(R, P, Q), TC_EBADLEN);
  cr_expect_eq(tc_mat_gram_mpfr(R, P), TC_EBADLEN);

  tc_mat_free_d(A);
  tc_mat_free_d(B);
  tc_mat_free_d(C);
  tc_vec_free_d(x2);
  tc_vec_free_d(x3);
  tc_mat_free_mpfr(P);
  tc_mat_free_mpfr(Q);
  tc_mat_free_mpfr(R);
  tc_vec_free_mpfr(y2);
  tc_vec_free_mpfr(y3);
}

Test(mat, one_by_one)
{
  tc_mat_d *A = tc_mat_alloc_d(1, 1, 0), *C = tc_mat_alloc_d(1, 1, 0);
  tc_vec_d *x = tc_vec_alloc_d(1, 0), *y = tc_vec_alloc_d(1, 0);
  A->data[0] = -3.0;
  x->data[0] = 2.0;
  tc_mat_gemv_d(y, A, x);
  cr_expect_eq(y->data[0], -6.0);
  tc_mat_gemv_trans_d(y, A, x);
  cr_expect_eq(y->data[0], -6.0);
  tc_mat_gemm_d(C, A, A);
  cr_expect_eq(C->data[0], 9.0);
  tc_mat_gram_d(C, A);
  cr_expect_eq(C->data[0], 9.0);

  tc_mat_mpfr *P = tc_mat_alloc_mpfr(1, 1, 64), *R = tc_mat_alloc_mpfr(1, 1, 64);
  tc_vec_mpfr *u = tc_vec_alloc_mpfr(1, 64), *v = tc_vec_alloc_mpfr(1, 64);
  mpfr_set_si(P->data[0], -3, MPFR_RNDN);
  mpfr_set_si(u->data[0], 2, MPFR_RNDN);
  tc_mat_gemv_mpfr(v, P, u);
  cr_expect_eq(mpfr_cmp_si(v->data[0], -6), 0);
  tc_mat_gemv_trans_mpfr(v, P, u);
  cr_expect_eq(mpfr_cmp_si(v->data[0], -6), 0);
  tc_mat_gemm_mpfr(R, P, P);
  cr_expect_eq(mpfr_cmp_si(R->data[0], 9), 0);
  tc_mat_gram_mpfr(R, P);
  cr_expect_eq(mpfr_cmp_si(R->data[0], 9), 0);

  tc_mat_free_d(A);
  tc_mat_free_d(C);
  tc_vec_free_d(x);
  tc_vec_free_d(y);
  tc_mat_free_mpfr(P);
  tc_mat_free_mpfr(R);
  tc_vec_free_mpfr(u);
  tc_vec_free_mpfr(v);
}

Test(mat, outputs_are_overwritten_not_accumulated)
{
  /* beta = 0 in BLAS: stale NaN in the output must not leak through. */
  tc_mat_d *A = tc_mat_alloc_d(2, 2, 0), *C = tc_mat_alloc_d(2, 2, 0);
  tc_vec_d *x = tc_vec_alloc_d(2, 0), *y = tc_vec_alloc_d(2, 0);
  for (size_t k = 0; k < 4; k++) {
    A->data[k] = (double)(k + 1);
    C->data[k] = NAN;
  }
  x->data[0] = x->data[1] = 1.0;
  y->data[0] = y->data[1] = NAN;
  tc_mat_gemv_d(y, A, x);
  cr_expect(y->data[0] == 3.0 && y->data[1] == 7.0);
  y->data[0] = y->data[1] = NAN;
  tc_mat_gemv_trans_d(y, A, x);
  cr_expect(y->data[0] == 4.0 && y->data[1] == 6.0);
  tc_mat_gemm_d(C, A, A);
  cr_expect(C->data[0] == 7 && C->data[1] == 10 && C->data[2] == 15 && C->data[3] == 22);
  for (size_t k = 0; k < 4; k++)
    C->data[k] = NAN;
  /* A^T A = [[10, 14], [14, 20]], both triangles filled. */
  tc_mat_gram_d(C, A);
  cr_expect(C->data[0] == 10 && C->data[1] == 14 && C->data[2] == 14 && C->data[3] == 20);
  tc_mat_free_d(A);
  tc_mat_free_d(C);
  tc_vec_free_d(x);
  tc_vec_free_d(y);
}

Test(mat, zero_and_identity)
{
  enum { N = 5 };
  tc_mat_mpfr *I = tc_mat_alloc_mpfr(N, N, 128), *B = tc_mat_alloc_mpfr(N, N, 128),
              *C = tc_mat_alloc_mpfr(N, N, 128), *Z = tc_mat_alloc_mpfr(N, N, 128);
  tc_mat_d *Id = tc_mat_alloc_d(N, N, 0), *Bd = tc_mat_alloc_d(N, N, 0), *Cd = tc_mat_alloc_d(N, N, 0);
  for (size_t i = 0; i < N; i++) {
    mpfr_set_ui(tc_mat_at_mpfr(I, i, i), 1, MPFR_RNDN);
    *tc_mat_at_d(Id, i, i) = 1.0;
    for (size_t j = 0; j < N; j++) {
      mpfr_set_si(tc_mat_at_mpfr(B, i, j), (long)(i * N + j) - 7, MPFR_RNDN);
      mpfr_div_ui(tc_mat_at_mpfr(B, i, j), tc_mat_at_mpfr(B, i, j), 3, MPFR_RNDN);
      *tc_mat_at_d(Bd, i, j) = ((double)(i * N + j) - 7.0) / 3.0;
    }
  }
  tc_mat_gemm_mpfr(C, I, B);
  tc_mat_gemm_d(Cd, Bd, Id);
  for (size_t k = 0; k < N * N; k++) {
    cr_expect(mpfr_equal_p(C->data[k], B->data[k]));
    cr_expect_eq(Cd->data[k], Bd->data[k]);
  }
  tc_mat_gemm_mpfr(C, Z, B);
  tc_mat_gram_mpfr(C, Z);
  for (size_t k = 0; k < N * N; k++)
    cr_expect(mpfr_zero_p(C->data[k]));
  tc_mat_copy_mpfr(C, B);
  tc_mat_set_zero_mpfr(B);
  tc_mat_copy_d(Cd, Bd);
  tc_mat_set_zero_d(Bd);
  for (size_t k = 0; k < N * N; k++) {
    cr_expect(mpfr_zero_p(B->data[k]) && !mpfr_zero_p(C->data[k]) == (k != 7));
    cr_expect(Bd->data[k] == 0.0 && (Cd->data[k] != 0.0) == (k != 7));
  }
  tc_mat_free_mpfr(I);
  tc_mat_free_mpfr(B);
  tc_mat_free_mpfr(C);
  tc_mat_free_mpfr(Z);
  tc_mat_free_d(Id);
  tc_mat_free_d(Bd);
  tc_mat_free_d(Cd);
}

/* R <- rotation by angle t (2x2) at R's precision. */
static void set_rotation(tc_mat_mpfr *R, mpfr_srcptr t)
{
  mpfr_cos(tc_mat_at_mpfr(R, 0, 0), t, MPFR_RNDN);
  mpfr_sin(tc_mat_at_mpfr(R, 1, 0), t, MPFR_RNDN);
  mpfr_neg(tc_mat_at_mpfr(R, 0, 1), tc_mat_at_mpfr(R, 1, 0), MPFR_RNDN);
  mpfr_set(tc_mat_at_mpfr(R, 1, 1), tc_mat_at_mpfr(R, 0, 0), MPFR_RNDN);
}

Test(mat, rotations_compose_at_256_bits)
{
  /* R(s) R(t) = R(s + t), and R(t)^T R(t) = I (gram), to ~2^-254. */
  mpfr_t s, t, st, err;
  mpfr_inits2(256, s, t, st, err, (mpfr_ptr)0);
  mpfr_set_ui(s, 1, MPFR_RNDN);
  mpfr_div_ui(s, s, 3, MPFR_RNDN);
  mpfr_const_pi(t, MPFR_RNDN);
  mpfr_div_ui(t, t, 7, MPFR_RNDN);
  mpfr_add(st, s, t, MPFR_RNDN);
  tc_mat_mpfr *A = tc_mat_alloc_mpfr(2, 2, 256), *B = tc_mat_alloc_mpfr(2, 2, 256),
              *C = tc_mat_alloc_mpfr(2, 2, 256), *W = tc_mat_alloc_mpfr(2, 2, 256);
  set_rotation(A, s);
  set_rotation(B, t);
  set_rotation(W, st);
  tc_mat_gemm_mpfr(C, A, B);
  double worst = 0.0;
  for (size_t k = 0; k < 4; k++) {
    mpfr_sub(err, C->data[k], W->data[k], MPFR_RNDN);
    worst = fmax(worst, fabs(mpfr_get_d(err, MPFR_RNDN)));
  }
  cr_expect(worst < ldexp(1.0, -252), "R(s)R(t) - R(s+t): %g", worst);
  tc_mat_gram_mpfr(C, A);
  worst = 0.0;
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < 2; j++) {
      mpfr_sub_ui(err, tc_mat_at_mpfr(C, i, j), i == j, MPFR_RNDN);
      worst = fmax(worst, fabs(mpfr_get_d(err, MPFR_RNDN)));
    }
  cr_expect(worst < ldexp(1.0, -252), "R^T R - I: %g", worst);
  /* R(s) applied to (1, 0) gives (cos s, sin s); R^T brings it back. */
  tc_vec_mpfr *x = tc_vec_alloc_mpfr(2, 256), *y = tc_vec_alloc_mpfr(2, 256);
  mpfr_set_ui(x->data[0], 1, MPFR_RNDN);
  tc_mat_gemv_mpfr(y, A, x);
  cr_expect(mpfr_equal_p(y->data[0], tc_mat_at_mpfr(A, 0, 0)));
  cr_expect(mpfr_equal_p(y->data[1], tc_mat_at_mpfr(A, 1, 0)));
  tc_mat_gemv_trans_mpfr(x, A, y);
  mpfr_sub_ui(err, x->data[0], 1, MPFR_RNDN);
  cr_expect(fabs(mpfr_get_d(err, MPFR_RNDN)) < ldexp(1.0, -252));
  cr_expect(fabs(mpfr_get_d(x->data[1], MPFR_RNDN)) < ldexp(1.0, -252));
  tc_vec_free_mpfr(x);
  tc_vec_free_mpfr(y);
  mpfr_clears(s, t, st, err, (mpfr_ptr)0);
  tc_mat_free_mpfr(A);
  tc_mat_free_mpfr(B);
  tc_mat_free_mpfr(C);
  tc_mat_free_mpfr(W);
}

Test(mat, mpfr_entries_are_correctly_rounded)
{
  /* Row (2^80, 1, -2^80) times column (1, 1, 1) is 1 exactly at 53 bits;
   * so is the Gram entry of the column (2^80, 1, -2^80) with (1, 1, 1). */
  tc_mat_mpfr *A = tc_mat_alloc_mpfr(1, 3, 53), *B = tc_mat_alloc_mpfr(3, 1, 53),
              *C = tc_mat_alloc_mpfr(1, 1, 53), *G = tc_mat_alloc_mpfr(3, 2, 53),
              *H = tc_mat_alloc_mpfr(2, 2, 53);
  mpfr_set_ui_2exp(A->data[0], 1, 80, MPFR_RNDN);
  mpfr_set_ui(A->data[1], 1, MPFR_RNDN);
  mpfr_set_si_2exp(A->data[2], -1, 80, MPFR_RNDN);
  for (size_t k = 0; k < 3; k++) {
    mpfr_set_ui(B->data[k], 1, MPFR_RNDN);
    mpfr_set(tc_mat_at_mpfr(G, k, 0), A->data[k], MPFR_RNDN);
    mpfr_set_ui(tc_mat_at_mpfr(G, k, 1), 1, MPFR_RNDN);
  }
  tc_mat_gemm_mpfr(C, A, B);
  cr_expect_eq(mpfr_cmp_ui(C->data[0], 1), 0);
  tc_mat_gram_mpfr(H, G);
  cr_expect_eq(mpfr_cmp_ui(tc_mat_at_mpfr(H, 0, 1), 1), 0);
  cr_expect_eq(mpfr_cmp_ui(tc_mat_at_mpfr(H, 1, 0), 1), 0);
  cr_expect_eq(mpfr_cmp_ui(tc_mat_at_mpfr(H, 1, 1), 3), 0);
  tc_mat_free_mpfr(A);
  tc_mat_free_mpfr(B);
  tc_mat_free_mpfr(C);
  tc_mat_free_mpfr(G);
  tc_mat_free_mpfr(H);
}

/* One random trial of random_mpfr_agrees_with_blas: the same inputs in
 * double (A, B, xk, xm) and, rounded from them, in MPFR (P, Q, uk, um). */
typedef struct {
  size_t m, k, n;
  mpfr_prec_t prec;
  tc_mat_d *A, *B, *C, *G;
  tc_mat_mpfr *P, *Q, *R, *S;
  tc_vec_d *xk, *xm, *ym, *yk;
  tc_vec_mpfr *uk, *um, *vm, *vk;
} mat_trial;

/* d[i] uniform in [-1, 1), and p[i] the same value exactly, so any
 * difference between the backends comes from the products alone. */
static void fill_uniform(gsl_rng *rng, double *d, mpfr_t *p, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    d[i] = 2.0 * gsl_rng_uniform(rng) - 1.0;
    mpfr_set_d(p[i], d[i], MPFR_RNDN);
  }
}

/* Sizes 1..20 and a precision 53..252 drawn from rng, then the inputs
 * (the draw order fixes what a given THMCHECK_TEST_SEED replays). */
static void mat_trial_alloc(mat_trial *t, gsl_rng *rng)
{
  t->m = 1 + gsl_rng_uniform_int(rng, 20);
  t->k = 1 + gsl_rng_uniform_int(rng, 20);
  t->n = 1 + gsl_rng_uniform_int(rng, 20);
  t->prec = 53 + gsl_rng_uniform_int(rng, 200);
  size_t m = t->m, k = t->k, n = t->n;
  mpfr_prec_t prec = t->prec;
  t->A = tc_mat_alloc_d(m, k, 0);
  t->B = tc_mat_alloc_d(k, n, 0);
  t->C = tc_mat_alloc_d(m, n, 0);
  t->G = tc_mat_alloc_d(k, k, 0);
  t->P = tc_mat_alloc_mpfr(m, k, prec), t->Q = tc_mat_alloc_mpfr(k, n, prec);
  t->R = tc_mat_alloc_mpfr(m, n, prec), t->S = tc_mat_alloc_mpfr(k, k, prec);
  t->xk = tc_vec_alloc_d(k, 0), t->xm = tc_vec_alloc_d(m, 0), t->ym = tc_vec_alloc_d(m, 0);
  t->yk = tc_vec_alloc_d(k, 0);
  t->uk = tc_vec_alloc_mpfr(k, prec), t->um = tc_vec_alloc_mpfr(m, prec);
  t->vm = tc_vec_alloc_mpfr(m, prec), t->vk = tc_vec_alloc_mpfr(k, prec);
  fill_uniform(rng, t->A->data, t->P->data, m * k);
  fill_uniform(rng, t->B->data, t->Q->data, k * n);
  fill_uniform(rng, t->xk->data, t->uk->data, k);
  fill_uniform(rng, t->xm->data, t->um->data, m);
}

static void mat_trial_free(mat_trial *t)
{
  tc_mat_free_d(t->A);
  tc_mat_free_d(t->B);
  tc_mat_free_d(t->C);
  tc_mat_free_d(t->G);
  tc_mat_free_mpfr(t->P);
  tc_mat_free_mpfr(t->Q);
  tc_mat_free_mpfr(t->R);
  tc_mat_free_mpfr(t->S);
  tc_vec_free_d(t->xk);
  tc_vec_free_d(t->xm);
  tc_vec_free_d(t->ym);
  tc_vec_free_d(t->yk);
  tc_vec_free_mpfr(t->uk);
  tc_vec_free_mpfr(t->um);
  tc_vec_free_mpfr(t->vm);
  tc_vec_free_mpfr(t->vk);
}

/* Every product in both backends; none may refuse these sizes. */
static void mat_trial_compute(mat_trial *t)
{
  cr_assert_eq(tc_mat_gemm_d(t->C, t->A, t->B), TC_SUCCESS);
  cr_assert_eq(tc_mat_gemm_mpfr(t->R, t->P, t->Q), TC_SUCCESS);
  cr_assert_eq(tc_mat_gram_d(t->G, t->A), TC_SUCCESS);
  cr_assert_eq(tc_mat_gram_mpfr(t->S, t->P), TC_SUCCESS);
  cr_assert_eq(tc_mat_gemv_d(t->ym, t->A, t->xk), TC_SUCCESS);
  cr_assert_eq(tc_mat_gemv_mpfr(t->vm, t->P, t->uk), TC_SUCCESS);
  cr_assert_eq(tc_mat_gemv_trans_d(t->yk, t->A, t->xm), TC_SUCCESS);
  cr_assert_eq(tc_mat_gemv_trans_mpfr(t->vk, t->P, t->um), TC_SUCCESS);
}

/* Double against MPFR entry by entry; returns the largest gemm error / k. */
static double mat_trial_compare(const mat_trial *t, unsigned long seed)
{
  size_t m = t->m, k = t->k, n = t->n;
  double worst = 0.0;
  /* Entries are sums of k products of numbers in [-1, 1]: compare
   * with the scale k rather than the entry, which may cancel. */
  double tol = 1e-12 * (double)(k > m ? k : m);
  for (size_t i = 0; i < m * n; i++) {
    double e = fabs(t->C->data[i] - mpfr_get_d(t->R->data[i], MPFR_RNDN));
    worst = fmax(worst, e / (double)k);
    cr_expect(e < tol, "gemm %zux%zux%zu prec %ld entry %zu err %g (THMCHECK_TEST_SEED=%lu)",
              m, k, n, (long)t->prec, i, e, seed);
  }
  for (size_t i = 0; i < k * k; i++) {
    double e = fabs(t->G->data[i] - mpfr_get_d(t->S->data[i], MPFR_RNDN));
    cr_expect(e < tol, "gram entry %zu err %g (THMCHECK_TEST_SEED=%lu)", i, e, seed);
    cr_expect(mpfr_equal_p(t->S->data[i], t->S->data[(i % k) * k + i / k]), "gram not symmetric");
    cr_expect_eq(t->G->data[i], t->G->data[(i % k) * k + i / k], "gram_d not symmetric");
  }
  for (size_t i = 0; i < m; i++)
    cr_expect(fabs(t->ym->data[i] - mpfr_get_d(t->vm->data[i], MPFR_RNDN)) < tol,
              "gemv (THMCHECK_TEST_SEED=%lu)", seed);
  for (size_t i = 0; i < k; i++)
    cr_expect(fabs(t->yk->data[i] - mpfr_get_d(t->vk->data[i], MPFR_RNDN)) < tol,
              "gemv_trans (THMCHECK_TEST_SEED=%lu)", seed);
  return worst;
}

/* gemv agrees with gemm against a one-column matrix, exactly (both are
 * correctly rounded dot products). */
static void mat_trial_gemv_is_gemm(const mat_trial *t, unsigned long seed)
{
  tc_mat_mpfr *X = tc_mat_alloc_mpfr(t->k, 1, t->prec), *Y = tc_mat_alloc_mpfr(t->m, 1, t->prec);
  for (size_t i = 0; i < t->k; i++)
    mpfr_set(X->data[i], t->uk->data[i], MPFR_RNDN);
  tc_mat_gemm_mpfr(Y, t->P, X);
  for (size_t i = 0; i < t->m; i++)
    cr_expect(mpfr_equal_p(Y->data[i], t->vm->data[i]), "gemv != gemm column (THMCHECK_TEST_SEED=%lu)", seed);
  tc_mat_free_mpfr(X);
  tc_mat_free_mpfr(Y);
}

Test(mat, random_mpfr_agrees_with_blas)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst = 0.0;
  for (int trial = 0; trial < 30; trial++) {
    mat_trial t;
    mat_trial_alloc(&t, rng);
    mat_trial_compute(&t);
    worst = fmax(worst, mat_trial_compare(&t, seed));
    mat_trial_gemv_is_gemm(&t, seed);
    mat_trial_free(&t);
  }
  gsl_rng_free(rng);
  cr_log_info("worst |gemm_d - gemm_mpfr| / k: %g", worst);
}
