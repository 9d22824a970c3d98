/* A module's per-point data: built once per (point, backend) before
 * the point's jobs run, released after them (tc_check.h, prepare). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

/* Jobs see the same point when every value has the same text and value
 * (list points of one group; a drawn range makes each job its own). */
int tc_engine_same_point(const job *a, const job *b)
{
  if (a->point.n != b->point.n)
    return 0;
  for (size_t i = 0; i < a->point.n; i++) {
    const tc_point_value *x = &a->point.v[i], *y = &b->point.v[i];
    if (strcmp(x->name, y->name) != 0 || strcmp(x->text, y->text) != 0 ||
        memcmp(&x->value, &y->value, sizeof x->value) != 0)
      return 0;
  }
  return 1;
}

void tc_engine_prepare(prepared_point *pp, const claim_run *cr, const job *j, int backend)
{
  const tc_check *c = cr->claim->check;
  tc_prepare_fn prepare = c->prepare[backend];
  memset(pp, 0, sizeof *pp);
  if (prepare == NULL)
    return;
  tc_instance inst = {cr->claim, &j->point, j->index, j->seed, cr->opt->bits, NULL, NULL};
  char msg[256] = "";
  pp->status = prepare(&pp->data, &inst, msg, sizeof msg);
  if (pp->status != TC_SUCCESS) {
    pp->error = strdup(msg[0] ? msg : "prepare failed");
    pp->data = NULL;
  }
}

void tc_engine_release(prepared_point *pp, const claim_run *cr, int backend)
{
  const tc_check *c = cr->claim->check;
  tc_release_fn release = c->release[backend];
  if (pp->data && release)
    release(pp->data);
  free(pp->error);
  memset(pp, 0, sizeof *pp);
}
