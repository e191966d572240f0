# --lang en gives English reasons; --excel-bom starts the file with EF BB BF (Excel)
"$ROUSE" score ../../data/cdnow_sample/transactions.csv -q --lang en --excel-bom -o "$OUT/s.csv"
head -c 3 "$OUT/s.csv" | od -An -tx1
sed -n 2,3p "$OUT/s.csv"
