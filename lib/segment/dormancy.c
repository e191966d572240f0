/* SPDX-License-Identifier: MIT
 * Repeat-purchase interval distribution (exact quantiles from the summary's interval
 * histogram, or weighted quantiles of per-customer mean intervals for summaries without one),
 * the proposed shop dormancy threshold, and the dormancy depth segments of the seeds. The
 * rules and their tie handling are in docs/segments.md; RFM is in rfm.c, lifecycle states in
 * lifecycle.c. */
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
static int check_summary(const rouse_summary *s) {
  if (!s) return ROUSE_MISUSE;
  if (s->n && (!s->x || !s->first_day || !s->last_day)) return ROUSE_MISUSE;
  return ROUSE_OK;
}

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

/* The distribution of all repeat intervals: exact from s->interval_hist when the summary has
 * it, else approximated by x[i] copies of each customer's mean interval (a[], sorted). */
struct dist {
  const uint64_t *hist;  /* exact source, or NULL */
  size_t hist_len;
  struct ival *a;        /* approximation: sorted (mean interval, weight); NULL when hist */
  size_t m;              /* entries of a[] */
  size_t repeat;         /* customers with x >= 1 */
  uint64_t N;            /* number of intervals: sum of x (= sum of hist when exact) */
  int64_t span_sum;      /* sum of (last_day - first_day) = the sum of every interval, days */
  uint64_t capped;       /* intervals in the open last bucket of hist (exact source only) */
};

/* one picked quantile as the exact fraction span / x days (x = 1 from the histogram) */
struct qval {
  double days;
  int64_t span;
  uint32_t x;
};

static void dist_free(struct dist *d) {
  rouse__free(d->a);
  d->a = NULL;
}

/* OUT: *d. ROUSE_MISUSE when the histogram does not describe the customers of the summary
 * (its count is not the sum of x, or its first moment not the sum of the spans: e.g. a
 * subset of customers carrying the whole shop's histogram). */
static int dist_init(const rouse_summary *s, struct dist *d) {
  memset(d, 0, sizeof *d);
  for (size_t i = 0; i < s->n; i++) {
    if (!s->x[i]) continue;
    d->repeat++;
    d->N += s->x[i];
    d->span_sum += (int64_t)s->last_day[i] - s->first_day[i];
  }
  if (s->interval_hist) {
    if (s->interval_hist_len < 2) return ROUSE_MISUSE;
    /* the histogram must describe these customers: same count, and the same sum of
     * intervals (at least, when some are in the open last bucket) */
    size_t last = s->interval_hist_len - 1;
    uint64_t tot = 0, sum = 0;
    for (size_t k = 0; k < s->interval_hist_len; k++) {
      tot += s->interval_hist[k];
      sum += (uint64_t)k * s->interval_hist[k];
    }
    if (tot != d->N || d->span_sum < 0) return ROUSE_MISUSE;
    if (s->interval_hist[last] ? sum > (uint64_t)d->span_sum : sum != (uint64_t)d->span_sum)
      return ROUSE_MISUSE;
    d->hist = s->interval_hist;
    d->hist_len = s->interval_hist_len;
    d->capped = s->interval_hist[last];
    return ROUSE_OK;
  }
  if (!d->repeat) return ROUSE_OK;
  struct ival *a = rouse__reallocarray(NULL, d->repeat, sizeof *a);
  if (!a) return ROUSE_NOMEM;
  size_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (!s->x[i]) continue;
    int64_t span = (int64_t)s->last_day[i] - s->first_day[i];
    a[j].span = span;
    a[j].x = s->x[i];
    a[j].days = (double)span / s->x[i];
    j++;
  }
  qsort(a, j, sizeof *a, cmp_ival);
  d->a = a;
  d->m = j;
  return ROUSE_OK;
}

/* the interval at 1-based position ceil(p * N) of all N intervals sorted ascending; N > 0 */
static struct qval dist_pick(const struct dist *d, double p) {
  uint64_t k = ceil_count(p, d->N);
  if (k < 1) k = 1;
  if (k > d->N) k = d->N;
  uint64_t cum = 0;
  struct qval v = {0, 0, 1};
  if (d->hist) {
    size_t b = d->hist_len - 1; /* the open last bucket counts as hist_len - 1 days */
    for (size_t i = 0; i < d->hist_len; i++) {
      cum += d->hist[i];
      if (cum >= k) {
        b = i;
        break;
      }
    }
    v.days = (double)b;
    v.span = (int64_t)b;
    return v;
  }
  size_t i = 0;
  for (; i + 1 < d->m; i++) {
    cum += d->a[i].x;
    if (cum >= k) break;
  }
  v.days = d->a[i].days;
  v.span = d->a[i].span;
  v.x = d->a[i].x;
  return v;
}

int rouse_segment_interval_quantile(const rouse_summary *s, double p, double *out) {
  if (!out) return ROUSE_MISUSE;
  *out = NAN;
  if (check_summary(s) || !(p > 0 && p <= 1)) return ROUSE_MISUSE;
  struct dist d;
  int rc = dist_init(s, &d);
  if (!rc && !d.N) rc = ROUSE_EMPTY;
  if (!rc) *out = dist_pick(&d, p).days;
  dist_free(&d);
  return rc;
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

static void stats_of(struct dist *d, const rouse_interval_opts *o, rouse_interval_stats *out);

/* *out zeroed, and the options (defaults for NULL) checked into *op */
static int stats_start(const rouse_interval_opts *o, rouse_interval_opts *op,
                       rouse_interval_stats *out) {
  if (!out) return ROUSE_MISUSE;
  memset(out, 0, sizeof *out);
  rouse_segment_interval_opts_init(op);
  if (o) {
    if (o->struct_size < sizeof *op) return ROUSE_MISUSE;
    *op = *o;
  }
  return check_interval_opts(op);
}

int rouse_segment_interval_stats(const rouse_summary *s, const rouse_interval_opts *o,
                                 rouse_interval_stats *out) {
  rouse_interval_opts op;
  if (stats_start(o, &op, out) || check_summary(s)) return ROUSE_MISUSE;
  struct dist d;
  int rc = dist_init(s, &d);
  if (rc) return rc;
  stats_of(&d, &op, out);
  dist_free(&d);
  return ROUSE_OK;
}

int rouse__interval_stats_hist(const uint64_t *hist, size_t len, size_t repeat_customers,
                               const rouse_interval_opts *o, rouse_interval_stats *out) {
  rouse_interval_opts op;
  if (stats_start(o, &op, out) || !hist || len < 2) return ROUSE_MISUSE;
  struct dist d;
  memset(&d, 0, sizeof d);
  d.hist = hist;
  d.hist_len = len;
  d.repeat = repeat_customers;
  for (size_t k = 0; k < len; k++) d.N += hist[k], d.span_sum += (int64_t)k * (int64_t)hist[k];
  d.capped = hist[len - 1];
  stats_of(&d, &op, out);
  return ROUSE_OK;
}

/* the statistics and the proposed threshold of a distribution (d is released by the caller) */
static void stats_of(struct dist *dp, const rouse_interval_opts *o, rouse_interval_stats *out) {
  struct dist d = *dp;
  rouse_interval_opts op = *o;
  out->repeat_customers = d.repeat;
  out->intervals = d.N;
  out->exact = d.hist != NULL;
  out->capped = d.capped;
  if (!d.N) {
    out->p50 = out->p75 = out->p90 = out->p95 = out->mean = out->basis_value = NAN;
    out->threshold_months = op.fallback_months;
    out->threshold_days = (int32_t)(op.fallback_months * op.days_per_month);
    out->basis = ROUSE_THRESHOLD_FALLBACK;
    return;
  }
  out->p50 = dist_pick(&d, 0.50).days;
  out->p75 = dist_pick(&d, 0.75).days;
  out->p90 = dist_pick(&d, 0.90).days;
  out->p95 = dist_pick(&d, 0.95).days;
  /* the sum of every interval is the sum of the customers' spans: exact for both sources,
   * also for intervals in the histogram's open last bucket */
  out->mean = (double)d.span_sum / (double)d.N;
  struct qval b = dist_pick(&d, op.percentile);
  out->basis_value = b.days;
  /* months = ceil(span / (x * days_per_month)), exact in integers */
  uint64_t den = (uint64_t)b.x * (uint64_t)op.days_per_month;
  uint64_t months = ((uint64_t)b.span + den - 1) / den;
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
  int64_t cut = INT64_MAX;
  if (d->top_k) { /* the k-th largest: a selection, not a sort */
    uint64_t *key = (uint64_t *)tot;
    for (size_t i = 0; i < n; i++) key[i] = (uint64_t)s->total_e4[i] ^ (UINT64_C(1) << 63);
    cut = (int64_t)(rouse__select_u64(key, n, n - d->top_k) ^ (UINT64_C(1) << 63));
  }
  if (cut < 1) cut = 1;
  d->top_min_e4 = d->top_k ? cut : 0;

  for (size_t i = 0; i < n; i++) {
    int32_t rec = (int32_t)((int64_t)s->as_of - 1 - s->last_day[i]);
    int32_t dd = op.dormant_days_of && op.dormant_days_of[i] > 0 ? op.dormant_days_of[i]
                                                                : d->dormant_days;
    int top = d->top_k && s->total_e4[i] >= cut;
    int seg;
    if (top && rec >= dd) seg = ROUSE_DORMANCY_TOP_VALUE;
    else if (s->x[i] >= 1 && rec >= op.repeat_days) seg = ROUSE_DORMANCY_LOYAL_LAPSED;
    else if (s->x[i] == 0 && rec >= op.one_time_days) seg = ROUSE_DORMANCY_EARLY_LAPSED;
    else if (rec >= dd) seg = ROUSE_DORMANCY_OTHER;
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
