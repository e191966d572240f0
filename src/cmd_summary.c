/* SPDX-License-Identifier: MIT
 * `rouse summary`: one row per customer (first/last purchase, counts, x, t_x, T, spend,
 * intervals, returns, cancellations) from one or more transaction exports.
 * Columns are defined in docs/summary.md. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"

enum { S_AS_OF = 100, S_UNIT, S_OUT };

static const struct opt summary_opts[] = {
    {"as-of", 0, "DATE",
     "the analysis date: rows before it are used (default: the day\nafter the last row)",
     S_AS_OF},
    {"unit", 0, "UNIT", "day (default) or week: unit of t_x, T and mean_interval", S_UNIT},
    {"output", 'o', "FILE", "write the CSV here (default: standard output)", S_OUT},
};

static void help(FILE *f) {
  const struct opt *tables[] = {summary_opts, input_opts};
  const size_t sizes[] = {sizeof summary_opts / sizeof summary_opts[0], n_input_opts};
  const char *titles[] = {"Options", "Input options"};
  print_help(f, "rouse summary FILE... [--as-of DATE] [--unit day|week] [-o OUT]",
             "Write one row per customer: first_purchase, last_purchase, orders, purchase_days,\n"
             "x (repeat purchase days), t_x and T (from the first purchase, in the unit),\n"
             "total_amount, mean_repeat_amount, mean_interval, interval_cv, returned_amount,\n"
             "cancelled_orders. FILE may be '-' for standard input; several files are read as\n"
             "one history. Columns are explained in docs/summary.md.",
             tables, sizes, titles, 2,
             "Exit status: 0 success, 1 input errors (unreadable input, more rejected rows than\n"
             "--max-errors), 2 usage error.");
}

int cmd_summary(int argc, char **argv) {
  struct input_cfg in;
  input_cfg_init(&in);
  const char *out = NULL;
  int32_t as_of = INT32_MIN;
  int unit = 1;
  const struct opt *tables[] = {summary_opts, input_opts};
  const size_t sizes[] = {sizeof summary_opts / sizeof summary_opts[0], n_input_opts};
  struct argp a = {argc, argv, 1, false, tables, sizes, 2, "summary"};
  const char *val;
  int id;
  while ((id = argp_next(&a, &val)) != -1) {
    switch (id) {
      case -2: return EXIT_USAGE;
      case 0:
        if (input_cfg_add_file(&in, "summary", val)) return EXIT_USAGE;
        break;
      case O_HELP: help(stdout); return EXIT_OK;
      case S_AS_OF:
        if (parse_date_arg("summary", "as-of", val, &as_of)) return EXIT_USAGE;
        break;
      case S_UNIT:
        if (!strcmp(val, "day") || !strcmp(val, "days")) unit = 1;
        else if (!strcmp(val, "week") || !strcmp(val, "weeks")) unit = 7;
        else return usage_error("summary", "invalid --unit '%s': expected day or week", val);
        break;
      case S_OUT: out = val; break;
      default:
        if (input_cfg_apply(&in, "summary", id, val)) return EXIT_USAGE;
    }
  }
  if (in.n_files == 0) return usage_error("summary", "no input file (use '-' for standard input)");
  if (as_of != INT32_MIN) in.io.window_end = as_of;

  rouse_ingest *ing = NULL;
  struct reject_sink *rs = NULL;
  int rc = read_inputs(&in, &ing, &rs);
  if (rc == EXIT_OK) {
    rouse_summary_opts so;
    rouse_summary_opts_init(&so);
    so.as_of = as_of;
    so.unit_days = unit;
    rouse_summary_info info = {.struct_size = sizeof info, .as_of = as_of};
    struct out_sink sink = {out, NULL, false};
    /* streamed: rows are computed and written a block at a time, never all held */
    int st = rouse_summary_stream_csv(ing, &so, in.n_threads, out_sink_write, &sink, &info);
    int wrc = sink.f ? close_output(sink.f, out) : EXIT_OK;
    rouse_ingest_stats stats;
    rouse_ingest_get_stats(ing, &stats);
    report_ingest(&in, ing, rs, info.as_of);
    if (st == ROUSE_EMPTY && stats.rows_read && stats.rows_rejected == stats.rows_read) {
      msg_error("all %llu rows were rejected: nothing to summarise",
                (unsigned long long)stats.rows_read);
      rc = EXIT_INPUT;
    } else if (st == ROUSE_EMPTY) {
      msg_error("no customer has a purchase before the as-of date: nothing to summarise");
      rc = EXIT_INPUT;
    } else if (sink.failed) {
      rc = EXIT_INPUT; /* open_output said why */
    } else if (st == ROUSE_IO || wrc) {
      if (!wrc) msg_error("cannot write '%s'", out && strcmp(out, "-") ? out : "standard output");
      rc = EXIT_INPUT;
    } else if (st) {
      msg_error("cannot build the summary: %s", rouse_strerror(st));
      rc = EXIT_INPUT;
    } else if (info.customers_without_purchase) {
      msg_info(in.quiet,
               "%s:   %llu customers only have returns or cancellations: not in the summary",
               prog, (unsigned long long)info.customers_without_purchase);
    }
  } else if (ing) {
    rouse_ingest_stats st;
    rouse_ingest_get_stats(ing, &st);
    if (st.rows_read) report_ingest(&in, ing, rs, as_of); /* what was read before the error */
  }
  rouse_ingest_free(ing);
  reject_sink_close(rs);
  return rc;
}
