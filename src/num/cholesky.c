/* tc_cholesky_{d,mpfr} — the two instances of cholesky_source.h. */
#include "num_impl.h"

#define TC_BASE_DOUBLE
#include "tc_templates_on.h"
#include "cholesky_source.h"
#include "tc_templates_off.h"

#define TC_BASE_MPFR
#include "tc_templates_on.h"
#include "cholesky_source.h"
#include "tc_templates_off.h"
