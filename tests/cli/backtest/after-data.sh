# a cutoff after the last row (1998-06-30): no outcome is known, an input error (exit 1)
# that says where the data ends and where the horizon would end (1999-01-31 + 180 days)
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1999-01-31 -q
