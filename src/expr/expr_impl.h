/* expr_impl.h — private to src/expr: the syntax tree of tc_expr.
 *
 * Literals keep their decimal text and are converted only at evaluation,
 * so that "0.1" is correctly rounded at whatever precision the caller
 * asks for instead of inheriting a double's rounding. */
#ifndef TC_EXPR_IMPL_H
#define TC_EXPR_IMPL_H

#include <stddef.h>
#include "tc_expr.h"
/* Internal to libthmcheck: not exported (see Makefile.am). */
#pragma GCC visibility push(hidden)

typedef enum {
  EXPR_NUM,   /* text: the literal */
  EXPR_VAR,   /* text: the name */
  EXPR_PI,
  EXPR_E,
  EXPR_NEG,   /* args[0] */
  EXPR_ADD,   /* args[0] op args[1], likewise SUB, MUL, DIV, POW */
  EXPR_SUB,
  EXPR_MUL,
  EXPR_DIV,
  EXPR_POW,
  EXPR_CALL   /* fn(args[0..nargs-1]) */
} expr_kind;

typedef enum {
  EXPR_FN_SQRT,
  EXPR_FN_EXP,
  EXPR_FN_LOG,
  EXPR_FN_ABS,
  EXPR_FN_ERF,
  EXPR_FN_FLOOR,
  EXPR_FN_CEIL,
  EXPR_FN_MIN,
  EXPR_FN_MAX,
  EXPR_FN_SIN,  /* sin, cos, tanh: for objectives (checks/objective.c) */
  EXPR_FN_COS,
  EXPR_FN_TANH
} expr_fn;

typedef struct expr_node {
  expr_kind kind;
  expr_fn fn;                 /* EXPR_CALL only */
  char *text;                 /* EXPR_NUM, EXPR_VAR: owned */
  size_t nargs;
  struct expr_node **args;    /* owned, nargs entries */
  unsigned depth;             /* height of the subtree, bounds recursion */
} expr_node;

struct tc_expr {
  expr_node *root;
  char **names;               /* distinct variable names, first use first */
  size_t nnames;
};

/* Free a subtree (NULL is allowed).  Shared by the parser's error paths
 * and tc_expr_free. */
void tc_expr_node_free(expr_node *n);

#pragma GCC visibility pop
#endif
