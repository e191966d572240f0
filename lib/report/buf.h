/* SPDX-License-Identifier: MIT
 * A growing text buffer for the SVG and HTML writers: appends never fail loudly; after an
 * allocation failure the buffer stops growing and `oom` is set, to be checked once at the end.
 * Internal to the report library; not installed. */
#ifndef ROUSE_REPORT_BUF_H
#define ROUSE_REPORT_BUF_H

#include <stddef.h>

typedef struct rpt_buf {
  char *p;    /* NUL-terminated once anything was appended */
  size_t n, cap;
  int oom;
} rpt_buf;

void rpt_buf_put(rpt_buf *b, const char *s, size_t n);
void rpt_buf_puts(rpt_buf *b, const char *s);
/* s with & < > " ' as XML entities; other control bytes but TAB, LF, CR are dropped */
void rpt_buf_esc(rpt_buf *b, const char *s);

#endif
