/* SPDX-License-Identifier: MIT
 * Parts of results.json: history, repeat intervals, score aggregates, evaluation rows. The
 * numbers come from the library; this file only lays them out (docs/results.md). */
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static json_t *u64_array(const uint64_t *v, int n, size_t stride) {
  json_t *a = json_array();
  for (int k = 0; k < n; k++) json_array_append_new(a, json_integer((json_int_t)v[k * stride]));
  return a;
}

static json_t *real_array(const double *v, int n) {
  json_t *a = json_array();
  for (int k = 0; k < n; k++) json_array_append_new(a, json_real(isfinite(v[k]) ? v[k] : 0));
  return a;
}

static const char *month_label(int32_t day, char *buf) {
  char d[16];
  rouse_date_format(day, d);
  snprintf(buf, 8, "%.7s", d);
  return buf;
}

/* the purchase model's expected repeat purchase days per week for the customers born in
 * each week (the tracking plot); NULL without a purchase model or when it cannot say */
static json_t *model_weeks(const rouse_scores *s, const rouse_history *h, const char **name) {
  const rouse_model *m = NULL;
  for (int f = 0; f < s->n_fit; f++)
    if (s->fit[f].model.kind == s->btyd_model) m = &s->fit[f].model;
  if (!m || h->n_weeks < 1) return NULL;
  double *out = calloc((size_t)h->n_weeks, sizeof *out);
  double week = 7.0 / (s->summary->unit_days > 0 ? s->summary->unit_days : 1);
  json_t *a = out && !rouse_model_tracking_periods(m, h->week_births, (size_t)h->n_weeks, week, out)
                  ? real_array(out, h->n_weeks) : NULL;
  free(out);
  *name = rouse_model_name(m->kind);
  return a;
}

int results_history_build(const rouse_scores *s, const rouse_ingest *ing, double at_risk_factor,
                          int min_rhythm, int n_threads, rouse_history **out) {
  rouse_history_opts o;
  rouse_history_opts_init(&o);
  o.as_of = s->as_of;
  o.dormant_days = s->life->dormant_days;
  o.at_risk_shop_days = s->life->at_risk_shop_days;
  o.at_risk_factor = at_risk_factor;
  o.min_rhythm = min_rhythm;
  o.max_months = 60; /* five years: what a report shows */
  if (s->dormant_days_of) { /* per-category thresholds: each customer by their own */
    o.ids = s->summary->id;
    o.dormant_days_of = s->dormant_days_of;
    o.n_ids = s->n;
  }
  *out = NULL;
  int rc = rouse_history_build(ing, &o, n_threads, out);
  if (rc) msg_error("cannot build the history for the report: %s", rouse_strerror(rc));
  return rc;
}

json_t *results_history(const rouse_scores *s, const rouse_history *h) {
  int M = h->n_months;
  json_t *r = json_object(), *months = json_array(), *st = json_object();
  char lab[8];
  for (int k = 0; k < M; k++) json_array_append_new(months, json_string(month_label(h->month_start[k], lab)));
  json_object_set_new(r, "months", months);
  for (int q = 0; q < ROUSE_STATE_COUNT; q++)
    json_object_set_new(st, rouse_state_name(q), u64_array(h->state_count + q, M, ROUSE_STATE_COUNT));
  json_object_set_new(r, "states", st);
  json_object_set_new(r, "new_customers", u64_array(h->new_customers, M, 1));
  json_object_set_new(r, "buyers", u64_array(h->buyers, M, 1));
  json_object_set_new(r, "orders", u64_array(h->orders, M, 1));
  json_t *rev = json_array();
  for (int k = 0; k < M; k++) json_array_append_new(rev, json_real((double)h->revenue_e4[k] / 1e4));
  json_object_set_new(r, "revenue", rev);
  /* cohorts: row c = [size, with a purchase 1 month later, 2, ...] up to the last month */
  json_t *coh = json_array();
  for (int c = 0; c < M; c++) {
    json_t *row = json_array();
    for (int j = 0; c + j < M; j++)
      json_array_append_new(row, json_integer((json_int_t)h->cohort[(size_t)c * M + j]));
    json_array_append_new(coh, row);
  }
  json_object_set_new(r, "cohorts", coh);
  json_t *wk = json_object();
  char d[16];
  json_object_set_new(wk, "start", json_string(rouse_date_format(h->week0, d)));
  json_object_set_new(wk, "repeat", u64_array(h->week_repeat, h->n_weeks, 1));
  json_object_set_new(wk, "births", u64_array(h->week_births, h->n_weeks, 1));
  const char *mname = NULL;
  json_t *mw = model_weeks(s, h, &mname);
  if (mw) {
    json_object_set_new(wk, "model_repeat", mw);
    json_object_set_new(wk, "model", json_string(mname));
  }
  json_object_set_new(r, "weeks", wk);
  return r;
}

json_t *results_categories(const rouse_scores *s) {
  const rouse_categories *c = s->categories;
  json_t *a = json_array();
  for (size_t k = 0; k < c->n; k++) {
    const rouse_interval_stats *iv = &c->interval[k];
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name[k]));
    json_object_set_new(o, "buyers", json_integer((json_int_t)c->buyers[k]));
    json_object_set_new(o, "customers", json_integer((json_int_t)c->customers[k]));
    json_object_set_new(o, "intervals", json_integer((json_int_t)iv->intervals));
    if (iv->intervals) {
      json_object_set_new(o, "p50", json_real(iv->p50));
      json_object_set_new(o, "p90", json_real(iv->p90));
      json_object_set_new(o, "basis_days", json_real(iv->basis_value));
    }
    /* 0: too few intervals, its customers are judged by the shop's threshold */
    json_object_set_new(o, "dormant_days", json_integer(c->dormant_days[k]));
    json_array_append_new(a, o);
  }
  return a;
}

json_t *results_intervals(const rouse_scores *s) {
  const rouse_summary *su = s->summary;
  json_t *r = json_object();
  if (!su->interval_hist || su->interval_hist_len < 2) return r;
  /* bins of w days up to the larger of the 95th percentile and the dormancy threshold, times
   * 1.25, in about 30 bins of a round width; the last bin holds everything longer */
  const rouse_interval_stats *iv = &s->life->interval;
  double top = fmax(isfinite(iv->p95) ? iv->p95 : 0, (double)s->life->dormant_days) * 1.25;
  static const int widths[] = {1, 2, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365};
  int w = widths[0];
  for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
    w = widths[k];
    if (top / w <= 36) break;
  }
  int nb = (int)ceil(top / w);
  if (nb < 1) nb = 1;
  json_t *cnt = json_array();
  uint64_t acc = 0;
  int b = 0;
  size_t len = su->interval_hist_len;
  for (size_t d = 1; d < len; d++) {
    int bd = (int)((d - 1) / (size_t)w); /* bin b: [b w + 1, (b + 1) w] days */
    if (bd >= nb) bd = nb; /* overflow bin */
    while (b < bd) {
      json_array_append_new(cnt, json_integer((json_int_t)acc));
      acc = 0;
      b++;
    }
    acc += su->interval_hist[d];
  }
  while (b <= nb) { /* close the last regular bins and the overflow bin */
    json_array_append_new(cnt, json_integer((json_int_t)acc));
    acc = 0;
    b++;
  }
  json_object_set_new(r, "bin_days", json_integer(w));
  json_object_set_new(r, "counts", cnt); /* nb + 1 entries, the last: longer than nb w days */
  return r;
}

json_t *results_scores(const rouse_score_agg *agg) {
  const rouse_score_agg g = *agg;
  json_t *r = json_object(), *tiers = json_object();
  for (int q = 0; q < ROUSE_STATE_COUNT; q++) {
    json_t *t = json_object();
    for (int k = 0; k < 3; k++) json_object_set_new(t, rouse_tier_name(k), json_integer((json_int_t)g.tier[q][k]));
    json_object_set_new(tiers, rouse_state_name(q), t);
  }
  json_object_set_new(r, "tiers_by_state", tiers);
  json_t *rs = json_object();
  for (int k = 1; k < ROUSE_REASON_COUNT; k++)
    json_object_set_new(rs, rouse_reason_name(k), json_integer((json_int_t)g.reason_at_risk[k]));
  json_object_set_new(r, "reasons_at_risk", rs);
  json_object_set_new(r, "at_risk", json_integer((json_int_t)g.at_risk));
  json_t *rh = json_array(), *ah = json_array(), *av = json_array();
  for (int b = 0; b < ROUSE_SCORE_AGG_BINS; b++) {
    json_array_append_new(rh, json_integer((json_int_t)g.risk_hist[b]));
    json_array_append_new(ah, json_integer((json_int_t)g.react_hist[b]));
    json_array_append_new(av, json_real(g.react_value[b]));
  }
  json_object_set_new(r, "risk_hist", rh);
  json_object_set_new(r, "react_hist", ah);
  json_object_set_new(r, "react_value", av);
  json_t *seg = json_object();
  for (int k = 0; k < ROUSE_DORMANCY_COUNT; k++) {
    json_t *o = json_object();
    json_object_set_new(o, "customers", json_integer((json_int_t)g.seg_count[k]));
    json_object_set_new(o, "expected_value", json_real(g.seg_value[k]));
    json_object_set_new(o, "mean_p_purchase", json_real(g.seg_p[k]));
    json_object_set_new(seg, rouse_segment_dormancy_name(k), o);
  }
  json_object_set_new(r, "dormant_segments", seg);
  json_t *cells = json_array(), *cp = json_array();
  for (int rr = 0; rr < 5; rr++) {
    json_t *a = json_array(), *b = json_array();
    for (int f = 0; f < 5; f++) {
      json_array_append_new(a, json_integer((json_int_t)g.rfm_cell[rr][f]));
      json_array_append_new(b, json_real(g.rfm_cell_p[rr][f]));
    }
    json_array_append_new(cells, a);
    json_array_append_new(cp, b);
  }
  json_object_set_new(r, "rfm_rf_customers", cells); /* [R - 1][F - 1] */
  json_object_set_new(r, "rfm_rf_mean_p_purchase", cp);
  json_t *sk = json_object();
  for (int k = 0; k < 3; k++) json_object_set_new(sk, rouse_tier_name(k), json_real(g.stake_by_tier[k]));
  json_object_set_new(r, "value_at_stake_by_tier", sk);
  json_object_set_new(r, "forecast_value", json_real(g.forecast));
  json_object_set_new(r, "top_decile", json_integer((json_int_t)g.top_n));
  json_object_set_new(r, "top_decile_shared_with_rfm", json_integer((json_int_t)g.top_overlap));
  return r;
}

json_t *results_eval(const rouse_score_eval *e) {
  json_t *o = json_object();
  json_object_set_new(o, "model", json_string(rouse_score_model_name(e->model)));
  json_object_set_new(o, "ok", json_boolean(e->ok));
  if (e->note[0]) json_object_set_new(o, "note", json_string(e->note));
  if (!e->ok) return o;
  const rouse_eval_result *r = &e->r;
  json_object_set_new(o, "customers", json_integer((json_int_t)r->n));
  json_object_set_new(o, "purchasers", json_integer((json_int_t)r->n_pos));
  if (r->has_auc) json_object_set_new(o, "auc", json_real(r->auc));
  if (r->has_ap) {
    json_object_set_new(o, "pr_auc", json_real(r->ap));
    json_object_set_new(o, "lift_top10", json_real(r->lift));
    json_object_set_new(o, "gains", real_array(r->gains, ROUSE_EVAL_GAINS_POINTS));
  }
  if (r->has_prob) {
    json_object_set_new(o, "brier", json_real(r->brier));
    json_object_set_new(o, "ece", json_real(r->ece));
    json_t *cal = json_array();
    for (int b = 0; b < ROUSE_EVAL_DEFAULT_BINS; b++) {
      const rouse_eval_bin *c = &r->calib[b];
      json_t *bo = json_object();
      json_object_set_new(bo, "lo", json_real(c->lo));
      json_object_set_new(bo, "hi", json_real(c->hi));
      json_object_set_new(bo, "customers", json_real(c->count));
      json_object_set_new(bo, "mean_pred", json_real(c->mean_pred));
      json_object_set_new(bo, "obs_rate", json_real(c->obs_rate));
      json_array_append_new(cal, bo);
    }
    json_object_set_new(o, "calibration", cal);
  }
  if (e->predicted > 0 || e->actual > 0) {
    json_object_set_new(o, "predicted_purchases", json_real(e->predicted));
    json_object_set_new(o, "actual_purchases", json_real(e->actual));
  }
  return o;
}
