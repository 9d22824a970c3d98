/* The catalog parser: a valid entry in full, then every error path, each
 * with the file:line the message must name. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "thmcheck.h"

static char dir[64];

static void make_dir(void)
{
  strcpy(dir, "/tmp/tcatalogXXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(catalog, .init = make_dir, .fini = remove_dir);

static char *write_file(const char *name, const char *text, size_t len)
{
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  fwrite(text, 1, len, f);
  fclose(f);
  return path;
}

#define HEAD "[c-1]\nsource = s\nstatement = x\ncheck = calibration\n"

static void expect_error(const char *text, int line, const char *fragment)
{
  char *path = write_file("case.thm", text, strlen(text));
  tc_catalog *cat = (tc_catalog *)1;
  char err[512] = "";
  int status = tc_catalog_load_file(&cat, path, err, sizeof err);
  cr_expect_neq(status, TC_SUCCESS, "accepted: %s", text);
  cr_expect_null(cat);
  char where[300];
  snprintf(where, sizeof where, "%s:%d: ", path, line);
  cr_expect(strstr(err, where) == err, "message '%s' should start with '%s'", err, where);
  cr_expect(strstr(err, fragment) != NULL, "message '%s' should contain '%s'", err, fragment);
}

Test(catalog, valid_entry_parses_completely)
{
  const char *text =
      "# comment\n\n[pl-gd-rate]\ntitle = T\nsource = 002, Theorem 2\n"
      "statement = f(x_k) - f^* \\le\n  (1 - \\mu/L)^k\nkind = deterministic\ncheck = calibration\n"
      "lhs = y\nrhs = 2^(-k)\nindex = k\ninstances = 7\nsearch = 3\n"
      "param shape = sequence\nparam value = 0.5 .. 2 log\nparam rows = 1, 2, 3\n";
  char *path = write_file("ok.thm", text, strlen(text));
  tc_catalog *cat;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(cat->n, 1);
  const tc_claim *c = tc_catalog_find(cat, "pl-gd-rate");
  cr_assert_not_null(c);
  cr_expect_str_eq(c->statement, "f(x_k) - f^* \\le (1 - \\mu/L)^k");
  cr_expect_eq(c->kind, TC_KIND_DETERMINISTIC);
  cr_expect_eq(c->instances, 7);
  cr_expect_eq(c->search, 3);
  cr_expect_eq(c->line, 3);
  cr_expect_eq(c->nparams, 3);
  cr_expect(c->params[1].is_range && c->params[1].log_scale);
  cr_expect_eq(c->params[1].lo, 0.5);
  cr_expect_eq(c->params[2].nvalues, 3);
  cr_expect_str_eq(c->params[0].texts[0], "sequence");
  cr_expect(c->params[0].values[0] != c->params[0].values[0], "symbolic value is NaN");
  cr_expect_eq(c->check, tc_check_find("calibration"));
  tc_catalog_free(cat);
}

Test(catalog, directory_loads_files_in_name_order)
{
  const char *b = "[b-claim]\nsource = s\nstatement = x\ncheck = calibration\nkind = deterministic\nlhs = y\nrhs = 1\nparam shape = nan\n";
  const char *a = "[a-claim]\nsource = s\nstatement = x\ncheck = calibration\nkind = deterministic\nlhs = y\nrhs = 1\nparam shape = nan\n";
  write_file("2.thm", b, strlen(b));
  write_file("1.thm", a, strlen(a));
  write_file("notes.txt", "ignored", 7);
  tc_catalog *cat;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_dir(&cat, dir, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_assert_eq(cat->n, 2);
  cr_expect_str_eq(cat->claims[0].id, "a-claim");
  cr_expect_str_eq(cat->claims[1].id, "b-claim");
  tc_catalog_free(cat);
}

Test(catalog, duplicate_id_across_files)
{
  const char *a = "[a-claim]\nsource = s\nstatement = x\ncheck = calibration\nkind = deterministic\nlhs = y\nrhs = 1\n";
  write_file("1.thm", a, strlen(a));
  write_file("2.thm", a, strlen(a));
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_dir(&cat, dir, err, sizeof err), TC_ESYNTAX);
  cr_expect(strstr(err, "2.thm:1: duplicate claim id 'a-claim'") != NULL, "%s", err);
}

Test(catalog, empty_directory) {
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_dir(&cat, dir, err, sizeof err), TC_ENOTFOUND);
  cr_expect(strstr(err, "no *.thm") != NULL, "%s", err);
}

Test(catalog, missing_file) {
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_file(&cat, "/nonexistent/x.thm", err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "/nonexistent/x.thm: cannot open") != NULL, "%s", err);
}

Test(catalog, nul_byte) { char *p = write_file("case.thm", "[a]\n\0x", 6);
  tc_catalog *cat; char err[512] = "";
  cr_expect_eq(tc_catalog_load_file(&cat, p, err, sizeof err), TC_ESYNTAX);
  cr_expect(strstr(err, "not a text file") != NULL, "%s", err); }

Test(catalog, key_before_section) { expect_error("\nsource = x\n", 2, "before any [claim-id]"); }
Test(catalog, malformed_header) { expect_error("[abc\n", 1, "malformed section header"); }
Test(catalog, id_not_kebab_case) { expect_error("[Bad_Id]\n", 1, "kebab-case"); }
Test(catalog, duplicate_id) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\n[c-1]\n", 8, "duplicate claim id 'c-1'"); }
Test(catalog, unknown_key) { expect_error(HEAD "colour = red\n", 5, "unknown key 'colour'"); }
Test(catalog, duplicate_key) { expect_error(HEAD "lhs = y\nlhs = y\n", 6, "duplicate key 'lhs'"); }
Test(catalog, empty_value) { expect_error(HEAD "lhs =\n", 5, "empty value"); }
Test(catalog, no_equals) { expect_error(HEAD "just words\n", 5, "expected 'key = value'"); }
Test(catalog, missing_kind) { expect_error(HEAD "lhs = y\nrhs = 1\n", 1, "has no 'kind'"); }
Test(catalog, unknown_kind) { expect_error(HEAD "kind = likely\n", 5, "unknown kind 'likely'"); }
Test(catalog, missing_lhs) { expect_error(HEAD "kind = deterministic\nrhs = 1\n", 1, "has no 'lhs'"); }
Test(catalog, missing_source) { expect_error("[c-1]\nstatement = x\ncheck = calibration\nkind = deterministic\nlhs = y\nrhs = 1\n", 1, "has no 'source'"); }
Test(catalog, unknown_check) { expect_error("[c-1]\nsource = s\nstatement = x\ncheck = nosuch\nkind = deterministic\nlhs = y\nrhs = 1\n", 4, "unknown check module 'nosuch'"); }
Test(catalog, bad_expression) { expect_error(HEAD "kind = deterministic\nlhs = (y\nrhs = 1\n", 6, "lhs: column"); }
Test(catalog, bad_rhs_expression) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1 +\n", 7, "rhs: column"); }
Test(catalog, zero_instances) { expect_error(HEAD "instances = 0\n", 5, "instances must be a positive whole number"); }
Test(catalog, fractional_instances) { expect_error(HEAD "instances = 2.5\n", 5, "instances must be a positive whole number"); }
Test(catalog, negative_search) { expect_error(HEAD "search = -1\n", 5, "search must be"); }
Test(catalog, bad_tolerance) { expect_error(HEAD "tolerance = 0\n", 5, "tolerance must be a positive number"); }
Test(catalog, empty_range) { expect_error(HEAD "param value = 5 .. 1\n", 5, "empty range"); }
Test(catalog, log_range_needs_positive) { expect_error(HEAD "param value = 0 .. 1 log\n", 5, "positive lower bound"); }
Test(catalog, range_scale_word) { expect_error(HEAD "param value = 1 .. 2 cubic\n", 5, "'log' or 'linear'"); }
Test(catalog, range_bounds_numbers) { expect_error(HEAD "param value = a .. 2\n", 5, "range bounds must be numbers"); }
Test(catalog, bad_number) { expect_error(HEAD "param p = 0.5x\n", 5, "'0.5x' is not a number"); }
Test(catalog, number_out_of_double_range)
{
  expect_error(HEAD "param p = 1e999\n", 5, "'1e999' is beyond double's range");
  expect_error(HEAD "param p = 1e-999\n", 5, "'1e-999' is below double's normal range");
}
Test(catalog, empty_list_value) { expect_error(HEAD "param p = 1,,2\n", 5, "empty value in list"); }
Test(catalog, bad_symbol) { expect_error(HEAD "param shape = a b\n", 5, "symbolic value"); }
Test(catalog, bad_param_name) { expect_error(HEAD "param 9x = 1\n", 5, "plain identifier"); }
Test(catalog, reserved_param_name) { expect_error(HEAD "param pi = 3\n", 5, "reserved for a constant"); }
Test(catalog, duplicate_param) { expect_error(HEAD "param p = 1\nparam p = 2\n", 6, "duplicate parameter 'p'"); }
Test(catalog, param_unknown_to_module) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\nparam colour = 1\n", 8, "has no parameter 'colour'"); }
Test(catalog, range_in_probability_claim_needs_search) { expect_error(HEAD "kind = probability\nprobability = 0.9\nlhs = y\nrhs = 1\nparam p = 0 .. 1\n", 9, "a range in a probability claim needs 'search'"); }
Test(catalog, probability_key_required) { expect_error(HEAD "kind = probability\nlhs = y\nrhs = 1\n", 1, "needs 'probability'"); }
Test(catalog, probability_key_only_for_probability) { expect_error(HEAD "kind = deterministic\nprobability = 0.5\nlhs = y\nrhs = 1\n", 6, "only applies to probability claims"); }
Test(catalog, rate_needs_sweep) { expect_error(HEAD "kind = rate\nlhs = y\n", 1, "needs 'sweep' and 'exponent'"); }
Test(catalog, rate_sweep_declared) { expect_error(HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = -1\n", 7, "not declared"); }
Test(catalog, rate_sweep_three_values) { expect_error(HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = -1\nparam m = 1, 2\n", 9, "at least 3 values"); }
Test(catalog, rate_sweep_positive) { expect_error(HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = -1\nparam m = 0, 1, 2\n", 9, "must be positive"); }
Test(catalog, sweep_only_for_rate) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\nsweep = m\n", 8, "only applies to rate claims"); }
Test(catalog, corrects_unknown) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\ncorrects = nosuch\n", 1, "corrects unknown claim 'nosuch'"); }
Test(catalog, empty_file) { expect_error("# nothing\n", 1, "no claims"); }

/* ---- every key once, and only where the kind reads it ---------------- */

#define DET HEAD "kind = deterministic\nlhs = y\nrhs = 1\n"
#define RATE HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = -1\nparam m = 1, 2, 4\n"

/* A second `instances =` (search, tolerance, kind) used to win silently. */
Test(catalog, repeated_parsed_keys)
{
  expect_error(DET "instances = 5\ninstances = 50\n", 9, "duplicate key 'instances' in claim [c-1] (first set at line 8)");
  expect_error(DET "search = 5\nsearch = 6\n", 9, "duplicate key 'search'");
  expect_error(RATE "tolerance = 0.1\ntolerance = 0.2\n", 11, "duplicate key 'tolerance'");
  expect_error(DET "kind = deterministic\n", 8, "duplicate key 'kind'");
}

Test(catalog, keys_the_kind_does_not_read)
{
  expect_error(DET "exponent = 2\n", 8, "'exponent' only applies to rate claims; claim [c-1] is deterministic");
  expect_error(DET "tolerance = 0.2\n", 8, "'tolerance' only applies to rate claims");
  expect_error(DET "reference = 1\n", 8, "'reference' only applies to probability and expectation claims");
  expect_error(HEAD "kind = expectation\nlhs = y\nrhs = 1\nprobability = 0.9\n", 8,
               "'probability' only applies to probability claims; claim [c-1] is expectation");
  expect_error(RATE "search = 3\n", 10, "'search' only applies to deterministic, probability and expectation claims");
  expect_error(RATE "rhs = 1\n", 10, "'rhs' only applies to deterministic, probability and expectation claims");
}

/* ---- text: UTF-8 without control characters ---------------------------- */

Test(catalog, invalid_utf8_names_the_line)
{
  const char *bad[] = {"\xC0\xAF" /* overlong '/' */, "\xE0\x80\xAF" /* overlong */,
                       "\xED\xA0\x80" /* surrogate U+D800 */, "\xF4\x90\x80\x80" /* > U+10FFFF */,
                       "\xF5\x80\x80\x80", "\x80" /* stray continuation */, "\xE2\x82" /* truncated */,
                       "\xFF"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, HEAD "title = a%sb\n", bad[i]);
    expect_error(text, 5, "byte 10: not valid UTF-8");
  }
}

Test(catalog, valid_utf8_and_crlf_load)
{
  const char *text = DET "title = \xCE\xBC \xE2\x89\xA4 L, \xF0\x9D\x94\xBC\tand a tab\r\nremarks = crlf\r\n";
  char *path = write_file("ok.thm", text, strlen(text));
  tc_catalog *cat;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_expect_str_eq(cat->claims[0].remarks, "crlf");
  tc_catalog_free(cat);
}

/* An escape sequence in a statement would drive the terminal that shows it. */
Test(catalog, control_characters_name_the_line)
{
  const char *bad[] = {"\x1b[31m", "\x01", "\x7f", "\r", "\x0c", "\xC2\x9B" /* C1 CSI */};
  const char *code[] = {"U+001B", "U+0001", "U+007F", "U+000D", "U+000C", "U+009B"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[256], frag[64];
    snprintf(text, sizeof text, "[c-1]\nsource = s\nstatement = a%sb\n", bad[i]);
    snprintf(frag, sizeof frag, "byte 14: control character %s", code[i]);
    expect_error(text, 3, frag);
  }
}

Test(catalog, nul_byte_names_its_line)
{
  char *p = write_file("case.thm", "[a]\n# x\nb\0c\n", 11);
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_file(&cat, p, err, sizeof err), TC_ESYNTAX);
  cr_expect(strstr(err, "case.thm:3: not a text file") != NULL, "%s", err);
}

/* ---- limits (tc_limits.h) ------------------------------------------------ */

Test(catalog, instances_and_search_are_capped)
{
  expect_error(DET "instances = 1000001\n", 8, "at most 1000000");
  expect_error(DET "instances = 1e9\n", 8, "instances must be");
  expect_error(DET "search = 100001\n", 8, "at most 100000");
}

/* "param rows = 1, 1, ..., 1" with n values. */
static char *list_of(size_t n, const char *name)
{
  char *s = malloc(32 + 3 * n);
  cr_assert_not_null(s);
  int k = sprintf(s, "param %s = 1", name);
  for (size_t i = 1; i < n; i++)
    k += sprintf(s + k, ", 1");
  strcpy(s + k, "\n");
  return s;
}

Test(catalog, list_length_is_capped)
{
  char *list = list_of(10001, "rows");
  char *text = malloc(strlen(list) + 200);
  sprintf(text, "%s%s", DET, list);
  expect_error(text, 8, "param rows: more than 10000 values in a list");
  free(list);
  list = list_of(10000, "rows"); /* at the limit: fine */
  sprintf(text, "%s%s", DET, list);
  char *path = write_file("ok.thm", text, strlen(text));
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_catalog_free(cat);
  free(text);
  free(list);
}

Test(catalog, grid_and_instance_runs_are_capped)
{
  char *a = list_of(400, "rows"), *b = list_of(300, "value");
  char *text = malloc(strlen(a) + strlen(b) + 200);
  sprintf(text, "%s%s%s", DET, a, b); /* 400 x 300 = 120000 points */
  expect_error(text, 9, "param value: the parameter grid of claim [c-1] has more than 100000 points");
  sprintf(text, "%sinstances = 2501\n%s", DET, a); /* 400 x 2501 > 10^6 runs */
  expect_error(text, 8, "400 grid points x 2501 instances is more than 1000000 instance runs");
  free(text);
  free(a);
  free(b);
}

Test(catalog, file_size_is_capped)
{
  size_t n = TC_MAX_CATALOG_BYTES + 1;
  char *text = malloc(n);
  memset(text, '#', n);
  for (size_t i = 79; i < n; i += 80)
    text[i] = '\n';
  char *path = write_file("big.thm", text, n);
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "big.thm: 1048577 bytes, more than the limit of 1048576 bytes") != NULL, "%s", err);
  free(text);
}

/* A FIFO named *.thm used to block the loader forever; /dev/zero never ends. */
Test(catalog, only_regular_files_are_read, .timeout = 10)
{
  char path[128];
  snprintf(path, sizeof path, "%s/pipe.thm", dir);
  cr_assert_eq(mkfifo(path, 0600), 0);
  tc_catalog *cat;
  char err[512] = "";
  cr_expect_eq(tc_catalog_load_dir(&cat, dir, err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "pipe.thm: not a regular file") != NULL, "%s", err);
  cr_expect_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_EIO);
  cr_expect_eq(tc_catalog_load_file(&cat, "/dev/zero", err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "/dev/zero: not a regular file") != NULL, "%s", err);
  unlink(path);
  snprintf(path, sizeof path, "%s/sub.thm", dir);
  cr_assert_eq(mkdir(path, 0700), 0);
  cr_expect_eq(tc_catalog_load_dir(&cat, dir, err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "sub.thm: not a regular file") != NULL, "%s", err);
}

/* Mutants: `mutant FIELD = EXPR`, for a field the claim's kind has. */
Test(catalog, mutant_of_unknown_field)
{
  expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\nmutant bound = 2\n", 8,
               "mutant bound: a mutant replaces lhs, rhs, probability or exponent");
}
Test(catalog, mutant_of_a_field_the_kind_lacks)
{
  expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\nmutant probability = 0.5\n", 8,
               "a deterministic claim has no such field to mutate");
  expect_error(HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = 1\nmutant rhs = 2\nparam m = 1, 2, 3\n",
               9, "a rate claim has no such field to mutate");
}
Test(catalog, mutant_bad_expression)
{
  expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = 1\nmutant rhs = (rhs\n", 8, "mutant rhs: column");
}
Test(catalog, mutants_parse)
{
  const char *text = HEAD "kind = deterministic\nlhs = y\nrhs = 1\nmutant rhs = 0.9 * rhs\n"
                          "mutant   lhs =  2*lhs\n";
  char *path = write_file("ok.thm", text, strlen(text));
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim *cl = &cat->claims[0];
  cr_assert_eq(cl->nmutants, 2);
  cr_expect_eq(cl->mutants[0].field, TC_MUTATE_RHS);
  cr_expect_str_eq(cl->mutants[0].text, "rhs = 0.9 * rhs");
  cr_expect_eq(cl->mutants[1].field, TC_MUTATE_LHS);
  cr_expect_str_eq(cl->mutants[1].text, "lhs = 2*lhs");
  cr_expect_eq(cl->mutants[1].line, 9);
  tc_catalog_free(cat);
}

/* tc_catalog_load_buffer: the same parser for text in memory, with the
 * pseudo file name in messages and claims. */
Test(catalog, load_buffer)
{
  const char text[] = HEAD "kind = deterministic\nlhs = y\nrhs = 1\n";
  tc_catalog *cat = NULL;
  char err[256] = "";
  cr_assert_eq(tc_catalog_load_buffer(&cat, "mem.thm", text, strlen(text), err, sizeof err),
               TC_SUCCESS, "%s", err);
  cr_assert_eq(cat->n, 1);
  cr_expect_str_eq(cat->claims[0].file, "mem.thm");
  tc_catalog_free(cat);

  /* Only `len` bytes are read: the claim's rhs line is cut off. */
  cat = (tc_catalog *)1;
  cr_expect_neq(tc_catalog_load_buffer(&cat, "mem.thm", text, strlen(text) - 8, err, sizeof err),
                TC_SUCCESS);
  cr_expect_null(cat);
  cr_expect(strstr(err, "mem.thm:1: ") == err && strstr(err, "has no 'rhs'"), "%s", err);

  const char nul[] = "[c-1]\0source = s\n";
  cat = (tc_catalog *)1;
  cr_expect_eq(tc_catalog_load_buffer(&cat, "mem.thm", nul, sizeof nul - 1, err, sizeof err),
               TC_ESYNTAX);
  cr_expect_null(cat);
  cr_expect(strstr(err, "mem.thm:1: not a text file") == err, "%s", err);
}

/* ---- the statement's LaTeX subset (docs/CATALOG.md) ---------------------- */

#define STMT_CLAIM "[c-1]\nsource = s\nstatement = %s\ncheck = calibration\nkind = deterministic\nlhs = y\nrhs = 1\n"

/* A statement outside the subset is an input error at the statement's
 * line, naming the token. */
static void expect_statement_error(const char *statement, const char *fragment)
{
  char text[1024];
  snprintf(text, sizeof text, STMT_CLAIM, statement);
  expect_error(text, 3, fragment);
}

Test(catalog, statement_rejects_unsafe_tex)
{
  expect_statement_error("x \\input{/etc/passwd}", "statement: \\input is not allowed");
  expect_statement_error("\\write18{rm -rf /}", "\\write is not allowed");
  expect_statement_error("\\def\\x{1}", "\\def is not allowed");
  expect_statement_error("\\catcode`\\^=11", "\\catcode is not allowed");
  expect_statement_error("\\csname x\\endcsname", "\\csname is not allowed");
  expect_statement_error("\\include{x}", "\\include is not allowed");
  expect_statement_error("\\openout1=x", "\\openout is not allowed");
  expect_statement_error("\\immediate x", "\\immediate is not allowed");
  expect_statement_error("\\lex y", "\\lex is not allowed");
  expect_statement_error("x $y$", "'$' is not allowed (the statement is already mathematics) (character 3)");
  expect_statement_error("50% of x", "'%' is not allowed");
  expect_statement_error("#1", "'#' is not allowed");
  expect_statement_error("a & b", "'&' is only allowed directly inside \\begin{cases} or a matrix");
  expect_statement_error("a \\\\ b", "'\\\\' is only allowed directly inside");
  expect_statement_error("x^^5c", "'^^' is not allowed");
  expect_statement_error("x\\@y", "\\@ is not allowed");
  expect_statement_error("\\(x\\)", "\\( is not allowed");
  expect_statement_error("x \\] y", "\\] is not allowed");
  expect_statement_error("\\mu \xc2\xb5", "non-ASCII character U+00B5");
  expect_statement_error("x \"y\"", "'\"' is not allowed");
  expect_statement_error("\\begin{align} x \\end{align}", "environment {align} is not allowed");
  expect_statement_error("\\begin{cases} a & b & c \\end{cases}", "too many '&' in one row of {cases}");
  expect_statement_error("\\begin{cases} a \\\\[2pt] b \\end{cases}", "'\\\\' followed by '['");
  expect_statement_error("\\text{a $b$}", "'$' is not allowed inside \\text{...}");
  expect_statement_error("\\text{a \\emph{b}}", "'\\' is not allowed inside \\text{...}");
  expect_statement_error("\\text{a {b}}", "'{' is not allowed inside \\text{...}");
}

Test(catalog, statement_rejects_malformed_tex)
{
  expect_statement_error("{x", "'{' is never closed (character 1)");
  expect_statement_error("x}", "unbalanced '}' (character 2)");
  expect_statement_error("\\left( x", "\\left has no matching \\right (character 1)");
  expect_statement_error("x \\right)", "\\right without a matching \\left");
  expect_statement_error("\\left( {x \\right)}", "\\right without a matching \\left");
  expect_statement_error("\\middle| x", "\\middle without a matching \\left");
  expect_statement_error("\\begin{cases} x", "\\begin{cases} is never closed");
  expect_statement_error("\\begin{cases} x \\end{pmatrix}", "\\end{pmatrix} closes \\begin{cases}");
  expect_statement_error("x \\end{cases}", "\\end without a matching \\begin");
  expect_statement_error("\\sqrt[3 x", "'\\sqrt[' is never closed");
  expect_statement_error("\\sqrt[\\left( 3]\\right)]{x}", "\\left is not allowed inside \\sqrt[...]");
  expect_statement_error("x^a^b", "double superscript");
  expect_statement_error("x_a_b", "double subscript");
  expect_statement_error("f^2'", "double superscript: a prime after a superscript");
  expect_statement_error("f'_1^2", "double superscript: put braces around the first (character 5)"); /* as pdflatex */
  expect_statement_error("x_", "'_' is missing an argument");
  expect_statement_error("x^}", "'^' is missing an argument");
  expect_statement_error("\\frac{a}", "\\frac is missing an argument");
  expect_statement_error("x^\\frac12", "'^' needs braces around its argument \\frac{...}");
  expect_statement_error("\\text x", "\\text needs its text in braces");
  expect_statement_error("\\left x \\right)", "\\left needs a delimiter");
  expect_statement_error("x \\", "a lone '\\' ends the statement");
  char deep[80] = "";
  for (int k = 0; k < 33; k++)
    strcat(deep, "{");
  expect_statement_error(deep, "groups nested more than 32 deep");
}

/* A statement over several lines: the error names the statement's line. */
Test(catalog, statement_error_names_the_statement_line)
{
  expect_error("[c-1]\nsource = s\nstatement = f(x) \\le\n  \\input{x}\ncheck = calibration\n"
               "kind = deterministic\nlhs = y\nrhs = 1\n", 3, "\\input is not allowed in a statement (not in the "
               "LaTeX subset of docs/CATALOG.md) (character 10)");
}

Test(catalog, statement_accepts_the_subset)
{
  const char *ok[] = {
      "f(x_k) - f^* \\le \\left(1 - \\frac{\\mu}{L}\\right)^k (f(x_0) - f^*)",
      "\\mathbb{E}[\\|\\nabla f(\\mathbf{x})\\|^2] \\le \\frac LC \\quad\\text{if } s \\le \\frac{1}{2\\mu}",
      "f'(x) + f''_k \\ge \\sqrt[3]{x} + \\sqrt d,\\ \\forall x \\in \\mathbb{R}^d",
      "|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}",
      "A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}, \\left\\{ x \\middle| x > 0 \\right\\}",
      "\\Pr[\\lambda_{\\min}(G) \\ge \\tfrac{m}{2}] \\ge 1 - \\delta \\quad(\\text{w.p. } 1 - \\delta)",
      "\\|H(0) - H^\\infty\\|_2 = \\tilde O(m^{-1/2}) \\Rightarrow x \\sim \\mathrm{Unif}(B(r)) ~ 10^{401}: "
      "true, beyond double's range",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char text[1024];
    snprintf(text, sizeof text, STMT_CLAIM, ok[i]);
    char *path = write_file("ok.thm", text, strlen(text));
    tc_catalog *cat;
    char err[512] = "";
    cr_expect_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "'%s': %s", ok[i], err);
    if (cat)
      tc_catalog_free(cat);
  }
}

/* Every statement of the lecture catalog and of the test catalogs is in
 * the subset (they are loaded as written, none rewritten). */
Test(catalog, every_catalog_statement_is_in_the_subset)
{
  const char *files[] = {"tests/data/engine.thm", "tests/data/aggregate.thm", "tests/data/mutations.thm"};
  tc_catalog *cat;
  char err[512] = "", path[512];
  cr_expect_eq(tc_catalog_load_dir(&cat, TC_SRCDIR "/theorems", err, sizeof err), TC_SUCCESS, "%s", err);
  if (cat)
    tc_catalog_free(cat);
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", TC_SRCDIR, files[i]);
    cr_expect_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
    if (cat)
      tc_catalog_free(cat);
  }
}

/* ---- names in expressions: each must be a declared output of the
 * module, a parameter of the claim, a module parameter with a default,
 * or (in a mutant) the mutated field's own name (issue 7). ---- */

#define PLGD "[c-1]\nsource = s\nstatement = x\ncheck = pl-gd\nkind = deterministic\n" \
             "param family = quadratic\nparam d = 3\nparam kappa = 10\nparam iterations = 5\n"

Test(catalog, misspelt_output_in_lhs) { expect_error(PLGD "lhs = gapp\nrhs = gap0\n", 10, "lhs: 'gapp' is not an output of check module 'pl-gd'"); }
Test(catalog, misspelt_output_in_rhs) { expect_error(PLGD "lhs = gap\nrhs = (1 - mu/L)^k * gap_0\n", 11, "rhs: 'gap_0'"); }
Test(catalog, misspelt_output_in_error) { expect_error(PLGD "lhs = gap\nrhs = gap0\nerror = gaperr\n", 12, "error: 'gaperr'"); }
Test(catalog, misspelt_output_in_mutant) { expect_error(PLGD "lhs = gap\nrhs = gap0\nmutant rhs = 0.5 * rhs * gapo\n", 12, "mutant: 'gapo'"); }
Test(catalog, mutant_may_not_name_another_field) { expect_error(PLGD "lhs = gap\nrhs = gap0\nmutant rhs = lhs\n", 12, "mutant: 'lhs'"); }
Test(catalog, misspelt_output_in_probability)
{
  expect_error(HEAD "kind = probability\nlhs = event\nrhs = 1\nprobability = 1 - delta\nparam p = 0.5\n", 8,
               "probability: 'delta'");
}
Test(catalog, misspelt_output_in_reference)
{
  expect_error(HEAD "kind = probability\nlhs = event\nrhs = 1\nprobability = p\nreference = pexact\nparam p = 0.5\n",
               9, "reference: 'pexact'");
}
Test(catalog, misspelt_output_in_exponent)
{
  expect_error(HEAD "kind = rate\nlhs = y\nsweep = m\nexponent = alpah\nparam m = 1, 2, 4\n", 8, "exponent: 'alpah'");
}
Test(catalog, parameter_without_default_not_in_claim) { expect_error(HEAD "kind = deterministic\nlhs = y\nrhs = shape\n", 7, "rhs: 'shape'"); }

Test(catalog, names_that_resolve_load)
{
  /* outputs, claim parameters, defaulted module parameters (sd, alpha),
   * a mutant's own field and constants */
  const char *text = HEAD "kind = deterministic\nlhs = y + 0 * sd\nrhs = value * 2^(-k) + alpha - alpha\n"
                          "param value = 1\nmutant rhs = 0.9 * rhs\nmutant lhs = lhs * pi / e * (e / pi)\n";
  char *path = write_file("ok.thm", text, strlen(text));
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_catalog_free(cat);
}

/* A bad parameter value is reported at that parameter's `param` line,
 * found from the parameter the spec (or validate) blames, not by
 * searching the message: `delta = 1.5` names the delta line although the
 * message also mentions d. */
static void expect_param_line(const char *params, int line, const char *fragment)
{
  char text[1024];
  snprintf(text, sizeof text, "[ball-x]\nsource = s\nstatement = x\ncheck = ball-uniform\n"
           "kind = probability\nlhs = threshold\nrhs = absxi\nprobability = 1 - delta\n%s", params);
  char *path = write_file("ball.thm", text, strlen(text));
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = NULL;
  const tc_claim *cl = &cat->claims[0];
  cr_expect_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_EDOM);
  cr_expect_null(res);
  char where[300];
  snprintf(where, sizeof where, "%s:%d: ", path, line);
  cr_expect(strstr(err, where) == err, "message '%s' should start with '%s'", err, where);
  cr_expect(strstr(err, fragment) != NULL, "message '%s' should contain '%s'", err, fragment);
  tc_catalog_free(cat);
}

Test(catalog, bad_value_names_its_param_line)
{
  expect_param_line("param d = 3\nparam r = 1\nparam delta = 1.5\n", 11, "delta (");
  expect_param_line("param delta = 0.5\nparam r = 1\nparam d = 2.5\n", 11, "d (the dimension) must be an integer");
  expect_param_line("param d = 3\nparam r = 0\nparam delta = 0.5\n", 10, "r (");
}

Test(catalog, cross_parameter_error_names_the_blamed_param)
{
  /* coord <= d is validate's: it blames coord, whose line is reported */
  expect_param_line("param d = 3\nparam r = 1\nparam delta = 0.5\nparam coord = 5\n", 12, "coord must be");
}

Test(catalog, missing_required_parameter_names_the_claim)
{
  expect_param_line("param d = 3\nparam delta = 0.5\n", 1, "missing parameter r");
}

/* Joint tuples: `param (a, b) = (1, 2), (3, 4)`, one grid axis. */
#define DET_HEAD HEAD "kind = deterministic\nlhs = y\nrhs = 1\n"
Test(catalog, joint_tuple_parses_into_members)
{
  const char *text = DET_HEAD "param shape = sequence\nparam (value, rows) = (1, 3), (4, 5), (0.5, 30)\n"
                              "param p = 0.1, 0.2\n";
  char *path = write_file("tuple.thm", text, strlen(text));
  tc_catalog *cat;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim *c = &cat->claims[0];
  cr_assert_eq(c->nparams, 4);
  cr_expect_eq(c->params[0].tuple, 0);
  cr_expect(c->params[1].tuple == 1 && c->params[2].tuple == 1 && c->params[3].tuple == 0);
  cr_expect_str_eq(c->params[1].name, "value");
  cr_expect_str_eq(c->params[2].name, "rows");
  cr_expect_eq(c->params[1].nvalues, 3);
  cr_expect_str_eq(c->params[2].texts[2], "30");
  cr_expect_float_eq(c->params[1].values[2], 0.5, 0);
  tc_catalog_free(cat);
}
Test(catalog, joint_tuple_arity_mismatch)
{
  expect_error(DET_HEAD "param (value, rows) = (1, 3), (4, 5, 6)\n", 8, "tuple 2 has 3 values");
}
Test(catalog, joint_tuple_duplicate_member)
{
  expect_error(DET_HEAD "param (value, value) = (1, 3)\n", 8, "names member 'value' twice");
}
Test(catalog, joint_tuple_member_already_a_param)
{
  expect_error(DET_HEAD "param rows = 3\nparam (value, rows) = (1, 3)\n", 9,
               "'rows' is already a parameter");
}
Test(catalog, param_after_joint_tuple_member)
{
  expect_error(DET_HEAD "param (value, rows) = (1, 3)\nparam rows = 3\n", 9, "duplicate parameter 'rows'");
}
Test(catalog, joint_tuple_range_refused)
{
  expect_error(DET_HEAD "param (value, rows) = (1 .. 2, 3)\n", 8, "ranges are not allowed inside joint tuples");
}
Test(catalog, joint_tuple_malformed)
{
  expect_error(DET_HEAD "param (value, rows) = (1, 3) (4, 5)\n", 8, "expected ','");
  expect_error(DET_HEAD "param (value, rows) = (1, 3\n", 8, "no closing ')'");
  expect_error(DET_HEAD "param (value) = (1)\n", 8, "at least two members");
  expect_error(DET_HEAD "param (value, rows) = \n", 8, "at least one");
}
Test(catalog, joint_tuple_unknown_member)
{
  expect_error(DET_HEAD "param (value, colour) = (1, 3)\n", 8, "no parameter 'colour'");
}
