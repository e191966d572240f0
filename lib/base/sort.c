/* SPDX-License-Identifier: MIT
 * Sorting (key, value) pairs by key: the rollup's customer ids, the segments' ranks. */
#include "base.h"

/* LSD radix sort on key, 8 bits a pass, skipping bytes that are equal in every key. Each pass
 * counts per chunk and scatters per chunk in parallel; chunk offsets come from the counts in
 * chunk order, so the sort is stable and the result does not depend on the thread count. */
#define SORT_CHUNKS 32

struct radix_job {
  const struct rouse_kv *src;
  struct rouse_kv *dst;
  size_t n;
  int shift;
  size_t (*cnt)[256]; /* per chunk: counts, then start offsets */
};

static void chunk_range(size_t n, size_t c, size_t *lo, size_t *hi) {
  *lo = n * c / SORT_CHUNKS;
  *hi = n * (c + 1) / SORT_CHUNKS;
}

static void radix_count(void *arg, size_t c) {
  struct radix_job *j = arg;
  size_t lo, hi;
  chunk_range(j->n, c, &lo, &hi);
  size_t *cnt = j->cnt[c];
  memset(cnt, 0, 256 * sizeof *cnt);
  for (size_t i = lo; i < hi; i++) cnt[(j->src[i].key >> j->shift) & 0xFF]++;
}

static void radix_scatter(void *arg, size_t c) {
  struct radix_job *j = arg;
  size_t lo, hi;
  chunk_range(j->n, c, &lo, &hi);
  size_t *pos = j->cnt[c];
  for (size_t i = lo; i < hi; i++) j->dst[pos[(j->src[i].key >> j->shift) & 0xFF]++] = j->src[i];
}

uint64_t rouse__sort_key_f64(double v) {
  v += 0.0; /* -0 → +0 */
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

int rouse__radix_sort_kv(struct rouse_kv *r, size_t n, struct rouse_pool *pool) {
  if (n < 2) return ROUSE_OK;
  struct rouse_kv *tmp = rouse__reallocarray(NULL, n, sizeof *tmp);
  size_t(*cnt)[256] = rouse__calloc(SORT_CHUNKS, sizeof *cnt);
  if (!tmp || !cnt) {
    rouse__free(tmp);
    rouse__free(cnt);
    return ROUSE_NOMEM;
  }
  /* the bits on which the keys differ: a digit without any is skipped before counting */
  uint64_t all_or = 0, all_and = ~(uint64_t)0;
  for (size_t i = 0; i < n; i++) all_or |= r[i].key, all_and &= r[i].key;
  const uint64_t differ = all_or ^ all_and;
  struct rouse_kv *src = r, *dst = tmp;
  for (int shift = 0; shift < 64; shift += 8) {
    if (!((differ >> shift) & 0xFF)) continue;
    struct radix_job j = {src, dst, n, shift, cnt};
    rouse__pool_run(pool, SORT_CHUNKS, radix_count, &j);
    size_t base = 0;
    bool trivial = false;
    for (int b = 0; b < 256; b++) {
      size_t tot = 0;
      for (size_t c = 0; c < SORT_CHUNKS; c++) {
        size_t k = cnt[c][b];
        cnt[c][b] = base + tot;
        tot += k;
      }
      if (tot == n) trivial = true;
      base += tot;
    }
    if (trivial) continue;
    rouse__pool_run(pool, SORT_CHUNKS, radix_scatter, &j);
    struct rouse_kv *t = src;
    src = dst;
    dst = t;
  }
  if (src != r) memcpy(r, src, n * sizeof *r);
  rouse__free(tmp);
  rouse__free(cnt);
  return ROUSE_OK;
}


/*=====================================================================
 * Selection
 *====================================================================*/
static void insertion_sort_u64(uint64_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint64_t v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

static void sift_down_u64(uint64_t *a, size_t n, size_t i) {
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) return;
    if (c + 1 < n && a[c + 1] > a[c]) c++;
    if (a[i] >= a[c]) return;
    uint64_t t = a[i];
    a[i] = a[c];
    a[c] = t;
    i = c;
  }
}

static void heap_sort_u64(uint64_t *a, size_t n) { /* the worst-case bound of the select */
  for (size_t i = n / 2; i-- > 0;) sift_down_u64(a, n, i);
  for (size_t e = n; e > 1; e--) {
    uint64_t t = a[0];
    a[0] = a[e - 1];
    a[e - 1] = t;
    sift_down_u64(a, e - 1, 0);
  }
}

static uint64_t median3(uint64_t x, uint64_t y, uint64_t z) {
  if (x > y) {
    uint64_t t = x;
    x = y;
    y = t;
  }
  return z < x ? x : z > y ? y : z;
}

uint64_t rouse__select_u64_budget(uint64_t *a, size_t n, size_t k, int budget) {
  size_t lo = 0, hi = n; /* the k-th is in a[lo, hi) */
  while (hi - lo > 16) {
    if (budget-- == 0) {
      heap_sort_u64(a + lo, hi - lo);
      return a[k];
    }
    uint64_t pv = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
    /* three-way (Dijkstra): [lo, lt) < pv, [lt, i) == pv, (gt, hi) > pv */
    size_t lt = lo, i = lo, gt = hi;
    while (i < gt) {
      uint64_t v = a[i];
      if (v < pv) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pv) {
        a[i] = a[--gt];
        a[gt] = v;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt;
    else if (k >= gt) lo = gt;
    else return pv;
  }
  insertion_sort_u64(a + lo, hi - lo);
  return a[k];
}

uint64_t rouse__select_u64(uint64_t *a, size_t n, size_t k) {
  return rouse__select_u64_budget(a, n, k, 128); /* splits before the sort takes over */
}
