/* SPDX-License-Identifier: MIT
 * Rollup: per-customer state -> summary columns (the RFM / BTYD table), sorted by customer
 * id. Each customer's sorted entry list (orders or per-day row counts with their amounts,
 * return days, cancellations) gives the counts, recency, interval statistics and spend
 * exactly, for any as-of date up to the ingest window end: entries on or after as_of are
 * skipped. Work is split into fixed blocks of output rows, so the result is the same at any
 * thread count.
 * docs/summary.md defines every column. */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdlib.h>

#include "state.h"

/* the summary's private storage: customer ids, one blob per fill block */
struct blobs {
  size_t n;
  char *blob[];
};

/* The customers to summarise are struct rouse_kv (base.h) pairs: key = the numeric id value
 * (or unused), val = the customer's location: id length << 40 | partition << 32 | index */

static inline uint64_t make_loc(unsigned id_len, unsigned p, uint32_t i) {
  return (uint64_t)id_len << 40 | (uint64_t)p << 32 | i;
}
static inline unsigned loc_part(uint64_t loc) { return (unsigned)(loc >> 32) & 0xFFu; }
static inline unsigned loc_idlen(uint64_t loc) { return (unsigned)(loc >> 40); }

static inline const struct cust *ref_cust(const struct part *parts, uint64_t loc) {
  return &parts[loc_part(loc)].c[(uint32_t)loc];
}

/* the id bytes (not NUL-terminated): inline up to 16 bytes, else in the string pool */
static inline const char *cust_id(const struct part *parts, uint64_t loc) {
  const struct part *P = &parts[loc_part(loc)];
  const struct cust *c = &P->c[(uint32_t)loc];
  return c->id_len <= 16 ? (const char *)c->k : P->str + c->id_off;
}

/* canonical unsigned integer (no sign, no leading zero, <= 19 digits)? */
static bool numeric_id(const char *s, size_t n, uint64_t *v) {
  if (n == 0 || n > 19 || (s[0] == '0' && n > 1)) return false;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + (uint64_t)(s[i] - '0');
  }
  *v = x;
  return true;
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return n > 0;
}

/* Total order on ids: digit strings first, by numeric value (leading zeros ignored, then
 * fewer leading zeros first); other ids after, bytewise. */
int rouse__id_compare(const char *a, size_t na, const char *b, size_t nb) {
  bool da = all_digits(a, na), db = all_digits(b, nb);
  if (da != db) return da ? -1 : 1;
  if (da) {
    size_t za = 0, zb = 0;
    while (za + 1 < na && a[za] == '0') za++;
    while (zb + 1 < nb && b[zb] == '0') zb++;
    if (na - za != nb - zb) return na - za < nb - zb ? -1 : 1;
    int c = memcmp(a + za, b + zb, na - za);
    if (c) return c;
    return na < nb ? -1 : na > nb;
  }
  size_t m = na < nb ? na : nb;
  int c = memcmp(a, b, m);
  if (c) return c;
  return na < nb ? -1 : na > nb;
}

static int cmp_ref(const void *x, const void *y, void *ctx) {
  const struct rouse_kv *a = x, *b = y;
  const struct part *P = ctx;
  const struct cust *ca = ref_cust(P, a->val), *cb = ref_cust(P, b->val);
  return rouse__id_compare(cust_id(P, a->val), ca->id_len, cust_id(P, b->val), cb->id_len);
}

/* Collecting the customers with a purchase, per partition in parallel: count, then fill the
 * partition's slice of refs (partition order, then customer order: deterministic). */
struct collect_job {
  const struct part *parts;
  struct rouse_kv *refs;
  size_t n[256], off[256];
  uint64_t without[256];
  bool numeric[256];
  int32_t as_of; /* customers whose first purchase is before it */
  int parts_used; /* only customers in partitions [0, parts_used): the sample */
};

/* has the customer (with no purchase before as_of) a return or cancellation before it? */
static bool entry_before(const struct part *P, const struct cust *c, int32_t as_of) {
  if (!(c->flags & CUST_UNSORTED)) return c->ev_n && rouse__entry_day(c->inl[0].key) < as_of;
  for (uint32_t k = 0; k < rouse__cust_inline(c); k++)
    if (rouse__entry_day(c->inl[k].key) < as_of) return true;
  const struct ent *t = rouse__cust_spilled(c) ? rouse__cust_tail(P, c) : NULL;
  for (uint32_t k = 0; k < rouse__cust_spilled(c); k++)
    if (rouse__entry_day(t[k].key) < as_of) return true;
  return false;
}

static void collect_count(void *arg, size_t p) {
  struct collect_job *j = arg;
  const struct part *P = &j->parts[p];
  size_t n = 0;
  uint64_t without = 0;
  for (uint32_t i = 0; (int)p < j->parts_used && i < P->n; i++) {
    const struct cust *c = &P->c[i];
    if (c->first_day < j->as_of) n++;
    else if (c->win_rows) without += entry_before(P, c, j->as_of);
  }
  j->n[p] = n;
  j->without[p] = without;
}

static void collect_fill(void *arg, size_t p) {
  struct collect_job *j = arg;
  const struct part *P = &j->parts[p];
  struct rouse_kv *out = j->refs + j->off[p];
  bool numeric = true;
  for (uint32_t i = 0; (int)p < j->parts_used && i < P->n; i++) {
    const struct cust *c = &P->c[i];
    if (c->first_day >= j->as_of) continue;
    out->val = make_loc(c->id_len, (unsigned)p, i);
    out->key = 0;
    if (numeric && !numeric_id(cust_id(j->parts, out->val), c->id_len, &out->key)) numeric = false;
    out++;
  }
  j->numeric[p] = numeric;
}

void rouse_summary_opts_init(rouse_summary_opts *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->as_of = INT32_MIN;
  o->holdout_end = INT32_MIN;
  o->split_day = INT32_MIN;
  o->unit_days = 1;
}

void rouse__rollup_free_columns(rouse_summary *s) {
  rouse__free((void *)s->id);
  rouse__free(s->first_day);
  rouse__free(s->last_day);
  rouse__free(s->orders);
  rouse__free(s->purchase_days);
  rouse__free(s->x);
  rouse__free(s->t_x);
  rouse__free(s->T);
  rouse__free(s->total_e4);
  rouse__free(s->returned_e4);
  rouse__free(s->repeat_e4);
  rouse__free(s->mean_repeat);
  rouse__free(s->mean_interval);
  rouse__free(s->interval_cv);
  rouse__free(s->sum_log_interval);
  rouse__free(s->cancelled_orders);
  rouse__free(s->holdout_x);
  rouse__free(s->before_days);
  rouse__free(s->before_orders);
  rouse__free(s->before_total_e4);
  rouse__free(s->max_interval);
  rouse__free(s->last_interval);
}

void rouse_summary_free(rouse_summary *s) {
  if (!s) return;
  struct blobs *bl = s->internal_;
  if (bl) {
    for (size_t i = 0; i < bl->n; i++) rouse__free(bl->blob[i]);
    rouse__free(bl);
  }
  rouse__rollup_free_columns(s);
  rouse__free(s->interval_hist);
  rouse__free(s);
}

/* Rows [lo, hi) of the sorted customers into the arrays of `out` at [0, hi - lo). The ids are
 * copied into a new blob (*blob_out, caller frees). @return ROUSE_OK or ROUSE_NOMEM. */
int rouse__rollup_fill(const struct rouse_rollup *j, size_t lo, size_t hi, rouse_summary *s,
                       char **blob_out, uint64_t *hist) {
  const int32_t as_of = j->as_of;
  const bool has_order = j->has_order;
  const double unit = (double)j->unit_days;
  size_t bytes = 0;
  for (size_t i = lo; i < hi; i++) bytes += loc_idlen(j->refs[i].val) + 1u;
  char *blob = *blob_out = rouse__malloc(bytes), *blob0 = blob;
  if (!blob) return ROUSE_NOMEM;
  struct ent stack_sorted[256], *sorted = stack_sorted;
  uint32_t sort_cap = 256;
  /* prefetch pipeline: customer struct 16 ahead; its long id / spilled entries 8 ahead */
  for (size_t i = lo; i < hi; i++) {
    if (i + 16 < hi) {
      const char *cp = (const char *)ref_cust(j->parts, j->refs[i + 16].val);
      __builtin_prefetch(cp);
      __builtin_prefetch(cp + 64);
    }
    if (i + 8 < hi) {
      uint64_t l8 = j->refs[i + 8].val;
      const struct cust *c8 = ref_cust(j->parts, l8);
      if (c8->ev_n > CUST_INLINE_EV) __builtin_prefetch(j->parts[loc_part(l8)].ev + c8->ev_off);
      if (c8->id_len > 16) __builtin_prefetch(j->parts[loc_part(l8)].str + c8->id_off);
    }
    const struct part *P = &j->parts[loc_part(j->refs[i].val)];
    const struct cust *c = &P->c[(uint32_t)j->refs[i].val];
    if (c->id_len <= 16) memcpy(blob, c->k, c->id_len);
    else memcpy(blob, P->str + c->id_off, c->id_len);
    blob[c->id_len] = '\0';
    s->id[i - lo] = blob;
    blob += c->id_len + 1u;
    /* the entries in two segments: inline, then spilled */
    const struct ent *seg[2] = {c->inl, NULL};
    uint32_t segn[2] = {rouse__cust_inline(c), rouse__cust_spilled(c)};
    if (segn[1]) seg[1] = rouse__cust_tail(P, c);
    uint32_t ev_n = c->ev_n;
    if (c->flags & CUST_UNSORTED) {
      /* appended out of order since the list last filled up: sort a copy */
      if (ev_n > sort_cap) {
        if (sorted != stack_sorted) rouse__free(sorted);
        sort_cap = ev_n;
        sorted = rouse__reallocarray(NULL, sort_cap, sizeof *sorted);
        if (!sorted) {
          rouse__free(blob0);
          *blob_out = NULL;
          return ROUSE_NOMEM;
        }
      }
      memcpy(sorted, seg[0], (size_t)segn[0] * sizeof *sorted);
      if (segn[1]) memcpy(sorted + segn[0], seg[1], (size_t)segn[1] * sizeof *sorted);
      seg[0] = sorted;
      segn[0] = rouse__sort_merge_ent(sorted, ev_n);
      segn[1] = 0;
    }
    uint32_t days = 0, orders = 0, cancels = 0, hold = 0;
    int32_t first = INT32_MIN, last = INT32_MIN, last_hold = INT32_MIN;
    int64_t sumsq = 0;
    int64_t first_amt = 0, repeat_amt = 0, returned = 0; /* before as_of */
    uint32_t max_gap = 0, last_gap = 0;
    double sumlog = 0; /* Σ log(interval in days) */
    const int32_t split = j->split_day; /* INT32_MIN: nothing is before it */
    uint32_t b_days = 0, b_orders = 0;
    int64_t b_total = 0;
    for (int g = 0; g < 2; g++) {
      const struct ent *e = seg[g];
      for (uint32_t k = 0; k < segn[g]; k++) {
        const uint64_t key = e[k].key;
        int32_t d = rouse__entry_day(key);
        bool canc = rouse__entry_cancel(key);
        if (d >= as_of) {
          if (!canc && !rouse__entry_return(key) && d <= j->holdout_end && d != last_hold) {
            hold++;
            last_hold = d;
          }
          continue;
        }
        if (canc) {
          cancels += has_order ? 1u : rouse__entry_rows(key);
          continue;
        }
        if (rouse__entry_return(key)) {
          returned += e[k].val;
          if (d < split) b_total -= e[k].val;
          continue;
        }
        orders += has_order ? 1u : rouse__entry_rows(key);
        if (d < split) {
          b_orders += has_order ? 1u : rouse__entry_rows(key);
          b_total += e[k].val;
          if (d != last) b_days++;
        }
        if (d != last) {
          if (last != INT32_MIN) {
            uint32_t gap = (uint32_t)(d - last);
            sumsq += (int64_t)gap * gap;
            sumlog += log((double)gap);
            if (gap > max_gap) max_gap = gap;
            last_gap = gap;
            if (hist) hist[gap < ROUSE_INTERVAL_HIST_LEN - 1 ? gap : ROUSE_INTERVAL_HIST_LEN - 1]++;
          }
          else first = d;
          days++;
          last = d;
        }
        if (days == 1) first_amt += e[k].val;
        else repeat_amt += e[k].val;
      }
    }
    s->first_day[i - lo] = first;
    s->last_day[i - lo] = last;
    s->orders[i - lo] = orders;
    s->purchase_days[i - lo] = days;
    uint32_t x = days - 1;
    s->x[i - lo] = x;
    s->t_x[i - lo] = (double)(last - first) / unit;
    s->T[i - lo] = (double)(as_of - 1 - first) / unit;
    bool amounts = !j->timing_only;
    s->total_e4[i - lo] = amounts ? first_amt + repeat_amt - returned : 0;
    s->returned_e4[i - lo] = amounts ? returned : 0;
    s->repeat_e4[i - lo] = amounts ? repeat_amt : 0;
    s->cancelled_orders[i - lo] = cancels;
    s->max_interval[i - lo] = max_gap;
    s->last_interval[i - lo] = last_gap;
    if (s->holdout_x) s->holdout_x[i - lo] = hold;
    if (s->before_days) { /* as a summary at split_day: nothing for a customer newer than it */
      bool in = b_days > 0;
      s->before_days[i - lo] = b_days;
      s->before_orders[i - lo] = in ? b_orders : 0;
      s->before_total_e4[i - lo] = in && amounts ? b_total : 0;
    }
    s->sum_log_interval[i - lo] = days > 1 ? sumlog - (days - 1) * log(unit) : 0.0;
    if (x > 0) {
      s->mean_repeat[i - lo] = amounts ? (double)repeat_amt / 1e4 / x : NAN;
      double m = (double)(last - first) / x; /* days */
      s->mean_interval[i - lo] = m / unit;
      if (x >= 2) {
        double var = ((double)sumsq - x * m * m) / (x - 1);
        s->interval_cv[i - lo] = var > 0 ? sqrt(var) / m : 0.0;
      } else
        s->interval_cv[i - lo] = NAN;
    } else {
      s->mean_repeat[i - lo] = NAN;
      s->mean_interval[i - lo] = NAN;
      s->interval_cv[i - lo] = NAN;
    }
  }
  if (sorted != stack_sorted) rouse__free(sorted);
  return ROUSE_OK;
}

struct fill_job {
  const struct rouse_rollup *r;
  rouse_summary *s;
  char **blobs;   /* one id blob per block */
  uint64_t *hist; /* one interval histogram per block, summed afterwards */
  int err;
};

static void fill_task(void *arg, size_t b) {
  struct fill_job *j = arg;
  size_t lo = b * ROUSE_ROLLUP_BLOCK;
  size_t hi = lo + ROUSE_ROLLUP_BLOCK < j->r->n ? lo + ROUSE_ROLLUP_BLOCK : j->r->n;
  rouse_summary v = *j->s; /* a view of rows [lo, hi) */
#define OFF(col) v.col = j->s->col ? j->s->col + lo : NULL
  OFF(id); OFF(first_day); OFF(last_day); OFF(orders); OFF(purchase_days); OFF(x); OFF(t_x);
  OFF(T); OFF(total_e4); OFF(returned_e4); OFF(repeat_e4); OFF(mean_repeat); OFF(mean_interval);
  OFF(interval_cv); OFF(sum_log_interval); OFF(cancelled_orders); OFF(holdout_x);
  OFF(before_days); OFF(before_orders); OFF(before_total_e4);
  OFF(max_interval); OFF(last_interval);
#undef OFF
  if (rouse__rollup_fill(j->r, lo, hi, &v, &j->blobs[b], j->hist + b * ROUSE_INTERVAL_HIST_LEN))
    j->err = ROUSE_NOMEM;
}


void rouse__rollup_release(struct rouse_rollup *r) {
  rouse__free(r->refs);
  memset(r, 0, sizeof *r);
}

int rouse__summary_as_of(const rouse_ingest *ing, int32_t as_of, int32_t *out) {
  int32_t wend = rouse__ingest_window_end(ing);
  if (as_of == INT32_MIN) {
    rouse_ingest_stats st;
    rouse_ingest_get_stats(ing, &st);
    if (wend != INT32_MAX) as_of = wend;
    else if (st.last_day_in_window != INT32_MIN) as_of = st.last_day_in_window + 1;
    else return ROUSE_EMPTY;
  } else if (wend != INT32_MAX && as_of > wend) {
    return ROUSE_MISUSE; /* rows on/after the window end were not kept */
  }
  *out = as_of;
  return ROUSE_OK;
}

int rouse__rollup_prepare(const rouse_ingest *ing, const rouse_summary_opts *o, int n_threads,
                          struct rouse_rollup *r) {
  memset(r, 0, sizeof *r);
  if (!ing || !o || o->struct_size < sizeof *o || (o->unit_days != 1 && o->unit_days != 7) ||
      !(o->sample_fraction >= 0 && o->sample_fraction <= 1))
    return ROUSE_MISUSE;
  rouse_ingest_stats st;
  rouse_ingest_get_stats(ing, &st);
  int32_t as_of;
  int rc0 = rouse__summary_as_of(ing, o->as_of, &as_of);
  if (rc0) return rc0;
  if (o->split_day != INT32_MIN && o->split_day > as_of) return ROUSE_MISUSE;
  if (o->holdout_end != INT32_MIN && o->holdout_end >= rouse__ingest_keep_end(ing))
    return ROUSE_MISUSE;
  const struct part *parts = rouse__ingest_parts(ing);
  struct rouse_pool *pool = NULL;
  struct collect_job *cj = rouse__calloc(1, sizeof *cj);
  int rc = cj ? rouse__pool_new(n_threads, &pool) : ROUSE_NOMEM;
  if (rc) {
    rouse__free(cj);
    return rc;
  }
  cj->parts = parts;
  cj->as_of = as_of;
  cj->parts_used = NPART;
  if (o->sample_fraction > 0 && o->sample_fraction < 1) {
    /* the partition is the top byte of the id hash: the first k partitions are a
     * deterministic sample of about k/256 of the customers, the same ones at any as_of */
    cj->parts_used = (int)ceil(o->sample_fraction * NPART);
    if (cj->parts_used < 1) cj->parts_used = 1;
  }
  rouse__pool_run(pool, 256, collect_count, cj);
  size_t n = 0;
  uint64_t without = 0;
  for (int p = 0; p < 256; p++) {
    cj->off[p] = n;
    n += cj->n[p];
    without += cj->without[p];
  }
  struct rouse_kv *refs = n ? rouse__reallocarray(NULL, n, sizeof *refs) : NULL;
  if (!n) rc = ROUSE_EMPTY;
  else if (!refs) rc = ROUSE_NOMEM;
  bool numeric = true;
  if (!rc) {
    cj->refs = refs;
    rouse__pool_run(pool, 256, collect_fill, cj);
    for (int p = 0; p < 256; p++) numeric &= cj->numeric[p];
    if (numeric) rc = rouse__radix_sort_kv(refs, n, pool);
    else qsort_r(refs, n, sizeof *refs, cmp_ref, (void *)parts);
  }
  rouse__pool_free(pool);
  rouse__free(cj);
  if (rc) {
    rouse__free(refs);
    return rc;
  }
  r->parts = parts;
  r->refs = refs;
  r->n = n;
  r->without = without;
  r->has_order = rouse__ingest_has_order(ing);
  r->timing_only = o->timing_only != 0;
  r->has_amount = rouse__ingest_has_amount(ing) && !r->timing_only;
  r->as_of = as_of;
  r->holdout_end = o->holdout_end;
  r->split_day = o->split_day;
  r->unit_days = o->unit_days;
  r->first_day = st.first_day;
  return ROUSE_OK;
}

int rouse__rollup_alloc_columns(rouse_summary *s, size_t n, bool holdout, bool split) {
#define ALLOC(col) (s->col = rouse__reallocarray(NULL, n, sizeof *s->col)) == NULL
  if (ALLOC(id) || ALLOC(first_day) || ALLOC(last_day) || ALLOC(orders) ||
      ALLOC(purchase_days) || ALLOC(x) || ALLOC(t_x) || ALLOC(T) || ALLOC(total_e4) ||
      ALLOC(returned_e4) || ALLOC(repeat_e4) || ALLOC(mean_repeat) || ALLOC(mean_interval) ||
      ALLOC(interval_cv) || ALLOC(sum_log_interval) || ALLOC(cancelled_orders) ||
      ALLOC(max_interval) || ALLOC(last_interval))
    return ROUSE_NOMEM;
  if (holdout && ALLOC(holdout_x)) return ROUSE_NOMEM;
  if (split && (ALLOC(before_days) || ALLOC(before_orders) || ALLOC(before_total_e4)))
    return ROUSE_NOMEM;
#undef ALLOC
  return ROUSE_OK;
}

int rouse_summary_build(const rouse_ingest *ing, const rouse_summary_opts *o, int n_threads,
                        rouse_summary **out) {
  *out = NULL;
  struct rouse_rollup r;
  int rc = rouse__rollup_prepare(ing, o, n_threads, &r);
  if (rc) return rc;
  size_t n = r.n, nblocks = (n + ROUSE_ROLLUP_BLOCK - 1) / ROUSE_ROLLUP_BLOCK;
  rouse_summary *s = rouse__calloc(1, sizeof *s);
  struct blobs *bl = rouse__calloc(1, sizeof *bl + nblocks * sizeof(char *));
  rc = ROUSE_NOMEM;
  if (!s || !bl) goto fail;
  bl->n = nblocks;
  s->internal_ = bl;
  s->n = n;
  s->as_of = r.as_of;
  s->unit_days = r.unit_days;
  s->has_amount = r.has_amount;
  s->customers_without_purchase = r.without;
  if ((rc = rouse__rollup_alloc_columns(s, n, o->holdout_end != INT32_MIN,
                                        o->split_day != INT32_MIN)))
    goto fail;
  uint64_t *hist = rouse__calloc(nblocks * ROUSE_INTERVAL_HIST_LEN, sizeof *hist);
  s->interval_hist = rouse__calloc(ROUSE_INTERVAL_HIST_LEN, sizeof *s->interval_hist);
  if (!hist || !s->interval_hist) {
    rouse__free(hist);
    rc = ROUSE_NOMEM;
    goto fail;
  }
  s->interval_hist_len = ROUSE_INTERVAL_HIST_LEN;
  struct fill_job j = {&r, s, bl->blob, hist, ROUSE_OK};
  struct rouse_pool *pool = NULL;
  if ((rc = rouse__pool_new(n_threads, &pool))) {
    rouse__free(hist);
    goto fail;
  }
  rouse__pool_run(pool, nblocks, fill_task, &j);
  rouse__pool_free(pool);
  for (size_t b = 0; b < nblocks; b++)
    for (size_t d = 0; d < ROUSE_INTERVAL_HIST_LEN; d++)
      s->interval_hist[d] += hist[b * ROUSE_INTERVAL_HIST_LEN + d];
  rouse__free(hist);
  if ((rc = j.err)) goto fail;
  rouse__rollup_release(&r);
  *out = s;
  return ROUSE_OK;
fail:
  rouse__rollup_release(&r);
  if (!s) rouse__free(bl);
  rouse_summary_free(s);
  return rc;
}
