/* tc_eigenv_ws_alloc_{d,mpfr}, tc_eigenv_ws_free_{d,mpfr} — workspaces for
 * eigenvalues and eigenvectors (tc_eigen_symmv): dsyevd's larger 'V'
 * workspace in double; in MPFR the eigenvalue workspace and the matrix in
 * which the eigenvectors accumulate.  NULL for
 * n == 0, an invalid MPFR precision, or allocation failure. */
#include <stdlib.h>
#include "num_impl.h"

tc_eigenv_ws_d *tc_eigenv_ws_alloc_d(size_t n, mpfr_prec_t prec)
{
  (void)prec;
  tc_eigenv_ws_d *w = calloc(1, sizeof *w);
  if (w != NULL && tc_num_eigen_ws_init_d(&w->e, n, 'V') != TC_SUCCESS) {
    tc_eigenv_ws_free_d(w);
    return NULL;
  }
  return w;
}

tc_eigenv_ws_mpfr *tc_eigenv_ws_alloc_mpfr(size_t n, mpfr_prec_t prec)
{
  tc_eigenv_ws_mpfr *w = calloc(1, sizeof *w);
  if (w != NULL && (tc_num_eigen_ws_init_mpfr(&w->e, n, prec) != TC_SUCCESS
                    || (w->z = tc_mat_alloc_mpfr(n, n, prec + TC_EIGEN_GUARD)) == NULL)) {
    tc_eigenv_ws_free_mpfr(w);
    return NULL;
  }
  return w;
}

void tc_eigenv_ws_free_d(tc_eigenv_ws_d *w)
{
  if (w == NULL)
    return;
  tc_num_eigen_ws_clear_d(&w->e);
  free(w);
}

void tc_eigenv_ws_free_mpfr(tc_eigenv_ws_mpfr *w)
{
  if (w == NULL)
    return;
  tc_num_eigen_ws_clear_mpfr(&w->e);
  tc_mat_free_mpfr(w->z);
  free(w);
}
