/* SPDX-License-Identifier: MIT
 * Parallel block output (see blocks.h). */
#include "blocks.h"

struct round {
  rouse_block_fn format;
  void *ctx;
  struct rouse_wbuf *bufs;
  int *rcs;
  size_t first;
};

static void run_slot(void *arg, size_t i) {
  struct round *r = arg;
  rouse__wb_reset(&r->bufs[i]);
  r->rcs[i] = r->format(r->ctx, r->first + i, i, &r->bufs[i]);
  if (!r->rcs[i] && r->bufs[i].err) r->rcs[i] = ROUSE_NOMEM;
}

size_t rouse__blocks_per_round(const struct rouse_pool *pool) {
  return (size_t)rouse__pool_threads(pool) * 2;
}

int rouse__write_blocks(struct rouse_pool *pool, size_t nblocks, rouse_block_fn format,
                        void *ctx, rouse_write_fn write, void *wctx) {
  size_t per_round = rouse__blocks_per_round(pool);
  struct rouse_wbuf *bufs = rouse__calloc(per_round, sizeof *bufs);
  int *rcs = rouse__calloc(per_round, sizeof *rcs);
  int rc = bufs && rcs ? ROUSE_OK : ROUSE_NOMEM;
  for (size_t b = 0; !rc && b < nblocks; b += per_round) {
    size_t k = nblocks - b < per_round ? nblocks - b : per_round;
    struct round r = {format, ctx, bufs, rcs, b};
    rouse__pool_run(pool, k, run_slot, &r);
    for (size_t i = 0; i < k && !rc; i++) {
      if (rcs[i]) rc = rcs[i];
      else if (write(wctx, bufs[i].b, bufs[i].len)) rc = ROUSE_IO;
    }
  }
  if (bufs)
    for (size_t i = 0; i < per_round; i++) rouse__wb_free(&bufs[i]);
  rouse__free(bufs);
  rouse__free(rcs);
  return rc;
}
