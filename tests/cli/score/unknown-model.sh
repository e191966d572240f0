# --model names one of the listed models; a typo is a usage error that lists them
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --model bgndb
