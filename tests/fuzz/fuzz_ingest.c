/* SPDX-License-Identifier: MIT
 * Fuzz target: the whole ingest engine and summary on one in-memory source, one thread.
 * Byte 0 picks options (encoding auto/UTF-8/CP932, delimiter auto/,/TAB/;, date format
 * auto/ymd/mdy/dmy); bytes 1.. are the export. Invariants:
 *  - rows_read = accepted + cancelled + rejected, rejected = sum of rejected_by, and the
 *    reject sink was called once per rejected row with a sane diagnostic (line >= 2, known
 *    reason, NUL-terminated detail);
 *  - a failing call leaves a message naming the source;
 *  - the summary, if any, has ids in the documented order and per-customer columns that
 *    agree with each other (x = purchase_days - 1, first <= last < as_of, t_x <= T, ...);
 *  - differential: a non-ASCII UTF-8 export and the same text in CP932 (when iconv
 *    converts it both ways losslessly), read with the encoding forced, give the same
 *    status, counts, rejects (line, column, reason, text) and summary.
 */
#include <iconv.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "ingest/ingest.h"

/* rollup.c: the id order of summaries */
int rouse__id_compare(const char *a, size_t na, const char *b, size_t nb);

struct sink {
  uint64_t calls;
  uint64_t hash; /* of (line, column, reason, text) in call order */
};

static void on_reject(void *ctx, const rouse_diag *d) {
  struct sink *s = ctx;
  s->calls++;
  FUZZ_ASSERT(d->reason >= 0 && d->reason < ROUSE_REJECT_COUNT);
  FUZZ_ASSERT(rouse_reject_name(d->reason) != NULL);
  FUZZ_ASSERT(d->line >= 2);
  FUZZ_ASSERT(d->detail && strlen(d->detail) < 300);
  FUZZ_ASSERT(d->file && !strcmp(d->file, "fuzz.csv"));
  FUZZ_ASSERT(d->text || d->text_len == 0);
  /* touch every byte of the text (ASan checks the range) */
  uint64_t h = s->hash ^ (d->line * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)d->column << 40) ^
               (uint64_t)d->reason;
  for (size_t i = 0; i < d->text_len; i++) h = (h ^ (unsigned char)d->text[i]) * 0x100000001B3ULL;
  s->hash = h * 0xFF51AFD7ED558CCDULL;
}

/* Differential check of the CP932 path: a UTF-8 export and the same text converted to
 * CP932 (when the conversion is lossless) must give the same counts, rejects and summary. */
struct outcome {
  int rc;
  rouse_ingest_stats st;
  struct sink sk;
  rouse_summary *s;
};

static void run(const char *buf, size_t n, int encoding, char delim, const char *datefmt,
                struct outcome *oc) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 1;
  o.encoding = encoding;
  o.delimiter = delim;
  o.date_format = datefmt;
  memset(oc, 0, sizeof *oc);
  o.on_reject = on_reject;
  o.reject_ctx = &oc->sk;
  rouse_ingest *ing = NULL;
  FUZZ_ASSERT(rouse_ingest_new(&o, &ing) == ROUSE_OK);
  oc->rc = rouse_ingest_memory(ing, "fuzz.csv", buf, n);
  rouse_ingest_get_stats(ing, &oc->st);
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  rouse_summary_build(ing, &so, 1, &oc->s);
  rouse_ingest_free(ing);
}

static size_t iconv_all(const char *to, const char *from, const char *in, size_t n, char *out,
                        size_t cap) {
  iconv_t cd = iconv_open(to, from);
  if (cd == (iconv_t)-1) return (size_t)-1;
  char *ip = (char *)in, *op = out;
  size_t il = n, ol = cap;
  size_t r = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  return r == (size_t)-1 || il ? (size_t)-1 : (size_t)(op - out);
}

static int same_double(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

static void differential(const char *buf, size_t n, char delim, const char *datefmt) {
  bool ascii = true;
  for (size_t i = 0; i < n; i++) ascii &= (unsigned char)buf[i] < 0x80;
  if (ascii || !rouse__utf8_valid((const unsigned char *)buf, n)) return;
  char *sj = malloc(2 * n + 16), *back = malloc(2 * n + 16);
  size_t sn = iconv_all("CP932", "UTF-8", buf, n, sj, 2 * n + 16);
  size_t bn = sn == (size_t)-1 ? sn : iconv_all("UTF-8", "CP932", sj, sn, back, 2 * n + 16);
  if (bn != n || memcmp(back, buf, n)) { /* not representable, or not a round trip */
    free(sj);
    free(back);
    return;
  }
  struct outcome a, b;
  run(buf, n, ROUSE_ENCODING_UTF8, delim, datefmt, &a);
  run(sj, sn, ROUSE_ENCODING_CP932, delim, datefmt, &b);
  FUZZ_ASSERT(a.rc == b.rc);
  a.st.bytes = b.st.bytes = 0;
  FUZZ_ASSERT(!memcmp(&a.st, &b.st, sizeof a.st));
  FUZZ_ASSERT(a.sk.calls == b.sk.calls && a.sk.hash == b.sk.hash);
  FUZZ_ASSERT(!a.s == !b.s);
  if (a.s && b.s) {
    FUZZ_ASSERT(a.s->n == b.s->n && a.s->as_of == b.s->as_of);
    FUZZ_ASSERT(a.s->customers_without_purchase == b.s->customers_without_purchase);
    for (size_t i = 0; i < a.s->n; i++) {
      FUZZ_ASSERT(!strcmp(a.s->id[i], b.s->id[i]));
      FUZZ_ASSERT(a.s->first_day[i] == b.s->first_day[i] && a.s->last_day[i] == b.s->last_day[i]);
      FUZZ_ASSERT(a.s->orders[i] == b.s->orders[i] && a.s->x[i] == b.s->x[i]);
      FUZZ_ASSERT(a.s->total_e4[i] == b.s->total_e4[i]);
      FUZZ_ASSERT(a.s->returned_e4[i] == b.s->returned_e4[i]);
      FUZZ_ASSERT(a.s->cancelled_orders[i] == b.s->cancelled_orders[i]);
      FUZZ_ASSERT(same_double(a.s->mean_repeat[i], b.s->mean_repeat[i]));
    }
  }
  rouse_summary_free(a.s);
  rouse_summary_free(b.s);
  free(sj);
  free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint8_t sel = data[0];
  static const char delims[4] = {0, ',', '\t', ';'};
  static const char *const datefmts[4] = {NULL, "ymd", "mdy", "dmy"};
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 1;
  o.encoding = sel % 3;
  o.delimiter = delims[(sel >> 2) & 3];
  o.date_format = datefmts[(sel >> 4) & 3];
  struct sink sk = {0};
  o.on_reject = on_reject;
  o.reject_ctx = &sk;
  rouse_ingest *ing = NULL;
  FUZZ_ASSERT(rouse_ingest_new(&o, &ing) == ROUSE_OK);
  char *buf = fuzz_dup(data + 1, size - 1);
  int rc = rouse_ingest_memory(ing, "fuzz.csv", buf, size - 1);
  const char *msg = rouse_ingest_errmsg(ing);
  if (rc != ROUSE_OK) {
    FUZZ_ASSERT(rc == ROUSE_PARSE || rc == ROUSE_IO || rc == ROUSE_ENCODING ||
                rc == ROUSE_LIMIT || rc == ROUSE_NOMEM);
    FUZZ_ASSERT(strstr(msg, "fuzz.csv") != NULL);
  }
  rouse_ingest_stats st;
  rouse_ingest_get_stats(ing, &st);
  uint64_t by = 0;
  for (int i = 0; i < ROUSE_REJECT_COUNT; i++) by += st.rejected_by[i];
  FUZZ_ASSERT(st.rows_read == st.rows_accepted + st.rows_cancelled + st.rows_rejected);
  FUZZ_ASSERT(by == st.rows_rejected);
  FUZZ_ASSERT(sk.calls == st.rows_rejected);
  FUZZ_ASSERT(st.rows_returns <= st.rows_accepted);
  FUZZ_ASSERT(st.rows_no_amount <= st.rows_accepted);
  if (st.rows_accepted) FUZZ_ASSERT(st.first_day <= st.last_day);
  FUZZ_ASSERT(rouse_ingest_source_count(ing) == 1);
  const rouse_source_info *si = rouse_ingest_source(ing, 0);
  FUZZ_ASSERT(si && si->rows == st.rows_read);
  if (!si->gzip) FUZZ_ASSERT(st.bytes <= size); /* decompressed bytes may be more */

  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  rouse_summary *s = NULL;
  int src = rouse_summary_build(ing, &so, 1, &s);
  FUZZ_ASSERT(src == ROUSE_OK || src == ROUSE_EMPTY);
  FUZZ_ASSERT((src == ROUSE_OK) == (s != NULL));
  if (s) {
    FUZZ_ASSERT(s->n >= 1 && s->n <= st.customers);
    for (size_t i = 0; i < s->n; i++) {
      size_t l = strlen(s->id[i]);
      FUZZ_ASSERT(l >= 1 && l <= 255);
      if (i)
        FUZZ_ASSERT(rouse__id_compare(s->id[i - 1], strlen(s->id[i - 1]), s->id[i], l) < 0);
      FUZZ_ASSERT(s->purchase_days[i] >= 1);
      FUZZ_ASSERT(s->x[i] == s->purchase_days[i] - 1);
      FUZZ_ASSERT(s->orders[i] >= s->purchase_days[i]);
      FUZZ_ASSERT(s->first_day[i] <= s->last_day[i] && s->last_day[i] < s->as_of);
      FUZZ_ASSERT(s->t_x[i] == (double)(s->last_day[i] - s->first_day[i]));
      FUZZ_ASSERT(s->T[i] == (double)(s->as_of - 1 - s->first_day[i]));
      FUZZ_ASSERT(s->t_x[i] <= s->T[i]);
      FUZZ_ASSERT(s->returned_e4[i] >= 0);
      FUZZ_ASSERT(s->x[i] > 0 ? !isnan(s->mean_interval[i]) : isnan(s->mean_interval[i]));
      FUZZ_ASSERT(s->x[i] >= 2 ? s->interval_cv[i] >= 0 : isnan(s->interval_cv[i]));
    }
    /* per-category thresholds (with a category column): every customer's main category is
     * one of them, and a category's customers and buyers are within the summary's */
    rouse_categories *cg = NULL;
    int crc = rouse_categories_build(ing, s, NULL, &cg);
    FUZZ_ASSERT(crc == ROUSE_OK || crc == ROUSE_EMPTY);
    FUZZ_ASSERT((crc == ROUSE_OK) == (cg != NULL));
    if (cg) {
      uint64_t sum = 0;
      for (size_t k = 0; k < cg->n; k++) {
        FUZZ_ASSERT(cg->customers[k] <= cg->buyers[k] && cg->buyers[k] <= s->n);
        FUZZ_ASSERT(cg->dormant_days[k] >= 0);
        if (k) FUZZ_ASSERT(strcmp(cg->name[k - 1], cg->name[k]) < 0);
        sum += cg->customers[k];
      }
      FUZZ_ASSERT(cg->n_rows == s->n && sum <= s->n);
      for (size_t i = 0; i < s->n; i++) FUZZ_ASSERT(cg->main[i] >= -1 && cg->main[i] < (int32_t)cg->n);
      rouse_categories_free(cg);
    }
    rouse_summary_free(s);
  }
  rouse_ingest_free(ing);
  if ((sel & 3) == 0 && size < 8192) differential(buf, size - 1, o.delimiter, o.date_format);
  free(buf);
  return 0;
}
