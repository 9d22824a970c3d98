/* tc_objective.h — an objective function written in the catalog.
 *
 * A claim checked by the `objective` module (checks/objective.c) states
 * its function as an expression instead of C (docs/CATALOG.md,
 * "User-written objectives"):
 *   variables = x            or  x1, x2   or  x[3] (x1, x2, x3)
 *   objective = x^2 + 3*sin(x)^2
 *   data      = a, b; 1, 2; 3, 4     (optional: f = mean over the rows of
 *                                      the objective, a summand reading
 *                                      the row's columns a, b)
 *   fstar     = 0                    (optional: f*, else computed)
 *   start     = 2.2                  (x_0: one value for every coordinate
 *                                      or one per variable)
 * The catalog loader parses and checks all of it (every name is a
 * variable, a column or a claim parameter) with file:line before anything
 * runs; the summand is compiled once into a straight-line program whose
 * inputs are the variables, then the columns, then `params`. */
#ifndef TC_OBJECTIVE_H
#define TC_OBJECTIVE_H

#include <stddef.h>
#include "tc_expr.h"

/* Limits, checked at load. */
#define TC_OBJECTIVE_MAX_VARS 64
#define TC_OBJECTIVE_MAX_COLS 64
#define TC_OBJECTIVE_MAX_ROWS 10000

typedef struct tc_objective {
  size_t nvars;
  char **vars;
  size_t ncols;
  char **cols;
  size_t nrows;       /* 0: no data (f is the objective itself) */
  char **data_text;   /* nrows x ncols literals, row-major (exact in MPFR) */
  double *data;       /* the same, rounded to double */
  size_t nparams;     /* claim parameters the summand reads */
  char **params;
  tc_expr *expr;      /* the summand, as parsed */
  tc_expr_prog *prog; /* the summand, flattened: inputs vars, cols, params */
  tc_expr *fstar;     /* NULL: the module computes f* */
  size_t nstart;      /* 1 or nvars expressions in claim parameters */
  tc_expr **start;
} tc_objective;

/* Name of the check module that reads claim->objective. */
#define TC_OBJECTIVE_CHECK "objective"

#endif
