/* SPDX-License-Identifier: MIT
 * Lifecycle states at the summary's as-of date: new, active, at risk, dormant, lost and
 * reactivated, each customer in exactly one, with the rule that decided it and the thresholds
 * behind it (the shop dormancy threshold and the shop's at-risk quantile come from the
 * interval distribution of dormancy.c unless given). The rules, their order and the reasoning
 * are in docs/segments.md §4. */
#include <math.h>

#include "segment.h"

static const char *const state_name[ROUSE_STATE_COUNT] = {
    "new", "active", "at_risk", "dormant", "lost", "reactivated"};
static const char *const state_label_ja[ROUSE_STATE_COUNT] = {
    "新規", "稼働", "離脱予兆", "休眠", "離反", "復帰"};
static const char *const rule_name[ROUSE_RULE_COUNT] = {
    "withdrawn",    "lost_p_alive", "dormant",        "overdue_own", "overdue_shop",
    "low_p_alive", "came_back",    "first_purchase", "in_rhythm"};

const char *rouse_state_name(int st) {
  return st >= 0 && st < ROUSE_STATE_COUNT ? state_name[st] : NULL;
}
const char *rouse_state_label_ja(int st) {
  return st >= 0 && st < ROUSE_STATE_COUNT ? state_label_ja[st] : NULL;
}
const char *rouse_state_rule_name(int rule) {
  return rule >= 0 && rule < ROUSE_RULE_COUNT ? rule_name[rule] : NULL;
}

void rouse_segment_lifecycle_opts_init(rouse_lifecycle_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->dormant_days = 0;
  rouse_segment_interval_opts_init(&o->interval);
  o->at_risk_factor = 1.5;
  o->min_rhythm = 2;
  o->shop_at_risk_quantile = 0.75;
  o->at_risk_shop_days = 0;
  o->at_risk_p_alive = 0.5;
  o->lost_p_alive = 0.01;
  o->lost_factor = 2.0;
}

void rouse_segment_lifecycle_free(rouse_lifecycle *l) {
  if (!l) return;
  rouse__free(l->state);
  rouse__free(l->rule);
  rouse__free(l->recency_days);
  rouse__free(l->overdue);
  rouse__free(l);
}

static int check_opts(const rouse_lifecycle_opts *o) {
  if (!(o->at_risk_factor > 0 && o->at_risk_factor <= 1000)) return ROUSE_MISUSE;
  if (o->min_rhythm < 1) return ROUSE_MISUSE;
  if (!(o->shop_at_risk_quantile > 0 && o->shop_at_risk_quantile <= 1)) return ROUSE_MISUSE;
  if (!(o->at_risk_p_alive <= 1) || !(o->lost_p_alive <= 1)) return ROUSE_MISUSE; /* NaN too */
  if (!(o->lost_factor >= 1 && o->lost_factor <= 1000)) return ROUSE_MISUSE;
  return ROUSE_OK;
}

/* ceil(f * d) where a product within 1e-9 (relative) of an integer counts as that integer
 * (1.1 * 100 is 110, not 111); capped at INT32_MAX */
static int32_t ceil_days(double f, int32_t d) {
  double t = f * (double)d;
  double r = nearbyint(t);
  if (!(fabs(t - r) <= 1e-9 * (t > 1 ? t : 1))) r = ceil(t);
  return r >= (double)INT32_MAX ? INT32_MAX : (int32_t)r;
}

/* the shop's at-risk threshold for customers without an own rhythm (fields of l) */
static int shop_threshold(const rouse_summary *s, const rouse_lifecycle_opts *o,
                          rouse_lifecycle *l) {
  l->at_risk_shop_value = NAN;
  if (o->at_risk_shop_days > 0) {
    l->at_risk_shop_days = o->at_risk_shop_days;
    l->at_risk_shop_basis = ROUSE_THRESHOLD_DATA; /* not from the data: see the flag */
    return ROUSE_OK;
  }
  l->at_risk_shop_from_data = 1;
  int32_t cap = l->dormant_days > 1 ? l->dormant_days - 1 : 1;
  double q;
  int rc = rouse_segment_interval_quantile(s, o->shop_at_risk_quantile, &q);
  if (rc == ROUSE_EMPTY) {
    l->at_risk_shop_days = l->dormant_days / 2 > 1 ? l->dormant_days / 2 : 1;
    l->at_risk_shop_basis = ROUSE_THRESHOLD_FALLBACK;
    return ROUSE_OK;
  }
  if (rc) return rc;
  l->at_risk_shop_value = q;
  /* floor: "recency > floor(q)" is "recency > q" for whole-day recency */
  double f = floor(q);
  l->at_risk_shop_basis = ROUSE_THRESHOLD_DATA;
  if (f > (double)cap) {
    l->at_risk_shop_days = cap;
    l->at_risk_shop_basis = ROUSE_THRESHOLD_CEILING;
  } else {
    l->at_risk_shop_days = (int32_t)f;
  }
  if (l->at_risk_shop_days < 1) {
    l->at_risk_shop_days = 1;
    l->at_risk_shop_basis = ROUSE_THRESHOLD_FLOOR;
  }
  return ROUSE_OK;
}

int rouse_segment_lifecycle(const rouse_summary *s, const double *p_alive,
                            const uint8_t *withdrawn, const rouse_lifecycle_opts *o,
                            rouse_lifecycle **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_lifecycle_opts op;
  rouse_segment_lifecycle_opts_init(&op);
  if (o) {
    if (o->struct_size < sizeof op) return ROUSE_MISUSE;
    op = *o;
  }
  if (!s || check_opts(&op)) return ROUSE_MISUSE;
  size_t n = s->n;
  if (n && (!s->x || !s->first_day || !s->last_day || !s->last_interval)) return ROUSE_MISUSE;
  if (p_alive)
    for (size_t i = 0; i < n; i++)
      if (!(p_alive[i] >= 0 && p_alive[i] <= 1)) return ROUSE_MISUSE;

  size_t alloc_n = n ? n : 1;
  int rc = ROUSE_NOMEM;
  rouse_lifecycle *l = rouse__calloc(1, sizeof *l);
  if (!l) goto out;
  l->n = n;
  l->opts = op;
  l->has_p_alive = p_alive != NULL;
  l->has_withdrawn = withdrawn != NULL;
  l->state = rouse__malloc(alloc_n);
  l->rule = rouse__malloc(alloc_n);
  l->recency_days = rouse__reallocarray(NULL, alloc_n, sizeof *l->recency_days);
  l->overdue = rouse__reallocarray(NULL, alloc_n, sizeof *l->overdue);
  if (!l->state || !l->rule || !l->recency_days || !l->overdue) goto out;

  /* thresholds: the interval distribution is always reported (it is the basis of both data
   * thresholds); its options are checked there */
  if ((rc = rouse_segment_interval_stats(s, &op.interval, &l->interval))) goto out;
  l->dormant_days = op.dormant_days;
  if (op.dormant_days <= 0) {
    l->dormant_days = l->interval.threshold_days;
    l->threshold_from_data = 1;
  }
  if ((rc = shop_threshold(s, &op, l))) goto out;
  l->lost_days = ceil_days(op.lost_factor, l->dormant_days);

  const int use_lost_p = p_alive && op.lost_p_alive >= 0;
  const int use_risk_p = p_alive && op.at_risk_p_alive >= 0;
  const int32_t *own = op.dormant_days_of;
  for (size_t i = 0; i < n; i++) {
    int32_t dd = l->dormant_days, lost_days = l->lost_days;
    if (own && own[i] > 0) dd = own[i], lost_days = ceil_days(op.lost_factor, own[i]);
    int64_t rec64 = (int64_t)s->as_of - 1 - s->last_day[i];
    int32_t rec = (int32_t)rec64;
    uint32_t x = s->x[i];
    int64_t span = (int64_t)s->last_day[i] - s->first_day[i];
    int rhythm = x >= (uint32_t)op.min_rhythm;
    double ov = NAN;
    if (rhythm) ov = span > 0 ? (double)rec * x / (double)span : rec > 0 ? INFINITY : 0;
    int rule;
    if (withdrawn && withdrawn[i]) rule = ROUSE_RULE_WITHDRAWN;
    else if (use_lost_p && p_alive[i] < op.lost_p_alive && rec >= lost_days)
      rule = ROUSE_RULE_LOST_P_ALIVE;
    else if (rec >= dd) rule = ROUSE_RULE_DORMANT;
    /* rec * x > factor * span: the same as rec > factor * span / x without the division */
    else if (rhythm && (double)rec * x > op.at_risk_factor * (double)span)
      rule = ROUSE_RULE_OVERDUE_OWN;
    else if (!rhythm && rec > l->at_risk_shop_days) rule = ROUSE_RULE_OVERDUE_SHOP;
    else if (use_risk_p && p_alive[i] < op.at_risk_p_alive) rule = ROUSE_RULE_LOW_P_ALIVE;
    else if (x >= 1 && (int64_t)s->last_interval[i] >= dd)
      rule = ROUSE_RULE_CAME_BACK;
    else if (x == 0) rule = ROUSE_RULE_FIRST_PURCHASE;
    else rule = ROUSE_RULE_IN_RHYTHM;
    static const uint8_t state_of[ROUSE_RULE_COUNT] = {
        ROUSE_STATE_LOST,    ROUSE_STATE_LOST,    ROUSE_STATE_DORMANT,
        ROUSE_STATE_AT_RISK, ROUSE_STATE_AT_RISK, ROUSE_STATE_AT_RISK,
        ROUSE_STATE_REACTIVATED, ROUSE_STATE_NEW, ROUSE_STATE_ACTIVE};
    l->rule[i] = (uint8_t)rule;
    l->state[i] = state_of[rule];
    l->recency_days[i] = rec;
    l->overdue[i] = ov;
    l->rule_count[rule]++;
    l->count[state_of[rule]]++;
  }
  rc = ROUSE_OK;
out:
  if (rc) rouse_segment_lifecycle_free(l);
  else *out = l;
  return rc;
}
