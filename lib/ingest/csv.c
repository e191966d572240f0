/* SPDX-License-Identifier: MIT
 * CSV/TSV row tokenizer: splits bytes into fields per RFC 4180 with the relaxations in
 * docs/input.md: a quote is special only at the start of a field (12" TV stays literal),
 * text after a closing quote is kept, CRLF and LF both end rows, and newlines inside quoted
 * fields belong to the field. Knows nothing about encodings, dates or customers.
 * Fields are {ptr,len} views into the input, or into the caller's scratch buffer when a
 * quoted field holds doubled quotes that must be unescaped. */
#include "ingest.h"

const char *rouse__csv_row(const char *p, const char *end, char delim, bool eof,
                           struct rouse_row *row, int *st) {
  uint32_t nf = 0, lines = 0, longest = 0;
  *st = ROUSE_ROW_OK;
  for (;;) { /* one field per iteration */
    const char *fs = p;
    struct rouse_span sp;
    if (p < end && *p == '"') {
      /* quoted field */
      p++;
      const char *cs = p;
      bool escaped = false;
      for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q) {
          *st = eof ? ROUSE_ROW_UNTERMINATED : ROUSE_ROW_INCOMPLETE;
          row->nf = nf + 1;
          row->lines = lines;
          if (eof) { /* count the newlines the open quote swallowed */
            for (const char *t = p; t < end; t++) row->lines += *t == '\n';
          }
          row->longest = longest;
          return end;
        }
        for (const char *t = p; t < q; t++) lines += *t == '\n';
        if (q + 1 < end && q[1] == '"') { /* doubled quote */
          escaped = true;
          p = q + 2;
          continue;
        }
        if (q + 1 == end && !eof) {
          *st = ROUSE_ROW_INCOMPLETE;
          return end;
        }
        p = q + 1;
        sp.p = cs;
        sp.n = (uint32_t)((size_t)(q - cs) > UINT32_MAX ? UINT32_MAX : (size_t)(q - cs));
        break;
      }
      /* text after the closing quote, up to the delimiter, is kept */
      const char *after = p;
      while (p < end && *p != delim && *p != '\n') p++;
      /* a CR just before the row's end (LF, or the end of the input) is part of the line end */
      bool tail = p > after && !(p - after == 1 && *after == '\r' && (p == end || *p == '\n'));
      if ((escaped || tail) && nf < row->maxf && row->scratch) {
        char *o = row->scratch + row->scratch_len, *o0 = o;
        for (const char *t = sp.p; t < sp.p + sp.n; t++) {
          *o++ = *t;
          if (*t == '"') t++; /* "" -> " */
        }
        const char *tend = p;
        if (tend > after && tend[-1] == '\r' && (tend == end || *tend == '\n')) tend--;
        memcpy(o, after, (size_t)(tend - after));
        o += tend - after;
        sp.p = o0;
        sp.n = (uint32_t)(o - o0);
        row->scratch_len += (size_t)(o - o0);
      }
      (void)fs;
    } else {
      /* unquoted field */
      while (p < end && *p != delim && *p != '\n') p++;
      sp.p = fs;
      size_t n = (size_t)(p - fs);
      if ((p == end || *p == '\n') && n && fs[n - 1] == '\r') n--; /* CRLF, or CR at EOF */
      sp.n = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
    }
    if (nf < row->maxf) {
      row->f[nf] = sp;
      if (sp.n > longest) longest = sp.n;
    }
    nf++;
    if (p == end) {
      if (!eof) {
        *st = ROUSE_ROW_INCOMPLETE;
        return end;
      }
      break;
    }
    if (*p == '\n') {
      lines++;
      p++;
      break;
    }
    p++; /* delimiter */
    if (p == end && !eof) {
      *st = ROUSE_ROW_INCOMPLETE;
      return end;
    }
  }
  row->nf = nf;
  row->lines = lines;
  row->longest = longest;
  return p;
}

char rouse__csv_sniff_delim(const char *p, size_t n) {
  size_t cnt[3] = {0, 0, 0};
  static const char cand[3] = {',', '\t', ';'};
  bool inq = false, field_start = true;
  for (size_t i = 0; i < n && p[i] != '\n'; i++) {
    char c = p[i];
    if (inq) {
      if (c == '"') {
        if (i + 1 < n && p[i + 1] == '"')
          i++;
        else
          inq = false;
      }
      continue;
    }
    if (c == '"' && field_start) {
      inq = true;
      field_start = false;
      continue;
    }
    field_start = false;
    for (int k = 0; k < 3; k++)
      if (c == cand[k]) {
        cnt[k]++;
        field_start = true;
      }
  }
  int best = -1;
  for (int k = 0; k < 3; k++)
    if (cnt[k] && (best < 0 || cnt[k] > cnt[best])) best = k;
  return best < 0 ? '\0' : cand[best];
}
