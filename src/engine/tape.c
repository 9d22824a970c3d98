/* Noise tapes: an instance's draws, a function of (seed, stream, index),
 * generated lazily in double and kept, so every reader sees the same
 * k-th draw of a stream whatever it read before (tc_check.h). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"

typedef struct {
  gsl_rng *rng;        /* NULL until opened */
  gsl_rng *idle;       /* a generator kept from the tape's previous use */
  tc_draw_kind kind;
  unsigned long n;     /* TC_DRAW_UNIFORM_INT */
  double *v;           /* draws made so far */
  size_t len, cap, cursor;
} tape_stream;

struct tc_tape {
  uint64_t seed;
  int status;
  tape_stream s[TC_TAPE_STREAMS];
};

/* One freed tape per thread waits for the next tc_tape_alloc: the engine
 * makes a tape per instance, and for a cheap module (a ball sample) the
 * tape's allocations were a third of the instance.  A reused tape is a new
 * one to its reader: streams closed, cursors and draws reset, and a kept
 * generator reseeded exactly as tc_rng_alloc seeds one (tc_check.h:
 * gsl_rng_set(r, s) does where unsigned long has 64 bits).  The spare is
 * freed at the thread's exit (the key's destructor). */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static int spare_ok;

static void tape_destroy(tc_tape *t)
{
  for (unsigned i = 0; i < TC_TAPE_STREAMS; i++) {
    if (t->s[i].rng)
      gsl_rng_free(t->s[i].rng);
    if (t->s[i].idle)
      gsl_rng_free(t->s[i].idle);
    free(t->s[i].v);
  }
  free(t);
}

static void spare_destructor(void *t) { tape_destroy(t); }
static void spare_init(void) { spare_ok = pthread_key_create(&spare_key, spare_destructor) == 0; }

tc_tape *tc_tape_alloc(uint64_t seed)
{
  pthread_once(&spare_once, spare_init);
  tc_tape *t = spare_ok ? pthread_getspecific(spare_key) : NULL;
  if (t != NULL && pthread_setspecific(spare_key, NULL) == 0) {
    t->status = 0;
    for (unsigned i = 0; i < TC_TAPE_STREAMS; i++) {
      tape_stream *st = &t->s[i];
      if (st->rng && st->idle == NULL)
        st->idle = st->rng;
      else if (st->rng)
        gsl_rng_free(st->rng);
      st->rng = NULL;
      st->kind = 0;
      st->n = 0;
      st->len = st->cursor = 0;
    }
  } else if ((t = calloc(1, sizeof *t)) == NULL) {
    return NULL;
  }
  t->seed = seed;
  return t;
}

void tc_tape_free(tc_tape *t)
{
  if (t == NULL)
    return;
  if (spare_ok && pthread_getspecific(spare_key) == NULL && pthread_setspecific(spare_key, t) == 0)
    return;
  tape_destroy(t);
}

/* A generator for stream s: the kept one reseeded, else a new one. */
static gsl_rng *stream_rng(tape_stream *st, uint64_t seed)
{
  gsl_rng *rng = st->idle;
  if (rng != NULL && sizeof(unsigned long) >= sizeof(uint64_t) && rng->type == tc_rng_xoshiro256ss) {
    st->idle = NULL;
    gsl_rng_set(rng, (unsigned long)seed);
    return rng;
  }
  return tc_rng_alloc(seed);
}

/* Stream 0 is tc_rng_alloc(seed) itself (the stream modules drew from
 * before tapes existed); the others are seeded from a mix of seed and s. */
static uint64_t stream_seed(uint64_t seed, unsigned s)
{
  return s == 0 ? seed : tc_seed_derive(seed, "tc-tape-stream", s);
}

int tc_tape_open(tc_tape *t, unsigned s, tc_draw_kind kind, unsigned long n)
{
  if (s >= TC_TAPE_STREAMS || (kind == TC_DRAW_UNIFORM_INT && n == 0))
    return TC_EDOM;
  tape_stream *st = &t->s[s];
  if (kind != TC_DRAW_UNIFORM_INT)
    n = 0;
  if (st->rng)
    return st->kind == kind && st->n == n ? TC_SUCCESS : TC_EDOM;
  if ((st->rng = stream_rng(st, stream_seed(t->seed, s))) == NULL)
    return TC_ENOMEM;
  st->kind = kind;
  st->n = n;
  return TC_SUCCESS;
}

static double draw_one(tape_stream *st)
{
  switch (st->kind) {
  case TC_DRAW_UNIFORM: return gsl_rng_uniform(st->rng);
  case TC_DRAW_UNIFORM_POS: return gsl_rng_uniform_pos(st->rng);
  case TC_DRAW_UNIFORM_INT: return (double)gsl_rng_uniform_int(st->rng, st->n);
  case TC_DRAW_GAUSSIAN: return gsl_ran_gaussian(st->rng, 1.0);
  default: return gsl_ran_gaussian_ziggurat(st->rng, 1.0);
  }
}

double tc_tape_at(tc_tape *t, unsigned s, size_t k)
{
  if (s >= TC_TAPE_STREAMS || t->s[s].rng == NULL) {
    t->status = t->status ? t->status : TC_EDOM;
    return NAN;
  }
  tape_stream *st = &t->s[s];
  if (k >= st->cap) {
    size_t cap = st->cap ? st->cap : 64;
    while (cap <= k)
      cap *= 2;
    double *grown = realloc(st->v, cap * sizeof *grown);
    if (grown == NULL) {
      t->status = t->status ? t->status : TC_ENOMEM;
      return NAN;
    }
    st->v = grown;
    st->cap = cap;
  }
  while (st->len <= k)
    st->v[st->len++] = draw_one(st);
  return st->v[k];
}

double tc_tape_next(tc_tape *t, unsigned s)
{
  if (s >= TC_TAPE_STREAMS)
    return tc_tape_at(t, s, 0);
  return tc_tape_at(t, s, t->s[s].cursor++);
}

size_t tc_tape_used(const tc_tape *t, unsigned s)
{
  return s < TC_TAPE_STREAMS ? t->s[s].cursor : 0;
}

void tc_tape_rewind(tc_tape *t)
{
  for (unsigned i = 0; i < TC_TAPE_STREAMS; i++)
    t->s[i].cursor = 0;
}

int tc_tape_status(const tc_tape *t)
{
  return t->status;
}
