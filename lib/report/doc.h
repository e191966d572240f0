/* SPDX-License-Identifier: MIT
 * The report as a document: a list of blocks (headings, paragraphs, tables, charts) built once
 * and rendered twice, to self-contained HTML (html.c) and to an A4 PDF (pdf.c), so that both
 * say exactly the same. Every string and array of a document lives in its arena and is freed
 * with it.
 *
 * Internal to the report library (lib/report); not installed. */
#ifndef ROUSE_REPORT_DOC_H
#define ROUSE_REPORT_DOC_H

#include <stddef.h>

#include "charts.h"

/* the text width of the page, in points (A4 with 50 pt margins); charts are drawn at this width
 * (or RPT_HALF_WIDTH side by side) in both renderings */
#define RPT_TEXT_WIDTH 495.0
#define RPT_HALF_GAP 15.0
#define RPT_HALF_WIDTH ((RPT_TEXT_WIDTH - RPT_HALF_GAP) / 2)

enum rpt_block_kind {
  RPT_B_TITLE,   /* text: the title; sub: the subtitle line */
  RPT_B_SECTION, /* text: heading; id: anchor ("s1" ...) */
  RPT_B_SUB,     /* text: a smaller heading inside a section */
  RPT_B_PARA,    /* text: a paragraph */
  RPT_B_BULLETS, /* cells: n_rows items */
  RPT_B_TABLE,   /* cells: n_rows × n_cols, the first row the header; align per column */
  RPT_B_CHART,   /* a chart: chart_kind and chart / heat; caption; height in points */
  RPT_B_NOTE     /* text: small grey text (sources, caveats) */
};

enum rpt_chart_kind { RPT_CH_BARS, RPT_CH_HBARS, RPT_CH_LINES, RPT_CH_HEAT };

typedef struct rpt_block {
  int kind;
  const char *text, *sub, *id;
  size_t n_rows, n_cols;
  const char **cells;      /* row-major */
  const char *align;       /* n_cols chars: 'l' or 'r' */
  int chart_kind;
  rpt_chart chart;
  rpt_heat heat;
  const char *caption;
  double height;           /* chart height in points at the full text width */
  int half;                /* chart: half width; two consecutive half charts sit side by side */
} rpt_block;

typedef struct rpt_doc {
  const char *lang;        /* "ja" or "en" */
  const char *title;
  const char *font;        /* font family for text and charts */
  const char *footer;      /* PDF page footer (left), e.g. the title and the as-of date */
  const char *pdf_date;    /* PDF creation date ("YYYY-MM-DD"): the as-of date, never the clock */
  rpt_block *b;
  size_t n, cap;
  struct rpt_arena *arena;
  int oom;
} rpt_doc;

rpt_doc *rpt_doc_new(const char *lang);
void rpt_doc_free(rpt_doc *d);
/* arena memory (zeroed) and strings; on out of memory these return NULL and set d->oom, and the
 * builders below become no-ops, so a builder checks once at the end (rpt_doc_failed) */
void *rpt_alloc(rpt_doc *d, size_t size);
const char *rpt_strdup(rpt_doc *d, const char *s);
const char *rpt_printf(rpt_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
double *rpt_doubles(rpt_doc *d, size_t n);
const char **rpt_strings(rpt_doc *d, size_t n);
int rpt_doc_failed(const rpt_doc *d);

/* appends a zeroed block of the kind (NULL on out of memory) */
rpt_block *rpt_add(rpt_doc *d, int kind);
void rpt_add_text(rpt_doc *d, int kind, const char *text);
/* a table of rows × cols cells (filled by the caller), first row the header */
rpt_block *rpt_add_table(rpt_doc *d, size_t rows, size_t cols, const char *align);

/* rendering */
/* rpt_doc_html() : the whole document as one self-contained HTML page (inline CSS and SVG).
 * *out is malloc'd (free()), *len its length. @return 0, or -1 on out of memory. */
int rpt_doc_html(const rpt_doc *d, char **out, size_t *len);
/* rpt_doc_pdf() : the document as an A4 PDF at path. @return 0, or -1 with a message in err. */
int rpt_doc_pdf(const rpt_doc *d, const char *path, char *err, size_t errlen);

/* draws a chart block on a canvas of its size */
void rpt_draw_block_chart(rpt_canvas *c, const rpt_block *b);

#endif
