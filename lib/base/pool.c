/* SPDX-License-Identifier: MIT
 * Job pool: a fixed set of worker threads that run numbered tasks of one batch at a time.
 * The calling thread works too. Task indices are handed out with an atomic counter, so the
 * assignment of tasks to threads varies; callers keep results per task and combine them in
 * task order, which is what makes outputs identical at any thread count. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "base.h"

struct rouse_pool {
  int n_threads; /* including the caller */
  pthread_t *tid;
  pthread_mutex_t mu;
  pthread_cond_t cv_work, cv_done;
  uint64_t generation;  /* bumped for each batch */
  int stop;
  rouse_task_fn fn;
  void *arg;
  size_t n_tasks;
  atomic_size_t next;
  int active; /* workers still inside the current batch */
};

int rouse__cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

int rouse__resolve_threads(int n) {
  if (n <= 0) n = rouse__cpu_count();
  if (n > 64) n = 64;
  return n;
}

static void run_tasks(struct rouse_pool *p) {
  for (;;) {
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n_tasks) break;
    p->fn(p->arg, i);
  }
}

static void *worker(void *vp) {
  struct rouse_pool *p = vp;
  uint64_t seen = 0;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->generation == seen) pthread_cond_wait(&p->cv_work, &p->mu);
    if (p->stop) break;
    seen = p->generation;
    pthread_mutex_unlock(&p->mu);
    run_tasks(p);
    pthread_mutex_lock(&p->mu);
    if (--p->active == 0) pthread_cond_signal(&p->cv_done);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int rouse__pool_new(int n_threads, struct rouse_pool **out) {
  *out = NULL;
  struct rouse_pool *p = rouse__calloc(1, sizeof *p);
  if (!p) return ROUSE_NOMEM;
  p->n_threads = rouse__resolve_threads(n_threads);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv_work, NULL);
  pthread_cond_init(&p->cv_done, NULL);
  if (p->n_threads > 1) {
    p->tid = rouse__calloc((size_t)p->n_threads - 1, sizeof *p->tid);
    if (!p->tid) {
      rouse__pool_free(p);
      return ROUSE_NOMEM;
    }
    for (int i = 0; i < p->n_threads - 1; i++) {
      if (pthread_create(&p->tid[i], NULL, worker, p) != 0) {
        p->n_threads = i + 1; /* run with what we got */
        break;
      }
    }
  }
  *out = p;
  return ROUSE_OK;
}

int rouse__pool_threads(const struct rouse_pool *p) { return p ? p->n_threads : 1; }

void rouse__pool_run(struct rouse_pool *p, size_t n_tasks, rouse_task_fn fn, void *arg) {
  if (!p || p->n_threads == 1 || n_tasks <= 1) {
    for (size_t i = 0; i < n_tasks; i++) fn(arg, i);
    return;
  }
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->arg = arg;
  p->n_tasks = n_tasks;
  atomic_store(&p->next, 0);
  p->active = p->n_threads - 1;
  p->generation++;
  pthread_cond_broadcast(&p->cv_work);
  pthread_mutex_unlock(&p->mu);
  run_tasks(p);
  pthread_mutex_lock(&p->mu);
  while (p->active > 0) pthread_cond_wait(&p->cv_done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void rouse__pool_free(struct rouse_pool *p) {
  if (!p) return;
  if (p->tid) {
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_threads - 1; i++) pthread_join(p->tid[i], NULL);
    rouse__free(p->tid);
  }
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->cv_work);
  pthread_cond_destroy(&p->cv_done);
  rouse__free(p);
}
