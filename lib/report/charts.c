/* SPDX-License-Identifier: MIT
 * The report's charts on a canvas: bars, horizontal bars, lines and heat maps with nice ticks,
 * grids, axis titles, legends and markers (charts.h). */
#include "charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const rpt_rgb rpt_state_colour[6] = {
    0x8CC3E8u, /* new: light blue */
    0x2F6DB5u, /* active: blue */
    0xE0812Bu, /* at risk: orange */
    0x8A9BB0u, /* dormant: grey blue */
    0xB9B9B9u, /* lost: grey */
    0x7B5BA6u, /* reactivated: purple */
};

#define TICK 7.5   /* tick label size */
#define TITLE 8.0  /* axis title size */
#define LEGEND 7.5

/*---------------------------------------------------------------------------------------------
 * numbers
 *-------------------------------------------------------------------------------------------*/
/* |v| with `dec` decimals and thousand separators into out */
static void grouped(double v, int dec, char *out, size_t cap) {
  char raw[64];
  snprintf(raw, sizeof raw, "%.*f", dec < 0 ? 0 : dec, fabs(v));
  char *dot = strchr(raw, '.');
  size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
  for (size_t i = 0; i < ilen && o + 2 < cap; i++) {
    out[o++] = raw[i];
    size_t left = ilen - 1 - i;
    if (left && left % 3 == 0) out[o++] = ',';
  }
  for (const char *p = dot; p && *p && o + 1 < cap; p++) out[o++] = *p;
  out[o] = '\0';
}

/* drops trailing zeros after a decimal point: "5.00" -> "5", "2.50" -> "2.5" */
static void trim(char *g) {
  char *dot = strchr(g, '.');
  if (!dot) return;
  char *e = g + strlen(g) - 1;
  while (e > dot && *e == '0') *e-- = '\0';
  if (e == dot) *e = '\0';
}

/* decimals for 3 significant digits of |v| >= 1 */
static int sig3(double a) { return a >= 100 ? 0 : a >= 10 ? 1 : 2; }

/* Amounts: the currency's symbol (English, before the number) or name (Japanese, after it),
 * and the units that shorten large values: the first whose `from` the value reaches is used;
 * shortened values (div > 1) get 3 significant digits, trailing zeros dropped, unless
 * decimals are given. */
static const struct currency {
  const char *code, *symbol, *name_ja;
} currencies[] = {
    {"JPY", "¥", "円"}, {"USD", "$", "ドル"}, {"EUR", "€", "ユーロ"}, {"GBP", "£", "ポンド"}};

static const struct currency *currency_of(const char *code) {
  for (size_t k = 0; code && k < sizeof currencies / sizeof *currencies; k++)
    if (!strcmp(code, currencies[k].code)) return &currencies[k];
  return NULL;
}

int rpt_currency_known(const char *code) { return currency_of(code) != NULL; }

struct unit {
  double from, div;
  const char *word;
};
static const struct unit units_ja[] = {{1e8, 1e8, "億"}, {1e4, 1e4, "万"}, {0, 1, ""}};
static const struct unit units_en[] = {{1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"},
                                       {0, 1, ""}};

/* "-" when v is negative and its magnitude a shows as non-zero with d decimals */
static const char *minus(double v, double a, int d) {
  return v < 0 && a >= 0.5 * pow(10, -d) ? "-" : "";
}

char *rpt_fmt_value(double v, int fmt, int decimals, const char *lang, char *out, size_t cap) {
  if (!cap) return out;
  int ja = !lang || strncmp(lang, "en", 2);
  const char *colon = lang ? strchr(lang, ':') : NULL;
  const struct currency *cur = currency_of(colon ? colon + 1 : "JPY");
  if (!cur) cur = &currencies[0];
  if (!isfinite(v)) {
    snprintf(out, cap, "–");
    return out;
  }
  char g[64];
  double a = fabs(v);
  switch (fmt) {
  case RPT_FMT_PCT: {
    int d = decimals >= 0 ? decimals : a * 100 >= 10 || a == 0 ? 0 : 1;
    grouped(a * 100, d, g, sizeof g);
    snprintf(out, cap, "%s%s%%", minus(v, a * 100, d), g);
    break;
  }
  case RPT_FMT_YEN: {
    const struct unit *u = ja ? units_ja : units_en;
    while (a < u->from) u++;
    double x = a / u->div;
    int d = decimals >= 0 ? decimals : u->div > 1 ? sig3(x) : 0;
    grouped(x, d, g, sizeof g);
    if (decimals < 0 && u->div > 1) trim(g);
    snprintf(out, cap, "%s%s%s%s%s", minus(v, x, d), ja ? "" : cur->symbol, g, u->word,
             ja ? cur->name_ja : "");
    break;
  }
  case RPT_FMT_DAYS: {
    int d = decimals >= 0 ? decimals : 0;
    grouped(a, d, g, sizeof g);
    snprintf(out, cap, ja ? "%s%s日" : "%s%s d", minus(v, a, d), g);
    break;
  }
  default: {
    int d = decimals >= 0 ? decimals : (a == floor(a) || a >= 100) ? 0 : a >= 10 ? 1 : 2;
    grouped(a, d, g, sizeof g);
    snprintf(out, cap, "%s%s", minus(v, a, d), g);
    break;
  }
  }
  return out;
}

/*---------------------------------------------------------------------------------------------
 * axes
 *-------------------------------------------------------------------------------------------*/
struct ticks {
  double lo, hi, step;
  int n, dec;
};

static double nice_step(double range, int target) {
  if (!(range > 0)) return 1;
  double raw = range / target, p = pow(10, floor(log10(raw))), f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static struct ticks make_ticks(double lo, double hi, int target, int fmt) {
  struct ticks t;
  /* absurd ranges (a hand-edited results.json) are clamped so the arithmetic stays finite */
  const double big = 1e15;
  lo = isfinite(lo) ? fmax(fmin(lo, big), -big) : 0;
  hi = isfinite(hi) ? fmax(fmin(hi, big), -big) : 1;
  if (!(hi > lo)) hi = lo + 1;
  t.step = nice_step(hi - lo, target);
  if (!(t.step > 0) || !isfinite(t.step)) t.step = 1;
  t.lo = floor(lo / t.step + 1e-9) * t.step;
  t.hi = ceil(hi / t.step - 1e-9) * t.step;
  if (!(t.hi > t.lo)) t.hi = t.lo + t.step;
  double n = floor((t.hi - t.lo) / t.step + 0.5) + 1;
  t.n = n >= 2 && n <= 50 ? (int)n : 2;
  double s = fmt == RPT_FMT_PCT ? t.step * 100 : t.step;
  t.dec = s >= 1 ? 0 : (int)fmin(ceil(-log10(s) - 1e-9), 10);
  if (fmt == RPT_FMT_YEN) t.dec = -1;
  return t;
}

static void tick_label(double v, int fmt, int dec, const char *lang, char *b, size_t cap) {
  if (fabs(v) < 1e-12) v = 0;
  rpt_fmt_value(v, fmt, dec, lang, b, cap);
}

struct plot {
  double x0, y0, x1, y1; /* plot area: left, top, right, bottom */
};

/* the data range of the series (stacked: of the sums), 0 included */
static void y_range(const rpt_chart *ch, double *lo, double *hi) {
  *lo = 0;
  *hi = 0;
  for (size_t i = 0; i < ch->n; i++) {
    double pos = 0, neg = 0;
    for (int s = 0; s < ch->n_series; s++) {
      double v = ch->series[s].v ? ch->series[s].v[i] : NAN;
      if (!isfinite(v)) continue;
      if (ch->stacked) {
        if (v > 0) pos += v;
        else neg += v;
      } else {
        if (v > pos) pos = v;
        if (v < neg) neg = v;
      }
    }
    if (pos > *hi) *hi = pos;
    if (neg < *lo) *lo = neg;
  }
  if (ch->y_max > ch->y_min) *lo = ch->y_min, *hi = ch->y_max;
  if (!(*hi > *lo)) *hi = *lo + 1;
}

static int n_legend(const rpt_chart *ch) {
  int k = 0;
  for (int s = 0; s < ch->n_series; s++) k += ch->series[s].name != NULL;
  return k;
}

/* legend entries right-aligned on one row at y */
static void legend(rpt_canvas *c, const rpt_chart *ch, double right, double y, int line) {
  if (n_legend(ch) < 2) return;
  double x = right;
  for (int s = ch->n_series - 1; s >= 0; s--) {
    const rpt_series *se = &ch->series[s];
    if (!se->name) continue;
    double w = rpt_text_width(c, se->name, LEGEND, 0);
    rpt_text(c, x, y, se->name, LEGEND, RPT_INK, RPT_END, 0, 0);
    x -= w + 4;
    if (line) rpt_line(c, x - 12, y - 2.5, x, y - 2.5, se->colour, 2, se->dashed ? 3 : 0);
    else rpt_rect(c, x - 8, y - 7, 8, 8, se->colour, RPT_NONE, 0);
    x -= (line ? 12 : 8) + 10;
  }
}

/* y axis: grid, tick labels, title; returns the ticks */
static void y_axis(rpt_canvas *c, const struct plot *p, const struct ticks *t, int fmt,
                   const char *lang, const char *title) {
  char b[64];
  for (int k = 0; k < t->n; k++) {
    double v = t->lo + k * t->step;
    double y = p->y1 - (v - t->lo) / (t->hi - t->lo) * (p->y1 - p->y0);
    rpt_line(c, p->x0, y, p->x1, y, RPT_GRID, 0.5, 0);
    tick_label(v, fmt, t->dec, lang, b, sizeof b);
    rpt_text(c, p->x0 - 4, y + 2.6, b, TICK, RPT_AXIS, RPT_END, 0, 0);
  }
  if (title) rpt_text(c, 9, (p->y0 + p->y1) / 2, title, TITLE, RPT_AXIS, RPT_MIDDLE, 0, -90);
}

static double max_tick_width(rpt_canvas *c, const struct ticks *t, int fmt, const char *lang) {
  char b[64];
  double w = 0;
  for (int k = 0; k < t->n; k++) {
    tick_label(t->lo + k * t->step, fmt, t->dec, lang, b, sizeof b);
    double x = rpt_text_width(c, b, TICK, 0);
    if (x > w) w = x;
  }
  return w;
}

static double y_of(const struct plot *p, const struct ticks *t, double v) {
  return p->y1 - (v - t->lo) / (t->hi - t->lo) * (p->y1 - p->y0);
}

/* plot box: margins from the tick labels, titles, legend, markers */
static struct plot layout(rpt_canvas *c, const rpt_chart *ch, double ytick_w, int x_labels) {
  struct plot p;
  double W = rpt_canvas_width(c), H = rpt_canvas_height(c);
  p.x0 = ytick_w + 8 + (ch->y_title ? 14 : 0);
  p.x1 = W - 8;
  p.y0 = 6 + (n_legend(ch) >= 2 ? 14 : 0) + (ch->n_markers ? 22 : 0);
  p.y1 = H - (x_labels ? 14 : 4) - (ch->x_title ? 13 : 0);
  if (p.x1 - p.x0 < 20) p.x0 = p.x1 - 20;
  if (p.y1 - p.y0 < 20) p.y0 = p.y1 - 20;
  return p;
}

/* category labels under a band axis, thinned to every k-th so that they do not overlap */
static void band_labels(rpt_canvas *c, const struct plot *p, const rpt_chart *ch, double band) {
  if (!ch->labels || !ch->n) return;
  double wmax = 0;
  for (size_t i = 0; i < ch->n; i++) {
    double w = rpt_text_width(c, ch->labels[i] ? ch->labels[i] : "", TICK, 0);
    if (w > wmax) wmax = w;
  }
  size_t k = (size_t)ceil((wmax + 6) / (band > 0 ? band : 1));
  if (k < 1) k = 1;
  static const size_t steps[] = {1, 2, 3, 4, 6, 12, 24, 36, 60, 120};
  for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
    if (steps[s] >= k) {
      k = steps[s];
      break;
    }
  for (size_t i = 0; i < ch->n; i += k) {
    double x = p->x0 + (i + 0.5) * band;
    if (ch->labels[i]) rpt_text(c, x, p->y1 + 10, ch->labels[i], TICK, RPT_AXIS, RPT_MIDDLE, 0, 0);
    if (k > 1) rpt_line(c, x, p->y1, x, p->y1 + 2.5, RPT_AXIS, 0.5, 0);
  }
}

static void x_title(rpt_canvas *c, const struct plot *p, const char *t) {
  if (t) rpt_text(c, (p->x0 + p->x1) / 2, rpt_canvas_height(c) - 3, t, TITLE, RPT_AXIS, RPT_MIDDLE, 0, 0);
}

/* vertical dashed marker lines with their labels above the plot, alternating sides */
/* x of a marker: on a band axis (linear = 0) category m, else the value m on [xlo, xhi] */
static double marker_x(const struct plot *p, const rpt_chart *ch, int linear, double xlo,
                       double xhi, double m) {
  if (linear) return p->x0 + (m - xlo) / (xhi - xlo) * (p->x1 - p->x0);
  double band = (p->x1 - p->x0) / (double)(ch->n ? ch->n : 1);
  return p->x0 + (m + 0.5) * band;
}

static void markers(rpt_canvas *c, const struct plot *p, const rpt_chart *ch, int linear,
                    double xlo, double xhi) {
  /* labels left to right, each right of its line (left of it near the right edge), on the
   * first of two rows above the plot where it does not overlap the previous label */
  int order[RPT_MAX_MARKERS], n = 0;
  for (int k = 0; k < ch->n_markers && k < RPT_MAX_MARKERS; k++) order[n++] = k;
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && ch->marker[order[j]] < ch->marker[order[j - 1]]; j--) {
      int t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  double end[2] = {-1e9, -1e9};
  for (int i = 0; i < n; i++) {
    int k = order[i];
    double x = marker_x(p, ch, linear, xlo, xhi, ch->marker[k]);
    if (!isfinite(x) || x < p->x0 - 0.5 || x > p->x1 + 0.5) continue;
    rpt_line(c, x, p->y0 - 2, x, p->y1, RPT_C_RED, 1, 3);
    const char *l = ch->marker_label[k];
    if (!l) continue;
    double w = rpt_text_width(c, l, TICK, 0);
    double lx = x + 2 + w > rpt_canvas_width(c) - 2 ? x - 2 - w : x + 2;
    int row = lx > end[0] + 4 ? 0 : 1;
    rpt_text(c, lx, p->y0 - 5 - 10 * (1 - row), l, TICK, RPT_C_RED, RPT_START, 0, 0);
    end[row] = lx + w;
  }
}

/*---------------------------------------------------------------------------------------------
 * charts
 *-------------------------------------------------------------------------------------------*/
void rpt_draw_bars(rpt_canvas *c, const rpt_chart *ch) {
  double lo, hi;
  y_range(ch, &lo, &hi);
  struct ticks t = make_ticks(lo, hi, 5, ch->y_fmt);
  struct plot p = layout(c, ch, max_tick_width(c, &t, ch->y_fmt, ch->lang), ch->labels != NULL);
  y_axis(c, &p, &t, ch->y_fmt, ch->lang, ch->y_title);
  double band = (p.x1 - p.x0) / (double)(ch->n ? ch->n : 1);
  int groups = ch->stacked || ch->n_series < 1 ? 1 : ch->n_series;
  double gap = band > 6 ? band * 0.18 : band > 2 ? 1 : 0;
  double bw = (band - gap) / groups;
  for (size_t i = 0; i < ch->n; i++) {
    double pos = 0, neg = 0;
    for (int s = 0; s < ch->n_series; s++) {
      const rpt_series *se = &ch->series[s];
      double v = se->v ? se->v[i] : NAN;
      if (!isfinite(v) || v == 0) continue;
      double a, b;
      if (ch->stacked) {
        a = v > 0 ? pos : neg;
        b = a + v;
        if (v > 0) pos = b;
        else neg = b;
      } else {
        a = 0;
        b = v;
      }
      double ya = y_of(&p, &t, a), yb = y_of(&p, &t, b);
      double x = p.x0 + i * band + gap / 2 + (ch->stacked ? 0 : s * bw);
      rpt_rect(c, x, fmin(ya, yb), bw, fabs(ya - yb), se->colour, RPT_NONE, 0);
    }
  }
  double y0 = y_of(&p, &t, 0);
  rpt_line(c, p.x0, y0, p.x1, y0, RPT_AXIS, 0.8, 0);
  band_labels(c, &p, ch, band);
  x_title(c, &p, ch->x_title);
  markers(c, &p, ch, 0, 0, 1);
  legend(c, ch, p.x1, 10, 0);
}

void rpt_draw_hbars(rpt_canvas *c, const rpt_chart *ch) {
  double W = rpt_canvas_width(c), H = rpt_canvas_height(c);
  double lw = 0, vmax = 0;
  for (size_t i = 0; i < ch->n; i++) {
    double w = ch->labels && ch->labels[i] ? rpt_text_width(c, ch->labels[i], TICK, 0) : 0;
    if (w > lw) lw = w;
    double v = ch->n_series && ch->series[0].v ? ch->series[0].v[i] : NAN;
    if (isfinite(v) && v > vmax) vmax = v;
  }
  if (lw > 0.45 * W) lw = 0.45 * W;
  char b[64];
  rpt_fmt_value(vmax, ch->y_fmt, -1, ch->lang, b, sizeof b);
  double vw = rpt_text_width(c, b, TICK, 0) + 6;
  double x0 = lw + 8, x1 = W - vw - 4, top = 4, bottom = H - 4;
  if (x1 - x0 < 20) x1 = x0 + 20;
  double band = (bottom - top) / (double)(ch->n ? ch->n : 1);
  double bh = fmin(band * 0.7, 16);
  for (size_t i = 0; i < ch->n; i++) {
    double yc = top + (i + 0.5) * band;
    if (ch->labels && ch->labels[i]) {
      /* a long label is cut to the label column */
      const char *l = ch->labels[i];
      rpt_text(c, x0 - 5, yc + 2.6, l, TICK, RPT_INK, RPT_END, 0, 0);
    }
    double v = ch->n_series && ch->series[0].v ? ch->series[0].v[i] : NAN;
    if (!isfinite(v)) continue;
    double w = vmax > 0 ? fmax(v, 0) / vmax * (x1 - x0) : 0;
    rpt_rect(c, x0, yc - bh / 2, w, bh, ch->series[0].colour, RPT_NONE, 0);
    rpt_fmt_value(v, ch->y_fmt, -1, ch->lang, b, sizeof b);
    rpt_text(c, x0 + w + 3, yc + 2.6, b, TICK, RPT_AXIS, RPT_START, 0, 0);
  }
  rpt_line(c, x0, top, x0, bottom, RPT_AXIS, 0.8, 0);
}


void rpt_draw_lines(rpt_canvas *c, const rpt_chart *ch) {
  double lo, hi;
  rpt_chart tmp = *ch;
  tmp.stacked = 0;
  y_range(&tmp, &lo, &hi);
  struct ticks t = make_ticks(lo, hi, 5, ch->y_fmt);
  if (ch->y_max > ch->y_min) t = make_ticks(ch->y_min, ch->y_max, 5, ch->y_fmt);
  double xlo = 0, xhi = 1;
  int have = 0;
  for (size_t i = 0; ch->x && i < ch->n; i++)
    if (isfinite(ch->x[i])) {
      if (!have || ch->x[i] < xlo) xlo = ch->x[i];
      if (!have || ch->x[i] > xhi) xhi = ch->x[i];
      have = 1;
    }
  if (ch->x_max > ch->x_min) xlo = ch->x_min, xhi = ch->x_max;
  if (!(xhi > xlo)) xhi = xlo + 1;
  struct ticks tx = make_ticks(xlo, xhi, 6, ch->x_fmt);
  if (ch->x_max > ch->x_min) tx = make_ticks(xlo, xhi, 5, ch->x_fmt);
  else xlo = tx.lo, xhi = tx.hi;
  struct plot p = layout(c, ch, max_tick_width(c, &t, ch->y_fmt, ch->lang), 1);
  y_axis(c, &p, &t, ch->y_fmt, ch->lang, ch->y_title);
  char b[64];
  for (int k = 0; k < tx.n; k++) {
    double v = tx.lo + k * tx.step, x = marker_x(&p, ch, 1, xlo, xhi, v);
    if (x < p.x0 - 0.5 || x > p.x1 + 0.5) continue;
    rpt_line(c, x, p.y1, x, p.y1 + 3, RPT_AXIS, 0.5, 0);
    tick_label(v, ch->x_fmt, tx.dec, ch->lang, b, sizeof b);
    rpt_text(c, x, p.y1 + 11, b, TICK, RPT_AXIS, RPT_MIDDLE, 0, 0);
  }
  rpt_line(c, p.x0, p.y1, p.x1, p.y1, RPT_AXIS, 0.8, 0);
  rpt_line(c, p.x0, p.y0, p.x0, p.y1, RPT_AXIS, 0.8, 0);
  if (ch->diagonal) {
    double a = fmax(xlo, t.lo), e = fmin(xhi, t.hi);
    if (e > a)
      rpt_line(c, marker_x(&p, ch, 1, xlo, xhi, a), y_of(&p, &t, a), marker_x(&p, ch, 1, xlo, xhi, e), y_of(&p, &t, e),
               RPT_C_GREY, 0.8, 3);
  }
  double *xy = malloc((ch->n ? ch->n : 1) * 2 * sizeof *xy);
  for (int s = 0; xy && ch->x && s < ch->n_series; s++) {
    const rpt_series *se = &ch->series[s];
    if (!se->v) continue;
    size_t m = 0;
    for (size_t i = 0; i <= ch->n; i++) {
      int ok = i < ch->n && isfinite(se->v[i]) && isfinite(ch->x[i]);
      if (ok) {
        xy[2 * m] = marker_x(&p, ch, 1, xlo, xhi, ch->x[i]);
        xy[2 * m + 1] = y_of(&p, &t, se->v[i]);
        m++;
      }
      if (!ok || i == ch->n) { /* a gap or the end: draw the run */
        rpt_polyline(c, xy, m, se->colour, 1.6, se->dashed ? 4 : 0);
        if (se->points)
          for (size_t j = 0; j < m; j++) rpt_circle(c, xy[2 * j], xy[2 * j + 1], 2.6, se->colour, 0xFFFFFF);
        m = 0;
      }
    }
  }
  free(xy);
  x_title(c, &p, ch->x_title);
  markers(c, &p, ch, 1, xlo, xhi);
  legend(c, ch, p.x1, 10, 1);
}

/* white (t = 0) to the report blue (t = 1) */
static rpt_rgb ramp(double t) {
  if (!(t > 0)) t = 0;
  if (t > 1) t = 1;
  static const double a[3] = {255, 255, 255}, b[3] = {0x1D, 0x4F, 0x91};
  unsigned r = (unsigned)lround(a[0] + (b[0] - a[0]) * t);
  unsigned g = (unsigned)lround(a[1] + (b[1] - a[1]) * t);
  unsigned bl = (unsigned)lround(a[2] + (b[2] - a[2]) * t);
  return (r << 16) | (g << 8) | bl;
}

void rpt_draw_heatmap(rpt_canvas *c, const rpt_heat *h) {
  double W = rpt_canvas_width(c), H = rpt_canvas_height(c);
  double lw = 0;
  for (size_t r = 0; h->row_labels && r < h->rows; r++) {
    double w = h->row_labels[r] ? rpt_text_width(c, h->row_labels[r], TICK, 0) : 0;
    if (w > lw) lw = w;
  }
  double x0 = lw + 8 + (h->y_title ? 14 : 0), x1 = W - 46, y0 = 4;
  double y1 = H - 14 - (h->x_title ? 13 : 0);
  if (x1 - x0 < 20) x1 = x0 + 20;
  double cw = (x1 - x0) / (double)(h->cols ? h->cols : 1);
  double chh = (y1 - y0) / (double)(h->rows ? h->rows : 1);
  double range = h->hi > h->lo ? h->hi - h->lo : 1;
  char b[64];
  for (size_t r = 0; r < h->rows; r++) {
    for (size_t k = 0; k < h->cols; k++) {
      double v = h->v ? h->v[r * h->cols + k] : NAN;
      double x = x0 + k * cw, y = y0 + r * chh;
      if (!isfinite(v)) continue;
      double t = (v - h->lo) / range;
      rpt_rect(c, x, y, cw, chh, ramp(t), 0xFFFFFF, 0.6);
      const char *txt = h->cell_text ? h->cell_text[r * h->cols + k] : NULL;
      char one[64];
      if (!txt) {
        rpt_fmt_value(v, h->fmt, -1, h->lang, one, sizeof one);
        txt = one;
      }
      /* lines split at '\n'; written when they fit the cell */
      char lines[4][64];
      int nl = 0;
      for (const char *s = txt; *s && nl < 4;) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n > 63) n = 63;
        memcpy(lines[nl], s, n);
        lines[nl++][n] = '\0';
        s += n + (e != NULL);
        if (!e) break;
      }
      double size = chh >= 24 && cw >= 40 ? 8 : 6.5;
      double wmax = 0;
      for (int i = 0; i < nl; i++) wmax = fmax(wmax, rpt_text_width(c, lines[i], size, 0));
      if (wmax + 3 > cw || nl * size * 1.2 + 1 > chh) continue;
      rpt_rgb ink = t > 0.55 ? 0xFFFFFF : RPT_INK;
      double top = y + chh / 2 - nl * size * 1.2 / 2 + size * 0.95;
      for (int i = 0; i < nl; i++)
        rpt_text(c, x + cw / 2, top + i * size * 1.2, lines[i], size, ink, RPT_MIDDLE, i == 0 && nl > 1, 0);
    }
    if (h->row_labels && h->row_labels[r]) {
      size_t every = (size_t)ceil(9.0 / (chh > 0 ? chh : 1));
      if (every < 1) every = 1;
      if (r % every == 0)
        rpt_text(c, x0 - 4, y0 + (r + 0.5) * chh + 2.6, h->row_labels[r], TICK, RPT_AXIS, RPT_END, 0, 0);
    }
  }
  if (h->col_labels) {
    double wmax = 0;
    for (size_t k = 0; k < h->cols; k++)
      if (h->col_labels[k]) wmax = fmax(wmax, rpt_text_width(c, h->col_labels[k], TICK, 0));
    size_t every = (size_t)ceil((wmax + 4) / (cw > 0 ? cw : 1));
    if (every < 1) every = 1;
    for (size_t k = 0; k < h->cols; k += every)
      if (h->col_labels[k])
        rpt_text(c, x0 + (k + 0.5) * cw, y1 + 10, h->col_labels[k], TICK, RPT_AXIS, RPT_MIDDLE, 0, 0);
  }
  if (h->x_title) rpt_text(c, (x0 + x1) / 2, H - 3, h->x_title, TITLE, RPT_AXIS, RPT_MIDDLE, 0, 0);
  if (h->y_title) rpt_text(c, 9, (y0 + y1) / 2, h->y_title, TITLE, RPT_AXIS, RPT_MIDDLE, 0, -90);
  /* the colour scale */
  double sx = x1 + 10, sw = 9, sy0 = y0 + 4, sy1 = fmin(y1, y0 + 140);
  if (sy1 - sy0 < 20) sy1 = sy0 + 20;
  int steps = 20;
  for (int i = 0; i < steps; i++) {
    double t0 = (double)i / steps;
    double ya = sy1 - (t0 + 1.0 / steps) * (sy1 - sy0);
    rpt_rect(c, sx, ya, sw, (sy1 - sy0) / steps + 0.3, ramp(t0 + 0.5 / steps), RPT_NONE, 0);
  }
  rpt_rect(c, sx, sy0, sw, sy1 - sy0, RPT_NONE, RPT_GRID, 0.5);
  rpt_fmt_value(h->hi, h->fmt, -1, h->lang, b, sizeof b);
  rpt_text(c, sx + sw + 2, sy0 + 3, b, 6.5, RPT_AXIS, RPT_START, 0, 0);
  rpt_fmt_value(h->lo, h->fmt, -1, h->lang, b, sizeof b);
  rpt_text(c, sx + sw + 2, sy1, b, 6.5, RPT_AXIS, RPT_START, 0, 0);
}
