# The CDNOW sample with four bad rows appended (lines 6921-6924: empty customer id, 30 February,
# amount 'abc', 3 of 5 fields). Rows read 6923 = the 6919 good rows accepted + 4 rejected, one
# of each reason; each rejected row is shown with its line (and column); the scores are the
# same bytes as those of the clean file. With --max-errors 3 the four rejects are an input
# error (exit 1) and no scores are written; --max-errors 4 is within the limit.
D=../../data/cdnow_sample/transactions.csv
{ cat "$D"; printf ',1998-06-30,10.00,1,0\n5,1998-02-30,10.00,1,5\n5,1998-06-01,abc,1,5\n5,1998-06-01,10.00\n'; } \
  >"$OUT/bad.csv"
"$ROUSE" score "$OUT/bad.csv" -o "$OUT/s.csv" 2>"$OUT/err"
echo "exit $?"
grep -E '^rouse: (.*: line |rows read|  rejected:)' "$OUT/err"
"$ROUSE" score "$D" -q -o "$OUT/clean.csv" || exit
cmp "$OUT/s.csv" "$OUT/clean.csv" && echo "scores identical to the clean file's"
"$ROUSE" score "$OUT/bad.csv" -q --max-errors 3 -o "$OUT/s3.csv"
echo "exit $?"
[ -e "$OUT/s3.csv" ] && echo "scores written" || echo "no scores"
"$ROUSE" score "$OUT/bad.csv" -q --max-errors 4 -o "$OUT/s4.csv"
echo "exit $?"
cmp "$OUT/s4.csv" "$OUT/clean.csv" && echo "scores identical to the clean file's"
