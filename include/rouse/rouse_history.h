/* SPDX-License-Identifier: MIT
 * History aggregates for the analysis report: month by month (lifecycle state counts at each
 * month end, new customers, buyers, orders, net revenue, the cohort retention matrix) and
 * week by week (repeat purchase days, first purchases), computed from the ingest handle in
 * one pass over its customers, at an as-of date. Every count is what summaries at the month
 * (or week) ends would give: rouse_summary_build at as_of = end_k and rouse_segment_lifecycle
 * on it (without p_alive and withdrawn flags, with the thresholds below held fixed), without
 * building them. Included by <rouse/rouse.h>; do not include directly. docs/segments.md §5.
 *
 * Results are integers and the same at any thread count. */
#ifndef ROUSE_HISTORY_H
#define ROUSE_HISTORY_H

#ifdef __cplusplus
extern "C" {
#endif

#define ROUSE_HISTORY_MAX_MONTHS 1200 /* largest max_months accepted (100 years) */

typedef struct rouse_history_opts {
  size_t struct_size;        /* sizeof(rouse_history_opts), set by _init */
  int32_t as_of;             /* first day not observed; INT32_MIN (default): as
                                rouse_summary_opts.as_of (the window end, or the day after the
                                last row) */
  int32_t dormant_days;      /* lifecycle thresholds, as rouse_segment_lifecycle uses them, held
                                fixed at every month end. No default: 0 (set by _init) is
                                ROUSE_MISUSE; pass e.g. rouse_lifecycle.dormant_days of a
                                lifecycle at the as-of date. >= 1 */
  int32_t at_risk_shop_days; /* without an own rhythm: at risk when recency > this; no default
                                either (rouse_lifecycle.at_risk_shop_days); >= 1 */
  double at_risk_factor;     /* own rhythm: at risk when recency > factor x own mean interval;
                                1.5 (rouse_segment_lifecycle_opts_init); in (0, 1000] */
  int min_rhythm;            /* repeat purchase days for an own rhythm: 2; >= 1 */
  int max_months;            /* keep only the last max_months calendar months in the monthly
                                arrays: 120; 1 .. ROUSE_HISTORY_MAX_MONTHS */
  /* per-customer dormancy thresholds (rouse_scores.dormant_days_of with the summary's ids:
   * each customer judged by their main category's threshold, docs/segments.md §2): ids[i]
   * has dormant_days_of[i] days; customers not listed, or with a value <= 0, have
   * dormant_days. Both NULL (default): dormant_days for everybody. Borrowed for the call. */
  const char *const *ids;
  const int32_t *dormant_days_of;
  size_t n_ids;
} rouse_history_opts;

ROUSE_API void rouse_history_opts_init(rouse_history_opts *o);

/* Month k is the calendar month [month_start[k], month_start[k + 1]); it "ends" at
 * end_k = min(month_start[k + 1], as_of): the month's figures are those of a summary at
 * as_of = end_k. Arrays are owned by the result (rouse_history_free). */
typedef struct rouse_history {
  int32_t as_of;             /* resolved as-of date */
  int n_months;              /* calendar months from the month of the earliest purchase (or
                                the first kept month, max_months) to the month of as_of - 1 */
  int32_t *month_start;      /* n_months + 1 day numbers (the last: the first day of the month
                                after the month of as_of - 1) */
  uint64_t *state_count;     /* n_months x ROUSE_STATE_COUNT, row k: customers with a first
                                purchase before end_k in each lifecycle state at end_k (never
                                lost: no p_alive, no withdrawn flags). Customers whose first
                                purchase is before the first kept month count too */
  uint64_t *new_customers;   /* first purchase day in month k */
  uint64_t *buyers;          /* customers with at least one purchase day in month k */
  uint64_t *orders;          /* orders in month k, as rouse_summary.orders counts them */
  int64_t *revenue_e4;       /* net revenue in month k: purchases minus returns (a return counts
                                in the month of its day), x 1e4 */
  uint64_t *cohort;          /* n_months x n_months, [c * n_months + j]: customers whose first
                                purchase day is in month c with a purchase day in month c + j
                                (j = 0: the cohort size; 0 where c + j >= n_months). Cohorts
                                before the first kept month are left out */
  int32_t week0;             /* the earliest purchase day before as_of: week w is
                                [week0 + 7w, week0 + 7w + 7) */
  int n_weeks;               /* ceil((as_of - week0) / 7) */
  uint64_t *week_repeat;     /* repeat purchase days (every purchase day but a customer's first)
                                in week w */
  uint64_t *week_births;     /* customers whose first purchase day is in week w */
  uint64_t customers;        /* customers with a purchase before as_of (rouse_summary.n) */
  int32_t dormant_days, at_risk_shop_days; /* the thresholds used (from the options) */
} rouse_history;

/* rouse_history_build() : the history at o->as_of from everything ingested, on n_threads
 * threads (0: all CPUs). Entries count as in rouse_summary_build: rows dated on or after
 * as_of are ignored, cancellations are not purchases, returns reduce the revenue of their
 * day's month and are not purchases; purchase days are distinct days. The state of a
 * customer at end_k follows rouse_segment_lifecycle from the purchase days before end_k
 * (d_1 < ... < d_m): recency = (end_k - 1) - d_m, x = m - 1; dormant if recency >=
 * dormant_days; at risk if x >= min_rhythm and recency * x > at_risk_factor * (d_m - d_1), or
 * x < min_rhythm and recency > at_risk_shop_days; reactivated if x >= 1 and d_m - d_{m-1} >=
 * dormant_days; new if x = 0; active otherwise. Time is linear in entries plus months; memory
 * is the result plus one accumulator of its size per thread (fewer threads when these would
 * pass 256 MiB together). Caller owns *out.
 * @return ROUSE_OK, ROUSE_EMPTY (no purchase before as_of), ROUSE_MISUSE (NULL argument, bad
 * option, as_of after the ingest window end), ROUSE_NOMEM. */
ROUSE_API int rouse_history_build(const rouse_ingest *ing, const rouse_history_opts *o,
                                  int n_threads, rouse_history **out);
ROUSE_API void rouse_history_free(rouse_history *h);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_HISTORY_H */
