/* quadratic_source.h — helpers shared by the quadratic instances of the
 * pl-gd and sgd-pl checks: spectra, random orthogonal matrices,
 * A = Q diag(lambda) Q^T, mu/L measured from the eigenvalues, and the
 * backend's working precision.
 *
 * The first block is backend-independent (instance data drawn in double,
 * so both backends see the same instance) and is compiled once per
 * translation unit.  The rest is written in the generic names of
 * tc_templates_on.h and is included once per backend.  Everything is
 * `static inline` so a module that does not use a helper gets no warning
 * and two modules including this file get no duplicate symbols. */

#ifndef TC_QUADRATIC_SOURCE_ONCE
#define TC_QUADRATIC_SOURCE_ONCE

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "tc_check.h"

/* A target spectrum of n values in ascending order: `nzero` exact zeros,
 * then n - nzero positive values spanning [1/kappa, 1] with both ends
 * present (one positive value: just 1).  Interior values are
 * log-uniform; with probability 1/3 a random block of them is pinned to
 * one end instead, so the smallest or the largest eigenvalue is repeated
 * (a repeated mu is the slowest-direction case of GD).  Drawn in double
 * so that both backends build the same instance. */
static inline void tc_quad_spectrum(double *lam, size_t n, size_t nzero, double kappa, gsl_rng *rng)
{
  size_t m = n - nzero;
  for (size_t i = 0; i < nzero; i++)
    lam[i] = 0.0;
  if (m == 0)
    return;
  double *pos = lam + nzero;
  if (m == 1) {
    pos[0] = 1.0;
    return;
  }
  pos[0] = 1.0 / kappa;
  pos[m - 1] = 1.0;
  for (size_t i = 1; i + 1 < m; i++)
    pos[i] = exp(-log(kappa) * gsl_rng_uniform(rng));
  double u = gsl_rng_uniform(rng);
  if (m > 2 && u < 1.0 / 3.0) {
    size_t reps = 1 + gsl_rng_uniform_int(rng, m - 2);
    double end = u < 1.0 / 6.0 ? pos[0] : pos[m - 1];
    for (size_t i = 1; i <= reps; i++)
      pos[i] = end;
  }
  /* insertion sort: m is small and the values are nearly sorted */
  for (size_t i = 1; i < m; i++) {
    double v = pos[i];
    size_t j = i;
    for (; j > 0 && pos[j - 1] > v; j--)
      pos[j] = pos[j - 1];
    pos[j] = v;
  }
}

/* Number of zero eigenvalues of a singular instance of dimension n >= 2:
 * between 1 and n/2, so the solution set has dimension >= 1 and at least
 * half the spectrum is positive. */
static inline size_t tc_quad_nzero(size_t n, gsl_rng *rng)
{
  return 1 + gsl_rng_uniform_int(rng, n / 2);
}

#endif /* TC_QUADRATIC_SOURCE_ONCE */

/* ---- generic part: one copy per backend ------------------------------ */
/* Skipped when the file is included outside tc_templates_on.h, which a
 * module does to get the backend-independent helpers above early. */
#if defined(TC_SUFFIX)

/* The precision the backend computes with: 53 bits in double, whatever
 * inst->prec asks. */
static inline mpfr_prec_t FUNCTION(tc_quad_prec)(const tc_instance *inst)
{
#if defined(TC_BASE_MPFR)
  return inst->prec;
#else
  (void)inst;
  return 53;
#endif
}

/* u: the unit roundoff of the backend (2^-53, or 2^-prec for MPFR),
 * as a REAL so it cannot underflow at high precision. */
static inline void FUNCTION(tc_quad_unit_roundoff)(REAL_PTR u, mpfr_prec_t prec)
{
#if defined(TC_BASE_MPFR)
  REAL two;
  r_init(two, prec);
  r_set_si(two, 2);
  r_pow_si(u, two, -(long)prec);
  r_clear(two);
#else
  (void)prec;
  r_set_double(u, ldexp(1.0, -53));
#endif
}

/* Q <- a random orthogonal n x n matrix: the product of n-1 Householder
 * reflectors I - 2 v v^T / (v^T v) with Gaussian v (drawn in double, as
 * every instance datum) and a random sign per column (Stewart 1980:
 * Haar-distributed up to the sign convention).  The reflectors are
 * applied in the backend's arithmetic, so Q is orthogonal to the
 * backend's precision, not only to double's. */
static inline int FUNCTION(tc_quad_orthogonal)(MAT *Q, gsl_rng *rng, mpfr_prec_t prec)
{
  size_t n = Q->rows;
  VEC *v = vec_alloc(n, prec);
  if (v == NULL)
    return TC_ENOMEM;
  REAL nv, w;
  r_init(nv, prec);
  r_init(w, prec);
  mat_set_zero(Q);
  for (size_t i = 0; i < n; i++)
    r_set_si(mat_at(Q, i, i), 1);
  for (size_t k = 0; k + 1 < n; k++) {
    r_set_si(nv, 0);
    for (size_t i = k; i < n; i++) {
      r_set_double(vec_at(v, i), gsl_ran_gaussian(rng, 1.0));
      r_fma(nv, vec_at(v, i), vec_at(v, i), nv);
    }
    /* Q <- Q H_k: each row r loses 2 (q_r . v) / (v . v) times v. */
    for (size_t r = 0; r < n; r++) {
      r_set_si(w, 0);
      for (size_t i = k; i < n; i++)
        r_fma(w, mat_at(Q, r, i), vec_at(v, i), w);
      r_div(w, w, nv);
      r_mul_double(w, w, -2.0);
      for (size_t i = k; i < n; i++)
        r_fma(mat_at(Q, r, i), w, vec_at(v, i), mat_at(Q, r, i));
    }
  }
  for (size_t j = 0; j < n; j++)
    if (gsl_rng_uniform(rng) < 0.5)
      for (size_t r = 0; r < n; r++)
        r_neg(mat_at(Q, r, j), mat_at(Q, r, j));
  r_clear(nv);
  r_clear(w);
  vec_free(v);
  return TC_SUCCESS;
}

/* A <- Q diag(lam) Q^T, computed on the lower triangle and mirrored so A
 * is exactly symmetric. */
static inline void FUNCTION(tc_quad_form)(MAT *A, const MAT *Q, const double *lam, mpfr_prec_t prec)
{
  size_t n = Q->rows;
  REAL acc, t;
  r_init(acc, prec);
  r_init(t, prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      r_set_si(acc, 0);
      for (size_t k = 0; k < n; k++) {
        if (lam[k] == 0.0)
          continue;
        r_mul(t, mat_at(Q, i, k), mat_at(Q, j, k));
        r_mul_double(t, t, lam[k]);
        r_add(acc, acc, t);
      }
      r_set(mat_at(A, i, j), acc);
      r_set(mat_at(A, j, i), acc);
    }
  r_clear(acc);
  r_clear(t);
}

/* Measure L = lambda_max(A) and mu = the smallest positive eigenvalue of
 * the symmetric PSD matrix A (the PL constant of 1/2 e^T A e, whether or
 * not A is singular).  Eigenvalues with |lambda| <= tau = 64 n u L count
 * as zero: a constructed zero comes out of the rounded A as +-O(n u L),
 * and the catalog keeps kappa <= 1e10 so every constructed positive
 * eigenvalue (>= L/kappa) is far above tau.  TC_EDOM if an eigenvalue is
 * below -tau (A not PSD) or A is zero; TC_EFAILED if the count of zeros is
 * not `nzero`, the number the instance was built with (mu would be the
 * wrong eigenvalue). */
static inline int FUNCTION(tc_quad_mu_L)(REAL_PTR mu, REAL_PTR L, const MAT *A, size_t nzero,
                                         mpfr_prec_t prec, char *err, size_t errlen)
{
  size_t n = A->rows;
  VEC *ev = vec_alloc(n, prec);
  EIGEN_WS *ws = eigen_ws_alloc(n, prec);
  REAL tau, ntau;
  r_init(tau, prec);
  r_init(ntau, prec);
  int status = (ev && ws) ? eigen_symm(ev, A, ws) : TC_ENOMEM;
  if (status != TC_SUCCESS) {
    snprintf(err, errlen, "eigenvalues of the Hessian: %s", tc_strerror(status));
    goto done;
  }
  r_set(L, vec_at(ev, n - 1));
  if (r_sgn(L) <= 0) {
    snprintf(err, errlen, "the Hessian has no positive eigenvalue");
    status = TC_EDOM;
    goto done;
  }
  FUNCTION(tc_quad_unit_roundoff)(tau, prec);
  r_mul(tau, tau, L);
  r_mul_double(tau, tau, 64.0 * (double)n);
  r_neg(ntau, tau);
  size_t nz = 0;
  for (size_t i = 0; i < n; i++) {
    if (r_cmp(vec_at(ev, i), ntau) < 0) {
      snprintf(err, errlen, "the Hessian has a negative eigenvalue %.3g", r_get_double(vec_at(ev, i)));
      status = TC_EDOM;
      goto done;
    }
    if (r_cmp(vec_at(ev, i), tau) <= 0)
      nz++;
  }
  if (nz != nzero) {
    snprintf(err, errlen, "measured %zu zero eigenvalues, constructed %zu", nz, nzero);
    status = TC_EFAILED;
    goto done;
  }
  r_set(mu, vec_at(ev, nz));
done:
  r_clear(tau);
  r_clear(ntau);
  if (ws)
    eigen_ws_free(ws);
  if (ev)
    vec_free(ev);
  return status;
}

#endif /* TC_SUFFIX */
