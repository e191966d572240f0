/* SPDX-License-Identifier: MIT
 * Private interface of the model module: the compressed input (distinct (x, t_x, T) rows with
 * weights and the tables of distinct x values, time points and (x, t) pairs that the
 * likelihoods share), the per-kind likelihood kernels and the evaluator that sums them over
 * fixed blocks of rows on the job pool. Not installed; the public API is rouse_model.h. */
#ifndef ROUSE_MODEL_INTERNAL_H
#define ROUSE_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../base/base.h"

#define ROUSE__BLOCK_ROWS 4096 /* rows per reduction block: fixes the summation order */

/* Distinct (x, t_x, T) rows, sorted by (x, t_x, T), with weights. Times are stored once in
 * ts[] (sorted ascending) and referenced by index; pairs (x, t) used by the Pareto/NBD
 * likelihood (t = t_x or T) are listed once in px/pt. */
struct rouse__mdata {
  size_t n_rows;
  uint32_t *xi;     /* row -> index into xs */
  uint32_t *ti_x;   /* row -> index into ts of t_x */
  uint32_t *ti_T;   /* row -> index into ts of T */
  uint32_t *pi_x;   /* row -> pair (x, t_x) */
  uint32_t *pi_T;   /* row -> pair (x, T) */
  double *w;        /* customers in the row */
  size_t nx;
  double *xs;       /* distinct x, ascending */
  size_t nt;
  double *ts;       /* distinct times, ascending */
  size_t np;
  uint32_t *px, *pt; /* pair -> x index, time index */
  double W;         /* total weight */
};

/* rouse__mdata_build() : compress n rows (validated: finite, x >= 0, 0 <= t_x <= T).
 * row_of (may be NULL; n entries) receives each input row's compressed row.
 * @return ROUSE_OK, ROUSE_MISUSE (invalid row), ROUSE_EMPTY (n = 0), ROUSE_NOMEM. */
int rouse__mdata_build(const double *x, const double *t_x, const double *T, size_t n,
                       struct rouse__mdata *out, uint32_t *row_of);
void rouse__mdata_release(struct rouse__mdata *d);

/* Likelihood evaluator of one model kind on compressed data. */
struct rouse__eval {
  int kind;
  int k;                        /* Erlang order (MBG/CNBD-k), 1 otherwise */
  int np;                       /* parameters */
  const struct rouse__mdata *d;
  struct rouse_pool *pool;
  double par[ROUSE_MODEL_MAX_PARAMS]; /* current natural parameters */
  double *tx;                   /* per-x table */
  double *tt;                   /* per-time table */
  double *tp;                   /* per-pair table (Pareto/NBD) */
  double *blk;                  /* per-block partial sums: (1 + np) each */
  size_t n_blocks;
};

int rouse__eval_init(struct rouse__eval *e, int kind, int k, const struct rouse__mdata *d,
                     struct rouse_pool *pool);
void rouse__eval_release(struct rouse__eval *e);
/* LL(params) summed over all rows (weights applied); grad (may be NULL) receives d LL / d
 * log(param_i). Deterministic for any thread count. */
double rouse__eval_ll(struct rouse__eval *e, const double *par, double *grad);

/* kernels (bgnbd.c: BG/NBD, MBG/NBD and MBG/CNBD-k share one; pnbd.c) */
size_t rouse__xbg_tx_width(int k);
void rouse__xbg_tables(struct rouse__eval *e, size_t x0, size_t x1, size_t t0, size_t t1);
void rouse__xbg_block(const struct rouse__eval *e, size_t r0, size_t r1, double *out);
void rouse__pnbd_tables(struct rouse__eval *e, size_t x0, size_t x1, size_t t0, size_t t1);
void rouse__pnbd_pairs(struct rouse__eval *e, size_t p0, size_t p1);
void rouse__pnbd_block(const struct rouse__eval *e, size_t r0, size_t r1, double *out);
#define ROUSE__PNBD_TX_WIDTH 5
#define ROUSE__PNBD_TT_WIDTH 4
#define ROUSE__PNBD_TP_WIDTH 6

/* Pareto/NBD helper shared with predict.c: log of
 *   I = ∫_{t1}^{t2} (α+τ)^−p (β+τ)^−q dτ,  p = r + x, q = s + 1,
 * with d log I / d(r, α, s, β) in dl[4] (may be NULL). t1 < t2. */
/* MBG/CNBD-k helper (predict.c): E[purchases in (T, T+t] | alive at T, j of the k Erlang
 * phases of the running gap done], e = r + kx, alT = α + T, p ~ Beta(a, bp). */
double rouse__cnbd_expect_j(double e, double alT, double a, double bp, int k, int j, double t);

double rouse__pnbd_log_integral(double r, double alpha, double s, double beta, double x,
                                double t1, double t2, double *dl);

/* BG-family expectation E_{p~Beta(a,b)} [(1 − (α/(α+p t))^r) / p] (predict.c). */
double rouse__xbg_expect(double r, double alpha, double a, double b, double t);

/* Gamma-Gamma row log-likelihood and gradient wrt (p, q, gamma) natural params */
double rouse__gg_row(const double *par, double x, double m, double *g);

#endif
