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

/* One GD run on a family with a constant Hessian H (A, or M^T M), in one
 * place so that the phases below share it instead of a dozen arguments:
 * the instance (lam, Q, H; for least squares also U, M, x+ = xdag, r* =
 * rstar and the data y = yls), the iterate e_k = x_k - x* with its
 * gradient g = H e_k, scratch vectors (t, yq, er, x0), and the scalars of
 * the error analysis in pl_lin_run. */
typedef struct {
  const pl_gd_config *c;
  size_t d, nz, rank, n; /* n = rows of M (d + 2), or d */
  int lstsq;
  mpfr_prec_t prec;
  double *lam;
  MAT *Q, *H, *U, *M;
  VEC *e, *g, *t, *xdag, *rstar, *yq, *er, *x0, *yls;
  REAL mu, L, gap, gap0, nrm, gnrm, evr, E, gerr, tmp, rho, gamma, minv, fstar, fdirect, prev,
      prev_err;
} FUNCTION(pl_lin);

/* r_init (init != 0) or r_clear each of the n scalars, so that a
 * workspace lists its scalars once for both. */
static void FUNCTION(pl_reals)(REAL_PTR *all, size_t n, mpfr_prec_t prec, int init)
{
  for (size_t i = 0; i < n; i++) {
    if (init)
      r_init(all[i], prec);
    else
      r_clear(all[i]);
  }
}

static void FUNCTION(pl_lin_scalars)(FUNCTION(pl_lin) *s, int init)
{
  REAL_PTR all[] = {s->mu, s->L, s->gap, s->gap0, s->nrm, s->gnrm, s->evr, s->E, s->gerr, s->tmp,
                    s->rho, s->gamma, s->minv, s->fstar, s->fdirect, s->prev, s->prev_err};
  FUNCTION(pl_reals)(all, sizeof all / sizeof all[0], s->prec, init);
}

/* Draws the number of zero eigenvalues (rng's first draw: the order of
 * the draws is what fixes the instance for a seed) and allocates; s is
 * safe to pass to pl_lin_free even when this fails. */
static int FUNCTION(pl_lin_alloc)(FUNCTION(pl_lin) *s, const pl_gd_config *c, gsl_rng *rng,
                                  mpfr_prec_t prec)
{
  size_t d = c->d;
  int lstsq = c->family == PL_LSTSQ;
  s->c = c;
  s->d = d;
  s->lstsq = lstsq;
  s->prec = prec;
  s->nz = c->family == PL_QUADRATIC ? 0 : tc_quad_nzero(d, rng);
  s->rank = d - s->nz;
  s->n = lstsq ? d + 2 : d;
  FUNCTION(pl_lin_scalars)(s, 1);
  s->lam = malloc(d * sizeof *s->lam);
  s->Q = mat_alloc(d, d, prec);
  s->H = mat_alloc(d, d, prec);
  s->U = lstsq ? mat_alloc(s->n, s->n, prec) : NULL;
  s->M = lstsq ? mat_alloc(s->n, d, prec) : NULL;
  s->e = vec_alloc(d, prec);
  s->g = vec_alloc(d, prec);
  s->t = vec_alloc(s->n, prec);
  s->xdag = vec_alloc(d, prec);
  s->rstar = vec_alloc(s->n, prec);
  s->yq = vec_alloc(d, prec);
  s->er = vec_alloc(d, prec);
  s->x0 = lstsq ? vec_alloc(d, prec) : NULL;
  s->yls = lstsq ? vec_alloc(s->n, prec) : NULL;
  if (!s->lam || !s->Q || !s->H || !s->e || !s->g || !s->t || !s->xdag || !s->rstar || !s->yq ||
      !s->er || (lstsq && (!s->U || !s->M || !s->x0 || !s->yls)))
    return TC_ENOMEM;
  return TC_SUCCESS;
}

/* mat_free and vec_free accept NULL (the lstsq-only objects). */
static void FUNCTION(pl_lin_free)(FUNCTION(pl_lin) *s)
{
  MAT *mats[] = {s->Q, s->H, s->U, s->M};
  VEC *vecs[] = {s->e, s->g, s->t, s->xdag, s->rstar, s->yq, s->er, s->x0, s->yls};
  FUNCTION(pl_lin_scalars)(s, 0);
  free(s->lam);
  for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
    mat_free(mats[i]);
  for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++)
    vec_free(vecs[i]);
}

/* M = sum_{k < rank} sigma_k u_k v_k^T with sigma_k^2 the positive
 * lambdas, v_k = column nz + k of Q (columns 0..nz-1 span null(M)),
 * u_k = column k of a random orthogonal U of size n = d + 2; H = M^T M. */
static int FUNCTION(pl_lin_lstsq_matrix)(FUNCTION(pl_lin) *s, gsl_rng *rng)
{
  int status = FUNCTION(tc_quad_orthogonal)(s->U, rng, s->prec);
  if (status)
    return status;
  for (size_t a = 0; a < s->n; a++)
    for (size_t b = 0; b < s->d; b++) {
      r_set_si(mat_at(s->M, a, b), 0);
      for (size_t k = 0; k < s->rank; k++) {
        r_set_double(s->tmp, s->lam[s->nz + k]);
        r_sqrt(s->tmp, s->tmp);
        r_mul(s->tmp, s->tmp, mat_at(s->U, a, k));
        r_fma(mat_at(s->M, a, b), s->tmp, mat_at(s->Q, b, s->nz + k), mat_at(s->M, a, b));
      }
    }
  return mat_gram(s->H, s->M);
}

/* The Hessian H of the family, then mu and L measured from it. */
static int FUNCTION(pl_lin_hessian)(FUNCTION(pl_lin) *s, gsl_rng *rng, char *err, size_t errlen)
{
  int status;
  tc_quad_spectrum(s->lam, s->d, s->nz, s->c->kappa, rng);
  if ((status = FUNCTION(tc_quad_orthogonal)(s->Q, rng, s->prec)))
    return status;
  if (s->lstsq) {
    if ((status = FUNCTION(pl_lin_lstsq_matrix)(s, rng)))
      return status;
  } else {
    FUNCTION(tc_quad_form)(s->H, s->Q, s->lam, s->prec);
  }
  return FUNCTION(tc_quad_mu_L)(s->mu, s->L, s->H, s->nz, s->prec, err, errlen);
}

/* x_0 - x*: Gaussian, or the eigenvector of mu (the slowest direction)
 * plus a Gaussian component in null(H), which GD never moves. */
static void FUNCTION(pl_lin_start)(FUNCTION(pl_lin) *s, gsl_rng *rng)
{
  size_t d = s->d;
  if (s->c->start == PL_START_RANDOM) {
    for (size_t i = 0; i < d; i++)
      r_set_double(vec_at(s->e, i), gsl_ran_gaussian(rng, 1.0));
    return;
  }
  for (size_t i = 0; i < d; i++)
    r_set(vec_at(s->e, i), mat_at(s->Q, i, s->nz));
  for (size_t j = 0; j < s->nz; j++) {
    r_set_double(s->tmp, gsl_ran_gaussian(rng, 1.0));
    for (size_t i = 0; i < d; i++)
      r_fma(vec_at(s->e, i), s->tmp, mat_at(s->Q, i, j), vec_at(s->e, i));
  }
}

/* Least squares: x+ in range(M^T), r* in range(M)^perp (columns
 * rank..n-1 of U), y = M x+ + r*, f* = 1/2 ||r*||^2 > 0.  Then
 * fdirect = f(x_0) - f* the naive way, M x_0 - y with x_0 = x+ + e_0,
 * for the note: it shows the cancellation the stable form avoids. */
static int FUNCTION(pl_lin_lstsq_data)(FUNCTION(pl_lin) *s, gsl_rng *rng)
{
  int status = TC_SUCCESS;
  for (size_t k = 0; k < s->rank; k++) {
    r_set_double(s->tmp, gsl_ran_gaussian(rng, 1.0));
    for (size_t i = 0; i < s->d; i++)
      r_fma(vec_at(s->xdag, i), s->tmp, mat_at(s->Q, i, s->nz + k), vec_at(s->xdag, i));
  }
  for (size_t k = s->rank; k < s->n; k++) {
    r_set_double(s->tmp, gsl_ran_gaussian(rng, 1.0));
    for (size_t i = 0; i < s->n; i++)
      r_fma(vec_at(s->rstar, i), s->tmp, mat_at(s->U, i, k), vec_at(s->rstar, i));
  }
  TC_TRY(vec_dot(s->fstar, s->rstar, s->rstar));
  r_mul_double(s->fstar, s->fstar, 0.5);
  TC_TRY(mat_gemv(s->yls, s->M, s->xdag));
  r_set_si(s->tmp, 1);
  TC_TRY(vec_axpy(s->yls, s->tmp, s->rstar));
  TC_TRY(vec_copy(s->x0, s->xdag));
  TC_TRY(vec_axpy(s->x0, s->tmp, s->e));
  TC_TRY(mat_gemv(s->t, s->M, s->x0));
  r_set_si(s->tmp, -1);
  TC_TRY(vec_axpy(s->t, s->tmp, s->yls));
  TC_TRY(vec_dot(s->fdirect, s->t, s->t));
  r_mul_double(s->fdirect, s->fdirect, 0.5);
  r_sub(s->fdirect, s->fdirect, s->fstar);
done:
  return status;
}

/* gap = f(x_k) - f* at e = e_k, with g = H e_k (the gradient), nrm =
 * ||e_k|| and evr, the scale of the rounding of evaluating the form (see
 * pl_lin_run). */
static int FUNCTION(pl_lin_gap)(FUNCTION(pl_lin) *s)
{
  int status = TC_SUCCESS;
  TC_TRY(vec_norm2(s->nrm, s->e));
  if (s->lstsq) {
    TC_TRY(mat_gemv(s->t, s->M, s->e));
    TC_TRY(mat_gemv_trans(s->g, s->M, s->t));
    TC_TRY(vec_dot(s->gap, s->t, s->t));
    TC_TRY(vec_norm2(s->evr, s->t));
    r_sqrt(s->tmp, s->L);
    r_mul(s->evr, s->evr, s->tmp);
  } else if (s->c->family == PL_SINGULAR) {
    /* e_r = P e, the projection on range(A) = e - its projection on the
     * solution set: gap = 1/2 e_r^T A e.  Without it the null component
     * would meet the O(u L) eigenvalues of the rounded A and floor the
     * gap at u L ||e_null||^2 (1e-16 in double). */
    TC_TRY(mat_gemv(s->g, s->H, s->e));
    TC_TRY(mat_gemv_trans(s->yq, s->Q, s->e));
    for (size_t j = 0; j < s->nz; j++)
      r_set_si(vec_at(s->yq, j), 0);
    TC_TRY(mat_gemv(s->er, s->Q, s->yq));
    TC_TRY(vec_dot(s->gap, s->er, s->g));
    TC_TRY(vec_norm2(s->evr, s->er));
    r_mul(s->evr, s->evr, s->L);
  } else {
    TC_TRY(mat_gemv(s->g, s->H, s->e));
    TC_TRY(vec_dot(s->gap, s->e, s->g));
    r_mul(s->evr, s->nrm, s->L);
  }
  r_mul_double(s->gap, s->gap, 0.5);
done:
  return status;
}

/* gerr = (1 + gamma) (||H e|| E + L E^2 / 2) + gamma n ||e|| evr: the
 * gap_err of pl_lin_run's comment. */
static int FUNCTION(pl_lin_gap_err)(FUNCTION(pl_lin) *s)
{
  int status = vec_norm2(s->gnrm, s->g);
  if (status)
    return status;
  r_mul(s->gerr, s->E, s->E);
  r_mul(s->gerr, s->gerr, s->L);
  r_mul_double(s->gerr, s->gerr, 0.5);
  r_fma(s->gerr, s->gnrm, s->E, s->gerr);
  r_add_double(s->tmp, s->gamma, 1.0);
  r_mul(s->gerr, s->gerr, s->tmp);
  r_mul(s->tmp, s->evr, s->nrm);
  r_mul(s->tmp, s->tmp, s->gamma);
  r_mul_double(s->tmp, s->tmp, (double)s->n);
  r_add(s->gerr, s->gerr, s->tmp);
  return TC_SUCCESS;
}

/* One GD step e <- e - g/L, and the error bound carried with it:
 * E <- (rho + gamma) E + gamma (2 + 2n) ||e_k||. */
static int FUNCTION(pl_lin_step)(FUNCTION(pl_lin) *s)
{
  int status = vec_axpy(s->e, s->minv, s->g);
  if (status)
    return status;
  r_add(s->tmp, s->rho, s->gamma);
  r_mul(s->E, s->E, s->tmp);
  r_mul(s->tmp, s->gamma, s->nrm);
  r_mul_double(s->tmp, s->tmp, 2.0 + 2.0 * (double)s->n);
  r_add(s->E, s->E, s->tmp);
  return TC_SUCCESS;
}

/* The GD run and its rows.  gap_err, the rounding error of the computed
 * gap.  gamma = 4 (n + 2) u
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
static int FUNCTION(pl_lin_run)(FUNCTION(pl_lin) *s, tc_record *out)
{
  int status = TC_SUCCESS;
  long iterations = s->c->iterations;
  FUNCTION(tc_quad_unit_roundoff)(s->gamma, s->prec);
  r_mul_double(s->gamma, s->gamma, 4.0 * (double)(s->n + 2));
  r_div(s->rho, s->mu, s->L);
  r_neg(s->rho, s->rho);
  r_add_double(s->rho, s->rho, 1.0);
  r_set_si(s->minv, -1);
  r_div(s->minv, s->minv, s->L);
  r_set_si(s->E, 0);
  for (long k = 0; k <= iterations; k++) {
    TC_TRY(FUNCTION(pl_lin_gap)(s));
    if (k == 0) {
      r_set(s->gap0, s->gap);
      r_set(s->prev, s->gap);
      r_set_si(s->prev_err, 0);
    } else {
      TC_TRY(FUNCTION(pl_lin_gap_err)(s));
      TC_TRY(FUNCTION(pl_gd_row)(out, k, s->gap, s->gap0, s->mu, s->L, s->gerr, s->prev,
                                 s->prev_err, s->prec));
    }
    if (k < iterations)
      TC_TRY(FUNCTION(pl_lin_step)(s));
  }
done:
  return status;
}

static void FUNCTION(pl_lin_note)(FUNCTION(pl_lin) *s, tc_record *out)
{
  const pl_gd_config *c = s->c;
  double dl = r_get_double(s->L), dm = r_get_double(s->mu);
  if (s->lstsq) {
    r_sub(s->tmp, s->fdirect, s->gap0);
    r_div(s->tmp, s->tmp, s->gap0);
    tc_record_note(out, "%s d=%zu (M is %zux%zu of rank %zu): measured L=%.6g mu=%.6g "
                   "(L/mu=%.6g); f*=%.6g; f(x0)-f* by direct subtraction is off from the "
                   "stable gap0=%.6g by %.2g relative; start=%s",
                   pl_gd_families[c->family], s->d, s->n, s->d, s->rank, dl, dm, dl / dm,
                   r_get_double(s->fstar), r_get_double(s->gap0), r_get_double(s->tmp),
                   pl_gd_starts[c->start]);
  } else {
    tc_record_note(out, "%s d=%zu: measured L=%.6g mu=%.6g (L/mu=%.6g), %zu zero eigenvalues; "
                   "gap0=%.6g; start=%s", pl_gd_families[c->family], s->d, dl, dm, dl / dm, s->nz,
                   r_get_double(s->gap0), pl_gd_starts[c->start]);
  }
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
 * count: minimisers are not unique).  The draws from rng come in the
 * order nz, spectrum, Q, U, e_0, x+, r*. */
static int FUNCTION(pl_gd_linear)(tc_record *out, const pl_gd_config *c, gsl_rng *rng,
                                  mpfr_prec_t prec, char *err, size_t errlen)
{
  FUNCTION(pl_lin) s;
  int status = FUNCTION(pl_lin_alloc)(&s, c, rng, prec);
  if (status == TC_SUCCESS)
    status = FUNCTION(pl_lin_hessian)(&s, rng, err, errlen);
  if (status == TC_SUCCESS) {
    FUNCTION(pl_lin_start)(&s, rng);
    if (s.lstsq)
      status = FUNCTION(pl_lin_lstsq_data)(&s, rng);
  }
  if (status == TC_SUCCESS)
    status = FUNCTION(pl_lin_run)(&s, out);
  if (status == TC_SUCCESS)
    FUNCTION(pl_lin_note)(&s, out);
  FUNCTION(pl_lin_free)(&s);
  return status;
}

/* One GD run on nonconvex-pl: the weights a_j (jmin, jmax index the
 * smallest and largest), the iterate x with its per-coordinate error
 * bound E, g_j = a_j h'(x_j) and s_j = sin x_j of the current iterate
 * (the step reuses them), and the scalars; one struct so that the phases
 * below share it. */
typedef struct {
  const pl_gd_config *c;
  size_t d, jmin, jmax;
  mpfr_prec_t prec;
  double *a;
  VEC *x, *E, *g, *s;
  REAL mu1, xhat, xb, rb, mu, L, gap, gap0, gerr, u, tmp, tmp2, aL, xn, prev, prev_err;
} FUNCTION(pl_ncv);

static void FUNCTION(pl_ncv_scalars)(FUNCTION(pl_ncv) *s, int init)
{
  REAL_PTR all[] = {s->mu1, s->xhat, s->xb, s->rb, s->mu, s->L, s->gap, s->gap0, s->gerr, s->u,
                    s->tmp, s->tmp2, s->aL, s->xn, s->prev, s->prev_err};
  FUNCTION(pl_reals)(all, sizeof all / sizeof all[0], s->prec, init);
}

/* vec_free accepts NULL. */
static void FUNCTION(pl_ncv_free)(FUNCTION(pl_ncv) *s)
{
  FUNCTION(pl_ncv_scalars)(s, 0);
  free(s->a);
  vec_free(s->x);
  vec_free(s->E);
  vec_free(s->g);
  vec_free(s->s);
}

/* mu_1 = min_x R(x), R = h'^2 / (2 h), and its argument xhat: the double
 * grid brackets each local minimum, golden section refines it in the
 * backend's precision.  The limits x -> 0 (R -> 8) and x -> inf (R -> 2)
 * are candidates too; an interior minimum below 2 must be found. */
static int FUNCTION(pl_ncv_mu1)(FUNCTION(pl_ncv) *s, pl_bracket *br, size_t *nb, char *err,
                                size_t errlen)
{
  int status = pl_ncv_brackets(br, nb);
  if (status) {
    snprintf(err, errlen, "nonconvex-pl: the grid search for the PL constant failed its tail check");
    return status;
  }
  r_set_si(s->mu1, 2);
  r_set_double(s->xhat, INFINITY);
  for (size_t i = 0; i < *nb; i++) {
    FUNCTION(pl_ncv_golden)(s->xb, s->rb, br[i].lo, br[i].hi, s->prec);
    if (r_cmp(s->rb, s->mu1) < 0) {
      r_set(s->mu1, s->rb);
      r_set(s->xhat, s->xb);
    }
  }
  if (!r_is_finite(s->xhat)) {
    snprintf(err, errlen, "nonconvex-pl: no interior minimum of the PL ratio found");
    return TC_EFAILED;
  }
  return TC_SUCCESS;
}

/* gap = f(x) = sum_j a_j h(x_j) and gerr = sum_j |a_j h'(x_j)| E_j +
 * (8 a_j / 2) E_j^2, the gap at a point within E_j (h'' <= 8); leaves
 * g_j = a_j h'(x_j) and s_j = sin x_j for the step. */
static void FUNCTION(pl_ncv_gap)(FUNCTION(pl_ncv) *s)
{
  r_set_si(s->gap, 0);
  r_set_si(s->gerr, 0);
  for (size_t j = 0; j < s->d; j++) {
    REAL_PTR xj = vec_at(s->x, j);
    r_sin(vec_at(s->s, j), xj);
    r_add(s->tmp, xj, xj);
    r_sin(s->tmp2, s->tmp);
    r_mul_double(s->tmp2, s->tmp2, 3.0);
    r_add(s->tmp, s->tmp, s->tmp2);
    r_mul_double(vec_at(s->g, j), s->tmp, s->a[j]); /* a_j h'(x_j) */
    r_sqr(s->tmp, vec_at(s->s, j));
    r_mul_double(s->tmp, s->tmp, 3.0);
    r_fma(s->tmp, xj, xj, s->tmp);
    r_mul_double(s->tmp, s->tmp, s->a[j]); /* a_j h(x_j) */
    r_add(s->gap, s->gap, s->tmp);
    r_abs(s->tmp, vec_at(s->g, j));
    r_mul(s->tmp, s->tmp, vec_at(s->E, j));
    r_add(s->gerr, s->gerr, s->tmp);
    r_sqr(s->tmp, vec_at(s->E, j));
    r_mul_double(s->tmp, s->tmp, 4.0 * s->a[j]);
    r_add(s->gerr, s->gerr, s->tmp);
  }
}

/* One GD step x_j <- x_j - g_j / L per coordinate, and E_j <- m E_j +
 * 8 u (|x_j| + |x_j'|) with m = |1 - (a/L)(8 - 12 sin^2 x)| + 12 (a/L) E,
 * the bound on the step map's derivative near x_j (see pl_gd_nonconvex). */
static void FUNCTION(pl_ncv_step)(FUNCTION(pl_ncv) *s)
{
  for (size_t j = 0; j < s->d; j++) {
    REAL_PTR xj = vec_at(s->x, j);
    REAL_PTR Ej = vec_at(s->E, j);
    r_div(s->tmp, vec_at(s->g, j), s->L);
    r_sub(s->xn, xj, s->tmp);
    r_set_double(s->aL, s->a[j]);
    r_div(s->aL, s->aL, s->L);
    r_sqr(s->tmp, vec_at(s->s, j));
    r_mul_double(s->tmp, s->tmp, -12.0);
    r_add_double(s->tmp, s->tmp, 8.0);
    r_mul(s->tmp, s->tmp, s->aL);
    r_neg(s->tmp, s->tmp);
    r_add_double(s->tmp, s->tmp, 1.0);
    r_abs(s->tmp, s->tmp);
    r_mul(s->tmp2, s->aL, Ej);
    r_mul_double(s->tmp2, s->tmp2, 12.0);
    r_add(s->tmp, s->tmp, s->tmp2);
    r_mul(Ej, Ej, s->tmp);
    r_abs(s->tmp, xj);
    r_abs(s->tmp2, s->xn);
    r_add(s->tmp, s->tmp, s->tmp2);
    r_mul(s->tmp, s->tmp, s->u);
    r_mul_double(s->tmp, s->tmp, 8.0);
    r_add(Ej, Ej, s->tmp);
    r_set(xj, s->xn);
  }
}

/* The rows: gap_err = the propagated gerr + 8 u gap (evaluating f). */
static int FUNCTION(pl_ncv_run)(FUNCTION(pl_ncv) *s, tc_record *out)
{
  long iterations = s->c->iterations;
  FUNCTION(tc_quad_unit_roundoff)(s->u, s->prec);
  for (long k = 0; k <= iterations; k++) {
    FUNCTION(pl_ncv_gap)(s);
    if (k == 0) {
      r_set(s->gap0, s->gap);
      r_set(s->prev, s->gap);
      r_set_si(s->prev_err, 0);
    } else {
      r_mul(s->tmp, s->u, s->gap);
      r_mul_double(s->tmp, s->tmp, 8.0);
      r_add(s->gerr, s->gerr, s->tmp);
      int status = FUNCTION(pl_gd_row)(out, k, s->gap, s->gap0, s->mu, s->L, s->gerr, s->prev,
                                       s->prev_err, s->prec);
      if (status)
        return status;
    }
    if (k < iterations)
      FUNCTION(pl_ncv_step)(s);
  }
  return TC_SUCCESS;
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
  FUNCTION(pl_ncv) s = {.c = c, .d = d, .prec = prec};
  FUNCTION(pl_ncv_scalars)(&s, 1);
  s.a = malloc(d * sizeof *s.a);
  s.x = vec_alloc(d, prec);
  s.E = vec_alloc(d, prec);
  s.g = vec_alloc(d, prec);
  s.s = vec_alloc(d, prec);
  int status = s.a && s.x && s.E && s.g && s.s ? TC_SUCCESS : TC_ENOMEM;
  pl_bracket br[PL_NCV_MAX_BRACKETS];
  size_t nb = 0;
  if (status == TC_SUCCESS) {
    tc_quad_spectrum(s.a, d, 0, c->kappa, rng);
    gsl_ran_shuffle(rng, s.a, d, sizeof *s.a);
    for (size_t j = 1; j < d; j++) {
      if (s.a[j] < s.a[s.jmin])
        s.jmin = j;
      if (s.a[j] > s.a[s.jmax])
        s.jmax = j;
    }
    status = FUNCTION(pl_ncv_mu1)(&s, br, &nb, err, errlen);
  }
  if (status == TC_SUCCESS) {
    r_set_double(s.L, 8.0 * s.a[s.jmax]);
    r_mul_double(s.mu, s.mu1, s.a[s.jmin]);
    if (c->start == PL_START_RANDOM) {
      for (size_t j = 0; j < d; j++)
        r_set_double(vec_at(s.x, j), gsl_ran_flat(rng, -5.0, 5.0));
    } else {
      /* The worst point of the PL inequality, in the slowest coordinate. */
      r_set_double(vec_at(s.x, s.jmin), pl_ncv_argmin_start(br, nb));
      if (gsl_rng_uniform(rng) < 0.5)
        r_neg(vec_at(s.x, s.jmin), vec_at(s.x, s.jmin));
    }
    status = FUNCTION(pl_ncv_run)(&s, out);
  }
  if (status == TC_SUCCESS) {
    double dl = r_get_double(s.L), dm = r_get_double(s.mu);
    tc_record_note(out, "nonconvex-pl d=%zu: a_j in [%.6g, %.6g]; PL ratio of x^2+3sin^2x: "
                   "mu_1=%.10g at x=%.10g (grid+golden); measured L=8 max a=%.6g, "
                   "mu=mu_1 min a=%.6g (L/mu=%.6g); gap0=%.6g; start=%s",
                   d, s.a[s.jmin], s.a[s.jmax], r_get_double(s.mu1), r_get_double(s.xhat), dl, dm,
                   dl / dm, r_get_double(s.gap0), pl_gd_starts[c->start]);
  }
  FUNCTION(pl_ncv_free)(&s);
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
