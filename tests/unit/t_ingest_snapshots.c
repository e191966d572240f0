/* SPDX-License-Identifier: MIT
 * Past snapshots: summaries at as-of dates before the ingest window end, built from ONE
 * ingest handle, with exact amounts (docs/design/ingest.md "Customer state").
 *   1. a hand-made export with order ids (line items, same-day orders, rows without an order
 *      id, returns, cancellations, a return before the first purchase, rows out of order, a
 *      spilled entry list): every column at ten as-of dates against hand-computed values;
 *   2. the same without an order-id column (orders and cancellations count rows);
 *   3. both against summaries from ingests whose window ends at that as-of (column by
 *      column), timing_only, holdout counts, thread counts;
 *   4. data/cdnow_sample/transactions.csv: the full ingest at earlier as-of dates equals the
 *      windowed ingest column by column, and the streaming CSV writer gives the same bytes;
 *      id-hash samples (sample_fraction) are subsets with the same rows, stable over dates;
 *      the before_* columns of split_day equal a summary at that date;
 *   5. the entry sort+merge (rouse__sort_merge_ent, also on a list split as a customer's is)
 *      against qsort + a plain merge pass;
 *   6. random rows out of date order (a list of hundreds of entries, order ids repeated,
 *      rows without one, returns, cancellations) against a brute-force reference;
 * and a regression: a line item of an order already in a full, unsorted entry list. */
#include <stdlib.h>

#include "../numeric/model_data.h"
#include "harness.h"
#include "ingest/state.h"

#define D(y, m, d) rouse_date_from_ymd(y, m, d)
#define E4(v) ((int64_t)(v) * 10000)

/*---------------------------------------------------------------------
 * Helpers
 *--------------------------------------------------------------------*/
static rouse_ingest *load(const char *data, int32_t window_end, int32_t keep_end, int threads) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = threads;
  o.window_end = window_end;
  o.window_keep_end = keep_end;
  rouse_ingest *ing = NULL;
  if (rouse_ingest_new(&o, &ing) || rouse_ingest_memory(ing, "snap.csv", data, strlen(data))) {
    rouse_ingest_free(ing);
    return NULL;
  }
  return ing;
}

static rouse_ingest *load_file(const char *path, int32_t window_end, int32_t keep_end) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 2;
  o.window_end = window_end;
  o.window_keep_end = keep_end;
  rouse_ingest *ing = NULL;
  if (rouse_ingest_new(&o, &ing) || rouse_ingest_file(ing, path)) {
    rouse_ingest_free(ing);
    return NULL;
  }
  return ing;
}

static rouse_summary *snap(const rouse_ingest *ing, int32_t as_of, int32_t holdout_end,
                           int timing_only, int unit, int threads, int *rc) {
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  so.as_of = as_of;
  so.holdout_end = holdout_end;
  so.timing_only = timing_only;
  so.unit_days = unit;
  rouse_summary *s = NULL;
  *rc = ing ? rouse_summary_build(ing, &so, threads, &s) : ROUSE_MISUSE;
  return s;
}

static long find(const rouse_summary *s, const char *id) {
  if (!s) return -1;
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->id[i], id)) return (long)i;
  return -1;
}

static bool same_d(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* every column, the histogram and the counts; prints the first difference */
static bool same_summary(const rouse_summary *a, const rouse_summary *b, bool amounts) {
  if (!a || !b) return false;
  if (a->n != b->n || a->as_of != b->as_of || a->unit_days != b->unit_days ||
      a->customers_without_purchase != b->customers_without_purchase ||
      (amounts && a->has_amount != b->has_amount) || !a->holdout_x != !b->holdout_x) {
    printf("# differ: n %zu/%zu as_of %d/%d without %llu/%llu has_amount %d/%d\n", a->n, b->n,
           a->as_of, b->as_of, (unsigned long long)a->customers_without_purchase,
           (unsigned long long)b->customers_without_purchase, a->has_amount, b->has_amount);
    return false;
  }
  for (size_t i = 0; i < a->n; i++) {
    bool ok = !strcmp(a->id[i], b->id[i]) && a->first_day[i] == b->first_day[i] &&
              a->last_day[i] == b->last_day[i] && a->orders[i] == b->orders[i] &&
              a->purchase_days[i] == b->purchase_days[i] && a->x[i] == b->x[i] &&
              same_d(a->t_x[i], b->t_x[i]) && same_d(a->T[i], b->T[i]) &&
              same_d(a->mean_interval[i], b->mean_interval[i]) &&
              same_d(a->interval_cv[i], b->interval_cv[i]) &&
              same_d(a->sum_log_interval[i], b->sum_log_interval[i]) &&
              a->cancelled_orders[i] == b->cancelled_orders[i] &&
              a->max_interval[i] == b->max_interval[i] &&
              a->last_interval[i] == b->last_interval[i] &&
              (!a->holdout_x || a->holdout_x[i] == b->holdout_x[i]);
    if (ok && amounts)
      ok = a->total_e4[i] == b->total_e4[i] && a->returned_e4[i] == b->returned_e4[i] &&
           a->repeat_e4[i] == b->repeat_e4[i] && same_d(a->mean_repeat[i], b->mean_repeat[i]);
    if (!ok) {
      printf("# differ at row %zu: id %s/%s orders %u/%u days %u/%u total %lld/%lld "
             "returned %lld/%lld repeat %lld/%lld cancelled %u/%u\n",
             i, a->id[i], b->id[i], a->orders[i], b->orders[i], a->purchase_days[i],
             b->purchase_days[i], (long long)a->total_e4[i], (long long)b->total_e4[i],
             (long long)a->returned_e4[i], (long long)b->returned_e4[i],
             (long long)a->repeat_e4[i], (long long)b->repeat_e4[i], a->cancelled_orders[i],
             b->cancelled_orders[i]);
      return false;
    }
  }
  if (a->interval_hist && b->interval_hist &&
      memcmp(a->interval_hist, b->interval_hist,
             ROUSE_INTERVAL_HIST_LEN * sizeof *a->interval_hist)) {
    printf("# interval histograms differ\n");
    return false;
  }
  return true;
}

/* the expected row of one customer at one as-of date (amounts in currency units) */
struct want {
  const char *id;
  int32_t first, last;
  uint32_t orders, days, cancelled;
  int64_t total, returned, repeat;
  double mean_repeat; /* NAN when x == 0 */
};

static void check_row(const rouse_summary *s, const struct want *w) {
  long i = find(s, w->id);
  CHECK(i >= 0);
  if (i < 0) {
    printf("# customer %s missing at as-of %d\n", w->id, s ? s->as_of : 0);
    return;
  }
  CHECK_EQ_INT(s->first_day[i], w->first);
  CHECK_EQ_INT(s->last_day[i], w->last);
  CHECK_EQ_INT(s->orders[i], w->orders);
  CHECK_EQ_INT(s->purchase_days[i], w->days);
  CHECK_EQ_INT(s->x[i], w->days - 1);
  CHECK_EQ_INT(s->cancelled_orders[i], w->cancelled);
  CHECK_EQ_INT(s->total_e4[i], E4(w->total));
  CHECK_EQ_INT(s->returned_e4[i], E4(w->returned));
  CHECK_EQ_INT(s->repeat_e4[i], E4(w->repeat));
  if (isnan(w->mean_repeat)) CHECK(isnan(s->mean_repeat[i]));
  else CHECK_NEAR(s->mean_repeat[i], w->mean_repeat, 1e-12);
  CHECK_NEAR(s->T[i], s->as_of - 1 - w->first, 0);
}

/*---------------------------------------------------------------------
 * 1. With an order-id column
 *--------------------------------------------------------------------*/
static const char SHOP[] =
    "customer_id,date,amount,order_id,status\n"
    "1,2024-01-10,1000,o1,shipped\n"
    "1,2024-01-10,500,o1,shipped\n"  /* second line item of o1 */
    "1,2024-01-10,200,o2,shipped\n"  /* another order the same day */
    "1,2024-01-20,300,o3,shipped\n"
    "2,2024-01-15,-80,r1,returned\n" /* customer 2: a return before any purchase */
    "3,2024-01-12,999,o11,cancelled\n"
    "1,2024-01-25,-150,r2,returned\n"
    "1,2024-02-01,800,o4,cancelled\n"
    "1,2024-02-03,400,,shipped\n"   /* rows without an order id ... */
    "1,2024-02-03,100, ,shipped\n"  /* ... the same day */
    "2,2024-02-10,700,o8,shipped\n"
    "2,2024-02-10,0,o9,shipped\n"   /* a zero amount */
    "1,2024-02-15,-50,r3,returned\n"
    "2,2024-02-20,,o10,shipped\n"   /* an empty amount */
    "1,2024-01-05,250,o0,shipped\n" /* out of order: an earlier first purchase */
    "3,2024-02-25,120,o12,shipped\n"
    "1,2024-03-01,600,o6,shipped\n"
    /* キャンセル */
    "1,2024-03-01,999,o7,\xE3\x82\xAD\xE3\x83\xA3\xE3\x83\xB3\xE3\x82\xBB\xE3\x83\xAB\n"
    "2,2024-01-31,90,o13,shipped\n"; /* out of order, last row: an unsorted list */

static void check_shop(const rouse_summary *s, int32_t as_of) {
  const double nan = NAN;
  int32_t d0105 = D(2024, 1, 5), d0110 = D(2024, 1, 10), d0120 = D(2024, 1, 20),
          d0203 = D(2024, 2, 3), d0301 = D(2024, 3, 1), d0131 = D(2024, 1, 31),
          d0210 = D(2024, 2, 10), d0220 = D(2024, 2, 20), d0225 = D(2024, 2, 25);
  /* customer 1 */
  struct want w1 = {"1", d0105, d0105, 1, 1, 0, 250, 0, 0, nan};
  if (as_of > d0110) w1 = (struct want){"1", d0105, d0110, 3, 2, 0, 1950, 0, 1700, 1700};
  if (as_of > d0120) w1 = (struct want){"1", d0105, d0120, 4, 3, 0, 2250, 0, 2000, 1000};
  if (as_of > D(2024, 1, 25)) w1.total = 2100, w1.returned = 150;
  if (as_of > D(2024, 2, 1)) w1.cancelled = 1;
  if (as_of > d0203) /* the two rows without an order id are one (date, order) pair */
    w1 = (struct want){"1", d0105, d0203, 5, 4, 1, 2600, 150, 2500, 2500.0 / 3};
  if (as_of > D(2024, 2, 15)) w1.total = 2550, w1.returned = 200;
  if (as_of > d0301) w1 = (struct want){"1", d0105, d0301, 6, 5, 2, 3150, 200, 3100, 775};
  if (as_of > d0105) check_row(s, &w1);
  else CHECK(find(s, "1") < 0);
  /* customer 2 */
  struct want w2 = {"2", d0131, d0131, 1, 1, 0, 10, 80, 0, nan};
  if (as_of > d0210) w2 = (struct want){"2", d0131, d0210, 3, 2, 0, 710, 80, 700, 700};
  if (as_of > d0220) w2 = (struct want){"2", d0131, d0220, 4, 3, 0, 710, 80, 700, 350};
  if (as_of > d0131) check_row(s, &w2);
  else CHECK(find(s, "2") < 0);
  /* customer 3: a cancellation, a purchase later */
  struct want w3 = {"3", d0225, d0225, 1, 1, 1, 120, 0, 0, nan};
  if (as_of > d0225) check_row(s, &w3);
  else CHECK(find(s, "3") < 0);
  /* rows before as_of that are only returns / cancellations */
  uint64_t without = (as_of > D(2024, 1, 15) && as_of <= d0131) + /* 2 */
                     (as_of > D(2024, 1, 12) && as_of <= d0225);  /* 3 */
  CHECK_EQ_INT(s->customers_without_purchase, without);
  CHECK_EQ_INT(s->has_amount, 1);
}

static const int32_t SHOP_AS_OF[][3] = {
    {2024, 1, 6}, {2024, 1, 11}, {2024, 1, 21}, {2024, 1, 26}, {2024, 2, 2},
    {2024, 2, 4}, {2024, 2, 16}, {2024, 3, 1},  {2024, 3, 2},  {2024, 2, 26}};

static void test_shop(void) {
  printf("# --- 1. with order ids: one ingest, ten as-of dates\n");
  for (int threads = 1; threads <= 3; threads += 2) {
    rouse_ingest *ing = load(SHOP, INT32_MAX, INT32_MIN, threads);
    CHECK(ing != NULL);
    if (!ing) return;
    int rc;
    rouse_summary *s = snap(ing, D(2024, 1, 5), INT32_MIN, 0, 1, threads, &rc);
    CHECK_EQ_INT(rc, ROUSE_EMPTY); /* nobody has bought before 2024-01-05 */
    CHECK(s == NULL);
    for (size_t k = 0; k < sizeof SHOP_AS_OF / sizeof *SHOP_AS_OF; k++) {
      int32_t as_of = D(SHOP_AS_OF[k][0], SHOP_AS_OF[k][1], SHOP_AS_OF[k][2]);
      printf("# as-of %04d-%02d-%02d, %d threads\n", SHOP_AS_OF[k][0], SHOP_AS_OF[k][1],
             SHOP_AS_OF[k][2], threads);
      s = snap(ing, as_of, INT32_MIN, 0, 1, threads, &rc);
      CHECK_EQ_INT(rc, ROUSE_OK);
      if (!s) continue;
      CHECK_EQ_INT(s->as_of, as_of);
      check_shop(s, as_of);
      rouse_summary_free(s);
    }
    /* the default as-of is the day after the last row: the 03-02 summary */
    s = snap(ing, INT32_MIN, INT32_MIN, 0, 1, threads, &rc);
    CHECK_EQ_INT(rc, ROUSE_OK);
    if (s) {
      CHECK_EQ_INT(s->as_of, D(2024, 3, 2));
      check_shop(s, s->as_of);
      rouse_summary_free(s);
    }
    /* holdout at an earlier as-of: purchase days only, never a return or a cancellation
     * (01-25 return, 02-01 cancellation, 02-03 purchase, 02-15 return) */
    s = snap(ing, D(2024, 1, 21), D(2024, 2, 20), 0, 1, threads, &rc);
    CHECK_EQ_INT(rc, ROUSE_OK);
    if (s && s->holdout_x) {
      CHECK_EQ_INT(s->holdout_x[find(s, "1")], 1);
    }
    rouse_summary_free(s);
    rouse_ingest_free(ing);
  }
}

/*---------------------------------------------------------------------
 * 2. Without an order-id column: orders and cancellations count rows
 *--------------------------------------------------------------------*/
static const char PLAIN[] =
    "customer_id,date,amount,status\n"
    "7,2024-01-03,100,\n"
    "7,2024-01-03,200,\n"  /* two purchase rows the same day: two orders */
    "7,2024-01-03,-30,\n"  /* a return the same day */
    "7,2024-01-09,50,cancelled\n"
    "7,2024-01-09,70,cancelled\n" /* two cancelled rows */
    "7,2024-01-09,40,\n"
    "8,2024-01-05,,\n"
    "7,2024-01-02,10,\n"; /* out of order */

static void test_plain(void) {
  printf("# --- 2. without order ids\n");
  const double nan = NAN;
  rouse_ingest *ing = load(PLAIN, INT32_MAX, INT32_MIN, 2);
  CHECK(ing != NULL);
  if (!ing) return;
  int32_t d2 = D(2024, 1, 2), d3 = D(2024, 1, 3), d9 = D(2024, 1, 9);
  const struct {
    int32_t as_of;
    struct want w;
  } cases[] = {
      {D(2024, 1, 3), {"7", d2, d2, 1, 1, 0, 10, 0, 0, nan}},
      {D(2024, 1, 4), {"7", d2, d3, 3, 2, 0, 280, 30, 300, 300}},
      {D(2024, 1, 9), {"7", d2, d3, 3, 2, 0, 280, 30, 300, 300}},
      {D(2024, 1, 10), {"7", d2, d9, 4, 3, 2, 320, 30, 340, 170}},
  };
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    int rc;
    rouse_summary *s = snap(ing, cases[k].as_of, INT32_MIN, 0, 1, 2, &rc);
    CHECK_EQ_INT(rc, ROUSE_OK);
    if (!s) continue;
    check_row(s, &cases[k].w);
    CHECK_EQ_INT(s->n, cases[k].as_of > D(2024, 1, 5) ? 2 : 1);
    long i = find(s, "8");
    if (i >= 0) {
      CHECK_EQ_INT(s->orders[i], 1);
      CHECK_EQ_INT(s->total_e4[i], 0);
    }
    rouse_summary_free(s);
  }
  rouse_ingest_free(ing);

  /* both exports as one history: an order-id column exists, so the rows without one count
   * as one (date, order) pair per day, and as one cancelled pair */
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 2;
  ing = NULL;
  int rc = rouse_ingest_new(&o, &ing);
  if (!rc) rc = rouse_ingest_memory(ing, "shop.csv", SHOP, strlen(SHOP));
  if (!rc) rc = rouse_ingest_memory(ing, "plain.csv", PLAIN, strlen(PLAIN));
  CHECK_EQ_INT(rc, ROUSE_OK);
  rouse_summary *s = snap(ing, D(2024, 1, 10), INT32_MIN, 0, 1, 2, &rc);
  long i = find(s, "7");
  CHECK(i >= 0);
  if (i >= 0) {
    CHECK_EQ_INT(s->orders[i], 3);
    CHECK_EQ_INT(s->cancelled_orders[i], 1);
    CHECK_EQ_INT(s->total_e4[i], E4(320));
  }
  rouse_summary_free(s);
  rouse_ingest_free(ing);
}

/*---------------------------------------------------------------------
 * 3. One ingest at an earlier as-of = an ingest whose window ends there
 *--------------------------------------------------------------------*/
static void compare_windowed(const char *name, const char *data, int32_t as_of,
                             int32_t holdout_end, int unit) {
  rouse_ingest *full = load(data, INT32_MAX, INT32_MIN, 3);
  rouse_ingest *win = load(data, as_of, holdout_end != INT32_MIN ? holdout_end + 1 : INT32_MIN, 1);
  int ra, rb;
  rouse_summary *a = snap(full, as_of, holdout_end, 0, unit, 2, &ra);
  rouse_summary *b = snap(win, as_of, holdout_end, 0, unit, 1, &rb);
  CHECK_EQ_INT(ra, rb);
  if (ra == ROUSE_OK) {
    bool same = same_summary(a, b, true);
    if (!same) printf("# %s: as-of %d differs from the windowed ingest\n", name, as_of);
    CHECK(same);
    /* timing_only: the same without amounts */
    rouse_summary *t = snap(full, as_of, holdout_end, 1, unit, 2, &ra);
    CHECK_EQ_INT(ra, ROUSE_OK);
    CHECK(same_summary(t, b, false));
    if (t) {
      CHECK_EQ_INT(t->has_amount, 0);
      bool zero = true;
      for (size_t i = 0; i < t->n; i++)
        zero &= t->total_e4[i] == 0 && t->returned_e4[i] == 0 && t->repeat_e4[i] == 0 &&
                isnan(t->mean_repeat[i]);
      CHECK(zero);
    }
    rouse_summary_free(t);
  }
  rouse_summary_free(a);
  rouse_summary_free(b);
  rouse_ingest_free(full);
  rouse_ingest_free(win);
}

static void test_windowed(void) {
  printf("# --- 3. against ingests whose window ends at the as-of date\n");
  for (size_t k = 0; k < sizeof SHOP_AS_OF / sizeof *SHOP_AS_OF; k++) {
    int32_t as_of = D(SHOP_AS_OF[k][0], SHOP_AS_OF[k][1], SHOP_AS_OF[k][2]);
    compare_windowed("shop", SHOP, as_of, INT32_MIN, 1);
    compare_windowed("shop", SHOP, as_of, as_of + 20, 7);
  }
  for (int d = 3; d <= 10; d++) compare_windowed("plain", PLAIN, D(2024, 1, d), INT32_MIN, 1);

  /* the window end limits as-of from above only */
  rouse_ingest *ing = load(SHOP, D(2024, 2, 16), D(2024, 3, 1), 2);
  int rc;
  rouse_summary *s = snap(ing, D(2024, 2, 17), INT32_MIN, 0, 1, 1, &rc);
  CHECK_EQ_INT(rc, ROUSE_MISUSE); /* rows on/after the window end were not kept */
  CHECK(s == NULL);
  s = snap(ing, D(2024, 2, 17), INT32_MIN, 1, 1, 1, &rc);
  CHECK_EQ_INT(rc, ROUSE_MISUSE);
  s = snap(ing, D(2024, 2, 4), D(2024, 2, 29), 0, 1, 1, &rc);
  CHECK_EQ_INT(rc, ROUSE_OK);
  if (s) {
    check_shop(s, D(2024, 2, 4));
    long i = find(s, "1");
    if (i >= 0 && s->holdout_x) CHECK_EQ_INT(s->holdout_x[i], 0); /* 02-03 < as-of < 03-01 */
    i = find(s, "2");
    if (i >= 0 && s->holdout_x) CHECK_EQ_INT(s->holdout_x[i], 2); /* 02-10, 02-20 */
  }
  rouse_summary_free(s);
  rouse_ingest_free(ing);
}

/*---------------------------------------------------------------------
 * 4. CDNOW
 *--------------------------------------------------------------------*/
struct mem {
  char *p;
  size_t n, cap;
};
static int to_mem(void *ctx, const void *data, size_t len) {
  struct mem *m = ctx;
  if (m->n + len > m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 1 << 16;
    while (nc < m->n + len) nc *= 2;
    char *q = realloc(m->p, nc);
    if (!q) return 1;
    m->p = q;
    m->cap = nc;
  }
  memcpy(m->p + m->n, data, len);
  m->n += len;
  return 0;
}

/* the bundled CDNOW sample, ingested whole (2 threads); checked; its path into path */
static rouse_ingest *load_cdnow(char *path, size_t cap) {
  const char *f = md_find("data/cdnow_sample/transactions.csv", path, cap);
  CHECK(f != NULL);
  rouse_ingest *ing = f ? load_file(f, INT32_MAX, INT32_MIN) : NULL;
  CHECK(ing != NULL);
  return ing;
}

static void test_cdnow(void) {
  printf("# --- 4. CDNOW: full ingest at earlier as-of dates = windowed ingests\n");
  char cdnow[4096];
  rouse_ingest *full = load_cdnow(cdnow, sizeof cdnow);
  if (!full) return;
  static const int32_t dates[][3] = {{1997, 1, 2},  {1997, 2, 1}, {1997, 4, 1},
                                     {1997, 10, 1}, {1998, 1, 1}, {1998, 7, 1}};
  for (size_t k = 0; k < sizeof dates / sizeof *dates; k++) {
    int32_t as_of = D(dates[k][0], dates[k][1], dates[k][2]);
    for (int unit = 1; unit <= 7; unit += 6) {
      int32_t hold = unit == 7 ? as_of + 90 : INT32_MIN;
      rouse_ingest *win = load_file(cdnow, as_of, hold != INT32_MIN ? hold + 1 : INT32_MIN);
      CHECK(win != NULL);
      int ra, rb;
      rouse_summary *a = snap(full, as_of, hold, 0, unit, 2, &ra);
      rouse_summary *b = snap(win, as_of, hold, 0, unit, 1, &rb);
      CHECK_EQ_INT(ra, ROUSE_OK);
      CHECK_EQ_INT(rb, ROUSE_OK);
      bool same = same_summary(a, b, true);
      printf("# as-of %04d-%02d-%02d unit %d: %zu customers, %s\n", dates[k][0], dates[k][1],
             dates[k][2], unit, a ? a->n : 0, same ? "same" : "DIFFERENT");
      CHECK(same);
      if (a && k == 3 && unit == 1) { /* amounts really vary with the as-of date */
        int64_t tot = 0;
        for (size_t i = 0; i < a->n; i++) tot += a->total_e4[i];
        CHECK(tot > 0);
      }
      /* the streaming writer from the full ingest = the windowed summary as CSV */
      struct mem m1 = {0}, m2 = {0};
      rouse_summary_opts so;
      rouse_summary_opts_init(&so);
      so.as_of = as_of;
      so.holdout_end = hold;
      so.unit_days = unit;
      rouse_summary_info info = {.struct_size = sizeof info};
      CHECK_EQ_INT(rouse_summary_stream_csv(full, &so, 2, to_mem, &m1, &info), ROUSE_OK);
      if (b) CHECK_EQ_INT(rouse_summary_write_csv(b, to_mem, &m2, 2), ROUSE_OK);
      CHECK(m1.n > 0 && m1.n == m2.n && !memcmp(m1.p, m2.p, m1.n));
      CHECK_EQ_INT(info.n, b ? b->n : 0);
      CHECK_EQ_INT(info.has_amount, 1);
      free(m1.p);
      free(m2.p);
      rouse_summary_free(a);
      rouse_summary_free(b);
      rouse_ingest_free(win);
    }
  }
  rouse_ingest_free(full);
}

/* 4b. sample_fraction: a subset of the customers whose rows equal the full summary's, the
 * same ids at every as-of date (those with a purchase by then), about the fraction, and the
 * same at any thread count; out-of-range fractions are refused. */
static void test_sample(void) {
  printf("# --- 4b. CDNOW: id-hash samples\n");
  char path[4096];
  rouse_ingest *ing = load_cdnow(path, sizeof path);
  if (!ing) return;
  int32_t late = D(1998, 7, 1), early = D(1997, 3, 1);
  int rc;
  rouse_summary *all = snap(ing, late, INT32_MIN, 0, 7, 2, &rc);
  CHECK(all != NULL);
  static const double fr[] = {0.1, 0.25, 0.5};
  for (size_t k = 0; all && k < sizeof fr / sizeof *fr; k++) {
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    so.as_of = late;
    so.unit_days = 7;
    so.sample_fraction = fr[k];
    rouse_summary *a = NULL, *b = NULL, *e = NULL;
    CHECK_EQ_INT(rouse_summary_build(ing, &so, 2, &a), ROUSE_OK);
    CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &b), ROUSE_OK);
    so.as_of = early;
    CHECK_EQ_INT(rouse_summary_build(ing, &so, 2, &e), ROUSE_OK);
    if (!a || !b || !e) break;
    CHECK(same_summary(a, b, true));
    /* 2357 customers: a binomial count within 5 standard deviations of n * fraction */
    double mu = all->n * fr[k], sd = sqrt(all->n * fr[k] * (1 - fr[k]));
    printf("# fraction %.2f: %zu of %zu customers (expected %.0f)\n", fr[k], a->n, all->n, mu);
    CHECK(fabs((double)a->n - mu) < 5 * sd);
    size_t bad = 0, j = 0;
    for (size_t i = 0; i < a->n; i++) {
      long f = find(all, a->id[i]);
      if (f < 0 || all->x[f] != a->x[i] || all->total_e4[f] != a->total_e4[i] ||
          all->first_day[f] != a->first_day[i] || all->T[f] != a->T[i])
        bad++;
      /* the early sample = the late one's customers with a purchase before `early` */
      if (a->first_day[i] < early) {
        if (j >= e->n || strcmp(e->id[j], a->id[i])) bad++;
        j++;
      }
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(j, e->n);
    rouse_summary_free(a);
    rouse_summary_free(b);
    rouse_summary_free(e);
  }
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  rouse_summary *x = NULL;
  so.sample_fraction = 1.5;
  CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &x), ROUSE_MISUSE);
  so.sample_fraction = NAN;
  CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &x), ROUSE_MISUSE);
  so.sample_fraction = 1; /* everybody */
  CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &x), ROUSE_OK);
  CHECK(x && all && x->n == all->n);
  rouse_summary_free(x);
  rouse_summary_free(all);
  rouse_ingest_free(ing);
}

/* 4c. split_day: the before_* columns equal a summary at as_of = split_day joined by id (0
 * for customers newer than it), on CDNOW and on the hand-made shop export (returns,
 * cancellations, line items, rows out of order), at several dates; out of range = misuse */
static void check_split(const rouse_ingest *ing, int32_t as_of, int32_t split, const char *what) {
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  so.as_of = as_of;
  so.split_day = split;
  rouse_summary *a = NULL;
  int rc = rouse_summary_build(ing, &so, 2, &a), rb;
  CHECK_EQ_INT(rc, ROUSE_OK);
  rouse_summary *b = snap(ing, split, INT32_MIN, 0, 1, 1, &rb);
  if (!a || !a->before_days) return;
  size_t bad = 0, j = 0, n_in = 0;
  for (size_t i = 0; i < a->n; i++) {
    uint32_t d = 0, o = 0;
    int64_t t = 0;
    if (b && j < b->n && !strcmp(b->id[j], a->id[i])) {
      d = b->purchase_days[j];
      o = b->orders[j];
      t = b->total_e4[j];
      j++;
      n_in++;
    }
    bad += a->before_days[i] != d || a->before_orders[i] != o || a->before_total_e4[i] != t;
  }
  printf("# split %s: %zu of %zu customers before the split, %zu differ\n", what, n_in, a->n, bad);
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(j, b ? b->n : 0);
  rouse_summary_free(a);
  rouse_summary_free(b);
}

static void test_split(void) {
  printf("# --- 4c. split_day\n");
  char path[4096];
  rouse_ingest *ing = load_cdnow(path, sizeof path);
  if (ing) {
    check_split(ing, D(1998, 7, 1), D(1998, 4, 2), "CDNOW 1998-07-01 / 04-02");
    check_split(ing, D(1997, 10, 1), D(1997, 2, 15), "CDNOW 1997-10-01 / 02-15");
    check_split(ing, D(1997, 10, 1), D(1997, 10, 1), "CDNOW split = as-of");
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    so.as_of = D(1997, 10, 1);
    so.split_day = D(1997, 10, 2);
    rouse_summary *x = NULL;
    CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &x), ROUSE_MISUSE);
    so.split_day = INT32_MIN; /* no columns */
    CHECK_EQ_INT(rouse_summary_build(ing, &so, 1, &x), ROUSE_OK);
    CHECK(x && !x->before_days && !x->before_orders && !x->before_total_e4);
    rouse_summary_free(x);
    rouse_ingest_free(ing);
  }
  rouse_ingest *shop = load(SHOP, INT32_MAX, INT32_MIN, 2);
  CHECK(shop != NULL);
  for (size_t k = 0; shop && k < sizeof SHOP_AS_OF / sizeof *SHOP_AS_OF; k++) {
    int32_t d = D(SHOP_AS_OF[k][0], SHOP_AS_OF[k][1], SHOP_AS_OF[k][2]);
    char what[48];
    snprintf(what, sizeof what, "shop export, split %04d-%02d-%02d", SHOP_AS_OF[k][0],
             SHOP_AS_OF[k][1], SHOP_AS_OF[k][2]);
    check_split(shop, INT32_MIN, d, what);
  }
  rouse_ingest_free(shop);
}

/*---------------------------------------------------------------------
 * 5. Entry sort + merge
 *--------------------------------------------------------------------*/
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static int cmp_ent(const void *x, const void *y) {
  const struct ent *a = x, *b = y;
  return a->key < b->key ? -1 : a->key > b->key;
}

/* random entries over few days: orders (few hashes), row counts, returns, cancellations */
static bool check_merge(uint32_t n) {
  struct ent *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
  for (uint32_t i = 0; i < n; i++) {
    uint64_t r = next();
    int32_t day = 19000 + (int32_t)(r % 5);
    bool canc = (r >> 8) % 4 == 0;
    uint32_t low;
    switch ((r >> 12) % 3) {
      case 0: low = ENTRY_ORDER_BIT | (uint32_t)((r >> 16) % 3); break;
      case 1: low = 1 + (uint32_t)((r >> 16) % 4); break;
      default: low = canc ? 1 : 0; /* a return */
    }
    if ((r >> 40) % 1000 == 0) low = ENTRY_ROWS_MAX - 1; /* saturation */
    a[i].key = rouse__entry_key(day, canc, low);
    a[i].val = (int64_t)((r >> 20) % 100000) - 20000;
    b[i] = a[i];
  }
  qsort(b, n, sizeof *b, cmp_ent);
  uint32_t m = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (m && rouse__entry_same(b[m - 1].key, b[i].key)) {
      b[m - 1].val += b[i].val;
      if (rouse__entry_is_rows(b[i].key)) {
        uint64_t c = (uint64_t)(uint32_t)b[m - 1].key + (uint32_t)b[i].key;
        if (c > ENTRY_ROWS_MAX) c = ENTRY_ROWS_MAX;
        b[m - 1].key = (b[m - 1].key >> 32 << 32) | c;
      }
    } else
      b[m++] = b[i];
  }
  /* split as a customer's list is: CUST_INLINE_EV entries, then the spilled block */
  uint32_t na = n < CUST_INLINE_EV ? n : CUST_INLINE_EV;
  struct ent head[CUST_INLINE_EV], *tail = malloc((n + 1) * sizeof *tail);
  memcpy(head, a, na * sizeof *a);
  memcpy(tail, a + na, (n - na) * sizeof *a);
  uint32_t ks = rouse__sort_merge_ent_split(head, CUST_INLINE_EV, tail, n);
  uint32_t k = rouse__sort_merge_ent(a, n);
  bool ok = k == m && (m == 0 || !memcmp(a, b, m * sizeof *a));
  for (uint32_t i = 1; ok && i < k; i++) ok = a[i - 1].key < a[i].key;
  ok = ok && ks == m;
  for (uint32_t i = 0; ok && i < m; i++)
    ok = !memcmp(i < CUST_INLINE_EV ? &head[i] : &tail[i - CUST_INLINE_EV], &b[i], sizeof *b);
  free(a);
  free(b);
  free(tail);
  return ok;
}

static void test_merge(void) {
  printf("# --- 5. entry sort + merge\n");
  bool all = true;
  for (uint32_t n = 0; n <= 100; n++) all &= check_merge(n);
  CHECK(all);
  CHECK(check_merge(5000));
  /* the helpers */
  uint64_t o = rouse__entry_key(100, false, ENTRY_ORDER_BIT | 7);
  uint64_t r = rouse__entry_key(100, false, 0), c = rouse__entry_key(100, true, 3);
  uint64_t p = rouse__entry_key(-5, false, 2);
  CHECK(!rouse__entry_is_rows(o) && !rouse__entry_return(o) && rouse__entry_rows(o) == 1);
  CHECK(rouse__entry_return(r) && !rouse__entry_cancel(r) && !rouse__entry_is_rows(r));
  CHECK(rouse__entry_cancel(c) && rouse__entry_rows(c) == 3 && !rouse__entry_return(c));
  CHECK(rouse__entry_day(p) == -5 && rouse__entry_rows(p) == 2);
  CHECK(rouse__entry_same(p, rouse__entry_key(-5, false, 9)));
  CHECK(!rouse__entry_same(c, rouse__entry_key(100, false, 3)));
  CHECK(!rouse__entry_same(o, rouse__entry_key(100, false, ENTRY_ORDER_BIT | 8)));
  CHECK(!rouse__entry_same(r, rouse__entry_key(100, false, 1)));
  struct ent x = {rouse__entry_key(1, false, ENTRY_ROWS_MAX - 1), 5};
  const struct ent y = {rouse__entry_key(1, false, 7), -2};
  rouse__entry_merge(&x, &y);
  CHECK(rouse__entry_rows(x.key) == ENTRY_ROWS_MAX && x.val == 3 && rouse__entry_day(x.key) == 1);
}

/* a line item of an order that is already in a full, unsorted list: it must merge, not
 * become a second order (the list is normalised when it fills, then checked again) */
static void test_full_list(void) {
  printf("# --- the list fills up with the new entry's order already in it\n");
  static const char in[] = "customer_id,date,amount,order_id\n"
                           "9,2024-01-20,10,oA\n9,2024-01-01,10,oB\n9,2024-01-02,10,oC\n"
                           "9,2024-01-03,10,oD\n9,2024-01-04,10,oE\n9,2024-01-20,5,oA\n";
  rouse_ingest *ing = load(in, INT32_MAX, INT32_MIN, 1);
  int rc;
  rouse_summary *s = snap(ing, INT32_MIN, INT32_MIN, 0, 1, 1, &rc);
  CHECK_EQ_INT(rc, ROUSE_OK);
  if (s) {
    CHECK_EQ_INT(s->orders[0], 5);
    CHECK_EQ_INT(s->purchase_days[0], 5);
    CHECK_EQ_INT(s->total_e4[0], E4(55));
    CHECK_EQ_INT(s->repeat_e4[0], E4(45));
  }
  rouse_summary_free(s);
  s = snap(ing, D(2024, 1, 20), INT32_MIN, 0, 1, 1, &rc);
  if (s) {
    CHECK_EQ_INT(s->orders[0], 4);
    CHECK_EQ_INT(s->total_e4[0], E4(40));
  }
  rouse_summary_free(s);
  rouse_ingest_free(ing);
}

/*---------------------------------------------------------------------
 * 6. Random rows out of order against a brute-force reference
 *--------------------------------------------------------------------*/
struct row {
  int cust, day, order; /* order -1: no order id */
  int kind;             /* 0 purchase, 1 return, 2 cancelled */
  long amount;
};

static void test_random(void) {
  printf("# --- 6. random rows, long entry lists out of order, against brute force\n");
  enum { NR = 3000, NC = 4 };
  struct row *rows = malloc(NR * sizeof *rows);
  char *csv[2];
  for (int f = 0; f < 2; f++) csv[f] = malloc(NR * 64 + 64);
  size_t len[2] = {0, 0};
  len[0] = (size_t)sprintf(csv[0], "customer_id,date,amount,order_id,status\n");
  len[1] = (size_t)sprintf(csv[1], "customer_id,date,amount,status\n");
  for (int i = 0; i < NR; i++) {
    uint64_t r = next();
    struct row *w = &rows[i];
    w->cust = (int)(r % NC);
    w->day = (int)((r >> 8) % (w->cust == 0 ? 400 : 60)); /* customer 0: a long list */
    int k = (int)((r >> 20) % 20);
    w->kind = k < 14 ? 0 : k < 17 ? 1 : 2;
    w->order = (r >> 28) % 5 == 0 ? -1 : (int)((r >> 32) % 40);
    w->amount = (long)((r >> 40) % 5000) + 1;
    if (w->kind == 1) w->amount = -w->amount;
    char date[11];
    rouse_date_format(D(2023, 1, 1) + w->day, date);
    const char *st = w->kind == 2 ? "cancelled" : "shipped";
    char oid[16] = "";
    if (w->order >= 0) snprintf(oid, sizeof oid, "o%d", w->order);
    len[0] += (size_t)sprintf(csv[0] + len[0], "c%d,%s,%ld,%s,%s\n", w->cust, date, w->amount,
                              oid, st);
    len[1] += (size_t)sprintf(csv[1] + len[1], "c%d,%s,%ld,%s\n", w->cust, date, w->amount, st);
  }
  for (int f = 0; f < 2; f++) {
    rouse_ingest *ing = load(csv[f], INT32_MAX, INT32_MIN, 2);
    CHECK(ing != NULL);
    bool all = true;
    for (int as = 5; as <= 400; as += 15) {
      int rc;
      rouse_summary *s = snap(ing, D(2023, 1, 1) + as, INT32_MIN, 0, 1, 2, &rc);
      for (int c = 0; c < NC; c++) {
        /* brute force over the rows before as-of */
        int first = INT32_MAX, last = -1, days = 0;
        uint32_t orders = 0, cancels = 0;
        long total = 0, returned = 0, repeat = 0;
        for (int i = 0; i < NR; i++) {
          const struct row *w = &rows[i];
          if (w->cust != c || w->day >= as) continue;
          if (w->kind == 0 && w->day < first) first = w->day;
          if (w->kind == 0 && w->day > last) last = w->day;
          bool dup = false; /* an earlier row of the same (day, order, kind)? */
          bool day_seen = false;
          for (int j = 0; j < i; j++) {
            const struct row *v = &rows[j];
            if (v->cust != c || v->day != w->day || v->kind != w->kind) continue;
            day_seen = true;
            if (f == 0 && v->order == w->order) dup = true;
          }
          if (w->kind == 0) {
            orders += !dup;
            days += !day_seen;
            total += w->amount;
          } else if (w->kind == 1) {
            total += w->amount;
            returned -= w->amount;
          } else
            cancels += !dup;
        }
        for (int i = 0; i < NR; i++)
          if (rows[i].cust == c && rows[i].day < as && rows[i].kind == 0 && rows[i].day != first)
            repeat += rows[i].amount;
        char id[8];
        snprintf(id, sizeof id, "c%d", c);
        long i = find(s, id);
        if (first == INT32_MAX) {
          all &= i < 0;
          continue;
        }
        bool ok = i >= 0 && s->first_day[i] == D(2023, 1, 1) + first &&
                  s->last_day[i] == D(2023, 1, 1) + last && (int)s->purchase_days[i] == days &&
                  s->orders[i] == orders && s->cancelled_orders[i] == cancels &&
                  s->total_e4[i] == E4(total) && s->returned_e4[i] == E4(returned) &&
                  s->repeat_e4[i] == E4(repeat);
        if (!ok)
          printf("# file %d as-of +%d customer %s: days %d orders %u cancels %u total %ld "
                 "returned %ld repeat %ld; got %u %u %u %lld %lld %lld\n",
                 f, as, id, days, orders, cancels, total, returned, repeat,
                 i >= 0 ? s->purchase_days[i] : 0, i >= 0 ? s->orders[i] : 0,
                 i >= 0 ? s->cancelled_orders[i] : 0, i >= 0 ? (long long)s->total_e4[i] : 0,
                 i >= 0 ? (long long)s->returned_e4[i] : 0,
                 i >= 0 ? (long long)s->repeat_e4[i] : 0);
        all &= ok;
      }
      rouse_summary_free(s);
    }
    printf("# %s order ids\n", f == 0 ? "with" : "without");
    CHECK(all);
    rouse_ingest_free(ing);
    free(csv[f]);
  }
  free(rows);
}

int main(void) {
  test_full_list();
  test_shop();
  test_plain();
  test_windowed();
  test_cdnow();
  test_sample();
  test_split();
  test_merge();
  test_random();
  return done_testing();
}
