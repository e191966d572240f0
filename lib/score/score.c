/* SPDX-License-Identifier: MIT
 * The scoring pipeline (rouse_score_run): snapshots, purchase models, the supervised model
 * trained on the shop's own earlier history, the time-split choice among them, lifecycle
 * states, tiers, values and reasons. docs/scoring.md explains every step; the numbered
 * comments below follow it. */
#include <math.h>
#include <stdio.h>

#include "../base/bg.h"
#include "../base/fmt.h"
#include "../gbm/gbm.h"
#include "../ingest/category.h"
#include "score_priv.h"

/*=====================================================================
 * Names and options
 *====================================================================*/
const char *rouse_score_model_name(int model) {
  if (model == ROUSE_SCORE_AUTO) return "auto";
  if (model == ROUSE_SCORE_GBM) return "gbm";
  if (model == ROUSE_SCORE_RFM) return "rfm";
  if (model == ROUSE_SCORE_RECENCY) return "recency";
  if (model == ROUSE_MODEL_GG) return NULL;
  return rouse_model_name(model);
}

int rouse_score_model_from_name(const char *name) {
  if (!name) return -1;
  if (!strcmp(name, "auto")) return ROUSE_SCORE_AUTO;
  if (!strcmp(name, "gbm")) return ROUSE_SCORE_GBM;
  int k = rouse_model_kind_from_name(name);
  return k && k != ROUSE_MODEL_GG ? k : -1;
}

const char *rouse_tier_name(int tier) {
  static const char *const names[] = {"low", "medium", "high"};
  return tier >= 0 && tier <= 2 ? names[tier] : NULL;
}

static const char *const reason_names[ROUSE_REASON_COUNT] = {
    "none",    "overdue",  "one_time",  "spend_down", "freq_down",
    "returns", "cancels",  "low_alive", "dormant",    "top_value",
    "regular", "recent",   "came_back",
};

const char *rouse_reason_name(int code) {
  return code >= 0 && code < ROUSE_REASON_COUNT ? reason_names[code] : NULL;
}

void rouse_score_opts_init(rouse_score_opts *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  o->as_of = INT32_MIN;
  o->horizon_days = 180;
  o->outcome_end = INT32_MIN;
  o->model = ROUSE_SCORE_AUTO;
  o->trend_days = 90;
  o->min_label_days = 28;
  o->train_max_rows = 50000;
  o->fit_max_customers = 200000;
  o->valid_max_customers = 100000;
  o->by_category = 1;
  o->seed = 20240501;
  o->tier_high = 70;
  o->tier_medium = 40;
  o->react_high = 30;
  o->react_medium = 10;
  rouse_segment_lifecycle_opts_init(&o->life);
  rouse_segment_dormancy_opts_init(&o->dormancy);
}

/*=====================================================================
 * Small helpers
 *====================================================================*/
static double clamp01(double p) { return p < 0 ? 0 : p > 1 ? 1 : p; }

/* logit with the probability kept inside [1e-6, 1 - 1e-6] */
static double logit(double p) {
  p = p < 1e-6 ? 1e-6 : p > 1 - 1e-6 ? 1 - 1e-6 : p;
  return log(p / (1 - p));
}
static double expit(double z) { return 1 / (1 + exp(-z)); }

static double *dalloc(size_t n) { return rouse__calloc(n ? n : 1, sizeof(double)); }

static void seterr(char *buf, size_t len, const char *what, const char *detail) {
  if (buf && len) snprintf(buf, len, "%s%s", what, detail);
}

/* predictions of a fitted purchase model over `days` on a snapshot; p_buy = 1 - P(none) */
static int predict_days(const rouse_model *m, const struct snap *p, int32_t days, int nt,
                        double *pa, double *ex, double *pbuy) {
  size_t n = p->s->n;
  int rc = rouse_model_predict(m, p->x, p->t_x, p->T, n, days / 7.0, nt, pa, ex, pbuy);
  if (rc) return rc;
  if (pbuy)
    for (size_t i = 0; i < n; i++) pbuy[i] = clamp01(1 - pbuy[i]);
  return ROUSE_OK;
}

/* k1: NULL, or MBG/NBD fitted on the same snapshot (MBG/CNBD-k's k = 1 candidate) */
static int fit_model_k1(int kind, const struct snap *p, int nt, const rouse_fit_result *k1,
                        rouse_fit_result *r) {
  rouse_fit_opts fo;
  rouse_fit_opts_init(&fo);
  fo.n_threads = nt;
  fo.k1_fit = k1;
  fo.no_se = 1;
  fo.litt = p->s->sum_log_interval;
  rouse_fit_result_init(r);
  return rouse_model_fit(kind, p->x, p->t_x, p->T, p->s->n, &fo, r);
}

static int fit_model(int kind, const struct snap *p, int nt, rouse_fit_result *r) {
  return fit_model_k1(kind, p, nt, NULL, r);
}

/* a deterministic uniform in [0, 1) from an id and a seed (training sample, eval split) */
static double id_uniform(const char *id, uint64_t seed) {
  uint64_t z = rouse__hash64(id, strlen(id)) ^ (seed * 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double)(z >> 11) * 0x1.0p-53;
}

/*=====================================================================
 * The supervised model on one training snapshot
 *====================================================================*/
struct feat {
  float *X; /* n x NF */
  size_t n;
};

static void feat_free(struct feat *f) {
  rouse__free(f->X);
  f->X = NULL;
}

/* features of all rows of p with the purchase model m's predictions over `days` */
static int feat_build(const struct snap *p, const rouse_model *m, int32_t days, int nt,
                      struct feat *f) {
  size_t n = p->s->n, nb;
  f->n = n;
  if (!rouse__mul_size(n ? n : 1, ROUSE_SCORE_NF * sizeof(float), &nb)) return ROUSE_NOMEM;
  f->X = rouse__malloc(nb);
  double *pa = dalloc(n), *ex = dalloc(n), *pb = dalloc(n);
  int rc = f->X && pa && ex && pb ? ROUSE_OK : ROUSE_NOMEM;
  if (!rc) rc = predict_days(m, p, days, nt, pa, ex, pb);
  if (!rc) rouse__features(p, pa, ex, pb, 0, n, f->X);
  rouse__free(pa);
  rouse__free(ex);
  rouse__free(pb);
  if (rc) feat_free(f);
  return rc;
}

/* the trees boost from the purchase model's log-odds (feature model_p_purchase) */
static float offset_of(const float *row) { return (float)logit(row[ROUSE_SCORE_F_MODEL_P]); }

/* Train the trees on snapshot p (labels: purchase in the label window), with its features
 * f. A deterministic sample of at most max_rows rows, a fifth of them (by id) held out for
 * early stopping. */
static int gbm_train_snap(const struct snap *p, const struct feat *f, const rouse_score_opts *o,
                          rouse_gbm **out, size_t *rows_used, char *err, size_t errlen) {
  size_t n = p->s->n;
  double keep = n > o->train_max_rows ? (double)o->train_max_rows / (double)n : 1.0;
  size_t nt = 0, ne = 0;
  uint8_t *role = rouse__calloc(n ? n : 1, 1); /* 0 out, 1 train, 2 eval */
  if (!role) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) {
    double u = id_uniform(p->s->id[i], o->seed);
    if (u >= keep) continue;
    role[i] = u < keep * 0.8 ? 1 : 2;
    if (role[i] == 1) nt++;
    else ne++;
  }
  float *Xt = rouse__malloc((nt ? nt : 1) * ROUSE_SCORE_NF * sizeof(float));
  float *Xe = rouse__malloc((ne ? ne : 1) * ROUSE_SCORE_NF * sizeof(float));
  float *yt = rouse__malloc((nt ? nt : 1) * sizeof(float));
  float *ye = rouse__malloc((ne ? ne : 1) * sizeof(float));
  float *ot = rouse__malloc((nt ? nt : 1) * sizeof(float));
  float *oe = rouse__malloc((ne ? ne : 1) * sizeof(float));
  int rc = Xt && Xe && yt && ye && ot && oe ? ROUSE_OK : ROUSE_NOMEM;
  size_t a = 0, b = 0;
  for (size_t i = 0; !rc && i < n; i++) {
    float y = p->s->holdout_x[i] > 0;
    if (role[i] == 1) {
      memcpy(Xt + a * ROUSE_SCORE_NF, f->X + i * ROUSE_SCORE_NF, ROUSE_SCORE_NF * sizeof(float));
      ot[a] = offset_of(f->X + i * ROUSE_SCORE_NF);
      yt[a++] = y;
    } else if (role[i] == 2) {
      memcpy(Xe + b * ROUSE_SCORE_NF, f->X + i * ROUSE_SCORE_NF, ROUSE_SCORE_NF * sizeof(float));
      oe[b] = offset_of(f->X + i * ROUSE_SCORE_NF);
      ye[b++] = y;
    }
  }
  if (!rc) {
    rouse_gbm_params gp;
    rouse__gbm_params_init(&gp);
    gp.seed = o->seed;
    gp.n_trees = 80;
    gp.eta = 0.15;
    gp.max_bin = 64;
    gp.min_child_weight = 20;
    gp.early_stop = 10;
    rc = rouse__gbm_train_offset(Xt, yt, NULL, ot, nt, ROUSE_SCORE_NF, ne ? Xe : NULL,
                                 ne ? ye : NULL, ne ? oe : NULL, ne, &gp, out, err, errlen);
  }
  *rows_used = nt + ne;
  rouse__free(role);
  rouse__free(Xt);
  rouse__free(Xe);
  rouse__free(yt);
  rouse__free(ye);
  rouse__free(ot);
  rouse__free(oe);
  return rc;
}

/* p_out = gbm probability for the label window, carried to the target window in logit
 * space by the purchase model's horizon effect (q_target vs q_label); no shift when the
 * windows are equal (q_label == NULL). */
static int gbm_apply(const rouse_gbm *g, const struct feat *f, const double *q_label,
                     const double *q_target, int nt, double *p_out) {
  float *off = rouse__malloc((f->n ? f->n : 1) * sizeof *off);
  if (!off) return ROUSE_NOMEM;
  for (size_t i = 0; i < f->n; i++) off[i] = offset_of(f->X + i * ROUSE_SCORE_NF);
  int rc = rouse__gbm_predict_offset(g, f->X, off, f->n, ROUSE_SCORE_NF, nt, p_out);
  rouse__free(off);
  if (rc) return rc;
  if (q_label)
    for (size_t i = 0; i < f->n; i++)
      p_out[i] = expit(logit(p_out[i]) + logit(q_target[i]) - logit(q_label[i]));
  return ROUSE_OK;
}

/*=====================================================================
 * Evaluation rows
 *====================================================================*/
static int eval_row(int model, const double *score, const uint8_t *y, size_t n, int is_prob,
                    const double *expected, const uint32_t *actual, rouse_score_eval *row) {
  memset(row, 0, sizeof *row);
  row->model = model;
  rouse_eval_opts eo;
  rouse_eval_opts_init(&eo);
  eo.is_prob = is_prob;
  row->r.struct_size = sizeof row->r;
  int rc = rouse_eval_binary(score, y, n, &eo, &row->r);
  if (rc) return rc;
  row->ok = 1;
  row->predicted = row->actual = NAN;
  if (expected && actual) {
    double sp = 0, sa = 0;
    for (size_t i = 0; i < n; i++) {
      sp += expected[i];
      sa += actual[i];
    }
    row->predicted = sp;
    row->actual = sa;
  }
  return ROUSE_OK;
}

/* the RFM score (3..15) and minus recency as ranking baselines */
static int baselines(const struct snap *p, const uint8_t *y, rouse_score_eval *rows) {
  size_t n = p->s->n;
  rouse_rfm *rfm = NULL;
  int rc = rouse_segment_rfm(p->s, NULL, &rfm);
  if (rc) return rc;
  double *v = dalloc(n);
  if (!v) rc = ROUSE_NOMEM;
  if (!rc) {
    for (size_t i = 0; i < n; i++) v[i] = rfm->score[i];
    rc = eval_row(ROUSE_SCORE_RFM, v, y, n, 0, NULL, NULL, &rows[0]);
  }
  if (!rc) {
    for (size_t i = 0; i < n; i++) v[i] = -(double)(p->s->as_of - 1 - p->s->last_day[i]);
    rc = eval_row(ROUSE_SCORE_RECENCY, v, y, n, 0, NULL, NULL, &rows[1]);
  }
  rouse__free(v);
  rouse_segment_rfm_free(rfm);
  return rc;
}

/*=====================================================================
 * Reasons
 *====================================================================*/
struct cand_reason {
  double strength;
  uint8_t code;
  float v0, v1;
};

static void add_reason(struct cand_reason *c, int *nc, double strength, int code, double v0,
                       double v1) {
  if (!(strength > 0)) return;
  c[*nc].strength = strength;
  c[*nc].code = (uint8_t)code;
  c[*nc].v0 = (float)v0;
  c[*nc].v1 = (float)v1;
  (*nc)++;
}

static void reasons_for(const rouse_scores *sc, const struct snap *p, size_t i,
                        const rouse_score_opts *o) {
  const rouse_summary *s = p->s;
  struct cand_reason c[ROUSE_REASON_COUNT];
  int nc = 0;
  int st = sc->life->state[i];
  double rec = (double)(s->as_of - 1 - s->last_day[i]);
  uint32_t x = s->x[i];
  double span = (double)(s->last_day[i] - s->first_day[i]);
  double mi = x ? span / x : NAN;
  if (st == ROUSE_STATE_DORMANT || st == ROUSE_STATE_LOST)
    add_reason(c, &nc, 10, ROUSE_REASON_DORMANT, rec,
               sc->dormant_days_of ? sc->dormant_days_of[i] : sc->life->dormant_days);
  if (st == ROUSE_STATE_REACTIVATED)
    add_reason(c, &nc, 4, ROUSE_REASON_CAME_BACK, s->last_interval[i], 0);
  if (x && mi > 0 && rec / mi >= 1.2) add_reason(c, &nc, rec / mi, ROUSE_REASON_OVERDUE, rec / mi, 0);
  if (!x) {
    double base = sc->life->at_risk_shop_days > 0 ? sc->life->at_risk_shop_days : 30;
    add_reason(c, &nc, 1.5 + rec / base, ROUSE_REASON_ONE_TIME, rec, 0);
  }
  if (s->has_amount && p->prev_has_amount) {
    int64_t rtot = s->total_e4[i] - p->prev_total[i];
    uint32_t ro = s->orders[i] - p->prev_orders[i];
    if (ro && p->prev_orders[i] && p->prev_total[i] > 0) {
      double before = (double)p->prev_total[i] / p->prev_orders[i];
      double fall = 1 - ((double)rtot / ro) / before;
      if (fall >= 0.2) add_reason(c, &nc, 1 + 3 * fall, ROUSE_REASON_SPEND_DOWN, fall, 0);
    }
  }
  if (s->has_amount) {
    double tot = (double)s->total_e4[i], ret = (double)s->returned_e4[i];
    if (tot + ret > 0 && ret / (tot + ret) >= 0.2)
      add_reason(c, &nc, 1 + 2 * ret / (tot + ret), ROUSE_REASON_RETURNS, ret / (tot + ret), 0);
  }
  if (x >= 2 && span > 0) {
    double usual = (double)o->trend_days * x / span; /* own rate over one trend window */
    double recent = s->purchase_days[i] - p->prev_days[i];
    if (usual >= 1.5 && recent <= 0.5 * usual)
      add_reason(c, &nc, 1 + 2 * (usual - recent) / usual, ROUSE_REASON_FREQ_DOWN, recent, usual);
  }
  if (s->cancelled_orders[i])
    add_reason(c, &nc, fmin(2, 0.8 + 0.2 * s->cancelled_orders[i]), ROUSE_REASON_CANCELS,
               s->cancelled_orders[i], 0);
  if (sc->p_alive[i] < 0.5)
    add_reason(c, &nc, 1 + 4 * (0.5 - sc->p_alive[i]), ROUSE_REASON_LOW_ALIVE, sc->p_alive[i], 0);
  if (sc->dormancy && sc->dormancy->top_value[i] && st != ROUSE_STATE_NEW &&
      st != ROUSE_STATE_ACTIVE)
    add_reason(c, &nc, 1.5, ROUSE_REASON_TOP_VALUE, o->dormancy.top_share, 0);
  if (nc == 0) {
    if (x >= 2 && mi > 0 && isfinite(s->interval_cv[i]) && s->interval_cv[i] < 0.5)
      add_reason(c, &nc, 0.6, ROUSE_REASON_REGULAR, mi, 0);
    add_reason(c, &nc, 0.5, ROUSE_REASON_RECENT, rec, 0);
  }
  /* strongest first; equal strengths keep the order above (insertion sort is stable) */
  for (int a = 1; a < nc; a++) {
    struct cand_reason t = c[a];
    int b = a - 1;
    while (b >= 0 && c[b].strength < t.strength) {
      c[b + 1] = c[b];
      b--;
    }
    c[b + 1] = t;
  }
  for (int k = 0; k < ROUSE_SCORE_REASONS; k++) {
    sc->reason[i * ROUSE_SCORE_REASONS + k] = k < nc ? c[k].code : 0;
    sc->reason_v[(i * ROUSE_SCORE_REASONS + k) * 2] = k < nc ? c[k].v0 : 0;
    sc->reason_v[(i * ROUSE_SCORE_REASONS + k) * 2 + 1] = k < nc ? c[k].v1 : 0;
  }
}

/* Text of one reason, assembled piece by piece (no printf: it is written for every row of
 * scores.csv and the lists). The numbers have printf's bytes: %d, and %.1f through the same
 * exact-rounding path as the CSV numbers (lib/base/fmt.h). */
struct rt {
  char b[192];
  size_t n;
};

static void rt_s(struct rt *t, const char *s) {
  size_t l = strlen(s);
  if (t->n + l < sizeof t->b) {
    memcpy(t->b + t->n, s, l);
    t->n += l;
  }
}

static void rt_d(struct rt *t, int v) {
  if (t->n + 24 < sizeof t->b) t->n = (size_t)(rouse__fmt_i64(t->b + t->n, v) - t->b);
}

static void rt_f1(struct rt *t, double v) { /* printf("%.1f", v) */
  if (t->n + 40 >= sizeof t->b) return;
  char *e = rouse__fmt_printf_fixed(t->b + t->n, v, 1);
  if (e) {
    t->n = (size_t)(e - t->b);
    return;
  }
  int w = snprintf(t->b + t->n, sizeof t->b - t->n, "%.1f", v);
  if (w > 0 && t->n + (size_t)w < sizeof t->b) t->n += (size_t)w;
}

static int reason_text(int code, double v0, double v1, int ja, char *b, size_t len) {
  int d0 = (int)lrint(v0), d1 = (int)lrint(v1), pct = (int)lrint(100 * v0);
  struct rt t;
  t.n = 0;
  switch (code) {
    case ROUSE_REASON_OVERDUE:
      rt_s(&t, ja ? "購入間隔が通常の" : "interval "), rt_f1(&t, v0), rt_s(&t, ja ? "倍" : "× usual");
      break;
    case ROUSE_REASON_ONE_TIME:
      rt_s(&t, ja ? "購入1回のみ(" : "one purchase only, "), rt_d(&t, d0),
          rt_s(&t, ja ? "日前)" : " days ago");
      break;
    case ROUSE_REASON_SPEND_DOWN:
      rt_s(&t, ja ? "注文単価が" : "spend per order down "), rt_d(&t, pct), rt_s(&t, ja ? "%低下" : "%");
      break;
    case ROUSE_REASON_FREQ_DOWN:
      if (ja) rt_s(&t, "直近の購入"), rt_d(&t, d0), rt_s(&t, "回(通常"), rt_f1(&t, v1), rt_s(&t, "回)");
      else rt_d(&t, d0), rt_s(&t, " purchases in the recent window (usually "), rt_f1(&t, v1),
          rt_s(&t, ")");
      break;
    case ROUSE_REASON_RETURNS:
      rt_s(&t, ja ? "返品が購入額の" : "returns "), rt_d(&t, pct), rt_s(&t, ja ? "%" : "% of purchases");
      break;
    case ROUSE_REASON_CANCELS:
      if (ja) rt_s(&t, "キャンセル"), rt_d(&t, d0), rt_s(&t, "件");
      else rt_d(&t, d0), rt_s(&t, " cancelled orders");
      break;
    case ROUSE_REASON_LOW_ALIVE:
      rt_s(&t, ja ? "継続確率" : "model P(active) "), rt_d(&t, pct), rt_s(&t, "%");
      break;
    case ROUSE_REASON_DORMANT:
      if (ja) rt_d(&t, d0), rt_s(&t, "日間購入なし(休眠基準"), rt_d(&t, d1), rt_s(&t, "日)");
      else rt_s(&t, "no purchase for "), rt_d(&t, d0), rt_s(&t, " days (threshold "), rt_d(&t, d1),
          rt_s(&t, ")");
      break;
    case ROUSE_REASON_TOP_VALUE:
      rt_s(&t, ja ? "過去の上位" : "past top-"), rt_d(&t, pct), rt_s(&t, ja ? "%顧客" : "% customer");
      break;
    case ROUSE_REASON_REGULAR:
      rt_s(&t, ja ? "定期的に購入(約" : "regular buyer, every "), rt_d(&t, d0),
          rt_s(&t, ja ? "日ごと)" : " days");
      break;
    case ROUSE_REASON_RECENT:
      rt_s(&t, ja ? "最終購入" : "last purchase "), rt_d(&t, d0), rt_s(&t, ja ? "日前" : " days ago");
      break;
    case ROUSE_REASON_CAME_BACK:
      rt_s(&t, ja ? "" : "came back after "), rt_d(&t, d0),
          rt_s(&t, ja ? "日ぶりに復帰" : " days away");
      break;
    default: return 0;
  }
  /* as snprintf: at most len - 1 bytes with a NUL, the full length returned */
  size_t c = t.n < len ? t.n : len - 1;
  memcpy(b, t.b, c);
  b[c] = '\0';
  return (int)t.n;
}

char *rouse_score_reasons_text(const rouse_scores *s, size_t i, const char *lang, char *buf,
                               size_t len) {
  if (!buf || !len) return buf;
  buf[0] = '\0';
  if (!s || i >= s->n) return buf;
  int ja = !lang || strcmp(lang, "en");
  const char *sep = ja ? "、" : "; ";
  size_t at = 0;
  for (int k = 0; k < ROUSE_SCORE_REASONS; k++) {
    int code = s->reason[i * ROUSE_SCORE_REASONS + k];
    if (!code) break;
    if (k && at + strlen(sep) < len) {
      memcpy(buf + at, sep, strlen(sep) + 1);
      at += strlen(sep);
    }
    if (at >= len - 1) break;
    const float *v = s->reason_v + (i * ROUSE_SCORE_REASONS + k) * 2;
    int w = reason_text(code, v[0], v[1], ja, buf + at, len - at);
    if (w < 0) break;
    at += (size_t)w < len - at ? (size_t)w : len - at - 1;
  }
  return buf;
}

/*=====================================================================
 * The pipeline
 *====================================================================*/
void rouse_scores_free(rouse_scores *s) {
  if (!s) return;
  rouse_summary_free(s->summary);
  rouse_segment_lifecycle_free(s->life);
  rouse_segment_rfm_free(s->rfm);
  rouse_segment_dormancy_free(s->dormancy);
  rouse_categories_free(s->categories);
  rouse__free(s->dormant_days_of);
  rouse__free(s->p_alive);
  rouse__free(s->p_purchase);
  rouse__free(s->expected_purchases);
  rouse__free(s->expected_spend);
  rouse__free(s->expected_value);
  rouse__free(s->value_at_stake);
  rouse__free(s->churn_risk);
  rouse__free(s->tier);
  rouse__free(s->reason);
  rouse__free(s->reason_v);
  for (int c = 0; c < ROUSE_SCORE_MAX_CAND; c++) rouse__free(s->cand_p[c]);
  rouse__free(s->importance);
  rouse__free(s);
}

static const int btyd_kinds[] = {ROUSE_MODEL_BGNBD, ROUSE_MODEL_MBGNBD, ROUSE_MODEL_PNBD,
                                 ROUSE_MODEL_MBGCNBD};
#define N_BTYD 4

struct run {
  const rouse_ingest *ing;
  const rouse_score_opts *o;
  int nt;
  char *err;
  size_t errlen;
  struct snap now, train, valid; /* as_of, as_of - L1, as_of - L1 - L3 */
  struct snap now_sample;        /* the fitting sample at as_of (big data only) */
  const struct snap *fit_snap;   /* the purchase models are fitted on it: now or now_sample */
  double sample;                 /* 0, or the sample fraction of the fitting snapshot */
  double vsample;                /* 0, or the sample fraction of every past snapshot (the
                                    validation and the trees: a subset of the fitting one) */
  rouse_fit_result train_bg;     /* BG/NBD at the training snapshot, fitted once */
  int train_bg_rc;               /* its status; 1 = not fitted yet */
  int32_t L1, L3;
  int32_t T1; /* the training snapshot is at as_of - T1: L1, or 365 (the same season) */
  int gbm_ok, valid_ok;
  /* the RFM scores of the as_of snapshot, computed on a thread of their own from the moment
   * the snapshot exists (they need nothing else) until the segments stage */
  struct rouse_bg rfm_job;
  int rfm_rc;
  rouse_rfm *rfm;
  /* BG/NBD and Gamma-Gamma on the fitting snapshot do not depend on the choice: fitted on a
   * thread of their own beside the validation */
  struct rouse_bg asof_job;
  /* the category rows sorted once for the snapshots' categories (NULL: none) */
  struct rouse__catsort *cats;
  int cats_tried;
  rouse_fit_result asof_bg, asof_gg;
  int asof_bg_rc, asof_gg_rc;
};

static void *asof_thread(void *arg) {
  struct run *R = arg;
  const struct snap *f = R->fit_snap;
  R->asof_bg_rc = fit_model(ROUSE_MODEL_BGNBD, f, R->nt, &R->asof_bg);
  rouse_fit_result_init(&R->asof_gg);
  R->asof_gg_rc = ROUSE_EMPTY;
  if (f->s->has_amount) {
    rouse_fit_opts fo;
    rouse_fit_opts_init(&fo);
    fo.n_threads = R->nt;
    fo.no_se = 1;
    R->asof_gg_rc = rouse_model_fit_spend(f->x, f->spend, f->s->n, &fo, &R->asof_gg);
  }
  return NULL;
}

/* those fits, once: waits for the thread, or fits here without one */
static void asof_join(struct run *R) { rouse__bg_finish(&R->asof_job); }

static void *rfm_thread(void *arg) {
  struct run *R = arg;
  R->rfm_rc = rouse_segment_rfm(R->now.s, NULL, &R->rfm);
  return NULL;
}

/* the RFM scores, once: waits for the thread, or computes them here without one */
static int rfm_join(struct run *R) {
  rouse__bg_finish(&R->rfm_job);
  return R->rfm_rc;
}

/* progress: the stage that starts now; nonzero = cancelled */
static int stage(const struct run *R, const char *name) {
  return R->o->progress && R->o->progress(R->o->progress_ctx, name) ? ROUSE_CANCELLED : 0;
}
#define STAGE(name)                      \
  do {                                   \
    int st_ = stage(R, name);            \
    if (st_) return st_;                 \
  } while (0)

/* BG/NBD at the training snapshot: the validation candidate and the trees' feature model */
static int train_bgnbd(struct run *R, rouse_fit_result *out) {
  if (R->train_bg_rc == 1) R->train_bg_rc = fit_model(ROUSE_MODEL_BGNBD, &R->train, R->nt, &R->train_bg);
  *out = R->train_bg;
  return R->train_bg_rc;
}

/* whether a candidate is computed (the trees; the purchase models are fitted after the choice) */
static int wanted(const rouse_score_opts *o, int model) {
  return o->model == ROUSE_SCORE_AUTO || o->all_candidates || o->model == model;
}

/* 3b. the trees' validation: trained at the validation snapshot (window L3) with BG/NBD
 * fitted there, applied at the training snapshot with the training BG/NBD (ft). It runs on
 * a thread of its own beside the purchase models' validation fits (XGBoost trains on one
 * thread), so it only reads the run and writes its own fields. */
struct gbm_valid {
  const struct run *R;
  rouse_fit_result ft; /* BG/NBD at the training snapshot */
  const uint8_t *y;
  rouse_score_eval row;
  int has_row;   /* row is set (an evaluation, or the "one class only" note) */
  int one_class; /* nothing to learn in the label window */
  int rc;
  char err[256];
};

static void *gbm_validate(void *arg) {
  struct gbm_valid *j = arg;
  const struct run *R = j->R;
  const struct snap *t = &R->train;
  size_t n = t->s->n;
  rouse_fit_result fv;
  struct feat fvx = {0}, ftx = {0};
  rouse_gbm *g = NULL;
  size_t used = 0;
  double *q3 = NULL, *q1 = NULL, *pb = dalloc(n);
  int rc = pb ? ROUSE_OK : ROUSE_NOMEM;
  if (!rc) rc = fit_model(ROUSE_MODEL_BGNBD, &R->valid, R->nt, &fv);
  if (!rc) rc = feat_build(&R->valid, &fv.model, R->L3, R->nt, &fvx);
  if (!rc) rc = feat_build(t, &j->ft.model, R->L3, R->nt, &ftx);
  if (!rc) rc = gbm_train_snap(&R->valid, &fvx, R->o, &g, &used, j->err, sizeof j->err);
  if (rc == ROUSE_EMPTY) { /* one class only in the label window: nothing to learn */
    memset(&j->row, 0, sizeof j->row);
    j->row.model = ROUSE_SCORE_GBM;
    snprintf(j->row.note, sizeof j->row.note, "one class only");
    j->err[0] = '\0';
    j->has_row = j->one_class = 1;
    rc = ROUSE_OK;
  }
  if (!rc && g && R->L3 != R->L1) {
    q3 = dalloc(n);
    q1 = dalloc(n);
    if (!q3 || !q1) rc = ROUSE_NOMEM;
    if (!rc) rc = predict_days(&j->ft.model, t, R->L3, R->nt, NULL, NULL, q3);
    if (!rc) rc = predict_days(&j->ft.model, t, R->L1, R->nt, NULL, NULL, q1);
  }
  if (!rc && g) rc = gbm_apply(g, &ftx, q3, q1, R->nt, pb);
  if (!rc && g) {
    rc = eval_row(ROUSE_SCORE_GBM, pb, j->y, n, 1, NULL, NULL, &j->row);
    j->has_row = !rc;
  }
  rouse__free(q3);
  rouse__free(q1);
  rouse__free(pb);
  rouse__gbm_free(g);
  feat_free(&fvx);
  feat_free(&ftx);
  j->rc = rc;
  return NULL;
}

/* 3. time-split validation at the training snapshot: BTYD candidates fitted there predict
 * its label window; the trees trained on the earlier snapshot do the same. The rows are in
 * the order of btyd_kinds, then the trees, then the baselines, whatever finishes first. */
static int validate(struct run *R, rouse_scores *sc) {
  const struct snap *t = &R->train;
  size_t n = t->s->n;
  uint8_t *y = rouse__calloc(n ? n : 1, 1);
  double *pa = dalloc(n), *ex = dalloc(n), *pb = dalloc(n);
  int rc = y && pa && ex && pb ? ROUSE_OK : ROUSE_NOMEM;
  for (size_t i = 0; !rc && i < n; i++) y[i] = t->s->holdout_x[i] > 0;
  sc->n_valid = 0;
  struct gbm_valid gj;
  memset(&gj, 0, sizeof gj);
  gj.R = R;
  gj.y = y;
  struct rouse_bg gbg = {0};
  int g_wanted = 0;
  rouse_fit_result mbg; /* MBG/NBD: MBG/CNBD-k's k = 1 */
  int have_mbg = 0;
  for (int k = 0; !rc && k < N_BTYD; k++) {
    rouse_fit_result fr;
    char nm[48];
    snprintf(nm, sizeof nm, "validation: %s", rouse_model_name(btyd_kinds[k]));
    if ((rc = stage(R, nm))) break;
    int fr_rc = btyd_kinds[k] == ROUSE_MODEL_BGNBD
                    ? train_bgnbd(R, &fr)
                    : fit_model_k1(btyd_kinds[k], t, R->nt, have_mbg ? &mbg : NULL, &fr);
    if (btyd_kinds[k] == ROUSE_MODEL_MBGNBD && !fr_rc && fr.converged) mbg = fr, have_mbg = 1;
    if (btyd_kinds[k] == ROUSE_MODEL_BGNBD && R->valid_ok) {
      /* the trees need the training BG/NBD; they start now, beside the other fits */
      g_wanted = 1;
      if (fr_rc == ROUSE_NOMEM) rc = fr_rc;
      else if (fr_rc) gj.rc = fr_rc;
      else {
        gj.ft = fr;
        rouse__bg_start(&gbg, gbm_validate, &gj);
      }
    }
    rouse_score_eval *row = &sc->valid[sc->n_valid++];
    if (fr_rc == ROUSE_NOMEM) rc = fr_rc;
    if (rc) break;
    if (fr_rc || !fr.converged) {
      memset(row, 0, sizeof *row);
      row->model = btyd_kinds[k];
      snprintf(row->note, sizeof row->note, "did not converge");
      continue;
    }
    rc = predict_days(&fr.model, t, R->L1, R->nt, pa, ex, pb);
    if (!rc) rc = eval_row(btyd_kinds[k], pb, y, n, 1, ex, t->s->holdout_x, row);
  }
  if (g_wanted) {
    int st = stage(R, "validation: gbm");
    if (rc) rouse__bg_wait(&gbg);
    else rouse__bg_finish(&gbg); /* without a thread: here (never started when gj.rc was set) */
    if (!rc) rc = st;
    if (!rc) rc = gj.rc;
    if (gj.rc && R->err && R->errlen) snprintf(R->err, R->errlen, "%s", gj.err);
    if (!rc && gj.has_row) sc->valid[sc->n_valid++] = gj.row;
    if (!rc && gj.one_class) R->valid_ok = 0;
  }
  if (!rc) {
    rc = baselines(t, y, &sc->valid[sc->n_valid]);
    if (!rc) sc->n_valid += 2;
  }
  rouse__free(y);
  rouse__free(pa);
  rouse__free(ex);
  rouse__free(pb);
  return rc;
}

/* The choice: the highest validation AUC, less a penalty for calibration error beyond 0.05
 * (docs/scoring.md). The reason says so when the penalty applied, and names the candidate
 * with the highest AUC when the penalty cost it the choice. */
static int choose(rouse_scores *sc) {
  int best = -1, top = -1;
  double best_v = -1;
  for (int i = 0; i < sc->n_valid; i++) {
    const rouse_score_eval *e = &sc->valid[i];
    if (!e->ok || e->model < 0 || !e->r.has_auc) continue;
    double v = e->r.auc - fmax(0, e->r.ece - 0.05);
    if (v > best_v) {
      best_v = v;
      best = i;
    }
    if (top < 0 || e->r.auc > sc->valid[top].r.auc) top = i;
  }
  if (best < 0) {
    snprintf(sc->why, sizeof sc->why,
             "no candidate could be validated (too little history before the training "
             "snapshot for a validation window, or one outcome only): BG/NBD");
    return ROUSE_MODEL_BGNBD;
  }
  const rouse_score_eval *b = &sc->valid[best], *t = &sc->valid[top];
  double rfm_auc = NAN;
  for (int i = 0; i < sc->n_valid; i++)
    if (sc->valid[i].model == ROUSE_SCORE_RFM && sc->valid[i].r.has_auc)
      rfm_auc = sc->valid[i].r.auc;
  char ru[48] = "";
  if (isfinite(rfm_auc)) snprintf(ru, sizeof ru, ", RFM %.3f", rfm_auc);
  if (top != best)
    snprintf(sc->why, sizeof sc->why,
             "highest time-split validation AUC less the calibration penalty (calibration "
             "error above 0.05): AUC %.3f with calibration error %.3f, where %s had AUC %.3f "
             "with calibration error %.3f%s; on purchases in the %d days after the validation "
             "date",
             b->r.auc, b->r.ece, rouse_score_model_name(t->model), t->r.auc, t->r.ece, ru,
             (int)sc->label_days);
  else
    snprintf(sc->why, sizeof sc->why,
             "highest time-split validation AUC %.3f (calibration error %.3f%s%s) on purchases "
             "in the %d days after the validation date",
             b->r.auc, b->r.ece, b->r.ece > 0.05 ? ", above 0.05" : "", ru, (int)sc->label_days);
  return b->model;
}

/* 5. values, tiers and reasons of the customers [VALUES_CHUNK * c, ...): rows are
 * independent, so chunks run on the pool */
#define VALUES_CHUNK 16384
struct values_job {
  rouse_scores *sc;
  const struct snap *p;
  const rouse_score_opts *o;
  double new_h; /* BG/NBD expected purchases of a new customer in the horizon */
};

static void values_task(void *arg, size_t c) {
  const struct values_job *j = arg;
  rouse_scores *sc = j->sc;
  const struct snap *p = j->p;
  const rouse_score_opts *o = j->o;
  double new_h = j->new_h;
  size_t lo = c * VALUES_CHUNK, hi = lo + VALUES_CHUNK < sc->n ? lo + VALUES_CHUNK : sc->n;
  for (size_t i = lo; i < hi; i++) {
    double pp = sc->p_purchase[i];
    int st = sc->life->state[i];
    int dormant = st == ROUSE_STATE_DORMANT || st == ROUSE_STATE_LOST;
    double spend = isfinite(sc->expected_spend[i]) ? sc->expected_spend[i] : 1.0;
    sc->churn_risk[i] = 100 * (1 - pp);
    sc->expected_value[i] = dormant ? pp * spend : sc->expected_purchases[i] * spend;
    /* what the customer would buy in the horizon at the usual rate if retained */
    double active_days = (double)(p->s->last_day[i] - p->s->first_day[i]);
    double usual = p->s->x[i] && active_days > 0
                       ? (double)o->horizon_days * p->s->x[i] / active_days : new_h;
    if (usual < 1) usual = 1;
    sc->value_at_stake[i] = (1 - pp) * usual * spend;
    double r = 100 * pp;
    if (dormant)
      sc->tier[i] = r >= o->react_high ? ROUSE_TIER_HIGH
                    : r >= o->react_medium ? ROUSE_TIER_MEDIUM : ROUSE_TIER_LOW;
    else
      sc->tier[i] = sc->churn_risk[i] >= o->tier_high ? ROUSE_TIER_HIGH
                    : sc->churn_risk[i] >= o->tier_medium ? ROUSE_TIER_MEDIUM : ROUSE_TIER_LOW;
    reasons_for(sc, p, i, o);
  }
}

/* the category mix of a snapshot's customers (features), when the data has categories; the
 * thresholds by the shop's rule, as the states use them */
static int snap_categories(struct run *R, struct snap *p) {
  rouse_category_opts co;
  rouse_category_opts_init(&co);
  co.interval = R->o->life.interval;
  co.min_dormant_days = R->o->category_min_days > 0 ? R->o->category_min_days : 0;
  if (R->o->category_min_days == ROUSE_CATEGORY_FLOOR_SHOP) { /* the snapshot's shop threshold */
    rouse_interval_stats st;
    if (rouse_segment_interval_stats(p->s, &co.interval, &st) == ROUSE_OK && st.intervals)
      co.min_dormant_days = st.threshold_days;
  }
  if (!R->cats_tried) { /* the rows sorted once, for every snapshot */
    R->cats_tried = 1;
    int rc = rouse__catsort_build(R->ing, R->nt, &R->cats);
    if (rc && rc != ROUSE_EMPTY) return rc;
  }
  if (!R->cats) return ROUSE_OK;
  int rc = rouse__categories_from_sorted(R->cats, p->s, &co, &p->cat);
  return rc == ROUSE_EMPTY ? ROUSE_OK : rc;
}

static int run_main(struct run *R, rouse_scores *sc) {
  const rouse_score_opts *o = R->o;
  int nt = R->nt;
  /* 1. the snapshot at as_of */
  STAGE("summary");
  int rc = rouse__snap_build(R->ing, o->as_of, 0, o->outcome_end, o->trend_days, 0, nt, &R->now);
  if (!rc) rc = snap_categories(R, &R->now);
  if (rc) return rc;
  const struct snap *p = &R->now;
  rouse__bg_start(&R->rfm_job, rfm_thread, R);
  size_t n = sc->n = p->s->n;
  R->fit_snap = p;
  if (o->fit_max_customers && n > o->fit_max_customers) {
    /* big data: models fitted and validated on a sample, every customer scored */
    STAGE("sample");
    R->sample = (double)o->fit_max_customers / (double)n;
    rc = rouse__snap_build(R->ing, p->as_of, 0, INT32_MIN, o->trend_days, R->sample, nt,
                           &R->now_sample);
    if (rc) return rc;
    R->fit_snap = &R->now_sample;
  }
  sc->fit_customers = R->fit_snap->s->n;
  rouse__bg_start(&R->asof_job, asof_thread, R);
  R->vsample = R->sample;
  if (o->valid_max_customers && n > o->valid_max_customers) {
    double v = (double)o->valid_max_customers / (double)n;
    if (!(R->vsample > 0) || v < R->vsample) R->vsample = v;
  }
  sc->as_of = p->as_of;
  sc->horizon_days = o->horizon_days;
  sc->trend_days = o->trend_days;
  sc->tier_high = o->tier_high;
  sc->tier_medium = o->tier_medium;
  sc->react_high = o->react_high;
  sc->react_medium = o->react_medium;
  sc->train_as_of = sc->valid_as_of = INT32_MIN;
  int32_t first = INT32_MAX;
  for (size_t i = 0; i < n; i++)
    if (p->s->first_day[i] < first) first = p->s->first_day[i];
  int32_t span = p->as_of - first;
  R->L1 = o->horizon_days < span / 2 ? o->horizon_days : span / 2;
  R->gbm_ok = R->L1 >= o->min_label_days;
  R->L3 = 0;
  /* With more than a year of history and a label window of the full horizon of 180 to 365
   * days, the training snapshot is one year before as_of, so that its label window covers
   * the same season as the horizon (a shop's year-end peak is then learnt where it will be
   * predicted; at as_of - L1 a half-year window would have the opposite season), provided
   * half a label window of history comes before it. Otherwise it is at as_of - L1
   * (docs/scoring.md). */
  R->T1 = R->L1;
  if (R->gbm_ok && R->L1 == o->horizon_days && o->horizon_days >= 180 &&
      o->horizon_days <= 365 &&
      p->as_of - 365 - first >= (R->L1 / 2 > o->min_label_days ? R->L1 / 2 : o->min_label_days))
    R->T1 = 365;
  if (R->gbm_ok) {
    int32_t span1 = p->as_of - R->T1 - first;
    R->L3 = R->L1 < span1 / 2 ? R->L1 : span1 / 2;
    R->valid_ok = R->L3 >= o->min_label_days;
  }
  sc->label_days = R->L1;
  if (o->model == ROUSE_SCORE_GBM && !R->gbm_ok) {
    if (R->err && R->errlen)
      snprintf(R->err, R->errlen,
               "the supervised model needs at least %d days of history after %d days of "
               "features; the data has %d days",
               (int)o->min_label_days, (int)o->min_label_days, (int)span);
    return ROUSE_DOMAIN;
  }

  /* 2. the training snapshot and the trees; 3. the choice */
  rouse_gbm *g = NULL;
  if (R->gbm_ok && (wanted(o, ROUSE_SCORE_GBM))) {
    STAGE("training snapshot");
    int32_t t_as_of = p->as_of - R->T1;
    rc = rouse__snap_build(R->ing, t_as_of, R->L1, INT32_MIN, o->trend_days, R->vsample, nt,
                           &R->train);
    if (rc == ROUSE_EMPTY) R->gbm_ok = 0, rc = ROUSE_OK;
    if (!rc && R->gbm_ok) rc = snap_categories(R, &R->train);
    if (rc) return rc;
    if (R->gbm_ok) sc->train_as_of = t_as_of;
    if (R->gbm_ok && R->vsample > 0) sc->valid_customers = R->train.s->n;
    if (R->gbm_ok && R->valid_ok && o->model == ROUSE_SCORE_AUTO) {
      int32_t v_as_of = t_as_of - R->L3;
      rc = rouse__snap_build(R->ing, v_as_of, R->L3, INT32_MIN, o->trend_days, R->vsample, nt,
                             &R->valid);
      if (rc == ROUSE_EMPTY) R->valid_ok = 0, rc = ROUSE_OK;
      if (!rc && R->valid_ok) rc = snap_categories(R, &R->valid);
      if (rc) return rc;
      if (R->valid_ok) sc->valid_as_of = v_as_of;
    }
  }
  sc->model = o->model;
  if (o->model == ROUSE_SCORE_AUTO) {
    if (R->gbm_ok) {
      rc = validate(R, sc);
      if (rc) return rc;
      sc->model = choose(sc);
    } else {
      sc->model = ROUSE_MODEL_BGNBD;
      snprintf(sc->why, sizeof sc->why,
               "too little history for a time-split validation (%d days): BG/NBD", (int)span);
    }
  } else {
    snprintf(sc->why, sizeof sc->why, "chosen by the user");
  }

  /* 4. purchase models at as_of, once the choice is made */
  sc->n_fit = 0;
  for (int k = 0; k < N_BTYD; k++) {
    /* BG/NBD (p_alive for the trees' features and states), the chosen one, or all */
    if (btyd_kinds[k] != ROUSE_MODEL_BGNBD && !o->all_candidates && btyd_kinds[k] != sc->model)
      continue;
    rouse_fit_result *fr = &sc->fit[sc->n_fit];
    char nm[32];
    snprintf(nm, sizeof nm, "fit %s", rouse_model_name(btyd_kinds[k]));
    STAGE(nm);
    if (btyd_kinds[k] == ROUSE_MODEL_BGNBD) {
      asof_join(R);
      *fr = R->asof_bg;
      rc = R->asof_bg_rc;
    } else {
      rc = fit_model(btyd_kinds[k], R->fit_snap, nt, fr);
    }
    if (rc == ROUSE_NOMEM) return rc;
    if (rc || !fr->converged) {
      if (o->model == btyd_kinds[k]) {
        seterr(R->err, R->errlen, rouse_model_name(btyd_kinds[k]), ": the fit did not converge");
        return ROUSE_DOMAIN;
      }
      rc = ROUSE_OK;
      sc->not_fitted[sc->n_not_fitted++] = btyd_kinds[k];
      continue;
    }
    sc->n_fit++;
  }
  if (!sc->n_fit || sc->fit[0].model.kind != ROUSE_MODEL_BGNBD) {
    seterr(R->err, R->errlen, "BG/NBD could not be fitted (too few repeat purchases?)", "");
    return ROUSE_DOMAIN;
  }
  rouse_fit_result_init(&sc->spend_fit);
  sc->spend_fit.model.kind = 0;
  if (p->s->has_amount) {
    asof_join(R); /* fitted beside the validation */
    int gg = R->asof_gg_rc;
    if (gg == ROUSE_NOMEM) return gg;
    if (!gg && R->asof_gg.converged) sc->spend_fit = R->asof_gg;
  }

  /* the per-customer columns */
  sc->p_alive = dalloc(n);
  sc->p_purchase = dalloc(n);
  sc->expected_purchases = dalloc(n);
  sc->expected_spend = dalloc(n);
  sc->expected_value = dalloc(n);
  sc->value_at_stake = dalloc(n);
  sc->churn_risk = dalloc(n);
  sc->tier = rouse__calloc(n ? n : 1, 1);
  sc->reason = rouse__calloc((n ? n : 1) * ROUSE_SCORE_REASONS, 1);
  sc->reason_v = rouse__calloc((n ? n : 1) * ROUSE_SCORE_REASONS * 2, sizeof(float));
  if (!sc->p_alive || !sc->p_purchase || !sc->expected_purchases || !sc->expected_spend ||
      !sc->expected_value || !sc->value_at_stake || !sc->churn_risk || !sc->tier ||
      !sc->reason || !sc->reason_v)
    return ROUSE_NOMEM;

  /* candidates' P(purchase within the horizon) at as_of */
  STAGE("predictions");
  double *bg_h = NULL; /* BG/NBD P(purchase in the horizon): the trees' horizon shift */
  /* the purchase model behind p_alive / expected purchases: the chosen one, or BG/NBD (the
   * trees, or a chosen model that did not converge at as_of); predicted with its candidate */
  int fi = 0;
  for (int f = 0; f < sc->n_fit; f++)
    if (sc->fit[f].model.kind == sc->model) fi = f;
  sc->n_cand = 0;
  for (int f = 0; f < sc->n_fit; f++) {
    int kind = sc->fit[f].model.kind;
    if (!o->all_candidates && kind != sc->model && kind != ROUSE_MODEL_BGNBD) continue;
    double *pb = dalloc(n);
    if (!pb) return ROUSE_NOMEM;
    sc->cand_model[sc->n_cand] = kind;
    sc->cand_p[sc->n_cand++] = pb;
    rc = predict_days(&sc->fit[f].model, p, o->horizon_days, nt, f == fi ? sc->p_alive : NULL,
                      f == fi ? sc->expected_purchases : NULL, pb);
    if (rc) return rc;
    if (kind == ROUSE_MODEL_BGNBD) bg_h = pb;
  }
  if (R->gbm_ok && (sc->model == ROUSE_SCORE_GBM || o->all_candidates)) {
    rouse_fit_result ft;
    struct feat ftx = {0}, fnx = {0};
    STAGE("training gbm");
    rc = train_bgnbd(R, &ft);
    if (!rc) rc = feat_build(&R->train, &ft.model, R->L1, nt, &ftx);
    if (!rc) rc = gbm_train_snap(&R->train, &ftx, o, &g, &sc->train_rows, R->err, R->errlen);
    if (rc == ROUSE_EMPTY && o->model == ROUSE_SCORE_GBM) { /* asked for: say why not */
      char d[32];
      rouse_date_format(R->train.as_of, d);
      if (R->err && R->errlen)
        snprintf(R->err, R->errlen,
                 "the supervised model cannot be trained: at the training snapshot %s every "
                 "customer had the same outcome in the %d days after it (all bought again, or "
                 "none did); use a purchase model (--model auto)",
                 d, (int)R->L1);
      feat_free(&ftx);
      return ROUSE_DOMAIN;
    }
    if (rc == ROUSE_EMPTY) { /* nothing to learn: skip */
      rc = ROUSE_OK;
      sc->train_rows = 0;
      if (R->err && R->errlen) R->err[0] = '\0';
      feat_free(&ftx);
      goto no_gbm;
    }
    if (!rc) rc = feat_build(p, &sc->fit[0].model, R->L1, nt, &fnx);
    double *q1 = NULL, *pb = dalloc(n);
    if (!pb) rc = ROUSE_NOMEM;
    if (!rc && R->L1 != o->horizon_days) {
      q1 = dalloc(n);
      if (!q1) rc = ROUSE_NOMEM;
      if (!rc) rc = predict_days(&sc->fit[0].model, p, R->L1, nt, NULL, NULL, q1);
    }
    if (!rc) rc = gbm_apply(g, &fnx, q1, bg_h, nt, pb);
    if (!rc) {
      sc->cand_model[sc->n_cand] = ROUSE_SCORE_GBM;
      sc->cand_p[sc->n_cand++] = pb;
      pb = NULL;
      sc->importance = dalloc(ROUSE_SCORE_NF);
      if (!sc->importance) rc = ROUSE_NOMEM;
      else rouse__gbm_importance(g, ROUSE_SCORE_NF, sc->importance);
      sc->n_features = p->cat ? ROUSE_SCORE_NF : ROUSE_SCORE_NF_BASE;
      sc->feature_names = rouse__feature_names;
    }
    rouse__free(pb);
    rouse__free(q1);
    feat_free(&ftx);
    feat_free(&fnx);
    rouse__gbm_free(g);
    if (rc) return rc;
  }
no_gbm:
  if (sc->model == ROUSE_SCORE_GBM && !sc->importance) sc->model = ROUSE_MODEL_BGNBD;

  /* the chosen probability, and the purchase model behind p_alive / expected purchases */
  int ci = -1;
  for (int c = 0; c < sc->n_cand; c++)
    if (sc->cand_model[c] == sc->model) ci = c;
  if (ci < 0) { /* the chosen model did not converge at as_of: BG/NBD */
    for (int c = 0; c < sc->n_cand; c++)
      if (sc->cand_model[c] == ROUSE_MODEL_BGNBD) ci = c;
    size_t wl = strlen(sc->why);
    snprintf(sc->why + wl, sizeof sc->why - wl, "; %s did not converge at the as-of date: bgnbd",
             rouse_score_model_name(sc->model));
    sc->model = ROUSE_MODEL_BGNBD;
  }
  sc->btyd_model = sc->fit[fi].model.kind; /* p_alive, expected purchases: predicted above */
  memcpy(sc->p_purchase, sc->cand_p[ci], n * sizeof(double));

  /* 5. states, segments, values, tiers, reasons */
  STAGE("states");
  uint8_t *wd = NULL;
  if (o->n_withdrawn) {
    /* the master's ids withdrawn before as_of (a withdrawal dated on or after it had not
     * happened yet) */
    wd = rouse__calloc(n ? n : 1, 1);
    struct rouse_idmap set;
    if (!wd || rouse__idmap_init(&set, o->n_withdrawn)) {
      rouse__free(wd);
      return ROUSE_NOMEM;
    }
    for (size_t w = 0; w < o->n_withdrawn; w++)
      if (!o->withdrawn_days || o->withdrawn_days[w] == INT32_MIN ||
          o->withdrawn_days[w] < p->as_of)
        rouse__idmap_put(&set, o->withdrawn_ids[w], 1);
    for (size_t i = 0; i < n; i++) {
      int32_t v;
      wd[i] = rouse__idmap_get(&set, p->s->id[i], strlen(p->s->id[i]), &v);
    }
    rouse__idmap_free(&set);
  }
  /* per-category thresholds: each customer by their main category's (docs/segments.md §2) */
  rouse_lifecycle_opts lo = o->life;
  if (o->by_category && o->life.dormant_days <= 0) {
    sc->categories = R->now.cat; /* built with the summary (snap_categories) */
    R->now.cat = NULL;
    if (sc->categories) {
      sc->dormant_days_of = rouse__calloc(n ? n : 1, sizeof *sc->dormant_days_of);
      if (!sc->dormant_days_of) rc = ROUSE_NOMEM;
      for (size_t i = 0; !rc && i < n; i++) {
        int32_t m = sc->categories->main[i];
        sc->dormant_days_of[i] = m >= 0 ? sc->categories->dormant_days[m] : 0;
      }
      lo.dormant_days_of = sc->dormant_days_of;
    }
    if (rc) {
      rouse__free(wd);
      return rc;
    }
  }
  rc = rouse_segment_lifecycle(p->s, sc->p_alive, wd, &lo, &sc->life);
  rouse__free(wd);
  if (rc) return rc;
  if (sc->dormant_days_of) /* the threshold each customer was judged by */
    for (size_t i = 0; i < n; i++)
      if (sc->dormant_days_of[i] <= 0) sc->dormant_days_of[i] = sc->life->dormant_days;
  STAGE("segments");
  rouse_dormancy_opts dop = o->dormancy;
  dop.dormant_days_of = sc->dormant_days_of;
  if (dop.dormant_days <= 0) dop.dormant_days = sc->life->dormant_days;
  rc = rouse_segment_dormancy(p->s, &dop, &sc->dormancy);
  int rfm_rc = rfm_join(R);
  sc->rfm = R->rfm; /* ownership moves to the result */
  R->rfm = NULL;
  if (!rc) rc = rfm_rc;
  if (rc) return rc;

  STAGE("values and reasons");
  const rouse_model *bg = &sc->fit[0].model;
  double new_h = rouse_model_expected_new(bg, o->horizon_days / 7.0);
  if (sc->spend_fit.model.kind == ROUSE_MODEL_GG) {
    rc = rouse_model_expected_spend(&sc->spend_fit.model, p->x, p->spend, n, sc->expected_spend);
    if (rc) return rc;
  } else {
    for (size_t i = 0; i < n; i++) sc->expected_spend[i] = NAN;
  }
  struct values_job vj = {sc, p, o, new_h};
  struct rouse_pool *pool = NULL;
  if ((rc = rouse__pool_new(nt, &pool))) return rc;
  rouse__pool_run(pool, (n + VALUES_CHUNK - 1) / VALUES_CHUNK, values_task, &vj);
  rouse__pool_free(pool);
  if (!o->all_candidates) { /* keep only the chosen candidate */
    for (int c = 0; c < sc->n_cand; c++) {
      rouse__free(sc->cand_p[c]);
      sc->cand_p[c] = NULL;
    }
    sc->n_cand = 0;
  }
  return ROUSE_OK;
}

int rouse_score_run(const rouse_ingest *ing, const rouse_score_opts *o, rouse_scores **out,
                    char *errmsg, size_t errlen) {
  if (errmsg && errlen) errmsg[0] = '\0';
  if (!ing || !o || !out || o->struct_size < sizeof *o || o->horizon_days < 1 ||
      o->trend_days < 1 || o->min_label_days < 1 ||
      o->category_min_days < ROUSE_CATEGORY_FLOOR_SHOP ||
      (o->model != ROUSE_SCORE_AUTO && o->model != ROUSE_SCORE_GBM &&
       (rouse_score_model_from_name(rouse_model_name(o->model)) != o->model)))
    return ROUSE_MISUSE;
  *out = NULL;
  rouse_scores *sc = rouse__calloc(1, sizeof *sc);
  if (!sc) return ROUSE_NOMEM;
  struct run R;
  memset(&R, 0, sizeof R);
  R.ing = ing;
  R.o = o;
  R.nt = o->n_threads;
  R.err = errmsg;
  R.errlen = errlen;
  R.train_bg_rc = 1;
  int rc = run_main(&R, sc);
  rouse__bg_wait(&R.rfm_job); /* an early return left them running */
  rouse__bg_wait(&R.asof_job);
  rouse__catsort_free(R.cats);
  rouse_segment_rfm_free(R.rfm);
  if (!rc) {
    sc->summary = R.now.s; /* ownership moves to the result */
    R.now.s = NULL;
  }
  rouse__snap_free(&R.now);
  rouse__snap_free(&R.now_sample);
  rouse__snap_free(&R.train);
  rouse__snap_free(&R.valid);
  if (rc) {
    rouse_scores_free(sc);
    return rc;
  }
  *out = sc;
  return ROUSE_OK;
}

int rouse_score_backtest(const rouse_scores *s, rouse_score_eval *rows, int *n_rows) {
  if (!s || !rows || !n_rows || !s->summary || !s->summary->holdout_x || !s->n_cand)
    return ROUSE_MISUSE;
  size_t n = s->n;
  uint8_t *y = rouse__calloc(n ? n : 1, 1);
  if (!y) return ROUSE_NOMEM;
  for (size_t i = 0; i < n; i++) y[i] = s->summary->holdout_x[i] > 0;
  int rc = ROUSE_OK, k = 0;
  double *ex = dalloc(n);
  double *x = dalloc(n), *tx = dalloc(n), *T = dalloc(n);
  if (!ex || !x || !tx || !T) rc = ROUSE_NOMEM;
  for (size_t i = 0; !rc && i < n; i++) {
    x[i] = s->summary->x[i];
    tx[i] = s->summary->t_x[i];
    T[i] = s->summary->T[i];
  }
  for (int c = 0; !rc && c < s->n_cand; c++) {
    const double *e = NULL;
    if (s->cand_model[c] != ROUSE_SCORE_GBM) {
      for (int f = 0; f < s->n_fit; f++)
        if (s->fit[f].model.kind == s->cand_model[c]) {
          rc = rouse_model_predict(&s->fit[f].model, x, tx, T, n, s->horizon_days / 7.0, 1,
                                   NULL, ex, NULL);
          e = ex;
        }
    }
    if (!rc) rc = eval_row(s->cand_model[c], s->cand_p[c], y, n, 1, e, e ? s->summary->holdout_x : NULL,
                           &rows[k++]);
  }
  for (int f = 0; !rc && f < s->n_not_fitted; f++) { /* shown, not silently left out */
    rouse_score_eval *row = &rows[k++];
    memset(row, 0, sizeof *row);
    row->model = s->not_fitted[f];
    row->predicted = row->actual = NAN;
    snprintf(row->note, sizeof row->note, "did not converge");
  }
  if (!rc) {
    struct snap tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.s = s->summary;
    rc = baselines(&tmp, y, &rows[k]);
    if (!rc) k += 2;
  }
  rouse__free(y);
  rouse__free(ex);
  rouse__free(x);
  rouse__free(tx);
  rouse__free(T);
  *n_rows = k;
  return rc;
}
