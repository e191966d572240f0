/* SPDX-License-Identifier: MIT
 * Fuzz target: the customer master reader (rouse_master_parse). Byte 0 picks the encoding
 * (auto, UTF-8, CP932) and the delimiter (auto , TAB ;); the rest is the file. Invariants:
 *  - the status is one of the documented ones; on error *out is NULL and the message
 *    starts with the file name;
 *  - on success rows = accepted + rejected, rejected = the sum of rejected_by[] = the
 *    number of reject callbacks, each with a known reason and a data line (>= 2);
 *  - the withdrawn ids are non-empty valid UTF-8 without surrounding blanks, strictly
 *    ascending (sorted and distinct), n_withdrawn <= withdrawn_rows <= accepted;
 *  - the id and status columns are distinct and 1 <= n_status <= ROUSE_MASTER_MAX_STATUS. */
#include <string.h>

#include "base/base.h"
#include "fuzz.h"
#include "rouse/rouse_master.h"

struct count {
  uint64_t n;
};

static void on_rej(void *ctx, const rouse_diag *d) {
  struct count *c = ctx;
  c->n++;
  FUZZ_ASSERT(d->reason >= 0 && d->reason < ROUSE_MASTER_REJECT_COUNT);
  FUZZ_ASSERT(rouse_master_reject_name(d->reason) != NULL);
  FUZZ_ASSERT(d->line >= 2);
  FUZZ_ASSERT(d->detail && strlen(d->detail) > 0);
  FUZZ_ASSERT(d->file && !strcmp(d->file, "fuzz.csv"));
  FUZZ_ASSERT(d->text || d->text_len == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char delims[4] = {0, ',', '\t', ';'};
  rouse_master_opts o;
  rouse_master_opts_init(&o);
  o.encoding = data[0] % 3; /* AUTO, UTF8, CP932 */
  o.delimiter = delims[(data[0] >> 2) & 3];
  struct count cnt = {0};
  o.on_reject = on_rej;
  o.reject_ctx = &cnt;
  size_t n = size - 1;
  char *buf = fuzz_dup(data + 1, n);
  rouse_master *m = (rouse_master *)&cnt; /* must be overwritten */
  char err[300];
  int rc = rouse_master_parse("fuzz.csv", buf, n, &o, &m, err, sizeof err);
  FUZZ_ASSERT(rc == ROUSE_OK || rc == ROUSE_PARSE || rc == ROUSE_ENCODING ||
              rc == ROUSE_LIMIT || rc == ROUSE_NOMEM);
  if (rc) {
    FUZZ_ASSERT(m == NULL);
    FUZZ_ASSERT(!strncmp(err, "fuzz.csv: ", 10));
  } else {
    FUZZ_ASSERT(m != NULL && err[0] == '\0');
    FUZZ_ASSERT(m->rows == m->accepted + m->rejected);
    uint64_t sum = 0;
    for (int r = 0; r < ROUSE_MASTER_REJECT_COUNT; r++) sum += m->rejected_by[r];
    FUZZ_ASSERT(sum == m->rejected && cnt.n == m->rejected);
    FUZZ_ASSERT(m->n_withdrawn <= m->withdrawn_rows && m->withdrawn_rows <= m->accepted);
    FUZZ_ASSERT(m->n_status >= 1 && m->n_status <= ROUSE_MASTER_MAX_STATUS);
    FUZZ_ASSERT(m->id.column >= 0 && m->id.header);
    for (int k = 0; k < m->n_status; k++) {
      FUZZ_ASSERT(m->status[k].column != m->id.column && m->status[k].header);
      FUZZ_ASSERT(k == 0 || m->status[k].column > m->status[k - 1].column);
    }
    FUZZ_ASSERT(m->encoding == ROUSE_ENCODING_UTF8 || m->encoding == ROUSE_ENCODING_CP932);
    for (size_t i = 0; i < m->n_withdrawn; i++) {
      const char *id = m->withdrawn[i];
      size_t l = strlen(id);
      FUZZ_ASSERT(l > 0 && l <= 255);
      FUZZ_ASSERT(rouse__utf8_valid((const unsigned char *)id, l));
      FUZZ_ASSERT(id[0] != ' ' && id[0] != '\t' && id[l - 1] != ' ' && id[l - 1] != '\t');
      FUZZ_ASSERT(i == 0 || strcmp(m->withdrawn[i - 1], id) < 0);
    }
  }
  rouse_master_free(m);
  free(buf);
  return 0;
}
