# --top is a whole number of customers, at least 1 (0 is refused: leave --top out for no limit)
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --top 0
