/* SPDX-License-Identifier: MIT
 * rouse-gen: pseudo-random numbers and samplers. xoshiro256** (Blackman & Vigna) seeded
 * with splitmix64; uniform, exponential, normal (Marsaglia polar), gamma (Marsaglia & Tsang
 * 2000, with the U^(1/k) boost for shape < 1), beta (two gammas). Everything here is
 * deterministic given the seed: no global state, no time, no threads. */
#include <math.h>

#include "gen.h"

uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t mix64(uint64_t a, uint64_t b) {
  uint64_t x = a ^ (b * 0xD1B54A32D192ED03ull);
  uint64_t h = splitmix64(&x);
  return h ^ splitmix64(&x);
}

void rng_seed(rng_t *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
  if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1;
  r->has_spare = 0;
  r->spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(rng_t *r) {
  uint64_t *s = r->s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* uniform on the open interval (0, 1): never 0, never 1 */
double rng_unif(rng_t *r) { return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53; }

/* uniform integer in [0, n), n > 0 (Lemire's multiply-shift, rejection for exactness) */
uint32_t rng_below(rng_t *r, uint32_t n) {
  uint64_t m = (rng_next(r) >> 32) * (uint64_t)n;
  uint32_t lo = (uint32_t)m;
  if (lo < n) {
    uint32_t t = (uint32_t)(-n) % n;
    while (lo < t) {
      m = (rng_next(r) >> 32) * (uint64_t)n;
      lo = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

double rng_exp(rng_t *r) { return -log(rng_unif(r)); }

double rng_normal(rng_t *r) {
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u, v, s;
  do {
    u = 2.0 * rng_unif(r) - 1.0;
    v = 2.0 * rng_unif(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double f = sqrt(-2.0 * log(s) / s);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

/* Gamma(shape, scale 1) */
double rng_gamma(rng_t *r, double shape) {
  if (shape < 1.0) {
    /* G(k) = G(k+1) * U^(1/k) */
    double g = rng_gamma(r, shape + 1.0);
    return g * exp(log(rng_unif(r)) / shape);
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng_normal(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    double u = rng_unif(r);
    double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
  }
}

double rng_beta(rng_t *r, double a, double b) {
  double x = rng_gamma(r, a), y = rng_gamma(r, b);
  double s = x + y;
  if (!(s > 0.0)) return a / (a + b); /* both underflowed: vanishingly rare */
  return x / s;
}
