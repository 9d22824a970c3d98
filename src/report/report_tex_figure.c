/* The LaTeX report's figures (pgfplots): for a deterministic claim whose
 * rows form a sequence (an `index` such as k or t), the measured lhs and
 * the bound rhs of the worst instance (the counterexample, or the
 * tightest instance) against the index, log scale, with the module's
 * error estimate when the claim has one (down to 1e-3 of the smallest
 * value drawn); for an expectation claim the
 * mean per checkpoint against the bound; for a rate claim the mean per
 * sweep value against the stated power law (log-log); for a probability
 * claim with `index` the estimated probability per point against it
 * (tc_report_tex_prob_figure, below).  Formatting only:
 * every number comes from the tc_series of tc_run_result. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_common.h"

/* Text for pgfplots labels and captions: letters, digits and a few safe
 * characters as they are; the rest escaped or dropped (the report must
 * compile whatever the catalog says). */
static void fig_text(FILE *out, const char *s)
{
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '_' || c == '%' || c == '#' || c == '&' || c == '$')
      fprintf(out, "\\%c", c);
    else if (c == '^')
      fputs("\\^{}", out);
    else if (c == '\\' || c == '{' || c == '}' || c == '~' || c == '<' || c == '>' || c == '|')
      fputc(' ', out);
    else if (c >= 0x20 && c < 0x7f)
      fputc(c, out);
    else if (c >= 0x80)
      fputc('?', out); /* no raw UTF-8 for pdflatex */
  }
}

/* A point is drawn when x is finite and y is positive and finite (log
 * scale); pgfplots reads numbers down to about 1e-300. */
static int drawable(double x, double y)
{
  return isfinite(x) && isfinite(y) && y > 1e-300;
}

/* The smallest drawn lhs or rhs: the error estimate is drawn only down
 * to 1e-3 of it, so a negligible estimate does not stretch the axis. */
static double fig_floor(const tc_series *s)
{
  double lo = INFINITY;
  for (size_t k = 0; k < s->n; k++) {
    const tc_series_point *p = &s->p[k];
    if (drawable(p->x, p->lhs) && p->lhs < lo)
      lo = p->lhs;
    if (drawable(p->x, p->rhs) && p->rhs < lo)
      lo = p->rhs;
  }
  return lo * 1e-3;
}

static void fig_curve(FILE *out, const tc_series *s, int which, const char *style)
{
  double floor_err = which == 2 ? fig_floor(s) : 0;
  fprintf(out, "\\addplot[%s] coordinates {", style);
  for (size_t k = 0; k < s->n; k++) {
    const tc_series_point *p = &s->p[k];
    double y = which == 0 ? p->lhs : which == 1 ? p->rhs : p->err;
    if (drawable(p->x, y) && y >= floor_err)
      fprintf(out, " (%.10g,%.10g)", p->x, y);
  }
  fputs(" };\n", out);
}

static size_t fig_count(const tc_series *s, int which)
{
  size_t n = 0;
  double floor_err = which == 2 ? fig_floor(s) : 0;
  for (size_t k = 0; k < s->n; k++) {
    const tc_series_point *p = &s->p[k];
    double y = which == 0 ? p->lhs : which == 1 ? p->rhs : p->err;
    n += drawable(p->x, y) && y >= floor_err;
  }
  return n;
}

/* The drawn range of one curve's values (y) or abscissae (x) into *lo, *hi. */
static void fig_extent(const tc_series *s, int which, int want_x, double *lo, double *hi)
{
  double floor_err = which == 2 ? fig_floor(s) : 0;
  for (size_t k = 0; k < s->n; k++) {
    const tc_series_point *p = &s->p[k];
    double y = which == 0 ? p->lhs : which == 1 ? p->rhs : p->err;
    if (!(drawable(p->x, y) && y >= floor_err))
      continue;
    double v = want_x ? p->x : y;
    *lo = fmin(*lo, v);
    *hi = fmax(*hi, v);
  }
}

/* pgfplots stops with "Dimension too large" when a log axis is short
 * against its distance from 1 (its position is log(value) times the
 * scale): a range of 1 to 1.00013, a flat series, or 1e-300 to 1e-299.
 * Such a range is widened, evenly on both sides, to at least a factor
 * of 4 and to 1/50 of |log(centre)| (measured limits: 1/128 compiles,
 * 1/150 does not); ymin stays a normal double. */
static void fig_log_limits(FILE *out, char axis, double lo, double hi)
{
  if (!(lo <= hi) || !(lo > 0))
    return;
  double have = log(hi) - log(lo), centre = 0.5 * (log(hi) + log(lo));
  double need = fmax(log(4.0), fabs(centre) / 50);
  if (have >= need)
    return;
  double pad = exp(0.5 * (need - have));
  fprintf(out, ", %cmin=%.6g, %cmax=%.6g", axis, fmax(lo / pad, 1e-307), axis, hi * pad);
}

/* The same on the linear x axis: a zero-length range is widened. */
static void fig_limits(FILE *out, const tc_series *s, int with_err, int log_x)
{
  double ylo = INFINITY, yhi = -INFINITY, xlo = INFINITY, xhi = -INFINITY;
  for (int which = 0; which < 2 + with_err; which++) {
    fig_extent(s, which, 0, &ylo, &yhi);
    fig_extent(s, which, 1, &xlo, &xhi);
  }
  fig_log_limits(out, 'y', ylo, yhi);
  if (log_x)
    fig_log_limits(out, 'x', xlo, xhi);
  else if (xlo == xhi && isfinite(xlo))
    fprintf(out, ", xmin=%.10g, xmax=%.10g", xlo - fmax(1, 1e-3 * fabs(xlo)),
            xhi + fmax(1, 1e-3 * fabs(xhi)));
}

/* The caption: what is drawn, for which instance, and what is left out. */
static void fig_caption(FILE *out, const tc_claim *cl, const tc_precision_result *pr,
                        const tc_series *s, size_t nl, size_t nr)
{
  fputs("\\\\[-0.5ex]{\\footnotesize ", out);
  if (cl->kind == TC_KIND_DETERMINISTIC && pr->has_witness) {
    fig_text(out, s->label);
    fprintf(out, " (instance %zu, seed %llu", pr->witness.index, (unsigned long long)pr->witness.seed);
    if (pr->witness.params && *pr->witness.params) {
      fputs(", ", out);
      fig_text(out, pr->witness.params);
    }
    fputs("). ", out);
  } else {
    fig_text(out, s->label);
    fputs(". ", out);
  }
  fputs("Measured: \\texttt{", out);
  fig_text(out, cl->lhs_text);
  fputs("}; bound: \\texttt{", out);
  fig_text(out, cl->kind == TC_KIND_RATE ? "stated exponent" : cl->rhs_text);
  fputs("}", out);
  if (nl < s->n || nr < s->n)
    fprintf(out, "; %zu of %zu measured and %zu of %zu bound values are zero, negative or "
            "outside double's range and not drawn", s->n - nl, s->n, s->n - nr, s->n);
  fputs(".}\n", out);
}

void tc_report_tex_figure(FILE *out, const tc_claim *cl, const tc_precision_result *pr,
                          const tc_series *s)
{
  size_t nl = fig_count(s, 0), nr = fig_count(s, 1), ne = cl->error ? fig_count(s, 2) : 0;
  if (nl < 2 && nr < 2)
    return;
  int rate = cl->kind == TC_KIND_RATE;
  const char *axis = rate ? "loglogaxis" : "semilogyaxis";
  fputs("\\begin{center}\n\\begin{tikzpicture}\n", out);
  fprintf(out, "\\begin{%s}[width=0.8\\textwidth, height=5.5cm, xlabel={", axis);
  fig_text(out, rate ? cl->sweep_name : (cl->index_name ? cl->index_name : "row"));
  fputs("}, legend pos=outer north east, legend style={font=\\small}, title={\\small ", out);
  fig_text(out, cl->id);
  fputs("}", out);
  fig_limits(out, s, ne >= 2, rate);
  fputs("]\n", out);
  fig_curve(out, s, 0, "blue, mark=*, mark size=1pt");
  fig_curve(out, s, 1, "red, dashed, thick");
  if (ne >= 2)
    fig_curve(out, s, 2, "gray, dotted");
  fprintf(out, "\\legend{%s, %s%s}\n", rate ? "measured (mean)" : "measured lhs",
          rate ? "stated power law" : "bound (rhs)", ne >= 2 ? ", error estimate" : "");
  fprintf(out, "\\end{%s}\n\\end{tikzpicture}\n", axis);
  fig_caption(out, cl, pr, s, nl, nr);
  fputs("\\end{center}\n", out);
}

/* Probability claims with `index`: per point the estimated probability of
 * the event with its Clopper-Pearson interval (the one the verdict used,
 * Bonferroni over the points) against the index (e.g. the width m), the
 * required probability as a step, and each distinct value of the claim's
 * `mark` (e.g. the stated threshold width) as a vertical dotted line.
 * Points are drawn in the order of their index (ties: catalog order), so
 * the figure depends only on the results. */
#define PROB_FIG_MAX_MARKS 4

static int prob_drawable(const tc_point_summary *p)
{
  return p->n > 0 && isfinite(p->x) && isfinite(p->estimate) && isfinite(p->lower) && isfinite(p->upper);
}

/* order[0..*n) <- the drawable points sorted by x (insertion sort: stable). */
static void prob_order(size_t *order, size_t *n, const tc_precision_result *pr)
{
  *n = 0;
  for (size_t i = 0; i < pr->npoints; i++) {
    if (!prob_drawable(&pr->points[i]))
      continue;
    size_t k = (*n)++;
    for (; k > 0 && pr->points[order[k - 1]].x > pr->points[i].x; k--)
      order[k] = order[k - 1];
    order[k] = i;
  }
}

/* marks[0..return) <- the distinct finite marks, ascending. */
static size_t prob_marks(double *marks, const tc_precision_result *pr, int log_x)
{
  size_t nm = 0;
  for (size_t i = 0; i < pr->npoints; i++) {
    double v = pr->points[i].mark;
    if (!isfinite(v) || (log_x && !(v > 0)))
      continue;
    size_t k = 0;
    while (k < nm && fabs(marks[k] - v) > 1e-9 * fabs(v))
      k++;
    if (k < nm || nm == PROB_FIG_MAX_MARKS)
      continue;
    for (k = nm++; k > 0 && marks[k - 1] > v; k--)
      marks[k] = marks[k - 1];
    marks[k] = v;
  }
  return nm;
}

static void prob_caption(FILE *out, const tc_claim *cl, size_t drawn, size_t total, size_t nm)
{
  fputs("\\\\[-0.5ex]{\\footnotesize Estimated P(\\texttt{", out);
  fig_text(out, cl->lhs_text);
  fputs("} $\\le$ \\texttt{", out);
  fig_text(out, cl->rhs_text);
  fputs("}) per point with its Clopper-Pearson interval (the verdict's, Bonferroni over the points); "
        "required: \\texttt{",
        out);
  fig_text(out, cl->probability_text);
  fputs("}", out);
  if (nm) {
    fputs("; dotted: \\texttt{", out);
    fig_text(out, cl->mark_text);
    fputs("}", out);
  }
  if (drawn < total)
    fprintf(out, "; %zu of %zu points have no finite index or estimate and are not drawn", total - drawn, total);
  fputs(".}\n", out);
}

void tc_report_tex_prob_figure(FILE *out, const tc_claim *cl, const tc_precision_result *pr)
{
  if (cl->kind != TC_KIND_PROBABILITY || cl->index_name == NULL || pr->npoints < 2)
    return;
  size_t *order = malloc(pr->npoints * sizeof *order), n;
  if (order == NULL)
    return;
  prob_order(order, &n, pr);
  double xlo = n ? pr->points[order[0]].x : 0, xhi = n ? pr->points[order[n - 1]].x : 0;
  if (n < 2 || !(xhi > xlo)) {
    free(order);
    return;
  }
  int log_x = xlo > 0 && xhi / xlo >= 10;
  double marks[PROB_FIG_MAX_MARKS];
  size_t nm = prob_marks(marks, pr, log_x);
  for (size_t k = 0; k < nm; k++) {
    xlo = fmin(xlo, marks[k]);
    xhi = fmax(xhi, marks[k]);
  }
  const char *axis = log_x ? "semilogxaxis" : "axis";
  fputs("\\begin{center}\n\\begin{tikzpicture}\n", out);
  fprintf(out, "\\begin{%s}[width=0.8\\textwidth, height=5.5cm, ymin=-0.02, ymax=1.05, xlabel={", axis);
  fig_text(out, cl->index_name);
  fputs("}, ylabel={probability}, legend pos=outer north east, legend style={font=\\small}, title={\\small ", out);
  fig_text(out, cl->id);
  fputs("}", out);
  if (log_x)
    fprintf(out, ", xmin=%.6g, xmax=%.6g", xlo / 1.3, xhi * 1.3);
  else
    fprintf(out, ", xmin=%.10g, xmax=%.10g", xlo - 0.05 * (xhi - xlo), xhi + 0.05 * (xhi - xlo));
  fputs("]\n\\addplot[blue, only marks, mark=*, mark size=1.2pt, error bars/.cd, y dir=both, y explicit] "
        "coordinates {",
        out);
  for (size_t k = 0; k < n; k++) {
    const tc_point_summary *p = &pr->points[order[k]];
    fprintf(out, " (%.10g,%.10g) += (0,%.10g) -= (0,%.10g)", p->x, p->estimate, fmax(0, p->upper - p->estimate),
            fmax(0, p->estimate - p->lower));
  }
  fputs(" };\n\\addlegendentry{estimate (CP interval)}\n", out);
  fputs("\\addplot[red, dashed, thick, const plot mark left, mark=none] coordinates {", out);
  for (size_t k = 0; k < n; k++) {
    const tc_point_summary *p = &pr->points[order[k]];
    if (isfinite(p->bound))
      fprintf(out, " (%.10g,%.10g)", p->x, p->bound);
  }
  fputs(" };\n\\addlegendentry{required}\n", out);
  for (size_t k = 0; k < nm; k++) {
    fprintf(out, "\\addplot[gray, dotted, very thick, mark=none] coordinates { (%.10g,0) (%.10g,1) };\n", marks[k],
            marks[k]);
    if (k == 0) {
      fputs("\\addlegendentry{", out);
      fig_text(out, cl->mark_text);
      fputs("}\n", out);
    }
  }
  fprintf(out, "\\end{%s}\n\\end{tikzpicture}\n", axis);
  prob_caption(out, cl, n, pr->npoints, nm);
  fputs("\\end{center}\n", out);
  free(order);
}
