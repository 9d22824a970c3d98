/* ntk_init_source.h — the ntk-h0 and ntk-gram measurements written once in
 * the generic names of tc_templates_on.h; checks/ntk_init.c includes it
 * once per backend.
 *
 * Everything random (the data set and the network weights) is drawn in
 * double by ntk_init.c and converted exactly with r_set_double, so the
 * two backends measure the same instance.  This file computes the
 * kernels, the random-feature sums and the eigenvalues in the backend's
 * arithmetic. */

/* Xb <- X (n x d, row-major doubles). */
static void FUNCTION(ntk_load)(MAT *Xb, const double *X)
{
  for (size_t i = 0; i < Xb->rows; i++)
    for (size_t l = 0; l < Xb->cols; l++)
      r_set_double(mat_at(Xb, i, l), X[i * Xb->cols + l]);
}

/* G <- X X^T and nrm_i = |x_i|: the data's inner products in the backend. */
static void FUNCTION(ntk_inner)(MAT *G, VEC *nrm, const MAT *Xb)
{
  size_t n = Xb->rows, d = Xb->cols;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j <= i; j++) {
      REAL_PTR g = mat_at(G, i, j);
      r_set_si(g, 0);
      for (size_t l = 0; l < d; l++)
        r_fma(g, mat_at(Xb, i, l), mat_at(Xb, j, l), g);
      r_set(mat_at(G, j, i), g);
    }
  for (size_t i = 0; i < n; i++)
    r_sqrt(vec_at(nrm, i), mat_at(G, i, i));
}

/* The infinite-width NTK of lecture 000 §3 item 6 (W ~ N(0, I_d)):
 *   H_ij = <x_i, x_j> P(w.x_i >= 0, w.x_j >= 0) = <x_i, x_j> (pi - theta_ij)/(2 pi)
 * (derivation in twolayer_source.h), with the angle from the stable
 * 2 atan2(|u - v|, |u + v|), not acos of a rounded cosine.  The scale of w
 * (the lecture writes N(0, 2 sigma)) does not matter: the indicators are
 * invariant under w -> c w, c > 0.  Xb are the data in the backend. */
static void FUNCTION(ntk_hinf)(MAT *H, const MAT *Xb, mpfr_prec_t prec)
{
  (void)FUNCTION(twolayer_hinf)(H, Xb, prec); /* TC_ENOMEM only for the n-vector of norms */
}

/* The kernel (0.25) of lecture 004, k(x, x') = E_{b ~ Unif(S^{d-1})}
 * sigma(b.x) sigma(b.x'), in closed form:
 *   k(x, x') = |x| |x'| (sin theta + (pi - theta) cos theta) / (2 pi d).
 * Why: for g ~ N(0, I_d), E sigma(g.x) sigma(g.x') = |x| |x'| (sin theta +
 * (pi - theta) cos theta)/(2 pi) (the arc-cosine kernel of degree 1, Cho
 * & Saul 2009).  Write g = |g| b: b is uniform on the sphere and
 * independent of |g|, and sigma(|g| z) = |g| sigma(z), so the Gaussian
 * expectation is E|g|^2 E_b[...] = d k(x, x').  On the diagonal
 * k(x, x) = |x|^2 / (2d).  (tests/tntk_init.c compares this with the
 * average of K-hat over random features.) */
static void FUNCTION(ntk_kmat)(MAT *K, const MAT *Xb, size_t d, mpfr_prec_t prec)
{
  /* the degree-1 arc-cosine kernel with stable angles (twolayer_source.h) */
  (void)FUNCTION(twolayer_arccos)(K, Xb, 1, prec);
  for (size_t i = 0; i < K->rows; i++)
    for (size_t j = 0; j < K->cols; j++)
      r_div_double(mat_at(K, i, j), mat_at(K, i, j), (double)d);
}

/* lo, hi <- smallest and largest eigenvalue of the symmetric A. */
static int FUNCTION(ntk_eig_range)(REAL_PTR lo, REAL_PTR hi, const MAT *A, EIGEN_WS *w, VEC *ev, char *err,
                                   size_t errlen)
{
  int status = eigen_symm(ev, A, w);
  if (status != TC_SUCCESS) {
    snprintf(err, errlen, "symmetric eigenvalues (n = %zu) failed in %s", A->rows, TC_BASE_NAME);
    return status;
  }
  r_set(lo, vec_at(ev, 0));
  r_set(hi, vec_at(ev, ev->n - 1));
  return TC_SUCCESS;
}

/* lo <- a certified lower bound of lambda_min(sign A) for the symmetric A
 * as stored (sign = +-1), from a Cholesky factorisation of sign A - c I
 * that succeeds in the backend, c = guess - tau (guess: the computed
 * eigenvalue).  Why it certifies: a Cholesky that completes gives
 * sign A - c I + E = L L^T with |E| <= gamma_{n+1} |L||L^T| (Higham,
 * Thm 10.3), so |E|_2 <= gamma_{n+1} tr(L L^T), and forming the diagonal
 * rounds it by at most u tr(sign A - c I): lambda_min(sign A) >= c - 2
 * (gamma_{n+1} + u) tr(sign A - c I) (the 2 covers the rounding of these
 * few operations).  tau starts at 8 (n + 2) u n max|a_ij| (above the
 * eigensolver's error) and grows 16-fold up to 6 times; -Inf when no
 * factorisation succeeds.  S is n x n scratch.  The certificate is about
 * A as computed: the rounding of A's own entries (the closed form, the
 * counts) is at the working precision and not included. */
static void FUNCTION(ntk_cert_lower)(REAL_PTR lo, const MAT *A, int sign, REAL_SRCPTR guess, MAT *S,
                                     mpfr_prec_t prec)
{
  size_t n = A->rows;
  REAL u, s, tau, c, tr;
  REAL_PTR reals[] = {u, s, tau, c, tr};
  for (size_t q = 0; q < 5; q++)
    r_init(reals[q], prec);
#ifdef TC_BASE_MPFR
  r_set_si(u, 2);
  r_pow_si(u, u, -(long)prec);
#else
  r_set_double(u, DBL_EPSILON / 2);
#endif
  r_set_si(s, 0);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_abs(tau, mat_at(A, i, j));
      r_max(s, s, tau);
    }
  r_set_double(lo, -INFINITY);
  if (r_sgn(s) == 0) /* A = 0 exactly: lambda_min = 0 */
    r_set_si(lo, 0);
  r_mul_double(tau, s, 8.0 * (double)(n + 2) * (double)n);
  r_mul(tau, tau, u);
  for (int attempt = 0; attempt < 7 && r_sgn(s) != 0; attempt++, r_mul_double(tau, tau, 16.0)) {
    r_sub(c, guess, tau);
    r_set_si(tr, 0);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j <= i; j++) {
        r_mul_double(mat_at(S, i, j), mat_at(A, i, j), (double)sign);
        if (i == j) {
          r_sub(mat_at(S, i, i), mat_at(S, i, i), c);
          r_add(tr, tr, mat_at(S, i, i));
        }
      }
    if (cholesky(S, S) != TC_SUCCESS)
      continue;
    /* lo = c - 2 (gamma_{n+1} + u) tr,  gamma_{n+1} = (n+1) u / (1 - (n+1) u) */
    r_mul_double(s, u, (double)(n + 1));
    r_set_si(lo, 1);
    r_sub(lo, lo, s);
    r_div(s, s, lo);
    r_add(s, s, u);
    r_mul(s, s, tr);
    r_mul_double(s, s, 2.0);
    r_sub(lo, c, s);
    break;
  }
  for (size_t q = 0; q < 5; q++)
    r_clear(reals[q]);
}

/* acc <- w . x_i in the backend, w given as doubles; tmp is scratch.  wb
 * caches the conversion of w for the current neuron (*have_wb says
 * whether it is filled).  mul + add, not fma: with MPFR it is a third
 * faster, and this loop is the module's cost. */
static void FUNCTION(ntk_dot)(REAL_PTR acc, REAL_PTR tmp, const double *w, int *have_wb, VEC *wb,
                              const MAT *Xb, size_t i)
{
  if (!*have_wb) {
    for (size_t l = 0; l < wb->n; l++)
      r_set_double(vec_at(wb, l), w[l]);
    *have_wb = 1;
  }
  r_mul(acc, vec_at(wb, 0), mat_at(Xb, i, 0));
  for (size_t l = 1; l < wb->n; l++) {
    r_mul(tmp, vec_at(wb, l), mat_at(Xb, i, l));
    r_add(acc, acc, tmp);
  }
}

/* sigma(w . x_i) into out (may be NULL when only the sign is wanted);
 * returns 1 when w . x_i >= 0.  The dot product is first formed in double
 * with the a-priori bound |s - exact| <= gamma_d sum |w_l x_il| (Higham,
 * Thm 3.1; (d + 2) eps covers gamma_d = d u/(1 - d u) and the rounding of
 * the bound itself).  When that settles the sign and the value is not
 * needed (the ReLU is 0, or only the indicator is wanted) the backend's
 * arithmetic could not change the result, so it is skipped: the inputs are
 * the same doubles in both backends.  Otherwise the backend recomputes
 * the dot product and decides. */
static int FUNCTION(ntk_relu)(REAL_PTR out, REAL_PTR acc, REAL_PTR tmp, const double *w, const double *x, int *have_wb,
                              VEC *wb, const MAT *Xb, size_t i)
{
  size_t d = wb->n;
  double s = 0, a = 0;
  for (size_t l = 0; l < d; l++) {
    double p = w[l] * x[l];
    s += p;
    a += fabs(p);
  }
  double bound = ((double)d + 2.0) * DBL_EPSILON * a;
  if (s < -bound) {
    if (out)
      r_set_si(out, 0);
    return 0;
  }
  if (s > bound && out == NULL)
    return 1;
  FUNCTION(ntk_dot)(acc, tmp, w, have_wb, wb, Xb, i);
  int nonneg = r_sgn(acc) >= 0;
  if (out) {
    if (nonneg)
      r_set(out, acc);
    else
      r_set_si(out, 0);
  }
  return nonneg;
}

/* The width the lemma asks for, from the backend's lambda (> 0, else +Inf):
 * ntk-h0:   width_constant n^2 / lambda0^2 log(n / delta)  (lecture 000 §3.7)
 * ntk-gram: width_factor log(n^2 / delta) / (2 lambda_n(K)^2)  (Lemma 11) */
static void FUNCTION(ntk_width)(REAL_PTR out, REAL_SRCPTR lambda, const ntk_params *np, ntk_check_kind kind,
                               mpfr_prec_t prec)
{
  if (r_sgn(lambda) <= 0) {
    r_set_double(out, INFINITY);
    return;
  }
  REAL t;
  r_init(t, prec);
  r_set_double(out, (double)np->n);
  if (kind == NTK_CHECK_GRAM)
    r_sqr(out, out);
  r_div_double(out, out, np->delta);
  r_log(out, out);
  r_sqr(t, lambda);
  r_div(out, out, t);
  if (kind == NTK_CHECK_GRAM) {
    r_div_double(out, out, 2.0);
  } else {
    r_set_double(t, (double)np->n);
    r_sqr(t, t);
    r_mul(out, out, t);
  }
  r_mul_double(out, out, np->width);
  r_clear(t);
}

/* Put the upper triangle of A (1-based names PREFIX_i_j, i <= j). */
static int FUNCTION(ntk_put_matrix)(tc_record *out, const char *prefix, const MAT *A)
{
  char name[64];
  for (size_t i = 0; i < A->rows; i++)
    for (size_t j = i; j < A->cols; j++) {
      snprintf(name, sizeof name, "%s_%zu_%zu", prefix, i + 1, j + 1);
      int status = record_put(out, name, mat_at(A, i, j));
      if (status != TC_SUCCESS)
        return status;
    }
  return TC_SUCCESS;
}

/* lo <- the smallest eigenvalue of the kernel (H_inf or K) of the data X. */
static inline int FUNCTION(ntk_kernel_lambda)(REAL_PTR lo, const double *X, size_t n, size_t d,
                                       ntk_check_kind kind, mpfr_prec_t prec, char *err, size_t errlen)
{
  MAT *Xb = mat_alloc(n, d, prec), *G = mat_alloc(n, n, prec), *A = mat_alloc(n, n, prec);
  VEC *nrm = vec_alloc(n, prec), *ev = vec_alloc(n, prec);
  EIGEN_WS *ws = eigen_ws_alloc(n, prec);
  REAL hi;
  r_init(hi, prec);
  int status = TC_ENOMEM;
  if (Xb && G && A && nrm && ev && ws) {
    FUNCTION(ntk_load)(Xb, X);
    FUNCTION(ntk_inner)(G, nrm, Xb);
    if (kind == NTK_CHECK_H0)
      FUNCTION(ntk_hinf)(A, Xb, prec);
    else
      FUNCTION(ntk_kmat)(A, Xb, d, prec);
    status = FUNCTION(ntk_eig_range)(lo, hi, A, ws, ev, err, errlen);
  }
  r_clear(hi);
  MAT *mats[3] = {Xb, G, A};
  for (size_t i = 0; i < 3; i++)
    if (mats[i])
      mat_free(mats[i]);
  VEC *vecs[2] = {nrm, ev};
  for (size_t i = 0; i < 2; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (ws)
    eigen_ws_free(ws);
  return status;
}

/* What every instance of a point shares, in one backend (made once per
 * point and precision by ntk_prepare): the setup (data set, width), the
 * data in the backend (Xb, G = X X^T, nrm), the kernel A (H_inf for
 * ntk-h0, K for ntk-gram), its smallest eigenvalue and the width formula
 * at it. */
typedef struct {
  ntk_setup su;
  ntk_check_kind kind;
  MAT *Xb, *G, *A;
  VEC *nrm;
  REAL lam, mreq, lam_cert; /* lam_cert: certified lower bound of lam */
  mpfr_prec_t prec;
} FUNCTION(ntk_shared);

static void FUNCTION(ntk_release)(void *shared)
{
  FUNCTION(ntk_shared) *sh = shared;
  MAT *mats[3] = {sh->Xb, sh->G, sh->A};
  for (size_t i = 0; i < 3; i++)
    if (mats[i])
      mat_free(mats[i]);
  if (sh->nrm)
    vec_free(sh->nrm);
  r_clear(sh->lam);
  r_clear(sh->mreq);
  r_clear(sh->lam_cert);
  ntk_setup_free(&sh->su);
  free(sh);
}

/* Per-instance backend objects: the network's matrix B, scratch D, the
 * eigen workspace and the converted weight wb. */
typedef struct {
  MAT *B, *D;
  VEC *ev, *wb;
  EIGEN_WS *ws;
} FUNCTION(ntk_work);

static void FUNCTION(ntk_work_free)(FUNCTION(ntk_work) *wk)
{
  MAT *mats[2] = {wk->B, wk->D};
  for (size_t i = 0; i < 2; i++)
    if (mats[i])
      mat_free(mats[i]);
  VEC *vecs[2] = {wk->ev, wk->wb};
  for (size_t i = 0; i < 2; i++)
    if (vecs[i])
      vec_free(vecs[i]);
  if (wk->ws)
    eigen_ws_free(wk->ws);
  memset(wk, 0, sizeof *wk);
}

static int FUNCTION(ntk_work_alloc)(FUNCTION(ntk_work) *wk, size_t n, size_t d, mpfr_prec_t prec)
{
  wk->B = mat_alloc(n, n, prec);
  wk->D = mat_alloc(n, n, prec);
  wk->ev = vec_alloc(n, prec);
  wk->wb = vec_alloc(d, prec);
  wk->ws = eigen_ws_alloc(n, prec);
  if (!wk->B || !wk->D || !wk->ev || !wk->wb || !wk->ws) {
    FUNCTION(ntk_work_free)(wk);
    return TC_ENOMEM;
  }
  return TC_SUCCESS;
}

static int FUNCTION(ntk_prepare)(void **shared, const tc_instance *inst, ntk_check_kind kind, char *err,
                                 size_t errlen)
{
  FUNCTION(ntk_shared) *sh = calloc(1, sizeof *sh);
  if (sh == NULL)
    return TC_ENOMEM;
  const char *blame;
  int status = ntk_setup_make(&sh->su, inst->point, kind, &blame, err, errlen);
  if (status != TC_SUCCESS) {
    free(sh);
    return status;
  }
  size_t n = sh->su.p.n, d = sh->su.p.d;
  sh->kind = kind;
  sh->prec = inst->prec;
  r_init(sh->lam, sh->prec);
  r_init(sh->mreq, sh->prec);
  r_init(sh->lam_cert, sh->prec);
  sh->Xb = mat_alloc(n, d, sh->prec);
  sh->G = mat_alloc(n, n, sh->prec);
  sh->A = mat_alloc(n, n, sh->prec);
  sh->nrm = vec_alloc(n, sh->prec);
  VEC *ev = vec_alloc(n, sh->prec);
  EIGEN_WS *ws = eigen_ws_alloc(n, sh->prec);
  REAL hi;
  r_init(hi, sh->prec);
  if (!sh->Xb || !sh->G || !sh->A || !sh->nrm || !ev || !ws) {
    status = ntk_out_of_memory(err, errlen, n, d);
  } else {
    FUNCTION(ntk_load)(sh->Xb, sh->su.X);
    FUNCTION(ntk_inner)(sh->G, sh->nrm, sh->Xb);
    if (kind == NTK_CHECK_H0)
      FUNCTION(ntk_hinf)(sh->A, sh->Xb, sh->prec);
    else
      FUNCTION(ntk_kmat)(sh->A, sh->Xb, d, sh->prec);
    status = FUNCTION(ntk_eig_range)(sh->lam, hi, sh->A, ws, ev, err, errlen);
    MAT *S = status == TC_SUCCESS ? mat_alloc(n, n, sh->prec) : NULL;
    if (S) {
      FUNCTION(ntk_cert_lower)(sh->lam_cert, sh->A, 1, sh->lam, S, sh->prec);
      mat_free(S);
    } else if (status == TC_SUCCESS) {
      status = ntk_out_of_memory(err, errlen, n, d);
    }
    if (status == TC_SUCCESS && (kind == NTK_CHECK_GRAM || !isnan(sh->su.p.delta)))
      FUNCTION(ntk_width)(sh->mreq, sh->lam, &sh->su.p, kind, sh->prec);
  }
  r_clear(hi);
  if (ev)
    vec_free(ev);
  if (ws)
    eigen_ws_free(ws);
  if (status == TC_SUCCESS)
    *shared = sh;
  else
    FUNCTION(ntk_release)(sh);
  return status;
}

static int FUNCTION(ntk_h0_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  return FUNCTION(ntk_prepare)(shared, inst, NTK_CHECK_H0, err, errlen);
}

static int FUNCTION(ntk_gram_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  return FUNCTION(ntk_prepare)(shared, inst, NTK_CHECK_GRAM, err, errlen);
}

/* One instance's run: the point's shared data, its own objects, scratch
 * reals and the tape of its network. */
typedef struct {
  const FUNCTION(ntk_shared) *sh;
  FUNCTION(ntk_work) wk;
  REAL acc, lo, hi, t;
  tc_tape *tape;
  mpfr_prec_t prec;
} FUNCTION(ntk_run);

/* Put the measurement's values (all but the sizes) into the current row. */
typedef int (*FUNCTION(ntk_row_fn))(tc_record *out, FUNCTION(ntk_run) *r, char *err, size_t errlen);

/* One instance: the row's values by `row`, then m, n, d (and for ntk-gram
 * delta, which ntk-h0 puts with m_required, only when it is given).
 * Without the engine (tests) the point is prepared and the tape drawn
 * here, as the engine would. */
static int FUNCTION(ntk_measure)(tc_record *out, const tc_instance *inst, ntk_check_kind kind,
                                 FUNCTION(ntk_row_fn) row, char *err, size_t errlen)
{
  void *own = NULL;
  tc_tape *own_tape = NULL;
  FUNCTION(ntk_run) r;
  memset(&r, 0, sizeof r);
  r.sh = inst->prepared;
  r.tape = inst->tape;
  r.prec = inst->prec;
  int status = TC_SUCCESS;
  if (r.sh == NULL && (status = FUNCTION(ntk_prepare)(&own, inst, kind, err, errlen)) != TC_SUCCESS)
    return status;
  if (own)
    r.sh = own;
  if (r.tape == NULL && ((r.tape = own_tape = tc_tape_alloc(inst->seed)) == NULL ||
                         (status = ntk_draw(r.tape, inst, err, errlen)) != TC_SUCCESS))
    status = status ? status : TC_ENOMEM;
  const ntk_params *np = &r.sh->su.p;
  REAL_PTR reals[] = {r.acc, r.lo, r.hi, r.t};
  for (size_t i = 0; i < 4; i++)
    r_init(reals[i], r.prec);
  if (status == TC_SUCCESS && FUNCTION(ntk_work_alloc)(&r.wk, np->n, np->d, r.prec) != TC_SUCCESS)
    status = ntk_out_of_memory(err, errlen, np->n, np->d);
  if (status == TC_SUCCESS &&
      !((status = row(out, &r, err, errlen)) ||
        (status = tc_record_put_double(out, "m", (double)r.sh->su.m)) ||
        (status = tc_record_put_double(out, "n", (double)np->n)) ||
        (status = tc_record_put_double(out, "d", (double)np->d)) ||
        (kind == NTK_CHECK_GRAM && (status = tc_record_put_double(out, "delta", np->delta)))))
    status = tc_record_end_row(out);
  FUNCTION(ntk_work_free)(&r.wk);
  for (size_t i = 0; i < 4; i++)
    r_clear(reals[i]);
  tc_tape_free(own_tape);
  if (own)
    FUNCTION(ntk_release)(own);
  return status;
}

/* c_needed = m (4 h_dev / lambda0)^2 / (n^2/lambda0^2 log(n/delta)): the
 * width constant at which this instance's deviation would sit exactly at
 * lambda0/4 if it scales like m^(-1/2) (the CLT term).  Its (1 - delta)
 * quantile over instances estimates the smallest c of the lemma's
 * m = c n^2/lambda0^2 log(n/delta); the probability claims then test the
 * event itself at that width. */
static int FUNCTION(ntk_c_needed)(tc_record *out, FUNCTION(ntk_run) *r, const FUNCTION(ntk_shared) *sh)
{
  const ntk_params *np = &sh->su.p;
  r_mul_double(r->lo, r->t, 4.0);
  r_div(r->lo, r->lo, sh->lam);
  r_sqr(r->lo, r->lo);
  r_mul_double(r->lo, r->lo, (double)sh->su.m);
  /* divide by n^2 log(n/delta) / lambda0^2 */
  r_set_double(r->hi, (double)np->n / np->delta);
  r_log(r->hi, r->hi);
  r_mul_double(r->hi, r->hi, (double)np->n * (double)np->n);
  r_div(r->hi, r->hi, sh->lam);
  r_div(r->hi, r->hi, sh->lam);
  r_div(r->lo, r->lo, r->hi);
  return record_put(out, "c_needed", r->lo);
}

/* The network's activation patterns P: m neurons W_k ~ N(0, I_d) drawn in
 * the tape's order (the same stream in both backends), a block at a time.
 * Only the pattern enters H(0).  S = X W^T by dgemm settles every sign
 * its rounding cannot touch, with twice the margin of ntk_relu's screen
 * (num_relu.h), so a settled sign is the one ntk_relu would give in
 * either backend; the rest (ties w.x = 0, x = 0, |w.x| within rounding)
 * go to ntk_relu (double screen, the backend when in doubt).  Below 53
 * bits the margin argument fails: every sign goes to ntk_relu. */
static int FUNCTION(ntk_h0_patterns)(twolayer_pattern *P, FUNCTION(ntk_run) *r)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d, m = sh->su.m, words = P->words;
  size_t blk = m < NUM_RELU_BLOCK ? m : NUM_RELU_BLOCK;
  double *Wb = malloc(blk * d * sizeof *Wb), *S = malloc(n * blk * sizeof *S);
  double *wn = malloc(blk * sizeof *wn), *xn = malloc(n * sizeof *xn);
  uint64_t *U = calloc(n * words, sizeof *U);
  int status = Wb && S && wn && xn && U ? TC_SUCCESS : TC_ENOMEM;
  for (size_t i = 0; i < n && status == TC_SUCCESS; i++)
    xn[i] = ntk_norm(sh->su.X + i * d, d);
  for (size_t k0 = 0; k0 < m && status == TC_SUCCESS; k0 += blk) {
    size_t mb = m - k0 < blk ? m - k0 : blk;
    for (size_t q = 0; q < mb; q++) {
      ntk_tape_gaussian(Wb + q * d, d, r->tape);
      wn[q] = ntk_norm(Wb + q * d, d);
    }
    if (r->prec >= 53)
      status = num_relu_patterns_block(P->bits, U, words, sh->su.X, xn, n, d, Wb, wn, mb, k0, S);
    else
      for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < mb; q++)
          U[i * words + (k0 + q) / 64] |= (uint64_t)1 << ((k0 + q) % 64);
    for (size_t i = 0; i < n && status == TC_SUCCESS; i++)
      for (size_t q = 0; q < mb; q++) {
        size_t k = k0 + q;
        if (!(U[i * words + k / 64] >> (k % 64) & 1))
          continue;
        int have_wb = 0;
        if (FUNCTION(ntk_relu)(NULL, r->acc, r->t, Wb + q * d, sh->su.X + i * d, &have_wb, r->wk.wb, sh->Xb, i))
          P->bits[i * words + k / 64] |= (uint64_t)1 << (k % 64);
      }
  }
  free(Wb);
  free(S);
  free(wn);
  free(xn);
  free(U);
  return status;
}

/* The certified side of the ntk-h0 row (ntk_cert_lower), with D = H(0) -
 * H_inf in wk->D and r->lo, r->hi its computed extreme eigenvalues:
 * h_dev_cert = max(-lo(D), -lo(-D)) >= |D|_2, lambda0_cert (per point),
 * and cert_err = 2 max(h_dev_cert - h_dev, (lambda0 - lambda0_cert)/4),
 * the radius of h_dev - lambda0/4 (the certificates bound one side; the
 * eigenvalue errors they cover are symmetric).  wk->B is scratch. */
static int FUNCTION(ntk_h0_cert)(tc_record *out, FUNCTION(ntk_run) *r)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  REAL c1, c2, h;
  r_init(c1, r->prec);
  r_init(c2, r->prec);
  r_init(h, r->prec);
  FUNCTION(ntk_cert_lower)(c1, r->wk.D, 1, r->lo, r->wk.B, r->prec);
  r_neg(h, r->hi);
  FUNCTION(ntk_cert_lower)(c2, r->wk.D, -1, h, r->wk.B, r->prec);
  r_min(c1, c1, c2);
  r_neg(c1, c1); /* h_dev_cert */
  r_abs(h, r->lo);
  r_abs(c2, r->hi);
  r_max(h, h, c2); /* h_dev as computed */
  int status = record_put(out, "lambda0_cert", sh->lam_cert);
  if (status == TC_SUCCESS)
    status = record_put(out, "h_dev_cert", c1);
  r_sub(c1, c1, h);
  r_sub(c2, sh->lam, sh->lam_cert);
  r_div_double(c2, c2, 4.0);
  r_max(c1, c1, c2);
  r_mul_double(c1, c1, 2.0);
  if (status == TC_SUCCESS)
    status = record_put(out, "cert_err", c1);
  r_clear(c1);
  r_clear(c2);
  r_clear(h);
  return status;
}

/* ntk-h0: lecture 000 §3 items 6-7.  H(0)_ij = (1/m) sum_k 1{W_k.x_i >= 0}
 * 1{W_k.x_j >= 0} <x_i, x_j> with W_k ~ N(0, I_d); the row holds
 * h_dev = |H(0) - H_inf|_2, lambda0 = lambda_min(H_inf) and
 * lambda_h0 = lambda_min(H(0)). */
static int FUNCTION(ntk_h0_row)(tc_record *out, FUNCTION(ntk_run) *r, char *err, size_t errlen)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d, m = sh->su.m;
  FUNCTION(ntk_work) *wk = &r->wk;
  int status = TC_SUCCESS;
  twolayer_pattern *P = twolayer_pattern_alloc(n, m);
  if (!P || FUNCTION(ntk_h0_patterns)(P, r) != TC_SUCCESS) {
    status = ntk_out_of_memory(err, errlen, n, d);
    goto done;
  }
  FUNCTION(twolayer_ntk_from_patterns)(wk->B, P, sh->G, r->prec); /* B = H(0) */

  if ((status = record_put(out, "lambda0", sh->lam)))
    goto done;
  if (!isnan(sh->su.p.delta)) {
    if ((status = record_put(out, "m_required", sh->mreq)) ||
        (status = tc_record_put_double(out, "delta", sh->su.p.delta)))
      goto done;
  }
  if ((status = FUNCTION(ntk_eig_range)(r->lo, r->hi, wk->B, wk->ws, wk->ev, err, errlen)) ||
      (status = record_put(out, "lambda_h0", r->lo)))
    goto done;
  if (sh->su.p.detail && ((status = FUNCTION(ntk_put_matrix)(out, "Hinf", sh->A)) ||
                         (status = FUNCTION(ntk_put_matrix)(out, "H0", wk->B))))
    goto done;
  /* G <- H(0) - H_inf; its spectral norm is the larger |eigenvalue|. */
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      r_sub(mat_at(wk->D, i, j), mat_at(wk->B, i, j), mat_at(sh->A, i, j));
  if ((status = FUNCTION(ntk_eig_range)(r->lo, r->hi, wk->D, wk->ws, wk->ev, err, errlen)) ||
      (status = FUNCTION(ntk_h0_cert)(out, r)))
    goto done;
  r_abs(r->lo, r->lo);
  r_abs(r->hi, r->hi);
  r_max(r->t, r->lo, r->hi);
  if ((status = record_put(out, "h_dev", r->t)))
    goto done;
  if (!isnan(sh->su.p.delta))
    status = FUNCTION(ntk_c_needed)(out, r, sh);
done:
  twolayer_pattern_free(P);
  return status;
}

static int FUNCTION(ntk_h0_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return FUNCTION(ntk_measure)(out, inst, NTK_CHECK_H0, FUNCTION(ntk_h0_row), err, errlen);
}

/* Lower triangle of B += u u^T, u_i = sigma(b.x_i), in the backend. */
static void FUNCTION(ntk_gram_neuron)(FUNCTION(ntk_run) *r, const double *b, VEC *u, size_t *on)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d;
  int have_wb = 0;
  size_t non = 0;
  for (size_t i = 0; i < n; i++)
    if (FUNCTION(ntk_relu)(vec_at(u, i), r->acc, r->t, b, sh->su.X + i * d, &have_wb, r->wk.wb, sh->Xb, i) &&
        r_sgn(vec_at(u, i)) > 0)
      on[non++] = i;
  for (size_t p = 0; p < non; p++)
    for (size_t q = p; q < non; q++) {
      REAL_PTR g = mat_at(r->wk.B, on[q], on[p]); /* lower triangle */
      r_mul(r->t, vec_at(u, on[p]), vec_at(u, on[q]));
      r_add(g, g, r->t);
    }
}

#if defined(TC_BASE_MPFR)
/* The MPFR fast path (see ntk_xacc in ntk_init.c): the neuron's pattern,
 * with the signs decided as ntk_gram_neuron decides them (double screen,
 * MPFR when in doubt), and b b^T added exactly to the pattern's moments.
 * 0 when b is outside the accumulator's window: the caller then takes
 * ntk_gram_neuron. */
static int FUNCTION(ntk_gram_xneuron)(FUNCTION(ntk_run) *r, const double *b, ntk_xacc *mom)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d;
  int have_wb = 0;
  size_t pat = 0;
  for (size_t i = 0; i < n; i++)
    if (FUNCTION(ntk_relu)(NULL, r->acc, r->t, b, sh->su.X + i * d, &have_wb, r->wk.wb, sh->Xb, i))
      pat |= (size_t)1 << i;
  return pat == 0 || ntk_xacc_moments(mom + pat * (d * (d + 1) / 2), b, d);
}

/* Lower triangle of B += x_p^T M_pq x_q, where M_pq is the exact sum of
 * the moments of the patterns that contain p and q: each moment rounded
 * once to the precision, then d^2 products per pair. */
static void FUNCTION(ntk_gram_xfold)(FUNCTION(ntk_run) *r, const ntk_xacc *mom)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d, nt = d * (d + 1) / 2;
  ntk_xacc sum[NTK_FAST_MAX_D * (NTK_FAST_MAX_D + 1) / 2];
  REAL v, tmp;
  r_init(v, r->prec);
  mpfr_init2(tmp, 320);
  for (size_t q = 0; q < n; q++)
    for (size_t p = q; p < n; p++) {
      memset(sum, 0, sizeof sum);
      for (size_t pat = 1; pat < ((size_t)1 << n); pat++)
        if ((pat >> p & 1) && (pat >> q & 1))
          for (size_t k = 0; k < nt; k++) {
            sum[k].hi += mom[pat * nt + k].hi;
            sum[k].lo += mom[pat * nt + k].lo;
          }
      REAL_PTR g = mat_at(r->wk.B, p, q);
      size_t k = 0;
      for (size_t l = 0; l < d; l++)
        for (size_t l2 = l; l2 < d; l2++) {
          ntk_xacc_get(v, sum[k++], tmp);
          r_mul(r->t, mat_at(sh->Xb, p, l), mat_at(sh->Xb, q, l2));
          if (l2 != l) { /* the symmetric entry (l2, l) of the moment */
            r_mul(r->acc, mat_at(sh->Xb, p, l2), mat_at(sh->Xb, q, l));
            r_add(r->t, r->t, r->acc);
          }
          r_mul(r->t, r->t, v);
          r_add(g, g, r->t);
        }
    }
  r_clear(v);
  mpfr_clear(tmp);
}
#endif

/* The certified side of the ntk-gram row (ntk_cert_lower): lambda_K_cert
 * <= lambda_n(K) (per point), lambda_G_cert <= lambda_n(G) (G in wk->B,
 * r->lo its computed smallest eigenvalue), and cert_err = 2 max(lambda_G
 * - lambda_G_cert, m (lambda_K - lambda_K_cert)/2), the radius of
 * m lambda_K/2 - lambda_G.  wk->D is scratch. */
static int FUNCTION(ntk_gram_cert)(tc_record *out, FUNCTION(ntk_run) *r, size_t m)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  REAL g, e;
  r_init(g, r->prec);
  r_init(e, r->prec);
  FUNCTION(ntk_cert_lower)(g, r->wk.B, 1, r->lo, r->wk.D, r->prec);
  int status = record_put(out, "lambda_K_cert", sh->lam_cert);
  if (status == TC_SUCCESS)
    status = record_put(out, "lambda_G_cert", g);
  r_sub(g, r->lo, g);
  r_sub(e, sh->lam, sh->lam_cert);
  r_mul_double(e, e, (double)m / 2.0);
  r_max(g, g, e);
  r_mul_double(g, g, 2.0);
  if (status == TC_SUCCESS)
    status = record_put(out, "cert_err", g);
  r_clear(g);
  r_clear(e);
  return status;
}

/* ntk-gram: lecture 004 (0.18)-(0.25) and Lemma 11.  At a = 0 only the
 * a-gradients are nonzero (the b-gradients carry the factor a_j), so
 * G_ii' = <grad f(x_i), grad f(x_i')> = sum_j sigma(b_j.x_i) sigma(b_j.x_i')
 * = m K-hat_ii'.  The row holds lambda_K = lambda_n(K), lambda_G =
 * lambda_n(G) and lambda_hat = lambda_G / m = lambda_n(K-hat). */
static int FUNCTION(ntk_gram_row)(tc_record *out, FUNCTION(ntk_run) *r, char *err, size_t errlen)
{
  const FUNCTION(ntk_shared) *sh = r->sh;
  size_t n = sh->su.p.n, d = sh->su.p.d, m = sh->su.m;
  FUNCTION(ntk_work) *wk = &r->wk;
  int status = TC_SUCCESS;
  double *b = malloc(d * sizeof *b);
  size_t *on = malloc(n * sizeof *on);
  VEC *u = vec_alloc(n, r->prec);
  if (!b || !on || !u) {
    status = ntk_out_of_memory(err, errlen, n, d);
    goto done;
  }

  /* B <- G = sum_j u_j u_j^T with u_ij = sigma(b_j.x_i), b_j ~ Unif(S^{d-1}),
   * accumulated over the neurons whose features are nonzero. */
  mat_set_zero(wk->B);
#if defined(TC_BASE_MPFR)
  size_t nmom = ((size_t)1 << (n <= NTK_FAST_MAX_N ? n : 0)) * (d * (d + 1) / 2);
  ntk_xacc *mom = n <= NTK_FAST_MAX_N && d <= NTK_FAST_MAX_D ? calloc(nmom, sizeof *mom) : NULL;
#endif
  for (size_t j = 0; j < m; j++) {
    ntk_tape_sphere(b, d, r->tape);
#if defined(TC_BASE_MPFR)
    if (mom && FUNCTION(ntk_gram_xneuron)(r, b, mom))
      continue;
#endif
    FUNCTION(ntk_gram_neuron)(r, b, u, on);
  }
#if defined(TC_BASE_MPFR)
  if (mom) {
    FUNCTION(ntk_gram_xfold)(r, mom);
    free(mom);
  }
#endif
  for (size_t i = 0; i < n; i++)
    for (size_t k = i + 1; k < n; k++)
      r_set(mat_at(wk->B, i, k), mat_at(wk->B, k, i));

  if ((status = record_put(out, "lambda_K", sh->lam)))
    goto done;
  if ((status = record_put(out, "m_required", sh->mreq)) ||
      (status = FUNCTION(ntk_eig_range)(r->lo, r->hi, wk->B, wk->ws, wk->ev, err, errlen)) ||
      (status = record_put(out, "lambda_G", r->lo)))
    goto done;
  r_div_double(r->t, r->lo, (double)m);
  if ((status = record_put(out, "lambda_hat", r->t)))
    goto done;
  /* eig_err: a backward-stable symmetric eigensolver in double moves each
   * eigenvalue by at most about n eps |G|_2 (LAPACK's bound, with a margin
   * of 4), which is what separates the backends when G is singular (m < n
   * neurons, or features that vanish): both then see lambda_G ~ 0. */
  r_abs(r->hi, r->hi);
  r_mul_double(r->t, r->hi, 4.0 * (double)n * DBL_EPSILON);
  if ((status = record_put(out, "eig_err", r->t)) || (status = FUNCTION(ntk_gram_cert)(out, r, m)))
    goto done;
  if (sh->su.p.detail) {
    for (size_t i = 0; i < n; i++)
      for (size_t k = 0; k < n; k++)
        r_div_double(mat_at(wk->D, i, k), mat_at(wk->B, i, k), (double)m);
    status = FUNCTION(ntk_put_matrix)(out, "K", sh->A);
    if (status == TC_SUCCESS)
      status = FUNCTION(ntk_put_matrix)(out, "Khat", wk->D);
  }
done:
  free(b);
  free(on);
  vec_free(u);
  return status;
}

static int FUNCTION(ntk_gram_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  return FUNCTION(ntk_measure)(out, inst, NTK_CHECK_GRAM, FUNCTION(ntk_gram_row), err, errlen);
}
