/* SPDX-License-Identifier: MIT
 * Shared by the t_model_*.c tests: locate the bundled and shared data sets and turn a
 * transactions file into summary columns (x, t_x, T as doubles) through the public API,
 * exactly as `rouse fit` does. Header-only (one test program per file). */
#ifndef ROUSE_TEST_MODEL_DATA_H
#define ROUSE_TEST_MODEL_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rouse/rouse.h"

/* Find `rel` (relative to the source root) from the test's working directory or from the
 * directory of this header (__FILE__ is relative to the build directory under ninja). */
static inline const char *md_find(const char *rel, char *buf, size_t n) {
  const char *env = getenv("ROUSE_SOURCE_ROOT");
  const char *roots[] = {env, "..", ".", "../..", "../../..", NULL};
  for (int i = 0; i < 5; i++) {
    if (!roots[i]) continue;
    snprintf(buf, n, "%s/%s", roots[i], rel);
    FILE *f = fopen(buf, "rb");
    if (f) {
      fclose(f);
      return buf;
    }
  }
  /* from __FILE__: <root>/tests/numeric/model_data.h */
  const char *me = __FILE__;
  const char *cut = strstr(me, "tests/numeric/model_data.h");
  if (cut) {
    snprintf(buf, n, "%.*s%s", (int)(cut - me), me, rel);
    FILE *f = fopen(buf, "rb");
    if (f) {
      fclose(f);
      return buf;
    }
  }
  return NULL;
}

struct md_cols {
  size_t n;
  double *x, *t_x, *T, *spend, *hold, *litt;
  rouse_summary *s;
};

static inline void md_free(struct md_cols *c) {
  free(c->x);
  free(c->t_x);
  free(c->T);
  free(c->spend);
  free(c->hold);
  free(c->litt);
  rouse_summary_free(c->s);
  memset(c, 0, sizeof *c);
}

/* calibration ends cal_end (inclusive); holdout to hold_end (inclusive, or INT32_MIN) */
static inline int md_load(const char *path, int32_t cal_end, int32_t hold_end, int unit,
                          int n_threads, struct md_cols *c) {
  memset(c, 0, sizeof *c);
  rouse_ingest_opts io;
  rouse_ingest_opts_init(&io);
  io.n_threads = n_threads;
  io.window_end = cal_end + 1;
  if (hold_end != INT32_MIN) io.window_keep_end = hold_end + 1;
  rouse_ingest *ing = NULL;
  int rc = rouse_ingest_new(&io, &ing);
  if (!rc) rc = rouse_ingest_file(ing, path);
  if (!rc) {
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    so.as_of = cal_end + 1;
    so.holdout_end = hold_end;
    so.unit_days = unit;
    rc = rouse_summary_build(ing, &so, n_threads, &c->s);
  }
  rouse_ingest_free(ing);
  if (rc) return rc;
  size_t n = c->n = c->s->n;
  c->x = calloc(n, sizeof(double));
  c->t_x = calloc(n, sizeof(double));
  c->T = calloc(n, sizeof(double));
  c->spend = calloc(n, sizeof(double));
  c->hold = calloc(n, sizeof(double));
  c->litt = calloc(n, sizeof(double));
  for (size_t i = 0; i < n; i++) {
    c->litt[i] = c->s->sum_log_interval[i];
    c->x[i] = c->s->x[i];
    c->t_x[i] = c->s->t_x[i];
    c->T[i] = c->s->T[i];
    c->spend[i] = c->s->mean_repeat[i];
    c->hold[i] = c->s->holdout_x ? c->s->holdout_x[i] : 0;
  }
  return 0;
}

static inline long md_find_id(const struct md_cols *c, const char *id) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->s->id[i], id)) return (long)i;
  return -1;
}

#endif
