# the same input and options give byte-identical files at 1 and 2 threads
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/a" --holdout 10 -q --threads 1 > "$OUT/a.txt"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/b" --holdout 10 -q --threads 2 > "$OUT/b.txt"
for f in scores.csv prevention.csv winback.csv results.json; do cmp "$OUT/a/$f" "$OUT/b/$f" && echo "$f identical"; done
sed "s|$OUT/a|DIR|g" "$OUT/a.txt" > "$OUT/a2.txt"; sed "s|$OUT/b|DIR|g" "$OUT/b.txt" > "$OUT/b2.txt"
cmp "$OUT/a2.txt" "$OUT/b2.txt" && echo "overview identical"
