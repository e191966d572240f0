/* SPDX-License-Identifier: MIT
 * The rouse program's shared pieces: option tables (one source for parsing and --help),
 * the input options every transaction-reading command takes, messages, exit codes, and
 * CSV output helpers. Commands live in cmd_<name>.c. */
#ifndef ROUSE_CLI_H
#define ROUSE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rouse/rouse.h"

/* exit codes (docs/cli.md) */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* One option. `arg` names the value ("DATE"), NULL for a flag. */
struct opt {
  const char *name;  /* long name without dashes */
  char short_name;   /* 0 if none */
  const char *arg;   /* value placeholder or NULL */
  const char *help;  /* one line; "\n" continues on the next line */
  int id;
};

/* Input options shared by commands that read transactions (ids < 100). */
enum {
  O_MAP = 1, O_ENCODING, O_DELIMITER, O_DATE_FORMAT, O_REJECT, O_MAX_ERRORS, O_THREADS,
  O_QUIET, O_HELP
};
extern const struct opt input_opts[];
extern const size_t n_input_opts;

struct input_cfg {
  rouse_ingest_opts io;
  const char *reject_path;
  bool quiet;
  int n_threads;
  const char *files[256];
  int n_files;
};

/* Parser: iterate over argv with a list of option tables. Returns the option id, 0 for a
 * positional (in *val), -1 at the end, or -2 after printing a usage error. */
struct argp {
  int argc;
  char **argv;
  int i;
  bool no_more_opts;
  const struct opt *const *tables;
  const size_t *sizes;
  int ntables;
  const char *cmd;
};
int argp_next(struct argp *a, const char **val);

void print_help(FILE *f, const char *usage, const char *intro, const struct opt *const *tables,
                const size_t *sizes, const char *const *titles, int ntables, const char *outro);

/* messages */
extern const char *prog;
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(bool quiet, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* input options */
void input_cfg_init(struct input_cfg *c);
/* adds a positional FILE argument; returns 0, or EXIT_USAGE after printing the error */
int input_cfg_add_file(struct input_cfg *c, const char *cmd, const char *path);
/* handles an input option id; returns 0, or EXIT_USAGE after printing the error */
int input_cfg_apply(struct input_cfg *c, const char *cmd, int id, const char *val);
/* 180d, 26w, 6m, 1y, or a plain number of days; returns days or -1 */
double parse_span(const char *s);
int parse_date_arg(const char *cmd, const char *opt, const char *val, int32_t *out);
int parse_int_arg(const char *cmd, const char *opt, const char *val, long long lo, long long hi,
                  long long *out);

/* Read all inputs into a new ingest handle; prints detected formats, progress and errors.
 * Returns EXIT_OK or EXIT_INPUT; *out is set either way (free with rouse_ingest_free). */
struct reject_sink;
int read_inputs(struct input_cfg *c, rouse_ingest **out, struct reject_sink **rejects);
/* closing report on stderr (rows, rejects, customers, dates) */
void report_ingest(const struct input_cfg *c, const rouse_ingest *ing, struct reject_sink *rs,
                   int32_t as_of);
void reject_sink_close(struct reject_sink *rs);
/* One rejected row: a CSV line (file,line,column,reason,detail,text; invalid UTF-8 replaced
 * with U+FFFD) into f, or without a file the first 10 on stderr (unless quiet). */
void reject_emit(FILE *f, int *shown, bool quiet, const rouse_diag *d, const char *reason);
/* A reject file: opened for writing with its header line, or NULL after the error message. */
FILE *reject_file_open(const char *path);
/* "prog:   rejected: reason N, ..." from the counts per reason, then where the rows went: the
 * file (written_to), or how many of the n were shown on stderr. */
void report_rejects(const uint64_t *by, int n_reasons, const char *(*name)(int),
                    const char *written_to, uint64_t n, int shown);

/* output: a FILE* that is stdout for "-" or NULL path */
FILE *open_output(const char *path);
int close_output(FILE *f, const char *path);
/* s (UTF-8) cut at a whole character to at most `width` terminal columns (Japanese
 * characters take two) and padded with spaces to exactly `width`, into buf; returns buf */
const char *fit_columns(const char *s, int width, char *buf, size_t cap);

/* A rouse_write_fn sink for an output path ("-" or NULL: stdout). The file is created at
 * the first write, so a run that fails before writing leaves no empty file behind. */
struct out_sink {
  const char *path;
  FILE *f;
  bool failed; /* could not be opened (open_output said why) */
};
int out_sink_write(void *ctx, const void *data, size_t len);


#endif
