/* SPDX-License-Identifier: MIT
 * `rouse predict`: per-customer predictions from a model saved by `rouse fit -o`: P(alive),
 * expected purchases and P(no purchase) over a horizon, and with a Gamma-Gamma model in the
 * same file, expected spend per purchase and discounted CLV. One CSV row per customer, sorted
 * as the summary. Formulas: docs/models.md. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

enum { P_MODEL_FILE = 100, P_MODEL, P_AS_OF, P_HORIZON, P_DISCOUNT, P_OUT };

static const struct opt predict_opts[] = {
    {"model-file", 'M', "FILE", "model saved by 'rouse fit -o' (required)", P_MODEL_FILE},
    {"model", 'm', "MODEL", "which purchase model of the file to use when it holds several\n"
                            "(default: the first)", P_MODEL},
    {"as-of", 0, "DATE", "the analysis date: rows before it are used (default: the day\nafter "
                         "the last row)", P_AS_OF},
    {"horizon", 0, "SPAN", "forecast horizon: 180d (default), 26w, 6m or 1y\n(m = 365.25/12 days, "
                           "y = 365.25 days)", P_HORIZON},
    {"discount", 0, "RATE", "annual discount rate for CLV (default 0.1 = 10%)", P_DISCOUNT},
    {"output", 'o', "FILE", "write the CSV here (default: standard output)", P_OUT},
};

static void help(FILE *f) {
  const struct opt *tables[] = {predict_opts, input_opts};
  const size_t sizes[] = {sizeof predict_opts / sizeof predict_opts[0], n_input_opts};
  const char *titles[] = {"Options", "Input options"};
  print_help(f, "rouse predict FILE... --model-file MODEL.json [--as-of DATE] [--horizon 180d]\n"
                "                      [-o OUT]",
             "Write one row per customer: customer_id, x, t_x, T (in the model's unit), p_alive\n"
             "(probability the customer is still active), expected_purchases and\n"
             "p_no_purchase over the horizon, and, when the model file has a Gamma-Gamma model,\n"
             "expected_spend (per purchase) and clv (discounted value over the horizon).",
             tables, sizes, titles, 2,
             "Exit status: 0 success, 1 input errors (unreadable input or model file), 2 usage "
             "error.");
}

struct loaded {
  rouse_model m;
  int unit;
};

static int load_one(json_t *o, struct loaded *out) {
  const char *name = json_string_value(json_object_get(o, "model"));
  const char *unit = json_string_value(json_object_get(o, "unit"));
  json_t *p = json_object_get(o, "params");
  int kind = name ? rouse_model_kind_from_name(name) : 0;
  if (!kind || !unit || !json_is_object(p)) return -1;
  rouse_model_init(&out->m, kind);
  out->unit = !strcmp(unit, "week") ? 7 : !strcmp(unit, "day") ? 1 : 0;
  if (!out->unit) return -1;
  for (int j = 0; j < out->m.n_params; j++) {
    json_t *v = json_object_get(p, rouse_model_param_name(kind, j));
    if (!json_is_number(v)) return -1;
    out->m.param[j] = json_number_value(v);
    if (!(out->m.param[j] > 0) || !isfinite(out->m.param[j])) return -1;
  }
  if (kind == ROUSE_MODEL_MBGCNBD) {
    json_t *k = json_object_get(p, "k");
    if (!json_is_integer(k) || json_integer_value(k) < 1 ||
        json_integer_value(k) > ROUSE_MODEL_MAX_K)
      return -1;
    out->m.k = (int)json_integer_value(k);
  }
  return 0;
}

int cmd_predict(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  const char *out = NULL, *model_file = NULL, *which = NULL;
  int32_t as_of = INT32_MIN;
  double horizon_days = 180, discount = 0.1;
  const struct opt *tables[] = {predict_opts, input_opts};
  const size_t sizes[] = {sizeof predict_opts / sizeof predict_opts[0], n_input_opts};
  struct argp a = {argc, argv, 1, false, tables, sizes, 2, "predict"};
  const char *val;
  int id;
  while ((id = argp_next(&a, &val)) != -1) {
    switch (id) {
      case -2: return EXIT_USAGE;
      case 0:
        if (input_cfg_add_file(&in, "predict", val)) return EXIT_USAGE;
        break;
      case O_HELP: help(stdout); return EXIT_OK;
      case P_MODEL_FILE: model_file = val; break;
      case P_MODEL:
        if (!rouse_model_kind_from_name(val) || !strcmp(val, "gg"))
          return usage_error("predict", "invalid --model '%s': expected bgnbd, mbgnbd, pnbd or "
                                        "mbgcnbd", val);
        which = val;
        break;
      case P_AS_OF:
        if (parse_date_arg("predict", "as-of", val, &as_of)) return EXIT_USAGE;
        break;
      case P_HORIZON:
        horizon_days = parse_span(val);
        if (horizon_days < 0)
          return usage_error("predict", "invalid --horizon '%s': expected e.g. 180d, 26w, 6m, 1y",
                             val);
        break;
      case P_DISCOUNT: {
        char *end;
        discount = strtod(val, &end);
        if (end == val || *end || !(discount > -1) || !(discount < 100))
          return usage_error("predict", "invalid --discount '%s': expected a rate such as 0.1",
                             val);
        break;
      }
      case P_OUT: out = val; break;
      default:
        if (input_cfg_apply(&in, "predict", id, val)) return EXIT_USAGE;
    }
  }
  if (in.n_files == 0) return usage_error("predict", "no input file (use '-' for standard input)");
  if (!model_file) return usage_error("predict", "--model-file is required");

  /* model file */
  json_error_t jerr;
  json_t *root = json_load_file(model_file, 0, &jerr);
  if (!root) {
    if (jerr.line > 0) /* a syntax error; jansson gives no line (-1) when it cannot open */
      msg_error("cannot read model file '%s': %s (line %d)", model_file, jerr.text, jerr.line);
    else
      msg_error("cannot read model file '%s': %s", model_file, jerr.text);
    return EXIT_INPUT;
  }
  struct loaded pm, gg;
  int have_pm = 0, have_gg = 0, bad = 0;
  json_t *arr = json_object_get(root, "models");
  size_t nm = json_is_array(arr) ? json_array_size(arr) : 1;
  for (size_t i = 0; i < nm; i++) {
    json_t *o = json_is_array(arr) ? json_array_get(arr, i) : root;
    struct loaded l;
    if (load_one(o, &l)) {
      bad = 1;
      break;
    }
    if (l.m.kind == ROUSE_MODEL_GG) {
      if (!have_gg) gg = l, have_gg = 1;
    } else if (!have_pm && (!which || !strcmp(which, rouse_model_name(l.m.kind)))) {
      pm = l;
      have_pm = 1;
    }
  }
  json_decref(root);
  if (bad || !have_pm) {
    msg_error("model file '%s' has no usable %s model", model_file, which ? which : "purchase");
    return EXIT_INPUT;
  }
  int unit = pm.unit;
  if (as_of != INT32_MIN) in.io.window_end = as_of;

  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  int rc = read_inputs(&in, &ing, &rs);
  rouse_summary *s = NULL;
  double *x = NULL, *tx = NULL, *T = NULL, *pa = NULL, *ex = NULL, *p0 = NULL, *sp = NULL,
         *clv = NULL, *mr = NULL;
  if (rc != EXIT_OK) {
    if (ing) report_ingest(&in, ing, rs, as_of);
    goto done;
  }
  {
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    so.as_of = as_of;
    so.unit_days = unit;
    int st = rouse_summary_build(ing, &so, in.n_threads, &s);
    report_ingest(&in, ing, rs, s ? s->as_of : as_of);
    if (st) {
      msg_error(st == ROUSE_EMPTY ? "no customer has a purchase before the as-of date"
                                  : "cannot build the summary: %s",
                rouse_strerror(st));
      rc = EXIT_INPUT;
      goto done;
    }
    size_t n = s->n;
    x = calloc(n, sizeof *x), tx = calloc(n, sizeof *tx), T = calloc(n, sizeof *T);
    pa = calloc(n, sizeof *pa), ex = calloc(n, sizeof *ex), p0 = calloc(n, sizeof *p0);
    sp = calloc(n, sizeof *sp), clv = calloc(n, sizeof *clv), mr = calloc(n, sizeof *mr);
    if (!x || !tx || !T || !pa || !ex || !p0 || !sp || !clv || !mr) {
      msg_error("out of memory");
      rc = EXIT_INPUT;
      goto done;
    }
    for (size_t i = 0; i < n; i++) {
      x[i] = s->x[i];
      tx[i] = s->t_x[i];
      T[i] = s->T[i];
      mr[i] = s->mean_repeat[i];
    }
    double t = horizon_days / unit;
    st = rouse_model_predict(&pm.m, x, tx, T, n, t, in.n_threads, pa, ex, p0);
    int with_value = have_gg && s->has_amount;
    if (!st && with_value) {
      st = rouse_model_expected_spend(&gg.m, x, mr, n, sp);
      int steps = (int)lround(horizon_days / (365.25 / 12));
      if (steps < 1) steps = 1;
      if (steps > 16) steps = 16;
      double rate_u = expm1(log1p(discount) * unit / 365.25);
      if (!st) st = rouse_model_clv(&pm.m, x, tx, T, sp, n, t, steps, rate_u, in.n_threads, clv);
    }
    if (st) {
      msg_error("cannot compute predictions: %s", rouse_strerror(st));
      rc = EXIT_INPUT;
      goto done;
    }
    /* formatted in parallel by the library; the file is created at the first write */
    struct out_sink sink = {out, NULL, false};
    st = rouse_predict_write_csv(s, pa, ex, p0, with_value ? sp : NULL,
                                 with_value ? clv : NULL, out_sink_write, &sink, in.n_threads);
    int wrc = sink.f ? close_output(sink.f, out) : EXIT_OK;
    if (sink.failed) {
      rc = EXIT_INPUT; /* open_output said why */
    } else if (st == ROUSE_IO || wrc) {
      if (!wrc) msg_error("cannot write '%s'", out && strcmp(out, "-") ? out : "standard output");
      rc = EXIT_INPUT;
    } else if (st) {
      msg_error("cannot write predictions: %s", rouse_strerror(st));
      rc = EXIT_INPUT;
    }
  }
done:
  free(x), free(tx), free(T), free(pa), free(ex), free(p0), free(sp), free(clv), free(mr);
  rouse_summary_free(s);
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  return rc;
}
