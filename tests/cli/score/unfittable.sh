# the Japanese shop fixture has 4 customers (2 with repeat purchases): too few for BG/NBD,
# which every score needs; an input error (exit 1, as --help says), not a crash or empty output
"$ROUSE" score csv/shop_ja.csv -q -o "$OUT/s.csv"
echo "exit $?"
[ -e "$OUT/s.csv" ] && echo "scores written" || echo "no scores"
