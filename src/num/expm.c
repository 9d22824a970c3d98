/* tc_expm_ws_alloc, tc_expm_ws_free, tc_expm_symm_factor,
 * tc_expm_symm_apply (_d, _mpfr) — the instances of expm_source.h. */
#include <stdlib.h>
#include "num_impl.h"

#define TC_TEMPLATE "expm_source.h"
#include "tc_instantiate.h"
