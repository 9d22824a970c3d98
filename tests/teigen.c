/* teigen — symmetric eigenvalues: LAPACK dsyevd (double) and Householder
 * tridiagonalisation + implicit QL (MPFR, src/num/eigen_*_mpfr.c), with
 * the cyclic Jacobi of jacobi_source.h kept as the reference they are held
 * against (the eigen_ql tests at the end).  Special cases first (sizes, 1x1, zero, diagonal,
 * repeated eigenvalues, only the lower triangle read, non-finite input),
 * then the closed form 2 - 2 cos(k pi/(n+1)) of the [-1, 2, -1] matrix at
 * 256 bits, trace and Frobenius invariants, and random symmetric matrices
 * from a fixed seed (THMCHECK_TEST_SEED overrides it) on which MPFR must
 * agree with LAPACK.  The double instance of the Jacobi template is also
 * held against LAPACK, so the template is tested at both types. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include "tc_linalg.h"
#include "num/num_impl.h"
#include "test_seed.h"

/* Fill the n x n [-1, 2, -1] matrix (both triangles). */
static void tridiag_mpfr(tc_mat_mpfr *A)
{
  size_t n = A->rows;
  tc_mat_set_zero_mpfr(A);
  for (size_t i = 0; i < n; i++) {
    mpfr_set_si(tc_mat_at_mpfr(A, i, i), 2, MPFR_RNDN);
    if (i + 1 < n) {
      mpfr_set_si(tc_mat_at_mpfr(A, i + 1, i), -1, MPFR_RNDN);
      mpfr_set_si(tc_mat_at_mpfr(A, i, i + 1), -1, MPFR_RNDN);
    }
  }
}

/* want <- 2 - 2 cos(k pi / (n+1)), at want's precision. */
static void tridiag_eig(mpfr_ptr want, unsigned long k, unsigned long n)
{
  mpfr_const_pi(want, MPFR_RNDN);
  mpfr_mul_ui(want, want, k, MPFR_RNDN);
  mpfr_div_ui(want, want, n + 1, MPFR_RNDN);
  mpfr_cos(want, want, MPFR_RNDN);
  mpfr_mul_2ui(want, want, 1, MPFR_RNDN);
  mpfr_ui_sub(want, 2, want, MPFR_RNDN);
}

/* log2 of |got - want| / |want| (-inf when equal). */
static double log2_rel(mpfr_srcptr got, mpfr_srcptr want)
{
  mpfr_t d;
  mpfr_init2(d, 1024);
  mpfr_sub(d, got, want, MPFR_RNDN);
  mpfr_div(d, d, want, MPFR_RNDN);
  mpfr_abs(d, d, MPFR_RNDN);
  double r = mpfr_zero_p(d) ? -INFINITY : mpfr_get_d(d, MPFR_RNDN);
  mpfr_clear(d);
  return r == -INFINITY ? r : log2(r);
}

/* One problem of size n in both backends: the dsyevd workspace, an n x n
 * matrix and its eigenvalue vector in double, and the MPFR eigen workspace,
 * matrix and vector in MPFR, all at precision prec. */
typedef struct {
  tc_eigen_ws_d *wd;
  tc_eigen_ws_mpfr *wm;
  tc_mat_d *A;
  tc_vec_d *e;
  tc_mat_mpfr *M;
  tc_vec_mpfr *f;
} eig_pair;

static eig_pair eig_pair_alloc(size_t n, mpfr_prec_t prec)
{
  eig_pair p = {
      .wd = tc_eigen_ws_alloc_d(n, 0),
      .wm = tc_eigen_ws_alloc_mpfr(n, prec),
      .A = tc_mat_alloc_d(n, n, 0),
      .e = tc_vec_alloc_d(n, 0),
      .M = tc_mat_alloc_mpfr(n, n, prec),
      .f = tc_vec_alloc_mpfr(n, prec),
  };
  return p;
}

static void eig_pair_free(eig_pair *p)
{
  tc_eigen_ws_free_d(p->wd);
  tc_eigen_ws_free_mpfr(p->wm);
  tc_mat_free_d(p->A);
  tc_vec_free_d(p->e);
  tc_mat_free_mpfr(p->M);
  tc_vec_free_mpfr(p->f);
}

Test(eigen, workspace_refuses_zero_size)
{
  cr_expect_null(tc_eigen_ws_alloc_d(0, 53));
  cr_expect_null(tc_eigen_ws_alloc_mpfr(0, 53));
  cr_expect_null(tc_eigen_ws_alloc_mpfr(3, 0));
  tc_eigen_ws_free_d(NULL);
  tc_eigen_ws_free_mpfr(NULL);
}

Test(eigen, size_mismatch_is_ebadlen)
{
  /* p is the matching 3x3 problem; the others are one size off. */
  eig_pair p = eig_pair_alloc(3, 64);
  tc_mat_d *A4 = tc_mat_alloc_d(4, 4, 0), *A23 = tc_mat_alloc_d(2, 3, 0);
  tc_vec_d *e4 = tc_vec_alloc_d(4, 0);
  cr_expect_eq(tc_eigen_symm_d(e4, p.A, p.wd), TC_EBADLEN);
  cr_expect_eq(tc_eigen_symm_d(p.e, A4, p.wd), TC_EBADLEN);
  cr_expect_eq(tc_eigen_symm_d(p.e, A23, p.wd), TC_EBADLEN);
  cr_expect_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS);
  tc_mat_mpfr *M4 = tc_mat_alloc_mpfr(4, 4, 64);
  tc_vec_mpfr *f4 = tc_vec_alloc_mpfr(4, 64);
  cr_expect_eq(tc_eigen_symm_mpfr(f4, p.M, p.wm), TC_EBADLEN);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, M4, p.wm), TC_EBADLEN);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
  eig_pair_free(&p);
  tc_mat_free_d(A4);
  tc_mat_free_d(A23);
  tc_vec_free_d(e4);
  tc_mat_free_mpfr(M4);
  tc_vec_free_mpfr(f4);
}

Test(eigen, one_by_one)
{
  eig_pair p = eig_pair_alloc(1, 100);
  p.A->data[0] = -2.5;
  mpfr_set_d(p.M->data[0], -2.5, MPFR_RNDN);
  cr_expect_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS);
  cr_expect_eq(p.e->data[0], -2.5);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
  cr_expect_eq(mpfr_cmp_d(p.f->data[0], -2.5), 0);
  eig_pair_free(&p);
}

Test(eigen, zero_diagonal_and_repeated)
{
  enum { N = 6 };
  eig_pair p = eig_pair_alloc(N, 128);

  /* zero matrix: all eigenvalues exactly 0 */
  cr_expect_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
  for (size_t i = 0; i < N; i++) {
    cr_expect_eq(p.e->data[i], 0.0);
    cr_expect(mpfr_zero_p(p.f->data[i]));
  }

  /* diagonal, unsorted: returned sorted, exactly */
  const double diag[N] = {3.0, -1.0, 7.5, 0.0, -4.25, 3.0};
  const double sorted[N] = {-4.25, -1.0, 0.0, 3.0, 3.0, 7.5};
  for (size_t i = 0; i < N; i++) {
    *tc_mat_at_d(p.A, i, i) = diag[i];
    mpfr_set_d(tc_mat_at_mpfr(p.M, i, i), diag[i], MPFR_RNDN);
  }
  tc_eigen_symm_d(p.e, p.A, p.wd);
  tc_eigen_symm_mpfr(p.f, p.M, p.wm);
  for (size_t i = 0; i < N; i++) {
    cr_expect_eq(p.e->data[i], sorted[i]);
    cr_expect_eq(mpfr_cmp_d(p.f->data[i], sorted[i]), 0, "i=%zu", i);
  }

  /* all-ones matrix: 0 with multiplicity N-1, and N */
  for (size_t k = 0; k < N * N; k++) {
    p.A->data[k] = 1.0;
    mpfr_set_ui(p.M->data[k], 1, MPFR_RNDN);
  }
  tc_eigen_symm_d(p.e, p.A, p.wd);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
  for (size_t i = 0; i + 1 < N; i++) {
    cr_expect(fabs(p.e->data[i]) < 1e-14, "d: %g", p.e->data[i]);
    cr_expect(fabs(mpfr_get_d(p.f->data[i], MPFR_RNDN)) < ldexp(1.0, -120), "mpfr: %g",
              mpfr_get_d(p.f->data[i], MPFR_RNDN));
  }
  cr_expect(fabs(p.e->data[N - 1] - N) < 1e-14);
  cr_expect(fabs(mpfr_get_d(p.f->data[N - 1], MPFR_RNDN) - N) < 1e-30);

  eig_pair_free(&p);
}

Test(eigen, reads_only_lower_triangle_and_keeps_A)
{
  /* [[2, 1], [1, 2]] has eigenvalues 1 and 3; the upper entry is NaN. */
  eig_pair p = eig_pair_alloc(2, 200);
  p.A->data[0] = 2.0;
  p.A->data[1] = NAN;
  p.A->data[2] = 1.0;
  p.A->data[3] = 2.0;
  mpfr_set_ui(p.M->data[0], 2, MPFR_RNDN);
  mpfr_set_nan(p.M->data[1]);
  mpfr_set_ui(p.M->data[2], 1, MPFR_RNDN);
  mpfr_set_ui(p.M->data[3], 2, MPFR_RNDN);
  cr_expect_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS);
  cr_expect(fabs(p.e->data[0] - 1.0) < 1e-15 && fabs(p.e->data[1] - 3.0) < 1e-15);
  cr_expect(p.A->data[0] == 2.0 && isnan(p.A->data[1]) && p.A->data[2] == 1.0 &&
            p.A->data[3] == 2.0);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
  /* Exact here: one QL sweep with the Wilkinson shift 1 deflates at once. */
  cr_expect_eq(mpfr_cmp_ui(p.f->data[0], 1), 0);
  cr_expect_eq(mpfr_cmp_ui(p.f->data[1], 3), 0);
  cr_expect(mpfr_cmp_ui(p.M->data[0], 2) == 0 && mpfr_nan_p(p.M->data[1]));
  cr_expect(mpfr_cmp_ui(p.M->data[2], 1) == 0 && mpfr_cmp_ui(p.M->data[3], 2) == 0);
  eig_pair_free(&p);
}

Test(eigen, non_finite_lower_triangle_is_refused)
{
  eig_pair p = eig_pair_alloc(2, 64);
  p.A->data[2] = INFINITY;
  mpfr_set_nan(p.M->data[3]);
  cr_expect_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_ENONFINITE);
  cr_expect_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_ENONFINITE);
  eig_pair_free(&p);
}

Test(eigen, tridiagonal_closed_form_at_256_bits)
{
  /* MPFR at 256 bits within 2^-240 relative of 2 - 2cos(k pi/(n+1))
   * (the smallest eigenvalue ~ pi^2/(n+1)^2 is the hard one), and LAPACK
   * within 32 eps ||A||_2. */
  mpfr_t want;
  mpfr_init2(want, 512);
  double worst = -INFINITY, worst_d = 0.0;
  for (size_t n = 2; n <= 24; n += (n < 8 ? 1 : 8)) {
    eig_pair p = eig_pair_alloc(n, 256);
    tridiag_mpfr(p.M);
    for (size_t k = 0; k < n * n; k++)
      p.A->data[k] = mpfr_get_d(p.M->data[k], MPFR_RNDN);
    cr_assert_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS, "n=%zu", n);
    cr_assert_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS, "n=%zu", n);
    for (size_t k = 1; k <= n; k++) {
      tridiag_eig(want, k, n);
      double l = log2_rel(p.f->data[k - 1], want);
      worst = fmax(worst, l);
      cr_expect(l <= -240, "n=%zu k=%zu: relative error 2^%.1f", n, k, l);
      /* dsyevd is accurate relative to ||A||_2 <= 4, not to each
       * eigenvalue: allow 32 eps ||A||_2. */
      double ed = fabs(p.e->data[k - 1] - mpfr_get_d(want, MPFR_RNDN));
      worst_d = fmax(worst_d, ed / 4.0);
      cr_expect(ed < 32 * 0x1p-52 * 4.0, "dsyevd n=%zu k=%zu: error %g", n, k, ed);
    }
    eig_pair_free(&p);
  }
  mpfr_clear(want);
  cr_log_info("tridiagonal: QL@256 worst relative error 2^%.1f, dsyevd worst error / ||A||_2 %g",
              worst, worst_d);
}

Test(eigen, tridiagonal_at_other_precisions)
{
  /* The stopping rule scales with the precision: 2^-(prec-16) relative
   * at 64 and 1000 bits. */
  const mpfr_prec_t precs[] = {64, 1000};
  mpfr_t want;
  mpfr_init2(want, 1100);
  for (size_t p = 0; p < 2; p++) {
    size_t n = 9;
    tc_eigen_ws_mpfr *wm = tc_eigen_ws_alloc_mpfr(n, precs[p]);
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, precs[p]);
    tc_vec_mpfr *f = tc_vec_alloc_mpfr(n, precs[p]);
    tridiag_mpfr(M);
    cr_assert_eq(tc_eigen_symm_mpfr(f, M, wm), TC_SUCCESS);
    for (size_t k = 1; k <= n; k++) {
      tridiag_eig(want, k, n);
      double l = log2_rel(f->data[k - 1], want);
      cr_expect(l <= -(double)precs[p] + 16, "prec %ld k=%zu: 2^%.1f", (long)precs[p], k, l);
    }
    tc_eigen_ws_free_mpfr(wm);
    tc_mat_free_mpfr(M);
    tc_vec_free_mpfr(f);
  }
  mpfr_clear(want);
}

/* Random symmetric matrix with entries uniform in [-1, 1], written to both
 * backends (the MPFR copy is exact). */
static void random_symm(tc_mat_d *A, tc_mat_mpfr *M, gsl_rng *rng)
{
  size_t n = A->rows;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      double v = 2.0 * gsl_rng_uniform(rng) - 1.0;
      *tc_mat_at_d(A, i, j) = *tc_mat_at_d(A, j, i) = v;
      mpfr_set_d(tc_mat_at_mpfr(M, i, j), v, MPFR_RNDN);
      mpfr_set_d(tc_mat_at_mpfr(M, j, i), v, MPFR_RNDN);
    }
}

Test(eigen, random_invariants_at_256_bits)
{
  /* sum lambda = trace, sum lambda^2 = ||A||_F^2. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0x5eedUL);
  mpfr_t tr, fr, s1, s2, t;
  mpfr_inits2(600, tr, fr, s1, s2, t, (mpfr_ptr)0);
  for (int trial = 0; trial < 4; trial++) {
    size_t n = 3 + gsl_rng_uniform_int(rng, 14);
    tc_mat_d *A = tc_mat_alloc_d(n, n, 0);
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, 256);
    tc_vec_mpfr *f = tc_vec_alloc_mpfr(n, 256);
    tc_eigen_ws_mpfr *wm = tc_eigen_ws_alloc_mpfr(n, 256);
    random_symm(A, M, rng);
    cr_assert_eq(tc_eigen_symm_mpfr(f, M, wm), TC_SUCCESS);
    mpfr_set_zero(tr, 1);
    mpfr_set_zero(fr, 1);
    mpfr_set_zero(s1, 1);
    mpfr_set_zero(s2, 1);
    for (size_t i = 0; i < n; i++) {
      mpfr_add(tr, tr, tc_mat_at_mpfr(M, i, i), MPFR_RNDN);
      mpfr_add(s1, s1, f->data[i], MPFR_RNDN);
      mpfr_sqr(t, f->data[i], MPFR_RNDN);
      mpfr_add(s2, s2, t, MPFR_RNDN);
      for (size_t j = 0; j < n; j++) {
        mpfr_sqr(t, tc_mat_at_mpfr(M, i, j), MPFR_RNDN);
        mpfr_add(fr, fr, t, MPFR_RNDN);
      }
      if (i > 0)
        cr_expect(mpfr_lessequal_p(f->data[i - 1], f->data[i]), "not ascending");
    }
    /* trace relative to ||A||_F, which may be far larger than the trace. */
    mpfr_sub(t, s1, tr, MPFR_RNDN);
    mpfr_div(t, t, fr, MPFR_RNDN);
    double l1 = log2(fabs(mpfr_get_d(t, MPFR_RNDN)) + 1e-300);
    cr_expect(l1 <= -240, "trace: 2^%.1f n=%zu (THMCHECK_TEST_SEED=%lu)", l1, n, seed);
    double l2 = log2_rel(s2, fr);
    cr_expect(l2 <= -240, "Frobenius: 2^%.1f n=%zu (THMCHECK_TEST_SEED=%lu)", l2, n, seed);
    tc_mat_free_d(A);
    tc_mat_free_mpfr(M);
    tc_vec_free_mpfr(f);
    tc_eigen_ws_free_mpfr(wm);
  }
  mpfr_clears(tr, fr, s1, s2, t, (mpfr_ptr)0);
  gsl_rng_free(rng);
}

Test(eigen, random_mpfr_and_jacobi_d_agree_with_lapack)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst_m = 0.0, worst_j = 0.0;
  for (int trial = 0; trial < 20; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 20);
    mpfr_prec_t prec = 53 + gsl_rng_uniform_int(rng, 100);
    eig_pair p = eig_pair_alloc(n, prec);
    tc_mat_d *J = tc_mat_alloc_d(n, n, 0);
    tc_vec_d *ej = tc_vec_alloc_d(n, 0);
    random_symm(p.A, p.M, rng);
    double norm = 0.0;
    for (size_t k = 0; k < n * n; k++)
      norm += p.A->data[k] * p.A->data[k];
    norm = sqrt(norm);
    cr_assert_eq(tc_eigen_symm_d(p.e, p.A, p.wd), TC_SUCCESS);
    cr_assert_eq(tc_eigen_symm_mpfr(p.f, p.M, p.wm), TC_SUCCESS);
    tc_mat_copy_d(J, p.A);
    tc_real_d tmp[TC_JACOBI_NTMP];
    cr_assert_eq(tc_num_jacobi_d(ej, J, NULL, tmp, 53), TC_SUCCESS);
    for (size_t i = 0; i < n; i++) {
      double em = fabs(p.e->data[i] - mpfr_get_d(p.f->data[i], MPFR_RNDN)) / norm;
      double ejac = fabs(p.e->data[i] - ej->data[i]) / norm;
      worst_m = fmax(worst_m, em);
      worst_j = fmax(worst_j, ejac);
      cr_expect(em < 1e-12, "n=%zu prec=%ld i=%zu: mpfr vs dsyevd %g (THMCHECK_TEST_SEED=%lu)",
                n, (long)prec, i, em, seed);
      cr_expect(ejac < 1e-12, "n=%zu i=%zu: jacobi_d vs dsyevd %g (THMCHECK_TEST_SEED=%lu)", n, i,
                ejac, seed);
    }
    /* The workspace is reusable: a second call gives identical results. */
    tc_vec_mpfr *g = tc_vec_alloc_mpfr(n, prec);
    tc_eigen_symm_mpfr(g, p.M, p.wm);
    for (size_t i = 0; i < n; i++)
      cr_expect(mpfr_equal_p(p.f->data[i], g->data[i]), "workspace reuse changed the result");
    tc_vec_free_mpfr(g);
    tc_mat_free_d(J);
    tc_vec_free_d(ej);
    eig_pair_free(&p);
  }
  gsl_rng_free(rng);
  cr_log_info("max |lambda - lambda_dsyevd| / ||A||_F: mpfr %g, jacobi_d %g", worst_m, worst_j);
}

Test(eigen, eval_precision_differs_from_workspace)
{
  /* Computed at 256 bits, delivered at 53: within half an ulp (plus the
   * 2^-240 of the computation) of the closed form. */
  size_t n = 5;
  tc_eigen_ws_mpfr *wm = tc_eigen_ws_alloc_mpfr(n, 256);
  tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, 300);
  tc_vec_mpfr *f = tc_vec_alloc_mpfr(n, 53);
  mpfr_t want;
  mpfr_init2(want, 512);
  tridiag_mpfr(M);
  cr_assert_eq(tc_eigen_symm_mpfr(f, M, wm), TC_SUCCESS);
  for (size_t k = 1; k <= n; k++) {
    tridiag_eig(want, k, n);
    cr_expect_eq(mpfr_get_prec(f->data[k - 1]), 53);
    double l = log2_rel(f->data[k - 1], want);
    cr_expect(l <= -53 + 1e-9, "k=%zu: relative error 2^%.3f", k, l);
  }
  mpfr_clear(want);
  tc_eigen_ws_free_mpfr(wm);
  tc_mat_free_mpfr(M);
  tc_vec_free_mpfr(f);
}

Test(eigen, jacobi_d_refuses_overflowing_norm)
{
  tc_mat_d *A = tc_mat_alloc_d(2, 2, 0);
  tc_vec_d *e = tc_vec_alloc_d(2, 0);
  A->data[0] = A->data[3] = 1e200;
  A->data[1] = A->data[2] = 1.0;
  tc_real_d tmp[TC_JACOBI_NTMP];
  cr_expect_eq(tc_num_jacobi_d(e, A, NULL, tmp, 53), TC_ENONFINITE);
  tc_mat_free_d(A);
  tc_vec_free_d(e);
}

/* ---- the tridiagonal QL solver against cyclic Jacobi (the reference) ----
 * tc_eigen_symm_mpfr / tc_eigen_symmv_mpfr are Householder + implicit QL
 * (src/num/eigen_*_mpfr.c); Jacobi (jacobi_source.h) stays the
 * reference: both must agree within 2^-(prec-5) ||A||_F. */

/* Jacobi's eigenvalues of M at prec (its own copy and scalars). */
static void jacobi_ref(tc_vec_mpfr *ev, const tc_mat_mpfr *M, mpfr_prec_t prec)
{
  size_t n = M->rows;
  tc_mat_mpfr *a = tc_mat_alloc_mpfr(n, n, prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      mpfr_set(tc_mat_at_mpfr(a, i, j), tc_mat_at_mpfr(M, i, j), MPFR_RNDN);
      mpfr_set(tc_mat_at_mpfr(a, j, i), tc_mat_at_mpfr(M, i, j), MPFR_RNDN);
    }
  mpfr_t tmp[TC_JACOBI_NTMP];
  for (int k = 0; k < TC_JACOBI_NTMP; k++)
    mpfr_init2(tmp[k], prec);
  cr_assert_eq(tc_num_jacobi_mpfr(ev, a, NULL, tmp, prec), TC_SUCCESS);
  for (int k = 0; k < TC_JACOBI_NTMP; k++)
    mpfr_clear(tmp[k]);
  tc_mat_free_mpfr(a);
}

/* ||M||_F from the lower triangle, as a double. */
static double frob_mpfr(const tc_mat_mpfr *M)
{
  double s = 0.0;
  for (size_t i = 0; i < M->rows; i++)
    for (size_t j = 0; j <= i; j++) {
      double v = mpfr_get_d(tc_mat_at_mpfr(M, i, j), MPFR_RNDN);
      s += (i == j ? 1.0 : 2.0) * v * v;
    }
  return sqrt(s);
}

/* log2 of max_i |a_i - b_i| / scale (-inf when all equal). */
static double log2_maxdiff(const tc_vec_mpfr *a, const tc_vec_mpfr *b, double scale)
{
  mpfr_t d;
  mpfr_init2(d, 2048);
  double worst = -INFINITY;
  for (size_t i = 0; i < a->n; i++) {
    mpfr_sub(d, a->data[i], b->data[i], MPFR_RNDN);
    if (!mpfr_zero_p(d)) {
      mpfr_div_d(d, d, scale, MPFR_RNDN);
      mpfr_abs(d, d, MPFR_RNDN);
      long e;
      double m = mpfr_get_d_2exp(&e, d, MPFR_RNDN); /* no underflow below 2^-1074 */
      double l = log2(fabs(m)) + (double)e;
      worst = fmax(worst, l);
    }
  }
  mpfr_clear(d);
  return worst;
}

/* QL vs Jacobi on M at prec: eigenvalues within 2^-(prec-5) ||M||_F. */
static double ql_vs_jacobi(const tc_mat_mpfr *M, mpfr_prec_t prec, const char *what)
{
  size_t n = M->rows;
  tc_vec_mpfr *q = tc_vec_alloc_mpfr(n, prec), *j = tc_vec_alloc_mpfr(n, prec);
  tc_eigen_ws_mpfr *w = tc_eigen_ws_alloc_mpfr(n, prec);
  cr_assert_eq(tc_eigen_symm_mpfr(q, M, w), TC_SUCCESS, "%s n=%zu prec=%ld", what, n, (long)prec);
  jacobi_ref(j, M, prec);
  double scale = frob_mpfr(M);
  double l = scale > 0 ? log2_maxdiff(q, j, scale) : -INFINITY;
  cr_expect(l <= -(double)prec + 5, "%s n=%zu prec=%ld: QL vs Jacobi 2^%.1f ||A||_F", what, n,
            (long)prec, l);
  for (size_t i = 1; i < n; i++)
    cr_expect(mpfr_lessequal_p(q->data[i - 1], q->data[i]), "%s: not ascending", what);
  tc_vec_free_mpfr(q);
  tc_vec_free_mpfr(j);
  tc_eigen_ws_free_mpfr(w);
  return l;
}

Test(eigen_ql, random_sizes_and_precisions_vs_jacobi)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0x71UL);
  const size_t sizes[] = {1, 2, 3, 4, 7, 12, 20, 33};
  const mpfr_prec_t precs[] = {53, 64, 113, 128, 160, 256, 600};
  double worst = -INFINITY;
  for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
    for (size_t b = 0; b < sizeof precs / sizeof *precs; b++) {
      size_t n = sizes[a];
      tc_mat_d *A = tc_mat_alloc_d(n, n, 0);
      tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, precs[b]);
      random_symm(A, M, rng);
      worst = fmax(worst, ql_vs_jacobi(M, precs[b], "random") + (double)precs[b]);
      tc_mat_free_d(A);
      tc_mat_free_mpfr(M);
    }
  gsl_rng_free(rng);
  cr_log_info("QL vs Jacobi, random: worst 2^(%.1f - prec) ||A||_F (THMCHECK_TEST_SEED=%lu)",
              worst, seed);
}

Test(eigen_ql, graded_and_repeated_vs_jacobi)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0x72UL);
  const mpfr_prec_t prec = 128;
  for (size_t n = 2; n <= 24; n += 11) {
    tc_mat_d *A = tc_mat_alloc_d(n, n, 0);
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, prec);
    /* graded both ways: a_ij = r_ij 2^-4(i+j), then 2^+4(i+j) */
    for (int sgn = -1; sgn <= 1; sgn += 2) {
      random_symm(A, M, rng);
      for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
          mpfr_mul_2si(tc_mat_at_mpfr(M, i, j), tc_mat_at_mpfr(M, i, j),
                       sgn * 4 * (long)(i + j), MPFR_RNDN);
      ql_vs_jacobi(M, prec, sgn < 0 ? "graded down" : "graded up");
    }
    /* I + u u^T: 1 with multiplicity n-1 and 1 + |u|^2 */
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++)
        mpfr_set_ui(tc_mat_at_mpfr(M, i, j), (i == j) + 1, MPFR_RNDN);
    ql_vs_jacobi(M, prec, "identity + ones");
    /* ill-conditioned: eigenvalues 10^-30 .. 1 through a random rotation */
    tc_mat_mpfr *Q = tc_mat_alloc_mpfr(n, n, prec), *T = tc_mat_alloc_mpfr(n, n, prec);
    tc_qr_ws_mpfr *qw = tc_qr_ws_alloc_mpfr(n, n, prec);
    random_symm(A, T, rng);
    cr_assert_eq(tc_qr_mpfr(Q, M, T, qw), TC_SUCCESS);
    tc_mat_set_zero_mpfr(M);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < n; k++) {
          mpfr_t t;
          mpfr_init2(t, prec);
          mpfr_mul(t, tc_mat_at_mpfr(Q, i, k), tc_mat_at_mpfr(Q, j, k), MPFR_RNDN);
          mpfr_mul_d(t, t, pow(10.0, -30.0 * (double)k / (double)(n - 1)), MPFR_RNDN);
          mpfr_add(tc_mat_at_mpfr(M, i, j), tc_mat_at_mpfr(M, i, j), t, MPFR_RNDN);
          mpfr_clear(t);
        }
    ql_vs_jacobi(M, prec, "ill-conditioned");
    tc_qr_ws_free_mpfr(qw);
    tc_mat_free_mpfr(Q);
    tc_mat_free_mpfr(T);
    tc_mat_free_d(A);
    tc_mat_free_mpfr(M);
  }
  gsl_rng_free(rng);
}

Test(eigen_ql, tridiagonal_closed_form_at_128_bits_large_n)
{
  /* 2 - 2 cos(k pi/(n+1)) to 2^-(128-5) relative to ||A||_2 <= 4 for n up
   * to 200, and the smallest relative to itself within 2^-(128-5-2 log2 n)
   * (its condition number ~ 4/lambda_min ~ 0.4 n^2). */
  mpfr_t want;
  mpfr_init2(want, 512);
  const size_t sizes[] = {10, 50, 200};
  for (size_t s = 0; s < 3; s++) {
    size_t n = sizes[s];
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, 128);
    tc_vec_mpfr *f = tc_vec_alloc_mpfr(n, 128);
    tc_eigen_ws_mpfr *w = tc_eigen_ws_alloc_mpfr(n, 128);
    tridiag_mpfr(M);
    cr_assert_eq(tc_eigen_symm_mpfr(f, M, w), TC_SUCCESS);
    for (size_t k = 1; k <= n; k++) {
      tridiag_eig(want, k, n);
      double l = log2_rel(f->data[k - 1], want) + log2(mpfr_get_d(want, MPFR_RNDN) / 4.0);
      cr_expect(l <= -123, "n=%zu k=%zu: error 2^%.1f ||A||", n, k, l);
    }
    tridiag_eig(want, 1, n);
    double l1 = log2_rel(f->data[0], want);
    cr_expect(l1 <= -123 + 2 * log2((double)n), "n=%zu lambda_min: relative 2^%.1f", n, l1);
    tc_mat_free_mpfr(M);
    tc_vec_free_mpfr(f);
    tc_eigen_ws_free_mpfr(w);
  }
  mpfr_clear(want);
}

Test(eigen_ql, eigenvectors_residual_and_orthogonality)
{
  /* ||A v_j - lambda_j v_j|| and |V^T V - I| within 2^-(prec-5) n ||A||_F,
   * eigenvalues as tc_eigen_symm_mpfr's, at several sizes and precisions. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0x73UL);
  const size_t sizes[] = {1, 2, 5, 16};
  const mpfr_prec_t precs[] = {64, 128, 300};
  mpfr_t s, t;
  mpfr_inits2(1024, s, t, (mpfr_ptr)0);
  for (size_t a = 0; a < 4; a++)
    for (size_t b = 0; b < 3; b++) {
      size_t n = sizes[a];
      mpfr_prec_t prec = precs[b];
      tc_mat_d *A = tc_mat_alloc_d(n, n, 0);
      tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, prec), *V = tc_mat_alloc_mpfr(n, n, prec);
      tc_vec_mpfr *ev = tc_vec_alloc_mpfr(n, prec), *e2 = tc_vec_alloc_mpfr(n, prec);
      tc_eigenv_ws_mpfr *wv = tc_eigenv_ws_alloc_mpfr(n, prec);
      tc_eigen_ws_mpfr *w = tc_eigen_ws_alloc_mpfr(n, prec);
      random_symm(A, M, rng);
      cr_assert_eq(tc_eigen_symmv_mpfr(ev, V, M, wv), TC_SUCCESS);
      cr_assert_eq(tc_eigen_symm_mpfr(e2, M, w), TC_SUCCESS);
      double norm = frob_mpfr(M), tol = ldexp((double)n * norm, -(int)prec + 5);
      for (size_t i = 0; i < n; i++)
        cr_expect(mpfr_equal_p(ev->data[i], e2->data[i]), "symmv and symm differ");
      for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
          /* (A v_j)_i - lambda_j v_ij, and (V^T V)_ij - delta_ij */
          mpfr_mul(s, ev->data[j], tc_mat_at_mpfr(V, i, j), MPFR_RNDN);
          mpfr_neg(s, s, MPFR_RNDN);
          for (size_t k = 0; k < n; k++) {
            mpfr_mul(t, tc_mat_at_mpfr(M, i, k), tc_mat_at_mpfr(V, k, j), MPFR_RNDN);
            mpfr_add(s, s, t, MPFR_RNDN);
          }
          cr_expect(fabs(mpfr_get_d(s, MPFR_RNDN)) <= tol, "residual n=%zu prec=%ld: %g", n,
                    (long)prec, mpfr_get_d(s, MPFR_RNDN));
          mpfr_set_si(s, -(i == j), MPFR_RNDN);
          for (size_t k = 0; k < n; k++) {
            mpfr_mul(t, tc_mat_at_mpfr(V, k, i), tc_mat_at_mpfr(V, k, j), MPFR_RNDN);
            mpfr_add(s, s, t, MPFR_RNDN);
          }
          cr_expect(fabs(mpfr_get_d(s, MPFR_RNDN)) <= ldexp((double)n, -(int)prec + 5),
                    "orthogonality n=%zu prec=%ld: %g", n, (long)prec, mpfr_get_d(s, MPFR_RNDN));
        }
      tc_mat_free_d(A);
      tc_mat_free_mpfr(M);
      tc_mat_free_mpfr(V);
      tc_vec_free_mpfr(ev);
      tc_vec_free_mpfr(e2);
      tc_eigenv_ws_free_mpfr(wv);
      tc_eigen_ws_free_mpfr(w);
    }
  mpfr_clears(s, t, (mpfr_ptr)0);
  gsl_rng_free(rng);
}

Test(eigen_ql, sturm_bisection_extremes_match_ql)
{
  /* lambda_min and lambda_max by bisection on the tridiagonal form agree
   * with QL's within 2^-(prec-5) ||A||_F; the Sturm count at a point
   * between two QL eigenvalues is their index. */
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed ^ 0x74UL);
  const size_t sizes[] = {1, 2, 6, 25};
  mpfr_t lo, hi, mid;
  mpfr_inits2(400, lo, hi, mid, (mpfr_ptr)0);
  for (size_t a = 0; a < 4; a++) {
    size_t n = sizes[a];
    mpfr_prec_t prec = a % 2 ? 128 : 200;
    tc_mat_d *A = tc_mat_alloc_d(n, n, 0);
    tc_mat_mpfr *M = tc_mat_alloc_mpfr(n, n, prec);
    tc_vec_mpfr *ev = tc_vec_alloc_mpfr(n, prec);
    tc_eigen_ws_mpfr *w = tc_eigen_ws_alloc_mpfr(n, prec);
    random_symm(A, M, rng);
    cr_assert_eq(tc_eigen_symm_mpfr(ev, M, w), TC_SUCCESS);
    cr_assert_eq(tc_num_eigen_load_mpfr(w, M), TC_SUCCESS);
    tc_num_tridiag_mpfr(w);
    cr_assert_eq(tc_num_tridiag_bisect_mpfr(lo, 0, w), TC_SUCCESS);
    cr_assert_eq(tc_num_tridiag_bisect_mpfr(hi, n - 1, w), TC_SUCCESS);
    cr_expect_eq(tc_num_tridiag_bisect_mpfr(mid, n, w), TC_EBADLEN);
    double tol = ldexp(frob_mpfr(M), -(int)prec + 5);
    mpfr_sub(mid, lo, ev->data[0], MPFR_RNDN);
    cr_expect(fabs(mpfr_get_d(mid, MPFR_RNDN)) <= tol, "lambda_min n=%zu: %g", n,
              mpfr_get_d(mid, MPFR_RNDN));
    mpfr_sub(mid, hi, ev->data[n - 1], MPFR_RNDN);
    cr_expect(fabs(mpfr_get_d(mid, MPFR_RNDN)) <= tol, "lambda_max n=%zu: %g", n,
              mpfr_get_d(mid, MPFR_RNDN));
    for (size_t k = 1; k < n; k++) {
      mpfr_add(mid, ev->data[k - 1], ev->data[k], MPFR_RNDN);
      mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
      cr_expect_eq(tc_num_sturm_count_mpfr(mid, w), k, "Sturm count n=%zu k=%zu", n, k);
    }
    tc_mat_free_d(A);
    tc_mat_free_mpfr(M);
    tc_vec_free_mpfr(ev);
    tc_eigen_ws_free_mpfr(w);
  }
  mpfr_clears(lo, hi, mid, (mpfr_ptr)0);
  gsl_rng_free(rng);
}
