#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden-file CLI tests (the zstd cli-tests layout).
#   run.sh [--set-exact-output] [--preserve] ROUSE CASE.sh...
# Each CASE.sh runs with bash, in tests/data as the working directory, with $ROUSE (the
# program), $OUT (a fresh temporary directory for outputs) and $REPO (the repository root)
# set. Beside it:
#   CASE.exit            expected exit status (required)
#   CASE.stdout.exact    expected stdout, byte for byte   (or CASE.stdout.glob)
#   CASE.stderr.exact    expected stderr                  (or CASE.stderr.glob)
# A .glob file holds one bash glob pattern per line; a line '...' matches any number of lines.
# Before comparing, the value of $OUT in outputs is replaced by the text '$OUT'.
# --set-exact-output rewrites .exit and the .exact files (never .glob) from this run.
set -uo pipefail
set_exact=0
preserve=0
while [ $# -gt 0 ]; do
  case "$1" in
    --set-exact-output) set_exact=1; shift ;;
    --preserve) preserve=1; shift ;;
    *) break ;;
  esac
done
ROUSE=$(realpath "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
export ROUSE REPO

glob_match() { # expected.glob actual -> 0 if every line matches
  local -a pat act
  mapfile -t pat <"$1"
  mapfile -t act <"$2"
  _gm 0 0
}
_gm() {
  local i=$1 j=$2
  while [ "$i" -lt "${#pat[@]}" ]; do
    if [ "${pat[$i]}" = "..." ]; then
      local k
      for ((k = j; k <= ${#act[@]}; k++)); do _gm $((i + 1)) "$k" && return 0; done
      return 1
    fi
    [ "$j" -lt "${#act[@]}" ] || return 1
    # shellcheck disable=SC2053
    [[ "${act[$j]}" == ${pat[$i]} ]] || return 1
    i=$((i + 1)); j=$((j + 1))
  done
  [ "$j" -eq "${#act[@]}" ]
}

pass=0
failed=0
for case in "$@"; do
  case=$(realpath "$case")
  base=${case%.sh}
  name=${case#"$here"/}
  OUT=$(mktemp -d)
  export OUT
  (cd "$REPO/tests/data" && bash "$case") >"$OUT/.stdout" 2>"$OUT/.stderr"
  code=$?
  for s in stdout stderr; do
    sed -i "s|$OUT|\$OUT|g" "$OUT/.$s"
  done
  ok=1
  why=""
  if [ $set_exact -eq 1 ]; then
    echo "$code" >"$base.exit"
    for s in stdout stderr; do
      [ -f "$base.$s.glob" ] || cp "$OUT/.$s" "$base.$s.exact"
    done
  fi
  if [ ! -f "$base.exit" ]; then
    ok=0; why="missing $base.exit"
  elif [ "$code" != "$(cat "$base.exit")" ]; then
    ok=0; why="exit status $code, expected $(cat "$base.exit")"
  fi
  for s in stdout stderr; do
    if [ -f "$base.$s.exact" ]; then
      if ! cmp -s "$base.$s.exact" "$OUT/.$s"; then
        ok=0; why="$why; $s differs:
$(diff -u "$base.$s.exact" "$OUT/.$s" | head -40)"
      fi
    elif [ -f "$base.$s.glob" ]; then
      if ! glob_match "$base.$s.glob" "$OUT/.$s"; then
        ok=0; why="$why; $s does not match $base.$s.glob:
$(head -40 "$OUT/.$s")"
      fi
    fi
  done
  if [ $ok -eq 1 ]; then
    pass=$((pass + 1)); echo "ok - $name"
  else
    failed=$((failed + 1)); echo "not ok - $name: $why"
  fi
  if [ $preserve -eq 1 ]; then echo "  outputs kept in $OUT"; else rm -rf "$OUT"; fi
done
echo "$pass passed, $failed failed"
[ $failed -eq 0 ]
