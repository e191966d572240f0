# a config that works: horizon 30d and English reasons from the file (the stderr line
# 'scoring (horizon 30 days' and the reasons of customer 1, at_risk at 1.7x its interval);
# --horizon 26w (182 days) and --lang ja on the command line override the file
D=../../data/cdnow_sample/transactions.csv
printf '{\n  "horizon": "30d",\n  "lang": "en"\n}\n' >"$OUT/c.json"
"$ROUSE" score "$D" -c "$OUT/c.json" -o "$OUT/a.csv" 2>"$OUT/err" || exit
grep '^rouse: scoring' "$OUT/err"
sed -n 2p "$OUT/a.csv" | cut -d, -f1,2,11
"$ROUSE" score "$D" --config "$OUT/c.json" --horizon 26w --lang ja -o "$OUT/b.csv" 2>"$OUT/err" \
  || exit
grep '^rouse: scoring' "$OUT/err"
sed -n 2p "$OUT/b.csv" | cut -d, -f1,2,11
# and without the file: the 180-day default
"$ROUSE" score "$D" -o "$OUT/d.csv" 2>"$OUT/err" || exit
grep '^rouse: scoring' "$OUT/err"
