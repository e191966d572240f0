# the CSV is the same bytes at any thread count
D=../../data/cdnow_sample/transactions.csv
"$ROUSE" fit -q "$D" --model all -o "$OUT/model.json" >/dev/null || exit
"$ROUSE" predict -q "$D" -M "$OUT/model.json" --horizon 1y -j 1 -o "$OUT/j1.csv" || exit
"$ROUSE" predict -q "$D" -M "$OUT/model.json" --horizon 1y -j 2 -o "$OUT/j2.csv" || exit
cmp "$OUT/j1.csv" "$OUT/j2.csv" && echo "identical, $(wc -l <"$OUT/j1.csv") lines"
