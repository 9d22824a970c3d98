/* tc_beta_inc_mpfr — regularised incomplete beta I_x(a, b) in MPFR.
 *
 *   I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * CF,
 *
 * CF the continued fraction 1/(1+ d1/(1+ d2/(1+ ...))) with
 *   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
 *   d_{2m}   =  m (b-m) x / ((a+2m-1)(a+2m))
 * (Numerical Recipes, betacf), evaluated by the modified Lentz method.
 * It converges fast for x < (a+1)/(a+b+2); beyond that the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) is used.
 *
 * Precision follows MPFR's Ziv strategy: work at wp = prec(r) + guard
 * bits, estimate the bits lost, and retry at a larger wp when fewer than
 * prec(r) + 1 bits remain.  The bits lost are estimated (not bounded
 * rigorously) as: the exponent of the largest term of the log-prefactor
 * (its absolute error becomes the relative error of the prefactor), the
 * log of the number of CF steps, and, with the symmetry, the cancellation
 * in 1 - J.  That last term is what keeps the relative accuracy of e.g.
 * I_x(1000, 1e-10) for x near 1, where J is 1 - O(1e-10).
 *
 * log x and log(1-x) are taken from x itself (log, log1p(-x)), never from
 * a rounded 1 - x, so tiny x and x close to 1 keep full accuracy. */
#include "tc_special.h"
#include "tc_status.h"

#define BETA_CF_MAX_ITER 200000UL
#define BETA_MAX_TRIES 8
#define BETA_GUARD 32

/* |v| < tiny -> tiny: Lentz's guard against a zero denominator. */
static void lentz_fix(mpfr_ptr v, mpfr_srcptr tiny)
{
  if (mpfr_cmpabs(v, tiny) < 0)
    mpfr_set(v, tiny, MPFR_RNDN);
}

/* One Lentz step with partial numerator aa: d <- 1/(1 + aa d),
 * c <- 1 + aa/c, h <- h d c; del <- d c. */
static void lentz_step(mpfr_ptr h, mpfr_ptr c, mpfr_ptr d, mpfr_ptr del, mpfr_srcptr aa,
                       mpfr_srcptr tiny)
{
  mpfr_mul(d, aa, d, MPFR_RNDN);
  mpfr_add_ui(d, d, 1, MPFR_RNDN);
  lentz_fix(d, tiny);
  mpfr_div(c, aa, c, MPFR_RNDN);
  mpfr_add_ui(c, c, 1, MPFR_RNDN);
  lentz_fix(c, tiny);
  mpfr_ui_div(d, 1, d, MPFR_RNDN);
  mpfr_mul(del, d, c, MPFR_RNDN);
  mpfr_mul(h, h, del, MPFR_RNDN);
}

/* h <- CF(a, b, x) at precision wp (h's own).  Returns the number of steps
 * taken, 0 if it did not converge within BETA_CF_MAX_ITER. */
static unsigned long beta_cf(mpfr_ptr h, mpfr_srcptr a, mpfr_srcptr b, mpfr_srcptr x,
                             mpfr_prec_t wp)
{
  mpfr_t c, d, aa, t, del, tiny, eps, qab;
  mpfr_inits2(wp, c, d, aa, t, del, tiny, eps, qab, (mpfr_ptr)0);
  /* tiny: far below anything the fraction produces at wp bits.  eps: a
   * few ulps of 1, since del = d c is itself rounded and need not land
   * closer to 1 than that. */
  mpfr_set_si_2exp(tiny, 1, -8 * (long)wp, MPFR_RNDN);
  mpfr_set_si_2exp(eps, 1, -(long)wp + 4, MPFR_RNDN);
  mpfr_add(qab, a, b, MPFR_RNDN);

  mpfr_set_ui(c, 1, MPFR_RNDN);
  /* d = 1 / (1 - (a+b) x / (a+1)) */
  mpfr_mul(d, qab, x, MPFR_RNDN);
  mpfr_add_ui(t, a, 1, MPFR_RNDN);
  mpfr_div(d, d, t, MPFR_RNDN);
  mpfr_ui_sub(d, 1, d, MPFR_RNDN);
  lentz_fix(d, tiny);
  mpfr_ui_div(d, 1, d, MPFR_RNDN);
  mpfr_set(h, d, MPFR_RNDN);

  unsigned long steps = 0;
  for (unsigned long m = 1; m <= BETA_CF_MAX_ITER; m++) {
    /* even: aa = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
    mpfr_sub_ui(aa, b, m, MPFR_RNDN);
    mpfr_mul_ui(aa, aa, m, MPFR_RNDN);
    mpfr_mul(aa, aa, x, MPFR_RNDN);
    mpfr_add_ui(t, a, 2 * m - 1, MPFR_RNDN);
    mpfr_div(aa, aa, t, MPFR_RNDN);
    mpfr_add_ui(t, a, 2 * m, MPFR_RNDN);
    mpfr_div(aa, aa, t, MPFR_RNDN);
    lentz_step(h, c, d, del, aa, tiny);
    /* odd: aa = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) */
    mpfr_add_ui(aa, qab, m, MPFR_RNDN);
    mpfr_add_ui(t, a, m, MPFR_RNDN);
    mpfr_mul(aa, aa, t, MPFR_RNDN);
    mpfr_mul(aa, aa, x, MPFR_RNDN);
    mpfr_neg(aa, aa, MPFR_RNDN);
    mpfr_add_ui(t, a, 2 * m, MPFR_RNDN);
    mpfr_div(aa, aa, t, MPFR_RNDN);
    mpfr_add_ui(t, a, 2 * m + 1, MPFR_RNDN);
    mpfr_div(aa, aa, t, MPFR_RNDN);
    lentz_step(h, c, d, del, aa, tiny);
    mpfr_sub_ui(t, del, 1, MPFR_RNDN);
    if (mpfr_cmpabs(t, eps) <= 0) {
      steps = m;
      break;
    }
  }
  mpfr_clears(c, d, aa, t, del, tiny, eps, qab, (mpfr_ptr)0);
  return steps;
}

static long bit_length(unsigned long v)
{
  long k = 0;
  while (v) {
    k++;
    v >>= 1;
  }
  return k;
}

/* Largest exponent among the nonzero terms seen so far. */
static void track_exp(mpfr_exp_t *e, mpfr_srcptr v)
{
  if (mpfr_regular_p(v) && mpfr_get_exp(v) > *e)
    *e = mpfr_get_exp(v);
}

/* Invalid arguments (NaN, TC_EDOM) and the ends x = 0, x = 1, where the
 * fraction is not needed: returns 1 with *status set when r is final. */
static int beta_trivial(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b, mpfr_srcptr x, int *status)
{
  /* Ordered so that no NaN reaches mpfr_sgn (which would raise erange). */
  if (!mpfr_number_p(a) || !mpfr_number_p(b) || mpfr_sgn(a) <= 0 || mpfr_sgn(b) <= 0
      || mpfr_nan_p(x) || mpfr_sgn(x) < 0 || mpfr_cmp_ui(x, 1) > 0) {
    mpfr_set_nan(r);
    *status = TC_EDOM;
    return 1;
  }
  if (mpfr_zero_p(x)) {
    mpfr_set_zero(r, 1);
    *status = TC_SUCCESS;
    return 1;
  }
  if (mpfr_cmp_ui(x, 1) == 0) {
    mpfr_set_ui(r, 1, MPFR_RNDN);
    *status = TC_SUCCESS;
    return 1;
  }
  return 0;
}

/* A Ziv retry: every working variable moves to the new precision wp. */
static void beta_set_prec(mpfr_prec_t wp, mpfr_ptr *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    mpfr_set_prec(v[i], wp);
}

/* xx, lx, ly: the argument of the fraction and the logs of it and of its
 * complement, for (pa, pb).  Both logs come from x itself (negx = -x is
 * exact), so x near 0 or near 1 loses nothing to a rounded 1 - x. */
static void beta_logs(mpfr_ptr xx, mpfr_ptr lx, mpfr_ptr ly, mpfr_srcptr x, mpfr_srcptr negx,
                      int sym)
{
  if (sym) {
    mpfr_ui_sub(xx, 1, x, MPFR_RNDN);
    mpfr_log1p(lx, negx, MPFR_RNDN);
    mpfr_log(ly, x, MPFR_RNDN);
  } else {
    mpfr_set(xx, x, MPFR_RNDN);
    mpfr_log(lx, x, MPFR_RNDN);
    mpfr_log1p(ly, negx, MPFR_RNDN);
  }
}

/* L = pa log xx + pb log(1-xx) - log pa - log B(pa, pb), term scratch.
 * Returns the largest exponent among the terms: their absolute error is
 * the relative error of exp(L), so it counts as bits lost. */
static mpfr_exp_t beta_log_prefactor(mpfr_ptr L, mpfr_ptr term, mpfr_srcptr pa, mpfr_srcptr pb,
                                     mpfr_srcptr lx, mpfr_srcptr ly)
{
  mpfr_exp_t emax = 0;
  mpfr_mul(L, pa, lx, MPFR_RNDN);
  track_exp(&emax, L);
  mpfr_mul(term, pb, ly, MPFR_RNDN);
  track_exp(&emax, term);
  mpfr_add(L, L, term, MPFR_RNDN);
  mpfr_add(term, pa, pb, MPFR_RNDN);
  mpfr_lngamma(term, term, MPFR_RNDN);
  track_exp(&emax, term);
  mpfr_add(L, L, term, MPFR_RNDN);
  mpfr_lngamma(term, pa, MPFR_RNDN);
  track_exp(&emax, term);
  mpfr_sub(L, L, term, MPFR_RNDN);
  mpfr_lngamma(term, pb, MPFR_RNDN);
  track_exp(&emax, term);
  mpfr_sub(L, L, term, MPFR_RNDN);
  mpfr_log(term, pa, MPFR_RNDN);
  track_exp(&emax, term);
  mpfr_sub(L, L, term, MPFR_RNDN);
  return emax;
}

/* The estimated bits lost (see the file comment): prefactor, CF steps and,
 * with the symmetry, the cancellation in res = 1 - J.  *ok = 0 when that
 * cancellation took every bit, so only more precision can tell. */
static long beta_bits_lost(mpfr_exp_t emax, unsigned long steps, int sym, mpfr_srcptr J,
                           mpfr_srcptr res, int *ok)
{
  /* A prefactor below MPFR's exponent range gives J = 0: the direct
   * result is then 0 and the symmetric one 1, both correct roundings. */
  long lost = (long)(emax > 0 ? emax : 0) + 3 + bit_length(steps) + 4 + 2;
  *ok = 1;
  if (sym && !mpfr_zero_p(J)) {
    if (mpfr_sgn(res) <= 0)
      *ok = 0; /* all bits cancelled: more precision needed */
    else if (mpfr_get_exp(J) > mpfr_get_exp(res))
      lost += (long)(mpfr_get_exp(J) - mpfr_get_exp(res));
  }
  return lost;
}

int tc_beta_inc_mpfr(mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b, mpfr_srcptr x)
{
  int status;
  if (beta_trivial(r, a, b, x, &status))
    return status;

  mpfr_prec_t prec = mpfr_get_prec(r);
  mpfr_prec_t wp = prec + BETA_GUARD;
  mpfr_t negx, lx, ly, xx, L, term, h, J, res;
  mpfr_init2(negx, mpfr_get_prec(x));
  mpfr_neg(negx, x, MPFR_RNDN); /* exact */
  mpfr_inits2(wp, lx, ly, xx, L, term, h, J, res, (mpfr_ptr)0);

  /* Which side of (a+1)/(a+b+2) x lies on only decides the speed of the
   * fraction, not its value, so this comparison need not be exact. */
  mpfr_add(L, a, b, MPFR_RNDN);
  mpfr_add_ui(L, L, 2, MPFR_RNDN);
  mpfr_mul(L, L, x, MPFR_RNDN);
  mpfr_add_ui(term, a, 1, MPFR_RNDN);
  int sym = mpfr_cmp(L, term) > 0;
  mpfr_srcptr pa = sym ? b : a, pb = sym ? a : b;

  status = TC_EMAXITER;
  for (int attempt = 0; attempt < BETA_MAX_TRIES; attempt++) {
    if (attempt > 0) {
      mpfr_ptr work[] = {lx, ly, xx, L, term, h, J, res};
      beta_set_prec(wp, work, sizeof work / sizeof work[0]);
    }
    beta_logs(xx, lx, ly, x, negx, sym);
    mpfr_exp_t emax = beta_log_prefactor(L, term, pa, pb, lx, ly);
    unsigned long steps = beta_cf(h, pa, pb, xx, wp);
    if (steps == 0) {
      status = TC_EMAXITER;
      break;
    }
    mpfr_exp(J, L, MPFR_RNDN);
    mpfr_mul(J, J, h, MPFR_RNDN);
    if (sym)
      mpfr_ui_sub(res, 1, J, MPFR_RNDN);
    else
      mpfr_set(res, J, MPFR_RNDN);

    int ok;
    long lost = beta_bits_lost(emax, steps, sym, J, res, &ok);
    if (ok && (long)wp - lost >= (long)prec + 1) {
      status = TC_SUCCESS;
      break;
    }
    mpfr_prec_t next = prec + (mpfr_prec_t)lost + BETA_GUARD;
    if (!ok || next <= wp)
      next = wp + wp / 2 + BETA_GUARD;
    if (next > MPFR_PREC_MAX)
      break;
    wp = next;
  }

  if (status == TC_SUCCESS)
    mpfr_set(r, res, MPFR_RNDN);
  else
    mpfr_set_nan(r);
  mpfr_clear(negx);
  mpfr_clears(lx, ly, xx, L, term, h, J, res, (mpfr_ptr)0);
  return status;
}
