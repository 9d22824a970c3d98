/* deep_ntk_source.h — the deep ReLU NTK of lecture 003 ("Deep net
 * Infinite-Width") written once in the generic names of tc_templates_on.h
 * (instantiated per backend by checks/deep_ntk.c).
 *
 * The network (NTK parameterisation of Arora et al. 2019, section 3):
 *   f^(1) = W^(1) x,  g^(h) = sqrt(c/m) sigma(f^(h)),  f^(h+1) = W^(h+1) g^(h),
 *   f(x) = f^(L+1) = W^(L+1) g^(L),  every W^(h) entry N(0, 1),
 * with L hidden layers of width m, W^(1) in R^{m x d}, W^(L+1) in R^{1 x m}.
 * Its limit (m -> inf) is the recursion of the notes with c = c_sigma:
 *   Sigma^(0) = x.x',  Sigma^(h) = c E[sigma(u) sigma(v)],
 *   Sigma-dot^(h) = c E[sigma'(u) sigma'(v)],  (u, v) ~ N(0, A^(h)),
 *   Theta = sum_{h=1}^{L+1} Sigma^(h-1) prod_{h'=h}^{L} Sigma-dot^(h').
 * For ReLU both expectations are arc-cosine kernels of the angle theta of
 * A^(h): E sigma sigma = sqrt(ab) (sin t + (pi - t) cos t)/(2 pi), E sigma'
 * sigma' = (pi - t)/(2 pi).  The angle is carried from layer to layer, never
 * recovered by acos of a rounded correlation: 1 - rho is formed without
 * cancellation and t = 2 atan2(sqrt(1 - rho), sqrt(1 + rho)). */

/* g <- sin t - t cos t, by its series sum_{k>=1} (-1)^{k+1} 2k t^{2k+1}/(2k+1)!
 * below t = 1, where the difference cancels (g ~ t^3/3). */
static void FUNCTION(deep_ntk_sin_minus)(REAL_PTR g, REAL_SRCPTR t, REAL_SRCPTR sin_t, REAL_SRCPTR cos_t,
                                         mpfr_prec_t prec)
{
  REAL term, t2;
  r_init(term, prec);
  r_init(t2, prec);
  if (r_get_double(t) >= 1.0) {
    r_mul(term, t, cos_t);
    r_sub(g, sin_t, term);
  } else {
    r_sqr(t2, t);
    r_mul(term, t2, t);
    r_div_double(term, term, 3.0);
    r_set(g, term);
    for (int k = 1; k < 400 && r_sgn(term) != 0; k++) {
      r_mul(term, term, t2);
      r_div_double(term, term, -(double)(2 * k) * (double)(2 * k + 3));
      r_add(g, g, term);
      if (fabs(r_get_double(term)) <= ldexp(fabs(r_get_double(g)), -(int)prec - 8))
        break;
    }
  }
  r_clear(term);
  r_clear(t2);
}

/* One layer of the limit.  The angle t of A^(h) comes with its half-angle
 * legs: (ha, hb) proportional to (sin t/2, cos t/2) (t = 2 atan2(ha, hb)),
 * so sin t = 2 ha hb/r and 1 - cos t = 2 ha^2/r (r = ha^2 + hb^2) are exact
 * at t = 0 and t = pi (sin pi is 0, not the 1e-16 of a rounded pi).  From
 * it and the norms sxx = A_11, syy = A_22: Sigma^(h)(x,x') (sxy_out),
 * Sigma-dot^(h) (sd_out), and the next angle and legs (overwritten). */
static void FUNCTION(deep_ntk_layer)(REAL_PTR sxy_out, REAL_PTR sd_out, REAL_PTR th, REAL_PTR ha, REAL_PTR hb,
                                     REAL_SRCPTR sxx, REAL_SRCPTR syy, double c, mpfr_prec_t prec)
{
  REAL pi, s, cs, omc, g, j1, a, r;
  REAL_PTR v[] = {pi, s, cs, omc, g, j1, a, r};
  for (size_t i = 0; i < 8; i++)
    r_init(v[i], prec);
  r_pi(pi);
  r_sqr(r, ha);
  r_fma(r, hb, hb, r);
  r_mul(s, ha, hb);
  r_mul_double(s, s, 2.0);
  r_div(s, s, r); /* sin t */
  r_sqr(omc, ha);
  r_mul_double(omc, omc, 2.0);
  r_div(omc, omc, r); /* 1 - cos t */
  r_set_si(cs, 1);
  r_sub(cs, cs, omc);
  r_sub(a, pi, th); /* pi - t */
  r_fma(j1, a, cs, s); /* J1 = sin t + (pi - t) cos t */
  r_mul_double(sd_out, a, c);
  r_div(sd_out, sd_out, pi);
  r_div_double(sd_out, sd_out, 2.0);
  r_mul(r, sxx, syy);
  r_sqrt(r, r);
  r_mul(sxy_out, r, j1);
  r_mul_double(sxy_out, sxy_out, c);
  r_div(sxy_out, sxy_out, pi);
  r_div_double(sxy_out, sxy_out, 2.0);
  /* rho' = J1/pi; 1 - rho' = (pi (1 - cos t) - (sin t - t cos t))/pi, both
   * parts >= 0 and the second the smaller: no cancellation. */
  FUNCTION(deep_ntk_sin_minus)(g, th, s, cs, prec);
  r_mul(a, pi, omc);
  r_sub(a, a, g);
  r_div(a, a, pi);
  if (r_sgn(a) < 0)
    r_set_si(a, 0);
  r_set_si(r, 2);
  r_sub(r, r, a); /* 1 + rho' */
  r_sqrt(ha, a);
  r_sqrt(hb, r);
  r_atan2(th, ha, hb);
  r_mul_double(th, th, 2.0);
  for (size_t i = 0; i < 8; i++)
    r_clear(v[i]);
}

/* The recursion for inputs x, y (length d): sxy[h] = Sigma^(h)(x, y),
 * sxx[h], syy[h] the diagonals, sd[h] = Sigma-dot^(h)(x, y) for h = 1..L
 * and sd[L+1] = 1 (the output layer is linear).  Vectors of length L + 2. */
static void FUNCTION(deep_ntk_recursion)(VEC *sxy, VEC *sxx, VEC *syy, VEC *sd, const VEC *x, const VEC *y,
                                         size_t L, double c, mpfr_prec_t prec)
{
  size_t d = x->n;
  REAL th, nx, ny, dm, dp, a, b, e;
  REAL_PTR v[] = {th, nx, ny, dm, dp, a, b, e};
  for (size_t i = 0; i < 8; i++)
    r_init(v[i], prec);
  vec_dot(vec_at(sxy, 0), x, y); /* x.x' directly: exact 0 for orthogonal inputs */
  vec_dot(vec_at(sxx, 0), x, x);
  vec_dot(vec_at(syy, 0), y, y);
  r_sqrt(nx, vec_at(sxx, 0));
  r_sqrt(ny, vec_at(syy, 0));
  /* t0 = 2 atan2(|u - v|, |u + v|) for the unit vectors u, v */
  r_set_si(dm, 0);
  r_set_si(dp, 0);
  for (size_t l = 0; l < d; l++) {
    r_div(a, vec_at(x, l), nx);
    r_div(b, vec_at(y, l), ny);
    r_sub(e, a, b);
    r_fma(dm, e, e, dm);
    r_add(e, a, b);
    r_fma(dp, e, e, dp);
  }
  r_sqrt(dm, dm);
  r_sqrt(dp, dp);
  r_atan2(th, dm, dp);
  r_mul_double(th, th, 2.0);
  if (r_sgn(dm) == 0 && r_sgn(dp) == 0)
    r_set_si(dp, 1); /* a zero input: any angle; Sigma^(h)(x, x') = 0 anyway */
  for (size_t h = 1; h <= L; h++) {
    FUNCTION(deep_ntk_layer)(vec_at(sxy, h), vec_at(sd, h), th, dm, dp, vec_at(sxx, h - 1), vec_at(syy, h - 1), c,
                             prec);
    r_mul_double(vec_at(sxx, h), vec_at(sxx, h - 1), 0.5 * c); /* c E sigma(u)^2 = (c/2) E u^2 */
    r_mul_double(vec_at(syy, h), vec_at(syy, h - 1), 0.5 * c);
  }
  r_set_si(vec_at(sd, L + 1), 1);
  r_set_si(vec_at(sxy, L + 1), 0);
  r_set_si(vec_at(sxx, L + 1), 0);
  r_set_si(vec_at(syy, L + 1), 0);
  for (size_t i = 0; i < 8; i++)
    r_clear(v[i]);
}


/* out <- sum_{h=1}^{L+1} S[h-1] prod_{h'} Sd[h'] with the product over
 * h' = h..L (ARORA), h+1..L (SHIFT: each layer's own sigma' factor lost)
 * or empty (NODOT).  Sd NULL: the diagonal, Sigma-dot = sd_diag. */
static void FUNCTION(deep_ntk_sum)(REAL_PTR out, const VEC *S, const VEC *Sd, double sd_diag, size_t L, int mode,
                                   mpfr_prec_t prec)
{
  REAL p, t;
  r_init(p, prec);
  r_init(t, prec);
  r_set_si(out, 0);
  for (size_t h = 1; h <= L + 1; h++) {
    r_set_si(p, 1);
    size_t from = mode == DEEP_SUM_ARORA ? h : mode == DEEP_SUM_SHIFT ? h + 1 : L + 1;
    for (size_t k = from; k <= L; k++) {
      if (Sd)
        r_mul(p, p, vec_at(Sd, k));
      else
        r_mul_double(p, p, sd_diag);
    }
    r_mul(t, vec_at(S, h - 1), p);
    r_add(out, out, t);
  }
  r_clear(p);
  r_clear(t);
}

/* The limit kernels of one pair, put in the current row:
 * theta_inf, theta_notes (L >= 2), theta_shift, theta_nodot, theta_c1,
 * tscale = sqrt(Theta(x,x) Theta(y,y)), sigma_L, sigma_prev, sigma_c1,
 * nscale = sqrt(Sigma^(L)(x,x) Sigma^(L)(y,y)). */
static int FUNCTION(deep_ntk_limit_put)(tc_record *out, const VEC *x, const VEC *y, size_t L, double c,
                                        mpfr_prec_t prec)
{
  VEC *v[8];
  for (size_t i = 0; i < 8; i++)
    v[i] = vec_alloc(L + 2, prec);
  REAL t, a, b;
  r_init(t, prec);
  r_init(a, prec);
  r_init(b, prec);
  int st = TC_ENOMEM;
  for (size_t i = 0; i < 8; i++)
    if (v[i] == NULL)
      goto done;
  VEC *sxy = v[0], *sxx = v[1], *syy = v[2], *sd = v[3];
  FUNCTION(deep_ntk_recursion)(sxy, sxx, syy, sd, x, y, L, c, prec);
  FUNCTION(deep_ntk_recursion)(v[4], v[5], v[6], v[7], x, y, L, 1.0, prec);
  FUNCTION(deep_ntk_sum)(t, sxy, sd, 0, L, DEEP_SUM_ARORA, prec);
  st = record_put(out, "theta_inf", t);
  FUNCTION(deep_ntk_sum)(t, sxy, sd, 0, L, DEEP_SUM_SHIFT, prec);
  st = st ? st : record_put(out, "theta_shift", t);
  FUNCTION(deep_ntk_sum)(t, sxy, sd, 0, L, DEEP_SUM_NODOT, prec);
  st = st ? st : record_put(out, "theta_nodot", t);
  FUNCTION(deep_ntk_sum)(t, v[4], v[7], 0, L, DEEP_SUM_ARORA, prec);
  st = st ? st : record_put(out, "theta_c1", t);
  if (L >= 2) { /* the notes: Sigma^(L-1) Sigma-dot^(L-1) Sigma-dot^(L) */
    r_mul(t, vec_at(sxy, L - 1), vec_at(sd, L - 1));
    r_mul(t, t, vec_at(sd, L));
    st = st ? st : record_put(out, "theta_notes", t);
  }
  FUNCTION(deep_ntk_sum)(a, sxx, NULL, 0.5 * c, L, DEEP_SUM_ARORA, prec);
  FUNCTION(deep_ntk_sum)(b, syy, NULL, 0.5 * c, L, DEEP_SUM_ARORA, prec);
  r_mul(t, a, b);
  r_sqrt(t, t);
  st = st ? st : record_put(out, "tscale", t);
  st = st ? st : record_put(out, "sigma_L", vec_at(sxy, L));
  st = st ? st : record_put(out, "sigma_prev", vec_at(sxy, L - 1));
  st = st ? st : record_put(out, "sigma_c1", vec_at(v[4], L));
  r_mul(t, vec_at(sxx, L), vec_at(syy, L));
  r_sqrt(t, t);
  st = st ? st : record_put(out, "nscale", t);
done:
  for (size_t i = 0; i < 8; i++)
    vec_free(v[i]);
  r_clear(t);
  r_clear(a);
  r_clear(b);
  return st;
}

/* ---- the finite network ----------------------------------------------------
 * Weights are never stored: row i of W^(h) is drawn in double from the
 * generator of (seed, h) (deep_ntk_layer_rng), in the same order in the
 * forward and the backward pass, so memory is O(L m) per input, the two
 * backends read the same weights, and the run costs two draws of each
 * weight.  The gradient is back-propagation:
 *   b^(L+1) = 1,  b^(h) = sqrt(c/m) D^(h) W^(h+1)^T b^(h+1),
 *   df/dW^(h) = b^(h) g^(h-1)^T,
 * so Theta_m(x, y) = sum_{h=1}^{L+1} <b^(h)(x), b^(h)(y)> <g^(h-1)(x), g^(h-1)(y)>
 * and the NNGP kernel of the output given the hidden layers is
 * <g^(L)(x), g^(L)(y)>.  n = 1 or 2 inputs; K[p + q] (p <= q) gets
 * Theta_m(x_p, x_q), G[p + q] the NNGP kernel, f[p] the output.  With a
 * probe, its weight is moved by probe->delta and *grad gets df(x_0)/dw. */
typedef struct {
  size_t n, d, m, L;
  double c;
  uint64_t seed;
  const deep_probe *probe;
  mpfr_prec_t prec;
} FUNCTION(deep_net_cfg);

/* wrow <- row i of W^(h) (cols entries), from the running generator. */
static void FUNCTION(deep_ntk_row)(VEC *wrow, double *buf, gsl_rng *rng, const FUNCTION(deep_net_cfg) *cfg,
                                   size_t h, size_t i)
{
  for (size_t l = 0; l < wrow->n; l++)
    buf[l] = gsl_ran_gaussian_ziggurat(rng, 1.0);
  const deep_probe *pr = cfg->probe;
  if (pr && pr->layer == h && pr->row == i && pr->col < wrow->n)
    buf[pr->col] += pr->delta;
  for (size_t l = 0; l < wrow->n; l++)
    r_set_double(vec_at(wrow, l), buf[l]);
}

/* Forward pass: g[h][p] for h = 0..L (g[0][p] = x_p), the patterns
 * on[h][p * m + j] = 1{f^(h)_j(x_p) > 0}, and f[p]. */
static int FUNCTION(deep_ntk_forward)(VEC ***g, unsigned char **on, REAL_PTR *f, const FUNCTION(deep_net_cfg) *cfg)
{
  size_t m = cfg->m, L = cfg->L;
  VEC *wd = vec_alloc(cfg->d, cfg->prec), *wm = vec_alloc(m, cfg->prec);
  double *buf = malloc((m > cfg->d ? m : cfg->d) * sizeof *buf);
  REAL t, s;
  r_init(t, cfg->prec);
  r_init(s, cfg->prec);
  r_set_double(s, cfg->c / (double)m);
  r_sqrt(s, s);
  int status = TC_ENOMEM;
  if (wd == NULL || wm == NULL || buf == NULL)
    goto done;
  for (size_t h = 1; h <= L + 1; h++) {
    gsl_rng *rng = deep_ntk_layer_rng(cfg->seed, h);
    if (rng == NULL)
      goto done;
    VEC *w = h == 1 ? wd : wm;
    size_t rows = h == L + 1 ? 1 : m;
    for (size_t i = 0; i < rows; i++) {
      FUNCTION(deep_ntk_row)(w, buf, rng, cfg, h, i);
      for (size_t p = 0; p < cfg->n && status == TC_ENOMEM; p++) {
        if (vec_dot(h <= L ? t : f[p], w, g[h - 1][p]) != TC_SUCCESS)
          status = TC_EDOM;
        if (h <= L) {
          on[h][p * m + i] = r_sgn(t) > 0;
          if (r_sgn(t) > 0)
            r_mul(vec_at(g[h][p], i), t, s);
          else
            r_set_si(vec_at(g[h][p], i), 0);
        }
      }
    }
    gsl_rng_free(rng);
    if (status != TC_ENOMEM)
      goto done;
  }
  status = TC_SUCCESS;
done:
  vec_free(wd);
  vec_free(wm);
  free(buf);
  r_clear(t);
  r_clear(s);
  return status;
}

/* acc[p] <- W^(h+1)^T b^(h+1)(x_p), one generated row at a time. */
static int FUNCTION(deep_ntk_transpose)(VEC **acc, VEC *const *b, VEC *wm, double *buf,
                                        const FUNCTION(deep_net_cfg) *cfg, size_t h)
{
  gsl_rng *rng = deep_ntk_layer_rng(cfg->seed, h + 1);
  if (rng == NULL)
    return TC_ENOMEM;
  REAL one;
  r_init(one, cfg->prec);
  r_set_si(one, 1);
  int status = TC_SUCCESS;
  for (size_t p = 0; p < cfg->n; p++)
    vec_set_zero(acc[p]);
  size_t rows = h == cfg->L ? 1 : cfg->m;
  for (size_t i = 0; i < rows && status == TC_SUCCESS; i++) {
    FUNCTION(deep_ntk_row)(wm, buf, rng, cfg, h + 1, i);
    for (size_t p = 0; p < cfg->n && status == TC_SUCCESS; p++) {
      REAL_SRCPTR coef = h == cfg->L ? one : vec_at(b[p], i); /* b^(L+1) = 1 */
      if (r_sgn(coef) != 0)
        status = vec_axpy(acc[p], coef, wm);
    }
  }
  gsl_rng_free(rng);
  r_clear(one);
  return status;
}

/* K[p + q] += <u_p, u_q> <v_p, v_q> for p <= q (u NULL: <u_p, u_q> = 1). */
static int FUNCTION(deep_ntk_accumulate)(REAL_PTR *K, VEC *const *u, VEC *const *v, size_t n, mpfr_prec_t prec)
{
  REAL a, b;
  r_init(a, prec);
  r_init(b, prec);
  int status = TC_SUCCESS;
  for (size_t p = 0; p < n; p++)
    for (size_t q = p; q < n; q++) {
      if (u)
        status = status ? status : vec_dot(a, u[p], u[q]);
      else
        r_set_si(a, 1);
      status = status ? status : vec_dot(b, v[p], v[q]);
      r_fma(K[p + q], a, b, K[p + q]);
    }
  r_clear(a);
  r_clear(b);
  return status;
}

/* Backward pass and the kernels: K (NTK), G (NNGP), *grad (probe). */
static int FUNCTION(deep_ntk_backward)(REAL_PTR *K, REAL_PTR *G, REAL_PTR grad, VEC ***g, unsigned char **on,
                                       const FUNCTION(deep_net_cfg) *cfg)
{
  size_t m = cfg->m, L = cfg->L, n = cfg->n;
  VEC *b[2] = {NULL, NULL}, *acc[2] = {NULL, NULL}, *wm = vec_alloc(m, cfg->prec);
  double *buf = malloc(m * sizeof *buf);
  REAL s;
  r_init(s, cfg->prec);
  r_set_double(s, cfg->c / (double)m);
  r_sqrt(s, s);
  int status = TC_ENOMEM;
  for (size_t p = 0; p < n; p++) {
    b[p] = vec_alloc(m, cfg->prec);
    acc[p] = vec_alloc(m, cfg->prec);
    if (b[p] == NULL || acc[p] == NULL)
      goto done;
  }
  if (wm == NULL || buf == NULL)
    goto done;
  for (size_t k = 0; k < 3; k++) {
    r_set_si(K[k], 0);
    r_set_si(G[k], 0);
  }
  TC_TRY(FUNCTION(deep_ntk_accumulate)(K, NULL, g[L], n, cfg->prec)); /* h = L + 1: b = 1 */
  TC_TRY(FUNCTION(deep_ntk_accumulate)(G, NULL, g[L], n, cfg->prec));
  const deep_probe *pr = cfg->probe;
  if (pr && grad && pr->layer == L + 1)
    r_set(grad, vec_at(g[L][0], pr->col));
  for (size_t h = L; h >= 1; h--) {
    TC_TRY(FUNCTION(deep_ntk_transpose)(acc, b, wm, buf, cfg, h));
    for (size_t p = 0; p < n; p++)
      for (size_t j = 0; j < m; j++) {
        if (on[h][p * m + j])
          r_mul(vec_at(b[p], j), vec_at(acc[p], j), s);
        else
          r_set_si(vec_at(b[p], j), 0);
      }
    TC_TRY(FUNCTION(deep_ntk_accumulate)(K, b, g[h - 1], n, cfg->prec));
    if (pr && grad && pr->layer == h)
      r_mul(grad, vec_at(b[0], pr->row), vec_at(g[h - 1][0], pr->col));
  }
  status = TC_SUCCESS;
done:
  for (size_t p = 0; p < 2; p++) {
    vec_free(b[p]);
    vec_free(acc[p]);
  }
  vec_free(wm);
  free(buf);
  r_clear(s);
  return status;
}

/* The network at one width: allocate the layers, run both passes. */
static int FUNCTION(deep_ntk_net)(REAL_PTR *K, REAL_PTR *G, REAL_PTR *f, REAL_PTR grad, VEC *const *x,
                                  const FUNCTION(deep_net_cfg) *cfg)
{
  size_t L = cfg->L, n = cfg->n, m = cfg->m;
  VEC ***g = calloc(L + 1, sizeof *g);
  unsigned char **on = calloc(L + 1, sizeof *on);
  int status = TC_ENOMEM;
  if (g == NULL || on == NULL)
    goto done;
  for (size_t h = 0; h <= L; h++) {
    g[h] = calloc(n, sizeof **g);
    on[h] = h ? malloc(n * m) : NULL;
    if (g[h] == NULL || (h && on[h] == NULL))
      goto done;
    for (size_t p = 0; p < n; p++) {
      g[h][p] = h ? vec_alloc(m, cfg->prec) : (VEC *)x[p];
      if (g[h][p] == NULL)
        goto done;
    }
  }
  TC_TRY(FUNCTION(deep_ntk_forward)(g, on, f, cfg));
  TC_TRY(FUNCTION(deep_ntk_backward)(K, G, grad, g, on, cfg));
done:
  for (size_t h = 1; g && on && h <= L; h++) {
    for (size_t p = 0; g[h] && p < n; p++)
      vec_free(g[h][p]);
    free(g[h]);
    free(on[h]);
  }
  if (g)
    free(g[0]);
  free(g);
  free(on);
  return status;
}

/* One row per width widths[k] (k < nw): the empirical kernels of a fresh
 * network (seed mixed with k) beside the limit kernels of the pair.  xd,
 * yd: the inputs in double (y unused when n = 1, the diagonal). */
static int FUNCTION(deep_ntk_rows)(tc_record *out, const double *xd, const double *yd, size_t n, size_t d,
                                   const size_t *widths, size_t nw, size_t L, double c, uint64_t seed,
                                   mpfr_prec_t prec)
{
  VEC *x[2] = {vec_alloc(d, prec), vec_alloc(d, prec)};
  REAL K[3], G[3], f[2], t;
  REAL_PTR Kp[3] = {K[0], K[1], K[2]}, Gp[3] = {G[0], G[1], G[2]}, fp[2] = {f[0], f[1]};
  for (size_t k = 0; k < 3; k++) {
    r_init(K[k], prec);
    r_init(G[k], prec);
  }
  r_init(f[0], prec);
  r_init(f[1], prec);
  r_init(t, prec);
  int status = TC_ENOMEM;
  if (x[0] == NULL || x[1] == NULL)
    goto done;
  for (size_t l = 0; l < d; l++) {
    r_set_double(vec_at(x[0], l), xd[l]);
    r_set_double(vec_at(x[1], l), n == 2 ? yd[l] : xd[l]);
  }
  size_t off = n == 2 ? 1 : 0; /* K[off] = Theta_m(x, y) */
  for (size_t k = 0; k < nw; k++) {
    FUNCTION(deep_net_cfg) cfg = {n, d, widths[k], L, c, deep_ntk_mix(seed, k + 1), NULL, prec};
    TC_TRY(FUNCTION(deep_ntk_net)(Kp, Gp, fp, NULL, x, &cfg));
    TC_TRY(tc_record_put_double(out, "m", (double)widths[k]));
    TC_TRY(record_put(out, "theta_m", K[off]));
    TC_TRY(record_put(out, "nngp_m", G[off]));
    r_mul(t, f[0], f[n - 1]);
    TC_TRY(record_put(out, "ff", t));
    TC_TRY(FUNCTION(deep_ntk_limit_put)(out, x[0], x[1], L, c, prec));
    TC_TRY(tc_record_end_row(out));
  }
  status = TC_SUCCESS;
done:
  vec_free(x[0]);
  vec_free(x[1]);
  for (size_t k = 0; k < 3; k++) {
    r_clear(K[k]);
    r_clear(G[k]);
  }
  r_clear(f[0]);
  r_clear(f[1]);
  r_clear(t);
  return status;
}
