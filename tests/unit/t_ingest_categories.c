/* SPDX-License-Identifier: MIT
 * Per-category dormancy thresholds (rouse_categories_build, lib/ingest/category.c) on a shop
 * written out below: supplement buyers who come back every 10 days, sofa buyers every 150
 * days, a few tea buyers (too few intervals for a threshold of their own), a customer who
 * buys both (main category by purchase days), one tie (first by name), rows without a
 * category, a cancelled row and rows after the as-of date (not counted). Checked: names in
 * byte order, buyers, main categories, the category mix (categories bought, the main one's
 * share), interval counts, thresholds by the shop's rule
 * (90th percentile rounded up to whole months), the lifecycle and the month-by-month history
 * judged by them, and the same result at 1 and 2 threads. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "rouse/rouse.h"

#define D(y, m, d) rouse_date_from_ymd(y, m, d)

static char csv[1 << 20];
static size_t len;

static void row(const char *id, int32_t day, const char *cat, const char *status) {
  char d[16];
  rouse_date_format(day, d);
  len += (size_t)snprintf(csv + len, sizeof csv - len, "%s,%s,10,%s,%s\n", id, d, cat, status);
}

static rouse_ingest *load(int threads) {
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = threads;
  rouse_ingest *ing = NULL;
  if (rouse_ingest_new(&o, &ing) || rouse_ingest_memory(ing, "cat.csv", csv, len)) {
    rouse_ingest_free(ing);
    return NULL;
  }
  return ing;
}

static long find(const rouse_summary *s, const char *id) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->id[i], id)) return (long)i;
  return -1;
}

static rouse_summary *summary_at(const rouse_ingest *ing, int32_t as_of) {
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  so.as_of = as_of;
  rouse_summary *s = NULL;
  return rouse_summary_build(ing, &so, 1, &s) ? NULL : s;
}

int main(void) {
  const int32_t as_of = D(2024, 7, 1), t0 = D(2023, 6, 1);
  len = (size_t)snprintf(csv, sizeof csv, "customer_id,date,amount,category,status\n");
  char id[32];
  for (int c = 0; c < 150; c++) { /* supplements: every 10 days, 12 to 20 purchases */
    snprintf(id, sizeof id, "s%03d", c);
    int32_t start = D(2024, 1, 1) + c % 7;
    for (int k = 0; k < 12 + c % 9; k++) row(id, start + 10 * k, "supplement", "");
  }
  for (int c = 0; c < 60; c++) { /* sofas: three purchases 150 days apart */
    snprintf(id, sizeof id, "f%03d", c);
    for (int k = 0; k < 3; k++) row(id, t0 + c + 150 * k, "sofa", "");
  }
  for (int c = 0; c < 5; c++) { /* tea: one interval each */
    snprintf(id, sizeof id, "t%03d", c);
    row(id, D(2024, 3, 1), "tea", "");
    row(id, D(2024, 4, 1), "tea", "");
  }
  /* both: three supplement days, one sofa day -> supplement */
  row("mix", D(2024, 2, 1), "supplement", "");
  row("mix", D(2024, 2, 11), "supplement", "");
  row("mix", D(2024, 2, 11), "sofa", ""); /* the same day in another category */
  row("mix", D(2024, 2, 21), "supplement", "");
  /* a tie, one day each: the first name in byte order, "sofa" */
  row("tie", D(2024, 5, 1), "supplement", "");
  row("tie", D(2024, 5, 20), "sofa", "");
  /* not counted: no category, cancelled, on or after the as-of date */
  row("none", D(2024, 6, 1), "", "");
  row("none", D(2024, 6, 2), "", "");
  row("late", D(2024, 6, 20), "tea", "");
  row("late", D(2024, 7, 1), "tea", "");
  row("late", D(2024, 7, 9), "furniture", "");
  row("can", D(2024, 6, 10), "candles", "cancelled");
  row("can", D(2024, 6, 11), "tea", "");

  rouse_ingest *ing = load(2), *ing1 = load(1);
  CHECK(ing != NULL && ing1 != NULL);
  if (!ing || !ing1) return done_testing();
  rouse_summary *s = summary_at(ing, as_of);
  CHECK(s != NULL);
  if (!s) return done_testing();
  rouse_categories *c = NULL, *c1 = NULL;
  CHECK_EQ_INT(rouse_categories_build(ing, s, NULL, &c), ROUSE_OK);
  CHECK_EQ_INT(rouse_categories_build(ing1, s, NULL, &c1), ROUSE_OK);
  if (!c || !c1) return done_testing();
  /* "candles" is only on a cancelled row, "furniture" only after the as-of date */
  CHECK_EQ_INT(c->n, 3);
  CHECK(c->n == 3 && !strcmp(c->name[0], "sofa") && !strcmp(c->name[1], "supplement") &&
        !strcmp(c->name[2], "tea"));
  if (c->n != 3) return done_testing();
  CHECK_EQ_INT(c->buyers[0], 62);  /* 60 sofa buyers, mix, tie */
  CHECK_EQ_INT(c->buyers[1], 152); /* 150, mix, tie */
  CHECK_EQ_INT(c->buyers[2], 7);   /* 5, late (2024-06-20), can (2024-06-11) */
  long mix = find(s, "mix"), tie = find(s, "tie"), none = find(s, "none"), f0 = find(s, "f000"),
       s0 = find(s, "s000"), t0i = find(s, "t000");
  CHECK(mix >= 0 && tie >= 0 && none >= 0 && f0 >= 0 && s0 >= 0 && t0i >= 0);
  if (mix < 0 || tie < 0 || none < 0 || f0 < 0 || s0 < 0 || t0i < 0) return done_testing();
  CHECK_EQ_INT(c->main[mix], 1);
  CHECK_EQ_INT(c->main[tie], 0);
  CHECK_EQ_INT(c->main[none], -1);
  /* the category mix: mix has (supplement, 3 days) and (sofa, 1 day) -> 3 of 4 pairs */
  CHECK_EQ_INT(c->bought[mix], 2);
  CHECK_NEAR(c->main_share[mix], 0.75, 1e-7);
  CHECK_EQ_INT(c->bought[tie], 2);
  CHECK_NEAR(c->main_share[tie], 0.5, 1e-7);
  CHECK_EQ_INT(c->bought[s0], 1);
  CHECK_NEAR(c->main_share[s0], 1, 0);
  CHECK_EQ_INT(c->bought[none], 0);
  CHECK(isnan(c->main_share[none]));
  CHECK_EQ_INT(c->customers[0], 61);  /* sofa buyers and the tie */
  CHECK_EQ_INT(c->customers[1], 151); /* supplement buyers and mix */
  CHECK_EQ_INT(c->customers[2], 7);
  /* intervals of each category's customers: 120 sofa gaps of 150 days (+ the tie's 19 days),
   * supplement gaps of 10 days, the tea customers' 31 days */
  uint64_t want_sup = 2; /* mix: two gaps of 10 days; each s customer: its days before as_of */
  for (int k = 0; k < 150; k++) {
    int days = 0;
    for (int j = 0; j < 12 + k % 9; j++) days += D(2024, 1, 1) + k % 7 + 10 * j < as_of;
    want_sup += (uint64_t)days - 1;
  }
  CHECK_EQ_INT(c->interval[0].intervals, 121);
  CHECK_EQ_INT(c->interval[1].intervals, want_sup);
  CHECK_EQ_INT(c->interval[2].intervals, 5); /* t000..t004; late and can have one tea day each
                                                before as_of (can's other row is cancelled) */
  CHECK(c->interval[0].basis_value == 150 && c->dormant_days[0] == 150);
  CHECK(c->interval[1].basis_value == 10 && c->dormant_days[1] == 30);
  CHECK_EQ_INT(c->dormant_days[2], 0); /* 6 intervals < 100: the shop's */
  { /* a floor of 60 days raises the supplement's 30, not the sofa's 150 nor tea's 0 */
    rouse_category_opts fo;
    rouse_category_opts_init(&fo);
    fo.min_dormant_days = 60;
    rouse_categories *cf = NULL;
    CHECK_EQ_INT(rouse_categories_build(ing, s, &fo, &cf), ROUSE_OK);
    if (cf) {
      CHECK_EQ_INT(cf->dormant_days[0], 150);
      CHECK_EQ_INT(cf->dormant_days[1], 60);
      CHECK_EQ_INT(cf->dormant_days[2], 0);
      CHECK_EQ_INT(cf->interval[1].threshold_days, 30); /* the rule's value is kept */
    }
    rouse_categories_free(cf);
    fo.min_dormant_days = -1;
    CHECK_EQ_INT(rouse_categories_build(ing, s, &fo, &cf), ROUSE_MISUSE);
  }
  CHECK_EQ_INT(c->rows, c1->rows);
  int same = c1->n == c->n;
  for (size_t k = 0; same && k < c->n; k++)
    same = !strcmp(c->name[k], c1->name[k]) && c->buyers[k] == c1->buyers[k] &&
           c->customers[k] == c1->customers[k] && c->dormant_days[k] == c1->dormant_days[k] &&
           c->interval[k].intervals == c1->interval[k].intervals;
  for (size_t i = 0; same && i < s->n; i++) same = c->main[i] == c1->main[i];
  CHECK(same);

  /* the lifecycle judged by each customer's main category */
  int32_t *own = calloc(s->n, sizeof *own);
  for (size_t i = 0; own && i < s->n; i++) own[i] = c->main[i] >= 0 ? c->dormant_days[c->main[i]] : 0;
  rouse_lifecycle_opts lo;
  rouse_segment_lifecycle_opts_init(&lo);
  rouse_lifecycle *shop = NULL, *bycat = NULL;
  CHECK_EQ_INT(rouse_segment_lifecycle(s, NULL, NULL, &lo, &shop), ROUSE_OK);
  lo.dormant_days_of = own;
  CHECK_EQ_INT(rouse_segment_lifecycle(s, NULL, NULL, &lo, &bycat), ROUSE_OK);
  if (shop && bycat) {
    printf("# shop threshold %d days; f000 recency %d, s000 recency %d, mix recency %d\n",
           (int)shop->dormant_days, (int)shop->recency_days[f0], (int)shop->recency_days[s0],
           (int)shop->recency_days[mix]);
    /* sofa buyers silent for less than 150 days are not dormant by their category */
    int ok_sofa = 1, ok_sup = 1;
    size_t sofa_shop = 0, sofa_cat = 0;
    for (size_t i = 0; i < s->n; i++) {
      if (s->id[i][0] == 'f') {
        sofa_shop += shop->state[i] == ROUSE_STATE_DORMANT;
        sofa_cat += bycat->state[i] == ROUSE_STATE_DORMANT;
      }
      if (c->main[i] == 0 && s->id[i][0] == 'f')
        ok_sofa &= (bycat->state[i] == ROUSE_STATE_DORMANT) == (bycat->recency_days[i] >= 150);
      if (c->main[i] == 1 && s->id[i][0] == 's')
        ok_sup &= (bycat->state[i] == ROUSE_STATE_DORMANT) == (bycat->recency_days[i] >= 30);
    }
    CHECK(ok_sofa);
    CHECK(ok_sup);
    /* every sofa buyer is silent 36 to 96 days: dormant by the shop's 30 days, not by 150 */
    CHECK_EQ_INT(sofa_shop, 60);
    CHECK_EQ_INT(sofa_cat, 0);
    /* the tea customers keep the shop's threshold */
    CHECK_EQ_INT(bycat->state[t0i], shop->state[t0i]);
    /* and the supplement customers are dormant earlier than by the shop's threshold */
    CHECK(bycat->count[ROUSE_STATE_DORMANT] != shop->count[ROUSE_STATE_DORMANT]);
    /* the month-by-month history with the same per-customer thresholds: its last month ends
     * at the as-of date, so it counts the states of the lifecycle (at 1 and 2 threads); with
     * the shop's threshold alone it counts the shop's */
    for (int by = 0; by < 2; by++) {
      const rouse_lifecycle *want = by ? bycat : shop;
      for (int th = 1; th <= 2; th++) {
        rouse_history_opts ho;
        rouse_history_opts_init(&ho);
        ho.as_of = as_of;
        ho.dormant_days = shop->dormant_days;
        ho.at_risk_shop_days = shop->at_risk_shop_days;
        if (by) ho.ids = s->id, ho.dormant_days_of = own, ho.n_ids = s->n;
        rouse_history *h = NULL;
        CHECK_EQ_INT(rouse_history_build(th == 1 ? ing1 : ing, &ho, th, &h), ROUSE_OK);
        if (!h) continue;
        const uint64_t *last = h->state_count + (size_t)(h->n_months - 1) * ROUSE_STATE_COUNT;
        int same_counts = 1;
        for (int st = 0; st < ROUSE_STATE_COUNT; st++)
          same_counts &= last[st] == want->count[st];
        printf("# history (%s, %d threads): dormant %llu, lifecycle %zu\n",
               by ? "by category" : "shop", th, (unsigned long long)last[ROUSE_STATE_DORMANT],
               want->count[ROUSE_STATE_DORMANT]);
        CHECK(same_counts);
        rouse_history_free(h);
      }
    }
  }
  rouse_segment_lifecycle_free(shop);
  rouse_segment_lifecycle_free(bycat);
  free(own);
  /* no category column: ROUSE_EMPTY */
  {
    len = (size_t)snprintf(csv, sizeof csv, "customer_id,date,amount\na,2024-01-01,1\na,2024-02-01,1\n");
    rouse_ingest *plain = load(1);
    rouse_summary *ps = plain ? summary_at(plain, as_of) : NULL;
    rouse_categories *pc = NULL;
    CHECK(ps != NULL);
    if (ps) CHECK_EQ_INT(rouse_categories_build(plain, ps, NULL, &pc), ROUSE_EMPTY);
    CHECK(pc == NULL);
    CHECK_EQ_INT(rouse_categories_build(NULL, ps, NULL, &pc), ROUSE_MISUSE);
    rouse_summary_free(ps);
    rouse_ingest_free(plain);
  }
  rouse_categories_free(c);
  rouse_categories_free(c1);
  rouse_summary_free(s);
  rouse_ingest_free(ing);
  rouse_ingest_free(ing1);
  return done_testing();
}
