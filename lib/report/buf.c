/* SPDX-License-Identifier: MIT
 * The report's text buffer (buf.h). */
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void rpt_buf_put(rpt_buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->cap - b->n < n + 1) {
    size_t cap = b->cap ? b->cap : 8192;
    while (cap - b->n < n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
}

void rpt_buf_puts(rpt_buf *b, const char *s) { rpt_buf_put(b, s, strlen(s)); }

void rpt_buf_esc(rpt_buf *b, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *e;
    switch (*s) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\'': e = "&#39;"; break;
    default:
      if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r') continue;
      e = ""; /* a control byte XML cannot hold */
      break;
    }
    rpt_buf_put(b, run, (size_t)(s - run));
    rpt_buf_puts(b, e);
    run = s + 1;
  }
  rpt_buf_put(b, run, (size_t)(s - run));
}
