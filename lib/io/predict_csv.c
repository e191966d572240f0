/* SPDX-License-Identifier: MIT
 * CSV writer for per-customer predictions (`rouse predict`). Rows are formatted in fixed
 * blocks, several blocks at a time in parallel on the job pool, and handed to the caller's
 * sink in block order, so the bytes are the same at any thread count. Formats are those of
 * C's printf: x as an integer, t_x/T with 0 decimals (day unit) or 6 (week unit),
 * probabilities and expected purchases "%.6f", spend and CLV "%.2f". Writes no files. */
#include <math.h>
#include <stdio.h>

#include "../base/base.h"
#include "../base/fmt.h"
#include "blocks.h"
#include "rouse/rouse.h"

#define ROWS_PER_BLOCK 16384

struct cols {
  const rouse_summary *s;
  const double *pa, *ex, *p0, *sp, *clv;
  int tdec;
};

/* rows [lo, hi) as CSV text appended to w */
static void format_rows(const struct cols *c, size_t lo, size_t hi, struct rouse_wbuf *w) {
  const rouse_summary *s = c->s;
  for (size_t i = lo; i < hi && !w->err; i++) {
    size_t idn = strlen(s->id[i]);
    if (!rouse__wb_reserve(w, 2 * idn + 2 + 24 + 2)) return;
    rouse__wb_csv(w, s->id[i], idn);
    char *p = w->b + w->len;
    *p++ = ',';
    p = rouse__fmt_u64(p, s->x[i]);
    *p++ = ',';
    w->len = (size_t)(p - w->b);
    rouse__wb_printf_fixed(w, s->t_x[i], c->tdec);
    rouse__wb_char(w, ',');
    rouse__wb_printf_fixed(w, s->T[i], c->tdec);
    rouse__wb_char(w, ',');
    rouse__wb_printf_fixed(w, c->pa[i], 6);
    rouse__wb_char(w, ',');
    rouse__wb_printf_fixed(w, c->ex[i], 6);
    rouse__wb_char(w, ',');
    rouse__wb_printf_fixed(w, c->p0[i], 6);
    if (c->sp) {
      rouse__wb_char(w, ',');
      rouse__wb_printf_fixed(w, c->sp[i], 2);
      rouse__wb_char(w, ',');
      rouse__wb_printf_fixed(w, c->clv[i], 2);
    }
    rouse__wb_char(w, '\n');
  }
}

static int format_block(void *ctx, size_t block, size_t slot, struct rouse_wbuf *out) {
  (void)slot;
  const struct cols *c = ctx;
  size_t lo = block * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < c->s->n ? lo + ROWS_PER_BLOCK : c->s->n;
  format_rows(c, lo, hi, out);
  return ROUSE_OK;
}

static const char HEADER[] = "customer_id,x,t_x,T,p_alive,expected_purchases,p_no_purchase";
static const char HEADER_VALUE[] = ",expected_spend,clv";

int rouse_predict_write_csv(const rouse_summary *s, const double *p_alive,
                            const double *expected, const double *p_zero, const double *spend,
                            const double *clv, rouse_write_fn write, void *ctx,
                            int n_threads) {
  if (!s || !write || (s->n && (!p_alive || !expected || !p_zero)) || !spend != !clv)
    return ROUSE_MISUSE;
  if (write(ctx, HEADER, sizeof HEADER - 1) ||
      (spend && write(ctx, HEADER_VALUE, sizeof HEADER_VALUE - 1)) || write(ctx, "\n", 1))
    return ROUSE_IO;
  struct cols c = {s, p_alive, expected, p_zero, spend, clv, s->unit_days == 1 ? 0 : 6};
  size_t nblocks = (s->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
  struct rouse_pool *pool = NULL;
  int rc = rouse__pool_new(n_threads, &pool);
  if (rc) return rc;
  rc = rouse__write_blocks(pool, nblocks, format_block, &c, write, ctx);
  rouse__pool_free(pool);
  return rc;
}
