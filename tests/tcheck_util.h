/* tests/tcheck_util.h — helpers shared by the check modules' tests: a
 * point from "name=value" text (names checked against the module's list),
 * one instance run in either backend into a tc_record, and a row's named
 * value as a double. */
#ifndef TCHECK_UTIL_H
#define TCHECK_UTIL_H
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"

#define TCU_MAXP 16

typedef struct {
  char texts[TCU_MAXP][40];
  char names[TCU_MAXP][40]; /* tcu_point_make_kv's copies of the names */
  tc_point_value v[TCU_MAXP];
  tc_point p;
} tcu_point;

/* A point from "name=value" pairs; every name must be one of names[0..count);
 * values that parse as numbers are numeric, others symbolic (NaN, as the
 * catalog does). */
static inline void tcu_point_make(tcu_point *pt, const char *spec, const char *const *names, int count)
{
  pt->p.n = 0;
  pt->p.v = pt->v;
  char buf[400];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
    char *eq = strchr(tok, '=');
    cr_assert_not_null(eq);
    *eq = '\0';
    int idx = -1;
    for (int i = 0; i < count; i++)
      if (strcmp(names[i], tok) == 0)
        idx = i;
    cr_assert_geq(idx, 0, "unknown parameter %s", tok);
    cr_assert_lt(pt->p.n, TCU_MAXP);
    size_t n = pt->p.n++;
    snprintf(pt->texts[n], sizeof pt->texts[n], "%s", eq + 1);
    char *end;
    double v = strtod(pt->texts[n], &end);
    pt->v[n] = (tc_point_value){names[idx], (*end == '\0' && end != pt->texts[n]) ? v : NAN, pt->texts[n]};
  }
}

/* tcu_point_make with the names that the modules in checks (NULL-ended)
 * declare: a test file that hands one point to several modules still
 * has a misspelt parameter name fail loudly. */
static inline void tcu_point_make_for(tcu_point *pt, const char *spec, const tc_check *const *checks)
{
  const char *names[64];
  int count = 0;
  for (; *checks; checks++)
    for (const tc_param_spec *s = (*checks)->params; s && s->name; s++) {
      cr_assert_lt(count, 64);
      names[count++] = s->name;
    }
  tcu_point_make(pt, spec, names, count);
}

/* A point from a NULL-terminated list of "name=value" strings, names not
 * checked (the tests of a module's own validation need unknown ones);
 * values that parse as numbers are numeric, others symbolic (NaN). */
static inline void tcu_point_make_kv(tcu_point *pt, const char *const *kv)
{
  size_t n = 0;
  for (; kv[n]; n++) {
    cr_assert_lt(n, TCU_MAXP);
    const char *eq = strchr(kv[n], '=');
    cr_assert_not_null(eq, "%s", kv[n]);
    snprintf(pt->names[n], sizeof pt->names[n], "%.*s", (int)(eq - kv[n]), kv[n]);
    snprintf(pt->texts[n], sizeof pt->texts[n], "%s", eq + 1);
    char *end;
    double v = strtod(pt->texts[n], &end);
    pt->v[n] = (tc_point_value){pt->names[n], (*end == '\0' && end != pt->texts[n]) ? v : NAN, pt->texts[n]};
  }
  pt->p = (tc_point){n, pt->v};
}

/* Run module c at point p: bits == 0 the double backend, else MPFR at
 * bits; inst_prec is the instance's precision field.  Asserts success. */
static inline tc_record *tcu_measure(const tc_check *c, const tc_point *p, uint64_t seed, mpfr_prec_t bits,
                                     mpfr_prec_t inst_prec, const char *what)
{
  tc_instance inst = {NULL, p, 0, seed, inst_prec, NULL, NULL};
  tc_record *r = tc_record_alloc(bits ? bits : 64);
  char err[256] = "";
  int status = (bits ? c->measure_mpfr : c->measure_d)(r, &inst, err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s seed=%llu bits=%ld: %s", what, (unsigned long long)seed, (long)bits, err);
  return r;
}

/* validate() must accept p; then one instance as tcu_measure runs it, with
 * the instance precision equal to bits (0 for the double backend). */
static inline tc_record *tcu_run_valid(const tc_check *c, const tc_point *p, uint64_t seed, mpfr_prec_t bits)
{
  char err[256] = "";
  cr_assert_eq(tc_check_validate(c, p, NULL, err, sizeof err), TC_SUCCESS, "validate: %s", err);
  return tcu_measure(c, p, seed, bits, bits, "measure");
}

/* Parse spec against names and run c; the instance precision is bits, or
 * 128 for the double backend.  Asserts the record carries a note. */
static inline tc_record *tcu_run_spec(const tc_check *c, const char *spec, const char *const *names, int count,
                                      uint64_t seed, mpfr_prec_t bits)
{
  tcu_point pt;
  tcu_point_make(&pt, spec, names, count);
  tc_record *r = tcu_measure(c, &pt.p, seed, bits, bits ? bits : 128, spec);
  cr_assert_not_null(tc_record_get_note(r));
  return r;
}

static inline double tcu_getd(const tc_record *r, size_t row, const char *name)
{
  mpfr_t x;
  mpfr_init2(x, 256);
  cr_assert_eq(tc_record_get(x, r, row, name), TC_SUCCESS, "row %zu lacks %s", row, name);
  double v = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  return v;
}
#endif
