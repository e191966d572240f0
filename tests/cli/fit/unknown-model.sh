"$ROUSE" fit ../../data/cdnow_sample/transactions.csv --model bgnb
