/* SPDX-License-Identifier: MIT
 * rouse-gen: shared declarations of the data generator (tools/gen). The generator draws a
 * customer base from the BG/NBD purchase process and the Gamma-Gamma spend model, keeps every
 * event in memory, writes it as a shop export (plain or Japanese cart format) and computes
 * the summary rouse must produce from its own records (never by parsing its output).
 *
 *   rng.c     PRNG and samplers
 *   model.c   customers and events, output order, order line items
 *   text.c    strings of the shop format in the output encoding, number formatting
 *   write.c   the export itself (rows, bad rows, line numbers, counts)
 *   expect.c  --expected, --expected-rejects, --truth
 *   main.c    options and orchestration */
#ifndef ROUSE_GEN_H
#define ROUSE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GEN_VERSION "0.1.0"

/*---------------------------------------------------------------------
 * Random numbers (rng.c)
 *-------------------------------------------------------------------*/
typedef struct {
  uint64_t s[4];
  double spare;
  int has_spare;
} rng_t;

uint64_t splitmix64(uint64_t *x);
uint64_t mix64(uint64_t a, uint64_t b);
void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
double rng_unif(rng_t *r); /* (0,1) */
uint32_t rng_below(rng_t *r, uint32_t n);
double rng_exp(rng_t *r); /* mean 1 */
double rng_normal(rng_t *r);
double rng_gamma(rng_t *r, double shape); /* scale 1 */
double rng_beta(rng_t *r, double a, double b);

/*---------------------------------------------------------------------
 * Calendar (model.c): days since 1970-01-01, proleptic Gregorian
 *-------------------------------------------------------------------*/
int32_t days_from_ymd(int y, int m, int d);
void ymd_from_days(int32_t z, int *y, int *m, int *d);
bool ymd_valid(int y, int m, int d);
/* YYYY-MM-DD only; returns false if malformed or not a real date */
bool parse_iso_date(const char *s, int32_t *out);
void format_iso_date(int32_t day, char out[11]);

/*---------------------------------------------------------------------
 * Configuration
 *-------------------------------------------------------------------*/
enum { FMT_PLAIN = 0, FMT_SHOP = 1 };
enum { ENC_UTF8 = 0, ENC_CP932 = 1 };
enum { ID_NUM = 0, ID_PADDED = 1, ID_MIXED = 2 };

typedef struct {
  uint64_t n_customers;
  uint64_t seed;
  int format;
  int unit_days; /* unit of r/alpha: 7 (week) or 1 (day) */
  double r, alpha, a, b;       /* BG/NBD */
  double p, q, gamma;          /* Gamma-Gamma, in model units */
  double spend_scale;          /* written amount = model amount * spend_scale */
  int decimals;                /* 0..4 */
  int32_t start, end;          /* observation period, inclusive */
  double cohort_days;          /* first purchases uniform in [start, start + cohort) */
  double cancel_rate, return_rate;
  uint64_t bad_rows;
  int id_style;
  int encoding;
  bool bom, crlf, gzip;
  int gzip_level;
  char delim;
  int mall, nmall;             /* write mall `mall` (1-based) of `nmall` */
  int threads;
  const char *out, *expected, *expected_rejects, *truth;
  int32_t as_of;
  bool as_of_given;
  int expected_unit;           /* 1 or 7 */
  bool quiet;
} cfg_t;

/*---------------------------------------------------------------------
 * Model (model.c)
 *-------------------------------------------------------------------*/
enum { EV_PURCHASE = 0, EV_CANCEL = 1, EV_RETURN = 2 };

/* One order (purchase or cancelled) or one return, 24 bytes. */
typedef struct {
  int32_t day;     /* days since 1970-01-01 */
  uint32_t meta;   /* second of day (17 bits) | kind << 17 | returned line << 19 */
  uint32_t cust;   /* customer index */
  uint32_t ref;    /* RETURN: index of the returned order; else the customer's order seq */
  int64_t amount;  /* minor currency units, > 0: order total, or the returned line amount */
} ev_t;

static inline uint32_t ev_sec(const ev_t *e) { return e->meta & 0x1FFFFu; }
static inline int ev_kind(const ev_t *e) { return (int)((e->meta >> 17) & 3u); }
static inline int ev_retline(const ev_t *e) { return (int)((e->meta >> 19) & 15u); }

typedef struct {
  double lambda;   /* purchases per day */
  double p;        /* dropout probability after each purchase */
  double nu;       /* Gamma-Gamma rate, model units */
  double t0;       /* first purchase, days after the start (continuous) */
  uint32_t npurch; /* purchases in the observation period */
  uint8_t dropped; /* dropped out (1) or still alive at the end of the period (0) */
  uint8_t fav;     /* favourite category */
} cust_t;

#define MAX_LINES 5

/* Line items of one order, derived deterministically from (seed, customer, order seq). */
typedef struct {
  int n;
  int64_t amt[MAX_LINES];
  uint8_t cat[MAX_LINES], prod[MAX_LINES], qty[MAX_LINES], form[MAX_LINES];
  uint8_t id_spaces; /* customer id written with surrounding spaces */
  uint8_t status;    /* variant of the status word */
} detail_t;

typedef struct {
  cfg_t c;
  cust_t *cust;
  uint32_t *ev_off; /* n_customers + 1 */
  ev_t *ev;
  size_t nev;
  uint32_t *perm;    /* events in output order (date, time, generation order) */
  uint32_t *orderno; /* shop: order number per event (returns: of the returned order) */
} gen_t;

int model_generate(gen_t *g);
int model_order(gen_t *g);
void order_detail(const gen_t *g, uint32_t cust, uint32_t seq, int64_t total, detail_t *d);
int ev_mall(const gen_t *g, size_t e); /* 0-based mall of an event */
/* customer id text; returns length (buf >= 32) */
size_t cust_id(const gen_t *g, uint32_t i, char *buf);
int64_t pow10i(int k);
void *big_alloc(size_t bytes); /* free() it */

/*---------------------------------------------------------------------
 * Output (write.c)
 *-------------------------------------------------------------------*/
enum { REJ_FIELD_COUNT = 0, REJ_NO_CUSTOMER, REJ_BAD_DATE, REJ_BAD_AMOUNT, REJ_N_GEN };
extern const char *const reject_names[]; /* rouse's names, indexed like rouse_reject */

typedef struct {
  uint64_t rows, accepted, cancelled, rejected, returns;
  uint64_t bytes;
  int32_t first_accepted, last_accepted;
  uint64_t *rej_line;
  uint8_t *rej_reason;
  size_t nrej;
} wstats_t;

int write_export(gen_t *g, wstats_t *st);

/*---------------------------------------------------------------------
 * Text (text.c)
 *-------------------------------------------------------------------*/
int text_init(const cfg_t *c);

/*---------------------------------------------------------------------
 * Expected results (expect.c)
 *-------------------------------------------------------------------*/
int write_expected(const gen_t *g, int32_t as_of, const char *path, uint64_t *n_customers,
                   uint64_t *without_purchase);
int write_expected_rejects(const wstats_t *st, const char *path);
int write_truth(const gen_t *g, const char *path);

/* messages */
extern const char *progname;
void die_oom(void);

#endif
