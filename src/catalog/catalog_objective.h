/* catalog_objective.h — private to src/catalog: the user-written
 * objective keys (tc_objective.h) of one claim, parsed and checked. */
#ifndef TC_CATALOG_OBJECTIVE_H
#define TC_CATALOG_OBJECTIVE_H

#include "tc_catalog.h"
#pragma GCC visibility push(hidden)

/* The line of each objective key (0: not set). */
typedef struct {
  int objective, variables, data, fstar, start;
} tc_objective_lines;

/* Build cl->objective from its texts.  Errors are written "file:line:
 * message" (the line of the key to blame) and return TC_ESYNTAX. */
int tc_catalog_objective_build(tc_claim *cl, const char *file, const tc_objective_lines *lines,
                               char *err, size_t errlen);
/* 1 if the objective (summand, start or fstar) reads claim parameter name. */
int tc_catalog_objective_uses(const tc_objective *o, const char *name);
void tc_catalog_objective_free(tc_objective *o);

#pragma GCC visibility pop
#endif
