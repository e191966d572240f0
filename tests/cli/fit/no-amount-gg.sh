# the spend model needs amounts: a file without an amount column is an input error
cut -d, -f1,2 ../../data/cdnow_sample/transactions.csv >"$OUT/noamt.csv"
"$ROUSE" fit "$OUT/noamt.csv" --calibration-end 1997-09-30 --model gg
