/* SPDX-License-Identifier: MIT
 * CSV writer for per-customer summaries. Rows are formatted in fixed blocks, several blocks
 * at a time in parallel, and handed to the caller's sink in block order, so the bytes are
 * the same at any thread count. Formats (docs/summary.md): dates YYYY-MM-DD, amounts exact
 * without trailing zeros, t_x/T whole days or 6 decimals in weeks. Writes no files itself. */
#include "../base/base.h"
#include "../base/fmt.h"

#define ROWS_PER_BLOCK 16384

struct job {
  const rouse_summary *s;
  struct rouse_wbuf *bufs;
  size_t first_block;
  const char *dates; /* "YYYY-MM-DD" for every day in [day0, day0 + ndays) */
  int32_t day0;
};

static inline char *put_date(const struct job *j, char *p, int32_t day) {
  memcpy(p, j->dates + (size_t)(day - j->day0) * 10, 10);
  return p + 10;
}

static void format_block(void *arg, size_t k) {
  struct job *j = arg;
  const rouse_summary *s = j->s;
  struct rouse_wbuf *w = &j->bufs[k];
  rouse__wb_reset(w);
  size_t lo = (j->first_block + k) * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < s->n ? lo + ROWS_PER_BLOCK : s->n;
  const int tdec = s->unit_days == 1 ? 0 : 6;
  const bool amt = s->has_amount;
  for (size_t i = lo; i < hi; i++) {
    size_t idn = strlen(s->id[i]);
    /* id (quoted: at most 2n + 2) + 2 dates + 5 integers + 4 fixed + 2 amounts + commas */
    if (!rouse__wb_reserve(w, 2 * idn + 2 + 2 * 10 + 5 * 24 + 4 * 32 + 2 * 24 + 16)) return;
    rouse__wb_csv(w, s->id[i], idn);
    char *p = w->b + w->len;
    *p++ = ',';
    p = put_date(j, p, s->first_day[i]);
    *p++ = ',';
    p = put_date(j, p, s->last_day[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->orders[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->purchase_days[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->x[i]);
    *p++ = ',';
    p = rouse__fmt_fixed(p, s->t_x[i], tdec);
    *p++ = ',';
    p = rouse__fmt_fixed(p, s->T[i], tdec);
    *p++ = ',';
    if (amt) p = rouse__fmt_amount(p, s->total_e4[i]);
    *p++ = ',';
    /* means are rounded from the integers, so decimal ties (9.825) round up as written */
    if (amt && s->x[i]) p = rouse__fmt_ratio(p, s->repeat_e4[i], 10000 * (int64_t)s->x[i], 2);
    *p++ = ',';
    if (s->x[i])
      p = rouse__fmt_ratio(p, (int64_t)s->last_day[i] - s->first_day[i],
                           (int64_t)s->x[i] * s->unit_days, 2);
    *p++ = ',';
    p = rouse__fmt_fixed(p, s->interval_cv[i], 3);
    *p++ = ',';
    if (amt) p = rouse__fmt_amount(p, s->returned_e4[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->cancelled_orders[i]);
    *p++ = '\n';
    w->len = (size_t)(p - w->b);
  }
}

int rouse_summary_write_csv(const rouse_summary *s, rouse_write_fn write, void *ctx,
                            int n_threads) {
  if (!s || !write) return ROUSE_MISUSE;
  static const char header[] =
      "customer_id,first_purchase,last_purchase,orders,purchase_days,x,t_x,T,total_amount,"
      "mean_repeat_amount,mean_interval,interval_cv,returned_amount,cancelled_orders\n";
  if (write(ctx, header, sizeof header - 1)) return ROUSE_IO;
  size_t nblocks = (s->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
  struct rouse_pool *pool = NULL;
  int rc = rouse__pool_new(n_threads, &pool);
  if (rc) return rc;
  size_t per_round = (size_t)rouse__pool_threads(pool) * 2;
  struct rouse_wbuf *bufs = rouse__calloc(per_round, sizeof *bufs);
  /* every date in the table as text, formatted once */
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (size_t i = 0; i < s->n; i++) {
    if (s->first_day[i] < lo) lo = s->first_day[i];
    if (s->last_day[i] > hi) hi = s->last_day[i];
  }
  size_t ndays = s->n ? (size_t)((int64_t)hi - lo + 1) : 0;
  char *dates = rouse__malloc(ndays * 10 + 11);
  if (!bufs || !dates) rc = ROUSE_NOMEM;
  for (size_t d = 0; !rc && d < ndays; d++) {
    char t[16];
    memcpy(dates + d * 10, rouse_date_format(lo + (int32_t)d, t), 10);
  }
  for (size_t b = 0; !rc && b < nblocks; b += per_round) {
    size_t k = nblocks - b < per_round ? nblocks - b : per_round;
    struct job j = {s, bufs, b, dates, lo};
    rouse__pool_run(pool, k, format_block, &j);
    for (size_t i = 0; i < k && !rc; i++) {
      if (bufs[i].err) rc = ROUSE_NOMEM;
      else if (write(ctx, bufs[i].b, bufs[i].len)) rc = ROUSE_IO;
    }
  }
  if (bufs)
    for (size_t i = 0; i < per_round; i++) rouse__wb_free(&bufs[i]);
  rouse__free(bufs);
  rouse__free(dates);
  rouse__pool_free(pool);
  return rc;
}
