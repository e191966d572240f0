/* SPDX-License-Identifier: MIT
 * Scoring (placeholder: being written). Included by <rouse/rouse.h>. */
#ifndef ROUSE_SCORE_H
#define ROUSE_SCORE_H
#endif
