/* Tests of the orthonormal-class family (lecture 004): the modules
 * orth-variance (checks/orth.c), orth-gd (checks/orth_gd.c) and
 * parity-net (checks/parity.c), in both backends.
 *  - the FWHT of a parity is a delta (exactly);
 *  - orth-variance against brute force (O(4^d) sums, no transform) for small d,
 *    and against the closed form of the linear model on all parities,
 *    (d + 1)/2^d - (d + 1)/4^d, with the two-point counterexample at d = 1;
 *  - the mutation: the variance bound divided by 2 is violated;
 *  - double and MPFR agree; validate rejects impossible classes;
 *  - parity-net's exact constructions; orth-gd's first step by Parseval. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"
#include "tc_linalg.h"

extern const tc_check tc_check_orth_variance, tc_check_orth_gd, tc_check_parity_net;

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261123u;
}

/* A point from "name=value" pairs (numeric when the value parses). */
typedef struct {
  char texts[8][32];
  char names[8][16];
  tc_point_value v[8];
  tc_point p;
} tpoint;

static void tpoint_make(tpoint *t, const char *spec)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  size_t n = 0;
  for (char *tok = strtok(buf, " "); tok && n < 8; tok = strtok(NULL, " "), n++) {
    char *eq = strchr(tok, '=');
    *eq = '\0';
    snprintf(t->names[n], 16, "%s", tok);
    snprintf(t->texts[n], 32, "%s", eq + 1);
    char *end;
    double v = strtod(t->texts[n], &end);
    t->v[n] = (tc_point_value){t->names[n], *end ? NAN : v, t->texts[n]};
  }
  t->p = (tc_point){n, t->v};
}

/* Run one instance of module c at `spec`; bits == 0: double. */
static tc_record *run(const tc_check *c, const char *spec, uint64_t seed, mpfr_prec_t bits)
{
  tpoint pt;
  tpoint_make(&pt, spec);
  tc_tape *tape = tc_tape_alloc(seed);
  tc_instance inst = {NULL, &pt.p, 0, seed, bits ? bits : 128, NULL, tape};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? c->measure_mpfr : c->measure_d)(r, &inst, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s (%s): %s", c->name, spec, err);
  tc_tape_free(tape);
  return r;
}

/* ---- the transform ------------------------------------------------------ */

Test(orth, fwht_of_parity_is_delta)
{
  for (unsigned d = 1; d <= 12; d++) {
    size_t n = (size_t)1 << d, S = (n / 3) | 1;
    tc_vec_d *x = tc_vec_alloc_d(n, 0);
    tc_vec_mpfr *y = tc_vec_alloc_mpfr(n, 96);
    for (size_t t = 0; t < n; t++) {
      double v = __builtin_popcountll(S & t) % 2 ? -1.0 : 1.0;
      x->data[t] = v;
      mpfr_set_d(tc_vec_at_mpfr(y, t), v, MPFR_RNDN);
    }
    cr_assert_eq(tc_vec_fwht_d(x), TC_SUCCESS);
    cr_assert_eq(tc_vec_fwht_mpfr(y), TC_SUCCESS);
    for (size_t t = 0; t < n; t++) {
      double want = t == S ? (double)n : 0.0;
      cr_assert_eq(x->data[t], want, "d=%u t=%zu", d, t);
      cr_assert_eq(mpfr_get_d(tc_vec_at_mpfr(y, t), MPFR_RNDN), want, "d=%u t=%zu (mpfr)", d, t);
    }
    tc_vec_free_d(x);
    tc_vec_free_mpfr(y);
  }
}

/* ---- orth-variance -------------------------------------------------------- */

Test(orth, linear_closed_form_and_two_point_counterexample)
{
  for (unsigned d = 1; d <= 10; d++)
    for (int b = 0; b < 2; b++) {
      char spec[128];
      snprintf(spec, sizeof spec, "model=linear class=walsh d=%u", d);
      tc_record *r = run(&tc_check_orth_variance, spec, base_seed() + d, b ? 128 : 0);
      double n = ldexp(1.0, (int)d), want = (d + 1) / n - (d + 1) / (n * n);
      cr_assert_float_eq(tcu_getd(r, 0, "var_half"), want, 1e-14 * want, "d=%u", d);
      cr_assert_float_eq(tcu_getd(r, 0, "G"), d + 1.0, 1e-14, "d=%u", d);
      cr_assert_float_eq(tcu_getd(r, 0, "bessel"), d + 1.0, 1e-13, "d=%u", d);
      if (d == 1) { /* the notes' bound G/|F| = 1 against the variance 2 */
        cr_assert_float_eq(tcu_getd(r, 0, "var_grad"), 2.0, 1e-15);
        cr_assert_float_eq(tcu_getd(r, 0, "G") / tcu_getd(r, 0, "F"), 1.0, 1e-15);
      }
      tc_record_free(r);
    }
}

/* Brute force for the relu model: theta re-drawn from the same tape
 * stream as the module (W ~ scale N(0, I/d), b ~ bias N(0,1), a ~ N(0,1)/sqrt(m)),
 * every correlation a direct sum over the cube. */
static double brute_var_half(unsigned d, size_t m, uint64_t seed)
{
  size_t n = (size_t)1 << d, P = m * (d + 2);
  tc_tape *tape = tc_tape_alloc(seed);
  tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN, 0);
  double W[8][8], b[8], a[8];
  for (size_t k = 0; k < m; k++) {
    for (unsigned i = 0; i < d; i++)
      W[k][i] = tc_tape_next(tape, 0) / sqrt((double)d);
    b[k] = tc_tape_next(tape, 0);
    a[k] = tc_tape_next(tape, 0) / sqrt((double)m);
  }
  tc_tape_free(tape);
  double *c = calloc(n * P, sizeof *c), var = 0;
  for (size_t S = 0; S < n; S++)
    for (size_t t = 0; t < n; t++) {
      double chi = __builtin_popcountll(S & t) % 2 ? -1.0 : 1.0;
      for (size_t k = 0; k < m; k++) {
        double z = b[k];
        for (unsigned i = 0; i < d; i++)
          z += ((t >> i) & 1 ? -1.0 : 1.0) * W[k][i];
        double *g = c + S * P + k * (d + 2);
        g[0] += chi * (z > 0 ? z : 0) / (double)n;
        g[1] += chi * (z > 0 ? a[k] : 0) / (double)n;
        for (unsigned i = 0; i < d; i++)
          g[2 + i] += chi * ((t >> i) & 1 ? -1.0 : 1.0) * (z > 0 ? a[k] : 0) / (double)n;
      }
    }
  for (size_t q = 0; q < P; q++) {
    double mean = 0, s2 = 0;
    for (size_t S = 0; S < n; S++)
      mean += c[S * P + q] / (double)n;
    for (size_t S = 0; S < n; S++)
      s2 += (c[S * P + q] - mean) * (c[S * P + q] - mean) / (double)n;
    var += s2;
  }
  free(c);
  return var;
}

Test(orth, brute_force_equals_fwht_relu)
{
  for (unsigned d = 1; d <= 6; d++)
    for (size_t m = 1; m <= 3; m++) {
      char spec[128];
      snprintf(spec, sizeof spec, "model=relu class=walsh d=%u width=%zu", d, m);
      uint64_t seed = base_seed() + 31 * d + m;
      double want = brute_var_half(d, m, seed);
      for (int b = 0; b < 2; b++) {
        tc_record *r = run(&tc_check_orth_variance, spec, seed, b ? 128 : 0);
        double got = tcu_getd(r, 0, "var_half");
        cr_assert(fabs(got - want) <= 1e-12 * fmax(want, 1e-300), "d=%u m=%zu %s: %.17g vs %.17g", d, m,
                  b ? "mpfr" : "double", got, want);
        tc_record_free(r);
      }
    }
}

/* The mutation: for all parities the variance is at least 2 G/|F| (the
 * bound divided by 2 fails), and the corrected bound 4 G/|F| holds; the
 * two precisions agree to 1e-12. */
Test(orth, bound_over_two_refuted_and_precisions_agree)
{
  const char *specs[] = {"model=relu class=walsh d=8 width=4", "model=rf class=walsh d=9 width=6",
                         "model=linear class=top d=7 class_log2=3", "model=relu class=rotated d=6 class_log2=4",
                         "model=relu class=random d=8 class_log2=5", "model=relu class=cosine d=3 width=4",
                         "model=linear class=cosine d=2"};
  for (size_t i = 0; i < 7; i++) {
    tc_record *rd = run(&tc_check_orth_variance, specs[i], base_seed() + i, 0);
    tc_record *rm = run(&tc_check_orth_variance, specs[i], base_seed() + i, 160);
    const char *names[] = {"var_grad", "var_half", "G", "bessel", "m2"};
    for (size_t k = 0; k < 5; k++) {
      double a = tcu_getd(rd, 0, names[k]), b = tcu_getd(rm, 0, names[k]);
      cr_assert(fabs(a - b) <= 1e-12 * fabs(b), "%s %s: %.17g vs %.17g", specs[i], names[k], a, b);
    }
    double v = tcu_getd(rm, 0, "var_grad"), bound = tcu_getd(rm, 0, "G") / tcu_getd(rm, 0, "F");
    cr_assert(v <= 4 * bound * (1 + 1e-30), "%s: corrected bound violated", specs[i]);
    cr_assert(tcu_getd(rm, 0, "bessel") <= tcu_getd(rm, 0, "G") * (1 + 1e-30), "%s: Bessel", specs[i]);
    if (i >= 5) /* |S_d| - 1 = C(2d, d) - 1 cosines */
      cr_assert_eq(tcu_getd(rm, 0, "F"), i == 5 ? 19.0 : 5.0);
    if (i < 2)
      cr_assert(v > 2 * bound, "%s: the bound / 2 (%.6g) is not refuted by %.6g", specs[i], 2 * bound, v);
    tc_record_free(rd);
    tc_record_free(rm);
  }
}

Test(orth, validate_rejects_impossible_classes)
{
  const char *bad[] = {"model=relu class=random d=4 class_log2=5", "model=relu class=rotated d=12 class_log2=9",
                       "model=relu class=walsh d=3 N=16"};
  for (size_t i = 0; i < 3; i++) {
    tpoint pt;
    tpoint_make(&pt, bad[i]);
    const char *param = NULL;
    char err[256];
    cr_assert_eq(tc_check_validate(&tc_check_orth_variance, &pt.p, &param, err, sizeof err), TC_EDOM, "%s", bad[i]);
  }
}

/* ---- parity-net ------------------------------------------------------------- */

Test(orth, parity_net_exact_constructions)
{
  for (int b = 0; b < 2; b++) {
    mpfr_prec_t bits = b ? 128 : 0;
    tc_record *r = run(&tc_check_parity_net, "part=step-limit", 1, bits);
    cr_assert_eq(tcu_getd(r, 0, "t"), 0.0);
    cr_assert_eq(tcu_getd(r, 0, "err"), 1.0, "t = 0: the limit is 0, the step 1");
    for (size_t i = 1; i < tc_record_rows(r); i++)
      cr_assert_eq(tcu_getd(r, i, "err"), 0.0, "t = %g", tcu_getd(r, i, "t"));
    tc_record_free(r);
    for (unsigned d = 1; d <= 6; d++) {
      char spec[64];
      snprintf(spec, sizeof spec, "part=tri-net d=%u", d);
      r = run(&tc_check_parity_net, spec, d, bits);
      cr_assert_eq(tcu_getd(r, 0, "tri_err"), 0.0, "d=%u", d);
      cr_assert_eq(tcu_getd(r, 0, "pn_tri"), 12.0 * d * d + 12.0 * d + 2, "d=%u", d);
      tc_record_free(r);
      snprintf(spec, sizeof spec, "part=parity-gram d=%u", d);
      r = run(&tc_check_parity_net, spec, d, bits);
      cr_assert_eq(tcu_getd(r, 0, "gram_err"), 0.0, "d=%u", d);
      cr_assert_eq(tcu_getd(r, 0, "diag_min"), 1.0, "d=%u", d);
      tc_record_free(r);
      snprintf(spec, sizeof spec, "part=and-net d=%u k=3 wmax=2 bmax=1", d);
      r = run(&tc_check_parity_net, spec, d, bits);
      cr_assert_eq(tcu_getd(r, 0, "mismatch"), 0.0, "d=%u", d);
      tc_record_free(r);
    }
    r = run(&tc_check_parity_net, "part=cos-class d=3", 1, bits);
    cr_assert_eq(tcu_getd(r, 0, "count"), 20.0); /* C(6, 3) */
    cr_assert_eq(tcu_getd(r, 0, "count_pos"), 1.0);
    cr_assert_float_eq(tcu_getd(r, 0, "norm2_min"), 0.5, 1e-14);
    cr_assert_float_eq(tcu_getd(r, 0, "norm2_max"), 0.5, 1e-14);
    cr_assert(tcu_getd(r, 0, "offdiag_max") < 1e-14);
    tc_record_free(r);
  }
}

/* ---- orth-gd ------------------------------------------------------------------- */

/* After one step delta = eta sqrt(E_f ||<f, grad h(theta_0)>||^2) = eta sqrt(G0/2^d)
 * (Parseval over all parities), and egrad2_0 = G0/2^d. */
Test(orth, gd_first_step_is_parseval)
{
  for (unsigned d = 1; d <= 5; d++)
    for (int b = 0; b < 2; b++) {
      char spec[96];
      snprintf(spec, sizeof spec, "d=%u width=2 steps=1 checkpoints=1 eta=0.25", d);
      tc_record *r = run(&tc_check_orth_gd, spec, base_seed() + d, b ? 128 : 0);
      cr_assert_eq(tc_record_rows(r), 2u);
      double n = ldexp(1.0, (int)d), G0 = tcu_getd(r, 1, "G0");
      cr_assert_float_eq(tcu_getd(r, 0, "egrad2_0"), G0 / n, 1e-13 * G0 / n, "d=%u", d);
      cr_assert_float_eq(tcu_getd(r, 1, "delta"), 0.25 * sqrt(G0 / n), 1e-13, "d=%u", d);
      cr_assert_eq(tcu_getd(r, 0, "delta"), 0.0);
      tc_record_free(r);
    }
}
