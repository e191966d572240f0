/* SPDX-License-Identifier: MIT
 * Segments on the per-customer summary: RFM 5x5x5 scores with the named groups of the
 * familiar RFM segment map, the distribution of repeat-purchase intervals with the proposed
 * dormancy threshold, the dormancy depth segments of the seeds (初期離反層, ロイヤル層から
 * の離反, past top value now dormant), and the lifecycle states (new, active, at risk,
 * dormant, lost, reactivated). Columns in, columns out: these functions read rouse_summary
 * columns and know nothing about files. Included by <rouse/rouse.h>; do not include
 * directly. Rules, tie handling and tables: docs/segments.md.
 *
 * Every result depends only on the multiset of customers, never on their order (ties are
 * resolved by value counts, not by position). Functions are reentrant and allocate through
 * the allocator seam. Fields read from rouse_summary: n, as_of, first_day, last_day, x,
 * purchase_days, orders, total_e4, interval_hist and interval_hist_len (when not NULL), and
 * last_interval (lifecycle states). */
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
  uint64_t intervals;      /* N = sum of x: the number of repeat intervals */
  double p50, p75, p90, p95; /* days; NaN if N = 0 */
  double mean;             /* mean interval, days: sum(last_day - first_day) / N (exact with
                              both sources); NaN if N = 0 */
  double basis_value;      /* the quantile at opts.percentile, days (NaN if N = 0) */
  int threshold_months;    /* proposed dormancy threshold in months */
  int32_t threshold_days;  /* threshold_months * days_per_month */
  int basis;               /* rouse_threshold_basis */
  int exact;               /* 1: quantiles from interval_hist (exact); 0: approximated from
                              the per-customer mean intervals (no histogram in the summary) */
  uint64_t capped;         /* exact only: intervals of interval_hist_len - 1 days or more
                              (the open last bucket), counted as interval_hist_len - 1 days */
} rouse_interval_stats;

/* rouse_segment_interval_quantile() : the p-quantile (0 < p <= 1), in days, of all N = sum of
 * x repeat-purchase intervals: the value at 1-based position ceil(p * N) of the intervals
 * sorted ascending (inverse empirical CDF, no interpolation; p * N within 1e-9 of an integer
 * counts as that integer).
 *  - s->interval_hist not NULL (rouse_summary_build): exact, a whole number of days. An
 *    interval in the open last bucket (interval_hist_len - 1 days or more, 3660 with
 *    ROUSE_INTERVAL_HIST_LEN) counts as interval_hist_len - 1 days: a quantile that lands
 *    there is a lower bound. The histogram must describe the summary's customers (its count
 *    is sum of x, its first moment sum of last_day - first_day), else ROUSE_MISUSE.
 *  - s->interval_hist NULL (hand-built summaries): approximated, customer i contributing x[i]
 *    intervals all equal to its mean interval (last_day - first_day) / x[i]; the spread within
 *    customers is lost, so upper quantiles come out lower than the exact ones.
 * @return ROUSE_OK, ROUSE_EMPTY (no repeat purchase; *out = NaN), ROUSE_NOMEM, ROUSE_MISUSE. */
ROUSE_API int rouse_segment_interval_quantile(const rouse_summary *s, double p, double *out);

/* rouse_segment_interval_stats() : p50/p75/p90/p95 (as rouse_segment_interval_quantile, exact
 * when the summary has interval_hist), the mean interval and the proposed dormancy threshold:
 * ceil(quantile(percentile) / days_per_month) months, clamped to [min_months, max_months].
 * `o` may be NULL. @return ROUSE_OK (also with no repeat purchase: basis FALLBACK),
 * ROUSE_NOMEM, ROUSE_MISUSE (NULL argument, bad option, histogram inconsistent with the
 * customers). */
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
  const int32_t *dormant_days_of; /* NULL, or per customer a threshold of their own (as
                             rouse_lifecycle_opts.dormant_days_of); <= 0 entries: the shop's */
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

/*=====================================================================
 * Lifecycle states
 *====================================================================*/
/* Every customer is in exactly one state at the summary's as-of date; the first rule that
 * applies wins (docs/segments.md §4). Values are stable. */
typedef enum rouse_state {
  ROUSE_STATE_NEW = 0,     /* one purchase day (x = 0), not yet overdue (新規) */
  ROUSE_STATE_ACTIVE,      /* repeat buyer within its rhythm (稼働) */
  ROUSE_STATE_AT_RISK,     /* overdue against its own or the shop's rhythm, or P(alive) low
                              (離脱予兆) */
  ROUSE_STATE_DORMANT,     /* silent >= dormant_days: still approachable (休眠) */
  ROUSE_STATE_LOST,        /* withdrawn/unsubscribed, or P(alive) ~ 0 long after dormancy:
                              not approachable (離反) */
  ROUSE_STATE_REACTIVATED, /* came back after a dormant spell, not overdue again (復帰) */
  ROUSE_STATE_COUNT
} rouse_state;

/* "new", "active", "at_risk", "dormant", "lost", "reactivated"; _label_ja: 新規, 稼働,
 * 離脱予兆, 休眠, 離反, 復帰 (UTF-8). Static strings; NULL if out of range. */
ROUSE_API const char *rouse_state_name(int st);
ROUSE_API const char *rouse_state_label_ja(int st);

/* The rule that decided a customer's state (the reason behind it). Values are stable. */
typedef enum rouse_state_rule {
  ROUSE_RULE_WITHDRAWN = 0,  /* lost: withdrawn[i] (customer master) */
  ROUSE_RULE_LOST_P_ALIVE,   /* lost: p_alive < lost_p_alive and recency >= lost_days */
  ROUSE_RULE_DORMANT,        /* dormant: recency >= dormant_days */
  ROUSE_RULE_OVERDUE_OWN,    /* at_risk: recency > at_risk_factor x own mean interval */
  ROUSE_RULE_OVERDUE_SHOP,   /* at_risk: no own rhythm, recency > at_risk_shop_days */
  ROUSE_RULE_LOW_P_ALIVE,    /* at_risk: p_alive < at_risk_p_alive (not overdue) */
  ROUSE_RULE_CAME_BACK,      /* reactivated: last_interval >= dormant_days */
  ROUSE_RULE_FIRST_PURCHASE, /* new: x = 0 */
  ROUSE_RULE_IN_RHYTHM,      /* active: none of the above */
  ROUSE_RULE_COUNT
} rouse_state_rule;

/* "withdrawn", "lost_p_alive", "dormant", "overdue_own", "overdue_shop", "low_p_alive",
 * "came_back", "first_purchase", "in_rhythm"; NULL if out of range. Static strings. */
ROUSE_API const char *rouse_state_rule_name(int rule);

typedef struct rouse_lifecycle_opts {
  size_t struct_size;     /* sizeof(rouse_lifecycle_opts), set by _init */
  int32_t dormant_days;   /* shop dormancy threshold in days; <= 0 (default): from the data,
                             rouse_segment_interval_stats() with `interval` (the 90th
                             percentile of the intervals rounded up to whole months) */
  rouse_interval_opts interval; /* the interval distribution and the data threshold */
  double at_risk_factor;  /* own rhythm: at risk when recency > factor x own mean interval
                             (last_day - first_day) / x, days; 1.5; > 0 */
  int min_rhythm;         /* repeat purchase days (x) for an own rhythm: 2 (a mean over >= 2
                             gaps); >= 1. Customers below it use the shop's rhythm */
  double shop_at_risk_quantile; /* without an own rhythm: at risk when recency > this
                             quantile of all the shop's intervals; 0.75; in (0, 1] */
  int32_t at_risk_shop_days; /* <= 0 (default): from the data, floor(quantile), then kept in
                             [1, dormant_days - 1]; > 0: used as given */
  double at_risk_p_alive; /* with p_alive: at risk when p_alive < this; 0.5; < 0 disables */
  double lost_p_alive;    /* with p_alive: lost when p_alive < this and recency >=
                             lost_factor x dormant_days; 0.01; < 0 disables */
  double lost_factor;     /* 2.0; in [1, 1000] (lost is deeper than dormant) */
  const int32_t *dormant_days_of; /* NULL, or per customer (summary order) a dormancy
                             threshold of their own, e.g. their main category's
                             (rouse_categories); <= 0 entries: the shop's. The dormant,
                             reactivated and lost rules use it; the shop's at-risk threshold
                             stays as it is */
} rouse_lifecycle_opts;

ROUSE_API void rouse_segment_lifecycle_opts_init(rouse_lifecycle_opts *o);

/* Lifecycle states, one entry per customer in summary order, and the thresholds used with
 * their basis (for the report). Owned by the result. */
typedef struct rouse_lifecycle {
  size_t n;
  uint8_t *state;          /* rouse_state */
  uint8_t *rule;           /* rouse_state_rule: which rule decided the state */
  int32_t *recency_days;   /* (as_of - 1) - last_day: whole days since the last purchase */
  double *overdue;         /* recency / own mean interval = recency * x / (last_day -
                              first_day); NaN without an own rhythm (x < min_rhythm) */
  size_t count[ROUSE_STATE_COUNT];     /* customers per state; sums to n */
  size_t rule_count[ROUSE_RULE_COUNT]; /* customers per deciding rule; sums to n */
  int32_t dormant_days;    /* threshold used */
  int threshold_from_data; /* 1 if dormant_days was derived (from interval.threshold_days) */
  rouse_interval_stats interval; /* the shop's interval distribution (always filled, with
                              opts.interval; its threshold_days is the data's proposal) */
  int32_t at_risk_shop_days;  /* threshold for customers without an own rhythm */
  int at_risk_shop_from_data; /* 1 if derived from the shop quantile */
  double at_risk_shop_value;  /* the quantile at shop_at_risk_quantile, days (NaN if given or
                                 no interval in the data) */
  int at_risk_shop_basis;  /* rouse_threshold_basis, when from the data: DATA = floor(value);
                              FLOOR = raised to 1; CEILING = lowered to dormant_days - 1;
                              FALLBACK = no interval in the data: max(1, dormant_days / 2) */
  int32_t lost_days;       /* ceil(lost_factor x dormant_days): recency for the p_alive rule */
  int has_p_alive;         /* p_alive was given */
  int has_withdrawn;       /* withdrawn was given */
  rouse_lifecycle_opts opts; /* the options used (defaults when NULL was passed) */
} rouse_lifecycle;

/* rouse_segment_lifecycle() : the lifecycle state of every customer at the summary's as-of
 * date. Rules, first match wins (docs/segments.md §4), recency = (as_of - 1) - last_day:
 *   1 lost         withdrawn[i], or p_alive[i] < lost_p_alive and recency >= lost_days
 *   2 dormant      recency >= dormant_days
 *   3 at_risk      x >= min_rhythm: recency > at_risk_factor x (last_day - first_day) / x;
 *                  x < min_rhythm: recency > at_risk_shop_days;
 *                  or p_alive[i] < at_risk_p_alive
 *   4 reactivated  x >= 1 and last_interval >= dormant_days
 *   5 new          x = 0
 *   6 active       everything else
 * p_alive (n values in [0, 1], e.g. rouse_model_predict) and withdrawn (n flags, nonzero =
 * withdrawn or unsubscribed in the customer master) may be NULL. The summary must have
 * last_interval (rouse_summary_build fills it). `o` may be NULL (defaults). Caller owns *out;
 * free with rouse_segment_lifecycle_free(). @return ROUSE_OK, ROUSE_NOMEM, ROUSE_MISUSE (NULL
 * argument or column, bad option, p_alive outside [0, 1] or NaN, histogram inconsistent with
 * the customers). n = 0 is fine. */
ROUSE_API int rouse_segment_lifecycle(const rouse_summary *s, const double *p_alive,
                                      const uint8_t *withdrawn, const rouse_lifecycle_opts *o,
                                      rouse_lifecycle **out);
ROUSE_API void rouse_segment_lifecycle_free(rouse_lifecycle *l);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_SEGMENT_H */
