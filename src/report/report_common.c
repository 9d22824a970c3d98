#include <math.h>
#include <string.h>
#include "report_common.h"

void tc_report_precision_label(char *buf, size_t len, int precision, long bits)
{
  tc_backend_set_label(buf, len, precision, bits);
}

/* The most exact backend that ran (the last in the table), as the engine
 * chooses it; the first entry when none ran. */
int tc_report_main_backend(const tc_claim_result *c)
{
  for (int b = TC_BACKEND_COUNT - 1; b > 0; b--)
    if (c->prec[b].ran)
      return b;
  return 0;
}

const tc_precision_result *tc_report_main_precision(const tc_claim_result *c)
{
  return &c->prec[tc_report_main_backend(c)];
}

int tc_report_backends_ran(const tc_claim_result *c)
{
  int n = 0;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    n += c->prec[b].ran != 0;
  return n;
}

void tc_report_ran_names(char *buf, size_t len, const tc_claim_result *c)
{
  int left = tc_report_backends_ran(c);
  size_t at = 0;
  if (len)
    buf[0] = '\0';
  for (int b = 0; b < TC_BACKEND_COUNT && at + 1 < len; b++) {
    if (!c->prec[b].ran)
      continue;
    left--;
    int k = snprintf(buf + at, len - at, "%s%s", !at ? "" : left ? ", " : " and ",
                     tc_backends[b].label);
    at = k < 0 ? at : at + (size_t)k < len ? at + (size_t)k : len - 1;
  }
}

const char *const *tc_report_detail_headers(tc_kind kind)
{
  static const char *const det[] = {"parameters", "instances", "violations", "max tightness", "verdict", NULL};
  static const char *const prob[] = {"parameters", "trials", "events", "estimate", "CP interval",
                                     "required", "exact", "verdict", NULL};
  static const char *const expt[] = {"parameters", "checkpoint", "runs", "mean lhs", "CI",
                                     "bound", "exact", "verdict", NULL};
  static const char *const rate[] = {"parameters", "samples", "slope", "CI", "stated", "verdict", NULL};
  switch (kind) {
  case TC_KIND_DETERMINISTIC: return det;
  case TC_KIND_PROBABILITY: return prob;
  case TC_KIND_EXPECTATION: return expt;
  default: return rate;
  }
}

static void num(char *buf, size_t len, double v)
{
  if (isnan(v))
    snprintf(buf, len, "-");
  else
    snprintf(buf, len, "%.6g", v);
}

void tc_report_detail_cell(char *buf, size_t len, tc_kind kind, const tc_point_summary *p, int col)
{
  if (col == 0) {
    snprintf(buf, len, "%s", p->params[0] ? p->params : "(none)");
    return;
  }
  char verdict[48];
  snprintf(verdict, sizeof verdict, "%s%s", tc_verdict_name(p->verdict), p->exact ? " (exact)" : "");
  switch (kind) {
  case TC_KIND_DETERMINISTIC:
    if (col == 1) snprintf(buf, len, "%zu", p->n);
    else if (col == 2) snprintf(buf, len, "%zu", p->k);
    else if (col == 3) num(buf, len, p->estimate);
    else snprintf(buf, len, "%s", verdict);
    break;
  case TC_KIND_PROBABILITY:
    if (col == 1) snprintf(buf, len, "%zu", p->n);
    else if (col == 2) snprintf(buf, len, "%zu", p->k);
    else if (col == 3) num(buf, len, p->estimate);
    else if (col == 4) snprintf(buf, len, "[%.6g, %.6g]", p->lower, p->upper);
    else if (col == 5) num(buf, len, p->bound);
    else if (col == 6) num(buf, len, p->reference);
    else snprintf(buf, len, "%s", verdict);
    break;
  case TC_KIND_EXPECTATION:
    if (col == 1) num(buf, len, p->x);
    else if (col == 2) snprintf(buf, len, "%zu", p->n);
    else if (col == 3) num(buf, len, p->estimate);
    else if (col == 4) snprintf(buf, len, "[%.6g, %.6g]", p->lower, p->upper);
    else if (col == 5) num(buf, len, p->bound);
    else if (col == 6) num(buf, len, p->reference);
    else snprintf(buf, len, "%s", verdict);
    break;
  case TC_KIND_RATE:
    if (col == 1) snprintf(buf, len, "%zu", p->n);
    else if (col == 2) snprintf(buf, len, "%.4f", p->estimate);
    else if (col == 3) snprintf(buf, len, "[%.4f, %.4f]", p->lower, p->upper);
    else if (col == 4) num(buf, len, p->bound);
    else snprintf(buf, len, "%s", verdict);
    break;
  }
}

/* Where the verdict came from: exact values, sampling, or every row. */
void tc_report_evidence_text(char *buf, size_t len, const tc_claim_result *c)
{
  const tc_precision_result *pr = tc_report_main_precision(c);
  switch (c->claim->kind) {
  case TC_KIND_DETERMINISTIC:
    snprintf(buf, len, "every measured row (%zu informative for tightness; %zu at the rounding "
                       "floor and %zu trivially attained excluded)",
             pr->informative_rows, pr->floor_rows, pr->trivial_rows);
    break;
  case TC_KIND_RATE:
    snprintf(buf, len, "sampling: a least-squares fit of the measured values");
    break;
  default:
    if (pr->exact_points)
      snprintf(buf, len, "exact values at %zu %s (the module's exact %s; sampling is the "
                         "cross-check), sampling elsewhere",
               pr->exact_points, c->claim->kind == TC_KIND_PROBABILITY ? "points" : "checkpoints",
               c->claim->kind == TC_KIND_PROBABILITY ? "probability" : "expectation");
    else
      snprintf(buf, len, "sampling only (%s)",
               c->claim->kind == TC_KIND_PROBABILITY ? "exact Clopper-Pearson intervals"
               : pr->finite_sample_points ? "empirical Bernstein intervals, finite-sample"
                                          : "Student-t intervals, asymptotic");
    break;
  }
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF included). */
size_t tc_report_utf8_len(const unsigned char *s)
{
  if (s[0] < 0x80)
    return 1;
  size_t n = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
           : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
  for (size_t k = 1; k < n; k++)
    if ((s[k] & 0xc0) != 0x80)
      return 0;
  if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
      (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
    return 0;
  return n;
}
