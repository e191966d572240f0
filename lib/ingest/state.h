/* SPDX-License-Identifier: MIT
 * Per-customer accumulator state shared by the ingest engine (ingest.c, which fills it) and
 * the rollup (rollup.c, which turns it into summary columns). Private to lib/ingest. */
#ifndef ROUSE_INGEST_STATE_H
#define ROUSE_INGEST_STATE_H

#include "ingest.h"

#define NPART 256       /* customer partitions (fixed: results do not depend on it) */
#define DAY_BIAS 65536  /* entries store day + DAY_BIAS as an unsigned 31-bit number */

enum rec_kind { K_PURCHASE = 0, K_RETURN = 1, K_CANCEL = 2 };

/* One parsed row, 48 bytes. Ids longer than 16 bytes are found through id_off: an offset
 * into the task's text (or its scratch buffer when id_in_scratch). */
struct rec {
  uint64_t hash;
  uint64_t k[2];  /* the id's first 16 bytes, zero-padded (the whole id when id_len <= 16) */
  int64_t amount_e4;
  int32_t day;
  uint32_t order_hash; /* entry key's low 32 bits: order id hash | ENTRY_ORDER_BIT, or 1 */
  uint32_t id_off;
  uint16_t id_len;
  uint8_t kind;
  uint8_t has_amount : 1, id_in_scratch : 1;
};
_Static_assert(sizeof(struct rec) == 48, "struct rec is 48 bytes");

/*=====================================================================
 * Per-customer state, owned by a partition
 *====================================================================*/
#define CUST_UNSORTED 1u
#define CUST_ACCEPTED 2u /* has an accepted (not cancelled) row before the window end */
#define CUST_INLINE_EV 5 /* entries kept inside the struct before spilling to the pool */

/* One entry of a customer's list: a 64-bit key and a 64-bit value (docs/design/ingest.md).
 *   key = (day + DAY_BIAS) << 33 | cancelled << 32 | low32, where low32 is
 *     >= 2^31      an order: the order id's hash with bit 31 set;
 *     1 .. 2^31-1  rows without an order id on that day: low32 is their number (saturating);
 *     0            (cancelled = 0 only) the day's return rows.
 *   val = purchase entries before the window end: the sum of their rows' amounts; return
 *     entries: the returned amount (positive); cancellations and holdout purchases: 0.
 * Entries with the same key merge (values add); so do two row-count entries of the same day
 * and flag (their counts add). A list is sorted by key with unique merge classes, unless the
 * customer is flagged CUST_UNSORTED. */
struct ent {
  uint64_t key;
  int64_t val;
};

struct cust {
  uint32_t hash_lo;     /* low 32 bits of the id hash: home slot and slot tag */
  uint16_t id_len;
  uint16_t flags;       /* CUST_UNSORTED: entries were appended out of order */
  uint64_t k[2];        /* the id's first 16 bytes, zero-padded */
  uint32_t id_off;      /* into part.str */
  uint32_t ev_off;      /* entries after the first CUST_INLINE_EV: a block of part.ev */
  uint32_t ev_n;        /* entries; sorted and merged unless CUST_UNSORTED (the rollup sorts a
                           copy of flagged lists) */
  uint32_t ev_cap;      /* entries the block at ev_off holds (0: none, all are in inl[]) */
  int32_t first_day;    /* first purchase day before the window end (INT32_MAX: none) */
  uint32_t win_rows;    /* accepted or cancelled rows before the window end */
  struct ent inl[CUST_INLINE_EV];
};
/* two cache lines exactly; the arrays are 64-byte aligned (part.c_mem holds the allocation) */
_Static_assert(sizeof(struct cust) == 128, "struct cust must stay two cache lines");

struct part {
  struct cust *c;  /* 64-byte aligned view of c_mem */
  void *c_mem;
  uint32_t n, cap;
  uint32_t n_win;  /* customers with an accepted row before the window end */
  uint64_t *slot; /* open addressing: hash tag << 32 | customer index + 1; 0 = empty */
  uint32_t nslot; /* power of two */
  char *str;
  size_t str_len, str_cap;
  struct ent *ev;
  size_t ev_len, ev_cap; /* in entries */
  uint32_t freelist[64]; /* per size class (ev_class): offset + 1 of a free block */
  int err;               /* ROUSE_NOMEM if an allocation failed in the fold */
};


/* Sort entries by key and merge those of one class (rouse__entry_same) in place, without
 * allocating; returns the new length. The _split form sorts the list a[0..na) followed by
 * b[0..n - na) (a customer's inline entries and its spilled block) as one. */
uint32_t rouse__sort_merge_ent(struct ent *e, uint32_t n);
uint32_t rouse__sort_merge_ent_split(struct ent *a, uint32_t na, struct ent *b, uint32_t n);

/* Rollup (rollup.c): the customers with a purchase before as_of, sorted by id, ready to be
 * turned into summary rows block by block (rouse_summary_build, the streaming CSV writer). */
#define ROUSE_ROLLUP_BLOCK 65536
struct rouse_rollup {
  const struct part *parts;
  struct rouse_kv *refs;  /* sorted customers */
  size_t n;
  uint64_t without;  /* customers with rows before as_of but no purchase */
  bool has_order, has_amount;
  bool timing_only;  /* rouse_summary_opts.timing_only: amount columns left 0 / NaN */
  int32_t as_of, holdout_end;
  int32_t split_day; /* INT32_MIN or the day the before_* columns count up to */
  int unit_days;
  int32_t first_day; /* earliest accepted row: bounds every purchase date from below */
};
/* The as-of date a summary with rouse_summary_opts.as_of = as_of has (INT32_MIN: the window
 * end, or the day after the last row). @return ROUSE_OK, ROUSE_EMPTY (no rows), ROUSE_MISUSE
 * (after the window end). */
int rouse__summary_as_of(const rouse_ingest *ing, int32_t as_of, int32_t *out);
int rouse__rollup_prepare(const rouse_ingest *ing, const rouse_summary_opts *o, int n_threads,
                          struct rouse_rollup *r);
void rouse__rollup_release(struct rouse_rollup *r);
int rouse__rollup_alloc_columns(rouse_summary *s, size_t n, bool holdout, bool split);
void rouse__rollup_free_columns(rouse_summary *s); /* the arrays only, not ids' blobs */
/* hist: NULL, or ROUSE_INTERVAL_HIST_LEN counters the rows' intervals are added to */
int rouse__rollup_fill(const struct rouse_rollup *r, size_t lo, size_t hi, rouse_summary *s,
                       char **blob_out, uint64_t *hist);

/* Order of customer ids in outputs (rollup.c): digit strings first, numerically. */
int rouse__id_compare(const char *a, size_t na, const char *b, size_t nb);

/* A customer's entries are inl[0 .. min(ev_n, CUST_INLINE_EV)) followed by the spilled
 * ones, P->ev[ev_off .. ev_off + rouse__cust_spilled(c)). */
static inline uint32_t rouse__cust_spilled(const struct cust *c) {
  return c->ev_n > CUST_INLINE_EV ? c->ev_n - CUST_INLINE_EV : 0;
}
static inline uint32_t rouse__cust_inline(const struct cust *c) {
  return c->ev_n < CUST_INLINE_EV ? c->ev_n : CUST_INLINE_EV;
}
static inline const struct ent *rouse__cust_tail(const struct part *P, const struct cust *c) {
  return P->ev + c->ev_off;
}

/* Categories (category.c): a purchase row's customer (id hash, as rec.hash), category (name
 * hash | 1) and day, in input order; names by hash in an open-addressing table. */
#define ROUSE_MAX_CATEGORIES 4096   /* more distinct names than this: not categories */
#define ROUSE_MAX_CATEGORY_NAME 512 /* longer names are ignored (no category) */
struct rouse_catrow {
  uint64_t cust, cat;
  int32_t day;
};
struct rouse_catname {
  uint64_t hash; /* 0: empty slot */
  size_t off;    /* into the names' text (NUL-terminated) */
  size_t len;
};
struct rouse_catinfo {
  const struct rouse_catrow *rows;
  size_t n_rows;
  const struct rouse_catname *names;
  size_t names_cap, n_names;
  const char *str;
  bool overflow;
};
void rouse__ingest_categories(const rouse_ingest *ing, struct rouse_catinfo *out);


/* Accessors for rollup.c */
const struct part *rouse__ingest_parts(const rouse_ingest *ing);
bool rouse__ingest_has_order(const rouse_ingest *ing);
bool rouse__ingest_has_amount(const rouse_ingest *ing);
int32_t rouse__ingest_window_end(const rouse_ingest *ing);
int32_t rouse__ingest_keep_end(const rouse_ingest *ing);

#define ENTRY_ORDER_BIT 0x80000000u /* in an order entry's low 32 bits */
#define ENTRY_ROWS_MAX 0x7FFFFFFFu  /* row-count entries saturate here */

static inline uint64_t rouse__entry_key(int32_t day, bool cancel, uint32_t low32) {
  return ((uint64_t)(uint32_t)(day + DAY_BIAS) << 33) | ((uint64_t)cancel << 32) | low32;
}
static inline int32_t rouse__entry_day(uint64_t key) { return (int32_t)(key >> 33) - DAY_BIAS; }
static inline bool rouse__entry_cancel(uint64_t key) { return (key >> 32) & 1u; }
/* the day's return rows (not a purchase, not a cancellation) */
static inline bool rouse__entry_return(uint64_t key) { return (key & 0x1FFFFFFFFull) == 0; }
/* rows without an order id: low32 counts them */
static inline bool rouse__entry_is_rows(uint64_t key) {
  return (uint32_t)key - 1u < ENTRY_ROWS_MAX;
}
/* rows behind a purchase or cancellation entry: the count, or 1 for an order */
static inline uint32_t rouse__entry_rows(uint64_t key) {
  return rouse__entry_is_rows(key) ? (uint32_t)key : 1u;
}
/* do two keys belong to one entry (merge on insertion and normalisation)? */
static inline bool rouse__entry_same(uint64_t a, uint64_t b) {
  return a == b || ((a >> 32) == (b >> 32) && rouse__entry_is_rows(a) && rouse__entry_is_rows(b));
}
/* merge b into a (rouse__entry_same(a->key, b->key)) */
static inline void rouse__entry_merge(struct ent *a, const struct ent *b) {
  a->val += b->val;
  if (rouse__entry_is_rows(a->key)) { /* (else a->key == b->key) */
    uint64_t n = (uint64_t)(uint32_t)a->key + (uint32_t)b->key;
    a->key = (a->key & ~0xFFFFFFFFull) | (n < ENTRY_ROWS_MAX ? n : ENTRY_ROWS_MAX);
  }
}

#endif
