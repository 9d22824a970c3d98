/* tc_num_dot_mpfr — r <- sum_i a_i b_i correctly rounded to r's
 * precision, like mpfr_dot, without mpfr_dot's heap traffic: mpfr_dot
 * (MPFR 4.1, 4.2) allocates a table and initialises one heap-allocated
 * product per term on every call, which in the iteration loops of the
 * checks (gemv, norms) cost a third of an MPFR claim in malloc/free.
 * Here the exact products (precision p(a_i) + p(b_i), so mpfr_mul is
 * exact) live in limbs on the stack and go to mpfr_sum, which is what
 * mpfr_dot does with its heap copies: the value is the same correctly
 * rounded number, bit for bit.  Past TC_DOT_STACK_N terms or
 * TC_DOT_STACK_PREC bits of product, mpfr_dot itself. */
#include "num_impl.h"

#define TC_DOT_STACK_N 128
#define TC_DOT_STACK_PREC 512
#define TC_DOT_LIMBS ((TC_DOT_STACK_PREC + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS)

void tc_num_dot_mpfr(mpfr_ptr r, const mpfr_ptr *a, const mpfr_ptr *b, unsigned long n)
{
  if (n > TC_DOT_STACK_N) {
    mpfr_dot(r, a, b, n, MPFR_RNDN);
    return;
  }
  mpfr_t prod[TC_DOT_STACK_N];
  mpfr_ptr ptr[TC_DOT_STACK_N];
  mp_limb_t limbs[TC_DOT_STACK_N][TC_DOT_LIMBS];
  for (unsigned long i = 0; i < n; i++) {
    mpfr_prec_t p = mpfr_get_prec(a[i]) + mpfr_get_prec(b[i]);
    if (p > TC_DOT_STACK_PREC) {
      mpfr_dot(r, a, b, n, MPFR_RNDN);
      return;
    }
    mpfr_custom_init_set(prod[i], MPFR_ZERO_KIND, 0, p, limbs[i]);
    mpfr_mul(prod[i], a[i], b[i], MPFR_RNDN); /* exact at p bits */
    ptr[i] = prod[i];
  }
  mpfr_sum(r, ptr, n, MPFR_RNDN);
}
