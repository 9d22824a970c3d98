/* The backends against each other: the claim's verdict from the verdicts
 * of the backends that ran, and the DISAGREE flag from their row values
 * (each backend's against the main one's). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

/* Values below double's normal range cannot be compared relatively. */
static int comparable(double a, double b)
{
  return fabs(a) > 1e-290 || fabs(b) > 1e-290;
}

static double rel_diff(double a, double b)
{
  if (a == b)
    return 0;
  if (!comparable(a, b))
    return 0;
  return fabs(a - b) / fmax(fabs(a), fabs(b));
}

/* Backend `one` against the main backend `ref`. */
static void compare_backends(tc_claim_result *res, const claim_run *cr, int one, int ref)
{
  size_t bad = 0, compared = 0, flips = 0;
  double worst = 0;
  size_t worst_job = 0, worst_row = 0;
  for (size_t i = 0; i < cr->njobs; i++) {
    const job_output *a = &cr->out[one][i], *b = &cr->out[ref][i];
    if (a->status != TC_SUCCESS || b->status != TC_SUCCESS || a->nrows != b->nrows)
      continue;
    for (size_t r = 0; r < a->nrows; r++) {
      double d = fmax(rel_diff(a->lhs[r], b->lhs[r]), rel_diff(a->rhs[r], b->rhs[r]));
      compared++;
      /* NaN: one side is Inf or NaN.  The same non-finite value on both
       * sides is agreement (the row is ERROR anyway); otherwise the two
       * precisions saw different numbers. */
      if (isnan(d)) {
        int same = (a->lhs[r] == b->lhs[r] || (isnan(a->lhs[r]) && isnan(b->lhs[r]))) &&
                   (a->rhs[r] == b->rhs[r] || (isnan(a->rhs[r]) && isnan(b->rhs[r])));
        bad += !same;
        flips += (a->row_class[r] == ROW_VIOLATED) != (b->row_class[r] == ROW_VIOLATED);
        continue;
      }
      /* Differences inside the modules' own error estimates are rounding
       * noise of a value near zero, not a disagreement. */
      double slack = a->err[r] + b->err[r];
      if (slack > 0 && fabs(a->lhs[r] - b->lhs[r]) <= slack && fabs(a->rhs[r] - b->rhs[r]) <= slack)
        continue;
      /* Each side alone, too: a gap at its rounding floor may differ by
       * 100% while the bound beside it agrees to the last bits. */
      if (slack > 0)
        d = fmax(fabs(a->lhs[r] - b->lhs[r]) <= slack ? 0 : rel_diff(a->lhs[r], b->lhs[r]),
                 fabs(a->rhs[r] - b->rhs[r]) <= slack ? 0 : rel_diff(a->rhs[r], b->rhs[r]));
      if (d > worst) {
        worst = d;
        worst_job = i;
        worst_row = r;
      }
      if (d > cr->opt->agree_tol)
        bad++;
      if ((a->row_class[r] == ROW_VIOLATED) != (b->row_class[r] == ROW_VIOLATED))
        flips++;
    }
  }
  if (worst > res->max_rel_diff)
    res->max_rel_diff = worst;
  if (bad || flips) {
    res->disagree = 1;
    char *note = tc_strdupf(
        "%s and %s differ by more than %.1e (relative) on %zu of %zu rows and decide "
        "lhs <= rhs differently on %zu rows; largest difference %.3e at instance %zu row %zu",
        tc_backends[one].label, tc_backends[ref].label, cr->opt->agree_tol, bad, compared, flips,
        worst, cr->jobs[worst_job].index, worst_row);
    char *joined = res->disagree_note ? tc_strdupf("%s; %s", res->disagree_note, note) : NULL;
    if (joined) {
      free(res->disagree_note);
      free(note);
      note = joined;
    }
    res->disagree_note = note;
  }
}

/* "double says PASS, MPFR (128 bits) says FAIL" for the backends that ran. */
static char *verdict_list(const tc_claim_result *res, const claim_run *cr, int mask)
{
  char *list = strdup("");
  for (int b = 0; list && b < TC_BACKEND_COUNT; b++) {
    if (!(mask & (1 << b)))
      continue;
    char *bits = tc_backends[b].uses_bits ? tc_strdupf(" (%ld bits)", (long)cr->opt->bits) : strdup("");
    char *longer = tc_strdupf("%s%s%s%s says %s", list, *list ? ", " : "", tc_backends[b].label,
                              bits ? bits : "", tc_verdict_name(res->prec[b].verdict));
    free(bits);
    free(list);
    list = longer;
  }
  return list;
}

/* "double and MPFR", "double, MPFR and test". */
static char *backend_names(int mask)
{
  char *list = strdup("");
  int left = tc_engine_backend_count(mask);
  for (int b = 0; list && b < TC_BACKEND_COUNT; b++) {
    if (!(mask & (1 << b)))
      continue;
    left--;
    char *longer = tc_strdupf("%s%s%s", list, !*list ? "" : left ? ", " : " and ", tc_backends[b].label);
    free(list);
    list = longer;
  }
  return list;
}

/* A PASS is only as strong as the wrong statements the same run would
 * have rejected: say so when it refutes none of its mutants (or the
 * catalog lists none).  `reproduce` runs one instance and judges nothing. */
static void judge_evidence(tc_claim_result *res, const claim_run *cr, const tc_precision_result *pr)
{
  if (res->verdict != TC_PASS || cr->opt->only_instance >= 0)
    return;
  if (pr->nmutants > 0 && pr->mutants_refuted > 0)
    return;
  res->weak = 1;
  char *longer = pr->nmutants == 0
                     ? tc_strdupf("%s; WEAK EVIDENCE: the catalog lists no mutants, so nothing shows "
                                  "these instances could have failed a wrong bound",
                                  res->reason)
                     : tc_strdupf("%s; WEAK EVIDENCE: this run refutes none of its %zu mutants "
                                  "(wrong variants of the bound would have passed too)",
                                  res->reason, pr->nmutants);
  free(res->reason);
  res->reason = longer;
}

void tc_engine_combine(tc_claim_result *res, const claim_run *cr)
{
  int ran = 0;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    ran |= res->prec[b].ran ? 1 << b : 0;
  int ref = tc_engine_main_backend(ran);
  if (ref < 0)
    return;
  const tc_precision_result *m = &res->prec[ref];
  int agree = 1, pass_or_inc = 1, inc = -1;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (ran & (1 << b)) {
      if (b != ref) {
        compare_backends(res, cr, b, ref);
        agree &= res->prec[b].verdict == m->verdict;
      }
      pass_or_inc &= res->prec[b].verdict == TC_PASS || res->prec[b].verdict == TC_INCONCLUSIVE;
      if (inc < 0 && res->prec[b].verdict == TC_INCONCLUSIVE)
        inc = b;
    }
  if (agree) {
    res->verdict = m->verdict;
    res->reason = strdup(m->reason ? m->reason : "");
  } else if (pass_or_inc && m->verdict == TC_PASS) {
    /* A less exact backend cannot decide rows (margins inside its error
     * estimate) that the most exact one decides: the main backend's PASS
     * stands, and the report says which backend could not decide. */
    char *list = verdict_list(res, cr, ran);
    res->verdict = TC_PASS;
    res->reason = tc_strdupf("%s (%s; the less exact run: %s)", m->reason ? m->reason : "", list ? list : "",
                             res->prec[inc].reason ? res->prec[inc].reason : "");
    free(list);
  } else if (pass_or_inc) {
    /* The most exact backend cannot decide what another passes (a margin
     * inside its error estimate): undecided, not a conflict.  PASS against
     * FAIL stays ERROR below. */
    char *list = verdict_list(res, cr, ran);
    res->verdict = TC_INCONCLUSIVE;
    res->reason = tc_strdupf("%s: %s", list ? list : "", res->prec[inc].reason ? res->prec[inc].reason : "");
    free(list);
  } else {
    char *names = backend_names(ran), *list = verdict_list(res, cr, ran);
    res->verdict = TC_ERROR;
    res->reason = tc_strdupf("%s runs disagree: %s", names ? names : "", list ? list : "");
    free(names);
    free(list);
  }
  judge_evidence(res, cr, m);
}
