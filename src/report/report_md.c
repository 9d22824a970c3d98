/* Markdown report: summary table first, then one section per claim. */
#include <config.h>
#include <math.h>
#include <string.h>
#include "report_common.h"

/* Every string that comes from the catalog, the command line or a module
 * goes through here: the report is read as HTML (GitHub, pandoc), so text
 * such as <script>, <img onerror=...> or [x](javascript:...) must come
 * out as text, never as markup.  HTML specials become entities, Markdown
 * specials are backslash-escaped (| too: the text may sit in a table),
 * line breaks become spaces (a line could otherwise start a heading or
 * end a table row) and other control bytes are dropped. */
static void md_text(FILE *out, const char *s)
{
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    switch (ch) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&#39;", out); break;
    case '\\': case '`': case '*': case '_': case '|': case '[': case ']':
    case '$': case '#': case '~': case '!':
      fputc('\\', out);
      fputc(ch, out);
      break;
    case '\n': case '\r': case '\t': fputc(' ', out); break;
    default:
      if (ch >= 0x20 && ch != 0x7f)
        fputc(ch, out);
    }
  }
}

/* Code-like text (expressions, parameters, commands): escaped text in
 * <code>, since a Markdown code span cannot hold every backtick run and
 * shows entities literally. */
static void md_code(FILE *out, const char *s)
{
  fputs("<code>", out);
  md_text(out, s);
  fputs("</code>", out);
}

/* An HTML id and link target from a claim id: letters, digits and '-'
 * as they are, any other byte as _xx, so it needs no quoting anywhere. */
static void md_anchor(FILE *out, const char *s)
{
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-')
      fputc(ch, out);
    else
      fprintf(out, "_%02x", ch);
  }
}

static void md_num(FILE *out, double v)
{
  if (isnan(v))
    fputs("-", out);
  else
    fprintf(out, "%.6g", v);
}

/* "- **Key:** text" for a catalog field that may be absent. */
static void md_item(FILE *out, const char *key, const char *text)
{
  if (text == NULL)
    return;
  fprintf(out, "- **%s:** ", key);
  md_text(out, text);
  fputc('\n', out);
}

static void checked_line(FILE *out, const tc_claim *cl)
{
  fprintf(out, "- **Checked:** %s claim, module ", tc_kind_name(cl->kind));
  md_code(out, cl->check_name);
  fputs(": ", out);
  switch (cl->kind) {
  case TC_KIND_DETERMINISTIC:
    md_code(out, cl->lhs_text); fputs(" &lt;= ", out); md_code(out, cl->rhs_text);
    fputs(" on every row of every instance", out);
    break;
  case TC_KIND_PROBABILITY:
    fputs("P(", out); md_code(out, cl->lhs_text); fputs(" &lt;= ", out); md_code(out, cl->rhs_text);
    fputs(") &gt;= ", out); md_code(out, cl->probability_text);
    break;
  case TC_KIND_EXPECTATION:
    fputs("E\\[", out); md_code(out, cl->lhs_text); fputs("\\] &lt;= ", out); md_code(out, cl->rhs_text);
    fputs(" at every checkpoint", out);
    break;
  case TC_KIND_RATE:
    md_code(out, cl->lhs_text); fputs(" ~ ", out); md_code(out, cl->sweep_name);
    fputs("^(", out); md_code(out, cl->exponent_text);
    fprintf(out, ") (tolerance %g on the exponent)", cl->tolerance);
    break;
  }
  const char *base = strrchr(cl->file, '/');
  fputs("\n- **Catalog entry:** ", out);
  md_text(out, base ? base + 1 : cl->file);
  fprintf(out, ":%d\n", cl->line);
}

static void claim_head(FILE *out, const tc_claim_result *c)
{
  const tc_claim *cl = c->claim;
  fputs("\n<a id=\"", out);
  md_anchor(out, cl->id);
  fputs("\"></a>\n\n## ", out);
  md_text(out, cl->id);
  fprintf(out, ": %s\n\n", tc_verdict_name(c->verdict));
  if (cl->title) {
    fputs("**", out);
    md_text(out, cl->title);
    fputs("**\n\n", out);
  }
  md_item(out, "Source", cl->source);
  fputs("- **Statement, as written in the notes (LaTeX source):** ", out);
  md_code(out, cl->statement);
  fputc('\n', out);
  md_item(out, "Hypotheses", cl->hypotheses);
  if (cl->corrects) {
    fputs("- **Corrected variant** of ", out);
    md_code(out, cl->corrects);
    fputs(", which is checked as stated in its own section; this entry does not replace it.\n", out);
  }
  checked_line(out, cl);
  md_item(out, "Remarks", cl->remarks);
  fprintf(out, "\n**Verdict: %s.** ", tc_verdict_name(c->verdict));
  md_text(out, c->reason);
  char evidence[256];
  tc_report_evidence_text(evidence, sizeof evidence, c);
  fputs("\n\n**Verdict from:** ", out);
  md_text(out, evidence);
  fputs(".\n\n", out);
  if (c->disagree) {
    fputs("> **DISAGREE:** ", out);
    md_text(out, c->disagree_note);
    fputs("\n\n", out);
  }
}

static void precision_table(FILE *out, const tc_claim_result *c)
{
  fputs("| precision | verdict | instances | rows | errors | NaN/Inf | tightness |\n", out);
  fputs("|---|---|---:|---:|---:|---:|---:|\n", out);
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const tc_precision_result *pr = &c->prec[b];
    if (!pr->ran)
      continue;
    fprintf(out, "| %s | %s | %zu | %zu | %zu | %zu | ", tc_backends[b].label,
            tc_verdict_name(pr->verdict), pr->instances, pr->rows, pr->errors, pr->nonfinite);
    md_num(out, pr->tightness);
    fputs(" |\n", out);
  }
  if (tc_report_backends_ran(c) > 1) {
    char names[256];
    tc_report_ran_names(names, sizeof names, c);
    fprintf(out, "\nLargest relative difference between the %s values: %.3g.\n", names,
            c->max_rel_diff);
  }
}

static void point_table(FILE *out, const tc_claim_result *c, const tc_precision_result *pr)
{
  if (pr->npoints == 0)
    return;
  fprintf(out, "\nPer parameter point (%s run):\n\n", tc_backends[pr - c->prec].label);
  const char *const *h = tc_report_detail_headers(c->claim->kind);
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
      tc_report_detail_cell(cell, sizeof cell, c->claim->kind, &pr->points[i], k);
      fputs("| ", out);
      md_text(out, cell);
      fputc(' ', out);
    }
    fputs("|\n", out);
  }
}

/* The shrunk counterexample: the simplest point that still failed alone. */
static void shrunk_part(FILE *out, const tc_claim_result *c)
{
  if (c->verdict != TC_FAIL)
    return;
  if (!c->has_shrunk) {
    fprintf(out, "\n**Shrunk counterexample:** none found (%zu instance runs on simpler points "
                 "did not fail).\n", c->shrink_runs);
    return;
  }
  const tc_witness *w = &c->shrunk;
  fprintf(out, "\n**Shrunk counterexample** (%zu simplification%s, %zu instance runs): parameters ",
          c->shrink_steps, c->shrink_steps == 1 ? "" : "s", c->shrink_runs);
  md_code(out, w->params);
  if (!isnan(w->x) && c->claim->index_name && c->claim->kind == TC_KIND_DETERMINISTIC) {
    fputs(", at ", out);
    md_text(out, c->claim->index_name);
    fprintf(out, " = %.6g", w->x);
  }
  fputs(c->claim->kind == TC_KIND_DETERMINISTIC ? ": lhs = " : ": on a fresh sample, estimate = ", out);
  md_num(out, w->lhs);
  fputs(c->claim->kind == TC_KIND_DETERMINISTIC ? ", rhs = " : ", bound = ", out);
  md_num(out, w->rhs);
  fputs(".\n\nReproduce the shrunk counterexample alone: ", out);
  md_code(out, c->shrunk_reproduce);
  fputc('\n', out);
}

static void witness_part(FILE *out, const tc_claim_result *c, const tc_precision_result *pr)
{
  if (!pr->has_witness)
    return;
  const tc_witness *w = &pr->witness;
  int within = c->verdict != TC_FAIL && pr->within_error > 0 && !isnan(pr->within_error_margin);
  fprintf(out, "\n**%s:** instance %zu, seed %llu, parameters ",
          c->verdict == TC_FAIL ? "Counterexample"
          : within              ? "Worst row within the error estimate"
                                : "Tightest instance",
          w->index, (unsigned long long)w->seed);
  md_code(out, w->params);
  if (!isnan(w->x) && c->claim->index_name) {
    fputs(", at ", out);
    md_text(out, c->claim->index_name);
    fprintf(out, " = %.6g", w->x);
  }
  fputs(": lhs = ", out);
  md_num(out, w->lhs);
  fputs(", rhs = ", out);
  md_num(out, w->rhs);
  if (within) {
    fputs(", margin lhs - rhs = ", out);
    md_num(out, pr->within_error_margin);
    fputs(" within the error estimate ", out);
    md_num(out, pr->within_error_err);
    fprintf(out, " (%zu such rows: undecided)", pr->within_error);
  }
  fputs(".", out);
  if (w->note) {
    fputs(" Module note: ", out);
    md_text(out, w->note);
    fputs(".", out);
  }
  fputc('\n', out);
  if (c->reproduce) {
    fputs("\nReproduce this instance alone: ", out);
    md_code(out, c->reproduce);
    fputc('\n', out);
  }
  shrunk_part(out, c);
}

/* Which wrong variants of the bound this run would have rejected. */
static void mutant_part(FILE *out, const tc_claim_result *c, const tc_precision_result *pr)
{
  if (pr->nmutants == 0) {
    fputs("\n**Mutants:** none listed in the catalog.\n", out);
    return;
  }
  fprintf(out, "\n**Mutants** (wrong variants re-decided on the same rows): %zu of %zu refuted%s\n\n",
          pr->mutants_refuted, pr->nmutants, c->weak ? " — **weak evidence**" : "");
  for (size_t i = 0; i < pr->nmutants; i++) {
    fputs("- ", out);
    md_code(out, pr->mutants[i].text);
    fprintf(out, ": %s\n", pr->mutants[i].verdict == TC_FAIL
                               ? "refuted (FAIL)"
                               : pr->mutants[i].verdict == TC_PASS ? "**not refuted** (PASS)"
                                                                   : tc_verdict_name(pr->mutants[i].verdict));
  }
}

static void claim_section(FILE *out, const tc_claim_result *c)
{
  const tc_precision_result *pr = tc_report_main_precision(c);
  claim_head(out, c);
  precision_table(out, c);
  point_table(out, c, pr);
  witness_part(out, c, pr);
  mutant_part(out, c, pr);
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
    fputs("| [", out);
    md_text(out, c->claim->id);
    fputs("](#", out);
    md_anchor(out, c->claim->id);
    fprintf(out, ") | %s | ", tc_kind_name(c->claim->kind));
    md_text(out, c->claim->source);
    fprintf(out, " | **%s** | ", tc_verdict_name(c->verdict));
    md_num(out, tc_report_main_precision(c)->tightness);
    fprintf(out, " | %s%s%s |\n", c->disagree ? "DISAGREE " : "", c->weak ? "WEAK " : "",
            c->claim->corrects ? "correction" : "");
  }
  for (size_t i = 0; i < r->n; i++)
    claim_section(out, &r->claims[i]);
  return ferror(out) ? TC_EIO : TC_SUCCESS;
}
