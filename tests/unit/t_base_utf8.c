/* SPDX-License-Identifier: MIT
 * rouse__utf8_valid against RFC 3629 (Table 3-7 of the Unicode standard): well-formed
 * sequences of every length, overlongs, surrogates, code points above U+10FFFF, stray
 * continuation bytes, truncated sequences and NUL. Each case is also checked at every
 * offset inside a run of ASCII, so the 8-byte fast path and the tail are both exercised. */
#include "base/base.h"
#include "harness.h"

struct tc {
  const char *s;
  size_t n;
  int valid;
  const char *what;
};

#define T(lit, v, w) {lit, sizeof(lit) - 1, v, w}

static const struct tc CASES[] = {
    T("", 1, "empty"),
    T("a", 1, "ascii"),
    T("hello, world 0123456789", 1, "ascii long"),
    T("\x7F", 1, "DEL"),
    T("\xC2\x80", 1, "U+0080"),
    T("\xDF\xBF", 1, "U+07FF"),
    T("\xE0\xA0\x80", 1, "U+0800"),
    T("\xEF\xBF\xBF", 1, "U+FFFF"),
    T("\xED\x9F\xBF", 1, "U+D7FF"),
    T("\xEE\x80\x80", 1, "U+E000"),
    T("\xF0\x90\x80\x80", 1, "U+10000"),
    T("\xF4\x8F\xBF\xBF", 1, "U+10FFFF"),
    T("\xE4\xBC\x9A\xE5\x93\xA1ID", 1, "会員ID"),
    T("\xEF\xBB\xBF", 1, "BOM"),
    /* overlongs */
    T("\xC0\x80", 0, "overlong NUL"),
    T("\xC0\xAF", 0, "overlong /"),
    T("\xC1\xBF", 0, "overlong U+7F"),
    T("\xE0\x80\xAF", 0, "overlong 3-byte /"),
    T("\xE0\x9F\xBF", 0, "overlong U+07FF"),
    T("\xF0\x80\x80\xAF", 0, "overlong 4-byte /"),
    T("\xF0\x8F\xBF\xBF", 0, "overlong U+FFFF"),
    /* surrogates */
    T("\xED\xA0\x80", 0, "U+D800"),
    T("\xED\xBF\xBF", 0, "U+DFFF"),
    T("\xED\xA0\x80\xED\xB0\x80", 0, "surrogate pair (CESU)"),
    /* beyond U+10FFFF */
    T("\xF4\x90\x80\x80", 0, "U+110000"),
    T("\xF5\x80\x80\x80", 0, "F5 lead"),
    T("\xF7\xBF\xBF\xBF", 0, "U+1FFFFF"),
    T("\xF8\x88\x80\x80\x80", 0, "5-byte form"),
    T("\xFC\x84\x80\x80\x80\x80", 0, "6-byte form"),
    T("\xFE", 0, "FE"),
    T("\xFF", 0, "FF"),
    /* stray continuation bytes */
    T("\x80", 0, "lone 80"),
    T("\xBF", 0, "lone BF"),
    T("a\x80" "b", 0, "80 between ascii"),
    T("\xC2\x80\x80", 0, "extra continuation"),
    /* truncated */
    T("\xC2", 0, "truncated 2"),
    T("\xE0\xA0", 0, "truncated 3/2"),
    T("\xE4", 0, "truncated 3/1"),
    T("\xF0\x90\x80", 0, "truncated 4/3"),
    T("\xF0\x90", 0, "truncated 4/2"),
    T("\xE4\xBCz", 0, "ascii inside a 3-byte sequence"),
    T("\xC2 ", 0, "space after lead"),
    T("\xF0\x90\x80z", 0, "ascii as 4th byte"),
    /* NUL */
    T("\0", 0, "NUL"),
    T("abc\0def", 0, "NUL inside"),
    T("abcdefgh\0", 0, "NUL after 8 ascii"),
    T("\xC3\xA9\0", 0, "NUL after e-acute"),
};

int main(void) {
  for (size_t k = 0; k < ROUSE_ARRAY_SIZE(CASES); k++) {
    const struct tc *c = &CASES[k];
    int got = rouse__utf8_valid((const unsigned char *)c->s, c->n);
    printf("# %s\n", c->what);
    CHECK_EQ_INT(got, c->valid);
    /* same bytes at every offset 0..17 of an ASCII run, with ASCII after them */
    unsigned char buf[64];
    int all = 1;
    for (size_t pre = 0; pre < 18; pre++)
      for (size_t post = 0; post < 10; post += 9) {
        memset(buf, 'x', sizeof buf);
        memcpy(buf + pre, c->s, c->n);
        int v = rouse__utf8_valid(buf, pre + c->n + post);
        /* a truncated sequence followed by 'x' bytes is still invalid */
        all &= v == c->valid;
      }
    CHECK(all);
  }
  /* length is honoured: bytes after n are not looked at */
  CHECK(rouse__utf8_valid((const unsigned char *)"ab\0", 2));
  CHECK(rouse__utf8_valid((const unsigned char *)"\xC3\xA9\xFF", 2));
  CHECK(!rouse__utf8_valid((const unsigned char *)"\xC3\xA9", 1));
  CHECK(rouse__utf8_valid((const unsigned char *)"", 0));

  /* exhaustive 2- and 3-byte check against the definition by code point */
  int ok = 1;
  for (unsigned a = 0x80; a < 0x100; a++)
    for (unsigned b = 0; b < 0x100; b++) {
      unsigned char s[2] = {(unsigned char)a, (unsigned char)b};
      int expect = a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF;
      ok &= rouse__utf8_valid(s, 2) == expect;
    }
  CHECK(ok);
  ok = 1;
  for (unsigned a = 0xE0; a <= 0xEF; a++)
    for (unsigned b = 0x80; b <= 0xBF; b++)
      for (unsigned c = 0; c < 0x100; c++) {
        unsigned char s[3] = {(unsigned char)a, (unsigned char)b, (unsigned char)c};
        unsigned cp = ((a & 0x0F) << 12) | ((b & 0x3F) << 6) | (c & 0x3F);
        int expect = (c & 0xC0) == 0x80 && cp >= 0x800 && !(cp >= 0xD800 && cp <= 0xDFFF);
        ok &= rouse__utf8_valid(s, 3) == expect;
      }
  CHECK(ok);
  ok = 1;
  for (unsigned a = 0xF0; a <= 0xF7; a++)
    for (unsigned b = 0x80; b <= 0xBF; b++) {
      unsigned char s[4] = {(unsigned char)a, (unsigned char)b, 0x80, 0xBF};
      unsigned cp = ((a & 0x07) << 18) | ((b & 0x3F) << 12) | 0x3F;
      int expect = cp >= 0x10000 && cp <= 0x10FFFF;
      ok &= rouse__utf8_valid(s, 4) == expect;
    }
  CHECK(ok);
  return done_testing();
}
