# --as-of must be a date; 1998-02-30 does not exist
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --as-of 1998-02-30
