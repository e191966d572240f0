/* SPDX-License-Identifier: MIT
 * Private header of the gbm module: gradient-boosted trees for one binary label ("will this
 * customer purchase within the horizon"), a thin wrapper around XGBoost's C API (1.7,
 * Debian libxgboost-dev). Dense float features, NaN = missing. design: docs/design/gbm.md.
 *
 * DETERMINISM. Training always runs XGBoost with one thread: its histogram reduction adds
 * per-thread partial sums, whose grouping depends on the thread count. Row subsampling and
 * column sampling are seeded from params.seed and reseeded every round, so equal inputs and
 * parameters give the same trees in any thread, at any time. Prediction splits the rows into
 * fixed blocks, predicted on our own threads (lib/base pool) with one XGBoost thread each:
 * every probability is computed by the same code whatever the thread count, so outputs are
 * bit-identical for any n_threads. XGBoost's OpenMP never starts a thread.
 *
 * SILENCE. XGBoost 1.7 keeps its verbosity per thread. Every function below sets it to 0 for
 * the calling thread while it runs and restores the previous value on return; the worker
 * threads it starts are silenced the same way. No process-wide state is changed.
 *
 * THREADS. A model is read-only after training or loading: rouse__gbm_predict,
 * rouse__gbm_importance, rouse__gbm_save and rouse__gbm_n_trees may run concurrently on one
 * model (XGBoost's in-place prediction is thread-safe). rouse__gbm_free must not overlap any
 * of them. Different models, and trainings in different threads, are independent.
 *
 * MEMORY. XGBoost allocates with operator new/malloc, not through rouse_set_allocator; only
 * the handle, buffers returned to the caller and per-call bookkeeping use rouse__malloc.
 * Training peaks at about 330 bytes per training row with 20 features (63 MB for 200k rows)
 * inside XGBoost, on top of the caller's arrays, and releases it before returning; the model
 * keeps only its trees (about 2.5 KB per depth-4 tree: 0.4 MB for 150).
 *
 * ERRORS. ROUSE_MISUSE for NULL pointers, sizes or parameters out of range; ROUSE_EMPTY when
 * there is nothing to learn (no rows, zero total weight, or a single class); ROUSE_DOMAIN for
 * data outside the model's domain (label not 0/1, NaN/negative weight, infinite feature);
 * ROUSE_NOMEM; ROUSE_IO when XGBoost itself reports a failure (its message goes to err). */
#ifndef ROUSE_GBM_H
#define ROUSE_GBM_H

#include <stddef.h>
#include <stdint.h>

/* rows per prediction task: the unit of work of the worker threads (results do not depend
 * on it) */
#define ROUSE__GBM_BLOCK_ROWS 8192

/* Parameters: fill with rouse__gbm_params_init(), then change what you need. Valid ranges
 * are checked by rouse__gbm_train (ROUSE_MISUSE outside them). */
typedef struct rouse_gbm_params {
  int n_trees;             /* boosting rounds, 1..100000; default 150 */
  int max_depth;           /* 1..16; default 4 */
  double eta;              /* learning rate, (0, 1]; default 0.08 */
  double min_child_weight; /* minimum hessian sum in a leaf, >= 0; default 5 */
  double lambda;           /* L2 regularisation of leaf weights, >= 0; default 1 */
  double subsample;        /* row fraction per tree, (0, 1]; default 1 (no sampling) */
  double colsample;        /* feature fraction per tree, (0, 1]; default 1 */
  int max_bin;             /* histogram bins per feature, 2..256; default 256 */
  int early_stop;          /* stop after this many rounds without a lower eval logloss and
                              keep the best prefix; 0 = off; ignored without an eval set */
  uint64_t seed;           /* sampling seed (folded to 31 bits for XGBoost); default 0 */
} rouse_gbm_params;

/* rouse__gbm_params_init() : the defaults above. */
void rouse__gbm_params_init(rouse_gbm_params *p);

/* A trained binary:logistic booster (opaque; wraps the XGBoost BoosterHandle). */
typedef struct rouse_gbm rouse_gbm;

/* rouse__gbm_train() : train on n rows of nf features.
 *   X       n x nf floats, row-major; NaN = missing (learned default direction); +-Inf is
 *           ROUSE_DOMAIN.
 *   y       n labels, each exactly 0 or 1.
 *   w       n non-negative finite row weights, or NULL for 1.
 *   eval_X, eval_y, eval_n: an optional held-out set (eval_n rows, same nf) for early
 *           stopping; eval_n == 0 means none (the pointers are then ignored).
 *   p       parameters, or NULL for the defaults.
 *   out     OUT: the model, owned by the caller (rouse__gbm_free); NULL on failure.
 *   err     OUT (optional, errlen bytes): a message on failure, "" on success.
 * Objective binary:logistic, tree_method hist, base_score = the weighted label mean (so the
 * mean prediction starts calibrated). With an eval set and p->early_stop > 0, training stops
 * when the eval logloss has not improved for early_stop rounds and the model keeps the
 * rounds up to the best one. The inputs are not modified or kept.
 * @return ROUSE_OK, ROUSE_MISUSE, ROUSE_EMPTY, ROUSE_DOMAIN, ROUSE_LIMIT (n * nf overflows),
 *         ROUSE_NOMEM, ROUSE_IO (XGBoost failure). */
int rouse__gbm_train(const float *X, const float *y, const float *w, size_t n, size_t nf,
                     const float *eval_X, const float *eval_y, size_t eval_n,
                     const rouse_gbm_params *p, rouse_gbm **out, char *err, size_t errlen);

/* rouse__gbm_train_offset() : the same, boosting from a per-row offset (a prior log-odds,
 * e.g. a purchase model's logit): the trees learn a correction to it, so with few rows the
 * model stays close to the prior. offset has n finite entries; eval_offset eval_n (required
 * with an eval set). base_score is then 0.5 (margin 0). Such a model must be used with
 * rouse__gbm_predict_offset; saved models do not record the flag (use rouse__gbm_save only
 * for models without offsets). @return as rouse__gbm_train; ROUSE_DOMAIN for a non-finite
 * offset. */
int rouse__gbm_train_offset(const float *X, const float *y, const float *w,
                            const float *offset, size_t n, size_t nf, const float *eval_X,
                            const float *eval_y, const float *eval_offset, size_t eval_n,
                            const rouse_gbm_params *p, rouse_gbm **out, char *err,
                            size_t errlen);

/* rouse__gbm_predict_offset() : P(y = 1 | row i) = sigmoid(trees(row i) + offset[i]) for a
 * model trained with offsets (offset required), else as rouse__gbm_predict (offset must be
 * NULL). Bit-identical for every n_threads. @return as rouse__gbm_predict. */
int rouse__gbm_predict_offset(const rouse_gbm *m, const float *X, const float *offset,
                              size_t n, size_t nf, int n_threads, double *out_prob);

/* rouse__gbm_predict() : out_prob[i] = P(y = 1 | row i) for n rows of X (n x nf, row-major,
 * NaN = missing; nf must be the model's). n_threads: 0 = number of CPUs, clamped to [1, 64].
 * Results are bit-identical for every n_threads. n == 0 is a no-op.
 * @return ROUSE_OK, ROUSE_MISUSE (NULL, nf mismatch), ROUSE_LIMIT, ROUSE_NOMEM, ROUSE_IO. */
int rouse__gbm_predict(const rouse_gbm *m, const float *X, size_t n, size_t nf, int n_threads,
                       double *out_prob);

/* rouse__gbm_n_trees() : trees in the model (the best round with early stopping); 0 for
 * NULL. */
int rouse__gbm_n_trees(const rouse_gbm *m);

/* rouse__gbm_n_features() : number of features the model was trained on; 0 for NULL. */
size_t rouse__gbm_n_features(const rouse_gbm *m);

/* rouse__gbm_importance() : gain_out[j] = total loss reduction of all splits on feature j
 * (XGBoost "total_gain"), 0 for features never used. nf must be the model's.
 * @return ROUSE_OK, ROUSE_MISUSE, ROUSE_NOMEM, ROUSE_IO; on failure gain_out is all 0. */
int rouse__gbm_importance(const rouse_gbm *m, size_t nf, double *gain_out);

/* rouse__gbm_save() : the model as XGBoost JSON (trees, base score, objective): a
 * NUL-terminated buffer of *len bytes (NUL not counted) in *json_out, owned by the caller
 * (rouse__free). Equal models give equal bytes.
 * @return ROUSE_OK, ROUSE_MISUSE, ROUSE_NOMEM, ROUSE_IO; *json_out = NULL on failure. */
int rouse__gbm_save(const rouse_gbm *m, char **json_out, size_t *len);

/* rouse__gbm_load() : a model from the bytes of rouse__gbm_save (json need not be
 * NUL-terminated). Its predictions equal the saved model's bit for bit.
 * @return ROUSE_OK, ROUSE_MISUSE, ROUSE_PARSE (not an XGBoost binary:logistic model),
 *         ROUSE_NOMEM; *out = NULL on failure. */
int rouse__gbm_load(const char *json, size_t len, rouse_gbm **out, char *err, size_t errlen);

/* rouse__gbm_free() : release the model (NULL is a no-op). */
void rouse__gbm_free(rouse_gbm *m);

#endif /* ROUSE_GBM_H */
