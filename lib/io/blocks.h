/* SPDX-License-Identifier: MIT
 * Parallel block output, shared by the CSV writers: blocks of rows are formatted on the job
 * pool and handed to the caller's sink in block order while later blocks are being formatted,
 * so the bytes do not depend on the thread count. */
#ifndef ROUSE_IO_BLOCKS_H
#define ROUSE_IO_BLOCKS_H

#include "../base/base.h"
#include "../base/fmt.h"

/* Append the bytes of block `block` to `out` (empty on entry). `slot` (0 .. slots-1) is
 * never shared by two concurrent calls, for per-slot scratch. @return ROUSE_OK or a
 * negative status (the output stops). */
typedef int (*rouse_block_fn)(void *ctx, size_t block, size_t slot, struct rouse_wbuf *out);

/* Number of blocks formatted concurrently (the slot count) for a pool. */
size_t rouse__blocks_per_round(const struct rouse_pool *pool);

/* Format blocks 0 .. nblocks-1 with `format` and pass them to `write` in order: one call at
 * a time, from any of the pool's threads (the sink needs no lock of its own).
 * @return ROUSE_OK, the first error of `format`, ROUSE_NOMEM or ROUSE_IO (sink stopped). */
int rouse__write_blocks(struct rouse_pool *pool, size_t nblocks, rouse_block_fn format,
                        void *ctx, rouse_write_fn write, void *wctx);

#endif
