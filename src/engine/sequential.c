/* Sequential sampling for probability and expectation claims
 * (`max_instances`): a point whose interval cannot decide after the first
 * batch gets more instances, doubling, up to max_instances; a point that
 * decides early stops there.
 *
 * Error control: the number of looks L at the data is fixed in advance
 * (1 + the doublings from `instances` to `max_instances`), and every look
 * tests at level alpha / L on top of the Bonferroni split over the claim's
 * points (checkpoints).  Whatever the stopping rule, the chance that any
 * look at any point errs is then at most alpha: a valid sequential
 * procedure (alpha spending by Bonferroni over looks), conservative where
 * points stop early.  INCONCLUSIVE remains only at the cap.
 *
 * Instance K of point gi is gi * max_instances + j: the added instances
 * have fixed indices, so each re-runs alone with `reproduce`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "engine_impl.h"

size_t tc_engine_planned_looks(size_t per, size_t stride)
{
  size_t looks = 1;
  for (size_t m = per; m < stride; m = m > stride / 2 ? stride : 2 * m)
    looks++;
  return looks;
}

double tc_engine_alpha(const claim_run *cr, size_t tests)
{
  size_t looks = cr->looks ? cr->looks : 1;
  return (1.0 - cr->opt->confidence) / (double)(tests ? tests : 1) / (double)looks;
}

/* Which points the primary (main) backend cannot decide yet. */
static size_t undecided_points(unsigned char *undecided, claim_run *cr, int primary)
{
  tc_precision_result scratch;
  tc_engine_aggregate_outputs(&scratch, cr, cr->out[primary]);
  size_t count = 0;
  for (size_t gi = 0; gi < cr->ngroups && gi < scratch.npoints; gi++) {
    undecided[gi] = scratch.points[gi].verdict == TC_INCONCLUSIVE;
    count += undecided[gi];
  }
  tc_engine_precision_result_clear(&scratch);
  return count;
}

/* One more batch at each undecided point: its next instances, up to
 * twice as many as it has, within its index block. */
static int add_batch(claim_run *cr, const grid_param *g, size_t n, const unsigned char *undecided,
                     size_t *have)
{
  /* A search's confirmation point (after the grid) keeps its one batch:
   * its index block is the search's. */
  for (size_t gi = 0; gi < cr->grid_groups; gi++) {
    if (!undecided[gi])
      continue;
    size_t to = have[gi] > cr->stride / 2 ? cr->stride : 2 * have[gi];
    for (size_t j = have[gi]; j < to; j++) {
      int status = tc_engine_add_job(cr, g, n, gi * cr->stride + j, gi);
      if (status)
        return status;
      cr->added++;
    }
    have[gi] = to;
  }
  return tc_engine_grow_outputs(cr);
}

int tc_engine_run_sequential(claim_run *cr, const grid_param *g, size_t n, int mask,
                             progress_state *ps)
{
  if (cr->stride <= cr->per || cr->opt->only_instance >= 0)
    return TC_SUCCESS;
  int primary = tc_engine_main_backend(mask);
  unsigned char *undecided = calloc(cr->ngroups ? cr->ngroups : 1, 1);
  size_t *have = malloc((cr->ngroups ? cr->ngroups : 1) * sizeof *have);
  int status = undecided && have ? TC_SUCCESS : TC_ENOMEM;
  for (size_t gi = 0; status == TC_SUCCESS && gi < cr->ngroups; gi++)
    have[gi] = cr->per;
  for (size_t look = 1; status == TC_SUCCESS && look < cr->looks; look++) {
    if (undecided_points(undecided, cr, primary) == 0)
      break;
    size_t before = cr->njobs;
    if ((status = add_batch(cr, g, n, undecided, have)))
      break;
    ps->total += (cr->njobs - before) * (size_t)tc_engine_backend_count(mask);
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      if (mask & (1 << b))
        tc_engine_run_range(cr, before, cr->njobs, b, ps);
  }
  free(undecided);
  free(have);
  return status;
}
