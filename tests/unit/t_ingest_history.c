/* SPDX-License-Identifier: MIT
 * History aggregates (lib/ingest/history.c) against a brute force built from the public API
 * only: for every month end end_k a summary (rouse_summary_build at as_of = end_k) and its
 * lifecycle states (rouse_segment_lifecycle without p_alive and withdrawn flags, with the
 * same thresholds given), and the month's figures from the differences of consecutive
 * summaries matched by customer id; the same for week ends. Data:
 *   1. a hand-made export with order ids (repeat and one-time buyers, line items, same-day
 *      orders, rows without an order id, returns, cancellations, a customer who goes dormant
 *      and comes back, rows out of order), with hand-checked values too;
 *   2. the same rows without the order-id column (orders count rows);
 *   3. a seeded random export: a few thousand customers over three years, rows shuffled;
 *   4. data/cdnow_sample/transactions.csv with the thresholds of its own lifecycle, and with
 *      a kept window of 6 months;
 * each at 1 and 4 threads (identical results), and the argument checks. */
#include <stdbool.h>
#include <stdlib.h>

#include "../numeric/model_data.h"
#include "harness.h"

#define D(y, m, d) rouse_date_from_ymd(y, m, d)
#define S_N ROUSE_STATE_COUNT

/*---------------------------------------------------------------------
 * Helpers
 *--------------------------------------------------------------------*/
static rouse_ingest *load_mem(const char *data, size_t len, int32_t window_end) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 2;
  o.window_end = window_end;
  rouse_ingest *ing = NULL;
  if (rouse_ingest_new(&o, &ing) || rouse_ingest_memory(ing, "hist.csv", data, len)) {
    rouse_ingest_free(ing);
    return NULL;
  }
  return ing;
}

/* the summary at as_of (NULL when nobody has bought before it); *rc its status */
static rouse_summary *snap(const rouse_ingest *ing, int32_t as_of, int *rc) {
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  so.as_of = as_of;
  rouse_summary *s = NULL;
  *rc = rouse_summary_build(ing, &so, 2, &s);
  return s;
}

/* per customer of `cur`, the change since `prev` (a subset, in the same id order) */
struct delta {
  uint32_t days, orders;
  int64_t total;
  bool born; /* not in prev */
};

static struct delta *deltas(const rouse_summary *prev, const rouse_summary *cur) {
  struct delta *dl = calloc(cur->n ? cur->n : 1, sizeof *dl);
  size_t p = 0;
  for (size_t i = 0; i < cur->n; i++) {
    bool in = prev && p < prev->n && !strcmp(prev->id[p], cur->id[i]);
    dl[i].born = !in;
    dl[i].days = cur->purchase_days[i] - (in ? prev->purchase_days[p] : 0);
    dl[i].orders = cur->orders[i] - (in ? prev->orders[p] : 0);
    dl[i].total = cur->total_e4[i] - (in ? prev->total_e4[p] : 0);
    if (in) p++;
  }
  if (prev && p != prev->n) { /* a customer of prev missing from cur: the reference is broken */
    printf("# brute force: %zu of %zu earlier customers matched\n", p, prev->n);
    dl[0].born = true;
    dl[0].days = UINT32_MAX;
  }
  return dl;
}

static int month_index(const rouse_history *h, int32_t d) {
  if (d < h->month_start[0]) return -1;
  for (int k = 0; k < h->n_months; k++)
    if (d < h->month_start[k + 1]) return k;
  return h->n_months;
}

static void lc_opts(const rouse_history_opts *ho, rouse_lifecycle_opts *lo) {
  rouse_segment_lifecycle_opts_init(lo);
  lo->dormant_days = ho->dormant_days;
  lo->at_risk_shop_days = ho->at_risk_shop_days;
  lo->at_risk_factor = ho->at_risk_factor;
  lo->min_rhythm = ho->min_rhythm;
}

/* Everything in h against the brute force; returns the number of differences (printing the
 * first few). */
static size_t brute_check(const rouse_ingest *ing, const rouse_history_opts *ho,
                          const rouse_history *h, const char *name) {
  size_t bad = 0;
#define BAD(...)                                                                     \
  do {                                                                               \
    if (bad++ < 10) {                                                                \
      printf("# %s: ", name);                                                        \
      printf(__VA_ARGS__);                                                           \
      printf("\n");                                                                  \
    }                                                                                \
  } while (0)
  int rc;
  rouse_summary *fin = snap(ing, h->as_of, &rc);
  if (!fin) {
    BAD("no summary at the as-of date (%d)", rc);
    return bad;
  }
  const int n = h->n_months;
  /* the calendar: consecutive first days of months, the last month holding as_of - 1, the
   * first the earliest purchase (or max_months months kept) */
  int32_t earliest = INT32_MAX;
  for (size_t i = 0; i < fin->n; i++)
    if (fin->first_day[i] < earliest) earliest = fin->first_day[i];
  if (h->customers != fin->n) BAD("customers %llu != %zu", (unsigned long long)h->customers, fin->n);
  if (n < 1 || n > ho->max_months) BAD("n_months %d", n);
  for (int k = 0; k <= n && n >= 1; k++) {
    int y, m, d;
    rouse_date_to_ymd(h->month_start[k], &y, &m, &d);
    if (d != 1) BAD("month_start[%d] is not a first day", k);
    if (k > 0) {
      int py, pm, pd;
      rouse_date_to_ymd(h->month_start[k - 1], &py, &pm, &pd);
      if ((pm == 12 ? D(py + 1, 1, 1) : D(py, pm + 1, 1)) != h->month_start[k])
        BAD("month_start[%d] does not follow month_start[%d]", k, k - 1);
    }
  }
  if (!(h->month_start[n - 1] <= h->as_of - 1 && h->as_of - 1 < h->month_start[n]))
    BAD("the last month does not hold as_of - 1");
  if (n < ho->max_months ? !(h->month_start[0] <= earliest && earliest < h->month_start[1])
                         : h->month_start[0] < earliest - 31)
    BAD("the first month does not hold the earliest purchase");
  if (h->week0 != earliest) BAD("week0 %d != %d", h->week0, earliest);
  if (h->n_weeks != (h->as_of - earliest + 6) / 7) BAD("n_weeks %d", h->n_weeks);
  if (h->dormant_days != ho->dormant_days || h->at_risk_shop_days != ho->at_risk_shop_days)
    BAD("thresholds");
  if (bad) {
    rouse_summary_free(fin);
    return bad;
  }

  /* month by month */
  rouse_lifecycle_opts lo;
  lc_opts(ho, &lo);
  rouse_summary *prev = snap(ing, h->month_start[0], &rc);
  uint64_t *cohort = calloc((size_t)n * n, sizeof *cohort);
  int *cm = NULL; /* cohort month per customer of the summary at the as-of date */
  cm = malloc((fin->n ? fin->n : 1) * sizeof *cm);
  for (size_t i = 0; i < fin->n; i++) cm[i] = month_index(h, fin->first_day[i]);
  for (int k = 0; k < n; k++) {
    int32_t end = h->month_start[k + 1] < h->as_of ? h->month_start[k + 1] : h->as_of;
    rouse_summary *cur = snap(ing, end, &rc);
    uint64_t want_state[S_N] = {0}, nw = 0, buy = 0, ord = 0;
    int64_t rev = 0;
    if (cur) {
      rouse_lifecycle *l = NULL;
      if (rouse_segment_lifecycle(cur, NULL, NULL, &lo, &l) == ROUSE_OK) {
        for (int s = 0; s < S_N; s++) want_state[s] = l->count[s];
        if (l->dormant_days != ho->dormant_days || l->at_risk_shop_days != ho->at_risk_shop_days)
          BAD("the lifecycle did not use the given thresholds");
      } else BAD("lifecycle failed at month %d", k);
      rouse_segment_lifecycle_free(l);
      struct delta *dl = deltas(prev, cur);
      size_t f = 0; /* cur's customers are a subset of fin's, in the same order */
      for (size_t i = 0; i < cur->n; i++) {
        while (f < fin->n && strcmp(fin->id[f], cur->id[i])) f++;
        if (f == fin->n) {
          BAD("customer %s of month %d not at the as-of date", cur->id[i], k);
          break;
        }
        nw += dl[i].born;
        buy += dl[i].days > 0;
        ord += dl[i].orders;
        rev += dl[i].total;
        if (dl[i].days > 0 && cm[f] >= 0) {
          if (cm[f] > k) BAD("cohort month after a purchase");
          else cohort[(size_t)cm[f] * n + (size_t)(k - cm[f])]++;
        }
        f++;
      }
      free(dl);
    }
    for (int s = 0; s < S_N; s++)
      if (h->state_count[(size_t)k * S_N + s] != want_state[s])
        BAD("month %d state %s: %llu != %llu", k, rouse_state_name(s),
            (unsigned long long)h->state_count[(size_t)k * S_N + s],
            (unsigned long long)want_state[s]);
    if (h->new_customers[k] != nw) BAD("month %d new %llu != %llu", k,
                                       (unsigned long long)h->new_customers[k],
                                       (unsigned long long)nw);
    if (h->buyers[k] != buy) BAD("month %d buyers %llu != %llu", k,
                                 (unsigned long long)h->buyers[k], (unsigned long long)buy);
    if (h->orders[k] != ord) BAD("month %d orders %llu != %llu", k,
                                 (unsigned long long)h->orders[k], (unsigned long long)ord);
    if (h->revenue_e4[k] != rev) BAD("month %d revenue %lld != %lld", k,
                                     (long long)h->revenue_e4[k], (long long)rev);
    rouse_summary_free(prev);
    prev = cur;
  }
  rouse_summary_free(prev);
  for (size_t i = 0; i < (size_t)n * n; i++)
    if (h->cohort[i] != cohort[i])
      BAD("cohort %zu, +%zu: %llu != %llu", i / n, i % n, (unsigned long long)h->cohort[i],
          (unsigned long long)cohort[i]);
  free(cohort);
  free(cm);

  /* week by week */
  prev = NULL;
  for (int w = 0; w < h->n_weeks; w++) {
    int32_t end = h->week0 + 7 * (w + 1) < h->as_of ? h->week0 + 7 * (w + 1) : h->as_of;
    rouse_summary *cur = snap(ing, end, &rc);
    uint64_t rep = 0, births = 0;
    if (cur) {
      struct delta *dl = deltas(prev, cur);
      for (size_t i = 0; i < cur->n; i++) {
        births += dl[i].born;
        rep += dl[i].days - dl[i].born;
      }
      free(dl);
    }
    if (h->week_repeat[w] != rep) BAD("week %d repeat %llu != %llu", w,
                                      (unsigned long long)h->week_repeat[w],
                                      (unsigned long long)rep);
    if (h->week_births[w] != births) BAD("week %d births %llu != %llu", w,
                                         (unsigned long long)h->week_births[w],
                                         (unsigned long long)births);
    rouse_summary_free(prev);
    prev = cur;
  }
  rouse_summary_free(prev);
  rouse_summary_free(fin);
#undef BAD
  return bad;
}

static bool same_u64(const uint64_t *a, const uint64_t *b, size_t n) {
  return !n || !memcmp(a, b, n * sizeof *a);
}

static bool same_history(const rouse_history *a, const rouse_history *b) {
  if (!a || !b || a->as_of != b->as_of || a->n_months != b->n_months || a->week0 != b->week0 ||
      a->n_weeks != b->n_weeks || a->customers != b->customers)
    return false;
  size_t n = (size_t)a->n_months, nw = (size_t)a->n_weeks;
  return !memcmp(a->month_start, b->month_start, (n + 1) * sizeof *a->month_start) &&
         same_u64(a->state_count, b->state_count, n * S_N) &&
         same_u64(a->new_customers, b->new_customers, n) && same_u64(a->buyers, b->buyers, n) &&
         same_u64(a->orders, b->orders, n) &&
         !memcmp(a->revenue_e4, b->revenue_e4, n * sizeof *a->revenue_e4) &&
         same_u64(a->cohort, b->cohort, n * n) && same_u64(a->week_repeat, b->week_repeat, nw) &&
         same_u64(a->week_births, b->week_births, nw);
}

/* build at 1 and 4 threads, compare the two, then against the brute force */
static rouse_history *build_checked(const rouse_ingest *ing, const rouse_history_opts *o,
                                    const char *name) {
  rouse_history *h1 = NULL, *h4 = NULL;
  CHECK_EQ_INT(rouse_history_build(ing, o, 1, &h1), ROUSE_OK);
  CHECK_EQ_INT(rouse_history_build(ing, o, 4, &h4), ROUSE_OK);
  CHECK(same_history(h1, h4));
  rouse_history_free(h4);
  if (!h1) return NULL;
  size_t bad = brute_check(ing, o, h1, name);
  uint64_t st[S_N] = {0};
  for (int k = 0; k < h1->n_months; k++)
    for (int s = 0; s < S_N; s++) st[s] += h1->state_count[(size_t)k * S_N + s];
  printf("# %s: %d months, %d weeks, %llu customers; state-months", name, h1->n_months,
         h1->n_weeks, (unsigned long long)h1->customers);
  for (int s = 0; s < S_N; s++) printf(" %s %llu", rouse_state_name(s), (unsigned long long)st[s]);
  printf("; %zu differences\n", bad);
  CHECK_EQ_INT(bad, 0);
  return h1;
}

static void hist_opts(rouse_history_opts *o, int32_t dormant, int32_t shop) {
  rouse_history_opts_init(o);
  o->dormant_days = dormant;
  o->at_risk_shop_days = shop;
}

/*---------------------------------------------------------------------
 * 1. Hand-made export
 *--------------------------------------------------------------------*/
static const char SHOP[] =
    "customer_id,date,amount,order_id,status\n"
    "1,2024-01-10,1000,o1,shipped\n"
    "1,2024-01-10,500,o1,shipped\n"   /* a second line item */
    "1,2024-01-10,200,o2,shipped\n"   /* a second order the same day */
    "1,2024-01-20,300,o3,shipped\n"
    "1,2024-01-25,-150,r2,returned\n"
    "1,2024-02-01,800,o4,cancelled\n"
    "1,2024-02-03,400,,shipped\n"     /* two rows without an order id the same day */
    "1,2024-02-03,100,,shipped\n"
    "1,2024-02-15,-50,r3,returned\n"
    "2,2024-01-31,90,o13,shipped\n"   /* one-time buyer, goes dormant */
    "3,2024-01-12,999,o11,cancelled\n"
    "3,2024-02-25,120,o12,shipped\n"  /* a cancellation first, then a purchase */
    "4,2024-01-02,50,o20,shipped\n"   /* dormant, then back */
    "4,2024-01-09,60,o21,shipped\n"
    "4,2024-06-20,70,o22,shipped\n"
    "4,2024-03-01,-20,r24,returned\n" /* a return while silent */
    "5,2024-03-05,10,o30,cancelled\n" /* only a cancellation: never a customer */
    "6,2024-04-30,40,o40,shipped\n"
    "6,2024-05-01,45,o41,shipped\n"
    "6,2024-05-02,45,o42,shipped\n"
    "6,2024-06-30,45,o43,shipped\n"
    "1,2024-01-05,250,o0,shipped\n"   /* out of order: an earlier first purchase */
    "1,2024-03-01,600,o6,shipped\n"
    "1,2024-03-01,999,o7,cancelled\n"
    "2,2024-07-03,10,o14,cancelled\n";

static void test_shop(void) {
  printf("# --- 1. hand-made export with order ids\n");
  rouse_ingest *ing = load_mem(SHOP, strlen(SHOP), INT32_MAX);
  CHECK(ing != NULL);
  if (!ing) return;
  rouse_history_opts o;
  hist_opts(&o, 60, 20);
  rouse_history *h = build_checked(ing, &o, "shop");
  if (h) {
    /* hand-checked: as-of 2024-07-01 (the day after the last accepted row: the cancellation
     * on 07-03 is not one), January .. June */
    CHECK_EQ_INT(h->as_of, D(2024, 7, 1));
    CHECK_EQ_INT(h->n_months, 6);
    CHECK_EQ_INT(h->month_start[0], D(2024, 1, 1));
    CHECK_EQ_INT(h->month_start[6], D(2024, 7, 1));
    CHECK_EQ_INT(h->customers, 5);
    CHECK_EQ_INT(h->new_customers[0], 3); /* 1, 2, 4 */
    CHECK_EQ_INT(h->new_customers[1], 1); /* 3 */
    CHECK_EQ_INT(h->new_customers[3], 1); /* 6 */
    CHECK_EQ_INT(h->buyers[0], 3);
    CHECK_EQ_INT(h->buyers[5], 2);        /* June: 4 and 6 */
    /* January: 1 has o0 o1 o2 o3; 2 o13; 4 o20 o21 */
    CHECK_EQ_INT(h->orders[0], 7);
    CHECK_EQ_INT(h->orders[1], 2);        /* 1's row-count pair on 02-03, 3's o12 */
    /* January: 250 + 1500 + 200 + 300 - 150 (1), 90 (2), 110 (4) */
    CHECK_EQ_INT(h->revenue_e4[0], (int64_t)2300 * 10000);
    CHECK_EQ_INT(h->revenue_e4[2], (int64_t)580 * 10000); /* March: 600 (1), -20 (4) */
    /* cohort January (1, 2, 4): 1 buys in Feb and Mar, 4 in June */
    CHECK_EQ_INT(h->cohort[0], 3);
    CHECK_EQ_INT(h->cohort[1], 1);
    CHECK_EQ_INT(h->cohort[2], 1);
    CHECK_EQ_INT(h->cohort[5], 1);
    /* end of June (as-of 07-01): 4 came back after 163 days (x 2, rec 10 <= 1.5 x 85),
     * 6's last gap of 59 days is short: active */
    const uint64_t *jun = h->state_count + 5 * S_N;
    CHECK_EQ_INT(jun[ROUSE_STATE_REACTIVATED], 1);
    CHECK_EQ_INT(jun[ROUSE_STATE_DORMANT], 3); /* 1, 2, 3 */
    CHECK_EQ_INT(jun[ROUSE_STATE_ACTIVE], 1);  /* 6 */
    /* end of January: 1 (x 2, span 15, rec 11 <= 1.5 x 7.5) active, 2 new, 4 x 1 rec 22
     * > 20: at risk */
    const uint64_t *jan = h->state_count;
    CHECK_EQ_INT(jan[ROUSE_STATE_ACTIVE], 1);
    CHECK_EQ_INT(jan[ROUSE_STATE_NEW], 1);
    CHECK_EQ_INT(jan[ROUSE_STATE_AT_RISK], 1);
    CHECK_EQ_INT(h->week0, D(2024, 1, 2));
    CHECK_EQ_INT(h->week_births[0], 2); /* 4 on 01-02, 1 on 01-05 */
    CHECK_EQ_INT(h->week_repeat[1], 2); /* 4 on 01-09, 1 on 01-10 */
  }
  rouse_history_free(h);
  /* other thresholds: own rhythm from one gap, a tight factor, a long dormancy */
  hist_opts(&o, 150, 7);
  o.min_rhythm = 1;
  o.at_risk_factor = 0.5;
  h = build_checked(ing, &o, "shop, min_rhythm 1");
  rouse_history_free(h);
  /* an earlier as-of: rows on and after it do not count */
  hist_opts(&o, 30, 10);
  o.as_of = D(2024, 2, 15);
  h = build_checked(ing, &o, "shop, as-of 02-15");
  if (h) CHECK_EQ_INT(h->n_months, 2);
  rouse_history_free(h);
  /* a kept window of 2 months: customers from before it still count in the states */
  hist_opts(&o, 60, 20);
  o.max_months = 2;
  h = build_checked(ing, &o, "shop, 2 months kept");
  if (h) {
    CHECK_EQ_INT(h->month_start[0], D(2024, 5, 1));
    CHECK_EQ_INT(h->cohort[0], 0); /* nobody's first purchase is in May (6's: 04-30) */
    CHECK_EQ_INT(h->buyers[0], 1);
    uint64_t all = 0;
    for (int s = 0; s < S_N; s++) all += h->state_count[S_N + s];
    CHECK_EQ_INT(all, 5);
  }
  rouse_history_free(h);
  rouse_ingest_free(ing);
}

/*---------------------------------------------------------------------
 * 2. Without an order-id column: orders count rows
 *--------------------------------------------------------------------*/
static char *drop_order_column(const char *src) {
  char *out = malloc(strlen(src) + 1), *q = out;
  int field = 0;
  for (const char *p = src; *p; p++) {
    if (*p == '\n') field = 0;
    else if (*p == ',' && ++field == 3) continue; /* the comma before the order id */
    if (field != 3) *q++ = *p;
  }
  *q = '\0';
  return out;
}

static void test_plain(void) {
  printf("# --- 2. the same rows without order ids\n");
  char *plain = drop_order_column(SHOP);
  static const char head[] = "customer_id,date,amount,status\n1,2024-01-10,1000,shipped\n";
  CHECK(!strncmp(plain, head, sizeof head - 1));
  rouse_ingest *ing = load_mem(plain, strlen(plain), INT32_MAX);
  CHECK(ing != NULL);
  if (ing) {
    rouse_history_opts o;
    hist_opts(&o, 60, 20);
    rouse_history *h = build_checked(ing, &o, "plain");
    if (h) CHECK_EQ_INT(h->orders[0], 8); /* rows: 5 of 1, 1 of 2, 2 of 4 */
    rouse_history_free(h);
    rouse_ingest_free(ing);
  }
  free(plain);
}

/*---------------------------------------------------------------------
 * 3. Random export
 *--------------------------------------------------------------------*/
static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n) { /* xorshift64, uniform enough for a test */
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

struct rows {
  char **r;
  size_t n, cap;
};
static void add_row(struct rows *R, const char *id, int32_t day, long cents, const char *order,
                    const char *status) {
  if (R->n == R->cap) {
    R->cap = R->cap ? 2 * R->cap : 4096;
    R->r = realloc(R->r, R->cap * sizeof *R->r);
  }
  char date[16], buf[128];
  rouse_date_format(day, date);
  snprintf(buf, sizeof buf, "%s,%s,%s%ld.%02ld,%s,%s\n", id, date, cents < 0 ? "-" : "",
           labs(cents) / 100, labs(cents) % 100, order, status);
  R->r[R->n++] = strdup(buf);
}

static char *random_export(int customers, int32_t d0, int32_t days, size_t *len) {
  struct rows R = {0};
  for (int c = 0; c < customers; c++) {
    char id[32], ord[48];
    if (c % 7 == 3) snprintf(id, sizeof id, "cu%05d", c); /* some non-numeric ids */
    else snprintf(id, sizeof id, "%d", c + 1);
    int kind = (int)rnd(10);
    uint32_t gap = 3 + rnd(60);
    int32_t day = d0 + (int32_t)rnd((uint32_t)days);
    int seq = 0;
    if (rnd(40) == 0) { /* rows that never make a customer: a cancellation, or a return */
      snprintf(ord, sizeof ord, "x%d", c);
      add_row(&R, id, day, 1000 + rnd(5000), ord, rnd(2) ? "cancelled" : "shipped");
      if (rnd(2)) continue;
      day += 1 + (int32_t)rnd(30);
    }
    while (day < d0 + days) {
      int orders = 1 + (rnd(6) == 0) + (rnd(20) == 0);
      for (int k = 0; k < orders; k++) {
        int lines = 1 + (rnd(4) == 0);
        bool no_id = rnd(12) == 0;
        snprintf(ord, sizeof ord, "o%d_%d", c, seq++);
        for (int l = 0; l < lines; l++)
          add_row(&R, id, day, 100 + rnd(20000), no_id ? "" : ord, "shipped");
      }
      if (rnd(12) == 0) {
        snprintf(ord, sizeof ord, "c%d_%d", c, seq++);
        add_row(&R, id, day + (int32_t)rnd(3), 500 + rnd(9000), ord, "cancelled");
      }
      if (rnd(15) == 0) {
        snprintf(ord, sizeof ord, "r%d_%d", c, seq++);
        add_row(&R, id, day + (int32_t)rnd(40), -(long)(100 + rnd(5000)), ord, "returned");
      }
      if (kind < 3) break; /* one-time buyers */
      int32_t step = 1 + (int32_t)rnd(2 * gap);
      if (kind >= 8 && rnd(4) == 0) step += 90 + (int32_t)rnd(300); /* a dormant spell */
      day += step;
    }
  }
  /* shuffle: many customers' lists arrive out of order */
  for (size_t i = R.n; i > 1; i--) {
    size_t k = rnd((uint32_t)i);
    char *t = R.r[i - 1];
    R.r[i - 1] = R.r[k];
    R.r[k] = t;
  }
  size_t total = 64;
  for (size_t i = 0; i < R.n; i++) total += strlen(R.r[i]);
  char *out = malloc(total), *q = out;
  q += sprintf(q, "customer_id,date,amount,order_id,status\n");
  for (size_t i = 0; i < R.n; i++) {
    size_t l = strlen(R.r[i]);
    memcpy(q, R.r[i], l);
    q += l;
    free(R.r[i]);
  }
  *q = '\0';
  free(R.r);
  *len = (size_t)(q - out);
  return out;
}

static void test_random(void) {
  printf("# --- 3. random export\n");
  size_t len;
  char *csv = random_export(3000, D(2021, 1, 1), 3 * 365, &len);
  rouse_ingest *ing = load_mem(csv, len, INT32_MAX);
  CHECK(ing != NULL);
  if (ing) {
    rouse_history_opts o;
    hist_opts(&o, 90, 40);
    rouse_history *h = build_checked(ing, &o, "random");
    if (h) { /* every state occurs somewhere */
      for (int s = 0; s < S_N; s++) {
        uint64_t t = 0;
        for (int k = 0; k < h->n_months; k++) t += h->state_count[(size_t)k * S_N + s];
        if (s == ROUSE_STATE_LOST) CHECK_EQ_INT(t, 0);
        else CHECK(t > 0);
      }
    }
    rouse_history_free(h);
    hist_opts(&o, 45, 10);
    o.min_rhythm = 3;
    o.at_risk_factor = 2.25;
    o.as_of = D(2023, 5, 17);
    h = build_checked(ing, &o, "random, as-of 2023-05-17");
    rouse_history_free(h);
    hist_opts(&o, 120, 60);
    o.max_months = 13;
    h = build_checked(ing, &o, "random, 13 months kept");
    rouse_history_free(h);
    rouse_ingest_free(ing);
  }
  free(csv);
}

/*---------------------------------------------------------------------
 * 4. CDNOW
 *--------------------------------------------------------------------*/
static void test_cdnow(void) {
  printf("# --- 4. CDNOW sample\n");
  char path[4096];
  const char *f = md_find("data/cdnow_sample/transactions.csv", path, sizeof path);
  CHECK(f != NULL);
  if (!f) return;
  rouse_ingest_opts io;
  rouse_ingest_opts_init(&io);
  io.n_threads = 2;
  rouse_ingest *ing = NULL;
  CHECK_EQ_INT(rouse_ingest_new(&io, &ing), ROUSE_OK);
  CHECK_EQ_INT(rouse_ingest_file(ing, f), ROUSE_OK);
  /* the thresholds of the lifecycle at the as-of date (from the data), then held fixed */
  int rc;
  rouse_summary *s = snap(ing, INT32_MIN, &rc);
  rouse_lifecycle *l = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(s, NULL, NULL, NULL, &l), ROUSE_OK);
  if (s && l) {
    rouse_history_opts o;
    hist_opts(&o, l->dormant_days, l->at_risk_shop_days);
    rouse_history *h = build_checked(ing, &o, "cdnow");
    if (h) {
      CHECK_EQ_INT(h->as_of, s->as_of);
      CHECK_EQ_INT(h->customers, 2357);
      CHECK_EQ_INT(h->n_months, 18); /* 1997-01 .. 1998-06 */
      CHECK_EQ_INT(h->new_customers[0] + h->new_customers[1] + h->new_customers[2], 2357);
      /* the last month's states are the lifecycle's at the as-of date */
      for (int st = 0; st < S_N; st++)
        CHECK_EQ_INT(h->state_count[(size_t)(h->n_months - 1) * S_N + st], l->count[st]);
    }
    rouse_history_free(h);
    o.max_months = 6;
    h = build_checked(ing, &o, "cdnow, 6 months kept");
    if (h) {
      CHECK_EQ_INT(h->month_start[0], D(1998, 1, 1));
      uint64_t all = 0;
      for (int st = 0; st < S_N; st++) all += h->state_count[st];
      CHECK_EQ_INT(all, 2357);
      CHECK_EQ_INT(h->new_customers[0], 0);
    }
    rouse_history_free(h);
  }
  rouse_segment_lifecycle_free(l);
  rouse_summary_free(s);
  rouse_ingest_free(ing);
}

/*---------------------------------------------------------------------
 * 5. Arguments
 *--------------------------------------------------------------------*/
static void test_args(void) {
  printf("# --- 5. arguments\n");
  rouse_history_opts o;
  rouse_history_opts_init(&o);
  rouse_lifecycle_opts lo;
  rouse_segment_lifecycle_opts_init(&lo);
  CHECK_EQ_INT(o.struct_size, sizeof o);
  CHECK_EQ_INT(o.as_of, INT32_MIN);
  CHECK_EQ_INT(o.max_months, 120);
  CHECK_EQ_INT(o.dormant_days, 0);
  CHECK(o.at_risk_factor == lo.at_risk_factor); /* the lifecycle's defaults */
  CHECK_EQ_INT(o.min_rhythm, lo.min_rhythm);
  rouse_history_opts_init(NULL);
  rouse_history_free(NULL);

  rouse_ingest *ing = load_mem(SHOP, strlen(SHOP), INT32_MAX);
  static rouse_history dummy;
  rouse_history *h = &dummy; /* must be reset to NULL on failure */
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_MISUSE); /* dormant_days 0 */
  CHECK(h == NULL);
  hist_opts(&o, 60, 20);
  CHECK_EQ_INT(rouse_history_build(NULL, &o, 1, &h), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_history_build(ing, NULL, 1, &h), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, NULL), ROUSE_MISUSE);
  struct {
    const char *what;
    rouse_history_opts o;
  } bad[9];
  for (int i = 0; i < 9; i++) hist_opts(&bad[i].o, 60, 20);
  bad[0].what = "struct_size", bad[0].o.struct_size = sizeof o - 1;
  bad[1].what = "at_risk_shop_days 0", bad[1].o.at_risk_shop_days = 0;
  bad[2].what = "dormant_days -1", bad[2].o.dormant_days = -1;
  bad[3].what = "at_risk_factor 0", bad[3].o.at_risk_factor = 0;
  bad[4].what = "at_risk_factor NaN", bad[4].o.at_risk_factor = NAN;
  bad[5].what = "at_risk_factor 1001", bad[5].o.at_risk_factor = 1001;
  bad[6].what = "min_rhythm 0", bad[6].o.min_rhythm = 0;
  bad[7].what = "max_months 0", bad[7].o.max_months = 0;
  bad[8].what = "max_months too many", bad[8].o.max_months = ROUSE_HISTORY_MAX_MONTHS + 1;
  for (int i = 0; i < 9; i++) {
    printf("# bad option: %s\n", bad[i].what);
    CHECK_EQ_INT(rouse_history_build(ing, &bad[i].o, 1, &h), ROUSE_MISUSE);
  }
  o.max_months = ROUSE_HISTORY_MAX_MONTHS;
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_OK);
  if (h) CHECK_EQ_INT(h->n_months, 6);
  rouse_history_free(h);
  o.max_months = 120;
  o.as_of = D(2024, 1, 2); /* nobody has bought before it */
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_EMPTY);
  o.as_of = D(2024, 1, 3); /* one customer, one day */
  CHECK_EQ_INT(rouse_history_build(ing, &o, 2, &h), ROUSE_OK);
  if (h) {
    CHECK_EQ_INT(h->n_months, 1);
    CHECK_EQ_INT(h->n_weeks, 1);
    CHECK_EQ_INT(h->state_count[ROUSE_STATE_NEW], 1);
    CHECK_EQ_INT(h->week_births[0], 1);
  }
  rouse_history_free(h);
  rouse_ingest_free(ing);
  /* as-of after the window end */
  ing = load_mem(SHOP, strlen(SHOP), D(2024, 3, 1));
  o.as_of = D(2024, 3, 2);
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_MISUSE);
  o.as_of = INT32_MIN; /* the window end */
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_OK);
  if (h) CHECK_EQ_INT(h->as_of, D(2024, 3, 1));
  rouse_history_free(h);
  rouse_ingest_free(ing);
  /* no rows at all */
  ing = load_mem("customer_id,date,amount\n", 24, INT32_MAX);
  CHECK_EQ_INT(rouse_history_build(ing, &o, 1, &h), ROUSE_EMPTY);
  rouse_ingest_free(ing);
}

int main(void) {
  test_shop();
  test_plain();
  test_random();
  test_cdnow();
  test_args();
  return done_testing();
}
