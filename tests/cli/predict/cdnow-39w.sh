# fit -o, then predict 39 weeks from the calibration end on the CDNOW sample: the sums of
# expected_purchases are the holdout predictions of 'fit' (~1653 BG/NBD, ~1665 Pareto/NBD).
D=../../data/cdnow_sample/transactions.csv
"$ROUSE" fit -q "$D" --calibration-end 1997-09-30 --model all -o "$OUT/model.json" >/dev/null \
  || exit
"$ROUSE" predict "$D" --model-file "$OUT/model.json" --as-of 1997-10-01 --horizon 39w \
  -o "$OUT/p.csv" || exit
head -4 "$OUT/p.csv"
grep -E '^(1516|1000|2357),' "$OUT/p.csv"
awk -F, 'NR > 1 {n++; e += $6; c += $9} END {printf "%d customers, expected %.1f, clv %.0f\n", n, e, c}' \
  "$OUT/p.csv"
"$ROUSE" predict -q "$D" -M "$OUT/model.json" -m pnbd --as-of 1997-10-01 --horizon 39w \
  | awk -F, 'NR > 1 {e += $6} END {printf "pnbd: expected %.1f\n", e}'
