/* SPDX-License-Identifier: MIT
 * The report document: an arena of strings and arrays, and a growing list of blocks. */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a chain of chunks; an allocation larger than a chunk gets a chunk of its own */
struct rpt_arena {
  struct rpt_arena *next;
  size_t used, cap;
  _Alignas(16) unsigned char mem[];
};

#define ARENA_CHUNK (64 * 1024)

rpt_doc *rpt_doc_new(const char *lang) {
  rpt_doc *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->lang = lang && !strcmp(lang, "en") ? "en" : "ja";
  d->font = "Noto Sans CJK JP";
  return d;
}

void rpt_doc_free(rpt_doc *d) {
  if (!d) return;
  for (struct rpt_arena *a = d->arena, *n; a; a = n) {
    n = a->next;
    free(a);
  }
  free(d->b);
  free(d);
}

int rpt_doc_failed(const rpt_doc *d) { return !d || d->oom; }

void *rpt_alloc(rpt_doc *d, size_t size) {
  if (d->oom) return NULL;
  size = (size + 15) & ~(size_t)15;
  struct rpt_arena *a = d->arena;
  if (!a || a->cap - a->used < size) {
    size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
    struct rpt_arena *n = malloc(sizeof *n + cap);
    if (!n) {
      d->oom = 1;
      return NULL;
    }
    n->used = 0;
    n->cap = cap;
    if (a && size > ARENA_CHUNK) { /* keep the current chunk in front for small requests */
      n->next = a->next;
      a->next = n;
    } else {
      n->next = a;
      d->arena = n;
    }
    a = n;
  }
  void *p = a->mem + a->used;
  a->used += size;
  memset(p, 0, size);
  return p;
}

const char *rpt_strdup(rpt_doc *d, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *p = rpt_alloc(d, n);
  if (p) memcpy(p, s, n);
  return p;
}

const char *rpt_printf(rpt_doc *d, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = rpt_alloc(d, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

double *rpt_doubles(rpt_doc *d, size_t n) { return rpt_alloc(d, (n ? n : 1) * sizeof(double)); }

const char **rpt_strings(rpt_doc *d, size_t n) {
  return rpt_alloc(d, (n ? n : 1) * sizeof(const char *));
}

rpt_block *rpt_add(rpt_doc *d, int kind) {
  if (d->oom) return NULL;
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 64;
    rpt_block *b = realloc(d->b, cap * sizeof *b);
    if (!b) {
      d->oom = 1;
      return NULL;
    }
    d->b = b;
    d->cap = cap;
  }
  rpt_block *b = &d->b[d->n++];
  memset(b, 0, sizeof *b);
  b->kind = kind;
  return b;
}

void rpt_add_text(rpt_doc *d, int kind, const char *text) {
  if (!text) {
    d->oom = 1;
    return;
  }
  rpt_block *b = rpt_add(d, kind);
  if (b) b->text = text;
}

rpt_block *rpt_add_table(rpt_doc *d, size_t rows, size_t cols, const char *align) {
  const char **cells = rpt_strings(d, rows * cols);
  rpt_block *b = cells ? rpt_add(d, RPT_B_TABLE) : NULL;
  if (!b) return NULL;
  for (size_t k = 0; k < rows * cols; k++) cells[k] = "";
  b->n_rows = rows;
  b->n_cols = cols;
  b->cells = cells;
  b->align = rpt_strdup(d, align);
  return b;
}

void rpt_draw_block_chart(rpt_canvas *c, const rpt_block *b) {
  switch (b->chart_kind) {
  case RPT_CH_BARS: rpt_draw_bars(c, &b->chart); break;
  case RPT_CH_HBARS: rpt_draw_hbars(c, &b->chart); break;
  case RPT_CH_LINES: rpt_draw_lines(c, &b->chart); break;
  case RPT_CH_HEAT: rpt_draw_heatmap(c, &b->heat); break;
  default: break;
  }
}
