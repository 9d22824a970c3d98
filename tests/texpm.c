/* texpm — symmetric eigenvectors (tc_eigen_symmv) and the action of the
 * matrix exponential exp(tA) v (tc_expm_symm_*), both backends.
 * Eigenvectors: A V = V diag(lambda), V^T V = I, the eigenvalues equal to
 * tc_eigen_symm's.  exp(tA) v: against RK4 with many small steps (MPFR)
 * and GSL's rk8pd (double), the semigroup law exp(sA) exp(tA) v =
 * exp((s+t)A) v, t = 0, and the error statuses.  Random symmetric A from a
 * fixed seed (THMCHECK_TEST_SEED overrides it). */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "num/num_impl.h"
#include "test_seed.h"

#define TC_TEMPLATE "tnum_source.h"
#include "num/tc_instantiate.h"

#define PREC 200
#define N 6

static void random_symm(double *a, size_t n, gsl_rng *rng)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++)
      a[i * n + j] = a[j * n + i] = 2 * gsl_rng_uniform(rng) - 1;
}

/* max |A V - V diag(lambda)| and max |V^T V - I| in the backend. */
#define EIGV_CHECK(SUF, A, V, ev, prec, eres, eorth)                                   \
  do {                                                                                 \
    size_t n_ = (A)->rows;                                                             \
    tc_mat_##SUF *AV_ = tc_mat_alloc_##SUF(n_, n_, prec), *VL_ = tc_mat_alloc_##SUF(n_, n_, prec); \
    cr_assert_eq(tc_mat_gemm_##SUF(AV_, A, V), TC_SUCCESS);                            \
    for (size_t i_ = 0; i_ < n_; i_++)                                                 \
      for (size_t j_ = 0; j_ < n_; j_++)                                               \
        tc_real_mul_##SUF(tc_mat_at_##SUF(VL_, i_, j_), tc_mat_at_##SUF(V, i_, j_),    \
                          tc_vec_at_##SUF(ev, j_));                                    \
    eres = h_mat_diff_##SUF(AV_, VL_, prec);                                           \
    eorth = h_orth_err_##SUF(V, prec);                                                 \
    tc_mat_free_##SUF(AV_);                                                            \
    tc_mat_free_##SUF(VL_);                                                            \
  } while (0)

Test(expm, eigenvectors_both_backends)
{
  unsigned long seed = test_seed();
  gsl_rng *rng = test_rng(seed);
  double worst[4] = {0, 0, 0, 0};
  for (int trial = 0; trial < 10; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(rng, 9);
    double *a = malloc(n * n * sizeof *a);
    random_symm(a, n, rng);
    if (trial == 9 && n >= 2)
      for (size_t i = 0; i < n * n; i++)
        a[i] = (i % (n + 1) == 0) ? 1.0 : 0.0; /* identity: a repeated eigenvalue */
    tc_mat_d *A = tc_mat_alloc_d(n, n, 0), *V = tc_mat_alloc_d(n, n, 0);
    tc_vec_d *ev = tc_vec_alloc_d(n, 0), *ev2 = tc_vec_alloc_d(n, 0);
    tc_mat_mpfr *Am = tc_mat_alloc_mpfr(n, n, PREC), *Vm = tc_mat_alloc_mpfr(n, n, PREC);
    tc_vec_mpfr *evm = tc_vec_alloc_mpfr(n, PREC);
    tc_eigenv_ws_d *w = tc_eigenv_ws_alloc_d(n, 0);
    tc_eigenv_ws_mpfr *wm = tc_eigenv_ws_alloc_mpfr(n, PREC);
    tc_eigen_ws_d *we = tc_eigen_ws_alloc_d(n, 0);
    h_fill_d(A, a);
    h_fill_mpfr(Am, a);
    cr_assert_eq(tc_eigen_symmv_d(ev, V, A, w), TC_SUCCESS);
    cr_assert_eq(tc_eigen_symmv_mpfr(evm, Vm, Am, wm), TC_SUCCESS);
    cr_assert_eq(tc_eigen_symm_d(ev2, A, we), TC_SUCCESS);
    double er, eo;
    EIGV_CHECK(d, A, V, ev, 53, er, eo);
    cr_expect(er <= 20.0 * n * DBL_EPSILON && eo <= 20.0 * n * DBL_EPSILON,
              "double n=%zu: |AV-VL|=%g |VtV-I|=%g (seed %lu)", n, er, eo, seed);
    worst[0] = fmax(worst[0], er);
    worst[1] = fmax(worst[1], eo);
    EIGV_CHECK(mpfr, Am, Vm, evm, PREC, er, eo);
    cr_expect(er <= 20.0 * n * ldexp(1, -PREC) && eo <= 20.0 * n * ldexp(1, -PREC),
              "mpfr n=%zu: |AV-VL|=%g |VtV-I|=%g (seed %lu)", n, er, eo, seed);
    worst[2] = fmax(worst[2], er);
    worst[3] = fmax(worst[3], eo);
    for (size_t i = 0; i < n; i++) {
      cr_expect(fabs(ev->data[i] - ev2->data[i]) <= 20.0 * n * DBL_EPSILON);
      cr_expect(fabs(ev->data[i] - mpfr_get_d(evm->data[i], MPFR_RNDN)) <= 20.0 * n * DBL_EPSILON);
    }
    tc_eigenv_ws_free_d(w);
    tc_eigenv_ws_free_mpfr(wm);
    tc_eigen_ws_free_d(we);
    tc_mat_free_d(A);
    tc_mat_free_d(V);
    tc_vec_free_d(ev);
    tc_vec_free_d(ev2);
    tc_mat_free_mpfr(Am);
    tc_mat_free_mpfr(Vm);
    tc_vec_free_mpfr(evm);
    free(a);
  }
  cr_log_info("symmv: worst double |AV-VL|=%.3g |VtV-I|=%.3g; mpfr(%d) %.3g %.3g", worst[0],
              worst[1], PREC, worst[2], worst[3]);
  gsl_rng_free(rng);
}

Test(expm, against_runge_kutta)
{
  gsl_rng *rng = test_rng(test_seed() + 4);
  double a[N * N], v0[N];
  random_symm(a, N, rng);
  for (size_t i = 0; i < N; i++)
    v0[i] = 2 * gsl_rng_uniform(rng) - 1;
  const double t = 0.75; /* = 0.5 + 0.25 exactly, for the semigroup law */

  /* MPFR: 4000 RK4 steps (global error ~ C h^4, h = 2e-4: ~1e-15 relative) */
  tc_mat_mpfr *Am = tc_mat_alloc_mpfr(N, N, PREC);
  tc_vec_mpfr *vm = tc_vec_alloc_mpfr(N, PREC), *ym = tc_vec_alloc_mpfr(N, PREC),
              *xm = tc_vec_alloc_mpfr(N, PREC);
  tc_expm_ws_mpfr *wm = tc_expm_ws_alloc_mpfr(N, PREC);
  tc_ode_ws_mpfr *om = tc_ode_ws_alloc_mpfr(N, PREC);
  mpfr_t tm, hm;
  mpfr_inits2(PREC, tm, hm, (mpfr_ptr)0);
  h_fill_mpfr(Am, a);
  h_vfill_mpfr(vm, v0);
  h_vfill_mpfr(xm, v0);
  mpfr_set_d(tm, t, MPFR_RNDN);
  mpfr_div_ui(hm, tm, 4000, MPFR_RNDN);
  cr_assert_eq(tc_expm_symm_apply_mpfr(ym, tm, vm, wm), TC_EDOM); /* not factored */
  cr_assert_eq(tc_expm_symm_factor_mpfr(wm, Am), TC_SUCCESS);
  cr_assert_eq(tc_expm_symm_apply_mpfr(ym, tm, vm, wm), TC_SUCCESS);
  for (int k = 0; k < 4000; k++)
    cr_assert_eq(tc_ode_rk4_step_mpfr(xm, hm, h_linear_rhs_mpfr, Am, om), TC_SUCCESS);
  double em = h_vec_diff_mpfr(ym, xm, PREC) / h_vec_max_mpfr(ym);
  cr_expect(em < 1e-12, "mpfr exp(tA)v vs RK4: %g", em);

  /* double: against rk8pd at tolerance 1e-14, and against the MPFR result */
  tc_mat_d *A = tc_mat_alloc_d(N, N, 0);
  tc_vec_d *v = tc_vec_alloc_d(N, 0), *y = tc_vec_alloc_d(N, 0), *x = tc_vec_alloc_d(N, 0);
  tc_expm_ws_d *w = tc_expm_ws_alloc_d(N, 0);
  h_fill_d(A, a);
  h_vfill_d(v, v0);
  h_vfill_d(x, v0);
  cr_assert_eq(tc_expm_symm_factor_d(w, A), TC_SUCCESS);
  cr_assert_eq(tc_expm_symm_apply_d(y, &t, v, w), TC_SUCCESS);
  cr_assert_eq(tc_ode_evolve_d(x, t, h_linear_rhs_d, A, 1e-14, 1e-14), TC_SUCCESS);
  double ed = h_vec_diff_d(y, x, 53) / h_vec_max_d(y), edm = 0;
  for (size_t i = 0; i < N; i++)
    edm = fmax(edm, fabs(y->data[i] - mpfr_get_d(ym->data[i], MPFR_RNDN)));
  edm /= h_vec_max_d(y);
  cr_expect(ed < 1e-11, "double exp(tA)v vs rk8pd: %g", ed);
  cr_expect(edm < 100 * DBL_EPSILON, "double vs mpfr exp(tA)v: %g", edm);
  cr_log_info("expm t=0.75 n=%d: mpfr vs RK4 %.3g, double vs rk8pd %.3g, double vs mpfr %.3g", N,
              em, ed, edm);

  /* semigroup: exp(0.25 A) exp(0.5 A) v = exp(0.75 A) v, and t = 0 */
  mpfr_set_d(tm, 0.5, MPFR_RNDN);
  cr_assert_eq(tc_expm_symm_apply_mpfr(xm, tm, vm, wm), TC_SUCCESS);
  mpfr_set_d(tm, 0.25, MPFR_RNDN);
  cr_assert_eq(tc_expm_symm_apply_mpfr(vm, tm, xm, wm), TC_SUCCESS);
  double es = h_vec_diff_mpfr(vm, ym, PREC);
  cr_expect(es < 100 * ldexp(1, -PREC), "semigroup: %g", es);
  mpfr_set_zero(tm, 1);
  h_vfill_mpfr(vm, v0);
  cr_assert_eq(tc_expm_symm_apply_mpfr(xm, tm, vm, wm), TC_SUCCESS);
  cr_expect(h_vec_diff_mpfr(xm, vm, PREC) < 100 * ldexp(1, -PREC));
  cr_expect_eq(tc_expm_symm_apply_mpfr(vm, tm, vm, wm), TC_EBADLEN); /* y aliases v */

  /* overflow of exp(t lambda) */
  const double big = 1e6;
  cr_expect_eq(tc_expm_symm_apply_d(y, &big, v, w), TC_ENONFINITE);

  mpfr_clears(tm, hm, (mpfr_ptr)0);
  tc_expm_ws_free_mpfr(wm);
  tc_ode_ws_free_mpfr(om);
  tc_mat_free_mpfr(Am);
  tc_vec_free_mpfr(vm);
  tc_vec_free_mpfr(ym);
  tc_vec_free_mpfr(xm);
  tc_expm_ws_free_d(w);
  tc_mat_free_d(A);
  tc_vec_free_d(v);
  tc_vec_free_d(y);
  tc_vec_free_d(x);
  gsl_rng_free(rng);
}
