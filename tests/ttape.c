/* Noise tapes and per-point prepare (tc_check.h): draws by index are the
 * same for every reader whatever its branches, stream 0 is the stream
 * of tc_rng_alloc(seed), and the engine prepares a point once per
 * precision. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "thmcheck.h"

extern const tc_check tc_check_ntk_gram;

Test(tape, stream0_is_the_instance_rng)
{
  tc_tape *t = tc_tape_alloc(42);
  gsl_rng *rng = tc_rng_alloc(42);
  cr_assert_eq(tc_tape_open(t, 0, TC_DRAW_GAUSSIAN_ZIGGURAT, 0), TC_SUCCESS);
  for (int k = 0; k < 100; k++)
    cr_assert_eq(tc_tape_next(t, 0), gsl_ran_gaussian_ziggurat(rng, 1.0), "draw %d", k);
  cr_assert_eq(tc_tape_used(t, 0), 100);
  cr_assert_eq(tc_tape_open(t, 0, TC_DRAW_UNIFORM, 0), TC_EDOM, "a stream keeps its kind");
  cr_assert_eq(tc_tape_status(t), TC_SUCCESS);
  gsl_rng_free(rng);
  tc_tape_free(t);
}

/* Perturbed GD: noise is drawn only when |grad| is small, and the two
 * backends may decide that at different steps.  With noise on its own
 * stream each backend's j-th noise draw is the same value, and the index
 * stream is not shifted by the other's branches. */
static void branchy_run(tc_tape *t, const int *small, int steps, double *noise, int *nnoise,
                        double *index)
{
  tc_tape_open(t, 1, TC_DRAW_UNIFORM_INT, 10);
  tc_tape_open(t, 2, TC_DRAW_GAUSSIAN, 0);
  *nnoise = 0;
  for (int k = 0; k < steps; k++) {
    index[k] = tc_tape_next(t, 1);
    if (small[k])
      for (int l = 0; l < 3; l++)
        noise[(*nnoise)++] = tc_tape_next(t, 2);
  }
}

Test(tape, branches_that_differ_read_the_same_draws_by_index)
{
  enum { K = 50 };
  int small_d[K], small_m[K];
  for (int k = 0; k < K; k++) {
    small_d[k] = k % 7 == 3;              /* "double" meets small gradients here */
    small_m[k] = k % 7 == 3 || k % 11 == 5; /* "MPFR" here and a few more times */
  }
  tc_tape *t = tc_tape_alloc(7);
  double nd[3 * K], nm[3 * K], id[K], im[K];
  int cd, cm;
  branchy_run(t, small_d, K, nd, &cd, id);
  tc_tape_rewind(t); /* the second backend reads the same tape */
  branchy_run(t, small_m, K, nm, &cm, im);
  cr_assert(cm > cd);
  for (int k = 0; k < K; k++)
    cr_assert_eq(id[k], im[k], "index draw %d", k);
  for (int j = 0; j < cd; j++)
    cr_assert_eq(nd[j], nm[j], "noise draw %d", j);
  /* and a fresh tape from the same seed (a backend run alone) agrees */
  tc_tape *u = tc_tape_alloc(7);
  branchy_run(u, small_m, K, nd, &cd, id);
  for (int j = 0; j < cm; j++)
    cr_assert_eq(nd[j], nm[j], "fresh tape, noise draw %d", j);
  cr_assert_eq(tc_tape_at(u, 2, 5), nm[5]);
  cr_assert(isnan(tc_tape_at(u, 3, 0)), "an unopened stream reads NaN");
  cr_assert_eq(tc_tape_status(u), TC_EDOM);
  tc_tape_free(t);
  tc_tape_free(u);
}

/* ---- prepare counts: the NTK module's per-point setup ---- */

static size_t n_prepare, n_validate, n_measure;
static tc_check counted;

static int count_prepare(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  n_prepare++;
  return tc_check_ntk_gram.prepare_d(shared, inst, err, errlen);
}

static int count_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  n_validate++;
  return tc_check_ntk_gram.validate(p, param, err, errlen);
}

static int count_measure(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  n_measure++;
  cr_assert_not_null(inst->prepared, "the engine hands measure the point's data");
  cr_assert_not_null(inst->tape);
  return tc_check_ntk_gram.measure_d(out, inst, err, errlen);
}

/* 30 double-only instances at one point of a claim that passes (a FAIL
 * would also run shrink candidates): before the hook the module built
 * its setup (data set, kernel, eigenvalues) 90 times (validate twice and
 * measure once per instance); now validate runs once per point per pass
 * (preflight and run) and prepare once per point and precision: 3. */
Test(tape, ntk_point_is_prepared_once)
{
  const char *text = "[ntk-count]\nsource = s\nstatement = x\nkind = probability\ncheck = ntk-gram\n"
                     "lhs = lambda_G\nrhs = 2 * lambda_G\nprobability = 0.5\n"
                     "param n = 4\nparam d = 4\nparam delta = 0.1\n";
  char path[] = "/tmp/ttapeXXXXXX.thm";
  int fd = mkstemps(path, 4);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  tc_catalog *cat = NULL;
  char err[512] = "";
  cr_assert_eq(tc_catalog_load_file(&cat, path, err, sizeof err), TC_SUCCESS, "%s", err);
  unlink(path);
  counted = tc_check_ntk_gram;
  counted.prepare_d = count_prepare;
  counted.validate = count_validate;
  counted.measure_d = count_measure;
  cat->claims[0].check = &counted;
  tc_run_options opt;
  tc_run_options_init(&opt);
  opt.precision = TC_PREC_DOUBLE;
  opt.instances = 30;
  tc_run_result *res = NULL;
  const tc_claim *cl = &cat->claims[0];
  cr_assert_eq(tc_run_claims(&res, &cl, 1, &opt, err, sizeof err), TC_SUCCESS, "%s", err);
  cr_expect_eq(n_measure, 30);
  cr_expect_eq(n_prepare, 1, "prepare ran %zu times", n_prepare);
  cr_expect_eq(n_validate, 2, "validate ran %zu times", n_validate);
  cr_expect_neq(res->claims[0].verdict, TC_ERROR);
  tc_run_result_free(res);
  tc_catalog_free(cat);
}
