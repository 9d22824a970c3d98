/* The compiled-in check modules.  Adding a module: write checks/NAME.c
 * defining `const tc_check tc_check_NAME`, add its .mk fragment to
 * Makefile.am, and add one line to each list below. */
#include <string.h>
#include "tc_check.h"

/* The modules are reached through tc_check_find/tc_check_at; a hidden
 * reference makes the linker keep their descriptors out of the exports. */
#pragma GCC visibility push(hidden)
extern const tc_check tc_check_pl_gd;
extern const tc_check tc_check_sgd_pl;
extern const tc_check tc_check_ball_uniform;
extern const tc_check tc_check_ntk_h0;
extern const tc_check tc_check_ntk_gram;
extern const tc_check tc_check_calibration;
#pragma GCC visibility pop

static const tc_check *const registry[] = {
  &tc_check_pl_gd,
  &tc_check_sgd_pl,
  &tc_check_ball_uniform,
  &tc_check_ntk_h0,
  &tc_check_ntk_gram,
  &tc_check_calibration,
};

size_t tc_check_count(void) { return sizeof registry / sizeof registry[0]; }

const tc_check *tc_check_at(size_t i) { return i < tc_check_count() ? registry[i] : NULL; }

const tc_check *tc_check_find(const char *name)
{
  for (size_t i = 0; i < tc_check_count(); i++)
    if (strcmp(registry[i]->name, name) == 0)
      return registry[i];
  return NULL;
}
