/* Partial results of a sharded audit (src/report/report_partial.c): every
 * claim of tests/data/engine.thm (all four kinds, searches, sequential
 * sampling, shrinking, errors, overflow) run in three shards and merged
 * gives the one-run reports byte for byte, and values JSON cannot hold
 * (NaN, +-Inf, -0, subnormals, seeds >= 2^63, text that is not UTF-8)
 * come back exactly. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"

static tc_catalog *cat;

static void load(void)
{
  char err[512] = "";
  int status = tc_catalog_load_file(&cat, TC_SRCDIR "/tests/data/engine.thm", err, sizeof err);
  cr_assert_eq(status, TC_SUCCESS, "%s", err);
}

static void unload(void) { tc_catalog_free(cat); }

TestSuite(partial, .init = load, .fini = unload);

static tc_run_result *run_shard(const tc_shard *s, const tc_run_options *opt)
{
  const tc_claim **cls = malloc(cat->n * sizeof *cls);
  cr_assert_not_null(cls);
  size_t n = 0;
  for (size_t i = 0; i < cat->n; i++)
    if (tc_shard_has(s, i))
      cls[n++] = &cat->claims[i];
  tc_run_result *res = NULL;
  char err[512] = "";
  cr_assert_eq(tc_run_claims(&res, cls, n, opt, err, sizeof err), TC_SUCCESS, "%s", err);
  free(cls);
  return res;
}

static char *report(tc_format f, const tc_run_result *r)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_write(out, f, r), TC_SUCCESS);
  fclose(out);
  return buf;
}

static void expect_same_reports(const tc_run_result *a, const tc_run_result *b)
{
  for (tc_format f = TC_FORMAT_MD; f <= TC_FORMAT_JSON; f++) {
    char *x = report(f, a), *y = report(f, b);
    cr_expect_str_eq(x, y, "format %d", (int)f);
    free(x);
    free(y);
  }
}

static char path[3][64];

static void write_partials(tc_run_result *const *parts, const tc_run_options *opt, unsigned n)
{
  for (unsigned k = 1; k <= n; k++) {
    tc_shard s = {k, n};
    snprintf(path[k - 1], sizeof path[k - 1], "tpartial-%u-of-%u.json", k, n);
    char err[512] = "";
    cr_assert_eq(tc_report_write_partial(path[k - 1], parts[k - 1], opt, &s, cat, err, sizeof err),
                 TC_SUCCESS, "%s", err);
  }
}

Test(partial, three_shards_merge_to_the_one_run_reports, .timeout = 120)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.jobs = 2;
  tc_run_result *whole = run_shard(NULL, &opt), *parts[3];
  for (unsigned k = 1; k <= 3; k++)
    parts[k - 1] = run_shard(&(tc_shard){k, 3}, &opt);
  write_partials(parts, &opt, 3);
  const char *order[3] = {path[2], path[0], path[1]};
  tc_run_result *merged = NULL;
  char err[512] = "";
  cr_assert_eq(tc_report_merge(&merged, order, 3, cat, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(merged->n, whole->n);
  expect_same_reports(whole, merged);
  cr_expect_eq(tc_run_exit_status(merged), tc_run_exit_status(whole));
  /* A missing shard names itself; nothing is returned. */
  tc_run_result *none = NULL;
  cr_expect_eq(tc_report_merge(&none, order, 2, cat, err, sizeof err), TC_EDOM);
  cr_expect(strstr(err, "shard 2/3 is missing") != NULL, "%s", err);
  cr_expect_null(none);
  for (int k = 0; k < 3; k++) {
    tc_run_result_free(parts[k]);
    remove(path[k]);
  }
  tc_run_result_free(merged);
  tc_run_result_free(whole);
}

Test(partial, values_json_cannot_hold_come_back_exactly)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.seed = UINT64_MAX;
  opt.instances = 2;
  tc_shard one = {1, 1};
  tc_run_result *r = run_shard(&one, &opt);
  tc_claim_result *c = &r->claims[0];
  tc_precision_result *pr = &c->prec[TC_BACKEND_MPFR];
  const double odd[] = {NAN, INFINITY, -INFINITY, -0.0, DBL_TRUE_MIN, DBL_MAX, 0.1};
  pr->tightness = odd[0];
  c->max_rel_diff = odd[3];
  pr->witness.lhs = odd[4];
  pr->witness.rhs = odd[1];
  pr->witness.ratio = odd[2];
  pr->witness.seed = UINT64_MAX;
  pr->has_witness = 1;
  free(c->reason);
  c->reason = strdup("Latin-1 \xe9t\xe9, UTF-8 \xc3\xa9t\xc3\xa9, control \x01");
  free(pr->witness.note);
  pr->witness.note = strdup("\xff\xfe");
  write_partials(&r, &opt, 1);
  const char *p = path[0];
  tc_run_result *m = NULL;
  char err[512] = "";
  cr_assert_eq(tc_report_merge(&m, &p, 1, cat, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim_result *mc = &m->claims[0];
  const tc_precision_result *mp = &mc->prec[TC_BACKEND_MPFR];
  cr_expect(isnan(mp->tightness));
  cr_expect(mc->max_rel_diff == 0 && signbit(mc->max_rel_diff), "-0 kept");
  cr_expect_eq(mp->witness.lhs, DBL_TRUE_MIN);
  cr_expect_eq(mp->witness.rhs, INFINITY);
  cr_expect_eq(mp->witness.ratio, -INFINITY);
  cr_expect_eq(mp->witness.seed, UINT64_MAX);
  cr_expect_eq(m->seed, UINT64_MAX);
  cr_expect_str_eq(mc->reason, c->reason);
  cr_expect_str_eq(mp->witness.note, "\xff\xfe");
  expect_same_reports(r, m);
  remove(p);
  tc_run_result_free(m);
  tc_run_result_free(r);
}

/* The merge error for partial `p` (one shard of one). */
static void expect_refused(const char *p, const char *fragment)
{
  tc_run_result *m = NULL;
  char err[512] = "";
  cr_expect_eq(tc_report_merge(&m, &p, 1, cat, err, sizeof err), TC_EDOM, "merged: %s", fragment);
  cr_expect(strstr(err, fragment) != NULL, "error '%s' lacks '%s'", err, fragment);
  cr_expect_null(m);
}

/* Replace the first `from` in file p by `to`. */
static void edit_file(const char *p, const char *from, const char *to)
{
  FILE *in = fopen(p, "rb");
  cr_assert_not_null(in);
  static char buf[1 << 22];
  size_t len = fread(buf, 1, sizeof buf - 1, in);
  fclose(in);
  buf[len] = '\0';
  char *at = strstr(buf, from);
  cr_assert_not_null(at, "no '%s' in %s", from, p);
  FILE *out = fopen(p, "wb");
  cr_assert_not_null(out);
  fwrite(buf, 1, (size_t)(at - buf), out);
  fputs(to, out);
  fputs(at + strlen(from), out);
  fclose(out);
}

/* A partial is not signed, but an edited or corrupted one must not turn a
 * claim into PASS, nor smuggle malformed values in: a PASS with a backend
 * that does not pass, a backend outside the run's precision, booleans other
 * than 0/1, ints beyond int, hex text with a non-digit or a NUL byte. */
Test(partial, inconsistent_or_malformed_values_are_refused, .timeout = 60)
{
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.instances = 2;
  tc_shard one = {1, 1};
  tc_run_result *r = run_shard(&one, &opt);
  tc_claim_result *c = &r->claims[0];
  c->verdict = TC_PASS;
  c->prec[TC_BACKEND_DOUBLE].ran = 1;
  c->prec[TC_BACKEND_DOUBLE].verdict = TC_FAIL;
  write_partials(&r, &opt, 1);
  expect_refused(path[0], "PASS although a backend's verdict is not PASS");

  c->prec[TC_BACKEND_DOUBLE].verdict = TC_PASS;
  opt.precision = TC_PREC_MPFR;
  write_partials(&r, &opt, 1);
  expect_refused(path[0], "a backend outside the run's precision");

  opt.precision = TC_PREC_BOTH;
  free(c->reason);
  c->reason = strdup("\xff\xfe");
  write_partials(&r, &opt, 1);
  edit_file(path[0], "\"fffe\"", "\"41 0\"");
  expect_refused(path[0], "field reason");
  write_partials(&r, &opt, 1);
  edit_file(path[0], "\"fffe\"", "\"4100\"");
  expect_refused(path[0], "field reason");
  write_partials(&r, &opt, 1);
  edit_file(path[0], "\"weak\": 0", "\"weak\": 2");
  expect_refused(path[0], "field weak");
  write_partials(&r, &opt, 1);
  edit_file(path[0], "\"disagree\": 0", "\"disagree\": 4294967296");
  expect_refused(path[0], "field disagree");
  write_partials(&r, &opt, 1);
  /* and the untouched partial merges */
  const char *p = path[0];
  tc_run_result *m = NULL;
  char err[512] = "";
  cr_expect_eq(tc_report_merge(&m, &p, 1, cat, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_run_result_free(m);
  remove(p);
  tc_run_result_free(r);
}
