/* SPDX-License-Identifier: MIT
 * What `rouse score`, `rouse backtest` and `rouse run` share: the scoring options (one
 * table for parsing and --help), the configuration file (docs/scoring.md, "Configuration")
 * and the list options. Options given on the command line override the file. */
#ifndef ROUSE_SCORE_CLI_H
#define ROUSE_SCORE_CLI_H

#include "cli.h"
#include "rouse/rouse_score.h"

enum {
  S_AS_OF = 200, S_HORIZON, S_MODEL, S_CONFIG, S_DORMANT, S_LANG, S_BOM, S_SEED, S_OUT,
  S_MASTER
};
#define SCORE_OPTS_MAX 16 /* at least the entries of score_opts */
extern const struct opt score_opts[];
extern const size_t n_score_opts;
/* score_opts without the options whose ids are in `skip` (`n_skip` of them; for the help of a
 * command that refuses them), into out[n_score_opts]; returns how many were copied */
size_t score_opts_for_help(const int *skip, size_t n_skip, struct opt *out);

/* list options (rouse run) */
struct list_cfg {
  long long top;        /* 0: no count limit */
  double budget;        /* yen; 0: none */
  double cost;          /* per contact: 100 (1 in another currency than JPY) */
  int cost_set;         /* cost given by --cost or the config file */
  double holdout;       /* share 0..0.9 */
  double min_react;     /* win-back: leave out P(purchase) below this: 0.05 */
  double margin;        /* gross margin share (0..1]: leave out value x margin < cost; 0: off */
  unsigned long long seed;
};

struct score_cfg {
  rouse_score_opts so;
  struct list_cfg lists;
  const char *lang;     /* "ja" (default) or "en" */
  const char *currency; /* of the data's amounts: "JPY" (default), "USD", "EUR", "GBP" */
  char currency_buf[4]; /* currency from the config file */
  int excel_bom;
  const char *out;
  const char *config_path;
  const char *master_path;      /* --master / "master": the customer master (NULL: none) */
  struct rouse_master *master;  /* read by score_run; freed by score_cfg_free */
  char master_buf[4096];        /* master_path from the config file */
};

void score_cfg_init(struct score_cfg *c);
void score_cfg_free(struct score_cfg *c);
/* Looks for --config in argv and loads the file first (so options override it). Returns 0
 * or EXIT_USAGE / EXIT_INPUT after printing the error. */
int score_cfg_preload(struct score_cfg *c, const char *cmd, int argc, char **argv);
/* Handles a score option id; returns 0, or EXIT_USAGE after printing the error. */
int score_cfg_apply(struct score_cfg *c, const char *cmd, int id, const char *val);

/* Parses score, input and (ids >= 300) command options; positional arguments are input
 * files. Returns 0, -1 after printing --help, or EXIT_USAGE after printing the error. */
typedef int (*extra_fn)(void *ctx, int id, const char *val);
int score_parse(const char *cmd, int argc, char **argv, const struct opt *extra_tab,
                size_t n_extra, extra_fn extra, void *ectx, struct input_cfg *in,
                struct score_cfg *c, void (*help)(FILE *));
/* the as-of date a command works at: the given one, or the day after the last row */
int32_t resolve_as_of(const rouse_ingest *ing, int32_t as_of);
/* with ROUSE_TIMING set in the environment: "prog:  N.NNN s  (cpu N.NNN s)  what" on stderr, the time since
 * the previous mark (profiling the stages outside the library) */
void timing_mark(const char *what);
/* Runs the scoring pipeline with progress messages; EXIT_OK or EXIT_INPUT. With a customer
 * master (--master), reads it first, reports it on stderr (its rejects on stderr, or to the
 * reject file's sibling with --reject: docs/input.md) and passes its withdrawn ids on. */
int score_run(struct score_cfg *c, const struct input_cfg *in, const rouse_ingest *ing,
              rouse_scores **out);
/* one line per fitted model and the choice, on stderr */
void score_report(const struct input_cfg *in, const rouse_scores *s);
/* the evaluation table (backtest / validation) as text */
void print_eval_table(FILE *f, const rouse_score_eval *rows, int n);

#endif
