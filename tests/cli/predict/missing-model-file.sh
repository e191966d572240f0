"$ROUSE" predict ../../data/cdnow_sample/transactions.csv
