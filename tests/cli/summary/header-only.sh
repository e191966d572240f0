"$ROUSE" summary csv/header_only.csv
