/* SPDX-License-Identifier: MIT
 * Sorting helpers of lib/base/sort.c: the selection (rouse__select_u64) against a full sort
 * at every k on small inputs and at sampled k on large ones, over random, equal, few-valued,
 * sorted, reversed and organ-pipe inputs, also with its fallback sort taking over after a
 * few splits; the radix sort's order and stability; the double keys' order. */
#include <stdlib.h>

#include "base/base.h"
#include "harness.h"

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static uint64_t rng(uint64_t *z) {
  *z = *z * 6364136223846793005ull + 1442695040888963407ull;
  return *z >> 11;
}

enum { SHAPES = 7 };
static void fill(uint64_t *a, size_t n, int shape, uint64_t *z) {
  for (size_t i = 0; i < n; i++) {
    switch (shape) {
      case 0: a[i] = rng(z) | ((uint64_t)1 << 63) * (rng(z) & 1); break; /* full range */
      case 1: a[i] = 42; break;                                           /* all equal */
      case 2: a[i] = rng(z) % 3; break;                                   /* few values */
      case 3: a[i] = i; break;                                            /* sorted */
      case 4: a[i] = n - i; break;                                        /* reversed */
      case 5: a[i] = i < n / 2 ? i : n - i; break;                        /* organ pipe */
      default: a[i] = UINT64_MAX - rng(z) % 5; break;                     /* top of the range */
    }
  }
}

static void check_select(const uint64_t *src, size_t n, size_t step, int budget,
                         const char *what) {
  uint64_t *sorted = malloc(n * sizeof *sorted), *work = malloc(n * sizeof *work);
  memcpy(sorted, src, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_u64);
  size_t bad = 0;
  for (size_t k = 0; k < n; k += step) {
    memcpy(work, src, n * sizeof *work);
    uint64_t got = budget < 0 ? rouse__select_u64(work, n, k)
                              : rouse__select_u64_budget(work, n, k, budget);
    bad += got != sorted[k];
    if (k == 0 || n < 300) { /* and a[] is a permutation of the input */
      qsort(work, n, sizeof *work, cmp_u64);
      bad += memcmp(work, sorted, n * sizeof *work) != 0;
    }
  }
  if (n) { /* the last position too */
    memcpy(work, src, n * sizeof *work);
    bad += rouse__select_u64(work, n, n - 1) != sorted[n - 1];
  }
  printf("# select %s n %zu: %zu wrong\n", what, n, bad);
  CHECK_EQ_INT(bad, 0);
  free(sorted);
  free(work);
}

static void test_select(void) {
  uint64_t z = 7;
  static const size_t small[] = {1, 2, 3, 5, 16, 17, 18, 31, 100, 257};
  uint64_t *a = malloc(100000 * sizeof *a);
  for (int sh = 0; sh < SHAPES; sh++) {
    for (size_t t = 0; t < ROUSE_ARRAY_SIZE(small); t++) {
      fill(a, small[t], sh, &z);
      check_select(a, small[t], 1, -1, "small");
    }
    fill(a, 100000, sh, &z);
    check_select(a, 100000, 19997, -1, "large");
    /* the fallback sort after 0, 1 and 3 splits */
    for (int b = 0; b < 4; b += 1 + (b == 1)) check_select(a, 3000, 7, b, "fallback");
  }
  free(a);
}

static void test_radix(void) {
  enum { N = 5000 };
  static struct rouse_kv kv[N];
  uint64_t z = 11;
  for (size_t i = 0; i < N; i++) kv[i].key = rng(&z) % 50 << (8 * (i % 3)), kv[i].val = i;
  CHECK_EQ_INT(rouse__radix_sort_kv(kv, N, NULL), ROUSE_OK);
  size_t bad = 0;
  for (size_t i = 1; i < N; i++)
    bad += kv[i - 1].key > kv[i].key || (kv[i - 1].key == kv[i].key && kv[i - 1].val > kv[i].val);
  CHECK_EQ_INT(bad, 0); /* ascending, equal keys in input order */
  static const double v[] = {-1e300, -2.5, -1e-300, -0.0, 0.0, 1e-300, 1, 3.5, 1e300};
  for (size_t i = 1; i < ROUSE_ARRAY_SIZE(v); i++)
    CHECK(rouse__sort_key_f64(v[i - 1]) <= rouse__sort_key_f64(v[i]));
  CHECK(rouse__sort_key_f64(-0.0) == rouse__sort_key_f64(0.0));
  CHECK(rouse__sort_key_f64(-2.5) < rouse__sort_key_f64(-1e-300));
}

int main(void) {
  test_select();
  test_radix();
  return done_testing();
}
