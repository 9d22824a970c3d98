/* tests/tball.c — check module "ball-uniform" (checks/ball.c).
 *
 * p_exact against closed forms (d = 1, d = 3, the Gaussian limit), the
 * two backends against each other, the sampler against p_exact by Monte
 * Carlo, the sample inside the ball, and validate().  Random cases use
 * the seed TC_TEST_SEED (default below), printed on failure. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"

extern const tc_check tc_check_ball_uniform;
#define CHECK (&tc_check_ball_uniform)

static uint64_t test_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 0) : 20240611ULL;
}

/* A point with up to 4 numeric parameters. */
typedef struct {
  tc_point_value v[4];
  char text[4][32];
  tc_point p;
} point4;

static void point_set(point4 *pt, double d, double r, double delta, double coord)
{
  const char *names[4] = {"d", "r", "delta", "coord"};
  double vals[4] = {d, r, delta, coord};
  size_t n = 0;
  for (size_t i = 0; i < 4; i++) {
    if (isnan(vals[i]))
      continue; /* absent */
    snprintf(pt->text[n], sizeof pt->text[n], "%.17g", vals[i]);
    pt->v[n] = (tc_point_value){names[i], vals[i], pt->text[n]};
    n++;
  }
  pt->p = (tc_point){n, pt->v};
}

/* Run one instance in one backend and return the value of `name`. */
static double run_get(const point4 *pt, uint64_t seed, int use_mpfr, mpfr_prec_t prec, const char *name)
{
  tc_instance inst = {NULL, &pt->p, 0, seed, prec, NULL, NULL};
  tc_record *rec = tc_record_alloc(use_mpfr ? prec : 64);
  char err[256] = "";
  int status = (use_mpfr ? CHECK->measure_mpfr : CHECK->measure_d)(rec, &inst, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "measure failed: %s", err);
  cr_assert_eq(tc_record_rows(rec), 1, "one row per instance");
  mpfr_t v;
  mpfr_init2(v, prec < 64 ? 64 : prec);
  cr_assert_eq(tc_record_get(v, rec, 0, name), TC_SUCCESS, "row lacks %s", name);
  double out = mpfr_get_d(v, MPFR_RNDN);
  mpfr_clear(v);
  tc_record_free(rec);
  return out;
}

static const double deltas[] = {1e-6, 0.01, 0.1, 0.3, 0.5, 0.9, 0.999};
#define NDELTAS (sizeof deltas / sizeof deltas[0])

Test(ball, declares_its_names)
{
  cr_assert_str_eq(CHECK->name, "ball-uniform");
  const char *want[] = {"absxi", "threshold", "p_exact", "d", "delta"};
  for (size_t i = 0; i < 5; i++) {
    int found = 0;
    for (const tc_output_spec *q = CHECK->outputs; q->name; q++)
      found |= strcmp(q->name, want[i]) == 0;
    cr_assert(found, "outputs lack %s", want[i]);
  }
}

/* d = 1: x uniform on [-r, r], P(|x| >= r delta/2) = 1 - delta/2. */
Test(ball, p_exact_d1)
{
  point4 pt;
  for (size_t k = 0; k < NDELTAS; k++) {
    point_set(&pt, 1, 2.5, deltas[k], NAN);
    double p = run_get(&pt, 1, 0, 64, "p_exact");
    cr_assert(fabs(p - (1 - deltas[k] / 2)) < 1e-14, "d=1 delta=%g: p=%.17g", deltas[k], p);
    double t = run_get(&pt, 1, 0, 64, "threshold");
    cr_assert(fabs(t - 2.5 * deltas[k] / 2) <= 1e-15 * t, "threshold %.17g", t);
  }
}

/* d = 3: x_1/r has density (3/4)(1 - u^2), so
 * P(|x_1| >= u r) = 1 - (3u - u^3)/2. */
Test(ball, p_exact_d3)
{
  point4 pt;
  for (size_t k = 0; k < NDELTAS; k++) {
    point_set(&pt, 3, 1.0, deltas[k], 2);
    double u = deltas[k] / (2 * sqrt(3.0));
    double want = 1 - (3 * u - u * u * u) / 2;
    double p = run_get(&pt, 1, 0, 64, "p_exact");
    cr_assert(fabs(p - want) < 1e-14, "d=3 delta=%g: p=%.17g want %.17g", deltas[k], p, want);
  }
}

/* Large d: sqrt(d) x_i / r -> N(0,1), so p_exact -> P(|Z| >= delta/2)
 * = 2(1 - Phi(delta/2)) = erfc(delta/(2 sqrt 2)); the error is O(1/d). */
Test(ball, p_exact_gaussian_limit)
{
  point4 pt;
  for (size_t k = 0; k < NDELTAS; k++) {
    double prev_err = INFINITY;
    for (double d = 100; d <= 1e6; d *= 100) {
      point_set(&pt, d, 1.0, deltas[k], NAN);
      double want = erfc(deltas[k] / (2 * sqrt(2.0)));
      double p = run_get(&pt, 1, 0, 64, "p_exact");
      double e = fabs(p - want);
      cr_assert(e < 1.0 / d, "d=%g delta=%g: p=%.17g limit %.17g", d, deltas[k], p, want);
      cr_assert(e <= prev_err, "error does not shrink with d");
      prev_err = e;
    }
  }
}

/* Both backends see the same draw and agree to double accuracy. */
Test(ball, mpfr_agrees_with_double)
{
  uint64_t seed = test_seed();
  const double dims[] = {1, 2, 3, 7, 50, 1000};
  const char *names[] = {"absxi", "threshold", "p_exact", "xnorm"};
  point4 pt;
  for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
    for (size_t k = 0; k < NDELTAS; k++) {
      point_set(&pt, dims[i], 3.0, deltas[k], dims[i]);
      uint64_t s = tc_seed_derive(seed, "tball-agree", i * NDELTAS + k);
      for (size_t q = 0; q < 4; q++) {
        double a = run_get(&pt, s, 0, 64, names[q]);
        double b = run_get(&pt, s, 1, 256, names[q]);
        cr_assert(fabs(a - b) <= 1e-13 * fabs(b) + 1e-300,
                  "%s d=%g delta=%g: double %.17g mpfr %.17g (seed %llu)", names[q], dims[i],
                  deltas[k], a, b, (unsigned long long)seed);
      }
    }
}

/* The sampler: over 20000 draws the frequency of {|x_i| >= threshold}
 * lies within 4 standard errors of p_exact, and the radius has
 * P(|x| <= r 2^(-1/d)) = 1/2.  The draws are inside the ball. */
Test(ball, monte_carlo_matches_p_exact)
{
  uint64_t seed = test_seed();
  const size_t N = 20000;
  const struct { double d, delta, coord; } cases[] = {
    {1, 0.9, 1}, {2, 0.9, 2}, {3, 0.5, 1}, {10, 0.99, 7}, {40, 0.8, 40},
  };
  point4 pt;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    point_set(&pt, cases[c].d, 1.5, cases[c].delta, cases[c].coord);
    double p = run_get(&pt, 1, 0, 64, "p_exact");
    double half = 1.5 * pow(2.0, -1.0 / cases[c].d);
    size_t hits = 0, inner = 0;
    for (size_t k = 0; k < N; k++) {
      tc_instance inst = {NULL, &pt.p, k, tc_seed_derive(seed, "tball-mc", c * N + k), 64, NULL, NULL};
      tc_record *rec = tc_record_alloc(64);
      char err[256];
      cr_assert_eq(CHECK->measure_d(rec, &inst, err, sizeof err), TC_SUCCESS, "%s", err);
      mpfr_t a, t, x;
      mpfr_inits2(64, a, t, x, (mpfr_ptr)0);
      tc_record_get(a, rec, 0, "absxi");
      tc_record_get(t, rec, 0, "threshold");
      tc_record_get(x, rec, 0, "xnorm");
      hits += mpfr_cmp(a, t) >= 0;
      inner += mpfr_get_d(x, MPFR_RNDN) <= half;
      cr_assert(mpfr_get_d(x, MPFR_RNDN) <= 1.5 * (1 + 1e-15), "sample outside the ball");
      cr_assert(mpfr_lessequal_p(a, x), "|x_i| > |x|");
      mpfr_clears(a, t, x, (mpfr_ptr)0);
      tc_record_free(rec);
    }
    double freq = (double)hits / N, se = sqrt(p * (1 - p) / N);
    cr_assert(fabs(freq - p) <= 4 * se + 1.0 / N, "d=%g delta=%g: freq %.5f vs p_exact %.5f (seed %llu)",
              cases[c].d, cases[c].delta, freq, p, (unsigned long long)seed);
    double fin = (double)inner / N;
    cr_assert(fabs(fin - 0.5) <= 4 * sqrt(0.25 / N), "radius law: P(|x| <= r 2^(-1/d)) = %.4f", fin);
  }
}

/* A draw in MPFR lies in the ball too (|x| <= r up to rounding). */
Test(ball, mpfr_sample_in_ball)
{
  uint64_t seed = test_seed();
  point4 pt;
  point_set(&pt, 5, 0.25, 0.5, 3);
  for (size_t k = 0; k < 200; k++) {
    double x = run_get(&pt, tc_seed_derive(seed, "tball-in", k), 1, 128, "xnorm");
    cr_assert(x <= 0.25 * (1 + 1e-30) && x > 0, "|x| = %.17g", x);
  }
}

static int validate_status(point4 *pt, char *err, size_t len)
{
  err[0] = '\0';
  return tc_check_validate(CHECK, &pt->p, NULL, err, len);
}

Test(ball, validate_rejects_bad_parameters)
{
  point4 pt;
  char err[256];
  const struct { double d, r, delta, coord; const char *name; } bad[] = {
    {NAN, 1, 0.5, NAN, "d"},   {0, 1, 0.5, NAN, "d"},     {2.5, 1, 0.5, NAN, "d"},
    {-3, 1, 0.5, NAN, "d"},    {3, 0, 0.5, NAN, "r"},     {3, -1, 0.5, NAN, "r"},
    {3, INFINITY, 0.5, NAN, "r"}, {3, NAN, 0.5, NAN, "r"}, {3, 1, 0, NAN, "delta"},
    {3, 1, 1, NAN, "delta"},   {3, 1, -0.1, NAN, "delta"}, {3, 1, NAN, NAN, "delta"},
    {3, 1, 0.5, 0, "coord"},   {3, 1, 0.5, 4, "coord"},   {3, 1, 0.5, 1.5, "coord"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    point_set(&pt, bad[i].d, bad[i].r, bad[i].delta, bad[i].coord);
    cr_assert_eq(validate_status(&pt, err, sizeof err), TC_EDOM, "case %zu accepted", i);
    cr_assert(strstr(err, bad[i].name) != NULL, "case %zu: message '%s' does not name %s", i, err, bad[i].name);
    /* measure refuses them too, instead of computing garbage */
    tc_instance inst = {NULL, &pt.p, 0, 1, 64, NULL, NULL};
    tc_record *rec = tc_record_alloc(64);
    cr_assert_eq(CHECK->measure_d(rec, &inst, err, sizeof err), TC_EDOM);
    tc_record_free(rec);
  }
  point_set(&pt, 3, 1, 0.5, 3);
  cr_assert_eq(validate_status(&pt, err, sizeof err), TC_SUCCESS, "%s", err);
  point_set(&pt, 1, 1e-300, 1e-12, NAN);
  cr_assert_eq(validate_status(&pt, err, sizeof err), TC_SUCCESS, "%s", err);
}

/* A symbolic value (NaN with a text) is not a number. */
Test(ball, validate_rejects_symbolic_d)
{
  tc_point_value v[3] = {{"d", NAN, "three"}, {"r", 1, "1"}, {"delta", 0.5, "0.5"}};
  tc_point p = {3, v};
  char err[256];
  cr_assert_eq(tc_check_validate(CHECK, &p, NULL, err, sizeof err), TC_EDOM);
}
