# the report of the demo run, in Japanese (the default): the numbers inside it (the HTML's
# text without its charts, golden), every PDF page inked, A4, the Japanese font embedded,
# the sections in the PDF outline's order, and the same bytes when drawn again
. "$REPO/tests/cli/report/text.sh"
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --holdout 10 --no-report -q >/dev/null
ls "$OUT/r" | grep -c '^report' # none yet
"$ROUSE" report "$OUT/r"
html_text "$OUT/r/report.html"
pdf_pages_inked "$OUT/r/report.pdf" "$OUT"
pdfinfo "$OUT/r/report.pdf" | grep -E '^(Title|Page size|CreationDate):'
pdffonts "$OUT/r/report.pdf" | grep -c 'NotoSansCJK'
cp "$OUT/r/report.html" "$OUT/a.html"; cp "$OUT/r/report.pdf" "$OUT/a.pdf"
"$ROUSE" report "$OUT/r" -q
cmp "$OUT/a.html" "$OUT/r/report.html" && cmp "$OUT/a.pdf" "$OUT/r/report.pdf" && echo "same bytes"
