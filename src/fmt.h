/* SPDX-License-Identifier: MIT
 * Fast, locale-independent, deterministic number formatting into a buffered writer, for
 * per-customer CSV outputs of millions of rows (printf costs more than the analysis). */
#ifndef ROUSE_FMT_H
#define ROUSE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wbuf {
  FILE *f;
  char *b;
  size_t len, cap;
  bool err;
};

void wb_init(struct wbuf *w, FILE *f);
void wb_flush(struct wbuf *w);
void wb_free(struct wbuf *w); /* flushes */
void wb_put(struct wbuf *w, const char *s, size_t n);
void wb_str(struct wbuf *w, const char *s);
void wb_char(struct wbuf *w, char c);
void wb_u64(struct wbuf *w, uint64_t v);
void wb_i64(struct wbuf *w, int64_t v);
/* fixed decimals (0..9), rounded half away from zero; NaN/Inf write nothing */
void wb_fixed(struct wbuf *w, double v, int decimals);
/* amount in 1/10000 units, trailing zeros trimmed */
void wb_amount(struct wbuf *w, int64_t e4);
void wb_date(struct wbuf *w, int32_t day);
/* CSV field, quoted when it holds a delimiter, quote or newline */
void wb_csv(struct wbuf *w, const char *s, size_t n);

#endif
