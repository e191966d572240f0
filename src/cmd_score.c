/* SPDX-License-Identifier: MIT
 * `rouse score`: lifecycle state, churn risk, reactivation likelihood, expected purchases
 * and value, and reasons for every customer (docs/scoring.md).
 * `rouse backtest`: score at a cutoff date with the data before it only, then compare with
 * what happened in the horizon after it, for every model and the RFM and recency baselines. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "score_cli.h"

static void score_help(FILE *f) {
  const struct opt *tables[] = {score_opts, input_opts};
  const size_t sizes[] = {n_score_opts, n_input_opts};
  const char *titles[] = {"Options", "Input options"};
  print_help(f,
             "rouse score FILE... [--as-of DATE] [--horizon 180d] [--model auto|NAME] [-o OUT]",
             "Score every customer at the as-of date: lifecycle state (new, active, at_risk,\n"
             "dormant, lost, reactivated), P(alive), P(purchase within the horizon), expected\n"
             "purchases and value, churn risk 0-100 with its tier, and reasons in Japanese or\n"
             "English. With --model auto the purchase models and the supervised model (trained\n"
             "on the shop's own earlier history) are compared on a time split and the best is\n"
             "used. Columns and method: docs/scoring.md.",
             tables, sizes, titles, 2,
             "Exit status: 0 success, 1 input errors or a model that cannot be fitted, 2 usage "
             "error.");
}

int cmd_score(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  struct score_cfg c;
  score_cfg_init(&c);
  int rc = score_cfg_preload(&c, "score", argc, argv);
  if (rc) return rc;
  rc = score_parse("score", argc, argv, NULL, 0, NULL, NULL, &in, &c, score_help);
  if (rc) return rc < 0 ? EXIT_OK : rc;
  if (c.so.as_of != INT32_MIN) in.io.window_end = c.so.as_of;

  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  rouse_scores *s = NULL;
  rc = read_inputs(&in, &ing, &rs);
  if (ing) report_ingest(&in, ing, rs, resolve_as_of(ing, c.so.as_of));
  if (rc == EXIT_OK) rc = score_run(&c, &in, ing, &s);
  if (rc == EXIT_OK) {
    score_report(&in, s);
    struct out_sink sink = {c.out, NULL, false};
    int st = rouse_scores_write_csv(s, c.lang, c.excel_bom, out_sink_write, &sink, in.n_threads);
    if (sink.failed) rc = EXIT_INPUT;
    else if (st) {
      msg_error("cannot write the scores: %s", rouse_strerror(st));
      rc = EXIT_INPUT;
    }
    if (sink.f && close_output(sink.f, c.out)) rc = EXIT_INPUT;
    if (rc == EXIT_OK && c.out && strcmp(c.out, "-"))
      msg_info(in.quiet, "%s: %zu customers written to %s", prog, s->n, c.out);
  }
  rouse_scores_free(s);
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  score_cfg_free(&c);
  return rc;
}

/*=====================================================================
 * backtest
 *====================================================================*/
enum { B_CUTOFF = 300, B_JSON };
static const struct opt backtest_opts[] = {
    {"cutoff", 0, "DATE", "last day the models may see (required); the horizon after it\nis what "
                          "they are judged on",
     B_CUTOFF},
    {"json", 0, NULL, "print the table as JSON on standard output", B_JSON},
};

static void backtest_help(FILE *f) {
  /* the cutoff is the as-of date; the table goes to standard output, without a BOM */
  static const int refused[] = {S_AS_OF, S_OUT, S_BOM};
  struct opt so[SCORE_OPTS_MAX];
  size_t nso = score_opts_for_help(refused, 3, so);
  const struct opt *tables[] = {backtest_opts, so, input_opts};
  const size_t sizes[] = {sizeof backtest_opts / sizeof backtest_opts[0], nso, n_input_opts};
  const char *titles[] = {"Options", "Scoring options", "Input options"};
  print_help(f, "rouse backtest FILE... --cutoff DATE [--horizon 180d] [--json]",
             "Fit and train on the data up to the cutoff only, score every customer, and compare\n"
             "with what happened in the horizon after the cutoff: AUC, PR-AUC, top-decile lift,\n"
             "Brier score, calibration error (ECE) and log loss of P(purchase within the\n"
             "horizon), for every model and for the RFM score and a recency-only baseline;\n"
             "and total predicted vs actual purchases. docs/accuracy.md has real-data results.",
             tables, sizes, titles, 3,
             "Exit status: 0 success, 1 input errors, 2 usage error.");
}

struct bt {
  int32_t cutoff;
  int json;
};

static int bt_extra(void *ctx, int id, const char *val) {
  struct bt *b = ctx;
  if (id == B_CUTOFF) return parse_date_arg("backtest", "cutoff", val, &b->cutoff);
  b->json = 1;
  return 0;
}

static json_t *eval_json(const rouse_score_eval *e) {
  json_t *o = json_object();
  json_object_set_new(o, "model", json_string(rouse_score_model_name(e->model)));
  if (!e->ok) {
    json_object_set_new(o, "error", json_string(e->note));
    return o;
  }
  json_object_set_new(o, "customers", json_integer((json_int_t)e->r.n));
  json_object_set_new(o, "purchasers", json_integer((json_int_t)e->r.n_pos));
  json_object_set_new(o, "auc", e->r.has_auc ? json_real(e->r.auc) : json_null());
  json_object_set_new(o, "pr_auc", e->r.has_ap ? json_real(e->r.ap) : json_null());
  json_object_set_new(o, "lift_top10", e->r.has_ap ? json_real(e->r.lift) : json_null());
  if (e->r.has_prob) {
    json_object_set_new(o, "brier", json_real(e->r.brier));
    json_object_set_new(o, "ece", json_real(e->r.ece));
    json_object_set_new(o, "log_loss", json_real(e->r.log_loss));
  }
  if (isfinite(e->predicted)) {
    json_object_set_new(o, "predicted_purchases", json_real(e->predicted));
    json_object_set_new(o, "actual_purchases", json_real(e->actual));
  }
  return o;
}

int cmd_backtest(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  struct score_cfg c;
  score_cfg_init(&c);
  struct bt b = {INT32_MIN, 0};
  int rc = score_cfg_preload(&c, "backtest", argc, argv);
  if (rc) return rc;
  rc = score_parse("backtest", argc, argv, backtest_opts,
             sizeof backtest_opts / sizeof backtest_opts[0], bt_extra, &b, &in, &c,
             backtest_help);
  if (rc) return rc < 0 ? EXIT_OK : rc;
  if (b.cutoff == INT32_MIN) return usage_error("backtest", "--cutoff DATE is required");
  if (c.so.as_of != INT32_MIN)
    return usage_error("backtest", "--as-of does not apply: the cutoff sets the date");
  if (c.out) return usage_error("backtest", "-o does not apply: the table goes to standard output");
  if (c.excel_bom) return usage_error("backtest", "--excel-bom does not apply: no CSV is written");
  c.so.as_of = b.cutoff + 1;
  c.so.outcome_end = b.cutoff + c.so.horizon_days;
  c.so.all_candidates = 1;
  in.io.window_end = b.cutoff + 1;
  in.io.window_keep_end = c.so.outcome_end + 1;

  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  rouse_scores *s = NULL;
  rc = read_inputs(&in, &ing, &rs);
  if (ing) report_ingest(&in, ing, rs, resolve_as_of(ing, c.so.as_of));
  if (rc == EXIT_OK) {
    rouse_ingest_stats st;
    rouse_ingest_get_stats(ing, &st);
    if (st.first_day > b.cutoff) {
      char a[16], d[16];
      msg_error("the cutoff %s is before the first purchase in the data (%s): nothing to fit",
                rouse_date_format(b.cutoff, a), rouse_date_format(st.first_day, d));
      rc = EXIT_INPUT;
    } else if (st.last_day < c.so.outcome_end) {
      char a[16], d[16];
      msg_error("the data ends %s, before the end of the horizon (%s): the outcome would be "
                "incomplete; use a shorter --horizon or an earlier --cutoff",
                rouse_date_format(st.last_day, a), rouse_date_format(c.so.outcome_end, d));
      rc = EXIT_INPUT;
    } else if (b.cutoff - st.first_day + 1 < 2 * c.so.min_label_days) {
      /* it runs (BG/NBD on what there is), but the figures say little */
      char a[16];
      fprintf(stderr,
              "%s: warning: only %d days of history up to the cutoff (the data starts %s): "
              "too little for a time-split validation or the trees (auto takes BG/NBD); the "
              "figures below say little\n",
              prog, (int)(b.cutoff - st.first_day + 1), rouse_date_format(st.first_day, a));
    }
  }
  if (rc == EXIT_OK) rc = score_run(&c, &in, ing, &s);
  rouse_score_eval rows[ROUSE_SCORE_MAX_CAND + 2];
  int nr = 0;
  if (rc == EXIT_OK) {
    score_report(&in, s);
    int st = rouse_score_backtest(s, rows, &nr);
    if (st) {
      msg_error("cannot evaluate: %s", rouse_strerror(st));
      rc = EXIT_INPUT;
    }
  }
  if (rc == EXIT_OK) {
    char a[16], d[16], e[16];
    rouse_date_format(b.cutoff, a);
    rouse_date_format(b.cutoff + 1, d);
    rouse_date_format(c.so.outcome_end, e);
    if (b.json) {
      json_t *root = json_object(), *arr = json_array();
      json_object_set_new(root, "cutoff", json_string(a));
      json_object_set_new(root, "outcome_from", json_string(d));
      json_object_set_new(root, "outcome_to", json_string(e));
      json_object_set_new(root, "horizon_days", json_integer(c.so.horizon_days));
      json_object_set_new(root, "chosen", json_string(rouse_score_model_name(s->model)));
      json_object_set_new(root, "why", json_string(s->why));
      for (int i = 0; i < nr; i++) json_array_append_new(arr, eval_json(&rows[i]));
      json_object_set_new(root, "models", arr);
      /* what auto saw before the cutoff: the time-split validation it chose by */
      json_t *val = json_array();
      for (int i = 0; i < s->n_valid; i++) json_array_append_new(val, eval_json(&s->valid[i]));
      json_object_set_new(root, "validation", val);
      json_object_set_new(root, "validation_label_days", json_integer(s->label_days));
      json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
      fputc('\n', stdout);
      json_decref(root);
    } else {
      printf("backtest: fitted on data to %s; outcome: purchase in %s .. %s (%d days)\n", a, d,
             e, (int)c.so.horizon_days);
      printf("%zu customers, %zu purchased in the horizon (%.1f%%); chosen by auto: %s\n",
             rows[0].r.n, rows[0].r.n_pos, 100.0 * rows[0].r.base_rate,
             rouse_score_model_name(s->model));
      print_eval_table(stdout, rows, nr);
    }
  }
  rouse_scores_free(s);
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  score_cfg_free(&c);
  return rc;
}
