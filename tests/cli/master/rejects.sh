# Master rows with an empty id, too few fields or an unknown flag value are rejected and
# counted: rows read = accepted + rejected. Without --reject the first ones are shown on
# stderr; with --reject FILE.csv all of them go to FILE.master.csv (same columns as FILE.csv).
printf '顧客ID,氏名,退会フラグ,配信停止フラグ\n1,A,1,0\n,B,1,0\n6,C\n9,D,maybe,0\n8,E,0,1\n8,E,0,0\n' \
  >"$OUT/master.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --master "$OUT/master.csv" \
  -o "$OUT/scores.csv" 2>"$OUT/err"
echo "exit $?"
grep -F -e 'master' -e '  rejected:' "$OUT/err"
awk -F, '$1 == "1" || $1 == "6" || $1 == "8" || $1 == "9" { print $1 "," $2 }' "$OUT/scores.csv"
echo "--- with --reject"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --master "$OUT/master.csv" \
  --reject "$OUT/rej.csv" -o "$OUT/scores.csv" 2>"$OUT/err"
echo "exit $?"
grep -F -e 'master' -e '  rejected:' "$OUT/err"
cat "$OUT/rej.csv"
sed "s|$OUT|\$OUT|g" "$OUT/rej.master.csv"
