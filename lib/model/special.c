/* SPDX-License-Identifier: MIT
 * Special functions for the purchase models: log Γ, ψ, log B, log-space helpers and
 * 2F1(a, b; a+1; z). The models only ever need positive real arguments, so these functions
 * are defined for x > 0 only; they are not general-purpose replacements for libm.
 * Reference values: tests/numeric/special.tsv, generated with mpmath at 40 digits by
 * tools/numeric/gen_special.py and checked by tests/unit/t_model_special.c. */
#include "special.h"

#include <math.h>

#define LOG_SQRT_2PI 0.91893853320467274178032973640562 /* log(sqrt(2 pi)) */
#define EULER_GAMMA 0.57721566490153286060651209008240

/* ζ(k), k = 2..30 (mpmath, 30 digits), for the Taylor series of log Γ about 1. */
static const double zeta_k[29] = {
    1.64493406684822641e+00, 1.20205690315959424e+00, 1.08232323371113814e+00,
    1.03692775514336999e+00, 1.01734306198444924e+00, 1.00834927738192293e+00,
    1.00407735619794436e+00, 1.00200839282608212e+00, 1.00099457512781798e+00,
    1.00049418860411943e+00, 1.00024608655330804e+00, 1.00012271334757852e+00,
    1.00006124813505881e+00, 1.00003058823630697e+00, 1.00001528225940861e+00,
    1.00000763719763786e+00, 1.00000381729326504e+00, 1.00000190821271651e+00,
    1.00000095396203381e+00, 1.00000047693298688e+00, 1.00000023845050268e+00,
    1.00000011921992593e+00, 1.00000005960818905e+00, 1.00000002980350344e+00,
    1.00000001490155488e+00, 1.00000000745071183e+00, 1.00000000372533404e+00,
    1.00000000186265980e+00, 1.00000000093132746e+00,
};

/* log Γ(1 + e) for |e| <= 0.25: −γe + Σ_{k>=2} (−1)^k ζ(k) e^k / k (A&S 6.1.33). */
static double lgamma1p_taylor(double e) {
  double sum = 0, p = e * e;
  for (int k = 2; k <= 30; k++) {
    double t = zeta_k[k - 2] * p / k;
    sum += (k & 1) ? -t : t;
    p *= e;
  }
  return -EULER_GAMMA * e + sum;
}

/* Stirling series for x >= 10 (Bernoulli terms through B16). */
static double lgamma_stirling(double x) {
  double r = 1 / x, r2 = r * r;
  double s = r * (1.0 / 12 +
                  r2 * (-1.0 / 360 +
                        r2 * (1.0 / 1260 +
                              r2 * (-1.0 / 1680 +
                                    r2 * (1.0 / 1188 +
                                          r2 * (-691.0 / 360360 +
                                                r2 * (1.0 / 156 + r2 * (-3617.0 / 122400))))))));
  return (x - 0.5) * log(x) - x + LOG_SQRT_2PI + s;
}

/* rouse__lgamma()
 * SYNOPSIS   double rouse__lgamma(double x);   log Γ(x), x > 0.
 * METHOD
 *   x < 0.25            log Γ(1+x) − log x, log Γ(1+x) by the Taylor series in ζ(k)
 *   |x − 1| <= 0.25     Taylor series about 1 (29 terms, truncation < 1e-18)
 *   |x − 2| <= 0.25     log1p(x − 2) + Taylor series about 1
 *   other x < 10        recurrence: log Γ(x+n) − log(x (x+1) ... (x+n−1)), x+n >= 10
 *   x >= 10             Stirling series with Bernoulli terms through B16 (error < 1e-17 x^-17)
 * ACCURACY (tests/numeric/special.tsv, 1e-300 <= x <= 1e15)
 *   relative error <= 8 eps for x <= 0.25 and x >= 10; absolute error <= 16 eps on
 *   (0.25, 10), where the recurrence carries the absolute error of log Γ(10) (~13 eps
 *   relative to 1) and loses relative accuracy near the zeros at 1 and 2 outside the Taylor
 *   windows; the likelihoods use differences of log Γ, where absolute error is what counts
 * SPECIAL CASES  x <= 0 or NaN: NaN (outside the domain; callers never pass it); +Inf: +Inf. */
double rouse__lgamma(double x) {
  if (!(x > 0)) return NAN;
  if (x < 0.25) return lgamma1p_taylor(x) - log(x);
  if (fabs(x - 1) <= 0.25) return lgamma1p_taylor(x - 1);
  if (fabs(x - 2) <= 0.25) return log1p(x - 2) + lgamma1p_taylor(x - 2);
  if (x >= 10) return isinf(x) ? x : lgamma_stirling(x);
  double p = 1;
  while (x < 10) {
    p *= x;
    x += 1;
  }
  return lgamma_stirling(x) - log(p);
}

/* rouse__digamma()
 * SYNOPSIS   double rouse__digamma(double x);   ψ(x), x > 0.
 * METHOD     x >= 10: asymptotic series log x − 1/(2x) − Σ B_2k / (2k x^2k) through B14;
 *            x < 10: recurrence ψ(x) = ψ(x+n) − Σ_{i<n} 1/(x+i).
 * ACCURACY   relative error <= 8 eps for x in [1e-300, 1e15] away from the zero
 *            x0 = 1.4616321...; absolute error <= 4 eps on [1, 2].
 * SPECIAL CASES  x <= 0 or NaN: NaN; +Inf: +Inf. */
double rouse__digamma(double x) {
  if (!(x > 0)) return NAN;
  if (isinf(x)) return x;
  double acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  double r = 1 / x, r2 = r * r;
  double s = r2 * (1.0 / 12 +
                   r2 * (-1.0 / 120 +
                         r2 * (1.0 / 252 +
                               r2 * (-1.0 / 240 +
                                     r2 * (1.0 / 132 + r2 * (-691.0 / 32760 + r2 * (1.0 / 12)))))));
  return acc + log(x) - 0.5 * r - s;
}

/* rouse__lbeta()
 * SYNOPSIS   log B(a, b) for a, b > 0, as log Γ(a) + log Γ(b) − log Γ(a+b).
 * ACCURACY   absolute error <= 8 eps (1 + |log Γ(a)| + |log Γ(b)| + |log Γ(a+b)|); the models
 *            use it in differences where absolute error is what counts. */
double rouse__lbeta(double a, double b) {
  return rouse__lgamma(a) + rouse__lgamma(b) - rouse__lgamma(a + b);
}

/* log(1 + e^x): exact branches avoid overflow (x large) and underflow of log1p (x small). */
double rouse__log1pexp(double x) {
  if (x > 36) return x + exp(-x);
  if (x > -37) return log1p(exp(x));
  return exp(x);
}

double rouse__logaddexp(double a, double b) {
  if (a < b) {
    double t = a;
    a = b;
    b = t;
  }
  if (a == -INFINITY) return a;
  return a + rouse__log1pexp(b - a);
}

/* (1 − e^{eL}) / e, continuous at e = 0 where it is −L. Relative error a few eps. */
double rouse__one_minus_pow_over(double e, double L) {
  if (e == 0) return -L;
  return -expm1(e * L) / e;
}

/* rouse__log_hyp2f1_ap1()
 * SYNOPSIS   log 2F1(a, b; a+1; z) and its partial derivatives, a > 0, 0 < b <= a + 1,
 *            0 <= z <= 0.4 (ROUSE__HYP_ZMAX; accepted up to 0.45, |w| <= 0.82).
 * METHOD     Pfaff's transformation (A&S 15.3.5) with c − a = 1:
 *              2F1(a, b; a+1; z) = (1 − z)^−b 2F1(1, b; a+1; w),  w = z / (z − 1),
 *            and S = 2F1(1, b; a+1; w) = Σ_j (b)_j / (a+1)_j w^j summed directly. Because
 *            a + 1 > b never fails for the Pareto/NBD (a = r+s+x, b = s+1 or r+x), successive
 *            terms shrink by at least |w| <= 2/3 and alternate in sign, so S lies in [1/3, 1]
 *            and no cancellation or overflow can occur, whatever the size of b (x up to 1e5
 *            and more). The derivatives are summed in the same pass:
 *              dS/db = Σ τ_j Σ_{i<j} 1/(b+i),  dS/da = −Σ τ_j Σ_{i<j} 1/(a+1+i),
 *              dS/dw = Σ j τ_j / w.
 *            The Pareto/NBD code evaluates the case z > 0.4 by quadrature (pnbd.c).
 * ACCURACY   relative error <= 64 eps on the log (absolute when |log| < 1), z in [0, 0.4],
 *            a in [1e-4, 2e5], b in [1e-4, a + 1] (tests/numeric/special.tsv).
 * SPECIAL CASES  at most 2000 terms (never reached for z <= 0.4: |w|^2000 < 1e-350);
 *            arguments outside the domain give NaN. */
double rouse__log_hyp2f1_ap1(double a, double b, double z, double *d_a, double *d_b,
                             double *d_z) {
  if (!(a > 0) || !(b > 0) || !(b <= a + 1) || !(z >= 0) || !(z <= ROUSE__HYP_ZMAX + 0.05)) {
    if (d_a) *d_a = NAN;
    if (d_b) *d_b = NAN;
    if (d_z) *d_z = NAN;
    return NAN;
  }
  double w = -z / (1 - z);
  double S = 1, Sa = 0, Sb = 0, Sw = 0;
  double coef = 1;           /* (b)_j / (a+1)_j */
  double wp = 1;             /* w^(j-1) for j >= 1 */
  double A = 0, B = 0;       /* Σ_{i<j} 1/(a+1+i), Σ_{i<j} 1/(b+i) */
  for (int j = 1; j <= 2000; j++) {
    double bj = b + (j - 1), aj = a + j;
    double iab = 1 / (aj * bj); /* one division per term: 1/aj = bj·iab, 1/bj = aj·iab */
    double ia = bj * iab;
    coef *= bj * ia;
    A += ia;
    B += aj * iab;
    double nu = coef * wp;   /* τ_j / w */
    double tau = nu * w;
    S += tau;
    Sa -= tau * A;
    Sb += tau * B;
    Sw += j * nu;
    wp *= w;
    if (fabs(tau) * (1 + A + B) <= 1e-17 * S && fabs(nu) * j <= 1e-17 * (1 + fabs(Sw))) break;
    if (w == 0) break;
  }
  double l1z = log1p(-z);
  if (d_a) *d_a = Sa / S;
  if (d_b) *d_b = -l1z + Sb / S;
  if (d_z) *d_z = b / (1 - z) - Sw / S / ((1 - z) * (1 - z));
  return -b * l1z + log(S);
}
