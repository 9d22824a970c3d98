/* orth_gd_source.h — the orth-gd measurement written once in the generic
 * names of tc_templates_on.h; checks/orth_gd.c (which documents the model
 * and rows) includes it once per backend. */

#if defined(TC_BASE_MPFR)
#define OGD_PREC(inst) ((inst)->prec)
#else
#define OGD_PREC(inst) ((mpfr_prec_t)53)
#endif

/* Scratch of one backend run. */
typedef struct {
  VEC *z, *s, *g;
  REAL tmp, acc;
} FUNCTION(ogd_ws);

/* g <- <chi_S, grad h(theta)> (theta = row f of TH), G <- E_x ||grad h||^2.
 * Per unit: z = w.x + b over the cube (one rounding per entry, flipping
 * the top bit), s = -sin(z)/m, then c_b = E[chi_S s], c_wi = E[chi_S x_i s]. */
static void FUNCTION(ogd_grad)(FUNCTION(ogd_ws) *ws, REAL_PTR G, const MAT *TH, size_t f, size_t S,
                               const ogd_config *c)
{
  size_t n = c->n, d = c->d, p = d + 1;
  double m = (double)c->width;
  r_set_si(G, 0);
  for (size_t k = 0; k < c->width; k++) {
    VEC *z = ws->z, *s = ws->s;
    r_set(vec_at(z, 0), mat_at(TH, f, k * p + d));
    for (size_t i = 0; i < d; i++)
      r_add(vec_at(z, 0), vec_at(z, 0), mat_at(TH, f, k * p + i));
    for (size_t i = 0; i < d; i++) {
      size_t hi = (size_t)1 << i;
      r_mul_double(ws->tmp, mat_at(TH, f, k * p + i), -2.0);
      for (size_t t = hi; t < 2 * hi; t++)
        r_add(vec_at(z, t), vec_at(z, t - hi), ws->tmp);
    }
    r_set_si(ws->acc, 0);
    for (size_t t = 0; t < n; t++) {
      r_sin(vec_at(s, t), vec_at(z, t));
      r_fma(ws->acc, vec_at(s, t), vec_at(s, t), ws->acc);
      r_div_double(vec_at(s, t), vec_at(s, t), __builtin_popcountll((unsigned long long)(S & t)) % 2 ? m : -m);
    }
    r_mul_double(ws->acc, ws->acc, (double)p / (m * m * (double)n));
    r_add(G, G, ws->acc);
    for (size_t i = 0; i <= d; i++) {
      REAL_PTR gi = vec_at(ws->g, k * p + i);
      r_set_si(gi, 0);
      for (size_t t = 0; t < n; t++)
        if (i == d || !((t >> i) & 1))
          r_add(gi, gi, vec_at(s, t));
        else
          r_sub(gi, gi, vec_at(s, t));
      r_div_double(gi, gi, (double)n);
    }
  }
}

/* Per-checkpoint sums over the targets. */
typedef struct {
  REAL d2, dc, G, c2, g013, dmin, G0, e0;
} FUNCTION(ogd_stats);

static void FUNCTION(ogd_stats_add)(FUNCTION(ogd_stats) *st, FUNCTION(ogd_ws) *ws, const MAT *TH, const VEC *th0,
                                    size_t f, REAL_SRCPTR G, double L)
{
  REAL_PTR t = ws->tmp, a = ws->acc;
  r_set_si(a, 0); /* ||Delta||^2 */
  for (size_t q = 0; q < th0->n; q++) {
    r_sub(t, mat_at(TH, f, q), vec_at(th0, q));
    r_fma(a, t, t, a);
    r_fma(st->dc, t, vec_at(ws->g, q), st->dc);
    r_fma(st->c2, vec_at(ws->g, q), vec_at(ws->g, q), st->c2);
  }
  r_add(st->d2, st->d2, a);
  r_add(st->G, st->G, G);
  r_sqrt(t, a);
  r_min(st->dmin, st->dmin, t);
  r_mul_double(a, a, -2.0 * L);
  r_add(a, a, G);
  r_max(st->g013, st->g013, a);
}

static int FUNCTION(ogd_row)(tc_record *out, FUNCTION(ogd_stats) *st, const ogd_config *c, double t, double L,
                             REAL_PTR tmp, mpfr_prec_t bits)
{
  int status;
  double n = (double)c->n;
  if ((status = tc_record_put_double(out, "t", t)) || (status = tc_record_put_double(out, "d", c->d)) ||
      (status = tc_record_put_double(out, "N", n)) || (status = tc_record_put_double(out, "L", L)) ||
      (status = record_put(out, "G0", st->G0)) || (status = record_put(out, "egrad2_0", st->e0)) ||
      (status = record_put(out, "g013", st->g013)) || (status = record_put(out, "dmin", st->dmin)))
    return status;
  r_div_double(tmp, st->d2, n);
  r_sqrt(tmp, tmp);
  if ((status = record_put(out, "delta", tmp)))
    return status;
  r_mul_double(tmp, st->dc, 2.0 / n);
  if ((status = record_put(out, "ddt", tmp)))
    return status;
  r_div_double(tmp, st->G, n);
  if ((status = record_put(out, "EG", tmp)))
    return status;
  r_div_double(tmp, st->c2, n);
  if ((status = record_put(out, "egrad2", tmp)))
    return status;
  /* A-priori rounding estimate of egrad2 - EG/N (both sides equal at t = 0
   * by Parseval): about n (d + 2) m roundings per sum, relative to EG/N. */
  r_div_double(tmp, st->G, n * n);
  r_mul_double(tmp, tmp, 8.0 * n * (double)(c->d + 2) * (double)c->width);
  r_mul_double(tmp, tmp, ldexp(1.0, -(int)bits));
  if ((status = record_put(out, "gerr", tmp)))
    return status;
  return tc_record_end_row(out);
}

static void FUNCTION(ogd_stats_reset)(FUNCTION(ogd_stats) *st)
{
  r_set_si(st->d2, 0);
  r_set_si(st->dc, 0);
  r_set_si(st->G, 0);
  r_set_si(st->c2, 0);
  r_set_double(st->g013, -INFINITY);
  r_set_double(st->dmin, INFINITY);
}

static int FUNCTION(ogd_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  ogd_config c;
  int status = ogd_config_read(&c, inst->point, err, errlen);
  if (status)
    return status;
  mpfr_prec_t prec = OGD_PREC(inst);
  size_t P = c.width * (c.d + 1), n = c.n, every = c.steps / c.checkpoints;
  double L = (double)(c.d + 1) / ((double)c.width * (double)c.width);
  double *theta = malloc(P * sizeof *theta);
  FUNCTION(ogd_ws) ws;
  ws.z = vec_alloc(n, prec);
  ws.s = vec_alloc(n, prec);
  ws.g = vec_alloc(P, prec);
  FUNCTION(ogd_stats) st;
  REAL_PTR rs[] = {ws.tmp, ws.acc, st.d2, st.dc, st.G, st.c2, st.g013, st.dmin, st.G0, st.e0};
  for (size_t i = 0; i < 10; i++)
    r_init(rs[i], prec);
  MAT *TH = mat_alloc(n, P, prec);
  VEC *th0 = vec_alloc(P, prec);
  REAL G, eta;
  r_init(G, prec);
  r_init(eta, prec);
  r_set_double(eta, c.eta);
  if (!theta || !ws.z || !ws.s || !ws.g || !TH || !th0) {
    status = TC_ENOMEM;
    goto done;
  }
  if ((status = ogd_draw(theta, &c, inst->tape))) {
    snprintf(err, errlen, "cannot draw theta_0 from the tape");
    goto done;
  }
  for (size_t q = 0; q < P; q++) {
    r_set_double(vec_at(th0, q), theta[q]);
    for (size_t f = 0; f < n; f++)
      r_set_double(mat_at(TH, f, q), theta[q]);
  }
  for (size_t j = 0; j <= c.steps && !status; j++) {
    int check = j % every == 0;
    FUNCTION(ogd_stats_reset)(&st);
    for (size_t f = 0; f < n; f++) {
      FUNCTION(ogd_grad)(&ws, G, TH, f, f, &c);
      if (check)
        FUNCTION(ogd_stats_add)(&st, &ws, TH, th0, f, G, L);
      if (j == 0 && f == 0)
        r_set(st.G0, G);
      for (size_t q = 0; q < P; q++) /* theta += eta <f, grad h> (= -eta grad R^f) */
        r_fma(mat_at(TH, f, q), vec_at(ws.g, q), eta, mat_at(TH, f, q));
    }
    if (j == 0)
      r_div_double(st.e0, st.c2, (double)n);
    if (check && (j > 0 || !c.skip_t0))
      status = FUNCTION(ogd_row)(out, &st, &c, c.eta * (double)j, L, ws.acc, prec);
  }
  tc_record_note(out, "d = %u, |F| = %zu parities, width %zu, eta %g, L = %g", c.d, n, c.width, c.eta, L);
done:
  free(theta);
  vec_free(ws.z);
  vec_free(ws.s);
  vec_free(ws.g);
  mat_free(TH);
  vec_free(th0);
  for (size_t i = 0; i < 10; i++)
    r_clear(rs[i]);
  r_clear(G);
  r_clear(eta);
  return status;
}

#undef OGD_PREC
