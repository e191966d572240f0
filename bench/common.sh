# SPDX-License-Identifier: MIT
# What the bench scripts share (sourced, not run): the paths of the programs and of bench/out,
# the check that they are built, the generated inputs, and the timing helpers.
# Environment: BUILD (default build/), ROUSE, GEN.

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ROUSE=${ROUSE:-$BUILD/rouse}
GEN=${GEN:-$BUILD/tools/rouse-gen}
OUT=$HERE/out
REGEN=${REGEN:-0}

# the programs and /usr/bin/time exist; bench/out is there
check_tools() {
  local p
  for p in "$ROUSE" "$GEN"; do
    [ -x "$p" ] || { echo "$(basename "$0"): $p not found; build first: ninja -C build" >&2; exit 1; }
  done
  [ -x /usr/bin/time ] || { echo "$(basename "$0"): /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
  mkdir -p "$OUT"
}

gen_input() { # file, options: (re)generate unless the file exists with the same options
  local f=$OUT/$1 opts=$2
  local stamp="$f.args"
  if [ "$REGEN" = 0 ] && [ -f "$f" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$opts" ]; then
    return
  fi
  echo "generating $1: rouse-gen $opts" >&2
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$GEN" $opts -o "$f" 2>"$f.gen.log"
  t1=$(date +%s.%N)
  printf '%s\n' "$opts" >"$stamp"
  sed 's/^/  /' "$f.gen.log" >&2
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  generated in %.1f s\n", b - a }' >&2
}

# rows of a generated input, from the generator's log
rows_of() { sed -n 's/.*rows read \([0-9]*\) .*/\1/p' "$OUT/$1.gen.log" | head -n 1; }

# min and median of the numbers on stdin: "MIN MEDIAN"
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", v[1], m }'; }

# time_cmd LOG CMD...: wall seconds on stdout; peak RSS (KB) appended to LOG.rss; stdout and
# stderr of CMD in LOG.out and LOG.err; exits (naming the command) if it fails
time_cmd() {
  local log=$1
  shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$log.time" "$@" >"$log.out" 2>"$log.err" || {
    echo "$(basename "$0"): command failed: $*" >&2
    sed 's/^/  /' "$log.err" >&2
    exit 1
  }
  t1=$(date +%s%N)
  sed -n 's/.*Maximum resident set size (kbytes): *//p' "$log.time" >>"$log.rss"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}
