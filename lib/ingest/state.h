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
  uint32_t order_hash;
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

struct cust {
  uint64_t hash;
  uint64_t k[2];        /* the id's first 16 bytes, zero-padded */
  uint32_t id_off;      /* into part.str */
  uint16_t id_len;
  uint16_t flags;       /* CUST_UNSORTED: entries were appended out of order */
  uint32_t ev_off;      /* spilled entry list in part.ev (when ev_cap > 0) */
  uint32_t ev_n;        /* entries (entry_key); sorted and unique unless CUST_UNSORTED (the
                           rollup sorts a copy of flagged lists) */
  uint32_t ev_cap;      /* 0: the entries are in inl[] */
  int32_t first_day;    /* first purchase day before the window end (INT32_MAX: none) */
  uint32_t win_rows;    /* accepted rows before the window end */
  uint32_t pos_rows;    /* purchase rows before the window end */
  uint32_t cancel_rows; /* cancelled rows before the window end */
  uint32_t pad2_;
  int64_t first_gross;  /* purchases on first_day */
  int64_t gross;        /* purchases before the window end */
  int64_t returned;     /* returns before the window end (positive) */
  uint64_t inl[CUST_INLINE_EV];
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
  uint64_t *ev;
  size_t ev_len, ev_cap;
  uint32_t freelist[64]; /* per size class (ev_class): offset + 1 of a free block */
  int err;               /* ROUSE_NOMEM if an allocation failed in the fold */
};


/* Sort ascending and drop duplicates in place, without allocating; returns the new length. */
uint32_t rouse__sort_unique_u64(uint64_t *e, uint32_t n);

/* Rollup (rollup.c): the customers with a purchase before as_of, sorted by id, ready to be
 * turned into summary rows block by block (rouse_summary_build, the streaming CSV writer). */
#define ROUSE_ROLLUP_BLOCK 65536
struct rouse_rollup {
  const struct part *parts;
  struct ref *refs;  /* sorted customers */
  size_t n;
  uint64_t without;  /* customers with rows before as_of but no purchase */
  bool has_order, has_amount;
  bool timing_only;  /* a snapshot before the window end: no amounts, counts from entries */
  int32_t as_of, holdout_end;
  int unit_days;
  int32_t first_day; /* earliest accepted row: bounds every purchase date from below */
};
int rouse__rollup_prepare(const rouse_ingest *ing, const rouse_summary_opts *o, int n_threads,
                          struct rouse_rollup *r);
void rouse__rollup_release(struct rouse_rollup *r);
int rouse__rollup_alloc_columns(rouse_summary *s, size_t n, bool holdout);
void rouse__rollup_free_columns(rouse_summary *s); /* the arrays only, not ids' blobs */
/* hist: NULL, or ROUSE_INTERVAL_HIST_LEN counters the rows' intervals are added to */
int rouse__rollup_fill(const struct rouse_rollup *r, size_t lo, size_t hi, rouse_summary *s,
                       char **blob_out, uint64_t *hist);

/* Order of customer ids in outputs (rollup.c): digit strings first, numerically. */
int rouse__id_compare(const char *a, size_t na, const char *b, size_t nb);

static inline const uint64_t *rouse__cust_entries(const struct part *P, const struct cust *c) {
  return c->ev_cap ? P->ev + c->ev_off : c->inl;
}

/* Accessors for rollup.c */
const struct part *rouse__ingest_parts(const rouse_ingest *ing);
bool rouse__ingest_has_order(const rouse_ingest *ing);
bool rouse__ingest_has_amount(const rouse_ingest *ing);
int32_t rouse__ingest_window_end(const rouse_ingest *ing);
int32_t rouse__ingest_keep_end(const rouse_ingest *ing);

static inline int32_t rouse__entry_day(uint64_t key) { return (int32_t)(key >> 33) - DAY_BIAS; }
static inline bool rouse__entry_cancel(uint64_t key) { return (key >> 32) & 1u; }

#endif
