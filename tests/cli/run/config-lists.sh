# The list keys of the config file (docs/scoring.md, section 6) used by rouse run: a budget
# of 5,000 at 50 per contact is 100 contacted per list, plus a 20% holdout (100 / 0.8 = 125
# listed); horizon 26w is 182 days. --budget 1000 on the command line overrides the file:
# 20 contacted + 5 holdout. results.json holds the same counts.
printf '{"horizon": "26w", "lists": {"budget": 5000, "cost_per_contact": 50, "holdout_percent": 20}}\n' \
  >"$OUT/c.json"
D=../../data/cdnow_sample/transactions.csv
"$ROUSE" run "$D" -q -c "$OUT/c.json" --out "$OUT/a" | sed -n '1p;/^Lists/,/^$/p'
grep -E '"(horizon_days|listed|contacted|holdout|cost)"' "$OUT/a/results.json"
"$ROUSE" run "$D" -q -c "$OUT/c.json" --budget 1000 --out "$OUT/b" | sed -n '/^Lists/,/^$/p'
