"$ROUSE" predict ../../data/cdnow_sample/transactions.csv --model-file "$OUT/none.json"
