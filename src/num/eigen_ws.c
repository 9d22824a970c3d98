/* tc_eigen_ws_alloc_{d,mpfr}, tc_eigen_ws_free_{d,mpfr} and the
 * workspaces' contents (tc_num_eigen_ws_init/clear, shared with the
 * eigenvector workspaces of eigenv_ws.c) — everything a symmetric
 * eigenvalue computation of size n needs, allocated once so that repeated
 * calls (a check sweeping over seeds) never allocate.
 *
 * double: the copy LAPACK destroys and dsyevd's work arrays, sized by
 * LAPACK's own workspace query for jobz ('N' values, 'V' vectors too).
 * MPFR: the copy that the Householder reflections overwrite, the
 * tridiagonal form and the scratch of the QL iteration, all at the working
 * precision prec + TC_EIGEN_GUARD (num_impl.h).
 * NULL for n == 0, an invalid MPFR precision, or allocation failure. */
#include <stdlib.h>
#include "num_impl.h"

int tc_num_eigen_ws_init_d(struct tc_eigen_ws_d *w, size_t n, char jobz)
{
  if (n == 0 || !tc_num_blas_len_ok(n) || n > SIZE_MAX / n / sizeof(double))
    return TC_EBADLEN;
  w->n = n;
  w->a = malloc(n * n * sizeof(double));
  if (w->a == NULL)
    return TC_ENOMEM;

  /* Workspace query (lwork = liwork = -1): nothing is computed. */
  double wq = 0.0, dummy = 0.0;
  lapack_int iwq = 0;
  lapack_int info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'U', (lapack_int)n,
                                        w->a, (lapack_int)n, &dummy, &wq, -1, &iwq, -1);
  if (info != 0)
    return TC_EFAILED;
  w->lwork = (lapack_int)wq;
  w->liwork = iwq;
  if (w->lwork < 1)
    w->lwork = 1;
  if (w->liwork < 1)
    w->liwork = 1;
  w->work = malloc((size_t)w->lwork * sizeof(double));
  w->iwork = malloc((size_t)w->liwork * sizeof(lapack_int));
  if (w->work == NULL || w->iwork == NULL)
    return TC_ENOMEM;
  return TC_SUCCESS;
}

void tc_num_eigen_ws_clear_d(struct tc_eigen_ws_d *w)
{
  free(w->a);
  free(w->work);
  free(w->iwork);
}

int tc_num_eigen_ws_init_mpfr(struct tc_eigen_ws_mpfr *w, size_t n, mpfr_prec_t prec)
{
  if (n == 0 || prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX - TC_EIGEN_GUARD)
    return TC_EBADLEN;
  mpfr_prec_t wp = prec + TC_EIGEN_GUARD;
  w->n = n;
  w->prec = prec;
  w->wprec = wp;
  w->a = tc_mat_alloc_mpfr(n, n, wp);
  w->d = tc_vec_alloc_mpfr(n, wp);
  w->e = tc_vec_alloc_mpfr(n, wp);
  w->tau = tc_vec_alloc_mpfr(n, wp);
  w->p = tc_vec_alloc_mpfr(n, wp);
  w->v = tc_vec_alloc_mpfr(n, wp);
  if (!w->a || !w->d || !w->e || !w->tau || !w->p || !w->v)
    return TC_ENOMEM;
  for (int k = 0; k < TC_EIGEN_NTMP; k++)
    mpfr_init2(w->s[k], wp);
  w->s_init = 1;
  return TC_SUCCESS;
}

void tc_num_eigen_ws_clear_mpfr(struct tc_eigen_ws_mpfr *w)
{
  if (w->s_init)
    for (int k = 0; k < TC_EIGEN_NTMP; k++)
      mpfr_clear(w->s[k]);
  tc_mat_free_mpfr(w->a);
  tc_vec_free_mpfr(w->d);
  tc_vec_free_mpfr(w->e);
  tc_vec_free_mpfr(w->tau);
  tc_vec_free_mpfr(w->p);
  tc_vec_free_mpfr(w->v);
}

tc_eigen_ws_d *tc_eigen_ws_alloc_d(size_t n, mpfr_prec_t prec)
{
  (void)prec;
  tc_eigen_ws_d *w = calloc(1, sizeof *w);
  if (w != NULL && tc_num_eigen_ws_init_d(w, n, 'N') != TC_SUCCESS) {
    tc_eigen_ws_free_d(w);
    return NULL;
  }
  return w;
}

tc_eigen_ws_mpfr *tc_eigen_ws_alloc_mpfr(size_t n, mpfr_prec_t prec)
{
  tc_eigen_ws_mpfr *w = calloc(1, sizeof *w);
  if (w != NULL && tc_num_eigen_ws_init_mpfr(w, n, prec) != TC_SUCCESS) {
    tc_eigen_ws_free_mpfr(w);
    return NULL;
  }
  return w;
}

void tc_eigen_ws_free_d(tc_eigen_ws_d *w)
{
  if (w == NULL)
    return;
  tc_num_eigen_ws_clear_d(w);
  free(w);
}

void tc_eigen_ws_free_mpfr(tc_eigen_ws_mpfr *w)
{
  if (w == NULL)
    return;
  tc_num_eigen_ws_clear_mpfr(w);
  free(w);
}
