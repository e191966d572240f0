"$ROUSE" summary csv/empty.csv
