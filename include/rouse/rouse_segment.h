/* SPDX-License-Identifier: MIT
 * Segments on the per-customer summary: RFM 5x5x5 scores with the named groups of the
 * familiar RFM segment map, the distribution of repeat-purchase intervals with the proposed
 * dormancy threshold, and the dormancy depth segments of the seeds (初期離反層, ロイヤル層から
 * の離反, past top value now dormant). Columns in, columns out: these functions read
 * rouse_summary columns and know nothing about files. Included by <rouse/rouse.h>; do not
 * include directly. Rules, tie handling and tables: docs/segments.md.
 *
 * Every result depends only on the multiset of customers, never on their order (ties are
 * resolved by value counts, not by position). Functions are reentrant and allocate through
 * the allocator seam. Fields read from rouse_summary: n, as_of, first_day, last_day, x,
 * purchase_days, orders, total_e4. */
#ifndef ROUSE_SEGMENT_H
#define ROUSE_SEGMENT_H

#ifdef __cplusplus
extern "C" {
#endif

/*=====================================================================
 * Rank scores (the building block of RFM)
 *====================================================================*/
/* rouse_segment_rank_scores() : score each value 1..n_bins by rank, higher value = higher
 * score. With `less` = the number of values strictly smaller than v[i] (the 0-based rank of
 * the first of its ties), score = 1 + floor(n_bins * less / n). Ties share a score; all
 * equal values (and n = 1) score 1. `v` and `out` are caller-owned arrays of n entries.
 * @return ROUSE_OK, ROUSE_NOMEM, or ROUSE_MISUSE (NULL array with n > 0, n_bins not 1..100). */
ROUSE_API int rouse_segment_rank_scores(const int64_t *v, size_t n, int n_bins, uint8_t *out);

/*=====================================================================
 * RFM 5x5x5
 *====================================================================*/
typedef enum rouse_rfm_f_basis {
  ROUSE_RFM_F_PURCHASE_DAYS = 0, /* F = distinct purchase days (default, as the models) */
  ROUSE_RFM_F_ORDERS = 1         /* F = distinct orders */
} rouse_rfm_f_basis;

typedef enum rouse_rfm_grid {
  ROUSE_RFM_GRID_RF = 0,  /* groups from R and F (the classic map; default) */
  ROUSE_RFM_GRID_RFM = 1  /* groups from R and FM = floor((F + M + 1) / 2) */
} rouse_rfm_grid;

/* Named groups of the RFM segment map (docs/segments.md has the R x F table). Every
 * (R, F) cell belongs to exactly one group. Values are stable. */
typedef enum rouse_rfm_group {
  ROUSE_RFM_CHAMPIONS = 0,
  ROUSE_RFM_LOYAL,
  ROUSE_RFM_POTENTIAL_LOYALIST,
  ROUSE_RFM_NEW,
  ROUSE_RFM_PROMISING,
  ROUSE_RFM_NEED_ATTENTION,
  ROUSE_RFM_ABOUT_TO_SLEEP,
  ROUSE_RFM_AT_RISK,
  ROUSE_RFM_CANT_LOSE,
  ROUSE_RFM_HIBERNATING,
  ROUSE_RFM_LOST,
  ROUSE_RFM_GROUP_COUNT
} rouse_rfm_group;

/* "champions", "loyal", "potential_loyalist", "new", "promising", "need_attention",
 * "about_to_sleep", "at_risk", "cant_lose", "hibernating", "lost"; NULL if out of range.
 * rouse_segment_rfm_group_label() : display names ("Champions", "Can't lose them"...);
 * rouse_segment_rfm_group_label_ja() : Japanese display names (UTF-8). Static strings. */
ROUSE_API const char *rouse_segment_rfm_group_name(int group);
ROUSE_API const char *rouse_segment_rfm_group_label(int group);
ROUSE_API const char *rouse_segment_rfm_group_label_ja(int group);

/* rouse_segment_rfm_group_of() : the group of one cell; r and f (or FM) in 1..5.
 * @return a rouse_rfm_group, or ROUSE_MISUSE if a score is out of range. */
ROUSE_API int rouse_segment_rfm_group_of(int r, int f);

typedef struct rouse_rfm_opts {
  size_t struct_size; /* sizeof(rouse_rfm_opts), set by _init */
  int f_basis;        /* rouse_rfm_f_basis; default ROUSE_RFM_F_PURCHASE_DAYS */
  int grid;           /* rouse_rfm_grid; default ROUSE_RFM_GRID_RF */
} rouse_rfm_opts;

ROUSE_API void rouse_segment_rfm_opts_init(rouse_rfm_opts *o);

/* RFM columns, one entry per customer in summary order. Owned by the result. */
typedef struct rouse_rfm {
  size_t n;
  uint8_t *r;          /* 1..5 from last_day (more recent = higher) */
  uint8_t *f;          /* 1..5 from purchase days or orders */
  uint8_t *m;          /* 1..5 from total_e4 (net spend) */
  uint8_t *score;      /* r + f + m, 3..15: the "RFM score" baseline for ranking */
  uint8_t *group;      /* rouse_rfm_group */
  size_t count[ROUSE_RFM_GROUP_COUNT]; /* customers per group */
  size_t cell[5][5];   /* customers per (R-1, F-1) (or FM with ROUSE_RFM_GRID_RFM) */
} rouse_rfm;

/* rouse_segment_rfm() : RFM scores and groups at the summary's as-of date. Each of R, F and
 * M is rouse_segment_rank_scores() with 5 bins on last_day, purchase_days (or orders) and
 * total_e4. `o` may be NULL (defaults). Caller owns *out; free with rouse_segment_rfm_free().
 * @return ROUSE_OK, ROUSE_NOMEM, ROUSE_MISUSE (NULL argument, bad option). n = 0 is fine. */
ROUSE_API int rouse_segment_rfm(const rouse_summary *s, const rouse_rfm_opts *o,
                                rouse_rfm **out);
ROUSE_API void rouse_segment_rfm_free(rouse_rfm *r);

/*=====================================================================
 * Repeat-purchase intervals and the dormancy threshold
 *====================================================================*/
typedef struct rouse_interval_opts {
  size_t struct_size;   /* sizeof(rouse_interval_opts), set by _init */
  double percentile;    /* quantile that sets the threshold: 0.90 */
  int days_per_month;   /* 30 */
  int min_months;       /* floor of the threshold: 1 */
  int max_months;       /* ceiling of the threshold: 24 */
  int fallback_months;  /* used when no customer has a repeat purchase: 12 */
} rouse_interval_opts;

ROUSE_API void rouse_segment_interval_opts_init(rouse_interval_opts *o);

/* How the threshold was obtained. */
typedef enum rouse_threshold_basis {
  ROUSE_THRESHOLD_DATA = 0,      /* ceil(quantile / days_per_month) months */
  ROUSE_THRESHOLD_FLOOR = 1,     /* the data gave fewer than min_months: raised */
  ROUSE_THRESHOLD_CEILING = 2,   /* the data gave more than max_months: lowered */
  ROUSE_THRESHOLD_FALLBACK = 3   /* no repeat purchase in the data: fallback_months */
} rouse_threshold_basis;

typedef struct rouse_interval_stats {
  size_t repeat_customers; /* customers with x >= 1 */
  uint64_t intervals;      /* N = sum of x: the weight of the distribution */
  double p50, p75, p90, p95; /* days; NaN if N = 0 */
  double mean;             /* weighted mean interval, days; NaN if N = 0 */
  double basis_value;      /* the quantile at opts.percentile, days (NaN if N = 0) */
  int threshold_months;    /* proposed dormancy threshold in months */
  int32_t threshold_days;  /* threshold_months * days_per_month */
  int basis;               /* rouse_threshold_basis */
} rouse_interval_stats;

/* rouse_segment_interval_quantile() : the p-quantile (0 < p <= 1), in days, of repeat-purchase
 * intervals, approximated from the summary: customer i contributes x[i] intervals all equal to
 * its mean interval (last_day - first_day) / x[i]. The quantile is the value at 1-based
 * position ceil(p * N) of that sorted weighted sample (inverse CDF, no interpolation).
 * @return ROUSE_OK, ROUSE_EMPTY (no repeat purchase; *out = NaN), ROUSE_NOMEM, ROUSE_MISUSE. */
ROUSE_API int rouse_segment_interval_quantile(const rouse_summary *s, double p, double *out);

/* rouse_segment_interval_stats() : p50/p75/p90/p95 and the proposed dormancy threshold:
 * ceil(quantile(percentile) / days_per_month) months, clamped to [min_months, max_months].
 * `o` may be NULL. @return ROUSE_OK (also with no repeat purchase: basis FALLBACK),
 * ROUSE_NOMEM, ROUSE_MISUSE (NULL argument or bad option). */
ROUSE_API int rouse_segment_interval_stats(const rouse_summary *s, const rouse_interval_opts *o,
                                           rouse_interval_stats *out);

/*=====================================================================
 * Dormancy depth segments
 *====================================================================*/
/* Exactly one per customer; the first rule that applies wins (docs/segments.md). */
typedef enum rouse_dormancy_segment {
  ROUSE_DORMANCY_ACTIVE = 0,       /* no dormant rule applies */
  ROUSE_DORMANCY_TOP_VALUE = 1,    /* past top value share by total spend, now dormant */
  ROUSE_DORMANCY_LOYAL_LAPSED = 2, /* repeat buyer, silent >= repeat_days (ロイヤル層からの離反) */
  ROUSE_DORMANCY_EARLY_LAPSED = 3, /* one-time buyer, silent >= one_time_days (初期離反層) */
  ROUSE_DORMANCY_OTHER = 4,        /* silent >= dormant_days, none of the above */
  ROUSE_DORMANCY_COUNT
} rouse_dormancy_segment;

/* "active", "top_value_dormant", "loyal_lapsed", "early_lapsed", "other_dormant";
 * _ja: Japanese display names. Static strings; NULL if out of range. */
ROUSE_API const char *rouse_segment_dormancy_name(int seg);
ROUSE_API const char *rouse_segment_dormancy_label_ja(int seg);

typedef struct rouse_dormancy_opts {
  size_t struct_size;     /* sizeof(rouse_dormancy_opts), set by _init */
  int32_t dormant_days;   /* shop dormancy threshold; <= 0: from the data (interval stats
                             with `interval`); default 0 */
  int32_t one_time_days;  /* 初期離反層: one-time buyers silent this long; 180 (6 x 30) */
  int32_t repeat_days;    /* ロイヤル層からの離反: repeat buyers silent this long; 360 (12 x 30) */
  double top_share;       /* past top value share by total spend: 0.20 */
  rouse_interval_opts interval; /* used when dormant_days <= 0 */
} rouse_dormancy_opts;

ROUSE_API void rouse_segment_dormancy_opts_init(rouse_dormancy_opts *o);

typedef struct rouse_dormancy {
  size_t n;
  uint8_t *segment;        /* rouse_dormancy_segment, summary order */
  int32_t *recency_days;   /* (as_of - 1) - last_day: whole days since the last purchase */
  uint8_t *top_value;      /* 1 if in the top value share (whatever the segment) */
  size_t count[ROUSE_DORMANCY_COUNT];
  int32_t dormant_days;    /* threshold used */
  int32_t one_time_days, repeat_days;
  size_t top_k;            /* ceil(top_share * n) */
  int64_t top_min_e4;      /* smallest total_e4 in the top share (0 if none) */
  rouse_interval_stats interval; /* filled when dormant_days came from the data */
  int threshold_from_data; /* 1 if dormant_days was derived */
} rouse_dormancy;

/* rouse_segment_dormancy() : dormancy depth segments at the summary's as-of date. `o` may be
 * NULL. Caller owns *out; free with rouse_segment_dormancy_free().
 * @return ROUSE_OK, ROUSE_NOMEM, ROUSE_MISUSE (NULL argument, bad option). */
ROUSE_API int rouse_segment_dormancy(const rouse_summary *s, const rouse_dormancy_opts *o,
                                     rouse_dormancy **out);
ROUSE_API void rouse_segment_dormancy_free(rouse_dormancy *d);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_SEGMENT_H */
