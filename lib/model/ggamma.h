/* SPDX-License-Identifier: MIT
 * Gamma-Gamma spend model (Fader & Hardie 2013): private interface between ggamma.c, the
 * fit driver (fit.c) and predictions (predict.c). */
#ifndef ROUSE_MODEL_GGAMMA_H
#define ROUSE_MODEL_GGAMMA_H

#include "model.h"

struct rouse__gg {
  size_t n;          /* usable rows (x >= 1, spend > 0) */
  double *x, *m;     /* repeat purchases and their mean spend */
  double *lxm;       /* log x + log m */
  double *lm;        /* log m */
  double *ux;        /* the distinct x values, ascending */
  double *ucnt;      /* how many rows have each */
  size_t nu;
  double s_xlxm, s_lm; /* Σ x (log x + log m), Σ log m: constant in the parameters */
  double *blk;       /* per-block partial sums (4 each) */
  size_t n_blocks;
  struct rouse_pool *pool;
  const double *par; /* current parameters during an evaluation */
};

/* copy the usable rows; @return ROUSE_OK, ROUSE_NOMEM, ROUSE_MISUSE (negative or non-finite) */
int rouse__gg_init(struct rouse__gg *g, const double *x, const double *spend, size_t n);
void rouse__gg_release(struct rouse__gg *g);
void rouse__gg_start(const struct rouse__gg *g, double *par);
/* LL and d LL / d log(p, q, gamma) */
double rouse__gg_ll(struct rouse__gg *g, const double *par, double *grad);

#endif
