/* SPDX-License-Identifier: MIT
 * Published grocery values (BTYDplus groceryElog, weekly, calibration to 2006-12-31; see
 * ../shared/data/grocery/SOURCE.md). The data is not bundled: without ../shared the test
 * skips with a reason (TAP SKIP), it never fails. */
#include "../numeric/model_data.h"
#include "harness.h"

int main(void) {
  char buf[4096];
  const char *path = md_find("../shared/data/grocery/transactions.csv", buf, sizeof buf);
  if (!path) {
    printf("ok 1 # SKIP ../shared/data/grocery/transactions.csv not found\n1..1\n");
    return 0;
  }
  struct md_cols c;
  int32_t cal = rouse_date_from_ymd(2006, 12, 31), hold = rouse_date_from_ymd(2007, 12, 30);
  CHECK_EQ_INT(md_load(path, cal, hold, 7, 0, &c), 0);
  CHECK_EQ_INT(c.n, 1525);
  double sx = 0, sh = 0;
  for (size_t i = 0; i < c.n; i++) sx += c.x[i], sh += c.hold[i];
  CHECK_EQ_INT(sx, 5569);
  CHECK_EQ_INT(sh, 3389);
  rouse_fit_opts o;
  rouse_fit_opts_init(&o);
  rouse_fit_result r;
  rouse_fit_result_init(&r);
  CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_PNBD, c.x, c.t_x, c.T, c.n, &o, &r), 0);
  CHECK(r.converged);
  CHECK_NEAR(r.model.param[0], 0.786, 0.0005 / 0.786 + 1e-3);
  CHECK_NEAR(r.model.param[1], 5.679, 0.0005 / 5.679);
  CHECK_NEAR(r.model.param[2], 0.386, 0.0005 / 0.386 + 1e-3);
  CHECK_NEAR(r.model.param[3], 5.717, 0.001 / 5.717);
  CHECK_NEAR(r.loglik, -15782.39, 0.01 / 15782.39);
  printf("# pnbd %.5f %.5f %.5f %.5f LL %.3f\n", r.model.param[0], r.model.param[1],
         r.model.param[2], r.model.param[3], r.loglik);
  CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_BGNBD, c.x, c.t_x, c.T, c.n, &o, &r), 0);
  CHECK(r.converged);
  CHECK_NEAR(r.model.param[0], 0.3486, 0.00005 / 0.3486 + 1e-4);
  CHECK_NEAR(r.model.param[1], 2.5817, 0.0001 / 2.5817);
  CHECK_NEAR(r.model.param[2], 0.5038, 0.00005 / 0.5038 + 1e-4);
  CHECK_NEAR(r.model.param[3], 3.6444, 0.0001 / 3.6444);
  CHECK_NEAR(r.loglik, -15836.57, 0.01 / 15836.57);
  printf("# bgnbd %.5f %.5f %.5f %.5f LL %.3f\n", r.model.param[0], r.model.param[1],
         r.model.param[2], r.model.param[3], r.loglik);
  CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_MBGNBD, c.x, c.t_x, c.T, c.n, &o, &r), 0);
  CHECK(r.converged);
  /* BTYDplus HowTo: r=1.257, alpha=6.038, a=0.368, b=0.716, LL -15782 */
  CHECK_NEAR(r.model.param[0], 1.257, 0.002);
  CHECK_NEAR(r.model.param[1], 6.038, 0.002);
  CHECK_NEAR(r.model.param[2], 0.368, 0.002);
  CHECK_NEAR(r.model.param[3], 0.716, 0.002);
  CHECK(fabs(r.loglik - -15782) < 1);
  printf("# mbgnbd %.5f %.5f %.5f %.5f LL %.3f\n", r.model.param[0], r.model.param[1],
         r.model.param[2], r.model.param[3], r.loglik);
  o.k = 2;
  CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_MBGCNBD, c.x, c.t_x, c.T, c.n, &o, &r), 0);
  CHECK(r.converged);
  /* BTYDplus: k=2, r=1.329, alpha=2.813, a=0.425, b=0.790 (fixed k, without Σ log intervals:
   * the parameters do not depend on that term, the log-likelihood does) */
  CHECK_NEAR(r.model.param[0], 1.329, 0.002);
  CHECK_NEAR(r.model.param[1], 2.813, 0.002);
  CHECK_NEAR(r.model.param[2], 0.425, 0.002);
  CHECK_NEAR(r.model.param[3], 0.790, 0.002);
  printf("# mbgcnbd k=2 %.5f %.5f %.5f %.5f LL(excl. litt) %.3f\n", r.model.param[0],
         r.model.param[1], r.model.param[2], r.model.param[3], r.loglik);
  /* with the summary's Σ log(intervals), k is chosen by likelihood among 1..8 and the
   * complete log-likelihood is the published one: k = 2, LL -14978 (BTYDplus HowTo) */
  o.k = 0;
  o.litt = c.litt;
  CHECK_EQ_INT(rouse_model_fit(ROUSE_MODEL_MBGCNBD, c.x, c.t_x, c.T, c.n, &o, &r), 0);
  CHECK(r.converged);
  CHECK_EQ_INT(r.model.k, 2);
  CHECK(fabs(r.loglik - -14978) < 0.5);
  CHECK_NEAR(r.model.param[0], 1.329, 0.002);
  CHECK_NEAR(r.model.param[3], 0.790, 0.002);
  printf("# mbgcnbd chosen k=%d LL %.3f\n", r.model.k, r.loglik);

  /* Holdout (52 weeks) with the exact MBG/CNBD-k conditional expectation (lib/model/predict.c).
   * Reference: an independent numpy implementation of the same sum over the negative-binomial
   * phase count (checked against a Monte-Carlo simulation of the posterior process), at the
   * parameters above: total 3811.543, MAE 1.399794. BTYDplus publishes 3,970 and MAE 1.431:
   * its per-customer values are a BG/NBD-shaped approximation rescaled so that their total
   * equals the cohort's unconditional expectation Σ_i E[X(T_i + 52)] − E[X(T_i)], which
   * rouse reproduces below (3970.06) from rouse_model_expected_new. */
  {
    double *e = calloc(c.n, sizeof *e), *e1 = calloc(c.n, sizeof *e1);
    CHECK(e && e1);
    CHECK_EQ_INT(rouse_model_predict(&r.model, c.x, c.t_x, c.T, c.n, 52, 0, NULL, e, NULL), 0);
    double tot = 0, mae = 0, unc = 0;
    for (size_t i = 0; i < c.n; i++) {
      tot += e[i];
      mae += fabs(e[i] - c.hold[i]);
      unc += rouse_model_expected_new(&r.model, c.T[i] + 52) -
             rouse_model_expected_new(&r.model, c.T[i]);
    }
    mae /= (double)c.n;
    printf("# mbgcnbd k=2 holdout: conditional total %.3f MAE %.5f; cohort unconditional %.3f\n",
           tot, mae, unc);
    /* the parameters agree with the reference run to ~1e-6; the sums move by less than 0.01 */
    CHECK_NEAR(tot, 3811.543, 0.02 / 3811.543);
    CHECK_NEAR(mae, 1.399794, 1e-5);
    CHECK(fabs(unc - 3970) < 0.5); /* BTYDplus: 3,970 (rounded) */
    /* CLV without discounting at value 1 in 4 steps = expected purchases over the horizon */
    double *one = calloc(c.n, sizeof *one), *clv = calloc(c.n, sizeof *clv);
    CHECK(one && clv);
    for (size_t i = 0; i < c.n; i++) one[i] = 1;
    CHECK_EQ_INT(rouse_model_clv(&r.model, c.x, c.t_x, c.T, one, c.n, 52, 4, 0, 0, clv), 0);
    double dmax = 0;
    for (size_t i = 0; i < c.n; i++) dmax = fmax(dmax, fabs(clv[i] - e[i]));
    CHECK(dmax < 1e-9);
    free(one);
    free(clv);
    /* k = 1 is MBG/NBD exactly */
    rouse_model m1 = r.model;
    m1.k = 1;
    CHECK_EQ_INT(rouse_model_predict(&m1, c.x, c.t_x, c.T, c.n, 52, 0, NULL, e, NULL), 0);
    m1.kind = ROUSE_MODEL_MBGNBD;
    CHECK_EQ_INT(rouse_model_predict(&m1, c.x, c.t_x, c.T, c.n, 52, 0, NULL, e1, NULL), 0);
    int same = 1;
    for (size_t i = 0; i < c.n; i++) same &= e[i] == e1[i];
    CHECK(same);
    free(e);
    free(e1);
  }
  md_free(&c);
  return done_testing();
}
