"$ROUSE" summary csv/shop_ja.csv --reject "$OUT/rejects.csv" && cat "$OUT/rejects.csv"
