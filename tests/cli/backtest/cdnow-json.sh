# the same as JSON: the chosen model, its reason, every model and the validation rows
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-09-30 --horizon 39w -q --json
