/* householder_source.h — thin QR by Householder reflections, written once
 * in the generic names of tc_templates_on.h and instantiated by
 * householder.c.  The MPFR instance is tc_qr_mpfr; the double one lets the
 * tests hold this very code against LAPACK's dgeqrf/dorgqr.
 *
 * Column k: with s = ||W[k:m, k]|| and alpha = -sign(w_kk) s (the sign
 * that avoids cancellation in v_0 = w_kk - alpha), the reflector
 * H = I - beta v v^T, v = (w_kk - alpha, w_{k+1,k}, ...), beta =
 * -1/(alpha v_0), maps the column to alpha e_k.  v overwrites the column
 * below R.  Q = H_0 ... H_{n-1} [I; 0] is formed backwards (each H_k acts
 * on rows k.. and columns k.. only).  Finally each column of Q and row of
 * R with alpha_k < 0 is negated, so diag(R) >= 0. */

int FUNCTION(tc_num_householder_qr)(MAT *Q, MAT *R, const MAT *A, HOUSEHOLDER_WS *w)
{
  size_t m = w->m, n = w->n;
  if (A->rows != m || A->cols != n || Q->rows != m || Q->cols != n || R->rows != n
      || R->cols != n)
    return TC_EBADLEN;
  if (!FUNCTION(tc_num_all_finite)(A))
    return TC_ENONFINITE;
  MAT *W = w->W;
  REAL_PTR s = w->tmp[0];
  REAL_PTR t = w->tmp[1];
  mat_copy(W, A);

  for (size_t k = 0; k < n; k++) {
    REAL_PTR alpha = vec_at(w->alpha, k);
    REAL_PTR beta = vec_at(w->beta, k);
    r_set_si(s, 0);
    for (size_t i = k; i < m; i++)
      r_fma(s, mat_at(W, i, k), mat_at(W, i, k), s);
    r_sqrt(s, s);
    if (r_sgn(s) == 0) {
      /* A zero column: no reflection (beta = 0), R_kk = 0. */
      r_set_si(alpha, 0);
      r_set_si(beta, 0);
      continue;
    }
    if (r_sgn(mat_at(W, k, k)) >= 0)
      r_neg(alpha, s);
    else
      r_set(alpha, s);
    r_sub(mat_at(W, k, k), mat_at(W, k, k), alpha); /* v_0 */
    r_mul(beta, alpha, mat_at(W, k, k));
    r_set_si(t, -1);
    r_div(beta, t, beta);
    for (size_t j = k + 1; j < n; j++) {
      r_set_si(s, 0);
      for (size_t i = k; i < m; i++)
        r_fma(s, mat_at(W, i, k), mat_at(W, i, j), s);
      r_mul(s, s, beta);
      r_neg(s, s);
      for (size_t i = k; i < m; i++)
        r_fma(mat_at(W, i, j), s, mat_at(W, i, k), mat_at(W, i, j));
    }
  }

  mat_set_zero(R);
  for (size_t k = 0; k < n; k++) {
    r_set(mat_at(R, k, k), vec_at(w->alpha, k));
    for (size_t j = k + 1; j < n; j++)
      r_set(mat_at(R, k, j), mat_at(W, k, j));
  }
  mat_set_zero(Q);
  for (size_t j = 0; j < n; j++)
    r_set_si(mat_at(Q, j, j), 1);
  for (size_t k = n; k-- > 0;) {
    REAL_PTR beta = vec_at(w->beta, k);
    if (r_sgn(beta) == 0)
      continue;
    for (size_t j = k; j < n; j++) {
      r_set_si(s, 0);
      for (size_t i = k; i < m; i++)
        r_fma(s, mat_at(W, i, k), mat_at(Q, i, j), s);
      r_mul(s, s, beta);
      r_neg(s, s);
      for (size_t i = k; i < m; i++)
        r_fma(mat_at(Q, i, j), s, mat_at(W, i, k), mat_at(Q, i, j));
    }
  }
  for (size_t k = 0; k < n; k++)
    if (r_sgn(mat_at(R, k, k)) < 0) {
      for (size_t j = k; j < n; j++)
        r_neg(mat_at(R, k, j), mat_at(R, k, j));
      for (size_t i = 0; i < m; i++)
        r_neg(mat_at(Q, i, k), mat_at(Q, i, k));
    }
  return TC_SUCCESS;
}
