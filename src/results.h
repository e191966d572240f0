/* SPDX-License-Identifier: MIT
 * Parts of results.json (the aggregates `rouse run` writes and `rouse report` draws) built
 * from the library's results: the history month by month and week by week, the repeat-interval
 * histogram, the score aggregates and an evaluation row with its curves. docs/results.md. */
#ifndef ROUSE_CLI_RESULTS_H
#define ROUSE_CLI_RESULTS_H

#include <jansson.h>

#include "rouse/rouse.h"
#include "rouse/rouse_history.h"
#include "rouse/rouse_score.h"

/* the history at s->as_of with s's lifecycle thresholds (rouse_history_build, five years at
 * most); a status, with the message printed on failure. Touches nothing but *out, so it can
 * run on a thread of its own while the lists are written. */
int results_history_build(const rouse_scores *s, const rouse_ingest *ing, double at_risk_factor,
                          int min_rhythm, int n_threads, rouse_history **out);
/* that history as JSON: "months", "states", "new_customers", "buyers", "orders", "revenue",
 * "cohorts", "weeks" (with the purchase model's expected repeat purchases per week). NULL on
 * out of memory. */
json_t *results_history(const rouse_scores *s, const rouse_history *h);
/* the repeat-interval histogram in bins of whole days, wide enough to show the thresholds */
json_t *results_intervals(const rouse_scores *s);
/* the per-category thresholds (s->categories, not NULL): one object per category, by name */
json_t *results_categories(const rouse_scores *s);
/* the score aggregates (rouse_score_aggregate) as JSON */
json_t *results_scores(const rouse_score_agg *g);
/* one validation or backtest row: metrics, gains curve, reliability table */
json_t *results_eval(const rouse_score_eval *e);

#endif
