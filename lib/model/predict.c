/* SPDX-License-Identifier: MIT
 * Predictions from fitted models: P(alive), expected purchases in (T, T+t], P(no purchase in
 * (T, T+t]), Gamma-Gamma expected spend, discounted CLV, the expectation for a new customer and
 * the cohort tracking curve. Formulas: docs/models.md. The input is compressed as for fitting,
 * values are computed once per distinct row (and the expensive BG-family expectation once per
 * distinct (x, T)), then scattered back to customers; so 10M customers cost about as much as
 * their distinct histories.
 *
 * BG-FAMILY EXPECTATION. Given alive at T, the posterior is λ ~ Gamma(r+kx, α+T) and
 * p ~ Beta(a, b+x+δ); purchases then follow a Poisson process at rate λ/k until drop-out, which
 * happens after each purchase with probability p, so E[Y(t) | λ, p] = (1 − e^(−λpt/k)) / p and
 *   E[Y(t)] = P(alive) · E_p[(1 − (k(α+T) / (k(α+T) + p t))^(r+kx)) / p].
 * For k = 1 this is exactly Fader, Hardie & Lee (2005) eq. (10) (their 2F1 form); k > 1 uses
 * the exact phase-counting sum of rouse__cnbd_expect_j below instead. The expectation over p is a
 * one-dimensional integral computed by double-exponential (sinh-sinh) quadrature in
 * ℓ = log(−log p), centred on the mode of the Beta weight and scaled by its width, which is
 * accurate (~1e-12) for a, b from 1e-4 to 1e5 where the 2F1 series is not (a <= 1, c − a − b
 * near an integer, z near 1). */
#include <math.h>
#include <stdlib.h>

#include "ggamma.h"
#include "model.h"
#include "special.h"

/*=====================================================================
 * E_{p ~ Beta(a, b)} [(1 − (α / (α + p t))^r) / p]
 *====================================================================*/
#define DE_STEP (1.0 / 16)
#define DE_HALF 64 /* nodes each side: u up to 4 */

/* log weight in ℓ (including the Jacobian) and its derivative: y = e^ℓ, p = e^−y,
 * g(ℓ) = −a y + (b−1) log(1 − e^−y) + ℓ */
static double g_l(double a, double b, double l, double *d1) {
  double y = exp(l);
  double om = -expm1(-y); /* 1 − p */
  double lom = log(om);
  if (d1) {
    double ratio = y < 1e-300 ? 1 : exp(-y) / om * y; /* y e^−y / (1 − e^−y) */
    *d1 = -a * y + (b - 1) * ratio + 1;
  }
  return -a * y + (b - 1) * lom + l;
}

/* mode of g by bisection on g' (g' > 0 far left when b > 0, < 0 far right) */
static double mode_l(double a, double b) {
  double lo = -700, hi = 700;
  for (int i = 0; i < 200 && hi - lo > 1e-10; i++) {
    double mid = (lo + hi) / 2, d;
    g_l(a, b, mid, &d);
    if (d > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

static double h_of(double r, double al, double y, double t) {
  double p = exp(-y);
  double z = p * t / al;
  if (p == 0 || z < 1e-300) return r * t / al;
  return -expm1(-r * log1p(z)) / p;
}

/* E for several horizons at once (same nodes); out[j] for t[j] */
static void xbg_expect_multi(double r, double al, double a, double b, const double *t, int nt,
                             double *out) {
  double l0 = mode_l(a, b);
  double d1p, d1m, hh = 1e-3;
  g_l(a, b, l0 + hh, &d1p);
  g_l(a, b, l0 - hh, &d1m);
  double curv = -(d1p - d1m) / (2 * hh);
  double sc = curv > 0 ? 1 / sqrt(curv) : 1;
  if (!(sc <= 0.5)) sc = 0.5;
  if (!(sc >= 1e-8)) sc = 1e-8;
  double mx = -INFINITY, S = 0, acc[16];
  for (int j = 0; j < nt; j++) acc[j] = 0;
  for (int i = -DE_HALF; i <= DE_HALF; i++) {
    double u = i * DE_STEP;
    double sh = M_PI / 2 * sinh(u);
    double v = sinh(sh);
    double l = l0 + sc * v;
    if (l > 700 || l < -745) continue;
    double lw = g_l(a, b, l, NULL) + log(sc * M_PI / 2 * cosh(u) * cosh(sh));
    if (!isfinite(lw)) continue;
    if (lw > mx) {
      double f = mx == -INFINITY ? 0 : exp(mx - lw);
      S *= f;
      for (int j = 0; j < nt; j++) acc[j] *= f;
      mx = lw;
    }
    double w = exp(lw - mx), y = exp(l);
    S += w;
    for (int j = 0; j < nt; j++) acc[j] += w * h_of(r, al, y, t[j]);
  }
  for (int j = 0; j < nt; j++) {
    double e = S > 0 ? acc[j] / S : r * t[j] / al;
    out[j] = isfinite(e) && e >= 0 ? e : 0;
  }
}

double rouse__xbg_expect(double r, double al, double a, double b, double t) {
  double out;
  xbg_expect_multi(r, al, a, b, &t, 1, &out);
  return out;
}

/*=====================================================================
 * MBG/CNBD-k (k > 1): exact E[Y(t) | alive at T, j phases of the current gap done]
 *====================================================================*/
/* Given alive at T with j of the k Erlang phases of the running gap completed, the rate is
 * λ ~ Gamma(e + j, α + T) (e = r + kx) and p ~ Beta(a, b'), b' = b + x + δ. Phases in
 * (T, T+t] are Poisson(λt), so their number N is negative binomial with shape e + j and
 * q = (α+T)/(α+T+t). The n-th future purchase happens once N >= kn − j and is made only if
 * the customer survived the n − 1 earlier ones (probability E[(1−p)^(n−1)]), so
 *   E_j = Σ_m P(N = m) S(floor((m + j) / k)),  S(n) = Σ_{i<n} E[(1−p)^i],
 * E[(1−p)^(i+1)] / E[(1−p)^i] = (b'+i) / (a+b'+i). The sum runs over the bulk of N's law
 * (from 30 standard deviations below its mean to where the terms fall below 1e-17 of the
 * total), normalised by the summed probabilities, with rescaling so nothing overflows; above
 * two million phases it falls back to the long-run (Poisson λ/k) form. For k = 1 it equals the Fader-Hardie-Lee expression computed by xbg_expect_multi. */
double rouse__cnbd_expect_j(double e, double alT, double a, double bp, int k, int j, double t) {
  if (!(t > 0)) return 0;
  double ej = e + j;
  double om = t / (alT + t); /* 1 − q */
  double q = alT / (alT + t);
  double mean = ej * om / q, sd = sqrt(ej * om) / q;
  /* beyond a million phases the offset of at most one purchase between the Erlang-k count and
   * a Poisson count at λ/k is negligible (relative error ~ k/mean): long-run form */
  if (mean + 30 * sd > 2e6) return rouse__xbg_expect(ej, k * alT, a, bp, t);
  double mlo = floor(mean - 30 * sd);
  if (!(mlo > 0)) mlo = 0;
  /* S at n0 = floor((mlo + j) / k) by direct summation */
  double n0 = floor((mlo + j) / k);
  double S = 0, R = 1; /* R = E[(1−p)^i] for the next i */
  double i = 0;
  for (; i < n0; i++) {
    S += R;
    R *= (bp + i) / (a + bp + i);
  }
  double v = 1, acc = 0, norm = 0;
  int phase = (int)fmod(mlo + j, k); /* (m + j) mod k */
  for (double m = mlo;; m++) {
    acc += v * S;
    norm += v;
    if (m > mean && v < 1e-17 * norm) break;
    if (m > mean + 1e4 * (sd + 1)) break; /* cannot happen for a finite law; a guard */
    v *= (ej + m) / (m + 1) * om;
    if (v > 1e200) {
      v *= 1e-200;
      acc *= 1e-200;
      norm *= 1e-200;
    }
    if (++phase == k) { /* floor((m + 1 + j) / k) grew by one */
      phase = 0;
      S += R;
      R *= (bp + i) / (a + bp + i);
      i++;
    }
  }
  double out = norm > 0 ? acc / norm : 0;
  return isfinite(out) && out >= 0 ? out : 0;
}

/* weights of j = 0..k−1 completed phases given alive at T (x purchases, last at t_x):
 * w_j ∝ (e)_j / j! (Δ/(α+T))^j */
static void cnbd_phase_weights(double e, double al, double tx, double T, int k, double *w) {
  double z = (T - tx) / (al + T), c = 1, s = 0;
  for (int j = 0; j < k; j++) {
    if (j > 0) c *= (e + j - 1) / j * z;
    w[j] = c;
    s += c;
  }
  for (int j = 0; j < k; j++) w[j] = s > 0 && isfinite(s) ? w[j] / s : (j == k - 1);
}

/* P(no purchase in (T, T+t] | alive at T) for k > 1: Σ_j w_j P(N_j < k − j) */
static double cnbd_p0_alive(double e, double al, double tx, double T, int k, double t) {
  double w[ROUSE_MODEL_MAX_K];
  cnbd_phase_weights(e, al, tx, T, k, w);
  double lq = -log1p(t / (al + T)), lom = log(t / (al + T + t));
  double p0 = 0;
  for (int j = 0; j < k; j++) {
    double ej = e + j, lp = ej * lq, s = 0;
    for (int m = 0; m < k - j; m++) {
      if (m > 0) lp += log((ej + m - 1) / m) + lom;
      s += exp(lp);
    }
    p0 += w[j] * (t > 0 ? s : 1);
  }
  return p0 > 1 ? 1 : p0 < 0 ? 0 : p0;
}

/*=====================================================================
 * Model checks and new-customer expectation
 *====================================================================*/
static int purchase_model_ok(const rouse_model *m) {
  if (!m || m->struct_size < sizeof *m || m->kind < 1 || m->kind > 4) return 0;
  if (m->kind == ROUSE_MODEL_MBGCNBD && (m->k < 1 || m->k > ROUSE_MODEL_MAX_K)) return 0;
  for (int i = 0; i < 4; i++)
    if (!(m->param[i] > 0) || !isfinite(m->param[i])) return 0;
  return 1;
}

static int kof(const rouse_model *m) { return m->kind == ROUSE_MODEL_MBGCNBD ? m->k : 1; }
static int dof(const rouse_model *m) {
  return m->kind == ROUSE_MODEL_MBGNBD || m->kind == ROUSE_MODEL_MBGCNBD;
}

/* Pareto/NBD E[Y(t) | alive at T] for a customer with x purchases */
static double pnbd_cond(const double *p, double x, double T, double t) {
  double r = p[0], al = p[1], s = p[2], be = p[3];
  return (r + x) / (al + T) * (be + T) * rouse__one_minus_pow_over(s - 1, -log1p(t / (be + T)));
}

double rouse_model_expected_new(const rouse_model *m, double t) {
  if (!purchase_model_ok(m) || !(t >= 0) || !isfinite(t)) return NAN;
  const double *p = m->param;
  if (m->kind == ROUSE_MODEL_PNBD) return pnbd_cond(p, 0, 0, t);
  int k = kof(m);
  if (!dof(m)) return rouse__xbg_expect(p[0], p[1], p[2], p[3], t);
  /* M models: the customer may drop out right after the first purchase (prob. E[p]) */
  if (k > 1) return p[3] / (p[2] + p[3]) * rouse__cnbd_expect_j(p[0], p[1], p[2], p[3] + 1, k, 0, t);
  return p[3] / (p[2] + p[3]) * rouse__xbg_expect(p[0], k * p[1], p[2], p[3] + 1, t);
}

/*=====================================================================
 * Per-customer predictions
 *====================================================================*/
struct pctx {
  const rouse_model *m;
  struct rouse__mdata d;
  double t;                /* horizon (predict) */
  const double *tgrid;     /* CLV step ends */
  int nsteps;
  int kk;                  /* values per pair and step: k for MBG/CNBD-k with k > 1, else 1 */
  double *pair_e;          /* per pair: BG E (nsteps × kk values) or Pareto P0|alive */
  unsigned char *pair_used;
  double *row_pa, *row_e, *row_p0; /* per row */
};

#define CHUNK 256

static double pnbd_p_alive(const double *p, double x, double tx, double T) {
  if (tx >= T) return 1;
  double r = p[0], al = p[1], s = p[2], be = p[3];
  double l1 = -(r + x) * log(al + T) - s * log(be + T);
  double l2 = log(s) + rouse__pnbd_log_integral(r, al, s, be, x, tx, T, NULL);
  return 1 / (1 + exp(l2 - l1));
}

/* P(no purchase in (T, T+t] | alive at T) for the Pareto/NBD */
static double pnbd_p0_alive(const double *p, double x, double T, double t) {
  if (t <= 0) return 1;
  double r = p[0], al = p[1], s = p[2], be = p[3];
  double l1 = -(r + x) * log1p(t / (al + T)) - s * log1p(t / (be + T));
  double l2 = log(s) + (r + x) * log(al + T) + s * log(be + T) +
              rouse__pnbd_log_integral(r, al, s, be, x, T, T + t, NULL);
  double v = exp(l1) + exp(l2);
  return v > 1 ? 1 : v < 0 ? 0 : v;
}

static void task_pairs(void *arg, size_t c) {
  struct pctx *P = arg;
  const rouse_model *m = P->m;
  const double *p = m->param;
  int k = kof(m), dl = dof(m);
  size_t p0 = c * CHUNK, p1 = p0 + CHUNK < P->d.np ? p0 + CHUNK : P->d.np;
  for (size_t i = p0; i < p1; i++) {
    if (!P->pair_used[i]) continue;
    double x = P->d.xs[P->d.px[i]], T = P->d.ts[P->d.pt[i]];
    double *out = P->pair_e + i * (size_t)P->nsteps * (size_t)P->kk;
    if (m->kind == ROUSE_MODEL_PNBD) {
      out[0] = pnbd_p0_alive(p, x, T, P->t);
    } else if (P->kk > 1) {
      for (int s = 0; s < P->nsteps; s++)
        for (int j = 0; j < k; j++)
          out[s * k + j] = rouse__cnbd_expect_j(p[0] + k * x, p[1] + T, p[2], p[3] + x + dl, k,
                                                j, P->tgrid[s]);
    } else {
      xbg_expect_multi(p[0] + k * x, k * (p[1] + T), p[2], p[3] + x + dl, P->tgrid, P->nsteps,
                       out);
    }
  }
}

static double xbg_p_alive(const double *p, int k, int dl, double x, double tx, double T) {
  if (!(dl || x > 0)) return 1;
  double r = p[0], al = p[1], a = p[2], b = p[3];
  double e = r + k * x;
  double A = -e * log(al + T);
  if (k > 1) {
    double z = (T - tx) / (al + T), S = 0, c = 1;
    double zp = 1;
    for (int j = 0; j < k; j++) {
      if (j > 0) c *= (e + j - 1) / j;
      S += c * zp;
      zp *= z;
    }
    A += log(S);
  }
  double D = log(a) - log(b + x - 1 + dl) - e * log(al + tx);
  return 1 / (1 + exp(D - A));
}

/* E[purchases by the end of step s | alive at T] of compressed row i */
static double row_cond(const struct pctx *P, size_t i, int s) {
  const double *pe = P->pair_e + (size_t)P->d.pi_T[i] * (size_t)P->nsteps * (size_t)P->kk;
  if (P->kk == 1) return pe[s];
  const double *p = P->m->param;
  int k = P->kk;
  double x = P->d.xs[P->d.xi[i]], tx = P->d.ts[P->d.ti_x[i]], T = P->d.ts[P->d.ti_T[i]];
  double w[ROUSE_MODEL_MAX_K], e = 0;
  cnbd_phase_weights(p[0] + k * x, p[1], tx, T, k, w);
  for (int j = 0; j < k; j++) e += w[j] * pe[s * k + j];
  return e;
}

static void task_rows(void *arg, size_t c) {
  struct pctx *P = arg;
  const rouse_model *m = P->m;
  const double *p = m->param;
  int k = kof(m), dl = dof(m);
  size_t r0 = c * CHUNK, r1 = r0 + CHUNK < P->d.n_rows ? r0 + CHUNK : P->d.n_rows;
  for (size_t i = r0; i < r1; i++) {
    double x = P->d.xs[P->d.xi[i]], tx = P->d.ts[P->d.ti_x[i]], T = P->d.ts[P->d.ti_T[i]];
    const double *pe = P->pair_e + (size_t)P->d.pi_T[i] * (size_t)P->nsteps * (size_t)P->kk;
    double pa, e0 = 0, p0 = 1;
    if (m->kind == ROUSE_MODEL_PNBD) {
      pa = pnbd_p_alive(p, x, tx, T);
      if (P->row_e) e0 = pa * pnbd_cond(p, x, T, P->t);
      if (P->row_p0) p0 = 1 - pa * (1 - pe[0]);
    } else {
      pa = xbg_p_alive(p, k, dl, x, tx, T);
      if (P->row_e) e0 = pa * row_cond(P, i, P->nsteps - 1);
      if (P->row_p0 && k > 1) {
        p0 = 1 - pa * (1 - cnbd_p0_alive(p[0] + k * x, p[1], tx, T, k, P->t));
      } else if (P->row_p0) {
        double e = p[0] + k * x;
        double buy = -expm1(-e * log1p(P->t / (k * (p[1] + T))));
        p0 = 1 - pa * buy;
      }
    }
    if (!(pa >= 0)) pa = 0;
    if (pa > 1) pa = 1;
    if (!(p0 >= 0)) p0 = 0;
    if (p0 > 1) p0 = 1;
    if (!(e0 >= 0) || !isfinite(e0)) e0 = 0;
    if (P->row_pa) P->row_pa[i] = pa;
    if (P->row_e) P->row_e[i] = e0;
    if (P->row_p0) P->row_p0[i] = p0;
  }
}

/* common driver: predict (nsteps = 1, tgrid = {t}) and CLV (several steps) */
static int run_predict(const rouse_model *m, const double *x, const double *t_x, const double *T,
                       size_t n, double t, const double *tgrid, int nsteps, int n_threads,
                       uint32_t **row_of_out, struct pctx *P, int want_pa, int want_e,
                       int want_p0) {
  memset(P, 0, sizeof *P);
  P->m = m;
  P->t = t;
  P->tgrid = tgrid;
  P->nsteps = nsteps;
  P->kk = m->kind == ROUSE_MODEL_MBGCNBD && m->k > 1 ? m->k : 1;
  uint32_t *row_of = rouse__calloc(n, sizeof *row_of);
  if (!row_of) return ROUSE_NOMEM;
  int rc = rouse__mdata_build(x, t_x, T, n, &P->d, row_of);
  if (rc) {
    rouse__free(row_of);
    return rc;
  }
  struct rouse_pool *pool = NULL;
  size_t nr = P->d.n_rows;
  P->pair_e = rouse__calloc(P->d.np ? P->d.np : 1, sizeof(double) * (size_t)nsteps * (size_t)P->kk);
  P->pair_used = rouse__calloc(P->d.np ? P->d.np : 1, 1);
  if (want_pa) P->row_pa = rouse__calloc(nr, sizeof(double));
  if (want_e) P->row_e = rouse__calloc(nr, sizeof(double));
  if (want_p0) P->row_p0 = rouse__calloc(nr, sizeof(double));
  if (!P->pair_e || !P->pair_used || (want_pa && !P->row_pa) || (want_e && !P->row_e) ||
      (want_p0 && !P->row_p0)) {
    rc = ROUSE_NOMEM;
    goto fail;
  }
  if ((rc = rouse__pool_new(n_threads, &pool))) goto fail;
  int need_pairs = (m->kind == ROUSE_MODEL_PNBD && want_p0) || (m->kind != ROUSE_MODEL_PNBD && want_e);
  if (need_pairs)
    for (size_t i = 0; i < nr; i++) P->pair_used[P->d.pi_T[i]] = 1;
  rouse__pool_run(pool, (P->d.np + CHUNK - 1) / CHUNK, task_pairs, P);
  rouse__pool_run(pool, (nr + CHUNK - 1) / CHUNK, task_rows, P);
  rouse__pool_free(pool);
  *row_of_out = row_of;
  return ROUSE_OK;
fail:
  rouse__pool_free(pool);
  rouse__free(row_of);
  rouse__free(P->pair_e);
  rouse__free(P->pair_used);
  rouse__free(P->row_pa);
  rouse__free(P->row_e);
  rouse__free(P->row_p0);
  rouse__mdata_release(&P->d);
  return rc;
}

static void release_pctx(struct pctx *P) {
  rouse__free(P->pair_e);
  rouse__free(P->pair_used);
  rouse__free(P->row_pa);
  rouse__free(P->row_e);
  rouse__free(P->row_p0);
  rouse__mdata_release(&P->d);
}

int rouse_model_predict(const rouse_model *m, const double *x, const double *t_x,
                        const double *T, size_t n, double t, int n_threads, double *p_alive,
                        double *expected, double *p_zero) {
  if (!purchase_model_ok(m) || !(t >= 0) || !isfinite(t)) return ROUSE_MISUSE;
  if (n == 0) return ROUSE_OK;
  struct pctx P;
  uint32_t *row_of = NULL;
  int rc = run_predict(m, x, t_x, T, n, t, &t, 1, n_threads, &row_of, &P, p_alive != NULL,
                       expected != NULL, p_zero != NULL);
  if (rc) return rc;
  for (size_t i = 0; i < n; i++) {
    uint32_t r = row_of[i];
    if (p_alive) p_alive[i] = P.row_pa[r];
    if (expected) expected[i] = P.row_e[r];
    if (p_zero) p_zero[i] = P.row_p0[r];
  }
  rouse__free(row_of);
  release_pctx(&P);
  return ROUSE_OK;
}

int rouse_model_clv(const rouse_model *m, const double *x, const double *t_x, const double *T,
                    const double *value, size_t n, double horizon, int n_steps, double rate,
                    int n_threads, double *out) {
  if (!purchase_model_ok(m) || !value || !out || !(horizon >= 0) || !isfinite(horizon) ||
      n_steps < 1 || n_steps > 16 || !(rate > -1) || !isfinite(rate))
    return ROUSE_MISUSE;
  if (n == 0) return ROUSE_OK;
  double grid[16], disc[16];
  for (int j = 0; j < n_steps; j++) {
    grid[j] = horizon * (j + 1) / n_steps;
    disc[j] = exp(-grid[j] * log1p(rate));
  }
  /* the Pareto/NBD has a closed form per step: run once per step end */
  double *cum = NULL;
  struct pctx P;
  uint32_t *row_of = NULL;
  int rc;
  if (m->kind == ROUSE_MODEL_PNBD) {
    cum = rouse__calloc(n, sizeof *cum * 2);
    if (!cum) return ROUSE_NOMEM;
    double *e = cum + n;
    for (size_t i = 0; i < n; i++) out[i] = cum[i] = 0;
    for (int j = 0; j < n_steps; j++) {
      rc = rouse_model_predict(m, x, t_x, T, n, grid[j], n_threads, NULL, e, NULL);
      if (rc) {
        rouse__free(cum);
        return rc;
      }
      for (size_t i = 0; i < n; i++) {
        double v = value[i] > 0 && isfinite(value[i]) ? value[i] : 0;
        out[i] += (e[i] - cum[i] > 0 ? e[i] - cum[i] : 0) * disc[j] * v;
        cum[i] = e[i] > cum[i] ? e[i] : cum[i];
      }
    }
    rouse__free(cum);
    return ROUSE_OK;
  }
  rc = run_predict(m, x, t_x, T, n, horizon, grid, n_steps, n_threads, &row_of, &P, 1, 1, 0);
  if (rc) return rc;
  /* pair_e holds E | alive at each step end; the row's P(alive) scales them */
  for (size_t i = 0; i < n; i++) {
    uint32_t r = row_of[i];
    double v = value[i] > 0 && isfinite(value[i]) ? value[i] : 0, s = 0, prev = 0;
    for (int j = 0; j < n_steps; j++) {
      double ej = row_cond(&P, r, j);
      double inc = ej - prev;
      if (inc > 0) s += inc * disc[j];
      prev = ej > prev ? ej : prev;
    }
    double o = P.row_pa[r] * s * v;
    out[i] = isfinite(o) && o > 0 ? o : 0;
  }
  rouse__free(row_of);
  release_pctx(&P);
  return ROUSE_OK;
}

/*=====================================================================
 * Spend and tracking
 *====================================================================*/
int rouse_model_expected_spend(const rouse_model *gg, const double *x, const double *spend,
                               size_t n, double *out) {
  if (!gg || gg->struct_size < sizeof *gg || gg->kind != ROUSE_MODEL_GG || !out) return ROUSE_MISUSE;
  double p = gg->param[0], q = gg->param[1], ga = gg->param[2];
  if (!(p > 0 && q > 0 && ga > 0) || !isfinite(p + q + ga)) return ROUSE_MISUSE;
  double qe = q > 1 + 1e-3 ? q : 1 + 1e-3;
  for (size_t i = 0; i < n; i++) {
    double xi = x && x[i] >= 1 && isfinite(x[i]) ? floor(x[i]) : 0;
    double m = spend && spend[i] > 0 && isfinite(spend[i]) ? spend[i] : 0;
    if (m == 0) xi = 0;
    double v = (ga + m * xi) * p / (p * xi + qe - 1);
    out[i] = isfinite(v) && v >= 0 ? v : 0;
  }
  return ROUSE_OK;
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int rouse_model_tracking(const rouse_model *m, const double *birth, size_t n, const double *grid,
                         size_t n_grid, double *out) {
  if (!purchase_model_ok(m) || (n && !birth) || (n_grid && (!grid || !out))) return ROUSE_MISUSE;
  for (size_t j = 0; j < n_grid; j++) out[j] = 0;
  if (!n) return ROUSE_OK;
  double *b = rouse__calloc(n, sizeof *b);
  if (!b) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(birth[i])) {
      rouse__free(b);
      return ROUSE_MISUSE;
    }
    b[i] = birth[i];
  }
  qsort(b, n, sizeof *b, cmp_dbl);
  for (size_t j = 0; j < n_grid; j++) {
    double s = 0;
    for (size_t i = 0; i < n;) {
      size_t e = i;
      while (e < n && b[e] == b[i]) e++;
      if (b[i] < grid[j]) s += (double)(e - i) * rouse_model_expected_new(m, grid[j] - b[i]);
      i = e;
    }
    out[j] = s;
  }
  rouse__free(b);
  return ROUSE_OK;
}

int rouse_model_tracking_periods(const rouse_model *m, const uint64_t *births, size_t n,
                                 double period, double *out) {
  if (!purchase_model_ok(m) || (n && (!births || !out)) || !(period > 0) || !isfinite(period))
    return ROUSE_MISUSE;
  /* cum[k] = E[X((k - 1/2) periods)] for k >= 1: a customer born mid-period w has been one for
   * j - w + 1/2 periods at the end of period j; cum[0] = 0 (before the birth) */
  double *cum = rouse__calloc(n + 1, sizeof *cum);
  if (!cum) return ROUSE_NOMEM;
  int rc = ROUSE_OK;
  for (size_t k = 1; k <= n && !rc; k++) {
    cum[k] = rouse_model_expected_new(m, ((double)k - 0.5) * period);
    if (!isfinite(cum[k])) rc = ROUSE_DOMAIN;
  }
  for (size_t j = 0; j < n; j++) out[j] = 0;
  for (size_t w = 0; w < n && !rc; w++) {
    double b = (double)births[w];
    if (b == 0) continue;
    for (size_t j = w; j < n; j++) out[j] += b * (cum[j - w + 1] - cum[j - w]);
  }
  rouse__free(cum);
  return rc;
}
