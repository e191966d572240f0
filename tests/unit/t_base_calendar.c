/* SPDX-License-Identifier: MIT
 * Calendar: rouse_date_from_ymd / rouse_date_to_ymd agree with a naive day-by-day walk
 * (month-length table, the leap-year rule written out) for every day of 1900..2199, plus
 * hand-computed anchors, rouse_date_valid at the edges, rouse_date_format and the public
 * rouse_date_parse. */
#include <stdio.h>

#include "base/base.h"
#include "harness.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_len(int y, int m) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return len[m - 1] + (m == 2 && is_leap(y));
}

int main(void) {
  /* anchors, computed by hand:
   * 1900-01-01: 70 years back, 17 leap days (1904..1968): -(70*365+17) = -25567
   * 2000-01-01: 30 years, 7 leap days (1972..1996): 30*365+7 = 10957
   * 2000-03-01: + 31 (Jan) + 29 (Feb 2000 is leap) = 11017
   * 2024-01-05: 2024-01-01 = 54*365 + 13 leap days (1972..2020) = 19723, + 4 = 19727
   * 1969-12-31: -1 */
  CHECK_EQ_INT(rouse_date_from_ymd(1970, 1, 1), 0);
  CHECK_EQ_INT(rouse_date_from_ymd(1969, 12, 31), -1);
  CHECK_EQ_INT(rouse_date_from_ymd(1970, 1, 2), 1);
  CHECK_EQ_INT(rouse_date_from_ymd(1900, 1, 1), -25567);
  CHECK_EQ_INT(rouse_date_from_ymd(2000, 1, 1), 10957);
  CHECK_EQ_INT(rouse_date_from_ymd(2000, 3, 1), 11017);
  CHECK_EQ_INT(rouse_date_from_ymd(2000, 2, 29), 11016);
  CHECK_EQ_INT(rouse_date_from_ymd(2024, 1, 5), 19727);
  /* 1900 and 2100 are not leap years: Feb 28 is followed by Mar 1 */
  CHECK_EQ_INT(rouse_date_from_ymd(1900, 3, 1) - rouse_date_from_ymd(1900, 2, 28), 1);
  CHECK_EQ_INT(rouse_date_from_ymd(2100, 3, 1) - rouse_date_from_ymd(2100, 2, 28), 1);
  CHECK_EQ_INT(rouse_date_from_ymd(2000, 3, 1) - rouse_date_from_ymd(2000, 2, 28), 2);
  CHECK_EQ_INT(rouse_date_from_ymd(2101, 1, 1) - rouse_date_from_ymd(2100, 1, 1), 365);
  CHECK_EQ_INT(rouse_date_from_ymd(2001, 1, 1) - rouse_date_from_ymd(2000, 1, 1), 366);
  /* 400 years are 146097 days */
  CHECK_EQ_INT(rouse_date_from_ymd(2400, 1, 1) - rouse_date_from_ymd(2000, 1, 1), 146097);
  CHECK_EQ_INT(rouse_date_from_ymd(1, 1, 1), -719162);

  int y, m, d;
  rouse_date_to_ymd(11017, &y, &m, &d);
  CHECK(y == 2000 && m == 3 && d == 1);
  rouse_date_to_ymd(-25567, &y, &m, &d);
  CHECK(y == 1900 && m == 1 && d == 1);
  rouse_date_to_ymd(-1, &y, &m, &d);
  CHECK(y == 1969 && m == 12 && d == 31);

  /* day-by-day walk over 1900-01-01 .. 2199-12-31 */
  int32_t n = -25567;
  int bad_from = 0, bad_to = 0, bad_valid = 0, bad_invalid = 0, days = 0;
  for (int yy = 1900; yy <= 2199; yy++)
    for (int mm = 1; mm <= 12; mm++) {
      int ml = month_len(yy, mm);
      for (int dd = 1; dd <= ml; dd++, n++, days++) {
        if (rouse_date_from_ymd(yy, mm, dd) != n) bad_from++;
        int ry, rm, rd;
        rouse_date_to_ymd(n, &ry, &rm, &rd);
        if (ry != yy || rm != mm || rd != dd) bad_to++;
        if (!rouse_date_valid(yy, mm, dd)) bad_valid++;
      }
      if (rouse_date_valid(yy, mm, ml + 1)) bad_invalid++;
      if (rouse_date_valid(yy, mm, 0)) bad_invalid++;
    }
  CHECK_EQ_INT(bad_from, 0);
  CHECK_EQ_INT(bad_to, 0);
  CHECK_EQ_INT(bad_valid, 0);
  CHECK_EQ_INT(bad_invalid, 0);
  /* 300 years with 73 leap years (75 multiples of 4, minus 1900 and 2100) */
  CHECK_EQ_INT(days, 300 * 365 + 73);
  CHECK_EQ_INT(n, rouse_date_from_ymd(2200, 1, 1));

  /* rouse_date_valid edges */
  CHECK_EQ_INT(rouse_date_valid(1900, 2, 29), 0);
  CHECK_EQ_INT(rouse_date_valid(2000, 2, 29), 1);
  CHECK_EQ_INT(rouse_date_valid(2100, 2, 29), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, 2, 29), 1);
  CHECK_EQ_INT(rouse_date_valid(2023, 2, 29), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, 4, 31), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, 12, 31), 1);
  CHECK_EQ_INT(rouse_date_valid(2024, 13, 1), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, 0, 1), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, -1, 1), 0);
  CHECK_EQ_INT(rouse_date_valid(2024, 1, -1), 0);
  CHECK_EQ_INT(rouse_date_valid(0, 1, 1), 0);
  CHECK_EQ_INT(rouse_date_valid(1, 1, 1), 1);
  CHECK_EQ_INT(rouse_date_valid(9999, 12, 31), 1);
  CHECK_EQ_INT(rouse_date_valid(10000, 1, 1), 0);

  /* formatting */
  char buf[16];
  CHECK_EQ_STR(rouse_date_format(0, buf), "1970-01-01");
  CHECK_EQ_STR(rouse_date_format(11017, buf), "2000-03-01");
  CHECK_EQ_STR(rouse_date_format(-25567, buf), "1900-01-01");
  CHECK_EQ_STR(rouse_date_format(19727, buf), "2024-01-05");
  CHECK_EQ_STR(rouse_date_format(rouse_date_from_ymd(9999, 12, 31), buf), "9999-12-31");
  CHECK_EQ_STR(rouse_date_format(rouse_date_from_ymd(1, 1, 1), buf), "0001-01-01");
  CHECK_EQ_INT(strlen(rouse_date_format(INT32_MAX / 2, buf)), 10); /* out of range: dashes */
  CHECK_EQ_INT(strlen(rouse_date_format(-INT32_MAX / 2, buf)), 10);
  /* the sentinels callers hold for "no date" (stats of an empty input) format safely */
  CHECK_EQ_STR(rouse_date_format(INT32_MAX, buf), "----------");
  CHECK_EQ_STR(rouse_date_format(INT32_MIN, buf), "----------");
  rouse_date_to_ymd(INT32_MAX, &y, &m, &d); /* 5,881,580 years after 1970 */
  CHECK(y == 5881580 && m == 7 && d == 11);
  rouse_date_to_ymd(INT32_MIN, &y, &m, &d);
  CHECK(y == -5877641 && m == 6 && d == 23);
  /* format of every day in range re-parses to the same day */
  int bad_rt = 0;
  for (int32_t k = -25567; k < rouse_date_from_ymd(2200, 1, 1); k++) {
    int32_t back = INT32_MIN;
    rouse_date_format(k, buf);
    if (rouse_date_parse(buf, 10, &back) != ROUSE_OK || back != k) bad_rt++;
  }
  CHECK_EQ_INT(bad_rt, 0);

  /* public parser */
  int32_t out = 0;
  CHECK_EQ_INT(rouse_date_parse("2024-01-05", 10, &out), ROUSE_OK);
  CHECK_EQ_INT(out, 19727);
  CHECK_EQ_INT(rouse_date_parse("2024-01-05xyz", 10, &out), ROUSE_OK); /* len honoured */
  CHECK_EQ_INT(rouse_date_parse("2024-02-30", 10, &out), ROUSE_PARSE);
  CHECK_EQ_INT(rouse_date_parse("", 0, &out), ROUSE_PARSE);
  return done_testing();
}
