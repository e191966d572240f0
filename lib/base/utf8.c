/* SPDX-License-Identifier: MIT
 * UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF) with an ASCII
 * fast path. NUL bytes are rejected too: no id or field may contain one. */
#include "base.h"

bool rouse__utf8_valid(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    /* fast path: 8 ASCII bytes, none zero */
    if (i + 8 <= n) {
      uint64_t v;
      memcpy(&v, p + i, 8);
      if (!(v & 0x8080808080808080ULL) &&
          !((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL)) {
        i += 8;
        continue;
      }
    }
    unsigned c = p[i];
    if (c == 0) return false;
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else
      return false;
    if (i + need >= n) return false; /* truncated sequence */
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k <= need; k++)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    i += need + 1;
  }
  return true;
}
