/* tc_cholesky_{d,mpfr} — the two instances of cholesky_source.h. */
#include "num_impl.h"

#define TC_TEMPLATE "cholesky_source.h"
#include "tc_instantiate.h"
