/* SPDX-License-Identifier: MIT
 * Target lists of lib/plan (rouse_plan.h): hand-computed ranking, ties, score filter, top_n
 * and budget boundaries with a holdout, the count invariants, the frozen holdout hash (test
 * vectors computed independently in Python), holdout independence of row order, exact and
 * uniform holdout shares on a large list, the CSV bytes (quoting, Japanese text, BOM, CRLF,
 * number formats, a long list against an snprintf oracle for expected_value), misuse, sink and allocation
 * failures. */
#include <stdlib.h>

#include "harness.h"
#include "rouse/rouse.h"

/*---------------------------------------------------------------------
 * Helpers
 *--------------------------------------------------------------------*/
struct sm64 {
  uint64_t x;
};
static uint64_t sm_next(struct sm64 *g) {
  uint64_t z = (g->x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static double sm_unif(struct sm64 *g) {
  return (double)(sm_next(g) >> 11) * (1.0 / 9007199254740992.0);
}

struct mem {
  char *p;
  size_t n, cap;
  int calls;
  int fail_at; /* the sink returns 1 on this call (1-based); 0 = never */
};

static int mem_write(void *ctx, const void *data, size_t len) {
  struct mem *m = ctx;
  m->calls++;
  if (m->fail_at && m->calls == m->fail_at) return 1;
  if (m->n + len + 1 > m->cap) {
    m->cap = (m->n + len + 1) * 2;
    m->p = realloc(m->p, m->cap);
  }
  memcpy(m->p + m->n, data, len);
  m->n += len;
  m->p[m->n] = '\0';
  return 0;
}

static void mem_reset(struct mem *m) {
  free(m->p);
  memset(m, 0, sizeof *m);
}

/* the documented invariants and sums of any plan */
static int invariants_ok(const rouse_plan *p, const double *rank_value) {
  if (p->n_candidates != p->n_below_min + p->n_below_value + p->n_cut + p->n) return 0;
  if (p->n != p->n_contacted + p->n_holdout) return 0;
  if (p->n_holdout != rouse_plan_holdout_count(p->n, p->opts.holdout_share)) return 0;
  size_t h = 0;
  double vc = 0, vh = 0;
  for (size_t k = 0; k < p->n; k++) {
    if (p->holdout[k] > 1) return 0;
    h += p->holdout[k];
    if (p->holdout[k]) vh += rank_value[p->row[k]];
    else vc += rank_value[p->row[k]];
    if (k && rank_value[p->row[k - 1]] < rank_value[p->row[k]]) return 0; /* rank order */
  }
  if (h != p->n_holdout || vc != p->value_contacted || vh != p->value_holdout) return 0;
  if (p->cost != (double)p->n_contacted * p->opts.cost_per_contact) return 0;
  if (p->opts.budget > 0 && p->cost > p->opts.budget) return 0;
  if (p->opts.top_n && p->n > p->opts.top_n) return 0;
  return 1;
}

/* ids "C0000" .. for n rows */
static char **make_ids(size_t n) {
  char **ids = malloc(n * sizeof *ids);
  for (size_t i = 0; i < n; i++) {
    ids[i] = malloc(24);
    snprintf(ids[i], 24, "C%05zu", i);
  }
  return ids;
}
static void free_ids(char **ids, size_t n) {
  for (size_t i = 0; i < n; i++) free(ids[i]);
  free(ids);
}

/*---------------------------------------------------------------------
 * Defaults, names, rounding, hash vectors
 *--------------------------------------------------------------------*/
static void test_basics(void) {
  rouse_plan_opts o;
  memset(&o, 0xAB, sizeof o);
  rouse_plan_opts_init(&o);
  CHECK(o.struct_size == sizeof o && o.top_n == 0 && o.budget == 0);
  CHECK(o.cost_per_contact == 100.0 && o.holdout_share == 0 && o.min_score == 0);
  CHECK(o.seed == ROUSE_PLAN_DEFAULT_SEED);
  rouse_plan_opts_init(NULL);

  CHECK_EQ_STR(rouse_plan_limit_name(ROUSE_PLAN_LIMIT_NONE), "none");
  CHECK_EQ_STR(rouse_plan_limit_name(ROUSE_PLAN_LIMIT_TOP_N), "top_n");
  CHECK_EQ_STR(rouse_plan_limit_name(ROUSE_PLAN_LIMIT_BUDGET), "budget");
  CHECK(rouse_plan_limit_name(3) == NULL && rouse_plan_limit_name(-1) == NULL);

  /* round(h N), halves up */
  CHECK_EQ_INT(rouse_plan_holdout_count(11, 0.1), 1);  /* 1.1 */
  CHECK_EQ_INT(rouse_plan_holdout_count(12, 0.1), 1);  /* 1.2 */
  CHECK_EQ_INT(rouse_plan_holdout_count(4, 0.1), 0);   /* 0.4 */
  CHECK_EQ_INT(rouse_plan_holdout_count(5, 0.1), 1);   /* 0.5 */
  CHECK_EQ_INT(rouse_plan_holdout_count(15, 0.1), 2);  /* 1.5 */
  CHECK_EQ_INT(rouse_plan_holdout_count(25, 0.1), 3);  /* 2.5 */
  CHECK_EQ_INT(rouse_plan_holdout_count(10, 0.15), 2); /* 1.4999999999999999444 -> 1.5 */
  CHECK_EQ_INT(rouse_plan_holdout_count(1, 0.5), 1);
  CHECK_EQ_INT(rouse_plan_holdout_count(3, 0.5), 2);
  CHECK_EQ_INT(rouse_plan_holdout_count(100000, 0.1), 10000);
  CHECK_EQ_INT(rouse_plan_holdout_count(12345, 0.05), 617); /* 617.25 */
  CHECK_EQ_INT(rouse_plan_holdout_count(0, 0.3), 0);
  CHECK_EQ_INT(rouse_plan_holdout_count(7, 0), 0);
  CHECK_EQ_INT(rouse_plan_holdout_count(7, 1), 0);
  CHECK_EQ_INT(rouse_plan_holdout_count(7, -0.1), 0);
  CHECK_EQ_INT(rouse_plan_holdout_count(7, NAN), 0);
  /* x = 0.49999999999999994 must not round up (x + 0.5 would give 1.0) */
  CHECK_EQ_INT(rouse_plan_holdout_count(1, 0.49999999999999994), 0);

  /* frozen test vectors (tools: an independent Python implementation, docs/plan.md) */
  const uint64_t D = ROUSE_PLAN_DEFAULT_SEED;
  CHECK(rouse_plan_holdout_key(D, "", 0) == 0x0b6c7622590192fbull);
  CHECK(rouse_plan_holdout_key(D, "1001", 4) == 0x0782458e2978154cull);
  CHECK(rouse_plan_holdout_key(D, "C00042", 6) == 0xf3a8c16349b23a00ull);
  CHECK(rouse_plan_holdout_key(0, "1001", 4) == 0xb0dc0d289bbae524ull);
  CHECK(rouse_plan_holdout_key(D, "会員123", strlen("会員123")) == 0x5ef6e9d9364402b6ull);
  CHECK(rouse_plan_holdout_key(12345, "a", 1) == 0x7282c899a3609247ull);
}

/*---------------------------------------------------------------------
 * Ranking, ties, eligibility, score filter
 *--------------------------------------------------------------------*/
static void test_ranking(void) {
  const char *ids[] = {"a", "b", "c", "d", "e", "f", "g"};
  double v[] = {5, 9, 5, 1, 9, 3, 0.0};
  rouse_plan *p = NULL;
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, NULL, 7, NULL, &p), ROUSE_OK);
  size_t want[] = {1, 4, 0, 2, 5, 3, 6}; /* ties 9, 9 and 5, 5 in row order */
  CHECK_EQ_INT(p->n, 7);
  CHECK(!memcmp(p->row, want, sizeof want));
  CHECK(invariants_ok(p, v));
  CHECK_EQ_INT(p->n_candidates, 7);
  CHECK_EQ_INT(p->n_cut + p->n_below_min + p->n_holdout, 0);
  CHECK_EQ_INT(p->limit, ROUSE_PLAN_LIMIT_NONE);
  CHECK(p->value_contacted == 32 && p->value_holdout == 0);
  CHECK(p->cost == 700 && p->n_input == 7);
  rouse_plan_free(p);

  /* -0.0 ties with 0.0 (row order), negative values rank last */
  double z[] = {-0.0, 0.0, -2, 0.0};
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, z, NULL, 4, NULL, &p), ROUSE_OK);
  size_t wz[] = {0, 1, 3, 2};
  CHECK(p->n == 4 && !memcmp(p->row, wz, sizeof wz));
  rouse_plan_free(p);

  /* eligibility and min_score: row 3 (NaN, not eligible) is never read */
  uint8_t el[] = {1, 1, 0, 0, 1, 1, 1};
  double v2[] = {5, 9, 5, NAN, 9, 3, 2};
  double sc[] = {0.30, 0.05, 0.9, NAN, 0.10, 0.099, 0.5};
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.min_score = 0.1;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  size_t w2[] = {4, 0, 6}; /* b (0.05) and f (0.099) below 0.1; e (0.10) stays */
  CHECK(p->n == 3 && !memcmp(p->row, w2, sizeof w2));
  CHECK_EQ_INT(p->n_candidates, 5);
  CHECK_EQ_INT(p->n_below_min, 2);
  CHECK_EQ_INT(p->n_cut, 0);
  CHECK(invariants_ok(p, v2));
  CHECK(p->value_contacted == 16);
  rouse_plan_free(p);

  /* top_n cuts */
  o.top_n = 2;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  CHECK(p->n == 2 && p->row[0] == 4 && p->row[1] == 0);
  CHECK_EQ_INT(p->n_cut, 1);
  CHECK_EQ_INT(p->limit, ROUSE_PLAN_LIMIT_TOP_N);
  CHECK(invariants_ok(p, v2));
  rouse_plan_free(p);
  o.top_n = 3; /* exactly the candidates: no cut */
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  CHECK(p->n == 3 && p->n_cut == 0 && p->limit == ROUSE_PLAN_LIMIT_NONE);
  rouse_plan_free(p);

  /* min_score = -inf keeps everything; everyone below gives an empty list */
  o.top_n = 0;
  o.min_score = -INFINITY;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  CHECK(p->n == 5 && p->n_below_min == 0);
  rouse_plan_free(p);
  o.min_score = 0.95;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  CHECK(p->n == 0 && p->n_below_min == 5 && p->limit == ROUSE_PLAN_LIMIT_NONE);
  CHECK(invariants_ok(p, v2) && p->cost == 0);
  rouse_plan_free(p);

  /* min_value after min_score: a candidate below min_score counts there, not twice */
  o.min_score = 0.1;
  o.min_value = 4;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  size_t wv[] = {4, 0}; /* row 6 (value 2) is not worth a contact; 1 and 5 are below 0.1 */
  CHECK(p->n == 2 && !memcmp(p->row, wv, sizeof wv));
  CHECK(p->n_below_min == 2 && p->n_below_value == 1 && p->n_cut == 0);
  CHECK(invariants_ok(p, v2));
  rouse_plan_free(p);
  o.min_score = -INFINITY;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_OK);
  CHECK(p->n == 3 && p->n_below_min == 0 && p->n_below_value == 2 && invariants_ok(p, v2));
  rouse_plan_free(p);
  o.min_value = NAN;
  CHECK_EQ_INT(rouse_plan_build(ids, el, v2, sc, 7, &o, &p), ROUSE_MISUSE);
  o.min_value = -INFINITY;

  /* no rows at all */
  CHECK_EQ_INT(rouse_plan_build(NULL, NULL, NULL, NULL, 0, NULL, &p), ROUSE_OK);
  CHECK(p && p->n == 0 && p->n_candidates == 0 && p->n_input == 0);
  rouse_plan_free(p);
  rouse_plan_free(NULL);
}

/*---------------------------------------------------------------------
 * Budget, top_n and holdout sizes
 *--------------------------------------------------------------------*/
/* list size of 30 candidates (values 30..1) under the given options */
static char **ids30;

static rouse_plan *plan30(size_t top_n, double budget, double cost, double h) {
  double v[30];
  for (int i = 0; i < 30; i++) v[i] = 30 - i;
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.top_n = top_n;
  o.budget = budget;
  o.cost_per_contact = cost;
  o.holdout_share = h;
  rouse_plan *p = NULL;
  if (rouse_plan_build((const char *const *)ids30, NULL, v, NULL, 30, &o, &p)) return NULL;
  int first_n = 1; /* the list is the first N ranked rows */
  for (size_t k = 0; k < p->n; k++) first_n &= p->row[k] == k;
  t_n++;
  if (invariants_ok(p, v) && first_n) printf("ok %d - invariants\n", t_n);
  else {
    t_fail++;
    printf("not ok %d - invariants (top %zu budget %g cost %g h %g)\n", t_n, top_n, budget,
           cost, h);
  }
  return p;
}

#define SIZE_CASE(top_, bud_, cost_, h_, N_, H_, lim_)                               \
  do {                                                                               \
    rouse_plan *p_ = plan30(top_, bud_, cost_, h_);                                  \
    CHECK(p_ != NULL);                                                               \
    if (p_) {                                                                        \
      CHECK_EQ_INT(p_->n, N_);                                                       \
      CHECK_EQ_INT(p_->n_holdout, H_);                                               \
      CHECK_EQ_INT(p_->n_cut, 30 - (N_));                                            \
      CHECK_EQ_INT(p_->limit, lim_);                                                 \
      CHECK(p_->cost == (double)((N_) - (H_)) * (cost_));                            \
    }                                                                                \
    rouse_plan_free(p_);                                                             \
  } while (0)

static void test_sizes(void) {
  ids30 = make_ids(30);
  const int NONE = ROUSE_PLAN_LIMIT_NONE, TOP = ROUSE_PLAN_LIMIT_TOP_N,
            BUD = ROUSE_PLAN_LIMIT_BUDGET;
  /* budget 1000 at 100: 10 contacts; h = 0.1: N = 11 holds 1 out (N = 12 would contact 11) */
  SIZE_CASE(0, 1000, 100, 0.1, 11, 1, BUD);
  SIZE_CASE(0, 1099.99, 100, 0.1, 11, 1, BUD);
  SIZE_CASE(0, 999.99, 100, 0.1, 10, 1, BUD); /* 9 contacts: N = 10 (holdout 1) */
  SIZE_CASE(0, 1100, 100, 0.1, 12, 1, BUD);   /* 11 contacts: N = 12 (1.2 -> 1) */
  SIZE_CASE(0, 1000, 100, 0, 10, 0, BUD);
  SIZE_CASE(0, 1000, 100, 0.5, 21, 11, BUD);  /* 21 - round(10.5) = 10 contacts */
  SIZE_CASE(0, 1000, 100, 0.2, 13, 3, BUD);   /* 12 holds 2 (2.4), 13 holds 3 (2.6): both 10 */
  SIZE_CASE(0, 3000, 100, 0, 30, 0, NONE);    /* affords all 30 exactly */
  SIZE_CASE(0, 2900, 100, 0, 29, 0, BUD);
  SIZE_CASE(0, 1e12, 100, 0.1, 30, 3, NONE);
  SIZE_CASE(0, 99, 100, 0.1, 0, 0, BUD);      /* not one contact */
  SIZE_CASE(0, 99, 100, 0.5, 1, 1, BUD);      /* round(0.5) = 1: a list of one held-out */
  SIZE_CASE(0, 1000, 0, 0.1, 30, 3, NONE);    /* free channel: the budget never binds */
  SIZE_CASE(0, 10, 3, 0, 3, 0, BUD);          /* LINE at 3 yen: 3 messages for 10 yen */
  SIZE_CASE(0, 0.9, 0.3, 0, 3, 0, BUD);       /* 0.9 / 0.3 = 3.0000000000000004 -> 3 */
  SIZE_CASE(0, 1, 0.1, 0, 10, 0, BUD);
  /* top_n and budget: the smaller wins */
  SIZE_CASE(5, 1000, 100, 0.1, 5, 1, TOP);    /* round(0.5) = 1 */
  SIZE_CASE(20, 1000, 100, 0.1, 11, 1, BUD);
  SIZE_CASE(11, 1000, 100, 0.1, 11, 1, BUD);  /* both give 11: reported as the budget */
  SIZE_CASE(10, 1000, 100, 0.1, 10, 1, TOP);
  SIZE_CASE(30, 0, 100, 0.1, 30, 3, NONE);
  SIZE_CASE(100, 0, 100, 0.1, 30, 3, NONE);
  SIZE_CASE(0, 0, 100, 0, 30, 0, NONE);       /* neither: all candidates */
  SIZE_CASE(0, 0, 100, 0.1, 30, 3, NONE);
  SIZE_CASE(25, 0, 100, 0.1, 25, 3, TOP);     /* 2.5 -> 3 */

  /* exhaustive: for every budget and h, N is the largest size whose contacts fit */
  static const double hs[] = {0, 0.05, 0.1, 0.25, 0.3, 0.5, 0.9};
  int bad = 0;
  for (size_t a = 0; a < sizeof hs / sizeof hs[0]; a++)
    for (int b = 1; b <= 3200; b += 50) {
      rouse_plan *p = plan30(0, b, 100, hs[a]);
      size_t N = p->n, want = 0;
      for (size_t m = 0; m <= 30; m++)
        if ((double)(m - rouse_plan_holdout_count(m, hs[a])) * 100 <= b) want = m;
      bad += N != want;
      rouse_plan_free(p);
    }
  CHECK_EQ_INT(bad, 0);
  free_ids(ids30, 30);
}

/*---------------------------------------------------------------------
 * Holdout draw
 *--------------------------------------------------------------------*/
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* sorted held-out ids, into out (n_holdout entries) */
static void holdout_ids(const rouse_plan *p, const char *const *ids, const char **out) {
  size_t j = 0;
  for (size_t k = 0; k < p->n; k++)
    if (p->holdout[k]) out[j++] = ids[p->row[k]];
  qsort(out, j, sizeof *out, cmp_str);
}

static void test_holdout(void) {
  enum { N = 2000 };
  char **ids = make_ids(N);
  double *v = malloc(N * sizeof *v), *sc = malloc(N * sizeof *sc);
  uint8_t *el = malloc(N);
  struct sm64 g = {7};
  for (size_t i = 0; i < N; i++) {
    v[i] = floor(sm_unif(&g) * 500000) / 100; /* distinct enough, a few ties */
    sc[i] = sm_unif(&g);
    el[i] = sm_unif(&g) < 0.8;
  }
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.holdout_share = 0.1;
  o.budget = 100000; /* 1000 contacts of 100 */
  o.min_score = 0.05;
  rouse_plan *p;
  CHECK_EQ_INT(rouse_plan_build((const char *const *)ids, el, v, sc, N, &o, &p), ROUSE_OK);
  CHECK(invariants_ok(p, v));
  CHECK_EQ_INT(p->n_contacted, 1000);
  CHECK_EQ_INT(p->n, 1111); /* 1111 - round(111.1) = 1000; 1112 - round(111.2) = 1001 */
  CHECK_EQ_INT(p->n_holdout, 111);
  CHECK(p->cost == 100000 && p->limit == ROUSE_PLAN_LIMIT_BUDGET);

  /* the held-out members are those with the smallest keys among the list members */
  uint64_t max_h = 0, min_c = UINT64_MAX;
  for (size_t k = 0; k < p->n; k++) {
    const char *id = ids[p->row[k]];
    uint64_t u = rouse_plan_holdout_key(o.seed, id, strlen(id));
    if (p->holdout[k] && u > max_h) max_h = u;
    if (!p->holdout[k] && u < min_c) min_c = u;
  }
  CHECK(max_h < min_c);

  /* permute the rows: same list (by id, in rank order), same held-out ids, same sums */
  const char **pid = malloc(N * sizeof *pid);
  double *pv = malloc(N * sizeof *pv), *ps = malloc(N * sizeof *ps);
  uint8_t *pe = malloc(N);
  size_t *perm = malloc(N * sizeof *perm);
  for (size_t i = 0; i < N; i++) perm[i] = i;
  for (size_t i = N - 1; i > 0; i--) {
    size_t j = (size_t)(sm_next(&g) % (i + 1)), t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  for (size_t i = 0; i < N; i++) {
    pid[i] = ids[perm[i]];
    pv[i] = v[perm[i]];
    ps[i] = sc[perm[i]];
    pe[i] = el[perm[i]];
  }
  rouse_plan *q;
  CHECK_EQ_INT(rouse_plan_build(pid, pe, pv, ps, N, &o, &q), ROUSE_OK);
  CHECK(q->n == p->n && q->n_holdout == p->n_holdout && q->n_below_min == p->n_below_min);
  const char **h1 = malloc(p->n * sizeof *h1), **h2 = malloc(p->n * sizeof *h2);
  holdout_ids(p, (const char *const *)ids, h1);
  holdout_ids(q, pid, h2);
  int same = 1;
  for (size_t k = 0; k < p->n_holdout; k++) same &= !strcmp(h1[k], h2[k]);
  CHECK(same);
  /* ranked values are the same sequence (tied ids may swap places) */
  int same_v = 1;
  for (size_t k = 0; k < p->n; k++) same_v &= v[p->row[k]] == pv[q->row[k]];
  CHECK(same_v);
  CHECK(!memcmp(&p->value_contacted, &q->value_contacted, sizeof(double)));
  CHECK(!memcmp(&p->value_holdout, &q->value_holdout, sizeof(double)));

  /* another seed, another draw of the same size */
  rouse_plan *r;
  o.seed = 20240601;
  CHECK_EQ_INT(rouse_plan_build((const char *const *)ids, el, v, sc, N, &o, &r), ROUSE_OK);
  CHECK(r->n == p->n && r->n_holdout == p->n_holdout);
  holdout_ids(r, (const char *const *)ids, h2);
  size_t overlap = 0;
  for (size_t a = 0, b = 0; a < p->n_holdout && b < r->n_holdout;) {
    int c = strcmp(h1[a], h2[b]);
    if (!c) overlap++;
    if (c <= 0) a++;
    if (c >= 0) b++;
  }
  CHECK(overlap < 40); /* expected 111 x 0.1 = 11 */
  printf("# holdout overlap between seeds: %zu of %zu\n", overlap, p->n_holdout);

  rouse_plan_free(p);
  rouse_plan_free(q);
  rouse_plan_free(r);
  free(h1);
  free(h2);
  free(perm);
  free(pid);
  free(pv);
  free(ps);
  free(pe);
  free(el);
  free(sc);
  free(v);
  free_ids(ids, N);
}

/* a large list: the exact rounded count, and about h of every rank decile held out */
static void test_holdout_large(void) {
  enum { N = 100000 };
  char **ids = malloc(N * sizeof *ids);
  double *v = malloc(N * sizeof *v);
  struct sm64 g = {11};
  for (size_t i = 0; i < N; i++) {
    ids[i] = malloc(24);
    snprintf(ids[i], 24, "%zu", 100000 + i); /* sequential numeric ids, as many shops */
    v[i] = sm_unif(&g) * 10000;
  }
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.holdout_share = 0.1;
  rouse_plan *p;
  CHECK_EQ_INT(rouse_plan_build((const char *const *)ids, NULL, v, NULL, N, &o, &p), ROUSE_OK);
  CHECK_EQ_INT(p->n, N);
  CHECK_EQ_INT(p->n_holdout, 10000);
  CHECK(invariants_ok(p, v));
  /* by rank decile and by id decile: hypergeometric sd ~ 28; allow 5 sd */
  size_t by_rank[10] = {0}, by_id[10] = {0};
  for (size_t k = 0; k < N; k++)
    if (p->holdout[k]) {
      by_rank[k / (N / 10)]++;
      by_id[p->row[k] / (N / 10)]++;
    }
  int ok_rank = 1, ok_id = 1;
  double chi2 = 0;
  for (int d = 0; d < 10; d++) {
    ok_rank &= by_rank[d] >= 860 && by_rank[d] <= 1140;
    ok_id &= by_id[d] >= 860 && by_id[d] <= 1140;
    chi2 += ((double)by_rank[d] - 1000) * ((double)by_rank[d] - 1000) / 1000;
  }
  CHECK(ok_rank);
  CHECK(ok_id);
  CHECK(chi2 < 27.9); /* 9 df, p = 0.001 */
  printf("# held out per rank decile: %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu (chi2 %.2f)\n",
         by_rank[0], by_rank[1], by_rank[2], by_rank[3], by_rank[4], by_rank[5], by_rank[6],
         by_rank[7], by_rank[8], by_rank[9], chi2);
  rouse_plan_free(p);

  /* odd sizes: 12345 with 5 % -> 617 */
  o.top_n = 12345;
  o.holdout_share = 0.05;
  CHECK_EQ_INT(rouse_plan_build((const char *const *)ids, NULL, v, NULL, N, &o, &p), ROUSE_OK);
  CHECK(p->n == 12345 && p->n_holdout == 617 && p->n_cut == N - 12345);
  CHECK(invariants_ok(p, v));
  rouse_plan_free(p);
  for (size_t i = 0; i < N; i++) free(ids[i]);
  free(ids);
  free(v);
}

/*---------------------------------------------------------------------
 * CSV
 *--------------------------------------------------------------------*/
static void test_csv(void) {
  const char *ids[] = {"1001", "1002", "10,03", "1004", "1005"};
  const char *state[] = {"at_risk", "dormant", "at_risk", "at_risk", NULL};
  const char *tier[] = {"ロイヤル層", "A", "B", "C", "D"};
  const char *reasons[] = {"最終購入から120日, 購入間隔の2倍", "say \"hi\", again",
                           "line\nbreak", "plain", ""};
  double v[] = {500, 900, 100, 700, 50};
  double sc[] = {0.735, 0.125, 0.285, 1, 0};
  double ev[] = {1234.5, 12345.678, NAN, -0.001, -2.345};
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.holdout_share = 0.2; /* 1 of 5 */
  o.seed = 1;
  rouse_plan *p;
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, sc, 5, &o, &p), ROUSE_OK);
  CHECK_EQ_INT(p->n_holdout, 1);
  /* which one is held out follows from the keys; the test finds it the same way */
  size_t hk = 0;
  uint64_t best = UINT64_MAX;
  for (size_t i = 0; i < 5; i++) {
    uint64_t u = rouse_plan_holdout_key(1, ids[i], strlen(ids[i]));
    if (u < best) best = u, hk = i;
  }
  CHECK_EQ_INT(hk, 1); /* seed 1 holds out 1002 */
  const char h[5] = {'0', '1', '0', '0', '0'};

  rouse_plan_columns c;
  rouse_plan_columns_init(&c);
  CHECK(c.struct_size == sizeof c && c.n == 0 && !c.ids);
  c.n = 5;
  c.ids = ids;
  c.state = state;
  c.score = sc;
  c.tier = tier;
  c.reasons = reasons;
  c.expected_value = ev;
  /* rank order 1002 (900), 1004 (700), 1001 (500), 10,03 (100), 1005 (50) */
  const char *want_csv =
      "customer_id,state,score,tier,reasons,expected_value,holdout\n"
      "1002,dormant,13,A,\"say \"\"hi\"\", again\",12345.68,1\n"
      "1004,at_risk,100,C,plain,-0.00,0\n"
      "1001,at_risk,74,ロイヤル層,\"最終購入から120日, 購入間隔の2倍\",1234.50,0\n"
      "\"10,03\",at_risk,28,B,\"line\nbreak\",,0\n"
      "1005,,0,D,,-2.35,0\n";
  char want[1024];
  snprintf(want, sizeof want, "%s", want_csv);
  struct mem m = {0};
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_OK);
  CHECK_EQ_STR(m.p, want);
  mem_reset(&m);

  /* BOM */
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 1, mem_write, &m), ROUSE_OK);
  CHECK(m.n == strlen(want) + 3 && !memcmp(m.p, "\xEF\xBB\xBF", 3));
  CHECK_EQ_STR(m.p + 3, want);
  mem_reset(&m);

  /* CRLF: every line end, never inside a quoted field */
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, ROUSE_PLAN_CSV_CRLF | ROUSE_PLAN_CSV_BOM, mem_write,
                                    &m),
               ROUSE_OK);
  CHECK(!memcmp(m.p, "\xEF\xBB\xBF", 3));
  CHECK(!memcmp(m.p + 3, "customer_id,state,score,tier,reasons,expected_value,holdout\r\n",
                61));
  CHECK(strstr(m.p, "\"line\nbreak\"") != NULL);
  CHECK(m.p[m.n - 2] == '\r' && m.p[m.n - 1] == '\n');
  CHECK(m.n == strlen(want) + 3 + 6);
  mem_reset(&m);

  /* only ids: every optional field empty */
  rouse_plan_columns c2;
  rouse_plan_columns_init(&c2);
  c2.n = 5;
  c2.ids = ids;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c2, 0, mem_write, &m), ROUSE_OK);
  snprintf(want, sizeof want,
           "customer_id,state,score,tier,reasons,expected_value,holdout\n"
           "1002,,,,,,%c\n1004,,,,,,%c\n1001,,,,,,%c\n\"10,03\",,,,,,%c\n1005,,,,,,%c\n",
           h[1], h[3], h[0], h[2], h[4]);
  CHECK_EQ_STR(m.p, want);
  mem_reset(&m);

  /* errors, none of which writes anything */
  CHECK_EQ_INT(rouse_plan_write_csv(NULL, &c, 0, mem_write, &m), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_plan_write_csv(p, NULL, 0, mem_write, &m), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, NULL, &m), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 4, mem_write, &m), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, -1, mem_write, &m), ROUSE_MISUSE);
  c.n = 4;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  c.n = 5;
  c.struct_size = 8;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  c.struct_size = sizeof c;
  double bad[] = {0.5, 0.5, 0.5, 1.5, 0.5};
  c.score = bad;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  bad[3] = NAN;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  bad[3] = -0.01;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  c.score = sc;
  const char *idn[] = {"1001", "1002", "10,03", NULL, "1005"};
  c.ids = idn;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_MISUSE);
  c.ids = ids;
  CHECK_EQ_INT(m.calls, 0);

  /* a sink that stops */
  m.fail_at = 1;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 1, mem_write, &m), ROUSE_IO);
  mem_reset(&m);
  rouse_plan_free(p);

  /* an empty list: the header alone */
  o.min_score = 2;
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, sc, 5, &o, &p), ROUSE_OK);
  CHECK(p->n == 0 && p->n_below_min == 5);
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_OK);
  CHECK_EQ_STR(m.p, "customer_id,state,score,tier,reasons,expected_value,holdout\n");
  mem_reset(&m);
  rouse_plan_free(p);
}

static const char *reason_of(void *ctx, size_t r, char *buf, size_t len) {
  (void)ctx;
  snprintf(buf, len, r % 5 ? "理由%zu" : "row %zu, \"late\"", r);
  return buf;
}

/* a long list (several blocks of rows) against an snprintf oracle */
static void test_csv_long(void) {
  enum { N = 30000 };
  char **ids = make_ids(N);
  double *v = malloc(N * sizeof *v), *sc = malloc(N * sizeof *sc), *ev = malloc(N * sizeof *ev);
  const char **st = malloc(N * sizeof *st);
  struct sm64 g = {3};
  for (size_t i = 0; i < N; i++) {
    v[i] = (double)((i * 7919) % N); /* distinct */
    sc[i] = (double)(sm_next(&g) % 1000) / 1000 + 0.0003; /* never a half percent */
    if (i % 2) ev[i] = (double)(sm_next(&g) % 10000000) / 100 + 0.003;
    else ev[i] = (double)(sm_next(&g) % 80000) / 8 - 5000; /* exact ties, negatives, -0.00 */
    st[i] = i % 3 ? "at_risk" : "休眠";
  }
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.holdout_share = 0.1;
  o.budget = 2000000; /* 20000 contacts */
  rouse_plan *p;
  CHECK_EQ_INT(rouse_plan_build((const char *const *)ids, NULL, v, NULL, N, &o, &p), ROUSE_OK);
  CHECK(p->n_contacted == 20000 && invariants_ok(p, v));
  rouse_plan_columns c;
  rouse_plan_columns_init(&c);
  c.n = N;
  c.ids = (const char *const *)ids;
  c.state = st;
  c.score = sc;
  c.expected_value = ev;
  struct mem m = {0};
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_OK);
  CHECK(m.calls > 3);
  size_t cap = 64 + (size_t)p->n * 64, len = 0;
  char *want = malloc(cap);
  len += (size_t)snprintf(want, cap, "customer_id,state,score,tier,reasons,expected_value,holdout\n");
  for (size_t k = 0; k < p->n; k++) {
    size_t r = p->row[k];
    len += (size_t)snprintf(want + len, cap - len, "%s,%s,%.0f,,,%.2f,%d\n", ids[r], st[r],
                            100 * sc[r], ev[r], p->holdout[k]);
  }
  CHECK(m.n == len && !memcmp(m.p, want, len));
  /* reasons from a callback, formatted on 1 and 2 threads: the same bytes as the oracle */
  c.reasons_fn = reason_of;
  len = (size_t)snprintf(want, cap, "customer_id,state,score,tier,reasons,expected_value,holdout\n");
  for (size_t k = 0; k < p->n; k++) {
    size_t r = p->row[k];
    len += (size_t)snprintf(want + len, cap - len,
                            r % 5 ? "%s,%s,%.0f,,理由%zu,%.2f,%d\n"
                                  : "%s,%s,%.0f,,\"row %zu, \"\"late\"\"\",%.2f,%d\n",
                            ids[r], st[r], 100 * sc[r], r, ev[r], p->holdout[k]);
  }
  for (int t = 1; t <= 2; t++) {
    mem_reset(&m);
    c.n_threads = t;
    CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_OK);
    CHECK(m.n == len && !memcmp(m.p, want, len));
  }
  c.reasons_fn = NULL;
  c.n_threads = 0;
  mem_reset(&m);
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_OK);
  /* the sink stopping on a later piece */
  int calls = m.calls;
  mem_reset(&m);
  m.fail_at = calls;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_IO);
  mem_reset(&m);
  free(want);
  rouse_plan_free(p);
  free(st);
  free(ev);
  free(sc);
  free(v);
  free_ids(ids, N);
}

/*---------------------------------------------------------------------
 * Misuse and allocation failure
 *--------------------------------------------------------------------*/
static void test_misuse(void) {
  const char *ids[] = {"a", "b", "c"};
  const char *idn[] = {"a", NULL, "c"};
  double v[] = {1, 2, 3}, vn[] = {1, NAN, 3}, vi[] = {1, INFINITY, 3};
  double sc[] = {0.5, 0.5, 0.5}, scn[] = {0.5, NAN, 0.5};
  uint8_t el[] = {1, 0, 1}, el2[] = {1, 2, 1};
  rouse_plan_opts o;
  rouse_plan *p = (rouse_plan *)&o; /* must be reset to NULL on error */
#define MISUSE_CASE(expr)                                                            \
  do {                                                                               \
    p = (rouse_plan *)&o;                                                            \
    CHECK_EQ_INT(expr, ROUSE_MISUSE);                                                \
    CHECK(p == NULL);                                                                \
  } while (0)
  rouse_plan_opts_init(&o);
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, sc, 3, &o, NULL), ROUSE_MISUSE);
  MISUSE_CASE(rouse_plan_build(NULL, NULL, v, sc, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(ids, NULL, NULL, sc, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(idn, NULL, v, sc, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(ids, NULL, vn, sc, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(ids, NULL, vi, sc, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, scn, 3, &o, &p));
  MISUSE_CASE(rouse_plan_build(ids, el2, v, sc, 3, &o, &p));
  /* the bad entries sit in a row that is not a candidate: fine */
  CHECK_EQ_INT(rouse_plan_build(idn, el, vn, scn, 3, &o, &p), ROUSE_OK);
  CHECK(p && p->n == 2 && p->n_candidates == 2);
  rouse_plan_free(p);

  o.holdout_share = 1;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.holdout_share = 1.5;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.holdout_share = -0.1;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.holdout_share = NAN;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.holdout_share = 0.999;
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p), ROUSE_OK);
  rouse_plan_free(p);
  rouse_plan_opts_init(&o);
  o.cost_per_contact = -1;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.cost_per_contact = NAN;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.cost_per_contact = INFINITY;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  rouse_plan_opts_init(&o);
  o.budget = -100;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.budget = INFINITY;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  rouse_plan_opts_init(&o);
  o.min_score = NAN;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
  o.min_score = 0.2; /* asks for a filter, but there is no score */
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, NULL, 3, &o, &p));
  o.min_score = -1;
  CHECK_EQ_INT(rouse_plan_build(ids, NULL, v, NULL, 3, &o, &p), ROUSE_OK);
  rouse_plan_free(p);
  rouse_plan_opts_init(&o);
  o.struct_size = sizeof o - 1;
  MISUSE_CASE(rouse_plan_build(ids, NULL, v, sc, 3, &o, &p));
#undef MISUSE_CASE
}

static int fail_after = -1;
static void *f_malloc(void *ctx, size_t n) {
  (void)ctx;
  return fail_after-- == 0 ? NULL : malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  return fail_after-- == 0 ? NULL : realloc(p, n);
}
static void f_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

/* fail each allocation in turn: a clean ROUSE_NOMEM, *out NULL, nothing leaked (ASan) */
static void test_nomem(void) {
  const char *ids[] = {"a", "b", "c", "d", "e"};
  double v[] = {1, 2, 3, 4, 5};
  rouse_plan_opts o;
  rouse_plan_opts_init(&o);
  o.holdout_share = 0.2;
  rouse_alloc a = {f_malloc, f_realloc, f_free, NULL};
  rouse_set_allocator(&a);
  int k, bad = 0;
  rouse_plan *p = NULL;
  for (k = 0; k < 20; k++) {
    fail_after = k;
    int rc = rouse_plan_build(ids, NULL, v, NULL, 5, &o, &p);
    if (rc == ROUSE_OK) break;
    bad += rc != ROUSE_NOMEM || p != NULL;
  }
  fail_after = -1;
  CHECK_EQ_INT(bad, 0);
  CHECK(k >= 4 && k < 20); /* plan, ranking, row, holdout flags, draw */
  rouse_plan_columns c;
  rouse_plan_columns_init(&c);
  c.n = 5;
  c.ids = ids;
  struct mem m = {0};
  fail_after = 0;
  CHECK_EQ_INT(rouse_plan_write_csv(p, &c, 0, mem_write, &m), ROUSE_NOMEM);
  CHECK_EQ_INT(m.calls, 0);
  fail_after = -1;
  rouse_set_allocator(NULL);
  rouse_plan_free(p);
  mem_reset(&m);
}

int main(void) {
  test_basics();
  test_ranking();
  test_sizes();
  test_holdout();
  test_holdout_large();
  test_csv();
  test_csv_long();
  test_misuse();
  test_nomem();
  return done_testing();
}
