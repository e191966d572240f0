/* SPDX-License-Identifier: MIT
 * History aggregates (rouse_history.h): month by month and week by week, from the ingest's
 * customer partitions in one pass over their entry lists, with the entry rules of the rollup
 * (rollup.c, rouse__rollup_fill) and the lifecycle rules of lib/segment/lifecycle.c.
 *
 * Lifecycle states at every month end without visiting every month of every customer:
 * between two purchase days d_i < d_{i+1} (or d_m and as_of) a customer's x, span and last
 * interval are fixed and its recency at an end e in (d_i, d_{i+1}] is e - 1 - d_i, so its
 * state changes at most twice there: the base state (new / active / reactivated) up to the
 * first overdue recency, at risk up to dormant_days, dormant after. Each of these day ranges
 * is a range of month ends, added to a difference array per state; prefix sums give the
 * counts. Time: entries + customers + months; the per-task accumulators are integers summed
 * in task order, so the result does not depend on the thread count (or on the tasks).
 *
 * The lifecycle module is not called (a module does not include another's private header):
 * its rule order and comparison forms are repeated here exactly, and t_ingest_history checks
 * the counts against rouse_segment_lifecycle on summaries at every month end. */
#include <math.h>

#include "state.h"

#define HIST_TASK_BUDGET ((size_t)256 << 20) /* bytes of per-task accumulators, all tasks */

void rouse_history_opts_init(rouse_history_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->as_of = INT32_MIN;
  o->dormant_days = 0;      /* no default: the caller fixes it */
  o->at_risk_shop_days = 0; /* likewise */
  /* the defaults of rouse_segment_lifecycle_opts_init (ingest does not call into segment;
   * t_ingest_history checks that the two agree) */
  o->at_risk_factor = 1.5;
  o->min_rhythm = 2;
  o->max_months = 120;
}

void rouse_history_free(rouse_history *h) {
  if (!h) return;
  rouse__free(h->month_start);
  rouse__free(h->state_count);
  rouse__free(h->new_customers);
  rouse__free(h->buyers);
  rouse__free(h->orders);
  rouse__free(h->revenue_e4);
  rouse__free(h->cohort);
  rouse__free(h->week_repeat);
  rouse__free(h->week_births);
  rouse__free(h);
}

/* One task's counters: one zeroed block of 64-bit words. */
struct acc {
  int64_t *diff;      /* ROUSE_STATE_COUNT x (n + 1): +1 / -1 at the ends of month ranges */
  uint64_t *new_c, *buyers, *orders, *cohort, *wrep, *wbirth;
  int64_t *rev;
  uint64_t customers;
  int32_t first;      /* earliest purchase day (first scan) */
  int err;
};

struct hjob {
  const struct part *parts;
  struct acc *acc;
  size_t n_tasks;
  int32_t as_of;
  int32_t ms0;            /* month_start[0] */
  int n;                  /* months */
  size_t nw;              /* weeks */
  int32_t week0;
  const uint16_t *mon_of; /* month of day ms0 + i, i in [0, as_of - ms0) */
  bool has_order;
  int64_t dormant, shop;  /* thresholds */
  /* per-customer dormancy thresholds by id (NULL: none) */
  const struct rouse_idmap *own;
  double factor;
  uint32_t min_rhythm;
};

static inline void task_parts(const struct hjob *j, size_t t, unsigned *lo, unsigned *hi) {
  *lo = (unsigned)(t * NPART / j->n_tasks);
  *hi = (unsigned)((t + 1) * NPART / j->n_tasks);
}

/* the earliest first purchase before as_of, and the customers (the summary's) */
static void scan_task(void *arg, size_t t) {
  struct hjob *j = arg;
  struct acc *a = &j->acc[t];
  unsigned lo, hi;
  task_parts(j, t, &lo, &hi);
  int32_t first = INT32_MAX;
  uint64_t n = 0;
  for (unsigned p = lo; p < hi; p++) {
    const struct part *P = &j->parts[p];
    for (uint32_t i = 0; i < P->n; i++) {
      int32_t f = P->c[i].first_day;
      if (f >= j->as_of) continue;
      n++;
      if (f < first) first = f;
    }
  }
  a->first = first;
  a->customers = n;
}

/* month of day d (d < as_of); -1 before the first kept month */
static inline int month_of(const struct hjob *j, int32_t d) {
  return d < j->ms0 ? -1 : j->mon_of[d - j->ms0];
}

/* the first month k whose end min(month_start[k + 1], as_of) is >= e */
static inline int month_lower(const struct hjob *j, int64_t e) {
  if (e <= j->ms0) return 0;
  if (e > j->as_of) return j->n;
  return j->mon_of[e - 1 - j->ms0];
}

/* state st at the month ends in days [e_lo, e_hi] */
static inline void add_range(const struct hjob *j, struct acc *a, int st, int64_t e_lo,
                             int64_t e_hi) {
  if (e_lo > e_hi) return;
  int k0 = month_lower(j, e_lo), k1 = month_lower(j, e_hi + 1);
  if (k0 >= k1) return;
  int64_t *d = a->diff + (size_t)st * ((size_t)j->n + 1);
  d[k0]++;
  d[k1]--;
}

/* The smallest recency r in [0, D] that lifecycle.c calls overdue against the own rhythm,
 * (double)r * x > factor * (double)span (D if none below D). The predicate is monotone in r,
 * so a guess from the quotient is corrected by steps until the exact form decides. */
static int64_t first_overdue(uint32_t x, int64_t span, double factor, int64_t D) {
  const double rhs = factor * (double)span;
  double g = floor(rhs / (double)x);
  int64_t r = !(g > 0) ? 0 : g >= (double)D ? D : (int64_t)g;
  while (r > 0 && (double)(int32_t)(r - 1) * x > rhs) r--;
  while (r < D && !((double)(int32_t)r * x > rhs)) r++;
  return r;
}

/* The states at the month ends e in (last, e_max] of a customer whose purchase days before
 * e are fixed: x repeat days, the first at `first`, the last at `last` after a gap li. */
static void add_spell(const struct hjob *j, struct acc *a, int32_t first, int32_t last,
                      uint32_t x, uint32_t li, int64_t e_max, int64_t D) {
  int64_t r1; /* first at-risk recency (r1 >= D: none before dormancy) */
  if (x >= j->min_rhythm) r1 = first_overdue(x, (int64_t)last - first, j->factor, D);
  else r1 = j->shop + 1;
  if (r1 > D) r1 = D;
  int base = x >= 1 && (int64_t)li >= D ? ROUSE_STATE_REACTIVATED
             : x == 0                   ? ROUSE_STATE_NEW
                                        : ROUSE_STATE_ACTIVE;
  /* recency r at end e is e - 1 - last */
  int64_t e0 = (int64_t)last + 1;
  int64_t b_hi = e0 + r1 - 1, r_hi = e0 + D - 1;
  add_range(j, a, base, e0, b_hi < e_max ? b_hi : e_max);
  add_range(j, a, ROUSE_STATE_AT_RISK, e0 + r1, r_hi < e_max ? r_hi : e_max);
  add_range(j, a, ROUSE_STATE_DORMANT, e0 + D, e_max);
}

/* one customer's sorted entries, in up to two segments */
static void walk(const struct hjob *j, struct acc *a, const struct ent *const seg[2],
                 const uint32_t segn[2], int64_t D) {
  const int32_t as_of = j->as_of;
  const size_t n = (size_t)j->n;
  int32_t first = INT32_MIN, last = INT32_MIN;
  uint32_t days = 0, li = 0;
  int cm = -1, last_m = -2; /* cohort month; month of the last purchase day counted in buyers */
  for (int g = 0; g < 2; g++) {
    const struct ent *e = seg[g];
    for (uint32_t k = 0; k < segn[g]; k++) {
      const uint64_t key = e[k].key;
      const int32_t d = rouse__entry_day(key);
      if (d >= as_of) goto done; /* sorted by day: nothing later counts */
      if (rouse__entry_cancel(key)) continue;
      const int m = month_of(j, d);
      if (rouse__entry_return(key)) {
        if (m >= 0) a->rev[m] -= e[k].val;
        continue;
      }
      if (m >= 0) {
        a->orders[m] += j->has_order ? 1u : rouse__entry_rows(key);
        a->rev[m] += e[k].val;
      }
      if (d == last) continue;
      /* a new purchase day */
      size_t w = (size_t)(d - j->week0) / 7u;
      if (last != INT32_MIN) {
        add_spell(j, a, first, last, days - 1, li, d, D);
        li = (uint32_t)(d - last);
        a->wrep[w]++;
      } else {
        first = d;
        cm = m;
        if (m >= 0) a->new_c[m]++;
        a->wbirth[w]++;
      }
      if (m >= 0 && m != last_m) {
        a->buyers[m]++;
        if (cm >= 0) a->cohort[(size_t)cm * n + (size_t)(m - cm)]++;
        last_m = m;
      }
      days++;
      last = d;
    }
  }
done:
  if (days) add_spell(j, a, first, last, days - 1, li, as_of, D);
}

/* the customer's dormancy threshold: their own when listed, else the shop's */
static int64_t own_threshold(const struct hjob *j, const struct part *P, const struct cust *c) {
  int32_t d;
  const char *id = c->id_len <= 16 ? (const char *)c->k : P->str + c->id_off;
  return j->own && rouse__idmap_get(j->own, id, c->id_len, &d) ? d : j->dormant;
}

static void pass_task(void *arg, size_t t) {
  struct hjob *j = arg;
  struct acc *a = &j->acc[t];
  unsigned lo, hi;
  task_parts(j, t, &lo, &hi);
  struct ent stack_sorted[256], *sorted = stack_sorted;
  uint32_t sort_cap = 256;
  for (unsigned p = lo; p < hi; p++) {
    const struct part *P = &j->parts[p];
    for (uint32_t i = 0; i < P->n; i++) {
      const struct cust *c = &P->c[i];
      if (c->first_day >= j->as_of) continue; /* not in the summary at as_of */
      const struct ent *seg[2] = {c->inl, NULL};
      uint32_t segn[2] = {rouse__cust_inline(c), rouse__cust_spilled(c)};
      if (segn[1]) seg[1] = rouse__cust_tail(P, c);
      if (c->flags & CUST_UNSORTED) { /* as the rollup: sort a copy */
        if (c->ev_n > sort_cap) {
          if (sorted != stack_sorted) rouse__free(sorted);
          sort_cap = c->ev_n;
          sorted = rouse__reallocarray(NULL, sort_cap, sizeof *sorted);
          if (!sorted) {
            a->err = ROUSE_NOMEM;
            return;
          }
        }
        memcpy(sorted, seg[0], (size_t)segn[0] * sizeof *sorted);
        if (segn[1]) memcpy(sorted + segn[0], seg[1], (size_t)segn[1] * sizeof *sorted);
        seg[0] = sorted;
        segn[0] = rouse__sort_merge_ent(sorted, c->ev_n);
        segn[1] = 0;
      }
      walk(j, a, seg, segn, own_threshold(j, P, c));
    }
  }
  if (sorted != stack_sorted) rouse__free(sorted);
}

static int check_opts(const rouse_history_opts *o) {
  if (o->struct_size < sizeof *o) return ROUSE_MISUSE;
  if (o->n_ids && (!o->ids || !o->dormant_days_of)) return ROUSE_MISUSE;
  if (o->dormant_days < 1 || o->at_risk_shop_days < 1) return ROUSE_MISUSE;
  if (!(o->at_risk_factor > 0 && o->at_risk_factor <= 1000)) return ROUSE_MISUSE;
  if (o->min_rhythm < 1) return ROUSE_MISUSE;
  if (o->max_months < 1 || o->max_months > ROUSE_HISTORY_MAX_MONTHS) return ROUSE_MISUSE;
  return ROUSE_OK;
}

/* the first day of month i counted from (y, m) */
static int32_t month_first(int y, int m, int64_t i) {
  int64_t t = (int64_t)(m - 1) + i;
  return rouse__days_from_civil(y + (int)(t / 12), (int)(t % 12) + 1, 1);
}

int rouse_history_build(const rouse_ingest *ing, const rouse_history_opts *o, int n_threads,
                        rouse_history **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  if (!ing || !o || check_opts(o)) return ROUSE_MISUSE;
  int32_t as_of;
  int rc = rouse__summary_as_of(ing, o->as_of, &as_of);
  if (rc) return rc;

  struct hjob j;
  memset(&j, 0, sizeof j);
  j.parts = rouse__ingest_parts(ing);
  j.as_of = as_of;
  j.has_order = rouse__ingest_has_order(ing);
  j.dormant = o->dormant_days;
  j.shop = o->at_risk_shop_days;
  j.factor = o->at_risk_factor;
  j.min_rhythm = (uint32_t)o->min_rhythm;

  struct rouse_pool *pool = NULL;
  rouse_history *h = NULL;
  uint16_t *mon_of = NULL;
  int64_t *words = NULL;
  struct rouse_idmap own = {NULL, 0};
  size_t n_own = 0;
  for (size_t i = 0; i < o->n_ids; i++)
    n_own += o->dormant_days_of[i] > 0 && o->dormant_days_of[i] != o->dormant_days && o->ids[i];
  if (n_own) { /* only those who differ from the shop */
    if (rouse__idmap_init(&own, n_own)) return ROUSE_NOMEM;
    for (size_t i = 0; i < o->n_ids; i++) {
      int32_t d = o->dormant_days_of[i];
      if (d > 0 && d != o->dormant_days && o->ids[i]) rouse__idmap_put(&own, o->ids[i], d);
    }
    j.own = &own;
  }
  if ((rc = rouse__pool_new(n_threads, &pool))) {
    rouse__idmap_free(&own);
    return rc;
  }
  size_t threads = (size_t)rouse__pool_threads(pool);
  rc = ROUSE_NOMEM;
  j.acc = rouse__calloc(threads, sizeof *j.acc);
  if (!j.acc) goto out;

  /* 1. the earliest purchase and the customers: a scan of the customer records */
  j.n_tasks = threads;
  rouse__pool_run(pool, j.n_tasks, scan_task, &j);
  int32_t first = INT32_MAX;
  uint64_t customers = 0;
  for (size_t t = 0; t < j.n_tasks; t++) {
    if (j.acc[t].first < first) first = j.acc[t].first;
    customers += j.acc[t].customers;
  }
  if (!customers) {
    rc = ROUSE_EMPTY;
    goto out;
  }

  /* 2. the months and weeks */
  int y0, m0, y1, m1, dd;
  rouse_date_to_ymd(first, &y0, &m0, &dd);
  rouse_date_to_ymd(as_of - 1, &y1, &m1, &dd);
  int64_t total = ((int64_t)y1 - y0) * 12 + (m1 - m0) + 1;
  int64_t skip = total > o->max_months ? total - o->max_months : 0;
  j.n = (int)(total - skip);
  const size_t n = (size_t)j.n;
  j.week0 = first;
  j.nw = ((size_t)((int64_t)as_of - first) + 6) / 7;
  h = rouse__calloc(1, sizeof *h);
  if (!h) goto out;
  h->as_of = as_of;
  h->n_months = j.n;
  h->week0 = first;
  h->n_weeks = (int)j.nw;
  h->customers = customers;
  h->dormant_days = o->dormant_days;
  h->at_risk_shop_days = o->at_risk_shop_days;
  h->month_start = rouse__reallocarray(NULL, n + 1, sizeof *h->month_start);
  h->state_count = rouse__calloc(n * ROUSE_STATE_COUNT, sizeof *h->state_count);
  h->new_customers = rouse__calloc(n, sizeof *h->new_customers);
  h->buyers = rouse__calloc(n, sizeof *h->buyers);
  h->orders = rouse__calloc(n, sizeof *h->orders);
  h->revenue_e4 = rouse__calloc(n, sizeof *h->revenue_e4);
  h->cohort = rouse__calloc(n * n, sizeof *h->cohort);
  h->week_repeat = rouse__calloc(j.nw, sizeof *h->week_repeat);
  h->week_births = rouse__calloc(j.nw, sizeof *h->week_births);
  if (!h->month_start || !h->state_count || !h->new_customers || !h->buyers || !h->orders ||
      !h->revenue_e4 || !h->cohort || !h->week_repeat || !h->week_births)
    goto out;
  for (size_t k = 0; k <= n; k++) h->month_start[k] = month_first(y0, m0, skip + (int64_t)k);
  j.ms0 = h->month_start[0];
  size_t n_days = (size_t)((int64_t)as_of - j.ms0);
  mon_of = rouse__reallocarray(NULL, n_days, sizeof *mon_of);
  if (!mon_of) goto out;
  for (size_t k = 0; k < n; k++) {
    int32_t hi = h->month_start[k + 1] < as_of ? h->month_start[k + 1] : as_of;
    for (int32_t d = h->month_start[k]; d < hi; d++) mon_of[d - j.ms0] = (uint16_t)k;
  }
  j.mon_of = mon_of;

  /* 3. the pass, on as many tasks as the accumulators' budget allows */
  const size_t S = ROUSE_STATE_COUNT;
  size_t per_task = S * (n + 1) + 4 * n + n * n + 2 * j.nw; /* words */
  size_t fit = HIST_TASK_BUDGET / (per_task * sizeof(int64_t));
  j.n_tasks = fit < 1 ? 1 : fit < threads ? fit : threads;
  size_t all;
  if (!rouse__mul_size(per_task, j.n_tasks, &all)) goto out;
  words = rouse__calloc(all, sizeof *words);
  if (!words) goto out;
  for (size_t t = 0; t < j.n_tasks; t++) {
    struct acc *a = &j.acc[t];
    int64_t *w = words + t * per_task;
    a->diff = w;
    w += S * (n + 1);
    a->new_c = (uint64_t *)w;
    a->buyers = (uint64_t *)w + n;
    a->orders = (uint64_t *)w + 2 * n;
    a->rev = w + 3 * n;
    w += 4 * n;
    a->cohort = (uint64_t *)w;
    w += n * n;
    a->wrep = (uint64_t *)w;
    a->wbirth = (uint64_t *)w + j.nw;
    a->err = ROUSE_OK;
  }
  rouse__pool_run(pool, j.n_tasks, pass_task, &j);

  /* 4. sums in task order; the state counts from the difference arrays */
  int64_t *diff = rouse__calloc(S * (n + 1), sizeof *diff);
  if (!diff) goto out;
  for (size_t t = 0; t < j.n_tasks; t++) {
    const struct acc *a = &j.acc[t];
    if (a->err) {
      rouse__free(diff);
      rc = a->err;
      goto out;
    }
    for (size_t i = 0; i < S * (n + 1); i++) diff[i] += a->diff[i];
    for (size_t k = 0; k < n; k++) {
      h->new_customers[k] += a->new_c[k];
      h->buyers[k] += a->buyers[k];
      h->orders[k] += a->orders[k];
      h->revenue_e4[k] += a->rev[k];
    }
    for (size_t i = 0; i < n * n; i++) h->cohort[i] += a->cohort[i];
    for (size_t w = 0; w < j.nw; w++) {
      h->week_repeat[w] += a->wrep[w];
      h->week_births[w] += a->wbirth[w];
    }
  }
  for (size_t s = 0; s < S; s++) {
    int64_t run = 0;
    for (size_t k = 0; k < n; k++) {
      run += diff[s * (n + 1) + k];
      h->state_count[k * S + s] = (uint64_t)run;
    }
  }
  rouse__free(diff);
  rc = ROUSE_OK;
out:
  rouse__pool_free(pool);
  rouse__idmap_free(&own);
  rouse__free(words);
  rouse__free(mon_of);
  rouse__free(j.acc);
  if (rc) rouse_history_free(h);
  else *out = h;
  return rc;
}
