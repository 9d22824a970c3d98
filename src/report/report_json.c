/* JSON report: every number the other two show (schema: docs/REPORTS.md).
 * No timestamps or timings, so the same seed gives the same bytes. */
#include <config.h>
#include <math.h>
#include <string.h>
#include "report_common.h"

static void js_str(FILE *out, const char *s)
{
  if (s == NULL) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      fprintf(out, "\\%c", ch);
    else if (ch == '\n')
      fputs("\\n", out);
    else if (ch == '\t')
      fputs("\\t", out);
    else if (ch < 0x20)
      fprintf(out, "\\u%04x", ch);
    else
      fputc(ch, out);
  }
  fputc('"', out);
}

/* JSON has no NaN or Inf: they become null, and the verdict says why. */
static void js_num(FILE *out, double v)
{
  if (isfinite(v))
    fprintf(out, "%.17g", v);
  else
    fputs("null", out);
}

static void js_key(FILE *out, int indent, const char *key)
{
  fprintf(out, "%*s\"%s\": ", indent, "", key);
}

static void precision_result(FILE *out, const tc_precision_result *pr, tc_kind kind)
{
  (void)kind;
  fputs("{\n", out);
  js_key(out, 8, "verdict"); js_str(out, tc_verdict_name(pr->verdict)); fputs(",\n", out);
  js_key(out, 8, "reason"); js_str(out, pr->reason); fputs(",\n", out);
  js_key(out, 8, "instances"); fprintf(out, "%zu,\n", pr->instances);
  js_key(out, 8, "rows"); fprintf(out, "%zu,\n", pr->rows);
  js_key(out, 8, "errors"); fprintf(out, "%zu,\n", pr->errors);
  js_key(out, 8, "first_error"); js_str(out, pr->first_error); fputs(",\n", out);
  js_key(out, 8, "nonfinite_rows"); fprintf(out, "%zu,\n", pr->nonfinite);
  js_key(out, 8, "near_rows"); fprintf(out, "%zu,\n", pr->near);
  js_key(out, 8, "reference_outside"); fprintf(out, "%zu,\n", pr->reference_outside);
  js_key(out, 8, "tightness"); js_num(out, pr->tightness); fputs(",\n", out);
  js_key(out, 8, "points"); fputs("[", out);
  for (size_t i = 0; i < pr->npoints; i++) {
    const tc_point_summary *p = &pr->points[i];
    fputs(i ? ",\n          {" : "\n          {", out);
    fputs("\"params\": ", out); js_str(out, p->params);
    fputs(", \"checkpoint\": ", out); js_num(out, p->x);
    fprintf(out, ", \"n\": %zu, \"k\": %zu", p->n, p->k);
    fputs(", \"estimate\": ", out); js_num(out, p->estimate);
    fputs(", \"lower\": ", out); js_num(out, p->lower);
    fputs(", \"upper\": ", out); js_num(out, p->upper);
    fputs(", \"bound\": ", out); js_num(out, p->bound);
    fputs(", \"reference\": ", out); js_num(out, p->reference);
    fputs(", \"verdict\": ", out); js_str(out, tc_verdict_name(p->verdict));
    fputs("}", out);
  }
  fputs(pr->npoints ? "\n        ],\n" : "],\n", out);
  js_key(out, 8, "witness");
  if (pr->has_witness) {
    const tc_witness *w = &pr->witness;
    fprintf(out, "{\"instance\": %zu, \"seed\": %llu, \"params\": ", w->index,
            (unsigned long long)w->seed);
    js_str(out, w->params);
    fputs(", \"param_args\": ", out); js_str(out, w->param_args);
    fputs(", \"index\": ", out); js_num(out, w->x);
    fputs(", \"lhs\": ", out); js_num(out, w->lhs);
    fputs(", \"rhs\": ", out); js_num(out, w->rhs);
    fputs(", \"ratio\": ", out); js_num(out, w->ratio);
    fputs(", \"note\": ", out); js_str(out, w->note);
    fputs("},\n", out);
  } else {
    fputs("null,\n", out);
  }
  js_key(out, 8, "series"); fputs("[", out);
  for (size_t i = 0; i < pr->nseries; i++) {
    const tc_series *s = &pr->series[i];
    fputs(i ? ",\n          {\"label\": " : "\n          {\"label\": ", out);
    js_str(out, s->label);
    fputs(", \"x\": [", out);
    for (size_t k = 0; k < s->n; k++) { if (k) fputs(", ", out); js_num(out, s->p[k].x); }
    fputs("], \"lhs\": [", out);
    for (size_t k = 0; k < s->n; k++) { if (k) fputs(", ", out); js_num(out, s->p[k].lhs); }
    fputs("], \"rhs\": [", out);
    for (size_t k = 0; k < s->n; k++) { if (k) fputs(", ", out); js_num(out, s->p[k].rhs); }
    fputs("]}", out);
  }
  fputs(pr->nseries ? "\n        ]\n      }" : "]\n      }", out);
}

int tc_report_json(FILE *out, const tc_run_result *r)
{
  fputs("{\n", out);
  js_key(out, 2, "thmcheck"); js_str(out, PACKAGE_VERSION); fputs(",\n", out);
  js_key(out, 2, "schema"); fputs("1,\n", out);
  js_key(out, 2, "seed"); fprintf(out, "%llu,\n", (unsigned long long)r->seed);
  js_key(out, 2, "confidence"); js_num(out, r->confidence); fputs(",\n", out);
  js_key(out, 2, "precision");
  js_str(out, r->precision == TC_PREC_BOTH ? "both" : r->precision == TC_PREC_MPFR ? "mpfr" : "double");
  fputs(",\n", out);
  js_key(out, 2, "mpfr_bits"); fprintf(out, "%ld,\n", (long)r->bits);
  js_key(out, 2, "instances_override"); fprintf(out, "%zu,\n", r->instances);
  js_key(out, 2, "exit_status"); fprintf(out, "%d,\n", tc_run_exit_status(r));
  js_key(out, 2, "claims"); fputs("[", out);
  for (size_t i = 0; i < r->n; i++) {
    const tc_claim_result *c = &r->claims[i];
    const tc_claim *cl = c->claim;
    fputs(i ? ",\n    {\n" : "\n    {\n", out);
    js_key(out, 6, "id"); js_str(out, cl->id); fputs(",\n", out);
    js_key(out, 6, "title"); js_str(out, cl->title); fputs(",\n", out);
    js_key(out, 6, "source"); js_str(out, cl->source); fputs(",\n", out);
    js_key(out, 6, "statement"); js_str(out, cl->statement); fputs(",\n", out);
    js_key(out, 6, "hypotheses"); js_str(out, cl->hypotheses); fputs(",\n", out);
    js_key(out, 6, "corrects"); js_str(out, cl->corrects); fputs(",\n", out);
    js_key(out, 6, "kind"); js_str(out, tc_kind_name(cl->kind)); fputs(",\n", out);
    js_key(out, 6, "check"); js_str(out, cl->check_name); fputs(",\n", out);
    js_key(out, 6, "lhs"); js_str(out, cl->lhs_text); fputs(",\n", out);
    js_key(out, 6, "rhs"); js_str(out, cl->rhs_text); fputs(",\n", out);
    js_key(out, 6, "probability"); js_str(out, cl->probability_text); fputs(",\n", out);
    js_key(out, 6, "exponent"); js_str(out, cl->exponent_text); fputs(",\n", out);
    js_key(out, 6, "sweep"); js_str(out, cl->sweep_name); fputs(",\n", out);
    js_key(out, 6, "catalog"); fputc('"', out); fprintf(out, "%s:%d", strrchr(cl->file, '/') ? strrchr(cl->file, '/') + 1 : cl->file, cl->line); fputs("\",\n", out);
    js_key(out, 6, "verdict"); js_str(out, tc_verdict_name(c->verdict)); fputs(",\n", out);
    js_key(out, 6, "reason"); js_str(out, c->reason); fputs(",\n", out);
    js_key(out, 6, "disagree"); fputs(c->disagree ? "true" : "false", out); fputs(",\n", out);
    js_key(out, 6, "disagree_note"); js_str(out, c->disagree_note); fputs(",\n", out);
    js_key(out, 6, "max_rel_diff"); js_num(out, c->max_rel_diff); fputs(",\n", out);
    js_key(out, 6, "reproduce"); js_str(out, c->reproduce); fputs(",\n", out);
    js_key(out, 6, "double");
    if (c->prec[0].ran) precision_result(out, &c->prec[0], cl->kind); else fputs("null", out);
    fputs(",\n", out);
    js_key(out, 6, "mpfr");
    if (c->prec[1].ran) precision_result(out, &c->prec[1], cl->kind); else fputs("null", out);
    fputs("\n    }", out);
  }
  fputs(r->n ? "\n  ]\n}\n" : "]\n}\n", out);
  return ferror(out) ? TC_EIO : TC_SUCCESS;
}
