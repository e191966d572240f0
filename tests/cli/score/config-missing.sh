# a config file that does not exist
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -c "$OUT/none.json"
