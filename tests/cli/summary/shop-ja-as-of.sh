"$ROUSE" summary csv/shop_ja.csv --as-of 2024-02-11 --quiet
