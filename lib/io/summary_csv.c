/* SPDX-License-Identifier: MIT
 * CSV writer for per-customer summaries. Rows are formatted in fixed blocks, several blocks
 * at a time in parallel, and handed to the caller's sink in block order, so the bytes are
 * the same at any thread count. Formats (docs/summary.md): dates YYYY-MM-DD, amounts exact
 * without trailing zeros, t_x/T whole days or 6 decimals in weeks. Writes no files itself. */
#include "../base/base.h"
#include "../base/fmt.h"
#include "../ingest/state.h"

#define ROWS_PER_BLOCK 16384

struct fmt {
  const char *dates; /* "YYYY-MM-DD" for every day in [day0, day0 + ndays) */
  int32_t day0;
  int tdec;          /* decimals of t_x and T */
  bool amt;
};

static inline char *put_date(const struct fmt *f, char *p, int32_t day) {
  memcpy(p, f->dates + (size_t)(day - f->day0) * 10, 10);
  return p + 10;
}

/* rows [lo, hi) of s as CSV text appended to w */
static void format_rows(const rouse_summary *s, size_t lo, size_t hi, const struct fmt *f,
                        struct rouse_wbuf *w) {
  for (size_t i = lo; i < hi; i++) {
    size_t idn = strlen(s->id[i]);
    /* id (quoted: at most 2n + 2) + 2 dates + 5 integers + 4 numbers + 2 amounts + commas */
    if (!rouse__wb_reserve(w, 2 * idn + 2 + 2 * 10 + 5 * 24 + 4 * 32 + 2 * 24 + 16)) return;
    rouse__wb_csv(w, s->id[i], idn);
    char *p = w->b + w->len;
    *p++ = ',';
    p = put_date(f, p, s->first_day[i]);
    *p++ = ',';
    p = put_date(f, p, s->last_day[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->orders[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->purchase_days[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->x[i]);
    *p++ = ',';
    if (f->tdec == 0) { /* whole days: exact from the dates */
      p = rouse__fmt_u64(p, (uint64_t)((int64_t)s->last_day[i] - s->first_day[i]));
      *p++ = ',';
      p = rouse__fmt_u64(p, (uint64_t)((int64_t)s->as_of - 1 - s->first_day[i]));
    } else {
      p = rouse__fmt_fixed(p, s->t_x[i], f->tdec);
      *p++ = ',';
      p = rouse__fmt_fixed(p, s->T[i], f->tdec);
    }
    *p++ = ',';
    if (f->amt) p = rouse__fmt_amount(p, s->total_e4[i]);
    *p++ = ',';
    /* means are rounded from the integers, so decimal ties (9.825) round up as written */
    if (f->amt && s->x[i]) p = rouse__fmt_ratio(p, s->repeat_e4[i], 10000 * (int64_t)s->x[i], 2);
    *p++ = ',';
    if (s->x[i])
      p = rouse__fmt_ratio(p, (int64_t)s->last_day[i] - s->first_day[i],
                           (int64_t)s->x[i] * s->unit_days, 2);
    *p++ = ',';
    p = rouse__fmt_fixed(p, s->interval_cv[i], 3);
    *p++ = ',';
    if (f->amt) p = rouse__fmt_amount(p, s->returned_e4[i]);
    *p++ = ',';
    p = rouse__fmt_u64(p, s->cancelled_orders[i]);
    *p++ = '\n';
    w->len = (size_t)(p - w->b);
  }
}

static const char HEADER[] =
    "customer_id,first_purchase,last_purchase,orders,purchase_days,x,t_x,T,total_amount,"
    "mean_repeat_amount,mean_interval,interval_cv,returned_amount,cancelled_orders\n";

/* every date of [lo, hi] formatted once */
static char *date_table(int32_t lo, int32_t hi) {
  size_t ndays = hi >= lo ? (size_t)((int64_t)hi - lo + 1) : 0;
  char *dates = rouse__malloc(ndays * 10 + 11);
  if (!dates) return NULL;
  for (size_t d = 0; d < ndays; d++) {
    char t[16];
    memcpy(dates + d * 10, rouse_date_format(lo + (int32_t)d, t), 10);
  }
  return dates;
}

struct write_job {
  const rouse_summary *s;
  struct rouse_wbuf *bufs;
  size_t first_block;
  const struct fmt *f;
};

static void format_block(void *arg, size_t k) {
  struct write_job *j = arg;
  rouse__wb_reset(&j->bufs[k]);
  size_t lo = (j->first_block + k) * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < j->s->n ? lo + ROWS_PER_BLOCK : j->s->n;
  format_rows(j->s, lo, hi, j->f, &j->bufs[k]);
}

int rouse_summary_write_csv(const rouse_summary *s, rouse_write_fn write, void *ctx,
                            int n_threads) {
  if (!s || !write) return ROUSE_MISUSE;
  if (write(ctx, HEADER, sizeof HEADER - 1)) return ROUSE_IO;
  size_t nblocks = (s->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
  struct rouse_pool *pool = NULL;
  int rc = rouse__pool_new(n_threads, &pool);
  if (rc) return rc;
  size_t per_round = (size_t)rouse__pool_threads(pool) * 2;
  struct rouse_wbuf *bufs = rouse__calloc(per_round, sizeof *bufs);
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (size_t i = 0; i < s->n; i++) {
    if (s->first_day[i] < lo) lo = s->first_day[i];
    if (s->last_day[i] > hi) hi = s->last_day[i];
  }
  struct fmt f = {date_table(lo, hi), lo, s->unit_days == 1 ? 0 : 6, s->has_amount != 0};
  if (!bufs || !f.dates) rc = ROUSE_NOMEM;
  for (size_t b = 0; !rc && b < nblocks; b += per_round) {
    size_t k = nblocks - b < per_round ? nblocks - b : per_round;
    struct write_job j = {s, bufs, b, &f};
    rouse__pool_run(pool, k, format_block, &j);
    for (size_t i = 0; i < k && !rc; i++) {
      if (bufs[i].err) rc = ROUSE_NOMEM;
      else if (write(ctx, bufs[i].b, bufs[i].len)) rc = ROUSE_IO;
    }
  }
  if (bufs)
    for (size_t i = 0; i < per_round; i++) rouse__wb_free(&bufs[i]);
  rouse__free(bufs);
  rouse__free((char *)f.dates);
  rouse__pool_free(pool);
  return rc;
}

/*---------------------------------------------------------------------
 * Streaming: compute and format a block of customers at a time
 *--------------------------------------------------------------------*/
struct slot {
  rouse_summary blk;     /* columns for ROUSE_ROLLUP_BLOCK rows */
  struct rouse_wbuf w;
  int err;
};

struct stream_job {
  const struct rouse_rollup *r;
  struct slot *slots;
  size_t first_block;
  const struct fmt *f;
};

static void stream_block(void *arg, size_t k) {
  struct stream_job *j = arg;
  struct slot *sl = &j->slots[k];
  rouse__wb_reset(&sl->w);
  size_t lo = (j->first_block + k) * ROUSE_ROLLUP_BLOCK;
  size_t hi = lo + ROUSE_ROLLUP_BLOCK < j->r->n ? lo + ROUSE_ROLLUP_BLOCK : j->r->n;
  char *blob = NULL;
  if (rouse__rollup_fill(j->r, lo, hi, &sl->blk, &blob)) {
    sl->err = ROUSE_NOMEM;
    return;
  }
  format_rows(&sl->blk, 0, hi - lo, j->f, &sl->w);
  if (sl->w.err) sl->err = ROUSE_NOMEM;
  rouse__free(blob);
}

int rouse_summary_stream_csv(const rouse_ingest *ing, const rouse_summary_opts *o,
                             int n_threads, rouse_write_fn write, void *ctx,
                             rouse_summary_info *info) {
  if (!write || (info && info->struct_size < sizeof *info)) return ROUSE_MISUSE;
  struct rouse_rollup r;
  int rc = rouse__rollup_prepare(ing, o, n_threads, &r);
  if (rc) return rc;
  if (info) {
    info->n = r.n;
    info->as_of = r.as_of;
    info->has_amount = r.has_amount;
    info->customers_without_purchase = r.without;
  }
  struct rouse_pool *pool = NULL;
  struct slot *slots = NULL;
  size_t per_round = 0;
  struct fmt f = {date_table(r.first_day, r.as_of - 1), r.first_day, r.unit_days == 1 ? 0 : 6,
                  r.has_amount};
  if (!f.dates) rc = ROUSE_NOMEM;
  if (!rc) rc = rouse__pool_new(n_threads, &pool);
  if (!rc) {
    per_round = (size_t)rouse__pool_threads(pool) * 2;
    slots = rouse__calloc(per_round, sizeof *slots);
    if (!slots) rc = ROUSE_NOMEM;
    for (size_t i = 0; !rc && i < per_round; i++) {
      slots[i].blk.unit_days = r.unit_days;
      slots[i].blk.as_of = r.as_of;
      slots[i].blk.has_amount = r.has_amount;
      rc = rouse__rollup_alloc_columns(&slots[i].blk, ROUSE_ROLLUP_BLOCK, r.holdout_end != INT32_MIN);
    }
  }
  if (!rc && write(ctx, HEADER, sizeof HEADER - 1)) rc = ROUSE_IO;
  size_t nblocks = (r.n + ROUSE_ROLLUP_BLOCK - 1) / ROUSE_ROLLUP_BLOCK;
  for (size_t b = 0; !rc && b < nblocks; b += per_round) {
    size_t k = nblocks - b < per_round ? nblocks - b : per_round;
    struct stream_job j = {&r, slots, b, &f};
    rouse__pool_run(pool, k, stream_block, &j);
    for (size_t i = 0; i < k && !rc; i++) {
      if (slots[i].err) rc = slots[i].err;
      else if (write(ctx, slots[i].w.b, slots[i].w.len)) rc = ROUSE_IO;
    }
  }
  if (slots)
    for (size_t i = 0; i < per_round; i++) {
      rouse__rollup_free_columns(&slots[i].blk);
      rouse__wb_free(&slots[i].w);
    }
  rouse__free(slots);
  rouse__free((char *)f.dates);
  rouse__pool_free(pool);
  rouse__rollup_release(&r);
  return rc;
}
