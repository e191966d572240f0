/* SPDX-License-Identifier: MIT
 * rouse: customer churn, dormancy and win-back analytics for e-commerce shops.
 *
 * This is the one public header of librouse. It declares the status codes, the allocator
 * seam, calendar helpers, transaction ingest and per-customer summaries. Model fitting and
 * prediction are declared in <rouse/rouse_model.h>, included at the end.
 *
 * THREADING CONTRACT. The library has no mutable global state except the allocator hook,
 * which must be installed (if at all) before any other call. A handle is used by one thread
 * at a time; different handles are independent. Functions that take `n_threads` run their
 * own worker threads internally and give byte-identical results for any thread count.
 *
 * MODULES. Besides ingest and summaries (this file): purchase and spend models
 * (rouse_model.h), segments — RFM, intervals, dormancy depth — (rouse_segment.h),
 * evaluation metrics (rouse_eval.h) and month-by-month history aggregates (rouse_history.h),
 * all included at the end.
 *
 * ERRORS. Functions return a rouse_status: ROUSE_OK (0) or a negative code. Handles keep a
 * human-readable message for the last error (rouse_ingest_errmsg). Bad input rows are data,
 * not errors: they are counted and passed to a caller-supplied sink.
 *
 * DATES are days since 1970-01-01 (int32_t, proleptic Gregorian calendar). Amounts are
 * int64_t in units of 1/10000 of the currency unit ("amount_e4"), so sums are exact and
 * independent of the order in which rows are added.
 */
#ifndef ROUSE_H
#define ROUSE_H

#include <stddef.h>
#include <stdint.h>

#include "rouse_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(ROUSE_STATIC)
#define ROUSE_API __attribute__((visibility("default")))
#else
#define ROUSE_API
#endif

/*=====================================================================
 * Status codes
 *====================================================================*/
typedef enum rouse_status {
#define X(name, value, message) ROUSE_##name = value,
#include "rouse_status.def"
#undef X
} rouse_status;

/* rouse_strerror() : the message for a status code ("unknown status" if not a code). Static. */
ROUSE_API const char *rouse_strerror(int status);
/* rouse_status_name() : "ROUSE_OK", "ROUSE_NOMEM", ... Static. */
ROUSE_API const char *rouse_status_name(int status);

/* Runtime version, so callers can check that header and library agree. */
ROUSE_API int rouse_version_number(void);
ROUSE_API const char *rouse_version_string(void);

/*=====================================================================
 * Allocator seam
 *====================================================================*/
typedef struct rouse_alloc {
  void *(*malloc_fn)(void *ctx, size_t size);
  void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
  void (*free_fn)(void *ctx, void *ptr);
  void *ctx;
} rouse_alloc;

/* rouse_set_allocator() : route every allocation of the library through `a` (NULL restores
 * malloc). Not thread-safe: call before any other function of the library. */
ROUSE_API void rouse_set_allocator(const rouse_alloc *a);

/*=====================================================================
 * Calendar
 *====================================================================*/
/* Days since 1970-01-01 of a proleptic Gregorian date. No range check: see rouse_date_valid. */
ROUSE_API int32_t rouse_date_from_ymd(int year, int month, int day);
ROUSE_API void rouse_date_to_ymd(int32_t days, int *year, int *month, int *day);
/* 1 if year 1..9999, month 1..12 and day within the month, else 0. */
ROUSE_API int rouse_date_valid(int year, int month, int day);
/* rouse_date_parse() : parse one date in any of the formats of docs/input.md (2024-01-05,
 * 2024/1/5, 20240105, 2024年1月5日, ISO 8601 with time and offset). The calendar date as
 * written is returned; times and offsets are ignored. `len` bytes, need not be NUL-terminated.
 * @return ROUSE_OK or ROUSE_PARSE. */
ROUSE_API int rouse_date_parse(const char *s, size_t len, int32_t *out_days);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). Returns buf. */
ROUSE_API char *rouse_date_format(int32_t days, char *buf);

/* rouse_amount_parse() : parse one money amount: 1234, 1,234, ¥1,234, ￥1,234, 1,234円, 12.50,
 * -500, ▲500, (500), full-width digits. At most 4 decimals are kept (rounded half away
 * from zero). @return ROUSE_OK, or ROUSE_PARSE; an empty field gives ROUSE_EMPTY. */
ROUSE_API int rouse_amount_parse(const char *s, size_t len, int64_t *out_amount_e4);
/* Formats an amount_e4 without trailing zeros ("1234", "29.33", "-0.5"). buf >= 32 bytes. */
ROUSE_API char *rouse_amount_format(int64_t amount_e4, char *buf);

/*=====================================================================
 * Transaction ingest
 *====================================================================*/
/* The fields rouse reads from an export. Column names for each are recognised in Japanese
 * and English (docs/input.md) or given with rouse_ingest_opts.map. */
typedef enum rouse_field {
  ROUSE_FIELD_CUSTOMER_ID = 0,
  ROUSE_FIELD_DATE,
  ROUSE_FIELD_AMOUNT,
  ROUSE_FIELD_ORDER_ID,
  ROUSE_FIELD_QUANTITY,
  ROUSE_FIELD_PRODUCT_ID,
  ROUSE_FIELD_CATEGORY,
  ROUSE_FIELD_STATUS,
  ROUSE_FIELD_COUNT
} rouse_field;

/* Name of a field as used by --map: "customer_id", "date", ... NULL if out of range. */
ROUSE_API const char *rouse_field_name(int field);

typedef enum rouse_encoding {
  ROUSE_ENCODING_AUTO = 0,
  ROUSE_ENCODING_UTF8 = 1,
  ROUSE_ENCODING_CP932 = 2
} rouse_encoding;

/* Why a row was rejected. Names (rouse_reject_name) are stable and appear in reject files. */
typedef enum rouse_reject {
  ROUSE_REJECT_FIELD_COUNT = 0, /* number of fields differs from the header */
  ROUSE_REJECT_NO_CUSTOMER,     /* customer id empty */
  ROUSE_REJECT_BAD_DATE,        /* date missing or not parseable with the detected format */
  ROUSE_REJECT_BAD_AMOUNT,      /* amount not a number */
  ROUSE_REJECT_ENCODING,        /* invalid UTF-8 / CP932 bytes, or a NUL byte */
  ROUSE_REJECT_TOO_LONG,        /* a field longer than the field limit (64 KiB) */
  ROUSE_REJECT_QUOTE,           /* a quoted field not closed before the end of the input */
  ROUSE_REJECT_COUNT
} rouse_reject;

ROUSE_API const char *rouse_reject_name(int reason);

/* One rejected row, passed to the reject sink. All pointers are borrowed for the call. */
typedef struct rouse_diag {
  const char *file;   /* source name as given ("-" for stdin) */
  uint64_t line;      /* 1-based physical line where the row starts */
  uint32_t column;    /* 1-based field number the problem is in (0: whole row) */
  int reason;         /* rouse_reject */
  const char *detail; /* e.g. "cannot parse date '2024-13-01'" (NUL-terminated) */
  const char *text;   /* the raw row, decoded to UTF-8, without its line end */
  size_t text_len;
} rouse_diag;

typedef void (*rouse_diag_fn)(void *ctx, const rouse_diag *d);
/* Progress: bytes consumed of the current source and its size (0 if unknown, e.g. stdin).
 * Return nonzero to cancel (the ingest call then returns ROUSE_CANCELLED). */
typedef int (*rouse_progress_fn)(void *ctx, uint64_t bytes_done, uint64_t bytes_total);

typedef struct rouse_ingest_opts {
  size_t struct_size;                  /* sizeof(rouse_ingest_opts), set by _init */
  const char *map[ROUSE_FIELD_COUNT];  /* column header (or 1-based number) per field; NULL=auto */
  int encoding;                        /* rouse_encoding */
  char delimiter;                      /* ',', '\t', ';' or 0 for auto-detection */
  const char *date_format;             /* NULL/"auto", "ymd", "mdy", "dmy" or strptime-like */
  int n_threads;                       /* 0 = number of online CPUs, 1 = serial */
  int64_t max_errors;                  /* stop with ROUSE_TOOMANYERRORS past this; <0 = no limit */
  int32_t window_end;                  /* rows dated >= this day are only counted (INT32_MAX: none);
                                          summaries may use any as_of <= window_end */
  int32_t window_keep_end;             /* later purchase days < this are kept for holdout checks */
  rouse_diag_fn on_reject;             /* may be NULL */
  void *reject_ctx;
  rouse_progress_fn on_progress;       /* may be NULL */
  void *progress_ctx;
} rouse_ingest_opts;

/* Fills defaults: auto everything, all CPUs, no error limit, no window. */
ROUSE_API void rouse_ingest_opts_init(rouse_ingest_opts *o);

typedef struct rouse_ingest rouse_ingest;

/* rouse_ingest_new() : a handle that accumulates the transactions of one or more sources
 * into per-customer state. Caller owns *out; free with rouse_ingest_free(). Options are copied
 * (strings too). @return ROUSE_OK, ROUSE_NOMEM or ROUSE_MISUSE (bad option; see errmsg). */
ROUSE_API int rouse_ingest_new(const rouse_ingest_opts *o, rouse_ingest **out);
ROUSE_API void rouse_ingest_free(rouse_ingest *ing);

/* rouse_ingest_file() : read a whole source: a path, "-" for stdin, gzip detected by content.
 * Header, delimiter, encoding and date format are detected per source.
 * @return ROUSE_OK; ROUSE_IO (cannot read), ROUSE_PARSE (no header, no customer/date column,
 * unterminated quote...), ROUSE_ENCODING, ROUSE_LIMIT, ROUSE_TOOMANYERRORS, ROUSE_CANCELLED.
 * On error the message (rouse_ingest_errmsg) names file, line and column. */
ROUSE_API int rouse_ingest_file(rouse_ingest *ing, const char *path);
/* Same, from memory. `name` is used in messages. `data` is borrowed for the call. */
ROUSE_API int rouse_ingest_memory(rouse_ingest *ing, const char *name, const void *data,
                                  size_t len);

/* Message for the last error on this handle ("" if none). Borrowed until the next call. */
ROUSE_API const char *rouse_ingest_errmsg(const rouse_ingest *ing);

/* What was detected for one source (0-based, in the order read). */
typedef struct rouse_source_info {
  const char *name;                   /* as given */
  int encoding;                       /* detected or forced: ROUSE_ENCODING_UTF8 / _CP932 */
  int bom;                            /* 1 if a UTF-8 BOM was skipped */
  int gzip;                           /* 1 if gzip-compressed */
  char delimiter;
  const char *date_format;            /* human-readable, e.g. "YYYY-MM-DD" */
  int column[ROUSE_FIELD_COUNT];      /* 0-based column per field, -1 if absent */
  const char *header[ROUSE_FIELD_COUNT]; /* header text of that column, NULL if absent */
  int cancel_is_flag;                 /* status column holds 0/1 flags, not status words */
  uint64_t rows;                      /* data rows read from this source */
} rouse_source_info;

ROUSE_API size_t rouse_ingest_source_count(const rouse_ingest *ing);
/* Borrowed pointer valid until the next ingest call or rouse_ingest_free. */
ROUSE_API const rouse_source_info *rouse_ingest_source(const rouse_ingest *ing, size_t i);

typedef struct rouse_ingest_stats {
  uint64_t rows_read;          /* data rows (header and blank lines excluded) */
  uint64_t rows_accepted;      /* used (including rows dated after the window) */
  uint64_t rows_cancelled;     /* cancelled rows, excluded */
  uint64_t rows_rejected;      /* sum of rejected_by[] */
  uint64_t rejected_by[ROUSE_REJECT_COUNT];
  uint64_t blank_lines;        /* empty lines, skipped (not rows) */
  uint64_t rows_returns;       /* accepted rows with a negative amount */
  uint64_t rows_no_amount;     /* accepted rows with an empty amount (no spend recorded) */
  uint64_t rows_after_window;  /* accepted rows dated on/after window_end */
  uint64_t bytes;              /* input bytes consumed (after decompression) */
  uint64_t customers;          /* distinct customer ids among accepted rows before the window */
  int32_t first_day, last_day; /* date range of accepted rows (INT32_MAX/INT32_MIN if none) */
  int32_t last_day_in_window;  /* last accepted row date before window_end (INT32_MIN if none) */
} rouse_ingest_stats;

ROUSE_API void rouse_ingest_get_stats(const rouse_ingest *ing, rouse_ingest_stats *out);

/*=====================================================================
 * Per-customer summary (the RFM / BTYD table)
 *====================================================================*/
typedef struct rouse_summary_opts {
  size_t struct_size;
  int32_t as_of;      /* first day NOT observed, at most the ingest window end; INT32_MIN =
                         the window end, or the day after the last row if there is none */
  int32_t holdout_end;/* count purchase days in [as_of, holdout_end] (INT32_MIN: none) */
  int unit_days;      /* 1 (day) or 7 (week): unit of t_x, T and mean_interval */
  int timing_only;    /* 1: leave the amounts out (has_amount 0, total_e4, returned_e4 and
                         repeat_e4 0, mean_repeat NaN); every other column is as without it.
                         Not needed for past snapshots: any as_of up to the ingest window end
                         gives exact amounts too. Saves only a little time in the rollup
                         (the ingest keeps the amounts either way) */
  int32_t split_day;  /* INT32_MIN (default): none. Otherwise also count what happened before
                         this day (before_days, before_orders, before_total_e4), exactly as a
                         summary at as_of = split_day would; must be <= as_of */
  double sample_fraction; /* 0 or 1: every customer. In (0, 1): only a deterministic sample
                         of about this fraction of the customers (at least 1/256), chosen by
                         a hash of the id: the same customers at any as_of and in any run.
                         The interval histogram and customers_without_purchase count the
                         sample only. For fitting and validating on big data. */
} rouse_summary_opts;

ROUSE_API void rouse_summary_opts_init(rouse_summary_opts *o);

/* Columns, one entry per customer, sorted by customer id (numeric ids numerically).
 * All arrays are owned by the summary and freed by rouse_summary_free(). Time columns are in
 * the unit; T and t_x are measured from the first purchase, T up to the last observed day
 * (as_of - 1), as in the BTYD literature. docs/summary.md defines every column. */
#define ROUSE_INTERVAL_HIST_LEN 3661 /* gaps of 0..3659 days, and one bucket for 3660+ */

typedef struct rouse_summary {
  size_t n;                    /* customers with at least one purchase before as_of */
  int32_t as_of;
  int unit_days;
  const char **id;             /* NUL-terminated customer ids */
  int32_t *first_day;          /* first purchase day */
  int32_t *last_day;           /* last purchase day */
  uint32_t *orders;            /* distinct orders (rows if no order id column) */
  uint32_t *purchase_days;     /* distinct purchase days */
  uint32_t *x;                 /* repeat purchase days = purchase_days - 1 */
  double *t_x;                 /* last - first, in the unit */
  double *T;                   /* (as_of - 1) - first, in the unit */
  int64_t *total_e4;           /* net spend: purchases minus returns */
  int64_t *returned_e4;        /* returned amount (positive number) */
  int64_t *repeat_e4;          /* purchases on repeat days (all purchase days but the first) */
  double *mean_repeat;         /* repeat_e4 / 1e4 / x, currency; NaN if x == 0 */
  double *mean_interval;       /* t_x / x in the unit; NaN if x == 0 */
  double *interval_cv;         /* sample sd / mean of intervals; NaN if x < 2 */
  double *sum_log_interval;    /* Σ log(interval in the unit) over the x intervals; 0 if x == 0
                                  (the regularity term of MBG/CNBD-k) */
  uint32_t *cancelled_orders;  /* distinct cancelled orders (rows if no order id column) */
  uint32_t *max_interval;      /* longest gap between consecutive purchase days, in days; 0 if
                                  x == 0 (a customer who came back after a long silence) */
  uint32_t *last_interval;     /* gap before the last purchase day, in days; 0 if x == 0 */
  uint32_t *holdout_x;         /* purchase days in [as_of, holdout_end]; NULL if not asked */
  uint32_t *before_days;       /* split_day given: purchase days before it (0 if none) */
  uint32_t *before_orders;     /* orders before it, as `orders` counts them */
  int64_t *before_total_e4;    /* net spend before it (0 without amounts); NULL if not asked */
  int has_amount;              /* 0 if no accepted row has an amount (no column, or all empty) */
  uint64_t *interval_hist;     /* every repeat interval of every customer, in days: entry d
                                  counts gaps of d days (d >= 1); the last entry counts gaps of
                                  interval_hist_len - 1 days or more. Exact quantiles of the
                                  shop's purchase rhythm. NULL from the streaming writer */
  size_t interval_hist_len;    /* ROUSE_INTERVAL_HIST_LEN */
  uint64_t customers_without_purchase; /* rows before as_of, but only returns or
                                          cancellations (customers first seen on or after
                                          as_of are not in the history at all) */
  void *internal_;             /* owned storage; not for callers */
} rouse_summary;

/* rouse_summary_build() : per-customer summary from everything ingested so far, as it was on
 * the day before as_of: every column counts only the rows dated before as_of. Any as_of up
 * to the ingest window end (rouse_ingest_opts.window_end; any date when there is none) is
 * exact, so one ingest gives summaries at several past dates (e.g. as_of - 180 days for
 * training, as_of - 90 for a trend): the same as from an ingest whose window ended there.
 * Caller owns *out (rouse_summary_free). @return ROUSE_OK, ROUSE_NOMEM, ROUSE_EMPTY (no
 * customer has a purchase before as_of), ROUSE_MISUSE (as_of after the ingest window end,
 * holdout_end not before the end of the kept purchase days (window_keep_end), bad unit). */
ROUSE_API int rouse_summary_build(const rouse_ingest *ing, const rouse_summary_opts *o,
                                  int n_threads, rouse_summary **out);
ROUSE_API void rouse_summary_free(rouse_summary *s);

/* Output sink: receives consecutive pieces of the output, in order. Return 0 to go on,
 * nonzero to stop (the writer then returns ROUSE_IO). */
typedef int (*rouse_write_fn)(void *ctx, const void *data, size_t len);

/* rouse_summary_write_csv() : the summary as CSV (header + one row per customer; formats in
 * docs/summary.md), formatted on n_threads threads and delivered to `write` in order.
 * Byte-identical for any thread count. @return ROUSE_OK, ROUSE_NOMEM or ROUSE_IO. */
ROUSE_API int rouse_summary_write_csv(const rouse_summary *s, rouse_write_fn write, void *ctx,
                                      int n_threads);

/* What rouse_summary_stream_csv wrote. */
typedef struct rouse_summary_info {
  size_t struct_size;                  /* sizeof(rouse_summary_info), set by the caller */
  size_t n;                            /* customers (rows after the header) */
  int32_t as_of;                       /* resolved as-of date */
  int has_amount;
  uint64_t customers_without_purchase;
} rouse_summary_info;

/* rouse_summary_stream_csv() : the same bytes as rouse_summary_build + rouse_summary_write_csv,
 * without holding the whole summary in memory: rows are computed and formatted a block at a
 * time. For very large inputs (memory then stays at the ingest state plus a few blocks).
 * `info` (may be NULL) receives counts and the resolved as-of date.
 * @return as rouse_summary_build, or ROUSE_IO when the sink stops. */
ROUSE_API int rouse_summary_stream_csv(const rouse_ingest *ing, const rouse_summary_opts *o,
                                       int n_threads, rouse_write_fn write, void *ctx,
                                       rouse_summary_info *info);

#ifdef __cplusplus
}
#endif

#include "rouse_model.h"
#include "rouse_segment.h"
#include "rouse_history.h"
#include "rouse_category.h"
#include "rouse_eval.h"
#include "rouse_plan.h"
#include "rouse_score.h"

#endif /* ROUSE_H */
