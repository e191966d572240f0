"$ROUSE" summary csv/mall_a.csv csv/mall_b.csv
