/* lazy.c — check module "lazy-gf": lazy training of real networks by
 * gradient flow, with the kernel monitored along the run (lectures 000 §3
 * items 8-9, 001 and 002 (NTK dynamics), 003 (linearisation), 004
 * (Theorem 10, Lemma 12, the smoothness inequality)).
 *
 * Models (`model`):
 *   linear  f(x) = x^T w, w(0) = 0: the kernel K = X X^T is constant and
 *           the residual r = y - f solves dr/dt = -K r/eta exactly,
 *           r(t) = exp(-K t/eta) r(0) (lecture 002, 1)).
 *   ntk     lecture 000 §3: f(x) = m^{-1/2} sum_k a_k relu(W_k . x),
 *           a_k uniform in {-1, 1} fixed, W_k ~ N(0, I_d), L = 1/2 sum_i
 *           (y_i - f(x_i))^2, GF dW/dt = -grad_W L / eta.  Kernel H_t =
 *           J J^T (= (1/m) sum_k 1{W_k.x_i > 0} 1{W_k.x_j > 0} <x_i, x_j>),
 *           lambda0 = lambda_min(H_inf), H_inf_ij = <x_i,x_j>(pi-theta_ij)/(2 pi).
 *   mf      lecture 004 (0.18)-(0.21): f(x) = sum_j a_j relu(b_j . x),
 *           a_j = 0, b_j ~ Unif(S^{d-1}), the flow (0.20) (no 1/n) divided
 *           by eta.  Gram G_t = J J^T = m K-hat(theta_t); lambda0 =
 *           lambda_n(K), K_ij = |x_i||x_j|(sin th + (pi - th) cos th)/(2 pi d).
 *           `init = balanced` draws the remark after Theorem 10's a_j ~
 *           N(0, 1/m), b_j ~ N(0, I_d/(md)), whose tangent kernel is G
 *           itself (alpha = 0): lam0 is then of k = K + H_inf.
 *           `init = random` instead draws a_j ~ N(0, sa^2), b_j = sb u_j
 *           (u_j uniform on the sphere): any theta, for the smoothness
 *           inequality of 004-35.  `train = a` freezes B = B_0: the
 *           random-feature model of Theorem 13 and Lemma 14, whose rows
 *           add span_dist = |a(t) - P a(t)|, P the projection on the span
 *           of the columns of S_0 = (relu(b_j(0).x_i))_{j,i} (thin QR),
 *           anorm = |a(t)| and span_err = 64 (steps + m + n) u |a|.
 * The flow dtheta/dt = J(theta)^T (y - f(theta)) / eta is integrated by the
 * classical RK4 step (src/tc_ode.h) in the backend's arithmetic, twice: with
 * step 2h, keeping (theta, r) at each checkpoint, then with step h.  The
 * fine run's distances to the coarse one, e_theta = |theta_h - theta_2h| and
 * e_r = |r_h - r_2h| (vector norms: a difference of norms can cancel where
 * the vectors do not), give the error estimates: e_res = e_lingap = e_r,
 * e_move = e_dist = e_theta, e_risk, e_taylor from them, e_grad, e_gradR2,
 * e_lam from |fine - coarse|.  For a method of order p the coarse error is
 * 2^p times the fine one, so this over-estimates the fine run's error
 * (about 15x for RK4 where the activation pattern does not change; across a
 * kink of ReLU the order drops, and the estimate still compares like with
 * like).  A margin inside it is never a verdict (`error` key).
 * h = hscale / lambda_max(J J^T at t = 0) * eta.
 *
 * `method = gd` replaces the RK4 step by the small-step gradient descent
 * theta_{k+1} = theta_k + lr J^T(y - f)/eta (lecture 001's theta(t+1) =
 * theta(t) - eta dL/dtheta with L = (1/n) sum loss when eta = n and lr is
 * the notes' step; lecture 002's W+ = W - s grad L with eta = 1, lr = s).
 * The step is lr (default hscale eta / lambda_max(G_0), so hscale > 2
 * makes GD diverge on purpose), t = k lr after k steps, and the rows add
 * lr and k.  The coarse run is GD with step 2 lr on the same checkpoints:
 * GD is first order, so |GD_lr - GD_2lr| estimates GD_lr's distance to the
 * gradient flow (the discretisation error, reported in e_*).  A claim
 * about the GD iterates themselves has no integration error.
 *
 * Data (`data`, drawn in double from the instance seed; |x_i| <= scale):
 *   sphere    uniform on scale * S^{d-1};
 *   ball      off the sphere: radius uniform in [rmin, 1] * scale (rmin
 *             = 0.2 unless given; `rmin` < 1 draws radii for any kind);
 *   circle    n points equally spaced on a great circle (first two
 *             coordinates, random phase): lambda_n(K) fixed by n and d;
 *   parallel  sphere points with x_2 at angle `angle` from x_1 (and x_4
 *             from x_3, ...): lambda0 -> 0 as angle -> 0.
 * Labels (`labels`, times yscale): pm1 (random signs), uniform (U[-1,1]),
 * smooth (y_i = v . x_i / scale, |v| = 1), adversarial (signs with y_{2k}
 * = -y_{2k-1}: opposite labels on the near-parallel pairs).
 *
 * Time: checkpoints t_j = j T / K, j = 1..K (K = checkpoints), T = `time`
 * if given, else min(horizon / rate0, tmax) with rate0 = lambda0/eta
 * (linear, ntk) or m lambda0/eta (mf, where G = m K-hat).  `data_seed`
 * draws one data set for every instance of a point (rate claims in m).
 *
 * Rows (one per checkpoint): t, n, m, d, C (= max(max |x_i|, max |y_i|)),
 * lam0 (above), lamH0 = lambda_min(J J^T at 0) (mf: lambda_n(K-hat(0))),
 * res = |y - f(t)|, res0, resl1 = sum_i |y_i - f_i(t)|, risk = |r|^2/(2n),
 * risk0, move = max_k |W_k(t) - W_k(0)| (mf: max_j |b_j(t) - b_j(0)|;
 * linear: |w - w0|), amax = max_j |a_j(t)| (mf), dist = |theta(t) -
 * theta(0)|, grad = max_k |grad_{W_k} L| at t (mf: the b_j blocks; linear:
 * |grad L|), gradR2 = |grad R-hat|^2 with R-hat = |r|^2/(2n), thn2 =
 * |theta(t)|^2, lam_t = lambda_min(J J^T) at t (mf: lambda_n(K-hat)),
 * lam_path = min of lam_t over every step up to t, lam_int = its integral
 * (trapezoid over the steps), kdev = |K-hat(t) - K-hat(0)|_F (mf; else
 * |H_t - H_0|_F), inI = 1 while kdev <= lam0/4 at every step so far (mf:
 * theta in the set I(theta_0) of 004-33), hyp = 1 while lam_path >= lam0/2,
 * taylor = |f(t) - f(0) - J_0 (theta(t) - theta(0))|, lingap = |r(t) -
 * exp(-H_0 t/eta) r(0)| (the network against the trained linearisation,
 * = the random-feature model for mf), reslin = |exp(-H_0 t/eta) r(0)|,
 * and the error estimates e_res, e_move, e_grad, e_risk, e_dist, e_taylor,
 * e_lingap (|fine - coarse|), e_lam (of lam_t).  At t the monitored kernel
 * is sampled at every step only: between steps lambda_min is not seen.
 * Also at every checkpoint, from central differences of the forward pass
 * along the velocity v = J^T r/eta (steps h, 2h with h|v| = 2^-14):
 * chain = |du/dt - H_t r/eta| (001-14), chain_neg = |du/dt + H_t r/eta|,
 * chain_ref = |H_t r/eta|, dL_fd = dL/dt, dL_ref = -|J^T r|^2/eta (grad L
 * = -J^T r), gnote = |dL_fd - sum_i df(x_i)/dt| (003-30 as written), with
 * e_chain, e_dL = |h - 2h| + 64 u (|f| + |y| + 1)/h; with `design` (mf,
 * a = 0) gap_sphere and fsup on the sphere design (Theorem 13, see
 * lazy_sphere); lr and k (the step and the steps taken).  kres_int =
 * int_0^t g |K(s) - K(0)|_F |r(s)| ds/eta (g = m for mf), trapezoid over
 * the steps, bounds lingap (variation of constants); e_reslin is the
 * a-priori rounding of reslin, which for the linear model is the exact
 * residual.  At t = 0 (mf, init standard or balanced): gdev, gvar, gshift,
 * galt compare m^-alpha G(theta_0) with the closed-form tangent kernel
 * (lazy_gk).  `widths` = W trains the same data at m, 2m, ..., 2^(W-1) m
 * (rows of every width, for figures over m). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "tc_check.h"
#include "params.h"
#include "tc_linalg.h"

#define LAZY_MAX_N 1000
#define LAZY_MAX_D 1000
#define LAZY_PI 3.14159265358979323846 /* M_PI is not strict C11 */

enum { LAZY_LINEAR, LAZY_NTK, LAZY_MF };
enum { LAZY_DATA_SPHERE, LAZY_DATA_BALL, LAZY_DATA_PARALLEL, LAZY_DATA_CIRCLE };
enum { LAZY_LAB_PM1, LAZY_LAB_UNIFORM, LAZY_LAB_SMOOTH, LAZY_LAB_ADVERSARIAL };
enum { LAZY_INIT_STANDARD, LAZY_INIT_RANDOM, LAZY_INIT_BALANCED };
enum { LAZY_TRAIN_ALL, LAZY_TRAIN_A };
enum { LAZY_METHOD_GF, LAZY_METHOD_GD };

/* One instance's settings (backend-independent). theta's layout: linear
 * w (d); ntk W row-major (m x d); mf a (m) then B row-major (m x d). */
typedef struct {
  int model, data, labels, init, train, method;
  size_t n, d, m, checkpoints;
  double delta, mfactor, angle, scale, rmin, yscale, sa, sb, eta, time, horizon, tmax, hscale, data_seed;
  double max_steps, max_params, lr, iterations;
  size_t design;    /* mf: points of the sphere design for Theorem 13 (0: none) */
  size_t widths;    /* train at m, 2m, ..., 2^(widths-1) m (rows indexed by m) */
  const double *Xs; /* design x d doubles, set by lazy_measure */
} lazy_config;

/* lambda_min of the symmetric n x n row-major K, in double (LAPACK). */
static double lazy_eigmin_double(const double *K, size_t n)
{
  tc_mat_d *A = tc_mat_alloc_d(n, n, 53);
  tc_vec_d *ev = tc_vec_alloc_d(n, 53);
  tc_eigen_ws_d *w = tc_eigen_ws_alloc_d(n, 53);
  double lam = NAN;
  if (A && ev && w) {
    for (size_t i = 0; i < n * n; i++)
      A->data[i] = K[i];
    if (tc_eigen_symm_d(ev, A, w) == TC_SUCCESS)
      lam = ev->data[0];
  }
  if (A)
    tc_mat_free_d(A);
  if (ev)
    tc_vec_free_d(ev);
  if (w)
    tc_eigen_ws_free_d(w);
  return lam;
}

static const char *const lazy_models[] = {"linear", "ntk", "mf", NULL};
static const char *const lazy_datas[] = {"sphere", "ball", "parallel", "circle", NULL};
static const char *const lazy_labelss[] = {"pm1", "uniform", "smooth", "adversarial", NULL};
static const char *const lazy_inits[] = {"standard", "random", "balanced", NULL};
static const char *const lazy_trains[] = {"all", "a", NULL};
static const char *const lazy_methods[] = {"gf", "gd", NULL};

static int lazy_symbol(int *out, const tc_point *p, const char *name, const char *const *names,
                       const char *def, char *err, size_t errlen)
{
  const char *t = tc_point_text(p, name);
  *out = tc_param_lookup(t ? t : def, names);
  if (*out < 0) {
    snprintf(err, errlen, "bad value of %s: %s", name, t ? t : "(missing)");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* The width: `m`, or for mf with `delta` the threshold of Theorem 10,
 * m = ceil(mfactor * 10 n log(2 n^2/delta) / lambda_n(K)^2), which needs
 * the data: see lazy_width. */
static int lazy_config_read(lazy_config *c, const tc_point *p, char *err, size_t errlen)
{
  int status;
  double v;
  if ((status = lazy_symbol(&c->model, p, "model", lazy_models, NULL, err, errlen)) ||
      (status = lazy_symbol(&c->data, p, "data", lazy_datas, "sphere", err, errlen)) ||
      (status = lazy_symbol(&c->labels, p, "labels", lazy_labelss, "pm1", err, errlen)) ||
      (status = lazy_symbol(&c->init, p, "init", lazy_inits, "standard", err, errlen)) ||
      (status = lazy_symbol(&c->train, p, "train", lazy_trains, "all", err, errlen)) ||
      (status = lazy_symbol(&c->method, p, "method", lazy_methods, "gf", err, errlen)))
    return status;
  if ((status = tc_param_number(&v, p, "n", 1, LAZY_MAX_N, 1, err, errlen)))
    return status;
  c->n = (size_t)v;
  if ((status = tc_param_number(&v, p, "d", 1, LAZY_MAX_D, 1, err, errlen)))
    return status;
  c->d = (size_t)v;
  c->m = (size_t)tc_point_get_or(p, "m", 0);
  c->delta = tc_point_get_or(p, "delta", NAN);
  c->mfactor = tc_point_get_or(p, "mfactor", 1);
  c->angle = tc_point_get_or(p, "angle", 0.1);
  c->scale = tc_point_get_or(p, "scale", 1);
  c->rmin = tc_point_get_or(p, "rmin", c->data == LAZY_DATA_BALL ? 0.2 : 1);
  c->yscale = tc_point_get_or(p, "yscale", 1);
  c->sa = tc_point_get_or(p, "sa", 1);
  c->sb = tc_point_get_or(p, "sb", 1);
  c->eta = tc_point_get_or(p, "eta", 1);
  c->time = tc_point_get_or(p, "time", NAN);
  c->horizon = tc_point_get_or(p, "horizon", 3);
  c->tmax = tc_point_get_or(p, "tmax", INFINITY);
  c->data_seed = tc_point_get_or(p, "data_seed", -1);
  c->hscale = tc_point_get_or(p, "hscale", 0.25);
  c->checkpoints = (size_t)tc_point_get_or(p, "checkpoints", 10);
  c->max_steps = tc_point_get_or(p, "max_steps", 20000);
  c->max_params = tc_point_get_or(p, "max_params", 2e6);
  c->lr = tc_point_get_or(p, "lr", NAN);
  c->iterations = tc_point_get_or(p, "iterations", NAN);
  c->design = (size_t)tc_point_get_or(p, "design", 0);
  c->widths = (size_t)tc_point_get_or(p, "widths", 1);
  c->Xs = NULL;
  if (c->design && (c->model != LAZY_MF || c->init != LAZY_INIT_STANDARD)) {
    snprintf(err, errlen, "design (Theorem 13 on the sphere) needs model mf with init standard (a = 0)");
    return TC_EDOM;
  }
  if (c->model == LAZY_MF && c->m == 0 && !(c->delta > 0)) {
    snprintf(err, errlen, "model mf needs m or delta (Theorem 10's width)");
    return TC_EDOM;
  }
  if (c->model == LAZY_NTK && c->m == 0) {
    snprintf(err, errlen, "model ntk needs m");
    return TC_EDOM;
  }
  if (c->model == LAZY_LINEAR)
    c->m = 1;
  if (c->train == LAZY_TRAIN_A && c->model != LAZY_MF) {
    snprintf(err, errlen, "train = a (the random-feature model) needs model mf");
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

static int lazy_validate(const tc_point *p, const char **param, char *err, size_t errlen)
{
  lazy_config c;
  int status = lazy_config_read(&c, p, err, errlen);
  if (status != TC_SUCCESS) {
    *param = tc_point_text(p, "m") ? "m" : "model";
    return status;
  }
  if ((c.data == LAZY_DATA_PARALLEL || c.data == LAZY_DATA_CIRCLE) && c.d < 2) {
    *param = "d";
    snprintf(err, errlen, "parallel and circle data need d >= 2");
    return TC_EDOM;
  }
  double params = c.model == LAZY_LINEAR ? (double)c.d
                  : ldexp((double)c.m, (int)c.widths - 1) * (double)(c.d + (c.model == LAZY_MF));
  if (c.m && params * (double)c.n > c.max_params) {
    *param = "m";
    snprintf(err, errlen, "m d n = %.3g exceeds max_params %.3g", params * (double)c.n, c.max_params);
    return TC_EDOM;
  }
  return TC_SUCCESS;
}

/* A unit vector of length d, Gaussian direction. */
static void lazy_unit(double *u, size_t d, gsl_rng *rng)
{
  double s;
  do {
    s = 0;
    for (size_t l = 0; l < d; l++) {
      u[l] = gsl_ran_gaussian(rng, 1.0);
      s += u[l] * u[l];
    }
  } while (!(s > 1e-300));
  s = sqrt(s);
  for (size_t l = 0; l < d; l++)
    u[l] /= s;
}

/* x_j <- the unit vector at angle `angle` from the unit x_i, in the plane
 * of x_i and a random direction. */
static void lazy_tilt(double *xj, const double *xi, size_t d, double angle, gsl_rng *rng)
{
  double *u = xj, s = 0, dot = 0;
  lazy_unit(u, d, rng);
  for (size_t l = 0; l < d; l++)
    dot += u[l] * xi[l];
  for (size_t l = 0; l < d; l++) {
    u[l] -= dot * xi[l];
    s += u[l] * u[l];
  }
  s = sqrt(s);
  for (size_t l = 0; l < d; l++)
    xj[l] = cos(angle) * xi[l] + sin(angle) * u[l] / s;
}

/* The data set and labels of one instance, in double (both backends load
 * the same doubles). */
static void lazy_draw_data(double *X, double *y, const lazy_config *c, gsl_rng *rng)
{
  size_t n = c->n, d = c->d;
  /* drawn only for circle data: the other kinds keep their streams */
  double phase = c->data == LAZY_DATA_CIRCLE ? gsl_rng_uniform(rng) * 2 * LAZY_PI : 0;
  for (size_t i = 0; i < n; i++) {
    double *x = X + i * d;
    if (c->data == LAZY_DATA_PARALLEL && i % 2 == 1) {
      lazy_tilt(x, x - d, d, c->angle, rng);
    } else if (c->data == LAZY_DATA_CIRCLE) {
      /* equally spaced on a great circle: lambda_n(K) fixed by n and d */
      for (size_t l = 0; l < d; l++)
        x[l] = 0;
      x[0] = cos(phase + 2 * LAZY_PI * (double)i / (double)n);
      x[1] = sin(phase + 2 * LAZY_PI * (double)i / (double)n);
    } else {
      lazy_unit(x, d, rng);
    }
  }
  for (size_t i = 0; i < n; i++) {
    double r = c->rmin < 1 ? gsl_ran_flat(rng, c->rmin, 1.0) : 1.0;
    for (size_t l = 0; l < d; l++)
      X[i * d + l] *= r * c->scale;
  }
  double v[LAZY_MAX_D];
  lazy_unit(v, d, rng);
  for (size_t i = 0; i < n; i++) {
    double s = gsl_rng_uniform(rng) < 0.5 ? -1.0 : 1.0;
    switch (c->labels) {
    case LAZY_LAB_UNIFORM:
      y[i] = gsl_ran_flat(rng, -1.0, 1.0);
      break;
    case LAZY_LAB_SMOOTH:
      y[i] = 0;
      for (size_t l = 0; l < d; l++)
        y[i] += v[l] * X[i * d + l] / c->scale;
      break;
    case LAZY_LAB_ADVERSARIAL:
      y[i] = i % 2 == 1 ? -y[i - 1] : s;
      break;
    default:
      y[i] = s;
    }
  }
  for (size_t i = 0; i < n; i++)
    y[i] *= c->yscale;
}

/* Theorem 13's design on S^{d-1} (ns points, row-major ns x d): d = 1 the
 * two points +-1; d = 2 equally spaced angles 2 pi s/ns; d = 3 the
 * Fibonacci lattice (quasi-uniform, spacing ~ sqrt(4 pi/ns)); d >= 4
 * uniform random points (no lattice: the design is a sample). */
static void lazy_design(double *Xs, size_t ns, size_t d, gsl_rng *rng)
{
  for (size_t s = 0; s < ns; s++) {
    double *x = Xs + s * d;
    if (d == 1) {
      x[0] = s % 2 ? -1.0 : 1.0;
    } else if (d == 2) {
      x[0] = cos(2 * LAZY_PI * (double)s / (double)ns);
      x[1] = sin(2 * LAZY_PI * (double)s / (double)ns);
    } else if (d == 3) {
      double z = 1 - (2.0 * (double)s + 1) / (double)ns, rho = sqrt(fmax(0.0, 1 - z * z));
      double ph = (double)s * LAZY_PI * (3 - sqrt(5.0));
      x[0] = rho * cos(ph);
      x[1] = rho * sin(ph);
      x[2] = z;
    } else {
      lazy_unit(x, d, rng);
    }
  }
}

/* The initial parameters theta(0) in double (layout: see lazy_impl.h). */
static void lazy_draw_init(double *theta, double *a, const lazy_config *c, gsl_rng *rng)
{
  size_t m = c->m, d = c->d;
  if (c->model == LAZY_LINEAR) {
    for (size_t l = 0; l < d; l++)
      theta[l] = 0;
  } else if (c->model == LAZY_NTK) {
    for (size_t k = 0; k < m; k++)
      a[k] = gsl_rng_uniform(rng) < 0.5 ? -1.0 : 1.0;
    for (size_t k = 0; k < m * d; k++)
      theta[k] = gsl_ran_gaussian(rng, 1.0);
  } else {
    if (c->init == LAZY_INIT_BALANCED) {
      /* 004's remark: a_j ~ N(0, 1/m), b_j ~ N(0, I_d/(m d)) */
      double sa = 1 / sqrt((double)m), sb = 1 / sqrt((double)m * (double)d);
      for (size_t j = 0; j < m; j++)
        theta[j] = sa * gsl_ran_gaussian(rng, 1.0);
      for (size_t k = 0; k < m * d; k++)
        theta[m + k] = sb * gsl_ran_gaussian(rng, 1.0);
      return;
    }
    for (size_t j = 0; j < m; j++) {
      theta[j] = c->init == LAZY_INIT_RANDOM ? c->sa * gsl_ran_gaussian(rng, 1.0) : 0.0;
      lazy_unit(theta + m + j * d, d, rng);
      for (size_t l = 0; l < d; l++)
        theta[m + j * d + l] *= c->init == LAZY_INIT_RANDOM ? c->sb : 1.0;
    }
  }
}

/* lambda_n(K) of the mf kernel in double, for Theorem 10's width; with
 * `bal`, of the balanced initialisation's k = K + H_inf. */
static double lazy_lambda_k_double(const double *X, size_t n, size_t d, int bal)
{
  double *K = malloc(n * n * sizeof *K);
  if (!K)
    return NAN;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double g = 0, a = 0, b = 0;
      for (size_t l = 0; l < d; l++) {
        g += X[i * d + l] * X[j * d + l];
        a += X[i * d + l] * X[i * d + l];
        b += X[j * d + l] * X[j * d + l];
      }
      double na = sqrt(a), nb = sqrt(b), cth = i == j ? 1.0 : fmax(-1.0, fmin(1.0, g / (na * nb)));
      double th = acos(cth);
      K[i * n + j] = na * nb * (sqrt(fmax(0.0, 1 - cth * cth)) + (LAZY_PI - th) * cth) /
                     (2 * LAZY_PI * (double)d) + (bal ? g * (LAZY_PI - th) / (2 * LAZY_PI) : 0.0);
    }
  double lam = lazy_eigmin_double(K, n);
  free(K);
  return lam;
}

/* For mf with `delta` and no `m`: Theorem 10's width, m = ceil(mfactor *
 * 10 n log(2 n^2/delta) / lambda_n(K)^2), lambda_n(K) in double from the
 * data (so both backends train the same width).  Refused above max_params. */
static int lazy_width(lazy_config *c, const double *X, char *err, size_t errlen)
{
  if (c->model == LAZY_MF && c->m == 0) {
    double lam = lazy_lambda_k_double(X, c->n, c->d, c->init == LAZY_INIT_BALANCED), n = (double)c->n;
    double mreq = c->mfactor * 10 * n * log(2 * n * n / c->delta) / (lam * lam);
    if (!(lam > 0) || !(mreq * n * (double)(c->d + 1) <= c->max_params)) {
      snprintf(err, errlen, "Theorem 10's width m = %.4g (lambda_n(K) = %.4g) exceeds max_params %.3g",
               mreq, lam, c->max_params);
      return TC_EDOM;
    }
    c->m = (size_t)ceil(mreq);
  }
  return TC_SUCCESS;
}

/* The factor between the monitored K-hat's scale and the flow's rate:
 * G = m K-hat for mf at the standard or random initialisation (0.21);
 * the balanced one puts the 1/m into the weights, G -> k itself. */
static double lazy_gscale(const lazy_config *c)
{
  return c->model == LAZY_MF && c->init != LAZY_INIT_BALANCED ? (double)c->m : 1.0;
}

#define TC_TEMPLATE "twolayer_source.h"
#include "num/tc_instantiate.h"
#define TC_TEMPLATE "lazy_source.h"
#include "num/tc_instantiate.h"

static const tc_param_spec lazy_params[] = {
  {.name = "model", .type = TC_PARAM_SYMBOL, .values = lazy_models, .required = 1,
   .meaning = "linear, ntk (lecture 000) or mf (lecture 004)"},
  {.name = "n", .type = TC_PARAM_INTEGER, .min = 1, .max = LAZY_MAX_N, .required = 1,
   .meaning = "training points"},
  {.name = "d", .type = TC_PARAM_INTEGER, .min = 1, .max = LAZY_MAX_D, .required = 1,
   .meaning = "input dimension"},
  {.name = "m", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e7, .meaning = "width"},
  {.name = "delta", .type = TC_PARAM_REAL, .min = 0, .max = 1, .min_open = 1, .max_open = 1,
   .meaning = "mf: the width is Theorem 10's threshold for this delta (times mfactor)"},
  {.name = "mfactor", .type = TC_PARAM_REAL, .min = 1e-3, .max = 1e3, .def = "1",
   .meaning = "multiplies the threshold width"},
  {.name = "data", .type = TC_PARAM_SYMBOL, .values = lazy_datas, .def = "sphere",
   .meaning = "sphere, ball, parallel or circle (n points equally spaced on a great circle, random phase)"},
  {.name = "labels", .type = TC_PARAM_SYMBOL, .values = lazy_labelss, .def = "pm1",
   .meaning = "pm1, uniform, smooth or adversarial"},
  {.name = "init", .type = TC_PARAM_SYMBOL, .values = lazy_inits, .def = "standard",
   .meaning = "mf: standard (a = 0), random (a ~ N(0, sa^2), |b_j| = sb) or balanced (a_j ~ N(0, 1/m), b_j ~ N(0, I_d/(md)))"},
  {.name = "train", .type = TC_PARAM_SYMBOL, .values = lazy_trains, .def = "all",
   .meaning = "mf: all (the network) or a (the random-feature model, B = B_0 frozen)"},
  {.name = "angle", .type = TC_PARAM_REAL, .min = 0, .max = 3.2, .min_open = 1, .def = "0.1",
   .meaning = "parallel data: angle of the near-parallel pairs"},
  {.name = "scale", .type = TC_PARAM_REAL, .min = 1e-3, .max = 1e3, .def = "1", .meaning = "|x_i| <= scale"},
  {.name = "rmin", .type = TC_PARAM_REAL, .min = 0, .max = 1, .min_open = 1,
   .meaning = "|x_i| = r_i scale with r_i ~ U[rmin, 1] (default 0.2 for ball, else 1: on the sphere)"},
  {.name = "yscale", .type = TC_PARAM_REAL, .min = 0, .max = 1e3, .def = "1", .meaning = "label scale"},
  {.name = "sa", .type = TC_PARAM_REAL, .min = 0, .max = 1e3, .def = "1", .meaning = "init random: sd of a"},
  {.name = "sb", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e3, .def = "1", .meaning = "init random: |b_j|"},
  {.name = "eta", .type = TC_PARAM_REAL, .min = 1e-6, .max = 1e6, .def = "1",
   .meaning = "the flow is divided by eta (001: eta = n)"},
  {.name = "time", .type = TC_PARAM_REAL, .min = 0, .max = 1e9, .meaning = "horizon T (absolute)"},
  {.name = "horizon", .type = TC_PARAM_REAL, .min = 0, .max = 1e4, .def = "3",
   .meaning = "T = horizon / rate0 when time is absent"},
  {.name = "tmax", .type = TC_PARAM_REAL, .min = 0, .max = 1e9, .min_open = 1,
   .meaning = "caps T = horizon / rate0 (default: no cap)"},
  {.name = "data_seed", .type = TC_PARAM_INTEGER, .min = 0, .max = 9007199254740992.0,
   .meaning = "one data set for every instance of the point (default: per instance)"},
  {.name = "hscale", .type = TC_PARAM_REAL, .min = 1e-4, .max = 4, .def = "0.25",
   .meaning = "step h = hscale eta / lambda_max(kernel at 0) (RK4, or GD without lr)"},
  {.name = "method", .type = TC_PARAM_SYMBOL, .values = lazy_methods, .def = "gf",
   .meaning = "gf (gradient flow, RK4) or gd (gradient descent with step lr)"},
  {.name = "lr", .type = TC_PARAM_REAL, .min = 0, .max = 1e6, .min_open = 1,
   .meaning = "gd: the step eta of theta <- theta + eta J^T r / eta_flow (default hscale eta / lambda_max(G_0))"},
  {.name = "iterations", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e7,
   .meaning = "gd: number of steps (rounded up to a multiple of 2 checkpoints); default T / lr"},
  {.name = "design", .type = TC_PARAM_INTEGER, .min = 0, .max = 100000, .def = "0",
   .meaning = "mf: points of a design on S^{d-1} where the network is compared with its random-feature model (Theorem 13)"},
  {.name = "widths", .type = TC_PARAM_INTEGER, .min = 1, .max = 16, .def = "1",
   .meaning = "train the same data at m, 2m, ..., 2^(widths-1) m (rows of every width; index = m for a figure over m)"},
  {.name = "checkpoints", .type = TC_PARAM_INTEGER, .min = 1, .max = 1000, .def = "10",
   .meaning = "rows (checkpoints t_j = j T / K)"},
  {.name = "max_steps", .type = TC_PARAM_INTEGER, .min = 1, .max = 1e7, .def = "20000",
   .meaning = "refuse runs needing more RK4 steps"},
  {.name = "max_params", .type = TC_PARAM_REAL, .min = 1, .max = 1e9, .def = "2e6",
   .meaning = "refuse m (d+1) n above this"},
  {0}};

static const tc_output_spec lazy_outputs[] = {
  {.name = "t", .meaning = "time"}, {.name = "n", .meaning = "points"},
  {.name = "m", .meaning = "width"}, {.name = "d", .meaning = "dimension"},
  {.name = "C", .meaning = "max(|x_i|, |y_i|)"}, {.name = "lam0", .meaning = "lambda_min(H_inf) / lambda_n(K) / lambda_min(XX^T)"},
  {.name = "lamH0", .meaning = "lambda_min of the kernel at t = 0"},
  {.name = "res", .meaning = "|y - f(t)|"}, {.name = "res0", .meaning = "|y - f(0)|"},
  {.name = "resl1", .meaning = "sum |y_i - f_i(t)|"}, {.name = "risk", .meaning = "|r|^2/(2n)"},
  {.name = "risk0", .meaning = "risk at 0"}, {.name = "move", .meaning = "max per-neuron movement"},
  {.name = "amax", .meaning = "max |a_j(t)| (mf)"}, {.name = "dist", .meaning = "|theta(t) - theta(0)|"},
  {.name = "grad", .meaning = "max per-neuron |grad L|"}, {.name = "gradR2", .meaning = "|grad R-hat|^2"},
  {.name = "thn2", .meaning = "|theta|^2"}, {.name = "lam_t", .meaning = "lambda_min of the kernel at t"},
  {.name = "lam_path", .meaning = "min of lam_t over the steps"},
  {.name = "lam_int", .meaning = "integral of lam_t"}, {.name = "kdev", .meaning = "|K(t) - K(0)|_F"},
  {.name = "inI", .meaning = "1 while kdev <= lam0/4"}, {.name = "hyp", .meaning = "1 while lam_path >= lam0/2"},
  {.name = "taylor", .meaning = "|f(t) - f(0) - J_0 (theta - theta_0)|"},
  {.name = "lingap", .meaning = "|r(t) - exp(-H_0 t/eta) r(0)|"},
  {.name = "reslin", .meaning = "|exp(-H_0 t/eta) r(0)|"},
  {.name = "kres_int", .meaning = "int_0^t g |K(s) - K(0)|_F |r(s)| ds/eta (g = m for mf, else 1), trapezoid over the steps: bounds lingap"},
  {.name = "e_reslin", .meaning = "a-priori rounding bound of reslin: 64 u (n + mu_max t/eta) |r(0)|"},
  {.name = "lingap_inf", .meaning = "max_i |r_i(t) - r_lin,i(t)| (the network against its random-feature model on the data)"},
  {.name = "inI_now", .meaning = "1 when kdev <= lam0/4 at t"},
  {.name = "rate_int", .meaning = "integral of lambda_min(J J^T)/eta (the Gronwall exponent)"},
  {.name = "ev11", .meaning = "1 on Lemma 11's event lambda_n(K-hat(0)) >= lam0/2"},
  {.name = "mindist", .meaning = "sqrt(r0^T (J0 J0^T)^{-1} r0): the min-norm root's distance (003-38)"},
  {.name = "gdev", .meaning = "mf: |m^-alpha G(theta_0) - k|_F, alpha = 1 (init standard) or 0 (balanced), k the closed-form tangent kernel"},
  {.name = "gvar", .meaning = "mf: m E|m^-alpha G(theta_0) - k|_F^2 (exact, from the arc-cosine kernels of degree 0, 1, 2)"},
  {.name = "gshift", .meaning = "mf: |m^-(alpha+1) G(theta_0) - k|_F (the other scaling)"},
  {.name = "galt", .meaning = "mf: |m^-alpha G(theta_0) - k'|_F, k' the other initialisation's kernel"},
  {.name = "span_dist", .meaning = "mf: distance of a(t) to span{(relu(b_j(0).x_i))_j : i} (Lemma 14)"},
  {.name = "span_err", .meaning = "a-priori rounding bound for span_dist"},
  {.name = "anorm", .meaning = "|a(t)|"},
  {.name = "chain", .meaning = "|du/dt - H_t r/eta| along the flow, du/dt by central differences (001-14)"},
  {.name = "chain_neg", .meaning = "|du/dt + H_t r/eta| (002-19's sign as written)"},
  {.name = "chain_ref", .meaning = "|H_t r/eta|"},
  {.name = "e_chain", .meaning = "difference error of chain: |h - 2h| + 64 u (|f| + |y| + 1)/h"},
  {.name = "dL_fd", .meaning = "dL/dt along the flow by central differences"},
  {.name = "dL_ref", .meaning = "-|J^T r|^2/eta (from grad L = -J^T r, 003-30 corrected)"},
  {.name = "gnote", .meaning = "|dL_fd - sum_i df(x_i)/dt| (003-30 as written: grad L = grad f)"},
  {.name = "e_dL", .meaning = "difference error of dL_fd"},
  {.name = "gap_sphere", .meaning = "mf with design: max over the design of |f(x; a(t), B(t)) - f(x; a~(t), B_0)| (Theorem 13)"},
  {.name = "fsup", .meaning = "mf with design: max over the design of |f(x; a(t), B(t))|"},
  {.name = "lr", .meaning = "the step h (gd: the GD step eta; gf: the RK4 step)"},
  {.name = "k", .meaning = "steps taken (gd: GD iterations; t = k lr)"},
  {.name = "e_*", .meaning = "integration error estimates |v(h) - v(2h)|"},
  {0}};

const tc_check tc_check_lazy_gf = {
  .name = "lazy-gf",
  .summary = "gradient flow (RK4, step-doubling error) on linear, NTK-scaled and mean-field two-layer ReLU "
             "networks: residual, movement, kernel and linearisation along the run",
  .params = lazy_params,
  .outputs = lazy_outputs,
  .validate = lazy_validate,
  .measure_d = lazy_measure_d,
  .measure_mpfr = lazy_measure_mpfr,
};
