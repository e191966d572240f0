# -o (one output file) does not apply to run, which writes a folder
"$ROUSE" run ../../data/cdnow_sample/transactions.csv -o x.csv
