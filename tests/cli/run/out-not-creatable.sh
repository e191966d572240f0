# the output folder is created if missing, but not its parents: an input error (exit 1)
# naming the folder, before any work is done
"$ROUSE" run ../../data/cdnow_sample/transactions.csv --out "$OUT/no/such/dir" -q
echo "exit $?"
[ -e "$OUT/no" ] && echo "created" || echo "nothing created"
