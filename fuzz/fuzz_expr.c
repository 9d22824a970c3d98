/* fuzz_expr — libFuzzer target for the expression language alone.
 *
 * The first input byte chooses the precision (MPFR's smallest, 1 bit, to
 * 1012 bits); the rest is the expression text.  The text is
 * parsed, its names listed, evaluated, and freed: any crash, leak,
 * undefined behaviour or sanitizer report is a bug.  Errors returned
 * by the parser or the evaluator are expected and ignored. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tc_expr.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_name(const char *name, void *data)
{
  (void)name;
  ++*(size_t *)data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  mpfr_prec_t prec = MPFR_PREC_MIN + (data[0] & 0x3f) * 16 + (data[0] >> 6);
  char *text = malloc(size);
  if (text == NULL)
    return 0;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';   /* an embedded NUL just ends the text early */

  char err[128];
  tc_expr *e = tc_expr_parse(text, err, sizeof err);
  if (e != NULL) {
    size_t n = 0;
    tc_expr_foreach_name(e, count_name, &n);
    mpfr_t r;
    mpfr_init2(r, prec);
    tc_expr_eval(r, e, fuzz_lookup, NULL, err, sizeof err);
    tc_expr_eval(r, e, NULL, NULL, NULL, 0);
    mpfr_clear(r);
    tc_expr_free(e);
  }
  free(text);
  mpfr_free_cache();
  return 0;
}
