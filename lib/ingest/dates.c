/* SPDX-License-Identifier: MIT
 * Date field parsing and date-format detection for transaction exports.
 *
 * Accepted shapes (docs/input.md): year first with '-', '/' or '.' separators or 年月日
 * (2024-01-05, 2024/1/5, 2024.01.05, 2024年1月5日), compact 20240105, each optionally followed
 * by a time (" 13:45", " 13:45:00", "T13:45:00.123+09:00", "Z"); and with an explicit or
 * detected order, month-first or day-first (1/5/2024). The calendar date as written is the
 * result: times and zone offsets are checked for shape but do not move the date. Years are
 * limited to 1900..2199: anything else in a shop export is a placeholder, not a purchase.
 * Knows nothing about CSV or columns. */
#include <stdio.h>

#include "ingest.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2199

/* UTF-8 of 年 月 日 */
static const char K_NEN[] = "\xE5\xB9\xB4", K_GATSU[] = "\xE6\x9C\x88", K_NICHI[] = "\xE6\x97\xA5";

static inline bool isdig(unsigned char c) { return c >= '0' && c <= '9'; }

/* parse 1..maxd digits at s[*i] */
static inline bool num(const unsigned char *s, size_t n, size_t *i, int mind, int maxd, int *v) {
  int k = 0, val = 0;
  while (*i < n && isdig(s[*i]) && k < maxd) {
    val = val * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  if (k < mind || (*i < n && isdig(s[*i]))) return false;
  *v = val;
  return true;
}

/* parse mind..maxd digits at s[*i], stopping after maxd even if more digits follow (for
 * fields written next to each other: +0900, %Y%m%d) */
static inline bool num_run(const unsigned char *s, size_t n, size_t *i, int mind, int maxd,
                           int *v) {
  int k = 0, val = 0;
  while (*i < n && isdig(s[*i]) && k < maxd) {
    val = val * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  if (k < mind) return false;
  *v = val;
  return true;
}

static inline bool lit(const unsigned char *s, size_t n, size_t *i, const char *k) {
  size_t m = strlen(k);
  if (*i + m > n || memcmp(s + *i, k, m) != 0) return false;
  *i += m;
  return true;
}

/* Optional time suffix: [ T]H{1,2}(:MM(:SS(.f+)?)?)?( ?(Z|[+-]HH(:?MM)?))?  Japanese 時 forms
 * are not accepted. Returns true if s[i..n) is empty or a valid time. */
static bool time_suffix(const unsigned char *s, size_t n, size_t i) {
  if (i == n) return true;
  if (s[i] != ' ' && s[i] != 'T') return false;
  while (i < n && s[i] == ' ') i++;
  if (i < n && s[i] == 'T') i++;
  int h, m, sec;
  if (!num(s, n, &i, 1, 2, &h) || h > 24) return false;
  if (i < n && s[i] == ':') {
    i++;
    if (!num(s, n, &i, 2, 2, &m) || m > 59) return false;
    if (i < n && s[i] == ':') {
      i++;
      if (!num(s, n, &i, 2, 2, &sec) || sec > 60) return false;
      if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        size_t st = i;
        while (i < n && isdig(s[i])) i++;
        if (i == st) return false;
      }
    }
  } else
    return false; /* a bare hour is not a time */
  if (i < n && s[i] == ' ') i++;
  if (i == n) return true;
  if (s[i] == 'Z') return i + 1 == n;
  if (s[i] == '+' || s[i] == '-') {
    i++;
    int oh, om;
    if (!num_run(s, n, &i, 2, 2, &oh) || oh > 14) return false;
    bool colon = i < n && s[i] == ':';
    if (colon) i++;
    if (colon || i < n) {
      if (!num(s, n, &i, 2, 2, &om) || om > 59) return false;
    }
    return i == n;
  }
  return false;
}

static inline bool finish(int y, int m, int d, int32_t *out) {
  if (y < YEAR_MIN || y > YEAR_MAX || !rouse__date_valid(y, m, d)) return false;
  *out = rouse__days_from_civil(y, m, d);
  return true;
}

static void trim(const unsigned char **s, size_t *n) {
  while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
    (*s)++;
    (*n)--;
  }
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

static bool parse_ymd(const unsigned char *s, size_t n, int32_t *out) {
  size_t i = 0;
  int y, m, d;
  /* fast path: YYYY-MM-DD */
  if (n >= 10 && s[4] == '-' && s[7] == '-' && isdig(s[0]) && isdig(s[1]) && isdig(s[2]) &&
      isdig(s[3]) && isdig(s[5]) && isdig(s[6]) && isdig(s[8]) && isdig(s[9])) {
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    return (n == 10 || time_suffix(s, n, 10)) && finish(y, m, d, out);
  }
  if (!num(s, n, &i, 4, 8, &y)) return false;
  if (i == 8) { /* compact YYYYMMDD */
    int v = y;
    y = v / 10000;
    m = v / 100 % 100;
    d = v % 100;
    return time_suffix(s, n, i) && finish(y, m, d, out);
  }
  if (i != 4) return false;
  if (lit(s, n, &i, K_NEN)) {
    if (!num(s, n, &i, 1, 2, &m) || !lit(s, n, &i, K_GATSU) || !num(s, n, &i, 1, 2, &d) ||
        !lit(s, n, &i, K_NICHI))
      return false;
    return time_suffix(s, n, i) && finish(y, m, d, out);
  }
  if (i >= n || (s[i] != '-' && s[i] != '/' && s[i] != '.')) return false;
  unsigned char sep = s[i++];
  if (!num(s, n, &i, 1, 2, &m) || i >= n || s[i] != sep) return false;
  i++;
  if (!num(s, n, &i, 1, 2, &d)) return false;
  return time_suffix(s, n, i) && finish(y, m, d, out);
}

/* a/b/YYYY with separator '/', '-' or '.'; day_first selects D/M/Y */
static bool parse_2first(const unsigned char *s, size_t n, bool day_first, int32_t *out) {
  size_t i = 0;
  int a, b, y;
  if (!num(s, n, &i, 1, 2, &a) || i >= n || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
    return false;
  unsigned char sep = s[i++];
  if (!num(s, n, &i, 1, 2, &b) || i >= n || s[i] != sep) return false;
  i++;
  if (!num(s, n, &i, 4, 4, &y)) return false;
  if (!time_suffix(s, n, i)) return false;
  return day_first ? finish(y, b, a, out) : finish(y, a, b, out);
}

/* strptime-like: %Y %m %d %H %M %S %%; every other byte literal; whole field must match.
 * Digit fields take at most their width, so directives may be adjacent (%Y%m%d). */
static bool parse_pattern(const char *pat, const unsigned char *s, size_t n, int32_t *out) {
  size_t i = 0;
  int y = -1, m = -1, d = -1, t;
  for (const char *p = pat; *p; p++) {
    if (*p == '%' && p[1]) {
      p++;
      switch (*p) {
        case 'Y': if (!num_run(s, n, &i, 4, 4, &y)) return false; break;
        case 'm': if (!num_run(s, n, &i, 1, 2, &m)) return false; break;
        case 'd': if (!num_run(s, n, &i, 1, 2, &d)) return false; break;
        case 'H': if (!num_run(s, n, &i, 1, 2, &t) || t > 24) return false; break;
        case 'M': if (!num_run(s, n, &i, 1, 2, &t) || t > 59) return false; break;
        case 'S': if (!num_run(s, n, &i, 1, 2, &t) || t > 60) return false; break;
        case '%': if (i >= n || s[i] != '%') return false; i++; break;
        default: return false;
      }
    } else {
      if (i >= n || s[i] != (unsigned char)*p) return false;
      i++;
    }
  }
  return i == n && finish(y, m, d, out);
}

bool rouse__date_parse_fmt(const struct rouse_datefmt *f, const char *str, size_t n,
                           int32_t *out) {
  const unsigned char *s = (const unsigned char *)str;
  trim(&s, &n);
  if (n == 0) return false;
  switch (f->order) {
    case ROUSE_DATE_YMD: return parse_ymd(s, n, out);
    case ROUSE_DATE_MDY: return parse_2first(s, n, false, out);
    case ROUSE_DATE_DMY: return parse_2first(s, n, true, out);
    default: return parse_pattern(f->pattern, s, n, out);
  }
}

int rouse_date_parse(const char *s, size_t len, int32_t *out) {
  struct rouse_datefmt f = {.order = ROUSE_DATE_YMD};
  return rouse__date_parse_fmt(&f, s, len, out) ? ROUSE_OK : ROUSE_PARSE;
}

int rouse__datefmt_from_option(const char *opt, struct rouse_datefmt *f, char *err, size_t errsz) {
  memset(f, 0, sizeof *f);
  if (!opt || !*opt || !strcmp(opt, "auto")) {
    f->order = ROUSE_DATE_AUTO;
    return ROUSE_OK;
  }
  if (!strcmp(opt, "ymd")) f->order = ROUSE_DATE_YMD;
  else if (!strcmp(opt, "mdy")) f->order = ROUSE_DATE_MDY;
  else if (!strcmp(opt, "dmy")) f->order = ROUSE_DATE_DMY;
  else {
    if (strlen(opt) >= sizeof f->pattern || !strstr(opt, "%Y") || !strstr(opt, "%m") ||
        !strstr(opt, "%d")) {
      snprintf(err, errsz,
               "invalid date format '%s': expected auto, ymd, mdy, dmy or a pattern with %%Y, "
               "%%m and %%d",
               opt);
      return ROUSE_MISUSE;
    }
    for (const char *p = opt; *p; p++)
      if (*p == '%' && (!p[1] || !strchr("YmdHMS%", p[1]))) {
        snprintf(err, errsz, "invalid date format '%s': unknown directive '%%%c'", opt,
                 p[1] ? p[1] : ' ');
        return ROUSE_MISUSE;
      } else if (*p == '%')
        p++;
    f->order = ROUSE_DATE_PATTERN;
    snprintf(f->pattern, sizeof f->pattern, "%s", opt);
  }
  rouse__datefmt_name(f, NULL, 0);
  return ROUSE_OK;
}

/* Human-readable shape of a sample value: digit runs become Y/M/D/H/M/S letters. */
void rouse__datefmt_name(struct rouse_datefmt *f, const char *sample, size_t n) {
  switch (f->order) {
    case ROUSE_DATE_MDY: snprintf(f->name, sizeof f->name, "M/D/YYYY (month first)"); return;
    case ROUSE_DATE_DMY: snprintf(f->name, sizeof f->name, "D/M/YYYY (day first)"); return;
    case ROUSE_DATE_PATTERN: snprintf(f->name, sizeof f->name, "%s", f->pattern); return;
    default: break;
  }
  if (!sample) {
    snprintf(f->name, sizeof f->name, "year-month-day");
    return;
  }
  static const char letters[] = "YMDHMS";
  size_t o = 0, run = 0, i = 0;
  const unsigned char *s = (const unsigned char *)sample;
  while (n && s[0] == ' ') s++, n--;
  while (i < n && o + 8 < sizeof f->name) {
    if (isdig(s[i])) {
      size_t st = i;
      while (i < n && isdig(s[i])) i++;
      size_t len = i - st;
      if (run == 0 && len == 8) { /* compact */
        memcpy(f->name + o, "YYYYMMDD", 8);
        o += 8;
        run = 3;
        continue;
      }
      for (size_t k = 0; k < len && o + 8 < sizeof f->name; k++)
        f->name[o++] = run < 6 ? letters[run] : (char)s[st + k];
      run++;
    } else
      f->name[o++] = (char)s[i++];
  }
  /* cut back to a character boundary if the name filled up inside a UTF-8 sequence */
  if (i < n && (s[i] & 0xC0) == 0x80) {
    while (o > 0 && ((unsigned char)f->name[o - 1] & 0xC0) == 0x80) o--;
    if (o > 0 && (unsigned char)f->name[o - 1] >= 0xC0) o--;
  }
  f->name[o] = '\0';
}

int rouse__datefmt_detect(const char *const *vals, const size_t *lens, size_t nv,
                          struct rouse_datefmt *f, char *err, size_t errsz) {
  /* year first? decided by the first non-empty value that starts with a run of 1, 2, 4 or 8
   * digits (placeholders such as "N/A" or "-" in the first rows do not decide; they are
   * rejected row by row later) */
  size_t first = 0;
  while (first < nv && lens[first] == 0) first++;
  if (first == nv) {
    f->order = ROUSE_DATE_YMD;
    rouse__datefmt_name(f, NULL, 0);
    return ROUSE_OK;
  }
  const unsigned char *s = (const unsigned char *)vals[first];
  size_t n = lens[first];
  trim(&s, &n);
  size_t k = 0;
  while (k < n && isdig(s[k])) k++;
  for (size_t j = first + 1; j < nv && !(k == 1 || k == 2 || k == 4 || k == 8); j++) {
    const unsigned char *sj = (const unsigned char *)vals[j];
    size_t nj = lens[j], kj = 0;
    trim(&sj, &nj);
    while (kj < nj && isdig(sj[kj])) kj++;
    if (kj == 1 || kj == 2 || kj == 4 || kj == 8) {
      first = j;
      s = sj;
      n = nj;
      k = kj;
    }
  }
  if (k == 4 || k == 8) {
    f->order = ROUSE_DATE_YMD;
    rouse__datefmt_name(f, (const char *)s, n);
    return ROUSE_OK;
  }
  if (k == 1 || k == 2) {
    size_t ok_mdy = 0, ok_dmy = 0, tried = 0;
    int32_t d;
    for (size_t i = first; i < nv; i++) {
      if (!lens[i]) continue;
      tried++;
      ok_mdy += parse_2first((const unsigned char *)vals[i], lens[i], false, &d);
      ok_dmy += parse_2first((const unsigned char *)vals[i], lens[i], true, &d);
    }
    if (ok_mdy > ok_dmy) f->order = ROUSE_DATE_MDY;
    else if (ok_dmy > ok_mdy) f->order = ROUSE_DATE_DMY;
    else if (ok_mdy == 0) {
      snprintf(err, errsz,
               "unrecognised date '%.*s': neither month/day/year nor day/month/year with a "
               "4-digit year (give --date-format)",
               (int)(n > 40 ? 40 : n), (const char *)s);
      return ROUSE_PARSE;
    } else {
      snprintf(err, errsz,
               "ambiguous date format: '%.*s' reads as month/day and as day/month in every "
               "sampled row; give --date-format mdy or --date-format dmy",
               (int)(n > 40 ? 40 : n), (const char *)s);
      return ROUSE_PARSE;
    }
    rouse__datefmt_name(f, NULL, 0);
    return ROUSE_OK;
  }
  snprintf(err, errsz,
           "unrecognised date '%.*s': expected e.g. 2024-01-05, 2024/1/5, 20240105 or "
           "2024年1月5日 (or give --date-format)",
           (int)(n > 40 ? 40 : n), (const char *)s);
  return ROUSE_PARSE;
}
