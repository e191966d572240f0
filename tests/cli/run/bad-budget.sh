# --budget is a non-negative amount
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --budget -5
