/* Tests of tc_point_seed (src/engine/seed.c): the seed of a point's shared
 * data depends on the tag and on the listed parameters' values, and on
 * nothing else; and it is the documented hash, checked against an
 * independent FNV-1a + SplitMix64 of the documented text. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_check.h"

/* A point from "name=value" pairs: a value that parses as a number is
 * numeric, others symbolic (NaN), as the catalog hands them over. */
typedef struct {
  tc_point_value v[16];
  char buf[16][64];
  tc_point p;
} pt_t;

static void pt_make(pt_t *pt, const char *spec)
{
  char copy[512];
  snprintf(copy, sizeof copy, "%s", spec);
  size_t n = 0;
  for (char *tok = strtok(copy, " "); tok && n < 16; tok = strtok(NULL, " "), n++) {
    snprintf(pt->buf[n], sizeof pt->buf[n], "%s", tok);
    char *eq = strchr(pt->buf[n], '=');
    cr_assert_not_null(eq);
    *eq = '\0';
    char *end;
    double v = strtod(eq + 1, &end);
    pt->v[n] = (tc_point_value){pt->buf[n], (*end == '\0' && end != eq + 1) ? v : NAN, eq + 1};
  }
  pt->p = (tc_point){n, pt->v};
}

static const char *const names[] = {"family", "d", "sigma", "start", NULL};

static uint64_t seed_of(const char *tag, const char *spec)
{
  pt_t pt;
  pt_make(&pt, spec);
  return tc_point_seed(&pt.p, tag, names);
}

/* The documented hash, written independently: FNV-1a of the text, then
 * SplitMix64. */
static uint64_t reference(const char *text)
{
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char *s = text; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

Test(seed, same_point_same_seed)
{
  const char *spec = "family=rotated d=4 sigma=0.5 start=2 step=1";
  cr_assert_eq(seed_of("t|", spec), seed_of("t|", spec));
}

Test(seed, unlisted_parameters_and_order_do_not_matter)
{
  uint64_t s = seed_of("t|", "family=rotated d=4 sigma=0.5 start=2 step=1 iterations=10");
  cr_assert_eq(seed_of("t|", "iterations=10 step=1 family=rotated d=4 sigma=0.5 start=2"), s);
  cr_assert_eq(seed_of("t|", "start=2 sigma=0.5 d=4 family=rotated"), s);
  cr_assert_eq(seed_of("t|", "family=rotated d=4 sigma=0.5 start=2 step=0.25 iterations=99"), s);
}

Test(seed, numbers_count_by_value)
{
  cr_assert_eq(seed_of("t|", "family=rotated d=10 sigma=0.5"), seed_of("t|", "family=rotated d=1e1 sigma=0.5"));
  cr_assert_eq(seed_of("t|", "family=rotated d=4 sigma=0.5"), seed_of("t|", "family=rotated d=4.0 sigma=5e-1"));
  cr_assert_eq(seed_of("t|", "family=rotated d=4 sigma=0"), seed_of("t|", "family=rotated d=4 sigma=-0"));
}

Test(seed, listed_parameters_matter)
{
  uint64_t s = seed_of("t|", "family=rotated d=4 sigma=0.5 start=2");
  cr_assert_neq(seed_of("t|", "family=isotropic d=4 sigma=0.5 start=2"), s, "symbolic value");
  cr_assert_neq(seed_of("t|", "family=rotated d=5 sigma=0.5 start=2"), s, "integer value");
  cr_assert_neq(seed_of("t|", "family=rotated d=4 sigma=0.50000000000000011 start=2"), s, "one ulp");
  cr_assert_neq(seed_of("t|", "family=rotated d=4 sigma=0.5"), s, "absent");
  cr_assert_neq(seed_of("t|", "family=rotated d=4 start=0.5 sigma=2"), s, "values swapped");
}

Test(seed, tag_matters)
{
  const char *spec = "family=rotated d=4 sigma=0.5 start=2";
  cr_assert_neq(seed_of("a|", spec), seed_of("b|", spec));
  cr_assert_neq(seed_of("", spec), seed_of("a|", spec));
}

Test(seed, is_the_documented_hash)
{
  cr_assert_eq(seed_of("", "family=rotated d=1e1 sigma=0.1"),
               reference("family=rotated;d=10;sigma=0.10000000000000001;start=;"));
  cr_assert_eq(seed_of("mod|", "start=3 family=x d=2 sigma=-0"), reference("mod|family=x;d=2;sigma=0;start=3;"));
  static const char *const none[] = {NULL};
  pt_t pt;
  pt_make(&pt, "d=2");
  cr_assert_eq(tc_point_seed(&pt.p, "key|n=6", none), reference("key|n=6"));
}
