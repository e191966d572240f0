# two config files are refused (the second was once silently ignored); -cFILE is read
printf "{\"horizon\": \"30d\"}\n" > "$OUT/a.json"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/a.json" --config "$OUT/none.json"
echo "exit $?"
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c"$OUT/none.json"
