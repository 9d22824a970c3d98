/* LaTeX report: a standalone document (pdflatex + pgfplots), a summary
 * table, and per claim its details and, for sequence and rate claims, a
 * figure of the measured values against the bound.  All catalog and
 * module text is escaped: the report must compile whatever it contains. */
#include <config.h>
#include <math.h>
#include <string.h>
#include "report_common.h"
#include "catalog/catalog_latex.h"

static void tex_text(FILE *out, const char *s)
{
  for (; s && *s; s++) {
    switch (*s) {
    case '\\': fputs("\\textbackslash{}", out); break;
    case '{': fputs("\\{", out); break;
    case '}': fputs("\\}", out); break;
    case '$': fputs("\\$", out); break;
    case '&': fputs("\\&", out); break;
    case '#': fputs("\\#", out); break;
    case '%': fputs("\\%", out); break;
    case '_': fputs("\\_", out); break;
    case '^': fputs("\\^{}", out); break;
    case '~': fputs("\\~{}", out); break;
    case '<': fputs("\\textless{}", out); break;
    case '>': fputs("\\textgreater{}", out); break;
    case '|': fputs("\\textbar{}", out); break;
    case '\n': case '\t': case '\r': fputc(' ', out); break;
    default:
      /* Other control bytes stop pdflatex ("invalid character"): drop. */
      if ((unsigned char)*s < 0x20 || *s == 0x7f)
        break;
      if ((unsigned char)*s < 0x80)
        fputc(*s, out);
      else
        fputc('?', out); /* pdflatex without inputenc extras: no raw UTF-8 */
    }
  }
}

/* Code-like text (statements as LaTeX source, expressions, commands) in
 * \texttt: escaped like tex_text, with break points after separators so
 * long formulas wrap instead of running off the page. */
static void tex_code(FILE *out, const char *s)
{
  fputs("\\texttt{", out);
  for (; s && *s; s++) {
    char one[2] = {*s, '\0'};
    tex_text(out, one);
    if (strchr(" ,;()=+}", *s) != NULL || *s == '\\')
      fputs("\\allowbreak{}", out);
  }
  fputs("}", out);
}

/* The statement typeset as mathematics: inline $\displaystyle ...$ in a
 * ragged-right quote, so a long formula breaks after its relations and
 * binary operators instead of running off the page.  Only text in the
 * catalog's LaTeX subset (catalog_latex.c) is written as LaTeX, which is
 * every statement the catalog loaded; any other text (a claim built by
 * hand) is shown as its escaped source. */
static void tex_statement(FILE *out, const char *s)
{
  char msg[240];
  if (s == NULL || tc_latex_check(s, msg, sizeof msg) != TC_SUCCESS) {
    fputs("\\item[Statement (as written, \\LaTeX{} source)] ", out);
    tex_code(out, s);
    fputc('\n', out);
    return;
  }
  fputs("\\item[Statement] as written in the notes:\n\\begin{quote}\\raggedright\n$\\displaystyle ", out);
  for (; *s; s++)
    fputc(*s == '\t' ? ' ' : *s, out);
  fputs("$\n\\end{quote}\n", out);
}

static void tex_num(FILE *out, double v)
{
  if (isnan(v))
    fputs("--", out);
  else if (isinf(v))
    fputs(v > 0 ? "$\\infty$" : "$-\\infty$", out);
  else
    fprintf(out, "%.4g", v);
}

static const char *basename_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Where the verdict came from: exact values, sampling, or every row. */
static void tex_evidence(FILE *out, const tc_claim_result *c)
{
  char text[256];
  tc_report_evidence_text(text, sizeof text, c);
  fputs("\\item[Verdict from] ", out);
  tex_text(out, text);
  fputs(".\n", out);
}

/* Which wrong variants of the bound this run would have rejected. */
static void tex_mutants(FILE *out, const tc_claim_result *c, const tc_precision_result *pr)
{
  fputs("\\item[Mutants] ", out);
  if (pr->nmutants == 0) {
    fputs("none listed in the catalog.\n", out);
    return;
  }
  fprintf(out, "%zu of %zu refuted%s: ", pr->mutants_refuted, pr->nmutants,
          c->weak ? " (\\textbf{weak evidence})" : "");
  for (size_t i = 0; i < pr->nmutants; i++) {
    fputs(i ? "; \\texttt{" : "\\texttt{", out);
    tex_text(out, pr->mutants[i].text);
    fprintf(out, "} %s", pr->mutants[i].verdict == TC_FAIL ? "refuted" : "not refuted");
  }
  fputs(".\n", out);
}

/* What was checked: the claim kind and the expressions the engine
 * evaluated, with the catalog line they came from. */
static void tex_checked(FILE *out, const tc_claim *cl)
{
  fputs("\\item[Checked] ", out);
  tex_text(out, tc_kind_name(cl->kind));
  fputs(" claim, lhs \\texttt{", out);
  tex_text(out, cl->lhs_text);
  if (cl->rhs_text) {
    fputs("}, rhs \\texttt{", out);
    tex_text(out, cl->rhs_text);
  }
  if (cl->probability_text) {
    fputs("}, required probability \\texttt{", out);
    tex_text(out, cl->probability_text);
  }
  if (cl->exponent_text) {
    fputs("}, exponent \\texttt{", out);
    tex_text(out, cl->exponent_text);
  }
  fprintf(out, "} (catalog \\texttt{");
  tex_text(out, basename_of(cl->file));
  fprintf(out, ":%d})\n", cl->line);
}

/* The section heading and the claim as the catalog states it, then the
 * verdict with its reason (and the precisions' disagreement, if any). */
static void tex_claim_head(FILE *out, const tc_claim_result *c)
{
  const tc_claim *cl = c->claim;
  fputs("\\section*{", out);
  tex_text(out, cl->id);
  fprintf(out, ": %s}\n", tc_verdict_name(c->verdict));
  fputs("\\begin{description}\n\\item[Source] ", out);
  tex_text(out, cl->source);
  fputc('\n', out);
  tex_statement(out, cl->statement);
  if (cl->hypotheses) {
    fputs("\\item[Hypotheses] ", out);
    tex_text(out, cl->hypotheses);
    fputc('\n', out);
  }
  if (cl->corrects) {
    fputs("\\item[Corrected variant] of \\texttt{", out);
    tex_text(out, cl->corrects);
    fputs("}, which is checked as stated separately.\n", out);
  }
  tex_checked(out, cl);
  fprintf(out, "\\item[Verdict] \\textbf{%s}. ", tc_verdict_name(c->verdict));
  tex_text(out, c->reason);
  fputc('\n', out);
  if (c->disagree) {
    fputs("\\item[DISAGREE] ", out);
    tex_text(out, c->disagree_note);
    fputc('\n', out);
  }
}

/* The instance a reader should look at first: the counterexample of a
 * FAIL, else the row undecided within the error estimate, else the
 * tightest one; with the command that replays it. */
static void tex_witness(FILE *out, const tc_claim_result *c, const tc_precision_result *pr)
{
  int within = c->verdict != TC_FAIL && pr->within_error > 0 && !isnan(pr->within_error_margin);
  fprintf(out, "\\item[%s] instance %zu, seed %llu, ",
          c->verdict == TC_FAIL ? "Counterexample"
          : within              ? "Worst row within the error estimate"
                                : "Tightest instance",
          pr->witness.index, (unsigned long long)pr->witness.seed);
  tex_text(out, pr->witness.params);
  fputs("; lhs = ", out);
  tex_num(out, pr->witness.lhs);
  fputs(", rhs = ", out);
  tex_num(out, pr->witness.rhs);
  if (within) {
    fputs(", margin lhs $-$ rhs = ", out);
    tex_num(out, pr->within_error_margin);
    fputs(" within the error estimate ", out);
    tex_num(out, pr->within_error_err);
    fprintf(out, " (%zu such rows: undecided)", pr->within_error);
  }
  fputs(".\n", out);
  if (c->reproduce) {
    fputs("\\item[Reproduce] ", out);
    tex_code(out, c->reproduce);
    fputs("\n", out);
  }
}

/* The counterexample after shrinking; a sampled claim's shrunk value is
 * a fresh estimate, so it is labelled as such rather than as lhs/rhs. */
static void tex_shrunk(FILE *out, const tc_claim_result *c)
{
  fprintf(out, "\\item[Shrunk] %zu simplification%s, %zu instance runs: ", c->shrink_steps,
          c->shrink_steps == 1 ? "" : "s", c->shrink_runs);
  tex_text(out, c->shrunk.params);
  fputs(c->claim->kind == TC_KIND_DETERMINISTIC ? "; lhs = " : "; fresh sample: estimate = ", out);
  tex_num(out, c->shrunk.lhs);
  fputs(c->claim->kind == TC_KIND_DETERMINISTIC ? ", rhs = " : ", bound = ", out);
  tex_num(out, c->shrunk.rhs);
  fputs(".\n\\item[Reproduce shrunk] ", out);
  tex_code(out, c->shrunk_reproduce);
  fputs("\n", out);
}

/* One row per precision that ran, so double and MPFR are read side by side. */
static void tex_precision_table(FILE *out, const tc_claim_result *c)
{
  fputs("\\begin{center}\\small\n\\begin{tabular}{lllrrr}\n\\hline\nprecision & verdict & tightness & instances & rows & NaN/Inf\\\\\n\\hline\n", out);
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const tc_precision_result *p = &c->prec[b];
    if (!p->ran)
      continue;
    fprintf(out, "%s & %s & ", tc_backends[b].label, tc_verdict_name(p->verdict));
    tex_num(out, p->tightness);
    fprintf(out, " & %zu & %zu & %zu\\\\\n", p->instances, p->rows, p->nonfinite);
  }
  fputs("\\hline\n\\end{tabular}\n\\end{center}\n", out);
}

/* The per-point table; its columns depend on the claim kind
 * (report_common.c), so every reporter shows the same cells. */
static void tex_detail_table(FILE *out, const tc_claim *cl, const tc_precision_result *pr)
{
  const char *const *h = tc_report_detail_headers(cl->kind);
  int cols = 0;
  while (h[cols])
    cols++;
  fputs("\\begin{center}\\scriptsize\n\\begin{tabular}{p{0.3\\textwidth}", out);
  for (int k = 1; k < cols; k++)
    fputc('l', out);
  fputs("}\n\\hline\n", out);
  for (int k = 0; k < cols; k++) {
    if (k)
      fputs(" & ", out);
    tex_text(out, h[k]);
  }
  fputs("\\\\\n\\hline\n", out);
  for (size_t i = 0; i < pr->npoints; i++) {
    for (int k = 0; k < cols; k++) {
      char cell[256];
      tc_report_detail_cell(cell, sizeof cell, cl->kind, &pr->points[i], k);
      if (k)
        fputs(" & ", out);
      tex_text(out, cell);
    }
    fputs("\\\\\n", out);
  }
  fputs("\\hline\n\\end{tabular}\n\\end{center}\n", out);
}

static void claim_section(FILE *out, const tc_claim_result *c)
{
  const tc_claim *cl = c->claim;
  tex_claim_head(out, c);
  const tc_precision_result *pr = tc_report_main_precision(c);
  tex_evidence(out, c);
  tex_mutants(out, c, pr);
  if (pr->has_witness)
    tex_witness(out, c, pr);
  if (c->has_shrunk)
    tex_shrunk(out, c);
  fputs("\\end{description}\n", out);
  tex_precision_table(out, c);
  if (pr->npoints)
    tex_detail_table(out, cl, pr);
  /* Figures for sequence and rate claims, and for probability claims
   * with an `index` (the probability against it). */
  if (cl->kind == TC_KIND_PROBABILITY) {
    tc_report_tex_prob_figure(out, cl, pr); /* report_tex_figure.c */
  } else {
    size_t shown = pr->nseries < 4 ? pr->nseries : 4;
    for (size_t i = 0; i < shown; i++)
      tc_report_tex_figure(out, cl, pr, &pr->series[i]); /* report_tex_figure.c */
  }
}

int tc_report_tex(FILE *out, const tc_run_result *r)
{
  char prec[64];
  tc_report_precision_label(prec, sizeof prec, r->precision, (long)r->bits);
  fputs("\\documentclass[10pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
        "\\usepackage{amsmath,amssymb}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
        "\\begin{document}\n\\section*{thmcheck report}\n", out);
  fprintf(out, "thmcheck %s, seed %llu, confidence %g, precision ", PACKAGE_VERSION,
          (unsigned long long)r->seed, r->confidence);
  tex_text(out, prec);
  fputs(". Every claim is checked as stated in the notes; corrected variants are separate, "
        "labelled entries.\n\n", out);
  fputs("\\begin{center}\\small\n\\begin{tabular}{llp{0.38\\textwidth}lr}\n\\hline\n"
        "claim & kind & source & verdict & tightness\\\\\n\\hline\n", out);
  for (size_t i = 0; i < r->n; i++) {
    const tc_claim_result *c = &r->claims[i];
    fputs("\\texttt{", out);
    tex_text(out, c->claim->id);
    fprintf(out, "} & %s & ", tc_kind_name(c->claim->kind));
    tex_text(out, c->claim->source);
    fprintf(out, " & \\textbf{%s}%s & ", tc_verdict_name(c->verdict), c->disagree ? " (DISAGREE)" : "");
    tex_num(out, tc_report_main_precision(c)->tightness);
    fputs("\\\\\n", out);
  }
  fputs("\\hline\n\\end{tabular}\n\\end{center}\n", out);
  for (size_t i = 0; i < r->n; i++)
    claim_section(out, &r->claims[i]);
  fputs("\\end{document}\n", out);
  return ferror(out) ? TC_EIO : TC_SUCCESS;
}
