/* tc_expr.h — the small expression language of catalog bounds.
 *
 * Grammar (usual precedence, ^ right-associative and above unary minus,
 * so -x^2 = -(x^2)):
 *   expr   := term (('+'|'-') term)*
 *   term   := unary (('*'|'/') unary)*
 *   unary  := '-' unary | power
 *   power  := atom ('^' unary)?
 *   atom   := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 * Numbers: decimal with optional fraction and exponent (1, 0.5, 1e-3).
 * Names: [A-Za-z_][A-Za-z0-9_]*.  Constants: pi, e.  Functions: sqrt,
 * exp, log, abs, erf, min(a,b,...), max(a,b,...), floor, ceil, sin, cos,
 * tanh.
 * Everything is evaluated in MPFR at the precision of the result. */
#ifndef TC_EXPR_H
#define TC_EXPR_H

#include <stddef.h>
#include <mpfr.h>

typedef struct tc_expr tc_expr;

/* Values for the names an expression uses: a lookup callback, so the
 * engine can serve parameters and measured variables without copying.
 * Returns 0 and sets `value` when `name` is known, nonzero otherwise. */
typedef int (*tc_expr_lookup)(mpfr_ptr value, const char *name, void *data);

/* Parse `text`.  On error returns NULL and, when err != NULL, writes a
 * message like "column 7: expected ')'" into err (errlen bytes). */
tc_expr *tc_expr_parse(const char *text, char *err, size_t errlen);
void tc_expr_free(tc_expr *e);

/* Evaluate into r (rounded to r's precision, intermediate steps at that
 * precision).  TC_ENOTFOUND when a name is unknown (its name is written to
 * err), TC_EDOM for a function outside its domain (log of a negative),
 * TC_SUCCESS otherwise; NaN/Inf results are returned as computed, the
 * caller decides. */
int tc_expr_eval(mpfr_ptr r, const tc_expr *e, tc_expr_lookup lookup,
                 void *data, char *err, size_t errlen);

/* Call fn for every distinct variable name the expression uses (not
 * function names, not pi/e), in order of first appearance. */
void tc_expr_foreach_name(const tc_expr *e,
                          void (*fn)(const char *name, void *data), void *data);

/* ---- straight-line programs (for automatic differentiation) ----------
 *
 * An expression flattened into instructions in evaluation order, each
 * reading earlier results by index, with every name resolved once to an
 * input slot.  A caller evaluates it in its own number type (dual or
 * hyper-dual numbers in double or MPFR: checks/objective_source.h) without
 * seeing the syntax tree.  min/max of several arguments become chains of
 * two-argument min/max. */
typedef enum {
  TC_EXPR_OP_NUM,    /* the literal `text` (value: its double rounding) */
  TC_EXPR_OP_INPUT,  /* input slot `input` */
  TC_EXPR_OP_PI,
  TC_EXPR_OP_E,
  TC_EXPR_OP_NEG,    /* unary ops read a */
  TC_EXPR_OP_ADD,    /* binary ops read a and b */
  TC_EXPR_OP_SUB,
  TC_EXPR_OP_MUL,
  TC_EXPR_OP_DIV,
  TC_EXPR_OP_POW,
  TC_EXPR_OP_SQRT,
  TC_EXPR_OP_EXP,
  TC_EXPR_OP_LOG,
  TC_EXPR_OP_ABS,
  TC_EXPR_OP_ERF,
  TC_EXPR_OP_FLOOR,
  TC_EXPR_OP_CEIL,
  TC_EXPR_OP_MIN,
  TC_EXPR_OP_MAX,
  TC_EXPR_OP_SIN,
  TC_EXPR_OP_COS,
  TC_EXPR_OP_TANH
} tc_expr_op;

typedef struct {
  tc_expr_op op;
  size_t a, b;       /* operands: indices of earlier instructions */
  size_t input;      /* TC_EXPR_OP_INPUT */
  char *text;        /* TC_EXPR_OP_NUM: the literal (owned) */
  double value;      /* TC_EXPR_OP_NUM: strtod of text */
} tc_expr_instr;

typedef struct {
  size_t n;              /* the result is code[n - 1] */
  tc_expr_instr *code;
} tc_expr_prog;

/* Resolve `name` to an input slot: 0 and *slot set, nonzero if unknown. */
typedef int (*tc_expr_slot_fn)(size_t *slot, const char *name, void *data);

/* Flatten e.  NULL on an unknown name (written to err) or no memory. */
tc_expr_prog *tc_expr_compile(const tc_expr *e, tc_expr_slot_fn slot, void *data, char *err,
                              size_t errlen);
void tc_expr_prog_free(tc_expr_prog *p);

#endif
