# a key given twice in the config file is an error, not "the last one wins"
printf "{\"horizon\": \"90d\", \"horizon\": \"30d\"}\n" > "$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/c.json"
