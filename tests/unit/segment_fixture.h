/* SPDX-License-Identifier: MIT
 * Shared fixtures of the segment tests: small hand-built summaries with only the columns the
 * segment module reads (no interval histogram unless a test sets one: the approximated
 * interval distribution), copies of a summary in a permuted customer order, and a
 * deterministic shuffle (for the permutation-invariance checks). */
#ifndef ROUSE_TEST_SEGMENT_FIXTURE_H
#define ROUSE_TEST_SEGMENT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "rouse/rouse.h"

/* a summary with only the columns the segment module reads; arrays owned by the caller */
struct fake {
  rouse_summary s;
  int32_t first[16], last[16];
  uint32_t pd[16], orders[16], x[16];
  uint32_t max_iv[16], last_iv[16];
  int64_t tot[16];
};

static void fake_init(struct fake *f, size_t n, int32_t as_of) {
  memset(f, 0, sizeof *f);
  f->s.n = n;
  f->s.as_of = as_of;
  f->s.unit_days = 1;
  f->s.first_day = f->first;
  f->s.last_day = f->last;
  f->s.purchase_days = f->pd;
  f->s.orders = f->orders;
  f->s.x = f->x;
  f->s.total_e4 = f->tot;
  f->s.max_interval = f->max_iv;
  f->s.last_interval = f->last_iv;
  f->s.has_amount = 1;
}

static void fake_set(struct fake *f, size_t i, int32_t first, int32_t last, uint32_t pd,
                     int64_t tot) {
  f->first[i] = first;
  f->last[i] = last;
  f->pd[i] = pd;
  f->orders[i] = pd;
  f->x[i] = pd - 1;
  f->tot[i] = tot;
  /* gaps as if evenly spaced (rounded down); fake_gaps() sets them explicitly */
  f->max_iv[i] = f->last_iv[i] = pd > 1 ? (uint32_t)((last - first) / (int32_t)(pd - 1)) : 0;
}

/* the longest gap and the gap before the last purchase of customer i, in days */
static inline void fake_gaps(struct fake *f, size_t i, uint32_t max_gap, uint32_t last_gap) {
  f->max_iv[i] = max_gap;
  f->last_iv[i] = last_gap;
}

/* a copy of s with customers in the order perm[] (new i = old perm[i]); malloc'ed. The
 * shop-wide interval histogram does not depend on the order: the copy shares it. */
struct perm {
  rouse_summary s;
  void *mem[8];
};

static void permute(const rouse_summary *s, const size_t *perm, struct perm *p) {
  size_t n = s->n;
  memset(p, 0, sizeof *p);
  p->s.n = n;
  p->s.as_of = s->as_of;
  p->s.unit_days = s->unit_days;
  p->s.has_amount = s->has_amount;
  p->s.interval_hist = s->interval_hist;
  p->s.interval_hist_len = s->interval_hist_len;
  p->mem[0] = p->s.first_day = malloc(n * sizeof(int32_t));
  p->mem[1] = p->s.last_day = malloc(n * sizeof(int32_t));
  p->mem[2] = p->s.purchase_days = malloc(n * sizeof(uint32_t));
  p->mem[3] = p->s.orders = malloc(n * sizeof(uint32_t));
  p->mem[4] = p->s.x = malloc(n * sizeof(uint32_t));
  p->mem[5] = p->s.total_e4 = malloc(n * sizeof(int64_t));
  if (s->max_interval) p->mem[6] = p->s.max_interval = malloc(n * sizeof(uint32_t));
  if (s->last_interval) p->mem[7] = p->s.last_interval = malloc(n * sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    size_t j = perm[i];
    p->s.first_day[i] = s->first_day[j];
    p->s.last_day[i] = s->last_day[j];
    p->s.purchase_days[i] = s->purchase_days[j];
    p->s.orders[i] = s->orders[j];
    p->s.x[i] = s->x[j];
    p->s.total_e4[i] = s->total_e4[j];
    if (s->max_interval) p->s.max_interval[i] = s->max_interval[j];
    if (s->last_interval) p->s.last_interval[i] = s->last_interval[j];
  }
}

static void perm_free(struct perm *p) {
  for (int i = 0; i < 8; i++) free(p->mem[i]);
}

/* deterministic Fisher-Yates with a 64-bit LCG */
static void shuffle(size_t *perm, size_t n, uint64_t seed) {
  for (size_t i = 0; i < n; i++) perm[i] = n - 1 - i; /* start reversed */
  for (size_t i = n; i > 1; i--) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    size_t j = (size_t)((seed >> 33) % i);
    size_t t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
  }
}

#endif
