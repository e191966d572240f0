# a cutoff before the first row (the CDNOW sample starts 1997-01-01): nothing to fit on,
# an input error (exit 1). The message speaks of the as-of date, which a backtest sets to the
# day after the cutoff (1997-01-01 here)
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1996-12-31 -q
