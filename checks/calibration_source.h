/* Calibration instances, written once for both backends (see calibration.c). */
static int FUNCTION(calibration_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  const char *shape = tc_point_text(inst->point, "shape");
  double value = tc_point_get_or(inst->point, "value", 1.0);
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  if (rng == NULL)
    return TC_ENOMEM;
  REAL y;
  r_init(y, inst->prec);
  int status = TC_SUCCESS;
  if (strcmp(shape, "sequence") == 0) {
    /* y_k = value * 2^-k: a deterministic sequence with a known bound. */
    long rows = (long)tc_point_get_or(inst->point, "rows", 10);
    for (long k = 1; k <= rows && status == TC_SUCCESS; k++) {
      r_set_double(y, value);
      r_mul_double(y, y, ldexp(1.0, (int)-k));
      if ((status = tc_record_put_double(out, "k", (double)k)) == TC_SUCCESS &&
          (status = record_put(out, "y", y)) == TC_SUCCESS)
        status = tc_record_end_row(out);
    }
  } else if (strcmp(shape, "bernoulli") == 0) {
    double p = tc_point_get_or(inst->point, "p", 0.5);
    r_set_double(y, gsl_rng_uniform(rng) < p ? 1.0 : 0.0);
    status = record_put(out, "event", y);
  } else if (strcmp(shape, "gaussian") == 0) {
    double mean = tc_point_get_or(inst->point, "mean", 0.0), sd = tc_point_get_or(inst->point, "sd", 1.0);
    r_set_double(y, mean + sd * gsl_ran_gaussian(rng, 1.0));
    status = record_put(out, "x", y);
  } else if (strcmp(shape, "power") == 0) {
    /* y = m^alpha * lognormal noise: a rate claim with a known exponent. */
    double m = tc_point_get_or(inst->point, "m", 1.0), alpha = tc_point_get_or(inst->point, "alpha", -0.5);
    double sd = tc_point_get_or(inst->point, "sd", 0.1);
    r_set_double(y, pow(m, alpha) * exp(sd * gsl_ran_gaussian(rng, 1.0)));
    status = record_put(out, "y", y);
  } else if (strcmp(shape, "cancellation") == 0) {
    /* y = (1 + value) - 1: exact in MPFR, 0 in double for value < 2^-53,
     * so the two backends must be seen to disagree. */
    REAL one;
    r_init(one, inst->prec);
    r_set_double(one, 1.0);
    r_add_double(y, one, value);
    r_sub(y, y, one);
    r_clear(one);
    status = record_put(out, "y", y);
  } else {
    /* shape = nan: a module that returns NaN must never produce a PASS. */
    r_set_double(y, NAN);
    status = record_put(out, "y", y);
  }
  (void)err;
  (void)errlen;
  r_clear(y);
  gsl_rng_free(rng);
  return status;
}
