/* SPDX-License-Identifier: MIT
 * The allocator seam: every allocation of librouse goes through here, so that an
 * embedding program can supply its own allocator and tests can inject failures. */
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "base.h"

/* Big blocks of the system allocator (glibc maps them on their own) are asked for
 * transparent huge pages: the columns of a million customers are touched whole, and 4 KB
 * pages cost a fault each, about a tenth of a large run's CPU. Where the kernel has THP
 * off, or in "always" mode, the advice changes nothing; it never changes a result. */
#define HUGE_MIN ((size_t)4 << 20)

static void advise_huge(void *p, size_t n) {
#if defined(MADV_HUGEPAGE)
  if (!p || n < HUGE_MIN) return;
  long pg = sysconf(_SC_PAGESIZE);
  if (pg <= 0) return;
  uintptr_t a = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
  uintptr_t e = ((uintptr_t)p + n) & ~((uintptr_t)pg - 1);
  if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice only: errors ignored */
#else
  (void)p, (void)n;
#endif
}

static void *sys_malloc(void *ctx, size_t n) {
  (void)ctx;
  void *p = malloc(n);
  advise_huge(p, n);
  return p;
}
static void *sys_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  void *q = realloc(p, n);
  advise_huge(q, n);
  return q;
}
static void sys_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static rouse_alloc g_alloc = {sys_malloc, sys_realloc, sys_free, NULL};

void rouse_set_allocator(const rouse_alloc *a) {
  if (a && a->malloc_fn && a->realloc_fn && a->free_fn)
    g_alloc = *a;
  else
    g_alloc = (rouse_alloc){sys_malloc, sys_realloc, sys_free, NULL};
}

void *rouse__malloc(size_t n) { return g_alloc.malloc_fn(g_alloc.ctx, n ? n : 1); }

void *rouse__calloc(size_t n, size_t size) {
  size_t total;
  if (!rouse__mul_size(n, size, &total)) return NULL;
  if (g_alloc.malloc_fn == sys_malloc) { /* calloc: fresh pages need no memset */
    void *p = calloc(total ? total : 1, 1);
    advise_huge(p, total);
    return p;
  }
  void *p = rouse__malloc(total);
  if (p) memset(p, 0, total);
  return p;
}

void *rouse__realloc(void *p, size_t n) {
  return g_alloc.realloc_fn(g_alloc.ctx, p, n ? n : 1);
}

void *rouse__reallocarray(void *p, size_t n, size_t size) {
  size_t total;
  if (!rouse__mul_size(n, size, &total)) return NULL;
  return rouse__realloc(p, total);
}

void rouse__free(void *p) {
  if (p) g_alloc.free_fn(g_alloc.ctx, p);
}

char *rouse__strndup(const char *s, size_t n) {
  char *d = rouse__malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *rouse__strdup(const char *s) { return s ? rouse__strndup(s, strlen(s)) : NULL; }
