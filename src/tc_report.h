/* tc_report.h — format a tc_run_result as Markdown, LaTeX or JSON.
 * Reporters never compute: every number comes from the result. */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include <stdio.h>
#include "tc_engine.h"

typedef enum { TC_FORMAT_MD, TC_FORMAT_TEX, TC_FORMAT_JSON } tc_format;

int tc_format_parse(tc_format *f, const char *name);
int tc_report_md(FILE *out, const tc_run_result *r);
int tc_report_tex(FILE *out, const tc_run_result *r);
int tc_report_json(FILE *out, const tc_run_result *r);
int tc_report_write(FILE *out, tc_format f, const tc_run_result *r);
/* Write to `path` through a temporary file in the same directory and
 * rename it, so an interrupted run never leaves a half-written report. */
int tc_report_write_file(const char *path, tc_format f, const tc_run_result *r,
                         char *err, size_t errlen);

/* Text for a terminal: s with C0/C1 control bytes, DEL and bytes that are
 * not UTF-8 written as \xHH, so echoing user text (a flag value, a claim
 * id, a catalog error) cannot send escape sequences.  tc_term_escape works
 * like snprintf (returns the full escaped length; buf may be NULL when len
 * is 0; truncates only between whole escapes or characters). */
size_t tc_term_escape(char *buf, size_t len, const char *s);
int tc_term_fputs(FILE *out, const char *s);

#endif
