# the same run's report in English, and the HTML's promises: one file, no external
# reference (no src, no link, href only to its own sections), under 2 MB
. "$REPO/tests/cli/report/text.sh"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --no-pdf --lang en -q >/dev/null
ls "$OUT/r" | grep '^report'
html_text "$OUT/r/report.html"
grep -oE '(src|href)="[^#][^"]*"|<(link|script|img|iframe|object)\b' "$OUT/r/report.html" | grep -v 'xmlns' | wc -l
grep -oE 'href="#[^"]*"' "$OUT/r/report.html" | tr '\n' ' '; echo
[ "$(wc -c <"$OUT/r/report.html")" -lt 2000000 ] && echo "under 2 MB"
# the HTML parses and has every section; every chart is well-formed SVG (strict XML)
xmllint --html --xpath '//section/@id' "$OUT/r/report.html" 2>/dev/null | tr -s ' \n' ' '; echo
grep -oE '<svg[^>]*>.*</svg>' "$OUT/r/report.html" | sed 's/<\/svg>/<\/svg>\n/g' | grep '<svg' >"$OUT/svgs"
n=0; bad=0
while IFS= read -r s; do
  n=$((n + 1)); printf '%s\n' "$s" >"$OUT/one.svg"
  xmllint --noout "$OUT/one.svg" 2>/dev/null || bad=$((bad + 1))
done <"$OUT/svgs"
echo "charts: $n, not well-formed: $bad"
