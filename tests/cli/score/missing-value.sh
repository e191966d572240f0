# an option that takes a value, given last without one: usage error (exit 2) naming the
# option and the kind of value it wants (SPAN, as in --help)
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --horizon
