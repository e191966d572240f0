# report errors: no folder, no results.json, a broken one (line and column), a JSON that is
# not rouse's results, a bad --lang, two folders
"$ROUSE" report; echo "exit $?"
"$ROUSE" report "$OUT"; echo "exit $?"
printf '{\n  "data": {\n    "customers": 12,\n  }\n}\n' >"$OUT/results.json"
"$ROUSE" report "$OUT"; echo "exit $?"
echo '{"model": {}}' >"$OUT/results.json"
"$ROUSE" report "$OUT"; echo "exit $?"
"$ROUSE" report "$OUT" --lang fr; echo "exit $?"
"$ROUSE" report "$OUT" "$OUT"; echo "exit $?"
ls "$OUT"
