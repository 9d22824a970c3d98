/* Benchmarks of the numeric backends.  Every line is a ratio against a
 * baseline measured in the same process, so the numbers compare across
 * machines and loads; absolute times are printed for context only.
 *   make bench            (builds and runs this) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include "thmcheck.h"

/* From OpenBLAS; its cblas.h clashes with GSL's gsl_cblas.h in one unit. */
void openblas_set_num_threads(int num_threads);

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Seconds per call of fn, repeated until 0.3 s have passed. */
static double time_per_call(void (*fn)(void *), void *data)
{
  double start = now(), elapsed;
  long calls = 0;
  do {
    fn(data);
    calls++;
    elapsed = now() - start;
  } while (elapsed < 0.3);
  return elapsed / (double)calls;
}

static void report(const char *what, const char *baseline, double t_base, double t)
{
  printf("%-44s %-28s %10.3e s %10.3e s  ratio %7.3f\n", what, baseline, t, t_base, t / t_base);
}

typedef struct {
  size_t n;
  gsl_matrix *A, *work;
  gsl_vector *eval;
  gsl_eigen_symm_workspace *gw;
  tc_mat_d *M;
  tc_vec_d *ev;
  tc_eigen_ws_d *ws;
  tc_mat_mpfr *Mm;
  tc_vec_mpfr *evm;
  tc_eigen_ws_mpfr *wsm;
} eig_case;

static void gsl_eig(void *p)
{
  eig_case *c = p;
  gsl_matrix_memcpy(c->work, c->A);
  gsl_eigen_symm(c->work, c->eval, c->gw);
}

static void lapack_eig(void *p)
{
  eig_case *c = p;
  tc_eigen_symm_d(c->ev, c->M, c->ws);
}

static void mpfr_eig(void *p)
{
  eig_case *c = p;
  tc_eigen_symm_mpfr(c->evm, c->Mm, c->wsm);
}

static void eig_setup(eig_case *c, size_t n, int with_mpfr, mpfr_prec_t bits)
{
  memset(c, 0, sizeof *c);
  c->n = n;
  gsl_rng *rng = tc_rng_alloc(42);
  c->A = gsl_matrix_alloc(n, n);
  c->work = gsl_matrix_alloc(n, n);
  c->eval = gsl_vector_alloc(n);
  c->gw = gsl_eigen_symm_alloc(n);
  c->M = tc_mat_alloc_d(n, n, 53);
  c->ev = tc_vec_alloc_d(n, 53);
  c->ws = tc_eigen_ws_alloc_d(n, 53);
  if (with_mpfr) {
    c->Mm = tc_mat_alloc_mpfr(n, n, bits);
    c->evm = tc_vec_alloc_mpfr(n, bits);
    c->wsm = tc_eigen_ws_alloc_mpfr(n, bits);
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      double v = gsl_rng_uniform(rng) - 0.5;
      gsl_matrix_set(c->A, i, j, v);
      gsl_matrix_set(c->A, j, i, v);
      *tc_mat_at_d(c->M, i, j) = *tc_mat_at_d(c->M, j, i) = v;
      if (with_mpfr) {
        mpfr_set_d(tc_mat_at_mpfr(c->Mm, i, j), v, MPFR_RNDN);
        mpfr_set_d(tc_mat_at_mpfr(c->Mm, j, i), v, MPFR_RNDN);
      }
    }
  gsl_rng_free(rng);
}

static void eig_free(eig_case *c)
{
  gsl_matrix_free(c->A);
  gsl_matrix_free(c->work);
  gsl_vector_free(c->eval);
  gsl_eigen_symm_free(c->gw);
  tc_mat_free_d(c->M);
  tc_vec_free_d(c->ev);
  tc_eigen_ws_free_d(c->ws);
  if (c->Mm) {
    tc_mat_free_mpfr(c->Mm);
    tc_vec_free_mpfr(c->evm);
    tc_eigen_ws_free_mpfr(c->wsm);
  }
}

typedef struct {
  const tc_check *check;
  tc_instance inst;
  tc_point point;
} check_case;

static void measure(const check_case *c, int use_mpfr)
{
  tc_record *rec = tc_record_alloc(c->inst.prec);
  char err[256];
  (use_mpfr ? c->check->measure_mpfr : c->check->measure_d)(rec, &c->inst, err, sizeof err);
  tc_record_free(rec);
}

static void measure_d(void *p) { measure(p, 0); }
static void measure_m(void *p) { measure(p, 1); }

int main(void)
{
  gsl_set_error_handler_off();
  openblas_set_num_threads(1);
  printf("%-44s %-28s %12s %12s  %s\n", "measured", "baseline", "measured", "baseline", "measured/baseline");
  size_t sizes[] = {100, 400};
  for (size_t i = 0; i < 2; i++) {
    eig_case c;
    eig_setup(&c, sizes[i], 0, 53);
    char what[64];
    snprintf(what, sizeof what, "eigenvalues n=%zu, LAPACK dsyevd", sizes[i]);
    report(what, "GSL gsl_eigen_symm", time_per_call(gsl_eig, &c), time_per_call(lapack_eig, &c));
    eig_free(&c);
  }
  eig_case c;
  eig_setup(&c, 20, 1, 128);
  report("eigenvalues n=20, MPFR QL 128 bits", "LAPACK dsyevd (double)", time_per_call(lapack_eig, &c),
         time_per_call(mpfr_eig, &c));
  eig_free(&c);

  /* One instance of a check module: the price of the MPFR run. */
  tc_point_value pv[] = {{"family", NAN, "quadratic"}, {"d", 20, "20"}, {"kappa", 100, "100"},
                         {"iterations", 200, "200"}};
  check_case cc = {tc_check_find("pl-gd"), {NULL, NULL, 0, 7, 128, NULL, NULL}, {4, pv}};
  cc.inst.point = &cc.point;
  if (cc.check)
    report("pl-gd instance d=20 K=200, MPFR 128 bits", "same instance in double", time_per_call(measure_d, &cc),
           time_per_call(measure_m, &cc));
  return 0;
}
