#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The full test suite, as `make test` and CI run it:
#   1. release build with warnings as errors: unit, numeric and golden CLI tests;
#   2. ASan+UBSan build (gcc): unit and CLI tests again;
#   3. TSan build: the thread-using unit tests and the CLI tests;
#   4. fuzz smoke (clang, libFuzzer): every fuzz target briefly on its committed corpus.
# Prints a closing "N passed, N failed" line over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
JOBS=${JOBS:-2}
fail=0
total_pass=0
total_fail=0

count() { # testlog.json -> adds to totals
  local log=$1
  [ -f "$log" ] || return 0
  local p f
  p=$(grep -c '"result": "OK"' "$log" || true)
  f=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
}

setup() { # dir, options...
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || return 1
  else
    meson configure "$dir" "$@" >/dev/null || return 1
  fi
}

step() { echo; echo "=== $*"; }

step "release build (-Werror)"
if setup build -Dwerror=true && ninja -C build; then
  meson test -C build --num-processes "$JOBS" --print-errorlogs || fail=1
  count build/meson-logs/testlog.json
else
  echo "release build failed"; fail=1
fi

step "ASan+UBSan build: unit and CLI tests"
if setup build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
     -Dwerror=true && ninja -C build-asan; then
  LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --num-processes "$JOBS" --print-errorlogs \
    --suite unit --suite cli --suite fuzz-replay --timeout-multiplier 4 || fail=1
  count build-asan/meson-logs/testlog.json
else
  echo "sanitizer build failed"; fail=1
fi

step "TSan build: the multi-threaded code paths and the CLI tests"
# (the whole unit suite is too slow under TSan: the model robustness grid alone takes minutes)
if setup build-tsan -Dbuildtype=debug -Db_sanitize=thread -Db_lundef=false && ninja -C build-tsan; then
  TSAN_OPTIONS=halt_on_error=1:suppressions=$PWD/tests/tsan.supp meson test -C build-tsan --num-processes "$JOBS" --print-errorlogs \
    --timeout-multiplier 6 t_base_pool t_ingest_memory t_io_summary_csv t_model_cdnow t_ingest_history || fail=1
  count build-tsan/meson-logs/testlog.json
  TSAN_OPTIONS=halt_on_error=1:suppressions=$PWD/tests/tsan.supp meson test -C build-tsan --num-processes "$JOBS" --print-errorlogs \
    --timeout-multiplier 6 --suite cli || fail=1
  count build-tsan/meson-logs/testlog.json
else
  echo "TSan build failed"; fail=1
fi

step "fuzz smoke (clang libFuzzer, ${FUZZ_SECONDS}s per target)"
if [ -f tests/fuzz/smoke.sh ]; then
  if { [ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzers=true \
         -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false >/dev/null; } &&
     ninja -C build-fuzz && bash tests/fuzz/smoke.sh build-fuzz "$FUZZ_SECONDS"; then
    total_pass=$((total_pass + 1))
  else
    echo "fuzz smoke failed"; total_fail=$((total_fail + 1)); fail=1
  fi
fi

echo
echo "tests: ${total_pass} passed, ${total_fail} failed"
echo "${total_pass} passed, ${total_fail} failed"
exit $fail
