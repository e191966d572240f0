# valid JSON that is not an object (an array) is refused: the keys must be named
echo '[{"horizon": "180d"}]' >"$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/c.json"
