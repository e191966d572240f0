# --top 50 caps each list at 50 customers, holdout included (45 contacted + 5 holdout at
# --holdout 10), and the overview counts the rest as left out by it; --lang en gives English
# reasons in the lists; --excel-bom starts every CSV (not results.json) with EF BB BF.
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --top 50 --holdout 10 \
  --lang en --excel-bom -q | sed -n '/^Lists/,/^$/p'
for f in scores prevention winback; do
  printf '%s.csv:' $f; head -c 3 "$OUT/r/$f.csv" | od -An -tx1
  printf '%s.csv lines: ' $f; wc -l <"$OUT/r/$f.csv"
done
printf 'results.json:'; head -c 1 "$OUT/r/results.json" | od -An -c
for f in prevention winback; do printf '%s holdout: ' $f; cut -d, -f7 "$OUT/r/$f.csv" | grep -c '^1$'; done
sed -n 2,3p "$OUT/r/prevention.csv"
sed -n 2p "$OUT/r/winback.csv"
