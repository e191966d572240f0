# --cutoff must be a date: there is no 13th month
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-13-01
