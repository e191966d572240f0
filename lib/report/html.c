/* SPDX-License-Identifier: MIT
 * The document as one self-contained HTML page: inline CSS, charts as inline SVG, no script,
 * no external reference. Printable (A4 page rules; figures and tables are not split). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

struct out {
  char *p;
  size_t n, cap;
  int oom;
};

static void put(struct out *o, const char *s, size_t n) {
  if (o->oom) return;
  if (o->cap - o->n < n + 1) {
    size_t cap = o->cap ? o->cap : 1 << 16;
    while (cap - o->n < n + 1) cap *= 2;
    char *p = realloc(o->p, cap);
    if (!p) {
      o->oom = 1;
      return;
    }
    o->p = p;
    o->cap = cap;
  }
  memcpy(o->p + o->n, s, n);
  o->n += n;
  o->p[o->n] = '\0';
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

/* text with &<>"' escaped */
static void esc(struct out *o, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *e = NULL;
    switch (*s) {
    case '&': e = "&amp;"; break;
    case '<': e = "&lt;"; break;
    case '>': e = "&gt;"; break;
    case '"': e = "&quot;"; break;
    case '\'': e = "&#39;"; break;
    default: continue;
    }
    put(o, run, (size_t)(s - run));
    puts_(o, e);
    run = s + 1;
  }
  put(o, run, (size_t)(s - run));
}

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

static void table(struct out *o, const rpt_block *b) {
  puts_(o, "<table>");
  for (size_t r = 0; r < b->n_rows; r++) {
    puts_(o, r == 0 ? "<thead><tr>" : "<tr>");
    for (size_t c = 0; c < b->n_cols; c++) {
      int right = b->align && strlen(b->align) > c && b->align[c] == 'r';
      puts_(o, r == 0 ? (right ? "<th class=\"r\">" : "<th>") : (right ? "<td class=\"r\">" : "<td>"));
      esc(o, b->cells[r * b->n_cols + c]);
      puts_(o, r == 0 ? "</th>" : "</td>");
    }
    puts_(o, r == 0 ? "</tr></thead><tbody>" : "</tr>");
  }
  puts_(o, "</tbody></table>\n");
}

static int chart(struct out *o, const rpt_doc *d, const rpt_block *b) {
  double w = b->half ? RPT_HALF_WIDTH : RPT_TEXT_WIDTH;
  rpt_canvas *c = rpt_canvas_svg(w, b->height, d->font);
  if (!c) return -1;
  rpt_draw_block_chart(c, b);
  size_t len = 0;
  char *svg = rpt_canvas_svg_take(c, &len);
  if (!svg) return -1;
  puts_(o, "<figure>");
  put(o, svg, len);
  free(svg);
  if (b->caption) {
    puts_(o, "<figcaption>");
    esc(o, b->caption);
    puts_(o, "</figcaption>");
  }
  puts_(o, "</figure>\n");
  return 0;
}

int rpt_doc_html(const rpt_doc *d, char **out, size_t *len) {
  struct out o = {0};
  puts_(&o, "<!DOCTYPE html>\n<html lang=\"");
  puts_(&o, d->lang);
  puts_(&o, "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  esc(&o, d->title);
  puts_(&o, "</title>\n<style>");
  puts_(&o, css);
  puts_(&o, "</style>\n</head>\n<body>\n<main>\n");
  /* table of contents from the sections */
  int in_section = 0, toc_done = 0, in_pair = 0;
  for (size_t i = 0; i < d->n && !o.oom; i++) {
    const rpt_block *b = &d->b[i];
    int pair_next = b->kind == RPT_B_CHART && b->half;
    if (in_pair && !pair_next) {
      puts_(&o, "</div>\n");
      in_pair = 0;
    }
    switch (b->kind) {
    case RPT_B_TITLE:
      puts_(&o, "<header class=\"title\"><h1>");
      esc(&o, b->text);
      puts_(&o, "</h1><p class=\"sub\">");
      esc(&o, b->sub);
      puts_(&o, "</p></header>\n");
      break;
    case RPT_B_SECTION:
      if (!toc_done) {
        toc_done = 1;
        puts_(&o, "<nav class=\"toc\"><ol>");
        for (size_t j = i; j < d->n; j++)
          if (d->b[j].kind == RPT_B_SECTION) {
            puts_(&o, "<li><a href=\"#");
            esc(&o, d->b[j].id);
            puts_(&o, "\">");
            esc(&o, d->b[j].text);
            puts_(&o, "</a></li>");
          }
        puts_(&o, "</ol></nav>\n");
      }
      if (in_section) puts_(&o, "</section>\n");
      in_section = 1;
      puts_(&o, "<section id=\"");
      esc(&o, b->id);
      puts_(&o, "\"><h2>");
      esc(&o, b->text);
      puts_(&o, "</h2>\n");
      break;
    case RPT_B_SUB:
      puts_(&o, "<h3>");
      esc(&o, b->text);
      puts_(&o, "</h3>\n");
      break;
    case RPT_B_PARA:
    case RPT_B_NOTE:
      puts_(&o, b->kind == RPT_B_NOTE ? "<p class=\"note\">" : "<p>");
      esc(&o, b->text);
      puts_(&o, "</p>\n");
      break;
    case RPT_B_BULLETS:
      puts_(&o, "<ul class=\"bullets\">");
      for (size_t r = 0; r < b->n_rows; r++) {
        puts_(&o, "<li>");
        esc(&o, b->cells[r]);
        puts_(&o, "</li>");
      }
      puts_(&o, "</ul>\n");
      break;
    case RPT_B_TABLE: table(&o, b); break;
    case RPT_B_CHART:
      if (pair_next && !in_pair) {
        puts_(&o, "<div class=\"pair\">");
        in_pair = 1;
      }
      if (chart(&o, d, b)) o.oom = 1;
      if (in_pair && i + 1 < d->n && !(d->b[i + 1].kind == RPT_B_CHART && d->b[i + 1].half)) {
        puts_(&o, "</div>\n");
        in_pair = 0;
      }
      break;
    default: break;
    }
  }
  if (in_pair) puts_(&o, "</div>\n");
  if (in_section) puts_(&o, "</section>\n");
  puts_(&o, "</main>\n</body>\n</html>\n");
  if (o.oom) {
    free(o.p);
    return -1;
  }
  *out = o.p;
  *len = o.n;
  return 0;
}
