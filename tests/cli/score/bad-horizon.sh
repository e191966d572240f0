# --horizon needs a span such as 180d, 26w, 6m or 1y: "6 months" is refused with what was expected
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --horizon "6 months"
