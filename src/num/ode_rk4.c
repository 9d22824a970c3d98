/* tc_ode_rk4_step, tc_ode_ws_alloc, tc_ode_ws_free (_d, _mpfr) — the
 * instances of ode_source.h. */
#include <stdlib.h>
#include "num_impl.h"

#define TC_TEMPLATE "ode_source.h"
#include "tc_instantiate.h"
