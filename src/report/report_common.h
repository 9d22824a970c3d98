/* Private helpers shared by the three reporters. */
#ifndef TC_REPORT_COMMON_H
#define TC_REPORT_COMMON_H
#include <stdio.h>
#include "tc_report.h"
/* Internal to libthmcheck: not exported (see Makefile.am). */
#pragma GCC visibility push(hidden)

/* "double + MPFR 128 bits" etc. */
void tc_report_precision_label(char *buf, size_t len, int precision, long bits);
/* The backend whose details a report shows: the most exact that ran
 * (MPFR when it ran), and its result. */
int tc_report_main_backend(const tc_claim_result *c);
const tc_precision_result *tc_report_main_precision(const tc_claim_result *c);
/* How many backends ran; their labels "double and MPFR" ("a, b and c"). */
int tc_report_backends_ran(const tc_claim_result *c);
void tc_report_ran_names(char *buf, size_t len, const tc_claim_result *c);
/* Column headers of a claim kind's detail table (NULL-terminated). */
const char *const *tc_report_detail_headers(tc_kind kind);
/* Cell `col` of a detail row, formatted for humans. */
void tc_report_detail_cell(char *buf, size_t len, tc_kind kind, const tc_point_summary *p, int col);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF included). */
size_t tc_report_utf8_len(const unsigned char *s);
/* SHA-256 of data as 64 lowercase hex digits (the audit manifest). */
void tc_report_sha256_hex(char hex[65], const void *data, size_t len);
/* TC_SUCCESS if path is absent or a regular file (not a link), else
 * TC_EIO and "PATH: exists and is ..." in err. */
int tc_report_check_regular(const char *path, char *err, size_t errlen);
/* "exact values at 48 points ..." / "sampling only ...": where the
 * claim's verdict came from, for every reporter. */
void tc_report_evidence_text(char *buf, size_t len, const tc_claim_result *c);
/* One pgfplots figure of series s of claim cl (report_tex_figure.c). */
void tc_report_tex_figure(FILE *out, const tc_claim *cl, const tc_precision_result *pr,
                          const tc_series *s);
/* A probability claim with `index`: the estimated probability per point
 * against it, with the `mark` lines (report_tex_figure.c); nothing when
 * fewer than two points have a finite index. */
void tc_report_tex_prob_figure(FILE *out, const tc_claim *cl, const tc_precision_result *pr);

/* Write `path` through a temporary file in its directory (made with
 * mkstemp, synced, renamed over path): write(out, data) fills it. */
int tc_report_write_atomic(const char *path, int (*write)(FILE *, const void *), const void *data,
                           char *err, size_t errlen);

#pragma GCC visibility pop
#endif
