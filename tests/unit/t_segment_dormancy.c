/* SPDX-License-Identifier: MIT
 * Repeat-interval quantiles, the dormancy threshold and dormancy depth segments
 * (lib/segment/dormancy.c): hand-computed cases at the rule edges for the approximated
 * (no histogram) and the exact (interval_hist) distribution, the open last bucket, ties in
 * the top value share, permutation invariance, and the CDNOW sample against an independent
 * python computation (exact) and an independent sort (approximation). */
#include <math.h>

#include "../numeric/model_data.h"
#include "harness.h"
#include "rouse/rouse_segment.h"
#include "segment_fixture.h"

static void test_intervals(void) {
  struct fake f;
  rouse_interval_stats st;
  double q;
  /* intervals 10 (x1), 20 (x2), 30 (x3) and a one-time buyer: sample 10,20,20,30,30,30 */
  fake_init(&f, 4, 200);
  fake_set(&f, 0, 0, 10, 2, 1);
  fake_set(&f, 1, 0, 40, 3, 1);
  fake_set(&f, 2, 0, 90, 4, 1);
  fake_set(&f, 3, 50, 50, 1, 1);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.repeat_customers, 3);
  CHECK_EQ_INT(st.intervals, 6);
  CHECK_NEAR(st.p50, 20, 0);
  CHECK_NEAR(st.p75, 30, 0);
  CHECK_NEAR(st.p90, 30, 0);
  CHECK_NEAR(st.p95, 30, 0);
  CHECK_NEAR(st.mean, 140.0 / 6, 1e-15);
  CHECK_NEAR(st.basis_value, 30, 0);
  CHECK_EQ_INT(st.threshold_months, 1);
  CHECK_EQ_INT(st.threshold_days, 30);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_DATA);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.3, &q), ROUSE_OK); /* k = 2 */
  CHECK_NEAR(q, 20, 0);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 1.0 / 6, &q), ROUSE_OK); /* k = 1 */
  CHECK_NEAR(q, 10, 0);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0, &q), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 1.5, &q), ROUSE_MISUSE);

  /* 0.9 * 10 is position 9, not 10 */
  fake_init(&f, 10, 200);
  for (int i = 0; i < 10; i++) fake_set(&f, (size_t)i, 0, i + 1, 2, 1);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_NEAR(st.p50, 5, 0);
  CHECK_NEAR(st.p90, 9, 0);
  CHECK_NEAR(st.p95, 10, 0);

  /* months round up; floor, ceiling, fallback */
  fake_init(&f, 1, 2000);
  fake_set(&f, 0, 0, 31, 2, 1);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.threshold_months, 2);
  CHECK_EQ_INT(st.threshold_days, 60);
  fake_set(&f, 0, 0, 61, 3, 1); /* 30.5 days -> 2 months */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_NEAR(st.p90, 30.5, 0);
  CHECK_EQ_INT(st.threshold_months, 2);
  fake_set(&f, 0, 0, 60, 3, 1); /* exactly 30 days -> 1 month */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.threshold_months, 1);
  fake_set(&f, 0, 0, 1000, 2, 1);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.threshold_months, 24);
  CHECK_EQ_INT(st.threshold_days, 720);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_CEILING);
  rouse_interval_opts io;
  rouse_segment_interval_opts_init(&io);
  io.min_months = 3;
  fake_set(&f, 0, 0, 30, 2, 1);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, &io, &st), ROUSE_OK);
  CHECK_EQ_INT(st.threshold_months, 3);
  CHECK_EQ_INT(st.threshold_days, 90);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_FLOOR);
  fake_set(&f, 0, 5, 5, 1, 1); /* no repeat purchase */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.intervals, 0);
  CHECK(isnan(st.p90));
  CHECK_EQ_INT(st.threshold_months, 12);
  CHECK_EQ_INT(st.threshold_days, 360);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_FALLBACK);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.5, &q), ROUSE_EMPTY);
  CHECK(isnan(q));
  io.max_months = 2; /* < min_months */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, &io, &st), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_interval_stats(NULL, NULL, &st), ROUSE_MISUSE);
}

/* the same customers as test_intervals with their individual gaps in a histogram */
static void test_intervals_exact(void) {
  struct fake f;
  rouse_interval_stats st;
  double q;
  uint64_t hist[100] = {0};
  /* gaps: customer 0 {10}, customer 1 {5, 35}, customer 2 {10, 20, 60}, customer 3 none.
   * sorted: 5 10 10 20 35 60 (N = 6, sum 140 = the sum of the spans) */
  fake_init(&f, 4, 200);
  fake_set(&f, 0, 0, 10, 2, 1);
  fake_set(&f, 1, 0, 40, 3, 1);
  fake_set(&f, 2, 0, 90, 4, 1);
  fake_set(&f, 3, 50, 50, 1, 1);
  hist[5] = 1, hist[10] = 2, hist[20] = 1, hist[35] = 1, hist[60] = 1;
  f.s.interval_hist = hist;
  f.s.interval_hist_len = 100;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.exact, 1);
  CHECK_EQ_INT(st.capped, 0);
  CHECK_EQ_INT(st.repeat_customers, 3);
  CHECK_EQ_INT(st.intervals, 6);
  CHECK_NEAR(st.p50, 10, 0); /* position 3 */
  CHECK_NEAR(st.p75, 35, 0); /* position ceil(4.5) = 5 */
  CHECK_NEAR(st.p90, 60, 0); /* position ceil(5.4) = 6 */
  CHECK_NEAR(st.p95, 60, 0);
  CHECK_NEAR(st.mean, 140.0 / 6, 1e-15);
  CHECK_NEAR(st.basis_value, 60, 0);
  CHECK_EQ_INT(st.threshold_months, 2); /* 60 / 30 exactly */
  CHECK_EQ_INT(st.threshold_days, 60);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_DATA);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 1.0 / 6, &q), ROUSE_OK);
  CHECK_NEAR(q, 5, 0);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.5 + 1e-6, &q), ROUSE_OK); /* 4th */
  CHECK_NEAR(q, 20, 0);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 1, &q), ROUSE_OK);
  CHECK_NEAR(q, 60, 0);
  rouse_interval_opts io;
  rouse_segment_interval_opts_init(&io);
  io.percentile = 0.5;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, &io, &st), ROUSE_OK);
  CHECK_EQ_INT(st.threshold_months, 1); /* 10 days -> 1 month */
  hist[60] = 0, hist[61] = 1;             /* 61 days -> 3 months; first moment must match */
  f.last[2] = 91;
  rouse_segment_interval_opts_init(&io);
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, &io, &st), ROUSE_OK);
  CHECK_NEAR(st.p90, 61, 0);
  CHECK_EQ_INT(st.threshold_months, 3);

  /* the histogram must describe these customers */
  hist[61] = 2; /* one interval too many */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.5, &q), ROUSE_MISUSE);
  CHECK(isnan(q));
  hist[61] = 0, hist[62] = 1; /* right count, wrong sum of intervals */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_MISUSE);
  hist[62] = 0, hist[61] = 1;
  f.s.interval_hist_len = 1;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_MISUSE);
  /* no histogram: the approximation of test_intervals (10, 20, 20, 30, 30, 30.33) */
  f.s.interval_hist = NULL;
  f.s.interval_hist_len = 0;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.exact, 0);
  CHECK_NEAR(st.p50, 20, 0);
  CHECK_NEAR(st.p90, 91.0 / 3, 1e-15);

  /* the open last bucket: with 8 entries, gaps of 7 days or more count as 7 (a lower bound);
   * the mean still uses the exact sum of the spans */
  uint64_t h8[8] = {0};
  fake_init(&f, 2, 500);
  fake_set(&f, 0, 0, 23, 3, 1); /* gaps 3 and 20 */
  fake_set(&f, 1, 0, 100, 2, 1); /* gap 100 */
  h8[3] = 1, h8[7] = 2;
  f.s.interval_hist = h8;
  f.s.interval_hist_len = 8;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.exact, 1);
  CHECK_EQ_INT(st.capped, 2);
  CHECK_NEAR(st.p50, 7, 0);
  CHECK_NEAR(st.p95, 7, 0);
  CHECK_NEAR(st.mean, 123.0 / 3, 1e-15);
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.3, &q), ROUSE_OK);
  CHECK_NEAR(q, 3, 0);
  h8[7] = 1, h8[3] = 2; /* count 3, sum 3+3+7 = 13 <= 123: consistent */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_NEAR(st.p50, 3, 0);
  CHECK_EQ_INT(st.capped, 1);
  f.last[1] = 5; /* spans 23 + 5 = 28 >= 13: still possible */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  f.last[0] = 2, f.last[1] = 2; /* spans 4 < 13: impossible */
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_MISUSE);

  /* an all-zero histogram and no repeat buyer: fallback */
  uint64_t h0[4] = {0};
  fake_init(&f, 1, 500);
  fake_set(&f, 0, 7, 7, 1, 1);
  f.s.interval_hist = h0;
  f.s.interval_hist_len = 4;
  CHECK_EQ_INT(rouse_segment_interval_stats(&f.s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_FALLBACK);
  CHECK_EQ_INT(st.exact, 1);
  CHECK(isnan(st.p50));
  CHECK_EQ_INT(rouse_segment_interval_quantile(&f.s, 0.5, &q), ROUSE_EMPTY);
}

static void test_dormancy_hand(void) {
  struct fake f;
  fake_init(&f, 10, 1000); /* last observed day 999 */
  fake_set(&f, 0, 999, 999, 1, 100);  /* rec 0: active (top value, but not dormant) */
  fake_set(&f, 1, 799, 799, 1, 10);   /* one-time, rec 200: early lapsed */
  fake_set(&f, 2, 0, 599, 3, 20);     /* repeat, rec 400: loyal lapsed */
  fake_set(&f, 3, 0, 799, 2, 30);     /* repeat, rec 200: other dormant */
  fake_set(&f, 4, 0, 899, 2, 1000);   /* top value, rec 100: top value dormant */
  fake_set(&f, 5, 819, 819, 1, 1);    /* one-time, rec 180 exactly: early lapsed */
  fake_set(&f, 6, 820, 820, 1, 2);    /* one-time, rec 179: other dormant */
  fake_set(&f, 7, 910, 910, 1, 3);    /* rec 89: active */
  fake_set(&f, 8, 0, 639, 2, 4);      /* repeat, rec 360 exactly: loyal lapsed */
  fake_set(&f, 9, 0, 640, 2, 5);      /* repeat, rec 359: other dormant */
  rouse_dormancy_opts o;
  rouse_segment_dormancy_opts_init(&o);
  o.dormant_days = 90;
  rouse_dormancy *d = NULL;
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_OK);
  if (!d) return;
  static const int want[10] = {ROUSE_DORMANCY_ACTIVE,       ROUSE_DORMANCY_EARLY_LAPSED,
                               ROUSE_DORMANCY_LOYAL_LAPSED, ROUSE_DORMANCY_OTHER,
                               ROUSE_DORMANCY_TOP_VALUE,    ROUSE_DORMANCY_EARLY_LAPSED,
                               ROUSE_DORMANCY_OTHER,        ROUSE_DORMANCY_ACTIVE,
                               ROUSE_DORMANCY_LOYAL_LAPSED, ROUSE_DORMANCY_OTHER};
  static const int want_rec[10] = {0, 200, 400, 200, 100, 180, 179, 89, 360, 359};
  for (int i = 0; i < 10; i++) {
    CHECK_EQ_INT(d->segment[i], want[i]);
    CHECK_EQ_INT(d->recency_days[i], want_rec[i]);
    CHECK_EQ_INT(d->top_value[i], i == 0 || i == 4);
  }
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_ACTIVE], 2);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_TOP_VALUE], 1);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_LOYAL_LAPSED], 2);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_EARLY_LAPSED], 2);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_OTHER], 3);
  CHECK_EQ_INT(d->top_k, 2);
  CHECK_EQ_INT(d->top_min_e4, 100);
  CHECK_EQ_INT(d->dormant_days, 90);
  CHECK_EQ_INT(d->threshold_from_data, 0);
  rouse_segment_dormancy_free(d);

  /* a longer shop threshold: 4, 6 and 9 become active; the depth rules still apply */
  o.dormant_days = 365;
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_OK);
  if (!d) return;
  CHECK_EQ_INT(d->segment[4], ROUSE_DORMANCY_ACTIVE);
  CHECK_EQ_INT(d->segment[5], ROUSE_DORMANCY_EARLY_LAPSED);
  CHECK_EQ_INT(d->segment[6], ROUSE_DORMANCY_ACTIVE);
  CHECK_EQ_INT(d->segment[8], ROUSE_DORMANCY_LOYAL_LAPSED);
  CHECK_EQ_INT(d->segment[9], ROUSE_DORMANCY_ACTIVE);
  CHECK_EQ_INT(d->segment[3], ROUSE_DORMANCY_ACTIVE); /* repeat, 200 days < 365 */
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_OTHER], 0);
  rouse_segment_dormancy_free(d);

  /* ties at the edge of the top share all count; zero spend is never top value */
  fake_init(&f, 5, 1000);
  int64_t tot[5] = {5, 5, 5, 1, 1};
  for (int i = 0; i < 5; i++) fake_set(&f, (size_t)i, 10, 10, 1, tot[i]);
  rouse_segment_dormancy_opts_init(&o);
  o.dormant_days = 90;
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_OK);
  if (!d) return;
  CHECK_EQ_INT(d->top_k, 1);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_TOP_VALUE], 3);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_EARLY_LAPSED], 2);
  rouse_segment_dormancy_free(d);
  for (int i = 0; i < 5; i++) f.tot[i] = 0;
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_OK);
  if (!d) return;
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_TOP_VALUE], 0);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_EARLY_LAPSED], 5);
  rouse_segment_dormancy_free(d);

  /* n = 1, threshold from the data (fallback: no repeat buyer) */
  fake_init(&f, 1, 1000);
  fake_set(&f, 0, 500, 500, 1, 7);
  rouse_segment_dormancy_opts_init(&o);
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_OK);
  if (!d) return;
  CHECK_EQ_INT(d->threshold_from_data, 1);
  CHECK_EQ_INT(d->dormant_days, 360);
  CHECK_EQ_INT(d->interval.basis, ROUSE_THRESHOLD_FALLBACK);
  CHECK_EQ_INT(d->segment[0], ROUSE_DORMANCY_TOP_VALUE); /* the only customer is the top */
  rouse_segment_dormancy_free(d);

  o.top_share = 1.5;
  CHECK_EQ_INT(rouse_segment_dormancy(&f.s, &o, &d), ROUSE_MISUSE);
  CHECK(d == NULL);
  rouse_segment_dormancy_free(NULL);
  for (int g = 0; g < ROUSE_DORMANCY_COUNT; g++) {
    CHECK(rouse_segment_dormancy_name(g) != NULL);
    CHECK(rouse_segment_dormancy_label_ja(g) != NULL);
  }
  CHECK(rouse_segment_dormancy_name(ROUSE_DORMANCY_COUNT) == NULL);
  CHECK_EQ_STR(rouse_segment_dormancy_label_ja(ROUSE_DORMANCY_EARLY_LAPSED), "初期離反層");
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void test_cdnow(void) {
  char buf[4096];
  const char *path = md_find("data/cdnow_sample/transactions.csv", buf, sizeof buf);
  CHECK(path != NULL);
  if (!path) return;
  struct md_cols c;
  CHECK_EQ_INT(md_load(path, rouse_date_from_ymd(1998, 6, 30), INT32_MIN, 1, 1, &c), 0);
  const rouse_summary *s = c.s;
  if (!s) return;

  /* exact quantiles from the interval histogram. Expected values from an independent
   * python3 computation over data/cdnow_sample/transactions.csv (csv module, no rouse code):
   * per customer the set of dates with amount >= 0 (same-day purchases merge), the gaps
   * between consecutive dates, all 4339 gaps sorted, value at 1-based position ceil(p * N);
   * mean = sum of gaps / N = 307464 / 4339; months = ceil(p90 / 30); the dormancy segments
   * with that threshold (top share: total >= the 472nd largest total). The approximation
   * (each customer's mean interval x times) gave p50 50.3, p75 86.8, p90 151.0, p95 205.0
   * and 6 months; the exact upper quantiles are much longer: within-customer spread. */
  rouse_interval_stats st;
  CHECK_EQ_INT(rouse_segment_interval_stats(s, NULL, &st), ROUSE_OK);
  CHECK_EQ_INT(st.exact, 1);
  CHECK_EQ_INT(st.capped, 0);
  CHECK_EQ_INT(st.repeat_customers, 1139);
  CHECK_EQ_INT(st.intervals, 4339);
  CHECK_NEAR(st.p50, 34, 0);
  CHECK_NEAR(st.p75, 91, 0);
  CHECK_NEAR(st.p90, 196, 0);
  CHECK_NEAR(st.p95, 279, 0);
  CHECK_NEAR(st.mean, 307464.0 / 4339, 1e-15);
  CHECK_NEAR(st.basis_value, 196, 0);
  CHECK_EQ_INT(st.threshold_months, 7);
  CHECK_EQ_INT(st.threshold_days, 210);
  CHECK_EQ_INT(st.basis, ROUSE_THRESHOLD_DATA);
  printf("# cdnow: n %zu, repeat %zu, intervals %" PRIu64 ", p50 %.2f p75 %.2f p90 %.2f "
         "p95 %.2f mean %.2f days -> threshold %d months (%d days)\n",
         s->n, st.repeat_customers, st.intervals, st.p50, st.p75, st.p90, st.p95, st.mean,
         st.threshold_months, (int)st.threshold_days);

  /* the approximation without the histogram, against an independent expand-and-sort */
  rouse_summary sa = *s;
  sa.interval_hist = NULL;
  sa.interval_hist_len = 0;
  uint64_t N = 0;
  for (size_t i = 0; i < s->n; i++) N += s->x[i];
  double *all = malloc(N * sizeof *all);
  size_t k = 0;
  for (size_t i = 0; i < s->n; i++)
    for (uint32_t j = 0; j < s->x[i]; j++)
      all[k++] = (double)(s->last_day[i] - s->first_day[i]) / s->x[i];
  qsort(all, N, sizeof *all, cmp_d);
  double p90 = all[(9 * N + 9) / 10 - 1], p50 = all[(N + 1) / 2 - 1];
  int months = (int)ceil(p90 / 30);
  months = months < 1 ? 1 : months > 24 ? 24 : months;
  free(all);
  rouse_interval_stats sta;
  CHECK_EQ_INT(rouse_segment_interval_stats(&sa, NULL, &sta), ROUSE_OK);
  CHECK_EQ_INT(sta.exact, 0);
  CHECK_EQ_INT(sta.intervals, N);
  CHECK_NEAR(sta.p90, p90, 0);
  CHECK_NEAR(sta.p50, p50, 0);
  CHECK_NEAR(sta.mean, st.mean, 0);
  CHECK_EQ_INT(sta.threshold_months, months);
  CHECK_EQ_INT(sta.threshold_days, months * 30);
  CHECK(sta.p50 <= sta.p75 && sta.p75 <= sta.p90 && sta.p90 <= sta.p95);
  printf("# cdnow approximated: p50 %.2f p75 %.2f p90 %.2f p95 %.2f -> %d months\n",
         sta.p50, sta.p75, sta.p90, sta.p95, sta.threshold_months);

  rouse_dormancy *d = NULL;
  CHECK_EQ_INT(rouse_segment_dormancy(s, NULL, &d), ROUSE_OK);
  if (!d) {
    md_free(&c);
    return;
  }
  CHECK_EQ_INT(d->dormant_days, st.threshold_days);
  size_t sum = 0, ntop = 0;
  for (int g = 0; g < ROUSE_DORMANCY_COUNT; g++) {
    sum += d->count[g];
    printf("# %-18s %5zu\n", rouse_segment_dormancy_name(g), d->count[g]);
  }
  CHECK_EQ_INT(sum, s->n);
  /* the python computation above */
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_ACTIVE], 576);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_TOP_VALUE], 140);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_LOYAL_LAPSED], 281);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_EARLY_LAPSED], 1198);
  CHECK_EQ_INT(d->count[ROUSE_DORMANCY_OTHER], 162);
  for (size_t i = 0; i < s->n; i++) ntop += d->top_value[i];
  CHECK(ntop >= d->top_k); /* ties at the edge may add a few */
  size_t bad = 0;
  for (size_t i = 0; i < s->n; i++) {
    int rec = d->recency_days[i];
    bad += rec != s->as_of - 1 - s->last_day[i];
    if (d->segment[i] == ROUSE_DORMANCY_ACTIVE)
      bad += rec >= d->dormant_days || (s->x[i] == 0 && rec >= 180);
    if (d->segment[i] == ROUSE_DORMANCY_EARLY_LAPSED) bad += s->x[i] != 0 || rec < 180;
    if (d->segment[i] == ROUSE_DORMANCY_LOYAL_LAPSED) bad += s->x[i] == 0 || rec < 360;
    if (d->segment[i] == ROUSE_DORMANCY_TOP_VALUE) bad += !d->top_value[i];
  }
  CHECK_EQ_INT(bad, 0);

  /* permutation invariance */
  size_t *perm = malloc(s->n * sizeof *perm);
  for (uint64_t seed = 1; seed <= 3; seed++) {
    shuffle(perm, s->n, seed);
    struct perm p;
    permute(s, perm, &p);
    rouse_interval_stats st2;
    CHECK_EQ_INT(rouse_segment_interval_stats(&p.s, NULL, &st2), ROUSE_OK);
    CHECK(st.repeat_customers == st2.repeat_customers && st.intervals == st2.intervals &&
          st.p50 == st2.p50 && st.p75 == st2.p75 && st.p90 == st2.p90 &&
          st.p95 == st2.p95 && st.mean == st2.mean && st.basis_value == st2.basis_value &&
          st.threshold_days == st2.threshold_days && st.basis == st2.basis);
    rouse_dormancy *e = NULL;
    CHECK_EQ_INT(rouse_segment_dormancy(&p.s, NULL, &e), ROUSE_OK);
    if (e) {
      size_t diff = 0;
      for (size_t i = 0; i < s->n; i++) {
        size_t j = perm[i];
        diff += e->segment[i] != d->segment[j] || e->top_value[i] != d->top_value[j] ||
                e->recency_days[i] != d->recency_days[j];
      }
      CHECK_EQ_INT(diff, 0);
      CHECK(!memcmp(e->count, d->count, sizeof e->count));
      CHECK_EQ_INT(e->top_min_e4, d->top_min_e4);
    }
    rouse_segment_dormancy_free(e);
    perm_free(&p);
  }
  free(perm);
  rouse_segment_dormancy_free(d);
  md_free(&c);
}

int main(void) {
  test_intervals();
  test_intervals_exact();
  test_dormancy_hand();
  test_cdnow();
  return done_testing();
}
