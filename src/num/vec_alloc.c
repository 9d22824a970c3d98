/* tc_vec_alloc_{d,mpfr}, tc_vec_free_{d,mpfr} — vectors whose elements
 * start at +0.  A zero length is refused (NULL) so that every vector the
 * other routines see has data, and an MPFR precision outside MPFR's range
 * is refused rather than left to abort inside mpfr_init2.  An MPFR vector
 * also gets its table of element pointers (ptr), which mpfr_dot reads. */
#include <stdint.h>
#include <stdlib.h>
#include "tc_linalg.h"

tc_vec_d *tc_vec_alloc_d(size_t n, mpfr_prec_t prec)
{
  (void)prec;
  if (n == 0 || n > SIZE_MAX / sizeof(double))
    return NULL;
  tc_vec_d *v = malloc(sizeof *v);
  if (v == NULL)
    return NULL;
  /* calloc's all-zero bytes are +0.0 in IEEE 754 binary64. */
  v->data = calloc(n, sizeof(double));
  if (v->data == NULL) {
    free(v);
    return NULL;
  }
  v->n = n;
  return v;
}

tc_vec_mpfr *tc_vec_alloc_mpfr(size_t n, mpfr_prec_t prec)
{
  if (n == 0 || n > SIZE_MAX / sizeof(mpfr_t) || prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
    return NULL;
  tc_vec_mpfr *v = malloc(sizeof *v);
  if (v == NULL)
    return NULL;
  v->data = malloc(n * sizeof(mpfr_t));
  v->ptr = malloc(n * sizeof(mpfr_ptr));
  if (v->data == NULL || v->ptr == NULL) {
    free(v->data);
    free(v->ptr);
    free(v);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    v->ptr[i] = v->data[i];
    mpfr_init2(v->data[i], prec);
    mpfr_set_zero(v->data[i], 1);
  }
  v->n = n;
  v->prec = prec;
  return v;
}

void tc_vec_free_d(tc_vec_d *v)
{
  if (v == NULL)
    return;
  free(v->data);
  free(v);
}

void tc_vec_free_mpfr(tc_vec_mpfr *v)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < v->n; i++)
    mpfr_clear(v->data[i]);
  free(v->data);
  free(v->ptr);
  free(v);
}
