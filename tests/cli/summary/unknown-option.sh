"$ROUSE" summary --as-off 2024-01-01 csv/shop_ja.csv
