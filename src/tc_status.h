/* tc_status.h — status codes returned by every thmcheck library function. */
#ifndef TC_STATUS_H
#define TC_STATUS_H

enum {
  TC_SUCCESS = 0,
  TC_EFAILED = 1,   /* generic failure */
  TC_ENOMEM = 2,    /* allocation failed */
  TC_EBADLEN = 3,   /* operand sizes do not agree */
  TC_EDOM = 4,      /* argument outside the domain of the function */
  TC_EMAXITER = 5,  /* iteration did not converge */
  TC_ENOTPD = 6,    /* matrix not positive definite */
  TC_ESYNTAX = 7,   /* malformed input text (catalog, expression) */
  TC_ENOTFOUND = 8, /* unknown name (claim id, variable, check module) */
  TC_EIO = 9,       /* file could not be read or written */
  TC_ENONFINITE = 10 /* NaN or Inf where a finite value is required */
};

/* A short English description of a status code (never NULL). */
const char *tc_strerror(int status);

/* Turn GSL's error handler (which aborts by default) off for the whole
 * process, once: GSL errors then come back as statuses, which the library
 * checks.  Thread-safe; every library function that calls GSL in a way
 * that can fail calls it, instead of toggling the process-global handler
 * around the call (which races when instances run on several threads). */
void tc_gsl_errors_off(void);

#endif
