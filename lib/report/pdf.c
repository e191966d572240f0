/* SPDX-License-Identifier: MIT
 * The document as an A4 PDF: cairo's PDF surface, text laid out by pango (Japanese line
 * breaking, the Noto CJK fonts), charts drawn by the cairo canvas. Paragraphs and tables break
 * across pages between lines and rows (a table repeats its header); a heading never ends a
 * page; figures are kept whole. Sections are in the PDF outline. Deterministic: the creation
 * date is the document's date, not the clock. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X ((PAGE_W - RPT_TEXT_WIDTH) / 2)
#define MARGIN_TOP 56.0
#define MARGIN_BOTTOM 62.0
#define BOTTOM (PAGE_H - MARGIN_BOTTOM)

struct pdf {
  const rpt_doc *d;
  cairo_surface_t *surf;
  cairo_t *cr;
  PangoContext *pc;
  double y;
  int page;
};

static void rgb(cairo_t *cr, unsigned c) {
  cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

static PangoLayout *layout(struct pdf *p, const char *text, double size, int bold, double width) {
  PangoLayout *l = pango_layout_new(p->pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, p->d->font);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_text(l, text ? text : "", -1);
  return l;
}

static double layout_h(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l) {
  int w, h;
  pango_layout_get_size(l, &w, &h);
  return (double)w / PANGO_SCALE;
}

static void footer(struct pdf *p) {
  char num[32];
  snprintf(num, sizeof num, "%d", p->page);
  cairo_t *cr = p->cr;
  rgb(cr, 0xCCCCCC);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, MARGIN_X, PAGE_H - 44);
  cairo_line_to(cr, MARGIN_X + RPT_TEXT_WIDTH, PAGE_H - 44);
  cairo_stroke(cr);
  rgb(cr, 0x888888);
  PangoLayout *l = layout(p, p->d->footer, 7.5, 0, 0);
  cairo_move_to(cr, MARGIN_X, PAGE_H - 40);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
  l = layout(p, num, 7.5, 0, 0);
  cairo_move_to(cr, MARGIN_X + RPT_TEXT_WIDTH - layout_w(l), PAGE_H - 40);
  pango_cairo_show_layout(cr, l);
  g_object_unref(l);
}

static void new_page(struct pdf *p) {
  footer(p);
  cairo_show_page(p->cr);
  p->page++;
  p->y = MARGIN_TOP;
}

static void need(struct pdf *p, double h) {
  if (p->y + h > BOTTOM && p->y > MARGIN_TOP) new_page(p);
}

/* shows a laid-out text line by line from p->y, breaking pages between lines */
static void flow(struct pdf *p, PangoLayout *l, double x, unsigned colour) {
  PangoLayoutIter *it = pango_layout_get_iter(l);
  double top = p->y, shift = 0; /* layout y + shift = page y */
  do {
    PangoRectangle r;
    pango_layout_iter_get_line_extents(it, NULL, &r);
    double ly = (double)r.y / PANGO_SCALE, lh = (double)r.height / PANGO_SCALE;
    if (top + shift + ly + lh > BOTTOM && top + shift + ly > MARGIN_TOP + 1) {
      new_page(p);
      shift = MARGIN_TOP - top - ly;
    }
    double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
    rgb(p->cr, colour);
    cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, top + shift + base);
    pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
    p->y = top + shift + ly + lh;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

static void para(struct pdf *p, const char *text, double size, unsigned colour, double after) {
  PangoLayout *l = layout(p, text, size, 0, RPT_TEXT_WIDTH);
  pango_layout_set_justify(l, !strcmp(p->d->lang, "ja")); /* Latin text is ragged-right */
  pango_layout_set_spacing(l, (int)(size * 0.45 * PANGO_SCALE));
  need(p, 2 * size * 1.5);
  flow(p, l, MARGIN_X, colour);
  g_object_unref(l);
  p->y += after;
}

static double block_min_height(struct pdf *p, const rpt_block *b) {
  switch (b->kind) {
  case RPT_B_CHART: return b->height + 16;
  case RPT_B_TABLE: return 40;
  case RPT_B_PARA: return 40;
  default: (void)p; return 20;
  }
}

static void section(struct pdf *p, const rpt_block *b, const rpt_block *next) {
  PangoLayout *l = layout(p, b->text, 14, 1, RPT_TEXT_WIDTH - 10);
  double h = layout_h(l);
  if (p->y > MARGIN_TOP) p->y += 14;
  need(p, h + 10 + (next ? block_min_height(p, next) : 0));
  rgb(p->cr, 0x2F6DB5);
  cairo_rectangle(p->cr, MARGIN_X, p->y + 2, 4, h - 4);
  cairo_fill(p->cr);
  rgb(p->cr, 0x1D3F6E);
  cairo_move_to(p->cr, MARGIN_X + 10, p->y);
  pango_cairo_show_layout(p->cr, l);
  g_object_unref(l);
  char link[64];
  snprintf(link, sizeof link, "page=%d pos=[%.0f %.0f]", p->page, MARGIN_X, p->y);
  cairo_pdf_surface_add_outline(p->surf, CAIRO_PDF_OUTLINE_ROOT, b->text, link, 0);
  p->y += h + 8;
}

static void sub(struct pdf *p, const rpt_block *b, const rpt_block *next) {
  PangoLayout *l = layout(p, b->text, 10.5, 1, RPT_TEXT_WIDTH);
  double h = layout_h(l);
  p->y += 4;
  need(p, h + 6 + (next ? block_min_height(p, next) : 0));
  rgb(p->cr, 0x333333);
  cairo_move_to(p->cr, MARGIN_X, p->y);
  pango_cairo_show_layout(p->cr, l);
  g_object_unref(l);
  p->y += h + 4;
}

static void title(struct pdf *p, const rpt_block *b) {
  PangoLayout *l = layout(p, b->text, 20, 1, RPT_TEXT_WIDTH);
  rgb(p->cr, 0x1D3F6E);
  cairo_move_to(p->cr, MARGIN_X, p->y);
  pango_cairo_show_layout(p->cr, l);
  p->y += layout_h(l) + 4;
  g_object_unref(l);
  l = layout(p, b->sub, 9.5, 0, RPT_TEXT_WIDTH);
  rgb(p->cr, 0x555555);
  cairo_move_to(p->cr, MARGIN_X, p->y);
  pango_cairo_show_layout(p->cr, l);
  p->y += layout_h(l) + 8;
  g_object_unref(l);
  rgb(p->cr, 0x2F6DB5);
  cairo_rectangle(p->cr, MARGIN_X, p->y, RPT_TEXT_WIDTH, 2.5);
  cairo_fill(p->cr);
  p->y += 16;
}

static void bullets(struct pdf *p, const rpt_block *b) {
  for (size_t r = 0; r < b->n_rows; r++) {
    PangoLayout *l = layout(p, b->cells[r], 9.5, 0, RPT_TEXT_WIDTH - 14);
    pango_layout_set_spacing(l, (int)(9.5 * 0.4 * PANGO_SCALE));
    need(p, 16);
    rgb(p->cr, 0x2F6DB5);
    cairo_new_path(p->cr); /* no line from where the last text ended */
    cairo_arc(p->cr, MARGIN_X + 4, p->y + 7.5, 1.8, 0, 6.283185307179586);
    cairo_fill(p->cr);
    flow(p, l, MARGIN_X + 14, 0x222222);
    g_object_unref(l);
    p->y += 3;
  }
  p->y += 6;
}

#define CELL_PAD_X 5.0
#define CELL_PAD_Y 3.0
#define TABLE_SIZE 8.5

static void table_row(struct pdf *p, const rpt_block *b, size_t r, const double *w, double h,
                      PangoLayout **ls) {
  double x = MARGIN_X, tw = 0;
  for (size_t c = 0; c < b->n_cols; c++) tw += w[c];
  if (r == 0) {
    rgb(p->cr, 0xEEF2F8);
    cairo_rectangle(p->cr, MARGIN_X, p->y, tw, h);
    cairo_fill(p->cr);
  }
  for (size_t c = 0; c < b->n_cols; c++) {
    PangoLayout *l = ls[c];
    int right = b->align && strlen(b->align) > c && b->align[c] == 'r';
    double tx = right ? x + w[c] - CELL_PAD_X - layout_w(l) : x + CELL_PAD_X;
    rgb(p->cr, 0x222222);
    cairo_move_to(p->cr, tx, p->y + CELL_PAD_Y);
    pango_cairo_show_layout(p->cr, l);
    x += w[c];
  }
  rgb(p->cr, r == 0 ? 0xBCC8DA : 0xDDDDDD);
  cairo_set_line_width(p->cr, r == 0 ? 1.2 : 0.5);
  cairo_move_to(p->cr, MARGIN_X, p->y + h);
  cairo_line_to(p->cr, MARGIN_X + tw, p->y + h);
  cairo_stroke(p->cr);
  p->y += h;
}

static PangoLayout **row_layouts(struct pdf *p, const rpt_block *b, size_t r, const double *w,
                                 double *h) {
  PangoLayout **ls = calloc(b->n_cols, sizeof *ls);
  if (!ls) return NULL;
  *h = 0;
  for (size_t c = 0; c < b->n_cols; c++) {
    ls[c] = layout(p, b->cells[r * b->n_cols + c], TABLE_SIZE, r == 0, w[c] - 2 * CELL_PAD_X);
    double lh = layout_h(ls[c]) + 2 * CELL_PAD_Y;
    if (lh > *h) *h = lh;
  }
  return ls;
}

static void free_layouts(PangoLayout **ls, size_t n) {
  for (size_t c = 0; ls && c < n; c++) g_object_unref(ls[c]);
  free(ls);
}

static int table(struct pdf *p, const rpt_block *b) {
  size_t nc = b->n_cols;
  if (!nc || !b->n_rows) return 0;
  double *w = calloc(nc, sizeof *w), total = 0;
  if (!w) return -1;
  /* natural widths; when too wide, the left-aligned (text) columns wrap */
  for (size_t c = 0; c < nc; c++) {
    for (size_t r = 0; r < b->n_rows; r++) {
      PangoLayout *l = layout(p, b->cells[r * nc + c], TABLE_SIZE, r == 0, 0);
      double lw = layout_w(l) + 2 * CELL_PAD_X + 1;
      g_object_unref(l);
      if (lw > w[c]) w[c] = lw;
    }
    total += w[c];
  }
  if (total > RPT_TEXT_WIDTH) {
    /* the text columns wrap: cap them all at one width c, the largest that fits (the narrow
     * columns keep their natural width, the widest give way first) */
    double fixed = 0;
    for (size_t c = 0; c < nc; c++)
      if (b->align && strlen(b->align) > c && b->align[c] == 'r') fixed += w[c];
    double room = RPT_TEXT_WIDTH - fixed, lo = 0, hi = RPT_TEXT_WIDTH;
    if (room > 40) {
      for (int it = 0; it < 50; it++) {
        double mid = (lo + hi) / 2, sum = 0;
        for (size_t c = 0; c < nc; c++)
          if (!(b->align && strlen(b->align) > c && b->align[c] == 'r')) sum += w[c] < mid ? w[c] : mid;
        if (sum > room) hi = mid;
        else lo = mid;
      }
      for (size_t c = 0; c < nc; c++)
        if (!(b->align && strlen(b->align) > c && b->align[c] == 'r') && w[c] > lo) w[c] = lo;
    } else {
      for (size_t c = 0; c < nc; c++) w[c] *= RPT_TEXT_WIDTH / total;
    }
  } else if (total > 0.6 * RPT_TEXT_WIDTH) { /* wide tables span the text width */
    double extra = (RPT_TEXT_WIDTH - total) / (double)nc;
    for (size_t c = 0; c < nc; c++) w[c] += extra;
  }
  double hh;
  PangoLayout **head = row_layouts(p, b, 0, w, &hh);
  if (!head) {
    free(w);
    return -1;
  }
  need(p, hh + 2 * 16);
  table_row(p, b, 0, w, hh, head);
  for (size_t r = 1; r < b->n_rows; r++) {
    double h;
    PangoLayout **ls = row_layouts(p, b, r, w, &h);
    if (!ls) break;
    if (p->y + h > BOTTOM) {
      new_page(p);
      table_row(p, b, 0, w, hh, head);
    }
    table_row(p, b, r, w, h, ls);
    free_layouts(ls, nc);
  }
  free_layouts(head, nc);
  free(w);
  p->y += 10;
  return 0;
}

static int chart_at(struct pdf *p, const rpt_block *b, double x, double w) {
  cairo_save(p->cr);
  cairo_translate(p->cr, x, p->y);
  cairo_rectangle(p->cr, 0, 0, w, b->height);
  cairo_clip(p->cr);
  rpt_canvas *c = rpt_canvas_cairo(p->cr, w, b->height, p->d->font);
  if (c) rpt_draw_block_chart(c, b);
  rpt_canvas_free(c);
  cairo_restore(p->cr);
  return c ? 0 : -1;
}

static double caption_at(struct pdf *p, const rpt_block *b, double x, double w, double y) {
  if (!b->caption) return 0;
  PangoLayout *l = layout(p, b->caption, 7.5, 0, w);
  rgb(p->cr, 0x555555);
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
  double h = layout_h(l);
  g_object_unref(l);
  return h;
}

/* one chart, or two half charts side by side; returns how many blocks it used */
static int charts(struct pdf *p, const rpt_block *b, const rpt_block *next) {
  int pair = b->half && next && next->kind == RPT_B_CHART && next->half;
  double h = b->height, w = b->half ? RPT_HALF_WIDTH : RPT_TEXT_WIDTH;
  if (pair && next->height > h) h = next->height;
  need(p, h + 24);
  if (chart_at(p, b, MARGIN_X, w)) return -1;
  if (pair && chart_at(p, next, MARGIN_X + RPT_HALF_WIDTH + RPT_HALF_GAP, w)) return -1;
  double ch = caption_at(p, b, MARGIN_X, w, p->y + h + 2);
  if (pair) {
    double c2 = caption_at(p, next, MARGIN_X + RPT_HALF_WIDTH + RPT_HALF_GAP, w, p->y + h + 2);
    if (c2 > ch) ch = c2;
  }
  p->y += h + ch + 14;
  return pair ? 2 : 1;
}

static cairo_status_t drop(void *closure, const unsigned char *data, unsigned int len) {
  FILE *f = closure;
  return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int rpt_doc_pdf(const rpt_doc *d, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(err, errlen, "cannot create '%s'", path);
    return -1;
  }
  struct pdf p = {d, NULL, NULL, NULL, MARGIN_TOP, 1};
  p.surf = cairo_pdf_surface_create_for_stream(drop, f, PAGE_W, PAGE_H);
  p.cr = cairo_create(p.surf);
  if (d->title) cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, d->title);
  cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR, "rouse");
  if (d->pdf_date) {
    char iso[40];
    snprintf(iso, sizeof iso, "%.10sT00:00:00Z", d->pdf_date);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_MOD_DATE, iso);
  }
  p.pc = pango_cairo_create_context(p.cr);
  pango_cairo_context_set_resolution(p.pc, 72);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(p.pc, fo);
  cairo_font_options_destroy(fo);
  int rc = 0;
  for (size_t i = 0; i < d->n && !rc; i++) {
    const rpt_block *b = &d->b[i], *next = i + 1 < d->n ? &d->b[i + 1] : NULL;
    switch (b->kind) {
    case RPT_B_TITLE: title(&p, b); break;
    case RPT_B_SECTION: section(&p, b, next); break;
    case RPT_B_SUB: sub(&p, b, next); break;
    case RPT_B_PARA: para(&p, b->text, 9.5, 0x222222, 7); break;
    case RPT_B_NOTE: para(&p, b->text, 7.5, 0x666666, 6); break;
    case RPT_B_BULLETS: bullets(&p, b); break;
    case RPT_B_TABLE: rc = table(&p, b); break;
    case RPT_B_CHART: {
      int used = charts(&p, b, next);
      if (used < 0) rc = -1;
      else i += (size_t)used - 1;
      break;
    }
    default: break;
    }
  }
  footer(&p);
  cairo_show_page(p.cr);
  g_object_unref(p.pc);
  cairo_destroy(p.cr);
  cairo_surface_finish(p.surf);
  cairo_status_t st = cairo_surface_status(p.surf);
  cairo_surface_destroy(p.surf);
  if (fclose(f) || st != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "cannot write '%s': %s", path,
             st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "write error");
    return -1;
  }
  if (rc) snprintf(err, errlen, "out of memory while drawing '%s'", path);
  return rc;
}
