/* SPDX-License-Identifier: MIT
 * Customer master (会員マスタ / 顧客マスタ): the shop's export of its customers, read for one
 * thing only: which customer ids the master marks withdrawn (退会) or unsubscribed (配信停止),
 * so that scoring can put them in state `lost` (rouse_score_opts.withdrawn_ids). Same CSV
 * dialects as transaction exports: UTF-8 with or without BOM, or CP932; comma, tab or
 * semicolon. Columns, values and rejects: docs/input.md, "Customer master".
 *
 * Not included by <rouse/rouse.h>: include <rouse/rouse_master.h> where it is needed.
 * Reentrant; no threads; allocation through the allocator seam (rouse_set_allocator). */
#ifndef ROUSE_MASTER_H
#define ROUSE_MASTER_H

#include "rouse.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ROUSE_MASTER_MAX_BYTES (1u << 30) /* input bytes accepted (ROUSE_LIMIT beyond) */
#define ROUSE_MASTER_MAX_STATUS 16        /* status/flag columns used; more are ignored */

/* Why a master row was rejected. Names (rouse_master_reject_name) are stable; those shared
 * with transaction rejects are spelled as rouse_reject_name spells them. */
typedef enum rouse_master_reject {
  ROUSE_MASTER_REJECT_FIELD_COUNT = 0, /* fewer fields than the id and status columns need */
  ROUSE_MASTER_REJECT_NO_CUSTOMER,     /* customer id empty */
  ROUSE_MASTER_REJECT_ENCODING,        /* invalid UTF-8 / CP932 bytes, or a NUL byte */
  ROUSE_MASTER_REJECT_TOO_LONG,        /* a field over 64 KiB, or an id over 255 bytes */
  ROUSE_MASTER_REJECT_QUOTE,           /* a quoted field not closed before the end */
  ROUSE_MASTER_REJECT_BAD_FLAG,        /* a flag column holds a value that is not yes/no */
  ROUSE_MASTER_REJECT_BAD_DATE,        /* a withdrawal date column holds a value that is not a
                                          date */
  ROUSE_MASTER_REJECT_COUNT
} rouse_master_reject;

/* "field_count", "no_customer_id", "invalid_encoding", "field_too_long",
 * "unterminated_quote", "bad_flag", "bad_date"; NULL if out of range. Static strings. */
ROUSE_API const char *rouse_master_reject_name(int reason);

typedef struct rouse_master_opts {
  size_t struct_size;     /* sizeof(rouse_master_opts), set by _init */
  int encoding;           /* rouse_encoding: AUTO (default), UTF8 or CP932 */
  char delimiter;         /* ',', '\t', ';' or 0 (default) to detect from the header */
  rouse_diag_fn on_reject; /* called once per rejected row, in file order; may be NULL.
                             d->reason is a rouse_master_reject, d->column 1-based (0: the
                             whole row); every pointer in d is borrowed for the call */
  void *reject_ctx;
} rouse_master_opts;

/* Fills the defaults: detect encoding and delimiter, no reject callback. */
ROUSE_API void rouse_master_opts_init(rouse_master_opts *o);

/* A column the master was read from. */
typedef struct rouse_master_column {
  int column;         /* 0-based */
  const char *header; /* header text as written (trimmed, UTF-8) */
  int is_flag;        /* 1: a yes/no flag column (退会フラグ); 0: a status column (会員状態)
                         or a date column */
  int is_date;        /* 1: a withdrawal date column (退会日): a date marks the row withdrawn
                         on that day */
} rouse_master_column;

/* What rouse_master_parse read. Owned by the caller; free with rouse_master_free.
 * Invariant: rows = accepted + rejected, and rejected = the sum of rejected_by[]. */
typedef struct rouse_master {
  uint64_t rows;          /* data rows read (header and blank lines excluded) */
  uint64_t accepted;      /* rows used */
  uint64_t rejected;      /* rows rejected (reported to on_reject) */
  uint64_t rejected_by[ROUSE_MASTER_REJECT_COUNT];
  uint64_t blank_lines;   /* empty lines, skipped (not rows) */
  uint64_t withdrawn_rows; /* accepted rows marking their customer withdrawn */
  size_t n_withdrawn;     /* distinct withdrawn customer ids */
  const char *const *withdrawn; /* n_withdrawn ids (NUL-terminated UTF-8, trimmed of spaces
                                   and tabs), sorted bytewise; fits withdrawn_ids of
                                   rouse_score_opts directly. Valid until rouse_master_free */
  const int32_t *withdrawn_day; /* per id: the day it withdrew (days since 1970-01-01; the
                                   earliest date of its rows), or INT32_MIN when a row marks it
                                   withdrawn without a date: withdrawn at any as-of date. Fits
                                   withdrawn_days of rouse_score_opts */
  size_t n_dated;         /* ids with a withdrawal day */
  int encoding;           /* detected or forced: ROUSE_ENCODING_UTF8 / _CP932 */
  int bom;                /* 1 if a UTF-8 BOM was skipped */
  char delimiter;
  rouse_master_column id; /* the customer id column */
  int n_status;           /* status/flag/date columns, 1 .. ROUSE_MASTER_MAX_STATUS */
  rouse_master_column status[ROUSE_MASTER_MAX_STATUS];
} rouse_master;

/* rouse_master_parse() : read a customer master from memory.
 *   name     used in messages and in rouse_diag.file (NULL: "master")
 *   data,len the whole file (borrowed for the call; need not be NUL-terminated)
 *   o        options; NULL = defaults
 *   out      OUT: the result, caller owns; free with rouse_master_free(). NULL on error
 *   err      OUT: on error, a message naming the file, line and column ("" on success);
 *            may be NULL when errlen is 0
 * A header row is required. The customer id column is found by the names the transaction
 * ingest recognises (会員ID, 顧客ID, customer_id, ...); withdrawn customers by a status column
 * (status, 会員状態, ...: withdrawn, 退会, 配信停止, ... mean withdrawn) or a flag column
 * (退会フラグ, unsubscribed, ...: 1, true, yes, ○ mean withdrawn) or a withdrawal date column
 * (退会日, withdrawn_at, ...: a date means withdrawn on that day, empty means not). A row any
 * status, flag or date column marks is withdrawn; an id that is withdrawn in any row is
 * withdrawn, on the earliest date given (undated when a row marks it without a date). Bad
 * rows are rejected and counted, not errors.
 * @return ROUSE_OK; ROUSE_PARSE (empty input, no header, no customer id or status column),
 * ROUSE_ENCODING (the header is not text in the encoding), ROUSE_LIMIT (more than
 * 4096 header columns, or more than ROUSE_MASTER_MAX_BYTES), ROUSE_NOMEM,
 * ROUSE_MISUSE (NULL out, NULL data with len > 0, bad options). */
ROUSE_API int rouse_master_parse(const char *name, const void *data, size_t len,
                                 const rouse_master_opts *o, rouse_master **out, char *err,
                                 size_t errlen);

/* Frees a master and everything it points to. Accepts NULL. */
ROUSE_API void rouse_master_free(rouse_master *m);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_MASTER_H */
