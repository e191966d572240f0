"$ROUSE" summary csv/shop_ja.csv --as-of
