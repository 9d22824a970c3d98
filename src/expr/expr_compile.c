/* tc_expr_compile — flatten a parsed expression into a straight-line
 * program (tc_expr.h) for evaluators in other number types.
 *
 * Forward-mode automatic differentiation needs every operation once, in
 * order, on a number type the tree evaluator does not know (dual and
 * hyper-dual numbers in double and MPFR).  Resolving names to slots here,
 * once, keeps string look-ups out of the inner loop of an optimiser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_impl.h"

typedef struct {
  tc_expr_prog *p;
  size_t cap;
  tc_expr_slot_fn slot;
  void *data;
  char *err;
  size_t errlen;
} compiler;

/* Append one instruction; its index in *at.  0 on no memory. */
static int emit(compiler *c, tc_expr_instr in, size_t *at)
{
  if (c->p->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 16;
    tc_expr_instr *grown = realloc(c->p->code, cap * sizeof *grown);
    if (grown == NULL) {
      free(in.text);
      return 0;
    }
    c->p->code = grown;
    c->cap = cap;
  }
  *at = c->p->n;
  c->p->code[c->p->n++] = in;
  return 1;
}

static tc_expr_op call_op(expr_fn fn)
{
  switch (fn) {
  case EXPR_FN_SQRT: return TC_EXPR_OP_SQRT;
  case EXPR_FN_EXP: return TC_EXPR_OP_EXP;
  case EXPR_FN_LOG: return TC_EXPR_OP_LOG;
  case EXPR_FN_ABS: return TC_EXPR_OP_ABS;
  case EXPR_FN_ERF: return TC_EXPR_OP_ERF;
  case EXPR_FN_FLOOR: return TC_EXPR_OP_FLOOR;
  case EXPR_FN_CEIL: return TC_EXPR_OP_CEIL;
  case EXPR_FN_MIN: return TC_EXPR_OP_MIN;
  case EXPR_FN_MAX: return TC_EXPR_OP_MAX;
  case EXPR_FN_SIN: return TC_EXPR_OP_SIN;
  case EXPR_FN_COS: return TC_EXPR_OP_COS;
  default: return TC_EXPR_OP_TANH;
  }
}

static tc_expr_op binary_op(expr_kind k)
{
  switch (k) {
  case EXPR_ADD: return TC_EXPR_OP_ADD;
  case EXPR_SUB: return TC_EXPR_OP_SUB;
  case EXPR_MUL: return TC_EXPR_OP_MUL;
  case EXPR_DIV: return TC_EXPR_OP_DIV;
  default: return TC_EXPR_OP_POW;
  }
}

/* Leaves: literals, constants, names.  -1 on error (message in c->err). */
static int compile_leaf(compiler *c, const expr_node *n, size_t *at)
{
  tc_expr_instr in = {0};
  if (n->kind == EXPR_NUM) {
    in.op = TC_EXPR_OP_NUM;
    in.value = strtod(n->text, NULL);
    if ((in.text = strdup(n->text)) == NULL)
      return -1;
  } else if (n->kind == EXPR_VAR) {
    in.op = TC_EXPR_OP_INPUT;
    if (c->slot == NULL || c->slot(&in.input, n->text, c->data) != 0) {
      if (c->err != NULL && c->errlen > 0)
        snprintf(c->err, c->errlen, "%s", n->text);
      return -1;
    }
  } else {
    in.op = n->kind == EXPR_PI ? TC_EXPR_OP_PI : TC_EXPR_OP_E;
  }
  return emit(c, in, at) ? 0 : -1;
}

/* Recursion is bounded by the parser's limit on tree height. */
static int compile_node(compiler *c, const expr_node *n, size_t *at)
{
  if (n->nargs == 0)
    return compile_leaf(c, n, at);
  size_t a, b;
  if (compile_node(c, n->args[0], &a) != 0)
    return -1;
  tc_expr_instr in = {0};
  in.a = a;
  if (n->kind == EXPR_NEG || (n->kind == EXPR_CALL && n->nargs == 1)) {
    in.op = n->kind == EXPR_NEG ? TC_EXPR_OP_NEG : call_op(n->fn);
    if (in.op == TC_EXPR_OP_MIN || in.op == TC_EXPR_OP_MAX) { /* min(x) = x */
      *at = a;
      return 0;
    }
    return emit(c, in, at) ? 0 : -1;
  }
  in.op = n->kind == EXPR_CALL ? call_op(n->fn) : binary_op(n->kind);
  for (size_t i = 1; i < n->nargs; i++) {
    if (compile_node(c, n->args[i], &b) != 0)
      return -1;
    in.b = b;
    if (!emit(c, in, &a))
      return -1;
    in.a = a;
  }
  *at = a;
  return 0;
}

tc_expr_prog *tc_expr_compile(const tc_expr *e, tc_expr_slot_fn slot, void *data, char *err,
                              size_t errlen)
{
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  tc_expr_prog *p = calloc(1, sizeof *p);
  if (p == NULL)
    return NULL;
  compiler c = {p, 0, slot, data, err, errlen};
  size_t at;
  if (compile_node(&c, e->root, &at) != 0) {
    if (err != NULL && errlen > 0 && err[0] == '\0')
      snprintf(err, errlen, "out of memory");
    tc_expr_prog_free(p);
    return NULL;
  }
  return p;
}

void tc_expr_prog_free(tc_expr_prog *p)
{
  if (p == NULL)
    return;
  for (size_t i = 0; i < p->n; i++)
    free(p->code[i].text);
  free(p->code);
  free(p);
}
