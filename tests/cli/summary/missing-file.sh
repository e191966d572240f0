"$ROUSE" summary csv/does-not-exist.csv
