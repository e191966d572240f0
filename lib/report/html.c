/* SPDX-License-Identifier: MIT
 * The document as one self-contained HTML page: inline CSS, charts as inline SVG, no script,
 * no external reference. Printable (A4 page rules; figures and tables are not split). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "doc.h"

static const char css[] =
    "@page{size:A4;margin:16mm 15mm}"
    "html{background:#f4f4f2}"
    "body{margin:0;font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Hiragino Sans\","
    "\"Yu Gothic\",Meiryo,sans-serif;color:#222;line-height:1.65;font-size:10.5pt}"
    "main{max-width:180mm;margin:0 auto;background:#fff;padding:14mm 15mm 20mm}"
    "header.title{border-bottom:3px solid #2F6DB5;margin-bottom:1.2em;padding-bottom:.6em}"
    "h1{font-size:20pt;margin:0 0 .2em;color:#1d3f6e}"
    "p.sub{margin:0;color:#555}"
    "nav.toc{background:#f3f6fa;border-radius:4px;padding:.6em 1.2em;margin:1em 0 1.5em;"
    "font-size:9.5pt}nav.toc ol{margin:.2em 0;padding-left:1.6em;columns:2}"
    "nav.toc a{color:#1d3f6e;text-decoration:none}"
    "section{margin-top:1.8em}"
    "h2{font-size:14pt;color:#1d3f6e;border-left:5px solid #2F6DB5;padding-left:.5em;"
    "margin:0 0 .6em;break-after:avoid}"
    "h3{font-size:11pt;margin:1.2em 0 .4em;color:#333;break-after:avoid}"
    "p{margin:.4em 0 .8em;text-align:justify}"
    "ul.bullets{margin:.3em 0 .9em;padding-left:1.4em}ul.bullets li{margin:.15em 0}"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:9pt;break-inside:avoid;"
    "font-variant-numeric:tabular-nums}"
    "th,td{padding:.25em .7em;border-bottom:1px solid #ddd;vertical-align:top}"
    "th{background:#eef2f8;border-bottom:2px solid #bcc8da;text-align:left;font-weight:600}"
    "td.r,th.r{text-align:right;white-space:nowrap}"
    "figure{margin:.6em 0 1.2em;break-inside:avoid}"
    "figure svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:8.5pt;color:#555;margin-top:.2em}"
    "div.pair{display:flex;gap:3%}div.pair figure{flex:1 1 48%;min-width:0}"
    "p.note{font-size:8.5pt;color:#666}"
    "footer{margin-top:2.5em;font-size:8pt;color:#888;border-top:1px solid #ddd;"
    "padding-top:.5em}"
    "@media print{html{background:#fff}main{max-width:none;padding:0}"
    "section{break-before:auto}}";

static void table(rpt_buf *o, const rpt_block *b) {
  rpt_buf_puts(o, "<table>");
  for (size_t r = 0; r < b->n_rows; r++) {
    rpt_buf_puts(o, r == 0 ? "<thead><tr>" : "<tr>");
    for (size_t c = 0; c < b->n_cols; c++) {
      int right = b->align && strlen(b->align) > c && b->align[c] == 'r';
      rpt_buf_puts(o, r == 0 ? (right ? "<th class=\"r\">" : "<th>") : (right ? "<td class=\"r\">" : "<td>"));
      rpt_buf_esc(o, b->cells[r * b->n_cols + c]);
      rpt_buf_puts(o, r == 0 ? "</th>" : "</td>");
    }
    rpt_buf_puts(o, r == 0 ? "</tr></thead><tbody>" : "</tr>");
  }
  rpt_buf_puts(o, "</tbody></table>\n");
}

static int chart(rpt_buf *o, const rpt_doc *d, const rpt_block *b) {
  double w = b->half ? RPT_HALF_WIDTH : RPT_TEXT_WIDTH;
  rpt_canvas *c = rpt_canvas_svg(w, b->height, d->font);
  if (!c) return -1;
  rpt_draw_block_chart(c, b);
  size_t len = 0;
  char *svg = rpt_canvas_svg_take(c, &len);
  if (!svg) return -1;
  rpt_buf_puts(o, "<figure>");
  rpt_buf_put(o, svg, len);
  free(svg);
  if (b->caption) {
    rpt_buf_puts(o, "<figcaption>");
    rpt_buf_esc(o, b->caption);
    rpt_buf_puts(o, "</figcaption>");
  }
  rpt_buf_puts(o, "</figure>\n");
  return 0;
}

int rpt_doc_html(const rpt_doc *d, char **out, size_t *len) {
  rpt_buf o = {0};
  rpt_buf_puts(&o, "<!DOCTYPE html>\n<html lang=\"");
  rpt_buf_puts(&o, d->lang);
  rpt_buf_puts(&o, "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  rpt_buf_esc(&o, d->title);
  rpt_buf_puts(&o, "</title>\n<style>");
  rpt_buf_puts(&o, css);
  rpt_buf_puts(&o, "</style>\n</head>\n<body>\n<main>\n");
  /* table of contents from the sections */
  int in_section = 0, toc_done = 0, in_pair = 0;
  for (size_t i = 0; i < d->n && !o.oom; i++) {
    const rpt_block *b = &d->b[i];
    int half = b->kind == RPT_B_CHART && b->half; /* consecutive half charts share a row */
    if (in_pair && !half) {
      rpt_buf_puts(&o, "</div>\n");
      in_pair = 0;
    }
    switch (b->kind) {
    case RPT_B_TITLE:
      rpt_buf_puts(&o, "<header class=\"title\"><h1>");
      rpt_buf_esc(&o, b->text);
      rpt_buf_puts(&o, "</h1><p class=\"sub\">");
      rpt_buf_esc(&o, b->sub);
      rpt_buf_puts(&o, "</p></header>\n");
      break;
    case RPT_B_SECTION:
      if (!toc_done) {
        toc_done = 1;
        rpt_buf_puts(&o, "<nav class=\"toc\"><ol>");
        for (size_t j = i; j < d->n; j++)
          if (d->b[j].kind == RPT_B_SECTION) {
            rpt_buf_puts(&o, "<li><a href=\"#");
            rpt_buf_esc(&o, d->b[j].id);
            rpt_buf_puts(&o, "\">");
            rpt_buf_esc(&o, d->b[j].text);
            rpt_buf_puts(&o, "</a></li>");
          }
        rpt_buf_puts(&o, "</ol></nav>\n");
      }
      if (in_section) rpt_buf_puts(&o, "</section>\n");
      in_section = 1;
      rpt_buf_puts(&o, "<section id=\"");
      rpt_buf_esc(&o, b->id);
      rpt_buf_puts(&o, "\"><h2>");
      rpt_buf_esc(&o, b->text);
      rpt_buf_puts(&o, "</h2>\n");
      break;
    case RPT_B_SUB:
      rpt_buf_puts(&o, "<h3>");
      rpt_buf_esc(&o, b->text);
      rpt_buf_puts(&o, "</h3>\n");
      break;
    case RPT_B_PARA:
    case RPT_B_NOTE:
      rpt_buf_puts(&o, b->kind == RPT_B_NOTE ? "<p class=\"note\">" : "<p>");
      rpt_buf_esc(&o, b->text);
      rpt_buf_puts(&o, "</p>\n");
      break;
    case RPT_B_BULLETS:
      rpt_buf_puts(&o, "<ul class=\"bullets\">");
      for (size_t r = 0; r < b->n_rows; r++) {
        rpt_buf_puts(&o, "<li>");
        rpt_buf_esc(&o, b->cells[r]);
        rpt_buf_puts(&o, "</li>");
      }
      rpt_buf_puts(&o, "</ul>\n");
      break;
    case RPT_B_TABLE: table(&o, b); break;
    case RPT_B_CHART:
      if (half && !in_pair) {
        rpt_buf_puts(&o, "<div class=\"pair\">");
        in_pair = 1;
      }
      if (chart(&o, d, b)) o.oom = 1;
      break;
    default: break;
    }
  }
  if (in_pair) rpt_buf_puts(&o, "</div>\n");
  if (in_section) rpt_buf_puts(&o, "</section>\n");
  rpt_buf_puts(&o, "</main>\n</body>\n</html>\n");
  if (o.oom) {
    free(o.p);
    return -1;
  }
  *out = o.p;
  *len = o.n;
  return 0;
}
