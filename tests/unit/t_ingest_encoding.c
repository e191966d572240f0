/* SPDX-License-Identifier: MIT
 * Encodings: rouse__encoding_sniff (ASCII undecided, UTF-8, CP932 text produced here with
 * iconv, mixed input picks the reading with fewer errors, cut samples) and
 * rouse__cp932_to_utf8 compared with glibc iconv on the same bytes, invalid bytes becoming
 * the 0xFF marker, half-width katakana, trail bytes that look like ASCII (表 = 95 5C), and
 * the 3n+4 output bound. */
#include <iconv.h>
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"

/* convert with iconv; returns length or (size_t)-1 */
static size_t conv(const char *to, const char *from, const char *in, size_t n, char *out,
                   size_t cap) {
  iconv_t cd = iconv_open(to, from);
  if (cd == (iconv_t)-1) return (size_t)-1;
  char *ip = (char *)in, *op = out;
  size_t il = n, ol = cap;
  size_t r = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (r == (size_t)-1 || il) return (size_t)-1;
  return (size_t)(op - out);
}

static int sniff(const char *s, size_t n, bool final) {
  return rouse__encoding_sniff((const unsigned char *)s, n, final);
}

/* our conversion with a canary past 3n+4 */
static char g_out[1 << 16];
static size_t ours(struct rouse_cp932 *c, const char *in, size_t n, int *canary_ok) {
  size_t cap = 3 * n + 4;
  memset(g_out, 0xA5, sizeof g_out);
  size_t k = rouse__cp932_to_utf8(c, in, n, g_out);
  int ok = k <= cap;
  for (size_t i = cap; i < cap + 64 && i < sizeof g_out; i++) ok &= (unsigned char)g_out[i] == 0xA5;
  if (canary_ok) *canary_ok = ok;
  return k;
}

#define BYTES_EQ(got, gotn, exp, expn) ((gotn) == (expn) && !memcmp((got), (exp), (expn)))

int main(void) {
  /* Japanese text in UTF-8 and, via iconv, in CP932 */
  const char *utf8 =
      "\xE4\xBC\x9A\xE5\x93\xA1ID,\xE5\x8F\x97\xE6\xB3\xA8\xE6\x97\xA5,\xE5\x90\x88\xE8\xA8\x88"
      "\xE9\x87\x91\xE9\xA1\x8D\n" /* 会員ID,受注日,合計金額 */
      "1001,2024/1/5,\xEF\xBF\xA5" "1,234\n"  /* ￥1,234 */
      "1002,2024/1/6,\xE8\xA1\xA8\xE7\xA4\xBA\xE3\x82\xBD\xE3\x83\x95\xE3\x83\x88\n"; /* 表示ソフト */
  char sj[512];
  size_t sjn = conv("CP932", "UTF-8", utf8, strlen(utf8), sj, sizeof sj);
  CHECK(sjn != (size_t)-1);
  CHECK(sjn < strlen(utf8)); /* 2 bytes per kanji instead of 3 */

  /* sniffing */
  CHECK_EQ_INT(sniff("", 0, true), 0);
  CHECK_EQ_INT(sniff("customer_id,date\n1,2024-01-05\n", 30, true), 0);
  CHECK_EQ_INT(sniff("a\0b", 3, true), 0); /* NUL is still ASCII: undecided */
  CHECK_EQ_INT(sniff(utf8, strlen(utf8), true), ROUSE_ENCODING_UTF8);
  CHECK_EQ_INT(sniff(sj, sjn, true), ROUSE_ENCODING_CP932);
  CHECK_EQ_INT(sniff("\xEF\xBB\xBF" "abc", 6, true), ROUSE_ENCODING_UTF8);
  /* half-width katakana ｱｲｳ (B1 B2 B3) is not UTF-8 */
  CHECK_EQ_INT(sniff("name,\xB1\xB2\xB3\n", 9, true), ROUSE_ENCODING_CP932);
  /* a sample cut in the middle of a UTF-8 character: fine unless it is the whole input */
  {
    const char *kai = "abc\xE4\xBC\x9A\xE5\x93\xA1"; /* abc会員 */
    CHECK_EQ_INT(sniff(kai, 8, false), ROUSE_ENCODING_UTF8);
    CHECK_EQ_INT(sniff(kai, 7, false), ROUSE_ENCODING_UTF8);
    CHECK_EQ_INT(sniff(kai, 9, true), ROUSE_ENCODING_UTF8);
  }
  /* CP932 cut after a lead byte, not final: still CP932 */
  CHECK_EQ_INT(sniff(sj, 2 + 1, false), ROUSE_ENCODING_CP932);
  /* mixed: mostly UTF-8 with one stray byte -> UTF-8 */
  {
    char m[512];
    size_t n = strlen(utf8);
    memcpy(m, utf8, n);
    m[n] = (char)0x80;
    memcpy(m + n + 1, utf8, n);
    CHECK_EQ_INT(sniff(m, 2 * n + 1, true), ROUSE_ENCODING_UTF8);
    /* mostly CP932 with one invalid byte (0xFF is never CP932) -> CP932 */
    memcpy(m, sj, sjn);
    m[sjn] = (char)0xFF;
    memcpy(m + sjn + 1, sj, sjn);
    CHECK_EQ_INT(sniff(m, 2 * sjn + 1, true), ROUSE_ENCODING_CP932);
    /* random high bytes: whichever reading, it must decide something */
    for (int i = 0; i < 64; i++) m[i] = (char)(0x80 + (i * 37) % 128);
    int e = sniff(m, 64, true);
    CHECK(e == ROUSE_ENCODING_UTF8 || e == ROUSE_ENCODING_CP932);
  }

  /* conversion vs iconv */
  struct rouse_cp932 *c = NULL;
  CHECK_EQ_INT(rouse__cp932_open(&c), ROUSE_OK);
  CHECK(c != NULL);
  int canary = 0;
  size_t k = ours(c, sj, sjn, &canary);
  CHECK(canary);
  CHECK(BYTES_EQ(g_out, k, utf8, strlen(utf8)));
  {
    /* characters with an ASCII-looking trail byte, NEC and IBM extensions, wave dash,
     * half-width katakana, mixed with ASCII runs */
    const char cp[] = "\x95\x5C\x83\x5C" /* 表ソ */
                      "x\x87\x40"        /* ① */
                      "\xFB\xFC"         /* 髙 (IBM extension) */
                      "\x81\x60"         /* ～ */
                      "\xB1\xB2\xB3 "    /* ｱｲｳ */
                      "\x82\xA0\x82\xA2" /* あい */
                      "\x5C\x7E"         /* ASCII bytes */
                      "\xF0\x40";        /* user-defined area (PUA) */
    size_t n = sizeof cp - 1;
    char ref[256];
    size_t rn = conv("UTF-8", "CP932", cp, n, ref, sizeof ref);
    CHECK(rn != (size_t)-1);
    k = ours(c, cp, n, &canary);
    CHECK(canary);
    CHECK(BYTES_EQ(g_out, k, ref, rn));
    /* and the few we know by heart */
    CHECK(!memcmp(g_out, "\xE8\xA1\xA8\xE3\x82\xBD", 6)); /* 表ソ */
    k = ours(c, "\xB1\xB2\xB3", 3, &canary);
    CHECK(BYTES_EQ(g_out, k, "\xEF\xBD\xB1\xEF\xBD\xB2\xEF\xBD\xB3", 9)); /* U+FF71.. */
    CHECK(canary); /* 9 bytes out of 3 in: the bound is tight */
  }
  /* every valid two-byte character, one at a time, agrees with iconv */
  {
    int bad = 0, tried = 0;
    for (unsigned a = 0x81; a <= 0xFC; a++) {
      if (a >= 0xA0 && a <= 0xDF) continue;
      for (unsigned b = 0x40; b <= 0xFC; b++) {
        if (b == 0x7F) continue;
        char in[2] = {(char)a, (char)b}, ref[16];
        size_t rn = conv("UTF-8", "CP932", in, 2, ref, sizeof ref);
        if (rn == (size_t)-1) continue; /* unassigned: checked below as invalid */
        tried++;
        k = ours(c, in, 2, &canary);
        if (!canary || !BYTES_EQ(g_out, k, ref, rn)) bad++;
      }
    }
    printf("# %d valid double-byte characters\n", tried);
    CHECK(tried > 7000);
    CHECK_EQ_INT(bad, 0);
  }

  /* invalid bytes become 0xFF, one marker per skipped byte, the rest is converted */
  k = ours(c, "a\x80" "b", 3, &canary);
  CHECK(BYTES_EQ(g_out, k, "a\xFF" "b", 3));
  k = ours(c, "\xA0", 1, &canary);
  CHECK(BYTES_EQ(g_out, k, "\xFF", 1));
  k = ours(c, "\xFD\xFE\xFF", 3, &canary);
  CHECK(BYTES_EQ(g_out, k, "\xFF\xFF\xFF", 3));
  CHECK(canary);
  k = ours(c, "abc\x82", 4, &canary); /* lead byte at the end */
  CHECK(BYTES_EQ(g_out, k, "abc\xFF", 4));
  k = ours(c, "\x82\n", 2, &canary); /* lead byte before a newline: the newline survives */
  CHECK(BYTES_EQ(g_out, k, "\xFF\n", 2));
  k = ours(c, "\x82\",", 3, &canary); /* ... and a quote and a comma */
  CHECK(BYTES_EQ(g_out, k, "\xFF\",", 3));
  k = ours(c, "\x80\x82\xA0", 3, &canary); /* valid あ after an invalid byte */
  CHECK(BYTES_EQ(g_out, k, "\xFF\xE3\x81\x82", 4));
  k = ours(c, "", 0, &canary);
  CHECK_EQ_INT(k, 0);
  /* the marker makes the text invalid UTF-8, so the row is rejected later */
  k = ours(c, "x\x80y", 3, &canary);
  CHECK(!rouse__utf8_valid((const unsigned char *)g_out, k));
  k = ours(c, sj, sjn, &canary);
  CHECK(rouse__utf8_valid((const unsigned char *)g_out, k));

  /* random bytes: output bound always holds; output never contains a NUL that was not in
   * the input, and ASCII structure bytes are preserved in order */
  {
    uint32_t x = 2463534242u;
    int bound_ok = 1, struct_ok = 1;
    char in[300];
    for (int rep = 0; rep < 3000; rep++) {
      size_t n = (size_t)(rep % 300);
      for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        in[i] = x % 7 == 0 ? ",\"\n"[x % 3] : (char)(x >> 8);
      }
      k = ours(c, in, n, &canary);
      bound_ok &= canary;
      /* structural bytes (< 0x40) in the input appear in the same order in the output */
      size_t j = 0;
      for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)in[i];
        if (b != ',' && b != '"' && b != '\n') continue;
        while (j < k && g_out[j] != in[i]) j++;
        if (j == k) struct_ok = 0;
        else j++;
      }
    }
    CHECK(bound_ok);
    CHECK(struct_ok);
  }
  rouse__cp932_close(c);
  rouse__cp932_close(NULL);
  return done_testing();
}
