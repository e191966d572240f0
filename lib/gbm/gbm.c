/* SPDX-License-Identifier: MIT
 * Gradient-boosted trees through XGBoost's C API (1.7): validation of the inputs, training
 * with our own early-stopping loop, block-parallel in-place prediction on the job pool,
 * feature importance and JSON save/load. The contract is in gbm.h; the reasons in
 * docs/design/gbm.md.
 *
 * Determinism: XGBoost always runs with nthread = 1 (booster parameter and DMatrix
 * construction), so its OpenMP runtime never starts a thread and its sums keep one order.
 * Prediction tasks are fixed blocks of ROUSE__GBM_BLOCK_ROWS rows; a row's probability is
 * computed by the same single-threaded XGBoost code whichever thread runs its block.
 *
 * XGBoost state is per thread in 1.7 (verbosity, last error, prediction buffers): every
 * entry point silences the calling thread for its duration (quiet_begin/quiet_end), and
 * copies results out of XGBoost's thread-local buffers before its next call on that thread. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "../base/base.h"
#include "gbm.h"

struct rouse_gbm {
  BoosterHandle booster; /* sliced to the kept rounds; read-only after construction */
  size_t nf;
  int n_trees;
  int offset; /* trained on margins: predictions add the caller's offset (logit) */
};

#define MAX_FEATURES ((size_t)1 << 24)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define F4_TYPESTR "\">f4\""
#else
#define F4_TYPESTR "\"<f4\""
#endif

/* in-place prediction of probabilities, all trees, NaN = missing (1.7 requires cache_id) */
static const char PREDICT_CFG[] = "{\"type\":0,\"training\":false,\"iteration_begin\":0,"
                                  "\"iteration_end\":0,\"strict_shape\":false,\"missing\":NaN,"
                                  "\"cache_id\":0}";
/* the same, as raw margins (log-odds): for models trained with an offset */
static const char PREDICT_MARGIN_CFG[] = "{\"type\":1,\"training\":false,\"iteration_begin\":0,"
                                         "\"iteration_end\":0,\"strict_shape\":false,"
                                         "\"missing\":NaN,\"cache_id\":0}";
/* the same from a DMatrix (uses XGBoost's incremental prediction cache) */
static const char PREDICT_DM_CFG[] = "{\"type\":0,\"training\":false,\"iteration_begin\":0,"
                                     "\"iteration_end\":0,\"strict_shape\":false}";

/*=====================================================================
 * Messages, status codes, silence
 *====================================================================*/
static void set_err(char *err, size_t errlen, const char *fmt, ...) ROUSE_PRINTF(3, 4);
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* The status for a failed XGBoost call, with the first line of its message (without the
 * "[hh:mm:ss] " time stamp, so messages do not depend on the clock) in err. Must be called
 * before any other XGBoost call on this thread. */
static int xgb_fail(int rc_other, const char *what, char *err, size_t errlen) {
  const char *msg = XGBGetLastError();
  if (!msg) msg = "";
  int rc = strstr(msg, "bad_alloc") ? ROUSE_NOMEM : rc_other;
  if (msg[0] == '[') {
    const char *e = strchr(msg, ']');
    if (e && e - msg < 16) msg = e[1] == ' ' ? e + 2 : e + 1;
  }
  int len = (int)strcspn(msg, "\n");
  set_err(err, errlen, "xgboost: %s: %.*s", what, len, msg);
  return rc;
}

/* Set XGBoost's verbosity of the calling thread to 0; returns the previous value (-1 when
 * unknown: then it stays 0). */
static int quiet_begin(void) {
  const char *cfg = NULL;
  int prev = -1;
  if (XGBGetGlobalConfig(&cfg) == 0 && cfg) {
    const char *v = strstr(cfg, "\"verbosity\"");
    if (v) {
      v += strlen("\"verbosity\"");
      while (*v == ' ' || *v == ':') v++;
      if (*v >= '0' && *v <= '9' && !(v[1] >= '0' && v[1] <= '9')) prev = *v - '0';
    }
  }
  if (prev != 0) XGBSetGlobalConfig("{\"verbosity\":0}");
  return prev;
}

static void quiet_end(int prev) {
  if (prev > 0) {
    char b[32];
    snprintf(b, sizeof b, "{\"verbosity\":%d}", prev);
    XGBSetGlobalConfig(b);
  }
}

/*=====================================================================
 * Parameters
 *====================================================================*/
void rouse__gbm_params_init(rouse_gbm_params *p) {
  if (!p) return;
  memset(p, 0, sizeof *p);
  p->n_trees = 150;
  p->max_depth = 4;
  p->eta = 0.08;
  p->min_child_weight = 5;
  p->lambda = 1;
  p->subsample = 1.0;
  p->colsample = 1.0;
  p->max_bin = 256;
  p->early_stop = 0;
  p->seed = 0;
}

static int check_params(const rouse_gbm_params *p, char *err, size_t errlen) {
  const char *bad = NULL;
  if (p->n_trees < 1 || p->n_trees > 100000) bad = "n_trees";
  else if (p->max_depth < 1 || p->max_depth > 16) bad = "max_depth";
  else if (!(p->eta > 0 && p->eta <= 1)) bad = "eta";
  else if (!(p->min_child_weight >= 0 && isfinite(p->min_child_weight))) bad = "min_child_weight";
  else if (!(p->lambda >= 0 && isfinite(p->lambda))) bad = "lambda";
  else if (!(p->subsample > 0 && p->subsample <= 1)) bad = "subsample";
  else if (!(p->colsample > 0 && p->colsample <= 1)) bad = "colsample";
  else if (p->max_bin < 2 || p->max_bin > 256) bad = "max_bin";
  else if (p->early_stop < 0) bad = "early_stop";
  if (!bad) return ROUSE_OK;
  set_err(err, errlen, "gbm: parameter %s out of range", bad);
  return ROUSE_MISUSE;
}

/* "%.17g" with '.' as the decimal separator whatever LC_NUMERIC says (XGBoost parses '.') */
static void fmt_double(char *buf, size_t cap, double v) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, "%.17g", v);
  size_t j = 0;
  int sep = 0;
  for (size_t i = 0; tmp[i] && j + 1 < cap; i++) {
    char c = tmp[i];
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e') {
      buf[j++] = c;
      sep = 0;
    } else if (!sep) { /* the locale's separator, possibly several bytes */
      buf[j++] = '.';
      sep = 1;
    }
  }
  buf[j] = '\0';
}

/*=====================================================================
 * Input validation
 *====================================================================*/
/* features finite or NaN; labels 0/1. Returns the first bad row or SIZE_MAX. */
static size_t bad_feature_row(const float *X, size_t n, size_t nf) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < nf; j++)
      if (isinf(X[i * nf + j])) return i;
  return SIZE_MAX;
}

static size_t bad_label_row(const float *y, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!(y[i] == 0.0f || y[i] == 1.0f)) return i;
  return SIZE_MAX;
}

static int check_data(const float *X, const float *y, const float *w, size_t n, size_t nf,
                      const char *set, char *err, size_t errlen) {
  size_t r = bad_label_row(y, n);
  if (r != SIZE_MAX) {
    set_err(err, errlen, "gbm: %s label of row %zu is %g, not 0 or 1", set, r, (double)y[r]);
    return ROUSE_DOMAIN;
  }
  for (size_t i = 0; w && i < n; i++)
    if (!(w[i] >= 0.0f && isfinite(w[i]))) {
      set_err(err, errlen, "gbm: weight of row %zu is %g", i, (double)w[i]);
      return ROUSE_DOMAIN;
    }
  r = bad_feature_row(X, n, nf);
  if (r != SIZE_MAX) {
    set_err(err, errlen, "gbm: %s row %zu has an infinite feature (use NaN for missing)", set, r);
    return ROUSE_DOMAIN;
  }
  return ROUSE_OK;
}

/*=====================================================================
 * XGBoost helpers
 *====================================================================*/
static int make_dmatrix(const float *X, const float *y, const float *w, const float *margin,
                        size_t n, size_t nf, DMatrixHandle *out, char *err, size_t errlen) {
  *out = NULL;
  if (XGDMatrixCreateFromMat_omp(X, (bst_ulong)n, (bst_ulong)nf, NAN, out, 1) != 0) {
    *out = NULL;
    return xgb_fail(ROUSE_IO, "DMatrix", err, errlen);
  }
  if (XGDMatrixSetFloatInfo(*out, "label", y, (bst_ulong)n) != 0 ||
      (w && XGDMatrixSetFloatInfo(*out, "weight", w, (bst_ulong)n) != 0) ||
      (margin && XGDMatrixSetFloatInfo(*out, "base_margin", margin, (bst_ulong)n) != 0)) {
    int rc = xgb_fail(ROUSE_IO, "DMatrix info", err, errlen);
    XGDMatrixFree(*out);
    *out = NULL;
    return rc;
  }
  return ROUSE_OK;
}

/* Probabilities of rows [0, rows) of X (row-major, nf columns) into out, on this thread;
 * with `offset` (a model trained on margins), sigmoid(tree margin + offset[i]). */
static int predict_rows(BoosterHandle b, const float *X, size_t rows, size_t nf,
                        const float *offset, int margin_model, double *out, char *err,
                        size_t errlen) {
  char ai[192];
  snprintf(ai, sizeof ai,
           "{\"data\":[%" PRIuPTR ",true],\"shape\":[%zu,%zu],\"typestr\":" F4_TYPESTR
           ",\"version\":3}",
           (uintptr_t)X, rows, nf);
  const bst_ulong *shape = NULL;
  bst_ulong dim = 0;
  const float *res = NULL;
  if (XGBoosterPredictFromDense(b, ai, margin_model ? PREDICT_MARGIN_CFG : PREDICT_CFG, NULL,
                                &shape, &dim, &res) != 0)
    return xgb_fail(ROUSE_IO, "predict", err, errlen);
  if (dim != 1 || !shape || shape[0] != (bst_ulong)rows || !res) {
    set_err(err, errlen, "xgboost: predict: unexpected output shape");
    return ROUSE_IO;
  }
  if (margin_model)
    for (size_t i = 0; i < rows; i++)
      out[i] = 1 / (1 + exp(-((double)res[i] + (offset ? (double)offset[i] : 0.0))));
  else
    for (size_t i = 0; i < rows; i++) out[i] = (double)res[i];
  return ROUSE_OK;
}

/* One prediction of a row of NaN on the calling thread: any lazy configuration of the
 * booster happens here, before the model is shared. */
static int warm_up(rouse_gbm *m, char *err, size_t errlen) {
  float *row = rouse__malloc(m->nf * sizeof *row);
  if (!row) return ROUSE_NOMEM;
  for (size_t j = 0; j < m->nf; j++) row[j] = NAN;
  double p;
  int rc = predict_rows(m->booster, row, 1, m->nf, NULL, m->offset, &p, err, errlen);
  rouse__free(row);
  return rc;
}

/* mean logloss of probabilities p against labels y (XGBoost's clipping at 1e-16) */
static double logloss(const float *p, const float *y, size_t n) {
  const double eps = 1e-16;
  double s = 0;
  for (size_t i = 0; i < n; i++) {
    double q = p[i] < eps ? eps : p[i] > 1 - eps ? 1 - eps : p[i];
    s -= y[i] > 0.5f ? log(q) : log1p(-q);
  }
  return s / (double)n;
}

struct param_kv {
  const char *k;
  char v[48];
};

/*=====================================================================
 * Training
 *====================================================================*/
/* The boosting loop and the final slice; called with silenced XGBoost. */
static int train_boost(DMatrixHandle dtrain, DMatrixHandle deval, const float *eval_y,
                       size_t eval_n, const rouse_gbm_params *p, double base, size_t nf,
                       rouse_gbm *m, char *err, size_t errlen) {
  DMatrixHandle cache[2] = {dtrain, deval};
  BoosterHandle b = NULL;
  if (XGBoosterCreate(cache, deval ? 2 : 1, &b) != 0)
    return xgb_fail(ROUSE_IO, "booster", err, errlen);

  uint64_t s = p->seed ^ (p->seed >> 32);
  struct param_kv kv[] = {
      {"nthread", "1"},
      {"objective", "binary:logistic"},
      {"eval_metric", "logloss"},
      {"tree_method", "hist"},
      {"seed_per_iteration", "true"},
      {"seed", ""},
      {"max_depth", ""},
      {"eta", ""},
      {"min_child_weight", ""},
      {"lambda", ""},
      {"subsample", ""},
      {"colsample_bytree", ""},
      {"max_bin", ""},
      {"base_score", ""},
  };
  snprintf(kv[5].v, sizeof kv[5].v, "%" PRIu64, s & 0x7fffffffu);
  snprintf(kv[6].v, sizeof kv[6].v, "%d", p->max_depth);
  fmt_double(kv[7].v, sizeof kv[7].v, p->eta);
  fmt_double(kv[8].v, sizeof kv[8].v, p->min_child_weight);
  fmt_double(kv[9].v, sizeof kv[9].v, p->lambda);
  fmt_double(kv[10].v, sizeof kv[10].v, p->subsample);
  fmt_double(kv[11].v, sizeof kv[11].v, p->colsample);
  snprintf(kv[12].v, sizeof kv[12].v, "%d", p->max_bin);
  fmt_double(kv[13].v, sizeof kv[13].v, base);
  int rc = ROUSE_OK;
  for (size_t i = 0; i < ROUSE_ARRAY_SIZE(kv); i++)
    if (XGBoosterSetParam(b, kv[i].k, kv[i].v) != 0) {
      rc = xgb_fail(ROUSE_IO, kv[i].k, err, errlen);
      break;
    }

  int rounds = 0, best = -1;
  double best_loss = INFINITY;
  int stop_early = deval && p->early_stop > 0;
  for (int it = 0; !rc && it < p->n_trees; it++) {
    if (XGBoosterUpdateOneIter(b, it, dtrain) != 0) {
      rc = xgb_fail(ROUSE_IO, "training round", err, errlen);
      break;
    }
    rounds = it + 1;
    if (!stop_early) continue;
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *pr = NULL;
    if (XGBoosterPredictFromDMatrix(b, deval, PREDICT_DM_CFG, &shape, &dim, &pr) != 0) {
      rc = xgb_fail(ROUSE_IO, "eval prediction", err, errlen);
      break;
    }
    if (dim != 1 || !shape || shape[0] != (bst_ulong)eval_n || !pr) {
      set_err(err, errlen, "xgboost: eval prediction: unexpected output shape");
      rc = ROUSE_IO;
      break;
    }
    double loss = logloss(pr, eval_y, eval_n);
    if (loss < best_loss) {
      best_loss = loss;
      best = it;
    } else if (it - best >= p->early_stop) {
      break;
    }
  }
  int keep = stop_early && best >= 0 ? best + 1 : rounds;

  /* The slice is a fresh booster with the kept trees only: none of the training state
   * (gradients, row partitions, histogram buffers) stays allocated in the model. */
  if (!rc) {
    int s_rc = XGBoosterSlice(b, 0, keep, 1, &m->booster);
    if (s_rc != 0) {
      m->booster = NULL;
      rc = xgb_fail(ROUSE_IO, "slice", err, errlen);
    }
  }
  XGBoosterFree(b);
  if (rc) return rc;
  m->nf = nf;
  m->n_trees = keep;
  return ROUSE_OK;
}

int rouse__gbm_train(const float *X, const float *y, const float *w, size_t n, size_t nf,
                     const float *eval_X, const float *eval_y, size_t eval_n,
                     const rouse_gbm_params *p, rouse_gbm **out, char *err, size_t errlen) {
  return rouse__gbm_train_offset(X, y, w, NULL, n, nf, eval_X, eval_y, NULL, eval_n, p, out,
                                 err, errlen);
}

int rouse__gbm_train_offset(const float *X, const float *y, const float *w,
                            const float *offset, size_t n, size_t nf, const float *eval_X,
                            const float *eval_y, const float *eval_offset, size_t eval_n,
                            const rouse_gbm_params *p, rouse_gbm **out, char *err,
                            size_t errlen) {
  if (err && errlen) err[0] = '\0';
  if (out) *out = NULL;
  if (!out || !X || !y || !nf || (eval_n && (!eval_X || !eval_y)) ||
      (offset && eval_n && !eval_offset)) {
    set_err(err, errlen, "gbm: invalid arguments to train");
    return ROUSE_MISUSE;
  }
  rouse_gbm_params defaults;
  if (!p) {
    rouse__gbm_params_init(&defaults);
    p = &defaults;
  }
  int rc = check_params(p, err, errlen);
  if (rc) return rc;
  if (!n) {
    set_err(err, errlen, "gbm: no training rows");
    return ROUSE_EMPTY;
  }
  size_t cells;
  if (nf > MAX_FEATURES || !rouse__mul_size(n, nf, &cells) ||
      !rouse__mul_size(cells, sizeof(float), &cells) ||
      (eval_n && (!rouse__mul_size(eval_n, nf, &cells) ||
                  !rouse__mul_size(cells, sizeof(float), &cells)))) {
    set_err(err, errlen, "gbm: %zu features x %zu rows is too large", nf, n > eval_n ? n : eval_n);
    return ROUSE_LIMIT;
  }
  rc = check_data(X, y, w, n, nf, "training", err, errlen);
  if (!rc && eval_n) rc = check_data(eval_X, eval_y, NULL, eval_n, nf, "eval", err, errlen);
  if (rc) return rc;

  /* base_score = weighted label mean, summed in row order */
  double sw = 0, swy = 0;
  for (size_t i = 0; i < n; i++) {
    double wi = w ? (double)w[i] : 1.0;
    sw += wi;
    swy += wi * (double)y[i];
  }
  if (!(sw > 0) || !(swy > 0) || !(swy < sw)) {
    set_err(err, errlen, "gbm: %s", !(sw > 0) ? "all training weights are zero"
                                             : "the training labels are all equal");
    return ROUSE_EMPTY;
  }
  double base = swy / sw;
  if (offset) { /* the offsets carry the base rate; they must be finite */
    base = 0.5;
    for (size_t i = 0; i < n; i++)
      if (!isfinite(offset[i])) {
        set_err(err, errlen, "gbm: training offset of row %zu is not finite", i + 1);
        return ROUSE_DOMAIN;
      }
    for (size_t i = 0; i < eval_n; i++)
      if (!isfinite(eval_offset[i])) {
        set_err(err, errlen, "gbm: eval offset of row %zu is not finite", i + 1);
        return ROUSE_DOMAIN;
      }
  }

  rouse_gbm *m = rouse__calloc(1, sizeof *m);
  if (!m) return ROUSE_NOMEM;
  int quiet = quiet_begin();
  DMatrixHandle dtrain = NULL, deval = NULL;
  m->offset = offset != NULL;
  rc = make_dmatrix(X, y, w, offset, n, nf, &dtrain, err, errlen);
  if (!rc && eval_n && p->early_stop > 0)
    rc = make_dmatrix(eval_X, eval_y, NULL, offset ? eval_offset : NULL, eval_n, nf, &deval,
                      err, errlen);
  if (!rc) rc = train_boost(dtrain, deval, eval_y, eval_n, p, base, nf, m, err, errlen);
  if (dtrain) XGDMatrixFree(dtrain);
  if (deval) XGDMatrixFree(deval);
  if (!rc) rc = warm_up(m, err, errlen);
  quiet_end(quiet);
  if (rc) {
    rouse__gbm_free(m);
    if (rc == ROUSE_NOMEM && err && errlen && !err[0]) set_err(err, errlen, "out of memory");
    return rc;
  }
  *out = m;
  return ROUSE_OK;
}

/*=====================================================================
 * Prediction
 *====================================================================*/
struct pred_job {
  BoosterHandle b;
  int margin_model;
  const float *offset;
  const float *X;
  size_t n, nf;
  double *out;
  int *rc; /* per block */
};

static void pred_task(void *arg, size_t i) {
  struct pred_job *j = arg;
  size_t r0 = i * ROUSE__GBM_BLOCK_ROWS;
  size_t rows = j->n - r0 < ROUSE__GBM_BLOCK_ROWS ? j->n - r0 : ROUSE__GBM_BLOCK_ROWS;
  int quiet = quiet_begin(); /* worker threads start with XGBoost's default verbosity */
  j->rc[i] = predict_rows(j->b, j->X + r0 * j->nf, rows, j->nf, j->offset ? j->offset + r0 : NULL,
                          j->margin_model, j->out + r0, NULL, 0);
  quiet_end(quiet);
}

int rouse__gbm_predict(const rouse_gbm *m, const float *X, size_t n, size_t nf, int n_threads,
                       double *out_prob) {
  return rouse__gbm_predict_offset(m, X, NULL, n, nf, n_threads, out_prob);
}

int rouse__gbm_predict_offset(const rouse_gbm *m, const float *X, const float *offset,
                              size_t n, size_t nf, int n_threads, double *out_prob) {
  if (!m || (n && (!X || !out_prob)) || nf != m->nf || (offset && !m->offset) ||
      (m->offset && n && !offset))
    return ROUSE_MISUSE;
  if (!n) return ROUSE_OK;
  size_t cells;
  if (!rouse__mul_size(n, nf, &cells) || !rouse__mul_size(cells, sizeof(float), &cells))
    return ROUSE_LIMIT;
  size_t n_blocks = (n - 1) / ROUSE__GBM_BLOCK_ROWS + 1;
  int *rcs = rouse__calloc(n_blocks, sizeof *rcs);
  if (!rcs) return ROUSE_NOMEM;
  struct pred_job job = {m->booster, m->offset, offset, X, n, nf, out_prob, rcs};
  int nt = rouse__resolve_threads(n_threads);
  if ((size_t)nt > n_blocks) nt = (int)n_blocks;
  struct rouse_pool *pool = NULL;
  int rc = nt > 1 ? rouse__pool_new(nt, &pool) : ROUSE_OK;
  if (!rc) {
    int quiet = quiet_begin();
    rouse__pool_run(pool, n_blocks, pred_task, &job);
    quiet_end(quiet);
    rouse__pool_free(pool);
    for (size_t i = 0; i < n_blocks && !rc; i++) rc = rcs[i];
  }
  rouse__free(rcs);
  return rc;
}

/*=====================================================================
 * Introspection, save, load, free
 *====================================================================*/
int rouse__gbm_n_trees(const rouse_gbm *m) { return m ? m->n_trees : 0; }

size_t rouse__gbm_n_features(const rouse_gbm *m) { return m ? m->nf : 0; }

int rouse__gbm_importance(const rouse_gbm *m, size_t nf, double *gain_out) {
  if (!gain_out) return ROUSE_MISUSE;
  for (size_t j = 0; j < nf; j++) gain_out[j] = 0;
  if (!m || nf != m->nf) return ROUSE_MISUSE;
  int quiet = quiet_begin();
  bst_ulong n_names = 0, dim = 0;
  const char **names = NULL;
  const bst_ulong *shape = NULL;
  const float *scores = NULL;
  int rc = ROUSE_OK;
  if (XGBoosterFeatureScore(m->booster, "{\"importance_type\":\"total_gain\"}", &n_names,
                            &names, &dim, &shape, &scores) != 0) {
    rc = xgb_fail(ROUSE_IO, "importance", NULL, 0);
  } else {
    /* used features only, named "f<index>" (no feature names are set) */
    for (bst_ulong k = 0; k < n_names && !rc; k++) {
      const char *s = names[k];
      char *end = NULL;
      unsigned long long j = s && s[0] == 'f' && s[1] >= '0' && s[1] <= '9'
                                 ? strtoull(s + 1, &end, 10) : ULLONG_MAX;
      if (!end || *end || j >= nf) rc = ROUSE_IO;
      else gain_out[j] += (double)scores[k];
    }
  }
  quiet_end(quiet);
  if (rc)
    for (size_t j = 0; j < nf; j++) gain_out[j] = 0;
  return rc;
}

int rouse__gbm_save(const rouse_gbm *m, char **json_out, size_t *len) {
  if (json_out) *json_out = NULL;
  if (len) *len = 0;
  if (!m || !json_out || !len) return ROUSE_MISUSE;
  int quiet = quiet_begin();
  bst_ulong n = 0;
  const char *buf = NULL;
  int rc = ROUSE_OK;
  if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\":\"json\"}", &n, &buf) != 0) {
    rc = xgb_fail(ROUSE_IO, "save", NULL, 0);
  } else {
    char *c = rouse__malloc((size_t)n + 1);
    if (!c) rc = ROUSE_NOMEM;
    else {
      memcpy(c, buf, (size_t)n);
      c[n] = '\0';
      *json_out = c;
      *len = (size_t)n;
    }
  }
  quiet_end(quiet);
  return rc;
}

/* XGBoost parses the trees of a model in an OpenMP loop over the booster's threads, and a
 * booster takes its nthread parameter only when it is configured, which needs data. So the
 * booster is created on a one-cell DMatrix and configured with nthread = 1 before loading. */
static int load_booster(const char *json, size_t len, rouse_gbm *m, char *err, size_t errlen) {
  const float cell = 0;
  DMatrixHandle d = NULL;
  if (XGDMatrixCreateFromMat_omp(&cell, 1, 1, NAN, &d, 1) != 0)
    return xgb_fail(ROUSE_IO, "DMatrix", err, errlen);
  int rc = ROUSE_OK;
  bst_ulong cfg_len = 0, nfeat = 0;
  const char *cfg = NULL;
  if (XGBoosterCreate(&d, 1, &m->booster) != 0) {
    m->booster = NULL;
    rc = xgb_fail(ROUSE_IO, "booster", err, errlen);
  } else if (XGBoosterSetParam(m->booster, "nthread", "1") != 0 ||
             XGBoosterSaveJsonConfig(m->booster, &cfg_len, &cfg) != 0) {
    rc = xgb_fail(ROUSE_IO, "configure", err, errlen);
  }
  XGDMatrixFree(d);
  if (rc) return rc;
  if (XGBoosterLoadModelFromBuffer(m->booster, json, (bst_ulong)len) != 0)
    return xgb_fail(ROUSE_PARSE, "load", err, errlen);
  if (XGBoosterSaveJsonConfig(m->booster, &cfg_len, &cfg) != 0)
    return xgb_fail(ROUSE_IO, "config", err, errlen);
  int logistic = cfg && strstr(cfg, "\"name\":\"binary:logistic\"") != NULL;
  int rounds = 0;
  if (XGBoosterGetNumFeature(m->booster, &nfeat) != 0 ||
      XGBoosterBoostedRounds(m->booster, &rounds) != 0)
    return xgb_fail(ROUSE_IO, "model info", err, errlen);
  if (!logistic || nfeat < 1 || nfeat > MAX_FEATURES || rounds < 1) {
    set_err(err, errlen, "gbm: not a binary:logistic tree model");
    return ROUSE_PARSE;
  }
  m->nf = (size_t)nfeat;
  m->n_trees = rounds;
  return ROUSE_OK;
}

int rouse__gbm_load(const char *json, size_t len, rouse_gbm **out, char *err, size_t errlen) {
  if (err && errlen) err[0] = '\0';
  if (out) *out = NULL;
  if (!json || !out) {
    set_err(err, errlen, "gbm: invalid arguments to load");
    return ROUSE_MISUSE;
  }
  if (!len || json[0] != '{') { /* XGBoost would take anything else for its binary format */
    set_err(err, errlen, "gbm: not a JSON model");
    return ROUSE_PARSE;
  }
  rouse_gbm *m = rouse__calloc(1, sizeof *m);
  if (!m) return ROUSE_NOMEM;
  int quiet = quiet_begin();
  int rc = load_booster(json, len, m, err, errlen);
  if (!rc) rc = warm_up(m, err, errlen);
  quiet_end(quiet);
  if (rc) {
    rouse__gbm_free(m);
    return rc;
  }
  *out = m;
  return ROUSE_OK;
}

void rouse__gbm_free(rouse_gbm *m) {
  if (!m) return;
  if (m->booster) {
    int quiet = quiet_begin(); /* XGBoost prints its timers on free at verbosity 3 */
    XGBoosterFree(m->booster);
    quiet_end(quiet);
  }
  rouse__free(m);
}
