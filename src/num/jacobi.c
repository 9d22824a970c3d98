/* tc_num_jacobi_{d,mpfr} — the two instances of jacobi_source.h. */
#include "num_impl.h"

#define TC_TEMPLATE "jacobi_source.h"
#include "tc_instantiate.h"
