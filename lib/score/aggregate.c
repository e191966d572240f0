/* SPDX-License-Identifier: MIT
 * Aggregates of the scores for the analysis report and dashboards (rouse_score_aggregate):
 * counts and sums per state, tier, reason, histogram bin, dormancy segment and RFM cell, and
 * how far the model's top decile overlaps the RFM score's. */
#include <math.h>
#include <string.h>

#include "score_priv.h"

static int bin_of(double v100) { /* 0..100 -> 0..ROUSE_SCORE_AGG_BINS-1 */
  if (!(v100 > 0)) return 0;
  int b = (int)(v100 / (100.0 / ROUSE_SCORE_AGG_BINS));
  return b < ROUSE_SCORE_AGG_BINS ? b : ROUSE_SCORE_AGG_BINS - 1;
}

/* marks the top k of n rows by score descending, ties in row order: every row above the
 * k-th score, then the first rows (in row order) at it */
static int mark_top(const double *score, size_t n, size_t k, uint8_t *mark) {
  if (k == 0 || n == 0) return ROUSE_OK;
  if (k > n) k = n;
  uint64_t *key = rouse__reallocarray(NULL, n, sizeof *key);
  if (!key) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) key[i] = ~rouse__sort_key_f64(score[i]);
  uint64_t cut = rouse__select_u64(key, n, k - 1);
  size_t above = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t ki = ~rouse__sort_key_f64(score[i]);
    mark[i] = ki < cut;
    above += ki < cut;
  }
  for (size_t i = 0; i < n && above < k; i++)
    if (~rouse__sort_key_f64(score[i]) == cut) mark[i] = 1, above++;
  rouse__free(key);
  return ROUSE_OK;
}

int rouse_score_aggregate(const rouse_scores *s, rouse_score_agg *out) {
  if (!s || !out || out->struct_size < sizeof *out) return ROUSE_MISUSE;
  rouse_score_agg a;
  memset(&a, 0, sizeof a);
  a.struct_size = out->struct_size;
  size_t n = s->n;
  double cell_p[5][5] = {{0}};
  for (size_t i = 0; i < n; i++) {
    int st = s->life->state[i];
    a.tier[st][s->tier[i] < 3 ? s->tier[i] : 0]++;
    double ev = isfinite(s->expected_value[i]) ? s->expected_value[i] : 0;
    int dormant = st == ROUSE_STATE_DORMANT, gone = dormant || st == ROUSE_STATE_LOST;
    if (!gone) {
      a.risk_hist[bin_of(s->churn_risk[i])]++;
      a.forecast += ev;
    }
    if (dormant) {
      int b = bin_of(100 * s->p_purchase[i]);
      a.react_hist[b]++;
      a.react_value[b] += ev;
      int g = s->dormancy->segment[i];
      a.seg_count[g]++;
      a.seg_value[g] += ev;
      a.seg_p[g] += s->p_purchase[i];
    }
    if (st == ROUSE_STATE_AT_RISK) {
      a.at_risk++;
      const uint8_t *rc = s->reason + i * ROUSE_SCORE_REASONS;
      for (int k = 0; k < ROUSE_SCORE_REASONS; k++) {
        if (rc[k] == ROUSE_REASON_NONE || rc[k] >= ROUSE_REASON_COUNT) continue;
        int seen = 0; /* a code counts once per customer */
        for (int j = 0; j < k; j++) seen |= rc[j] == rc[k];
        if (!seen) a.reason_at_risk[rc[k]]++;
      }
      double v = isfinite(s->value_at_stake[i]) ? s->value_at_stake[i] : 0;
      a.stake_by_tier[s->tier[i] < 3 ? s->tier[i] : 0] += v;
    }
    int r = s->rfm->r[i] - 1, f = s->rfm->f[i] - 1;
    if (r >= 0 && r < 5 && f >= 0 && f < 5) {
      a.rfm_cell[r][f]++;
      cell_p[r][f] += s->p_purchase[i];
    }
  }
  for (int g = 0; g < ROUSE_DORMANCY_COUNT; g++)
    if (a.seg_count[g]) a.seg_p[g] /= (double)a.seg_count[g];
  for (int r = 0; r < 5; r++)
    for (int f = 0; f < 5; f++)
      a.rfm_cell_p[r][f] = a.rfm_cell[r][f] ? cell_p[r][f] / (double)a.rfm_cell[r][f] : 0;
  a.top_n = (n + 9) / 10;
  if (n) {
    uint8_t *m1 = rouse__calloc(n, 1), *m2 = rouse__calloc(n, 1);
    double *rs = rouse__reallocarray(NULL, n, sizeof *rs);
    int rc = m1 && m2 && rs ? ROUSE_OK : ROUSE_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) rs[i] = s->rfm->score[i];
    if (!rc) rc = mark_top(s->p_purchase, n, a.top_n, m1);
    if (!rc) rc = mark_top(rs, n, a.top_n, m2);
    for (size_t i = 0; !rc && i < n; i++) a.top_overlap += m1[i] && m2[i];
    rouse__free(m1);
    rouse__free(m2);
    rouse__free(rs);
    if (rc) return rc;
  }
  *out = a;
  return ROUSE_OK;
}
