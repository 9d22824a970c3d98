/* The user-written objective of a claim (tc_objective.h): `variables`,
 * `objective`, `data`, `fstar` and `start`, parsed and checked at load so
 * that a typo in a lecturer's function is an input error at its line, not
 * a failed run. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_status.h"
#include "catalog_objective.h"

typedef struct {
  const char *file;
  char *err;
  size_t errlen;
  tc_claim *cl;
  tc_objective *o;
} obj_ctx;

static int fail(obj_ctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(obj_ctx *c, int line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = tc_catalog_vfail(c->err, c->errlen, c->file, line, fmt, ap);
  va_end(ap);
  return rc;
}

int tc_catalog_vfail(char *err, size_t errlen, const char *file, int line, const char *fmt, va_list ap)
{
  if (err == NULL || errlen == 0)
    return TC_ESYNTAX;
  int n = snprintf(err, errlen, "%s:%d: ", file, line);
  if (n < 0 || (size_t)n >= errlen)
    return TC_ESYNTAX;
  vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
  return TC_ESYNTAX;
}

char *tc_catalog_trim(char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  char *end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1]))
    *--end = '\0';
  return s;
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

static int find(char **names, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0)
      return (int)i;
  return -1;
}

static int claim_has_param(const tc_claim *cl, const char *name)
{
  for (size_t i = 0; i < cl->nparams; i++)
    if (strcmp(cl->params[i].name, name) == 0)
      return 1;
  return 0;
}

/* A new name for a variable or column: an identifier, not pi/e, not
 * taken by another variable, column or claim parameter. */
static int add_name(obj_ctx *c, char ***names, size_t *n, size_t max, const char *name,
                    const char *what, int line)
{
  if (!is_name(name))
    return fail(c, line, "%s '%s' must be a plain identifier", what, name);
  if (strcmp(name, "pi") == 0 || strcmp(name, "e") == 0)
    return fail(c, line, "%s name '%s' is reserved for a constant", what, name);
  if (find(c->o->vars, c->o->nvars, name) >= 0 || find(c->o->cols, c->o->ncols, name) >= 0 ||
      claim_has_param(c->cl, name))
    return fail(c, line, "%s '%s' is already a variable, a data column or a parameter", what, name);
  if (*n >= max)
    return fail(c, line, "more than %zu %ss", max, what);
  char **grown = realloc(*names, (*n + 1) * sizeof *grown);
  if (grown == NULL)
    return TC_ENOMEM;
  *names = grown;
  if ((grown[*n] = strdup(name)) == NULL)
    return TC_ENOMEM;
  (*n)++;
  return TC_SUCCESS;
}

/* `x`, `x1, x2`, or `x[3]` for x1, x2, x3. */
static int parse_variables(obj_ctx *c, const char *text, int line)
{
  char *copy = strdup(text), *next = copy;
  int status = copy ? TC_SUCCESS : TC_ENOMEM;
  while (status == TC_SUCCESS && next != NULL) {
    char *tok = next, *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    tok = tc_catalog_trim(tok);
    char *br = strchr(tok, '[');
    if (br == NULL) {
      status = add_name(c, &c->o->vars, &c->o->nvars, TC_OBJECTIVE_MAX_VARS, tok, "variable", line);
      continue;
    }
    char *end;
    long d = strtol(br + 1, &end, 10);
    if (end == br + 1 || strcmp(end, "]") != 0 || d < 1 || d > TC_OBJECTIVE_MAX_VARS) {
      status = fail(c, line, "variables: '%s' must be NAME[d] with 1 <= d <= %d", tok,
                    TC_OBJECTIVE_MAX_VARS);
      break;
    }
    *br = '\0';
    char name[96];
    for (long i = 1; i <= d && status == TC_SUCCESS; i++) {
      snprintf(name, sizeof name, "%.80s%ld", tok, i);
      status = add_name(c, &c->o->vars, &c->o->nvars, TC_OBJECTIVE_MAX_VARS, name, "variable", line);
    }
  }
  free(copy);
  return status;
}

static int data_value(obj_ctx *c, const char *tok, int line)
{
  tc_objective *o = c->o;
  char *end;
  errno = 0;
  double v = strtod(tok, &end);
  if (end == tok || *end != '\0' || errno != 0 || !isfinite(v))
    return fail(c, line, "data: '%s' is not a number (row %zu)", tok, o->nrows + 1);
  size_t at = o->nrows * o->ncols;
  for (size_t j = 0; j < o->ncols; j++)
    if (o->data_text[at + j] == NULL) {
      o->data[at + j] = v;
      return (o->data_text[at + j] = strdup(tok)) ? TC_SUCCESS : TC_ENOMEM;
    }
  return fail(c, line, "data: row %zu has more than %zu values", o->nrows + 1, o->ncols);
}

/* One row "1, 2, 3" of the data. */
static int data_row(obj_ctx *c, char *row, int line)
{
  tc_objective *o = c->o;
  if (o->nrows >= TC_OBJECTIVE_MAX_ROWS)
    return fail(c, line, "data: more than %d rows", TC_OBJECTIVE_MAX_ROWS);
  size_t cells = (o->nrows + 1) * o->ncols, at = o->nrows * o->ncols;
  char **t = realloc(o->data_text, cells * sizeof *t);
  if (t == NULL)
    return TC_ENOMEM;
  o->data_text = t;
  for (size_t j = 0; j < o->ncols; j++)
    t[at + j] = NULL;
  double *v = realloc(o->data, cells * sizeof *v);
  if (v == NULL)
    return TC_ENOMEM;
  o->data = v;
  int status = TC_SUCCESS;
  for (char *next = row; status == TC_SUCCESS && next != NULL;) {
    char *tok = next, *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    status = data_value(c, tc_catalog_trim(tok), line);
  }
  if (status == TC_SUCCESS && t[cells - 1] == NULL)
    status = fail(c, line, "data: row %zu has fewer than %zu values", o->nrows + 1, o->ncols);
  if (status == TC_SUCCESS) {
    o->nrows++;
    return status;
  }
  for (size_t j = 0; j < o->ncols; j++) { /* the partial row is not kept */
    free(t[at + j]);
    t[at + j] = NULL;
  }
  return status;
}

/* `a, b; 1, 2; 3, 4`: the column names, then rows, separated by ';'. */
static int parse_data(obj_ctx *c, const char *text, int line)
{
  char *copy = strdup(text);
  if (copy == NULL)
    return TC_ENOMEM;
  char *semi = strchr(copy, ';');
  int status = TC_SUCCESS;
  if (semi == NULL)
    status = fail(c, line, "data: expected 'col, col; row; row' (column names, then rows after ';')");
  else
    *semi = '\0';
  for (char *next = copy; status == TC_SUCCESS && next != NULL;) {
    char *tok = next, *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    status = add_name(c, &c->o->cols, &c->o->ncols, TC_OBJECTIVE_MAX_COLS, tc_catalog_trim(tok),
                      "data column", line);
  }
  for (char *next = semi ? semi + 1 : NULL; status == TC_SUCCESS && next != NULL;) {
    char *row = next, *s = strchr(next, ';');
    if (s)
      *s = '\0';
    next = s ? s + 1 : NULL;
    row = tc_catalog_trim(row);
    if (*row == '\0' && next == NULL && c->o->nrows > 0)
      break; /* a trailing ';' */
    status = data_row(c, row, line);
  }
  free(copy);
  return status;
}

/* Slots of the summand: variables, columns, then the claim parameters it
 * reads (added on first use). */
static int summand_slot(size_t *slot, const char *name, void *data)
{
  obj_ctx *c = data;
  tc_objective *o = c->o;
  int i;
  if ((i = find(o->vars, o->nvars, name)) >= 0) {
    *slot = (size_t)i;
  } else if ((i = find(o->cols, o->ncols, name)) >= 0) {
    *slot = o->nvars + (size_t)i;
  } else if ((i = find(o->params, o->nparams, name)) >= 0) {
    *slot = o->nvars + o->ncols + (size_t)i;
  } else if (claim_has_param(c->cl, name)) {
    char **grown = realloc(o->params, (o->nparams + 1) * sizeof *grown);
    if (grown == NULL)
      return 1;
    o->params = grown;
    if ((grown[o->nparams] = strdup(name)) == NULL)
      return 1;
    *slot = o->nvars + o->ncols + o->nparams++;
  } else {
    return 1;
  }
  return 0;
}

typedef struct {
  const tc_claim *cl;
  const char *bad;
} param_names;

static void check_param_name(const char *name, void *data)
{
  param_names *pn = data;
  if (pn->bad == NULL && !claim_has_param(pn->cl, name))
    pn->bad = name;
}

/* The first literal of p that is not a finite double (1e400), or NULL.
 * MPFR's wider exponent range would hold it, so the double and MPFR runs
 * of one objective would compute different functions: an input error. */
static const char *prog_overflow(const tc_expr_prog *p)
{
  for (size_t i = 0; i < p->n; i++)
    if (p->code[i].op == TC_EXPR_OP_NUM && !isfinite(p->code[i].value))
      return p->code[i].text;
  return NULL;
}

static int any_slot(size_t *slot, const char *name, void *data)
{
  (void)name;
  (void)data;
  *slot = 0;
  return 0;
}

static int check_literals(obj_ctx *c, const tc_expr_prog *p, const char *key, int line)
{
  const char *lit = prog_overflow(p);
  if (lit != NULL)
    return fail(c, line, "%s: the number %s is beyond the double range (about 1.8e308)", key, lit);
  return TC_SUCCESS;
}

/* fstar and start read claim parameters only. */
static int param_expr(obj_ctx *c, tc_expr **out, const char *text, const char *key, int line)
{
  char msg[200];
  if ((*out = tc_expr_parse(text, msg, sizeof msg)) == NULL)
    return fail(c, line, "%s: %s", key, msg);
  param_names pn = {c->cl, NULL};
  tc_expr_foreach_name(*out, check_param_name, &pn);
  if (pn.bad)
    return fail(c, line, "%s: '%s' is not a parameter of claim [%s]", key, pn.bad, c->cl->id);
  tc_expr_prog *p = tc_expr_compile(*out, any_slot, NULL, msg, sizeof msg);
  if (p == NULL)
    return TC_ENOMEM;
  int status = check_literals(c, p, key, line);
  tc_expr_prog_free(p);
  return status;
}

/* The first ',' outside parentheses: the commas of min(a, b) and max(a, b)
 * belong to the expression, not to the list of coordinates. */
static char *top_level_comma(char *s)
{
  int depth = 0;
  for (; *s; s++) {
    if (*s == '(')
      depth++;
    else if (*s == ')' && depth > 0)
      depth--;
    else if (*s == ',' && depth == 0)
      return s;
  }
  return NULL;
}

/* `start = 1.5` (every coordinate) or one expression per variable. */
static int parse_start(obj_ctx *c, const char *text, int line)
{
  tc_objective *o = c->o;
  char *copy = strdup(text);
  int status = copy ? TC_SUCCESS : TC_ENOMEM;
  for (char *next = copy; status == TC_SUCCESS && next != NULL;) {
    char *tok = next, *comma = top_level_comma(next);
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    if (o->nstart == o->nvars) {
      status = fail(c, line, "start: more values than the %zu variables", o->nvars);
      break;
    }
    tc_expr **grown = realloc(o->start, (o->nstart + 1) * sizeof *grown);
    if (grown == NULL) {
      status = TC_ENOMEM;
      break;
    }
    o->start = grown;
    grown[o->nstart] = NULL;
    status = param_expr(c, &grown[o->nstart++], tc_catalog_trim(tok), "start", line);
  }
  free(copy);
  if (status == TC_SUCCESS && o->nstart != 1 && o->nstart != o->nvars)
    return fail(c, line, "start: give one value for every coordinate or %zu values, not %zu",
                o->nvars, o->nstart);
  return status;
}

static int check_keys(obj_ctx *c, const tc_objective_lines *ln)
{
  tc_claim *cl = c->cl;
  int is_obj = strcmp(cl->check_name, TC_OBJECTIVE_CHECK) == 0;
  const int lines[] = {ln->variables, ln->data, ln->fstar, ln->start};
  const char *keys[] = {"variables", "data", "fstar", "start"};
  if (cl->objective_text == NULL) {
    if (is_obj)
      return fail(c, cl->line, "claim [%s]: check module '%s' needs 'objective' and 'variables'",
                  cl->id, TC_OBJECTIVE_CHECK);
    for (size_t i = 0; i < 4; i++)
      if (lines[i])
        return fail(c, lines[i], "'%s' belongs to an 'objective' (check = %s)", keys[i],
                    TC_OBJECTIVE_CHECK);
    return TC_SUCCESS;
  }
  if (!is_obj)
    return fail(c, ln->objective, "'objective' is read only by check module '%s', not '%s'",
                TC_OBJECTIVE_CHECK, cl->check_name);
  if (cl->variables_text == NULL)
    return fail(c, ln->objective, "claim [%s]: 'objective' needs 'variables' (e.g. variables = x)",
                cl->id);
  if (cl->start_text == NULL)
    return fail(c, ln->objective, "claim [%s]: 'objective' needs 'start' (the point x_0)", cl->id);
  return TC_SUCCESS;
}

int tc_catalog_objective_build(tc_claim *cl, const char *file, const tc_objective_lines *ln,
                               char *err, size_t errlen)
{
  obj_ctx c = {file, err, errlen, cl, NULL};
  int status = check_keys(&c, ln);
  if (status != TC_SUCCESS || cl->objective_text == NULL)
    return status;
  if ((c.o = cl->objective = calloc(1, sizeof *c.o)) == NULL)
    return TC_ENOMEM;
  if ((status = parse_variables(&c, cl->variables_text, ln->variables)))
    return status;
  if (cl->data_text && (status = parse_data(&c, cl->data_text, ln->data)))
    return status;
  char msg[200];
  if ((c.o->expr = tc_expr_parse(cl->objective_text, msg, sizeof msg)) == NULL)
    return fail(&c, ln->objective, "objective: %s", msg);
  if ((c.o->prog = tc_expr_compile(c.o->expr, summand_slot, &c, msg, sizeof msg)) == NULL)
    return fail(&c, ln->objective, "objective: '%s' is not a variable, a data column nor a "
                "parameter of claim [%s]", msg, cl->id);
  if ((status = check_literals(&c, c.o->prog, "objective", ln->objective)))
    return status;
  if (cl->fstar_text && (status = param_expr(&c, &c.o->fstar, cl->fstar_text, "fstar", ln->fstar)))
    return status;
  return parse_start(&c, cl->start_text, ln->start);
}

typedef struct {
  const char *name;
  int found;
} uses_ctx;

static void uses_one(const char *name, void *data)
{
  uses_ctx *u = data;
  if (strcmp(name, u->name) == 0)
    u->found = 1;
}

int tc_catalog_objective_uses(const tc_objective *o, const char *name)
{
  if (o == NULL)
    return 0;
  if (find(o->params, o->nparams, name) >= 0)
    return 1;
  uses_ctx u = {name, 0};
  if (o->fstar)
    tc_expr_foreach_name(o->fstar, uses_one, &u);
  for (size_t i = 0; i < o->nstart; i++)
    tc_expr_foreach_name(o->start[i], uses_one, &u);
  return u.found;
}

static void free_names(char **names, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

void tc_catalog_objective_free(tc_objective *o)
{
  if (o == NULL)
    return;
  free_names(o->vars, o->nvars);
  free_names(o->cols, o->ncols);
  free_names(o->params, o->nparams);
  if (o->data_text)
    for (size_t i = 0; i < o->nrows * o->ncols; i++)
      free(o->data_text[i]);
  free(o->data_text);
  free(o->data);
  tc_expr_free(o->expr);
  tc_expr_prog_free(o->prog);
  tc_expr_free(o->fstar);
  for (size_t i = 0; i < o->nstart; i++)
    tc_expr_free(o->start[i]);
  free(o->start);
  free(o);
}
