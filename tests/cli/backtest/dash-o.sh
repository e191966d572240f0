# a backtest prints its table: -o and --excel-bom do not apply and are refused
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-09-30 -o "$OUT/bt.csv"
echo "exit $?"
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-09-30 --excel-bom
