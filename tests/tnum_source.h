/* tnum_source.h — helpers of the numeric tests, written once in the
 * generic names of the private operation list and instantiated for both
 * backends by the tests that include it (tqr, ttrsv, tfwht, tode, texpm).
 * Every comparison is made in the backend and returned as a double. */

/* A <- the doubles a (row-major). */
static inline void FUNCTION(h_fill)(MAT *A, const double *a)
{
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = 0; j < A->cols; j++)
      r_set_double(mat_at(A, i, j), a[i * A->cols + j]);
}

static inline void FUNCTION(h_vfill)(VEC *v, const double *a)
{
  for (size_t i = 0; i < v->n; i++)
    r_set_double(vec_at(v, i), a[i]);
}

/* max_ij |A_ij - B_ij| */
static inline double FUNCTION(h_mat_diff)(const MAT *A, const MAT *B, mpfr_prec_t prec)
{
  REAL t, m;
  r_init(t, prec);
  r_init(m, prec);
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = 0; j < A->cols; j++) {
      r_sub(t, mat_at(A, i, j), mat_at(B, i, j));
      r_abs(t, t);
      r_max(m, m, t);
    }
  double d = r_get_double(m);
  r_clear(t);
  r_clear(m);
  return d;
}

/* max_i |x_i - y_i| */
static inline double FUNCTION(h_vec_diff)(const VEC *x, const VEC *y, mpfr_prec_t prec)
{
  REAL t, m;
  r_init(t, prec);
  r_init(m, prec);
  for (size_t i = 0; i < x->n; i++) {
    r_sub(t, vec_at(x, i), vec_at(y, i));
    r_abs(t, t);
    r_max(m, m, t);
  }
  double d = r_get_double(m);
  r_clear(t);
  r_clear(m);
  return d;
}

/* max_i |x_i| */
static inline double FUNCTION(h_vec_max)(const VEC *x)
{
  double m = 0;
  for (size_t i = 0; i < x->n; i++)
    m = fmax(m, fabs(r_get_double(vec_at(x, i))));
  return m;
}

/* max |Q^T Q - I| for Q with orthonormal columns. */
static inline double FUNCTION(h_orth_err)(const MAT *Q, mpfr_prec_t prec)
{
  size_t n = Q->cols;
  MAT *G = mat_alloc(n, n, prec), *Id = mat_alloc(n, n, prec);
  cr_assert(G && Id);
  cr_assert_eq(mat_gram(G, Q), TC_SUCCESS);
  for (size_t i = 0; i < n; i++)
    r_set_si(mat_at(Id, i, i), 1);
  double e = FUNCTION(h_mat_diff)(G, Id, prec);
  mat_free(G);
  mat_free(Id);
  return e;
}

/* dx/dt = A x (params: the MAT A). */
static inline int FUNCTION(h_linear_rhs)(VEC *dxdt, const VEC *x, void *params)
{
  return mat_gemv(dxdt, (const MAT *)params, x);
}
