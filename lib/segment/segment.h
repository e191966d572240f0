/* SPDX-License-Identifier: MIT
 * Private header of the segment module: helpers shared by rfm.c and dormancy.c.
 * Public declarations are in <rouse/rouse_segment.h>; this file adds only internals. */
#ifndef ROUSE_SEGMENT_PRIV_H
#define ROUSE_SEGMENT_PRIV_H

#include "../base/base.h"
#include "rouse/rouse_segment.h"

/* rouse_segment_interval_stats from a histogram of interval lengths (hist[k]: intervals of k
 * days, the last bucket open) instead of a summary: for the per-category thresholds. The mean
 * counts the open bucket as len - 1 days. @return ROUSE_OK, ROUSE_MISUSE. */
int rouse__interval_stats_hist(const uint64_t *hist, size_t len, size_t repeat_customers,
                               const rouse_interval_opts *o, rouse_interval_stats *out);

#endif /* ROUSE_SEGMENT_PRIV_H */
