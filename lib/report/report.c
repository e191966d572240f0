/* SPDX-License-Identifier: MIT
 * The analysis report's content: ten sections and the key findings, each chart with a
 * paragraph that reads it in plain words, in Japanese or English, from results.json alone
 * (docs/results.md, docs/report.md). Only aggregates go in: the report stays small for any
 * number of customers. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rouse/rouse.h"

struct R {
  rpt_doc *d;
  const json_t *root;
  int ja;
  const char *num;      /* numbers' locale: lang and the amounts' currency ("ja:USD") */
  const char *currency; /* results.json "currency" (JPY when absent or unknown) */
};

#define TX(ja_, en_) (R->ja ? (ja_) : (en_))
#define DASH "–"

/*---------------------------------------------------------------------------------------------
 * reading results.json
 *-------------------------------------------------------------------------------------------*/
/* the value at a dotted path ("scores.tiers_by_state.at_risk"), NULL if any part is missing */
static const json_t *jp(const json_t *o, const char *path) {
  char key[128];
  while (o && *path) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    if (n >= sizeof key) return NULL;
    memcpy(key, path, n);
    key[n] = '\0';
    o = json_is_object(o) ? json_object_get(o, key) : NULL;
    path += n + (dot != NULL);
  }
  return o;
}

static double jnum(const json_t *o) { return json_is_number(o) ? json_number_value(o) : NAN; }
static double jv(const json_t *o, const char *path) { return jnum(jp(o, path)); }
static const char *js(const json_t *o, const char *path) {
  const json_t *v = jp(o, path);
  return json_is_string(v) ? json_string_value(v) : NULL;
}
static size_t jlen(const json_t *a) { return json_is_array(a) ? json_array_size(a) : 0; }
static double jat(const json_t *a, size_t i) { return jnum(json_array_get(a, i)); }
static double z(double v) { return isfinite(v) ? v : 0; }

/* numbers in text */
static const char *fmt(struct R *R, double v, int kind, int decimals) {
  if (!isfinite(v)) return DASH;
  char b[64];
  rpt_fmt_value(v, kind, decimals, R->num, b, sizeof b);
  return rpt_strdup(R->d, b);
}
static const char *N(struct R *R, double v) { return fmt(R, v, RPT_FMT_NUM, 0); }
static const char *P(struct R *R, double v) { return fmt(R, v, RPT_FMT_PCT, 1); }
static const char *Y(struct R *R, double v) { return fmt(R, v, RPT_FMT_YEN, -1); }
static const char *F3(struct R *R, double v) {
  return isfinite(v) ? rpt_printf(R->d, "%.3f", v) : DASH;
}
static double share(double a, double b) { return b > 0 ? a / b : NAN; }

/*---------------------------------------------------------------------------------------------
 * names
 *-------------------------------------------------------------------------------------------*/
static const char *state_label(struct R *R, int k) {
  static const char *const en[] = {"New", "Active", "At risk", "Dormant", "Lost", "Reactivated"};
  return R->ja ? rouse_state_label_ja(k) : en[k];
}

static const char *model_label(struct R *R, const char *name) {
  if (!name) return DASH;
  if (!strcmp(name, "gbm")) return TX("勾配ブースティング（XGBoost）", "gradient boosting (XGBoost)");
  if (!strcmp(name, "rfm")) return TX("RFMスコア", "RFM score");
  if (!strcmp(name, "recency")) return TX("最終購入からの日数", "recency only");
  if (!strcmp(name, "bgnbd")) return "BG/NBD";
  if (!strcmp(name, "mbgnbd")) return "MBG/NBD";
  if (!strcmp(name, "pnbd")) return "Pareto/NBD";
  if (!strcmp(name, "mbgcnbd")) return "MBG/CNBD-k";
  if (!strcmp(name, "bgbb")) return "BG/BB";
  return name;
}

struct reason_label {
  const char *name, *ja, *en;
};
static const struct reason_label reasons[] = {
    {"overdue", "いつもの購入間隔を超過", "past the usual interval"},
    {"one_time", "購入が1回だけ", "one purchase only"},
    {"spend_down", "注文単価の低下", "spend per order down"},
    {"freq_down", "購入頻度の低下", "buying less often"},
    {"returns", "返品が多い", "many returns"},
    {"cancels", "キャンセルあり", "cancellations"},
    {"low_alive", "モデル上の継続確率が低い", "low model P(alive)"},
    {"dormant", "休眠の基準を超過", "past the dormancy threshold"},
    {"top_value", "過去の上位顧客", "past top-value customer"},
    {"regular", "いつものリズムどおり", "on their usual rhythm"},
    {"recent", "最近購入あり", "bought recently"},
    {"came_back", "休眠から復帰", "came back from dormancy"},
};

static const char *const seg_names[] = {"top_value_dormant", "loyal_lapsed", "early_lapsed",
                                        "other_dormant"};
static const char *seg_label(struct R *R, int k) {
  static const char *const ja[] = {"過去高LTV休眠層", "ロイヤル層からの離反", "初期離反層",
                                   "その他の休眠顧客"};
  static const char *const en[] = {"Past top-value, now silent", "Lapsed repeat buyers",
                                   "Early lapsed one-time buyers", "Other dormant"};
  return R->ja ? ja[k] : en[k];
}

/*---------------------------------------------------------------------------------------------
 * blocks
 *-------------------------------------------------------------------------------------------*/
static void section(struct R *R, const char *id, const char *title) {
  rpt_block *b = rpt_add(R->d, RPT_B_SECTION);
  if (b) {
    b->id = id;
    b->text = title;
  }
}
static void para(struct R *R, const char *text) { rpt_add_text(R->d, RPT_B_PARA, text); }
static void note(struct R *R, const char *text) { rpt_add_text(R->d, RPT_B_NOTE, text); }
static void subhead(struct R *R, const char *text) { rpt_add_text(R->d, RPT_B_SUB, text); }

static rpt_block *chart(struct R *R, int kind, double height, int half, const char *caption) {
  rpt_block *b = rpt_add(R->d, RPT_B_CHART);
  if (!b) return NULL;
  b->chart_kind = kind;
  b->height = height;
  b->half = half;
  b->caption = caption;
  b->chart.lang = b->heat.lang = R->num;
  return b;
}

/* a heat map of shares (0 .. hi, at least 1 when hi is 0) */
static void heat_pct(rpt_block *b, size_t rows, size_t cols, const char **rl, const char **cl,
                     double *v, double hi, const char *x_title, const char *y_title) {
  b->heat.rows = rows;
  b->heat.cols = cols;
  b->heat.row_labels = rl;
  b->heat.col_labels = cl;
  b->heat.v = v;
  b->heat.lo = 0;
  b->heat.hi = hi > 0 ? hi : 1;
  b->heat.fmt = RPT_FMT_PCT;
  b->heat.x_title = x_title;
  b->heat.y_title = y_title;
}

static void cell(rpt_block *t, size_t r, size_t c, const char *s) {
  if (t && r < t->n_rows && c < t->n_cols) t->cells[r * t->n_cols + c] = s ? s : DASH;
}

/* month labels "1997-01" thinned by the chart; from a history.months array */
static const char **month_labels(struct R *R, const json_t *months, size_t from, size_t n) {
  const char **l = rpt_strings(R->d, n);
  for (size_t k = 0; l && k < n; k++) {
    const char *m = json_string_value(json_array_get(months, from + k));
    l[k] = m ? m : "";
  }
  return l;
}

static double *array_of(struct R *R, const json_t *a, size_t from, size_t n) {
  double *v = rpt_doubles(R->d, n);
  for (size_t k = 0; v && k < n; k++) v[k] = jat(a, from + k);
  return v;
}

/*---------------------------------------------------------------------------------------------
 * the sections
 *-------------------------------------------------------------------------------------------*/
/* the validation row of a model (NULL if none) and one of its metrics (NaN if none) */
static const json_t *valid_row(struct R *R, const char *model) {
  const json_t *val = jp(R->root, "model.validation");
  for (size_t k = 0; k < jlen(val); k++) {
    const json_t *row = json_array_get(val, k);
    const char *m = js(row, "model");
    if (m && model && !strcmp(m, model)) return row;
  }
  return NULL;
}

static double valid_metric(struct R *R, const char *model, const char *key) {
  return jv(valid_row(R, model), key);
}

static double state_count(struct R *R, const char *st) {
  return jv(R->root, rpt_printf(R->d, "states.%s", st));
}

static void key_findings(struct R *R) {
  const json_t *r = R->root;
  double n = jv(r, "data.customers"), h = jv(r, "horizon_days");
  double act = z(state_count(R, "new")) + z(state_count(R, "active")) +
               z(state_count(R, "reactivated"));
  double risk = state_count(R, "at_risk"), dorm = state_count(R, "dormant");
  const char *chosen = js(r, "model.chosen");
  double auc = valid_metric(R, chosen, "auc"), rfm = valid_metric(R, "rfm", "auc");
  const char **items = rpt_strings(R->d, 5);
  if (!items) return;
  size_t k = 0;
  items[k++] = R->ja ? rpt_printf(R->d,
                                  "顧客%s人のうち、稼働中（新規・稼働・復帰）は%s人（%s）、離脱予兆は"
                                  "%s人（%s）、休眠は%s人（%s）です。",
                                  N(R, n), N(R, act), P(R, share(act, n)), N(R, risk),
                                  P(R, share(risk, n)), N(R, dorm), P(R, share(dorm, n)))
                     : rpt_printf(R->d,
                                  "Of %s customers, %s (%s) are active (new, active or "
                                  "reactivated), %s (%s) at risk and %s (%s) dormant.",
                                  N(R, n), N(R, act), P(R, share(act, n)), N(R, risk),
                                  P(R, share(risk, n)), N(R, dorm), P(R, share(dorm, n)));
  items[k++] = R->ja ? rpt_printf(R->d,
                                  "離脱予兆の顧客が今後%s日で失うおそれのある売上（リスク売上）は"
                                  "%sです。",
                                  N(R, h), Y(R, jv(r, "value_at_stake_at_risk")))
                     : rpt_printf(R->d,
                                  "At-risk customers put %s of revenue at stake over the next %s "
                                  "days.",
                                  Y(R, jv(r, "value_at_stake_at_risk")), N(R, h));
  const char *lk[2] = {"prevention", "winback"};
  for (int l = 0; l < 2; l++) {
    double listed = jv(r, rpt_printf(R->d, "lists.%s.listed", lk[l]));
    double cost = jv(r, rpt_printf(R->d, "lists.%s.cost", lk[l]));
    double val = jv(r, rpt_printf(R->d, "lists.%s.value_contacted", lk[l]));
    items[k++] =
        R->ja ? rpt_printf(R->d, "%sリストは%s人：接触費用%sに対し、見込まれる売上は%sです。",
                           l ? "掘り起こし" : "予防", N(R, listed), Y(R, cost), Y(R, val))
              : rpt_printf(R->d,
                           "The %s list holds %s customers: expected revenue %s for a contact "
                           "cost of %s.",
                           l ? "win-back" : "prevention", N(R, listed), Y(R, val), Y(R, cost));
    if (items[k - 1] && cost > 0 && val < cost) /* an analyst would say so */
      items[k - 1] = R->ja ? rpt_printf(R->d,
                                        "%s費用が見込み売上を上回るため、採算の合う顧客に絞る（--margin）か、"
                                        "より安い接触手段（メールなど）を検討してください。",
                                        items[k - 1])
                           : rpt_printf(R->d,
                                        "%s The contacts cost more than they are expected to bring "
                                        "back: keep only the customers worth a contact (--margin) or "
                                        "use a cheaper channel (e-mail).",
                                        items[k - 1]);
  }
  if (isfinite(auc) && isfinite(rfm))
    items[k++] = R->ja ? rpt_printf(R->d,
                                    "採用したモデル（%s）は検証で購入者をAUC %sで見分け、RFMスコア"
                                    "（AUC %s）を%s%sました。",
                                    model_label(R, chosen), F3(R, auc), F3(R, rfm),
                                    F3(R, fabs(auc - rfm)), auc >= rfm ? "上回り" : "下回り")
                       : rpt_printf(R->d,
                                    "The chosen model (%s) told buyers from non-buyers with AUC "
                                    "%s in the validation, %s %s the RFM score (%s).",
                                    model_label(R, chosen), F3(R, auc), F3(R, fabs(auc - rfm)),
                                    auc >= rfm ? "above" : "below", F3(R, rfm));
  rpt_block *b = rpt_add(R->d, RPT_B_BULLETS);
  if (b) {
    b->cells = items;
    b->n_rows = k;
  }
}

static void data_overview(struct R *R) {
  const json_t *r = R->root;
  section(R, "s1", TX("1. データの概要", "1. Data overview"));
  double n = jv(r, "data.customers"), orders = jv(r, "data.orders"), rev = jv(r, "data.revenue");
  double read = jv(r, "data.rows_read"), rej = jv(r, "data.rows_rejected");
  double can = jv(r, "data.rows_cancelled");
  const json_t *months = jp(r, "history.months");
  size_t M = jlen(months);
  const char *first = js(r, "data.first_day"), *last = js(r, "data.last_day");
  const char *rows_ja =
      rej > 0 ? rpt_printf(R->d, "読み込んだ%s行のうち%s行（%s）は形式の誤りなどで使えず、理由と"
                                 "ともに除外ファイルに書き出しました。",
                           N(R, read), N(R, rej), P(R, share(rej, read)))
              : rpt_printf(R->d, "読み込んだ%s行はすべて使えました。", N(R, read));
  const char *rows_en =
      rej > 0 ? rpt_printf(R->d, "Of the %s rows read, %s (%s) could not be used and were "
                                 "written with their reasons to the reject file.",
                           N(R, read), N(R, rej), P(R, share(rej, read)))
              : rpt_printf(R->d, "All %s rows read could be used.", N(R, read));
  if (can > 0) {
    rows_ja = rpt_printf(R->d, "%sキャンセルの%s行は購入に数えていません。", rows_ja, N(R, can));
    rows_en = rpt_printf(R->d, "%s The %s cancelled rows are not counted as purchases.", rows_en, N(R, can));
  }
  para(R, R->ja ? rpt_printf(R->d,
                             "分析したのは%sから%sまでの取引で、%s人の顧客が%s件の注文をし、売上は"
                             "合計%sでした（顧客1人あたり平均%s、注文%s回）。%s",
                             first ? first : DASH, last ? last : DASH, N(R, n), N(R, orders),
                             Y(R, rev), Y(R, share(rev, n)), fmt(R, share(orders, n), RPT_FMT_NUM, 1),
                             rows_ja)
                : rpt_printf(R->d,
                             "The analysis covers the transactions from %s to %s: %s customers "
                             "placed %s orders worth %s in total (%s and %s orders per customer "
                             "on average). %s",
                             first ? first : DASH, last ? last : DASH, N(R, n), N(R, orders),
                             Y(R, rev), Y(R, share(rev, n)), fmt(R, share(orders, n), RPT_FMT_NUM, 1),
                             rows_en));
  rpt_block *t = rpt_add_table(R->d, 9, 2, "lr");
  const char *k[] = {TX("項目", "Item"), TX("期間", "Period"), TX("基準日（この日の前日までを観測）", "As of (first day not observed)"),
                     TX("顧客数", "Customers"), TX("注文数", "Orders"), TX("売上（返品控除後）", "Net revenue"),
                     TX("読み込んだ行", "Rows read"), TX("除外した行", "Rows rejected"),
                     TX("キャンセル行", "Rows cancelled")};
  const char *v[] = {TX("値", "Value"), rpt_printf(R->d, "%s – %s", first ? first : DASH, last ? last : DASH),
                     js(r, "as_of"), N(R, n), N(R, orders), Y(R, rev), N(R, read),
                     N(R, rej), N(R, can)};
  for (size_t i = 0; i < 9; i++) cell(t, i, 0, k[i]), cell(t, i, 1, v[i]);
  if (M) {
    rpt_block *b = chart(R, RPT_CH_BARS, 190, 1, TX("月別の売上（返品控除後）", "Net revenue by month"));
    if (b) {
      b->chart.n = M;
      b->chart.labels = month_labels(R, months, 0, M);
      b->chart.y_fmt = RPT_FMT_YEN;
      b->chart.n_series = 1;
      b->chart.series[0] = (rpt_series){TX("売上", "Revenue"), array_of(R, jp(r, "history.revenue"), 0, M), RPT_C_BLUE, 0, 0};
    }
    b = chart(R, RPT_CH_BARS, 190, 1, TX("月別の購入者数と新規顧客数", "Buyers and new customers by month"));
    if (b) {
      b->chart.n = M;
      b->chart.labels = month_labels(R, months, 0, M);
      b->chart.y_fmt = RPT_FMT_NUM;
      b->chart.n_series = 2;
      b->chart.series[0] = (rpt_series){TX("購入者", "Buyers"), array_of(R, jp(r, "history.buyers"), 0, M), RPT_C_BLUE, 0, 0};
      b->chart.series[1] = (rpt_series){TX("新規", "New"), array_of(R, jp(r, "history.new_customers"), 0, M), RPT_C_ORANGE, 0, 0};
    }
  }
}

static void churn_definition(struct R *R) {
  const json_t *r = R->root, *def = jp(r, "churn_definition");
  section(R, "s2", TX("2. 離反（休眠）の定義", "2. How churn is defined"));
  double p50 = jv(def, "repeat_intervals_days.p50"), p75 = jv(def, "repeat_intervals_days.p75");
  double p90 = jv(def, "repeat_intervals_days.p90"), dd = jv(def, "dormant_days");
  double ar = jv(def, "at_risk_shop_days"), f = jv(def, "at_risk_factor");
  double pct = jv(def, "dormant_percentile"), basis = jv(def, "dormant_basis_days");
  double nint = jv(def, "repeat_intervals_days.intervals");
  int from_data = json_is_true(jp(def, "dormant_from_data"));
  const char *how;
  if (from_data && isfinite(basis))
    how = R->ja ? rpt_printf(R->d,
                             "%sパーセンタイル（%s日）を月単位に切り上げた%s日を休眠の基準としました。"
                             "これだけ間が空くと、次の購入までの「ふつうの間隔」とは考えにくいため"
                             "です。",
                             N(R, 100 * pct), N(R, basis), N(R, dd))
                : rpt_printf(R->d,
                             "The %sth percentile (%s days), rounded up to whole months, gives the "
                             "dormancy threshold of %s days: a gap this long is unlikely to be an "
                             "ordinary wait before the next purchase.",
                             N(R, 100 * pct), N(R, basis), N(R, dd));
  else
    how = R->ja ? rpt_printf(R->d, "休眠の基準は%s日です（%s）。", N(R, dd),
                             from_data ? "リピート購入がないため既定値" : "設定で指定")
                : rpt_printf(R->d, "The dormancy threshold is %s days (%s).", N(R, dd),
                             from_data ? "no repeat purchases: the default" : "as configured");
  para(R, R->ja ? rpt_printf(R->d,
                             "同じ顧客の購入と次の購入の間隔（リピート間隔、%s件）は、半数が%s日以内、"
                             "4分の3が%s日以内、9割が%s日以内でした。%s自分の購入リズムがある顧客"
                             "（リピート2回以上）は、いつもの間隔の%s倍を過ぎると離脱予兆、リズムの"
                             "ない顧客は最後の購入から%s日を過ぎると離脱予兆とします。",
                             N(R, nint), N(R, p50), N(R, p75), N(R, p90), how,
                             fmt(R, f, RPT_FMT_NUM, 1), N(R, ar))
                : rpt_printf(R->d,
                             "Of the %s gaps between a customer's purchase and the next one "
                             "(repeat intervals), half were within %s days, three quarters "
                             "within %s days and nine in ten within %s days. %s Customers with a "
                             "rhythm of their own (two or more repeat purchases) are at risk once "
                             "they are %s times past their usual interval; the others %s days "
                             "after their last purchase.",
                             N(R, nint), N(R, p50), N(R, p75), N(R, p90), how,
                             fmt(R, f, RPT_FMT_NUM, 1), N(R, ar)));
  const json_t *cnt = jp(def, "interval_histogram.counts");
  double w = jv(def, "interval_histogram.bin_days");
  size_t nb = jlen(cnt);
  if (nb >= 2 && w >= 1) {
    rpt_block *b = chart(R, RPT_CH_BARS, 220, 0,
                         R->ja ? rpt_printf(R->d, "リピート購入間隔の分布（%s日刻み。右端の棒はそれより長い間隔）", N(R, w))
                               : rpt_printf(R->d, "Repeat-purchase intervals in bins of %s days (the last bar: longer gaps)", N(R, w)));
    if (b) {
      const char **lab = rpt_strings(R->d, nb);
      for (size_t k = 0; lab && k < nb; k++)
        lab[k] = k + 1 < nb ? N(R, (double)(k + 1) * w) : rpt_printf(R->d, ">%s", N(R, (double)k * w));
      b->chart.n = nb;
      b->chart.labels = lab;
      b->chart.x_title = TX("間隔（日、各棒の上限）", "interval (days, upper edge of each bar)");
      b->chart.y_title = TX("間隔の数", "intervals");
      b->chart.n_series = 1;
      b->chart.series[0] = (rpt_series){NULL, array_of(R, cnt, 0, nb), RPT_C_BLUE, 0, 0};
      double mk[3] = {dd, ar, p50};
      const char *ml[3] = {R->ja ? rpt_printf(R->d, "休眠 %s日", N(R, dd)) : rpt_printf(R->d, "dormant %s d", N(R, dd)),
                           R->ja ? rpt_printf(R->d, "離脱予兆 %s日", N(R, ar)) : rpt_printf(R->d, "at risk %s d", N(R, ar)),
                           R->ja ? rpt_printf(R->d, "中央値 %s日", N(R, p50)) : rpt_printf(R->d, "median %s d", N(R, p50))};
      for (int k = 0; k < 3; k++)
        if (isfinite(mk[k]) && mk[k] > 0) {
          b->chart.marker[b->chart.n_markers] = mk[k] / w - 0.5;
          b->chart.marker_label[b->chart.n_markers++] = ml[k];
        }
    }
  }
  const json_t *cats = jp(def, "categories");
  size_t nc = jlen(cats);
  if (!nc) {
    note(R, TX("データに商品カテゴリの列がないため、基準は店全体で一つです。カテゴリの列があれば、主に買うカテゴリごとの購入周期から顧客ごとに基準を決めます（サプリメントと家具では周期が違う）。基準は設定ファイルまたはオプションで変更できます。",
               "The data has no product category column, so the thresholds are shop-wide. With a category column each customer is judged by the rhythm of the customers who mainly buy the same category (a supplement's cycle is not a sofa's). Every threshold can be overridden in the config file or by options."));
    return;
  }
  /* per category: the ten with most customers (those whose main category it is) */
  size_t idx[10], ni = 0, own = 0;
  double judged = 0;
  for (size_t k = 0; k < nc; k++) {
    const json_t *c = json_array_get(cats, k);
    double cu = jv(c, "customers");
    if (jv(c, "dormant_days") > 0) own++, judged += cu;
    size_t at = ni;
    while (at > 0 && jv(json_array_get(cats, idx[at - 1]), "customers") < cu) at--;
    if (at >= 10) continue;
    if (ni < 10) ni++;
    memmove(idx + at + 1, idx + at, (ni - 1 - at) * sizeof *idx);
    idx[at] = k;
  }
  subhead(R, TX("商品カテゴリ別の休眠基準", "Dormancy thresholds by product category"));
  para(R, R->ja ? rpt_printf(R->d, "%s個のカテゴリのうち%s個は、主にそれを買う顧客の購入間隔が十分にあり（100以上）、独自の基準を持ちます。%s人の顧客はこの基準で判定し、残りは店全体の%s日で判定します。顧客数の多い順に示します。",
                             N(R, (double)nc), N(R, (double)own), N(R, judged), N(R, dd))
                : rpt_printf(R->d, "Of %s categories, %s have enough repeat intervals among the customers who mainly buy them (100 or more) for a threshold of their own; %s customers are judged by it, the others by the shop's %s days. The categories with most customers:",
                             N(R, (double)nc), N(R, (double)own), N(R, judged), N(R, dd)));
  rpt_block *t = rpt_add_table(R->d, 1 + ni, 5, "lrrrr");
  cell(t, 0, 0, TX("カテゴリ", "Category"));
  cell(t, 0, 1, TX("顧客数", "Customers"));
  cell(t, 0, 2, TX("購入間隔の数", "Intervals"));
  cell(t, 0, 3, TX("90パーセンタイル", "90th percentile"));
  cell(t, 0, 4, TX("休眠基準", "Threshold"));
  for (size_t q = 0; q < ni; q++) {
    const json_t *c = json_array_get(cats, idx[q]);
    double b = jv(c, "basis_days"), d = jv(c, "dormant_days");
    cell(t, 1 + q, 0, json_string_value(jp(c, "name")));
    cell(t, 1 + q, 1, N(R, jv(c, "customers")));
    cell(t, 1 + q, 2, N(R, jv(c, "intervals")));
    cell(t, 1 + q, 3, isfinite(b) ? rpt_printf(R->d, R->ja ? "%s日" : "%s d", N(R, b)) : "–");
    cell(t, 1 + q, 4, d > 0 ? rpt_printf(R->d, R->ja ? "%s日" : "%s d", N(R, d))
                            : TX("店全体の基準", "the shop's"));
  }
  note(R, TX("顧客の主なカテゴリは購入日の最も多いカテゴリです。間隔はその顧客の（どのカテゴリでも）購入日の間隔です。基準は設定ファイルまたはオプションで変更でき、dormancy_by_category: false で店全体の基準だけを使います。",
             "A customer's main category is the one with most of their purchase days; the intervals are between their purchase days in any category. Thresholds can be overridden in the config file or by options; dormancy_by_category: false uses the shop's alone."));
}

static void lifecycle(struct R *R) {
  const json_t *r = R->root, *def = jp(r, "churn_definition");
  section(R, "s3", TX("3. 顧客のライフサイクル", "3. Lifecycle"));
  double n = jv(r, "data.customers");
  double dd = jv(def, "dormant_days"), ar = jv(def, "at_risk_shop_days");
  double f = jv(def, "at_risk_factor");
  const char *defs_ja[] = {
      rpt_printf(R->d, "購入が1回で、%s日以内", N(R, ar)),
      "リピート客で、いつもの間隔の範囲内",
      rpt_printf(R->d, "いつもの間隔の%s倍超、またはリズムがなく%s日超", fmt(R, f, RPT_FMT_NUM, 1), N(R, ar)),
      rpt_printf(R->d, "最後の購入から%s日以上", N(R, dd)),
      "退会・配信停止、またはモデル上ほぼ確実に離脱",
      rpt_printf(R->d, "%s日以上空いた後に再購入", N(R, dd))};
  const char *defs_en[] = {
      rpt_printf(R->d, "one purchase, within %s days", N(R, ar)),
      "repeat buyer within their usual rhythm",
      rpt_printf(R->d, "over %s× their usual interval, or over %s days without a rhythm", fmt(R, f, RPT_FMT_NUM, 1), N(R, ar)),
      rpt_printf(R->d, "%s days or more since the last purchase", N(R, dd)),
      "withdrawn or unsubscribed, or almost surely gone by the model",
      rpt_printf(R->d, "bought again after a gap of %s days or more", N(R, dd))};
  rpt_block *t = rpt_add_table(R->d, 1 + ROUSE_STATE_COUNT, 4, "llrr");
  cell(t, 0, 0, TX("状態", "State"));
  cell(t, 0, 1, TX("定義", "Definition"));
  cell(t, 0, 2, TX("顧客数", "Customers"));
  cell(t, 0, 3, TX("構成比", "Share"));
  for (int k = 0; k < ROUSE_STATE_COUNT; k++) {
    double c = state_count(R, rouse_state_name(k));
    cell(t, 1 + k, 0, state_label(R, k));
    cell(t, 1 + k, 1, R->ja ? defs_ja[k] : defs_en[k]);
    cell(t, 1 + k, 2, N(R, c));
    cell(t, 1 + k, 3, P(R, share(c, n)));
  }
  const json_t *months = jp(r, "history.months"), *st = jp(r, "history.states");
  size_t M = jlen(months);
  if (M >= 2) {
    /* the dormant share at the month end a year before the last one (or the first) and now */
    size_t a = M > 13 ? M - 13 : 0, e = M - 1;
    double tot_a = 0, tot_e = 0;
    for (int k = 0; k < ROUSE_STATE_COUNT; k++) {
      const json_t *s = json_object_get(st, rouse_state_name(k));
      tot_a += z(jat(s, a));
      tot_e += z(jat(s, e));
    }
    const json_t *ds = json_object_get(st, "dormant");
    double sa = share(z(jat(ds, a)), tot_a), se = share(z(jat(ds, e)), tot_e);
    const char *ma = json_string_value(json_array_get(months, a));
    const char *me = json_string_value(json_array_get(months, e));
    para(R, R->ja ? rpt_printf(R->d,
                               "月末ごとの状態の推移を見ると、休眠顧客の割合は%s末の%sから%s末には%s"
                               "になりました（それまでに購入のあったすべての顧客に対する割合）。顧客"
                               "が増えるほど休眠も積み上がるのがふつうで、大切なのは離脱予兆の段階で"
                               "手を打ち、休眠へ流れる数を減らすことです。",
                               ma ? ma : DASH, P(R, sa), me ? me : DASH, P(R, se))
                  : rpt_printf(R->d,
                               "Month by month, the dormant share of all customers seen so far "
                               "went from %s at the end of %s to %s at the end of %s. Dormant "
                               "customers pile up as a shop grows; what matters is to act while "
                               "customers are at risk, so that fewer flow into dormancy.",
                               P(R, sa), ma ? ma : DASH, P(R, se), me ? me : DASH));
    rpt_block *b = chart(R, RPT_CH_BARS, 240, 0,
                         TX("月末時点の状態別顧客数（基準日の基準で判定。会員マスタの退会はここでは数えないため「離反」は含みません）",
                            "Customers per state at each month end (today's thresholds; the master's withdrawals are not counted here, so no 'lost')"));
    if (b) {
      b->chart.n = M;
      b->chart.labels = month_labels(R, months, 0, M);
      b->chart.stacked = 1;
      b->chart.y_title = TX("顧客数", "customers");
      static const int order[] = {ROUSE_STATE_NEW, ROUSE_STATE_ACTIVE, ROUSE_STATE_REACTIVATED,
                                  ROUSE_STATE_AT_RISK, ROUSE_STATE_DORMANT};
      for (int k = 0; k < 5; k++) {
        int q = order[k];
        b->chart.series[k] = (rpt_series){state_label(R, q), array_of(R, json_object_get(st, rouse_state_name(q)), 0, M),
                                          rpt_state_colour[q], 0, 0};
      }
      b->chart.n_series = 5;
    }
  }
}

static void cohorts(struct R *R) {
  const json_t *r = R->root, *months = jp(r, "history.months"), *coh = jp(r, "history.cohorts");
  section(R, "s4", TX("4. 初回購入月別の継続率（コホート）", "4. Retention by first-purchase month (cohorts)"));
  size_t M = jlen(coh);
  if (M < 2) {
    para(R, TX("観測期間が2か月に満たないため、コホートは表示できません。", "The history is shorter than two months: no cohorts to show."));
    return;
  }
  /* the last (up to) 24 non-empty cohorts that have at least one month after them */
  size_t pick[24], rows = 0;
  for (size_t c = M - 1; c-- > 0 && rows < 24;)
    if (jat(json_array_get(coh, c), 0) > 0) pick[rows++] = c;
  if (!rows) {
    para(R, TX("初回購入のあるコホートがありません。", "No cohort with first purchases to show."));
    return;
  }
  for (size_t i = 0; i < rows / 2; i++) { /* oldest first */
    size_t t = pick[i];
    pick[i] = pick[rows - 1 - i];
    pick[rows - 1 - i] = t;
  }
  size_t cols = M - 1 - pick[0] < 24 ? M - 1 - pick[0] : 24;
  double *v = rpt_doubles(R->d, rows * cols);
  const char **rl = rpt_strings(R->d, rows), **cl = rpt_strings(R->d, cols);
  if (!v || !rl || !cl) return;
  double hi = 0, sum[4] = {0}, wsum[4] = {0};
  static const size_t at[4] = {1, 3, 6, 12};
  for (size_t i = 0; i < rows; i++) {
    const json_t *row = json_array_get(coh, pick[i]);
    double size = jat(row, 0);
    const char *m = json_string_value(json_array_get(months, pick[i]));
    rl[i] = rpt_printf(R->d, "%s (%s)", m ? m : "", N(R, size));
    for (size_t j = 0; j < cols; j++) {
      double x = j + 1 < jlen(row) && size > 0 ? jat(row, j + 1) / size : NAN;
      v[i * cols + j] = x;
      if (isfinite(x) && x > hi) hi = x;
    }
  }
  /* weighted means over every cohort (not only the drawn ones) */
  for (size_t c = 0; c < M; c++) {
    const json_t *row = json_array_get(coh, c);
    double size = z(jat(row, 0));
    for (int k = 0; k < 4; k++)
      if (at[k] < jlen(row) && size > 0) sum[k] += z(jat(row, at[k])), wsum[k] += size;
  }
  for (size_t j = 0; j < cols; j++) cl[j] = N(R, (double)(j + 1));
  double r1 = share(sum[0], wsum[0]), r3 = share(sum[1], wsum[1]), r6 = share(sum[2], wsum[2]);
  double r12 = share(sum[3], wsum[3]);
  para(R, R->ja ? rpt_printf(R->d,
                             "初回購入の月ごとに、その後の各月に再び購入した顧客の割合です。顧客数で"
                             "加重して平均すると、初回の翌月に%s、3か月後に%s、6か月後に%s、12か月後"
                             "に%sの顧客が購入しています。色が濃いほど再購入が多く、右下の空白はまだ"
                             "観測できない月です。最初の数か月の落ち込みが大きいほど、2回目の購入を"
                             "促す施策（初期離反の予防）の効果が大きくなります。",
                             P(R, r1), P(R, r3), P(R, r6), P(R, r12))
                : rpt_printf(R->d,
                             "For each month of first purchase, the share of its customers who "
                             "bought again in each later month. Weighted by cohort size, %s "
                             "bought in the month after their first purchase, %s three months "
                             "later, %s after six and %s after twelve. Darker cells mean more "
                             "repeat buying; the blank corner is months not yet observed. The "
                             "steeper the fall in the first months, the more a second-purchase "
                             "programme (preventing early lapse) pays.",
                             P(R, r1), P(R, r3), P(R, r6), P(R, r12)));
  rpt_block *b = chart(R, RPT_CH_HEAT, rows > 12 ? 330 : rows > 4 ? 240 : 60 + 30 * (double)rows, 0,
                       TX("初回購入月（人数）別、n か月後に購入した顧客の割合", "Share of each cohort (size) buying n months after the first purchase"));
  if (b)
    heat_pct(b, rows, cols, rl, cl, v, hi, TX("初回購入から何か月後", "months after the first purchase"),
             TX("初回購入月", "first purchase"));
}

static const char **bin_labels(struct R *R, int n) {
  const char **l = rpt_strings(R->d, (size_t)n);
  for (int k = 0; l && k < n; k++) l[k] = rpt_printf(R->d, "%d", k * 100 / n);
  return l;
}

/* a histogram of 20 score bins from results.json (scores.risk_hist, scores.react_hist) */
static rpt_block *score_hist(struct R *R, const char *key, const char *caption,
                             const char *x_title, rpt_rgb colour) {
  const json_t *hist = jp(R->root, key);
  int nb = (int)jlen(hist);
  rpt_block *b = chart(R, RPT_CH_BARS, 200, 1, caption);
  if (!b || !nb) return NULL;
  b->chart.n = (size_t)nb;
  b->chart.labels = bin_labels(R, nb);
  b->chart.x_title = x_title;
  b->chart.y_title = TX("顧客数", "customers");
  b->chart.n_series = 1;
  b->chart.series[0] = (rpt_series){NULL, array_of(R, hist, 0, (size_t)nb), colour, 0, 0};
  return b;
}

static void at_risk(struct R *R) {
  const json_t *r = R->root, *tb = jp(r, "scores.tiers_by_state");
  section(R, "s5", TX("5. 離脱予兆の顧客", "5. Customers at risk"));
  double hi = jv(r, "risk_tiers.cut_high"), med = jv(r, "risk_tiers.cut_medium");
  double h = jv(r, "horizon_days"), n_risk = jv(r, "scores.at_risk");
  static const char *const tiers[] = {"high", "medium", "low"};
  rpt_block *t = rpt_add_table(R->d, 4, 5, "lrrrr");
  cell(t, 0, 0, TX("リスク区分", "Risk tier"));
  cell(t, 0, 1, TX("リスクスコア", "Churn risk"));
  cell(t, 0, 2, TX("顧客数（休眠・離反以外）", "Customers (not dormant or lost)"));
  cell(t, 0, 3, TX("うち離脱予兆", "of them at risk"));
  cell(t, 0, 4, TX("リスク売上（離脱予兆）", "Value at stake (at risk)"));
  const char *tl[] = {TX("高", "High"), TX("中", "Medium"), TX("低", "Low")};
  const char *rng[] = {rpt_printf(R->d, "%s–100", N(R, hi)), rpt_printf(R->d, "%s–%s", N(R, med), N(R, hi)),
                       rpt_printf(R->d, "0–%s", N(R, med))};
  double stake_hi = 0;
  for (int k = 0; k < 3; k++) {
    double c = 0;
    static const char *const alive[] = {"new", "active", "at_risk", "reactivated"};
    for (int q = 0; q < 4; q++) c += z(jv(tb, rpt_printf(R->d, "%s.%s", alive[q], tiers[k])));
    double stake = jv(r, rpt_printf(R->d, "scores.value_at_stake_by_tier.%s", tiers[k]));
    if (k == 0) stake_hi = stake;
    cell(t, 1 + k, 0, tl[k]);
    cell(t, 1 + k, 1, rng[k]);
    cell(t, 1 + k, 2, N(R, c));
    cell(t, 1 + k, 3, N(R, jv(tb, rpt_printf(R->d, "at_risk.%s", tiers[k]))));
    cell(t, 1 + k, 4, Y(R, stake));
  }
  /* the reasons, most common first (ties by name order) */
  const json_t *rs = jp(r, "scores.reasons_at_risk");
  size_t nr = sizeof reasons / sizeof reasons[0];
  size_t idx[16];
  double cnt[16];
  size_t m = 0;
  for (size_t k = 0; k < nr && m < 16; k++) {
    double c = jnum(json_object_get(rs, reasons[k].name));
    if (c > 0) idx[m] = k, cnt[m++] = c;
  }
  for (size_t i = 1; i < m; i++) /* insertion sort, stable */
    for (size_t j = i; j > 0 && cnt[j] > cnt[j - 1]; j--) {
      double tc = cnt[j];
      size_t ti = idx[j];
      cnt[j] = cnt[j - 1], idx[j] = idx[j - 1];
      cnt[j - 1] = tc, idx[j - 1] = ti;
    }
  const char *top1 = m > 0 ? TX(reasons[idx[0]].ja, reasons[idx[0]].en) : DASH;
  const char *top2 = m > 1 ? TX(reasons[idx[1]].ja, reasons[idx[1]].en) : DASH;
  para(R, R->ja ? rpt_printf(R->d,
                             "離脱予兆の顧客は%s人で、今後%s日に見込まれる売上のうち%sが失われるお"
                             "それがあります（うち高リスク層が%s）。理由で最も多いのは「%s」（%s）、"
                             "次いで「%s」（%s）です。リスクスコアは「予測期間内に一度も購入しない確"
                             "率」を0〜100で表したもので、%s以上を高、%s以上を中としています。",
                             N(R, n_risk), N(R, h), Y(R, jv(r, "value_at_stake_at_risk")),
                             Y(R, stake_hi), top1, P(R, m > 0 ? share(cnt[0], n_risk) : NAN), top2,
                             P(R, m > 1 ? share(cnt[1], n_risk) : NAN), N(R, hi), N(R, med))
                : rpt_printf(R->d,
                             "%s customers are at risk; %s of the revenue expected from them over "
                             "the next %s days is at stake (%s in the high tier). The most common "
                             "reason is \"%s\" (%s), then \"%s\" (%s). The churn risk is the "
                             "probability of no purchase at all within the horizon, on 0–100: "
                             "%s and above is high, %s and above medium.",
                             N(R, n_risk), Y(R, jv(r, "value_at_stake_at_risk")), N(R, h),
                             Y(R, stake_hi), top1, P(R, m > 0 ? share(cnt[0], n_risk) : NAN), top2,
                             P(R, m > 1 ? share(cnt[1], n_risk) : NAN), N(R, hi), N(R, med)));
  rpt_block *b = score_hist(R, "scores.risk_hist", TX("休眠・離反以外の顧客のリスクスコア分布（5点刻み）", "Churn risk of customers not dormant or lost (steps of 5)"),
                            TX("リスクスコア", "churn risk"), RPT_C_ORANGE);
  if (b) {
    double step = 100.0 / (double)b->chart.n;
    if (isfinite(med)) {
      b->chart.marker[0] = med / step - 0.5;
      b->chart.marker_label[0] = TX("中", "medium");
      b->chart.n_markers = 1;
    }
    if (isfinite(hi)) {
      b->chart.marker[b->chart.n_markers] = hi / step - 0.5;
      b->chart.marker_label[b->chart.n_markers++] = TX("高", "high");
    }
  }
  b = chart(R, RPT_CH_HBARS, 200, 1, TX("離脱予兆の顧客が持つ理由（1人に複数あり）", "Reasons among at-risk customers (several per customer)"));
  if (b) {
    size_t k = m < 7 ? m : 7;
    const char **lab = rpt_strings(R->d, k);
    double *v = rpt_doubles(R->d, k);
    for (size_t i = 0; lab && v && i < k; i++) lab[i] = TX(reasons[idx[i]].ja, reasons[idx[i]].en), v[i] = cnt[i];
    b->chart.n = k;
    b->chart.labels = lab;
    b->chart.n_series = 1;
    b->chart.series[0] = (rpt_series){NULL, v, RPT_C_ORANGE, 0, 0};
  }
}

static void dormant(struct R *R) {
  const json_t *r = R->root, *sg = jp(r, "scores.dormant_segments");
  section(R, "s6", TX("6. 休眠顧客と掘り起こしの見込み", "6. Dormant customers and who can be won back"));
  double nd = state_count(R, "dormant");
  rpt_block *t = rpt_add_table(R->d, 5, 4, "lrrr");
  cell(t, 0, 0, TX("休眠の深さ", "Depth segment"));
  cell(t, 0, 1, TX("顧客数", "Customers"));
  cell(t, 0, 2, TX("平均の購入確率", "Mean P(purchase)"));
  cell(t, 0, 3, TX("掘り起こしの期待売上", "Expected value of reactivation"));
  double best = -1, total = 0;
  int bk = 0;
  for (int k = 0; k < 4; k++) {
    const json_t *o = json_object_get(sg, seg_names[k]);
    double ev = jv(o, "expected_value");
    total += z(ev);
    if (z(ev) > best) best = z(ev), bk = k;
    cell(t, 1 + k, 0, seg_label(R, k));
    cell(t, 1 + k, 1, N(R, jv(o, "customers")));
    cell(t, 1 + k, 2, P(R, jv(o, "mean_p_purchase")));
    cell(t, 1 + k, 3, Y(R, ev));
  }
  double unlikely = jv(r, "lists.winback.left_out_unlikely");
  double early = jv(sg, "early_lapsed.customers"), loyal = jv(sg, "loyal_lapsed.customers");
  double top = jv(sg, "top_value_dormant.customers");
  para(R, R->ja ? rpt_printf(R->d,
                             "休眠顧客は%s人です。深さ別では、購入1回のまま6か月以上休眠している初期"
                             "離反層が%s人、リピート客で12か月以上休眠しているロイヤル層からの離反が"
                             "%s人、過去の購入額で上位20%%に入りながら今は休眠している層が%s人で"
                             "す。休眠全体で見込める掘り起こしの売上は%sで、最も大きいのは%sの%s"
                             "です。予測期間内に購入する確率が非常に低い%s人は、掘り起こしリストか"
                             "ら外しています。",
                             N(R, nd), N(R, early), N(R, loyal), N(R, top), Y(R, total),
                             seg_label(R, bk), Y(R, best), N(R, unlikely))
                : rpt_printf(R->d,
                             "%s customers are dormant: %s early-lapsed one-time buyers (one "
                             "purchase, silent for 6+ months), %s lapsed repeat buyers (silent "
                             "for 12+ months) and %s who were in the top 20%% by past spend and "
                             "are now silent. Winning back the dormant is worth %s in expected "
                             "revenue, most of it in \"%s\" (%s). The %s customers very unlikely "
                             "to buy within the horizon are left off the win-back list.",
                             N(R, nd), N(R, early), N(R, loyal), N(R, top), Y(R, total),
                             seg_label(R, bk), Y(R, best), N(R, unlikely)));
  score_hist(R, "scores.react_hist", TX("休眠顧客の再購入確率の分布（5%刻み）", "Reactivation likelihood of dormant customers (steps of 5%)"),
             TX("予測期間内の購入確率（%）", "P(purchase within the horizon), %"),
             rpt_state_colour[ROUSE_STATE_DORMANT]);
  rpt_block *b = chart(R, RPT_CH_HBARS, 200, 1, TX("深さ別の掘り起こし期待売上", "Expected value of reactivation by segment"));
  if (b) {
    const char **lab = rpt_strings(R->d, 4);
    double *v = rpt_doubles(R->d, 4);
    for (int k = 0; lab && v && k < 4; k++)
      lab[k] = seg_label(R, k), v[k] = z(jv(json_object_get(sg, seg_names[k]), "expected_value"));
    b->chart.n = 4;
    b->chart.labels = lab;
    b->chart.y_fmt = RPT_FMT_YEN;
    b->chart.n_series = 1;
    b->chart.series[0] = (rpt_series){NULL, v, rpt_state_colour[ROUSE_STATE_DORMANT], 0, 0};
  }
}

static void rfm(struct R *R) {
  const json_t *r = R->root;
  section(R, "s7", TX("7. RFM分析との比較", "7. The RFM view, and where the model differs"));
  const json_t *cells = jp(r, "scores.rfm_rf_customers"), *cp = jp(r, "scores.rfm_rf_mean_p_purchase");
  double topn = jv(r, "scores.top_decile"), shared = jv(r, "scores.top_decile_shared_with_rfm");
  const char *chosen = js(r, "model.chosen");
  double auc = valid_metric(R, chosen, "auc"), ra = valid_metric(R, "rfm", "auc");
  para(R, R->ja ? rpt_printf(R->d,
                             "RFM分析は、最終購入日の近さ（R）、購入回数（F）、購入金額（M）をそれぞれ"
                             "5段階に分ける、なじみのある方法です。図はRとFの組み合わせごとの顧客数と、"
                             "モデルが予測した購入確率の平均です。モデルの購入確率で上位10%%に入る%s"
                             "人のうち、RFMスコアでも上位10%%に入るのは%s人（%s）で、残る%s人はRFM"
                             "では上位に入らないもののモデルが購入を見込む顧客です。検証での順位づけの"
                             "精度（AUC）は、モデル%s、RFMスコア%sでした。",
                             N(R, topn), N(R, shared), P(R, share(shared, topn)),
                             N(R, topn - shared), F3(R, auc), F3(R, ra))
                : rpt_printf(R->d,
                             "RFM analysis splits recency (R), frequency (F) and monetary value "
                             "(M) into five grades each: the familiar baseline. The chart shows "
                             "the customers in each R×F cell and the model's mean probability "
                             "of a purchase there. Of the %s customers in the model's top 10%% "
                             "by P(purchase), %s (%s) are also in the RFM score's top 10%%; the "
                             "other %s are customers RFM does not rank at the top but the model "
                             "expects to buy. In the validation the ranking accuracy (AUC) was "
                             "%s for the model and %s for the RFM score.",
                             N(R, topn), N(R, shared), P(R, share(shared, topn)),
                             N(R, topn - shared), F3(R, auc), F3(R, ra)));
  if (jlen(cells) == 5) {
    rpt_block *b = chart(R, RPT_CH_HEAT, 250, 0, TX("R×F別の顧客数とモデルの平均購入確率（色）", "Customers per R×F cell and the model's mean P(purchase) (colour)"));
    if (b) {
      double *v = rpt_doubles(R->d, 25), hi = 0;
      const char **txt = rpt_strings(R->d, 25), **rl = rpt_strings(R->d, 5), **cl = rpt_strings(R->d, 5);
      for (int i = 0; v && txt && rl && cl && i < 5; i++) { /* row 0: R = 5 (most recent) */
        int rr = 4 - i;
        rl[i] = rpt_printf(R->d, "R%d", rr + 1);
        cl[i] = rpt_printf(R->d, "F%d", i + 1);
        for (int f = 0; f < 5; f++) {
          double c = jat(json_array_get(cells, (size_t)rr), (size_t)f);
          double p = jat(json_array_get(cp, (size_t)rr), (size_t)f);
          v[i * 5 + f] = c > 0 ? p : NAN;
          if (c > 0 && p > hi) hi = p;
          txt[i * 5 + f] = c > 0 ? rpt_printf(R->d, "%s\n%s", N(R, c), fmt(R, p, RPT_FMT_PCT, 0)) : NULL;
        }
      }
      heat_pct(b, 5, 5, rl, cl, v, hi, TX("F（購入回数の段階）", "F (frequency grade)"),
               TX("R（最終購入の近さ）", "R (recency grade)"));
      b->heat.cell_text = txt;
    }
  }
  const json_t *g = jp(r, "rfm_groups");
  size_t ng = 0;
  for (int k = 0; k < ROUSE_RFM_GROUP_COUNT; k++) ng += jnum(json_object_get(g, rouse_segment_rfm_group_name(k))) > 0;
  rpt_block *t = rpt_add_table(R->d, 1 + ng, 3, "lrr");
  cell(t, 0, 0, TX("RFMグループ", "RFM group"));
  cell(t, 0, 1, TX("顧客数", "Customers"));
  cell(t, 0, 2, TX("構成比", "Share"));
  double n = jv(r, "data.customers");
  size_t row = 1;
  for (int k = 0; k < ROUSE_RFM_GROUP_COUNT; k++) {
    double c = jnum(json_object_get(g, rouse_segment_rfm_group_name(k)));
    if (!(c > 0)) continue;
    cell(t, row, 0, R->ja ? rouse_segment_rfm_group_label_ja(k) : rouse_segment_rfm_group_label(k));
    cell(t, row, 1, N(R, c));
    cell(t, row++, 2, P(R, share(c, n)));
  }
}

/* a unit-square line chart of shares against shares, with the diagonal */
static void unit_square(rpt_block *b, size_t n, double *x, const char *x_title,
                        const char *y_title) {
  b->chart.n = n;
  b->chart.x = x;
  b->chart.x_fmt = b->chart.y_fmt = RPT_FMT_PCT;
  b->chart.x_min = b->chart.y_min = 0;
  b->chart.x_max = b->chart.y_max = 1;
  b->chart.diagonal = 1;
  b->chart.x_title = x_title;
  b->chart.y_title = y_title;
}

static void model_quality(struct R *R) {
  const json_t *r = R->root;
  section(R, "s8", TX("8. モデルの精度", "8. How far to trust the numbers"));
  const char *chosen = js(r, "model.chosen"), *why = js(r, "model.why");
  para(R, R->ja ? rpt_printf(R->d,
                             "予測モデルは、基準日より前の時点で学習し、その後の実際の購入と照らし合わ"
                             "せる時系列の検証で比べ、%sを採用しました。購入回数の予測には%sを使って"
                             "います。",
                             model_label(R, chosen), model_label(R, js(r, "history.weeks.model")))
                : rpt_printf(R->d,
                             "The models were compared in a time-split validation (trained before "
                             "an earlier date, checked against the purchases that followed), and "
                             "%s was chosen: %s. Purchase counts come from %s.",
                             model_label(R, chosen), why ? why : DASH,
                             model_label(R, js(r, "history.weeks.model"))));
  const json_t *rep = jp(r, "history.weeks.repeat"), *mod = jp(r, "history.weeks.model_repeat");
  size_t W = jlen(rep);
  if (W >= 2 && jlen(mod) == W) {
    double sa = 0, sm = 0;
    for (size_t k = 0; k < W; k++) sa += z(jat(rep, k)), sm += z(jat(mod, k));
    const char *mname = model_label(R, js(r, "history.weeks.model"));
    para(R, R->ja ? rpt_printf(R->d,
                               "週ごとのリピート購入（各顧客の2回目以降の購入日）の実績と、%sモデルが"
                               "期待する回数です。全期間の合計は実績%s回、モデル%s回（差%s）でした。"
                               "モデルは全期間のデータで当てはめているため、これは当てはまりの確認"
                               "です。将来の予測の精度は下の検証の表で見てください。週ごとの山と谷は"
                               "キャンペーンや季節によるもので、モデルは平均的な水準を追います。",
                               mname, N(R, sa), N(R, sm), P(R, share(sm - sa, sa)))
                  : rpt_printf(R->d,
                               "Weekly repeat purchases (every purchase day of a customer after "
                               "the first), actual and as the %s model expects them. Over the "
                               "whole history: %s actual, %s expected (%s difference). The model "
                               "was fitted on the whole history, so this checks the fit; the "
                               "validation table below shows how well it predicts. Peaks and dips "
                               "come from campaigns and seasons; the model follows the average "
                               "level.",
                               mname, N(R, sa), N(R, sm), P(R, share(sm - sa, sa))));
    rpt_block *b = chart(R, RPT_CH_LINES, 210, 0,
                         R->ja ? rpt_printf(R->d, "週ごとのリピート購入数：実績と%sモデル（%sから）", mname, js(r, "history.weeks.start"))
                               : rpt_printf(R->d, "Repeat purchases per week: actual and %s (weeks from %s)", mname, js(r, "history.weeks.start")));
    if (b) {
      double *x = rpt_doubles(R->d, W);
      for (size_t k = 0; x && k < W; k++) x[k] = (double)k + 1;
      b->chart.n = W;
      b->chart.x = x;
      b->chart.x_title = TX("週", "week");
      b->chart.y_title = TX("リピート購入", "repeat purchases");
      b->chart.n_series = 2;
      b->chart.series[0] = (rpt_series){TX("実績", "actual"), array_of(R, rep, 0, W), RPT_C_BLUE, 0, 0};
      b->chart.series[1] = (rpt_series){TX("モデル", "model"), array_of(R, mod, 0, W), RPT_C_ORANGE, 1, 0};
    }
  }
  const json_t *cv = valid_row(R, chosen), *cal = jp(cv, "calibration");
  const json_t *rf = valid_row(R, "rfm"), *rc = valid_row(R, "recency");
  double ece = jv(cv, "ece");
  if (jlen(cal)) {
    rpt_block *b = chart(R, RPT_CH_LINES, 220, 1, TX("較正図：予測確率と実際の購入率（検証）", "Calibration: predicted vs observed purchase rate (validation)"));
    if (b) {
      size_t nb = jlen(cal), k = 0;
      double *x = rpt_doubles(R->d, nb), *y = rpt_doubles(R->d, nb);
      for (size_t i = 0; x && y && i < nb; i++) {
        const json_t *bin = json_array_get(cal, i);
        if (!(jv(bin, "customers") > 0)) continue;
        x[k] = jv(bin, "mean_pred");
        y[k++] = jv(bin, "obs_rate");
      }
      unit_square(b, k, x, TX("予測確率", "predicted"), TX("実際の購入率", "observed"));
      b->chart.n_series = 1;
      b->chart.series[0] = (rpt_series){model_label(R, chosen), y, RPT_C_BLUE, 0, 1};
    }
  }
  const json_t *gains = jp(cv, "gains");
  if (jlen(gains)) {
    rpt_block *b = chart(R, RPT_CH_LINES, 220, 1, TX("累積ゲイン：スコア上位から選んだときに捉える購入者の割合（検証）", "Cumulative gains: share of the buyers reached by contacting the top-scored first (validation)"));
    if (b) {
      size_t np = jlen(gains);
      double *x = rpt_doubles(R->d, np);
      for (size_t i = 0; x && i < np; i++) x[i] = (double)i / (double)(np - 1);
      unit_square(b, np, x, TX("接触する顧客（スコア上位から）", "customers contacted (top-scored first)"),
                  TX("捉える購入者", "buyers reached"));
      int s = 0;
      b->chart.series[s++] = (rpt_series){model_label(R, chosen), array_of(R, gains, 0, np), RPT_C_BLUE, 0, 0};
      if (jlen(jp(rf, "gains")) == np)
        b->chart.series[s++] = (rpt_series){model_label(R, "rfm"), array_of(R, jp(rf, "gains"), 0, np), RPT_C_GREEN, 0, 0};
      if (jlen(jp(rc, "gains")) == np)
        b->chart.series[s++] = (rpt_series){model_label(R, "recency"), array_of(R, jp(rc, "gains"), 0, np), RPT_C_GREY, 1, 0};
      b->chart.n_series = s;
    }
  }
  double g10 = jat(gains, 2), g10r = jat(jp(rf, "gains"), 2);
  para(R, R->ja ? rpt_printf(R->d,
                             "較正図は予測した確率ごとの実際の購入率で、点が対角線に近いほど確率をその"
                             "まま信じてよいことを示します（平均のずれ ECE は%s）。累積ゲインは、スコア"
                             "の高い順に顧客を選んだとき購入者の何割を捉えられるかで、上位10%%で購入者"
                             "の%sを捉えます（無作為なら10%%、RFMスコアでは%s）。",
                             P(R, ece), P(R, g10), P(R, g10r))
                : rpt_printf(R->d,
                             "The calibration plot shows the observed purchase rate at each "
                             "predicted probability: the closer to the diagonal, the more the "
                             "probabilities can be taken at face value (mean gap, ECE: %s). The "
                             "gains curve shows how many of the buyers are reached by contacting "
                             "customers in order of score: the top 10%% reach %s of the buyers "
                             "(10%% at random, %s by the RFM score).",
                             P(R, ece), P(R, g10), P(R, g10r)));
  /* probabilities far from the observed rates: say which way, and how to use them */
  double pred = 0, seen = 0, cnt = 0;
  for (size_t i = 0; i < jlen(cal); i++) {
    const json_t *bin = json_array_get(cal, i);
    double c = z(jv(bin, "customers"));
    pred += c * z(jv(bin, "mean_pred"));
    seen += c * z(jv(bin, "obs_rate"));
    cnt += c;
  }
  if (ece > 0.1 && cnt > 0)
    para(R, R->ja ? rpt_printf(R->d,
                               "ただし確率のずれが大きく、検証では予測の平均%sに対し実際の購入率は%sで"
                               "した。確率は%s出ています。この期間の確率は顧客の順位づけに使い、人数や"
                               "売上の見込みは控えめに読んでください。",
                               P(R, pred / cnt), P(R, seen / cnt), pred > seen ? "高めに" : "低めに")
                  : rpt_printf(R->d,
                               "The probabilities are off, though: in the validation they averaged "
                               "%s against an observed rate of %s, so they run %s. Use them to rank "
                               "customers, and read the expected counts and revenue with care.",
                               P(R, pred / cnt), P(R, seen / cnt), pred > seen ? "high" : "low"));
  const json_t *val = jp(r, "model.validation");
  size_t nv = jlen(val);
  rpt_block *t = rpt_add_table(R->d, 1 + nv, 7, "lrrrrrr");
  const char *hd[] = {TX("モデル", "Model"), "AUC", "PR-AUC", TX("上位10%リフト", "Top-10% lift"), "Brier", "ECE",
                      TX("予測/実績の購入", "Predicted / actual purchases")};
  for (int c = 0; c < 7; c++) cell(t, 0, (size_t)c, hd[c]);
  for (size_t k = 0; k < nv; k++) {
    const json_t *row = json_array_get(val, k);
    const char *m = js(row, "model");
    int ok = json_is_true(jp(row, "ok"));
    const char *name = model_label(R, m);
    if (m && chosen && !strcmp(m, chosen)) name = rpt_printf(R->d, "%s%s", name, TX("（採用）", " (chosen)"));
    cell(t, 1 + k, 0, name);
    if (!ok) {
      const char *nt = js(row, "note");
      cell(t, 1 + k, 1, nt ? nt : TX("当てはまらず", "not fitted"));
      continue;
    }
    cell(t, 1 + k, 1, F3(R, jv(row, "auc")));
    cell(t, 1 + k, 2, F3(R, jv(row, "pr_auc")));
    cell(t, 1 + k, 3, fmt(R, jv(row, "lift_top10"), RPT_FMT_NUM, 2));
    cell(t, 1 + k, 4, F3(R, jv(row, "brier")));
    cell(t, 1 + k, 5, F3(R, jv(row, "ece")));
    double pr = jv(row, "predicted_purchases"), ac = jv(row, "actual_purchases");
    cell(t, 1 + k, 6, isfinite(pr) ? rpt_printf(R->d, "%s / %s", N(R, pr), N(R, ac)) : DASH);
  }
  note(R, TX("AUC：購入した顧客としなかった顧客の組をランダムに選んだとき、購入した顧客のスコアの方が高い確率（0.5は当て推量、1は完全）。PR-AUC：購入者を上位に集める精度。上位10%リフト：スコア上位10%の購入率が全体の何倍か。Brier：確率の二乗誤差（小さいほどよい）。ECE：予測確率と実際の購入率の平均のずれ。RFMと最終購入日数は確率ではないため、Brier と ECE はありません。",
             "AUC: the chance that a random buyer scores above a random non-buyer (0.5 is guessing, 1 perfect). PR-AUC: how well buyers are gathered at the top. Top-10% lift: the purchase rate of the top-scored 10% over the overall rate. Brier: squared error of the probabilities (lower is better). ECE: mean gap between predicted probability and observed rate. RFM and recency are not probabilities: no Brier or ECE."));
}

static void actions(struct R *R) {
  const json_t *r = R->root;
  section(R, "s9", TX("9. おすすめの施策", "9. Recommended actions"));
  const char *lk[2] = {"prevention", "winback"};
  rpt_block *t = rpt_add_table(R->d, 3, 7, "lrrrrrr");
  const char *hd[] = {TX("リスト", "List"), TX("候補", "Candidates"), TX("掲載", "Listed"), TX("接触", "Contacted"),
                      TX("比較群", "Holdout"), TX("費用", "Cost"), TX("期待売上（接触分）", "Expected value (contacted)")};
  for (int c = 0; c < 7; c++) cell(t, 0, (size_t)c, hd[c]);
  double hold = 0, listed = 0;
  for (int l = 0; l < 2; l++) {
    const json_t *o = jp(r, rpt_printf(R->d, "lists.%s", lk[l]));
    cell(t, 1 + l, 0, rpt_printf(R->d, "%s (%s)", l ? TX("掘り起こし", "Win-back") : TX("予防", "Prevention"),
                                 js(o, "file") ? js(o, "file") : DASH));
    cell(t, 1 + l, 1, N(R, jv(o, "candidates")));
    cell(t, 1 + l, 2, N(R, jv(o, "listed")));
    cell(t, 1 + l, 3, N(R, jv(o, "contacted")));
    cell(t, 1 + l, 4, N(R, jv(o, "holdout")));
    cell(t, 1 + l, 5, Y(R, jv(o, "cost")));
    cell(t, 1 + l, 6, Y(R, jv(o, "value_contacted")));
    hold += z(jv(o, "holdout"));
    listed += z(jv(o, "listed"));
  }
  double cost1 = jv(r, "lists.cost_per_contact");
  if (!isfinite(cost1)) cost1 = 100; /* a results.json from before it was written */
  const char *holdout_ja =
      hold > 0 ? rpt_printf(R->d,
                            "掲載した顧客のうち%s人（%s）は比較群（ホールドアウト）として無作為に選ば"
                            "れ、連絡しません。施策の後に比較群と接触した顧客の購入率を比べれば、施策"
                            "が本当に生んだ売上を測れます。",
                            N(R, hold), P(R, share(hold, listed)))
               : "比較群（ホールドアウト）は取っていません。比較群がないと、施策が本当に生んだ"
                 "売上は測れません（--holdout 10 で掲載者の10%を無作為に残せます）。";
  const char *holdout_en =
      hold > 0 ? rpt_printf(R->d,
                            "%s of the listed customers (%s) were drawn at random as a holdout and "
                            "are not contacted: comparing their purchase rate with the contacted "
                            "customers' after the campaign measures what the campaign really "
                            "achieved.",
                            N(R, hold), P(R, share(hold, listed)))
               : "No holdout was drawn: without one, what the campaign really achieved cannot "
                 "be measured (--holdout 10 keeps a random 10% of each list uncontacted).";
  para(R, R->ja ? rpt_printf(R->d,
                             "予防リストは離脱予兆の顧客をリスク売上の大きい順に、掘り起こしリストは休"
                             "眠顧客を再購入の期待売上の大きい順に並べています。%s費用は1件あたりの接"
                             "触費用（%s、既定ははがきDM1通の料金）から計算しています。",
                             holdout_ja, Y(R, cost1))
                : rpt_printf(R->d,
                             "The prevention list ranks at-risk customers by value at stake; the "
                             "win-back list ranks dormant customers by the expected value of "
                             "reactivation. %s Costs use the cost per contact (%s; by default "
                             "the price of a postcard).",
                             holdout_en, Y(R, cost1)));
  subhead(R, TX("対象ごとのチャネルとタイミング", "Channel and timing per segment"));
  rpt_block *s = rpt_add_table(R->d, 6, 4, "llll");
  const char *rows_ja[][4] = {
      {"対象", "施策", "チャネル", "タイミング"},
      {"離脱予兆（高リスク）", "理由に合わせた個別の案内（いつもの商品の再購入、使い切りの頃のお知らせ）", "メール・LINE", "いつもの間隔を過ぎたらすぐ、2週間以内"},
      {"初期離反層", "2回目の購入の特典と、商品の使い方・楽しみ方の案内", "はがきDM・メール", "初回購入から6〜9か月の間に1回"},
      {"ロイヤル層からの離反", "これまでのお礼と、新商品・定番品の紹介", "はがきDM", "休眠12か月を過ぎたら早めに、反応を見て1〜2回"},
      {"過去高LTV休眠層", "個別の連絡と限定のご案内", "電話・手書きDM", "最優先ですぐに"},
      {"離脱予兆（中・低リスク）", "通常のメールマガジン。値引きは不要", "メール", "通常どおり"}};
  const char *rows_en[][4] = {
      {"Who", "What", "Channel", "When"},
      {"At risk, high tier", "A personal note fitted to the reason (reorder the usual item, a reminder when it runs out)", "E-mail, LINE", "As soon as they pass their usual interval, within two weeks"},
      {"Early lapsed one-time buyers", "A second-purchase offer and how to get the most from the product", "Postcard, e-mail", "Once, 6–9 months after the first purchase"},
      {"Lapsed repeat buyers", "Thanks for past custom, new and classic products", "Postcard", "Soon after 12 months of silence; once or twice, by response"},
      {"Past top-value, now silent", "Personal contact and an exclusive offer", "Phone, handwritten letter", "First, and now"},
      {"At risk, medium and low tiers", "The usual newsletter; no discount needed", "E-mail", "As usual"}};
  for (size_t i = 0; i < 6; i++)
    for (size_t c = 0; c < 4; c++) cell(s, i, c, R->ja ? rows_ja[i][c] : rows_en[i][c]);
  note(R, TX("施策の内容は一般的な目安です。比較群との差で効果を確かめ、店に合わせて調整してください。",
             "The actions are general guidance: check them against the holdout and adapt them to the shop."));
}

static void method(struct R *R) {
  const json_t *r = R->root;
  section(R, "s10", TX("10. 数字の求め方", "10. How the numbers are computed"));
  double h = jv(r, "horizon_days"), lab = jv(r, "model.label_days");
  const char **it = rpt_strings(R->d, 8);
  if (!it) return;
  if (R->ja) {
    it[0] = "購入日：同じ顧客の同じ日の購入は1回と数えます。返品は売上から差し引き、キャンセルは購入に数えません。形式の誤った行は除外ファイルに理由とともに書き出し、読み込んだ行＝使った行＋キャンセル＋除外行が常に成り立ちます。";
    it[1] = "状態：基準日の前日までの購入履歴だけで判定します。休眠の基準はリピート間隔の分布から、離脱予兆は顧客自身の購入リズム（なければ店全体の分布）から決めます（2章）。";
    it[2] = rpt_printf(R->d, "購入確率：予測期間（%s日）のうちに少なくとも1回購入する確率です。リスクスコア＝100×（1−購入確率）。", N(R, h));
    it[3] = "購入回数のモデル（BG/NBD など）：顧客ごとの購入回数、最後の購入の時期、観測期間から、まだ顧客でいる確率と今後の購入回数を推定する、確立した統計モデルです。";
    it[4] = rpt_printf(R->d, "教師ありモデル（XGBoost）：基準日より前の時点の顧客の状態から、その後%s日間に購入したかを学習します。使う特徴は最終購入からの日数、購入回数、購入間隔の平均とばらつき、いつもの間隔に対する経過の比、注文単価の推移、顧客歴、返品、モデルの出力、カテゴリのあるデータでは購入カテゴリの構成などです。", N(R, lab));
    it[5] = rpt_printf(R->d, "期待売上＝予測購入回数×1回あたりの期待購入額（Gamma-Gamma モデル）。リスク売上＝購入しない確率×継続した場合の期待売上。掘り起こしの期待売上＝購入確率×期待購入額。金額はデータの金額を%sとして表示しています（--currency）。", R->currency);
    it[6] = "RFM：R・F・Mを顧客数がほぼ等しい5段階に分け、RとFの組み合わせで名前の付いたグループに分けます。比較のため、RFMスコアと最終購入からの日数だけの順位も検証しています。";
    it[7] = "検証：基準日より前の時点までのデータで学習・予測し、その後実際に購入したかと比べます。予測に使う情報は常にその時点より前のものだけです。同じ入力と設定からは、スレッド数によらず同じ結果になります。";
  } else {
    it[0] = "Purchase days: a customer's purchases on one day count once. Returns are taken off revenue; cancellations are not purchases. Rows that cannot be used go to the reject file with their reasons; rows read = accepted + cancelled + rejected, always.";
    it[1] = "States use only the purchases before the as-of date. The dormancy threshold comes from the distribution of repeat intervals, at-risk from the customer's own rhythm (the shop's distribution when there is none): section 2.";
    it[2] = rpt_printf(R->d, "P(purchase): the probability of at least one purchase within the horizon (%s days). Churn risk = 100 × (1 − P(purchase)).", N(R, h));
    it[3] = "Purchase models (BG/NBD and others): established statistical models that estimate, from each customer's number of purchases, the time of the last one and how long they have been observed, the probability they are still a customer and how many purchases to expect.";
    it[4] = rpt_printf(R->d, "Supervised model (XGBoost): learns, from the customers' state at earlier dates, who bought in the %s days after. Features: days since the last purchase, purchases, mean and spread of the intervals, time since the last purchase over the usual interval, spend trend, tenure, returns, the purchase models' outputs and, where the data has categories, the category mix.", N(R, lab));
    it[5] = rpt_printf(R->d, "Expected value = expected purchases × expected spend per purchase (Gamma-Gamma model). Value at stake = P(no purchase) × the value if retained. Expected value of reactivation = P(purchase) × expected spend. The data's amounts are shown as %s (--currency).", R->currency);
    it[6] = "RFM: R, F and M each split into five grades of about equal numbers of customers; named groups from R and F. The RFM score and recency alone are validated alongside the models for comparison.";
    it[7] = "Validation: trained and predicted with the data up to an earlier date only, then compared with what the customers actually did. Same input and options give the same results at any thread count.";
  }
  rpt_block *b = rpt_add(R->d, RPT_B_BULLETS);
  if (b) {
    b->cells = it;
    b->n_rows = 8;
  }
}

rpt_doc *rpt_report_build(const json_t *results, const char *lang, const char *version,
                          char *err, size_t errlen) {
  const char *f = js(results, "format");
  if (!json_is_object(results) || !jp(results, "data") || !jp(results, "states") ||
      (f && strncmp(f, "rouse-results-", 14))) {
    snprintf(err, errlen, "not a rouse results.json (written by `rouse run`)");
    return NULL;
  }
  rpt_doc *d = rpt_doc_new(lang);
  if (!d) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  struct R RR = {d, results, !strcmp(d->lang, "ja"), d->lang, "JPY"}, *R = &RR;
  const char *cur = js(results, "currency");
  if (cur && rpt_currency_known(cur)) R->currency = cur;
  R->num = rpt_printf(d, "%s:%s", d->lang, R->currency);
  if (!R->num) R->num = d->lang;
  const char *first = js(results, "data.first_day"), *last = js(results, "data.last_day");
  const char *as_of = js(results, "as_of");
  d->title = TX("顧客離反分析レポート", "Customer churn and win-back report");
  d->pdf_date = as_of;
  d->footer = rpt_printf(d, "%s · %s %s", d->title, TX("基準日", "as of"), as_of ? as_of : DASH);
  rpt_block *t = rpt_add(d, RPT_B_TITLE);
  if (t) {
    t->text = d->title;
    t->sub = R->ja ? rpt_printf(d, "データ期間 %s〜%s ・ 基準日 %s ・ 予測期間 %s日 ・ rouse %s",
                                first ? first : DASH, last ? last : DASH, as_of ? as_of : DASH,
                                N(R, jv(results, "horizon_days")), version)
                   : rpt_printf(d, "Data %s to %s · as of %s · horizon %s days · rouse %s",
                                first ? first : DASH, last ? last : DASH, as_of ? as_of : DASH,
                                N(R, jv(results, "horizon_days")), version);
  }
  subhead(R, TX("要点", "Key findings"));
  key_findings(R);
  data_overview(R);
  churn_definition(R);
  lifecycle(R);
  cohorts(R);
  at_risk(R);
  dormant(R);
  rfm(R);
  model_quality(R);
  actions(R);
  method(R);
  if (rpt_doc_failed(d)) {
    rpt_doc_free(d);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  return d;
}

int rpt_report_write(const json_t *results, const char *dir, const char *lang,
                     const char *version, int want_pdf, char *err, size_t errlen) {
  rpt_doc *d = rpt_report_build(results, lang, version, err, errlen);
  if (!d) return -1;
  char path[4096];
  char *html = NULL;
  size_t len = 0;
  int rc = 0;
  if (rpt_doc_html(d, &html, &len)) {
    snprintf(err, errlen, "out of memory while writing the HTML report");
    rc = -1;
  } else {
    snprintf(path, sizeof path, "%s/report.html", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(html, 1, len, f) != len) rc = -1;
    if (f && fclose(f)) rc = -1;
    if (rc) snprintf(err, errlen, "cannot write '%s'", path);
    free(html);
  }
  if (!rc && want_pdf) {
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    rc = rpt_doc_pdf(d, path, err, errlen);
  }
  rpt_doc_free(d);
  return rc;
}
