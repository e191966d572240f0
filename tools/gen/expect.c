/* SPDX-License-Identifier: MIT
 * rouse-gen: what rouse must produce, from the generator's own records (docs/summary.md).
 *
 * Per customer, among the events written to this file and dated before the as-of date:
 * purchases (orders; each order's line items share one date and order number), returns
 * (negative lines) and cancelled orders. Every derived number is computed exactly in integers
 * and rounded half away from zero at the documented number of decimals, so the expected file
 * does not depend on floating-point evaluation order. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

typedef unsigned __int128 u128;

/*=====================================================================
 * Buffered output
 *====================================================================*/
typedef struct {
  FILE *f;
  char *b;
  size_t n;
  bool err;
} sb_t;

#define SB_CAP (1u << 20)

static void sb_flush(sb_t *s) {
  if (s->n && fwrite(s->b, 1, s->n, s->f) != s->n) s->err = true;
  s->n = 0;
}
static void sb_put(sb_t *s, const char *p, size_t n) {
  if (s->n + n > SB_CAP) sb_flush(s);
  memcpy(s->b + s->n, p, n);
  s->n += n;
}
static void sb_str(sb_t *s, const char *p) { sb_put(s, p, strlen(p)); }
static void sb_c(sb_t *s, char c) { sb_put(s, &c, 1); }
static void sb_u64(sb_t *s, uint64_t v) {
  char t[24];
  int n = 0;
  do {
    t[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char o[24];
  for (int i = 0; i < n; i++) o[i] = t[n - 1 - i];
  sb_put(s, o, (size_t)n);
}
/* k / 10^dec with exactly dec decimals (k >= 0) */
static void sb_fixed(sb_t *s, uint64_t k, int dec) {
  uint64_t m = (uint64_t)pow10i(dec);
  sb_u64(s, k / m);
  if (!dec) return;
  char t[12];
  t[0] = '.';
  uint64_t f = k % m;
  for (int i = dec; i >= 1; i--) {
    t[i] = (char)('0' + f % 10);
    f /= 10;
  }
  sb_put(s, t, (size_t)dec + 1);
}
/* amount in 1/10000 units, without trailing zeros ("1234", "29.33", "-0.5") */
static void sb_amount(sb_t *s, int64_t e4) {
  if (e4 < 0) sb_c(s, '-');
  uint64_t u = e4 < 0 ? (uint64_t)0 - (uint64_t)e4 : (uint64_t)e4;
  sb_u64(s, u / 10000);
  uint64_t f = u % 10000;
  if (!f) return;
  char t[5];
  int k = 4;
  for (int i = 3; i >= 0; i--) {
    t[i] = (char)('0' + f % 10);
    f /= 10;
  }
  while (k > 0 && t[k - 1] == '0') k--;
  sb_c(s, '.');
  sb_put(s, t, (size_t)k);
}

static FILE *open_w(const char *path) {
  if (!strcmp(path, "-")) return stdout;
  FILE *f = fopen(path, "w");
  if (!f) fprintf(stderr, "%s: cannot open '%s': %s\n", progname, path, strerror(errno));
  return f;
}

static int close_w(FILE *f, const char *path, bool err) {
  bool bad = err || ferror(f);
  bad |= (f == stdout ? fflush(f) : fclose(f)) != 0;
  if (bad) {
    fprintf(stderr, "%s: cannot write '%s': %s\n", progname, path, strerror(errno));
    return 1;
  }
  return 0;
}

/*=====================================================================
 * Exact rounding
 *====================================================================*/
/* round(num / den), half away from zero; num >= 0, den > 0 */
static uint64_t round_div(u128 num, u128 den) { return (uint64_t)((2 * num + den) / (2 * den)); }

/* round(1000 * sqrt(N / D)) exactly, half up; N >= 0, D > 0 */
static uint64_t round_sqrt_ratio_1000(u128 N, u128 D) {
  double approx = 1000.0 * sqrt((double)N / (double)D);
  uint64_t k = (uint64_t)llround(approx);
  /* k is right iff (2k-1)^2 D <= 4e6 N < (2k+1)^2 D */
  const u128 rhs = (u128)4000000u * N;
  for (int guard = 0; guard < 64; guard++) {
    u128 lo = k ? (u128)(2 * k - 1) * (2 * k - 1) * D : 0;
    u128 hi = (u128)(2 * k + 1) * (2 * k + 1) * D;
    if (k && lo > rhs) k--;
    else if (hi <= rhs) k++;
    else break;
  }
  return k;
}

/*=====================================================================
 * Customer order (docs/summary.md): digit-only ids first, numerically (leading zeros
 * ignored, then fewer leading zeros first); then all other ids bytewise.
 *====================================================================*/
static const gen_t *sort_g;

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return n > 0;
}

static int id_cmp(const char *a, size_t na, const char *b, size_t nb) {
  bool da = all_digits(a, na), db = all_digits(b, nb);
  if (da != db) return da ? -1 : 1;
  if (da) {
    size_t za = 0, zb = 0;
    while (za + 1 < na && a[za] == '0') za++;
    while (zb + 1 < nb && b[zb] == '0') zb++;
    if (na - za != nb - zb) return na - za < nb - zb ? -1 : 1;
    int c = memcmp(a + za, b + zb, na - za);
    if (c) return c;
    return na < nb ? -1 : na > nb; /* fewer leading zeros first */
  }
  size_t m = na < nb ? na : nb;
  int c = memcmp(a, b, m);
  if (c) return c;
  return na < nb ? -1 : na > nb;
}

static int cmp_cust(const void *x, const void *y) {
  char a[32], b[32];
  uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
  size_t na = cust_id(sort_g, i, a), nb = cust_id(sort_g, j, b);
  int c = id_cmp(a, na, b, nb);
  return c ? c : (i < j ? -1 : i > j);
}

/*=====================================================================
 * --expected
 *====================================================================*/
int write_expected(const gen_t *g, int32_t as_of, const char *path, uint64_t *n_out,
                   uint64_t *without) {
  const cfg_t *c = &g->c;
  FILE *f = open_w(path);
  if (!f) return 1;
  sb_t s = {f, malloc(SB_CAP), 0, false};
  if (!s.b) die_oom();
  sb_str(&s,
         "customer_id,first_purchase,last_purchase,orders,purchase_days,x,t_x,T,total_amount,"
         "mean_repeat_amount,mean_interval,interval_cv,returned_amount,cancelled_orders\n");
  uint64_t n = c->n_customers;
  uint32_t *order = malloc((n ? n : 1) * sizeof *order);
  if (!order) die_oom();
  for (uint64_t i = 0; i < n; i++) order[i] = (uint32_t)i;
  /* numeric and zero-padded ids are generated in sorted order already */
  if (c->id_style == ID_MIXED) {
    sort_g = g;
    qsort(order, n, sizeof *order, cmp_cust);
  }
  const int mall = c->mall - 1;
  const int64_t to_e4 = pow10i(4 - c->decimals);
  const int unit = c->expected_unit;
  *n_out = 0;
  *without = 0;
  for (uint64_t k = 0; k < n; k++) {
    uint32_t i = order[k];
    uint32_t orders = 0, days = 0, cancels = 0;
    int32_t first = 0, last = 0;
    int64_t gross = 0, first_gross = 0, returned = 0;
    uint64_t sumsq = 0;
    bool any = false;
    for (uint32_t e = g->ev_off[i]; e < g->ev_off[i + 1]; e++) {
      const ev_t *x = &g->ev[e];
      if (x->day >= as_of) continue;
      if (c->nmall > 1 && ev_mall(g, e) != mall) continue;
      any = true;
      int64_t a = x->amount * to_e4;
      switch (ev_kind(x)) {
        case EV_CANCEL: cancels++; break;
        case EV_RETURN: returned += a; break;
        default:
          /* a customer's purchases are generated in time order */
          orders++;
          gross += a;
          if (!days) {
            first = last = x->day;
            days = 1;
            first_gross = a;
          } else if (x->day != last) {
            sumsq += (uint64_t)(x->day - last) * (uint64_t)(x->day - last);
            last = x->day;
            days++;
          } else if (x->day == first)
            first_gross += a;
      }
    }
    if (!days) {
      *without += any;
      continue;
    }
    ++*n_out;
    char id[32];
    size_t idn = cust_id(g, i, id);
    sb_put(&s, id, idn); /* ids never need CSV quoting */
    sb_c(&s, ',');
    char d[11];
    format_iso_date(first, d);
    sb_put(&s, d, 10);
    sb_c(&s, ',');
    format_iso_date(last, d);
    sb_put(&s, d, 10);
    sb_c(&s, ',');
    sb_u64(&s, orders);
    sb_c(&s, ',');
    sb_u64(&s, days);
    sb_c(&s, ',');
    uint32_t x = days - 1;
    sb_u64(&s, x);
    sb_c(&s, ',');
    uint64_t tx = (uint64_t)(last - first), T = (uint64_t)(as_of - 1 - first);
    if (unit == 1) {
      sb_u64(&s, tx);
      sb_c(&s, ',');
      sb_u64(&s, T);
    } else {
      sb_fixed(&s, round_div((u128)tx * 1000000u, 7), 6);
      sb_c(&s, ',');
      sb_fixed(&s, round_div((u128)T * 1000000u, 7), 6);
    }
    sb_c(&s, ',');
    sb_amount(&s, gross - returned);
    sb_c(&s, ',');
    if (x > 0) /* (gross on repeat days) / x, in currency units, 2 decimals */
      sb_fixed(&s, round_div((u128)(gross - first_gross), (u128)100 * x), 2);
    sb_c(&s, ',');
    if (x > 0) sb_fixed(&s, round_div((u128)tx * 100, (u128)x * (uint64_t)unit), 2);
    sb_c(&s, ',');
    if (x > 1) {
      /* intervals d_1..d_x: S = sum = t_x, Q = sum of squares. sample variance
       * (Q - S^2/x)/(x-1); cv = sqrt(var)/(S/x) = sqrt( x (xQ - S^2) / ((x-1) S^2) ) */
      u128 S = tx, N = (u128)x * ((u128)x * sumsq - S * S), Dn = (u128)(x - 1) * S * S;
      sb_fixed(&s, round_sqrt_ratio_1000(N, Dn), 3);
    }
    sb_c(&s, ',');
    sb_amount(&s, returned);
    sb_c(&s, ',');
    sb_u64(&s, cancels);
    sb_c(&s, '\n');
  }
  sb_flush(&s);
  free(s.b);
  free(order);
  return close_w(f, path, s.err);
}

/*=====================================================================
 * --expected-rejects: line,reason per bad row, in file order (no header)
 *====================================================================*/
int write_expected_rejects(const wstats_t *st, const char *path) {
  FILE *f = open_w(path);
  if (!f) return 1;
  for (size_t k = 0; k < st->nrej; k++)
    fprintf(f, "%llu,%s\n", (unsigned long long)st->rej_line[k], reject_names[st->rej_reason[k]]);
  return close_w(f, path, false);
}

/*=====================================================================
 * --truth
 *====================================================================*/
int write_truth(const gen_t *g, const char *path) {
  const cfg_t *c = &g->c;
  FILE *f = open_w(path);
  if (!f) return 1;
  char s0[11], s1[11];
  format_iso_date(c->start, s0);
  format_iso_date(c->end, s1);
  const char *u = c->unit_days == 7 ? "week" : "day";
  fprintf(f,
          "# rouse-gen %s truth. BG/NBD (Fader, Hardie & Lee 2005): lambda ~ Gamma(r, rate alpha) "
          "per %s, p ~ Beta(a, b).\n"
          "# Gamma-Gamma (Fader & Hardie 2013): nu ~ Gamma(q, rate gamma), spend ~ Gamma(p_spend, "
          "rate nu) model units; written amount = spend * spend_scale.\n"
          "# unit=%s r=%.17g alpha=%.17g a=%.17g b=%.17g\n"
          "# p_spend=%.17g q=%.17g gamma=%.17g spend_scale=%.17g gamma_in_currency=%.17g "
          "decimals=%d\n"
          "# start=%s end=%s cohort_days=%.17g customers=%llu seed=%llu\n"
          "# columns: lambda (per %s), lambda_per_day, p, nu (model units), first_time (days "
          "after start, continuous), purchases (in the period), dropped (1: dropped out before "
          "the end)\n",
          GEN_VERSION, u, u, c->r, c->alpha, c->a, c->b, c->p, c->q, c->gamma, c->spend_scale,
          c->gamma * c->spend_scale, c->decimals, s0, s1, c->cohort_days,
          (unsigned long long)c->n_customers, (unsigned long long)c->seed, u);
  fputs("customer_id,lambda,lambda_per_day,p,nu,first_time,purchases,dropped\n", f);
  for (uint64_t i = 0; i < c->n_customers; i++) {
    const cust_t *cu = &g->cust[i];
    char id[32];
    size_t n = cust_id(g, (uint32_t)i, id);
    fprintf(f, "%.*s,%.9g,%.9g,%.9g,%.9g,%.6f,%u,%u\n", (int)n, id, cu->lambda * c->unit_days,
            cu->lambda, cu->p, cu->nu, cu->t0, cu->npurch, cu->dropped);
  }
  return close_w(f, path, false);
}
