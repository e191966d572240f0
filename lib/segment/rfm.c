/* SPDX-License-Identifier: MIT
 * RFM 5x5x5: rank scores with shared scores for ties, the integer RFM sum and the named
 * groups of the RFM segment map (R x F grid, docs/segments.md). Also the sort helpers the
 * segment module shares. Knows nothing about dormancy thresholds (dormancy.c). */
#include <stdlib.h>

#include "segment.h"

/*=====================================================================
 * Shared helpers
 *====================================================================*/
static uint64_t key_of(int64_t v) { return (uint64_t)v ^ (UINT64_C(1) << 63); }

/* LSD radix sort, ascending, of n order-preserving keys (key_of) on 8-bit digits, skipping
 * the digits on which all keys agree (recency, frequency and most amounts differ in two to
 * four of the eight); idx (may be NULL) moves with its key. Linear time: the ranks of a
 * million customers in milliseconds, where qsort and a binary search per customer took a
 * quarter of a second per column. */
static int radix_u64(uint64_t *key, size_t *idx, size_t n) {
  if (n < 2) return ROUSE_OK;
  size_t(*cnt)[256] = rouse__calloc(8, sizeof *cnt);
  uint64_t *kb = rouse__reallocarray(NULL, n, sizeof *kb);
  size_t *ib = idx ? rouse__reallocarray(NULL, n, sizeof *ib) : NULL;
  int rc = cnt && kb && (!idx || ib) ? ROUSE_OK : ROUSE_NOMEM;
  if (!rc) {
    for (size_t i = 0; i < n; i++)
      for (int d = 0; d < 8; d++) cnt[d][(key[i] >> (8 * d)) & 255]++;
    uint64_t *ks = key, *kd = kb; /* source and destination of the next pass */
    size_t *is = idx, *id = ib;
    for (int d = 0; d < 8; d++) {
      if (cnt[d][(key[0] >> (8 * d)) & 255] == n) continue; /* every key has this digit */
      size_t pos[256], at = 0;
      for (int b = 0; b < 256; b++) {
        pos[b] = at;
        at += cnt[d][b];
      }
      for (size_t i = 0; i < n; i++) {
        size_t to = pos[(ks[i] >> (8 * d)) & 255]++;
        kd[to] = ks[i];
        if (idx) id[to] = is[i];
      }
      uint64_t *tk = ks;
      ks = kd;
      kd = tk;
      size_t *ti = is;
      is = id;
      id = ti;
    }
    if (ks != key) { /* an odd number of passes: the result is in the scratch buffers */
      memcpy(key, ks, n * sizeof *key);
      if (idx) memcpy(idx, is, n * sizeof *idx);
    }
  }
  rouse__free(cnt);
  rouse__free(kb);
  rouse__free(ib);
  return rc;
}

int rouse__segment_sort_i64(const int64_t *v, size_t n, int64_t *sorted) {
  uint64_t *k = (uint64_t *)sorted; /* the same size: sorted in place as keys */
  for (size_t i = 0; i < n; i++) k[i] = key_of(v[i]);
  int rc = radix_u64(k, NULL, n);
  for (size_t i = 0; i < n; i++) sorted[i] = (int64_t)(k[i] ^ (UINT64_C(1) << 63));
  return rc;
}

/*=====================================================================
 * Rank scores
 *====================================================================*/
int rouse_segment_rank_scores(const int64_t *v, size_t n, int n_bins, uint8_t *out) {
  if (n_bins < 1 || n_bins > 100) return ROUSE_MISUSE;
  if (n == 0) return ROUSE_OK;
  if (!v || !out) return ROUSE_MISUSE;
  uint64_t *key = rouse__reallocarray(NULL, n, sizeof *key);
  size_t *idx = rouse__reallocarray(NULL, n, sizeof *idx);
  int rc = key && idx ? ROUSE_OK : ROUSE_NOMEM;
  if (!rc) {
    for (size_t i = 0; i < n; i++) {
      key[i] = key_of(v[i]);
      idx[i] = i;
    }
    rc = radix_u64(key, idx, n);
  }
  /* `less` = how many values are smaller: the position of the first of a run of equal keys */
  for (size_t k = 0, less = 0; !rc && k < n; k++) {
    if (k && key[k] != key[k - 1]) less = k;
    /* 1 + floor(n_bins * less / n), exact: less < n and n_bins <= 100, so no overflow
       for any n that fits in memory */
    uint64_t q = (uint64_t)less * (uint64_t)n_bins / (uint64_t)n;
    out[idx[k]] = (uint8_t)(1 + q);
  }
  rouse__free(key);
  rouse__free(idx);
  return rc;
}

/*=====================================================================
 * Segment map
 *====================================================================*/
static const char *const group_name[ROUSE_RFM_GROUP_COUNT] = {
    "champions",      "loyal",   "potential_loyalist", "new",       "promising",
    "need_attention", "about_to_sleep", "at_risk",     "cant_lose", "hibernating",
    "lost"};
static const char *const group_label[ROUSE_RFM_GROUP_COUNT] = {
    "Champions",      "Loyal",          "Potential loyalist", "New",
    "Promising",      "Need attention", "About to sleep",     "At risk",
    "Can't lose them", "Hibernating",   "Lost"};
static const char *const group_label_ja[ROUSE_RFM_GROUP_COUNT] = {
    "優良顧客",       "ロイヤル顧客",   "ロイヤル候補",   "新規顧客",
    "有望顧客",       "要注意顧客",     "休眠予備軍",     "離脱危険顧客",
    "失えない優良顧客", "休眠顧客",     "離脱顧客"};

/* [R-1][F-1]: rows R = 1..5, columns F = 1..5 (docs/segments.md, same layout) */
#define CH ROUSE_RFM_CHAMPIONS
#define LO ROUSE_RFM_LOYAL
#define PL ROUSE_RFM_POTENTIAL_LOYALIST
#define NW ROUSE_RFM_NEW
#define PR ROUSE_RFM_PROMISING
#define NA ROUSE_RFM_NEED_ATTENTION
#define AS ROUSE_RFM_ABOUT_TO_SLEEP
#define AR ROUSE_RFM_AT_RISK
#define CL ROUSE_RFM_CANT_LOSE
#define HI ROUSE_RFM_HIBERNATING
#define LS ROUSE_RFM_LOST
static const uint8_t grid[5][5] = {
    /* F:  1   2   3   4   5 */
    {LS, LS, AR, AR, CL}, /* R = 1 */
    {HI, HI, AR, AR, CL}, /* R = 2 */
    {AS, AS, NA, LO, LO}, /* R = 3 */
    {PR, PL, PL, LO, LO}, /* R = 4 */
    {NW, PL, PL, CH, CH}, /* R = 5 */
};
#undef CH
#undef LO
#undef PL
#undef NW
#undef PR
#undef NA
#undef AS
#undef AR
#undef CL
#undef HI
#undef LS

const char *rouse_segment_rfm_group_name(int g) {
  return g >= 0 && g < ROUSE_RFM_GROUP_COUNT ? group_name[g] : NULL;
}
const char *rouse_segment_rfm_group_label(int g) {
  return g >= 0 && g < ROUSE_RFM_GROUP_COUNT ? group_label[g] : NULL;
}
const char *rouse_segment_rfm_group_label_ja(int g) {
  return g >= 0 && g < ROUSE_RFM_GROUP_COUNT ? group_label_ja[g] : NULL;
}

int rouse_segment_rfm_group_of(int r, int f) {
  if (r < 1 || r > 5 || f < 1 || f > 5) return ROUSE_MISUSE;
  return grid[r - 1][f - 1];
}

/*=====================================================================
 * RFM
 *====================================================================*/
void rouse_segment_rfm_opts_init(rouse_rfm_opts *o) {
  if (!o) return;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->f_basis = ROUSE_RFM_F_PURCHASE_DAYS;
  o->grid = ROUSE_RFM_GRID_RF;
}

void rouse_segment_rfm_free(rouse_rfm *r) {
  if (!r) return;
  rouse__free(r->r);
  rouse__free(r->f);
  rouse__free(r->m);
  rouse__free(r->score);
  rouse__free(r->group);
  rouse__free(r);
}

int rouse_segment_rfm(const rouse_summary *s, const rouse_rfm_opts *o, rouse_rfm **out) {
  if (!out) return ROUSE_MISUSE;
  *out = NULL;
  if (!s) return ROUSE_MISUSE;
  rouse_rfm_opts def;
  rouse_segment_rfm_opts_init(&def);
  if (o) {
    if (o->struct_size < sizeof def) return ROUSE_MISUSE;
    def = *o;
  }
  if (def.f_basis != ROUSE_RFM_F_PURCHASE_DAYS && def.f_basis != ROUSE_RFM_F_ORDERS)
    return ROUSE_MISUSE;
  if (def.grid != ROUSE_RFM_GRID_RF && def.grid != ROUSE_RFM_GRID_RFM) return ROUSE_MISUSE;
  size_t n = s->n;
  if (n && (!s->last_day || !s->total_e4 ||
            (def.f_basis == ROUSE_RFM_F_ORDERS ? !s->orders : !s->purchase_days)))
    return ROUSE_MISUSE;

  int rc = ROUSE_NOMEM;
  int64_t *v = NULL;
  rouse_rfm *p = rouse__calloc(1, sizeof *p);
  if (!p) goto out;
  p->n = n;
  size_t alloc_n = n ? n : 1;
  p->r = rouse__malloc(alloc_n);
  p->f = rouse__malloc(alloc_n);
  p->m = rouse__malloc(alloc_n);
  p->score = rouse__malloc(alloc_n);
  p->group = rouse__malloc(alloc_n);
  v = rouse__reallocarray(NULL, alloc_n, sizeof *v);
  if (!p->r || !p->f || !p->m || !p->score || !p->group || !v) goto out;

  for (size_t i = 0; i < n; i++) v[i] = s->last_day[i];
  if ((rc = rouse_segment_rank_scores(v, n, 5, p->r))) goto out;
  for (size_t i = 0; i < n; i++)
    v[i] = def.f_basis == ROUSE_RFM_F_ORDERS ? s->orders[i] : s->purchase_days[i];
  if ((rc = rouse_segment_rank_scores(v, n, 5, p->f))) goto out;
  for (size_t i = 0; i < n; i++) v[i] = s->total_e4[i];
  if ((rc = rouse_segment_rank_scores(v, n, 5, p->m))) goto out;

  for (size_t i = 0; i < n; i++) {
    int r = p->r[i], f = p->f[i], m = p->m[i];
    int col = def.grid == ROUSE_RFM_GRID_RFM ? (f + m + 1) / 2 : f;
    p->score[i] = (uint8_t)(r + f + m);
    p->group[i] = grid[r - 1][col - 1];
    p->count[p->group[i]]++;
    p->cell[r - 1][col - 1]++;
  }
  rc = ROUSE_OK;
out:
  rouse__free(v);
  if (rc) rouse_segment_rfm_free(p);
  else *out = p;
  return rc;
}
