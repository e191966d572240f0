/* SPDX-License-Identifier: MIT
 * CSV writer for per-customer scores (`rouse score`, scores.csv of `rouse run`):
 *   customer_id,state,segment,rfm,p_alive,p_purchase,expected_purchases,expected_value,
 *   churn_risk,tier,reasons
 * state is rouse_state_name, segment the dormancy depth segment, rfm the RFM group name;
 * probabilities and expected purchases with 6 decimals, expected_value with 2, churn_risk
 * (0..100) with 1; reasons in the requested language, quoted as RFC 4180 requires. Blocks of
 * rows are formatted in parallel and written in order: the same bytes at any thread count. */
#include <math.h>
#include <stdio.h>

#include "../base/base.h"
#include "../base/fmt.h"
#include "blocks.h"
#include "rouse/rouse.h"
#include "rouse/rouse_score.h"

#define ROWS_PER_BLOCK 8192

/* an empty field for NaN (no amounts), else printf's bytes */
static void put_fixed(struct rouse_wbuf *w, double v, int dec) {
  if (isfinite(v)) rouse__wb_printf_fixed(w, v, dec);
}

struct ctx {
  const rouse_scores *s;
  const char *lang;
};

static int format_block(void *vctx, size_t block, size_t slot, struct rouse_wbuf *w) {
  (void)slot;
  const struct ctx *c = vctx;
  const rouse_scores *s = c->s;
  size_t lo = block * ROWS_PER_BLOCK;
  size_t hi = lo + ROWS_PER_BLOCK < s->n ? lo + ROWS_PER_BLOCK : s->n;
  char rbuf[512];
  for (size_t i = lo; i < hi && !w->err; i++) {
    const char *id = s->summary->id[i];
    rouse__wb_csv(w, id, strlen(id));
    rouse__wb_char(w, ',');
    rouse__wb_str(w, rouse_state_name(s->life->state[i]));
    rouse__wb_char(w, ',');
    rouse__wb_str(w, rouse_segment_dormancy_name(s->dormancy->segment[i]));
    rouse__wb_char(w, ',');
    rouse__wb_str(w, rouse_segment_rfm_group_name(s->rfm->group[i]));
    rouse__wb_char(w, ',');
    put_fixed(w, s->p_alive[i], 6);
    rouse__wb_char(w, ',');
    put_fixed(w, s->p_purchase[i], 6);
    rouse__wb_char(w, ',');
    put_fixed(w, s->expected_purchases[i], 6);
    rouse__wb_char(w, ',');
    put_fixed(w, s->expected_value[i], 2);
    rouse__wb_char(w, ',');
    put_fixed(w, s->churn_risk[i], 1);
    rouse__wb_char(w, ',');
    rouse__wb_str(w, rouse_tier_name(s->tier[i]));
    rouse__wb_char(w, ',');
    rouse_score_reasons_text(s, i, c->lang, rbuf, sizeof rbuf);
    rouse__wb_csv(w, rbuf, strlen(rbuf));
    rouse__wb_char(w, '\n');
  }
  return w->err ? ROUSE_NOMEM : ROUSE_OK;
}

static const char HEADER[] = "customer_id,state,segment,rfm,p_alive,p_purchase,"
                             "expected_purchases,expected_value,churn_risk,tier,reasons\n";

int rouse_scores_write_csv(const rouse_scores *s, const char *lang, int excel_bom,
                           rouse_write_fn write, void *ctx, int n_threads) {
  if (!s || !write || !s->summary || !s->life || !s->dormancy || !s->rfm) return ROUSE_MISUSE;
  if (excel_bom && write(ctx, "\xEF\xBB\xBF", 3)) return ROUSE_IO;
  if (write(ctx, HEADER, sizeof HEADER - 1)) return ROUSE_IO;
  struct ctx c = {s, lang};
  size_t nblocks = (s->n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
  struct rouse_pool *pool = NULL;
  int rc = rouse__pool_new(n_threads, &pool);
  if (rc) return rc;
  rc = rouse__write_blocks(pool, nblocks, format_block, &c, write, ctx);
  rouse__pool_free(pool);
  return rc;
}
