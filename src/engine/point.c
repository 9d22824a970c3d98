/* Parameter points handed to check modules. */
#include <math.h>
#include <string.h>
#include "tc_check.h"

static const tc_point_value *point_find(const tc_point *p, const char *name)
{
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->v[i].name, name) == 0)
      return &p->v[i];
  return NULL;
}

int tc_point_get(double *value, const tc_point *p, const char *name)
{
  const tc_point_value *pv = point_find(p, name);
  if (pv == NULL)
    return TC_ENOTFOUND;
  if (isnan(pv->value))
    return TC_EDOM;
  *value = pv->value;
  return TC_SUCCESS;
}

double tc_point_get_or(const tc_point *p, const char *name, double fallback)
{
  double v;
  return tc_point_get(&v, p, name) == TC_SUCCESS ? v : fallback;
}

const char *tc_point_text(const tc_point *p, const char *name)
{
  const tc_point_value *pv = point_find(p, name);
  return pv ? pv->text : NULL;
}
