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

/* Output targets, checked before a run so that it cannot end in "cannot
 * write".  tc_report_check_file: path is absent or a regular file (a
 * symbolic link, directory, device or FIFO is refused) in an existing
 * writable directory.  tc_report_prepare_dir: the audit directory exists
 * (created if absent, its parent must exist) and is writable, and its
 * audit files are absent or regular.  TC_EIO with "PATH: why" in err. */
int tc_report_check_file(const char *path, char *err, size_t errlen);
int tc_report_prepare_dir(const char *dir, char *err, size_t errlen);

typedef struct {
  double lock_timeout; /* seconds to wait for another audit's lock (60) */
  /* For tests: called after each step (0 temporary directory made, 1-3
   * a report written, 4 manifest written, 5-8 one file renamed). */
  void (*hook)(void *data, int step);
  void *hook_data;
} tc_audit_options;

void tc_audit_options_init(tc_audit_options *o);
/* Replace DIR/audit.{md,tex,json} and DIR/audit.manifest (SHA-256 sums,
 * written last) as one set: under an flock on DIR/.thmcheck.lock, through
 * a temporary directory in DIR, synced, renamed with SIGINT, SIGTERM and
 * SIGHUP blocked.  Until the renames such a signal removes the temporaries
 * and the process dies of it, leaving the previous set (the previous
 * handlers are restored afterwards).  opt may be NULL (defaults). */
int tc_report_write_audit(const char *dir, const tc_run_result *r, const tc_audit_options *opt,
                          char *err, size_t errlen);

/* ---- sharded audits (docs/SHARDS.md) ---------------------------------
 *
 * An audit splits into N shards by whole claims: claim i of the catalog
 * (0-based, load order) belongs to shard (i mod N) + 1.  Each shard runs
 * its claims alone and writes a partial result; tc_report_merge reads the
 * N partials back into the run result the one-process audit makes, byte
 * for byte in every report. */
#define TC_MAX_SHARDS 100000
typedef struct {
  unsigned k, n; /* shard K of N, 1 <= K <= N */
} tc_shard;

/* "K/N", digits only, 1 <= K <= N <= TC_MAX_SHARDS; else TC_EDOM. */
int tc_shard_parse(tc_shard *s, const char *text);
/* 1 if claim i (0-based, catalog order) belongs to shard s (NULL: all). */
int tc_shard_has(const tc_shard *s, size_t i);
/* SHA-256 (hex) of the catalog's files: base names and bytes, load order. */
int tc_report_catalog_digest(char hex[65], const tc_catalog *cat, char *err, size_t errlen);
/* Write shard s's partial result (JSON, jansson) to path, atomically:
 * r holds the shard's claims, run under opt, from catalog cat. */
int tc_report_write_partial(const char *path, const tc_run_result *r, const tc_run_options *opt,
                            const tc_shard *s, const tc_catalog *cat, char *err, size_t errlen);
/* Read the partials paths[0..n) of one sharded audit of catalog cat and
 * merge them into *out (free with tc_run_result_free).  TC_EDOM with
 * "PATH: why" in err when a file is not a partial, is a shard of another
 * run (seed, options, thmcheck version, catalog or shard count differ),
 * repeats a shard, or does not hold its shard's claims, and when a shard
 * is missing; nothing is returned then. */
int tc_report_merge(tc_run_result **out, const char *const *paths, size_t n, const tc_catalog *cat,
                    char *err, size_t errlen);

/* Text for a terminal: s with C0/C1 control bytes, DEL and bytes that are
 * not UTF-8 written as \xHH, so echoing user text (a flag value, a claim
 * id, a catalog error) cannot send escape sequences.  tc_term_escape works
 * like snprintf (returns the full escaped length; buf may be NULL when len
 * is 0; truncates only between whole escapes or characters). */
size_t tc_term_escape(char *buf, size_t len, const char *s);
int tc_term_fputs(FILE *out, const char *s);

#endif
