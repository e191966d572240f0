/* SPDX-License-Identifier: MIT
 * Proleptic Gregorian calendar <-> days since 1970-01-01, after H. Hinnant's
 * days_from_civil / civil_from_days algorithms (public domain description). Exact for
 * every int32 day that maps to years -5.8M..5.8M; callers limit years to 1..9999. */
#include <stdio.h>

#include "base.h"

int32_t rouse_date_from_ymd(int y, int m, int d) { return rouse__days_from_civil(y, m, d); }

void rouse_date_to_ymd(int32_t z32, int *year, int *month, int *day) {
  const int64_t z = (int64_t)z32 + 719468; /* int would overflow near INT32_MAX */
  const int era = (int)((z >= 0 ? z : z - 146096) / 146097);
  const unsigned doe = (unsigned)(z - (int64_t)era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = (int)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = (int)m;
  *day = (int)d;
}

int rouse_date_valid(int y, int m, int d) { return rouse__date_valid(y, m, d); }

char *rouse_date_format(int32_t days, char *buf) {
  int y, m, d;
  rouse_date_to_ymd(days, &y, &m, &d);
  if (y < 0 || y > 9999) {
    memcpy(buf, "----------", 11);
    return buf;
  }
  buf[0] = (char)('0' + y / 1000);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
  return buf;
}
