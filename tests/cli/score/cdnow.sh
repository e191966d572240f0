# rouse score on the bundled CDNOW sample at the day after its last row: the header of
# the documented columns, the first customers and one row per customer (2357 + header)
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q -o "$OUT/s.csv"
head -4 "$OUT/s.csv"
wc -l < "$OUT/s.csv"
# every state of the lifecycle that occurs, with its count (states are a closed set)
cut -d, -f2 "$OUT/s.csv" | tail -n +2 | sort | uniq -c
