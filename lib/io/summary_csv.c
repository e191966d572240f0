/* SPDX-License-Identifier: MIT
 * CSV writer for per-customer summaries. Rows are formatted in fixed blocks, several blocks
 * at a time in parallel, and handed to the caller's sink in block order, so the bytes are
 * the same at any thread count. Formats (docs/summary.md): dates YYYY-MM-DD, amounts exact
 * without trailing zeros, t_x/T whole days or 6 decimals in weeks. Writes no files itself. */
#include "../base/base.h"
#include "../base/fmt.h"
#include "../ingest/state.h"
#include "blocks.h"

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

struct block_ctx {
  const rouse_summary *s;
  const struct fmt *f;
};

static int format_block(void *ctx, size_t block, size_t slot, struct rouse_wbuf *out) {
  (void)slot;
  const struct block_ctx *c = ctx;
  size_t lo = block * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < c->s->n ? lo + ROWS_PER_BLOCK : c->s->n;
  format_rows(c->s, lo, hi, c->f, out);
  return ROUSE_OK;
}

int rouse_summary_write_csv(const rouse_summary *s, rouse_write_fn write, void *ctx,
                            int n_threads) {
  if (!s || !write) return ROUSE_MISUSE;
  if (write(ctx, HEADER, sizeof HEADER - 1)) return ROUSE_IO;
  size_t nblocks = (s->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
  struct rouse_pool *pool = NULL;
  int rc = rouse__pool_new(n_threads, &pool);
  if (rc) return rc;
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (size_t i = 0; i < s->n; i++) {
    if (s->first_day[i] < lo) lo = s->first_day[i];
    if (s->last_day[i] > hi) hi = s->last_day[i];
  }
  struct fmt f = {date_table(lo, hi), lo, s->unit_days == 1 ? 0 : 6, s->has_amount != 0};
  struct block_ctx bc = {s, &f};
  rc = f.dates ? rouse__write_blocks(pool, nblocks, format_block, &bc, write, ctx) : ROUSE_NOMEM;
  rouse__free((char *)f.dates);
  rouse__pool_free(pool);
  return rc;
}

/*---------------------------------------------------------------------
 * Streaming: compute and format a block of customers at a time
 *--------------------------------------------------------------------*/
struct stream_ctx {
  const struct rouse_rollup *r;
  rouse_summary *blk; /* per slot: columns for ROUSE_ROLLUP_BLOCK rows */
  const struct fmt *f;
};

static int stream_block(void *ctx, size_t block, size_t slot, struct rouse_wbuf *out) {
  const struct stream_ctx *c = ctx;
  size_t lo = block * ROUSE_ROLLUP_BLOCK;
  size_t hi = lo + ROUSE_ROLLUP_BLOCK < c->r->n ? lo + ROUSE_ROLLUP_BLOCK : c->r->n;
  char *blob = NULL;
  int rc = rouse__rollup_fill(c->r, lo, hi, &c->blk[slot], &blob, NULL);
  if (!rc) format_rows(&c->blk[slot], 0, hi - lo, c->f, out);
  rouse__free(blob);
  return rc;
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
  rouse_summary *blk = NULL;
  size_t slots = 0;
  struct fmt f = {date_table(r.first_day, r.as_of - 1), r.first_day, r.unit_days == 1 ? 0 : 6,
                  r.has_amount};
  if (!f.dates) rc = ROUSE_NOMEM;
  if (!rc) rc = rouse__pool_new(n_threads, &pool);
  if (!rc) {
    slots = rouse__blocks_per_round(pool);
    blk = rouse__calloc(slots, sizeof *blk);
    if (!blk) rc = ROUSE_NOMEM;
    for (size_t i = 0; !rc && i < slots; i++) {
      blk[i].unit_days = r.unit_days;
      blk[i].as_of = r.as_of;
      blk[i].has_amount = r.has_amount;
      rc = rouse__rollup_alloc_columns(&blk[i], ROUSE_ROLLUP_BLOCK, r.holdout_end != INT32_MIN,
                                       false);
    }
  }
  if (!rc && write(ctx, HEADER, sizeof HEADER - 1)) rc = ROUSE_IO;
  struct stream_ctx sc = {&r, blk, &f};
  size_t nblocks = (r.n + ROUSE_ROLLUP_BLOCK - 1) / ROUSE_ROLLUP_BLOCK;
  if (!rc) rc = rouse__write_blocks(pool, nblocks, stream_block, &sc, write, ctx);
  if (blk)
    for (size_t i = 0; i < slots; i++) rouse__rollup_free_columns(&blk[i]);
  rouse__free(blk);
  rouse__free((char *)f.dates);
  rouse__pool_free(pool);
  rouse__rollup_release(&r);
  return rc;
}
