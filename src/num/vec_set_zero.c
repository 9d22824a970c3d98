/* tc_vec_set_zero_{d,mpfr} — every element to +0. */
#include "tc_linalg.h"

int tc_vec_set_zero_d(tc_vec_d *v)
{
  for (size_t i = 0; i < v->n; i++)
    v->data[i] = 0.0;
  return TC_SUCCESS;
}

int tc_vec_set_zero_mpfr(tc_vec_mpfr *v)
{
  for (size_t i = 0; i < v->n; i++)
    mpfr_set_zero(v->data[i], 1);
  return TC_SUCCESS;
}
