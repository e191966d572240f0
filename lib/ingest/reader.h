/* SPDX-License-Identifier: MIT
 * Byte source for ingest (file descriptor or memory, plain or gzip). See reader.c. */
#ifndef ROUSE_READER_H
#define ROUSE_READER_H

#include <sys/types.h>

#include "ingest.h"

struct rouse_reader {
  int fd;                   /* when mem == NULL */
  const unsigned char *mem; /* memory source */
  size_t mem_len, mem_pos;
  uint64_t raw_done;        /* bytes consumed from the underlying source */
  uint64_t raw_total;       /* its size, 0 if unknown */
  bool gz, in_member, eof;
  void *zs;                 /* z_stream */
  unsigned char *zin;       /* compressed input (or peeked plain bytes) */
  size_t zin_len, zin_pos;
  char errmsg[160];
};

int rouse__reader_open(struct rouse_reader *r, int fd, const void *mem, size_t mem_len,
                       uint64_t total);
void rouse__reader_close(struct rouse_reader *r);
/* read up to n decompressed bytes: > 0 bytes, 0 at end, -1 on error (r->errmsg) */
ssize_t rouse__reader_read(struct rouse_reader *r, void *dst, size_t n);

#endif
