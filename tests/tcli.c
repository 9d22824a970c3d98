/* The thmcheck command line: exit statuses, messages naming the flag or
 * file:line, and that nothing half-written is left behind. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
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
      {"--format pdf", "--format"}, {"--param novalue", "--param"}, {"--seed", "--seed"},
      {"--jobs 0", "--jobs"}, {"--jobs 257", "--jobs"}, {"--jobs x", "--jobs"}};
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
  /* The loader names the byte rather than quoting the line. */
  cr_expect(strstr(out, ":1: byte 5: control character U+001B") != NULL, "%s", out);
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
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --quiet --instances 1000000 -o /nonexistent-dir/r.md"), 2);
  cr_expect(strstr(out, "-o /nonexistent-dir/r.md: directory /nonexistent-dir:") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " run det-equal-pass --quiet --instances 1000000 -o %s/file/r.md", dir), 2);
  cr_expect(strstr(out, "/file/r.md") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " audit --quiet --instances 1000000 -o %s/aud", dir), 2);
  cr_expect(strstr(out, "aud/audit.md: exists and is a directory") != NULL, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " audit --quiet --instances 1000000 -o %s/file", dir), 2);
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

/* ---- flags: said once, meant once ----------------------------------------- */

static void expect_usage_error(const char *args, const char *fragment)
{
  cr_expect_eq(run(out, sizeof out, "timeout 20 " BIN " %s", args), 2, "%s: %s", args, out);
  cr_expect(strstr(out, fragment) != NULL, "%s: '%s' not in: %s", args, fragment, out);
}

#define RUN_OK "--catalog " DATA " run det-equal-pass --quiet "

/* strtoull took " -1" as 2^64-1: numbers are digits only. */
Test(cli, numbers_are_digits_only)
{
  expect_usage_error(RUN_OK "--seed ' -1'", "--seed needs a whole number");
  expect_usage_error(RUN_OK "--seed=+1", "--seed");
  expect_usage_error(RUN_OK "--seed 18446744073709551616", "--seed");
  expect_usage_error(RUN_OK "--instances ' 5'", "--instances");
  expect_usage_error(RUN_OK "--confidence ' 0.5'", "--confidence");
  expect_usage_error("--catalog " DATA " reproduce det-equal-pass --seed 1 --instance ' 1'", "--instance");
  cr_expect_eq(run(out, sizeof out, BIN " " RUN_OK "--seed 18446744073709551615"), 0, "%s", out);
}

Test(cli, a_flag_given_twice_is_an_error)
{
  expect_usage_error(RUN_OK "--seed 1 --seed 2", "--seed given more than once");
  expect_usage_error(RUN_OK "--format md --format=json", "--format given more than once");
  expect_usage_error(RUN_OK "-o /tmp/a -o /tmp/b", "-o given more than once");
  expect_usage_error(RUN_OK "--catalog " DATA, "--catalog given more than once");
  expect_usage_error(RUN_OK "--param value=1 --param value=2",
                     "--param value=2: parameter 'value' is already fixed by --param value=1");
  /* Different names may each be fixed once. */
  cr_expect_eq(run(out, sizeof out, BIN " " RUN_OK "--param value=1 --param rows=3"), 0, "%s", out);
}

/* A flag the command does not read used to be ignored silently. */
Test(cli, a_flag_the_command_does_not_use_is_an_error)
{
  const char *cases[][2] = {
      {"run det-equal-pass --instance 0", "--instance is not an option of 'run'"},
      {"audit --format json", "--format is not an option of 'audit'"},
      {"list --seed 1", "--seed is not an option of 'list'"},
      {"list --quiet", "--quiet is not an option of 'list'"},
      {"show det-equal-pass --instances 3", "--instances is not an option of 'show'"},
      {"reproduce det-equal-pass --instance 0 --seed 1 -o /tmp/x", "-o is not an option of 'reproduce'"},
      {"reproduce det-equal-pass --instance 0 --seed 1 --confidence 0.9", "--confidence is not an option"},
      {"run det-equal-pass --checks", "--checks is not an option of 'run'"},
      {"list det-equal-pass", "list takes no claim ids"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char args[256];
    snprintf(args, sizeof args, "--catalog " DATA " %s", cases[i][0]);
    expect_usage_error(args, cases[i][1]);
  }
}

Test(cli, empty_catalog_flag_names_the_flag)
{
  expect_usage_error("--catalog '' list", "--catalog needs a directory or file");
  expect_usage_error("list --catalog=", "--catalog needs a directory or file");
}

/* GNU conventions: options before or after the command, --opt=VALUE, '--'. */
Test(cli, options_before_and_after_the_command)
{
  cr_expect_eq(run(out, sizeof out, BIN " run det-equal-pass --catalog " DATA " --quiet"), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " --quiet --catalog=" DATA " run det-equal-pass"), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " run --catalog " DATA " --quiet -- det-equal-pass"), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " show det-equal-pass --catalog " DATA), 0, "%s", out);
  cr_expect_eq(run(out, sizeof out, BIN " run det-equal-pass --help"), 0);
  cr_expect(strstr(out, "Usage: thmcheck") == out, "%s", out);
  expect_usage_error("--catalog " DATA " run det-equal-pass --inst 3", "ambiguous option '--inst'");
  expect_usage_error("--catalog " DATA " run det-equal-pass --quiet=yes", "--quiet takes no value");
}

/* reproduce --instance past the claim's instances used to run the last
 * point under a seed no report ever printed. */
Test(cli, reproduce_instance_must_exist)
{
  /* det-equal-pass: one point x 3 instances, no search. */
  expect_usage_error("--catalog " DATA " reproduce det-equal-pass --instance 3 --seed 1",
                     "--instance 3: claim [det-equal-pass] has instances 0 to 2");
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " reproduce det-equal-pass --instance 2 --seed 1"), 0, "%s", out);
  /* det-range-fail: 20 instances and 20 search steps, numbered 20..39. */
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " reproduce det-range-fail --instance 39 --seed 1 "
                   "--param value=1"), 0, "%s", out);
  expect_usage_error("--catalog " DATA " reproduce det-range-fail --instance 40 --seed 1",
                     "has instances 0 to 39 (1 grid points x 20 instances and its search steps)");
  /* --instances changes how many there are. */
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " DATA " reproduce det-equal-pass --instance 5 --seed 1 --instances 6"), 0, "%s", out);
}

/* A non-numeric value for a numeric parameter used to run and end in ERROR
 * (exit 3) blamed on the catalog's line. */
Test(cli, param_value_is_blamed_on_the_flag)
{
  expect_usage_error("--catalog " DATA " run prob-pass --param p=abc",
                     "--param p=abc: 'abc' is not a number, but p is numeric in claim [prob-pass]");
  expect_usage_error("--catalog " DATA " run prob-pass --param p=1e-320",
                     "'1e-320' is below double's normal range");
  expect_usage_error("--catalog " DATA " run prob-pass --param p=1e400", "'1e400' is beyond double's range");
  expect_usage_error("--catalog " DATA " run prob-pass --param 'p= 0.5'", "--param p= 0.5: VALUE must be");
  expect_usage_error("--catalog " DATA " run prob-pass --param '9p=1'", "NAME must be a plain identifier");
  expect_usage_error("--catalog " DATA " run prob-pass --param 'shape=a;b'", "--param shape=a;b: VALUE must be");
}

/* ---- limits (tc_limits.h): rejected before anything is allocated ---------- */

Test(cli, instance_counts_are_capped)
{
  /* 10^8 used to grow memory by ~110 MB/s before any instance ran. */
  expect_usage_error(RUN_OK "--instances 100000000", "--instances needs a whole number from 1 to 1000000");
  expect_usage_error(RUN_OK "--instances 1000001", "--instances");
  /* rate-pass has 4 grid points: 4 x 300000 runs is over the per-claim cap. */
  expect_usage_error("--catalog " DATA " run rate-pass --instances 300000",
                     "--instances: claim [rate-pass]: 4 grid points x 300000 instances is more than 1000000");
}

Test(cli, precision_bits_are_capped)
{
  expect_usage_error(RUN_OK "--precision mpfr:4097", "53 <= BITS <= 4096");
  expect_usage_error(RUN_OK "--precision both:52", "--precision");
  expect_usage_error(RUN_OK "--precision mpfr:+64", "--precision");
  cr_expect_eq(run(out, sizeof out, BIN " " RUN_OK "--precision mpfr:53"), 0, "%s", out);
}

/* --precision names a set of backends of the engine's table: words joined
 * by '+' ("both" = double+mpfr), each once, :BITS only for a set that runs
 * at the bits. */
Test(cli, precision_is_a_set_of_backends)
{
  expect_usage_error(RUN_OK "--precision double:64", "--precision");
  expect_usage_error(RUN_OK "--precision mpfr+mpfr", "--precision");
  expect_usage_error(RUN_OK "--precision both+double", "--precision");
  expect_usage_error(RUN_OK "--precision mpfr+", "--precision");
  expect_usage_error(RUN_OK "--precision +mpfr", "--precision");
  cr_expect_eq(run(out, sizeof out, BIN " " RUN_OK "--format json --precision mpfr+double:64"), 0, "%s", out);
  cr_expect(strstr(out, "\"precision\": \"both\"") && strstr(out, "\"mpfr_bits\": 64"), "%s", out);
}

/* A FIFO named *.thm used to block forever, /dev/zero to fill memory. */
Test(cli, catalog_must_be_a_regular_file, .timeout = 60)
{
  char dir[] = "/tmp/tcliXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char fifo[64], args[128];
  snprintf(fifo, sizeof fifo, "%s/x.thm", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  snprintf(args, sizeof args, "--catalog %s list", fifo);
  expect_usage_error(args, "x.thm: not a regular file");
  snprintf(args, sizeof args, "--catalog %s list", dir);
  expect_usage_error(args, "x.thm: not a regular file");
  expect_usage_error("--catalog /dev/zero list", "/dev/zero: not a regular file");
  unlink(fifo);
  snprintf(args, sizeof args, "--catalog %s list", dir);
  expect_usage_error(args, "no *.thm catalog files");
  rmdir(dir);
}

/* A misspelt output name is an input error at load (exit 2, file:line),
 * not an ERROR after every instance ran. */
Test(cli, misspelt_output_is_an_input_error)
{
  char path[] = "/tmp/tcliXXXXXX.thm";
  int fd = mkstemps(path, 4);
  cr_assert(fd >= 0);
  const char *text = "[ok-id]\nsource = s\nstatement = x\nkind = deterministic\ncheck = calibration\n"
                     "lhs = yy\nrhs = 1\nparam shape = sequence\n";
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog %s run ok-id", path), 2);
  char where[64];
  snprintf(where, sizeof where, "%s:6: lhs: 'yy'", path);
  cr_expect(strstr(out, where) != NULL, "%s", out);
  unlink(path);
}

/* --jobs changes the wall time only: the same report bytes at 1 and 3
 * threads, over claims with a worst-case search, errors and every kind. */
Test(cli, jobs_do_not_change_the_report)
{
  const char *cmd = BIN " --catalog " DATA " run det-range-fail det-search-tight prob-fail exp-pass "
                    "rate-pass det-nan-error --quiet --format json --jobs %d";
  static char one[1 << 20], three[1 << 20];
  cr_expect_eq(run(one, sizeof one, cmd, 1), 1, "%s", one);
  cr_expect_eq(run(three, sizeof three, cmd, 3), 1, "%s", three);
  cr_expect(strlen(one) > 1000, "%s", one);
  cr_expect_str_eq(one, three);
  expect_usage_error("--catalog " DATA " list --jobs 2", "--jobs is not an option of 'list'");
}

/* run with an id twice ran the claim twice and wrote two report sections
 * with one anchor: a usage error now. */
Test(cli, claim_id_given_twice)
{
  expect_usage_error("--catalog " DATA " run det-equal-pass rate-pass det-equal-pass --quiet",
                     "claim id 'det-equal-pass' given twice");
}

/* show prints every key an author wrote that decides the check: the
 * objective keys, error, baseline and the mutants were missing. */
Test(cli, show_prints_objective_keys_and_mutants)
{
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " TC_SRCDIR "/theorems/objectives.thm"
                   " show sgd-pl-constant-step-lstsq-expr"), 0, "%s", out);
  const char *want[] = {"variables    = x[2]", "objective    = 0.5 * (a1*x1 + a2*x2 - b)^2",
                        "data         = a1, a2, b; 2, 0, 1;", "start        = 2, 2",
                        "mutant       rhs = 0.5 * rhs"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]) != NULL, "'%s' not in: %s", want[i], out);
  cr_expect_eq(run(out, sizeof out, BIN " --catalog " TC_SRCDIR "/theorems/objectives.thm"
                   " show pl-gd-rate-nonconvex-expr"), 0, "%s", out);
  cr_expect(strstr(out, "fstar        = 0\n") && strstr(out, "error        = gap_err\n") &&
            strstr(out, "baseline     = gap0\n"), "%s", out);
}

/* -o naming a file of the catalog being run (the file itself, a hard link
 * to it, or a *.thm of a catalog directory) would destroy the run's input:
 * refused before the run, and the catalog is left intact. */
Test(cli, output_over_the_catalog_is_refused)
{
  char dir[] = "/tmp/tcli-catXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  cr_assert_eq(run(out, sizeof out, "cp " DATA " %s/c.thm && ln %s/c.thm %s/link.md", dir, dir, dir), 0, "%s", out);
  const char *cases[][2] = {{"%s/c.thm", "c.thm"}, {"%s/c.thm", "link.md"}, {"%s", "c.thm"}};
  for (size_t i = 0; i < 3; i++) {
    char cat[128];
    snprintf(cat, sizeof cat, cases[i][0], dir);
    cr_expect_eq(run(out, sizeof out, BIN " run det-equal-pass --quiet --catalog %s -o %s/%s", cat, dir, cases[i][1]), 2, "%s", out);
    cr_expect(strstr(out, "is a file of the catalog being run") != NULL, "%s", out);
    cr_expect_eq(run(out, sizeof out, "cmp %s/c.thm " DATA, dir), 0, "catalog replaced: %s", out);
  }
  cr_expect_eq(run(out, sizeof out, BIN " audit --shard 1/2 --quiet --catalog %s -o %s/c.thm", dir, dir), 2, "%s", out);
  cr_expect(strstr(out, "is a file of the catalog being run") != NULL, "%s", out);
  run(out, sizeof out, "rm -r %s", dir);
}

/* `-o --quiet` once wrote a report named --quiet, `-o -` one named -. */
Test(cli, output_that_looks_like_an_option_is_refused)
{
  const char *cases[] = {"-o --quiet", "-o -", "--output -x", "--catalog --quiet"};
  for (size_t i = 0; i < 4; i++) {
    cr_expect_eq(run(out, sizeof out, "cd /tmp && " BIN " run det-equal-pass %s", cases[i]), 2, "%s", cases[i]);
    cr_expect(strstr(out, "looks like an option") != NULL, "%s: %s", cases[i], out);
  }
}
