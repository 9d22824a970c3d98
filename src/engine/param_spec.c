/* Parameter and output specs of check modules: lookups, and the check of
 * a parameter point against the specs that runs before anything else. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tc_check.h"

const tc_param_spec *tc_check_param(const tc_check *c, const char *name)
{
  for (const tc_param_spec *s = c->params; s && s->name; s++)
    if (strcmp(s->name, name) == 0)
      return s;
  return NULL;
}

int tc_check_has_output(const tc_check *c, const char *name)
{
  for (const tc_output_spec *o = c->outputs; o && o->name; o++) {
    size_t len = strlen(o->name);
    if (len > 0 && o->name[len - 1] == '*' ? strncmp(o->name, name, len - 1) == 0
                                          : strcmp(o->name, name) == 0)
      return 1;
  }
  return 0;
}

/* "[1, 10]", "(0, 1)", "> 0", "<= 1", "any finite number" */
static void format_range(char *buf, size_t len, const tc_param_spec *s)
{
  int lo = isfinite(s->min), hi = isfinite(s->max);
  if (lo && hi)
    snprintf(buf, len, "in %c%g, %g%c", s->min_open ? '(' : '[', s->min, s->max,
             s->max_open ? ')' : ']');
  else if (lo)
    snprintf(buf, len, "%s %g", s->min_open ? ">" : ">=", s->min);
  else if (hi)
    snprintf(buf, len, "%s %g", s->max_open ? "<" : "<=", s->max);
  else
    snprintf(buf, len, "finite");
}

static int symbol_ok(const tc_param_spec *s, const char *text, char *err, size_t errlen)
{
  for (const char *const *v = s->values; v && *v; v++)
    if (strcmp(*v, text) == 0)
      return TC_SUCCESS;
  size_t used = (size_t)snprintf(err, errlen, "%s (%s) must be one of", s->name, s->meaning);
  for (const char *const *v = s->values; v && *v && used < errlen; v++)
    used += (size_t)snprintf(err + used, errlen - used, "%s %s", v == s->values ? "" : ",", *v);
  if (used < errlen)
    snprintf(err + used, errlen - used, ", got '%s'", text);
  return TC_EDOM;
}

static int number_ok(const tc_param_spec *s, const tc_point *p, char *err, size_t errlen)
{
  double v;
  int numeric = tc_point_get(&v, p, s->name) == TC_SUCCESS && isfinite(v);
  int in = numeric && (s->min_open ? v > s->min : v >= s->min) &&
           (s->max_open ? v < s->max : v <= s->max) &&
           (s->type != TC_PARAM_INTEGER || v == floor(v));
  if (in)
    return TC_SUCCESS;
  char range[96];
  format_range(range, sizeof range, s);
  snprintf(err, errlen, "%s (%s) must be %s %s, got '%s'", s->name, s->meaning,
           s->type == TC_PARAM_INTEGER ? "an integer" : "a number", range,
           tc_point_text(p, s->name));
  return TC_EDOM;
}

int tc_check_validate(const tc_check *c, const tc_point *p, const char **param, char *err,
                      size_t errlen)
{
  const char *blame = NULL;
  if (param == NULL)
    param = &blame;
  *param = NULL;
  for (const tc_param_spec *s = c->params; s && s->name; s++) {
    const char *text = tc_point_text(p, s->name);
    int status = TC_SUCCESS;
    if (text == NULL && s->required) {
      snprintf(err, errlen, "missing parameter %s (%s)", s->name, s->meaning);
      status = TC_EDOM;
    } else if (text != NULL) {
      status = s->type == TC_PARAM_SYMBOL ? symbol_ok(s, text, err, errlen)
                                          : number_ok(s, p, err, errlen);
    }
    if (status != TC_SUCCESS) {
      *param = s->name;
      return status;
    }
  }
  return c->validate ? c->validate(p, param, err, errlen) : TC_SUCCESS;
}
