# a model in days (t_x and T as whole days) and customer ids that need CSV quoting
awk -F, 'NR == 1 {print; next} {$1 = "\"c,\"\"" $1 "\"\"\""; print}' OFS=, \
  ../../data/cdnow_sample/transactions.csv >"$OUT/q.csv"
"$ROUSE" fit -q "$OUT/q.csv" --calibration-end 1997-09-30 --unit day -o "$OUT/model.json" \
  >/dev/null || exit
"$ROUSE" predict -q "$OUT/q.csv" -M "$OUT/model.json" --as-of 1997-10-01 --horizon 30d \
  -o "$OUT/p.csv" || exit
head -3 "$OUT/p.csv"
grep -F '"c,""1516""",' "$OUT/p.csv"
