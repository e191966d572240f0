/* SPDX-License-Identifier: MIT
 * Binary-outcome evaluation metrics: ROC AUC (Mann-Whitney), average precision, top-fraction
 * lift, Brier score, log loss and expected calibration error with a reliability table.
 * Every metric works on one canonical sorted copy of (score, label), so ties are groups and
 * sums run in a fixed order: results do not depend on the order of the input rows.
 * Not for fitting or scoring; definitions are in include/rouse/rouse_eval.h. */
#include <math.h>
#include <stdlib.h>

#include "eval.h"

#define EVAL_MAX_BINS 100000
/* log-loss clip; 1 - 1e-15 rounds to the same double as in numpy (sklearn's eps) */
#define CLIP_LO ROUSE_EVAL_PROB_CLIP
#define CLIP_HI (1.0 - ROUSE_EVAL_PROB_CLIP)

/*=====================================================================
 * Canonical sorted copy
 *====================================================================*/
int rouse__eval_sorted(const double *score, const uint8_t *y, size_t n, int prob,
                       struct eval_row **out, size_t *out_pos) {
  if (!score || !y || !out || n == 0) return ROUSE_MISUSE;
  if (n > UINT32_MAX) return ROUSE_LIMIT; /* keeps 2U in uint64_t exact (auc) */
  size_t n_pos = 0;
  for (size_t i = 0; i < n; i++) {
    if (y[i] > 1) return ROUSE_MISUSE;
    if (prob ? !(score[i] >= 0.0 && score[i] <= 1.0) : !isfinite(score[i])) return ROUSE_MISUSE;
    n_pos += y[i];
  }
  /* score descending, then label descending: a total order on values (no NaN gets here).
   * The positives are put first and the radix sort is stable, so ties have them first. */
  struct eval_row *r = rouse__reallocarray(NULL, n, sizeof *r);
  struct rouse_kv *kv = rouse__reallocarray(NULL, n, sizeof *kv);
  if (!r || !kv) {
    rouse__free(r);
    rouse__free(kv);
    return ROUSE_NOMEM;
  }
  size_t a = 0, b = n_pos;
  for (size_t i = 0; i < n; i++) {
    size_t k = y[i] ? a++ : b++;
    kv[k].key = ~rouse__sort_key_f64(score[i]);
    kv[k].val = i;
  }
  int rc = rouse__radix_sort_kv(kv, n, NULL);
  for (size_t k = 0; !rc && k < n; k++) {
    r[k].s = score[kv[k].val] + 0.0; /* -0.0 -> +0.0 */
    r[k].y = y[kv[k].val];
  }
  rouse__free(kv);
  if (rc) {
    rouse__free(r);
    return rc;
  }
  *out = r;
  if (out_pos) *out_pos = n_pos;
  return ROUSE_OK;
}

/* end of the tie group starting at i: first j > i with r[j].s != r[i].s; counts its positives */
static size_t group_end(const struct eval_row *r, size_t n, size_t i, size_t *pos) {
  size_t j = i, p = 0;
  while (j < n && r[j].s == r[i].s) p += r[j++].y;
  *pos = p;
  return j;
}

/*=====================================================================
 * Ranking metrics (descending order)
 *====================================================================*/
/* 2U = sum over tie groups of 2 q P_above + p q, with p positives and q negatives in the
 * group and P_above positives in higher groups. Exact in uint64_t for n < 2^32. */
double rouse__eval_auc_sorted(const struct eval_row *r, size_t n, size_t n_pos) {
  uint64_t two_u = 0, pos_above = 0;
  for (size_t i = 0, j, p; i < n; i = j) {
    j = group_end(r, n, i, &p);
    uint64_t q = (uint64_t)(j - i - p);
    two_u += 2 * q * pos_above + (uint64_t)p * q;
    pos_above += p;
  }
  double n_neg = (double)(n - n_pos);
  return (double)two_u / (2.0 * (double)n_pos * n_neg);
}

/* AP = (1/n1) sum over groups of p_k * TP_k / N_k, TP_k and N_k cumulative through group k */
double rouse__eval_ap_sorted(const struct eval_row *r, size_t n, size_t n_pos) {
  double sum = 0;
  size_t tp = 0;
  for (size_t i = 0, j, p; i < n; i = j) {
    j = group_end(r, n, i, &p);
    tp += p;
    if (p) sum += (double)p * ((double)tp / (double)j);
  }
  return sum / (double)n_pos;
}

/* captured(m) with m = top n rows, linear inside the group that straddles m */
double rouse__eval_lift_sorted(const struct eval_row *r, size_t n, size_t n_pos, double top) {
  double m = top * (double)n, captured = 0;
  for (size_t i = 0, j, p; i < n; i = j) {
    j = group_end(r, n, i, &p);
    if ((double)j <= m) {
      captured += (double)p;
    } else {
      if (m > (double)i) captured += (double)p * ((m - (double)i) / (double)(j - i));
      break;
    }
  }
  return captured / (top * (double)n_pos);
}

/* the gains curve at k / (n_pts - 1) of the rows in one pass: captured(m) as above */
static void gains_sorted(const struct eval_row *r, size_t n, size_t n_pos, double *g, int n_pts) {
  double captured = 0; /* positives in the groups before i */
  int k = 0;
  for (size_t i = 0, j, p; i < n && k < n_pts; i = j) {
    j = group_end(r, n, i, &p);
    for (; k < n_pts; k++) { /* every point whose cut falls inside this group */
      double m = (double)n * k / (n_pts - 1);
      if (m > (double)j) break;
      g[k] = (captured + (double)p * ((m - (double)i) / (double)(j - i))) / (double)n_pos;
    }
    captured += (double)p;
  }
  for (; k < n_pts; k++) g[k] = 1.0;
  g[0] = 0.0;
}

/*=====================================================================
 * Probability metrics
 *====================================================================*/
double rouse__eval_brier_sorted(const struct eval_row *r, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    double d = r[i].s - (double)r[i].y;
    sum += d * d;
  }
  return sum / (double)n;
}

double rouse__eval_log_loss_sorted(const struct eval_row *r, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    double q = r[i].s < CLIP_LO ? CLIP_LO : r[i].s > CLIP_HI ? CLIP_HI : r[i].s;
    sum -= r[i].y ? log(q) : log1p(-q);
  }
  return sum / (double)n;
}

/* per-bin accumulator */
struct bin_acc {
  double cnt, sp, sy; /* weight, sum of p, sum of y (weighted) */
  double lo, hi;      /* smallest and largest p with weight (quantile) */
};

/* closes bin b: adds |sp - sy| to *ece_sum and writes the table row if asked */
static void bin_flush(const struct bin_acc *a, int b, int n_bins, int binning,
                      rouse_eval_bin *bins, double *ece_sum) {
  *ece_sum += fabs(a->sp - a->sy);
  if (!bins) return;
  rouse_eval_bin *o = &bins[b];
  o->count = a->cnt;
  o->mean_pred = a->cnt > 0 ? a->sp / a->cnt : 0;
  o->obs_rate = a->cnt > 0 ? a->sy / a->cnt : 0;
  if (binning == ROUSE_EVAL_BINS_QUANTILE) {
    o->lo = a->cnt > 0 ? a->lo : 0;
    o->hi = a->cnt > 0 ? a->hi : 0;
  } else {
    o->lo = (double)b / n_bins;
    o->hi = (double)(b + 1) / n_bins;
  }
}

/* Both binnings walk the rows in increasing order of p (the sorted array backwards). */
double rouse__eval_ece_sorted(const struct eval_row *r, size_t n, int n_bins, int binning,
                              rouse_eval_bin *bins) {
  double ece_sum = 0;
  struct bin_acc a = {0, 0, 0, 0, 0};
  if (bins)
    for (int b = 0; b < n_bins; b++) bin_flush(&a, b, n_bins, binning, bins, &(double){0});
  int b = 0;
  if (binning == ROUSE_EVAL_BINS_UNIFORM) {
    for (size_t k = n; k-- > 0;) {
      double fb = floor(r[k].s * n_bins);
      int bk = fb >= n_bins ? n_bins - 1 : (int)fb;
      if (bk != b) {
        bin_flush(&a, b, n_bins, binning, bins, &ece_sum);
        a = (struct bin_acc){0, 0, 0, 0, 0};
        b = bk;
      }
      a.cnt += 1;
      a.sp += r[k].s;
      a.sy += (double)r[k].y;
    }
    bin_flush(&a, b, n_bins, binning, bins, &ece_sum);
    return ece_sum / (double)n;
  }
  /* quantile: bin b holds positions [e_b, e_{b+1}), e_b = b n / B; tie groups spread evenly */
  size_t c0 = 0; /* rows before the current group, in increasing order */
  for (size_t end = n; end > 0;) {
    size_t start = end - 1, p = r[start].y;
    while (start > 0 && r[start - 1].s == r[end - 1].s) p += r[--start].y;
    double s = r[start].s, g = (double)(end - start), rate = (double)p / g;
    double c1 = (double)(c0 + (end - start));
    for (;;) {
      double e_lo = (double)((uint64_t)b * n) / n_bins;
      double e_hi = (double)((uint64_t)(b + 1) * n) / n_bins;
      double w = (c1 < e_hi ? c1 : e_hi) - ((double)c0 > e_lo ? (double)c0 : e_lo);
      if (w > 0) {
        if (a.cnt == 0) a.lo = s;
        a.hi = s;
        a.cnt += w;
        a.sp += w * s;
        a.sy += w * rate;
      }
      if (b == n_bins - 1 || c1 < e_hi) break;
      bin_flush(&a, b, n_bins, binning, bins, &ece_sum);
      a = (struct bin_acc){0, 0, 0, 0, 0};
      b++;
    }
    c0 += end - start;
    end = start;
  }
  bin_flush(&a, b, n_bins, binning, bins, &ece_sum);
  return ece_sum / (double)n;
}

/*=====================================================================
 * Public entry points
 *====================================================================*/
int rouse_eval_auc(const double *score, const uint8_t *y, size_t n, double *out_auc) {
  struct eval_row *r;
  size_t n_pos;
  if (!out_auc) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(score, y, n, 0, &r, &n_pos);
  if (rc) return rc;
  if (n_pos == 0 || n_pos == n) rc = ROUSE_DOMAIN;
  else *out_auc = rouse__eval_auc_sorted(r, n, n_pos);
  rouse__free(r);
  return rc;
}

int rouse_eval_average_precision(const double *score, const uint8_t *y, size_t n,
                                 double *out_ap) {
  struct eval_row *r;
  size_t n_pos;
  if (!out_ap) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(score, y, n, 0, &r, &n_pos);
  if (rc) return rc;
  if (n_pos == 0) rc = ROUSE_DOMAIN;
  else *out_ap = rouse__eval_ap_sorted(r, n, n_pos);
  rouse__free(r);
  return rc;
}

static int top_ok(double top) { return top > 0.0 && top <= 1.0; }

int rouse_eval_lift(const double *score, const uint8_t *y, size_t n, double top_fraction,
                    double *out_lift) {
  struct eval_row *r;
  size_t n_pos;
  if (!out_lift || !top_ok(top_fraction)) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(score, y, n, 0, &r, &n_pos);
  if (rc) return rc;
  if (n_pos == 0) rc = ROUSE_DOMAIN;
  else *out_lift = rouse__eval_lift_sorted(r, n, n_pos, top_fraction);
  rouse__free(r);
  return rc;
}

int rouse_eval_brier(const double *prob, const uint8_t *y, size_t n, double *out_brier) {
  struct eval_row *r;
  if (!out_brier) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(prob, y, n, 1, &r, NULL);
  if (rc) return rc;
  *out_brier = rouse__eval_brier_sorted(r, n);
  rouse__free(r);
  return ROUSE_OK;
}

int rouse_eval_log_loss(const double *prob, const uint8_t *y, size_t n, double *out_log_loss) {
  struct eval_row *r;
  if (!out_log_loss) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(prob, y, n, 1, &r, NULL);
  if (rc) return rc;
  *out_log_loss = rouse__eval_log_loss_sorted(r, n);
  rouse__free(r);
  return ROUSE_OK;
}

static int bins_ok(int n_bins, int binning) {
  return n_bins >= 1 && n_bins <= EVAL_MAX_BINS &&
         (binning == ROUSE_EVAL_BINS_UNIFORM || binning == ROUSE_EVAL_BINS_QUANTILE);
}

int rouse_eval_calibration(const double *prob, const uint8_t *y, size_t n, int n_bins,
                           int binning, rouse_eval_bin *bins, double *out_ece) {
  struct eval_row *r;
  if (!bins_ok(n_bins, binning) || (!bins && !out_ece)) return ROUSE_MISUSE;
  int rc = rouse__eval_sorted(prob, y, n, 1, &r, NULL);
  if (rc) return rc;
  double ece = rouse__eval_ece_sorted(r, n, n_bins, binning, bins);
  if (out_ece) *out_ece = ece;
  rouse__free(r);
  return ROUSE_OK;
}

void rouse_eval_opts_init(rouse_eval_opts *o) {
  if (!o) return;
  *o = (rouse_eval_opts){.struct_size = sizeof *o,
                         .top_fraction = ROUSE_EVAL_DEFAULT_TOP,
                         .n_bins = ROUSE_EVAL_DEFAULT_BINS,
                         .binning = ROUSE_EVAL_BINS_UNIFORM,
                         .is_prob = 0};
}

int rouse_eval_binary(const double *score, const uint8_t *y, size_t n, const rouse_eval_opts *o,
                      rouse_eval_result *out) {
  rouse_eval_opts def;
  if (!o) {
    rouse_eval_opts_init(&def);
    o = &def;
  }
  if (!out || out->struct_size < sizeof *out || o->struct_size < sizeof *o ||
      !top_ok(o->top_fraction) || !bins_ok(o->n_bins, o->binning))
    return ROUSE_MISUSE;
  struct eval_row *r;
  size_t n_pos;
  int rc = rouse__eval_sorted(score, y, n, o->is_prob != 0, &r, &n_pos);
  if (rc) return rc;
  rouse_eval_result res = {.struct_size = out->struct_size, .n = n, .n_pos = n_pos};
  res.base_rate = (double)n_pos / (double)n;
  res.has_auc = n_pos > 0 && n_pos < n;
  if (res.has_auc) res.auc = rouse__eval_auc_sorted(r, n, n_pos);
  res.has_ap = n_pos > 0;
  if (res.has_ap) {
    res.ap = rouse__eval_ap_sorted(r, n, n_pos);
    res.lift = rouse__eval_lift_sorted(r, n, n_pos, o->top_fraction);
    gains_sorted(r, n, n_pos, res.gains, ROUSE_EVAL_GAINS_POINTS);
  }
  res.has_prob = o->is_prob != 0;
  if (res.has_prob) {
    res.brier = rouse__eval_brier_sorted(r, n);
    res.log_loss = rouse__eval_log_loss_sorted(r, n);
    res.ece = rouse__eval_ece_sorted(r, n, o->n_bins, o->binning, NULL);
    rouse__eval_ece_sorted(r, n, ROUSE_EVAL_DEFAULT_BINS, ROUSE_EVAL_BINS_UNIFORM, res.calib);
  }
  rouse__free(r);
  *out = res;
  return ROUSE_OK;
}
