/* SPDX-License-Identifier: MIT
 * CSV writer for target lists (rouse_plan_write_csv): one row per list member in rank order,
 * text fields quoted per RFC 4180 when needed, numbers through the shared formatters of
 * lib/base/fmt.h (locale-independent; expected_value has the same bytes as in the scores and
 * predictions CSVs, i.e. printf's "%.2f"), an optional UTF-8 BOM for Excel. Serial: a list is at
 * most the eligible customers, and a row costs well under a microsecond; the text is
 * assembled in one buffer and handed to the sink every 64 KiB. Chooses no rows itself. */
#include <math.h>

#include "../base/base.h"
#include "../base/fmt.h"

#define FLUSH_AT (64u * 1024u)

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

static int flush(struct rouse_wbuf *w, rouse_write_fn write, void *ctx) {
  if (w->err) return ROUSE_NOMEM;
  if (w->len && write(ctx, w->b, w->len)) return ROUSE_IO;
  rouse__wb_reset(w);
  return ROUSE_OK;
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
  const char *eol = ((unsigned)excel_bom & ROUSE_PLAN_CSV_CRLF) ? "\r\n" : "\n";
  size_t eol_len = strlen(eol);

  struct rouse_wbuf w;
  rouse__wb_init(&w);
  if ((unsigned)excel_bom & ROUSE_PLAN_CSV_BOM) rouse__wb_put(&w, (const char *)BOM, sizeof BOM);
  rouse__wb_put(&w, HEADER, sizeof HEADER - 1);
  rouse__wb_put(&w, eol, eol_len);
  int rc = ROUSE_OK;
  for (size_t k = 0; k < p->n && !rc; k++) {
    size_t r = p->row[k];
    rouse__wb_csv(&w, c->ids[r], strlen(c->ids[r]));
    rouse__wb_char(&w, ',');
    put_text(&w, c->state, r);
    rouse__wb_char(&w, ',');
    if (c->score) rouse__wb_fixed(&w, 100.0 * c->score[r], 0); /* 0..100, halves up */
    rouse__wb_char(&w, ',');
    put_text(&w, c->tier, r);
    rouse__wb_char(&w, ',');
    put_text(&w, c->reasons, r);
    rouse__wb_char(&w, ',');
    if (c->expected_value && isfinite(c->expected_value[r])) /* NaN/Inf: empty */
      rouse__wb_printf_fixed(&w, c->expected_value[r], 2);
    rouse__wb_char(&w, ',');
    rouse__wb_char(&w, p->holdout[k] ? '1' : '0');
    rouse__wb_put(&w, eol, eol_len);
    if (w.len >= FLUSH_AT || w.err) rc = flush(&w, write, ctx);
  }
  if (!rc) rc = flush(&w, write, ctx);
  rouse__wb_free(&w);
  return rc;
}
