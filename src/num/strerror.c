/* tc_strerror — the message for a status code, in the spirit of
 * gsl_strerror: a fixed string, so callers may use it without freeing. */
#include <pthread.h>
#include <gsl/gsl_errno.h>
#include "tc_status.h"

const char *tc_strerror(int status)
{
  switch (status) {
  case TC_SUCCESS: return "success";
  case TC_EFAILED: return "failure";
  case TC_ENOMEM: return "out of memory";
  case TC_EBADLEN: return "operand sizes do not agree";
  case TC_EDOM: return "argument outside the domain";
  case TC_EMAXITER: return "iteration did not converge";
  case TC_ENOTPD: return "matrix not positive definite";
  case TC_ESYNTAX: return "syntax error";
  case TC_ENOTFOUND: return "not found";
  case TC_EIO: return "input/output error";
  case TC_ENONFINITE: return "non-finite value";
  default: return "unknown status";
  }
}

static void gsl_errors_off_once(void)
{
  gsl_set_error_handler_off();
}

void tc_gsl_errors_off(void)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, gsl_errors_off_once);
}
