# --as-of does not apply to a backtest: the cutoff sets the date
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-09-30 --as-of 1998-01-01
