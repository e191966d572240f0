/* SPDX-License-Identifier: MIT
 * Option parsing, help text, shared input options, progress display, reject file and the
 * closing ingest report of the rouse program. Library calls only; no computation here. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *prog = "rouse";

/*=====================================================================
 * Messages
 *====================================================================*/
void msg_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: error: ", prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void msg_info(bool quiet, const char *fmt, ...) {
  if (quiet) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

int usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s%s%s: ", prog, cmd ? " " : "", cmd ? cmd : "");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nTry '%s%s%s --help' for more information.\n", prog, cmd ? " " : "",
          cmd ? cmd : "");
  va_end(ap);
  return EXIT_USAGE;
}

/*=====================================================================
 * Option parsing
 *====================================================================*/
static const struct opt *find_long(const struct argp *a, const char *name, size_t n) {
  for (int t = 0; t < a->ntables; t++)
    for (size_t k = 0; k < a->sizes[t]; k++)
      if (strlen(a->tables[t][k].name) == n && !strncmp(a->tables[t][k].name, name, n))
        return &a->tables[t][k];
  return NULL;
}

static const struct opt *find_short(const struct argp *a, char c) {
  for (int t = 0; t < a->ntables; t++)
    for (size_t k = 0; k < a->sizes[t]; k++)
      if (a->tables[t][k].short_name == c) return &a->tables[t][k];
  return NULL;
}

int argp_next(struct argp *a, const char **val) {
  *val = NULL;
  if (a->i >= a->argc) return -1;
  char *s = a->argv[a->i++];
  if (a->no_more_opts || s[0] != '-' || s[1] == '\0') {
    *val = s;
    return 0;
  }
  if (!strcmp(s, "--")) {
    a->no_more_opts = true;
    return argp_next(a, val);
  }
  const struct opt *o;
  const char *inline_val = NULL;
  if (s[1] == '-') {
    const char *name = s + 2, *eq = strchr(name, '=');
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    o = find_long(a, name, n);
    if (!o) {
      usage_error(a->cmd, "unknown option '--%.*s'", (int)n, name);
      return -2;
    }
    if (eq) inline_val = eq + 1;
  } else {
    o = find_short(a, s[1]);
    if (!o) {
      usage_error(a->cmd, "unknown option '-%c'", s[1]);
      return -2;
    }
    if (s[2]) {
      if (!o->arg) {
        usage_error(a->cmd, "option '-%c' takes no value (in '%s')", s[1], s);
        return -2;
      }
      inline_val = s + 2;
    }
  }
  if (o->arg) {
    if (inline_val)
      *val = inline_val;
    else if (a->i < a->argc)
      *val = a->argv[a->i++];
    else {
      usage_error(a->cmd, "option '--%s' needs a value (%s)", o->name, o->arg);
      return -2;
    }
  } else if (inline_val) {
    usage_error(a->cmd, "option '--%s' takes no value", o->name);
    return -2;
  }
  return o->id;
}

void print_help(FILE *f, const char *usage, const char *intro, const struct opt *const *tables,
                const size_t *sizes, const char *const *titles, int ntables, const char *outro) {
  fprintf(f, "Usage: %s\n", usage);
  if (intro) fprintf(f, "\n%s\n", intro);
  for (int t = 0; t < ntables; t++) {
    fprintf(f, "\n%s:\n", titles[t]);
    for (size_t k = 0; k < sizes[t]; k++) {
      const struct opt *o = &tables[t][k];
      char left[64];
      int n;
      if (o->short_name)
        n = snprintf(left, sizeof left, "  -%c, --%s%s%s", o->short_name, o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
      else
        n = snprintf(left, sizeof left, "      --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
      fputs(left, f);
      const char *h = o->help;
      int col = n;
      for (;;) {
        const char *nl = strchr(h, '\n');
        size_t len = nl ? (size_t)(nl - h) : strlen(h);
        if (col >= 28) {
          fputc('\n', f);
          col = 0;
        }
        fprintf(f, "%*s%.*s\n", 28 - col, "", (int)len, h);
        col = 0;
        if (!nl) break;
        h = nl + 1;
      }
    }
  }
  if (outro) fprintf(f, "\n%s\n", outro);
}

/*=====================================================================
 * Input options
 *====================================================================*/
const struct opt input_opts[] = {
    {"map", 0, "FIELD=COLUMN,...",
     "use these columns (header name or 1-based number) for fields:\ncustomer_id, date, amount, "
     "order_id, quantity, product_id,\ncategory, status",
     O_MAP},
    {"encoding", 0, "ENC", "auto (default), utf-8 or cp932", O_ENCODING},
    {"delimiter", 0, "D", "auto (default), ',', 'tab' or ';'", O_DELIMITER},
    {"date-format", 0, "FMT", "auto (default), ymd, mdy, dmy or a pattern like %d.%m.%Y",
     O_DATE_FORMAT},
    {"reject", 0, "FILE", "write rejected rows with file, line, column and reason", O_REJECT},
    {"max-errors", 0, "N", "fail (exit 1) when more than N rows are rejected\n(default: no limit)",
     O_MAX_ERRORS},
    {"threads", 'j', "N", "worker threads (default: all CPUs); output is the same", O_THREADS},
    {"quiet", 'q', NULL, "no progress and no report on stderr, errors only", O_QUIET},
    {"help", 'h', NULL, "show this help", O_HELP},
};
const size_t n_input_opts = sizeof input_opts / sizeof input_opts[0];

void input_cfg_init(struct input_cfg *c) {
  memset(c, 0, sizeof *c);
  rouse_ingest_opts_init(&c->io);
  c->n_threads = 0;
}

int parse_int_arg(const char *cmd, const char *opt, const char *val, long long lo, long long hi,
                  long long *out) {
  char *end;
  errno = 0;
  long long v = strtoll(val, &end, 10);
  if (errno || end == val || *end || v < lo || v > hi)
    return usage_error(cmd, "invalid value '%s' for --%s: expected an integer from %lld to %lld",
                       val, opt, lo, hi);
  *out = v;
  return 0;
}

/* 180d, 26w, 6m, 1y, or a plain number of days; returns days or -1 */
double parse_span(const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || !(v >= 0) || !isfinite(v)) return -1;
  double mul = 1;
  if (!*end || !strcmp(end, "d")) mul = 1;
  else if (!strcmp(end, "w")) mul = 7;
  else if (!strcmp(end, "m")) mul = 365.25 / 12;
  else if (!strcmp(end, "y")) mul = 365.25;
  else return -1;
  return v * mul;
}

int parse_date_arg(const char *cmd, const char *opt, const char *val, int32_t *out) {
  if (rouse_date_parse(val, strlen(val), out) != ROUSE_OK)
    return usage_error(cmd, "invalid date '%s' for --%s: expected YYYY-MM-DD", val, opt);
  return 0;
}

static int apply_map(struct input_cfg *c, const char *cmd, const char *val) {
  /* FIELD=COLUMN[,FIELD=COLUMN...]; column names may not contain ',' */
  static char store[4096];
  static size_t used;
  size_t n = strlen(val);
  if (used + n + 1 > sizeof store) return usage_error(cmd, "--map: too long");
  char *s = store + used;
  memcpy(s, val, n + 1);
  used += n + 1;
  for (char *tok = s; tok && *tok;) {
    char *comma = strchr(tok, ',');
    if (comma) *comma = '\0';
    char *eq = strchr(tok, '=');
    if (!eq || eq == tok || !eq[1])
      return usage_error(cmd, "--map: expected FIELD=COLUMN, got '%s'", tok);
    *eq = '\0';
    int f = -1;
    for (int k = 0; k < ROUSE_FIELD_COUNT; k++)
      if (!strcmp(tok, rouse_field_name(k))) f = k;
    if (f < 0)
      return usage_error(cmd,
                         "--map: unknown field '%s' (fields: customer_id, date, amount, "
                         "order_id, quantity, product_id, category, status)",
                         tok);
    c->io.map[f] = eq + 1;
    tok = comma ? comma + 1 : NULL;
  }
  return 0;
}

int input_cfg_add_file(struct input_cfg *c, const char *cmd, const char *path) {
  if (c->n_files == (int)(sizeof c->files / sizeof c->files[0]))
    return usage_error(cmd, "too many input files (at most %d)",
                       (int)(sizeof c->files / sizeof c->files[0]));
  c->files[c->n_files++] = path;
  return 0;
}

int input_cfg_apply(struct input_cfg *c, const char *cmd, int id, const char *val) {
  long long v = 0;
  switch (id) {
    case O_MAP: return apply_map(c, cmd, val);
    case O_ENCODING:
      if (!strcmp(val, "auto")) c->io.encoding = ROUSE_ENCODING_AUTO;
      else if (!strcasecmp(val, "utf-8") || !strcasecmp(val, "utf8"))
        c->io.encoding = ROUSE_ENCODING_UTF8;
      else if (!strcasecmp(val, "cp932") || !strcasecmp(val, "sjis") ||
               !strcasecmp(val, "shift_jis"))
        c->io.encoding = ROUSE_ENCODING_CP932;
      else
        return usage_error(cmd, "invalid --encoding '%s': expected auto, utf-8 or cp932", val);
      return 0;
    case O_DELIMITER:
      if (!strcmp(val, "auto")) c->io.delimiter = 0;
      else if (!strcmp(val, ",") || !strcmp(val, "comma")) c->io.delimiter = ',';
      else if (!strcmp(val, "tab") || !strcmp(val, "\t") || !strcmp(val, "\\t"))
        c->io.delimiter = '\t';
      else if (!strcmp(val, ";") || !strcmp(val, "semicolon")) c->io.delimiter = ';';
      else
        return usage_error(cmd, "invalid --delimiter '%s': expected auto, ',', tab or ';'", val);
      return 0;
    case O_DATE_FORMAT: c->io.date_format = val; return 0;
    case O_REJECT: c->reject_path = val; return 0;
    case O_MAX_ERRORS:
      if (parse_int_arg(cmd, "max-errors", val, 0, INT64_MAX, &v)) return EXIT_USAGE;
      c->io.max_errors = v;
      return 0;
    case O_THREADS:
      if (parse_int_arg(cmd, "threads", val, 0, 64, &v)) return EXIT_USAGE;
      c->n_threads = (int)v;
      c->io.n_threads = (int)v;
      return 0;
    case O_QUIET: c->quiet = true; return 0;
  }
  return usage_error(cmd, "internal: unhandled option %d", id);
}

/*=====================================================================
 * Progress (terminal only)
 *====================================================================*/
struct progress {
  const char *name;
  double last;
  bool shown;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* display pacing only, never in results */
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int on_progress(void *ctx, uint64_t done, uint64_t total) {
  struct progress *p = ctx;
  double t = now_s();
  if (t - p->last < 0.2) return 0;
  p->last = t;
  p->shown = true;
  if (total)
    fprintf(stderr, "\r%s: reading %s: %.0f / %.0f MB (%d%%)   ", prog, p->name, done / 1e6,
            total / 1e6, (int)(100.0 * (double)done / (double)total));
  else
    fprintf(stderr, "\r%s: reading %s: %.0f MB   ", prog, p->name, done / 1e6);
  fflush(stderr);
  return 0;
}

/*=====================================================================
 * Reject sink
 *====================================================================*/
struct reject_sink {
  FILE *f;
  const char *path;
  uint64_t n;
  int shown; /* printed to stderr when there is no file */
  bool quiet;
};

static void write_sanitized(FILE *f, const char *s, size_t n) {
  /* CSV-quote, replacing bytes that are not valid UTF-8 with U+FFFD */
  fputc('"', f);
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    unsigned c = p[i];
    if (c < 0x80) {
      if (c == '"') fputc('"', f);
      if (c == 0) fputs("\xEF\xBF\xBD", f);
      else fputc((int)c, f);
      i++;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = len && i + len <= n;
    for (size_t k = 1; ok && k < len; k++) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok) {
      fwrite(p + i, 1, len, f);
      i += len;
    } else {
      fputs("\xEF\xBF\xBD", f);
      i++;
    }
  }
  fputc('"', f);
}

void reject_emit(FILE *f, int *shown, bool quiet, const rouse_diag *d, const char *reason) {
  if (f) {
    write_sanitized(f, d->file, strlen(d->file));
    fprintf(f, ",%llu,%u,%s,", (unsigned long long)d->line, d->column, reason);
    write_sanitized(f, d->detail, strlen(d->detail));
    fputc(',', f);
    write_sanitized(f, d->text, d->text_len);
    fputc('\n', f);
  } else if (*shown < 10 && !quiet) {
    (*shown)++;
    if (d->column)
      fprintf(stderr, "%s: %s: line %llu, column %u: %s\n", prog, d->file,
              (unsigned long long)d->line, d->column, d->detail);
    else
      fprintf(stderr, "%s: %s: line %llu: %s\n", prog, d->file, (unsigned long long)d->line,
              d->detail);
  }
}

FILE *reject_file_open(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) {
    msg_error("cannot open reject file '%s': %s", path, strerror(errno));
    return NULL;
  }
  fputs("file,line,column,reason,detail,row\n", f);
  return f;
}

void report_rejects(const uint64_t *by, int n_reasons, const char *(*name)(int),
                    const char *written_to, uint64_t n, int shown) {
  fprintf(stderr, "%s:   rejected:", prog);
  const char *sep = " ";
  for (int r = 0; r < n_reasons; r++)
    if (by[r]) {
      fprintf(stderr, "%s%s %llu", sep, name(r), (unsigned long long)by[r]);
      sep = ", ";
    }
  if (written_to)
    fprintf(stderr, " (rows written to %s)\n", written_to);
  else if (n > (uint64_t)shown)
    fprintf(stderr, " (first %d shown above; write all with --reject FILE)\n", shown);
  else
    fputc('\n', stderr);
}

static void on_reject(void *ctx, const rouse_diag *d) {
  struct reject_sink *rs = ctx;
  rs->n++;
  reject_emit(rs->f, &rs->shown, rs->quiet, d, rouse_reject_name(d->reason));
}

void reject_sink_close(struct reject_sink *rs) {
  if (!rs) return;
  if (rs->f && fclose(rs->f) != 0) msg_error("cannot write '%s': %s", rs->path, strerror(errno));
  free(rs);
}

/*=====================================================================
 * Reading inputs
 *====================================================================*/
static const char *enc_name(int e) {
  return e == ROUSE_ENCODING_CP932 ? "CP932 (Shift_JIS)" : "UTF-8";
}

static const char *delim_name(char d) {
  return d == '\t' ? "tab-separated" : d == ';' ? "semicolon-separated" : "comma-separated";
}

static void describe_source(const struct input_cfg *c, const rouse_source_info *si) {
  if (c->quiet) return;
  fprintf(stderr, "%s: read %s: %s%s%s, %s, dates %s\n", prog, si->name,
          si->gzip ? "gzip, " : "", enc_name(si->encoding), si->bom ? " with BOM" : "",
          delim_name(si->delimiter), si->date_format ? si->date_format : "?");
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) {
    if (si->column[f] < 0) continue;
    fprintf(stderr, "%s:   %-12s <- column %d '%s'%s\n", prog, rouse_field_name(f),
            si->column[f] + 1, si->header[f],
            f == ROUSE_FIELD_STATUS ? (si->cancel_is_flag ? " (cancel flag)" : " (status words)")
                                    : "");
  }
}

int read_inputs(struct input_cfg *c, rouse_ingest **out, struct reject_sink **rejects) {
  *out = NULL;
  *rejects = NULL;
  struct reject_sink *rs = calloc(1, sizeof *rs);
  if (!rs) {
    msg_error("out of memory");
    return EXIT_INPUT;
  }
  rs->quiet = c->quiet;
  *rejects = rs;
  if (c->reject_path) {
    rs->path = c->reject_path;
    if (!(rs->f = reject_file_open(c->reject_path))) return EXIT_INPUT;
  }
  struct progress pr = {0};
  c->io.on_reject = on_reject;
  c->io.reject_ctx = rs;
  if (!c->quiet && isatty(2)) {
    c->io.on_progress = on_progress;
    c->io.progress_ctx = &pr;
  }
  rouse_ingest *ing;
  int rc = rouse_ingest_new(&c->io, &ing);
  *out = ing;
  if (rc) {
    msg_error("%s", ing && rouse_ingest_errmsg(ing)[0] ? rouse_ingest_errmsg(ing)
                                                        : rouse_strerror(rc));
    return rc == ROUSE_MISUSE ? EXIT_USAGE : EXIT_INPUT;
  }
  for (int i = 0; i < c->n_files; i++) {
    pr.name = c->files[i];
    pr.last = now_s();
    rc = rouse_ingest_file(ing, c->files[i]);
    if (pr.shown) {
      fprintf(stderr, "\r%*s\r", 78, "");
      pr.shown = false;
    }
    size_t ns = rouse_ingest_source_count(ing);
    if (ns && (rc == ROUSE_OK || rc == ROUSE_TOOMANYERRORS))
      describe_source(c, rouse_ingest_source(ing, ns - 1));
    if (rc) {
      msg_error("%s", rouse_ingest_errmsg(ing));
      return rc == ROUSE_MISUSE ? EXIT_USAGE : EXIT_INPUT;
    }
  }
  return EXIT_OK;
}

void report_ingest(const struct input_cfg *c, const rouse_ingest *ing, struct reject_sink *rs,
                   int32_t as_of) {
  rouse_ingest_stats st;
  rouse_ingest_get_stats(ing, &st);
  if (c->quiet) return;
  fprintf(stderr, "%s: rows read %llu = accepted %llu + cancelled %llu + rejected %llu\n", prog,
          (unsigned long long)st.rows_read, (unsigned long long)st.rows_accepted,
          (unsigned long long)st.rows_cancelled, (unsigned long long)st.rows_rejected);
  if (st.rows_rejected)
    report_rejects(st.rejected_by, ROUSE_REJECT_COUNT, rouse_reject_name,
                   rs && rs->f ? rs->path : NULL, rs ? rs->n : 0, rs ? rs->shown : 0);
  if (st.rows_returns)
    fprintf(stderr, "%s:   %llu return rows (negative amounts) reduce spend\n", prog,
            (unsigned long long)st.rows_returns);
  if (st.rows_no_amount)
    fprintf(stderr, "%s:   %llu rows have an empty amount: counted as purchases, no spend\n", prog,
            (unsigned long long)st.rows_no_amount);
  if (st.rows_after_window)
    fprintf(stderr, "%s:   %llu rows dated on or after the as-of date are not in the summary\n",
            prog, (unsigned long long)st.rows_after_window);
  if (st.blank_lines)
    fprintf(stderr, "%s:   %llu blank lines skipped\n", prog, (unsigned long long)st.blank_lines);
  char a[16], b[16], d[16];
  if (st.first_day != INT32_MAX)
    fprintf(stderr, "%s: customers %llu; dates %s .. %s; as-of %s\n", prog,
            (unsigned long long)st.customers, rouse_date_format(st.first_day, a),
            rouse_date_format(st.last_day, b), rouse_date_format(as_of, d));
}

/*=====================================================================
 * Output
 *====================================================================*/
FILE *open_output(const char *path) {
  if (!path || !strcmp(path, "-")) return stdout;
  FILE *f = fopen(path, "w");
  if (!f) msg_error("cannot open output '%s': %s", path, strerror(errno));
  return f;
}

int close_output(FILE *f, const char *path) {
  int bad = ferror(f);
  if (f == stdout) bad |= fflush(f) != 0;
  else bad |= fclose(f) != 0;
  if (bad) {
    msg_error("cannot write '%s': %s", path && strcmp(path, "-") ? path : "standard output",
              strerror(errno));
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

int out_sink_write(void *ctx, const void *data, size_t len) {
  struct out_sink *o = ctx;
  if (!o->f && !(o->f = open_output(o->path))) {
    o->failed = true;
    return 1;
  }
  return fwrite(data, 1, len, o->f) != len;
}

/* terminal columns of code point c: 2 for the East Asian wide and full-width blocks (kana,
 * kanji, hangul, full-width forms), 1 otherwise */
static int cp_width(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                 (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                 (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                 (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000
             ? 2
             : 1;
}

const char *fit_columns(const char *s, int width, char *buf, size_t cap) {
  size_t o = 0;
  int used = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 1;
    uint32_t c = n == 1 ? *p : (uint32_t)(*p & (0x7F >> n));
    for (size_t k = 1; k < n; k++) {
      if ((p[k] & 0xC0) != 0x80) { /* not valid UTF-8 here: one byte, one column */
        n = 1;
        c = '?';
        break;
      }
      c = c << 6 | (p[k] & 0x3F);
    }
    int w = cp_width(c);
    if (used + w > width || o + n + 1 >= cap) break;
    memcpy(buf + o, p, n);
    o += n, used += w, p += n;
  }
  while (used < width && o + 1 < cap) buf[o++] = ' ', used++;
  buf[o] = '\0';
  return buf;
}
