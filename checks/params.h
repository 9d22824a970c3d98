/* params.h — reading a check module's parameters, shared by the modules
 * in checks/.  Backend-independent and `static inline`, so a module that
 * does not use a helper gets no warning. */
#ifndef TC_CHECK_PARAMS_H
#define TC_CHECK_PARAMS_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "tc_check.h"

/* *v <- the numeric parameter `name`, which must be given and lie in
 * [lo, hi] (and be an integer when `integer`).  TC_EDOM, with a message
 * naming the parameter and the text given, when it is absent, symbolic
 * or out of range. */
static inline int tc_param_number(double *v, const tc_point *p, const char *name, double lo, double hi,
                                  int integer, char *err, size_t errlen)
{
  int status = tc_point_get(v, p, name);
  if (status == TC_ENOTFOUND) {
    snprintf(err, errlen, "missing parameter %s", name);
    return TC_EDOM;
  }
  if (status != TC_SUCCESS || !(*v >= lo && *v <= hi) || (integer && *v != floor(*v))) {
    snprintf(err, errlen, "%s must be %s in [%g, %g], got %s", name,
             integer ? "an integer" : "a number", lo, hi, tc_point_text(p, name));
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The index of `text` in the NULL-terminated `names`, or -1 (also when
 * text is NULL: an absent symbolic parameter). */
static inline int tc_param_lookup(const char *text, const char *const *names)
{
  for (int i = 0; text && names[i]; i++)
    if (strcmp(text, names[i]) == 0)
      return i;
  return -1;
}

#endif /* TC_CHECK_PARAMS_H */
