# rouse score on the CDNOW sample with a customer master (会員状態) marking customers 1
# (at_risk without the master), 6 and 9 (active) and 99999 (not in the data) withdrawn:
# 1, 6 and 9 become lost, 8 (active, 有効 in the master) is unchanged, and every other
# customer keeps its state (lost: 7 without the master, 10 with it).
printf '会員ID,氏名,会員状態\n1,A,退会\n6,B,withdrawn\n8,C,有効\n9,D,配信停止\n99999,E,退会済み\n' \
  >"$OUT/master.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 -o "$OUT/plain.csv" -q || exit 1
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -j 2 --master "$OUT/master.csv" \
  -o "$OUT/scores.csv" 2>"$OUT/err"
echo "exit $?"
grep '^rouse: master' "$OUT/err"
awk -F, '$1 == "1" || $1 == "6" || $1 == "8" || $1 == "9" { print $1 "," $2 }' "$OUT/scores.csv"
echo "lost: $(awk -F, '$2 == "lost"' "$OUT/plain.csv" | wc -l) -> $(awk -F, '$2 == "lost"' "$OUT/scores.csv" | wc -l)"
# apart from the three, the states are the same
diff <(cut -d, -f1,2 "$OUT/plain.csv" | grep -v -E '^(1|6|9),') \
  <(cut -d, -f1,2 "$OUT/scores.csv" | grep -v -E '^(1|6|9),') && echo "other states unchanged"
