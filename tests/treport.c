/* Reports: LaTeX escaping, and that the LaTeX report compiles with
 * pdflatex (when it is installed). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <jansson.h>
#include "thmcheck.h"

/* One report in memory (free the result). */
static char *report_text(int (*fn)(FILE *, const tc_run_result *), const tc_run_result *res)
{
  char *buf;
  size_t len;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(fn(f, res), TC_SUCCESS);
  fclose(f);
  return buf;
}

static void replace_text(char **field, const char *text)
{
  free(*field);
  *field = strdup(text);
}

static tc_run_result *run_engine_catalog(tc_catalog **cat)
{
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(cat, TC_SRCDIR "/tests/data/engine.thm", err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim **claims = calloc((*cat)->n, sizeof *claims);
  for (size_t i = 0; i < (*cat)->n; i++)
    claims[i] = &(*cat)->claims[i];
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.instances = 30;
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, claims, (*cat)->n, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  free(claims);
  return res;
}

Test(report, markdown_has_summary_and_counterexamples)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  char *buf;
  size_t len;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_md(f, res), TC_SUCCESS);
  fclose(f);
  cr_expect(strstr(buf, "| claim | kind | source | verdict | tightness | flags |") != NULL);
  cr_expect(strstr(buf, "**Counterexample:**") != NULL);
  cr_expect(strstr(buf, "thmcheck reproduce det-tightened-fail --instance") != NULL);
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

Test(report, latex_escapes_user_text)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  /* A hostile source string must come out inert. */
  free(cat->claims[0].source);
  cat->claims[0].source = strdup("50% of $x_1$ & {\\input{/etc/passwd}} # ~^");
  char *buf;
  size_t len;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(tc_report_tex(f, res), TC_SUCCESS);
  fclose(f);
  cr_expect(strstr(buf, "\\input{/etc") == NULL);
  cr_expect(strstr(buf, "50\\% of \\$x\\_1\\$ \\& \\{\\textbackslash{}input\\{/etc/passwd\\}\\} \\# \\~{}\\^{}") != NULL);
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

Test(report, latex_compiles_with_pdflatex, .timeout = 120)
{
#ifndef HAVE_PDFLATEX
  cr_skip_test("pdflatex not installed (scripts/install-deps --latex)");
#else
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  /* Statements are mathematics now: an environment, \left..\right and
   * \text must compile too (tests/tlatex.c compiles the whole subset). */
  replace_text(&cat->claims[0].statement, "|x| = \\begin{cases} x & \\text{if } x \\ge 0 \\\\ -x & "
               "\\text{otherwise} \\end{cases} \\le \\left\\| \\begin{pmatrix} 1 & 2 \\end{pmatrix} \\right\\|_2");
  char dir[] = "/tmp/treportXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[128], err[256];
  snprintf(path, sizeof path, "%s/r.tex", dir);
  cr_assert_eq(tc_report_write_file(path, TC_FORMAT_TEX, res, err, sizeof err), TC_SUCCESS, "%s", err);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cd %s && " PDFLATEX " -interaction=nonstopmode -halt-on-error r.tex >log.txt 2>&1", dir);
  int rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "tail -n 30 %s/log.txt", dir);
    (void)system(cmd);
  }
  cr_expect_eq(rc, 0, "pdflatex failed on the report (log above)");
  snprintf(cmd, sizeof cmd, "test -s %s/r.pdf && rm -rf %s", dir, dir);
  cr_expect_eq(system(cmd), 0);
  tc_run_result_free(res);
  tc_catalog_free(cat);
#endif
}

/* The statement is typeset as mathematics: its LaTeX, unescaped, inside
 * $\displaystyle ...$; text outside the catalog's subset (possible only
 * for a claim built by hand) is shown escaped, as source. */
Test(report, latex_typesets_the_statement_as_math)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  replace_text(&cat->claims[0].statement, "f(x_k) - f^* \\le (1 - \\frac{\\mu}{L})^k");
  replace_text(&cat->claims[1].statement, "x \\le 1 \\input{/etc/passwd}");
  char *buf = report_text(tc_report_tex, res);
  cr_expect(strstr(buf, "\\usepackage{amsmath,amssymb}") != NULL);
  cr_expect(strstr(buf, "\\item[Statement] as written in the notes:\n\\begin{quote}\\raggedright\n"
                        "$\\displaystyle f(x_k) - f^* \\le (1 - \\frac{\\mu}{L})^k$\n\\end{quote}") != NULL,
            "the statement in math mode");
  cr_expect(strstr(buf, "\\input{") == NULL);
  cr_expect(strstr(buf, "\\texttt{x \\allowbreak{}\\textbackslash{}\\allowbreak{}le") != NULL,
            "a statement outside the subset is shown as escaped source");
  cr_expect(strstr(buf, "\\item[Verdict from]") != NULL, "the place for exact values vs sampling");
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* Catalog text is untrusted: a file name with a quote, control bytes and
 * bytes that are not UTF-8 must still give one valid UTF-8 JSON document
 * (the hand-written writer left the file name unescaped). */
Test(report, json_is_valid_utf8_whatever_the_text)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  tc_claim *cl = &cat->claims[0];
  replace_text(&cl->file, "/tmp/dir/inj\"q.thm");
  replace_text(&cl->source, "a\"b\\c\x01\x1b[31m \xff\xfe end");
  replace_text(&cl->statement, "cut \xe2\x82 and \xc0\xaf overlong, \xe2\x82\xac kept");
  res->claims[0].max_rel_diff = NAN;
  char *buf = report_text(tc_report_json, res);
  json_error_t jerr;
  json_t *doc = json_loads(buf, 0, &jerr);
  cr_assert_not_null(doc, "invalid JSON at line %d: %s", jerr.line, jerr.text);
  json_t *c0 = json_array_get(json_object_get(doc, "claims"), 0);
  char where[64];
  snprintf(where, sizeof where, "inj\"q.thm:%d", cl->line);
  cr_expect_str_eq(json_string_value(json_object_get(c0, "catalog")), where);
  cr_expect_str_eq(json_string_value(json_object_get(c0, "source")),
                   "a\"b\\c\x01\x1b[31m \xef\xbf\xbd\xef\xbf\xbd end");
  cr_expect_str_eq(json_string_value(json_object_get(c0, "statement")),
                   "cut \xef\xbf\xbd\xef\xbf\xbd and \xef\xbf\xbd\xef\xbf\xbd overlong, \xe2\x82\xac kept");
  cr_expect(json_is_null(json_object_get(c0, "max_rel_diff")), "NaN is written as null");
  /* 17 digits read back as the same double. */
  cr_expect_eq(json_real_value(json_object_get(doc, "confidence")), 0.99);
  json_decref(doc);
  char *again = report_text(tc_report_json, res);
  cr_expect_str_eq(again, buf, "the same result gives the same bytes");
  free(again);
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* Seeds are unsigned 64-bit: one that does not fit jansson's signed
 * integers is written as its exact decimal text. */
Test(report, json_keeps_every_seed_digit)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  res->seed = 18446744073709551615ULL;
  char *buf = report_text(tc_report_json, res);
  json_t *doc = json_loads(buf, 0, NULL);
  cr_assert_not_null(doc);
  cr_expect_str_eq(json_string_value(json_object_get(doc, "seed")), "18446744073709551615");
  res->seed = 9223372036854775807ULL;
  free(buf);
  json_decref(doc);
  buf = report_text(tc_report_json, res);
  doc = json_loads(buf, 0, NULL);
  cr_expect_eq(json_integer_value(json_object_get(doc, "seed")), 9223372036854775807LL);
  json_decref(doc);
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* Count the '|' of a line that are not escaped: a table row's columns. */
static int unescaped_bars(const char *line)
{
  int n = 0;
  for (const char *p = line; *p && *p != '\n'; p++)
    n += *p == '|' && (p == line || p[-1] != '\\');
  return n;
}

/* An occurrence of s in buf whose first byte is not backslash-escaped. */
static const char *unescaped_strstr(const char *buf, const char *s)
{
  for (const char *p = strstr(buf, s); p; p = strstr(p + 1, s))
    if (p == buf || p[-1] != '\\')
      return p;
  return NULL;
}

/* Catalog and module text is untrusted: in the Markdown report (read as
 * HTML) it must never become a tag, a link, a heading or a table cell. */
Test(report, markdown_escapes_user_text)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  tc_claim *cl = &cat->claims[0];
  replace_text(&cl->title, "<script>alert(1)</script>");
  replace_text(&cl->source, "x | y <img src=x onerror=alert(1)>");
  replace_text(&cl->statement, "$x$ `code` *b* _i_ [l](javascript:alert(1)) ~s~");
  replace_text(&cl->hypotheses, "&amp; \"q\" 'q' \\ \x1b[31m");
  replace_text(&cl->remarks, "one\n# heading\n<iframe src=javascript:alert(1)>");
  replace_text(&cl->file, "/d/<b>f.thm");
  replace_text(&res->claims[0].reason, "[r](javascript:alert(1)) <a href=\"javascript:x\">");
  for (int w = 0; w < 2; w++)
    if (res->claims[0].prec[w].has_witness)
      replace_text(&res->claims[0].prec[w].witness.params, "a=<svg/onload=alert(1)>");
  char *buf = report_text(tc_report_md, res);
  const char *raw[] = {"<script", "<img", "<iframe", "<svg", "<b>", "<a href", "](javascript:",
                       "\n# heading", "`code`", "\x1b"};
  for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
    cr_expect(unescaped_strstr(buf, raw[i]) == NULL, "raw '%s' in the Markdown report", raw[i]);
  const char *escaped[] = {"&lt;script&gt;alert(1)&lt;/script&gt;", "x \\| y &lt;img src=x onerror=alert(1)&gt;",
                           "\\$x\\$ \\`code\\` \\*b\\* \\_i\\_ \\[l\\](javascript:alert(1)) \\~s\\~",
                           "&amp;amp; &quot;q&quot; &#39;q&#39; \\\\ \\[31m", "one \\# heading &lt;iframe",
                           "&lt;b&gt;f.thm:"};
  for (size_t i = 0; i < sizeof escaped / sizeof escaped[0]; i++)
    cr_expect(strstr(buf, escaped[i]) != NULL, "'%s' missing", escaped[i]);
  const char *row = strstr(buf, "\n| [det-equal-pass]");
  cr_assert_not_null(row);
  cr_expect_eq(unescaped_bars(row + 1), 7, "the source's '|' must not add a column");
  free(buf);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

#ifdef HAVE_PDFLATEX
/* Run pdflatex on the LaTeX report of res in a fresh directory; 0 when a
 * PDF came out (the log's tail is printed otherwise). */
static int compile_tex(const tc_run_result *res)
{
  char dir[] = "/tmp/treportXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[128], err[256], cmd[512];
  snprintf(path, sizeof path, "%s/r.tex", dir);
  cr_assert_eq(tc_report_write_file(path, TC_FORMAT_TEX, res, err, sizeof err), TC_SUCCESS, "%s", err);
  snprintf(cmd, sizeof cmd, "cd %s && " PDFLATEX " -interaction=nonstopmode -halt-on-error -no-shell-escape r.tex >log.txt 2>&1 && test -s r.pdf", dir);
  int rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "tail -n 30 %s/log.txt", dir);
    (void)system(cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  (void)system(cmd);
  return rc;
}
#endif

/* Control bytes in a statement stopped pdflatex ("invalid character")
 * with no PDF; they are dropped, and the rest of the hostile text stays
 * inert (\input and \write18 escaped, ^^ not a TeX character code). */
Test(report, latex_with_hostile_text_compiles, .timeout = 120)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  tc_claim *cl = &cat->claims[0];
  replace_text(&cl->statement, "x\x01y\x1b[31m\x7f \x0c\x0b\r\tz \\input{/etc/passwd} \\write18{touch /tmp/pwn} ^^5c ^^M");
  replace_text(&cl->source, "\\end{document} % $ & # _ { } ~ ^ \xff\xfe");
  replace_text(&cl->id, "id\x08with\x1f" "controls");
  replace_text(&res->claims[0].reason, "\\csname\x02 @@ \\endcsname \\catcode`\\^^?=11");
  char *buf = report_text(tc_report_tex, res);
  for (const char *p = buf; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    cr_assert(ch >= 0x20 ? ch < 0x7f : ch == '\n', "byte 0x%02x at offset %td", ch, p - buf);
  }
  cr_expect(strstr(buf, "\\input{") == NULL);
  cr_expect(strstr(buf, "\\write18") == NULL);
  cr_expect(strstr(buf, "^^") == NULL);
  cr_expect(strstr(buf, "xy[31m") != NULL, "control bytes dropped, text kept");
  free(buf);
#ifdef HAVE_PDFLATEX
  cr_expect_eq(compile_tex(res), 0, "pdflatex failed on hostile text (log above)");
#endif
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* Terminal text: control bytes, C1 controls and bytes that are not UTF-8
 * come out as \xHH; printable UTF-8 is kept; truncation is by whole piece. */
Test(report, term_escape_neutralises_control_bytes)
{
  char buf[128];
  cr_expect_eq(tc_term_escape(buf, sizeof buf, "a\x1b]0;t\x07z\n\x7f"), 22);
  cr_expect_str_eq(buf, "a\\x1b]0;t\\x07z\\x0a\\x7f");
  tc_term_escape(buf, sizeof buf, "caf\xc3\xa9 \xe2\x82\xac \xc2\x9b" "2J \xff\xc3 \xe0\x80\x80");
  cr_expect_str_eq(buf, "caf\xc3\xa9 \xe2\x82\xac \\xc2\\x9b2J \\xff\\xc3 \\xe0\\x80\\x80");
  cr_expect_eq(tc_term_escape(NULL, 0, "\x1b"), 4);
  cr_expect_eq(tc_term_escape(buf, 6, "ab\x1b" "c"), 7);
  cr_expect_str_eq(buf, "ab", "the escape does not fit: cut before it");
  cr_expect_eq(tc_term_escape(buf, sizeof buf, NULL), 0);
  cr_expect_str_eq(buf, "");
}

static char *slurp(const char *dir, const char *name)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static int die_at;
static void kill_at(void *data, int step)
{
  (void)data;
  if (step == die_at)
    raise(SIGTERM);
}

/* Which set DIR holds: 'A' or 'B' when its three reports equal one run's
 * (texts[0..2] or texts[3..5]) and the manifest matches them; '?' else. */
static char which_set(const char *dir, char *const texts[6])
{
  const char *names[] = {"audit.md", "audit.tex", "audit.json"};
  int a = 1, b = 1;
  for (int f = 0; f < 3; f++) {
    char *got = slurp(dir, names[f]);
    a &= strcmp(got, texts[f]) == 0;
    b &= strcmp(got, texts[3 + f]) == 0;
    free(got);
  }
  char cmd[256];
  snprintf(cmd, sizeof cmd, "cd %s && sha256sum --quiet -c audit.manifest", dir);
  if (system(cmd) != 0)
    return '?';
  return a ? 'A' : b ? 'B' : '?';
}

/* SIGTERM at every step of replacing set A by set B: before the renames
 * the old set A stays, during them the signal waits and B is complete;
 * never a mix, never a temporary left behind. */
Test(report, audit_set_survives_sigterm_at_every_step, .timeout = 60)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  char *texts[6];
  int (*fn[3])(FILE *, const tc_run_result *) = {tc_report_md, tc_report_tex, tc_report_json};
  for (int f = 0; f < 6; f++) {
    res->seed = f < 3 ? 111 : 222;
    texts[f] = report_text(fn[f % 3], res);
  }
  for (die_at = 0; die_at <= 8; die_at++) {
    char dir[] = "/tmp/treportXXXXXX", err[512] = "";
    cr_assert_not_null(mkdtemp(dir));
    res->seed = 111;
    cr_assert_eq(tc_report_write_audit(dir, res, NULL, err, sizeof err), TC_SUCCESS, "%s", err);
    res->seed = 222;
    pid_t pid = fork();
    if (pid == 0) {
      tc_audit_options o;
      tc_audit_options_init(&o);
      o.hook = kill_at;
      tc_report_write_audit(dir, res, &o, err, sizeof err);
      _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "step %d: the writer died of SIGTERM", die_at);
    cr_expect_eq(which_set(dir, texts), die_at < 5 ? 'A' : 'B', "step %d", die_at);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cd %s && test \"$(ls -A | tr '\\n' ' ')\" = "
             "'.thmcheck.lock audit.json audit.manifest audit.md audit.tex ' && rm -rf %s", dir, dir);
    cr_expect_eq(system(cmd), 0, "step %d: temporaries left in %s", die_at, dir);
  }
  for (int f = 0; f < 6; f++)
    free(texts[f]);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* A second writer waits for the lock, then gives up with a message. */
Test(report, audit_lock_times_out_with_a_message, .timeout = 30)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  char dir[] = "/tmp/treportXXXXXX", path[128], err[512] = "";
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/.thmcheck.lock", dir);
  int fd = open(path, O_RDWR | O_CREAT, 0666);
  cr_assert(fd >= 0 && flock(fd, LOCK_EX) == 0);
  tc_audit_options o;
  tc_audit_options_init(&o);
  o.lock_timeout = 0.2;
  cr_expect_eq(tc_report_write_audit(dir, res, &o, err, sizeof err), TC_EIO);
  cr_expect(strstr(err, "another thmcheck audit is writing there") != NULL, "%s", err);
  close(fd);
  cr_expect_eq(tc_report_write_audit(dir, res, &o, err, sizeof err), TC_SUCCESS, "%s", err);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_expect_eq(system(cmd), 0);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* A log-scale figure whose values vary by less than ~1e-4 (relative), or
 * not at all, made pgfplots stop with "Dimension too large": the y-range
 * is now padded.  Each claim's first series is replaced by such data. */
Test(report, nearly_flat_log_figures_compile, .timeout = 120)
{
  tc_catalog *cat;
  tc_run_result *res = run_engine_catalog(&cat);
  const double lo[] = {1.0, 2e-6, 1e-300, 3.5e7};
  const double span[] = {1.3e-4, 0, 1e-9, 1e-15};
  size_t changed = 0;
  for (size_t i = 0; i < res->n; i++) {
    if (res->claims[i].claim->kind == TC_KIND_PROBABILITY)
      continue;
    size_t v = changed % 4;
    int any = 0;
    for (int b = 0; b < TC_BACKEND_COUNT; b++) {
      tc_precision_result *pr = &res->claims[i].prec[b];
      if (!pr->ran || pr->nseries == 0 || pr->series[0].n < 2)
        continue;
      tc_series *s = &pr->series[0];
      for (size_t k = 0; k < s->n; k++) {
        double t = (double)k / (double)(s->n - 1);
        s->p[k].x = (double)(k + 1);
        s->p[k].lhs = lo[v] * (1 + span[v] * t);
        s->p[k].rhs = lo[v] * (1 + span[v] * (1 - t));
        s->p[k].err = lo[v] * 1e-5;
      }
      any = 1;
    }
    changed += any;
  }
  cr_assert_geq(changed, 4, "enough figures to cover every case");
  char *buf = report_text(tc_report_tex, res);
  cr_expect(strstr(buf, "ymin=") != NULL && strstr(buf, "ymax=") != NULL, "the y-range is set");
  free(buf);
#ifdef HAVE_PDFLATEX
  cr_expect_eq(compile_tex(res), 0, "pdflatex failed on nearly flat figures (log above)");
#endif
  tc_run_result_free(res);
  tc_catalog_free(cat);
}

/* A probability claim with `index` and `mark` gets a figure: the
 * estimated probability per point with its Clopper-Pearson bars against
 * the index, sorted by it (the catalog lists p out of order), the
 * required probability, and the mark as a vertical line; the same bytes
 * on a second run; the JSON points carry "checkpoint" (the index) and
 * "mark"; the document compiles.  `mark` is refused on other kinds. */
static const char prob_fig_thm[] =
    "[prob-fig]\nsource = calibration\nstatement = P(E) \\ge 0.5\nkind = probability\n"
    "check = calibration\nlhs = 0.5\nrhs = event\nprobability = 0.5 * floor(min(1, p / 0.85))\n"
    "index = p\nmark = 0.85\ninstances = 200\nparam shape = bernoulli\nparam p = 0.9, 0.3, 0.6, 0.99\n";

static tc_run_result *run_buffer(tc_catalog **cat, const char *text)
{
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_buffer(cat, "fig.thm", text, strlen(text), err, sizeof err), TC_SUCCESS, "%s", err);
  const tc_claim *claims[1] = {&(*cat)->claims[0]};
  tc_run_options opt;
  tc_run_options_init(&opt);
  tc_run_result *res = NULL;
  cr_assert_eq(tc_run_claims(&res, claims, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  return res;
}

Test(report, probability_figure_with_mark, .timeout = 120)
{
  tc_catalog *cat;
  tc_run_result *res = run_buffer(&cat, prob_fig_thm);
  cr_assert_eq(res->claims[0].verdict, TC_PASS);
  char *tex = report_text(tc_report_tex, res);
  const char *fig = strstr(tex, "error bars/.cd, y dir=both, y explicit] coordinates { (0.3,");
  cr_assert_not_null(fig, "the estimates, sorted by p, with error bars");
  const char *p6 = strstr(fig, "(0.6,"), *p9 = strstr(fig, "(0.9,"), *p99 = strstr(fig, "(0.99,");
  cr_expect(p6 && p9 && p99 && p6 < p9 && p9 < p99, "points in the order of the index");
  cr_expect(strstr(tex, "const plot mark left, mark=none] coordinates { (0.3,0) (0.6,0) (0.9,0.5) (0.99,0.5) }") != NULL,
            "the required probability as a step");
  cr_expect(strstr(tex, "coordinates { (0.85,0) (0.85,1) };\n\\addlegendentry{0.85}") != NULL, "the mark");
  cr_expect(strstr(tex, "xlabel={p}") != NULL);
  tc_catalog *cat2;
  tc_run_result *again = run_buffer(&cat2, prob_fig_thm);
  char *tex2 = report_text(tc_report_tex, again);
  cr_expect_str_eq(tex, tex2, "the same report twice");
  char *js = report_text(tc_report_json, res);
  cr_expect(strstr(js, "\"mark\": 0.84999999999999998") != NULL, "the JSON point has its mark");
  cr_expect(strstr(js, "\"checkpoint\": 0.29999999999999999") != NULL, "the JSON point has its index");
#ifdef HAVE_PDFLATEX
  cr_expect_eq(compile_tex(res), 0, "pdflatex failed on the probability figure (log above)");
#endif
  free(tex);
  free(tex2);
  free(js);
  tc_run_result_free(res);
  tc_run_result_free(again);
  tc_catalog_free(cat);
  tc_catalog_free(cat2);
  /* mark on a deterministic claim: refused at load */
  char err[512] = "";
  static const char det[] = "[det]\nsource = s\nstatement = x\nkind = deterministic\ncheck = calibration\n"
                            "lhs = y\nrhs = 1\nmark = 1\nparam shape = sequence\n";
  cr_expect_neq(tc_catalog_load_buffer(&cat, "det.thm", det, strlen(det), err, sizeof err), TC_SUCCESS);
  cr_expect(strstr(err, "'mark' only applies to probability claims") != NULL, "%s", err);
}
