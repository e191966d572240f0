/* SPDX-License-Identifier: MIT
 * `rouse fit`: fit purchase and spend models (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k,
 * Gamma-Gamma) to the per-customer summary of transaction exports; print the parameter table
 * with standard errors, log-likelihood, AIC/BIC and convergence, the holdout check when data
 * goes beyond the calibration end, and optionally save the model as JSON for `rouse predict`.
 * Model formulas: docs/models.md. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

enum { F_MODEL = 100, F_CAL_END, F_HOLD_END, F_UNIT, F_JSON, F_OUT, F_KEEP, F_K };

static const struct opt fit_opts[] = {
    {"model", 'm', "MODEL", "bgnbd (default), mbgnbd, pnbd, mbgcnbd, gg or all", F_MODEL},
    {"calibration-end", 0, "DATE",
     "last day of the calibration period (default: the last day\nin the data); later purchases "
     "are the holdout",
     F_CAL_END},
    {"holdout-end", 0, "DATE", "last day of the holdout period (default: the last day in the data)",
     F_HOLD_END},
    {"unit", 0, "UNIT", "week (default) or day: time unit of the model", F_UNIT},
    {"k", 0, "K", "MBG/CNBD-k: fix the Erlang order 1..12 (default: chosen by\nlikelihood among 1..8; see docs/models.md)", F_K},
    {"json", 0, NULL, "print the results as JSON on standard output", F_JSON},
    {"output", 'o', "FILE", "save the fitted model(s) as JSON for 'rouse predict'", F_OUT},
    {"keep-unconverged", 0, NULL, "exit 0 even when a fit did not converge", F_KEEP},
};

static void help(FILE *f) {
  const struct opt *tables[] = {fit_opts, input_opts};
  const size_t sizes[] = {sizeof fit_opts / sizeof fit_opts[0], n_input_opts};
  const char *titles[] = {"Options", "Input options"};
  print_help(f,
             "rouse fit FILE... [--model MODEL] [--calibration-end DATE] [--unit week|day]\n"
             "                  [--json] [-o MODEL.json]",
             "Fit purchase models (BG/NBD, MBG/NBD, Pareto/NBD, MBG/CNBD-k) and the Gamma-Gamma\n"
             "spend model by maximum likelihood to the customers' repeat purchases (x), the time\n"
             "of their last purchase (t_x) and their observed history (T), as in 'rouse summary'.\n"
             "Prints parameters with standard errors, log-likelihood, AIC, BIC and convergence.\n"
             "With data after the calibration end, also compares actual and predicted repeat\n"
             "purchases in the holdout period. Models are explained in docs/models.md.",
             tables, sizes, titles, 2,
             "Exit status: 0 success, 1 input errors or a fit that did not converge (unless\n"
             "--keep-unconverged), 2 usage error.");
}

static const char *unit_name(int unit) { return unit == 7 ? "week" : "day"; }

/* summary columns as doubles (the model API takes doubles) */
struct fitio_cols {
  size_t n;
  double *x, *t_x, *T, *spend, *hold;
  rouse_summary *s;
};

static void fitio_free(struct fitio_cols *c) {
  free(c->x);
  free(c->t_x);
  free(c->T);
  free(c->spend);
  free(c->hold);
  rouse_summary_free(c->s);
  memset(c, 0, sizeof *c);
}

static int fitio_load(rouse_ingest *ing, int32_t as_of, int32_t hold_end, int unit, int n_threads,
                      struct fitio_cols *c) {
  memset(c, 0, sizeof *c);
  rouse_summary_opts so;
  rouse_summary_opts_init(&so);
  so.as_of = as_of;
  so.holdout_end = hold_end;
  so.unit_days = unit;
  int st = rouse_summary_build(ing, &so, n_threads, &c->s);
  if (st == ROUSE_EMPTY) {
    msg_error("no customer has a purchase before the calibration end: nothing to fit");
    return EXIT_INPUT;
  }
  if (st) {
    msg_error("cannot build the summary: %s", rouse_strerror(st));
    return EXIT_INPUT;
  }
  size_t n = c->n = c->s->n;
  c->x = calloc(n, sizeof *c->x);
  c->t_x = calloc(n, sizeof *c->t_x);
  c->T = calloc(n, sizeof *c->T);
  c->spend = calloc(n, sizeof *c->spend);
  c->hold = calloc(n, sizeof *c->hold);
  if (!c->x || !c->t_x || !c->T || !c->spend || !c->hold) {
    msg_error("out of memory");
    return EXIT_INPUT;
  }
  for (size_t i = 0; i < n; i++) {
    c->x[i] = c->s->x[i];
    c->t_x[i] = c->s->t_x[i];
    c->T[i] = c->s->T[i];
    c->spend[i] = c->s->mean_repeat[i];
    c->hold[i] = c->s->holdout_x ? c->s->holdout_x[i] : 0;
  }
  return EXIT_OK;
}

static int fitio_param_index(const rouse_model *m, const char *name) {
  for (int j = 0; j < m->n_params; j++)
    if (!strcmp(rouse_model_param_name(m->kind, j), name)) return j;
  return -1;
}

/* one model as a JSON object (the format read by rouse predict, docs/models.md) */
static json_t *fitio_json_model(const rouse_fit_result *r, int unit, const char *cal) {
  json_t *o = json_object();
  json_object_set_new(o, "model", json_string(rouse_model_name(r->model.kind)));
  json_object_set_new(o, "unit", json_string(unit_name(unit)));
  json_object_set_new(o, "calibration_end", json_string(cal));
  json_t *p = json_object(), *se = json_object();
  for (int j = 0; j < r->model.n_params; j++) {
    const char *pn = rouse_model_param_name(r->model.kind, j);
    json_object_set_new(p, pn, json_real(r->model.param[j]));
    json_object_set_new(se, pn, isfinite(r->se[j]) ? json_real(r->se[j]) : json_null());
  }
  if (r->model.kind == ROUSE_MODEL_MBGCNBD) json_object_set_new(p, "k", json_integer(r->model.k));
  json_object_set_new(o, "params", p);
  json_object_set_new(o, "se", se);
  json_object_set_new(o, "loglik", json_real(r->loglik));
  json_object_set_new(o, "aic", json_real(r->aic));
  json_object_set_new(o, "bic", json_real(r->bic));
  json_object_set_new(o, "n_customers", json_integer((json_int_t)r->n_customers));
  json_object_set_new(o, "n_distinct", json_integer((json_int_t)r->n_unique));
  json_object_set_new(o, "converged", json_boolean(r->converged));
  json_object_set_new(o, "stop", json_string(rouse_fit_stop_name(r->stop)));
  json_object_set_new(o, "iterations", json_integer(r->iterations));
  json_object_set_new(o, "grad_norm", json_real(r->grad_norm));
  return o;
}

/* a single model: the object; several: {"models": [...]} */
static json_t *fitio_json_results(const rouse_fit_result *r, int n, int unit, const char *cal) {
  if (n == 1) return fitio_json_model(r, unit, cal);
  json_t *root = json_object(), *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, fitio_json_model(&r[i], unit, cal));
  json_object_set_new(root, "models", a);
  return root;
}

static int fitio_save(const char *path, const rouse_fit_result *r, int n, int unit,
                      const char *cal) {
  json_t *root = fitio_json_results(r, n, unit, cal);
  int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
  json_decref(root);
  return rc;
}

static void print_table(FILE *f, const rouse_fit_result *r, int n) {
  fprintf(f, "%-10s", "model");
  for (int i = 0; i < n; i++) fprintf(f, " %22s", rouse_model_name(r[i].model.kind));
  fputc('\n', f);
  /* parameter rows: union of names in order of appearance */
  const char *names[12];
  int nn = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < r[i].model.n_params; j++) {
      const char *pn = rouse_model_param_name(r[i].model.kind, j);
      int seen = 0;
      for (int q = 0; q < nn; q++) seen |= !strcmp(names[q], pn);
      if (!seen && nn < 12) names[nn++] = pn;
    }
  for (int q = 0; q < nn; q++) {
    fprintf(f, "%-10s", names[q]);
    for (int i = 0; i < n; i++) {
      int j = fitio_param_index(&r[i].model, names[q]);
      char cell[64] = "";
      if (j >= 0) {
        if (isfinite(r[i].se[j]))
          snprintf(cell, sizeof cell, "%.6g (%.3g)", r[i].model.param[j], r[i].se[j]);
        else snprintf(cell, sizeof cell, "%.6g (-)", r[i].model.param[j]);
      }
      fprintf(f, " %22s", cell);
    }
    fputc('\n', f);
  }
#define ROW(label, fmt, expr)                                         \
  do {                                                                \
    fprintf(f, "%-10s", label);                                       \
    for (int i = 0; i < n; i++) {                                     \
      char cell[64];                                                  \
      snprintf(cell, sizeof cell, fmt, expr);                         \
      fprintf(f, " %22s", cell);                                      \
    }                                                                 \
    fputc('\n', f);                                                   \
  } while (0)
  int any_k = 0;
  for (int i = 0; i < n; i++) any_k |= r[i].model.kind == ROUSE_MODEL_MBGCNBD;
  char kstr[8][8];
  for (int i = 0; i < n && i < 8; i++) {
    if (r[i].model.kind == ROUSE_MODEL_MBGCNBD) snprintf(kstr[i], sizeof kstr[i], "%d", r[i].model.k);
    else snprintf(kstr[i], sizeof kstr[i], "-");
  }
  if (any_k) ROW("k", "%s", kstr[i]);
  ROW("loglik", "%.4f", r[i].loglik);
  ROW("AIC", "%.2f", r[i].aic);
  ROW("BIC", "%.2f", r[i].bic);
  ROW("customers", "%.0f", r[i].n_customers);
  ROW("distinct", "%zu", r[i].n_unique);
  ROW("iterations", "%d", r[i].iterations);
  ROW("grad_norm", "%.2e", r[i].grad_norm);
  ROW("stop", "%s", rouse_fit_stop_name(r[i].stop));
  ROW("converged", "%s", r[i].converged ? "yes" : "NO");
#undef ROW
}

/* holdout check for one purchase model */
struct holdout {
  double actual, predicted, mae;
  double bin_act[8], bin_pred[8];
  size_t bin_n[8];
};

static int holdout_check(const rouse_model *m, const struct fitio_cols *c, double t_star,
                         int n_threads, struct holdout *h) {
  memset(h, 0, sizeof *h);
  double *e = calloc(c->n ? c->n : 1, sizeof *e);
  if (!e) return ROUSE_NOMEM;
  int rc = rouse_model_predict(m, c->x, c->t_x, c->T, c->n, t_star, n_threads, NULL, e, NULL);
  if (rc) {
    free(e);
    return rc;
  }
  for (size_t i = 0; i < c->n; i++) {
    int b = c->x[i] >= 7 ? 7 : (int)c->x[i];
    h->actual += c->hold[i];
    h->predicted += e[i];
    h->mae += fabs(c->hold[i] - e[i]);
    h->bin_act[b] += c->hold[i];
    h->bin_pred[b] += e[i];
    h->bin_n[b]++;
  }
  if (c->n) h->mae /= (double)c->n;
  free(e);
  return ROUSE_OK;
}

static void print_holdout(FILE *f, const rouse_fit_result *r, const struct holdout *h, int n,
                          double t_star, int unit, const char *from, const char *to) {
  fprintf(f, "\nholdout %s .. %s (%.4g %ss): repeat purchases, actual vs predicted\n", from, to,
          t_star, unit_name(unit));
  fprintf(f, "%-10s %10s", "x (calib.)", "customers");
  fprintf(f, " %10s", "actual");
  for (int i = 0; i < n; i++) fprintf(f, " %10s", rouse_model_name(r[i].model.kind));
  fputc('\n', f);
  for (int b = 0; b < 8; b++) {
    char lab[8];
    snprintf(lab, sizeof lab, b == 7 ? "%d+" : "%d", b);
    size_t nb = h[0].bin_n[b];
    fprintf(f, "%-10s %10zu %10.3f", lab, nb, nb ? h[0].bin_act[b] / (double)nb : 0.0);
    for (int i = 0; i < n; i++) fprintf(f, " %10.3f", nb ? h[i].bin_pred[b] / (double)nb : 0.0);
    fputc('\n', f);
  }
  fprintf(f, "%-10s %10s %10.0f", "total", "", h[0].actual);
  for (int i = 0; i < n; i++) fprintf(f, " %10.1f", h[i].predicted);
  fputc('\n', f);
  fprintf(f, "%-10s %10s %10s", "MAE", "", "");
  for (int i = 0; i < n; i++) fprintf(f, " %10.3f", h[i].mae);
  fprintf(f, "\n(bins: mean holdout purchases per customer; MAE: mean absolute error per "
             "customer)\n");
}

int cmd_fit(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  const char *out = NULL, *model = "bgnbd";
  int32_t cal_end = INT32_MIN, hold_end = INT32_MIN;
  int unit = 7, json = 0, keep = 0;
  long long kfix = 0; /* 0: choose k by likelihood */
  const struct opt *tables[] = {fit_opts, input_opts};
  const size_t sizes[] = {sizeof fit_opts / sizeof fit_opts[0], n_input_opts};
  struct argp a = {argc, argv, 1, false, tables, sizes, 2, "fit"};
  const char *val;
  int id;
  while ((id = argp_next(&a, &val)) != -1) {
    switch (id) {
      case -2: return EXIT_USAGE;
      case 0:
        if (input_cfg_add_file(&in, "fit", val)) return EXIT_USAGE;
        break;
      case O_HELP: help(stdout); return EXIT_OK;
      case F_MODEL:
        if (strcmp(val, "all") && !rouse_model_kind_from_name(val))
          return usage_error("fit", "invalid --model '%s': expected bgnbd, mbgnbd, pnbd, "
                                    "mbgcnbd, gg or all", val);
        model = val;
        break;
      case F_CAL_END:
        if (parse_date_arg("fit", "calibration-end", val, &cal_end)) return EXIT_USAGE;
        break;
      case F_HOLD_END:
        if (parse_date_arg("fit", "holdout-end", val, &hold_end)) return EXIT_USAGE;
        break;
      case F_UNIT:
        if (!strcmp(val, "day") || !strcmp(val, "days")) unit = 1;
        else if (!strcmp(val, "week") || !strcmp(val, "weeks")) unit = 7;
        else return usage_error("fit", "invalid --unit '%s': expected week or day", val);
        break;
      case F_K:
        if (parse_int_arg("fit", "k", val, 1, ROUSE_MODEL_MAX_K, &kfix)) return EXIT_USAGE;
        break;
      case F_JSON: json = 1; break;
      case F_OUT: out = val; break;
      case F_KEEP: keep = 1; break;
      default:
        if (input_cfg_apply(&in, "fit", id, val)) return EXIT_USAGE;
    }
  }
  if (in.n_files == 0) return usage_error("fit", "no input file (use '-' for standard input)");
  if (cal_end != INT32_MIN && hold_end != INT32_MIN && hold_end <= cal_end)
    return usage_error("fit", "--holdout-end must be after --calibration-end");
  if (cal_end != INT32_MIN) {
    in.io.window_end = cal_end + 1;
    in.io.window_keep_end = hold_end != INT32_MIN ? hold_end + 1 : INT32_MAX;
  }

  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  int rc = read_inputs(&in, &ing, &rs);
  struct fitio_cols cols;
  memset(&cols, 0, sizeof cols);
  rouse_fit_result res[5];
  int nres = 0, any_bad = 0;
  if (rc != EXIT_OK) {
    if (ing) report_ingest(&in, ing, rs, cal_end == INT32_MIN ? INT32_MIN : cal_end + 1);
    goto done;
  }
  {
    rouse_ingest_stats st;
    rouse_ingest_get_stats(ing, &st);
    int32_t as_of = cal_end == INT32_MIN ? INT32_MIN : cal_end + 1;
    int32_t hend = INT32_MIN;
    if (cal_end != INT32_MIN) {
      hend = hold_end != INT32_MIN ? hold_end : st.last_day;
      if (hend <= cal_end) hend = INT32_MIN; /* no data after the calibration end */
    }
    rc = fitio_load(ing, as_of, hend, unit, in.n_threads, &cols);
    report_ingest(&in, ing, rs, cols.s ? cols.s->as_of : as_of);
    if (rc) goto done;
    int kinds[5], nk = 0;
    if (!strcmp(model, "all")) {
      for (int k = 1; k <= 5; k++) kinds[nk++] = k;
    } else {
      kinds[nk++] = rouse_model_kind_from_name(model);
    }
    rouse_fit_opts o;
    rouse_fit_opts_init(&o);
    o.n_threads = in.n_threads;
    o.k = (int)kfix;
    o.litt = cols.s->sum_log_interval; /* makes MBG/CNBD-k likelihoods complete */
    for (int i = 0; i < nk; i++) {
      rouse_fit_result_init(&res[nres]);
      int st2;
      if (kinds[i] == ROUSE_MODEL_GG) {
        if (!cols.s->has_amount) {
          if (nk == 1) {
            msg_error("the input has no amount column: cannot fit the spend model");
            rc = EXIT_INPUT;
            goto done;
          }
          msg_info(in.quiet, "%s: the input has no amount column: gg (spend model) skipped",
                   prog);
          continue;
        }
        st2 = rouse_model_fit_spend(cols.x, cols.spend, cols.n, &o, &res[nres]);
      } else {
        st2 = rouse_model_fit(kinds[i], cols.x, cols.t_x, cols.T, cols.n, &o, &res[nres]);
      }
      if (st2) {
        msg_error("cannot fit %s: %s", rouse_model_name(kinds[i]), rouse_strerror(st2));
        rc = EXIT_INPUT;
        goto done;
      }
      if (!res[nres].converged) {
        any_bad = 1;
        msg_error("%s: the fit did not converge (stop: %s, gradient %.2e)%s",
                  rouse_model_name(kinds[i]), rouse_fit_stop_name(res[nres].stop),
                  res[nres].grad_norm, keep ? "; kept (--keep-unconverged)" : "");
      }
      nres++;
    }
    /* holdout check */
    struct holdout h[5];
    int nh = 0;
    rouse_fit_result hres[5];
    double t_star = 0;
    char from[16] = "", to[16] = "";
    if (cols.s->holdout_x) {
      t_star = (double)(hend - cols.s->as_of + 1) / unit;
      rouse_date_format(cols.s->as_of, from);
      rouse_date_format(hend, to);
      for (int i = 0; i < nres; i++) {
        if (res[i].model.kind == ROUSE_MODEL_GG) continue;
        if (holdout_check(&res[i].model, &cols, t_star, in.n_threads, &h[nh])) {
          msg_error("out of memory");
          rc = EXIT_INPUT;
          goto done;
        }
        hres[nh++] = res[i];
      }
    }
    char calbuf[16];
    rouse_date_format(cols.s->as_of - 1, calbuf);
    if (json) {
      json_t *root = fitio_json_results(res, nres, unit, calbuf);
      if (nh) {
        json_t *hj = json_object();
        json_object_set_new(hj, "from", json_string(from));
        json_object_set_new(hj, "to", json_string(to));
        json_object_set_new(hj, "length", json_real(t_star));
        json_object_set_new(hj, "actual", json_real(h[0].actual));
        json_t *pj = json_object();
        for (int i = 0; i < nh; i++) {
          json_t *mj = json_object();
          json_object_set_new(mj, "predicted", json_real(h[i].predicted));
          json_object_set_new(mj, "mae", json_real(h[i].mae));
          json_t *bins = json_array();
          for (int b = 0; b < 8; b++) {
            json_t *bj = json_object();
            json_object_set_new(bj, "x", json_integer(b));
            json_object_set_new(bj, "customers", json_integer((json_int_t)h[i].bin_n[b]));
            json_object_set_new(bj, "actual", json_real(h[i].bin_act[b]));
            json_object_set_new(bj, "predicted", json_real(h[i].bin_pred[b]));
            json_array_append_new(bins, bj);
          }
          json_object_set_new(mj, "bins", bins);
          json_object_set_new(pj, rouse_model_name(hres[i].model.kind), mj);
        }
        json_object_set_new(hj, "models", pj);
        json_object_set_new(root, "holdout", hj);
      }
      json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
      fputc('\n', stdout);
      json_decref(root);
    } else {
      printf("calibration to %s, unit %s, %zu customers\n", calbuf, unit_name(unit), cols.n);
      print_table(stdout, res, nres);
      if (nh) print_holdout(stdout, hres, h, nh, t_star, unit, from, to);
    }
    if (out && nres) {
      if (fitio_save(out, res, nres, unit, calbuf)) {
        msg_error("cannot write '%s'", out);
        rc = EXIT_INPUT;
        goto done;
      }
    }
    if (any_bad && !keep) rc = EXIT_INPUT;
  }
done:
  fitio_free(&cols);
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  return rc;
}
