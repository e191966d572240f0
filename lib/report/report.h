/* SPDX-License-Identifier: MIT
 * The analysis report from results.json (docs/results.md): builds the document once, in
 * Japanese or English, and writes it as self-contained HTML and as an A4 PDF. docs/report.md.
 *
 * Internal to the program (the report library is linked into `rouse`); not installed. */
#ifndef ROUSE_REPORT_H
#define ROUSE_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "doc.h"

/* rpt_report_build() : the report document of a results.json tree in lang ("ja" or "en"),
 * version: the program's version for the title page. Missing keys show as "–" (a results.json
 * from another version still gives a report); a root that is not a rouse results object is an
 * error. @return the document, or NULL with a message in err. */
rpt_doc *rpt_report_build(const json_t *results, const char *lang, const char *version,
                          char *err, size_t errlen);

/* rpt_report_write() : builds the report and writes dir/report.html and, with want_pdf,
 * dir/report.pdf. @return 0, or -1 with a message in err. */
int rpt_report_write(const json_t *results, const char *dir, const char *lang,
                     const char *version, int want_pdf, char *err, size_t errlen);

#endif
