/* tc_expr_parse — recursive-descent parser for catalog expressions.
 *
 * One function per grammar rule of tc_expr.h.  Errors name the 1-based
 * column (byte offset) of the offending token, because catalog authors
 * fix expressions by reading the message, not a debugger.  Nesting is
 * bounded so that neither parsing nor the recursive evaluator and
 * destructor can overflow the stack on hostile input. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_impl.h"

/* Far beyond any bound a lecture states, far below a stack overflow. */
#define MAX_NESTING 200   /* parentheses, unary minus, exponents */
#define MAX_HEIGHT 1000   /* height of the tree (long sums, products) */

typedef struct {
  const char *name;
  expr_fn fn;
  size_t min_args, max_args;   /* max_args 0: no upper limit */
} fn_entry;

static const fn_entry functions[] = {
  {"sqrt", EXPR_FN_SQRT, 1, 1},   {"exp", EXPR_FN_EXP, 1, 1},
  {"log", EXPR_FN_LOG, 1, 1},     {"abs", EXPR_FN_ABS, 1, 1},
  {"erf", EXPR_FN_ERF, 1, 1},     {"floor", EXPR_FN_FLOOR, 1, 1},
  {"ceil", EXPR_FN_CEIL, 1, 1},   {"min", EXPR_FN_MIN, 1, 0},
  {"max", EXPR_FN_MAX, 1, 0},     {"sin", EXPR_FN_SIN, 1, 1},
  {"cos", EXPR_FN_COS, 1, 1},     {"tanh", EXPR_FN_TANH, 1, 1},
};

typedef struct {
  const char *s;
  size_t pos;
  int nesting;
  int failed;
  char *err;
  size_t errlen;
  tc_expr *e;       /* receives the variable names */
} parser;

static void fail(parser *p, size_t pos, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Only the first error is kept: later ones are consequences of it. */
static void fail(parser *p, size_t pos, const char *fmt, ...)
{
  if (p->failed)
    return;
  p->failed = 1;
  if (p->err == NULL || p->errlen == 0)
    return;
  int len = snprintf(p->err, p->errlen, "column %zu: ", pos + 1);
  if (len < 0 || (size_t)len >= p->errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + len, p->errlen - (size_t)len, fmt, ap);
  va_end(ap);
}

static void fail_unexpected(parser *p, const char *after)
{
  unsigned char c = (unsigned char)p->s[p->pos];
  if (c == '\0')
    fail(p, p->pos, "unexpected end of expression");
  else if (isgraph(c))
    fail(p, p->pos, "unexpected '%c'%s", c, after);
  else
    fail(p, p->pos, "unexpected character 0x%02x%s", c, after);
}

static void skip_space(parser *p)
{
  while (isspace((unsigned char)p->s[p->pos]))
    p->pos++;
}

static int is_name_start(int c)
{
  return isalpha((unsigned char)c) || c == '_';
}

static int is_name_char(int c)
{
  return isalnum((unsigned char)c) || c == '_';
}

static char *dup_range(const char *s, size_t len)
{
  char *t = malloc(len + 1);
  if (t != NULL) {
    memcpy(t, s, len);
    t[len] = '\0';
  }
  return t;
}

/* A node with the given children (taken over, freed on failure). */
static expr_node *make_node(parser *p, size_t pos, expr_kind kind, size_t nargs,
                            expr_node **args)
{
  expr_node *n = calloc(1, sizeof *n);
  if (n == NULL) {
    for (size_t i = 0; i < nargs; i++)
      tc_expr_node_free(args[i]);
    fail(p, pos, "out of memory");
    return NULL;
  }
  n->kind = kind;
  n->nargs = nargs;
  n->depth = 1;
  if (nargs > 0) {
    n->args = malloc(nargs * sizeof *n->args);
    if (n->args == NULL) {
      n->nargs = 0;
      for (size_t i = 0; i < nargs; i++)
        tc_expr_node_free(args[i]);
      tc_expr_node_free(n);
      fail(p, pos, "out of memory");
      return NULL;
    }
    for (size_t i = 0; i < nargs; i++) {
      n->args[i] = args[i];
      if (args[i]->depth + 1 > n->depth)
        n->depth = args[i]->depth + 1;
    }
  }
  if (n->depth > MAX_HEIGHT) {
    tc_expr_node_free(n);
    fail(p, pos, "expression too long (tree height over %d)", MAX_HEIGHT);
    return NULL;
  }
  return n;
}

static expr_node *make_binary(parser *p, size_t pos, expr_kind kind, expr_node *a,
                              expr_node *b)
{
  expr_node *args[2] = {a, b};
  return make_node(p, pos, kind, 2, args);
}

static int add_name(parser *p, const char *name)
{
  tc_expr *e = p->e;
  for (size_t i = 0; i < e->nnames; i++)
    if (strcmp(e->names[i], name) == 0)
      return 1;
  char **grown = realloc(e->names, (e->nnames + 1) * sizeof *grown);
  if (grown == NULL)
    return 0;
  e->names = grown;
  if ((e->names[e->nnames] = strdup(name)) == NULL)
    return 0;
  e->nnames++;
  return 1;
}

static expr_node *parse_expr(parser *p);
static expr_node *parse_unary(parser *p);

/* Decimal literal: digits [. digits] [(e|E) [+-] digits], or .digits.
 * An 'e' not followed by an exponent is left for the caller (so "2e" is
 * the number 2 followed by the name e, which the grammar rejects). */
static expr_node *parse_number(parser *p)
{
  const char *s = p->s;
  size_t start = p->pos, i = start, digits = 0;
  while (isdigit((unsigned char)s[i])) {
    i++;
    digits++;
  }
  if (s[i] == '.') {
    i++;
    while (isdigit((unsigned char)s[i])) {
      i++;
      digits++;
    }
  }
  if (digits == 0) {
    fail_unexpected(p, "");
    return NULL;
  }
  if (s[i] == 'e' || s[i] == 'E') {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-')
      j++;
    if (isdigit((unsigned char)s[j])) {
      while (isdigit((unsigned char)s[j]))
        j++;
      i = j;
    }
  }
  expr_node *n = make_node(p, start, EXPR_NUM, 0, NULL);
  if (n == NULL)
    return NULL;
  if ((n->text = dup_range(s + start, i - start)) == NULL) {
    tc_expr_node_free(n);
    fail(p, start, "out of memory");
    return NULL;
  }
  p->pos = i;
  return n;
}

/* name '(' expr (',' expr)* ')', the name already read. */
static expr_node *parse_call(parser *p, size_t name_pos, const char *name)
{
  const fn_entry *f = NULL;
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
    if (strcmp(functions[i].name, name) == 0)
      f = &functions[i];
  if (f == NULL) {
    fail(p, name_pos, "unknown function '%s'", name);
    return NULL;
  }
  p->pos++;  /* '(' */

  expr_node **args = NULL;
  size_t nargs = 0;
  skip_space(p);
  /* "max()" is an arity error, worth saying as such rather than
   * "unexpected ')'". */
  if (p->s[p->pos] != ')') {
    for (;;) {
      expr_node *a = parse_expr(p);
      if (a == NULL)
        goto error;
      expr_node **grown = realloc(args, (nargs + 1) * sizeof *grown);
      if (grown == NULL) {
        tc_expr_node_free(a);
        fail(p, p->pos, "out of memory");
        goto error;
      }
      args = grown;
      args[nargs++] = a;
      skip_space(p);
      if (p->s[p->pos] == ',') {
        p->pos++;
        continue;
      }
      if (p->s[p->pos] == ')')
        break;
      fail(p, p->pos, f->max_args == 1 ? "expected ')'" : "expected ',' or ')'");
      goto error;
    }
  }
  p->pos++;  /* ')' */

  if (nargs < f->min_args || (f->max_args != 0 && nargs > f->max_args)) {
    if (f->max_args == f->min_args)
      fail(p, name_pos, "%s takes %zu argument%s, got %zu", name, f->min_args,
           f->min_args == 1 ? "" : "s", nargs);
    else
      fail(p, name_pos, "%s takes at least %zu argument%s, got %zu", name,
           f->min_args, f->min_args == 1 ? "" : "s", nargs);
    goto error;
  }
  expr_node *n = make_node(p, name_pos, EXPR_CALL, nargs, args);
  free(args);
  if (n != NULL)
    n->fn = f->fn;
  return n;

error:
  for (size_t i = 0; i < nargs; i++)
    tc_expr_node_free(args[i]);
  free(args);
  return NULL;
}

/* atom := number | name | name '(' args ')' | '(' expr ')' */
static expr_node *parse_atom(parser *p)
{
  skip_space(p);
  const char *s = p->s;
  size_t start = p->pos;
  char c = s[start];

  if (c == '(') {
    p->pos++;
    expr_node *n = parse_expr(p);
    if (n == NULL)
      return NULL;
    skip_space(p);
    if (s[p->pos] != ')') {
      fail(p, p->pos, "expected ')'");
      tc_expr_node_free(n);
      return NULL;
    }
    p->pos++;
    return n;
  }
  if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[start + 1])))
    return parse_number(p);
  if (!is_name_start(c)) {
    fail_unexpected(p, "");
    return NULL;
  }

  size_t end = start;
  while (is_name_char(s[end]))
    end++;
  char *name = dup_range(s + start, end - start);
  if (name == NULL) {
    fail(p, start, "out of memory");
    return NULL;
  }
  p->pos = end;
  skip_space(p);

  expr_node *n;
  if (s[p->pos] == '(') {
    n = parse_call(p, start, name);
  } else if (strcmp(name, "pi") == 0) {
    n = make_node(p, start, EXPR_PI, 0, NULL);
  } else if (strcmp(name, "e") == 0) {
    n = make_node(p, start, EXPR_E, 0, NULL);
  } else if (!add_name(p, name)) {
    fail(p, start, "out of memory");
    n = NULL;
  } else if ((n = make_node(p, start, EXPR_VAR, 0, NULL)) != NULL) {
    n->text = name;
    return n;
  }
  free(name);
  return n;
}

/* power := atom ('^' unary)?   -- right-associative through unary */
static expr_node *parse_power(parser *p)
{
  expr_node *base = parse_atom(p);
  if (base == NULL)
    return NULL;
  skip_space(p);
  if (p->s[p->pos] != '^')
    return base;
  size_t op = p->pos++;
  expr_node *expo = parse_unary(p);
  if (expo == NULL) {
    tc_expr_node_free(base);
    return NULL;
  }
  return make_binary(p, op, EXPR_POW, base, expo);
}

/* unary := '-' unary | power.  Every recursive path of the grammar goes
 * through here, so this is where nesting is counted. */
static expr_node *parse_unary(parser *p)
{
  skip_space(p);
  if (++p->nesting > MAX_NESTING) {
    fail(p, p->pos, "expression nested too deeply (over %d levels)", MAX_NESTING);
    return NULL;
  }
  expr_node *n;
  if (p->s[p->pos] == '-') {
    size_t op = p->pos++;
    expr_node *a = parse_unary(p);
    n = a == NULL ? NULL : make_node(p, op, EXPR_NEG, 1, &a);
  } else {
    n = parse_power(p);
  }
  p->nesting--;
  return n;
}

/* term := unary (('*'|'/') unary)* */
static expr_node *parse_term(parser *p)
{
  expr_node *n = parse_unary(p);
  while (n != NULL) {
    skip_space(p);
    char c = p->s[p->pos];
    if (c != '*' && c != '/')
      break;
    size_t op = p->pos++;
    expr_node *b = parse_unary(p);
    if (b == NULL) {
      tc_expr_node_free(n);
      return NULL;
    }
    n = make_binary(p, op, c == '*' ? EXPR_MUL : EXPR_DIV, n, b);
  }
  return n;
}

/* expr := term (('+'|'-') term)* */
static expr_node *parse_expr(parser *p)
{
  expr_node *n = parse_term(p);
  while (n != NULL) {
    skip_space(p);
    char c = p->s[p->pos];
    if (c != '+' && c != '-')
      break;
    size_t op = p->pos++;
    expr_node *b = parse_term(p);
    if (b == NULL) {
      tc_expr_node_free(n);
      return NULL;
    }
    n = make_binary(p, op, c == '+' ? EXPR_ADD : EXPR_SUB, n, b);
  }
  return n;
}

tc_expr *tc_expr_parse(const char *text, char *err, size_t errlen)
{
  parser p = {text, 0, 0, 0, err, errlen, NULL};
  if (err != NULL && errlen > 0)
    err[0] = '\0';

  tc_expr *e = calloc(1, sizeof *e);
  if (e == NULL) {
    fail(&p, 0, "out of memory");
    return NULL;
  }
  p.e = e;

  skip_space(&p);
  if (text[p.pos] == '\0') {
    fail(&p, 0, "empty expression");
    tc_expr_free(e);
    return NULL;
  }
  e->root = parse_expr(&p);
  if (e->root != NULL) {
    skip_space(&p);
    if (text[p.pos] != '\0')
      fail_unexpected(&p, " after end of expression");
  }
  if (p.failed) {
    tc_expr_free(e);
    return NULL;
  }
  return e;
}
