/* objective_source.h — the `objective` measurement, written once in the
 * generic names of the operation list (src/num/tc_templates_on.h) and
 * instantiated per backend by objective.c (which documents the module).
 *
 * Forward-mode automatic differentiation with hyper-dual numbers
 * a + b e1 + c e2 + d e1 e2 (e1^2 = e2^2 = 0): evaluating the summand's
 * straight-line program (tc_expr_compile) at x + e1 u + e2 v gives f(x),
 * the directional derivatives grad f . u and grad f . v, and the mixed
 * second derivative u^T H v, exactly up to rounding (no step size, unlike
 * finite differences).  With u = e_i over i = 1..d: the gradient and H v
 * in d passes.  Every operation is a unary function g applied by the
 * chain rule, r = g(a) + g'(a) a' + g''(a) a1 a2 e1 e2, or a product. */

typedef struct {
  REAL v, a, b, ab; /* value, d/de1, d/de2, d2/de1de2 */
} FUNCTION(obj_hd);

/* Per-measurement scratch: one hyper-dual per instruction and input, the
 * literals, data and parameters at the backend's precision.  Owned by one
 * thread (modules keep no shared mutable state). */
typedef struct {
  const tc_objective *o;
  mpfr_prec_t prec;
  size_t d, nin;
  FUNCTION(obj_hd) *w, *in;
  REAL *lit, *data;
  REAL g0, g1, g2, t, fs;
  VEC *u, *g, *hv; /* scratch vectors of the optimisers */
} FUNCTION(obj_ctx);

static void FUNCTION(obj_hd_init)(FUNCTION(obj_hd) *h, size_t n, mpfr_prec_t prec)
{
  for (size_t i = 0; i < n; i++) {
    r_init(h[i].v, prec);
    r_init(h[i].a, prec);
    r_init(h[i].b, prec);
    r_init(h[i].ab, prec);
  }
}

static void FUNCTION(obj_hd_clear)(FUNCTION(obj_hd) *h, size_t n)
{
  for (size_t i = 0; h && i < n; i++) {
    r_clear(h[i].v);
    r_clear(h[i].a);
    r_clear(h[i].b);
    r_clear(h[i].ab);
  }
  free(h);
}

static void FUNCTION(obj_ctx_free)(FUNCTION(obj_ctx) *c)
{
  if (c == NULL)
    return;
  const tc_objective *o = c->o;
  FUNCTION(obj_hd_clear)(c->w, c->w ? o->prog->n : 0);
  FUNCTION(obj_hd_clear)(c->in, c->in ? c->nin + 1 : 0);
  for (size_t i = 0; c->lit && i < o->prog->n; i++)
    r_clear(c->lit[i]);
  for (size_t i = 0; c->data && i < o->nrows * o->ncols; i++)
    r_clear(c->data[i]);
  free(c->lit);
  free(c->data);
  r_clear(c->g0);
  r_clear(c->g1);
  r_clear(c->g2);
  r_clear(c->t);
  r_clear(c->fs);
  vec_free(c->u);
  vec_free(c->g);
  vec_free(c->hv);
  free(c);
}

/* The context of objective o at precision prec, with the claim's
 * parameters read from point p (each must be numeric). */
static int FUNCTION(obj_ctx_alloc)(FUNCTION(obj_ctx) **out, const tc_objective *o,
                                   const tc_point *p, mpfr_prec_t prec, char *err, size_t errlen)
{
  FUNCTION(obj_ctx) *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TC_ENOMEM;
  c->o = o;
  c->prec = prec;
  c->d = o->nvars;
  c->nin = o->nvars + o->ncols + o->nparams;
  r_init(c->g0, prec);
  r_init(c->g1, prec);
  r_init(c->g2, prec);
  r_init(c->t, prec);
  r_init(c->fs, prec);
  size_t cells = o->nrows * o->ncols;
  c->w = malloc(o->prog->n * sizeof *c->w);
  c->in = malloc((c->nin + 1) * sizeof *c->in); /* + a spare for pow, div */
  c->lit = malloc(o->prog->n * sizeof *c->lit);
  c->data = malloc((cells ? cells : 1) * sizeof *c->data);
  c->u = vec_alloc(c->d, prec);
  c->g = vec_alloc(c->d, prec);
  c->hv = vec_alloc(c->d, prec);
  if (!c->w || !c->in || !c->lit || !c->data || !c->u || !c->g || !c->hv) {
    free(c->w), free(c->in), free(c->lit), free(c->data);
    c->w = c->in = NULL, c->lit = c->data = NULL;
    FUNCTION(obj_ctx_free)(c);
    return TC_ENOMEM;
  }
  FUNCTION(obj_hd_init)(c->w, o->prog->n, prec);
  FUNCTION(obj_hd_init)(c->in, c->nin + 1, prec);
  for (size_t i = 0; i < o->prog->n; i++) {
    r_init(c->lit[i], prec);
    if (o->prog->code[i].op == TC_EXPR_OP_NUM)
      FUNCTION(obj_set_str)(c->lit[i], o->prog->code[i].text);
  }
  for (size_t i = 0; i < cells; i++) {
    r_init(c->data[i], prec);
    FUNCTION(obj_set_str)(c->data[i], o->data_text[i]);
  }
  *out = c;
  for (size_t k = 0; k < o->nparams; k++) {
    double v;
    if (tc_point_get(&v, p, o->params[k]) != TC_SUCCESS) {
      snprintf(err, errlen, "objective parameter %s must be a number, got %s", o->params[k],
               tc_point_text(p, o->params[k]) ? tc_point_text(p, o->params[k]) : "(missing)");
      return TC_EDOM;
    }
    FUNCTION(obj_set_str)(c->in[o->nvars + o->ncols + k].v, tc_point_text(p, o->params[k]));
  }
  return TC_SUCCESS;
}

/* r <- g(a) by the chain rule, with g, g', g'' at a.v in c->g0..g2. */
static void FUNCTION(obj_chain)(FUNCTION(obj_ctx) *c, FUNCTION(obj_hd) *r,
                                const FUNCTION(obj_hd) *a)
{
  r_mul(r->ab, c->g1, a->ab);
  r_mul(c->t, a->a, a->b);
  r_fma(r->ab, c->g2, c->t, r->ab);
  r_mul(r->a, c->g1, a->a);
  r_mul(r->b, c->g1, a->b);
  r_set(r->v, c->g0);
}

static void FUNCTION(obj_mul)(FUNCTION(obj_ctx) *c, FUNCTION(obj_hd) *r, const FUNCTION(obj_hd) *a,
                              const FUNCTION(obj_hd) *b)
{
  r_mul(r->ab, a->v, b->ab);
  r_fma(r->ab, a->a, b->b, r->ab);
  r_fma(r->ab, a->b, b->a, r->ab);
  r_fma(r->ab, a->ab, b->v, r->ab);
  r_mul(r->a, a->v, b->a);
  r_fma(r->a, a->a, b->v, r->a);
  r_mul(r->b, a->v, b->b);
  r_fma(r->b, a->b, b->v, r->b);
  r_mul(r->v, a->v, b->v);
  (void)c;
}

/* g0..g2 of the elementary functions at x (c->t is free here). */
static void FUNCTION(obj_elementary)(FUNCTION(obj_ctx) *c, tc_expr_op op, REAL_SRCPTR x)
{
  switch (op) {
  case TC_EXPR_OP_SQRT: /* g' = 1/(2 g), g'' = -g'/(2x) */
    r_sqrt(c->g0, x);
    r_mul_double(c->g1, c->g0, 2.0);
    r_set_double(c->t, 1.0);
    r_div(c->g1, c->t, c->g1);
    r_div(c->g2, c->g1, x);
    r_mul_double(c->g2, c->g2, -0.5);
    break;
  case TC_EXPR_OP_EXP:
    r_exp(c->g0, x);
    r_set(c->g1, c->g0);
    r_set(c->g2, c->g0);
    break;
  case TC_EXPR_OP_LOG:
    r_log(c->g0, x);
    r_set_double(c->t, 1.0);
    r_div(c->g1, c->t, x);
    r_sqr(c->g2, c->g1);
    r_neg(c->g2, c->g2);
    break;
  case TC_EXPR_OP_ABS: /* |x|'' = 0 away from 0; at 0 the kink is a subgradient 0 */
    r_abs(c->g0, x);
    r_set_si(c->g1, r_sgn(x));
    r_set_si(c->g2, 0);
    break;
  case TC_EXPR_OP_ERF: /* g' = 2/sqrt(pi) exp(-x^2), g'' = -2 x g' */
    r_erf(c->g0, x);
    r_sqr(c->g1, x);
    r_neg(c->g1, c->g1);
    r_exp(c->g1, c->g1);
    r_pi(c->t);
    r_sqrt(c->t, c->t);
    r_div(c->g1, c->g1, c->t);
    r_mul_double(c->g1, c->g1, 2.0);
    r_mul(c->g2, c->g1, x);
    r_mul_double(c->g2, c->g2, -2.0);
    break;
  case TC_EXPR_OP_SIN:
  case TC_EXPR_OP_COS: /* sin' = cos, sin'' = -sin; cos' = -sin, cos'' = -cos */
    r_sin(c->g0, x);
    FUNCTION(obj_cos)(c->g1, x);
    r_neg(c->g2, c->g0);
    if (op == TC_EXPR_OP_COS) {
      r_set(c->t, c->g0);
      r_set(c->g0, c->g1);
      r_neg(c->g1, c->t);
      r_neg(c->g2, c->g0);
    }
    break;
  case TC_EXPR_OP_TANH: /* g' = 1 - g^2, g'' = -2 g g' */
    FUNCTION(obj_tanh)(c->g0, x);
    r_sqr(c->g1, c->g0);
    r_neg(c->g1, c->g1);
    r_add_double(c->g1, c->g1, 1.0);
    r_mul(c->g2, c->g0, c->g1);
    r_mul_double(c->g2, c->g2, -2.0);
    break;
  default: /* floor, ceil: piecewise constant */
    FUNCTION(obj_round)(c->g0, x, op == TC_EXPR_OP_FLOOR);
    r_set_si(c->g1, 0);
    r_set_si(c->g2, 0);
    break;
  }
}

static int FUNCTION(obj_hd_const)(const FUNCTION(obj_hd) *h)
{
  return r_sgn(h->a) == 0 && r_sgn(h->b) == 0 && r_sgn(h->ab) == 0;
}

/* a^b.  A constant exponent p uses g = a^p, p a^(p-1), p (p-1) a^(p-2)
 * (so x^2 is smooth at x = 0 and (-2)^3 is defined); a varying one is
 * exp(b log a), defined for a > 0 only. */
static void FUNCTION(obj_pow)(FUNCTION(obj_ctx) *c, FUNCTION(obj_hd) *r, const FUNCTION(obj_hd) *a,
                              const FUNCTION(obj_hd) *b)
{
  if (FUNCTION(obj_hd_const)(b)) {
    r_pow(c->g0, a->v, b->v);
    r_add_double(c->t, b->v, -1.0);
    r_pow(c->g1, a->v, c->t);
    r_mul(c->g1, c->g1, b->v);
    r_add_double(c->t, b->v, -2.0);
    r_pow(c->g2, a->v, c->t);
    r_mul(c->g2, c->g2, b->v);
    r_add_double(c->t, b->v, -1.0);
    r_mul(c->g2, c->g2, c->t);
    if (r_sgn(b->v) == 0)
      r_set_si(c->g1, 0);
    if (r_sgn(b->v) == 0 || r_sgn(c->t) == 0) /* p = 0 or 1: no curvature (0 * Inf at a = 0) */
      r_set_si(c->g2, 0);
    FUNCTION(obj_chain)(c, r, a);
    return;
  }
  FUNCTION(obj_elementary)(c, TC_EXPR_OP_LOG, a->v);
  FUNCTION(obj_chain)(c, r, a);         /* r = log a */
  FUNCTION(obj_hd) *s = &c->in[c->nin]; /* the spare slot (obj_ctx_alloc) */
  FUNCTION(obj_mul)(c, s, r, b);        /* s = b log a */
  FUNCTION(obj_elementary)(c, TC_EXPR_OP_EXP, s->v);
  FUNCTION(obj_chain)(c, r, s);
}

static void FUNCTION(obj_binary)(FUNCTION(obj_ctx) *c, FUNCTION(obj_hd) *r, tc_expr_op op,
                                 const FUNCTION(obj_hd) *a, const FUNCTION(obj_hd) *b)
{
  switch (op) {
  case TC_EXPR_OP_ADD:
  case TC_EXPR_OP_SUB: {
    void (*f)(REAL_PTR, REAL_SRCPTR, REAL_SRCPTR) = op == TC_EXPR_OP_ADD ? r_add : r_sub;
    f(r->v, a->v, b->v);
    f(r->a, a->a, b->a);
    f(r->b, a->b, b->b);
    f(r->ab, a->ab, b->ab);
    break;
  }
  case TC_EXPR_OP_MUL:
    FUNCTION(obj_mul)(c, r, a, b);
    break;
  case TC_EXPR_OP_DIV: { /* a * (1/b): 1/y has g' = -g^2, g'' = 2 g^3 */
    FUNCTION(obj_hd) *s = &c->in[c->nin];
    r_set_double(c->t, 1.0);
    r_div(c->g0, c->t, b->v);
    r_sqr(c->g1, c->g0);
    r_mul(c->g2, c->g1, c->g0);
    r_mul_double(c->g2, c->g2, 2.0);
    r_neg(c->g1, c->g1);
    FUNCTION(obj_chain)(c, s, b);
    FUNCTION(obj_mul)(c, r, a, s);
    break;
  }
  case TC_EXPR_OP_POW:
    FUNCTION(obj_pow)(c, r, a, b);
    break;
  default: { /* min, max: the derivative of the argument chosen (the first on a tie) */
    int cmp = r_cmp(a->v, b->v);
    const FUNCTION(obj_hd) *s = (op == TC_EXPR_OP_MIN ? cmp <= 0 : cmp >= 0) ? a : b;
    r_set(r->v, s->v);
    r_set(r->a, s->a);
    r_set(r->b, s->b);
    r_set(r->ab, s->ab);
    break;
  }
  }
}

/* Run the program on the inputs c->in; the result is c->w[n - 1]. */
static void FUNCTION(obj_run)(FUNCTION(obj_ctx) *c)
{
  const tc_expr_prog *p = c->o->prog;
  for (size_t i = 0; i < p->n; i++) {
    const tc_expr_instr *in = &p->code[i];
    FUNCTION(obj_hd) *r = &c->w[i];
    switch (in->op) {
    case TC_EXPR_OP_NUM:
    case TC_EXPR_OP_PI:
    case TC_EXPR_OP_E:
      if (in->op == TC_EXPR_OP_NUM)
        r_set(r->v, c->lit[i]);
      else if (in->op == TC_EXPR_OP_PI)
        r_pi(r->v);
      else {
        r_set_double(r->v, 1.0);
        r_exp(r->v, r->v);
      }
      r_set_si(r->a, 0);
      r_set_si(r->b, 0);
      r_set_si(r->ab, 0);
      break;
    case TC_EXPR_OP_INPUT:
      r_set(r->v, c->in[in->input].v);
      r_set(r->a, c->in[in->input].a);
      r_set(r->b, c->in[in->input].b);
      r_set(r->ab, c->in[in->input].ab);
      break;
    case TC_EXPR_OP_NEG:
      r_neg(r->v, c->w[in->a].v);
      r_neg(r->a, c->w[in->a].a);
      r_neg(r->b, c->w[in->a].b);
      r_neg(r->ab, c->w[in->a].ab);
      break;
    case TC_EXPR_OP_ADD: case TC_EXPR_OP_SUB: case TC_EXPR_OP_MUL: case TC_EXPR_OP_DIV:
    case TC_EXPR_OP_POW: case TC_EXPR_OP_MIN: case TC_EXPR_OP_MAX:
      FUNCTION(obj_binary)(c, r, in->op, &c->w[in->a], &c->w[in->b]);
      break;
    default:
      FUNCTION(obj_elementary)(c, in->op, c->w[in->a].v);
      FUNCTION(obj_chain)(c, r, &c->w[in->a]);
      break;
    }
  }
}

/* f (mean of the summand over the data rows, or row `row` alone when
 * row >= 0), and when g != NULL its gradient, and when hv != NULL also
 * H v.  d passes (one when only f is asked).  TC_ENONFINITE if a value is
 * NaN or infinite (a domain error such as log of a negative). */
static int FUNCTION(obj_eval)(FUNCTION(obj_ctx) *c, long row, const VEC *x, const VEC *v,
                              REAL_PTR f, VEC *g, VEC *hv)
{
  const tc_objective *o = c->o;
  size_t r0 = row >= 0 ? (size_t)row : 0;
  size_t r1 = row >= 0 ? r0 + 1 : (o->nrows ? o->nrows : 1);
  size_t passes = g || hv ? c->d : 1;
  r_set_si(f, 0);
  if (g)
    vec_set_zero(g);
  if (hv)
    vec_set_zero(hv);
  for (size_t i = 0; i < passes; i++) {
    for (size_t j = 0; j < c->d; j++) {
      r_set(c->in[j].v, vec_at(x, j));
      r_set_si(c->in[j].a, (g || hv) && j == i);
      if (hv)
        r_set(c->in[j].b, vec_at(v, j));
      else
        r_set_si(c->in[j].b, 0);
    }
    for (size_t rw = r0; rw < r1; rw++) {
      for (size_t k = 0; k < o->ncols; k++)
        r_set(c->in[c->d + k].v, c->data[rw * o->ncols + k]);
      FUNCTION(obj_run)(c);
      const FUNCTION(obj_hd) *res = &c->w[o->prog->n - 1];
      if (i == 0)
        r_add(f, f, res->v);
      if (g)
        r_add(vec_at(g, i), vec_at(g, i), res->a);
      if (hv)
        r_add(vec_at(hv, i), vec_at(hv, i), res->ab);
    }
  }
  double n = (double)(r1 - r0);
  r_div_double(f, f, n);
  int finite = r_is_finite(f);
  for (size_t j = 0; j < c->d; j++) {
    if (g) {
      r_div_double(vec_at(g, j), vec_at(g, j), n);
      finite = finite && r_is_finite(vec_at(g, j));
    }
    if (hv) {
      r_div_double(vec_at(hv, j), vec_at(hv, j), n);
      finite = finite && r_is_finite(vec_at(hv, j));
    }
  }
  return finite ? TC_SUCCESS : TC_ENONFINITE;
}

/* ---- per-point data: x_0, f*, and the stated constants checked -------- */

typedef struct {
  VEC *x0;
  REAL fstar, fstar_err; /* f* and a bound on |computed f* - f*| */
  REAL mu_hat, L_hat;    /* smallest PL ratio and largest curvature found */
  char where[256];       /* what was found where, for the note */
} FUNCTION(obj_shared);

static void FUNCTION(obj_shared_free)(void *p)
{
  FUNCTION(obj_shared) *s = p;
  if (s == NULL)
    return;
  vec_free(s->x0);
  r_clear(s->fstar);
  r_clear(s->fstar_err);
  r_clear(s->mu_hat);
  r_clear(s->L_hat);
  free(s);
}

/* Value of a parameter expression (start, fstar) at the backend's
 * precision: evaluated in MPFR at prec bits (53 for double). */
static int FUNCTION(obj_param_expr)(REAL_PTR r, const tc_expr *e, const tc_point *p,
                                    mpfr_prec_t prec, char *err, size_t errlen)
{
  mpfr_t v;
  mpfr_init2(v, prec);
  char msg[128];
  int status = tc_expr_eval(v, e, obj_point_lookup, (void *)p, msg, sizeof msg);
  if (status == TC_SUCCESS && !mpfr_number_p(v))
    status = TC_ENONFINITE;
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "objective: start or fstar is not a finite number (%s)", msg);
  else
    FUNCTION(obj_from_mpfr)(r, v);
  mpfr_clear(v);
  return status;
}

/* The rounding unit of the backend. */
static double FUNCTION(obj_unit)(mpfr_prec_t prec);

/* ||g||^2 into r. */
static void FUNCTION(obj_norm2sq)(REAL_PTR r, const VEC *g)
{
  r_set_si(r, 0);
  for (size_t j = 0; j < g->n; j++)
    r_fma(r, vec_at(g, j), vec_at(g, j), r);
}

/* Newton step by conjugate gradients on H p = -g with H v products (at
 * most 2d of them): p into c->u.  0 when the curvature met is not
 * positive (p is then the CG iterate so far). */
static int FUNCTION(obj_newton_cg)(FUNCTION(obj_ctx) *c, const VEC *x, const VEC *g, VEC *p,
                                   VEC *r, VEC *dir)
{
  REAL rr, rr1, dhd, alpha;
  r_init(rr, c->prec), r_init(rr1, c->prec), r_init(dhd, c->prec), r_init(alpha, c->prec);
  vec_set_zero(p);
  for (size_t j = 0; j < c->d; j++) {
    r_neg(vec_at(r, j), vec_at(g, j));
    r_set(vec_at(dir, j), vec_at(r, j));
  }
  FUNCTION(obj_norm2sq)(rr, r);
  int ok = 1;
  for (size_t it = 0; it < 2 * c->d && r_sgn(rr) > 0; it++) {
    if (FUNCTION(obj_eval)(c, -1, x, dir, c->fs, NULL, c->hv) != TC_SUCCESS)
      break;
    vec_dot(dhd, dir, c->hv);
    if (r_sgn(dhd) <= 0) {
      ok = 0;
      break;
    }
    r_div(alpha, rr, dhd);
    vec_axpy(p, alpha, dir);
    r_neg(alpha, alpha);
    vec_axpy(r, alpha, c->hv);
    FUNCTION(obj_norm2sq)(rr1, r);
    r_div(alpha, rr1, rr);
    vec_scale(dir, alpha);
    r_set_double(alpha, 1.0);
    vec_axpy(dir, alpha, r);
    r_set(rr, rr1);
  }
  r_clear(rr), r_clear(rr1), r_clear(dhd), r_clear(alpha);
  return ok;
}

/* A rounding allowance for f at x: ops * u * |f| (the summand's
 * instructions, each rounding once, on terms no larger than |f| up to
 * cancellation; see the module's header for when that is optimistic). */
static void FUNCTION(obj_round_err)(FUNCTION(obj_ctx) *c, REAL_PTR r, REAL_SRCPTR f)
{
  r_abs(r, f);
  r_mul_double(r, r, 8.0 * (double)c->o->prog->n * FUNCTION(obj_unit)(c->prec));
}

/* The minimisation must have converged for f(y) to stand for f*: its
 * error ||grad f(y)||^2/(2 mu) (valid only under PL) must be small against
 * the decrease f(x_0) - f(y) (relative 1e-6), or at the rounding level of
 * f(y) (1000 times).  Else f is unbounded below (-x^2 runs off to -1e70
 * with an error larger still), or not PL along the way, and every row
 * would sit inside that error: a vacuous PASS.  TC_EDOM then. */
static int FUNCTION(obj_fstar_converged)(const FUNCTION(obj_shared) *sh, REAL_SRCPTR f0,
                                         REAL_SRCPTR gn, REAL_SRCPTR round, char *err,
                                         size_t errlen)
{
  double fy = r_get_double(sh->fstar), e = r_get_double(sh->fstar_err);
  double drop = r_get_double(f0) - fy, grad_part = e - r_get_double(round);
  if (isfinite(fy) && isfinite(e) && (grad_part <= 1e-6 * drop || grad_part <= 1000.0 * r_get_double(round)))
    return TC_SUCCESS;
  snprintf(err, errlen, "hypothesis violated: computing f* did not converge from x_0: f(y) = %.6g "
           "with ||grad f(y)||^2 = %.3g (error bound %.3g against a decrease of %.3g); f may be "
           "unbounded below or not PL (give fstar if it is known)", fy, r_get_double(gn), e, drop);
  return TC_EDOM;
}

/* f* by minimisation from x_0: gradient steps of 1/L while f decreases
 * (at most 200), then Newton-CG steps (H v by AD) while ||grad f||
 * decreases (at most 60).  Under the PL condition with the stated mu,
 * f(y) - ||grad f(y)||^2/(2 mu) <= f* <= f(y), so f* = f(y) with error
 * ||grad f(y)||^2/(2 mu) plus the rounding of f(y); the stated mu is
 * itself checked (obj_check_constants). */
static int FUNCTION(obj_fstar)(FUNCTION(obj_ctx) *c, const obj_config *cfg, FUNCTION(obj_shared) *sh,
                               char *err, size_t errlen)
{
  size_t d = c->d;
  VEC *y = vec_alloc(d, c->prec), *yt = vec_alloc(d, c->prec), *g = vec_alloc(d, c->prec),
      *gt = vec_alloc(d, c->prec), *p = vec_alloc(d, c->prec), *r = vec_alloc(d, c->prec),
      *dir = vec_alloc(d, c->prec);
  REAL f, ft, gn, gnt, s, f0;
  r_init(f, c->prec), r_init(ft, c->prec), r_init(gn, c->prec), r_init(gnt, c->prec);
  r_init(s, c->prec), r_init(f0, c->prec);
  int status = TC_ENOMEM;
  if (!y || !yt || !g || !gt || !p || !r || !dir)
    goto done;
  vec_copy(y, sh->x0);
  TC_TRY(FUNCTION(obj_eval)(c, -1, y, NULL, f, g, NULL));
  r_set(f0, f);
  r_set_double(s, -1.0 / cfg->L);
  for (int it = 0; it < 200; it++) {
    vec_copy(yt, y);
    vec_axpy(yt, s, g);
    if (FUNCTION(obj_eval)(c, -1, yt, NULL, ft, gt, NULL) != TC_SUCCESS || r_cmp(ft, f) >= 0)
      break;
    vec_copy(y, yt), vec_copy(g, gt), r_set(f, ft);
  }
  FUNCTION(obj_norm2sq)(gn, g);
  for (int it = 0; it < 60 && r_sgn(gn) > 0; it++) {
    FUNCTION(obj_newton_cg)(c, y, g, p, r, dir);
    vec_copy(yt, y);
    r_set_double(s, 1.0);
    vec_axpy(yt, s, p);
    if (FUNCTION(obj_eval)(c, -1, yt, NULL, ft, gt, NULL) != TC_SUCCESS)
      break;
    FUNCTION(obj_norm2sq)(gnt, gt);
    if (r_cmp(gnt, gn) >= 0)
      break;
    vec_copy(y, yt), vec_copy(g, gt), r_set(f, ft), r_set(gn, gnt);
  }
  r_set(sh->fstar, f);
  r_div_double(sh->fstar_err, gn, 2.0 * cfg->mu);
  FUNCTION(obj_round_err)(c, s, f);
  r_add(sh->fstar_err, sh->fstar_err, s);
  status = FUNCTION(obj_fstar_converged)(sh, f0, gn, s, err, errlen);
  if (status != TC_SUCCESS)
    goto out;
done:
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "objective: computing f* failed (%s): f is not finite near x_0",
             tc_strerror(status));
out:
  vec_free(y), vec_free(yt), vec_free(g), vec_free(gt), vec_free(p), vec_free(r), vec_free(dir);
  r_clear(f), r_clear(ft), r_clear(gn), r_clear(gnt), r_clear(s), r_clear(f0);
  return status;
}

/* The PL ratio ||grad f||^2 / (2 (f - f*)) at x into r (+Inf where f - f*
 * is within 1000 times its error: there the ratio is rounding noise).
 * TC_EDOM when f(x) < f* beyond the error: the stated or computed f* is
 * not the minimum. */
static int FUNCTION(obj_pl_ratio)(FUNCTION(obj_ctx) *c, const FUNCTION(obj_shared) *sh, const VEC *x,
                                  VEC *g, REAL_PTR r, REAL_PTR gap, REAL_PTR tmp)
{
  int status = FUNCTION(obj_eval)(c, -1, x, NULL, c->fs, g, NULL);
  if (status != TC_SUCCESS)
    return status;
  r_sub(gap, c->fs, sh->fstar);
  FUNCTION(obj_round_err)(c, tmp, c->fs);
  r_add(tmp, tmp, sh->fstar_err);
  r_neg(r, tmp);
  if (r_cmp(gap, r) < 0)
    return TC_EDOM;
  r_mul_double(tmp, tmp, 1000.0);
  if (r_cmp(gap, tmp) <= 0) {
    r_set_double(r, INFINITY);
    return TC_SUCCESS;
  }
  /* Divide by gap less its error: an upper estimate of the ratio, so a
   * violation is declared only when even that is below mu. */
  r_div_double(tmp, tmp, 1000.0);
  r_sub(tmp, gap, tmp);
  FUNCTION(obj_norm2sq)(r, g);
  r_div(r, r, tmp);
  r_div_double(r, r, 2.0);
  return TC_SUCCESS;
}

/* ||H(x)|| from below: power iteration with H v products (exact in one
 * step for d = 1); ||H v|| <= ||H|| for a unit v, so a value above the
 * stated L is a true violation. */
static int FUNCTION(obj_curvature)(FUNCTION(obj_ctx) *c, const VEC *x, VEC *v, REAL_PTR lam)
{
  r_set_double(lam, 1.0 / sqrt((double)c->d));
  for (size_t j = 0; j < c->d; j++)
    r_set(vec_at(v, j), lam);
  int iters = c->d == 1 ? 1 : 40, status = TC_SUCCESS;
  for (int it = 0; it < iters; it++) {
    if ((status = FUNCTION(obj_eval)(c, -1, x, v, c->fs, c->g, c->hv)) != TC_SUCCESS)
      return status;
    FUNCTION(obj_norm2sq)(lam, c->hv);
    r_sqrt(lam, lam);
    if (r_sgn(lam) == 0)
      return TC_SUCCESS;
    vec_copy(v, c->hv);
    r_set_double(c->t, 1.0);
    r_div(c->t, c->t, lam);
    vec_scale(v, c->t);
  }
  return status;
}

/* Worst-case search state for one constant: the best point so far. */
typedef struct {
  VEC *best, *gbest; /* gbest: the gradient at best (curvature probe) */
  int has_g;
  REAL val;
  int fails;
  double sigma;
} FUNCTION(obj_probe);

/* The gradient's difference quotient ||g(x) - g(b)|| / ||x - b|| against
 * the best point b so far, less the rounding of the difference, into q:
 * a lower estimate of the Lipschitz constant of the gradient (mean value
 * theorem) that also sees kinks (abs, max) where the Hessian is 0.  0
 * when the points are too close for the difference to be resolved. */
static void FUNCTION(obj_quotient)(FUNCTION(obj_ctx) *c, const VEC *x, const VEC *gx,
                                   const FUNCTION(obj_probe) *pr, REAL_PTR q)
{
  double xn = 0, gn = 0;
  r_set_si(c->fs, 0);
  r_set_si(q, 0);
  for (size_t j = 0; j < c->d; j++) {
    r_sub(c->t, vec_at(x, j), vec_at(pr->best, j));
    r_fma(c->fs, c->t, c->t, c->fs);
    r_sub(c->t, vec_at(gx, j), vec_at(pr->gbest, j));
    r_fma(q, c->t, c->t, q);
    xn = fmax(xn, fabs(r_get_double(vec_at(x, j))));
    gn += fabs(r_get_double(vec_at(gx, j))) + fabs(r_get_double(vec_at(pr->gbest, j)));
  }
  r_sqrt(c->fs, c->fs);
  r_sqrt(q, q);
  if (r_get_double(c->fs) < 1e-4 * (1 + xn)) {
    r_set_si(q, 0);
    return;
  }
  r_add_double(q, q, -64.0 * (double)c->o->prog->n * FUNCTION(obj_unit)(c->prec) * gn);
  r_div(q, q, c->fs);
  if (r_sgn(q) < 0)
    r_set_si(q, 0);
}

/* Probe x for constant `which` (0: the PL ratio, to minimise; 1: the
 * curvature, to maximise); keep x as the best point when it is worse for
 * the stated constant. */
static int FUNCTION(obj_probe_at)(FUNCTION(obj_ctx) *c, const FUNCTION(obj_shared) *sh, int which,
                                  const VEC *x, FUNCTION(obj_probe) *pr, VEC *g, REAL_PTR r,
                                  REAL_PTR gap, REAL_PTR tmp)
{
  int status = which == 0 ? FUNCTION(obj_pl_ratio)(c, sh, x, g, r, gap, tmp)
                          : FUNCTION(obj_curvature)(c, x, g, r);
  if (status != TC_SUCCESS)
    return status;
  if (which == 1 && pr->has_g) { /* c->g is grad f(x) here */
    FUNCTION(obj_quotient)(c, x, c->g, pr, tmp);
    if (r_cmp(tmp, r) > 0)
      r_set(r, tmp);
  }
  int cmp = r_cmp(r, pr->val);
  if ((which == 0 ? cmp < 0 : cmp > 0) || (which == 1 && !pr->has_g)) {
    r_set(pr->val, r);
    vec_copy(pr->best, x);
    if (which == 1) {
      vec_copy(pr->gbest, c->g);
      pr->has_g = 1;
    }
    pr->fails = 0;
  } else if (++pr->fails % 5 == 0) {
    pr->sigma /= 2;
  }
  return TC_SUCCESS;
}

/* Sampled points (x_0, then `samples` uniform in the box [-radius,
 * radius]^d), then `search` steps of a Gaussian local search from the
 * worst point for each constant (the step halves after every 5 failures).
 * The draws come from an RNG seeded by the point, in double, so both
 * backends probe the same candidates. */
static int FUNCTION(obj_search_constants)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                                          FUNCTION(obj_shared) *sh, gsl_rng *rng,
                                          FUNCTION(obj_probe) pr[2])
{
  size_t d = c->d;
  VEC *x = vec_alloc(d, c->prec), *g = vec_alloc(d, c->prec);
  REAL r, gap, tmp;
  r_init(r, c->prec), r_init(gap, c->prec), r_init(tmp, c->prec);
  int status = x && g ? TC_SUCCESS : TC_ENOMEM;
  for (long s = 0; status == TC_SUCCESS && s <= cfg->samples; s++) {
    for (size_t j = 0; j < d; j++)
      if (s == 0)
        r_set(vec_at(x, j), vec_at(sh->x0, j));
      else
        r_set_double(vec_at(x, j), cfg->radius * (2 * gsl_rng_uniform(rng) - 1));
    for (int w = 0; w < 2 && status == TC_SUCCESS; w++)
      status = FUNCTION(obj_probe_at)(c, sh, w, x, &pr[w], g, r, gap, tmp);
  }
  for (int w = 0; w < 2; w++) {
    pr[w].sigma = cfg->radius / 4;
    pr[w].fails = 0;
    for (long s = 0; status == TC_SUCCESS && s < cfg->search; s++) {
      vec_copy(x, pr[w].best);
      for (size_t j = 0; j < d; j++) {
        r_set_double(tmp, pr[w].sigma * gsl_ran_gaussian_ziggurat(rng, 1.0));
        r_add(vec_at(x, j), vec_at(x, j), tmp);
      }
      status = FUNCTION(obj_probe_at)(c, sh, w, x, &pr[w], g, r, gap, tmp);
      if (status == TC_ENONFINITE) /* a search step may leave the domain of f */
        status = TC_SUCCESS;
    }
  }
  vec_free(x), vec_free(g);
  r_clear(r), r_clear(gap), r_clear(tmp);
  return status;
}

/* Coordinates of x for messages (the first 4). */
static void FUNCTION(obj_point_text)(char *buf, size_t len, const VEC *x)
{
  size_t at = 0;
  for (size_t j = 0; j < x->n && j < 4 && at < len; j++)
    at += (size_t)snprintf(buf + at, len - at, "%s%.6g", j ? ", " : "", r_get_double(vec_at(x, j)));
  if (x->n > 4 && at < len)
    snprintf(buf + at, len - at, ", ...");
}

/* mu_hat, L_hat; TC_EDOM with the point when the stated mu or L (or f*)
 * does not hold: a claim whose hypotheses fail must not pass. */
static int FUNCTION(obj_check_constants)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                                         FUNCTION(obj_shared) *sh, gsl_rng *rng, char *err,
                                         size_t errlen)
{
  FUNCTION(obj_probe) pr[2];
  for (int w = 0; w < 2; w++) {
    pr[w].best = vec_alloc(c->d, c->prec);
    pr[w].gbest = vec_alloc(c->d, c->prec);
    pr[w].has_g = 0;
    r_init(pr[w].val, c->prec);
    r_set_double(pr[w].val, w == 0 ? INFINITY : 0.0);
    pr[w].fails = 0;
    pr[w].sigma = cfg->radius / 4;
    if (pr[w].best)
      vec_copy(pr[w].best, sh->x0);
  }
  int status = pr[0].best && pr[1].best && pr[1].gbest
                   ? FUNCTION(obj_search_constants)(c, cfg, sh, rng, pr)
                                        : TC_ENOMEM;
  char at0[96], at1[96];
  FUNCTION(obj_point_text)(at0, sizeof at0, pr[0].best);
  FUNCTION(obj_point_text)(at1, sizeof at1, pr[1].best);
  double mu_hat = r_get_double(pr[0].val), L_hat = r_get_double(pr[1].val);
  r_set(sh->mu_hat, pr[0].val);
  r_set(sh->L_hat, pr[1].val);
  snprintf(sh->where, sizeof sh->where, "min PL ratio %.6g at x = (%.60s); max |H| or gradient quotient %.6g at x = (%.60s)",
           mu_hat, at0, L_hat, at1);
  if (status == TC_EDOM)
    snprintf(err, errlen, "hypothesis violated: f < f* = %.17g beyond its error (fstar is not the "
             "minimum)", r_get_double(sh->fstar));
  else if (status != TC_SUCCESS)
    snprintf(err, errlen, "objective: checking mu and L failed (%s)", tc_strerror(status));
  else if (mu_hat < cfg->mu * (1 - 1e-9)) {
    snprintf(err, errlen, "hypothesis violated: stated mu = %g is not a PL constant: "
             "||grad f||^2 / (2 (f - f*)) = %.6g at x = (%.60s)", cfg->mu, mu_hat, at0);
    status = TC_EDOM;
  } else if (L_hat > cfg->L * (1 + 1e-9)) {
    snprintf(err, errlen, "hypothesis violated: stated L = %g is below the Hessian norm or gradient "
             "difference quotient %.6g at x = (%.60s) (the gradient is not L-Lipschitz)", cfg->L, L_hat, at1);
    status = TC_EDOM;
  }
  for (int w = 0; w < 2; w++) {
    vec_free(pr[w].best);
    vec_free(pr[w].gbest);
    r_clear(pr[w].val);
  }
  return status;
}

/* ---- the methods ------------------------------------------------------ */

/* Scratch of one run: the iterate, a gradient, and scalars. */
typedef struct {
  VEC *x, *g;
  REAL f, gap, gap0, step, err, r, tmp;
  REAL mu, L, C; /* the stated constants, from their text (exact in MPFR) */
  double xprev; /* ||x|| at the previous row's point */
} FUNCTION(obj_run_ws);

static void FUNCTION(obj_param_real)(REAL_PTR r, const tc_point *p, const char *name)
{
  const char *text = tc_point_text(p, name);
  if (text)
    FUNCTION(obj_set_str)(r, text);
  else
    r_set_double(r, NAN);
}

static int FUNCTION(obj_ws_init)(FUNCTION(obj_run_ws) *w, const FUNCTION(obj_ctx) *c,
                                 const FUNCTION(obj_shared) *sh, const obj_config *cfg,
                                 const tc_point *p)
{
  w->x = vec_alloc(c->d, c->prec);
  w->g = vec_alloc(c->d, c->prec);
  REAL_PTR s[] = {w->f, w->gap, w->gap0, w->step, w->err, w->r, w->tmp, w->mu, w->L, w->C};
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
    r_init(s[i], c->prec);
  FUNCTION(obj_param_real)(w->mu, p, "mu");
  FUNCTION(obj_param_real)(w->L, p, "L");
  FUNCTION(obj_param_real)(w->C, p, "C");
  if (cfg->has_step) { /* the step as written, or 1/L in the backend */
    FUNCTION(obj_param_real)(w->step, p, "step");
  } else {
    r_set_double(w->step, 1.0);
    r_div(w->step, w->step, w->L);
  }
  w->xprev = 0;
  if (w->x == NULL || w->g == NULL)
    return TC_ENOMEM;
  vec_copy(w->x, sh->x0);
  return TC_SUCCESS;
}

static void FUNCTION(obj_ws_clear)(FUNCTION(obj_run_ws) *w)
{
  vec_free(w->x);
  vec_free(w->g);
  REAL_PTR s[] = {w->f, w->gap, w->gap0, w->step, w->err, w->r, w->tmp, w->mu, w->L, w->C};
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
    r_clear(s[i]);
}

/* gap and its PL ratio at w->x (f and g evaluated; w->f = f(x)); the PL
 * condition is checked along the trajectory too, where the proofs use it. */
static int FUNCTION(obj_gap_at)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                                const FUNCTION(obj_shared) *sh, FUNCTION(obj_run_ws) *w,
                                const char *at, char *err, size_t errlen)
{
  int status = FUNCTION(obj_pl_ratio)(c, sh, w->x, w->g, w->r, w->gap, w->tmp);
  r_set(w->f, c->fs);
  char pt[96];
  FUNCTION(obj_point_text)(pt, sizeof pt, w->x);
  if (status == TC_EDOM) {
    snprintf(err, errlen, "hypothesis violated: f(x) < f* = %.17g beyond its error at %s, "
             "x = (%s) (fstar is not the minimum)", r_get_double(sh->fstar), at, pt);
  } else if (status != TC_SUCCESS) {
    snprintf(err, errlen, "objective is not finite at %s, x = (%s)", at, pt);
  } else if (r_get_double(w->r) < cfg->mu * (1 - 1e-9)) {
    snprintf(err, errlen, "hypothesis violated: stated mu = %g is not a PL constant: "
             "||grad f||^2 / (2 (f - f*)) = %.6g at %s, x = (%s)", cfg->mu,
             r_get_double(w->r), at, pt);
    status = TC_EDOM;
  }
  /* gap_err: rounding of f(x) and of f*, and of the last step: the
   * iterate carries an error delta ~ 4 u (||x_k|| + ||x_{k-1}||) from
   * forming x - s g (earlier roundings are contracted by the later
   * steps), which moves f by about ||g|| delta + L delta^2 / 2.  Without
   * it a double run whose iterate has reached the rounding floor near a
   * minimiser (x^2 + 3 sin^2 x: x_{k+1} ~ x_k^3 / 2 exactly, ~ u x_k in
   * double) differs from the MPFR run by 100%. */
  FUNCTION(obj_round_err)(c, w->err, w->f);
  r_add(w->err, w->err, sh->fstar_err);
  FUNCTION(obj_norm2sq)(w->tmp, w->x);
  double xn = sqrt(r_get_double(w->tmp));
  FUNCTION(obj_norm2sq)(w->tmp, w->g);
  double delta = 4 * FUNCTION(obj_unit)(c->prec) * (xn + w->xprev);
  r_set_double(w->tmp, sqrt(r_get_double(w->tmp)) * delta + cfg->L * delta * delta / 2);
  r_add(w->err, w->err, w->tmp);
  w->xprev = xn;
  return status;
}

/* The row's common values. */
static int FUNCTION(obj_put_common)(tc_record *out, const obj_config *cfg, FUNCTION(obj_run_ws) *w)
{
  int status;
  if ((status = record_put(out, "gap", w->gap)) || (status = record_put(out, "gap0", w->gap0)) ||
      (status = record_put(out, "mu", w->mu)) || (status = record_put(out, "L", w->L)) ||
      (status = record_put(out, "gap_err", w->err)))
    return status;
  if (cfg->has_C && (status = record_put(out, "C", w->C)))
    return status;
  return TC_SUCCESS;
}

/* Gradient descent x_{k+1} = x_k - s grad f(x_k), s = step or 1/L. */
static int FUNCTION(obj_gd)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                            const FUNCTION(obj_shared) *sh, const tc_point *p, tc_record *out,
                            char *err, size_t errlen)
{
  FUNCTION(obj_run_ws) w;
  int status = FUNCTION(obj_ws_init)(&w, c, sh, cfg, p);
  char at[48] = "x_0";
  TC_TRY(status);
  TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
  r_set(w.gap0, w.gap);
  for (long k = 1; k <= cfg->iterations; k++) {
    r_neg(w.tmp, w.step);
    vec_axpy(w.x, w.tmp, w.g);
    snprintf(at, sizeof at, "iterate k = %ld", k);
    TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
    if (!obj_is_checkpoint(k, cfg->iterations, cfg->checkpoints))
      continue;
    TC_TRY(tc_record_put_double(out, "k", (double)k));
    TC_TRY(record_put(out, "step", w.step));
    TC_TRY(FUNCTION(obj_put_common)(out, cfg, &w));
    TC_TRY(tc_record_end_row(out));
  }
done:
  FUNCTION(obj_ws_clear)(&w);
  return status;
}

/* max_i ||grad f_i(x)||^2 into g2; TC_EDOM when it exceeds C^2. */
static int FUNCTION(obj_grad_bound)(FUNCTION(obj_ctx) *c, const obj_config *cfg, const VEC *x,
                                    VEC *g, REAL_PTR g2, REAL_PTR tmp, long k, char *err,
                                    size_t errlen)
{
  for (size_t i = 0; i < c->o->nrows; i++) {
    int status = FUNCTION(obj_eval)(c, (long)i, x, NULL, c->fs, g, NULL);
    if (status != TC_SUCCESS)
      return status;
    FUNCTION(obj_norm2sq)(tmp, g);
    if (r_cmp(tmp, g2) > 0)
      r_set(g2, tmp);
    if (cfg->has_C && r_get_double(tmp) > cfg->C * cfg->C * (1 + 1e-9)) {
      snprintf(err, errlen, "hypothesis violated: ||grad f_i(x_k)||^2 = %.6g > C^2 = %g at "
               "k = %ld, i = %zu (raise C or shrink the step)", r_get_double(tmp),
               cfg->C * cfg->C, k, i + 1);
      return TC_EDOM;
    }
  }
  return TC_SUCCESS;
}

/* SGD x_{k+1} = x_k - s_k grad f_{i_k}(x_k), i_k uniform over the data
 * rows (tape stream 0), s_k = step or (2k+1)/(2 mu (k+1)^2). */
static int FUNCTION(obj_sgd)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                             const FUNCTION(obj_shared) *sh, const tc_point *p, tc_tape *tape,
                             tc_record *out, char *err, size_t errlen)
{
  FUNCTION(obj_run_ws) w;
  REAL g2;
  r_init(g2, c->prec);
  int status = FUNCTION(obj_ws_init)(&w, c, sh, cfg, p);
  char at[48] = "x_0";
  TC_TRY(status);
  TC_TRY(tc_tape_open(tape, 0, TC_DRAW_UNIFORM_INT, (unsigned long)c->o->nrows));
  TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
  r_set(w.gap0, w.gap);
  r_set_si(g2, 0);
  for (long k = 0; k < cfg->iterations; k++) {
    TC_TRY(FUNCTION(obj_grad_bound)(c, cfg, w.x, w.g, g2, w.tmp, k, err, errlen));
    if (cfg->schedule == OBJ_SCHEDULE_DIMINISHING) { /* (2k+1) / (2 mu (k+1)^2) */
      r_set_double(w.tmp, (double)(k + 1) * (double)(k + 1) * 2);
      r_mul(w.tmp, w.tmp, w.mu);
      r_set_double(w.step, 2.0 * (double)k + 1);
      r_div(w.step, w.step, w.tmp);
    }
    double i = tc_tape_next(tape, 0);
    TC_TRY(tc_tape_status(tape));
    TC_TRY(FUNCTION(obj_eval)(c, (long)i, w.x, NULL, c->fs, w.g, NULL));
    r_neg(w.tmp, w.step);
    vec_axpy(w.x, w.tmp, w.g);
    if (!obj_is_checkpoint(k + 1, cfg->iterations, cfg->checkpoints))
      continue;
    snprintf(at, sizeof at, "iterate k = %ld", k + 1);
    TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
    TC_TRY(tc_record_put_double(out, "k", (double)(k + 1)));
    TC_TRY(record_put(out, "step", w.step));
    TC_TRY(record_put(out, "G2", g2));
    TC_TRY(FUNCTION(obj_put_common)(out, cfg, &w));
    TC_TRY(tc_record_end_row(out));
  }
done:
  FUNCTION(obj_ws_clear)(&w);
  r_clear(g2);
  return status;
}

/* dx/dt = -grad f(x), for the RK4 stepper. */
static int FUNCTION(obj_flow_rhs)(VEC *dxdt, const VEC *x, void *params)
{
  FUNCTION(obj_ctx) *c = params;
  int status = FUNCTION(obj_eval)(c, -1, x, NULL, c->fs, dxdt, NULL);
  if (status == TC_SUCCESS) {
    r_set_double(c->t, -1.0);
    vec_scale(dxdt, c->t);
  }
  return status;
}

/* Gradient flow by RK4 with N and 2N steps per checkpoint interval: the
 * fine run gives gap, and Richardson's estimate of its error for an
 * order-4 method, |f_fine - f_coarse| / 15, is put as ode_err and, twice
 * over (an estimate, not a bound), into gap_err. */
static int FUNCTION(obj_flow)(FUNCTION(obj_ctx) *c, const obj_config *cfg,
                              const FUNCTION(obj_shared) *sh, const tc_point *p, tc_record *out,
                              char *err, size_t errlen)
{
  FUNCTION(obj_run_ws) w;
  VEC *xc = vec_alloc(c->d, c->prec);
  ODE_WS *ws = ode_ws_alloc(c->d, c->prec);
  REAL h, h2, fc, oerr;
  r_init(h, c->prec), r_init(h2, c->prec), r_init(fc, c->prec), r_init(oerr, c->prec);
  int status = FUNCTION(obj_ws_init)(&w, c, sh, cfg, p);
  char at[48] = "x(0)";
  TC_TRY(status);
  TC_TRY(xc && ws ? TC_SUCCESS : TC_ENOMEM);
  vec_copy(xc, sh->x0);
  TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
  r_set(w.gap0, w.gap);
  long m = cfg->checkpoints ? cfg->checkpoints : 20;
  long spc = cfg->steps / m > 0 ? cfg->steps / m : 1;
  r_set_double(h, cfg->horizon);
  r_div_double(h, h, (double)(m * spc));
  r_div_double(h2, h, 2.0);
  for (long j = 1; j <= m; j++) {
    for (long s = 0; s < spc; s++)
      TC_TRY(ode_rk4_step(xc, h, FUNCTION(obj_flow_rhs), c, ws));
    for (long s = 0; s < 2 * spc; s++)
      TC_TRY(ode_rk4_step(w.x, h2, FUNCTION(obj_flow_rhs), c, ws));
    TC_TRY(FUNCTION(obj_eval)(c, -1, xc, NULL, fc, NULL, NULL));
    snprintf(at, sizeof at, "t = %.6g", cfg->horizon * (double)j / (double)m);
    TC_TRY(FUNCTION(obj_gap_at)(c, cfg, sh, &w, at, err, errlen));
    r_sub(oerr, w.f, fc);
    r_abs(oerr, oerr);
    r_div_double(oerr, oerr, 15.0);
    r_set_double(w.tmp, 2.0);
    r_fma(w.err, oerr, w.tmp, w.err);
    TC_TRY(tc_record_put_double(out, "t", cfg->horizon * (double)j / (double)m));
    TC_TRY(record_put(out, "ode_err", oerr));
    TC_TRY(FUNCTION(obj_put_common)(out, cfg, &w));
    TC_TRY(tc_record_end_row(out));
  }
done:
  FUNCTION(obj_ws_clear)(&w);
  vec_free(xc);
  ode_ws_free(ws);
  r_clear(h), r_clear(h2), r_clear(fc), r_clear(oerr);
  return status;
}

/* ---- the module's entry points ---------------------------------------- */

static int FUNCTION(obj_prepare)(void **shared, const tc_instance *inst, char *err, size_t errlen)
{
  obj_config cfg;
  const tc_objective *o = inst->claim ? inst->claim->objective : NULL;
  int status = obj_config_read(&cfg, o, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  mpfr_prec_t prec = FUNCTION(obj_prec)(inst->prec);
  FUNCTION(obj_shared) *sh = calloc(1, sizeof *sh);
  FUNCTION(obj_ctx) *c = NULL;
  gsl_rng *rng = NULL;
  if (sh == NULL)
    return TC_ENOMEM;
  r_init(sh->fstar, prec), r_init(sh->fstar_err, prec);
  r_init(sh->mu_hat, prec), r_init(sh->L_hat, prec);
  TC_TRY((sh->x0 = vec_alloc(o->nvars, prec)) ? TC_SUCCESS : TC_ENOMEM);
  for (size_t j = 0; j < o->nvars; j++)
    TC_TRY(FUNCTION(obj_param_expr)(vec_at(sh->x0, j), o->start[o->nstart == 1 ? 0 : j],
                                    inst->point, prec, err, errlen));
  TC_TRY(FUNCTION(obj_ctx_alloc)(&c, o, inst->point, prec, err, errlen));
  if (o->fstar) {
    TC_TRY(FUNCTION(obj_param_expr)(sh->fstar, o->fstar, inst->point, prec, err, errlen));
    FUNCTION(obj_round_err)(c, sh->fstar_err, sh->fstar);
  } else {
    TC_TRY(FUNCTION(obj_fstar)(c, &cfg, sh, err, errlen));
  }
  TC_TRY((rng = tc_rng_alloc(obj_point_seed(inst->point))) ? TC_SUCCESS : TC_ENOMEM);
  TC_TRY(FUNCTION(obj_check_constants)(c, &cfg, sh, rng, err, errlen));
done:
  if (rng)
    gsl_rng_free(rng);
  FUNCTION(obj_ctx_free)(c);
  if (status != TC_SUCCESS) {
    FUNCTION(obj_shared_free)(sh);
    return status;
  }
  *shared = sh;
  return TC_SUCCESS;
}

static int FUNCTION(obj_measure)(tc_record *out, const tc_instance *inst, char *err, size_t errlen)
{
  obj_config cfg;
  const tc_objective *o = inst->claim ? inst->claim->objective : NULL;
  const FUNCTION(obj_shared) *sh = inst->prepared;
  int status = obj_config_read(&cfg, o, inst->point, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  if (sh == NULL) {
    snprintf(err, errlen, "objective: no prepared data");
    return TC_EFAILED;
  }
  FUNCTION(obj_ctx) *c = NULL;
  mpfr_prec_t prec = FUNCTION(obj_prec)(inst->prec);
  if ((status = FUNCTION(obj_ctx_alloc)(&c, o, inst->point, prec, err, errlen)) == TC_SUCCESS) {
    if (cfg.method == OBJ_METHOD_GD)
      status = FUNCTION(obj_gd)(c, &cfg, sh, inst->point, out, err, errlen);
    else if (cfg.method == OBJ_METHOD_SGD)
      status = FUNCTION(obj_sgd)(c, &cfg, sh, inst->point, inst->tape, out, err, errlen);
    else
      status = FUNCTION(obj_flow)(c, &cfg, sh, inst->point, out, err, errlen);
  }
  FUNCTION(obj_ctx_free)(c);
  if (status == TC_SUCCESS)
    tc_record_note(out, "f* = %.17g (%s, error <= %.3g); %s", r_get_double(sh->fstar),
                   o->fstar ? "given" : "computed", r_get_double(sh->fstar_err), sh->where);
  return status;
}
