/* tc_backends.h — the table of numeric backends (private, not installed).
 *
 * One entry per backend.  tc_templates_on.h reads the entry selected by
 * TC_BASE_<NAME> and gives the generic names of the operation list their
 * meaning for that backend; tc_instantiate.h compiles a template once per
 * entry.  An entry defines:
 *
 *   REAL, REAL_PTR, REAL_SRCPTR   scalar type, what it decays to, const
 *   TC_SUFFIX                     suffix of the backend's functions
 *   TC_BASE_NAME                  its name in messages
 *   TC_BASE_INDEX                 its slot in the engine's per-precision
 *                                 arrays (0 double, 1 MPFR)
 *
 * Adding a backend (e.g. an interval/ball type that certifies a bound):
 * one entry here, one line in tc_instantiate.h, and a function
 * STEM_<suffix> for every TC_OP(STEM) of tc_templates_on.h
 * (tests/tops_list.sh lists the ones missing). */
#ifndef TC_BACKENDS_H
#define TC_BACKENDS_H
#define TC_NBACKENDS 2
#endif

#if defined(TC_BASE_DOUBLE) + defined(TC_BASE_MPFR) != 1
#error "define exactly one TC_BASE_<backend> before tc_templates_on.h"
#endif

#if defined(TC_BASE_DOUBLE)
#define REAL tc_real_d
#define REAL_PTR tc_real_ptr_d
#define REAL_SRCPTR tc_real_srcptr_d
#define TC_SUFFIX d
#define TC_BASE_NAME "double"
#define TC_BASE_INDEX 0
#elif defined(TC_BASE_MPFR)
#define REAL mpfr_t
#define REAL_PTR mpfr_ptr
#define REAL_SRCPTR mpfr_srcptr
#define TC_SUFFIX mpfr
#define TC_BASE_NAME "mpfr"
#define TC_BASE_INDEX 1
#endif
