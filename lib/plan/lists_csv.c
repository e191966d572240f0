/* SPDX-License-Identifier: MIT
 * CSV writer for target lists (rouse_plan_write_csv): one row per list member in rank order,
 * text fields quoted per RFC 4180 when needed, numbers through the shared formatters of
 * lib/base/fmt.h (locale-independent; expected_value has the same bytes as in the scores and
 * predictions CSVs, i.e. printf's "%.2f"), an optional UTF-8 BOM for Excel. Blocks of rows are
 * formatted in parallel and handed to the sink in order (lib/io/blocks.h): the same bytes at
 * any thread count. Chooses no rows itself. */
#include <math.h>

#include "../base/base.h"
#include "../base/fmt.h"
#include "../io/blocks.h"

void rouse_plan_columns_init(rouse_plan_columns *c) {
  if (!c) return;
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
}

static const char HEADER[] = "customer_id,state,score,tier,reasons,expected_value,holdout";
static const unsigned char BOM[3] = {0xEF, 0xBB, 0xBF};

/* a text field: empty for a NULL column or entry */
static void put_text(struct rouse_wbuf *w, const char *const *col, size_t row) {
  if (col && col[row]) rouse__wb_csv(w, col[row], strlen(col[row]));
}

struct job {
  const rouse_plan *p;
  const rouse_plan_columns *c;
  const char *eol;
  size_t eol_len;
};

#define ROWS_PER_BLOCK 8192

/* list members [block * ROWS_PER_BLOCK, ...) in rank order */
static int format_block(void *ctx, size_t block, size_t slot, struct rouse_wbuf *w) {
  (void)slot;
  const struct job *j = ctx;
  const rouse_plan *p = j->p;
  const rouse_plan_columns *c = j->c;
  size_t lo = block * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < p->n ? lo + ROWS_PER_BLOCK : p->n;
  for (size_t k = lo; k < hi && !w->err; k++) {
    size_t r = p->row[k];
    if (k + 16 < hi) { /* rows in rank order are scattered over the columns: fetch ahead */
      size_t a = p->row[k + 16];
      __builtin_prefetch(&c->ids[a]);
      if (c->state) __builtin_prefetch(&c->state[a]);
      if (c->score) __builtin_prefetch(&c->score[a]);
      if (c->tier) __builtin_prefetch(&c->tier[a]);
      if (c->expected_value) __builtin_prefetch(&c->expected_value[a]);
      /* the id's bytes, through the pointer fetched 8 rows ago */
      __builtin_prefetch(c->ids[p->row[k + 8]]);
    }
    rouse__wb_csv(w, c->ids[r], strlen(c->ids[r]));
    rouse__wb_char(w, ',');
    put_text(w, c->state, r);
    rouse__wb_char(w, ',');
    if (c->score) rouse__wb_fixed(w, 100.0 * c->score[r], 0); /* 0..100, halves up */
    rouse__wb_char(w, ',');
    put_text(w, c->tier, r);
    rouse__wb_char(w, ',');
    if (c->reasons) {
      put_text(w, c->reasons, r);
    } else if (c->reasons_fn) {
      char buf[1024];
      buf[0] = '\0';
      const char *t = c->reasons_fn(c->reasons_ctx, r, buf, sizeof buf);
      if (t) rouse__wb_csv(w, t, strlen(t));
    }
    rouse__wb_char(w, ',');
    if (c->expected_value && isfinite(c->expected_value[r])) /* NaN/Inf: empty */
      rouse__wb_printf_fixed(w, c->expected_value[r], 2);
    rouse__wb_char(w, ',');
    rouse__wb_char(w, p->holdout[k] ? '1' : '0');
    rouse__wb_put(w, j->eol, j->eol_len);
  }
  return w->err ? ROUSE_NOMEM : ROUSE_OK;
}

int rouse_plan_write_csv(const rouse_plan *p, const rouse_plan_columns *c, int excel_bom,
                         rouse_write_fn write, void *ctx) {
  const unsigned known = ROUSE_PLAN_CSV_BOM | ROUSE_PLAN_CSV_CRLF;
  if (!p || !c || !write || c->struct_size < sizeof *c || c->n != p->n_input)
    return ROUSE_MISUSE;
  if (excel_bom < 0 || ((unsigned)excel_bom & ~known)) return ROUSE_MISUSE;
  if (p->n && (!c->ids || !p->row || !p->holdout)) return ROUSE_MISUSE;
  for (size_t k = 0; k < p->n; k++) { /* check everything before the first byte */
    size_t r = p->row[k];
    if (r >= c->n || !c->ids[r]) return ROUSE_MISUSE;
    if (c->score && !(c->score[r] >= 0 && c->score[r] <= 1)) return ROUSE_MISUSE;
  }
  struct job j = {p, c, ((unsigned)excel_bom & ROUSE_PLAN_CSV_CRLF) ? "\r\n" : "\n", 0};
  j.eol_len = strlen(j.eol);
  struct rouse_wbuf w;
  rouse__wb_init(&w);
  if ((unsigned)excel_bom & ROUSE_PLAN_CSV_BOM) rouse__wb_put(&w, (const char *)BOM, sizeof BOM);
  rouse__wb_put(&w, HEADER, sizeof HEADER - 1);
  rouse__wb_put(&w, j.eol, j.eol_len);
  int rc = w.err ? ROUSE_NOMEM : write(ctx, w.b, w.len) ? ROUSE_IO : ROUSE_OK;
  rouse__wb_free(&w);
  if (rc) return rc;
  struct rouse_pool *pool = NULL;
  if ((rc = rouse__pool_new(c->n_threads, &pool))) return rc;
  rc = rouse__write_blocks(pool, (p->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, format_block, &j,
                           write, ctx);
  rouse__pool_free(pool);
  return rc;
}
