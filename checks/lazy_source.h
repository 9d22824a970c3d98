/* lazy_source.h — the lazy-gf measurement written once in the generic
 * names of tc_templates_on.h; checks/lazy.c (which documents the models,
 * parameters and rows) includes it once per backend.  The data and the
 * initial weights are doubles drawn by lazy.c and loaded exactly. */

#ifndef LAZY_NAMES_DEFINED
#define LAZY_NAMES_DEFINED
/* The values measured at a checkpoint, in this order in the row. */
enum {
  LV_RES, LV_RESL1, LV_RISK, LV_MOVE, LV_AMAX, LV_DIST, LV_GRAD, LV_GRADR2, LV_THN2, LV_LAMT,
  LV_LAMPATH, LV_LAMINT, LV_KDEV, LV_INI, LV_HYP, LV_TAYLOR, LV_LINGAP, LV_RESLIN, LV_LGINF, LV_ININOW, LV_ETH, LV_ER, LV_SPAN, LV_ANORM,
  LV_CHAIN, LV_CHNEG, LV_CHREF, LV_ECHAIN, LV_DLFD, LV_DLREF, LV_GNOTE, LV_EDL, LV_GAPS, LV_FSUP, LV_KRES, LV_N
};
static const char *const lazy_vnames[] = {"res", "resl1", "risk", "move", "amax", "dist", "grad",
                                          "gradR2", "thn2", "lam_t", "lam_path", "lam_int", "kdev",
                                          "inI", "hyp", "taylor", "lingap", "reslin",
                                          "lingap_inf", "inI_now", "e_theta", "e_r", "span_dist", "anorm",
                                          "chain", "chain_neg", "chain_ref", "e_chain", "dL_fd",
                                          "dL_ref", "gnote", "e_dL", "gap_sphere", "fsup", "kres_int"};
#endif

/* The system: data, fixed weights and the workspace of one evaluation.
 * The network is evaluated through matrix products (Z = W X^T, dW = D X),
 * which the MPFR backend does with mpfr_dot; the Jacobian itself (Jt) is
 * formed once, at theta_0, for the linearisation. */
typedef struct {
  const lazy_config *c;
  size_t n, d, m, p, off; /* off: where the first-layer block starts in theta */
  MAT *X, *Xt, *XX;       /* n x d, d x n, X X^T */
  VEC *y;                 /* n */
  const double *a;        /* ntk: the fixed output weights */
  MAT *Wm, *Z, *R, *D, *dW; /* m x d, m x n, m x n, m x n, m x d */
  VEC *cf, *g;            /* m: output coefficients; p: J^T r */
  MAT *Jt;                /* p x n, at theta_0 only */
  VEC *f, *r;             /* n */
  unsigned char *act;     /* m x n activation pattern 1{W_k . x_i > 0} */
  size_t ns;              /* Theorem 13's design (mf): Xst (d x ns), Zs, R0s = relu(B_0 Xst) (m x ns) */
  MAT *Xst, *Zs, *R0s;
  VEC *fs, *fr, *at;      /* ns, ns, m: network and random-feature model on the design, a~(t) */
  REAL invsqm, inveta, z, s;
  mpfr_prec_t prec;
} FUNCTION(lazy_sys);

/* f, r = y - f, the activations and R = relu(Z) at theta. */
static int FUNCTION(lazy_eval)(FUNCTION(lazy_sys) *S, const VEC *th)
{
  int status = TC_SUCCESS;
  size_t n = S->n, d = S->d, m = S->m;
  if (S->c->model == LAZY_LINEAR) {
    TC_TRY(mat_gemv(S->f, S->X, th));
  } else {
    for (size_t k = 0; k < m; k++)
      for (size_t l = 0; l < d; l++)
        r_set(mat_at(S->Wm, k, l), vec_at(th, S->off + k * d + l));
    TC_TRY(mat_gemm(S->Z, S->Wm, S->Xt));
    for (size_t k = 0; k < m; k++) {
      if (S->c->model == LAZY_NTK)
        r_mul_double(vec_at(S->cf, k), S->invsqm, S->a[k]);
      else
        r_set(vec_at(S->cf, k), vec_at(th, k));
      for (size_t i = 0; i < n; i++) {
        unsigned char on = r_sgn(mat_at(S->Z, k, i)) > 0;
        S->act[k * n + i] = on;
        if (on)
          r_set(mat_at(S->R, k, i), mat_at(S->Z, k, i));
        else
          r_set_si(mat_at(S->R, k, i), 0);
      }
    }
    TC_TRY(mat_gemv_trans(S->f, S->R, S->cf));
  }
  for (size_t i = 0; i < n; i++)
    r_sub(vec_at(S->r, i), vec_at(S->y, i), vec_at(S->f, i));
done:
  return status;
}

/* S->g <- J^T r = -grad L (after lazy_eval): ntk dW_k = c_k sum_i act_ki
 * r_i x_i; mf also da_j = sum_i relu(Z_ji) r_i; linear X^T r. */
static int FUNCTION(lazy_grad)(FUNCTION(lazy_sys) *S)
{
  int status = TC_SUCCESS;
  size_t n = S->n, d = S->d, m = S->m;
  if (S->c->model == LAZY_LINEAR)
    return mat_gemv_trans(S->g, S->X, S->r);
  for (size_t k = 0; k < m; k++)
    for (size_t i = 0; i < n; i++) {
      if (S->act[k * n + i])
        r_mul(mat_at(S->D, k, i), vec_at(S->cf, k), vec_at(S->r, i));
      else
        r_set_si(mat_at(S->D, k, i), 0);
    }
  TC_TRY(mat_gemm(S->dW, S->D, S->X));
  for (size_t k = 0; k < m; k++)
    for (size_t l = 0; l < d; l++)
      r_set(vec_at(S->g, S->off + k * d + l), mat_at(S->dW, k, l));
  if (S->c->model == LAZY_MF && S->c->train == LAZY_TRAIN_A)
    for (size_t k = S->off; k < S->p; k++)
      r_set_si(vec_at(S->g, k), 0);
  if (S->c->model == LAZY_MF) {
    for (size_t k = 0; k < m; k++) {
      r_set_si(vec_at(S->g, k), 0);
      for (size_t i = 0; i < n; i++)
        r_fma(vec_at(S->g, k), mat_at(S->R, k, i), vec_at(S->r, i), vec_at(S->g, k));
    }
  }
done:
  return status;
}

/* The flow dtheta/dt = J^T (y - f) / eta. */
static int FUNCTION(lazy_field)(VEC *dxdt, const VEC *x, void *params)
{
  FUNCTION(lazy_sys) *S = params;
  int status;
  TC_TRY(FUNCTION(lazy_eval)(S, x));
  TC_TRY(FUNCTION(lazy_grad)(S));
  TC_TRY(vec_copy(dxdt, S->g));
  TC_TRY(vec_scale(dxdt, S->inveta));
done:
  return status;
}

/* Kt <- the monitored kernel after lazy_eval: linear X X^T; ntk H =
 * J J^T, H_ij = <x_i,x_j> #{k: both active}/m (counts exact); mf K-hat =
 * J J^T/m = (R^T R + <x_i,x_j> sum_j a_j^2 act act)/m.  D is scratch. */
static int FUNCTION(lazy_kernel)(MAT *Kt, FUNCTION(lazy_sys) *S)
{
  int status = TC_SUCCESS;
  size_t n = S->n, m = S->m;
  if (S->c->model == LAZY_LINEAR)
    return mat_copy(Kt, S->XX);
  if (S->c->model == LAZY_NTK) {
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++) {
        long cnt = 0;
        for (size_t k = 0; k < m; k++)
          cnt += S->act[k * n + i] & S->act[k * n + j];
        r_mul_double(mat_at(Kt, i, j), mat_at(S->XX, i, j), (double)cnt);
        r_div_double(mat_at(Kt, i, j), mat_at(Kt, i, j), (double)m);
        r_set(mat_at(Kt, j, i), mat_at(Kt, i, j));
      }
    return TC_SUCCESS;
  }
  MAT *Q = S->D;
  MAT *T = mat_alloc(n, n, S->prec);
  if (!T)
    return TC_ENOMEM;
  for (size_t k = 0; k < m; k++)
    for (size_t i = 0; i < n; i++) {
      if (S->act[k * n + i])
        r_set(mat_at(Q, k, i), vec_at(S->cf, k));
      else
        r_set_si(mat_at(Q, k, i), 0);
    }
  TC_TRY(mat_gram(T, Q));
  TC_TRY(mat_gram(Kt, S->R));
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_fma(mat_at(Kt, i, j), mat_at(T, i, j), mat_at(S->XX, i, j), mat_at(Kt, i, j));
      r_div_double(mat_at(Kt, i, j), mat_at(Kt, i, j), (double)m);
    }
done:
  mat_free(T);
  return status;
}

/* S->Jt <- the Jacobian (transposed, p x n) after lazy_eval. */
static void FUNCTION(lazy_jacobian)(FUNCTION(lazy_sys) *S)
{
  size_t n = S->n, d = S->d, m = S->m;
  for (size_t i = 0; i < n; i++) {
    if (S->c->model == LAZY_LINEAR) {
      for (size_t l = 0; l < d; l++)
        r_set(mat_at(S->Jt, l, i), mat_at(S->X, i, l));
      continue;
    }
    for (size_t k = 0; k < m; k++) {
      if (S->c->model == LAZY_MF)
        r_set(mat_at(S->Jt, k, i), mat_at(S->R, k, i));
      for (size_t l = 0; l < d; l++) {
        REAL_PTR e = mat_at(S->Jt, S->off + k * d + l, i);
        if (S->act[k * n + i])
          r_mul(e, vec_at(S->cf, k), mat_at(S->X, i, l));
        else
          r_set_si(e, 0);
      }
    }
  }
}

/* K <- the kernel's infinite-width limit, from the shared closed forms of
 * twolayer_source.h: ntk H_inf (degree-0 arc-cosine kernel); mf K = E_{b ~
 * Unif(S^{d-1})} relu(b.x) relu(b.x') = (degree-1 arc-cosine kernel of
 * N(0, I_d)) / d, since b = g/|g| with |g| independent of g/|g| and E|g|^2 =
 * d; linear X X^T. */
static int FUNCTION(lazy_limit)(MAT *K, FUNCTION(lazy_sys) *S)
{
  size_t n = S->n;
  if (S->c->model == LAZY_LINEAR)
    return mat_copy(K, S->XX);
  if (S->c->model == LAZY_NTK)
    return FUNCTION(twolayer_hinf)(K, S->X, S->prec);
  int status = FUNCTION(twolayer_arccos)(K, S->X, 1, S->prec);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      r_div_double(mat_at(K, i, j), mat_at(K, i, j), (double)S->d);
  if (status == TC_SUCCESS && S->c->init == LAZY_INIT_BALANCED) {
    /* the balanced initialisation's k adds E sigma' sigma' x^T x' = H_inf */
    MAT *H = mat_alloc(n, n, S->prec);
    if (!H)
      return TC_ENOMEM;
    status = FUNCTION(twolayer_hinf)(H, S->X, S->prec);
    for (size_t i = 0; i < n * n; i++)
      r_add(mat_at(K, i / n, i % n), mat_at(K, i / n, i % n), mat_at(H, i / n, i % n));
    mat_free(H);
  }
  return status;
}

/* The moments of one neuron's contribution Z to m^{-alpha} G = (1/m) sum_j
 * Z_j at the initialisation (mf), for the pair (x_i, x_j) at angle th with
 * c = x_i^T x_j, from the arc-cosine kernels of g ~ N(0, I_d) (Cho & Saul):
 * A0 = E 1{g.x>0} 1{g.x'>0} = (pi - th)/(2 pi), A1 = E relu relu =
 * (|x||x'| sin th + (pi - th) c)/(2 pi), A2 = E relu^2 relu^2 = (3 c |x||x'|
 * sin th + (pi - th)(|x|^2|x'|^2 + 2 c^2))/(2 pi).
 *   balanced (alpha = 0): beta = sqrt(m) b ~ N(0, I_d/d), g0 = sqrt(m) a ~
 *     N(0, 1): Z = relu(beta.x) relu(beta.x') + g0^2 1 1 c, so EZ = A1/d +
 *     c A0 (the notes' k), EZ^2 = A2/d^2 + 2 c A1/d + 3 c^2 A0; the other
 *     kernel (kalt) is A1/d, the a-part alone.
 *   standard (alpha = 1, a = 0, b uniform on the sphere, b = g/|g| with |g|
 *     independent, E|g|^2 = d, E|g|^4 = d(d+2)): Z = relu relu, EZ = A1/d
 *     (0.25), EZ^2 = A2/(d(d+2)); kalt = the balanced k.
 * ez[ij] = EZ, kalt[ij], var[ij] = EZ^2 - (EZ)^2 (n x n row-major). */
static int FUNCTION(lazy_moments)(REAL *ez, REAL *kalt, REAL *var, const FUNCTION(lazy_sys) *S)
{
  size_t n = S->n;
  double dd = (double)S->d;
  int bal = S->c->init == LAZY_INIT_BALANCED;
  VEC *nrm = vec_alloc(n, S->prec);
  if (!nrm)
    return TC_ENOMEM;
  REAL th, pi, q, c, sn, a0, a1, a2, dm, dp;
  REAL_PTR rs[] = {th, pi, q, c, sn, a0, a1, a2, dm, dp};
  for (size_t k = 0; k < 10; k++)
    r_init(rs[k], S->prec);
  r_pi(pi);
  FUNCTION(twolayer_norms)(nrm, S->X);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      FUNCTION(twolayer_angle)(th, S->X, nrm, i, j, dm, dp, S->prec);
      r_set(c, mat_at(S->XX, i, j));
      r_sub(q, pi, th); /* pi - th */
      r_div(a0, q, pi);
      r_div_double(a0, a0, 2.0);
      r_sin(sn, th);
      r_mul(sn, sn, vec_at(nrm, i));
      r_mul(sn, sn, vec_at(nrm, j)); /* |x||x'| sin th */
      r_fma(a1, q, c, sn);
      r_div(a1, a1, pi);
      r_div_double(a1, a1, 2.0);
      r_mul(a2, vec_at(nrm, i), vec_at(nrm, j));
      r_sqr(a2, a2);
      r_fma(a2, c, c, a2);
      r_fma(a2, c, c, a2);
      r_mul(a2, a2, q);
      r_mul(sn, sn, c);
      r_mul_double(sn, sn, 3.0);
      r_add(a2, a2, sn);
      r_div(a2, a2, pi);
      r_div_double(a2, a2, 2.0);
      REAL_PTR e = ez[i * n + j], k2 = kalt[i * n + j], v = var[i * n + j];
      r_div_double(a1, a1, dd); /* A1/d from here on */
      r_mul(q, c, a0);          /* c A0 */
      if (bal) {
        r_add(e, a1, q);
        r_set(k2, a1);
        r_div_double(v, a2, dd * dd);
        r_mul(dm, c, a1);
        r_mul_double(dm, dm, 2.0);
        r_add(v, v, dm);
        r_mul(dm, c, q);
        r_mul_double(dm, dm, 3.0);
        r_add(v, v, dm);
      } else {
        r_set(e, a1);
        r_add(k2, a1, q);
        r_div_double(v, a2, dd * (dd + 2));
      }
      r_sqr(dm, e);
      r_sub(v, v, dm);
    }
  for (size_t k = 0; k < 10; k++)
    r_clear(rs[k]);
  vec_free(nrm);
  return TC_SUCCESS;
}

/* What a run needs from t = 0: theta_0, f_0, J_0, the monitored kernel K_0,
 * the linearisation's flow matrix G_0 = J_0 J_0^T = V diag(mu) V^T with
 * c0 = V^T r_0, and lam0. */
typedef struct {
  VEC *th0, *f0, *c0, *mu;
  MAT *Jt0, *K0, *V, *Qs; /* Qs: mf, an orthonormal basis of span(S_0 columns), or NULL */
  REAL lam0, mindist;
  REAL gdev, gvar, gshift, galt; /* the tangent kernel at theta_0: see lazy_gk */
} FUNCTION(lazy_base);

/* Scratch of one run. */
typedef struct {
  MAT *Kt;
  VEC *ev, *g, *dth, *tn, *tn2;
  EIGEN_WS *ews;
  double *kd; /* n x n, the kernel in double for the per-step monitor */
  REAL a, b, u;
} FUNCTION(lazy_scr);

static void FUNCTION(lazy_scr_free)(FUNCTION(lazy_scr) *w)
{
  if (w->Kt)
    mat_free(w->Kt);
  VEC *v[] = {w->ev, w->g, w->dth, w->tn, w->tn2};
  for (size_t i = 0; i < 5; i++)
    if (v[i])
      vec_free(v[i]);
  if (w->ews)
    eigen_ws_free(w->ews);
  free(w->kd);
  r_clear(w->a);
  r_clear(w->b);
  r_clear(w->u);
}

static int FUNCTION(lazy_scr_alloc)(FUNCTION(lazy_scr) *w, size_t n, size_t p, mpfr_prec_t prec)
{
  w->Kt = mat_alloc(n, n, prec);
  w->ev = vec_alloc(n, prec);
  w->g = vec_alloc(p, prec);
  w->dth = vec_alloc(p, prec);
  w->tn = vec_alloc(n, prec);
  w->tn2 = vec_alloc(n, prec);
  w->ews = eigen_ws_alloc(n, prec);
  w->kd = malloc(n * n * sizeof *w->kd);
  r_init(w->a, prec);
  r_init(w->b, prec);
  r_init(w->u, prec);
  return w->Kt && w->ev && w->g && w->dth && w->tn && w->tn2 && w->ews && w->kd ? TC_SUCCESS : TC_ENOMEM;
}

/* The kernel at theta (after lazy_eval): kdev, and lam_t = its smallest
 * eigenvalue, in the backend at checkpoints (`exact`) and in double
 * (LAPACK, from the backend's kernel rounded to double) at the other steps:
 * a per-step monitor of a lambda_min far above u needs no more, and the
 * MPFR Jacobi sweeps at every step would dominate the run. */
static int FUNCTION(lazy_monitor)(REAL_PTR lam, REAL_PTR kdev, FUNCTION(lazy_sys) *S,
                                  const FUNCTION(lazy_base) *B, FUNCTION(lazy_scr) *w, int exact)
{
  int status;
  size_t n = S->n;
  TC_TRY(FUNCTION(lazy_kernel)(w->Kt, S));
  if (exact) {
    TC_TRY(eigen_symm(w->ev, w->Kt, w->ews));
    r_set(lam, vec_at(w->ev, 0));
  } else {
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++)
        w->kd[i * n + j] = r_get_double(mat_at(w->Kt, i, j));
    r_set_double(lam, lazy_eigmin_double(w->kd, n));
  }
  r_set_si(kdev, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_sub(w->a, mat_at(w->Kt, i, j), mat_at(B->K0, i, j));
      r_fma(kdev, w->a, w->a, kdev);
    }
  r_sqrt(kdev, kdev);
done:
  return status;
}

/* Per-block norms of v from `off` in blocks of `len`: the largest into mx. */
static void FUNCTION(lazy_blockmax)(REAL_PTR mx, const VEC *v, size_t off, size_t nb, size_t len,
                                    REAL_PTR acc)
{
  r_set_si(mx, 0);
  for (size_t k = 0; k < nb; k++) {
    r_set_si(acc, 0);
    for (size_t l = 0; l < len; l++)
      r_fma(acc, vec_at(v, off + k * len + l), vec_at(v, off + k * len + l), acc);
    r_sqrt(acc, acc);
    r_max(mx, mx, acc);
  }
}

/* Rs <- relu(W Xst) on the design, W the first-layer weights of the last
 * lazy_eval (S->Wm). */
static int FUNCTION(lazy_design_eval)(MAT *Rs, FUNCTION(lazy_sys) *S)
{
  int status = mat_gemm(Rs, S->Wm, S->Xst);
  for (size_t k = 0; k < S->m; k++)
    for (size_t s = 0; s < S->ns; s++)
      if (r_sgn(mat_at(Rs, k, s)) < 0)
        r_set_si(mat_at(Rs, k, s), 0);
  return status;
}

/* Theorem 13 on the design (mf, after lazy_eval at time t): the network
 * f(x; a(t), B(t)) against the random-feature model f(x; a~(t), B_0),
 * whose flow (0.20)/eta from a~ = 0 has the closed form a~(t) = Phi^T V
 * diag((1 - exp(-mu tau))/mu) c0, tau = t/eta, Phi^T = the a-block of J_0
 * (the first m rows of Jt0), G_0 = V diag(mu) V^T: on the data it is the
 * linearisation (a(0) = 0).  gap_sphere = max_s |f_net - f_rfm|, fsup =
 * max_s |f_net|. */
static int FUNCTION(lazy_sphere)(REAL *v, REAL_SRCPTR t, FUNCTION(lazy_sys) *S, const FUNCTION(lazy_base) *B,
                                 FUNCTION(lazy_scr) *w)
{
  int status;
  size_t n = S->n, m = S->m;
  TC_TRY(FUNCTION(lazy_design_eval)(S->Zs, S));
  TC_TRY(mat_gemv_trans(S->fs, S->Zs, S->cf));
  for (size_t j = 0; j < n; j++) {
    REAL_PTR q = vec_at(w->tn2, j);
    r_mul(w->b, t, S->inveta); /* tau */
    r_mul(w->a, vec_at(B->mu, j), w->b);
    if (r_get_double(w->a) < 1e-8) { /* (1 - e^-x)/mu = tau (1 - x/2 + ...): first order */
      r_set(q, w->b);
    } else {
      r_neg(w->a, w->a);
      r_exp(w->a, w->a);
      r_set_si(q, 1);
      r_sub(q, q, w->a);
      r_div(q, q, vec_at(B->mu, j));
    }
    r_mul(q, q, vec_at(B->c0, j));
  }
  TC_TRY(mat_gemv(w->tn, B->V, w->tn2));
  for (size_t k = 0; k < m; k++) {
    r_set_si(vec_at(S->at, k), 0);
    for (size_t i = 0; i < n; i++)
      r_fma(vec_at(S->at, k), mat_at(B->Jt0, k, i), vec_at(w->tn, i), vec_at(S->at, k));
  }
  TC_TRY(mat_gemv_trans(S->fr, S->R0s, S->at));
  r_set_si(v[LV_GAPS], 0);
  r_set_si(v[LV_FSUP], 0);
  for (size_t s = 0; s < S->ns; s++) {
    r_abs(w->b, vec_at(S->fs, s));
    r_max(v[LV_FSUP], v[LV_FSUP], w->b);
    r_sub(w->a, vec_at(S->fs, s), vec_at(S->fr, s));
    r_abs(w->a, w->a);
    r_max(v[LV_GAPS], v[LV_GAPS], w->a);
  }
done:
  return status;
}

/* Central differences along the flow's velocity vel = J^T r/eta at theta
 * with steps h and 2h, h |vel| = 2^-14: fd[s] = (f(th + s h vel) - f(th -
 * s h vel))/(2 s h) and dL[s] likewise for L = |r|^2/2.  Independent of the
 * module's Jacobian and gradient code (only the forward pass). */
static int FUNCTION(lazy_fd_pair)(VEC **fd, REAL *dL, REAL_PTR h, const VEC *th, const VEC *vel,
                                  FUNCTION(lazy_sys) *S, VEC *tp, VEC *fp, REAL_PTR a)
{
  int status = TC_SUCCESS;
  for (int s = 0; s < 2; s++) {
    for (int sg = 1; sg >= -1; sg -= 2) {
      TC_TRY(vec_copy(tp, th));
      r_mul_double(a, h, (double)(sg * (s + 1)));
      TC_TRY(vec_axpy(tp, a, vel));
      TC_TRY(FUNCTION(lazy_eval)(S, tp));
      TC_TRY(vec_norm2(a, S->r));
      r_sqr(a, a);
      r_div_double(a, a, 2.0);
      if (sg > 0) {
        TC_TRY(vec_copy(fp, S->f));
        r_set(dL[s], a);
        continue;
      }
      r_sub(dL[s], dL[s], a);
      r_div(dL[s], dL[s], h);
      r_div_double(dL[s], dL[s], 2.0 * (double)(s + 1));
      for (size_t i = 0; i < S->n; i++) {
        r_sub(vec_at(fd[s], i), vec_at(fp, i), vec_at(S->f, i));
        r_div(vec_at(fd[s], i), vec_at(fd[s], i), h);
        r_div_double(vec_at(fd[s], i), vec_at(fd[s], i), 2.0 * (double)(s + 1));
      }
    }
  }
done:
  return status;
}

/* 001-14 (du/dt = (1/eta) H_t r along the flow, H_t = J J^T; chain =
 * |du/dt - H_t r/eta|, chain_neg with the sign of 002-19 as written) and
 * 003-30 (dL_fd = dL/dt by differences against dL_ref = -|J^T r|^2/eta from
 * grad L = -J^T r; gnote = |dL_fd - sum_i df(x_i)/dt|, the notes' grad L =
 * grad f).  e_chain, e_dL: |h - 2h| plus 64 u (|f| + |y| + 1)/h.  Needs
 * lazy_eval at th, w->g = J^T r and w->Kt (mf: K-hat = J J^T/m); leaves S
 * evaluated at th again. */
static int FUNCTION(lazy_fd)(REAL *v, const VEC *th, FUNCTION(lazy_sys) *S, FUNCTION(lazy_scr) *w)
{
  int status = TC_SUCCESS;
  size_t n = S->n, p = S->p;
  VEC *tp = vec_alloc(p, S->prec), *vel = vec_alloc(p, S->prec), *r0 = vec_alloc(n, S->prec);
  VEC *fp = vec_alloc(n, S->prec), *fd[2] = {vec_alloc(n, S->prec), vec_alloc(n, S->prec)};
  VEC *fr[] = {tp, vel, r0, fp, fd[0], fd[1]};
  REAL h, dL[2];
  r_init(h, S->prec);
  r_init(dL[0], S->prec);
  r_init(dL[1], S->prec);
  if (!tp || !vel || !r0 || !fp || !fd[0] || !fd[1]) {
    status = TC_ENOMEM;
    goto done;
  }
  TC_TRY(vec_copy(r0, S->r));
  TC_TRY(vec_copy(vel, w->g));
  TC_TRY(vec_scale(vel, S->inveta));
  /* chain_ref = |H r/eta| (w->tn), dL_ref = -r^T H r/eta = -|J^T r|^2/eta */
  TC_TRY(mat_gemv(w->tn, w->Kt, r0));
  r_set_double(w->a, S->c->model == LAZY_MF ? (double)S->m : 1.0);
  r_mul(w->a, w->a, S->inveta);
  TC_TRY(vec_scale(w->tn, w->a));
  TC_TRY(vec_norm2(v[LV_CHREF], w->tn));
  TC_TRY(vec_dot(v[LV_DLREF], w->g, vel));
  r_neg(v[LV_DLREF], v[LV_DLREF]);
  TC_TRY(vec_norm2(h, vel));
  for (int k = LV_CHAIN; k <= LV_EDL; k++)
    if (k != LV_CHREF && k != LV_DLREF)
      r_set_si(v[k], 0);
  if (r_sgn(h) > 0) {
    r_set_si(w->a, 1);
    r_div(h, w->a, h);
    r_mul_double(h, h, 0x1p-14);
    TC_TRY(FUNCTION(lazy_fd_pair)(fd, dL, h, th, vel, S, tp, fp, w->a));
    for (size_t i = 0; i < n; i++) {
      r_sub(w->a, vec_at(fd[0], i), vec_at(w->tn, i));
      r_fma(v[LV_CHAIN], w->a, w->a, v[LV_CHAIN]);
      r_add(w->a, vec_at(fd[0], i), vec_at(w->tn, i));
      r_fma(v[LV_CHNEG], w->a, w->a, v[LV_CHNEG]);
      r_sub(w->a, vec_at(fd[0], i), vec_at(fd[1], i));
      r_fma(v[LV_ECHAIN], w->a, w->a, v[LV_ECHAIN]);
      r_add(v[LV_GNOTE], v[LV_GNOTE], vec_at(fd[0], i));
    }
    r_sqrt(v[LV_CHAIN], v[LV_CHAIN]);
    r_sqrt(v[LV_CHNEG], v[LV_CHNEG]);
    r_sqrt(v[LV_ECHAIN], v[LV_ECHAIN]);
    r_sub(v[LV_GNOTE], dL[0], v[LV_GNOTE]);
    r_abs(v[LV_GNOTE], v[LV_GNOTE]);
    r_set(v[LV_DLFD], dL[0]);
    r_sub(v[LV_EDL], dL[0], dL[1]);
    r_abs(v[LV_EDL], v[LV_EDL]);
    /* rounding of the differences: 64 u (|f| + |y| + 1) / h */
    TC_TRY(vec_norm2(w->a, S->f));
    TC_TRY(vec_norm2(w->b, S->y));
    r_add(w->a, w->a, w->b);
    r_add_double(w->a, w->a, 1.0);
    r_div(w->a, w->a, h);
    r_set_si(w->b, 2);
    r_pow_si(w->b, w->b, 6 - (long)S->prec);
    r_mul(w->a, w->a, w->b);
    r_add(v[LV_ECHAIN], v[LV_ECHAIN], w->a);
    TC_TRY(vec_norm2(w->b, r0));
    r_mul(w->a, w->a, w->b);
    r_add(v[LV_EDL], v[LV_EDL], w->a);
  }
  TC_TRY(FUNCTION(lazy_eval)(S, th));
  TC_TRY(FUNCTION(lazy_grad)(S));
done:
  for (size_t i = 0; i < 6; i++)
    if (fr[i])
      vec_free(fr[i]);
  r_clear(h);
  r_clear(dL[0]);
  r_clear(dL[1]);
  return status;
}

/* The state at theta = th (after lazy_eval): the residual's norms, the
 * risk, the gradient, the distance from theta_0 and the per-neuron
 * movement (move, grad: the largest block over the neurons for the
 * networks, whose lemmas bound each neuron; the whole vector for the
 * linear model). */
static int FUNCTION(lazy_measure_state)(REAL *v, const VEC *th, FUNCTION(lazy_sys) *S, const FUNCTION(lazy_base) *B,
                                        FUNCTION(lazy_scr) *w)
{
  int status;
  size_t n = S->n, d = S->d, m = S->m;
  int model = S->c->model;
  r_set_si(v[LV_RESL1], 0);
  for (size_t i = 0; i < n; i++) {
    r_abs(w->a, vec_at(S->r, i));
    r_add(v[LV_RESL1], v[LV_RESL1], w->a);
  }
  TC_TRY(vec_norm2(v[LV_RES], S->r));
  r_sqr(v[LV_RISK], v[LV_RES]);
  r_div_double(v[LV_RISK], v[LV_RISK], 2.0 * (double)n);
  /* g = J^T r = -grad L (L = |r|^2/2); grad R-hat = -g/n. */
  TC_TRY(FUNCTION(lazy_grad)(S));
  TC_TRY(vec_copy(w->g, S->g));
  TC_TRY(vec_dot(v[LV_GRADR2], w->g, w->g));
  r_div_double(v[LV_GRADR2], v[LV_GRADR2], (double)n * (double)n);
  TC_TRY(vec_copy(w->dth, th));
  r_set_si(w->a, -1);
  TC_TRY(vec_axpy(w->dth, w->a, B->th0));
  TC_TRY(vec_norm2(v[LV_DIST], w->dth));
  TC_TRY(vec_dot(v[LV_THN2], th, th));
  r_set_si(v[LV_AMAX], 0);
  if (model == LAZY_LINEAR) {
    r_set(v[LV_MOVE], v[LV_DIST]);
    TC_TRY(vec_norm2(v[LV_GRAD], w->g));
  } else {
    size_t off = model == LAZY_NTK ? 0 : m;
    FUNCTION(lazy_blockmax)(v[LV_MOVE], w->dth, off, m, d, w->a);
    FUNCTION(lazy_blockmax)(v[LV_GRAD], w->g, off, m, d, w->a);
    if (model == LAZY_MF)
      FUNCTION(lazy_blockmax)(v[LV_AMAX], th, 0, m, 1, w->a);
  }
done:
  return status;
}

/* The distance to the linearisation at time t, after lazy_measure_state
 * (w->dth = theta - theta_0): the Taylor remainder |f - f0 - J0 dth| and
 * the gap |r - r_lin| (2-norm and sup) to the linearised flow's residual
 * r_lin(t) = V diag(exp(-mu t/eta)) c0, in closed form from B. */
static int FUNCTION(lazy_measure_lin)(REAL *v, REAL_SRCPTR t, FUNCTION(lazy_sys) *S, const FUNCTION(lazy_base) *B,
                                      FUNCTION(lazy_scr) *w)
{
  int status;
  size_t n = S->n;
  TC_TRY(mat_gemv_trans(w->tn, B->Jt0, w->dth));
  for (size_t i = 0; i < n; i++) {
    r_sub(w->a, vec_at(S->f, i), vec_at(B->f0, i));
    r_sub(vec_at(w->tn, i), w->a, vec_at(w->tn, i));
  }
  TC_TRY(vec_norm2(v[LV_TAYLOR], w->tn));
  for (size_t j = 0; j < n; j++) {
    r_mul(w->a, vec_at(B->mu, j), t);
    r_mul(w->a, w->a, S->inveta);
    r_neg(w->a, w->a);
    r_exp(w->a, w->a);
    r_mul(vec_at(w->tn2, j), w->a, vec_at(B->c0, j));
  }
  TC_TRY(mat_gemv(w->tn, B->V, w->tn2));
  TC_TRY(vec_norm2(v[LV_RESLIN], w->tn));
  r_set_si(w->a, -1);
  TC_TRY(vec_axpy(w->tn, w->a, S->r));
  TC_TRY(vec_norm2(v[LV_LINGAP], w->tn));
  r_set_si(v[LV_LGINF], 0);
  for (size_t i = 0; i < n; i++) {
    r_abs(w->a, vec_at(w->tn, i));
    r_max(v[LV_LGINF], v[LV_LGINF], w->a);
  }
done:
  return status;
}

/* Lemma 14 (mf): |a| and |a - Qs Qs^T a|, the part of the output weights
 * outside the span of S_0's columns (0 when m < n: the span is all of
 * R^m, B->Qs is NULL). */
static void FUNCTION(lazy_measure_span)(REAL *v, const VEC *th, const FUNCTION(lazy_sys) *S,
                                        const FUNCTION(lazy_base) *B, FUNCTION(lazy_scr) *w)
{
  size_t n = S->n, m = S->m;
  r_set_si(v[LV_SPAN], 0);
  r_set_si(v[LV_ANORM], 0);
  if (S->c->model == LAZY_MF) {
    for (size_t j = 0; j < m; j++)
      r_fma(v[LV_ANORM], vec_at(th, j), vec_at(th, j), v[LV_ANORM]);
    r_sqrt(v[LV_ANORM], v[LV_ANORM]);
  }
  if (!B->Qs)
    return;
  for (size_t i = 0; i < n; i++) {
    r_set_si(vec_at(w->tn, i), 0);
    for (size_t j = 0; j < m; j++)
      r_fma(vec_at(w->tn, i), mat_at(B->Qs, j, i), vec_at(th, j), vec_at(w->tn, i));
  }
  for (size_t j = 0; j < m; j++) {
    r_set(w->a, vec_at(th, j));
    for (size_t i = 0; i < n; i++) {
      r_mul(w->b, mat_at(B->Qs, j, i), vec_at(w->tn, i));
      r_sub(w->a, w->a, w->b);
    }
    r_fma(v[LV_SPAN], w->a, w->a, v[LV_SPAN]);
  }
  r_sqrt(v[LV_SPAN], v[LV_SPAN]);
}

/* The values of a checkpoint at time t (theta = th, after lazy_eval),
 * except the path quantities, which the caller keeps. */
static int FUNCTION(lazy_measure_point)(REAL *v, REAL_SRCPTR t, const VEC *th, FUNCTION(lazy_sys) *S,
                                        const FUNCTION(lazy_base) *B, FUNCTION(lazy_scr) *w)
{
  int status;
  TC_TRY(FUNCTION(lazy_measure_state)(v, th, S, B, w));
  TC_TRY(FUNCTION(lazy_measure_lin)(v, t, S, B, w));
  TC_TRY(FUNCTION(lazy_monitor)(v[LV_LAMT], v[LV_KDEV], S, B, w, 1));
  FUNCTION(lazy_measure_span)(v, th, S, B, w);
  r_set_si(v[LV_GAPS], 0);
  r_set_si(v[LV_FSUP], 0);
  if (S->ns)
    TC_TRY(FUNCTION(lazy_sphere)(v, t, S, B, w));
  TC_TRY(FUNCTION(lazy_fd)(v, th, S, w));
done:
  return status;
}

/* kres_int += w h (k_prev + k)/2 with k = g |H_s - H_0|_F |r(s)|/eta, g =
 * m for mf (G = m K-hat), after lazy_eval and lazy_monitor at s: the
 * variation-of-constants bound of the gap to the linearisation, |r -
 * r_lin|(t) <= int_0^t |G_s - G_0|_2 |r(s)| ds/eta (e^{-G_0 (t-s)/eta} is a
 * contraction), sampled at every step (w steps since the last sample).
 * kprev carries k from the last sample; q is scratch. */
static int FUNCTION(lazy_kres_step)(REAL_PTR acc, REAL_PTR kprev, REAL_SRCPTR kdev, FUNCTION(lazy_sys) *S,
                                    REAL_SRCPTR h, double w, REAL_PTR q)
{
  int status = vec_norm2(q, S->r);
  r_mul(q, q, kdev);
  r_mul(q, q, S->inveta);
  r_mul_double(q, q, S->c->model == LAZY_MF ? (double)S->m : 1.0);
  r_add(kprev, kprev, q);
  r_mul(kprev, kprev, h);
  r_mul_double(kprev, kprev, 0.5 * w);
  r_add(acc, acc, kprev);
  r_set(kprev, q);
  return status;
}

/* The state of one run: its scratch, theta, the time t, and the path
 * quantities carried from step to step (lprev, kprev: lam and the kres
 * integrand at the last sample; inI, hyp: the path conditions so far);
 * lam, kdev, q are scratch. */
typedef struct {
  FUNCTION(lazy_scr) w;
  ODE_WS *ws;
  VEC *th;
  REAL t, lam, kdev, lprev, q, kprev;
  int inI, hyp;
} FUNCTION(lazy_runws);

/* TC_ENOMEM when an allocation fails; R is freeable either way. */
static int FUNCTION(lazy_runws_alloc)(FUNCTION(lazy_runws) *R, const FUNCTION(lazy_sys) *S)
{
  mpfr_prec_t prec = S->prec;
  R->ws = ode_ws_alloc(S->p, prec);
  R->th = vec_alloc(S->p, prec);
  r_init(R->kprev, prec);
  r_set_si(R->kprev, 0);
  r_init(R->t, prec);
  r_init(R->lam, prec);
  r_init(R->kdev, prec);
  r_init(R->lprev, prec);
  r_init(R->q, prec);
  if (FUNCTION(lazy_scr_alloc)(&R->w, S->n, S->p, prec) || !R->ws || !R->th)
    return TC_ENOMEM;
  return TC_SUCCESS;
}

static void FUNCTION(lazy_runws_free)(FUNCTION(lazy_runws) *R)
{
  FUNCTION(lazy_scr_free)(&R->w);
  if (R->ws)
    ode_ws_free(R->ws);
  if (R->th)
    vec_free(R->th);
  r_clear(R->t);
  r_clear(R->lam);
  r_clear(R->kdev);
  r_clear(R->lprev);
  r_clear(R->q);
  r_clear(R->kprev);
}

/* Checkpoint 0 (t = 0, theta = theta_0): its values, and the path
 * quantities at their starting values. */
static int FUNCTION(lazy_run_start)(REAL *v, FUNCTION(lazy_runws) *R, FUNCTION(lazy_sys) *S,
                                    const FUNCTION(lazy_base) *B)
{
  int status;
  TC_TRY(vec_copy(R->th, B->th0));
  TC_TRY(FUNCTION(lazy_eval)(S, R->th));
  TC_TRY(FUNCTION(lazy_measure_point)(v, R->t, R->th, S, B, &R->w));
  r_set(v[LV_LAMPATH], v[LV_LAMT]);
  r_set_si(v[LV_LAMINT], 0);
  r_set_si(v[LV_KRES], 0);
  r_set_si(v[LV_INI], 1);
  r_set_si(v[LV_HYP], 1);
  r_set(R->lprev, v[LV_LAMT]);
  R->inI = 1;
  R->hyp = 1;
done:
  return status;
}

/* One step of size h of the method (before checkpoint j, for the
 * message). */
static int FUNCTION(lazy_run_step)(FUNCTION(lazy_runws) *R, FUNCTION(lazy_sys) *S, REAL_SRCPTR h, size_t j,
                                   char *err, size_t errlen)
{
  int status;
  if (S->c->method == LAZY_METHOD_GD) {
    /* theta <- theta + h J^T r / eta: one gradient-descent step */
    if ((status = FUNCTION(lazy_field)(R->w.g, R->th, S)) == TC_SUCCESS)
      status = vec_axpy(R->th, h, R->w.g);
  } else {
    status = ode_rk4_step(R->th, h, FUNCTION(lazy_field), S, R->ws);
  }
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "%s step failed at checkpoint %zu", S->c->method == LAZY_METHOD_GD ? "GD" : "RK4",
             j);
  return status;
}

/* A sample of the path quantities into vj after a step: the kernel at
 * theta, the trapezoid sums lam_int and kres over the steps since the last
 * sample (1 with `monitor`, spc without), lam_path, and the conditions
 * inI (|H_s - H_0| <= lam0/4) and hyp (lam_path >= lam0/2) so far. */
static int FUNCTION(lazy_run_sample)(REAL *vj, FUNCTION(lazy_runws) *R, FUNCTION(lazy_sys) *S,
                                     const FUNCTION(lazy_base) *B, REAL_SRCPTR h, size_t spc, int monitor)
{
  int status;
  TC_TRY(FUNCTION(lazy_eval)(S, R->th));
  TC_TRY(FUNCTION(lazy_monitor)(R->lam, R->kdev, S, B, &R->w, 0));
  /* lam_int += (steps since the last sample) h (lprev + lam)/2 */
  r_add(R->q, R->lprev, R->lam);
  r_mul(R->q, R->q, h);
  r_mul_double(R->q, R->q, monitor ? 0.5 : 0.5 * (double)spc);
  r_add(vj[LV_LAMINT], vj[LV_LAMINT], R->q);
  TC_TRY(FUNCTION(lazy_kres_step)(vj[LV_KRES], R->kprev, R->kdev, S, h, monitor ? 1.0 : (double)spc, R->q));
  r_min(vj[LV_LAMPATH], vj[LV_LAMPATH], R->lam);
  r_set(R->lprev, R->lam);
  r_div_double(R->q, B->lam0, 4.0);
  R->inI &= r_cmp(R->kdev, R->q) <= 0;
  r_div_double(R->q, B->lam0, 2.0);
  R->hyp &= r_cmp(vj[LV_LAMPATH], R->q) >= 0;
done:
  return status;
}

/* After checkpoint j's measure: the coarse run (no monitor) keeps (theta,
 * r) in snap; the fine run measures its distance to them: e_theta =
 * |theta_h - theta_2h|, e_r = |r_h - r_2h|, vector norms (a difference of
 * norms can cancel where the vectors do not).  Then the path conditions
 * and inI at this checkpoint alone. */
static void FUNCTION(lazy_run_close)(REAL *vj, FUNCTION(lazy_runws) *R, const FUNCTION(lazy_sys) *S,
                                     const FUNCTION(lazy_base) *B, VEC *snap, int monitor)
{
  for (size_t k = 0; k < S->p + S->n; k++) {
    REAL_PTR x = k < S->p ? vec_at(R->th, k) : vec_at(S->r, k - S->p);
    if (!monitor) {
      r_set(vec_at(snap, k), x);
    } else {
      r_sub(R->q, x, vec_at(snap, k));
      r_sqr(R->q, R->q);
      r_add(k < S->p ? vj[LV_ETH] : vj[LV_ER], k < S->p ? vj[LV_ETH] : vj[LV_ER], R->q);
    }
  }
  r_sqrt(vj[LV_ETH], vj[LV_ETH]);
  r_sqrt(vj[LV_ER], vj[LV_ER]);
  r_set_si(vj[LV_INI], R->inI);
  r_set_si(vj[LV_HYP], R->hyp);
  r_div_double(R->q, B->lam0, 4.0);
  r_set_si(vj[LV_ININOW], r_cmp(vj[LV_KDEV], R->q) <= 0);
}

/* One run from B->th0 with `spc` steps of size h per checkpoint, K
 * checkpoints: the values of checkpoint j into v[j * LV_N ..].  With
 * `monitor`, the kernel is also measured after every step, for the path
 * quantities (lam_path, lam_int, inI, hyp); without it they are sampled at
 * the checkpoints only (the coarse run, whose path values are not used). */
static int FUNCTION(lazy_run)(REAL *v, FUNCTION(lazy_sys) *S, const FUNCTION(lazy_base) *B,
                              REAL_SRCPTR h, size_t spc, size_t K, int monitor, VEC **snap, char *err,
                              size_t errlen)
{
  int status;
  FUNCTION(lazy_runws) R = {0};
  TC_TRY(FUNCTION(lazy_runws_alloc)(&R, S));
  TC_TRY(FUNCTION(lazy_run_start)(v, &R, S, B));
  for (size_t j = 1; j <= K; j++) {
    REAL *vj = v + j * LV_N, *vp = v + (j - 1) * LV_N;
    r_set(vj[LV_LAMPATH], vp[LV_LAMPATH]);
    r_set(vj[LV_LAMINT], vp[LV_LAMINT]);
    r_set(vj[LV_KRES], vp[LV_KRES]);
    for (size_t s = 1; s <= spc; s++) {
      TC_TRY(FUNCTION(lazy_run_step)(&R, S, h, j, err, errlen));
      if (!monitor && s < spc)
        continue;
      TC_TRY(FUNCTION(lazy_run_sample)(vj, &R, S, B, h, spc, monitor));
    }
    r_mul_double(R.t, h, (double)(j * spc));
    TC_TRY(FUNCTION(lazy_measure_point)(vj, R.t, R.th, S, B, &R.w));
    FUNCTION(lazy_run_close)(vj, &R, S, B, snap[j], monitor);
  }
done:
  FUNCTION(lazy_runws_free)(&R);
  return status;
}

static void FUNCTION(lazy_base_free)(FUNCTION(lazy_base) *B)
{
  VEC *v[] = {B->th0, B->f0, B->c0, B->mu};
  MAT *M[] = {B->Jt0, B->K0, B->V, B->Qs};
  for (size_t i = 0; i < 4; i++)
    if (v[i])
      vec_free(v[i]);
  for (size_t i = 0; i < 4; i++)
    if (M[i])
      mat_free(M[i]);
  r_clear(B->lam0);
  r_clear(B->mindist);
  r_clear(B->gdev);
  r_clear(B->gvar);
  r_clear(B->gshift);
  r_clear(B->galt);
}

/* The remark after Theorem 10 (mf, init standard or balanced): with G_0 =
 * J_0 J_0^T and alpha the notes' exponent for the initialisation (1 for
 * (0.21), where G = m K-hat; 0 for the balanced one, G_{ii'} -> k):
 * gdev = |m^-alpha G_0 - k|_F against the closed-form limit k, gvar = sum
 * Var Z = m E|m^-alpha G_0 - k|_F^2 (exact: G is a mean of m iid Z_j),
 * gshift = |m^-(alpha+1) G_0 - k|_F (the other scaling) and galt =
 * |m^-alpha G_0 - kalt|_F (the other initialisation's kernel).  Zero for
 * other models. */
static int FUNCTION(lazy_gk)(FUNCTION(lazy_base) *B, const FUNCTION(lazy_sys) *S, const MAT *G)
{
  int status = TC_SUCCESS;
  size_t n = S->n, nn = n * n;
  r_set_si(B->gdev, 0);
  r_set_si(B->gvar, 0);
  r_set_si(B->gshift, 0);
  r_set_si(B->galt, 0);
  if (S->c->model != LAZY_MF || S->c->init == LAZY_INIT_RANDOM)
    return TC_SUCCESS;
  REAL *m3 = malloc(3 * nn * sizeof(REAL));
  REAL q, gs;
  if (!m3)
    return TC_ENOMEM;
  for (size_t k = 0; k < 3 * nn; k++)
    r_init(m3[k], S->prec);
  r_init(q, S->prec);
  r_init(gs, S->prec);
  TC_TRY(FUNCTION(lazy_moments)(m3, m3 + nn, m3 + 2 * nn, S));
  double mm = (double)S->m, ma = S->c->init == LAZY_INIT_BALANCED ? 1.0 : mm;
  for (size_t k = 0; k < nn; k++) {
    r_div_double(gs, mat_at(G, k / n, k % n), ma); /* m^-alpha G */
    r_sub(q, gs, m3[k]);
    r_fma(B->gdev, q, q, B->gdev);
    r_sub(q, gs, m3[nn + k]);
    r_fma(B->galt, q, q, B->galt);
    r_div_double(q, gs, mm);
    r_sub(q, q, m3[k]);
    r_fma(B->gshift, q, q, B->gshift);
    r_add(B->gvar, B->gvar, m3[2 * nn + k]);
  }
  r_sqrt(B->gdev, B->gdev);
  r_sqrt(B->galt, B->galt);
  r_sqrt(B->gshift, B->gshift);
done:
  for (size_t k = 0; k < 3 * nn; k++)
    r_clear(m3[k]);
  free(m3);
  r_clear(q);
  r_clear(gs);
  return status;
}

/* B's vectors, matrices (Qs apart: mf only) and REALs; the REALs are
 * initialised even when an allocation fails, so lazy_base_free can run. */
static int FUNCTION(lazy_base_alloc)(FUNCTION(lazy_base) *B, size_t n, size_t p, mpfr_prec_t prec)
{
  B->th0 = vec_alloc(p, prec);
  B->f0 = vec_alloc(n, prec);
  B->c0 = vec_alloc(n, prec);
  B->mu = vec_alloc(n, prec);
  B->Jt0 = mat_alloc(p, n, prec);
  B->K0 = mat_alloc(n, n, prec);
  B->V = mat_alloc(n, n, prec);
  r_init(B->lam0, prec);
  r_init(B->mindist, prec);
  r_init(B->gdev, prec);
  r_init(B->gvar, prec);
  r_init(B->gshift, prec);
  r_init(B->galt, prec);
  return B->th0 && B->f0 && B->c0 && B->mu && B->Jt0 && B->K0 && B->V ? TC_SUCCESS : TC_ENOMEM;
}

/* Lemma 14's span (mf, m >= n): Qs, an orthonormal basis of the columns
 * of S_0 = relu(B_0 X^T) (m x n), by QR of S->R (after lazy_eval at
 * theta_0). */
static int FUNCTION(lazy_base_span)(FUNCTION(lazy_base) *B, const FUNCTION(lazy_sys) *S)
{
  int status;
  size_t n = S->n;
  MAT *Rq = mat_alloc(n, n, S->prec);
  QR_WS *qws = qr_ws_alloc(S->m, n, S->prec);
  B->Qs = mat_alloc(S->m, n, S->prec);
  if (!Rq || !qws || !B->Qs)
    status = TC_ENOMEM;
  else
    status = qr(B->Qs, Rq, S->R, qws);
  if (Rq)
    mat_free(Rq);
  if (qws)
    qr_ws_free(qws);
  return status;
}

/* mindist^2 = r0^T G_0^{-1} r0 = sum_j c0_j^2/mu_j, the distance of the
 * minimum-norm solution of J_0 (theta - theta_0) = r_0 (003-38); Inf
 * when G_0 is singular.  q: scratch. */
static void FUNCTION(lazy_base_mindist)(FUNCTION(lazy_base) *B, size_t n, REAL_PTR q)
{
  r_set_si(B->mindist, 0);
  for (size_t j = 0; j < n; j++) {
    r_sqr(q, vec_at(B->c0, j));
    if (r_sgn(vec_at(B->mu, j)) <= 0) {
      r_set_double(B->mindist, INFINITY);
      break;
    }
    r_div(q, q, vec_at(B->mu, j));
    r_add(B->mindist, B->mindist, q);
  }
  r_sqrt(B->mindist, B->mindist);
}

/* B from theta_0 (doubles): f_0, J_0, K_0, the eigen-decomposition of G_0
 * and lam0 (the limit kernel's smallest eigenvalue). */
static int FUNCTION(lazy_base_init)(FUNCTION(lazy_base) *B, FUNCTION(lazy_sys) *S, const double *theta0)
{
  int status = TC_SUCCESS;
  size_t n = S->n, p = S->p;
  mpfr_prec_t prec = S->prec;
  MAT *G = mat_alloc(n, n, prec);
  VEC *ev = vec_alloc(n, prec);
  EIGEN_WS *ews = eigen_ws_alloc(n, prec);
  EIGENV_WS *vws = eigenv_ws_alloc(n, prec);
  if (FUNCTION(lazy_base_alloc)(B, n, p, prec) || !G || !ev || !ews || !vws) {
    status = TC_ENOMEM;
    goto done;
  }
  for (size_t k = 0; k < p; k++)
    r_set_double(vec_at(B->th0, k), theta0[k]);
  TC_TRY(FUNCTION(lazy_eval)(S, B->th0));
  FUNCTION(lazy_jacobian)(S);
  if (S->ns)
    TC_TRY(FUNCTION(lazy_design_eval)(S->R0s, S));
  TC_TRY(vec_copy(B->f0, S->f));
  TC_TRY(mat_copy(B->Jt0, S->Jt));
  TC_TRY(FUNCTION(lazy_kernel)(B->K0, S));
  TC_TRY(mat_gram(G, S->Jt));
  TC_TRY(FUNCTION(lazy_gk)(B, S, G));
  TC_TRY(eigen_symmv(B->mu, B->V, G, vws));
  if (S->c->model == LAZY_MF && S->m >= n)
    TC_TRY(FUNCTION(lazy_base_span)(B, S));
  TC_TRY(mat_gemv_trans(B->c0, B->V, S->r));
  FUNCTION(lazy_base_mindist)(B, n, mat_at(G, 0, 0)); /* G's entry as scratch: G is rebuilt below */
  TC_TRY(FUNCTION(lazy_limit)(G, S));
  TC_TRY(eigen_symm(ev, G, ews));
  r_set(B->lam0, vec_at(ev, 0));
done:
  if (G)
    mat_free(G);
  if (ev)
    vec_free(ev);
  if (ews)
    eigen_ws_free(ews);
  if (vws)
    eigenv_ws_free(vws);
  return status;
}

/* The integration-error estimates of a row, from the fine run's distance
 * to the coarse one (e_theta, e_r: vector norms) and, for values not
 * Lipschitz in (theta, r) with a known constant, |fine - coarse| (plus
 * the Lipschitz part where there is one).  sqrt(lambda_max(G_0)) = |J_0|. */
static int FUNCTION(lazy_errors)(tc_record *out, REAL *vf, REAL *vc, const FUNCTION(lazy_sys) *S,
                                 const FUNCTION(lazy_base) *B, REAL_PTR tmp)
{
  int status;
  REAL_PTR eth = vf[LV_ETH], er = vf[LV_ER];
  REAL jn;
  r_init(jn, S->prec);
  r_abs(jn, vec_at(B->mu, S->n - 1));
  r_sqrt(jn, jn);
  /* res, lingap, lingap_inf: within |r_h - r_2h| */
  if ((status = record_put(out, "e_res", er)) || (status = record_put(out, "e_lingap", er)) ||
      (status = record_put(out, "e_move", eth)) || (status = record_put(out, "e_dist", eth)))
    goto done;
  /* risk = res^2/(2n): (2 res + e) e / (2n) */
  r_mul_double(tmp, vf[LV_RES], 2.0);
  r_add(tmp, tmp, er);
  r_mul(tmp, tmp, er);
  r_div_double(tmp, tmp, 2.0 * (double)S->n);
  if ((status = record_put(out, "e_risk", tmp)))
    goto done;
  /* taylor: |f_h - f_2h| + |J_0| |theta_h - theta_2h| */
  r_fma(tmp, jn, eth, er);
  if ((status = record_put(out, "e_taylor", tmp)))
    goto done;
  const int sc[] = {LV_GRAD, LV_GRADR2, LV_LAMT};
  const char *const nm[] = {"e_grad", "e_gradR2", "e_lam"};
  for (int k = 0; k < 3; k++) {
    r_sub(tmp, vf[sc[k]], vc[sc[k]]);
    r_abs(tmp, tmp);
    if (sc[k] == LV_GRAD)
      r_fma(tmp, jn, er, tmp); /* the r-part of g = J^T r */
    if ((status = record_put(out, nm[k], tmp)))
      goto done;
  }
done:
  r_clear(jn);
  return status;
}

/* The row of checkpoint j: constants, the fine run's values and the
 * error estimates |fine - coarse|. */
static int FUNCTION(lazy_row)(tc_record *out, REAL *vf, REAL *vc, REAL *v0, REAL_SRCPTR t,
                              const FUNCTION(lazy_sys) *S, const FUNCTION(lazy_base) *B, REAL_SRCPTR C,
                              REAL_PTR tmp)
{
  int status;
  if ((status = record_put(out, "t", t)) || (status = tc_record_put_double(out, "n", (double)S->n)) ||
      (status = tc_record_put_double(out, "m", (double)S->m)) ||
      (status = tc_record_put_double(out, "d", (double)S->d)) || (status = record_put(out, "C", C)) ||
      (status = record_put(out, "lam0", B->lam0)) || (status = record_put(out, "lamH0", v0[LV_LAMT])) ||
      (status = record_put(out, "res0", v0[LV_RES])) || (status = record_put(out, "risk0", v0[LV_RISK])) ||
      (status = record_put(out, "mindist", B->mindist)) || (status = record_put(out, "gdev", B->gdev)) ||
      (status = record_put(out, "gvar", B->gvar)) || (status = record_put(out, "gshift", B->gshift)) ||
      (status = record_put(out, "galt", B->galt)))
    return status;
  /* e_reslin: rounding of reslin = |V exp(-diag(mu) t/eta) V^T r_0|, an
   * a-priori 64 u (n + mu_max t/eta) |r_0|: the projections V^T r_0 and V c
   * (n terms each) and the exponent's error u mu_max t/eta (mu within u
   * mu_max of exact). */
  r_mul(tmp, vec_at(B->mu, S->n - 1), t);
  r_mul(tmp, tmp, S->inveta);
  r_abs(tmp, tmp);
  r_add_double(tmp, tmp, (double)S->n);
  r_mul(tmp, tmp, v0[LV_RES]);
  r_mul_double(tmp, tmp, ldexp(64.0, -(int)S->prec));
  if ((status = record_put(out, "e_reslin", tmp)))
    return status;
  /* rate_int = int_0^t lambda_min(J J^T)/eta: lam_int is of K-hat = J J^T/m for mf. */
  r_mul(tmp, vf[LV_LAMINT], S->inveta);
  if (S->c->model == LAZY_MF)
    r_mul_double(tmp, tmp, (double)S->m);
  if ((status = record_put(out, "rate_int", tmp)))
    return status;
  /* ev11: Lemma 11's event lambda_n(K-hat(theta_0)) >= lam0/2 */
  r_div_double(tmp, B->lam0, 2.0);
  if ((status = tc_record_put_double(out, "ev11", r_cmp(v0[LV_LAMT], tmp) >= 0)))
    return status;
  for (int k = 0; k < LV_N; k++)
    if ((status = record_put(out, lazy_vnames[k], vf[k])))
      return status;
  if ((status = FUNCTION(lazy_errors)(out, vf, vc, S, B, tmp)))
    return status;
  return tc_record_end_row(out);
}

/* The step plan: h = hscale eta / lambda_max(G_0), T from `time` or
 * horizon / rate0, spc (even) steps per checkpoint.  The counts are
 * computed in double from the backend's values with a 1e-9 slack, so
 * both backends take the same number of steps. */
static int FUNCTION(lazy_plan_gd)(REAL_PTR h, REAL_PTR T, size_t *spc, const FUNCTION(lazy_sys) *S,
                                  const FUNCTION(lazy_base) *B, char *err, size_t errlen);

static int FUNCTION(lazy_plan)(REAL_PTR h, REAL_PTR T, size_t *spc, const FUNCTION(lazy_sys) *S,
                               const FUNCTION(lazy_base) *B, char *err, size_t errlen)
{
  if (S->c->method == LAZY_METHOD_GD)
    return FUNCTION(lazy_plan_gd)(h, T, spc, S, B, err, errlen);
  const lazy_config *c = S->c;
  double lmax = r_get_double(vec_at(B->mu, S->n - 1)), lam0 = r_get_double(B->lam0);
  double rate0 = lam0 / c->eta * lazy_gscale(c);
  double Td = isnan(c->time) ? fmin(c->horizon / rate0, c->tmax) : c->time;
  if (Td == 0) { /* theta_0 only: no step */
    *spc = 2;
    r_set_si(T, 0);
    r_set_si(h, 0);
    return TC_SUCCESS;
  }
  if (!(Td >= 0) || !isfinite(Td)) {
    snprintf(err, errlen, "no time scale: lambda_max(G_0) = %g, rate0 = %g (give `time`)", lmax, rate0);
    return TC_EDOM;
  }
  /* G_0 = J_0 J_0^T = 0 means J_0 = 0: theta_0 is a stationary point of
   * the flow (velocity J^T r/eta), which any step follows exactly (e.g.
   * mf with a = 0 and every neuron inactive on every x_i). */
  double htarget = lmax > 0 ? c->hscale * c->eta / lmax : Td / (double)c->checkpoints;
  double s = ceil(Td / ((double)c->checkpoints * htarget) * (1 - 1e-9));
  s = 2 * ceil(fmax(s, 2) / 2);
  if (s * (double)c->checkpoints > c->max_steps) {
    snprintf(err, errlen, "%.0f RK4 steps needed (T = %g, h = %g) > max_steps %.0f", s * (double)c->checkpoints,
             Td, htarget, c->max_steps);
    return TC_EDOM;
  }
  *spc = (size_t)s;
  if (isnan(c->time)) {
    r_div_double(T, B->lam0, c->eta / lazy_gscale(c));
    r_set_double(h, c->horizon);
    r_div(T, h, T);
    r_set_double(h, c->tmax);
    r_min(T, T, h);
  } else {
    r_set_double(T, c->time);
  }
  r_div_double(h, T, s * (double)c->checkpoints);
  return TC_SUCCESS;
}

/* The GD plan: the step h = lr (default hscale eta / lambda_max(G_0)),
 * `iterations` steps (default T / lr, T as for the flow) rounded up to
 * spc (even) steps per checkpoint; T = spc K lr. */
static int FUNCTION(lazy_plan_gd)(REAL_PTR h, REAL_PTR T, size_t *spc, const FUNCTION(lazy_sys) *S,
                                  const FUNCTION(lazy_base) *B, char *err, size_t errlen)
{
  const lazy_config *c = S->c;
  double lmax = r_get_double(vec_at(B->mu, S->n - 1)), lam0 = r_get_double(B->lam0);
  double rate0 = lam0 / c->eta * lazy_gscale(c);
  if (isnan(c->lr)) {
    if (!(lmax > 0)) {
      snprintf(err, errlen, "no step: lambda_max(G_0) = %g (give lr)", lmax);
      return TC_EDOM;
    }
    r_set_double(h, c->hscale * c->eta);
    r_div(h, h, vec_at(B->mu, S->n - 1));
  } else {
    r_set_double(h, c->lr);
  }
  double hd = r_get_double(h), N = c->iterations;
  if (isnan(N)) {
    double Td = isnan(c->time) ? fmin(c->horizon / rate0, c->tmax) : c->time;
    if (!(Td >= 0) || !isfinite(Td)) {
      snprintf(err, errlen, "no time scale: rate0 = %g (give iterations or time)", rate0);
      return TC_EDOM;
    }
    N = ceil(Td / hd * (1 - 1e-9));
  }
  double s = 2 * ceil(fmax(ceil(N / (double)c->checkpoints), 2) / 2);
  if (s * (double)c->checkpoints > c->max_steps) {
    snprintf(err, errlen, "%.0f GD steps needed (lr = %g) > max_steps %.0f", s * (double)c->checkpoints, hd,
             c->max_steps);
    return TC_EDOM;
  }
  *spc = (size_t)s;
  r_mul_double(T, h, s * (double)c->checkpoints);
  return TC_SUCCESS;
}

static void FUNCTION(lazy_sys_free)(FUNCTION(lazy_sys) *S)
{
  MAT *M[] = {S->X, S->Xt, S->XX, S->Wm, S->Z, S->R, S->D, S->dW, S->Jt, S->Xst, S->Zs, S->R0s};
  VEC *v[] = {S->y, S->cf, S->g, S->f, S->r, S->fs, S->fr, S->at};
  for (size_t i = 0; i < sizeof M / sizeof M[0]; i++)
    if (M[i])
      mat_free(M[i]);
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
    if (v[i])
      vec_free(v[i]);
  free(S->act);
  r_clear(S->invsqm);
  r_clear(S->inveta);
  r_clear(S->z);
  r_clear(S->s);
}

static int FUNCTION(lazy_sys_init)(FUNCTION(lazy_sys) *S, const lazy_config *c, const double *X,
                                   const double *y, const double *a, size_t p, mpfr_prec_t prec)
{
  size_t n = c->n, d = c->d, m = c->m;
  S->c = c;
  S->n = n;
  S->d = d;
  S->m = m;
  S->p = p;
  S->off = c->model == LAZY_MF ? m : 0;
  S->a = a;
  S->prec = prec;
  S->X = mat_alloc(n, d, prec);
  S->Xt = mat_alloc(d, n, prec);
  S->XX = mat_alloc(n, n, prec);
  S->y = vec_alloc(n, prec);
  S->Wm = mat_alloc(m, d, prec);
  S->Z = mat_alloc(m, n, prec);
  S->R = mat_alloc(m, n, prec);
  S->D = mat_alloc(m, n, prec);
  S->dW = mat_alloc(m, d, prec);
  S->cf = vec_alloc(m, prec);
  S->g = vec_alloc(p, prec);
  S->Jt = mat_alloc(p, n, prec);
  S->f = vec_alloc(n, prec);
  S->r = vec_alloc(n, prec);
  S->act = calloc(m * n, 1);
  r_init(S->invsqm, prec);
  r_init(S->inveta, prec);
  r_init(S->z, prec);
  r_init(S->s, prec);
  if (!S->X || !S->Xt || !S->XX || !S->y || !S->Wm || !S->Z || !S->R || !S->D || !S->dW || !S->cf ||
      !S->g || !S->Jt || !S->f || !S->r || !S->act)
    return TC_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    r_set_double(vec_at(S->y, i), y[i]);
    for (size_t l = 0; l < d; l++) {
      r_set_double(mat_at(S->X, i, l), X[i * d + l]);
      r_set_double(mat_at(S->Xt, l, i), X[i * d + l]);
    }
  }
  if ((S->ns = c->design)) {
    S->Xst = mat_alloc(d, S->ns, prec);
    S->Zs = mat_alloc(m, S->ns, prec);
    S->R0s = mat_alloc(m, S->ns, prec);
    S->fs = vec_alloc(S->ns, prec);
    S->fr = vec_alloc(S->ns, prec);
    S->at = vec_alloc(m, prec);
    if (!S->Xst || !S->Zs || !S->R0s || !S->fs || !S->fr || !S->at)
      return TC_ENOMEM;
    for (size_t k = 0; k < S->ns; k++)
      for (size_t l = 0; l < d; l++)
        r_set_double(mat_at(S->Xst, l, k), c->Xs[k * d + l]);
  }
  int status = mat_gemm(S->XX, S->X, S->Xt);
  r_set_double(S->invsqm, (double)m);
  r_sqrt(S->invsqm, S->invsqm);
  r_set_si(S->z, 1);
  r_div(S->invsqm, S->z, S->invsqm);
  r_set_double(S->inveta, c->eta);
  r_div(S->inveta, S->z, S->inveta);
  return status;
}

/* C = max(max_i |x_i|, max_i |y_i|). */
static void FUNCTION(lazy_bound_c)(REAL_PTR C, const FUNCTION(lazy_sys) *S, REAL_PTR acc)
{
  r_set_si(C, 0);
  for (size_t i = 0; i < S->n; i++) {
    r_set_si(acc, 0);
    for (size_t l = 0; l < S->d; l++)
      r_fma(acc, mat_at(S->X, i, l), mat_at(S->X, i, l), acc);
    r_sqrt(acc, acc);
    r_max(C, C, acc);
    r_abs(acc, vec_at(S->y, i));
    r_max(C, C, acc);
  }
}

/* What lazy_train holds: the system, the base, the values of the fine
 * (vf) and coarse (vc) runs at the K + 1 checkpoints (cnt = (K + 1) LV_N
 * REALs each), the coarse run's snapshots, the step h (h2 = 2h, the
 * coarse step), spc steps per checkpoint up to T, the bound C, and t, tmp
 * scratch. */
typedef struct {
  FUNCTION(lazy_sys) S;
  FUNCTION(lazy_base) B;
  VEC **snap;
  REAL *vf, *vc;
  size_t K, cnt, spc;
  REAL h, h2, T, C, t, tmp;
} FUNCTION(lazy_trainws);

/* The scalars and the value arrays (NULL when out of memory: the caller
 * reports it, after lazy_sys_init). */
static void FUNCTION(lazy_trainws_init)(FUNCTION(lazy_trainws) *W, size_t K, mpfr_prec_t prec)
{
  W->K = K;
  W->cnt = (K + 1) * LV_N;
  W->vf = malloc(W->cnt * sizeof(REAL));
  W->vc = malloc(W->cnt * sizeof(REAL));
  r_init(W->h, prec);
  r_init(W->h2, prec);
  r_init(W->T, prec);
  r_init(W->C, prec);
  r_init(W->t, prec);
  r_init(W->tmp, prec);
  if (W->vf && W->vc)
    for (size_t i = 0; i < W->cnt; i++) {
      r_init(W->vf[i], prec);
      r_init(W->vc[i], prec);
    }
}

static void FUNCTION(lazy_trainws_free)(FUNCTION(lazy_trainws) *W)
{
  if (W->vf && W->vc)
    for (size_t i = 0; i < W->cnt; i++) {
      r_clear(W->vf[i]);
      r_clear(W->vc[i]);
    }
  free(W->vf);
  free(W->vc);
  for (size_t j = 0; W->snap && j <= W->K; j++)
    if (W->snap[j])
      vec_free(W->snap[j]);
  free(W->snap);
  if (W->B.th0 || W->B.Jt0)
    FUNCTION(lazy_base_free)(&W->B);
  FUNCTION(lazy_sys_free)(&W->S);
  r_clear(W->h);
  r_clear(W->h2);
  r_clear(W->T);
  r_clear(W->C);
  r_clear(W->t);
  r_clear(W->tmp);
}

/* The coarse run's snapshots of (theta, r), one per checkpoint. */
static int FUNCTION(lazy_train_snap_alloc)(FUNCTION(lazy_trainws) *W, size_t len, mpfr_prec_t prec)
{
  W->snap = calloc(W->K + 1, sizeof *W->snap);
  if (!W->snap)
    return TC_ENOMEM;
  for (size_t j = 0; j <= W->K; j++)
    if (!(W->snap[j] = vec_alloc(len, prec)))
      return TC_ENOMEM;
  return TC_SUCCESS;
}

/* The rows k = j spc (j = 1..K) from both runs, and the note. */
static int FUNCTION(lazy_train_rows)(tc_record *out, FUNCTION(lazy_trainws) *W, const lazy_config *c,
                                     mpfr_prec_t prec)
{
  int status = TC_SUCCESS;
  size_t K = W->K, spc = W->spc;
  REAL *vf = W->vf;
  for (size_t j = 1; j <= K; j++) {
    r_mul_double(W->t, W->h, (double)(j * spc));
    /* span_err = 64 (steps + m + n) u |a|: each RK4 step and the
     * projection round a combination of the columns a few times. */
    r_set_si(W->tmp, 2);
    r_pow_si(W->tmp, W->tmp, -(long)prec);
    r_mul(W->tmp, W->tmp, vf[j * LV_N + LV_ANORM]);
    r_mul_double(W->tmp, W->tmp, 64.0 * (double)(j * spc + c->m + c->n));
    TC_TRY(record_put(out, "span_err", W->tmp));
    TC_TRY(record_put(out, "lr", W->h));
    TC_TRY(tc_record_put_double(out, "k", (double)(j * spc)));
    TC_TRY(FUNCTION(lazy_row)(out, vf + j * LV_N, W->vc + j * LV_N, vf, W->t, &W->S, &W->B, W->C, W->tmp));
  }
  REAL *vl = vf + K * LV_N;
  tc_record_note(out, "%s n=%zu d=%zu m=%zu: lam0=%.6g lamH0=%.6g C=%.4g res0=%.6g; T=%.6g in %zu %s "
                 "steps (h=%.3g); at T res=%.3g move=%.3g lam_path=%.6g kdev=%.3g taylor=%.3g lingap=%.3g",
                 c->model == LAZY_LINEAR ? "linear" : c->model == LAZY_NTK ? "ntk" : "mf", c->n, c->d,
                 c->m, r_get_double(W->B.lam0), r_get_double(vf[LV_LAMT]), r_get_double(W->C),
                 r_get_double(vf[LV_RES]), r_get_double(W->T), spc * K,
                 c->method == LAZY_METHOD_GD ? "GD" : "RK4", r_get_double(W->h),
                 r_get_double(vl[LV_RES]), r_get_double(vl[LV_MOVE]), r_get_double(vl[LV_LAMPATH]),
                 r_get_double(vl[LV_KDEV]), r_get_double(vl[LV_TAYLOR]), r_get_double(vl[LV_LINGAP]));
done:
  return status;
}

/* Both runs and the rows, given the instance's doubles: the coarse run
 * (step 2h) first, keeping its snapshots, then the fine run (step h),
 * whose distance to them is the integration-error estimate. */
static int FUNCTION(lazy_train)(tc_record *out, const lazy_config *c, const double *X, const double *y,
                                const double *a, const double *theta0, size_t p, mpfr_prec_t prec,
                                char *err, size_t errlen)
{
  int status;
  FUNCTION(lazy_trainws) W = {0};
  FUNCTION(lazy_trainws_init)(&W, c->checkpoints, prec);
  TC_TRY(FUNCTION(lazy_sys_init)(&W.S, c, X, y, a, p, prec));
  if (!W.vf || !W.vc) {
    status = TC_ENOMEM;
    goto done;
  }
  TC_TRY(FUNCTION(lazy_base_init)(&W.B, &W.S, theta0));
  TC_TRY(FUNCTION(lazy_plan)(W.h, W.T, &W.spc, &W.S, &W.B, err, errlen));
  TC_TRY(FUNCTION(lazy_train_snap_alloc)(&W, p + c->n, prec));
  r_mul_double(W.h2, W.h, 2.0);
  TC_TRY(FUNCTION(lazy_run)(W.vc, &W.S, &W.B, W.h2, W.spc / 2, W.K, 0, W.snap, err, errlen));
  TC_TRY(FUNCTION(lazy_run)(W.vf, &W.S, &W.B, W.h, W.spc, W.K, 1, W.snap, err, errlen));
  FUNCTION(lazy_bound_c)(W.C, &W.S, W.tmp);
  TC_TRY(FUNCTION(lazy_train_rows)(out, &W, c, prec));
done:
  FUNCTION(lazy_trainws_free)(&W);
  return status;
}

static int FUNCTION(lazy_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  lazy_config c;
  int status = lazy_config_read(&c, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  gsl_rng *rng = tc_rng_alloc(inst->seed);
  double *X = malloc(c.n * c.d * sizeof *X), *y = malloc(c.n * sizeof *y);
  double *theta0 = NULL, *a = NULL, *Xs = NULL;
  size_t p = 0;
  if (!rng || !X || !y) {
    status = TC_ENOMEM;
    goto done;
  }
  if (c.data_seed >= 0) {
    /* One data set for every instance of the point: only the network's
     * initialisation varies (rate claims in m compare like with like). */
    gsl_rng *drng = tc_rng_alloc((uint64_t)c.data_seed);
    if (!drng) {
      status = TC_ENOMEM;
      goto done;
    }
    lazy_draw_data(X, y, &c, drng);
    gsl_rng_free(drng);
  } else {
    lazy_draw_data(X, y, &c, rng);
  }
  if ((status = lazy_width(&c, X, err, errlen)))
    goto done;
#if defined(TC_BASE_MPFR)
  mpfr_prec_t prec = inst->prec;
#else
  mpfr_prec_t prec = 53;
#endif
  /* `widths` W > 1: the same data trained at m, 2m, ..., 2^(W-1) m, each
   * from its own draw of theta_0, one block of rows per width (a figure
   * over m with index = m). */
  size_t m0 = c.m;
  for (size_t wi = 0; wi < c.widths && status == TC_SUCCESS; wi++) {
    c.m = c.model == LAZY_LINEAR ? 1 : m0 << wi;
    p = c.model == LAZY_LINEAR ? c.d : c.m * (c.d + (c.model == LAZY_MF));
    free(theta0);
    free(a);
    free(Xs);
    Xs = NULL;
    theta0 = malloc(p * sizeof *theta0);
    a = malloc(c.m * sizeof *a);
    if (!theta0 || !a) {
      status = TC_ENOMEM;
      goto done;
    }
    lazy_draw_init(theta0, a, &c, rng);
    if (c.design) {
      if (!(Xs = malloc(c.design * c.d * sizeof *Xs))) {
        status = TC_ENOMEM;
        goto done;
      }
      lazy_design(Xs, c.design, c.d, rng);
      c.Xs = Xs;
    }
    status = FUNCTION(lazy_train)(out, &c, X, y, a, theta0, p, prec, err, errlen);
  }
done:
  if (rng)
    gsl_rng_free(rng);
  free(X);
  free(y);
  free(theta0);
  free(a);
  free(Xs);
  return status;
}
