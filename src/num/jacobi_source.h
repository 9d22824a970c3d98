/* jacobi_source.h — cyclic Jacobi eigenvalue iteration, written once in the
 * generic names of tc_templates_on.h and instantiated by jacobi.c for
 * double and MPFR.  The library's MPFR eigensolver is now Householder +
 * implicit QL (eigen_*_mpfr.c); this one stays as the reference the tests
 * hold it against (tests/teigen.c), its double instance held against
 * LAPACK at 53 bits.
 *
 * Each rotation is Rutishauser's (Numerical Recipes, jacobi): with
 * theta = (a_qq - a_pp) / (2 a_pq) and t the smaller root of
 * t^2 + 2 theta t - 1 = 0, it zeroes a_pq and updates the other entries
 * in the form a + s (b + tau a), whose rounding errors are relative to the
 * entries themselves; so the off-diagonal mass keeps shrinking down to the
 * stopping rule instead of stalling at eps ||A||. */

#define r_set_2si FUNCTION(tc_num_set_2si)
#define r_mul_2si FUNCTION(tc_num_mul_2si)
#define r_swap FUNCTION(tc_num_swap)

/* Sum of the squares of the off-diagonal entries (both triangles). */
static void FUNCTION(jacobi_off2)(REAL_PTR off2, MAT *a)
{
  size_t n = a->rows;
  r_set_si(off2, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      r_fma(off2, mat_at(a, i, j), mat_at(a, i, j), off2);
  r_mul_2si(off2, off2, 1);
}

/* v <- v J: the rotation applied to columns p and q of v, in the form
 * of the off-diagonal update below. */
static void FUNCTION(jacobi_rotate_vectors)(MAT *v, size_t p, size_t q, REAL_SRCPTR s,
                                            REAL_SRCPTR tau, REAL *tmp)
{
  REAL_PTR h = tmp[7];
  REAL_PTR g = tmp[8];
  REAL_PTR u = tmp[9];
  for (size_t r = 0; r < v->rows; r++) {
    REAL_PTR vrp = mat_at(v, r, p);
    REAL_PTR vrq = mat_at(v, r, q);
    r_set(g, vrp);
    r_set(u, vrq);
    r_fma(h, tau, g, u);
    r_mul(h, s, h);
    r_sub(vrp, g, h);
    r_mul(h, tau, u);
    r_sub(h, g, h);
    r_fma(vrq, s, h, u);
  }
}

/* One rotation in the (p, q) plane, p < q, a_pq != 0; v (may be NULL)
 * accumulates it. */
static void FUNCTION(jacobi_rotate)(MAT *a, MAT *v, size_t p, size_t q, REAL *tmp)
{
  size_t n = a->rows;
  /* One declarator per line: REAL_PTR is "double *" for the double
   * instance, so "REAL_PTR x, y" would make y a double. */
  REAL_PTR theta = tmp[2];
  REAL_PTR t = tmp[3];
  REAL_PTR c = tmp[4];
  REAL_PTR s = tmp[5];
  REAL_PTR tau = tmp[6];
  REAL_PTR h = tmp[7];
  REAL_PTR g = tmp[8];
  REAL_PTR u = tmp[9];
  REAL_PTR big = tmp[10];
  REAL_PTR one = tmp[11];
  REAL_PTR apq = mat_at(a, p, q);
  REAL_PTR app = mat_at(a, p, p);
  REAL_PTR aqq = mat_at(a, q, q);

  r_set_si(one, 1);
  r_sub(theta, aqq, app);
  r_div(theta, theta, apq);
  r_mul_2si(theta, theta, -1);
  r_abs(u, theta);
  if (r_cmp(u, big) > 0) {
    /* sqrt(theta^2 + 1) == |theta| at this precision; t = 1/(2 theta)
     * avoids squaring theta, which overflows a double. */
    r_mul_2si(t, theta, 1);
    r_div(t, one, t);
  } else {
    /* The smaller root, so the rotation angle is at most pi/4; theta = 0
     * takes t = +1. */
    r_sqr(t, theta);
    r_add(t, t, one);
    r_sqrt(t, t);
    r_add(t, t, u);
    r_div(t, one, t);
    if (r_sgn(theta) < 0)
      r_neg(t, t);
  }
  r_sqr(c, t);
  r_add(c, c, one);
  r_sqrt(c, c);
  r_div(c, one, c);
  r_mul(s, t, c);
  r_add(tau, c, one);
  r_div(tau, s, tau);

  r_mul(h, t, apq);
  r_sub(app, app, h);
  r_add(aqq, aqq, h);
  r_set_si(apq, 0);
  r_set_si(mat_at(a, q, p), 0);

  for (size_t r = 0; r < n; r++) {
    if (r == p || r == q)
      continue;
    REAL_PTR arp = mat_at(a, r, p);
    REAL_PTR arq = mat_at(a, r, q);
    r_set(g, arp);
    r_set(u, arq);
    /* a_rp <- g - s (u + tau g) */
    r_fma(h, tau, g, u);
    r_mul(h, s, h);
    r_sub(arp, g, h);
    /* a_rq <- u + s (g - tau u) */
    r_mul(h, tau, u);
    r_sub(h, g, h);
    r_fma(arq, s, h, u);
    r_set(mat_at(a, p, r), arp);
    r_set(mat_at(a, q, r), arq);
  }
  if (v != NULL)
    FUNCTION(jacobi_rotate_vectors)(v, p, q, s, tau, tmp);
}

int FUNCTION(tc_num_jacobi)(VEC *eval, MAT *a, MAT *v, REAL *tmp, mpfr_prec_t prec)
{
  size_t n = a->rows;
  REAL_PTR thr = tmp[0];
  REAL_PTR off2 = tmp[1];
  REAL_PTR big = tmp[10];
  int status = TC_EMAXITER;

  if (a->cols != n || eval->n != n || (v != NULL && (v->rows != n || v->cols != n)))
    return TC_EBADLEN;
  if (v != NULL) {
    mat_set_zero(v);
    for (size_t i = 0; i < n; i++)
      r_set_si(mat_at(v, i, i), 1);
  }

  /* Rotations preserve the Frobenius norm, so the stopping rule
   * off(a) <= 2^-prec ||a||_F is decided on squares against a threshold
   * computed once: off2 <= 2^-2prec ||a||_F^2.  "<=" so that a zero matrix
   * stops at once. */
  r_set_si(thr, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      r_fma(thr, mat_at(a, i, j), mat_at(a, i, j), thr);
  if (!r_is_finite(thr))
    return TC_ENONFINITE; /* double only: a square overflowed */
  r_mul_2si(thr, thr, -2 * (long)prec);
  r_set_2si(big, (long)prec / 2 + 2);

  for (int sweep = 0; sweep < TC_JACOBI_MAX_SWEEPS; sweep++) {
    FUNCTION(jacobi_off2)(off2, a);
    if (r_cmp(off2, thr) <= 0) {
      status = TC_SUCCESS;
      break;
    }
    for (size_t p = 0; p + 1 < n; p++)
      for (size_t q = p + 1; q < n; q++)
        if (r_sgn(mat_at(a, p, q)) != 0)
          FUNCTION(jacobi_rotate)(a, v, p, q, tmp);
  }

  /* The diagonal, sorted by insertion (n is small and the diagonal is
   * often nearly sorted already); on TC_EMAXITER it is the best estimate. */
  for (size_t i = 0; i < n; i++)
    r_set(vec_at(eval, i), mat_at(a, i, i));
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && r_cmp(vec_at(eval, j - 1), vec_at(eval, j)) > 0; j--) {
      r_swap(vec_at(eval, j - 1), vec_at(eval, j));
      if (v != NULL)
        for (size_t r = 0; r < n; r++)
          r_swap(mat_at(v, r, j - 1), mat_at(v, r, j));
    }
  return status;
}

#undef r_set_2si
#undef r_mul_2si
#undef r_swap
