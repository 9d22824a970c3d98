/* Mutants: deliberately wrong variants of a claim (`mutant rhs = 0.9 *
 * rhs`), re-evaluated on the rows each instance recorded, so a run says
 * which wrong bounds it would have refuted without measuring anything
 * again.  A PASS that refutes none of them is weak evidence: the same
 * instances would have passed a false statement too. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

static int mutates_rows(const tc_mutant *m)
{
  return m->field == TC_MUTATE_LHS || m->field == TC_MUTATE_RHS;
}

int tc_engine_mutants_alloc(job_output *o, const tc_claim *cl, size_t nrows)
{
  if (cl->nmutants == 0)
    return TC_SUCCESS;
  o->mut = calloc(cl->nmutants, sizeof *o->mut);
  if (o->mut == NULL)
    return TC_ENOMEM;
  o->nmut = cl->nmutants;
  for (size_t i = 0; i < cl->nmutants; i++) {
    job_mutant *jm = &o->mut[i];
    jm->prob_bound = jm->exponent = jm->prob_lo = jm->prob_hi = NAN;
    if (!mutates_rows(&cl->mutants[i]))
      continue;
    jm->lhs = malloc(nrows * sizeof *jm->lhs);
    jm->rhs = malloc(nrows * sizeof *jm->rhs);
    jm->ratio = malloc(nrows * sizeof *jm->ratio);
    jm->diff = malloc(nrows * sizeof *jm->diff);
    jm->row_class = malloc(nrows);
    if (!jm->lhs || !jm->rhs || !jm->ratio || !jm->diff || !jm->row_class)
      return TC_ENOMEM;
  }
  return TC_SUCCESS;
}

void tc_engine_mutants_clear(job_output *o)
{
  for (size_t i = 0; o->mut && i < o->nmut; i++) {
    free(o->mut[i].lhs);
    free(o->mut[i].rhs);
    free(o->mut[i].ratio);
    free(o->mut[i].diff);
    free(o->mut[i].row_class);
  }
  free(o->mut);
  o->mut = NULL;
  o->nmut = 0;
}

/* Row r under each lhs/rhs mutant.  A mutant that cannot be evaluated on a
 * row leaves it non-finite: an unevaluable mutant is never "refuted". */
void tc_engine_mutants_row(job_output *o, size_t r, const tc_claim *cl, lookup_data *ld,
                           mpfr_srcptr lhs, mpfr_srcptr rhs, mpfr_srcptr err, long allow_exp2,
                           long res_exp2)
{
  if (o->mut == NULL)
    return;
  mpfr_t v, tmp;
  mpfr_inits2(mpfr_get_prec(lhs), v, tmp, (mpfr_ptr)0);
  ld->orig[TC_MUTATE_LHS] = lhs;
  ld->orig[TC_MUTATE_RHS] = rhs;
  for (size_t i = 0; i < cl->nmutants; i++) {
    const tc_mutant *m = &cl->mutants[i];
    job_mutant *jm = &o->mut[i];
    if (!mutates_rows(m))
      continue;
    char msg[160];
    if (tc_engine_eval(v, m->expr, ld, msg, sizeof msg) != TC_SUCCESS)
      mpfr_set_nan(v);
    mpfr_srcptr ml = m->field == TC_MUTATE_LHS ? v : lhs;
    mpfr_srcptr mr = m->field == TC_MUTATE_RHS ? v : rhs;
    jm->lhs[r] = mpfr_get_d(ml, MPFR_RNDN);
    jm->rhs[r] = mpfr_get_d(mr, tc_engine_rhs_rounding(cl->kind));
    size_t beyond = 0;
    int cls = tc_engine_classify_row(ml, mr, allow_exp2, res_exp2, err);
    jm->row_class[r] = (unsigned char)tc_engine_double_class(cls, jm->lhs[r], jm->rhs[r], cl->kind,
                                                             &beyond);
    jm->ratio[r] = jm->row_class[r] == ROW_NONFINITE ? NAN : tc_engine_row_ratio(ml, mr, tmp);
    jm->diff[r] = cl->kind == TC_KIND_EXPECTATION ? tc_engine_row_diff(ml, mr) : NAN;
  }
  ld->orig[TC_MUTATE_LHS] = ld->orig[TC_MUTATE_RHS] = NULL;
  mpfr_clears(v, tmp, (mpfr_ptr)0);
}

/* The job-level fields (required probability, stated exponent) under each
 * mutant that replaces one of them, evaluated on row 0 like the original. */
void tc_engine_mutants_job(job_output *o, const tc_claim *cl, lookup_data *ld, mpfr_prec_t bits)
{
  if (o->mut == NULL)
    return;
  mpfr_t v, orig;
  mpfr_inits2(bits, v, orig, (mpfr_ptr)0);
  ld->row = 0;
  for (size_t i = 0; i < cl->nmutants; i++) {
    const tc_mutant *m = &cl->mutants[i];
    if (mutates_rows(m))
      continue;
    double original = m->field == TC_MUTATE_PROBABILITY ? o->prob_bound : o->exponent;
    mpfr_set_d(orig, original, MPFR_RNDN);
    ld->orig[m->field] = orig;
    char msg[160];
    double value = NAN, lo = NAN, hi = NAN;
    if (tc_engine_eval(v, m->expr, ld, msg, sizeof msg) == TC_SUCCESS) {
      value = mpfr_get_d(v, MPFR_RNDN);
      lo = mpfr_get_d(v, MPFR_RNDD);
      hi = mpfr_get_d(v, MPFR_RNDU);
    }
    if (m->field == TC_MUTATE_PROBABILITY) {
      o->mut[i].prob_bound = value;
      o->mut[i].prob_lo = lo;
      o->mut[i].prob_hi = hi;
    } else {
      o->mut[i].exponent = value;
    }
    ld->orig[m->field] = NULL;
  }
  mpfr_clears(v, orig, (mpfr_ptr)0);
}

/* The module's exact value is P(lhs <= rhs) for a probability claim and
 * E[lhs] for an expectation claim: a mutant that changes what it is the
 * value of must be decided by sampling. */
static int exact_applies(const tc_claim *cl, const tc_mutant *m)
{
  if (cl->kind == TC_KIND_PROBABILITY)
    return !mutates_rows(m);
  return m->field != TC_MUTATE_LHS;
}

/* The outputs as mutant i sees them: shallow copies with its arrays. */
static job_output *mutant_view(const claim_run *cr, const job_output *out, size_t i)
{
  job_output *view = malloc((cr->njobs ? cr->njobs : 1) * sizeof *view);
  if (view == NULL)
    return NULL;
  for (size_t j = 0; j < cr->njobs; j++) {
    view[j] = out[j];
    view[j].mut = NULL;
    view[j].nmut = 0;
    const job_mutant *jm = out[j].mut ? &out[j].mut[i] : NULL;
    if (jm == NULL || out[j].status != TC_SUCCESS)
      continue;
    if (!exact_applies(cr->claim, &cr->claim->mutants[i]))
      view[j].ref = NULL;
    if (jm->lhs) {
      view[j].lhs = jm->lhs;
      view[j].rhs = jm->rhs;
      view[j].ratio = jm->ratio;
      view[j].diff = jm->diff;
      view[j].row_class = jm->row_class;
    } else if (cr->claim->mutants[i].field == TC_MUTATE_PROBABILITY) {
      view[j].prob_bound = jm->prob_bound;
      view[j].prob_lo = jm->prob_lo;
      view[j].prob_hi = jm->prob_hi;
    } else {
      view[j].exponent = jm->exponent;
    }
  }
  return view;
}

/* Decide every mutant on the recorded rows with the claim's own
 * statistics; a mutant is refuted when that decision is FAIL. */
void tc_engine_mutants_aggregate(tc_precision_result *pr, const claim_run *cr, const job_output *out)
{
  const tc_claim *cl = cr->claim;
  if (cl->nmutants == 0 || cr->opt->only_instance >= 0)
    return;
  pr->mutants = calloc(cl->nmutants, sizeof *pr->mutants);
  if (pr->mutants == NULL)
    return;
  pr->nmutants = cl->nmutants;
  for (size_t i = 0; i < cl->nmutants; i++) {
    pr->mutants[i].text = cl->mutants[i].text;
    pr->mutants[i].verdict = TC_ERROR;
    job_output *view = mutant_view(cr, out, i);
    if (view == NULL)
      continue;
    tc_precision_result scratch;
    tc_engine_aggregate_outputs(&scratch, cr, view);
    pr->mutants[i].verdict = scratch.verdict;
    pr->mutants_refuted += scratch.verdict == TC_FAIL;
    tc_engine_precision_result_clear(&scratch);
    free(view);
  }
}
