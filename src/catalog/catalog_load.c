/* Parser of the claim catalog (docs/CATALOG.md).  Line-based so that
 * every error can name file:line; nothing runs until it all parses. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_catalog.h"

typedef struct {
  const char *file;
  int line;
  char *err;
  size_t errlen;
} parse_ctx;

static int fail(parse_ctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parse_ctx *c, int line, const char *fmt, ...)
{
  if (c->err == NULL || c->errlen == 0)
    return TC_ESYNTAX;
  int n = snprintf(c->err, c->errlen, "%s:%d: ", c->file, line);
  if (n < 0 || (size_t)n >= c->errlen)
    return TC_ESYNTAX;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return TC_ESYNTAX;
}

static char *trim(char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  char *end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1]))
    *--end = '\0';
  return s;
}

static int is_kebab_id(const char *s)
{
  if (!islower((unsigned char)*s))
    return 0;
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
      return 0;
  return s[-1] != '-';
}

static int is_name(const char *s)
{
  if (!(isalpha((unsigned char)*s) || *s == '_'))
    return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_'))
      return 0;
  return 1;
}

/* Strict number: the whole text must be a finite decimal number. */
static int parse_number(double *v, const char *text)
{
  char *end;
  errno = 0;
  *v = strtod(text, &end);
  return end != text && *end == '\0' && errno == 0 && isfinite(*v);
}

static int parse_count(size_t *v, const char *text)
{
  double d;
  if (!parse_number(&d, text) || d < 1 || d != floor(d) || d > 1e9)
    return 0;
  *v = (size_t)d;
  return 1;
}

static void param_clear(tc_param *p)
{
  free(p->name);
  for (size_t i = 0; i < p->nvalues; i++)
    free(p->texts[i]);
  free(p->texts);
  free(p->values);
}

static void claim_clear(tc_claim *cl)
{
  char **texts[] = {&cl->id, &cl->file, &cl->title, &cl->source, &cl->statement,
                    &cl->hypotheses, &cl->remarks, &cl->corrects, &cl->check_name,
                    &cl->lhs_text, &cl->rhs_text, &cl->probability_text,
                    &cl->reference_text, &cl->exponent_text, &cl->index_name,
                    &cl->sweep_name, &cl->error_text};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    free(*texts[i]);
  tc_expr *exprs[] = {cl->lhs, cl->rhs, cl->probability, cl->reference, cl->exponent, cl->error};
  for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
    tc_expr_free(exprs[i]);
  for (size_t i = 0; i < cl->nparams; i++)
    param_clear(&cl->params[i]);
  free(cl->params);
  memset(cl, 0, sizeof *cl);
}

void tc_catalog_free(tc_catalog *cat)
{
  if (cat == NULL)
    return;
  for (size_t i = 0; i < cat->n; i++)
    claim_clear(&cat->claims[i]);
  free(cat->claims);
  free(cat);
}

/* `lo .. hi [log]` or `a, b, c`. */
static int parse_param(parse_ctx *c, tc_param *p, char *spec, int line)
{
  char *dots = strstr(spec, "..");
  if (dots != NULL) {
    *dots = '\0';
    char *lo = trim(spec), *rest = trim(dots + 2);
    char *scale = rest;
    while (*scale && !isspace((unsigned char)*scale))
      scale++;
    if (*scale) {
      *scale++ = '\0';
      scale = trim(scale);
    }
    p->is_range = 1;
    if (!parse_number(&p->lo, lo) || !parse_number(&p->hi, rest))
      return fail(c, line, "param %s: range bounds must be numbers, as in 1 .. 1e6 log", p->name);
    if (*scale && strcmp(scale, "log") != 0 && strcmp(scale, "linear") != 0)
      return fail(c, line, "param %s: range scale must be 'log' or 'linear', not '%s'", p->name, scale);
    p->log_scale = strcmp(scale, "log") == 0;
    if (p->lo > p->hi)
      return fail(c, line, "param %s: empty range (%g > %g)", p->name, p->lo, p->hi);
    if (p->log_scale && p->lo <= 0)
      return fail(c, line, "param %s: a log range needs a positive lower bound", p->name);
    return TC_SUCCESS;
  }
  size_t cap = 4;
  p->texts = malloc(cap * sizeof *p->texts);
  p->values = malloc(cap * sizeof *p->values);
  if (p->texts == NULL || p->values == NULL)
    return TC_ENOMEM;
  /* Split by hand: strtok would silently skip an empty value in "1,,2". */
  for (char *next = spec; next != NULL;) {
    char *tok = next;
    char *comma = strchr(next, ',');
    if (comma)
      *comma = '\0';
    next = comma ? comma + 1 : NULL;
    tok = trim(tok);
    if (*tok == '\0')
      return fail(c, line, "param %s: empty value in list", p->name);
    if (p->nvalues == cap) {
      cap *= 2;
      char **t = realloc(p->texts, cap * sizeof *t);
      double *v = t ? realloc(p->values, cap * sizeof *v) : NULL;
      if (t) p->texts = t;
      if (v == NULL)
        return TC_ENOMEM;
      p->values = v;
    }
    double v;
    if (!parse_number(&v, tok)) {
      if (isdigit((unsigned char)*tok) || *tok == '-' || *tok == '+' || *tok == '.')
        return fail(c, line, "param %s: '%s' is not a number", p->name, tok);
      for (const char *q = tok; *q; q++)
        if (!(isalnum((unsigned char)*q) || *q == '-' || *q == '_'))
          return fail(c, line, "param %s: symbolic value '%s' may contain only letters, digits, '-' and '_'", p->name, tok);
      v = NAN;
    }
    p->texts[p->nvalues] = strdup(tok);
    p->values[p->nvalues++] = v;
  }
  if (p->nvalues == 0)
    return fail(c, line, "param %s: no values", p->name);
  return TC_SUCCESS;
}

typedef struct {
  const char *key;
  size_t offset; /* of the char * field in tc_claim */
} text_key;

#define TK(k, f) {k, offsetof(tc_claim, f)}
static const text_key text_keys[] = {
  TK("title", title), TK("source", source), TK("statement", statement),
  TK("hypotheses", hypotheses), TK("remarks", remarks), TK("corrects", corrects),
  TK("check", check_name), TK("lhs", lhs_text), TK("rhs", rhs_text),
  TK("probability", probability_text), TK("reference", reference_text),
  TK("exponent", exponent_text), TK("index", index_name), TK("sweep", sweep_name),
  TK("error", error_text),
};

/* Keys are remembered with their line so that later checks (missing key,
 * bad expression) can point at the right place. */
typedef struct {
  int kind_line, check_line, lhs_line, rhs_line, prob_line, ref_line, exp_line;
  int sweep_line, index_line, corrects_line, error_line;
  int kind_set;
} key_lines;

static int set_key(parse_ctx *c, tc_claim *cl, key_lines *kl, const char *key, char *value, int line)
{
  for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++) {
    if (strcmp(key, text_keys[i].key) != 0)
      continue;
    char **field = (char **)((char *)cl + text_keys[i].offset);
    if (*field != NULL)
      return fail(c, line, "duplicate key '%s' in claim [%s]", key, cl->id);
    if (*value == '\0')
      return fail(c, line, "key '%s' has an empty value", key);
    *field = strdup(value);
    if (*field == NULL)
      return TC_ENOMEM;
    int *lines[] = {NULL, NULL, NULL, NULL, NULL, &kl->corrects_line, &kl->check_line,
                    &kl->lhs_line, &kl->rhs_line, &kl->prob_line, &kl->ref_line,
                    &kl->exp_line, &kl->index_line, &kl->sweep_line, &kl->error_line};
    if (lines[i])
      *lines[i] = line;
    return TC_SUCCESS;
  }
  if (strcmp(key, "kind") == 0) {
    if (kl->kind_set)
      return fail(c, line, "duplicate key 'kind' in claim [%s]", cl->id);
    static const char *names[] = {"deterministic", "probability", "expectation", "rate"};
    for (int k = 0; k < 4; k++)
      if (strcmp(value, names[k]) == 0) {
        cl->kind = (tc_kind)k;
        kl->kind_set = 1;
        kl->kind_line = line;
        return TC_SUCCESS;
      }
    return fail(c, line, "unknown kind '%s' (expected deterministic, probability, expectation or rate)", value);
  }
  if (strcmp(key, "instances") == 0) {
    if (!parse_count(&cl->instances, value))
      return fail(c, line, "instances must be a positive whole number, not '%s'", value);
    return TC_SUCCESS;
  }
  if (strcmp(key, "search") == 0) {
    double d;
    if (!parse_number(&d, value) || d < 0 || d != floor(d) || d > 1e7)
      return fail(c, line, "search must be a whole number >= 0, not '%s'", value);
    cl->search = (size_t)d;
    return TC_SUCCESS;
  }
  if (strcmp(key, "tolerance") == 0) {
    if (!parse_number(&cl->tolerance, value) || cl->tolerance <= 0)
      return fail(c, line, "tolerance must be a positive number, not '%s'", value);
    return TC_SUCCESS;
  }
  return fail(c, line, "unknown key '%s'", key);
}

static int compile_expr(parse_ctx *c, tc_expr **out, const char *text, const char *key, int line)
{
  char msg[200];
  *out = tc_expr_parse(text, msg, sizeof msg);
  if (*out == NULL)
    return fail(c, line, "%s: %s", key, msg);
  return TC_SUCCESS;
}

static const tc_param *claim_param(const tc_claim *cl, const char *name)
{
  for (size_t i = 0; i < cl->nparams; i++)
    if (strcmp(cl->params[i].name, name) == 0)
      return &cl->params[i];
  return NULL;
}

/* Everything that needs the whole entry: required keys, expressions,
 * module and parameter names. */
static int finish_claim(parse_ctx *c, tc_claim *cl, const key_lines *kl)
{
  static const char *required[] = {"source", "statement", "check", "lhs", "rhs"};
  const char *values[] = {cl->source, cl->statement, cl->check_name, cl->lhs_text, cl->rhs_text};
  if (!kl->kind_set)
    return fail(c, cl->line, "claim [%s] has no 'kind'", cl->id);
  for (size_t i = 0; i < 5; i++)
    if (values[i] == NULL && !(i == 4 && cl->kind == TC_KIND_RATE))
      return fail(c, cl->line, "claim [%s] has no '%s'", cl->id, required[i]);
  if (cl->kind == TC_KIND_PROBABILITY && cl->probability_text == NULL)
    return fail(c, cl->line, "probability claim [%s] needs 'probability' (the required P(lhs <= rhs))", cl->id);
  if (cl->kind == TC_KIND_RATE && (cl->sweep_name == NULL || cl->exponent_text == NULL))
    return fail(c, cl->line, "rate claim [%s] needs 'sweep' and 'exponent'", cl->id);
  if (cl->kind != TC_KIND_PROBABILITY && cl->probability_text)
    return fail(c, kl->prob_line, "'probability' only applies to probability claims");
  if (cl->kind != TC_KIND_RATE && (cl->sweep_name || cl->exponent_text))
    return fail(c, cl->sweep_name ? kl->sweep_line : kl->exp_line,
                "'sweep' and 'exponent' only apply to rate claims");
  cl->check = tc_check_find(cl->check_name);
  if (cl->check == NULL)
    return fail(c, kl->check_line, "unknown check module '%s' (see `thmcheck list --checks`)", cl->check_name);
  int status;
  if ((status = compile_expr(c, &cl->lhs, cl->lhs_text, "lhs", kl->lhs_line)) ||
      (cl->rhs_text && (status = compile_expr(c, &cl->rhs, cl->rhs_text, "rhs", kl->rhs_line))))
    return status;
  if (cl->probability_text &&
      (status = compile_expr(c, &cl->probability, cl->probability_text, "probability", kl->prob_line)))
    return status;
  if (cl->reference_text &&
      (status = compile_expr(c, &cl->reference, cl->reference_text, "reference", kl->ref_line)))
    return status;
  if (cl->exponent_text &&
      (status = compile_expr(c, &cl->exponent, cl->exponent_text, "exponent", kl->exp_line)))
    return status;
  if (cl->error_text &&
      (status = compile_expr(c, &cl->error, cl->error_text, "error", kl->error_line)))
    return status;
  for (size_t i = 0; i < cl->nparams; i++) {
    const tc_param *p = &cl->params[i];
    int known = 0;
    for (const char *const *q = cl->check->params; q && *q; q++)
      known |= strcmp(*q, p->name) == 0;
    if (!known)
      return fail(c, p->line, "check module '%s' has no parameter '%s'", cl->check_name, p->name);
    if (p->is_range && cl->kind != TC_KIND_DETERMINISTIC)
      return fail(c, p->line, "param %s: ranges are for deterministic claims; a %s claim needs fixed points (use a list)",
                  p->name, tc_kind_name(cl->kind));
  }
  if (cl->kind == TC_KIND_RATE) {
    const tc_param *sw = claim_param(cl, cl->sweep_name);
    if (sw == NULL)
      return fail(c, kl->sweep_line, "sweep parameter '%s' is not declared with 'param'", cl->sweep_name);
    if (sw->nvalues < 3)
      return fail(c, sw->line, "sweep parameter '%s' needs at least 3 values for a slope", cl->sweep_name);
    for (size_t i = 0; i < sw->nvalues; i++)
      if (!(sw->values[i] > 0))
        return fail(c, sw->line, "sweep parameter '%s' must be positive numbers (log scale)", cl->sweep_name);
    if (cl->tolerance == 0)
      cl->tolerance = 0.1;
  }
  if (cl->instances == 0)
    cl->instances = 10;
  return TC_SUCCESS;
}

static int load_text(tc_catalog *cat, const char *path, char *text, char *err, size_t errlen)
{
  parse_ctx c = {path, 0, err, errlen};
  tc_claim *cl = NULL;
  key_lines kl;
  int status = TC_SUCCESS;
  int line = 0;
  char *last_key_value = NULL; /* for continuation lines */
  size_t first_new = cat->n;

  /* strtok would merge empty lines and break line numbers: split by hand. */
  for (char *p = text; p != NULL && status == TC_SUCCESS;) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    char *raw = p;
    p = nl ? nl + 1 : NULL;
    line++;
    if (strchr(raw, '\r'))
      *strchr(raw, '\r') = '\0';
    int continuation = (*raw == ' ' || *raw == '\t');
    char *s = trim(raw);
    if (*s == '\0' || *s == '#') {
      if (*s == '\0')
        last_key_value = NULL;
      continue;
    }
    if (continuation && last_key_value != NULL) {
      /* An indented line continues a long text value (e.g. a statement). */
      char **field = (char **)last_key_value;
      size_t len = strlen(*field) + strlen(s) + 2;
      char *joined = malloc(len);
      if (joined == NULL) { status = TC_ENOMEM; break; }
      snprintf(joined, len, "%s %s", *field, s);
      free(*field);
      *field = joined;
      continue;
    }
    last_key_value = NULL;
    if (*s == '[') {
      if (cl != NULL && (status = finish_claim(&c, cl, &kl)))
        break;
      char *close = strchr(s, ']');
      if (close == NULL || close[1] != '\0') {
        status = fail(&c, line, "malformed section header: expected [claim-id]");
        break;
      }
      *close = '\0';
      char *id = trim(s + 1);
      if (!is_kebab_id(id)) {
        status = fail(&c, line, "claim id '%s' must be kebab-case (a-z, 0-9, '-')", id);
        break;
      }
      for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->claims[i].id, id) == 0) {
          status = fail(&c, line, "duplicate claim id '%s' (first defined at %s:%d)", id,
                        cat->claims[i].file, cat->claims[i].line);
          break;
        }
      if (status)
        break;
      tc_claim *grown = realloc(cat->claims, (cat->n + 1) * sizeof *grown);
      if (grown == NULL) { status = TC_ENOMEM; break; }
      cat->claims = grown;
      cl = &cat->claims[cat->n++];
      memset(cl, 0, sizeof *cl);
      memset(&kl, 0, sizeof kl);
      cl->id = strdup(id);
      cl->file = strdup(path);
      cl->line = line;
      continue;
    }
    char *eq = strchr(s, '=');
    if (eq == NULL) {
      status = fail(&c, line, "expected 'key = value', '[claim-id]' or a comment");
      break;
    }
    if (cl == NULL) {
      status = fail(&c, line, "'%.*s' appears before any [claim-id] section", (int)(eq - s), s);
      break;
    }
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    if (strncmp(key, "param", 5) == 0 && isspace((unsigned char)key[5])) {
      char *name = trim(key + 5);
      if (!is_name(name)) {
        status = fail(&c, line, "parameter name '%s' must be a plain identifier", name);
        break;
      }
      if (strcmp(name, "pi") == 0 || strcmp(name, "e") == 0) {
        /* Expressions read pi and e as constants: such a parameter could never be used. */
        status = fail(&c, line, "parameter name '%s' is reserved for a constant", name);
        break;
      }
      if (claim_param(cl, name)) {
        status = fail(&c, line, "duplicate parameter '%s' in claim [%s]", name, cl->id);
        break;
      }
      tc_param *grown = realloc(cl->params, (cl->nparams + 1) * sizeof *grown);
      if (grown == NULL) { status = TC_ENOMEM; break; }
      cl->params = grown;
      tc_param *prm = &cl->params[cl->nparams++];
      memset(prm, 0, sizeof *prm);
      prm->name = strdup(name);
      prm->line = line;
      status = parse_param(&c, prm, value, line);
      continue;
    }
    status = set_key(&c, cl, &kl, key, value, line);
    if (status == TC_SUCCESS) {
      for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++)
        if (strcmp(key, text_keys[i].key) == 0)
          last_key_value = (char *)((char *)cl + text_keys[i].offset);
    }
  }
  if (status == TC_SUCCESS && cl != NULL)
    status = finish_claim(&c, cl, &kl);
  if (status == TC_SUCCESS && cat->n == first_new)
    status = fail(&c, 1, "no claims in file");
  return status;
}

static int read_file(char **out, const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return TC_EIO;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len - 1 == 0) {
      char *grown = realloc(buf, cap *= 2);
      if (grown == NULL) { free(buf); buf = NULL; }
      else buf = grown;
    }
  }
  int bad = ferror(f);
  fclose(f);
  if (buf == NULL)
    return TC_ENOMEM;
  if (bad) {
    free(buf);
    snprintf(err, errlen, "%s: read error", path);
    return TC_EIO;
  }
  buf[len] = '\0';
  if (memchr(buf, '\0', len) != NULL) {
    free(buf);
    snprintf(err, errlen, "%s:1: not a text file (contains a NUL byte)", path);
    return TC_ESYNTAX;
  }
  *out = buf;
  return TC_SUCCESS;
}

static int check_corrections(tc_catalog *cat, char *err, size_t errlen)
{
  for (size_t i = 0; i < cat->n; i++) {
    tc_claim *cl = &cat->claims[i];
    if (cl->corrects && tc_catalog_find(cat, cl->corrects) == NULL) {
      snprintf(err, errlen, "%s:%d: claim [%s] corrects unknown claim '%s'", cl->file, cl->line,
               cl->id, cl->corrects);
      return TC_ENOTFOUND;
    }
  }
  return TC_SUCCESS;
}

static int load_one(tc_catalog *cat, const char *path, char *err, size_t errlen)
{
  char *text;
  int status = read_file(&text, path, err, errlen);
  if (status)
    return status;
  status = load_text(cat, path, text, err, errlen);
  free(text);
  return status;
}

int tc_catalog_load_file(tc_catalog **out, const char *path, char *err, size_t errlen)
{
  *out = NULL;
  tc_catalog *cat = calloc(1, sizeof *cat);
  if (cat == NULL)
    return TC_ENOMEM;
  int status = load_one(cat, path, err, errlen);
  if (status == TC_SUCCESS)
    status = check_corrections(cat, err, errlen);
  if (status) {
    tc_catalog_free(cat);
    return status;
  }
  *out = cat;
  return TC_SUCCESS;
}

/* The same as tc_catalog_load_file for text already in memory (a
 * catalog that did not come from a file, and the fuzz targets); `name`
 * stands for the file in messages. */
int tc_catalog_load_buffer(tc_catalog **out, const char *name, const char *text, size_t len,
                           char *err, size_t errlen)
{
  *out = NULL;
  if (memchr(text, '\0', len) != NULL) {
    snprintf(err, errlen, "%s:1: not a text file (contains a NUL byte)", name);
    return TC_ESYNTAX;
  }
  char *copy = malloc(len + 1);
  tc_catalog *cat = calloc(1, sizeof *cat);
  if (copy == NULL || cat == NULL) {
    free(copy);
    free(cat);
    return TC_ENOMEM;
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  int status = load_text(cat, name, copy, err, errlen);
  free(copy);
  if (status == TC_SUCCESS)
    status = check_corrections(cat, err, errlen);
  if (status) {
    tc_catalog_free(cat);
    return status;
  }
  *out = cat;
  return TC_SUCCESS;
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int tc_catalog_load_dir(tc_catalog **out, const char *dir, char *err, size_t errlen)
{
  *out = NULL;
  DIR *d = opendir(dir);
  if (d == NULL) {
    snprintf(err, errlen, "%s: cannot open catalog directory: %s", dir, strerror(errno));
    return TC_EIO;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".thm") == 0) {
      char **grown = realloc(names, (n + 1) * sizeof *grown);
      if (grown == NULL)
        break;
      names = grown;
      names[n++] = strdup(e->d_name);
    }
  }
  closedir(d);
  /* Name order, so the catalog (and every report) is the same everywhere. */
  if (n > 0)   /* qsort(NULL, 0, ...) is undefined: an empty directory has no names */
    qsort(names, n, sizeof *names, cmp_names);
  tc_catalog *cat = calloc(1, sizeof *cat);
  int status = cat ? TC_SUCCESS : TC_ENOMEM;
  if (status == TC_SUCCESS && n == 0) {
    snprintf(err, errlen, "%s: no *.thm catalog files", dir);
    status = TC_ENOTFOUND;
  }
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++) {
    size_t len = strlen(dir) + strlen(names[i]) + 2;
    char *path = malloc(len);
    if (path == NULL) {
      status = TC_ENOMEM;
      break;
    }
    snprintf(path, len, "%s/%s", dir, names[i]);
    status = load_one(cat, path, err, errlen);
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (status == TC_SUCCESS)
    status = check_corrections(cat, err, errlen);
  if (status) {
    tc_catalog_free(cat);
    return status;
  }
  *out = cat;
  return TC_SUCCESS;
}

const tc_claim *tc_catalog_find(const tc_catalog *cat, const char *id)
{
  for (size_t i = 0; i < cat->n; i++)
    if (strcmp(cat->claims[i].id, id) == 0)
      return &cat->claims[i];
  return NULL;
}

const char *tc_kind_name(tc_kind kind)
{
  static const char *names[] = {"deterministic", "probability", "expectation", "rate"};
  return (unsigned)kind < 4 ? names[kind] : "unknown";
}
