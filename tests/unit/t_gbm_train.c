/* SPDX-License-Identifier: MIT
 * Gradient-boosted trees of lib/gbm (XGBoost): on synthetic data with a known logistic model
 * (splitmix64 draws) the trees rank nearly as well as the true probabilities, are calibrated
 * in the mean and put the gain on the informative features; predictions are bit-identical
 * across thread counts, repeated trainings and training threads; missing values carry
 * information; early stopping keeps exactly the best prefix; save/load round trips; bad
 * arguments and data are refused; XGBoost prints nothing and starts no OpenMP thread;
 * allocation failures are reported and leak nothing. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <xgboost/c_api.h>

#include "base/base.h"
#include "gbm/gbm.h"
#include "harness.h"
#include "rouse/rouse_eval.h"

/*---------------------------------------------------------------------
 * Synthetic data
 *--------------------------------------------------------------------*/
struct sm64 {
  uint64_t x;
};
static uint64_t sm_next(struct sm64 *g) {
  uint64_t z = (g->x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static double sm_unif(struct sm64 *g) {
  return (double)(sm_next(g) >> 11) * (1.0 / 9007199254740992.0);
}

#define NF 10
#define N_INFO 5 /* features 0..4 carry the signal, 5..9 are noise */

struct data {
  size_t n;
  float *X, *y;
  double *p;  /* true probability */
  uint8_t *yb; /* y as bytes for rouse_eval_auc */
};

/* kind 0: logistic in features 0..4 (feature 2 missing at random in 10% of rows);
 * kind 1: weak signal (early stopping); kind 2: only the missingness of feature 0 matters */
static void gen(struct data *d, size_t n, int kind, uint64_t seed) {
  static const double beta[N_INFO] = {1.6, -1.3, 1.1, 0.8, -0.6};
  struct sm64 g = {seed};
  d->n = n;
  d->X = malloc(n * NF * sizeof *d->X);
  d->y = malloc(n * sizeof *d->y);
  d->p = malloc(n * sizeof *d->p);
  d->yb = malloc(n);
  for (size_t i = 0; i < n; i++) {
    float *x = d->X + i * NF;
    double z = -1.0;
    for (int j = 0; j < NF; j++) {
      double v = 3.0 * sm_unif(&g) - 1.5;
      x[j] = (float)v;
      if (j < N_INFO) z += (kind == 1 ? 0.35 : 1.0) * beta[j] * (double)x[j];
    }
    if (kind == 0 && sm_unif(&g) < 0.10) x[2] = NAN;
    if (kind == 2) {
      int miss = sm_unif(&g) < 0.5;
      if (miss) x[0] = NAN;
      z = miss ? 1.4 : -1.4;
    }
    d->p[i] = 1 / (1 + exp(-z));
    d->yb[i] = sm_unif(&g) < d->p[i];
    d->y[i] = d->yb[i];
  }
}

static void data_free(struct data *d) {
  free(d->X);
  free(d->y);
  free(d->p);
  free(d->yb);
}

static double mean(const double *v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += v[i];
  return s / (double)n;
}

static double mean_f(const float *v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += v[i];
  return s / (double)n;
}

static double auc(const double *s, const uint8_t *y, size_t n) {
  double a = -1;
  return rouse_eval_auc(s, y, n, &a) == ROUSE_OK ? a : -1;
}

static rouse_gbm *train(const struct data *d, const struct data *ev, const rouse_gbm_params *p) {
  rouse_gbm *m = NULL;
  char err[256];
  int rc = rouse__gbm_train(d->X, d->y, NULL, d->n, NF, ev ? ev->X : NULL, ev ? ev->y : NULL,
                            ev ? ev->n : 0, p, &m, err, sizeof err);
  if (rc) printf("# train: %s (%s)\n", rouse_status_name(rc), err);
  return m;
}

static double *predict(const rouse_gbm *m, const struct data *d, int nt) {
  double *p = malloc(d->n * sizeof *p);
  if (rouse__gbm_predict(m, d->X, d->n, NF, nt, p) != ROUSE_OK) {
    free(p);
    return NULL;
  }
  return p;
}

static int same(const double *a, const double *b, size_t n) {
  return a && b && !memcmp(a, b, n * sizeof *a);
}

static int count_tasks(void) {
  DIR *d = opendir("/proc/self/task");
  if (!d) return -1;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* threads of this process, once joined threads have left /proc (pthread_join returns
 * slightly before the kernel removes the task): waits up to 2 s for the count to reach
 * `want`, so only threads that stay alive (an OpenMP pool) are counted */
static int n_tasks_settled(int want) {
  int n = count_tasks();
  for (int i = 0; i < 200 && n > want; i++) {
    usleep(10000);
    n = count_tasks();
  }
  return n;
}

/* shared by the tests: 20000 training rows, 24576 test rows (3 prediction blocks) */
static struct data tr, te;
static rouse_gbm *model;
static rouse_gbm_params small;

/*---------------------------------------------------------------------
 * Quality: ranking, calibration, importance
 *--------------------------------------------------------------------*/
static void test_defaults(void) {
  rouse_gbm_params p;
  memset(&p, 0xff, sizeof p);
  rouse__gbm_params_init(&p);
  CHECK(p.n_trees == 150 && p.max_depth == 4 && p.eta == 0.08 && p.min_child_weight == 5);
  CHECK(p.lambda == 1 && p.subsample == 1 && p.colsample == 1 && p.max_bin == 256);
  CHECK(p.early_stop == 0 && p.seed == 0);
}

static void test_quality(void) {
  model = train(&tr, NULL, &small);
  CHECK(model != NULL);
  if (!model) return;
  CHECK_EQ_INT(rouse__gbm_n_trees(model), small.n_trees);
  CHECK_EQ_INT(rouse__gbm_n_features(model), NF);
  double *pt = predict(model, &te, 2), *ptr = predict(model, &tr, 2);
  CHECK(pt && ptr);
  if (!pt || !ptr) return;
  int in01 = 1;
  for (size_t i = 0; i < te.n; i++) in01 &= pt[i] > 0 && pt[i] < 1;
  CHECK(in01);
  double a = auc(pt, te.yb, te.n), a_true = auc(te.p, te.yb, te.n);
  printf("# test AUC %.4f, true-probability AUC %.4f\n", a, a_true);
  CHECK(a_true > 0.8);
  CHECK(a > a_true - 0.02);
  /* calibration in the mean: base_score is the label mean and the loss is logistic */
  printf("# mean prediction train %.4f (labels %.4f), test %.4f (labels %.4f)\n",
         mean(ptr, tr.n), mean_f(tr.y, tr.n), mean(pt, te.n), mean_f(te.y, te.n));
  CHECK_NEAR(mean(ptr, tr.n), mean_f(tr.y, tr.n), 0.005);
  CHECK_NEAR(mean(pt, te.n), mean_f(te.y, te.n), 0.015);
  /* the trees recover the true probabilities, not just the order */
  double mad = 0;
  for (size_t i = 0; i < te.n; i++) mad += fabs(pt[i] - te.p[i]);
  mad /= (double)te.n;
  printf("# mean |p_hat - p_true| %.4f\n", mad);
  CHECK(mad < 0.07); /* a constant at the label mean scores 0.25 */
  free(pt);
  free(ptr);

  double gain[NF], info = 0, total = 0, worst_noise = 0, least_info = INFINITY;
  CHECK_EQ_INT(rouse__gbm_importance(model, NF, gain), ROUSE_OK);
  int nonneg = 1;
  for (int j = 0; j < NF; j++) {
    nonneg &= gain[j] >= 0;
    total += gain[j];
    if (j < N_INFO) info += gain[j], least_info = fmin(least_info, gain[j]);
    else worst_noise = fmax(worst_noise, gain[j]);
  }
  printf("# gain share of informative features %.4f\n", info / total);
  CHECK(nonneg && total > 0);
  CHECK(info / total > 0.95);
  CHECK(least_info > 5 * worst_noise); /* even |beta| = 0.6 beats every noise feature */
  CHECK(gain[0] > gain[4]);            /* |beta| 1.6 vs 0.6 */
  CHECK_EQ_INT(rouse__gbm_importance(model, NF - 1, gain), ROUSE_MISUSE);
  CHECK(gain[0] == 0);
  CHECK_EQ_INT(rouse__gbm_importance(model, NF, NULL), ROUSE_MISUSE);
}

/*---------------------------------------------------------------------
 * Determinism
 *--------------------------------------------------------------------*/
struct thread_train {
  const rouse_gbm_params *p;
  double *pred;
};

static void *train_in_thread(void *arg) {
  struct thread_train *t = arg;
  rouse_gbm *m = train(&tr, NULL, t->p);
  t->pred = m ? predict(m, &te, 3) : NULL;
  rouse__gbm_free(m);
  return NULL;
}

struct thread_predict {
  const rouse_gbm *m;
  double *pred;
};

static void *predict_in_thread(void *arg) {
  struct thread_predict *t = arg;
  t->pred = predict(t->m, &te, 2);
  return NULL;
}

static void test_determinism(void) {
  if (!model) return;
  double *p1 = predict(model, &te, 1);
  int all_same = p1 != NULL;
  for (int nt = 0; nt <= 5; nt++) {
    double *q = predict(model, &te, nt);
    all_same &= same(p1, q, te.n);
    free(q);
  }
  CHECK(all_same); /* n_threads 0 (all CPUs), 1, 2, 3, 4, 5 */
  /* a block split at other boundaries gives the same probabilities */
  double *part = malloc(te.n * sizeof *part);
  size_t cut = 1000;
  CHECK_EQ_INT(rouse__gbm_predict(model, te.X, cut, NF, 2, part), ROUSE_OK);
  CHECK_EQ_INT(rouse__gbm_predict(model, te.X + cut * NF, te.n - cut, NF, 2, part + cut),
               ROUSE_OK);
  CHECK(same(p1, part, te.n));
  free(part);
  /* concurrent predictions on one model, from three caller threads (the test's included) */
  struct thread_predict tp[2] = {{model, NULL}, {model, NULL}};
  pthread_t pth[2];
  int started = 0;
  for (int k = 0; k < 2; k++) started += pthread_create(&pth[k], NULL, predict_in_thread, &tp[k]) == 0;
  double *pm = predict(model, &te, 2);
  for (int k = 0; k < started; k++) pthread_join(pth[k], NULL);
  CHECK(started == 2 && same(p1, pm, te.n) && same(p1, tp[0].pred, te.n) &&
        same(p1, tp[1].pred, te.n));
  free(pm);
  free(tp[0].pred);
  free(tp[1].pred);

  /* a second training gives the same model and the same bytes */
  rouse_gbm *m2 = train(&tr, NULL, &small);
  double *p2 = m2 ? predict(m2, &te, 4) : NULL;
  CHECK(same(p1, p2, te.n));
  char *j1 = NULL, *j2 = NULL;
  size_t l1 = 0, l2 = 0;
  CHECK_EQ_INT(rouse__gbm_save(model, &j1, &l1), ROUSE_OK);
  CHECK_EQ_INT(rouse__gbm_save(m2, &j2, &l2), ROUSE_OK);
  CHECK(j1 && j2 && l1 == l2 && !memcmp(j1, j2, l1));
  rouse__free(j1);
  rouse__free(j2);
  free(p2);
  rouse__gbm_free(m2);
  free(p1);

  /* sampled rows and columns: seeded, the same in another thread, different per seed */
  rouse_gbm_params ps = small;
  ps.subsample = 0.7;
  ps.colsample = 0.7;
  ps.seed = 12345;
  rouse_gbm *ma = train(&tr, NULL, &ps);
  double *pa = ma ? predict(ma, &te, 2) : NULL;
  struct thread_train t = {&ps, NULL};
  pthread_t th;
  CHECK(pthread_create(&th, NULL, train_in_thread, &t) == 0);
  pthread_join(th, NULL);
  CHECK(same(pa, t.pred, te.n));
  ps.seed = 54321;
  rouse_gbm *mb = train(&tr, NULL, &ps);
  double *pb = mb ? predict(mb, &te, 2) : NULL;
  CHECK(pa && pb && !same(pa, pb, te.n));
  double *pfull = predict(model, &te, 2);
  CHECK(pa && pfull && !same(pa, pfull, te.n));
  free(pa);
  free(pb);
  free(pfull);
  free(t.pred);
  rouse__gbm_free(ma);
  rouse__gbm_free(mb);
}

/*---------------------------------------------------------------------
 * Missing values, weights
 *--------------------------------------------------------------------*/
static void test_missing(void) {
  struct data a, b;
  gen(&a, 8000, 2, 77);
  gen(&b, 8000, 2, 78);
  rouse_gbm_params p = small;
  p.n_trees = 20;
  rouse_gbm *m = train(&a, NULL, &p);
  double *pb = m ? predict(m, &b, 2) : NULL;
  CHECK(pb != NULL);
  if (pb) {
    double s = auc(pb, b.yb, b.n), s_true = auc(b.p, b.yb, b.n);
    printf("# missingness-only signal: AUC %.4f (true %.4f)\n", s, s_true);
    CHECK(s > s_true - 0.01);
    double gain[NF];
    CHECK_EQ_INT(rouse__gbm_importance(m, NF, gain), ROUSE_OK);
    double tot = 0;
    for (int j = 0; j < NF; j++) tot += gain[j];
    CHECK(gain[0] > 0.9 * tot);
  }
  /* a row of NaN only follows the default directions */
  float nanrow[NF];
  for (int j = 0; j < NF; j++) nanrow[j] = NAN;
  double q = -1;
  CHECK_EQ_INT(rouse__gbm_predict(model, nanrow, 1, NF, 1, &q), ROUSE_OK);
  CHECK(q > 0 && q < 1);
  free(pb);
  rouse__gbm_free(m);

  /* weights: with the positives weighted 3x, the weighted mean prediction matches the
   * weighted label mean */
  float *w = malloc(a.n * sizeof *w);
  double sw = 0, swy = 0;
  for (size_t i = 0; i < a.n; i++) {
    w[i] = a.y[i] > 0 ? 3.0f : 1.0f;
    sw += w[i];
    swy += w[i] * a.y[i];
  }
  char err[256];
  rouse_gbm *mw = NULL;
  CHECK_EQ_INT(rouse__gbm_train(a.X, a.y, w, a.n, NF, NULL, NULL, 0, &p, &mw, err, sizeof err),
               ROUSE_OK);
  double *pw = mw ? predict(mw, &a, 1) : NULL;
  CHECK(pw != NULL);
  if (pw) {
    /* weighted mean of the predictions ~ weighted label mean */
    double s = 0;
    for (size_t i = 0; i < a.n; i++) s += w[i] * pw[i];
    CHECK_NEAR(s / sw, swy / sw, 0.01);
  }
  free(pw);
  free(w);
  rouse__gbm_free(mw);
  data_free(&a);
  data_free(&b);
}

/*---------------------------------------------------------------------
 * Early stopping
 *--------------------------------------------------------------------*/
static void test_early_stop(void) {
  struct data a, ev;
  gen(&a, 6000, 1, 91);
  gen(&ev, 3000, 1, 92);
  rouse_gbm_params p = small;
  p.n_trees = 300;
  p.eta = 0.1;
  p.max_depth = 6;
  p.min_child_weight = 1;
  p.early_stop = 10;
  rouse_gbm *m = train(&a, &ev, &p);
  int kept = rouse__gbm_n_trees(m);
  printf("# early stopping kept %d of %d trees\n", kept, p.n_trees);
  CHECK(m != NULL);
  CHECK(kept >= 1 && kept < 60);
  /* the kept trees are exactly the first `kept` rounds of an unstopped training */
  rouse_gbm_params q = p;
  q.early_stop = 0;
  q.n_trees = kept;
  rouse_gbm *m2 = train(&a, NULL, &q);
  double *x1 = m ? predict(m, &ev, 2) : NULL, *x2 = m2 ? predict(m2, &ev, 1) : NULL;
  CHECK(same(x1, x2, ev.n));
  CHECK_EQ_INT(rouse__gbm_n_trees(m2), kept);
  /* the stopped model beats the full one on the held-out rows */
  q.n_trees = 300;
  rouse_gbm *m3 = train(&a, NULL, &q);
  double *x3 = m3 ? predict(m3, &ev, 2) : NULL;
  if (x1 && x3) {
    double l1 = 0, l3 = 0;
    for (size_t i = 0; i < ev.n; i++) {
      l1 -= ev.yb[i] ? log(x1[i]) : log1p(-x1[i]);
      l3 -= ev.yb[i] ? log(x3[i]) : log1p(-x3[i]);
    }
    printf("# eval logloss stopped %.5f, 300 trees %.5f\n", l1 / ev.n, l3 / ev.n);
    CHECK(l1 < l3);
  }
  CHECK_EQ_INT(rouse__gbm_n_trees(m3), 300);
  /* an eval set without early_stop, or early_stop without an eval set: all rounds */
  q.n_trees = 25;
  rouse_gbm *m4 = train(&a, &ev, &q);
  CHECK_EQ_INT(rouse__gbm_n_trees(m4), 25);
  free(x1);
  free(x2);
  free(x3);
  rouse__gbm_free(m);
  rouse__gbm_free(m2);
  rouse__gbm_free(m3);
  rouse__gbm_free(m4);
  data_free(&a);
  data_free(&ev);
}

/*---------------------------------------------------------------------
 * Save and load
 *--------------------------------------------------------------------*/
static void test_save_load(void) {
  if (!model) return;
  char *js = NULL, err[256];
  size_t len = 0;
  CHECK_EQ_INT(rouse__gbm_save(model, &js, &len), ROUSE_OK);
  CHECK(js && len > 100 && js[0] == '{' && strlen(js) == len);
  CHECK(js && strstr(js, "binary:logistic") != NULL);
  rouse_gbm *m = NULL;
  CHECK_EQ_INT(rouse__gbm_load(js, len, &m, err, sizeof err), ROUSE_OK);
  CHECK_EQ_INT(rouse__gbm_n_trees(m), rouse__gbm_n_trees(model));
  CHECK_EQ_INT(rouse__gbm_n_features(m), NF);
  double *a = predict(model, &te, 2), *b = m ? predict(m, &te, 2) : NULL;
  CHECK(same(a, b, te.n));
  double g1[NF], g2[NF];
  CHECK_EQ_INT(rouse__gbm_importance(m, NF, g2), ROUSE_OK);
  rouse__gbm_importance(model, NF, g1);
  int close = 1;
  for (int j = 0; j < NF; j++) close &= fabs(g1[j] - g2[j]) <= 1e-6 * fabs(g1[j]);
  CHECK(close);
  free(a);
  free(b);
  rouse__gbm_free(m);

  m = (rouse_gbm *)1;
  CHECK_EQ_INT(rouse__gbm_load(js, len / 2, &m, err, sizeof err), ROUSE_PARSE);
  CHECK(m == NULL && err[0]);
  CHECK_EQ_INT(rouse__gbm_load("\x01garbage", 8, &m, err, sizeof err), ROUSE_PARSE);
  CHECK_EQ_INT(rouse__gbm_load("{\"a\":1}", 7, &m, err, sizeof err), ROUSE_PARSE);
  CHECK_EQ_INT(rouse__gbm_load(NULL, 0, &m, err, sizeof err), ROUSE_MISUSE);
  rouse__free(js);
  CHECK_EQ_INT(rouse__gbm_save(NULL, &js, &len), ROUSE_MISUSE);
  CHECK(js == NULL && len == 0);
}

/*---------------------------------------------------------------------
 * Bad arguments and data
 *--------------------------------------------------------------------*/
static int train_rc(const float *X, const float *y, const float *w, size_t n, size_t nf,
                    const float *eX, const float *ey, size_t en, const rouse_gbm_params *p,
                    int want) {
  rouse_gbm *m = (rouse_gbm *)1;
  char err[256] = "x";
  int rc = rouse__gbm_train(X, y, w, n, nf, eX, ey, en, p, &m, err, sizeof err);
  if (rc != want) printf("# got %s (%s), want %s\n", rouse_status_name(rc), err,
                         rouse_status_name(want));
  int ok = rc == want && (rc ? m == NULL && err[0] : m != NULL && !err[0]);
  rouse__gbm_free(rc ? NULL : m);
  return ok;
}

static void test_misuse(void) {
  enum { n = 200 };
  static float X[n * NF], y[n], w[n], y1[n];
  struct sm64 g = {5};
  for (size_t i = 0; i < n; i++) {
    for (int j = 0; j < NF; j++) X[i * NF + j] = (float)sm_unif(&g);
    y[i] = X[i * NF] > 0.5f;
    w[i] = 1;
    y1[i] = 1;
  }
  rouse_gbm_params p = small;
  p.n_trees = 3;
  CHECK(train_rc(X, y, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_OK));
  CHECK(train_rc(X, y, w, n, NF, X, y, n, NULL, ROUSE_OK)); /* NULL params: defaults */
  CHECK(train_rc(NULL, y, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_MISUSE));
  CHECK(train_rc(X, NULL, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_MISUSE));
  CHECK(train_rc(X, y, NULL, n, 0, NULL, NULL, 0, &p, ROUSE_MISUSE));
  CHECK(train_rc(X, y, NULL, n, NF, X, NULL, n, &p, ROUSE_MISUSE));
  CHECK(train_rc(X, y, NULL, n, NF, NULL, y, n, &p, ROUSE_MISUSE));
  CHECK(train_rc(X, y, NULL, 0, NF, NULL, NULL, 0, &p, ROUSE_EMPTY));
  CHECK(train_rc(X, y1, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_EMPTY)); /* one class */
  CHECK(train_rc(X, y, NULL, SIZE_MAX / 2, NF, NULL, NULL, 0, &p, ROUSE_LIMIT));
  CHECK_EQ_INT(rouse__gbm_train(X, y, NULL, n, NF, NULL, NULL, 0, &p, NULL, NULL, 0),
               ROUSE_MISUSE);
  static const struct {
    size_t off;
    double v;
  } bad[] = {
      {offsetof(rouse_gbm_params, n_trees), 0},
      {offsetof(rouse_gbm_params, max_depth), 0},
      {offsetof(rouse_gbm_params, max_depth), 17},
      {offsetof(rouse_gbm_params, eta), 0},
      {offsetof(rouse_gbm_params, eta), NAN},
      {offsetof(rouse_gbm_params, min_child_weight), -1},
      {offsetof(rouse_gbm_params, lambda), INFINITY},
      {offsetof(rouse_gbm_params, subsample), 1.5},
      {offsetof(rouse_gbm_params, subsample), 0},
      {offsetof(rouse_gbm_params, colsample), 0},
      {offsetof(rouse_gbm_params, max_bin), 1},
      {offsetof(rouse_gbm_params, max_bin), 100000},
      {offsetof(rouse_gbm_params, early_stop), -1},
  };
  int all = 1;
  for (size_t k = 0; k < ROUSE_ARRAY_SIZE(bad); k++) {
    rouse_gbm_params q = p;
    char *f = (char *)&q + bad[k].off;
    if (bad[k].off == offsetof(rouse_gbm_params, eta) ||
        bad[k].off == offsetof(rouse_gbm_params, min_child_weight) ||
        bad[k].off == offsetof(rouse_gbm_params, lambda) ||
        bad[k].off == offsetof(rouse_gbm_params, subsample) ||
        bad[k].off == offsetof(rouse_gbm_params, colsample))
      memcpy(f, &bad[k].v, sizeof(double));
    else {
      int iv = (int)bad[k].v;
      memcpy(f, &iv, sizeof iv);
    }
    all &= train_rc(X, y, NULL, n, NF, NULL, NULL, 0, &q, ROUSE_MISUSE);
  }
  CHECK(all);

  /* data outside the domain */
  float keep = y[7];
  y[7] = 2;
  CHECK(train_rc(X, y, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_DOMAIN));
  y[7] = NAN;
  CHECK(train_rc(X, y, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_DOMAIN));
  y[7] = keep;
  CHECK(train_rc(X, y, NULL, n, NF, X, y1, n, &p, ROUSE_OK)); /* one-class eval set is fine */
  y1[3] = 0.5f;
  CHECK(train_rc(X, y, NULL, n, NF, X, y1, n, &p, ROUSE_DOMAIN));
  w[9] = -1;
  CHECK(train_rc(X, y, w, n, NF, NULL, NULL, 0, &p, ROUSE_DOMAIN));
  w[9] = NAN;
  CHECK(train_rc(X, y, w, n, NF, NULL, NULL, 0, &p, ROUSE_DOMAIN));
  for (size_t i = 0; i < n; i++) w[i] = 0;
  CHECK(train_rc(X, y, w, n, NF, NULL, NULL, 0, &p, ROUSE_EMPTY));
  float xk = X[5 * NF + 3];
  X[5 * NF + 3] = -INFINITY;
  CHECK(train_rc(X, y, NULL, n, NF, NULL, NULL, 0, &p, ROUSE_DOMAIN));
  X[5 * NF + 3] = xk;

  /* prediction */
  if (!model) return;
  double out[4] = {0};
  CHECK_EQ_INT(rouse__gbm_predict(NULL, X, 4, NF, 1, out), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse__gbm_predict(model, NULL, 4, NF, 1, out), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse__gbm_predict(model, X, 4, NF, 1, NULL), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse__gbm_predict(model, X, 4, NF + 1, 1, out), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse__gbm_predict(model, NULL, 0, NF, 1, NULL), ROUSE_OK);
  CHECK_EQ_INT(rouse__gbm_predict(model, X, SIZE_MAX / 4, NF, 1, out), ROUSE_LIMIT);
  CHECK(out[0] == 0);
  CHECK_EQ_INT(rouse__gbm_n_trees(NULL), 0);
  rouse__gbm_free(NULL);
}

/*---------------------------------------------------------------------
 * Silence and threads
 *--------------------------------------------------------------------*/
static int verbosity(void) {
  const char *c = NULL;
  if (XGBGetGlobalConfig(&c) != 0 || !c) return -1;
  const char *v = strstr(c, "\"verbosity\":");
  return v ? atoi(v + 12) : -1;
}

static void test_silence(void) {
  /* at verbosity 3 XGBoost logs its tree method, data and timers on standard error */
  CHECK(XGBSetGlobalConfig("{\"verbosity\":3}") == 0);
  fflush(stderr);
  FILE *tmp = tmpfile();
  int saved = dup(2);
  CHECK(tmp && saved >= 0);
  if (!tmp || saved < 0) return;
  dup2(fileno(tmp), 2);
  struct data a;
  gen(&a, 3000, 0, 3);
  rouse_gbm_params p = small;
  p.n_trees = 5;
  p.early_stop = 2;
  rouse_gbm *m = train(&a, &a, &p);
  double *q = m ? predict(m, &a, 3) : NULL;
  double g[NF];
  char *js = NULL;
  size_t len;
  rouse__gbm_importance(m, NF, g);
  rouse__gbm_save(m, &js, &len);
  rouse_gbm *m2 = NULL;
  if (js) rouse__gbm_load(js, len, &m2, NULL, 0);
  rouse__gbm_free(m);
  rouse__gbm_free(m2);
  rouse__gbm_load("{}", 2, &m2, NULL, 0); /* a failure inside XGBoost */
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  long size = (fseek(tmp, 0, SEEK_END) == 0) ? ftell(tmp) : -1;
  if (size > 0) {
    char buf[512] = "";
    rewind(tmp);
    size_t k = fread(buf, 1, sizeof buf - 1, tmp);
    buf[k] = '\0';
    printf("# stderr: %s\n", buf);
  }
  fclose(tmp);
  CHECK(q != NULL);
  CHECK_EQ_INT(size, 0);
  CHECK_EQ_INT(verbosity(), 3); /* the caller's setting is restored */
  XGBSetGlobalConfig("{\"verbosity\":1}");
  free(q);
  rouse__free(js);
  data_free(&a);
}

/* libgomp keeps the threads of a parallel region alive afterwards, and every thread this
 * test starts (its own, the prediction pool's) is joined: had any call of the module used
 * more than one OpenMP thread on the main thread, the process would have more threads than
 * after a plain pthread_create + join (1, or 2 under ThreadSanitizer, whose runtime starts a
 * background thread along with the first other thread). */
static int base_threads = -1;

static void *nothing(void *arg) { return arg; }

static void init_base_threads(void) {
  pthread_t th;
  if (pthread_create(&th, NULL, nothing, NULL) == 0) pthread_join(th, NULL);
  base_threads = n_tasks_settled(1);
  printf("# threads after a joined pthread: %d\n", base_threads);
}

static void check_single_thread(const char *after) {
  if (base_threads < 0) return; /* no /proc/self/task */
  int n = n_tasks_settled(base_threads);
  t_n++;
  if (n == base_threads) printf("ok %d - no thread left after %s\n", t_n, after);
  else {
    t_fail++;
    printf("not ok %d - %d threads (not %d) after %s\n", t_n, n, base_threads, after);
  }
}

static void test_no_openmp(void) {
  rouse_gbm_params p = small;
  p.n_trees = 10;
  p.subsample = 0.8;
  p.early_stop = 3;
  rouse_gbm *m = train(&tr, &te, &p), *m2 = NULL;
  check_single_thread("training");
  double *q = m ? predict(m, &te, 4) : NULL;
  CHECK(q != NULL);
  check_single_thread("prediction");
  char *js = NULL;
  size_t len = 0;
  CHECK_EQ_INT(rouse__gbm_save(m, &js, &len), ROUSE_OK);
  CHECK_EQ_INT(rouse__gbm_load(js, len, &m2, NULL, 0), ROUSE_OK);
  double g[NF];
  CHECK_EQ_INT(rouse__gbm_importance(m2, NF, g), ROUSE_OK);
  check_single_thread("save, load and importance");
  free(q);
  rouse__free(js);
  rouse__gbm_free(m);
  rouse__gbm_free(m2);
}

/*---------------------------------------------------------------------
 * Allocation failures
 *--------------------------------------------------------------------*/
static int fail_after = -1, n_allocs;
static void *f_malloc(void *ctx, size_t n) {
  (void)ctx;
  if (fail_after >= 0 && n_allocs++ >= fail_after) return NULL;
  return malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  if (fail_after >= 0 && n_allocs++ >= fail_after) return NULL;
  return realloc(p, n);
}
static void f_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static void test_nomem(void) {
  if (!model) return;
  struct data a;
  gen(&a, 500, 0, 4);
  rouse_gbm_params p = small;
  p.n_trees = 3;
  rouse_alloc al = {f_malloc, f_realloc, f_free, NULL};
  rouse_set_allocator(&al);
  int ok_train = 0, ok_pred = 0, ok_save = 0, seen_nomem = 0;
  for (int k = 0; k < 20; k++) {
    fail_after = k;
    n_allocs = 0;
    rouse_gbm *m = NULL;
    int rc = rouse__gbm_train(a.X, a.y, NULL, a.n, NF, a.X, a.y, a.n, &p, &m, NULL, 0);
    seen_nomem |= rc == ROUSE_NOMEM;
    if (rc != ROUSE_OK && rc != ROUSE_NOMEM) ok_train = -1;
    if (rc == ROUSE_OK && ok_train == 0) ok_train = k;
    rouse__gbm_free(m);
    n_allocs = 0;
    double out[500];
    rc = rouse__gbm_predict(model, a.X, a.n, NF, 2, out);
    if (rc != ROUSE_OK && rc != ROUSE_NOMEM) ok_pred = -1;
    if (rc == ROUSE_OK && ok_pred == 0) ok_pred = k;
    n_allocs = 0;
    char *js = NULL;
    size_t len;
    rc = rouse__gbm_save(model, &js, &len);
    if (rc != ROUSE_OK && rc != ROUSE_NOMEM) ok_save = -1;
    if (rc == ROUSE_OK && ok_save == 0) ok_save = k;
    rouse__free(js);
  }
  fail_after = -1;
  rouse_set_allocator(NULL);
  CHECK(seen_nomem);
  CHECK(ok_train > 0 && ok_pred > 0 && ok_save > 0);
  data_free(&a);
}

int main(void) {
  gen(&tr, 20000, 0, 1);
  gen(&te, 3 * ROUSE__GBM_BLOCK_ROWS, 0, 2);
  rouse__gbm_params_init(&small);
  small.n_trees = 60;
  small.max_bin = 64;
  test_defaults();
  init_base_threads();
  test_no_openmp(); /* first: a thread left by any other test would not be told apart */
  test_quality();
  test_determinism();
  test_missing();
  test_early_stop();
  test_save_load();
  test_misuse();
  test_silence();
  test_nomem();
  check_single_thread("all tests");
  rouse__gbm_free(model);
  data_free(&tr);
  data_free(&te);
  return done_testing();
}
