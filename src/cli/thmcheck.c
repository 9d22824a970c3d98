/* thmcheck — command-line front end.  All decisions are the library's;
 * this file parses flags, loads the catalog, prints and sets the exit
 * status: 0 all PASS, 1 any FAIL, 2 usage or input error, 3 any ERROR,
 * 4 any INCONCLUSIVE. */
#include <config.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cblas.h>
#include <gsl/gsl_errno.h>
#include "thmcheck.h"

#define EXIT_USAGE 2
#define EXIT_DONE (-1) /* --help or --version: stop, exit status 0 */

/* The limits quoted in usage_text and the man page. */
_Static_assert(TC_MAX_INSTANCES == 1000000 && TC_MAX_JOBS == 1000000 && TC_MIN_BITS == 53 &&
               TC_MAX_BITS == 4096 && TC_MAX_CATALOG_BYTES == 1048576 && TC_MAX_THREADS == 256,
               "update usage_text, man/thmcheck.1 and docs/CATALOG.md");

static const char usage_text[] =
    "Usage: thmcheck COMMAND [ARGS] [OPTIONS]   (options may also come before COMMAND)\n"
    "\n"
    "Commands:\n"
    "  list [--checks]            list the catalog's claims (or the check modules)\n"
    "  show ID                    print one catalog entry\n"
    "  run ID... [OPTIONS]        check the given claims; report on stdout or -o FILE\n"
    "  audit [-o DIR] [OPTIONS]   check every claim; write DIR/audit.md, .tex, .json\n"
    "                             (DIR defaults to reports)\n"
    "  reproduce ID --instance K --seed S [OPTIONS]\n"
    "                             re-run one instance alone and print its rows\n"
    "  audit --shard K/N [-o FILE] [OPTIONS]\n"
    "                             run the K-th of N slices of the audit (whole\n"
    "                             claims); write its partial result to FILE\n"
    "                             (default shard-K-of-N.json)\n"
    "  merge PARTIAL... [-o DIR]  merge the N partial results of a sharded audit\n"
    "                             into DIR/audit.md, .tex, .json (default reports)\n"
    "\n"
    "Options (each at most once; [the commands that take it]):\n"
    "  --instances N              instances per parameter point, 1 to 1000000, and at\n"
    "                             most 1000000 per claim (default: the catalog's)\n"
    "                             [run audit reproduce]\n"
    "  --seed S                   global seed, digits only (default 20261123)\n"
    "                             [run audit reproduce]\n"
    "  --precision P              double | mpfr[:BITS] | both[:BITS], 53 <= BITS <= 4096\n"
    "                             (default both:128) [run audit reproduce]\n"
    "  --confidence C             confidence level in (0,1) (default 0.99) [run audit]\n"
    "  --jobs N                   instances run on N threads, 1 to 256 (default: one per\n"
    "                             core); the results do not depend on N\n"
    "                             [run audit reproduce]\n"
    "  --param NAME=VALUE         fix a parameter to one value; repeatable, once per NAME\n"
    "                             [run audit reproduce]\n"
    "  --format md|tex|json       report format (default md) [run]\n"
    "  -o, --output PATH          report file [run], directory [audit merge] or\n"
    "                             partial result file [audit --shard]\n"
    "  --shard K/N                shard K of N, 1 <= K <= N <= 100000 [audit]\n"
    "  --instance K               the instance to re-run [reproduce]\n"
    "  --first-index K            number the instances from K (re-runs a shrunk\n"
    "                             counterexample's fresh sample) [run]\n"
    "  --quiet                    no progress line [run audit reproduce]\n"
    "  --checks                   list the check modules instead of the claims [list]\n"
    "  --catalog DIR|FILE         catalog (default: $THMCHECK_CATALOG, ./theorems,\n"
    "                             then the installed catalog); regular files of at\n"
    "                             most 1 MiB each; merge needs the shards' catalog\n"
    "                             [every command]\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 every claim PASS; 1 some claim FAIL; 2 usage or input error;\n"
    "3 some claim ERROR (and none FAIL); 4 some claim INCONCLUSIVE (and none FAIL/ERROR).\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
  /* The message quotes user text: escape what could drive the terminal. */
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  int len = vasprintf(&msg, fmt, ap);
  va_end(ap);
  fputs("thmcheck: ", stderr);
  tc_term_fputs(stderr, len < 0 ? fmt : msg);
  free(msg);
  fputs("\nTry 'thmcheck --help'.\n", stderr);
  return EXIT_USAGE;
}

/* "thmcheck: MSG" for a library message, which may quote user text. */
static void print_error(const char *msg)
{
  fputs("thmcheck: ", stderr);
  tc_term_fputs(stderr, msg);
  fputc('\n', stderr);
}

/* The -o target, before any work: a file for run, a directory (created
 * if absent) for audit.  0, or the exit status of the error. */
static int check_output(const char *path, int is_dir)
{
  char err[512] = "";
  int status = is_dir ? tc_report_prepare_dir(path, err, sizeof err)
                      : tc_report_check_file(path, err, sizeof err);
  if (status == TC_SUCCESS)
    return 0;
  fputs("thmcheck: -o ", stderr);
  tc_term_fputs(stderr, err);
  fputc('\n', stderr);
  return EXIT_USAGE;
}

static int same_file(const struct stat *a, const char *path)
{
  struct stat b;
  return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Whether the -o file is one of the catalog's .thm files (the file given
 * with --catalog FILE, or a *.thm of the catalog directory): a report
 * written there would destroy the input of the run it reports on. */
static int output_is_catalog(const char *out, const char *catalog)
{
  struct stat so, sc;
  if (catalog == NULL || stat(out, &so) != 0 || stat(catalog, &sc) != 0)
    return 0;
  if (!S_ISDIR(sc.st_mode))
    return so.st_dev == sc.st_dev && so.st_ino == sc.st_ino;
  DIR *d = opendir(catalog);
  int hit = 0;
  for (struct dirent *e; d && !hit && (e = readdir(d)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len < 4 || strcmp(e->d_name + len - 4, ".thm") != 0)
      continue;
    char *p = malloc(strlen(catalog) + len + 2);
    if (p == NULL)
      break;
    sprintf(p, "%s/%s", catalog, e->d_name);
    hit = same_file(&so, p);
    free(p);
  }
  if (d)
    closedir(d);
  return hit;
}

/* check_output for a report file, which must also not be the catalog. */
static int check_output_file(const char *path, const char *catalog)
{
  int rc = check_output(path, 0);
  if (rc == 0 && output_is_catalog(path, catalog)) {
    fputs("thmcheck: -o ", stderr);
    tc_term_fputs(stderr, path);
    fputs(": is a file of the catalog being run; refusing to replace it\n", stderr);
    rc = EXIT_USAGE;
  }
  return rc;
}

/* A report, list or help text that did not reach stdout (a full disk,
 * a closed pipe) is an error, not exit 0: checked when the process ends. */
static void close_stdout(void)
{
  if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
    fprintf(stderr, "thmcheck: cannot write to standard output: %s\n", strerror(errno));
    _exit(EXIT_USAGE);
  }
}

/* Every option; a command takes a set of them (commands[] below), so a
 * flag it would ignore is an error rather than a silent no-op. */
enum {
  O_CATALOG, O_INSTANCES, O_SEED, O_PRECISION, O_CONFIDENCE, O_PARAM, O_FORMAT, O_OUTPUT,
  O_INSTANCE, O_QUIET, O_CHECKS, O_HELP, O_VERSION, O_FIRST_INDEX, O_JOBS, O_SHARD, O_COUNT
};
static const char *const flag_names[O_COUNT] = {
  "--catalog", "--instances", "--seed", "--precision", "--confidence", "--param", "--format",
  "--output", "--instance", "--quiet", "--checks", "--help", "--version",
  "--first-index", "--jobs", "--shard"};
#define BIT(o) (1u << (o))
#define OPT_VAL(o) (256 + (o)) /* clear of short options and getopt's 1, '?', ':' */

static const struct option long_options[] = {
  {"catalog", required_argument, NULL, OPT_VAL(O_CATALOG)},
  {"instances", required_argument, NULL, OPT_VAL(O_INSTANCES)},
  {"seed", required_argument, NULL, OPT_VAL(O_SEED)},
  {"precision", required_argument, NULL, OPT_VAL(O_PRECISION)},
  {"confidence", required_argument, NULL, OPT_VAL(O_CONFIDENCE)},
  {"param", required_argument, NULL, OPT_VAL(O_PARAM)},
  {"format", required_argument, NULL, OPT_VAL(O_FORMAT)},
  {"output", required_argument, NULL, OPT_VAL(O_OUTPUT)},
  {"instance", required_argument, NULL, OPT_VAL(O_INSTANCE)},
  {"quiet", no_argument, NULL, OPT_VAL(O_QUIET)},
  {"checks", no_argument, NULL, OPT_VAL(O_CHECKS)},
  {"help", no_argument, NULL, OPT_VAL(O_HELP)},
  {"version", no_argument, NULL, OPT_VAL(O_VERSION)},
  {"first-index", required_argument, NULL, OPT_VAL(O_FIRST_INDEX)},
  {"jobs", required_argument, NULL, OPT_VAL(O_JOBS)},
  {"shard", required_argument, NULL, OPT_VAL(O_SHARD)},
  {NULL, 0, NULL, 0}};

typedef struct cli cli;

typedef struct {
  const char *name;
  int (*fn)(cli *, const tc_catalog *);
  unsigned options;
} command;

struct cli {
  const char *catalog;
  const char *catalog_path;   /* the catalog actually loaded (file or directory) */
  tc_run_options run;
  tc_override *overrides;
  size_t noverrides;
  tc_format format;
  const char *output;
  int quiet;
  int checks;
  long instance;
  int seed_given;
  tc_shard shard;             /* --shard K/N; n == 0: not sharded */
  const char **ids;
  size_t nids;
  const command *cmd;
  unsigned given;             /* BIT(O_*) of the options seen */
  const char *spelled[O_COUNT]; /* how each was written (-o, --output), for messages */
};

/* Digits only: strtoull alone would take " -1" as 2^64 - 1. */
static int parse_digits(uint64_t *v, const char *s)
{
  if (*s == '\0')
    return 0;
  for (const char *q = s; *q; q++)
    if (!isdigit((unsigned char)*q))
      return 0;
  errno = 0;
  unsigned long long x = strtoull(s, NULL, 10);
  if (errno != 0)
    return 0;
  *v = (uint64_t)x;
  return 1;
}

/* A whole-text decimal number, without the leading blanks strtod skips. */
static int parse_real(double *v, const char *s)
{
  if (!(isdigit((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.'))
    return 0;
  char *end;
  errno = 0;
  *v = strtod(s, &end);
  return *end == '\0' && errno == 0 && isfinite(*v);
}

/* Why parse_real refused S: a decimal number strtod cannot hold as a
 * normal double is named as such, not as "not a number". */
static const char *number_problem(const char *s)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0' || isnan(v))
    return "is not a number";
  if (isinf(v) || (errno == ERANGE && fabs(v) > 1))
    return "is beyond double's range (|x| <= 1.8e308)";
  if (errno == ERANGE)
    return "is below double's normal range (|x| >= 2.2e-308, or 0)";
  return "is not a plain decimal number";
}

/* WORD[+WORD...][:BITS]: each word a backend's name (tc_backends) or
 * "both" (double and MPFR); :BITS only when a backend of the set runs at
 * the given bits (mpfr:BITS, both:BITS). */
static int parse_precision(cli *c, const char *s)
{
  const char *colon = strchr(s, ':');
  size_t head = colon ? (size_t)(colon - s) : strlen(s);
  int set = 0, bits_used = 0;
  for (size_t at = 0; at <= head;) {
    size_t len = strcspn(s + at, "+:");
    if (len > head - at)
      len = head - at;
    char word[32];
    if (len == 0 || len >= sizeof word)
      return 0;
    memcpy(word, s + at, len);
    word[len] = '\0';
    int b = tc_backend_find(word);
    int add = strcmp(word, "both") == 0 ? TC_PREC_BOTH : b >= 0 ? 1 << b : 0;
    if (add == 0 || (set & add))
      return 0;
    set |= add;
    at += len + 1;
  }
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    bits_used |= (set & (1 << b)) && tc_backends[b].uses_bits;
  if (colon && !bits_used)
    return 0;
  c->run.precision = set;
  if (colon) {
    uint64_t bits;
    if (!parse_digits(&bits, colon + 1) || bits < TC_MIN_BITS || bits > TC_MAX_BITS)
      return 0;
    c->run.bits = (mpfr_prec_t)bits;
  }
  return 1;
}

static int is_identifier(const char *s, size_t len)
{
  if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
    return 0;
  for (size_t i = 1; i < len; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
      return 0;
  return 1;
}

/* The catalog's rule for a value: a number, or a symbolic value of
 * letters, digits, '-' and '_' (e.g. nonconvex-pl). */
static int is_param_value(const char *s)
{
  double v;
  if (parse_real(&v, s))
    return 1;
  if (*s == '\0')
    return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_'))
      return 0;
  return 1;
}

/* --param NAME=VALUE: repeatable, but once per NAME. */
static int add_override(cli *c, const char *v)
{
  const char *eq = strchr(v, '=');
  if (eq == NULL || eq == v || eq[1] == '\0')
    return usage_error("--param needs NAME=VALUE, got '%s'", v);
  size_t len = (size_t)(eq - v);
  if (!is_identifier(v, len))
    return usage_error("--param %s: NAME must be a plain identifier", v);
  if (!is_param_value(eq + 1))
    return usage_error("--param %s: VALUE must be a number or a word of letters, digits, '-' and '_'", v);
  for (size_t k = 0; k < c->noverrides; k++)
    if (strlen(c->overrides[k].name) == len && strncmp(c->overrides[k].name, v, len) == 0)
      return usage_error("--param %s: parameter '%s' is already fixed by --param %s=%s", v,
                         c->overrides[k].name, c->overrides[k].name, c->overrides[k].value);
  tc_override *grown = realloc(c->overrides, (c->noverrides + 1) * sizeof *grown);
  char *name = grown ? strndup(v, len) : NULL;
  if (grown)
    c->overrides = grown;
  if (name == NULL)
    return usage_error("out of memory");
  c->overrides[c->noverrides].name = name;
  c->overrides[c->noverrides++].value = eq + 1;
  c->run.overrides = c->overrides;
  c->run.noverrides = c->noverrides;
  return 0;
}

/* The value of a counting or real-valued option. */
static int set_number(cli *c, int o, const char *flag, const char *v)
{
  uint64_t n;
  double x;
  switch (o) {
  case O_INSTANCES:
    if (!parse_digits(&n, v) || n == 0 || n > TC_MAX_INSTANCES)
      return usage_error("%s needs a whole number from 1 to %d (digits only), got '%s'", flag,
                         TC_MAX_INSTANCES, v);
    c->run.instances = (size_t)n;
    return 0;
  case O_SEED:
    if (!parse_digits(&c->run.seed, v))
      return usage_error("%s needs a whole number from 0 to 2^64-1 (digits only), got '%s'", flag, v);
    c->seed_given = 1;
    return 0;
  case O_JOBS:
    if (!parse_digits(&n, v) || n == 0 || n > TC_MAX_THREADS)
      return usage_error("%s needs a whole number from 1 to %d (digits only), got '%s'", flag,
                         TC_MAX_THREADS, v);
    c->run.jobs = (unsigned)n;
    return 0;
  case O_INSTANCE:
    if (!parse_digits(&n, v) || n > (uint64_t)LONG_MAX)
      return usage_error("%s needs a whole number >= 0 (digits only), got '%s'", flag, v);
    c->instance = (long)n;
    return 0;
  case O_FIRST_INDEX:
    if (!parse_digits(&n, v) || n > (uint64_t)SIZE_MAX / 2)
      return usage_error("%s needs a whole number >= 0 (digits only), got '%s'", flag, v);
    c->run.first_index = (size_t)n;
    return 0;
  default: /* O_CONFIDENCE */
    if (!parse_real(&x, v) || !(x > 0 && x < 1))
      return usage_error("%s needs a number strictly between 0 and 1, got '%s'", flag, v);
    c->run.confidence = x;
    return 0;
  }
}

static int set_option(cli *c, int o, const char *flag, const char *v)
{
  switch (o) {
  case O_CATALOG:
  case O_OUTPUT:
    if (*v == '\0')
      return usage_error("%s needs a %s, got ''", flag, o == O_CATALOG ? "directory or file" : "path");
    /* `-o --quiet` took the next option as the path and wrote a report
     * named --quiet; a path that is really meant to start with '-' can be
     * written ./-name. */
    if (v[0] == '-')
      return usage_error("%s needs a %s, got '%s', which looks like an option (write ./%s for a "
                         "file of that name)", flag, o == O_CATALOG ? "directory or file" : "path",
                         v, v);
    *(o == O_CATALOG ? &c->catalog : &c->output) = v;
    return 0;
  case O_PRECISION:
    if (!parse_precision(c, v))
      return usage_error("%s must be double, mpfr[:BITS] or both[:BITS] with %d <= BITS <= %d, got '%s'",
                         flag, TC_MIN_BITS, TC_MAX_BITS, v);
    return 0;
  case O_FORMAT:
    if (tc_format_parse(&c->format, v) != TC_SUCCESS)
      return usage_error("%s must be md, tex or json, got '%s'", flag, v);
    return 0;
  case O_PARAM:
    return add_override(c, v);
  case O_QUIET:
    c->quiet = 1;
    return 0;
  case O_SHARD:
    if (tc_shard_parse(&c->shard, v) != TC_SUCCESS)
      return usage_error("%s needs K/N with 1 <= K <= N <= %d (digits only), got '%s'", flag,
                         TC_MAX_SHARDS, v);
    return 0;
  case O_CHECKS:
    c->checks = 1;
    return 0;
  case O_HELP:
    fputs(usage_text, stdout);
    return EXIT_DONE;
  case O_VERSION:
    printf("thmcheck %s\n", PACKAGE_VERSION);
    return EXIT_DONE;
  default:
    return set_number(c, o, flag, v);
  }
}

static int cmd_list(cli *c, const tc_catalog *cat);
static int cmd_show(cli *c, const tc_catalog *cat);
static int cmd_run(cli *c, const tc_catalog *cat);
static int cmd_audit(cli *c, const tc_catalog *cat);
static int cmd_reproduce(cli *c, const tc_catalog *cat);
static int cmd_merge(cli *c, const tc_catalog *cat);

#define RUN_OPTIONS (BIT(O_CATALOG) | BIT(O_INSTANCES) | BIT(O_SEED) | BIT(O_PRECISION) | \
                     BIT(O_PARAM) | BIT(O_QUIET) | BIT(O_JOBS))
static const command commands[] = {
  {"list", cmd_list, BIT(O_CATALOG) | BIT(O_CHECKS)},
  {"show", cmd_show, BIT(O_CATALOG)},
  {"run", cmd_run, RUN_OPTIONS | BIT(O_CONFIDENCE) | BIT(O_FORMAT) | BIT(O_OUTPUT) | BIT(O_FIRST_INDEX)},
  {"audit", cmd_audit, RUN_OPTIONS | BIT(O_CONFIDENCE) | BIT(O_OUTPUT) | BIT(O_SHARD)},
  {"reproduce", cmd_reproduce, RUN_OPTIONS | BIT(O_INSTANCE)},
  {"merge", cmd_merge, BIT(O_CATALOG) | BIT(O_OUTPUT)},
};

/* The first word is the command, the others claim ids. */
static int add_word(cli *c, const char *word)
{
  if (c->cmd == NULL) {
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      if (strcmp(word, commands[i].name) == 0)
        c->cmd = &commands[i];
    if (c->cmd == NULL)
      return usage_error("unknown command '%s' (list, show, run, audit, reproduce, merge)", word);
    return 0;
  }
  const char **grown = realloc(c->ids, (c->nids + 1) * sizeof *grown);
  if (grown == NULL)
    return usage_error("out of memory");
  c->ids = grown;
  c->ids[c->nids++] = word;
  return 0;
}

/* getopt_long reported an error (opterr is off, so the message is ours). */
static int getopt_error(int ch, const char *token)
{
  int o = optopt - OPT_VAL(0);
  const char *name = o >= 0 && o < O_COUNT ? flag_names[o] : NULL;
  if (ch == ':')
    return usage_error("%s needs a value", optopt == 'o' ? "-o" : name ? name : token);
  if (name != NULL)
    return usage_error("%s takes no value, got '%s'", name, token);
  if (optopt != 0)
    return usage_error("unknown option '-%c'", optopt);
  size_t len = strcspn(token, "=");
  int matches = 0;
  for (int i = 0; len > 2 && i < O_COUNT; i++)
    matches += strncmp(flag_names[i], token, len) == 0;
  if (matches > 1)
    return usage_error("ambiguous option '%.*s' (abbreviates several options)", (int)len, token);
  return usage_error("unknown option '%s'", token);
}

/* GNU conventions: options before or after the command and the ids,
 * --opt VALUE or --opt=VALUE, unambiguous abbreviations, '--' ends the
 * options.  "-" first in the option string keeps words in order
 * whatever POSIXLY_CORRECT says. */
static int parse_args(cli *c, int argc, char **argv)
{
  opterr = 0;
  for (;;) {
    int at = optind;
    int ch = getopt_long(argc, argv, "-:ho:", long_options, NULL);
    if (ch == -1)
      break;
    int rc;
    if (ch == 1) {
      rc = add_word(c, optarg);
    } else if (ch == '?' || ch == ':') {
      rc = getopt_error(ch, argv[at]);
    } else {
      int o = ch == 'o' ? O_OUTPUT : ch == 'h' ? O_HELP : ch - OPT_VAL(0);
      const char *flag = ch == 'o' ? "-o" : ch == 'h' ? "-h" : flag_names[o];
      if ((c->given & BIT(o)) && o != O_PARAM)
        return usage_error("%s given more than once", flag);
      c->given |= BIT(o);
      c->spelled[o] = flag;
      rc = set_option(c, o, flag, optarg ? optarg : "");
    }
    if (rc)
      return rc;
  }
  for (int i = optind; i < argc; i++) {
    int rc = add_word(c, argv[i]);
    if (rc)
      return rc;
  }
  return 0;
}

/* A flag the command does not use is an error, not ignored. */
static int check_command_options(const cli *c)
{
  if (c->cmd == NULL)
    return usage_error("missing command (list, show, run, audit, reproduce, merge)");
  unsigned extra = c->given & ~c->cmd->options;
  for (int o = 0; o < O_COUNT; o++)
    if (extra & BIT(o))
      return usage_error("%s is not an option of '%s'", c->spelled[o], c->cmd->name);
  return 0;
}

/* A --param value that the claim declares numeric must be a number.  The
 * engine would take it as a symbolic value and the module would reject
 * it under the catalog's line; the mistake is the flag's. */
static int check_overrides(const cli *c, const tc_claim *const *claims, size_t n)
{
  for (size_t k = 0; k < c->noverrides; k++) {
    const tc_override *ov = &c->overrides[k];
    double v;
    if (parse_real(&v, ov->value))
      continue;
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < claims[i]->nparams; j++) {
        const tc_param *p = &claims[i]->params[j];
        int numeric = p->is_range;
        for (size_t q = 0; !p->is_range && q < p->nvalues; q++)
          numeric = q == 0 ? !isnan(p->values[q]) : numeric && !isnan(p->values[q]);
        if (numeric && strcmp(p->name, ov->name) == 0)
          return usage_error("--param %s=%s: '%s' %s, but %s is numeric in claim [%s] (%s:%d)",
                             ov->name, ov->value, ov->value, number_problem(ov->value), p->name,
                             claims[i]->id, claims[i]->file, p->line);
      }
  }
  return 0;
}

static int is_dir(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int load_catalog(tc_catalog **cat, const char *given, const char **loaded)
{
  const char *path = given;
  if (path == NULL)
    path = getenv("THMCHECK_CATALOG");
  if (path == NULL || *path == '\0')
    path = is_dir("theorems") ? "theorems" : TC_CATALOG_DIR;
  *loaded = path;
  char err[512] = "";
  int status = is_dir(path) ? tc_catalog_load_dir(cat, path, err, sizeof err)
                            : tc_catalog_load_file(cat, path, err, sizeof err);
  if (status != TC_SUCCESS) {
    print_error(err);
    return EXIT_USAGE;
  }
  return 0;
}

/* ---- progress ------------------------------------------------------ */

typedef struct {
  struct timespec start, last;
  int shown;
} progress_state;

static double seconds_since(const struct timespec *t)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t->tv_sec) + 1e-9 * (double)(now.tv_nsec - t->tv_nsec);
}

static void progress_line(void *data, const char *claim, size_t done, size_t total)
{
  progress_state *ps = data;
  /* Only for runs long enough to wonder about, and at most 5 times/s. */
  if (seconds_since(&ps->start) < 2.0 || (ps->shown && seconds_since(&ps->last) < 0.2 && done < total))
    return;
  clock_gettime(CLOCK_MONOTONIC, &ps->last);
  fprintf(stderr, "\r\033[K%s: %zu/%zu instance runs", claim, done, total);
  ps->shown = 1;
}

static void progress_end(progress_state *ps)
{
  if (ps->shown)
    fputs("\r\033[K", stderr);
}

/* ---- commands ------------------------------------------------------ */

static int cmd_list(cli *c, const tc_catalog *cat)
{
  if (c->nids)
    return usage_error("list takes no claim ids, got '%s'", c->ids[0]);
  if (c->checks) {
    for (size_t i = 0; i < tc_check_count(); i++)
      printf("%-14s %s\n", tc_check_at(i)->name, tc_check_at(i)->summary);
    return 0;
  }
  for (size_t i = 0; i < cat->n; i++) {
    const tc_claim *cl = &cat->claims[i];
    printf("%-34s %-13s %s%s\n", cl->id, tc_kind_name(cl->kind), cl->source,
           cl->corrects ? "  [correction]" : "");
  }
  return 0;
}

static int cmd_show(cli *c, const tc_catalog *cat)
{
  if (c->nids != 1)
    return usage_error("show needs exactly one claim id%s", "");
  const tc_claim *cl = tc_catalog_find(cat, c->ids[0]);
  if (cl == NULL)
    return usage_error("unknown claim id '%s' (see 'thmcheck list')", c->ids[0]);
  printf("[%s]  (%s:%d)\n", cl->id, cl->file, cl->line);
  const char *keys[] = {"title", "source", "statement", "hypotheses", "kind", "check", "lhs",
                        "rhs", "probability", "reference", "exponent", "error", "baseline",
                        "sweep", "index", "variables", "objective", "data", "fstar", "start",
                        "corrects", "remarks"};
  const char *vals[] = {cl->title, cl->source, cl->statement, cl->hypotheses,
                        tc_kind_name(cl->kind), cl->check_name, cl->lhs_text, cl->rhs_text,
                        cl->probability_text, cl->reference_text, cl->exponent_text,
                        cl->error_text, cl->baseline_text, cl->sweep_name, cl->index_name,
                        cl->variables_text, cl->objective_text, cl->data_text, cl->fstar_text,
                        cl->start_text, cl->corrects, cl->remarks};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (vals[i])
      printf("%-12s = %s\n", keys[i], vals[i]);
  for (size_t i = 0; i < cl->nmutants; i++)
    printf("mutant       %s\n", cl->mutants[i].text);
  printf("%-12s = %zu\n", "instances", cl->instances);
  if (cl->search)
    printf("%-12s = %zu\n", "search", cl->search);
  for (size_t i = 0; i < cl->nparams; i++) {
    const tc_param *p = &cl->params[i];
    printf("param %-6s = ", p->name);
    if (p->is_range)
      printf("%.17g .. %.17g%s\n", p->lo, p->hi, p->log_scale ? " log" : "");
    else
      for (size_t k = 0; k < p->nvalues; k++)
        printf("%s%s", p->texts[k], k + 1 < p->nvalues ? ", " : "\n");
  }
  return 0;
}

static int run_and_collect(tc_run_result **res, cli *c, const tc_claim *const *claims, size_t n)
{
  int rc = check_overrides(c, claims, n);
  if (rc)
    return rc;
  progress_state ps;
  clock_gettime(CLOCK_MONOTONIC, &ps.start);
  ps.last = ps.start;
  ps.shown = 0;
  if (!c->quiet && isatty(STDERR_FILENO)) {
    c->run.progress = progress_line;
    c->run.progress_data = &ps;
  }
  char err[512] = "";
  int status = tc_run_claims(res, claims, n, &c->run, err, sizeof err);
  progress_end(&ps);
  if (status != TC_SUCCESS) {
    print_error(err[0] ? err : tc_strerror(status));
    return EXIT_USAGE;
  }
  return 0;
}

static int resolve_ids(const tc_claim ***out, const cli *c, const tc_catalog *cat)
{
  const tc_claim **claims = calloc(c->nids ? c->nids : 1, sizeof *claims);
  if (claims == NULL)
    return EXIT_USAGE;
  for (size_t i = 0; i < c->nids; i++) {
    claims[i] = tc_catalog_find(cat, c->ids[i]);
    if (claims[i] == NULL) {
      free(claims);
      return usage_error("unknown claim id '%s' (see 'thmcheck list')", c->ids[i]);
    }
    /* twice would run it twice and give the report two sections with one anchor */
    for (size_t j = 0; j < i; j++)
      if (claims[j] == claims[i]) {
        free(claims);
        return usage_error("claim id '%s' given twice", c->ids[i]);
      }
  }
  *out = claims;
  return 0;
}

static int cmd_run(cli *c, const tc_catalog *cat)
{
  if (c->nids == 0)
    return usage_error("run needs at least one claim id (see 'thmcheck list')%s", "");
  const tc_claim **claims;
  int rc = resolve_ids(&claims, c, cat);
  if (rc)
    return rc;
  if (c->output && (rc = check_output_file(c->output, c->catalog_path)) != 0) {
    free(claims);
    return rc;
  }
  tc_run_result *res = NULL;
  rc = run_and_collect(&res, c, claims, c->nids);
  free(claims);
  if (rc)
    return rc;
  char err[512] = "";
  int status = c->output ? tc_report_write_file(c->output, c->format, res, err, sizeof err)
                         : tc_report_write(stdout, c->format, res);
  if (status != TC_SUCCESS) {
    print_error(err[0] ? err : "cannot write the report");
    tc_run_result_free(res);
    return EXIT_USAGE;
  }
  rc = tc_run_exit_status(res);
  tc_run_result_free(res);
  return rc;
}

/* "ID   VERDICT" for each claim of a finished audit (or shard). */
static void print_verdicts(const tc_run_result *res)
{
  for (size_t i = 0; i < res->n; i++)
    fprintf(stderr, "%-34s %s\n", res->claims[i].claim->id, tc_verdict_name(res->claims[i].verdict));
}

/* audit --shard K/N: the shard's claims (tc_shard_has), run alone, and
 * their partial result for `merge`. */
static int cmd_audit_shard(cli *c, const tc_catalog *cat)
{
  char deflt[64];
  snprintf(deflt, sizeof deflt, "shard-%u-of-%u.json", c->shard.k, c->shard.n);
  const char *path = c->output ? c->output : deflt;
  int rc = check_output_file(path, c->catalog_path);
  if (rc)
    return rc;
  const tc_claim **claims = calloc(cat->n ? cat->n : 1, sizeof *claims);
  if (claims == NULL)
    return EXIT_USAGE;
  /* Every claim's input checks first (as the one-process audit makes
   * them), then the shard's claims alone. */
  for (size_t i = 0; i < cat->n; i++)
    claims[i] = &cat->claims[i];
  char err[512] = "";
  rc = check_overrides(c, claims, cat->n);
  if (rc == 0 && tc_run_preflight(claims, cat->n, &c->run, err, sizeof err) != TC_SUCCESS) {
    print_error(err);
    rc = EXIT_USAGE;
  }
  size_t n = 0;
  for (size_t i = 0; i < cat->n; i++)
    if (tc_shard_has(&c->shard, i))
      claims[n++] = &cat->claims[i];
  tc_run_result *res = NULL;
  if (rc == 0)
    rc = run_and_collect(&res, c, claims, n);
  free(claims);
  if (rc)
    return rc;
  if (tc_report_write_partial(path, res, &c->run, &c->shard, cat, err, sizeof err) != TC_SUCCESS) {
    print_error(err);
    tc_run_result_free(res);
    return EXIT_USAGE;
  }
  print_verdicts(res);
  fprintf(stderr, "shard %u/%u (%zu of %zu claims): partial result written to ", c->shard.k,
          c->shard.n, n, cat->n);
  tc_term_fputs(stderr, path);
  fputs("\n", stderr);
  rc = tc_run_exit_status(res);
  tc_run_result_free(res);
  return rc;
}

static int cmd_audit(cli *c, const tc_catalog *cat)
{
  if (c->nids)
    return usage_error("audit takes no claim ids (it checks them all), got '%s'", c->ids[0]);
  if (c->shard.n > 0)
    return cmd_audit_shard(c, cat);
  const char *dir = c->output ? c->output : "reports";
  int rc = check_output(dir, 1);
  if (rc)
    return rc;
  const tc_claim **claims = calloc(cat->n, sizeof *claims);
  if (claims == NULL)
    return EXIT_USAGE;
  for (size_t i = 0; i < cat->n; i++)
    claims[i] = &cat->claims[i];
  tc_run_result *res = NULL;
  rc = run_and_collect(&res, c, claims, cat->n);
  free(claims);
  if (rc)
    return rc;
  char err[512] = "";
  if (tc_report_write_audit(dir, res, NULL, err, sizeof err) != TC_SUCCESS) {
    print_error(err);
    tc_run_result_free(res);
    return EXIT_USAGE;
  }
  print_verdicts(res);
  fputs("reports written to ", stderr);
  tc_term_fputs(stderr, dir);
  fputs("/audit.{md,tex,json} (set: audit.manifest)\n", stderr);
  rc = tc_run_exit_status(res);
  tc_run_result_free(res);
  return rc;
}

/* merge PARTIAL...: the partials are checked (one run, every shard once,
 * the loaded catalog) before anything is written. */
static int cmd_merge(cli *c, const tc_catalog *cat)
{
  if (c->nids == 0)
    return usage_error("merge needs the partial results of every shard (audit --shard K/N)%s", "");
  tc_run_result *res = NULL;
  char err[512] = "";
  if (tc_report_merge(&res, c->ids, c->nids, cat, err, sizeof err) != TC_SUCCESS) {
    print_error(err);
    return EXIT_USAGE;
  }
  const char *dir = c->output ? c->output : "reports";
  int rc = check_output(dir, 1);
  if (rc == 0 && tc_report_write_audit(dir, res, NULL, err, sizeof err) != TC_SUCCESS) {
    print_error(err);
    rc = EXIT_USAGE;
  }
  if (rc == 0) {
    print_verdicts(res);
    fprintf(stderr, "%zu partial results merged; reports written to ", c->nids);
    tc_term_fputs(stderr, dir);
    fputs("/audit.{md,tex,json} (set: audit.manifest)\n", stderr);
    rc = tc_run_exit_status(res);
  }
  tc_run_result_free(res);
  return rc;
}

static void print_num(double v)
{
  if (isnan(v))
    printf("%24s", "-");
  else
    printf("%24.17g", v);
}

static int cmd_reproduce(cli *c, const tc_catalog *cat)
{
  if (c->nids != 1)
    return usage_error("reproduce needs exactly one claim id%s", "");
  if (c->instance < 0)
    return usage_error("reproduce needs --instance K%s", "");
  if (!c->seed_given)
    return usage_error("reproduce needs --seed S (the seed printed in the report)%s", "");
  const tc_claim **claims;
  int rc = resolve_ids(&claims, c, cat);
  if (rc)
    return rc;
  c->run.only_instance = c->instance;
  tc_run_result *res = NULL;
  rc = run_and_collect(&res, c, claims, 1);
  free(claims);
  if (rc)
    return rc;
  const tc_claim_result *cr = &res->claims[0];
  const tc_claim *cl = cr->claim;
  printf("claim %s, instance %ld, seed %llu\n", cl->id, c->instance, (unsigned long long)c->run.seed);
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const tc_precision_result *pr = &cr->prec[b];
    if (!pr->ran)
      continue;
    printf("\n%s run:\n", tc_backends[b].label);
    if (pr->has_witness)
      printf("  instance seed %llu, parameters %s\n", (unsigned long long)pr->witness.seed,
             pr->witness.params);
    if (pr->witness.note)
      printf("  note: %s\n", pr->witness.note);
    if (pr->errors)
      printf("  ERROR: %s\n", pr->first_error);
    for (size_t s = 0; s < pr->nseries; s++) {
      const tc_series *ser = &pr->series[s];
      printf("  %24s %24s %24s  lhs<=rhs\n", cl->index_name ? cl->index_name : "row", "lhs", "rhs");
      for (size_t k = 0; k < ser->n; k++) {
        printf("  ");
        print_num(ser->p[k].x);
        printf(" ");
        print_num(ser->p[k].lhs);
        printf(" ");
        print_num(ser->p[k].rhs);
        printf("  %s\n", ser->p[k].lhs <= ser->p[k].rhs ? "yes" : "NO");
      }
    }
    if (cl->kind == TC_KIND_PROBABILITY && pr->has_witness)
      printf("  event (lhs <= rhs): lhs = %.17g, rhs = %.17g: %s\n", pr->witness.lhs, pr->witness.rhs,
             pr->witness.lhs <= pr->witness.rhs ? "holds" : "FAILS");
    printf("  verdict on this instance alone: %s (%s)\n", tc_verdict_name(pr->verdict), pr->reason);
  }
  if (cr->disagree)
    printf("\nDISAGREE: %s\n", cr->disagree_note);
  rc = tc_run_exit_status(res);
  tc_run_result_free(res);
  return rc;
}

static int dispatch(cli *c)
{
  if (c->cmd->fn == cmd_list && c->checks)
    return cmd_list(c, NULL); /* the modules need no catalog */
  tc_catalog *cat = NULL;
  int rc = load_catalog(&cat, c->catalog, &c->catalog_path);
  if (rc == 0)
    rc = c->cmd->fn(c, cat);
  tc_catalog_free(cat);
  return rc;
}

int main(int argc, char **argv)
{
  /* Library code returns statuses; GSL must not abort the process. */
  gsl_set_error_handler_off();
  atexit(close_stdout);
  /* One BLAS thread: two measured slower and noisier at these sizes. */
  openblas_set_num_threads(1);

  cli c;
  memset(&c, 0, sizeof c);
  tc_run_options_init(&c.run);
  c.instance = -1;
  c.format = TC_FORMAT_MD;

  int rc = parse_args(&c, argc, argv);
  if (rc == 0)
    rc = check_command_options(&c);
  if (rc == 0)
    rc = dispatch(&c);
  for (size_t k = 0; k < c.noverrides; k++)
    free((char *)c.overrides[k].name);
  free(c.overrides);
  free(c.ids);
  return rc == EXIT_DONE ? 0 : rc;
}
