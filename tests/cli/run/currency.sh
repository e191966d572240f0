# --currency: the CDNOW sample is in dollars. results.json records the currency and the cost
# per contact (a postcard: $1 by default, where it is 100 in yen); the report shows dollars
# ($ in English, ドル in Japanese) and no yen; the config key does the same; --cost still
# wins; an unknown code is a usage error.
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -j 2 -q --no-pdf --currency USD \
  --lang en --out "$OUT/usd" | sed -n '/^Lists/,/^$/p'
grep -o '"currency": "[A-Z]*"\|"cost_per_contact": [0-9.]*' "$OUT/usd/results.json"
. "$(dirname "$0")/../report/text.sh"
html_text "$OUT/usd/report.html" | grep -o 'cost per contact ([^)]*)\|shown as [A-Z]*' | sort -u
echo "yen signs: $(grep -c '¥' "$OUT/usd/report.html")"
"$ROUSE" report "$OUT/usd" --lang ja --no-pdf -q
html_text "$OUT/usd/report.html" | grep -o '接触費用（[^、]*' | sort -u
echo "円: $(html_text "$OUT/usd/report.html" | grep -c '[0-9]円')"
printf '{"currency": "EUR", "lists": {"cost_per_contact": 2}}\n' > "$OUT/c.json"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -j 2 -q --no-report -c "$OUT/c.json" \
  --out "$OUT/eur" >/dev/null
grep -o '"currency": "[A-Z]*"\|"cost_per_contact": [0-9.]*' "$OUT/eur/results.json"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -q --currency yen --out "$OUT/x"
echo "exit $?"
