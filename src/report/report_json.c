/* JSON report: every number the other two show (schema: docs/REPORTS.md).
 * jansson builds and writes the document, so escaping and UTF-8 are its
 * job; no timestamps or timings, so the same seed gives the same bytes. */
#include <config.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "report_common.h"

/* Objects keep insertion order (the schema's order); reals are written
 * with 17 significant digits, enough to read back the same double. */
#define TC_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

/* A JSON string of s, or null for NULL.  jansson refuses text that is not
 * UTF-8 (catalog files may be Latin-1): each such byte becomes U+FFFD. */
static json_t *js_str(const char *s)
{
  if (s == NULL)
    return json_null();
  size_t len = strlen(s);
  char *buf = malloc(3 * len + 1);
  if (buf == NULL)
    return NULL;
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t n = tc_report_utf8_len(p);
    if (n == 0) {
      memcpy(buf + o, "\xef\xbf\xbd", 3);
      o += 3;
      p++;
    } else {
      memcpy(buf + o, p, n);
      o += n;
      p += n;
    }
  }
  json_t *v = json_stringn(buf, o);
  free(buf);
  return v;
}

/* JSON has no NaN or Inf: they become null, and the verdict says why. */
static json_t *js_num(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *js_size(size_t n)
{
  return json_integer((json_int_t)n);
}

/* Seeds are unsigned 64-bit; jansson's integers are signed.  A seed of
 * 2^63 or more is written as a decimal string so that no digit is lost. */
static json_t *js_seed(uint64_t seed)
{
  if (seed <= (uint64_t)INT64_MAX)
    return json_integer((json_int_t)seed);
  char text[24];
  snprintf(text, sizeof text, "%llu", (unsigned long long)seed);
  return json_string(text);
}

/* Add key: v to obj; a NULL v (allocation failed) sets *bad. */
static void put(json_t *obj, const char *key, json_t *v, int *bad)
{
  if (v == NULL || obj == NULL || json_object_set_new(obj, key, v) != 0)
    *bad = 1;
}

static void push(json_t *arr, json_t *v, int *bad)
{
  if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0)
    *bad = 1;
}

static json_t *point_object(const tc_point_summary *p, int *bad)
{
  json_t *o = json_object();
  put(o, "params", js_str(p->params), bad);
  put(o, "checkpoint", js_num(p->x), bad);
  put(o, "n", js_size(p->n), bad);
  put(o, "k", js_size(p->k), bad);
  put(o, "estimate", js_num(p->estimate), bad);
  put(o, "lower", js_num(p->lower), bad);
  put(o, "upper", js_num(p->upper), bad);
  put(o, "bound", js_num(p->bound), bad);
  put(o, "reference", js_num(p->reference), bad);
  put(o, "exact", json_boolean(p->exact), bad);
  put(o, "finite_sample", json_boolean(p->finite_sample), bad);
  put(o, "verdict", js_str(tc_verdict_name(p->verdict)), bad);
  if (!isnan(p->mark)) /* only claims with `mark` have the key */
    put(o, "mark", js_num(p->mark), bad);
  return o;
}

static json_t *witness_fields(const tc_witness *w, int *bad)
{
  json_t *o = json_object();
  put(o, "instance", js_size(w->index), bad);
  put(o, "seed", js_seed(w->seed), bad);
  put(o, "params", js_str(w->params), bad);
  put(o, "param_args", js_str(w->param_args), bad);
  put(o, "index", js_num(w->x), bad);
  put(o, "lhs", js_num(w->lhs), bad);
  put(o, "rhs", js_num(w->rhs), bad);
  put(o, "ratio", js_num(w->ratio), bad);
  put(o, "note", js_str(w->note), bad);
  return o;
}

static json_t *witness_object(const tc_precision_result *pr, int *bad)
{
  return pr->has_witness ? witness_fields(&pr->witness, bad) : json_null();
}

/* The shrunk counterexample (src/engine/shrink.c), beside the original. */
static json_t *shrunk_object(const tc_claim_result *c, int *bad)
{
  if (!c->has_shrunk)
    return json_null();
  json_t *o = witness_fields(&c->shrunk, bad);
  put(o, "reproduce", js_str(c->shrunk_reproduce), bad);
  put(o, "steps", js_size(c->shrink_steps), bad);
  return o;
}

static json_t *series_object(const tc_series *s, int *bad)
{
  json_t *o = json_object();
  json_t *x = json_array(), *lhs = json_array(), *rhs = json_array(), *err = json_array();
  for (size_t k = 0; k < s->n; k++) {
    push(x, js_num(s->p[k].x), bad);
    push(lhs, js_num(s->p[k].lhs), bad);
    push(rhs, js_num(s->p[k].rhs), bad);
    push(err, js_num(s->p[k].err), bad); /* the module's error estimate beside each margin */
  }
  put(o, "label", js_str(s->label), bad);
  put(o, "x", x, bad);
  put(o, "lhs", lhs, bad);
  put(o, "rhs", rhs, bad);
  put(o, "err", err, bad);
  return o;
}

static json_t *precision_object(const tc_precision_result *pr, int *bad)
{
  if (!pr->ran)
    return json_null();
  json_t *o = json_object();
  put(o, "verdict", js_str(tc_verdict_name(pr->verdict)), bad);
  put(o, "reason", js_str(pr->reason), bad);
  put(o, "instances", js_size(pr->instances), bad);
  put(o, "rows", js_size(pr->rows), bad);
  put(o, "errors", js_size(pr->errors), bad);
  put(o, "first_error", js_str(pr->first_error), bad);
  put(o, "nonfinite_rows", js_size(pr->nonfinite), bad);
  put(o, "near_rows", js_size(pr->near), bad);
  put(o, "within_error_rows", js_size(pr->within_error), bad);
  put(o, "within_error_margin", js_num(pr->within_error_margin), bad);
  put(o, "within_error_estimate", js_num(pr->within_error_err), bad);
  put(o, "reference_outside", js_size(pr->reference_outside), bad);
  put(o, "tightness", js_num(pr->tightness), bad);
  put(o, "informative_rows", js_size(pr->informative_rows), bad);
  put(o, "floor_rows", js_size(pr->floor_rows), bad);
  put(o, "trivial_rows", js_size(pr->trivial_rows), bad);
  put(o, "exact_points", js_size(pr->exact_points), bad);
  put(o, "finite_sample_points", js_size(pr->finite_sample_points), bad);
  put(o, "looks", js_size(pr->looks), bad);
  put(o, "added_instances", js_size(pr->added_instances), bad);
  put(o, "skewed_checkpoints", js_size(pr->skewed), bad);
  json_t *points = json_array();
  for (size_t i = 0; i < pr->npoints; i++)
    push(points, point_object(&pr->points[i], bad), bad);
  put(o, "points", points, bad);
  put(o, "witness", witness_object(pr, bad), bad);
  json_t *series = json_array();
  for (size_t i = 0; i < pr->nseries; i++)
    push(series, series_object(&pr->series[i], bad), bad);
  put(o, "series", series, bad);
  json_t *mutants = json_array();
  for (size_t i = 0; i < pr->nmutants; i++) {
    json_t *m = json_object();
    put(m, "mutant", js_str(pr->mutants[i].text), bad);
    put(m, "verdict", js_str(tc_verdict_name(pr->mutants[i].verdict)), bad);
    put(m, "refuted", json_boolean(pr->mutants[i].verdict == TC_FAIL), bad);
    push(mutants, m, bad);
  }
  put(o, "mutants", mutants, bad);
  put(o, "mutants_refuted", js_size(pr->mutants_refuted), bad);
  return o;
}

/* "pl-gd.thm:4": the catalog file's base name and the entry's line. */
static json_t *catalog_ref(const tc_claim *cl)
{
  const char *slash = strrchr(cl->file, '/');
  const char *base = slash ? slash + 1 : cl->file;
  size_t len = strlen(base) + 24;
  char *text = malloc(len);
  if (text == NULL)
    return NULL;
  snprintf(text, len, "%s:%d", base, cl->line);
  json_t *v = js_str(text);
  free(text);
  return v;
}

static json_t *claim_object(const tc_claim_result *c, int *bad)
{
  const tc_claim *cl = c->claim;
  json_t *o = json_object();
  put(o, "id", js_str(cl->id), bad);
  put(o, "title", js_str(cl->title), bad);
  put(o, "source", js_str(cl->source), bad);
  put(o, "statement", js_str(cl->statement), bad);
  put(o, "hypotheses", js_str(cl->hypotheses), bad);
  put(o, "corrects", js_str(cl->corrects), bad);
  put(o, "kind", js_str(tc_kind_name(cl->kind)), bad);
  put(o, "check", js_str(cl->check_name), bad);
  put(o, "lhs", js_str(cl->lhs_text), bad);
  put(o, "rhs", js_str(cl->rhs_text), bad);
  put(o, "probability", js_str(cl->probability_text), bad);
  put(o, "exponent", js_str(cl->exponent_text), bad);
  put(o, "sweep", js_str(cl->sweep_name), bad);
  put(o, "catalog", catalog_ref(cl), bad);
  put(o, "verdict", js_str(tc_verdict_name(c->verdict)), bad);
  put(o, "reason", js_str(c->reason), bad);
  put(o, "weak_evidence", json_boolean(c->weak), bad);
  put(o, "disagree", json_boolean(c->disagree), bad);
  put(o, "disagree_note", js_str(c->disagree_note), bad);
  put(o, "max_rel_diff", js_num(c->max_rel_diff), bad);
  put(o, "reproduce", js_str(c->reproduce), bad);
  put(o, "shrunk", shrunk_object(c, bad), bad);
  put(o, "shrink_runs", js_size(c->shrink_runs), bad);
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    put(o, tc_backends[b].name, precision_object(&c->prec[b], bad), bad);
  return o;
}

static json_t *run_object(const tc_run_result *r, int *bad)
{
  json_t *o = json_object();
  put(o, "thmcheck", js_str(PACKAGE_VERSION), bad);
  put(o, "schema", json_integer(1), bad);
  put(o, "seed", js_seed(r->seed), bad);
  put(o, "confidence", js_num(r->confidence), bad);
  char precision[128];
  tc_backend_set_name(precision, sizeof precision, r->precision);
  put(o, "precision", js_str(precision), bad);
  put(o, "mpfr_bits", json_integer((json_int_t)r->bits), bad);
  put(o, "instances_override", js_size(r->instances), bad);
  put(o, "exit_status", json_integer(tc_run_exit_status(r)), bad);
  json_t *claims = json_array();
  for (size_t i = 0; i < r->n; i++)
    push(claims, claim_object(&r->claims[i], bad), bad);
  put(o, "claims", claims, bad);
  return o;
}

int tc_report_json(FILE *out, const tc_run_result *r)
{
  int bad = 0;
  json_t *doc = run_object(r, &bad);
  if (bad || doc == NULL) {
    json_decref(doc);
    return TC_ENOMEM;
  }
  int status = json_dumpf(doc, out, TC_JSON_FLAGS) == 0 ? TC_SUCCESS : TC_EIO;
  json_decref(doc);
  fputc('\n', out);
  return status == TC_SUCCESS && ferror(out) ? TC_EIO : status;
}
