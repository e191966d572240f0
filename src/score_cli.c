/* SPDX-License-Identifier: MIT
 * Scoring options, the JSON configuration file and the reports shared by `rouse score`,
 * `rouse backtest` and `rouse run`. The file format is documented in docs/scoring.md
 * ("Configuration"); unknown keys are errors, so that a typo is never silently ignored. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rouse/rouse_master.h"
#include "report.h"
#include "score_cli.h"

const struct opt score_opts[] = {
    {"as-of", 0, "DATE", "the analysis date: rows before it are used (default: the day\nafter the "
                         "last row)", S_AS_OF},
    {"horizon", 0, "SPAN", "forecast horizon: 180d (default), 26w, 6m or 1y", S_HORIZON},
    {"model", 'm', "MODEL", "auto (default: chosen by time-split validation), gbm,\nbgnbd, mbgnbd, "
                            "pnbd or mbgcnbd", S_MODEL},
    {"config", 'c', "FILE", "thresholds and defaults from a JSON file (docs/scoring.md);\n"
                            "options given here override it", S_CONFIG},
    {"dormant-days", 0, "N", "shop dormancy threshold in days (default: from the\nrepeat-interval "
                             "distribution, 90th percentile in months)", S_DORMANT},
    {"lang", 0, "LANG", "ja (default) or en: language of the reasons", S_LANG},
    {"excel-bom", 0, NULL, "start CSV outputs with a UTF-8 BOM (for Excel)", S_BOM},
    {"seed", 0, "N", "seed of the training sample, trees and holdout draw", S_SEED},
    {"output", 'o', "FILE", "write the CSV here (default: standard output)", S_OUT},
    {"master", 0, "FILE", "customer master CSV: customers it marks withdrawn or\nunsubscribed "
                          "(退会, 配信停止) are lost (docs/input.md)", S_MASTER},
};
const size_t n_score_opts = sizeof score_opts / sizeof score_opts[0];
_Static_assert(sizeof score_opts / sizeof score_opts[0] <= SCORE_OPTS_MAX, "SCORE_OPTS_MAX");

size_t score_opts_for_help(const int *skip, size_t n_skip, struct opt *out) {
  size_t n = 0;
  for (size_t i = 0; i < n_score_opts; i++) {
    bool keep = true;
    for (size_t k = 0; k < n_skip; k++) keep = keep && score_opts[i].id != skip[k];
    if (keep) out[n++] = score_opts[i];
  }
  return n;
}

void score_cfg_init(struct score_cfg *c) {
  memset(c, 0, sizeof *c);
  rouse_score_opts_init(&c->so);
  c->lists.cost = 100;
  c->lists.min_react = 0.05;
  c->lists.seed = 1;
  c->lang = "ja";
  c->currency = "JPY";
}

void score_cfg_free(struct score_cfg *c) {
  rouse_master_free(c->master);
  c->master = NULL;
}

static int cfg_error(const char *path, const char *key, const char *what) {
  msg_error("%s: key '%s': %s", path, key, what);
  return EXIT_INPUT;
}

/* number in [lo, hi] */
static int cfg_num(const char *path, const char *key, json_t *v, double lo, double hi,
                   double *out) {
  if (!json_is_number(v)) return cfg_error(path, key, "expected a number");
  double d = json_number_value(v);
  if (!(d >= lo && d <= hi)) {
    char m[96];
    snprintf(m, sizeof m, "%.15g is out of range (expected %.15g .. %.15g)", d, lo, hi);
    return cfg_error(path, key, m);
  }
  *out = d;
  return 0;
}

static int cfg_tiers(const char *path, const char *key, json_t *v, double *hi, double *med) {
  if (!json_is_object(v)) return cfg_error(path, key, "expected {\"high\": N, \"medium\": N}");
  const char *k;
  json_t *x;
  json_object_foreach(v, k, x) {
    double d;
    char full[128]; /* "tiers.high": which of the nested keys */
    snprintf(full, sizeof full, "%s.%s", key, k);
    if (!strcmp(k, "high") || !strcmp(k, "medium")) {
      if (cfg_num(path, full, x, 0, 100, &d)) return EXIT_INPUT;
      *(k[0] == 'h' ? hi : med) = d;
    } else {
      return cfg_error(path, full, "unknown key (expected high, medium)");
    }
  }
  if (*med > *hi) return cfg_error(path, key, "medium must not be above high");
  return 0;
}

static int cfg_lists(struct score_cfg *c, const char *path, json_t *v) {
  if (!json_is_object(v)) return cfg_error(path, "lists", "expected an object");
  const char *k;
  json_t *x;
  json_object_foreach(v, k, x) {
    double d = 0;
    int e = 0;
    char full[128]; /* "lists.budget" */
    snprintf(full, sizeof full, "lists.%s", k);
    if (!strcmp(k, "cost_per_contact"))
      e = cfg_num(path, full, x, 0, 1e9, &c->lists.cost), c->lists.cost_set = !e;
    else if (!strcmp(k, "budget")) e = cfg_num(path, full, x, 0, 1e15, &c->lists.budget);
    else if (!strcmp(k, "top")) e = cfg_num(path, full, x, 0, 1e12, &d), c->lists.top = (long long)d;
    else if (!strcmp(k, "holdout_percent"))
      e = cfg_num(path, full, x, 0, 90, &d), c->lists.holdout = d / 100;
    else if (!strcmp(k, "min_reactivation"))
      e = cfg_num(path, full, x, 0, 1, &c->lists.min_react);
    else if (!strcmp(k, "margin_percent"))
      e = cfg_num(path, full, x, 0, 100, &d), c->lists.margin = d / 100;
    else return cfg_error(path, full, "unknown key");
    if (e) return EXIT_INPUT;
  }
  return 0;
}

static int load_config(struct score_cfg *c, const char *path) {
  json_error_t je;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    if (je.line < 1) msg_error("cannot read config '%s': %s", path, je.text);
    else msg_error("%s:%d:%d: %s", path, je.line, je.column, je.text);
    return EXIT_INPUT;
  }
  int rc = 0;
  if (!json_is_object(root)) {
    msg_error("%s: expected a JSON object at the top", path);
    rc = EXIT_INPUT;
  }
  rouse_score_opts *so = &c->so;
  const char *k;
  json_t *v;
  json_object_foreach(root, k, v) {
    if (rc) break;
    double d;
    if (!strcmp(k, "horizon")) {
      double h = json_is_string(v) ? parse_span(json_string_value(v)) : -1;
      if (json_is_integer(v)) h = (double)json_integer_value(v);
      if (!(h >= 1 && h <= 3660)) rc = cfg_error(path, k, "expected e.g. \"180d\", \"6m\" or days");
      else so->horizon_days = (int32_t)lround(h);
    } else if (!strcmp(k, "model")) {
      int m = json_is_string(v) ? rouse_score_model_from_name(json_string_value(v)) : -1;
      if (m < 0) rc = cfg_error(path, k, "expected auto, gbm, bgnbd, mbgnbd, pnbd or mbgcnbd");
      else so->model = m;
    } else if (!strcmp(k, "lang")) {
      const char *l = json_string_value(v);
      if (!l || (strcmp(l, "ja") && strcmp(l, "en"))) rc = cfg_error(path, k, "expected ja or en");
      else c->lang = !strcmp(l, "ja") ? "ja" : "en";
    } else if (!strcmp(k, "currency")) {
      const char *cu = json_string_value(v);
      if (!cu || !rpt_currency_known(cu)) rc = cfg_error(path, k, "expected JPY, USD, EUR or GBP");
      else c->currency = memcpy(c->currency_buf, cu, 4); /* 3 letters and the NUL */
    } else if (!strcmp(k, "trend_days")) {
      if (!(rc = cfg_num(path, k, v, 7, 3660, &d))) so->trend_days = (int32_t)d;
    } else if (!strcmp(k, "fit_max_customers")) {
      if (!(rc = cfg_num(path, k, v, 0, 1e12, &d))) so->fit_max_customers = (size_t)d;
    } else if (!strcmp(k, "valid_max_customers")) {
      if (!(rc = cfg_num(path, k, v, 0, 1e12, &d))) so->valid_max_customers = (size_t)d;
    } else if (!strcmp(k, "dormant_days")) {
      if (!(rc = cfg_num(path, k, v, 0, 3660, &d))) so->life.dormant_days = (int32_t)d;
    } else if (!strcmp(k, "dormancy_by_category")) {
      if (!json_is_boolean(v)) rc = cfg_error(path, k, "expected true or false");
      else so->by_category = json_is_true(v);
    } else if (!strcmp(k, "category_min_dormant_days")) {
      if (json_is_string(v) && !strcmp(json_string_value(v), "shop"))
        so->category_min_days = ROUSE_CATEGORY_FLOOR_SHOP;
      else if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 3660)
        rc = cfg_error(path, k, "expected \"shop\" or days 0 .. 3660");
      else so->category_min_days = (int32_t)lround(json_number_value(v));
    } else if (!strcmp(k, "dormancy_percentile")) {
      if (!(rc = cfg_num(path, k, v, 0.5, 1, &d))) so->life.interval.percentile = d;
    } else if (!strcmp(k, "at_risk_factor")) {
      rc = cfg_num(path, k, v, 1, 100, &so->life.at_risk_factor);
    } else if (!strcmp(k, "at_risk_p_alive")) {
      rc = cfg_num(path, k, v, -1, 1, &so->life.at_risk_p_alive);
    } else if (!strcmp(k, "shop_at_risk_quantile")) {
      rc = cfg_num(path, k, v, 0.05, 1, &so->life.shop_at_risk_quantile);
    } else if (!strcmp(k, "lost_p_alive")) {
      rc = cfg_num(path, k, v, 0, 1, &so->life.lost_p_alive);
    } else if (!strcmp(k, "lost_factor")) {
      rc = cfg_num(path, k, v, 1, 100, &so->life.lost_factor);
    } else if (!strcmp(k, "one_time_dormant_days")) {
      if (!(rc = cfg_num(path, k, v, 1, 3660, &d))) so->dormancy.one_time_days = (int32_t)d;
    } else if (!strcmp(k, "repeat_dormant_days")) {
      if (!(rc = cfg_num(path, k, v, 1, 3660, &d))) so->dormancy.repeat_days = (int32_t)d;
    } else if (!strcmp(k, "top_share")) {
      rc = cfg_num(path, k, v, 0.01, 1, &so->dormancy.top_share);
    } else if (!strcmp(k, "tiers")) {
      rc = cfg_tiers(path, k, v, &so->tier_high, &so->tier_medium);
    } else if (!strcmp(k, "reactivation_tiers")) {
      rc = cfg_tiers(path, k, v, &so->react_high, &so->react_medium);
    } else if (!strcmp(k, "lists")) {
      rc = cfg_lists(c, path, v);
    } else if (!strcmp(k, "master")) {
      /* a relative path is relative to the folder of the config file */
      const char *m = json_string_value(v);
      if (!m || !*m) {
        rc = cfg_error(path, k, "expected the path of the customer master CSV");
      } else {
        const char *slash = strrchr(path, '/');
        int dl = m[0] == '/' || !slash ? 0 : (int)(slash - path) + 1;
        int k2 = snprintf(c->master_buf, sizeof c->master_buf, "%.*s%s", dl, path, m);
        if (k2 < 0 || (size_t)k2 >= sizeof c->master_buf)
          rc = cfg_error(path, k, "the path is too long");
        else
          c->master_path = c->master_buf;
      }
    } else if (!strcmp(k, "seed")) {
      if (!(rc = cfg_num(path, k, v, 0, 9007199254740991.0, &d)))
        so->seed = c->lists.seed = (uint64_t)d;
    } else {
      rc = cfg_error(path, k, "unknown key (docs/scoring.md lists the keys)");
    }
  }
  json_decref(root);
  return rc;
}

int score_cfg_preload(struct score_cfg *c, const char *cmd, int argc, char **argv) {
  const char *found = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *path = NULL;
    if (!strcmp(a, "--")) break;
    if (!strcmp(a, "--config") || !strcmp(a, "-c")) path = i + 1 < argc ? argv[++i] : NULL;
    else if (!strncmp(a, "--config=", 9)) path = a + 9;
    else if (a[0] == '-' && a[1] == 'c' && a[2]) path = a + 2; /* -cFILE */
    else continue;
    if (!path) return usage_error(cmd, "option '--config' needs a value (FILE)");
    if (found) return usage_error(cmd, "--config given twice ('%s' and '%s'): use one file", found, path);
    found = path;
  }
  if (!found) return 0;
  c->config_path = found;
  return load_config(c, found);
}

int score_cfg_apply(struct score_cfg *c, const char *cmd, int id, const char *val) {
  long long v;
  switch (id) {
    case S_AS_OF: return parse_date_arg(cmd, "as-of", val, &c->so.as_of);
    case S_HORIZON: {
      double h = parse_span(val);
      if (!(h >= 1 && h <= 3660))
        return usage_error(cmd, "invalid --horizon '%s': expected e.g. 180d, 26w, 6m, 1y", val);
      c->so.horizon_days = (int32_t)lround(h);
      return 0;
    }
    case S_MODEL: {
      int m = rouse_score_model_from_name(val);
      if (m < 0)
        return usage_error(cmd, "invalid --model '%s': expected auto, gbm, bgnbd, mbgnbd, pnbd "
                                "or mbgcnbd", val);
      c->so.model = m;
      return 0;
    }
    case S_CONFIG: return 0; /* loaded by score_cfg_preload */
    case S_DORMANT:
      if (parse_int_arg(cmd, "dormant-days", val, 1, 3660, &v)) return EXIT_USAGE;
      c->so.life.dormant_days = (int32_t)v;
      return 0;
    case S_LANG:
      if (strcmp(val, "ja") && strcmp(val, "en"))
        return usage_error(cmd, "invalid --lang '%s': expected ja or en", val);
      c->lang = !strcmp(val, "ja") ? "ja" : "en";
      return 0;
    case S_BOM: c->excel_bom = 1; return 0;
    case S_SEED:
      if (parse_int_arg(cmd, "seed", val, 0, 9007199254740991LL, &v)) return EXIT_USAGE;
      c->so.seed = c->lists.seed = (uint64_t)v;
      return 0;
    case S_OUT: c->out = val; return 0;
    case S_MASTER: c->master_path = val; return 0;
    default: return usage_error(cmd, "internal: unhandled option %d", id);
  }
}

int score_parse(const char *cmd, int argc, char **argv, const struct opt *extra_tab,
                 size_t n_extra, extra_fn extra, void *ectx, struct input_cfg *in,
                 struct score_cfg *c, void (*help)(FILE *)) {
  const struct opt *tables[] = {score_opts, input_opts, extra_tab};
  const size_t sizes[] = {n_score_opts, n_input_opts, n_extra};
  struct argp a = {argc, argv, 1, false, tables, sizes, extra_tab ? 3 : 2, cmd};
  const char *val;
  int id;
  while ((id = argp_next(&a, &val)) != -1) {
    if (id == -2) return EXIT_USAGE;
    if (id == 0) {
      if (input_cfg_add_file(in, cmd, val)) return EXIT_USAGE;
    } else if (id == O_HELP) {
      help(stdout);
      return -1;
    } else if (id >= 300) {
      if (extra(ectx, id, val)) return EXIT_USAGE;
    } else if (id >= 200) {
      if (score_cfg_apply(c, cmd, id, val)) return EXIT_USAGE;
    } else if (input_cfg_apply(in, cmd, id, val)) {
      return EXIT_USAGE;
    }
  }
  if (in->n_files == 0) return usage_error(cmd, "no input file (use '-' for standard input)");
  return 0;
}

int32_t resolve_as_of(const rouse_ingest *ing, int32_t as_of) {
  if (as_of != INT32_MIN) return as_of;
  rouse_ingest_stats st;
  rouse_ingest_get_stats(ing, &st);
  return st.last_day_in_window == INT32_MIN ? INT32_MIN : st.last_day_in_window + 1;
}

struct progress {
  bool show;   /* stage names on a terminal */
  bool timing; /* ROUSE_TIMING set: elapsed seconds per stage (profiling) */
  double t0, last, cpu; /* cpu: process CPU seconds at `last` */
  char prev[64]; /* the stage that is running ("" before the first) */
};

static double clock_s(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
static double mono(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static int on_stage(void *ctx, const char *name) {
  struct progress *p = ctx;
  double t = mono(), c = cpu_s();
  if (p->timing && p->prev[0])
    fprintf(stderr, "%s:   %6.3f s  (cpu %6.3f s)  %s\n", prog, t - p->last, c - p->cpu, p->prev);
  else if (p->show && name) fprintf(stderr, "\r\033[K%s: %s...", prog, name);
  p->last = t;
  p->cpu = c;
  snprintf(p->prev, sizeof p->prev, "%s", name ? name : "");
  return 0;
}

void timing_mark(const char *what) {
  static double last, last_cpu;
  if (!getenv("ROUSE_TIMING")) return;
  double t = mono(), c = cpu_s();
  if (last > 0 && what)
    fprintf(stderr, "%s:   %6.3f s  (cpu %6.3f s)  %s\n", prog, t - last, c - last_cpu, what);
  last = t;
  last_cpu = c;
}

/*=====================================================================
 * Customer master (--master, docs/input.md "Customer master")
 *====================================================================*/
/* Rejected master rows: the first 10 on stderr, or all of them in the reject file's sibling
 * (--reject R: R with ".csv" replaced by ".master.csv"), in the columns of the main reject
 * file. The main reject file cannot be shared: cli.c owns it and it is open meanwhile. */
struct master_rejects {
  FILE *f;
  char path[4096];
  int shown;
  bool quiet;
};

static void on_master_reject(void *ctx, const rouse_diag *d) {
  struct master_rejects *mr = ctx;
  reject_emit(mr->f, &mr->shown, mr->quiet, d, rouse_master_reject_name(d->reason));
}

/* the whole file into *out (malloc'd); stops after ROUSE_MASTER_MAX_BYTES + 1 bytes, which
 * the parser then refuses with a message */
static int read_whole(const char *path, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    msg_error("cannot read the customer master '%s': %s", path, strerror(errno));
    return EXIT_INPUT;
  }
  size_t cap = 0, n = 0;
  char *b = NULL;
  bool nomem = false;
  while (n <= ROUSE_MASTER_MAX_BYTES) {
    if (n == cap) {
      size_t nc = cap ? 2 * cap : 1u << 16;
      char *nb = realloc(b, nc);
      if (!nb) {
        nomem = true;
        break;
      }
      b = nb;
      cap = nc;
    }
    size_t k = fread(b + n, 1, cap - n, f);
    n += k;
    if (k == 0) break;
  }
  int bad = ferror(f);
  int e = errno;
  fclose(f);
  if (bad || nomem) {
    msg_error("cannot read the customer master '%s': %s", path,
              bad ? strerror(e) : "out of memory");
    free(b);
    return EXIT_INPUT;
  }
  *out = b;
  *len = n;
  return EXIT_OK;
}

static const char *master_enc(int e) {
  return e == ROUSE_ENCODING_CP932 ? "CP932 (Shift_JIS)" : "UTF-8";
}

static int load_master(struct score_cfg *c, const struct input_cfg *in) {
  const char *path = c->master_path;
  char *data;
  size_t len;
  if (read_whole(path, &data, &len)) return EXIT_INPUT;
  struct master_rejects mr = {NULL, "", 0, in->quiet};
  if (in->reject_path) {
    size_t rl = strlen(in->reject_path);
    if (rl > 4 && !strcmp(in->reject_path + rl - 4, ".csv")) rl -= 4;
    snprintf(mr.path, sizeof mr.path, "%.*s.master.csv", (int)rl, in->reject_path);
    if (!(mr.f = reject_file_open(mr.path))) {
      free(data);
      return EXIT_INPUT;
    }
  }
  rouse_master_opts mo;
  rouse_master_opts_init(&mo);
  mo.on_reject = on_master_reject;
  mo.reject_ctx = &mr;
  char err[600];
  rouse_master *m = NULL;
  int st = rouse_master_parse(path, data, len, &mo, &m, err, sizeof err);
  free(data);
  int rc = EXIT_OK;
  if (mr.f && fclose(mr.f) != 0) {
    msg_error("cannot write '%s': %s", mr.path, strerror(errno));
    rc = EXIT_INPUT;
  }
  if (st) {
    msg_error("%s", err[0] ? err : rouse_strerror(st));
    return EXIT_INPUT;
  }
  c->master = m;
  c->so.withdrawn_ids = m->withdrawn;
  c->so.n_withdrawn = m->n_withdrawn;
  c->so.withdrawn_days = m->withdrawn_day;
  if (in->quiet) return rc;
  fprintf(stderr, "%s: master %s: %s%s, %s; customer_id <- column %d '%s'; withdrawn <-", prog,
          path, master_enc(m->encoding), m->bom ? " with BOM" : "",
          m->delimiter == '\t'  ? "tab-separated"
          : m->delimiter == ';' ? "semicolon-separated"
                                : "comma-separated",
          m->id.column + 1, m->id.header);
  for (int k = 0; k < m->n_status; k++)
    fprintf(stderr, "%s column %d '%s' (%s)", k ? "," : "", m->status[k].column + 1,
            m->status[k].header,
            m->status[k].is_date ? "date" : m->status[k].is_flag ? "flag" : "status");
  fputc('\n', stderr);
  fprintf(stderr, "%s: master %s: rows read %llu = accepted %llu + rejected %llu; withdrawn %zu",
          prog, path, (unsigned long long)m->rows, (unsigned long long)m->accepted,
          (unsigned long long)m->rejected, m->n_withdrawn);
  if (m->n_dated) fprintf(stderr, " (%zu with a date)", m->n_dated);
  fputc('\n', stderr);
  if (m->rejected)
    report_rejects(m->rejected_by, ROUSE_MASTER_REJECT_COUNT, rouse_master_reject_name,
                   in->reject_path ? mr.path : NULL, m->rejected, mr.shown);
  return rc;
}

int score_run(struct score_cfg *c, const struct input_cfg *in, const rouse_ingest *ing,
              rouse_scores **out) {
  if (c->master_path && !c->master && load_master(c, in)) return EXIT_INPUT;
  c->so.n_threads = in->n_threads;
  struct progress pg = {!in->quiet && isatty(2), getenv("ROUSE_TIMING") != NULL, 0, 0, 0, ""};
  pg.t0 = pg.last = mono();
  c->so.progress = on_stage;
  c->so.progress_ctx = &pg;
  char err[256];
  msg_info(in->quiet, "%s: scoring (horizon %d days, model %s)...", prog,
           (int)c->so.horizon_days, rouse_score_model_name(c->so.model));
  int st = rouse_score_run(ing, &c->so, out, err, sizeof err);
  on_stage(&pg, NULL);
  timing_mark(NULL);
  if (pg.show && !pg.timing) fprintf(stderr, "\r\033[K");
  if (pg.timing) fprintf(stderr, "%s:   %6.3f s  scoring in all\n", prog, mono() - pg.t0);
  if (st == ROUSE_EMPTY) {
    msg_error("no customer has a purchase before the as-of date");
    return EXIT_INPUT;
  }
  if (st) {
    msg_error("cannot score: %s", err[0] ? err : rouse_strerror(st));
    return EXIT_INPUT;
  }
  if (c->master && !in->quiet) {
    size_t found = (*out)->life->rule_count[ROUSE_RULE_WITHDRAWN], later = 0;
    const rouse_master *m = c->master;
    for (size_t w = 0; w < m->n_withdrawn; w++)
      later += m->withdrawn_day[w] != INT32_MIN && m->withdrawn_day[w] >= (*out)->as_of;
    fprintf(stderr, "%s: master %s: %zu of the %zu withdrawn customers are in the data: state "
                    "lost\n",
            prog, c->master_path, found, m->n_withdrawn - later);
    if (later)
      fprintf(stderr, "%s: master %s: %zu withdrew on or after the as-of date: not counted\n",
              prog, c->master_path, later);
  }
  return EXIT_OK;
}

void score_report(const struct input_cfg *in, const rouse_scores *s) {
  if (in->quiet) return;
  char a[16], b[16];
  for (int f = 0; f < s->n_fit; f++)
    fprintf(stderr, "%s:   %-8s fitted at %s: LL %.1f%s\n", prog,
            rouse_model_name(s->fit[f].model.kind), rouse_date_format(s->as_of, a),
            s->fit[f].loglik, s->fit[f].converged ? "" : " (not converged)");
  if (s->train_rows)
    fprintf(stderr, "%s:   gbm      trained on %zu customers at %s, label: purchase in the next "
                    "%d days\n",
            prog, s->train_rows, rouse_date_format(s->train_as_of, a), (int)s->label_days);
  if (s->valid_as_of != INT32_MIN)
    fprintf(stderr, "%s:   validation: models fitted at %s judged on %s .. +%d days\n", prog,
            rouse_date_format(s->valid_as_of, a), rouse_date_format(s->train_as_of, b),
            (int)s->label_days);
  if (s->n_valid) {
    fprintf(stderr, "%s: time-split validation (P(purchase) in the %d days after %s):\n", prog,
            (int)s->label_days, rouse_date_format(s->train_as_of, a));
    print_eval_table(stderr, s->valid, s->n_valid);
  }
  fprintf(stderr, "%s: model %s: %s\n", prog, rouse_score_model_name(s->model), s->why);
}

void print_eval_table(FILE *f, const rouse_score_eval *rows, int n) {
  fprintf(f, "%-9s %8s %7s %7s %7s %7s %7s %12s %12s\n", "model", "AUC", "PR-AUC", "lift10",
          "Brier", "ECE", "logloss", "predicted", "actual");
  for (int i = 0; i < n; i++) {
    const rouse_score_eval *e = &rows[i];
    char c[9][104];
    for (int k = 0; k < 9; k++) snprintf(c[k], sizeof c[k], "-");
    snprintf(c[0], sizeof c[0], "%s", rouse_score_model_name(e->model));
    if (e->ok) {
      if (e->r.has_auc) snprintf(c[1], sizeof c[1], "%.4f", e->r.auc);
      if (e->r.has_ap) {
        snprintf(c[2], sizeof c[2], "%.4f", e->r.ap);
        snprintf(c[3], sizeof c[3], "%.3f", e->r.lift);
      }
      if (e->r.has_prob) {
        snprintf(c[4], sizeof c[4], "%.4f", e->r.brier);
        snprintf(c[5], sizeof c[5], "%.4f", e->r.ece);
        snprintf(c[6], sizeof c[6], "%.4f", e->r.log_loss);
      }
      if (isfinite(e->predicted)) {
        snprintf(c[7], sizeof c[7], "%.1f", e->predicted);
        snprintf(c[8], sizeof c[8], "%.0f", e->actual);
      }
    } else if (e->note[0]) {
      snprintf(c[1], sizeof c[1], "(%s)", e->note);
    }
    fprintf(f, "%-9s %8s %7s %7s %7s %7s %7s %12s %12s\n", c[0], c[1], c[2], c[3], c[4], c[5],
            c[6], c[7], c[8]);
  }
}
