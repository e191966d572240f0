/* SPDX-License-Identifier: MIT
 * A job beside the caller (see bg.h). */
#include "bg.h"

enum { BG_IDLE = 0, BG_THREAD = 1, BG_PENDING = 2 };

void rouse__bg_start(struct rouse_bg *b, void *(*fn)(void *), void *arg) {
  b->fn = fn;
  b->arg = arg;
  b->state = pthread_create(&b->tid, NULL, fn, arg) == 0 ? BG_THREAD : BG_PENDING;
}

void rouse__bg_finish(struct rouse_bg *b) {
  if (b->state == BG_THREAD) pthread_join(b->tid, NULL);
  else if (b->state == BG_PENDING) b->fn(b->arg);
  b->state = BG_IDLE;
}

void rouse__bg_wait(struct rouse_bg *b) {
  if (b->state == BG_THREAD) pthread_join(b->tid, NULL);
  b->state = BG_IDLE;
}
