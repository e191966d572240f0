/* SPDX-License-Identifier: MIT
 * Pareto/NBD likelihood (Schmittlein, Morrison & Colombo 1987) in the form of Fader & Hardie
 * (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions", eq. (22):
 *
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s  +  s · I(t_x, T) ],
 *   I(t1, t2) = ∫_{t1}^{t2} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ = (D(t1) − D(t2)) / (r+s+x),
 *   D(t) = (M+t)^−(r+s+x) · 2F1(r+s+x, b; r+s+x+1; (M−m)/(M+t)),
 *
 * with M = max(α, β), m = min(α, β), and b = s+1 when α >= β, b = r+x otherwise (so the
 * 2F1 argument z lies in [0, 1)). Purchases: λ ~ Gamma(r, α); lifetimes: μ ~ Gamma(s, β).
 *
 * METHOD, by region (all in log space, analytic gradients in r, α, s, β):
 *   z <= 0.4 at both ends           D from rouse__log_hyp2f1_ap1 (Pfaff-transformed series),
 *                                   tabled once per distinct (x, t) pair; I = (D1 − D2)/a
 *                                   written as D1 (1 − e^(log D2 − log D1)) / a.
 *   1 − D2/D1 < 1e-3 (t_x near T)   the difference would lose digits: I by Gauss-Legendre
 *                                   quadrature of the integrand itself.
 *   z > 0.4 (α and β far apart,     the part of [t1, t2] where z > 0.4 by composite 8-point
 *   small t)                        Gauss-Legendre in y = log(m + τ) (16 panels; the
 *                                   integrand is log-concave in y and the range is cut where
 *                                   it has fallen by e^-60), the rest by the series.
 * The regions agree to ~1e-13 relative where they meet (t_model_likelihood.c). The common
 * parameters (CDNOW, grocery) put every row in the first region.
 *
 * COST. Per evaluation: the series once per distinct (x, t) pair (D(t*) of the quadrature
 * region once per distinct x, log(M+t) from the per-time table), then per row in the common
 * case three transcendentals (expm1, exp, log): the row term is combined as
 * L1 (1 + e^u (1 − D2/D1)) with u = log s − log a + log D1 − log L1, which needs neither
 * log(1 − D2/D1) nor log a per row. */
#include <math.h>

#include "model.h"
#include "special.h"

/* 8-point Gauss-Legendre on [-1, 1] (nodes, weights: A&S table 25.4) */
static const double gl_x[8] = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290,
                               -0.1834346424956498, 0.1834346424956498,  0.5255324099163290,
                               0.7966664774136267,  0.9602898564975363};
static const double gl_w[8] = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873,
                               0.3626837833783620, 0.3626837833783620, 0.3137066458778873,
                               0.2223810344533745, 0.1012285362903763};

/* log ∫_{t1}^{t2} f by composite Gauss-Legendre in y = log(m + τ), n_pan panels;
 * accumulates with scaling; dl = d log I / d(r, α, s, β) */
static double quad_I(double r, double al, double s, double be, double x, double t1, double t2,
                     int n_pan, double *dl) {
  double p = r + x, q = s + 1;
  double m = al < be ? al : be;
  double c = m + t1;
  double y1 = 0, y2 = log((m + t2) / c); /* y relative to log(m + t1) */
  /* slope of the log integrand (with Jacobian) at the left end; it only decreases */
  double h1 = c * (-p / (al + t1) - q / (be + t1)) + 1;
  if (h1 < -1 && -60 / h1 < y2) y2 = -60 / h1;
  if (n_pan == 0) { /* adaptive: about 2 units of log-drop per 8-point panel */
    double drop = fabs(h1) * (y2 - y1);
    n_pan = drop < 4 ? 2 : drop > 32 ? 16 : (int)ceil(drop / 2);
  }
  double hw = (y2 - y1) / (2 * n_pan);
  double lcw[8], lc = log(c); /* log(c · hw · w_j): the same for every panel */
  for (int j = 0; j < 8; j++) lcw[j] = lc + log(hw * gl_w[j]);
  double mx = -INFINITY, S = 0, G[4] = {0, 0, 0, 0};
  for (int pn = 0; pn < n_pan; pn++) {
    double mid = y1 + (2 * pn + 1) * hw;
    for (int j = 0; j < 8; j++) {
      double y = mid + hw * gl_x[j];
      double tau = c * expm1(y) + t1;
      double ua = al + tau, ub = be + tau;
      /* m + τ = c e^y: the log of the nearer factor is free */
      double la = al <= be ? lc + y : log(ua), lb = al <= be ? log(ub) : lc + y;
      double lf = -p * la - q * lb + y + lcw[j];
      double gg[4] = {-la, -p / ua, -lb, -q / ub};
      if (lf > mx) { /* rescale what we have */
        double sc = mx == -INFINITY ? 0 : exp(mx - lf);
        S *= sc;
        for (int i = 0; i < 4; i++) G[i] *= sc;
        mx = lf;
      }
      double v = exp(lf - mx);
      S += v;
      for (int i = 0; i < 4; i++) G[i] += v * gg[i];
    }
  }
  if (dl)
    for (int i = 0; i < 4; i++) dl[i] = G[i] / S;
  return mx + log(S);
}

/* log D(t) and d log D / d(r, α, s, β); returns 0 when z > ROUSE__HYP_ZMAX (not evaluated) */
static int log_D_lm(double r, double al, double s, double be, double x, double t, double lM,
                    double *lD, double *g) {
  double M = al >= be ? al : be, m = al >= be ? be : al;
  double z = (M - m) / (M + t);
  if (!(z <= ROUSE__HYP_ZMAX * (1 + 1e-9))) return 0; /* t* itself may round just above */
  double a = r + s + x, b = al >= be ? s + 1 : r + x;
  double Fa, Fb, Fz;
  double lF = rouse__log_hyp2f1_ap1(a, b, z, &Fa, &Fb, &Fz);
  if (lM != lM) lM = log(M + t); /* NaN: not supplied by the caller's table */
  *lD = -a * lM + lF;
  double da = -lM + Fa, db = Fb;
  double dM = -a / (M + t) + Fz * (m + t) / ((M + t) * (M + t)), dm = -Fz / (M + t);
  g[0] = da;
  g[2] = da;
  if (al >= be) {
    g[2] += db;
    g[1] = dM;
    g[3] = dm;
  } else {
    g[0] += db;
    g[1] = dm;
    g[3] = dM;
  }
  return 1;
}

static int log_D(double r, double al, double s, double be, double x, double t, double *lD,
                 double *g) {
  return log_D_lm(r, al, s, be, x, t, NAN, lD, g);
}

/* log I and gradient when both ends are in the series region */
static double combine_D(double a, double lD1, const double *g1, double lD2, const double *g2,
                        double *dl) {
  double rho = exp(lD2 - lD1);
  double om = -expm1(lD2 - lD1);
  for (int i = 0; i < 4; i++) dl[i] = (g1[i] - rho * g2[i]) / om;
  dl[0] -= 1 / a;
  dl[2] -= 1 / a;
  return lD1 + log(om) - log(a);
}

double rouse__pnbd_log_integral(double r, double al, double s, double be, double x, double t1,
                                double t2, double *dl) {
  double tmp[4];
  if (!dl) dl = tmp;
  double p = r + x, q = s + 1, a = r + s + x;
  double M = al >= be ? al : be, m = al >= be ? be : al;
  double len = t2 - t1;
  /* short interval relative to the integrand's scale: plain Gauss-Legendre in τ */
  if (len <= 0.05 * (m + t1) && len * (p / (al + t1) + q / (be + t1)) <= 1)
    return quad_I(r, al, s, be, x, t1, t2, 1, dl);
  double tstar = (M - m) / ROUSE__HYP_ZMAX - M; /* z(t) > 0.4 for t < tstar */
  double lD1, g1[4], lD2, g2[4];
  if (t1 >= tstar) {
    log_D(r, al, s, be, x, t1, &lD1, g1);
    log_D(r, al, s, be, x, t2, &lD2, g2);
    if (lD1 - lD2 >= 1e-3) return combine_D(a, lD1, g1, lD2, g2, dl);
    return quad_I(r, al, s, be, x, t1, t2, 4, dl);
  }
  /* quadrature on [t1, min(t2, tstar)], series on the rest */
  double tq = t2 < tstar ? t2 : tstar;
  double dq[4];
  double lq = quad_I(r, al, s, be, x, t1, tq, 16, dq);
  if (t2 <= tstar) {
    for (int i = 0; i < 4; i++) dl[i] = dq[i];
    return lq;
  }
  double ds[4];
  log_D(r, al, s, be, x, tstar, &lD1, g1);
  log_D(r, al, s, be, x, t2, &lD2, g2);
  double ls = lD1 - lD2 >= 1e-3 ? combine_D(a, lD1, g1, lD2, g2, ds)
                                 : quad_I(r, al, s, be, x, tstar, t2, 4, ds);
  double tot = rouse__logaddexp(lq, ls);
  double wq = exp(lq - tot), ws = exp(ls - tot);
  for (int i = 0; i < 4; i++) dl[i] = wq * dq[i] + ws * ds[i];
  return tot;
}

/*---------------------------------------------------------------------
 * Tables and row kernel for the evaluator
 *--------------------------------------------------------------------*/
enum { PX_C, PX_CR, PX_P, PX_A, PX_LSA };

void rouse__pnbd_tables(struct rouse__eval *e, size_t x0, size_t x1, size_t t0, size_t t1) {
  const double r = e->par[0], al = e->par[1], s = e->par[2], be = e->par[3];
  const double lal = log(al), lbe = log(be), lg_r = rouse__lgamma(r), ps_r = rouse__digamma(r);
  for (size_t i = x0; i < x1; i++) {
    double x = e->d->xs[i], *X = e->tx + i * ROUSE__PNBD_TX_WIDTH;
    X[PX_C] = rouse__lgamma(r + x) - lg_r + r * lal + s * lbe;
    X[PX_CR] = rouse__digamma(r + x) - ps_r + lal;
    X[PX_P] = r + x;
    X[PX_A] = r + s + x;
    X[PX_LSA] = log(s) - log(r + s + x);
  }
  for (size_t i = t0; i < t1; i++) {
    double t = e->d->ts[i], *Tt = e->tt + i * ROUSE__PNBD_TT_WIDTH;
    Tt[0] = log(al + t);
    Tt[1] = 1 / (al + t);
    Tt[2] = log(be + t);
    Tt[3] = 1 / (be + t);
  }
}

/* For z(t) > 0.4 the pair stores the same quantity as the series region, D_eff(t) =
 * a ∫_t^∞ f = a Q(t, t*) + D(t*), with Q by quadrature up to t* where z = 0.4, so rows still
 * combine two pair values; only near-equal ends fall back to per-row quadrature. */
static void log_D_any(double r, double al, double s, double be, double x, double t, double lM,
                      double *lD, double *g, double *cache) {
  if (log_D_lm(r, al, s, be, x, t, lM, lD, g)) return;
  double M = al >= be ? al : be, m = al >= be ? be : al, a = r + s + x;
  double tstar = (M - m) / ROUSE__HYP_ZMAX - M;
  double dq[4], *gs = cache + 2, ls;
  double lq = quad_I(r, al, s, be, x, t, tstar, 0, dq) + log(a);
  dq[0] += 1 / a;
  dq[2] += 1 / a;
  /* D(t*) depends on x only: computed once per x (cache = {x, log D, gradient}) */
  if (cache[0] != x) {
    log_D(r, al, s, be, x, tstar, &cache[1], gs);
    cache[0] = x;
  }
  ls = cache[1];
  double tot = rouse__logaddexp(lq, ls), wq = exp(lq - tot), ws = exp(ls - tot);
  for (int i = 0; i < 4; i++) g[i] = wq * dq[i] + ws * gs[i];
  *lD = tot;
}

void rouse__pnbd_pairs(struct rouse__eval *e, size_t p0, size_t p1) {
  const double r = e->par[0], al = e->par[1], s = e->par[2], be = e->par[3];
  double cache[6] = {-1, 0, 0, 0, 0, 0};
  for (size_t i = p0; i < p1; i++) {
    double *P = e->tp + i * ROUSE__PNBD_TP_WIDTH;
    double x = e->d->xs[e->d->px[i]], t = e->d->ts[e->d->pt[i]];
    const double *Tt = e->tt + (size_t)e->d->pt[i] * ROUSE__PNBD_TT_WIDTH;
    log_D_any(r, al, s, be, x, t, al >= be ? Tt[0] : Tt[2], &P[0], &P[1], cache);
    P[5] = 1;
  }
}

void rouse__pnbd_block(const struct rouse__eval *e, size_t r0, size_t r1, double *out) {
  const struct rouse__mdata *d = e->d;
  const double r = e->par[0], al = e->par[1], s = e->par[2], be = e->par[3];
  const double ls = log(s);
  double acc[5] = {0, 0, 0, 0, 0}, wsum = 0;
  for (size_t i = r0; i < r1; i++) {
    const double *X = e->tx + d->xi[i] * ROUSE__PNBD_TX_WIDTH;
    const double *Tt = e->tt + d->ti_T[i] * ROUSE__PNBD_TT_WIDTH;
    const double w = d->w[i], p = X[PX_P];
    double l1 = -p * Tt[0] - s * Tt[2];
    double g1[4] = {-Tt[0], -p * Tt[1], -Tt[2], -s * Tt[3]};
    double lse = l1, g[4] = {g1[0], g1[1], g1[2], g1[3]};
    if (d->ti_T[i] != d->ti_x[i]) {
      const double *P1 = e->tp + d->pi_x[i] * ROUSE__PNBD_TP_WIDTH;
      const double *P2 = e->tp + d->pi_T[i] * ROUSE__PNBD_TP_WIDTH;
      double dI[4], w1, w2;
      double u = X[PX_LSA] + P1[0] - l1; /* l2 − l1 = u + log(1 − D2/D1) */
      if (P1[5] != 0 && P2[5] != 0 && P1[0] - P2[0] >= 1e-3 && u < 600) {
        /* common case, three transcendentals: s I / L1 = e^u (1 − D2/D1) */
        const double ia = 1 / X[PX_A];
        double om = -expm1(P2[0] - P1[0]), rho = 1 - om, iom = 1 / om;
        for (int j = 0; j < 4; j++) dI[j] = (P1[1 + j] - rho * P2[1 + j]) * iom;
        dI[0] -= ia;
        dI[2] -= ia;
        double R = exp(u) * om;
        /* log1p(R): glibc's log1p costs about twice log; log(1 + R) is within 1.2e-16
         * absolute for R >= 1e-4 and the cubic is within 2.5e-17 below */
        lse = l1 + (R >= 1e-4 ? log(1 + R) : R * (1 - R * (0.5 - R * (1.0 / 3))));
        w1 = 1 / (1 + R);
        w2 = R * w1;
      } else {
        double lI;
        if (P1[5] != 0 && P2[5] != 0 && P1[0] - P2[0] >= 1e-3)
          lI = combine_D(X[PX_A], P1[0], P1 + 1, P2[0], P2 + 1, dI);
        else
          lI = rouse__pnbd_log_integral(r, al, s, be, d->xs[d->xi[i]], d->ts[d->ti_x[i]],
                                        d->ts[d->ti_T[i]], dI);
        double l2 = ls + lI;
        double hi = l1 > l2 ? l1 : l2, lo = l1 > l2 ? l2 : l1;
        double qq = exp(lo - hi);
        lse = hi + log1p(qq);
        w2 = l2 > l1 ? 1 / (1 + qq) : qq / (1 + qq);
        w1 = 1 - w2;
      }
      dI[2] += 1 / s;
      for (int j = 0; j < 4; j++) g[j] = w1 * g1[j] + w2 * dI[j];
    }
    acc[0] += w * (X[PX_C] + lse);
    acc[1] += w * (X[PX_CR] + g[0]);
    acc[2] += w * g[1];
    acc[3] += w * g[2];
    acc[4] += w * g[3];
    wsum += w;
  }
  out[0] = acc[0];
  out[1] = acc[1];
  out[2] = acc[2] + wsum * r / al;
  out[3] = acc[3] + wsum * log(be);
  out[4] = acc[4] + wsum * s / be;
}
