/* SPDX-License-Identifier: MIT
 * Private header of the eval module: the canonical sorted copy that every metric of
 * lib/eval/metrics.c works on, and the metrics on it. Knows nothing about models or customers. */
#ifndef ROUSE_EVAL_PRIV_H
#define ROUSE_EVAL_PRIV_H

#include "../base/base.h"
#include "rouse/rouse_eval.h"

/* One input row. The array is sorted by score descending, then y descending: a total order
 * on values, so equal rows are indistinguishable and any input permutation gives the same
 * array. -0.0 is stored as +0.0. */
struct eval_row {
  double s;   /* score or probability */
  uint32_t y; /* 0 or 1 */
};

/* Validates and sorts. `prob` nonzero requires s in [0, 1], else only finiteness.
 * Caller owns *out (rouse__free). @return ROUSE_OK, ROUSE_MISUSE, ROUSE_LIMIT, ROUSE_NOMEM. */
int rouse__eval_sorted(const double *score, /* n scores */
                       const uint8_t *y,    /* n labels, 0 or 1 */
                       size_t n, int prob,
                       struct eval_row **out, /* OUT: sorted copy */
                       size_t *out_pos);      /* OUT: number of y = 1 */

/* Metrics on a sorted array r[0..n) with n_pos positives (preconditions checked by callers). */
double rouse__eval_auc_sorted(const struct eval_row *r, size_t n, size_t n_pos);
double rouse__eval_ap_sorted(const struct eval_row *r, size_t n, size_t n_pos);
double rouse__eval_lift_sorted(const struct eval_row *r, size_t n, size_t n_pos, double top);
double rouse__eval_brier_sorted(const struct eval_row *r, size_t n);
double rouse__eval_log_loss_sorted(const struct eval_row *r, size_t n);
/* bins may be NULL */
double rouse__eval_ece_sorted(const struct eval_row *r, size_t n, int n_bins, int binning,
                              rouse_eval_bin *bins);

#endif /* ROUSE_EVAL_PRIV_H */
