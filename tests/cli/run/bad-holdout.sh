# --holdout is a percentage below 90
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --holdout 95
