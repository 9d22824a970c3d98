/* The thmcheck command line: exit statuses, messages naming the flag or
 * file:line, and that nothing half-written is left behind. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>

#define BIN TC_BUILDDIR "/thmcheck"
#define DATA TC_SRCDIR "/tests/data/engine.thm"

/* Run a shell command; return its exit status and its stderr+stdout. */
static int run(char *out, size_t outlen, const char *fmt, ...)
{
  char cmd[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t n = fread(out, 1, outlen - 1, p);
  out[n] = '\0';
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char out[1 << 16];

Test(cli, help_and_version)
{
  cr_expect_eq(run(out, sizeof out, BIN " --help"), 0);
  cr_expect(strstr(out, "reproduce ID --instance K --seed S") != NULL);
  cr_expect_eq(run(out, sizeof out, BIN " --version"), 0);
  cr_expect(strstr(out, "thmcheck ") == out, "%s", out);
}

Test(cli, missing_command) { cr_expect_eq(run(out, sizeof out, BIN), 2); cr_expect(strstr(out, "missing command") != NULL); }
Test(cli, unknown_command) { cr_expect_eq(run(out, sizeof out, BIN " frobnicate"), 2); cr_expect(strstr(out, "unknown command 'frobnicate'") != NULL); }
Test(cli, unknown_flag) { cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --bogus"), 2); cr_expect(strstr(out, "unknown option '--bogus'") != NULL, "%s", out); }

Test(cli, bad_flag_values_name_the_flag)
{
  const char *cases[][2] = {
      {"--instances 0", "--instances"}, {"--instances x", "--instances"},
      {"--seed -3", "--seed"}, {"--precision quad", "--precision"},
      {"--precision mpfr:8", "--precision"}, {"--confidence 1.5", "--confidence"},
      {"--format pdf", "--format"}, {"--param novalue", "--param"}, {"--seed", "--seed"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass %s", cases[i][0]), 2, "%s", cases[i][0]);
    cr_expect(strstr(out, cases[i][1]) != NULL, "%s: %s", cases[i][0], out);
  }
}

Test(cli, unknown_claim_id)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run no-such-claim"), 2);
  cr_expect(strstr(out, "unknown claim id 'no-such-claim'") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " show no-such-claim"), 2);
}

Test(cli, malformed_catalog_names_file_and_line)
{
  char path[] = "/tmp/tcliXXXXXX.thm";
  int fd = mkstemps(path, 4);
  cr_assert(fd >= 0);
  const char *text = "[ok-id]\nsource = s\nstatement = x\nkind = sometimes\n";
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog %s list", path), 2);
  char where[64];
  snprintf(where, sizeof where, "%s:4: unknown kind", path);
  cr_expect(strstr(out, where) != NULL, "%s", out);
  unlink(path);
}

Test(cli, impossible_parameter_is_an_input_error)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run prob-pass --param p=2"), 2);
  cr_expect(strstr(out, "impossible parameters") != NULL, "%s", out);
}

Test(cli, exit_status_follows_verdicts)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --quiet"), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-tightened-fail --quiet"), 1);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-nan-error --quiet"), 3);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run prob-boundary-inconclusive --quiet --instances 200"), 4);
}

Test(cli, list_show_and_formats)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " list"), 0);
  cr_expect(strstr(out, "det-equal-pass") != NULL);
  cr_expect_eq(run(out, sizeof out, BIN " list --checks"), 0);
  cr_expect(strstr(out, "calibration") != NULL);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " show rate-pass"), 0);
  cr_expect(strstr(out, "exponent     = -1/2") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run rate-pass --format json"), 0);
  cr_expect(strstr(out, "\"verdict\": \"PASS\"") != NULL);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run rate-pass --format tex"), 0);
  cr_expect(strstr(out, "\\documentclass") != NULL);
}

Test(cli, reproduce_prints_the_counterexample)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-tightened-fail --format json"), 1);
  const char *cmd = strstr(out, "thmcheck reproduce det-tightened-fail --instance ");
  cr_assert_not_null(cmd, "%s", out);
  char line[512];
  cmd += strlen("thmcheck");
  size_t n = strcspn(cmd, "\"");
  snprintf(line, sizeof line, "%.*s", (int)n, cmd);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " %s", line), 1, "%s", line);
  cr_expect(strstr(out, "NO") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " reproduce det-tightened-fail --instance 0"), 2);
  cr_expect(strstr(out, "--seed") != NULL);
}

Test(cli, unwritable_output_leaves_nothing)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run rate-pass -o /nonexistent-dir/r.md"), 2);
  cr_expect(strstr(out, "/nonexistent-dir/r.md") != NULL, "%s", out);
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run rate-pass -o %s/r.json --format json", dir), 0, "%s", out);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "ls %s", dir);
  run(out, sizeof out, "%s", cmd);
  cr_expect_str_eq(out, "r.json\n", "only the report, no temporary file");
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_expect_eq(system(cmd), 0);
}

Test(cli, audit_writes_three_reports)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  int rc = run(out, sizeof out, BIN " --catalog " DATA " audit -o %s/rep --instances 40 --quiet", dir);
  cr_expect_eq(rc, 1, "the calibration catalog has FAIL entries: %s", out);
  const char *ext[] = {"md", "tex", "json"};
  for (int i = 0; i < 3; i++) {
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, "%s/rep/audit.%s", dir, ext[i]);
    cr_expect(stat(path, &st) == 0 && st.st_size > 100, "%s", path);
  }
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_expect_eq(system(cmd), 0);
}

/* A catalog file name is user text: a quote in it must not break the JSON. */
Test(cli, json_escapes_the_catalog_file_name)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  cr_expect_eq(run(out, sizeof out, "cp " DATA " '%s/inj\"q.thm'", dir), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog '%s/inj\"q.thm' run rate-pass --format json --quiet", dir), 0, "%s", out);
  json_error_t jerr;
  json_t *doc = json_loads(out, 0, &jerr);
  cr_assert_not_null(doc, "invalid JSON (%s): %s", jerr.text, out);
  const char *where = json_string_value(json_object_get(json_array_get(json_object_get(doc, "claims"), 0), "catalog"));
  cr_expect(where != NULL && strncmp(where, "inj\"q.thm:", 10) == 0, "%s", where ? where : "(null)");
  json_decref(doc);
  cr_expect_eq(run(out, sizeof out, "rm -rf %s", dir), 0);
}

/* Error messages quote user text; an ESC sequence or a byte that is not
 * UTF-8 in it must reach the terminal escaped (\xHH), never raw. */
Test(cli, error_messages_escape_control_bytes)
{
  const char *cases[][2] = {
      {" --catalog " DATA " show \"$(printf 'x\\033]0;pwned\\007')\"", "'x\\x1b]0;pwned\\x07'"},
      {" --catalog " DATA " run det-equal-pass --seed \"$(printf '1\\033[2J')\"", "'1\\x1b[2J'"},
      {" --catalog " DATA " run \"$(printf 'id\\377\\302\\233')\"", "'id\\xff\\xc2\\x9b'"},
      {" \"$(printf 'cmd\\033[31m')\"", "'cmd\\x1b[31m'"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cr_expect_eq(run(out, sizeof out, BIN "%s", cases[i][0]), 2, "%s", cases[i][0]);
    cr_expect(strchr(out, '\033') == NULL && strchr(out, '\a') == NULL && strchr(out, '\377') == NULL,
              "raw control byte echoed for %s", cases[i][0]);
    cr_expect(strstr(out, cases[i][1]) != NULL, "%s: %s", cases[i][1], out);
  }
  /* A catalog error quotes the offending line. */
  char path[] = "/tmp/tcliXXXXXX.thm";
  int fd = mkstemps(path, 4);
  cr_assert(fd >= 0);
  const char *text = "[bad\033[2Jid]\nsource = s\n";
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog %s list", path), 2);
  cr_expect(strchr(out, '\033') == NULL, "%s", out);
  cr_expect(strstr(out, "bad\\x1b[2Jid") != NULL, "%s", out);
  unlink(path);
}
