# a master with withdrawal dates (退会日): a customer withdrawn before the as-of date is lost,
# one withdrawn after it is not yet (a backtest at a cutoff sees the shop as it was then),
# and one marked withdrawn without a date is lost at any date. CDNOW sample at 1998-01-01:
# 1 withdrew 1997-06-01 (lost), 6 on 1998-03-01 (after: keeps its state), 9 is 退会 undated.
printf '会員ID,退会日,会員状態\n1,1997-06-01,\n6,1998-03-01,\n8,,有効\n9,,退会\n' >"$OUT/master.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --as-of 1998-01-01 -q \
  -o "$OUT/plain.csv" || exit 1
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --as-of 1998-01-01 \
  --master "$OUT/master.csv" -o "$OUT/scores.csv" 2>"$OUT/err"
echo "exit $?"
grep '^rouse: master' "$OUT/err"
for f in plain scores; do
  awk -F, -v f=$f '$1 == "1" || $1 == "6" || $1 == "9" { print f ": " $1 "," $2 }' "$OUT/$f.csv"
done
# at a later date customer 6 is lost too
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --as-of 1998-06-01 -q \
  --master "$OUT/master.csv" -o "$OUT/later.csv"
awk -F, '$1 == "6" { print "1998-06-01: " $1 "," $2 }' "$OUT/later.csv"
