"$ROUSE" summary csv/shop_ja.csv --max-errors 3 -q
