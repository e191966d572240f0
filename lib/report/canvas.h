/* SPDX-License-Identifier: MIT
 * A tiny drawing surface for the report's charts, with two back ends that draw the same thing:
 * SVG text (for the self-contained HTML) and a cairo context (for the PDF, text through
 * pango so Japanese shapes correctly). Coordinates are in points (1/72 in), origin top-left,
 * y down. Text is measured with pango in both back ends, so a chart lays out identically in
 * the HTML and in the PDF.
 *
 * Internal to the report library (lib/report); not installed. */
#ifndef ROUSE_REPORT_CANVAS_H
#define ROUSE_REPORT_CANVAS_H

#include <stddef.h>
#include <stdint.h>

typedef struct _cairo cairo_t;

typedef uint32_t rpt_rgb;         /* 0xRRGGBB */
#define RPT_NONE 0xFFFFFFFFu      /* no fill / no stroke */

enum rpt_anchor { RPT_START = 0, RPT_MIDDLE = 1, RPT_END = 2 };

typedef struct rpt_canvas rpt_canvas;

/* rpt_canvas_svg() : a canvas recording SVG of w × h points. font: family for text (e.g.
 * "Noto Sans CJK JP"); the SVG names it with generic fallbacks. NULL on out of memory. */
rpt_canvas *rpt_canvas_svg(double w, double h, const char *font);
/* rpt_canvas_svg_take() : the finished document "<svg ...>...</svg>" (NUL-terminated, owned by
 * the caller, free()); *len its length without the NUL. The canvas is freed. NULL on out of
 * memory (the canvas is freed too). */
char *rpt_canvas_svg_take(rpt_canvas *c, size_t *len);

/* rpt_canvas_cairo() : a canvas drawing into cr at its current transformation, w × h points
 * (the caller translates cr to the chart's box first). The canvas does not own cr. */
rpt_canvas *rpt_canvas_cairo(cairo_t *cr, double w, double h, const char *font);

void rpt_canvas_free(rpt_canvas *c);
/* rpt_font_installed() : 1 if fontconfig knows the family (e.g. "Noto Sans CJK JP"), else 0
 * (pango would then draw with a fallback that may lack Japanese glyphs) */
int rpt_font_installed(const char *family);
double rpt_canvas_width(const rpt_canvas *c);
double rpt_canvas_height(const rpt_canvas *c);

/* primitives; width in points; dash 0 for solid, else the dash length */
void rpt_line(rpt_canvas *c, double x1, double y1, double x2, double y2, rpt_rgb colour,
              double width, double dash);
void rpt_rect(rpt_canvas *c, double x, double y, double w, double h, rpt_rgb fill,
              rpt_rgb stroke, double stroke_width);
void rpt_polyline(rpt_canvas *c, const double *xy, size_t n_points, rpt_rgb colour,
                  double width, double dash);
void rpt_circle(rpt_canvas *c, double cx, double cy, double r, rpt_rgb fill, rpt_rgb stroke);
/* text: UTF-8, baseline at y, size in points, rotated by deg degrees about (x, y) (−90 reads
 * bottom to top) */
void rpt_text(rpt_canvas *c, double x, double y, const char *utf8, double size, rpt_rgb colour,
              int anchor, int bold, double deg);
/* the width in points text would take */
double rpt_text_width(rpt_canvas *c, const char *utf8, double size, int bold);

#endif
