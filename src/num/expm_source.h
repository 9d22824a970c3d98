/* expm_source.h — the action of exp(tA) on a vector for symmetric A,
 * written once in the generic names of tc_templates_on.h and instantiated
 * by expm.c.  A = V diag(lambda) V^T (tc_eigen_symmv) is computed once by
 * the factor step; then y = V (exp(t lambda) .* (V^T v)).  This is exact
 * up to the eigendecomposition's error, unlike a truncated Taylor or Pade
 * approximant, and costs two matrix-vector products per (t, v). */

int FUNCTION(tc_expm_symm_factor)(EXPM_WS *w, const MAT *A)
{
  if (A->rows != w->n || A->cols != w->n)
    return TC_EBADLEN;
  int status = eigen_symmv(w->eval, w->evec, A, w->ev);
  w->factored = status == TC_SUCCESS;
  return status;
}

int FUNCTION(tc_expm_symm_apply)(VEC *y, REAL_SRCPTR t, const VEC *v, EXPM_WS *w)
{
  if (!w->factored)
    return TC_EDOM;
  if (y->n != w->n || v->n != w->n || y == v)
    return TC_EBADLEN;
  int status = mat_gemv_trans(w->c, w->evec, v);
  if (status != TC_SUCCESS)
    return status;
  for (size_t i = 0; i < w->n; i++) {
    r_mul(w->s, t, vec_at(w->eval, i));
    r_exp(w->s, w->s);
    if (!r_is_finite(w->s))
      return TC_ENONFINITE;
    r_mul(vec_at(w->c, i), vec_at(w->c, i), w->s);
  }
  return mat_gemv(y, w->evec, w->c);
}

/* The workspace: eigen workspace, eigenvalues, eigenvectors, V^T v. */
EXPM_WS *FUNCTION(tc_expm_ws_alloc)(size_t n, mpfr_prec_t prec)
{
#if defined(TC_BASE_MPFR)
  if (prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
    return NULL;
#endif
  if (n == 0)
    return NULL;
  EXPM_WS *w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  w->n = n;
  r_init(w->s, prec);
  w->ev = eigenv_ws_alloc(n, prec);
  w->eval = vec_alloc(n, prec);
  w->c = vec_alloc(n, prec);
  w->evec = mat_alloc(n, n, prec);
  if (!w->ev || !w->eval || !w->c || !w->evec) {
    FUNCTION(tc_expm_ws_free)(w);
    return NULL;
  }
  return w;
}

void FUNCTION(tc_expm_ws_free)(EXPM_WS *w)
{
  if (w == NULL)
    return;
  r_clear(w->s);
  eigenv_ws_free(w->ev);
  vec_free(w->eval);
  vec_free(w->c);
  mat_free(w->evec);
  free(w);
}
