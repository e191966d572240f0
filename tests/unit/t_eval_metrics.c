/* SPDX-License-Identifier: MIT
 * Evaluation metrics of lib/eval/metrics.c: hand-computed tiny cases, misuse and domain
 * errors, allocation failure, bit-identical results under row permutations, and reference
 * values from tests/numeric/eval_reference.tsv (tools/numeric/gen_eval.py, plain numpy) to
 * 1e-12 relative. The reference inputs are regenerated here with the script's splitmix64. */
#include <stdlib.h>

#include "../numeric/model_data.h"
#include "eval/eval.h"
#include "harness.h"

/*---------------------------------------------------------------------
 * Helpers
 *--------------------------------------------------------------------*/
#define REL_TOL 1e-12

static void check_rel(const char *what, const char *name, double got, double want) {
  double err = fabs(got - want), lim = REL_TOL * fabs(want) + 1e-300;
  t_n++;
  if (err <= lim && isfinite(got)) printf("ok %d - %s %s = %.17g\n", t_n, name, what, got);
  else {
    t_fail++;
    printf("not ok %d - %s %s = %.17g, want %.17g (rel err %.3g)\n", t_n, name, what, got, want,
           want != 0 ? err / fabs(want) : err);
  }
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

struct sm64 {
  uint64_t x;
};
static uint64_t sm_next(struct sm64 *g) {
  uint64_t z = (g->x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static double sm_unif(struct sm64 *g) { return (double)(sm_next(g) >> 11) * (1.0 / 9007199254740992.0); }

/* same draws as draw() in tools/numeric/gen_eval.py */
static int draw(const char *kind, uint64_t seed, size_t n, double *p, uint8_t *y) {
  struct sm64 g = {seed};
  for (size_t i = 0; i < n; i++) {
    double u1 = sm_unif(&g), u2 = sm_unif(&g), u3 = sm_unif(&g), v;
    if (!strcmp(kind, "cont")) v = u1;
    else if (!strcmp(kind, "tied")) v = floor(u1 * 20.0) / 20.0;
    else if (!strcmp(kind, "rare")) v = 0.3 * (u1 * u1);
    else if (!strcmp(kind, "rfm")) v = (floor(u1 * 5.0) + floor(u3 * 5.0)) / 8.0;
    else if (!strcmp(kind, "const")) v = 0.25;
    else return -1;
    p[i] = v;
    y[i] = u2 < v;
  }
  return 0;
}

/* every metric of one input, for bitwise comparisons */
struct all {
  int rc[6];
  double auc, ap, lift, brier, ll, ece_u, ece_q;
  rouse_eval_bin bu[32], bq[32];
};

static void eval_all(const double *p, const uint8_t *y, size_t n, double top, int B,
                     struct all *a) {
  memset(a, 0, sizeof *a);
  a->rc[0] = rouse_eval_auc(p, y, n, &a->auc);
  a->rc[1] = rouse_eval_average_precision(p, y, n, &a->ap);
  a->rc[2] = rouse_eval_lift(p, y, n, top, &a->lift);
  a->rc[3] = rouse_eval_brier(p, y, n, &a->brier) | rouse_eval_log_loss(p, y, n, &a->ll);
  a->rc[4] = rouse_eval_calibration(p, y, n, B, ROUSE_EVAL_BINS_UNIFORM, a->bu, &a->ece_u);
  a->rc[5] = rouse_eval_calibration(p, y, n, B, ROUSE_EVAL_BINS_QUANTILE, a->bq, &a->ece_q);
}

/*---------------------------------------------------------------------
 * Hand-computed cases
 *--------------------------------------------------------------------*/
static void test_tiny(void) {
  double v;
  /* sklearn's documented example: roc_auc 0.75, average_precision 0.8333... */
  double s1[] = {0.1, 0.4, 0.35, 0.8};
  uint8_t y1[] = {0, 0, 1, 1};
  CHECK_EQ_INT(rouse_eval_auc(s1, y1, 4, &v), ROUSE_OK);
  CHECK(v == 0.75);
  CHECK_EQ_INT(rouse_eval_average_precision(s1, y1, 4, &v), ROUSE_OK);
  CHECK_NEAR(v, 5.0 / 6.0, 1e-15);

  /* ties: scores 3,2,2,1 with labels 1,1,0,0; U = 1 + 1 + 1/2 + 1 = 3.5 of 4 pairs */
  double s2[] = {2, 1, 3, 2};
  uint8_t y2[] = {0, 0, 1, 1};
  CHECK_EQ_INT(rouse_eval_auc(s2, y2, 4, &v), ROUSE_OK);
  CHECK(v == 0.875);
  /* thresholds 3 (P 1, R 1/2) and 2 (P 2/3, R 1): AP = 1/2 + 1/3 */
  CHECK_EQ_INT(rouse_eval_average_precision(s2, y2, 4, &v), ROUSE_OK);
  CHECK_NEAR(v, 0.5 + 1.0 / 3.0, 1e-15);
  /* top half = 2 rows: the 3 (positive) and half of the tied pair {2+, 2-}: 1.5 positives;
   * rate 0.75 over base rate 0.5 */
  CHECK_EQ_INT(rouse_eval_lift(s2, y2, 4, 0.5, &v), ROUSE_OK);
  CHECK(v == 1.5);
  CHECK_EQ_INT(rouse_eval_lift(s2, y2, 4, 0.25, &v), ROUSE_OK);
  CHECK(v == 2.0);
  CHECK_EQ_INT(rouse_eval_lift(s2, y2, 4, 1.0, &v), ROUSE_OK);
  CHECK(v == 1.0);
  /* top 10% of 4 rows = 0.4 of the top row (a positive): lift = 0.4 / (0.1 * 2) = 2 */
  CHECK_EQ_INT(rouse_eval_lift(s2, y2, 4, ROUSE_EVAL_DEFAULT_TOP, &v), ROUSE_OK);
  CHECK_NEAR(v, 2.0, 1e-15);

  /* all scores equal: AUC 1/2, AP = base rate, lift 1 */
  double s3[] = {0.5, 0.5, 0.5, 0.5, 0.5};
  uint8_t y3[] = {1, 0, 0, 1, 0};
  CHECK_EQ_INT(rouse_eval_auc(s3, y3, 5, &v), ROUSE_OK);
  CHECK(v == 0.5);
  CHECK_EQ_INT(rouse_eval_average_precision(s3, y3, 5, &v), ROUSE_OK);
  CHECK(v == 0.4);
  CHECK_EQ_INT(rouse_eval_lift(s3, y3, 5, 0.1, &v), ROUSE_OK);
  CHECK_NEAR(v, 1.0, 1e-15);

  /* perfect and reversed ranking */
  double s4[] = {1, 2, 3, 4};
  uint8_t y4[] = {0, 0, 1, 1}, y4r[] = {1, 1, 0, 0};
  CHECK_EQ_INT(rouse_eval_auc(s4, y4, 4, &v), ROUSE_OK);
  CHECK(v == 1.0);
  CHECK_EQ_INT(rouse_eval_auc(s4, y4r, 4, &v), ROUSE_OK);
  CHECK(v == 0.0);

  /* Brier and log loss */
  double p5[] = {0.2, 0.7};
  uint8_t y5[] = {0, 1};
  CHECK_EQ_INT(rouse_eval_brier(p5, y5, 2, &v), ROUSE_OK);
  CHECK_NEAR(v, (0.04 + 0.09) / 2, 1e-15);
  CHECK_EQ_INT(rouse_eval_log_loss(p5, y5, 2, &v), ROUSE_OK);
  CHECK_NEAR(v, -(log(0.8) + log(0.7)) / 2, 1e-15);
  /* clipping: p = 0 with y = 1 and p = 1 with y = 0 give -log(1e-15) each, finite */
  double p6[] = {0.0, 1.0, 1.0, 0.0};
  uint8_t y6[] = {1, 0, 1, 0};
  CHECK_EQ_INT(rouse_eval_log_loss(p6, y6, 4, &v), ROUSE_OK);
  CHECK(isfinite(v));
  CHECK_NEAR(v, (-log(1e-15) - log1p(-(1 - 1e-15)) - log(1 - 1e-15) - log1p(-1e-15)) / 4, 1e-12);
  CHECK_EQ_INT(rouse_eval_brier(p6, y6, 4, &v), ROUSE_OK);
  CHECK(v == 0.5);

  /* ECE, uniform bins: bin 0 {0.05|0}, bin 1 {0.15|1, 0.15|0}, bin 9 {1.0|1, 0.95|1};
   * |0.05-0| + |0.3-1| + |1.95-2| = 0.8 over 5 rows */
  double p7[] = {0.15, 0.05, 1.0, 0.15, 0.95};
  uint8_t y7[] = {1, 0, 1, 0, 1};
  rouse_eval_bin bins[10];
  CHECK_EQ_INT(rouse_eval_calibration(p7, y7, 5, 10, ROUSE_EVAL_BINS_UNIFORM, bins, &v), ROUSE_OK);
  CHECK_NEAR(v, 0.8 / 5, 1e-15);
  CHECK(bins[0].count == 1 && bins[0].mean_pred == 0.05 && bins[0].obs_rate == 0);
  CHECK(bins[1].count == 2 && bins[1].mean_pred == 0.15 && bins[1].obs_rate == 0.5);
  CHECK(bins[9].count == 2 && bins[9].obs_rate == 1 && bins[9].hi == 1.0);
  CHECK_NEAR(bins[9].mean_pred, 0.975, 1e-15);
  CHECK(bins[5].count == 0 && bins[5].mean_pred == 0 && bins[5].obs_rate == 0);
  CHECK(bins[5].lo == 0.5 && bins[5].hi == 0.6);

  /* ECE, quantile bins, B = 2 on 0.1|0, 0.2|1, 0.2|0, 0.3|1: the tied 0.2 pair is shared,
   * so bin 0 = {0.1|0, one half of the pair} and bin 1 = {the other half, 0.3|1};
   * |0.3 - 0.5| + |0.5 - 1.5| = 1.2 over 4 rows */
  double p8[] = {0.2, 0.3, 0.1, 0.2};
  uint8_t y8[] = {0, 1, 0, 1};
  CHECK_EQ_INT(rouse_eval_calibration(p8, y8, 4, 2, ROUSE_EVAL_BINS_QUANTILE, bins, &v), ROUSE_OK);
  CHECK_NEAR(v, 0.3, 1e-15);
  CHECK(bins[0].count == 2 && bins[0].lo == 0.1 && bins[0].hi == 0.2 && bins[0].obs_rate == 0.25);
  CHECK(bins[1].count == 2 && bins[1].lo == 0.2 && bins[1].hi == 0.3 && bins[1].obs_rate == 0.75);
  CHECK_NEAR(bins[0].mean_pred, 0.15, 1e-15);
  CHECK_NEAR(bins[1].mean_pred, 0.25, 1e-15);
  /* the table alone */
  CHECK_EQ_INT(rouse_eval_calibration(p8, y8, 4, 2, ROUSE_EVAL_BINS_QUANTILE, bins, NULL),
               ROUSE_OK);
}

/*---------------------------------------------------------------------
 * Errors
 *--------------------------------------------------------------------*/
static void test_errors(void) {
  double s[] = {0.1, 0.4, 0.35, 0.8}, v = 42;
  uint8_t y[] = {0, 0, 1, 1}, y_bad[] = {0, 2, 1, 1}, y0[] = {0, 0, 0, 0}, y1[] = {1, 1, 1, 1};
  rouse_eval_bin bins[4];
  CHECK_EQ_INT(rouse_eval_auc(s, y, 0, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_auc(NULL, y, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_auc(s, NULL, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_auc(s, y, 4, NULL), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_auc(s, y_bad, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_brier(s, y_bad, 4, &v), ROUSE_MISUSE);
  double s_nan[] = {0.1, NAN, 0.2, 0.3}, s_inf[] = {0.1, INFINITY, 0.2, 0.3};
  double p_hi[] = {0.1, 1.5, 0.2, 0.3}, p_lo[] = {0.1, -0.1, 0.2, 0.3};
  CHECK_EQ_INT(rouse_eval_auc(s_nan, y, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_average_precision(s_inf, y, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_lift(s_nan, y, 4, 0.1, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_brier(s_nan, y, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_log_loss(p_hi, y, 4, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_calibration(p_lo, y, 4, 2, 0, bins, &v), ROUSE_MISUSE);
  /* scores need not be probabilities for the ranking metrics */
  double v2;
  CHECK_EQ_INT(rouse_eval_auc(p_hi, y, 4, &v2), ROUSE_OK);
  CHECK_EQ_INT(rouse_eval_lift(s, y, 4, 0.0, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_lift(s, y, 4, 1.5, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_lift(s, y, 4, NAN, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_calibration(s, y, 4, 0, 0, bins, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_calibration(s, y, 4, 2, 7, bins, &v), ROUSE_MISUSE);
  CHECK_EQ_INT(rouse_eval_calibration(s, y, 4, 2, 0, NULL, NULL), ROUSE_MISUSE);
  /* undefined metrics */
  CHECK_EQ_INT(rouse_eval_auc(s, y0, 4, &v), ROUSE_DOMAIN);
  CHECK_EQ_INT(rouse_eval_auc(s, y1, 4, &v), ROUSE_DOMAIN);
  CHECK_EQ_INT(rouse_eval_average_precision(s, y0, 4, &v), ROUSE_DOMAIN);
  CHECK_EQ_INT(rouse_eval_lift(s, y0, 4, 0.1, &v), ROUSE_DOMAIN);
  CHECK(v == 42); /* untouched on every error */
  CHECK_EQ_INT(rouse_eval_average_precision(s, y1, 4, &v), ROUSE_OK);
  CHECK(v == 1.0);
  /* combined: struct sizes and single-class data */
  rouse_eval_opts o;
  rouse_eval_opts_init(&o);
  rouse_eval_result r = {0};
  CHECK_EQ_INT(rouse_eval_binary(s, y, 4, &o, &r), ROUSE_MISUSE);
  r.struct_size = sizeof r;
  o.struct_size = 4;
  CHECK_EQ_INT(rouse_eval_binary(s, y, 4, &o, &r), ROUSE_MISUSE);
  rouse_eval_opts_init(&o);
  CHECK_EQ_INT(rouse_eval_binary(s, y0, 4, &o, &r), ROUSE_OK);
  CHECK(!r.has_auc && !r.has_ap && !r.has_prob && r.n == 4 && r.n_pos == 0);
  CHECK_EQ_INT(rouse_eval_binary(s, y0, 0, NULL, &r), ROUSE_MISUSE);
}

static int fail_after = -1;
static void *f_malloc(void *ctx, size_t n) {
  (void)ctx;
  return fail_after-- == 0 ? NULL : malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  return fail_after-- == 0 ? NULL : realloc(p, n);
}
static void f_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

static void test_nomem(void) {
  double s[] = {0.1, 0.4, 0.35, 0.8}, v = 42;
  uint8_t y[] = {0, 0, 1, 1};
  rouse_alloc a = {f_malloc, f_realloc, f_free, NULL};
  rouse_set_allocator(&a);
  fail_after = 0;
  CHECK_EQ_INT(rouse_eval_auc(s, y, 4, &v), ROUSE_NOMEM);
  fail_after = 0;
  CHECK_EQ_INT(rouse_eval_calibration(s, y, 4, 2, 1, NULL, &v), ROUSE_NOMEM);
  rouse_eval_result r = {.struct_size = sizeof r};
  fail_after = 0;
  CHECK_EQ_INT(rouse_eval_binary(s, y, 4, NULL, &r), ROUSE_NOMEM);
  CHECK(v == 42 && r.n == 0);
  rouse_set_allocator(NULL);
}

/*---------------------------------------------------------------------
 * Reference table and permutation invariance
 *--------------------------------------------------------------------*/
static int all_same(const struct all *a, const struct all *b, int B) {
  int ok = !memcmp(a->rc, b->rc, sizeof a->rc) && same_bits(a->auc, b->auc) &&
           same_bits(a->ap, b->ap) && same_bits(a->lift, b->lift) &&
           same_bits(a->brier, b->brier) && same_bits(a->ll, b->ll) &&
           same_bits(a->ece_u, b->ece_u) && same_bits(a->ece_q, b->ece_q);
  return ok && !memcmp(a->bu, b->bu, (size_t)B * sizeof a->bu[0]) &&
         !memcmp(a->bq, b->bq, (size_t)B * sizeof a->bq[0]);
}

static void test_reference(void) {
  char buf[4096];
  const char *path = md_find("tests/numeric/eval_reference.tsv", buf, sizeof buf);
  CHECK(path != NULL);
  if (!path) return;
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (!f) return;
  char line[1024], name[64] = "", kind[16];
  static double p[8192], q[8192];
  static uint8_t y[8192], yq[8192];
  static struct all cur, other;
  size_t n = 0;
  int B = 0, cases = 0, bins_seen = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    if (!strncmp(line, "case\t", 5)) {
      unsigned long long seed;
      double top, want[7];
      if (sscanf(line + 5, "%63s %15s %llu %zu %lf %d %lf %lf %lf %lf %lf %lf %lf", name, kind,
                 &seed, &n, &top, &B, &want[0], &want[1], &want[2], &want[3], &want[4], &want[5],
                 &want[6]) != 13 || n > 8192 || B < 1 || B > 32 ||
          draw(kind, seed, n, p, y) != 0) {
        CHECK(!"malformed case line in eval_reference.tsv");
        n = 0;
        continue;
      }
      cases++;
      eval_all(p, y, n, top, B, &cur);
      /* -1 in the table: undefined for this data */
      for (int k = 0; k < 3; k++)
        CHECK_EQ_INT(cur.rc[k], want[k] == -1 ? ROUSE_DOMAIN : ROUSE_OK);
      CHECK_EQ_INT(cur.rc[3] | cur.rc[4] | cur.rc[5], ROUSE_OK);
      if (want[0] != -1) check_rel("auc", name, cur.auc, want[0]);
      if (want[1] != -1) check_rel("ap", name, cur.ap, want[1]);
      if (want[2] != -1) check_rel("lift", name, cur.lift, want[2]);
      check_rel("brier", name, cur.brier, want[3]);
      check_rel("log_loss", name, cur.ll, want[4]);
      check_rel("ece_uniform", name, cur.ece_u, want[5]);
      check_rel("ece_quantile", name, cur.ece_q, want[6]);

      /* permutations: reversed, and three shuffles; -0.0 for 0.0 */
      int same = 1;
      struct sm64 g = {0xC0FFEEull + (uint64_t)cases};
      for (int rep = 0; rep < 4; rep++) {
        if (rep == 0)
          for (size_t i = 0; i < n; i++) q[i] = p[n - 1 - i], yq[i] = y[n - 1 - i];
        else {
          memcpy(q, p, n * sizeof *q);
          memcpy(yq, y, n);
          for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)(sm_next(&g) % i);
            double t = q[i - 1];
            q[i - 1] = q[j], q[j] = t;
            uint8_t u = yq[i - 1];
            yq[i - 1] = yq[j], yq[j] = u;
          }
        }
        for (size_t i = 0; i < n; i++)
          if (q[i] == 0) q[i] = -0.0;
        eval_all(q, yq, n, top, B, &other);
        same &= all_same(&cur, &other, B);
      }
      printf("# %s: permutations\n", name);
      CHECK(same);

      /* the combined call gives the same bits */
      rouse_eval_opts o;
      rouse_eval_opts_init(&o);
      o.top_fraction = top, o.n_bins = B, o.is_prob = 1, o.binning = ROUSE_EVAL_BINS_QUANTILE;
      rouse_eval_result r = {.struct_size = sizeof r};
      CHECK_EQ_INT(rouse_eval_binary(p, y, n, &o, &r), ROUSE_OK);
      CHECK(r.has_auc == (want[0] != -1) && r.has_ap == (want[1] != -1) && r.has_prob);
      CHECK((!r.has_auc || same_bits(r.auc, cur.auc)) && (!r.has_ap || same_bits(r.ap, cur.ap)) &&
            (!r.has_ap || same_bits(r.lift, cur.lift)) && same_bits(r.brier, cur.brier) &&
            same_bits(r.log_loss, cur.ll) && same_bits(r.ece, cur.ece_q));
      continue;
    }
    if (!strncmp(line, "bin\t", 4)) {
      char bname[64], binning[16];
      int b;
      double lo, hi, cnt, mp, orate;
      if (sscanf(line + 4, "%63s %15s %d %lf %lf %lf %lf %lf", bname, binning, &b, &lo, &hi, &cnt,
                 &mp, &orate) != 8 || strcmp(bname, name) || b < 0 || b >= B) {
        CHECK(!"malformed bin line in eval_reference.tsv");
        continue;
      }
      const rouse_eval_bin *got = !strcmp(binning, "quantile") ? &cur.bq[b] : &cur.bu[b];
      char what[64];
      snprintf(what, sizeof what, "%s bin %d", binning, b);
      int ok = got->lo == lo && got->hi == hi; /* edges are exact */
      ok &= fabs(got->count - cnt) <= REL_TOL * cnt;
      ok &= fabs(got->mean_pred - mp) <= REL_TOL * mp;
      ok &= fabs(got->obs_rate - orate) <= REL_TOL * orate;
      t_n++;
      bins_seen++;
      if (ok) printf("ok %d - %s %s\n", t_n, name, what);
      else {
        t_fail++;
        printf("not ok %d - %s %s: got [%.17g %.17g] %.17g %.17g %.17g, want [%.17g %.17g] %.17g "
               "%.17g %.17g\n", t_n, name, what, got->lo, got->hi, got->count, got->mean_pred,
               got->obs_rate, lo, hi, cnt, mp, orate);
      }
    }
  }
  fclose(f);
  CHECK(cases >= 10);
  CHECK(bins_seen >= 150);
}

/* the curves of rouse_eval_binary agree with the single-metric functions: gains[k] is
 * lift(k/20) k/20 (ties included: scores on a coarse grid), calib the 10-bin uniform table */
static void test_curves(void) {
  enum { N = 997 };
  static double p[N];
  static uint8_t y[N];
  uint64_t st = 12345;
  for (int i = 0; i < N; i++) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    p[i] = (double)((st >> 33) % 41) / 40.0; /* many ties */
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    y[i] = (double)(st >> 11) / 9007199254740992.0 < p[i];
  }
  rouse_eval_opts o;
  rouse_eval_opts_init(&o);
  o.is_prob = 1;
  o.n_bins = 7; /* calib stays at 10 uniform bins */
  rouse_eval_result r = {.struct_size = sizeof r};
  CHECK_EQ_INT(rouse_eval_binary(p, y, N, &o, &r), ROUSE_OK);
  int bad = 0;
  for (int k = 1; k < ROUSE_EVAL_GAINS_POINTS; k++) {
    double f = (double)k / (ROUSE_EVAL_GAINS_POINTS - 1), lift;
    if (rouse_eval_lift(p, y, N, f, &lift) || fabs(lift * f - r.gains[k]) > 1e-12) bad++;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(r.gains[0] == 0.0);
  CHECK(fabs(r.gains[ROUSE_EVAL_GAINS_POINTS - 1] - 1.0) < 1e-12);
  for (int k = 1; k < ROUSE_EVAL_GAINS_POINTS; k++)
    if (r.gains[k] < r.gains[k - 1]) bad++;
  CHECK_EQ_INT(bad, 0);
  rouse_eval_bin b[ROUSE_EVAL_DEFAULT_BINS];
  CHECK_EQ_INT(rouse_eval_calibration(p, y, N, ROUSE_EVAL_DEFAULT_BINS, ROUSE_EVAL_BINS_UNIFORM,
                                      b, NULL), ROUSE_OK);
  for (int k = 0; k < ROUSE_EVAL_DEFAULT_BINS; k++)
    if (b[k].count != r.calib[k].count || b[k].mean_pred != r.calib[k].mean_pred ||
        b[k].obs_rate != r.calib[k].obs_rate)
      bad++;
  CHECK_EQ_INT(bad, 0);
}

int main(void) {
  test_curves();
  test_tiny();
  test_errors();
  test_nomem();
  test_reference();
  return done_testing();
}
