/* SPDX-License-Identifier: MIT
 * Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"; Colombo & Jiang 1999). Each purchase amount z ~ Gamma(p, ν), with the
 * customer's scale ν ~ Gamma(q, γ). For a customer with x purchases of mean m̄:
 *
 *   f(m̄ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · m̄^(px−1) · x^(px) / (γ + x m̄)^(px+q)
 *
 * (Fader & Hardie 2013, eq. 5). E[Z | x, m̄] = (γ + x m̄) p / (px + q − 1), a weighted mean of
 * the population mean pγ/(q−1) and the customer's own mean m̄. Only customers with repeat
 * purchases (x >= 1) and positive spend enter the fit, as in the note.
 * METHOD: analytic gradient in (p, q, γ). The Gamma-function terms depend on x alone, so
 * they are computed once per distinct x (a few hundred values) and weighted by their counts;
 * per row only log(γ + x m̄) remains, summed in fixed blocks combined in order. */
#include <math.h>
#include <stdlib.h>

#include "ggamma.h"
#include "special.h"

static int cmp_double(const void *a, const void *b) {
  double u = *(const double *)a, v = *(const double *)b;
  return (u > v) - (u < v);
}

int rouse__gg_init(struct rouse__gg *g, const double *x, const double *spend, size_t n) {
  memset(g, 0, sizeof *g);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(x[i] >= 0) || !isfinite(x[i])) return ROUSE_MISUSE; /* spend: NaN etc. skipped */
    if (x[i] >= 1 && spend[i] > 0 && isfinite(spend[i])) k++;
  }
  g->x = rouse__calloc(k ? k : 1, sizeof *g->x);
  g->m = rouse__calloc(k ? k : 1, sizeof *g->m);
  g->lxm = rouse__calloc(k ? k : 1, sizeof *g->lxm);
  g->lm = rouse__calloc(k ? k : 1, sizeof *g->lm);
  g->n_blocks = (k + ROUSE__BLOCK_ROWS - 1) / ROUSE__BLOCK_ROWS;
  g->blk = rouse__calloc(g->n_blocks ? g->n_blocks : 1, 4 * sizeof(double));
  if (!g->x || !g->m || !g->lxm || !g->lm || !g->blk) {
    rouse__gg_release(g);
    return ROUSE_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    if (x[i] >= 1 && spend[i] > 0 && isfinite(spend[i])) {
      g->x[g->n] = floor(x[i]);
      g->m[g->n] = spend[i];
      g->lm[g->n] = log(spend[i]);
      g->lxm[g->n] = log(floor(x[i])) + g->lm[g->n];
      g->s_xlxm += g->x[g->n] * g->lxm[g->n];
      g->s_lm += g->lm[g->n];
      g->n++;
    }
  }
  /* the distinct x values and their counts */
  g->ux = rouse__calloc(k ? k : 1, sizeof *g->ux);
  g->ucnt = rouse__calloc(k ? k : 1, sizeof *g->ucnt);
  if (!g->ux || !g->ucnt) {
    rouse__gg_release(g);
    return ROUSE_NOMEM;
  }
  if (k) memcpy(g->ux, g->x, k * sizeof *g->ux);
  qsort(g->ux, k, sizeof *g->ux, cmp_double);
  for (size_t i = 0; i < k; i++) {
    if (g->nu && g->ux[g->nu - 1] == g->ux[i]) {
      g->ucnt[g->nu - 1]++;
    } else {
      g->ux[g->nu] = g->ux[i];
      g->ucnt[g->nu++] = 1;
    }
  }
  return ROUSE_OK;
}

void rouse__gg_release(struct rouse__gg *g) {
  if (!g) return;
  rouse__free(g->x);
  rouse__free(g->m);
  rouse__free(g->lxm);
  rouse__free(g->lm);
  rouse__free(g->ux);
  rouse__free(g->ucnt);
  rouse__free(g->blk);
  memset(g, 0, sizeof *g);
}

void rouse__gg_start(const struct rouse__gg *g, double *par) {
  double s = 0;
  for (size_t i = 0; i < g->n; i++) s += g->m[i];
  double mean = g->n ? s / (double)g->n : 1;
  par[0] = 2;
  par[1] = 3;
  par[2] = mean; /* E[Z] = p γ / (q − 1) = mean */
}

/* per block: Σ log u, Σ x log u, Σ 1/u, Σ x/u with u = γ + x m̄ */
static void gg_block(void *arg, size_t b) {
  struct rouse__gg *g = arg;
  const double ga = g->par[2];
  size_t r0 = b * ROUSE__BLOCK_ROWS, r1 = r0 + ROUSE__BLOCK_ROWS < g->n ? r0 + ROUSE__BLOCK_ROWS : g->n;
  double a = 0, bx = 0, c = 0, d = 0;
  for (size_t i = r0; i < r1; i++) {
    double x = g->x[i], u = ga + x * g->m[i], lu = log(u);
    a += lu;
    bx += x * lu;
    c += 1 / u;
    d += x / u;
  }
  double *o = g->blk + 4 * b;
  o[0] = a;
  o[1] = bx;
  o[2] = c;
  o[3] = d;
}

double rouse__gg_ll(struct rouse__gg *g, const double *par, double *grad) {
  const double p = par[0], q = par[1], ga = par[2], n = (double)g->n, lga = log(ga);
  g->par = par;
  rouse__pool_run(g->pool, g->n_blocks, gg_block, g);
  double s[4] = {0, 0, 0, 0}; /* Σ log u, Σ x log u, Σ 1/u, Σ x/u */
  for (size_t b = 0; b < g->n_blocks; b++)
    for (int j = 0; j < 4; j++) s[j] += g->blk[4 * b + j];
  double lgs = 0, dgp = 0, dgq = 0; /* Γ terms over the distinct x */
  for (size_t k = 0; k < g->nu; k++) {
    double x = g->ux[k], w = g->ucnt[k], px = p * x, psum = rouse__digamma(px + q);
    lgs += w * (rouse__lgamma(px + q) - rouse__lgamma(px));
    dgp += w * x * (psum - rouse__digamma(px));
    dgq += w * psum;
  }
  double ll = lgs - n * rouse__lgamma(q) + n * q * lga + p * g->s_xlxm - g->s_lm - p * s[1] -
              q * s[0];
  if (grad) {
    double gp = dgp + g->s_xlxm - s[1];
    double gq = dgq - n * rouse__digamma(q) + n * lga - s[0];
    double gg = n * q / ga - p * s[3] - q * s[2];
    grad[0] = gp * p; /* d / d log p */
    grad[1] = gq * q;
    grad[2] = gg * ga;
  }
  return ll;
}
