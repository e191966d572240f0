/* SPDX-License-Identifier: MIT
 * rouse-gen: writes the export. Rows are formatted by hand into a large buffer (dates from a
 * per-day table, integers digit by digit) and written in big blocks, optionally through zlib.
 * While writing it counts what rouse must count: data rows, accepted / cancelled / rejected
 * rows, and the physical line where every bad row starts (embedded newlines included). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gen.h"
#include "text.h"

const char *const reject_names[] = {"field_count", "no_customer_id", "bad_date", "bad_amount",
                                    "invalid_encoding", "field_too_long", "unterminated_quote"};

#define OUT_CAP (8u << 20)
#define ROW_MAX 4096u

typedef struct {
  char *buf;
  size_t len;
  FILE *f;
  gzFile gz;
  bool err;
  uint64_t bytes;
  const char *path;
} out_t;

static void out_flush(out_t *o) {
  if (!o->len || o->err) {
    o->len = 0;
    return;
  }
  if (o->gz) {
    if (gzwrite(o->gz, o->buf, (unsigned)o->len) != (int)o->len) o->err = true;
  } else if (fwrite(o->buf, 1, o->len, o->f) != o->len)
    o->err = true;
  o->bytes += o->len;
  o->len = 0;
}

static inline char *out_reserve(out_t *o) {
  if (OUT_CAP - o->len < ROW_MAX) out_flush(o);
  return o->buf + o->len;
}

static inline void out_commit(out_t *o, char *end) { o->len = (size_t)(end - o->buf); }

/* 2-digit table */
static char D2[200];

static inline char *put_u64(char *o, uint64_t v) {
  char t[24];
  char *p = t + sizeof t;
  while (v >= 100) {
    uint64_t q = v / 100;
    p -= 2;
    memcpy(p, D2 + 2 * (v - q * 100), 2);
    v = q;
  }
  if (v >= 10) {
    p -= 2;
    memcpy(p, D2 + 2 * v, 2);
  } else
    *--p = (char)('0' + v);
  size_t n = (size_t)(t + sizeof t - p);
  memcpy(o, p, n);
  return o + n;
}

static inline char *put_hms(char *o, uint32_t sec) {
  uint32_t h = sec / 3600, m = sec / 60 % 60, s = sec % 60;
  memcpy(o, D2 + 2 * h, 2);
  o[2] = ':';
  memcpy(o + 3, D2 + 2 * m, 2);
  o[5] = ':';
  memcpy(o + 6, D2 + 2 * s, 2);
  return o + 8;
}

typedef struct {
  gen_t *g;
  out_t out;
  wstats_t *st;
  uint64_t line; /* physical line where the next row starts */
  char D;
  const char *eol;
  size_t eol_n;
  char (*iso)[10];
  char (*slash)[10];
  int32_t day0;
} wr_t;

static inline char *put_id(wr_t *w, char *o, uint32_t cust, bool spaces) {
  char id[32];
  size_t n = cust_id(w->g, cust, id);
  if (spaces) *o++ = ' ';
  memcpy(o, id, n);
  o += n;
  if (spaces) *o++ = ' ';
  return o;
}

static inline char *put_t(char *o, const tstr_t *t) {
  memcpy(o, t->s, t->n);
  return o + t->n;
}

static inline char *put_eol(wr_t *w, char *o) {
  memcpy(o, w->eol, w->eol_n);
  return o + w->eol_n;
}

static inline void count_accepted(wstats_t *st, int32_t day) {
  st->accepted++;
  if (day > st->last_accepted) st->last_accepted = day;
  if (day < st->first_accepted) st->first_accepted = day;
}

/* plain: customer_id,date,amount */
static void plain_event(wr_t *w, const ev_t *e) {
  const int dec = w->g->c.decimals;
  char *o = out_reserve(&w->out);
  o = put_id(w, o, e->cust, false);
  *o++ = w->D;
  memcpy(o, w->iso[e->day - w->day0], 10);
  o += 10;
  *o++ = w->D;
  bool ret = ev_kind(e) == EV_RETURN;
  if (ret) *o++ = '-';
  if (dec == 0) o = put_u64(o, (uint64_t)e->amount);
  else {
    int64_t div = pow10i(dec);
    o = put_u64(o, (uint64_t)(e->amount / div));
    *o++ = '.';
    uint64_t f = (uint64_t)(e->amount % div);
    for (int k = dec - 1; k >= 0; k--) {
      o[k] = (char)('0' + f % 10);
      f /= 10;
    }
    o += dec;
  }
  o = put_eol(w, o);
  out_commit(&w->out, o);
  w->st->rows++;
  w->line++;
  count_accepted(w->st, e->day);
  if (ret) w->st->returns++;
}

/* one shop row */
static void shop_row(wr_t *w, uint32_t orderno, int32_t day, uint32_t sec, uint32_t cust,
                     bool spaces, int cat, int prod, int qty, int64_t amount, int form,
                     bool neg, int status) {
  char *o = out_reserve(&w->out);
  const tstr_t *name = text_prod(cat, prod), *ct = text_cat(cat);
  o = put_u64(o, orderno);
  *o++ = w->D;
  memcpy(o, w->slash[day - w->day0], 10);
  o[10] = ' ';
  o = put_hms(o + 11, sec);
  *o++ = w->D;
  o = put_id(w, o, cust, spaces);
  *o++ = w->D;
  const char *code = text_prod_code(cat, prod);
  size_t cl = strlen(code);
  memcpy(o, code, cl);
  o += cl;
  *o++ = w->D;
  o = put_t(o, name);
  *o++ = w->D;
  o = put_t(o, ct);
  *o++ = w->D;
  if (neg) *o++ = '-';
  o = put_u64(o, (uint64_t)qty);
  *o++ = w->D;
  o = text_amount(o, amount, w->g->c.decimals, form, neg);
  *o++ = w->D;
  o = put_t(o, text_status(status));
  o = put_eol(w, o);
  out_commit(&w->out, o);
  w->st->rows++;
  w->line += 1 + name->nl + ct->nl;
}

static void shop_event(wr_t *w, size_t ei) {
  gen_t *g = w->g;
  const ev_t *e = &g->ev[ei];
  int kind = ev_kind(e);
  detail_t d;
  if (kind == EV_RETURN) {
    const ev_t *oe = &g->ev[e->ref];
    order_detail(g, oe->cust, oe->ref, oe->amount, &d);
    int k = ev_retline(e);
    rng_t r;
    rng_seed(&r, mix64(g->c.seed ^ 0x2E7123ull, ei));
    int form = (int)rng_below(&r, N_N);
    shop_row(w, g->orderno[ei], e->day, ev_sec(e), e->cust, d.id_spaces, d.cat[k], d.prod[k],
             d.qty[k], e->amount, form, true, ST_RETURN);
    count_accepted(w->st, e->day);
    w->st->returns++;
    return;
  }
  order_detail(g, e->cust, e->ref, e->amount, &d);
  int status;
  if (kind == EV_CANCEL)
    status = ST_CANCEL + d.status % 3;
  else if (e->day > g->c.end - 2)
    status = ST_NEW;
  else if (e->day > g->c.end - 7)
    status = d.status & 1 ? ST_AWAITING : ST_PREPARING;
  else
    status = d.status < 12 ? ST_SHIPPED : ST_PAID;
  for (int k = 0; k < d.n; k++) {
    shop_row(w, g->orderno[ei], e->day, ev_sec(e), e->cust, d.id_spaces, d.cat[k], d.prod[k],
             d.qty[k], d.amt[k], d.form[k], false, status);
    if (kind == EV_CANCEL) w->st->cancelled++;
    else count_accepted(w->st, e->day);
  }
}

/*=====================================================================
 * Bad rows: each is rejected by rouse for exactly one reason
 *====================================================================*/
static void add_reject(wstats_t *st, uint64_t line, int reason) {
  if ((st->nrej & (st->nrej + 1)) == 0) { /* grow at 0, 1, 3, 7, ... */
    size_t nc = (st->nrej + 1) * 2;
    uint64_t *l = realloc(st->rej_line, nc * sizeof *l);
    uint8_t *r = realloc(st->rej_reason, nc);
    if (!l || !r) die_oom();
    st->rej_line = l;
    st->rej_reason = r;
  }
  st->rej_line[st->nrej] = line;
  st->rej_reason[st->nrej++] = (uint8_t)reason;
}

static void bad_row(wr_t *w, uint64_t j, size_t near_pos) {
  gen_t *g = w->g;
  int type = (int)(j % REJ_N_GEN);
  int variant = (int)(j / REJ_N_GEN % 3);
  uint32_t cust = 0, orderno = 10000000u, sec = 12 * 3600;
  int32_t day = g->c.start;
  if (g->nev) {
    size_t pos = near_pos < g->nev ? near_pos : g->nev - 1;
    const ev_t *e = &g->ev[g->perm[pos]];
    cust = e->cust;
    day = e->day;
    sec = ev_sec(e);
    if (g->orderno) orderno = g->orderno[g->perm[pos]];
  }
  int y, m, dd;
  ymd_from_days(day, &y, &m, &dd);
  char date[40];
  size_t dn;
  bool shop = g->c.format == FMT_SHOP;
  if (type == REJ_BAD_DATE) {
    /* impossible dates */
    dn = (size_t)snprintf(date, sizeof date, variant == 1 ? "%04d%c02%c30" : "%04d%c13%c45", y,
                          shop ? '/' : '-', shop ? '/' : '-');
  } else {
    memcpy(date, shop ? w->slash[day - w->day0] : w->iso[day - w->day0], 10);
    dn = 10;
  }
  if (shop) {
    date[dn++] = ' ';
    put_hms(date + dn, sec);
    dn += 8;
  }
  static const char *const bad_amounts[] = {"abc", "1.2.3", "12abc"};
  char *o = out_reserve(&w->out);
  char *row = o;
  uint32_t nl = 0;
  if (!shop) {
    if (type == REJ_NO_CUSTOMER) {
      if (variant == 1) *o++ = ' ';
    } else
      o = put_id(w, o, cust, false);
    *o++ = w->D;
    memcpy(o, date, dn);
    o += dn;
    if (!(type == REJ_FIELD_COUNT && variant != 1)) {
      *o++ = w->D;
      if (type == REJ_BAD_AMOUNT) {
        size_t l = strlen(bad_amounts[variant]);
        memcpy(o, bad_amounts[variant], l);
        o += l;
      } else
        o = put_u64(o, 1000 + j % 9000);
      if (type == REJ_FIELD_COUNT) {
        *o++ = w->D;
        *o++ = 'x';
      }
    }
  } else {
    int cat = (int)(j % (uint64_t)text_ncat()), prod = (int)(j / 7 % (uint64_t)text_nprod(cat));
    const tstr_t *name = text_prod(cat, prod), *ct = text_cat(cat);
    o = put_u64(o, orderno);
    *o++ = w->D;
    memcpy(o, date, dn);
    o += dn;
    *o++ = w->D;
    if (type == REJ_NO_CUSTOMER) {
      if (variant == 1) *o++ = ' ';
    } else
      o = put_id(w, o, cust, false);
    *o++ = w->D;
    const char *code = text_prod_code(cat, prod);
    memcpy(o, code, strlen(code));
    o += strlen(code);
    *o++ = w->D;
    if (!(type == REJ_FIELD_COUNT && variant != 1)) { /* field_count: drop the name */
      o = put_t(o, name);
      *o++ = w->D;
      nl += name->nl;
    }
    o = put_t(o, ct);
    nl += ct->nl;
    *o++ = w->D;
    *o++ = '1';
    *o++ = w->D;
    if (type == REJ_BAD_AMOUNT) {
      size_t l = strlen(bad_amounts[variant]);
      memcpy(o, bad_amounts[variant], l);
      o += l;
    } else
      o = text_amount(o, 1000 + (int64_t)(j % 9000), g->c.decimals, A_GROUP, false);
    *o++ = w->D;
    o = put_t(o, text_status(ST_SHIPPED));
    if (type == REJ_FIELD_COUNT && variant == 1) { /* field_count: one field too many */
      *o++ = w->D;
      o = put_t(o, text_piece(P_MEMO));
    }
  }
  (void)row;
  o = put_eol(w, o);
  out_commit(&w->out, o);
  add_reject(w->st, w->line, type);
  w->st->rows++;
  w->st->rejected++;
  w->line += 1 + nl;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/*=====================================================================
 * Driver
 *====================================================================*/
int write_export(gen_t *g, wstats_t *st) {
  const cfg_t *c = &g->c;
  memset(st, 0, sizeof *st);
  st->first_accepted = INT32_MAX;
  st->last_accepted = INT32_MIN;
  for (int i = 0; i < 100; i++) {
    D2[2 * i] = (char)('0' + i / 10);
    D2[2 * i + 1] = (char)('0' + i % 10);
  }
  wr_t w;
  memset(&w, 0, sizeof w);
  w.g = g;
  w.st = st;
  w.D = c->delim;
  w.eol = c->crlf ? "\r\n" : "\n";
  w.eol_n = c->crlf ? 2 : 1;
  w.day0 = c->start;
  size_t ndays = (size_t)(c->end - c->start + 1);
  w.iso = malloc(ndays * sizeof *w.iso);
  w.slash = malloc(ndays * sizeof *w.slash);
  w.out.buf = malloc(OUT_CAP);
  if (!w.iso || !w.slash || !w.out.buf) die_oom();
  for (size_t k = 0; k < ndays; k++) {
    char t[11];
    format_iso_date(c->start + (int32_t)k, t);
    memcpy(w.iso[k], t, 10);
    t[4] = t[7] = '/';
    memcpy(w.slash[k], t, 10);
  }

  /* open */
  bool to_stdout = !c->out || !strcmp(c->out, "-");
  w.out.path = to_stdout ? "standard output" : c->out;
  w.out.f = to_stdout ? stdout : fopen(c->out, "wb");
  if (!w.out.f) {
    fprintf(stderr, "%s: cannot open '%s': %s\n", progname, c->out, strerror(errno));
    return 1;
  }
  if (c->gzip) {
    char mode[8];
    snprintf(mode, sizeof mode, "wb%d", c->gzip_level);
    fflush(w.out.f);
    int fd = dup(fileno(w.out.f));
    w.out.gz = fd >= 0 ? gzdopen(fd, mode) : NULL;
    if (!w.out.gz) {
      fprintf(stderr, "%s: cannot start gzip output\n", progname);
      return 1;
    }
    gzbuffer(w.out.gz, 1u << 20);
  }

  /* bad row positions: before the k-th event of the output order */
  uint32_t *bad = NULL;
  if (c->bad_rows) {
    bad = malloc(c->bad_rows * sizeof *bad);
    if (!bad) die_oom();
    rng_t r;
    rng_seed(&r, mix64(c->seed ^ 0xBAD0BAD0ull, 7));
    for (uint64_t j = 0; j < c->bad_rows; j++) bad[j] = rng_below(&r, (uint32_t)(g->nev + 1));
    qsort(bad, c->bad_rows, sizeof *bad, cmp_u32);
  }

  /* header */
  char *o = out_reserve(&w.out);
  if (c->bom) {
    memcpy(o, "\xEF\xBB\xBF", 3);
    o += 3;
  }
  o = put_t(o, text_header());
  o = put_eol(&w, o);
  out_commit(&w.out, o);
  w.line = 2;

  const int mall = c->mall - 1;
  uint64_t bj = 0;
  /* events are stored by customer and written by date: gather each block of the output
   * order into a small buffer first (a tight loop keeps many cache misses in flight) */
  enum { BLK = 32768 };
  ev_t *blk = malloc(BLK * sizeof *blk);
  if (!blk) die_oom();
  for (size_t b = 0; b <= g->nev; b += BLK) {
    size_t m = g->nev - b < BLK ? g->nev - b : BLK;
    const uint32_t *pk = g->perm + b;
    for (size_t i = 0; i < m; i++) {
      if (i + 24 < m) __builtin_prefetch(&g->ev[pk[i + 24]]);
      blk[i] = g->ev[pk[i]];
    }
    for (size_t i = 0; i <= m; i++) {
      size_t k = b + i;
      while (bj < c->bad_rows && bad[bj] == k) {
        if ((int)(bj % (uint64_t)c->nmall) == mall) bad_row(&w, bj, k);
        bj++;
      }
      if (i == m) break;
      uint32_t e = pk[i];
      if (c->nmall > 1 && ev_mall(g, e) != mall) continue;
      if (c->format == FMT_PLAIN) plain_event(&w, &blk[i]);
      else shop_event(&w, e);
    }
    if (w.out.err || m < BLK) break;
  }
  free(blk);
  out_flush(&w.out);
  free(bad);
  free(w.iso);
  free(w.slash);
  free(w.out.buf);
  st->bytes = w.out.bytes;
  int rc = w.out.err ? 1 : 0;
  if (w.out.gz && gzclose(w.out.gz) != Z_OK) rc = 1;
  if (to_stdout) {
    if (fflush(stdout) != 0) rc = 1;
  } else if (fclose(w.out.f) != 0)
    rc = 1;
  if (rc) fprintf(stderr, "%s: cannot write %s: %s\n", progname, w.out.path, strerror(errno));
  return rc;
}
