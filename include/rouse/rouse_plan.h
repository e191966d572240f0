/* SPDX-License-Identifier: MIT
 * Target lists: from per-customer columns of the scoring pipeline, pick a ranked contact list
 * under a count limit and a budget, draw a reproducible random holdout (control) group from
 * the list, and write the list as CSV for the shop's staff (Excel-friendly, UTF-8). One call
 * per list and channel: prevention (休眠予防: at-risk actives, ranked by the value at stake,
 * P(churn) x expected future value) and win-back (掘り起こし: dormant customers, ranked by the
 * expected value of reactivation). Columns in, a list out: these functions know nothing about
 * models, states or files. Included by <rouse/rouse.h>; do not include directly. Rules, the
 * holdout hash and the CSV format: docs/plan.md.
 *
 * Determinism: the list depends only on the input columns and options (ranking ties go to the
 * earlier row, i.e. the summary's customer-id order); the holdout depends only on the seed and
 * the ids of the list members, never on their order, the thread count or the platform.
 * Reentrant; no threads; allocation through the allocator seam. */
#ifndef ROUSE_PLAN_H
#define ROUSE_PLAN_H

#ifdef __cplusplus
extern "C" {
#endif

/*=====================================================================
 * Options
 *====================================================================*/
#define ROUSE_PLAN_DEFAULT_COST 100.0            /* yen per contact: a postcard DM */
#define ROUSE_PLAN_DEFAULT_SEED 0x726F757365ull  /* "rouse" in ASCII */

typedef struct rouse_plan_opts {
  size_t struct_size;      /* sizeof(rouse_plan_opts), set by _init */
  size_t top_n;            /* at most this many list members, holdout included; 0 = no limit */
  double budget;           /* currency units (yen) for the contacted members; 0 = no budget */
  double cost_per_contact; /* currency units per contacted member, >= 0; default 100. The
                              holdout costs nothing. 0 makes any budget unlimited */
  double holdout_share;    /* h, 0 <= h < 1: share of the list held out; default 0 */
  uint64_t seed;           /* holdout draw; default ROUSE_PLAN_DEFAULT_SEED. Same seed, same
                              ids: same holdout (a standing control group); a new seed per
                              campaign gives a fresh draw */
  double min_score;        /* candidates with score < min_score are left out; default 0 */
  double min_value;        /* then candidates with rank_value < min_value are left out (not
                              worth a contact, e.g. cost / margin); default -INFINITY: none */
} rouse_plan_opts;

/* Fills the defaults above: no count limit, no budget, 100 per contact, no holdout. */
ROUSE_API void rouse_plan_opts_init(rouse_plan_opts *o);

/*=====================================================================
 * The list
 *====================================================================*/
/* What decided the list size. */
typedef enum rouse_plan_limit {
  ROUSE_PLAN_LIMIT_NONE = 0,   /* every candidate is on the list (n_cut == 0) */
  ROUSE_PLAN_LIMIT_TOP_N = 1,  /* opts.top_n cut the list */
  ROUSE_PLAN_LIMIT_BUDGET = 2  /* the budget cut the list (also when top_n gives the same n) */
} rouse_plan_limit;

/* "none", "top_n", "budget"; NULL if out of range. Static strings. */
ROUSE_API const char *rouse_plan_limit_name(int limit);

/* A target list. Owned by the caller of rouse_plan_build; free with rouse_plan_free.
 * Invariants: n_candidates = n_below_min + n_below_value + n_cut + n and
 * n = n_contacted + n_holdout. */
typedef struct rouse_plan {
  size_t n_input;          /* rows of the input columns (the CSV writer checks against it) */
  size_t n;                /* list members */
  size_t *row;             /* n indices into the input, in rank order (highest value first) */
  uint8_t *holdout;        /* n flags, parallel to row: 1 = control group, not contacted */
  size_t n_candidates;     /* rows with eligible = 1 */
  size_t n_below_min;      /* candidates left out for score < min_score */
  size_t n_below_value;    /* the others left out for rank_value < min_value */
  size_t n_cut;            /* candidates kept by both minimums, ranked beyond the list */
  size_t n_contacted;      /* list members to contact */
  size_t n_holdout;        /* list members held out: round(h n), halves rounded up */
  double cost;             /* n_contacted x cost_per_contact */
  double value_contacted;  /* sum of rank_value over contacted members (in rank order) */
  double value_holdout;    /* sum of rank_value over held-out members (in rank order) */
  int limit;               /* rouse_plan_limit */
  rouse_plan_opts opts;    /* the options used (defaults filled in) */
} rouse_plan;

/* rouse_plan_build() : a ranked, budgeted target list with a random holdout.
 *   ids[i]        customer id (NUL-terminated bytes) of row i; read for eligible rows only.
 *                 Ids should be distinct (equal ids make the holdout depend on row order).
 *   eligible[i]   1 = candidate for this list, 0 = not; NULL = every row is a candidate.
 *   rank_value[i] higher = contact first (value at stake, or expected value of reactivation);
 *                 must be finite for candidates (NaN/Inf: ROUSE_MISUSE), not read otherwise.
 *   score[i]      e.g. a probability, compared with opts.min_score; must not be NaN for
 *                 candidates. NULL = no score filter (then opts.min_score must be <= 0).
 *   n             rows; the arrays are borrowed for the call. Rows are in the summary order
 *                 (sorted by customer id).
 * Ranking: rank_value descending; equal values keep row order (-0.0 equals 0.0).
 * Size: N = the largest list size such that N <= (candidates >= min_score), N <= top_n (when
 * given) and (N - holdout(N)) x cost_per_contact <= budget (when given), where
 * holdout(N) = floor(h N + 1/2) (rouse_plan_holdout_count). The first N ranked candidates are
 * the list; with a holdout the budget pays for the contacted members only, so the list is
 * longer than budget / cost.
 * Holdout: the holdout(N) members with the smallest rouse_plan_holdout_key(seed, id) (ties by
 * id bytes, then row) — a uniform random subset of the list, as KPI evaluation against the
 * holdout needs (compare contacted and held-out members of the same list, never the list
 * with customers left off it).
 * `o` may be NULL (defaults). Caller owns *out (rouse_plan_free); *out = NULL on error.
 * @return ROUSE_OK (an empty list is fine), ROUSE_NOMEM, or ROUSE_MISUSE: NULL out, NULL
 * rank_value or ids with n > 0, a NULL id or a NaN/Inf rank_value or a NaN score of a
 * candidate, eligible not 0/1, struct_size too small, holdout_share not in [0, 1), budget or
 * cost_per_contact negative or not finite, min_score NaN, min_score > 0 without score. */
ROUSE_API int rouse_plan_build(const char *const *ids, const uint8_t *eligible,
                               const double *rank_value, const double *score, size_t n,
                               const rouse_plan_opts *o, rouse_plan **out);
ROUSE_API void rouse_plan_free(rouse_plan *p);

/* rouse_plan_holdout_count() : floor(share x n + 1/2) computed exactly from the double
 * product share x n (halves round up): the held-out members of a list of n. 0 if share is
 * not in [0, 1). */
ROUSE_API size_t rouse_plan_holdout_count(size_t n, double share);

/* rouse_plan_holdout_key() : the 64-bit draw of one customer, u = splitmix64(FNV-1a-64 of the
 * id bytes, with offset basis 0xcbf29ce484222325 XOR splitmix64(seed)). Frozen: the same
 * value on every platform and in every version (docs/plan.md has the algorithm and test
 * vectors), so a holdout can be re-derived from the seed and the ids alone. */
ROUSE_API uint64_t rouse_plan_holdout_key(uint64_t seed, const char *id, size_t len);

/*=====================================================================
 * CSV output
 *====================================================================*/
/* Per-customer columns for the CSV, borrowed, indexed like the input of rouse_plan_build
 * (n entries each). Only ids is required: a NULL array, or a NULL string entry, gives empty
 * fields. */
typedef struct rouse_plan_columns {
  size_t struct_size;            /* sizeof(rouse_plan_columns), set by _init */
  size_t n;                      /* entries per array: must equal rouse_plan.n_input */
  const char *const *ids;        /* customer ids (required) */
  const char *const *state;      /* e.g. "at_risk", "dormant" */
  const double *score;           /* in [0, 1] (e.g. a probability): written as 0..100 */
  const char *const *tier;       /* e.g. a value tier or segment name */
  const char *const *reasons;    /* UTF-8 free text, e.g. "最終購入から120日, 購入間隔の2倍" */
  const double *expected_value;  /* currency units: written with 2 decimals */
  /* instead of `reasons` (when it is NULL): the reasons of row r written into buf (len
   * bytes, NUL-terminated), called while the rows are formatted, from several threads at
   * once; returns buf. Saves building n strings first. */
  const char *(*reasons_fn)(void *ctx, size_t r, char *buf, size_t len);
  void *reasons_ctx;
  int n_threads;                 /* threads formatting blocks of rows (0 = all CPUs); the
                                    bytes do not depend on it */
} rouse_plan_columns;

/* Zeroes *c and sets struct_size. */
ROUSE_API void rouse_plan_columns_init(rouse_plan_columns *c);

/* Flags of rouse_plan_write_csv (combine with |). */
enum rouse_plan_csv_flags {
  ROUSE_PLAN_CSV_BOM = 1u << 0, /* start with the UTF-8 BOM EF BB BF, so that Excel opens
                                   Japanese text as UTF-8 */
  ROUSE_PLAN_CSV_CRLF = 1u << 1 /* end lines with CR LF instead of LF */
};

/* rouse_plan_write_csv() : the list as CSV, delivered to `write` in pieces, in order:
 *     customer_id,state,score,tier,reasons,expected_value,holdout
 * one row per list member in rank order. Text fields are written as given and quoted (RFC
 * 4180: "..." with "" for a quote) when they hold a comma, quote, CR or LF. score:
 * round(100 x score) half away from zero, an integer 0..100; expected_value: the bytes of
 * printf("%.2f") in the C locale, as in the scores and predictions CSVs, empty when not
 * finite; holdout: 0 or 1. Lines end with LF. Locale-independent; the bytes depend
 * only on the arguments. `excel_bom` is a set of rouse_plan_csv_flags: 0 (plain) or 1
 * (ROUSE_PLAN_CSV_BOM) as most callers pass it, | ROUSE_PLAN_CSV_CRLF for CR LF.
 * Every listed row is checked before the first byte is written.
 * @return ROUSE_OK, ROUSE_NOMEM, ROUSE_IO (the sink returned nonzero), ROUSE_MISUSE (NULL
 * argument, struct_size too small, c->n != p->n_input, unknown flag, a NULL id of a listed
 * row, a listed score not finite or outside [0, 1]). */
ROUSE_API int rouse_plan_write_csv(const rouse_plan *p, const rouse_plan_columns *c,
                                   int excel_bom, rouse_write_fn write, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_PLAN_H */
