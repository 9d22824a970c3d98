/* tc_limits.h — the input limits of thmcheck, in one place.
 *
 * Every count that decides how much memory or time a run takes is capped,
 * and checked before anything is allocated: a typing slip such as
 * `--instances 100000000` or `--catalog /dev/zero` is an input error
 * (exit status 2) with a message naming the flag or file:line, not an
 * exhausted machine.  The values are documented in docs/CATALOG.md
 * ("Limits"), man/thmcheck.1 and `thmcheck --help`; change them there too. */
#ifndef TC_LIMITS_H
#define TC_LIMITS_H

/* Instances per parameter point: `--instances N` and `instances =`.  The
 * largest catalog entry uses 3000. */
#define TC_MAX_INSTANCES 1000000

/* Instance runs of one claim: grid points x instances per point.  Every
 * run keeps its parameter point and its rows until the claim's verdict is
 * decided (10^6 runs of 30 rows in both precisions: 3.6 GB, 150 s), so
 * this bounds memory; the largest catalog entry uses 96000. */
#define TC_MAX_JOBS 1000000

/* Threads of a run: `--jobs N` and tc_run_options.jobs.  Each runs one
 * instance at a time with its own MPFR and BLAS state; beyond the cores
 * there is nothing to gain, and a typo such as `--jobs 1000000` must not
 * start a million threads. */
#define TC_MAX_THREADS 256

/* Points of a claim's parameter grid: the product of its list lengths. */
#define TC_MAX_GRID_POINTS 100000

/* Values in one list parameter (`param d = 2, 10, 50`). */
#define TC_MAX_LIST_VALUES 10000

/* Members of one joint tuple (`param (n, d) = (1, 1), (4, 4)`); the
 * number of tuples is capped by TC_MAX_LIST_VALUES. */
#define TC_MAX_TUPLE_MEMBERS 16

/* Steps of worst-case search (`search =`); each step is one more run. */
#define TC_MAX_SEARCH 100000

/* Counterexample shrinking (src/engine/shrink.c): after a FAIL, at most
 * TC_SHRINK_RUNS single-instance candidates per precision (deterministic
 * claims), or TC_SHRINK_POINTS candidate points each re-sampled with the
 * claim's instances per point (probability, expectation, rate).  Shrink
 * runs are numbered from TC_SHRINK_FIRST_INDEX, past every sampled
 * instance and search step a claim can have, so their seeds are fresh. */
#define TC_SHRINK_RUNS 100
#define TC_SHRINK_POINTS 6
#define TC_SHRINK_FIRST_INDEX (TC_MAX_JOBS + TC_MAX_SEARCH)

/* Mutants of one claim: each re-evaluates every row once more. */
#define TC_MAX_MUTANTS 16

/* Bytes of one catalog file; the whole catalog today is under 40 KB. */
#define TC_MAX_CATALOG_BYTES (1024 * 1024)

/* MPFR precision of `--precision mpfr:BITS` / `both:BITS`.  Below 53 bits
 * the MPFR run is less precise than the double run it is meant to check
 * (and its rounding allowance 2^-(BITS-16) would swallow real
 * violations); 4096 bits is 32 times the default and more than any
 * catalog entry needs, while the cost of every operation keeps growing. */
#define TC_MIN_BITS 53
#define TC_MAX_BITS 4096

#endif
