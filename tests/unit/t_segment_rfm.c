/* SPDX-License-Identifier: MIT
 * RFM 5x5x5 (lib/segment/rfm.c): rank scores with ties, all-equal and n = 1 cases, the
 * segment map grid, a hand-computed summary, permutation invariance and the CDNOW sample
 * against a brute-force count of smaller values. */
#include <math.h>

#include "../numeric/model_data.h"
#include "harness.h"
#include "rouse/rouse_segment.h"
#include "segment_fixture.h"

static void test_rank_scores(void) {
  uint8_t o[16];
  int64_t a[] = {10, 20, 30, 40, 50};
  CHECK_EQ_INT(rouse_segment_rank_scores(a, 5, 5, o), ROUSE_OK);
  for (int i = 0; i < 5; i++) CHECK_EQ_INT(o[i], i + 1);
  int64_t b[] = {3, 1, 2, 1, 1}; /* less: 4, 0, 3, 0, 0 -> 1+floor(5*less/5) */
  CHECK_EQ_INT(rouse_segment_rank_scores(b, 5, 5, o), ROUSE_OK);
  CHECK_EQ_INT(o[0], 5);
  CHECK_EQ_INT(o[1], 1);
  CHECK_EQ_INT(o[2], 4);
  CHECK_EQ_INT(o[3], 1);
  CHECK_EQ_INT(o[4], 1);
  int64_t c[] = {7, 7, 7, 7}; /* all equal: all 1 */
  CHECK_EQ_INT(rouse_segment_rank_scores(c, 4, 5, o), ROUSE_OK);
  for (int i = 0; i < 4; i++) CHECK_EQ_INT(o[i], 1);
  int64_t d[] = {-5}; /* n = 1 */
  CHECK_EQ_INT(rouse_segment_rank_scores(d, 1, 5, o), ROUSE_OK);
  CHECK_EQ_INT(o[0], 1);
  int64_t e[10];
  for (int i = 0; i < 10; i++) e[i] = 9 - i; /* less = 9 - i */
  CHECK_EQ_INT(rouse_segment_rank_scores(e, 10, 5, o), ROUSE_OK);
  static const int want_e[10] = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
  for (int i = 0; i < 10; i++) CHECK_EQ_INT(o[i], want_e[i]);
  int64_t f[] = {1, 2, 3}; /* 1+floor(0), 1+floor(5/3), 1+floor(10/3) */
  CHECK_EQ_INT(rouse_segment_rank_scores(f, 3, 5, o), ROUSE_OK);
  CHECK_EQ_INT(o[0], 1);
  CHECK_EQ_INT(o[1], 2);
  CHECK_EQ_INT(o[2], 4);
  int64_t g[] = {INT64_MIN, INT64_MAX, 0, INT64_MAX}; /* extremes: less 0, 2, 1, 2 */
  CHECK_EQ_INT(rouse_segment_rank_scores(g, 4, 5, o), ROUSE_OK);
  CHECK_EQ_INT(o[0], 1);
  CHECK_EQ_INT(o[1], 3);
  CHECK_EQ_INT(o[2], 2);
  CHECK_EQ_INT(o[3], 3);
  CHECK_EQ_INT(rouse_segment_rank_scores(a, 5, 0, o), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_rank_scores(NULL, 5, 5, o), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_rank_scores(NULL, 0, 5, NULL), ROUSE_OK);
}

/* the linear-time ranks against the definition (count of smaller values, by brute force) on
 * random values: negatives, INT64 extremes, many ties, wide and narrow ranges */
static void test_rank_random(void) {
  enum { N = 3000 };
  static int64_t v[N];
  static uint8_t o[N];
  uint64_t z = 0x1234567;
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < N; i++) {
      z = z * 6364136223846793005ull + 1442695040888963407ull;
      int64_t r = (int64_t)(z >> 11);
      v[i] = round == 0   ? r % 7 - 3                         /* a few values, ties */
             : round == 1 ? r - (INT64_C(1) << 51)             /* wide, both signs */
             : round == 2 ? (i % 11 ? r % 100000 : (i % 2 ? INT64_MAX : INT64_MIN))
                          : 19000 + r % 500;                   /* days */
    }
    int nb = round == 1 ? 10 : 5;
    CHECK_EQ_INT(rouse_segment_rank_scores(v, N, nb, o), ROUSE_OK);
    int bad = 0;
    for (int i = 0; i < N; i++) {
      size_t less = 0;
      for (int j = 0; j < N; j++) less += v[j] < v[i];
      bad += o[i] != 1 + (int)(less * (size_t)nb / N);
    }
    CHECK_EQ_INT(bad, 0);
  }
}

static void test_grid(void) {
  size_t per_group[ROUSE_RFM_GROUP_COUNT] = {0};
  for (int r = 1; r <= 5; r++)
    for (int f = 1; f <= 5; f++) {
      int g = rouse_segment_rfm_group_of(r, f);
      CHECK(g >= 0 && g < ROUSE_RFM_GROUP_COUNT);
      if (g >= 0 && g < ROUSE_RFM_GROUP_COUNT) per_group[g]++;
    }
  for (int g = 0; g < ROUSE_RFM_GROUP_COUNT; g++) {
    CHECK(per_group[g] > 0);
    CHECK(rouse_segment_rfm_group_name(g) != NULL);
    CHECK(rouse_segment_rfm_group_label(g) != NULL);
    CHECK(rouse_segment_rfm_group_label_ja(g) != NULL);
  }
  /* the table in docs/segments.md */
  CHECK_EQ_INT(rouse_segment_rfm_group_of(5, 5), ROUSE_RFM_CHAMPIONS);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(5, 4), ROUSE_RFM_CHAMPIONS);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(3, 4), ROUSE_RFM_LOYAL);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(4, 5), ROUSE_RFM_LOYAL);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(4, 2), ROUSE_RFM_POTENTIAL_LOYALIST);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(5, 3), ROUSE_RFM_POTENTIAL_LOYALIST);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(5, 1), ROUSE_RFM_NEW);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(4, 1), ROUSE_RFM_PROMISING);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(3, 3), ROUSE_RFM_NEED_ATTENTION);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(3, 1), ROUSE_RFM_ABOUT_TO_SLEEP);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(3, 2), ROUSE_RFM_ABOUT_TO_SLEEP);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(2, 3), ROUSE_RFM_AT_RISK);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(1, 4), ROUSE_RFM_AT_RISK);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(1, 5), ROUSE_RFM_CANT_LOSE);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(2, 5), ROUSE_RFM_CANT_LOSE);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(2, 1), ROUSE_RFM_HIBERNATING);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(2, 2), ROUSE_RFM_HIBERNATING);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(1, 1), ROUSE_RFM_LOST);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(1, 2), ROUSE_RFM_LOST);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(0, 2), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_segment_rfm_group_of(1, 6), ROUSE_MISUSE);
  CHECK(rouse_segment_rfm_group_name(ROUSE_RFM_GROUP_COUNT) == NULL);
  CHECK(rouse_segment_rfm_group_name(-1) == NULL);
  CHECK_EQ_STR(rouse_segment_rfm_group_label(ROUSE_RFM_CANT_LOSE), "Can't lose them");
}

static void test_hand(void) {
  struct fake f;
  fake_init(&f, 5, 200);
  /* R, F and M all rank 5,4,3,2,1 */
  fake_set(&f, 0, 10, 100, 5, 500000);
  fake_set(&f, 1, 10, 90, 4, 400000);
  fake_set(&f, 2, 10, 80, 3, 300000);
  fake_set(&f, 3, 10, 70, 2, 200000);
  fake_set(&f, 4, 60, 60, 1, 100000);
  rouse_rfm *r = NULL;
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, NULL, &r), ROUSE_OK);
  if (!r) return;
  static const int want_group[5] = {ROUSE_RFM_CHAMPIONS, ROUSE_RFM_LOYAL,
                                    ROUSE_RFM_NEED_ATTENTION, ROUSE_RFM_HIBERNATING,
                                    ROUSE_RFM_LOST};
  for (int i = 0; i < 5; i++) {
    CHECK_EQ_INT(r->r[i], 5 - i);
    CHECK_EQ_INT(r->f[i], 5 - i);
    CHECK_EQ_INT(r->m[i], 5 - i);
    CHECK_EQ_INT(r->score[i], 15 - 3 * i);
    CHECK_EQ_INT(r->group[i], want_group[i]);
  }
  CHECK_EQ_INT(r->count[ROUSE_RFM_CHAMPIONS], 1);
  CHECK_EQ_INT(r->count[ROUSE_RFM_NEW], 0);
  CHECK_EQ_INT(r->cell[4][4], 1);
  rouse_segment_rfm_free(r);

  /* F by orders, groups on FM: customer 4 buys little but spends most */
  f.orders[0] = 1; /* orders now 1,4,3,2,1: less 0,4,3,2,0 -> F 1,5,4,3,1 */
  f.tot[4] = 900000; /* totals 50,40,30,20,90 (x1e4): less 3,2,1,0,4 -> M 4,3,2,1,5 */
  rouse_rfm_opts o;
  rouse_segment_rfm_opts_init(&o);
  o.f_basis = ROUSE_RFM_F_ORDERS;
  o.grid = ROUSE_RFM_GRID_RFM;
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, &o, &r), ROUSE_OK);
  if (!r) return;
  CHECK_EQ_INT(r->f[0], 1);
  CHECK_EQ_INT(r->f[1], 5);
  CHECK_EQ_INT(r->m[0], 4);
  CHECK_EQ_INT(r->m[4], 5);
  /* customer 0: R5, FM = (1+4+1)/2 = 3 -> potential loyalist; customer 4: R1, FM 3 -> at risk */
  CHECK_EQ_INT(r->group[0], ROUSE_RFM_POTENTIAL_LOYALIST);
  CHECK_EQ_INT(r->group[4], ROUSE_RFM_AT_RISK);
  CHECK_EQ_INT(r->cell[0][2], 1);
  rouse_segment_rfm_free(r);

  /* all equal and n = 1: every score 1, group lost (scores are relative) */
  fake_init(&f, 3, 200);
  for (int i = 0; i < 3; i++) fake_set(&f, (size_t)i, 50, 100, 2, 12345);
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, NULL, &r), ROUSE_OK);
  if (!r) return;
  for (int i = 0; i < 3; i++) {
    CHECK_EQ_INT(r->score[i], 3);
    CHECK_EQ_INT(r->group[i], ROUSE_RFM_LOST);
  }
  rouse_segment_rfm_free(r);
  fake_init(&f, 1, 200);
  fake_set(&f, 0, 199, 199, 1, 10);
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, NULL, &r), ROUSE_OK);
  if (r) CHECK_EQ_INT(r->score[0], 3);
  rouse_segment_rfm_free(r);
  fake_init(&f, 0, 200);
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, NULL, &r), ROUSE_OK);
  if (r) CHECK_EQ_INT(r->n, 0);
  rouse_segment_rfm_free(r);

  /* misuse */
  CHECK_EQ_INT(rouse_segment_rfm(NULL, NULL, &r), ROUSE_MISUSE);
  CHECK(r == NULL);
  o.struct_size = 4;
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, &o, &r), ROUSE_MISUSE);
  rouse_segment_rfm_opts_init(&o);
  o.f_basis = 7;
  CHECK_EQ_INT(rouse_segment_rfm(&f.s, &o, &r), ROUSE_MISUSE);
  rouse_segment_rfm_free(NULL);
}

/* number of j with v[j] < v[i], brute force */
static size_t less_bf(const rouse_summary *s, size_t i, int which) {
  size_t c = 0;
  for (size_t j = 0; j < s->n; j++) {
    int64_t a, b;
    if (which == 0) a = s->last_day[j], b = s->last_day[i];
    else if (which == 1) a = s->purchase_days[j], b = s->purchase_days[i];
    else a = s->total_e4[j], b = s->total_e4[i];
    c += a < b;
  }
  return c;
}

static void test_cdnow(void) {
  char buf[4096];
  const char *path = md_find("data/cdnow_sample/transactions.csv", buf, sizeof buf);
  CHECK(path != NULL);
  if (!path) return;
  struct md_cols c;
  CHECK_EQ_INT(md_load(path, rouse_date_from_ymd(1998, 6, 30), INT32_MIN, 1, 1, &c), 0);
  const rouse_summary *s = c.s;
  if (!s) return;
  rouse_rfm *r = NULL;
  CHECK_EQ_INT(rouse_segment_rfm(s, NULL, &r), ROUSE_OK);
  if (!r) {
    md_free(&c);
    return;
  }
  size_t sum = 0, cells = 0;
  for (int g = 0; g < ROUSE_RFM_GROUP_COUNT; g++) {
    sum += r->count[g];
    printf("# %-18s %5zu\n", rouse_segment_rfm_group_name(g), r->count[g]);
  }
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) cells += r->cell[i][j];
  CHECK_EQ_INT(sum, s->n);
  CHECK_EQ_INT(cells, s->n);
  size_t bad = 0, bad_sum = 0;
  for (size_t i = 0; i < s->n; i++) {
    for (int w = 0; w < 3; w++) {
      size_t want = 1 + 5 * less_bf(s, i, w) / s->n;
      int got = w == 0 ? r->r[i] : w == 1 ? r->f[i] : r->m[i];
      bad += (size_t)got != want;
    }
    bad_sum += r->score[i] != r->r[i] + r->f[i] + r->m[i];
    bad_sum += r->group[i] != rouse_segment_rfm_group_of(r->r[i], r->f[i]);
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(bad_sum, 0);

  /* permutation invariance: same per-customer result, same counts */
  size_t *perm = malloc(s->n * sizeof *perm);
  for (uint64_t seed = 1; seed <= 3; seed++) {
    shuffle(perm, s->n, seed);
    struct perm p;
    permute(s, perm, &p);
    rouse_rfm *q = NULL;
    CHECK_EQ_INT(rouse_segment_rfm(&p.s, NULL, &q), ROUSE_OK);
    if (q) {
      size_t diff = 0;
      for (size_t i = 0; i < s->n; i++) {
        size_t j = perm[i];
        diff += q->r[i] != r->r[j] || q->f[i] != r->f[j] || q->m[i] != r->m[j] ||
                q->group[i] != r->group[j] || q->score[i] != r->score[j];
      }
      CHECK_EQ_INT(diff, 0);
      CHECK(!memcmp(q->count, r->count, sizeof q->count));
      CHECK(!memcmp(q->cell, r->cell, sizeof q->cell));
    }
    rouse_segment_rfm_free(q);
    perm_free(&p);
  }
  free(perm);
  rouse_segment_rfm_free(r);
  md_free(&c);
}

int main(void) {
  test_rank_scores();
  test_rank_random();
  test_grid();
  test_hand();
  test_cdnow();
  return done_testing();
}
