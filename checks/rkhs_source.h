/* rkhs_source.h — numerics of checks/rkhs.c written once in the generic
 * names of tc_templates_on.h (instantiated per backend).
 *
 * Lecture 003, "Proof strategy, Step 1" and "What functions can be
 * efficiently learned?": a dot-product kernel K(x, y) = g(<x, y>) =
 * sum_i c_i <x, y>^i with the feature map phi(x)_i = sqrt(c_i) x^i.  Three
 * kernels, each with its Taylor coefficients from an exact recurrence and
 * its closed form evaluated separately:
 *   ntk   two-layer ReLU NTK on the sphere, g = (2 rho (pi - arccos rho) +
 *         sqrt(1 - rho^2))/(2 pi): c_0 = 1/(2 pi), c_1 = 1/2, c_{2k} =
 *         t_{k-1}(2k + 1)/(2 pi (2k - 1) 2k) with t_k = binom(2k, k)/4^k, and
 *         c_j = 0 for odd j >= 3 (as checks/ntk2_source.h);
 *   exp   g = e^rho, c_i = 1/i!;
 *   inv2  g = 1/(2 - rho), c_i = 2^-(i+1) (the notes' 003-45 kernel). */

/* x <- x * factor * 2^(1-bits), 2^(1-bits) being the unit roundoff the
 * error allowances use, formed in the backend's type: as a double it is 0
 * beyond 1075 bits, and a tolerance of 0 made the true identities of
 * rkhs-feature-map and rkhs-repr FAIL at --precision mpfr:1200. */
static void FUNCTION(rkhs_mul_eps)(REAL_PTR x, double factor, mpfr_prec_t prec)
{
  r_mul_double(x, x, factor);
  for (long left = (long)prec - 1; left > 0; left -= 1000)
    r_mul_double(x, x, ldexp(1.0, -(int)(left > 1000 ? 1000 : left)));
}

/* c[0..N] <- the Taylor coefficients of kernel kind (0 ntk, 1 exp, 2 inv2). */
static void FUNCTION(rkhs_coefs)(VEC *c, size_t N, int kind, mpfr_prec_t prec)
{
  REAL t, pi2;
  r_init(t, prec);
  r_init(pi2, prec);
  r_pi(pi2);
  r_mul_double(pi2, pi2, 2.0);
  r_set_si(t, 1); /* ntk: t_{k-1}, starting at t_0 = 1 */
  for (size_t i = 0; i <= N; i++) {
    REAL_PTR ci = vec_at(c, i);
    if (kind == 1) {
      if (i == 0)
        r_set_si(ci, 1);
      else
        r_div_double(ci, vec_at(c, i - 1), (double)i);
    } else if (kind == 2) {
      if (i == 0)
        r_set_double(ci, 0.5);
      else
        r_div_double(ci, vec_at(c, i - 1), 2.0);
    } else if (i == 0) {
      r_set_si(ci, 1);
      r_div(ci, ci, pi2);
    } else if (i == 1) {
      r_set_double(ci, 0.5);
    } else if (i % 2 == 1) {
      r_set_si(ci, 0);
    } else {
      size_t k = i / 2;
      if (k >= 2) { /* t_{k-1} = t_{k-2} (2k - 3)/(2k - 2) */
        r_mul_double(t, t, (double)(2 * k - 3));
        r_div_double(t, t, (double)(2 * k - 2));
      }
      r_mul_double(ci, t, (double)(2 * k + 1));
      r_div_double(ci, ci, (double)((2 * k - 1) * 2 * k));
      r_div(ci, ci, pi2);
    }
  }
  r_clear(t);
  r_clear(pi2);
}

/* g <- the closed form of kernel kind at rho (|rho| <= 1). */
static void FUNCTION(rkhs_closed)(REAL_PTR g, REAL_SRCPTR rho, int kind, mpfr_prec_t prec)
{
  REAL a, s;
  r_init(a, prec);
  r_init(s, prec);
  if (kind == 1) {
    r_exp(g, rho);
  } else if (kind == 2) {
    r_set_si(a, 2);
    r_sub(a, a, rho);
    r_set_si(g, 1);
    r_div(g, g, a);
  } else {
    r_pi(a);
    r_acos(s, rho);
    r_sub(a, a, s); /* pi - arccos rho */
    r_mul(a, a, rho);
    r_mul_double(a, a, 2.0);
    r_set_si(s, 1); /* 1 - rho^2 as (1 - rho)(1 + rho): no cancellation near |rho| = 1 */
    r_sub(s, s, rho);
    r_add_double(g, rho, 1.0);
    r_mul(s, s, g);
    r_sqrt(s, s);
    r_add(g, a, s);
    r_pi(a);
    r_mul_double(a, a, 2.0);
    r_div(g, g, a);
  }
  r_clear(a);
  r_clear(s);
}

#define RKHS_NMAX 6000

/* tail <- a rigorous bound on sum_{i>N} c_i |rho|^i, r = |rho| <= 1.  The
 * coefficients are non-increasing from degree 2 on (exp: ratio 1/(i+1);
 * inv2: 1/2; ntk even degrees: (2k-1)^2 (2k+3)/((2k+1)^2 (2k+2)) < 1), so a
 * geometric series bounds the tail; at r = 1 the ntk uses t_n <= 1/sqrt(pi n),
 * i.e. c_{2k} <= (k-1)^{-3/2}/(4 pi^{3/2}), and sum_{m>=K} m^{-3/2} <=
 * K^{-3/2} + 2/sqrt K.  c must hold degrees up to N + 2. */
static void FUNCTION(rkhs_tail)(REAL_PTR tail, const VEC *c, size_t N, REAL_SRCPTR r, int kind, mpfr_prec_t prec)
{
  REAL q, p, alg;
  r_init(q, prec);
  r_init(p, prec);
  r_init(alg, prec);
  size_t E = kind == 0 ? (N % 2 ? N + 1 : N + 2) : N + 1; /* first degree > N with c > 0 */
  r_pow_si(p, r, (long)E);
  r_mul(p, p, vec_at(c, E));
  if (kind == 1)
    r_div_double(q, r, (double)(N + 2));
  else if (kind == 2)
    r_div_double(q, r, 2.0);
  else
    r_sqr(q, r);
  r_neg(q, q);
  r_add_double(q, q, 1.0);
  if (r_sgn(q) > 0) {
    r_div(tail, p, q);
  } else {
    r_set_double(tail, HUGE_VAL);
  }
  if (kind == 0) {
    double K = (double)(E / 2 - 1);
    r_pi(alg);
    r_sqrt(q, alg);
    r_mul(alg, alg, q);
    r_mul_double(alg, alg, 4.0);
    r_set_double(q, pow(K, -1.5) + 2.0 / sqrt(K));
    r_mul_double(q, q, 1.0 + 1e-12); /* the double rounding of the bracket */
    r_div(alg, q, alg);
    r_min(tail, tail, alg);
  }
  r_clear(q);
  r_clear(p);
  r_clear(alg);
}

/* Row values feat_err = |sum_{i<=N} phi_i(x) phi_i(y) - g(xy)| with the
 * notes' phi_i = sqrt(c_i) x^i, feat_err_nosqrt with phi_i = c_i x^i (a
 * wrong map), feat_tol = the tail bound past N plus rounding, feat_terms =
 * N: the smallest N whose tail bound is below 2^-(bits+8), at most
 * RKHS_NMAX.  c holds degrees 0..RKHS_NMAX + 2. */
static int FUNCTION(rkhs_feature_put)(tc_record *out, const VEC *c, double x, double y, int kind, mpfr_prec_t prec)
{
  REAL xp, yp, s, s2, sa, t, u, r, g, tail;
  REAL_PTR v[] = {xp, yp, s, s2, sa, t, u, r, g, tail};
  for (size_t i = 0; i < 10; i++)
    r_init(v[i], prec);
  r_set_si(xp, 1);
  r_set_si(yp, 1);
  r_set_si(s, 0);
  r_set_si(s2, 0);
  r_set_si(sa, 0);
  r_set_double(r, fabs(x));
  r_mul_double(r, r, fabs(y)); /* exact in MPFR (two doubles) */
  double stop = ldexp(1.0, -(int)prec - 8);
  size_t N = 0;
  for (;; N++) {
    r_sqrt(u, vec_at(c, N));
    r_mul(t, u, xp); /* phi_N(x) */
    r_mul(u, u, yp); /* phi_N(y) */
    r_fma(s, t, u, s);
    r_mul(t, vec_at(c, N), xp);
    r_mul(u, vec_at(c, N), yp);
    r_fma(s2, t, u, s2);
    r_mul(t, xp, yp);
    r_abs(t, t);
    r_fma(sa, vec_at(c, N), t, sa); /* sum c_i |xy|^i for the rounding allowance */
    r_mul_double(xp, xp, x);
    r_mul_double(yp, yp, y);
    if (N >= 8) {
      FUNCTION(rkhs_tail)(tail, c, N, r, kind, prec);
      if (r_get_double(tail) <= stop || N == RKHS_NMAX)
        break;
    }
  }
  r_set_double(r, x);
  r_mul_double(r, r, y);
  FUNCTION(rkhs_closed)(g, r, kind, prec);
  r_sub(s, s, g);
  r_abs(s, s);
  r_sub(s2, s2, g);
  r_abs(s2, s2);
  /* rounding: 4 (N + 8) u per term of the sum, 16 u on the closed form,
   * and (ntk) the moved argument rho = fl(xy): 2 delta + sqrt(2 delta) */
  FUNCTION(rkhs_mul_eps)(sa, 4.0 * (double)(N + 8), prec);
  r_abs(g, g);
  FUNCTION(rkhs_mul_eps)(g, 16.0, prec);
  r_add(tail, tail, sa);
  r_add(tail, tail, g);
  if (kind == 0) {
    r_set_double(g, 2.0 * fabs(x * y)); /* g <- 2 delta, delta = eps |xy| */
    FUNCTION(rkhs_mul_eps)(g, 1.0, prec);
    r_add(tail, tail, g);
    r_sqrt(g, g);
    r_add(tail, tail, g);
  }
  int st = record_put(out, "feat_err", s);
  st = st ? st : record_put(out, "feat_err_nosqrt", s2);
  st = st ? st : record_put(out, "feat_tol", tail);
  st = st ? st : tc_record_put_double(out, "feat_terms", (double)N);
  for (size_t i = 0; i < 10; i++)
    r_clear(v[i]);
  return st;
}

/* Row values of the representation p(x) = <w, phi(x)>, w_j = p_j/sqrt(c_j):
 * repr_err = |sum_j w_j phi_j(x) - p(x)| (Horner), over the degrees with c_j
 * > 0 (where c_j = 0, phi_j = 0 and no w_j helps), repr_err_nosqrt with
 * w_j = p_j/c_j, repr_tol, missing = sum_{c_j = 0} p_j^2, norm_formula =
 * sum_{c_j > 0} p_j^2/c_j (= ||w||^2), crit2 = sum p_j^2 max(1, j)^2,
 * crit15 = sum p_j^2 max(1, j)^{3/2}, cmax2 = max_{c_j > 0} 1/(c_j max(1, j)^2). */
static int FUNCTION(rkhs_repr_put)(tc_record *out, const VEC *c, const double *p, size_t k, double x, mpfr_prec_t prec)
{
  REAL w, phi, s, s2, h, xp, nf, miss, c2, c15, cm, t, sa;
  REAL_PTR v[] = {w, phi, s, s2, h, xp, nf, miss, c2, c15, cm, t, sa};
  for (size_t i = 0; i < 13; i++)
    r_init(v[i], prec);
  REAL_PTR zero[] = {s, s2, h, nf, miss, c2, c15, cm, sa};
  for (size_t i = 0; i < 9; i++)
    r_set_si(zero[i], 0);
  r_set_si(xp, 1);
  for (size_t j = 0; j <= k; j++) {
    double jj = j ? (double)j : 1.0;
    r_set_double(t, p[j] * p[j]); /* exact: p_j has at most 26 bits (rkhs.c) */
    r_mul_double(w, t, jj * jj);
    r_add(c2, c2, w);
    r_set_double(w, jj);
    r_sqrt(w, w);
    r_mul_double(w, w, jj);
    r_mul(w, w, t);
    r_add(c15, c15, w);
    r_mul_double(t, xp, fabs(p[j]));
    r_abs(t, t);
    r_add(sa, sa, t);
    if (r_sgn(vec_at(c, j)) == 0) {
      r_set_double(t, p[j] * p[j]);
      r_add(miss, miss, t);
    } else {
      r_sqrt(phi, vec_at(c, j));
      r_set_double(w, p[j]);
      r_div(w, w, phi); /* w_j = p_j / sqrt(c_j) */
      r_sqr(t, w);
      r_add(nf, nf, t);
      r_mul(phi, phi, xp); /* phi_j(x) = sqrt(c_j) x^j */
      r_fma(s, w, phi, s);
      r_set_double(w, p[j]);
      r_div(w, w, vec_at(c, j));
      r_fma(s2, w, phi, s2);
      r_mul_double(t, vec_at(c, j), jj * jj);
      r_set_si(w, 1);
      r_div(t, w, t);
      r_max(cm, cm, t);
    }
    r_mul_double(xp, xp, x);
  }
  for (size_t j = k + 1; j-- > 0;) { /* p(x) by Horner, independent of the sums */
    r_mul_double(h, h, x);
    r_add_double(h, h, p[j]);
  }
  r_sub(s, s, h);
  r_abs(s, s);
  r_sub(s2, s2, h);
  r_abs(s2, s2);
  FUNCTION(rkhs_mul_eps)(sa, 8.0 * (double)(k + 2), prec);
  int st = record_put(out, "repr_err", s);
  st = st ? st : record_put(out, "repr_err_nosqrt", s2);
  st = st ? st : record_put(out, "repr_tol", sa);
  st = st ? st : record_put(out, "missing", miss);
  st = st ? st : record_put(out, "norm_formula", nf);
  st = st ? st : record_put(out, "crit2", c2);
  st = st ? st : record_put(out, "crit15", c15);
  st = st ? st : record_put(out, "cmax2", cm);
  for (size_t i = 0; i < 13; i++)
    r_clear(v[i]);
  return st;
}

/* nu <- f^T K^{-1} f by Cholesky K = L L^T (K is overwritten by nothing; L
 * is scratch), err <- a rounding estimate nu n^2 u kappa with kappa =
 * (max L_ii / min L_ii)^2, a lower estimate of cond(K).  This is the
 * squared RKHS norm of the minimum-norm interpolant of f on the design: a
 * lower bound on ||f||_K^2 that increases to it as the design fills in. */
static int FUNCTION(rkhs_gram_norm)(REAL_PTR nu, REAL_PTR err, const MAT *K, const VEC *f, size_t n, mpfr_prec_t prec)
{
  MAT *L = mat_alloc(n, n, prec);
  VEC *z = vec_alloc(n, prec);
  REAL lo, hi;
  r_init(lo, prec);
  r_init(hi, prec);
  int status = TC_ENOMEM;
  if (!L || !z)
    goto done;
  TC_TRY(cholesky(L, K));
  TC_TRY(mat_trsv(z, L, TC_LOWER, f));
  TC_TRY(vec_dot(nu, z, z));
  r_abs(lo, mat_at(L, 0, 0));
  r_set(hi, lo);
  for (size_t i = 1; i < n; i++) {
    r_min(lo, lo, mat_at(L, i, i));
    r_max(hi, hi, mat_at(L, i, i));
  }
  r_div(hi, hi, lo);
  r_sqr(hi, hi);
  r_mul(err, hi, nu);
  FUNCTION(rkhs_mul_eps)(err, (double)(n * n), prec);
done:
  r_clear(lo);
  r_clear(hi);
  if (L)
    mat_free(L);
  if (z)
    vec_free(z);
  return status;
}

/* cos(a) through r_sin(pi/2 - a) (the operation list has no cosine). */
static void FUNCTION(rkhs_cos)(REAL_PTR out, REAL_SRCPTR a, mpfr_prec_t prec)
{
  REAL h;
  r_init(h, prec);
  r_pi(h);
  r_mul_double(h, h, 0.5);
  r_sub(h, h, a);
  r_sin(out, h);
  r_clear(h);
}

/* Row values norm_gram, gram_err on the interval [-1, 1]: the design x_i =
 * cos(pi (i + 0.3)/n) has no pair x_i = -x_j (on a symmetric design the
 * ntk's odd part is rank one and K is singular). */
static int FUNCTION(rkhs_interval_gram_put)(tc_record *out, const double *p, size_t k, size_t n, int kind,
                                            mpfr_prec_t prec)
{
  MAT *K = mat_alloc(n, n, prec);
  VEC *xs = vec_alloc(n, prec), *f = vec_alloc(n, prec);
  REAL t, nu, err;
  r_init(t, prec);
  r_init(nu, prec);
  r_init(err, prec);
  int status = TC_ENOMEM;
  if (!K || !xs || !f)
    goto done;
  for (size_t i = 0; i < n; i++) {
    r_pi(t);
    r_mul_double(t, t, (double)i + 0.3);
    r_div_double(t, t, (double)n);
    FUNCTION(rkhs_cos)(vec_at(xs, i), t, prec);
    r_set_si(vec_at(f, i), 0);
    for (size_t j = k + 1; j-- > 0;) {
      r_mul(vec_at(f, i), vec_at(f, i), vec_at(xs, i));
      r_add_double(vec_at(f, i), vec_at(f, i), p[j]);
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      r_mul(t, vec_at(xs, i), vec_at(xs, j));
      FUNCTION(rkhs_closed)(mat_at(K, i, j), t, kind, prec);
    }
  TC_TRY(FUNCTION(rkhs_gram_norm)(nu, err, K, f, n, prec));
  TC_TRY(record_put(out, "norm_gram", nu));
  TC_TRY(record_put(out, "gram_err", err));
done:
  r_clear(t);
  r_clear(nu);
  r_clear(err);
  if (K)
    mat_free(K);
  if (xs)
    vec_free(xs);
  if (f)
    vec_free(f);
  return status;
}

/* One row of rkhs-poly. */
static int FUNCTION(rkhs_poly_row)(tc_record *out, const double *p, size_t k, double x, double y, size_t n, int kind,
                                   mpfr_prec_t prec)
{
  VEC *c = vec_alloc(RKHS_NMAX + 3, prec);
  if (!c)
    return TC_ENOMEM;
  FUNCTION(rkhs_coefs)(c, RKHS_NMAX + 2, kind, prec);
  int st = FUNCTION(rkhs_feature_put)(out, c, x, y, kind, prec);
  st = st ? st : FUNCTION(rkhs_repr_put)(out, c, p, k, x, prec);
  st = st ? st : FUNCTION(rkhs_interval_gram_put)(out, p, k, n, kind, prec);
  st = st ? st : tc_record_end_row(out);
  vec_free(c);
  return st;
}

/* ---- rkhs-sphere -------------------------------------------------------------
 * On S^{d-1} write t^i = sum_l beta_{il} P_l(t) with P_l the Legendre
 * (Gegenbauer) polynomial of dimension d, P_l(1) = 1, from t P_l =
 * ((l + d - 2) P_{l+1} + l P_{l-1})/(2l + d - 2) (t P_0 = P_1): beta >= 0 and
 * sum_l beta_{il} = 1.  Then K = sum_l mu_l P_l(<x, x'>) with mu_l = sum_i
 * c_i beta_{il}, and by the addition theorem (P_l(<w, .>) spans degree l's
 * harmonics, <P_l(<u, .>), P_l(<v, .>)>_{L2} = P_l(<u, v>)/N_l)
 *   ||sum_j a_j (w_j^T x)^j||_K^2 = sum_l (1/mu_l) sum_{j,j'} a_j a_j' beta_{jl}
 *                                   beta_{j'l} P_l(<w_j, w_j'>),
 * exact; the notes' sum_j a_j^2/c_j is the norm of one representation in
 * the feature space, an upper bound (the footnote's <=). */

/* P[0..k] <- P_l(t) of dimension d. */
static void FUNCTION(rkhs_legendre)(VEC *P, size_t k, REAL_SRCPTR t, size_t d, mpfr_prec_t prec)
{
  REAL u;
  r_init(u, prec);
  r_set_si(vec_at(P, 0), 1);
  if (k >= 1)
    r_set(vec_at(P, 1), t);
  for (size_t l = 1; l < k; l++) { /* P_{l+1} = ((2l + d - 2) t P_l - l P_{l-1})/(l + d - 2) */
    r_mul(u, t, vec_at(P, l));
    r_mul_double(u, u, (double)(2 * l + d - 2));
    r_mul_double(vec_at(P, l + 1), vec_at(P, l - 1), (double)l);
    r_sub(u, u, vec_at(P, l + 1));
    r_div_double(vec_at(P, l + 1), u, (double)(l + d - 2));
  }
  r_clear(u);
}

/* mu[0..k] <- sum_{i<=N} c_i beta_{il}, Bk (k+1 x k+1) <- beta_{jl} for j <= k. */
static int FUNCTION(rkhs_gegen)(VEC *mu, MAT *Bk, const VEC *c, size_t N, size_t k, size_t d, mpfr_prec_t prec)
{
  VEC *b = vec_alloc(N + 2, prec), *nb = vec_alloc(N + 2, prec);
  REAL u;
  r_init(u, prec);
  int status = TC_ENOMEM;
  if (!b || !nb)
    goto done;
  vec_set_zero(b);
  vec_set_zero(mu);
  mat_set_zero(Bk);
  r_set_si(vec_at(b, 0), 1);
  for (size_t i = 0; i <= N; i++) {
    for (size_t l = i % 2; l <= k && l <= i; l += 2)
      r_fma(vec_at(mu, l), vec_at(c, i), vec_at(b, l), vec_at(mu, l));
    if (i <= k)
      for (size_t l = 0; l <= i; l++)
        r_set(mat_at(Bk, i, l), vec_at(b, l));
    vec_set_zero(nb);
    for (size_t l = i % 2; l <= i; l += 2) {
      double den = (double)(2 * l + d - 2);
      if (l == 0) {
        r_add(vec_at(nb, 1), vec_at(nb, 1), vec_at(b, 0));
        continue;
      }
      r_mul_double(u, vec_at(b, l), (double)(l + d - 2));
      r_div_double(u, u, den);
      r_add(vec_at(nb, l + 1), vec_at(nb, l + 1), u);
      r_mul_double(u, vec_at(b, l), (double)l);
      r_div_double(u, u, den);
      r_add(vec_at(nb, l - 1), vec_at(nb, l - 1), u);
    }
    TC_TRY(vec_copy(b, nb));
  }
  status = TC_SUCCESS;
done:
  r_clear(u);
  if (b)
    vec_free(b);
  if (nb)
    vec_free(nb);
  return status;
}

#define RKHS_SPHERE_NMAX 1500
#define RKHS_SPHERE_NTK_NMAX 600 /* the ntk's tail decays like 1/N: O(N^2) Gegenbauer work caps it */

/* f <- min(1, N(d, l) m) with m = E|t|^{2K} under the weight (1 - t^2)^{(d-3)/2},
 * 2K the largest even number <= N + 1: for i > N, beta_{il} = N(d, l) E[t^i
 * P_l(t)] <= N(d, l) E|t|^i <= N(d, l) m, since |P_l| <= 1 and E P_l^2 =
 * 1/N(d, l) (N(d, l) = (2l + d - 2)(l + d - 3)!/(l! (d - 2)!) harmonics of
 * degree l); m_{2j+2} = m_{2j} (2j + 1)/(2j + d).  So sum_{i>N} c_i beta_{il}
 * <= f sum_{i>N} c_i.  beta_{il} = 0 unless i = l mod 2, and the ntk has no
 * odd degree past 1: f = 0 for odd l there. */
static void FUNCTION(rkhs_beta_tail_factor)(REAL_PTR f, size_t N, size_t l, size_t d, int kind, mpfr_prec_t prec)
{
  if (kind == 0 && l % 2 == 1 && N >= 2) {
    r_set_si(f, 0);
    return;
  }
  double harm = l == 0 ? 1.0 : (double)(2 * l + d - 2) / (double)(l + d - 2);
  for (size_t q = 1; q <= l; q++) /* times binom(l + d - 2, l) */
    harm *= (double)(q + d - 2) / (double)q;
  harm *= 1.0 + 1e-12; /* an upper bound through double's rounding */
  r_set_double(f, harm);
  for (size_t j = 0; 2 * j + 2 <= N + 1; j++) {
    r_mul_double(f, f, (double)(2 * j + 1));
    r_div_double(f, f, (double)(2 * j + d));
  }
  r_mul_double(f, f, 1.0 + 1e-12);
  if (r_get_double(f) > 1.0)
    r_set_si(f, 1);
  (void)prec;
}

/* G (k+1 x k+1) <- <w_j, w_q>/(|w_j| |w_q|) for the directions W (rows of
 * doubles, products exact in MPFR); the diagonal is set to 1 exactly. */
static void FUNCTION(rkhs_dir_gram)(MAT *G, VEC *nrm, const double *W, size_t k, size_t d, mpfr_prec_t prec)
{
  REAL t, u;
  r_init(t, prec);
  r_init(u, prec);
  for (size_t j = 0; j <= k; j++)
    for (size_t q = 0; q <= j; q++) {
      r_set_si(t, 0);
      for (size_t l = 0; l < d; l++) {
        r_set_double(u, W[j * d + l]);
        r_mul_double(u, u, W[q * d + l]);
        r_add(t, t, u);
      }
      r_set(mat_at(G, j, q), t);
    }
  for (size_t j = 0; j <= k; j++)
    r_sqrt(vec_at(nrm, j), mat_at(G, j, j));
  for (size_t j = 0; j <= k; j++) {
    for (size_t q = 0; q < j; q++) {
      r_mul(t, vec_at(nrm, j), vec_at(nrm, q));
      r_div(t, mat_at(G, j, q), t);
      r_set(mat_at(G, j, q), t);
      r_set(mat_at(G, q, j), t);
    }
    r_set_si(mat_at(G, j, j), 1);
  }
  r_clear(t);
  r_clear(u);
}

/* Q[l] <- sum_{j,q} a_j a_q beta_{jl} beta_{ql} P_l(G_jq) (>= 0: P_l(<w_j, w_q>)
 * is a positive semidefinite kernel matrix, Schoenberg). */
static int FUNCTION(rkhs_sphere_q)(VEC *Q, const MAT *Bk, const MAT *G, const double *a, size_t k, size_t d,
                                   mpfr_prec_t prec)
{
  VEC *P = vec_alloc(k + 1, prec);
  REAL t;
  r_init(t, prec);
  if (!P) {
    r_clear(t);
    return TC_ENOMEM;
  }
  vec_set_zero(Q);
  for (size_t j = 0; j <= k; j++)
    for (size_t q = 0; q <= k; q++) {
      FUNCTION(rkhs_legendre)(P, k, mat_at(G, j, q), d, prec);
      for (size_t l = 0; l <= k; l++) {
        r_mul(t, mat_at(Bk, j, l), mat_at(Bk, q, l));
        r_mul(t, t, vec_at(P, l));
        r_mul_double(t, t, a[j]);
        r_mul_double(t, t, a[q]);
        r_add(vec_at(Q, l), vec_at(Q, l), t);
      }
    }
  vec_free(P);
  r_clear(t);
  return TC_SUCCESS;
}

/* norm_gram, gram_err on S^{d-1}: n design points, for d = 2 at angles
 * 2 pi (i + 0.3)/n, for d >= 3 the rows of X (n x d doubles from the tape),
 * normalised here; f(u) = sum_j a_j <u, w_j/|w_j|>^j, K = g(<u_i, u_l>). */
static int FUNCTION(rkhs_sphere_gram_put)(tc_record *out, const double *a, const double *W, const VEC *nrm,
                                          const double *X, size_t k, size_t d, size_t n, int kind, mpfr_prec_t prec)
{
  MAT *K = mat_alloc(n, n, prec), *U = mat_alloc(n, d, prec);
  VEC *f = vec_alloc(n, prec);
  REAL t, s, nu, err;
  REAL_PTR v[] = {t, s, nu, err};
  for (size_t i = 0; i < 4; i++)
    r_init(v[i], prec);
  int status = TC_ENOMEM;
  if (!K || !U || !f)
    goto done;
  for (size_t i = 0; i < n; i++) {
    if (d == 2) {
      r_pi(t);
      r_mul_double(t, t, 2.0 * ((double)i + 0.3));
      r_div_double(t, t, (double)n);
      FUNCTION(rkhs_cos)(mat_at(U, i, 0), t, prec);
      r_sin(mat_at(U, i, 1), t);
    } else {
      r_set_si(s, 0);
      for (size_t l = 0; l < d; l++) {
        r_set_double(mat_at(U, i, l), X[i * d + l]);
        r_fma(s, mat_at(U, i, l), mat_at(U, i, l), s);
      }
      r_sqrt(s, s);
      for (size_t l = 0; l < d; l++)
        r_div(mat_at(U, i, l), mat_at(U, i, l), s);
    }
    r_set_si(vec_at(f, i), 0);
    for (size_t j = 0; j <= k; j++) {
      r_set_si(t, 0);
      for (size_t l = 0; l < d; l++) {
        r_mul_double(s, mat_at(U, i, l), W[j * d + l]);
        r_add(t, t, s);
      }
      r_div(t, t, vec_at(nrm, j));
      r_pow_si(t, t, (long)j);
      r_mul_double(t, t, a[j]);
      r_add(vec_at(f, i), vec_at(f, i), t);
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t l = 0; l < n; l++) {
      r_set_si(t, 0);
      for (size_t q = 0; q < d; q++)
        r_fma(t, mat_at(U, i, q), mat_at(U, l, q), t);
      r_set_si(s, 1); /* <u_i, u_i> may round above 1, outside arccos's domain (ntk) */
      r_min(t, t, s);
      r_neg(s, s);
      r_max(t, t, s);
      FUNCTION(rkhs_closed)(mat_at(K, i, l), t, kind, prec);
    }
  TC_TRY(FUNCTION(rkhs_gram_norm)(nu, err, K, f, n, prec));
  TC_TRY(record_put(out, "norm_gram", nu));
  TC_TRY(record_put(out, "gram_err", err));
done:
  for (size_t i = 0; i < 4; i++)
    r_clear(v[i]);
  if (K)
    mat_free(K);
  if (U)
    mat_free(U);
  if (f)
    vec_free(f);
  return status;
}

/* One row of rkhs-sphere: norm_exact (the Gegenbauer formula, mu_l summed to
 * N with the tail bracket mu_l in [S_l, S_l + tail]), exact_err (the
 * bracket's width plus rounding), norm_formula = sum_j a_j^2/c_j (the
 * notes), and for n > 0 norm_gram, gram_err (else 0). */
static int FUNCTION(rkhs_sphere_row)(tc_record *out, const double *a, const double *W, const double *X, size_t k,
                                     size_t d, size_t n, int kind, mpfr_prec_t prec)
{
  VEC *c = vec_alloc(RKHS_SPHERE_NMAX + 3, prec), *mu = vec_alloc(k + 1, prec), *Q = vec_alloc(k + 1, prec);
  VEC *nrm = vec_alloc(k + 1, prec);
  MAT *Bk = mat_alloc(k + 1, k + 1, prec), *G = mat_alloc(k + 1, k + 1, prec);
  REAL one, tail, ne, lo, nf, t, lo2;
  REAL_PTR v[] = {one, tail, ne, lo, nf, t, lo2};
  for (size_t i = 0; i < 7; i++)
    r_init(v[i], prec);
  int status = TC_ENOMEM;
  if (!c || !mu || !Q || !nrm || !Bk || !G)
    goto done;
  FUNCTION(rkhs_coefs)(c, RKHS_SPHERE_NMAX + 2, kind, prec);
  r_set_si(one, 1);
  size_t N = k + 2 > 8 ? k + 2 : 8, nmax = kind == 0 ? RKHS_SPHERE_NTK_NMAX : RKHS_SPHERE_NMAX;
  for (;; N++) { /* sum_{i>N} c_i beta_{il} <= sum_{i>N} c_i: the tail at r = 1 */
    FUNCTION(rkhs_tail)(tail, c, N, one, kind, prec);
    if (r_get_double(tail) <= ldexp(1.0, -(int)prec - 8) || N == nmax)
      break;
  }
  TC_TRY(FUNCTION(rkhs_gegen)(mu, Bk, c, N, k, d, prec));
  FUNCTION(rkhs_dir_gram)(G, nrm, W, k, d, prec);
  TC_TRY(FUNCTION(rkhs_sphere_q)(Q, Bk, G, a, k, d, prec));
  r_set_si(ne, 0);
  r_set_si(lo, 0);
  r_set_si(nf, 0);
  for (size_t l = 0; l <= k; l++) {
    if (a[l] != 0.0) {
      r_set_double(t, a[l] * a[l]); /* exact: a_l has at most 26 bits (rkhs.c) */
      r_div(t, t, vec_at(c, l));
      r_add(nf, nf, t);
    }
    if (r_sgn(vec_at(Q, l)) == 0) /* no degree-l harmonic in f (e.g. odd l >= 3 for the ntk's targets) */
      continue;
    r_div(t, vec_at(Q, l), vec_at(mu, l));
    r_add(ne, ne, t);
    FUNCTION(rkhs_beta_tail_factor)(lo2, N, l, d, kind, prec);
    r_mul(lo2, lo2, tail);
    r_add(lo2, lo2, vec_at(mu, l));
    r_div(t, vec_at(Q, l), lo2);
    r_add(lo, lo, t);
  }
  r_sub(lo, ne, lo);
  r_set(t, ne);
  FUNCTION(rkhs_mul_eps)(t, 64.0 * (double)((k + 2) * (k + 2) * (k + 2)), prec);
  r_add(lo, lo, t);
  TC_TRY(record_put(out, "norm_exact", ne));
  TC_TRY(record_put(out, "exact_err", lo));
  TC_TRY(record_put(out, "norm_formula", nf));
  TC_TRY(tc_record_put_double(out, "gegen_terms", (double)N));
  if (n > 0) {
    TC_TRY(FUNCTION(rkhs_sphere_gram_put)(out, a, W, nrm, X, k, d, n, kind, prec));
  } else {
    r_set_si(t, 0);
    TC_TRY(record_put(out, "norm_gram", t));
    TC_TRY(record_put(out, "gram_err", t));
  }
  status = tc_record_end_row(out);
done:
  for (size_t i = 0; i < 7; i++)
    r_clear(v[i]);
  VEC *vs[] = {c, mu, Q, nrm};
  for (size_t i = 0; i < 4; i++)
    if (vs[i])
      vec_free(vs[i]);
  if (Bk)
    mat_free(Bk);
  if (G)
    mat_free(G);
  return status;
}
