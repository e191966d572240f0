/* SPDX-License-Identifier: MIT
 * `rouse report DIR`: the analysis report (report.html, report.pdf) from the results.json that
 * `rouse run` wrote into DIR, in Japanese or English, without running the models again. The
 * content is lib/report/report.c; docs/report.md. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "report.h"
#include "rouse/rouse_version.h"

enum { RP_LANG = 100, RP_NO_PDF };

static const struct opt report_opts[] = {
    {"lang", 0, "LANG", "language of the report: ja (default) or en", RP_LANG},
    {"no-pdf", 0, NULL, "write report.html only", RP_NO_PDF},
    {"quiet", 'q', NULL, "print nothing but errors", O_QUIET},
    {"help", 'h', NULL, "show this help", O_HELP},
};

static void help(FILE *f) {
  const struct opt *tables[] = {report_opts};
  const size_t sizes[] = {sizeof report_opts / sizeof report_opts[0]};
  const char *titles[] = {"Options"};
  print_help(f, "rouse report DIR [--lang ja|en] [--no-pdf]",
             "Write the analysis report into DIR from DIR/results.json (written by 'rouse run'):\n"
             "  report.html  self-contained (inline CSS and SVG charts), printable\n"
             "  report.pdf   A4, Japanese fonts embedded (Noto Sans CJK JP)\n"
             "Ten sections, each chart with a plain-language reading: data overview, churn\n"
             "definition, lifecycle, cohort retention, at-risk customers, dormant customers,\n"
             "RFM comparison, model quality, recommended actions, method notes.",
             tables, sizes, titles, 1, "Exit status: 0 success, 1 input errors, 2 usage error.");
}

/* writes the report of root into dir; shared with `rouse run` */
int write_report(const json_t *root, const char *dir, const char *lang, int pdf, int quiet) {
  char err[512];
  if (pdf && !rpt_font_installed("Noto Sans CJK JP"))
    fprintf(stderr, "%s: warning: the font 'Noto Sans CJK JP' is not installed (Debian package "
            "fonts-noto-cjk): the PDF is drawn with a fallback font that may lack Japanese\n",
            prog);
  if (rpt_report_write(root, dir, lang, ROUSE_VERSION_STRING, pdf, err, sizeof err)) {
    msg_error("%s", err);
    return EXIT_INPUT;
  }
  msg_info(quiet, "report written: %s/report.html%s%s%s", dir, pdf ? ", " : "", pdf ? dir : "",
           pdf ? "/report.pdf" : "");
  return EXIT_OK;
}

int cmd_report(int argc, char **argv) {
  const struct opt *tables[] = {report_opts};
  const size_t sizes[] = {sizeof report_opts / sizeof report_opts[0]};
  struct argp a = {argc, argv, 1, false, tables, sizes, 1, "report"};
  const char *val, *dir = NULL, *lang = "ja";
  int id, pdf = 1, quiet = 0;
  while ((id = argp_next(&a, &val)) != -1) {
    switch (id) {
      case -2: return EXIT_USAGE;
      case 0:
        if (dir) return usage_error("report", "one folder only (got '%s' and '%s')", dir, val);
        dir = val;
        break;
      case O_HELP: help(stdout); return EXIT_OK;
      case O_QUIET: quiet = 1; break;
      case RP_NO_PDF: pdf = 0; break;
      case RP_LANG:
        if (strcmp(val, "ja") && strcmp(val, "en"))
          return usage_error("report", "invalid --lang '%s': expected ja or en", val);
        lang = val;
        break;
      default: return EXIT_USAGE;
    }
  }
  if (!dir) return usage_error("report", "no folder: give the --out DIR of 'rouse run'");
  char path[4096];
  snprintf(path, sizeof path, "%s/results.json", dir);
  json_error_t jerr;
  json_t *root = json_load_file(path, 0, &jerr);
  if (!root) {
    if (jerr.line > 0)
      msg_error("cannot read '%s': %s (line %d, column %d)", path, jerr.text, jerr.line,
                jerr.column);
    else
      msg_error("cannot read '%s': %s (run 'rouse run FILE... --out %s' first)", path,
                jerr.text, dir);
    return EXIT_INPUT;
  }
  int rc = write_report(root, dir, lang, pdf, quiet);
  json_decref(root);
  return rc;
}
