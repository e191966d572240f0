gzip -c csv/shop_ja.csv | "$ROUSE" summary - -q
