/* SPDX-License-Identifier: MIT
 * RFM 5x5x5: rank scores with shared scores for ties, the integer RFM sum and the named
 * groups of the RFM segment map (R x F grid, docs/segments.md). Also the sort helpers the
 * segment module shares. Knows nothing about dormancy thresholds (dormancy.c). */
#include <stdlib.h>

#include "segment.h"

/*=====================================================================
 * Shared helpers
 *====================================================================*/
/* int64 as an unsigned key in the same order */
static uint64_t key_of(int64_t v) { return (uint64_t)v ^ (UINT64_C(1) << 63); }

/*=====================================================================
 * Rank scores
 *====================================================================*/
int rouse_segment_rank_scores(const int64_t *v, size_t n, int n_bins, uint8_t *out) {
  if (n_bins < 1 || n_bins > 100) return ROUSE_MISUSE;
  if (n == 0) return ROUSE_OK;
  if (!v || !out) return ROUSE_MISUSE;
  /* values in a narrow range (days, counts): `less` from a histogram, in one pass */
  int64_t vmin = v[0], vmax = v[0];
  for (size_t i = 1; i < n; i++) {
    if (v[i] < vmin) vmin = v[i];
    if (v[i] > vmax) vmax = v[i];
  }
  if ((uint64_t)vmax - (uint64_t)vmin < (uint64_t)n) {
    size_t span = (size_t)((uint64_t)vmax - (uint64_t)vmin) + 1;
    size_t *less = rouse__calloc(span, sizeof *less);
    if (!less) return ROUSE_NOMEM;
    for (size_t i = 0; i < n; i++) less[(uint64_t)v[i] - (uint64_t)vmin]++;
    for (size_t j = 0, acc = 0; j < span; j++) { /* counts -> values below */
      size_t c = less[j];
      less[j] = acc;
      acc += c;
    }
    for (size_t i = 0; i < n; i++) {
      uint64_t q = (uint64_t)less[(uint64_t)v[i] - (uint64_t)vmin] * (uint64_t)n_bins / (uint64_t)n;
      out[i] = (uint8_t)(1 + q);
    }
    rouse__free(less);
    return ROUSE_OK;
  }
  struct rouse_kv *kv = rouse__reallocarray(NULL, n, sizeof *kv);
  if (!kv) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) kv[i].key = key_of(v[i]), kv[i].val = i;
  int rc = rouse__radix_sort_kv(kv, n, NULL); /* linear time, where qsort took 0.25 s at 1M */
  /* `less` = how many values are smaller: the position of the first of a run of equal keys */
  for (size_t k = 0, less = 0; !rc && k < n; k++) {
    if (k && kv[k].key != kv[k - 1].key) less = k;
    /* 1 + floor(n_bins * less / n), exact: less < n and n_bins <= 100, so no overflow
       for any n that fits in memory */
    uint64_t q = (uint64_t)less * (uint64_t)n_bins / (uint64_t)n;
    out[kv[k].val] = (uint8_t)(1 + q);
  }
  rouse__free(kv);
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
