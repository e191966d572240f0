/* SPDX-License-Identifier: MIT
 * Ingest engine: reads sources block by block, tokenizes rows in parallel, validates and
 * parses the mapped fields, and folds each accepted row into per-customer state.
 *
 * Data flow per block (docs/design/ingest.md):
 *   1. the block (8 MiB of decoded bytes) is cut into tasks at newlines; each task parses
 *      from its speculative start until it passes the next task's start. A task whose start
 *      turns out to lie inside a quoted field is parsed again from the true row boundary, so
 *      the result never depends on where the cuts fell;
 *   2. tasks emit compact records bucketed by customer partition (hash of the id);
 *   3. partitions are folded in parallel; within a partition, records are applied in file
 *      order, so customer state is identical at any thread count.
 * Memory grows with customers and their distinct purchase days/orders, never with rows:
 * blocks are reused, and a row is gone once folded.
 *
 * Not here: the summary columns (rollup.c), file output (the program). */
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>

#include "reader.h"
#include "state.h"

#define SAMPLE_ROWS 1000
#define MAX_ID_LEN 255

/*=====================================================================
 * Sources and tasks
 *====================================================================*/
struct source {
  rouse_source_info info;
  char *name;
  char *hdr[ROUSE_FIELD_COUNT];
  struct rouse_datefmt datefmt;
};

struct counters {
  uint64_t rows, accepted, cancelled, rejected_by[ROUSE_REJECT_COUNT], blank, returns,
      no_amount, with_amount, after_window;
  int32_t min_day, max_day, max_day_win;
};

struct task {
  const char *start;   /* first byte (raw block) */
  const char *stop_at; /* stop once a row ends at or beyond this */
  const char *end;     /* OUT: where parsing stopped (a row boundary) */
  bool incomplete;     /* OUT: stopped at an incomplete row at the end of the block */
  uint64_t lines;      /* OUT: newlines in [start, end) */
  char *conv;          /* CP932 -> UTF-8 output */
  size_t conv_cap;
  const char *text;    /* what the records' id_off refer to: the task's text */
  char *scratch;       /* unescaped quoted fields */
  size_t scratch_cap;
  struct rec *tmp, *recs;
  size_t ntmp, cap_tmp, cap_recs;
  uint32_t poff[NPART + 1];
  struct rouse_buf rej; /* packed rejects */
  uint64_t nrej;
  struct counters k;
  struct rouse_span *fields;
  int fatal;           /* ROUSE_NOMEM / ROUSE_ENCODING */
  /* purchase rows with a category (when the category column is mapped) */
  struct rouse_catrow *cat;
  size_t ncat, cap_cat;
  struct rouse_buf catname; /* packed names of categories this task met: hash, length, bytes */
  uint64_t catseen[256];    /* direct-mapped: a name is packed once per slot change */
};

struct rouse_ingest {
  rouse_ingest_opts o;
  char *map[ROUSE_FIELD_COUNT];
  char *date_format;
  int n_threads;
  struct rouse_pool *pool;
  struct part part[NPART];
  struct source *src;
  size_t nsrc, capsrc;
  struct counters k;
  uint64_t bytes;
  bool any_order;
  char errmsg[512];
  /* categories (docs/input.md): every purchase row's (customer, category, day), in input
   * order, and the names by hash; collection stops past ROUSE_MAX_CATEGORIES names */
  struct rouse_catrow *cat;
  size_t ncat, cap_cat;
  struct rouse_catname *catname; /* open addressing by hash; catname_cap a power of two */
  size_t ncatname, catname_cap;
  struct rouse_buf catstr;
  bool cat_overflow;

  /* per-source state during a read */
  struct source *cur;
  int ncols;
  int col[ROUSE_FIELD_COUNT];
  bool cancel_flag;
  int encoding; /* decided: UTF8/CP932; 0 = undecided (ASCII so far) */
  char delim;
  uint64_t line_base; /* lines before the current block */
  struct task *tasks;
  size_t ntasks_cap;
  struct rouse_cp932 **cvt; /* one converter per task slot */
  bool eof;
  int32_t window_end, keep_end;
};

static const struct counters COUNTERS_ZERO = {.min_day = INT32_MAX,
                                              .max_day = INT32_MIN,
                                              .max_day_win = INT32_MIN};

static void counters_add(struct counters *a, const struct counters *b) {
  a->rows += b->rows;
  a->accepted += b->accepted;
  a->cancelled += b->cancelled;
  for (int i = 0; i < ROUSE_REJECT_COUNT; i++) a->rejected_by[i] += b->rejected_by[i];
  a->blank += b->blank;
  a->returns += b->returns;
  a->no_amount += b->no_amount;
  a->with_amount += b->with_amount;
  a->after_window += b->after_window;
  if (b->min_day < a->min_day) a->min_day = b->min_day;
  if (b->max_day > a->max_day) a->max_day = b->max_day;
  if (b->max_day_win > a->max_day_win) a->max_day_win = b->max_day_win;
}

static void set_err(struct rouse_ingest *ing, const char *fmt, ...) ROUSE_PRINTF(2, 3);
static void set_err(struct rouse_ingest *ing, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ing->errmsg, sizeof ing->errmsg, fmt, ap);
  va_end(ap);
}

/*=====================================================================
 * Public small things
 *====================================================================*/
static const char *const FIELD_NAMES[ROUSE_FIELD_COUNT] = {
    "customer_id", "date", "amount", "order_id", "quantity", "product_id", "category", "status"};

const char *rouse_field_name(int f) {
  return f >= 0 && f < ROUSE_FIELD_COUNT ? FIELD_NAMES[f] : NULL;
}

const char *rouse_reject_name(int r) {
  static const char *const names[ROUSE_REJECT_COUNT] = {
      "field_count", "no_customer_id", "bad_date", "bad_amount", "invalid_encoding",
      "field_too_long", "unterminated_quote"};
  return r >= 0 && r < ROUSE_REJECT_COUNT ? names[r] : NULL;
}

void rouse_ingest_opts_init(rouse_ingest_opts *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->max_errors = -1;
  o->window_end = INT32_MAX;
  o->window_keep_end = INT32_MIN;
}

int rouse_ingest_new(const rouse_ingest_opts *o, rouse_ingest **out) {
  *out = NULL;
  if (!o || o->struct_size < sizeof *o) return ROUSE_MISUSE;
  rouse_ingest *ing = rouse__calloc(1, sizeof *ing);
  if (ing) rouse__buf_init(&ing->catstr, 0);
  if (!ing) return ROUSE_NOMEM;
  ing->o = *o;
  int rc = ROUSE_OK;
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) {
    if (o->map[f] && !(ing->map[f] = rouse__strdup(o->map[f]))) rc = ROUSE_NOMEM;
    ing->o.map[f] = ing->map[f];
  }
  if (o->date_format && !(ing->date_format = rouse__strdup(o->date_format))) rc = ROUSE_NOMEM;
  ing->o.date_format = ing->date_format;
  struct rouse_datefmt df;
  char err[200];
  if (!rc && rouse__datefmt_from_option(o->date_format, &df, err, sizeof err)) {
    set_err(ing, "%s", err);
    rc = ROUSE_MISUSE;
  }
  if (!rc && o->encoding != ROUSE_ENCODING_AUTO && o->encoding != ROUSE_ENCODING_UTF8 &&
      o->encoding != ROUSE_ENCODING_CP932)
    rc = ROUSE_MISUSE;
  if (!rc && o->delimiter && o->delimiter != ',' && o->delimiter != '\t' && o->delimiter != ';')
    rc = ROUSE_MISUSE;
  ing->n_threads = rouse__resolve_threads(o->n_threads);
  if (!rc) rc = rouse__pool_new(ing->n_threads, &ing->pool);
  ing->k = COUNTERS_ZERO;
  ing->window_end = o->window_end;
  ing->keep_end = o->window_keep_end > o->window_end ? o->window_keep_end : o->window_end;
  if (rc) {
    *out = ing; /* let the caller read errmsg, then free */
    return rc;
  }
  *out = ing;
  return ROUSE_OK;
}

static void task_release(struct task *t) {
  rouse__free(t->cat);
  rouse__buf_release(&t->catname);
  rouse__free(t->conv);
  rouse__free(t->scratch);
  rouse__free(t->tmp);
  rouse__free(t->recs);
  rouse__free(t->fields);
  rouse__buf_release(&t->rej);
}

void rouse_ingest_free(rouse_ingest *ing) {
  if (!ing) return;
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) rouse__free(ing->map[f]);
  rouse__free(ing->date_format);
  for (int p = 0; p < NPART; p++) {
    rouse__free(ing->part[p].c_mem);
    rouse__free(ing->part[p].slot);
    rouse__free(ing->part[p].str);
    rouse__free(ing->part[p].ev);
  }
  for (size_t i = 0; i < ing->nsrc; i++) {
    rouse__free(ing->src[i].name);
    for (int f = 0; f < ROUSE_FIELD_COUNT; f++) rouse__free(ing->src[i].hdr[f]);
  }
  rouse__free(ing->src);
  for (size_t i = 0; i < ing->ntasks_cap; i++) {
    task_release(&ing->tasks[i]);
    if (ing->cvt) rouse__cp932_close(ing->cvt[i]);
  }
  rouse__free(ing->tasks);
  rouse__free(ing->cvt);
  rouse__free(ing->cat);
  rouse__free(ing->catname);
  rouse__buf_release(&ing->catstr);
  rouse__pool_free(ing->pool);
  rouse__free(ing);
}

const char *rouse_ingest_errmsg(const rouse_ingest *ing) { return ing ? ing->errmsg : ""; }

void rouse__ingest_categories(const rouse_ingest *ing, struct rouse_catinfo *out) {
  out->rows = ing->cat;
  out->n_rows = ing->ncat;
  out->names = ing->catname;
  out->names_cap = ing->catname_cap;
  out->n_names = ing->ncatname;
  out->str = ing->catstr.buf;
  out->overflow = ing->cat_overflow;
}

size_t rouse_ingest_source_count(const rouse_ingest *ing) { return ing->nsrc; }

const rouse_source_info *rouse_ingest_source(const rouse_ingest *ing, size_t i) {
  return i < ing->nsrc ? &ing->src[i].info : NULL;
}

void rouse_ingest_get_stats(const rouse_ingest *ing, rouse_ingest_stats *s) {
  memset(s, 0, sizeof *s);
  const struct counters *k = &ing->k;
  s->rows_read = k->rows;
  s->rows_accepted = k->accepted;
  s->rows_cancelled = k->cancelled;
  for (int i = 0; i < ROUSE_REJECT_COUNT; i++) {
    s->rejected_by[i] = k->rejected_by[i];
    s->rows_rejected += k->rejected_by[i];
  }
  s->blank_lines = k->blank;
  s->rows_returns = k->returns;
  s->rows_no_amount = k->no_amount;
  s->rows_after_window = k->after_window;
  s->bytes = ing->bytes;
  s->first_day = k->min_day;
  s->last_day = k->max_day;
  s->last_day_in_window = k->max_day_win;
  uint64_t n = 0;
  for (int p = 0; p < NPART; p++) n += ing->part[p].n_win;
  s->customers = n;
}

/*=====================================================================
 * Fold: records -> customer state
 *====================================================================*/
/* Slots hold (hash tag << 32 | customer index + 1): a probe compares the tag in the slot
 * array and touches a customer struct only when the tag matches. The tag is the low 32 bits
 * of the id hash (the customer keeps them as hash_lo, for growing the table); the partition
 * comes from the top 8. */
static inline uint32_t slot_tag(uint64_t hash) { return (uint32_t)hash; }

static struct cust *part_find_or_add(struct part *P, const struct rec *r, const char *long_id) {
  if ((uint64_t)P->n * 4 >= (uint64_t)P->nslot * 3) { /* load factor at most 3/4 */
    uint32_t ns = P->nslot ? P->nslot * 2 : 1024;
    uint64_t *s = rouse__calloc(ns, sizeof *s);
    if (!s) return NULL;
    for (uint32_t i = 0; i < P->n; i++) {
      uint32_t h = P->c[i].hash_lo & (ns - 1);
      while (s[h]) h = (h + 1) & (ns - 1);
      s[h] = (uint64_t)P->c[i].hash_lo << 32 | (i + 1);
    }
    rouse__free(P->slot);
    P->slot = s;
    P->nslot = ns;
  }
  uint32_t h = (uint32_t)r->hash & (P->nslot - 1);
  const uint32_t tag = slot_tag(r->hash);
  for (;;) {
    uint64_t sv = P->slot[h];
    if (!sv) break;
    uint32_t v = (uint32_t)sv;
    struct cust *c = &P->c[v - 1];
    if ((uint32_t)(sv >> 32) == tag && c->k[0] == r->k[0] && c->k[1] == r->k[1] &&
        c->id_len == r->id_len &&
        (r->id_len <= 16 || !memcmp(P->str + c->id_off + 16, long_id + 16, r->id_len - 16u)))
      return c;
    h = (h + 1) & (P->nslot - 1);
  }
  if (P->n == P->cap) {
    /* realloc, so that large arrays grow by mremap without copying; the struct array starts
     * at the first 64-byte boundary of the block, and moves if that offset changed */
    uint32_t nc = P->cap ? P->cap * 2 : 256;
    size_t bytes;
    if (!rouse__mul_size(nc, sizeof(struct cust), &bytes) || bytes > SIZE_MAX - 64) return NULL;
    size_t old_off = P->c_mem ? (size_t)((char *)P->c - (char *)P->c_mem) : 0;
    char *mem = rouse__realloc(P->c_mem, bytes + 64);
    if (!mem) return NULL;
    size_t off = (size_t)(-(uintptr_t)mem & 63);
    if (P->n && off != old_off) memmove(mem + off, mem + old_off, (size_t)P->n * sizeof(struct cust));
    P->c_mem = mem;
    P->c = (struct cust *)(mem + off);
    P->cap = nc;
  }
  /* ids of up to 16 bytes live only inline (k); longer ones also in the string pool */
  if (r->id_len > 16 && P->str_len + r->id_len > P->str_cap) {
    size_t nc = P->str_cap ? P->str_cap * 2 : 4096;
    while (nc < P->str_len + r->id_len) nc *= 2;
    if (nc > UINT32_MAX) return NULL;
    char *s = rouse__realloc(P->str, nc);
    if (!s) return NULL;
    P->str = s;
    P->str_cap = nc;
  }
  struct cust *c = &P->c[P->n];
  memset(c, 0, sizeof *c);
  c->hash_lo = tag;
  c->k[0] = r->k[0];
  c->k[1] = r->k[1];
  c->id_off = 0;
  c->id_len = r->id_len;
  c->first_day = INT32_MAX;
  if (r->id_len > 16) {
    c->id_off = (uint32_t)P->str_len;
    memcpy(P->str + P->str_len, long_id, r->id_len);
    P->str_len += r->id_len;
  }
  P->slot[h] = (uint64_t)tag << 32 | ++P->n;
  return c;
}

/* Spilled entries (those after the first CUST_INLINE_EV) live in blocks of size classes 4,
 * 6, 8, 12, 16, 24, ... (steps of 1.5 and 4/3, so a list wastes at most a third of its
 * block); free blocks are kept per class. */
static int ev_class(uint32_t cap) {
  int lg = 31 - __builtin_clz(cap); /* cap is 2^lg or 3 * 2^(lg-1) */
  return 2 * (lg - 2) + ((cap & (cap - 1)) != 0);
}

static uint32_t ev_next_cap(uint32_t cap) {
  if (cap < 4) return 4;
  return (cap & (cap - 1)) ? cap / 3 * 4 : cap / 2 * 3; /* 6 -> 8, 8 -> 12 */
}

/* allocate a block of `cap` entries (a size class); returns offset or UINT32_MAX */
static uint32_t ev_alloc(struct part *P, uint32_t cap) {
  int cls = ev_class(cap);
  if (P->freelist[cls]) {
    uint32_t off = P->freelist[cls] - 1;
    P->freelist[cls] = (uint32_t)P->ev[off].key;
    return off;
  }
  if (P->ev_len + cap > P->ev_cap) {
    size_t nc = P->ev_cap ? P->ev_cap + P->ev_cap / 2 : 4096;
    while (nc < P->ev_len + cap) nc += nc / 2;
    if (nc > UINT32_MAX) return UINT32_MAX;
    struct ent *e = rouse__reallocarray(P->ev, nc, sizeof *e);
    if (!e) return UINT32_MAX;
    P->ev = e;
    P->ev_cap = nc;
  }
  uint32_t off = (uint32_t)P->ev_len;
  P->ev_len += cap;
  return off;
}

static void ev_release(struct part *P, uint32_t off, uint32_t cap) {
  int cls = ev_class(cap);
  P->ev[off].key = P->freelist[cls];
  P->freelist[cls] = off + 1;
}

/* Sort entries by key, in place, without allocating (insertion sort for short lists,
 * heapsort otherwise), merging the entries of one class (rouse__entry_same: equal keys, or
 * row counts of one day and flag, which sort next to each other). The list may be split in
 * two (a customer's inline entries, then its block): AT(i) is its i-th entry. */
#define AT(i) ((i) < na ? &a[i] : &b[(i) - na]) /* (i is evaluated twice) */

static inline void ent_swap(struct ent *x, struct ent *y) {
  struct ent t = *x;
  *x = *y;
  *y = t;
}

uint32_t rouse__sort_merge_ent_split(struct ent *a, uint32_t na, struct ent *b, uint32_t n) {
  if (n < 2) return n;
  if (n <= 32) {
    for (uint32_t i = 1; i < n; i++) {
      struct ent v = *AT(i);
      uint32_t j = i;
      while (j > 0 && AT(j - 1)->key > v.key) {
        *AT(j) = *AT(j - 1);
        j--;
      }
      *AT(j) = v;
    }
  } else {
    for (uint32_t start = n / 2; start-- > 0;) { /* heapify */
      uint32_t r = start;
      for (uint32_t ch; (ch = 2 * r + 1) < n; r = ch) {
        if (ch + 1 < n && AT(ch)->key < AT(ch + 1)->key) ch++;
        if (AT(r)->key >= AT(ch)->key) break;
        ent_swap(AT(r), AT(ch));
      }
    }
    for (uint32_t end = n - 1; end > 0; end--) {
      ent_swap(AT(0), AT(end));
      uint32_t r = 0;
      for (uint32_t ch; (ch = 2 * r + 1) < end; r = ch) {
        if (ch + 1 < end && AT(ch)->key < AT(ch + 1)->key) ch++;
        if (AT(r)->key >= AT(ch)->key) break;
        ent_swap(AT(r), AT(ch));
      }
    }
  }
  uint32_t k = 1;
  for (uint32_t i = 1; i < n; i++) {
    struct ent *last = AT(k - 1), *cur = AT(i);
    if (rouse__entry_same(last->key, cur->key)) rouse__entry_merge(last, cur);
    else {
      *AT(k) = *cur;
      k++;
    }
  }
  return k;
}
#undef AT

uint32_t rouse__sort_merge_ent(struct ent *e, uint32_t n) {
  return rouse__sort_merge_ent_split(e, n, NULL, n);
}

/* the i-th entry of a customer (i < CUST_INLINE_EV + ev_cap) */
static inline struct ent *cust_at(struct part *P, struct cust *c, uint32_t i) {
  return i < CUST_INLINE_EV ? &c->inl[i] : &P->ev[c->ev_off + i - CUST_INLINE_EV];
}

static void cust_normalize(struct part *P, struct cust *c) {
  if (!(c->flags & CUST_UNSORTED)) return;
  c->ev_n = rouse__sort_merge_ent_split(c->inl, CUST_INLINE_EV,
                                        c->ev_cap ? P->ev + c->ev_off : NULL, c->ev_n);
  c->flags &= (uint16_t)~CUST_UNSORTED;
}

/* Entries are appended (or merged into the last one); out-of-order keys mark the list
 * unsorted, and it is sorted and merged when it fills up (before growing) and, for the
 * rollup, on a copy; so a list holds at most twice its distinct entries and insertion is
 * O(log n) amortised. The full list is the slow path (add_entry_full). */
static __attribute__((noinline)) bool add_entry_full(struct part *P, struct cust *c,
                                                     struct ent in) {
  cust_normalize(P, c);
  uint32_t n = c->ev_n;
  struct ent *last = n ? cust_at(P, c, n - 1) : NULL;
  if (last && rouse__entry_same(last->key, in.key)) {
    rouse__entry_merge(last, &in);
    return true;
  }
  if (n == CUST_INLINE_EV + c->ev_cap) {
    uint32_t nc = ev_next_cap(c->ev_cap);
    if (nc < c->ev_cap || nc > (1u << 30)) return false;
    uint32_t off = ev_alloc(P, nc);
    if (off == UINT32_MAX) return false;
    if (c->ev_cap) {
      memcpy(P->ev + off, P->ev + c->ev_off, (size_t)c->ev_cap * sizeof *P->ev);
      ev_release(P, c->ev_off, c->ev_cap);
    }
    c->ev_off = off;
    c->ev_cap = nc;
    last = cust_at(P, c, n - 1); /* P->ev may have moved */
  }
  if (last && in.key < last->key) c->flags |= CUST_UNSORTED;
  *cust_at(P, c, n) = in;
  c->ev_n = n + 1;
  return true;
}

static inline bool add_entry(struct part *P, struct cust *c, uint64_t key, int64_t val) {
  uint32_t n = c->ev_n;
  const struct ent in = {key, val};
  if (n) {
    struct ent *last = cust_at(P, c, n - 1);
    if (rouse__entry_same(last->key, key)) {
      rouse__entry_merge(last, &in);
      return true;
    }
    if (n == CUST_INLINE_EV + c->ev_cap) return add_entry_full(P, c, in);
    if (key < last->key) c->flags |= CUST_UNSORTED;
  }
  *cust_at(P, c, n) = in;
  c->ev_n = n + 1;
  return true;
}

/* A record into its customer's entries (the struct ent comment in state.h): purchases and
 * cancellations by order (or by day, counting rows, without an order id), returns by day.
 * Amounts are kept per purchase entry and per return day, so any earlier as-of date has
 * exact sums; purchases on or after the window end keep their day only. */
static void fold_rec(struct rouse_ingest *ing, struct part *P, const struct task *T,
                     const struct rec *r) {
  bool in_win = r->day < ing->window_end;
  if (!in_win && (r->kind != K_PURCHASE || r->day >= ing->keep_end)) return;
  const char *long_id =
      r->id_len > 16 ? (r->id_in_scratch ? T->scratch : T->text) + r->id_off : NULL;
  struct cust *c = part_find_or_add(P, r, long_id);
  if (!c) {
    P->err = ROUSE_NOMEM;
    return;
  }
  bool ok;
  if (!in_win) {
    ok = add_entry(P, c, rouse__entry_key(r->day, false, 1), 0);
  } else {
    c->win_rows++;
    if (r->kind != K_CANCEL && !(c->flags & CUST_ACCEPTED)) { /* an accepted row: a customer */
      c->flags |= CUST_ACCEPTED;
      P->n_win++;
    }
    switch (r->kind) {
      case K_CANCEL:
        ok = add_entry(P, c, rouse__entry_key(r->day, true, r->order_hash), 0);
        break;
      case K_RETURN:
        ok = add_entry(P, c, rouse__entry_key(r->day, false, 0), -r->amount_e4);
        break;
      default:
        if (r->day < c->first_day) c->first_day = r->day;
        ok = add_entry(P, c, rouse__entry_key(r->day, false, r->order_hash), r->amount_e4);
    }
  }
  if (!ok) P->err = ROUSE_NOMEM;
}

struct fold_job {
  struct rouse_ingest *ing;
  size_t ntasks;
};

/* Records of one partition are applied in file order. Each touches its customer's slot,
 * struct and entry list: three dependent cache misses, so the loop runs a software pipeline
 * of prefetches (slot 12 records ahead, customer 8 ahead, entry list 4 ahead). */
static void fold_partition(void *arg, size_t p) {
  struct fold_job *j = arg;
  struct part *P = &j->ing->part[p];
  for (size_t t = 0; t < j->ntasks && !P->err; t++) {
    const struct task *T = &j->ing->tasks[t];
    const uint32_t n = T->poff[p + 1] - T->poff[p];
    if (!n) continue; /* (recs may be NULL) */
    const struct rec *r = T->recs + T->poff[p];
    for (uint32_t i = 0; i < n; i++) {
      if (P->nslot) {
        const uint32_t mask = P->nslot - 1;
        if (i + 12 < n) __builtin_prefetch(&P->slot[(uint32_t)r[i + 12].hash & mask]);
        if (i + 8 < n) {
          uint32_t v = (uint32_t)P->slot[(uint32_t)r[i + 8].hash & mask];
          if (v) {
            const char *cp = (const char *)&P->c[v - 1];
            __builtin_prefetch(cp);
            __builtin_prefetch(cp + 64);
          }
        }
        if (i + 4 < n) {
          uint32_t v = (uint32_t)P->slot[(uint32_t)r[i + 4].hash & mask];
          const struct cust *cv = v ? &P->c[v - 1] : NULL;
          if (cv && cv->ev_n > CUST_INLINE_EV)
            __builtin_prefetch(&P->ev[cv->ev_off + cv->ev_n - CUST_INLINE_EV - 1]);
        }
      }
      fold_rec(j->ing, P, T, &r[i]);
    }
  }
}

/*=====================================================================
 * Row parsing (phase 1)
 *====================================================================*/
struct reject_hdr {
  uint64_t line_rel;
  uint32_t column, reason, detail_len, text_len;
};

static void add_reject(struct task *t, uint64_t line_rel, uint32_t col, int reason,
                       const char *text, size_t text_len, const char *fmt, ...)
    ROUSE_PRINTF(7, 8);
static void add_reject(struct task *t, uint64_t line_rel, uint32_t col, int reason,
                       const char *text, size_t text_len, const char *fmt, ...) {
  char detail[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof detail) n = sizeof detail - 1;
  while (text_len && (text[text_len - 1] == '\n' || text[text_len - 1] == '\r')) text_len--;
  struct reject_hdr h = {line_rel, col, (uint32_t)reason, (uint32_t)n, (uint32_t)text_len};
  t->k.rejected_by[reason]++;
  if (rouse__buf_add(&t->rej, &h, sizeof h) || rouse__buf_add(&t->rej, detail, (size_t)n) ||
      rouse__buf_add(&t->rej, text, text_len))
    t->fatal = ROUSE_NOMEM;
  t->nrej++;
}


/* printable excerpt of a value for messages: at most 60 bytes */
static int excerpt(const struct rouse_span *s) { return rouse__span_excerpt(s, 60); }

static bool grow_tmp(struct task *t) {
  size_t nc = t->cap_tmp ? t->cap_tmp * 2 : 4096;
  struct rec *r = rouse__reallocarray(t->tmp, nc, sizeof *r);
  if (!r) return false;
  t->tmp = r;
  t->cap_tmp = nc;
  return true;
}

/* a purchase row's category: (customer hash, category hash, day), and the name once per
 * change of its cache slot (the merge keeps one copy per hash). Empty: no category. */
static void add_category(struct task *t, const struct rec *r, struct rouse_span c) {
  rouse__span_trim(&c);
  if (!c.n || c.n > ROUSE_MAX_CATEGORY_NAME) return;
  uint64_t h = rouse__hash64(c.p, c.n) | 1; /* never 0: 0 marks an empty slot */
  if (t->ncat == t->cap_cat) {
    size_t nc = t->cap_cat ? 2 * t->cap_cat : 4096;
    struct rouse_catrow *a = rouse__reallocarray(t->cat, nc, sizeof *a);
    if (!a) {
      t->fatal = ROUSE_NOMEM;
      return;
    }
    t->cat = a;
    t->cap_cat = nc;
  }
  t->cat[t->ncat++] = (struct rouse_catrow){r->hash, h, r->day};
  if (t->catseen[h & 255] != h) {
    t->catseen[h & 255] = h;
    uint16_t len = (uint16_t)c.n;
    if (rouse__buf_add(&t->catname, &h, sizeof h) || rouse__buf_add(&t->catname, &len, sizeof len) ||
        rouse__buf_add(&t->catname, c.p, c.n))
      t->fatal = ROUSE_NOMEM;
  }
}

/* the task's categories into the ingest's, in task order (deterministic); names by hash */
static int merge_categories(struct rouse_ingest *ing, const struct task *t) {
  if (ing->cat_overflow) return ROUSE_OK;
  const char *b = t->catname.buf, *e = b + t->catname.len;
  while (b < e) {
    uint64_t h;
    uint16_t len;
    memcpy(&h, b, sizeof h);
    memcpy(&len, b + sizeof h, sizeof len);
    const char *name = b + sizeof h + sizeof len;
    b = name + len;
    if (ing->ncatname * 2 >= ing->catname_cap) { /* grow (and rehash) at half full */
      size_t nc = ing->catname_cap ? 2 * ing->catname_cap : 256;
      struct rouse_catname *a = rouse__calloc(nc, sizeof *a);
      if (!a) return ROUSE_NOMEM;
      for (size_t i = 0; i < ing->catname_cap; i++) {
        if (!ing->catname[i].hash) continue;
        size_t j = ing->catname[i].hash & (nc - 1);
        while (a[j].hash) j = (j + 1) & (nc - 1);
        a[j] = ing->catname[i];
      }
      rouse__free(ing->catname);
      ing->catname = a;
      ing->catname_cap = nc;
    }
    size_t j = h & (ing->catname_cap - 1);
    while (ing->catname[j].hash && ing->catname[j].hash != h) j = (j + 1) & (ing->catname_cap - 1);
    if (ing->catname[j].hash) continue;
    if (ing->ncatname >= ROUSE_MAX_CATEGORIES) { /* not categories: give them up */
      ing->cat_overflow = true;
      rouse__free(ing->cat);
      ing->cat = NULL;
      ing->ncat = ing->cap_cat = 0;
      return ROUSE_OK;
    }
    ing->catname[j].hash = h;
    ing->catname[j].off = ing->catstr.len;
    ing->catname[j].len = len;
    if (rouse__buf_add(&ing->catstr, name, len) || rouse__buf_addc(&ing->catstr, '\0'))
      return ROUSE_NOMEM;
    ing->ncatname++;
  }
  if (!t->ncat) return ROUSE_OK;
  if (ing->ncat + t->ncat > ing->cap_cat) {
    size_t nc = ing->cap_cat ? ing->cap_cat : 65536;
    while (nc < ing->ncat + t->ncat) nc *= 2;
    struct rouse_catrow *a = rouse__reallocarray(ing->cat, nc, sizeof *a);
    if (!a) return ROUSE_NOMEM;
    ing->cat = a;
    ing->cap_cat = nc;
  }
  memcpy(ing->cat + ing->ncat, t->cat, t->ncat * sizeof *t->cat);
  ing->ncat += t->ncat;
  return ROUSE_OK;
}

/* Parse the rows of [p, end) (decoded UTF-8). Stops after the row that ends at or beyond
 * stop_at (NULL: parse to end). Returns where it stopped. */
static const char *parse_rows(struct rouse_ingest *ing, struct task *t, const char *p,
                              const char *end, const char *stop_at, bool eof, uint64_t *lines) {
  const int *col = ing->col;
  const int ncols = ing->ncols;
  const char *text = t->text;
  const struct rouse_datefmt *df = &ing->cur->datefmt;
  struct rouse_row row = {.f = t->fields, .maxf = (uint32_t)ncols, .scratch = t->scratch};
  uint64_t ln = *lines;
  row.scratch_len = 0; /* records point into scratch: it only grows within a task */
  while (p < end && (!stop_at || p < stop_at)) {
    const char *rs = p;
    int st;
    const char *re = rouse__csv_row(p, end, ing->delim, eof, &row, &st);
    if (st == ROUSE_ROW_INCOMPLETE) {
      t->incomplete = true;
      break;
    }
    p = re;
    uint64_t row_line = ln;
    ln += row.lines;
    if (row.nf == 1 && row.f[0].n == 0 && st == ROUSE_ROW_OK) {
      t->k.blank++;
      continue;
    }
    t->k.rows++;
    size_t rlen = (size_t)(re - rs);
    if (st == ROUSE_ROW_UNTERMINATED) {
      add_reject(t, row_line, row.nf, ROUSE_REJECT_QUOTE, rs, rlen,
                 "quoted field %u is not closed before the end of the input", row.nf);
      continue;
    }
    if (row.nf != (uint32_t)ncols) {
      add_reject(t, row_line, 0, ROUSE_REJECT_FIELD_COUNT, rs, rlen,
                 "%u fields, the header has %d", row.nf, ncols);
      continue;
    }
    if (!rouse__utf8_valid((const unsigned char *)rs, rlen)) {
      uint32_t bad = 0;
      for (uint32_t f = 0; f < row.nf && f < row.maxf; f++)
        if (!rouse__utf8_valid((const unsigned char *)row.f[f].p, row.f[f].n)) {
          bad = f + 1;
          break;
        }
      add_reject(t, row_line, bad, ROUSE_REJECT_ENCODING, rs, rlen,
                 ing->encoding == ROUSE_ENCODING_CP932
                     ? "invalid CP932 bytes or a NUL byte"
                     : "invalid UTF-8 bytes or a NUL byte");
      continue;
    }
    if (row.longest > ROUSE_MAX_FIELD) {
      uint32_t bad = 0;
      for (uint32_t f = 0; f < row.nf && f < row.maxf; f++)
        if (row.f[f].n > ROUSE_MAX_FIELD) {
          bad = f + 1;
          break;
        }
      add_reject(t, row_line, bad, ROUSE_REJECT_TOO_LONG, rs, rlen,
                 "field longer than %u bytes", ROUSE_MAX_FIELD);
      continue;
    }
    struct rouse_span id = row.f[col[ROUSE_FIELD_CUSTOMER_ID]];
    rouse__span_trim(&id);
    if (id.n == 0) {
      add_reject(t, row_line, (uint32_t)col[ROUSE_FIELD_CUSTOMER_ID] + 1,
                 ROUSE_REJECT_NO_CUSTOMER, rs, rlen, "customer id is empty");
      continue;
    }
    if (id.n > MAX_ID_LEN) {
      add_reject(t, row_line, (uint32_t)col[ROUSE_FIELD_CUSTOMER_ID] + 1,
                 ROUSE_REJECT_TOO_LONG, rs, rlen, "customer id longer than %d bytes",
                 MAX_ID_LEN);
      continue;
    }
    struct rouse_span ds = row.f[col[ROUSE_FIELD_DATE]];
    int32_t day;
    if (!rouse__date_parse_fmt(df, ds.p, ds.n, &day)) {
      rouse__span_trim(&ds);
      add_reject(t, row_line, (uint32_t)col[ROUSE_FIELD_DATE] + 1, ROUSE_REJECT_BAD_DATE, rs,
                 rlen, ds.n ? "cannot parse date '%.*s' as %s" : "date is empty%.*s%s",
                 excerpt(&ds), ds.p, ds.n ? df->name : "");
      continue;
    }
    if (t->ntmp == t->cap_tmp && !grow_tmp(t)) {
      t->fatal = ROUSE_NOMEM;
      break;
    }
    struct rec *r = &t->tmp[t->ntmp];
    r->kind = K_PURCHASE;
    r->amount_e4 = 0;
    r->has_amount = 0;
    if (col[ROUSE_FIELD_STATUS] >= 0) {
      struct rouse_span s = row.f[col[ROUSE_FIELD_STATUS]];
      if (s.n && rouse__status_cancelled(s.p, s.n, ing->cancel_flag)) r->kind = K_CANCEL;
    }
    if (r->kind != K_CANCEL && col[ROUSE_FIELD_AMOUNT] >= 0) {
      struct rouse_span a = row.f[col[ROUSE_FIELD_AMOUNT]];
      int arc = rouse_amount_parse(a.p, a.n, &r->amount_e4);
      if (arc == ROUSE_OK) {
        r->has_amount = 1;
        if (r->amount_e4 < 0) r->kind = K_RETURN;
      } else if (arc == ROUSE_EMPTY) {
        r->amount_e4 = 0;
      } else {
        rouse__span_trim(&a);
        bool comma = memchr(a.p, ',', a.n) && !memchr(a.p, '.', a.n);
        add_reject(t, row_line, (uint32_t)col[ROUSE_FIELD_AMOUNT] + 1, ROUSE_REJECT_BAD_AMOUNT,
                   rs, rlen, "cannot parse amount '%.*s'%s", excerpt(&a), a.p,
                   comma ? " (a decimal comma? amounts use '.' for decimals, ',' only for "
                           "thousands)"
                         : "");
        continue;
      }
    }
    r->order_hash = 1; /* one row without an order id (a row-count entry) */
    if (col[ROUSE_FIELD_ORDER_ID] >= 0) {
      struct rouse_span o = row.f[col[ROUSE_FIELD_ORDER_ID]];
      rouse__span_trim(&o);
      if (o.n) r->order_hash = (uint32_t)rouse__hash64(o.p, o.n) | ENTRY_ORDER_BIT;
    }
    r->hash = rouse__hash64(id.p, id.n);
    r->k[0] = r->k[1] = 0;
    memcpy(r->k, id.p, id.n < 16 ? id.n : 16);
    r->id_in_scratch = id.p >= t->scratch && id.p < t->scratch + t->scratch_cap;
    r->id_off = (uint32_t)(id.p - (r->id_in_scratch ? t->scratch : text));
    r->id_len = (uint16_t)id.n;
    r->day = day;
    t->ntmp++;
    if (col[ROUSE_FIELD_CATEGORY] >= 0 && r->kind == K_PURCHASE && !ing->cat_overflow)
      add_category(t, r, row.f[col[ROUSE_FIELD_CATEGORY]]);
    /* counters */
    if (r->kind == K_CANCEL) {
      t->k.cancelled++;
    } else {
      t->k.accepted++;
      if (r->kind == K_RETURN) t->k.returns++;
      if (col[ROUSE_FIELD_AMOUNT] >= 0 && !r->has_amount) t->k.no_amount++;
      t->k.with_amount += r->has_amount;
      if (day >= ing->window_end) t->k.after_window++;
      else if (day > t->k.max_day_win) t->k.max_day_win = day;
      if (day < t->k.min_day) t->k.min_day = day;
      if (day > t->k.max_day) t->k.max_day = day;
    }
  }
  *lines = ln;
  return p;
}

/* scan rows without storing fields: where does the row boundary at/after stop_at lie? */
static const char *scan_rows(struct rouse_ingest *ing, struct task *t, const char *p,
                             const char *end, const char *stop_at, bool eof) {
  struct rouse_row row = {.f = NULL, .maxf = 0, .scratch = NULL};
  while (p < end && p < stop_at) {
    int st;
    const char *re = rouse__csv_row(p, end, ing->delim, eof, &row, &st);
    if (st == ROUSE_ROW_INCOMPLETE) {
      t->incomplete = true;
      break;
    }
    p = re;
  }
  return p;
}

static int task_prepare(struct task *t, size_t bytes, int ncols, bool cp932) {
  size_t need_conv = cp932 ? 3 * bytes + 16 : 0;
  if (cp932 && t->conv_cap < need_conv) {
    rouse__free(t->conv);
    t->conv = rouse__malloc(need_conv);
    t->conv_cap = t->conv ? need_conv : 0;
    if (!t->conv) return ROUSE_NOMEM;
  }
  size_t need_scr = (cp932 ? need_conv : bytes) + 16;
  if (t->scratch_cap < need_scr) {
    rouse__free(t->scratch);
    t->scratch = rouse__malloc(need_scr);
    t->scratch_cap = t->scratch ? need_scr : 0;
    if (!t->scratch) return ROUSE_NOMEM;
  }
  if (!t->fields) {
    t->fields = rouse__calloc((size_t)ncols > 0 ? ROUSE_MAX_COLUMNS : 1, sizeof *t->fields);
    if (!t->fields) return ROUSE_NOMEM;
  }
  return ROUSE_OK;
}

struct parse_job {
  struct rouse_ingest *ing;
  const char *buf_end;
  bool eof;
};

static void run_task(struct rouse_ingest *ing, size_t ti, const char *buf_end, bool eof) {
  struct task *t = &ing->tasks[ti];
  t->incomplete = false;
  t->ntmp = 0;
  t->ncat = 0;
  rouse__buf_reset(&t->catname);
  memset(t->catseen, 0, sizeof t->catseen);
  t->nrej = 0;
  t->lines = 0;
  t->fatal = 0;
  t->k = COUNTERS_ZERO;
  rouse__buf_reset(&t->rej);
  bool cp = ing->encoding == ROUSE_ENCODING_CP932;
  if (cp) {
    /* find the raw extent first (structural bytes never occur inside CP932 characters),
     * then decode it in one go (buffers sized for that extent) and parse the decoded text */
    const char *re = scan_rows(ing, t, t->start, buf_end, t->stop_at, eof);
    if (task_prepare(t, (size_t)(re - t->start), ing->ncols, true)) {
      t->fatal = ROUSE_NOMEM;
      t->end = t->start;
      return;
    }
    size_t n = rouse__cp932_to_utf8(ing->cvt[ti], t->start, (size_t)(re - t->start), t->conv);
    t->text = t->conv;
    bool eof_here = eof && re == buf_end;
    bool inc = t->incomplete;
    t->incomplete = false;
    parse_rows(ing, t, t->conv, t->conv + n, NULL, eof_here, &t->lines);
    t->incomplete = inc;
    t->end = re;
  } else {
    /* scratch (unescaped quoted fields) must cover whatever this task may parse: up to the
     * end of the block when a speculative start fell inside a quoted field; it is reserved,
     * and only touched where fields hold doubled quotes */
    if (task_prepare(t, (size_t)(buf_end - t->start), ing->ncols, false)) {
      t->fatal = ROUSE_NOMEM;
      t->end = t->start;
      return;
    }
    t->text = t->start;
    t->end = parse_rows(ing, t, t->start, buf_end, t->stop_at, eof, &t->lines);
  }
  if (t->fatal) return;
  /* bucket records by partition (counting sort, stable) */
  memset(t->poff, 0, sizeof t->poff);
  for (size_t i = 0; i < t->ntmp; i++) t->poff[(t->tmp[i].hash >> 56) + 1]++;
  for (int p = 0; p < NPART; p++) t->poff[p + 1] += t->poff[p];
  if (t->cap_recs < t->ntmp) {
    rouse__free(t->recs);
    t->recs = rouse__reallocarray(NULL, t->cap_tmp, sizeof *t->recs);
    t->cap_recs = t->recs ? t->cap_tmp : 0;
    if (!t->recs) {
      t->fatal = ROUSE_NOMEM;
      return;
    }
  }
  uint32_t pos[NPART];
  memcpy(pos, t->poff, sizeof pos);
  for (size_t i = 0; i < t->ntmp; i++) t->recs[pos[t->tmp[i].hash >> 56]++] = t->tmp[i];
}

static void parse_task(void *arg, size_t i) {
  struct parse_job *j = arg;
  run_task(j->ing, i, j->buf_end, j->eof);
}

/*=====================================================================
 * Source reading
 *====================================================================*/
static int ensure_tasks(struct rouse_ingest *ing, size_t n) {
  if (n <= ing->ntasks_cap) return ROUSE_OK;
  struct task *t = rouse__reallocarray(ing->tasks, n, sizeof *t);
  if (!t) return ROUSE_NOMEM;
  ing->tasks = t;
  struct rouse_cp932 **c = rouse__reallocarray(ing->cvt, n, sizeof *c);
  if (!c) return ROUSE_NOMEM;
  ing->cvt = c;
  for (size_t i = ing->ntasks_cap; i < n; i++) {
    memset(&t[i], 0, sizeof t[i]);
    rouse__buf_init(&t[i].rej, 0);
    rouse__buf_init(&t[i].catname, 0);
    c[i] = NULL;
  }
  ing->ntasks_cap = n;
  return ROUSE_OK;
}

static int ensure_converters(struct rouse_ingest *ing, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!ing->cvt[i]) {
      int rc = rouse__cp932_open(&ing->cvt[i]);
      if (rc) {
        set_err(ing, "%s: cannot open the CP932 converter (iconv)", ing->cur->name);
        return rc;
      }
    }
  return ROUSE_OK;
}

static int emit_rejects(struct rouse_ingest *ing, size_t ntasks) {
  uint64_t base = ing->line_base;
  for (size_t ti = 0; ti < ntasks; ti++) {
    struct task *t = &ing->tasks[ti];
    size_t off = 0;
    for (uint64_t r = 0; r < t->nrej; r++) {
      struct reject_hdr h;
      memcpy(&h, t->rej.buf + off, sizeof h);
      off += sizeof h;
      char detail[260];
      memcpy(detail, t->rej.buf + off, h.detail_len);
      detail[h.detail_len] = '\0';
      off += h.detail_len;
      if (ing->o.on_reject) {
        rouse_diag d = {ing->cur->name, base + h.line_rel + 1, h.column, (int)h.reason,
                        detail,         t->rej.buf + off,      h.text_len};
        ing->o.on_reject(ing->o.reject_ctx, &d);
      }
      off += h.text_len;
    }
    base += t->lines;
  }
  return ROUSE_OK;
}

/* Header: map columns to fields. */
static int map_header(struct rouse_ingest *ing, const struct rouse_row *hr) {
  struct source *s = ing->cur;
  int best_pri[ROUSE_FIELD_COUNT];
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) {
    ing->col[f] = -1;
    best_pri[f] = 1 << 30;
  }
  ing->cancel_flag = false;
  ing->ncols = (int)hr->nf;
  /* explicit --map first */
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) {
    const char *m = ing->map[f];
    if (!m) continue;
    char *endp;
    long v = strtol(m, &endp, 10);
    if (*m && !*endp) {
      if (v < 1 || v > ing->ncols) {
        set_err(ing, "%s: --map %s=%s: the header has %d columns", s->name, FIELD_NAMES[f], m,
                ing->ncols);
        return ROUSE_MISUSE;
      }
      ing->col[f] = (int)v - 1;
    } else {
      for (int c = 0; c < ing->ncols; c++) {
        struct rouse_span h = hr->f[c];
        rouse__span_trim(&h);
        if (h.n == strlen(m) && !memcmp(h.p, m, h.n)) {
          ing->col[f] = c;
          break;
        }
      }
      if (ing->col[f] < 0) {
        set_err(ing, "%s: --map %s=%s: no column named '%s' in the header", s->name,
                FIELD_NAMES[f], m, m);
        return ROUSE_MISUSE;
      }
    }
    if (f == ROUSE_FIELD_STATUS) {
      int is_flag = 0, pri;
      struct rouse_span h = hr->f[ing->col[f]];
      if (rouse__header_field(h.p, h.n, &is_flag, &pri) == ROUSE_FIELD_STATUS)
        ing->cancel_flag = is_flag;
    }
  }
  /* recognised names for the rest */
  for (int c = 0; c < ing->ncols; c++) {
    int is_flag = 0, pri = 0;
    struct rouse_span h = hr->f[c];
    rouse__span_trim(&h);
    int f = rouse__header_field(h.p, h.n, &is_flag, &pri);
    if (f < 0 || ing->map[f]) continue;
    bool taken = false;
    for (int g = 0; g < ROUSE_FIELD_COUNT; g++) taken |= ing->col[g] == c && ing->map[g];
    if (taken) continue;
    if (pri < best_pri[f]) {
      best_pri[f] = pri;
      ing->col[f] = c;
      if (f == ROUSE_FIELD_STATUS) ing->cancel_flag = is_flag;
    }
  }
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) {
    s->info.column[f] = ing->col[f];
    s->info.header[f] = NULL;
    if (ing->col[f] >= 0) {
      struct rouse_span h = hr->f[ing->col[f]];
      rouse__span_trim(&h);
      s->hdr[f] = rouse__strndup(h.p, h.n);
      if (!s->hdr[f]) return ROUSE_NOMEM;
      s->info.header[f] = s->hdr[f];
    }
  }
  s->info.cancel_is_flag = ing->cancel_flag;
  if (ing->col[ROUSE_FIELD_CUSTOMER_ID] < 0 || ing->col[ROUSE_FIELD_DATE] < 0) {
    char cols[300];
    size_t o = 0;
    for (int c = 0; c < ing->ncols && o + 40 < sizeof cols; c++) {
      struct rouse_span h = hr->f[c];
      int k = snprintf(cols + o, sizeof cols - o, "%s'%.*s'", c ? ", " : "", excerpt(&h), h.p);
      if (k > 0) o += (size_t)k < sizeof cols - o ? (size_t)k : sizeof cols - o - 1; /* truncated */
    }
    if (o + 40 >= sizeof cols) snprintf(cols + o, sizeof cols - o, ", ...");
    bool no_cust = ing->col[ROUSE_FIELD_CUSTOMER_ID] < 0;
    set_err(ing,
            "%s: line 1: no %s column recognised in the header (columns: %s); name it with "
            "--map %s=COLUMN",
            s->name, no_cust ? "customer id" : "date", cols, no_cust ? "customer_id" : "date");
    return ROUSE_PARSE;
  }
  if (ing->col[ROUSE_FIELD_ORDER_ID] >= 0) ing->any_order = true;
  return ROUSE_OK;
}

/* read up to `want` more bytes into buf[*len..cap) */
static int fill(struct rouse_ingest *ing, struct rouse_reader *rd, char *buf, size_t cap,
                size_t *len) {
  while (*len < cap && !ing->eof) {
    ssize_t k = rouse__reader_read(rd, buf + *len, cap - *len);
    if (k < 0) {
      set_err(ing, "%s: %s", ing->cur->name, rd->errmsg);
      return ROUSE_IO;
    }
    if (k == 0) ing->eof = true;
    *len += (size_t)k;
  }
  return ROUSE_OK;
}

static int decide_encoding(struct rouse_ingest *ing, const char *p, size_t n) {
  if (ing->encoding) return ROUSE_OK;
  int e = rouse__encoding_sniff((const unsigned char *)p, n, ing->eof);
  if (e == 0) return ROUSE_OK; /* ASCII so far */
  ing->encoding = e;
  ing->cur->info.encoding = e;
  return ROUSE_OK;
}

/* split [start, end) into tasks at newlines */
static size_t plan_tasks(struct rouse_ingest *ing, const char *start, const char *end) {
  size_t len = (size_t)(end - start);
  size_t n = len / (512u << 10);
  size_t maxn = (size_t)ing->n_threads * 4;
  if (n > maxn) n = maxn;
  if (n < 1) n = 1;
  if (ensure_tasks(ing, n)) return 0;
  size_t k = 0;
  const char *prev = start;
  ing->tasks[k++].start = start;
  for (size_t i = 1; i < n; i++) {
    const char *nominal = start + len * i / n;
    if (nominal <= prev) continue;
    const char *nl = memchr(nominal, '\n', (size_t)(end - nominal));
    if (!nl || nl + 1 >= end) break;
    if (nl + 1 <= prev) continue;
    ing->tasks[k++].start = nl + 1;
    prev = nl + 1;
  }
  for (size_t i = 0; i + 1 < k; i++) ing->tasks[i].stop_at = ing->tasks[i + 1].start;
  ing->tasks[k - 1].stop_at = end;
  return k;
}

static int report_progress(struct rouse_ingest *ing, const struct rouse_reader *rd) {
  if (ing->o.on_progress && ing->o.on_progress(ing->o.progress_ctx, rd->raw_done, rd->raw_total)) {
    set_err(ing, "%s: cancelled", ing->cur->name);
    return ROUSE_CANCELLED;
  }
  return ROUSE_OK;
}

static int read_source(struct rouse_ingest *ing, struct rouse_reader *rd) {
  struct source *s = ing->cur;
  size_t cap = ROUSE_BLOCK;
  char *buf = rouse__malloc(cap + 1);
  if (!buf) return ROUSE_NOMEM;
  size_t len = 0;
  int rc = ROUSE_OK;
  ing->eof = false;
  ing->encoding = ing->o.encoding;
  ing->delim = ing->o.delimiter;
  ing->line_base = 0;
  s->info.gzip = rd->gz;

  /*--- header ---*/
  if ((rc = fill(ing, rd, buf, cap, &len))) goto out;
  size_t pos = 0;
  if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
    pos = 3;
    s->info.bom = 1;
    if (ing->encoding == ROUSE_ENCODING_AUTO) ing->encoding = ROUSE_ENCODING_UTF8;
  }
  if (len == pos) {
    set_err(ing, "%s: the input is empty (expected a header row)", s->name);
    rc = ROUSE_PARSE;
    goto out;
  }
  if ((rc = decide_encoding(ing, buf + pos, len - pos))) goto out;
  {
    /* the delimiter from the raw first line (delimiters and quotes are ASCII, and never
     * part of a CP932 character), then the header row on raw bytes, then decode it */
    if (!ing->delim) ing->delim = rouse__csv_sniff_delim(buf + pos, len - pos);
    if (!ing->delim) ing->delim = ','; /* a single column */
    s->info.delimiter = ing->delim;
    struct rouse_row scan = {0};
    int st;
    const char *he = rouse__csv_row(buf + pos, buf + len, ing->delim, ing->eof, &scan, &st);
    if (st != ROUSE_ROW_OK) {
      if (st == ROUSE_ROW_INCOMPLETE)
        set_err(ing, "%s: line 1: the header row is longer than %u MiB", s->name,
                ROUSE_BLOCK >> 20);
      else
        set_err(ing, "%s: line 1: the header row has a quoted field that is never closed",
                s->name);
      rc = ROUSE_PARSE;
      goto out;
    }
    size_t hlen = (size_t)(he - (buf + pos));
    char *hbuf = rouse__malloc(3 * hlen + 16);
    char *hscr = rouse__malloc(3 * hlen + 16);
    struct rouse_span *hf = rouse__calloc(ROUSE_MAX_COLUMNS, sizeof *hf);
    if (!hbuf || !hscr || !hf) {
      rouse__free(hbuf);
      rouse__free(hscr);
      rouse__free(hf);
      rc = ROUSE_NOMEM;
      goto out;
    }
    size_t hn = hlen;
    if (ing->encoding == ROUSE_ENCODING_CP932) {
      if ((rc = ensure_tasks(ing, 1)) || (rc = ensure_converters(ing, 1))) {
        rouse__free(hbuf);
        rouse__free(hscr);
        rouse__free(hf);
        goto out;
      }
      hn = rouse__cp932_to_utf8(ing->cvt[0], buf + pos, hlen, hbuf);
    } else
      memcpy(hbuf, buf + pos, hlen);
    struct rouse_row hr = {.f = hf, .maxf = ROUSE_MAX_COLUMNS, .scratch = hscr};
    rouse__csv_row(hbuf, hbuf + hn, ing->delim, true, &hr, &st);
    if (hr.nf > ROUSE_MAX_COLUMNS) {
      set_err(ing, "%s: line 1: the header has %u columns; at most %d are supported", s->name,
              hr.nf, ROUSE_MAX_COLUMNS);
      rc = ROUSE_LIMIT;
    } else if (!rouse__utf8_valid((const unsigned char *)hbuf, hn - (hn && hbuf[hn - 1] == '\n'))) {
      set_err(ing,
              ing->o.encoding == ROUSE_ENCODING_AUTO
                  ? "%s: line 1: the header is neither UTF-8 nor CP932 text (not a CSV/TSV "
                    "export, or another encoding%.0s)"
                  : "%s: line 1: the header is not valid %s text (see --encoding)",
              s->name, ing->encoding == ROUSE_ENCODING_CP932 ? "CP932" : "UTF-8");
      rc = ROUSE_ENCODING;
    } else
      rc = map_header(ing, &hr);
    rouse__free(hbuf);
    rouse__free(hscr);
    rouse__free(hf);
    if (rc) goto out;
    ing->line_base = scan.lines;
    pos += hlen;
    ing->bytes += pos; /* BOM and header */
  }

  /*--- date format from a sample of rows ---*/
  {
    struct rouse_datefmt df;
    char err[300];
    rouse__datefmt_from_option(ing->date_format, &df, err, sizeof err);
    if (df.order == ROUSE_DATE_AUTO) {
      size_t sl = len - pos > (1u << 20) ? (1u << 20) : len - pos;
      if ((rc = decide_encoding(ing, buf + pos, len - pos))) goto out;
      char *sb = rouse__malloc(3 * sl + 16);
      char *scr = rouse__malloc(3 * sl + 16);
      struct rouse_span *f = rouse__calloc((size_t)ing->ncols, sizeof *f);
      const char **vals = rouse__calloc(SAMPLE_ROWS, sizeof *vals);
      size_t *lens = rouse__calloc(SAMPLE_ROWS, sizeof *lens);
      if (!sb || !scr || !f || !vals || !lens) rc = ROUSE_NOMEM;
      size_t nv = 0;
      if (!rc) {
        size_t n = sl;
        if (ing->encoding == ROUSE_ENCODING_CP932) {
          if (!(rc = ensure_tasks(ing, 1)) && !(rc = ensure_converters(ing, 1)))
            n = rouse__cp932_to_utf8(ing->cvt[0], buf + pos, sl, sb);
        } else
          memcpy(sb, buf + pos, sl);
        struct rouse_row r = {.f = f, .maxf = (uint32_t)ing->ncols, .scratch = scr};
        const char *p = sb, *e = sb + n;
        bool whole = ing->eof && sl == len - pos;
        while (!rc && p < e && nv < SAMPLE_ROWS) {
          int st;
          const char *q = rouse__csv_row(p, e, ing->delim, whole, &r, &st);
          if (st != ROUSE_ROW_OK) break;
          p = q;
          if (r.nf != (uint32_t)ing->ncols) continue;
          struct rouse_span d = r.f[ing->col[ROUSE_FIELD_DATE]];
          rouse__span_trim(&d);
          if (!d.n) continue;
          vals[nv] = d.p; /* into sb or scr, both alive until detection is done */
          lens[nv++] = d.n;
        }
      }
      if (!rc) {
        rc = rouse__datefmt_detect(vals, lens, nv, &df, err, sizeof err);
        if (rc) set_err(ing, "%s: column '%s': %s", s->name, s->hdr[ROUSE_FIELD_DATE], err);
      }
      rouse__free(sb);
      rouse__free(scr);
      rouse__free(f);
      rouse__free(vals);
      rouse__free(lens);
      if (rc) goto out;
    }
    s->datefmt = df;
    s->info.date_format = s->datefmt.name;
  }

  /*--- blocks ---*/
  for (;;) {
    if ((rc = fill(ing, rd, buf, cap, &len))) goto out;
    if (pos >= len) {
      if (ing->eof) break;
      continue;
    }
    if ((rc = decide_encoding(ing, buf + pos, len - pos))) goto out;
    const char *start = buf + pos, *end = buf + len;
    size_t nt = plan_tasks(ing, start, end);
    if (!nt) {
      rc = ROUSE_NOMEM;
      goto out;
    }
    if (ing->encoding == ROUSE_ENCODING_CP932 && (rc = ensure_converters(ing, nt))) goto out;
    struct parse_job pj = {ing, end, ing->eof};
    rouse__pool_run(ing->pool, nt, parse_task, &pj);
    /* validate speculative starts, re-run where a cut fell inside a quoted field */
    size_t used = nt;
    for (size_t i = 0; i < nt; i++) {
      struct task *t = &ing->tasks[i];
      if (t->fatal) {
        rc = t->fatal;
        set_err(ing, "%s: out of memory", s->name);
        goto out;
      }
      if (t->incomplete) {
        used = i + 1;
        break;
      }
      if (i + 1 < nt && t->end != ing->tasks[i + 1].start) {
        /* the cut fell inside a row: parse the next task again from the true boundary
         * (it may end up empty if this task ran past its whole range) */
        struct task *u = &ing->tasks[i + 1];
        u->start = t->end;
        if (u->stop_at < u->start) u->stop_at = u->start;
        run_task(ing, i + 1, end, ing->eof);
      }
    }
    struct task *last = &ing->tasks[used - 1];
    size_t consumed_to = (size_t)(last->end - buf);
    if (consumed_to == pos && last->incomplete) {
      /* not even one whole row in the buffer: grow it */
      if (ing->eof) { /* cannot happen: at EOF rows are complete */
        rc = ROUSE_PARSE;
        goto out;
      }
      if (cap >= ROUSE_MAX_ROW + ROUSE_BLOCK) {
        uint64_t line = ing->line_base + 1;
        set_err(ing,
                "%s: line %llu: a row longer than %u MiB (a quoted field that is never "
                "closed?)",
                s->name, (unsigned long long)line, ROUSE_MAX_ROW >> 20);
        rc = ROUSE_LIMIT;
        goto out;
      }
      size_t nc = cap * 2;
      char *nb = rouse__realloc(buf, nc + 1);
      if (!nb) {
        rc = ROUSE_NOMEM;
        goto out;
      }
      buf = nb;
      cap = nc;
      continue;
    }
    /* fold into customers, partitions in parallel */
    struct fold_job fj = {ing, used};
    rouse__pool_run(ing->pool, NPART, fold_partition, &fj);
    for (int p = 0; p < NPART; p++)
      if (ing->part[p].err) {
        set_err(ing, "%s: out of memory", s->name);
        rc = ROUSE_NOMEM;
        goto out;
      }
    /* counters, rejects, lines */
    uint64_t nrej = 0;
    for (size_t i = 0; i < used; i++) {
      if (merge_categories(ing, &ing->tasks[i])) {
        set_err(ing, "%s: out of memory", s->name);
        rc = ROUSE_NOMEM;
        goto out;
      }
      counters_add(&ing->k, &ing->tasks[i].k);
      s->info.rows += ing->tasks[i].k.rows;
      nrej += ing->tasks[i].nrej;
    }
    if (nrej) emit_rejects(ing, used);
    for (size_t i = 0; i < used; i++) ing->line_base += ing->tasks[i].lines;
    ing->bytes += consumed_to - pos;
    uint64_t rejected = 0;
    for (int r = 0; r < ROUSE_REJECT_COUNT; r++) rejected += ing->k.rejected_by[r];
    if (ing->o.max_errors >= 0 && rejected > (uint64_t)ing->o.max_errors) {
      set_err(ing, "%s: %llu rows rejected, more than --max-errors %lld", s->name,
              (unsigned long long)rejected, (long long)ing->o.max_errors);
      rc = ROUSE_TOOMANYERRORS;
      goto out;
    }
    if ((rc = report_progress(ing, rd))) goto out;
    /* keep the unconsumed tail */
    memmove(buf, buf + consumed_to, len - consumed_to);
    len -= consumed_to;
    pos = 0;
    if (ing->eof && len == 0) break;
  }
out:
  rouse__free(buf);
  return rc;
}

static struct source *new_source(struct rouse_ingest *ing, const char *name) {
  if (ing->nsrc == ing->capsrc) {
    size_t nc = ing->capsrc ? ing->capsrc * 2 : 4;
    struct source *s = rouse__reallocarray(ing->src, nc, sizeof *s);
    if (!s) return NULL;
    ing->src = s;
    ing->capsrc = nc;
  }
  struct source *s = &ing->src[ing->nsrc];
  memset(s, 0, sizeof *s);
  s->name = rouse__strdup(name);
  if (!s->name) return NULL;
  s->info.name = s->name;
  for (int f = 0; f < ROUSE_FIELD_COUNT; f++) s->info.column[f] = -1;
  s->info.encoding = ing->o.encoding;
  ing->nsrc++;
  return s;
}

static int ingest_reader(rouse_ingest *ing, const char *name, int fd, const void *mem,
                         size_t mem_len, uint64_t total) {
  ing->errmsg[0] = '\0';
  ing->cur = new_source(ing, name);
  if (!ing->cur) return ROUSE_NOMEM;
  struct rouse_reader rd;
  int rc = rouse__reader_open(&rd, fd, mem, mem_len, total);
  if (rc == ROUSE_IO) set_err(ing, "%s: %s", name, rd.errmsg);
  if (!rc) rc = read_source(ing, &rd);
  if (!ing->cur->info.encoding) ing->cur->info.encoding = ROUSE_ENCODING_UTF8;
  rouse__reader_close(&rd);
  if (rc == ROUSE_NOMEM && !ing->errmsg[0]) set_err(ing, "%s: out of memory", name);
  return rc;
}

int rouse_ingest_file(rouse_ingest *ing, const char *path) {
  if (!ing || !path) return ROUSE_MISUSE;
  if (!strcmp(path, "-")) return ingest_reader(ing, "-", 0, NULL, 0, 0);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    set_err(ing, "%s: cannot open: %s", path, strerror(errno));
    return ROUSE_IO;
  }
  struct stat st;
  uint64_t total = 0;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      close(fd);
      set_err(ing, "%s: is a directory", path);
      return ROUSE_IO;
    }
    if (S_ISREG(st.st_mode)) total = (uint64_t)st.st_size;
  }
  int rc = ingest_reader(ing, path, fd, NULL, 0, total);
  close(fd);
  return rc;
}

int rouse_ingest_memory(rouse_ingest *ing, const char *name, const void *data, size_t len) {
  if (!ing || (!data && len)) return ROUSE_MISUSE;
  static const char empty[1];
  return ingest_reader(ing, name ? name : "(memory)", -1, data ? data : empty, len, len);
}

/*=====================================================================
 * Access for rollup.c
 *====================================================================*/
const struct part *rouse__ingest_parts(const rouse_ingest *ing) { return ing->part; }
bool rouse__ingest_has_order(const rouse_ingest *ing) { return ing->any_order; }
bool rouse__ingest_has_amount(const rouse_ingest *ing) { return ing->k.with_amount > 0; }
int32_t rouse__ingest_window_end(const rouse_ingest *ing) { return ing->window_end; }
int32_t rouse__ingest_keep_end(const rouse_ingest *ing) { return ing->keep_end; }
