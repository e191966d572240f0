# not JSON: the message gives the line of the syntax error
printf '{\n  "model": "bgnbd",\n  oops\n}\n' >"$OUT/corrupt.json"
"$ROUSE" predict ../../data/cdnow_sample/transactions.csv --model-file "$OUT/corrupt.json"
