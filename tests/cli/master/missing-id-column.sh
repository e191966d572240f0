# A master without a recognisable customer id column is an error naming the file, the line
# and the columns found (exit 1); no scores are written.
printf '氏名,メール,退会フラグ\nA,a@example.com,1\n' >"$OUT/master.csv"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q --master "$OUT/master.csv" \
  -o "$OUT/scores.csv"
echo "exit $?"
[ -e "$OUT/scores.csv" ] && echo "scores written" || echo "no scores"
