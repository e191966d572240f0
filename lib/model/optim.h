/* SPDX-License-Identifier: MIT
 * L-BFGS minimiser with a strong-Wolfe line search (Nocedal & Wright 2006, algorithms 7.4,
 * 3.5 and 3.6), for the small smooth problems of the model module (2 to 5 parameters on a
 * log scale). It reports why it stopped (GTOL, FTOL, MAXITER, STALLED, CANCELLED) and lets a
 * progress callback cancel. The caller provides one workspace of
 * rouse__optim_workspace_size() bytes; the iteration loop allocates nothing. Not for
 * constrained or non-smooth problems. */
#ifndef ROUSE_MODEL_OPTIM_H
#define ROUSE_MODEL_OPTIM_H

#include <stddef.h>

#include "rouse/rouse.h"

/* objective: returns f(x) and writes the gradient to g (n values). May return a non-finite
 * value for points where f is not defined; the line search then steps back. */
typedef double (*rouse__optim_fn)(void *ctx, const double *x, double *g);

struct rouse__optim_opts {
  int max_iter;       /* iterations (line searches), >= 1 */
  int m;              /* correction pairs kept, 1..32 */
  double gtol;        /* stop when max |g_i| <= gtol */
  double ftol;        /* stop when |f_k-1 − f_k| <= ftol * max(1, |f_k|) */
  double max_step;    /* largest move of any coordinate in one line search */
  rouse_fit_progress_fn progress; /* may be NULL; nonzero return cancels */
  void *progress_ctx;
};

struct rouse__optim_result {
  int iterations;     /* completed line searches */
  int n_evals;        /* objective evaluations */
  double f;           /* final objective */
  double gnorm;       /* final max |g_i| */
  int stop;           /* rouse_fit_stop */
};

void rouse__optim_opts_init(struct rouse__optim_opts *o);
/* bytes of workspace for n variables and m pairs */
size_t rouse__optim_workspace_size(int n, int m);
/* rouse__optim_lbfgs() : minimise fn from x (n values, updated in place to the best point).
 * `work` must hold rouse__optim_workspace_size(n, o->m) bytes, aligned for double.
 * @return ROUSE_OK (the outcome is in res->stop), or ROUSE_MISUSE for bad arguments or a
 * non-finite objective at the starting point (ROUSE_DOMAIN). */
int rouse__optim_lbfgs(int n, double *x, rouse__optim_fn fn, void *ctx,
                       const struct rouse__optim_opts *o, void *work,
                       struct rouse__optim_result *res);

#endif
