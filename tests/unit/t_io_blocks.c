/* SPDX-License-Identifier: MIT
 * rouse__write_blocks (lib/io/blocks.c): blocks reach the sink in order, one call at a time,
 * with the same bytes at any thread count; no two concurrent calls share a slot; a failing
 * block or sink stops the output with its status and nothing after it is written. */
#include <stdatomic.h>

#include "../../lib/io/blocks.h"
#include "harness.h"

struct fmt {
  size_t fail_at;        /* SIZE_MAX = never */
  atomic_int busy[64];   /* per slot: calls inside */
  atomic_int clash;      /* a slot used by two calls at once */
};

static int format(void *ctx, size_t block, size_t slot, struct rouse_wbuf *w) {
  struct fmt *f = ctx;
  if (slot >= 64 || atomic_fetch_add(&f->busy[slot], 1) != 0) atomic_store(&f->clash, 1);
  int rc = ROUSE_OK;
  if (block == f->fail_at) rc = ROUSE_LIMIT;
  else {
    /* uneven work and sizes: block b is "b:" then (b * 7919) % 5000 bytes of a letter */
    size_t len = (block * 7919u) % 5000u;
    rouse__wb_u64(w, block);
    rouse__wb_char(w, ':');
    for (size_t i = 0; i < len; i++) rouse__wb_char(w, (char)('a' + (block + i) % 26));
    rouse__wb_char(w, '\n');
  }
  if (slot < 64) atomic_fetch_sub(&f->busy[slot], 1);
  return rc;
}

struct sink {
  struct rouse_wbuf all;
  size_t calls, fail_at_call; /* fail the call with this number (0-based); SIZE_MAX = never */
  atomic_int inside, overlap;
};

static int sink_write(void *ctx, const void *data, size_t len) {
  struct sink *s = ctx;
  if (atomic_fetch_add(&s->inside, 1) != 0) atomic_store(&s->overlap, 1);
  int bad = s->calls++ == s->fail_at_call;
  if (!bad) rouse__wb_put(&s->all, data, len);
  atomic_fetch_sub(&s->inside, 1);
  return bad;
}

static int run(int threads, size_t nblocks, size_t fail_block, size_t fail_call,
               struct sink *s, int *clash) {
  static struct fmt f;
  memset(&f, 0, sizeof f);
  f.fail_at = fail_block;
  memset(s, 0, sizeof *s);
  rouse__wb_init(&s->all);
  s->fail_at_call = fail_call;
  struct rouse_pool *pool = NULL;
  *clash = 0;
  if (rouse__pool_new(threads, &pool)) return -999;
  int rc = rouse__write_blocks(pool, nblocks, format, &f, sink_write, s);
  rouse__pool_free(pool);
  *clash = atomic_load(&f.clash);
  return rc;
}

int main(void) {
  struct sink ref, s;
  int clash = 0;
  CHECK_EQ_INT(run(1, 300, SIZE_MAX, SIZE_MAX, &ref, &clash), ROUSE_OK);
  CHECK_EQ_INT(ref.calls, 300);
  /* the serial bytes are the blocks in order */
  struct rouse_wbuf want;
  rouse__wb_init(&want);
  struct fmt f0;
  memset(&f0, 0, sizeof f0);
  f0.fail_at = SIZE_MAX;
  for (size_t b = 0; b < 300; b++) format(&f0, b, 0, &want);
  CHECK(ref.all.len == want.len && !memcmp(ref.all.b, want.b, want.len));
  for (int t = 2; t <= 8; t *= 2) {
    CHECK_EQ_INT(run(t, 300, SIZE_MAX, SIZE_MAX, &s, &clash), ROUSE_OK);
    CHECK(s.all.len == ref.all.len && !memcmp(s.all.b, ref.all.b, ref.all.len));
    CHECK(!clash);
    CHECK(!atomic_load(&s.overlap));
    rouse__wb_free(&s.all);
    /* a failing block: its status, and exactly the blocks before it reached the sink */
    CHECK_EQ_INT(run(t, 300, 137, SIZE_MAX, &s, &clash), ROUSE_LIMIT);
    CHECK_EQ_INT(s.calls, 137);
    size_t before = 0;
    for (size_t b = 0; b < 137; b++) {
      struct rouse_wbuf one;
      rouse__wb_init(&one);
      format(&f0, b, 0, &one);
      before += one.len;
      rouse__wb_free(&one);
    }
    CHECK(s.all.len == before && !memcmp(s.all.b, ref.all.b, before));
    rouse__wb_free(&s.all);
    /* a failing sink: ROUSE_IO and no call after it */
    CHECK_EQ_INT(run(t, 300, SIZE_MAX, 40, &s, &clash), ROUSE_IO);
    CHECK_EQ_INT(s.calls, 41);
    rouse__wb_free(&s.all);
    /* none and one block */
    CHECK_EQ_INT(run(t, 0, SIZE_MAX, SIZE_MAX, &s, &clash), ROUSE_OK);
    CHECK_EQ_INT(s.calls, 0);
    rouse__wb_free(&s.all);
    CHECK_EQ_INT(run(t, 1, SIZE_MAX, SIZE_MAX, &s, &clash), ROUSE_OK);
    CHECK_EQ_INT(s.calls, 1);
    rouse__wb_free(&s.all);
  }
  rouse__wb_free(&ref.all);
  rouse__wb_free(&want);
  return done_testing();
}
