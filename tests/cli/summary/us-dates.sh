"$ROUSE" summary csv/us_dates.csv -q
