/* kernel_source.h — the kernel-quad, kernel-lambda0 and twolayer-grad
 * measurements written once in the generic names of tc_templates_on.h;
 * checks/kernel.c includes it once per backend, after twolayer_source.h.
 * The data and weights are drawn in double by kernel.c and converted
 * exactly, so both backends measure the same instance. */

/* Xb <- X (rows x cols, row-major doubles). */
static void FUNCTION(kernel_load)(MAT *Xb, const double *X)
{
  for (size_t i = 0; i < Xb->rows; i++)
    for (size_t l = 0; l < Xb->cols; l++)
      r_set_double(mat_at(Xb, i, l), X[i * Xb->cols + l]);
}

/* ---- quadrature ---------------------------------------------------------
 * Both arc-cosine kernels reduce to one-dimensional integrals over the
 * first coordinate u ~ N(0, 1) of the standard bivariate normal (u, v) with
 * correlation rho = cos theta, v = rho u + s z, s = sin theta:
 *   P(u >= 0, v >= 0)   = int_0^inf phi(u) Phi(rho u / s) du
 *   E sigma(u) sigma(v) = int_0^inf u phi(u) [rho u Phi(rho u / s) + s phi(rho u / s)] du
 * (E sigma(mu + s z) = mu Phi(mu/s) + s phi(mu/s)).  These use neither the
 * closed forms' arc length nor Cho & Saul's integral, so agreement is an
 * independent check.  Romberg integration on [0, U] with U such that
 * phi(U) is below the working precision; the integrands are analytic, so
 * the Richardson table converges fast (slowly only for theta -> 0, where
 * Phi(rho u / s) tends to a step: the claims keep theta >= 1e-3). */

/* f <- the integrand at u (degree 0 or 1); t1, t2 scratch. */
static void FUNCTION(kernel_integrand)(REAL_PTR f, REAL_SRCPTR u, REAL_SRCPTR rho, REAL_SRCPTR s, int degree,
                                      REAL_PTR t1, REAL_PTR t2, mpfr_prec_t prec)
{
  REAL pi;
  r_init(pi, prec);
  r_pi(pi);
  /* phi(u) = exp(-u^2/2) / sqrt(2 pi) */
  r_sqr(f, u);
  r_mul_double(f, f, -0.5);
  r_exp(f, f);
  r_mul_double(t1, pi, 2.0);
  r_sqrt(t1, t1);
  r_div(f, f, t1);
  /* a = rho u / s; Phi(a) = (1 + erf(a / sqrt 2)) / 2 */
  r_mul(t1, rho, u);
  r_div(t1, t1, s);
  r_set_si(t2, 2);
  r_sqrt(t2, t2);
  r_div(t2, t1, t2);
  r_erf(t2, t2);
  r_add_double(t2, t2, 1.0);
  r_div_double(t2, t2, 2.0); /* Phi(a) */
  if (degree == 0) {
    r_mul(f, f, t2);
  } else {
    /* u phi(u) [s (a Phi(a) + phi(a))] with rho u = s a */
    r_mul(t2, t2, t1); /* a Phi(a) */
    REAL pa;
    r_init(pa, prec);
    r_sqr(pa, t1);
    r_mul_double(pa, pa, -0.5);
    r_exp(pa, pa);
    r_mul_double(t1, pi, 2.0);
    r_sqrt(t1, t1);
    r_div(pa, pa, t1); /* phi(a) */
    r_add(t2, t2, pa);
    r_mul(t2, t2, s);
    r_mul(t2, t2, u);
    r_mul(f, f, t2);
    r_clear(pa);
  }
  r_clear(pi);
}

#define KERNEL_ROMBERG_MAX 18

/* out <- the integral over [0, U] by Romberg; err <- |last two diagonal
 * entries| (the estimate the catalog's `error` key uses). */
static void FUNCTION(kernel_romberg)(REAL_PTR out, REAL_PTR err, REAL_SRCPTR rho, REAL_SRCPTR s, int degree,
                                     double U, mpfr_prec_t prec)
{
  REAL R[KERNEL_ROMBERG_MAX], Rn[KERNEL_ROMBERG_MAX], h, u, f, t1, t2, tol;
  for (size_t k = 0; k < KERNEL_ROMBERG_MAX; k++) {
    r_init(R[k], prec);
    r_init(Rn[k], prec);
  }
  REAL_PTR sc[] = {h, u, f, t1, t2, tol};
  for (size_t k = 0; k < 6; k++)
    r_init(sc[k], prec);
  r_set_double(h, U);
  r_set_si(u, 0);
  FUNCTION(kernel_integrand)(f, u, rho, s, degree, t1, t2, prec);
  r_set(R[0], f);
  r_set_double(u, U);
  FUNCTION(kernel_integrand)(t1, u, rho, s, degree, t2, err, prec);
  r_add(R[0], R[0], t1);
  r_mul(R[0], R[0], h);
  r_div_double(R[0], R[0], 2.0);
  r_set_double(err, INFINITY);
  size_t last = 0;
  for (size_t k = 1; k < KERNEL_ROMBERG_MAX; k++) {
    /* trapezoid with 2^k panels from 2^(k-1) */
    r_div_double(h, h, 2.0);
    r_set_si(f, 0);
    for (unsigned long q = 1; q < (1UL << k); q += 2) {
      r_mul_double(u, h, (double)q);
      FUNCTION(kernel_integrand)(t1, u, rho, s, degree, t2, tol, prec);
      r_add(f, f, t1);
    }
    /* stop when the diagonal moves by less than 2^-(p - 16) of the value
     * (the engine's own rounding allowance), or stops improving */
    r_set_double(t2, 2.0);
    r_pow_si(tol, t2, -(long)(TC_BASE_INDEX ? prec - 16 : 44));
    r_mul(f, f, h);
    r_div_double(Rn[0], R[0], 2.0);
    r_add(Rn[0], Rn[0], f);
    for (size_t j = 1; j <= k; j++) {
      double p4 = ldexp(1.0, (int)(2 * j));
      r_sub(t1, Rn[j - 1], R[j - 1]);
      r_div_double(t1, t1, p4 - 1.0);
      r_add(Rn[j], Rn[j - 1], t1);
    }
    r_set(t2, err);
    r_sub(err, Rn[k], R[k - 1]);
    r_abs(err, err);
    int stalled = k >= 8 && r_cmp(err, t2) >= 0 && r_cmp(t2, t2) == 0;
    for (size_t j = 0; j <= k; j++)
      r_set(R[j], Rn[j]);
    last = k;
    r_abs(t1, R[k]);
    r_mul(t1, t1, tol);
    if ((k >= 4 && r_cmp(err, t1) <= 0) || stalled) {
      if (stalled)
        r_set(err, t2); /* the last useful correction */
      break;
    }
  }
  r_set(out, R[last]);
  for (size_t k = 0; k < KERNEL_ROMBERG_MAX; k++) {
    r_clear(R[k]);
    r_clear(Rn[k]);
  }
  for (size_t k = 0; k < 6; k++)
    r_clear(sc[k]);
}

/* U such that the integrands are below 2^-bits beyond it. */
static double FUNCTION(kernel_cutoff)(mpfr_prec_t prec)
{
  double bits = TC_BASE_INDEX ? (double)prec : 53.0;
  return sqrt(2.0 * (bits + 8.0) * 0.6931471805599453) + 2.0;
}

/* kernel-quad: one row per pair i < j with the closed forms (twolayer_hinf,
 * twolayer_arccos degree 1) and the quadratures:
 *   hinf, hinf_quad = <x_i, x_j> P(u >= 0, v >= 0);
 *   k1, k1_quad = |x_i||x_j| E sigma(u) sigma(v);
 *   theta (stable), quad_err (Romberg's last correction, scaled). */
static int FUNCTION(kernel_quad_rows)(tc_record *out, const double *X, size_t n, size_t d, mpfr_prec_t prec,
                                      char *err, size_t errlen)
{
  MAT *Xb = mat_alloc(n, d, prec), *H = mat_alloc(n, n, prec), *K = mat_alloc(n, n, prec);
  VEC *nrm = vec_alloc(n, prec);
  int status = TC_ENOMEM;
  REAL th, rho, s, q0, q1, e0, e1, g, t1, t2;
  REAL_PTR reals[] = {th, rho, s, q0, q1, e0, e1, g, t1, t2};
  for (size_t k = 0; k < 10; k++)
    r_init(reals[k], prec);
  if (!Xb || !H || !K || !nrm) {
    snprintf(err, errlen, "out of memory (n = %zu, d = %zu)", n, d);
    goto done;
  }
  FUNCTION(kernel_load)(Xb, X);
  FUNCTION(twolayer_norms)(nrm, Xb);
  if ((status = FUNCTION(twolayer_arccos)(H, Xb, 0, prec)) || (status = FUNCTION(twolayer_arccos)(K, Xb, 1, prec)))
    goto done;
  double U = FUNCTION(kernel_cutoff)(prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      FUNCTION(twolayer_angle)(th, Xb, nrm, i, j, t1, t2, prec);
      r_sin(s, th);
      r_div_double(rho, th, 2.0);
      r_sin(rho, rho);
      r_sqr(rho, rho);
      r_mul_double(rho, rho, -2.0);
      r_add_double(rho, rho, 1.0); /* cos theta = 1 - 2 sin^2(theta/2) */
      FUNCTION(kernel_romberg)(q0, e0, rho, s, 0, U, prec);
      FUNCTION(kernel_romberg)(q1, e1, rho, s, 1, U, prec);
      r_set_si(g, 0);
      for (size_t l = 0; l < d; l++)
        r_fma(g, mat_at(Xb, i, l), mat_at(Xb, j, l), g);
      r_mul(q0, q0, g);
      r_abs(g, g);
      r_mul(e0, e0, g);
      r_mul(t1, vec_at(nrm, i), vec_at(nrm, j));
      r_mul(q1, q1, t1);
      r_mul(e1, e1, t1);
      r_max(e0, e0, e1);
      if ((status = record_put(out, "theta", th)) || (status = record_put(out, "hinf", mat_at(H, i, j))) ||
          (status = record_put(out, "hinf_quad", q0)) || (status = record_put(out, "k1", mat_at(K, i, j))) ||
          (status = record_put(out, "k1_quad", q1)) || (status = record_put(out, "quad_err", e0)) ||
          (status = tc_record_end_row(out)))
        goto done;
    }
  status = TC_SUCCESS;
done:
  for (size_t k = 0; k < 10; k++)
    r_clear(reals[k]);
  if (Xb)
    mat_free(Xb);
  if (H)
    mat_free(H);
  if (K)
    mat_free(K);
  if (nrm)
    vec_free(nrm);
  return status;
}

/* kernel-lambda0: lambda0 = lambda_min(H_inf) and lambda0_cert: a
 * certified lower bound, c = lambda0/2 when the Cholesky factorisation of
 * H_inf - c I succeeds in the backend (H_inf - c I positive definite, so
 * lambda0 > c), else -1 (not certified positive). */
static int FUNCTION(kernel_lambda0_row)(tc_record *out, const double *X, size_t n, size_t d, mpfr_prec_t prec,
                                        char *err, size_t errlen)
{
  MAT *Xb = mat_alloc(n, d, prec), *H = mat_alloc(n, n, prec), *L = mat_alloc(n, n, prec);
  VEC *ev = vec_alloc(n, prec);
  EIGEN_WS *ws = eigen_ws_alloc(n, prec);
  REAL lam, c;
  r_init(lam, prec);
  r_init(c, prec);
  int status = TC_ENOMEM;
  if (!Xb || !H || !L || !ev || !ws) {
    snprintf(err, errlen, "out of memory (n = %zu, d = %zu)", n, d);
    goto done;
  }
  FUNCTION(kernel_load)(Xb, X);
  if ((status = FUNCTION(twolayer_hinf)(H, Xb, prec)))
    goto done;
  if ((status = eigen_symm(ev, H, ws)) != TC_SUCCESS) {
    snprintf(err, errlen, "symmetric eigenvalues of H_inf (n = %zu) failed in %s", n, TC_BASE_NAME);
    goto done;
  }
  r_set(lam, vec_at(ev, 0));
  r_set_si(c, -1);
  if (r_sgn(lam) > 0) {
    r_div_double(c, lam, 2.0);
    for (size_t i = 0; i < n; i++)
      r_sub(mat_at(H, i, i), mat_at(H, i, i), c);
    if (cholesky(L, H) != TC_SUCCESS)
      r_set_si(c, -1);
  }
  if ((status = record_put(out, "lambda0", lam)) || (status = record_put(out, "lambda0_cert", c)))
    goto done;
  status = tc_record_end_row(out);
done:
  r_clear(lam);
  r_clear(c);
  if (Xb)
    mat_free(Xb);
  if (H)
    mat_free(H);
  if (L)
    mat_free(L);
  if (ev)
    vec_free(ev);
  if (ws)
    eigen_ws_free(ws);
  return status;
}

/* A two-layer instance in the backend for twolayer-grad. */
typedef struct {
  MAT *W, *X, *G, *Gj, *H;
  VEC *a, *y, *f, *fp, *fm;
  MAT *FD;  /* n x (m d): central differences of f(x_i) in W_kl */
  MAT *FDa; /* n x m: in a_k */
} FUNCTION(kernel_net);

static void FUNCTION(kernel_net_free)(FUNCTION(kernel_net) *nt)
{
  MAT *mats[] = {nt->W, nt->X, nt->G, nt->Gj, nt->H, nt->FD, nt->FDa};
  for (size_t k = 0; k < 7; k++)
    if (mats[k])
      mat_free(mats[k]);
  VEC *vecs[] = {nt->a, nt->y, nt->f, nt->fp, nt->fm};
  for (size_t k = 0; k < 5; k++)
    if (vecs[k])
      vec_free(vecs[k]);
}

/* D (row q) <- (f(x_i; p + h e) - f(x_i; p - h e)) / (2h) for every i, where p
 * is the entry `entry` (W_kl or a_k); the entry is restored exactly. */
static void FUNCTION(kernel_fd_column)(MAT *D, size_t col, REAL_PTR entry, FUNCTION(kernel_net) *nt, double h,
                                       REAL_PTR save, mpfr_prec_t prec)
{
  r_set(save, entry);
  r_add_double(entry, save, h);
  FUNCTION(twolayer_forward)(nt->fp, nt->W, nt->a, nt->X, prec);
  r_add_double(entry, save, -h);
  FUNCTION(twolayer_forward)(nt->fm, nt->W, nt->a, nt->X, prec);
  r_set(entry, save);
  for (size_t i = 0; i < nt->X->rows; i++) {
    r_sub(mat_at(D, i, col), vec_at(nt->fp, i), vec_at(nt->fm, i));
    r_div_double(mat_at(D, i, col), mat_at(D, i, col), 2.0 * h);
  }
}

/* e <- max(e, |a - b|) */
static void FUNCTION(kernel_maxdiff)(REAL_PTR e, REAL_SRCPTR a, REAL_SRCPTR b, REAL_PTR t)
{
  r_sub(t, a, b);
  r_abs(t, t);
  r_max(e, e, t);
}

/* The gradient errors (see kernel.c): grad_err (grad_W f), gradL_err and
 * gradL1_err (the two lines of lecture 000 §3.4), ntk_err and ntk_nom_err
 * (H(W) with and without the 1/m against J J^T), k2_err ((1/m) sum sigma
 * sigma against the a-gradients' inner products). */
static void FUNCTION(kernel_grad_errors)(REAL_PTR *e, FUNCTION(kernel_net) *nt, REAL_PTR t, REAL_PTR u,
                                         mpfr_prec_t prec)
{
  size_t n = nt->X->rows, m = nt->W->rows, d = nt->W->cols;
  for (size_t q = 0; q < 6; q++)
    r_set_si(e[q], 0);
  for (size_t i = 0; i < n; i++) {
    FUNCTION(twolayer_grad)(nt->G, NULL, nt->W, nt->a, nt->X, i, prec);
    for (size_t k = 0; k < m; k++)
      for (size_t l = 0; l < d; l++)
        FUNCTION(kernel_maxdiff)(e[0], mat_at(nt->G, k, l), mat_at(nt->FD, i, k * d + l), t);
  }
  /* grad L: FD of L = 1/2 sum (y - f)^2 is sum_i (f_i - y_i) FD_i (exact:
   * L is quadratic in each entry away from kinks); line 2 of the notes is
   * -sum_i (y_i - f_i) grad f(x_i), line 1 as written +sum_i (y_i - f_i) grad f(x_i). */
  for (size_t k = 0; k < m; k++)
    for (size_t l = 0; l < d; l++) {
      REAL_PTR fd = vec_at(nt->fp, 0); /* scratch */
      r_set_si(fd, 0);
      r_set_si(u, 0);
      for (size_t i = 0; i < n; i++) {
        FUNCTION(twolayer_grad)(nt->G, NULL, nt->W, nt->a, nt->X, i, prec);
        r_sub(t, vec_at(nt->f, i), vec_at(nt->y, i));
        r_fma(fd, t, mat_at(nt->FD, i, k * d + l), fd);
        r_fma(u, t, mat_at(nt->G, k, l), u); /* line 2: -(y - f) grad f */
      }
      FUNCTION(kernel_maxdiff)(e[1], u, fd, t);
      r_neg(u, u); /* line 1 as written */
      FUNCTION(kernel_maxdiff)(e[2], u, fd, t);
    }
  /* H(W) against J J^T (J = FD rows) */
  FUNCTION(twolayer_ntk)(nt->H, nt->W, NULL, nt->X, prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_set_si(u, 0);
      for (size_t c = 0; c < m * d; c++)
        r_fma(u, mat_at(nt->FD, i, c), mat_at(nt->FD, j, c), u);
      FUNCTION(kernel_maxdiff)(e[3], mat_at(nt->H, i, j), u, t);
      r_mul_double(t, mat_at(nt->H, i, j), (double)m);
      FUNCTION(kernel_maxdiff)(e[4], t, u, vec_at(nt->fm, 0));
    }
  /* K2 = (1/m) sum_k sigma(W_k x_i) sigma(W_k x_j) against <grad_a f(x_i), grad_a f(x_j)> */
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_set_si(u, 0);
      for (size_t k = 0; k < m; k++)
        r_fma(u, mat_at(nt->FDa, i, k), mat_at(nt->FDa, j, k), u);
      REAL_PTR k2 = vec_at(nt->fp, 0), si = vec_at(nt->fm, 0);
      r_set_si(k2, 0);
      for (size_t k = 0; k < m; k++) {
        FUNCTION(twolayer_preact)(si, nt->W, k, nt->X, i);
        FUNCTION(twolayer_preact)(t, nt->W, k, nt->X, j);
        if (r_sgn(si) > 0 && r_sgn(t) > 0)
          r_fma(k2, si, t, k2);
      }
      r_div_double(k2, k2, (double)m);
      FUNCTION(kernel_maxdiff)(e[5], k2, u, t);
    }
}

/* twolayer-grad: one row (names in kernel.c). W, a, X, y as doubles. */
static int FUNCTION(kernel_grad_row)(tc_record *out, const double *W, const double *a, const double *X,
                                     const double *y, size_t n, size_t m, size_t d, double h, mpfr_prec_t prec,
                                     char *err, size_t errlen)
{
  FUNCTION(kernel_net) nt = {mat_alloc(m, d, prec), mat_alloc(n, d, prec), mat_alloc(m, d, prec),
                             mat_alloc(m, d, prec), mat_alloc(n, n, prec), vec_alloc(m, prec),
                             vec_alloc(n, prec), vec_alloc(n, prec), vec_alloc(n, prec),
                             vec_alloc(n, prec), mat_alloc(n, m * d, prec), mat_alloc(n, m, prec)};
  REAL e[6], t, u, tol;
  for (size_t q = 0; q < 6; q++)
    r_init(e[q], prec);
  r_init(t, prec);
  r_init(u, prec);
  r_init(tol, prec);
  int status = TC_ENOMEM;
  if (!nt.W || !nt.X || !nt.G || !nt.Gj || !nt.H || !nt.a || !nt.y || !nt.f || !nt.fp || !nt.fm || !nt.FD ||
      !nt.FDa) {
    snprintf(err, errlen, "out of memory (n = %zu, m = %zu, d = %zu)", n, m, d);
    goto done;
  }
  FUNCTION(kernel_load)(nt.W, W);
  FUNCTION(kernel_load)(nt.X, X);
  for (size_t k = 0; k < m; k++)
    r_set_double(vec_at(nt.a, k), a[k]);
  for (size_t i = 0; i < n; i++)
    r_set_double(vec_at(nt.y, i), y[i]);
  FUNCTION(twolayer_forward)(nt.f, nt.W, nt.a, nt.X, prec);
  for (size_t k = 0; k < m; k++) {
    for (size_t l = 0; l < d; l++)
      FUNCTION(kernel_fd_column)(nt.FD, k * d + l, mat_at(nt.W, k, l), &nt, h, t, prec);
    FUNCTION(kernel_fd_column)(nt.FDa, k, vec_at(nt.a, k), &nt, h, t, prec);
  }
  REAL_PTR ep[6] = {e[0], e[1], e[2], e[3], e[4], e[5]};
  FUNCTION(kernel_grad_errors)(ep, &nt, t, u, prec);
  /* fd_tol: f and L are linear / quadratic in each entry between kinks
   * (kernel.c keeps every pre-activation > 4 h |x_i| |W_k| from 0), so a
   * central difference is exact up to rounding: a few ulps of the values
   * (|f|, L <= 1e3 here) divided by 2h; 2^12 ulps is a wide margin. */
  /* The double allowance in both backends, so the two report the same
   * tolerance (MPFR's own errors are far below it). */
  r_set_double(tol, ldexp(1.0, -53 + 12) / h);
  static const char *const names[6] = {"grad_err", "gradL_err", "gradL1_err", "ntk_err", "ntk_nom_err", "k2_err"};
  status = TC_SUCCESS;
  for (size_t q = 0; q < 6 && status == TC_SUCCESS; q++)
    status = record_put(out, names[q], e[q]);
  if (status == TC_SUCCESS && (status = record_put(out, "fd_tol", tol)) == TC_SUCCESS)
    status = tc_record_end_row(out);
done:
  for (size_t q = 0; q < 6; q++)
    r_clear(e[q]);
  r_clear(t);
  r_clear(u);
  r_clear(tol);
  FUNCTION(kernel_net_free)(&nt);
  return status;
}

/* twolayer-f0: f_0(x)^2 at one input for a_k = +-1 (f0sq_pm) and for
 * a_k = 1 (f0sq_one), the same W; xnorm2 = |x|^2. */
static int FUNCTION(kernel_f0_row)(tc_record *out, const double *W, const double *a, const double *x, size_t m,
                                   size_t d, mpfr_prec_t prec, char *err, size_t errlen)
{
  MAT *Wb = mat_alloc(m, d, prec), *Xb = mat_alloc(1, d, prec);
  VEC *ab = vec_alloc(m, prec), *f = vec_alloc(1, prec);
  REAL t;
  r_init(t, prec);
  int status = TC_ENOMEM;
  if (!Wb || !Xb || !ab || !f) {
    snprintf(err, errlen, "out of memory (m = %zu, d = %zu)", m, d);
    goto done;
  }
  FUNCTION(kernel_load)(Wb, W);
  FUNCTION(kernel_load)(Xb, x);
  for (size_t k = 0; k < m; k++)
    r_set_double(vec_at(ab, k), a[k]);
  FUNCTION(twolayer_forward)(f, Wb, ab, Xb, prec);
  r_sqr(t, vec_at(f, 0));
  if ((status = record_put(out, "f0sq_pm", t)))
    goto done;
  for (size_t k = 0; k < m; k++)
    r_set_si(vec_at(ab, k), 1);
  FUNCTION(twolayer_forward)(f, Wb, ab, Xb, prec);
  r_sqr(t, vec_at(f, 0));
  if ((status = record_put(out, "f0sq_one", t)))
    goto done;
  r_set_si(t, 0);
  for (size_t l = 0; l < d; l++)
    r_fma(t, mat_at(Xb, 0, l), mat_at(Xb, 0, l), t);
  if ((status = record_put(out, "xnorm2", t)))
    goto done;
  status = tc_record_end_row(out);
done:
  r_clear(t);
  if (Wb)
    mat_free(Wb);
  if (Xb)
    mat_free(Xb);
  if (ab)
    vec_free(ab);
  if (f)
    vec_free(f);
  return status;
}
