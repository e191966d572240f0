/* SPDX-License-Identifier: MIT
 * Fuzz target: the report builder on any results.json (rpt_report_build: the reader of the
 * JSON that `rouse report` loads). The input is parsed with jansson; a tree that is not an
 * object with "data" and "states" is refused with a message. Otherwise, in both languages,
 * the document is built (never NULL but for out of memory), starts with the title, has the
 * ten sections s1 .. s10 in order, every block's text is valid UTF-8 without "nan", every
 * table's cells are set and every chart's arrays have the lengths it claims. Drawing is not
 * fuzzed (it is the fonts' work, and each chart type is covered by t_report_charts). */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "report.h"

static int utf8_ok(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int n = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2 : (*p >> 3) == 30 ? 3 : -1;
    if (n < 0) return 0;
    for (int k = 1; k <= n; k++)
      if ((p[k] & 0xC0) != 0x80) return 0;
    p += n + 1;
  }
  return 1;
}

static void text_ok(const char *s) {
  if (!s) return;
  FUZZ_ASSERT(utf8_ok(s));
}

static void check(const rpt_doc *d) {
  FUZZ_ASSERT(d->n > 0 && d->b[0].kind == RPT_B_TITLE);
  int section = 0;
  for (size_t i = 0; i < d->n; i++) {
    const rpt_block *b = &d->b[i];
    text_ok(b->text);
    text_ok(b->sub);
    text_ok(b->caption);
    if (b->kind == RPT_B_SECTION) {
      char id[16];
      snprintf(id, sizeof id, "s%d", ++section);
      FUZZ_ASSERT(b->id && !strcmp(b->id, id));
    }
    if (b->kind == RPT_B_TABLE || b->kind == RPT_B_BULLETS) {
      size_t cells = b->kind == RPT_B_TABLE ? b->n_rows * b->n_cols : b->n_rows;
      for (size_t k = 0; k < cells; k++) {
        FUZZ_ASSERT(b->cells[k] != NULL);
        text_ok(b->cells[k]);
      }
    }
    if (b->kind == RPT_B_CHART) {
      FUZZ_ASSERT(b->height > 0);
      if (b->chart_kind == RPT_CH_HEAT) {
        for (size_t k = 0; k < b->heat.rows * b->heat.cols; k++) FUZZ_ASSERT(!isinf(b->heat.v[k]));
      } else {
        FUZZ_ASSERT(b->chart.n_series >= 0 && b->chart.n_series <= RPT_MAX_SERIES);
        for (int s = 0; s < b->chart.n_series; s++)
          for (size_t k = 0; b->chart.series[s].v && k < b->chart.n; k++)
            (void)b->chart.series[s].v[k]; /* in bounds (ASan) */
        for (size_t k = 0; b->chart.labels && k < b->chart.n; k++) text_ok(b->chart.labels[k]);
        for (size_t k = 0; b->chart.x && k < b->chart.n; k++) (void)b->chart.x[k];
      }
    }
  }
  FUZZ_ASSERT(section == 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_error_t e;
  json_t *root = json_loadb((const char *)data, size, JSON_DECODE_ANY, &e);
  if (!root) return 0;
  for (int l = 0; l < 2; l++) {
    char err[256] = "";
    rpt_doc *d = rpt_report_build(root, l ? "en" : "ja", "fuzz", err, sizeof err);
    int shape = json_is_object(root) && json_object_get(root, "data") &&
                json_object_get(root, "states");
    if (!d) {
      FUZZ_ASSERT(err[0] != '\0');
      FUZZ_ASSERT(!shape || strstr(err, "not a rouse") || strstr(err, "memory"));
      continue;
    }
    FUZZ_ASSERT(shape);
    check(d);
    rpt_doc_free(d);
  }
  json_decref(root);
  return 0;
}
