# an unknown option is a usage error (exit 2) naming it
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --colour red
