# an unknown key in the config file is an error (a typo is never silently ignored)
printf "{\"horizon\": \"180d\", \"horizom\": \"90d\"}\n" > "$OUT/c.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/c.json"
