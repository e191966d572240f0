/* SPDX-License-Identifier: MIT
 * Customer ids to a value (see base.h): open addressing on the id hash, at most half full. */
#include "base.h"

int rouse__idmap_init(struct rouse_idmap *m, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  m->slot = rouse__calloc(cap, sizeof *m->slot);
  m->mask = cap - 1;
  return m->slot ? ROUSE_OK : ROUSE_NOMEM;
}

void rouse__idmap_free(struct rouse_idmap *m) {
  rouse__free(m->slot);
  m->slot = NULL;
}

/* the index of id's slot, or of the empty one where it would go; *h: its hash (never 0,
 * which marks an empty slot) */
static size_t find(const struct rouse_idmap *m, const char *id, size_t len, uint64_t *h) {
  *h = rouse__hash64(id, len) | 1;
  size_t k = *h & m->mask;
  for (; m->slot[k].hash; k = (k + 1) & m->mask) {
    const struct rouse_idslot *s = &m->slot[k];
    if (s->hash == *h && s->len == len && !memcmp(s->id, id, len)) break;
  }
  return k;
}

void rouse__idmap_put(struct rouse_idmap *m, const char *id, int32_t val) {
  size_t len = strlen(id);
  uint64_t h;
  struct rouse_idslot *s = &m->slot[find(m, id, len, &h)];
  if (!s->hash) *s = (struct rouse_idslot){h, id, len, val}; /* the first value stays */
}

bool rouse__idmap_get(const struct rouse_idmap *m, const char *id, size_t len, int32_t *val) {
  uint64_t h;
  const struct rouse_idslot *s = &m->slot[find(m, id, len, &h)];
  if (!s->hash) return false;
  *val = s->val;
  return true;
}
