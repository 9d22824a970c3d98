/* catalog_objective.h — private to src/catalog: the user-written
 * objective keys (tc_objective.h) of one claim, parsed and checked. */
#ifndef TC_CATALOG_OBJECTIVE_H
#define TC_CATALOG_OBJECTIVE_H

#include <stdarg.h>
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

/* Shared by the catalog parsers (catalog_load.c, catalog_objective.c):
 * write "file:line: message" into err (when err and errlen allow) and
 * return TC_ESYNTAX. */
int tc_catalog_vfail(char *err, size_t errlen, const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* s without leading and trailing white space (trailing space is cut in place). */
char *tc_catalog_trim(char *s);

#pragma GCC visibility pop
#endif
