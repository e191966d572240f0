/* SPDX-License-Identifier: MIT
 * A small, fast 64-bit hash for short keys (customer and order ids). Eight bytes at a time,
 * multiply-xorshift mixing, and a final avalanche (the murmur3 finaliser). Deterministic on
 * every platform (little-endian loads are assembled explicitly). Not for adversarial keys:
 * hash tables that use it also compare the keys. */
#include "base.h"

static inline uint64_t load64(const unsigned char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t rouse__hash64(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0x100000001b3ULL);
  while (n >= 8) {
    h = (h ^ load64(p)) * 0x87c37b91114253d5ULL;
    h = (h << 31) | (h >> 33);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < n; i++) tail |= (uint64_t)p[i] << (8 * i);
  h = (h ^ tail) * 0x4cf5ad432745937fULL;
  return mix(h);
}
