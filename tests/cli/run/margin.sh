# --margin 30 with a 100 per contact: customers whose value x 30% is below 100 are left out
# and counted (CDNOW amounts are dollars, so most are not worth a postcard at this cost)
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/r" --margin 30 --cost 5 -q | sed -n "/^Lists/,/^Files/p"
grep -c . "$OUT/r/prevention.csv"
