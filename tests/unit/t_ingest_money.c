/* SPDX-License-Identifier: MIT
 * Money amounts (rouse_amount_parse) in the shapes shop exports use, into exact units of
 * 1/10000: grouping commas, yen signs (¥ ￥ and the CP932 backslash), 円, decimals,
 * negatives (- − ▲ △ and parentheses), full-width digits; rounding beyond 4 decimals half
 * away from zero; rejects; and rouse_amount_format round trips. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"

#define NOPARSE INT64_MIN
#define EMPTY (INT64_MIN + 1)

static int64_t amt(const char *s) {
  int64_t v = 77;
  int rc = rouse_amount_parse(s, strlen(s), &v);
  if (rc == ROUSE_EMPTY) return EMPTY;
  if (rc != ROUSE_OK) return NOPARSE;
  return v;
}

#define OK(s, e4)                  \
  do {                             \
    printf("# amount '%s'\n", s);  \
    CHECK_EQ_INT(amt(s), e4);      \
  } while (0)
#define BAD(s)                     \
  do {                             \
    printf("# reject '%s'\n", s);  \
    CHECK_EQ_INT(amt(s), NOPARSE); \
  } while (0)

/* UTF-8 spellings */
#define YEN_HALF "\xC2\xA5"     /* ¥ U+00A5 */
#define YEN_FULL "\xEF\xBF\xA5" /* ￥ U+FFE5 */
#define EN "\xE5\x86\x86"       /* 円 */
#define MINUS "\xE2\x88\x92"    /* − U+2212 */
#define FW_MINUS "\xEF\xBC\x8D" /* － */
#define TRI_B "\xE2\x96\xB2"    /* ▲ */
#define TRI_W "\xE2\x96\xB3"    /* △ */
#define FW_COMMA "\xEF\xBC\x8C" /* ， */
#define FW_DOT "\xEF\xBC\x8E"   /* ． */
#define IDEO_SP "\xE3\x80\x80"  /* ideographic space */
#define FW(d) "\xEF\xBC" d      /* full-width digit: d = "\x90".."\x99" */

int main(void) {
  OK("1234", 12340000);
  OK("0", 0);
  OK("1,234", 12340000);
  OK("1,234,567", 12345670000);
  OK("1,234,567.5", 12345675000);
  OK("-1,000", -10000000);
  OK(YEN_HALF "1,234", 12340000);
  OK(YEN_FULL "1,234", 12340000);
  OK("1,234" EN, 12340000);
  OK(YEN_FULL "1,234" EN, 12340000); /* both: the sign and the unit */
  OK("12.50", 125000);
  OK("12.5", 125000);
  OK("0.5", 5000);
  OK(".5", 5000);
  OK("12.", 120000);
  OK("12.3456", 123456);
  OK("-500", -5000000);
  OK(MINUS "500", -5000000);
  OK(FW_MINUS "500", -5000000);
  OK(TRI_B "500", -5000000);
  OK(TRI_W "500", -5000000);
  OK("(500)", -5000000);
  OK("( 500 )", -5000000);
  OK("(" YEN_HALF "1,000)", -10000000);
  OK("+500", 5000000);
  OK(FW("\x91") FW_COMMA FW("\x92") FW("\x93") FW("\x94"), 12340000); /* １，２３４ */
  OK(FW("\x91") FW("\x92") FW_DOT FW("\x95"), 125000);                 /* １２．５ */
  OK("\\1,234", 12340000); /* CP932 yen sign decodes to a backslash */
  OK("$12.99", 129900);
  OK("-$12.99", -129900);
  OK("$-12.99", -129900);
  OK(YEN_HALF " 1,234", 12340000);
  OK(" 1234 ", 12340000);
  OK(IDEO_SP "1234" IDEO_SP, 12340000);
  OK("1234 " EN, 12340000);
  OK(TRI_B " 500", -5000000);
  OK("007", 70000);
  OK("-0", 0);
  /* 14 integer digits are the limit; leading zeros do not count */
  OK("99999999999999", 999999999999990000LL);
  OK("0099999999999999", 999999999999990000LL);
  OK("-99999999999999.9999", -999999999999999999LL);
  /* more than 4 decimals: rounded half away from zero */
  OK("0.00005", 1);
  OK("0.00004", 0);
  OK("0.000049999", 0);
  OK("1.23455", 12346);
  OK("1.23454999", 12345);
  OK("-1.23455", -12346);
  OK("-0.00005", -1);
  OK("(0.00005)", -1);
  OK("2.99995", 30000);
  OK(TRI_B "0.00015", -2);
  OK("1,234.56789", 12345679);
  /* empty */
  CHECK_EQ_INT(amt(""), EMPTY);
  CHECK_EQ_INT(amt("   "), EMPTY);
  CHECK_EQ_INT(amt(IDEO_SP), EMPTY);
  /* rejects */
  BAD("abc");
  BAD("1,,2");
  BAD(",123");
  BAD("1,");
  BAD("1,234,");
  BAD("12a");
  BAD("a12");
  BAD("--5");
  BAD("-" MINUS "5");
  BAD("(-5)");
  BAD("(5");
  BAD("5)");
  BAD("-");
  BAD("$");
  BAD(EN);
  BAD(".");
  BAD("1.2.3");
  BAD("1 234");
  BAD("1e5");
  BAD("0x10");
  BAD("12" EN EN);
  BAD("$$12");
  BAD("999999999999999");        /* 15 integer digits */
  BAD("123456789012345678");
  BAD("-999999999999999.5");
  BAD("99999999999999.99995");   /* rounds up to 15 integer digits */
  BAD("1,234" EN "x");
  /* a grouping comma is followed by exactly three digits: a decimal comma is refused, not
   * read as a value 100 times too large */
  BAD("12,50");
  BAD("1,23");
  BAD("1,2345");
  BAD("1,234,56");
  BAD(FW("\x91") FW_COMMA FW("\x92") FW("\x93"));
  BAD("NaN");
  BAD("inf");
  {
    /* length honoured, NUL not a terminator */
    int64_t v = 0;
    CHECK_EQ_INT(rouse_amount_parse("12345", 3, &v), ROUSE_OK);
    CHECK_EQ_INT(v, 1230000);
    CHECK_EQ_INT(rouse_amount_parse("12\0" "3", 4, &v), ROUSE_PARSE);
    CHECK_EQ_INT(rouse_amount_parse("\xEF\xBC", 2, &v), ROUSE_PARSE); /* cut full-width */
    CHECK_EQ_INT(rouse_amount_parse(YEN_FULL, 2, &v), ROUSE_PARSE);
  }

  /* formatting */
  char buf[32];
  CHECK_EQ_STR(rouse_amount_format(12340000, buf), "1234");
  CHECK_EQ_STR(rouse_amount_format(293300, buf), "29.33");
  CHECK_EQ_STR(rouse_amount_format(125000, buf), "12.5");
  CHECK_EQ_STR(rouse_amount_format(-5000, buf), "-0.5");
  CHECK_EQ_STR(rouse_amount_format(1, buf), "0.0001");
  CHECK_EQ_STR(rouse_amount_format(-1, buf), "-0.0001");
  CHECK_EQ_STR(rouse_amount_format(0, buf), "0");
  CHECK_EQ_STR(rouse_amount_format(10000, buf), "1");
  CHECK_EQ_STR(rouse_amount_format(100100, buf), "10.01");
  CHECK_EQ_STR(rouse_amount_format(INT64_MAX, buf), "922337203685477.5807");
  CHECK_EQ_STR(rouse_amount_format(INT64_MIN, buf), "-922337203685477.5808");

  /* round trips: format(parse(format(v))) for a spread of values within the parse range */
  int bad = 0;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 200000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    int64_t v = (int64_t)(x % 1999999999999999999ULL) - 999999999999999999LL;
    if (i % 4 == 1) v %= 100000000; /* small ones too */
    if (i % 4 == 2) v = (v / 10000) * 10000;
    rouse_amount_format(v, buf);
    int64_t back = 0;
    if (rouse_amount_parse(buf, strlen(buf), &back) != ROUSE_OK || back != v) {
      if (bad++ < 5) printf("# round trip failed: %lld -> %s -> %lld\n", (long long)v, buf,
                            (long long)back);
    }
  }
  CHECK_EQ_INT(bad, 0);
  return done_testing();
}
