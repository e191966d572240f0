"$ROUSE" predict ../../data/cdnow_sample/transactions.csv --model-file x.json --horizon 3x
