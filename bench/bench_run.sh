#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job's speed: `rouse run` on 1M customers / 2.87M rows (the ingest benchmark's
# reference file, rouse-gen --format plain --customers 1000000 --seed 1), against issue 4's
# target of 3 s wall on 2 cores. See bench/README.md.
#
#   bench/bench_run.sh [--runs N] [--threads N]
#
# Two configurations, each: warm the page cache, then N runs of
#   rouse run FILE --out DIR --threads T -q [OPTIONS]
# timed by wall clock, peak RSS from /usr/bin/time -v; best and median are reported, with
# the ratio best / 3 s. One more run with ROUSE_TIMING=1 prints the time of every stage.
set -euo pipefail

# paths, check_tools, gen_input, rows_of, stats, time_cmd
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
RUNS=3
THREADS=2
TARGET=3

while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?--runs needs a value}; shift ;;
    --threads) THREADS=${2:?--threads needs a value}; shift ;;
    -h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
printf '\n`rouse run` on %s rows, 1M customers, %s threads, %s runs (%s, %s CPUs: %s)\n\n' \
  "${ROWS:-?}" "$THREADS" "$RUNS" "$(date -u +%Y-%m-%d)" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
printf '| options | best s | median s | peak RSS MB | best / %s s target |\n|---|---|---|---|---|\n' "$TARGET"
for spec in "${CONFIGS[@]}"; do
  IFS='|' read -r name opts <<<"$spec"
  log=$OUT/run_$name
  rm -f "$log.rss"
  times=""
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    times+="$(time_cmd "$log" "$ROUSE" run "$REF" --out "$OUT/run_$name.d" --threads "$THREADS" -q $opts) "
  done
  read -r best med < <(printf '%s\n' $times | stats)
  rss=$(sort -n "$log.rss" | tail -n 1)
  printf '| %s | %s | %s | %.0f | %.2f |\n' "${opts:-(none)}" "$best" "$med" "$(echo "$rss / 1024" | bc -l)" \
    "$(echo "$best / $TARGET" | bc -l)"
done
echo
echo "Stages of one run (ROUSE_TIMING=1, default options):"
ROUSE_TIMING=1 "$ROUSE" run "$REF" --out "$OUT/run_default.d" --threads "$THREADS" -q 2>&1 >/dev/null |
  sed -n 's/^rouse: *//p' | sed 's/^/  /'
