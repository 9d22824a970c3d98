/* A third backend is one entry: this test is built with
 * TC_TEST_THIRD_BACKEND, which adds the entry "test" to TC_BACKEND_LIST
 * (tc_check.h) and to the table (src/engine/backends.c), and recompiles
 * the engine and the reporters (TC_ENGINE_SOURCES) with it, nothing else.
 * Its module gives measure_test beside measure_d and measure_mpfr (here in
 * long double: the "numeric operations" of the fake backend), and the
 * engine runs it, compares it, and the reporters show it. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"

#ifndef TC_TEST_THIRD_BACKEND
#error "tests/tbackend3.c is built with -DTC_TEST_THIRD_BACKEND"
#endif
_Static_assert(TC_BACKEND_COUNT == 3 && TC_BACKEND_TEST == 2, "the test entry is the third");

/* y = x / (1 + x) <= 1 - 1/(2 + 2x) ... the rows: lhs = y, rhs = 1. */
static int put_rows(tc_record *out, const tc_instance *inst, long double scale)
{
  double x = tc_point_get_or(inst->point, "x", 1.0);
  for (int k = 1; k <= 3; k++) {
    long double y = (long double)x * k / (1.0L + (long double)x * k) * scale;
    tc_record_put_double(out, "k", k);
    tc_record_put_double(out, "y", (double)y);
    tc_record_end_row(out);
  }
  return TC_SUCCESS;
}

static int sq_measure_d(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  (void)err, (void)errlen;
  return put_rows(out, inst, 1.0L);
}

static int sq_measure_mpfr(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  (void)err, (void)errlen;
  return put_rows(out, inst, 1.0L);
}

static int sq_measure_test(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  (void)err, (void)errlen;
  return put_rows(out, inst, 1.0L);
}

static const tc_param_spec sq_params[] = {
  {.name = "x", .type = TC_PARAM_REAL, .min = 0, .max = 100, .meaning = "size"}, {0}};
static const tc_output_spec sq_outputs[] = {{.name = "k"}, {.name = "y"}, {0}};

/* The modules, as a module author writes them: one hook per backend. */
static const tc_check three = {.name = "three", .summary = "three backends", .params = sq_params,
                               .outputs = sq_outputs, .measure_d = sq_measure_d,
                               .measure_mpfr = sq_measure_mpfr, .measure_test = sq_measure_test};
static const tc_check two = {.name = "two", .summary = "no test backend", .params = sq_params,
                             .outputs = sq_outputs, .measure_d = sq_measure_d,
                             .measure_mpfr = sq_measure_mpfr};

/* The registry of this test program (instead of checks/registry.c). */
static const tc_check *const modules[] = {&three, &two};
const tc_check *tc_check_find(const char *name)
{
  for (size_t i = 0; i < 2; i++)
    if (strcmp(modules[i]->name, name) == 0)
      return modules[i];
  return NULL;
}
size_t tc_check_count(void) { return 2; }
const tc_check *tc_check_at(size_t i) { return i < 2 ? modules[i] : NULL; }

static const char catalog[] =
    "[three-backends]\nsource = test\nstatement = y \\le 1\nkind = deterministic\n"
    "check = three\nlhs = y\nrhs = 1\nindex = k\ninstances = 2\nparam x = 1, 10\n"
    "mutant rhs = 0.5\n\n"
    "[no-test-hook]\nsource = test\nstatement = y \\le 1\nkind = deterministic\n"
    "check = two\nlhs = y\nrhs = 1\nindex = k\ninstances = 2\nparam x = 1, 10\n"
    "mutant rhs = 0.5\n";

static tc_run_result *run(const char *id, int precision, tc_catalog **cat)
{
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_buffer(cat, "three.thm", catalog, strlen(catalog), err, sizeof err),
               TC_SUCCESS, "%s", err);
  const tc_claim *cl = tc_catalog_find(*cat, id);
  cr_assert_not_null(cl);
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.precision = precision;
  opt.jobs = 2;
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  return res;
}

static char *report(tc_format f, const tc_run_result *res)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_write(out, f, res), TC_SUCCESS);
  fclose(out);
  return buf;
}

Test(backend3, the_third_entry_runs_and_is_reported)
{
  tc_catalog *cat = NULL;
  tc_run_result *res = run("three-backends", TC_PREC_ALL, &cat);
  const tc_claim_result *c = &res->claims[0];
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    cr_expect(c->prec[b].ran, "backend %s ran", tc_backends[b].name);
    cr_expect_eq(c->prec[b].verdict, TC_PASS, "%s: %s", tc_backends[b].name, c->prec[b].reason);
    cr_expect_eq(c->prec[b].instances, 4);
    cr_expect_eq(c->prec[b].mutants_refuted, 1, "mutants re-evaluated in %s too", tc_backends[b].name);
  }
  cr_expect_eq(c->verdict, TC_PASS, "%s", c->reason);
  cr_expect_not(c->disagree, "%s", c->disagree_note ? c->disagree_note : "");
  char *md = report(TC_FORMAT_MD, res), *json = report(TC_FORMAT_JSON, res), *tex = report(TC_FORMAT_TEX, res);
  cr_expect(strstr(md, "precision double + MPFR 128 bits + test") != NULL, "header names the set");
  cr_expect(strstr(md, "| test | PASS | 4 |") != NULL, "md row of the third backend");
  cr_expect(strstr(md, "between the double, MPFR and test values") != NULL);
  cr_expect(strstr(json, "\"test\": {") != NULL, "JSON object of the third backend");
  cr_expect(strstr(json, "\"precision\": \"double+mpfr+test\"") != NULL);
  cr_expect(strstr(tex, "test & PASS & ") != NULL, "LaTeX row of the third backend");
  free(md), free(json), free(tex);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

Test(backend3, off_by_default)
{
  tc_catalog *cat = NULL;
  tc_run_result *res = run("three-backends", TC_PREC_BOTH, &cat);
  cr_expect_not(res->claims[0].prec[TC_BACKEND_TEST].ran);
  cr_expect(res->claims[0].prec[TC_BACKEND_MPFR].ran);
  char *json = report(TC_FORMAT_JSON, res);
  cr_expect(strstr(json, "\"test\": null") != NULL);
  free(json);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* A module without the new backend's hook: its runs are ERROR, named, and
 * the claim's verdict says which backend disagrees; never a PASS. */
Test(backend3, a_module_without_the_hook_is_an_error)
{
  tc_catalog *cat = NULL;
  tc_run_result *res = run("no-test-hook", TC_PREC_ALL, &cat);
  const tc_claim_result *c = &res->claims[0];
  cr_expect_eq(c->prec[TC_BACKEND_DOUBLE].verdict, TC_PASS);
  cr_expect_eq(c->prec[TC_BACKEND_TEST].verdict, TC_ERROR);
  cr_expect(c->prec[TC_BACKEND_TEST].first_error &&
                strstr(c->prec[TC_BACKEND_TEST].first_error, "module two has no measure_test"),
            "%s", c->prec[TC_BACKEND_TEST].first_error);
  cr_expect_eq(c->verdict, TC_ERROR);
  cr_expect_str_eq(c->reason, "double, MPFR and test runs disagree: double says PASS, MPFR (128 "
                              "bits) says PASS, test says ERROR");
  tc_run_result_free(res);
  tc_catalog_free(cat);
}
