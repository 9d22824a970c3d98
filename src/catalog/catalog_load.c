/* Parser of the claim catalog (docs/CATALOG.md).  Line-based so that
 * every error can name file:line; nothing runs until it all parses. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tc_catalog.h"
#include "tc_limits.h"
#include "catalog_latex.h"
#include "catalog_objective.h"

typedef struct {
  const char *file;
  int line;
  char *err;
  size_t errlen;
} parse_ctx;

static int fail(parse_ctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parse_ctx *c, int line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = tc_catalog_vfail(c->err, c->errlen, c->file, line, fmt, ap);
  va_end(ap);
  return rc;
}

static int is_kebab_id(const char *s)
{
  if (!islower((unsigned char)*s))
    return 0;
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
      return 0;
  return s[-1] != '-';
}

static int is_name(const char *s)
{
  if (!(isalpha((unsigned char)*s) || *s == '_'))
    return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_'))
      return 0;
  return 1;
}

/* Why a token that starts like a number is not one parse_number takes:
 * out of double's range is not the same mistake as a typo. */
static const char *number_problem(const char *text)
{
  char *end;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || isnan(v))
    return "is not a number";
  if (isinf(v) || (errno == ERANGE && fabs(v) > 1))
    return "is beyond double's range (|x| <= 1.8e308)";
  return "is below double's normal range (|x| >= 2.2e-308, or 0)";
}

/* Strict number: the whole text must be a finite decimal number. */
static int parse_number(double *v, const char *text)
{
  char *end;
  errno = 0;
  *v = strtod(text, &end);
  return end != text && *end == '\0' && errno == 0 && isfinite(*v);
}

static int parse_count(size_t *v, const char *text)
{
  double d;
  if (!parse_number(&d, text) || d < 1 || d != floor(d) || d > TC_MAX_INSTANCES)
    return 0;
  *v = (size_t)d;
  return 1;
}

/* One value of a list or tuple: a number (NaN marks a symbolic word). */
static int list_value(double *v, parse_ctx *c, const tc_param *p, const char *tok, int line)
{
  if (parse_number(v, tok))
    return TC_SUCCESS;
  if (isdigit((unsigned char)*tok) || *tok == '-' || *tok == '+' || *tok == '.')
    return fail(c, line, "param %s: '%s' %s", p->name, tok, number_problem(tok));
  for (const char *q = tok; *q; q++)
    if (!(isalnum((unsigned char)*q) || *q == '-' || *q == '_'))
      return fail(c, line, "param %s: symbolic value '%s' may contain only letters, digits, '-' and '_'",
                  p->name, tok);
  *v = NAN;
  return TC_SUCCESS;
}

static void param_clear(tc_param *p)
{
  free(p->name);
  for (size_t i = 0; i < p->nvalues; i++)
    free(p->texts[i]);
  free(p->texts);
  free(p->values);
}

static void claim_clear(tc_claim *cl)
{
  char **texts[] = {&cl->id, &cl->file, &cl->title, &cl->source, &cl->statement,
                    &cl->hypotheses, &cl->remarks, &cl->corrects, &cl->check_name,
                    &cl->lhs_text, &cl->rhs_text, &cl->probability_text,
                    &cl->reference_text, &cl->exponent_text, &cl->index_name,
                    &cl->sweep_name, &cl->error_text, &cl->baseline_text,
                    &cl->objective_text, &cl->variables_text, &cl->data_text,
                    &cl->fstar_text, &cl->start_text, &cl->mark_text};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    free(*texts[i]);
  tc_expr *exprs[] = {cl->lhs, cl->rhs, cl->probability, cl->reference, cl->exponent, cl->error,
                      cl->baseline, cl->mark};
  for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
    tc_expr_free(exprs[i]);
  for (size_t i = 0; i < cl->nparams; i++)
    param_clear(&cl->params[i]);
  free(cl->params);
  for (size_t i = 0; i < cl->nmutants; i++) {
    free(cl->mutants[i].text);
    tc_expr_free(cl->mutants[i].expr);
  }
  free(cl->mutants);
  tc_catalog_objective_free(cl->objective);
  memset(cl, 0, sizeof *cl);
}

void tc_catalog_free(tc_catalog *cat)
{
  if (cat == NULL)
    return;
  for (size_t i = 0; i < cat->n; i++)
    claim_clear(&cat->claims[i]);
  free(cat->claims);
  free(cat);
}

/* `lo .. hi [log]` or `a, b, c`. */
static int parse_param(parse_ctx *c, tc_param *p, char *spec, int line)
{
  char *dots = strstr(spec, "..");
  if (dots != NULL) {
    *dots = '\0';
    char *lo = tc_catalog_trim(spec), *rest = tc_catalog_trim(dots + 2);
    char *scale = rest;
    while (*scale && !isspace((unsigned char)*scale))
      scale++;
    if (*scale) {
      *scale++ = '\0';
      scale = tc_catalog_trim(scale);
    }
    p->is_range = 1;
    if (!parse_number(&p->lo, lo) || !parse_number(&p->hi, rest))
      return fail(c, line, "param %s: range bounds must be numbers, as in 1 .. 1e6 log", p->name);
    if (*scale && strcmp(scale, "log") != 0 && strcmp(scale, "linear") != 0)
      return fail(c, line, "param %s: range scale must be 'log' or 'linear', not '%s'", p->name, scale);
    p->log_scale = strcmp(scale, "log") == 0;
    if (p->lo > p->hi)
      return fail(c, line, "param %s: empty range (%g > %g)", p->name, p->lo, p->hi);
    if (p->log_scale && p->lo <= 0)
      return fail(c, line, "param %s: a log range needs a positive lower bound", p->name);
    return TC_SUCCESS;
  }
  size_t cap = 4;
  p->texts = malloc(cap * sizeof *p->texts);
  p->values = malloc(cap * sizeof *p->values);
  if (p->texts == NULL || p->values == NULL)
    return TC_ENOMEM;
  /* Split by hand: strtok would silently skip an empty value in "1,,2". */
  for (char *next = spec; next != NULL;) {
    char *tok = next;
    char *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    tok = tc_catalog_trim(tok);
    if (*tok == '\0')
      return fail(c, line, "param %s: empty value in list", p->name);
    if (p->nvalues == TC_MAX_LIST_VALUES)
      return fail(c, line, "param %s: more than %d values in a list", p->name, TC_MAX_LIST_VALUES);
    if (p->nvalues == cap) {
      cap *= 2;
      char **t = realloc(p->texts, cap * sizeof *t);
      double *v = t ? realloc(p->values, cap * sizeof *v) : NULL;
      if (t) p->texts = t;
      if (v == NULL)
        return TC_ENOMEM;
      p->values = v;
    }
    double v;
    int st = list_value(&v, c, p, tok, line);
    if (st != TC_SUCCESS)
      return st;
    p->texts[p->nvalues] = strdup(tok);
    p->values[p->nvalues++] = v;
  }
  if (p->nvalues == 0)
    return fail(c, line, "param %s: no values", p->name);
  return TC_SUCCESS;
}

/* Every key a claim may set: its char * field in tc_claim (NO_FIELD for
 * the parsed ones) and the kinds that read it (0: every kind).  A key
 * the claim's kind never reads is an error, not silently ignored: the
 * entry would promise a check that is not made. */
#define NO_FIELD ((size_t)-1)
#define DET (1u << TC_KIND_DETERMINISTIC)
#define PROB (1u << TC_KIND_PROBABILITY)
#define EXPECT (1u << TC_KIND_EXPECTATION)
#define RATE (1u << TC_KIND_RATE)

enum {
  K_TITLE, K_SOURCE, K_STATEMENT, K_HYPOTHESES, K_REMARKS, K_CORRECTS, K_CHECK, K_LHS, K_RHS,
  K_PROBABILITY, K_REFERENCE, K_EXPONENT, K_INDEX, K_SWEEP, K_ERROR, K_BASELINE,
  K_OBJECTIVE, K_VARIABLES, K_DATA, K_FSTAR, K_START, K_KIND, K_INSTANCES,
  K_SEARCH, K_TOLERANCE, K_MAX_INSTANCES, K_MARK, K_COUNT
};

typedef struct {
  const char *key;
  size_t offset;
  unsigned kinds;
} claim_key;

#define TK(k, f, kinds) {k, offsetof(tc_claim, f), kinds}
static const claim_key claim_keys[K_COUNT] = {
  TK("title", title, 0), TK("source", source, 0), TK("statement", statement, 0),
  TK("hypotheses", hypotheses, 0), TK("remarks", remarks, 0), TK("corrects", corrects, 0),
  TK("check", check_name, 0), TK("lhs", lhs_text, 0),
  /* A rate claim fits lhs alone; a rhs there would only make spurious
   * double/MPFR disagreements on rows "violated" against it. */
  TK("rhs", rhs_text, DET | PROB | EXPECT),
  TK("probability", probability_text, PROB), TK("reference", reference_text, PROB | EXPECT),
  TK("exponent", exponent_text, RATE), TK("index", index_name, 0), TK("sweep", sweep_name, RATE),
  TK("error", error_text, 0), TK("baseline", baseline_text, DET),
  /* A user-written objective (tc_objective.h, catalog_objective.c). */
  TK("objective", objective_text, 0), TK("variables", variables_text, 0),
  TK("data", data_text, 0), TK("fstar", fstar_text, 0), TK("start", start_text, 0),
  {"kind", NO_FIELD, 0}, {"instances", NO_FIELD, 0}, {"search", NO_FIELD, DET | PROB | EXPECT},
  {"tolerance", NO_FIELD, RATE}, {"max_instances", NO_FIELD, PROB | EXPECT},
  TK("mark", mark_text, PROB),
};

/* The line each key was set on (0: not set), so that later checks
 * (missing key, bad expression, wrong kind) point at the right place. */
typedef struct {
  int line[K_COUNT];
} key_lines;

static int find_key(const char *key)
{
  for (int k = 0; k < K_COUNT; k++)
    if (strcmp(key, claim_keys[k].key) == 0)
      return k;
  return -1;
}

static char **key_field(tc_claim *cl, int k)
{
  if (k < 0 || claim_keys[k].offset == NO_FIELD)
    return NULL;
  return (char **)((char *)cl + claim_keys[k].offset);
}

/* kind, instances, search and tolerance: the keys parsed at once. */
static int set_parsed_key(parse_ctx *c, tc_claim *cl, int k, const char *value, int line)
{
  if (k == K_KIND) {
    static const char *names[] = {"deterministic", "probability", "expectation", "rate"};
    for (int i = 0; i < 4; i++)
      if (strcmp(value, names[i]) == 0) {
        cl->kind = (tc_kind)i;
        return TC_SUCCESS;
      }
    return fail(c, line, "unknown kind '%s' (expected deterministic, probability, expectation or rate)", value);
  }
  if (k == K_INSTANCES) {
    if (!parse_count(&cl->instances, value))
      return fail(c, line, "instances must be a positive whole number, at most %d, not '%s'",
                  TC_MAX_INSTANCES, value);
    return TC_SUCCESS;
  }
  if (k == K_MAX_INSTANCES) {
    if (!parse_count(&cl->max_instances, value))
      return fail(c, line, "max_instances must be a positive whole number, at most %d, not '%s'",
                  TC_MAX_INSTANCES, value);
    return TC_SUCCESS;
  }
  if (k == K_SEARCH) {
    double d;
    if (!parse_number(&d, value) || d < 0 || d != floor(d) || d > TC_MAX_SEARCH)
      return fail(c, line, "search must be a whole number >= 0, at most %d, not '%s'", TC_MAX_SEARCH, value);
    cl->search = (size_t)d;
    return TC_SUCCESS;
  }
  if (!parse_number(&cl->tolerance, value) || cl->tolerance <= 0)
    return fail(c, line, "tolerance must be a positive number, not '%s'", value);
  return TC_SUCCESS;
}

/* Every key may be set once per claim: a second `instances =` used to
 * win silently, so the entry read differently from how it ran. */
static int set_key(parse_ctx *c, tc_claim *cl, key_lines *kl, const char *key, char *value, int line)
{
  int k = find_key(key);
  if (k < 0)
    return fail(c, line, "unknown key '%s'", key);
  if (kl->line[k])
    return fail(c, line, "duplicate key '%s' in claim [%s] (first set at line %d)", key, cl->id,
                kl->line[k]);
  if (*value == '\0')
    return fail(c, line, "key '%s' has an empty value", key);
  kl->line[k] = line;
  char **field = key_field(cl, k);
  if (field == NULL)
    return set_parsed_key(c, cl, k, value, line);
  *field = strdup(value);
  return *field ? TC_SUCCESS : TC_ENOMEM;
}

static const char *kinds_text(unsigned kinds)
{
  switch (kinds) {
  case DET: return "deterministic";
  case PROB: return "probability";
  case RATE: return "rate";
  case PROB | EXPECT: return "probability and expectation";
  default: return "deterministic, probability and expectation";
  }
}

static int check_keys_apply(parse_ctx *c, const tc_claim *cl, const key_lines *kl)
{
  for (int k = 0; k < K_COUNT; k++) {
    unsigned kinds = claim_keys[k].kinds;
    if (kl->line[k] && kinds && !(kinds & (1u << cl->kind)))
      return fail(c, kl->line[k], "'%s' only applies to %s claims; claim [%s] is %s",
                  claim_keys[k].key, kinds_text(kinds), cl->id, tc_kind_name(cl->kind));
  }
  return TC_SUCCESS;
}

static int compile_expr(parse_ctx *c, tc_expr **out, const char *text, const char *key, int line)
{
  char msg[200];
  *out = tc_expr_parse(text, msg, sizeof msg);
  if (*out == NULL)
    return fail(c, line, "%s: %s", key, msg);
  return TC_SUCCESS;
}

static const tc_param *claim_param(const tc_claim *cl, const char *name)
{
  for (size_t i = 0; i < cl->nparams; i++)
    if (strcmp(cl->params[i].name, name) == 0)
      return &cl->params[i];
  return NULL;
}

static int check_required(parse_ctx *c, const tc_claim *cl, const key_lines *kl)
{
  static const char *required[] = {"source", "statement", "check", "lhs", "rhs"};
  const char *values[] = {cl->source, cl->statement, cl->check_name, cl->lhs_text, cl->rhs_text};
  if (!kl->line[K_KIND])
    return fail(c, cl->line, "claim [%s] has no 'kind'", cl->id);
  for (size_t i = 0; i < 5; i++)
    if (values[i] == NULL && !(i == 4 && cl->kind == TC_KIND_RATE))
      return fail(c, cl->line, "claim [%s] has no '%s'", cl->id, required[i]);
  if (cl->kind == TC_KIND_PROBABILITY && cl->probability_text == NULL)
    return fail(c, cl->line, "probability claim [%s] needs 'probability' (the required P(lhs <= rhs))", cl->id);
  if (cl->kind == TC_KIND_RATE && (cl->sweep_name == NULL || cl->exponent_text == NULL))
    return fail(c, cl->line, "rate claim [%s] needs 'sweep' and 'exponent'", cl->id);
  return check_keys_apply(c, cl, kl);
}

static int compile_exprs(parse_ctx *c, tc_claim *cl, const key_lines *kl)
{
  struct { int k; tc_expr **out; } e[] = {
    {K_LHS, &cl->lhs}, {K_RHS, &cl->rhs}, {K_PROBABILITY, &cl->probability},
    {K_REFERENCE, &cl->reference}, {K_EXPONENT, &cl->exponent}, {K_ERROR, &cl->error},
    {K_BASELINE, &cl->baseline}, {K_MARK, &cl->mark}};
  for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
    const char *text = *key_field(cl, e[i].k);
    int status;
    if (text && (status = compile_expr(c, e[i].out, text, claim_keys[e[i].k].key, kl->line[e[i].k])))
      return status;
  }
  return TC_SUCCESS;
}

/* The grid (product of the list lengths) and the instance runs it makes
 * are capped at load, so a catalog cannot ask for more than a run can
 * hold (tc_limits.h); --param only ever shrinks the grid. */
static int check_grid(parse_ctx *c, const tc_claim *cl, const key_lines *kl)
{
  size_t points = 1;
  for (size_t i = 0; i < cl->nparams; i++) {
    const tc_param *p = &cl->params[i];
    /* A joint tuple is one axis: counted at its last member. */
    if (p->is_range || (p->tuple && i + 1 < cl->nparams && cl->params[i + 1].tuple == p->tuple))
      continue;
    if (p->nvalues > TC_MAX_GRID_POINTS / points)
      return fail(c, p->line, "param %s: the parameter grid of claim [%s] has more than %d points "
                  "(the product of its list lengths)", p->name, cl->id, TC_MAX_GRID_POINTS);
    points *= p->nvalues;
  }
  if (cl->instances > TC_MAX_JOBS / points)
    return fail(c, kl->line[K_INSTANCES] ? kl->line[K_INSTANCES] : cl->line,
                "claim [%s]: %zu grid points x %zu instances is more than %d instance runs per claim",
                cl->id, points, cl->instances, TC_MAX_JOBS);
  if (cl->max_instances > TC_MAX_JOBS / points)
    return fail(c, kl->line[K_MAX_INSTANCES],
                "claim [%s]: %zu grid points x %zu max_instances is more than %d instance runs per claim",
                cl->id, points, cl->max_instances, TC_MAX_JOBS);
  return TC_SUCCESS;
}

static int check_params(parse_ctx *c, const tc_claim *cl, const key_lines *kl)
{
  for (size_t i = 0; i < cl->nparams; i++) {
    const tc_param *p = &cl->params[i];
    /* A parameter of a user-written objective is read by the objective. */
    if (tc_check_param(cl->check, p->name) == NULL &&
        !tc_catalog_objective_uses(cl->objective, p->name))
      return fail(c, p->line, "check module '%s' has no parameter '%s'", cl->check_name, p->name);
    /* A probability or expectation claim decides per fixed point: a range
     * there is the space its worst-case search explores (from the range's
     * middle), so it needs `search`. */
    if (p->is_range && (cl->kind == TC_KIND_RATE || (cl->kind != TC_KIND_DETERMINISTIC && cl->search == 0)))
      return fail(c, p->line, "param %s: a range in a %s claim needs 'search' (the worst-case search "
                  "explores it); otherwise use a list", p->name, tc_kind_name(cl->kind));
  }
  if (cl->kind != TC_KIND_RATE)
    return TC_SUCCESS;
  const tc_param *sw = claim_param(cl, cl->sweep_name);
  if (sw == NULL)
    return fail(c, kl->line[K_SWEEP], "sweep parameter '%s' is not declared with 'param'", cl->sweep_name);
  if (sw->tuple)
    return fail(c, sw->line, "sweep parameter '%s' cannot be a member of a joint tuple", cl->sweep_name);
  if (sw->nvalues < 3)
    return fail(c, sw->line, "sweep parameter '%s' needs at least 3 values for a slope", cl->sweep_name);
  for (size_t i = 0; i < sw->nvalues; i++)
    if (!(sw->values[i] > 0))
      return fail(c, sw->line, "sweep parameter '%s' must be positive numbers (log scale)", cl->sweep_name);
  return TC_SUCCESS;
}

/* `mutant FIELD = EXPR`: a wrong variant of the claim with one of lhs,
 * rhs, probability or exponent replaced (checked against the kind when
 * the entry is complete). */
static int add_mutant(parse_ctx *c, tc_claim *cl, const char *field, const char *value, int line)
{
  static const char *const fields[] = {"lhs", "rhs", "probability", "exponent"};
  int f = 0;
  while (f < 4 && strcmp(field, fields[f]) != 0)
    f++;
  if (f == 4)
    return fail(c, line, "mutant %s: a mutant replaces lhs, rhs, probability or exponent, as in "
                         "'mutant rhs = 0.9 * rhs'", field);
  if (cl->nmutants >= TC_MAX_MUTANTS)
    return fail(c, line, "claim [%s] has more than %d mutants", cl->id, TC_MAX_MUTANTS);
  tc_mutant *grown = realloc(cl->mutants, (cl->nmutants + 1) * sizeof *grown);
  if (grown == NULL)
    return TC_ENOMEM;
  cl->mutants = grown;
  tc_mutant *m = &cl->mutants[cl->nmutants++];
  memset(m, 0, sizeof *m);
  m->field = (tc_mutate_field)f;
  m->line = line;
  size_t len = strlen(field) + strlen(value) + 4;
  if ((m->text = malloc(len)) == NULL)
    return TC_ENOMEM;
  snprintf(m->text, len, "%s = %s", field, value);
  char key[32];
  snprintf(key, sizeof key, "mutant %s", field);
  return compile_expr(c, &m->expr, value, key, line);
}

/* A mutant of a field the kind does not have could never be refuted. */
static int check_mutants(parse_ctx *c, const tc_claim *cl)
{
  for (size_t i = 0; i < cl->nmutants; i++) {
    const tc_mutant *m = &cl->mutants[i];
    int ok = m->field == TC_MUTATE_LHS ||
             (m->field == TC_MUTATE_RHS && cl->kind != TC_KIND_RATE) ||
             (m->field == TC_MUTATE_PROBABILITY && cl->kind == TC_KIND_PROBABILITY) ||
             (m->field == TC_MUTATE_EXPONENT && cl->kind == TC_KIND_RATE);
    if (!ok)
      return fail(c, m->line, "mutant %s: a %s claim has no such field to mutate", m->text,
                  tc_kind_name(cl->kind));
  }
  return TC_SUCCESS;
}

/* The names an expression may use: the module's declared outputs, the
 * claim's parameters, the module's parameters that have a default, and
 * in a mutant its field's own name (the original value). */
typedef struct {
  const tc_claim *cl;
  const char *self;  /* mutant field name, or NULL */
  const char *bad;   /* first unknown name */
} name_check;

static void check_one_name(const char *name, void *data)
{
  name_check *nc = data;
  if (nc->bad || tc_check_has_output(nc->cl->check, name) || claim_param(nc->cl, name) ||
      (nc->self && strcmp(name, nc->self) == 0))
    return;
  const tc_param_spec *spec = tc_check_param(nc->cl->check, name);
  if (spec && spec->def && spec->type != TC_PARAM_SYMBOL)
    return;
  nc->bad = name;
}

static int check_expr_names(parse_ctx *c, const tc_claim *cl, const tc_expr *e, const char *key,
                            const char *self, int line)
{
  name_check nc = {cl, self, NULL};
  if (e)
    tc_expr_foreach_name(e, check_one_name, &nc);
  if (nc.bad == NULL)
    return TC_SUCCESS;
  return fail(c, line, "%s: '%s' is not an output of check module '%s' nor a parameter of claim [%s]",
              key, nc.bad, cl->check_name, cl->id);
}

static int check_names(parse_ctx *c, const tc_claim *cl, const key_lines *kl)
{
  static const char *const fields[] = {"lhs", "rhs", "probability", "exponent"};
  struct { int k; const tc_expr *e; } x[] = {
    {K_LHS, cl->lhs}, {K_RHS, cl->rhs}, {K_PROBABILITY, cl->probability},
    {K_REFERENCE, cl->reference}, {K_EXPONENT, cl->exponent}, {K_ERROR, cl->error},
    {K_MARK, cl->mark}};
  int status;
  for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
    if ((status = check_expr_names(c, cl, x[i].e, claim_keys[x[i].k].key, NULL, kl->line[x[i].k])))
      return status;
  for (size_t i = 0; i < cl->nmutants; i++) {
    const tc_mutant *m = &cl->mutants[i];
    if ((status = check_expr_names(c, cl, m->expr, "mutant", fields[m->field], m->line)))
      return status;
  }
  return TC_SUCCESS;
}

/* Everything that needs the whole entry: required keys, keys that apply
 * to the kind, expressions, module and parameter names, limits. */
static int finish_claim(parse_ctx *c, tc_claim *cl, const key_lines *kl)
{
  int status;
  if ((status = check_required(c, cl, kl)))
    return status;
  if ((status = tc_catalog_check_statement(cl->statement, c->file, kl->line[K_STATEMENT], c->err, c->errlen)))
    return status;
  cl->check = tc_check_find(cl->check_name);
  if (cl->check == NULL)
    return fail(c, kl->line[K_CHECK], "unknown check module '%s' (see `thmcheck list --checks`)", cl->check_name);
  tc_objective_lines ol = {kl->line[K_OBJECTIVE], kl->line[K_VARIABLES], kl->line[K_DATA],
                           kl->line[K_FSTAR], kl->line[K_START]};
  if ((status = compile_exprs(c, cl, kl)) ||
      (status = tc_catalog_objective_build(cl, c->file, &ol, c->err, c->errlen)) ||
      (status = check_params(c, cl, kl)) ||
      (status = check_mutants(c, cl)) || (status = check_names(c, cl, kl)))
    return status;
  if (cl->kind == TC_KIND_RATE && cl->tolerance == 0)
    cl->tolerance = 0.1;
  if (cl->instances == 0)
    cl->instances = 10;
  if (cl->max_instances && cl->max_instances < cl->instances)
    return fail(c, kl->line[K_MAX_INSTANCES], "max_instances (%zu) is below instances (%zu)",
                cl->max_instances, cl->instances);
  return check_grid(c, cl, kl);
}

/* Length of the UTF-8 sequence at s and its code point, or 0 when it is
 * malformed: overlong forms, surrogates and code points above U+10FFFF
 * are not UTF-8 (RFC 3629). */
static size_t utf8_sequence(const unsigned char *s, unsigned long *cp)
{
  size_t len;
  unsigned long v, min;
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; v = s[0] & 0x1Fu; min = 0x80; }
  else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; v = s[0] & 0x0Fu; min = 0x800; }
  else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; v = s[0] & 0x07u; min = 0x10000; }
  else return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
      return 0;
    v = (v << 6) | (s[i] & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

/* Catalog text ends up in terminals, Markdown, LaTeX and JSON: it must be
 * UTF-8 and hold no control character but tab (an escape sequence in a
 * statement would drive the terminal that shows it). */
static int check_line_text(parse_ctx *c, int line, const char *text)
{
  const unsigned char *s = (const unsigned char *)text;
  for (size_t i = 0; s[i];) {
    unsigned long cp = 0;
    size_t len = utf8_sequence(s + i, &cp);
    if (len == 0)
      return fail(c, line, "byte %zu: not valid UTF-8 (0x%02X)", i + 1, s[i]);
    if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F))
      return fail(c, line, "byte %zu: control character U+%04lX (only tab is allowed)", i + 1, cp);
    i += len;
  }
  return TC_SUCCESS;
}

/* `[claim-id]`: finish the previous claim and open a new one. */
static int start_claim(parse_ctx *c, tc_catalog *cat, tc_claim **cl, key_lines *kl, char *s,
                       const char *path, int line)
{
  int status;
  if (*cl != NULL && (status = finish_claim(c, *cl, kl)))
    return status;
  char *close = strchr(s, ']');
  if (close == NULL || close[1] != '\0')
    return fail(c, line, "malformed section header: expected [claim-id]");
  *close = '\0';
  char *id = tc_catalog_trim(s + 1);
  if (!is_kebab_id(id))
    return fail(c, line, "claim id '%s' must be kebab-case (a-z, 0-9, '-')", id);
  for (size_t i = 0; i < cat->n; i++)
    if (strcmp(cat->claims[i].id, id) == 0)
      return fail(c, line, "duplicate claim id '%s' (first defined at %s:%d)", id,
                  cat->claims[i].file, cat->claims[i].line);
  tc_claim *grown = realloc(cat->claims, (cat->n + 1) * sizeof *grown);
  if (grown == NULL)
    return TC_ENOMEM;
  cat->claims = grown;
  *cl = &cat->claims[cat->n++];
  memset(*cl, 0, sizeof **cl);
  memset(kl, 0, sizeof *kl);
  (*cl)->id = strdup(id);
  (*cl)->file = strdup(path);
  (*cl)->line = line;
  return (*cl)->id && (*cl)->file ? TC_SUCCESS : TC_ENOMEM;
}

/* ---- joint tuples: `param (n, d) = (1, 1), (4, 4), (100, 20)` ------- */

/* Split "a, b, c" in place at commas into at most `max` trimmed items;
 * returns the count, or max + 1 when there are more. */
static size_t split_commas(char **items, size_t max, char *s)
{
  size_t n = 0;
  for (char *next = s; next != NULL;) {
    char *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    if (n == max)
      return max + 1;
    items[n++] = tc_catalog_trim(next);
    next = comma ? comma + 1 : NULL;
  }
  return n;
}

/* The member names of `(n, d)`: plain identifiers, each once, none
 * already a parameter of the claim. */
static int tuple_names(parse_ctx *c, const tc_claim *cl, char **names, size_t *n, char *spec, int line)
{
  size_t len = strlen(spec);
  if (len < 2 || spec[len - 1] != ')')
    return fail(c, line, "param %s: a joint tuple is written 'param (n, d) = (1, 1), (4, 4)'", spec);
  spec[len - 1] = '\0';
  *n = split_commas(names, TC_MAX_TUPLE_MEMBERS, spec + 1);
  if (*n > TC_MAX_TUPLE_MEMBERS)
    return fail(c, line, "param (...): more than %d members in a joint tuple", TC_MAX_TUPLE_MEMBERS);
  if (*n < 2)
    return fail(c, line, "param (%s): a joint tuple needs at least two members", names[0]);
  for (size_t i = 0; i < *n; i++) {
    if (!is_name(names[i]))
      return fail(c, line, "joint tuple member '%s' must be a plain identifier", names[i]);
    if (strcmp(names[i], "pi") == 0 || strcmp(names[i], "e") == 0)
      return fail(c, line, "parameter name '%s' is reserved for a constant", names[i]);
    for (size_t j = 0; j < i; j++)
      if (strcmp(names[i], names[j]) == 0)
        return fail(c, line, "joint tuple names member '%s' twice", names[i]);
    const tc_param *p = claim_param(cl, names[i]);
    if (p)
      return fail(c, line, "joint tuple member '%s' is already a parameter of claim [%s] (line %d)",
                  names[i], cl->id, p->line);
  }
  return TC_SUCCESS;
}

/* One value of a tuple: a number or a symbolic word, as in a list. */
static int tuple_value(parse_ctx *c, tc_param *p, const char *tok, int line)
{
  if (*tok == '\0')
    return fail(c, line, "param %s: empty value in a joint tuple", p->name);
  if (strstr(tok, "..") != NULL)
    return fail(c, line, "param %s: ranges are not allowed inside joint tuples ('%s')", p->name, tok);
  double v;
  int st = list_value(&v, c, p, tok, line);
  if (st != TC_SUCCESS)
    return st;
  if ((p->texts[p->nvalues] = strdup(tok)) == NULL)
    return TC_ENOMEM;
  p->values[p->nvalues++] = v;
  return TC_SUCCESS;
}

/* One `(a, b)` of the list: its values appended to the members. */
static int tuple_row(parse_ctx *c, tc_param *m, size_t arity, char *row, size_t ti, int line)
{
  char *items[TC_MAX_TUPLE_MEMBERS + 1];
  size_t k = split_commas(items, TC_MAX_TUPLE_MEMBERS, row);
  if (k != arity)
    return fail(c, line, "param %s: tuple %zu has %s%zu values, but (%s, ...) has %zu members",
                m[0].name, ti + 1, k > TC_MAX_TUPLE_MEMBERS ? "more than " : "",
                k > TC_MAX_TUPLE_MEMBERS ? (size_t)TC_MAX_TUPLE_MEMBERS : k, m[0].name, arity);
  int status = TC_SUCCESS;
  for (size_t i = 0; i < arity && status == TC_SUCCESS; i++)
    status = tuple_value(c, &m[i], items[i], line);
  return status;
}

/* The tuples `(1, 1), (4, 4)`: each parenthesised, separated by commas. */
static int tuple_rows(parse_ctx *c, tc_param *m, size_t arity, char *s, int line)
{
  size_t ti = 0;
  for (s = tc_catalog_trim(s); *s; ti++) {
    if (*s != '(')
      return fail(c, line, "param %s: expected '(' to open tuple %zu, as in (1, 1), (4, 4)", m[0].name, ti + 1);
    char *close = strchr(s, ')');
    if (close == NULL)
      return fail(c, line, "param %s: tuple %zu has no closing ')'", m[0].name, ti + 1);
    if (ti == TC_MAX_LIST_VALUES)
      return fail(c, line, "param %s: more than %d joint tuples", m[0].name, TC_MAX_LIST_VALUES);
    *close = '\0';
    int status = tuple_row(c, m, arity, s + 1, ti, line);
    if (status)
      return status;
    s = tc_catalog_trim(close + 1);
    if (*s == ',' && *tc_catalog_trim(s + 1) == '\0')
      return fail(c, line, "param %s: empty tuple after the last ','", m[0].name);
    if (*s == ',')
      s = tc_catalog_trim(s + 1);
    else if (*s)
      return fail(c, line, "param %s: expected ',' between tuples, not '%s'", m[0].name, s);
  }
  if (ti == 0)
    return fail(c, line, "param %s: a joint tuple needs at least one (value, ...) row", m[0].name);
  return TC_SUCCESS;
}

static int count_tuples(const char *s)
{
  int n = 0;
  for (; *s; s++)
    n += *s == '(';
  return n;
}

/* `param (n, d) = (1, 1), (4, 4)`: one list parameter per member, sharing a tuple id. */
static int add_tuple(parse_ctx *c, tc_claim *cl, char *spec, char *value, int line)
{
  char *names[TC_MAX_TUPLE_MEMBERS + 1];
  size_t arity = 0;
  int status = tuple_names(c, cl, names, &arity, spec, line);
  if (status)
    return status;
  size_t cap = (size_t)count_tuples(value) + 1;
  if (cap > TC_MAX_LIST_VALUES + 1)
    cap = TC_MAX_LIST_VALUES + 1;
  tc_param *grown = realloc(cl->params, (cl->nparams + arity) * sizeof *grown);
  if (grown == NULL)
    return TC_ENOMEM;
  cl->params = grown;
  int id = 1;
  for (size_t i = 0; i < cl->nparams; i++)
    id = cl->params[i].tuple >= id ? cl->params[i].tuple + 1 : id;
  tc_param *m = &cl->params[cl->nparams];
  for (size_t i = 0; i < arity; i++) {
    tc_param *p = &cl->params[cl->nparams++];
    memset(p, 0, sizeof *p);
    p->name = strdup(names[i]);
    p->line = line;
    p->tuple = id;
    p->texts = calloc(cap, sizeof *p->texts);
    p->values = calloc(cap, sizeof *p->values);
    if (p->name == NULL || p->texts == NULL || p->values == NULL)
      return TC_ENOMEM;
  }
  return tuple_rows(c, m, arity, value, line);
}

/* `param NAME = SPEC`. */
static int add_param(parse_ctx *c, tc_claim *cl, char *name, char *value, int line)
{
  if (*name == '(')
    return add_tuple(c, cl, name, value, line);
  if (!is_name(name))
    return fail(c, line, "parameter name '%s' must be a plain identifier", name);
  /* Expressions read pi and e as constants: such a parameter could never be used. */
  if (strcmp(name, "pi") == 0 || strcmp(name, "e") == 0)
    return fail(c, line, "parameter name '%s' is reserved for a constant", name);
  if (claim_param(cl, name))
    return fail(c, line, "duplicate parameter '%s' in claim [%s]", name, cl->id);
  tc_param *grown = realloc(cl->params, (cl->nparams + 1) * sizeof *grown);
  if (grown == NULL)
    return TC_ENOMEM;
  cl->params = grown;
  tc_param *prm = &cl->params[cl->nparams++];
  memset(prm, 0, sizeof *prm);
  prm->name = strdup(name);
  prm->line = line;
  return prm->name ? parse_param(c, prm, value, line) : TC_ENOMEM;
}

/* `key = value` or `param NAME = SPEC` inside claim `cl`; *text_field is
 * set to the text value that an indented next line continues. */
static int key_line(parse_ctx *c, tc_claim *cl, key_lines *kl, char *s, int line, char ***text_field)
{
  char *eq = strchr(s, '=');
  if (eq == NULL)
    return fail(c, line, "expected 'key = value', '[claim-id]' or a comment");
  if (cl == NULL)
    return fail(c, line, "'%.*s' appears before any [claim-id] section", (int)(eq - s), s);
  *eq = '\0';
  char *key = tc_catalog_trim(s), *value = tc_catalog_trim(eq + 1);
  if (strncmp(key, "param", 5) == 0 && isspace((unsigned char)key[5]))
    return add_param(c, cl, tc_catalog_trim(key + 5), value, line);
  if (strncmp(key, "mutant", 6) == 0 && isspace((unsigned char)key[6]))
    return add_mutant(c, cl, tc_catalog_trim(key + 6), value, line);
  int status = set_key(c, cl, kl, key, value, line);
  if (status == TC_SUCCESS)
    *text_field = key_field(cl, find_key(key));
  return status;
}

static int continue_text(char **field, const char *s)
{
  size_t len = strlen(*field) + strlen(s) + 2;
  char *joined = malloc(len);
  if (joined == NULL)
    return TC_ENOMEM;
  snprintf(joined, len, "%s %s", *field, s);
  free(*field);
  *field = joined;
  return TC_SUCCESS;
}

static int load_text(tc_catalog *cat, const char *path, char *text, char *err, size_t errlen)
{
  parse_ctx c = {path, 0, err, errlen};
  tc_claim *cl = NULL;
  key_lines kl;
  int status = TC_SUCCESS;
  int line = 0;
  char **text_field = NULL; /* for continuation lines */
  size_t first_new = cat->n;

  /* strtok would merge empty lines and break line numbers: split by hand. */
  for (char *p = text; p != NULL && status == TC_SUCCESS;) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    char *raw = p;
    p = nl ? nl + 1 : NULL;
    line++;
    size_t len = strlen(raw);
    if (len > 0 && raw[len - 1] == '\r') /* CRLF line ends; any other CR is an error */
      raw[len - 1] = '\0';
    if ((status = check_line_text(&c, line, raw)))
      break;
    int continuation = (*raw == ' ' || *raw == '\t');
    char *s = tc_catalog_trim(raw);
    if (*s == '\0' || *s == '#') {
      if (*s == '\0')
        text_field = NULL;
      continue;
    }
    if (continuation && text_field != NULL) {
      /* An indented line continues a long text value (e.g. a statement). */
      status = continue_text(text_field, s);
      continue;
    }
    text_field = NULL;
    if (*s == '[')
      status = start_claim(&c, cat, &cl, &kl, s, path, line);
    else
      status = key_line(&c, cl, &kl, s, line, &text_field);
  }
  if (status == TC_SUCCESS && cl != NULL)
    status = finish_claim(&c, cl, &kl);
  if (status == TC_SUCCESS && cat->n == first_new)
    status = fail(&c, 1, "no claims in file");
  return status;
}

/* Only a regular file is read: a FIFO would block forever and a device
 * such as /dev/zero never ends.  O_NONBLOCK makes opening a FIFO return
 * at once, so fstat can refuse it. */
static int open_regular(int *fd, const char *path, char *err, size_t errlen)
{
  *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (*fd < 0) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return TC_EIO;
  }
  struct stat st;
  int ok = fstat(*fd, &st) == 0;
  if (ok && S_ISREG(st.st_mode) && st.st_size <= TC_MAX_CATALOG_BYTES)
    return TC_SUCCESS;
  if (!ok)
    snprintf(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
  else if (!S_ISREG(st.st_mode))
    snprintf(err, errlen, "%s: not a regular file (a catalog is read only from regular files)", path);
  else
    snprintf(err, errlen, "%s: %lld bytes, more than the limit of %d bytes (1 MiB) per catalog file",
             path, (long long)st.st_size, TC_MAX_CATALOG_BYTES);
  close(*fd);
  return TC_EIO;
}

/* Read at most one byte past the limit: the file may have grown since fstat. */
static int read_capped(char **out, size_t *len, int fd, const char *path, char *err, size_t errlen)
{
  char *buf = malloc(TC_MAX_CATALOG_BYTES + 2);
  if (buf == NULL)
    return TC_ENOMEM;
  size_t n = 0;
  while (n <= TC_MAX_CATALOG_BYTES) {
    ssize_t got = read(fd, buf + n, TC_MAX_CATALOG_BYTES + 1 - n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
      free(buf);
      return TC_EIO;
    }
    if (got == 0)
      break;
    n += (size_t)got;
  }
  if (n > TC_MAX_CATALOG_BYTES) {
    snprintf(err, errlen, "%s: larger than the limit of %d bytes (1 MiB) per catalog file", path,
             TC_MAX_CATALOG_BYTES);
    free(buf);
    return TC_EIO;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return TC_SUCCESS;
}

static int read_file(char **out, const char *path, char *err, size_t errlen)
{
  int fd;
  int status = open_regular(&fd, path, err, errlen);
  if (status)
    return status;
  char *buf;
  size_t len;
  status = read_capped(&buf, &len, fd, path, err, errlen);
  close(fd);
  if (status)
    return status;
  const char *nul = memchr(buf, '\0', len);
  if (nul != NULL) {
    int line = 1;
    for (const char *q = buf; q < nul; q++)
      line += *q == '\n';
    snprintf(err, errlen, "%s:%d: not a text file (contains a NUL byte)", path, line);
    free(buf);
    return TC_ESYNTAX;
  }
  *out = buf;
  return TC_SUCCESS;
}

static int check_corrections(tc_catalog *cat, char *err, size_t errlen)
{
  for (size_t i = 0; i < cat->n; i++) {
    tc_claim *cl = &cat->claims[i];
    if (cl->corrects && tc_catalog_find(cat, cl->corrects) == NULL) {
      snprintf(err, errlen, "%s:%d: claim [%s] corrects unknown claim '%s'", cl->file, cl->line,
               cl->id, cl->corrects);
      return TC_ENOTFOUND;
    }
  }
  return TC_SUCCESS;
}

/* The end of every load: once every file is in, `corrects` must name a
 * loaded claim; then the caller gets the whole catalog, or nothing. */
static int finish_load(tc_catalog **out, tc_catalog *cat, int status, char *err, size_t errlen)
{
  if (status == TC_SUCCESS)
    status = check_corrections(cat, err, errlen);
  if (status) {
    tc_catalog_free(cat);
    return status;
  }
  *out = cat;
  return TC_SUCCESS;
}

static int load_one(tc_catalog *cat, const char *path, char *err, size_t errlen)
{
  char *text;
  int status = read_file(&text, path, err, errlen);
  if (status)
    return status;
  status = load_text(cat, path, text, err, errlen);
  free(text);
  return status;
}

int tc_catalog_load_file(tc_catalog **out, const char *path, char *err, size_t errlen)
{
  *out = NULL;
  tc_catalog *cat = calloc(1, sizeof *cat);
  if (cat == NULL)
    return TC_ENOMEM;
  int status = load_one(cat, path, err, errlen);
  return finish_load(out, cat, status, err, errlen);
}

/* The same as tc_catalog_load_file for text already in memory (a
 * catalog that did not come from a file, and the fuzz targets); `name`
 * stands for the file in messages. */
int tc_catalog_load_buffer(tc_catalog **out, const char *name, const char *text, size_t len,
                           char *err, size_t errlen)
{
  *out = NULL;
  if (memchr(text, '\0', len) != NULL) {
    snprintf(err, errlen, "%s:1: not a text file (contains a NUL byte)", name);
    return TC_ESYNTAX;
  }
  char *copy = malloc(len + 1);
  tc_catalog *cat = calloc(1, sizeof *cat);
  if (copy == NULL || cat == NULL) {
    free(copy);
    free(cat);
    return TC_ENOMEM;
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  int status = load_text(cat, name, copy, err, errlen);
  free(copy);
  return finish_load(out, cat, status, err, errlen);
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int tc_catalog_load_dir(tc_catalog **out, const char *dir, char *err, size_t errlen)
{
  *out = NULL;
  DIR *d = opendir(dir);
  if (d == NULL) {
    snprintf(err, errlen, "%s: cannot open catalog directory: %s", dir, strerror(errno));
    return TC_EIO;
  }
  char **names = NULL;
  size_t n = 0;
  int listed = TC_SUCCESS;
  struct dirent *e;
  while (listed == TC_SUCCESS && (e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len <= 4 || strcmp(e->d_name + len - 4, ".thm") != 0)
      continue;
    /* A file silently left out would change the catalog: fail instead. */
    char **grown = realloc(names, (n + 1) * sizeof *grown);
    if (grown == NULL || (grown[n] = strdup(e->d_name)) == NULL)
      listed = TC_ENOMEM;
    if (grown != NULL)
      names = grown;
    n += listed == TC_SUCCESS;
  }
  closedir(d);
  /* Name order, so the catalog (and every report) is the same everywhere;
   * qsort must not be given the NULL of an empty directory. */
  if (n > 0)
    qsort(names, n, sizeof *names, cmp_names);
  tc_catalog *cat = calloc(1, sizeof *cat);
  int status = cat ? listed : TC_ENOMEM;
  if (status == TC_SUCCESS && n == 0) {
    snprintf(err, errlen, "%s: no *.thm catalog files in this directory", dir);
    status = TC_ENOTFOUND;
  }
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    if (path == NULL) {
      status = TC_ENOMEM;
      break;
    }
    snprintf(path, len, "%s/%s", dir, names[i]);
    status = load_one(cat, path, err, errlen);
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return finish_load(out, cat, status, err, errlen);
}

const tc_claim *tc_catalog_find(const tc_catalog *cat, const char *id)
{
  for (size_t i = 0; i < cat->n; i++)
    if (strcmp(cat->claims[i].id, id) == 0)
      return &cat->claims[i];
  return NULL;
}

const char *tc_kind_name(tc_kind kind)
{
  static const char *names[] = {"deterministic", "probability", "expectation", "rate"};
  return (unsigned)kind < 4 ? names[kind] : "unknown";
}
