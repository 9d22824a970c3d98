/* ntk_init.c — check modules "ntk-h0" and "ntk-gram": the NTK Gram matrix
 * of a two-layer ReLU network at random initialisation against its
 * infinite-width limit.
 *
 * ntk-h0 (lecture 000 §3 items 6-7): W_k ~ N(0, I_d), k = 1..m,
 *   H(0)_ij = (1/m) sum_k 1{W_k.x_i >= 0} 1{W_k.x_j >= 0} <x_i, x_j>,
 *   H_inf_ij = <x_i, x_j> (pi - theta_ij) / (2 pi),  lambda0 = lambda_min(H_inf).
 *   Lemma: with m = Omega(n^2/lambda0^2 log(n/delta)), w.p. >= 1 - delta,
 *   |H(0) - H_inf|_2 <= lambda0/4.
 *   Parameters: n, d, data (+ angle, scale, data_seed), and either m, or
 *   delta with m := ceil(width_constant n^2/lambda0^2 log(n/delta))
 *   (width_constant stands for the hidden Omega-constant, default 1;
 *   refused above max_width, default 2e6).  delta may be given with m.
 *   Row: m, n, d, h_dev = |H(0) - H_inf|_2, lambda0, lambda_h0 =
 *   lambda_min(H(0)); with delta also delta and m_required (the width
 *   formula's unrounded value).  Certified bounds (Cholesky factorisations
 *   that succeed, ntk_cert_lower): lambda0_cert <= lambda0, h_dev_cert >=
 *   h_dev, and cert_err, the error radius of h_dev - lambda0/4 the event
 *   claims give as `error` (a row decided only when the certificates
 *   decide it).
 *
 * ntk-gram (lecture 004, (0.18)-(0.25), Lemma 11): f_m(x) = sum_j a_j
 *   sigma(b_j.x), a_j = 0, b_j ~ Unif(S^{d-1}); K-hat_ii' = (1/m) sum_j
 *   sigma(b_j.x_i) sigma(b_j.x_i'), G = m K-hat, K = E K-hat in closed form.
 *   Lemma 11: if m >= log(n^2/delta) / (2 lambda_n(K)^2) then w.p. >= 1 -
 *   delta, lambda_n(G) >= (m/2) lambda_n(K).  The module runs at the stated
 *   width m = ceil(width_factor log(n^2/delta) / (2 lambda_n(K)^2))
 *   (width_factor default 1; refused above max_width, default 2e6).
 *   Parameters: n, d, data (+ angle, scale, data_seed), delta, width_factor,
 *   max_width.
 *   Row: m, m_required, lambda_K, lambda_hat = lambda_n(K-hat), lambda_G =
 *   lambda_n(G) = m lambda_hat, n, d, delta; the certified lower bounds
 *   lambda_K_cert, lambda_G_cert and their radius cert_err (as ntk-h0's).
 *
 * Both: `detail = 1` adds the matrices' upper triangles to the row
 * (Hinf_i_j, H0_i_j or K_i_j, Khat_i_j; 1-based) for tests and reports.
 *
 * Data families (`data`, default sphere), all scaled by `scale` (default
 * 1; |x_i| = scale):
 *   sphere         n i.i.d. points uniform on S^{d-1}
 *   orthogonal     e_1, ..., e_n (n <= d).  Both random inits are rotation
 *                  invariant, so any orthonormal set gives the same law;
 *                  the standard basis is exact in both backends.
 *   near-parallel  sphere points with x_2 replaced by a point at angle
 *                  `angle` (default 0.1 rad) from x_1: lambda0 and
 *                  lambda_n(K) are small (ill-conditioned).
 *   off-sphere     the sphere points with norms 2^u_i, u_i uniform in
 *                  [-1, 1] (drawn after the directions), times scale:
 *                  data the proofs' range [0, 1] (|x_i| <= 1) excludes.
 * The data set depends only on the parameter point, not on the instance
 * seed: every instance at a point sees the same x_i and a fresh network.
 * See ntk_data_seed. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "twolayer_data.h"

#define NTK_MAX_N 512.0
#define NTK_MAX_D 100000.0
#define NTK_PI 3.14159265358979323846 /* M_PI is not strict C11 */

typedef enum { NTK_CHECK_H0, NTK_CHECK_GRAM } ntk_check_kind;
typedef enum { NTK_DATA_SPHERE, NTK_DATA_ORTHOGONAL, NTK_DATA_NEAR_PARALLEL, NTK_DATA_OFF_SPHERE } ntk_family;

static const char *const ntk_family_names[] = {"sphere", "orthogonal", "near-parallel", "off-sphere", NULL};

typedef struct {
  size_t n, d;
  ntk_family family;
  double angle, scale, data_seed;
  double delta; /* NaN when absent (ntk-h0 with m) */
  double m;     /* ntk-h0 only; NaN when absent */
  double width; /* width_constant (ntk-h0) or width_factor (ntk-gram) */
  double max_width;
  int detail;
} ntk_params;

/* One point's instance apart from the network: the data set (n x d,
 * row-major doubles) and the width. */
typedef struct {
  ntk_params p;
  double *X;
  size_t m;
} ntk_setup;

/* An optional numeric parameter: `def` when absent, TC_EDOM when symbolic. */
static int ntk_get(double *v, const tc_point *p, const char *name, double def, char *err, size_t errlen)
{
  int status = tc_point_get(v, p, name);
  /* the engine has checked each value against ntk_*_params */
  if (status == TC_ENOTFOUND) {
    *v = def;
    return TC_SUCCESS;
  }
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "%s must be a number, not '%s'", name, tc_point_text(p, name));
  return status;
}

static int is_int_in(double v, double lo, double hi)
{
  return v >= lo && v <= hi && v == floor(v);
}

/* n, d and the data family, read and checked first: the other checks
 * (orthogonal needs n <= d, ...) are stated in terms of them. */
static int ntk_params_read_shape(ntk_params *np, const tc_point *p, const char **blame, char *err, size_t errlen)
{
  double n, d;
  int status;
  if ((status = ntk_get(&n, p, "n", NAN, err, errlen)) || (status = ntk_get(&d, p, "d", NAN, err, errlen)))
    return status;
  if (!is_int_in(n, 1, NTK_MAX_N)) {
    *blame = "n";
    snprintf(err, errlen, "n (the number of data points) must be an integer in [1, %.0f]", NTK_MAX_N);
    return TC_EDOM;
  }
  if (!is_int_in(d, 1, NTK_MAX_D)) {
    *blame = "d";
    snprintf(err, errlen, "d (the input dimension) must be an integer in [1, %.0f]", NTK_MAX_D);
    return TC_EDOM;
  }
  np->n = (size_t)n;
  np->d = (size_t)d;

  const char *data = tc_point_text(p, "data");
  if (data == NULL)
    data = "sphere";
  int f = tc_param_lookup(data, ntk_family_names);
  if (f < 0) {
    *blame = "data";
    snprintf(err, errlen, "data must be sphere, orthogonal, near-parallel or off-sphere, not '%s'", data);
    return TC_EDOM;
  }
  np->family = (ntk_family)f;
  return TC_SUCCESS;
}

/* The numeric parameters with their defaults, unchecked (a parse error
 * only); the width parameter's name depends on the check: ntk-h0 takes m
 * and width_constant, the Gram checks width_factor (m = NaN: the width
 * is the lemma's). */
static int ntk_params_read_numbers(ntk_params *np, const tc_point *p, ntk_check_kind kind, double *detail,
                                   char *err, size_t errlen)
{
  int status;
  if ((status = ntk_get(&np->angle, p, "angle", 0.1, err, errlen)) ||
      (status = ntk_get(&np->scale, p, "scale", 1.0, err, errlen)) ||
      (status = ntk_get(&np->data_seed, p, "data_seed", 0.0, err, errlen)) ||
      (status = ntk_get(&np->delta, p, "delta", NAN, err, errlen)) ||
      (status = ntk_get(&np->max_width, p, "max_width", 2e6, err, errlen)) ||
      (status = ntk_get(detail, p, "detail", 0.0, err, errlen)))
    return status;
  if (kind == NTK_CHECK_H0) {
    if ((status = ntk_get(&np->m, p, "m", NAN, err, errlen)) ||
        (status = ntk_get(&np->width, p, "width_constant", 1.0, err, errlen)))
      return status;
  } else {
    np->m = NAN;
    if ((status = ntk_get(&np->width, p, "width_factor", 1.0, err, errlen)))
      return status;
  }
  return TC_SUCCESS;
}

/* The ranges of the data parameters and of delta, max_width, detail
 * (which becomes np->detail here). */
static int ntk_params_check_ranges(ntk_params *np, double detail, const char **blame, char *err, size_t errlen)
{
  if (np->family == NTK_DATA_ORTHOGONAL && np->n > np->d) {
    *blame = "n";
    snprintf(err, errlen, "data = orthogonal needs n <= d (n = %zu, d = %zu)", np->n, np->d);
    return TC_EDOM;
  }
  if (np->family == NTK_DATA_NEAR_PARALLEL && (np->n < 2 || np->d < 2)) {
    *blame = "data";
    snprintf(err, errlen, "data = near-parallel needs n >= 2 and d >= 2");
    return TC_EDOM;
  }
  if (!(np->angle > 0 && np->angle < NTK_PI)) {
    *blame = "angle";
    snprintf(err, errlen, "angle must lie in (0, pi) (radians between x_1 and x_2)");
    return TC_EDOM;
  }
  if (!(np->scale >= 1e-100 && np->scale <= 1e100)) {
    *blame = "scale";
    snprintf(err, errlen, "scale (the norm of every data point) must lie in [1e-100, 1e100]");
    return TC_EDOM;
  }
  if (!is_int_in(np->data_seed, 0, 9007199254740992.0)) {
    *blame = "data_seed";
    snprintf(err, errlen, "data_seed must be an integer >= 0");
    return TC_EDOM;
  }
  if (!isnan(np->delta) && !(np->delta > 0 && np->delta < 1)) {
    *blame = "delta";
    snprintf(err, errlen, "delta must lie in (0, 1)");
    return TC_EDOM;
  }
  if (!is_int_in(np->max_width, 1, 1e9)) {
    *blame = "max_width";
    snprintf(err, errlen, "max_width must be an integer in [1, 1e9]");
    return TC_EDOM;
  }
  if (!(detail == 0 || detail == 1)) {
    *blame = "detail";
    snprintf(err, errlen, "detail must be 0 or 1");
    return TC_EDOM;
  }
  np->detail = detail == 1;
  return TC_SUCCESS;
}

/* The width: its constant/factor, and m or delta (ntk-h0 needs one of
 * them to fix the width; the Gram checks always take the lemma's width,
 * so they need delta). */
static int ntk_params_check_width(const ntk_params *np, ntk_check_kind kind, const char **blame, char *err,
                                  size_t errlen)
{
  const char *wname = kind == NTK_CHECK_H0 ? "width_constant" : "width_factor";
  if (!(np->width > 0 && np->width <= 1e12)) {
    *blame = wname;
    snprintf(err, errlen, "%s must lie in (0, 1e12]", wname);
    return TC_EDOM;
  }
  if (kind == NTK_CHECK_H0) {
    if (!isnan(np->m) && !is_int_in(np->m, 1, np->max_width)) {
      *blame = "m";
      snprintf(err, errlen, "m (the width) must be an integer in [1, max_width = %.0f]", np->max_width);
      return TC_EDOM;
    }
    if (isnan(np->m) && isnan(np->delta)) {
      snprintf(err, errlen, "ntk-h0 needs the width m, or delta to take the lemma's width");
      return TC_EDOM;
    }
  } else if (isnan(np->delta)) {
    *blame = "delta";
    snprintf(err, errlen, "delta must be given: the width is the lemma's, log(n^2/delta)/(2 lambda_n(K)^2)");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The parameters of a point; on failure *blame is the parameter at fault
 * (NULL: the point as a whole).  Read and checked in a fixed order, so a
 * point with several faults always blames the same one. */
static int ntk_params_read(ntk_params *np, const tc_point *p, ntk_check_kind kind, const char **blame,
                           char *err, size_t errlen)
{
  *blame = NULL;
  double detail;
  int status;
  if ((status = ntk_params_read_shape(np, p, blame, err, errlen)) ||
      (status = ntk_params_read_numbers(np, p, kind, &detail, err, errlen)) ||
      (status = ntk_params_check_ranges(np, detail, blame, err, errlen)))
    return status;
  return ntk_params_check_width(np, kind, blame, err, errlen);
}

/* The seed of a point's data set: hashed by tc_point_seed, from the
 * values read rather than the point (an absent data_seed is 0), so the
 * key "ntk-data|n=N|d=D|data_seed=S" (numbers as %.17g of their values,
 * so "10" and "1e1" agree) is written here and passed as the whole tag;
 * it is the text this module hashed before tc_point_seed existed.  Not
 * hashed: the instance seed (all instances of a point share the data), m,
 * delta, the width constants and scale (a sweep over them, or a
 * rescaling, keeps the same directions x_i/|x_i|), and the family and
 * angle: near-parallel data are the sphere data of the same point with
 * x_2 moved to angle `angle` from x_1 (along a direction drawn after the
 * n points), so an angle sweep moves x_2 alone. */
static uint64_t ntk_data_seed(const ntk_params *np)
{
  static const char *const no_names[] = {NULL};
  static const tc_point no_point = {0, NULL};
  char key[128];
  snprintf(key, sizeof key, "ntk-data|n=%zu|d=%zu|data_seed=%.17g", np->n, np->d, np->data_seed);
  return tc_point_seed(&no_point, key, no_names);
}

/* The network's draws come from the instance's tape (stream 0, opened
 * by ntk_draw), the same draws the rng versions in twolayer_data.h would
 * make. */
static void ntk_tape_gaussian(double *w, size_t d, tc_tape *tape)
{
  for (size_t l = 0; l < d; l++)
    w[l] = tc_tape_next(tape, 0);
}

static void ntk_tape_sphere(double *b, size_t d, tc_tape *tape)
{
  double s;
  do {
    ntk_tape_gaussian(b, d, tape);
    s = 0;
    for (size_t l = 0; l < d; l++)
      s += b[l] * b[l];
  } while (!(s > 0));
  s = sqrt(s);
  for (size_t l = 0; l < d; l++)
    b[l] /= s;
}

/* |v| in double, for the sign screen of num_relu_patterns_block (its
 * margin covers this rounding). */
static double ntk_norm(const double *v, size_t d)
{
  double s = 0;
  for (size_t l = 0; l < d; l++)
    s += v[l] * v[l];
  return sqrt(s);
}

static int ntk_data_make(double *X, const ntk_params *np)
{
  size_t n = np->n, d = np->d;
  if (np->family == NTK_DATA_ORTHOGONAL) {
    memset(X, 0, n * d * sizeof *X);
    for (size_t i = 0; i < n; i++)
      X[i * d + i] = 1.0;
  } else {
    gsl_rng *rng = tc_rng_alloc(ntk_data_seed(np));
    if (rng == NULL)
      return TC_ENOMEM;
    for (size_t i = 0; i < n; i++)
      twolayer_unit(X + i * d, d, rng);
    if (np->family == NTK_DATA_NEAR_PARALLEL) {
      /* x_2 = cos(a) x_1 + sin(a) u, u a random unit vector orthogonal to x_1 */
      double *x1 = X, *x2 = X + d, *u = malloc(d * sizeof *u);
      if (u == NULL) {
        gsl_rng_free(rng);
        return TC_ENOMEM;
      }
      double un = twolayer_orth_draw(u, x1, d, rng), ca = cos(np->angle), sa = sin(np->angle), nn = 0;
      for (size_t l = 0; l < d; l++) {
        x2[l] = ca * x1[l] + sa * u[l] / un;
        nn += x2[l] * x2[l];
      }
      nn = sqrt(nn);
      for (size_t l = 0; l < d; l++)
        x2[l] /= nn;
      free(u);
    }
    if (np->family == NTK_DATA_OFF_SPHERE)
      for (size_t i = 0; i < n; i++) {
        double r = pow(2.0, 2.0 * gsl_rng_uniform(rng) - 1.0);
        for (size_t l = 0; l < d; l++)
          X[i * d + l] *= r;
      }
    gsl_rng_free(rng);
  }
  if (np->scale != 1.0)
    for (size_t k = 0; k < n * d; k++)
      X[k] *= np->scale;
  return TC_SUCCESS;
}

static int ntk_setup_make(ntk_setup *su, const tc_point *p, ntk_check_kind kind, const char **blame,
                          char *err, size_t errlen);
static void ntk_setup_free(ntk_setup *su);

static int ntk_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen);

static int ntk_out_of_memory(char *err, size_t errlen, size_t n, size_t d)
{
  snprintf(err, errlen, "out of memory (n = %zu, d = %zu)", n, d);
  return TC_ENOMEM;
}

/* An exact sum of products b_l b_l' of doubles (the MPFR Gram fast path of
 * ntk_gram_row).  Why: the Gram matrix is sum_j u_j u_j^T with u_ij =
 * b_j.x_i, so for the neurons with activation pattern P (the set of i
 * with b_j.x_i > 0) G_pq gets x_p^T (sum_j b_j b_j^T) x_q for p, q in P.
 * The moments sum_j b_j b_j^T are sums of products of doubles, which a
 * fixed-point integer accumulator adds exactly (no MPFR per neuron); the
 * few MPFR operations per pattern and pair come at the end.  A double
 * b = M 2^e (|M| < 2^53) with 2^-62 <= ulp(b) and |b| < 2 gives products
 * M M' 2^(e+e') that are integer multiples of 2^-124 below 2^126; each
 * is split into a multiple of 2^-62 (hi) and a remainder (lo < 2^62), so
 * 2^62 products fit in the signed 128-bit words.  value = hi 2^-62 +
 * lo 2^-124. */
#define NTK_FAST_MAX_N 6 /* 2^n patterns */
#define NTK_FAST_MAX_D 8
__extension__ typedef __int128 ntk_i128;
__extension__ typedef unsigned __int128 ntk_u128;
typedef struct {
  ntk_i128 hi, lo;
} ntk_xacc;

/* b = mant 2^ex; 0 when b is outside the accumulator's window (then the
 * neuron takes the MPFR path).  Zeros are mant = 0. */
static int ntk_xsplit(double b, int64_t *mant, int *ex)
{
  if (b == 0) {
    *mant = 0;
    *ex = -62;
    return 1;
  }
  int e;
  double f = frexp(b, &e); /* b = f 2^e, 1/2 <= |f| < 1 */
  *mant = (int64_t)ldexp(f, 53);
  *ex = e - 53;
  return *ex >= -62 && *ex <= -52;
}

static void ntk_xacc_add(ntk_xacc *a, int64_t m1, int e1, int64_t m2, int e2)
{
  ntk_i128 p = (ntk_i128)m1 * m2;
  ntk_u128 mag = (ntk_u128)(p < 0 ? -p : p) << (e1 + e2 + 124); /* shift 0..20 */
  ntk_i128 h = (ntk_i128)(mag >> 62), l = (ntk_i128)(mag & (((ntk_u128)1 << 62) - 1));
  if (p < 0) {
    a->hi -= h;
    a->lo -= l;
  } else {
    a->hi += h;
    a->lo += l;
  }
}

/* mom[k], k over the upper triangle l <= l' of b b^T, += b_l b_l'; 0 (and
 * nothing added) when some b_l is outside the window. */
static int ntk_xacc_moments(ntk_xacc *mom, const double *b, size_t d)
{
  int64_t mant[NTK_FAST_MAX_D];
  int ex[NTK_FAST_MAX_D];
  for (size_t l = 0; l < d; l++)
    if (!ntk_xsplit(b[l], &mant[l], &ex[l]))
      return 0;
  size_t k = 0;
  for (size_t l = 0; l < d; l++)
    for (size_t l2 = l; l2 < d; l2++)
      ntk_xacc_add(&mom[k++], mant[l], ex[l], mant[l2], ex[l2]);
  return 1;
}

/* out <- the value of a, rounded once to out's precision (tmp has 320
 * bits: hi < 2^127 and lo's 2^-124 fit exactly). */
static void ntk_xacc_get(mpfr_ptr out, ntk_xacc a, mpfr_ptr tmp)
{
  a.hi += a.lo >> 62; /* arithmetic shift: lo = 2^62 q + r, 0 <= r < 2^62 */
  a.lo &= ((ntk_i128)1 << 62) - 1;
  int neg = a.hi < 0;
  ntk_u128 mag = neg ? -(ntk_u128)a.hi : (ntk_u128)a.hi;
  mpfr_set_ui(tmp, 0, MPFR_RNDN);
  for (int s = 96; s >= 0; s -= 32) {
    mpfr_mul_2ui(tmp, tmp, 32, MPFR_RNDN);
    mpfr_add_ui(tmp, tmp, (unsigned long)((mag >> s) & 0xffffffffu), MPFR_RNDN);
  }
  if (neg)
    mpfr_neg(tmp, tmp, MPFR_RNDN);
  uint64_t lo = (uint64_t)a.lo; /* tmp <- (hi 2^30 + lo / 2^32) 2^32 + lo mod 2^32: units of 2^-124 */
  mpfr_mul_2ui(tmp, tmp, 30, MPFR_RNDN);
  mpfr_add_ui(tmp, tmp, (unsigned long)(lo >> 32), MPFR_RNDN); /* exact: within 320 bits */
  mpfr_mul_2ui(tmp, tmp, 32, MPFR_RNDN);
  mpfr_add_ui(tmp, tmp, (unsigned long)(lo & 0xffffffffu), MPFR_RNDN);
  mpfr_div_2ui(tmp, tmp, 124, MPFR_RNDN);
  mpfr_set(out, tmp, MPFR_RNDN);
}

#define TC_TEMPLATE "twolayer_source.h"
#include "num/tc_instantiate.h"
#define TC_TEMPLATE "ntk_init_source.h"
#include "num/tc_instantiate.h"

static void ntk_setup_free(ntk_setup *su)
{
  free(su->X);
  su->X = NULL;
}

/* Read the point, make its data set and fix the width.  The width is part
 * of the instance, so it is computed once, in double, for both backends:
 * from the closed-form kernel's smallest eigenvalue when the lemma's width
 * is asked for.  The relative guard 1e-10 keeps the rounded-up width at
 * or above the formula's exact value despite the double rounding of
 * lambda (the rows' m_required, from the backend's lambda, shows it). */
static int ntk_setup_make(ntk_setup *su, const tc_point *p, ntk_check_kind kind, const char **blame,
                          char *err, size_t errlen)
{
  memset(su, 0, sizeof *su);
  int status = ntk_params_read(&su->p, p, kind, blame, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  const ntk_params *np = &su->p;
  size_t n = np->n, d = np->d;
  su->X = malloc(n * d * sizeof *su->X);
  if (su->X == NULL || ntk_data_make(su->X, np) != TC_SUCCESS) {
    ntk_setup_free(su);
    return ntk_out_of_memory(err, errlen, n, d);
  }
  if (!isnan(np->m)) {
    su->m = (size_t)np->m;
    return TC_SUCCESS;
  }

  double lo, width;
  if ((status = ntk_kernel_lambda_d(&lo, su->X, n, d, kind, 53, err, errlen)) == TC_ENOMEM) {
    ntk_setup_free(su);
    return ntk_out_of_memory(err, errlen, n, d);
  }
  const char *what = kind == NTK_CHECK_H0 ? "lambda0 = lambda_min(H_inf)" : "lambda_n(K)";
  if (status != TC_SUCCESS) {
    snprintf(err, errlen, "%s: symmetric eigenvalues failed", what);
  } else if (!(lo > 0)) {
    snprintf(err, errlen, "%s = %.3g: the data violate the lemma's hypothesis %s > 0", what, lo,
             kind == NTK_CHECK_H0 ? "lambda0" : "lambda_n(K)");
    status = TC_EDOM;
  } else {
    ntk_width_d(&width, &lo, np, kind, 53);
    double m = ceil(width * (1 + 1e-10));
    if (!(m <= np->max_width)) {
      *blame = "max_width";
      if (kind == NTK_CHECK_H0)
        snprintf(err, errlen,
                 "the lemma's width m = ceil(width_constant n^2/lambda0^2 log(n/delta)) = %.0f "
                 "(lambda0 = %.4g) exceeds max_width = %.0f",
                 m, lo, np->max_width);
      else
        snprintf(err, errlen,
                 "the stated width m = ceil(width_factor log(n^2/delta)/(2 lambda_n(K)^2)) = %.0f "
                 "(lambda_n(K) = %.4g) exceeds max_width = %.0f",
                 m, lo, np->max_width);
      status = TC_EDOM;
    } else {
      su->m = (size_t)m;
    }
  }
  if (status != TC_SUCCESS)
    ntk_setup_free(su);
  return status;
}

/* Validation makes the setup: the lemma's width, and whether it is
 * affordable, depends on the data's kernel.  Each value alone has been
 * checked by the engine from the specs below. */
static int ntk_validate(const tc_point *p, ntk_check_kind kind, const char **param, char *err,
                        size_t errlen)
{
  ntk_setup su;
  int status = ntk_setup_make(&su, p, kind, param, err, errlen);
  if (status == TC_SUCCESS)
    ntk_setup_free(&su);
  return status;
}

static int ntk_h0_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  return ntk_validate(p, NTK_CHECK_H0, param, err, errlen);
}

static int ntk_gram_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  return ntk_validate(p, NTK_CHECK_GRAM, param, err, errlen);
}

/* The network's weights: stream 0 of the instance's tape (the stream of
 * tc_rng_alloc(seed)), Gaussians read in order by both backends. */
static int ntk_draw(tc_tape *tape, const tc_instance *inst, char *err, size_t errlen)
{
  (void)inst;
  int status = tc_tape_open(tape, 0, TC_DRAW_GAUSSIAN_ZIGGURAT, 0);
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "cannot open the weight stream of the tape");
  return status;
}

#define NTK_DATA_PARAMS \
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = NTK_MAX_N, .required = 1, \
   .meaning = "the number of data points"}, \
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = NTK_MAX_D, .required = 1, \
   .meaning = "the input dimension"}, \
  {.name = "data", .type = TC_PARAM_SYMBOL, .values = ntk_family_names, .def = "sphere", \
   .meaning = "the data family"}, \
  {.name = "angle", .type = TC_PARAM_REAL, .min = 0, .max = NTK_PI, .min_open = 1, .max_open = 1, \
   .def = "0.1", .meaning = "near-parallel: radians between x_1 and x_2"}, \
  {.name = "scale", .type = TC_PARAM_REAL, .min = 1e-100, .max = 1e100, .def = "1", \
   .meaning = "the norm of every data point"}, \
  {.name = "data_seed", .type = TC_PARAM_INTEGER, .min = 0, .max = 9007199254740992.0, .def = "0", \
   .meaning = "which data set"}, \
  {.name = "max_width", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e9, .def = "2e6", \
   .meaning = "the largest width the run accepts"}, \
  {.name = "detail", .type = TC_PARAM_INTEGER, .min = 0, .max = 1, .def = "0", \
   .meaning = "1: put the matrices' upper triangles in the row"}

static const tc_param_spec ntk_h0_params[] = {
  NTK_DATA_PARAMS,
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e9,
   .meaning = "the width (or give delta for the lemma's)"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .max = 1, .min_open = 1, .max_open = 1,
   .meaning = "the failure probability"},
  {.name = "width_constant", .type = TC_PARAM_REAL, .min = 0, .max = 1e12, .min_open = 1, .def = "1",
   .meaning = "the Omega-constant of the lemma's width"},
  {0}};

static const tc_output_spec ntk_h0_outputs[] = {
  {.name = "m", .meaning = "the width"},
  {.name = "n", .meaning = "the number of data points"},
  {.name = "d", .meaning = "the input dimension"},
  {.name = "h_dev", .meaning = "|H(0) - H_inf|_2"},
  {.name = "lambda0", .meaning = "lambda_min(H_inf)"},
  {.name = "lambda_h0", .meaning = "lambda_min(H(0))"},
  {.name = "delta", .meaning = "the failure probability"},
  {.name = "m_required", .meaning = "the lemma's width, unrounded"},
  {.name = "c_needed", .meaning = "with delta: m (4 h_dev/lambda0)^2 / (n^2/lambda0^2 log(n/delta))"},
  {.name = "lambda0_cert", .meaning = "certified lower bound of lambda0: Cholesky of H_inf - c I succeeds"},
  {.name = "h_dev_cert", .meaning = "certified upper bound of h_dev: Cholesky of c I -+ (H(0) - H_inf) succeed"},
  {.name = "cert_err", .meaning = "2 max(h_dev_cert - h_dev, (lambda0 - lambda0_cert)/4): error of h_dev - lambda0/4"},
  {.name = "Hinf_*", .meaning = "detail: H_inf_i_j"},
  {.name = "H0_*", .meaning = "detail: H(0)_i_j"},
  {0}};

const tc_check tc_check_ntk_h0 = {
  .name = "ntk-h0",
  .summary = "two-layer ReLU NTK at init: |H(0) - H_inf|_2 against lambda0 = lambda_min(H_inf)",
  .params = ntk_h0_params,
  .outputs = ntk_h0_outputs,
  .validate = ntk_h0_validate,
  .measure_d = ntk_h0_measure_d,
  .measure_mpfr = ntk_h0_measure_mpfr,
  .prepare_d = ntk_h0_prepare_d,
  .prepare_mpfr = ntk_h0_prepare_mpfr,
  .release_d = ntk_release_d,
  .release_mpfr = ntk_release_mpfr,
  .draw = ntk_draw,
};

static const tc_param_spec ntk_gram_params[] = {
  NTK_DATA_PARAMS,
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .max = 1, .min_open = 1, .max_open = 1,
   .required = 1, .meaning = "the failure probability"},
  {.name = "width_factor", .type = TC_PARAM_REAL, .min = 0, .max = 1e12, .min_open = 1, .def = "1",
   .meaning = "the width as a multiple of Lemma 11's"},
  {0}};

static const tc_output_spec ntk_gram_outputs[] = {
  {.name = "m", .meaning = "the width"},
  {.name = "m_required", .meaning = "Lemma 11's width, unrounded"},
  {.name = "lambda_K", .meaning = "lambda_n(K)"},
  {.name = "lambda_hat", .meaning = "lambda_n(K-hat)"},
  {.name = "lambda_G", .meaning = "lambda_n(G) = m lambda_hat"},
  {.name = "eig_err", .meaning = "4 n eps lambda_max(G): the double eigensolver's error bound on lambda_G"},
  {.name = "lambda_K_cert", .meaning = "certified lower bound of lambda_K: Cholesky of K - c I succeeds"},
  {.name = "lambda_G_cert", .meaning = "certified lower bound of lambda_G: Cholesky of G - c I succeeds"},
  {.name = "cert_err", .meaning = "2 max(lambda_G - lambda_G_cert, m (lambda_K - lambda_K_cert)/2)"},
  {.name = "n", .meaning = "the number of data points"},
  {.name = "d", .meaning = "the input dimension"},
  {.name = "delta", .meaning = "the failure probability"},
  {.name = "K_*", .meaning = "detail: K_i_j"},
  {.name = "Khat_*", .meaning = "detail: K-hat_i_j"},
  {0}};

const tc_check tc_check_ntk_gram = {
  .name = "ntk-gram",
  .summary = "random-feature Gram matrix at a = 0: lambda_n(G) against (m/2) lambda_n(K) at Lemma 11's width",
  .params = ntk_gram_params,
  .outputs = ntk_gram_outputs,
  .validate = ntk_gram_validate,
  .measure_d = ntk_gram_measure_d,
  .measure_mpfr = ntk_gram_measure_mpfr,
  .prepare_d = ntk_gram_prepare_d,
  .prepare_mpfr = ntk_gram_prepare_mpfr,
  .release_d = ntk_release_d,
  .release_mpfr = ntk_release_mpfr,
  .draw = ntk_draw,
};
