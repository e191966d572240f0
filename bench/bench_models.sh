#!/bin/sh
# SPDX-License-Identifier: MIT
# Model fitting and prediction speed on 1M and 10M synthetic customers.
# Customers are drawn from the BG/NBD process itself (CDNOW parameters, weekly unit, first
# purchases uniform over 12 weeks, observed to week 85, times on whole days) by a small C
# driver compiled here against the test build of the library; it times rouse_model_fit
# (compression included) for each model and rouse_model_predict on the same columns.
# With tools/gen/rouse-gen built, it also times the end-to-end CLI on 1M customers.
# Usage: bench/bench_models.sh [BUILD_DIR]   (default: build). Prints a table; writes nothing.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bench.c" <<'CEOF'
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "rouse/rouse.h"
static uint64_t st = 7;
static double urand(void) {
  uint64_t z = (st += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
static double rgamma(double k) {
  if (k < 1) return rgamma(k + 1) * pow(urand(), 1 / k);
  double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
  for (;;) {
    double n = sqrt(-2 * log(urand() + 1e-300)) * cos(6.283185307179586 * urand());
    double v = 1 + c * n;
    if (v <= 0) continue;
    v = v * v * v;
    if (log(urand() + 1e-300) < 0.5 * n * n + d - d * v + d * log(v)) return d * v;
  }
}
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
int main(int argc, char **argv) {
  size_t n = (size_t)atof(argv[1]);
  int threads = argc > 2 ? atoi(argv[2]) : 0;
  double *x = malloc(n * 8), *tx = malloc(n * 8), *T = malloc(n * 8), *e = malloc(n * 8);
  for (size_t i = 0; i < n; i++) {
    double lam = rgamma(0.243) / 4.414 / 7; /* per day */
    double g1 = rgamma(0.793), g2 = rgamma(2.426), p = g1 / (g1 + g2);
    int first = (int)(urand() * 84), end = 595, Ti = end - 1 - first;
    double t = 0;
    int last = 0, xi = 0;
    for (;;) {
      t += -log(urand() + 1e-300) / (lam + 1e-300);
      if (t >= Ti + 1) break;
      int day = (int)t;
      if (day > last || xi == 0) { if (day > 0) { xi++; last = day; } }
      if (urand() < p) break;
    }
    x[i] = xi;
    tx[i] = xi ? last / 7.0 : 0;
    T[i] = Ti / 7.0;
  }
  const int kinds[] = {ROUSE_MODEL_BGNBD, ROUSE_MODEL_MBGNBD, ROUSE_MODEL_PNBD, ROUSE_MODEL_MBGCNBD};
  double tb = 0;
  for (int j = 0; j < 4; j++) {
    rouse_fit_opts o;
    rouse_fit_opts_init(&o);
    o.n_threads = threads;
    o.no_se = 0;
    o.k = 2;
    rouse_fit_result r;
    rouse_fit_result_init(&r);
    double t0 = now();
    int rc = rouse_model_fit(kinds[j], x, tx, T, n, &o, &r);
    double dt = now() - t0;
    if (j == 0) tb = dt;
    printf("%-8s n=%-9zu fit %7.3f s  (x%.2f of bgnbd)  rc=%d conv=%d it=%d evals=%d distinct=%zu "
           "params %.4g %.4g %.4g %.4g\n", rouse_model_name(kinds[j]), n, dt, dt / tb, rc,
           r.converged, r.iterations, r.n_evals, r.n_unique, r.model.param[0], r.model.param[1],
           r.model.param[2], r.model.param[3]);
    if (kinds[j] == ROUSE_MODEL_BGNBD || kinds[j] == ROUSE_MODEL_PNBD) {
      t0 = now();
      rc = rouse_model_predict(&r.model, x, tx, T, n, 26, threads, NULL, e, NULL);
      double dp = now() - t0;
      t0 = now();
      double *pa = malloc(n * 8), *p0 = malloc(n * 8);
      rc |= rouse_model_predict(&r.model, x, tx, T, n, 26, threads, pa, e, p0);
      double dq = now() - t0;
      free(pa), free(p0);
      printf("%-8s n=%-9zu predict E[X(26w)] %.3f s; p_alive+E+p_zero %.3f s (rc=%d)\n",
             rouse_model_name(kinds[j]), n, dp, dq, rc);
    }
  }
  return 0;
}
CEOF
cc -O2 -std=c17 -D_DEFAULT_SOURCE -I"$here/include" -I"$build/include" -I"$build" \
  -I"$build/include/rouse" "$tmp/bench.c" "$build/librouse_test.a" -lm -lpthread -lz \
  -o "$tmp/bench"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m) $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for n in 1000000 10000000; do "$tmp/bench" "$n"; done
if [ -x "$build/tools/rouse-gen" ]; then
  "$build/tools/rouse-gen" -n 1000000 -s 1 -o "$tmp/tx.csv" 2>/dev/null
  t0=$(date +%s.%N)
  "$build/rouse" fit "$tmp/tx.csv" --model bgnbd -q >/dev/null
  t1=$(date +%s.%N)
  echo "end-to-end 'rouse fit' (ingest + summary + BG/NBD fit) on rouse-gen 1M customers: $(echo "$t1 - $t0" | bc) s"
fi
