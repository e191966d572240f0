# --lang is ja or en
"$ROUSE" score ../../data/cdnow_sample/transactions.csv --lang fr
