/* bench_kernels — the thmcheck side of the side-by-side table that
 * bench/bench_table.sh prints (`make bench`).  One run times one row:
 *   bench_kernels ROW      prints "ROW SECONDS" (seconds per unit of work)
 *   bench_kernels --list   prints the rows
 *   bench_kernels --precision   ns per MPFR mul/add/fma/div/sqrt by precision
 * After a warm-up call the work is repeated until 0.3 s have passed and
 * the time per call is elapsed / calls (a warm-up of 0.3 s or more is the
 * measurement itself); the script takes medians over runs
 * interleaved with the peer's (bench/peers.py), so both see the same load.
 * Inputs are random but fixed (a 64-bit LCG), the same law as the peer's:
 * symmetric matrices with entries uniform in [-1, 1]. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "thmcheck.h"
#include "num/num_relu.h" /* private: bench_kernels links libthmcheck_core.la */

/* From OpenBLAS: one BLAS thread, as the peer (OPENBLAS_NUM_THREADS=1). */
void openblas_set_num_threads(int num_threads);

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t lcg = 0x9e3779b97f4a7c15ULL;
static double uniform_pm1(void)
{
  lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(lcg >> 11) * 0x1.0p-52 - 1.0;
}

typedef struct {
  size_t n;
  mpfr_prec_t prec;
  tc_mat_mpfr *A, *L;
  tc_vec_mpfr *ev;
  tc_eigen_ws_mpfr *w;
  tc_mat_d *Ad;
  tc_vec_d *evd;
  tc_eigen_ws_d *wd;
  tc_vec_d *x;
  const tc_check *check;
  tc_point point;
  tc_point_value pv[4];
  void *prepared;
  uint64_t seed;
  double *hx, *hw, *hh; /* the H(0) row: X (n x d), W (m x d), H (n x n) */
  size_t hd, hm;
} bench_case;

static void symm_mpfr(bench_case *c, double diag)
{
  size_t n = c->n;
  c->A = tc_mat_alloc_mpfr(n, n, c->prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      double v = uniform_pm1() + (i == j ? diag : 0.0);
      mpfr_set_d(c->A->data[i * n + j], v, MPFR_RNDN);
      mpfr_set_d(c->A->data[j * n + i], v, MPFR_RNDN);
    }
}

static void run_eig_mpfr(bench_case *c) { tc_eigen_symm_mpfr(c->ev, c->A, c->w); }
static void run_chol_mpfr(bench_case *c) { tc_cholesky_mpfr(c->L, c->A); }
static void run_eig_d(bench_case *c) { tc_eigen_symm_d(c->evd, c->Ad, c->wd); }
static void run_fwht(bench_case *c) { tc_vec_fwht_d(c->x); }

static void run_h0(bench_case *c)
{
  if (num_relu_h0_d(c->hh, c->hx, c->hw, c->n, c->hd, c->hm) != 0) {
    fprintf(stderr, "bench_kernels: num_relu_h0_d failed\n");
    exit(1);
  }
}

/* A standard normal by Box-Muller from the LCG (the peer's law). */
static double gaussian(void)
{
  double u = 0.5 * (uniform_pm1() + 1.0), v = 0.5 * (uniform_pm1() + 1.0);
  return sqrt(-2.0 * log(u > 0 ? u : 0x1.0p-60)) * cos(6.283185307179586 * v);
}

/* H(0) of lecture 000 by the pattern route (src/num/num_relu.h): n =
 * 1000 unit vectors in d = 50, m = 10^4 Gaussian neurons. */
static void setup_h0(bench_case *c)
{
  size_t n = c->n = 1000, d = c->hd = 50, m = c->hm = 10000;
  c->hx = malloc(n * d * sizeof *c->hx);
  c->hw = malloc(m * d * sizeof *c->hw);
  c->hh = malloc(n * n * sizeof *c->hh);
  if (!c->hx || !c->hw || !c->hh)
    exit(1);
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t l = 0; l < d; l++) {
      c->hx[i * d + l] = gaussian();
      s += c->hx[i * d + l] * c->hx[i * d + l];
    }
    for (size_t l = 0; l < d; l++)
      c->hx[i * d + l] /= sqrt(s);
  }
  for (size_t k = 0; k < m * d; k++)
    c->hw[k] = gaussian();
}

/* One instance as the engine runs it (run_job.c): a tape and a record
 * per instance, the module's per-point data made once. */
static void run_instance(bench_case *c)
{
  tc_tape *tape = tc_tape_alloc(c->seed);
  tc_record *rec = tc_record_alloc(64);
  tc_instance inst = {NULL, &c->point, 0, c->seed++, 53, c->prepared, tape};
  char err[256];
  if (c->check->measure_d(rec, &inst, err, sizeof err) != TC_SUCCESS) {
    fprintf(stderr, "bench_kernels: %s\n", err);
    exit(1);
  }
  tc_record_free(rec);
  tc_tape_free(tape);
}

static void setup_instance(bench_case *c, const tc_check *check, const char **names,
                           const double *vals, const char **texts, size_t np)
{
  c->check = check;
  for (size_t i = 0; i < np; i++)
    c->pv[i] = (tc_point_value){names[i], vals[i], texts[i]};
  c->point = (tc_point){np, c->pv};
  c->seed = 1;
  tc_instance inst = {NULL, &c->point, 0, 1, 53, NULL, NULL};
  char err[256];
  if (check->prepare_d && check->prepare_d(&c->prepared, &inst, err, sizeof err) != TC_SUCCESS) {
    fprintf(stderr, "bench_kernels: prepare: %s\n", err);
    exit(1);
  }
}

/* Set up row `row`; the function to time, or NULL for an unknown row. */
static void (*setup(bench_case *c, const char *row))(bench_case *)
{
  c->prec = 128;
  if (sscanf(row, "eig-mpfr-%zu", &c->n) == 1 && c->n > 0) {
    symm_mpfr(c, 0.0);
    c->ev = tc_vec_alloc_mpfr(c->n, c->prec);
    c->w = tc_eigen_ws_alloc_mpfr(c->n, c->prec);
    return run_eig_mpfr;
  }
  if (strcmp(row, "chol-mpfr-200") == 0) {
    c->n = 200;
    symm_mpfr(c, 200.0); /* diagonally dominant: positive definite */
    c->L = tc_mat_alloc_mpfr(c->n, c->n, c->prec);
    return run_chol_mpfr;
  }
  if (strcmp(row, "dsyevd-1000") == 0) {
    size_t n = c->n = 1000;
    c->Ad = tc_mat_alloc_d(n, n, 53);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++)
        c->Ad->data[i * n + j] = c->Ad->data[j * n + i] = uniform_pm1();
    c->evd = tc_vec_alloc_d(n, 53);
    c->wd = tc_eigen_ws_alloc_d(n, 53);
    return run_eig_d;
  }
  if (strcmp(row, "fwht-65536") == 0) {
    c->x = tc_vec_alloc_d(65536, 53);
    for (size_t i = 0; i < 65536; i++)
      c->x->data[i] = uniform_pm1();
    return run_fwht;
  }
  if (strcmp(row, "h0-1000") == 0) {
    setup_h0(c);
    return run_h0;
  }
  if (strcmp(row, "ball-100") == 0) {
    static const char *names[] = {"d", "r", "delta"}, *texts[] = {"100", "1", "0.1"};
    static const double vals[] = {100, 1, 0.1};
    setup_instance(c, tc_check_find("ball-uniform"), names, vals, texts, 3);
    return run_instance;
  }
  if (strcmp(row, "ntk-h0") == 0) {
    static const char *names[] = {"n", "d", "m", "data"}, *texts[] = {"6", "5", "65536", "sphere"};
    static const double vals[] = {6, 5, 65536, NAN};
    setup_instance(c, tc_check_find("ntk-h0"), names, vals, texts, 4);
    return run_instance;
  }
  return NULL;
}

static const char *const rows[] = {"eig-mpfr-20", "eig-mpfr-40", "eig-mpfr-80", "eig-mpfr-200",
                                   "chol-mpfr-200", "dsyevd-1000", "ball-100", "ntk-h0",
                                   "fwht-65536", "h0-1000", NULL};

static double cpu_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU ns per MPFR operation at precision p on 64 operands in cache, one
 * timing of 20000 passes.  op: 0 mul, 1 add, 2 fma, 3 div, 4 sqrt. */
static double mpfr_op_ns(mpfr_prec_t p, int op)
{
  enum { K = 64, PASSES = 20000 };
  mpfr_t a[K], b[K], r;
  for (int i = 0; i < K; i++) {
    mpfr_inits2(p, a[i], b[i], (mpfr_ptr)0);
    mpfr_set_d(a[i], 1.0 + 0.37 * i, MPFR_RNDN);
    mpfr_sqrt(a[i], a[i], MPFR_RNDN); /* full-precision mantissas */
    mpfr_set_d(b[i], 0.3 + i, MPFR_RNDN);
    mpfr_log(b[i], b[i], MPFR_RNDN);
  }
  mpfr_init2(r, p);
  double start = cpu_now();
  for (int n = 0; n < PASSES; n++)
    for (int i = 0; i < K; i++)
      switch (op) {
      case 0: mpfr_mul(r, a[i], b[i], MPFR_RNDN); break;
      case 1: mpfr_add(r, a[i], b[i], MPFR_RNDN); break;
      case 2: mpfr_fma(r, a[i], b[i], a[i], MPFR_RNDN); break;
      case 3: mpfr_div(r, a[i], b[i], MPFR_RNDN); break;
      default: mpfr_sqrt(r, a[i], MPFR_RNDN); break;
      }
  double t = (cpu_now() - start) / (PASSES * (double)K) * 1e9;
  for (int i = 0; i < K; i++)
    mpfr_clears(a[i], b[i], (mpfr_ptr)0);
  mpfr_clear(r);
  return t;
}

/* The precision table (bench/README.md, "Precision"): CPU time per
 * operation, medians of 5 rounds that each go through every precision
 * (so a burst of load hits them all).  MPFR has special code for one limb
 * (p < 64), two limbs (64 < p < 128) and three (128 < p < 192); p = 128
 * itself takes the generic path. */
#define NPREC 11
#define NROUND 5
static void precision_table(void)
{
  static const long precs[NPREC] = {53, 64, 113, 127, 128, 129, 144, 160, 191, 192, 256};
  static double t[NPREC][5][NROUND];
  for (int round = 0; round < NROUND; round++)
    for (size_t i = 0; i < NPREC; i++)
      for (int op = 0; op < 5; op++)
        t[i][op][round] = mpfr_op_ns(precs[i], op);
  printf("| bits | mul | add | fma | div | sqrt |\n|---:|---:|---:|---:|---:|---:|\n");
  for (size_t i = 0; i < NPREC; i++) {
    printf("| %ld |", precs[i]);
    for (int op = 0; op < 5; op++) {
      double *v = t[i][op];
      for (int a = 1; a < NROUND; a++) /* insertion sort for the median */
        for (int b = a; b > 0 && v[b - 1] > v[b]; b--) {
          double x = v[b];
          v[b] = v[b - 1];
          v[b - 1] = x;
        }
      printf(" %.1f |", v[NROUND / 2]);
    }
    printf("\n");
  }
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: bench_kernels ROW | --list | --precision\n");
    return 2;
  }
  if (strcmp(argv[1], "--precision") == 0) {
    precision_table();
    return 0;
  }
  if (strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; rows[i]; i++)
      puts(rows[i]);
    return 0;
  }
  openblas_set_num_threads(1);
  bench_case c = {0};
  void (*fn)(bench_case *) = setup(&c, argv[1]);
  if (fn == NULL) {
    fprintf(stderr, "bench_kernels: unknown row '%s' (--list)\n", argv[1]);
    return 2;
  }
  /* A warm-up call (first touch of the workspaces and caches), which is
   * the measurement when it alone takes 0.3 s; else calls until 0.3 s. */
  double start = now();
  fn(&c);
  double elapsed = now() - start;
  long calls = 1;
  if (elapsed < 0.3) {
    calls = 0;
    start = now();
    do {
      fn(&c);
      calls++;
      elapsed = now() - start;
    } while (elapsed < 0.3);
  }
  printf("%s %.6e\n", argv[1], elapsed / (double)calls);
  return 0;
}
