/* SPDX-License-Identifier: MIT
 * rouse_buf: a bounded, always NUL-terminated growable byte buffer (git strbuf invariants,
 * curl dynbuf's size cap). Growing past `toobig` fails with ROUSE_LIMIT and keeps the
 * contents, so callers can report what they had. */
#include <stdio.h>

#include "base.h"

static char empty_buf[1];

void rouse__buf_init(struct rouse_buf *b, size_t toobig) {
  b->buf = empty_buf;
  b->len = 0;
  b->cap = 0;
  b->toobig = toobig ? toobig : SIZE_MAX;
}

void rouse__buf_release(struct rouse_buf *b) {
  if (b->cap) rouse__free(b->buf);
  b->buf = empty_buf;
  b->len = 0;
  b->cap = 0;
}

int rouse__buf_grow(struct rouse_buf *b, size_t extra) {
  size_t need;
  if (!rouse__add_size(b->len, extra, &need) || !rouse__add_size(need, 1, &need))
    return ROUSE_LIMIT;
  if (need > b->toobig) return ROUSE_LIMIT;
  if (need <= b->cap) return ROUSE_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  if (cap > b->toobig) cap = b->toobig;
  char *p = rouse__realloc(b->cap ? b->buf : NULL, cap);
  if (!p) return ROUSE_NOMEM;
  if (!b->cap) p[0] = '\0';
  b->buf = p;
  b->cap = cap;
  return ROUSE_OK;
}

int rouse__buf_add(struct rouse_buf *b, const void *p, size_t n) {
  int rc = rouse__buf_grow(b, n);
  if (rc) return rc;
  if (n) memcpy(b->buf + b->len, p, n);
  b->len += n;
  b->buf[b->len] = '\0';
  return ROUSE_OK;
}

int rouse__buf_addc(struct rouse_buf *b, char c) { return rouse__buf_add(b, &c, 1); }

int rouse__buf_adds(struct rouse_buf *b, const char *s) { return rouse__buf_add(b, s, strlen(s)); }

int rouse__buf_vprintf(struct rouse_buf *b, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, cp);
  va_end(cp);
  if (n < 0) return ROUSE_MISUSE;
  if ((size_t)n < sizeof small) return rouse__buf_add(b, small, (size_t)n);
  int rc = rouse__buf_grow(b, (size_t)n);
  if (rc) return rc;
  vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return ROUSE_OK;
}

int rouse__buf_printf(struct rouse_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = rouse__buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}
