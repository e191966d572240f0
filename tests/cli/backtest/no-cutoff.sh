# --cutoff is required
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv
