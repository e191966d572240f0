#!/bin/sh
# SPDX-License-Identifier: MIT
# Roundtrip acceptance test: rouse-gen writes shop exports from a known purchase process
# together with the summary rouse must produce (computed from the generator's own records),
# the rows rouse must reject and the row counts; `rouse summary` must agree byte for byte.
#
# usage: t_roundtrip.sh PATH/TO/rouse PATH/TO/rouse-gen
# Output: TAP (plan at the end) and a last line "# N passed, M failed". Exit 1 on failure.
# Set KEEP=1 to keep the work directory.
set -u

ROUSE=${1:?usage: t_roundtrip.sh ROUSE ROUSE_GEN}
GEN=${2:?usage: t_roundtrip.sh ROUSE ROUSE_GEN}
[ -x "$ROUSE" ] || { echo "Bail out! rouse not executable: $ROUSE"; exit 1; }
[ -x "$GEN" ] || { echo "Bail out! rouse-gen not executable: $GEN"; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/rouse-roundtrip.XXXXXX") || exit 1
n=0
passed=0
failed=0
todo=0
cleanup() {
  if [ "$failed" -eq 0 ] && [ "${KEEP:-0}" = 0 ]; then rm -rf "$W"; else echo "# work directory kept: $W"; fi
}
trap cleanup EXIT

ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  shift
  for l in "$@"; do echo "#   $l"; done
}
# show the first lines of a diff (or of a file) as TAP comments
excerpt() { head -n "${2:-20}" "$1" | sed 's/^/#     /'; }

# same_file NAME EXPECTED ACTUAL: byte-identical?
same_file() {
  if [ ! -f "$3" ]; then not_ok "$1" "missing output $3"; return; fi
  if cmp -s "$2" "$3"; then ok "$1"; return; fi
  not_ok "$1" "files differ: expected $2, got $3" \
    "$(wc -l <"$2") expected lines, $(wc -l <"$3") actual lines; first differences (- expected, + actual):"
  diff -u "$2" "$3" >"$W/diff.txt" 2>&1
  excerpt "$W/diff.txt" 30
}

# reject file of rouse -> sorted "line,reason" (or "file,line,reason" with $2 = 1).
# Records may span physical lines (quoted row text): join lines until quotes balance.
rouse_rejects() {
  awk -v withfile="${2:-0}" '
    NR == 1 { next }  # header
    {
      rec = (pending == "" ? $0 : pending "\n" $0)
      q = gsub(/"/, "\"", rec)
      if (q % 2) { pending = rec; next }
      pending = ""
      # field 1 is a quoted file name; then line,column,reason
      if (!match(rec, /^"([^"]|"")*",/)) { print "UNPARSED:" rec; next }
      file = substr(rec, 2, RLENGTH - 3)
      rest = substr(rec, RLENGTH + 1)
      split(rest, f, ",")
      n = split(file, parts, "/")
      if (withfile) print parts[n] "," f[1] "," f[3]; else print f[1] "," f[3]
    }' "$1" | LC_ALL=C sort
}

# "rows read N = accepted A + cancelled C + rejected R" from a stderr log
rows_line() { sed -n 's/^[^:]*: \(rows read .*\)$/\1/p' "$1" | head -n 1; }

# compare reject sets: NAME EXPECTED(line,reason) ROUSE_REJECT_FILE
same_rejects() {
  LC_ALL=C sort "$2" >"$W/rej.exp"
  rouse_rejects "$3" >"$W/rej.act"
  if cmp -s "$W/rej.exp" "$W/rej.act"; then
    ok "$1 ($(wc -l <"$W/rej.exp" | tr -d ' ') rows)"
  else
    not_ok "$1" "(line,reason) sets differ (- expected from rouse-gen, + rouse):"
    diff -u "$W/rej.exp" "$W/rej.act" >"$W/diff.txt" 2>&1
    excerpt "$W/diff.txt" 30
  fi
}

same_counts() { # NAME GEN_LOG ROUSE_LOG
  g=$(rows_line "$2")
  r=$(rows_line "$3")
  if [ -n "$g" ] && [ "$g" = "$r" ]; then ok "$1: $r"; else
    not_ok "$1" "rouse-gen: '$g'" "rouse:     '$r'"
  fi
}

# run NAME CMD...: run a command, log stderr to $W/NAME.log; report a failure if exit != 0
run() {
  name=$1
  shift
  if "$@" 2>"$W/$name.log"; then return 0; fi
  rc=$?
  not_ok "$name exits 0" "command: $*" "exit status $rc; stderr:"
  excerpt "$W/$name.log" 15
  return 1
}

SEED=20240105
COMMON="--format shop --customers 3000 --seed $SEED --id-style mixed --cancel-rate 0.05 --return-rate 0.04 --bad-rows 40"

echo "# rouse: $ROUSE"
echo "# rouse-gen: $GEN"
echo "# work: $W"

#--- 1. CP932 shop export, the main case ------------------------------------------------
if run gen_cp932 "$GEN" $COMMON --encoding cp932 -o "$W/shop.csv" --expected "$W/exp.csv" \
    --expected-rejects "$W/exp_rej.csv"; then
  ok "rouse-gen writes a CP932 shop export ($(wc -c <"$W/shop.csv" | tr -d ' ') bytes)"
  if ! command -v iconv >/dev/null 2>&1; then
    n=$((n + 1)); echo "ok $n # SKIP no iconv program to decode the header"
  elif head -c 200 "$W/shop.csv" | iconv -f CP932 -t UTF-8 2>/dev/null | head -n 1 |
    grep -q '^受注番号,受注日時,会員ID,商品コード,商品名,カテゴリ,数量,小計,対応状況'; then
    ok "CP932 header has the Japanese column names"
  else
    not_ok "CP932 header has the Japanese column names" "header:"
    head -c 200 "$W/shop.csv" | iconv -f CP932 -t UTF-8 2>&1 | head -n 1 | sed 's/^/#     /'
  fi
fi
for t in 1 2; do
  if run "rouse_cp932_t$t" "$ROUSE" summary "$W/shop.csv" --threads $t --reject "$W/rej_t$t.csv" \
      -o "$W/out_t$t.csv"; then
    same_file "CP932 summary (--threads $t) equals the generator's expected summary" \
      "$W/exp.csv" "$W/out_t$t.csv"
  fi
done
same_rejects "CP932 rejected rows (line, reason) are exactly the bad rows" "$W/exp_rej.csv" "$W/rej_t1.csv"
same_counts "CP932 closing report counts" "$W/gen_cp932.log" "$W/rouse_cp932_t1.log"
if cmp -s "$W/out_t1.csv" "$W/out_t2.csv" && cmp -s "$W/rej_t1.csv" "$W/rej_t2.csv"; then
  ok "--threads 1 and --threads 2 give identical summary and reject files"
else
  not_ok "--threads 1 and --threads 2 give identical summary and reject files"
  diff -u "$W/out_t1.csv" "$W/out_t2.csv" >"$W/diff.txt" 2>&1
  diff -u "$W/rej_t1.csv" "$W/rej_t2.csv" >>"$W/diff.txt" 2>&1
  excerpt "$W/diff.txt" 30
fi
# the fixture really holds what it should
c=$(rows_line "$W/gen_cp932.log")
case "$c" in
  *"cancelled 0 "*|*"rejected 0"|"") not_ok "fixture has cancelled and rejected rows" "$c" ;;
  *) ok "fixture has cancelled and rejected rows ($c)" ;;
esac
if grep -q 'return rows' "$W/rouse_cp932_t1.log"; then ok "fixture has return rows"; else
  not_ok "fixture has return rows" "rouse's report:"; excerpt "$W/rouse_cp932_t1.log"; fi

#--- 2. as-of in the middle of the period, and weeks -----------------------------------
ASOF=2023-10-01
if run gen_asof "$GEN" $COMMON --encoding cp932 -o "$W/shop_asof.csv" --expected "$W/exp_asof.csv" \
    --as-of $ASOF && run rouse_asof "$ROUSE" summary "$W/shop_asof.csv" --as-of $ASOF \
    --reject "$W/rej_asof.csv" -o "$W/out_asof.csv"; then
  same_file "--as-of $ASOF summary equals the expected one" "$W/exp_asof.csv" "$W/out_asof.csv"
  same_counts "--as-of closing report counts" "$W/gen_asof.log" "$W/rouse_asof.log"
fi
# early as-of (inside the cohort window): some customers only have a cancelled order yet
ASOF2=2023-03-10
if run gen_asof2 "$GEN" $COMMON --encoding cp932 -o "$W/shop_asof2.csv" \
    --expected "$W/exp_asof2.csv" --as-of $ASOF2 && run rouse_asof2 "$ROUSE" summary \
    "$W/shop_asof2.csv" --as-of $ASOF2 -o "$W/out_asof2.csv"; then
  same_file "--as-of $ASOF2 summary equals the expected one" "$W/exp_asof2.csv" "$W/out_asof2.csv"
  g=$(sed -n 's/.*(\([0-9]*\) only have returns or cancellations).*/\1/p' "$W/gen_asof2.log")
  r=$(sed -n 's/.*: *\([0-9]*\) customers only have returns or cancellations.*/\1/p' "$W/rouse_asof2.log")
  if [ -n "$g" ] && [ "${r:-0}" = "$g" ]; then
    ok "--as-of $ASOF2: customers with only returns or cancellations: $g"
  else
    not_ok "--as-of $ASOF2: customers with only returns or cancellations" "rouse-gen '$g', rouse '${r:-0}'"
  fi
fi
if run gen_week "$GEN" $COMMON --encoding cp932 -o "$W/shop_week.csv" --expected "$W/exp_week.csv" \
    --expected-unit week && run rouse_week "$ROUSE" summary "$W/shop_week.csv" --unit week \
    -o "$W/out_week.csv"; then
  same_file "--unit week summary equals the expected one" "$W/exp_week.csv" "$W/out_week.csv"
fi

#--- 3. UTF-8 + gzip + BOM + CRLF ------------------------------------------------------
if run gen_gz "$GEN" $COMMON --encoding utf-8 --bom --crlf --gzip -o "$W/shop_utf8.csv.gz" \
    --expected "$W/exp_gz.csv" --expected-rejects "$W/exp_rej_gz.csv" &&
  run rouse_gz "$ROUSE" summary "$W/shop_utf8.csv.gz" --threads 2 --reject "$W/rej_gz.csv" \
    -o "$W/out_gz.csv"; then
  same_file "UTF-8+gzip+BOM+CRLF summary equals the expected one" "$W/exp_gz.csv" "$W/out_gz.csv"
  same_rejects "UTF-8+gzip+BOM+CRLF rejected rows" "$W/exp_rej_gz.csv" "$W/rej_gz.csv"
  same_counts "UTF-8+gzip+BOM+CRLF closing report counts" "$W/gen_gz.log" "$W/rouse_gz.log"
  same_file "same data in another encoding and line ends: same expected summary" \
    "$W/exp.csv" "$W/exp_gz.csv"
  if grep -q 'gzip, UTF-8 with BOM' "$W/rouse_gz.log"; then ok "rouse detects gzip and the BOM"; else
    not_ok "rouse detects gzip and the BOM" "report:"; excerpt "$W/rouse_gz.log" 5; fi
fi

#--- 4. tab-separated ------------------------------------------------------------------
if run gen_tab "$GEN" $COMMON --encoding cp932 --delimiter tab -o "$W/shop.tsv" \
    --expected "$W/exp_tab.csv" --expected-rejects "$W/exp_rej_tab.csv" &&
  run rouse_tab "$ROUSE" summary "$W/shop.tsv" --reject "$W/rej_tab.csv" -o "$W/out_tab.csv"; then
  same_file "tab-separated summary equals the expected one" "$W/exp_tab.csv" "$W/out_tab.csv"
  same_rejects "tab-separated rejected rows" "$W/exp_rej_tab.csv" "$W/rej_tab.csv"
  same_counts "tab-separated closing report counts" "$W/gen_tab.log" "$W/rouse_tab.log"
fi

#--- 5. two malls read together == one file ---------------------------------------------
if run gen_m1 "$GEN" $COMMON --encoding cp932 --mall 1/2 -o "$W/mall1.csv" \
    --expected-rejects "$W/exp_rej_m1.csv" &&
  run gen_m2 "$GEN" $COMMON --encoding utf-8 --mall 2/2 -o "$W/mall2.csv" \
    --expected-rejects "$W/exp_rej_m2.csv" &&
  run rouse_malls "$ROUSE" summary "$W/mall1.csv" "$W/mall2.csv" --reject "$W/rej_malls.csv" \
    -o "$W/out_malls.csv"; then
  same_file "two malls (CP932 + UTF-8) read together give the one-file summary" \
    "$W/out_t1.csv" "$W/out_malls.csv"
  same_file "two malls read together give the expected summary" "$W/exp.csv" "$W/out_malls.csv"
  { sed 's/^/mall1.csv,/' "$W/exp_rej_m1.csv"; sed 's/^/mall2.csv,/' "$W/exp_rej_m2.csv"; } |
    LC_ALL=C sort >"$W/rej_malls.exp"
  rouse_rejects "$W/rej_malls.csv" 1 >"$W/rej_malls.act"
  if cmp -s "$W/rej_malls.exp" "$W/rej_malls.act"; then ok "two malls: rejected rows per file"; else
    not_ok "two malls: rejected rows per file" "(file,line,reason) differ:"
    diff -u "$W/rej_malls.exp" "$W/rej_malls.act" >"$W/diff.txt" 2>&1
    excerpt "$W/diff.txt" 30
  fi
  m1=$(sed -n 's/.*rows read \([0-9]*\) .*/\1/p' "$W/gen_m1.log")
  m2=$(sed -n 's/.*rows read \([0-9]*\) .*/\1/p' "$W/gen_m2.log")
  all=$(sed -n 's/.*rows read \([0-9]*\) .*/\1/p' "$W/gen_cp932.log")
  rr=$(sed -n 's/.*rows read \([0-9]*\) .*/\1/p' "$W/rouse_malls.log")
  if [ -n "$m1" ] && [ $((m1 + m2)) -eq "$all" ] && [ "$rr" = "$all" ]; then
    ok "two malls: $m1 + $m2 rows = $all rows read"
  else
    not_ok "two malls: rows add up" "mall1 $m1, mall2 $m2, whole $all, rouse read $rr"
  fi
fi

#--- 6. plain benchmark format, with returns and zero-padded ids -----------------------
if run gen_plain "$GEN" --format plain --customers 3000 --seed 7 --id-style padded \
    --return-rate 0.05 --bad-rows 8 -o "$W/plain.csv" \
    --expected "$W/exp_plain.csv" --expected-rejects "$W/exp_rej_plain.csv" &&
  run rouse_plain "$ROUSE" summary "$W/plain.csv" --reject "$W/rej_plain.csv" \
    -o "$W/out_plain.csv"; then
  same_file "plain format (returns, padded ids) summary" "$W/exp_plain.csv" "$W/out_plain.csv"
  same_rejects "plain format rejected rows" "$W/exp_rej_plain.csv" "$W/rej_plain.csv"
  same_counts "plain format closing report counts" "$W/gen_plain.log" "$W/rouse_plain.log"
fi

#--- 6b. amounts with cents: exact decimal rounding of mean_repeat_amount ---------------
# With cents, exact decimal ties are common (19.65 / 2 = 9.825 must print 9.83, which binary
# floating point would round down); rouse rounds the means from integers.
if run gen_cents "$GEN" --format plain --customers 3000 --seed 7 --decimals 2 --spend-scale 1 \
    -o "$W/cents.csv" --expected "$W/exp_cents.csv" &&
  run rouse_cents "$ROUSE" summary "$W/cents.csv" -o "$W/out_cents.csv"; then
  same_file "amounts with cents: summary equals the expected one (decimal ties)" \
    "$W/exp_cents.csv" "$W/out_cents.csv"
fi

#--- 7. the generator itself -------------------------------------------------------------
if run gen_again "$GEN" $COMMON --encoding cp932 --threads 1 -o "$W/shop_again.csv" \
    --expected "$W/exp_again.csv"; then
  if cmp -s "$W/shop.csv" "$W/shop_again.csv" && cmp -s "$W/exp.csv" "$W/exp_again.csv"; then
    ok "rouse-gen is deterministic (same seed, other thread count: identical bytes)"
  else
    not_ok "rouse-gen is deterministic (same seed, other thread count: identical bytes)"
  fi
fi
if "$GEN" --help >"$W/help.txt" 2>&1 && grep -q -- '--expected-rejects' "$W/help.txt"; then
  ok "rouse-gen --help documents the options"
else
  not_ok "rouse-gen --help documents the options"
fi
"$GEN" --no-such-option >/dev/null 2>"$W/badopt.log"
rc=$?
if [ $rc -eq 2 ] && [ -s "$W/badopt.log" ]; then ok "rouse-gen: unknown option -> message, exit 2"; else
  not_ok "rouse-gen: unknown option -> message, exit 2" "exit $rc"; fi
"$GEN" --customers abc >/dev/null 2>"$W/badopt.log"
rc=$?
if [ $rc -eq 2 ]; then ok "rouse-gen: bad value -> exit 2"; else not_ok "rouse-gen: bad value -> exit 2" "exit $rc"; fi

echo "1..$n"
echo "# $passed passed, $failed failed, $todo todo"
[ "$failed" -eq 0 ]
