/* SPDX-License-Identifier: MIT
 * Byte source for ingest: a file descriptor or a memory range, gzip-compressed or not
 * (detected from the magic bytes; concatenated gzip members are read as one stream).
 * Knows nothing about text or CSV. Errors are reported as a status plus a message. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <zlib.h>

#include "reader.h"

#define ZIN_SIZE (256u << 10)

static ssize_t raw_read(struct rouse_reader *r, unsigned char *buf, size_t n) {
  if (r->mem) {
    size_t k = r->mem_len - r->mem_pos;
    if (k > n) k = n;
    memcpy(buf, r->mem + r->mem_pos, k);
    r->mem_pos += k;
    r->raw_done += k;
    return (ssize_t)k;
  }
  for (;;) {
    ssize_t k = read(r->fd, buf, n);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      snprintf(r->errmsg, sizeof r->errmsg, "cannot read: %s", strerror(errno));
      return -1;
    }
    r->raw_done += (uint64_t)k;
    return k;
  }
}

int rouse__reader_open(struct rouse_reader *r, int fd, const void *mem, size_t mem_len,
                       uint64_t total) {
  memset(r, 0, sizeof *r);
  r->fd = fd;
  r->mem = mem;
  r->mem_len = mem_len;
  r->raw_total = total;
  r->zin = rouse__malloc(ZIN_SIZE);
  if (!r->zin) return ROUSE_NOMEM;
  /* peek for the gzip magic */
  size_t got = 0;
  while (got < 2) {
    ssize_t k = raw_read(r, r->zin + got, ZIN_SIZE - got);
    if (k < 0) return ROUSE_IO;
    if (k == 0) break;
    got += (size_t)k;
  }
  r->zin_len = got;
  r->zin_pos = 0;
  if (got >= 2 && r->zin[0] == 0x1f && r->zin[1] == 0x8b) {
    z_stream *zs = rouse__calloc(1, sizeof *zs);
    if (!zs) return ROUSE_NOMEM;
    if (inflateInit2(zs, 15 + 16) != Z_OK) {
      rouse__free(zs);
      snprintf(r->errmsg, sizeof r->errmsg, "cannot initialise gzip decoder");
      return ROUSE_NOMEM;
    }
    r->zs = zs;
    r->gz = true;
  }
  return ROUSE_OK;
}

void rouse__reader_close(struct rouse_reader *r) {
  if (r->zs) {
    inflateEnd(r->zs);
    rouse__free(r->zs);
  }
  rouse__free(r->zin);
  r->zs = NULL;
  r->zin = NULL;
}

/* refill the compressed/peek buffer; returns bytes available, 0 at EOF, -1 on error */
static ssize_t refill(struct rouse_reader *r) {
  if (r->zin_pos < r->zin_len) return (ssize_t)(r->zin_len - r->zin_pos);
  ssize_t k = raw_read(r, r->zin, ZIN_SIZE);
  if (k <= 0) return k;
  r->zin_len = (size_t)k;
  r->zin_pos = 0;
  return k;
}

ssize_t rouse__reader_read(struct rouse_reader *r, void *dst, size_t n) {
  unsigned char *out = dst;
  if (r->eof || n == 0) return 0;
  if (!r->gz) {
    /* serve the peeked bytes first, then read straight into the caller's buffer */
    if (r->zin_pos < r->zin_len) {
      size_t k = r->zin_len - r->zin_pos;
      if (k > n) k = n;
      memcpy(out, r->zin + r->zin_pos, k);
      r->zin_pos += k;
      return (ssize_t)k;
    }
    size_t got = 0;
    while (got < n) {
      ssize_t k = raw_read(r, out + got, n - got);
      if (k < 0) return -1;
      if (k == 0) {
        r->eof = true;
        break;
      }
      got += (size_t)k;
    }
    return (ssize_t)got;
  }
  z_stream *zs = r->zs;
  zs->next_out = out;
  zs->avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
  while (zs->avail_out > 0) {
    ssize_t avail = refill(r);
    if (avail < 0) return -1;
    if (avail == 0) {
      if (r->in_member) {
        snprintf(r->errmsg, sizeof r->errmsg,
                 "truncated gzip data: the compressed stream ends before its end marker");
        return -1;
      }
      r->eof = true;
      break;
    }
    if (!r->in_member) {
      /* a new member must start with the magic */
      if (avail < 2 && !(r->zin[r->zin_pos] == 0x1f)) goto trailing;
      if (r->zin[r->zin_pos] != 0x1f || (avail >= 2 && r->zin[r->zin_pos + 1] != 0x8b)) {
      trailing:
        snprintf(r->errmsg, sizeof r->errmsg, "trailing garbage after gzip data");
        return -1;
      }
      inflateReset(zs);
      r->in_member = true;
    }
    zs->next_in = r->zin + r->zin_pos;
    zs->avail_in = (uInt)(r->zin_len - r->zin_pos);
    int rc = inflate(zs, Z_NO_FLUSH);
    r->zin_pos = r->zin_len - zs->avail_in;
    if (rc == Z_STREAM_END) {
      r->in_member = false;
      continue;
    }
    if (rc == Z_BUF_ERROR) continue; /* needs more input */
    if (rc != Z_OK) {
      snprintf(r->errmsg, sizeof r->errmsg, "corrupt gzip data (%s)",
               zs->msg ? zs->msg : "inflate failed");
      return -1;
    }
  }
  return (ssize_t)(n - zs->avail_out);
}
