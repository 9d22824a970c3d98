/* thmcheck.h — the public interface of libthmcheck. */
#ifndef THMCHECK_H
#define THMCHECK_H
#include "tc_status.h"
#include "tc_limits.h"
#include "tc_real.h"
#include "tc_linalg.h"
#include "tc_special.h"
#include "tc_ode.h"
#include "tc_stats.h"
#include "tc_expr.h"
#include "tc_check.h"
#include "tc_catalog.h"
#include "tc_engine.h"
#include "tc_report.h"
#endif
