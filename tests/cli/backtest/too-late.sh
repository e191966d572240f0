# the horizon after the cutoff must lie within the data (the data ends 1998-06-30)
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1998-03-31 --horizon 180d
