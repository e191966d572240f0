/* SPDX-License-Identifier: MIT
 * Scoring: lifecycle state, churn risk, reactivation likelihood, expected purchases and value
 * and reason codes for every customer at an as-of date, from the transactions of an ingest
 * handle. Included by <rouse/rouse.h>; do not include directly. Method: docs/scoring.md.
 *
 * The pipeline (rouse_score_run):
 *   1. summaries ("snapshots") at the as-of date and at earlier dates, each with the
 *      customer's recent-window history for trend features;
 *   2. purchase models (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k) and Gamma-Gamma fitted to
 *      the snapshot at the as-of date;
 *   3. a supervised model (gradient-boosted trees, XGBoost) trained on the customers' own
 *      history: features at an earlier date, label = purchased within the next L days, where
 *      L = min(horizon, history / 2); its probability is carried to the full horizon with
 *      the BG/NBD horizon effect when L < horizon (docs/scoring.md);
 *   4. with model AUTO, every candidate is validated on a time split (trained before an
 *      earlier date, judged on what happened after it) and the best is used;
 *   5. lifecycle states (rouse_segment_lifecycle), RFM, dormancy depth, risk tiers, reasons.
 * Everything depends on the as-of date and the options only, never on the clock; results are
 * bit-identical for any thread count.
 */
#ifndef ROUSE_SCORE_H
#define ROUSE_SCORE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Models a score can come from: the purchase model kinds of rouse_model.h, and these. */
#define ROUSE_SCORE_AUTO 0   /* choose by time-split validation */
#define ROUSE_SCORE_GBM 100  /* gradient-boosted trees on engineered features (XGBoost) */
#define ROUSE_SCORE_MAX_CAND 6 /* bgnbd, mbgnbd, pnbd, mbgcnbd, gbm, + spare */

/* "auto", "gbm", or rouse_model_name(). NULL if unknown. */
ROUSE_API const char *rouse_score_model_name(int model);
/* The model for a name ("auto", "gbm", "bgnbd", ...), or -1. */
ROUSE_API int rouse_score_model_from_name(const char *name);

/* Risk tiers. */
enum { ROUSE_TIER_LOW = 0, ROUSE_TIER_MEDIUM = 1, ROUSE_TIER_HIGH = 2 };
ROUSE_API const char *rouse_tier_name(int tier); /* "low", "medium", "high" */

/* Reason codes (docs/scoring.md lists the texts). */
typedef enum rouse_reason {
  ROUSE_REASON_NONE = 0,
  ROUSE_REASON_OVERDUE,      /* v0 = days since last / usual interval (ratio) */
  ROUSE_REASON_ONE_TIME,     /* v0 = days since the only purchase */
  ROUSE_REASON_SPEND_DOWN,   /* v0 = fall of spend per order, recent window vs before (0..1) */
  ROUSE_REASON_FREQ_DOWN,    /* v0 = purchase days in the recent window, v1 = usual count */
  ROUSE_REASON_RETURNS,      /* v0 = returned share of purchases (0..1) */
  ROUSE_REASON_CANCELS,      /* v0 = cancelled orders */
  ROUSE_REASON_LOW_ALIVE,    /* v0 = model P(alive) */
  ROUSE_REASON_DORMANT,      /* v0 = days since last purchase, v1 = shop dormancy threshold */
  ROUSE_REASON_TOP_VALUE,    /* past top-value customer (v0 = share, e.g. 0.2) */
  ROUSE_REASON_REGULAR,      /* on rhythm: v0 = usual interval in days */
  ROUSE_REASON_RECENT,       /* v0 = days since last purchase */
  ROUSE_REASON_CAME_BACK,    /* reactivated: v0 = days of the dormant gap before the last purchase */
  ROUSE_REASON_COUNT
} rouse_reason;
#define ROUSE_SCORE_REASONS 3

/* Reason code name ("overdue", "one_time", ...); NULL if out of range. */
ROUSE_API const char *rouse_reason_name(int code);

typedef struct rouse_score_opts {
  size_t struct_size;         /* sizeof(rouse_score_opts), set by _init */
  int32_t as_of;              /* first day not observed (INT32_MIN: day after the last row) */
  int32_t horizon_days;       /* forecast horizon: 180 */
  int32_t outcome_end;        /* backtests: count purchases in [as_of, outcome_end] as the
                                 outcome (INT32_MIN: none). Needs the ingest window to keep them */
  int model;                  /* ROUSE_SCORE_AUTO (default), ROUSE_SCORE_GBM or a model kind */
  int all_candidates;         /* 1: also keep every candidate's P(purchase) (backtests) */
  int n_threads;              /* 0 = all CPUs */
  int32_t trend_days;         /* recent window for trend features and reasons: 90 */
  int32_t min_label_days;     /* shortest label window the supervised model is trained on: 28 */
  size_t train_max_rows;      /* supervised model: rows sampled for training: 50000 */
  size_t fit_max_customers;   /* with more customers than this, the purchase models are fitted,
                                 and the model choice validated, on a deterministic sample of
                                 about this many (by a hash of the id; scores are still for
                                 every customer): 200000. 0: always all customers */
  size_t valid_max_customers; /* with more customers than this, the time-split validation (the
                                 model choice) and the supervised model's training snapshots
                                 use a deterministic sample of about this many, a subset of
                                 the fitting sample: 100000. 0: the fitting sample */
  uint64_t seed;              /* training sample and trees */
  double tier_high, tier_medium;       /* churn risk (0..100) cut-offs: 70, 40 */
  double react_high, react_medium;     /* reactivation likelihood (0..100) cut-offs: 30, 10 */
  const char *const *withdrawn_ids; /* customer ids the master marks withdrawn (lost);
                                 any order, ids not in the data are ignored */
  size_t n_withdrawn;
  const int32_t *withdrawn_days; /* NULL, or per withdrawn id the day of the withdrawal
                                 (INT32_MIN: undated): withdrawn only when before as_of */
  rouse_lifecycle_opts life;  /* thresholds (rouse_segment_lifecycle) */
  rouse_dormancy_opts dormancy;
  int by_category;            /* 1 (default): with a category column, each customer is judged
                                 by their main category's dormancy threshold where it has
                                 enough intervals (rouse_categories); 0: the shop's for all.
                                 Not used when life.dormant_days is given */
  int32_t category_min_days;  /* floor of the categories' own thresholds: 0 (default) none,
                                 > 0 days, or ROUSE_CATEGORY_FLOOR_SHOP: the shop's threshold
                                 (categories then only ever lengthen it) */
  /* called at the start of each stage ("snapshot", "fit bgnbd", "validation", ...); return
   * nonzero to cancel (rouse_score_run then returns ROUSE_CANCELLED). May be NULL. */
  int (*progress)(void *ctx, const char *stage);
  void *progress_ctx;
} rouse_score_opts;

ROUSE_API void rouse_score_opts_init(rouse_score_opts *o);

/* One row of a validation or backtest table. */
#define ROUSE_CATEGORY_FLOOR_SHOP (-1)

typedef struct rouse_score_eval {
  int model;                  /* candidate (model kind or ROUSE_SCORE_GBM); -1 RFM, -2 recency */
  int ok;                     /* 0: the candidate could not be fitted (see note) */
  rouse_eval_result r;
  double predicted, actual;   /* Σ expected purchases vs Σ actual (purchase models) */
  char note[96];
} rouse_score_eval;
#define ROUSE_SCORE_RFM (-1)
#define ROUSE_SCORE_RECENCY (-2)

/* Per-customer results, summary order (sorted by customer id). Owned; rouse_scores_free. */
typedef struct rouse_scores {
  size_t n;
  rouse_summary *summary;     /* at as_of (holdout_x = outcome when outcome_end was given) */
  rouse_lifecycle *life;
  rouse_rfm *rfm;
  rouse_dormancy *dormancy;
  rouse_categories *categories; /* per-category thresholds (NULL without categories) */
  int32_t *dormant_days_of;   /* per customer: the dormancy threshold used (their main
                                 category's, or the shop's); NULL when the shop's for all */
  double *p_alive;            /* purchase model P(alive) */
  double *p_purchase;         /* P(at least one purchase within the horizon), chosen model */
  double *expected_purchases; /* E[purchases within the horizon] (purchase model) */
  double *expected_spend;     /* per future order (Gamma-Gamma); NaN without amounts */
  double *expected_value;     /* forecast revenue: active: expected_purchases × spend;
                                 dormant: p_purchase × spend (expected value of reactivation) */
  double *value_at_stake;     /* (1 − p_purchase) × value if retained (prevention ranking) */
  double *churn_risk;         /* 100 (1 − p_purchase), all customers */
  uint8_t *tier;              /* non-dormant: churn-risk tier; dormant/lost: reactivation tier */
  uint8_t *reason;            /* n × ROUSE_SCORE_REASONS codes, strongest first */
  float *reason_v;            /* n × ROUSE_SCORE_REASONS × 2 values */
  double *cand_p[ROUSE_SCORE_MAX_CAND]; /* all_candidates: P(purchase) per candidate */
  int cand_model[ROUSE_SCORE_MAX_CAND];
  int n_cand;
  /* what was done */
  int model;                  /* the model the scores come from */
  int btyd_model;             /* the purchase model behind p_alive and expected_purchases */
  char why[384];              /* why this model (auto), in English */
  int32_t as_of, horizon_days, label_days; /* label_days: the supervised model's window */
  int32_t train_as_of, valid_as_of; /* snapshot dates (INT32_MIN: none) */
  rouse_fit_result fit[ROUSE_SCORE_MAX_CAND]; /* purchase models fitted at as_of */
  int n_fit;
  int not_fitted[ROUSE_SCORE_MAX_CAND]; /* model kinds tried at as_of that did not converge
                                 (backtests list them with ok 0) */
  int n_not_fitted;
  rouse_fit_result spend_fit; /* Gamma-Gamma (kind 0 when no amounts) */
  rouse_score_eval valid[ROUSE_SCORE_MAX_CAND + 2]; /* time-split validation (auto) */
  int n_valid;
  int n_features;
  const char *const *feature_names;
  double *importance;         /* gain per feature of the supervised model (NULL if none) */
  size_t train_rows;
  size_t fit_customers;       /* customers the purchase models were fitted on (n, or the sample
                                 of fit_max_customers) */
  size_t valid_customers;     /* big data: customers in the sampled training snapshot of the
                                 validation and the trees (valid_max_customers); 0 when no
                                 sample was drawn (or there was no such snapshot) */
  double tier_high, tier_medium, react_high, react_medium;
  int32_t trend_days;
} rouse_scores;

/* rouse_score_run() : score every customer with a purchase before as_of. `ing` must not be
 * changed during the call. Caller owns *out (rouse_scores_free).
 * @return ROUSE_OK, ROUSE_EMPTY (no customer), ROUSE_NOMEM, ROUSE_MISUSE (bad option),
 * ROUSE_DOMAIN (a requested model cannot be fitted: too little history for the supervised
 * model, no repeat purchase...; `errmsg` says why). errmsg (may be NULL) receives a message. */
ROUSE_API int rouse_score_run(const rouse_ingest *ing, const rouse_score_opts *o,
                              rouse_scores **out, char *errmsg, size_t errlen);
ROUSE_API void rouse_scores_free(rouse_scores *s);

/* rouse_score_reasons_text() : the reasons of customer i as text, joined by "; " (English,
 * lang "en") or "、" (Japanese, "ja"). Writes at most len bytes with a NUL; returns buf. */
ROUSE_API char *rouse_score_reasons_text(const rouse_scores *s, size_t i, const char *lang,
                                         char *buf, size_t len);

/* rouse_score_backtest() : the table of a backtest: for every candidate of s->cand_p (needs
 * all_candidates and outcome_end) and for the RFM score and recency, the metrics of
 * rouse_eval_binary on y = "purchased within the outcome window". Probability metrics for
 * probabilities only. `rows` has room for ROUSE_SCORE_MAX_CAND + 2 entries; *n_rows gets
 * the count. @return ROUSE_OK, ROUSE_MISUSE (no outcome), ROUSE_NOMEM. */
ROUSE_API int rouse_score_backtest(const rouse_scores *s, rouse_score_eval *rows,
                                   int *n_rows);

/* rouse_scores_write_csv() : the output of `rouse score`: customer_id,state,segment,p_alive,
 * p_purchase,expected_purchases,expected_value,churn_risk,tier,reasons (reasons in `lang`).
 * Byte-identical at any thread count. @return ROUSE_OK, ROUSE_IO, ROUSE_NOMEM. */
ROUSE_API int rouse_scores_write_csv(const rouse_scores *s, const char *lang, int excel_bom,
                                     rouse_write_fn write, void *ctx, int n_threads);

/* Aggregates of the scores for a report or dashboard: counts and sums only, no customer. */
#define ROUSE_SCORE_AGG_BINS 20 /* histograms in steps of 5 points (5%) */
typedef struct rouse_score_agg {
  size_t struct_size;                       /* sizeof(rouse_score_agg); set by the caller */
  size_t tier[ROUSE_STATE_COUNT][3];        /* customers per state and tier (rouse_scores.tier) */
  size_t reason_at_risk[ROUSE_REASON_COUNT];/* at-risk customers with this reason among theirs */
  size_t at_risk;                           /* at-risk customers */
  size_t risk_hist[ROUSE_SCORE_AGG_BINS];   /* customers neither dormant nor lost by churn risk:
                                               bin b = [5b, 5b + 5), the last closed */
  size_t react_hist[ROUSE_SCORE_AGG_BINS];  /* dormant customers by 100 p_purchase, as above */
  double react_value[ROUSE_SCORE_AGG_BINS]; /* their Σ expected value (0 without amounts) */
  size_t seg_count[ROUSE_DORMANCY_COUNT];   /* dormancy depth segments of dormant customers */
  double seg_value[ROUSE_DORMANCY_COUNT];   /* Σ expected value of reactivation */
  double seg_p[ROUSE_DORMANCY_COUNT];       /* mean p_purchase (0 when empty) */
  size_t rfm_cell[5][5];                    /* customers per (R - 1, F - 1) */
  double rfm_cell_p[5][5];                  /* mean p_purchase per cell (0 when empty) */
  double stake_by_tier[3];                  /* Σ value at stake of at-risk customers per tier */
  double forecast;                          /* Σ expected value of customers neither dormant
                                               nor lost */
  size_t top_overlap;                       /* of the top decile by model P(purchase), how many
                                               are also in the top decile by RFM score (both
                                               over all customers, ties by summary order) */
  size_t top_n;                             /* the decile's size: ceil(n / 10) */
} rouse_score_agg;

/* rouse_score_aggregate() : fills *out from s. Deterministic; O(n log n).
 * @return ROUSE_OK, ROUSE_MISUSE (NULL, struct_size too small), ROUSE_NOMEM. */
ROUSE_API int rouse_score_aggregate(const rouse_scores *s, rouse_score_agg *out);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_SCORE_H */
