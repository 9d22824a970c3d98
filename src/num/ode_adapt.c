/* tc_ode_rk4_adapt (_d, _mpfr) — the instances of ode_adapt_source.h. */
#include <stdlib.h>
#include "num_impl.h"

#define TC_TEMPLATE "ode_adapt_source.h"
#include "tc_instantiate.h"
