/* Markdown report: summary table first, then one section per claim. */
#include <config.h>
#include <math.h>
#include <string.h>
#include "report_common.h"

/* Table cells cannot contain '|' or newlines. */
static void md_cell(FILE *out, const char *s)
{
  for (; s && *s; s++) {
    if (*s == '|')
      fputs("\\|", out);
    else if (*s == '\n')
      fputc(' ', out);
    else
      fputc(*s, out);
  }
}

static void md_num(FILE *out, double v)
{
  if (isnan(v))
    fputs("-", out);
  else
    fprintf(out, "%.6g", v);
}

static void claim_section(FILE *out, const tc_run_result *r, const tc_claim_result *c)
{
  const tc_claim *cl = c->claim;
  fprintf(out, "\n<a id=\"%s\"></a>\n\n## %s: %s\n\n", cl->id, cl->id, tc_verdict_name(c->verdict));
  if (cl->title)
    fprintf(out, "**%s**\n\n", cl->title);
  fprintf(out, "- **Source:** %s\n", cl->source);
  fprintf(out, "- **Statement, as written in the notes:** $%s$\n", cl->statement);
  if (cl->hypotheses)
    fprintf(out, "- **Hypotheses:** %s\n", cl->hypotheses);
  if (cl->corrects)
    fprintf(out, "- **Corrected variant** of `%s`, which is checked as stated in its own section; "
                 "this entry does not replace it.\n", cl->corrects);
  fprintf(out, "- **Checked:** %s claim, module `%s`: ", tc_kind_name(cl->kind), cl->check_name);
  switch (cl->kind) {
  case TC_KIND_DETERMINISTIC:
    fprintf(out, "`%s` <= `%s` on every row of every instance", cl->lhs_text, cl->rhs_text);
    break;
  case TC_KIND_PROBABILITY:
    fprintf(out, "P(`%s` <= `%s`) >= `%s`", cl->lhs_text, cl->rhs_text, cl->probability_text);
    break;
  case TC_KIND_EXPECTATION:
    fprintf(out, "E[`%s`] <= `%s` at every checkpoint", cl->lhs_text, cl->rhs_text);
    break;
  case TC_KIND_RATE:
    fprintf(out, "`%s` ~ `%s`^(`%s`) (tolerance %g on the exponent)", cl->lhs_text, cl->sweep_name,
            cl->exponent_text, cl->tolerance);
    break;
  }
  const char *base = strrchr(cl->file, '/');
  fprintf(out, "\n- **Catalog entry:** %s:%d\n", base ? base + 1 : cl->file, cl->line);
  if (cl->remarks)
    fprintf(out, "- **Remarks:** %s\n", cl->remarks);
  fprintf(out, "\n**Verdict: %s.** %s\n\n", tc_verdict_name(c->verdict), c->reason ? c->reason : "");
  if (c->disagree)
    fprintf(out, "> **DISAGREE:** %s\n\n", c->disagree_note);

  fputs("| precision | verdict | instances | rows | errors | NaN/Inf | tightness |\n", out);
  fputs("|---|---|---:|---:|---:|---:|---:|\n", out);
  for (int w = 0; w < 2; w++) {
    const tc_precision_result *pr = &c->prec[w];
    if (!pr->ran)
      continue;
    fprintf(out, "| %s | %s | %zu | %zu | %zu | %zu | ", w ? "MPFR" : "double",
            tc_verdict_name(pr->verdict), pr->instances, pr->rows, pr->errors, pr->nonfinite);
    md_num(out, pr->tightness);
    fputs(" |\n", out);
  }
  if (c->prec[0].ran && c->prec[1].ran)
    fprintf(out, "\nLargest relative difference between the double and MPFR values: %.3g.\n",
            c->max_rel_diff);

  const tc_precision_result *pr = tc_report_main_precision(c);
  if (pr->npoints) {
    fprintf(out, "\nPer parameter point (%s run):\n\n", pr == &c->prec[1] ? "MPFR" : "double");
    const char *const *h = tc_report_detail_headers(cl->kind);
    int cols = 0;
    for (; h[cols]; cols++)
      fprintf(out, "| %s ", h[cols]);
    fputs("|\n", out);
    for (int k = 0; k < cols; k++)
      fputs(k ? "|---:" : "|---", out);
    fputs("|\n", out);
    for (size_t i = 0; i < pr->npoints; i++) {
      for (int k = 0; k < cols; k++) {
        char cell[256];
        tc_report_detail_cell(cell, sizeof cell, cl->kind, &pr->points[i], k);
        fputs("| ", out);
        md_cell(out, cell);
        fputc(' ', out);
      }
      fputs("|\n", out);
    }
  }
  if (pr->has_witness) {
    const tc_witness *w = &pr->witness;
    fprintf(out, "\n**%s:** instance %zu, seed %llu, parameters `%s`",
            c->verdict == TC_FAIL ? "Counterexample" : "Tightest instance", w->index,
            (unsigned long long)w->seed, w->params);
    if (!isnan(w->x) && cl->index_name)
      fprintf(out, ", at %s = %.6g", cl->index_name, w->x);
    fputs(": lhs = ", out);
    md_num(out, w->lhs);
    fputs(", rhs = ", out);
    md_num(out, w->rhs);
    fputs(".", out);
    if (w->note)
      fprintf(out, " Module note: %s.", w->note);
    fputc('\n', out);
    if (c->reproduce)
      fprintf(out, "\nReproduce this instance alone:\n\n```\n%s\n```\n", c->reproduce);
  }
  (void)r;
}

int tc_report_md(FILE *out, const tc_run_result *r)
{
  char prec[64];
  tc_report_precision_label(prec, sizeof prec, r->precision, (long)r->bits);
  fprintf(out, "# thmcheck report\n\n");
  fprintf(out, "thmcheck %s · seed %llu · confidence %g · precision %s", PACKAGE_VERSION,
          (unsigned long long)r->seed, r->confidence, prec);
  if (r->instances)
    fprintf(out, " · %zu instances per point", r->instances);
  fputs("\n\nEvery claim is checked **as stated in the notes**; corrected variants are separate, "
        "labelled entries. Verdicts: PASS, FAIL (with a reproducible counterexample), "
        "INCONCLUSIVE (the statistics cannot decide), ERROR (a run failed, produced NaN/Inf, or "
        "the double and MPFR runs disagree).\n\n", out);
  fputs("| claim | kind | source | verdict | tightness | flags |\n|---|---|---|---|---:|---|\n", out);
  for (size_t i = 0; i < r->n; i++) {
    const tc_claim_result *c = &r->claims[i];
    fprintf(out, "| [%s](#%s) | %s | ", c->claim->id, c->claim->id, tc_kind_name(c->claim->kind));
    md_cell(out, c->claim->source);
    fprintf(out, " | **%s** | ", tc_verdict_name(c->verdict));
    md_num(out, tc_report_main_precision(c)->tightness);
    fprintf(out, " | %s%s |\n", c->disagree ? "DISAGREE " : "", c->claim->corrects ? "correction" : "");
  }
  for (size_t i = 0; i < r->n; i++)
    claim_section(out, r, &r->claims[i]);
  return ferror(out) ? TC_EIO : TC_SUCCESS;
}
