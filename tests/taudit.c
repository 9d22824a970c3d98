/* The default audit end to end: the lecture catalog's verdicts, the three
 * report files, and (with pdflatex) that the LaTeX report compiles. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char *slurp(const char *path)
{
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

static void expect_verdict(const char *json, const char *id, const char *verdict)
{
  char key[128];
  snprintf(key, sizeof key, "\"id\": \"%s\"", id);
  const char *at = strstr(json, key);
  cr_assert_not_null(at, "claim %s missing from the audit", id);
  const char *v = strstr(at, "\"verdict\": \"");
  cr_assert_not_null(v);
  v += strlen("\"verdict\": \"");
  cr_expect(strncmp(v, verdict, strlen(verdict)) == 0 && v[strlen(verdict)] == '"',
            "%s: expected %s, got %.14s", id, verdict, v);
}

Test(audit, lecture_catalog_verdicts, .timeout = 900) /* the whole default audit, also under ASan */
{
  char dir[] = "/tmp/tauditXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char cmd[1024];
  snprintf(cmd, sizeof cmd, TC_BUILDDIR "/thmcheck --catalog " TC_SRCDIR "/theorems audit -o %s --quiet 2>/dev/null", dir);
  int status = system(cmd);
  cr_assert(WIFEXITED(status));
  cr_expect_eq(WEXITSTATUS(status), 1, "exit 1: a lecture statement fails as written");
  snprintf(cmd, sizeof cmd, "%s/audit.json", dir);
  char *json = slurp(cmd);
  expect_verdict(json, "pl-gd-rate", "PASS");
  expect_verdict(json, "sgd-pl-constant-step", "FAIL");
  expect_verdict(json, "sgd-pl-constant-step-corrected", "PASS");
  expect_verdict(json, "ball-anticoncentration", "PASS");
  expect_verdict(json, "ntk-h0-rate", "PASS");
  expect_verdict(json, "ntk-gram-init", "FAIL");
  expect_verdict(json, "ntk-gram-init-n4", "PASS");
  cr_expect(strstr(json, "\"reproduce\": \"thmcheck reproduce sgd-pl-constant-step --instance ") != NULL);
  free(json);
  snprintf(cmd, sizeof cmd, "%s/audit.md", dir);
  char *md = slurp(cmd);
  cr_expect(strstr(md, "**Counterexample:**") != NULL);
  free(md);
#ifdef HAVE_PDFLATEX
  snprintf(cmd, sizeof cmd, "cd %s && " PDFLATEX " -interaction=nonstopmode -halt-on-error audit.tex >latex.log 2>&1 || tail -n 40 latex.log", dir);
  cr_expect_eq(system(cmd), 0);
  snprintf(cmd, sizeof cmd, "test -s %s/audit.pdf", dir);
  cr_expect_eq(system(cmd), 0, "audit.tex compiles with pdflatex");
#endif
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_expect_eq(system(cmd), 0);
}
