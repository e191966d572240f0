# the published CDNOW split (Fader, Hardie & Lee 2005): fitted on the data to 1997-09-30,
# judged on the 39 weeks after it; every model, RFM and recency in one table
"$ROUSE" backtest ../../data/cdnow_sample/transactions.csv --cutoff 1997-09-30 --horizon 39w -q
