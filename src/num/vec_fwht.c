/* tc_vec_fwht_{d,mpfr} — the two instances of fwht_source.h. */
#include "num_impl.h"

#define TC_TEMPLATE "fwht_source.h"
#include "tc_instantiate.h"
