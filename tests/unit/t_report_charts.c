/* SPDX-License-Identifier: MIT
 * The report's drawing layer and document: number formats in both languages, every chart
 * type as SVG (well-formed enough to be self-contained: escaped text, no NaN, deterministic)
 * and through cairo onto pixels (bar heights in proportion to their values, an empty bar
 * leaves its column white, heat-map cells coloured by value), text measured alike by both
 * back ends, empty and all-NaN charts, and the document built from partial or odd
 * results.json trees without a crash. */
#include <cairo.h>
#include <jansson.h>
#include <stdlib.h>

#include "charts.h"
#include "harness.h"
#include "report.h"

static void fmt_table(void) {
  static const struct {
    double v;
    int fmt, dec;
    const char *lang, *want;
  } t[] = {
      {1234567, RPT_FMT_NUM, -1, "en", "1,234,567"},
      {1234567, RPT_FMT_NUM, -1, "ja", "1,234,567"},
      {-1234.5, RPT_FMT_NUM, 1, "en", "-1,234.5"},
      {0, RPT_FMT_NUM, -1, "en", "0"},
      {2.5, RPT_FMT_NUM, -1, "en", "2.50"},
      {999, RPT_FMT_NUM, -1, "en", "999"},
      {0.253, RPT_FMT_PCT, 1, "en", "25.3%"},
      {0.253, RPT_FMT_PCT, -1, "ja", "25%"},
      {0.004, RPT_FMT_PCT, -1, "en", "0.4%"},
      {0, RPT_FMT_PCT, -1, "en", "0%"},
      {1, RPT_FMT_PCT, 0, "en", "100%"},
      {9410, RPT_FMT_YEN, -1, "ja", "9,410円"},
      {9410, RPT_FMT_YEN, -1, "en", "¥9,410"},
      {244091.94, RPT_FMT_YEN, -1, "ja", "24.4万円"},
      {244091.94, RPT_FMT_YEN, -1, "en", "¥244k"},
      {50000, RPT_FMT_YEN, -1, "ja", "5万円"},
      {12345678, RPT_FMT_YEN, -1, "en", "¥12.3M"},
      {12345678, RPT_FMT_YEN, -1, "ja", "1,235万円"},
      {3.2e9, RPT_FMT_YEN, -1, "ja", "32億円"},
      {3.2e9, RPT_FMT_YEN, -1, "en", "¥3.2B"},
      {-20000, RPT_FMT_YEN, -1, "en", "-¥20k"},
      {90, RPT_FMT_DAYS, -1, "ja", "90日"},
      {90, RPT_FMT_DAYS, -1, "en", "90 d"},
      {-0.3, RPT_FMT_DAYS, -1, "en", "0 d"},  /* never "-0" */
      {-0.3, RPT_FMT_YEN, 2, "en", "-¥0.30"}, /* a sign that shows keeps it */
      {-0.3, RPT_FMT_PCT, 0, "en", "-30%"},
      {NAN, RPT_FMT_NUM, -1, "en", "–"},
  };
  char b[64];
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    CHECK_EQ_STR(rpt_fmt_value(t[i].v, t[i].fmt, t[i].dec, t[i].lang, b, sizeof b), t[i].want);
  CHECK_EQ_STR(rpt_fmt_value(1234567, RPT_FMT_NUM, -1, "en", b, 4), "1,2");
}

static const char *labels[] = {"新規 <a&b>", "稼働", "離脱予兆"};
static double three[] = {0, 50, 100};

static rpt_chart bar_chart(void) {
  rpt_chart ch;
  memset(&ch, 0, sizeof ch);
  ch.lang = "ja";
  ch.n = 3;
  ch.labels = labels;
  ch.y_title = "顧客数";
  ch.n_series = 1;
  ch.series[0] = (rpt_series){"件数", three, RPT_C_BLUE, 0, 0};
  ch.n_markers = 1;
  ch.marker[0] = 1.5;
  ch.marker_label[0] = "基準";
  return ch;
}

static double hv[] = {0.1, NAN, 0.5, 0.9};
static const char *rl[] = {"R2", "R1"}, *cl[] = {"F1", "F2"};

static rpt_heat heat(void) {
  rpt_heat h;
  memset(&h, 0, sizeof h);
  h.lang = "en";
  h.rows = h.cols = 2;
  h.row_labels = rl;
  h.col_labels = cl;
  h.v = hv;
  h.lo = 0;
  h.hi = 1;
  h.fmt = RPT_FMT_PCT;
  return h;
}

enum { K_BARS, K_HBARS, K_LINES, K_HEAT, K_EMPTY, K_NAN, K_HUGE };

static void draw(rpt_canvas *c, int kind) {
  rpt_chart ch = bar_chart();
  static double x[] = {0, 0.5, 1}, nan3[] = {NAN, NAN, NAN};
  rpt_heat h = heat();
  switch (kind) {
  case K_BARS: rpt_draw_bars(c, &ch); break;
  case K_HBARS: rpt_draw_hbars(c, &ch); break;
  case K_LINES:
    ch.x = x;
    ch.diagonal = 1;
    ch.series[0].points = 1;
    ch.n_series = 2;
    ch.series[1] = (rpt_series){"モデル", x, RPT_C_ORANGE, 1, 0};
    rpt_draw_lines(c, &ch);
    break;
  case K_HEAT: rpt_draw_heatmap(c, &h); break;
  case K_EMPTY:
    ch.n = 0;
    rpt_draw_bars(c, &ch);
    rpt_draw_lines(c, &ch);
    h.rows = h.cols = 0;
    rpt_draw_heatmap(c, &h);
    break;
  case K_HUGE: { /* absurd values: clamped axes, finite output */
    static double huge[] = {1e300, -1e300, INFINITY}, hx[] = {-1e308, 0, 1e308};
    ch.series[0].v = huge;
    rpt_draw_bars(c, &ch);
    rpt_draw_hbars(c, &ch);
    ch.x = hx;
    rpt_draw_lines(c, &ch);
    ch.x_min = 0;
    ch.x_max = 1e-300;
    rpt_draw_lines(c, &ch);
    break;
  }
  case K_NAN:
    ch.series[0].v = nan3;
    ch.x = x;
    rpt_draw_bars(c, &ch);
    rpt_draw_lines(c, &ch);
    rpt_draw_hbars(c, &ch);
    break;
  }
}

static char *svg_of(int kind, size_t *len) {
  rpt_canvas *c = rpt_canvas_svg(400, 200, "Noto Sans CJK JP");
  if (!c) return NULL;
  draw(c, kind);
  return rpt_canvas_svg_take(c, len);
}

static void svg_checks(void) {
  for (int k = K_BARS; k <= K_HUGE; k++) {
    size_t n1 = 0, n2 = 0;
    char *a = svg_of(k, &n1), *b = svg_of(k, &n2);
    CHECK(a && b);
    if (!a || !b) {
      free(a), free(b);
      continue;
    }
    CHECK(!strncmp(a, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
    CHECK(n1 > 6 && !strcmp(a + n1 - 6, "</svg>"));
    CHECK(n1 == n2 && !memcmp(a, b, n1)); /* deterministic */
    CHECK(!strstr(a, "nan") && !strstr(a, "inf"));
    CHECK(!strstr(a + 40, "http")); /* only the namespace */
    if (k == K_BARS || k == K_HBARS) {
      CHECK(strstr(a, "新規 &lt;a&amp;b&gt;") != NULL); /* CJK verbatim, markup escaped */
      CHECK(strstr(a, "<a&b>") == NULL);
    }
    if (k == K_LINES) CHECK(strstr(a, "<polyline") && strstr(a, "<circle"));
    if (k == K_HEAT) CHECK(strstr(a, "50%") && strstr(a, "90%"));
    free(a);
    free(b);
  }
}

/* the surface pixel at (x, y) as 0xRRGGBB */
static unsigned px(cairo_surface_t *s, int x, int y) {
  const unsigned char *d = cairo_image_surface_get_data(s);
  const uint32_t *row = (const uint32_t *)(d + (size_t)y * (size_t)cairo_image_surface_get_stride(s));
  return row[x] & 0xFFFFFF;
}

static cairo_surface_t *raster(int kind) {
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 800, 400);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, 2, 2); /* 400 x 200 pt at 2 px per pt */
  rpt_canvas *c = rpt_canvas_cairo(cr, 400, 200, "Noto Sans CJK JP");
  draw(c, kind);
  rpt_canvas_free(c);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  return s;
}

static void raster_checks(void) {
  cairo_surface_t *s = raster(K_BARS);
  int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
  /* bar columns: runs of the bar colour on a row just above the axis */
  int bottom = -1;
  for (int y = H - 1; y >= 0 && bottom < 0; y--)
    for (int x = 0; x < W; x++)
      if (px(s, x, y) == RPT_C_BLUE) {
        bottom = y;
        break;
      }
  CHECK(bottom > H / 2);
  int runs = 0, start[4] = {0}, end[4] = {0};
  for (int x = 0, in = 0; x < W && bottom >= 0; x++) {
    int on = px(s, x, bottom - 2) == RPT_C_BLUE;
    if (on && !in && runs < 4) start[runs] = x;
    if (!on && in && runs < 4) end[runs++] = x;
    in = on;
  }
  CHECK_EQ_INT(runs, 2); /* the bar of value 0 is not drawn */
  if (runs == 2) {
    int height[2];
    for (int r = 0; r < 2; r++) {
      int x = (start[r] + end[r]) / 2, h = 0;
      for (int y = 0; y < H; y++) h += px(s, x, y) == RPT_C_BLUE;
      height[r] = h;
    }
    CHECK_NEAR((double)height[1] / height[0], 2.0, 0.05); /* 100 vs 50 */
    /* the first category's column (value 0): white above the axis */
    int gap = end[0] - start[0], x0 = start[0] - (start[1] - start[0]) + gap / 2, ink = 0;
    for (int y = bottom - 120; y < bottom - 2; y++) { /* bluish pixels (grid lines are grey) */
      unsigned c = px(s, x0, y);
      ink += (int)(c & 255) - (int)((c >> 16) & 255) > 40;
    }
    CHECK_EQ_INT(ink, 0);
  }
  cairo_surface_destroy(s);
  /* heat map: the 90% cell is darker than the 10% one, the NaN cell is left white */
  s = raster(K_HEAT);
  size_t dark = 0, light = 0;
  for (int y = 0; y < cairo_image_surface_get_height(s); y++)
    for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
      unsigned c = px(s, x, y);
      int lum = (int)(((c >> 16) & 255) + ((c >> 8) & 255) + (c & 255));
      dark += lum < 350;
      light += lum > 650 && c != 0xFFFFFF;
    }
  CHECK(dark > 1000);
  CHECK(light > 1000);
  cairo_surface_destroy(s);
  for (int k = K_HBARS; k <= K_HUGE; k++) { /* no crash; lines and heat draw ink */
    s = raster(k);
    size_t ink = 0;
    for (int y = 0; y < cairo_image_surface_get_height(s); y++)
      for (int x = 0; x < cairo_image_surface_get_width(s); x++) ink += px(s, x, y) != 0xFFFFFF;
    CHECK(k >= K_EMPTY || ink > 2000);
    cairo_surface_destroy(s);
  }
}

static void text_width(void) {
  rpt_canvas *a = rpt_canvas_svg(100, 100, "Noto Sans CJK JP");
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t *cr = cairo_create(s);
  rpt_canvas *b = rpt_canvas_cairo(cr, 100, 100, "Noto Sans CJK JP");
  double wa = rpt_text_width(a, "顧客", 10, 0), wb = rpt_text_width(b, "顧客", 10, 0);
  CHECK_NEAR(wa, 20, 1.0); /* two full-width characters of 10 pt */
  CHECK_NEAR(wa, wb, 1e-9);
  CHECK(rpt_text_width(a, "顧客", 10, 1) >= wa);
  CHECK(rpt_text_width(a, "", 10, 0) == 0);
  rpt_canvas_free(a);
  rpt_canvas_free(b);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

/* the document from partial and odd trees: every section present, no NaN in the text */
static void documents(void) {
  static const char *const trees[] = {
      "{\"data\": {}, \"states\": {}}",
      "{\"data\": {\"customers\": \"many\"}, \"states\": [], \"history\": {\"months\": [1, 2],"
      " \"cohorts\": [[0], [\"x\"]], \"weeks\": {\"repeat\": [1, 2], \"model_repeat\": [1]}},"
      " \"model\": {\"validation\": [{\"model\": \"gbm\", \"ok\": true, \"calibration\": [{}],"
      " \"gains\": [0, 1]}, 7]}, \"scores\": {\"risk_hist\": [1, null], \"rfm_rf_customers\":"
      " [1, 2, 3, 4, 5]}, \"churn_definition\": {\"interval_histogram\": {\"bin_days\": 0,"
      " \"counts\": [1, 2]}}}",
      "{\"data\": {\"customers\": 10}, \"states\": {\"dormant\": 10}, \"history\": {\"months\":"
      " [\"2020-01\", \"2020-02\"], \"cohorts\": [[10, 2], [0]], \"states\": {\"dormant\":"
      " [0, 10]}}, \"churn_definition\": {\"interval_histogram\": {\"bin_days\": 7, \"counts\":"
      " [3, 0, 1]}, \"dormant_days\": 90}}",
  };
  for (size_t k = 0; k < sizeof trees / sizeof trees[0]; k++) {
    json_error_t e;
    json_t *root = json_loads(trees[k], 0, &e);
    CHECK(root != NULL);
    char err[256];
    for (int l = 0; l < 2 && root; l++) {
      rpt_doc *d = rpt_report_build(root, l ? "en" : "ja", "test", err, sizeof err);
      CHECK(d != NULL);
      if (!d) continue;
      char *html = NULL;
      size_t len = 0;
      CHECK_EQ_INT(rpt_doc_html(d, &html, &len), 0);
      if (html) {
        int sections = 0;
        for (int s = 1; s <= 10; s++) {
          char id[32];
          snprintf(id, sizeof id, "<section id=\"s%d\">", s);
          sections += strstr(html, id) != NULL;
        }
        CHECK_EQ_INT(sections, 10);
        CHECK(!strstr(html, "nan") && !strstr(html, "NaN"));
        CHECK(len == strlen(html));
      }
      free(html);
      rpt_doc_free(d);
    }
    json_decref(root);
  }
  json_t *bad = json_loads("{\"format\": \"other\", \"data\": {}, \"states\": {}}", 0, NULL);
  char err[256] = "";
  CHECK(rpt_report_build(bad, "ja", "test", err, sizeof err) == NULL);
  CHECK(strstr(err, "not a rouse results.json") != NULL);
  json_decref(bad);
}

int main(void) {
  fmt_table();
  svg_checks();
  raster_checks();
  text_width();
  documents();
  return done_testing();
}
