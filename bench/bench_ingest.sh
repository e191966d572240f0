#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Ingest benchmark: `rouse summary` on generated exports (rouse-gen), optionally against
# DuckDB (@duckdb/node-api) on the same reference file. See bench/README.md.
#
#   bench/bench_ingest.sh [--big] [--runs N] [--threads N] [--no-duckdb] [--regen]
#
# Inputs (generated once into bench/out/, reused while their generator options match):
#   ref        plain customer_id,date,amount, ISO dates, UTF-8: 1M customers, ~2.87M rows
#   shop-utf8  Japanese cart export (line items, cancellations, returns), UTF-8, ~82 MB
#   shop-cp932 the same rows in CP932, ~70 MB (CP932 vs UTF-8 = same data, other encoding)
#   big        (--big) plain, 10M customers, ~100M rows, ~2.4 GB
# Each input: warm the page cache, then N runs of
#   rouse summary FILE --threads T -q -o /dev/null
# timed by wall clock, peak RSS from /usr/bin/time -v. Best and median are reported.
set -euo pipefail

# paths, check_tools, gen_input, rows_of, stats, time_cmd
. "$(cd "$(dirname "$0")" && pwd)/common.sh"
RUNS=3
THREADS=2
BIG=0
DUCK=1
REGEN=0

usage() {
  sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'
  cat <<EOF

Options:
  --big         also the 100M-row file (needs ~2.4 GB disk, ~5 GB RAM for rouse-gen)
  --runs N      timed runs per input (default 3)
  --threads N   rouse and DuckDB threads (default 2)
  --no-duckdb   skip the DuckDB comparison (default: run it if node is available; the
                package is installed into bench/node_modules on first use)
  --regen       regenerate the inputs even if they exist
Environment: BUILD (default build/), ROUSE, GEN (paths of the programs).
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --big) BIG=1 ;;
    --runs) RUNS=${2:?--runs needs a value}; shift ;;
    --threads) THREADS=${2:?--threads needs a value}; shift ;;
    --no-duckdb) DUCK=0 ;;
    --regen) REGEN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_ingest.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $RUNS in ''|*[!0-9]*|0) echo "bench_ingest.sh: --runs must be a positive integer" >&2; exit 2 ;; esac
case $THREADS in ''|*[!0-9]*|0) echo "bench_ingest.sh: --threads must be a positive integer" >&2; exit 2 ;; esac

check_tools

#--- inputs -------------------------------------------------------------------------------
# name|file|generator options
INPUTS=(
  "ref|ref.csv|--format plain --customers 1000000 --seed 1"
  "shop-utf8|shop_utf8.csv|--format shop --customers 143000 --seed 1 --encoding utf-8"
  "shop-cp932|shop_cp932.csv|--format shop --customers 143000 --seed 1 --encoding cp932"
)
[ $BIG = 1 ] && INPUTS+=("big|big.csv|--format plain --customers 10000000 --r 1 --alpha 1.6 --seed 1")


for spec in "${INPUTS[@]}"; do
  IFS='|' read -r _ file opts <<<"$spec"
  gen_input "$file" "$opts"
done



declare -A BEST MED RSS SIZE ROWS
run_rouse() { # name file
  local name=$1 f=$OUT/$2 log=$OUT/run_$1
  rm -f "$log.rss"
  cat "$f" >/dev/null # warm the page cache: every run reads from memory
  local times=""
  for _ in $(seq "$RUNS"); do
    times+="$(time_cmd "$log" "$ROUSE" summary "$f" --threads "$THREADS" -q -o /dev/null) "
  done
  read -r BEST[$name] MED[$name] < <(printf '%s\n' $times | stats)
  RSS[$name]=$(sort -n "$log.rss" | tail -n 1)
  SIZE[$name]=$(stat -c %s "$f")
  ROWS[$name]=$(rows_of "$2")
  echo "  $name: runs ${times}s" >&2
}

#--- DuckDB -------------------------------------------------------------------------------
DUCK_OK=0
if [ $DUCK = 1 ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "DuckDB: skipped (no node)" >&2
  else
    if [ ! -d "$HERE/node_modules/@duckdb/node-api" ]; then
      if command -v npm >/dev/null 2>&1; then
        echo "DuckDB: installing @duckdb/node-api into bench/node_modules (npm)" >&2
        (cd "$HERE" && npm install --prefix "$HERE" --no-package-lock --no-audit --no-fund >&2) ||
          echo "DuckDB: npm install failed; skipping DuckDB" >&2
      else
        echo "DuckDB: skipped (no npm)" >&2
      fi
    fi
    [ -d "$HERE/node_modules/@duckdb/node-api" ] && DUCK_OK=1
  fi
fi

# The DuckDB query: the per-customer aggregate rouse's summary is built on (count of distinct
# days, first and last date, mean amount), over the same CSV, written as CSV to /dev/null
# (as rouse writes its summary to /dev/null; DuckDB's output is not sorted, rouse's is).
cat >"$OUT/duckdb_query.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const [file, threads] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await inst.connect();
const sql = `COPY (
  SELECT customer_id, count(DISTINCT date) AS purchase_days, min(date) AS first_purchase,
         max(date) AS last_purchase, avg(amount) AS mean_amount
  FROM read_csv('${file.replaceAll("'", "''")}', header = true, delim = ',',
                columns = {'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'})
  GROUP BY customer_id) TO '/dev/null' (FORMAT csv, HEADER)`;
const t0 = performance.now();
await con.run(sql);
const t1 = performance.now();
console.log(((t1 - t0) / 1000).toFixed(3)); // query time, without node start-up
EOF

run_duckdb() { # name file
  local name=$1 f=$OUT/$2 log=$OUT/run_duckdb_$1
  rm -f "$log.rss"
  cat "$f" >/dev/null
  local times="" qtimes=""
  for _ in $(seq "$RUNS"); do
    times+="$(time_cmd "$log" node "$OUT/duckdb_query.mjs" "$f" "$THREADS") "
    qtimes+="$(cat "$log.out") "
  done
  read -r BEST[duck_$name] MED[duck_$name] < <(printf '%s\n' $times | stats)
  read -r BEST[duckq_$name] MED[duckq_$name] < <(printf '%s\n' $qtimes | stats)
  RSS[duck_$name]=$(sort -n "$log.rss" | tail -n 1)
  echo "  duckdb $name: runs ${times}s (query only: ${qtimes}s)" >&2
}

#--- run ----------------------------------------------------------------------------------
echo "running: $RUNS runs each, --threads $THREADS" >&2
for spec in "${INPUTS[@]}"; do
  IFS='|' read -r name file _ <<<"$spec"
  run_rouse "$name" "$file"
done
if [ $DUCK_OK = 1 ]; then
  run_duckdb ref ref.csv
  [ $BIG = 1 ] && run_duckdb big big.csv
fi

#--- report -------------------------------------------------------------------------------
echo
echo "rouse ingest benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(uname -srm); $(nproc) CPUs; $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rouse: $("$ROUSE" --version 2>/dev/null || echo '?'); command: rouse summary FILE --threads $THREADS -q -o /dev/null"
echo "runs: $RUNS per input, page cache warm; times are wall clock"
echo
printf '%-11s %9s %11s %8s %8s %8s %9s %9s\n' input "size MB" rows "best s" "median s" "MB/s" "Mrows/s" "RSS MB"
for spec in "${INPUTS[@]}"; do
  IFS='|' read -r name _ _ <<<"$spec"
  awk -v n="$name" -v s="${SIZE[$name]}" -v r="${ROWS[$name]}" -v b="${BEST[$name]}" \
    -v m="${MED[$name]}" -v k="${RSS[$name]}" 'BEGIN {
      printf "%-11s %9.1f %11d %8.3f %8.3f %8.1f %9.2f %9.1f\n", n, s / 1e6, r, b, m,
             s / 1e6 / b, r / 1e6 / b, k / 1024 }'
done
echo
awk -v u="${BEST[shop-utf8]}" -v c="${BEST[shop-cp932]}" -v ur="${ROWS[shop-utf8]}" \
  -v p="${BEST[ref]}" -v pr="${ROWS[ref]}" 'BEGIN {
  printf "CP932 vs UTF-8, same shop rows (best times): %.2fx the time (goal: at most 2x)\n", c / u
  printf "shop UTF-8 vs plain reference, per row: %.2fx the time per row\n", (u / ur) / (p / pr) }'
if [ $DUCK_OK = 1 ]; then
  echo
  printf '%-11s %8s %8s %12s %9s %14s\n' "DuckDB" "best s" "median s" "query best s" "RSS MB" "DuckDB/rouse"
  for name in ref $([ $BIG = 1 ] && echo big); do
    awk -v n="$name" -v b="${BEST[duck_$name]}" -v m="${MED[duck_$name]}" \
      -v q="${BEST[duckq_$name]}" -v k="${RSS[duck_$name]}" -v r="${BEST[$name]}" 'BEGIN {
        printf "%-11s %8.3f %8.3f %12.3f %9.1f %8.2fx (%.2fx query only)\n", n, b, m, q, k / 1024,
               b / r, q / r }'
  done
  echo "DuckDB $(node -e "console.log(require('$HERE/node_modules/@duckdb/node-api/package.json').version)" 2>/dev/null), --threads $THREADS: per customer count(DISTINCT date), min/max(date), avg(amount) from read_csv, COPY TO /dev/null; wall time includes node start-up, 'query' does not"
fi
