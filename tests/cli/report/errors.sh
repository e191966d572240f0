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
ls "$OUT" | grep -v "^r$\|^t.csv$\|^fonts.conf$\|^fc$"
# without the Japanese font (fontconfig sees no fonts at all) the report is still written,
# with a warning naming the Debian package
cp ../../data/cdnow_sample/transactions.csv "$OUT/t.csv"
"$ROUSE" run "$OUT/t.csv" --out "$OUT/r" --no-report -q >/dev/null
printf '<?xml version="1.0"?>\n<fontconfig><cachedir>%s/fc</cachedir></fontconfig>\n' "$OUT" >"$OUT/fonts.conf"
FONTCONFIG_FILE=$OUT/fonts.conf "$ROUSE" report "$OUT/r"; echo "exit $?"
ls "$OUT/r" | grep '^report'
