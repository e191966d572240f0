/* SPDX-License-Identifier: MIT
 * Growable output buffer and number formatting for CSV outputs (see fmt.h). */
#include "fmt.h"

#include <math.h>
#include <stdio.h>

#include "base.h"

void rouse__wb_init(struct rouse_wbuf *w) {
  w->b = NULL;
  w->len = w->cap = 0;
  w->err = false;
}

void rouse__wb_free(struct rouse_wbuf *w) {
  rouse__free(w->b);
  w->b = NULL;
  w->len = w->cap = 0;
}

bool rouse__wb_reserve_slow(struct rouse_wbuf *w, size_t n) {
  if (w->len + n <= w->cap) return true;
  size_t nc = w->cap ? w->cap : 1u << 16;
  while (nc < w->len + n) nc *= 2;
  char *b = rouse__realloc(w->b, nc);
  if (!b) {
    w->err = true;
    return false;
  }
  w->b = b;
  w->cap = nc;
  return true;
}



void rouse__wb_str(struct rouse_wbuf *w, const char *s) { rouse__wb_put(w, s, strlen(s)); }



static const char DIGITS2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

char *rouse__fmt_u64(char *p, uint64_t v) {
  char t[24];
  char *e = t + sizeof t, *q = e;
  while (v >= 100) {
    unsigned d = (unsigned)(v % 100) * 2;
    v /= 100;
    *--q = DIGITS2[d + 1];
    *--q = DIGITS2[d];
  }
  if (v >= 10) {
    unsigned d = (unsigned)v * 2;
    *--q = DIGITS2[d + 1];
    *--q = DIGITS2[d];
  } else
    *--q = (char)('0' + v);
  size_t n = (size_t)(e - q);
  memcpy(p, q, n);
  return p + n;
}

static const uint64_t U10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                100000000, 1000000000};

/* u / 10^dec with exactly dec decimals */
static char *put_scaled(char *p, uint64_t u, int dec) {
  p = rouse__fmt_u64(p, u / U10[dec]);
  if (dec == 6 || dec == 2) { /* the CSVs' probabilities and amounts: digit pairs */
    uint32_t fp = (uint32_t)(u % U10[dec]);
    *p++ = '.';
    if (dec == 6) {
      uint32_t hi = fp / 10000, mid = fp / 100 % 100;
      memcpy(p, DIGITS2 + 2 * hi, 2);
      memcpy(p + 2, DIGITS2 + 2 * mid, 2);
      p += 4;
    }
    memcpy(p, DIGITS2 + 2 * (fp % 100), 2);
    return p + 2;
  }
  if (dec) {
    uint64_t fp = u % U10[dec];
    *p++ = '.';
    for (int i = dec - 1; i >= 0; i--) {
      p[i] = (char)('0' + fp % 10);
      fp /= 10;
    }
    p += dec;
  }
  return p;
}

char *rouse__fmt_fixed(char *p, double v, int dec) {
  static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  if (!isfinite(v)) return p;
  double s = fabs(v) * p10[dec];
  if (s >= 9e15) /* beyond exact integers: let printf round */
    return p + snprintf(p, 32, "%.*f", dec, v);
  /* half away from zero, as llround; below 2^52 s + 0.5 is exact, so the cast is too */
  uint64_t u = s < 0x1p52 ? (uint64_t)(s + 0.5) : (uint64_t)llround(s);
  if (v < 0 && u) *p++ = '-';
  return put_scaled(p, u, dec);
}

char *rouse__fmt_amount(char *p, int64_t e4) {
  uint64_t u = e4 < 0 ? (uint64_t)0 - (uint64_t)e4 : (uint64_t)e4;
  if (e4 < 0) *p++ = '-';
  p = rouse__fmt_u64(p, u / 10000);
  unsigned fp = (unsigned)(u % 10000);
  if (fp) {
    p[0] = '.';
    p[1] = (char)('0' + fp / 1000);
    p[2] = (char)('0' + fp / 100 % 10);
    p[3] = (char)('0' + fp / 10 % 10);
    p[4] = (char)('0' + fp % 10);
    size_t k = 5;
    while (p[k - 1] == '0') k--;
    p += k;
  }
  return p;
}

char *rouse__fmt_ratio(char *p, int64_t num, int64_t den, int dec) {
  bool neg = num < 0;
  unsigned __int128 n = neg ? (unsigned __int128)(-(num + 1)) + 1 : (unsigned __int128)num;
  unsigned __int128 d = (unsigned __int128)den;
  unsigned __int128 q = (2 * n * U10[dec] + d) / (2 * d); /* half away from zero */
  if (q > UINT64_MAX) return p + snprintf(p, 32, "%.*f", dec, (double)num / (double)den);
  uint64_t u = (uint64_t)q;
  if (neg && u) *p++ = '-';
  return put_scaled(p, u, dec);
}

void rouse__wb_u64(struct rouse_wbuf *w, uint64_t v) {
  if (rouse__wb_reserve(w, 24)) w->len = (size_t)(rouse__fmt_u64(w->b + w->len, v) - w->b);
}

char *rouse__fmt_i64(char *p, int64_t v) {
  if (v >= 0) return rouse__fmt_u64(p, (uint64_t)v);
  *p++ = '-';
  return rouse__fmt_u64(p, (uint64_t)0 - (uint64_t)v);
}

void rouse__wb_i64(struct rouse_wbuf *w, int64_t v) {
  if (rouse__wb_reserve(w, 24)) w->len = (size_t)(rouse__fmt_i64(w->b + w->len, v) - w->b);
}

void rouse__wb_fixed(struct rouse_wbuf *w, double v, int dec) {
  if (rouse__wb_reserve(w, 40)) w->len = (size_t)(rouse__fmt_fixed(w->b + w->len, v, dec) - w->b);
}

void rouse__wb_amount(struct rouse_wbuf *w, int64_t e4) {
  if (rouse__wb_reserve(w, 32)) w->len = (size_t)(rouse__fmt_amount(w->b + w->len, e4) - w->b);
}

void rouse__wb_date(struct rouse_wbuf *w, int32_t day) {
  char t[16];
  rouse_date_format(day, t);
  rouse__wb_put(w, t, 10);
}

/* whether any of the 8 bytes of v equals a byte of b (b = that byte × 0x0101...) */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t has_byte(uint64_t v, uint64_t b) {
  uint64_t x = v ^ b;
  return (x - ONES) & ~x & HIGHS;
}

/* whether s[0..n) holds a byte that needs quoting: eight bytes at a time */
static bool csv_needs_quotes(const char *s, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    if (has_byte(v, ',' * ONES) | has_byte(v, '"' * ONES) | has_byte(v, '\n' * ONES) |
        has_byte(v, '\r' * ONES))
      return true;
  }
  for (; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return true;
  return false;
}

void rouse__wb_csv(struct rouse_wbuf *w, const char *s, size_t n) {
  bool q = csv_needs_quotes(s, n);
  if (!q) {
    rouse__wb_put(w, s, n);
    return;
  }
  rouse__wb_char(w, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') rouse__wb_char(w, '"');
    rouse__wb_char(w, s[i]);
  }
  rouse__wb_char(w, '"');
}

/* v with `dec` decimals, the same bytes as printf("%.*f", dec, v). rouse__fmt_fixed rounds
 * v·10^dec (itself rounded) half away from zero, printf rounds the exact binary value
 * (exact ties to even), and prints "-0.000000" for small negatives and "nan"/"inf": these
 * differ only when v·10^dec lies within an ulp of a half-integer, or v is negative or not
 * finite. Those rare cases are left to snprintf (NULL). */
char *rouse__fmt_printf_fixed(char *p, double v, int dec) {
  static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  if (signbit(v) || !(v < 1e9)) return NULL; /* NaN, -0.0, negatives, large */
  double s = v * p10[dec], f = floor(s);
  double d = s - f - 0.5; /* exact */
  if (!(fabs(d) > s * 0x1p-51)) return NULL;
  return put_scaled(p, (uint64_t)f + (d > 0), dec); /* rouse__fmt_fixed's rounding, here */
}

void rouse__wb_printf_fixed(struct rouse_wbuf *w, double v, int dec) {
  char *e;
  if (rouse__wb_reserve(w, 32) && (e = rouse__fmt_printf_fixed(w->b + w->len, v, dec))) {
    w->len = (size_t)(e - w->b);
    return;
  }
  char t[400]; /* "%.6f" of DBL_MAX is 316 bytes */
  int n = snprintf(t, sizeof t, "%.*f", dec, v);
  if (n > 0) rouse__wb_put(w, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1);
}
