/* SPDX-License-Identifier: MIT
 * One job beside the caller: started on a thread of its own, or, where no thread can be
 * started, run by the caller when it needs the result. Either way the job runs exactly once
 * (or not at all, after rouse__bg_wait) and its results are the same. */
#ifndef ROUSE_BASE_BG_H
#define ROUSE_BASE_BG_H

#include <pthread.h>

struct rouse_bg {
  pthread_t tid;
  void *(*fn)(void *);
  void *arg;
  int state; /* 0: none, or finished; 1: on its thread; 2: not started (runs at the finish) */
};

/* Start fn(arg) on a thread (b zeroed or finished before). */
void rouse__bg_start(struct rouse_bg *b, void *(*fn)(void *), void *arg);
/* The job's results: wait for its thread, or run it here if it had none. */
void rouse__bg_finish(struct rouse_bg *b);
/* Wait for its thread if it has one; a job without a thread is dropped, not run (early
 * returns, errors). */
void rouse__bg_wait(struct rouse_bg *b);

#endif
