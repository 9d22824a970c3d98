/* Sharded audits: a shard's partial result, written and read back with
 * jansson, and the merge of the partials of one run into the run result a
 * one-process audit would have made (docs/SHARDS.md).
 *
 * A partial holds every field of its claims' tc_claim_result that a
 * reporter reads, losslessly: doubles as C99 hex-float strings ("%a",
 * NaN and Inf included), 64-bit seeds as decimal strings, text as JSON
 * strings (bytes that are not UTF-8 as {"hex": ...}), a mutant by its
 * index in the claim.  The field tables below list them once for writing
 * and reading: a field added to these result structs that a reporter
 * reads needs its FIELD line here (tests/tpartial.c compares the merged
 * reports with the one-run reports and catches an omission). */
#include <config.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>
#include <jansson.h>
#include "engine/engine_impl.h"
#include "report_common.h"

#define PARTIAL_FORMAT 1
#define JSON_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER)

/* ---- values ------------------------------------------------------- */

static int valid_utf8(const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t n = tc_report_utf8_len(p);
    if (n == 0)
      return 0;
    p += n;
  }
  return 1;
}

static json_t *str_value(const char *s)
{
  if (s == NULL)
    return json_null();
  if (valid_utf8(s))
    return json_string(s);
  size_t len = strlen(s);
  char *hex = malloc(2 * len + 1);
  if (hex == NULL)
    return NULL;
  for (size_t i = 0; i < len; i++)
    snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
  json_t *v = json_pack("{s:s}", "hex", hex);
  free(hex);
  return v;
}

/* *out: a malloc'd copy (NULL for null).  0 on success. */
static int str_read(char **out, const json_t *v)
{
  *out = NULL;
  if (json_is_null(v))
    return 0;
  if (json_is_string(v))
    return (*out = strdup(json_string_value(v))) == NULL;
  const json_t *h = json_object_get(v, "hex");
  const char *hex = json_string_value(h);
  size_t len = hex ? strlen(hex) : 1;
  if (hex == NULL || len % 2 || (*out = malloc(len / 2 + 1)) == NULL)
    return 1;
  for (size_t i = 0; i < len / 2; i++) {
    unsigned byte;
    /* two hex digits, never a NUL byte (it would cut the text short) */
    if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]) ||
        sscanf(hex + 2 * i, "%2x", &byte) != 1 || byte == 0) {
      free(*out);
      *out = NULL;
      return 1;
    }
    (*out)[i] = (char)byte;
  }
  (*out)[len / 2] = '\0';
  return 0;
}

static json_t *real_value(double v)
{
  char text[48];
  snprintf(text, sizeof text, "%a", v);
  return json_string(text);
}

static int real_read(double *out, const json_t *v)
{
  const char *s = json_string_value(v);
  char *end;
  if (s == NULL)
    return 1;
  *out = strtod(s, &end);
  return *end != '\0' || end == s;
}

static json_t *u64_value(uint64_t v)
{
  char text[24];
  snprintf(text, sizeof text, "%" PRIu64, v);
  return json_string(text);
}

static int u64_read(uint64_t *out, const json_t *v)
{
  const char *s = json_string_value(v);
  char *end;
  if (s == NULL || *s < '0' || *s > '9')
    return 1;
  errno = 0;
  *out = strtoull(s, &end, 10);
  return *end != '\0' || errno != 0;
}

/* ---- field tables --------------------------------------------------- */

typedef enum { F_SIZE, F_INT, F_BOOL, F_REAL, F_STR, F_VERDICT, F_U64 } field_type;
typedef struct {
  const char *key;
  field_type type;
  size_t off;
} field;
#define FIELD(T, m, t) {#m, t, offsetof(T, m)}

static const field witness_fields[] = {
  FIELD(tc_witness, index, F_SIZE), FIELD(tc_witness, seed, F_U64),
  FIELD(tc_witness, params, F_STR), FIELD(tc_witness, param_args, F_STR),
  FIELD(tc_witness, x, F_REAL), FIELD(tc_witness, lhs, F_REAL), FIELD(tc_witness, rhs, F_REAL),
  FIELD(tc_witness, ratio, F_REAL), FIELD(tc_witness, note, F_STR), {NULL, 0, 0}};

static const field point_fields[] = {
  FIELD(tc_point_summary, params, F_STR), FIELD(tc_point_summary, x, F_REAL),
  FIELD(tc_point_summary, n, F_SIZE), FIELD(tc_point_summary, k, F_SIZE),
  FIELD(tc_point_summary, estimate, F_REAL), FIELD(tc_point_summary, lower, F_REAL),
  FIELD(tc_point_summary, upper, F_REAL), FIELD(tc_point_summary, bound, F_REAL),
  FIELD(tc_point_summary, reference, F_REAL), FIELD(tc_point_summary, exact, F_BOOL),
  FIELD(tc_point_summary, finite_sample, F_BOOL), FIELD(tc_point_summary, verdict, F_VERDICT),
  FIELD(tc_point_summary, mark, F_REAL), {NULL, 0, 0}};

static const field precision_fields[] = {
  FIELD(tc_precision_result, ran, F_BOOL), FIELD(tc_precision_result, verdict, F_VERDICT),
  FIELD(tc_precision_result, reason, F_STR), FIELD(tc_precision_result, instances, F_SIZE),
  FIELD(tc_precision_result, rows, F_SIZE), FIELD(tc_precision_result, errors, F_SIZE),
  FIELD(tc_precision_result, nonfinite, F_SIZE), FIELD(tc_precision_result, near, F_SIZE),
  FIELD(tc_precision_result, reference_outside, F_SIZE),
  FIELD(tc_precision_result, exact_points, F_SIZE),
  FIELD(tc_precision_result, finite_sample_points, F_SIZE),
  FIELD(tc_precision_result, looks, F_SIZE), FIELD(tc_precision_result, added_instances, F_SIZE),
  FIELD(tc_precision_result, informative_rows, F_SIZE),
  FIELD(tc_precision_result, floor_rows, F_SIZE), FIELD(tc_precision_result, trivial_rows, F_SIZE),
  FIELD(tc_precision_result, skewed, F_SIZE), FIELD(tc_precision_result, beyond_double, F_SIZE),
  FIELD(tc_precision_result, mutants_refuted, F_SIZE),
  FIELD(tc_precision_result, within_error, F_SIZE),
  FIELD(tc_precision_result, within_error_margin, F_REAL),
  FIELD(tc_precision_result, within_error_err, F_REAL),
  FIELD(tc_precision_result, tightness, F_REAL), FIELD(tc_precision_result, has_witness, F_BOOL),
  FIELD(tc_precision_result, first_error, F_STR), {NULL, 0, 0}};

static const field claim_fields[] = {
  FIELD(tc_claim_result, verdict, F_VERDICT), FIELD(tc_claim_result, reason, F_STR),
  FIELD(tc_claim_result, disagree, F_BOOL), FIELD(tc_claim_result, max_rel_diff, F_REAL),
  FIELD(tc_claim_result, disagree_note, F_STR), FIELD(tc_claim_result, reproduce, F_STR),
  FIELD(tc_claim_result, weak, F_BOOL), FIELD(tc_claim_result, has_shrunk, F_BOOL),
  FIELD(tc_claim_result, shrunk_reproduce, F_STR), FIELD(tc_claim_result, shrink_runs, F_SIZE),
  FIELD(tc_claim_result, shrink_steps, F_SIZE), {NULL, 0, 0}};

static json_t *fields_value(const void *base, const field *f)
{
  json_t *o = json_object();
  for (; o && f->key; f++) {
    const char *p = (const char *)base + f->off;
    json_t *v = NULL;
    switch (f->type) {
    case F_SIZE: v = json_integer((json_int_t) * (const size_t *)p); break;
    case F_INT:
    case F_BOOL: v = json_integer(*(const int *)p); break;
    case F_VERDICT: v = json_integer((json_int_t) * (const tc_verdict *)p); break;
    case F_REAL: v = real_value(*(const double *)p); break;
    case F_STR: v = str_value(*(char *const *)p); break;
    case F_U64: v = u64_value(*(const uint64_t *)p); break;
    }
    if (v == NULL || json_object_set_new(o, f->key, v) != 0) {
      json_decref(o);
      return NULL;
    }
  }
  return o;
}

/* Fill base's fields from o; 1 (and the key in *bad) on a missing or
 * malformed one.  Strings read are owned by base. */
static int fields_read(void *base, const field *f, const json_t *o, const char **bad)
{
  for (; f->key; f++) {
    char *p = (char *)base + f->off;
    const json_t *v = json_object_get(o, f->key);
    json_int_t i = json_integer_value(v);
    int wrong = v == NULL;
    if (!wrong) {
      switch (f->type) {
      case F_SIZE: wrong = !json_is_integer(v) || i < 0; *(size_t *)p = (size_t)i; break;
      case F_INT: wrong = !json_is_integer(v) || i < INT_MIN || i > INT_MAX; *(int *)p = (int)i; break;
      case F_BOOL: wrong = !json_is_integer(v) || (i != 0 && i != 1); *(int *)p = (int)i; break;
      case F_VERDICT:
        wrong = !json_is_integer(v) || i < TC_PASS || i > TC_ERROR;
        *(tc_verdict *)p = (tc_verdict)i;
        break;
      case F_REAL: wrong = real_read((double *)p, v); break;
      case F_STR: wrong = str_read((char **)p, v); break;
      case F_U64: wrong = u64_read((uint64_t *)p, v); break;
      }
    }
    if (wrong) {
      *bad = f->key;
      return 1;
    }
  }
  return 0;
}

/* ---- one claim ------------------------------------------------------ */

static int set(json_t *o, const char *key, json_t *v)
{
  return v == NULL || json_object_set_new(o, key, v) != 0;
}

/* A series point is doubles only (x, lhs, rhs, ...): written as the array
 * of all of them, so a double field added to tc_series_point travels
 * without a change here. */
#define POINT_REALS (sizeof(tc_series_point) / sizeof(double))
_Static_assert(sizeof(tc_series_point) % sizeof(double) == 0 && POINT_REALS >= 3,
               "tc_series_point holds doubles only");

static json_t *point_reals(const tc_series_point *sp)
{
  double v[POINT_REALS];
  memcpy(v, sp, sizeof v);
  json_t *a = json_array();
  for (size_t j = 0; a && j < POINT_REALS; j++)
    if (json_array_append_new(a, real_value(v[j])) != 0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *series_value(const tc_series *s)
{
  json_t *o = json_object(), *pts = json_array();
  int bad = o == NULL || pts == NULL || set(o, "label", str_value(s->label));
  for (size_t i = 0; !bad && i < s->n; i++)
    bad = json_array_append_new(pts, point_reals(&s->p[i])) != 0;
  if (bad || set(o, "points", pts)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The mutant's index in the claim (its text is the claim's). */
static json_t *mutants_value(const tc_precision_result *pr, const tc_claim *cl)
{
  json_t *a = json_array();
  for (size_t i = 0; a && i < pr->nmutants; i++) {
    size_t idx = SIZE_MAX;
    for (size_t j = 0; j < cl->nmutants; j++)
      if (pr->mutants[i].text == cl->mutants[j].text)
        idx = j;
    json_t *m = json_pack("{s:o,s:i}", "mutant", idx == SIZE_MAX ? json_null() : json_integer((json_int_t)idx),
                          "verdict", (int)pr->mutants[i].verdict);
    if (json_array_append_new(a, m) != 0) {
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static json_t *precision_value(const tc_precision_result *pr, const tc_claim *cl)
{
  json_t *o = fields_value(pr, precision_fields), *pts = json_array(), *ser = json_array();
  int bad = o == NULL || pts == NULL || ser == NULL;
  for (size_t i = 0; !bad && i < pr->npoints; i++)
    bad = json_array_append_new(pts, fields_value(&pr->points[i], point_fields)) != 0;
  for (size_t i = 0; !bad && i < pr->nseries; i++)
    bad = json_array_append_new(ser, series_value(&pr->series[i])) != 0;
  bad = bad || set(o, "points", pts) || set(o, "series", ser);
  pts = ser = NULL;
  bad = bad || set(o, "witness", fields_value(&pr->witness, witness_fields)) ||
        set(o, "mutants", mutants_value(pr, cl));
  if (bad) {
    json_decref(o);
    json_decref(pts);
    json_decref(ser);
    return NULL;
  }
  return o;
}

static json_t *claim_value(const tc_claim_result *c)
{
  json_t *o = fields_value(c, claim_fields), *prec = json_object();
  int bad = o == NULL || prec == NULL || set(o, "id", str_value(c->claim->id)) ||
            set(o, "shrunk", fields_value(&c->shrunk, witness_fields));
  for (int b = 0; !bad && b < TC_BACKEND_COUNT; b++)
    bad = set(prec, tc_backends[b].name, precision_value(&c->prec[b], c->claim));
  if (bad || set(o, "backends", prec)) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static int series_read(tc_series *s, const json_t *o)
{
  const json_t *pts = json_object_get(o, "points");
  if (str_read(&s->label, json_object_get(o, "label")) || !json_is_array(pts))
    return 1;
  s->p = malloc((json_array_size(pts) ? json_array_size(pts) : 1) * sizeof *s->p);
  if (s->p == NULL)
    return 1;
  for (s->n = 0; s->n < json_array_size(pts); s->n++) {
    const json_t *t = json_array_get(pts, s->n);
    double v[POINT_REALS];
    if (json_array_size(t) != POINT_REALS)
      return 1;
    for (size_t j = 0; j < POINT_REALS; j++)
      if (real_read(&v[j], json_array_get(t, j)))
        return 1;
    memcpy(&s->p[s->n], v, sizeof v);
  }
  return 0;
}

static int mutants_read(tc_precision_result *pr, const json_t *a, const tc_claim *cl)
{
  if (!json_is_array(a))
    return 1;
  pr->nmutants = json_array_size(a);
  pr->mutants = calloc(pr->nmutants ? pr->nmutants : 1, sizeof *pr->mutants);
  for (size_t i = 0; pr->mutants && i < pr->nmutants; i++) {
    const json_t *m = json_array_get(a, i), *idx = json_object_get(m, "mutant");
    json_int_t k = json_integer_value(idx), v = json_integer_value(json_object_get(m, "verdict"));
    if (!json_is_null(idx) && (!json_is_integer(idx) || k < 0 || (size_t)k >= cl->nmutants))
      return 1;
    pr->mutants[i].text = json_is_null(idx) ? NULL : cl->mutants[k].text;
    pr->mutants[i].verdict = v >= TC_PASS && v <= TC_ERROR ? (tc_verdict)v : TC_ERROR;
  }
  return pr->mutants == NULL;
}

static int precision_read(tc_precision_result *pr, const json_t *o, const tc_claim *cl, const char **bad)
{
  const json_t *pts = json_object_get(o, "points"), *ser = json_object_get(o, "series");
  if (fields_read(pr, precision_fields, o, bad) ||
      fields_read(&pr->witness, witness_fields, json_object_get(o, "witness"), bad))
    return 1;
  *bad = "points";
  if (!json_is_array(pts) || !json_is_array(ser))
    return 1;
  pr->points = calloc(json_array_size(pts) ? json_array_size(pts) : 1, sizeof *pr->points);
  for (; pr->points && pr->npoints < json_array_size(pts); pr->npoints++)
    if (fields_read(&pr->points[pr->npoints], point_fields, json_array_get(pts, pr->npoints), bad))
      return 1;
  *bad = "series";
  pr->series = calloc(json_array_size(ser) ? json_array_size(ser) : 1, sizeof *pr->series);
  for (; pr->series && pr->nseries < json_array_size(ser); pr->nseries++)
    if (series_read(&pr->series[pr->nseries], json_array_get(ser, pr->nseries)))
      return 1;
  *bad = "mutants";
  return pr->points == NULL || pr->series == NULL ||
         mutants_read(pr, json_object_get(o, "mutants"), cl);
}

static int claim_read(tc_claim_result *c, const json_t *o, const char **bad)
{
  if (fields_read(c, claim_fields, o, bad) ||
      fields_read(&c->shrunk, witness_fields, json_object_get(o, "shrunk"), bad))
    return 1;
  const json_t *prec = json_object_get(o, "backends");
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const json_t *p = json_object_get(prec, tc_backends[b].name);
    if (p == NULL) {
      *bad = tc_backends[b].name;
      return 1;
    }
    if (precision_read(&c->prec[b], p, c->claim, bad))
      return 1;
  }
  return 0;
}

/* A partial is not signed, but a hand-edited or corrupted one must not
 * turn a claim into PASS: the claim's verdict is PASS only when every
 * backend that ran says PASS (tc_engine_combine), at least one ran, and
 * only the backends of the run's precision ran.  0 when consistent. */
static int claim_consistent(const tc_claim_result *c, int precision, const char **bad)
{
  int ran = 0, main = 0; /* backends are ordered cheapest first, most exact last */
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    if (!c->prec[b].ran)
      continue;
    ran++;
    if (!(precision & (1 << b))) {
      *bad = "ran (a backend outside the run's precision)";
      return 1;
    }
    /* A PASS needs every backend at PASS, except that a less exact one may
     * be INCONCLUSIVE (tc_engine_combine: the most exact backend decides). */
    if (c->verdict == TC_PASS && c->prec[b].verdict != TC_PASS && c->prec[b].verdict != TC_INCONCLUSIVE) {
      *bad = "verdict (PASS although a backend's verdict is not PASS)";
      return 1;
    }
    main = b;
  }
  if (c->verdict == TC_PASS && (ran == 0 || c->prec[main].verdict != TC_PASS)) {
    *bad = ran ? "verdict (PASS although the most exact backend's verdict is not PASS)"
               : "verdict (PASS although no backend ran)";
    return 1;
  }
  return 0;
}

/* ---- the run: options, catalog, shard ------------------------------- */

int tc_shard_parse(tc_shard *s, const char *text)
{
  unsigned long k, n;
  int used = 0;
  if (text[0] < '0' || text[0] > '9' || sscanf(text, "%lu/%lu%n", &k, &n, &used) != 2 ||
      text[used] != '\0' || strchr(text, '+') || strchr(text, '-') || strchr(text, ' '))
    return TC_EDOM;
  const char *slash = strchr(text, '/');
  if (slash[1] < '0' || slash[1] > '9' || n < 1 || n > TC_MAX_SHARDS || k < 1 || k > n)
    return TC_EDOM;
  s->k = (unsigned)k;
  s->n = (unsigned)n;
  return TC_SUCCESS;
}

int tc_shard_has(const tc_shard *s, size_t i)
{
  return s == NULL || s->n <= 1 || i % s->n == s->k - 1;
}

/* SHA-256 of the catalog's files (base name and bytes of each, in load
 * order): shards of one audit must have read the same claims. */
int tc_report_catalog_digest(char hex[65], const tc_catalog *cat, char *err, size_t errlen)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *all = open_memstream(&buf, &len);
  if (all == NULL)
    return TC_ENOMEM;
  int status = TC_SUCCESS;
  for (size_t i = 0; i < cat->n && status == TC_SUCCESS; i++) {
    const char *file = cat->claims[i].file;
    if (i > 0 && strcmp(file, cat->claims[i - 1].file) == 0)
      continue;
    const char *slash = strrchr(file, '/');
    fprintf(all, "%s%c", slash ? slash + 1 : file, 0);
    FILE *in = fopen(file, "rb");
    if (in == NULL) {
      snprintf(err, errlen, "%s: cannot read the catalog file: %s", file, strerror(errno));
      status = TC_EIO;
      break;
    }
    char chunk[8192];
    for (size_t got; (got = fread(chunk, 1, sizeof chunk, in)) > 0;)
      fwrite(chunk, 1, got, all);
    fputc(0, all);
    fclose(in);
  }
  fclose(all);
  if (status == TC_SUCCESS)
    tc_report_sha256_hex(hex, buf, len);
  free(buf);
  return status;
}

/* What every shard of one audit shares: a merge refuses partials whose
 * "run" objects differ. */
static json_t *run_value(const tc_run_options *opt, const tc_shard *s, const char *digest, size_t nclaims)
{
  json_t *params = json_array();
  for (size_t i = 0; params && i < opt->noverrides; i++) {
    char *kv = tc_strdupf("%s=%s", opt->overrides[i].name, opt->overrides[i].value);
    json_array_append_new(params, str_value(kv));
    free(kv);
  }
  return json_pack("{s:s,s:i,s:o,s:o,s:i,s:i,s:o,s:I,s:o,s:o,s:s,s:I}", "thmcheck", PACKAGE_VERSION,
                   "shards", (int)s->n, "seed", u64_value(opt->seed), "confidence",
                   real_value(opt->confidence), "precision", opt->precision, "bits", (int)opt->bits,
                   "agree_tol", real_value(opt->agree_tol), "instances", (json_int_t)opt->instances,
                   "first_index", json_integer((json_int_t)opt->first_index), "params", params,
                   "catalog", digest, "catalog_claims", (json_int_t)nclaims);
}

static int json_dumps_writer(FILE *out, const void *doc)
{
  if (json_dumpf((const json_t *)doc, out, JSON_FLAGS) != 0 || fputc('\n', out) == EOF)
    return TC_EIO;
  return TC_SUCCESS;
}

int tc_report_write_partial(const char *path, const tc_run_result *r, const tc_run_options *opt,
                            const tc_shard *s, const tc_catalog *cat, char *err, size_t errlen)
{
  char digest[65];
  int status = tc_report_catalog_digest(digest, cat, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  json_t *claims = json_array();
  for (size_t i = 0; claims && i < r->n; i++)
    if (json_array_append_new(claims, claim_value(&r->claims[i])) != 0) {
      json_decref(claims);
      claims = NULL;
    }
  json_t *doc = claims ? json_pack("{s:i,s:o,s:i,s:o}", "thmcheck_partial", PARTIAL_FORMAT, "run",
                                   run_value(opt, s, digest, cat->n), "shard", (int)s->k, "claims", claims)
                       : NULL;
  if (doc == NULL) {
    snprintf(err, errlen, "%s: out of memory", path);
    return TC_ENOMEM;
  }
  status = tc_report_write_atomic(path, json_dumps_writer, doc, err, errlen);
  json_decref(doc);
  return status;
}

/* ---- merge ---------------------------------------------------------- */

typedef struct {
  const char *path;
  json_t *doc;
  const json_t *run;
  unsigned k;
} partial;

static int load_partial(partial *p, const char *path, char *err, size_t errlen)
{
  json_error_t e;
  p->path = path;
  FILE *in = fopen(path, "rb");
  if (in == NULL) {
    snprintf(err, errlen, "%s: cannot read the partial result: %s", path, strerror(errno));
    return TC_EIO;
  }
  p->doc = json_loadf(in, JSON_REJECT_DUPLICATES, &e);
  fclose(in);
  if (p->doc == NULL) {
    snprintf(err, errlen, "%s: not a thmcheck partial result (line %d: %s)", path, e.line, e.text);
    return TC_EDOM;
  }
  p->run = json_object_get(p->doc, "run");
  json_int_t fmt = json_integer_value(json_object_get(p->doc, "thmcheck_partial"));
  json_int_t k = json_integer_value(json_object_get(p->doc, "shard"));
  json_int_t n = json_integer_value(json_object_get(p->run, "shards"));
  if (fmt != PARTIAL_FORMAT || !json_is_object(p->run) || n < 1 || n > TC_MAX_SHARDS || k < 1 || k > n ||
      !json_is_array(json_object_get(p->doc, "claims"))) {
    snprintf(err, errlen, "%s: not a thmcheck partial result (format %d with run, shard and claims)",
             path, PARTIAL_FORMAT);
    return TC_EDOM;
  }
  p->k = (unsigned)k;
  return TC_SUCCESS;
}

/* The first key of a's "run" whose value b does not share. */
static const char *first_difference(const json_t *a, const json_t *b)
{
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)a, key, v)
    if (!json_equal(v, json_object_get(b, key)))
      return key;
  return "keys";
}

/* Every partial from the same run as the first, one per shard, all there. */
static int check_set(const partial *ps, size_t n, const char *digest, size_t nclaims, char *err,
                     size_t errlen)
{
  unsigned shards = (unsigned)json_integer_value(json_object_get(ps[0].run, "shards"));
  for (size_t i = 0; i < n; i++) {
    if (!json_equal(ps[i].run, ps[0].run)) {
      const char *key = first_difference(ps[0].run, ps[i].run);
      snprintf(err, errlen, "%s: a shard of another audit than %s (%s differs)", ps[i].path,
               ps[0].path, key);
      return TC_EDOM;
    }
    for (size_t j = 0; j < i; j++)
      if (ps[j].k == ps[i].k) {
        snprintf(err, errlen, "%s: shard %u/%u again (also in %s)", ps[i].path, ps[i].k, shards,
                 ps[j].path);
        return TC_EDOM;
      }
  }
  for (unsigned k = 1; k <= shards; k++) {
    size_t i = 0;
    while (i < n && ps[i].k != k)
      i++;
    if (i == n) {
      snprintf(err, errlen, "shard %u/%u is missing (%zu of %u partial results given)", k, shards, n,
               shards);
      return TC_EDOM;
    }
  }
  const char *theirs = json_string_value(json_object_get(ps[0].run, "catalog"));
  if (theirs == NULL || strcmp(theirs, digest) != 0 ||
      json_integer_value(json_object_get(ps[0].run, "catalog_claims")) != (json_int_t)nclaims) {
    snprintf(err, errlen, "%s: written from another catalog than the one loaded (the catalog files "
                          "differ; pass the shards' --catalog)", ps[0].path);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* Claim i of the catalog from its shard's partial, into r->claims[i]. */
static int read_claims(tc_run_result *r, const partial *ps, size_t n, const tc_catalog *cat,
                       unsigned shards, char *err, size_t errlen)
{
  for (size_t p = 0; p < n; p++) {
    const json_t *claims = json_object_get(ps[p].doc, "claims");
    tc_shard s = {ps[p].k, shards};
    size_t at = 0;
    for (size_t i = 0; i < cat->n; i++) {
      if (!tc_shard_has(&s, i))
        continue;
      const json_t *c = json_array_get(claims, at++);
      const char *id = json_string_value(json_object_get(c, "id"));
      if (id == NULL || strcmp(id, cat->claims[i].id) != 0) {
        snprintf(err, errlen, "%s: does not hold shard %u/%u's claims (expected [%s] at position %zu)",
                 ps[p].path, s.k, shards, cat->claims[i].id, at - 1);
        return TC_EDOM;
      }
      r->claims[i].claim = &cat->claims[i];
      const char *bad = "?";
      if (claim_read(&r->claims[i], c, &bad) || claim_consistent(&r->claims[i], r->precision, &bad)) {
        snprintf(err, errlen, "%s: malformed partial result (claim [%s], field %s)", ps[p].path, id, bad);
        return TC_EDOM;
      }
    }
    if (at != json_array_size(claims)) {
      snprintf(err, errlen, "%s: does not hold shard %u/%u's claims (%zu claims, expected %zu)",
               ps[p].path, s.k, shards, json_array_size(claims), at);
      return TC_EDOM;
    }
  }
  return TC_SUCCESS;
}

static int run_header(tc_run_result *r, const json_t *run)
{
  json_int_t prec = json_integer_value(json_object_get(run, "precision"));
  json_int_t bits = json_integer_value(json_object_get(run, "bits"));
  json_int_t inst = json_integer_value(json_object_get(run, "instances"));
  r->precision = (int)prec;
  r->bits = (mpfr_prec_t)bits;
  r->instances = inst > 0 ? (size_t)inst : 0;
  return u64_read(&r->seed, json_object_get(run, "seed")) ||
         real_read(&r->confidence, json_object_get(run, "confidence")) || prec <= 0 ||
         (prec & ~TC_PREC_ALL) != 0 || bits < MPFR_PREC_MIN || inst < 0;
}

int tc_report_merge(tc_run_result **out, const char *const *paths, size_t n, const tc_catalog *cat,
                    char *err, size_t errlen)
{
  *out = NULL;
  if (n == 0) {
    snprintf(err, errlen, "no partial results to merge");
    return TC_EDOM;
  }
  char digest[65];
  int status = tc_report_catalog_digest(digest, cat, err, errlen);
  partial *ps = calloc(n, sizeof *ps);
  if (status == TC_SUCCESS && ps == NULL)
    status = TC_ENOMEM;
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++)
    status = load_partial(&ps[i], paths[i], err, errlen);
  if (status == TC_SUCCESS)
    status = check_set(ps, n, digest, cat->n, err, errlen);
  tc_run_result *r = status == TC_SUCCESS ? calloc(1, sizeof *r) : NULL;
  if (status == TC_SUCCESS && (r == NULL || (r->claims = calloc(cat->n ? cat->n : 1, sizeof *r->claims)) == NULL))
    status = TC_ENOMEM;
  if (status == TC_SUCCESS) {
    r->n = cat->n;
    if (run_header(r, ps[0].run)) {
      snprintf(err, errlen, "%s: malformed partial result (run)", ps[0].path);
      status = TC_EDOM;
    }
  }
  if (status == TC_SUCCESS)
    status = read_claims(r, ps, n, cat, (unsigned)json_integer_value(json_object_get(ps[0].run, "shards")),
                         err, errlen);
  for (size_t i = 0; ps && i < n; i++)
    json_decref(ps[i].doc);
  free(ps);
  if (status != TC_SUCCESS) {
    tc_run_result_free(r);
    return status;
  }
  *out = r;
  return TC_SUCCESS;
}
