/* SPDX-License-Identifier: MIT
 * rouse-gen: the purchase process and the order of the export.
 *
 * Customer i draws, from its own random stream (seeded with mix64(seed, i), so the result
 * does not depend on how customers are split over threads):
 *   lambda ~ Gamma(r, rate alpha)   purchases per unit (week or day), converted to per day
 *   p      ~ Beta(a, b)             dropout probability after each purchase
 *   nu     ~ Gamma(q, rate gamma)   Gamma-Gamma spend rate
 *   first purchase uniform in [0, cohort) days after the start;
 *   each purchase: spend ~ Gamma(p_spend, rate nu) * spend_scale; after each repeat purchase
 *   (not the first, as in the BG/NBD likelihood) dropout with probability p; while alive,
 *   the next purchase comes an Exponential(lambda) time later; purchases at or after the end
 *   of the period are not observed.
 * Decorations that do not change the process (cancelled orders, returns) come from a second
 * stream, and each order's line items from a third, keyed by (customer, order seq). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gen.h"
#include "text.h"

/*=====================================================================
 * Calendar (independent of librouse on purpose: the generator is the test oracle)
 *====================================================================*/
int32_t days_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

void ymd_from_days(int32_t z32, int *year, int *month, int *day) {
  int z = z32 + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = (int)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = (int)m;
  *day = (int)d;
}

bool ymd_valid(int y, int m, int d) {
  static const unsigned char md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= md[m - 1] + (m == 2 && leap);
}

bool parse_iso_date(const char *s, int32_t *out) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  if (!ymd_valid(y, m, d) || y < 1900 || y > 2199) return false;
  *out = days_from_ymd(y, m, d);
  return true;
}

void format_iso_date(int32_t day, char out[11]) {
  int y, m, d;
  ymd_from_days(day, &y, &m, &d);
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
}

int64_t pow10i(int k) {
  int64_t v = 1;
  while (k-- > 0) v *= 10;
  return v;
}

/* Large arrays: 2 MiB aligned and marked for transparent huge pages, which matters for the
 * random accesses of the output order (TLB misses otherwise dominate). */
void *big_alloc(size_t bytes) {
  if (bytes < (4u << 20)) return malloc(bytes ? bytes : 1);
  void *p = NULL;
  size_t al = 2u << 20;
  bytes = (bytes + al - 1) / al * al;
  if (posix_memalign(&p, al, bytes)) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

/*=====================================================================
 * Customer ids
 *====================================================================*/
static size_t put_u64(char *o, uint64_t v) {
  char t[24];
  size_t n = 0;
  do {
    t[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++) o[i] = t[n - 1 - i];
  return n;
}

/* num: 1, 2, 3...; padded: 00000001...; mixed: mostly numbers, plus ids with leading zeros
 * that equal another customer's number ("003" next to "3"), and non-numeric ids. */
size_t cust_id(const gen_t *g, uint32_t i, char *buf) {
  uint64_t k = (uint64_t)i + 1;
  switch (g->c.id_style) {
    case ID_PADDED: {
      char t[24];
      size_t n = put_u64(t, k), o = 0;
      while (n + o < 8) buf[o++] = '0';
      memcpy(buf + o, t, n);
      return o + n;
    }
    case ID_MIXED:
      if (k % 20 == 13) {
        buf[0] = buf[1] = '0';
        return 2 + put_u64(buf + 2, k - 10);
      }
      if (k % 20 == 7) {
        buf[0] = 'G';
        return 1 + put_u64(buf + 1, k);
      }
      if (k % 40 == 19) {
        buf[0] = 'c';
        buf[1] = '-';
        return 2 + put_u64(buf + 2, k);
      }
      return put_u64(buf, k);
    default: return put_u64(buf, k);
  }
}

/*=====================================================================
 * Time of day: a diurnal profile of Japanese online shopping (quiet at night, peaks at
 * lunch and 20-22h). A purchase's continuous time t gives the day floor(t); the fraction
 * is mapped through the profile's inverse CDF (monotone, so order within a day is kept).
 *====================================================================*/
static const double HOUR_W[24] = {3.0, 2.0, 1.2, 0.7, 0.5, 0.6, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0,
                                  6.0, 5.0, 4.5, 4.5, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0, 7.0, 5.0};
static double hour_cdf[25];

static void diurnal_init(void) {
  double s = 0;
  for (int h = 0; h < 24; h++) s += HOUR_W[h];
  double c = 0;
  for (int h = 0; h < 24; h++) {
    hour_cdf[h] = c / s;
    c += HOUR_W[h];
  }
  hour_cdf[24] = 1.0;
}

static uint32_t second_of_day(double frac) {
  int h = 0;
  while (h < 23 && frac >= hour_cdf[h + 1]) h++;
  double w = (frac - hour_cdf[h]) / (hour_cdf[h + 1] - hour_cdf[h]);
  int s = (int)(w * 3600.0);
  if (s < 0) s = 0;
  if (s > 3599) s = 3599;
  return (uint32_t)(h * 3600 + s);
}

/*=====================================================================
 * Generation
 *====================================================================*/
typedef struct {
  ev_t *v;
  size_t n, cap;
  int err;
} evvec_t;

static size_t push(evvec_t *v, ev_t e) {
  if (v->n == v->cap) {
    size_t nc = v->cap ? v->cap * 2 : 4096;
    ev_t *p = realloc(v->v, nc * sizeof *p);
    if (!p) {
      v->err = 1;
      return v->n;
    }
    v->v = p;
    v->cap = nc;
  }
  v->v[v->n] = e;
  return v->n++;
}

static ev_t make_ev(const cfg_t *c, double t, int kind, uint32_t cust, uint32_t ref,
                    int64_t amount) {
  double fl = floor(t);
  ev_t e;
  e.day = c->start + (int32_t)fl;
  e.meta = second_of_day(t - fl) | (uint32_t)kind << 17;
  e.cust = cust;
  e.ref = ref;
  e.amount = amount;
  return e;
}

/* one spend draw in minor units (at least one) */
static double amount_mult; /* spend_scale * 10^decimals */

static int64_t draw_amount(const cfg_t *c, rng_t *r, double nu) {
  double z = rng_gamma(r, c->p) / nu * amount_mult;
  if (!(z < 1e13)) z = 1e13;
  int64_t m = (int64_t)llround(z);
  return m < 1 ? 1 : m;
}


/* favourite category: the one whose repurchase cycle is closest (in ratio) to the
 * customer's mean time between purchases, i.e. compare with the geometric midpoints */
static int fav_order[16], fav_n;
static double fav_mid[16];

static void fav_init(void) {
  fav_n = text_ncat();
  for (int k = 0; k < fav_n; k++) fav_order[k] = k;
  for (int a = 1; a < fav_n; a++) /* insertion sort by cycle */
    for (int b = a; b > 0 && text_cycle(fav_order[b]) < text_cycle(fav_order[b - 1]); b--) {
      int t = fav_order[b];
      fav_order[b] = fav_order[b - 1];
      fav_order[b - 1] = t;
    }
  for (int k = 0; k + 1 < fav_n; k++)
    fav_mid[k] = sqrt(text_cycle(fav_order[k]) * text_cycle(fav_order[k + 1]));
}

static uint8_t favourite(double lambda_day) {
  double m = lambda_day > 0 ? 1.0 / lambda_day : 1e300;
  int k = 0;
  while (k + 1 < fav_n && m >= fav_mid[k]) k++;
  return (uint8_t)fav_order[k];
}

static void gen_customer(const gen_t *g, uint32_t i, evvec_t *v) {
  const cfg_t *c = &g->c;
  rng_t pr, dr;
  rng_seed(&pr, mix64(c->seed, 2 * (uint64_t)i));
  rng_seed(&dr, mix64(c->seed ^ 0x5DEECE66Dull, 2 * (uint64_t)i + 1));
  cust_t *cu = &g->cust[i];
  memset(cu, 0, sizeof *cu);
  double lam = rng_gamma(&pr, c->r) / c->alpha / c->unit_days;
  double p = rng_beta(&pr, c->a, c->b);
  double nu = rng_gamma(&pr, c->q) / c->gamma;
  double t = rng_unif(&pr) * c->cohort_days;
  const double H = (double)(c->end - c->start + 1);
  cu->lambda = lam;
  cu->p = p;
  cu->nu = nu;
  cu->t0 = t;
  cu->fav = favourite(lam);
  if (t >= H) return;
  uint32_t seq = 0;
  bool pseq_repeat = false;
  for (;;) {
    int64_t amt = draw_amount(c, &pr, nu);
    uint32_t pseq = seq++;
    size_t pi = push(v, make_ev(c, t, EV_PURCHASE, i, pseq, amt));
    cu->npurch++;
    if (c->cancel_rate > 0 && rng_unif(&dr) < c->cancel_rate) {
      /* a cancelled order shortly before the purchase (ordered, cancelled, ordered again) */
      double tc = t - (0.002 + 1.5 * rng_unif(&dr));
      if (tc < 0) tc = t * rng_unif(&dr);
      int64_t ca = draw_amount(c, &dr, nu);
      push(v, make_ev(c, tc, EV_CANCEL, i, seq++, ca));
    }
    if (c->return_rate > 0 && rng_unif(&dr) < c->return_rate) {
      /* one line item sent back 1 to ~30 days later; unobserved if after the period */
      double tr = floor(t) + 1.0 + rng_exp(&dr) * 9.0;
      if (tr < H) {
        detail_t d;
        order_detail(g, i, pseq, amt, &d);
        int line = (int)rng_below(&dr, (uint32_t)d.n);
        ev_t e = make_ev(c, tr, EV_RETURN, i, (uint32_t)pi, d.amt[line]);
        e.meta |= (uint32_t)line << 19;
        push(v, e);
      }
    }
    /* BG/NBD: a customer may drop out after each repeat purchase, never right after the
     * first one (the likelihood of x = 0 is exp(-lambda T): alive with probability one) */
    if (pseq_repeat && rng_unif(&pr) < p) {
      cu->dropped = 1;
      break;
    }
    pseq_repeat = true;
    if (!(lam > 0)) break;
    t += rng_exp(&pr) / lam;
    if (!(t < H)) break;
  }
}

#define CHUNK 16384u

/* Customers are generated in chunks by the worker threads, each into its own reusable
 * buffer; chunks are appended to the event array strictly in chunk order, so the result is
 * the same for any number of threads. */
typedef struct {
  gen_t *g;
  size_t nchunks;
  size_t next;   /* next chunk to generate */
  size_t commit; /* next chunk to append */
  size_t cap;    /* capacity of g->ev */
  int err;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} gen_job_t;

static void *gen_worker(void *arg) {
  gen_job_t *j = arg;
  gen_t *g = j->g;
  evvec_t v = {0};
  uint32_t loc[CHUNK];
  for (;;) {
    pthread_mutex_lock(&j->mu);
    size_t k = j->next++;
    pthread_mutex_unlock(&j->mu);
    if (k >= j->nchunks) break;
    uint64_t lo = (uint64_t)k * CHUNK, hi = lo + CHUNK;
    if (hi > g->c.n_customers) hi = g->c.n_customers;
    v.n = 0;
    for (uint64_t i = lo; i < hi; i++) {
      loc[i - lo] = (uint32_t)v.n;
      gen_customer(g, (uint32_t)i, &v);
    }
    pthread_mutex_lock(&j->mu);
    while (j->commit != k) pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    /* our turn: only this thread touches g->ev until commit is advanced */
    size_t base = g->nev;
    if (v.err || base + v.n >= UINT32_MAX) j->err = v.err ? 2 : 1;
    if (!j->err && base + v.n > j->cap) {
      size_t nc = j->cap ? j->cap : (size_t)1 << 20;
      while (nc < base + v.n) nc *= 2;
      ev_t *ne = realloc(g->ev, nc * sizeof *ne);
      if (!ne) j->err = 2;
      else {
        g->ev = ne;
        j->cap = nc;
#ifdef MADV_HUGEPAGE
        uintptr_t a = ((uintptr_t)ne + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1);
        uintptr_t b = ((uintptr_t)(ne + nc)) & ~(uintptr_t)((2u << 20) - 1);
        if (b > a) madvise((void *)a, b - a, MADV_HUGEPAGE);
#endif
      }
    }
    if (!j->err) {
      ev_t *dst = g->ev + base;
      for (size_t e = 0; e < v.n; e++) {
        ev_t x = v.v[e];
        if (ev_kind(&x) == EV_RETURN) x.ref += (uint32_t)base;
        dst[e] = x;
      }
      for (uint64_t i = lo; i < hi; i++) g->ev_off[i] = (uint32_t)(base + loc[i - lo]);
      g->nev = base + v.n;
    }
    pthread_mutex_lock(&j->mu);
    j->commit++;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
  }
  free(v.v);
  return NULL;
}

int model_generate(gen_t *g) {
  diurnal_init();
  fav_init();
  amount_mult = g->c.spend_scale * (double)pow10i(g->c.decimals);
  uint64_t n = g->c.n_customers;
  g->cust = calloc(n ? n : 1, sizeof *g->cust);
  g->ev_off = calloc(n + 1, sizeof *g->ev_off);
  if (!g->cust || !g->ev_off) die_oom();
  g->nev = 0;
  g->ev = NULL;
  size_t nchunks = (size_t)((n + CHUNK - 1) / CHUNK);
  gen_job_t j = {g, nchunks, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
  int nt = g->c.threads < 1 ? 1 : g->c.threads;
  if ((size_t)nt > nchunks) nt = nchunks ? (int)nchunks : 1;
  pthread_t th[64];
  for (int t = 1; t < nt; t++)
    if (pthread_create(&th[t], NULL, gen_worker, &j)) nt = t;
  gen_worker(&j);
  for (int t = 1; t < nt; t++) pthread_join(th[t], NULL);
  if (j.err == 2) die_oom();
  if (j.err) {
    fprintf(stderr, "%s: too many events: at most 4294967294\n", progname);
    return 1;
  }
  if (!g->ev && !(g->ev = malloc(sizeof *g->ev))) die_oom();
  g->ev_off[n] = (uint32_t)g->nev;
  return 0;
}

/*=====================================================================
 * Output order: by (day, second of day), ties in generation order. A counting sort by day
 * (one scatter pass), then each day's events (a few hundred thousand at most, cache-sized)
 * by second with a stable two-pass LSD radix sort.
 *====================================================================*/
int model_order(gen_t *g) {
  size_t n = g->nev;
  if ((int64_t)g->c.end - g->c.start >= 32000) {
    fprintf(stderr, "%s: the period is too long (at most 32000 days)\n", progname);
    return 1;
  }
  size_t ndays = (size_t)(g->c.end - g->c.start + 1);
  size_t *cnt = calloc(ndays + 1, sizeof *cnt);
  uint32_t *idx = big_alloc(n * sizeof *idx);
  if (!cnt || !idx) die_oom();
  for (size_t i = 0; i < n; i++) cnt[g->ev[i].day - g->c.start + 1]++;
  for (size_t d = 0; d < ndays; d++) cnt[d + 1] += cnt[d];
  size_t *pos = malloc((ndays + 1) * sizeof *pos);
  if (!pos) die_oom();
  memcpy(pos, cnt, (ndays + 1) * sizeof *pos);
  for (size_t i = 0; i < n; i++) idx[pos[g->ev[i].day - g->c.start]++] = (uint32_t)i;
  free(pos);
  size_t maxday = 0;
  for (size_t d = 0; d < ndays; d++)
    if (cnt[d + 1] - cnt[d] > maxday) maxday = cnt[d + 1] - cnt[d];
  uint32_t *tmp = malloc((maxday ? maxday : 1) * sizeof *tmp);
  uint32_t *sec = malloc((maxday ? maxday : 1) * sizeof *sec);
  uint32_t *sec2 = malloc((maxday ? maxday : 1) * sizeof *sec2);
  if (!tmp || !sec || !sec2) die_oom();
  for (size_t d = 0; d < ndays; d++) {
    uint32_t *a = idx + cnt[d];
    size_t m = cnt[d + 1] - cnt[d];
    if (m < 2) continue;
    for (size_t k = 0; k < m; k++) sec[k] = ev_sec(&g->ev[a[k]]);
    /* pass 1: low 9 bits, a -> tmp; pass 2: high 8 bits, tmp -> a */
    size_t c1[513] = {0}, c2[257] = {0};
    for (size_t k = 0; k < m; k++) {
      c1[(sec[k] & 511u) + 1]++;
      c2[(sec[k] >> 9) + 1]++;
    }
    for (int b = 0; b < 512; b++) c1[b + 1] += c1[b];
    for (int b = 0; b < 256; b++) c2[b + 1] += c2[b];
    for (size_t k = 0; k < m; k++) {
      size_t o = c1[sec[k] & 511u]++;
      tmp[o] = a[k];
      sec2[o] = sec[k];
    }
    for (size_t k = 0; k < m; k++) a[c2[sec2[k] >> 9]++] = tmp[k];
  }
  free(tmp);
  free(sec);
  free(sec2);
  free(cnt);
  g->perm = idx;
  if (g->c.format == FMT_SHOP) {
    g->orderno = big_alloc(n * sizeof *g->orderno);
    if (!g->orderno) die_oom();
    uint32_t next = 10000001u;
    for (size_t k = 0; k < n; k++) {
      uint32_t e = idx[k];
      if (ev_kind(&g->ev[e]) != EV_RETURN) g->orderno[e] = next++;
    }
    for (size_t e = 0; e < n; e++)
      if (ev_kind(&g->ev[e]) == EV_RETURN) g->orderno[e] = g->orderno[g->ev[e].ref];
  }
  return 0;
}

/*=====================================================================
 * Line items of an order
 *====================================================================*/
void order_detail(const gen_t *g, uint32_t cust, uint32_t seq, int64_t total, detail_t *d) {
  rng_t r;
  rng_seed(&r, mix64(g->c.seed ^ 0xD37A11C0FFEEull, ((uint64_t)cust << 32) | seq));
  double u = rng_unif(&r);
  int n = u < 0.55 ? 1 : u < 0.80 ? 2 : u < 0.92 ? 3 : u < 0.97 ? 4 : 5;
  if (n > total) n = (int)total;
  d->n = n;
  uint32_t w[MAX_LINES];
  uint64_t W = 0;
  for (int k = 0; k < n; k++) W += w[k] = 1 + rng_below(&r, 1000);
  int64_t rest = total - n, sum = 0;
  for (int k = 0; k < n; k++) {
    d->amt[k] = 1 + (int64_t)((unsigned __int128)rest * w[k] / W);
    sum += d->amt[k];
  }
  d->amt[0] += total - sum;
  uint8_t fav = g->cust[cust].fav;
  for (int k = 0; k < n; k++) {
    int cat = rng_unif(&r) < 0.7 ? fav : (int)rng_below(&r, (uint32_t)text_ncat());
    d->cat[k] = (uint8_t)cat;
    d->prod[k] = (uint8_t)rng_below(&r, (uint32_t)text_nprod(cat));
    double q = rng_unif(&r);
    d->qty[k] = q < 0.75 ? 1 : q < 0.93 ? 2 : 3;
    /* amount forms: plain 35%, 1,234 25%, ¥/￥ 15%, 円 15%, full-width digits 10% */
    double f = rng_unif(&r);
    int sub = (int)rng_below(&r, 2);
    d->form[k] = (uint8_t)(f < 0.35 ? 0 : f < 0.60 ? 1 : f < 0.75 ? 2 + sub : f < 0.90 ? 4 + sub
                                                                                        : 6 + sub);
  }
  d->id_spaces = rng_unif(&r) < 0.02;
  d->status = (uint8_t)rng_below(&r, 16);
}

int ev_mall(const gen_t *g, size_t e) {
  if (g->c.nmall <= 1) return 0;
  const ev_t *x = &g->ev[e];
  if (ev_kind(x) == EV_RETURN) x = &g->ev[x->ref];
  return (int)(mix64(g->c.seed ^ 0x6D616C6Cull, ((uint64_t)x->cust << 32) | x->ref) %
               (uint64_t)g->c.nmall);
}
