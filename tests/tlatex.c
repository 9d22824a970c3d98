/* The statement's LaTeX subset against pdflatex: every whitelisted
 * control word, delimiter, environment and character is accepted by the
 * checker and compiles in the LaTeX report, where the statement is
 * mathematics that wraps instead of overflowing the line.  The checker's
 * source is included to read its word lists, so a word added to the
 * whitelist is compiled here too. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"
#include "catalog/catalog_latex.c"

/* Fragments joined by " + " into statements of at most ~900 bytes. */
typedef struct {
  FILE *out; /* the catalog file being written */
  char chunk[1100];
  size_t len;
  int claims;
} writer;

static void flush_chunk(writer *w)
{
  if (w->len == 0)
    return;
  char msg[256];
  cr_assert_eq(tc_latex_check(w->chunk, msg, sizeof msg), TC_SUCCESS, "%s: %s", w->chunk, msg);
  fprintf(w->out, "[w-%d]\nsource = s\nstatement = %s\nkind = deterministic\ncheck = calibration\n"
          "lhs = y\nrhs = 2^(-k)\nindex = k\ninstances = 1\nparam shape = sequence\n"
          "param value = 1\nparam rows = 2\n\n", ++w->claims, w->chunk);
  w->len = 0;
  w->chunk[0] = '\0';
}

static void add(writer *w, const char *fragment)
{
  char msg[256];
  cr_expect_eq(tc_latex_check(fragment, msg, sizeof msg), TC_SUCCESS, "'%s' refused: %s", fragment, msg);
  if (w->len + strlen(fragment) + 3 > 900)
    flush_chunk(w);
  w->len += (size_t)snprintf(w->chunk + w->len, sizeof w->chunk - w->len, "%s%s", w->len ? " + " : "", fragment);
}

/* One fragment per word of a space-separated list: pattern has one %s. */
static void add_words(writer *w, const char *list, const char *pattern)
{
  for (const char *p = list; *p;) {
    while (*p == ' ')
      p++;
    size_t n = strcspn(p, " ");
    if (n == 0)
      break;
    char word[64], frag[256];
    snprintf(word, sizeof word, "%.*s", (int)n, p);
    snprintf(frag, sizeof frag, pattern, word, word);
    add(w, frag);
    p += n;
  }
}

static void add_everything(writer *w)
{
  add_words(w, symbols, "x \\%s y");
  add_words(w, arg1, "\\%s{x}");
  add_words(w, arg2, "\\%s{a}{b}");
  add_words(w, text_words, "\\%s{if it holds, then: (a) [b] - c + d = e / f * g @ h!?}");
  add_words(w, big_words, "\\%s( x \\%s)");
  add_words(w, delim_words, "\\left\\%s x \\right\\%s");
  for (const char *d = delim_chars; *d; d++) {
    char frag[64];
    snprintf(frag, sizeof frag, "\\left%c x \\middle%c y \\right%c", *d, *d, *d);
    add(w, frag);
  }
  add(w, "\\left\\{ x \\middle\\| y \\right\\}");
  for (size_t k = 0; k < sizeof envs / sizeof envs[0]; k++) {
    char frag[128];
    snprintf(frag, sizeof frag, "\\begin{%s} a & b \\\\ c & d \\end{%s}", envs[k].name, envs[k].name);
    add(w, frag);
  }
  add(w, "\\{ \\} \\| \\, \\; \\: \\! \\ \\% \\# \\& \\$ \\_ a~b");
  add(w, "a + b - c * d / e = f < g > h ( i ) [ j ] | k , l . m ; n : o ! p ? q @ r");
  add(w, "f'(x) f''_k x^2_3 x_{i_j}^{k^2} \\sqrt[3]{x} \\sqrt d \\sqrt[n]{\\frac{1}{2}} 10^{-17}");
}

/* The tex lines of each overfull paragraph must not hold a statement. */
/* Returns how many statements the report typesets as mathematics. */
static int expect_no_overfull_statement(const char *dir)
{
  char path[256], line[4096];
  snprintf(path, sizeof path, "%s/r.tex", dir);
  FILE *tex = fopen(path, "r");
  cr_assert_not_null(tex);
  char *lines[4096] = {0};
  int nlines = 0;
  while (nlines < 4096 && fgets(line, sizeof line, tex))
    lines[nlines++] = strdup(line);
  fclose(tex);
  snprintf(path, sizeof path, "%s/r.log", dir);
  FILE *log = fopen(path, "r");
  cr_assert_not_null(log);
  while (fgets(line, sizeof line, log)) {
    int a, b;
    const char *at = strstr(line, "in paragraph at lines ");
    if (strncmp(line, "Overfull \\hbox", 14) != 0 || at == NULL || sscanf(at, "in paragraph at lines %d--%d", &a, &b) != 2)
      continue;
    for (int k = a; k <= b && k <= nlines; k++)
      cr_expect(strstr(lines[k - 1], "$\\displaystyle") == NULL, "statement overflows: %s", line);
  }
  fclose(log);
  int statements = 0;
  for (int k = 0; k < nlines; k++) {
    statements += strstr(lines[k], "$\\displaystyle") != NULL;
    free(lines[k]);
  }
  return statements;
}

Test(latex, every_whitelisted_construct_compiles, .timeout = 180)
{
  char dir[] = "/tmp/tlatexXXXXXX", path[128], err[512] = "";
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/w.thm", dir);
  writer w = {fopen(path, "w"), "", 0, 0};
  cr_assert_not_null(w.out);
  add_everything(&w);
  flush_chunk(&w);
  fclose(w.out);
  tc_catalog *cat;
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim **claims = calloc(cat->n, sizeof *claims);
  for (size_t i = 0; i < cat->n; i++)
    claims[i] = &cat->claims[i];
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, claims, cat->n, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  snprintf(path, sizeof path, "%s/r.tex", dir);
  cr_assert_eq(tc_report_write_file(path, TC_FORMAT_TEX, res, err, sizeof err), TC_SUCCESS, "%s", err);
#ifdef HAVE_PDFLATEX
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cd %s && " PDFLATEX " -interaction=nonstopmode -halt-on-error -no-shell-escape r.tex >out.txt 2>&1 && test -s r.pdf", dir);
  int rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "tail -n 30 %s/out.txt", dir);
    (void)system(cmd);
  }
  cr_expect_eq(rc, 0, "pdflatex failed on the whitelist (log above)");
  cr_expect_eq(expect_no_overfull_statement(dir), (int)cat->n, "every statement typeset as mathematics");
#endif
  char cmd2[256];
  snprintf(cmd2, sizeof cmd2, "test -n \"$TLATEX_KEEP\" || rm -rf %s", dir);
  (void)system(cmd2);
  free(claims);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}
