/* SPDX-License-Identifier: MIT
 * The commands of the rouse program: int cmd_<name>(int argc, char **argv). argv[0] is the
 * command name. */
#ifndef ROUSE_CMDS_H
#define ROUSE_CMDS_H
int cmd_summary(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* the report of a results.json tree into dir (cmd_report.c); EXIT_OK or EXIT_INPUT */
typedef struct json_t json_t;
int write_report(const json_t *root, const char *dir, const char *lang, int pdf, int quiet);
#endif
