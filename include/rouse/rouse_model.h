/* SPDX-License-Identifier: MIT
 * Purchase and spend models (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k, Gamma-Gamma).
 * Included by <rouse/rouse.h>; do not include directly. */
#ifndef ROUSE_MODEL_H
#define ROUSE_MODEL_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_MODEL_H */
