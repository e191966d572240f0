# --cutoff given last without its date: usage error naming the option and the value (DATE)
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff
