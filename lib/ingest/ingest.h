/* SPDX-License-Identifier: MIT
 * Private interface of the ingest module: CSV row tokenizer, encoding detection and CP932
 * conversion, date formats, header recognition, and the per-customer accumulator that the
 * summary is built from. The public face is rouse_ingest_* in <rouse/rouse.h>. */
#ifndef ROUSE_INGEST_H
#define ROUSE_INGEST_H

#include "../base/base.h"

/* Limits (docs/input.md "Limits"). */
#define ROUSE_MAX_COLUMNS 4096          /* header columns */
#define ROUSE_MAX_FIELD (64u << 10)     /* bytes in one used field */
#define ROUSE_MAX_ROW (16u << 20)       /* bytes in one row (quoted newlines included) */
#define ROUSE_BLOCK (8u << 20)          /* bytes read per block */

/*---------------------------------------------------------------------
 * Dates
 *--------------------------------------------------------------------*/
enum { ROUSE_DATE_AUTO, ROUSE_DATE_YMD, ROUSE_DATE_MDY, ROUSE_DATE_DMY, ROUSE_DATE_PATTERN };

struct rouse_datefmt {
  int order;        /* ROUSE_DATE_* */
  char pattern[64]; /* strptime-like, for ROUSE_DATE_PATTERN */
  char name[64];    /* what we tell the user */
};

bool rouse__date_parse_fmt(const struct rouse_datefmt *f, const char *s, size_t n, int32_t *out);
int rouse__datefmt_from_option(const char *opt, struct rouse_datefmt *f, char *err, size_t errsz);
void rouse__datefmt_name(struct rouse_datefmt *f, const char *sample, size_t n);
/* decide YMD / MDY / DMY from sample values; ROUSE_PARSE with a message if impossible */
int rouse__datefmt_detect(const char *const *vals, const size_t *lens, size_t nv,
                          struct rouse_datefmt *f, char *err, size_t errsz);

/*---------------------------------------------------------------------
 * CSV tokenizer (lenient RFC 4180)
 *--------------------------------------------------------------------*/
struct rouse_span {
  const char *p;
  uint32_t n;
};

/* without leading and trailing blanks (space, tab) */
static inline void rouse__span_trim(struct rouse_span *s) {
  while (s->n && (s->p[0] == ' ' || s->p[0] == '\t')) s->p++, s->n--;
  while (s->n && (s->p[s->n - 1] == ' ' || s->p[s->n - 1] == '\t')) s->n--;
}

/* length of a printable excerpt of s for messages: at most max bytes, cut at a UTF-8 boundary */
static inline int rouse__span_excerpt(const struct rouse_span *s, uint32_t max) {
  uint32_t n = s->n > max ? max : s->n;
  while (n < s->n && n > 0 && ((unsigned char)s->p[n] & 0xC0) == 0x80) n--;
  return (int)n;
}

enum rouse_row_status {
  ROUSE_ROW_OK = 0,
  ROUSE_ROW_INCOMPLETE,  /* ran into the end of the buffer before the row ended (not at EOF) */
  ROUSE_ROW_UNTERMINATED /* at EOF inside a quoted field */
};

struct rouse_row {
  struct rouse_span *f; /* OUT: spans of fields [0, maxf) */
  uint32_t maxf;        /* capacity of f */
  uint32_t nf;          /* OUT: number of fields in the row (may exceed maxf) */
  uint32_t lines;       /* OUT: newlines consumed (terminator included) */
  uint32_t longest;     /* OUT: length of the longest stored field */
  char *scratch;        /* unescaped copies of quoted fields with "" (capacity >= row bytes) */
  size_t scratch_len;   /* IN/OUT: bytes used in scratch */
};

/* rouse__csv_row() : tokenize one row starting at p. `eof` says whether `end` is the end of
 * the input. Fields beyond maxf are counted but not stored. If scratch is NULL, doubled
 * quotes are left escaped in the spans (used for boundary scanning only).
 * @return pointer just past the row (after its '\n'), and the status in *st. */
const char *rouse__csv_row(const char *p, const char *end, char delim, bool eof,
                           struct rouse_row *row, int *st);

/* Detect the delimiter from a header line: the most frequent of ',', '\t', ';' outside
 * quotes ('\0' if none occurs). */
char rouse__csv_sniff_delim(const char *p, size_t n);

/*---------------------------------------------------------------------
 * Encodings
 *--------------------------------------------------------------------*/
/* Classify a sample: ROUSE_ENCODING_UTF8, ROUSE_ENCODING_CP932, or 0 if pure ASCII
 * (undecided). When neither reading is clean, the one with fewer bad characters wins. `final` = the sample is the whole input (a truncated trailing sequence is
 * then invalid). */
int rouse__encoding_sniff(const unsigned char *p, size_t n, bool final);

struct rouse_cp932; /* iconv state */
int rouse__cp932_open(struct rouse_cp932 **out);
void rouse__cp932_close(struct rouse_cp932 *c);
/* Convert CP932 bytes to UTF-8 into `out` (capacity >= 3*n + 4). Invalid bytes become 0xFF,
 * which no UTF-8 validator accepts, so the row holding them is rejected later.
 * @return bytes written. */
size_t rouse__cp932_to_utf8(struct rouse_cp932 *c, const char *in, size_t n, char *out);

/*---------------------------------------------------------------------
 * Header recognition
 *--------------------------------------------------------------------*/
/* A header name normalised for matching: ASCII lower-cased, full-width ASCII folded to
 * half-width, spaces (ideographic too), '_', '-', '.', brackets and quotes dropped; written to
 * out (NUL-terminated; stops at cap - 4 bytes). @return its length. */
size_t rouse__header_norm(const char *s, size_t n, char *out, size_t cap);

/* Which field a header name denotes (-1 if none). *is_flag is set for cancel-flag columns.
 * `priority` gets the rank of the name within the field's list (lower is better). */
int rouse__header_field(const char *name, size_t n, int *is_flag, int *priority);
/* Is a status value a cancellation? (status words, or truthy flags when is_flag) */
bool rouse__status_cancelled(const char *s, size_t n, bool is_flag);

#endif /* ROUSE_INGEST_H */
