/* The engine's backend table (tc_engine.h, src/engine/backends.c) is
 * consistent with TC_BACKEND_LIST (tc_check.h), and every compiled-in
 * module fills every backend's hook: what makes a new backend one entry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "thmcheck.h"
#include "engine/engine_impl.h"

/* The list's suffixes, in its order: the table must name the same. */
#define SUFFIX_(E, suffix) #suffix,
static const char *const list_suffix[] = {TC_BACKEND_LIST(SUFFIX_)};
#undef SUFFIX_

Test(backends, every_entry_is_complete_and_unique)
{
  cr_assert_eq(sizeof list_suffix / sizeof list_suffix[0], (size_t)TC_BACKEND_COUNT);
  for (int b = 0; b < TC_BACKEND_COUNT; b++) {
    const tc_backend_desc *d = &tc_backends[b];
    cr_assert(d->name && d->label && d->suffix && d->record_bits && d->allowance_exp2, "entry %d", b);
    cr_expect_str_eq(d->suffix, list_suffix[b], "entry %d: suffix in TC_BACKEND_LIST order", b);
    cr_expect_eq(tc_backend_find(d->name), b, "%s found by its name", d->name);
    cr_expect_neq(strcmp(d->name, "both"), 0, "'both' is the double+MPFR set, not a backend");
    cr_expect(strchr(d->name, '+') == NULL && strchr(d->name, ':') == NULL, "%s: a --precision word", d->name);
    for (int c = 0; c < b; c++) {
      cr_expect_neq(strcmp(d->name, tc_backends[c].name), 0, "names unique");
      cr_expect_neq(strcmp(d->suffix, tc_backends[c].suffix), 0, "suffixes unique");
    }
    /* A record holds a double exactly; the rounding allowance is coarser
     * than the record's precision (or rounding of the record would count). */
    for (mpfr_prec_t bits = 53; bits <= 4096; bits *= 2) {
      mpfr_prec_t rb = d->record_bits(bits);
      cr_expect_geq(rb, 53, "%s: record holds a double", d->name);
      cr_expect(d->uses_bits ? rb == bits : 1, "%s: records at the run's bits", d->name);
      long a = d->allowance_exp2(bits);
      cr_expect(a < 0 && -a < (long)rb, "%s at %ld bits: allowance 2^%ld", d->name, (long)bits, a);
    }
  }
  cr_expect_eq(tc_backend_find("both"), -1);
  cr_expect_eq(tc_backend_find(""), -1);
}

Test(backends, precision_sets)
{
  cr_expect_eq(TC_PREC_DOUBLE, 1 << TC_BACKEND_DOUBLE);
  cr_expect_eq(TC_PREC_MPFR, 1 << TC_BACKEND_MPFR);
  cr_expect_eq(TC_PREC_ALL, (1 << TC_BACKEND_COUNT) - 1);
  cr_expect_eq(tc_engine_main_backend(TC_PREC_BOTH), TC_BACKEND_MPFR, "MPFR shown when it ran");
  cr_expect_eq(tc_engine_cheapest_backend(TC_PREC_BOTH), TC_BACKEND_DOUBLE, "double leads the search");
  cr_expect_eq(tc_engine_main_backend(TC_PREC_DOUBLE), TC_BACKEND_DOUBLE);
  cr_expect_eq(tc_engine_main_backend(0), -1);
  cr_expect_eq(tc_engine_backend_count(TC_PREC_ALL), TC_BACKEND_COUNT);
  char buf[128];
  tc_backend_set_label(buf, sizeof buf, TC_PREC_BOTH, 128);
  cr_expect_str_eq(buf, "double + MPFR 128 bits");
  tc_backend_set_label(buf, sizeof buf, TC_PREC_MPFR, 96);
  cr_expect_str_eq(buf, "MPFR 96 bits");
  tc_backend_set_label(buf, 8, TC_PREC_BOTH, 128);
  cr_expect_str_eq(buf, "double ", "truncated, terminated");
  tc_backend_set_name(buf, sizeof buf, TC_PREC_BOTH);
  cr_expect_str_eq(buf, "both");
  tc_backend_set_name(buf, sizeof buf, TC_PREC_MPFR);
  cr_expect_str_eq(buf, "mpfr");
}

/* The named members the modules initialise are the array the engine reads. */
Test(backends, module_hooks_alias_the_arrays)
{
  cr_assert_gt(tc_check_count(), 0);
  for (size_t i = 0; i < tc_check_count(); i++) {
    const tc_check *c = tc_check_at(i);
    cr_expect_eq(c->measure[TC_BACKEND_DOUBLE], c->measure_d, "%s", c->name);
    cr_expect_eq(c->measure[TC_BACKEND_MPFR], c->measure_mpfr, "%s", c->name);
    cr_expect_eq(c->prepare[TC_BACKEND_MPFR], c->prepare_mpfr, "%s", c->name);
    cr_expect_eq(c->release[TC_BACKEND_DOUBLE], c->release_d, "%s", c->name);
    for (int b = 0; b < TC_BACKEND_COUNT; b++)
      cr_expect(c->measure[b] != NULL, "%s implements backend %s", c->name, tc_backends[b].name);
  }
}
