/* twolayer_data.h — the double-precision draws that the two-layer modules'
 * data sets share (checks/kernel.c, checks/ntk_init.c).  Data are drawn and
 * normalised in double so that both backends see the same points.  The
 * draw order is part of every module's output (same seed, same bytes):
 * a change here changes the data of each module that includes it. */
#ifndef TWOLAYER_DATA_H
#define TWOLAYER_DATA_H
#include <math.h>
#include <stddef.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* x uniform on S^{d-1}: a standard Gaussian vector, normalised; redrawn in
 * the (measure-zero) case that it is 0. */
static inline void twolayer_unit(double *x, size_t d, gsl_rng *rng)
{
  double s;
  do {
    s = 0;
    for (size_t l = 0; l < d; l++) {
      x[l] = gsl_ran_gaussian_ziggurat(rng, 1.0);
      s += x[l] * x[l];
    }
  } while (!(s > 0));
  s = sqrt(s);
  for (size_t l = 0; l < d; l++)
    x[l] /= s;
}

/* u <- v - (v . x1) x1 for v uniform on S^{d-1} and x1 a unit vector: a
 * random direction orthogonal to x1, left unnormalised.  v is redrawn
 * while |u|^2 <= 1e-8 (v almost +-x1), where the direction of u would be
 * rounding noise.  Returns |u|.  u may be the row that the caller then
 * overwrites with cos(a) x1 + sin(a) u / |u|. */
static inline double twolayer_orth_draw(double *u, const double *x1, size_t d, gsl_rng *rng)
{
  double c, s2;
  do {
    twolayer_unit(u, d, rng);
    c = 0;
    for (size_t l = 0; l < d; l++)
      c += u[l] * x1[l];
    s2 = 0;
    for (size_t l = 0; l < d; l++) {
      u[l] -= c * x1[l];
      s2 += u[l] * u[l];
    }
  } while (!(s2 > 1e-8));
  return sqrt(s2);
}
#endif
