# malformed JSON: the error names the file, line and column
printf "{\n  \"horizon\": \"180d\",\n  \"model\": auto\n}\n" > "$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/c.json"
