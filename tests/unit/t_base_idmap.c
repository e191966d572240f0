/* SPDX-License-Identifier: MIT
 * rouse__idmap (lib/base/idmap.c): ids to values, the first value of a repeated id kept,
 * lookups by length (an id's prefix is another id), misses, and 20,000 ids in a table of
 * 65,536 slots (collisions on the probe sequence) against a direct index of the ids. */
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"
#include "harness.h"

int main(void) {
  struct rouse_idmap m;
  CHECK_EQ_INT(rouse__idmap_init(&m, 4), ROUSE_OK);
  rouse__idmap_put(&m, "abc", 1);
  rouse__idmap_put(&m, "ab", 2);
  rouse__idmap_put(&m, "abc", 3); /* repeated: the first value stays */
  int32_t v = 0;
  CHECK(rouse__idmap_get(&m, "abc", 3, &v) && v == 1);
  CHECK(rouse__idmap_get(&m, "abcdef", 2, &v) && v == 2); /* the first 2 bytes: "ab" */
  CHECK(!rouse__idmap_get(&m, "a", 1, &v));
  CHECK(!rouse__idmap_get(&m, "abd", 3, &v));
  rouse__idmap_free(&m);

  enum { N = 20000, M = 30011 }; /* i -> 7 i mod M: distinct ids "c<7i mod M>" */
  static char ids[N][16];
  static int want_of[M];
  for (int q = 0; q < M; q++) want_of[q] = -1;
  CHECK_EQ_INT(rouse__idmap_init(&m, N), ROUSE_OK);
  for (int i = 0; i < N; i++) {
    snprintf(ids[i], sizeof ids[i], "c%d", i * 7 % M);
    want_of[i * 7 % M] = i;
    rouse__idmap_put(&m, ids[i], i);
  }
  size_t bad = 0;
  for (int q = 0; q < M; q++) {
    char key[16];
    snprintf(key, sizeof key, "c%d", q);
    int want = want_of[q];
    int32_t got = -1;
    bool found = rouse__idmap_get(&m, key, strlen(key), &got);
    bad += found != (want >= 0) || (found && got != want);
  }
  printf("# %d lookups, %zu wrong\n", M, bad);
  CHECK_EQ_INT(bad, 0);
  rouse__idmap_free(&m);
  return done_testing();
}
