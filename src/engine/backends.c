/* The engine's table of backends (tc_engine.h, tc_backend_desc): what the
 * engine, the reporters and the CLI know of each.  One entry per entry of
 * TC_BACKEND_LIST (tc_check.h), in its order; tests/tbackends.c checks
 * that they agree. */
#include <stdio.h>
#include <string.h>
#include "engine_impl.h"

static mpfr_prec_t double_record_bits(mpfr_prec_t bits)
{
  (void)bits;
  return 64; /* a double is stored exactly */
}

/* 2^-40: a double computation's rows carry the rounding of long loops. */
static long double_allowance(mpfr_prec_t bits)
{
  (void)bits;
  return -40L;
}

static mpfr_prec_t mpfr_record_bits(mpfr_prec_t bits)
{
  return bits;
}

/* 2^-(bits-16): 16 bits of slack for the module's accumulated rounding. */
static long mpfr_allowance(mpfr_prec_t bits)
{
  return -(long)(bits > 24 ? bits - 16 : 8);
}

const tc_backend_desc tc_backends[TC_BACKEND_COUNT] = {
  [TC_BACKEND_DOUBLE] = {"double", "double", "d", 0, double_record_bits, double_allowance},
  [TC_BACKEND_MPFR] = {"mpfr", "MPFR", "mpfr", 1, mpfr_record_bits, mpfr_allowance},
#ifdef TC_TEST_THIRD_BACKEND
  /* Test only: a third entry, to show that the engine, the reporters and
   * the CLI pick a backend up from this table alone (tests/tbackend3.c). */
  [TC_BACKEND_TEST] = {"test", "test", "test", 0, double_record_bits, double_allowance},
#endif
};

int tc_backend_find(const char *name)
{
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (strcmp(tc_backends[b].name, name) == 0)
      return b;
  return -1;
}

/* snprintf at buf+*at, keeping *at within the buffer (truncating). */
static void append(char *buf, size_t len, size_t *at, const char *fmt, const char *s, long n)
{
  if (*at + 1 >= len)
    return;
  int k = snprintf(buf + *at, len - *at, fmt, s, n);
  if (k > 0)
    *at = *at + (size_t)k < len ? *at + (size_t)k : len - 1;
}

void tc_backend_set_label(char *buf, size_t len, int precision, long bits)
{
  size_t at = 0;
  if (len)
    buf[0] = '\0';
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    if (!(precision & (1 << b)))
      continue;
    append(buf, len, &at, at ? " + %s" : "%s", tc_backends[b].label, 0);
    if (tc_backends[b].uses_bits)
      append(buf, len, &at, "%s %ld bits", "", bits);
  }
}

void tc_backend_set_name(char *buf, size_t len, int precision)
{
  size_t at = 0;
  if (len)
    buf[0] = '\0';
  if (precision == TC_PREC_BOTH) {
    append(buf, len, &at, "%s", "both", 0);
    return;
  }
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (precision & (1 << b))
      append(buf, len, &at, at ? "+%s" : "%s", tc_backends[b].name, 0);
}

int tc_engine_main_backend(int mask)
{
  for (int b = TC_BACKEND_COUNT - 1; b >= 0; b--)
    if (mask & (1 << b))
      return b;
  return -1;
}

int tc_engine_cheapest_backend(int mask)
{
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (mask & (1 << b))
      return b;
  return -1;
}

int tc_engine_backend_count(int mask)
{
  int n = 0;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    n += (mask >> b) & 1;
  return n;
}

int tc_engine_run_mask(const claim_run *cr)
{
  int mask = 0;
  for (int b = 0; b < TC_BACKEND_COUNT; b++)
    if (cr->out[b] != NULL)
      mask |= 1 << b;
  return mask;
}
