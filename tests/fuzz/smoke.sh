#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every libFuzzer target of a -Dfuzzers=true build for SECONDS each, starting from the
# committed seed corpus (copied: the committed files are never modified) with its
# dictionary. Fails if any target crashes, leaks, times out or trips an invariant; the
# crashing input is left in the artifacts directory printed at the end.
#   usage: tests/fuzz/smoke.sh BUILD_DIR [SECONDS] [TARGET...]
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [SECONDS] [TARGET...]" >&2
  exit 2
fi
build=$1
secs=${2:-60}
[ $# -ge 2 ] && shift 2 || shift 1
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"fuzz_csv fuzz_date fuzz_amount fuzz_encoding fuzz_ingest fuzz_master fuzz_report"}

work=$(mktemp -d "${TMPDIR:-/tmp}/rouse-fuzz.XXXXXX")
fail=0
for t in $targets; do
  bin=$build/tests/fuzz/$t
  if [ ! -x "$bin" ]; then
    echo "smoke.sh: $bin not built (configure with CC=clang -Dfuzzers=true)" >&2
    exit 2
  fi
  case $t in
    fuzz_csv|fuzz_ingest|fuzz_master) dict=$here/dict/csv.dict ;;
    fuzz_date) dict=$here/dict/date.dict ;;
    fuzz_amount) dict=$here/dict/amount.dict ;;
    fuzz_report) dict=$here/dict/json.dict ;;
    *) dict= ;;
  esac
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  cp "$here/corpus/$t"/* "$work/$t/corpus/" 2>/dev/null || true
  echo "== $t: ${secs}s"
  if ! "$bin" ${dict:+-dict="$dict"} -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" \
      "$work/$t/corpus" >"$work/$t/log" 2>&1; then
    echo "!! $t FAILED; log: $work/$t/log" >&2
    grep -E "ERROR|invariant|SUMMARY|Test unit written" "$work/$t/log" | head -20 >&2 || true
    fail=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/$t/log" | tr '\n' ' '
    echo
  fi
done
if [ $fail -ne 0 ]; then
  echo "smoke.sh: failures; inputs in $work/*/artifacts" >&2
  exit 1
fi
rm -rf "$work"
echo "smoke.sh: all targets ran ${secs}s without a crash"
