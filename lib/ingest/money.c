/* SPDX-License-Identifier: MIT
 * Money amounts as written in shop exports: 1234, 1,234, ¥1,234, ￥1,234, "1,234円", 12.50,
 * full-width digits (１２３４), negatives as -500, −500, ▲500, △500 or (500), and the CP932
 * yen sign that decodes to a backslash. Parsed exactly into int64 units of 1/10000; more
 * decimals are rounded half away from zero. Knows nothing about CSV or columns. */
#include <stdio.h>

#include "ingest.h"

#define MAX_INT_DIGITS 14 /* 10^14 currency units fits easily in int64 at 1e-4 */

/* returns digit value 0..9 and its byte length, or -1 */
static inline int digit_at(const unsigned char *s, size_t n, size_t i, size_t *len) {
  if (s[i] >= '0' && s[i] <= '9') {
    *len = 1;
    return s[i] - '0';
  }
  if (i + 2 < n + 0 && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] >= 0x90 && s[i + 2] <= 0x99) {
    *len = 3;
    return s[i + 2] - 0x90;
  }
  return -1;
}

static inline bool match(const unsigned char *s, size_t n, size_t i, const char *k, size_t *len) {
  size_t m = strlen(k);
  if (i + m > n || memcmp(s + i, k, m) != 0) return false;
  *len = m;
  return true;
}

static bool is_space(const unsigned char *s, size_t n, size_t i, size_t *len) {
  if (s[i] == ' ' || s[i] == '\t') {
    *len = 1;
    return true;
  }
  return match(s, n, i, "\xE3\x80\x80", len); /* ideographic space */
}

static bool is_currency(const unsigned char *s, size_t n, size_t i, size_t *len) {
  if (s[i] == '$' || s[i] == '\\') {
    *len = 1;
    return true;
  }
  return match(s, n, i, "\xC2\xA5", len) ||     /* ¥ */
         match(s, n, i, "\xEF\xBF\xA5", len) || /* ￥ */
         match(s, n, i, "\xC2\xA3", len) ||     /* £ */
         match(s, n, i, "\xE2\x82\xAC", len) || /* € */
         match(s, n, i, "\xEF\xBC\x84", len);   /* ＄ */
}

static bool is_minus(const unsigned char *s, size_t n, size_t i, size_t *len) {
  if (s[i] == '-') {
    *len = 1;
    return true;
  }
  return match(s, n, i, "\xE2\x88\x92", len) || /* − U+2212 */
         match(s, n, i, "\xEF\xBC\x8D", len) || /* － */
         match(s, n, i, "\xE2\x96\xB2", len) || /* ▲ */
         match(s, n, i, "\xE2\x96\xB3", len);   /* △ */
}

int rouse_amount_parse(const char *str, size_t n, int64_t *out) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, len;
  /* fast path: plain ASCII digits with an optional '-' and '.' */
  {
    size_t j = 0;
    bool neg = false;
    if (n && s[0] == '-') neg = true, j = 1;
    int64_t v = 0;
    size_t nd = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && nd < MAX_INT_DIGITS)
      v = v * 10 + (s[j++] - '0'), nd++;
    if (nd && (j == n || s[j] == '.')) {
      int64_t frac = 0;
      int nf = 0;
      if (j < n) {
        j++;
        while (j < n && s[j] >= '0' && s[j] <= '9' && nf < 4) frac = frac * 10 + (s[j++] - '0'), nf++;
      }
      if (j == n) {
        for (; nf < 4; nf++) frac *= 10;
        v = v * 10000 + frac;
        *out = neg ? -v : v;
        return ROUSE_OK;
      }
    }
  }
  /* general path */
  bool neg = false, paren = false, seen_sign = false, seen_cur = false;
  while (i < n && is_space(s, n, i, &len)) i += len;
  if (i == n) return ROUSE_EMPTY;
  for (;;) {
    if (i < n && s[i] == '(' && !paren && !seen_sign) {
      paren = true;
      i++;
    } else if (i < n && !seen_sign && is_minus(s, n, i, &len)) {
      neg = seen_sign = true;
      i += len;
    } else if (i < n && !seen_sign && (s[i] == '+' || match(s, n, i, "\xEF\xBC\x8B", &len))) {
      seen_sign = true;
      i += s[i] == '+' ? 1 : 3;
    } else if (i < n && !seen_cur && is_currency(s, n, i, &len)) {
      seen_cur = true;
      i += len;
    } else if (i < n && is_space(s, n, i, &len) && (seen_sign || seen_cur || paren)) {
      i += len;
    } else
      break;
  }
  int64_t v = 0;
  int nd = 0, d;
  bool last_was_digit = false;
  while (i < n) {
    if ((d = digit_at(s, n, i, &len)) >= 0) {
      if (nd == 0 && d == 0) { /* leading zeros do not count toward the digit limit */
      } else if (++nd > MAX_INT_DIGITS)
        return ROUSE_PARSE;
      v = v * 10 + d;
      i += len;
      last_was_digit = true;
    } else if (last_was_digit && i + 1 < n &&
               (s[i] == ',' || match(s, n, i, "\xEF\xBC\x8C", &len))) {
      /* a thousands separator is followed by exactly three digits: "12,50" (a decimal
       * comma) is refused rather than read as 1250 */
      size_t cl = s[i] == ',' ? 1 : 3, dl, k = i + cl;
      for (int g = 0; g < 3; g++) {
        if (k >= n || digit_at(s, n, k, &dl) < 0) return ROUSE_PARSE;
        k += dl;
      }
      if (k < n && digit_at(s, n, k, &dl) >= 0) return ROUSE_PARSE;
      i += cl;
      last_was_digit = false;
    } else
      break;
  }
  bool any_digit = nd > 0 || last_was_digit;
  int64_t frac = 0;
  int nf = 0;
  int round_up = 0;
  if (i < n && (s[i] == '.' || match(s, n, i, "\xEF\xBC\x8E", &len))) {
    i += s[i] == '.' ? 1 : 3;
    while (i < n && (d = digit_at(s, n, i, &len)) >= 0) {
      if (nf < 4) frac = frac * 10 + d;
      else if (nf == 4) round_up = d >= 5;
      nf++;
      i += len;
      any_digit = true;
    }
  }
  if (!any_digit) return ROUSE_PARSE;
  for (int k = nf; k < 4; k++) frac *= 10;
  while (i < n && is_space(s, n, i, &len)) i += len;
  if (i < n && match(s, n, i, "\xE5\x86\x86", &len)) i += len; /* 円 */
  else if (i < n && !seen_cur && is_currency(s, n, i, &len)) i += len;
  while (i < n && is_space(s, n, i, &len)) i += len;
  if (paren) {
    if (i >= n || s[i] != ')' || neg) return ROUSE_PARSE;
    neg = true;
    i++;
  }
  while (i < n && is_space(s, n, i, &len)) i += len;
  if (i != n) return ROUSE_PARSE;
  v = v * 10000 + frac + round_up;
  if (v >= 1000000000000000000LL) return ROUSE_PARSE; /* rounded up to 15 integer digits */
  *out = neg ? -v : v;
  return ROUSE_OK;
}

char *rouse_amount_format(int64_t v, char *buf) {
  bool neg = v < 0;
  uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  uint64_t ip = u / 10000, fp = u % 10000;
  int o = sprintf(buf, "%s%llu", neg ? "-" : "", (unsigned long long)ip);
  if (fp) {
    char f[6];
    snprintf(f, sizeof f, "%04u", (unsigned)fp);
    int k = 4;
    while (k > 0 && f[k - 1] == '0') k--;
    buf[o++] = '.';
    memcpy(buf + o, f, (size_t)k);
    o += k;
    buf[o] = '\0';
  }
  return buf;
}
