/* SPDX-License-Identifier: MIT
 * The in-place sort+dedupe behind customers' entry lists, against qsort + a plain unique
 * pass on random inputs of every small size and some large ones (heapsort path). */
#include <stdlib.h>

#include "harness.h"

#include <stdint.h>

uint32_t rouse__sort_unique_u64(uint64_t *e, uint32_t n);

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

static int check(uint32_t n, uint64_t range) {
  uint64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
  for (uint32_t i = 0; i < n; i++) a[i] = b[i] = next() % range;
  qsort(b, n, sizeof *b, cmp_u64);
  uint32_t m = 0;
  for (uint32_t i = 0; i < n; i++)
    if (m == 0 || b[i] != b[m - 1]) b[m++] = b[i];
  uint32_t k = rouse__sort_unique_u64(a, n);
  int ok = k == m && (m == 0 || !memcmp(a, b, m * sizeof *a));
  free(a);
  free(b);
  return ok;
}

int main(void) {
  int all = 1;
  for (uint32_t n = 0; n <= 100; n++) all &= check(n, 1u << 20) & check(n, 7);
  CHECK(all); /* every size 0..100, with and without duplicates */
  CHECK(check(1000, 1000));
  CHECK(check(100000, 1ull << 40));
  CHECK(check(100000, 50));
  uint64_t rev[64];
  for (int i = 0; i < 64; i++) rev[i] = (uint64_t)(64 - i / 2);
  CHECK_EQ_INT(rouse__sort_unique_u64(rev, 64), 32);
  CHECK_EQ_INT(rev[0], 33);
  CHECK_EQ_INT(rev[31], 64);
  uint64_t one[1] = {5};
  CHECK_EQ_INT(rouse__sort_unique_u64(one, 1), 1);
  return done_testing();
}
