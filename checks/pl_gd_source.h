/* pl_gd_source.h — the pl-gd measurement, written once in the generic
 * names of the operation list (src/num/tc_templates_on.h) and
 * instantiated once per backend by pl_gd.c
 * (which documents the families, parameters and rows). */

#include "quadratic_source.h" /* its generic helpers, for this backend */

/* r <- R(x) = h'(x)^2 / (2 h(x)), h = x^2 + 3 sin^2 x; t1, t2 scratch. */
static void FUNCTION(pl_ncv_ratio)(REAL_PTR r, REAL_SRCPTR x, REAL_PTR t1, REAL_PTR t2)
{
  r_add(t1, x, x);
  r_sin(t2, t1);
  r_mul_double(t2, t2, 3.0);
  r_add(t1, t1, t2); /* h'(x) = 2x + 3 sin 2x */
  r_sqr(r, t1);
  r_sin(t2, x);
  r_sqr(t2, t2);
  r_mul_double(t2, t2, 3.0);
  r_sqr(t1, x);
  r_add(t1, t1, t2); /* h(x) */
  r_mul_double(t1, t1, 2.0);
  r_div(r, r, t1);
}

/* Golden-section search for min R on [lo, hi] (a bracket from the double
 * grid), in the backend's precision, until the bracket is below
 * 2^(-prec/2) hi: R is quadratic at its minimum, so the value is then
 * accurate to about 2^-prec.  The value returned is R at a point, so it
 * is never below the true minimum by more than rounding. */
static void FUNCTION(pl_ncv_golden)(REAL_PTR xbest, REAL_PTR rbest, double lo, double hi,
                                    mpfr_prec_t prec)
{
  REAL a, b, c, dd, fc, fd, g, t1, t2, w;
  r_init(a, prec);
  r_init(b, prec);
  r_init(c, prec);
  r_init(dd, prec);
  r_init(fc, prec);
  r_init(fd, prec);
  r_init(g, prec);
  r_init(t1, prec);
  r_init(t2, prec);
  r_init(w, prec);
  r_set_double(a, lo);
  r_set_double(b, hi);
  r_set_si(g, 5);
  r_sqrt(g, g);
  r_add_double(g, g, -1.0);
  r_div_double(g, g, 2.0); /* (sqrt 5 - 1)/2 */
  double goal = (double)prec / 2.0 * log(2.0) + log((hi - lo) / hi);
  long iters = (long)ceil(goal / -log(0.6180339887498949)) + 2;
  r_sub(w, b, a);
  r_mul(w, w, g);
  r_sub(c, b, w);
  r_add(dd, a, w);
  FUNCTION(pl_ncv_ratio)(fc, c, t1, t2);
  FUNCTION(pl_ncv_ratio)(fd, dd, t1, t2);
  for (long it = 0; it < iters; it++) {
    if (r_cmp(fc, fd) < 0) {
      r_set(b, dd);
      r_set(dd, c);
      r_set(fd, fc);
      r_sub(w, b, a);
      r_mul(w, w, g);
      r_sub(c, b, w);
      FUNCTION(pl_ncv_ratio)(fc, c, t1, t2);
    } else {
      r_set(a, c);
      r_set(c, dd);
      r_set(fc, fd);
      r_sub(w, b, a);
      r_mul(w, w, g);
      r_add(dd, a, w);
      FUNCTION(pl_ncv_ratio)(fd, dd, t1, t2);
    }
  }
  if (r_cmp(fc, fd) < 0) {
    r_set(xbest, c);
    r_set(rbest, fc);
  } else {
    r_set(xbest, dd);
    r_set(rbest, fd);
  }
  r_clear(a);
  r_clear(b);
  r_clear(c);
  r_clear(dd);
  r_clear(fc);
  r_clear(fd);
  r_clear(g);
  r_clear(t1);
  r_clear(t2);
  r_clear(w);
}

/* One row.  prev and prev_err hold gap_{k-1} and its rounding estimate
 * (gap0 and 0 at k = 1) and are advanced to gap_k here.  The per-step
 * ratio gap_k / gap_{k-1} is the quantity a worst-case search over the
 * class can push towards the one-step bounds (1 - mu/L and the PEP rate);
 * its error is first order, (gap_err_k + ratio prev_err) / prev.  A
 * previous gap at its own rounding floor (prev <= 4 prev_err, or 0) makes
 * the ratio meaningless: it is put as 0 with error 2 (ratio is in [0, 1]
 * for GD with step 1/L), a row the engine then counts as at the floor. */
static int FUNCTION(pl_gd_row)(tc_record *out, long k, REAL_SRCPTR gap, REAL_SRCPTR gap0,
                               REAL_SRCPTR mu, REAL_SRCPTR L, REAL_SRCPTR gap_err, REAL_PTR prev,
                               REAL_PTR prev_err, mpfr_prec_t prec)
{
  int status;
  REAL ratio, rerr, t;
  r_init(ratio, prec);
  r_init(rerr, prec);
  r_init(t, prec);
  r_mul_double(t, prev_err, 4.0);
  if (r_sgn(prev) > 0 && r_cmp(prev, t) > 0) {
    r_div(ratio, gap, prev);
    r_mul(rerr, ratio, prev_err);
    r_add(rerr, rerr, gap_err);
    r_div(rerr, rerr, prev);
  } else {
    r_set_si(ratio, 0);
    r_set_si(rerr, 2);
  }
  if ((status = tc_record_put_double(out, "k", (double)k)) || (status = record_put(out, "gap", gap)) ||
      (status = record_put(out, "gap0", gap0)) || (status = record_put(out, "mu", mu)) ||
      (status = record_put(out, "L", L)) || (status = record_put(out, "gap_err", gap_err)) ||
      (status = record_put(out, "ratio", ratio)) || (status = record_put(out, "ratio_err", rerr)) ||
      (status = tc_record_end_row(out)))
    goto done;
  r_set(prev, gap);
  r_set(prev_err, gap_err);
done:
  r_clear(ratio);
  r_clear(rerr);
  r_clear(t);
  return status;
}

/* The three families with a constant Hessian H (A, or M^T M).  GD is run
 * on e_k = x_k - x*, where x* is the minimiser nearest x_0's construction
 * (c, or the minimum-norm least-squares solution x+): GD commutes with
 * translation, e_{k+1} = e_k - (1/L) H e_k is the same iteration in exact
 * arithmetic, and storing the small quantity e_k instead of x_k avoids
 * the cancellation x_k - x* that would floor the gap at u^2 ||x*||^2 L.
 * For least squares grad f(x) = M^T (M x - y) = M^T M (x - x+) because
 * y - M x+ = r* is orthogonal to range(M) by construction, so the
 * constant M^T r* = 0 is dropped instead of being computed as rounding
 * noise that would shift the limit point.  The gap is f(x) - f* =
 * 1/2 e^T A e, or 1/2 ||M e||^2 (the component of e in null(H) does not
 * count: minimisers are not unique). */
static int FUNCTION(pl_gd_linear)(tc_record *out, const pl_gd_config *c, gsl_rng *rng,
                                  mpfr_prec_t prec, char *err, size_t errlen)
{
  size_t d = c->d;
  int lstsq = c->family == PL_LSTSQ;
  size_t nz = c->family == PL_QUADRATIC ? 0 : tc_quad_nzero(d, rng);
  size_t rank = d - nz, n = lstsq ? d + 2 : d;
  int status = TC_SUCCESS;
  double *lam = malloc(d * sizeof *lam);
  MAT *Q = mat_alloc(d, d, prec), *H = mat_alloc(d, d, prec);
  MAT *U = lstsq ? mat_alloc(n, n, prec) : NULL, *M = lstsq ? mat_alloc(n, d, prec) : NULL;
  VEC *e = vec_alloc(d, prec), *g = vec_alloc(d, prec), *t = vec_alloc(n, prec);
  VEC *xdag = vec_alloc(d, prec), *rstar = vec_alloc(n, prec);
  VEC *yq = vec_alloc(d, prec), *er = vec_alloc(d, prec);
  VEC *x0 = lstsq ? vec_alloc(d, prec) : NULL, *yls = lstsq ? vec_alloc(n, prec) : NULL;
  REAL mu, L, gap, gap0, nrm, gnrm, evr, E, gerr, tmp, rho, gamma, minv, fstar, fdirect, prev, prev_err;
  REAL_PTR reals[] = {mu, L, gap, gap0, nrm, gnrm, evr, E, gerr, tmp, rho, gamma, minv, fstar, fdirect,
                      prev, prev_err};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  if (!lam || !Q || !H || !e || !g || !t || !xdag || !rstar || !yq || !er ||
      (lstsq && (!U || !M || !x0 || !yls))) {
    status = TC_ENOMEM;
    goto done;
  }
  tc_quad_spectrum(lam, d, nz, c->kappa, rng);
  if ((status = FUNCTION(tc_quad_orthogonal)(Q, rng, prec)))
    goto done;
  if (lstsq) {
    /* M = sum_{k < rank} sigma_k u_k v_k^T with sigma_k^2 the positive
     * lambdas, v_k = column nz + k of Q (columns 0..nz-1 span null(M)),
     * u_k = column k of a random orthogonal U of size n = d + 2. */
    if ((status = FUNCTION(tc_quad_orthogonal)(U, rng, prec)))
      goto done;
    for (size_t a = 0; a < n; a++)
      for (size_t b = 0; b < d; b++) {
        r_set_si(mat_at(M, a, b), 0);
        for (size_t k = 0; k < rank; k++) {
          r_set_double(tmp, lam[nz + k]);
          r_sqrt(tmp, tmp);
          r_mul(tmp, tmp, mat_at(U, a, k));
          r_fma(mat_at(M, a, b), tmp, mat_at(Q, b, nz + k), mat_at(M, a, b));
        }
      }
    if ((status = mat_gram(H, M)))
      goto done;
  } else {
    FUNCTION(tc_quad_form)(H, Q, lam, prec);
  }
  if ((status = FUNCTION(tc_quad_mu_L)(mu, L, H, nz, prec, err, errlen)))
    goto done;

  /* x_0 - x*: Gaussian, or the eigenvector of mu (the slowest direction)
   * plus a Gaussian component in null(H), which GD never moves. */
  if (c->start == PL_START_RANDOM) {
    for (size_t i = 0; i < d; i++)
      r_set_double(vec_at(e, i), gsl_ran_gaussian(rng, 1.0));
  } else {
    for (size_t i = 0; i < d; i++)
      r_set(vec_at(e, i), mat_at(Q, i, nz));
    for (size_t j = 0; j < nz; j++) {
      r_set_double(tmp, gsl_ran_gaussian(rng, 1.0));
      for (size_t i = 0; i < d; i++)
        r_fma(vec_at(e, i), tmp, mat_at(Q, i, j), vec_at(e, i));
    }
  }
  if (lstsq) {
    /* x+ in range(M^T), r* in range(M)^perp (columns rank..n-1 of U),
     * y = M x+ + r*, f* = 1/2 ||r*||^2 > 0. */
    for (size_t k = 0; k < rank; k++) {
      r_set_double(tmp, gsl_ran_gaussian(rng, 1.0));
      for (size_t i = 0; i < d; i++)
        r_fma(vec_at(xdag, i), tmp, mat_at(Q, i, nz + k), vec_at(xdag, i));
    }
    for (size_t k = rank; k < n; k++) {
      r_set_double(tmp, gsl_ran_gaussian(rng, 1.0));
      for (size_t i = 0; i < n; i++)
        r_fma(vec_at(rstar, i), tmp, mat_at(U, i, k), vec_at(rstar, i));
    }
    TC_TRY(vec_dot(fstar, rstar, rstar));
    r_mul_double(fstar, fstar, 0.5);
    /* f(x_0) - f* the naive way, M x_0 - y with x_0 = x+ + e_0 and
     * y = M x+ + r*, for the note: it shows the cancellation the stable
     * form avoids. */
    TC_TRY(mat_gemv(yls, M, xdag));
    r_set_si(tmp, 1);
    TC_TRY(vec_axpy(yls, tmp, rstar));
    TC_TRY(vec_copy(x0, xdag));
    TC_TRY(vec_axpy(x0, tmp, e));
    TC_TRY(mat_gemv(t, M, x0));
    r_set_si(tmp, -1);
    TC_TRY(vec_axpy(t, tmp, yls));
    TC_TRY(vec_dot(fdirect, t, t));
    r_mul_double(fdirect, fdirect, 0.5);
    r_sub(fdirect, fdirect, fstar);
  }

  /* gap_err, the rounding error of the computed gap.  gamma = 4 (n + 2) u
   * bounds the relative error of a matrix-vector product's entries.  E_k
   * bounds the part of ||computed e_k - exact e_k|| in range(H), the only
   * part the gap sees (an error in null(H) meets only the O(gamma L)
   * eigenvalues that replace the zeros, counted below).  On range(H),
   * I - H/L has norm 1 - mu/L = rho, so
   *   E_{k+1} = (rho + gamma) E_k + gamma (2 + 2n) ||e_k||.
   * gap_err = ||H e|| E + L E^2 / 2 (the quadratic form at a point within
   * E; the first-order term is delta^T H e, which on the slow eigenvector
   * is mu ||e|| ||delta||, not L ||e|| ||delta||) + gamma n ||e|| evr,
   * the rounding of evaluating the form, with evr = L ||e|| (quadratic),
   * L ||P e|| (singular: the zeros of A are +-O(gamma L) in the rounded
   * A, but only the range part P e enters the form), or sqrt(L) ||M e||
   * (least squares, where M's own null space is rounded to O(gamma
   * sqrt(L))).  Not included: the rounding of mu and L
   * themselves, which moves (1 - mu/L)^k by about k n gamma relative; it
   * could only matter on a row within that of equality, and no family
   * here attains the stated rate that closely (the tightest, nonconvex-pl
   * from its worst point, stays 0.022/kappa below it). */
  FUNCTION(tc_quad_unit_roundoff)(gamma, prec);
  r_mul_double(gamma, gamma, 4.0 * (double)(n + 2));
  r_div(rho, mu, L);
  r_neg(rho, rho);
  r_add_double(rho, rho, 1.0);
  r_set_si(minv, -1);
  r_div(minv, minv, L);
  r_set_si(E, 0);
  for (long k = 0; k <= c->iterations && status == TC_SUCCESS; k++) {
    /* The gap, and evr = the rounding of evaluating it (see above). */
    TC_TRY(vec_norm2(nrm, e));
    if (lstsq) {
      TC_TRY(mat_gemv(t, M, e));
      TC_TRY(mat_gemv_trans(g, M, t));
      TC_TRY(vec_dot(gap, t, t));
      TC_TRY(vec_norm2(evr, t));
      r_sqrt(tmp, L);
      r_mul(evr, evr, tmp);
    } else if (c->family == PL_SINGULAR) {
      /* e_r = P e, the projection on range(A) = e - its projection on the
       * solution set: gap = 1/2 e_r^T A e.  Without it the null component
       * would meet the O(u L) eigenvalues of the rounded A and floor the
       * gap at u L ||e_null||^2 (1e-16 in double). */
      TC_TRY(mat_gemv(g, H, e));
      TC_TRY(mat_gemv_trans(yq, Q, e));
      for (size_t j = 0; j < nz; j++)
        r_set_si(vec_at(yq, j), 0);
      TC_TRY(mat_gemv(er, Q, yq));
      TC_TRY(vec_dot(gap, er, g));
      TC_TRY(vec_norm2(evr, er));
      r_mul(evr, evr, L);
    } else {
      TC_TRY(mat_gemv(g, H, e));
      TC_TRY(vec_dot(gap, e, g));
      r_mul(evr, nrm, L);
    }
    r_mul_double(gap, gap, 0.5);
    if (k == 0) {
      r_set(gap0, gap);
      r_set(prev, gap);
      r_set_si(prev_err, 0);
    } else {
      TC_TRY(vec_norm2(gnrm, g));
      r_mul(gerr, E, E);
      r_mul(gerr, gerr, L);
      r_mul_double(gerr, gerr, 0.5);
      r_fma(gerr, gnrm, E, gerr);
      r_add_double(tmp, gamma, 1.0);
      r_mul(gerr, gerr, tmp);
      r_mul(tmp, evr, nrm);
      r_mul(tmp, tmp, gamma);
      r_mul_double(tmp, tmp, (double)n);
      r_add(gerr, gerr, tmp);
      status = FUNCTION(pl_gd_row)(out, k, gap, gap0, mu, L, gerr, prev, prev_err, prec);
    }
    if (k < c->iterations) {
      TC_TRY(vec_axpy(e, minv, g));
      r_add(tmp, rho, gamma);
      r_mul(E, E, tmp);
      r_mul(tmp, gamma, nrm);
      r_mul_double(tmp, tmp, 2.0 + 2.0 * (double)n);
      r_add(E, E, tmp);
    }
  }
  if (status == TC_SUCCESS) {
    double dl = r_get_double(L), dm = r_get_double(mu);
    if (lstsq) {
      r_sub(tmp, fdirect, gap0);
      r_div(tmp, tmp, gap0);
      tc_record_note(out, "%s d=%zu (M is %zux%zu of rank %zu): measured L=%.6g mu=%.6g "
                     "(L/mu=%.6g); f*=%.6g; f(x0)-f* by direct subtraction is off from the "
                     "stable gap0=%.6g by %.2g relative; start=%s",
                     pl_gd_families[c->family], d, n, d, rank, dl, dm, dl / dm,
                     r_get_double(fstar), r_get_double(gap0), r_get_double(tmp),
                     pl_gd_starts[c->start]);
    } else {
      tc_record_note(out, "%s d=%zu: measured L=%.6g mu=%.6g (L/mu=%.6g), %zu zero eigenvalues; "
                     "gap0=%.6g; start=%s", pl_gd_families[c->family], d, dl, dm, dl / dm, nz,
                     r_get_double(gap0), pl_gd_starts[c->start]);
    }
  }
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  free(lam);
  if (Q)
    mat_free(Q);
  if (H)
    mat_free(H);
  if (U)
    mat_free(U);
  if (M)
    mat_free(M);
  if (e)
    vec_free(e);
  if (g)
    vec_free(g);
  if (t)
    vec_free(t);
  if (xdag)
    vec_free(xdag);
  if (rstar)
    vec_free(rstar);
  if (yq)
    vec_free(yq);
  if (er)
    vec_free(er);
  if (x0)
    vec_free(x0);
  if (yls)
    vec_free(yls);
  return status;
}

/* f(x) = sum_j a_j h(x_j), h = x^2 + 3 sin^2 x: f* = 0 at x = 0, no
 * cancellation in the gap (both terms >= 0).  mu and L: see pl_gd.c.
 * Rounding is tracked per coordinate: the map x -> x - (a/L) h'(x) has
 * derivative 1 - (a/L) h''(x), up to 1.5 where h'' < 0, so an error E_j
 * grows by |1 - (a/L) h''(x_j)| + 12 (a/L) E_j (|h'''| <= 12) per step,
 * plus the step's own rounding 8 u (|x| + |x'|). */
static int FUNCTION(pl_gd_nonconvex)(tc_record *out, const pl_gd_config *c, gsl_rng *rng,
                                     mpfr_prec_t prec, char *err, size_t errlen)
{
  size_t d = c->d;
  int status = TC_SUCCESS;
  double *a = malloc(d * sizeof *a);
  VEC *x = vec_alloc(d, prec), *E = vec_alloc(d, prec), *g = vec_alloc(d, prec),
      *s = vec_alloc(d, prec);
  REAL mu1, xhat, xb, rb, mu, L, gap, gap0, gerr, u, tmp, tmp2, aL, xn, prev, prev_err;
  REAL_PTR reals[] = {mu1, xhat, xb, rb, mu, L, gap, gap0, gerr, u, tmp, tmp2, aL, xn, prev, prev_err};
  size_t nreals = sizeof reals / sizeof reals[0];
  for (size_t i = 0; i < nreals; i++)
    r_init(reals[i], prec);
  if (!a || !x || !E || !g || !s) {
    status = TC_ENOMEM;
    goto done;
  }
  tc_quad_spectrum(a, d, 0, c->kappa, rng);
  gsl_ran_shuffle(rng, a, d, sizeof *a);
  size_t jmin = 0, jmax = 0;
  for (size_t j = 1; j < d; j++) {
    if (a[j] < a[jmin])
      jmin = j;
    if (a[j] > a[jmax])
      jmax = j;
  }

  pl_bracket br[PL_NCV_MAX_BRACKETS];
  size_t nb = 0;
  if ((status = pl_ncv_brackets(br, &nb))) {
    snprintf(err, errlen, "nonconvex-pl: the grid search for the PL constant failed its tail check");
    goto done;
  }
  /* The limits x -> 0 (R -> 8) and x -> inf (R -> 2) are candidates too. */
  r_set_si(mu1, 2);
  r_set_double(xhat, INFINITY);
  for (size_t i = 0; i < nb; i++) {
    FUNCTION(pl_ncv_golden)(xb, rb, br[i].lo, br[i].hi, prec);
    if (r_cmp(rb, mu1) < 0) {
      r_set(mu1, rb);
      r_set(xhat, xb);
    }
  }
  if (!r_is_finite(xhat)) {
    snprintf(err, errlen, "nonconvex-pl: no interior minimum of the PL ratio found");
    status = TC_EFAILED;
    goto done;
  }
  r_set_double(L, 8.0 * a[jmax]);
  r_mul_double(mu, mu1, a[jmin]);

  if (c->start == PL_START_RANDOM) {
    for (size_t j = 0; j < d; j++)
      r_set_double(vec_at(x, j), gsl_ran_flat(rng, -5.0, 5.0));
  } else {
    /* The worst point of the PL inequality, in the slowest coordinate. */
    r_set_double(vec_at(x, jmin), pl_ncv_argmin_start(br, nb));
    if (gsl_rng_uniform(rng) < 0.5)
      r_neg(vec_at(x, jmin), vec_at(x, jmin));
  }

  FUNCTION(tc_quad_unit_roundoff)(u, prec);
  for (long k = 0; k <= c->iterations && status == TC_SUCCESS; k++) {
    r_set_si(gap, 0);
    r_set_si(gerr, 0);
    for (size_t j = 0; j < d; j++) {
      REAL_PTR xj = vec_at(x, j);
      r_sin(vec_at(s, j), xj);
      r_add(tmp, xj, xj);
      r_sin(tmp2, tmp);
      r_mul_double(tmp2, tmp2, 3.0);
      r_add(tmp, tmp, tmp2);
      r_mul_double(vec_at(g, j), tmp, a[j]); /* a_j h'(x_j) */
      r_sqr(tmp, vec_at(s, j));
      r_mul_double(tmp, tmp, 3.0);
      r_fma(tmp, xj, xj, tmp);
      r_mul_double(tmp, tmp, a[j]); /* a_j h(x_j) */
      r_add(gap, gap, tmp);
      /* |a h'| E + (8 a / 2) E^2: the gap at a point within E_j. */
      r_abs(tmp, vec_at(g, j));
      r_mul(tmp, tmp, vec_at(E, j));
      r_add(gerr, gerr, tmp);
      r_sqr(tmp, vec_at(E, j));
      r_mul_double(tmp, tmp, 4.0 * a[j]);
      r_add(gerr, gerr, tmp);
    }
    if (k == 0) {
      r_set(gap0, gap);
      r_set(prev, gap);
      r_set_si(prev_err, 0);
    } else {
      r_mul(tmp, u, gap);
      r_mul_double(tmp, tmp, 8.0);
      r_add(gerr, gerr, tmp);
      status = FUNCTION(pl_gd_row)(out, k, gap, gap0, mu, L, gerr, prev, prev_err, prec);
    }
    if (k < c->iterations) {
      for (size_t j = 0; j < d; j++) {
        REAL_PTR xj = vec_at(x, j);
        REAL_PTR Ej = vec_at(E, j);
        r_div(tmp, vec_at(g, j), L);
        r_sub(xn, xj, tmp);
        /* m = |1 - (a/L)(8 - 12 sin^2 x)| + 12 (a/L) E */
        r_set_double(aL, a[j]);
        r_div(aL, aL, L);
        r_sqr(tmp, vec_at(s, j));
        r_mul_double(tmp, tmp, -12.0);
        r_add_double(tmp, tmp, 8.0);
        r_mul(tmp, tmp, aL);
        r_neg(tmp, tmp);
        r_add_double(tmp, tmp, 1.0);
        r_abs(tmp, tmp);
        r_mul(tmp2, aL, Ej);
        r_mul_double(tmp2, tmp2, 12.0);
        r_add(tmp, tmp, tmp2);
        r_mul(Ej, Ej, tmp);
        r_abs(tmp, xj);
        r_abs(tmp2, xn);
        r_add(tmp, tmp, tmp2);
        r_mul(tmp, tmp, u);
        r_mul_double(tmp, tmp, 8.0);
        r_add(Ej, Ej, tmp);
        r_set(xj, xn);
      }
    }
  }
  if (status == TC_SUCCESS) {
    double dl = r_get_double(L), dm = r_get_double(mu);
    tc_record_note(out, "nonconvex-pl d=%zu: a_j in [%.6g, %.6g]; PL ratio of x^2+3sin^2x: "
                   "mu_1=%.10g at x=%.10g (grid+golden); measured L=8 max a=%.6g, "
                   "mu=mu_1 min a=%.6g (L/mu=%.6g); gap0=%.6g; start=%s",
                   d, a[jmin], a[jmax], r_get_double(mu1), r_get_double(xhat), dl, dm, dl / dm,
                   r_get_double(gap0), pl_gd_starts[c->start]);
  }
done:
  for (size_t i = 0; i < nreals; i++)
    r_clear(reals[i]);
  free(a);
  if (x)
    vec_free(x);
  if (E)
    vec_free(E);
  if (g)
    vec_free(g);
  if (s)
    vec_free(s);
  return status;
}

static int FUNCTION(pl_gd_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  pl_gd_config c;
  int status = pl_gd_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  if (rng == NULL)
    return TC_ENOMEM;
  mpfr_prec_t prec = FUNCTION(tc_quad_prec)(inst);
  if (c.family == PL_NONCONVEX)
    status = FUNCTION(pl_gd_nonconvex)(out, &c, rng, prec, err, errlen);
  else
    status = FUNCTION(pl_gd_linear)(out, &c, rng, prec, err, errlen);
  gsl_rng_free(rng);
  return status;
}
