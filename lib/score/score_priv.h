/* SPDX-License-Identifier: MIT
 * Private header of the scoring module: snapshots (a summary at one date with the recent
 * window joined to it), the feature matrix of the supervised model and the reasons. The
 * public API is in <rouse/rouse_score.h>. */
#ifndef ROUSE_SCORE_PRIV_H
#define ROUSE_SCORE_PRIV_H

#include "../base/base.h"
#include "rouse/rouse_score.h"

/* One snapshot: the customers' history up to as_of - 1, what happened in the last trend
 * window before it, and (training snapshots) the label window after it. */
struct snap {
  int32_t as_of;
  int32_t label_days;      /* purchases in [as_of, as_of + label_days) are the label; 0: none */
  rouse_summary *s;        /* unit: weeks (the models' unit) */
  /* the same customers before the trend window (0 when the customer is newer) */
  uint32_t *prev_days;     /* purchase days before as_of - trend_days */
  uint32_t *prev_orders;
  int64_t *prev_total;     /* net spend before as_of - trend_days */
  int prev_has_amount;     /* prev_total is known */
  double *x, *t_x, *T;     /* model columns (weeks) */
  double *spend;           /* mean repeat spend (NaN when x = 0) */
  rouse_categories *cat;   /* the customers' category mix at as_of (features; NULL when the
                              data has no categories) */
};

void rouse__snap_free(struct snap *p);
/* Build the snapshot at `as_of` (holdout_end = as_of + label_days - 1 when label_days > 0,
 * or outcome_end when given), of every customer (sample 0) or of the id-hash sample of about
 * that fraction (rouse_summary_opts.sample_fraction).
 * @return ROUSE_OK, ROUSE_EMPTY, ROUSE_NOMEM, ROUSE_MISUSE. */
int rouse__snap_build(const rouse_ingest *ing, int32_t as_of, int32_t label_days,
                      int32_t outcome_end, int32_t trend_days, double sample, int n_threads,
                      struct snap *p);

/* Features of the supervised model (features.c). */
#define ROUSE_SCORE_NF 23
#define ROUSE_SCORE_NF_BASE 20   /* without categories the last three are missing: not shown */
#define ROUSE_SCORE_F_MODEL_P 19 /* model_p_purchase: the trees' offset */
extern const char *const rouse__feature_names[ROUSE_SCORE_NF];

/* Per snapshot row i: X[i * ROUSE_SCORE_NF + j]. p_alive, expected and p_buy are a
 * purchase model's predictions over the label window (the same window at training and at
 * scoring time). NaN marks a missing value. */
void rouse__features(const struct snap *p, const double *p_alive, const double *expected,
                     const double *p_buy, size_t lo, size_t hi, float *X);

#endif /* ROUSE_SCORE_PRIV_H */
