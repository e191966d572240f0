# rows read = accepted + cancelled + rejected, on stderr and in results.json ("data"), for
# the CDNOW sample with two bad rows appended (an empty customer id and a bad date): 6921 rows
# read, 6919 accepted, 2 rejected; the scores are those of the clean file.
D=../../data/cdnow_sample/transactions.csv
{ cat "$D"; printf ',1998-06-30,10.00,1,0\n5,1998-02-30,10.00,1,5\n'; } >"$OUT/bad.csv"
"$ROUSE" run "$OUT/bad.csv" --out "$OUT/r" 2>"$OUT/err" >/dev/null || exit
grep -E '^rouse: (rows read|  rejected:)' "$OUT/err"
grep -E '^    "(rows_[a-z]+|customers)"' "$OUT/r/results.json"
"$ROUSE" run "$D" -q --out "$OUT/clean" >/dev/null || exit
cmp "$OUT/r/scores.csv" "$OUT/clean/scores.csv" && echo "scores identical to the clean file's"
