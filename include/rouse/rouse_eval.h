/* SPDX-License-Identifier: MIT
 * Evaluation metrics for binary outcomes (churned or not, purchased again or not): ranking
 * quality (ROC AUC, average precision, top-fraction lift) for any score, and probability
 * quality (Brier score, log loss, expected calibration error with a reliability table) for
 * predicted probabilities. Columns in, numbers out: these functions know nothing about
 * models, cutoffs or customers. Included by <rouse/rouse.h>; do not include directly.
 *
 * Determinism: inputs are copied and sorted by value (score, then label), ties are always
 * handled as groups, and every sum runs in that sorted order, so results are bit-identical
 * for any permutation of the input rows. Reentrant; no threads.
 *
 * Common contract: `score` (or `prob`) and `y` are borrowed for the call, n entries each.
 * y[i] must be 0 or 1 (1 = the event, e.g. churned). Scores must be finite; probabilities must
 * lie in [0, 1]. Higher score = more likely to be 1. Errors: ROUSE_MISUSE (NULL pointer,
 * n == 0, a label not 0/1, a non-finite score, a probability outside [0, 1], a bad option),
 * ROUSE_DOMAIN (the metric is undefined for the data: only one class for AUC, no positive
 * for average precision and lift), ROUSE_NOMEM (the sorted copy, 16 bytes per row),
 * ROUSE_LIMIT (n >= 2^32).
 * On error the output is left untouched. Values returned are never NaN or infinite. */
#ifndef ROUSE_EVAL_H
#define ROUSE_EVAL_H

#ifdef __cplusplus
extern "C" {
#endif

#define ROUSE_EVAL_DEFAULT_TOP 0.1 /* top decile for rouse_eval_lift */
#define ROUSE_EVAL_DEFAULT_BINS 10 /* calibration bins */
#define ROUSE_EVAL_PROB_CLIP 1e-15 /* log loss clips p to [1e-15, 1 - 1e-15] (as sklearn) */
#define ROUSE_EVAL_GAINS_POINTS 21 /* cumulative gains at 0%, 5%, ..., 100% of the rows */

/* rouse_eval_auc() : area under the ROC curve, computed exactly as the Mann-Whitney
 * statistic AUC = (U) / (n1 n0), U = #{(i,j): y_i=1, y_j=0, s_i > s_j} + 1/2 #{... s_i == s_j}.
 * O(n log n). Counts are exact 64-bit integers (n <= 2^32 - 1, else ROUSE_LIMIT); the single
 * rounding is the final division. ROUSE_DOMAIN if all labels are equal. */
ROUSE_API int rouse_eval_auc(const double *score, const uint8_t *y, size_t n, double *out_auc);

/* rouse_eval_average_precision() : PR-AUC as average precision, the step-wise sum of
 * sklearn's average_precision_score (no interpolation):
 *     AP = sum_k (R_k - R_{k-1}) P_k
 * over the distinct score values t_k in decreasing order, where P_k and R_k are precision
 * and recall of the rule "score >= t_k" (R_0 = 0). Rows with equal scores form one step, so
 * ties never depend on input order. ROUSE_DOMAIN if there is no positive label. */
ROUSE_API int rouse_eval_average_precision(const double *score, const uint8_t *y, size_t n,
                                           double *out_ap);

/* rouse_eval_lift() : lift of the top `top_fraction` of rows by score (0 < top_fraction <= 1;
 * ROUSE_EVAL_DEFAULT_TOP is the top decile): the positive rate among the top m = top_fraction
 * * n rows divided by the overall positive rate, i.e. captured(m) / (top_fraction * n1).
 * m need not be an integer, and rows with equal scores share weight equally: the group that
 * straddles the cut contributes (m - rows above it) / (group size) of its positives. So
 * captured() is the cumulative-gains curve, linear within a tie group and within a row.
 * Result in [0, 1/top_fraction]. ROUSE_DOMAIN if there is no positive label. */
ROUSE_API int rouse_eval_lift(const double *score, const uint8_t *y, size_t n,
                              double top_fraction, double *out_lift);

/* rouse_eval_brier() : Brier score, mean of (p_i - y_i)^2, in [0, 1]. */
ROUSE_API int rouse_eval_brier(const double *prob, const uint8_t *y, size_t n,
                               double *out_brier);

/* rouse_eval_log_loss() : mean negative log-likelihood (natural log),
 * -(1/n) sum [y log q + (1 - y) log1p(-q)], q = p clipped to [1e-15, 1 - 1e-15]. */
ROUSE_API int rouse_eval_log_loss(const double *prob, const uint8_t *y, size_t n,
                                  double *out_log_loss);

typedef enum rouse_eval_binning {
  ROUSE_EVAL_BINS_UNIFORM = 0, /* B equal-width bins on [0, 1]: p in [b/B, (b+1)/B) (last one
                                  closed); bin b = min(floor(p B), B - 1) */
  ROUSE_EVAL_BINS_QUANTILE = 1 /* B equal-count bins: in increasing order of p, bin b holds the
                                  positions [b n / B, (b+1) n / B); a tie group that straddles
                                  an edge is shared by both bins in proportion (fractional
                                  counts), so the bins hold n / B rows each */
} rouse_eval_binning;

/* One row of the reliability table (a calibration plot draws obs_rate against mean_pred). */
typedef struct rouse_eval_bin {
  double lo, hi;     /* uniform: the bin edges b/B, (b+1)/B; quantile: smallest and largest p
                        in the bin (both 0 when count == 0) */
  double count;      /* rows in the bin; an integer except for shared tie groups (quantile) */
  double mean_pred;  /* mean predicted probability of the bin; 0 when count == 0 */
  double obs_rate;   /* fraction of y = 1 in the bin; 0 when count == 0 */
} rouse_eval_bin;

/* rouse_eval_calibration() : expected calibration error
 *     ECE = sum_b (count_b / n) |mean_pred_b - obs_rate_b| = (1/n) sum_b |sum_pred_b - sum_y_b|
 * with `n_bins` bins (1 <= n_bins <= 100000; ROUSE_EVAL_DEFAULT_BINS = 10) chosen by `binning`
 * (rouse_eval_binning). `bins` (may be NULL) receives the reliability table: n_bins entries,
 * caller-allocated, in increasing order of p. Empty bins are reported with count 0 and do not
 * contribute. `out_ece` may be NULL when only the table is wanted. Result in [0, 1]. */
ROUSE_API int rouse_eval_calibration(const double *prob, const uint8_t *y, size_t n,
                                     int n_bins, int binning, rouse_eval_bin *bins,
                                     double *out_ece);

/* Options of rouse_eval_binary. */
typedef struct rouse_eval_opts {
  size_t struct_size;  /* sizeof(rouse_eval_opts), set by rouse_eval_opts_init */
  double top_fraction; /* lift cut, ROUSE_EVAL_DEFAULT_TOP */
  int n_bins;          /* calibration bins, ROUSE_EVAL_DEFAULT_BINS */
  int binning;         /* rouse_eval_binning for ece, ROUSE_EVAL_BINS_UNIFORM */
  int is_prob;         /* 1: scores are probabilities in [0, 1], compute brier, log loss and
                          ece too; 0 (default): ranking metrics only (RFM score, recency) */
} rouse_eval_opts;

/* Fills the defaults above. */
ROUSE_API void rouse_eval_opts_init(rouse_eval_opts *o);

/* One row of a backtest table. Fields that do not apply are 0 and flagged by `has_*`. */
typedef struct rouse_eval_result {
  size_t struct_size;  /* sizeof(rouse_eval_result); set by the caller */
  size_t n;            /* rows */
  size_t n_pos;        /* rows with y = 1 */
  double base_rate;    /* n_pos / n */
  int has_auc;         /* 0 when all labels are equal */
  double auc;          /* rouse_eval_auc */
  int has_ap;          /* 0 when there is no positive label (then also no lift) */
  double ap;           /* rouse_eval_average_precision */
  double lift;         /* rouse_eval_lift at opts.top_fraction */
  int has_prob;        /* opts.is_prob */
  double brier;        /* rouse_eval_brier */
  double log_loss;     /* rouse_eval_log_loss */
  double ece;          /* rouse_eval_calibration with opts.n_bins, opts.binning */
  /* curves for charts (a report's lift and calibration plots) */
  double gains[ROUSE_EVAL_GAINS_POINTS]; /* has_ap: share of the positives among the top
                          k/20 of the rows by score (the cumulative-gains curve of
                          rouse_eval_lift: gains[k] = lift(k/20) k/20; gains[0] = 0) */
  rouse_eval_bin calib[ROUSE_EVAL_DEFAULT_BINS]; /* has_prob: the reliability table of
                          ROUSE_EVAL_DEFAULT_BINS uniform bins, whatever opts.n_bins is */
} rouse_eval_result;

/* rouse_eval_binary() : every metric above from one sort, with the same values (bit for
 * bit) as the single-metric functions. `o` may be NULL for the defaults. A single-class
 * input is not an error here: the undefined metrics are flagged off instead.
 * @return ROUSE_OK, ROUSE_MISUSE (as above, or struct_size too small), ROUSE_NOMEM. */
ROUSE_API int rouse_eval_binary(const double *score, const uint8_t *y, size_t n,
                                const rouse_eval_opts *o, rouse_eval_result *out);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_EVAL_H */
