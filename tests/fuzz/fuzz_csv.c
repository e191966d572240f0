/* SPDX-License-Identifier: MIT
 * Fuzz target: the CSV row tokenizer (rouse__csv_row) and delimiter sniffing.
 * Byte 0 picks the delimiter (, TAB ;), eof true/false and maxf; the rest is tokenized row by
 * row to its end, as the engine does. Invariants checked for every row:
 *  - the returned pointer lies in (p, end] for a complete row and is end otherwise;
 *    INCOMPLETE only when eof is false, UNTERMINATED only when it is true;
 *  - every stored span lies in the row's bytes or in the scratch bytes added for this row,
 *    and scratch grows by no more than the row's length;
 *  - lines = the newlines in the consumed bytes; longest = the longest stored span;
 *  - boundary-scan mode (no fields, no scratch) finds the same end, status, nf and lines;
 *  - a complete row tokenized with eof=false tokenizes the same with eof=true;
 *  - re-encoding the fields (all quoted, quotes doubled) and tokenizing again gives the
 *    same fields.
 */
#include <string.h>

#include "fuzz.h"
#include "ingest/ingest.h"

#define MAXF 64

static uint32_t count_nl(const char *p, const char *e) {
  uint32_t n = 0;
  for (; p < e; p++) n += *p == '\n';
  return n;
}

static int in_range(const char *p, size_t n, const char *lo, const char *hi) {
  return p >= lo && p <= hi && (size_t)(hi - p) >= n;
}

static void check_row(const char *p, const char *end, char delim, bool eof, uint32_t maxf,
                      char *scratch, const char **next, int *status) {
  struct rouse_span f[MAXF];
  struct rouse_row row = {.f = f, .maxf = maxf, .scratch = scratch, .scratch_len = 7};
  int st = -1;
  const char *re = rouse__csv_row(p, end, delim, eof, &row, &st);
  FUZZ_ASSERT(st == ROUSE_ROW_OK || st == ROUSE_ROW_INCOMPLETE || st == ROUSE_ROW_UNTERMINATED);
  FUZZ_ASSERT(re >= p && re <= end);
  *next = re;
  *status = st;
  if (st == ROUSE_ROW_INCOMPLETE) {
    FUZZ_ASSERT(!eof);
    FUZZ_ASSERT(re == end);
    return;
  }
  if (st == ROUSE_ROW_UNTERMINATED) {
    FUZZ_ASSERT(eof);
    FUZZ_ASSERT(re == end);
    FUZZ_ASSERT(row.nf >= 1);
    FUZZ_ASSERT(row.lines == count_nl(p, end));
    return;
  }
  FUZZ_ASSERT(re > p || p == end);
  FUZZ_ASSERT(row.nf >= 1);
  FUZZ_ASSERT(row.lines == count_nl(p, re));
  /* a complete row ends with its newline, or at the end of the input */
  FUZZ_ASSERT(re == end ? (eof || re[-1] == '\n') : re[-1] == '\n');
  FUZZ_ASSERT(row.scratch_len >= 7 && row.scratch_len - 7 <= (size_t)(re - p));
  uint32_t stored = row.nf < maxf ? row.nf : maxf, longest = 0;
  for (uint32_t i = 0; i < stored; i++) {
    FUZZ_ASSERT(in_range(f[i].p, f[i].n, p, re) ||
                in_range(f[i].p, f[i].n, scratch + 7, scratch + row.scratch_len));
    if (f[i].n > longest) longest = f[i].n;
  }
  FUZZ_ASSERT(row.longest == longest);

  /* boundary scan mode agrees */
  struct rouse_row scan = {.f = NULL, .maxf = 0, .scratch = NULL};
  int st2 = -1;
  const char *re2 = rouse__csv_row(p, end, delim, eof, &scan, &st2);
  FUZZ_ASSERT(re2 == re && st2 == st && scan.nf == row.nf && scan.lines == row.lines);

  /* a row that is complete without eof is the same row with eof */
  if (!eof) {
    struct rouse_span g[MAXF];
    char *scr2 = malloc((size_t)(end - p) + 16);
    struct rouse_row r3 = {.f = g, .maxf = maxf, .scratch = scr2};
    int st3 = -1;
    const char *re3 = rouse__csv_row(p, end, delim, true, &r3, &st3);
    FUZZ_ASSERT(st3 == ROUSE_ROW_OK && re3 == re && r3.nf == row.nf && r3.lines == row.lines);
    for (uint32_t i = 0; i < stored; i++)
      FUZZ_ASSERT(g[i].n == f[i].n && !memcmp(g[i].p, f[i].p, f[i].n));
    free(scr2);
  }

  /* re-encode (all fields quoted) and tokenize again */
  if (row.nf <= maxf) {
    size_t cap = 3 * (size_t)(re - p) + 4 * row.nf + 16, o = 0;
    char *enc = malloc(cap);
    for (uint32_t i = 0; i < row.nf; i++) {
      if (i) enc[o++] = delim;
      enc[o++] = '"';
      for (uint32_t k = 0; k < f[i].n; k++) {
        if (f[i].p[k] == '"') enc[o++] = '"';
        enc[o++] = f[i].p[k];
      }
      enc[o++] = '"';
    }
    enc[o++] = '\n';
    FUZZ_ASSERT(o <= cap);
    struct rouse_span g[MAXF];
    char *scr2 = malloc(o + 16);
    struct rouse_row r4 = {.f = g, .maxf = maxf, .scratch = scr2};
    int st4 = -1;
    const char *re4 = rouse__csv_row(enc, enc + o, delim, false, &r4, &st4);
    FUZZ_ASSERT(st4 == ROUSE_ROW_OK && re4 == enc + o && r4.nf == row.nf);
    for (uint32_t i = 0; i < row.nf; i++)
      FUZZ_ASSERT(g[i].n == f[i].n && !memcmp(g[i].p, f[i].p, f[i].n));
    free(scr2);
    free(enc);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char delims[3] = {',', '\t', ';'};
  const char delim = delims[data[0] % 3];
  const bool eof = (data[0] >> 2) & 1;
  const uint32_t maxf = 1 + (uint32_t)(data[0] >> 3) % MAXF; /* 1..32 */
  size_t n = size - 1;
  char *buf = fuzz_dup(data + 1, n);
  char *scratch = malloc(n + 16);

  const char *p = buf, *end = buf + n;
  size_t rows = 0;
  while (p < end) {
    const char *next;
    int st;
    check_row(p, end, delim, eof, maxf, scratch, &next, &st);
    if (st != ROUSE_ROW_OK) break;
    FUZZ_ASSERT(next > p);
    p = next;
    rows++;
  }
  FUZZ_ASSERT(rows <= n);

  char d = rouse__csv_sniff_delim(buf, n);
  FUZZ_ASSERT(d == ',' || d == '\t' || d == ';' || d == '\0');
  free(scratch);
  free(buf);
  return 0;
}
