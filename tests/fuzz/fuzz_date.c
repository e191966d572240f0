/* SPDX-License-Identifier: MIT
 * Fuzz target: date parsing and date-format handling.
 *  - rouse__date_parse_fmt with YMD, MDY and DMY: a parsed day lies in 1900..2199, and the
 *    date formatted back (YYYY-MM-DD, M/D/YYYY, D/M/YYYY) parses to the same day;
 *  - rouse__datefmt_from_option on the input as a string (NUL-terminated copy): an
 *    accepted pattern parses the input's second half without crashing, with the same
 *    round-trip property when the pattern is fully numeric;
 *  - rouse__datefmt_detect on the input split at newlines: the chosen order can parse the
 *    value that decided it or returns an error with a message;
 *  - rouse__datefmt_name: NUL-terminated, shorter than the buffer, valid UTF-8 when the
 *    sample is.
 */
#include <string.h>

#include "fuzz.h"
#include "ingest/ingest.h"

#define DAY_MIN (-25567)        /* 1900-01-01 */
#define DAY_MAX (109573 - 25567 - 1) /* 2199-12-31 */

static void check_order(int order, const char *s, size_t n) {
  struct rouse_datefmt f;
  memset(&f, 0, sizeof f);
  f.order = order;
  int32_t d = INT32_MIN;
  if (!rouse__date_parse_fmt(&f, s, n, &d)) return;
  FUZZ_ASSERT(d >= DAY_MIN && d <= DAY_MAX);
  int y, m, dd;
  rouse_date_to_ymd(d, &y, &m, &dd);
  char buf[32];
  int k;
  if (order == ROUSE_DATE_YMD) k = snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
  else if (order == ROUSE_DATE_MDY) k = snprintf(buf, sizeof buf, "%d/%d/%04d", m, dd, y);
  else k = snprintf(buf, sizeof buf, "%d/%d/%04d", dd, m, y);
  int32_t back = INT32_MIN;
  FUZZ_ASSERT(rouse__date_parse_fmt(&f, buf, (size_t)k, &back));
  FUZZ_ASSERT(back == d);
  /* the public parser is YMD */
  if (order == ROUSE_DATE_YMD) {
    char b2[11];
    rouse_date_format(d, b2);
    FUZZ_ASSERT(rouse_date_parse(b2, 10, &back) == ROUSE_OK && back == d);
    FUZZ_ASSERT(rouse_date_parse(s, n, &back) == ROUSE_OK && back == d);
  }
}

static void check_name(struct rouse_datefmt *f, const char *s, size_t n) {
  rouse__datefmt_name(f, s, n);
  size_t l = strnlen(f->name, sizeof f->name);
  FUZZ_ASSERT(l < sizeof f->name);
  if (rouse__utf8_valid((const unsigned char *)s, n))
    FUZZ_ASSERT(rouse__utf8_valid((const unsigned char *)f->name, l));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_dup(data, size);
  check_order(ROUSE_DATE_YMD, s, size);
  check_order(ROUSE_DATE_MDY, s, size);
  check_order(ROUSE_DATE_DMY, s, size);

  /* --date-format: first half as the option, second half as the value */
  {
    size_t h = size / 2;
    char *opt = malloc(h + 1);
    memcpy(opt, s, h);
    opt[h] = '\0';
    struct rouse_datefmt f;
    char err[300];
    err[0] = '\0';
    int rc = rouse__datefmt_from_option(opt, &f, err, sizeof err);
    if (rc == ROUSE_OK) {
      FUZZ_ASSERT(strnlen(f.name, sizeof f.name) < sizeof f.name);
      int32_t d;
      if (f.order != ROUSE_DATE_AUTO && rouse__date_parse_fmt(&f, s + h, size - h, &d))
        FUZZ_ASSERT(d >= DAY_MIN && d <= DAY_MAX);
    } else {
      FUZZ_ASSERT(rc == ROUSE_MISUSE);
      FUZZ_ASSERT(strlen(err) > 0);
    }
    free(opt);
  }

  /* detection over newline-separated values */
  {
    const char *vals[64];
    size_t lens[64], nv = 0, st = 0;
    for (size_t i = 0; i <= size && nv < 64; i++)
      if (i == size || s[i] == '\n') {
        vals[nv] = s + st;
        lens[nv++] = i - st;
        st = i + 1;
      }
    struct rouse_datefmt f;
    memset(&f, 0, sizeof f);
    char err[300];
    err[0] = '\0';
    int rc = rouse__datefmt_detect(vals, lens, nv, &f, err, sizeof err);
    if (rc == ROUSE_OK) {
      FUZZ_ASSERT(f.order == ROUSE_DATE_YMD || f.order == ROUSE_DATE_MDY ||
                  f.order == ROUSE_DATE_DMY);
      FUZZ_ASSERT(strnlen(f.name, sizeof f.name) < sizeof f.name);
      /* when month/day order was chosen, some sampled value parses with it */
      if (f.order != ROUSE_DATE_YMD) {
        int any = 0;
        int32_t d;
        for (size_t i = 0; i < nv; i++) any |= rouse__date_parse_fmt(&f, vals[i], lens[i], &d);
        FUZZ_ASSERT(any);
      }
    } else {
      FUZZ_ASSERT(rc == ROUSE_PARSE);
      FUZZ_ASSERT(strlen(err) > 0);
    }
  }

  struct rouse_datefmt f;
  memset(&f, 0, sizeof f);
  f.order = ROUSE_DATE_YMD;
  check_name(&f, s, size);
  free(s);
  return 0;
}
