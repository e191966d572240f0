/* SPDX-License-Identifier: MIT
 * L-BFGS (two-loop recursion, Nocedal & Wright 2006 alg. 7.4) with a line search that
 * enforces the strong Wolfe conditions (alg. 3.5 with the zoom of alg. 3.6, safeguarded
 * cubic interpolation). Written for 2 to 5 variables; the workspace is carved from one
 * caller-provided block, so nothing is allocated while iterating. Non-finite objective values
 * are treated as +infinity and make the line search step back. */
#include "optim.h"

#include <math.h>
#include <string.h>

#define C1 1e-4  /* sufficient decrease */
#define C2 0.9   /* curvature (0.9 is the usual choice for quasi-Newton) */
#define MAX_LS 60

void rouse__optim_opts_init(struct rouse__optim_opts *o) {
  memset(o, 0, sizeof *o);
  o->max_iter = 500;
  o->m = 8;
  o->gtol = 1e-9;
  o->ftol = 1e-15;
  o->max_step = 5;
}

size_t rouse__optim_workspace_size(int n, int m) {
  /* x0 g0 d xt gt + s[m] y[m] + rho[m] alpha[m] */
  return sizeof(double) * ((size_t)n * (5 + 2 * (size_t)m) + 2 * (size_t)m);
}

struct ls_ctx {
  int n;
  rouse__optim_fn fn;
  void *ctx;
  const double *x0, *d;
  double *xt, *gt;
  int *n_evals;
};

/* phi(a) = f(x0 + a d); writes phi'(a) */
static double phi_eval(struct ls_ctx *c, double a, double *dphi) {
  for (int i = 0; i < c->n; i++) c->xt[i] = c->x0[i] + a * c->d[i];
  double f = c->fn(c->ctx, c->xt, c->gt);
  (*c->n_evals)++;
  double dp = 0;
  for (int i = 0; i < c->n; i++) dp += c->gt[i] * c->d[i];
  if (!isfinite(f) || !isfinite(dp)) {
    *dphi = NAN;
    return INFINITY;
  }
  *dphi = dp;
  return f;
}

/* minimiser of the cubic through (a, fa, da), (b, fb, db), safeguarded into the middle 80%
 * of the interval; bisection when the data are not usable */
static double cubic_step(double a, double fa, double da, double b, double fb, double db) {
  double lo = a < b ? a : b, hi = a < b ? b : a, w = hi - lo;
  double t = (a + b) / 2;
  if (isfinite(fb) && isfinite(db)) {
    double d1 = da + db - 3 * (fa - fb) / (a - b);
    double disc = d1 * d1 - da * db;
    if (disc >= 0) {
      double d2 = copysign(sqrt(disc), b - a);
      double den = db - da + 2 * d2;
      if (den != 0) t = b - (b - a) * (db + d2 - d1) / den;
    }
  }
  if (!(t >= lo + 0.1 * w && t <= hi - 0.1 * w)) t = (a + b) / 2;
  return t;
}

/* Strong Wolfe line search. On success returns 1 with xt/gt holding the accepted point and
 * *f_out its value; returns 0 when no acceptable point was found (xt/gt then hold the best
 * decreasing point if any, flagged by *f_out < f0). */
static int line_search(struct ls_ctx *c, double f0, double dphi0, double a1, double a_max,
                       double *f_out, double *a_out) {
  double a_prev = 0, f_prev = f0, d_prev = dphi0;
  double a = a1;
  double best_f = f0, best_a = 0;
  for (int it = 0; it < MAX_LS; it++) {
    double da;
    double fa = phi_eval(c, a, &da);
    if (fa < best_f) {
      best_f = fa;
      best_a = a;
    }
    double lo, flo, dlo, hi, fhi, dhi;
    if (fa > f0 + C1 * a * dphi0 || (it > 0 && fa >= f_prev)) {
      lo = a_prev, flo = f_prev, dlo = d_prev, hi = a, fhi = fa, dhi = da;
      goto zoom;
    }
    if (fabs(da) <= -C2 * dphi0) {
      *f_out = fa;
      *a_out = a;
      return 1;
    }
    if (da >= 0) {
      lo = a, flo = fa, dlo = da, hi = a_prev, fhi = f_prev, dhi = d_prev;
      goto zoom;
    }
    if (a >= a_max) { /* cannot go further: accept the sufficient decrease */
      *f_out = fa;
      *a_out = a;
      return 1;
    }
    a_prev = a, f_prev = fa, d_prev = da;
    a = a * 4 < a_max ? a * 4 : a_max;
    continue;
  zoom:
    for (int z = it; z < MAX_LS; z++) {
      double aj = cubic_step(lo, flo, dlo, hi, fhi, dhi);
      if (fabs(hi - lo) <= 1e-16 * (1 + fabs(lo))) break;
      double dj;
      double fj = phi_eval(c, aj, &dj);
      if (fj < best_f) {
        best_f = fj;
        best_a = aj;
      }
      if (fj > f0 + C1 * aj * dphi0 || fj >= flo) {
        hi = aj, fhi = fj, dhi = dj;
      } else {
        if (fabs(dj) <= -C2 * dphi0) {
          *f_out = fj;
          *a_out = aj;
          return 1;
        }
        if (dj * (hi - lo) >= 0) hi = lo, fhi = flo, dhi = dlo;
        lo = aj, flo = fj, dlo = dj;
      }
    }
    break;
  }
  /* no Wolfe point: fall back to the best decrease seen, if any */
  if (best_f < f0) {
    double dd;
    *f_out = phi_eval(c, best_a, &dd);
    *a_out = best_a;
    return 2;
  }
  return 0;
}

static double max_abs(const double *v, int n) {
  double m = 0;
  for (int i = 0; i < n; i++) {
    double a = fabs(v[i]);
    if (!(a <= m)) m = a; /* NaN propagates as "large" */
  }
  return m;
}

int rouse__optim_lbfgs(int n, double *x, rouse__optim_fn fn, void *ctx,
                       const struct rouse__optim_opts *o, void *work,
                       struct rouse__optim_result *res) {
  memset(res, 0, sizeof *res);
  if (n < 1 || !x || !fn || !o || !work || o->m < 1 || o->max_iter < 1) return ROUSE_MISUSE;
  int m = o->m;
  double *g = work, *d = g + n, *xt = d + n, *gt = xt + n, *xs = gt + n;
  double *S = xs + n, *Y = S + (size_t)n * m, *rho = Y + (size_t)n * m, *al = rho + m;
  int n_evals = 0;
  double f = fn(ctx, x, g);
  n_evals++;
  res->n_evals = n_evals;
  if (!isfinite(f) || !isfinite(max_abs(g, n))) {
    res->f = f;
    res->gnorm = INFINITY;
    res->stop = ROUSE_FIT_STALLED;
    return ROUSE_DOMAIN;
  }
  int k = 0, head = 0; /* pairs stored, next slot */
  int iter = 0;
  int stop = ROUSE_FIT_NONE;
  double gnorm = max_abs(g, n);
  double gamma = 1;
  struct ls_ctx lc = {n, fn, ctx, xs, d, xt, gt, &n_evals};
  for (;;) {
    if (gnorm <= o->gtol) {
      stop = ROUSE_FIT_GTOL;
      break;
    }
    if (iter >= o->max_iter) {
      stop = ROUSE_FIT_MAXITER;
      break;
    }
    /* d = -H g (two-loop recursion) */
    for (int i = 0; i < n; i++) d[i] = -g[i];
    for (int j = 0; j < k; j++) {
      int s = (head - 1 - j + m) % m;
      double a = 0;
      for (int i = 0; i < n; i++) a += S[s * n + i] * d[i];
      a *= rho[s];
      al[s] = a;
      for (int i = 0; i < n; i++) d[i] -= a * Y[s * n + i];
    }
    for (int i = 0; i < n; i++) d[i] *= gamma;
    for (int j = k - 1; j >= 0; j--) {
      int s = (head - 1 - j + m) % m;
      double b = 0;
      for (int i = 0; i < n; i++) b += Y[s * n + i] * d[i];
      b *= rho[s];
      for (int i = 0; i < n; i++) d[i] += S[s * n + i] * (al[s] - b);
    }
    double dphi0 = 0;
    for (int i = 0; i < n; i++) dphi0 += g[i] * d[i];
    if (!(dphi0 < 0)) { /* not a descent direction: restart with steepest descent */
      k = 0;
      gamma = 1;
      for (int i = 0; i < n; i++) d[i] = -g[i];
      dphi0 = 0;
      for (int i = 0; i < n; i++) dphi0 -= g[i] * g[i];
    }
    if (-dphi0 <= 0x1p-50 * (fabs(f) > 1 ? fabs(f) : 1)) {
      /* the decrease a unit step promises is within a few ulps of f: a line search could only
       * compare rounding noise (and would spend up to MAX_LS evaluations doing so). Drop the
       * memory once, then stop: converged if the gradient is tiny, as below. */
      if (k > 0) {
        k = 0;
        gamma = 1;
        continue;
      }
      stop = gnorm <= 1e-6 ? ROUSE_FIT_FTOL : ROUSE_FIT_STALLED;
      break;
    }
    double dmax = max_abs(d, n);
    double a_max = dmax > 0 ? o->max_step / dmax : 1;
    double a1 = iter == 0 && k == 0 ? (1 / dmax < a_max ? 1 / dmax : a_max) : 1;
    if (a1 > a_max) a1 = a_max;
    memcpy(xs, x, sizeof *x * (size_t)n);
    double fn_new = f, astep = 0;
    int ok = line_search(&lc, f, dphi0, a1, a_max, &fn_new, &astep);
    if (!ok) {
      if (k > 0) { /* drop the memory once before giving up */
        k = 0;
        gamma = 1;
        continue;
      }
      /* no decrease is representable any more: converged if the gradient is tiny */
      stop = gnorm <= 1e-6 ? ROUSE_FIT_FTOL : ROUSE_FIT_STALLED;
      break;
    }
    iter++;
    /* s = xt - x, y = gt - g */
    double *sv = S + (size_t)head * n, *yv = Y + (size_t)head * n;
    double sy = 0, yy = 0, ss = 0;
    for (int i = 0; i < n; i++) {
      sv[i] = xt[i] - x[i];
      yv[i] = gt[i] - g[i];
      sy += sv[i] * yv[i];
      yy += yv[i] * yv[i];
      ss += sv[i] * sv[i];
    }
    double f_old = f;
    memcpy(x, xt, sizeof *x * (size_t)n);
    memcpy(g, gt, sizeof *g * (size_t)n);
    f = fn_new;
    gnorm = max_abs(g, n);
    if (sy > 1e-12 * sqrt(ss * yy) && yy > 0) {
      rho[head] = 1 / sy;
      gamma = sy / yy;
      head = (head + 1) % m;
      if (k < m) k++;
    }
    if (o->progress && o->progress(o->progress_ctx, iter, f, gnorm)) {
      stop = ROUSE_FIT_CANCELLED;
      break;
    }
    if (gnorm <= o->gtol) {
      stop = ROUSE_FIT_GTOL;
      break;
    }
    if (fabs(f_old - f) <= o->ftol * (fabs(f) > 1 ? fabs(f) : 1) && ok == 1) {
      stop = ROUSE_FIT_FTOL;
      break;
    }
    if (ok == 2 && f_old - f <= 1e-16 * (fabs(f) > 1 ? fabs(f) : 1)) {
      stop = gnorm <= 1e-6 ? ROUSE_FIT_FTOL : ROUSE_FIT_STALLED;
      break;
    }
  }
  res->iterations = iter;
  res->n_evals = n_evals;
  res->f = f;
  res->gnorm = gnorm;
  res->stop = stop;
  return ROUSE_OK;
}
