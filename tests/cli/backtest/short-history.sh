# a cutoff five days into the data: the backtest runs (exit 0) but warns that five days of
# history are too little for the time-split validation or the trees
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-01-05 -q
