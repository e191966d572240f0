/* SPDX-License-Identifier: MIT
 * Buffered writer and number formatting for CSV outputs (see fmt.h). */
#include "fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rouse/rouse.h"

#define WB_CAP (1u << 20)

void wb_init(struct wbuf *w, FILE *f) {
  w->f = f;
  w->cap = WB_CAP;
  w->b = malloc(w->cap);
  w->len = 0;
  w->err = w->b == NULL;
}

void wb_flush(struct wbuf *w) {
  if (w->len && w->b && fwrite(w->b, 1, w->len, w->f) != w->len) w->err = true;
  w->len = 0;
}

void wb_free(struct wbuf *w) {
  wb_flush(w);
  free(w->b);
  w->b = NULL;
}

void wb_put(struct wbuf *w, const char *s, size_t n) {
  if (!w->b) return;
  if (w->len + n > w->cap) {
    wb_flush(w);
    if (n > w->cap) {
      if (fwrite(s, 1, n, w->f) != n) w->err = true;
      return;
    }
  }
  memcpy(w->b + w->len, s, n);
  w->len += n;
}

void wb_str(struct wbuf *w, const char *s) { wb_put(w, s, strlen(s)); }

void wb_char(struct wbuf *w, char c) {
  if (w->len + 1 > w->cap) wb_flush(w);
  if (w->b) w->b[w->len++] = c;
}

static size_t u64_to(char *out, uint64_t v) {
  char t[24];
  size_t n = 0;
  do {
    t[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++) out[i] = t[n - 1 - i];
  return n;
}

void wb_u64(struct wbuf *w, uint64_t v) {
  char t[24];
  wb_put(w, t, u64_to(t, v));
}

void wb_i64(struct wbuf *w, int64_t v) {
  if (v < 0) {
    wb_char(w, '-');
    wb_u64(w, (uint64_t)0 - (uint64_t)v);
  } else
    wb_u64(w, (uint64_t)v);
}

void wb_fixed(struct wbuf *w, double v, int dec) {
  static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  if (!isfinite(v)) return;
  double s = fabs(v) * p10[dec];
  if (s >= 9e18) { /* too large for the integer path */
    char t[64];
    int n = snprintf(t, sizeof t, "%.*f", dec, v);
    wb_put(w, t, (size_t)n);
    return;
  }
  uint64_t u = (uint64_t)llround(s);
  if (v < 0 && u) wb_char(w, '-');
  uint64_t ip = u, fp = 0;
  uint64_t m = (uint64_t)p10[dec];
  ip = u / m;
  fp = u % m;
  wb_u64(w, ip);
  if (dec) {
    char t[12];
    t[0] = '.';
    for (int i = dec; i >= 1; i--) {
      t[i] = (char)('0' + fp % 10);
      fp /= 10;
    }
    wb_put(w, t, (size_t)dec + 1);
  }
}

void wb_amount(struct wbuf *w, int64_t e4) {
  char t[40];
  rouse_amount_format(e4, t);
  wb_str(w, t);
}

void wb_date(struct wbuf *w, int32_t day) {
  char t[16];
  rouse_date_format(day, t);
  wb_put(w, t, 10);
}

void wb_csv(struct wbuf *w, const char *s, size_t n) {
  bool q = false;
  for (size_t i = 0; i < n && !q; i++)
    q = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!q) {
    wb_put(w, s, n);
    return;
  }
  wb_char(w, '"');
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') wb_char(w, '"');
    wb_char(w, s[i]);
  }
  wb_char(w, '"');
}
