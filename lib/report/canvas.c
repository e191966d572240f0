/* SPDX-License-Identifier: MIT
 * The canvas: SVG text or cairo drawing behind one set of primitives (canvas.h). Text is
 * measured with pango in both, at 72 points per inch, without hinting, so the two layouts
 * agree. Numbers in the SVG are printed with two decimals in the C locale: deterministic. */
#include "canvas.h"
#include "buf.h"

#include <cairo.h>
#include <stdarg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rpt_canvas {
  double w, h;
  char font[96];
  cairo_t *cr;            /* cairo back end (not owned) */
  PangoContext *pc;       /* measuring (both) and drawing text (cairo) */
  cairo_surface_t *msurf; /* SVG back end: a tiny image surface for pango to measure on */
  cairo_t *mcr;
  rpt_buf svg;            /* SVG back end: the text so far */
};

static PangoContext *make_context(cairo_t *cr) {
  PangoContext *pc = pango_cairo_create_context(cr);
  pango_cairo_context_set_resolution(pc, 72);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(pc, fo);
  cairo_font_options_destroy(fo);
  return pc;
}

static void add(rpt_canvas *c, const char *s, size_t n) { rpt_buf_put(&c->svg, s, n); }

static void addf(rpt_canvas *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(rpt_canvas *c, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) add(c, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* a number with at most two decimals, trailing zeros dropped, never "-0" */
static const char *num(double v, char *b) {
  if (!isfinite(v)) v = 0;
  double r = round(v * 100) / 100;
  if (r == 0) r = 0;
  snprintf(b, 32, "%.2f", r);
  char *e = b + strlen(b) - 1;
  while (*e == '0') *e-- = '\0';
  if (*e == '.') *e = '\0';
  return b;
}

static void esc(rpt_canvas *c, const char *s) { rpt_buf_esc(&c->svg, s); }

static rpt_canvas *make(double w, double h, const char *font) {
  rpt_canvas *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->w = w > 0 ? w : 1;
  c->h = h > 0 ? h : 1;
  snprintf(c->font, sizeof c->font, "%s", font && *font ? font : "Noto Sans CJK JP");
  return c;
}

rpt_canvas *rpt_canvas_svg(double w, double h, const char *font) {
  rpt_canvas *c = make(w, h, font);
  if (!c) return NULL;
  c->msurf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
  c->mcr = cairo_create(c->msurf);
  c->pc = make_context(c->mcr);
  char a[32], b[32];
  addf(c,
       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%spt\" height=\"%spt\" ",
       num(c->w, a), num(c->h, b));
  addf(c, "viewBox=\"0 0 %s %s\" ", num(c->w, a), num(c->h, b));
  add(c, "font-family=\"", 13);
  esc(c, c->font);
  add(c, ", Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif\">", 62);
  addf(c, "<rect width=\"%s\" height=\"%s\" fill=\"#fff\"/>", num(c->w, a), num(c->h, b));
  if (c->svg.oom) {
    rpt_canvas_free(c);
    return NULL;
  }
  return c;
}

char *rpt_canvas_svg_take(rpt_canvas *c, size_t *len) {
  if (!c) return NULL;
  add(c, "</svg>", 6);
  char *s = c->svg.oom ? NULL : c->svg.p;
  if (s && len) *len = c->svg.n;
  if (!s) free(c->svg.p);
  c->svg.p = NULL;
  rpt_canvas_free(c);
  return s;
}

rpt_canvas *rpt_canvas_cairo(cairo_t *cr, double w, double h, const char *font) {
  rpt_canvas *c = make(w, h, font);
  if (!c) return NULL;
  c->cr = cr;
  c->pc = make_context(cr);
  return c;
}

void rpt_canvas_free(rpt_canvas *c) {
  if (!c) return;
  if (c->pc) g_object_unref(c->pc);
  if (c->mcr) cairo_destroy(c->mcr);
  if (c->msurf) cairo_surface_destroy(c->msurf);
  free(c->svg.p);
  free(c);
}

int rpt_font_installed(const char *family) {
  PangoFontMap *fm = pango_cairo_font_map_get_default();
  PangoFontFamily **fams = NULL;
  int n = 0, found = 0;
  pango_font_map_list_families(fm, &fams, &n);
  for (int i = 0; i < n && !found; i++)
    found = !g_ascii_strcasecmp(pango_font_family_get_name(fams[i]), family);
  g_free(fams);
  return found;
}

double rpt_canvas_width(const rpt_canvas *c) { return c->w; }
double rpt_canvas_height(const rpt_canvas *c) { return c->h; }

static void set_rgb(cairo_t *cr, rpt_rgb c) {
  cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0,
                       (c & 255) / 255.0);
}

/* fills and/or strokes the current path, then clears it */
static void paint(cairo_t *cr, rpt_rgb fill, rpt_rgb stroke, double width) {
  if (fill != RPT_NONE) {
    set_rgb(cr, fill);
    cairo_fill_preserve(cr);
  }
  if (stroke != RPT_NONE) {
    set_rgb(cr, stroke);
    cairo_set_line_width(cr, width);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
}

static const char *hex(rpt_rgb c, char *b) {
  snprintf(b, 8, "#%06X", (unsigned)(c & 0xFFFFFF));
  return b;
}

void rpt_line(rpt_canvas *c, double x1, double y1, double x2, double y2, rpt_rgb colour,
              double width, double dash) {
  if (c->cr) {
    set_rgb(c->cr, colour);
    cairo_set_line_width(c->cr, width);
    if (dash > 0) cairo_set_dash(c->cr, &dash, 1, 0);
    cairo_move_to(c->cr, x1, y1);
    cairo_line_to(c->cr, x2, y2);
    cairo_stroke(c->cr);
    cairo_set_dash(c->cr, NULL, 0, 0);
    return;
  }
  char a[32], b[32], d[32], e[32], f[32], h[8];
  addf(c, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"%s\"",
       num(x1, a), num(y1, b), num(x2, d), num(y2, e), hex(colour, h), num(width, f));
  if (dash > 0) addf(c, " stroke-dasharray=\"%s\"", num(dash, a));
  add(c, "/>", 2);
}

void rpt_rect(rpt_canvas *c, double x, double y, double w, double h, rpt_rgb fill,
              rpt_rgb stroke, double stroke_width) {
  if (!(w > 0) || !(h > 0)) return;
  if (c->cr) {
    cairo_rectangle(c->cr, x, y, w, h);
    paint(c->cr, fill, stroke, stroke_width);
    return;
  }
  char a[32], b[32], d[32], e[32], f[32], h1[8];
  addf(c, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"", num(x, a), num(y, b),
       num(w, d), num(h, e));
  if (fill != RPT_NONE) addf(c, " fill=\"%s\"", hex(fill, h1));
  else add(c, " fill=\"none\"", 12);
  if (stroke != RPT_NONE)
    addf(c, " stroke=\"%s\" stroke-width=\"%s\"", hex(stroke, h1), num(stroke_width, f));
  add(c, "/>", 2);
}

void rpt_polyline(rpt_canvas *c, const double *xy, size_t n, rpt_rgb colour, double width,
                  double dash) {
  if (n < 2) return;
  if (c->cr) {
    set_rgb(c->cr, colour);
    cairo_set_line_width(c->cr, width);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    if (dash > 0) cairo_set_dash(c->cr, &dash, 1, 0);
    cairo_move_to(c->cr, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++) cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
    cairo_stroke(c->cr);
    cairo_set_dash(c->cr, NULL, 0, 0);
    return;
  }
  char a[32], b[32], h[8];
  add(c, "<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"", 54);
  for (size_t i = 0; i < n; i++) addf(c, "%s%s,%s", i ? " " : "", num(xy[2 * i], a), num(xy[2 * i + 1], b));
  addf(c, "\" stroke=\"%s\" stroke-width=\"%s\"", hex(colour, h), num(width, a));
  if (dash > 0) addf(c, " stroke-dasharray=\"%s\"", num(dash, a));
  add(c, "/>", 2);
}

void rpt_circle(rpt_canvas *c, double cx, double cy, double r, rpt_rgb fill, rpt_rgb stroke) {
  if (c->cr) {
    cairo_new_sub_path(c->cr);
    cairo_arc(c->cr, cx, cy, r, 0, 2 * M_PI);
    paint(c->cr, fill, stroke, 1);
    return;
  }
  char a[32], b[32], d[32], h[8];
  addf(c, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"", num(cx, a), num(cy, b), num(r, d));
  if (fill != RPT_NONE) addf(c, " fill=\"%s\"", hex(fill, h));
  else add(c, " fill=\"none\"", 12);
  if (stroke != RPT_NONE) addf(c, " stroke=\"%s\"", hex(stroke, h));
  add(c, "/>", 2);
}

static PangoLayout *text_layout(rpt_canvas *c, const char *s, double size, int bold) {
  PangoLayout *l = pango_layout_new(c->pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, c->font);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(l, s, -1);
  return l;
}

double rpt_text_width(rpt_canvas *c, const char *s, double size, int bold) {
  if (!s || !*s) return 0;
  PangoLayout *l = text_layout(c, s, size, bold);
  PangoRectangle r;
  pango_layout_get_extents(l, NULL, &r);
  g_object_unref(l);
  return (double)r.width / PANGO_SCALE;
}

void rpt_text(rpt_canvas *c, double x, double y, const char *s, double size, rpt_rgb colour,
              int anchor, int bold, double deg) {
  if (!s || !*s) return;
  if (c->cr) {
    PangoLayout *l = text_layout(c, s, size, bold);
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    double w = (double)r.width / PANGO_SCALE;
    double base = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    double dx = anchor == RPT_MIDDLE ? -w / 2 : anchor == RPT_END ? -w : 0;
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    if (deg != 0) cairo_rotate(c->cr, deg * M_PI / 180);
    set_rgb(c->cr, colour);
    cairo_move_to(c->cr, dx, -base);
    pango_cairo_update_layout(c->cr, l);
    pango_cairo_show_layout(c->cr, l);
    cairo_restore(c->cr);
    g_object_unref(l);
    return;
  }
  static const char *const anchors[] = {"start", "middle", "end"};
  char a[32], b[32], d[32], h[8];
  addf(c, "<text x=\"%s\" y=\"%s\" font-size=\"%s\" fill=\"%s\"", num(x, a), num(y, b),
       num(size, d), hex(colour, h));
  if (anchor > 0 && anchor < 3) addf(c, " text-anchor=\"%s\"", anchors[anchor]);
  if (bold) add(c, " font-weight=\"bold\"", 19);
  if (deg != 0) addf(c, " transform=\"rotate(%s %s %s)\"", num(deg, d), num(x, a), num(y, b));
  add(c, ">", 1);
  esc(c, s);
  add(c, "</text>", 7);
}
