# a value of the wrong type names the key and what was expected
printf "{\"trend_days\": \"ninety\"}\n" > "$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/c.json"
