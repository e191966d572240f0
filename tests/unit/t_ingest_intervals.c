/* SPDX-License-Identifier: MIT
 * Gap columns of the summary (max_interval, last_interval) and the shop-wide interval
 * histogram: a hand-computed case, and on the bundled CDNOW sample the identities that tie
 * the histogram to the per-customer columns (its count is the sum of x, its first moment
 * the sum of t_x in days, its largest gap the largest max_interval), at 1 and 3 threads. */
#include <stdlib.h>

#include "../numeric/model_data.h"
#include "harness.h"

static rouse_summary *summarize(const char *name, const char *data, size_t len, int threads) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = threads;
  rouse_ingest *ing = NULL;
  rouse_summary *s = NULL;
  if (!rouse_ingest_new(&o, &ing) && !rouse_ingest_memory(ing, name, data, len)) {
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    if (rouse_summary_build(ing, &so, threads, &s)) s = NULL;
  }
  rouse_ingest_free(ing);
  return s;
}

int main(void) {
  /* customer 1 buys on days 1, 5, 6 (twice), 20 and 4000 of 2020: gaps 4, 1, 14, 3980;
   * customer 2 once: no gaps. Rows deliberately out of order. */
  static const char in[] =
      "customer_id,date,amount\n"
      "1,2020-01-20,1\n1,2020-01-05,1\n2,2020-03-01,1\n1,2020-01-01,1\n1,2020-01-06,1\n"
      "1,2020-01-06,2\n1,2030-12-15,1\n";
  rouse_summary *s = summarize("hand", in, sizeof in - 1, 2);
  CHECK(s != NULL);
  if (s) {
    CHECK_EQ_STR(s->id[0], "1");
    CHECK_EQ_INT(s->x[0], 4);
    CHECK_EQ_INT(s->max_interval[0], 3982); /* 2020-01-20 .. 2030-12-15 */
    CHECK_EQ_INT(s->last_interval[0], 3982);
    CHECK_EQ_INT(s->max_interval[1], 0);
    CHECK_EQ_INT(s->last_interval[1], 0);
    CHECK_EQ_INT(s->interval_hist_len, ROUSE_INTERVAL_HIST_LEN);
    CHECK_EQ_INT(s->interval_hist[4], 1);
    CHECK_EQ_INT(s->interval_hist[1], 1);
    CHECK_EQ_INT(s->interval_hist[14], 1);
    CHECK_EQ_INT(s->interval_hist[ROUSE_INTERVAL_HIST_LEN - 1], 1); /* 3982 >= 3660 */
    uint64_t tot = 0;
    for (size_t d = 0; d < s->interval_hist_len; d++) tot += s->interval_hist[d];
    CHECK_EQ_INT(tot, 4);
    rouse_summary_free(s);
  }

  char path[4096];
  const char *cdnow = md_find("data/cdnow_sample/transactions.csv", path, sizeof path);
  CHECK(cdnow != NULL);
  if (cdnow) {
    /* through the end of the data (1998-06-30), at 1 and 3 threads */
    struct md_cols ca, cb;
    int32_t end = rouse_date_from_ymd(1998, 6, 30);
    CHECK_EQ_INT(md_load(cdnow, end, INT32_MIN, 1, 1, &ca), 0);
    CHECK_EQ_INT(md_load(cdnow, end, INT32_MIN, 1, 3, &cb), 0);
    const rouse_summary *a = ca.s, *b = cb.s;
    CHECK(a && b);
    if (a && b) {
      uint64_t sx = 0, stx = 0, cnt = 0, mom = 0;
      uint32_t maxgap = 0;
      int last_ok = 1;
      for (size_t i = 0; i < a->n; i++) {
        sx += a->x[i];
        stx += (uint64_t)(a->last_day[i] - a->first_day[i]);
        if (a->max_interval[i] > maxgap) maxgap = a->max_interval[i];
        if (a->last_interval[i] > a->max_interval[i]) last_ok = 0;
        if (a->x[i] == 1 && a->last_interval[i] != (uint32_t)(a->last_day[i] - a->first_day[i]))
          last_ok = 0;
      }
      size_t top = 0;
      for (size_t d = 0; d < a->interval_hist_len; d++) {
        cnt += a->interval_hist[d];
        mom += d * a->interval_hist[d];
        if (a->interval_hist[d]) top = d;
      }
      CHECK_EQ_INT(cnt, sx);   /* one interval per repeat purchase day */
      CHECK_EQ_INT(mom, stx);  /* the gaps of a customer add up to t_x (no gap >= 3660 here) */
      CHECK_EQ_INT(top, maxgap);
      CHECK(last_ok);
      CHECK_EQ_INT(a->interval_hist[0], 0);
      CHECK(!memcmp(a->interval_hist, b->interval_hist,
                    a->interval_hist_len * sizeof *a->interval_hist));
      CHECK(!memcmp(a->max_interval, b->max_interval, a->n * sizeof *a->max_interval));
      printf("# cdnow: %llu intervals, longest %u days\n", (unsigned long long)cnt, maxgap);
    }
    md_free(&ca);
    md_free(&cb);
  }
  return done_testing();
}
