"$ROUSE" frobnicate x.csv
