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
 * exp, log, abs, erf, min(a,b,...), max(a,b,...), floor, ceil.
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

#endif
