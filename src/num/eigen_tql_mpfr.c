/* tc_num_tql_mpfr — eigenvalues of the symmetric tridiagonal matrix
 * (w->d, w->e) by the implicit QL iteration with Wilkinson's shift
 * (EISPACK tql2 / Numerical Recipes tqli), at w->wprec.  Each sweep
 * chases a bulge up from the bottom of the unreduced block with Givens
 * rotations; the shift (the eigenvalue of the leading 2x2 block nearer
 * d[l]) makes the convergence of e[l] cubic, so an eigenvalue costs 2-3
 * sweeps at any precision.  e[m] counts as zero when it is below 2^-wprec
 * of |d[m]| + |d[m+1]| (decided on exponents, no arithmetic).  When z is
 * not NULL every rotation is applied to its columns, so z = Q on entry
 * gives the eigenvectors of A = Q T Q^T on return.  At the end d is sorted
 * ascending, z's columns with it.  TC_EMAXITER after TC_EIGEN_MAX_ITER
 * sweeps on one eigenvalue (d then holds the current estimates). */
#include "num_impl.h"

/* Whether e is negligible beside a and b: |e| <= 2^-wprec (|a| + |b|). */
static int tql_negligible(mpfr_srcptr e, mpfr_srcptr a, mpfr_srcptr b, mpfr_prec_t wprec)
{
  if (mpfr_zero_p(e))
    return 1;
  if (mpfr_zero_p(a) && mpfr_zero_p(b))
    return 0;
  mpfr_exp_t ea = mpfr_zero_p(a) ? mpfr_get_exp(b) : mpfr_get_exp(a);
  mpfr_exp_t eb = mpfr_zero_p(b) ? ea : mpfr_get_exp(b);
  mpfr_exp_t emax = ea > eb ? ea : eb;
  /* |e| < 2^exp(e) and |a| + |b| >= 2^(emax - 1). */
  return mpfr_get_exp(e) <= emax - wprec - 1;
}

/* The rotation (c, s) in the plane (i, i+1) applied to z's columns. */
static void tql_rotate_z(tc_mat_mpfr *z, size_t i, mpfr_srcptr c, mpfr_srcptr s, mpfr_t *t)
{
  size_t n = z->cols;
  for (size_t k = 0; k < z->rows; k++) {
    mpfr_ptr zi = z->data[k * n + i], zj = z->data[k * n + i + 1];
    /* (zi, zj) <- (c zi - s zj, s zi + c zj) */
    mpfr_mul(t[0], s, zi, MPFR_RNDN);
    mpfr_mul(t[1], c, zj, MPFR_RNDN);
    mpfr_mul(t[2], s, zj, MPFR_RNDN);
    mpfr_mul(zi, c, zi, MPFR_RNDN);
    mpfr_sub(zi, zi, t[2], MPFR_RNDN);
    mpfr_add(zj, t[0], t[1], MPFR_RNDN);
  }
}

/* r <- sqrt(a^2 + b^2) in the workspace's scratch: mpfr_hypot would be
 * correctly rounded but initialises heap temporaries on every call, and
 * this runs once per rotation; in MPFR's exponent range the squares
 * cannot overflow, and the three roundings fall in the guard bits.  t is
 * scratch distinct from r, a, b. */
static void tql_hypot(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b, mpfr_ptr t)
{
  mpfr_sqr(t, a, MPFR_RNDN);
  mpfr_sqr(r, b, MPFR_RNDN);
  mpfr_add(r, r, t, MPFR_RNDN);
  mpfr_sqrt(r, r, MPFR_RNDN);
}

/* One QL sweep on the block l..m (m > l).  Returns 1 when a rotation
 * underflowed (r = 0: the block split at i + 1, retry), else 0. */
static int tql_sweep(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w, size_t l, size_t m)
{
  mpfr_t *d = w->d->data, *e = w->e->data;
  mpfr_ptr g = w->s[0], r = w->s[1], s = w->s[2], c = w->s[3], p = w->s[4];
  mpfr_ptr f = w->s[5], b = w->s[6], t1 = w->s[7];

  /* Wilkinson shift: g = d[m] - d[l] + e[l] / (g0 + sign(g0) hypot(g0, 1)). */
  mpfr_sub(g, d[l + 1], d[l], MPFR_RNDN);
  mpfr_div(g, g, e[l], MPFR_RNDN);
  mpfr_div_2ui(g, g, 1, MPFR_RNDN);
  mpfr_set_ui(t1, 1, MPFR_RNDN);
  tql_hypot(r, g, t1, w->s[8]);
  if (mpfr_sgn(g) < 0)
    mpfr_sub(g, g, r, MPFR_RNDN);
  else
    mpfr_add(g, g, r, MPFR_RNDN);
  mpfr_div(g, e[l], g, MPFR_RNDN);
  mpfr_add(g, g, d[m], MPFR_RNDN);
  mpfr_sub(g, g, d[l], MPFR_RNDN);
  mpfr_set_ui(s, 1, MPFR_RNDN);
  mpfr_set_ui(c, 1, MPFR_RNDN);
  mpfr_set_zero(p, 1);

  for (size_t i = m; i-- > l;) {
    mpfr_mul(f, s, e[i], MPFR_RNDN);
    mpfr_mul(b, c, e[i], MPFR_RNDN);
    tql_hypot(r, f, g, t1);
    mpfr_set(e[i + 1], r, MPFR_RNDN);
    if (mpfr_zero_p(r)) {
      mpfr_sub(d[i + 1], d[i + 1], p, MPFR_RNDN);
      mpfr_set_zero(e[m], 1);
      return 1;
    }
    mpfr_div(s, f, r, MPFR_RNDN);
    mpfr_div(c, g, r, MPFR_RNDN);
    mpfr_sub(g, d[i + 1], p, MPFR_RNDN);
    /* r = (d[i] - g) s + 2 c b */
    mpfr_sub(r, d[i], g, MPFR_RNDN);
    mpfr_mul(r, r, s, MPFR_RNDN);
    mpfr_mul(t1, c, b, MPFR_RNDN);
    mpfr_mul_2ui(t1, t1, 1, MPFR_RNDN);
    mpfr_add(r, r, t1, MPFR_RNDN);
    mpfr_mul(p, s, r, MPFR_RNDN);
    mpfr_add(d[i + 1], g, p, MPFR_RNDN);
    /* g = c r - b */
    mpfr_mul(g, c, r, MPFR_RNDN);
    mpfr_sub(g, g, b, MPFR_RNDN);
    if (z != NULL)
      tql_rotate_z(z, i, c, s, w->s + 7);
  }
  mpfr_sub(d[l], d[l], p, MPFR_RNDN);
  mpfr_set(e[l], g, MPFR_RNDN);
  mpfr_set_zero(e[m], 1);
  return 0;
}

/* d ascending by selection (n swaps at most: z's columns move n times). */
static void tql_sort(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  mpfr_t *d = w->d->data;
  for (size_t i = 0; i + 1 < n; i++) {
    size_t k = i;
    for (size_t j = i + 1; j < n; j++)
      if (mpfr_less_p(d[j], d[k]))
        k = j;
    if (k == i)
      continue;
    mpfr_swap(d[i], d[k]);
    if (z != NULL)
      for (size_t r = 0; r < z->rows; r++)
        mpfr_swap(z->data[r * n + i], z->data[r * n + k]);
  }
}

int tc_num_tql_mpfr(tc_mat_mpfr *z, struct tc_eigen_ws_mpfr *w)
{
  size_t n = w->n;
  mpfr_t *d = w->d->data, *e = w->e->data;
  for (size_t l = 0; l < n; l++) {
    for (int iter = 0;; iter++) {
      size_t m = l;
      while (m + 1 < n && !tql_negligible(e[m], d[m], d[m + 1], w->wprec))
        m++;
      if (m == l)
        break;
      if (iter == TC_EIGEN_MAX_ITER)
        return TC_EMAXITER;
      tql_sweep(z, w, l, m);
    }
  }
  tql_sort(z, w);
  return TC_SUCCESS;
}
