/* The compiled-in check modules, from the one list checks/modules.def
 * (which also drives the build: see scripts/gen-modules-mk).  Adding a
 * module is one line there; nothing here changes. */
#include <string.h>
#include "tc_check.h"

/* The modules are reached through tc_check_find/tc_check_at; a hidden
 * reference makes the linker keep their descriptors out of the exports. */
#pragma GCC visibility push(hidden)
#define TC_MODULE(file, symbol) extern const tc_check tc_check_##symbol;
#include "modules.def"
#undef TC_MODULE
#pragma GCC visibility pop

static const tc_check *const registry[] = {
#define TC_MODULE(file, symbol) &tc_check_##symbol,
#include "modules.def"
#undef TC_MODULE
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
