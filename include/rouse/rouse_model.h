/* SPDX-License-Identifier: MIT
 * Purchase and spend models (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k, Gamma-Gamma): maximum
 * likelihood fits with diagnostics, and per-customer predictions. Columns in, numbers out:
 * these functions know nothing about files, dates or customer ids. Included by
 * <rouse/rouse.h>; do not include directly. Formulas and assumptions: docs/models.md.
 *
 * Inputs are the summary columns of rouse_summary (x = repeat purchase days, t_x = time of
 * the last purchase and T = length of the observed history, both from the first purchase, in
 * one time unit). The unit is the caller's choice (days or weeks); the fitted scale
 * parameters (alpha, beta, gamma aside) are in that unit, and predictions use the same unit.
 *
 * Threading: every function is reentrant; fit and predict run `n_threads` worker threads
 * internally (0 = all CPUs) and give bit-identical results for any thread count.
 * Outcomes are not errors: a fit that stops without converging returns ROUSE_OK with
 * `converged` = 0 and the stop reason; the caller decides what to do with it. */
#ifndef ROUSE_MODEL_H
#define ROUSE_MODEL_H

#ifdef __cplusplus
extern "C" {
#endif

/*=====================================================================
 * Models
 *====================================================================*/
typedef enum rouse_model_kind {
  ROUSE_MODEL_BGNBD = 1,   /* Fader, Hardie & Lee (2005): r, alpha, a, b */
  ROUSE_MODEL_MBGNBD = 2,  /* Batislam, Denizel & Filiztekin (2007): r, alpha, a, b */
  ROUSE_MODEL_PNBD = 3,    /* Schmittlein, Morrison & Colombo (1987): r, alpha, s, beta */
  ROUSE_MODEL_MBGCNBD = 4, /* Reutterer, Platzer & Schröder (2021): r, alpha, a, b; k */
  ROUSE_MODEL_GG = 5       /* Fader & Hardie (2013) Gamma-Gamma spend: p, q, gamma */
} rouse_model_kind;

#define ROUSE_MODEL_MAX_PARAMS 5
#define ROUSE_MODEL_MAX_K 12 /* largest Erlang order tried by MBG/CNBD-k */

/* rouse_model_name() : "bgnbd", "mbgnbd", "pnbd", "mbgcnbd", "gg"; NULL if not a kind.
 * rouse_model_kind_from_name() : the kind for such a name, or 0. Static strings. */
ROUSE_API const char *rouse_model_name(int kind);
ROUSE_API int rouse_model_kind_from_name(const char *name);
/* rouse_model_n_params() : number of continuous parameters (4, or 3 for gg; 0 if not a kind).
 * rouse_model_param_name() : names as in the papers ("r", "alpha", "a", "b", "s", "beta",
 * "p", "q", "gamma"); NULL when out of range. Static strings. */
ROUSE_API int rouse_model_n_params(int kind);
ROUSE_API const char *rouse_model_param_name(int kind, int i);

/* A fitted (or hand-written) model: what predictions need. Value struct. */
typedef struct rouse_model {
  size_t struct_size;                   /* sizeof(rouse_model), set by rouse_model_init */
  int kind;                             /* rouse_model_kind */
  int k;                                /* Erlang order of MBG/CNBD-k; 1 for other kinds */
  int n_params;
  double param[ROUSE_MODEL_MAX_PARAMS]; /* in the order of rouse_model_param_name */
} rouse_model;

/* rouse_model_init() : zero parameters, k = 1, n_params for the kind. */
ROUSE_API void rouse_model_init(rouse_model *m, int kind);

/*=====================================================================
 * Fitting
 *====================================================================*/
typedef enum rouse_fit_stop {
  ROUSE_FIT_NONE = 0,
  ROUSE_FIT_GTOL = 1,     /* gradient small enough: converged */
  ROUSE_FIT_FTOL = 2,     /* no further relative decrease: converged */
  ROUSE_FIT_MAXITER = 3,  /* iteration limit reached */
  ROUSE_FIT_STALLED = 4,  /* the line search found no better point */
  ROUSE_FIT_CANCELLED = 5, /* the progress callback asked to stop */
  ROUSE_FIT_BOUNDARY = 6   /* the optimiser stalled far out on the ridge where Pareto/NBD's s
                              and beta (BG/NBD's, MBG/NBD's a and b) grow together (the
                              likelihood's supremum is the limit of one dropout rate, or
                              dropout probability, for every customer): converged, the
                              parameters are the last point on that ridge (docs/models.md) */
} rouse_fit_stop;

/* "gtol", "ftol", "maxiter", "stalled", "cancelled", "boundary" ("none" for 0). Static. */
ROUSE_API const char *rouse_fit_stop_name(int stop);

/* Called once per optimiser iteration with the mean negative log-likelihood per customer and
 * the largest gradient component (log-parameter scale). Return nonzero to cancel. */
typedef int (*rouse_fit_progress_fn)(void *ctx, int iteration, double f, double grad_norm);

typedef struct rouse_fit_opts {
  size_t struct_size;     /* sizeof(rouse_fit_opts), set by rouse_fit_opts_init */
  int n_threads;          /* 0 = all CPUs, 1 = serial */
  int max_iter;           /* optimiser iterations (default 500) */
  double gtol;            /* convergence: max |gradient| of the mean log-likelihood on the
                             log-parameter scale (default 1e-9) */
  double ftol;            /* convergence: relative change of the objective (default 1e-15) */
  int k;                  /* MBG/CNBD-k: 0 = choose k in 1..k_max by likelihood (needs
                             litt), >= 1 = fixed k */
  int k_max;              /* default 8, at most ROUSE_MODEL_MAX_K */
  const double *litt;     /* MBG/CNBD-k: per customer Σ log(inter-purchase time) in the unit
                             (0 when x = 0); may be NULL when k is fixed */
  const double *start;    /* NULL, or n_params starting values */
  int no_se;              /* 1: skip the Hessian and standard errors */
  rouse_fit_progress_fn progress; /* may be NULL */
  void *progress_ctx;
  /* MBG/CNBD-k with k chosen (k = 0): NULL, or a converged MBG/NBD fit of the same rows with
   * the same options. MBG/CNBD-1 is MBG/NBD, so that fit is taken as the k = 1 candidate
   * instead of being fitted again (the same parameters and log-likelihood). */
  const struct rouse_fit_result *k1_fit;
} rouse_fit_opts;

/* Defaults as documented above. */
ROUSE_API void rouse_fit_opts_init(rouse_fit_opts *o);

typedef struct rouse_fit_result {
  size_t struct_size;          /* sizeof(rouse_fit_result); set by the caller or _init */
  rouse_model model;           /* fitted parameters */
  double se[ROUSE_MODEL_MAX_PARAMS]; /* standard errors (delta method from the Hessian of the
                                  log-likelihood on the log scale); NaN if not available */
  double loglik;               /* maximised log-likelihood (full, constants included) */
  double aic, bic;             /* 2k − 2LL, k log(n) − 2LL (k counts MBG/CNBD-k's order) */
  double n_customers;          /* customers used */
  size_t n_unique;             /* distinct (x, t_x, T) rows after compression */
  size_t n_skipped;            /* rows not used (Gamma-Gamma: x = 0 or spend <= 0) */
  int iterations;              /* optimiser iterations (all k for MBG/CNBD-k) */
  int n_evals;                 /* likelihood evaluations */
  double grad_norm;            /* final max |gradient| (mean log-likelihood, log scale) */
  int stop;                    /* rouse_fit_stop */
  int converged;               /* 1 when stop is GTOL or FTOL */
  int se_ok;                   /* 1 when the Hessian was negative definite */
  double loglik_k[ROUSE_MODEL_MAX_K + 1]; /* MBG/CNBD-k: LL for each k tried, else NaN */
} rouse_fit_result;

ROUSE_API void rouse_fit_result_init(rouse_fit_result *r);

/* rouse_model_fit() : maximum likelihood fit of a purchase model (BG/NBD, MBG/NBD,
 * Pareto/NBD, MBG/CNBD-k) to n customers. x, t_x, T are borrowed for the call; rows must have
 * x >= 0, 0 <= t_x <= T, finite values (x is a count: non-integers are rounded down), and
 * t_x > 0 when x > 0. The input is compressed to distinct (x, t_x, T) rows with weights.
 * @return ROUSE_OK (the outcome, converged or not, is in *res), ROUSE_MISUSE (NULL
 * arguments, struct_size too small, wrong kind, a row outside the domain), ROUSE_EMPTY (n = 0),
 * ROUSE_NOMEM. */
ROUSE_API int rouse_model_fit(int kind, const double *x, const double *t_x, const double *T,
                              size_t n, const rouse_fit_opts *o, rouse_fit_result *res);

/* rouse_model_fit_spend() : Gamma-Gamma fit of mean spend per repeat purchase. Uses the rows
 * with x >= 1 and spend > 0 (others are counted in n_skipped). spend = mean amount of the x
 * repeat purchases (rouse_summary.mean_repeat). @return as rouse_model_fit; ROUSE_EMPTY when
 * fewer than 2 rows are usable. */
ROUSE_API int rouse_model_fit_spend(const double *x, const double *spend, size_t n,
                                    const rouse_fit_opts *o, rouse_fit_result *res);

/* rouse_model_loglik() : log-likelihood of the model at its parameters for the given rows
 * (purchase models: x, t_x, T; gg: x and spend in t_x, T ignored). For MBG/CNBD-k litt may
 * be NULL (the Σ log-interval term is then left out). @return ROUSE_OK or ROUSE_MISUSE. */
ROUSE_API int rouse_model_loglik(const rouse_model *m, const double *x, const double *t_x,
                                 const double *T, const double *litt, size_t n,
                                 double *out_loglik);

/*=====================================================================
 * Predictions
 *====================================================================*/
/* rouse_model_predict() : per customer, for a purchase model and a horizon t (in the unit):
 *   p_alive[i]  P(the customer is still active at T)
 *   expected[i] E[number of purchases in (T, T+t] | x, t_x, T]
 *   p_zero[i]   P(no purchase in (T, T+t] | x, t_x, T), counting both "no longer active"
 *               and "active but quiet" (one-time buyers included)
 * Any output pointer may be NULL. Outputs are finite for every valid row and parameter.
 * MBG/CNBD-k with k > 1: expected and p_zero are exact for the Erlang-k process (phases
 * already completed since the last purchase included), see docs/models.md.
 * @return ROUSE_OK, ROUSE_MISUSE (not a purchase model, bad row or t < 0), ROUSE_NOMEM. */
ROUSE_API int rouse_model_predict(const rouse_model *m, const double *x, const double *t_x,
                                  const double *T, size_t n, double t, int n_threads,
                                  double *p_alive, double *expected, double *p_zero);

/* rouse_model_expected_spend() : Gamma-Gamma expected spend per future purchase given x
 * repeat purchases of mean `spend` (x = 0 gives the population mean p·gamma/(q−1)). When
 * q <= 1 the population mean is infinite; q is then taken as 1 + 1e-3 (documented limit).
 * @return ROUSE_OK or ROUSE_MISUSE (not a gg model). */
ROUSE_API int rouse_model_expected_spend(const rouse_model *gg, const double *x,
                                         const double *spend, size_t n, double *out);

/* rouse_model_clv() : discounted value of the purchases in (T, T+horizon]: the expected
 * purchases of each of `n_steps` equal steps times value[i] (expected spend per purchase),
 * discounted by (1 + rate)^-(step end), `rate` per unit of time. @return as predict. */
ROUSE_API int rouse_model_clv(const rouse_model *m, const double *x, const double *t_x,
                              const double *T, const double *value, size_t n, double horizon,
                              int n_steps, double rate, int n_threads, double *out);

/* rouse_model_expected_new() : E[X(t)] for a customer who has just made a first purchase
 * (repeat purchases in (0, t]). @return the value (finite), or NaN for a non-purchase model. */
ROUSE_API double rouse_model_expected_new(const rouse_model *m, double t);

/* rouse_model_tracking() : expected cumulative repeat purchases of a cohort over time (the
 * tracking curve): out[j] = Σ_i E[X(grid[j] − birth[i])] over customers with
 * birth[i] < grid[j], where birth[i] is the time of the first purchase on the grid's clock.
 * @return ROUSE_OK, ROUSE_MISUSE, ROUSE_NOMEM. */
ROUSE_API int rouse_model_tracking(const rouse_model *m, const double *birth, size_t n,
                                   const double *grid, size_t n_grid, double *out);

/* rouse_model_tracking_periods() : the same curve for a cohort counted per period, as
 * increments: births[w] customers make their first purchase at the middle of period w
 * (w = 0 .. n - 1, periods of `period` model time units each: 1 for weeks in a weekly model,
 * 7 in a daily one), and out[j] = their expected repeat purchases within period j. The
 * running sum of out equals rouse_model_tracking with those births on a grid of period ends.
 * Every customer's expectation depends only on the time since birth, so this takes n model
 * evaluations and n² / 2 additions, not one evaluation per distinct birth and period.
 * @return ROUSE_OK, ROUSE_MISUSE (NULL, non-purchase model, period not > 0), ROUSE_DOMAIN
 * (the model gives a non-finite expectation), ROUSE_NOMEM. */
ROUSE_API int rouse_model_tracking_periods(const rouse_model *m, const uint64_t *births,
                                           size_t n, double period, double *out);

/*=====================================================================
 * Prediction output
 *====================================================================*/
/* rouse_predict_write_csv() : per-customer predictions as CSV, the output of `rouse predict`:
 * a header, then one row per customer of s, in the order of s:
 *   customer_id,x,t_x,T,p_alive,expected_purchases,p_no_purchase[,expected_spend,clv]
 * p_alive, expected and p_zero (from rouse_model_predict) have s->n values each; spend
 * (rouse_model_expected_spend) and clv (rouse_model_clv) are both NULL (no value columns)
 * or both given. All arrays are borrowed for the call and indexed like s.
 * Formats, the bytes of C's printf in the "C" locale: ids quoted as in RFC 4180 when they
 * hold a comma, quote or line end; x an integer; t_x and T (s's unit) "%.0f" for days and
 * "%.6f" for weeks; p_alive, expected_purchases, p_no_purchase "%.6f"; expected_spend and
 * clv "%.2f". Blocks of rows are formatted in parallel on `n_threads` worker threads
 * (0 = all CPUs) and passed to `write` in order: the bytes are the same at any thread count.
 * Writes no files itself. @return ROUSE_OK, ROUSE_MISUSE (NULL s, write or columns, or only
 * one of spend and clv), ROUSE_IO (write returned nonzero; output stops there), ROUSE_NOMEM. */
ROUSE_API int rouse_predict_write_csv(const rouse_summary *s, const double *p_alive,
                                      const double *expected, const double *p_zero,
                                      const double *spend, const double *clv,
                                      rouse_write_fn write, void *ctx, int n_threads);

#ifdef __cplusplus
}
#endif

#endif /* ROUSE_MODEL_H */
