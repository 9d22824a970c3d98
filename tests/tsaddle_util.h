/* tests/tsaddle_util.h — helpers shared by the saddle family's tests
 * (tsaddle.c, tsaddle_class.c): points from "name=value" text, one
 * instance run in either backend, row values, and the catalog mutation
 * test (every PASS refutes all its mutants, every as-stated FAIL has a
 * counterexample). */
#ifndef TSADDLE_UTIL_H
#define TSADDLE_UTIL_H
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"
#include "tcheck_util.h"
#include "thmcheck.h"

#define TS_MAXP 16

typedef struct {
  tc_point_value v[TS_MAXP];
  char name[TS_MAXP][32], text[TS_MAXP][64];
  tc_point p;
} ts_point;

/* spec: "family=notes d=2 lam=1" */
static inline void ts_point_make(ts_point *pt, const char *spec)
{
  char buf[512];
  snprintf(buf, sizeof buf, "%s", spec);
  size_t n = 0;
  for (char *tok = strtok(buf, " "); tok && n < TS_MAXP; tok = strtok(NULL, " ")) {
    char *eq = strchr(tok, '=');
    cr_assert_not_null(eq, "%s", tok);
    *eq = 0;
    snprintf(pt->name[n], 32, "%s", tok);
    snprintf(pt->text[n], 64, "%s", eq + 1);
    char *end;
    double v = strtod(eq + 1, &end);
    pt->v[n] = (tc_point_value){pt->name[n], *end ? NAN : v, pt->text[n]};
    n++;
  }
  pt->p = (tc_point){n, pt->v};
}

/* Run one instance; bits == 0: double. */
static inline tc_record *ts_run(const tc_check *c, const char *spec, uint64_t seed, mpfr_prec_t bits)
{
  ts_point pt;
  ts_point_make(&pt, spec);
  const char *param = NULL;
  char err[256] = "";
  cr_assert_eq(tc_check_validate(c, &pt.p, &param, err, sizeof err), TC_SUCCESS, "%s: %s", spec, err);
  tc_record *r = tcu_measure(c, &pt.p, seed, bits, bits ? bits : 128, spec);
  cr_assert_gt(tc_record_rows(r), 0);
  return r;
}

static inline double ts_get(const tc_record *r, size_t row, const char *name)
{
  return tcu_getd(r, row, name);
}

static inline int ts_listed(const char *const *list, const char *id)
{
  for (size_t k = 0; list && list[k]; k++)
    if (strcmp(list[k], id) == 0)
      return 1;
  return 0;
}

/* The catalog mutation test: each claim of FILE gets its expected verdict
 * (`fail` lists the ids that must FAIL, `undecided` those whose margins lie
 * inside the integration error and must be INCONCLUSIVE; every other must
 * PASS), a PASS refutes every mutant, and a FAIL carries a counterexample. */
static inline void ts_catalog_verdicts_undecided(const char *file, const char *const *fail,
                                                 const char *const *undecided)
{
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, file, err, sizeof err), TC_SUCCESS, "%s", err);
  for (size_t i = 0; i < cat->n; i++) {
    const tc_claim *cl = &cat->claims[i];
    const char *id = cl->id;
    int must_fail = ts_listed(fail, id), must_undecide = ts_listed(undecided, id);
    tc_run_options opt;
    tc_run_options_init(&opt);
    tc_run_result *res = NULL;
    cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s: %s", id, err);
    const tc_claim_result *c = &res->claims[0];
    cr_expect_eq(c->verdict, must_fail ? TC_FAIL : must_undecide ? TC_INCONCLUSIVE : TC_PASS, "%s: got %s: %s",
                 id, tc_verdict_name(c->verdict), c->reason);
    if (must_undecide)
      ;
    else if (!must_fail)
      cr_expect_eq(c->prec[1].mutants_refuted, c->prec[1].nmutants, "%s: %zu of %zu mutants refuted", id,
                   c->prec[1].mutants_refuted, c->prec[1].nmutants);
    else
      cr_expect(c->prec[1].has_witness && c->reproduce != NULL, "%s: counterexample", id);
    cr_expect_gt(c->prec[1].nmutants, 0, "%s lists mutants", id);
    tc_run_result_free(res);
  }
  tc_catalog_free(cat);
}

static inline void ts_catalog_verdicts(const char *file, const char *const *fail)
{
  ts_catalog_verdicts_undecided(file, fail, NULL);
}
#endif
