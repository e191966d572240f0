/* SPDX-License-Identifier: MIT
 * `rouse run`: the main job. Reads the exports, scores every customer (as `rouse score`),
 * builds the prevention and win-back lists under the budget with a holdout, writes them with
 * the scores and a machine-readable results.json into the output folder, and prints a short
 * overview: customers per state, risk tiers, revenue at stake, list sizes and cost. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds.h"
#include "report.h"
#include "results.h"
#include "score_cli.h"

enum { R_DIR = 300, R_TOP, R_BUDGET, R_COST, R_HOLDOUT, R_MARGIN, R_NO_PDF, R_NO_REPORT,
       R_CURRENCY };
static const struct opt run_opts[] = {
    {"out", 'd', "DIR", "output folder (default: rouse-out); created if missing", R_DIR},
    {"top", 0, "N", "at most N customers per list (holdout included)", R_TOP},
    {"budget", 0, "YEN", "budget per list for the contacted customers (in the\ndata's currency, "
                         "as every amount)", R_BUDGET},
    {"cost", 0, "YEN", "cost per contact (default: a postcard DM, 100 yen;\n1 in USD, EUR or "
                       "GBP)", R_COST},
    {"holdout", 0, "PCT", "hold out PCT% of each list as a random control group\n(default 0; "
                          "seeded: --seed)", R_HOLDOUT},
    {"margin", 0, "PCT", "gross margin of the expected value: leave out customers\nwhose "
                         "value x margin is below the cost per contact", R_MARGIN},
    {"no-pdf", 0, NULL, "write the report as HTML only (report.html)", R_NO_PDF},
    {"no-report", 0, NULL, "write no report (results.json still has its numbers;\n"
                           "'rouse report DIR' draws it later)", R_NO_REPORT},
    {"currency", 0, "CODE", "the data's currency: JPY (default), USD, EUR or GBP\n(the report's "
                            "amounts, the default cost per contact)", R_CURRENCY},
};

static void help(FILE *f) {
  static const int refused[] = {S_OUT}; /* run writes into --out DIR */
  struct opt so[SCORE_OPTS_MAX];
  size_t nso = score_opts_for_help(refused, 1, so);
  const struct opt *tables[] = {run_opts, so, input_opts};
  const size_t sizes[] = {sizeof run_opts / sizeof run_opts[0], nso, n_input_opts};
  const char *titles[] = {"Options", "Scoring options", "Input options"};
  print_help(f,
             "rouse run FILE... [--as-of DATE] [--out DIR] [--budget YEN] [--holdout PCT]",
             "The main job: define churn for the shop from its own repeat-purchase intervals,\n"
             "score every customer (see 'rouse score --help'), and write to DIR:\n"
             "  scores.csv      every customer: state, risk, reasons, forecast\n"
             "  prevention.csv  at-risk customers by value at stake (休眠予防)\n"
             "  winback.csv     dormant customers by expected value of reactivation (掘り起こし)\n"
             "  results.json    the numbers behind the overview, for reports and dashboards\n"
             "  report.html     the analysis report, self-contained (see 'rouse report')\n"
             "  report.pdf      the same, A4 (--lang ja|en: the report's language too)\n"
             "and print an overview: customers per state, risk tiers, revenue at stake, list\n"
             "sizes and cost.",
             tables, sizes, titles, 3, "Exit status: 0 success, 1 input errors, 2 usage error.");
}

struct run_args {
  const char *dir;
  struct score_cfg *c;
  int report; /* 2: HTML and PDF, 1: HTML only, 0: none */
};

static int run_extra(void *ctx, int id, const char *val) {
  struct run_args *r = ctx;
  struct list_cfg *l = &r->c->lists;
  char *end;
  double d;
  switch (id) {
    case R_DIR: r->dir = val; return 0;
    case R_NO_PDF: if (r->report > 1) r->report = 1; return 0;
    case R_NO_REPORT: r->report = 0; return 0;
    case R_CURRENCY:
      if (!rpt_currency_known(val))
        return usage_error("run", "invalid --currency '%s': expected JPY, USD, EUR or GBP", val);
      r->c->currency = val;
      return 0;
    case R_TOP: {
      long long v;
      if (parse_int_arg("run", "top", val, 1, 1000000000000LL, &v)) return EXIT_USAGE;
      l->top = v;
      return 0;
    }
    case R_BUDGET: case R_COST: case R_HOLDOUT: case R_MARGIN:
      d = strtod(val, &end);
      if (end == val || *end || !isfinite(d) || d < 0 || (id == R_HOLDOUT && d > 90) ||
          (id == R_MARGIN && (d <= 0 || d > 100)))
        return usage_error("run", "invalid --%s '%s': expected %s", run_opts[id - R_DIR].name,
                           val, id == R_HOLDOUT  ? "a percentage 0 .. 90"
                                : id == R_MARGIN ? "a percentage above 0, at most 100"
                                                 : "a non-negative amount");
      if (id == R_BUDGET) l->budget = d;
      else if (id == R_COST) l->cost = d, l->cost_set = 1;
      else if (id == R_MARGIN) l->margin = d / 100;
      else l->holdout = d / 100;
      return 0;
    default: return EXIT_USAGE;
  }
}

/* risk tiers of customers not dormant or lost, value at stake of the at-risk ones, and the
 * forecast value of everyone not dormant or lost, from the score aggregates: printed and
 * written to results.json */
struct tally {
  size_t tiers[3];
  double stake, forecast;
};

static struct tally tally(const rouse_score_agg *g) {
  struct tally t = {{0, 0, 0}, g->stake_by_tier[0] + g->stake_by_tier[1] + g->stake_by_tier[2],
                    g->forecast};
  for (int st = 0; st < ROUSE_STATE_COUNT; st++)
    if (st != ROUSE_STATE_DORMANT && st != ROUSE_STATE_LOST)
      for (int k = 0; k < 3; k++) t.tiers[k] += g->tier[st][k];
  return t;
}

/* one list: prevention (at-risk by value at stake) or win-back (dormant by expected value) */
struct list {
  const char *name, *file;
  rouse_plan *plan;
  double value;  /* Σ rank value of the whole list */
  double *score; /* per customer: the list's score (the plan's and the CSV's), owned */
};

static int build_list(const rouse_scores *s, const struct list_cfg *l, int winback,
                      struct list *out) {
  size_t n = s->n;
  uint8_t *el = calloc(n ? n : 1, 1);
  double *score = calloc(n ? n : 1, sizeof *score);
  if (!el || !score) {
    free(el);
    free(score);
    return ROUSE_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    int st = s->life->state[i];
    el[i] = winback ? st == ROUSE_STATE_DORMANT : st == ROUSE_STATE_AT_RISK;
    score[i] = winback ? s->p_purchase[i] : s->churn_risk[i] / 100;
  }
  rouse_plan_opts po;
  rouse_plan_opts_init(&po);
  po.top_n = (size_t)l->top;
  po.budget = l->budget;
  po.cost_per_contact = l->cost;
  po.holdout_share = l->holdout;
  po.seed = l->seed + (winback ? 1 : 0);
  po.min_score = winback ? l->min_react : 0;
  if (l->margin > 0) po.min_value = l->cost / l->margin; /* value x margin >= cost */
  int rc = rouse_plan_build(s->summary->id, el, winback ? s->expected_value : s->value_at_stake,
                            score, n, &po, &out->plan);
  free(el);
  out->score = score; /* for the CSV */
  return rc;
}

struct reasons_ctx {
  const rouse_scores *s;
  const char *lang;
};

static const char *reasons_of(void *ctx, size_t i, char *buf, size_t len) {
  const struct reasons_ctx *r = ctx;
  return rouse_score_reasons_text(r->s, i, r->lang, buf, len);
}

/* the two lists' plans, and the state and tier columns both CSVs show (names per customer,
 * filled in row order: sequential writes, where the lists' rank order scatters them); built
 * on a thread of their own while scores.csv is written */
struct lists_job {
  const rouse_scores *s;
  const struct list_cfg *cfg;
  struct list *L; /* [2] */
  const char **state, **tier;
  int rc[2];      /* per list */
};

static void *lists_thread(void *arg) {
  struct lists_job *j = arg;
  for (int k = 0; k < 2; k++) j->rc[k] = build_list(j->s, j->cfg, k, &j->L[k]);
  size_t n = j->s->n;
  j->state = calloc(n ? n : 1, sizeof *j->state);
  j->tier = calloc(n ? n : 1, sizeof *j->tier);
  if (!j->state || !j->tier) {
    for (int k = 0; k < 2; k++) j->rc[k] = j->rc[k] ? j->rc[k] : ROUSE_NOMEM;
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    j->state[i] = rouse_state_name(j->s->life->state[i]);
    j->tier[i] = rouse_tier_name(j->s->tier[i]);
  }
  return NULL;
}

static int write_list(const rouse_scores *s, const struct lists_job *lj, int winback,
                      const char *dir, const struct score_cfg *c) {
  size_t n = s->n;
  const struct list *L = &lj->L[winback];
  int rc = ROUSE_OK;
  const rouse_plan *p = L->plan;
  struct reasons_ctx rctx = {s, c->lang};
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, L->file);
  struct out_sink sink = {path, NULL, false};
  if (!rc) {
    rouse_plan_columns pc;
    rouse_plan_columns_init(&pc);
    pc.n = n;
    pc.ids = s->summary->id;
    pc.state = lj->state;
    pc.score = L->score;
    pc.tier = lj->tier;
    pc.reasons_fn = reasons_of;
    pc.reasons_ctx = &rctx;
    pc.expected_value = winback ? s->expected_value : s->value_at_stake;
    pc.n_threads = c->so.n_threads;
    rc = rouse_plan_write_csv(p, &pc, c->excel_bom ? ROUSE_PLAN_CSV_BOM : 0, out_sink_write,
                              &sink);
    if (!rc && !sink.f) { /* an empty list: still write the header-only file */
      rc = out_sink_write(&sink, "", 0) ? ROUSE_IO : ROUSE_OK;
    }
  }
  int bad = rc != ROUSE_OK;
  if (rc && !sink.failed) msg_error("cannot write '%s': %s", path, rouse_strerror(rc));
  if (sink.f && close_output(sink.f, path)) bad = 1;
  return bad;
}

static const char *yen(double v, char *buf, size_t len) {
  /* thousands separators, no decimals */
  char t[64];
  snprintf(t, sizeof t, "%.0f", v);
  size_t tl = strlen(t), o = 0, start = t[0] == '-';
  for (size_t k = 0; k < tl && o + 2 < len; k++) {
    if (k > start && (tl - k) % 3 == 0) buf[o++] = ',';
    buf[o++] = t[k];
  }
  buf[o] = '\0';
  return buf;
}

static json_t *counts_json(const size_t *count, int n, const char *(*name)(int)) {
  json_t *o = json_object();
  for (int k = 0; k < n; k++) json_object_set_new(o, name(k), json_integer((json_int_t)count[k]));
  return o;
}

static json_t *list_json(const struct list *L) {
  const rouse_plan *p = L->plan;
  json_t *o = json_object();
  json_object_set_new(o, "file", json_string(L->file));
  json_object_set_new(o, "candidates", json_integer((json_int_t)p->n_candidates));
  json_object_set_new(o, "left_out_unlikely", json_integer((json_int_t)p->n_below_min));
  json_object_set_new(o, "left_out_not_worth_contact", json_integer((json_int_t)p->n_below_value));
  json_object_set_new(o, "cut_by_limit", json_integer((json_int_t)p->n_cut));
  json_object_set_new(o, "listed", json_integer((json_int_t)p->n));
  json_object_set_new(o, "contacted", json_integer((json_int_t)p->n_contacted));
  json_object_set_new(o, "holdout", json_integer((json_int_t)p->n_holdout));
  json_object_set_new(o, "cost", json_real(p->cost));
  json_object_set_new(o, "value_contacted", json_real(p->value_contacted));
  json_object_set_new(o, "value_holdout", json_real(p->value_holdout));
  json_object_set_new(o, "limit", json_string(rouse_plan_limit_name(p->limit)));
  return o;
}

struct hist_job {
  const rouse_scores *s;
  const rouse_ingest *ing;
  const struct score_cfg *c;
  rouse_history *h;   /* out */
  rouse_score_agg agg; /* out */
  int rc;
};

static void *hist_thread(void *arg) {
  struct hist_job *j = arg;
  /* one thread: it shares the cores with the CSV writers */
  j->rc = results_history_build(j->s, j->ing, j->c->so.life.at_risk_factor,
                                j->c->so.life.min_rhythm, 1, &j->h);
  memset(&j->agg, 0, sizeof j->agg);
  j->agg.struct_size = sizeof j->agg;
  if (!j->rc && rouse_score_aggregate(j->s, &j->agg)) {
    msg_error("out of memory");
    j->rc = ROUSE_NOMEM;
  }
  return NULL;
}

static int write_results(const char *dir, const rouse_scores *s, const rouse_ingest *ing,
                         const rouse_history *h, const rouse_score_agg *g, const struct list *L,
                         const struct score_cfg *c, int n_threads, int report, int quiet) {
  json_t *hist = results_history(s, h);
  if (!hist) {
    msg_error("out of memory");
    return 1;
  }
  json_t *agg = results_scores(g);
  json_t *root = json_object();
  json_object_set_new(root, "format", json_string("rouse-results-1"));
  json_object_set_new(root, "lang", json_string(c->lang));
  json_object_set_new(root, "currency", json_string(c->currency));
  json_object_set_new(root, "history", hist);
  json_object_set_new(root, "scores", agg);
  char a[16], b[16];
  rouse_ingest_stats st;
  rouse_ingest_get_stats(ing, &st);
  json_t *data = json_object();
  json_object_set_new(data, "first_day", json_string(rouse_date_format(st.first_day, a)));
  json_object_set_new(data, "last_day", json_string(rouse_date_format(st.last_day, b)));
  json_object_set_new(data, "rows_read", json_integer((json_int_t)st.rows_read));
  json_object_set_new(data, "rows_accepted", json_integer((json_int_t)st.rows_accepted));
  json_object_set_new(data, "rows_cancelled", json_integer((json_int_t)st.rows_cancelled));
  json_object_set_new(data, "rows_rejected", json_integer((json_int_t)st.rows_rejected));
  json_object_set_new(data, "customers", json_integer((json_int_t)s->n));
  uint64_t orders = 0;
  int64_t net = 0;
  for (size_t i = 0; i < s->n; i++) orders += s->summary->orders[i], net += s->summary->total_e4[i];
  json_object_set_new(data, "orders", json_integer((json_int_t)orders));
  json_object_set_new(data, "revenue", json_real((double)net / 1e4));
  json_object_set_new(data, "has_amount", json_boolean(s->summary->has_amount));
  json_object_set_new(root, "data", data);
  json_object_set_new(root, "as_of", json_string(rouse_date_format(s->as_of, a)));
  json_object_set_new(root, "horizon_days", json_integer(s->horizon_days));
  json_t *def = json_object();
  json_object_set_new(def, "dormant_days", json_integer(s->life->dormant_days));
  json_object_set_new(def, "dormant_from_data", json_boolean(s->life->threshold_from_data));
  json_object_set_new(def, "at_risk_shop_days", json_integer(s->life->at_risk_shop_days));
  json_object_set_new(def, "at_risk_factor", json_real(c->so.life.at_risk_factor));
  json_object_set_new(def, "dormant_percentile", json_real(c->so.life.interval.percentile));
  if (isfinite(s->life->interval.basis_value))
    json_object_set_new(def, "dormant_basis_days", json_real(s->life->interval.basis_value));
  const rouse_interval_stats *iv = &s->life->interval;
  json_t *q = json_object();
  if (iv->intervals) {
    json_object_set_new(q, "p50", json_real(iv->p50));
    json_object_set_new(q, "p75", json_real(iv->p75));
    json_object_set_new(q, "p90", json_real(iv->p90));
    json_object_set_new(q, "p95", json_real(iv->p95));
    json_object_set_new(q, "mean", json_real(iv->mean));
  }
  json_object_set_new(q, "intervals", json_integer((json_int_t)iv->intervals));
  json_object_set_new(def, "repeat_intervals_days", q);
  json_object_set_new(def, "interval_histogram", results_intervals(s));
  if (s->categories) json_object_set_new(def, "categories", results_categories(s));
  json_object_set_new(root, "churn_definition", def);
  json_object_set_new(root, "states", counts_json(s->life->count, ROUSE_STATE_COUNT, rouse_state_name));
  json_object_set_new(root, "dormancy_segments", counts_json(s->dormancy->count, ROUSE_DORMANCY_COUNT,
                                                             rouse_segment_dormancy_name));
  json_object_set_new(root, "rfm_groups", counts_json(s->rfm->count, ROUSE_RFM_GROUP_COUNT,
                                                      rouse_segment_rfm_group_name));
  struct tally t = tally(g);
  json_t *tj = json_object();
  json_object_set_new(tj, "high", json_integer((json_int_t)t.tiers[2]));
  json_object_set_new(tj, "medium", json_integer((json_int_t)t.tiers[1]));
  json_object_set_new(tj, "low", json_integer((json_int_t)t.tiers[0]));
  json_object_set_new(tj, "cut_high", json_real(s->tier_high));
  json_object_set_new(tj, "cut_medium", json_real(s->tier_medium));
  json_object_set_new(root, "risk_tiers", tj);
  json_object_set_new(root, "value_at_stake_at_risk", json_real(t.stake));
  json_object_set_new(root, "forecast_value_active", json_real(t.forecast));
  json_t *m = json_object();
  json_object_set_new(m, "chosen", json_string(rouse_score_model_name(s->model)));
  json_object_set_new(m, "why", json_string(s->why));
  json_object_set_new(m, "label_days", json_integer(s->label_days));
  json_object_set_new(m, "fit_customers", json_integer((json_int_t)s->fit_customers));
  json_object_set_new(m, "valid_customers", json_integer((json_int_t)s->valid_customers));
  json_t *fits = json_array();
  for (int f = 0; f < s->n_fit; f++) {
    json_t *fo = json_object();
    json_object_set_new(fo, "model", json_string(rouse_model_name(s->fit[f].model.kind)));
    json_t *pp = json_object();
    for (int j = 0; j < s->fit[f].model.n_params; j++)
      json_object_set_new(pp, rouse_model_param_name(s->fit[f].model.kind, j),
                          json_real(s->fit[f].model.param[j]));
    json_object_set_new(fo, "params", pp);
    json_object_set_new(fo, "loglik", json_real(s->fit[f].loglik));
    json_array_append_new(fits, fo);
  }
  json_object_set_new(m, "fits", fits);
  json_t *val = json_array();
  for (int k = 0; k < s->n_valid; k++) json_array_append_new(val, results_eval(&s->valid[k]));
  json_object_set_new(m, "validation", val);
  if (s->importance) {
    json_t *imp = json_object();
    for (int k = 0; k < s->n_features; k++)
      json_object_set_new(imp, s->feature_names[k], json_real(s->importance[k]));
    json_object_set_new(m, "feature_gain", imp);
  }
  json_object_set_new(root, "model", m);
  json_t *lists = json_object();
  json_object_set_new(lists, "prevention", list_json(&L[0]));
  json_object_set_new(lists, "winback", list_json(&L[1]));
  json_object_set_new(lists, "cost_per_contact", json_real(c->lists.cost));
  json_object_set_new(root, "lists", lists);
  char path[4096];
  snprintf(path, sizeof path, "%s/results.json", dir);
  int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(10) | JSON_SORT_KEYS);
  if (rc) msg_error("cannot write '%s'", path);
  timing_mark("results.json");
  if (!rc && report) {
    rc = write_report(root, dir, c->lang, report > 1, quiet);
    timing_mark(report > 1 ? "report.html, report.pdf" : "report.html");
  }
  json_decref(root);
  return rc != 0;
}

static void overview(const rouse_scores *s, const rouse_score_agg *g, const struct list *L,
                     const struct score_cfg *c, const char *dir, int report) {
  char a[16], y1[32], y2[32];
  printf("rouse run: %zu customers at %s (horizon %d days)\n", s->n,
         rouse_date_format(s->as_of, a), (int)s->horizon_days);
  const rouse_lifecycle *l = s->life;
  printf("\nChurn definition (休眠の定義)\n");
  if (l->threshold_from_data && l->interval.intervals)
    printf("  dormant after %d days without a purchase: %.0fth percentile of %llu repeat "
           "intervals is %.0f days\n",
           (int)l->dormant_days, 100 * c->so.life.interval.percentile,
           (unsigned long long)l->interval.intervals, l->interval.basis_value);
  else
    printf("  dormant after %d days without a purchase (%s)\n", (int)l->dormant_days,
           l->threshold_from_data ? "no repeat purchases: default" : "given");
  printf("  at risk: %.1f x the customer's own interval, or %d days for customers without "
         "a rhythm\n",
         c->so.life.at_risk_factor, (int)l->at_risk_shop_days);
  const rouse_categories *cg = s->categories;
  if (cg) { /* per category: the five with most customers */
    size_t own = 0, judged = 0;
    for (size_t k = 0; k < cg->n; k++)
      if (cg->dormant_days[k] > 0) own++, judged += cg->customers[k];
    printf("  by category: %zu categories, %zu with enough repeat intervals (>= 100) for a "
           "threshold of their own,\n    which %zu customers are judged by (their main "
           "category's); the others by the shop's\n",
           cg->n, own, judged);
    size_t *ord = calloc(cg->n ? cg->n : 1, sizeof *ord);
    for (size_t k = 0; ord && k < cg->n; k++) ord[k] = k;
    for (size_t r = 0; ord && r < cg->n && r < 5; r++) { /* partial selection, stable */
      size_t b = r;
      for (size_t k = r + 1; k < cg->n; k++)
        if (cg->customers[ord[k]] > cg->customers[ord[b]]) b = k;
      size_t t = ord[b];
      memmove(ord + r + 1, ord + r, (b - r) * sizeof *ord);
      ord[r] = t;
      size_t q = ord[r];
      if (!cg->customers[q]) break;
      char nm[160];
      fit_columns(cg->name[q], 28, nm, sizeof nm);
      if (cg->dormant_days[q] > 0)
        printf("    %s %7llu customers: %4d days (%.0fth percentile of %llu intervals: "
               "%.0f days%s)\n",
               nm, (unsigned long long)cg->customers[q], (int)cg->dormant_days[q],
               100 * c->so.life.interval.percentile,
               (unsigned long long)cg->interval[q].intervals, cg->interval[q].basis_value,
               cg->dormant_days[q] > cg->interval[q].threshold_days ? "; raised to the floor"
                                                                    : "");
      else
        printf("    %s %7llu customers: the shop's (%llu intervals)\n", nm,
               (unsigned long long)cg->customers[q],
               (unsigned long long)cg->interval[q].intervals);
    }
    free(ord);
  }
  printf("\nCustomers by state\n");
  for (int k = 0; k < ROUSE_STATE_COUNT; k++)
    printf("  %-12s %-10s %9zu  %5.1f%%\n", rouse_state_name(k), rouse_state_label_ja(k),
           l->count[k], s->n ? 100.0 * l->count[k] / s->n : 0.0);
  struct tally t = tally(g);
  printf("\nChurn risk of customers not dormant (P(no purchase in %d days); high >= %.0f, "
         "medium >= %.0f)\n",
         (int)s->horizon_days, s->tier_high, s->tier_medium);
  printf("  high %zu, medium %zu, low %zu\n", t.tiers[2], t.tiers[1], t.tiers[0]);
  printf("  value at stake among at-risk customers: %s\n", yen(t.stake, y1, sizeof y1));
  printf("\nModel: %s (%s)\n", rouse_score_model_name(s->model), s->why);
  if (s->fit_customers < s->n)
    printf("  fitted on a sample of %zu customers (fit_max_customers)\n", s->fit_customers);
  if (s->valid_customers)
    printf("  validated on a sample of %zu customers (valid_max_customers)\n",
           s->valid_customers);
  printf("\nLists\n");
  for (int k = 0; k < 2; k++) {
    const rouse_plan *p = L[k].plan;
    printf("  %-10s %zu customers (%zu contacted + %zu holdout), cost %s, expected value %s\n",
           L[k].name, p->n, p->n_contacted, p->n_holdout, yen(p->cost, y1, sizeof y1),
           yen(p->value_contacted, y2, sizeof y2));
    if (p->n_cut)
      printf("  %-10s %zu more left out by %s\n", "", p->n_cut,
             p->limit == ROUSE_PLAN_LIMIT_TOP_N ? "--top" : "the budget");
    if (p->n_below_min)
      printf("  %-10s %zu left out as very unlikely to return (P < %.0f%%)\n", "",
             p->n_below_min, 100 * c->lists.min_react);
    if (p->n_below_value)
      printf("  %-10s %zu left out as not worth a contact (value x %.0f%% margin < %s)\n", "",
             p->n_below_value, 100 * c->lists.margin, yen(c->lists.cost, y1, sizeof y1));
  }
  printf("\nFiles: %s/scores.csv, %s/%s, %s/%s, %s/results.json\n", dir, dir, L[0].file, dir,
         L[1].file, dir);
  if (report) printf("Report: %s/report.html%s%s%s\n", dir, report > 1 ? ", " : "",
                     report > 1 ? dir : "", report > 1 ? "/report.pdf" : "");
}

int cmd_run(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  struct score_cfg c;
  score_cfg_init(&c);
  struct run_args ra = {"rouse-out", &c, 2};
  int rc = score_cfg_preload(&c, "run", argc, argv);
  if (rc) return rc;
  rc = score_parse("run", argc, argv, run_opts, sizeof run_opts / sizeof run_opts[0], run_extra,
                   &ra, &in, &c, help);
  if (rc) return rc < 0 ? EXIT_OK : rc;
  if (c.out) return usage_error("run", "-o does not apply: use --out DIR");
  if (!c.lists.cost_set && strcmp(c.currency, "JPY"))
    c.lists.cost = 1; /* a postcard in dollars, euros or pounds */
  if (c.so.as_of != INT32_MIN) in.io.window_end = c.so.as_of;
  if (mkdir(ra.dir, 0777) && errno != EEXIST) {
    msg_error("cannot create the output folder '%s': %s", ra.dir, strerror(errno));
    return EXIT_INPUT;
  }
  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  rouse_scores *s = NULL;
  struct list L[2] = {{"prevention", "prevention.csv", NULL, 0, NULL},
                      {"win-back", "winback.csv", NULL, 0, NULL}};
  timing_mark(NULL);
  rc = read_inputs(&in, &ing, &rs);
  timing_mark("reading the input");
  if (ing) report_ingest(&in, ing, rs, resolve_as_of(ing, c.so.as_of));
  if (rc == EXIT_OK) rc = score_run(&c, &in, ing, &s);
  /* the history for results.json (one more pass over the ingest) and the score aggregates
   * are built on a thread of their own while scores.csv and the lists are written (those
   * leave a core partly idle) */
  struct hist_job hj;
  memset(&hj, 0, sizeof hj);
  hj.s = s, hj.ing = ing, hj.c = &c;
  struct lists_job lj = {s, &c.lists, L, NULL, NULL, {0, 0}};
  pthread_t htid, ltid;
  int h_started = 0, l_started = 0;
  if (rc == EXIT_OK) l_started = pthread_create(&ltid, NULL, lists_thread, &lj) == 0;
  if (rc == EXIT_OK) h_started = pthread_create(&htid, NULL, hist_thread, &hj) == 0;
  if (rc == EXIT_OK) {
    score_report(&in, s);
    char path[4096];
    snprintf(path, sizeof path, "%s/scores.csv", ra.dir);
    struct out_sink sink = {path, NULL, false};
    int st = rouse_scores_write_csv(s, c.lang, c.excel_bom, out_sink_write, &sink, in.n_threads);
    if (st && !sink.failed) msg_error("cannot write '%s': %s", path, rouse_strerror(st));
    if (st) rc = EXIT_INPUT;
    if (sink.f && close_output(sink.f, path)) rc = EXIT_INPUT;
    timing_mark("scores.csv");
  }
  if (l_started) pthread_join(ltid, NULL);
  else if (rc == EXIT_OK && s) lists_thread(&lj); /* no thread: here */
  timing_mark("lists (waiting for their thread)");
  for (int k = 0; rc == EXIT_OK && k < 2; k++) {
    if (lj.rc[k]) {
      msg_error("cannot build the %s list: %s", L[k].name, rouse_strerror(lj.rc[k]));
      rc = EXIT_INPUT;
    } else if (write_list(s, &lj, k, ra.dir, &c)) {
      rc = EXIT_INPUT;
    }
    timing_mark(L[k].file);
  }
  free(lj.state);
  free(lj.tier);
  if (h_started) pthread_join(htid, NULL);
  else if (rc == EXIT_OK && s) hist_thread(&hj); /* no thread: here */
  if (rc == EXIT_OK && hj.rc) rc = EXIT_INPUT; /* message printed */
  timing_mark("history and score aggregates (waiting for their thread)");
  const rouse_score_agg *agg = &hj.agg;
  if (rc == EXIT_OK &&
      write_results(ra.dir, s, ing, hj.h, agg, L, &c, in.n_threads, ra.report, in.quiet))
    rc = EXIT_INPUT;
  if (rc == EXIT_OK) overview(s, agg, L, &c, ra.dir, ra.report);
  rouse_history_free(hj.h);
  for (int k = 0; k < 2; k++) {
    rouse_plan_free(L[k].plan);
    free(L[k].score);
  }
  rouse_scores_free(s);
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  score_cfg_free(&c);
  timing_mark("freeing memory");
  return rc;
}
