/* SPDX-License-Identifier: MIT
 * Customer master reader: finds the customer id column and the status / flag columns of a
 * shop's customer export and collects the ids marked withdrawn or unsubscribed. Reuses the
 * ingest's tokenizer, encoding detection and customer-id header names; the status and flag
 * names and values are this file's (docs/input.md, "Customer master"). The whole file is in
 * memory (a master is one row per customer, far smaller than the transactions), so there is
 * no block or thread machinery here. Knows nothing about scoring: it only returns ids. */
#include <stdio.h>
#include <stdlib.h>

#include "../ingest/ingest.h"
#include "rouse/rouse_master.h"

#define MAX_ID_LEN 255 /* as the transaction ingest */

struct master {
  rouse_master pub;    /* first: the public struct is the handle */
  char **ids;          /* withdrawn ids (each owned), sorted and distinct after the parse */
  int32_t *days;       /* per id: its withdrawal day, INT32_MIN undated */
  size_t cap_ids;
  char *hdr[1 + ROUSE_MASTER_MAX_STATUS]; /* owned header texts (id, then status columns) */
};

const char *rouse_master_reject_name(int r) {
  static const char *const names[ROUSE_MASTER_REJECT_COUNT] = {
      "field_count",    "no_customer_id",     "invalid_encoding",
      "field_too_long", "unterminated_quote", "bad_flag",       "bad_date"};
  return r >= 0 && r < ROUSE_MASTER_REJECT_COUNT ? names[r] : NULL;
}

void rouse_master_opts_init(rouse_master_opts *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
}

void rouse_master_free(rouse_master *m) {
  if (!m) return;
  struct master *M = (struct master *)m;
  for (size_t i = 0; i < m->n_withdrawn; i++) rouse__free(M->ids[i]);
  rouse__free(M->ids);
  rouse__free(M->days);
  for (size_t i = 0; i < ROUSE_ARRAY_SIZE(M->hdr); i++) rouse__free(M->hdr[i]);
  rouse__free(M);
}

/*=====================================================================
 * Names and values
 *====================================================================*/
/* in `list` (normalised spellings compared with the normalised s)? */
static bool in_list(const char *s, size_t n, const char *const *list) {
  char a[128], b[128];
  if (n == 0 || n >= sizeof a - 4) return false; /* long values never match (and fit whole) */
  size_t la = rouse__header_norm(s, n, a, sizeof a);
  if (la == 0) return false;
  for (int k = 0; list[k]; k++) {
    size_t lb = rouse__header_norm(list[k], strlen(list[k]), b, sizeof b);
    if (la == lb && !memcmp(a, b, la)) return true;
  }
  return false;
}

static const char *const STATUS_NAMES[] = {
    "status", "state", "member_status", "account_status", "customer_status",
    "membership_status", "会員状態", "状態", "ステータス", "会員ステータス", "顧客ステータス",
    NULL};
static const char *const FLAG_NAMES[] = {
    "withdrawn", "unsubscribed", "opt_out", "deleted", "is_withdrawn", "is_unsubscribed",
    "is_deleted", "退会", "退会フラグ", "配信停止", "配信停止フラグ", "削除フラグ", NULL};
/* withdrawal date columns: a date there means withdrawn on that day */
static const char *const DATE_NAMES[] = {
    "withdrawn_at", "withdrawn_on", "withdrawn_date", "withdrawal_date", "unsubscribed_at",
    "unsubscribed_on", "unsubscribe_date", "opt_out_date", "opted_out_at", "deleted_at",
    "closed_at", "退会日", "退会日時", "退会年月日", "配信停止日", "配信停止日時", "削除日",
    "解約日", NULL};
/* status values meaning withdrawn (a flag column takes them as "yes" too) */
static const char *const WITHDRAWN_WORDS[] = {
    "withdrawn", "unsubscribed", "deleted", "closed", "退会", "退会済み", "退会済",
    "配信停止", "削除", "削除済み", "削除済", NULL};
static const char *const FLAG_YES[] = {"1", "true", "yes", "y", "t", "○", "〇", "◯", "済",
                                       "はい", NULL};
static const char *const FLAG_NO[] = {"0", "false", "no", "n", "f", "×", "いいえ", NULL};

enum { FLAG_IS_NO = 0, FLAG_IS_YES = 1, FLAG_UNKNOWN = 2 };

static int flag_value(const char *s, size_t n) {
  if (n == 0) return FLAG_IS_NO;
  if (in_list(s, n, FLAG_YES) || in_list(s, n, WITHDRAWN_WORDS)) return FLAG_IS_YES;
  if (in_list(s, n, FLAG_NO)) return FLAG_IS_NO;
  return FLAG_UNKNOWN;
}

/*=====================================================================
 * Parsing
 *====================================================================*/
struct parse {
  struct master *M;
  const rouse_master_opts *o;
  const char *name;
  char *err;
  size_t errlen;
};

static void set_err(struct parse *P, const char *fmt, ...) ROUSE_PRINTF(2, 3);
static void set_err(struct parse *P, const char *fmt, ...) {
  if (!P->err || !P->errlen) return;
  int k = snprintf(P->err, P->errlen, "%s: ", P->name);
  if (k < 0 || (size_t)k >= P->errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(P->err + k, P->errlen - (size_t)k, fmt, ap);
  va_end(ap);
}


/* printable excerpt of a value for messages: at most 40 bytes */
static int excerpt(const struct rouse_span *s) { return rouse__span_excerpt(s, 40); }

static void reject(struct parse *P, uint64_t line, uint32_t col, int reason, const char *text,
                   size_t text_len, const char *fmt, ...) ROUSE_PRINTF(7, 8);
static void reject(struct parse *P, uint64_t line, uint32_t col, int reason, const char *text,
                   size_t text_len, const char *fmt, ...) {
  rouse_master *m = &P->M->pub;
  m->rejected++;
  m->rejected_by[reason]++;
  if (!P->o->on_reject) return;
  char detail[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  while (text_len && (text[text_len - 1] == '\n' || text[text_len - 1] == '\r')) text_len--;
  rouse_diag d = {P->name, line, col, reason, detail, text, text_len};
  P->o->on_reject(P->o->reject_ctx, &d);
}

/* a row rejected for the value v of a flag or date column */
static void reject_value(struct parse *P, uint64_t line, const rouse_master_column *mc,
                         const struct rouse_span *v, const char *row, size_t row_len,
                         int reason, const char *expected) {
  reject(P, line, (uint32_t)mc->column + 1, reason, row, row_len,
         "unknown value '%.*s' in %s column '%s' (expected %s)", excerpt(v), v->p,
         mc->is_date ? "date" : "flag", mc->header, expected);
}

/* "'a', 'b', ..." of the header for messages */
static void list_columns(const struct rouse_row *hr, char *out, size_t cap) {
  size_t o = 0;
  out[0] = '\0';
  for (uint32_t c = 0; c < hr->nf && c < hr->maxf; c++) {
    if (o + 60 >= cap) {
      snprintf(out + o, cap - o, ", ...");
      return;
    }
    struct rouse_span h = hr->f[c];
    rouse__span_trim(&h);
    int k = snprintf(out + o, cap - o, "%s'%.*s'", c ? ", " : "", excerpt(&h), h.p);
    if (k > 0) o += (size_t)k < cap - o ? (size_t)k : cap - o - 1;
  }
}

/* which columns are the id and the status/flag columns */
static int map_header(struct parse *P, const struct rouse_row *hr) {
  rouse_master *m = &P->M->pub;
  int best = 1 << 30;
  m->id.column = -1;
  for (uint32_t c = 0; c < hr->nf; c++) {
    struct rouse_span h = hr->f[c];
    rouse__span_trim(&h);
    int is_flag = 0, pri = 0;
    if (rouse__header_field(h.p, h.n, &is_flag, &pri) == ROUSE_FIELD_CUSTOMER_ID) {
      if (pri < best) best = pri, m->id.column = (int)c;
      continue;
    }
    bool st = in_list(h.p, h.n, STATUS_NAMES), fl = !st && in_list(h.p, h.n, FLAG_NAMES);
    bool dt = !st && !fl && in_list(h.p, h.n, DATE_NAMES);
    if ((st || fl || dt) && m->n_status < ROUSE_MASTER_MAX_STATUS) {
      m->status[m->n_status].column = (int)c;
      m->status[m->n_status].is_flag = fl;
      m->status[m->n_status].is_date = dt;
      m->n_status++;
    }
  }
  if (m->id.column < 0 || m->n_status == 0) {
    char cols[400];
    list_columns(hr, cols, sizeof cols);
    if (m->id.column < 0)
      set_err(P,
              "line 1: no customer id column recognised in the header (columns: %s); expected "
              "one of 会員ID, 顧客ID, 顧客番号, customer_id, member_id, ... (docs/input.md)",
              cols);
    else
      set_err(P,
              "line 1: no withdrawn/unsubscribed column recognised in the header (columns: %s); "
              "expected a status column (status, state, 会員状態, 状態, ステータス) or a flag "
              "column (withdrawn, unsubscribed, opt_out, deleted, 退会フラグ, 配信停止, ...) or "
              "a withdrawal date column (withdrawn_at, unsubscribed_at, 退会日, 配信停止日, ...)",
              cols);
    return ROUSE_PARSE;
  }
  /* keep the header texts */
  for (int k = -1; k < m->n_status; k++) {
    rouse_master_column *mc = k < 0 ? &m->id : &m->status[k];
    struct rouse_span h = hr->f[mc->column];
    rouse__span_trim(&h);
    char *s = rouse__strndup(h.p, h.n);
    if (!s) return ROUSE_NOMEM;
    P->M->hdr[k + 1] = s;
    mc->header = s;
  }
  return ROUSE_OK;
}

static int add_id(struct master *M, const char *p, size_t n, int32_t day) {
  rouse_master *m = &M->pub;
  if (m->n_withdrawn == M->cap_ids) {
    size_t nc = M->cap_ids ? 2 * M->cap_ids : 64;
    char **v = rouse__reallocarray(M->ids, nc, sizeof *v);
    if (!v) return ROUSE_NOMEM;
    M->ids = v;
    int32_t *d = rouse__reallocarray(M->days, nc, sizeof *d);
    if (!d) return ROUSE_NOMEM;
    M->days = d;
    M->cap_ids = nc;
  }
  char *s = rouse__strndup(p, n);
  if (!s) return ROUSE_NOMEM;
  M->days[m->n_withdrawn] = day;
  M->ids[m->n_withdrawn++] = s;
  return ROUSE_OK;
}

struct id_day {
  char *id;
  int32_t day;
};

static int cmp_id_day(const void *a, const void *b) {
  const struct id_day *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  return c ? c : (x->day > y->day) - (x->day < y->day); /* undated (INT32_MIN) first */
}

/* sort the withdrawn ids and drop repeats: each keeps its earliest day, undated first */
static int finish_ids(struct master *M) {
  rouse_master *m = &M->pub;
  size_t n = m->n_withdrawn;
  struct id_day *v = rouse__reallocarray(NULL, n ? n : 1, sizeof *v);
  if (!v) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) v[i] = (struct id_day){M->ids[i], M->days[i]};
  if (n > 1) qsort(v, n, sizeof *v, cmp_id_day);
  size_t k = 0;
  m->n_dated = 0;
  for (size_t i = 0; i < n; i++) {
    if (k && !strcmp(M->ids[k - 1], v[i].id)) {
      rouse__free(v[i].id);
      continue;
    }
    M->ids[k] = v[i].id;
    M->days[k] = v[i].day;
    m->n_dated += v[i].day != INT32_MIN;
    k++;
  }
  rouse__free(v);
  m->n_withdrawn = k;
  m->withdrawn = (const char *const *)M->ids;
  m->withdrawn_day = M->days;
  return ROUSE_OK;
}

/* the data rows of [p, end) (decoded UTF-8); line = line number of the first */
static int parse_rows(struct parse *P, const char *p, const char *end, uint64_t line,
                      struct rouse_row *row) {
  struct master *M = P->M;
  rouse_master *m = &M->pub;
  uint32_t need = (uint32_t)m->id.column + 1;
  for (int k = 0; k < m->n_status; k++)
    if ((uint32_t)m->status[k].column + 1 > need) need = (uint32_t)m->status[k].column + 1;
  bool cp932 = m->encoding == ROUSE_ENCODING_CP932;
  while (p < end) {
    const char *rs = p;
    int st;
    row->scratch_len = 0;
    const char *re = rouse__csv_row(p, end, m->delimiter, true, row, &st);
    p = re;
    uint64_t row_line = line;
    line += row->lines;
    if (row->nf == 1 && row->f[0].n == 0 && st == ROUSE_ROW_OK) {
      m->blank_lines++;
      continue;
    }
    m->rows++;
    size_t rlen = (size_t)(re - rs);
    if (st == ROUSE_ROW_UNTERMINATED) {
      reject(P, row_line, row->nf, ROUSE_MASTER_REJECT_QUOTE, rs, rlen,
             "quoted field %u is not closed before the end of the input", row->nf);
      continue;
    }
    if (row->nf < need) {
      reject(P, row_line, 0, ROUSE_MASTER_REJECT_FIELD_COUNT, rs, rlen,
             "%u fields, the customer id and status columns need %u", row->nf, need);
      continue;
    }
    if (!rouse__utf8_valid((const unsigned char *)rs, rlen)) {
      uint32_t bad = 0;
      for (uint32_t f = 0; f < row->nf && f < row->maxf && !bad; f++)
        if (!rouse__utf8_valid((const unsigned char *)row->f[f].p, row->f[f].n)) bad = f + 1;
      reject(P, row_line, bad, ROUSE_MASTER_REJECT_ENCODING, rs, rlen,
             cp932 ? "invalid CP932 bytes or a NUL byte" : "invalid UTF-8 bytes or a NUL byte");
      continue;
    }
    if (row->longest > ROUSE_MAX_FIELD) {
      uint32_t bad = 0;
      for (uint32_t f = 0; f < row->nf && f < row->maxf && !bad; f++)
        if (row->f[f].n > ROUSE_MAX_FIELD) bad = f + 1;
      reject(P, row_line, bad, ROUSE_MASTER_REJECT_TOO_LONG, rs, rlen,
             "field longer than %u bytes", ROUSE_MAX_FIELD);
      continue;
    }
    struct rouse_span id = row->f[m->id.column];
    rouse__span_trim(&id);
    uint32_t idcol = (uint32_t)m->id.column + 1;
    if (id.n == 0) {
      reject(P, row_line, idcol, ROUSE_MASTER_REJECT_NO_CUSTOMER, rs, rlen,
             "customer id is empty");
      continue;
    }
    if (id.n > MAX_ID_LEN) {
      reject(P, row_line, idcol, ROUSE_MASTER_REJECT_TOO_LONG, rs, rlen,
             "customer id longer than %d bytes", MAX_ID_LEN);
      continue;
    }
    bool wd = false, bad = false;
    int32_t day = INT32_MAX; /* the earliest withdrawal date of the row */
    for (int k = 0; k < m->n_status && !bad; k++) {
      struct rouse_span v = row->f[m->status[k].column];
      rouse__span_trim(&v);
      if (m->status[k].is_date) {
        if (!v.n) continue;
        int32_t d;
        if (rouse_date_parse(v.p, v.n, &d)) {
          reject_value(P, row_line, &m->status[k], &v, rs, rlen, ROUSE_MASTER_REJECT_BAD_DATE,
                       "a date: 2024-01-05, 2024/1/5, 20240105, 2024年1月5日 or empty");
          bad = true;
          continue;
        }
        wd = true;
        if (d < day) day = d;
        continue;
      }
      if (!m->status[k].is_flag) {
        wd |= v.n && in_list(v.p, v.n, WITHDRAWN_WORDS);
        continue;
      }
      int fv = flag_value(v.p, v.n);
      if (fv == FLAG_UNKNOWN) {
        reject_value(P, row_line, &m->status[k], &v, rs, rlen, ROUSE_MASTER_REJECT_BAD_FLAG,
                     "1/0, true/false, yes/no, ○ or empty");
        bad = true;
      }
      wd |= fv == FLAG_IS_YES;
    }
    if (bad) continue;
    m->accepted++;
    if (wd) {
      m->withdrawn_rows++;
      /* no date in the row: undated (withdrawn at any as-of date) */
      int rc = add_id(M, id.p, id.n, day != INT32_MAX ? day : INT32_MIN);
      if (rc) return rc;
    }
  }
  return ROUSE_OK;
}

int rouse_master_parse(const char *name, const void *data, size_t len,
                       const rouse_master_opts *o, rouse_master **out, char *err,
                       size_t errlen) {
  if (err && errlen) err[0] = '\0';
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_master_opts defaults;
  rouse_master_opts_init(&defaults);
  if (!o) o = &defaults;
  struct parse P = {NULL, o, name ? name : "master", err, errlen};
  if ((!data && len) || o->struct_size != sizeof *o ||
      (o->encoding != ROUSE_ENCODING_AUTO && o->encoding != ROUSE_ENCODING_UTF8 &&
       o->encoding != ROUSE_ENCODING_CP932) ||
      (o->delimiter && o->delimiter != ',' && o->delimiter != '\t' && o->delimiter != ';')) {
    set_err(&P, "invalid arguments or options");
    return ROUSE_MISUSE;
  }
  if (len > ROUSE_MASTER_MAX_BYTES) {
    set_err(&P, "the file is larger than %u MiB", ROUSE_MASTER_MAX_BYTES >> 20);
    return ROUSE_LIMIT;
  }
  struct master *M = rouse__calloc(1, sizeof *M);
  if (!M) return ROUSE_NOMEM;
  P.M = M;
  rouse_master *m = &M->pub;
  int rc = ROUSE_OK;
  char *conv = NULL, *scratch = NULL;
  struct rouse_span *hf = NULL, *rf = NULL;

  const char *buf = data ? (const char *)data : "";
  size_t pos = 0;
  m->encoding = o->encoding;
  if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
    pos = 3;
    m->bom = 1;
    if (!m->encoding) m->encoding = ROUSE_ENCODING_UTF8;
  }
  if (len == pos) {
    set_err(&P, "the input is empty (expected a header row)");
    rc = ROUSE_PARSE;
    goto out;
  }
  if (!m->encoding) m->encoding = rouse__encoding_sniff((const unsigned char *)buf + pos,
                                                        len - pos, true);
  if (!m->encoding) m->encoding = ROUSE_ENCODING_UTF8; /* pure ASCII */
  const char *text = buf + pos;
  size_t tlen = len - pos;
  if (m->encoding == ROUSE_ENCODING_CP932) {
    /* delimiters, quotes and newlines are ASCII and never part of a CP932 character, so the
     * whole file converts at once with its row structure intact */
    struct rouse_cp932 *cv;
    if ((rc = rouse__cp932_open(&cv))) {
      set_err(&P, "cannot convert CP932 text (iconv has no CP932 table)");
      goto out;
    }
    conv = rouse__malloc(3 * tlen + 4);
    if (!conv) {
      rouse__cp932_close(cv);
      rc = ROUSE_NOMEM;
      goto out;
    }
    tlen = rouse__cp932_to_utf8(cv, text, tlen, conv);
    rouse__cp932_close(cv);
    text = conv;
  }
  const char *end = text + tlen;
  m->delimiter = o->delimiter ? o->delimiter : rouse__csv_sniff_delim(text, tlen);
  if (!m->delimiter) m->delimiter = ',';

  /*--- header ---*/
  scratch = rouse__malloc(tlen + 16);
  hf = rouse__calloc(ROUSE_MAX_COLUMNS, sizeof *hf);
  if (!scratch || !hf) {
    rc = ROUSE_NOMEM;
    goto out;
  }
  struct rouse_row hr = {.f = hf, .maxf = ROUSE_MAX_COLUMNS, .scratch = scratch};
  int st;
  const char *he = rouse__csv_row(text, end, m->delimiter, true, &hr, &st);
  if (st != ROUSE_ROW_OK) {
    set_err(&P, "line 1: the header row has a quoted field that is never closed");
    rc = ROUSE_PARSE;
    goto out;
  }
  if (hr.nf > ROUSE_MAX_COLUMNS) {
    set_err(&P, "line 1: the header has %u columns; at most %d are supported", hr.nf,
            ROUSE_MAX_COLUMNS);
    rc = ROUSE_LIMIT;
    goto out;
  }
  if (hr.nf == 1 && hr.f[0].n == 0) {
    set_err(&P, "line 1: the header row is empty");
    rc = ROUSE_PARSE;
    goto out;
  }
  for (uint32_t c = 0; c < hr.nf; c++)
    if (!rouse__utf8_valid((const unsigned char *)hr.f[c].p, hr.f[c].n)) {
      set_err(&P, "line 1, column %u: the header is not valid %s text", c + 1,
              m->encoding == ROUSE_ENCODING_CP932 ? "CP932" : "UTF-8");
      rc = ROUSE_ENCODING;
      goto out;
    }
  if ((rc = map_header(&P, &hr))) goto out;

  /*--- rows: only the columns up to the last one used are stored ---*/
  uint32_t maxf = (uint32_t)m->id.column + 1;
  for (int k = 0; k < m->n_status; k++)
    if ((uint32_t)m->status[k].column + 1 > maxf) maxf = (uint32_t)m->status[k].column + 1;
  rf = rouse__calloc(maxf, sizeof *rf);
  if (!rf) {
    rc = ROUSE_NOMEM;
    goto out;
  }
  struct rouse_row row = {.f = rf, .maxf = maxf, .scratch = scratch};
  if ((rc = parse_rows(&P, he, end, 1 + (uint64_t)hr.lines, &row))) goto out;
  rc = finish_ids(M);

out:
  rouse__free(rf);
  rouse__free(hf);
  rouse__free(scratch);
  rouse__free(conv);
  if (rc) {
    if (rc == ROUSE_NOMEM && err && errlen && !err[0]) set_err(&P, "out of memory");
    rouse_master_free(m);
    return rc;
  }
  *out = m;
  return ROUSE_OK;
}
