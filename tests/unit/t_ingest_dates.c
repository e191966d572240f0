/* SPDX-License-Identifier: MIT
 * Date parsing (rouse__date_parse_fmt) for every accepted shape and the rejects, the
 * month-first / day-first / pattern formats, --date-format option parsing, format
 * detection from sample values and the human-readable format names. Expected day numbers
 * are written as days since 1970-01-01 computed by hand (2024-01-05 = 19727: 54 years of
 * 365 days plus 13 leap days to 2024-01-01, plus 4). */
#include "harness.h"
#include "ingest/ingest.h"

#define D20240105 19727

static struct rouse_datefmt fmt(int order) {
  struct rouse_datefmt f;
  memset(&f, 0, sizeof f);
  f.order = order;
  return f;
}

/* parse with an order; returns the day or INT32_MIN when rejected */
static int32_t pd(int order, const char *s) {
  struct rouse_datefmt f = fmt(order);
  int32_t d = -12345;
  if (!rouse__date_parse_fmt(&f, s, strlen(s), &d)) return INT32_MIN;
  return d;
}

static int32_t pp(const char *pattern, const char *s) {
  struct rouse_datefmt f;
  char err[200] = "";
  if (rouse__datefmt_from_option(pattern, &f, err, sizeof err) != ROUSE_OK) return INT32_MIN + 1;
  int32_t d = -12345;
  if (!rouse__date_parse_fmt(&f, s, strlen(s), &d)) return INT32_MIN;
  return d;
}

#define YMD_OK(s, day)                  \
  do {                                  \
    printf("# ymd '%s'\n", s);          \
    CHECK_EQ_INT(pd(ROUSE_DATE_YMD, s), day); \
  } while (0)
#define YMD_BAD(s)                                \
  do {                                            \
    fputs("# ymd reject '", stdout);              \
    t_put_esc(s);                                 \
    puts("'");                                    \
    CHECK_EQ_INT(pd(ROUSE_DATE_YMD, s), INT32_MIN); \
  } while (0)

static int detect(const char *const *vals, size_t nv, struct rouse_datefmt *f, char *err,
                  size_t errsz) {
  size_t lens[16];
  for (size_t i = 0; i < nv; i++) lens[i] = strlen(vals[i]);
  memset(f, 0, sizeof *f);
  err[0] = '\0';
  return rouse__datefmt_detect(vals, lens, nv, f, err, errsz);
}

static const char *shape(const char *sample) {
  static struct rouse_datefmt f;
  memset(&f, 0, sizeof f);
  f.order = ROUSE_DATE_YMD;
  rouse__datefmt_name(&f, sample, sample ? strlen(sample) : 0);
  return f.name;
}

int main(void) {
  /* accepted year-first shapes: all the same calendar day */
  YMD_OK("2024-01-05", D20240105);
  YMD_OK("2024/1/5", D20240105);
  YMD_OK("2024/01/05", D20240105);
  YMD_OK("2024-1-5", D20240105);
  YMD_OK("2024.01.05", D20240105);
  YMD_OK("2024/01/05 13:45", D20240105);
  YMD_OK("2024/01/05 13:45:00", D20240105);
  YMD_OK("2024/1/5 9:05", D20240105);
  YMD_OK("20240105", D20240105);
  YMD_OK("20240105 13:45", D20240105);
  YMD_OK("2024\xE5\xB9\xB4" "1\xE6\x9C\x88" "5\xE6\x97\xA5", D20240105);            /* 2024年1月5日 */
  YMD_OK("2024\xE5\xB9\xB4" "01\xE6\x9C\x88" "05\xE6\x97\xA5 13:45", D20240105);    /* with time */
  YMD_OK("2024-01-05T13:45:00+09:00", D20240105);
  YMD_OK("2024-01-05T13:45:00+0900", D20240105);
  YMD_OK("2024-01-05T13:45:00+09", D20240105);
  YMD_OK("2024-01-05T13:45:00Z", D20240105);
  YMD_OK("2024-01-05T13:45:00.123Z", D20240105);
  YMD_OK("2024-01-05T13:45:00.123456+09:00", D20240105);
  YMD_OK("2024-01-05 13:45:00,5", D20240105);
  YMD_OK("2024-01-05T13:45", D20240105);
  YMD_OK("2024-01-05 13:45:00 +09:00", D20240105);
  YMD_OK("2024-01-05 23:59:60", D20240105); /* leap second */
  /* the calendar date as written: offsets never move it */
  YMD_OK("2024-01-05T23:59:59-05:00", D20240105);
  YMD_OK("2024-01-05T00:00:00+14:00", D20240105);
  /* surrounding blanks */
  YMD_OK("  2024-01-05\t", D20240105);
  /* range edges and leap days */
  YMD_OK("1900-01-01", -25567);
  YMD_OK("2199-12-31", -25567 + 300 * 365 + 73 - 1);
  YMD_OK("2000-02-29", 11016);
  YMD_OK("2024-02-29", 19723 + 31 + 28); /* 2024-01-01 + Jan + 28 days */
  YMD_OK("1970-01-01", 0);

  /* rejects */
  YMD_BAD("2024-13-01");
  YMD_BAD("2024-00-10");
  YMD_BAD("2024-01-00");
  YMD_BAD("2024-01-32");
  YMD_BAD("2024-02-30");
  YMD_BAD("2023-02-29");
  YMD_BAD("1900-02-29");
  YMD_BAD("2100-02-29");
  YMD_BAD("1899-12-31");
  YMD_BAD("2200-01-01");
  YMD_BAD("0000-01-01");
  YMD_BAD("9999-12-31");
  YMD_BAD("2024-01-05 25:00");
  YMD_BAD("2024-01-05 13:60");
  YMD_BAD("2024-01-05 13:45:61");
  YMD_BAD("2024-01-05 13");      /* a bare hour is not a time */
  YMD_BAD("2024-01-05T");
  YMD_BAD("2024-01-05 1:5");
  YMD_BAD("2024-01-05T13:45:00.");
  YMD_BAD("2024-01-05T13:45:00ZZ");
  YMD_BAD("2024-01-05T13:45:00+15:00");
  YMD_BAD("2024-01-05T13:45:00+09:60");
  YMD_BAD("2024-01-05T13:45:00+9");
  YMD_BAD("2024-01-05T13:45:00+09:");
  YMD_BAD("2024-01-05+09:00");
  YMD_BAD("2024-01-05X");
  YMD_BAD("2024/01-05");
  YMD_BAD("2024-01/05");
  YMD_BAD("2024-001-05");
  YMD_BAD("2024-01-005");
  YMD_BAD("24-01-05");
  YMD_BAD("202401051");
  YMD_BAD("2024015");
  YMD_BAD("20241301");
  YMD_BAD("2024\xE5\xB9\xB4" "1\xE6\x9C\x88" "5");  /* 2024年1月5 */
  YMD_BAD("2024\xE5\xB9\xB4" "13\xE6\x9C\x88" "5\xE6\x97\xA5");
  YMD_BAD("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x94-01-05"); /* full-width digits */
  YMD_BAD("1/5/2024");
  YMD_BAD("garbage");
  YMD_BAD("N/A");
  YMD_BAD("-");
  YMD_BAD("");
  YMD_BAD("   ");
  YMD_BAD("2024-01-05\n");
  {
    /* length is honoured; a NUL inside the span is not a terminator */
    struct rouse_datefmt f = fmt(ROUSE_DATE_YMD);
    int32_t d = 0;
    CHECK(rouse__date_parse_fmt(&f, "2024-01-05junk", 10, &d) && d == D20240105);
    CHECK(!rouse__date_parse_fmt(&f, "2024-01-05\0", 11, &d));
    CHECK(!rouse__date_parse_fmt(&f, "2024-01-0", 9, &d));
    CHECK(!rouse__date_parse_fmt(&f, "2024-01-05", 0, &d));
  }

  /* month first / day first */
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "1/5/2024"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "01/05/2024"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "1-5-2024"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "01.05.2024 13:45"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "12/31/2023"), D20240105 - 5);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "13/5/2024"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "1/5/24"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "1/5-2024"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "2024-01-05"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_MDY, "2/30/2024"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "5/1/2024"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "05.01.2024"), D20240105);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "31/12/2023"), D20240105 - 5);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "12/31/2023"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "29/2/2023"), INT32_MIN);
  CHECK_EQ_INT(pd(ROUSE_DATE_DMY, "5/1/1899"), INT32_MIN);

  /* patterns */
  CHECK_EQ_INT(pp("%d.%m.%Y %H:%M", "05.01.2024 13:45"), D20240105);
  CHECK_EQ_INT(pp("%m/%d/%Y", "1/5/2024"), D20240105);
  CHECK_EQ_INT(pp("%Y-%m-%d", "2024-01-05"), D20240105);
  CHECK_EQ_INT(pp("%Y-%m-%d", "2024-01-05 13:45"), INT32_MIN); /* whole field must match */
  CHECK_EQ_INT(pp("%Y-%m-%d", "2024-02-30"), INT32_MIN);
  CHECK_EQ_INT(pp("%Y\xE5\xB9\xB4%m\xE6\x9C\x88%d\xE6\x97\xA5", "2024\xE5\xB9\xB4" "1\xE6\x9C\x88" "5\xE6\x97\xA5"), D20240105);
  CHECK_EQ_INT(pp("%Y%m%d", "20240105"), D20240105); /* adjacent directives */
  CHECK_EQ_INT(pp("%Y%m%d%H%M%S", "20240105134500"), D20240105);
  CHECK_EQ_INT(pp("%Y%m%d", "202401051"), INT32_MIN);
  CHECK_EQ_INT(pp("%d/%m/%Y %H:%M:%S", "05/01/2024 13:45:00"), D20240105);
  CHECK_EQ_INT(pp("%d/%m/%Y %H:%M:%S", "05/01/2024 25:45:00"), INT32_MIN);
  CHECK_EQ_INT(pp("%Y-%m-%d 100%%", "2024-01-05 100%"), D20240105);
  CHECK_EQ_INT(pp("%Y-%m-%d 100%%", "2024-01-05 100"), INT32_MIN);

  /* option parsing */
  {
    struct rouse_datefmt f;
    char err[300];
    CHECK_EQ_INT(rouse__datefmt_from_option(NULL, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_AUTO);
    CHECK_EQ_INT(rouse__datefmt_from_option("", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_AUTO);
    CHECK_EQ_INT(rouse__datefmt_from_option("auto", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_AUTO);
    CHECK_EQ_INT(rouse__datefmt_from_option("ymd", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_INT(rouse__datefmt_from_option("mdy", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_MDY);
    CHECK_EQ_STR(f.name, "M/D/YYYY (month first)");
    CHECK_EQ_INT(rouse__datefmt_from_option("dmy", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_DMY);
    CHECK_EQ_STR(f.name, "D/M/YYYY (day first)");
    CHECK_EQ_INT(rouse__datefmt_from_option("%d.%m.%Y", &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_PATTERN);
    CHECK_EQ_STR(f.name, "%d.%m.%Y");
    err[0] = '\0';
    CHECK_EQ_INT(rouse__datefmt_from_option("%Y-%m", &f, err, sizeof err), ROUSE_MISUSE);
    CHECK(strstr(err, "%Y-%m") != NULL);
    CHECK_EQ_INT(rouse__datefmt_from_option("YMD", &f, err, sizeof err), ROUSE_MISUSE);
    err[0] = '\0';
    CHECK_EQ_INT(rouse__datefmt_from_option("%Y-%m-%d %q", &f, err, sizeof err), ROUSE_MISUSE);
    CHECK(strstr(err, "%q") != NULL);
    CHECK_EQ_INT(rouse__datefmt_from_option("%Y-%m-%d%", &f, err, sizeof err), ROUSE_MISUSE);
    char longp[100];
    memset(longp, 'x', sizeof longp);
    memcpy(longp, "%Y%m%d", 6);
    longp[99] = '\0';
    CHECK_EQ_INT(rouse__datefmt_from_option(longp, &f, err, sizeof err), ROUSE_MISUSE);
  }

  /* detection */
  {
    struct rouse_datefmt f;
    char err[300];
    const char *ymd[] = {"2024-01-05", "2024-01-06"};
    CHECK_EQ_INT(detect(ymd, 2, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_STR(f.name, "YYYY-MM-DD");
    const char *compact[] = {"20240105"};
    CHECK_EQ_INT(detect(compact, 1, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_STR(f.name, "YYYYMMDD");
    const char *slash[] = {" 2024/1/5 13:45"};
    CHECK_EQ_INT(detect(slash, 1, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_STR(f.name, "YYYY/M/D HH:MM");
    /* month first decided by a day > 12 in the second position */
    const char *mdy[] = {"1/5/2024", "2/3/2024", "1/13/2024", "12/1/2024"};
    CHECK_EQ_INT(detect(mdy, 4, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_MDY);
    /* day first decided by a value > 12 in the first position */
    const char *dmy[] = {"1/5/2024", "2/3/2024", "13/1/2024"};
    CHECK_EQ_INT(detect(dmy, 3, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_DMY);
    CHECK_EQ_STR(f.name, "D/M/YYYY (day first)");
    /* nothing decides: an error that names both ways out */
    const char *amb[] = {"1/5/2024", "2/3/2024", "12/12/2024"};
    CHECK_EQ_INT(detect(amb, 3, &f, err, sizeof err), ROUSE_PARSE);
    CHECK(strstr(err, "ambiguous") != NULL);
    CHECK(strstr(err, "mdy") != NULL && strstr(err, "dmy") != NULL);
    /* empty values are skipped; none at all means the default */
    const char *empties[] = {"", "", "2024/1/5"};
    CHECK_EQ_INT(detect(empties, 3, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_INT(detect(empties, 2, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    CHECK_EQ_INT(detect(empties, 0, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    /* unrecognisable: an error quoting the value */
    const char *junk[] = {"garbage"};
    CHECK_EQ_INT(detect(junk, 1, &f, err, sizeof err), ROUSE_PARSE);
    CHECK(strstr(err, "garbage") != NULL);
    /* one placeholder in the first row does not decide the format of the whole column */
    const char *first_bad[] = {"N/A", "2024-01-05", "2024-01-06"};
    CHECK_EQ_INT(detect(first_bad, 3, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_YMD);
    const char *first_bad2[] = {"-", "1/5/2024", "13/5/2024"};
    CHECK_EQ_INT(detect(first_bad2, 3, &f, err, sizeof err), ROUSE_OK);
    CHECK_EQ_INT(f.order, ROUSE_DATE_DMY);
    /* values that read neither way are not "ambiguous" */
    const char *neither[] = {"1/5/24", "2/6/24"};
    CHECK_EQ_INT(detect(neither, 2, &f, err, sizeof err), ROUSE_PARSE);
    CHECK(strstr(err, "ambiguous") == NULL);
  }

  /* format names: digit runs become letters */
  CHECK_EQ_STR(shape("2024-01-05"), "YYYY-MM-DD");
  CHECK_EQ_STR(shape("2024/1/5"), "YYYY/M/D");
  CHECK_EQ_STR(shape("2024/01/05 13:45"), "YYYY/MM/DD HH:MM");
  CHECK_EQ_STR(shape("2024/01/05 13:45:00"), "YYYY/MM/DD HH:MM:SS");
  CHECK_EQ_STR(shape("20240105"), "YYYYMMDD");
  CHECK_EQ_STR(shape("20240105 13:45"), "YYYYMMDD HH:MM");
  CHECK_EQ_STR(shape("2024\xE5\xB9\xB4" "1\xE6\x9C\x88" "5\xE6\x97\xA5"),
               "YYYY\xE5\xB9\xB4M\xE6\x9C\x88" "D\xE6\x97\xA5");
  CHECK_EQ_STR(shape("2024-01-05T13:45:00Z"), "YYYY-MM-DDTHH:MM:SSZ");
  CHECK_EQ_STR(shape(NULL), "year-month-day");
  {
    /* a long sample is cut, never in the middle of a UTF-8 character */
    char s[200];
    strcpy(s, "2024");
    for (int i = 0; i < 30; i++) strcat(s, "\xE5\xB9\xB4");
    const char *nm = shape(s);
    CHECK(strlen(nm) < 64);
    CHECK(rouse__utf8_valid((const unsigned char *)nm, strlen(nm)));
  }
  return done_testing();
}
