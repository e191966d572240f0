/* SPDX-License-Identifier: MIT
 * Snapshots and engineered features. A snapshot is the per-customer summary at one date,
 * with the same customers' history before the last trend window (counted in the same pass:
 * rouse_summary_opts.split_day = as_of - trend_days), so that "recent" and "before" can be
 * compared:
 * purchases per window, spend per order. The features are those of docs/scoring.md, one row
 * per customer, NaN where a value does not exist (no repeat purchase).
 *
 * Past snapshots (training and validation) come
 * from the same ingest: it keeps every order with its amount, so a summary at an earlier
 * date is exact, amounts included, and holds nothing from after that date. The features mean
 * the same at training and at scoring time. */
#include <math.h>

#include "../ingest/state.h"
#include "score_priv.h"

void rouse__snap_free(struct snap *p) {
  if (!p) return;
  rouse_summary_free(p->s);
  rouse__free(p->prev_days);
  rouse__free(p->prev_orders);
  rouse__free(p->prev_total);
  rouse__free(p->x);
  rouse__free(p->t_x);
  rouse__free(p->T);
  rouse__free(p->spend);
  rouse_categories_free(p->cat);
  memset(p, 0, sizeof *p);
}

int rouse__snap_build(const rouse_ingest *ing, int32_t as_of, int32_t label_days,
                      int32_t outcome_end, int32_t trend_days, double sample, int n_threads,
                      struct snap *p) {
  memset(p, 0, sizeof *p);
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  int rc = rouse__summary_as_of(ing, as_of, &so.as_of);
  if (rc) return rc;
  so.sample_fraction = sample;
  so.split_day = so.as_of - trend_days; /* the history before the trend window */
  so.unit_days = 7;
  if (label_days > 0) so.holdout_end = as_of + label_days - 1;
  else if (outcome_end != INT32_MIN) so.holdout_end = outcome_end;
  rc = rouse_summary_build(ing, &so, n_threads, &p->s);
  if (rc) return rc;
  p->as_of = p->s->as_of;
  p->label_days = label_days;
  size_t n = p->s->n;
  p->prev_days = rouse__calloc(n ? n : 1, sizeof *p->prev_days);
  p->prev_orders = rouse__calloc(n ? n : 1, sizeof *p->prev_orders);
  p->prev_total = rouse__calloc(n ? n : 1, sizeof *p->prev_total);
  p->x = rouse__calloc(n ? n : 1, sizeof(double));
  p->t_x = rouse__calloc(n ? n : 1, sizeof(double));
  p->T = rouse__calloc(n ? n : 1, sizeof(double));
  p->spend = rouse__calloc(n ? n : 1, sizeof(double));
  if (!p->prev_days || !p->prev_orders || !p->prev_total || !p->x || !p->t_x || !p->T ||
      !p->spend) {
    rouse__snap_free(p);
    return ROUSE_NOMEM;
  }
  const rouse_summary *s = p->s;
  for (size_t i = 0; i < n; i++) {
    p->x[i] = s->x[i];
    p->t_x[i] = s->t_x[i];
    p->T[i] = s->T[i];
    p->spend[i] = s->mean_repeat[i];
  }
  /* the history before the trend window: counted in the same pass (split_day) */
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    p->prev_days[i] = s->before_days[i];
    p->prev_orders[i] = s->before_orders[i];
    p->prev_total[i] = s->before_total_e4[i];
    any |= s->before_days[i] != 0;
  }
  p->prev_has_amount = any && s->has_amount;
  return ROUSE_OK;
}

const char *const rouse__feature_names[ROUSE_SCORE_NF] = {
    "recency_days",       "tenure_days",          "purchase_days",     "orders",
    "mean_interval_days", "interval_cv",          "overdue_ratio",     "last_interval_days",
    "max_interval_days",  "cancelled_orders",     "recent_purchase_days",
    "log_total_spend",    "spend_per_order",      "mean_repeat_spend", "return_share",
    "recent_spend_share", "spend_per_order_trend",
    "model_p_alive",      "model_expected",       "model_p_purchase",
    "categories_bought",  "main_category_share",  "category_overdue_ratio",
};

void rouse__features(const struct snap *p, const double *p_alive, const double *expected,
                     const double *p_buy, size_t lo, size_t hi, float *X) {
  const rouse_summary *s = p->s;
  const float nan = NAN;
  for (size_t i = lo; i < hi; i++) {
    float *f = X + (i - lo) * ROUSE_SCORE_NF;
    double rec = (double)(s->as_of - 1 - s->last_day[i]);
    double ten = (double)(s->as_of - 1 - s->first_day[i]);
    double span = (double)(s->last_day[i] - s->first_day[i]);
    uint32_t x = s->x[i];
    double mi = x ? span / x : NAN;
    f[0] = (float)rec;
    f[1] = (float)ten;
    f[2] = (float)s->purchase_days[i];
    f[3] = (float)s->orders[i];
    f[4] = x ? (float)mi : nan;
    f[5] = x >= 2 && isfinite(s->interval_cv[i]) ? (float)s->interval_cv[i] : nan;
    f[6] = x && mi > 0 ? (float)(rec / mi) : nan;
    f[7] = x ? (float)s->last_interval[i] : nan;
    f[8] = x ? (float)s->max_interval[i] : nan;
    f[9] = (float)s->cancelled_orders[i];
    f[10] = (float)(s->purchase_days[i] - p->prev_days[i]);
    for (int k = 11; k <= 16; k++) f[k] = nan;
    if (s->has_amount) {
      double tot = (double)s->total_e4[i] / 1e4, ret = (double)s->returned_e4[i] / 1e4;
      f[11] = (float)log1p(tot > 0 ? tot : 0);
      if (s->orders[i]) f[12] = (float)(tot / s->orders[i]);
      if (x && isfinite(s->mean_repeat[i])) f[13] = (float)s->mean_repeat[i];
      if (tot + ret > 0) f[14] = (float)(ret / (tot + ret));
      if (p->prev_has_amount) {
        int64_t rtot = s->total_e4[i] - p->prev_total[i];
        if (s->total_e4[i] > 0) f[15] = (float)((double)rtot / (double)s->total_e4[i]);
        uint32_t ro = s->orders[i] - p->prev_orders[i];
        if (ro && p->prev_orders[i] && p->prev_total[i] > 0)
          f[16] = (float)(((double)rtot / ro) / ((double)p->prev_total[i] / p->prev_orders[i]));
      }
    }
    f[17] = p_alive ? (float)p_alive[i] : nan;
    f[18] = expected ? (float)expected[i] : nan;
    f[19] = p_buy ? (float)p_buy[i] : nan;
    /* the category mix (docs/scoring.md): how many categories, how concentrated, and the
     * silence against the rhythm of the customer's main category */
    f[20] = f[21] = f[22] = nan;
    if (p->cat) {
      const rouse_categories *c = p->cat;
      int32_t m = c->main[i];
      f[20] = (float)c->bought[i];
      f[21] = c->main_share[i];
      if (m >= 0 && c->dormant_days[m] > 0) f[22] = (float)(rec / c->dormant_days[m]);
    }
  }
}
