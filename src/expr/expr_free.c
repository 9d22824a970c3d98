/* tc_expr_free — release a parsed expression (NULL is allowed). */
#include <stdlib.h>

#include "expr_impl.h"

/* Recursion is bounded: the parser refuses trees deeper than its limit. */
void tc_expr_node_free(expr_node *n)
{
  if (n == NULL)
    return;
  for (size_t i = 0; i < n->nargs; i++)
    tc_expr_node_free(n->args[i]);
  free(n->args);
  free(n->text);
  free(n);
}

void tc_expr_free(tc_expr *e)
{
  if (e == NULL)
    return;
  tc_expr_node_free(e->root);
  for (size_t i = 0; i < e->nnames; i++)
    free(e->names[i]);
  free(e->names);
  free(e);
}
