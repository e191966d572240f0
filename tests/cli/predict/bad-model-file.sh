# valid JSON, but not a model saved by 'rouse fit -o'
echo '{"model": "bgnbd", "unit": "week", "params": {"r": -1}}' >"$OUT/bad.json"
"$ROUSE" predict ../../data/cdnow_sample/transactions.csv --model-file "$OUT/bad.json"
