# the demo: rouse run on the bundled sample with a budget and a 10% holdout. The overview
# (exact), the files with their headers, one scores row per customer, list sizes as the
# overview says, the holdout share of each list and the totals in results.json
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --budget 20000 --holdout 10 -q
ls "$OUT/r"
for f in scores prevention winback; do head -1 "$OUT/r/$f.csv"; printf "%s rows: " $f; tail -n +2 "$OUT/r/$f.csv" | wc -l; done
for f in prevention winback; do printf "%s holdout: " $f; cut -d, -f7 "$OUT/r/$f.csv" | grep -c "^1$"; done
head -3 "$OUT/r/winback.csv"
grep -E "\"(contacted|holdout|chosen|fit_customers)\"" "$OUT/r/results.json"
