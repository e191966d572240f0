/* SPDX-License-Identifier: MIT
 * The report's charts, drawn on a canvas (canvas.h) so that the HTML (SVG) and the PDF (cairo)
 * show the same picture. Every chart has axes with "nice" ticks (1, 2, 5 × 10^k), tick labels
 * in the value's unit, axis titles, a legend when there is more than one series, and the
 * report's palette. A chart fills the box (0, 0, canvas width, canvas height).
 *
 * Internal to the report library (lib/report); not installed. */
#ifndef ROUSE_REPORT_CHARTS_H
#define ROUSE_REPORT_CHARTS_H

#include "canvas.h"

/* how values (and ticks) are written */
enum rpt_fmt {
  RPT_FMT_NUM = 0, /* 1,234 or 0.25 (thousand separators; decimals only when the ticks need) */
  RPT_FMT_PCT,     /* value is a fraction: 0.25 -> "25%" */
  RPT_FMT_YEN,     /* an amount in the report's currency: "¥1,234", large values shortened:
                      ¥12.3M (en) / 1,234万円 (ja); "$12.3M" / "1,234万ドル" in USD */
  RPT_FMT_DAYS     /* "90 d" (en) / "90日" (ja) */
};

/* the palette: consistent colours across the report */
#define RPT_INK     0x222222u /* text */
#define RPT_GRID    0xDDDDDDu
#define RPT_AXIS    0x666666u
#define RPT_C_BLUE  0x2F6DB5u /* primary series */
#define RPT_C_ORANGE 0xE0812Bu /* the second series / model vs actual */
#define RPT_C_GREEN 0x3A9A5Bu
#define RPT_C_RED   0xC8453Cu
#define RPT_C_GREY  0x9A9A9Au
#define RPT_C_PURPLE 0x7B5BA6u
/* lifecycle states in rouse's order (new, active, at_risk, dormant, lost, reactivated) */
extern const rpt_rgb rpt_state_colour[6];

#define RPT_MAX_SERIES 8
#define RPT_MAX_MARKERS 4

typedef struct rpt_series {
  const char *name;  /* legend text (NULL: no legend entry) */
  const double *v;   /* n values (NaN: missing point / no bar) */
  rpt_rgb colour;
  int dashed;        /* lines: dashed */
  int points;        /* lines: a dot at each point */
} rpt_series;

typedef struct rpt_chart {
  const char *lang;        /* "ja" or "en" (":CUR" for amounts, rpt_fmt_value): unit words and
                              number shortening */
  const char *x_title;     /* axis titles (NULL: none) */
  const char *y_title;
  int y_fmt, x_fmt;        /* enum rpt_fmt */
  size_t n;                /* categories (bars) or points (lines) */
  const char *const *labels; /* bars: n category labels; labels are thinned automatically when
                                they would overlap (e.g. 60 months show every 6th) */
  const double *x;         /* lines: n x values (ascending) */
  int n_series;
  rpt_series series[RPT_MAX_SERIES];
  int stacked;             /* bars: stack the series instead of grouping them */
  double y_min, y_max;     /* fixed y range when y_max > y_min, else from the data (bars and
                              lines start at 0 unless data is negative) */
  double x_min, x_max;     /* lines: fixed x range when x_max > x_min */
  int diagonal;            /* lines: draw y = x dashed grey (calibration, gains) */
  int n_markers;           /* bars: vertical lines at category position m (fractional: 3.5 is
                              between categories 3 and 4), lines: at x = m; labelled on top */
  double marker[RPT_MAX_MARKERS];
  const char *marker_label[RPT_MAX_MARKERS];
} rpt_chart;

/* vertical bars over categories (grouped or stacked) */
void rpt_draw_bars(rpt_canvas *c, const rpt_chart *ch);
/* horizontal bars, one series, categories top to bottom, the value written at each bar's end
 * (reasons, segments) */
void rpt_draw_hbars(rpt_canvas *c, const rpt_chart *ch);
/* lines over numeric x (tracking, calibration, gains) */
void rpt_draw_lines(rpt_canvas *c, const rpt_chart *ch);

/* heat map: rows × cols cells, v[r * cols + c] (NaN: empty cell, drawn blank); colour from
 * white (lo) to blue (hi) on [lo, hi]; each cell carries its value in fmt when the cells are
 * big enough (text dark or white by contrast); rows labelled left, columns below; a colour
 * scale at the right. */
typedef struct rpt_heat {
  const char *lang;
  const char *x_title, *y_title;
  size_t rows, cols;
  const char *const *row_labels, *const *col_labels; /* thinned like bar labels */
  const double *v;
  double lo, hi;
  int fmt;                 /* enum rpt_fmt for cells and scale */
  const char *const *cell_text; /* optional rows × cols texts written instead of the value
                                   (e.g. "1,234\n42%"; '\n' splits lines); NULL entries: none */
} rpt_heat;
void rpt_draw_heatmap(rpt_canvas *c, const rpt_heat *h);

/* rpt_fmt_value() : v written as fmt in lang into out (always NUL-terminated); decimals: digits
 * after the point (−1: automatic). lang is "ja" or "en", optionally followed by a colon and
 * the currency of RPT_FMT_YEN amounts ("en:USD"; without one, or unknown: JPY); the charts'
 * and heat maps' lang fields take the same. Returns out. */
char *rpt_fmt_value(double v, int fmt, int decimals, const char *lang, char *out, size_t cap);

/* rpt_currency_known() : 1 for the currencies amounts can be shown in (JPY, USD, EUR, GBP). */
int rpt_currency_known(const char *code);

#endif
