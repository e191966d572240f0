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
 * METHOD: analytic gradient in (p, q, γ); rows summed in fixed blocks, combined in order. */
#include <math.h>

#include "ggamma.h"
#include "special.h"

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
      g->n++;
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

static void gg_block(void *arg, size_t b) {
  struct rouse__gg *g = arg;
  const double p = g->par[0], q = g->par[1], ga = g->par[2];
  const double lq = rouse__lgamma(q), pq = rouse__digamma(q), lga = log(ga);
  size_t r0 = b * ROUSE__BLOCK_ROWS, r1 = r0 + ROUSE__BLOCK_ROWS < g->n ? r0 + ROUSE__BLOCK_ROWS : g->n;
  double ll = 0, gp = 0, gq = 0, gg = 0;
  for (size_t i = r0; i < r1; i++) {
    double x = g->x[i], px = p * x, u = ga + x * g->m[i], lu = log(u);
    double psum = rouse__digamma(px + q);
    ll += rouse__lgamma(px + q) - rouse__lgamma(px) - lq + q * lga + px * g->lxm[i] - g->lm[i] -
          (px + q) * lu;
    gp += x * (psum - rouse__digamma(px) + g->lxm[i] - lu);
    gq += psum - pq + lga - lu;
    gg += q / ga - (px + q) / u;
  }
  double *o = g->blk + 4 * b;
  o[0] = ll;
  o[1] = gp;
  o[2] = gq;
  o[3] = gg;
}

double rouse__gg_ll(struct rouse__gg *g, const double *par, double *grad) {
  g->par = par;
  rouse__pool_run(g->pool, g->n_blocks, gg_block, g);
  double s[4] = {0, 0, 0, 0};
  for (size_t b = 0; b < g->n_blocks; b++)
    for (int j = 0; j < 4; j++) s[j] += g->blk[4 * b + j];
  if (grad)
    for (int i = 0; i < 3; i++) grad[i] = s[i + 1] * par[i];
  return s[0];
}
