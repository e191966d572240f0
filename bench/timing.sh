# SPDX-License-Identifier: MIT
# Timing helpers shared by the bench scripts (sourced, not run).

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
