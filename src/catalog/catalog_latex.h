/* The LaTeX subset a claim's `statement` is written in (docs/CATALOG.md,
 * "The statement's LaTeX").  Private to libthmcheck: the catalog loader
 * checks every statement with it, and the LaTeX reporter typesets a
 * statement as mathematics only when it passes. */
#ifndef TC_CATALOG_LATEX_H
#define TC_CATALOG_LATEX_H
#include <stddef.h>

#pragma GCC visibility push(hidden)

/* Longest statement accepted, in bytes. */
#define TC_LATEX_MAX_STATEMENT 4096

/* TC_SUCCESS when text is math-mode content in the subset, which pdflatex
 * (amsmath, amssymb) compiles inside $\displaystyle ...$ and which cannot
 * leave math mode, read or write files or define anything.  Otherwise
 * TC_ESYNTAX and, in msg, the offending token and its 1-based character
 * position ("\input is not allowed ... (character 5)"). */
int tc_latex_check(const char *text, char *msg, size_t msglen);

/* The loader's call: tc_latex_check, with the message written as
 * "FILE:LINE: statement: MESSAGE" into err (err may be NULL). */
int tc_catalog_check_statement(const char *text, const char *file, int line, char *err,
                               size_t errlen);

#pragma GCC visibility pop
#endif
