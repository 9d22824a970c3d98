/* Reports: LaTeX escaping, and that the LaTeX report compiles with
 * pdflatex (when it is installed). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "thmcheck.h"

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
