/* SPDX-License-Identifier: MIT
 * Likelihood kernels (BG/NBD, MBG/NBD, MBG/CNBD-k, Pareto/NBD) against a slow long-double
 * reference kept here (the "educational decoder" of STYLE II.11), and the analytic gradients
 * against central differences, over parameter sets that visit every method region of
 * pnbd.c (series, short interval, quadrature for α and β far apart); and the Gamma-Gamma
 * spend likelihood and gradient the same way. */
#include <float.h>
#include <stdlib.h>

#include "harness.h"
#include "model/ggamma.h"
#include "model/model.h"

/* ---- reference implementations (long double, direct formulas) ---- */
static long double ref_xbg(int k, int dl, const double *p, double x, double tx, double T) {
  long double r = p[0], al = p[1], a = p[2], b = p[3], e = r + k * x;
  long double lbeta1 = lgammal(a) + lgammal(b + x + dl) - lgammal(a + b + x + dl);
  long double lbeta0 = lgammal(a) + lgammal(b) - lgammal(a + b);
  long double c = lbeta1 - lbeta0 + lgammal(e) - lgammal(r) + r * logl(al);
  long double z = (T - tx) / (al + T), s = 0, cj = 1, zp = 1;
  for (int j = 0; j < k; j++) {
    if (j) cj *= (e + j - 1) / j;
    s += cj * zp;
    zp *= z;
  }
  long double A = expl(-e * logl(al + T)) * s;
  long double D = (dl || x > 0) ? a / (b + x - 1 + dl) * expl(-e * logl(al + tx)) : 0;
  return c + logl(A + D);
}

static long double ref_I(const double *p, double x, double t1, double t2) {
  /* Simpson in y = log(m + τ), 20000 intervals */
  long double r = p[0], al = p[1], s = p[2], be = p[3], m = al < be ? al : be;
  long double y1 = logl(m + t1), y2 = logl(m + t2), h = (y2 - y1) / 20000, sum = 0;
  for (int i = 0; i <= 20000; i++) {
    long double y = y1 + i * h, tau = expl(y) - m;
    long double f = expl(-(r + x) * logl(al + tau) - (s + 1) * logl(be + tau) + y);
    sum += f * (i == 0 || i == 20000 ? 1 : (i & 1) ? 4 : 2);
  }
  return sum * h / 3;
}

static long double ref_pnbd(const double *p, double x, double tx, double T) {
  long double r = p[0], al = p[1], s = p[2], be = p[3];
  long double c = lgammal(r + x) - lgammal(r) + r * logl(al) + s * logl(be);
  long double t1 = expl(-(r + x) * logl(al + T) - s * logl(be + T));
  long double t2 = T > tx ? s * ref_I(p, x, tx, T) : 0;
  return c + logl(t1 + t2);
}

static double ll_of(int kind, int k, const double *p, const double *x, const double *tx,
                    const double *T, size_t n, double *g) {
  struct rouse__mdata d;
  struct rouse__eval e;
  if (rouse__mdata_build(x, tx, T, n, &d, NULL)) return NAN;
  if (rouse__eval_init(&e, kind, k, &d, NULL)) return NAN;
  double v = rouse__eval_ll(&e, p, g);
  rouse__eval_release(&e);
  rouse__mdata_release(&d);
  return v;
}

#define NR 12
static const double X[NR] = {0, 0, 1, 2, 3, 7, 26, 1, 5, 40, 0, 100};
static const double TX[NR] = {0, 0, 1.7, 30.43, 10, 20.5, 30.857, 0.1, 38.5, 38, 0, 37};
static const double TT[NR] = {38.86, 5, 38.86, 38.86, 12, 39, 31, 39, 38.6, 38.9, 0.5, 37.5};

/* Gamma-Gamma: the grouped evaluation (Γ terms once per distinct x) against the per-row
 * formula of Fader & Hardie 2013 eq. 5 in long double, and its gradient against central
 * differences in log-parameters */
static long double ref_gg(const double *p, const double *x, const double *m, size_t n) {
  long double s = 0;
  for (size_t i = 0; i < n; i++) {
    long double px = p[0] * x[i];
    s += lgammal(px + p[1]) - lgammal(px) - lgammal(p[1]) + p[1] * logl(p[2]) +
         (px - 1) * logl(m[i]) + px * logl(x[i]) - (px + p[1]) * logl(p[2] + x[i] * m[i]);
  }
  return s;
}

static void test_gg(void) {
  enum { N = 5000 };
  static double x[N], m[N];
  uint64_t z = 99;
  for (size_t i = 0; i < N; i++) {
    z = z * 6364136223846793005ull + 1442695040888963407ull;
    x[i] = (double)(1 + (z >> 33) % 40);
    m[i] = 1 + (double)((z >> 13) % 100000) / 100;
  }
  const double sets[][3] = {{6.25, 3.74, 15.44}, {0.5, 1.2, 300}, {40, 8, 2}, {1.5, 100, 1e4}};
  for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
    struct rouse__gg g;
    CHECK_EQ_INT(rouse__gg_init(&g, x, m, N), ROUSE_OK);
    CHECK_EQ_INT(rouse__pool_new(2, &g.pool), ROUSE_OK);
    CHECK(g.nu == 40);
    double gr[3], gd[3];
    double ll = rouse__gg_ll(&g, sets[k], gr);
    long double ref = ref_gg(sets[k], x, m, N);
    CHECK(fabsl(ll - ref) < 1e-9L * fabsl(ref));
    for (int j = 0; j < 3; j++) {
      double q[3] = {sets[k][0], sets[k][1], sets[k][2]}, h = 1e-5;
      q[j] = sets[k][j] * exp(h);
      double fp = rouse__gg_ll(&g, q, NULL);
      q[j] = sets[k][j] * exp(-h);
      double fm = rouse__gg_ll(&g, q, NULL);
      gd[j] = (fp - fm) / (2 * h);
      CHECK(fabs(gr[j] - gd[j]) < 1e-4 * (1 + fabs(gd[j])));
    }
    printf("# gg set %zu: ll %.6f (ref %.6Lf), d/dlog %.4g %.4g %.4g (numeric %.4g %.4g %.4g)\n",
           k, ll, ref, gr[0], gr[1], gr[2], gd[0], gd[1], gd[2]);
    rouse__pool_free(g.pool);
    rouse__gg_release(&g);
  }
}

int main(void) {
  test_gg();
  const double bgp[][4] = {{0.2426, 4.414, 0.793, 2.426}, {1.3, 6, 0.4, 0.7},
                           {0.01, 100, 5, 50},           {20, 0.5, 0.05, 0.02},
                           {1e-3, 1e-2, 1e2, 1e3}};
  const double pnp[][4] = {{0.5533, 10.58, 0.6062, 11.67}, {0.786, 5.679, 0.386, 5.717},
                           {1.2, 100, 0.5, 0.01},          {0.3, 0.01, 2, 100},
                           {5, 1, 0.05, 1000},             {0.05, 2000, 3, 1}};
  for (int kind = ROUSE_MODEL_BGNBD; kind <= ROUSE_MODEL_MBGCNBD; kind++) {
    int nsets = kind == ROUSE_MODEL_PNBD ? 6 : 5;
    for (int k = 1; k <= (kind == ROUSE_MODEL_MBGCNBD ? 3 : 1); k++) {
      for (int si = 0; si < nsets; si++) {
        const double *p = kind == ROUSE_MODEL_PNBD ? pnp[si] : bgp[si];
        long double ref = 0;
        for (int i = 0; i < NR; i++)
          ref += kind == ROUSE_MODEL_PNBD
                     ? ref_pnbd(p, X[i], TX[i], TT[i])
                     : ref_xbg(k, kind != ROUSE_MODEL_BGNBD, p, X[i], TX[i], TT[i]);
        double g[4];
        double got = ll_of(kind, k, p, X, TX, TT, NR, g);
        printf("# %s k=%d set %d: LL %.15g ref %.15Lg\n", rouse_model_name(kind), k, si, got,
               ref);
        CHECK_NEAR(got, (double)ref, kind == ROUSE_MODEL_PNBD ? 1e-9 : 1e-12);
        for (int j = 0; j < 4; j++) {
          double q[4] = {p[0], p[1], p[2], p[3]}, gg[4], h = 1e-6;
          q[j] = p[j] * exp(h);
          double fp = ll_of(kind, k, q, X, TX, TT, NR, gg);
          q[j] = p[j] * exp(-h);
          double fm = ll_of(kind, k, q, X, TX, TT, NR, gg);
          double num = (fp - fm) / (2 * h);
          t_n++;
          double err = fabs(num - g[j]) / (fabs(num) > 1 ? fabs(num) : 1);
          if (err < 2e-6) printf("ok %d - gradient %d (%.10g vs %.10g)\n", t_n, j, g[j], num);
          else {
            t_fail++;
            printf("not ok %d - %s set %d gradient %d: analytic %.12g numeric %.12g\n", t_n,
                   rouse_model_name(kind), si, j, g[j], num);
          }
        }
      }
    }
  }
  /* the Pareto/NBD integral: regions agree where they meet (t just below/above t*) */
  {
    double r = 0.7, al = 50, s = 0.6, be = 5, x = 3;
    double tstar = (al - be) / 0.4 - al; /* = 62.5 */
    double a1 = rouse__pnbd_log_integral(r, al, s, be, x, tstar * 0.999, 200, NULL);
    double a2 = rouse__pnbd_log_integral(r, al, s, be, x, tstar * 1.001, 200, NULL);
    double mid = rouse__pnbd_log_integral(r, al, s, be, x, tstar * 0.999, tstar * 1.001, NULL);
    double pr[4] = {r, al, s, be};
    CHECK_NEAR(exp(a1), exp(a2) + exp(mid), 1e-12);
    CHECK_NEAR(a1, (double)logl(ref_I(pr, x, tstar * 0.999, 200)), 1e-10);
  }
  return done_testing();
}
