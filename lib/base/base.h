/* SPDX-License-Identifier: MIT
 * Private base layer of librouse: allocation through the seam, overflow-checked sizes,
 * a growable NUL-terminated byte buffer with a size cap, hashing and the job pool.
 * Every other module depends on this; it depends on libc only (and pthreads). */
#ifndef ROUSE_BASE_H
#define ROUSE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rouse/rouse.h"

#if defined(__GNUC__)
#define ROUSE_LIKELY(x) __builtin_expect(!!(x), 1)
#define ROUSE_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ROUSE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ROUSE_UNUSED __attribute__((unused))
#else
#define ROUSE_LIKELY(x) (x)
#define ROUSE_UNLIKELY(x) (x)
#define ROUSE_PRINTF(a, b)
#define ROUSE_UNUSED
#endif

/* Unit tests reach file-local functions through ROUSE_TESTABLE (static in release builds). */
#ifdef ROUSE_TESTING
#define ROUSE_TESTABLE
#else
#define ROUSE_TESTABLE static
#endif

#define ROUSE_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*---------------------------------------------------------------------
 * Allocation (all library memory goes through these)
 *--------------------------------------------------------------------*/
void *rouse__malloc(size_t n);
void *rouse__calloc(size_t n, size_t size); /* zeroed, overflow-checked */
void *rouse__realloc(void *p, size_t n);
void rouse__free(void *p);
char *rouse__strdup(const char *s);
char *rouse__strndup(const char *s, size_t n);
/* realloc to n * size with overflow check; on failure p is untouched and NULL returned */
void *rouse__reallocarray(void *p, size_t n, size_t size);

/* a*b and a+b with overflow detection: return false on overflow */
static inline bool rouse__mul_size(size_t a, size_t b, size_t *out) {
  return !__builtin_mul_overflow(a, b, out);
}
static inline bool rouse__add_size(size_t a, size_t b, size_t *out) {
  return !__builtin_add_overflow(a, b, out);
}

/*---------------------------------------------------------------------
 * rouse_buf: growable byte buffer, always NUL-terminated, with a size cap (`toobig`).
 * Invariants (git strbuf): buf[len] == '\0'; len < cap when cap > 0; an empty buffer points
 * to a static "" and owns nothing.
 *--------------------------------------------------------------------*/
struct rouse_buf {
  char *buf;
  size_t len;
  size_t cap;
  size_t toobig; /* growing to len >= toobig fails with ROUSE_LIMIT; 0 = SIZE_MAX */
};

void rouse__buf_init(struct rouse_buf *b, size_t toobig);
void rouse__buf_release(struct rouse_buf *b);
int rouse__buf_grow(struct rouse_buf *b, size_t extra);
int rouse__buf_add(struct rouse_buf *b, const void *p, size_t n);
int rouse__buf_addc(struct rouse_buf *b, char c);
int rouse__buf_adds(struct rouse_buf *b, const char *s);
int rouse__buf_printf(struct rouse_buf *b, const char *fmt, ...) ROUSE_PRINTF(2, 3);
int rouse__buf_vprintf(struct rouse_buf *b, const char *fmt, va_list ap) ROUSE_PRINTF(2, 0);
static inline void rouse__buf_reset(struct rouse_buf *b) {
  if (b->cap) {
    b->len = 0;
    b->buf[0] = '\0';
  }
}

/*---------------------------------------------------------------------
 * Hashing: a fast non-cryptographic 64-bit hash for ids (deterministic across runs).
 *--------------------------------------------------------------------*/
uint64_t rouse__hash64(const void *p, size_t n);

/* Customer ids (borrowed NUL-terminated strings; the caller keeps them alive) to an int32:
 * an open-addressing table on rouse__hash64 for up to the n ids given at init. put keeps the
 * first value of an id; get looks up the len bytes at id. */
struct rouse_idslot {
  uint64_t hash; /* 0: empty */
  const char *id;
  size_t len;
  int32_t val;
};
struct rouse_idmap {
  struct rouse_idslot *slot;
  size_t mask;
};
int rouse__idmap_init(struct rouse_idmap *m, size_t n); /* ROUSE_OK or ROUSE_NOMEM */
void rouse__idmap_put(struct rouse_idmap *m, const char *id, int32_t val);
bool rouse__idmap_get(const struct rouse_idmap *m, const char *id, size_t len, int32_t *val);
void rouse__idmap_free(struct rouse_idmap *m);

/*---------------------------------------------------------------------
 * Job pool: run fn(arg, i) for i in [0, n_tasks) on up to n_threads threads (the caller's
 * thread included). Tasks are handed out in order; there is no result ordering, so callers
 * that reduce must combine per-task results in task order afterwards.
 *--------------------------------------------------------------------*/
struct rouse_pool;
typedef void (*rouse_task_fn)(void *arg, size_t i);
int rouse__pool_new(int n_threads, struct rouse_pool **out);
void rouse__pool_free(struct rouse_pool *p);

/* (key, value) pairs sorted by key ascending, stably: an LSD radix sort on 8-bit digits that
 * skips the digits every key shares, counted and scattered in chunks on the pool (may be NULL:
 * serial); the result does not depend on the thread count. @return ROUSE_OK, ROUSE_NOMEM */
struct rouse_kv {
  uint64_t key;
  uint64_t val;
};
int rouse__radix_sort_kv(struct rouse_kv *r, size_t n, struct rouse_pool *pool);
/* a radix key for a double, ascending in v (-0 equal to +0; NaN not allowed); ~key sorts
 * descending */
uint64_t rouse__sort_key_f64(double v);
/* The k-th smallest of a[0..n) (k < n, 0-based), in expected linear time: a quickselect
 * (median-of-three pivots, three-way partitions for runs of equal keys) that sorts what is
 * left once it has split too often. Reorders a. A value, so the same for any algorithm. */
uint64_t rouse__select_u64(uint64_t *a, size_t n, size_t k);
/* the same with `budget` splits before the sort takes over (tests reach the fallback) */
uint64_t rouse__select_u64_budget(uint64_t *a, size_t n, size_t k, int budget);
int rouse__pool_threads(const struct rouse_pool *p);
void rouse__pool_run(struct rouse_pool *p, size_t n_tasks, rouse_task_fn fn, void *arg);
/* number of online CPUs, at least 1 */
int rouse__cpu_count(void);
/* 0 -> cpu count; clamps to [1, 64] */
int rouse__resolve_threads(int n_threads);

/*---------------------------------------------------------------------
 * Calendar (inline for the parsers' hot path; the public rouse_date_* wrap these)
 *--------------------------------------------------------------------*/
/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static inline int32_t rouse__days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* 1 if year 1..9999, month 1..12 and day within the month */
static inline int rouse__date_valid(int y, int m, int d) {
  static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return 0;
  if (d <= 28) return 1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

/*---------------------------------------------------------------------
 * UTF-8 helpers
 *--------------------------------------------------------------------*/
/* true if [p, p+n) is valid UTF-8 without NUL bytes */
bool rouse__utf8_valid(const unsigned char *p, size_t n);

#endif /* ROUSE_BASE_H */
