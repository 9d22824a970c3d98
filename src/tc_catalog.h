/* tc_catalog.h — the claim catalog: the theorems/ .thm files, parsed.
 *
 * The format is documented in docs/CATALOG.md.  Loading validates
 * everything that can be validated without running anything: syntax,
 * required keys per claim kind (each key once, and only in the kinds
 * that read it), UTF-8 text without control characters, expressions,
 * parameter specs, that the named check module exists and reads the
 * declared parameters, that `corrects` names a loaded claim, and the
 * limits of tc_limits.h.  Only regular files are read (a FIFO or device
 * is refused without blocking).  Errors name file:line. */
#ifndef TC_CATALOG_H
#define TC_CATALOG_H

#include <stddef.h>
#include "tc_check.h"
#include "tc_expr.h"
#include "tc_objective.h"

typedef enum {
  TC_KIND_DETERMINISTIC,
  TC_KIND_PROBABILITY,
  TC_KIND_EXPECTATION,
  TC_KIND_RATE
} tc_kind;

/* `param NAME = a, b, c` (a list: one point per value) or
 * `param NAME = lo .. hi [log]` (a range: drawn per instance, and the
 * space the worst-case search explores; deterministic claims only).
 * `param (n, d) = (1, 1), (4, 4)` declares joint tuples: each member is
 * a list parameter of its own (value i of every member is tuple i), the
 * members are adjacent in `params` and share a `tuple` id, and the tuple
 * is one axis of the Cartesian grid. */
typedef struct {
  char *name;
  int line;
  int tuple;      /* 0, or the 1-based id of the joint tuple this parameter belongs to */
  int is_range, log_scale;
  double lo, hi;
  size_t nvalues;
  char **texts;
  double *values; /* NaN for symbolic values such as family names */
} tc_param;

/* A mutant: a deliberately wrong variant of the claim, made by replacing
 * one of its expressions (`mutant rhs = 0.9 * rhs`).  Inside the new
 * expression the field's own name is its original value on the row.  A
 * run that would have refuted none of its mutants is weak evidence. */
typedef enum { TC_MUTATE_LHS, TC_MUTATE_RHS, TC_MUTATE_PROBABILITY, TC_MUTATE_EXPONENT } tc_mutate_field;

typedef struct {
  tc_mutate_field field;
  char *text;       /* "rhs = 0.9 * rhs", as written */
  tc_expr *expr;
  int line;
} tc_mutant;

typedef struct tc_claim {
  char *id;
  char *file;
  int line;
  char *title, *source, *statement, *hypotheses, *remarks, *corrects;
  tc_kind kind;
  char *check_name;
  const tc_check *check;
  char *lhs_text, *rhs_text, *probability_text, *reference_text, *exponent_text, *error_text;
  /* baseline (deterministic): a bound that holds trivially (e.g. gap0 for a
   * monotone method); tightness is then measured as the fraction of the
   * claimed improvement over it that the instance attains. */
  char *baseline_text;
  tc_expr *baseline;
  /* error: the module's absolute rounding-error estimate of lhs - rhs; a
   * violation no larger than it is "near", never a counterexample. */
  tc_expr *lhs, *rhs, *probability, *reference, *exponent, *error;
  char *index_name; /* row variable used as x-axis / checkpoint (e.g. k) */
  char *sweep_name; /* rate claims: the swept parameter */
  double tolerance; /* rate claims: allowed |slope - exponent| */
  size_t instances; /* per parameter point */
  size_t search;    /* deterministic: local-search steps after sampling */
  size_t max_instances; /* probability/expectation: sequential sampling up to this many
                           instances per undecided point (0: off) */
  tc_param *params;
  size_t nparams;
  tc_mutant *mutants;
  size_t nmutants;
  /* A user-written objective (tc_objective.h): the texts as written and
   * the parsed form; NULL unless the claim sets `objective`. */
  char *objective_text, *variables_text, *data_text, *fstar_text, *start_text;
  tc_objective *objective;
  /* mark (probability claims): an expression of the rows and parameters
   * whose value on a point's first row is drawn as a vertical line in the
   * LaTeX figure against `index` (e.g. the stated threshold width). */
  char *mark_text;
  tc_expr *mark;
} tc_claim;

typedef struct {
  tc_claim *claims;
  size_t n;
} tc_catalog;

/* Load every *.thm file of `dir` (in name order).  On error returns a
 * TC_E* code, writes "file:line: message" into err, and *out is NULL. */
int tc_catalog_load_dir(tc_catalog **out, const char *dir, char *err, size_t errlen);
/* Load one file (used by tests and --catalog FILE). */
int tc_catalog_load_file(tc_catalog **out, const char *path, char *err, size_t errlen);
/* Load catalog text of `len` bytes from memory; `name` takes the place of
 * the file name in messages and in each claim's `file`.  A NUL byte in
 * the text is a syntax error, as in a file. */
int tc_catalog_load_buffer(tc_catalog **out, const char *name, const char *text, size_t len,
                           char *err, size_t errlen);
void tc_catalog_free(tc_catalog *cat);
const tc_claim *tc_catalog_find(const tc_catalog *cat, const char *id);
const char *tc_kind_name(tc_kind kind);

#endif
