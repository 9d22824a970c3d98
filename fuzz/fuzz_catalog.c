/* fuzz_catalog — libFuzzer target for the catalog loader.
 *
 * The input is catalog text, loaded with tc_catalog_load_buffer as if it
 * were a file "fuzz.thm".  For every claim loaded, each of its compiled
 * expressions is evaluated at 53 and 113 bits with a lookup that serves
 * the claim's own parameter values first and fixed values otherwise
 * (fuzz_common.h).  Load errors are expected; a crash, leak, undefined
 * behaviour, an unterminated error message or an error without
 * "fuzz.thm:" in front is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tc_catalog.h"
#include "tc_status.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int claim_lookup(mpfr_ptr value, const char *name, void *data)
{
  const tc_claim *cl = data;
  for (size_t i = 0; i < cl->nparams; i++) {
    const tc_param *p = &cl->params[i];
    if (strcmp(p->name, name) != 0)
      continue;
    mpfr_set_d(value, p->is_range ? p->hi : p->values[p->nvalues - 1], MPFR_RNDN);
    return 0;
  }
  return fuzz_lookup(value, name, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  tc_catalog *cat = NULL;
  char err[512];
  memset(err, 'x', sizeof err);
  int status = tc_catalog_load_buffer(&cat, "fuzz.thm", (const char *)data, size, err, sizeof err);
  if (status != TC_SUCCESS) {
    if (cat != NULL || memchr(err, '\0', sizeof err) == NULL ||
        (status != TC_ENOMEM && strncmp(err, "fuzz.thm:", 9) != 0))
      abort();
    return 0;
  }
  static const mpfr_prec_t precs[] = {53, 113};
  mpfr_t r;
  mpfr_init2(r, 53);
  for (size_t i = 0; i < cat->n; i++) {
    const tc_claim *cl = &cat->claims[i];
    if (tc_catalog_find(cat, cl->id) != cl || cl->check == NULL || cl->lhs == NULL)
      abort();
    const tc_expr *exprs[] = {cl->lhs, cl->rhs, cl->probability, cl->reference,
                              cl->exponent, cl->error};
    for (size_t k = 0; k < sizeof exprs / sizeof exprs[0]; k++)
      for (size_t j = 0; exprs[k] != NULL && j < 2; j++) {
        mpfr_set_prec(r, precs[j]);
        tc_expr_eval(r, exprs[k], claim_lookup, (void *)cl, err, sizeof err);
      }
  }
  mpfr_clear(r);
  tc_catalog_free(cat);
  mpfr_free_cache();
  return 0;
}
