/* tc_expr_foreach_name — the variables an expression needs.
 *
 * The parser records each distinct name at its first appearance, so the
 * catalog loader can check that every name is a declared parameter or a
 * measured quantity before anything runs, and report them in the order
 * the author wrote them. */
#include "expr_impl.h"

void tc_expr_foreach_name(const tc_expr *e,
                          void (*fn)(const char *name, void *data), void *data)
{
  for (size_t i = 0; i < e->nnames; i++)
    fn(e->names[i], data);
}
