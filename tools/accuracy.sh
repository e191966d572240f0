#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the tables of docs/accuracy.md from the real data sets and two generated ones:
# `rouse backtest FILE --cutoff DATE --horizon SPAN --json` per data set, then per model AUC,
# PR-AUC, top-decile lift, Brier, calibration error (ECE), log loss and predicted vs actual
# purchases, the RFM and recency baselines, the model `--model auto` chose, and whether the
# goal of issue 4 is met (chosen AUC >= RFM AUC + 0.03, lift >= RFM's, ECE <= 0.05).
#
#   tools/accuracy.sh            (from anywhere; paths are relative to the repository root)
#
# Environment:
#   BUILD   build directory with rouse and tools/rouse-gen (default: build/ of the repo)
#   SHARED  the shared folder holding data/*/ (default: ../shared from the repo root);
#           a data set whose file is absent is skipped with the reason printed and written
#   OUT     the document (default: docs/accuracy.md)
#
# Only the part between <!-- BEGIN GENERATED --> and <!-- END GENERATED --> is rewritten;
# the hand-written text around it is kept. Inside it, the "Run" header (date, machine,
# commit, wall seconds per backtest) changes from run to run; everything after it depends
# only on the data, the options and the rouse build (the backtests are bit-identical at any
# thread count). Dev tool: python3 (Debian's) parses the JSON; the product does not use it.
# Exit status: 0 all backtests ran (skipped data sets included), 1 a backtest failed
# (the document is still written, with the failure), 2 usage or setup error.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${BUILD:-}" ]; then
  BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "accuracy: BUILD: no such directory" >&2; exit 2; }
else
  BUILD=$ROOT/build
fi
cd "$ROOT"
SHARED=${SHARED:-../shared}
OUT=${OUT:-docs/accuracy.md}
ROUSE=$BUILD/rouse
GEN=$BUILD/tools/rouse-gen
for b in "$ROUSE" "$GEN"; do
  [ -x "$b" ] || { echo "accuracy: $b not found: build first (ninja -C build)" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "accuracy: python3 is needed" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The data sets: name | label | file (under $SHARED/data; gen: or gen:shop: generated) | cutoff |
# horizon | in the issue's goal list (yes/no) | note. The options are the ones of the
# issue (CDNOW, grocery, Online Retail II); every file is read with rouse's automatic
# column mapping (each SOURCE.md lists the header; `rouse summary FILE` shows the mapping).
DATASETS=$(cat <<'EOF'
cdnow_sample|CDNOW sample (2,357 customers)|cdnow_sample/transactions.csv|1997-09-30|39w|yes|Q1-1997 cohort; 39 weeks of history, 39 weeks of outcome
grocery|Grocery (BTYDplus groceryElog)|grocery/transactions.csv|2006-12-31|52w|yes|Q1-2006 cohort, no amounts; 52 weeks of history, 52 weeks of outcome
online_retail_ii|Online Retail II (UCI)|online_retail_ii/transactions.csv.gz|2011-06-09|180d|yes|UK giftware, 2009-12-01 .. 2011-12-09; 18 months of history, 180 days of outcome
generated|Generated (rouse-gen, BG/NBD with CDNOW parameters)|gen:|2023-12-31|180d|yes|20,000 customers, first purchases in the first 12 weeks of 2023; 1 year of history, 180 days of outcome
generated_shop|Generated shop (rouse-gen --format shop: line items, categories)|gen:shop|2023-12-31|180d|yes|the same process written as a Japanese cart export: 1-5 line items per order, a product category per line (a customer's favourite is the category whose typical cycle is nearest their own rhythm), cancellations and returns; 20,000 customers
dunnhumby|dunnhumby Complete Journey 2.0, 75,000-line sample|dunnhumby_completejourney_sample/transactions.csv|2017-07-04|180d|no|one year (2017) of a 3% random line sample; the cutoff leaves the product's default 180-day horizon to the last day of the data
EOF
)
# the generated data: fixed seed and size, one year of history before the cutoff and the
# 180-day horizon after it (2024-01-01 .. 2024-06-28)
GEN_OPTS=(-n 20000 -s 1 --start 2023-01-01 --end 2024-06-28)
GEN_SHOP_OPTS=("${GEN_OPTS[@]}" --format shop)

manifest=$tmp/manifest.tsv
: >"$manifest"
failed=0
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
while IFS='|' read -r name label file cutoff horizon goal note; do
  [ -n "$name" ] || continue
  json=$tmp/$name.json
  if [ "${file%%:*}" = gen ]; then
    if [ "$file" = gen:shop ]; then opts=("${GEN_SHOP_OPTS[@]}"); else opts=("${GEN_OPTS[@]}"); fi
    input=$tmp/$name.csv
    shown="$name.csv"
    gen_cmd="rouse-gen ${opts[*]} -o $name.csv"
    if ! "$GEN" "${opts[@]}" -q -o "$input" 2>"$tmp/$name.err"; then
      echo "accuracy: $name: rouse-gen failed: $(head -c 300 "$tmp/$name.err")" >&2
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tfail\t%s\t\t%s\n' "$name" "$label" "$shown" "$cutoff" \
        "$horizon" "$goal" "$note" "rouse-gen failed" "$gen_cmd" >>"$manifest"
      failed=1
      continue
    fi
  else
    input=$SHARED/data/$file
    shown=$input
    gen_cmd=""
    if [ ! -d "$SHARED" ] || [ ! -f "$input" ]; then
      why="$input not found"
      [ -d "$SHARED" ] || why="$SHARED (the shared data folder) not found"
      echo "accuracy: $name: skipped: $why" >&2
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tskip\t%s\t\t\n' "$name" "$label" "$shown" "$cutoff" \
        "$horizon" "$goal" "$note" "$why" >>"$manifest"
      continue
    fi
  fi
  echo "accuracy: $name: rouse backtest $shown --cutoff $cutoff --horizon $horizon ..." >&2
  t0=$EPOCHREALTIME
  rc=0
  "$ROUSE" backtest "$input" --cutoff "$cutoff" --horizon "$horizon" --json -q \
    >"$json" 2>"$tmp/$name.err" || rc=$?
  t1=$EPOCHREALTIME
  secs=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$t1")
  if [ "$rc" -ne 0 ]; then
    err=$(tr '\n' ' ' <"$tmp/$name.err" | head -c 300)
    echo "accuracy: $name: FAILED (exit $rc, $secs s): $err" >&2
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tfail\texit %s: %s\t%s\t%s\n' "$name" "$label" "$shown" \
      "$cutoff" "$horizon" "$goal" "$note" "$rc" "$err" "$secs" "$gen_cmd" >>"$manifest"
    failed=1
    continue
  fi
  echo "accuracy: $name: done in $secs s" >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tok\t%s\t%s\t%s\n' "$name" "$label" "$shown" "$cutoff" \
    "$horizon" "$goal" "$note" "$json" "$secs" "$gen_cmd" >>"$manifest"
done <<<"$DATASETS"

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# changes to the sources the build is made of (not docs/, which this script writes)
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- . ':(exclude)docs' 2>/dev/null; then
  commit="$commit (with uncommitted changes outside docs/)"
fi
cpu=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
version=$("$ROUSE" --version 2>/dev/null | head -1)

python3 - "$manifest" "$OUT" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "${cpu:-unknown}" \
  "$commit" "$version" "$load" <<'PY'
import json, os, sys

manifest, out, date, ncpu, cpu, commit, version, load = sys.argv[1:9]
BEGIN, END = "<!-- BEGIN GENERATED -->", "<!-- END GENERATED -->"
MODELS = ["bgnbd", "mbgnbd", "pnbd", "mbgcnbd", "gbm"]
NAMES = {"bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD", "pnbd": "Pareto/NBD", "mbgcnbd": "MBG/CNBD-k",
         "gbm": "trees (gbm)", "rfm": "RFM score", "recency": "recency only"}
AUC_MARGIN, ECE_MAX = 0.03, 0.05

rows = []
with open(manifest, encoding="utf-8") as f:
    for line in f:
        p = line.rstrip("\n").split("\t")
        rows.append(dict(zip(["name", "label", "file", "cutoff", "horizon", "goal", "note",
                              "status", "detail", "secs", "gen"], p)))

def f4(v): return "–" if v is None else "%.4f" % v
def f3(v): return "–" if v is None else "%.3f" % v
def sgn(v): return "%+.4f" % v
def yn(ok): return "**yes**" if ok else "no"

def command(r):
    c = "rouse backtest %s --cutoff %s --horizon %s --json" % (r["file"], r["cutoff"], r["horizon"])
    return (r["gen"] + " && " + c) if r.get("gen") else c

head = []
head.append("## Run")
head.append("")
head.append("Generated by `tools/accuracy.sh` on %s; %s, commit %s; machine: %s CPUs, %s; "
            "load average at the start %s. Wall seconds per backtest (one run, whole command "
            "including reading the file; they vary with the machine's load):" %
            (date, version or "rouse", commit, ncpu, cpu, load))
head.append("")
head.append("| data set | status | wall s |")
head.append("|---|---|---:|")
for r in rows:
    st = {"ok": "ran", "skip": "skipped: " + r["detail"], "fail": "FAILED: " + r["detail"]}[r["status"]]
    head.append("| %s | %s | %s |" % (r["label"], st.replace("|", "\\|"), r["secs"] or "–"))
head.append("")
head.append("<!-- everything below depends only on the data, the options and the rouse build -->")
head.append("")

def load_json(r):
    with open(r["detail"], encoding="utf-8") as f:
        d = json.load(f)
    by = {m["model"]: m for m in d["models"]}
    return d, by

goal_t = ["## The goal, per data set", "",
          "Goal (issue 4): the chosen model's AUC at least RFM's + 0.03, its top-decile lift at "
          "least RFM's, its calibration error (ECE) at most 0.05. Computed by the script from "
          "the JSON; *best* is the highest AUC of any model, whether chosen or not.", "",
          "| data set | customers | purchased | RFM AUC | RFM lift | recency AUC | chosen | "
          "chosen AUC | − RFM | lift | ECE | AUC goal | lift goal | ECE goal | **goal met** | "
          "best AUC (model), − RFM | purchases predicted / actual |",
          "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|---|---|---|---:|"]
detail = ["## Every model, per data set", ""]
for r in rows:
    if r["status"] != "ok":
        goal_t.append("| %s | – | – | – | – | – | – | – | – | – | – | – | – | – | %s | – | – |" %
                      (r["label"], "skipped" if r["status"] == "skip" else "FAILED"))
        continue
    d, by = load_json(r)
    rfm, rec = by.get("rfm"), by.get("recency")
    ch = by.get(d["chosen"])
    n, pos = rfm["customers"], rfm["purchasers"]
    share = pos / n if n else 0
    max_lift = min(10.0, 1 / share) if share > 0 else 0
    auc_ok = ch["auc"] >= rfm["auc"] + AUC_MARGIN
    lift_ok = ch["lift_top10"] >= rfm["lift_top10"]
    ece_ok = ch.get("ece") is not None and ch["ece"] <= ECE_MAX
    best = max((by[m] for m in MODELS if m in by and "auc" in by[m]), key=lambda e: e["auc"])
    # counts: the chosen purchase model's; the trees have none (expected purchases then come
    # from BG/NBD, docs/scoring.md)
    cnt_m = d["chosen"] if "predicted_purchases" in ch else "bgnbd"
    cm = by.get(cnt_m, {})
    if "predicted_purchases" in cm and cm["actual_purchases"]:
        pa = "%.1f / %.0f (%+.1f%%%s)" % (cm["predicted_purchases"], cm["actual_purchases"],
                                           100 * (cm["predicted_purchases"] / cm["actual_purchases"] - 1),
                                           "" if cnt_m == d["chosen"] else ", " + cnt_m)
    else:
        pa = "–"
    label = r["label"] + ("" if r["goal"] == "yes" else " (not in the issue's list)")
    goal_t.append("| %s | %d | %d (%.1f%%) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s), %s | %s |" % (
        label, n, pos, 100 * share, f4(rfm["auc"]), f3(rfm["lift_top10"]), f4(rec["auc"]),
        d["chosen"], f4(ch["auc"]), sgn(ch["auc"] - rfm["auc"]), f3(ch["lift_top10"]),
        f4(ch.get("ece")), yn(auc_ok), yn(lift_ok), yn(ece_ok), yn(auc_ok and lift_ok and ece_ok),
        f4(best["auc"]), best["model"], sgn(best["auc"] - rfm["auc"]), pa))

    detail.append("### " + r["label"])
    detail.append("")
    detail.append("`%s`  " % command(r))
    detail.append("%s. Outcome: a purchase in %s .. %s (%d days). %d customers with a purchase "
                  "on or before the cutoff, %d (%.1f%%) purchased in the horizon; the highest "
                  "possible top-decile lift is %.3f. Chosen by `--model auto`: **%s**, %s." % (
                      r["note"][0].upper() + r["note"][1:], d["outcome_from"], d["outcome_to"],
                      d["horizon_days"], n, pos, 100 * share, max_lift, d["chosen"], d["why"]))
    detail.append("")
    detail.append("| model | AUC | PR-AUC | lift10 | Brier | ECE | log loss | predicted | actual |")
    detail.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in MODELS + ["rfm", "recency"]:
        e = by.get(m)
        nm = NAMES[m] + (" **(chosen)**" if m == d["chosen"] else "")
        if e is None:
            detail.append("| %s | missing from the backtest output | | | | | | | |" % nm)
            continue
        if "auc" not in e:  # a model that could not be fitted: rouse says why
            detail.append("| %s | %s | | | | | | | |" % (nm, e.get("error", "not fitted")))
            continue
        pr = "%.1f" % e["predicted_purchases"] if "predicted_purchases" in e else "–"
        ac = "%.0f" % e["actual_purchases"] if "actual_purchases" in e else "–"
        detail.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            nm, f4(e["auc"]), f4(e["pr_auc"]), f3(e["lift_top10"]), f4(e.get("brier")),
            f4(e.get("ece")), f4(e.get("log_loss")), pr, ac))
    detail.append("")

goal_t.append("")
goal_t.append("predicted / actual: total repeat purchases (distinct purchase days) in the horizon, "
              "summed over the customers, from the chosen purchase model; when the trees are "
              "chosen, their expected purchases are BG/NBD's (docs/scoring.md).")
goal_t.append("")
gen = "\n".join([BEGIN, "<!-- written by tools/accuracy.sh: edit the script, not this part -->", ""]
                + head + goal_t + detail).rstrip("\n") + "\n" + END

if os.path.exists(out):
    with open(out, encoding="utf-8") as f:
        text = f.read()
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        sys.exit("accuracy: %s has not exactly one %s ... %s pair: not rewritten" % (out, BEGIN, END))
    pre, rest = text.split(BEGIN, 1)
    post = rest.split(END, 1)[1]
else:
    pre = ("# Accuracy of rouse backtest on real data\n\n"
           "Regenerate the tables with `tools/accuracy.sh`.\n\n")
    post = "\n"
with open(out + ".tmp", "w", encoding="utf-8") as f:
    f.write(pre + gen + post)
os.replace(out + ".tmp", out)
print("accuracy: wrote %s" % out, file=sys.stderr)
skipped = [r["name"] for r in rows if r["status"] == "skip"]
if skipped:
    print("accuracy: note: %s skipped, so %s lacks their results (git checkout %s restores "
          "the committed ones)" % (", ".join(skipped), out, out), file=sys.stderr)
PY
exit $failed
