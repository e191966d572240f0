"$ROUSE" summary csv/shop_ja.csv --unit month
