/* SPDX-License-Identifier: MIT
 * Dormancy thresholds per product category (docs/segments.md §2): when the transactions have
 * a category column, every customer's main category is the one with most of their purchase
 * days; the repeat-purchase intervals (between a customer's distinct purchase days, in any
 * category) of the customers who mainly buy a category give it a threshold by the shop's rule
 * (a percentile rounded up to whole months), and each customer's silence is judged by the
 * threshold of their main category: a supplement buyer's cycle is not a sofa buyer's.
 * Included by <rouse/rouse.h>; do not include directly.
 *
 * Results are integers and names sorted by their bytes: the same at any thread count. */
#ifndef ROUSE_CATEGORY_H
#define ROUSE_CATEGORY_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rouse_category_opts {
  size_t struct_size;           /* sizeof(rouse_category_opts), set by _init */
  rouse_interval_opts interval; /* the rule (percentile, months), as for the shop */
  uint64_t min_intervals;       /* a category gets its own threshold from this many repeat
                                   intervals on (100); with fewer its customers keep the
                                   shop's */
  int32_t min_dormant_days;     /* a category's own threshold is at least this many days
                                   (0, default: no floor; e.g. the shop's threshold, so that
                                   categories only ever lengthen it) */
} rouse_category_opts;

ROUSE_API void rouse_category_opts_init(rouse_category_opts *o);

typedef struct rouse_categories {
  size_t n;                        /* categories with a purchase before the as-of date */
  const char *const *name;         /* sorted by their bytes */
  uint64_t *buyers;                /* customers with a purchase in it */
  uint64_t *customers;             /* customers whose main category it is */
  rouse_interval_stats *interval;  /* the repeat intervals of its customers (those whose main
                                      category it is; repeat_customers: those with two
                                      purchase days or more) */
  int32_t *dormant_days;           /* the threshold of its customers: interval.threshold_days,
                                      or 0 (the shop's) below min_intervals */
  size_t n_rows;                   /* the summary's customers */
  int32_t *main;                   /* per summary row: the category with most of the
                                      customer's purchase days (ties: the first by name); -1
                                      without one */
  uint32_t *bought;                /* per summary row: distinct categories bought (0: none) */
  float *main_share;               /* per summary row: the main category's share of the
                                      customer's (category, purchase day) pairs; NaN without */
  uint64_t rows;                   /* purchase rows with a category before the as-of date */
} rouse_categories;

/* rouse_categories_build() : the categories of the ingest's purchase rows before s->as_of,
 * for the customers of the summary s (built from the same ingest). `o` may be NULL. Caller
 * owns *out (rouse_categories_free). @return ROUSE_OK, ROUSE_EMPTY (no category column, no
 * category before as_of, or more than 4096 distinct names: not categories), ROUSE_MISUSE,
 * ROUSE_NOMEM. */
ROUSE_API int rouse_categories_build(const rouse_ingest *ing, const rouse_summary *s,
                                     const rouse_category_opts *o, rouse_categories **out);
ROUSE_API void rouse_categories_free(rouse_categories *c);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_CATEGORY_H */
