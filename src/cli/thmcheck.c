/* thmcheck — command-line front end.  All decisions are the library's;
 * this file parses flags, loads the catalog, prints and sets the exit
 * status: 0 all PASS, 1 any FAIL, 2 usage or input error, 3 any ERROR,
 * 4 any INCONCLUSIVE. */
#include <config.h>
#include <errno.h>
#include <math.h>
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

static const char usage_text[] =
    "Usage: thmcheck [--catalog DIR|FILE] COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  list [--checks]            list the catalog's claims (or the check modules)\n"
    "  show ID                    print one catalog entry\n"
    "  run ID... [OPTIONS]        check the given claims; report on stdout or -o FILE\n"
    "  audit [-o DIR] [OPTIONS]   check every claim; write DIR/audit.md, .tex, .json\n"
    "                             (DIR defaults to reports)\n"
    "  reproduce ID --instance K --seed S [OPTIONS]\n"
    "                             re-run one instance alone and print its rows\n"
    "\n"
    "Options:\n"
    "  --instances N              instances per parameter point (default: catalog's)\n"
    "  --seed S                   global seed (default 20261123)\n"
    "  --precision P              double | mpfr[:BITS] | both[:BITS] (default both:128)\n"
    "  --confidence C             confidence level in (0,1) (default 0.99)\n"
    "  --param NAME=VALUE         fix a parameter to one value (repeatable)\n"
    "  --format md|tex|json       report format for run (default md)\n"
    "  -o PATH                    output file (run) or directory (audit)\n"
    "  --quiet                    no progress line\n"
    "  --catalog DIR|FILE         catalog (default: $THMCHECK_CATALOG, ./theorems,\n"
    "                             then the installed catalog)\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 every claim PASS; 1 some claim FAIL; 2 usage or input error;\n"
    "3 some claim ERROR (and none FAIL); 4 some claim INCONCLUSIVE (and none FAIL/ERROR).\n";

static int usage_error(const char *fmt, const char *arg)
{
  /* arg is user text: escape what could drive the terminal. */
  char safe[1024];
  tc_term_escape(safe, sizeof safe, arg);
  fputs("thmcheck: ", stderr);
  fprintf(stderr, fmt, safe);
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

/* A report, list or help text that did not reach stdout (a full disk,
 * a closed pipe) is an error, not exit 0: checked when the process ends. */
static void close_stdout(void)
{
  if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
    fprintf(stderr, "thmcheck: cannot write to standard output: %s\n", strerror(errno));
    _exit(EXIT_USAGE);
  }
}

typedef struct {
  const char *catalog;
  tc_run_options run;
  tc_override *overrides;
  size_t noverrides;
  tc_format format;
  const char *output;
  int quiet;
  int checks;
  long instance;
  int seed_given;
  const char **ids;
  size_t nids;
} cli;

static int parse_u64(uint64_t *v, const char *s)
{
  char *end;
  errno = 0;
  if (*s == '-' || *s == '\0')
    return 0;
  unsigned long long x = strtoull(s, &end, 10);
  if (*end != '\0' || errno != 0)
    return 0;
  *v = (uint64_t)x;
  return 1;
}

static int parse_precision(cli *c, const char *s)
{
  const char *colon = strchr(s, ':');
  size_t head = colon ? (size_t)(colon - s) : strlen(s);
  if (strncmp(s, "double", head) == 0 && head == 6 && !colon)
    c->run.precision = TC_PREC_DOUBLE;
  else if (head == 4 && strncmp(s, "mpfr", 4) == 0)
    c->run.precision = TC_PREC_MPFR;
  else if (head == 4 && strncmp(s, "both", 4) == 0)
    c->run.precision = TC_PREC_BOTH;
  else
    return 0;
  if (colon) {
    uint64_t bits;
    if (!parse_u64(&bits, colon + 1) || bits < 16 || bits > 100000)
      return 0;
    c->run.bits = (mpfr_prec_t)bits;
  }
  return 1;
}

/* Options shared by run, audit and reproduce; returns 0, or the exit
 * status of a usage error. */
static int parse_options(cli *c, int argc, char **argv, int first)
{
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int takes = 1;
    if (strcmp(a, "--instances") == 0) {
      uint64_t n;
      if (!v || !parse_u64(&n, v) || n == 0 || n > 100000000)
        return usage_error("--instances needs a whole number >= 1, got '%s'", v ? v : "");
      c->run.instances = (size_t)n;
    } else if (strcmp(a, "--seed") == 0) {
      if (!v || !parse_u64(&c->run.seed, v))
        return usage_error("--seed needs a non-negative whole number, got '%s'", v ? v : "");
      c->seed_given = 1;
    } else if (strcmp(a, "--precision") == 0) {
      if (!v || !parse_precision(c, v))
        return usage_error("--precision must be double, mpfr[:BITS] or both[:BITS] (16 <= BITS), got '%s'", v ? v : "");
    } else if (strcmp(a, "--confidence") == 0) {
      char *end;
      double conf = v ? strtod(v, &end) : NAN;
      if (!v || *end != '\0' || !(conf > 0 && conf < 1))
        return usage_error("--confidence needs a number strictly between 0 and 1, got '%s'", v ? v : "");
      c->run.confidence = conf;
    } else if (strcmp(a, "--format") == 0) {
      if (!v || tc_format_parse(&c->format, v) != TC_SUCCESS)
        return usage_error("--format must be md, tex or json, got '%s'", v ? v : "");
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (!v || !*v)
        return usage_error("%s needs a path", a);
      c->output = v;
    } else if (strcmp(a, "--param") == 0) {
      const char *eq = v ? strchr(v, '=') : NULL;
      if (!v || !eq || eq == v || eq[1] == '\0')
        return usage_error("--param needs NAME=VALUE, got '%s'", v ? v : "");
      tc_override *grown = realloc(c->overrides, (c->noverrides + 1) * sizeof *grown);
      if (grown == NULL)
        return EXIT_USAGE;
      c->overrides = grown;
      c->overrides[c->noverrides].name = strndup(v, (size_t)(eq - v));
      c->overrides[c->noverrides++].value = eq + 1;
    } else if (strcmp(a, "--instance") == 0) {
      uint64_t k;
      if (!v || !parse_u64(&k, v) || k > 1000000000000ULL)
        return usage_error("--instance needs a whole number >= 0, got '%s'", v ? v : "");
      c->instance = (long)k;
    } else if (strcmp(a, "--quiet") == 0) {
      c->quiet = 1;
      takes = 0;
    } else if (strcmp(a, "--checks") == 0) {
      c->checks = 1;
      takes = 0;
    } else if (a[0] == '-' && a[1] != '\0') {
      return usage_error("unknown option '%s'", a);
    } else {
      const char **grown = realloc(c->ids, (c->nids + 1) * sizeof *grown);
      if (grown == NULL)
        return EXIT_USAGE;
      c->ids = grown;
      c->ids[c->nids++] = a;
      takes = 0;
    }
    i += takes;
  }
  c->run.overrides = c->overrides;
  c->run.noverrides = c->noverrides;
  return 0;
}

static int is_dir(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int load_catalog(tc_catalog **cat, const char *given)
{
  const char *path = given;
  if (path == NULL)
    path = getenv("THMCHECK_CATALOG");
  if (path == NULL || *path == '\0')
    path = is_dir("theorems") ? "theorems" : TC_CATALOG_DIR;
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
                        "rhs", "probability", "reference", "exponent", "sweep", "index",
                        "corrects", "remarks"};
  const char *vals[] = {cl->title, cl->source, cl->statement, cl->hypotheses,
                        tc_kind_name(cl->kind), cl->check_name, cl->lhs_text, cl->rhs_text,
                        cl->probability_text, cl->reference_text, cl->exponent_text,
                        cl->sweep_name, cl->index_name, cl->corrects, cl->remarks};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (vals[i])
      printf("%-12s = %s\n", keys[i], vals[i]);
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
  if (c->output && (rc = check_output(c->output, 0)) != 0) {
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

static int cmd_audit(cli *c, const tc_catalog *cat)
{
  if (c->nids)
    return usage_error("audit takes no claim ids (it checks them all), got '%s'", c->ids[0]);
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
  for (size_t i = 0; i < res->n; i++)
    fprintf(stderr, "%-34s %s\n", res->claims[i].claim->id, tc_verdict_name(res->claims[i].verdict));
  fputs("reports written to ", stderr);
  tc_term_fputs(stderr, dir);
  fputs("/audit.{md,tex,json} (set: audit.manifest)\n", stderr);
  rc = tc_run_exit_status(res);
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
  for (int w = 0; w < 2; w++) {
    const tc_precision_result *pr = &cr->prec[w];
    if (!pr->ran)
      continue;
    printf("\n%s run:\n", w ? "MPFR" : "double");
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

  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(usage_text, stdout);
      return 0;
    }
    if (strcmp(argv[i], "--version") == 0) {
      printf("thmcheck %s\n", PACKAGE_VERSION);
      return 0;
    }
    if (strcmp(argv[i], "--catalog") == 0) {
      if (i + 1 >= argc)
        return usage_error("--catalog needs a directory or file%s", "");
      c.catalog = argv[++i];
      continue;
    }
    return usage_error("unknown option '%s' (options come after the command)", argv[i]);
  }
  if (i >= argc)
    return usage_error("missing command (list, show, run, audit, reproduce)%s", "");
  const char *cmd = argv[i];
  int (*fn)(cli *, const tc_catalog *) = NULL;
  if (strcmp(cmd, "list") == 0) fn = cmd_list;
  else if (strcmp(cmd, "show") == 0) fn = cmd_show;
  else if (strcmp(cmd, "run") == 0) fn = cmd_run;
  else if (strcmp(cmd, "audit") == 0) fn = cmd_audit;
  else if (strcmp(cmd, "reproduce") == 0) fn = cmd_reproduce;
  else return usage_error("unknown command '%s' (list, show, run, audit, reproduce)", cmd);
  for (int k = i + 1; k < argc; k++)
    if (strcmp(argv[k], "--help") == 0) {
      fputs(usage_text, stdout);
      return 0;
    }
  int rc = parse_options(&c, argc, argv, i + 1);
  if (rc == 0 && fn == cmd_list && c.checks) {
    rc = cmd_list(&c, NULL); /* the modules need no catalog */
  } else if (rc == 0) {
    tc_catalog *cat = NULL;
    rc = load_catalog(&cat, c.catalog);
    if (rc == 0)
      rc = fn(&c, cat);
    tc_catalog_free(cat);
  }
  for (size_t k = 0; k < c.noverrides; k++)
    free((char *)c.overrides[k].name);
  free(c.overrides);
  free(c.ids);
  return rc;
}
