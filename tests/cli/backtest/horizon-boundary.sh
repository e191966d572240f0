# The outcome window is the cutoff's next day .. cutoff + horizon, both included, and must lie
# within the data (the CDNOW sample ends 1998-06-30). Cutoff 1998-05-31 + 30 days ends exactly
# on the last day: accepted; 1998-06-01 + 30 days would end 1998-07-01: refused (exit 1).
# Checked by hand with awk on the sample: all 2357 customers bought before June 1998; 138 of
# them bought in June 1998, on 168 distinct customer-days (172 rows): the 'purchased' count
# and the 'actual' column.
D=../../data/cdnow_sample/transactions.csv
"$ROUSE" backtest "$D" --cutoff 1998-05-31 --horizon 30d -q | head -2
"$ROUSE" backtest "$D" --cutoff 1998-05-31 --horizon 30d -q | awk '$1 == "bgnbd" {print "actual", $NF}'
"$ROUSE" backtest "$D" --cutoff 1998-06-01 --horizon 30d -q
echo "exit $?"
