"$ROUSE" summary csv/us_dates_ambiguous.csv
