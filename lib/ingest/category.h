/* SPDX-License-Identifier: MIT
 * The category rows sorted once (category.c), for rouse_categories at several as-of dates:
 * build on n_threads (the sorts; ROUSE_EMPTY without categories, as rouse_categories_build),
 * then one
 * rouse__categories_from_sorted per summary (the same result as rouse_categories_build on
 * that summary). Borrows the ingest's strings: free before the ingest. */
#ifndef ROUSE_INGEST_CATEGORY_H
#define ROUSE_INGEST_CATEGORY_H

#include "rouse/rouse.h"

struct rouse__catsort;
int rouse__catsort_build(const rouse_ingest *ing, int n_threads, struct rouse__catsort **out);
void rouse__catsort_free(struct rouse__catsort *cs);
int rouse__categories_from_sorted(const struct rouse__catsort *cs, const rouse_summary *s,
                                  const rouse_category_opts *o, rouse_categories **out);

#endif
