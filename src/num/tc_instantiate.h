/* tc_instantiate.h — compile a template once per backend of tc_backends.h
 * (private, not installed).
 *
 *   #define TC_TEMPLATE "pl_gd_source.h"
 *   #include "num/tc_instantiate.h"
 *
 * is GSL's templates_on.h / source / templates_off.h sequence, repeated
 * for each backend: pl_gd_source.h's FUNCTION(pl_gd_measure) becomes
 * pl_gd_measure_d and pl_gd_measure_mpfr.  The template is found on the
 * include path (src/num and checks/ are on it).  TC_TEMPLATE is undefined
 * afterwards, so a file may instantiate several templates. */
#ifndef TC_TEMPLATE
#error "define TC_TEMPLATE (the template's file name, quoted) before tc_instantiate.h"
#endif

#define TC_BASE_DOUBLE
#include "tc_templates_on.h"
#include TC_TEMPLATE
#include "tc_templates_off.h"

#define TC_BASE_MPFR
#include "tc_templates_on.h"
#include TC_TEMPLATE
#include "tc_templates_off.h"

#if TC_NBACKENDS != 2
#error "tc_instantiate.h does not instantiate every backend of tc_backends.h"
#endif
#undef TC_TEMPLATE
