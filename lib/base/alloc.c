/* SPDX-License-Identifier: MIT
 * The allocator seam: every allocation of librouse goes through here, so that an
 * embedding program can supply its own allocator and tests can inject failures. */
#include <stdlib.h>

#include "base.h"

static void *sys_malloc(void *ctx, size_t n) {
  (void)ctx;
  return malloc(n);
}
static void *sys_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  return realloc(p, n);
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
