"$ROUSE" summary cp932/shop_ja.csv -o "$OUT/s.csv" && cat "$OUT/s.csv"
