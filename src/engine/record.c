/* tc_record: rows of named MPFR values written by check modules. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"

typedef struct {
  mpfr_t *values; /* one per name; NaN where the row did not set it */
  unsigned char *set;
} record_row;

struct tc_record {
  mpfr_prec_t prec;
  size_t nnames, cap_names;
  char **names;
  size_t nrows, cap_rows;
  record_row *rows;
  int row_open;
  size_t hint; /* index of the name after the last one put */
  char *note;
};

tc_record *tc_record_alloc(mpfr_prec_t prec)
{
  tc_record *r = calloc(1, sizeof *r);
  if (r == NULL)
    return NULL;
  /* 64 bits at least: a double put by the double backend is stored exactly. */
  r->prec = prec < 64 ? 64 : prec;
  return r;
}

static void row_clear(record_row *row, size_t nnames)
{
  for (size_t j = 0; j < nnames; j++)
    mpfr_clear(row->values[j]);
  free(row->values);
  free(row->set);
}

void tc_record_free(tc_record *r)
{
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->nrows; i++)
    row_clear(&r->rows[i], r->nnames);
  free(r->rows);
  for (size_t j = 0; j < r->nnames; j++)
    free(r->names[j]);
  free(r->names);
  free(r->note);
  free(r);
}

static long name_index(const tc_record *r, const char *name)
{
  for (size_t j = 0; j < r->nnames; j++)
    if (strcmp(r->names[j], name) == 0)
      return (long)j;
  return -1;
}

/* A new name widens every existing row, so all rows share one layout. */
static long add_name(tc_record *r, const char *name)
{
  if (r->nnames == r->cap_names) {
    size_t cap = r->cap_names ? 2 * r->cap_names : 8;
    char **names = realloc(r->names, cap * sizeof *names);
    if (names == NULL)
      return -1;
    r->names = names;
    r->cap_names = cap;
  }
  for (size_t i = 0; i < r->nrows; i++) {
    record_row *row = &r->rows[i];
    mpfr_t *values = realloc(row->values, (r->nnames + 1) * sizeof *values);
    if (values == NULL)
      return -1;
    row->values = values;
    unsigned char *set = realloc(row->set, r->nnames + 1);
    if (set == NULL)
      return -1;
    row->set = set;
    mpfr_init2(row->values[r->nnames], r->prec);
    mpfr_set_nan(row->values[r->nnames]);
    row->set[r->nnames] = 0;
  }
  r->names[r->nnames] = strdup(name);
  if (r->names[r->nnames] == NULL)
    return -1;
  return (long)r->nnames++;
}

static record_row *current_row(tc_record *r)
{
  if (r->row_open)
    return &r->rows[r->nrows - 1];
  if (r->nrows == r->cap_rows) {
    size_t cap = r->cap_rows ? 2 * r->cap_rows : 16;
    record_row *rows = realloc(r->rows, cap * sizeof *rows);
    if (rows == NULL)
      return NULL;
    r->rows = rows;
    r->cap_rows = cap;
  }
  record_row *row = &r->rows[r->nrows];
  row->values = malloc((r->nnames ? r->nnames : 1) * sizeof *row->values);
  row->set = calloc(r->nnames ? r->nnames : 1, 1);
  if (row->values == NULL || row->set == NULL) {
    free(row->values);
    free(row->set);
    return NULL;
  }
  for (size_t j = 0; j < r->nnames; j++) {
    mpfr_init2(row->values[j], r->prec);
    mpfr_set_nan(row->values[j]);
  }
  r->nrows++;
  r->row_open = 1;
  return row;
}

/* The slot of `name` in the current row (opened when needed), marked
 * set; NULL when out of memory.  Modules put the same names in the same
 * order in every row, so the name after the last one put is tried before
 * the search. */
static mpfr_ptr put_slot(tc_record *r, const char *name)
{
  record_row *row = current_row(r);
  if (row == NULL)
    return NULL;
  long j = r->hint < r->nnames && strcmp(r->names[r->hint], name) == 0 ? (long)r->hint : name_index(r, name);
  if (j < 0 && (j = add_name(r, name)) < 0)
    return NULL;
  r->hint = (size_t)j + 1;
  row = &r->rows[r->nrows - 1];
  row->set[j] = 1;
  return row->values[j];
}

int tc_record_put_mpfr(tc_record *r, const char *name, mpfr_srcptr v)
{
  mpfr_ptr slot = put_slot(r, name);
  if (slot == NULL)
    return TC_ENOMEM;
  mpfr_set(slot, v, MPFR_RNDN);
  return TC_SUCCESS;
}

/* Straight into the slot: its precision (>= 64 bits) holds a double
 * exactly, so no temporary is needed. */
int tc_record_put_double(tc_record *r, const char *name, double v)
{
  mpfr_ptr slot = put_slot(r, name);
  if (slot == NULL)
    return TC_ENOMEM;
  mpfr_set_d(slot, v, MPFR_RNDN);
  return TC_SUCCESS;
}

int tc_record_put_d(tc_record *r, const char *name, const double *v)
{
  return tc_record_put_double(r, name, *v);
}

int tc_record_end_row(tc_record *r)
{
  r->row_open = 0;
  return TC_SUCCESS;
}

size_t tc_record_rows(const tc_record *r) { return r->nrows; }

int tc_record_get(mpfr_ptr out, const tc_record *r, size_t row, const char *name)
{
  long j = name_index(r, name);
  if (row >= r->nrows || j < 0 || !r->rows[row].set[j])
    return TC_ENOTFOUND;
  mpfr_set(out, r->rows[row].values[j], MPFR_RNDN);
  return TC_SUCCESS;
}

int tc_record_note(tc_record *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *note = NULL;
  int n = vasprintf(&note, fmt, ap);
  va_end(ap);
  if (n < 0)
    return TC_ENOMEM;
  free(r->note);
  r->note = note;
  return TC_SUCCESS;
}

const char *tc_record_get_note(const tc_record *r) { return r->note; }
size_t tc_record_names(const tc_record *r) { return r->nnames; }
const char *tc_record_name(const tc_record *r, size_t i) { return i < r->nnames ? r->names[i] : NULL; }
