/* SPDX-License-Identifier: MIT
 * Shared bits of the fuzz targets (zstd tests/fuzz/fuzz.h style). Each fuzz_<target>.c
 * defines LLVMFuzzerTestOneInput; it is linked either with libFuzzer (clang,
 * -Dfuzzers=true) or with regression_driver.c, which replays files through it so the same
 * targets run as plain tests with any compiler. A violated invariant aborts via FUZZ_ASSERT,
 * which libFuzzer reports as a crash and the replay test as a failure. */
#ifndef ROUSE_FUZZ_H
#define ROUSE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                           \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                                      \
    }                                                                               \
  } while (0)

/* Copy of the input that ends exactly at size (so ASan catches any read past it, which a
 * pointer into libFuzzer's own buffer would too, but a replayed file buffer might not). */
static inline char *fuzz_dup(const uint8_t *data, size_t size) {
  char *p = malloc(size ? size : 1);
  if (!p) abort();
  for (size_t i = 0; i < size; i++) p[i] = (char)data[i];
  return p;
}

#endif
