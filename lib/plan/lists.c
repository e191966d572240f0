/* SPDX-License-Identifier: MIT
 * Target lists (rouse_plan.h): candidate filter, ranking by value with row-order ties, the
 * list size under top_n and a budget that pays for the contacted members only, and the
 * holdout drawn by a frozen hash of (seed, customer id). Writes nothing: the CSV is
 * lists_csv.c. Rules and the hash are specified in docs/plan.md; change neither without
 * changing that document and the test vectors in tests/unit/t_plan_lists.c. */
#include <math.h>
#include <stdlib.h>

#include "../base/base.h"

/*=====================================================================
 * Holdout hash (frozen: published holdouts must stay re-derivable)
 *====================================================================*/
/* The first output of a SplitMix64 generator whose state is x (Steele, Lea & Flood 2014). */
static uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t rouse_plan_holdout_key(uint64_t seed, const char *id, size_t len) {
  const unsigned char *p = (const unsigned char *)id;
  uint64_t h = 0xCBF29CE484222325ull ^ splitmix64(seed); /* FNV-1a-64, seeded basis */
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001B3ull;
  }
  return splitmix64(h); /* FNV-1a mixes its last bytes poorly: a full avalanche after it */
}

size_t rouse_plan_holdout_count(size_t n, double share) {
  if (!(share >= 0 && share < 1)) return 0;
  double x = share * (double)n; /* < n, so the result fits */
  double r = floor(x);
  if (x - r >= 0.5) r += 1; /* exact (r <= x < r + 1); avoids x + 0.5 rounding up */
  return (size_t)r;
}

/*=====================================================================
 * Options and names
 *====================================================================*/
void rouse_plan_opts_init(rouse_plan_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->top_n = 0;
  o->budget = 0;
  o->cost_per_contact = ROUSE_PLAN_DEFAULT_COST;
  o->holdout_share = 0;
  o->seed = ROUSE_PLAN_DEFAULT_SEED;
  o->min_score = 0;
  o->min_value = -INFINITY;
}

static const char *const limit_name[] = {"none", "top_n", "budget"};

const char *rouse_plan_limit_name(int limit) {
  return limit >= 0 && limit < (int)ROUSE_ARRAY_SIZE(limit_name) ? limit_name[limit] : NULL;
}

void rouse_plan_free(rouse_plan *p) {
  if (!p) return;
  rouse__free(p->row);
  rouse__free(p->holdout);
  rouse__free(p);
}

static int opts_valid(const rouse_plan_opts *o, const double *score) {
  if (!(o->holdout_share >= 0 && o->holdout_share < 1)) return 0;
  if (!isfinite(o->budget) || o->budget < 0) return 0;
  if (!isfinite(o->cost_per_contact) || o->cost_per_contact < 0) return 0;
  if (isnan(o->min_score) || (!score && o->min_score > 0)) return 0;
  if (isnan(o->min_value)) return 0;
  return 1;
}

/*=====================================================================
 * List size
 *====================================================================*/
/* Contacts the budget pays for, capped at cap: the largest k <= cap with k c <= B (evaluated
 * in doubles, exact for whole-yen amounts below 2^53). */
static size_t affordable(double budget, double cost, size_t cap) {
  if (cost <= 0) return cap;
  double q = floor(budget / cost);
  if (!(q < (double)cap)) return cap;
  size_t k = (size_t)q;
  while (k < cap && (double)(k + 1) * cost <= budget) k++; /* division rounded down */
  while (k > 0 && (double)k * cost > budget) k--;          /* division rounded up */
  return k;
}

/* The largest N <= m with N - holdout(N) <= k. N - holdout(N) never decreases as N grows
 * (holdout(N) grows by 0 or 1 per step since h < 1), so bisect. */
static size_t size_for_contacts(size_t k, size_t m, double h) {
  size_t lo = 0, hi = m; /* invariant: lo satisfies (N = 0 does: 0 contacts) */
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    if (mid - rouse_plan_holdout_count(mid, h) <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/*=====================================================================
 * Build
 *====================================================================*/

struct drawn {
  uint64_t u;
  const char *id;
  size_t row;
  size_t pos; /* position in the list */
};

static int cmp_drawn(const void *a, const void *b) {
  const struct drawn *x = a, *y = b;
  if (x->u != y->u) return x->u < y->u ? -1 : 1;
  int c = strcmp(x->id, y->id);
  if (c) return c;
  return (x->row > y->row) - (x->row < y->row);
}

int rouse_plan_build(const char *const *ids, const uint8_t *eligible, const double *rank_value,
                     const double *score, size_t n, const rouse_plan_opts *o, rouse_plan **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  rouse_plan_opts opt;
  rouse_plan_opts_init(&opt);
  if (o) {
    if (o->struct_size < sizeof opt) return ROUSE_MISUSE;
    opt = *o;
    opt.struct_size = sizeof opt;
  }
  if (!opts_valid(&opt, score)) return ROUSE_MISUSE;
  if (n && (!ids || !rank_value)) return ROUSE_MISUSE;

  /* candidates: validate every one before allocating */
  size_t n_cand = 0, n_below = 0, n_low = 0;
  for (size_t i = 0; i < n; i++) {
    if (eligible && eligible[i] > 1) return ROUSE_MISUSE;
    if (eligible && !eligible[i]) continue;
    if (!ids[i] || !isfinite(rank_value[i]) || (score && isnan(score[i]))) return ROUSE_MISUSE;
    n_cand++;
    if (score && score[i] < opt.min_score) n_below++;
    else if (rank_value[i] < opt.min_value) n_low++;
  }
  size_t m = n_cand - n_below - n_low;

  rouse_plan *p = rouse__calloc(1, sizeof *p);
  /* ranked by value descending, ties in row order */
  struct rouse_kv *rk = rouse__reallocarray(NULL, m ? m : 1, sizeof *rk);
  if (!p || !rk) goto nomem;
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if ((eligible && !eligible[i]) || (score && score[i] < opt.min_score) ||
        rank_value[i] < opt.min_value)
      continue;
    rk[j].key = ~rouse__sort_key_f64(rank_value[i]);
    rk[j].val = i;
    j++;
  }
  if (rouse__radix_sort_kv(rk, m, NULL)) goto nomem;

  /* size */
  double h = opt.holdout_share;
  size_t n_top = opt.top_n && opt.top_n < m ? opt.top_n : m;
  size_t n_bud = m;
  if (opt.budget > 0)
    n_bud = size_for_contacts(affordable(opt.budget, opt.cost_per_contact, m), m, h);
  size_t N = n_top < n_bud ? n_top : n_bud;

  p->n_input = n;
  p->n = N;
  p->opts = opt;
  p->n_candidates = n_cand;
  p->n_below_min = n_below;
  p->n_below_value = n_low;
  p->n_cut = m - N;
  p->limit = N == m ? ROUSE_PLAN_LIMIT_NONE
                    : n_bud == N ? ROUSE_PLAN_LIMIT_BUDGET : ROUSE_PLAN_LIMIT_TOP_N;
  p->row = rouse__reallocarray(NULL, N ? N : 1, sizeof *p->row);
  p->holdout = rouse__calloc(N ? N : 1, 1);
  if (!p->row || !p->holdout) goto nomem;
  for (size_t k = 0; k < N; k++) p->row[k] = (size_t)rk[k].val;
  rouse__free(rk);
  rk = NULL;

  /* holdout: the H members with the smallest keys */
  size_t H = rouse_plan_holdout_count(N, h);
  if (H) {
    struct drawn *d = rouse__reallocarray(NULL, N, sizeof *d);
    if (!d) goto nomem;
    for (size_t k = 0; k < N; k++) {
      const char *id = ids[p->row[k]];
      d[k] = (struct drawn){rouse_plan_holdout_key(opt.seed, id, strlen(id)), id, p->row[k], k};
    }
    qsort(d, N, sizeof *d, cmp_drawn);
    for (size_t k = 0; k < H; k++) p->holdout[d[k].pos] = 1;
    rouse__free(d);
  }

  p->n_holdout = H;
  p->n_contacted = N - H;
  p->cost = (double)p->n_contacted * opt.cost_per_contact;
  for (size_t k = 0; k < N; k++) { /* in rank order: the sums do not depend on row order */
    if (p->holdout[k]) p->value_holdout += rank_value[p->row[k]];
    else p->value_contacted += rank_value[p->row[k]];
  }
  *out = p;
  return ROUSE_OK;

nomem:
  rouse__free(rk);
  rouse_plan_free(p);
  return ROUSE_NOMEM;
}
