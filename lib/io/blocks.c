/* SPDX-License-Identifier: MIT
 * Parallel block output (see blocks.h). Every task formats one block into the buffer of its
 * slot, then waits for its turn and hands the block to the sink, so one thread writes while
 * the others format. Tasks are handed out in order and a block is written only after every
 * earlier one, so the blocks in flight are consecutive and never more than the threads:
 * slot = block mod (threads × 2) is never used by two blocks at once. */
#include <pthread.h>

#include "blocks.h"

struct job {
  rouse_block_fn format;
  void *ctx;
  rouse_write_fn write;
  void *wctx;
  struct rouse_wbuf *bufs;
  size_t slots;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t turn; /* the next block to write */
  int rc;      /* the first error; later blocks are skipped */
};

static void run_block(void *arg, size_t i) {
  struct job *j = arg;
  size_t slot = i % j->slots;
  struct rouse_wbuf *w = &j->bufs[slot];
  pthread_mutex_lock(&j->mu);
  int failed = j->rc != ROUSE_OK;
  pthread_mutex_unlock(&j->mu);
  int rc = ROUSE_OK;
  if (!failed) {
    rouse__wb_reset(w);
    rc = j->format(j->ctx, i, slot, w);
    if (!rc && w->err) rc = ROUSE_NOMEM;
  }
  pthread_mutex_lock(&j->mu);
  while (j->turn != i) pthread_cond_wait(&j->cv, &j->mu);
  if (!j->rc && rc) j->rc = rc;
  if (!j->rc && j->write(j->wctx, w->b, w->len)) j->rc = ROUSE_IO;
  j->turn++;
  pthread_cond_broadcast(&j->cv);
  pthread_mutex_unlock(&j->mu);
}

size_t rouse__blocks_per_round(const struct rouse_pool *pool) {
  return (size_t)rouse__pool_threads(pool) * 2;
}

int rouse__write_blocks(struct rouse_pool *pool, size_t nblocks, rouse_block_fn format,
                        void *ctx, rouse_write_fn write, void *wctx) {
  struct job j = {format, ctx, write, wctx, NULL, rouse__blocks_per_round(pool),
                  PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, ROUSE_OK};
  j.bufs = rouse__calloc(j.slots, sizeof *j.bufs);
  if (!j.bufs) return ROUSE_NOMEM;
  rouse__pool_run(pool, nblocks, run_block, &j);
  for (size_t i = 0; i < j.slots; i++) rouse__wb_free(&j.bufs[i]);
  rouse__free(j.bufs);
  pthread_mutex_destroy(&j.mu);
  pthread_cond_destroy(&j.cv);
  return j.rc;
}
