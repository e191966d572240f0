/* SPDX-License-Identifier: MIT
 * The in-place sort+merge behind customers' entry lists, against qsort + a plain merge pass
 * on random inputs of every small size and some large ones (heapsort path), with order
 * entries: equal keys merge and their values add up. (Row-count entries, returns and
 * split lists: t_ingest_snapshots.) */
#include <stdlib.h>

#include "harness.h"
#include "ingest/state.h"

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* an order entry whose key orders like v (v < 2^31) */
static uint64_t okey(uint64_t v) { return v << 32 | ENTRY_ORDER_BIT; }

static int check(uint32_t n, uint64_t range) {
  struct ent *a = malloc((n + 1) * sizeof *a);
  uint64_t *b = malloc((n + 1) * sizeof *b);
  for (uint32_t i = 0; i < n; i++) {
    b[i] = next() % range;
    a[i].key = okey(b[i]);
    a[i].val = 1;
  }
  qsort(b, n, sizeof *b, cmp_u64);
  uint32_t m = 0;
  int64_t cnt[1024];
  int ok = 1;
  for (uint32_t i = 0; i < n; i++) {
    if (m == 0 || b[i] != b[m - 1]) {
      b[m++] = b[i];
      if (m <= 1024) cnt[m - 1] = 0;
    }
    if (m <= 1024) cnt[m - 1]++;
  }
  uint32_t k = rouse__sort_merge_ent(a, n);
  ok = k == m;
  for (uint32_t i = 0; ok && i < m; i++)
    ok = a[i].key == okey(b[i]) && (i >= 1024 || a[i].val == cnt[i]);
  free(a);
  free(b);
  return ok;
}

int main(void) {
  int all = 1;
  for (uint32_t n = 0; n <= 100; n++) all &= check(n, 1u << 20) & check(n, 7);
  CHECK(all); /* every size 0..100, with and without duplicates */
  CHECK(check(1000, 1000));
  CHECK(check(100000, 1ull << 31));
  CHECK(check(100000, 50));
  struct ent rev[64];
  for (int i = 0; i < 64; i++) rev[i] = (struct ent){okey((uint64_t)(64 - i / 2)), i};
  CHECK_EQ_INT(rouse__sort_merge_ent(rev, 64), 32);
  CHECK(rev[0].key == okey(33));
  CHECK_EQ_INT(rev[0].val, 62 + 63);
  CHECK(rev[31].key == okey(64));
  CHECK_EQ_INT(rev[31].val, 0 + 1);
  struct ent one[1] = {{okey(5), 7}};
  CHECK_EQ_INT(rouse__sort_merge_ent(one, 1), 1);
  CHECK_EQ_INT(one[0].val, 7);
  return done_testing();
}
