/* SPDX-License-Identifier: MIT
 * Model fitting: compression of the input to distinct (x, t_x, T) rows with weights, the
 * block-parallel likelihood evaluator, the maximum likelihood driver (L-BFGS on log
 * parameters, standard errors from a finite-difference Hessian of the analytic gradient,
 * AIC/BIC, the choice of k for MBG/CNBD-k) and the public fit API.
 *
 * Determinism: rows are sorted, tables are filled entry by entry (any thread may fill any
 * entry, the value does not depend on which), and block sums of ROUSE__BLOCK_ROWS rows are
 * combined in block order, so every number is bit-identical at any thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ggamma.h"
#include "model.h"
#include "optim.h"
#include "special.h"

/*=====================================================================
 * Names
 *====================================================================*/
static const char *const kind_names[] = {NULL, "bgnbd", "mbgnbd", "pnbd", "mbgcnbd", "gg"};
static const char *const pnames[6][5] = {
    {NULL},
    {"r", "alpha", "a", "b"},
    {"r", "alpha", "a", "b"},
    {"r", "alpha", "s", "beta"},
    {"r", "alpha", "a", "b"},
    {"p", "q", "gamma"},
};

const char *rouse_model_name(int kind) {
  return kind >= 1 && kind <= 5 ? kind_names[kind] : NULL;
}

int rouse_model_kind_from_name(const char *name) {
  if (!name) return 0;
  for (int k = 1; k <= 5; k++)
    if (!strcmp(name, kind_names[k])) return k;
  return 0;
}

int rouse_model_n_params(int kind) {
  return kind >= 1 && kind <= 4 ? 4 : kind == 5 ? 3 : 0;
}

const char *rouse_model_param_name(int kind, int i) {
  if (i < 0 || i >= rouse_model_n_params(kind)) return NULL;
  return pnames[kind][i];
}

const char *rouse_fit_stop_name(int stop) {
  static const char *const n[] = {"none",    "gtol",      "ftol",    "maxiter",
                                  "stalled", "cancelled", "boundary"};
  return stop >= 0 && stop <= 6 ? n[stop] : "unknown";
}

void rouse_model_init(rouse_model *m, int kind) {
  memset(m, 0, sizeof *m);
  m->struct_size = sizeof *m;
  m->kind = kind;
  m->k = 1;
  m->n_params = rouse_model_n_params(kind);
}

void rouse_fit_opts_init(rouse_fit_opts *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->max_iter = 500;
  o->gtol = 1e-9;
  o->ftol = 1e-15;
  o->k_max = 8;
}

void rouse_fit_result_init(rouse_fit_result *r) {
  memset(r, 0, sizeof *r);
  r->struct_size = sizeof *r;
  for (int i = 0; i < ROUSE_MODEL_MAX_PARAMS; i++) r->se[i] = NAN;
  for (int i = 0; i <= ROUSE_MODEL_MAX_K; i++) r->loglik_k[i] = NAN;
}

/*=====================================================================
 * Compression
 *====================================================================*/
static int bitwidth(uint64_t v) {
  int b = 0;
  while (v) {
    b++;
    v >>= 1;
  }
  return b;
}

/* LSD radix sort of 64-bit keys using 16-bit digits, `passes` of them */
static void radix_sort(uint64_t *a, uint64_t *tmp, size_t n, int passes, size_t *cnt) {
  for (int p = 0; p < passes; p++) {
    int sh = 16 * p;
    memset(cnt, 0, sizeof *cnt * 65536);
    for (size_t i = 0; i < n; i++) cnt[(a[i] >> sh) & 0xFFFF]++;
    size_t s = 0;
    for (size_t i = 0; i < 65536; i++) {
      size_t c = cnt[i];
      cnt[i] = s;
      s += c;
    }
    for (size_t i = 0; i < n; i++) tmp[cnt[(a[i] >> sh) & 0xFFFF]++] = a[i];
    uint64_t *t = a;
    a = tmp;
    tmp = t;
  }
  if (passes & 1) memcpy(tmp, a, sizeof *a * n); /* result back into the caller's array */
}

struct trow {
  double x, tx, T;
};

static int cmp_trow(const void *pa, const void *pb) {
  const struct trow *a = pa, *b = pb;
  if (a->x != b->x) return a->x < b->x ? -1 : 1;
  if (a->tx != b->tx) return a->tx < b->tx ? -1 : 1;
  if (a->T != b->T) return a->T < b->T ? -1 : 1;
  return 0;
}

static int cmp_double(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : a > b;
}

static size_t find_time(const double *ts, size_t nt, double v) {
  size_t lo = 0, hi = nt;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void rouse__mdata_release(struct rouse__mdata *d) {
  if (!d) return;
  rouse__free(d->xi);
  rouse__free(d->ti_x);
  rouse__free(d->ti_T);
  rouse__free(d->pi_x);
  rouse__free(d->pi_T);
  rouse__free(d->w);
  rouse__free(d->xs);
  rouse__free(d->ts);
  rouse__free(d->px);
  rouse__free(d->pt);
  memset(d, 0, sizeof *d);
}

static int alloc_rows(struct rouse__mdata *d, size_t n) {
  d->xi = rouse__calloc(n, sizeof *d->xi);
  d->ti_x = rouse__calloc(n, sizeof *d->ti_x);
  d->ti_T = rouse__calloc(n, sizeof *d->ti_T);
  d->pi_x = rouse__calloc(n, sizeof *d->pi_x);
  d->pi_T = rouse__calloc(n, sizeof *d->pi_T);
  d->w = rouse__calloc(n, sizeof *d->w);
  d->xs = rouse__calloc(n, sizeof *d->xs);
  return d->xi && d->ti_x && d->ti_T && d->pi_x && d->pi_T && d->w && d->xs ? ROUSE_OK
                                                                           : ROUSE_NOMEM;
}

/* integer fast path: every time value is k/K exactly for an integer k; K in {1, 7} */
static int try_scale(const double *t_x, const double *T, size_t n, double K, uint64_t *kmax) {
  uint64_t mx = 0;
  for (size_t i = 0; i < n; i++) {
    double a = t_x[i] * K, b = T[i] * K;
    if (a > 4e9 || b > 4e9) return 0;
    double ra = nearbyint(a), rb = nearbyint(b);
    if (ra / K != t_x[i] || rb / K != T[i]) return 0;
    if ((uint64_t)rb > mx) mx = (uint64_t)rb;
  }
  *kmax = mx;
  return 1;
}

static int build_fast(const double *x, const double *t_x, const double *T, size_t n, double K,
                      uint64_t kmax, uint64_t xmax, struct rouse__mdata *d, uint32_t *row_of) {
  int bt = bitwidth(kmax), bx = bitwidth(xmax);
  int total = bx + 2 * bt;
  /* with row_of, the input index rides in the low bits of the key when it fits */
  int bn = row_of ? bitwidth(n) : 0;
  int embed = row_of && total + bn <= 64;
  int sh = embed ? bn : 0;
  int passes = (total + sh + 15) / 16;
  if (passes < 1) passes = 1;
  uint64_t *key = rouse__calloc(n, sizeof *key), *tmp = rouse__calloc(n, sizeof *tmp);
  size_t *cnt = rouse__calloc(65536, sizeof *cnt);
  uint32_t *tid = rouse__calloc((size_t)kmax + 1, sizeof *tid);
  int rc = ROUSE_NOMEM;
  if (!key || !tmp || !cnt || !tid) goto out;
  for (size_t i = 0; i < n; i++) {
    uint64_t kx = (uint64_t)x[i], ka = (uint64_t)nearbyint(t_x[i] * K),
             kb = (uint64_t)nearbyint(T[i] * K);
    key[i] = (((kx << (2 * bt)) | (ka << bt) | kb) << sh) | (embed ? (uint64_t)i : 0);
    tid[ka] = 1;
    tid[kb] = 1;
  }
  radix_sort(key, tmp, n, passes, cnt);
  size_t nr = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || key[i] >> sh != key[i - 1] >> sh) nr++;
  size_t nt = 0;
  for (uint64_t k = 0; k <= kmax; k++)
    if (tid[k]) tid[k] = (uint32_t)++nt; /* 1-based while marking */
  if ((rc = alloc_rows(d, nr))) goto out;
  d->ts = rouse__calloc(nt, sizeof *d->ts);
  if (!d->ts) {
    rc = ROUSE_NOMEM;
    goto out;
  }
  for (uint64_t k = 0; k <= kmax; k++)
    if (tid[k]) d->ts[tid[k] - 1] = (double)k / K;
  d->nt = nt;
  uint64_t mt = (bt ? ((uint64_t)1 << bt) - 1 : 0);
  size_t r = (size_t)-1, nx = 0;
  uint64_t lastx = UINT64_MAX;
  for (size_t i = 0; i < n; i++) {
    uint64_t kk = key[i] >> sh;
    if (i == 0 || kk != key[i - 1] >> sh) {
      r++;
      uint64_t kx = kk >> (2 * bt), ka = (kk >> bt) & mt, kb = kk & mt;
      if (kx != lastx) {
        d->xs[nx++] = (double)kx;
        lastx = kx;
      }
      d->xi[r] = (uint32_t)(nx - 1);
      d->ti_x[r] = tid[ka] - 1;
      d->ti_T[r] = tid[kb] - 1;
    }
    d->w[r] += 1;
    if (embed) row_of[key[i] & (((uint64_t)1 << sh) - 1)] = (uint32_t)r;
    if (row_of && !embed) tmp[r] = kk; /* unique keys, for the search below */
  }
  d->n_rows = nr;
  d->nx = nx;
  if (row_of && !embed)
    for (size_t i = 0; i < n; i++) {
      uint64_t kx = (uint64_t)x[i], ka = (uint64_t)nearbyint(t_x[i] * K),
               kb = (uint64_t)nearbyint(T[i] * K);
      uint64_t kk = (kx << (2 * bt)) | (ka << bt) | kb;
      size_t lo = 0, hi = nr;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tmp[mid] < kk) lo = mid + 1;
        else hi = mid;
      }
      row_of[i] = (uint32_t)lo;
    }
  rc = ROUSE_OK;
out:
  rouse__free(key);
  rouse__free(tmp);
  rouse__free(cnt);
  rouse__free(tid);
  return rc;
}

static int build_generic(const double *x, const double *t_x, const double *T, size_t n,
                         struct rouse__mdata *d, uint32_t *row_of) {
  struct trow *rows = rouse__calloc(n, sizeof *rows);
  double *tv = NULL;
  int rc = ROUSE_NOMEM;
  if (!rows) goto out;
  for (size_t i = 0; i < n; i++) {
    rows[i].x = floor(x[i]);
    rows[i].tx = t_x[i] + 0.0; /* +0.0 folds -0 into 0 */
    rows[i].T = T[i] + 0.0;
  }
  qsort(rows, n, sizeof *rows, cmp_trow);
  size_t nr = 0;
  for (size_t i = 0; i < n; i++)
    if (nr == 0 || cmp_trow(&rows[i], &rows[nr - 1])) rows[nr++] = rows[i];
  tv = rouse__calloc(2 * nr, sizeof *tv);
  if (!tv || (rc = alloc_rows(d, nr))) {
    rc = ROUSE_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < nr; i++) {
    tv[2 * i] = rows[i].tx;
    tv[2 * i + 1] = rows[i].T;
  }
  qsort(tv, 2 * nr, sizeof *tv, cmp_double);
  size_t nt = 0;
  for (size_t i = 0; i < 2 * nr; i++)
    if (i == 0 || tv[i] != tv[i - 1]) tv[nt++] = tv[i];
  d->ts = rouse__calloc(nt, sizeof *d->ts);
  if (!d->ts) goto out;
  memcpy(d->ts, tv, sizeof *tv * nt);
  d->nt = nt;
  size_t nx = 0;
  for (size_t i = 0; i < nr; i++) {
    if (i == 0 || rows[i].x != rows[i - 1].x) d->xs[nx++] = rows[i].x;
    d->xi[i] = (uint32_t)(nx - 1);
    d->ti_x[i] = (uint32_t)find_time(d->ts, nt, rows[i].tx);
    d->ti_T[i] = (uint32_t)find_time(d->ts, nt, rows[i].T);
  }
  d->nx = nx;
  d->n_rows = nr;
  /* weights: count each input row's match (rows are unique and sorted) */
  for (size_t i = 0; i < n; i++) {
    struct trow key = {floor(x[i]), t_x[i] + 0.0, T[i] + 0.0};
    size_t lo = 0, hi = nr;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      struct trow m = {d->xs[d->xi[mid]], d->ts[d->ti_x[mid]], d->ts[d->ti_T[mid]]};
      if (cmp_trow(&m, &key) < 0) lo = mid + 1;
      else hi = mid;
    }
    d->w[lo] += 1;
    if (row_of) row_of[i] = (uint32_t)lo;
  }
  rc = ROUSE_OK;
out:
  rouse__free(rows);
  rouse__free(tv);
  return rc;
}

/* (x, t) pairs for t = t_x and T, numbered in order of first use (deterministic) */
static int build_pairs(struct rouse__mdata *d) {
  uint64_t *stamp = rouse__calloc(d->nt, sizeof *stamp);
  d->px = rouse__calloc(2 * d->n_rows, sizeof *d->px);
  d->pt = rouse__calloc(2 * d->n_rows, sizeof *d->pt);
  if (!stamp || !d->px || !d->pt) {
    rouse__free(stamp);
    return ROUSE_NOMEM;
  }
  /* stamp[t] = (x group + 1) << 32 | pair index */
  size_t np = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    uint64_t g = (uint64_t)d->xi[i] + 1;
    uint32_t tt[2] = {d->ti_x[i], d->ti_T[i]};
    uint32_t *outp[2] = {&d->pi_x[i], &d->pi_T[i]};
    for (int j = 0; j < 2; j++) {
      uint64_t s = stamp[tt[j]];
      if ((s >> 32) != g) {
        d->px[np] = d->xi[i];
        d->pt[np] = tt[j];
        s = (g << 32) | np;
        stamp[tt[j]] = s;
        np++;
      }
      *outp[j] = (uint32_t)(s & 0xFFFFFFFFu);
    }
  }
  d->np = np;
  rouse__free(stamp);
  return ROUSE_OK;
}

int rouse__mdata_build(const double *x, const double *t_x, const double *T, size_t n,
                       struct rouse__mdata *d, uint32_t *row_of) {
  memset(d, 0, sizeof *d);
  if (n == 0) return ROUSE_EMPTY;
  if (!x || !t_x || !T) return ROUSE_MISUSE;
  double xmax = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(x[i] >= 0 && x[i] < 4e9 && t_x[i] >= 0 && t_x[i] <= T[i] && T[i] < 1e300))
      return ROUSE_MISUSE;
    if (x[i] > xmax) xmax = x[i];
  }
  if (n > UINT32_MAX / 2) return ROUSE_LIMIT;
  uint64_t kmax = 0;
  int rc;
  int fast_ok = 0;
  double K = 1;
  for (int s = 0; s < 2 && !fast_ok; s++) {
    K = s == 0 ? 1 : 7;
    fast_ok = try_scale(t_x, T, n, K, &kmax);
  }
  /* integers only for x too */
  if (fast_ok)
    for (size_t i = 0; i < n && fast_ok; i++) fast_ok = floor(x[i]) == x[i];
  if (fast_ok && kmax < (1u << 26) && bitwidth((uint64_t)xmax) + 2 * bitwidth(kmax) <= 64)
    rc = build_fast(x, t_x, T, n, K, kmax, (uint64_t)xmax, d, row_of);
  else
    rc = build_generic(x, t_x, T, n, d, row_of);
  if (rc == ROUSE_OK) rc = build_pairs(d);
  if (rc) {
    rouse__mdata_release(d);
    return rc;
  }
  d->W = (double)n;
  return ROUSE_OK;
}

/*=====================================================================
 * Evaluator
 *====================================================================*/
#define TAB_CHUNK 256

int rouse__eval_init(struct rouse__eval *e, int kind, int k, const struct rouse__mdata *d,
                     struct rouse_pool *pool) {
  memset(e, 0, sizeof *e);
  e->kind = kind;
  e->k = k < 1 ? 1 : k;
  e->np = 4;
  e->d = d;
  e->pool = pool;
  size_t wx = kind == ROUSE_MODEL_PNBD ? ROUSE__PNBD_TX_WIDTH : rouse__xbg_tx_width(e->k);
  size_t wt = kind == ROUSE_MODEL_PNBD ? ROUSE__PNBD_TT_WIDTH : 2;
  e->n_blocks = (d->n_rows + ROUSE__BLOCK_ROWS - 1) / ROUSE__BLOCK_ROWS;
  e->tx = rouse__calloc(d->nx ? d->nx : 1, wx * sizeof(double));
  e->tt = rouse__calloc(d->nt ? d->nt : 1, wt * sizeof(double));
  e->blk = rouse__calloc(e->n_blocks ? e->n_blocks : 1, 5 * sizeof(double));
  if (kind == ROUSE_MODEL_PNBD)
    e->tp = rouse__calloc(d->np ? d->np : 1, ROUSE__PNBD_TP_WIDTH * sizeof(double));
  if (!e->tx || !e->tt || !e->blk || (kind == ROUSE_MODEL_PNBD && !e->tp)) {
    rouse__eval_release(e);
    return ROUSE_NOMEM;
  }
  return ROUSE_OK;
}

void rouse__eval_release(struct rouse__eval *e) {
  if (!e) return;
  rouse__free(e->tx);
  rouse__free(e->tt);
  rouse__free(e->tp);
  rouse__free(e->blk);
  e->tx = e->tt = e->tp = e->blk = NULL;
}

static void task_tables(void *arg, size_t i) {
  struct rouse__eval *e = arg;
  size_t nxc = (e->d->nx + TAB_CHUNK - 1) / TAB_CHUNK;
  size_t x0 = 0, x1 = 0, t0 = 0, t1 = 0;
  if (i < nxc) {
    x0 = i * TAB_CHUNK;
    x1 = x0 + TAB_CHUNK < e->d->nx ? x0 + TAB_CHUNK : e->d->nx;
  } else {
    t0 = (i - nxc) * TAB_CHUNK * 4;
    t1 = t0 + TAB_CHUNK * 4 < e->d->nt ? t0 + TAB_CHUNK * 4 : e->d->nt;
  }
  if (e->kind == ROUSE_MODEL_PNBD) rouse__pnbd_tables(e, x0, x1, t0, t1);
  else rouse__xbg_tables(e, x0, x1, t0, t1);
}

static void task_pairs(void *arg, size_t i) {
  struct rouse__eval *e = arg;
  size_t p0 = i * TAB_CHUNK, p1 = p0 + TAB_CHUNK < e->d->np ? p0 + TAB_CHUNK : e->d->np;
  rouse__pnbd_pairs(e, p0, p1);
}

static void task_block(void *arg, size_t i) {
  struct rouse__eval *e = arg;
  size_t r0 = i * ROUSE__BLOCK_ROWS;
  size_t r1 = r0 + ROUSE__BLOCK_ROWS < e->d->n_rows ? r0 + ROUSE__BLOCK_ROWS : e->d->n_rows;
  if (e->kind == ROUSE_MODEL_PNBD) rouse__pnbd_block(e, r0, r1, e->blk + 5 * i);
  else rouse__xbg_block(e, r0, r1, e->blk + 5 * i);
}

double rouse__eval_ll(struct rouse__eval *e, const double *par, double *grad) {
  for (int i = 0; i < e->np; i++) e->par[i] = par[i];
  size_t nxc = (e->d->nx + TAB_CHUNK - 1) / TAB_CHUNK;
  size_t ntc = (e->d->nt + TAB_CHUNK * 4 - 1) / (TAB_CHUNK * 4);
  rouse__pool_run(e->pool, nxc + ntc, task_tables, e);
  if (e->kind == ROUSE_MODEL_PNBD)
    rouse__pool_run(e->pool, (e->d->np + TAB_CHUNK - 1) / TAB_CHUNK, task_pairs, e);
  rouse__pool_run(e->pool, e->n_blocks, task_block, e);
  double s[5] = {0, 0, 0, 0, 0};
  for (size_t b = 0; b < e->n_blocks; b++)
    for (int j = 0; j < 5; j++) s[j] += e->blk[5 * b + j];
  if (grad)
    for (int i = 0; i < e->np; i++) grad[i] = s[i + 1] * par[i];
  return s[0];
}

/*=====================================================================
 * Driver
 *====================================================================*/
struct obj {
  struct rouse__eval *e;     /* purchase models */
  struct rouse__gg *gg;      /* Gamma-Gamma */
  int np;
  double W;
};

static double objective(void *ctx, const double *th, double *g) {
  struct obj *o = ctx;
  double par[ROUSE_MODEL_MAX_PARAMS], gl[ROUSE_MODEL_MAX_PARAMS];
  for (int i = 0; i < o->np; i++) {
    if (!(fabs(th[i]) < 200)) return INFINITY;
    par[i] = exp(th[i]);
  }
  double ll = o->e ? rouse__eval_ll(o->e, par, gl) : rouse__gg_ll(o->gg, par, gl);
  for (int i = 0; i < o->np; i++) g[i] = -gl[i] / o->W;
  return isfinite(ll) ? -ll / o->W : INFINITY;
}

/* invert a symmetric positive definite n x n matrix in place (Cholesky); 0 if not PD */
static int spd_inverse(double *A, int n) {
  double L[25] = {0}, Inv[25] = {0};
  for (int j = 0; j < n; j++) {
    double s = A[j * n + j];
    for (int k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) return 0;
    L[j * n + j] = sqrt(s);
    for (int i = j + 1; i < n; i++) {
      double t = A[i * n + j];
      for (int k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / L[j * n + j];
    }
  }
  for (int c = 0; c < n; c++) { /* solve L L' x = e_c */
    double y[5];
    for (int i = 0; i < n; i++) {
      double t = i == c;
      for (int k = 0; k < i; k++) t -= L[i * n + k] * y[k];
      y[i] = t / L[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double t = y[i];
      for (int k = i + 1; k < n; k++) t -= L[k * n + i] * Inv[k * n + c];
      Inv[i * n + c] = t / L[i * n + i];
    }
  }
  memcpy(A, Inv, sizeof(double) * (size_t)(n * n));
  return 1;
}

/* standard errors from the Hessian of the total LL in log parameters (central differences of
 * the analytic gradient), by the delta method */
static void standard_errors(struct obj *o, const double *th, rouse_fit_result *res) {
  int n = o->np;
  double H[25], gp[5], gm[5], t[5];
  for (int j = 0; j < n; j++) {
    double h = 1e-4;
    memcpy(t, th, sizeof(double) * (size_t)n);
    t[j] = th[j] + h;
    double fp = objective(o, t, gp);
    t[j] = th[j] - h;
    double fm = objective(o, t, gm);
    if (!isfinite(fp) || !isfinite(fm)) return;
    for (int i = 0; i < n; i++) H[i * n + j] = (gp[i] - gm[i]) / (2 * h) * o->W;
  }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++) H[i * n + j] = H[j * n + i] = (H[i * n + j] + H[j * n + i]) / 2;
  if (!spd_inverse(H, n)) return;
  for (int i = 0; i < n; i++) res->se[i] = exp(th[i]) * sqrt(H[i * n + i]);
  res->se_ok = 1;
}

static void fill_stats(rouse_fit_result *res, double ll, int n_par_total, double n) {
  res->loglik = ll;
  res->aic = 2 * n_par_total - 2 * ll;
  res->bic = n_par_total * log(n) - 2 * ll;
}

/* one L-BFGS run; th in/out (log params) */
static int run_opt(struct obj *ob, double *th, const rouse_fit_opts *o, rouse_fit_result *res) {
  struct rouse__optim_opts oo;
  rouse__optim_opts_init(&oo);
  oo.max_iter = o->max_iter > 0 ? o->max_iter : 500;
  oo.gtol = o->gtol > 0 ? o->gtol : 1e-9;
  oo.ftol = o->ftol > 0 ? o->ftol : 1e-15;
  oo.progress = o->progress;
  oo.progress_ctx = o->progress_ctx;
  double work[256]; /* rouse__optim_workspace_size(5, 8) = 56 doubles*8... checked below */
  if (rouse__optim_workspace_size(ob->np, oo.m) > sizeof work) return ROUSE_LIMIT;
  struct rouse__optim_result r;
  int rc = rouse__optim_lbfgs(ob->np, th, objective, ob, &oo, work, &r);
  res->iterations += r.iterations;
  res->n_evals += r.n_evals;
  res->grad_norm = r.gnorm;
  res->stop = r.stop;
  res->converged = r.stop == ROUSE_FIT_GTOL || r.stop == ROUSE_FIT_FTOL;
  if (rc == ROUSE_DOMAIN) return ROUSE_OK; /* start not finite: reported as stalled */
  return rc;
}

static void start_values(int kind, int k, const struct rouse__mdata *d, double *par) {
  double sx = 0, sT = 0;
  for (size_t i = 0; i < d->n_rows; i++) {
    sx += d->w[i] * d->xs[d->xi[i]];
    sT += d->w[i] * d->ts[d->ti_T[i]];
  }
  double lam = (sx + 1) / (sT + 1); /* purchases per unit of time */
  double meanT = sT / d->W + 1;
  par[0] = 1;
  par[1] = 1 / (lam * k);
  if (kind == ROUSE_MODEL_PNBD) {
    par[2] = 1;
    par[3] = meanT;
  } else {
    par[2] = 1;
    par[3] = 3;
  }
}

/* the dropout parameters (Pareto/NBD s and beta, BG/NBD and MBG/NBD a and b) both beyond
 * this: out on the ridge towards homogeneous dropout (with s = 100 the dropout rates'
 * coefficient of variation is already 1/sqrt(s) = 0.1) */
#define RIDGE 100.0

static int check_common(const rouse_fit_opts *o, rouse_fit_result *res) {
  if (!o || !res || o->struct_size < sizeof *o || res->struct_size < sizeof *res)
    return ROUSE_MISUSE;
  return ROUSE_OK;
}

static void reset_result(rouse_fit_result *res) {
  size_t ss = res->struct_size;
  rouse_fit_result_init(res);
  res->struct_size = ss;
}

int rouse_model_fit(int kind, const double *x, const double *t_x, const double *T, size_t n,
                    const rouse_fit_opts *o, rouse_fit_result *res) {
  int rc = check_common(o, res);
  if (rc) return rc;
  reset_result(res);
  if (kind < ROUSE_MODEL_BGNBD || kind > ROUSE_MODEL_MBGCNBD) return ROUSE_MISUSE;
  if (kind == ROUSE_MODEL_MBGCNBD && o->k == 0 && !o->litt) return ROUSE_MISUSE;
  if (o->k < 0 || o->k > ROUSE_MODEL_MAX_K || o->k_max > ROUSE_MODEL_MAX_K) return ROUSE_MISUSE;
  struct rouse__mdata d;
  rc = rouse__mdata_build(x, t_x, T, n, &d, NULL);
  if (rc) return rc;
  struct rouse_pool *pool = NULL;
  struct rouse__eval e;
  memset(&e, 0, sizeof e);
  if ((rc = rouse__pool_new(o->n_threads, &pool))) goto out;
  res->n_customers = d.W;
  res->n_unique = d.n_rows;
  rouse_model_init(&res->model, kind);
  if (kind != ROUSE_MODEL_MBGCNBD) {
    if ((rc = rouse__eval_init(&e, kind, 1, &d, pool))) goto out;
    double par[4], th[4];
    if (o->start) memcpy(par, o->start, sizeof par);
    else start_values(kind, 1, &d, par);
    for (int i = 0; i < 4; i++) th[i] = log(par[i] > 0 ? par[i] : 1);
    struct obj ob = {&e, NULL, 4, d.W};
    if ((rc = run_opt(&ob, th, o, res))) goto out;
    if (!res->converged && (res->stop == ROUSE_FIT_STALLED || res->stop == ROUSE_FIT_MAXITER) &&
        th[2] > log(RIDGE) && th[3] > log(RIDGE) && res->grad_norm < 1e-3) {
      /* Pareto/NBD's s, beta (or BG/NBD's a, b) -> infinity at a fixed ratio: the likelihood
       * keeps rising by ever smaller steps towards the limit of one dropout rate (dropout
       * probability) for everybody, so the line search runs out of decrease there (the
       * farther out, the more rounding noise in the gradient: 1e-4 at s = 1e6); the point
       * reached predicts as that limit does */
      res->stop = ROUSE_FIT_BOUNDARY;
      res->converged = 1;
    }
    for (int i = 0; i < 4; i++) res->model.param[i] = exp(th[i]);
    double g[4];
    double ll = rouse__eval_ll(&e, res->model.param, g);
    fill_stats(res, ll, 4, d.W);
    if (!o->no_se) standard_errors(&ob, th, res);
    goto out;
  }
  /* MBG/CNBD-k: fixed k, or the k of highest likelihood in 1..k_max */
  {
    double slitt = 0, sxk = 0;
    if (o->litt)
      for (size_t i = 0; i < n; i++) {
        if (!isfinite(o->litt[i])) {
          rc = ROUSE_MISUSE;
          goto out;
        }
        slitt += o->litt[i];
        sxk += floor(x[i]);
      }
    int k_lo = o->k ? o->k : 1, k_hi = o->k ? o->k : (o->k_max ? o->k_max : 8);
    const rouse_fit_result *k1 = o->k1_fit;
    if (k1 && (o->k || o->start || k1->struct_size < sizeof *k1 ||
               k1->model.kind != ROUSE_MODEL_MBGNBD || !k1->converged))
      k1 = NULL; /* only for the k search from the default start, and a converged MBG/NBD */
    for (int i = 0; k1 && i < 4; i++)
      if (!(k1->model.param[i] > 0) || !isfinite(k1->model.param[i])) k1 = NULL;
    double best_ll = -INFINITY, best_th[4] = {0}, th[4];
    int best_k = k_lo, worse = 0;
    int have_prev = 0;
    double prev_th[4] = {0};
    for (int k = k_lo; k <= k_hi; k++) {
      rouse__eval_release(&e);
      if ((rc = rouse__eval_init(&e, kind, k, &d, pool))) goto out;
      double par[4];
      if (o->start && k == k_lo) memcpy(par, o->start, sizeof par);
      else start_values(kind, k, &d, par);
      for (int i = 0; i < 4; i++) th[i] = log(par[i] > 0 ? par[i] : 1);
      if (have_prev) { /* warm start: same r, a, b; alpha scaled by k */
        memcpy(th, prev_th, sizeof th);
        th[1] += log((double)k / (k - 1));
      }
      struct obj ob = {&e, NULL, 4, d.W};
      rouse_fit_result tmp;
      rouse_fit_result_init(&tmp);
      double p[4], g[4];
      if (k == 1 && k1) { /* MBG/CNBD-1 = MBG/NBD: its fit, not a second one */
        tmp = *k1;
        for (int i = 0; i < 4; i++) p[i] = k1->model.param[i], th[i] = log(p[i]);
      } else {
        if ((rc = run_opt(&ob, th, o, &tmp))) goto out;
        for (int i = 0; i < 4; i++) p[i] = exp(th[i]);
      }
      res->iterations += tmp.iterations;
      res->n_evals += tmp.n_evals;
      double ll = rouse__eval_ll(&e, p, g);
      if (o->litt) ll += (k - 1) * slitt - sxk * rouse__lgamma(k);
      res->loglik_k[k] = ll;
      memcpy(prev_th, th, sizeof th);
      have_prev = 1;
      if (ll > best_ll) {
        best_ll = ll;
        best_k = k;
        memcpy(best_th, th, sizeof th);
        res->stop = tmp.stop;
        res->converged = tmp.converged;
        res->grad_norm = tmp.grad_norm;
        worse = 0;
      } else if (++worse >= 2) {
        break;
      }
    }
    rouse__eval_release(&e);
    if ((rc = rouse__eval_init(&e, kind, best_k, &d, pool))) goto out;
    res->model.k = best_k;
    for (int i = 0; i < 4; i++) res->model.param[i] = exp(best_th[i]);
    fill_stats(res, best_ll, o->k ? 4 : 5, d.W);
    struct obj ob = {&e, NULL, 4, d.W};
    if (!o->no_se) standard_errors(&ob, best_th, res);
  }
out:
  rouse__eval_release(&e);
  rouse__pool_free(pool);
  rouse__mdata_release(&d);
  return rc;
}

int rouse_model_fit_spend(const double *x, const double *spend, size_t n,
                          const rouse_fit_opts *o, rouse_fit_result *res) {
  int rc = check_common(o, res);
  if (rc) return rc;
  reset_result(res);
  if (!x || !spend) return n ? ROUSE_MISUSE : ROUSE_EMPTY;
  struct rouse__gg gg;
  struct rouse_pool *pool = NULL;
  rc = rouse__gg_init(&gg, x, spend, n);
  if (rc) return rc;
  res->n_skipped = n - gg.n;
  res->n_customers = (double)gg.n;
  res->n_unique = gg.n;
  rouse_model_init(&res->model, ROUSE_MODEL_GG);
  if (gg.n < 2) {
    rc = ROUSE_EMPTY;
    goto out;
  }
  if ((rc = rouse__pool_new(o->n_threads, &pool))) goto out;
  gg.pool = pool;
  double par[3], th[3];
  if (o->start) memcpy(par, o->start, sizeof par);
  else rouse__gg_start(&gg, par);
  for (int i = 0; i < 3; i++) th[i] = log(par[i] > 0 ? par[i] : 1);
  struct obj ob = {NULL, &gg, 3, (double)gg.n};
  if ((rc = run_opt(&ob, th, o, res))) goto out;
  for (int i = 0; i < 3; i++) res->model.param[i] = exp(th[i]);
  double g[3];
  fill_stats(res, rouse__gg_ll(&gg, res->model.param, g), 3, (double)gg.n);
  if (!o->no_se) standard_errors(&ob, th, res);
out:
  rouse__pool_free(pool);
  rouse__gg_release(&gg);
  return rc;
}

int rouse_model_loglik(const rouse_model *m, const double *x, const double *t_x,
                       const double *T, const double *litt, size_t n, double *out) {
  if (!m || !out || m->struct_size < sizeof *m || !x) return ROUSE_MISUSE;
  *out = 0;
  if (n == 0) return ROUSE_OK;
  if (m->kind == ROUSE_MODEL_GG) {
    struct rouse__gg gg;
    int rc = rouse__gg_init(&gg, x, t_x, n);
    if (rc) return rc;
    double g[3];
    *out = rouse__gg_ll(&gg, m->param, g);
    rouse__gg_release(&gg);
    return ROUSE_OK;
  }
  if (m->kind < 1 || m->kind > 4 || m->k < 1 || m->k > ROUSE_MODEL_MAX_K) return ROUSE_MISUSE;
  for (int i = 0; i < 4; i++)
    if (!(m->param[i] > 0) || !isfinite(m->param[i])) return ROUSE_MISUSE;
  struct rouse__mdata d;
  int rc = rouse__mdata_build(x, t_x, T, n, &d, NULL);
  if (rc) return rc;
  struct rouse__eval e;
  rc = rouse__eval_init(&e, m->kind, m->kind == ROUSE_MODEL_MBGCNBD ? m->k : 1, &d, NULL);
  if (rc == ROUSE_OK) {
    double g[4];
    *out = rouse__eval_ll(&e, m->param, g);
    if (litt && m->kind == ROUSE_MODEL_MBGCNBD)
      for (size_t i = 0; i < n; i++) *out += (m->k - 1) * litt[i] - floor(x[i]) * rouse__lgamma(m->k);
  }
  rouse__eval_release(&e);
  rouse__mdata_release(&d);
  return rc;
}
