/* SPDX-License-Identifier: MIT
 * Fast, locale-independent, deterministic number formatting into a growable memory buffer,
 * for per-customer CSV outputs of millions of rows (printf costs more than the analysis).
 * Output writers format blocks of rows into one wbuf per block in parallel and hand the
 * blocks to the caller's sink in order. */
#ifndef ROUSE_BASE_FMT_H
#define ROUSE_BASE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rouse_wbuf {
  char *b;
  size_t len, cap;
  bool err; /* an allocation failed: contents are incomplete */
};

void rouse__wb_init(struct rouse_wbuf *w);
void rouse__wb_free(struct rouse_wbuf *w);
static inline void rouse__wb_reset(struct rouse_wbuf *w) { w->len = 0; }
bool rouse__wb_reserve_slow(struct rouse_wbuf *w, size_t n);
static inline bool rouse__wb_reserve(struct rouse_wbuf *w, size_t n) {
  return w->len + n <= w->cap || rouse__wb_reserve_slow(w, n);
}
static inline void rouse__wb_put(struct rouse_wbuf *w, const char *s, size_t n) {
  if (!n || !rouse__wb_reserve(w, n)) return; /* n = 0: nothing, also no memcpy to NULL */
  memcpy(w->b + w->len, s, n);
  w->len += n;
}
static inline void rouse__wb_char(struct rouse_wbuf *w, char c) {
  if (rouse__wb_reserve(w, 1)) w->b[w->len++] = c;
}
void rouse__wb_str(struct rouse_wbuf *w, const char *s);

/* Unchecked writers: the caller reserved enough room first (rouse__wb_reserve). Each returns
 * the new end pointer; commit with w->len = end - w->b. */
char *rouse__fmt_u64(char *p, uint64_t v);
char *rouse__fmt_i64(char *p, int64_t v);                /* <= 21 bytes */
char *rouse__fmt_fixed(char *p, double v, int decimals); /* nothing for NaN/Inf; <= 32 bytes */
char *rouse__fmt_amount(char *p, int64_t e4);            /* <= 24 bytes */
/* the bytes of printf("%.*f", dec, v) (dec 0..6) when that is safe without printf (finite,
 * non-negative, below 1e9, not within an ulp of a rounding tie: nearly always); NULL (nothing
 * written) otherwise, for the caller's snprintf. <= 32 bytes */
char *rouse__fmt_printf_fixed(char *p, double v, int dec);
/* num / den (den > 0) rounded half away from zero to `decimals` (0..6), exactly: for values
 * whose decimal ties a double cannot represent (9.825). <= 32 bytes */
char *rouse__fmt_ratio(char *p, int64_t num, int64_t den, int decimals);
void rouse__wb_u64(struct rouse_wbuf *w, uint64_t v);
void rouse__wb_i64(struct rouse_wbuf *w, int64_t v);
/* fixed decimals (0..9), rounded half away from zero; NaN/Inf write nothing */
void rouse__wb_fixed(struct rouse_wbuf *w, double v, int decimals);
/* the bytes of printf("%.*f", dec, v) (dec 0..6), on the fast path for finite
 * non-negative values below 1e9; "nan"/"inf" as printf writes them */
void rouse__wb_printf_fixed(struct rouse_wbuf *w, double v, int dec);
/* amount in 1/10000 units, trailing zeros trimmed */
void rouse__wb_amount(struct rouse_wbuf *w, int64_t e4);
void rouse__wb_date(struct rouse_wbuf *w, int32_t day);
/* CSV field, quoted when it holds a delimiter, quote or newline */
void rouse__wb_csv(struct rouse_wbuf *w, const char *s, size_t n);

#endif
