/* SPDX-License-Identifier: MIT
 * Dormancy thresholds per product category (rouse_categories_build, <rouse/rouse_category.h>):
 * the ingest keeps every purchase row's (customer, category, day) when the category column is
 * mapped; here they are sorted by customer, category and day (two stable radix sorts, once
 * for any number of as-of dates: struct rouse__catsort) to find
 * each customer's main category (the one with most of their purchase days), then by customer
 * and day to count the intervals between each customer's distinct purchase days for their
 * main category: the rhythm of the customers who mainly buy it, which their (whole-shop)
 * recency is then judged by. */
#include <math.h>
#include <stdlib.h>

#include "../segment/segment.h"
#include "category.h"
#include "state.h"

#define HIST_LEN ROUSE_INTERVAL_HIST_LEN

void rouse_category_opts_init(rouse_category_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  rouse_segment_interval_opts_init(&o->interval);
  o->min_intervals = 100;
}

void rouse_categories_free(rouse_categories *c) {
  if (!c) return;
  rouse__free((void *)c->name);
  rouse__free(c->buyers);
  rouse__free(c->customers);
  rouse__free(c->interval);
  rouse__free(c->dormant_days);
  rouse__free(c->main);
  rouse__free(c->bought);
  rouse__free(c->main_share);
  rouse__free(c);
}

struct name_ref {
  const char *p;
  size_t len;
  uint64_t hash;
};

static int cmp_name(const void *a, const void *b) {
  const struct name_ref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->p, y->p, n);
  if (c) return c;
  return (x->len > y->len) - (x->len < y->len);
}

static uint32_t day_key(int32_t day) { return (uint32_t)day ^ 0x80000000u; }

/* pairs (key = minor, val = major) sorted by (major, minor), and returned as (key = major,
 * val = minor): a stable sort on the minor key, then one on the major */
static int sort_major_minor(struct rouse_kv *kv, size_t m, struct rouse_pool *pool) {
  int rc = rouse__radix_sort_kv(kv, m, pool);
  for (size_t i = 0; !rc && i < m; i++) {
    uint64_t t = kv[i].key;
    kv[i].key = kv[i].val, kv[i].val = t;
  }
  return rc ? rc : rouse__radix_sort_kv(kv, m, pool);
}

/* The ingest's category rows sorted once, for the categories at any number of as-of dates
 * (the snapshots of the scoring): every name, and the rows as (customer hash, category |
 * day) sorted by (customer, category, day), and as (customer hash, day) sorted by
 * (customer, day). A build at an as-of date then passes over the rows before it. */
struct rouse__catsort {
  size_t K;            /* names, sorted by their bytes */
  struct name_ref *nr; /* into the ingest's strings */
  size_t m;
  struct rouse_kv *by_cat; /* key customer, val category << 32 | day key */
  struct rouse_kv *by_day; /* key customer, val day key */
};

void rouse__catsort_free(struct rouse__catsort *cs) {
  if (!cs) return;
  rouse__free(cs->nr);
  rouse__free(cs->by_cat);
  rouse__free(cs->by_day);
  rouse__free(cs);
}

int rouse__catsort_build(const rouse_ingest *ing, int n_threads, struct rouse__catsort **out) {
  *out = NULL;
  if (!ing) return ROUSE_MISUSE;
  struct rouse_catinfo ci;
  rouse__ingest_categories(ing, &ci);
  if (ci.overflow || !ci.n_rows || !ci.n_names) return ROUSE_EMPTY;
  struct rouse__catsort *cs = rouse__calloc(1, sizeof *cs);
  if (!cs) return ROUSE_NOMEM;
  size_t K = ci.n_names, m = ci.n_rows;
  uint32_t *idx_of_slot = rouse__calloc(ci.names_cap, sizeof *idx_of_slot);
  cs->nr = rouse__reallocarray(NULL, K, sizeof *cs->nr);
  cs->by_cat = rouse__reallocarray(NULL, m, sizeof *cs->by_cat);
  cs->by_day = rouse__reallocarray(NULL, m, sizeof *cs->by_day);
  struct rouse_pool *pool = NULL;
  int rc = ROUSE_NOMEM;
  if (!idx_of_slot || !cs->nr || !cs->by_cat || !cs->by_day) goto out;
  if ((rc = rouse__pool_new(n_threads, &pool))) goto out;
  rc = ROUSE_NOMEM;
  cs->K = K;
  cs->m = m;
  /* categories sorted by name; slot -> index */
  size_t k = 0;
  for (size_t j = 0; j < ci.names_cap; j++)
    if (ci.names[j].hash)
      cs->nr[k++] = (struct name_ref){ci.str + ci.names[j].off, ci.names[j].len, ci.names[j].hash};
  qsort(cs->nr, K, sizeof *cs->nr, cmp_name);
  for (size_t i = 0; i < K; i++) {
    size_t j = cs->nr[i].hash & (ci.names_cap - 1);
    while (ci.names[j].hash != cs->nr[i].hash) j = (j + 1) & (ci.names_cap - 1);
    idx_of_slot[j] = (uint32_t)i;
  }
  /* (category | day, customer) pairs, sorted by (customer, category, day) */
  for (size_t i = 0; i < m; i++) {
    const struct rouse_catrow *r = &ci.rows[i];
    size_t j = r->cat & (ci.names_cap - 1);
    while (ci.names[j].hash != r->cat) j = (j + 1) & (ci.names_cap - 1);
    cs->by_cat[i].key = (uint64_t)idx_of_slot[j] << 32 | day_key(r->day);
    cs->by_cat[i].val = r->cust;
  }
  if ((rc = sort_major_minor(cs->by_cat, m, pool))) goto out;
  /* (day, customer) -> by (customer, day) */
  for (size_t i = 0; i < m; i++) {
    cs->by_day[i].key = (uint32_t)cs->by_cat[i].val;
    cs->by_day[i].val = cs->by_cat[i].key;
  }
  rc = sort_major_minor(cs->by_day, m, pool);
out:
  rouse__pool_free(pool);
  rouse__free(idx_of_slot);
  if (rc) rouse__catsort_free(cs);
  else *out = cs;
  return rc;
}

/* the summary and the options (*op: defaults for NULL) checked; ROUSE_OK or ROUSE_MISUSE */
static int take_args(const rouse_summary *s, const rouse_category_opts *o,
                     rouse_category_opts *op) {
  rouse_category_opts_init(op);
  if (o) {
    if (o->struct_size < sizeof *op) return ROUSE_MISUSE;
    *op = *o;
  }
  return !s || (s->n && !s->id) || op->min_dormant_days < 0 ? ROUSE_MISUSE : ROUSE_OK;
}

int rouse__categories_from_sorted(const struct rouse__catsort *cs, const rouse_summary *s,
                                  const rouse_category_opts *o, rouse_categories **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_category_opts op;
  if (!cs || take_args(s, o, &op)) return ROUSE_MISUSE;
  const uint32_t end = day_key(s->as_of); /* rows before as_of: day key < end */
  const size_t m = cs->m;
  size_t K = 0;
  int rc = ROUSE_NOMEM;
  uint32_t *to = rouse__calloc(cs->K, sizeof *to); /* category -> its number among the used */
  struct rouse_kv *iv = NULL, *ids = NULL; /* intervals (category, gap); summary ids */
  struct rouse_kv *mains = NULL;           /* (customer hash, main category) */
  struct mix { uint32_t bought, main_days, all_days; } *mix = NULL; /* per entry of mains */
  uint64_t *hist = NULL, *repeat = NULL;
  const struct name_ref **names_used = NULL;
  rouse_categories *c = rouse__calloc(1, sizeof *c);
  if (!to || !c) goto out;

  /* the categories with a row before as_of, still in name order */
  uint64_t rows = 0;
  for (size_t i = 0; i < m; i++)
    if ((uint32_t)cs->by_cat[i].val < end) to[cs->by_cat[i].val >> 32] = 1, rows++;
  c->rows = rows;
  if (!rows) {
    rc = ROUSE_EMPTY;
    goto out;
  }
  names_used = rouse__reallocarray(NULL, cs->K, sizeof *names_used);
  if (!names_used) goto out;
  for (size_t i = 0; i < cs->K; i++) {
    if (!to[i]) continue;
    names_used[K] = &cs->nr[i];
    to[i] = (uint32_t)K++;
  }

  /* per customer, per category: distinct days -> buyers, the main category */
  iv = rouse__reallocarray(NULL, rows, sizeof *iv);
  mains = rouse__reallocarray(NULL, rows, sizeof *mains);
  mix = rouse__reallocarray(NULL, rows, sizeof *mix);
  repeat = rouse__calloc(K, sizeof *repeat);
  c->buyers = rouse__calloc(K, sizeof *c->buyers);
  c->customers = rouse__calloc(K, sizeof *c->customers);
  if (!iv || !mains || !mix || !repeat || !c->buyers || !c->customers) goto out;
  const struct rouse_kv *kv = cs->by_cat;
  size_t niv = 0, nmain = 0;
  for (size_t i = 0; i < m;) {
    uint64_t cust = kv[i].key;
    uint32_t best = 0, best_days = 0, bought = 0, all_days = 0;
    while (i < m && kv[i].key == cust) {
      uint32_t cat = (uint32_t)(kv[i].val >> 32);
      uint32_t nd = 0, prev = 0;
      for (; i < m && kv[i].key == cust && (uint32_t)(kv[i].val >> 32) == cat; i++) {
        uint32_t d = (uint32_t)kv[i].val;
        if (d >= end) continue; /* after as_of (days ascend: the rest of the group too) */
        if (!nd || d != prev) nd++; /* the same day: one purchase day */
        prev = d;
      }
      if (!nd) continue;
      uint32_t cu = to[cat];
      c->buyers[cu]++;
      bought++;
      all_days += nd;
      if (nd > best_days) best = cu, best_days = nd; /* categories ascend: ties keep the first */
    }
    if (!bought) continue; /* no row before as_of */
    mix[nmain] = (struct mix){bought, best_days, all_days};
    mains[nmain].key = cust;
    mains[nmain++].val = best;
  }

  /* the intervals between each customer's distinct purchase days (in any category), counted
   * for their main category: the rhythm of the customers who mainly buy it */
  const struct rouse_kv *kd = cs->by_day;
  for (size_t i = 0, j = 0; i < m;) {
    uint64_t cust = kd[i].key;
    while (j < nmain && mains[j].key < cust) j++; /* both ascend by customer */
    if (j >= nmain || mains[j].key != cust) { /* nothing before as_of */
      while (i < m && kd[i].key == cust) i++;
      continue;
    }
    uint32_t cat = (uint32_t)mains[j].val, nd = 0, prev = 0;
    for (; i < m && kd[i].key == cust; i++) {
      uint32_t d = (uint32_t)kd[i].val;
      if (d >= end || (nd && d == prev)) continue;
      if (nd) {
        uint64_t gap = d - prev;
        iv[niv].key = (uint64_t)cat << 32 | (gap < HIST_LEN - 1 ? gap : HIST_LEN - 1);
        iv[niv++].val = 0;
      }
      prev = d;
      nd++;
    }
    if (nd >= 2) repeat[cat]++;
  }
  /* per category: a histogram of its intervals, the shop's rule on it */
  if ((rc = rouse__radix_sort_kv(iv, niv, NULL))) goto out;
  rc = ROUSE_NOMEM;
  hist = rouse__calloc(HIST_LEN, sizeof *hist);
  c->interval = rouse__calloc(K, sizeof *c->interval);
  c->dormant_days = rouse__calloc(K, sizeof *c->dormant_days);
  if (!hist || !c->interval || !c->dormant_days) goto out;
  for (size_t cat = 0, a = 0; cat < K; cat++) {
    memset(hist, 0, HIST_LEN * sizeof *hist);
    for (; a < niv && (iv[a].key >> 32) == cat; a++) hist[(uint32_t)iv[a].key]++;
    if ((rc = rouse__interval_stats_hist(hist, HIST_LEN, repeat[cat], &op.interval,
                                         &c->interval[cat])))
      goto out;
    c->dormant_days[cat] =
        c->interval[cat].intervals >= op.min_intervals ? c->interval[cat].threshold_days : 0;
    if (c->dormant_days[cat] && c->dormant_days[cat] < op.min_dormant_days)
      c->dormant_days[cat] = op.min_dormant_days; /* the floor */
  }

  /* the summary's customers: their main category through the id hash */
  rc = ROUSE_NOMEM;
  c->n_rows = s->n;
  c->main = rouse__reallocarray(NULL, s->n ? s->n : 1, sizeof *c->main);
  c->bought = rouse__calloc(s->n ? s->n : 1, sizeof *c->bought);
  c->main_share = rouse__reallocarray(NULL, s->n ? s->n : 1, sizeof *c->main_share);
  ids = rouse__reallocarray(NULL, s->n ? s->n : 1, sizeof *ids);
  if (!c->main || !c->bought || !c->main_share || !ids) goto out;
  for (size_t i = 0; i < s->n; i++) {
    ids[i].key = rouse__hash64(s->id[i], strlen(s->id[i]));
    ids[i].val = i;
    c->main[i] = -1;
    c->main_share[i] = NAN;
  }
  if ((rc = rouse__radix_sort_kv(ids, s->n, NULL))) goto out;
  for (size_t i = 0, j = 0; i < s->n; i++) {
    while (j < nmain && mains[j].key < ids[i].key) j++;
    if (j < nmain && mains[j].key == ids[i].key) {
      size_t r = ids[i].val;
      c->main[r] = (int32_t)mains[j].val;
      c->bought[r] = mix[j].bought;
      c->main_share[r] = (float)((double)mix[j].main_days / (double)mix[j].all_days);
      c->customers[mains[j].val]++;
    }
  }

  /* names: pointers into one block after the array */
  size_t bytes = K * sizeof(char *);
  for (size_t i = 0; i < K; i++) bytes += names_used[i]->len + 1;
  char **names = rouse__malloc(bytes);
  if (!names) {
    rc = ROUSE_NOMEM;
    goto out;
  }
  char *q = (char *)(names + K);
  for (size_t i = 0; i < K; i++) {
    memcpy(q, names_used[i]->p, names_used[i]->len);
    q[names_used[i]->len] = '\0';
    names[i] = q;
    q += names_used[i]->len + 1;
  }
  c->name = (const char *const *)names;
  c->n = K;
  rc = ROUSE_OK;
out:
  rouse__free(to);
  rouse__free(names_used);
  rouse__free(iv);
  rouse__free(ids);
  rouse__free(mains);
  rouse__free(mix);
  rouse__free(hist);
  rouse__free(repeat);
  if (rc) rouse_categories_free(c);
  else *out = c;
  return rc;
}

int rouse_categories_build(const rouse_ingest *ing, const rouse_summary *s,
                           const rouse_category_opts *o, rouse_categories **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_category_opts op;
  if (!ing || take_args(s, o, &op)) return ROUSE_MISUSE; /* before the sort */
  struct rouse__catsort *cs = NULL;
  int rc = rouse__catsort_build(ing, 1, &cs);
  if (!rc) rc = rouse__categories_from_sorted(cs, s, o, out);
  rouse__catsort_free(cs);
  return rc;
}
