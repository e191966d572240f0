# --model all on a file without amounts fits the purchase models and skips gg, with a note
cut -d, -f1,2 ../../data/cdnow_sample/transactions.csv >"$OUT/noamt.csv"
"$ROUSE" fit "$OUT/noamt.csv" --calibration-end 1997-09-30 --model all -o "$OUT/m.json" \
  | grep -E '^(model|customers) ' || exit
grep -o '"model": "[a-z]*"' "$OUT/m.json"
