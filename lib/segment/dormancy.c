/* SPDX-License-Identifier: MIT
 * Repeat-purchase interval distribution (weighted quantiles of per-customer mean intervals),
 * the proposed shop dormancy threshold, and the dormancy depth segments of the seeds. The
 * rules and their tie handling are in docs/segments.md; RFM is in rfm.c. */
#include <math.h>
#include <stdlib.h>

#include "segment.h"

/* ceil(p * N) where p * N within 1e-9 (relative) of an integer counts as that integer, so
 * that 0.9 * 10 is 9 and not 10 */
static uint64_t ceil_count(double p, uint64_t N) {
  double t = p * (double)N;
  double r = nearbyint(t);
  if (fabs(t - r) <= 1e-9 * (t > 1 ? t : 1)) return (uint64_t)r;
  return (uint64_t)ceil(t);
}

/*=====================================================================
 * Interval distribution
 *====================================================================*/
struct ival {
  double days;    /* mean interval in days: span / x */
  int64_t span;   /* last_day - first_day */
  uint32_t x;     /* repeat purchase days: the weight */
};

static int cmp_ival(const void *a, const void *b) {
  const struct ival *p = a, *q = b;
  if (p->days != q->days) return p->days < q->days ? -1 : 1;
  /* equal value: order is irrelevant to the result; fixed for reproducibility anyway */
  if (p->x != q->x) return p->x < q->x ? -1 : 1;
  return 0;
}

/* sorted (interval, weight) list of the repeat buyers. OUT: *out (NULL when none), *n_out,
 * *total (N = sum of x), *span_sum. */
static int collect(const rouse_summary *s, struct ival **out, size_t *n_out, uint64_t *total,
                   int64_t *span_sum) {
  *out = NULL;
  *n_out = 0;
  *total = 0;
  *span_sum = 0;
  size_t m = 0;
  for (size_t i = 0; i < s->n; i++) m += s->x[i] > 0;
  if (!m) return ROUSE_OK;
  struct ival *a = rouse__reallocarray(NULL, m, sizeof *a);
  if (!a) return ROUSE_NOMEM;
  size_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (!s->x[i]) continue;
    int64_t span = (int64_t)s->last_day[i] - s->first_day[i];
    a[j].span = span;
    a[j].x = s->x[i];
    a[j].days = (double)span / s->x[i];
    *total += s->x[i];
    *span_sum += span;
    j++;
  }
  qsort(a, m, sizeof *a, cmp_ival);
  *out = a;
  *n_out = m;
  return ROUSE_OK;
}

/* index into a[] of the element at 1-based weighted position ceil(p * N) */
static size_t pick(const struct ival *a, size_t m, uint64_t N, double p) {
  uint64_t k = ceil_count(p, N);
  if (k < 1) k = 1;
  if (k > N) k = N;
  uint64_t cum = 0;
  for (size_t i = 0; i < m; i++) {
    cum += a[i].x;
    if (cum >= k) return i;
  }
  return m - 1;
}

static int check_summary(const rouse_summary *s) {
  if (!s) return ROUSE_MISUSE;
  if (s->n && (!s->x || !s->first_day || !s->last_day)) return ROUSE_MISUSE;
  return ROUSE_OK;
}

int rouse_segment_interval_quantile(const rouse_summary *s, double p, double *out) {
  if (!out) return ROUSE_MISUSE;
  *out = NAN;
  if (check_summary(s) || !(p > 0 && p <= 1)) return ROUSE_MISUSE;
  struct ival *a;
  size_t m;
  uint64_t N;
  int64_t span_sum;
  int rc = collect(s, &a, &m, &N, &span_sum);
  if (rc) return rc;
  if (!m) return ROUSE_EMPTY;
  *out = a[pick(a, m, N, p)].days;
  rouse__free(a);
  return ROUSE_OK;
}

void rouse_segment_interval_opts_init(rouse_interval_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->percentile = 0.90;
  o->days_per_month = 30;
  o->min_months = 1;
  o->max_months = 24;
  o->fallback_months = 12;
}

static int check_interval_opts(const rouse_interval_opts *o) {
  if (o->struct_size < sizeof *o) return ROUSE_MISUSE;
  if (!(o->percentile > 0 && o->percentile <= 1)) return ROUSE_MISUSE;
  if (o->days_per_month < 1 || o->days_per_month > 31) return ROUSE_MISUSE;
  if (o->min_months < 1 || o->max_months < o->min_months || o->max_months > 1200)
    return ROUSE_MISUSE;
  if (o->fallback_months < 1 || o->fallback_months > 1200) return ROUSE_MISUSE;
  return ROUSE_OK;
}

int rouse_segment_interval_stats(const rouse_summary *s, const rouse_interval_opts *o,
                                 rouse_interval_stats *out) {
  if (!out) return ROUSE_MISUSE;
  memset(out, 0, sizeof *out);
  rouse_interval_opts op;
  rouse_segment_interval_opts_init(&op);
  if (o) {
    if (o->struct_size < sizeof op) return ROUSE_MISUSE;
    op = *o;
  }
  if (check_summary(s) || check_interval_opts(&op)) return ROUSE_MISUSE;
  struct ival *a;
  size_t m;
  uint64_t N;
  int64_t span_sum;
  int rc = collect(s, &a, &m, &N, &span_sum);
  if (rc) return rc;
  out->repeat_customers = m;
  out->intervals = N;
  if (!m) {
    out->p50 = out->p75 = out->p90 = out->p95 = out->mean = out->basis_value = NAN;
    out->threshold_months = op.fallback_months;
    out->threshold_days = (int32_t)(op.fallback_months * op.days_per_month);
    out->basis = ROUSE_THRESHOLD_FALLBACK;
    return ROUSE_OK;
  }
  out->p50 = a[pick(a, m, N, 0.50)].days;
  out->p75 = a[pick(a, m, N, 0.75)].days;
  out->p90 = a[pick(a, m, N, 0.90)].days;
  out->p95 = a[pick(a, m, N, 0.95)].days;
  out->mean = (double)span_sum / (double)N;
  const struct ival *b = &a[pick(a, m, N, op.percentile)];
  out->basis_value = b->days;
  /* months = ceil(span / (x * days_per_month)), exact in integers */
  uint64_t den = (uint64_t)b->x * (uint64_t)op.days_per_month;
  uint64_t months = ((uint64_t)b->span + den - 1) / den;
  out->basis = ROUSE_THRESHOLD_DATA;
  if (months < (uint64_t)op.min_months) {
    months = (uint64_t)op.min_months;
    out->basis = ROUSE_THRESHOLD_FLOOR;
  } else if (months > (uint64_t)op.max_months) {
    months = (uint64_t)op.max_months;
    out->basis = ROUSE_THRESHOLD_CEILING;
  }
  out->threshold_months = (int)months;
  out->threshold_days = (int32_t)(months * (uint64_t)op.days_per_month);
  rouse__free(a);
  return ROUSE_OK;
}

/*=====================================================================
 * Dormancy depth segments
 *====================================================================*/
static const char *const seg_name[ROUSE_DORMANCY_COUNT] = {
    "active", "top_value_dormant", "loyal_lapsed", "early_lapsed", "other_dormant"};
static const char *const seg_label_ja[ROUSE_DORMANCY_COUNT] = {
    "稼働顧客", "過去高LTV休眠層", "ロイヤル層からの離反", "初期離反層", "その他の休眠顧客"};

const char *rouse_segment_dormancy_name(int seg) {
  return seg >= 0 && seg < ROUSE_DORMANCY_COUNT ? seg_name[seg] : NULL;
}
const char *rouse_segment_dormancy_label_ja(int seg) {
  return seg >= 0 && seg < ROUSE_DORMANCY_COUNT ? seg_label_ja[seg] : NULL;
}

void rouse_segment_dormancy_opts_init(rouse_dormancy_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->dormant_days = 0;
  o->one_time_days = 180;
  o->repeat_days = 360;
  o->top_share = 0.20;
  rouse_segment_interval_opts_init(&o->interval);
}

void rouse_segment_dormancy_free(rouse_dormancy *d) {
  if (!d) return;
  rouse__free(d->segment);
  rouse__free(d->recency_days);
  rouse__free(d->top_value);
  rouse__free(d);
}

int rouse_segment_dormancy(const rouse_summary *s, const rouse_dormancy_opts *o,
                           rouse_dormancy **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_dormancy_opts op;
  rouse_segment_dormancy_opts_init(&op);
  if (o) {
    if (o->struct_size < sizeof op) return ROUSE_MISUSE;
    op = *o;
  }
  if (check_summary(s) || (s->n && !s->total_e4)) return ROUSE_MISUSE;
  if (op.one_time_days < 1 || op.repeat_days < 1) return ROUSE_MISUSE;
  if (!(op.top_share >= 0 && op.top_share <= 1)) return ROUSE_MISUSE;
  if (op.dormant_days <= 0 && check_interval_opts(&op.interval)) return ROUSE_MISUSE;

  size_t n = s->n, alloc_n = n ? n : 1;
  int rc = ROUSE_NOMEM;
  int64_t *tot = NULL;
  rouse_dormancy *d = rouse__calloc(1, sizeof *d);
  if (!d) goto out;
  d->n = n;
  d->segment = rouse__malloc(alloc_n);
  d->top_value = rouse__malloc(alloc_n);
  d->recency_days = rouse__reallocarray(NULL, alloc_n, sizeof *d->recency_days);
  tot = rouse__reallocarray(NULL, alloc_n, sizeof *tot);
  if (!d->segment || !d->top_value || !d->recency_days || !tot) goto out;

  d->one_time_days = op.one_time_days;
  d->repeat_days = op.repeat_days;
  d->dormant_days = op.dormant_days;
  if (op.dormant_days <= 0) {
    if ((rc = rouse_segment_interval_stats(s, &op.interval, &d->interval))) goto out;
    d->dormant_days = d->interval.threshold_days;
    d->threshold_from_data = 1;
  }

  /* top value share: total_e4 >= the k-th largest total (ties at the edge all in), > 0 */
  d->top_k = n ? (size_t)ceil_count(op.top_share, n) : 0;
  if (d->top_k > n) d->top_k = n;
  rouse__segment_sort_i64(s->total_e4, n, tot);
  int64_t cut = d->top_k ? tot[n - d->top_k] : INT64_MAX;
  if (cut < 1) cut = 1;
  d->top_min_e4 = d->top_k ? cut : 0;

  for (size_t i = 0; i < n; i++) {
    int32_t rec = (int32_t)((int64_t)s->as_of - 1 - s->last_day[i]);
    int top = d->top_k && s->total_e4[i] >= cut;
    int seg;
    if (top && rec >= d->dormant_days) seg = ROUSE_DORMANCY_TOP_VALUE;
    else if (s->x[i] >= 1 && rec >= op.repeat_days) seg = ROUSE_DORMANCY_LOYAL_LAPSED;
    else if (s->x[i] == 0 && rec >= op.one_time_days) seg = ROUSE_DORMANCY_EARLY_LAPSED;
    else if (rec >= d->dormant_days) seg = ROUSE_DORMANCY_OTHER;
    else seg = ROUSE_DORMANCY_ACTIVE;
    d->recency_days[i] = rec;
    d->top_value[i] = (uint8_t)top;
    d->segment[i] = (uint8_t)seg;
    d->count[seg]++;
  }
  rc = ROUSE_OK;
out:
  rouse__free(tot);
  if (rc) rouse_segment_dormancy_free(d);
  else *out = d;
  return rc;
}
