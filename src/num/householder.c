/* tc_num_householder_qr_{d,mpfr} — the two instances of
 * householder_source.h (the MPFR one is tc_qr_mpfr's engine). */
#include "num_impl.h"

#define TC_BASE_DOUBLE
#include "tc_templates_on.h"
#define HOUSEHOLDER_WS tc_num_householder_ws_d
#include "householder_source.h"
#undef HOUSEHOLDER_WS
#include "tc_templates_off.h"

#define TC_BASE_MPFR
#include "tc_templates_on.h"
#define HOUSEHOLDER_WS struct tc_qr_ws_mpfr
#include "householder_source.h"
#undef HOUSEHOLDER_WS
#include "tc_templates_off.h"
