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

/* -o never replaces something that is not a regular file: rename() would
 * replace a FIFO, a link or (as root) a device node by a regular file. */
Test(cli, output_must_be_a_regular_file)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(run(out, sizeof out, "cd %s && mkfifo fifo && echo keep >real && ln -s real link && mkdir sub "
                                    "&& mkdir aud && ln -s ../real aud/audit.json", dir), 0, "%s", out);
  const char *targets[] = {"fifo", "link", "sub"};
  for (size_t i = 0; i < 3; i++) {
    cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run rate-pass --quiet -o %s/%s", dir, targets[i]), 2, "%s", targets[i]);
    char named[128];
    snprintf(named, sizeof named, "-o %s/%s: exists and is a", dir, targets[i]);
    cr_expect(strstr(out, named) != NULL, "%s", out);
  }
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " audit --quiet -o %s/aud", dir), 2);
  cr_expect(strstr(out, "aud/audit.json: exists and is a symbolic link") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, "cd %s && test -p fifo && test -L link && test -d sub && test -L aud/audit.json "
                                    "&& test \"$(cat real)\" = keep && ls aud", dir), 0, "%s", out);
  cr_expect_str_eq(out, "audit.json\n", "nothing written beside the link");
  cr_expect_eq(run(out, sizeof out, "rm -rf %s", dir), 0);
}

/* An unusable -o is found before the run, not after it: these runs would
 * take far longer than the timeout. */
Test(cli, output_checked_before_the_run, .timeout = 30)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(run(out, sizeof out, "mkdir -p %s/aud/audit.md && touch %s/file", dir, dir), 0);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --quiet --instances 100000000 -o /nonexistent-dir/r.md"), 2);
  cr_expect(strstr(out, "-o /nonexistent-dir/r.md: directory /nonexistent-dir:") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --quiet --instances 100000000 -o %s/file/r.md", dir), 2);
  cr_expect(strstr(out, "/file/r.md") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " audit --quiet --instances 100000000 -o %s/aud", dir), 2);
  cr_expect(strstr(out, "aud/audit.md: exists and is a directory") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " audit --quiet --instances 100000000 -o %s/file", dir), 2);
  cr_expect(strstr(out, "-o ") != NULL && strstr(out, "/file is not a directory") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, "rm -rf %s", dir), 0);
}

/* Output that did not reach stdout is an error (it was exit 0). */
Test(cli, stdout_write_error_is_an_error)
{
  const char *cmds[] = {" --catalog " DATA " list", " --catalog " DATA " show rate-pass", " --help", " list --checks",
                        " --catalog " DATA " run rate-pass --quiet --format json"};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    cr_expect_eq(run(out, sizeof out, "{ " BIN "%s >/dev/full; }", cmds[i]), 2, "%s", cmds[i]);
    cr_expect(strstr(out, "cannot write to standard output") != NULL, "%s: %s", cmds[i], out);
  }
}

/* The seed (S) an audit file names, or 0. */
static unsigned long file_seed(const char *dir, const char *name, const char *key)
{
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return 0;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  const char *at = strstr(buf, key);
  return at ? strtoul(at + strlen(key), NULL, 10) : 0;
}

/* Two audits into one directory at once: whichever finishes last wins, but
 * the three reports always come from one run (old code renamed them one by
 * one, so the sets interleaved) and the manifest matches them. */
Test(cli, concurrent_audits_never_mix_sets, .timeout = 120)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  for (int round = 0; round < 20; round++) {
    cr_assert_eq(run(out, sizeof out, "(" BIN " --catalog " DATA " audit -o %s --quiet --instances 5 --seed 101 & "
                                      BIN " --catalog " DATA " audit -o %s --quiet --instances 5 --seed 202 & wait) >/dev/null 2>&1",
                     dir, dir), 0);
    unsigned long md = file_seed(dir, "audit.md", "· seed ");
    unsigned long tex = file_seed(dir, "audit.tex", ", seed ");
    unsigned long json = file_seed(dir, "audit.json", "\"seed\": ");
    cr_expect(md == 101 || md == 202, "round %d: md seed %lu", round, md);
    cr_expect(md == tex && tex == json, "round %d: mixed set md %lu tex %lu json %lu", round, md, tex, json);
    cr_expect_eq(run(out, sizeof out, "cd %s && sha256sum --quiet -c audit.manifest && ls -A", dir), 0, "round %d: %s", round, out);
    cr_expect_str_eq(out, ".thmcheck.lock\naudit.json\naudit.manifest\naudit.md\naudit.tex\n", "round %d: no temporaries", round);
  }
  cr_expect_eq(run(out, sizeof out, "rm -rf %s", dir), 0);
}
