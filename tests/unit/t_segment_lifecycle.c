/* SPDX-License-Identifier: MIT
 * Lifecycle states (lib/segment/lifecycle.c): hand-built summaries that exercise every rule
 * and both sides of every bound (> and >=), the p_alive and withdrawn paths, thresholds from
 * the data (exact histogram and approximation, with their bases) and given, argument checks,
 * permutation invariance, and the CDNOW sample at three as-of dates against an independent
 * python computation. */
#include <math.h>
#include <stdlib.h>

#include "../numeric/model_data.h"
#include "harness.h"
#include "rouse/rouse_segment.h"
#include "segment_fixture.h"

static size_t sum_counts(const size_t *c, int k) {
  size_t t = 0;
  for (int i = 0; i < k; i++) t += c[i];
  return t;
}

/* dormant_days 100, at_risk_shop_days 40 given; last observed day 1000 */
static void hand_fake(struct fake *f) {
  fake_init(f, 16, 1001);
  fake_set(f, 0, 1000, 1000, 1, 10); /* one-time, rec 0: new */
  fake_set(f, 1, 960, 960, 1, 10);   /* one-time, rec 40 (not > 40): new */
  fake_set(f, 2, 959, 959, 1, 10);   /* one-time, rec 41: at risk (shop) */
  fake_set(f, 3, 901, 901, 1, 10);   /* one-time, rec 99: at risk (shop) */
  fake_set(f, 4, 900, 900, 1, 10);   /* one-time, rec 100 (>= 100): dormant */
  fake_set(f, 5, 930, 970, 3, 10);   /* x 2, mean 20, rec 30 = 1.5 x 20: active */
  fake_set(f, 6, 929, 969, 3, 10);   /* x 2, mean 20, rec 31 > 30: at risk (own) */
  fake_set(f, 7, 950, 960, 2, 10);   /* x 1 (shop rhythm), rec 40: active */
  fake_set(f, 8, 949, 959, 2, 10);   /* x 1, rec 41: at risk (shop) */
  fake_set(f, 9, 890, 990, 2, 10);   /* x 1, last gap 100 (>= 100), rec 10: reactivated */
  fake_set(f, 10, 891, 990, 2, 10);  /* x 1, last gap 99, rec 10: active */
  fake_set(f, 11, 810, 980, 4, 10);  /* x 3 gaps 10 10 150, rec 20: reactivated */
  fake_gaps(f, 11, 150, 150);
  fake_set(f, 12, 860, 900, 3, 10);  /* x 2, rec 100: dormant */
  fake_set(f, 13, 925, 975, 4, 10);  /* x 3, mean 16.67, rec 25 = 1.5 x 16.67: active */
  fake_set(f, 14, 924, 974, 4, 10);  /* x 3, rec 26: at risk (own) */
  fake_set(f, 15, 1000, 1000, 1, 10); /* withdrawn (otherwise new): lost */
}

static void test_rules(void) {
  struct fake f;
  hand_fake(&f);
  uint8_t wd[16] = {0};
  wd[15] = 1;
  rouse_lifecycle_opts o;
  rouse_segment_lifecycle_opts_init(&o);
  o.dormant_days = 100;
  o.at_risk_shop_days = 40;
  rouse_lifecycle *l = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, wd, &o, &l), ROUSE_OK);
  if (!l) return;
  static const int want[16] = {
      ROUSE_STATE_NEW,         ROUSE_STATE_NEW,     ROUSE_STATE_AT_RISK, ROUSE_STATE_AT_RISK,
      ROUSE_STATE_DORMANT,     ROUSE_STATE_ACTIVE,  ROUSE_STATE_AT_RISK, ROUSE_STATE_ACTIVE,
      ROUSE_STATE_AT_RISK,     ROUSE_STATE_REACTIVATED, ROUSE_STATE_ACTIVE,
      ROUSE_STATE_REACTIVATED, ROUSE_STATE_DORMANT, ROUSE_STATE_ACTIVE,  ROUSE_STATE_AT_RISK,
      ROUSE_STATE_LOST};
  static const int want_rule[16] = {
      ROUSE_RULE_FIRST_PURCHASE, ROUSE_RULE_FIRST_PURCHASE, ROUSE_RULE_OVERDUE_SHOP,
      ROUSE_RULE_OVERDUE_SHOP,   ROUSE_RULE_DORMANT,        ROUSE_RULE_IN_RHYTHM,
      ROUSE_RULE_OVERDUE_OWN,    ROUSE_RULE_IN_RHYTHM,      ROUSE_RULE_OVERDUE_SHOP,
      ROUSE_RULE_CAME_BACK,      ROUSE_RULE_IN_RHYTHM,      ROUSE_RULE_CAME_BACK,
      ROUSE_RULE_DORMANT,        ROUSE_RULE_IN_RHYTHM,      ROUSE_RULE_OVERDUE_OWN,
      ROUSE_RULE_WITHDRAWN};
  static const int want_rec[16] = {0, 40, 41, 99, 100, 30, 31, 40, 41, 10, 10, 20, 100, 25, 26, 0};
  for (int i = 0; i < 16; i++) {
    CHECK_EQ_INT(l->state[i], want[i]);
    CHECK_EQ_INT(l->rule[i], want_rule[i]);
    CHECK_EQ_INT(l->recency_days[i], want_rec[i]);
    CHECK_EQ_INT(isnan(l->overdue[i]), f.x[i] < 2);
  }
  CHECK_NEAR(l->overdue[5], 1.5, 1e-15);
  CHECK_NEAR(l->overdue[6], 31.0 / 20, 1e-15);
  CHECK_NEAR(l->overdue[11], 20.0 * 3 / 170, 1e-15);
  CHECK_NEAR(l->overdue[13], 1.5, 1e-15);
  CHECK_EQ_INT(l->count[ROUSE_STATE_NEW], 2);
  CHECK_EQ_INT(l->count[ROUSE_STATE_ACTIVE], 4);
  CHECK_EQ_INT(l->count[ROUSE_STATE_AT_RISK], 5);
  CHECK_EQ_INT(l->count[ROUSE_STATE_DORMANT], 2);
  CHECK_EQ_INT(l->count[ROUSE_STATE_LOST], 1);
  CHECK_EQ_INT(l->count[ROUSE_STATE_REACTIVATED], 2);
  CHECK_EQ_INT(sum_counts(l->count, ROUSE_STATE_COUNT), 16);
  CHECK_EQ_INT(sum_counts(l->rule_count, ROUSE_RULE_COUNT), 16);
  CHECK_EQ_INT(l->rule_count[ROUSE_RULE_OVERDUE_SHOP], 3);
  CHECK_EQ_INT(l->rule_count[ROUSE_RULE_OVERDUE_OWN], 2);
  CHECK_EQ_INT(l->dormant_days, 100);
  CHECK_EQ_INT(l->threshold_from_data, 0);
  CHECK_EQ_INT(l->at_risk_shop_days, 40);
  CHECK_EQ_INT(l->at_risk_shop_from_data, 0);
  CHECK(isnan(l->at_risk_shop_value));
  CHECK_EQ_INT(l->lost_days, 200);
  CHECK_EQ_INT(l->has_p_alive, 0);
  CHECK_EQ_INT(l->has_withdrawn, 1);
  CHECK_EQ_INT(l->interval.exact, 0); /* no histogram in the fixture */
  CHECK_EQ_INT(l->opts.min_rhythm, 2);
  rouse_segment_lifecycle_free(l);

  /* without withdrawn: 15 is new */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[15], ROUSE_STATE_NEW);
  CHECK_EQ_INT(l->count[ROUSE_STATE_LOST], 0);
  CHECK_EQ_INT(l->has_withdrawn, 0);
  rouse_segment_lifecycle_free(l);

  /* min_rhythm 1: a single gap is the customer's rhythm. 7 (gap 10, rec 40 > 15) and
   * 10 (gap 99, rec 10: not overdue, active) */
  o.min_rhythm = 1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[7], ROUSE_STATE_AT_RISK);
  CHECK_EQ_INT(l->rule[7], ROUSE_RULE_OVERDUE_OWN);
  CHECK_NEAR(l->overdue[7], 4, 1e-15);
  CHECK_EQ_INT(l->state[8], ROUSE_STATE_AT_RISK);
  CHECK_EQ_INT(l->rule[8], ROUSE_RULE_OVERDUE_OWN);
  CHECK_EQ_INT(l->state[9], ROUSE_STATE_REACTIVATED);
  CHECK_EQ_INT(l->state[10], ROUSE_STATE_ACTIVE);
  CHECK_EQ_INT(l->state[2], ROUSE_STATE_AT_RISK); /* x = 0 still uses the shop */
  CHECK_EQ_INT(l->rule[2], ROUSE_RULE_OVERDUE_SHOP);
  rouse_segment_lifecycle_free(l);

  /* min_rhythm 3: 5 and 6 (x = 2) fall back to the shop's 40 days: both active */
  o.min_rhythm = 3;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[5], ROUSE_STATE_ACTIVE);
  CHECK_EQ_INT(l->state[6], ROUSE_STATE_ACTIVE);
  CHECK(isnan(l->overdue[6]));
  CHECK_EQ_INT(l->state[14], ROUSE_STATE_AT_RISK); /* x = 3 keeps its own rhythm */
  rouse_segment_lifecycle_free(l);

  /* at_risk_factor 2: 6 (31 <= 40) becomes active, 14 (26 <= 33.3) too */
  o.min_rhythm = 2;
  o.at_risk_factor = 2;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[6], ROUSE_STATE_ACTIVE);
  CHECK_EQ_INT(l->state[14], ROUSE_STATE_ACTIVE);
  rouse_segment_lifecycle_free(l);

  /* a lower dormancy threshold: dormant and reactivated move with it */
  rouse_segment_lifecycle_opts_init(&o);
  o.dormant_days = 41;
  o.at_risk_shop_days = 40;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[2], ROUSE_STATE_DORMANT); /* rec 41 >= 41 */
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_NEW);     /* rec 40 */
  CHECK_EQ_INT(l->state[10], ROUSE_STATE_REACTIVATED); /* last gap 99 >= 41 */
  CHECK_EQ_INT(l->state[7], ROUSE_STATE_ACTIVE); /* gap 10 */
  CHECK_EQ_INT(l->lost_days, 82);
  rouse_segment_lifecycle_free(l);
}

static void test_p_alive(void) {
  struct fake f;
  hand_fake(&f);
  double p[16];
  for (int i = 0; i < 16; i++) p[i] = 0.9;
  p[0] = 0.3;    /* new -> at risk (low p_alive) */
  p[5] = 0.49;   /* active -> at risk */
  p[10] = 0.5;   /* not < 0.5: active */
  p[9] = 0.1;    /* reactivated -> at risk: a returning customer the model doubts */
  p[12] = 0.001; /* dormant, rec 100 < lost_days 200: stays dormant */
  p[6] = 0.2;    /* already at risk by its rhythm: the rhythm is the reason */
  rouse_lifecycle_opts o;
  rouse_segment_lifecycle_opts_init(&o);
  o.dormant_days = 100;
  o.at_risk_shop_days = 40;
  rouse_lifecycle *l = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, p, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->has_p_alive, 1);
  CHECK_EQ_INT(l->state[0], ROUSE_STATE_AT_RISK);
  CHECK_EQ_INT(l->rule[0], ROUSE_RULE_LOW_P_ALIVE);
  CHECK_EQ_INT(l->rule[5], ROUSE_RULE_LOW_P_ALIVE);
  CHECK_EQ_INT(l->state[10], ROUSE_STATE_ACTIVE);
  CHECK_EQ_INT(l->rule[9], ROUSE_RULE_LOW_P_ALIVE);
  CHECK_EQ_INT(l->state[12], ROUSE_STATE_DORMANT);
  CHECK_EQ_INT(l->rule[6], ROUSE_RULE_OVERDUE_OWN);
  CHECK_EQ_INT(l->count[ROUSE_STATE_AT_RISK], 8);
  CHECK_EQ_INT(l->rule_count[ROUSE_RULE_LOW_P_ALIVE], 3);
  CHECK_EQ_INT(sum_counts(l->count, ROUSE_STATE_COUNT), 16);
  rouse_segment_lifecycle_free(l);

  /* at_risk_p_alive < 0 disables the at-risk p_alive rule */
  o.at_risk_p_alive = -1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, p, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->state[0], ROUSE_STATE_NEW);
  CHECK_EQ_INT(l->state[5], ROUSE_STATE_ACTIVE);
  CHECK_EQ_INT(l->state[9], ROUSE_STATE_REACTIVATED);
  CHECK_EQ_INT(l->rule_count[ROUSE_RULE_LOW_P_ALIVE], 0);
  rouse_segment_lifecycle_free(l);

  /* lost by p_alive: p < 0.01 and rec >= 2 x 100, both bounds */
  fake_init(&f, 7, 1001);
  fake_set(&f, 0, 100, 800, 3, 1); /* rec 200, p 0.009: lost */
  fake_set(&f, 1, 100, 801, 3, 1); /* rec 199, p 0.009: dormant */
  fake_set(&f, 2, 100, 800, 3, 1); /* rec 200, p 0.01: dormant */
  fake_set(&f, 3, 100, 500, 3, 1); /* rec 500, p 0: lost */
  fake_set(&f, 4, 300, 300, 1, 1); /* one-time, rec 700, p 0.005: lost (any x) */
  fake_set(&f, 5, 100, 500, 3, 1); /* rec 500, p 0, withdrawn: lost (withdrawn first) */
  fake_set(&f, 6, 100, 990, 3, 1); /* rec 10, p 0: at risk, not lost (recent) */
  double q[7] = {0.009, 0.009, 0.01, 0, 0.005, 0, 0};
  uint8_t wd[7] = {0, 0, 0, 0, 0, 1, 0};
  rouse_segment_lifecycle_opts_init(&o);
  o.dormant_days = 100;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, wd, &o, &l), ROUSE_OK);
  if (!l) return;
  static const int want[7] = {ROUSE_STATE_LOST,    ROUSE_STATE_DORMANT, ROUSE_STATE_DORMANT,
                              ROUSE_STATE_LOST,    ROUSE_STATE_LOST,    ROUSE_STATE_LOST,
                              ROUSE_STATE_AT_RISK};
  static const int want_rule[7] = {ROUSE_RULE_LOST_P_ALIVE, ROUSE_RULE_DORMANT,
                                   ROUSE_RULE_DORMANT,      ROUSE_RULE_LOST_P_ALIVE,
                                   ROUSE_RULE_LOST_P_ALIVE, ROUSE_RULE_WITHDRAWN,
                                   ROUSE_RULE_LOW_P_ALIVE};
  for (int i = 0; i < 7; i++) {
    CHECK_EQ_INT(l->state[i], want[i]);
    CHECK_EQ_INT(l->rule[i], want_rule[i]);
  }
  CHECK_EQ_INT(l->count[ROUSE_STATE_LOST], 4);
  rouse_segment_lifecycle_free(l);
  /* lost_factor 1.5: lost from 150 days; 1.1 x 100 is 110 days, not 111 */
  o.lost_factor = 1.5;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->lost_days, 150);
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_LOST);
  CHECK_EQ_INT(l->state[5], ROUSE_STATE_LOST); /* now by p_alive */
  CHECK_EQ_INT(l->rule[5], ROUSE_RULE_LOST_P_ALIVE);
  rouse_segment_lifecycle_free(l);
  o.lost_factor = 1.1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->lost_days, 110);
  rouse_segment_lifecycle_free(l);
  /* lost_p_alive < 0 disables the p_alive lost rule; withdrawn still works */
  o.lost_factor = 2;
  o.lost_p_alive = -1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, wd, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->count[ROUSE_STATE_LOST], 1);
  CHECK_EQ_INT(l->rule[5], ROUSE_RULE_WITHDRAWN);
  CHECK_EQ_INT(l->state[0], ROUSE_STATE_DORMANT);
  rouse_segment_lifecycle_free(l);
  /* p_alive out of range or NaN */
  rouse_segment_lifecycle_opts_init(&o);
  q[2] = 1.0001;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_MISUSE);
  CHECK(l == NULL);
  q[2] = NAN;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_MISUSE);
  q[2] = -0.1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_MISUSE);
  q[2] = 1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, q, NULL, &o, &l), ROUSE_OK);
  rouse_segment_lifecycle_free(l);
}

static void test_thresholds(void) {
  struct fake f;
  uint64_t hist[400] = {0};
  /* gaps: c0 {40, 60}, c1 {30}, c2 {60}; sorted 30 40 60 60. p90 60 -> 2 months = 60 days;
   * shop p75 = 60, lowered to 59 (CEILING) */
  fake_init(&f, 6, 1001);
  fake_set(&f, 0, 900, 1000, 3, 1); /* rec 0, last gap 60 >= 60: reactivated */
  fake_gaps(&f, 0, 60, 60);
  fake_set(&f, 1, 950, 980, 2, 1); /* x 1, rec 20: active */
  fake_set(&f, 2, 700, 760, 2, 1); /* rec 240: dormant */
  fake_set(&f, 3, 990, 990, 1, 1); /* rec 10: new */
  fake_set(&f, 4, 930, 930, 1, 1); /* rec 70: dormant */
  fake_set(&f, 5, 955, 955, 1, 1); /* rec 45: new with 59, at risk with 40 */
  hist[30] = 1, hist[40] = 1, hist[60] = 2;
  f.s.interval_hist = hist;
  f.s.interval_hist_len = 400;
  rouse_lifecycle *l = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->threshold_from_data, 1);
  CHECK_EQ_INT(l->interval.exact, 1);
  CHECK_NEAR(l->interval.p90, 60, 0);
  CHECK_EQ_INT(l->dormant_days, 60);
  CHECK_EQ_INT(l->at_risk_shop_from_data, 1);
  CHECK_NEAR(l->at_risk_shop_value, 60, 0);
  CHECK_EQ_INT(l->at_risk_shop_days, 59);
  CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_CEILING);
  CHECK_EQ_INT(l->lost_days, 120);
  static const int want[6] = {ROUSE_STATE_REACTIVATED, ROUSE_STATE_ACTIVE, ROUSE_STATE_DORMANT,
                              ROUSE_STATE_NEW,         ROUSE_STATE_DORMANT, ROUSE_STATE_NEW};
  for (int i = 0; i < 6; i++) CHECK_EQ_INT(l->state[i], want[i]);
  rouse_segment_lifecycle_free(l);

  rouse_lifecycle_opts o;
  rouse_segment_lifecycle_opts_init(&o);
  o.shop_at_risk_quantile = 0.5; /* position 2: 40 days */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->at_risk_shop_days, 40);
  CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_DATA);
  CHECK_EQ_INT(l->state[5], ROUSE_STATE_AT_RISK);
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_ACTIVE);
  rouse_segment_lifecycle_free(l);
  /* a given dormancy threshold; the shop quantile is still from the data */
  o.dormant_days = 45;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->threshold_from_data, 0);
  CHECK_EQ_INT(l->dormant_days, 45);
  CHECK_EQ_INT(l->interval.threshold_days, 60); /* the data's proposal, still reported */
  CHECK_EQ_INT(l->at_risk_shop_days, 40);
  CHECK_EQ_INT(l->state[5], ROUSE_STATE_DORMANT); /* rec 45 >= 45 */
  rouse_segment_lifecycle_free(l);

  /* the approximation (no histogram): means 50 (x2), 30, 60; p90 60 -> 60 days; p75 50 */
  f.s.interval_hist = NULL;
  f.s.interval_hist_len = 0;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->interval.exact, 0);
  CHECK_EQ_INT(l->dormant_days, 60);
  CHECK_NEAR(l->at_risk_shop_value, 50, 0);
  CHECK_EQ_INT(l->at_risk_shop_days, 50);
  CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_DATA);
  rouse_segment_lifecycle_free(l);
  /* a fractional quantile is rounded down: recency > floor(q) is recency > q */
  fake_set(&f, 1, 950, 981, 3, 1); /* mean 15.5 */
  fake_set(&f, 0, 969, 1000, 3, 1); /* mean 15.5 */
  fake_set(&f, 2, 729, 760, 3, 1);  /* mean 15.5: every interval 15.5 */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (!l) return;
  CHECK_NEAR(l->at_risk_shop_value, 15.5, 0);
  CHECK_EQ_INT(l->at_risk_shop_days, 15);
  CHECK_EQ_INT(l->dormant_days, 30);
  rouse_segment_lifecycle_free(l);

  /* quantile below one day (only a hand-built summary can have it): raised to 1 (FLOOR) */
  fake_init(&f, 2, 1001);
  fake_set(&f, 0, 999, 1000, 3, 1); /* mean 0.5 */
  fake_set(&f, 1, 998, 998, 1, 1);  /* one-time, rec 2 > 1: at risk */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->at_risk_shop_days, 1);
  CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_FLOOR);
  CHECK_EQ_INT(l->dormant_days, 30);
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_AT_RISK);
  rouse_segment_lifecycle_free(l);
  /* dormant_days 1: everyone silent a day is dormant; the shop threshold stays at 1 */
  rouse_segment_lifecycle_opts_init(&o);
  o.dormant_days = 1;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->at_risk_shop_days, 1);
  CHECK_EQ_INT(l->state[0], ROUSE_STATE_ACTIVE); /* rec 0, last gap 0 (fixture) */
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_DORMANT);
  rouse_segment_lifecycle_free(l);

  /* no repeat buyer: dormancy 12 months (360), shop threshold 180 (FALLBACK) */
  fake_init(&f, 3, 1001);
  fake_set(&f, 0, 820, 820, 1, 1); /* rec 180: new */
  fake_set(&f, 1, 819, 819, 1, 1); /* rec 181: at risk */
  fake_set(&f, 2, 640, 640, 1, 1); /* rec 360: dormant */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (!l) return;
  CHECK_EQ_INT(l->dormant_days, 360);
  CHECK_EQ_INT(l->interval.basis, ROUSE_THRESHOLD_FALLBACK);
  CHECK_EQ_INT(l->at_risk_shop_days, 180);
  CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_FALLBACK);
  CHECK(isnan(l->at_risk_shop_value));
  CHECK_EQ_INT(l->state[0], ROUSE_STATE_NEW);
  CHECK_EQ_INT(l->state[1], ROUSE_STATE_AT_RISK);
  CHECK_EQ_INT(l->state[2], ROUSE_STATE_DORMANT);
  rouse_segment_lifecycle_free(l);
}

static void test_misuse(void) {
  struct fake f;
  hand_fake(&f);
  rouse_lifecycle *l = NULL;
  rouse_lifecycle_opts o;
  CHECK_EQ_INT(rouse_segment_lifecycle(NULL, NULL, NULL, NULL, &l), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, NULL), ROUSE_MISUSE);
#define BAD(field, value)                                                        \
  do {                                                                           \
    rouse_segment_lifecycle_opts_init(&o);                                       \
    o.field = value;                                                             \
    CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, &o, &l), ROUSE_MISUSE); \
    CHECK(l == NULL);                                                            \
  } while (0)
  BAD(struct_size, sizeof o - 1);
  BAD(at_risk_factor, 0);
  BAD(at_risk_factor, NAN);
  BAD(min_rhythm, 0);
  BAD(shop_at_risk_quantile, 0);
  BAD(shop_at_risk_quantile, 1.01);
  BAD(at_risk_p_alive, 1.5);
  BAD(at_risk_p_alive, NAN);
  BAD(lost_p_alive, NAN);
  BAD(lost_factor, 0.99);
  BAD(interval.percentile, 0);
#undef BAD
  f.s.last_interval = NULL; /* reactivation needs the last gap */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_MISUSE);
  f.s.n = 0; /* ... unless there is no customer */
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (l) {
    CHECK_EQ_INT(l->n, 0);
    CHECK_EQ_INT(sum_counts(l->count, ROUSE_STATE_COUNT), 0);
    CHECK_EQ_INT(l->dormant_days, 360); /* no interval: fallback */
  }
  rouse_segment_lifecycle_free(l);
  rouse_segment_lifecycle_free(NULL);

  static const char *const names[] = {"new", "active", "at_risk", "dormant", "lost",
                                      "reactivated"};
  static const char *const ja[] = {"新規", "稼働", "離脱予兆", "休眠", "離反", "復帰"};
  for (int st = 0; st < ROUSE_STATE_COUNT; st++) {
    CHECK_EQ_STR(rouse_state_name(st), names[st]);
    CHECK_EQ_STR(rouse_state_label_ja(st), ja[st]);
  }
  CHECK(rouse_state_name(ROUSE_STATE_COUNT) == NULL);
  CHECK(rouse_state_label_ja(-1) == NULL);
  for (int r = 0; r < ROUSE_RULE_COUNT; r++) CHECK(rouse_state_rule_name(r) != NULL);
  CHECK(rouse_state_rule_name(ROUSE_RULE_COUNT) == NULL);
  CHECK_EQ_STR(rouse_state_rule_name(ROUSE_RULE_CAME_BACK), "came_back");
}

/* same per-customer results for a permuted copy (p_alive and withdrawn permuted along) */
static void check_permuted(const rouse_summary *s, const double *p, const uint8_t *wd,
                           const rouse_lifecycle_opts *o, const rouse_lifecycle *l) {
  size_t n = s->n;
  size_t *perm = malloc((n ? n : 1) * sizeof *perm);
  double *pp = malloc((n ? n : 1) * sizeof *pp);
  uint8_t *ww = malloc(n ? n : 1);
  for (uint64_t seed = 1; seed <= 3; seed++) {
    shuffle(perm, n, seed);
    struct perm c;
    permute(s, perm, &c);
    for (size_t i = 0; i < n; i++) {
      if (p) pp[i] = p[perm[i]];
      if (wd) ww[i] = wd[perm[i]];
    }
    rouse_lifecycle *e = NULL;
    CHECK_EQ_INT(rouse_segment_lifecycle(&c.s, p ? pp : NULL, wd ? ww : NULL, o, &e),
                 ROUSE_OK);
    if (e) {
      size_t diff = 0;
      for (size_t i = 0; i < n; i++) {
        size_t j = perm[i];
        diff += e->state[i] != l->state[j] || e->rule[i] != l->rule[j] ||
                e->recency_days[i] != l->recency_days[j] ||
                !(e->overdue[i] == l->overdue[j] ||
                  (isnan(e->overdue[i]) && isnan(l->overdue[j])));
      }
      CHECK_EQ_INT(diff, 0);
      CHECK(!memcmp(e->count, l->count, sizeof e->count));
      CHECK(!memcmp(e->rule_count, l->rule_count, sizeof e->rule_count));
      CHECK(e->dormant_days == l->dormant_days && e->at_risk_shop_days == l->at_risk_shop_days &&
            e->interval.p90 == l->interval.p90 && e->interval.p75 == l->interval.p75);
    }
    rouse_segment_lifecycle_free(e);
    perm_free(&c);
  }
  free(perm);
  free(pp);
  free(ww);
}

static void test_permutation_hand(void) {
  struct fake f;
  hand_fake(&f);
  uint8_t wd[16] = {0};
  wd[15] = 1;
  double p[16];
  for (int i = 0; i < 16; i++) p[i] = (i * 7 % 16) / 16.0;
  rouse_lifecycle *l = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(&f.s, p, wd, NULL, &l), ROUSE_OK);
  if (!l) return;
  check_permuted(&f.s, p, wd, NULL, l);
  rouse_segment_lifecycle_free(l);
}

/* BG/NBD P(alive) at T (weeks) with the published CDNOW parameters (Fader, Hardie & Lee
 * 2005: r 0.243, alpha 4.414, a 0.793, b 2.426), the closed form, independent of the library */
static double bgnbd_p_alive(double x, double t_x, double T) {
  const double r = 0.2426, alpha = 4.414, a = 0.793, b = 2.426;
  if (x == 0) return 1;
  return 1 / (1 + a / (b + x - 1) * pow((alpha + T) / (alpha + t_x), r + x));
}

struct cdnow_want {
  int y, m, d;                      /* as-of date */
  int with_p, withdrawn_every;      /* p_alive from BG/NBD; withdrawn = id % k == 0 (0: none) */
  int32_t dormant_days, shop_days;
  size_t rule[ROUSE_RULE_COUNT];    /* per deciding rule, rouse_state_rule order */
};

/* CDNOW sample: expected values from an independent python3 computation over
 * data/cdnow_sample/transactions.csv (csv + datetime only, no rouse code): rows dated before
 * the as-of date; per customer the sorted set of dates with amount >= 0 (same-day purchases
 * merge); x = days - 1, recency = (as_of - 1) - last date, span = last - first, last gap =
 * last - second-to-last; all gaps sorted, quantile = value at position ceil(p * N);
 * dormant_days = 30 * clamp(ceil(p90 / 30), 1, 24); shop days = clamp(floor(p75), 1,
 * dormant_days - 1); then, first match wins:
 *   withdrawn (int(id) % k == 0) | p < 0.01 and rec >= 2 * dormant | rec >= dormant |
 *   x >= 2 and rec > 1.5 * span / x | x < 2 and rec > shop | p < 0.5 |
 *   x >= 1 and last gap >= dormant | x == 0 | else active
 * with p the BG/NBD closed form above at t_x = span / 7, T = (as_of - 1 - first) / 7. The
 * smallest |p - 0.5| or |p - 0.01| over the customers was 1.5e-4 (1997) and 1.7e-4 (1998):
 * no state hangs on rounding. */
static const struct cdnow_want cdnow[] = {
    /* 1997-04-01: interval p75 25, p90 41 -> 2 months */
    {1997, 4, 1, 0, 0, 60, 25, {0, 0, 580, 54, 944, 0, 13, 501, 265}},
    /* 1997-10-01 (the calibration end of the BTYD literature): p75 61, p90 128 -> 5 months */
    {1997, 10, 1, 0, 0, 150, 61, {0, 0, 1731, 142, 132, 0, 95, 0, 257}},
    {1997, 10, 1, 1, 0, 150, 61, {0, 0, 1731, 142, 132, 0, 95, 0, 257}},
    /* 1998-07-01 (all data): p75 91, p90 196 -> 7 months */
    {1998, 7, 1, 0, 0, 210, 91, {0, 0, 1781, 130, 53, 0, 122, 0, 271}},
    {1998, 7, 1, 1, 0, 210, 91, {0, 14, 1767, 130, 53, 0, 122, 0, 271}},
    {1998, 7, 1, 1, 40, 210, 91, {58, 13, 1724, 127, 53, 0, 119, 0, 263}},
};

static void test_cdnow(void) {
  char buf[4096];
  const char *path = md_find("data/cdnow_sample/transactions.csv", buf, sizeof buf);
  CHECK(path != NULL);
  if (!path) return;
  for (size_t k = 0; k < (sizeof cdnow / sizeof cdnow[0]); k++) {
    const struct cdnow_want *w = &cdnow[k];
    struct md_cols c;
    int32_t as_of = rouse_date_from_ymd(w->y, w->m, w->d);
    CHECK_EQ_INT(md_load(path, as_of - 1, INT32_MIN, 1, 1, &c), 0);
    const rouse_summary *s = c.s;
    if (!s) continue;
    CHECK_EQ_INT(s->n, 2357);
    double *p = malloc(s->n * sizeof *p);
    uint8_t *wd = malloc(s->n);
    for (size_t i = 0; i < s->n; i++) {
      p[i] = bgnbd_p_alive(s->x[i], (s->last_day[i] - s->first_day[i]) / 7.0,
                           (as_of - 1 - s->first_day[i]) / 7.0);
      wd[i] = w->withdrawn_every && atoi(s->id[i]) % w->withdrawn_every == 0;
    }
    const double *pa = w->with_p ? p : NULL;
    const uint8_t *wa = w->withdrawn_every ? wd : NULL;
    rouse_lifecycle *l = NULL;
    CHECK_EQ_INT(rouse_segment_lifecycle(s, pa, wa, NULL, &l), ROUSE_OK);
    if (l) {
      CHECK_EQ_INT(l->interval.exact, 1);
      CHECK_EQ_INT(l->threshold_from_data, 1);
      CHECK_EQ_INT(l->dormant_days, w->dormant_days);
      CHECK_EQ_INT(l->at_risk_shop_days, w->shop_days);
      CHECK_EQ_INT(l->at_risk_shop_basis, ROUSE_THRESHOLD_DATA);
      size_t want_state[ROUSE_STATE_COUNT] = {0};
      static const int state_of[ROUSE_RULE_COUNT] = {
          ROUSE_STATE_LOST,    ROUSE_STATE_LOST,    ROUSE_STATE_DORMANT,
          ROUSE_STATE_AT_RISK, ROUSE_STATE_AT_RISK, ROUSE_STATE_AT_RISK,
          ROUSE_STATE_REACTIVATED, ROUSE_STATE_NEW, ROUSE_STATE_ACTIVE};
      for (int r = 0; r < ROUSE_RULE_COUNT; r++) {
        CHECK_EQ_INT(l->rule_count[r], w->rule[r]);
        want_state[state_of[r]] += w->rule[r];
      }
      for (int st = 0; st < ROUSE_STATE_COUNT; st++)
        CHECK_EQ_INT(l->count[st], want_state[st]);
      CHECK_EQ_INT(sum_counts(l->count, ROUSE_STATE_COUNT), s->n);
      printf("# cdnow as-of %04d-%02d-%02d%s%s: dormant %d days, shop at-risk %d days (p75 %.0f "
             "p90 %.0f):",
             w->y, w->m, w->d, w->with_p ? " p_alive" : "", w->withdrawn_every ? " withdrawn" : "",
             (int)l->dormant_days, (int)l->at_risk_shop_days, l->interval.p75, l->interval.p90);
      for (int st = 0; st < ROUSE_STATE_COUNT; st++)
        printf(" %s %zu", rouse_state_name(st), l->count[st]);
      printf("\n");
      /* every state agrees with its rule on the columns */
      size_t bad = 0;
      for (size_t i = 0; i < s->n; i++) {
        int32_t rec = l->recency_days[i];
        bad += rec != s->as_of - 1 - s->last_day[i];
        bad += l->state[i] != state_of[l->rule[i]];
        if (l->state[i] == ROUSE_STATE_NEW) bad += s->x[i] != 0 || rec > l->at_risk_shop_days;
        if (l->state[i] == ROUSE_STATE_REACTIVATED)
          bad += s->last_interval[i] < (uint32_t)l->dormant_days || rec >= l->dormant_days;
        if (l->state[i] == ROUSE_STATE_DORMANT) bad += rec < l->dormant_days;
        if (l->state[i] == ROUSE_STATE_ACTIVE) bad += s->x[i] == 0 || rec >= l->dormant_days;
      }
      CHECK_EQ_INT(bad, 0);
      if (k == (sizeof cdnow / sizeof cdnow[0]) - 1) check_permuted(s, pa, wa, NULL, l);
    }
    rouse_segment_lifecycle_free(l);
    free(p);
    free(wd);
    md_free(&c);
  }
}

int main(void) {
  test_rules();
  test_p_alive();
  test_thresholds();
  test_misuse();
  test_permutation_hand();
  test_cdnow();
  return done_testing();
}
