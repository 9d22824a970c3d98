/* tc_expr_eval — evaluate a parsed expression in MPFR.
 *
 * Every intermediate is held at the precision of the result, so an MPFR
 * run of a check evaluates its bound with the same number of bits as its
 * measurement and the double run (53 bits) sees double-like rounding. */
#include <stdio.h>

#include "expr_impl.h"
#include "tc_status.h"

typedef struct {
  tc_expr_lookup lookup;
  void *data;
  char *err;
  size_t errlen;
  mpfr_prec_t prec;
} eval_ctx;

static int domain_error(eval_ctx *c, const char *what)
{
  if (c->err != NULL && c->errlen > 0)
    snprintf(c->err, c->errlen, "%s", what);
  return TC_EDOM;
}

static int eval_node(mpfr_ptr r, const expr_node *n, eval_ctx *c);

/* min and max propagate NaN, unlike mpfr_min/mpfr_max which return the
 * other operand: a NaN measurement must not vanish silently from a bound. */
static int eval_minmax(mpfr_ptr r, const expr_node *n, eval_ctx *c)
{
  int status = eval_node(r, n->args[0], c);
  if (status != TC_SUCCESS || n->nargs == 1)
    return status;
  mpfr_t t;
  mpfr_init2(t, c->prec);
  int nan = mpfr_nan_p(r);
  for (size_t i = 1; i < n->nargs && status == TC_SUCCESS; i++) {
    status = eval_node(t, n->args[i], c);
    if (status != TC_SUCCESS)
      break;
    if (mpfr_nan_p(t))
      nan = 1;
    else if (!nan && n->fn == EXPR_FN_MIN)
      mpfr_min(r, r, t, MPFR_RNDN);
    else if (!nan)
      mpfr_max(r, r, t, MPFR_RNDN);
  }
  mpfr_clear(t);
  if (status == TC_SUCCESS && nan)
    mpfr_set_nan(r);
  return status;
}

static int eval_call(mpfr_ptr r, const expr_node *n, eval_ctx *c)
{
  if (n->fn == EXPR_FN_MIN || n->fn == EXPR_FN_MAX)
    return eval_minmax(r, n, c);

  int status = eval_node(r, n->args[0], c);
  if (status != TC_SUCCESS)
    return status;
  /* mpfr_cmp_ui(-0, 0) == 0: log(-0) = -Inf and sqrt(-0) = -0 are limits,
   * not domain errors.  NaN is passed through. */
  int negative = !mpfr_nan_p(r) && mpfr_cmp_ui(r, 0) < 0;
  switch (n->fn) {
  case EXPR_FN_SQRT:
    if (negative)
      return domain_error(c, "sqrt of a negative number");
    mpfr_sqrt(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_LOG:
    if (negative)
      return domain_error(c, "log of a negative number");
    mpfr_log(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_EXP:
    mpfr_exp(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_ABS:
    mpfr_abs(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_ERF:
    mpfr_erf(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_FLOOR:
    mpfr_floor(r, r);
    break;
  case EXPR_FN_CEIL:
    mpfr_ceil(r, r);
    break;
  case EXPR_FN_SIN:
    mpfr_sin(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_COS:
    mpfr_cos(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_TANH:
    mpfr_tanh(r, r, MPFR_RNDN);
    break;
  case EXPR_FN_MIN:
  case EXPR_FN_MAX:
    break;  /* handled above */
  }
  return TC_SUCCESS;
}

static int eval_binary(mpfr_ptr r, const expr_node *n, eval_ctx *c)
{
  int status = eval_node(r, n->args[0], c);
  if (status != TC_SUCCESS)
    return status;
  mpfr_t t;
  mpfr_init2(t, c->prec);
  status = eval_node(t, n->args[1], c);
  if (status == TC_SUCCESS) {
    switch (n->kind) {
    case EXPR_ADD:
      mpfr_add(r, r, t, MPFR_RNDN);
      break;
    case EXPR_SUB:
      mpfr_sub(r, r, t, MPFR_RNDN);
      break;
    case EXPR_MUL:
      mpfr_mul(r, r, t, MPFR_RNDN);
      break;
    case EXPR_DIV:
      mpfr_div(r, r, t, MPFR_RNDN);
      break;
    default:
      /* A real power of a negative base is undefined; MPFR would quietly
       * return NaN, which would read as a failed measurement instead of
       * a mistake in the catalog bound. */
      if (mpfr_number_p(r) && mpfr_sgn(r) < 0 && mpfr_number_p(t) && !mpfr_integer_p(t))
        status = domain_error(c, "non-integer power of a negative number");
      else
        mpfr_pow(r, r, t, MPFR_RNDN);
      break;
    }
  }
  mpfr_clear(t);
  return status;
}

/* Recursion depth is bounded by the parser's limit on tree height. */
static int eval_node(mpfr_ptr r, const expr_node *n, eval_ctx *c)
{
  switch (n->kind) {
  case EXPR_NUM:
    /* The parser only accepts literals that mpfr_set_str reads in full. */
    mpfr_set_str(r, n->text, 10, MPFR_RNDN);
    return TC_SUCCESS;
  case EXPR_VAR:
    mpfr_set_nan(r);
    if (c->lookup == NULL || c->lookup(r, n->text, c->data) != 0) {
      if (c->err != NULL && c->errlen > 0)
        snprintf(c->err, c->errlen, "%s", n->text);
      return TC_ENOTFOUND;
    }
    return TC_SUCCESS;
  case EXPR_PI:
    mpfr_const_pi(r, MPFR_RNDN);
    return TC_SUCCESS;
  case EXPR_E:
    mpfr_set_ui(r, 1, MPFR_RNDN);
    mpfr_exp(r, r, MPFR_RNDN);
    return TC_SUCCESS;
  case EXPR_NEG: {
    int status = eval_node(r, n->args[0], c);
    if (status == TC_SUCCESS)
      mpfr_neg(r, r, MPFR_RNDN);
    return status;
  }
  case EXPR_CALL:
    return eval_call(r, n, c);
  default:
    return eval_binary(r, n, c);
  }
}

int tc_expr_eval(mpfr_ptr r, const tc_expr *e, tc_expr_lookup lookup,
                 void *data, char *err, size_t errlen)
{
  eval_ctx c = {lookup, data, err, errlen, mpfr_get_prec(r)};
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  return eval_node(r, e->root, &c);
}
