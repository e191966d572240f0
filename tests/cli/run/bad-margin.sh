# --margin is a percentage above 0, at most 100
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --margin 0
