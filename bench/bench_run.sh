#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job's speed: `rouse run` on 1M customers / 2.87M rows (the ingest benchmark's
# reference file, rouse-gen --format plain --customers 1000000 --seed 1), against issue 4's
# target of 3 s wall on 2 cores. See bench/README.md.
#
#   bench/bench_run.sh [--runs N] [--threads N] [--base ROUSE]
#
# Two configurations, each: warm the page cache, then N runs of
#   rouse run FILE --out DIR --threads T -q --no-pdf [OPTIONS]
# (the target is for the job without the PDF) timed by wall clock, peak RSS from
# /usr/bin/time -v; best and median are reported, with the ratio best / 3 s, and the share of
# CPU time the hypervisor stole meanwhile (/proc/stat), which makes wall times on a shared VM
# vary. --base ROUSE: another build of rouse (e.g. an older commit) run alternately with this
# one on the default options, so that both see the same machine; prints both and the ratio.
# One more run with ROUSE_TIMING=1 prints the time and CPU time of every stage.
set -euo pipefail

# paths, check_tools, gen_input, rows_of, stats, time_cmd
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
RUNS=3
THREADS=2
TARGET=3
BASE=

while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?--runs needs a value}; shift ;;
    --threads) THREADS=${2:?--threads needs a value}; shift ;;
    --base) BASE=${2:?--base needs a rouse binary}; shift ;;
    -h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_run.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
case $RUNS in ''|*[!0-9]*|0) echo "bench_run.sh: --runs must be a positive integer" >&2; exit 2 ;; esac
case $THREADS in ''|*[!0-9]*|0) echo "bench_run.sh: --threads must be a positive integer" >&2; exit 2 ;; esac
check_tools

# the same reference input as bench_ingest.sh (shared, generated once)
gen_input ref.csv "--format plain --customers 1000000 --seed 1"
REF=$OUT/ref.csv
ROWS=$(rows_of ref.csv)

CONFIGS=(
  "default|"
  "budget|--budget 5000000 --holdout 10"
)
cat "$REF" >/dev/null
# steal STAT0: the share of CPU time stolen since the /proc/stat line STAT0 (in percent)
cpu_line() { sed -n 's/^cpu  //p' /proc/stat; }
steal_since() {
  awk -v a="$1" -v b="$(cpu_line)" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); t = 0
    for (i = 1; i <= n; i++) t += y[i] - x[i]
    printf "%.0f", (t > 0 ? 100 * (y[8] - x[8]) / t : 0) }'
}
printf '\n`rouse run` on %s rows, 1M customers, %s threads, %s runs (%s, %s CPUs: %s)\n\n' \
  "${ROWS:-?}" "$THREADS" "$RUNS" "$(date -u +%Y-%m-%d)" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
printf '| options | best s | median s | peak RSS MB | best / %s s target | CPU stolen |\n|---|---|---|---|---|---|\n' "$TARGET"
for spec in "${CONFIGS[@]}"; do
  IFS='|' read -r name opts <<<"$spec"
  log=$OUT/run_$name
  rm -f "$log.rss"
  times=""
  s0=$(cpu_line)
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    times+="$(time_cmd "$log" "$ROUSE" run "$REF" --out "$OUT/run_$name.d" --threads "$THREADS" -q --no-pdf $opts) "
  done
  stolen=$(steal_since "$s0")
  read -r best med < <(printf '%s\n' $times | stats)
  rss=$(sort -n "$log.rss" | tail -n 1)
  printf '| %s | %s | %s | %.0f | %.2f | %s%% |\n' "${opts:-(none)}" "$best" "$med" "$(echo "$rss / 1024" | bc -l)" \
    "$(echo "$best / $TARGET" | bc -l)" "$stolen"
done
if [ -n "$BASE" ]; then
  [ -x "$BASE" ] || { echo "bench_run.sh: --base '$BASE' is not an executable" >&2; exit 2; }
  echo
  echo "Alternating with --base $BASE (default options, $RUNS runs each):"
  tb="" tn=""
  s0=$(cpu_line)
  for _ in $(seq "$RUNS"); do
    tb+="$(time_cmd "$OUT/run_base" "$BASE" run "$REF" --out "$OUT/run_base.d" --threads "$THREADS" -q --no-pdf) "
    tn+="$(time_cmd "$OUT/run_new" "$ROUSE" run "$REF" --out "$OUT/run_new.d" --threads "$THREADS" -q --no-pdf) "
  done
  stolen=$(steal_since "$s0")
  read -r bb bm < <(printf '%s\n' $tb | stats)
  read -r nb nm < <(printf '%s\n' $tn | stats)
  printf '  base: best %s s, median %s s; this build: best %s s, median %s s; median ratio %.2f (CPU stolen %s%%)\n' \
    "$bb" "$bm" "$nb" "$nm" "$(echo "$bm / $nm" | bc -l)" "$stolen"
fi
echo
echo "Stages of one run (ROUSE_TIMING=1, default options):"
ROUSE_TIMING=1 "$ROUSE" run "$REF" --out "$OUT/run_default.d" --threads "$THREADS" -q --no-pdf 2>&1 >/dev/null |
  sed -n 's/^rouse: *//p' | sed 's/^/  /'
