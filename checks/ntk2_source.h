/* ntk2_source.h — measurements of checks/ntk2.c written once in the
 * generic names of tc_templates_on.h (instantiated per backend).  The
 * random draws are made in double by ntk2.c and converted exactly, so
 * both backends measure the same instance. */

/* Record factor * 2^(1 - prec) + add in the backend's type (the double
 * instantiation is called with prec = 53).  As a double,
 * 2^(1 - prec) is 0 beyond 1075 bits (--precision mpfr:1200), and an error
 * estimate of 0 turned the rounding of true identities into violations. */
static int FUNCTION(ntk2_put_eps)(tc_record *out, const char *name, double factor, double add,
                                  mpfr_prec_t prec)
{
  REAL e;
  r_init(e, prec);
  r_set_double(e, factor);
  for (long left = (long)prec - 1; left > 0; left -= 1000)
    r_mul_double(e, e, ldexp(1.0, -(int)(left > 1000 ? 1000 : left)));
  r_add_double(e, e, add);
  int st = record_put(out, name, e);
  r_clear(e);
  return st;
}

/* ---- ntk-taylor ------------------------------------------------------------
 * The Taylor coefficients c_j of the two-layer ReLU NTK on the unit sphere,
 * K(rho) = rho kappa_0(rho) + kappa_1(rho) with
 *   rho kappa_0 = rho (pi - arccos rho)/(2 pi) = rho/4 + rho arcsin(rho)/(2 pi)
 *   kappa_1     = (sqrt(1 - rho^2) + (pi - arccos rho) rho)/(2 pi).
 * With t_k = binom(2k, k)/4^k (t_k = t_{k-1}(2k - 1)/(2k)):
 *   arcsin rho = sum_k t_k/(2k + 1) rho^{2k+1},
 *   sqrt(1 - rho^2) = 1 - sum_{k>=1} t_{k-1}/(2k) rho^{2k},
 * so rho kappa_0 has c_1 = 1/4, c_{2k} = t_{k-1}/((2k - 1) 2 pi) (k >= 1),
 * and kappa_1 has c_0 = 1/(2 pi), c_1 = 1/4, c_{2k} = t_{k-1}/((2k - 1) 2k 2 pi);
 * every odd coefficient from degree 3 on is 0.  The closed forms are
 * evaluated separately (series_err, odd_err) so the series is checked. */

/* out <- piece `which` of the NTK from its two parts: 0 the rho kappa_0
 * part h (= H_inf), 1 the kappa_1 part k1, else the whole K = h + k1.  One
 * place for the convention, so the coefficients and the closed forms that
 * check them cannot disagree on what `which` means. */
static void FUNCTION(ntk2_piece)(REAL_PTR out, REAL_SRCPTR h, REAL_SRCPTR k1, int which)
{
  if (which == 0)
    r_set(out, h);
  else if (which == 1)
    r_set(out, k1);
  else
    r_add(out, h, k1);
}

/* c <- coefficient j of piece `which` (0: rho kappa_0 = H_inf, 1: kappa_1, 2: sum). */
static void FUNCTION(ntk2_taylor_coef)(REAL_PTR c, size_t j, int which, mpfr_prec_t prec)
{
  REAL t, pi2, h, k1;
  REAL_PTR v[] = {t, pi2, h, k1};
  for (size_t i = 0; i < 4; i++)
    r_init(v[i], prec);
  r_pi(pi2);
  r_mul_double(pi2, pi2, 2.0);
  if (j == 0) {
    r_set_si(h, 0);
    r_set_si(k1, 1);
    r_div(k1, k1, pi2);
  } else if (j == 1) {
    r_set_double(h, 0.25);
    r_set_double(k1, 0.25);
  } else if (j % 2 == 1) {
    r_set_si(h, 0);
    r_set_si(k1, 0);
  } else {
    size_t k = j / 2;
    r_set_si(t, 1);
    for (size_t i = 1; i < k; i++) { /* t <- t_{k-1} */
      r_mul_double(t, t, (double)(2 * i - 1));
      r_div_double(t, t, (double)(2 * i));
    }
    r_div_double(h, t, (double)(2 * k - 1));
    r_div(h, h, pi2);
    r_div_double(k1, h, (double)(2 * k));
  }
  FUNCTION(ntk2_piece)(c, h, k1, which);
  for (size_t i = 0; i < 4; i++)
    r_clear(v[i]);
}

/* k <- the closed form of piece `which` at rho (arccos through r_acos). */
static void FUNCTION(ntk2_taylor_closed)(REAL_PTR k, REAL_SRCPTR rho, int which, mpfr_prec_t prec)
{
  REAL pi, a, s, h;
  REAL_PTR v[] = {pi, a, s, h};
  for (size_t i = 0; i < 4; i++)
    r_init(v[i], prec);
  r_pi(pi);
  r_acos(a, rho);
  r_sub(a, pi, a); /* pi - arccos rho */
  r_mul(h, a, rho);
  r_mul_double(pi, pi, 2.0);
  r_div(h, h, pi); /* rho kappa_0 */
  r_sqr(s, rho);
  r_neg(s, s);
  r_add_double(s, s, 1.0);
  r_sqrt(s, s);
  r_div(s, s, pi);
  r_add(s, s, h); /* kappa_1 */
  FUNCTION(ntk2_piece)(k, h, s, which);
  for (size_t i = 0; i < 4; i++)
    r_clear(v[i]);
}

#define NTK2_SERIES_TERMS 400

/* One row: j, c_j, cj_scaled = c_j j^2, series_err = |sum_{i<=400} c_i
 * (1/2)^i - K(1/2)|, odd_err = max over rho in {1/4, 1/2, 3/4} of
 * |(K(rho) - K(-rho))/2 - c_1 rho| (0 iff no odd degree >= 3 is present). */
static int FUNCTION(ntk2_taylor_row)(tc_record *out, size_t j, int which, mpfr_prec_t prec)
{
  REAL c, x, p, s, k, e, odd, c1;
  REAL_PTR v[] = {c, x, p, s, k, e, odd, c1};
  for (size_t i = 0; i < 8; i++)
    r_init(v[i], prec);
  r_set_double(x, 0.5);
  r_set_si(p, 1);
  r_set_si(s, 0);
  for (size_t i = 0; i <= NTK2_SERIES_TERMS; i++) {
    FUNCTION(ntk2_taylor_coef)(c, i, which, prec);
    r_fma(s, c, p, s);
    r_mul(p, p, x);
  }
  FUNCTION(ntk2_taylor_closed)(k, x, which, prec);
  r_sub(s, s, k);
  r_abs(s, s);
  FUNCTION(ntk2_taylor_coef)(c1, 1, which, prec);
  r_set_si(odd, 0);
  for (int q = 1; q <= 3; q++) {
    r_set_double(x, 0.25 * q);
    FUNCTION(ntk2_taylor_closed)(k, x, which, prec);
    r_neg(x, x);
    FUNCTION(ntk2_taylor_closed)(e, x, which, prec);
    r_sub(k, k, e);
    r_mul_double(k, k, 0.5);
    r_neg(x, x);
    r_mul(e, c1, x);
    r_sub(k, k, e);
    r_abs(k, k);
    r_max(odd, odd, k);
  }
  FUNCTION(ntk2_taylor_coef)(c, j, which, prec);
  r_set_double(x, (double)j);
  r_sqr(p, x);
  r_mul(p, p, c);
  /* Rounding, plus the truncation of the series at 400 terms: every
   * |c_i| <= 1 (arcsin and sqrt(1 - rho^2) coefficients over pi), so the
   * tail at rho = 1/2 is at most 2^-400.  Without it the 128-bit run passed
   * (its rounding hides the tail) but mpfr:512 failed the true identity. */
  double tail = ldexp(1.0, -NTK2_SERIES_TERMS);
  int st = record_put(out, "j", x);
  st = st ? st : record_put(out, "c_j", c);
  st = st ? st : record_put(out, "cj_scaled", p);
  st = st ? st : record_put(out, "series_err", s);
  st = st ? st : record_put(out, "odd_err", odd);
  st = st ? st : FUNCTION(ntk2_put_eps)(out, "round_err", 64.0 * NTK2_SERIES_TERMS, tail, prec);
  st = st ? st : tc_record_end_row(out);
  for (size_t i = 0; i < 8; i++)
    r_clear(v[i]);
  return st;
}

/* ---- rf-linear -------------------------------------------------------------
 * min_u E_x (sum_k u_k <W_k, x> - <W_*, x>)^2 = dist^2(W_*, span{W_k}) for
 * x ~ N(0, I_d): the residual of W_* after modified Gram-Schmidt against
 * the m features.  Exact law: dist^2 ~ Beta((d - m)/2, m/2), so
 * P(dist^2 >= thr) = 1 - I_thr((d - m)/2, m/2). */
static int FUNCTION(ntk2_rf_row)(tc_record *out, const double *G, const double *ws, size_t m, size_t d,
                                 double thr, mpfr_prec_t prec)
{
  MAT *Q = mat_alloc(m, d, prec);
  VEC *r = vec_alloc(d, prec);
  REAL t, nr, a, b, x, pe;
  REAL_PTR v[] = {t, nr, a, b, x, pe};
  for (size_t i = 0; i < 6; i++)
    r_init(v[i], prec);
  int status = TC_ENOMEM, st = TC_ENOMEM;
  if (Q == NULL || r == NULL)
    goto done;
  for (size_t l = 0; l < d; l++)
    r_set_double(vec_at(r, l), ws[l]);
  TC_TRY(vec_dot(nr, r, r));
  r_sqrt(nr, nr);
  for (size_t l = 0; l < d; l++) /* unit W_* */
    r_div(vec_at(r, l), vec_at(r, l), nr);
  for (size_t k = 0; k < m; k++) {
    for (size_t l = 0; l < d; l++)
      r_set_double(mat_at(Q, k, l), G[k * d + l]);
    for (int pass = 0; pass < 2; pass++) /* re-orthogonalise once */
      for (size_t q = 0; q < k; q++) {
        r_set_si(t, 0);
        for (size_t l = 0; l < d; l++)
          r_fma(t, mat_at(Q, q, l), mat_at(Q, k, l), t);
        for (size_t l = 0; l < d; l++) {
          r_mul(a, t, mat_at(Q, q, l));
          r_sub(mat_at(Q, k, l), mat_at(Q, k, l), a);
        }
      }
    r_set_si(t, 0);
    for (size_t l = 0; l < d; l++)
      r_fma(t, mat_at(Q, k, l), mat_at(Q, k, l), t);
    r_sqrt(t, t);
    for (size_t l = 0; l < d; l++)
      r_div(mat_at(Q, k, l), mat_at(Q, k, l), t);
    r_set_si(t, 0); /* project the residual off q_k (MGS) */
    for (size_t l = 0; l < d; l++)
      r_fma(t, mat_at(Q, k, l), vec_at(r, l), t);
    for (size_t l = 0; l < d; l++) {
      r_mul(a, t, mat_at(Q, k, l));
      r_sub(vec_at(r, l), vec_at(r, l), a);
    }
  }
  TC_TRY(vec_dot(nr, r, r));
  r_set_double(a, 0.5 * (double)(d - m));
  r_set_double(b, 0.5 * (double)m);
  r_set_double(x, thr);
  TC_TRY(r_beta_inc(pe, a, b, x));
  r_neg(pe, pe);
  r_add_double(pe, pe, 1.0);
  st = record_put(out, "mse", nr);
  st = st ? st : record_put(out, "p_exact", pe);
  st = st ? st : FUNCTION(ntk2_put_eps)(out, "mse_err", 64.0 * (double)(m * d), 0, prec);
  st = st ? st : tc_record_end_row(out);
  status = st;
done:
  st = status;
  for (size_t i = 0; i < 6; i++)
    r_clear(v[i]);
  mat_free(Q);
  vec_free(r);
  return st;
}

/* ---- rf-sign (003-26) --------------------------------------------------------
 * f(x) = sum_j a_j sigma(w_j x) against the random-feature form
 * sum_j c_j sigma((w_j/|w_j|) x) with c_j = |a_j| |w_j| (as written) and
 * with the signed c_j = a_j |w_j|.  A (m x (d+1)): rows (a_j, w_j). */
static int FUNCTION(ntk2_sign_row)(tc_record *out, const double *A, const double *xs, size_t m, size_t d,
                                   mpfr_prec_t prec)
{
  REAL f, fa, fs, z, wn, c, t, scale;
  REAL_PTR v[] = {f, fa, fs, z, wn, c, t, scale};
  for (size_t i = 0; i < 8; i++) {
    r_init(v[i], prec);
    r_set_si(v[i], 0);
  }
  for (size_t j = 0; j < m; j++) {
    const double *w = A + j * (d + 1) + 1;
    r_set_si(z, 0);
    r_set_si(wn, 0);
    for (size_t l = 0; l < d; l++) {
      r_set_double(t, w[l]);
      r_fma(wn, t, t, wn);
      r_set_double(c, xs[l]);
      r_fma(z, t, c, z);
    }
    r_sqrt(wn, wn);
    r_set_si(t, 0);
    r_max(z, z, t); /* sigma(w x) */
    r_set_double(c, A[j * (d + 1)]);
    r_fma(f, c, z, f);
    r_div(t, z, wn); /* sigma(w x / |w|) */
    r_mul(c, c, wn); /* a_j |w_j| */
    r_fma(fs, c, t, fs);
    r_abs(c, c);
    r_fma(fa, c, t, fa);
    r_fma(scale, c, t, scale);
  }
  r_sub(fa, fa, f);
  r_abs(fa, fa);
  r_sub(fs, fs, f);
  r_abs(fs, fs);
  double e = 8.0 * (double)(m + d) * (r_get_double(scale) + 1e-300);
  int st = record_put(out, "err_abs", fa);
  st = st ? st : record_put(out, "err_signed", fs);
  st = st ? st : FUNCTION(ntk2_put_eps)(out, "sign_tol", e, 0, prec);
  st = st ? st : tc_record_end_row(out);
  for (size_t i = 0; i < 8; i++)
    r_clear(v[i]);
  return st;
}

/* ---- ntk-param-lr (003-47) -----------------------------------------------------
 * f(x) = s sum_j a_j sigma(w_j x).  Three copies of one network trained by
 * full-batch GD on L = 1/2 sum_i (f(x_i) - y_i)^2:
 *   A  (standard):       s = 1,        a = a_B/sqrt m, step eta on (W, a);
 *   Bs (as written):     s = 1/sqrt m, a = a_B,        step m eta on (W, a);
 *   Bl (per layer):      s = 1/sqrt m, a = a_B,        eta on W, m eta on a.
 * A and Bl compute the same functions in exact arithmetic. */
typedef struct {
  MAT *W;
  VEC *a;
  VEC *f; /* predictions on the data */
} FUNCTION(ntk2_net);

static void FUNCTION(ntk2_net_predict)(FUNCTION(ntk2_net) *net, const MAT *X, REAL_SRCPTR s, REAL_PTR z, REAL_PTR t)
{
  size_t n = X->rows, d = X->cols, m = net->W->rows;
  for (size_t i = 0; i < n; i++) {
    r_set_si(vec_at(net->f, i), 0);
    for (size_t j = 0; j < m; j++) {
      r_set_si(z, 0);
      for (size_t l = 0; l < d; l++)
        r_fma(z, mat_at(net->W, j, l), mat_at(X, i, l), z);
      r_set_si(t, 0);
      r_max(z, z, t);
      r_fma(vec_at(net->f, i), vec_at(net->a, j), z, vec_at(net->f, i));
    }
    r_mul(vec_at(net->f, i), vec_at(net->f, i), s);
  }
}

/* One simultaneous GD step (net->f holds the current predictions; g is
 * scratch of length d). */
static void FUNCTION(ntk2_net_step)(FUNCTION(ntk2_net) *net, const MAT *X, const VEC *y, REAL_SRCPTR s,
                                    REAL_SRCPTR etaW, REAL_SRCPTR etaa, VEC *g, REAL_PTR z, REAL_PTR t,
                                    REAL_PTR ga, REAL_PTR r)
{
  size_t n = X->rows, d = X->cols, m = net->W->rows;
  for (size_t j = 0; j < m; j++) {
    r_set_si(ga, 0);
    for (size_t l = 0; l < d; l++)
      r_set_si(vec_at(g, l), 0);
    for (size_t i = 0; i < n; i++) {
      r_sub(r, vec_at(net->f, i), vec_at(y, i));
      r_set_si(z, 0);
      for (size_t l = 0; l < d; l++)
        r_fma(z, mat_at(net->W, j, l), mat_at(X, i, l), z);
      if (r_sgn(z) <= 0)
        continue;
      r_fma(ga, r, z, ga); /* sum_i r_i sigma(z_ij) */
      for (size_t l = 0; l < d; l++) /* sum_i r_i 1[z_ij > 0] x_i */
        r_fma(vec_at(g, l), r, mat_at(X, i, l), vec_at(g, l));
    }
    REAL_PTR aj = vec_at(net->a, j);
    r_mul(t, aj, s); /* the old a_j, for the W-gradient */
    r_mul(t, t, etaW);
    for (size_t l = 0; l < d; l++) {
      r_mul(z, t, vec_at(g, l));
      r_sub(mat_at(net->W, j, l), mat_at(net->W, j, l), z);
    }
    r_mul(ga, ga, s);
    r_mul(ga, ga, etaa);
    r_sub(aj, aj, ga);
  }
}

/* max_i |f_i - g_i| into out. */
static void FUNCTION(ntk2_maxdiff)(REAL_PTR out, const VEC *f, const VEC *g, REAL_PTR t)
{
  r_set_si(out, 0);
  for (size_t i = 0; i < f->n; i++) {
    r_sub(t, vec_at(f, i), vec_at(g, i));
    r_abs(t, t);
    r_max(out, out, t);
  }
}

/* The three networks, the data and the scalars of ntk-param-lr: sc, eW,
 * ea are each copy's output scale and step sizes on W and a; z, t, ga, r
 * are the step's scratch, dv1, dv2 the deviations, kq holds k as a REAL. */
typedef struct {
  FUNCTION(ntk2_net) net[3];
  MAT *X;
  VEC *y, *g;
  REAL sc[3], eW[3], ea[3], z, t, ga, r, dv1, dv2, kq;
} FUNCTION(ntk2_lr_ws);

#define NTK2_LR_NREAL 16

/* The REALs of w in one list, for init and clear. */
static void FUNCTION(ntk2_lr_reals)(FUNCTION(ntk2_lr_ws) *w, REAL_PTR *v)
{
  REAL_PTR all[NTK2_LR_NREAL] = {w->sc[0], w->sc[1], w->sc[2], w->eW[0], w->eW[1], w->eW[2],
                                 w->ea[0], w->ea[1], w->ea[2], w->z,     w->t,     w->ga,
                                 w->r,     w->dv1,   w->dv2,   w->kq};
  for (size_t i = 0; i < NTK2_LR_NREAL; i++)
    v[i] = all[i];
}

/* TC_ENOMEM when an allocation fails; w is freeable either way. */
static int FUNCTION(ntk2_lr_ws_alloc)(FUNCTION(ntk2_lr_ws) *w, size_t n, size_t d, size_t m, mpfr_prec_t prec)
{
  REAL_PTR v[NTK2_LR_NREAL];
  w->X = mat_alloc(n, d, prec);
  w->y = vec_alloc(n, prec);
  w->g = vec_alloc(d, prec);
  FUNCTION(ntk2_lr_reals)(w, v);
  for (size_t i = 0; i < NTK2_LR_NREAL; i++)
    r_init(v[i], prec);
  for (int q = 0; q < 3; q++) {
    w->net[q].W = mat_alloc(m, d, prec);
    w->net[q].a = vec_alloc(m, prec);
    w->net[q].f = vec_alloc(n, prec);
    if (!w->net[q].W || !w->net[q].a || !w->net[q].f)
      return TC_ENOMEM;
  }
  return w->X && w->y && w->g ? TC_SUCCESS : TC_ENOMEM;
}

static void FUNCTION(ntk2_lr_ws_free)(FUNCTION(ntk2_lr_ws) *w)
{
  REAL_PTR v[NTK2_LR_NREAL];
  for (int q = 0; q < 3; q++) {
    mat_free(w->net[q].W);
    vec_free(w->net[q].a);
    vec_free(w->net[q].f);
  }
  mat_free(w->X);
  vec_free(w->y);
  vec_free(w->g);
  FUNCTION(ntk2_lr_reals)(w, v);
  for (size_t i = 0; i < NTK2_LR_NREAL; i++)
    r_clear(v[i]);
}

/* The data, and the three copies at init (see the table above): scales
 * 1, 1/sqrt m, 1/sqrt m; steps (eta, eta), (m eta, m eta), (eta, m eta);
 * a_A = a_B/sqrt m, the same W0 for all. */
static void FUNCTION(ntk2_lr_setup)(FUNCTION(ntk2_lr_ws) *w, const double *Xd, const double *yd, const double *W0,
                                    const double *aB, size_t n, size_t d, size_t m, double eta)
{
  for (size_t i = 0; i < n; i++) {
    r_set_double(vec_at(w->y, i), yd[i]);
    for (size_t l = 0; l < d; l++)
      r_set_double(mat_at(w->X, i, l), Xd[i * d + l]);
  }
  r_set_double(w->t, (double)m);
  r_sqrt(w->t, w->t);
  r_set_si(w->sc[0], 1);
  r_set_si(w->sc[1], 1);
  r_div(w->sc[1], w->sc[1], w->t);
  r_set(w->sc[2], w->sc[1]);
  r_set_double(w->eW[0], eta);
  r_set_double(w->ea[0], eta);
  r_set_double(w->eW[1], eta * (double)m);
  r_set_double(w->ea[1], eta * (double)m);
  r_set_double(w->eW[2], eta);
  r_set_double(w->ea[2], eta * (double)m);
  for (int q = 0; q < 3; q++)
    for (size_t j = 0; j < m; j++) {
      r_set_double(vec_at(w->net[q].a, j), aB[j]);
      if (q == 0)
        r_div(vec_at(w->net[q].a, j), vec_at(w->net[q].a, j), w->t); /* a_A = a_B / sqrt m */
      for (size_t l = 0; l < d; l++)
        r_set_double(mat_at(w->net[q].W, j, l), W0[j * d + l]);
    }
}

/* Row k, after the predictions at step k: the deviations, the initial
 * outputs f0A, f0B (fixed at k = 0), fmax = max_i |f_A(x_i)| and lr_err,
 * a rounding estimate growing with the steps taken and the work per step. */
static int FUNCTION(ntk2_lr_put_row)(tc_record *out, FUNCTION(ntk2_lr_ws) *w, size_t k, size_t d, size_t m,
                                     mpfr_prec_t prec, double f0A, double f0B)
{
  size_t n = w->X->rows;
  FUNCTION(ntk2_maxdiff)(w->dv1, w->net[0].f, w->net[1].f, w->t);
  FUNCTION(ntk2_maxdiff)(w->dv2, w->net[0].f, w->net[2].f, w->t);
  double fmax = 0;
  for (size_t i = 0; i < n; i++)
    fmax = fmax > fabs(r_get_double(vec_at(w->net[0].f, i))) ? fmax : fabs(r_get_double(vec_at(w->net[0].f, i)));
  r_set_double(w->kq, (double)k);
  int status = record_put(out, "k", w->kq);
  status = status ? status : record_put(out, "dev_stated", w->dv1);
  status = status ? status : record_put(out, "dev_layer", w->dv2);
  status = status ? status : tc_record_put_double(out, "f0sq_A", f0A * f0A);
  status = status ? status : tc_record_put_double(out, "f0sq_B", f0B * f0B);
  status = status ? status : tc_record_put_double(out, "fmax", fmax);
  /* E f_0(x_1)^2 = m E[a_j^2] E sigma(w x_1)^2 = |x_1|^2 / (2d) for
   * a ~ N(0, 1/m), w ~ N(0, I/d): the exact value for this x_1. */
  r_set_si(w->kq, 0);
  for (size_t l = 0; l < d; l++)
    r_fma(w->kq, mat_at(w->X, 0, l), mat_at(w->X, 0, l), w->kq);
  r_div_double(w->kq, w->kq, 2.0 * (double)d);
  status = status ? status : record_put(out, "f0sq_exact", w->kq);
  status = status ? status
                  : FUNCTION(ntk2_put_eps)(out, "lr_err", 1e3 * (double)((k + 1) * (n + d) * m) * (1.0 + fmax), 0, prec);
  return status ? status : tc_record_end_row(out);
}

/* Rows k = 0..steps: dev_stated = max_i |f_A - f_Bs|, dev_layer = max_i
 * |f_A - f_Bl| on the training points, f0sq_A, f0sq_B = f(x_1)^2 at
 * init, fmax, and lr_err (rounding estimate). Xd: n x d, W0: m x d. */
static int FUNCTION(ntk2_lr_rows)(tc_record *out, const double *Xd, const double *yd, const double *W0,
                                  const double *aB, size_t n, size_t d, size_t m, double eta, size_t steps,
                                  mpfr_prec_t prec)
{
  FUNCTION(ntk2_lr_ws) w = {0};
  int status = FUNCTION(ntk2_lr_ws_alloc)(&w, n, d, m, prec);
  if (status != TC_SUCCESS)
    goto done;
  FUNCTION(ntk2_lr_setup)(&w, Xd, yd, W0, aB, n, d, m, eta);
  double f0A = 0, f0B = 0;
  for (size_t k = 0; k <= steps && status == TC_SUCCESS; k++) {
    for (int q = 0; q < 3; q++)
      FUNCTION(ntk2_net_predict)(&w.net[q], w.X, w.sc[q], w.z, w.t);
    if (k == 0) {
      f0A = r_get_double(vec_at(w.net[0].f, 0));
      f0B = r_get_double(vec_at(w.net[2].f, 0));
    }
    status = FUNCTION(ntk2_lr_put_row)(out, &w, k, d, m, prec, f0A, f0B);
    if (k < steps)
      for (int q = 0; q < 3; q++)
        FUNCTION(ntk2_net_step)(&w.net[q], w.X, w.y, w.sc[q], w.eW[q], w.ea[q], w.g, w.z, w.t, w.ga, w.r);
  }
done:
  FUNCTION(ntk2_lr_ws_free)(&w);
  return status;
}

/* ---- twolayer-hess (003-39, 002-17) ---------------------------------------------
 * f(x) = s sum_j a_j sigma(w_j x).  The Hessian in (W, a) is block diagonal
 * over neurons (no term couples two neurons); neuron j's block is
 *   [[s a_j sigma''(z_j) x x^T, s sigma'(z_j) x], [s sigma'(z_j) x^T, 0]],
 * of rank 2 in span{(x, 0), (0, 1)}, where it is [[alpha, beta], [beta, 0]]
 * with alpha = s a_j sigma''(z_j)|x|^2, beta = s sigma'(z_j)|x|: norm
 * (|alpha| + sqrt(alpha^2 + 4 beta^2))/2.  |H| = max_j of the block norms.
 * act 0: tanh, 1: ReLU (sigma'' = 0 off the kink). */
static int FUNCTION(ntk2_hess_row)(tc_record *out, const double *W, const double *a, const double *x, size_t m,
                                   size_t d, int act, mpfr_prec_t prec)
{
  REAL z, t, sp, spp, xn, al, be, nb, best, sm;
  REAL_PTR v[] = {z, t, sp, spp, xn, al, be, nb, best, sm};
  for (size_t i = 0; i < 10; i++) {
    r_init(v[i], prec);
    r_set_si(v[i], 0);
  }
  for (size_t l = 0; l < d; l++) {
    r_set_double(t, x[l]);
    r_fma(xn, t, t, xn);
  }
  r_sqrt(xn, xn); /* |x| */
  for (size_t j = 0; j < m; j++) {
    r_set_si(z, 0);
    for (size_t l = 0; l < d; l++) {
      r_set_double(t, W[j * d + l]);
      r_set_double(sp, x[l]);
      r_fma(z, t, sp, z);
    }
    if (act == 0) { /* tanh z = 1 - 2/(exp(2z) + 1) */
      r_mul_double(t, z, 2.0);
      r_exp(t, t);
      r_add_double(t, t, 1.0);
      r_set_si(sp, 2);
      r_div(t, sp, t);
      r_neg(t, t);
      r_add_double(t, t, 1.0);
      r_sqr(sp, t);
      r_neg(sp, sp);
      r_add_double(sp, sp, 1.0); /* 1 - tanh^2 */
      r_mul(spp, t, sp);
      r_mul_double(spp, spp, -2.0);
    } else {
      r_set_si(sp, r_sgn(z) > 0);
      r_set_si(spp, 0);
    }
    r_set_double(t, a[j]);
    r_mul(al, spp, t);
    r_mul(al, al, xn);
    r_mul(al, al, xn);
    r_mul(be, sp, xn);
    r_sqr(nb, al);
    r_sqr(t, be);
    r_mul_double(t, t, 4.0);
    r_add(nb, nb, t);
    r_sqrt(nb, nb);
    r_abs(al, al);
    r_add(nb, nb, al);
    r_mul_double(nb, nb, 0.5);
    r_max(best, best, nb);
  }
  r_set_double(t, (double)m);
  r_sqrt(sm, t);
  r_div(t, best, sm);
  int st = record_put(out, "hess_ntk", t);
  st = st ? st : record_put(out, "hess_raw", best);
  st = st ? st : record_put(out, "xnorm", xn);
  st = st ? st : tc_record_end_row(out);
  for (size_t i = 0; i < 10; i++)
    r_clear(v[i]);
  return st;
}

/* ---- deep-init (003-37) ------------------------------------------------------------
 * x^(l) = sigma(W^(l) x^(l-1)), W^(1) ~ N(0, 2/d) (d x m), W^(l) ~ N(0, 2/m)
 * (He initialisation, so E (x_j^(l))^2 = |x|^2/d), f_0(x) = sum_j a_j x_j^(L)
 * with a_j ~ N(0, 1/m).  Wd: the weights layer by layer, row-major. */
static int FUNCTION(ntk2_deep_row)(tc_record *out, const double *Wd, const double *a, const double *x, size_t d,
                                   size_t m, size_t L, mpfr_prec_t prec)
{
  VEC *h = vec_alloc(m > d ? m : d, prec), *g = vec_alloc(m, prec);
  REAL t, w, f, an, xn, zero;
  REAL_PTR v[] = {t, w, f, an, xn, zero};
  for (size_t i = 0; i < 6; i++) {
    r_init(v[i], prec);
    r_set_si(v[i], 0);
  }
  int st = TC_ENOMEM;
  if (h == NULL || g == NULL)
    goto done;
  for (size_t l = 0; l < d; l++)
    r_set_double(vec_at(h, l), x[l]);
  size_t nin = d, off = 0;
  for (size_t layer = 0; layer < L; layer++) {
    for (size_t j = 0; j < m; j++) {
      r_set_si(t, 0);
      for (size_t l = 0; l < nin; l++) {
        r_set_double(w, Wd[off + j * nin + l]);
        r_fma(t, w, vec_at(h, l), t);
      }
      r_max(vec_at(g, j), t, zero);
    }
    off += m * nin;
    nin = m;
    for (size_t j = 0; j < m; j++)
      r_set(vec_at(h, j), vec_at(g, j));
  }
  for (size_t j = 0; j < m; j++) {
    r_set_double(w, a[j]);
    r_fma(f, w, vec_at(g, j), f);
    r_fma(an, w, w, an);
    r_fma(xn, vec_at(g, j), vec_at(g, j), xn);
  }
  r_sqr(t, f);
  st = record_put(out, "f0sq", t);
  r_div_double(w, xn, (double)m);
  st = st ? st : record_put(out, "xL2_mean", w); /* |x^(L)|^2 / m */
  r_mul(w, an, xn); /* worst case over a of the same norm: |a|^2 |x^(L)|^2 */
  if (r_sgn(w) > 0) {
    r_div(t, t, w);
    r_mul_double(t, t, (double)m);
  } else {
    r_set_si(t, 1); /* every unit dead: f_0 = 0 = worst case; E[m cos^2] counts it as 1 */
  }
  st = st ? st : record_put(out, "m_cos2", t);
  /* The exact expectations over W and a for this x: E (x_j^(L))^2 =
   * |x|^2/d at every layer (He), so E f_0^2 = m (1/m) |x|^2/d; and
   * E m cos^2 = 1 for an isotropic a (1 also when every unit is dead). */
  r_set_si(xn, 0);
  for (size_t l = 0; l < d; l++) {
    r_set_double(w, x[l]);
    r_fma(xn, w, w, xn);
  }
  r_div_double(t, xn, (double)d);
  st = st ? st : record_put(out, "f0sq_exact", t);
  r_set_si(t, 1);
  st = st ? st : record_put(out, "m_cos2_exact", t);
  st = st ? st : tc_record_end_row(out);
done:
  vec_free(h);
  vec_free(g);
  for (size_t i = 0; i < 6; i++)
    r_clear(v[i]);
  return st;
}
