/* SPDX-License-Identifier: MIT
 * Text encodings of shop exports: UTF-8 (with or without BOM) and CP932 (Windows Shift_JIS,
 * what Japanese carts and Excel write). Detection looks at the bytes: valid UTF-8 wins,
 * otherwise valid CP932, otherwise the input is refused. Conversion uses iconv (glibc's CP932
 * table) for non-ASCII runs and copies ASCII runs directly, which keeps mostly-ASCII exports
 * fast. Knows nothing about CSV. */
#include <errno.h>
#include <iconv.h>

#include "ingest.h"

/* CP932 structure: lead bytes 0x81-0x9F, 0xE0-0xFC take a trail byte 0x40-0x7E or 0x80-0xFC;
 * 0xA1-0xDF are single-byte half-width katakana; 0x80, 0xA0, 0xFD-0xFF are not characters. */
static inline bool cp932_lead(unsigned c) { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC); }
static inline bool cp932_trail(unsigned c) { return (c >= 0x40 && c <= 0x7E) || (c >= 0x80 && c <= 0xFC); }

/* number of invalid characters when read as CP932 */
static size_t cp932_errors(const unsigned char *p, size_t n, bool final) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = p[i];
    if (c < 0x80) {
      bad += c == 0;
      continue;
    }
    if (c >= 0xA1 && c <= 0xDF) continue;
    if (!cp932_lead(c)) {
      bad++;
      continue;
    }
    if (i + 1 == n) {
      bad += final;
      break;
    }
    if (!cp932_trail(p[i + 1])) bad++;
    else i++;
  }
  return bad;
}

/* number of invalid sequences when read as UTF-8 (each bad lead byte counts once) */
static size_t utf8_errors(const unsigned char *p, size_t n) {
  size_t bad = 0, i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && p[j] && p[j] < 0x80) j++;
    if (j == n) break;
    if (rouse__utf8_valid(p + j, n - j > 4 ? 4 : n - j)) {
      /* one whole character (or the tail): step over it */
      unsigned c = p[j];
      i = j + (c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2);
      continue;
    }
    unsigned c = p[j];
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (j + len <= n && rouse__utf8_valid(p + j, len)) {
      i = j + len;
      continue;
    }
    bad++;
    i = j + 1;
  }
  return bad;
}

int rouse__encoding_sniff(const unsigned char *p, size_t n, bool final) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) { /* ASCII fast path, 32 bytes a step */
    uint64_t a, b, c, d;
    memcpy(&a, p + i, 8);
    memcpy(&b, p + i + 8, 8);
    memcpy(&c, p + i + 16, 8);
    memcpy(&d, p + i + 24, 8);
    if ((a | b | c | d) & 0x8080808080808080ULL) break;
  }
  while (i < n && p[i] < 0x80) i++;
  if (i == n) return 0; /* pure ASCII: undecided */
  /* UTF-8, allowing a sequence cut by the end of a non-final sample */
  size_t m = n;
  if (!final) {
    size_t k = n, back = 0;
    while (k > 0 && back < 3 && (p[k - 1] & 0xC0) == 0x80) k--, back++;
    if (k > 0 && p[k - 1] >= 0xC0) {
      unsigned c = p[k - 1];
      size_t need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      if (back < need) m = k - 1;
    }
  }
  if (rouse__utf8_valid(p, m)) return ROUSE_ENCODING_UTF8;
  size_t ce = cp932_errors(p, n, final);
  if (ce == 0) return ROUSE_ENCODING_CP932;
  /* neither is clean: take the reading with fewer bad characters (ties: UTF-8); the rows
   * holding bad bytes are then rejected one by one */
  return utf8_errors(p, m) <= ce ? ROUSE_ENCODING_UTF8 : ROUSE_ENCODING_CP932;
}

struct rouse_cp932 {
  iconv_t cd;
};

int rouse__cp932_open(struct rouse_cp932 **out) {
  *out = NULL;
  iconv_t cd = iconv_open("UTF-8", "CP932");
  if (cd == (iconv_t)-1) return ROUSE_ENCODING;
  struct rouse_cp932 *c = rouse__malloc(sizeof *c);
  if (!c) {
    iconv_close(cd);
    return ROUSE_NOMEM;
  }
  c->cd = cd;
  *out = c;
  return ROUSE_OK;
}

void rouse__cp932_close(struct rouse_cp932 *c) {
  if (!c) return;
  iconv_close(c->cd);
  rouse__free(c);
}

size_t rouse__cp932_to_utf8(struct rouse_cp932 *c, const char *in, size_t n, char *out) {
  const unsigned char *s = (const unsigned char *)in;
  char *o = out;
  size_t i = 0;
  while (i < n) {
    /* ASCII run */
    size_t a = i;
    while (i < n && s[i] < 0x80) i++;
    memcpy(o, s + a, i - a);
    o += i - a;
    if (i == n) break;
    /* non-ASCII run: whole characters */
    size_t b = i;
    while (i < n && s[i] >= 0x80) {
      if (cp932_lead(s[i]) && i + 1 < n) i += 2;
      else i++;
    }
    char *ip = (char *)(s + b);
    size_t il = i - b, ol = 3 * il + 4;
    while (il > 0) {
      size_t r = iconv(c->cd, &ip, &il, &o, &ol);
      if (r == (size_t)-1) {
        if (errno == E2BIG) break; /* cannot happen with 3x capacity */
        /* invalid or incomplete: mark and skip one byte */
        *o++ = (char)0xFF;
        ol--;
        ip++;
        il--;
        iconv(c->cd, NULL, NULL, NULL, NULL);
      }
    }
  }
  return (size_t)(o - out);
}
