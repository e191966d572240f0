"$ROUSE" summary csv/shop_ja.csv --map cust=会員ID
