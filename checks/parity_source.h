/* parity_source.h — the parity-net measurements written once in the
 * generic names of tc_templates_on.h; checks/parity.c (which documents the
 * parts and rows) includes it once per backend.  Every quantity except
 * cos-class is a small integer or dyadic rational, so both backends must
 * get it exactly; cos-class carries its rounding estimate cos_err. */

#if defined(TC_BASE_MPFR)
#define PAR_PREC(inst) ((inst)->prec)
#else
#define PAR_PREC(inst) ((mpfr_prec_t)53)
#endif

/* r <- max(x, 0); zero is scratch. */
static void FUNCTION(par_relu)(REAL_PTR r, REAL_SRCPTR x, REAL_PTR zero)
{
  r_set_si(zero, 0);
  r_max(r, x, zero);
}

static int FUNCTION(par_put)(tc_record *out, const char *name, double v)
{
  return tc_record_put_double(out, name, v);
}

/* cos_err = 64 * 2^-prec, formed in the backend's type: as a double it is 0
 * beyond 1074 bits (--precision mpfr:1100), and an estimate of 0 turned the
 * rounding of a true orthonormality check into a violation. */
static int FUNCTION(par_cos_err)(tc_record *out, mpfr_prec_t prec)
{
  REAL e;
  r_init(e, prec);
  r_set_double(e, 64.0);
  for (long left = (long)prec; left > 0; left -= 1000)
    r_mul_double(e, e, ldexp(1.0, -(int)(left > 1000 ? 1000 : left)));
  int status = record_put(out, "cos_err", e);
  r_clear(e);
  return status;
}

/* 004-09: rows t, err = |1(t >= 0) - (ReLU(a t) - ReLU(a t - 1))|. The grid
 * is powers of two 2^-20..2^10 (and 0), a <= 2^30, so a t and a t - 1 are
 * exact in double and the expression is its own limit when a |t| >= 1. */
static int FUNCTION(par_step_limit)(tc_record *out, const parity_config *c, mpfr_prec_t prec)
{
  REAL at, u, v, z;
  r_init(at, prec);
  r_init(u, prec);
  r_init(v, prec);
  r_init(z, prec);
  int status = TC_SUCCESS;
  for (int j = -1; j <= 60 && status == TC_SUCCESS; j++) {
    double t = j < 0 ? 0.0 : ldexp(j % 2 ? -1.0 : 1.0, j / 2 - 20);
    if (j < 0 && c->exclude_zero)
      continue;
    r_set_double(at, c->a);
    r_mul_double(at, at, t);
    FUNCTION(par_relu)(u, at, z);
    r_add_double(at, at, -1.0);
    FUNCTION(par_relu)(v, at, z);
    r_sub(u, u, v);
    r_set_double(v, t >= 0 ? 1.0 : 0.0);
    r_sub(u, v, u);
    r_abs(u, u);
    if (!(status = FUNCTION(par_put)(out, "t", t)) && !(status = record_put(out, "err", u)))
      status = tc_record_end_row(out);
  }
  r_clear(at);
  r_clear(u);
  r_clear(v);
  r_clear(z);
  return status;
}

/* 004-11: rows z = +-(1/2 + j/4), j = 0..40: err = |step(z) - (ReLU(2z) - ReLU(2z - 1))|. */
static int FUNCTION(par_step_relu)(tc_record *out, mpfr_prec_t prec)
{
  REAL x, u, v, zero;
  r_init(x, prec);
  r_init(u, prec);
  r_init(v, prec);
  r_init(zero, prec);
  int status = TC_SUCCESS;
  for (int j = 0; j < 82 && status == TC_SUCCESS; j++) {
    double z = (j % 2 ? -1.0 : 1.0) * (0.5 + (j / 2) / 4.0);
    r_set_double(x, 2 * z);
    FUNCTION(par_relu)(u, x, zero);
    r_add_double(x, x, -1.0);
    FUNCTION(par_relu)(v, x, zero);
    r_sub(u, u, v);
    r_set_double(v, z >= 0 ? 1.0 : 0.0);
    r_sub(u, v, u);
    r_abs(u, u);
    if (!(status = FUNCTION(par_put)(out, "z", z)) && !(status = record_put(out, "err", u)))
      status = tc_record_end_row(out);
  }
  r_clear(x);
  r_clear(u);
  r_clear(v);
  r_clear(zero);
  return status;
}

/* cv <- c_i(x) = w_i.x - b_i - 1/2 with x_l = (-1)^{bit l of xm}. */
static void FUNCTION(par_c)(REAL_PTR cv, const long *wi, long bi, unsigned long d, unsigned long xm)
{
  r_set_double(cv, -(double)bi - 0.5);
  for (unsigned long l = 0; l < d; l++)
    r_add_double(cv, cv, (xm >> l) & 1 ? -(double)wi[l] : (double)wi[l]);
}

/* 004-10: one row, minabs = min_x |c(x)| (first halfspace), nhalf. */
static int FUNCTION(par_c_margin)(tc_record *out, const parity_config *c, const long *w, const long *b,
                                  const unsigned long *xs, size_t nx, mpfr_prec_t prec)
{
  REAL cv, mn;
  r_init(cv, prec);
  r_init(mn, prec);
  r_set_double(mn, INFINITY);
  double nhalf = 0;
  for (size_t t = 0; t < nx; t++) {
    FUNCTION(par_c)(cv, w, b[0], c->d, xs[t]);
    r_abs(cv, cv);
    r_min(mn, mn, cv);
    nhalf += r_get_double(cv) == 0.5;
  }
  int status = record_put(out, "minabs", mn);
  if (!status && !(status = FUNCTION(par_put)(out, "nhalf", nhalf)))
    status = tc_record_end_row(out);
  r_clear(cv);
  r_clear(mn);
  return status;
}

/* 004-13: path norms of g from its weights (parity.c header). */
static void FUNCTION(par_pathnorms)(REAL_PTR pn, REAL_PTR pnb, REAL_PTR notes, const parity_config *c,
                                    const long *w, const long *b, REAL_PTR t)
{
  double k = c->k;
  r_set_si(pn, 0);
  r_set_si(pnb, 0);
  r_set_double(notes, k);
  r_add_double(notes, notes, 1.0 / 3.0);
  for (unsigned i = 0; i < c->k; i++) {
    double w1 = 0;
    for (unsigned long l = 0; l < c->d; l++)
      w1 += (double)w[i * c->d + l]; /* small naturals: exact */
    /* neurons ReLU(2 w.x - 2b - 1) and ReLU(2 w.x - 2b - 2), outer +-1/(2k) */
    r_set_double(t, 2 * w1 + 2 * (double)b[i] + 1 + 2 * w1 + 2 * (double)b[i] + 2);
    r_add(pn, pn, t);
    r_set_double(t, 4 * w1);
    r_add(pnb, pnb, t);
    r_set_double(t, 2 * (2 * w1 + (double)b[i] + 0.5) + 1);
    r_add(notes, notes, t);
  }
  r_set_double(t, k);
  r_add_double(t, t, -1.0 / 3.0); /* |output bias| * 2k = k - 1/3 */
  r_add(pn, pn, t);
  r_div_double(pn, pn, 2 * k);
  r_div_double(pnb, pnb, 2 * k);
  r_div_double(notes, notes, 2 * k);
}

/* 004-12: sign g(x) against AND_i h_i(x) over the points. */
static int FUNCTION(par_and_net)(tc_record *out, const parity_config *c, const long *w, const long *b,
                                 const unsigned long *xs, size_t nx, mpfr_prec_t prec)
{
  REAL cv, s, u, v, z, pn, pnb, notes;
  REAL_PTR rs[] = {cv, s, u, v, z, pn, pnb, notes};
  for (size_t i = 0; i < 8; i++)
    r_init(rs[i], prec);
  double mism = 0, mism3 = 0, nand = 0;
  for (size_t t = 0; t < nx; t++) {
    int all = 1;
    r_set_si(s, 0);
    for (unsigned i = 0; i < c->k; i++) {
      FUNCTION(par_c)(cv, w + i * c->d, b[i], c->d, xs[t]);
      all &= r_sgn(cv) > 0; /* c is a half-integer: c >= 0 iff c > 0 */
      r_mul_double(cv, cv, 2.0);
      FUNCTION(par_relu)(u, cv, z);
      r_add_double(cv, cv, -1.0);
      FUNCTION(par_relu)(v, cv, z);
      r_sub(u, u, v);
      r_add(s, s, u);
    }
    r_add_double(s, s, -(double)c->k);
    mism3 += (r_sgn(s) > 0) != all;
    r_add_double(s, s, 1.0 / 3.0);
    r_div_double(s, s, 2.0 * c->k);
    mism += (r_sgn(s) > 0) != all;
    nand += all;
  }
  FUNCTION(par_pathnorms)(pn, pnb, notes, c, w, b, u);
  int status = FUNCTION(par_put)(out, "mismatch", mism);
  if (!status && !(status = FUNCTION(par_put)(out, "mismatch_no_third", mism3)) &&
      !(status = FUNCTION(par_put)(out, "n_and", nand)) && !(status = record_put(out, "pn", pn)) &&
      !(status = record_put(out, "pn_nobias", pnb)) && !(status = record_put(out, "pn_notes", notes)))
    status = tc_record_end_row(out);
  for (size_t i = 0; i < 8; i++)
    r_clear(rs[i]);
  return status;
}

/* 004-15: gram_err = max_{v,v'} |<f_v, f_v'> - delta| by one FWHT per v. */
static int FUNCTION(par_gram)(tc_record *out, const parity_config *c, mpfr_prec_t prec)
{
  size_t n = (size_t)1 << c->d;
  VEC *f = vec_alloc(n, prec);
  REAL e, mx, dmin;
  r_init(e, prec);
  r_init(mx, prec);
  r_init(dmin, prec);
  r_set_si(mx, 0);
  r_set_double(dmin, INFINITY);
  int status = TC_SUCCESS;
  if (!f) {
    status = TC_ENOMEM;
    goto done;
  }
  for (size_t v = 0; v < n; v++) {
    for (size_t x = 0; x < n; x++)
      r_set_si(vec_at(f, x), __builtin_popcountll((unsigned long long)(v & x)) % 2 ? -1 : 1);
    TC_TRY(vec_fwht(f)); /* (H f_v)_w = 2^d <f_w, f_v> */
    for (size_t x = 0; x < n; x++) {
      r_div_double(e, vec_at(f, x), (double)n);
      if (x == v)
        r_min(dmin, dmin, e);
      r_add_double(e, e, x == v ? -1.0 : 0.0);
      r_abs(e, e);
      r_max(mx, mx, e);
    }
  }
  TC_TRY(record_put(out, "gram_err", mx));
  TC_TRY(record_put(out, "diag_min", dmin));
  TC_TRY(FUNCTION(par_put)(out, "count", (double)n));
  status = tc_record_end_row(out);
done:
  vec_free(f);
  r_clear(e);
  r_clear(mx);
  r_clear(dmin);
  return status;
}



/* r <- the network (0.4) at x for input weights 2v: s = v.x is the
 * hidden layer's dot product (computed from the weights), then
 * sum_i (-1)^i (relu(2s - 2i + 1) - 2 relu(2s - 2i) + relu(2s - 2i - 1)). */
static void FUNCTION(par_tri_eval)(REAL_PTR r, unsigned long v, unsigned long x, unsigned long d,
                                   REAL_PTR s, REAL_PTR u, REAL_PTR zero)
{
  r_set_si(s, 0);
  for (unsigned long l = 0; l < d; l++)
    if ((x >> l) & 1)
      r_add_double(s, s, (v >> l) & 1 ? 2.0 : 0.0);
  r_set_si(r, 0);
  for (unsigned long i = 0; i <= d; i++) {
    double sg = i % 2 ? -1.0 : 1.0;
    for (int j = 1; j >= -1; j--) {
      r_add_double(u, s, -2.0 * (double)i + j);
      FUNCTION(par_relu)(u, u, zero);
      r_mul_double(u, u, sg * (j == 0 ? -2.0 : 1.0));
      r_add(r, r, u);
    }
  }
}

/* Path norm of (0.4) at v = 1..1: neurons (|a|, ||2v||_1 = 2d, |bias|). */
static void FUNCTION(par_tri_pathnorm)(REAL_PTR pn, unsigned long d, REAL_PTR t)
{
  r_set_si(pn, 0);
  for (unsigned long i = 0; i <= d; i++)
    for (int j = 1; j >= -1; j--) {
      r_set_double(t, 2.0 * (double)d + fabs(-2.0 * (double)i + j));
      r_mul_double(t, t, j == 0 ? 2.0 : 1.0);
      r_add(pn, pn, t);
    }
}

/* 004-16: tri_err over all x for every v (d <= 6) or v = 1..1 and 3 tape v's. */
static int FUNCTION(par_tri)(tc_record *out, const parity_config *c, tc_tape *tape, mpfr_prec_t prec)
{
  unsigned long d = c->d, n = 1UL << d, full = n - 1;
  size_t nv = d <= 6 ? n : 4;
  REAL r, s, u, zero, mx;
  REAL_PTR rs[] = {r, s, u, zero, mx};
  for (size_t i = 0; i < 5; i++)
    r_init(rs[i], prec);
  r_set_si(mx, 0);
  int status = nv == 4 ? tc_tape_open(tape, 2, TC_DRAW_UNIFORM_INT, n) : TC_SUCCESS;
  for (size_t iv = 0; iv < nv && status == TC_SUCCESS; iv++) {
    unsigned long v = nv == n ? iv : iv == 0 ? full : (unsigned long)tc_tape_next(tape, 2);
    for (unsigned long x = 0; x < n; x++) {
      FUNCTION(par_tri_eval)(r, v, x, d, s, u, zero);
      r_add_double(r, r, __builtin_popcountl(v & x) % 2 ? 1.0 : -1.0);
      r_abs(r, r);
      r_max(mx, mx, r);
    }
  }
  if (!status)
    status = tc_tape_status(tape);
  FUNCTION(par_tri_pathnorm)(r, d, u);
  if (!status && !(status = record_put(out, "tri_err", mx)) && !(status = record_put(out, "pn_tri", r)) &&
      !(status = FUNCTION(par_put)(out, "d", (double)d)))
    status = tc_record_end_row(out);
  for (size_t i = 0; i < 5; i++)
    r_clear(rs[i]);
  return status;
}

/* 004-17: the class S_d on the (2d+1)^d grid of [0, 2pi)^d, whose mean is
 * the uniform integral for every frequency below 2d + 1 in each
 * coordinate (products of two members have frequencies <= 2d). */
static int FUNCTION(par_cos)(tc_record *out, const parity_config *c, mpfr_prec_t prec)
{
  unsigned long d = c->d, N = 2 * d + 1, np = 1, nw = 0, m;
  for (unsigned long l = 0; l < d; l++)
    np *= N;
  unsigned long ws[64][3];
  double count_pos = 0;
  for (unsigned long code = 0; code < np && nw < 64; code++) {
    unsigned long w[3] = {0, 0, 0}, sum = 0, cc = code, pos = 1;
    for (unsigned long l = 0; l < d; l++, cc /= N)
      w[l] = cc % N, sum += w[l], pos &= w[l] >= 1;
    if (sum > d)
      continue;
    memcpy(ws[nw++], w, sizeof w);
    count_pos += pos;
  }
  MAT *F = mat_alloc(nw, np, prec);
  REAL pi, a, g, n2min, n2max, off;
  REAL_PTR rs[] = {pi, a, g, n2min, n2max, off};
  for (size_t i = 0; i < 6; i++)
    r_init(rs[i], prec);
  int status = F ? TC_SUCCESS : TC_ENOMEM;
  r_pi(pi);
  r_set_double(n2min, INFINITY);
  r_set_si(n2max, 0);
  r_set_si(off, 0);
  for (unsigned long i = 0; i < nw && !status; i++)
    for (unsigned long p = 0; p < np; p++) {
      unsigned long cc = p;
      m = 0;
      for (unsigned long l = 0; l < d; l++, cc /= N)
        m += ws[i][l] * (cc % N);
      /* cos(2 pi m / N) = sin(2 pi (4m + N) / (4N)); integers, so no double rounding */
      r_mul_double(a, pi, 2.0 * (double)(4 * (m % N) + N));
      r_div_double(a, a, (double)(4 * N));
      r_sin(mat_at(F, i, p), a);
    }
  for (unsigned long i = 0; i < nw && !status; i++)
    for (unsigned long j = 0; j <= i; j++) {
      r_set_si(g, 0);
      for (unsigned long p = 0; p < np; p++)
        r_fma(g, mat_at(F, i, p), mat_at(F, j, p), g);
      r_div_double(g, g, (double)np);
      int zero_w = ws[i][0] + ws[i][1] + ws[i][2] == 0;
      if (i == j && !zero_w) {
        r_min(n2min, n2min, g);
        r_max(n2max, n2max, g);
      } else if (i != j) {
        r_abs(g, g);
        r_max(off, off, g);
      }
    }
  if (!status && !(status = FUNCTION(par_put)(out, "count", (double)nw)) &&
      !(status = FUNCTION(par_put)(out, "count_pos", count_pos)) && !(status = record_put(out, "norm2_min", n2min)) &&
      !(status = record_put(out, "norm2_max", n2max)) && !(status = record_put(out, "offdiag_max", off)) &&
      !(status = FUNCTION(par_cos_err)(out, prec)) &&
      !(status = FUNCTION(par_put)(out, "d", (double)d)))
    status = tc_record_end_row(out);
  mat_free(F);
  for (size_t i = 0; i < 6; i++)
    r_clear(rs[i]);
  return status;
}

static int FUNCTION(parity_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  parity_config c;
  int status = parity_config_read(&c, inst->point, err, errlen);
  if (status)
    return status;
  if (errlen)
    err[0] = '\0';
  mpfr_prec_t prec = PAR_PREC(inst);
  long *w = NULL, *b = NULL;
  unsigned long *xs = NULL;
  size_t nx = 0;
  REAL t, u;
  r_init(t, prec);
  r_init(u, prec);
  switch (c.part) {
  case PAR_STEP_LIMIT:
    status = FUNCTION(par_step_limit)(out, &c, prec);
    break;
  case PAR_STEP_RELU:
    status = FUNCTION(par_step_relu)(out, prec);
    break;
  case PAR_C_MARGIN:
  case PAR_AND_NET:
    w = malloc((size_t)c.k * c.d * sizeof *w);
    b = malloc(c.k * sizeof *b);
    if (!w || !b) {
      status = TC_ENOMEM;
      break;
    }
    if ((status = parity_draw_halfspaces(w, b, &c, inst->tape)) ||
        (status = parity_points(&xs, &nx, &c, inst->tape)))
      break;
    status = c.part == PAR_C_MARGIN ? FUNCTION(par_c_margin)(out, &c, w, b, xs, nx, prec)
                                    : FUNCTION(par_and_net)(out, &c, w, b, xs, nx, prec);
    break;
  case PAR_GRAM:
    status = c.d > PAR_MAX_EXHAUSTIVE ? TC_EDOM : FUNCTION(par_gram)(out, &c, prec);
    break;
  case PAR_TRI:
    status = FUNCTION(par_tri)(out, &c, inst->tape, prec);
    break;
  case PAR_TRI_PN:
    FUNCTION(par_tri_pathnorm)(t, c.d, u);
    if (!(status = record_put(out, "pn_tri", t)) && !(status = FUNCTION(par_put)(out, "d", (double)c.d)))
      status = tc_record_end_row(out);
    break;
  default:
    status = FUNCTION(par_cos)(out, &c, prec);
  }
  if (status && !err[0])
    snprintf(err, errlen, "part %s failed (status %d)", parity_parts[c.part], status);
  free(w);
  free(b);
  free(xs);
  r_clear(t);
  r_clear(u);
  return status;
}

#undef PAR_PREC
