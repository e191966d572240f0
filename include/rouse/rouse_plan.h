/* SPDX-License-Identifier: MIT
 * Target lists (placeholder: being written). Included by <rouse/rouse.h>. */
#ifndef ROUSE_PLAN_H
#define ROUSE_PLAN_H
#endif
