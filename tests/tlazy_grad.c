/* The lazy-gf module's own forward pass, gradient J^T r and kernel
 * (checks/lazy_source.h, written for speed through gemm and activation
 * counts) against the reference two-layer network of
 * checks/twolayer_source.h (twolayer_forward / twolayer_grad /
 * twolayer_ntk, written per neuron), in both backends: lecture 000's NTK
 * net directly, lecture 004's mean-field net through f_mf = sqrt(m) f_ntk
 * (same a, W = B).  The module's static functions are reached by
 * including checks/lazy.c here (its descriptor renamed so it cannot clash
 * with the library's).  Fixed seeds; TC_TEST_SEED changes them. */
#define tc_check_lazy_gf tc_check_lazy_gf_under_test
#include "../checks/lazy.c"
#include <criterion/criterion.h>

static uint64_t base_seed(void)
{
  const char *s = getenv("TC_TEST_SEED");
  return s ? strtoull(s, NULL, 10) : 20261123u;
}

/* One instance's doubles: data, labels, theta_0, a (lazy.c's own draws). */
typedef struct {
  lazy_config c;
  double X[6 * 4], y[6], th[16 * 5], a[16];
  size_t p;
} inst_t;

static void draw(inst_t *I, int model, uint64_t seed)
{
  memset(I, 0, sizeof *I);
  I->c = (lazy_config){.model = model, .labels = LAZY_LAB_UNIFORM, .init = LAZY_INIT_RANDOM,
                       .n = 6, .d = 4, .m = 16, .scale = 1, .yscale = 1, .sa = 1, .sb = 1, .eta = 1};
  gsl_rng *rng = tc_rng_alloc(seed);
  lazy_draw_data(I->X, I->y, &I->c, rng);
  lazy_draw_init(I->th, I->a, &I->c, rng);
  gsl_rng_free(rng);
  I->p = model == LAZY_MF ? 16 * 5 : 16 * 4;
}

/* Written once per backend with the backend's names (SUF = d or mpfr). */
#define GRAD_TEST(SUF, PREC, TOL)                                                                        \
  static void grad_test_##SUF(int model, uint64_t seed)                                              \
  {                                                                                                  \
    inst_t I;                                                                                        \
    draw(&I, model, seed);                                                                           \
    size_t n = 6, d = 4, m = 16, off = model == LAZY_MF ? m : 0;                                     \
    lazy_sys_##SUF S = {0};                                                                          \
    cr_assert_eq(lazy_sys_init_##SUF(&S, &I.c, I.X, I.y, I.a, I.p, PREC), TC_SUCCESS);               \
    tc_vec_##SUF *th = tc_vec_alloc_##SUF(I.p, PREC), *a = tc_vec_alloc_##SUF(m, PREC);              \
    tc_vec_##SUF *f = tc_vec_alloc_##SUF(n, PREC), *ga = tc_vec_alloc_##SUF(m, PREC);                \
    tc_mat_##SUF *W = tc_mat_alloc_##SUF(m, d, PREC), *G = tc_mat_alloc_##SUF(m, d, PREC);           \
    tc_mat_##SUF *H = tc_mat_alloc_##SUF(n, n, PREC), *Kt = tc_mat_alloc_##SUF(n, n, PREC);          \
    for (size_t k = 0; k < I.p; k++)                                                                 \
      SET_##SUF(tc_vec_at_##SUF(th, k), I.th[k]);                                                    \
    for (size_t k = 0; k < m; k++) {                                                                 \
      SET_##SUF(tc_vec_at_##SUF(a, k), model == LAZY_MF ? I.th[k] : I.a[k]);                         \
      for (size_t l = 0; l < d; l++)                                                                 \
        SET_##SUF(tc_mat_at_##SUF(W, k, l), I.th[off + k * d + l]);                                  \
    }                                                                                                \
    cr_assert_eq(lazy_eval_##SUF(&S, th), TC_SUCCESS);                                               \
    cr_assert_eq(lazy_grad_##SUF(&S), TC_SUCCESS);                                                   \
    twolayer_forward_##SUF(f, W, a, S.X, PREC);                                                      \
    double sc = model == LAZY_MF ? sqrt((double)m) : 1.0; /* f_mf = sqrt(m) f_ntk */                 \
    double jt[16 * 5] = {0}, r[6];                                                                   \
    for (size_t i = 0; i < n; i++) {                                                                 \
      double fi = GET_##SUF(tc_vec_at_##SUF(S.f, i));                                                \
      cr_assert_float_eq(fi, sc * GET_##SUF(tc_vec_at_##SUF(f, i)), TOL * (1 + fabs(fi)), "f_%zu", i); \
      r[i] = GET_##SUF(tc_vec_at_##SUF(S.r, i));                                                     \
    }                                                                                                \
    /* J^T r = sum_i r_i grad f(x_i) */                                                              \
    for (size_t i = 0; i < n; i++) {                                                                 \
      twolayer_grad_##SUF(G, ga, W, a, S.X, i, PREC);                                                \
      for (size_t k = 0; k < m; k++) {                                                               \
        if (model == LAZY_MF)                                                                        \
          jt[k] += r[i] * sc * GET_##SUF(tc_vec_at_##SUF(ga, k));                                    \
        for (size_t l = 0; l < d; l++)                                                               \
          jt[off + k * d + l] += r[i] * sc * GET_##SUF(tc_mat_at_##SUF(G, k, l));                    \
      }                                                                                              \
    }                                                                                                \
    for (size_t k = 0; k < I.p; k++) {                                                               \
      double g = GET_##SUF(tc_vec_at_##SUF(S.g, k));                                                 \
      cr_assert_float_eq(g, jt[k], TOL * (1 + fabs(g)), "model %d: (J^T r)_%zu = %.17g vs %.17g",   \
                         model, k, g, jt[k]);                                                        \
    }                                                                                                \
    /* the kernel: ntk H_t = twolayer_ntk (a_k^2 = 1) */                                             \
    if (model == LAZY_NTK) {                                                                         \
      cr_assert_eq(lazy_kernel_##SUF(Kt, &S), TC_SUCCESS);                                           \
      cr_assert_eq(twolayer_ntk_##SUF(H, W, NULL, S.X, PREC), TC_SUCCESS);                           \
      for (size_t i = 0; i < n; i++)                                                                 \
        for (size_t j = 0; j < n; j++)                                                               \
          cr_assert_float_eq(GET_##SUF(tc_mat_at_##SUF(Kt, i, j)), GET_##SUF(tc_mat_at_##SUF(H, i, j)), \
                             TOL, "H_%zu%zu", i, j);                                                 \
    }                                                                                                \
    tc_vec_free_##SUF(th);                                                                           \
    tc_vec_free_##SUF(a);                                                                            \
    tc_vec_free_##SUF(f);                                                                            \
    tc_vec_free_##SUF(ga);                                                                           \
    tc_mat_free_##SUF(W);                                                                            \
    tc_mat_free_##SUF(G);                                                                            \
    tc_mat_free_##SUF(H);                                                                            \
    tc_mat_free_##SUF(Kt);                                                                           \
    lazy_sys_free_##SUF(&S);                                                                         \
  }

#define SET_d(p, v) (*(p) = (v))
#define GET_d(p) (*(p))
#define SET_mpfr(p, v) mpfr_set_d((p), (v), MPFR_RNDN)
#define GET_mpfr(p) mpfr_get_d((p), MPFR_RNDN)
GRAD_TEST(d, 53, 1e-13)
GRAD_TEST(mpfr, 200, 1e-15)

Test(lazy_grad, against_twolayer_source)
{
  for (uint64_t s = 0; s < 4; s++) {
    grad_test_d(LAZY_NTK, base_seed() + s);
    grad_test_d(LAZY_MF, base_seed() + s);
    grad_test_mpfr(LAZY_NTK, base_seed() + s);
    grad_test_mpfr(LAZY_MF, base_seed() + s);
  }
}
