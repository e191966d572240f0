/* SPDX-License-Identifier: MIT
 * Job pool: every task index of a batch runs exactly once, for 1, 2, 4 and 7 threads, for
 * task counts around the thread count, over many batches on the same pool (the generation
 * handshake), and with work uneven enough that threads really interleave; and the one-job
 * helper rouse__bg (bg.h). */
#include <stdatomic.h>
#include <stdlib.h>

#include "base/base.h"
#include "base/bg.h"
#include "harness.h"

#define MAXT 5000

struct job {
  atomic_int hits[MAXT];
  atomic_int calls;
  size_t n_tasks;
  atomic_int bad_index;
  atomic_uint sink;
};

static void task(void *arg, size_t i) {
  struct job *j = arg;
  if (i >= j->n_tasks) {
    atomic_fetch_add(&j->bad_index, 1);
    return;
  }
  atomic_fetch_add(&j->hits[i], 1);
  atomic_fetch_add(&j->calls, 1);
  /* uneven work: some tasks spin a little */
  unsigned x = 0;
  for (unsigned k = 0; k < (unsigned)(i % 7) * 200; k++) x += k * k;
  atomic_fetch_add(&j->sink, x);
}

static int run_batch(struct rouse_pool *p, struct job *j, size_t n) {
  for (size_t i = 0; i < MAXT; i++) atomic_store(&j->hits[i], 0);
  atomic_store(&j->calls, 0);
  atomic_store(&j->bad_index, 0);
  j->n_tasks = n;
  rouse__pool_run(p, n, task, j);
  int ok = atomic_load(&j->calls) == (int)n && atomic_load(&j->bad_index) == 0;
  for (size_t i = 0; i < n; i++) ok &= atomic_load(&j->hits[i]) == 1;
  for (size_t i = n; i < MAXT; i++) ok &= atomic_load(&j->hits[i]) == 0;
  return ok;
}

static void *bump(void *arg) {
  atomic_fetch_add((atomic_int *)arg, 1);
  return NULL;
}

/* rouse__bg: a job runs exactly once, on its thread or at the finish; wait drops a job that
 * never got a thread (state 2, what a failed pthread_create leaves) */
static void test_bg(void) {
  atomic_int n = 0;
  struct rouse_bg b = {0};
  rouse__bg_finish(&b); /* nothing started: nothing runs */
  CHECK_EQ_INT(atomic_load(&n), 0);
  rouse__bg_start(&b, bump, &n);
  rouse__bg_finish(&b);
  rouse__bg_finish(&b);
  CHECK_EQ_INT(atomic_load(&n), 1);
  rouse__bg_start(&b, bump, &n);
  rouse__bg_wait(&b); /* with a thread: joined, ran */
  CHECK_EQ_INT(atomic_load(&n), 2);
  b = (struct rouse_bg){.fn = bump, .arg = &n, .state = 2};
  rouse__bg_finish(&b); /* no thread: runs here */
  CHECK_EQ_INT(atomic_load(&n), 3);
  b = (struct rouse_bg){.fn = bump, .arg = &n, .state = 2};
  rouse__bg_wait(&b);
  rouse__bg_finish(&b);
  CHECK_EQ_INT(atomic_load(&n), 3);
}

int main(void) {
  test_bg();
  static struct job j;
  const int threads[] = {1, 2, 4, 7};
  const size_t counts[] = {0, 1, 2, 3, 4, 6, 7, 8, 13, 100, 1000, MAXT};
  for (size_t a = 0; a < ROUSE_ARRAY_SIZE(threads); a++) {
    struct rouse_pool *p = NULL;
    CHECK_EQ_INT(rouse__pool_new(threads[a], &p), ROUSE_OK);
    CHECK(p != NULL);
    CHECK_EQ_INT(rouse__pool_threads(p), threads[a]);
    for (size_t c = 0; c < ROUSE_ARRAY_SIZE(counts); c++) {
      int ok = run_batch(p, &j, counts[c]);
      printf("# threads %d tasks %zu\n", threads[a], counts[c]);
      CHECK(ok);
    }
    /* many small batches in a row on the same pool */
    int ok = 1;
    for (int rep = 0; rep < 300; rep++) ok &= run_batch(p, &j, (size_t)(rep % 17));
    CHECK(ok);
    rouse__pool_free(p);
  }

  /* NULL pool runs serially */
  CHECK(run_batch(NULL, &j, 5));
  CHECK_EQ_INT(rouse__pool_threads(NULL), 1);
  rouse__pool_free(NULL);

  /* a pool created and freed without ever running a batch */
  struct rouse_pool *p = NULL;
  CHECK_EQ_INT(rouse__pool_new(4, &p), ROUSE_OK);
  rouse__pool_free(p);

  /* thread count resolution */
  int cpus = rouse__cpu_count();
  CHECK(cpus >= 1);
  CHECK_EQ_INT(rouse__resolve_threads(0), cpus > 64 ? 64 : cpus);
  CHECK_EQ_INT(rouse__resolve_threads(-5), cpus > 64 ? 64 : cpus);
  CHECK_EQ_INT(rouse__resolve_threads(1), 1);
  CHECK_EQ_INT(rouse__resolve_threads(64), 64);
  CHECK_EQ_INT(rouse__resolve_threads(65), 64);
  CHECK_EQ_INT(rouse__resolve_threads(1000), 64);
  return done_testing();
}
