/* Run one instance in one backend and evaluate the catalog's
 * expressions on its rows (always in MPFR, at the run's precision). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

char *tc_strdupf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  return n < 0 ? strdup("") : s;
}

char *tc_engine_point_label(const tc_point *p, int as_args)
{
  size_t len = 1;
  for (size_t i = 0; i < p->n; i++)
    len += strlen(p->v[i].name) + strlen(p->v[i].text) + 12;
  char *s = malloc(len);
  if (s == NULL)
    return strdup("");
  s[0] = '\0';
  for (size_t i = 0; i < p->n; i++) {
    if (as_args)
      sprintf(s + strlen(s), "%s--param %s=%s", i ? " " : "", p->v[i].name, p->v[i].text);
    else
      sprintf(s + strlen(s), "%s%s=%s", i ? ", " : "", p->v[i].name, p->v[i].text);
  }
  return s;
}

/* A mutant's own field name first (its original value on this row), then
 * row values, then the instance's parameters, then spec defaults. */
int tc_engine_lookup(mpfr_ptr value, const char *name, void *data)
{
  const lookup_data *ld = data;
  static const char *const fields[] = {"lhs", "rhs", "probability", "exponent"};
  for (int f = 0; f < 4; f++)
    if (ld->orig[f] && strcmp(name, fields[f]) == 0) {
      mpfr_set(value, ld->orig[f], MPFR_RNDN);
      return 0;
    }
  if (ld->rec && ld->row < tc_record_rows(ld->rec) &&
      tc_record_get(value, ld->rec, ld->row, name) == TC_SUCCESS)
    return 0;
  double v;
  if (tc_point_get(&v, ld->point, name) == TC_SUCCESS) {
    mpfr_set_d(value, v, MPFR_RNDN);
    return 0;
  }
  const tc_param_spec *spec = ld->check && !tc_point_text(ld->point, name)
                                  ? tc_check_param(ld->check, name) : NULL;
  if (spec && spec->def && spec->type != TC_PARAM_SYMBOL) {
    mpfr_set_d(value, strtod(spec->def, NULL), MPFR_RNDN);
    return 0;
  }
  return 1;
}

void tc_engine_job_output_clear(job_output *o)
{
  free(o->error);
  free(o->note);
  free(o->x);
  free(o->lhs);
  free(o->rhs);
  free(o->ref);
  free(o->ratio);
  free(o->err);
  free(o->row_class);
  free(o->tight);
  free(o->diff);
  tc_engine_mutants_clear(o);
  memset(o, 0, sizeof *o);
}

/* tc_expr_eval, refusing a value that underflowed on the way: the widened
 * range (below) makes overflow an Inf, which never passes, but an
 * underflow is a silent 0, and exp(-exp(100)) <= exp(-exp(101)) would then
 * "hold" as 0 <= 0.  No honest bound leaves MPFR's range (2^-(2^62)), so
 * such a row is an error, not a comparison.  MPFR's flags are per thread
 * like its exponent range. */
int tc_engine_eval(mpfr_ptr value, const tc_expr *e, lookup_data *ld, char *msg, size_t msglen)
{
  mpfr_clear_underflow();
  int status = tc_expr_eval(value, e, tc_engine_lookup, ld, msg, msglen);
  if (status == TC_SUCCESS && mpfr_underflow_p()) {
    snprintf(msg, msglen, "a value underflowed MPFR's exponent range (below 2^%ld) and was "
             "rounded to 0", (long)mpfr_get_emin());
    status = TC_ENONFINITE;
  }
  mpfr_clear_underflow();
  return status;
}

static int eval_or_error(double *out, mpfr_ptr tmp, const tc_expr *e, lookup_data *ld,
                         const char *what, job_output *o)
{
  char msg[160];
  int status = tc_engine_eval(tmp, e, ld, msg, sizeof msg);
  if (status != TC_SUCCESS) {
    if (o->error == NULL)
      o->error = tc_strdupf("%s: %s (row %zu)", what, msg, ld->row);
    return status;
  }
  *out = mpfr_get_d(tmp, MPFR_RNDN);
  return TC_SUCCESS;
}

/* The bound is compared with MPFR's whole exponent range: exp(1000) or
 * 1e400 are ordinary finite numbers there, so a violation that overflows
 * double is still a violation and never "equal within rounding".  The
 * range is per thread (MPFR built with TLS, checked by tengine), set for
 * each job on the thread that runs it, and given back afterwards, so a
 * job's result cannot depend on what its thread ran before. */
typedef struct {
  mpfr_exp_t emin, emax;
} exponent_range;

static exponent_range widen_exponent_range(void)
{
  exponent_range saved = {mpfr_get_emin(), mpfr_get_emax()};
  mpfr_set_emax(mpfr_get_emax_max());
  mpfr_set_emin(mpfr_get_emin_min());
  return saved;
}

static void restore_exponent_range(exponent_range saved)
{
  mpfr_set_emin(saved.emin);
  mpfr_set_emax(saved.emax);
}

/* Classify one row entirely in MPFR.  `allow_exp2` is the backend's
 * relative rounding allowance 2^allow_exp2; `err` the module's absolute
 * estimate.  A finite violation within allowance * max(|lhs|, |rhs|) is
 * NEAR (rounding: the row holds); one beyond that but within err is
 * WITHIN_ERROR (the data cannot decide it); anything larger is VIOLATED.
 * Exception: when both |lhs| and |rhs| are within err the row sits at the
 * module's noise floor (say an iterate converged to rounding level against
 * a bound that underflowed to 0): it says nothing about the bound, is left
 * out of tightness like any floor row, and stays NEAR, so a converged run
 * does not make a claim undecidable forever.  Likewise when err itself is
 * below the resolution 2^res_exp2 * max(|lhs|, |rhs|) (the backend's
 * allowance at three quarters of its precision: 2^-80 at 128 bits), err
 * estimates accumulated rounding, not truncation, and a violation inside
 * it is rounding of a bound attained with equality: NEAR. */
int tc_engine_classify_row(mpfr_srcptr lhs, mpfr_srcptr rhs, long allow_exp2, long res_exp2, mpfr_srcptr err)
{
  if (!mpfr_number_p(lhs) || !mpfr_number_p(rhs))
    return ROW_NONFINITE;
  mpfr_prec_t p = mpfr_get_prec(lhs) > mpfr_get_prec(rhs) ? mpfr_get_prec(lhs) : mpfr_get_prec(rhs);
  mpfr_t margin, slack, t;
  mpfr_inits2(p + 2, margin, slack, t, (mpfr_ptr)0);
  mpfr_sub(margin, lhs, rhs, MPFR_RNDU); /* the violation, rounded up */
  int cls = ROW_HOLDS;
  if (mpfr_sgn(margin) > 0) {
    mpfr_abs(slack, lhs, MPFR_RNDD);
    mpfr_abs(t, rhs, MPFR_RNDD);
    mpfr_max(slack, slack, t, MPFR_RNDD); /* max(|lhs|, |rhs|) */
    int at_floor = mpfr_cmp(slack, err) <= 0;
    mpfr_mul_2si(t, slack, res_exp2, MPFR_RNDD);
    int at_resolution = mpfr_cmp(t, err) >= 0; /* err itself is rounding-sized */
    mpfr_mul_2si(slack, slack, allow_exp2, MPFR_RNDD);
    cls = mpfr_cmp(margin, slack) <= 0     ? ROW_NEAR
          : mpfr_cmp(margin, err) > 0      ? ROW_VIOLATED
          : at_floor || at_resolution      ? ROW_NEAR
                                           : ROW_WITHIN_ERROR;
  }
  mpfr_clears(margin, slack, t, (mpfr_ptr)0);
  return cls;
}

/* lhs / rhs in MPFR, then rounded to double (may round to +-Inf when the
 * quotient is beyond double's range, which only ranks witnesses). */
double tc_engine_row_ratio(mpfr_srcptr lhs, mpfr_srcptr rhs, mpfr_ptr tmp)
{
  if (mpfr_sgn(rhs) > 0) {
    mpfr_div(tmp, lhs, rhs, MPFR_RNDN);
    return mpfr_get_d(tmp, MPFR_RNDN);
  }
  return mpfr_sgn(lhs) > 0 ? INFINITY : (mpfr_zero_p(lhs) ? 1.0 : NAN);
}

/* Evaluate lhs, rhs, reference and error on row r and classify it. */
static int evaluate_row(job_output *o, size_t r, const tc_claim *cl, lookup_data *ld,
                        mpfr_ptr lhs, mpfr_ptr rhs, mpfr_ptr err, mpfr_ptr tmp, long allow_exp2,
                        long res_exp2)
{
  ld->row = r;
  o->x[r] = (double)r;
  o->ref[r] = NAN;
  o->err[r] = 0;
  char emsg[160];
  int status;
  if ((status = tc_engine_eval(lhs, cl->lhs, ld, emsg, sizeof emsg)) != TC_SUCCESS) {
    o->error = tc_strdupf("lhs: %s (row %zu)", emsg, r);
    return status;
  }
  if (cl->kind == TC_KIND_RATE) {
    mpfr_set_zero(rhs, 1);
  } else if ((status = tc_engine_eval(rhs, cl->rhs, ld, emsg, sizeof emsg)) != TC_SUCCESS) {
    o->error = tc_strdupf("rhs: %s (row %zu)", emsg, r);
    return status;
  }
  o->lhs[r] = mpfr_get_d(lhs, MPFR_RNDN);
  o->rhs[r] = mpfr_get_d(rhs, tc_engine_rhs_rounding(cl->kind));
  if (cl->index_name && tc_engine_lookup(tmp, cl->index_name, ld) == 0)
    o->x[r] = mpfr_get_d(tmp, MPFR_RNDN);
  if (cl->reference &&
      (status = eval_or_error(&o->ref[r], tmp, cl->reference, ld, "reference", o)))
    return status;
  /* The estimate stays in MPFR for the classification: an estimate below
   * double's range (a gap at the rounding floor of a 128-bit run) would
   * round to 0 and turn a row at its floor into a violation. */
  mpfr_set_zero(err, 1);
  if (cl->error && (status = eval_or_error(&o->err[r], err, cl->error, ld, "error", o)))
    return status;
  if (r == 0 && cl->mark && (status = eval_or_error(&o->mark, tmp, cl->mark, ld, "mark", o)))
    return status;
  if (!(mpfr_sgn(err) >= 0 && mpfr_number_p(err)))
    mpfr_set_zero(err, 1); /* a useless estimate grants nothing */
  o->err[r] = mpfr_get_d(err, MPFR_RNDU);
  int cls = tc_engine_classify_row(lhs, rhs, allow_exp2, res_exp2, err);
  o->row_class[r] = (unsigned char)tc_engine_double_class(cls, o->lhs[r], o->rhs[r], cl->kind,
                                                          &o->beyond_double);
  o->ratio[r] = o->row_class[r] == ROW_NONFINITE ? NAN : tc_engine_row_ratio(lhs, rhs, tmp);
  o->diff[r] = cl->kind == TC_KIND_EXPECTATION ? tc_engine_row_diff(lhs, rhs) : NAN;
  if (cl->baseline &&
      (status = tc_expr_eval(tmp, cl->baseline, tc_engine_lookup, ld, emsg, sizeof emsg)) != TC_SUCCESS) {
    o->error = tc_strdupf("baseline: %s (row %zu)", emsg, r);
    return status;
  }
  int why;
  o->tight[r] = tc_engine_row_tightness(&why, o->row_class[r], lhs, rhs, cl->baseline ? tmp : NULL,
                                        err);
  o->floor_rows += why == TIGHT_FLOOR;
  o->trivial_rows += why == TIGHT_TRIVIAL;
  return TC_SUCCESS;
}

/* An expectation claim's bound, when the same for every instance, is
 * compared in double with a finite-sample interval that is clipped to the
 * range of lhs: E[event] <= 1 - 2^-60 with every event 1 gave hi = 1 <=
 * the bound rounded to 1, a false PASS.  Rounded down, the bound makes
 * both decisions sound: hi <= rhs_d <= rhs, and lo > rhs_d (the largest
 * double <= rhs) implies lo > rhs. */
mpfr_rnd_t tc_engine_rhs_rounding(tc_kind kind)
{
  return kind == TC_KIND_EXPECTATION ? MPFR_RNDD : MPFR_RNDN;
}

/* Expectation statistics average lhs - rhs in double.  The difference of
 * the sides rounded to double can be 0 where the MPFR difference is not
 * (1 + 2^-60 against 1; 1e-330 against 0), and a constant sample of zeros
 * has a zero-width interval: a false bound passed.  So the difference is
 * taken in MPFR and rounded away from 0, which keeps its sign whatever
 * its size; a difference beyond double's range becomes +-Inf, which no
 * interval accepts. */
double tc_engine_row_diff(mpfr_srcptr lhs, mpfr_srcptr rhs)
{
  mpfr_prec_t p = mpfr_get_prec(lhs) > mpfr_get_prec(rhs) ? mpfr_get_prec(lhs) : mpfr_get_prec(rhs);
  mpfr_t d;
  mpfr_init2(d, p + 1);
  mpfr_sub(d, lhs, rhs, MPFR_RNDA);
  double v = mpfr_get_d(d, MPFR_RNDA);
  mpfr_clear(d);
  return v;
}

/* Expectation and rate statistics are computed in double: a value beyond
 * double's range cannot enter them, so such a row has no usable value
 * (ERROR, never PASS).  Deterministic and probability rows keep their MPFR
 * class: a finite violation still decides FAIL.  Counts such rows. */
int tc_engine_double_class(int cls, double lhs, double rhs, tc_kind kind, size_t *beyond)
{
  if (cls == ROW_NONFINITE || (isfinite(lhs) && isfinite(rhs)))
    return cls;
  ++*beyond;
  return kind == TC_KIND_EXPECTATION || kind == TC_KIND_RATE ? ROW_NONFINITE : cls;
}

/* The module's rows for job j: its tape drawn from the job's seed (by
 * the module's draw step, or lazily by measure), then measure. */
static int measure_job(tc_record *rec, const claim_run *cr, const job *j, int backend,
                       const prepared_point *pp, char *msg, size_t msglen)
{
  const tc_check *c = cr->claim->check;
  if (pp && pp->status != TC_SUCCESS) {
    snprintf(msg, msglen, "%s", pp->error ? pp->error : "prepare failed");
    return pp->status;
  }
  tc_instance inst = {cr->claim, &j->point, j->index, j->seed, cr->opt->bits,
                      pp ? pp->data : NULL, tc_tape_alloc(j->seed)};
  if (inst.tape == NULL)
    return TC_ENOMEM;
  int status = c->draw ? c->draw(inst.tape, &inst, msg, msglen) : TC_SUCCESS;
  if (status == TC_SUCCESS && c->measure[backend] == NULL) {
    /* a backend the module does not implement (yet): its runs are ERROR */
    status = TC_ENOTFOUND;
    snprintf(msg, msglen, "module %s has no measure_%s", c->name, tc_backends[backend].suffix);
  } else if (status == TC_SUCCESS) {
    status = c->measure[backend](rec, &inst, msg, msglen);
  }
  if (status == TC_SUCCESS && tc_tape_status(inst.tape) != TC_SUCCESS) {
    status = tc_tape_status(inst.tape);
    snprintf(msg, msglen, "a read of the instance's tape failed");
  }
  tc_tape_free(inst.tape);
  return status;
}

static int run_job_widened(job_output *o, const claim_run *cr, const job *j, int backend,
                           const prepared_point *pp);

/* The job-level fields, read on row 0: the required probability (also
 * rounded down and up, see aggregate_probability.c), the stated exponent,
 * the mutants of either, and the sweep value. */
static int evaluate_job_fields(job_output *o, const tc_claim *cl, lookup_data *ld, mpfr_ptr tmp,
                               mpfr_prec_t bits)
{
  int status = TC_SUCCESS;
  ld->row = 0;
  if (cl->probability) {
    status = eval_or_error(&o->prob_bound, tmp, cl->probability, ld, "probability", o);
    if (status == TC_SUCCESS) {
      o->prob_lo = mpfr_get_d(tmp, MPFR_RNDD);
      o->prob_hi = mpfr_get_d(tmp, MPFR_RNDU);
    }
  }
  if (status == TC_SUCCESS && cl->exponent)
    status = eval_or_error(&o->exponent, tmp, cl->exponent, ld, "exponent", o);
  if (status == TC_SUCCESS)
    tc_engine_mutants_job(o, cl, ld, bits);
  if (status == TC_SUCCESS && cl->sweep_name) {
    ld->row = 0;
    if (tc_engine_lookup(tmp, cl->sweep_name, ld) == 0)
      o->sweep = mpfr_get_d(tmp, MPFR_RNDN);
  }
  return status;
}

/* MPFR's exponent range is per thread (built with TLS): widened for the
 * job's comparisons and restored after, whatever thread runs it. */
int tc_engine_run_job(job_output *o, const claim_run *cr, const job *j, int backend,
                      const prepared_point *pp)
{
  exponent_range saved = widen_exponent_range();
  int status = run_job_widened(o, cr, j, backend, pp);
  restore_exponent_range(saved);
  return status;
}

static int run_job_widened(job_output *o, const claim_run *cr, const job *j, int backend,
                           const prepared_point *pp)
{
  const tc_claim *cl = cr->claim;
  mpfr_prec_t bits = cr->opt->bits;
  memset(o, 0, sizeof *o);
  o->prob_bound = o->prob_lo = o->prob_hi = NAN;
  o->exponent = NAN;
  o->sweep = NAN;

  tc_record *rec = tc_record_alloc(tc_backends[backend].record_bits(bits));
  if (rec == NULL) {
    o->status = TC_ENOMEM;
    o->error = strdup("out of memory");
    return o->status;
  }
  char msg[256] = "";
  o->status = measure_job(rec, cr, j, backend, pp, msg, sizeof msg);
  if (tc_record_get_note(rec))
    o->note = strdup(tc_record_get_note(rec));
  if (o->status != TC_SUCCESS) {
    o->error = tc_strdupf("%s: %s", tc_strerror(o->status), msg[0] ? msg : "check module failed");
    tc_record_free(rec);
    return o->status;
  }
  size_t n = tc_record_rows(rec);
  if (n == 0) {
    o->status = TC_EFAILED;
    o->error = strdup("check module produced no rows");
    tc_record_free(rec);
    return o->status;
  }
  o->nrows = n;
  o->mark = NAN;
  o->x = malloc(n * sizeof *o->x);
  o->lhs = malloc(n * sizeof *o->lhs);
  o->rhs = malloc(n * sizeof *o->rhs);
  o->ref = malloc(n * sizeof *o->ref);
  o->ratio = malloc(n * sizeof *o->ratio);
  o->err = malloc(n * sizeof *o->err);
  o->row_class = malloc(n);
  o->tight = malloc(n * sizeof *o->tight);
  o->diff = malloc(n * sizeof *o->diff);
  if (!o->x || !o->lhs || !o->rhs || !o->ref || !o->ratio || !o->err || !o->row_class || !o->tight ||
      !o->diff ||
      tc_engine_mutants_alloc(o, cl, n) != TC_SUCCESS) {
    o->status = TC_ENOMEM;
    tc_record_free(rec);
    return o->status;
  }

  mpfr_t lhs, rhs, err, tmp;
  mpfr_inits2(bits, lhs, rhs, err, tmp, (mpfr_ptr)0);
  lookup_data ld = {rec, 0, &j->point, {NULL, NULL, NULL, NULL}, cl->check};
  long allow_exp2 = tc_backends[backend].allowance_exp2(bits);
  long res_exp2 = tc_backends[backend].allowance_exp2(bits - bits / 4);
  int status = TC_SUCCESS;
  for (size_t r = 0; r < n && status == TC_SUCCESS; r++) {
    status = evaluate_row(o, r, cl, &ld, lhs, rhs, err, tmp, allow_exp2, res_exp2);
    if (status == TC_SUCCESS)
      tc_engine_mutants_row(o, r, cl, &ld, lhs, rhs, err, allow_exp2, res_exp2);
  }
  if (status == TC_SUCCESS)
    status = evaluate_job_fields(o, cl, &ld, tmp, bits);
  mpfr_clears(lhs, rhs, err, tmp, (mpfr_ptr)0);
  tc_record_free(rec);
  o->status = status;
  return status;
}
