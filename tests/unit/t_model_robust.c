/* SPDX-License-Identifier: MIT
 * Robustness: never NaN or Inf on valid input. Log-likelihood, gradient and predictions over
 * a grid of x in 0..1e5, t_x in 0..T, T in 0..1e5 and every parameter in 1e-4..1e4, for every
 * purchase model; and thread-count determinism: fits and predictions are bit-identical at
 * n_threads 1, 2 and 4 on generated data. */
#include <stdlib.h>

#include "harness.h"
#include "model/model.h"

static const double PV[] = {1e-4, 1e-2, 1, 100, 1e4};
#define NPV 5

/* simple deterministic generator (splitmix64) */
static uint64_t st = 42;
static double urand(void) {
  uint64_t z = (st += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return ((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
static double rgamma(double shape) { /* Marsaglia-Tsang, shape >= 1 via boost */
  if (shape < 1) return rgamma(shape + 1) * pow(urand(), 1 / shape);
  double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
  for (;;) {
    double u1 = urand(), u2 = urand();
    double n = sqrt(-2 * log(u1 + 1e-300)) * cos(2 * M_PI * u2);
    double v = 1 + c * n;
    if (v <= 0) continue;
    v = v * v * v;
    if (log(urand() + 1e-300) < 0.5 * n * n + d - d * v + d * log(v)) return d * v;
  }
}

int main(void) {
  /* ---- grid ---- */
  double xs[] = {0, 1, 5, 100, 1e4, 1e5}, Ts[] = {0, 1e-3, 1, 100, 1e4, 1e5};
  double x[108], tx[108], T[108];
  size_t n = 0;
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 6; j++)
      for (int q = 0; q < 3; q++) {
        if (xs[i] == 0 && q > 0) continue;
        x[n] = xs[i];
        T[n] = Ts[j];
        tx[n] = xs[i] == 0 ? 0 : q == 0 ? 0 : q == 1 ? Ts[j] / 2 : Ts[j];
        n++;
      }
  long bad_ll = 0, bad_pred = 0, sets = 0;
  double *pa = calloc(n, sizeof *pa), *ex = calloc(n, sizeof *ex), *p0 = calloc(n, sizeof *p0);
  for (int kind = ROUSE_MODEL_BGNBD; kind <= ROUSE_MODEL_MBGCNBD; kind++)
    for (int a0 = 0; a0 < NPV; a0++)
      for (int a1 = 0; a1 < NPV; a1++)
        for (int a2 = 0; a2 < NPV; a2++)
          for (int a3 = 0; a3 < NPV; a3++) {
            rouse_model m;
            rouse_model_init(&m, kind);
            m.k = kind == ROUSE_MODEL_MBGCNBD ? 3 : 1;
            m.param[0] = PV[a0], m.param[1] = PV[a1], m.param[2] = PV[a2], m.param[3] = PV[a3];
            sets++;
            struct rouse__mdata d;
            struct rouse__eval e;
            rouse__mdata_build(x, tx, T, n, &d, NULL);
            rouse__eval_init(&e, kind, m.k, &d, NULL);
            double g[4];
            double ll = rouse__eval_ll(&e, m.param, g);
            rouse__eval_release(&e);
            rouse__mdata_release(&d);
            if (!isfinite(ll) || !isfinite(g[0]) || !isfinite(g[1]) || !isfinite(g[2]) ||
                !isfinite(g[3])) {
              if (bad_ll++ < 5)
                printf("# %s (%g %g %g %g): LL %g grad %g %g %g %g\n", rouse_model_name(kind),
                       m.param[0], m.param[1], m.param[2], m.param[3], ll, g[0], g[1], g[2],
                       g[3]);
            }
            if (rouse_model_predict(&m, x, tx, T, n, 52, 1, pa, ex, p0)) bad_pred++;
            for (size_t i = 0; i < n; i++)
              if (!(pa[i] >= 0 && pa[i] <= 1 && p0[i] >= 0 && p0[i] <= 1 && ex[i] >= 0 &&
                    isfinite(ex[i]))) {
                if (bad_pred++ < 5)
                  printf("# %s (%g %g %g %g) x=%g tx=%g T=%g: pa %g ex %g p0 %g\n",
                         rouse_model_name(kind), m.param[0], m.param[1], m.param[2],
                         m.param[3], x[i], tx[i], T[i], pa[i], ex[i], p0[i]);
              }
            double en = rouse_model_expected_new(&m, 1e5);
            if (!(en >= 0) || !isfinite(en)) bad_pred++;
          }
  printf("# %ld parameter sets x %zu rows\n", sets, n);
  CHECK_EQ_INT(bad_ll, 0);
  CHECK_EQ_INT(bad_pred, 0);
  free(pa), free(ex), free(p0);

  /* ---- determinism across thread counts (BG/NBD process, 200k customers, daily) ---- */
  size_t N = 200000;
  double *gx = calloc(N, sizeof *gx), *gtx = calloc(N, sizeof *gtx), *gT = calloc(N, sizeof *gT);
  for (size_t i = 0; i < N; i++) {
    double lam = rgamma(0.25) / 4.0 / 7, p = 0;
    double ga = rgamma(0.8), gb = rgamma(2.4);
    p = ga / (ga + gb);
    double Ti = floor(urand() * 273), t = 0, last = 0;
    int xi = 0;
    for (;;) {
      t += -log(urand() + 1e-300) / (lam + 1e-300);
      if (t > Ti) break;
      xi++;
      last = floor(t);
      if (urand() < p) break;
    }
    gx[i] = xi;
    gtx[i] = xi ? (last > 0 ? last : 1) : 0;
    if (gtx[i] > Ti) gtx[i] = Ti;
    if (xi && gtx[i] == 0) gtx[i] = Ti;
    gT[i] = Ti;
  }
  for (int kind = ROUSE_MODEL_BGNBD; kind <= ROUSE_MODEL_PNBD; kind++) {
    rouse_fit_result r[3];
    double *e[3];
    int th[3] = {1, 2, 4};
    for (int j = 0; j < 3; j++) {
      rouse_fit_opts o;
      rouse_fit_opts_init(&o);
      o.n_threads = th[j];
      rouse_fit_result_init(&r[j]);
      CHECK_EQ_INT(rouse_model_fit(kind, gx, gtx, gT, N, &o, &r[j]), 0);
      e[j] = calloc(N, sizeof(double));
      CHECK_EQ_INT(rouse_model_predict(&r[j].model, gx, gtx, gT, N, 180, th[j], NULL, e[j], NULL), 0);
    }
    printf("# %s: %.17g %.17g %.17g %.17g LL %.17g (%zu distinct)\n", rouse_model_name(kind),
           r[0].model.param[0], r[0].model.param[1], r[0].model.param[2], r[0].model.param[3],
           r[0].loglik, r[0].n_unique);
    CHECK(r[0].converged);
    for (int j = 1; j < 3; j++) {
      CHECK(!memcmp(r[0].model.param, r[j].model.param, sizeof r[0].model.param));
      CHECK(!memcmp(&r[0].loglik, &r[j].loglik, sizeof(double)));
      CHECK(!memcmp(e[0], e[j], N * sizeof(double)));
    }
    for (int j = 0; j < 3; j++) free(e[j]);
  }
  free(gx), free(gtx), free(gT);
  /* ---- Pareto/NBD when every customer has the same dropout rate ----
   * Poisson purchases with Gamma(0.8, 10) rates (weekly), one exponential lifetime rate
   * mu = 0.03 for everyone, 78 weeks of history: the likelihood's supremum is the limit
   * s, beta -> infinity at s / beta = mu. The fit must end converged (on that ridge it stops
   * as "boundary") with s / beta near mu, and predict like that limit. */
  {
    enum { NC = 4000 };
    static double hx[NC], htx[NC], hT[NC];
    st = 7;
    const double mu = 0.03, Tcal = 78;
    for (int i = 0; i < NC; i++) {
      double lam = rgamma(0.8) / 10, life = -log(urand() + 1e-300) / mu;
      double end = life < Tcal ? life : Tcal, t = 0, last = 0;
      int k = 0;
      for (;;) {
        t += -log(urand() + 1e-300) / lam;
        if (t > end) break;
        last = t, k++;
      }
      hx[i] = k, htx[i] = k ? floor(last) : 0, hT[i] = Tcal; /* whole weeks: fewer distinct rows */
    }
    rouse_fit_opts fo;
    rouse_fit_opts_init(&fo);
    rouse_fit_result fr;
    rouse_fit_result_init(&fr);
    CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_PNBD, hx, htx, hT, NC, &fo, &fr), ROUSE_OK);
    double sb = fr.model.param[2] / fr.model.param[3];
    printf("# homogeneous dropout: s %.4g beta %.4g s/beta %.4f (true %.2f) stop %s it %d grad %.3g\n",
           fr.model.param[2], fr.model.param[3], sb, mu, rouse_fit_stop_name(fr.stop),
           fr.iterations, fr.grad_norm);
    CHECK(fr.converged);
    CHECK(fr.stop == ROUSE_FIT_BOUNDARY || fr.model.param[2] > 20);
    CHECK(fabs(sb / mu - 1) < 0.25);
    CHECK_NEAR(fr.model.param[0], 0.8, 0.15);
  }
  return done_testing();
}
