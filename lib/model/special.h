/* SPDX-License-Identifier: MIT
 * Special functions of the model module: log-gamma, digamma, log-beta, log-space helpers and
 * the Gauss hypergeometric function 2F1(a, b; a+1; z) that the Pareto/NBD likelihood needs.
 * Our own code (the good C libraries are GPL); every function is checked against mpmath
 * tables in tests/numeric/special.tsv (tools/numeric/gen_special.py). Domain, method and
 * accuracy are documented at each definition in special.c (cephes/musl style). Pure functions,
 * thread-safe, no allocation, no errno. */
#ifndef ROUSE_MODEL_SPECIAL_H
#define ROUSE_MODEL_SPECIAL_H

/* log Γ(x) for x > 0. */
double rouse__lgamma(double x);
/* ψ(x) = d/dx log Γ(x) for x > 0. */
double rouse__digamma(double x);
/* log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a+b) for a, b > 0. */
double rouse__lbeta(double a, double b);
/* log(1 + e^x) without overflow or loss for large negative x. */
double rouse__log1pexp(double x);
/* log(e^a + e^b); -INFINITY if both are -INFINITY. */
double rouse__logaddexp(double a, double b);
/* (1 − e^{e·L}) / e for e → 0 is −L: the stable form of (1 − q^e)/e with L = log q. */
double rouse__one_minus_pow_over(double e, double L);

/* log 2F1(a, b; a+1; z) for a > 0, 0 < b <= a + 1, 0 <= z <= ROUSE__HYP_ZMAX, with the partial
 * derivatives of the log with respect to a, b and z written to *d_a, *d_b, *d_z (each may
 * be NULL). Used by the Pareto/NBD likelihood; see special.c for the method. */
#define ROUSE__HYP_ZMAX 0.4
double rouse__log_hyp2f1_ap1(double a, double b, double z, double *d_a, double *d_b,
                             double *d_z);

#endif
