/* tc_qr_ws_alloc_{d,mpfr}, tc_qr_ws_free_{d,mpfr} — what a thin QR of an
 * m x n matrix (m >= n) needs, allocated once.  double: a column-major
 * copy for LAPACK, tau, and the larger of dgeqrf's and dorgqr's queried
 * workspaces.  MPFR: the Householder working matrix, beta and alpha, and
 * scratch scalars at prec.  NULL for n == 0, m < n, an invalid precision
 * or no memory. */
#include <stdint.h>
#include <stdlib.h>
#include "num_impl.h"

tc_qr_ws_d *tc_qr_ws_alloc_d(size_t rows, size_t cols, mpfr_prec_t prec)
{
  (void)prec;
  size_t m = rows, n = cols;
  if (n == 0 || m < n || !tc_num_blas_len_ok(m) || m > SIZE_MAX / n / sizeof(double))
    return NULL;
  tc_qr_ws_d *w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  w->m = m;
  w->n = n;
  w->a = malloc(m * n * sizeof(double));
  w->tau = malloc(n * sizeof(double));
  if (w->a == NULL || w->tau == NULL)
    goto fail;
  double q1 = 0.0, q2 = 0.0;
  if (LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, w->a, (lapack_int)m,
                          w->tau, &q1, -1) != 0
      || LAPACKE_dorgqr_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)n,
                             w->a, (lapack_int)m, w->tau, &q2, -1) != 0)
    goto fail;
  w->lwork = (lapack_int)(q1 > q2 ? q1 : q2);
  if (w->lwork < 1)
    w->lwork = 1;
  w->work = malloc((size_t)w->lwork * sizeof(double));
  if (w->work == NULL)
    goto fail;
  return w;
fail:
  tc_qr_ws_free_d(w);
  return NULL;
}

tc_qr_ws_mpfr *tc_qr_ws_alloc_mpfr(size_t rows, size_t cols, mpfr_prec_t prec)
{
  if (cols == 0 || rows < cols || prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
    return NULL;
  tc_qr_ws_mpfr *w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  w->m = rows;
  w->n = cols;
  w->prec = prec;
  w->W = tc_mat_alloc_mpfr(rows, cols, prec);
  w->beta = tc_vec_alloc_mpfr(cols, prec);
  w->alpha = tc_vec_alloc_mpfr(cols, prec);
  for (int k = 0; k < TC_QR_NTMP; k++)
    mpfr_init2(w->tmp[k], prec);
  if (w->W == NULL || w->beta == NULL || w->alpha == NULL) {
    tc_qr_ws_free_mpfr(w);
    return NULL;
  }
  return w;
}

void tc_qr_ws_free_d(tc_qr_ws_d *w)
{
  if (w == NULL)
    return;
  free(w->a);
  free(w->tau);
  free(w->work);
  free(w);
}

void tc_qr_ws_free_mpfr(tc_qr_ws_mpfr *w)
{
  if (w == NULL)
    return;
  for (int k = 0; k < TC_QR_NTMP; k++)
    mpfr_clear(w->tmp[k]);
  tc_mat_free_mpfr(w->W);
  tc_vec_free_mpfr(w->beta);
  tc_vec_free_mpfr(w->alpha);
  free(w);
}
